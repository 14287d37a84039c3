//! The deadline rule, in one place: the unit contacts the enterprise within N working days
//! (default 2) and replies within M (default 5), counted after the logging day, which never
//! counts. Urgency colours derive from the same rule everywhere.
//!
//! A deadline counted through a year whose holiday notice is not in the calendar is
//! *provisional* (statutory holidays only there). The journal keeps what was counted when the
//! issue was logged; `DeadlineRule::settle` gives the deadlines as they stand under the
//! calendar in use now, so once the notice's table is added every read — lists, details,
//! briefs, reports — sees the final dates and no mark.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::i18n::Lang;

use super::fact::Fact;
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
    /// Provisional: counting reached a year whose official notice is not in the calendar,
    /// counted there with the statutory holidays only. (The name is kept from when such days
    /// were counted as plain weekdays; journals say `beyond_calendar`.)
    pub beyond_calendar: bool,
}

impl Deadlines {
    pub fn provisional(&self) -> bool {
        self.beyond_calendar
    }
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

    /// The deadlines of an issue logged on `logged` as they stand now. Deadlines counted with
    /// the official tables are final and kept as recorded (the calendar or the rule may
    /// change later; history must not). Provisional ones are counted again, with this
    /// calendar and this rule: final once the calendar has the years they touch, still
    /// provisional otherwise. The one place this rule lives.
    pub fn settle(&self, cal: &Calendar, logged: NaiveDate, recorded: Deadlines) -> Deadlines {
        if recorded.provisional() {
            self.deadlines(cal, logged)
        } else {
            recorded
        }
    }

    /// `settle` applied to an issue's record.
    pub fn settle_issue(&self, cal: &Calendar, issue: &mut Issue) {
        let d = self.settle(cal, issue.logged_at.date(), issue.deadlines());
        issue.contact_due = d.contact_due;
        issue.reply_due = d.reply_due;
        issue.beyond_calendar = d.beyond_calendar;
    }

    /// `settle` applied to a fact (the reports see the deadlines the lists show).
    pub fn settle_fact(&self, cal: &Calendar, fact: &mut Fact) {
        let recorded = Deadlines {
            contact_due: fact.contact_due,
            reply_due: fact.reply_due,
            beyond_calendar: fact.provisional,
        };
        let d = self.settle(cal, fact.logged_at.date(), recorded);
        fact.contact_due = d.contact_due;
        fact.reply_due = d.reply_due;
        fact.provisional = d.beyond_calendar;
    }
}

/// The mark shown beside a provisional due date, in the officer's language: `（暂定）` or
/// ` (provisional)`. Lists, details, briefs and the TUI all use this one.
pub fn provisional_mark(lang: Lang) -> &'static str {
    if lang.is_en() {
        " (provisional)"
    } else {
        "（暂定）"
    }
}

/// The mark for one of an issue's due dates: empty unless the issue's deadlines are
/// provisional and this date's own count touches a year without a table (a contact due
/// before New Year may be final while the reply due after it is not).
///
/// For an issue `i`: `due_mark(cal, i.provisional(), i.logged_at.date(), i.reply_due, lang)`.
pub fn due_mark(
    cal: &Calendar,
    provisional: bool,
    logged: NaiveDate,
    due: NaiveDate,
    lang: Lang,
) -> &'static str {
    if due_is_provisional(cal, provisional, logged, due) {
        provisional_mark(lang)
    } else {
        ""
    }
}

/// Whether one due date of an issue is provisional (see `due_mark`).
pub fn due_is_provisional(
    cal: &Calendar,
    provisional: bool,
    logged: NaiveDate,
    due: NaiveDate,
) -> bool {
    provisional && cal.is_provisional(logged, due)
}

/// A short line saying an issue's deadlines are provisional (the TUI's detail screen).
pub fn provisional_line(lang: Lang) -> &'static str {
    if lang.is_en() {
        "Deadlines provisional: that year's holiday notice is not in the calendar yet (statutory holidays only)"
    } else {
        "期限暂定：该年放假通知尚未收录，暂按法定节假日计算（不含调休）"
    }
}

/// One line explaining the mark, for the foot of a list or a brief that shows it.
pub fn provisional_note(lang: Lang) -> &'static str {
    if lang.is_en() {
        "(provisional): the deadline falls in a year whose State Council holiday notice is not in the calendar yet; it is counted with the statutory holidays only and is recounted when the notice's table is added (holidays.toml in the data directory)."
    } else {
        "（暂定）：期限落在尚未收录国务院放假通知的年份，暂按法定节假日计算（不含调休）；在数据目录的 holidays.toml 中补充该年放假安排后自动重算。"
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
    fn beyond_the_calendar_is_provisional() {
        let cal = Calendar::builtin();
        let dl = DeadlineRule::default().deadlines(&cal, d(2026, 12, 29));
        assert!(dl.provisional());
        // Dec 30, 31, then Jan 4, 5, 6: New Year's Day is off by the law.
        assert_eq!(dl.reply_due, d(2027, 1, 6));
    }

    fn with_2027() -> Calendar {
        Calendar::builtin()
            .with_str(
                "[2027]\nholidays = [ { name = \"元旦\", off = \"2027-01-01..2027-01-04\", work = [\"2027-01-09\"] } ]\n",
                "holidays.toml",
            )
            .unwrap()
    }

    #[test]
    fn settling_counts_provisional_deadlines_again_and_keeps_final_ones() {
        let rule = DeadlineRule::default();
        let before = Calendar::builtin();
        let after = with_2027();
        let logged = d(2026, 12, 28);
        let recorded = rule.deadlines(&before, logged);
        assert_eq!(
            (
                recorded.contact_due,
                recorded.reply_due,
                recorded.provisional()
            ),
            (d(2026, 12, 30), d(2027, 1, 5), true)
        );
        // Still no notice: the same dates, still provisional.
        assert_eq!(rule.settle(&before, logged, recorded), recorded);
        // The notice is added: final dates, no mark.
        let settled = rule.settle(&after, logged, recorded);
        assert_eq!(
            (
                settled.contact_due,
                settled.reply_due,
                settled.provisional()
            ),
            (d(2026, 12, 30), d(2027, 1, 6), false)
        );
        // Deadlines from a journal of the version that counted plain weekdays (Jan 1 worked)
        // are corrected as well.
        let plain = Deadlines {
            contact_due: d(2026, 12, 30),
            reply_due: d(2027, 1, 4),
            beyond_calendar: true,
        };
        assert_eq!(rule.settle(&before, logged, plain).reply_due, d(2027, 1, 5));
        // Final deadlines are history: a later calendar or rule never moves them.
        let final_ = Deadlines {
            contact_due: d(2026, 11, 24),
            reply_due: d(2026, 11, 27),
            beyond_calendar: false,
        };
        let longer = DeadlineRule {
            contact_days: 3,
            reply_days: 8,
        };
        assert_eq!(longer.settle(&after, d(2026, 11, 20), final_), final_);
    }

    #[test]
    fn marks_name_the_provisional_date_only() {
        let cal = Calendar::builtin();
        let logged = d(2026, 12, 28);
        let zh = Lang::Zh;
        assert_eq!(due_mark(&cal, true, logged, d(2026, 12, 30), zh), "");
        assert_eq!(due_mark(&cal, true, logged, d(2027, 1, 5), zh), "（暂定）");
        assert_eq!(
            due_mark(&cal, true, logged, d(2027, 1, 5), Lang::En),
            " (provisional)"
        );
        // An issue whose deadlines were final is never marked.
        assert_eq!(due_mark(&cal, false, logged, d(2027, 1, 5), zh), "");
        assert_eq!(due_mark(&with_2027(), true, logged, d(2027, 1, 5), zh), "");
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
