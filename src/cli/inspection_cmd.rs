//! `dutydesk inspection add|list`: inspection reports (码上报备, 凡检必报) checked against the
//! no-disturbance days (企业无扰日) and the limit on inspections per enterprise in 30 days.

use chrono::{NaiveDate, NaiveDateTime};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::csv_out::{self, Cell, Column};
use super::issue_cmd::ShowFormat;
use super::output::table;
use super::{json, out, CliError, CliResult, Ctx, Format};
use crate::desk::{Command, Desk, DeskError, NewInspection, Problem};
use crate::domain::policy::Act;
use crate::domain::{Exemption, FiledBy, InspectionKind};
use crate::i18n::Lang;
use crate::report::inspections::{analyse, InspectionRow};

#[derive(Subcommand, Debug)]
pub enum InspectionCmd {
    /// Record an inspection report (检查报备); warns about no-disturbance days and frequency.
    Add(AddArgs),
    /// List inspection reports, newest first.
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// Inspecting department: a unit id or name, or any other department's name.
    #[arg(long)]
    unit: String,
    /// Enterprise name, credit code, or a search that finds exactly one.
    #[arg(long)]
    enterprise: String,
    /// Date of the inspection, YYYY-MM-DD (not after today).
    #[arg(long)]
    date: String,
    /// planned | complaint | safety | order | other
    #[arg(long)]
    kind: String,
    /// Why it may take place on a no-disturbance day: safety | complaint | order | other
    #[arg(long)]
    exemption: Option<String>,
    /// Who files the report: unit | enterprise (码上报备: the enterprise itself)
    #[arg(long, default_value = "unit")]
    by: String,
    /// Names of the inspectors.
    #[arg(long, default_value = "")]
    inspectors: String,
    /// What the inspection found.
    #[arg(long, default_value = "")]
    result: String,
    /// table: for people; json: for scripts.
    #[arg(long, value_enum, default_value = "table")]
    format: ShowFormat,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only inspections on no-disturbance days without an exemption.
    #[arg(long)]
    violations: bool,
    /// Unit id or name, or the name of another department.
    #[arg(long)]
    unit: Option<String>,
    /// table: for people; json or csv: for scripts and spreadsheets.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// An inspection as `inspection list --format json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionView {
    pub id: u64,
    /// The unit's display name (a department outside the configured list: its name as given).
    pub unit: String,
    /// The configured unit's id; null for other departments.
    pub unit_id: Option<String>,
    pub enterprise: String,
    pub credit_code: String,
    pub date: NaiveDate,
    pub kind: &'static str,
    pub exemption: Option<&'static str>,
    pub by: &'static str,
    pub inspectors: String,
    pub result: String,
    pub filed_at: NaiveDateTime,
    pub filed_by: String,
    pub violation: bool,
    pub frequent: bool,
    /// Id of the other side's filing of the same inspection.
    pub matched: Option<u64>,
    /// The enterprise's filing of an inspection the unit filed too (counted once).
    pub duplicate: bool,
    /// Distinct inspections of the enterprise in the 30 days ending at `date`.
    pub inspections_30d: usize,
}

impl InspectionView {
    fn new(r: &InspectionRow, desk: &Desk) -> InspectionView {
        let i = &r.inspection;
        let en = desk.config.lang.is_en();
        let unit = desk.units.get(&i.unit);
        InspectionView {
            id: i.id,
            unit: unit.map_or_else(|| i.unit.clone(), |u| u.display(en).to_string()),
            unit_id: unit.map(|u| u.id.clone()),
            enterprise: i.enterprise_name.clone(),
            credit_code: i.enterprise.clone(),
            date: i.date,
            kind: i.kind.key(),
            exemption: i.exemption.map(Exemption::key),
            by: i.by.key(),
            inspectors: i.inspectors.clone(),
            result: i.result.clone(),
            filed_at: i.filed_at,
            filed_by: i.filed_by.clone(),
            violation: r.violation,
            frequent: r.frequent,
            matched: r.matched,
            duplicate: r.duplicate,
            inspections_30d: r.in_30_days,
        }
    }
}

pub fn run(ctx: &mut Ctx, cmd: InspectionCmd) -> CliResult {
    match cmd {
        InspectionCmd::Add(a) => add(ctx, a),
        InspectionCmd::List(a) => list(ctx, a),
    }
}

fn kind_options() -> Vec<String> {
    InspectionKind::ALL
        .iter()
        .map(|k| format!("{} ({})", k.key(), k.zh()))
        .collect()
}

fn exemption_options() -> Vec<String> {
    Exemption::ALL
        .iter()
        .map(|k| format!("{} ({})", k.key(), k.zh()))
        .collect()
}

/// Checks the flags that need no store, so bad input is refused before anything opens.
fn parse_add(ctx: &Ctx, a: &AddArgs) -> Result<NewInspection, CliError> {
    let kind = InspectionKind::parse(&a.kind).ok_or_else(|| {
        ctx.err(DeskError::invalid(
            "kind",
            a.kind.trim(),
            Problem::OneOf(kind_options()),
        ))
    })?;
    let exemption = match a.exemption.as_deref().map(str::trim) {
        None | Some("") | Some("none") | Some("无") => None,
        Some(s) => Some(Exemption::parse(s).ok_or_else(|| {
            ctx.err(DeskError::invalid(
                "exemption",
                s,
                Problem::OneOf(exemption_options()),
            ))
        })?),
    };
    let by = FiledBy::parse(&a.by).ok_or_else(|| {
        ctx.err(DeskError::invalid(
            "by",
            a.by.trim(),
            Problem::OneOf(vec!["unit (单位)".into(), "enterprise (企业)".into()]),
        ))
    })?;
    let date = super::date_arg(ctx.lang, "date", &a.date)?;
    Ok(NewInspection {
        unit: a.unit.clone(),
        enterprise: a.enterprise.clone(),
        date,
        kind,
        exemption,
        by,
        inspectors: a.inspectors.clone(),
        result: a.result.clone(),
    })
}

fn add(ctx: &mut Ctx, a: AddArgs) -> CliResult {
    let mut n = parse_add(ctx, &a)?;
    let mut desk = ctx.open_existing()?;
    let now = super::now()?;
    let ent = desk
        .find_enterprise(&n.enterprise)
        .map_err(|e| ctx.err(e))?;
    n.enterprise = ent.credit_code;
    let o = desk
        .execute_as(
            &ctx.account,
            now,
            Command::RecordInspection { inspection: n },
            None,
        )
        .map_err(|e| ctx.err(e))?;
    let list = desk.inspections().map_err(|e| ctx.err(e))?;
    let rows = analyse(
        &list,
        &desk.config.quiet_days,
        desk.config.max_inspections_30d,
    );
    let Some(row) = rows.iter().find(|r| Some(r.inspection.id) == o.created) else {
        return Err(CliError::Failed(
            ctx.pick(
                "记录后未找到该检查",
                "the recorded inspection was not found",
            )
            .into(),
        ));
    };
    let v = InspectionView::new(row, &desk);
    for w in warnings(ctx, &desk, row) {
        super::warn(&w);
    }
    if a.format == ShowFormat::Json {
        return out(&json(&v)?);
    }
    out(&recorded_line(ctx.lang, &v))
}

/// The warnings for one filing: no-disturbance-day violation, too many inspections.
fn warnings(ctx: &Ctx, desk: &Desk, r: &InspectionRow) -> Vec<String> {
    let q = desk.config.quiet_days;
    let i = &r.inspection;
    let mut w = Vec::new();
    if r.violation {
        w.push(if ctx.lang.is_en() {
            format!(
                "warning: {} is a no-disturbance day (days {}–{} of each month) and no exemption was given: recorded as a no-disturbance-day violation (give an exemption with --exemption)",
                i.date, q.first, q.last
            )
        } else {
            format!(
                "警告：{} 是企业无扰日（每月 {}–{} 日），且未注明例外情形：已记为无扰日违规（例外情形用 --exemption 注明）",
                i.date, q.first, q.last
            )
        });
    }
    if r.frequent {
        let max = desk.config.max_inspections_30d;
        w.push(if ctx.lang.is_en() {
            format!(
                "warning: {} has been inspected {} times in the 30 days to {}, more than the limit of {max}",
                i.enterprise_name, r.in_30_days, i.date
            )
        } else {
            format!(
                "警告：{} 在截至 {} 的 30 天内已被检查 {} 次，超过上限 {max} 次",
                i.enterprise_name, i.date, r.in_30_days
            )
        });
    }
    w
}

fn kind_label(lang: Lang, kind: &str) -> String {
    match (lang, InspectionKind::parse(kind)) {
        (Lang::Zh, Some(k)) => k.zh().into(),
        _ => kind.into(),
    }
}

fn exemption_label(lang: Lang, ex: Option<&str>) -> String {
    match (lang, ex.and_then(Exemption::parse)) {
        (Lang::Zh, Some(e)) => e.zh().into(),
        _ => ex.unwrap_or_default().into(),
    }
}

/// One line for people: the new id first, then what was recorded.
fn recorded_line(lang: Lang, v: &InspectionView) -> String {
    let clean = super::output::clean;
    let kind = kind_label(lang, v.kind);
    let ex = exemption_label(lang, v.exemption);
    if lang.is_en() {
        let mut s = format!(
            "{} recorded: {} inspected {} ({}) on {}, {kind}",
            v.id,
            clean(&v.unit),
            clean(&v.enterprise),
            v.credit_code,
            v.date
        );
        if !ex.is_empty() {
            s.push_str(&format!(", exemption {ex}"));
        }
        s.push_str(&format!(", filed by the {}", v.by));
        if let Some(m) = v.matched {
            s.push_str(&format!(", matches #{m}"));
        }
        s + "\n"
    } else {
        let mut s = format!(
            "{} 已记录：{} 于 {} 检查 {}（{}），{kind}",
            v.id,
            clean(&v.unit),
            v.date,
            clean(&v.enterprise),
            v.credit_code
        );
        if !ex.is_empty() {
            s.push_str(&format!("，例外情形：{ex}"));
        }
        s.push_str(if v.by == "enterprise" {
            "，企业自报"
        } else {
            "，单位报备"
        });
        if let Some(m) = v.matched {
            s.push_str(&format!("，与 #{m} 为同一次检查"));
        }
        s + "\n"
    }
}

fn list(ctx: &mut Ctx, a: ListArgs) -> CliResult {
    let desk = ctx.open_for(Act::ReadInspections)?;
    let list = desk.inspections().map_err(|e| ctx.err(e))?;
    let rows = analyse(
        &list,
        &desk.config.quiet_days,
        desk.config.max_inspections_30d,
    );
    // A configured unit by id or name; any other department by the name it was filed under.
    let unit = a.unit.as_deref().map(|u| {
        desk.units
            .find(u)
            .map_or_else(|| u.trim().to_string(), |u| u.id.clone())
    });
    let mut views: Vec<InspectionView> = rows
        .iter()
        .filter(|r| !a.violations || r.violation)
        .filter(|r| unit.as_ref().is_none_or(|u| &r.inspection.unit == u))
        .map(|r| InspectionView::new(r, &desk))
        .collect();
    views.sort_by(|x, y| y.date.cmp(&x.date).then(y.id.cmp(&x.id)));
    match a.format {
        Format::Json => out(&json(&views)?),
        Format::Csv => {
            let lang = ctx.lang;
            let rows: Vec<Vec<Cell>> = views.iter().map(|v| csv_row(v, lang)).collect();
            out(&csv_out::document(
                &csv_out::header(lang, &CSV_COLUMNS),
                &rows,
            ))
        }
        Format::Table => {
            let lang = ctx.lang;
            let h = if lang.is_en() {
                [
                    "id",
                    "date",
                    "unit",
                    "enterprise",
                    "kind",
                    "exemption",
                    "by",
                    "flags",
                ]
            } else {
                [
                    "编号",
                    "检查日期",
                    "检查单位",
                    "企业",
                    "检查类型",
                    "例外情形",
                    "报备方",
                    "标记",
                ]
            };
            let rows: Vec<Vec<String>> = views.iter().map(|v| table_row(v, lang)).collect();
            let mut s = table(&h, &rows, &[0, 0, 16, 30, 0, 0, 0, 0]);
            let violations = views.iter().filter(|v| v.violation).count();
            s.push_str(&if lang.is_en() {
                format!(
                    "{} inspection report(s), {violations} no-disturbance-day violation(s)\n",
                    views.len()
                )
            } else {
                format!("共 {} 条，其中无扰日违规 {violations} 条\n", views.len())
            });
            out(&s)
        }
    }
}

/// The `inspection list --format csv` columns, in order (a contract for spreadsheets and
/// scripts). The unit is its name only: ids are internal.
pub const CSV_COLUMNS: [Column; 17] = [
    ("编号", "id"),
    ("检查日期", "date"),
    ("检查单位", "unit"),
    ("企业", "enterprise"),
    ("统一社会信用代码", "credit_code"),
    ("检查类型", "kind"),
    ("例外情形", "exemption"),
    ("报备方", "by"),
    ("检查人员", "inspectors"),
    ("检查结果", "result"),
    ("报备时间", "filed_at"),
    ("报备人", "filed_by"),
    ("无扰日违规", "violation"),
    ("频繁检查", "frequent"),
    ("对应报备编号", "matched"),
    ("重复报备", "duplicate"),
    ("30天内检查次数", "inspections_30d"),
];

/// Who filed it, as a word in `lang`.
fn by_label(lang: Lang, by: &str) -> String {
    match (lang, by) {
        (Lang::Zh, "enterprise") => "企业自报".to_string(),
        (Lang::Zh, _) => "单位".to_string(),
        (_, b) => b.to_string(),
    }
}

fn csv_row(v: &InspectionView, lang: Lang) -> Vec<Cell> {
    vec![
        v.id.to_string().into(),
        csv_out::date(v.date),
        v.unit.as_str().into(),
        v.enterprise.as_str().into(),
        Cell::Text(v.credit_code.clone()),
        kind_label(lang, v.kind).into(),
        exemption_label(lang, v.exemption).into(),
        by_label(lang, v.by).into(),
        v.inspectors.as_str().into(),
        v.result.as_str().into(),
        csv_out::datetime(v.filed_at),
        v.filed_by.as_str().into(),
        csv_out::yes_no(v.violation, lang),
        csv_out::yes_no(v.frequent, lang),
        v.matched.map(|m| m.to_string()).unwrap_or_default().into(),
        csv_out::yes_no(v.duplicate, lang),
        v.inspections_30d.to_string().into(),
    ]
}

fn table_row(v: &InspectionView, lang: Lang) -> Vec<String> {
    let mut flags = Vec::new();
    if v.violation {
        flags.push(lang.pick("无扰日违规", "VIOLATION").to_string());
    }
    if v.frequent {
        flags.push(if lang.is_en() {
            format!("{} in 30d", v.inspections_30d)
        } else {
            format!("30天{}次", v.inspections_30d)
        });
    }
    if let Some(m) = v.matched {
        flags.push(if lang.is_en() {
            format!("matches #{m}")
        } else {
            format!("匹配#{m}")
        });
    }
    vec![
        v.id.to_string(),
        v.date.to_string(),
        v.unit.clone(),
        v.enterprise.clone(),
        kind_label(lang, v.kind),
        exemption_label(lang, v.exemption),
        by_label(lang, v.by),
        flags.join(" "),
    ]
}
