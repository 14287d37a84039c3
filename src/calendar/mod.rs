//! Working days on China's official calendar: weekends, statutory holidays (放假) and the
//! weekend days worked in exchange (调休上班), from tables shipped in `data/holidays/cn.toml`
//! plus any years the user adds. The rule that deadlines count working days *after* the logging
//! day lives in `add_workdays`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

const BUILTIN: &str = include_str!("../../data/holidays/cn.toml");

/// A problem in a holiday file, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{line}: {message}")]
pub struct CalendarError {
    pub origin: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Day {
    /// A statutory holiday (index into `names`).
    Off(usize),
    /// A weekend day that is a working day (调休上班).
    Work,
}

/// The result of counting working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub date: NaiveDate,
    /// Some day counted lies in a year the calendar has no table for: the date assumes plain
    /// Monday–Friday there and must be checked.
    pub beyond_calendar: bool,
}

/// The working-day calendar.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: HashMap<NaiveDate, Day>,
    names: Vec<String>,
    years: BTreeSet<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    #[serde(default)]
    #[allow(dead_code)]
    source: String,
    #[serde(default)]
    holidays: Vec<toml::Spanned<RawHoliday>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    off: toml::Spanned<String>,
    #[serde(default)]
    work: Vec<toml::Spanned<String>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Calendar {
    /// The shipped tables (2024–2026).
    pub fn builtin() -> Calendar {
        Calendar::from_toml_str(BUILTIN, "data/holidays/cn.toml")
            .expect("shipped holiday table is valid")
    }

    /// Parses a holiday file; `origin` names it in messages.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Calendar, CalendarError> {
        let mut cal = Calendar::default();
        cal.merge_str(text, origin)?;
        Ok(cal)
    }

    /// Adds the years of a user file (same format), replacing any year it also defines.
    /// A missing file is not an error.
    pub fn with_user_file(mut self, path: &Path) -> Result<Calendar, CalendarError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                self.merge_str(&text, &path.display().to_string())?;
                Ok(self)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(self),
            Err(e) => Err(CalendarError {
                origin: path.display().to_string(),
                line: 0,
                message: e.to_string(),
            }),
        }
    }

    fn merge_str(&mut self, text: &str, origin: &str) -> Result<(), CalendarError> {
        let err = |offset: usize, message: String| CalendarError {
            origin: origin.to_string(),
            line: line_of(text, offset),
            message,
        };
        let raw: BTreeMap<String, toml::Spanned<RawYear>> = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            CalendarError {
                origin: origin.to_string(),
                line,
                message: e.message().trim().to_string(),
            }
        })?;
        for (key, year) in raw {
            let at = year.span().start;
            let y: i32 = key
                .parse()
                .ok()
                .filter(|y| (1949..=2200).contains(y))
                .ok_or_else(|| err(at, format!("[{key}]: section names are years, e.g. [2027]")))?;
            // A year given again replaces the earlier table.
            self.days.retain(|d, _| d.year() != y);
            self.years.insert(y);
            let mut seen: HashMap<NaiveDate, String> = HashMap::new();
            for h in &year.get_ref().holidays {
                let h_at = h.span().start;
                let h = h.get_ref();
                if h.name.trim().is_empty() {
                    return Err(err(h_at, "holiday without a name".into()));
                }
                let name_idx = self.names.len();
                self.names.push(h.name.trim().to_string());
                let (from, to) = parse_range(h.off.get_ref()).ok_or_else(|| {
                    err(
                        h.off.span().start,
                        format!(
                            "off = \"{}\": use YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD",
                            h.off.get_ref()
                        ),
                    )
                })?;
                if to < from {
                    return Err(err(
                        h.off.span().start,
                        format!(
                            "off = \"{}\": the range ends before it starts",
                            h.off.get_ref()
                        ),
                    ));
                }
                if (to - from).num_days() > 31 {
                    return Err(err(
                        h.off.span().start,
                        format!(
                            "off = \"{}\": longer than a month; check the dates",
                            h.off.get_ref()
                        ),
                    ));
                }
                for d in from.iter_days().take_while(|d| *d <= to) {
                    if d.year() != y {
                        return Err(err(
                            h.off.span().start,
                            format!("{d} is listed under [{y}]; put it under [{}]", d.year()),
                        ));
                    }
                    if let Some(other) = seen.insert(d, h.name.clone()) {
                        return Err(err(
                            h.off.span().start,
                            format!("{d} is already a day of {other}"),
                        ));
                    }
                    self.days.insert(d, Day::Off(name_idx));
                }
                for w in &h.work {
                    let d = NaiveDate::parse_from_str(w.get_ref().trim(), "%Y-%m-%d").map_err(
                        |_| {
                            err(
                                w.span().start,
                                format!("work = \"{}\": use YYYY-MM-DD", w.get_ref()),
                            )
                        },
                    )?;
                    if d.year() != y {
                        return Err(err(
                            w.span().start,
                            format!("{d} is listed under [{y}]; put it under [{}]", d.year()),
                        ));
                    }
                    if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                        return Err(err(w.span().start, format!("{d} is a {:?}, already a working day; `work` lists weekend days worked", d.weekday())));
                    }
                    if let Some(other) = seen.insert(d, h.name.clone()) {
                        return Err(err(
                            w.span().start,
                            format!("{d} is already listed for {other}"),
                        ));
                    }
                    self.days.insert(d, Day::Work);
                }
            }
        }
        Ok(())
    }

    /// Holidays are off; adjusted weekend days are worked; otherwise Monday to Friday.
    pub fn is_workday(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(Day::Off(_)) => false,
            Some(Day::Work) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The calendar has the official table for this year.
    pub fn knows(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn known_years(&self) -> Vec<i32> {
        self.years.iter().copied().collect()
    }

    /// The `n`-th working day strictly after `start` (the start day never counts, whether or not
    /// it is a working day). `n = 0` gives `start`.
    pub fn add_workdays(&self, start: NaiveDate, n: u32) -> Due {
        let mut d = start;
        let mut left = n;
        let mut beyond = false;
        while left > 0 {
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
            beyond |= !self.knows(d.year());
            if self.is_workday(d) {
                left -= 1;
            }
        }
        Due {
            date: d,
            beyond_calendar: beyond,
        }
    }

    /// Working days `d` with `from < d <= to` (0 when `to <= from`).
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
            if self.is_workday(d) {
                n += 1;
            }
        }
        n
    }

    /// The holiday `d` belongs to, if it is a statutory day off.
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        match self.days.get(&d) {
            Some(Day::Off(i)) => self.names.get(*i).map(String::as_str),
            _ => None,
        }
    }
}

fn parse_range(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let p = |x: &str| NaiveDate::parse_from_str(x.trim(), "%Y-%m-%d").ok();
    match s.split_once("..") {
        Some((a, b)) => Some((p(a)?, p(b)?)),
        None => {
            let d = p(s)?;
            Some((d, d))
        }
    }
}

#[cfg(test)]
mod tests;
