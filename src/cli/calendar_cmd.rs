//! `dutydesk calendar is-workday DATE | add-workdays DATE N`.

use clap::Subcommand;

use super::{out, CliError, CliResult, Ctx};
use crate::calendar::Calendar;

#[derive(Subcommand, Debug)]
pub enum CalendarCmd {
    /// Prints true or false.
    IsWorkday {
        /// The day (YYYY-MM-DD).
        date: String,
    },
    /// Prints the N-th working day after DATE (DATE itself never counts).
    AddWorkdays {
        /// The day to count from (YYYY-MM-DD).
        date: String,
        /// How many working days (negative counts back).
        #[arg(allow_hyphen_values = true)]
        n: String,
    },
}

fn date_arg(ctx: &Ctx, s: &str) -> Result<chrono::NaiveDate, CliError> {
    super::date_arg(ctx.lang, "DATE", s)
}

/// The calendar with the user's additions from the data directory (no store lock needed).
fn calendar(ctx: &Ctx) -> Result<Calendar, CliError> {
    Calendar::builtin()
        .with_user_file(&ctx.data.join("holidays.toml"))
        .map_err(|e| CliError::desk(e.into(), ctx.lang))
}

pub fn run(ctx: &mut Ctx, cmd: CalendarCmd) -> CliResult {
    let cal = calendar(ctx)?;
    match cmd {
        CalendarCmd::IsWorkday { date } => {
            let d = date_arg(ctx, &date)?;
            if !cal.knows(chrono::Datelike::year(&d)) {
                super::warn(&beyond_warning(ctx, &cal));
            }
            out(&format!("{}\n", cal.is_workday(d)))
        }
        CalendarCmd::AddWorkdays { date, n } => {
            let d = date_arg(ctx, &date)?;
            let n: u32 = n.trim().parse().map_err(|_| {
                CliError::BadInput(format!(
                    "N「{n}」{}",
                    ctx.pick(
                        "应为非负整数（工作日天数）",
                        ": must be a whole number of working days"
                    )
                ))
            })?;
            if n > 3660 {
                return Err(CliError::BadInput(
                    ctx.pick("N 太大（最多 3660）", "N is too large (at most 3660)")
                        .into(),
                ));
            }
            let due = cal.add_workdays(d, n);
            if due.beyond_calendar {
                super::warn(&beyond_warning(ctx, &cal));
            }
            out(&format!("{}\n", due.date.format("%Y-%m-%d")))
        }
    }
}

/// Warning for dates outside the years the holiday tables cover.
pub fn beyond_warning(ctx: &Ctx, cal: &Calendar) -> String {
    let years = cal.known_years();
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "-".into(),
    };
    if ctx.lang.is_en() {
        format!("warning: the holiday calendar covers {span} only; days beyond it are counted as plain weekdays. Add that year's official table to holidays.toml in the data directory.")
    } else {
        format!("警告：节假日日历仅覆盖 {span} 年，超出部分按普通周一至周五计算；请在数据目录的 holidays.toml 中补充该年度的官方放假安排。")
    }
}
