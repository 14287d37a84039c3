//! Working days on China's official calendar: weekends, statutory holidays (放假) and the
//! weekend days worked in exchange (调休上班), from tables shipped in `data/holidays/cn.toml`
//! plus any years the user adds. The rule that deadlines count working days *after* the logging
//! day lives in `add_workdays`.
//!
//! A year without a table (its notice is not out yet, or not added) is counted with the
//! statutory days off the law fixes (`statutory`), weekends off and no weekend worked, and
//! every count that touches such a year is *provisional*: it is settled again, with the real
//! table, once the year's notice is added (see `domain::deadline::DeadlineRule::settle`).

pub mod statutory;

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use toml_edit::{Item, Value};

use crate::config::toml_file::{kind_en, kind_zh, strip_bom, TomlFile};

const BUILTIN: &str = include_str!("../../data/holidays/cn.toml");

/// A problem in a holiday file, located (the same shape as every data file's problems).
pub type CalendarError = crate::config::ConfigError;

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
    /// Provisional: some day counted lies in a year whose official notice is not in the
    /// calendar, counted there with the statutory holidays only (no 调休 assumed).
    pub beyond_calendar: bool,
}

/// Statutory days off by year, for years worked out on demand.
type FarYears =
    std::sync::Arc<std::sync::Mutex<HashMap<i32, Vec<(NaiveDate, statutory::Holiday)>>>>;

/// The working-day calendar.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: HashMap<NaiveDate, Day>,
    names: Vec<String>,
    years: BTreeSet<i32>,
    /// Statutory days off of the years without a table, within the index's span (outside it
    /// they are worked out when asked).
    statutory: HashMap<NaiveDate, statutory::Holiday>,
    statutory_span: Option<(i32, i32)>,
    /// Statutory days of years outside that span, worked out once each (long histories
    /// count days there one by one).
    statutory_far: FarYears,
    /// Working days counted up to each date of a span around the known years, so that a
    /// count between two dates (asked for every open issue on every screen) is a subtraction.
    index: Option<std::sync::Arc<WorkdayIndex>>,
}

/// `count[i]`: working days in `(base, base + i]`.
#[derive(Debug)]
struct WorkdayIndex {
    base: NaiveDate,
    count: Vec<u32>,
}

impl WorkdayIndex {
    fn at(&self, d: NaiveDate) -> Option<u32> {
        let i = usize::try_from((d - self.base).num_days()).ok()?;
        self.count.get(i).copied()
    }
}

/// `YYYY-MM-DD` with a four-digit year (a month or day may drop its leading zero). `26-1-1`,
/// which chrono alone would read as the year 26, is refused. The one date reader of the
/// command line and the holiday files.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some()
        || !digits(y, 4..=4)
        || y.starts_with('0')
        || !digits(m, 1..=2)
        || !digits(d, 1..=2)
    {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn weekday_zh(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

fn weekday_en(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

const HOW_ZH: &str = "每年一节，如 [2027]，其下 holidays = [ { name = \"元旦\", off = \"2027-01-01\" }, { name = \"春节\", off = \"2027-02-06..2027-02-12\", work = [\"2027-02-14\"] } ]（格式同随附的 data/holidays/cn.toml）";
const HOW_EN: &str = "one section per year, e.g. [2027], with holidays = [ { name = \"元旦\", off = \"2027-01-01\" }, { name = \"春节\", off = \"2027-02-06..2027-02-12\", work = [\"2027-02-14\"] } ] (the format of the shipped data/holidays/cn.toml)";

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

    /// Adds the years of a holiday table's text, replacing any year it also defines.
    pub fn with_str(mut self, text: &str, origin: &str) -> Result<Calendar, CalendarError> {
        self.merge_str(text, origin)?;
        Ok(self)
    }

    /// Adds the years of a user file (same format), replacing any year it also defines.
    /// A missing file is not an error.
    pub fn with_user_file(mut self, path: &Path) -> Result<Calendar, CalendarError> {
        match crate::config::read(path)? {
            Some(text) => {
                self.merge_str(&text, &path.display().to_string())?;
                Ok(self)
            }
            None => Ok(self),
        }
    }

    fn merge_str(&mut self, text: &str, origin: &str) -> Result<(), CalendarError> {
        let f = TomlFile::parse(strip_bom(text), origin)?;
        let root = f.doc.as_table();
        for (key, year_item) in root.iter() {
            let at = f.span_of(root, key);
            let y: i32 = key
                .parse()
                .ok()
                .filter(|y| (1949..=2200).contains(y) && key.len() == 4)
                .ok_or_else(|| {
                    f.err(
                        at.clone(),
                        key,
                        format!("节名应为年份，如 [2027]；{HOW_ZH}"),
                        format!("section names are years, e.g. [2027]; {HOW_EN}"),
                    )
                })?;
            let Some(year) = year_item.as_table_like() else {
                return Err(f.err(
                    at,
                    key,
                    format!(
                        "应为一节：另起一行写 [{y}]；{HOW_ZH}；这里是{}",
                        kind_zh(year_item)
                    ),
                    format!(
                        "must be a section: a line [{y}]; {HOW_EN}; found {}",
                        kind_en(year_item)
                    ),
                ));
            };
            let mut holidays: Vec<(&dyn toml_edit::TableLike, Option<Range<usize>>)> = Vec::new();
            for (k, item) in year.iter() {
                let at = f.span_of(year, k);
                let field = format!("{y}.{k}");
                match k {
                    "source" => {
                        f.string(item, at, &field, "source = \"国办发明电〔2026〕1号\"")?;
                    }
                    "holidays" => match item {
                        Item::ArrayOfTables(a) => holidays
                            .extend(a.iter().map(|t| (t as &dyn toml_edit::TableLike, t.span()))),
                        Item::Value(Value::Array(a)) => {
                            for v in a.iter() {
                                match v.as_inline_table() {
                                    Some(t) => holidays.push((t, v.span())),
                                    None => {
                                        return Err(f.err(
                                            v.span(),
                                            &field,
                                            format!("列表中的每一项应为一个假日 {{ name = …, off = … }}；这里是{}", kind_zh(&Item::Value(v.clone()))),
                                            format!("each item of the list is a holiday {{ name = …, off = … }}; found {}", kind_en(&Item::Value(v.clone()))),
                                        ))
                                    }
                                }
                            }
                        }
                        other => {
                            return Err(f.err(
                                at,
                                &field,
                                format!("应为假日列表；{HOW_ZH}；这里是{}", kind_zh(other)),
                                format!(
                                    "must be a list of holidays; {HOW_EN}; found {}",
                                    kind_en(other)
                                ),
                            ))
                        }
                    },
                    _ => return Err(f.unknown(at, &field, k, &["source", "holidays"])),
                }
            }
            // A year given again replaces the earlier table.
            self.days.retain(|d, _| d.year() != y);
            self.years.insert(y);
            let mut seen: HashMap<NaiveDate, String> = HashMap::new();
            for (h, h_at) in holidays {
                for (k, _) in h.iter() {
                    if !["name", "off", "work"].contains(&k) {
                        return Err(f.unknown(
                            f.span_of(h, k),
                            &format!("{y}.holidays.{k}"),
                            k,
                            &["name", "off", "work"],
                        ));
                    }
                }
                let name = match h.get("name") {
                    Some(item) => f
                        .string(
                            item,
                            f.span_of(h, "name"),
                            &format!("{y}.holidays.name"),
                            "name = \"春节\"",
                        )?
                        .trim()
                        .to_string(),
                    None => String::new(),
                };
                if name.is_empty() {
                    return Err(f.err(
                        h_at,
                        &format!("{y}.holidays.name"),
                        "假日没有名称；请写上 name = \"春节\" 之类".to_string(),
                        "a holiday without a name; add name = \"春节\" or the like".to_string(),
                    ));
                }
                let field_off = format!("{y}.holidays.off");
                let Some(off_item) = h.get("off") else {
                    return Err(f.err(
                        h_at,
                        &field_off,
                        format!("「{name}」没有放假日期；请写上 off = \"{y}-01-01\" 或 off = \"{y}-02-06..{y}-02-12\""),
                        format!("\"{name}\" has no days off; add off = \"{y}-01-01\" or off = \"{y}-02-06..{y}-02-12\""),
                    ));
                };
                let off_at = f.span_of(h, "off");
                let off = f.string(off_item, off_at.clone(), &field_off, "off = \"2027-01-01\"")?;
                let name_idx = self.names.len();
                self.names.push(name.clone());
                let (from, to) = parse_range(&off).ok_or_else(|| {
                    f.err(
                        off_at.clone(),
                        &field_off,
                        format!("「{off}」不是日期或日期范围；写作 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD（年份写满四位），如 \"{y}-02-06..{y}-02-12\""),
                        format!("\"{off}\" is not a date or a range of dates; write YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD with a four-digit year, e.g. \"{y}-02-06..{y}-02-12\""),
                    )
                })?;
                if to < from {
                    return Err(f.err(
                        off_at,
                        &field_off,
                        format!("「{off}」的结束日期早于开始日期；请把较早的日期写在前面"),
                        format!("\"{off}\": the range ends before it starts; put the earlier date first"),
                    ));
                }
                if (to - from).num_days() > 31 {
                    return Err(f.err(
                        off_at,
                        &field_off,
                        format!("「{off}」超过一个月，不像一个假期；请核对日期"),
                        format!("\"{off}\" is longer than a month, which no holiday is; check the dates"),
                    ));
                }
                for d in from.iter_days().take_while(|d| *d <= to) {
                    if d.year() != y {
                        return Err(f.err(
                            off_at,
                            &field_off,
                            format!("{d} 写在了 [{y}] 下；请移到 [{}] 下", d.year()),
                            format!("{d} is listed under [{y}]; put it under [{}]", d.year()),
                        ));
                    }
                    if let Some(other) = seen.insert(d, name.clone()) {
                        return Err(f.err(
                            off_at,
                            &field_off,
                            format!("{d} 已是「{other}」的假日；每天只能属于一个假日"),
                            format!(
                                "{d} is already a day of {other}; each day belongs to one holiday"
                            ),
                        ));
                    }
                    self.days.insert(d, Day::Off(name_idx));
                }
                let field_work = format!("{y}.holidays.work");
                let work: Vec<(String, Option<Range<usize>>)> = match h.get("work") {
                    None => vec![],
                    Some(item) => {
                        let w_at = f.span_of(h, "work");
                        let Some(arr) = item.as_array() else {
                            return Err(f.err(
                                w_at,
                                &field_work,
                                format!("应为调休上班日期的列表，如 work = [\"{y}-02-14\"]；这里是{}", kind_zh(item)),
                                format!("must be a list of the weekend days worked, e.g. work = [\"{y}-02-14\"]; found {}", kind_en(item)),
                            ));
                        };
                        let mut v = Vec::new();
                        for x in arr.iter() {
                            let Some(s) = x.as_str() else {
                                return Err(f.err(
                                    x.span().or(w_at.clone()),
                                    &field_work,
                                    format!("每个调休日期都应加引号，如 work = [\"{y}-02-14\"]"),
                                    format!("each day worked is a date in quotes, e.g. work = [\"{y}-02-14\"]"),
                                ));
                            };
                            v.push((s.to_string(), x.span().or(w_at.clone())));
                        }
                        v
                    }
                };
                for (w, w_at) in work {
                    let d = parse_date(&w).ok_or_else(|| {
                        f.err(
                            w_at.clone(),
                            &field_work,
                            format!("「{w}」不是日期；写作 YYYY-MM-DD（年份写满四位），如 \"{y}-02-14\""),
                            format!("\"{w}\" is not a date; write YYYY-MM-DD with a four-digit year, e.g. \"{y}-02-14\""),
                        )
                    })?;
                    if d.year() != y {
                        return Err(f.err(
                            w_at,
                            &field_work,
                            format!("{d} 写在了 [{y}] 下；请移到 [{}] 下", d.year()),
                            format!("{d} is listed under [{y}]; put it under [{}]", d.year()),
                        ));
                    }
                    if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                        return Err(f.err(
                            w_at,
                            &field_work,
                            format!("{d} 是{}，本来就是工作日；work 只列调休上班的周末", weekday_zh(d.weekday())),
                            format!("{d} is a {}, already a working day; `work` lists the weekend days worked", weekday_en(d.weekday())),
                        ));
                    }
                    if let Some(other) = seen.insert(d, name.clone()) {
                        return Err(f.err(
                            w_at,
                            &field_work,
                            format!("{d} 已列在「{other}」中；每天只能列一次"),
                            format!("{d} is already listed for {other}; list each day once"),
                        ));
                    }
                    self.days.insert(d, Day::Work);
                }
            }
        }
        self.reindex();
        Ok(())
    }

    /// Counts working days over the known years and ten either side (today's issues and
    /// decades of history; beyond that, days are counted one by one).
    fn reindex(&mut self) {
        let (first, last) = match (self.years.first(), self.years.last()) {
            (Some(a), Some(b)) => (*a - 10, *b + 10),
            _ => (2015, 2040),
        };
        self.statutory = (first..=last)
            .filter(|y| !self.knows(*y))
            .flat_map(statutory::days_off)
            .collect();
        self.statutory_span = Some((first, last));
        let (Some(base), Some(end)) = (
            NaiveDate::from_ymd_opt(first, 1, 1),
            NaiveDate::from_ymd_opt(last, 12, 31),
        ) else {
            self.index = None;
            return;
        };
        let mut count = Vec::with_capacity((end - base).num_days() as usize + 1);
        let mut n = 0u32;
        count.push(0);
        let mut d = base;
        while let Some(next) = d.succ_opt().filter(|x| *x <= end) {
            d = next;
            if self.is_workday(d) {
                n += 1;
            }
            count.push(n);
        }
        self.index = Some(std::sync::Arc::new(WorkdayIndex { base, count }));
    }

    /// Holidays are off; adjusted weekend days are worked; otherwise Monday to Friday. In a
    /// year without a table, the statutory days are off and no weekend is worked.
    pub fn is_workday(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(Day::Off(_)) => false,
            Some(Day::Work) => true,
            None => {
                !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
                    && self.statutory_holiday(d).is_none()
            }
        }
    }

    /// The statutory holiday `d` would be in a year without a table (`None` in a year with
    /// one: its table says what is off).
    pub fn statutory_holiday(&self, d: NaiveDate) -> Option<statutory::Holiday> {
        if self.knows(d.year()) {
            return None;
        }
        match self.statutory_span {
            Some((a, b)) if (a..=b).contains(&d.year()) => self.statutory.get(&d).copied(),
            _ => {
                let mut far = self.statutory_far.lock().unwrap_or_else(|e| e.into_inner());
                far.entry(d.year())
                    .or_insert_with(|| statutory::days_off(d.year()))
                    .iter()
                    .find(|(x, _)| *x == d)
                    .map(|(_, h)| *h)
            }
        }
    }

    /// The calendar has the official table for this year (otherwise its counts are
    /// provisional).
    pub fn knows(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// A count over `(from, to]` touches a year without a table: what it gives is
    /// provisional.
    pub fn is_provisional(&self, from: NaiveDate, to: NaiveDate) -> bool {
        let first = from.succ_opt().unwrap_or(from).year();
        to > from && (first..=to.year()).any(|y| !self.knows(y))
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
        if from >= to {
            return 0;
        }
        if let Some(ix) = &self.index {
            if let (Some(a), Some(b)) = (ix.at(from), ix.at(to)) {
                return i64::from(b - a);
            }
        }
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

    /// The holiday `d` belongs to, if it is a day off: by the year's table, or in a year
    /// without one by the law (provisional).
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        match self.days.get(&d) {
            Some(Day::Off(i)) => self.names.get(*i).map(String::as_str),
            Some(Day::Work) => None,
            None => self.statutory_holiday(d).map(statutory::Holiday::zh),
        }
    }
}

fn parse_range(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    match s.split_once("..") {
        Some((a, b)) => Some((parse_date(a)?, parse_date(b)?)),
        None => {
            let d = parse_date(s)?;
            Some((d, d))
        }
    }
}

#[cfg(test)]
mod tests;
