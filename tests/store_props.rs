//! Properties of the store: whatever sequence of operations the desk accepts or refuses —
//! with checkpoints (closed issues moved to the cold file) and reopenings of the store at any
//! point between them — the view rebuilt from the journal equals the live view, every
//! query agrees with a plain scan, and refused operations write nothing.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use dutydesk::desk::{Command, Desk, IssueFilter, NewIssue};
use dutydesk::domain::{Channel, Enterprise, Evaluation, IssueStatus};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Log,
    Assign(u64, usize),
    Transfer(u64, usize),
    Return(u64),
    Contact(u64),
    Reply(u64),
    Resolve(u64),
    Evaluate(u64, u8),
    Reopen(u64),
    Void(u64),
    Supervise(u64),
    /// Write a checkpoint (closed issues go to the cold file).
    Checkpoint,
    /// Close and open the store again.
    Restart,
}

fn op() -> impl Strategy<Value = Op> {
    let id = 1u64..8;
    prop_oneof![
        3 => Just(Op::Log),
        2 => (id.clone(), 0usize..14).prop_map(|(i, u)| Op::Assign(i, u)),
        1 => (id.clone(), 0usize..14).prop_map(|(i, u)| Op::Transfer(i, u)),
        1 => id.clone().prop_map(Op::Return),
        2 => id.clone().prop_map(Op::Contact),
        2 => id.clone().prop_map(Op::Reply),
        1 => id.clone().prop_map(Op::Resolve),
        2 => (id.clone(), 1u8..6).prop_map(|(i, s)| Op::Evaluate(i, s)),
        1 => id.clone().prop_map(Op::Reopen),
        1 => id.clone().prop_map(Op::Void),
        1 => id.prop_map(Op::Supervise),
        2 => Just(Op::Checkpoint),
        1 => Just(Op::Restart),
    ]
}

fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 9, 28)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn rebuilt_view_equals_live_view(ops in proptest::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(dir.path()).unwrap();
        let units: Vec<String> = desk.units.leads().map(|u| u.id.clone()).collect();
        let code = "91440300708461136T".to_string();
        desk.execute("t", t0(), Command::SaveEnterprise { enterprise: Enterprise {
            credit_code: code.clone(), name: "重庆测试有限公司".into(), district: String::new(),
            grade: None, vip: vec![], contact: String::new(), phone: String::new(),
        }}).unwrap();
        for (n, o) in ops.into_iter().enumerate() {
            let now = t0() + Duration::minutes(n as i64 * 37);
            let cmd = match o {
                Op::Log => Command::LogIssue { issue: NewIssue {
                    enterprise: code.clone(), category: "其他".into(), channel: Channel::Phone,
                    contact_name: String::new(), phone: String::new(), description: format!("问题{n}"),
                }},
                Op::Assign(id, u) => Command::Assign { id, unit: units[u].clone(), helpers: vec![], reason: String::new() },
                Op::Transfer(id, u) => Command::Transfer { id, to: units[u].clone(), reason: "归口调整".into() },
                Op::Return(id) => Command::Return { id, reason: "非本单位职责".into() },
                Op::Contact(id) => Command::RecordContact { id, note: String::new() },
                Op::Reply(id) => Command::Reply { id, text: "已办理".into() },
                Op::Resolve(id) => Command::Resolve { id, note: String::new() },
                Op::Evaluate(id, s) => Command::Evaluate { id, evaluation: Evaluation {
                    closeness: s, integrity: 5, satisfaction: 5, comment: if s <= 2 { "不满意".into() } else { String::new() },
                }},
                Op::Reopen(id) => Command::Reopen { id, reason: "企业不满意".into() },
                Op::Void(id) => Command::Void { id, reason: "重复".into() },
                Op::Supervise(id) => Command::Supervise { id, reason: "超期".into() },
                Op::Checkpoint => {
                    desk.flush().unwrap();
                    continue;
                }
                Op::Restart => {
                    drop(desk);
                    desk = Desk::open(dir.path()).unwrap();
                    continue;
                }
            };
            let before = desk.last_seq();
            match desk.execute("t", now, cmd) {
                Ok(o) => prop_assert_eq!(desk.last_seq(), before + o.events.len() as u64),
                Err(_) => prop_assert_eq!(desk.last_seq(), before, "a refused command wrote something"),
            }
        }
        let live = desk.all_issues().unwrap();
        // Every narrower query agrees with the full list.
        for s in IssueStatus::ALL {
            let want: Vec<_> = live.iter().filter(|i| i.status == s).cloned().collect();
            let f = IssueFilter { status: Some(s), ..IssueFilter::default() };
            prop_assert_eq!(desk.issues(&f, t0().date()).unwrap(), want);
        }
        for u in &units {
            let want: Vec<_> = live.iter().filter(|i| i.unit.as_deref() == Some(u.as_str())).cloned().collect();
            let f = IssueFilter { unit: Some(u.clone()), ..IssueFilter::default() };
            prop_assert_eq!(desk.issues(&f, t0().date()).unwrap(), want);
        }
        prop_assert_eq!(desk.issues_of_enterprise(&code).unwrap(), live.clone());
        let open: Vec<_> = live.iter().filter(|i| i.status.is_open()).cloned().collect();
        prop_assert_eq!(desk.open_issues().unwrap(), open.clone());
        prop_assert_eq!(desk.open_count(&code), open.len());
        // Lists that only open issues can be on are read from memory: the same answer.
        let today = t0().date() + Duration::days(20);
        for f in [
            IssueFilter { overdue: true, ..IssueFilter::default() },
            IssueFilter { supervised: true, ..IssueFilter::default() },
            IssueFilter { open_only: true, ..IssueFilter::default() },
        ] {
            let want: Vec<_> = live
                .iter()
                .filter(|i| f.matches(i, today, |_| false))
                .cloned()
                .collect();
            prop_assert_eq!(desk.issues(&f, today).unwrap(), want);
        }
        for s in [IssueStatus::Closed, IssueStatus::Voided] {
            let mut all = desk.newest_in(s, usize::MAX).unwrap();
            all.sort_by_key(|i| i.id);
            let want: Vec<_> = live.iter().filter(|i| i.status == s).cloned().collect();
            prop_assert_eq!(&all, &want);
            prop_assert_eq!(desk.newest_in(s, 2).unwrap().len(), want.len().min(2));
        }
        for i in &live {
            prop_assert_eq!(&desk.issue(i.id).unwrap(), i);
            let h = desk.history(i.id).unwrap();
            prop_assert!(h.iter().all(|r| r.event.target() == dutydesk::domain::Target::Issue(i.id)));
        }
        let report = desk.verify(&[], None).unwrap();
        prop_assert!(report.view_in_step, "{:?}", report);
        drop(desk);
        std::fs::remove_dir_all(dir.path().join("views")).unwrap();
        let desk = Desk::open(dir.path()).unwrap();
        prop_assert_eq!(desk.all_issues().unwrap(), live);
    }
}
