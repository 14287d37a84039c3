//! The desk data the TUI shows, held in memory so keystrokes never touch the disk, with the
//! derived lists (filtered issue list, dashboard, VIP queue, units board) recomputed only when
//! the data or a filter changes.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::calendar::Calendar;
use crate::desk::{CompiledFilter, Sort, SortKeys};
use crate::domain::deadline::{urgency, workdays_left, Urgency};
use crate::domain::{Inspection, Issue, IssueStatus, QuietDays, VipCategory};

/// A lead unit as the TUI lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitInfo {
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// Pinyin and initials of the name, for the picker filter.
    pub pinyin: String,
    pub initials: String,
}

/// A VIP enterprise, for the coverage list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VipInfo {
    pub code: String,
    pub name: String,
    pub categories: Vec<VipCategory>,
}

/// Snapshot of the desk's data: the open work, not the history. Closed issues come in only
/// when a list asks for them (the newest few hundred), or when the officer acts on one.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// Open issues, and the closed ones brought in since, by id ascending.
    pub issues: Vec<Issue>,
    /// Issues logged in the last days, with the day (the dashboard counts today's, closed
    /// ones included).
    pub logged: HashMap<u64, NaiveDate>,
    /// VIP enterprises' last day with an issue logged or contacted.
    pub vip_touched: HashMap<String, NaiveDate>,
    /// How many closed and voided issues were brought in for a list, and how many there are.
    pub closed_loaded: Option<(usize, usize)>,
    pub vip: HashSet<String>,
    pub vip_list: Vec<VipInfo>,
    /// How many enterprises the store holds (none: a new store, the desk says how to load
    /// them).
    pub enterprises: usize,
    pub units: Vec<UnitInfo>,
    /// Every unit (the lead units and the coordinating bodies), for the sign-in form.
    pub all_units: Vec<UnitInfo>,
    /// The lead unit configured for each category, offered first when assigning.
    pub suggested: HashMap<String, String>,
    pub categories: Vec<String>,
    pub calendar: Calendar,
    /// All inspection reports, by id ascending.
    pub inspections: Vec<Inspection>,
    /// The no-disturbance window and the 30-day limit, from the configuration.
    pub quiet: QuietDays,
    pub max_inspections_30d: u32,
    /// Issues raised in residency placements (四帮一体验), by id.
    pub residency: HashMap<u64, ResidencyMark>,
}

/// Where an issue raised in a residency placement came from, enough to tell 驻企遗留 on any day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidencyMark {
    /// The round's last day, and whether it is closed.
    pub end: NaiveDate,
    pub closed: bool,
    /// The cadre and their unit (id), and the placement.
    pub cadre: String,
    pub unit: String,
    pub placement: u64,
}

/// A unit's name in the UI language (the Chinese one where no English name is configured).
pub fn display_name(u: &UnitInfo, en: bool) -> &str {
    if en && !u.name_en.is_empty() {
        &u.name_en
    } else {
        &u.name
    }
}

impl Data {
    /// 驻企遗留: the issue was raised in a placement whose round is over, and is still open.
    pub fn legacy(&self, i: &Issue, today: NaiveDate) -> Option<&ResidencyMark> {
        self.residency
            .get(&i.id)
            .filter(|m| i.status.is_open() && (m.closed || today > m.end))
    }

    pub fn unit_name(&self, id: &str, en: bool) -> String {
        self.units
            .iter()
            .chain(self.all_units.iter())
            .find(|u| u.id == id)
            .map(|u| display_name(u, en).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    /// Notes, from the issues held, what the dashboard and the VIP coverage count (for data
    /// put together by hand, as the tests do; `load_data` reads these from the store).
    pub fn note_issues(&mut self) {
        for i in self.issues.clone() {
            self.note(&i);
        }
    }

    fn note(&mut self, issue: &Issue) {
        if self.vip.contains(&issue.enterprise) {
            for d in [Some(issue.logged_at), issue.contacted_at]
                .into_iter()
                .flatten()
            {
                let t = self
                    .vip_touched
                    .entry(issue.enterprise.clone())
                    .or_insert(d.date());
                *t = (*t).max(d.date());
            }
        }
        self.logged.insert(issue.id, issue.logged_at.date());
    }

    /// Inserts or replaces an issue (keeps id order), noting what the dashboard and the VIP
    /// coverage count.
    pub fn upsert(&mut self, issue: Issue) {
        self.note(&issue);
        match self.issues.binary_search_by_key(&issue.id, |i| i.id) {
            Ok(pos) => self.issues[pos] = issue,
            Err(pos) => self.issues.insert(pos, issue),
        }
    }

    /// Drops an issue this session may no longer see.
    pub fn remove(&mut self, id: u64) {
        if let Ok(pos) = self.issues.binary_search_by_key(&id, |i| i.id) {
            self.issues.remove(pos);
        }
        self.logged.remove(&id);
    }

    pub fn get(&self, id: u64) -> Option<&Issue> {
        self.issues
            .binary_search_by_key(&id, |i| i.id)
            .ok()
            .map(|p| &self.issues[p])
    }

    pub fn urgency(&self, i: &Issue, today: NaiveDate) -> Option<Urgency> {
        urgency(&self.calendar, i, today)
    }

    /// Working days left to the issue's next deadline.
    pub fn left(&self, i: &Issue, today: NaiveDate) -> Option<i64> {
        i.next_deadline()
            .map(|(_, due)| workdays_left(&self.calendar, today, due))
    }
}

/// The dashboard's numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub logged_today: usize,
    pub unassigned: usize,
    pub contact_due_today: usize,
    pub overdue: usize,
    pub supervised: usize,
    pub vip_open: usize,
}

pub fn summary(d: &Data, today: NaiveDate) -> Summary {
    let mut s = Summary {
        logged_today: d.logged.values().filter(|day| **day == today).count(),
        ..Summary::default()
    };
    for i in &d.issues {
        if !i.status.is_open() {
            continue;
        }
        if i.status == IssueStatus::Logged {
            s.unassigned += 1;
        }
        if matches!(i.status, IssueStatus::Logged | IssueStatus::Assigned) && i.contact_due == today
        {
            s.contact_due_today += 1;
        }
        if i.is_overdue(today) {
            s.overdue += 1;
        }
        if i.supervised {
            s.supervised += 1;
        }
        if d.vip.contains(&i.enterprise) {
            s.vip_open += 1;
        }
    }
    s
}

/// Sort key: most urgent first, then earliest deadline, then oldest.
fn urgency_key(d: &Data, i: &Issue, today: NaiveDate) -> (u8, NaiveDate, NaiveDateTime) {
    crate::desk::urgency_key(&d.calendar, i, today)
}

/// Issues that need action now: overdue, due within a working day, or not yet assigned.
pub fn needs_action(d: &Data, today: NaiveDate) -> Vec<usize> {
    let mut v: Vec<usize> = (0..d.issues.len())
        .filter(|&k| {
            let i = &d.issues[k];
            i.status == IssueStatus::Logged
                || matches!(
                    d.urgency(i, today),
                    Some(Urgency::Overdue | Urgency::DueSoon)
                )
        })
        .collect();
    v.sort_by_cached_key(|&k| urgency_key(d, &d.issues[k], today));
    v
}

/// Indices of the issues the filter keeps, in the chosen order: the desk's one filter and
/// one sort (`desk::IssueFilter`, `desk::Sort`), applied to the issues this session holds.
pub fn filtered(
    d: &Data,
    f: &CompiledFilter,
    sort: Sort,
    keys: &mut SortKeys,
    today: NaiveDate,
) -> Vec<usize> {
    let mut v: Vec<(usize, &Issue)> = d
        .issues
        .iter()
        .enumerate()
        .filter(|(_, i)| f.matches(i, today, |c| d.vip.contains(c)))
        .collect();
    sort.order(&mut v, &d.calendar, today, keys, |t| t.1);
    v.into_iter().map(|(k, _)| k).collect()
}

/// Open issues of VIP enterprises, most urgent first.
pub fn vip_open(d: &Data, today: NaiveDate) -> Vec<usize> {
    let mut v: Vec<usize> = (0..d.issues.len())
        .filter(|&k| d.issues[k].status.is_open() && d.vip.contains(&d.issues[k].enterprise))
        .collect();
    v.sort_by_cached_key(|&k| urgency_key(d, &d.issues[k], today));
    v
}

/// Replied issues waiting for the enterprise's evaluation (待回访), longest waiting first.
pub fn callbacks_due(d: &Data) -> Vec<usize> {
    let mut v: Vec<usize> = (0..d.issues.len())
        .filter(|&k| d.issues[k].evaluation_owed())
        .collect();
    v.sort_by_key(|&k| (d.issues[k].replied_at, d.issues[k].id));
    v
}

/// The uncovered VIP enterprises one per row, as the VIP queue's panel lists them: by
/// category, then name (code, name).
pub fn vip_uncovered_flat(d: &Data, today: NaiveDate) -> Vec<(String, String)> {
    vip_uncovered(d, today)
        .into_iter()
        .flat_map(|(_, v)| v)
        .collect()
}

/// VIP enterprises with no issue logged or contacted in the last 30 days, by category
/// (code, name).
pub fn vip_uncovered(d: &Data, today: NaiveDate) -> Vec<(VipCategory, Vec<(String, String)>)> {
    let since = today - Duration::days(30);
    let touched: HashSet<&str> = d
        .vip_touched
        .iter()
        .filter(|(_, day)| **day >= since)
        .map(|(code, _)| code.as_str())
        .collect();
    VipCategory::ALL
        .into_iter()
        .map(|c| {
            let names = d
                .vip_list
                .iter()
                .filter(|v| v.categories.contains(&c) && !touched.contains(v.code.as_str()))
                .map(|v| (v.code.clone(), v.name.clone()))
                .collect();
            (c, names)
        })
        .collect()
}

/// One row of the units board: what each unit holds now (the month's rates come from the
/// scorecard report).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    pub id: String,
    pub open: usize,
    pub overdue: usize,
}

pub fn units_board(d: &Data, today: NaiveDate) -> Vec<UnitRow> {
    let mut by: HashMap<&str, (usize, usize)> = HashMap::new();
    for i in d.issues.iter().filter(|i| i.status.is_open()) {
        let Some(u) = i.unit.as_deref() else { continue };
        let e = by.entry(u).or_default();
        e.0 += 1;
        if i.is_overdue(today) {
            e.1 += 1;
        }
    }
    d.units
        .iter()
        .map(|u| {
            let (open, overdue) = by.get(u.id.as_str()).copied().unwrap_or_default();
            UnitRow {
                id: u.id.clone(),
                open,
                overdue,
            }
        })
        .collect()
}

/// The units board's rows in the order shown: best first by this month's ranking, units
/// without a rank in the configured order; a unit's session sees its own row only.
pub fn ranked_board(
    d: &Data,
    scorecard: Option<&crate::report::scorecard::Report>,
    own_unit: Option<&str>,
    today: NaiveDate,
) -> Vec<UnitRow> {
    let mut rows = units_board(d, today);
    if let Some(own) = own_unit {
        rows.retain(|r| r.id == own);
    }
    let rank = |id: &str| {
        scorecard
            .and_then(|r| r.units.iter().find(|s| s.unit_id == id))
            .and_then(|s| s.rank)
            .unwrap_or(usize::MAX)
    };
    rows.sort_by_cached_key(|r| rank(&r.id));
    rows
}

/// Character-bigram similarity of two descriptions (0–1), for the duplicate warning.
pub fn similarity(a: &str, b: &str) -> f64 {
    let grams = |s: &str| -> HashSet<(char, char)> {
        let cs: Vec<char> = s
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation())
            .collect();
        cs.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() || gb.is_empty() {
        return if !a.trim().is_empty() && a.trim() == b.trim() {
            1.0
        } else {
            0.0
        };
    }
    let inter = ga.intersection(&gb).count() as f64;
    inter / (ga.len().min(gb.len()) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_texts() {
        assert!(similarity("企业扩产需要流动资金贷款", "扩产需要流动资金") > 0.8);
        assert!(similarity("招聘数控技工", "环保审批延迟") < 0.2);
        assert_eq!(similarity("", "x"), 0.0);
    }
}
