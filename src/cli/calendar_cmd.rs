//! `dutydesk calendar is-workday DATE | add-workdays DATE N [--format text|json]`.

use chrono::{Datelike, NaiveDate};
use clap::Subcommand;
use serde::Serialize;

use super::{json, out, CliError, CliResult, Ctx};
use crate::calendar::Calendar;
use crate::domain::deadline::provisional_mark;

#[derive(Subcommand, Debug)]
pub enum CalendarCmd {
    /// Prints true or false (marked provisional in a year without its holiday notice).
    IsWorkday {
        /// The day (YYYY-MM-DD).
        date: String,
        /// text, or json ({date, workday, provisional, holiday}).
        #[arg(long, value_enum, default_value = "text")]
        format: CalFormat,
    },
    /// Prints the N-th working day after DATE (DATE itself never counts).
    AddWorkdays {
        /// The day to count from (YYYY-MM-DD).
        date: String,
        /// How many working days (negative counts back).
        #[arg(allow_hyphen_values = true)]
        n: String,
        /// text, or json ({date, n, provisional}).
        #[arg(long, value_enum, default_value = "text")]
        format: CalFormat,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalFormat {
    /// The answer, with （暂定）/ (provisional) when it is one.
    Text,
    /// `{ "date", "workday" | "n", "provisional", "holiday" }` for scripts.
    Json,
}

/// What `is-workday --format json` prints.
#[derive(Serialize)]
struct DayAnswer {
    date: NaiveDate,
    workday: bool,
    /// The year's official notice is not in the calendar: statutory holidays only.
    provisional: bool,
    /// The holiday the day belongs to, if it is one.
    holiday: Option<String>,
}

/// What `add-workdays --format json` prints.
#[derive(Serialize)]
struct DueAnswer {
    from: NaiveDate,
    n: u32,
    date: NaiveDate,
    /// The count touched a year whose notice is not in the calendar.
    provisional: bool,
}

fn date_arg(ctx: &Ctx, s: &str) -> Result<NaiveDate, CliError> {
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
    let mark = |p: bool| if p { provisional_mark(ctx.lang) } else { "" };
    match cmd {
        CalendarCmd::IsWorkday { date, format } => {
            let d = date_arg(ctx, &date)?;
            let provisional = !cal.knows(d.year());
            if provisional {
                super::warn(&beyond_warning(ctx, &cal));
            }
            let workday = cal.is_workday(d);
            match format {
                CalFormat::Json => out(&json(&DayAnswer {
                    date: d,
                    workday,
                    provisional,
                    holiday: cal.holiday_name(d).map(str::to_string),
                })?),
                CalFormat::Text => out(&format!("{workday}{}\n", mark(provisional))),
            }
        }
        CalendarCmd::AddWorkdays { date, n, format } => {
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
            match format {
                CalFormat::Json => out(&json(&DueAnswer {
                    from: d,
                    n,
                    date: due.date,
                    provisional: due.beyond_calendar,
                })?),
                CalFormat::Text => out(&format!(
                    "{}{}\n",
                    due.date.format("%Y-%m-%d"),
                    mark(due.beyond_calendar)
                )),
            }
        }
    }
}

/// Warning for a count that reaches a year without its official table (printed once per
/// command).
pub fn beyond_warning(ctx: &Ctx, cal: &Calendar) -> String {
    let years = cal.known_years();
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a == b => format!("{a}"),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "-".into(),
    };
    if ctx.lang.is_en() {
        format!("warning: the holiday calendar has the State Council's notices for {span} only; in other years days are counted with the statutory holidays (no adjusted working weekends) and the result is provisional. When the year's notice is out, add its table to holidays.toml in the data directory: deadlines are then recounted and the mark goes.")
    } else {
        format!("警告：节假日日历仅收录 {span} 年的国务院放假通知；其他年份暂按法定节假日计算（不含调休），结果为暂定。该年通知发布后，请在数据目录的 holidays.toml 中补充放假安排，期限将自动重算，暂定标记随之消失。")
    }
}
