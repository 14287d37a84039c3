//! Unit scorecards and platform totals for a date range, computed from the facts (the issue
//! events as recorded), so a report for a past range is the same whenever it is run.
//!
//! Definitions (each figure is per unit, for events dated within the range):
//! - received: distinct issues handed to the unit (assigned to it or transferred in);
//!   assigned: assignments to it (交办), counting a re-assignment after a return or reopen.
//! - contact / reply on time: of the issues whose contact (reply) deadline falls in the range,
//!   those contacted (replied) on or before the deadline. A met deadline counts for the unit
//!   that did it; a missed one for the unit holding the issue at the end of the deadline day.
//!   A deadline not yet passed and not yet met is pending and not counted.
//! - closed, reopened (reopen or a low evaluation), transfers in/out, returns (bounces), and
//!   evaluations: events credited to the unit holding the issue when they happened.
//! - average working days to contact / reply: from the logging day to the day of each contact
//!   (reply) the unit recorded in the range; the logging day never counts.
//! - score (for the ranking): 40% contact on-time rate + 40% reply on-time rate + 20% mean
//!   evaluation (as a share of 5), over the parts the unit has data for.
//! - rank: only for a unit that received at least `min_issues_for_ranking` issues in the range
//!   (config `[report]`, default 5): three issues say little about a unit, and one with a
//!   perfect few would otherwise head the list. Below it the row shows its score, marked
//!   样本不足 (too few), after the ranked units.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::desk::{Desk, DeskError};
use crate::domain::{Fact, FactKind, Units};
use crate::i18n::Lang;

use super::md_table;
use crate::store::ChainHead;

/// Extra days read before the earliest logging day whose deadlines can fall in the range, in
/// case the deadline rule was longer when older issues were logged.
const LOOKBACK_MARGIN: u64 = 7;
/// Never read further back than this, whatever the calendar says.
const LOOKBACK_MAX: u64 = 90;

/// One unit's scorecard.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UnitScore {
    /// 1 = best; units without data to score come last, unranked.
    pub rank: Option<usize>,
    pub unit_id: String,
    pub unit: String,
    pub received: u32,
    pub assigned: u32,
    pub contact_due: u32,
    pub contact_on_time: u32,
    pub contact_on_time_pct: Option<f64>,
    pub reply_due: u32,
    pub reply_on_time: u32,
    pub reply_on_time_pct: Option<f64>,
    pub closed: u32,
    pub reopened: u32,
    pub transfers_in: u32,
    pub transfers_out: u32,
    pub returns: u32,
    pub avg_workdays_to_contact: Option<f64>,
    pub avg_workdays_to_reply: Option<f64>,
    pub evaluations: u32,
    /// 亲近度, 清廉度, 满意度 averages.
    pub closeness: Option<f64>,
    pub integrity: Option<f64>,
    pub satisfaction: Option<f64>,
    pub inspections: u32,
    pub violations: u32,
    pub score: Option<f64>,
    /// Scored, but on fewer issues received than ranking needs: no rank (样本不足).
    pub too_few: bool,
}

/// Inspections by a department that is not one of the lead units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepartmentInspections {
    pub unit: String,
    pub inspections: u32,
    pub violations: u32,
}

/// Platform totals for the range.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Distinct enterprises that brought issues (接访企业).
    pub enterprises_received: u32,
    pub issues_logged: u32,
    /// Distinct issues closed in the range (解决问题诉求).
    pub issues_solved: u32,
    pub contact_due: u32,
    pub contact_on_time: u32,
    pub reply_due: u32,
    pub reply_on_time: u32,
    pub vip_contacted: u32,
    pub vip_total: u32,
    pub vip_coverage_pct: Option<f64>,
    pub inspections: u32,
    pub violations: u32,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Lead units, best first.
    pub units: Vec<UnitScore>,
    pub other_departments: Vec<DepartmentInspections>,
    pub totals: Totals,
}

impl Report {
    /// The report as one lead unit reads it: its own row (and the district's totals).
    pub fn only_unit(&mut self, unit: &str) {
        self.units.retain(|s| s.unit_id == unit);
        self.other_departments.clear();
    }

    /// The report as an account may read it: a unit's own row; everyone else, all of it.
    pub fn for_account(mut self, account: &crate::domain::Account) -> Report {
        if account.role == crate::domain::Role::Unit {
            self.only_unit(account.unit.as_deref().unwrap_or_default());
        }
        self
    }
}

/// One inspection as the report counts it (a matched pair of filings counts once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionCount {
    pub unit: String,
    pub date: NaiveDate,
    pub violation: bool,
}

/// What the report is computed from.
pub struct Input<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day the report is run: deadlines from today on that are not yet met are pending.
    pub today: NaiveDate,
    /// Facts from the earliest logging day whose deadlines can fall in the range to the end of
    /// `to` (see `lookback_start`).
    pub facts: &'a [Fact],
    pub units: &'a Units,
    pub calendar: &'a Calendar,
    pub is_vip: &'a dyn Fn(&str) -> bool,
    pub vip_total: usize,
    pub inspections: &'a [InspectionCount],
    pub lang: Lang,
    /// Issues a unit must have received in the range to be ranked.
    pub min_issues: u32,
}

pub fn pct(n: u32, d: u32) -> Option<f64> {
    (d > 0).then(|| round1(f64::from(n) * 100.0 / f64::from(d)))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[derive(Default)]
struct Acc {
    t: Tally,
    received: HashSet<u64>,
}
/// One unit's raw counts for a range: what the scorecard's figures are made from, whether
/// the desk counts them from its facts or the city's PostgreSQL does (`city::report`), so
/// rates, means, score and rank are worked out in one place (`Tally::score`, `rank`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub received: u32,
    pub assigned: u32,
    pub contact_due: u32,
    pub contact_on_time: u32,
    pub reply_due: u32,
    pub reply_on_time: u32,
    pub closed: u32,
    pub reopened: u32,
    pub transfers_in: u32,
    pub transfers_out: u32,
    pub returns: u32,
    /// Working days to each contact (reply) recorded in the range: their sum and count.
    pub contact_days: u64,
    pub contacts: u32,
    pub reply_days: u64,
    pub replies: u32,
    pub evaluations: u32,
    /// Sums of 亲近度, 清廉度, 满意度 over the evaluations.
    pub score_sums: [u64; 3],
    pub inspections: u32,
    pub violations: u32,
}

impl Tally {
    pub fn add(&mut self, o: &Tally) {
        self.received += o.received;
        self.assigned += o.assigned;
        self.contact_due += o.contact_due;
        self.contact_on_time += o.contact_on_time;
        self.reply_due += o.reply_due;
        self.reply_on_time += o.reply_on_time;
        self.closed += o.closed;
        self.reopened += o.reopened;
        self.transfers_in += o.transfers_in;
        self.transfers_out += o.transfers_out;
        self.returns += o.returns;
        self.contact_days += o.contact_days;
        self.contacts += o.contacts;
        self.reply_days += o.reply_days;
        self.replies += o.replies;
        self.evaluations += o.evaluations;
        for k in 0..3 {
            self.score_sums[k] += o.score_sums[k];
        }
        self.inspections += o.inspections;
        self.violations += o.violations;
    }

    /// The scorecard row of these counts (unranked).
    pub fn score(&self, unit_id: &str, unit: &str, min_issues: u32) -> UnitScore {
        let avg = |sum: u64, n: u32| (n > 0).then(|| round1(sum as f64 / f64::from(n)));
        let ev = |k: usize| avg(self.score_sums[k], self.evaluations);
        let mut s = UnitScore {
            rank: None,
            unit_id: unit_id.to_string(),
            unit: unit.to_string(),
            received: self.received,
            assigned: self.assigned,
            contact_due: self.contact_due,
            contact_on_time: self.contact_on_time,
            contact_on_time_pct: pct(self.contact_on_time, self.contact_due),
            reply_due: self.reply_due,
            reply_on_time: self.reply_on_time,
            reply_on_time_pct: pct(self.reply_on_time, self.reply_due),
            closed: self.closed,
            reopened: self.reopened,
            transfers_in: self.transfers_in,
            transfers_out: self.transfers_out,
            returns: self.returns,
            avg_workdays_to_contact: avg(self.contact_days, self.contacts),
            avg_workdays_to_reply: avg(self.reply_days, self.replies),
            evaluations: self.evaluations,
            closeness: ev(0),
            integrity: ev(1),
            satisfaction: ev(2),
            inspections: self.inspections,
            violations: self.violations,
            score: None,
            too_few: false,
        };
        s.score = score(&s);
        s.too_few = s.score.is_some() && s.received < min_issues;
        s
    }
}

/// What one fact adds to the units' counts, and to which unit: the crediting rule, shared
/// by the district scorecard and the city's daily counts. `workdays`: from the logging day
/// to the fact's day (used for contacts and replies). A delta with `received` 1 hands the
/// issue to the unit (received counts distinct issues).
pub fn credits(f: &Fact, workdays: i64) -> Vec<(String, Tally)> {
    let mut out = Vec::new();
    let mut give = |unit: Option<&str>, t: Tally| {
        if let Some(u) = unit {
            out.push((u.to_string(), t));
        }
    };
    let days = workdays.max(0) as u64;
    match f.kind {
        FactKind::Assigned => give(
            f.unit_after.as_deref(),
            Tally {
                assigned: 1,
                received: 1,
                ..Tally::default()
            },
        ),
        FactKind::Transferred => {
            give(
                f.unit_after.as_deref(),
                Tally {
                    transfers_in: 1,
                    received: 1,
                    ..Tally::default()
                },
            );
            give(
                f.unit_before.as_deref(),
                Tally {
                    transfers_out: 1,
                    ..Tally::default()
                },
            );
        }
        FactKind::Returned => give(
            f.unit_before.as_deref(),
            Tally {
                returns: 1,
                ..Tally::default()
            },
        ),
        FactKind::Contacted => give(
            f.unit(),
            Tally {
                contact_days: days,
                contacts: 1,
                ..Tally::default()
            },
        ),
        FactKind::Replied => give(
            f.unit(),
            Tally {
                reply_days: days,
                replies: 1,
                ..Tally::default()
            },
        ),
        FactKind::Evaluated => {
            if let Some(s) = f.scores {
                give(
                    f.unit(),
                    Tally {
                        evaluations: 1,
                        score_sums: s.map(u64::from),
                        ..Tally::default()
                    },
                );
            }
        }
        _ => {}
    }
    if f.closed() {
        give(
            f.unit(),
            Tally {
                closed: 1,
                ..Tally::default()
            },
        );
    }
    if f.reopened() {
        give(
            f.unit(),
            Tally {
                reopened: 1,
                ..Tally::default()
            },
        );
    }
    out
}

/// One deadline of an issue as the scorecard counts it, followed fact by fact (in order):
/// met if the unit did it on or before the day (credited to the unit that did); missed, once
/// the day has passed, against the unit holding the issue at the end of it; not counted if
/// the issue was voided by then or the day has not passed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueTrack {
    /// The credited unit of the fact that met it.
    pub met: Option<Option<String>>,
    /// The unit holding the issue after the last fact on or before the day.
    pub at_due: Option<String>,
    pub voided: bool,
}

impl DueTrack {
    /// Takes in the next fact of the issue; `done` is the kind that meets the deadline.
    pub fn step(&mut self, due: NaiveDate, done: FactKind, f: &Fact) {
        if f.at.date() > due {
            return;
        }
        if self.met.is_none() && f.kind == done {
            self.met = Some(f.unit().map(str::to_string));
        }
        self.at_due = f.unit_after.clone();
        self.voided |= f.kind == FactKind::Voided;
    }

    /// As of `today`: counted or not, and if so the unit it counts for and whether on time.
    pub fn outcome(&self, due: NaiveDate, today: NaiveDate) -> Option<(Option<&str>, bool)> {
        match &self.met {
            Some(u) => Some((u.as_deref(), true)),
            None if due < today && !self.voided => Some((self.at_due.as_deref(), false)),
            None => None,
        }
    }
}

/// Computes the report.
pub fn compute(inp: &Input) -> Report {
    let en = inp.lang.is_en();
    let mut acc: BTreeMap<String, Acc> = BTreeMap::new();
    let in_range = |d: NaiveDate| d >= inp.from && d <= inp.to;
    let mut totals = Totals::default();
    let mut ents = HashSet::new();
    let mut solved = HashSet::new();
    let mut vip_contacted = HashSet::new();
    // Per issue, its facts in order (for the deadline checks).
    let mut by_issue: HashMap<u64, Vec<&Fact>> = HashMap::new();
    for f in inp.facts {
        by_issue.entry(f.issue).or_default().push(f);
        let day = f.at.date();
        if !in_range(day) {
            continue;
        }
        match f.kind {
            FactKind::Logged => {
                totals.issues_logged += 1;
                ents.insert(f.enterprise.as_str());
            }
            FactKind::Contacted if (inp.is_vip)(&f.enterprise) => {
                vip_contacted.insert(f.enterprise.as_str());
            }
            _ => {}
        }
        if f.closed() {
            solved.insert(f.issue);
        }
        let days = match f.kind {
            FactKind::Contacted | FactKind::Replied => {
                inp.calendar.workdays_between(f.logged_at.date(), day)
            }
            _ => 0,
        };
        for (unit, delta) in credits(f, days) {
            let a = acc.entry(unit).or_default();
            if delta.received > 0 {
                a.received.insert(f.issue);
            }
            a.t.add(&Tally {
                received: 0,
                ..delta
            });
        }
    }
    // Deadlines that fall in the range.
    for facts in by_issue.values() {
        let first = facts[0];
        if first.kind != FactKind::Logged {
            continue; // logged before the look-back: no deadline of it falls in the range
        }
        for (due, done, is_contact) in [
            (first.contact_due, FactKind::Contacted, true),
            (first.reply_due, FactKind::Replied, false),
        ] {
            if !in_range(due) {
                continue;
            }
            let mut track = DueTrack::default();
            for f in facts {
                track.step(due, done, f);
            }
            let Some((unit, on_time)) = track.outcome(due, inp.today) else {
                continue;
            };
            if is_contact {
                totals.contact_due += 1;
                totals.contact_on_time += u32::from(on_time);
            } else {
                totals.reply_due += 1;
                totals.reply_on_time += u32::from(on_time);
            }
            if let Some(u) = unit {
                let t = &mut acc.entry(u.to_string()).or_default().t;
                if is_contact {
                    t.contact_due += 1;
                    t.contact_on_time += u32::from(on_time);
                } else {
                    t.reply_due += 1;
                    t.reply_on_time += u32::from(on_time);
                }
            }
        }
    }
    // Inspections dated in the range.
    let mut others: BTreeMap<String, DepartmentInspections> = BTreeMap::new();
    for i in inp.inspections.iter().filter(|i| in_range(i.date)) {
        totals.inspections += 1;
        totals.violations += u32::from(i.violation);
        let lead = inp.units.leads().any(|u| u.id == i.unit);
        if lead {
            let t = &mut acc.entry(i.unit.clone()).or_default().t;
            t.inspections += 1;
            t.violations += u32::from(i.violation);
        } else {
            let name = inp.units.name_of(&i.unit, en).to_string();
            let d = others.entry(name.clone()).or_insert(DepartmentInspections {
                unit: name,
                inspections: 0,
                violations: 0,
            });
            d.inspections += 1;
            d.violations += u32::from(i.violation);
        }
    }
    // One row per lead unit, in configured order, then ranked.
    let mut rows: Vec<UnitScore> = inp
        .units
        .leads()
        .map(|u| {
            let t = acc
                .remove(&u.id)
                .map(|a| Tally {
                    received: a.received.len() as u32,
                    ..a.t
                })
                .unwrap_or_default();
            t.score(&u.id, u.display(en), inp.min_issues)
        })
        .collect();
    rank(&mut rows);
    totals.enterprises_received = ents.len() as u32;
    totals.issues_solved = solved.len() as u32;
    totals.vip_contacted = vip_contacted.len() as u32;
    totals.vip_total = inp.vip_total as u32;
    totals.vip_coverage_pct = pct(totals.vip_contacted, totals.vip_total);
    Report {
        from: inp.from,
        to: inp.to,
        units: rows,
        other_departments: others.into_values().collect(),
        totals,
    }
}

/// Orders rows best first and numbers them: ranked units by score, then those with too few
/// issues by score (unnumbered), then those without data. Stable: ties keep the given order
/// and share a rank.
pub fn rank(rows: &mut [UnitScore]) {
    let tier = |s: &UnitScore| match (s.score, s.too_few) {
        (Some(_), false) => 0,
        (Some(_), true) => 1,
        (None, _) => 2,
    };
    rows.sort_by(|a, b| {
        tier(a).cmp(&tier(b)).then(match (a.score, b.score) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            _ => std::cmp::Ordering::Equal,
        })
    });
    let mut rank = 0;
    let mut last: Option<f64> = None;
    for (k, r) in rows.iter_mut().enumerate() {
        if r.too_few {
            continue;
        }
        if let Some(s) = r.score {
            if last != Some(s) {
                rank = k + 1;
                last = Some(s);
            }
            r.rank = Some(rank);
        }
    }
}

fn score(s: &UnitScore) -> Option<f64> {
    let eval = match (s.closeness, s.integrity, s.satisfaction) {
        (Some(a), Some(b), Some(c)) => Some((a + b + c) / 3.0 / 5.0 * 100.0),
        _ => None,
    };
    let parts = [
        (s.contact_on_time_pct, 0.4),
        (s.reply_on_time_pct, 0.4),
        (eval, 0.2),
    ];
    let w: f64 = parts.iter().filter(|p| p.0.is_some()).map(|p| p.1).sum();
    (w > 0.0).then(|| {
        round1(
            parts
                .iter()
                .filter_map(|(v, k)| v.map(|v| v * k))
                .sum::<f64>()
                / w,
        )
    })
}

/// Gathers the input from the desk and computes the report for `[from, to]` as of `today`.
pub fn from_desk(
    desk: &Desk,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Report, DeskError> {
    let start = lookback_start(
        &desk.calendar,
        desk.config
            .deadlines
            .contact_days
            .max(desk.config.deadlines.reply_days),
        from,
    );
    let end = to + Days::new(1);
    let facts = desk.facts(midnight(start), midnight(end))?;
    let is_vip = |c: &str| desk.is_vip(c);
    let inspections = inspection_counts(desk)?;
    Ok(compute(&Input {
        from,
        to,
        today,
        facts: &facts,
        units: &desk.units,
        calendar: &desk.calendar,
        is_vip: &is_vip,
        vip_total: desk.vip_count(),
        inspections: &inspections,
        lang: desk.config.lang,
        min_issues: desk.config.min_issues_for_ranking,
    }))
}

/// The earliest day an issue could have been logged and still have a deadline on or after
/// `from` (`days` working days later, on the holiday calendar), less a margin.
pub fn lookback_start(cal: &Calendar, days: u32, from: NaiveDate) -> NaiveDate {
    let limit = from - Days::new(LOOKBACK_MAX);
    let mut d = from;
    while d > limit {
        let Some(prev) = d.pred_opt() else { break };
        if cal.add_workdays(prev, days).date < from {
            break;
        }
        d = prev;
    }
    (d - Days::new(LOOKBACK_MARGIN)).max(limit)
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// Inspections as the report counts them: the inspection rules decide violations, and the
/// enterprise's own filing of an inspection the unit also filed is not counted twice.
pub fn inspection_counts(desk: &Desk) -> Result<Vec<InspectionCount>, DeskError> {
    let list = desk.inspections()?;
    let rows = super::inspections::analyse(
        &list,
        &desk.config.quiet_days,
        desk.config.max_inspections_30d,
    );
    Ok(rows
        .into_iter()
        .filter(|r| !r.duplicate)
        .map(|r| InspectionCount {
            violation: r.violation,
            unit: r.inspection.unit,
            date: r.inspection.date,
        })
        .collect())
}

fn opt_pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "—".into())
}

/// Column headers, shared by Markdown and CSV: (Chinese, English).
pub const COLUMNS: [(&str, &str); 22] = [
    ("排名", "rank"),
    ("单位", "unit"),
    ("受理", "received"),
    ("交办", "assigned"),
    ("对接期限内应对接", "contact_due"),
    ("按时对接", "contact_on_time"),
    ("按时对接率", "contact_on_time_pct"),
    ("答复期限内应答复", "reply_due"),
    ("按时答复", "reply_on_time"),
    ("按时答复率", "reply_on_time_pct"),
    ("办结", "closed"),
    ("重新打开", "reopened"),
    ("转入", "transfers_in"),
    ("转出", "transfers_out"),
    ("退回", "returns"),
    ("平均对接工作日", "avg_workdays_to_contact"),
    ("平均答复工作日", "avg_workdays_to_reply"),
    ("评价数", "evaluations"),
    ("亲近度", "closeness"),
    ("清廉度", "integrity"),
    ("满意度", "satisfaction"),
    ("检查/无扰日违规", "inspections/violations"),
];

/// One row of cells per unit (`csv` keeps numbers plain and splits inspections in two).
pub fn row(s: &UnitScore, csv: bool) -> Vec<String> {
    let n = |v: u32| v.to_string();
    // A figure that may be missing: empty in CSV, "—" for people, with "%" for rates.
    let x = |v: Option<f64>, rate: bool| match (v, csv) {
        (None, true) => String::new(),
        (None, false) => "—".into(),
        (Some(v), false) if rate => format!("{v:.1}%"),
        (Some(v), _) => format!("{v:.1}"),
    };
    let rank = s.rank.map(|r| r.to_string());
    let mut r = vec![
        rank.unwrap_or_else(|| if csv { String::new() } else { "—".into() }),
        s.unit.clone(),
        n(s.received),
        n(s.assigned),
        n(s.contact_due),
        n(s.contact_on_time),
        x(s.contact_on_time_pct, true),
        n(s.reply_due),
        n(s.reply_on_time),
        x(s.reply_on_time_pct, true),
        n(s.closed),
        n(s.reopened),
        n(s.transfers_in),
        n(s.transfers_out),
        n(s.returns),
        x(s.avg_workdays_to_contact, false),
        x(s.avg_workdays_to_reply, false),
        n(s.evaluations),
        x(s.closeness, false),
        x(s.integrity, false),
        x(s.satisfaction, false),
    ];
    if csv {
        r.push(n(s.inspections));
        r.push(n(s.violations));
        r.push(x(s.score, false));
    } else {
        r.push(format!("{}/{}", s.inspections, s.violations));
    }
    r
}

/// The CSV header (one row per unit follows).
pub fn csv_header(lang: Lang) -> Vec<&'static str> {
    let mut h: Vec<&'static str> = COLUMNS[..21].iter().map(|c| lang.pick(c.0, c.1)).collect();
    h.extend([
        lang.pick("检查次数", "inspections"),
        lang.pick("无扰日违规", "violations"),
        lang.pick("综合得分", "score"),
    ]);
    h
}

/// Markdown for people.
pub fn markdown(r: &Report, lang: Lang) -> String {
    markdown_witnessed(r, lang, None)
}

/// Markdown for people, with the journal's chain head under the title (a witness that
/// `dutydesk verify --witness` can check later).
pub fn markdown_witnessed(r: &Report, lang: Lang, head: Option<&ChainHead>) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let tot = &r.totals;
    let mut out = format!(
        "# {} {} — {}\n\n",
        t("营商环境牵头单位办理情况", "Lead units' scorecard"),
        r.from,
        r.to,
    );
    if let Some(h) = head {
        out.push_str(&format!("{}\n\n", super::witness(h, lang)));
    }
    out.push_str(&format!("## {}\n\n", t("平台汇总", "Platform totals")));
    let lines = [
        (
            t("接访企业", "Enterprises received"),
            tot.enterprises_received.to_string(),
        ),
        (
            t("登记问题", "Issues logged"),
            tot.issues_logged.to_string(),
        ),
        (
            t("解决问题（办结）", "Issues solved (closed)"),
            tot.issues_solved.to_string(),
        ),
        (
            t("按时对接", "Contacted on time"),
            format!(
                "{}/{} ({})",
                tot.contact_on_time,
                tot.contact_due,
                opt_pct(pct(tot.contact_on_time, tot.contact_due))
            ),
        ),
        (
            t("按时答复", "Replied on time"),
            format!(
                "{}/{} ({})",
                tot.reply_on_time,
                tot.reply_due,
                opt_pct(pct(tot.reply_on_time, tot.reply_due))
            ),
        ),
        (
            t("VIP 企业覆盖", "VIP coverage"),
            format!(
                "{}/{} ({})",
                tot.vip_contacted,
                tot.vip_total,
                opt_pct(tot.vip_coverage_pct)
            ),
        ),
        (
            t(
                "检查报备 / 无扰日违规",
                "Inspections / no-disturbance violations",
            ),
            format!("{}/{}", tot.inspections, tot.violations),
        ),
    ];
    for (k, v) in lines {
        out.push_str(&format!("- {k}: {v}\n"));
    }
    out.push_str(&format!("\n## {}\n\n", t("各单位", "By unit")));
    let header: Vec<&str> = COLUMNS.iter().map(|c| t(c.0, c.1)).collect();
    let rows: Vec<Vec<String>> = r
        .units
        .iter()
        .map(|s| {
            let mut cells = row(s, false);
            if s.too_few {
                cells[0] = t("样本不足", "too few").into();
            }
            cells
        })
        .collect();
    out.push_str(&md_table(&header, &rows));
    if !r.other_departments.is_empty() {
        out.push_str(&format!(
            "\n## {}\n\n",
            t("其他部门检查报备", "Inspections by other departments")
        ));
        let rows: Vec<Vec<String>> = r
            .other_departments
            .iter()
            .map(|d| {
                vec![
                    d.unit.clone(),
                    d.inspections.to_string(),
                    d.violations.to_string(),
                ]
            })
            .collect();
        out.push_str(&md_table(
            &[
                t("部门", "Department"),
                t("检查次数", "Inspections"),
                t("无扰日违规", "Violations"),
            ],
            &rows,
        ));
    }
    out.push_str(&format!(
        "\n{}\n",
        t(
            "排名按综合得分：按时对接率 40% + 按时答复率 40% + 评价均分 20%（无数据的部分不计）。期限未到且未办的不计入按时率。",
            "Ranked by score: 40% contact on-time rate + 40% reply on-time rate + 20% mean evaluation (parts without data left out). Deadlines not yet passed and not yet met are not counted."
        )
    ));
    if r.units.iter().any(|u| u.too_few) {
        out.push_str(t(
            "统计期内受理问题少于最少件数（config.toml [report] min_issues_for_ranking）的单位不参与排名，标为「样本不足」。\n",
            "A unit that received fewer issues in the range than the minimum (config.toml [report] min_issues_for_ranking) is not ranked and shows \"too few\".\n",
        ));
    }
    out
}

#[cfg(test)]
mod tests;
