//! The desk's plain types and rules, free of I/O: enterprises, units, issues and their
//! lifecycle, evaluations, shifts, inspections, and the events that change them.

pub mod account;
pub mod credit_code;
pub mod deadline;
pub mod enterprise;
pub mod evaluation;
pub mod event;
pub mod fact;
pub mod inspection;
pub mod issue;
pub mod phone;
pub mod policy;
pub mod residency;
pub mod serde_time;
pub mod shift;
pub mod supervision;
pub mod unit;

pub use account::{apply_account, Account, AccountRecord, Role};
pub use enterprise::{Enterprise, Grade, VipCategory};
pub use evaluation::Evaluation;
pub use event::{apply_issue, apply_shift, ApplyError, EventKind, Recorded, Target};
pub use fact::{Fact, FactKind};
pub use inspection::{Exemption, FiledBy, Inspection, InspectionKind, QuietDays};
pub use issue::{transition, Channel, DeadlineKind, Issue, IssueOp, IssueStatus, TransitionError};
pub use residency::Residency;
pub use shift::{DutyType, Officer, Shift};
pub use supervision::{DueSpec, Escalation, SupervisionLevel, ESCALATE_AT};
pub use unit::{Unit, UnitKind, Units};
