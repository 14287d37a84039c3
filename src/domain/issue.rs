//! Issues (问题诉求) and their lifecycle: the one state machine of the closed loop
//! 收集 → 交办 → 跟踪督办 → 评价反馈.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::evaluation::Evaluation;

/// Where an issue is in the closed loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueStatus {
    /// Collected at the desk, not yet handed to a unit (已登记).
    Logged,
    /// Handed to a lead unit, which has not yet contacted the enterprise (已交办).
    Assigned,
    /// The unit has contacted the enterprise and is handling it (办理中).
    InProgress,
    /// The unit has replied with the outcome (已答复); awaiting evaluation.
    Replied,
    /// Closed and struck off (已办结).
    Closed,
    /// Voided with a reason (已作废): a duplicate or a mistaken entry. Never deleted.
    Voided,
}

impl IssueStatus {
    pub const ALL: [IssueStatus; 6] = [
        IssueStatus::Logged,
        IssueStatus::Assigned,
        IssueStatus::InProgress,
        IssueStatus::Replied,
        IssueStatus::Closed,
        IssueStatus::Voided,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            IssueStatus::Logged => "已登记",
            IssueStatus::Assigned => "已交办",
            IssueStatus::InProgress => "办理中",
            IssueStatus::Replied => "已答复",
            IssueStatus::Closed => "已办结",
            IssueStatus::Voided => "已作废",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            IssueStatus::Logged => "logged",
            IssueStatus::Assigned => "assigned",
            IssueStatus::InProgress => "in progress",
            IssueStatus::Replied => "replied",
            IssueStatus::Closed => "closed",
            IssueStatus::Voided => "voided",
        }
    }

    /// The machine name (`in_progress`), as in JSON and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            IssueStatus::Logged => "logged",
            IssueStatus::Assigned => "assigned",
            IssueStatus::InProgress => "in_progress",
            IssueStatus::Replied => "replied",
            IssueStatus::Closed => "closed",
            IssueStatus::Voided => "voided",
        }
    }

    pub fn parse(s: &str) -> Option<IssueStatus> {
        let s = s.trim();
        let key = s.replace('-', "_").to_ascii_lowercase();
        IssueStatus::ALL
            .into_iter()
            .find(|st| st.key() == key || st.zh() == s || st.en() == s)
    }

    /// Still needs work from someone (not closed, not voided).
    pub fn is_open(self) -> bool {
        !matches!(self, IssueStatus::Closed | IssueStatus::Voided)
    }
}

/// How the issue reached the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    WalkIn,
    Phone,
    Meeting,
    Online,
    InspectionReport,
    /// Raised by a cadre placed in the firm (四帮一体验), linked to the placement.
    Residency,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::WalkIn,
        Channel::Phone,
        Channel::Meeting,
        Channel::Online,
        Channel::InspectionReport,
        Channel::Residency,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            Channel::WalkIn => "来访",
            Channel::Phone => "来电",
            Channel::Meeting => "座谈会",
            Channel::Online => "线上",
            Channel::InspectionReport => "码上报备",
            Channel::Residency => "驻企干部",
        }
    }

    /// Command-line name (`walk-in`).
    pub fn key(self) -> &'static str {
        match self {
            Channel::WalkIn => "walk-in",
            Channel::Phone => "phone",
            Channel::Meeting => "meeting",
            Channel::Online => "online",
            Channel::InspectionReport => "inspection-report",
            Channel::Residency => "residency",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        let s = s.trim();
        Channel::ALL.into_iter().find(|c| {
            c.key().eq_ignore_ascii_case(s) || c.zh() == s || s.replace('_', "-") == c.key()
        })
    }
}

/// An operation on an issue, as far as the lifecycle is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueOp {
    Assign,
    /// The unit acknowledges it has received the assignment (签收).
    Receive,
    Transfer,
    /// The unit hands the issue back to the desk (退回), with a reason.
    Return,
    Contact,
    Reply,
    /// The desk closes a replied issue without (or before) the enterprise's evaluation.
    Resolve,
    /// The enterprise's evaluation; `low` when any score is ≤ 2 (reopens the issue).
    Evaluate {
        low: bool,
    },
    Reopen,
    Void,
    Supervise,
    Note,
}

impl IssueOp {
    /// Every step (an evaluation counted once, as a good one).
    pub const ALL: [IssueOp; 12] = [
        IssueOp::Assign,
        IssueOp::Receive,
        IssueOp::Transfer,
        IssueOp::Return,
        IssueOp::Contact,
        IssueOp::Reply,
        IssueOp::Resolve,
        IssueOp::Evaluate { low: false },
        IssueOp::Reopen,
        IssueOp::Void,
        IssueOp::Supervise,
        IssueOp::Note,
    ];

    pub fn key(self) -> &'static str {
        match self {
            IssueOp::Assign => "assign",
            IssueOp::Receive => "receive",
            IssueOp::Transfer => "transfer",
            IssueOp::Return => "return",
            IssueOp::Contact => "contact",
            IssueOp::Reply => "reply",
            IssueOp::Resolve => "resolve",
            IssueOp::Evaluate { .. } => "evaluate",
            IssueOp::Reopen => "reopen",
            IssueOp::Void => "void",
            IssueOp::Supervise => "supervise",
            IssueOp::Note => "note",
        }
    }
}

/// An operation the lifecycle does not allow in the current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {op} an issue that is {from}", op = .op.key(), from = .from.key())]
pub struct TransitionError {
    pub from: IssueStatus,
    pub op: IssueOp,
}

/// The lifecycle, in one place. Returns the status after `op`, or why it is not allowed.
///
/// ```text
/// Logged ──assign──► Assigned ──contact──► InProgress ──reply──► Replied ──evaluate/resolve──► Closed
/// Assigned/InProgress ──transfer──► Assigned;  ──return──► Logged
/// Closed ──reopen──► Assigned;  open ──void──► Voided;  low evaluation ──► Assigned
/// ```
pub fn transition(from: IssueStatus, op: IssueOp) -> Result<IssueStatus, TransitionError> {
    use IssueOp as O;
    use IssueStatus as S;
    let to = match (from, op) {
        (S::Logged, O::Assign) => S::Assigned,
        (S::Assigned, O::Receive) => S::Assigned,
        (S::Assigned | S::InProgress, O::Transfer) => S::Assigned,
        (S::Assigned | S::InProgress, O::Return) => S::Logged,
        (S::Assigned, O::Contact) => S::InProgress,
        (S::InProgress, O::Reply) => S::Replied,
        (S::Replied, O::Resolve) => S::Closed,
        // A closed issue may still receive the evaluation owed to it (回访).
        (S::Replied | S::Closed, O::Evaluate { low: false }) => S::Closed,
        (S::Replied | S::Closed, O::Evaluate { low: true }) => S::Assigned,
        (S::Closed, O::Reopen) => S::Assigned,
        (S::Logged | S::Assigned | S::InProgress | S::Replied, O::Void) => S::Voided,
        (S::Logged | S::Assigned | S::InProgress | S::Replied, O::Supervise) => from,
        (_, O::Note) => from,
        _ => return Err(TransitionError { from, op }),
    };
    Ok(to)
}

/// Which deadline an open issue is waiting on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The unit must contact the enterprise (2 working days).
    Contact,
    /// The unit must reply with the outcome (5 working days).
    Reply,
}

/// The current state of one issue: a fold of its events (see `domain::apply`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub id: u64,
    /// Credit code of the enterprise.
    pub enterprise: String,
    /// Name at logging time (for display without a lookup).
    pub enterprise_name: String,
    pub category: String,
    pub channel: Channel,
    pub contact_name: String,
    pub phone: String,
    pub description: String,
    pub status: IssueStatus,
    /// Main handling unit (主办), by unit id.
    pub unit: Option<String>,
    /// Helping units (协办).
    pub helpers: Vec<String>,
    #[serde(with = "crate::domain::serde_time::datetime")]
    pub logged_at: NaiveDateTime,
    pub logged_by: String,
    /// Last day (inclusive) for the unit to contact the enterprise.
    #[serde(with = "crate::domain::serde_time::date")]
    pub contact_due: NaiveDate,
    /// Last day (inclusive) for the unit to reply.
    #[serde(with = "crate::domain::serde_time::date")]
    pub reply_due: NaiveDate,
    /// The deadlines are provisional: counted through a year whose holiday notice the
    /// calendar did not have (see `domain::deadline`). As recorded until the desk settles it.
    pub beyond_calendar: bool,
    #[serde(with = "crate::domain::serde_time::opt_datetime")]
    pub assigned_at: Option<NaiveDateTime>,
    #[serde(with = "crate::domain::serde_time::opt_datetime")]
    pub contacted_at: Option<NaiveDateTime>,
    #[serde(with = "crate::domain::serde_time::opt_datetime")]
    pub replied_at: Option<NaiveDateTime>,
    #[serde(with = "crate::domain::serde_time::opt_datetime")]
    pub closed_at: Option<NaiveDateTime>,
    pub supervised: bool,
    pub evaluation: Option<Evaluation>,
    pub transfers: u32,
    pub returns: u32,
    pub reopens: u32,
    pub void_reason: Option<String>,
    #[serde(with = "crate::domain::serde_time::datetime")]
    pub updated_at: NaiveDateTime,
    /// When the unit now holding the issue signed for it (签收); cleared when it changes
    /// hands.
    #[serde(default, with = "crate::domain::serde_time::opt_datetime")]
    pub received_at: Option<NaiveDateTime>,
    /// Sequence number of the last event that changed the issue: what an officer saw, so a
    /// change made meanwhile by someone else is noticed, never silently overwritten.
    #[serde(default)]
    pub version: u64,
    /// The level of the supervision in force (None when not supervised).
    #[serde(default)]
    pub supervision_level: Option<super::supervision::SupervisionLevel>,
    /// The day (inclusive) the supervision asks the issue to be done by, if it set one.
    #[serde(default, with = "crate::domain::serde_time::opt_date")]
    pub supervision_due: Option<NaiveDate>,
}

impl Issue {
    /// Its deadlines are provisional (shown with `deadline::provisional_mark`).
    pub fn provisional(&self) -> bool {
        self.beyond_calendar
    }

    /// Its two deadlines as one value.
    pub fn deadlines(&self) -> super::deadline::Deadlines {
        super::deadline::Deadlines {
            contact_due: self.contact_due,
            reply_due: self.reply_due,
            beyond_calendar: self.beyond_calendar,
        }
    }

    /// The deadline the issue is waiting on now, if any.
    pub fn next_deadline(&self) -> Option<(DeadlineKind, NaiveDate)> {
        match self.status {
            IssueStatus::Logged | IssueStatus::Assigned => {
                Some((DeadlineKind::Contact, self.contact_due))
            }
            IssueStatus::InProgress => Some((DeadlineKind::Reply, self.reply_due)),
            _ => None,
        }
    }

    /// Overdue on `today`: a deadline it waits on has passed (the due day itself is in time).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.next_deadline().is_some_and(|(_, due)| today > due)
    }

    /// The callback is owed (回访未评价): the unit has replied and the enterprise has not yet
    /// evaluated this reply (after a reopen, an earlier evaluation does not count). Closing
    /// without an evaluation strikes the issue off (销号); an evaluation may still be recorded
    /// later, but the desk no longer chases it.
    pub fn evaluation_owed(&self) -> bool {
        self.status == IssueStatus::Replied
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IssueOp as O;
    use IssueStatus as S;

    const OPS: [IssueOp; 13] = [
        O::Assign,
        O::Receive,
        O::Transfer,
        O::Return,
        O::Contact,
        O::Reply,
        O::Resolve,
        O::Evaluate { low: false },
        O::Evaluate { low: true },
        O::Reopen,
        O::Void,
        O::Supervise,
        O::Note,
    ];

    /// The whole table, written out: every (state, op) pair and its expected result.
    fn expected(from: S, op: O) -> Option<S> {
        Some(match (from, op) {
            (S::Logged, O::Assign) => S::Assigned,
            (S::Assigned, O::Receive) => S::Assigned,
            (S::Logged, O::Void) => S::Voided,
            (S::Logged, O::Supervise) => S::Logged,
            (S::Logged, O::Note) => S::Logged,
            (S::Assigned, O::Transfer) => S::Assigned,
            (S::Assigned, O::Return) => S::Logged,
            (S::Assigned, O::Contact) => S::InProgress,
            (S::Assigned, O::Void) => S::Voided,
            (S::Assigned, O::Supervise) => S::Assigned,
            (S::Assigned, O::Note) => S::Assigned,
            (S::InProgress, O::Transfer) => S::Assigned,
            (S::InProgress, O::Return) => S::Logged,
            (S::InProgress, O::Reply) => S::Replied,
            (S::InProgress, O::Void) => S::Voided,
            (S::InProgress, O::Supervise) => S::InProgress,
            (S::InProgress, O::Note) => S::InProgress,
            (S::Replied, O::Resolve) => S::Closed,
            (S::Replied, O::Evaluate { low: false }) => S::Closed,
            (S::Replied, O::Evaluate { low: true }) => S::Assigned,
            (S::Replied, O::Void) => S::Voided,
            (S::Replied, O::Supervise) => S::Replied,
            (S::Replied, O::Note) => S::Replied,
            (S::Closed, O::Evaluate { low: false }) => S::Closed,
            (S::Closed, O::Evaluate { low: true }) => S::Assigned,
            (S::Closed, O::Reopen) => S::Assigned,
            (S::Closed, O::Note) => S::Closed,
            (S::Voided, O::Note) => S::Voided,
            _ => return None,
        })
    }

    #[test]
    fn every_state_and_op() {
        let mut legal = 0;
        for from in IssueStatus::ALL {
            for op in OPS {
                match (transition(from, op), expected(from, op)) {
                    (Ok(to), Some(exp)) => {
                        assert_eq!(to, exp, "{from:?} {op:?}");
                        legal += 1;
                    }
                    (Err(e), None) => {
                        assert_eq!(e, TransitionError { from, op });
                        // The message names both the current state and the operation.
                        let msg = e.to_string();
                        assert!(msg.contains(from.key()) && msg.contains(op.key()), "{msg}");
                    }
                    (got, exp) => panic!("{from:?} {op:?}: got {got:?}, expected {exp:?}"),
                }
            }
        }
        assert_eq!(legal, 28);
    }

    #[test]
    fn voided_is_terminal_and_closed_only_reopens() {
        for op in OPS {
            if op != O::Note {
                assert!(transition(S::Voided, op).is_err());
            }
        }
        assert_eq!(transition(S::Closed, O::Reopen), Ok(S::Assigned));
        assert!(transition(S::Closed, O::Void).is_err());
    }

    #[test]
    fn status_parse_round_trip() {
        for s in IssueStatus::ALL {
            assert_eq!(IssueStatus::parse(s.key()), Some(s));
            assert_eq!(IssueStatus::parse(s.zh()), Some(s));
        }
        assert_eq!(IssueStatus::parse("in-progress"), Some(S::InProgress));
        assert_eq!(IssueStatus::parse("nonsense"), None);
    }
}
