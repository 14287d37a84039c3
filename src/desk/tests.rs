//! The desk's validation: what it refuses, and that refusing writes nothing.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::domain::{Channel, Evaluation, Grade, VipCategory};
use crate::i18n::Lang;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 9, 30)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

fn desk() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let mut d = Desk::open(dir.path()).unwrap();
    let e = Enterprise {
        credit_code: "91440300708461136t".into(),
        name: " 重庆戴卡捷力轮毂制造有限公司 ".into(),
        district: String::new(),
        grade: Some(Grade::Leading),
        vip: vec![
            VipCategory::HighTech,
            VipCategory::AboveScale,
            VipCategory::HighTech,
        ],
        contact: "张三".into(),
        phone: "138 1234 5678".into(),
    };
    d.execute("甲", now(), Command::SaveEnterprise { enterprise: e })
        .unwrap();
    (dir, d)
}

fn log(d: &mut Desk) -> u64 {
    let issue = NewIssue {
        enterprise: "91440300708461136T".into(),
        category: "融资信贷".into(),
        channel: Channel::WalkIn,
        contact_name: "张三".into(),
        phone: "13812345678".into(),
        description: "续贷".into(),
    };
    d.execute("甲", now(), Command::LogIssue { issue })
        .unwrap()
        .created
        .unwrap()
}

fn refused(d: &mut Desk, cmd: Command) -> DeskError {
    let before = d.last_seq();
    let e = d.execute("甲", now(), cmd).unwrap_err();
    assert_eq!(d.last_seq(), before, "refused command wrote an event");
    e
}

#[test]
fn enterprise_is_normalised() {
    let (_t, d) = desk();
    let e = d.enterprise("91440300708461136T").unwrap();
    assert_eq!(e.name, "重庆戴卡捷力轮毂制造有限公司");
    assert_eq!(e.phone, "13812345678");
    assert_eq!(e.vip, vec![VipCategory::AboveScale, VipCategory::HighTech]);
}

#[test]
fn logging_fixes_deadlines_from_the_calendar() {
    let (_t, mut d) = desk();
    let id = log(&mut d);
    let i = d.issue(id).unwrap();
    assert_eq!(i.contact_due, NaiveDate::from_ymd_opt(2026, 10, 9).unwrap());
    assert_eq!(i.reply_due, NaiveDate::from_ymd_opt(2026, 10, 13).unwrap());
    assert_eq!(i.logged_by, "甲");
}

#[test]
fn refusals_name_the_problem_and_write_nothing() {
    let (_t, mut d) = desk();
    let id = log(&mut d);
    let e = refused(
        &mut d,
        Command::Assign {
            id,
            unit: "discipline".into(),
            helpers: vec![],
            reason: String::new(),
        },
    );
    assert!(
        matches!(
            e,
            DeskError::Invalid {
                problem: Problem::NotLeadUnit,
                ..
            }
        ),
        "{e:?}"
    );
    let e = refused(
        &mut d,
        Command::Assign {
            id,
            unit: "nowhere".into(),
            helpers: vec![],
            reason: String::new(),
        },
    );
    assert!(
        e.message(Lang::Zh).contains("单位「nowhere」"),
        "{}",
        e.message(Lang::Zh)
    );
    d.execute(
        "甲",
        now(),
        Command::Assign {
            id,
            unit: "区税务局".into(),
            helpers: vec!["finance".into()],
            reason: String::new(),
        },
    )
    .unwrap();
    let e = refused(
        &mut d,
        Command::Transfer {
            id,
            to: "tax".into(),
            reason: "x".into(),
        },
    );
    assert!(matches!(
        e,
        DeskError::Invalid {
            problem: Problem::SameUnit,
            ..
        }
    ));
    let e = refused(
        &mut d,
        Command::Transfer {
            id,
            to: "finance".into(),
            reason: " ".into(),
        },
    );
    assert!(matches!(
        e,
        DeskError::Invalid {
            field: "reason",
            problem: Problem::Empty,
            ..
        }
    ));
    let e = refused(
        &mut d,
        Command::Reply {
            id,
            text: "太早".into(),
        },
    );
    assert!(matches!(e, DeskError::Transition(_)));
    assert!(
        e.message(Lang::En).contains("assigned"),
        "{}",
        e.message(Lang::En)
    );
    d.execute(
        "甲",
        now(),
        Command::RecordContact {
            id,
            note: String::new(),
        },
    )
    .unwrap();
    d.execute(
        "甲",
        now(),
        Command::Reply {
            id,
            text: "已办".into(),
        },
    )
    .unwrap();
    let low = Evaluation {
        closeness: 2,
        integrity: 4,
        satisfaction: 4,
        comment: String::new(),
    };
    let e = refused(
        &mut d,
        Command::Evaluate {
            id,
            evaluation: low.clone(),
        },
    );
    assert!(
        e.message(Lang::Zh).contains("评价意见"),
        "{}",
        e.message(Lang::Zh)
    );
    let out = d
        .execute(
            "甲",
            now(),
            Command::Evaluate {
                id,
                evaluation: Evaluation {
                    comment: "太慢".into(),
                    ..low
                },
            },
        )
        .unwrap();
    assert_eq!(
        out.issue.unwrap().status,
        crate::domain::IssueStatus::Assigned
    );
    assert!(matches!(
        refused(
            &mut d,
            Command::Void {
                id: 99,
                reason: "x".into()
            }
        ),
        DeskError::NotFound { .. }
    ));
    let e = refused(
        &mut d,
        Command::LogIssue {
            issue: NewIssue {
                enterprise: "91440300708461136T".into(),
                category: "融资信贷".into(),
                channel: Channel::Phone,
                contact_name: String::new(),
                phone: "12345".into(),
                description: "x".into(),
            },
        },
    );
    assert!(matches!(e, DeskError::Invalid { field: "phone", .. }));
    let e = refused(
        &mut d,
        Command::SaveEnterprise {
            enterprise: Enterprise {
                credit_code: "91440300708461136A".into(),
                name: "x".into(),
                district: String::new(),
                grade: None,
                vip: vec![],
                contact: String::new(),
                phone: String::new(),
            },
        },
    );
    assert!(
        e.message(Lang::Zh).contains("校验位"),
        "{}",
        e.message(Lang::Zh)
    );
}

#[test]
fn shifts_open_and_pending_handover() {
    let (_t, mut d) = desk();
    let officer = crate::domain::Officer {
        name: "甲".into(),
        unit: "govservice".into(),
        duty: crate::domain::DutyType::Fixed,
    };
    let id = d
        .execute("甲", now(), Command::BeginShift { officer })
        .unwrap()
        .created
        .unwrap();
    assert_eq!(d.open_shift().unwrap().map(|s| s.id), Some(id));
    assert!(d.pending_handover().unwrap().is_none());
    d.execute(
        "甲",
        now(),
        Command::EndShift {
            id,
            brief: serde_json::json!({}),
        },
    )
    .unwrap();
    assert!(d.open_shift().unwrap().is_none());
    assert_eq!(d.pending_handover().unwrap().map(|s| s.id), Some(id));
    d.execute("乙", now(), Command::AcknowledgeHandover { id })
        .unwrap();
    assert!(d.pending_handover().unwrap().is_none());
    // Every event read back from the journal.
    assert_eq!(d.events().unwrap().len() as u64, d.last_seq());
    assert!(matches!(
        refused(
            &mut d,
            Command::EndShift {
                id,
                brief: serde_json::json!({})
            }
        ),
        DeskError::Apply(_)
    ));
}

#[test]
fn find_enterprise_by_code_name_or_unique_search() {
    let (_t, d) = desk();
    assert!(d.find_enterprise("91440300708461136t").is_ok());
    assert!(d.find_enterprise("重庆戴卡捷力轮毂制造有限公司").is_ok());
    assert!(d.find_enterprise("cqdk").is_ok());
    assert!(matches!(
        d.find_enterprise("没有"),
        Err(DeskError::NotFound { .. })
    ));
}

#[test]
fn an_inspection_dated_after_today_is_refused() {
    let (_dir, mut d) = desk();
    let n = |date: NaiveDate| NewInspection {
        unit: "区应急管理局".into(),
        enterprise: "91440300708461136T".into(),
        date,
        kind: crate::domain::InspectionKind::Safety,
        exemption: None,
        by: crate::domain::FiledBy::Unit,
        inspectors: String::new(),
        result: String::new(),
    };
    let tomorrow = now().date().succ_opt().unwrap();
    let e = refused(
        &mut d,
        Command::RecordInspection {
            inspection: n(tomorrow),
        },
    );
    assert!(
        e.message(Lang::En).contains("after today (2026-09-30)"),
        "{e}"
    );
    assert!(e.message(Lang::Zh).starts_with("日期「2026-10-01」"), "{e}");
    let o = d
        .execute(
            "甲",
            now(),
            Command::RecordInspection {
                inspection: n(now().date()),
            },
        )
        .unwrap();
    let i = &d.inspections().unwrap()[0];
    assert_eq!(Some(i.id), o.created);
    assert_eq!(
        i.unit, "区应急管理局",
        "a department outside the list is kept as given"
    );
}
