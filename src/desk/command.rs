//! The desk's operations as messages: a command in, the recorded events and the changed issue
//! out. Serde types, so a future `dutydesk serve` can carry them over a socket unchanged.

use serde::{Deserialize, Serialize};

use crate::domain::{
    Channel, Enterprise, Evaluation, Exemption, FiledBy, InspectionKind, Issue, Officer, Recorded,
};

/// A new issue as collected at the desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewIssue {
    /// Credit code of a known enterprise.
    pub enterprise: String,
    pub category: String,
    pub channel: Channel,
    pub contact_name: String,
    pub phone: String,
    pub description: String,
}

/// A new inspection report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewInspection {
    pub unit: String,
    /// Credit code of a known enterprise.
    pub enterprise: String,
    pub date: chrono::NaiveDate,
    pub kind: InspectionKind,
    pub exemption: Option<Exemption>,
    pub by: FiledBy,
    pub inspectors: String,
    pub result: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    SaveEnterprise {
        enterprise: Enterprise,
    },
    /// All or nothing: one journal write for the whole file.
    ImportEnterprises {
        enterprises: Vec<Enterprise>,
    },
    LogIssue {
        issue: NewIssue,
    },
    Assign {
        id: u64,
        unit: String,
        helpers: Vec<String>,
        reason: String,
    },
    /// The unit holding the issue signs for it (签收).
    Receive {
        id: u64,
    },
    Transfer {
        id: u64,
        to: String,
        reason: String,
    },
    Return {
        id: u64,
        reason: String,
    },
    RecordContact {
        id: u64,
        note: String,
    },
    Reply {
        id: u64,
        text: String,
    },
    Resolve {
        id: u64,
        note: String,
    },
    Evaluate {
        id: u64,
        evaluation: Evaluation,
    },
    Reopen {
        id: u64,
        reason: String,
    },
    Void {
        id: u64,
        reason: String,
    },
    /// Supervision (督办) at 一般督办 with no due date: the short form.
    Supervise {
        id: u64,
        reason: String,
    },
    /// Supervision at a level, with an optional due date (after today, within the years the
    /// holiday calendar knows). Given again, it changes the level or the due date.
    SuperviseAt {
        id: u64,
        reason: String,
        #[serde(default)]
        level: crate::domain::SupervisionLevel,
        #[serde(default)]
        due: Option<crate::domain::DueSpec>,
    },
    AddNote {
        id: u64,
        text: String,
    },
    BeginShift {
        officer: Officer,
    },
    SaveShiftNotes {
        id: u64,
        notes: String,
    },
    EndShift {
        id: u64,
        brief: serde_json::Value,
    },
    /// Sign-off: the desk drafts the shift's brief as of now and files it.
    SignOff {
        id: u64,
    },
    AcknowledgeHandover {
        id: u64,
    },
    RecordInspection {
        inspection: NewInspection,
    },
    /// Add or change an account (role, unit, name), or enable it again.
    SaveAccount {
        account: crate::domain::Account,
    },
    DisableAccount {
        name: String,
        reason: String,
    },
    /// Record that a key (by fingerprint) was registered for an account.
    AccountKeyAdded {
        name: String,
        fingerprint: String,
    },
    /// Record that an account's password was set.
    AccountPasswordSet {
        name: String,
    },
    /// Set up a residency round, or change one not yet closed.
    SaveRound {
        round: crate::desk::residency::NewRound,
    },
    CloseRound {
        no: u32,
        note: String,
    },
    /// A firm's order for a round (点餐).
    SaveOrder {
        order: crate::desk::residency::NewOrder,
    },
    /// Place a pair of cadres in a firm (配餐).
    Place {
        round: u32,
        /// Credit code of a known enterprise.
        enterprise: String,
        cadres: Vec<crate::domain::residency::Cadre>,
    },
    VoidPlacement {
        placement: u64,
        reason: String,
    },
    /// An entry of a cadre's 五个一.
    RecordChecklist {
        placement: u64,
        cadre: String,
        item: crate::domain::residency::ChecklistItem,
    },
    VoidChecklist {
        placement: u64,
        cadre: String,
        index: usize,
        reason: String,
    },
    /// The firm's score of a cadre (admin only: the scores go to the organisation department).
    ScoreCadre {
        placement: u64,
        cadre: String,
        score: crate::domain::residency::Score,
    },
    /// The firm asks to extend the placement (加期).
    RequestExtension {
        placement: u64,
        reason: String,
    },
    /// An issue raised by a cadre in a placement: logged with channel 驻企干部 and linked.
    LogResidencyIssue {
        issue: NewIssue,
        placement: u64,
        cadre: String,
    },
}

impl Command {
    /// The issue a command is about, if it is about one.
    pub fn issue_id(&self) -> Option<u64> {
        use Command as C;
        match self {
            C::Assign { id, .. }
            | C::Receive { id }
            | C::Transfer { id, .. }
            | C::Return { id, .. }
            | C::RecordContact { id, .. }
            | C::Reply { id, .. }
            | C::Resolve { id, .. }
            | C::Evaluate { id, .. }
            | C::Reopen { id, .. }
            | C::Void { id, .. }
            | C::Supervise { id, .. }
            | C::SuperviseAt { id, .. }
            | C::AddNote { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// What the command asks to do, as the policy sees it.
    pub fn act(&self) -> crate::domain::policy::Act {
        use crate::domain::policy::Act;
        use crate::domain::IssueOp as O;
        use Command as C;
        match self {
            C::SaveEnterprise { .. } => Act::RegisterEnterprise,
            C::ImportEnterprises { .. } => Act::ImportEnterprises,
            C::LogIssue { .. } => Act::LogIssue,
            C::Assign { .. } => Act::Issue(O::Assign),
            C::Receive { .. } => Act::Issue(O::Receive),
            C::Transfer { .. } => Act::Issue(O::Transfer),
            C::Return { .. } => Act::Issue(O::Return),
            C::RecordContact { .. } => Act::Issue(O::Contact),
            C::Reply { .. } => Act::Issue(O::Reply),
            C::Resolve { .. } => Act::Issue(O::Resolve),
            C::Evaluate { .. } => Act::Issue(O::Evaluate { low: false }),
            C::Reopen { .. } => Act::Issue(O::Reopen),
            C::Void { .. } => Act::Issue(O::Void),
            C::Supervise { .. } | C::SuperviseAt { .. } => Act::Issue(O::Supervise),
            C::AddNote { .. } => Act::Issue(O::Note),
            C::BeginShift { .. }
            | C::SaveShiftNotes { .. }
            | C::EndShift { .. }
            | C::SignOff { .. }
            | C::AcknowledgeHandover { .. } => Act::Shift,
            C::RecordInspection { .. } => Act::Inspect,
            C::LogResidencyIssue { .. } => Act::LogIssue,
            C::ScoreCadre { .. } => Act::ScoreCadres,
            C::SaveRound { .. }
            | C::CloseRound { .. }
            | C::SaveOrder { .. }
            | C::Place { .. }
            | C::VoidPlacement { .. }
            | C::RecordChecklist { .. }
            | C::VoidChecklist { .. }
            | C::RequestExtension { .. } => Act::ManageResidency,
            C::SaveAccount { .. }
            | C::DisableAccount { .. }
            | C::AccountKeyAdded { .. }
            | C::AccountPasswordSet { .. } => Act::ManageAccounts,
        }
    }
}

/// What a command did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub events: Vec<Recorded>,
    /// The issue after the command, for issue commands.
    pub issue: Option<Issue>,
    /// The id of what was created (issue, shift, inspection), if anything.
    pub created: Option<u64>,
}
