//! INTERIM: replaced by the demo generator branch.
use crate::desk::{Desk, DeskError};
use chrono::NaiveDateTime;
pub struct DemoOptions {
    pub seed: u64,
    pub enterprises: usize,
    pub issues: usize,
    pub vip: usize,
}
impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 7,
            enterprises: 1000,
            issues: 1200,
            vip: 430,
        }
    }
}
pub struct DemoSummary {
    pub enterprises: usize,
    pub vip: usize,
    pub issues: usize,
    pub overdue: usize,
    pub supervised: usize,
    pub seconds: f64,
}
pub fn generate(
    _d: &mut Desk,
    _o: &DemoOptions,
    _now: NaiveDateTime,
) -> Result<DemoSummary, DeskError> {
    Ok(DemoSummary {
        enterprises: 0,
        vip: 0,
        issues: 0,
        overdue: 0,
        supervised: 0,
        seconds: 0.0,
    })
}
