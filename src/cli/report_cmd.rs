//! `dutydesk handover` and `dutydesk report`.

use chrono::{Datelike, NaiveDate};
use clap::{Args, ValueEnum};

use super::csv_out::{self, Cell};
use super::{date_arg, datetime_arg, json, now, out, CliError, CliResult, Ctx};
use crate::domain::policy::Act;
use crate::report::{handover, scorecard};

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DocFormat {
    /// Markdown.
    #[default]
    Md,
    /// Plain text for printing: at most 80 columns, with a signature block.
    Text,
    /// JSON with everything (the full brief).
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ReportFormat {
    #[default]
    Md,
    Json,
    Csv,
}

#[derive(Args, Debug)]
pub struct HandoverArgs {
    /// A shift's brief: the signed-off one as filed, or a draft if the shift is still open.
    #[arg(long, conflicts_with = "since")]
    pub shift: Option<String>,
    /// List every shift (id, officer, times, sign-off and acknowledgement) instead.
    #[arg(long, conflicts_with_all = ["shift", "since"])]
    pub list: bool,
    /// A draft brief for everything since this time (YYYY-MM-DDTHH:MM[:SS] or YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// md: Markdown; text: a page to print and sign (80 columns); json: everything.
    #[arg(long, value_enum, default_value = "md")]
    pub format: DocFormat,
    /// Every section in full (every due, overdue, supervised, owed and VIP item) instead of
    /// the short sheet.
    #[arg(long)]
    pub full: bool,
    /// Print phone numbers in full (masked as 138****5678 by default).
    #[arg(long)]
    pub show_pii: bool,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// First day (YYYY-MM-DD; default: the first of this month).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, inclusive (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub to: Option<String>,
    /// Only this lead unit (id or name).
    #[arg(long)]
    pub unit: Option<String>,
    /// md: Markdown for people; json: for scripts; csv: one row per unit, for spreadsheets.
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
}

/// A report with the journal's chain head it was computed at.
#[derive(serde::Serialize)]
struct Witnessed<'a> {
    #[serde(flatten)]
    report: &'a scorecard::Report,
    chain_head: crate::store::ChainHead,
}

fn bad(ctx: &Ctx, field: &str, value: &str, zh: &str, en: &str) -> CliError {
    CliError::BadInput(format!("{field} \"{value}\": {}", ctx.pick(zh, en)))
}

pub fn handover(ctx: &mut Ctx, a: HandoverArgs) -> CliResult {
    let now = now()?;
    let since = match a.since.as_deref() {
        Some(s) => Some(datetime_arg(ctx.lang, "--since", s)?),
        None => None,
    };
    let shift_id = match a.shift.as_deref() {
        Some(s) => Some(
            s.trim()
                .trim_start_matches('#')
                .parse::<u64>()
                .map_err(|_| {
                    bad(
                        ctx,
                        "--shift",
                        s,
                        "班次编号应为数字（如 12）",
                        "a shift id is a number (e.g. 12)",
                    )
                })?,
        ),
        None => None,
    };
    let desk = ctx.open_for(Act::ReadHandover)?;
    let lang = ctx.lang;
    if a.list {
        return list_shifts(ctx, &desk, a.format);
    }
    let mut printed = match (shift_id, since) {
        (Some(id), _) => {
            let s = desk.shift(id).map_err(|e| ctx.err(e))?;
            handover::of_shift(&desk, &s, now).map_err(|e| ctx.err(e))?
        }
        (None, Some(t)) => {
            if t > now {
                return Err(bad(
                    ctx,
                    "--since",
                    a.since.as_deref().unwrap_or_default(),
                    "时间在未来，请给出过去的时间",
                    "is in the future; give a past time",
                ));
            }
            let brief = handover::draft_from_desk(&desk, None, t, now, &ctx.officer)
                .map_err(|e| ctx.err(e))?;
            handover::Printed {
                brief,
                signed_off: false,
                acknowledged_by: None,
                acknowledged_at: None,
            }
        }
        (None, None) => {
            let shift = match desk.open_shift().map_err(|e| ctx.err(e))? {
                Some(s) => s,
                None => desk
                    .shifts()
                    .map_err(|e| ctx.err(e))?
                    .into_iter()
                    .rev()
                    .find(|s| s.ended_at.is_some())
                    .ok_or_else(|| {
                        CliError::BadInput(
                            ctx.pick(
                                "还没有任何班次：请用 --since 时间 生成一段时间的交接单",
                                "no shift yet: use --since TIME for a brief of a period",
                            )
                            .into(),
                        )
                    })?,
            };
            handover::of_shift(&desk, &shift, now).map_err(|e| ctx.err(e))?
        }
    };
    if a.show_pii {
        handover::reveal_phones(&mut printed.brief, &desk).map_err(|e| ctx.err(e))?;
    } else {
        handover::mask_phones(&mut printed.brief);
    }
    // The short sheet is the printed form; --full (and JSON, always) has every item.
    match (a.format, a.full) {
        (DocFormat::Md, false) => out(&handover::sheet_markdown(&printed, lang)),
        (DocFormat::Md, true) => out(&handover::markdown(&printed, lang)),
        (DocFormat::Text, false) => out(&handover::sheet_text(&printed, lang)),
        (DocFormat::Text, true) => out(&handover::plain_text(&printed, lang)),
        (DocFormat::Json, _) => out(&json(&printed)?),
    }
}

/// The shifts, oldest first: a table for people, JSON for scripts.
fn list_shifts(ctx: &Ctx, desk: &crate::desk::Desk, format: DocFormat) -> CliResult {
    let shifts = desk.shifts().map_err(|e| ctx.err(e))?;
    let fmt = |t: Option<chrono::NaiveDateTime>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };
    match format {
        DocFormat::Json => {
            let items: Vec<serde_json::Value> = shifts
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "id": s.id,
                        "officer": s.officer.name,
                        "unit": desk.units.name_of(&s.officer.unit, ctx.lang.is_en()),
                        "duty": s.officer.duty,
                        "started_at": s.started_at,
                        "ended_at": s.ended_at,
                        "signed_off": s.ended_at.is_some(),
                        "acknowledged_by": s.acknowledged.as_ref().map(|a| &a.0),
                        "acknowledged_at": s.acknowledged.as_ref().map(|a| a.1),
                    })
                })
                .collect();
            out(&json(&items)?)
        }
        DocFormat::Md | DocFormat::Text => {
            let rows: Vec<Vec<String>> = shifts
                .iter()
                .map(|s| {
                    vec![
                        s.id.to_string(),
                        s.officer.name.clone(),
                        desk.units
                            .name_of(&s.officer.unit, ctx.lang.is_en())
                            .to_string(),
                        fmt(Some(s.started_at)),
                        fmt(s.ended_at),
                        s.acknowledged
                            .as_ref()
                            .map(|a| format!("{} {}", a.0, fmt(Some(a.1))))
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            let t = |zh: &'static str, en: &'static str| ctx.pick(zh, en);
            out(&super::output::table(
                &[
                    t("班次", "shift"),
                    t("值班人员", "officer"),
                    t("单位", "unit"),
                    t("签到", "signed in"),
                    t("签退", "signed off"),
                    t("接班确认", "acknowledged"),
                ],
                &rows,
                &[],
            ))
        }
    }
}

pub fn report(ctx: &mut Ctx, a: ReportArgs) -> CliResult {
    let today = now()?.date();
    let date = |flag: &'static str,
                v: &Option<String>,
                default: NaiveDate|
     -> Result<NaiveDate, CliError> {
        match v {
            Some(s) => date_arg(ctx.lang, flag, s),
            None => Ok(default),
        }
    };
    let to = date("--to", &a.to, today)?;
    let first_of_month = to.with_day(1).unwrap_or(to);
    let from = date("--from", &a.from, first_of_month)?;
    if from > to {
        return Err(bad(
            ctx,
            "--from",
            &from.to_string(),
            &format!("晚于 --to {to}：起始日期不能晚于结束日期"),
            &format!("is after --to {to}: the range must start before it ends"),
        ));
    }
    let desk = ctx.open_existing()?;
    let lang = ctx.lang;
    let mut unit = match a.unit.as_deref() {
        Some(u) => Some(desk.lead_unit(u, "unit").map_err(|e| ctx.err(e))?),
        None => None,
    };
    // A unit reads its own scorecard: without --unit, that is what it gets.
    if ctx.account.role == crate::domain::Role::Unit && unit.is_none() {
        unit = ctx.account.unit.clone();
    }
    let scope = if unit.is_some() && unit == ctx.account.unit {
        crate::domain::policy::ReportScope::OwnUnit
    } else {
        crate::domain::policy::ReportScope::Other
    };
    ctx.authorize(Act::ReadReport(Some(scope)))?;
    let mut r = scorecard::from_desk(&desk, from, to, today).map_err(|e| ctx.err(e))?;
    if let Some(u) = &unit {
        r.only_unit(u);
    }
    let head = desk.chain_head();
    match a.format {
        ReportFormat::Md => out(&scorecard::markdown_witnessed(&r, lang, Some(&head))),
        ReportFormat::Json => out(&json(&Witnessed {
            report: &r,
            chain_head: head,
        })?),
        ReportFormat::Csv => {
            let rows: Vec<Vec<Cell>> = r
                .units
                .iter()
                .map(|s| {
                    scorecard::row(s, true)
                        .into_iter()
                        .map(Cell::from)
                        .collect()
                })
                .collect();
            out(&csv_out::document(&scorecard::csv_header(lang), &rows))
        }
    }
}
