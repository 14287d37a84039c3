//! The enterprise ledger (企业问题困难动态台账): one enterprise's details, every issue it
//! raised (open and closed) with its unit and outcome, the inspections of it, its last contact
//! and its evaluations — one page, modelled on a helpdesk's customer view and the caller
//! history of a 12345 hotline.
//!
//! It costs what one enterprise's records cost: its issues come from the view's per-enterprise
//! index (open ones from memory, closed ones read by id), the outcome text of a closed issue
//! from that issue's own history, and inspections from the in-memory list. Nothing scans the
//! whole history.
//!
//! The struct is plain data for any renderer (the TUI page, `enterprise show` in text or JSON).

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::domain::deadline::Urgency;
use crate::domain::{
    Enterprise, Evaluation, EventKind, Grade, InspectionKind, Issue, IssueStatus, VipCategory,
};

use super::{Desk, DeskError};

/// How many characters of an issue's description the ledger keeps.
pub const SUMMARY_CHARS: usize = 60;

/// One enterprise's ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    /// The enterprise's record as registered (the phone is the caller's to mask).
    pub enterprise: Enterprise,
    /// Its VIP categories (empty: not a VIP enterprise).
    pub vip_categories: Vec<VipCategory>,
    pub grade: Option<Grade>,
    /// Open issues first, most urgent first (overdue, due soon, in time; then the earliest
    /// deadline); then closed and voided ones, newest first.
    pub issues: Vec<LedgerIssue>,
    pub counts: LedgerCounts,
    /// Inspections of the enterprise, newest first.
    pub inspections: Vec<LedgerInspection>,
    /// The last day a unit contacted the enterprise about any of its issues.
    pub last_contact: Option<NaiveDate>,
    pub evaluations: LedgerEvaluations,
    /// The last day one of its issues was logged or contacted (the "30 days without contact"
    /// panel reads the same date).
    pub last_touched: Option<NaiveDate>,
    /// Residency placements in the firm (四帮一体验), newest round first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placements: Vec<LedgerPlacement>,
}

/// A residency placement in the firm, as the ledger lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerPlacement {
    pub id: u64,
    pub round: u32,
    /// The cadres' names.
    pub cadres: Vec<String>,
}

/// An issue as the ledger lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerIssue {
    pub id: u64,
    pub logged_at: NaiveDateTime,
    pub category: String,
    /// The description on one line, shortened to `SUMMARY_CHARS` characters.
    pub summary: String,
    /// The main unit (主办); none while unassigned.
    pub unit: Option<LedgerUnit>,
    pub status: IssueStatus,
    /// Not closed or voided.
    pub open: bool,
    /// How close an open issue is to the deadline it waits on.
    pub urgency: Option<Urgency>,
    pub supervised: bool,
    pub reopens: u32,
    pub contact_name: String,
    pub phone: String,
    /// Contact within 2 working days (对接).
    pub contact: DeadlineCheck,
    /// Reply with the outcome within 5 working days (回复).
    pub reply: DeadlineCheck,
    /// How a closed or voided issue ended.
    pub outcome: Option<LedgerOutcome>,
}

/// A unit by id and by the name shown in the desk's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerUnit {
    pub id: String,
    pub name: String,
}

/// One deadline of an issue and whether it was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeadlineCheck {
    pub due: NaiveDate,
    /// When the step was done.
    pub done_at: Option<NaiveDateTime>,
    /// `Some(true)` done on or before the due day; `Some(false)` done late, or not done and
    /// the day has passed while the issue is open; `None` still to come, or never needed (an
    /// issue voided or struck off before the step).
    pub met: Option<bool>,
}

impl DeadlineCheck {
    /// The one rule for "was the deadline met": the due day itself is in time.
    pub fn judge(
        due: NaiveDate,
        done_at: Option<NaiveDateTime>,
        open: bool,
        today: NaiveDate,
    ) -> DeadlineCheck {
        let met = match done_at {
            Some(t) => Some(t.date() <= due),
            None if open && today > due => Some(false),
            None => None,
        };
        DeadlineCheck { due, done_at, met }
    }
}

/// How an issue ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerOutcome {
    /// `closed` or `voided`.
    pub status: IssueStatus,
    pub at: Option<NaiveDateTime>,
    /// A voided issue's reason; a closed one's closing note, or else the unit's reply.
    pub text: String,
    /// The enterprise's evaluation, when it gave one.
    pub evaluation: Option<Evaluation>,
}

/// Issue counts of the enterprise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LedgerCounts {
    pub open: usize,
    /// Closed (办结), voided ones not counted.
    pub closed: usize,
    pub voided: usize,
    /// Open and past the deadline they wait on.
    pub overdue: usize,
    /// Issues reopened at least once (the enterprise was not satisfied).
    pub reopened: usize,
}

/// The enterprise's evaluations: how many, and the average of each of the three scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct LedgerEvaluations {
    pub count: usize,
    /// 政府亲近度
    pub closeness: Option<f64>,
    /// 政府清廉度
    pub integrity: Option<f64>,
    /// 亲清满意度
    pub satisfaction: Option<f64>,
}

/// An inspection of the enterprise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerInspection {
    pub id: u64,
    pub date: NaiveDate,
    pub unit: String,
    pub kind: InspectionKind,
    /// On a no-disturbance day without an exemption.
    pub violation: bool,
}

/// The standing placements in a firm, newest round first.
fn placements_in(r: &crate::domain::Residency, code: &str) -> Vec<LedgerPlacement> {
    let mut v: Vec<LedgerPlacement> = r
        .placements
        .values()
        .filter(|k| k.voided.is_none() && k.placement.enterprise == code)
        .map(|k| LedgerPlacement {
            id: k.placement.id,
            round: k.placement.round,
            cadres: k.placement.cadres.iter().map(|c| c.name.clone()).collect(),
        })
        .collect();
    v.sort_by(|a, b| b.round.cmp(&a.round).then(a.id.cmp(&b.id)));
    v
}

impl Desk {
    /// The ledger of the enterprise with credit code `code`, as of `today`.
    /// The ledger of `enterprise` as `account` may read it: only the issues it may see (a
    /// unit: its own), and the inspections only if its role may read them. The one place the
    /// CLI's `enterprise show` and the TUI's ledger screen get it from.
    pub fn ledger_as(
        &self,
        account: &crate::domain::Account,
        enterprise: Enterprise,
        today: NaiveDate,
    ) -> Result<Ledger, DeskError> {
        use crate::domain::policy;
        let mut issues = self.issues_of_enterprise(&enterprise.credit_code)?;
        issues.retain(|i| policy::can_see(account, i));
        let mut ledger = self.ledger_of(enterprise, issues, today)?;
        if policy::authorize(account, policy::Act::ReadInspections, None).is_ok() {
            ledger.inspections = self.ledger_inspections(&ledger.enterprise.credit_code);
        }
        ledger.placements =
            placements_in(&self.residency_as(account), &ledger.enterprise.credit_code);
        Ok(ledger)
    }

    pub fn ledger(&self, code: &str, today: NaiveDate) -> Result<Ledger, DeskError> {
        let enterprise = self.enterprise(code)?;
        let issues = self.issues_of_enterprise(&enterprise.credit_code)?;
        let mut ledger = self.ledger_of(enterprise, issues, today)?;
        ledger.inspections = self.ledger_inspections(&ledger.enterprise.credit_code);
        ledger.placements = placements_in(&self.residency(), &ledger.enterprise.credit_code);
        Ok(ledger)
    }

    /// The ledger over the issues given (a unit's session passes only those it may see);
    /// without inspections, which `ledger_inspections` adds for accounts that may read them.
    pub fn ledger_of(
        &self,
        enterprise: Enterprise,
        issues: Vec<Issue>,
        today: NaiveDate,
    ) -> Result<Ledger, DeskError> {
        let mut counts = LedgerCounts::default();
        let mut evals = Vec::new();
        let mut last_contact: Option<NaiveDate> = None;
        let mut rows = Vec::with_capacity(issues.len());
        for i in issues {
            let open = i.status.is_open();
            match i.status {
                _ if open => counts.open += 1,
                IssueStatus::Closed => counts.closed += 1,
                _ => counts.voided += 1,
            }
            counts.overdue += usize::from(i.is_overdue(today));
            counts.reopened += usize::from(i.reopens > 0);
            if let Some(e) = &i.evaluation {
                evals.push(e.clone());
            }
            if let Some(c) = i.contacted_at {
                last_contact = last_contact.max(Some(c.date()));
            }
            let outcome = if open { None } else { Some(self.outcome(&i)?) };
            rows.push(LedgerIssue {
                id: i.id,
                logged_at: i.logged_at,
                summary: summary(&i.description),
                unit: i.unit.as_deref().map(|u| LedgerUnit {
                    id: u.to_string(),
                    name: self.units.name_of(u, self.config.lang.is_en()).to_string(),
                }),
                status: i.status,
                open,
                urgency: self.urgency(&i, today),
                supervised: i.supervised,
                reopens: i.reopens,
                contact: DeadlineCheck::judge(i.contact_due, i.contacted_at, open, today),
                reply: DeadlineCheck::judge(i.reply_due, i.replied_at, open, today),
                outcome,
                category: i.category,
                contact_name: i.contact_name,
                phone: i.phone,
            });
        }
        sort_issues(&mut rows);
        Ok(Ledger {
            vip_categories: enterprise.vip.clone(),
            grade: enterprise.grade,
            last_touched: self.last_touched(&enterprise.credit_code),
            enterprise,
            issues: rows,
            counts,
            inspections: Vec::new(),
            last_contact,
            evaluations: averages(&evals),
            placements: Vec::new(),
        })
    }

    /// Inspections of one enterprise, newest first (the list is held in memory).
    pub fn ledger_inspections(&self, code: &str) -> Vec<LedgerInspection> {
        let quiet = &self.config.quiet_days;
        let mut v: Vec<LedgerInspection> = self
            .store
            .inspections()
            .unwrap_or_default()
            .into_iter()
            .filter(|i| i.enterprise == code)
            .map(|i| LedgerInspection {
                violation: quiet.is_violation(&i),
                id: i.id,
                date: i.date,
                unit: self.units.find(&i.unit).map_or_else(
                    || i.unit.clone(),
                    |u| u.display(self.config.lang.is_en()).to_string(),
                ),
                kind: i.kind,
            })
            .collect();
        v.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
        v
    }

    /// How a closed or voided issue ended; a closed one's text is read from its own history.
    fn outcome(&self, i: &Issue) -> Result<LedgerOutcome, DeskError> {
        let text = if i.status == IssueStatus::Voided {
            i.void_reason.clone().unwrap_or_default()
        } else {
            let mut note = String::new();
            let mut reply = String::new();
            for r in self.history(i.id)? {
                match r.event {
                    EventKind::IssueResolved { note: n, .. } => note = n,
                    EventKind::ReplyRecorded { text, .. } => reply = text,
                    _ => {}
                }
            }
            if note.trim().is_empty() {
                reply
            } else {
                note
            }
        };
        Ok(LedgerOutcome {
            status: i.status,
            at: i.closed_at.or(Some(i.updated_at)),
            text,
            evaluation: i.evaluation.clone(),
        })
    }
}

/// Open issues first by urgency (overdue, due soon, in time, none) and then deadline; closed
/// and voided ones after, newest first.
fn sort_issues(rows: &mut [LedgerIssue]) {
    let next_due = |r: &LedgerIssue| {
        if r.contact.done_at.is_none() {
            r.contact.due
        } else {
            r.reply.due
        }
    };
    let ended = |r: &LedgerIssue| r.outcome.as_ref().and_then(|o| o.at);
    rows.sort_by(|a, b| match (a.open, b.open) {
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        (true, true) => (a.urgency.is_none(), a.urgency, next_due(a), a.id).cmp(&(
            b.urgency.is_none(),
            b.urgency,
            next_due(b),
            b.id,
        )),
        (false, false) => (ended(b), b.id).cmp(&(ended(a), a.id)),
    });
}

fn summary(s: &str) -> String {
    let line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let line = line.trim();
    if line.chars().count() <= SUMMARY_CHARS {
        line.to_string()
    } else {
        line.chars().take(SUMMARY_CHARS).chain(['…']).collect()
    }
}

/// Averages of the three scores, to one decimal.
fn averages(evals: &[Evaluation]) -> LedgerEvaluations {
    let n = evals.len();
    let avg = |f: fn(&Evaluation) -> u8| {
        (n > 0).then(|| {
            let sum: u32 = evals.iter().map(|e| u32::from(f(e))).sum();
            (f64::from(sum) / n as f64 * 10.0).round() / 10.0
        })
    };
    LedgerEvaluations {
        count: n,
        closeness: avg(|e| e.closeness),
        integrity: avg(|e| e.integrity),
        satisfaction: avg(|e| e.satisfaction),
    }
}

#[cfg(test)]
mod tests;
