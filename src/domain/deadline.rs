//! The deadline rule, in one place: the unit contacts the enterprise within N working days
//! (default 2) and replies within M (default 5), counted after the logging day, which never
//! counts. Urgency colours derive from the same rule everywhere.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;

use super::issue::Issue;

/// Working-day limits, from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRule {
    pub contact_days: u32,
    pub reply_days: u32,
}

impl Default for DeadlineRule {
    fn default() -> Self {
        DeadlineRule {
            contact_days: 2,
            reply_days: 5,
        }
    }
}

/// The two deadlines of an issue logged on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub contact_due: NaiveDate,
    pub reply_due: NaiveDate,
    /// Counting reached a year the holiday calendar has no table for: the dates assume
    /// plain weekdays there and must be checked.
    pub beyond_calendar: bool,
}

impl DeadlineRule {
    pub fn deadlines(&self, cal: &Calendar, logged: NaiveDate) -> Deadlines {
        let c = cal.add_workdays(logged, self.contact_days);
        let r = cal.add_workdays(logged, self.reply_days);
        Deadlines {
            contact_due: c.date,
            reply_due: r.date,
            beyond_calendar: c.beyond_calendar || r.beyond_calendar,
        }
    }
}

/// How close an open issue is to its next deadline. The same three colours everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// The deadline has passed.
    Overdue,
    /// Due today or on the next working day.
    DueSoon,
    InTime,
}

/// Working days from `today` to `due`: 0 when due today, 1 when due the next working day,
/// negative when overdue (−1: due on the previous working day or earlier).
pub fn workdays_left(cal: &Calendar, today: NaiveDate, due: NaiveDate) -> i64 {
    if due >= today {
        cal.workdays_between(today, due)
    } else {
        -cal.workdays_between(due, today).max(1)
    }
}

/// Urgency of an issue's next deadline, or `None` when it waits on none.
pub fn urgency(cal: &Calendar, issue: &Issue, today: NaiveDate) -> Option<Urgency> {
    let (_, due) = issue.next_deadline()?;
    Some(if today > due {
        Urgency::Overdue
    } else if workdays_left(cal, today, due) <= 1 {
        Urgency::DueSoon
    } else {
        Urgency::InTime
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn national_day_edge() {
        let cal = Calendar::builtin();
        let dl = DeadlineRule::default().deadlines(&cal, d(2026, 9, 30));
        assert_eq!(dl.contact_due, d(2026, 10, 9));
        assert_eq!(dl.reply_due, d(2026, 10, 13));
        assert!(!dl.beyond_calendar);
    }

    #[test]
    fn configured_limits_are_used() {
        let cal = Calendar::builtin();
        let rule = DeadlineRule {
            contact_days: 1,
            reply_days: 3,
        };
        let dl = rule.deadlines(&cal, d(2026, 11, 20)); // Friday
        assert_eq!(dl.contact_due, d(2026, 11, 23));
        assert_eq!(dl.reply_due, d(2026, 11, 25));
    }

    #[test]
    fn beyond_the_calendar_is_flagged() {
        let cal = Calendar::builtin();
        let dl = DeadlineRule::default().deadlines(&cal, d(2026, 12, 29));
        assert!(dl.beyond_calendar);
    }

    #[test]
    fn workdays_left_signs() {
        let cal = Calendar::builtin();
        assert_eq!(workdays_left(&cal, d(2026, 11, 20), d(2026, 11, 20)), 0);
        assert_eq!(workdays_left(&cal, d(2026, 11, 20), d(2026, 11, 23)), 1);
        assert_eq!(workdays_left(&cal, d(2026, 11, 24), d(2026, 11, 23)), -1);
        assert_eq!(workdays_left(&cal, d(2026, 11, 25), d(2026, 11, 23)), -2);
    }
}
