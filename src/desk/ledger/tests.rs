//! The ledger over a small history: open, closed and voided issues, inspections, evaluations.

use chrono::{NaiveDate, NaiveDateTime};

use super::super::{Command, Desk, NewInspection, NewIssue};
use super::*;
use crate::domain::{Channel, Evaluation, FiledBy, InspectionKind};

const CODE: &str = "91440300708461136T";
/// A second enterprise, its check character worked out.
fn other() -> String {
    crate::domain::credit_code::complete("91500000MA5U8RTQ0").unwrap()
}

fn at(m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, m, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn run(d: &mut Desk, t: NaiveDateTime, c: Command) -> Option<u64> {
    d.execute("甲", t, c).unwrap().created
}

fn log(d: &mut Desk, t: NaiveDateTime, code: &str, text: &str) -> u64 {
    let issue = NewIssue {
        enterprise: code.into(),
        category: "融资信贷".into(),
        channel: Channel::Phone,
        contact_name: "张三".into(),
        phone: "13812345678".into(),
        description: text.into(),
    };
    run(d, t, Command::LogIssue { issue }).unwrap()
}

fn assign(d: &mut Desk, t: NaiveDateTime, id: u64) {
    let c = Command::Assign {
        id,
        unit: "tax".into(),
        helpers: vec![],
        reason: String::new(),
    };
    run(d, t, c);
}

fn to_replied(d: &mut Desk, t: NaiveDateTime, id: u64) {
    assign(d, t, id);
    let note = String::new();
    run(d, t, Command::RecordContact { id, note });
    let text = "已协调银行续贷".to_string();
    run(d, t, Command::Reply { id, text });
}

fn enterprise(code: &str, name: &str) -> Enterprise {
    Enterprise {
        credit_code: code.into(),
        name: name.into(),
        district: String::new(),
        grade: Some(Grade::Backbone),
        vip: vec![VipCategory::HighTech],
        contact: "张三".into(),
        phone: "13812345678".into(),
    }
}

/// #1 closed by evaluation, #2 voided, #3 open and overdue, #4 open and in time, #5 closed
/// later with a note, #6 another enterprise's; two inspections, one on a no-disturbance day.
fn history() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let mut d = Desk::open(dir.path()).unwrap();
    let other = other();
    for (code, name) in [
        (CODE, "重庆戴卡捷力轮毂制造有限公司"),
        (other.as_str(), "重庆别家公司"),
    ] {
        let enterprise = enterprise(code, name);
        run(&mut d, at(9, 1, 9), Command::SaveEnterprise { enterprise });
    }
    let one = log(&mut d, at(9, 1, 10), CODE, "续贷\n到期");
    to_replied(&mut d, at(9, 2, 10), one);
    let evaluation = Evaluation {
        closeness: 4,
        integrity: 5,
        satisfaction: 3,
        comment: String::new(),
    };
    run(
        &mut d,
        at(9, 3, 10),
        Command::Evaluate {
            id: one,
            evaluation,
        },
    );
    let two = log(&mut d, at(9, 4, 10), CODE, "重复");
    let reason = "重复登记".to_string();
    run(&mut d, at(9, 4, 11), Command::Void { id: two, reason });
    let three = log(&mut d, at(9, 7, 10), CODE, "用地审批");
    assign(&mut d, at(9, 7, 11), three);
    let four = log(&mut d, at(9, 29, 10), CODE, "招工");
    assign(&mut d, at(9, 29, 11), four);
    let five = log(&mut d, at(9, 8, 10), CODE, "电力增容");
    to_replied(&mut d, at(9, 9, 10), five);
    let note = "已增容".to_string();
    run(&mut d, at(9, 10, 10), Command::Resolve { id: five, note });
    log(&mut d, at(9, 8, 10), &other, "别家的问题");
    for (date, unit) in [(day(9, 10), "区应急管理局"), (day(9, 25), "market")] {
        let inspection = NewInspection {
            unit: unit.into(),
            enterprise: CODE.into(),
            date,
            kind: InspectionKind::Planned,
            exemption: None,
            by: FiledBy::Unit,
            inspectors: String::new(),
            result: String::new(),
        };
        run(
            &mut d,
            at(9, 28, 10),
            Command::RecordInspection { inspection },
        );
    }
    (dir, d)
}

#[test]
fn open_issues_come_first_by_urgency_then_closed_ones_newest_first() {
    let (_t, d) = history();
    let l = d.ledger(CODE, day(9, 30)).unwrap();
    let ids: Vec<u64> = l.issues.iter().map(|i| i.id).collect();
    // #3 is past its contact deadline; #4 is in time; #5 ended after #2, #2 after #1.
    assert_eq!(ids, [3, 4, 5, 2, 1]);
    assert_eq!(l.issues[0].urgency, Some(Urgency::Overdue));
    assert_ne!(l.issues[1].urgency, Some(Urgency::Overdue));
    assert_eq!(
        l.counts,
        LedgerCounts {
            open: 2,
            closed: 2,
            voided: 1,
            overdue: 1,
            reopened: 0
        }
    );
    assert_eq!(l.grade, Some(Grade::Backbone));
    assert_eq!(l.vip_categories, [VipCategory::HighTech]);
}

#[test]
fn outcomes_name_the_unit_the_reason_and_the_scores() {
    let (_t, d) = history();
    let l = d.ledger(CODE, day(9, 30)).unwrap();
    let by_id = |id: u64| l.issues.iter().find(|i| i.id == id).unwrap();
    let one = by_id(1);
    assert_eq!(one.unit.as_ref().map(|u| u.id.as_str()), Some("tax"));
    assert_eq!(one.unit.as_ref().map(|u| u.name.as_str()), Some("区税务局"));
    let o = one.outcome.as_ref().unwrap();
    assert_eq!(o.status, IssueStatus::Closed);
    assert_eq!(o.text, "已协调银行续贷", "no closing note: the reply");
    assert_eq!(o.evaluation.as_ref().map(|e| e.satisfaction), Some(3));
    assert_eq!(one.summary, "续贷 到期", "one line");
    assert_eq!(one.contact.met, Some(true));
    assert_eq!(one.reply.met, Some(true));
    let two = by_id(2).outcome.as_ref().unwrap();
    assert_eq!(
        (two.status, two.text.as_str()),
        (IssueStatus::Voided, "重复登记")
    );
    assert_eq!(
        by_id(2).contact.met,
        None,
        "voided before contact: not judged"
    );
    assert_eq!(by_id(5).outcome.as_ref().unwrap().text, "已增容");
    let three = by_id(3);
    assert!(three.outcome.is_none());
    assert_eq!(three.contact.met, Some(false), "open past its due day");
    assert_eq!(by_id(4).contact.met, None, "still to come");
    assert_eq!(l.last_contact, Some(day(9, 9)));
}

#[test]
fn evaluations_average_and_inspections_flag_no_disturbance_days() {
    let (_t, d) = history();
    let l = d.ledger(CODE, day(9, 30)).unwrap();
    assert_eq!(l.evaluations.count, 1);
    assert_eq!(l.evaluations.closeness, Some(4.0));
    assert_eq!(l.evaluations.integrity, Some(5.0));
    assert_eq!(l.evaluations.satisfaction, Some(3.0));
    let dates: Vec<(NaiveDate, bool)> = l
        .inspections
        .iter()
        .map(|i| (i.date, i.violation))
        .collect();
    assert_eq!(dates, [(day(9, 25), false), (day(9, 10), true)]);
    assert_eq!(
        l.inspections[0].unit, "区市场监管局",
        "a configured unit by its name"
    );
    assert_eq!(
        l.inspections[1].unit, "区应急管理局",
        "any other department as filed"
    );
    assert!(
        l.issues.iter().all(|i| i.id != 6),
        "another enterprise's issue"
    );
}

#[test]
fn an_enterprise_without_issues_has_an_empty_ledger_and_an_unknown_code_is_not_found() {
    let (_t, d) = history();
    let l = d.ledger(&other(), day(9, 30)).unwrap();
    assert_eq!(l.counts.open, 1);
    assert_eq!(l.evaluations.count, 0);
    assert_eq!(l.evaluations.closeness, None);
    assert!(l.inspections.is_empty());
    assert!(matches!(
        d.ledger("91500000000000000X", day(9, 30)),
        Err(DeskError::NotFound { .. })
    ));
}

#[test]
fn the_deadline_rule_counts_the_due_day_as_in_time() {
    let due = day(10, 9);
    let t = |d: u32| Some(at(10, d, 17));
    assert_eq!(
        DeadlineCheck::judge(due, t(9), true, day(10, 20)).met,
        Some(true)
    );
    assert_eq!(
        DeadlineCheck::judge(due, t(10), false, day(10, 20)).met,
        Some(false)
    );
    assert_eq!(DeadlineCheck::judge(due, None, true, day(10, 9)).met, None);
    assert_eq!(
        DeadlineCheck::judge(due, None, true, day(10, 10)).met,
        Some(false)
    );
    assert_eq!(
        DeadlineCheck::judge(due, None, false, day(10, 10)).met,
        None
    );
}
