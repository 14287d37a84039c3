//! A duty day at one terminal: handing over without a restart, shifts that do not pile up,
//! long things that scroll, paste and keys, forms that do not guess, the new screens (callbacks,
//! ledger, go to an issue, filters, the units board's rows), and the header at 80×24.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::{ActionForm, App, Effect, Msg, Overlay, Reply, Screen};
use super::keymap::Keymap;
use super::tests::{act, app, day, draw, issue, key, now, signed_in, typed, DAIKA};
use crate::desk::{Command, Outcome};
use crate::domain::{DutyType, EventKind, IssueStatus, Officer, Recorded, Shift};
use crate::i18n::Lang;

fn officer(name: &str) -> Officer {
    Officer {
        name: name.into(),
        unit: "govservice".into(),
        duty: DutyType::Fixed,
    }
}

fn shift(id: u64, name: &str) -> Shift {
    Shift {
        id,
        officer: officer(name),
        started_at: now() - chrono::Duration::hours(2),
        ended_at: None,
        notes: String::new(),
        brief: None,
        acknowledged: None,
    }
}

/// The store's reply to BeginShift fed back: shift `id` begun for `name`; the app then looks
/// for a brief handed over.
fn begun(a: &mut App, id: u64, name: &str) {
    let rec = Recorded {
        district: None,
        seq: id,
        at: now(),
        by: name.into(),
        event: EventKind::ShiftBegun {
            id,
            officer: officer(name),
        },
    };
    let e = a.update(Msg::Reply(Reply::Executed(Ok(Box::new(Outcome {
        events: vec![rec],
        issue: None,
        created: Some(id),
    })))));
    assert_eq!(e, vec![Effect::LoadPending]);
    assert_eq!(a.shift.as_ref().map(|s| s.id), Some(id));
}

/// Signed in with a shift begun.
fn on_shift(lang: Lang) -> App {
    let mut a = signed_in(lang);
    begun(&mut a, 7, "张敏");
    a
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

#[test]
fn after_a_sign_off_the_next_officer_gets_a_fresh_form_and_the_brief() {
    let mut a = on_shift(Lang::Zh);
    let mut filed = shift(7, "张敏");
    filed.ended_at = Some(now());
    let e = a.update(Msg::Reply(Reply::SignedOff(Ok(filed.clone()))));
    // The brief just filed is looked for at once, for whoever signs in next.
    assert_eq!(e, vec![Effect::LoadPending]);
    assert_eq!(a.screen, Screen::SignIn);
    assert!(a.officer.is_none() && a.shift.is_none());
    assert_eq!(a.signin.value(0), "", "the last officer's name is gone");
    assert_eq!(a.signin.focus, 0);
    a.update(Msg::Reply(Reply::Pending(Some(Box::new(filed)))));
    assert_eq!(a.screen, Screen::SignIn, "the brief waits for the sign-in");
    typed(&mut a, "王五");
    let e = act(&mut a, Action::Submit);
    match e.as_slice() {
        [Effect::Execute(Command::BeginShift { officer })] => assert_eq!(officer.name, "王五"),
        other => panic!("{other:?}"),
    }
    // Her shift begins; the brief handed over is the first thing she sees.
    begun(&mut a, 8, "王五");
    let mut pending = shift(7, "张敏");
    pending.ended_at = Some(now());
    a.update(Msg::Reply(Reply::Pending(Some(Box::new(pending)))));
    assert_eq!(a.screen, Screen::Handover);
    assert!(a.handover.pending.is_some());
    assert_eq!(
        act(&mut a, Action::Submit),
        vec![Effect::Execute(Command::AcknowledgeHandover { id: 7 })]
    );
}

#[test]
fn q_asks_before_leaving_a_shift_open_and_ctrl_c_does_not() {
    let mut a = on_shift(Lang::Zh);
    act(&mut a, Action::Issues);
    assert!(a.update(key(KeyCode::Char('q'))).is_empty());
    assert_eq!(a.overlay, Some(Overlay::ConfirmQuit));
    assert!(!a.quit);
    // Esc goes back; Enter goes to the handover screen to sign off.
    act(&mut a, Action::Back);
    assert_eq!(a.overlay, None);
    a.update(key(KeyCode::Char('q')));
    let e = a.update(key(KeyCode::Enter));
    assert_eq!(a.screen, Screen::Handover);
    assert_eq!(e, vec![Effect::DraftBrief { shift: 7 }]);
    // q twice leaves the shift open to resume.
    act(&mut a, Action::Dashboard);
    a.update(key(KeyCode::Char('q')));
    assert_eq!(a.update(key(KeyCode::Char('q'))), vec![Effect::Quit]);
    // Ctrl-C quits at once.
    let mut b = on_shift(Lang::Zh);
    assert_eq!(b.update(ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn signing_in_resumes_her_own_newest_open_shift_among_others() {
    let mut a = app(Lang::Zh);
    a.open_shifts = vec![
        shift(2, "张敏"),
        shift(3, "李娜"),
        shift(5, "张敏"),
        shift(6, "李娜"),
    ];
    let e = a.sign_in_as(officer("张敏"));
    assert_eq!(e, vec![Effect::LoadPending], "no new shift");
    assert_eq!(a.shift.as_ref().map(|s| s.id), Some(5));
}

#[test]
fn the_help_overlay_before_sign_in_takes_the_keys() {
    let mut a = app(Lang::Zh);
    act(&mut a, Action::Help);
    a.update(key(KeyCode::Down));
    a.update(key(KeyCode::Down));
    assert_eq!(a.signin.focus, 0, "the hidden form did not move");
    assert_eq!(a.help_scroll, 2);
}

#[test]
fn a_paste_is_text_never_keys() {
    let mut a = on_shift(Lang::Zh);
    act(&mut a, Action::Issues);
    a.update(Msg::Paste("q重庆\nquit".into()));
    assert!(
        !a.quit && a.overlay.is_none(),
        "a paste on a list does nothing"
    );
    assert!(a.message.as_ref().is_some_and(|(_, err)| *err));
    // In the intake form it goes into the focused field; a single-line field gets no break.
    act(&mut a, Action::NewIssue);
    a.update(Msg::Paste("戴卡\r\n捷力".into()));
    assert_eq!(a.intake.form.value(0), "戴卡 捷力");
    // A multi-line field keeps the lines; escapes never get in.
    a.intake.form.focus = 5;
    a.update(Msg::Paste("第一行\n第二行\u{1b}[2J".into()));
    assert_eq!(a.intake.form.value(5), "第一行\n第二行[2J");
}

#[test]
fn vim_ctrl_j_and_ctrl_k_move_in_forms_and_pickers() {
    let mut a = on_shift(Lang::Zh);
    a.keymap = Keymap::load(Some("vim"), None).unwrap();
    act(&mut a, Action::NewIssue);
    // Candidates under the name field: Ctrl-J moves down the list.
    a.update(Msg::Reply(Reply::Candidates(
        String::new(),
        vec![
            super::app::Candidate {
                code: DAIKA.into(),
                name: "重庆戴卡捷力轮毂制造有限公司".into(),
                vip: true,
                open: 2,
            },
            super::app::Candidate {
                code: "91500107CP0MQ25QYP".into(),
                name: "成都快科电子有限公司".into(),
                vip: false,
                open: 1,
            },
        ],
    )));
    a.update(ctrl('j'));
    assert_eq!(a.intake.selected, 1);
    a.update(ctrl('k'));
    assert_eq!(a.intake.selected, 0);
    // Without candidates Ctrl-J is the next field, Ctrl-K the one before.
    a.intake.candidates.clear();
    a.update(ctrl('j'));
    assert_eq!(a.intake.form.focus, 1);
    a.update(ctrl('k'));
    assert_eq!(a.intake.form.focus, 0);
    // The default keymap keeps Ctrl-J as a new line in a multi-line field.
    let mut b = on_shift(Lang::Zh);
    act(&mut b, Action::NewIssue);
    b.intake.form.focus = 5;
    typed(&mut b, "甲");
    b.update(ctrl('j'));
    typed(&mut b, "乙");
    assert_eq!(b.intake.form.value(5), "甲\n乙");
}

fn at_issue(a: &mut App, id: u64) {
    a.open_issue(id);
    assert_eq!(a.screen, Screen::Detail);
}

#[test]
fn an_evaluation_starts_with_no_scores_chosen() {
    let mut a = on_shift(Lang::Zh);
    let mut i = issue(
        9,
        DAIKA,
        "重庆戴卡捷力轮毂制造有限公司",
        IssueStatus::Replied,
        Some("tax"),
        day(11, 16),
    );
    i.replied_at = Some(now());
    a.data.upsert(i);
    a.refresh();
    at_issue(&mut a, 9);
    act(&mut a, Action::Evaluate);
    assert!(
        act(&mut a, Action::Submit).is_empty(),
        "a stray Enter records nothing"
    );
    let Some(Overlay::ActionForm(ActionForm { form, .. })) = &a.overlay else {
        panic!("{:?}", a.overlay)
    };
    assert!(form.error.as_deref().unwrap().contains("1–5"));
    for field in 0..3 {
        a.update(key(KeyCode::Right));
        a.update(key(KeyCode::Right));
        a.update(key(KeyCode::Right));
        if field < 2 {
            a.update(key(KeyCode::Tab));
        }
    }
    match act(&mut a, Action::Submit).as_slice() {
        [Effect::Execute(Command::Evaluate { evaluation, .. })] => {
            assert_eq!(
                (
                    evaluation.closeness,
                    evaluation.integrity,
                    evaluation.satisfaction
                ),
                (3, 3, 3)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_transfer_never_offers_the_unit_that_holds_the_issue() {
    let mut a = on_shift(Lang::En);
    at_issue(&mut a, 1); // held by tax
    act(&mut a, Action::Transfer);
    let Some(Overlay::UnitPicker(p)) = &a.overlay else {
        panic!()
    };
    let offered: Vec<&str> = super::app::picker_units(&a.data, p)
        .iter()
        .map(|&k| a.data.units[k].id.as_str())
        .collect();
    assert!(!offered.contains(&"tax"), "{offered:?}");
    assert!(offered.contains(&"court"));
    // The picker shows names in English, never an id.
    let s = draw(&a, 100, 30);
    assert!(s.contains("District Court") && !s.contains(" tax "), "{s}");
}

#[test]
fn an_assignment_offers_the_suggested_unit_first_and_takes_helping_units() {
    let mut a = on_shift(Lang::Zh);
    at_issue(&mut a, 2); // 融资信贷 → hrss suggested
    act(&mut a, Action::Assign);
    let Some(Overlay::UnitPicker(p)) = &a.overlay else {
        panic!()
    };
    let first = super::app::picker_units(&a.data, p)[0];
    assert_eq!(a.data.units[first].id, "hrss");
    assert!(draw(&a, 100, 30).contains("区人力社保局 (建议)"));
    // Space marks the unit under the cursor as helping; Enter assigns the lead.
    a.update(key(KeyCode::Down));
    a.update(key(KeyCode::Char(' ')));
    a.update(key(KeyCode::Up));
    let e = a.update(key(KeyCode::Enter));
    assert_eq!(a.overlay, None);
    match e.as_slice() {
        [Effect::Execute(Command::Assign { unit, helpers, .. })] => {
            assert_eq!(unit, "hrss");
            assert_eq!(helpers.len(), 1);
            assert_ne!(helpers[0], "hrss");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn go_to_an_issue_by_number() {
    let mut a = on_shift(Lang::Zh);
    a.update(ctrl('g'));
    assert!(matches!(a.overlay, Some(Overlay::GoTo(_))));
    typed(&mut a, "x12");
    let e = a.update(key(KeyCode::Enter));
    assert_eq!(e, vec![Effect::LoadIssue(12), Effect::LoadHistory(12)]);
    assert_eq!(a.detail.id, Some(12));
    // A held issue needs only its history.
    a.update(ctrl('g'));
    typed(&mut a, "3");
    assert_eq!(a.update(key(KeyCode::Enter)), vec![Effect::LoadHistory(3)]);
}

/// The ids on the issue list, in order.
fn listed(a: &App) -> Vec<u64> {
    a.list
        .rows
        .rows
        .iter()
        .map(|&k| a.data.issues[k].id)
        .collect()
}

/// Opens the filter form and types `text` into one of its fields.
fn filter_field(a: &mut App, field: usize, text: &str) {
    act(a, Action::Filter);
    let Some(Overlay::Filter(form)) = &mut a.overlay else {
        panic!("{:?}", a.overlay)
    };
    form.focus = field;
    typed(a, text);
}

#[test]
fn the_filter_takes_category_channel_supervised_and_dates() {
    let mut a = on_shift(Lang::Zh);
    act(&mut a, Action::Issues);
    let all = a.list.rows.rows.len();
    assert!(all >= 3);
    // Logged on or after 11-19: issues 3 and 5 of the fixture.
    filter_field(&mut a, super::app::lists_fields::F_FROM, "2026-11-19");
    act(&mut a, Action::Submit);
    let ids = listed(&a);
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&3) && ids.contains(&5));
    // A date it cannot read is refused in the form, naming the field.
    filter_field(&mut a, super::app::lists_fields::F_TO, "11-30");
    act(&mut a, Action::Submit);
    let Some(Overlay::Filter(form)) = &a.overlay else {
        panic!("the form stays open")
    };
    assert!(form.error.as_deref().unwrap().contains("登记日期至"));
    // Supervised only.
    act(&mut a, Action::Back);
    a.set_filter(crate::desk::IssueFilter {
        supervised: true,
        ..Default::default()
    });
    let ids = listed(&a);
    assert_eq!(ids, vec![2], "the fixture's one supervised issue");
    // Pinyin initials find the enterprise once the desk's matches arrive.
    let e = a.set_filter(crate::desk::IssueFilter {
        open_only: true,
        text: Some("cqdk".into()),
        ..Default::default()
    });
    assert_eq!(e, vec![Effect::MatchNames("cqdk".into())]);
    assert!(a.list.rows.rows.is_empty());
    a.update(Msg::Reply(Reply::NameMatches(
        "cqdk".into(),
        [DAIKA.to_string()].into(),
    )));
    let ids = listed(&a);
    assert_eq!(ids.len(), 2, "{ids:?}");
}

#[test]
fn enter_on_a_units_board_row_opens_its_issues() {
    let mut a = on_shift(Lang::Zh);
    act(&mut a, Action::Units);
    a.units.scorecard = Some(Box::new(super::tests::sample_report()));
    let board =
        super::data::ranked_board(&a.data, a.units.scorecard.as_deref(), None, now().date());
    act(&mut a, Action::Down);
    let unit = board[1].id.clone();
    act(&mut a, Action::Open);
    assert_eq!(a.screen, Screen::Issues);
    assert_eq!(a.list.filter.unit.as_deref(), Some(unit.as_str()));
    assert!(a
        .list
        .rows
        .rows
        .iter()
        .all(|&k| a.data.issues[k].unit.as_deref() == Some(unit.as_str())));
}

#[test]
fn history_and_the_handed_over_brief_scroll() {
    let mut a = on_shift(Lang::Zh);
    at_issue(&mut a, 1);
    let history: Vec<Recorded> = (0..40)
        .map(|n| Recorded {
            district: None,
            seq: n,
            at: now(),
            by: "张敏".into(),
            event: EventKind::NoteAdded {
                id: 1,
                text: format!("备注第{n}条"),
            },
        })
        .collect();
    a.update(Msg::Reply(Reply::History(1, history)));
    let top = draw(&a, 80, 24);
    assert!(top.contains("备注第39条"), "newest first: {top}");
    for _ in 0..40 {
        a.update(key(KeyCode::Char('j')));
    }
    let lower = draw(&a, 80, 24);
    assert!(
        !lower.contains("备注第39条") && lower.contains("备注第0条"),
        "{lower}"
    );
    // The brief handed over scrolls too, the note at its head.
    let mut p = shift(3, "李娜");
    p.ended_at = Some(now());
    p.notes = "先回访戴卡".into();
    let mut b = on_shift(Lang::Zh);
    b.update(Msg::Reply(Reply::Pending(Some(Box::new(p)))));
    assert_eq!(b.screen, Screen::Handover);
    b.update(key(KeyCode::PageDown));
    assert_eq!(b.handover.scroll, 10);
}

#[test]
fn callbacks_list_the_replied_issues_longest_waiting_first() {
    let mut a = on_shift(Lang::Zh);
    for (id, h) in [(20, 5), (21, 1)] {
        let mut i = issue(
            id,
            DAIKA,
            "重庆戴卡捷力轮毂制造有限公司",
            IssueStatus::Replied,
            Some("tax"),
            day(11, 10),
        );
        i.replied_at = Some(now() - chrono::Duration::hours(h));
        a.data.upsert(i);
    }
    a.refresh();
    act(&mut a, Action::Callbacks);
    assert_eq!(a.screen, Screen::Callbacks);
    let ids: Vec<u64> = a
        .callbacks
        .rows
        .iter()
        .map(|&k| a.data.issues[k].id)
        .collect();
    assert_eq!(ids, vec![20, 21]);
    // `e` on the queue opens the evaluation of the issue under the cursor.
    a.update(key(KeyCode::Char('e')));
    assert!(matches!(
        a.overlay,
        Some(Overlay::ActionForm(ActionForm { .. }))
    ));
    assert_eq!(a.detail.id, Some(20));
}

#[test]
fn the_ledger_is_reached_from_an_issue_the_vip_panel_and_intake() {
    let mut a = on_shift(Lang::Zh);
    at_issue(&mut a, 1);
    assert_eq!(
        act(&mut a, Action::Open),
        vec![Effect::LoadLedger(DAIKA.into())]
    );
    assert_eq!(a.screen, Screen::Ledger);
    // The VIP queue's uncovered panel: Tab to it, Enter on an enterprise.
    act(&mut a, Action::VipQueue);
    a.update(key(KeyCode::Tab));
    assert!(a.uncovered.focus);
    let e = act(&mut a, Action::Open);
    assert!(matches!(e.as_slice(), [Effect::LoadLedger(_)]), "{e:?}");
    // Intake: the ledger key on a candidate.
    act(&mut a, Action::NewIssue);
    a.update(Msg::Reply(Reply::Candidates(
        String::new(),
        vec![super::app::Candidate {
            code: DAIKA.into(),
            name: "重庆戴卡捷力轮毂制造有限公司".into(),
            vip: true,
            open: 2,
        }],
    )));
    assert_eq!(a.update(ctrl('e')), vec![Effect::LoadLedger(DAIKA.into())]);
}

#[test]
fn the_header_keeps_every_tab_the_officer_and_the_clock_at_80_columns() {
    for lang in [Lang::Zh, Lang::En] {
        let a = on_shift(lang);
        let s = draw(&a, 80, 24);
        let head = s.lines().next().unwrap();
        for k in ["F2", "F3", "F4", "F8", "F5", "F6", "F7"] {
            assert!(head.contains(k), "{lang:?} {k}: {head}");
        }
        assert!(head.contains("张敏") && head.contains("10:30"), "{head}");
        // Wide, the full labels and the date.
        let wide = draw(&a, 200, 60);
        let head = wide.lines().next().unwrap();
        assert!(head.contains("2026-11-20 10:30:00"), "{head}");
    }
}

#[test]
fn names_keep_their_distinctive_part() {
    use super::views::short_name;
    assert_eq!(short_name("重庆远锐铝业有限公司", 12), "远锐铝业");
    assert_eq!(short_name("重庆远锐铝业有限公司", 16), "远锐铝业有限公司");
    assert_eq!(
        short_name("重庆远锐铝业有限公司", 40),
        "重庆远锐铝业有限公司"
    );
    assert_eq!(short_name("区规划自然资源局", 16), "区规划自然资源局");
}

#[test]
fn the_dashboard_shows_every_count_at_80_columns() {
    let a = on_shift(Lang::Zh);
    let s = draw(&a, 80, 24);
    for label in ["今日登记", "待交办", "超期", "督办", "待回访"] {
        assert!(s.contains(label), "{label}: {s}");
    }
}
