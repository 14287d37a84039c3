//! What a served session does with changes made elsewhere: upserted, dropped when out of the
//! account's sight, the units board and the open detail read again — and the officer's typing
//! left alone.

use super::action::Action;
use super::app::{ActionForm, Changes, Effect, Msg, Overlay, Reply, Screen};
use super::tests::{act, signed_in, typed};
use crate::domain::IssueStatus;
use crate::i18n::Lang;

fn changed(issues: Vec<crate::domain::Issue>, gone: Vec<u64>) -> Msg {
    Msg::Reply(Reply::Changed(Changes {
        issues,
        gone,
        ..Default::default()
    }))
}

#[test]
fn a_change_elsewhere_shows_in_the_list_and_reloads_the_open_detail() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::Issues);
    let before = a.list.rows.rows.len();
    let mut i = a.data.get(2).unwrap().clone();
    i.status = IssueStatus::Assigned;
    i.unit = Some("tax".into());
    i.version += 1;
    // On the list: the row changes, nothing is asked of the store.
    assert!(a.update(changed(vec![i.clone()], vec![])).is_empty());
    assert_eq!(a.data.get(2).unwrap().status, IssueStatus::Assigned);
    assert_eq!(a.list.rows.rows.len(), before);
    // On that issue's detail: its history is read again.
    a.open_issue(2);
    i.version += 1;
    assert_eq!(
        a.update(changed(vec![i], vec![])),
        vec![Effect::LoadHistory(2)]
    );
}

#[test]
fn an_issue_out_of_sight_leaves_the_list_and_its_detail() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::Issues);
    let before = a.list.rows.rows.len();
    a.open_issue(1);
    assert_eq!(a.screen, Screen::Detail);
    a.update(changed(vec![], vec![1]));
    assert!(a.data.get(1).is_none());
    assert_eq!(a.list.rows.rows.len(), before - 1);
    assert_ne!(a.screen, Screen::Detail);
    let (m, _) = a.message.clone().unwrap();
    assert!(m.contains("#1"), "{m}");
}

#[test]
fn the_units_board_follows_changes() {
    let mut a = signed_in(Lang::Zh);
    assert_eq!(act(&mut a, Action::Units), vec![Effect::LoadScorecard]);
    let i = a.data.get(3).unwrap().clone();
    assert_eq!(
        a.update(changed(vec![i], vec![])),
        vec![Effect::LoadScorecard]
    );
    // Elsewhere, it is not read for nothing.
    act(&mut a, Action::Dashboard);
    let i = a.data.get(3).unwrap().clone();
    assert!(a.update(changed(vec![i], vec![])).is_empty());
}

#[test]
fn a_change_leaves_what_the_officer_is_typing() {
    let mut a = signed_in(Lang::Zh);
    a.open_issue(3);
    act(&mut a, Action::Note);
    typed(&mut a, "正在输入的备注");
    let mut i = a.data.get(3).unwrap().clone();
    i.version += 1;
    a.update(changed(vec![i], vec![]));
    match &a.overlay {
        Some(Overlay::ActionForm(ActionForm { form, .. })) => {
            assert_eq!(form.value(0), "正在输入的备注")
        }
        other => panic!("the note form is gone: {other:?}"),
    }
}

#[test]
fn falling_behind_reads_the_open_work_again() {
    let mut a = signed_in(Lang::Zh);
    let e = a.update(Msg::Reply(Reply::Changed(Changes {
        resync: true,
        ..Default::default()
    })));
    assert_eq!(e, vec![Effect::LoadOpen]);
}

#[test]
fn changes_gathered_together_keep_each_issue_as_it_is_last() {
    let a = signed_in(Lang::Zh);
    let one = a.data.get(1).unwrap().clone();
    let mut two = a.data.get(2).unwrap().clone();
    let mut all = Changes {
        issues: vec![one.clone(), two.clone()],
        ..Default::default()
    };
    two.status = IssueStatus::Assigned;
    all.merge(Changes {
        issues: vec![two.clone()],
        gone: vec![1],
        shifts: true,
        ..Default::default()
    });
    assert_eq!(all.issues, vec![two.clone()]);
    assert_eq!(all.gone, vec![1]);
    assert!(all.shifts && !all.resync);
    // Seen again after it went: it is back, not gone.
    all.merge(Changes {
        issues: vec![one.clone()],
        ..Default::default()
    });
    assert!(all.gone.is_empty());
    assert_eq!(all.issues, vec![two, one]);
}

#[test]
fn a_units_session_shows_its_own_row_and_no_brief() {
    let mut a = signed_in(Lang::Zh);
    a.units.scorecard = Some(Box::new(super::tests::sample_report()));
    act(&mut a, Action::Units);
    let all = super::tests::draw(&a, 160, 48);
    assert!(all.contains("区税务局") && all.contains("区法院"), "{all}");
    a.own_unit = Some("tax".into());
    let own = super::tests::draw(&a, 160, 48);
    assert!(own.contains("区税务局") && !own.contains("区法院"), "{own}");
    // No shift: the handover screen says there is no brief, instead of drafting forever.
    act(&mut a, Action::Handover);
    assert!(super::tests::draw(&a, 160, 48).contains("本账号不值班"));
}
