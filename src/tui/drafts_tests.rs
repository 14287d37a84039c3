//! Drafts: what is kept from which form, what comes back at the next sign-in and to whom, and
//! the file (0600, replaced whole, removed when empty, set aside when unreadable).

use crossterm::event::KeyCode;

use super::action::Action;
use super::app::{ActionForm, Candidate, Effect, Msg, Overlay, Reply, Screen};
use super::drafts::{self, Draft, Drafts};
use super::tests::{act, app, key, now, signed_in, typed};
use crate::desk::{Command, Outcome};
use crate::domain::{DutyType, EventKind, Officer, Recorded, Shift};
use crate::i18n::Lang;

const DAIKA: &str = "91500107J19Q0TU8FF";

fn officer(name: &str) -> Officer {
    Officer {
        name: name.into(),
        unit: "govservice".into(),
        duty: DutyType::Fixed,
    }
}

/// An intake for 戴卡 with a contact and a description typed.
fn intake(a: &mut super::app::App) {
    act(a, Action::NewIssue);
    typed(a, "cqdk");
    a.update(Msg::Reply(Reply::Candidates(
        "cqdk".into(),
        vec![Candidate {
            code: DAIKA.into(),
            name: "重庆戴卡捷力轮毂制造有限公司".into(),
            vip: true,
            open: 2,
        }],
    )));
    act(a, Action::Submit);
    // On the category now: the second one.
    a.update(key(KeyCode::Right));
    act(a, Action::NextField);
    act(a, Action::NextField);
    typed(a, "王经理");
    act(a, Action::NextField);
    act(a, Action::NextField);
    typed(a, "扩产急需资金");
}

#[test]
fn an_open_intake_is_kept_and_comes_back_for_the_same_officer_only() {
    let mut a = signed_in(Lang::Zh);
    assert!(
        drafts::collect(&a).is_empty(),
        "nothing typed, nothing kept"
    );
    intake(&mut a);
    // Still kept while the officer looks at another screen.
    act(&mut a, Action::Issues);
    let d = drafts::collect(&a);
    let f = d.intake.as_ref().expect("intake kept");
    assert_eq!(f.chosen.as_ref().map(|c| c.code.as_str()), Some(DAIKA));
    assert_eq!(f.focus, 5);
    let file = drafts::all(&a);
    assert_eq!(file.officers.keys().collect::<Vec<_>>(), vec!["张敏"]);

    // A new session: another officer gets nothing, the same officer gets it back.
    let mut b = app(Lang::Zh);
    b.drafts = file.clone();
    b.sign_in_as(officer("李四"));
    assert_eq!(b.parked, Draft::default());
    assert!(b.message.is_none());
    let mut c = app(Lang::Zh);
    c.drafts = file;
    c.sign_in_as(officer("张敏"));
    assert_eq!(
        c.message.as_ref().map(|m| m.0.as_str()),
        Some("已恢复未提交的草稿：登记新问题")
    );
    // Parked until the form opens again, and still in the file meanwhile.
    assert_eq!(drafts::all(&c).officers["张敏"].intake, d.intake);
    act(&mut c, Action::NewIssue);
    assert_eq!(c.screen, Screen::Intake);
    assert_eq!(c.intake.form.value(0), "重庆戴卡捷力轮毂制造有限公司");
    assert_eq!(c.intake.form.index(1), 1, "the category chosen");
    assert_eq!(c.intake.form.value(3), "王经理");
    assert_eq!(c.intake.form.value(5), "扩产急需资金");
    assert_eq!(
        c.intake.chosen.as_ref().map(|c| c.code.as_str()),
        Some(DAIKA)
    );
    assert_eq!(c.intake.form.focus, 5);
    assert!(c.parked.intake.is_none());
    // Submitting it (the desk logs it) leaves no draft; neither does cancelling a new one.
    let e = act(&mut c, Action::Submit);
    assert!(matches!(
        e.as_slice(),
        [Effect::Execute(Command::LogIssue { .. })]
    ));
    let mut issue = c.data.get(1).unwrap().clone();
    issue.id = 99;
    c.update(Msg::Reply(Reply::Executed(Ok(Box::new(Outcome {
        events: vec![Recorded {
            district: None,
            seq: 9,
            at: now(),
            by: "张敏".into(),
            event: EventKind::IssueLogged {
                id: 99,
                enterprise: DAIKA.into(),
                enterprise_name: issue.enterprise_name.clone(),
                category: issue.category.clone(),
                channel: issue.channel,
                contact_name: issue.contact_name.clone(),
                phone: issue.phone.clone(),
                description: issue.description.clone(),
                contact_due: issue.contact_due,
                reply_due: issue.reply_due,
                beyond_calendar: false,
            },
        }],
        issue: Some(issue),
        created: Some(99),
    })))));
    assert!(drafts::collect(&c).intake.is_none(), "{:?}", c.stack);
    intake(&mut c);
    act(&mut c, Action::Back);
    assert!(drafts::collect(&c).is_empty(), "Esc cancels the form");
}

#[test]
fn an_action_form_comes_back_on_the_same_issue_and_action() {
    let mut a = signed_in(Lang::Zh);
    a.open_issue(1);
    act(&mut a, Action::Contact);
    typed(&mut a, "已电话联系王经理");
    let file = drafts::all(&a);
    let d = &file.officers["张敏"];
    let ad = d.action.as_ref().expect("action form kept");
    assert_eq!((ad.issue, ad.action), (1, Action::Contact));

    let mut b = app(Lang::Zh);
    b.drafts = file;
    b.sign_in_as(officer("张敏"));
    assert!(
        b.message.as_ref().unwrap().0.contains("#1 记录对接"),
        "{:?}",
        b.message
    );
    // Another action on the issue starts empty; the same one starts from the draft.
    b.open_issue(1);
    act(&mut b, Action::Note);
    match &b.overlay {
        Some(Overlay::ActionForm(ActionForm { form, .. })) => assert_eq!(form.value(0), ""),
        o => panic!("{o:?}"),
    }
    act(&mut b, Action::Back);
    act(&mut b, Action::Contact);
    match &b.overlay {
        Some(Overlay::ActionForm(ActionForm { form, .. })) => {
            assert_eq!(form.value(0), "已电话联系王经理")
        }
        o => panic!("{o:?}"),
    }
}

#[test]
fn handover_notes_are_kept_until_the_store_has_them() {
    let mut a = signed_in(Lang::Zh);
    a.shift = Some(Shift {
        id: 3,
        officer: officer("张敏"),
        started_at: now(),
        ended_at: None,
        notes: String::new(),
        brief: None,
        acknowledged: None,
    });
    act(&mut a, Action::Handover);
    typed(&mut a, "周一回访戴卡");
    let n = drafts::collect(&a).notes.expect("notes kept");
    assert_eq!((n.shift, n.text.as_str()), (3, "周一回访戴卡"));
    // Once the store has them, the file no longer needs them.
    a.update(Msg::Reply(Reply::Executed(Ok(Box::new(Outcome {
        events: vec![Recorded {
            district: None,
            seq: 9,
            at: now(),
            by: "张敏".into(),
            event: EventKind::ShiftNotesSaved {
                id: 3,
                notes: "周一回访戴卡".into(),
            },
        }],
        issue: None,
        created: None,
    })))));
    assert_eq!(a.shift.as_ref().unwrap().notes, "周一回访戴卡");
    assert!(drafts::collect(&a).notes.is_none());

    // Notes the store never got (the process was killed) come back with the resumed shift.
    let mut b = app(Lang::Zh);
    b.open_shifts = vec![Shift {
        notes: "周一".into(),
        ..a.shift.clone().unwrap()
    }];
    b.drafts.officers.insert(
        "张敏".into(),
        Draft {
            notes: Some(drafts::NotesDraft {
                shift: 3,
                text: "周一回访戴卡，再补".into(),
            }),
            ..Draft::default()
        },
    );
    assert_eq!(b.sign_in_as(officer("张敏")), vec![Effect::LoadPending]);
    assert_eq!(b.handover.notes.value(0), "周一回访戴卡，再补");
    assert!(
        b.message.as_ref().unwrap().0.contains("交接班备注"),
        "{:?}",
        b.message
    );
}

#[test]
fn forms_left_at_sign_off_stay_with_their_officer() {
    let mut a = signed_in(Lang::Zh);
    a.shift = Some(Shift {
        id: 3,
        officer: officer("张敏"),
        started_at: now(),
        ended_at: None,
        notes: String::new(),
        brief: None,
        acknowledged: None,
    });
    intake(&mut a);
    act(&mut a, Action::Handover);
    typed(&mut a, "交接");
    let shift = a.shift.clone().unwrap();
    a.update(Msg::Reply(Reply::SignedOff(Ok(shift))));
    assert!(a.officer.is_none());
    let file = drafts::all(&a);
    let d = &file.officers["张敏"];
    assert!(d.intake.is_some() && d.notes.is_none(), "{d:?}");
    // The next officer signs in on the same screen: their own slate is clean.
    a.sign_in_as(officer("李四"));
    assert!(drafts::collect(&a).is_empty());
    assert!(drafts::all(&a).officers.contains_key("张敏"));
}

#[test]
fn the_file_is_private_replaced_whole_and_removed_when_empty() {
    let dir = tempfile::tempdir().unwrap();
    let p = drafts::path(dir.path());
    assert_eq!(drafts::load(&p), Drafts::default(), "no file, no drafts");
    let mut a = signed_in(Lang::Zh);
    intake(&mut a);
    let d = drafts::all(&a);
    drafts::save(&p, &d).unwrap();
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(drafts::load(&p), d);
    drafts::save(&p, &Drafts::default()).unwrap();
    assert!(!p.exists());
    // An unreadable file is set aside, not lost, and the desk starts without drafts.
    std::fs::write(&p, "{ not json").unwrap();
    assert_eq!(drafts::load(&p), Drafts::default());
    assert!(!p.exists());
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        aside
            .iter()
            .any(|n| n.starts_with("drafts.json.unreadable-")),
        "{aside:?}"
    );
}
