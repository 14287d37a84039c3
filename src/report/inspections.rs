//! The rules applied to inspection reports (码上报备), free of I/O so the CLI, the TUI and the
//! reports all read the same answers:
//!
//! - **Matching**: the unit and the enterprise may both file the same inspection. A unit filing
//!   and an enterprise filing match when they name the same enterprise, the same date and the
//!   same unit; each filing is paired at most once, oldest filing first.
//! - **No-disturbance days (无扰日)**: an inspection dated inside the configured window is a
//!   violation unless an exemption is given. A matched pair is one inspection: an exemption on
//!   either filing covers both.
//! - **Frequency**: an enterprise inspected more than `max_30d` times in the 30 days ending at
//!   an inspection's date (that date and the 29 days before it) makes that inspection
//!   *frequent*. A matched pair counts once.
//!
//! To count inspections per unit without counting a matched pair twice, skip the rows with
//! `duplicate == true` (an enterprise-side filing that matches a unit-side one), or use
//! [`tally_by_unit`].

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::domain::{FiledBy, Inspection, QuietDays};

/// Length of the frequency window in days, the inspection's own date included.
pub const WINDOW_DAYS: i64 = 30;

/// One filing with what the rules say about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InspectionRow {
    pub inspection: Inspection,
    /// On a no-disturbance day with no exemption on this filing or its match.
    pub violation: bool,
    /// The enterprise had more than `max_30d` inspections in the 30 days ending at this date.
    pub frequent: bool,
    /// Id of the other side's filing of the same inspection.
    pub matched: Option<u64>,
    /// An enterprise-side filing that repeats a unit-side one: skip it when counting.
    pub duplicate: bool,
    /// Distinct inspections of this enterprise in the 30 days ending at this date.
    pub in_30_days: usize,
}

/// Pairs unit and enterprise filings of the same inspection. Returns, for every filing that
/// found its partner, the partner's id (both directions).
pub fn match_filings(list: &[Inspection]) -> HashMap<u64, u64> {
    type Group<'a> = (Vec<&'a Inspection>, Vec<&'a Inspection>);
    let mut groups: BTreeMap<(&str, NaiveDate, &str), Group> = BTreeMap::new();
    for i in list {
        let g = groups
            .entry((i.enterprise.as_str(), i.date, i.unit.trim()))
            .or_default();
        match i.by {
            FiledBy::Unit => g.0.push(i),
            FiledBy::Enterprise => g.1.push(i),
        }
    }
    let mut out = HashMap::new();
    for (_, (mut units, mut ents)) in groups {
        units.sort_by_key(|i| (i.filed_at, i.id));
        ents.sort_by_key(|i| (i.filed_at, i.id));
        for (u, e) in units.iter().zip(ents.iter()) {
            out.insert(u.id, e.id);
            out.insert(e.id, u.id);
        }
    }
    out
}

/// Whether a filing repeats another: the enterprise side of a matched pair.
fn is_duplicate(i: &Inspection, matches: &HashMap<u64, u64>) -> bool {
    i.by == FiledBy::Enterprise && matches.contains_key(&i.id)
}

/// Distinct inspections of `enterprise` (credit code) dated in the 30 days ending at `end`
/// (`end` and the 29 days before it). A matched unit/enterprise pair counts once.
pub fn count_in_window(list: &[Inspection], enterprise: &str, end: NaiveDate) -> usize {
    let matches = match_filings(list);
    count_with(list, &matches, enterprise, end)
}

fn count_with(
    list: &[Inspection],
    matches: &HashMap<u64, u64>,
    enterprise: &str,
    end: NaiveDate,
) -> usize {
    let start = end - Duration::days(WINDOW_DAYS - 1);
    list.iter()
        .filter(|i| i.enterprise == enterprise && i.date >= start && i.date <= end)
        .filter(|i| !is_duplicate(i, matches))
        .count()
}

/// Applies the rules to every filing; rows come back in the order of `list`.
pub fn analyse(list: &[Inspection], quiet: &QuietDays, max_30d: u32) -> Vec<InspectionRow> {
    let matches = match_filings(list);
    let by_id: HashMap<u64, &Inspection> = list.iter().map(|i| (i.id, i)).collect();
    // Per enterprise, the sorted dates of distinct inspections, for the window counts.
    let mut dates: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
    for i in list.iter().filter(|i| !is_duplicate(i, &matches)) {
        dates.entry(i.enterprise.as_str()).or_default().push(i.date);
    }
    for v in dates.values_mut() {
        v.sort();
    }
    list.iter()
        .map(|i| {
            let matched = matches.get(&i.id).copied();
            let exempt = i.exemption.is_some()
                || matched
                    .and_then(|m| by_id.get(&m))
                    .is_some_and(|m| m.exemption.is_some());
            let start = i.date - Duration::days(WINDOW_DAYS - 1);
            let in_30_days = dates.get(i.enterprise.as_str()).map_or(0, |d| {
                d.partition_point(|x| *x <= i.date) - d.partition_point(|x| *x < start)
            });
            InspectionRow {
                violation: quiet.contains(i.date) && !exempt,
                frequent: in_30_days > max_30d as usize,
                matched,
                duplicate: is_duplicate(i, &matches),
                in_30_days,
                inspection: i.clone(),
            }
        })
        .collect()
}

/// Per-unit numbers for reports: distinct inspections and violations (matched pairs once).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UnitTally {
    pub inspections: usize,
    pub violations: usize,
    /// Inspections that made their enterprise's 30-day count exceed the limit.
    pub frequent: usize,
    /// Inspections reported only by the enterprise (the unit did not file them).
    pub enterprise_only: usize,
}

/// Counts analysed rows per unit (the stored unit id, or the department's name as given).
pub fn tally_by_unit(rows: &[InspectionRow]) -> BTreeMap<String, UnitTally> {
    let mut out: BTreeMap<String, UnitTally> = BTreeMap::new();
    for r in rows.iter().filter(|r| !r.duplicate) {
        let t = out.entry(r.inspection.unit.clone()).or_default();
        t.inspections += 1;
        t.violations += usize::from(r.violation);
        t.frequent += usize::from(r.frequent);
        t.enterprise_only +=
            usize::from(r.inspection.by == FiledBy::Enterprise && r.matched.is_none());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Exemption, InspectionKind};

    const ENT: &str = "91440300708461136T";
    const OTHER: &str = "91110000100003495Y";

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn insp(id: u64, date: NaiveDate, by: FiledBy, exemption: Option<Exemption>) -> Inspection {
        Inspection {
            id,
            unit: "market".into(),
            enterprise: ENT.into(),
            enterprise_name: "重庆戴卡捷力轮毂制造有限公司".into(),
            date,
            kind: InspectionKind::Planned,
            exemption,
            by,
            inspectors: "王强、李娜".into(),
            result: "未发现问题".into(),
            filed_at: d(11, 20).and_hms_opt(9, 0, 0).unwrap() + Duration::minutes(id as i64),
            filed_by: "张敏".into(),
        }
    }

    fn unit(id: u64, date: NaiveDate) -> Inspection {
        insp(id, date, FiledBy::Unit, None)
    }

    #[test]
    fn violation_only_inside_the_default_window_without_exemption() {
        let q = QuietDays::default();
        for (day, inside) in [(7, false), (8, true), (23, true), (24, false)] {
            let rows = analyse(&[unit(1, d(11, day))], &q, 2);
            assert_eq!(rows[0].violation, inside, "day {day} without exemption");
            for ex in Exemption::ALL {
                let rows = analyse(&[insp(1, d(11, day), FiledBy::Unit, Some(ex))], &q, 2);
                assert!(!rows[0].violation, "day {day} with {ex:?}");
            }
        }
        // The window applies to every month, February included.
        assert!(analyse(&[unit(1, d(2, 8))], &q, 2)[0].violation);
        assert!(!analyse(&[unit(1, d(2, 28))], &q, 2)[0].violation);
    }

    #[test]
    fn violation_follows_a_configured_window() {
        let q = QuietDays { first: 1, last: 10 };
        let day_is_violation = |day| analyse(&[unit(1, d(11, day))], &q, 2)[0].violation;
        assert!(day_is_violation(1));
        assert!(day_is_violation(10));
        assert!(!day_is_violation(11));
        assert!(
            !day_is_violation(23),
            "the default window no longer applies"
        );
        let with = analyse(
            &[insp(1, d(11, 5), FiledBy::Unit, Some(Exemption::Order))],
            &q,
            2,
        );
        assert!(!with[0].violation);
    }

    #[test]
    fn an_exemption_on_either_filing_of_a_pair_covers_both() {
        let q = QuietDays::default();
        let list = [
            insp(1, d(11, 10), FiledBy::Unit, Some(Exemption::Complaint)),
            insp(2, d(11, 10), FiledBy::Enterprise, None),
        ];
        let rows = analyse(&list, &q, 2);
        assert_eq!(rows[1].matched, Some(1));
        assert!(!rows[0].violation && !rows[1].violation);
    }

    #[test]
    fn window_counts_day_29_back_but_not_day_30_back() {
        let end = d(11, 30);
        let at_29 = unit(1, end - Duration::days(29));
        let at_30 = unit(2, end - Duration::days(30));
        let last = unit(3, end);
        assert_eq!(at_29.date, d(11, 1));
        let list = [at_29.clone(), at_30.clone(), last.clone()];
        assert_eq!(count_in_window(&list, ENT, end), 2);
        // Later inspections do not count towards an earlier date.
        assert_eq!(count_in_window(&list, ENT, d(11, 1)), 2);
        assert_eq!(count_in_window(&list, ENT, d(10, 31)), 1);
        assert_eq!(count_in_window(&list, OTHER, end), 0);
        let rows = analyse(&list, &QuietDays::default(), 1);
        assert_eq!(rows[2].in_30_days, 2);
        assert!(rows[2].frequent, "2 > 1");
        assert!(
            !analyse(&list, &QuietDays::default(), 2)[2].frequent,
            "2 ≤ 2"
        );
    }

    #[test]
    fn the_third_inspection_in_30_days_is_frequent() {
        let list = [unit(1, d(11, 1)), unit(2, d(11, 5)), unit(3, d(11, 24))];
        let rows = analyse(&list, &QuietDays::default(), 2);
        let freq: Vec<bool> = rows.iter().map(|r| r.frequent).collect();
        assert_eq!(freq, [false, false, true]);
        let counts: Vec<usize> = rows.iter().map(|r| r.in_30_days).collect();
        assert_eq!(counts, [1, 2, 3]);
    }

    #[test]
    fn a_matched_pair_counts_once() {
        let list = [
            unit(1, d(11, 1)),
            insp(2, d(11, 1), FiledBy::Enterprise, None),
            unit(3, d(11, 5)),
        ];
        assert_eq!(count_in_window(&list, ENT, d(11, 5)), 2);
        let rows = analyse(&list, &QuietDays::default(), 2);
        assert!(rows.iter().all(|r| !r.frequent));
        assert_eq!(rows[1].in_30_days, 1);
        assert!(rows[1].duplicate && !rows[0].duplicate);
        let t = tally_by_unit(&rows);
        assert_eq!(t["market"].inspections, 2);
        assert_eq!(t["market"].enterprise_only, 0);
        // Without the unit's filing, the enterprise's own report counts.
        let rows = analyse(&list[1..], &QuietDays::default(), 2);
        assert_eq!(rows[0].matched, None);
        assert!(!rows[0].duplicate);
        assert_eq!(tally_by_unit(&rows)["market"].enterprise_only, 1);
    }

    #[test]
    fn matching_pairs_each_filing_at_most_once_oldest_first() {
        // Two unit filings, one enterprise filing: the oldest unit filing gets the match.
        let list = [
            unit(5, d(11, 3)),
            unit(2, d(11, 3)),
            insp(7, d(11, 3), FiledBy::Enterprise, None),
        ];
        let m = match_filings(&list);
        assert_eq!(m.get(&2), Some(&7));
        assert_eq!(m.get(&7), Some(&2));
        assert_eq!(m.get(&5), None);
        // Two each: paired in filing order.
        let mut list = list.to_vec();
        list.push(insp(9, d(11, 3), FiledBy::Enterprise, None));
        let m = match_filings(&list);
        assert_eq!((m[&2], m[&5]), (7, 9));
        // Two enterprise filings never match each other; nor do two unit filings.
        let m = match_filings(&[
            insp(1, d(11, 3), FiledBy::Enterprise, None),
            insp(2, d(11, 3), FiledBy::Enterprise, None),
            unit(3, d(11, 4)),
            unit(4, d(11, 4)),
        ]);
        assert!(m.is_empty());
    }

    #[test]
    fn matching_needs_the_same_enterprise_date_and_unit() {
        let base = unit(1, d(11, 3));
        let mut other_day = insp(2, d(11, 4), FiledBy::Enterprise, None);
        let mut other_unit = insp(3, d(11, 3), FiledBy::Enterprise, None);
        other_unit.unit = "区应急管理局".into();
        let mut other_ent = insp(4, d(11, 3), FiledBy::Enterprise, None);
        other_ent.enterprise = OTHER.into();
        let m = match_filings(&[base.clone(), other_day.clone(), other_unit, other_ent]);
        assert!(m.is_empty(), "{m:?}");
        other_day.date = base.date;
        assert_eq!(match_filings(&[base, other_day]).len(), 2);
    }

    #[test]
    fn tally_counts_violations_per_unit_once() {
        let mut b = unit(3, d(11, 12));
        b.unit = "区应急管理局".into();
        let list = [
            unit(1, d(11, 10)),
            insp(2, d(11, 10), FiledBy::Enterprise, None),
            b,
        ];
        let t = tally_by_unit(&analyse(&list, &QuietDays::default(), 2));
        assert_eq!(t["market"].violations, 1);
        assert_eq!(t["market"].inspections, 1);
        assert_eq!(t["区应急管理局"].violations, 1);
    }
}
