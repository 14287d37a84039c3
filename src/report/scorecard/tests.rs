//! A hand-computed fixture for October 2026, across the National Day holiday (Oct 1–7 off,
//! Oct 10 a Saturday working day): logged 09-30 → contact due 10-09, reply due 10-13.

use super::*;
use crate::desk::{Command, NewInspection};
use crate::domain::{Evaluation, Exemption, FiledBy, InspectionKind};
use crate::report::script::Script;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The steps these fixtures take beyond logging and assigning.
trait Steps {
    fn contact(&mut self, when: &str, id: u64);
    fn reply(&mut self, when: &str, id: u64);
    fn evaluate(&mut self, when: &str, id: u64, s: [u8; 3], comment: &str);
    fn inspect(&mut self, date: &str, unit: &str, kind: InspectionKind, ex: Option<Exemption>);
    fn file(
        &mut self,
        date: &str,
        unit: &str,
        kind: InspectionKind,
        ex: Option<Exemption>,
        by: FiledBy,
    );
}

impl Steps for Script {
    fn contact(&mut self, when: &str, id: u64) {
        self.run(
            when,
            Command::RecordContact {
                id,
                note: String::new(),
            },
        );
    }
    fn reply(&mut self, when: &str, id: u64) {
        self.run(
            when,
            Command::Reply {
                id,
                text: "已办理".into(),
            },
        );
    }
    fn evaluate(&mut self, when: &str, id: u64, s: [u8; 3], comment: &str) {
        let evaluation = Evaluation {
            closeness: s[0],
            integrity: s[1],
            satisfaction: s[2],
            comment: comment.into(),
        };
        self.run(when, Command::Evaluate { id, evaluation });
    }
    fn inspect(&mut self, date: &str, unit: &str, kind: InspectionKind, ex: Option<Exemption>) {
        self.file(date, unit, kind, ex, FiledBy::Unit);
    }
    fn file(
        &mut self,
        date: &str,
        unit: &str,
        kind: InspectionKind,
        ex: Option<Exemption>,
        by: FiledBy,
    ) {
        let inspection = NewInspection {
            unit: unit.into(),
            enterprise: self.codes[1].clone(),
            date: day(date),
            kind,
            exemption: ex,
            by,
            inspectors: String::new(),
            result: String::new(),
        };
        self.run("2026-10-30T09:00", Command::RecordInspection { inspection });
    }
}

fn fixture() -> Script {
    let mut s = Script::new(5, "2026-09-01T09:00");
    // The hand-computed figures rank units on a handful of issues; the minimum for ranking
    // has its own test below.
    s.desk.config.min_issues_for_ranking = 1;
    // I1: tax, contact and reply on time, evaluated well → closed.
    let i1 = s.log("2026-09-30T09:00", 0, "问题");
    s.assign("2026-09-30T09:10", i1, "tax");
    s.contact("2026-10-09T16:00", i1);
    s.reply("2026-10-13T16:00", i1);
    s.evaluate("2026-10-14T10:00", i1, [5, 5, 4], "");
    // I2: tax, contact and reply late, resolved.
    let i2 = s.log("2026-09-30T09:30", 1, "问题");
    s.assign("2026-09-30T09:40", i2, "tax");
    s.contact("2026-10-12T09:00", i2);
    s.reply("2026-10-14T09:00", i2);
    s.run(
        "2026-10-15T09:00",
        Command::Resolve {
            id: i2,
            note: String::new(),
        },
    );
    // I3: court, transferred to tax the next day, never contacted: both misses are tax's.
    let i3 = s.log("2026-10-12T09:00", 2, "问题");
    s.assign("2026-10-12T09:10", i3, "court");
    let to = "tax".into();
    s.run(
        "2026-10-13T09:00",
        Command::Transfer {
            id: i3,
            to,
            reason: "职能不符".into(),
        },
    );
    // I4: court, returned and re-assigned, on time, then a low evaluation reopens it.
    let i4 = s.log("2026-10-20T09:00", 0, "问题");
    s.assign("2026-10-20T09:10", i4, "court");
    s.run(
        "2026-10-21T09:00",
        Command::Return {
            id: i4,
            reason: "非本单位职能".into(),
        },
    );
    s.assign("2026-10-21T10:00", i4, "court");
    s.contact("2026-10-22T17:00", i4);
    s.reply("2026-10-27T17:00", i4);
    s.evaluate("2026-10-28T10:00", i4, [2, 3, 1], "没有解决");
    // I5: logged at the end of the range; its deadlines fall in November.
    let i5 = s.log("2026-10-30T09:00", 3, "问题");
    s.assign("2026-10-30T09:10", i5, "court");
    // I7: due 10-08 but voided before: no deadline to count.
    let i7 = s.log("2026-09-29T09:00", 4, "问题");
    s.run(
        "2026-09-30T09:00",
        Command::Void {
            id: i7,
            reason: "重复登记".into(),
        },
    );
    // Inspections: the 7th is allowed, the 8th is a quiet day; exemptions; another department.
    s.inspect("2026-10-07", "tax", InspectionKind::Planned, None);
    s.inspect("2026-10-08", "tax", InspectionKind::Planned, None);
    s.inspect(
        "2026-10-23",
        "court",
        InspectionKind::Safety,
        Some(Exemption::Safety),
    );
    s.inspect("2026-10-24", "区应急管理局", InspectionKind::Planned, None);
    // The enterprise reports the 10-08 inspection too (码上报备): one inspection, not two.
    s.file(
        "2026-10-08",
        "tax",
        InspectionKind::Planned,
        None,
        FiledBy::Enterprise,
    );
    s
}

fn october(s: &Script) -> Report {
    from_desk(
        &s.desk,
        day("2026-10-01"),
        day("2026-10-31"),
        day("2026-11-20"),
    )
    .unwrap()
}

fn unit<'a>(r: &'a Report, id: &str) -> &'a UnitScore {
    r.units.iter().find(|u| u.unit_id == id).unwrap()
}

#[test]
fn hand_computed_scorecards_across_national_day() {
    let s = fixture();
    let r = october(&s);
    let tax = unit(&r, "tax");
    let expected_tax = UnitScore {
        rank: Some(2),
        unit_id: "tax".into(),
        unit: "区税务局".into(),
        received: 1,
        assigned: 0,
        contact_due: 3,
        contact_on_time: 1,
        contact_on_time_pct: Some(33.3),
        reply_due: 3,
        reply_on_time: 1,
        reply_on_time_pct: Some(33.3),
        closed: 2,
        reopened: 0,
        transfers_in: 1,
        transfers_out: 0,
        returns: 0,
        // I1: 10-08, 10-09 → 2; I2: 10-08, 10-09, 10-10 (Saturday, worked), 10-12 → 4.
        avg_workdays_to_contact: Some(3.0),
        avg_workdays_to_reply: Some(5.5),
        evaluations: 1,
        closeness: Some(5.0),
        integrity: Some(5.0),
        satisfaction: Some(4.0),
        inspections: 2,
        violations: 1,
        // 0.4·33.3 + 0.4·33.3 + 0.2·(14/15·100)
        score: Some(45.3),
        too_few: false,
    };
    assert_eq!(tax, &expected_tax);
    let court = unit(&r, "court");
    let expected_court = UnitScore {
        rank: Some(1),
        unit_id: "court".into(),
        unit: "区法院".into(),
        received: 3,
        assigned: 4,
        contact_due: 1,
        contact_on_time: 1,
        contact_on_time_pct: Some(100.0),
        reply_due: 1,
        reply_on_time: 1,
        reply_on_time_pct: Some(100.0),
        closed: 0,
        reopened: 1,
        transfers_in: 0,
        transfers_out: 1,
        returns: 1,
        avg_workdays_to_contact: Some(2.0),
        avg_workdays_to_reply: Some(5.0),
        evaluations: 1,
        closeness: Some(2.0),
        integrity: Some(3.0),
        satisfaction: Some(1.0),
        inspections: 1,
        violations: 0,
        score: Some(88.0),
        too_few: false,
    };
    assert_eq!(court, &expected_court);
    assert_eq!(r.units[0].unit_id, "court");
    assert_eq!(r.units[1].unit_id, "tax");
    assert_eq!(r.units.len(), 14);
    assert!(r.units[2..]
        .iter()
        .all(|u| u.rank.is_none() && u.received == 0));
    assert_eq!(
        r.totals,
        Totals {
            enterprises_received: 3,
            issues_logged: 3,
            issues_solved: 2,
            contact_due: 4,
            contact_on_time: 2,
            reply_due: 4,
            reply_on_time: 2,
            vip_contacted: 1,
            vip_total: 1,
            vip_coverage_pct: Some(100.0),
            inspections: 4,
            violations: 1,
        }
    );
    assert_eq!(
        r.other_departments,
        vec![DepartmentInspections {
            unit: "区应急管理局".into(),
            inspections: 1,
            violations: 0
        }]
    );
}

#[test]
fn a_past_range_is_the_same_whenever_it_is_run() {
    let mut s = fixture();
    let before = october(&s);
    // Work done in November changes the issues, not October's figures.
    s.contact("2026-11-02T09:00", 5);
    let reason = "企业反映未解决".into();
    s.run("2026-11-03T09:00", Command::Reopen { id: 2, reason });
    assert_eq!(october(&s), before);
    // Run later still: the same.
    let later = from_desk(
        &s.desk,
        day("2026-10-01"),
        day("2026-10-31"),
        day("2027-03-01"),
    )
    .unwrap();
    assert_eq!(later, before);
}

#[test]
fn pending_deadlines_are_not_counted_until_they_pass() {
    let s = fixture();
    // Run on 10-13 for October so far: I1's reply (due today) is met, I2's is still pending.
    let r = from_desk(
        &s.desk,
        day("2026-10-01"),
        day("2026-10-31"),
        day("2026-10-13"),
    )
    .unwrap();
    let tax = unit(&r, "tax");
    assert_eq!((tax.reply_due, tax.reply_on_time), (1, 1));
}

#[test]
fn csv_header_is_exact_and_rows_are_per_unit() {
    let h = csv_header(Lang::Zh).join(",");
    assert_eq!(
        h,
        "排名,单位,受理,交办,对接期限内应对接,按时对接,按时对接率,答复期限内应答复,按时答复,按时答复率,办结,重新打开,转入,转出,退回,平均对接工作日,平均答复工作日,评价数,亲近度,清廉度,满意度,检查次数,无扰日违规,综合得分"
    );
    let s = fixture();
    let r = october(&s);
    assert!(r
        .units
        .iter()
        .all(|u| row(u, true).len() == csv_header(Lang::Zh).len()));
    let md = markdown(&r, Lang::Zh);
    assert!(
        md.contains("| 1 | 区法院 | 3 | 4 | 1 | 1 | 100.0% |"),
        "{md}"
    );
    assert!(md.contains("VIP 企业覆盖: 1/1 (100.0%)"), "{md}");
}

#[test]
fn lookback_reaches_every_deadline_across_the_spring_festival() {
    let cal = Calendar::builtin();
    // 2026 Spring Festival: Feb 15–23 off. Logged 02-11 → 5th working day is 02-26 (with the
    // adjusted Saturdays); a report from 02-26 must read back to 02-11, plus the margin.
    let due = cal.add_workdays(day("2026-02-11"), 5).date;
    let start = lookback_start(&cal, 5, due);
    assert!(
        start <= day("2026-02-11") - chrono::Days::new(LOOKBACK_MARGIN),
        "{start}"
    );
    // An ordinary week: a few days back, not weeks.
    assert_eq!(
        lookback_start(&cal, 5, day("2026-06-15")),
        day("2026-06-08") - chrono::Days::new(LOOKBACK_MARGIN)
    );
}

#[test]
fn a_unit_reads_its_own_row_and_everyone_else_all_of_it() {
    let r = october(&fixture());
    let account = |role, unit: Option<&str>| crate::domain::Account {
        name: "x".into(),
        role,
        unit: unit.map(str::to_string),
        display: String::new(),
        disabled: false,
    };
    let all = r.units.len();
    assert!(all > 1);
    let own = r
        .clone()
        .for_account(&account(crate::domain::Role::Unit, Some("tax")));
    assert_eq!(
        own.units
            .iter()
            .map(|u| u.unit_id.as_str())
            .collect::<Vec<_>>(),
        ["tax"]
    );
    assert!(own.other_departments.is_empty());
    for role in [
        crate::domain::Role::Desk,
        crate::domain::Role::Supervisor,
        crate::domain::Role::Admin,
    ] {
        assert_eq!(r.clone().for_account(&account(role, None)).units.len(), all);
    }
}

#[test]
fn units_with_too_few_issues_are_not_ranked_and_come_after() {
    let mut s = fixture();
    // Court received 3 issues in October, tax 1 (transferred in): with 2 needed, only court
    // is ranked, and tax keeps its score, marked as too few, after it.
    s.desk.config.min_issues_for_ranking = 2;
    let r = october(&s);
    let (court, tax) = (unit(&r, "court"), unit(&r, "tax"));
    assert_eq!((court.rank, court.too_few), (Some(1), false));
    assert_eq!((tax.rank, tax.too_few, tax.score), (None, true, Some(45.3)));
    assert_eq!(r.units[0].unit_id, "court");
    assert_eq!(r.units[1].unit_id, "tax");
    let md = markdown(&r, Lang::Zh);
    assert!(md.contains("| 样本不足 | 区税务局 |"), "{md}");
    assert!(md.contains("min_issues_for_ranking"), "{md}");
    assert!(markdown(&r, Lang::En).contains("| too few |"));
    // The shipped default (5): nobody here is ranked, and the best score does not come first
    // by rank.
    s.desk.config.min_issues_for_ranking = 5;
    let r = october(&s);
    assert!(r.units.iter().all(|u| u.rank.is_none()));
    assert!(unit(&r, "court").too_few && unit(&r, "tax").too_few);
    assert_eq!(crate::config::Config::builtin().min_issues_for_ranking, 5);
}
