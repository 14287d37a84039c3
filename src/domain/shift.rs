//! Duty shifts (值班): from sign-in to sign-off, with the handover brief (交接班).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// 固定值班 (fixed duty) or 机动坐班 (mobile duty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyType {
    Fixed,
    Mobile,
}

impl DutyType {
    pub fn zh(self) -> &'static str {
        match self {
            DutyType::Fixed => "固定值班",
            DutyType::Mobile => "机动坐班",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            DutyType::Fixed => "fixed duty",
            DutyType::Mobile => "mobile duty",
        }
    }
    pub fn parse(s: &str) -> Option<DutyType> {
        match s.trim() {
            "fixed" | "固定值班" | "固定" => Some(DutyType::Fixed),
            "mobile" | "机动坐班" | "机动" => Some(DutyType::Mobile),
            _ => None,
        }
    }
}

/// An officer on duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub name: String,
    /// The officer's own unit (id or name as typed).
    pub unit: String,
    pub duty: DutyType,
}

/// One shift. The brief is frozen at sign-off and never edited afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    pub id: u64,
    pub officer: Officer,
    pub started_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    /// Free-text notes to the next shift, editable until sign-off.
    pub notes: String,
    /// The signed-off handover brief (a report document), set once at sign-off.
    pub brief: Option<serde_json::Value>,
    /// Who acknowledged the brief at the next sign-in, and when.
    pub acknowledged: Option<(String, NaiveDateTime)>,
}
