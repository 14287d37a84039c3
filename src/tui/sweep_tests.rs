//! Every screen and overlay, in both languages, drawn at every terminal size from 1×1 up: no
//! size may panic (text cutting, layout arithmetic and wide characters at the last column are
//! where it used to go wrong), and a too-small terminal says so when anything fits at all.

use ratatui::backend::TestBackend;
use ratatui::Terminal;

use super::action::Action;
use super::app::{App, Candidate, Msg, Reply};
use super::tests::{act, app, now, sample_brief, screens, signed_in, typed};
use super::views;
use crate::domain::{EventKind, Recorded, Shift};
use crate::i18n::Lang;

const DAIKA: &str = "91500107J19Q0TU8FF";

/// The screens of the snapshot tests plus every overlay and the states they leave out.
fn every_state(lang: Lang) -> Vec<(String, App)> {
    let mut v: Vec<(String, App)> = screens(lang)
        .into_iter()
        .map(|(n, a)| (n.to_string(), a))
        .collect();

    let mut a = app(lang);
    a.loaded = false;
    v.push(("loading".into(), a));

    // A long error in the footer and a long name in the header.
    let mut a = signed_in(lang);
    a.officer.as_mut().unwrap().name = "欧阳".repeat(30);
    a.message = Some(("错误：".repeat(40), true));
    v.push(("long_message".into(), a));

    // The sign-in form half typed, with an error and a pending handover.
    let mut a = app(lang);
    typed(&mut a, &"张".repeat(50));
    act(&mut a, Action::Submit);
    a.signin.error = Some("请填写值班人员姓名".repeat(5));
    v.push(("signin_typed".into(), a));

    // Intake: a long description, an unknown enterprise and the new-enterprise form.
    let unknown = |lang| {
        let mut a = signed_in(lang);
        act(&mut a, Action::NewIssue);
        typed(&mut a, "没有这家企业");
        a.update(Msg::Reply(Reply::Candidates("没有这家企业".into(), vec![])));
        a
    };
    v.push(("intake_no_match".into(), unknown(lang)));
    let mut a = unknown(lang);
    act(&mut a, Action::Submit);
    typed(&mut a, "91500107J19Q0TU8F");
    v.push(("new_enterprise".into(), a));

    let mut a = signed_in(lang);
    act(&mut a, Action::NewIssue);
    choose(&mut a);
    for _ in 0..4 {
        act(&mut a, Action::NextField);
    }
    typed(&mut a, &"企业扩产需流动资金约100万元，申请续贷".repeat(6));
    v.push(("intake_long".into(), a));
    // Similar to #1 of the same enterprise: the warning overlay.
    let mut a = signed_in(lang);
    act(&mut a, Action::NewIssue);
    choose(&mut a);
    for _ in 0..4 {
        act(&mut a, Action::NextField);
    }
    typed(&mut a, "企业扩产需流动资金约100万元，申请续贷");
    act(&mut a, Action::Submit);
    v.push(("similar".into(), a));

    // Every action form over the detail screen, and the filter and search overlays.
    for (id, action) in [
        (1, Action::Contact),
        (1, Action::Transfer),
        (3, Action::Reply),
        (3, Action::Resolve),
        (1, Action::Note),
        (1, Action::Void),
        (2, Action::Supervise),
        (4, Action::Reopen),
    ] {
        let mut a = signed_in(lang);
        a.open_issue(id);
        act(&mut a, action);
        typed(&mut a, &"办理".repeat(40));
        v.push((format!("form_{}", action.name()), a));
    }
    let mut a = signed_in(lang);
    let mut i = a.data.get(3).unwrap().clone();
    i.status = crate::domain::IssueStatus::Replied;
    a.data.upsert(i);
    a.refresh();
    a.open_issue(3);
    act(&mut a, Action::Evaluate);
    v.push(("form_evaluate".into(), a));
    let mut a = signed_in(lang);
    act(&mut a, Action::Issues);
    act(&mut a, Action::Filter);
    v.push(("filter".into(), a));
    let mut a = signed_in(lang);
    act(&mut a, Action::Search);
    typed(&mut a, "戴卡");
    v.push(("search".into(), a));

    // Detail with a history.
    let mut a = signed_in(lang);
    a.open_issue(1);
    let at = now();
    a.update(Msg::Reply(Reply::History(
        1,
        (0..30)
            .map(|n| Recorded {
                district: None,
                seq: n,
                at,
                by: "张敏".into(),
                event: EventKind::NoteAdded {
                    id: 1,
                    text: "回访".repeat(n as usize + 1),
                },
            })
            .collect(),
    )));
    v.push(("detail_history".into(), a));

    // Handover: notes typed; and the previous shift's filed brief awaiting acknowledgement.
    let mut a = signed_in(lang);
    a.shift = Some(shift(7, None));
    act(&mut a, Action::Handover);
    let b = sample_brief(&a);
    a.update(Msg::Reply(Reply::Draft(Ok(Box::new(b)))));
    typed(&mut a, &"戴卡续贷周一回访".repeat(10));
    v.push(("handover_notes".into(), a));
    let mut a = signed_in(lang);
    a.shift = Some(shift(7, None));
    let mut filed = shift(6, Some(now()));
    filed.brief = serde_json::to_value(sample_brief(&a)).ok();
    a.handover.pending = Some(filed);
    act(&mut a, Action::Handover);
    v.push(("handover_ack".into(), a));
    v
}

fn shift(id: u64, ended: Option<chrono::NaiveDateTime>) -> Shift {
    Shift {
        id,
        officer: crate::domain::Officer {
            name: "张敏".into(),
            unit: "govservice".into(),
            duty: crate::domain::DutyType::Fixed,
        },
        started_at: now() - chrono::Duration::hours(3),
        ended_at: ended,
        notes: "午后回访戴卡".into(),
        brief: None,
        acknowledged: None,
    }
}

/// Picks 戴卡 at intake (focus moves on to the category).
fn choose(a: &mut App) {
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
}

fn sweep(sizes: impl Iterator<Item = (u16, u16)> + Clone) {
    for lang in [Lang::Zh, Lang::En] {
        for (name, a) in every_state(lang) {
            let mut t = Terminal::new(TestBackend::new(1, 1)).unwrap();
            for (w, h) in sizes.clone() {
                t.backend_mut().resize(w, h);
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    t.draw(|f| views::render(f, &a)).map(|_| ())
                }));
                match r {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => panic!("{name} {lang:?} at {w}×{h}: {e}"),
                    Err(_) => panic!("{name} {lang:?} panicked at {w}×{h}"),
                }
            }
        }
    }
}

#[test]
fn no_screen_panics_at_any_small_size() {
    sweep((1..=60).flat_map(|w| (1..=20).map(move |h| (w, h))));
}

#[test]
fn no_screen_panics_around_the_smallest_usable_size() {
    // Every width and height from the minimum up to well past it, and some large sizes.
    let around = (78..=130).flat_map(|w| (22..=34).map(move |h| (w, h)));
    let wider = (131..=220).flat_map(|w| [24, 41].map(move |h| (w, h)));
    let taller = (35..=70).flat_map(|h| [80, 97, 121].map(move |w| (w, h)));
    sweep(
        around
            .chain(wider)
            .chain(taller)
            .chain([(300, 100), (1000, 30), (80, 200)]),
    );
}

#[test]
fn a_too_small_terminal_says_so_when_anything_fits() {
    for lang in [Lang::Zh, Lang::En] {
        let a = signed_in(lang);
        for (w, h) in [
            (79, 24),
            (80, 23),
            (40, 10),
            (20, 3),
            (12, 1),
            (6, 1),
            (2, 1),
        ] {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| views::render(f, &a)).unwrap();
            let text: String = t
                .backend()
                .buffer()
                .content()
                .iter()
                .map(|c| c.symbol())
                .collect();
            assert!(
                text.trim().chars().count() > 0,
                "{lang:?} {w}×{h}: nothing shown"
            );
        }
    }
}
