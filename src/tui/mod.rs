//! INTERIM: replaced by the TUI branch.
use crate::{desk::Desk, domain::Officer, i18n::Lang};
use chrono::NaiveDateTime;
use std::path::PathBuf;
pub struct TuiOptions {
    pub lang: Lang,
    pub keymap: Option<String>,
    pub officer: Option<Officer>,
    pub fixed_now: Option<NaiveDateTime>,
    pub config_dir: Option<PathBuf>,
}
pub fn run(_desk: Desk, _opts: TuiOptions) -> anyhow::Result<()> {
    anyhow::bail!("the TUI is not built yet; use --no-tui")
}
