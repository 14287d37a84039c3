//! Facts: one compact line per issue event, with the issue's state just before and after it.
//! Reports (handover, scorecards) read these by time range instead of replaying the journal,
//! and since each fact is fixed when its event is recorded, a report for a past range comes
//! out the same whenever it is run — with one exception, by design: deadlines that were
//! provisional (a year without its holiday notice) are settled as the desk reads the facts,
//! so a range they fall in reads differently once, when the year's notice is added.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::event::{EventKind, Recorded};
use super::issue::{Issue, IssueStatus};

/// What happened to the issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FactKind {
    Logged,
    Assigned,
    Received,
    Transferred,
    Returned,
    Contacted,
    Replied,
    Resolved,
    Evaluated,
    Reopened,
    Voided,
    Supervised,
    Noted,
}

/// One issue event as the reports see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub seq: u64,
    #[serde(with = "crate::domain::serde_time::datetime")]
    pub at: NaiveDateTime,
    pub issue: u64,
    pub kind: FactKind,
    pub enterprise: String,
    #[serde(with = "crate::domain::serde_time::datetime")]
    pub logged_at: NaiveDateTime,
    #[serde(with = "crate::domain::serde_time::date")]
    pub contact_due: NaiveDate,
    #[serde(with = "crate::domain::serde_time::date")]
    pub reply_due: NaiveDate,
    /// Main unit before and after the event (a transfer's from and to; a return's from).
    pub unit_before: Option<String>,
    pub unit_after: Option<String>,
    pub status_before: Option<IssueStatus>,
    pub status_after: IssueStatus,
    /// The three scores (亲近度, 清廉度, 满意度) of an evaluation.
    pub scores: Option<[u8; 3]>,
    /// The deadlines above were provisional when recorded. Facts keep what was recorded, like
    /// the journal; the desk settles provisional ones as it reads them
    /// (`DeadlineRule::settle_fact`), so reports count a deadline, whether its issue is still
    /// open or closed since, by the calendar in use, exactly as the lists show it.
    #[serde(default)]
    pub provisional: bool,
}

impl Fact {
    /// The fact of `rec`, which turned `before` into `after`.
    pub fn of(before: Option<&Issue>, after: &Issue, rec: &Recorded) -> Fact {
        use EventKind as E;
        let kind = match &rec.event {
            E::IssueLogged { .. } => FactKind::Logged,
            E::IssueAssigned { .. } => FactKind::Assigned,
            E::IssueReceived { .. } => FactKind::Received,
            E::IssueTransferred { .. } => FactKind::Transferred,
            E::IssueReturned { .. } => FactKind::Returned,
            E::ContactRecorded { .. } => FactKind::Contacted,
            E::ReplyRecorded { .. } => FactKind::Replied,
            E::IssueResolved { .. } => FactKind::Resolved,
            E::IssueEvaluated { .. } => FactKind::Evaluated,
            E::IssueReopened { .. } => FactKind::Reopened,
            E::IssueVoided { .. } => FactKind::Voided,
            E::IssueSupervised { .. } => FactKind::Supervised,
            _ => FactKind::Noted,
        };
        let scores = match &rec.event {
            E::IssueEvaluated { evaluation, .. } => Some([
                evaluation.closeness,
                evaluation.integrity,
                evaluation.satisfaction,
            ]),
            _ => None,
        };
        Fact {
            seq: rec.seq,
            at: rec.at,
            issue: after.id,
            kind,
            enterprise: after.enterprise.clone(),
            logged_at: after.logged_at,
            contact_due: after.contact_due,
            reply_due: after.reply_due,
            unit_before: before.and_then(|b| b.unit.clone()),
            unit_after: after.unit.clone(),
            status_before: before.map(|b| b.status),
            status_after: after.status,
            scores,
            provisional: after.beyond_calendar,
        }
    }

    /// The unit the event is credited to: the one that held the issue when it happened.
    pub fn unit(&self) -> Option<&str> {
        match self.kind {
            FactKind::Assigned | FactKind::Logged => self.unit_after.as_deref(),
            _ => self.unit_before.as_deref().or(self.unit_after.as_deref()),
        }
    }

    /// The event closed the issue (限时办结销号).
    pub fn closed(&self) -> bool {
        self.status_after == IssueStatus::Closed && self.status_before != Some(IssueStatus::Closed)
    }

    /// The event sent a closed or replied issue back to a unit (reopen, or a low evaluation).
    pub fn reopened(&self) -> bool {
        matches!(
            self.status_before,
            Some(IssueStatus::Closed | IssueStatus::Replied)
        ) && self.status_after == IssueStatus::Assigned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{apply_issue, Channel, Evaluation};

    fn rec(seq: u64, at: &str, event: EventKind) -> Recorded {
        Recorded {
            district: None,
            seq,
            at: NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M").unwrap(),
            by: "张敏".into(),
            event,
        }
    }

    #[test]
    fn facts_carry_state_before_and_after() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let events = [
            rec(
                1,
                "2026-09-30T09:00",
                EventKind::IssueLogged {
                    id: 1,
                    enterprise: "X".into(),
                    enterprise_name: "某公司".into(),
                    category: "融资".into(),
                    channel: Channel::WalkIn,
                    contact_name: String::new(),
                    phone: String::new(),
                    description: "d".into(),
                    contact_due: d("2026-10-09"),
                    reply_due: d("2026-10-14"),
                    beyond_calendar: false,
                },
            ),
            rec(
                2,
                "2026-09-30T10:00",
                EventKind::IssueAssigned {
                    id: 1,
                    unit: "tax".into(),
                    helpers: vec![],
                    reason: String::new(),
                },
            ),
            rec(
                3,
                "2026-10-09T10:00",
                EventKind::IssueTransferred {
                    id: 1,
                    from: "tax".into(),
                    to: "hrss".into(),
                    reason: "r".into(),
                },
            ),
            rec(
                4,
                "2026-10-10T10:00",
                EventKind::ContactRecorded {
                    id: 1,
                    note: String::new(),
                },
            ),
            rec(
                5,
                "2026-10-12T10:00",
                EventKind::ReplyRecorded {
                    id: 1,
                    text: "t".into(),
                },
            ),
            rec(
                6,
                "2026-10-13T10:00",
                EventKind::IssueEvaluated {
                    id: 1,
                    evaluation: Evaluation {
                        closeness: 2,
                        integrity: 4,
                        satisfaction: 1,
                        comment: "没解决".into(),
                    },
                },
            ),
        ];
        let mut cur: Option<Issue> = None;
        let mut facts = vec![];
        for r in &events {
            let next = apply_issue(cur.as_ref(), r).unwrap();
            facts.push(Fact::of(cur.as_ref(), &next, r));
            cur = Some(next);
        }
        assert_eq!(facts[0].kind, FactKind::Logged);
        assert_eq!(facts[0].unit(), None);
        assert_eq!(facts[1].unit(), Some("tax"));
        assert_eq!(facts[2].unit_before.as_deref(), Some("tax"));
        assert_eq!(facts[2].unit_after.as_deref(), Some("hrss"));
        assert_eq!(facts[3].unit(), Some("hrss"));
        assert_eq!(facts[3].contact_due, d("2026-10-09"));
        assert!(!facts[4].closed());
        assert_eq!(facts[5].scores, Some([2, 4, 1]));
        assert!(facts[5].reopened(), "a low evaluation sends it back");
        assert!(!facts[5].closed());
    }
}
