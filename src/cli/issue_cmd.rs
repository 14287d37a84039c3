//! `dutydesk issue add|assign|transfer|return|contact|reply|resolve|evaluate|reopen|void|
//! supervise|note|list|show`.

use clap::{Args, Subcommand};

use super::csv_out::{self, Cell, Column};
use super::output::table;
use super::{json, out, CliError, CliResult, Ctx, Format};
use crate::desk::{Command, Desk, DeskError, IssueFilter, IssueView, NewIssue, Outcome, Problem};
use crate::desk::{Sort, SortKeys};
use crate::domain::deadline::{due_mark, provisional_mark, provisional_note};
use crate::domain::policy::Act;
use crate::domain::{
    phone, Channel, DueSpec, Evaluation, EventKind, IssueStatus, Recorded, SupervisionLevel,
};
use crate::i18n::Lang;

#[derive(Subcommand, Debug)]
pub enum IssueCmd {
    /// Log a new issue (问题登记).
    Add(AddArgs),
    /// Hand an issue to a lead unit (交办).
    Assign {
        /// The issue's number (12 or #12).
        id: String,
        /// Unit id or name.
        unit: String,
        /// Helping units (协办), comma-separated.
        #[arg(long, default_value = "")]
        helpers: String,
        /// Why (kept in the issue's history).
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// Move an issue to another unit (转办), with a reason.
    Transfer {
        /// The issue's number (12 or #12).
        id: String,
        /// The unit taking it over: its id or its name.
        unit: String,
        /// Why (kept in the issue's history).
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// The unit holding the issue signs for it (签收): it has received the assignment.
    Receive {
        /// The issue's number (12 or #12).
        id: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// The unit hands the issue back to the desk (退回), with a reason.
    Return {
        /// The issue's number (12 or #12).
        id: String,
        /// Why (kept in the issue's history).
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// Record that the unit contacted the enterprise (对接).
    Contact {
        /// The issue's number (12 or #12).
        id: String,
        /// A note for the issue's history.
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// Record the unit's reply with the outcome (答复).
    Reply {
        /// The issue's number (12 or #12).
        id: String,
        /// The unit's reply: what was done and the outcome.
        #[arg(long, default_value = "")]
        text: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// Close a replied issue (办结销号).
    Resolve {
        /// The issue's number (12 or #12).
        id: String,
        /// A note for the issue's history.
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// Record the enterprise's evaluation (1–5 each; a score ≤ 2 needs a comment and reopens).
    Evaluate {
        /// The issue's number (12 or #12).
        id: String,
        /// 政府亲近度
        #[arg(long)]
        closeness: String,
        /// 政府清廉度
        #[arg(long)]
        integrity: String,
        /// 亲清满意度
        #[arg(long)]
        satisfaction: String,
        /// The enterprise's words (required when a score is 2 or less).
        #[arg(long, default_value = "")]
        comment: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// Reopen a closed issue, with a reason.
    Reopen {
        /// The issue's number (12 or #12).
        id: String,
        /// Why (kept in the issue's history).
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// Void an issue, with a reason (it stays in the history).
    Void {
        /// The issue's number (12 or #12).
        id: String,
        /// Why (kept in the issue's history).
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// Put an issue under supervision (督办), with a reason, a level and an optional due
    /// date; given again, it changes the level or the due date.
    Supervise {
        /// The issue's number (12 or #12).
        id: String,
        /// Why (kept in the issue's history).
        #[arg(long, default_value = "")]
        reason: String,
        /// general (一般督办) | key (重点督办) | escalated (提级督办)
        #[arg(long, default_value = "general")]
        level: String,
        /// The day it must be done by (YYYY-MM-DD, after today), or a number of working days.
        #[arg(long)]
        due: Option<String>,
        #[command(flatten)]
        shown: Shown,
    },
    /// Add a note to an issue's history.
    Note {
        /// The issue's number (12 or #12).
        id: String,
        /// The note.
        #[arg(long, default_value = "")]
        text: String,
        #[command(flatten)]
        shown: Shown,
    },
    /// List issues.
    List(ListArgs),
    /// Show one issue with its full history.
    Show {
        /// The issue's number (12 or #12).
        id: String,
        #[command(flatten)]
        shown: Shown,
    },
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// Enterprise name, credit code, or a search that finds exactly one (with --placement:
    /// the placement's firm, which it defaults to).
    #[arg(long, default_value = "")]
    enterprise: String,
    /// Raised by a cadre in this residency placement (四帮一体验): the issue is logged with
    /// channel 驻企干部 and linked to the placement and --cadre.
    #[arg(long, requires = "cadre")]
    placement: Option<u64>,
    /// The cadre of --placement who raised it.
    #[arg(long, requires = "placement")]
    cadre: Option<String>,
    /// The kind of problem (融资信贷, 用地用房, …: one of the configured categories).
    #[arg(long)]
    category: String,
    /// Description of the problem.
    #[arg(long)]
    text: String,
    /// walk-in | phone | meeting | online | inspection-report | residency (with --placement)
    #[arg(long, default_value = "walk-in")]
    channel: String,
    /// The enterprise's contact person for this issue.
    #[arg(long, default_value = "")]
    contact: String,
    /// The contact's phone (mobile or landline).
    #[arg(long, default_value = "")]
    phone: String,
    #[command(flatten)]
    shown: Shown,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// logged | assigned | in_progress | replied | closed | voided | open
    #[arg(long)]
    status: Option<String>,
    /// Unit id or name.
    #[arg(long)]
    unit: Option<String>,
    /// Only VIP key enterprises' issues.
    #[arg(long)]
    vip: bool,
    /// Only issues past the deadline they wait on.
    #[arg(long)]
    overdue: bool,
    /// Only issues under supervision (督办).
    #[arg(long)]
    supervised: bool,
    /// Supervised, with the due date passed.
    #[arg(long)]
    supervision_overdue: bool,
    /// Flagged for escalation (提级督办: reopened or transferred 3 times or more).
    #[arg(long)]
    escalated: bool,
    /// Callbacks due (待回访): replied issues awaiting the enterprise's evaluation, the oldest
    /// reply first.
    #[arg(long)]
    callbacks: bool,
    /// Only 驻企遗留: issues raised in a residency placement, still open after the round.
    #[arg(long)]
    legacy: bool,
    /// Category, as in config.toml.
    #[arg(long)]
    category: Option<String>,
    /// walk-in | phone | meeting | online | inspection-report
    #[arg(long)]
    channel: Option<String>,
    /// Logged on or after this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Logged on or before this day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// deadline | age | enterprise (pinyin order); by number when not given.
    #[arg(long)]
    sort: Option<String>,
    /// The enterprise by name, pinyin or initials (as at intake: `cqdk`), credit code, or
    /// text in the category or description, or the issue's number.
    #[arg(long)]
    text: Option<String>,
    /// table: for people; json or csv: for scripts and spreadsheets.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Print phone numbers in full (masked as 138****5678 by default).
    #[arg(long)]
    show_pii: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShowFormat {
    Table,
    Json,
}

/// How one issue is printed: a line or table for people, JSON for scripts; phones masked
/// (138****5678) unless `--show-pii`.
#[derive(Args, Debug, Clone, Copy)]
pub struct Shown {
    /// table: for people; json: for scripts.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ShowFormat,
    /// Print phone numbers in full (masked as 138****5678 by default).
    #[arg(long)]
    pub show_pii: bool,
}

/// Masks the phone of an issue's view (the default for every output).
pub fn mask_view(v: &mut IssueView) {
    v.phone = phone::mask(&v.phone);
}

/// Masks the phones an event carries (an issue's history as printed).
pub fn mask_event(e: &mut EventKind) {
    match e {
        EventKind::IssueLogged { phone: p, .. } => *p = phone::mask(p),
        EventKind::EnterpriseSaved { enterprise } => {
            enterprise.phone = phone::mask(&enterprise.phone)
        }
        _ => {}
    }
}

fn parse_id(ctx: &Ctx, s: &str) -> Result<u64, CliError> {
    s.trim()
        .trim_start_matches('#')
        .parse::<u64>()
        .map_err(|_| ctx.err(DeskError::invalid("id", s, Problem::Number)))
}

pub fn run(ctx: &mut Ctx, cmd: IssueCmd) -> CliResult {
    match cmd {
        IssueCmd::List(a) => list(ctx, a),
        IssueCmd::Show { id, shown } => {
            let id = parse_id(ctx, &id)?;
            let desk = ctx.open_for(Act::ReadIssues)?;
            let now = super::now()?;
            let issue = desk.issue(id).map_err(|e| ctx.err(e))?;
            if !crate::domain::policy::can_see(&ctx.account, &issue) {
                return Err(refused_issue(ctx, id));
            }
            let mut history = desk.history(id).map_err(|e| ctx.err(e))?;
            let mut v = desk.view(&issue, now.date());
            if !shown.show_pii {
                mask_view(&mut v);
                for r in &mut history {
                    mask_event(&mut r.event);
                }
            }
            show(ctx, &desk, &v, &history, shown.format)
        }
        IssueCmd::Add(a) => {
            let channel = Channel::parse(&a.channel).ok_or_else(|| {
                ctx.err(DeskError::invalid(
                    "channel",
                    &a.channel,
                    Problem::OneOf(
                        Channel::ALL
                            .iter()
                            .map(|c| format!("{} ({})", c.key(), c.zh()))
                            .collect(),
                    ),
                ))
            })?;
            let mut desk = ctx.open_existing()?;
            let now = super::now()?;
            let enterprise = if a.placement.is_some() && a.enterprise.trim().is_empty() {
                String::new()
            } else {
                desk.find_enterprise(&a.enterprise)
                    .map_err(|e| ctx.err(e))?
                    .credit_code
            };
            let issue = NewIssue {
                enterprise,
                category: a.category,
                channel,
                contact_name: a.contact,
                phone: a.phone,
                description: a.text,
            };
            let cmd = match (a.placement, a.cadre) {
                (Some(placement), Some(cadre)) => Command::LogResidencyIssue {
                    issue,
                    placement,
                    cadre,
                },
                _ => Command::LogIssue { issue },
            };
            let o = desk
                .execute_as(&ctx.account, now, cmd, None)
                .map_err(|e| ctx.err(e))?;
            done(ctx, &desk, o, a.shown, now)
        }
        other => {
            let (id, cmd, shown) = op_command(ctx, other)?;
            let mut desk = ctx.open_existing()?;
            let now = super::now()?;
            let cmd = cmd(id);
            let o = desk
                .execute_as(&ctx.account, now, cmd, None)
                .map_err(|e| ctx.issue_err(e, id))?;
            done(ctx, &desk, o, shown, now)
        }
    }
}

type MakeCommand = Box<dyn FnOnce(u64) -> Command>;

/// Another unit's issue, asked for by a unit account (exit 3).
fn refused_issue(ctx: &Ctx, id: u64) -> CliError {
    let r = crate::domain::policy::Refusal {
        account: ctx.account.name.clone(),
        role: ctx.account.role,
        act: Act::ReadIssues,
        issue: Some(id),
    };
    CliError::Refused(crate::desk::refusal_message(&r, ctx.lang))
}

/// Turns a lifecycle subcommand into its desk command.
fn op_command(ctx: &Ctx, cmd: IssueCmd) -> Result<(u64, MakeCommand, Shown), CliError> {
    let score = |name: &'static str, s: &str| -> Result<u8, CliError> {
        s.trim().parse::<u8>().map_err(|_| {
            ctx.err(DeskError::invalid(
                "evaluation",
                s,
                Problem::OneOf(vec![format!("--{name} 1..5")]),
            ))
        })
    };
    Ok(match cmd {
        IssueCmd::Assign {
            id,
            unit,
            helpers,
            reason,
            shown,
        } => {
            let helpers: Vec<String> = helpers
                .split([',', '，', ';'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            (
                parse_id(ctx, &id)?,
                Box::new(move |id| Command::Assign {
                    id,
                    unit,
                    helpers,
                    reason,
                }),
                shown,
            )
        }
        IssueCmd::Transfer {
            id,
            unit,
            reason,
            shown,
        } => (
            parse_id(ctx, &id)?,
            Box::new(move |id| Command::Transfer {
                id,
                to: unit,
                reason,
            }),
            shown,
        ),
        IssueCmd::Receive { id, shown } => (
            parse_id(ctx, &id)?,
            Box::new(move |id| Command::Receive { id }),
            shown,
        ),
        IssueCmd::Return { id, reason, shown } => (
            parse_id(ctx, &id)?,
            Box::new(move |id| Command::Return { id, reason }),
            shown,
        ),
        IssueCmd::Contact { id, note, shown } => (
            parse_id(ctx, &id)?,
            Box::new(move |id| Command::RecordContact { id, note }),
            shown,
        ),
        IssueCmd::Reply { id, text, shown } => (
            parse_id(ctx, &id)?,
            Box::new(move |id| Command::Reply { id, text }),
            shown,
        ),
        IssueCmd::Resolve { id, note, shown } => (
            parse_id(ctx, &id)?,
            Box::new(move |id| Command::Resolve { id, note }),
            shown,
        ),
        IssueCmd::Evaluate {
            id,
            closeness,
            integrity,
            satisfaction,
            comment,
            shown,
        } => {
            let evaluation = Evaluation {
                closeness: score("closeness", &closeness)?,
                integrity: score("integrity", &integrity)?,
                satisfaction: score("satisfaction", &satisfaction)?,
                comment,
            };
            (
                parse_id(ctx, &id)?,
                Box::new(move |id| Command::Evaluate { id, evaluation }),
                shown,
            )
        }
        IssueCmd::Reopen { id, reason, shown } => (
            parse_id(ctx, &id)?,
            Box::new(move |id| Command::Reopen { id, reason }),
            shown,
        ),
        IssueCmd::Void { id, reason, shown } => (
            parse_id(ctx, &id)?,
            Box::new(move |id| Command::Void { id, reason }),
            shown,
        ),
        IssueCmd::Supervise {
            id,
            reason,
            level,
            due,
            shown,
        } => {
            let level = SupervisionLevel::parse(&level).ok_or_else(|| {
                ctx.err(DeskError::invalid(
                    "level",
                    &level,
                    Problem::OneOf(
                        SupervisionLevel::ALL
                            .iter()
                            .map(|l| format!("{} ({})", l.key(), l.zh()))
                            .collect(),
                    ),
                ))
            })?;
            let due = match due.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                Some(d) => Some(
                    DueSpec::parse(d)
                        .ok_or_else(|| ctx.err(DeskError::invalid("due", d, Problem::Due)))?,
                ),
                None => None,
            };
            (
                parse_id(ctx, &id)?,
                Box::new(move |id| Command::SuperviseAt {
                    id,
                    reason,
                    level,
                    due,
                }),
                shown,
            )
        }
        IssueCmd::Note { id, text, shown } => (
            parse_id(ctx, &id)?,
            Box::new(move |id| Command::AddNote { id, text }),
            shown,
        ),
        IssueCmd::Add(_) | IssueCmd::List(_) | IssueCmd::Show { .. } => {
            unreachable!("handled in run")
        }
    })
}

/// Prints the result of a change: one line for people (with the id first), or the issue JSON.
fn done(ctx: &Ctx, desk: &Desk, o: Outcome, shown: Shown, now: chrono::NaiveDateTime) -> CliResult {
    let Some(issue) = o.issue else { return Ok(()) };
    let mut v = desk.view(&issue, now.date());
    if !shown.show_pii {
        mask_view(&mut v);
    }
    if issue.provisional() && o.created.is_some() {
        let cal = &desk.calendar;
        super::warn(&super::calendar_cmd::beyond_warning(ctx, cal));
    }
    let mark = |due| {
        due_mark(
            &desk.calendar,
            v.provisional,
            v.logged_at.date(),
            due,
            ctx.lang,
        )
    };
    if shown.format == ShowFormat::Json {
        return out(&json(&v)?);
    }
    let ev = o.events.first().map(|r| r.event.name()).unwrap_or("");
    let line = if ctx.lang.is_en() {
        let unit = if v.unit.is_empty() {
            String::new()
        } else {
            format!(", unit {}", v.unit)
        };
        match ev {
            "issue_logged" => format!(
                "{} logged: {} — contact due {}{}, reply due {}{} (working days)\n{}",
                v.id,
                super::output::clean(&v.enterprise),
                v.contact_due,
                mark(v.contact_due),
                v.reply_due,
                mark(v.reply_due),
                suggestion(ctx, desk, &v)
            ),
            _ => format!(
                "{} {}: status {}{unit}\n",
                v.id,
                ev.replace('_', " "),
                v.status
            ),
        }
    } else {
        let unit = if v.unit.is_empty() {
            String::new()
        } else {
            format!("，主办单位 {}", v.unit)
        };
        match ev {
            "issue_logged" => format!(
                "{} 已登记：{} —— 对接期限 {}{}（{} 个工作日），答复期限 {}{}（{} 个工作日）\n{}",
                v.id,
                super::output::clean(&v.enterprise),
                v.contact_due,
                mark(v.contact_due),
                desk.config.deadlines.contact_days,
                v.reply_due,
                mark(v.reply_due),
                desk.config.deadlines.reply_days,
                suggestion(ctx, desk, &v)
            ),
            _ => format!(
                "{} {}：当前状态 {}{unit}\n",
                v.id,
                o.events.first().map_or("", |r| r.event.zh()),
                issue.status.zh()
            ),
        }
    };
    out(&line)
}

/// The line after logging that names the unit the configuration suggests for the category
/// and the command that assigns it (nothing is assigned without the officer).
fn suggestion(ctx: &Ctx, desk: &Desk, v: &IssueView) -> String {
    let Some(u) = v.suggested_unit.as_deref() else {
        return String::new();
    };
    let name = desk.units.name_of(u, ctx.lang.is_en());
    if ctx.lang.is_en() {
        format!(
            "suggested unit: {name} (`dutydesk issue assign {} {u}`)\n",
            v.id
        )
    } else {
        format!("建议交办：{name}（`dutydesk issue assign {} {u}`）\n", v.id)
    }
}

/// A day given on the command line, or a message naming the option.
fn date_arg(
    ctx: &Ctx,
    field: &'static str,
    v: Option<&str>,
) -> Result<Option<chrono::NaiveDate>, CliError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(d) => crate::calendar::parse_date(d)
            .map(Some)
            .ok_or_else(|| ctx.err(DeskError::invalid(field, d, Problem::Date))),
    }
}

fn list(ctx: &mut Ctx, a: ListArgs) -> CliResult {
    let (status, open_only) = match a.status.as_deref().map(str::trim) {
        None | Some("") => (None, false),
        Some("open") | Some("未办结") => (None, true),
        Some(s) => match IssueStatus::parse(s) {
            Some(st) => (Some(st), false),
            None => {
                let mut opts: Vec<String> = IssueStatus::ALL
                    .iter()
                    .map(|s| format!("{} ({})", s.key(), s.zh()))
                    .collect();
                opts.push("open".into());
                return Err(ctx.err(DeskError::invalid("status", s, Problem::OneOf(opts))));
            }
        },
    };
    // 驻企遗留 are open by definition: only the open work is read.
    let open_only = open_only || a.legacy;
    let desk = ctx.open_for(Act::ReadIssues)?;
    if let Some(u) = &a.unit {
        if desk.units.find(u).is_none() {
            return Err(ctx.err(DeskError::invalid(
                "unit",
                u,
                Problem::OneOf(
                    desk.units
                        .units
                        .iter()
                        .map(|u| format!("{} ({})", u.id, u.name))
                        .collect(),
                ),
            )));
        }
    }
    let channel = match a
        .channel
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) => Some(Channel::parse(c).ok_or_else(|| {
            ctx.err(DeskError::invalid(
                "channel",
                c,
                Problem::OneOf(
                    Channel::ALL
                        .iter()
                        .map(|c| format!("{} ({})", c.key(), c.zh()))
                        .collect(),
                ),
            ))
        })?),
        None => None,
    };
    let category = match a
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) if desk.config.categories.iter().any(|k| k == c) => Some(c.to_string()),
        Some(c) => {
            return Err(ctx.err(DeskError::invalid(
                "category",
                c,
                Problem::OneOf(desk.config.categories.clone()),
            )))
        }
        None => None,
    };
    let from = date_arg(ctx, "from", a.from.as_deref())?;
    let to = date_arg(ctx, "to", a.to.as_deref())?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(CliError::BadInput(if ctx.lang.is_en() {
                format!("--from {f} is after --to {t}: give the earlier day first")
            } else {
                format!("起始日期 {f} 晚于截止日期 {t}；请把较早的日期写在 --from")
            }));
        }
    }
    let sort = match a.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(Sort::parse(s).ok_or_else(|| {
            ctx.err(DeskError::invalid(
                "sort",
                s,
                Problem::OneOf(
                    Sort::ALL
                        .iter()
                        .map(|k| format!("{} ({})", k.key(), k.zh()))
                        .collect(),
                ),
            ))
        })?),
        None => None,
    };
    let now = super::now()?;
    let today = now.date();
    let filter = IssueFilter {
        status,
        open_only,
        unit: a.unit,
        vip: a.vip,
        overdue: a.overdue,
        supervised: a.supervised,
        supervision_overdue: a.supervision_overdue,
        escalated: a.escalated,
        category,
        channel,
        from,
        to,
        text: a.text,
    };
    let mut issues = desk.issues(&filter, today).map_err(|e| ctx.err(e))?;
    // A unit sees the issues it holds or helps on, and no others.
    issues.retain(|i| crate::domain::policy::can_see(&ctx.account, i));
    // Callbacks: the desk's queue (oldest reply first) within what the filter keeps.
    let waited: std::collections::HashMap<u64, i64> = if a.callbacks {
        let due = desk.callbacks_due(today);
        let order: std::collections::HashMap<u64, usize> = due
            .iter()
            .enumerate()
            .map(|(k, c)| (c.issue.id, k))
            .collect();
        issues.retain(|i| order.contains_key(&i.id));
        issues.sort_by_key(|i| order[&i.id]);
        due.into_iter()
            .map(|c| (c.issue.id, c.workdays_since_reply))
            .collect()
    } else {
        Default::default()
    };
    if let Some(sort) = sort {
        sort.order(
            &mut issues,
            &desk.calendar,
            today,
            &mut SortKeys::default(),
            |i| i,
        );
    }
    let mut views: Vec<IssueView> = issues
        .into_iter()
        .map(|i| IssueView::of(i, &desk, today))
        .collect();
    if a.legacy {
        views.retain(|v| v.residency.as_ref().is_some_and(|r| r.legacy));
    }
    if !a.show_pii {
        views.iter_mut().for_each(mask_view);
    }
    match a.format {
        Format::Json if a.callbacks => {
            let rows: Vec<serde_json::Value> = views
                .iter()
                .map(|v| {
                    let mut j = serde_json::to_value(v).unwrap_or_default();
                    j["workdays_since_reply"] = waited.get(&v.id).copied().unwrap_or(0).into();
                    j
                })
                .collect();
            out(&json(&rows)?)
        }
        Format::Json => out(&json(&views)?),
        Format::Csv => {
            let lang = ctx.lang;
            let rows: Vec<Vec<Cell>> = views.iter().map(|v| csv_row(v, &desk, lang)).collect();
            out(&csv_out::document(
                &csv_out::header(lang, &CSV_COLUMNS),
                &rows,
            ))
        }
        Format::Table => {
            let lang = ctx.lang;
            let mut rows: Vec<Vec<String>> = views
                .iter()
                .map(|v| table_row(v, &desk.calendar, lang))
                .collect();
            let mut h = if lang.is_en() {
                vec!["id", "status", "enterprise", "unit", "next due", "flags"]
            } else {
                vec!["编号", "状态", "企业", "主办单位", "下一期限", "标记"]
            };
            let mut widths = vec![0, 0, 30, 16, 0, 0];
            if a.callbacks {
                h.push(lang.pick("答复后工作日", "workdays since reply"));
                widths.push(0);
                for (r, v) in rows.iter_mut().zip(&views) {
                    r.push(waited.get(&v.id).copied().unwrap_or(0).to_string());
                }
            }
            let mut s = table(&h, &rows, &widths);
            s.push_str(&if lang.is_en() {
                format!("{} issue(s)\n", views.len())
            } else {
                format!("共 {} 条\n", views.len())
            });
            if rows.iter().any(|r| r[4].ends_with(provisional_mark(lang))) {
                s.push_str(provisional_note(lang));
                s.push('\n');
            }
            out(&s)
        }
    }
}

/// The `issue list --format csv` columns, in order (a contract for spreadsheets and scripts).
pub const CSV_COLUMNS: [Column; 19] = [
    ("编号", "id"),
    ("企业", "enterprise"),
    ("统一社会信用代码", "credit_code"),
    ("重点企业", "vip"),
    ("主办单位", "unit"),
    ("状态", "status"),
    ("问题类别", "category"),
    ("来源渠道", "channel"),
    ("联系人", "contact"),
    ("联系电话", "phone"),
    ("登记时间", "logged_at"),
    ("对接期限", "contact_due"),
    ("答复期限", "reply_due"),
    ("超期", "overdue"),
    ("督办", "supervised"),
    ("督办级别", "supervision_level"),
    ("督办期限", "supervision_due"),
    ("提级督办", "escalation"),
    ("期限暂定", "provisional"),
];

/// One issue as words in `lang`: the unit by its name, the status and channel by theirs.
fn csv_row(v: &IssueView, desk: &Desk, lang: Lang) -> Vec<Cell> {
    let en = lang.is_en();
    let status = IssueStatus::parse(v.status).map_or(v.status, |s| lang.pick(s.zh(), s.en()));
    let channel = Channel::parse(v.channel).map_or(v.channel, |c| lang.pick(c.zh(), c.key()));
    let unit = v
        .unit_id
        .as_deref()
        .map(|u| desk.units.name_of(u, en).to_string())
        .unwrap_or_default();
    vec![
        v.id.to_string().into(),
        v.enterprise.as_str().into(),
        Cell::Text(v.credit_code.clone()),
        csv_out::yes_no(v.vip, lang),
        unit.into(),
        status.into(),
        v.category.as_str().into(),
        channel.into(),
        v.contact.as_str().into(),
        Cell::Text(v.phone.clone()),
        csv_out::datetime(v.logged_at),
        csv_out::date(v.contact_due),
        csv_out::date(v.reply_due),
        csv_out::yes_no(v.overdue, lang),
        csv_out::yes_no(v.supervised, lang),
        v.supervision_level
            .map_or("", |l| lang.pick(l.zh(), l.en()))
            .into(),
        v.supervision_due
            .map_or(Cell::Plain(String::new()), csv_out::date),
        v.escalation.map(|e| e.text(en)).unwrap_or_default().into(),
        csv_out::yes_no(v.provisional, lang),
    ]
}

fn table_row(v: &IssueView, cal: &crate::calendar::Calendar, lang: Lang) -> Vec<String> {
    let status = IssueStatus::parse(v.status)
        .map(|s| lang.pick(s.zh(), s.en()).to_string())
        .unwrap_or_default();
    let mut flags: Vec<String> = Vec::new();
    if v.vip {
        flags.push("VIP".into());
    }
    if v.overdue {
        flags.push(lang.pick("超期", "OVERDUE").into());
    }
    if let Some(l) = v.supervision_level {
        flags.push(if lang.is_en() {
            format!("supervised ({})", l.en())
        } else {
            l.zh().into()
        });
    }
    if v.supervision_overdue {
        flags.push(lang.pick("督办超期", "SUPERVISION OVERDUE").into());
    }
    if v.escalation.is_some() {
        flags.push(lang.pick("提级督办", "ESCALATE").into());
    }
    if v.residency.as_ref().is_some_and(|r| r.legacy) {
        flags.push(lang.pick("驻企遗留", "RESIDENCY LEGACY").into());
    }
    vec![
        v.id.to_string(),
        status,
        v.enterprise.clone(),
        v.unit.clone(),
        v.next_due
            .map(|d| {
                format!(
                    "{d}{}",
                    due_mark(cal, v.provisional, v.logged_at.date(), d, lang)
                )
            })
            .unwrap_or_default(),
        flags.join(" "),
    ]
}

fn show(
    ctx: &Ctx,
    desk: &Desk,
    v: &IssueView,
    history: &[Recorded],
    format: ShowFormat,
) -> CliResult {
    if format == ShowFormat::Json {
        let mut j = serde_json::to_value(v).map_err(|e| CliError::Failed(e.to_string()))?;
        j["history"] =
            serde_json::to_value(history).map_err(|e| CliError::Failed(e.to_string()))?;
        return out(&json(&j)?);
    }
    let en = ctx.lang.is_en();
    let clean = super::output::clean;
    let status = IssueStatus::parse(v.status)
        .map(|s| ctx.lang.pick(s.zh(), s.en()).to_string())
        .unwrap_or_default();
    let mut s = String::new();
    let row = |s: &mut String, k: &str, val: &str| s.push_str(&format!("{k}: {}\n", clean(val)));
    row(
        &mut s,
        &format!("{} {}", ctx.pick("问题", "Issue"), v.id),
        &status,
    );
    row(
        &mut s,
        ctx.pick("企业", "Enterprise"),
        &format!(
            "{} ({}){}",
            v.enterprise,
            v.credit_code,
            if v.vip { " VIP" } else { "" }
        ),
    );
    row(&mut s, ctx.pick("类别", "Category"), &v.category);
    row(
        &mut s,
        ctx.pick("联系人", "Contact"),
        &format!("{} {}", v.contact, v.phone),
    );
    row(&mut s, ctx.pick("主办单位", "Unit"), &v.unit);
    if !v.helpers.is_empty() {
        row(
            &mut s,
            ctx.pick("协办单位", "Helping"),
            &v.helpers.join(", "),
        );
    }
    row(
        &mut s,
        ctx.pick("登记", "Logged"),
        &format!("{} {}", v.logged_at.format("%Y-%m-%d %H:%M"), v.logged_by),
    );
    let mark = |due| {
        due_mark(
            &desk.calendar,
            v.provisional,
            v.logged_at.date(),
            due,
            ctx.lang,
        )
    };
    row(
        &mut s,
        ctx.pick("对接期限", "Contact due"),
        &format!("{}{}", v.contact_due, mark(v.contact_due)),
    );
    row(
        &mut s,
        ctx.pick("答复期限", "Reply due"),
        &format!("{}{}", v.reply_due, mark(v.reply_due)),
    );
    if v.provisional {
        s.push_str(provisional_note(ctx.lang));
        s.push('\n');
    }
    if v.overdue {
        row(
            &mut s,
            ctx.pick("状态", "State"),
            ctx.pick("已超期", "OVERDUE"),
        );
    }
    if let Some(l) = v.supervision_level {
        let due = match v.supervision_due {
            Some(d) if v.supervision_overdue => format!(
                "{}{d}{}",
                ctx.pick("，期限 ", ", due "),
                ctx.pick("（已超期）", " (OVERDUE)")
            ),
            Some(d) => format!("{}{d}", ctx.pick("，期限 ", ", due ")),
            None => String::new(),
        };
        row(
            &mut s,
            ctx.pick("督办", "Supervised"),
            &format!("{}{due}", ctx.pick(l.zh(), l.en())),
        );
    }
    if let Some(e) = v.escalation {
        row(&mut s, ctx.pick("提级", "Escalation"), &e.text(en));
    }
    if let Some(r) = &v.residency {
        let unit = desk.units.name_of(&r.cadre_unit, en);
        let legacy = if r.legacy {
            ctx.pick(
                " · 驻企遗留：驻企已结束，办结前由其持续跟进",
                " · residency legacy: the round is over; they follow it up until closed",
            )
        } else {
            ""
        };
        let text = if en {
            format!(
                "round {}, placement {}, raised by {} ({unit}){legacy}",
                r.round, r.placement, r.cadre
            )
        } else {
            format!(
                "第 {} 期驻企安排 {}，{}（{unit}）收集{legacy}",
                r.round, r.placement, r.cadre
            )
        };
        row(&mut s, ctx.pick("驻企", "Residency"), &text);
    }
    if let Some(u) = v.suggested_unit.as_deref() {
        row(
            &mut s,
            ctx.pick("建议交办", "Suggested unit"),
            desk.units.name_of(u, en),
        );
    }
    row(&mut s, ctx.pick("描述", "Description"), &v.description);
    s.push_str(&format!("\n{}\n", ctx.pick("历史记录", "History")));
    for r in history {
        let name = r.event.name();
        let what = if en {
            name.replace('_', " ")
        } else {
            r.event.zh().to_string()
        };
        s.push_str(&format!(
            "  {}  {}  {}  {}\n",
            r.at.format("%Y-%m-%d %H:%M"),
            clean(&r.by),
            what,
            clean(&r.event.detail(&|u| desk.units.name_of(u, en).to_string()))
        ));
    }
    out(&s)
}
