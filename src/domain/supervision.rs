//! Supervision (督办) and escalation (提级督办): the level a supervisor sets, and the flag the
//! 12345 rules raise by themselves when an issue keeps coming back or moving between units.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::issue::Issue;

/// How hard an issue is chased.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SupervisionLevel {
    /// 一般督办: written supervision of an overdue or stuck issue. What supervision recorded
    /// before levels existed reads as this.
    #[default]
    General,
    /// 重点督办: a named priority, chased by the coordinating bodies.
    Key,
    /// 提级督办: raised to the level above (reopened or passed round too often).
    Escalated,
}

impl SupervisionLevel {
    pub const ALL: [SupervisionLevel; 3] = [
        SupervisionLevel::General,
        SupervisionLevel::Key,
        SupervisionLevel::Escalated,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            SupervisionLevel::General => "一般督办",
            SupervisionLevel::Key => "重点督办",
            SupervisionLevel::Escalated => "提级督办",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            SupervisionLevel::General => "general",
            SupervisionLevel::Key => "key",
            SupervisionLevel::Escalated => "escalated",
        }
    }

    /// The command-line and JSON name.
    pub fn key(self) -> &'static str {
        self.en()
    }

    /// A level by its key, its Chinese name, or the Chinese name without 督办 (`重点`).
    pub fn parse(s: &str) -> Option<SupervisionLevel> {
        let s = s.trim();
        SupervisionLevel::ALL.into_iter().find(|l| {
            l.key().eq_ignore_ascii_case(s)
                || l.zh() == s
                || (!s.is_empty() && l.zh().trim_end_matches("督办") == s)
        })
    }
}

/// When a supervision asks the issue to be done: a date, or a count of working days from
/// the day it is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueSpec {
    Date(NaiveDate),
    Workdays(u32),
}

impl DueSpec {
    /// `2026-11-30` or a whole number of working days (`5`).
    pub fn parse(s: &str) -> Option<DueSpec> {
        let s = s.trim();
        if let Ok(n) = s.parse::<u32>() {
            return Some(DueSpec::Workdays(n));
        }
        crate::calendar::parse_date(s).map(DueSpec::Date)
    }
}

/// Reopens or transfers from which an issue is escalated (提级督办), as in 12345 practice.
pub const ESCALATE_AT: u32 = 3;

/// Why an issue is flagged for escalation: computed from its counters, never recorded, so the
/// rule can change without rewriting history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason", content = "count")]
pub enum Escalation {
    /// Reopened (or sent back by a low evaluation) this many times.
    Reopened(u32),
    /// Transferred between units this many times.
    Transferred(u32),
}

impl Escalation {
    /// The flag's words for people: "提级督办（重新打开 3 次）".
    pub fn text(self, en: bool) -> String {
        match (self, en) {
            (Escalation::Reopened(n), false) => format!("提级督办（重新打开 {n} 次）"),
            (Escalation::Transferred(n), false) => format!("提级督办（转办 {n} 次）"),
            (Escalation::Reopened(n), true) => format!("escalate (reopened {n} times)"),
            (Escalation::Transferred(n), true) => format!("escalate (transferred {n} times)"),
        }
    }
}

impl Issue {
    /// The escalation flag of an open issue: reopened or transferred `ESCALATE_AT` times or
    /// more. Reopens come first when both hold: the enterprise keeps refusing the outcome.
    pub fn escalation(&self) -> Option<Escalation> {
        if !self.status.is_open() {
            None
        } else if self.reopens >= ESCALATE_AT {
            Some(Escalation::Reopened(self.reopens))
        } else if self.transfers >= ESCALATE_AT {
            Some(Escalation::Transferred(self.transfers))
        } else {
            None
        }
    }

    /// The supervision level, if the issue is under supervision (old records: 一般督办).
    pub fn supervision(&self) -> Option<SupervisionLevel> {
        self.supervised
            .then(|| self.supervision_level.unwrap_or_default())
    }

    /// Supervised with a due date that has passed, and still open.
    pub fn supervision_overdue(&self, today: NaiveDate) -> bool {
        self.supervised
            && self.status.is_open()
            && self.supervision_due.is_some_and(|due| today > due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_by_key_and_chinese_name() {
        for l in SupervisionLevel::ALL {
            assert_eq!(SupervisionLevel::parse(l.key()), Some(l));
            assert_eq!(SupervisionLevel::parse(l.zh()), Some(l));
        }
        assert_eq!(SupervisionLevel::parse("重点"), Some(SupervisionLevel::Key));
        assert_eq!(SupervisionLevel::parse("KEY"), Some(SupervisionLevel::Key));
        assert_eq!(SupervisionLevel::parse(""), None);
        assert_eq!(SupervisionLevel::parse("urgent"), None);
    }
}
