//! Read models: the issue as scripts and tables see it, and list filters.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::domain::deadline::Urgency;
use crate::domain::{DeadlineKind, Issue, IssueStatus};

use super::Desk;

/// Which issues to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueFilter {
    pub status: Option<IssueStatus>,
    /// Only open issues (not closed or voided).
    pub open_only: bool,
    /// Unit id or name.
    pub unit: Option<String>,
    pub vip: bool,
    pub overdue: bool,
    pub supervised: bool,
    /// Substring of enterprise name, credit code, description or category.
    pub text: Option<String>,
}

impl IssueFilter {
    pub fn matches(&self, i: &Issue, today: NaiveDate, is_vip: impl Fn(&str) -> bool) -> bool {
        if self.status.is_some_and(|s| s != i.status) {
            return false;
        }
        if self.open_only && !i.status.is_open() {
            return false;
        }
        if self.overdue && !i.is_overdue(today) {
            return false;
        }
        if self.supervised && !i.supervised {
            return false;
        }
        if self.vip && !is_vip(&i.enterprise) {
            return false;
        }
        if let Some(t) = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let t_up = t.to_uppercase();
            if !(i.enterprise_name.contains(t)
                || i.enterprise.contains(&t_up)
                || i.description.contains(t)
                || i.category.contains(t)
                || i.id.to_string() == t)
            {
                return false;
            }
        }
        true
    }
}

/// An issue as printed by `issue list/show --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct IssueView {
    pub id: u64,
    pub enterprise: String,
    pub credit_code: String,
    pub vip: bool,
    /// Main unit's name (empty when unassigned).
    pub unit: String,
    pub unit_id: Option<String>,
    pub helpers: Vec<String>,
    pub status: &'static str,
    pub category: String,
    pub channel: &'static str,
    pub contact: String,
    pub phone: String,
    pub description: String,
    pub logged_at: NaiveDateTime,
    pub logged_by: String,
    pub contact_due: NaiveDate,
    pub reply_due: NaiveDate,
    /// The deadline the issue is waiting on now: "contact", "reply" or none.
    pub waiting_on: Option<DeadlineKind>,
    pub next_due: Option<NaiveDate>,
    pub overdue: bool,
    pub urgency: Option<Urgency>,
    pub supervised: bool,
    /// The deadlines are provisional: counted through a year whose holiday notice is not in
    /// the calendar yet (statutory holidays only); recounted once it is added.
    pub provisional: bool,
    pub assigned_at: Option<NaiveDateTime>,
    pub contacted_at: Option<NaiveDateTime>,
    pub replied_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub evaluation: Option<crate::domain::Evaluation>,
    pub transfers: u32,
    pub returns: u32,
    pub reopens: u32,
    pub void_reason: Option<String>,
}

impl IssueView {
    pub fn new(i: &Issue, desk: &Desk, today: NaiveDate) -> IssueView {
        IssueView::of(i.clone(), desk, today)
    }

    /// The view of an issue no longer needed as such (a list's: its text moves, not copied).
    pub fn of(i: Issue, desk: &Desk, today: NaiveDate) -> IssueView {
        let en = desk.config.lang.is_en();
        let next = i.next_deadline();
        let overdue = i.is_overdue(today);
        let urgency = desk.urgency(&i, today);
        IssueView {
            id: i.id,
            vip: desk.is_vip(&i.enterprise),
            enterprise: i.enterprise_name,
            credit_code: i.enterprise,
            unit: i
                .unit
                .as_deref()
                .map(|u| desk.units.name_of(u, en).to_string())
                .unwrap_or_default(),
            unit_id: i.unit,
            helpers: i
                .helpers
                .iter()
                .map(|u| desk.units.name_of(u, en).to_string())
                .collect(),
            status: i.status.key(),
            category: i.category,
            channel: i.channel.key(),
            contact: i.contact_name,
            phone: i.phone,
            description: i.description,
            logged_at: i.logged_at,
            logged_by: i.logged_by,
            contact_due: i.contact_due,
            reply_due: i.reply_due,
            waiting_on: next.map(|n| n.0),
            next_due: next.map(|n| n.1),
            overdue,
            urgency,
            supervised: i.supervised,
            provisional: i.beyond_calendar,
            assigned_at: i.assigned_at,
            contacted_at: i.contacted_at,
            replied_at: i.replied_at,
            closed_at: i.closed_at,
            evaluation: i.evaluation,
            transfers: i.transfers,
            returns: i.returns,
            reopens: i.reopens,
            void_reason: i.void_reason,
        }
    }
}
