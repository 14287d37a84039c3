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
    Supervise {
        id: u64,
        reason: String,
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
    AcknowledgeHandover {
        id: u64,
    },
    RecordInspection {
        inspection: NewInspection,
    },
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
