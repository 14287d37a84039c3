//! Events: every change to the desk's records, as recorded in the journal (who, when, what,
//! why). Current state is a fold of these (`apply`), so it can always be rebuilt.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::account::Account;
use super::enterprise::Enterprise;
use super::evaluation::Evaluation;
use super::inspection::Inspection;
use super::issue::{transition, Channel, Issue, IssueOp, IssueStatus, TransitionError};
use super::residency::{ChecklistItem, Order, Placement, ResidencyError, Round, Score};
use super::shift::{Officer, Shift};
use super::supervision::SupervisionLevel;

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// An enterprise was registered or its details changed.
    EnterpriseSaved {
        enterprise: Enterprise,
    },
    IssueLogged {
        id: u64,
        enterprise: String,
        enterprise_name: String,
        category: String,
        channel: Channel,
        contact_name: String,
        phone: String,
        description: String,
        /// Deadlines are fixed when the issue is logged, so history replays identically even
        /// if the calendar or configuration changes later.
        contact_due: NaiveDate,
        reply_due: NaiveDate,
        /// The deadlines were provisional (a year without its holiday notice was counted with
        /// the statutory days only; journals of earlier versions: with plain weekdays). Never
        /// rewritten: the desk counts such deadlines again as it reads them.
        #[serde(default)]
        beyond_calendar: bool,
    },
    IssueAssigned {
        id: u64,
        unit: String,
        #[serde(default)]
        helpers: Vec<String>,
        #[serde(default)]
        reason: String,
    },
    /// The unit now holding the issue has received it (签收).
    IssueReceived {
        id: u64,
        unit: String,
    },
    IssueTransferred {
        id: u64,
        from: String,
        to: String,
        reason: String,
    },
    IssueReturned {
        id: u64,
        from: String,
        reason: String,
    },
    ContactRecorded {
        id: u64,
        #[serde(default)]
        note: String,
    },
    ReplyRecorded {
        id: u64,
        text: String,
    },
    IssueResolved {
        id: u64,
        #[serde(default)]
        note: String,
    },
    IssueEvaluated {
        id: u64,
        evaluation: Evaluation,
    },
    IssueReopened {
        id: u64,
        reason: String,
    },
    IssueVoided {
        id: u64,
        reason: String,
    },
    /// Put under supervision (督办), or its level or due date changed. Events recorded before
    /// levels existed read as 一般督办 with no due date.
    IssueSupervised {
        id: u64,
        reason: String,
        #[serde(default)]
        level: SupervisionLevel,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<NaiveDate>,
    },
    NoteAdded {
        id: u64,
        text: String,
    },
    ShiftBegun {
        id: u64,
        officer: Officer,
    },
    ShiftNotesSaved {
        id: u64,
        notes: String,
    },
    /// Sign-off: the brief is frozen here.
    ShiftEnded {
        id: u64,
        brief: serde_json::Value,
    },
    /// `officer` (not `by`): the envelope's `by` sits beside these fields in the journal.
    HandoverAcknowledged {
        id: u64,
        officer: String,
    },
    InspectionRecorded {
        inspection: Inspection,
    },
    /// An account of the shared desk was added or changed (role, unit, name), or enabled again.
    AccountSaved {
        account: Account,
    },
    AccountDisabled {
        name: String,
        #[serde(default)]
        reason: String,
    },
    /// A key was registered for an account: only its fingerprint is recorded; the key itself
    /// is kept in the server's access file, never in the journal.
    AccountKeyAdded {
        name: String,
        fingerprint: String,
    },
    /// A password was set for an account (its hash is in the access file only).
    AccountPasswordSet {
        name: String,
    },
    /// A residency round (四帮一体验) was set up, or its dates or organisers changed.
    RoundSaved {
        round: Round,
    },
    /// The round is closed: its figures are final and the firms' scores go out.
    RoundClosed {
        no: u32,
        #[serde(default)]
        note: String,
    },
    /// A firm's order for a round (点餐), taken at the visit before it; replaces an earlier one.
    OrderSaved {
        order: Order,
    },
    /// A pair of cadres placed in a firm (配餐).
    PlacementSaved {
        placement: Placement,
    },
    PlacementVoided {
        placement: u64,
        reason: String,
    },
    /// An entry of a cadre's 五个一.
    ChecklistRecorded {
        placement: u64,
        cadre: String,
        item: ChecklistItem,
    },
    /// A mistaken checklist entry (its index among the cadre's entries) is voided.
    ChecklistVoided {
        placement: u64,
        cadre: String,
        index: usize,
        reason: String,
    },
    /// The firm's score of a cadre, given back-to-back at the end of the round.
    CadreScored {
        placement: u64,
        cadre: String,
        score: Score,
    },
    /// The firm asked to keep its cadres longer (加期).
    ExtensionRequested {
        placement: u64,
        #[serde(default)]
        reason: String,
    },
    /// The issue logged in the same batch was raised by a cadre in a placement.
    ResidencyIssueLinked {
        issue: u64,
        placement: u64,
        cadre: String,
    },
}

/// An event as recorded: sequence number, time, officer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    pub seq: u64,
    pub at: NaiveDateTime,
    pub by: String,
    /// The district whose desk recorded it (its 6-digit administrative division code, from
    /// `[district]` in config.toml), so events of different districts never collide in the
    /// city's copy. Events recorded before districts were configured have none: the district
    /// configured now applies to them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    #[serde(flatten)]
    pub event: EventKind,
}

/// The record an event changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    Enterprise(&'a str),
    Issue(u64),
    Shift(u64),
    Inspection(u64),
    Account(&'a str),
    /// The residency programme (one record: rounds, orders, placements and their checklists).
    Residency,
}

impl EventKind {
    pub fn target(&self) -> Target<'_> {
        use EventKind as E;
        match self {
            E::EnterpriseSaved { enterprise } => Target::Enterprise(&enterprise.credit_code),
            E::IssueLogged { id, .. }
            | E::IssueAssigned { id, .. }
            | E::IssueReceived { id, .. }
            | E::IssueTransferred { id, .. }
            | E::IssueReturned { id, .. }
            | E::ContactRecorded { id, .. }
            | E::ReplyRecorded { id, .. }
            | E::IssueResolved { id, .. }
            | E::IssueEvaluated { id, .. }
            | E::IssueReopened { id, .. }
            | E::IssueVoided { id, .. }
            | E::IssueSupervised { id, .. }
            | E::NoteAdded { id, .. } => Target::Issue(*id),
            E::ShiftBegun { id, .. }
            | E::ShiftNotesSaved { id, .. }
            | E::ShiftEnded { id, .. }
            | E::HandoverAcknowledged { id, .. } => Target::Shift(*id),
            E::InspectionRecorded { inspection } => Target::Inspection(inspection.id),
            E::AccountSaved { account } => Target::Account(&account.name),
            E::AccountDisabled { name, .. }
            | E::AccountKeyAdded { name, .. }
            | E::AccountPasswordSet { name } => Target::Account(name),
            E::RoundSaved { .. }
            | E::RoundClosed { .. }
            | E::OrderSaved { .. }
            | E::PlacementSaved { .. }
            | E::PlacementVoided { .. }
            | E::ChecklistRecorded { .. }
            | E::ChecklistVoided { .. }
            | E::CadreScored { .. }
            | E::ExtensionRequested { .. }
            | E::ResidencyIssueLinked { .. } => Target::Residency,
        }
    }

    /// The lifecycle operation of an issue event (None for `IssueLogged` and non-issue events).
    pub fn issue_op(&self) -> Option<IssueOp> {
        use EventKind as E;
        Some(match self {
            E::IssueAssigned { .. } => IssueOp::Assign,
            E::IssueReceived { .. } => IssueOp::Receive,
            E::IssueTransferred { .. } => IssueOp::Transfer,
            E::IssueReturned { .. } => IssueOp::Return,
            E::ContactRecorded { .. } => IssueOp::Contact,
            E::ReplyRecorded { .. } => IssueOp::Reply,
            E::IssueResolved { .. } => IssueOp::Resolve,
            E::IssueEvaluated { evaluation, .. } => IssueOp::Evaluate {
                low: evaluation.is_low(),
            },
            E::IssueReopened { .. } => IssueOp::Reopen,
            E::IssueVoided { .. } => IssueOp::Void,
            E::IssueSupervised { .. } => IssueOp::Supervise,
            E::NoteAdded { .. } => IssueOp::Note,
            _ => return None,
        })
    }

    /// The event's name as the Chinese UI says it.
    pub fn zh(&self) -> &'static str {
        use EventKind as E;
        match self {
            E::EnterpriseSaved { .. } => "企业信息",
            E::IssueLogged { .. } => "登记",
            E::IssueAssigned { .. } => "交办",
            E::IssueReceived { .. } => "签收",
            E::IssueTransferred { .. } => "转办",
            E::IssueReturned { .. } => "退回",
            E::ContactRecorded { .. } => "已对接",
            E::ReplyRecorded { .. } => "已答复",
            E::IssueResolved { .. } => "办结",
            E::IssueEvaluated { .. } => "评价",
            E::IssueReopened { .. } => "重新打开",
            E::IssueVoided { .. } => "作废",
            E::IssueSupervised { .. } => "督办",
            E::NoteAdded { .. } => "备注",
            E::ShiftBegun { .. } => "签到",
            E::ShiftNotesSaved { .. } => "交接留言",
            E::ShiftEnded { .. } => "签退",
            E::HandoverAcknowledged { .. } => "确认接班",
            E::InspectionRecorded { .. } => "检查报备",
            E::AccountSaved { .. } => "账号登记",
            E::AccountDisabled { .. } => "账号停用",
            E::AccountKeyAdded { .. } => "登记密钥",
            E::AccountPasswordSet { .. } => "设置密码",
            E::RoundSaved { .. } => "驻企期次",
            E::RoundClosed { .. } => "期次收官",
            E::OrderSaved { .. } => "企业点餐",
            E::PlacementSaved { .. } => "干部配餐",
            E::PlacementVoided { .. } => "撤销配餐",
            E::ChecklistRecorded { .. } => "五个一",
            E::ChecklistVoided { .. } => "五个一作废",
            E::CadreScored { .. } => "企业评分",
            E::ExtensionRequested { .. } => "申请加期",
            E::ResidencyIssueLinked { .. } => "驻企问题",
        }
    }

    /// The "why" of an event (reason, note, reply text, scores), for histories.
    /// One line on what the event did, with unit ids shown through `unit_name`.
    pub fn detail(&self, unit_name: &dyn Fn(&str) -> String) -> String {
        use EventKind as E;
        match self {
            E::IssueAssigned { unit, reason, .. } => {
                format!("{} {reason}", unit_name(unit)).trim().to_string()
            }
            E::IssueReceived { unit, .. } => unit_name(unit),
            E::IssueTransferred {
                from, to, reason, ..
            } => format!("{} → {}: {reason}", unit_name(from), unit_name(to)),
            E::IssueReturned { reason, .. }
            | E::IssueReopened { reason, .. }
            | E::IssueVoided { reason, .. } => reason.clone(),
            E::IssueSupervised {
                reason, level, due, ..
            } => {
                // The level in Chinese: the history is read by the desk in Chinese, and the
                // level is a term of the trade either way.
                let due = due.map(|d| format!(" → {d}")).unwrap_or_default();
                format!("{}{due}: {reason}", level.zh())
            }
            E::ContactRecorded { note, .. } | E::IssueResolved { note, .. } => note.clone(),
            E::ReplyRecorded { text, .. } | E::NoteAdded { text, .. } => text.clone(),
            E::IssueEvaluated { evaluation: ev, .. } => format!(
                "{}/{}/{} {}",
                ev.closeness, ev.integrity, ev.satisfaction, ev.comment
            )
            .trim()
            .to_string(),
            E::IssueLogged {
                category,
                description,
                ..
            } => format!("{category}: {description}"),
            _ => String::new(),
        }
    }

    /// Machine name of the event (`issue_assigned`), as in the journal.
    pub fn name(&self) -> &'static str {
        use EventKind as E;
        match self {
            E::EnterpriseSaved { .. } => "enterprise_saved",
            E::IssueLogged { .. } => "issue_logged",
            E::IssueAssigned { .. } => "issue_assigned",
            E::IssueReceived { .. } => "issue_received",
            E::IssueTransferred { .. } => "issue_transferred",
            E::IssueReturned { .. } => "issue_returned",
            E::ContactRecorded { .. } => "contact_recorded",
            E::ReplyRecorded { .. } => "reply_recorded",
            E::IssueResolved { .. } => "issue_resolved",
            E::IssueEvaluated { .. } => "issue_evaluated",
            E::IssueReopened { .. } => "issue_reopened",
            E::IssueVoided { .. } => "issue_voided",
            E::IssueSupervised { .. } => "issue_supervised",
            E::NoteAdded { .. } => "note_added",
            E::ShiftBegun { .. } => "shift_begun",
            E::ShiftNotesSaved { .. } => "shift_notes_saved",
            E::ShiftEnded { .. } => "shift_ended",
            E::HandoverAcknowledged { .. } => "handover_acknowledged",
            E::InspectionRecorded { .. } => "inspection_recorded",
            E::AccountSaved { .. } => "account_saved",
            E::AccountDisabled { .. } => "account_disabled",
            E::AccountKeyAdded { .. } => "account_key_added",
            E::AccountPasswordSet { .. } => "account_password_set",
            E::RoundSaved { .. } => "round_saved",
            E::RoundClosed { .. } => "round_closed",
            E::OrderSaved { .. } => "order_saved",
            E::PlacementSaved { .. } => "placement_saved",
            E::PlacementVoided { .. } => "placement_voided",
            E::ChecklistRecorded { .. } => "checklist_recorded",
            E::ChecklistVoided { .. } => "checklist_voided",
            E::CadreScored { .. } => "cadre_scored",
            E::ExtensionRequested { .. } => "extension_requested",
            E::ResidencyIssueLinked { .. } => "residency_issue_linked",
        }
    }
}

/// Why an event cannot be applied to the current record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("issue {0} does not exist")]
    NoIssue(u64),
    #[error("issue {0} already exists")]
    IssueExists(u64),
    #[error("shift {0} does not exist")]
    NoShift(u64),
    #[error("shift {0} is already signed off; its brief cannot change")]
    ShiftClosed(u64),
    #[error("shift {0} is still open; it cannot be acknowledged before sign-off")]
    ShiftOpen(u64),
    #[error("shift {0} already exists")]
    ShiftExists(u64),
    #[error("shift {0}'s handover was already acknowledged")]
    AlreadyAcknowledged(u64),
    #[error("no account {0}")]
    NoAccount(String),
    #[error("issue {0} was already signed for by the unit holding it")]
    AlreadyReceived(u64),
    #[error(transparent)]
    Residency(#[from] ResidencyError),
    #[error("issue {id} is held by {holder}, not {unit}: only the unit holding it signs for it")]
    NotHolder {
        id: u64,
        unit: String,
        holder: String,
    },
}

/// Applies an issue event to the issue's current state. The single place where issue events
/// change issues; the desk uses it to validate before recording, the store to rebuild.
pub fn apply_issue(prev: Option<&Issue>, rec: &Recorded) -> Result<Issue, ApplyError> {
    use EventKind as E;
    if let E::IssueLogged {
        id,
        enterprise,
        enterprise_name,
        category,
        channel,
        contact_name,
        phone,
        description,
        contact_due,
        reply_due,
        beyond_calendar,
    } = &rec.event
    {
        if prev.is_some() {
            return Err(ApplyError::IssueExists(*id));
        }
        return Ok(Issue {
            id: *id,
            enterprise: enterprise.clone(),
            enterprise_name: enterprise_name.clone(),
            category: category.clone(),
            channel: *channel,
            contact_name: contact_name.clone(),
            phone: phone.clone(),
            description: description.clone(),
            status: IssueStatus::Logged,
            unit: None,
            helpers: vec![],
            logged_at: rec.at,
            logged_by: rec.by.clone(),
            contact_due: *contact_due,
            reply_due: *reply_due,
            beyond_calendar: *beyond_calendar,
            assigned_at: None,
            contacted_at: None,
            replied_at: None,
            closed_at: None,
            supervised: false,
            evaluation: None,
            transfers: 0,
            returns: 0,
            reopens: 0,
            void_reason: None,
            updated_at: rec.at,
            received_at: None,
            version: rec.seq,
            supervision_level: None,
            supervision_due: None,
        });
    }
    let Target::Issue(id) = rec.event.target() else {
        unreachable!("apply_issue called with a non-issue event")
    };
    let mut issue = prev.cloned().ok_or(ApplyError::NoIssue(id))?;
    let op = rec.event.issue_op().ok_or(ApplyError::NoIssue(id))?;
    let to = transition(issue.status, op)?;
    let at = rec.at;
    match &rec.event {
        E::IssueAssigned { unit, helpers, .. } => {
            issue.unit = Some(unit.clone());
            issue.helpers = helpers.clone();
            issue.assigned_at.get_or_insert(at);
            issue.received_at = None;
        }
        E::IssueReceived { unit, .. } => {
            if issue.received_at.is_some() {
                return Err(ApplyError::AlreadyReceived(id));
            }
            if issue.unit.as_deref() != Some(unit.as_str()) {
                return Err(ApplyError::NotHolder {
                    id,
                    unit: unit.clone(),
                    holder: issue.unit.clone().unwrap_or_default(),
                });
            }
            issue.received_at = Some(at);
        }
        E::IssueTransferred { to, .. } => {
            issue.unit = Some(to.clone());
            issue.transfers += 1;
            issue.received_at = None;
        }
        E::IssueReturned { .. } => {
            issue.unit = None;
            issue.returns += 1;
            issue.received_at = None;
        }
        E::ContactRecorded { .. } => {
            issue.contacted_at.get_or_insert(at);
        }
        E::ReplyRecorded { .. } => {
            issue.replied_at = Some(at);
        }
        E::IssueResolved { .. } => {
            issue.closed_at = Some(at);
            end_supervision(&mut issue);
        }
        E::IssueEvaluated { evaluation, .. } => {
            issue.evaluation = Some(evaluation.clone());
            if to == IssueStatus::Closed {
                issue.closed_at.get_or_insert(at);
                end_supervision(&mut issue);
            } else {
                // Unsatisfied: back to the unit, which must reply again.
                issue.closed_at = None;
                issue.replied_at = None;
                issue.reopens += 1;
            }
        }
        E::IssueReopened { .. } => {
            issue.closed_at = None;
            issue.replied_at = None;
            issue.evaluation = None;
            issue.reopens += 1;
        }
        E::IssueVoided { reason, .. } => {
            issue.void_reason = Some(reason.clone());
            end_supervision(&mut issue);
        }
        E::IssueSupervised { level, due, .. } => {
            issue.supervised = true;
            issue.supervision_level = Some(*level);
            issue.supervision_due = *due;
        }
        _ => {}
    }
    if matches!(&rec.event, E::IssueReopened { .. })
        || (to == IssueStatus::Assigned && matches!(&rec.event, E::IssueEvaluated { .. }))
    {
        // Back to the unit: it signs for it again.
        issue.received_at = None;
    }
    issue.status = to;
    issue.updated_at = at;
    issue.version = rec.seq;
    Ok(issue)
}

/// Closing or voiding strikes the issue off: the supervision ends with it.
fn end_supervision(issue: &mut Issue) {
    issue.supervised = false;
    issue.supervision_level = None;
    issue.supervision_due = None;
}

/// Applies a shift event to the shift's current state.
pub fn apply_shift(prev: Option<&Shift>, rec: &Recorded) -> Result<Shift, ApplyError> {
    use EventKind as E;
    match (&rec.event, prev) {
        (E::ShiftBegun { id, officer }, None) => Ok(Shift {
            id: *id,
            officer: officer.clone(),
            started_at: rec.at,
            ended_at: None,
            notes: String::new(),
            brief: None,
            acknowledged: None,
        }),
        (E::ShiftBegun { id, .. }, Some(_)) => Err(ApplyError::ShiftExists(*id)),
        (
            E::ShiftNotesSaved { id, .. }
            | E::ShiftEnded { id, .. }
            | E::HandoverAcknowledged { id, .. },
            None,
        ) => Err(ApplyError::NoShift(*id)),
        (E::ShiftNotesSaved { id, notes }, Some(s)) => {
            if s.ended_at.is_some() {
                return Err(ApplyError::ShiftClosed(*id));
            }
            Ok(Shift {
                notes: notes.clone(),
                ..s.clone()
            })
        }
        (E::ShiftEnded { id, brief }, Some(s)) => {
            if s.ended_at.is_some() {
                return Err(ApplyError::ShiftClosed(*id));
            }
            Ok(Shift {
                ended_at: Some(rec.at),
                brief: Some(brief.clone()),
                ..s.clone()
            })
        }
        (E::HandoverAcknowledged { id, officer }, Some(s)) => {
            if s.ended_at.is_none() {
                return Err(ApplyError::ShiftOpen(*id));
            }
            if s.acknowledged.is_some() {
                return Err(ApplyError::AlreadyAcknowledged(*id));
            }
            Ok(Shift {
                acknowledged: Some((officer.clone(), rec.at)),
                ..s.clone()
            })
        }
        _ => unreachable!("apply_shift called with a non-shift event"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 9, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    fn rec(seq: u64, event: EventKind) -> Recorded {
        Recorded {
            district: None,
            seq,
            at: at(28, seq as u32),
            by: "张三".into(),
            event,
        }
    }

    fn logged() -> Issue {
        let r = rec(
            1,
            EventKind::IssueLogged {
                id: 7,
                enterprise: "91440300708461136T".into(),
                enterprise_name: "测试".into(),
                category: "融资".into(),
                channel: Channel::WalkIn,
                contact_name: "李四".into(),
                phone: "13812345678".into(),
                description: "贷款".into(),
                contact_due: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
                reply_due: NaiveDate::from_ymd_opt(2026, 10, 12).unwrap(),
                beyond_calendar: false,
            },
        );
        apply_issue(None, &r).unwrap()
    }

    #[test]
    fn full_loop_and_low_evaluation_reopens() {
        let mut i = logged();
        assert_eq!(i.status, IssueStatus::Logged);
        let steps = [
            EventKind::IssueAssigned {
                id: 7,
                unit: "tax".into(),
                helpers: vec![],
                reason: String::new(),
            },
            EventKind::IssueTransferred {
                id: 7,
                from: "tax".into(),
                to: "finance".into(),
                reason: "归口".into(),
            },
            EventKind::ContactRecorded {
                id: 7,
                note: String::new(),
            },
            EventKind::ReplyRecorded {
                id: 7,
                text: "已办".into(),
            },
            EventKind::IssueEvaluated {
                id: 7,
                evaluation: Evaluation {
                    closeness: 2,
                    integrity: 5,
                    satisfaction: 3,
                    comment: "慢".into(),
                },
            },
        ];
        for (n, e) in steps.into_iter().enumerate() {
            i = apply_issue(Some(&i), &rec(n as u64 + 2, e)).unwrap();
        }
        assert_eq!(i.status, IssueStatus::Assigned);
        assert_eq!(i.unit.as_deref(), Some("finance"));
        assert_eq!((i.transfers, i.reopens), (1, 1));
        assert!(i.replied_at.is_none());
        // Contacted stays recorded from the first time.
        assert!(i.contacted_at.is_some());
    }

    #[test]
    fn three_transfers_or_reopens_escalate_and_closing_ends_supervision() {
        use crate::domain::Escalation;
        let mut i = logged();
        let mut seq = 1;
        let mut step = |i: &Issue, e: EventKind| {
            seq += 1;
            apply_issue(Some(i), &rec(seq, e)).unwrap()
        };
        i = step(
            &i,
            EventKind::IssueAssigned {
                id: 7,
                unit: "tax".into(),
                helpers: vec![],
                reason: String::new(),
            },
        );
        for (n, (from, to)) in [("tax", "finance"), ("finance", "hrss"), ("hrss", "tax")]
            .into_iter()
            .enumerate()
        {
            assert_eq!(i.escalation(), None, "after {n} transfers");
            i = step(
                &i,
                EventKind::IssueTransferred {
                    id: 7,
                    from: from.into(),
                    to: to.into(),
                    reason: "归口".into(),
                },
            );
        }
        assert_eq!(i.escalation(), Some(Escalation::Transferred(3)));
        i = step(
            &i,
            EventKind::IssueSupervised {
                id: 7,
                reason: "提级".into(),
                level: SupervisionLevel::Escalated,
                due: NaiveDate::from_ymd_opt(2026, 10, 9),
            },
        );
        assert_eq!(i.supervision(), Some(SupervisionLevel::Escalated));
        let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
        assert!(!i.supervision_overdue(day(9)) && i.supervision_overdue(day(10)));
        i = step(
            &i,
            EventKind::ContactRecorded {
                id: 7,
                note: String::new(),
            },
        );
        i = step(
            &i,
            EventKind::ReplyRecorded {
                id: 7,
                text: "已办".into(),
            },
        );
        i = step(
            &i,
            EventKind::IssueResolved {
                id: 7,
                note: String::new(),
            },
        );
        assert_eq!(
            (i.supervised, i.supervision(), i.supervision_due),
            (false, None, None)
        );
        // A closed issue carries no flag; three reopens flag it again.
        assert_eq!(i.escalation(), None);
        i.reopens = 3;
        i.status = IssueStatus::Assigned;
        assert_eq!(i.escalation(), Some(Escalation::Reopened(3)));
    }

    #[test]
    fn illegal_event_is_refused() {
        let i = logged();
        let err = apply_issue(
            Some(&i),
            &rec(
                2,
                EventKind::ReplyRecorded {
                    id: 7,
                    text: "x".into(),
                },
            ),
        )
        .unwrap_err();
        assert_eq!(
            err,
            ApplyError::Transition(TransitionError {
                from: IssueStatus::Logged,
                op: IssueOp::Reply
            })
        );
        assert_eq!(
            apply_issue(
                None,
                &rec(
                    2,
                    EventKind::NoteAdded {
                        id: 7,
                        text: "x".into()
                    }
                )
            )
            .unwrap_err(),
            ApplyError::NoIssue(7)
        );
    }

    #[test]
    fn shift_brief_is_frozen_after_sign_off() {
        let officer = Officer {
            name: "王五".into(),
            unit: "tax".into(),
            duty: super::super::shift::DutyType::Fixed,
        };
        let s = apply_shift(None, &rec(1, EventKind::ShiftBegun { id: 1, officer })).unwrap();
        assert_eq!(
            apply_shift(
                Some(&s),
                &rec(
                    2,
                    EventKind::HandoverAcknowledged {
                        id: 1,
                        officer: "x".into()
                    }
                )
            ),
            Err(ApplyError::ShiftOpen(1))
        );
        let s = apply_shift(
            Some(&s),
            &rec(
                2,
                EventKind::ShiftEnded {
                    id: 1,
                    brief: serde_json::json!({"a":1}),
                },
            ),
        )
        .unwrap();
        assert_eq!(
            apply_shift(
                Some(&s),
                &rec(
                    3,
                    EventKind::ShiftNotesSaved {
                        id: 1,
                        notes: "x".into()
                    }
                )
            ),
            Err(ApplyError::ShiftClosed(1))
        );
        assert_eq!(
            apply_shift(
                Some(&s),
                &rec(
                    3,
                    EventKind::ShiftEnded {
                        id: 1,
                        brief: serde_json::json!({})
                    }
                )
            ),
            Err(ApplyError::ShiftClosed(1))
        );
        let s = apply_shift(
            Some(&s),
            &rec(
                4,
                EventKind::HandoverAcknowledged {
                    id: 1,
                    officer: "赵六".into(),
                },
            ),
        )
        .unwrap();
        assert_eq!(s.acknowledged.as_ref().map(|a| a.0.as_str()), Some("赵六"));
        assert!(apply_shift(
            Some(&s),
            &rec(
                5,
                EventKind::HandoverAcknowledged {
                    id: 1,
                    officer: "x".into()
                }
            )
        )
        .is_err());
    }
}

#[cfg(test)]
mod journal_shape {
    use super::*;

    /// Supervision recorded before levels existed reads as 一般督办 with no due date, and a
    /// level with a due date is kept; closing ends both.
    #[test]
    fn supervision_from_older_journals_reads_as_general() {
        let old = r#"{"seq":3,"at":"2026-11-20T10:00:00","by":"x","type":"issue_supervised","id":7,"reason":"超期"}"#;
        let r: Recorded = serde_json::from_str(old).unwrap();
        assert_eq!(
            r.event,
            EventKind::IssueSupervised {
                id: 7,
                reason: "超期".into(),
                level: SupervisionLevel::General,
                due: None,
            }
        );
        let new = EventKind::IssueSupervised {
            id: 7,
            reason: "超期".into(),
            level: SupervisionLevel::Key,
            due: NaiveDate::from_ymd_opt(2026, 11, 25),
        };
        let json = serde_json::to_string(&new).unwrap();
        assert!(
            json.contains(r#""level":"key""#) && json.contains("2026-11-25"),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<EventKind>(&json).unwrap(), new);
    }

    /// Every event's fields sit beside the envelope's (`seq`, `at`, `by`, `type`) in one JSON
    /// object: none may reuse those names, or the line cannot be read back.
    #[test]
    fn no_event_field_collides_with_the_envelope() {
        let samples = vec![
            EventKind::HandoverAcknowledged {
                id: 1,
                officer: "x".into(),
            },
            EventKind::ShiftEnded {
                id: 1,
                brief: serde_json::json!({"by": "nested is fine"}),
            },
            EventKind::IssueTransferred {
                id: 1,
                from: "a".into(),
                to: "b".into(),
                reason: "r".into(),
            },
        ];
        for event in samples {
            let rec = Recorded {
                district: None,
                seq: 1,
                at: chrono::NaiveDateTime::default(),
                by: "me".into(),
                event,
            };
            let json = serde_json::to_string(&rec).unwrap();
            let back: Recorded =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(back, rec);
        }
    }
}
