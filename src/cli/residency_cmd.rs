//! `dutydesk residency …`: the residency programme (四帮一体验) — rounds, the firms' orders
//! (点餐) and the pairs placed to match (配餐), each cadre's 五个一, the firms' scores, and the
//! figures as the published reports give them.

use clap::{Args, Subcommand};
use serde::Serialize;

use super::csv_out::{self, Cell};
use super::output::table;
use super::report_cmd::ReportFormat;
use super::{json, out, warn, CliError, CliResult, Ctx, Format};
use crate::desk::residency::{parse_cadre, NewOrder, NewRound, RuleProblem};
use crate::desk::{Command, Desk, DeskError, Problem};
use crate::domain::policy::Act;
use crate::domain::residency::{
    also_placed, matching, parse_amount, ChecklistItem, Residency, Score, FIVE_ONES,
    SCORE_DIMENSIONS,
};
use crate::domain::IssueStatus;
use crate::report::residency as rep;

#[derive(Subcommand, Debug)]
pub enum ResidencyCmd {
    /// Rounds (期): add, close, list.
    #[command(subcommand)]
    Round(RoundCmd),
    /// A firm's order for a round (点餐): the departments it wants, or named cadres.
    Order(OrderArgs),
    /// Place a pair of cadres in a firm for a round (配餐).
    Place(PlaceArgs),
    /// Void a placement made by mistake (it stays in the history).
    VoidPlacement(VoidPlacementArgs),
    /// The placements, with each cadre's 五个一 so far.
    Placements(PlacementsArgs),
    /// One placement: its cadres, their checklists, issues and (for admin and supervisors)
    /// the firm's scores.
    Show(ShowArgs),
    /// A round's matching: unmet orders, named cadres not placed where asked, double bookings.
    Match(MatchArgs),
    /// 五个一: a preferential policy matched for the firm, and the amount.
    Policy(PolicyArgs),
    /// 五个一: a suggestion the cadre made.
    Suggestion(SuggestionArgs),
    /// 五个一: the day the cadre worked on the production line.
    LineDay(LineDayArgs),
    /// 五个一: the cadre's experience report was received.
    Experience(ExperienceArgs),
    /// Void a mistaken checklist entry (numbered as `residency show` lists them).
    VoidEntry(VoidEntryArgs),
    /// The firm asks to extend its placement (加期).
    Extend(ExtendArgs),
    /// The firm's score of a cadre (admin): 1–5 on each dimension, and a comment.
    Score(ScoreArgs),
    /// Every cadre's 五个一; --behind: only those still owing items.
    Checklist(ChecklistArgs),
    /// The firms' scores for the organisation department (admin and supervisors).
    Scores(ScoresArgs),
    /// Figures per round and in total, and per unit.
    Report(ReportArgs),
}

#[derive(Subcommand, Debug)]
pub enum RoundCmd {
    /// Set up a round, or change one that is not closed.
    Add(RoundAddArgs),
    /// Close a round: figures final, the firms' scores go out.
    Close(RoundCloseArgs),
    /// List the rounds.
    List(RoundListArgs),
}

#[derive(Args, Debug)]
pub struct RoundAddArgs {
    /// The round's number (第 N 期).
    #[arg(long)]
    no: u32,
    /// First day in the firms, YYYY-MM-DD.
    #[arg(long)]
    start: String,
    /// Last day in the firms (default: two weeks from the start).
    #[arg(long)]
    end: Option<String>,
    /// Who runs it, comma-separated (区委组织部,区工商联).
    #[arg(long)]
    organisers: String,
    /// A title or theme.
    #[arg(long, default_value = "")]
    title: String,
}

#[derive(Args, Debug)]
pub struct RoundCloseArgs {
    /// The round's number.
    #[arg(long)]
    no: u32,
    /// A closing note (recorded in the history).
    #[arg(long, default_value = "")]
    note: String,
}

#[derive(Args, Debug)]
pub struct RoundListArgs {
    /// table: for people; json or csv: for scripts and spreadsheets.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Args, Debug)]
pub struct OrderArgs {
    /// The round's number.
    #[arg(long)]
    round: u32,
    /// Enterprise name, credit code, or a search that finds exactly one.
    #[arg(long)]
    enterprise: String,
    /// Departments wanted, comma-separated (unit ids or names).
    #[arg(long, default_value = "")]
    units: String,
    /// Cadres asked for by name, comma-separated.
    #[arg(long, default_value = "")]
    cadres: String,
    /// What the firm said it needs.
    #[arg(long, default_value = "")]
    needs: String,
    /// Day of the visit (default: today).
    #[arg(long)]
    visited: Option<String>,
}

#[derive(Args, Debug)]
pub struct PlaceArgs {
    /// The round's number.
    #[arg(long)]
    round: u32,
    /// Enterprise name, credit code, or a search that finds exactly one.
    #[arg(long)]
    enterprise: String,
    /// A cadre as NAME/UNIT/RANK (rank optional); give it twice, for the pair.
    #[arg(long, required = true)]
    cadre: Vec<String>,
    /// table: for people; json: for scripts.
    #[arg(long, value_enum, default_value = "table")]
    format: super::issue_cmd::ShowFormat,
}

#[derive(Args, Debug)]
pub struct VoidPlacementArgs {
    /// The placement's number.
    placement: u64,
    /// Why (recorded in the history).
    #[arg(long)]
    reason: String,
}

#[derive(Args, Debug)]
pub struct PlacementsArgs {
    /// Only this round's placements.
    #[arg(long)]
    round: Option<u32>,
    /// Only this firm's placements.
    #[arg(long)]
    enterprise: Option<String>,
    /// table: for people; json or csv: for scripts and spreadsheets.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The placement's number.
    placement: u64,
    /// table: for people; json: for scripts.
    #[arg(long, value_enum, default_value = "table")]
    format: super::issue_cmd::ShowFormat,
}

#[derive(Args, Debug)]
pub struct MatchArgs {
    /// The round's number.
    #[arg(long)]
    round: u32,
    /// table: for people; json: for scripts.
    #[arg(long, value_enum, default_value = "table")]
    format: super::issue_cmd::ShowFormat,
}

/// The placement and cadre an entry is about.
#[derive(Args, Debug)]
pub struct Who {
    /// The placement's number (`residency placements` lists them).
    #[arg(long)]
    placement: u64,
    /// The cadre's name.
    #[arg(long)]
    cadre: String,
}

#[derive(Args, Debug)]
pub struct PolicyArgs {
    #[command(flatten)]
    who: Who,
    /// The policy's name.
    #[arg(long)]
    name: String,
    /// What it brings the firm: yuan (120000) or 万元 (12万).
    #[arg(long, default_value = "0")]
    amount: String,
}

#[derive(Args, Debug)]
pub struct SuggestionArgs {
    #[command(flatten)]
    who: Who,
    /// The suggestion, in the cadre's words.
    #[arg(long)]
    suggestion: String,
}

#[derive(Args, Debug)]
pub struct LineDayArgs {
    #[command(flatten)]
    who: Who,
    /// The day, within the round.
    #[arg(long)]
    date: String,
}

#[derive(Args, Debug)]
pub struct ExperienceArgs {
    #[command(flatten)]
    who: Who,
    /// The report's title.
    #[arg(long)]
    title: String,
}

#[derive(Args, Debug)]
pub struct VoidEntryArgs {
    #[command(flatten)]
    who: Who,
    /// The entry's number, as `residency show` lists it.
    #[arg(long)]
    entry: usize,
    /// Why it is voided (recorded in the history).
    #[arg(long)]
    reason: String,
}

#[derive(Args, Debug)]
pub struct ExtendArgs {
    /// The placement's number.
    #[arg(long)]
    placement: u64,
    /// What the firm said.
    #[arg(long, default_value = "")]
    reason: String,
}

#[derive(Args, Debug)]
pub struct ScoreArgs {
    #[command(flatten)]
    who: Who,
    /// 1–5 for each dimension, comma-separated: attitude, conduct, competence, results.
    #[arg(long)]
    score: String,
    /// The firm's comment.
    #[arg(long, default_value = "")]
    comment: String,
}

#[derive(Args, Debug)]
pub struct ChecklistArgs {
    /// Only this round's cadres.
    #[arg(long)]
    round: Option<u32>,
    /// Only cadres still owing one of the five.
    #[arg(long)]
    behind: bool,
    /// table: for people; json or csv: for scripts and spreadsheets.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Args, Debug)]
pub struct ScoresArgs {
    /// Only this round's scores.
    #[arg(long)]
    round: Option<u32>,
    /// csv (UTF-8 with BOM, for the organisation department), json or table.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// One round only.
    #[arg(long)]
    round: Option<u32>,
    /// md: for people; json or csv: for scripts and spreadsheets.
    #[arg(long, value_enum, default_value = "md")]
    format: ReportFormat,
}

pub fn run(ctx: &mut Ctx, cmd: ResidencyCmd) -> CliResult {
    match cmd {
        ResidencyCmd::Round(RoundCmd::Add(a)) => round_add(ctx, a),
        ResidencyCmd::Round(RoundCmd::Close(a)) => {
            let cmd = Command::CloseRound {
                no: a.no,
                note: a.note,
            };
            said(
                ctx,
                cmd,
                format!("第 {} 期已收官", a.no),
                format!("round {} closed", a.no),
            )
        }
        ResidencyCmd::Round(RoundCmd::List(a)) => round_list(ctx, a),
        ResidencyCmd::Order(a) => order(ctx, a),
        ResidencyCmd::Place(a) => place(ctx, a),
        ResidencyCmd::VoidPlacement(a) => {
            let cmd = Command::VoidPlacement {
                placement: a.placement,
                reason: a.reason,
            };
            said(
                ctx,
                cmd,
                format!("驻企安排 {} 已撤销", a.placement),
                format!("placement {} voided", a.placement),
            )
        }
        ResidencyCmd::Placements(a) => placements(ctx, a),
        ResidencyCmd::Show(a) => show(ctx, a),
        ResidencyCmd::Match(a) => match_round(ctx, a),
        ResidencyCmd::Policy(a) => {
            let amount_fen = parse_amount(&a.amount).ok_or_else(|| {
                ctx.err(DeskError::invalid(
                    "amount",
                    a.amount.trim(),
                    Problem::Rule(RuleProblem::Amount),
                ))
            })?;
            let item = ChecklistItem::Policy {
                name: a.name,
                amount_fen,
            };
            entry(ctx, a.who, item)
        }
        ResidencyCmd::Suggestion(a) => {
            let item = ChecklistItem::Suggestion { text: a.suggestion };
            entry(ctx, a.who, item)
        }
        ResidencyCmd::LineDay(a) => {
            let date = super::date_arg(ctx.lang, "date", &a.date)?;
            entry(ctx, a.who, ChecklistItem::LineDay { date })
        }
        ResidencyCmd::Experience(a) => {
            let item = ChecklistItem::Report { title: a.title };
            entry(ctx, a.who, item)
        }
        ResidencyCmd::VoidEntry(a) => {
            if a.entry == 0 {
                return Err(ctx.err(DeskError::invalid("entry", "0", Problem::Number)));
            }
            let cmd = Command::VoidChecklist {
                placement: a.who.placement,
                cadre: a.who.cadre.clone(),
                index: a.entry - 1,
                reason: a.reason,
            };
            said(
                ctx,
                cmd,
                format!("{} 的第 {} 条记录已作废", a.who.cadre.trim(), a.entry),
                format!("entry {} of {} voided", a.entry, a.who.cadre.trim()),
            )
        }
        ResidencyCmd::Extend(a) => {
            let cmd = Command::RequestExtension {
                placement: a.placement,
                reason: a.reason,
            };
            said(
                ctx,
                cmd,
                format!("已记录驻企安排 {} 的加期申请", a.placement),
                format!("placement {}: extension requested", a.placement),
            )
        }
        ResidencyCmd::Score(a) => score(ctx, a),
        ResidencyCmd::Checklist(a) => checklist(ctx, a),
        ResidencyCmd::Scores(a) => scores(ctx, a),
        ResidencyCmd::Report(a) => report(ctx, a),
    }
}

/// Rows for people (a table, with a closing line) or for a spreadsheet (CSV, the columns in
/// `text` kept as text: credit codes).
fn print_rows(
    format: Format,
    header: &[&str],
    rows: Vec<Vec<String>>,
    text: &[usize],
    caps: &[usize],
    footer: &str,
) -> CliResult {
    if format == Format::Csv {
        let cells: Vec<Vec<Cell>> = rows
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .enumerate()
                    .map(|(k, c)| {
                        if text.contains(&k) {
                            Cell::Text(c)
                        } else {
                            Cell::from(c)
                        }
                    })
                    .collect()
            })
            .collect();
        return out(&csv_out::document(header, &cells));
    }
    let mut s = table(header, &rows, caps);
    s.push_str(footer);
    out(&s)
}

/// Carries out a command and says it was done, in the user's language.
fn said(ctx: &mut Ctx, cmd: Command, zh: String, en: String) -> CliResult {
    execute(ctx, cmd)?;
    out(&format!("{}\n", ctx.pick(&zh, &en)))
}

/// Carries out a command for the account; bad input and refusals as their exit codes.
fn execute(ctx: &mut Ctx, cmd: Command) -> Result<crate::desk::Outcome, CliError> {
    let mut desk = ctx.open_existing()?;
    let now = super::now()?;
    desk.execute_as(&ctx.account, now, cmd, None)
        .map_err(|e| ctx.err(e))
}

fn split_list(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn round_add(ctx: &mut Ctx, a: RoundAddArgs) -> CliResult {
    let start = super::date_arg(ctx.lang, "start", &a.start)?;
    let end = match &a.end {
        Some(e) => Some(super::date_arg(ctx.lang, "end", e)?),
        None => None,
    };
    let cmd = Command::SaveRound {
        round: NewRound {
            no: a.no,
            start,
            end,
            organisers: split_list(&a.organisers),
            title: a.title,
        },
    };
    let o = execute(ctx, cmd)?;
    if let Some(crate::domain::EventKind::RoundSaved { round }) = o.events.first().map(|r| &r.event)
    {
        out(ctx.pick(
            &format!("第 {} 期：{} 至 {}\n", round.no, round.start, round.end),
            &format!("round {}: {} to {}\n", round.no, round.start, round.end),
        ))?;
    }
    Ok(())
}

/// A round as `round list` prints it.
#[derive(Serialize)]
struct RoundRow {
    no: u32,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    organisers: Vec<String>,
    title: String,
    phase: crate::domain::residency::RoundPhase,
    orders: usize,
    placements: usize,
}

fn round_list(ctx: &mut Ctx, a: RoundListArgs) -> CliResult {
    let desk = ctx.open_for(Act::ReadResidency)?;
    let today = super::now()?.date();
    let r = desk.residency_as(&ctx.account);
    let rows: Vec<RoundRow> = r
        .rounds
        .values()
        .map(|k| RoundRow {
            no: k.round.no,
            start: k.round.start,
            end: k.round.end,
            organisers: k.round.organisers.clone(),
            title: k.round.title.clone(),
            phase: k.phase(today),
            orders: r.orders.get(&k.round.no).map_or(0, |o| o.len()),
            placements: r.placements_of(k.round.no).count(),
        })
        .collect();
    let en = ctx.lang.is_en();
    match a.format {
        Format::Json => out(&json(&rows)?),
        Format::Csv | Format::Table => {
            let h = if en {
                vec![
                    "round",
                    "start",
                    "end",
                    "phase",
                    "orders",
                    "placements",
                    "organisers",
                ]
            } else {
                vec!["期次", "开始", "结束", "状态", "点餐", "配餐", "组织单位"]
            };
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.no.to_string(),
                        r.start.to_string(),
                        r.end.to_string(),
                        ctx.pick(r.phase.zh(), r.phase.en()).to_string(),
                        r.orders.to_string(),
                        r.placements.to_string(),
                        r.organisers.join(if en { ", " } else { "、" }),
                    ]
                })
                .collect();
            print_rows(a.format, &h, cells, &[], &[0, 0, 0, 0, 0, 0, 40], "")
        }
    }
}

fn order(ctx: &mut Ctx, a: OrderArgs) -> CliResult {
    let visited = match &a.visited {
        Some(v) => super::date_arg(ctx.lang, "visited", v)?,
        None => super::now()?.date(),
    };
    let code = {
        let desk = ctx.open_existing()?;
        desk.find_enterprise(&a.enterprise)
            .map_err(|e| ctx.err(e))?
            .credit_code
    };
    let cmd = Command::SaveOrder {
        order: NewOrder {
            round: a.round,
            enterprise: code,
            units: split_list(&a.units),
            cadres: split_list(&a.cadres),
            needs: a.needs,
            visited,
        },
    };
    let o = execute(ctx, cmd)?;
    if let Some(crate::domain::EventKind::OrderSaved { order }) = o.events.first().map(|r| &r.event)
    {
        out(ctx.pick(
            &format!(
                "已记录 {} 第 {} 期的点餐\n",
                order.enterprise_name, order.round
            ),
            &format!(
                "order of {} for round {} recorded\n",
                order.enterprise_name, order.round
            ),
        ))?;
    }
    Ok(())
}

fn place(ctx: &mut Ctx, a: PlaceArgs) -> CliResult {
    let mut cadres = vec![];
    for c in &a.cadre {
        cadres.push(parse_cadre(c).map_err(|e| ctx.err(e))?);
    }
    let mut desk = ctx.open_existing()?;
    let now = super::now()?;
    let ent = desk
        .find_enterprise(&a.enterprise)
        .map_err(|e| ctx.err(e))?;
    let cmd = Command::Place {
        round: a.round,
        enterprise: ent.credit_code.clone(),
        cadres,
    };
    let o = desk
        .execute_as(&ctx.account, now, cmd, None)
        .map_err(|e| ctx.err(e))?;
    let id = o.created.unwrap_or_default();
    let warnings = placement_warnings(ctx, &desk, id);
    for w in &warnings {
        warn(&format!("{}{w}", ctx.pick("注意：", "note: ")));
    }
    if a.format == super::issue_cmd::ShowFormat::Json {
        #[derive(Serialize)]
        struct Placed<'a> {
            placement: u64,
            warnings: &'a [String],
        }
        return out(&json(&Placed {
            placement: id,
            warnings: &warnings,
        })?);
    }
    out(ctx.pick(
        &format!("驻企安排 {id}：{} 第 {} 期\n", ent.name, a.round),
        &format!("placement {id}: {}, round {}\n", ent.name, a.round),
    ))
}

/// What the desk should know about a new placement: a cadre placed elsewhere in the round
/// too (double booking), a firm that ordered none or asked for someone else.
fn placement_warnings(ctx: &Ctx, desk: &Desk, id: u64) -> Vec<String> {
    let r = desk.residency();
    let Ok(k) = r.placement(id) else {
        return vec![];
    };
    let p = &k.placement;
    let mut w = vec![];
    for c in &p.cadres {
        let others: Vec<String> = also_placed(&r, p.round, c)
            .into_iter()
            .filter(|o| *o != id)
            .map(|o| o.to_string())
            .collect();
        if !others.is_empty() {
            w.push(
                ctx.pick(
                    &format!(
                        "{} 本期已在驻企安排 {} 中（重复安排）",
                        c.name,
                        others.join("、")
                    ),
                    &format!(
                        "{} is already placed in placement {} this round (double booking)",
                        c.name,
                        others.join(", ")
                    ),
                )
                .to_string(),
            );
        }
    }
    match r.orders.get(&p.round).and_then(|o| o.get(&p.enterprise)) {
        None => w.push(
            ctx.pick(
                "该企业本期没有点餐记录；请先走访并用 `dutydesk residency order` 记录其需求",
                "the firm has no order for this round; visit it and record what it needs with `dutydesk residency order`",
            )
            .to_string(),
        ),
        Some(o) => {
            for name in &o.cadres {
                if !p.cadres.iter().any(|c| &c.name == name) {
                    w.push(ctx.pick(
                        &format!("企业点名要 {name}，本安排中没有"),
                        &format!("the firm asked for {name}, who is not in this pair"),
                    ).to_string());
                }
            }
        }
    }
    w
}

/// A placement as lists print it.
#[derive(Serialize)]
struct PlacementRow {
    id: u64,
    round: u32,
    enterprise: String,
    credit_code: String,
    cadres: Vec<rep::CadreRow>,
    extension: Option<String>,
}

fn status_of(desk: &Desk) -> impl Fn(u64) -> Option<IssueStatus> + '_ {
    move |id| desk.issue(id).ok().map(|i| i.status)
}

fn unit_label(desk: &Desk, u: &str) -> String {
    desk.units.name_of(u, desk.config.lang.is_en()).to_string()
}

fn placements(ctx: &mut Ctx, a: PlacementsArgs) -> CliResult {
    let desk = ctx.open_for(Act::ReadResidency)?;
    let today = super::now()?.date();
    let firm = match &a.enterprise {
        Some(e) => Some(desk.find_enterprise(e).map_err(|e| ctx.err(e))?.credit_code),
        None => None,
    };
    let r = desk.residency_as(&ctx.account);
    let status = status_of(&desk);
    let rows: Vec<PlacementRow> = r
        .placements
        .values()
        .filter(|k| k.voided.is_none())
        .filter(|k| a.round.is_none_or(|n| n == k.placement.round))
        .filter(|k| firm.as_ref().is_none_or(|f| *f == k.placement.enterprise))
        .map(|k| PlacementRow {
            id: k.placement.id,
            round: k.placement.round,
            enterprise: k.placement.enterprise_name.clone(),
            credit_code: k.placement.enterprise.clone(),
            cadres: rep::cadre_rows_of(&r, k, &status, today),
            extension: k.extension.clone(),
        })
        .collect();
    let en = ctx.lang.is_en();
    match a.format {
        Format::Json => out(&json(&rows)?),
        Format::Csv | Format::Table => {
            let h = if en {
                vec![
                    "id",
                    "round",
                    "enterprise",
                    "cadres",
                    "五个一",
                    "open issues",
                    "flags",
                ]
            } else {
                vec![
                    "编号",
                    "期次",
                    "企业",
                    "干部",
                    "五个一",
                    "未办结问题",
                    "标记",
                ]
            };
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|p| {
                    let open: usize = p.cadres.iter().map(|c| c.five_ones.problems_open()).sum();
                    let legacy = p.cadres.iter().any(|c| !c.legacy.is_empty());
                    let mut flags = vec![];
                    if p.extension.is_some() {
                        flags.push(ctx.pick("加期", "extend"));
                    }
                    if legacy {
                        flags.push(ctx.pick("驻企遗留", "legacy"));
                    }
                    vec![
                        p.id.to_string(),
                        p.round.to_string(),
                        p.enterprise.clone(),
                        p.cadres
                            .iter()
                            .map(|c| format!("{}({})", c.name, unit_label(&desk, &c.unit)))
                            .collect::<Vec<_>>()
                            .join(" "),
                        p.cadres
                            .iter()
                            .map(|c| format!("{}/5", c.done))
                            .collect::<Vec<_>>()
                            .join(" "),
                        open.to_string(),
                        flags.join(" "),
                    ]
                })
                .collect();
            let footer = ctx
                .pick(
                    &format!("共 {} 个驻企安排\n", rows.len()),
                    &format!("{} placement(s)\n", rows.len()),
                )
                .to_string();
            print_rows(a.format, &h, cells, &[], &[0, 0, 30, 40, 0, 0, 0], &footer)
        }
    }
}

/// One placement as `residency show --format json` prints it.
#[derive(Serialize)]
struct PlacementDetail<'a> {
    id: u64,
    round: u32,
    enterprise: &'a str,
    credit_code: &'a str,
    placed_at: chrono::NaiveDateTime,
    extension: &'a Option<String>,
    voided: &'a Option<String>,
    cadres: Vec<rep::CadreRow>,
    entries: &'a std::collections::BTreeMap<String, Vec<crate::domain::residency::Entry>>,
    /// Only for admin and supervisors.
    #[serde(skip_serializing_if = "Option::is_none")]
    scores: Option<&'a std::collections::BTreeMap<String, Score>>,
}

fn show(ctx: &mut Ctx, a: ShowArgs) -> CliResult {
    let desk = ctx.open_for(Act::ReadResidency)?;
    let today = super::now()?.date();
    let r = desk.residency_as(&ctx.account);
    let Some(k) = r.placements.get(&a.placement) else {
        return Err(ctx.err(DeskError::Apply(
            crate::domain::residency::ResidencyError::NoPlacement(a.placement).into(),
        )));
    };
    let status = status_of(&desk);
    let cadres = rep::cadre_rows_of(&r, k, &status, today);
    let may_scores = crate::domain::policy::may_read_scores(&ctx.account);
    if a.format == super::issue_cmd::ShowFormat::Json {
        return out(&json(&PlacementDetail {
            id: k.placement.id,
            round: k.placement.round,
            enterprise: &k.placement.enterprise_name,
            credit_code: &k.placement.enterprise,
            placed_at: k.placed_at,
            extension: &k.extension,
            voided: &k.voided,
            cadres,
            entries: &k.entries,
            scores: may_scores.then_some(&k.scores),
        })?);
    }
    let unit_name = |u: &str| unit_label(&desk, u);
    let reader = rep::Reader {
        unit_name: &unit_name,
        status: &status,
        scores: may_scores,
        today,
        lang: ctx.lang,
    };
    let lines = rep::placement_lines(&r, k, &cadres, &reader);
    out(&(lines.join("\n") + "\n"))
}

fn match_round(ctx: &mut Ctx, a: MatchArgs) -> CliResult {
    let desk = ctx.open_for(Act::ManageResidency)?;
    // A copy: naming the firms reads the store, which must not find the programme borrowed.
    let r = desk.residency().clone();
    r.round(a.round)
        .map_err(|e| ctx.err(DeskError::Apply(e.into())))?;
    let m = matching(&r, a.round);
    if a.format == super::issue_cmd::ShowFormat::Json {
        return out(&json(&m)?);
    }
    let name = |code: &str| {
        desk.enterprise_opt(code)
            .map_or_else(|| code.to_string(), |e| e.name.clone())
    };
    let lines = rep::matching_lines(&m, &name, &|u| unit_label(&desk, u), ctx.lang);
    out(&(lines.join("\n") + "\n"))
}

fn entry(ctx: &mut Ctx, who: Who, item: ChecklistItem) -> CliResult {
    let what = match &item {
        ChecklistItem::Policy { .. } => FIVE_ONES[1],
        ChecklistItem::Suggestion { .. } => FIVE_ONES[2],
        ChecklistItem::LineDay { .. } => FIVE_ONES[3],
        ChecklistItem::Report { .. } => FIVE_ONES[4],
    };
    let cmd = Command::RecordChecklist {
        placement: who.placement,
        cadre: who.cadre.clone(),
        item,
    };
    said(
        ctx,
        cmd,
        format!("已记录 {}：{}", who.cadre.trim(), what.0),
        format!("recorded for {}: {}", who.cadre.trim(), what.1),
    )
}

fn score(ctx: &mut Ctx, a: ScoreArgs) -> CliResult {
    // Numbers here; how many and in what range is the desk's rule (`Desk::score`).
    let dims: Option<Vec<u8>> = split_list(&a.score.replace(['/', ' '], ","))
        .iter()
        .map(|d| d.parse().ok())
        .collect();
    let dims = dims.ok_or_else(|| {
        ctx.err(DeskError::invalid(
            "score",
            a.score.trim(),
            Problem::Rule(RuleProblem::Scores),
        ))
    })?;
    let cmd = Command::ScoreCadre {
        placement: a.who.placement,
        cadre: a.who.cadre.clone(),
        score: Score {
            dims,
            comment: a.comment,
        },
    };
    execute(ctx, cmd)?;
    // Back-to-back: the scores are not echoed.
    out(ctx.pick(
        &format!("已录入企业对 {} 的评分\n", a.who.cadre.trim()),
        &format!("the firm's score of {} recorded\n", a.who.cadre.trim()),
    ))
}

fn checklist(ctx: &mut Ctx, a: ChecklistArgs) -> CliResult {
    let desk = ctx.open_for(Act::ReadResidency)?;
    let today = super::now()?.date();
    let r = desk.residency_as(&ctx.account);
    if let Some(n) = a.round {
        r.round(n)
            .map_err(|e| ctx.err(DeskError::Apply(e.into())))?;
    }
    let status = status_of(&desk);
    let mut rows = rep::cadre_rows(&r, a.round, &status, today);
    if a.behind {
        rows.retain(|c| c.done < 5);
        rows.sort_by_key(|c| (c.done, c.round, c.placement));
    }
    let en = ctx.lang.is_en();
    match a.format {
        Format::Json => out(&json(&rows)?),
        Format::Csv | Format::Table => {
            let mut h = if en {
                vec!["round", "placement", "enterprise", "cadre", "unit"]
            } else {
                vec!["期次", "安排", "企业", "干部", "单位"]
            };
            h.extend(rep::five_headers(ctx.lang));
            h.push(ctx.pick("完成", "done"));
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|c| {
                    let mut row = vec![
                        c.round.to_string(),
                        c.placement.to_string(),
                        c.enterprise.clone(),
                        c.name.clone(),
                        unit_label(&desk, &c.unit),
                    ];
                    row.extend(rep::ticks(c));
                    row.push(format!("{}/5", c.done));
                    row
                })
                .collect();
            let footer = ctx
                .pick(
                    &format!("共 {} 名干部（人次）\n", rows.len()),
                    &format!("{} cadre(s)\n", rows.len()),
                )
                .to_string();
            let caps = [0, 0, 24, 0, 16, 0, 0, 0, 0, 0, 0];
            print_rows(a.format, &h, cells, &[], &caps, &footer)
        }
    }
}

/// One score as the organisation department gets it.
#[derive(Serialize)]
struct ScoreRow {
    round: u32,
    placement: u64,
    enterprise: String,
    credit_code: String,
    cadre: String,
    unit: String,
    rank: String,
    scores: Vec<u8>,
    mean: f64,
    comment: String,
}

fn score_rows(desk: &Desk, r: &Residency, round: Option<u32>) -> Vec<ScoreRow> {
    let mut rows = vec![];
    for k in r.placements.values().filter(|k| k.voided.is_none()) {
        if round.is_some_and(|n| n != k.placement.round) {
            continue;
        }
        for c in &k.placement.cadres {
            let Some(s) = k.scores.get(&c.name) else {
                continue;
            };
            rows.push(ScoreRow {
                round: k.placement.round,
                placement: k.placement.id,
                enterprise: k.placement.enterprise_name.clone(),
                credit_code: k.placement.enterprise.clone(),
                cadre: c.name.clone(),
                unit: unit_label(desk, &c.unit),
                rank: c.rank.clone(),
                scores: s.dims.clone(),
                mean: (s.mean() * 100.0).round() / 100.0,
                comment: s.comment.clone(),
            });
        }
    }
    rows
}

fn scores(ctx: &mut Ctx, a: ScoresArgs) -> CliResult {
    let desk = ctx.open_for(Act::ReadScores)?;
    let r = desk.residency().clone();
    if let Some(n) = a.round {
        r.round(n)
            .map_err(|e| ctx.err(DeskError::Apply(e.into())))?;
    }
    let rows = score_rows(&desk, &r, a.round);
    let en = ctx.lang.is_en();
    let mut h: Vec<&str> = if en {
        vec![
            "round",
            "placement",
            "enterprise",
            "credit_code",
            "cadre",
            "unit",
            "rank",
        ]
    } else {
        vec![
            "期次",
            "安排",
            "企业",
            "统一社会信用代码",
            "干部",
            "单位",
            "职级",
        ]
    };
    h.extend(SCORE_DIMENSIONS.iter().map(|d| if en { d.1 } else { d.0 }));
    h.push(ctx.pick("平均分", "mean"));
    h.push(ctx.pick("评语", "comment"));
    if a.format == Format::Json {
        return out(&json(&rows)?);
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|s| {
            let mut row = vec![
                s.round.to_string(),
                s.placement.to_string(),
                s.enterprise.clone(),
                s.credit_code.clone(),
                s.cadre.clone(),
                s.unit.clone(),
                s.rank.clone(),
            ];
            row.extend(s.scores.iter().map(|d| d.to_string()));
            row.push(format!("{:.2}", s.mean));
            row.push(s.comment.clone());
            row
        })
        .collect();
    print_rows(a.format, &h, cells, &[3], &[], "")
}

fn report(ctx: &mut Ctx, a: ReportArgs) -> CliResult {
    let desk = ctx.open_for(Act::ReadResidency)?;
    let today = super::now()?.date();
    let r = desk.residency_as(&ctx.account);
    if let Some(n) = a.round {
        r.round(n)
            .map_err(|e| ctx.err(DeskError::Apply(e.into())))?;
    }
    let status = status_of(&desk);
    let report = rep::build(&r, a.round, &status, today, &|u| unit_label(&desk, u));
    match a.format {
        ReportFormat::Md => out(&rep::markdown(&report, ctx.lang)),
        ReportFormat::Json => out(&json(&report)?),
        ReportFormat::Csv => {
            let (h, rows) = rep::csv_rows(&report, ctx.lang);
            let cells: Vec<Vec<Cell>> = rows
                .into_iter()
                .map(|r| r.into_iter().map(Cell::from).collect())
                .collect();
            out(&csv_out::document(&h, &cells))
        }
    }
}
