//! Tests of the pure update (every action on every screen), screen snapshots in both languages
//! at 80×24 and 160×48, urgency colours, and random key sequences.

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use super::action::Action;
use super::app::{picker_units, App, Effect, Msg, Overlay, Reply, Screen, UnitPicker};
use super::data::{Data, UnitInfo, VipInfo};
use super::keymap::Keymap;
use super::views;
use crate::calendar::Calendar;
use crate::desk::{Command, Outcome};
use crate::domain::{
    Channel, DutyType, Evaluation, Exemption, FiledBy, Inspection, InspectionKind, Issue,
    IssueStatus, Officer, QuietDays, Shift, Unit, UnitKind, Units, VipCategory,
};
use crate::i18n::Lang;
use crate::report::handover::{self, Brief};
use crate::report::scorecard::{Report, Totals, UnitScore};

pub(super) fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 20)
        .unwrap()
        .and_hms_opt(10, 30, 0)
        .unwrap()
}

pub(super) fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

pub(super) fn issue(
    id: u64,
    code: &str,
    name: &str,
    status: IssueStatus,
    unit: Option<&str>,
    logged: NaiveDate,
) -> Issue {
    let cal = Calendar::builtin();
    Issue {
        id,
        enterprise: code.into(),
        enterprise_name: name.into(),
        category: "融资信贷".into(),
        channel: Channel::WalkIn,
        contact_name: "王经理".into(),
        phone: "13800138000".into(),
        description: format!("企业扩产需流动资金约{id}00万元，申请续贷"),
        status,
        unit: unit.map(str::to_string),
        helpers: vec![],
        logged_at: logged.and_hms_opt(9, 0, 0).unwrap(),
        logged_by: "张敏".into(),
        contact_due: cal.add_workdays(logged, 2).date,
        reply_due: cal.add_workdays(logged, 5).date,
        beyond_calendar: false,
        assigned_at: unit.map(|_| logged.and_hms_opt(9, 30, 0).unwrap()),
        contacted_at: matches!(
            status,
            IssueStatus::InProgress | IssueStatus::Replied | IssueStatus::Closed
        )
        .then(|| logged.and_hms_opt(15, 0, 0).unwrap()),
        replied_at: None,
        closed_at: None,
        supervised: id == 2,
        evaluation: (status == IssueStatus::Closed).then(|| Evaluation {
            closeness: 5,
            integrity: 5,
            satisfaction: 4,
            comment: String::new(),
        }),
        transfers: 0,
        returns: 0,
        reopens: 0,
        void_reason: None,
        updated_at: logged.and_hms_opt(9, 0, 0).unwrap(),
        received_at: None,
        version: id,
        supervision_level: None,
        supervision_due: None,
    }
}

pub(super) const DAIKA: &str = "91500107J19Q0TU8FF";
const CHANGAN: &str = "91500107J2K0XTF8H4";

fn inspection(
    id: u64,
    unit: &str,
    code: &str,
    date: NaiveDate,
    kind: InspectionKind,
    exemption: Option<Exemption>,
    by: FiledBy,
) -> Inspection {
    Inspection {
        id,
        unit: unit.into(),
        enterprise: code.into(),
        enterprise_name: if code == DAIKA {
            "重庆戴卡捷力轮毂制造有限公司".into()
        } else {
            "重庆长安汽车股份有限公司".into()
        },
        date,
        kind,
        exemption,
        by,
        inspectors: "王强、李娜".into(),
        result: "未发现问题".into(),
        filed_at: date.and_hms_opt(17, 0, 0).unwrap(),
        filed_by: "张敏".into(),
    }
}

/// Five reports: #2 (unit) and #3 (enterprise) are one inspection on a no-disturbance day
/// without exemption; #4 is a safety inspection by a department outside the units; #5 is the
/// third inspection of 戴卡 in 30 days.
fn inspections() -> Vec<Inspection> {
    use FiledBy::{Enterprise, Unit};
    use InspectionKind as K;
    vec![
        inspection(1, "tax", DAIKA, day(11, 5), K::Planned, None, Unit),
        inspection(2, "tax", DAIKA, day(11, 10), K::Planned, None, Unit),
        inspection(3, "tax", DAIKA, day(11, 10), K::Planned, None, Enterprise),
        inspection(
            4,
            "区应急管理局",
            CHANGAN,
            day(11, 12),
            K::Safety,
            Some(Exemption::Safety),
            Unit,
        ),
        inspection(
            5,
            "court",
            DAIKA,
            day(11, 18),
            K::Complaint,
            Some(Exemption::Complaint),
            Unit,
        ),
    ]
}

pub fn fixture() -> Data {
    let units = [
        ("court", "区法院", "District Court"),
        ("tax", "区税务局", "Tax Bureau"),
        ("hrss", "区人力社保局", "HR and Social Security Bureau"),
    ];
    let issues = vec![
        issue(
            1,
            DAIKA,
            "重庆戴卡捷力轮毂制造有限公司",
            IssueStatus::Assigned,
            Some("tax"),
            day(11, 16),
        ),
        issue(
            2,
            CHANGAN,
            "重庆长安汽车股份有限公司",
            IssueStatus::Logged,
            None,
            day(11, 12),
        ),
        issue(
            3,
            DAIKA,
            "重庆戴卡捷力轮毂制造有限公司",
            IssueStatus::InProgress,
            Some("hrss"),
            day(11, 19),
        ),
        issue(
            4,
            CHANGAN,
            "重庆长安汽车股份有限公司",
            IssueStatus::Closed,
            Some("court"),
            day(11, 2),
        ),
        issue(
            5,
            "91500107CP0MQ25QYP",
            "成都快科电子有限公司",
            IssueStatus::Logged,
            None,
            day(11, 20),
        ),
    ];
    let mut d = Data {
        issues,
        logged: Default::default(),
        vip_touched: Default::default(),
        closed_loaded: None,
        vip: [DAIKA.to_string()].into_iter().collect(),
        vip_list: vec![
            VipInfo {
                code: DAIKA.into(),
                name: "重庆戴卡捷力轮毂制造有限公司".into(),
                categories: vec![VipCategory::AboveScale],
            },
            VipInfo {
                code: "91500107LU47L4UXGM".into(),
                name: "重庆大江美利信压铸有限责任公司".into(),
                categories: vec![VipCategory::HighTech],
            },
        ],
        enterprises: 3,
        units: units
            .iter()
            .map(|(id, n, e)| UnitInfo {
                id: id.to_string(),
                name: n.to_string(),
                name_en: e.to_string(),
                pinyin: crate::search::full_pinyin(n),
                initials: crate::search::initials(n),
            })
            .collect(),
        all_units: units
            .iter()
            .map(|(id, n, e)| UnitInfo {
                id: id.to_string(),
                name: n.to_string(),
                name_en: e.to_string(),
                pinyin: crate::search::full_pinyin(n),
                initials: crate::search::initials(n),
            })
            .collect(),
        suggested: [("融资信贷".to_string(), "hrss".to_string())].into(),
        categories: vec!["政策咨询".into(), "融资信贷".into(), "用工人才".into()],
        calendar: Calendar::builtin(),
        inspections: inspections(),
        quiet: QuietDays::default(),
        max_inspections_30d: 2,
        residency: Default::default(),
    };
    d.note_issues();
    d
}

pub(super) fn app(lang: Lang) -> App {
    App::new(lang, Keymap::default_map(), now(), fixture())
}

pub(super) fn signed_in(lang: Lang) -> App {
    let mut a = app(lang);
    let e = a.sign_in_as(Officer {
        name: "张敏".into(),
        unit: "govservice".into(),
        duty: DutyType::Fixed,
    });
    assert!(matches!(
        e.as_slice(),
        [Effect::Execute(Command::BeginShift { .. })]
    ));
    a
}

pub(super) fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::from(c))
}

pub(super) fn typed(a: &mut App, s: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in s.chars() {
        out.extend(a.update(key(KeyCode::Char(c))));
    }
    out
}

pub(super) fn act(a: &mut App, x: Action) -> Vec<Effect> {
    a.update(Msg::Action(x))
}

#[test]
fn sign_in_requires_a_name_then_begins_a_shift() {
    let mut a = app(Lang::Zh);
    assert_eq!(a.screen, Screen::SignIn);
    assert!(act(&mut a, Action::Submit).is_empty());
    assert!(a.signin.error.is_some());
    // Screens are unreachable before sign-in.
    act(&mut a, Action::Issues);
    assert_eq!(a.screen, Screen::SignIn);
    typed(&mut a, "李卫东");
    a.update(key(KeyCode::Tab));
    a.update(key(KeyCode::Right));
    let e = a.update(key(KeyCode::Enter));
    match e.as_slice() {
        [Effect::Execute(Command::BeginShift { officer })] => {
            assert_eq!(officer.name, "李卫东");
            assert_eq!(officer.unit, "tax");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.screen, Screen::Dashboard);
}

#[test]
fn navigation_actions_switch_screens_and_back_returns() {
    let mut a = signed_in(Lang::Zh);
    for (action, screen) in [
        (Action::Issues, Screen::Issues),
        (Action::VipQueue, Screen::VipQueue),
        (Action::Units, Screen::Units),
        (Action::Handover, Screen::Handover),
        (Action::Dashboard, Screen::Dashboard),
    ] {
        act(&mut a, action);
        assert_eq!(a.screen, screen);
    }
    act(&mut a, Action::Back);
    assert_eq!(a.screen, Screen::Handover);
    act(&mut a, Action::Help);
    assert_eq!(a.overlay, Some(Overlay::Help));
    act(&mut a, Action::Back);
    assert_eq!(a.overlay, None);
    assert_eq!(act(&mut a, Action::Quit), vec![Effect::Quit]);
    assert!(a.quit);
}

#[test]
fn dashboard_counts_and_needs_action() {
    let a = signed_in(Lang::Zh);
    assert_eq!(a.summary.unassigned, 2);
    assert_eq!(a.summary.logged_today, 1);
    assert_eq!(a.summary.supervised, 1);
    assert_eq!(a.summary.vip_open, 2);
    // #2 (logged 11-12) is overdue and comes first.
    assert_eq!(a.data.issues[a.dash.rows[0]].id, 2);
    assert!(a.summary.overdue >= 1);
}

#[test]
fn list_moves_filters_and_sorts() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::Issues);
    assert_eq!(a.list.rows.rows.len(), 4, "open issues by default");
    act(&mut a, Action::Down);
    act(&mut a, Action::Down);
    assert_eq!(a.list.rows.sel, 2);
    act(&mut a, Action::PageDown);
    assert_eq!(a.list.rows.sel, 3);
    act(&mut a, Action::PageUp);
    assert_eq!(a.list.rows.sel, 0);
    act(&mut a, Action::Sort);
    assert_eq!(a.list.sort, crate::desk::Sort::Age);
    assert_eq!(a.data.issues[a.list.rows.rows[0]].id, 5, "newest first");
    act(&mut a, Action::Filter);
    assert!(matches!(a.overlay, Some(Overlay::Filter(_))));
    // Status: all; VIP (the fifth field): yes.
    a.update(key(KeyCode::Left));
    for _ in 0..4 {
        a.update(key(KeyCode::Tab));
    }
    a.update(key(KeyCode::Right));
    act(&mut a, Action::Submit);
    assert!(a.overlay.is_none());
    assert!(a.list.filter.vip);
    assert_eq!(a.list.rows.rows.len(), 2);
    act(&mut a, Action::Search);
    typed(&mut a, "长安");
    act(&mut a, Action::Submit);
    assert_eq!(a.list.rows.rows.len(), 0, "VIP and 长安 exclude each other");
    let e = act(&mut a, Action::Open);
    assert!(e.is_empty());
}

#[test]
fn open_shows_detail_and_loads_history() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::Issues);
    let id = a.data.issues[a.list.rows.rows[0]].id;
    assert_eq!(act(&mut a, Action::Open), vec![Effect::LoadHistory(id)]);
    assert_eq!(a.screen, Screen::Detail);
    assert_eq!(a.detail.id, Some(id));
}

#[test]
fn actions_respect_the_lifecycle() {
    let mut a = signed_in(Lang::Zh);
    a.open_issue(2); // logged
    for x in [
        Action::Reply,
        Action::Contact,
        Action::Resolve,
        Action::Evaluate,
        Action::Reopen,
        Action::Transfer,
    ] {
        assert!(act(&mut a, x).is_empty());
        assert!(
            a.overlay.is_none(),
            "{x:?} must not open a form on a logged issue"
        );
        assert!(
            a.message.as_ref().is_some_and(|m| m.1),
            "{x:?} explains why"
        );
    }
    act(&mut a, Action::Assign);
    assert!(matches!(
        a.overlay,
        Some(Overlay::UnitPicker(UnitPicker {
            transfer: false,
            ..
        }))
    ));
    typed(&mut a, "sw");
    let e = act(&mut a, Action::Submit);
    assert_eq!(
        e,
        vec![Effect::Execute(Command::Assign {
            id: 2,
            unit: "tax".into(),
            helpers: vec![],
            reason: String::new()
        })]
    );
    for (x, check) in [
        (Action::Void, "void"),
        (Action::Supervise, "supervise"),
        (Action::Note, "note"),
    ] {
        act(&mut a, x);
        assert!(matches!(a.overlay, Some(Overlay::ActionForm(_))), "{check}");
        typed(&mut a, "重复登记");
        let e = act(&mut a, Action::Submit);
        assert_eq!(e.len(), 1, "{check}");
        act(&mut a, Action::Back);
    }
    a.open_issue(1); // assigned
    act(&mut a, Action::Transfer);
    typed(&mut a, "fy");
    act(&mut a, Action::Submit);
    assert!(
        matches!(a.overlay, Some(Overlay::ActionForm(_))),
        "transfer asks for a reason"
    );
    typed(&mut a, "归口调整");
    let e = act(&mut a, Action::Submit);
    assert_eq!(
        e,
        vec![Effect::Execute(Command::Transfer {
            id: 1,
            to: "court".into(),
            reason: "归口调整".into()
        })]
    );
    act(&mut a, Action::Back);
    act(&mut a, Action::Contact);
    assert_eq!(
        act(&mut a, Action::Submit),
        vec![Effect::Execute(Command::RecordContact {
            id: 1,
            note: String::new()
        })]
    );
    a.open_issue(3); // in progress
    act(&mut a, Action::Reply);
    typed(&mut a, "已协调");
    assert_eq!(
        act(&mut a, Action::Submit),
        vec![Effect::Execute(Command::Reply {
            id: 3,
            text: "已协调".into()
        })]
    );
    a.open_issue(4); // closed
    act(&mut a, Action::Reopen);
    typed(&mut a, "企业不满意");
    assert_eq!(
        act(&mut a, Action::Submit),
        vec![Effect::Execute(Command::Reopen {
            id: 4,
            reason: "企业不满意".into()
        })]
    );
    act(&mut a, Action::Back);
    act(&mut a, Action::Evaluate);
    // No score is preselected: the first 2, the others 5.
    for k in [2, 5, 5] {
        for _ in 0..k {
            a.update(key(KeyCode::Right));
        }
        a.update(key(KeyCode::Tab));
    }
    let e = act(&mut a, Action::Submit);
    match e.as_slice() {
        [Effect::Execute(Command::Evaluate { id: 4, evaluation })] => {
            assert_eq!(evaluation.closeness, 2)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn intake_searches_picks_warns_on_similar_and_saves() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::NewIssue);
    assert_eq!(a.screen, Screen::Intake);
    let e = typed(&mut a, "cqdk");
    assert_eq!(e.last(), Some(&Effect::SearchEnterprises("cqdk".into())));
    a.update(Msg::Reply(Reply::Candidates(
        "cqdk".into(),
        vec![super::app::Candidate {
            code: DAIKA.into(),
            name: "重庆戴卡捷力轮毂制造有限公司".into(),
            vip: true,
            open: 2,
        }],
    )));
    // Typing in a text field never triggers bindings: 'n' is text here.
    act(&mut a, Action::Submit);
    assert_eq!(
        a.intake.chosen.as_ref().map(|c| c.code.as_str()),
        Some(DAIKA)
    );
    for _ in 0..4 {
        act(&mut a, Action::NextField);
    }
    typed(&mut a, "企业扩产需流动资金约100万元，申请续贷");
    let e = act(&mut a, Action::Submit);
    assert!(e.is_empty());
    assert_eq!(a.overlay, Some(Overlay::Similar { existing: 1 }));
    let e = act(&mut a, Action::Submit);
    match e.as_slice() {
        [Effect::Execute(Command::LogIssue { issue })] => assert_eq!(issue.enterprise, DAIKA),
        other => panic!("{other:?}"),
    }
}

#[test]
fn intake_registers_an_unknown_enterprise_inline() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::NewIssue);
    typed(&mut a, "重庆新来的公司");
    a.update(Msg::Reply(Reply::Candidates(
        "重庆新来的公司".into(),
        vec![],
    )));
    act(&mut a, Action::Submit);
    assert!(matches!(a.overlay, Some(Overlay::NewEnterprise(_))));
    typed(&mut a, "91440300708461136A");
    act(&mut a, Action::Submit);
    match &a.overlay {
        Some(Overlay::NewEnterprise(f)) => assert!(f.error.as_ref().unwrap().contains("校验位")),
        o => panic!("{o:?}"),
    }
    a.update(key(KeyCode::Backspace));
    typed(&mut a, "T");
    let e = act(&mut a, Action::Submit);
    match e.as_slice() {
        [Effect::Execute(Command::SaveEnterprise { enterprise })] => {
            assert_eq!(enterprise.name, "重庆新来的公司")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_saved_issue_is_shown_with_its_deadlines() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::NewIssue);
    let mut i = issue(
        6,
        DAIKA,
        "重庆戴卡捷力轮毂制造有限公司",
        IssueStatus::Logged,
        None,
        day(11, 20),
    );
    i.logged_at = now();
    let rec = crate::domain::Recorded {
        district: None,
        seq: 9,
        at: now(),
        by: "张敏".into(),
        event: crate::domain::EventKind::NoteAdded {
            id: 6,
            text: String::new(),
        },
    };
    // A logged event makes the app jump to the new issue.
    let logged = crate::domain::Recorded {
        district: None,
        event: crate::domain::EventKind::IssueLogged {
            id: 6,
            enterprise: DAIKA.into(),
            enterprise_name: String::new(),
            category: String::new(),
            channel: Channel::WalkIn,
            contact_name: String::new(),
            phone: String::new(),
            description: String::new(),
            contact_due: i.contact_due,
            reply_due: i.reply_due,
            beyond_calendar: false,
        },
        ..rec
    };
    let e = a.update(Msg::Reply(Reply::Executed(Ok(Box::new(Outcome {
        events: vec![logged],
        issue: Some(i.clone()),
        created: Some(6),
    })))));
    assert_eq!(e, vec![Effect::LoadHistory(6)]);
    assert_eq!(a.screen, Screen::Detail);
    let msg = &a.message.as_ref().unwrap().0;
    assert!(
        msg.contains("2026-11-24") && msg.contains("2026-11-27"),
        "{msg}"
    );
    assert!(a.data.get(6).is_some());
}

#[test]
fn errors_from_the_desk_are_shown() {
    let mut a = signed_in(Lang::Zh);
    a.update(Msg::Reply(Reply::Executed(Err(
        "联系电话「1」：不是有效的电话号码".into(),
    ))));
    assert!(a
        .message
        .as_ref()
        .is_some_and(|m| m.1 && m.0.contains("联系电话")));
}

#[test]
fn ticks_move_the_clock() {
    let mut a = signed_in(Lang::Zh);
    let later = now() + chrono::Duration::days(3);
    a.update(Msg::Tick(later));
    assert_eq!(a.now, later);
    a.update(Msg::Resize(100, 30));
    assert_eq!(a.size, (100, 30));
}

pub(super) fn draw(a: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::render(f, a)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            // A wide character fills the next cell too.
            skip = super::text::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub(super) fn screens(lang: Lang) -> Vec<(&'static str, App)> {
    let mut v = vec![("signin", app(lang))];
    let mut a = signed_in(lang);
    v.push(("dashboard", std::mem::replace(&mut a, signed_in(lang))));
    act(&mut a, Action::Issues);
    v.push(("issues", std::mem::replace(&mut a, signed_in(lang))));
    act(&mut a, Action::NewIssue);
    typed(&mut a, "cqdk");
    a.update(Msg::Reply(Reply::Candidates(
        "cqdk".into(),
        vec![super::app::Candidate {
            code: DAIKA.into(),
            name: "重庆戴卡捷力轮毂制造有限公司".into(),
            vip: true,
            open: 2,
        }],
    )));
    v.push(("intake", std::mem::replace(&mut a, signed_in(lang))));
    a.open_issue(1);
    v.push(("detail", std::mem::replace(&mut a, signed_in(lang))));
    a.open_issue(2);
    act(&mut a, Action::Assign);
    v.push(("unit_picker", std::mem::replace(&mut a, signed_in(lang))));
    act(&mut a, Action::VipQueue);
    v.push(("vip_queue", std::mem::replace(&mut a, signed_in(lang))));
    act(&mut a, Action::Units);
    a.update(Msg::Reply(Reply::Scorecard(Ok(Box::new(sample_report())))));
    v.push(("units", std::mem::replace(&mut a, signed_in(lang))));
    act(&mut a, Action::Handover);
    let brief = sample_brief(&a);
    a.update(Msg::Reply(Reply::Draft(Ok(Box::new(brief)))));
    v.push(("handover", std::mem::replace(&mut a, signed_in(lang))));
    act(&mut a, Action::Inspections);
    v.push(("inspections", std::mem::replace(&mut a, signed_in(lang))));
    act(&mut a, Action::Inspections);
    act(&mut a, Action::NewInspection);
    choose_daika(&mut a);
    v.push((
        "inspection_form",
        std::mem::replace(&mut a, signed_in(lang)),
    ));
    act(&mut a, Action::NewInspection);
    choose_daika(&mut a);
    act(&mut a, Action::Submit);
    v.push((
        "inspection_confirm",
        std::mem::replace(&mut a, signed_in(lang)),
    ));
    act(&mut a, Action::Callbacks);
    v.push(("callbacks", std::mem::replace(&mut a, signed_in(lang))));
    act(&mut a, Action::Issues);
    act(&mut a, Action::Filter);
    v.push(("filter", std::mem::replace(&mut a, signed_in(lang))));
    act(&mut a, Action::GoTo);
    typed(&mut a, "12");
    v.push(("goto", std::mem::replace(&mut a, signed_in(lang))));
    a.shift = Some(Shift {
        id: 3,
        officer: a.officer.clone().unwrap(),
        started_at: now(),
        ended_at: None,
        notes: String::new(),
        brief: None,
        acknowledged: None,
    });
    act(&mut a, Action::Quit);
    v.push(("confirm_quit", std::mem::replace(&mut a, signed_in(lang))));
    act(&mut a, Action::Help);
    v.push(("help", a));
    v
}

/// This month's scorecard as the desk would send it.
pub(super) fn sample_report() -> Report {
    let mk = |id: &str, name: &str, rank, c, r, sat, score| UnitScore {
        rank,
        unit_id: id.into(),
        unit: name.into(),
        contact_on_time_pct: c,
        reply_on_time_pct: r,
        satisfaction: sat,
        score,
        closed: 3,
        ..Default::default()
    };
    Report {
        from: day(11, 1),
        to: day(11, 20),
        units: vec![
            mk(
                "tax",
                "区税务局",
                Some(1),
                Some(100.0),
                Some(80.0),
                Some(4.5),
                Some(91.0),
            ),
            mk(
                "court",
                "区法院",
                Some(2),
                Some(75.0),
                Some(50.0),
                Some(4.0),
                Some(66.0),
            ),
            mk("hrss", "区人力社保局", None, None, None, None, None),
        ],
        other_departments: vec![],
        totals: Totals::default(),
    }
}

/// The brief the report module drafts over the fixture's issues (no events during the shift).
pub(super) fn sample_brief(a: &App) -> Brief {
    let issues: std::collections::HashMap<u64, Issue> =
        a.data.issues.iter().map(|i| (i.id, i.clone())).collect();
    let open: Vec<u64> = a
        .data
        .issues
        .iter()
        .filter(|i| i.status.is_open())
        .map(|i| i.id)
        .collect();
    let units = Units {
        units: a
            .data
            .units
            .iter()
            .map(|u| Unit {
                id: u.id.clone(),
                name: u.name.clone(),
                name_en: u.name_en.clone(),
                kind: UnitKind::Lead,
            })
            .collect(),
    };
    let vip = |c: &str| a.data.vip.contains(c);
    let inp = handover::Input {
        from: now() - chrono::Duration::hours(2),
        to: now(),
        facts: &[],
        issues: &issues,
        open: &open,
        is_vip: &vip,
        units: &units,
        calendar: &a.data.calendar,
        lang: a.lang,
        legacy: &Default::default(),
    };
    handover::draft(&inp, ("张敏", "区政务办", "固定值班"), Some(1), "")
}

#[test]
fn units_board_and_handover_ask_for_their_reports() {
    let mut a = signed_in(Lang::Zh);
    assert_eq!(act(&mut a, Action::Units), vec![Effect::LoadScorecard]);
    a.update(Msg::Reply(Reply::Scorecard(Ok(Box::new(sample_report())))));
    assert_eq!(a.units.scorecard.as_ref().unwrap().units[0].unit_id, "tax");
    let s = draw(&a, 160, 48);
    assert!(s.contains("91") && s.contains('█'), "{s}");
    // Without a shift there is nothing to draft; with one, the draft is asked for.
    assert!(act(&mut a, Action::Handover).is_empty());
    act(&mut a, Action::Dashboard);
    a.shift = Some(Shift {
        id: 7,
        officer: a.officer.clone().unwrap(),
        started_at: now(),
        ended_at: None,
        notes: String::new(),
        brief: None,
        acknowledged: None,
    });
    assert_eq!(
        act(&mut a, Action::Handover),
        vec![Effect::DraftBrief { shift: 7 }]
    );
    assert!(draw(&a, 160, 48).contains("正在生成交接单草稿"));
    let b = sample_brief(&a);
    assert_eq!(
        b.overdue.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![2, 1]
    );
    let mut long = b.clone();
    a.update(Msg::Reply(Reply::Draft(Ok(Box::new(b)))));
    let s = draw(&a, 160, 48);
    assert!(s.contains("已逾期 2") && s.contains("#2 "), "{s}");
    assert!(!s.contains("另有"), "{s}");
    // More than fits: the screen says how many more the filed brief holds.
    long.overdue = std::iter::repeat_n(long.overdue.clone(), 20)
        .flatten()
        .collect();
    a.update(Msg::Reply(Reply::Draft(Ok(Box::new(long)))));
    let s = draw(&a, 80, 24);
    assert!(s.contains("… 另有 30 条"), "{s}");
    // Enter signs off: notes first, then the sign-off that files the brief.
    let e = act(&mut a, Action::Submit);
    assert!(
        matches!(
            e.as_slice(),
            [
                Effect::Execute(Command::SaveShiftNotes { id: 7, .. }),
                Effect::SignOff { shift: 7 }
            ]
        ),
        "{e:?}"
    );
}

#[test]
fn snapshots_of_every_screen() {
    for lang in [Lang::Zh, Lang::En] {
        for (name, a) in screens(lang) {
            for (w, h) in [(80, 24), (160, 48), (200, 60)] {
                let l = if lang == Lang::Zh { "zh" } else { "en" };
                insta::assert_snapshot!(format!("{name}_{l}_{w}x{h}"), draw(&a, w, h));
            }
        }
    }
}

#[test]
fn too_small_terminal_shows_a_message() {
    let a = signed_in(Lang::Zh);
    let s = draw(&a, 60, 20);
    assert!(s.contains("终端窗口太小"), "{s}");
    let s = draw(&signed_in(Lang::En), 79, 24);
    assert!(s.contains("Terminal too small"), "{s}");
}

#[test]
fn urgency_colours_are_applied() {
    std::env::remove_var("NO_COLOR");
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::Issues);
    act(&mut a, Action::Down); // move selection off the first (overdue) row
    let mut t = Terminal::new(TestBackend::new(160, 48)).unwrap();
    t.draw(|f| views::render(f, &a)).unwrap();
    let buf = t.backend().buffer().clone();
    // Row of issue #2 (overdue) is red; find it.
    let row = (0..48)
        .find(|&y| {
            (0..160)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                .contains("!!2")
        })
        .unwrap();
    let cell = (0..160)
        .map(|x| &buf[(x, row)])
        .find(|c| c.symbol() == "2")
        .unwrap();
    assert_eq!(cell.fg, ratatui::style::Color::Red);
}

#[test]
fn stored_text_is_sanitised_before_drawing() {
    let mut a = signed_in(Lang::Zh);
    let mut i = a.data.get(1).unwrap().clone();
    i.enterprise_name = "恶意\u{1b}[2J公司".into();
    a.data.upsert(i);
    a.refresh();
    act(&mut a, Action::Issues);
    let s = draw(&a, 160, 48);
    assert!(s.contains("恶意␛[2J公司") && !s.contains('\u{1b}'), "{s}");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn any_key() -> impl Strategy<Value = Msg> {
        prop_oneof![
            4 => proptest::char::range('a', 'z').prop_map(|c| key(KeyCode::Char(c))),
            1 => proptest::sample::select(vec!['重', '庆', '?', '/', ' ', 'Q']).prop_map(|c| key(KeyCode::Char(c))),
            2 => proptest::sample::select(vec![
                KeyCode::Enter, KeyCode::Esc, KeyCode::Tab, KeyCode::BackTab, KeyCode::Up, KeyCode::Down,
                KeyCode::Left, KeyCode::Right, KeyCode::PageUp, KeyCode::PageDown, KeyCode::Backspace,
                KeyCode::F(1), KeyCode::F(2), KeyCode::F(3), KeyCode::F(4), KeyCode::F(5), KeyCode::F(6), KeyCode::F(7),
            ]).prop_map(key),
            1 => Just(Msg::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL))),
            1 => (10u16..200, 5u16..60).prop_map(|(w, h)| Msg::Resize(w, h)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn random_keys_never_panic_and_state_stays_consistent(keys in proptest::collection::vec(any_key(), 1..60)) {
            let mut a = signed_in(Lang::Zh);
            let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
            for k in keys {
                if let Msg::Resize(w, h) = k {
                    t.backend_mut().resize(w, h);
                }
                let effects = a.update(k);
                // Feed back plausible replies so result paths run too.
                for e in effects {
                    match e {
                        Effect::SearchEnterprises(q) => { a.update(Msg::Reply(Reply::Candidates(q, vec![]))); }
                        Effect::Execute(_) => { a.update(Msg::Reply(Reply::Executed(Err("x".into())))); }
                        _ => {}
                    }
                }
                if a.quit { break; }
                t.draw(|f| views::render(f, &a)).unwrap();
                prop_assert!(a.list.rows.rows.is_empty() || a.list.rows.sel < a.list.rows.rows.len());
                prop_assert!(a.dash.rows.is_empty() || a.dash.sel < a.dash.rows.len());
                prop_assert!(a.vip.rows.is_empty() || a.vip.sel < a.vip.rows.len());
                prop_assert!(a.insp.rows.is_empty() || a.insp.sel < a.insp.rows.len());
                if matches!(a.overlay, Some(Overlay::ConfirmViolation { .. })) {
                    prop_assert_eq!(a.screen, Screen::InspectionForm);
                }
                if a.screen == Screen::Detail { prop_assert!(a.detail.id.is_some()); }
                if let Some(Overlay::UnitPicker(p)) = &a.overlay {
                    let n = picker_units(&a.data, p).len();
                    prop_assert!(n == 0 || p.selected < n.max(1));
                }
            }
        }
    }
}

// ----- inspections -----

/// On the inspection form: search 戴卡 and take the candidate (focus moves to the unit).
fn choose_daika(a: &mut App) {
    assert_eq!(a.screen, Screen::InspectionForm);
    let e = typed(a, "cqdk");
    assert_eq!(e.last(), Some(&Effect::SearchEnterprises("cqdk".into())));
    a.update(Msg::Reply(Reply::Candidates(
        "cqdk".into(),
        vec![super::app::Candidate {
            code: DAIKA.into(),
            name: "重庆戴卡捷力轮毂制造有限公司".into(),
            vip: true,
            open: 2,
        }],
    )));
    act(a, Action::Submit);
    assert_eq!(a.insp.chosen.as_ref().map(|c| c.code.as_str()), Some(DAIKA));
    assert_eq!(a.insp.form.focus, F_UNIT);
}

/// Moves the form's focus to field `n`.
fn focus(a: &mut App, n: usize) {
    while a.insp.form.focus != n {
        act(a, Action::NextField);
    }
}

/// Replaces the date field's text.
fn set_date(a: &mut App, d: &str) {
    focus(a, F_DATE);
    a.update(key(KeyCode::End));
    for _ in 0..20 {
        a.update(key(KeyCode::Backspace));
    }
    typed(a, d);
}

fn recorded(i: Inspection) -> Msg {
    Msg::Reply(Reply::Executed(Ok(Box::new(Outcome {
        events: vec![crate::domain::Recorded {
            district: None,
            seq: 40,
            at: now(),
            by: "张敏".into(),
            event: crate::domain::EventKind::InspectionRecorded {
                inspection: i.clone(),
            },
        }],
        issue: None,
        created: Some(i.id),
    }))))
}

use super::app::inspect::{F_BY, F_DATE, F_EXEMPTION, F_KIND, F_OTHER_UNIT, F_UNIT};

#[test]
fn inspections_screen_lists_newest_first_with_marks_and_filters_violations() {
    let mut a = signed_in(Lang::Zh);
    // F7 in the default keymap.
    a.update(key(KeyCode::F(7)));
    assert_eq!(a.screen, Screen::Inspections);
    let ids: Vec<u64> = a.insp.rows.iter().map(|r| r.inspection.id).collect();
    assert_eq!(ids, [5, 4, 3, 2, 1]);
    assert_eq!(
        (a.insp.total, a.insp.violations, a.insp.frequent),
        (5, 2, 1)
    );
    let r = |a: &App, id: u64| {
        a.insp
            .rows
            .iter()
            .find(|r| r.inspection.id == id)
            .cloned()
            .unwrap()
    };
    assert!(r(&a, 2).violation && r(&a, 3).violation && !r(&a, 4).violation);
    assert_eq!(r(&a, 3).matched, Some(2));
    assert!(r(&a, 5).frequent && !r(&a, 5).violation);
    act(&mut a, Action::Down);
    act(&mut a, Action::PageDown);
    assert_eq!(a.insp.sel, 4);
    act(&mut a, Action::Up);
    assert_eq!(a.insp.sel, 3);
    // f shows only the violations, and back.
    a.update(key(KeyCode::Char('f')));
    let ids: Vec<u64> = a.insp.rows.iter().map(|r| r.inspection.id).collect();
    assert_eq!(ids, [3, 2]);
    assert!(a.insp.sel < 2);
    act(&mut a, Action::Filter);
    assert_eq!(a.insp.rows.len(), 5);
    let s = draw(&a, 160, 48);
    assert!(
        s.contains("违规 匹配#3") && s.contains("频繁3") && s.contains("区应急管理局"),
        "{s}"
    );
    act(&mut a, Action::Back);
    assert_eq!(a.screen, Screen::Dashboard);
}

#[test]
fn the_vim_keymap_reaches_the_inspections_screen() {
    let km = Keymap::load(Some("vim"), None).unwrap();
    let mut a = App::new(Lang::Zh, km, now(), fixture());
    a.sign_in_as(Officer {
        name: "张敏".into(),
        unit: "govservice".into(),
        duty: DutyType::Fixed,
    });
    a.update(key(KeyCode::Char('I')));
    assert_eq!(a.screen, Screen::Inspections);
    a.update(key(KeyCode::Char('r')));
    assert_eq!(a.screen, Screen::InspectionForm);
}

#[test]
fn filing_an_inspection_outside_the_window_records_it() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::Inspections);
    // r files one from the list.
    a.update(key(KeyCode::Char('r')));
    assert_eq!(a.screen, Screen::InspectionForm);
    assert_eq!(a.insp.form.value(F_DATE), "2026-11-20", "today by default");
    choose_daika(&mut a);
    a.update(key(KeyCode::Right)); // unit: 区税务局
    set_date(&mut a, "2026-11-05");
    focus(&mut a, F_KIND);
    a.update(key(KeyCode::Right)); // complaint
    let e = act(&mut a, Action::Submit);
    let n = match e.as_slice() {
        [Effect::Execute(Command::RecordInspection { inspection })] => inspection.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(n.unit, "tax");
    assert_eq!(n.enterprise, DAIKA);
    assert_eq!(n.date, day(11, 5));
    assert_eq!(n.kind, InspectionKind::Complaint);
    assert_eq!((n.exemption, n.by), (None, FiledBy::Unit));
    assert!(a.overlay.is_none(), "outside the window: no question asked");
    // The desk's answer puts it in the list, selected, and says what the rules found.
    let mut i = inspection(
        6,
        "tax",
        DAIKA,
        day(11, 5),
        InspectionKind::Complaint,
        None,
        FiledBy::Unit,
    );
    i.filed_at = now();
    a.update(recorded(i));
    assert_eq!(a.screen, Screen::Inspections);
    assert_eq!(a.insp.rows.len(), 6);
    assert_eq!(a.insp.rows[a.insp.sel].inspection.id, 6);
    let (m, warn) = a.message.clone().unwrap();
    assert!(m.contains("已记录检查 #6"), "{m}");
    assert!(!warn);
    act(&mut a, Action::Back);
    assert_eq!(
        a.screen,
        Screen::Dashboard,
        "the form is not on the way back"
    );
}

#[test]
fn a_violation_asks_first_and_esc_goes_back_to_the_form() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::NewInspection);
    choose_daika(&mut a);
    // Today (the 20th) is a no-disturbance day and no exemption is chosen.
    let e = act(&mut a, Action::Submit);
    assert!(e.is_empty());
    assert_eq!(
        a.overlay,
        Some(Overlay::ConfirmViolation { date: day(11, 20) })
    );
    let s = draw(&a, 80, 24);
    assert!(s.contains("无扰日违规"), "{s}");
    // Letters do nothing here (no accidental quit).
    assert!(a.update(key(KeyCode::Char('q'))).is_empty());
    assert!(!a.quit);
    a.update(key(KeyCode::Esc));
    assert_eq!(a.overlay, None);
    assert_eq!(a.screen, Screen::InspectionForm);
    assert_eq!(
        a.insp.chosen.as_ref().map(|c| c.code.as_str()),
        Some(DAIKA),
        "form kept"
    );
    // With an exemption it records straight away.
    focus(&mut a, F_EXEMPTION);
    a.update(key(KeyCode::Right));
    let e = act(&mut a, Action::Submit);
    match e.as_slice() {
        [Effect::Execute(Command::RecordInspection { inspection })] => {
            assert_eq!(inspection.exemption, Some(Exemption::Safety));
            assert_eq!(inspection.date, day(11, 20));
        }
        other => panic!("{other:?}"),
    }
    assert!(a.overlay.is_none());
}

#[test]
fn a_confirmed_violation_is_recorded_and_flagged() {
    let mut a = signed_in(Lang::En);
    act(&mut a, Action::Inspections);
    act(&mut a, Action::NewInspection);
    choose_daika(&mut a);
    set_date(&mut a, "2026-11-19");
    act(&mut a, Action::Submit);
    assert_eq!(
        a.overlay,
        Some(Overlay::ConfirmViolation { date: day(11, 19) })
    );
    let s = draw(&a, 80, 24);
    assert!(s.contains("no-disturbance"), "{s}");
    let e = a.update(key(KeyCode::Enter));
    let n = match e.as_slice() {
        [Effect::Execute(Command::RecordInspection { inspection })] => inspection.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (n.date, n.exemption, n.unit.as_str()),
        (day(11, 19), None, "court")
    );
    assert!(a.overlay.is_none());
    a.update(recorded(inspection(
        6,
        "court",
        DAIKA,
        day(11, 19),
        InspectionKind::Planned,
        None,
        FiledBy::Unit,
    )));
    let row = &a.insp.rows[a.insp.sel];
    assert!(row.violation && row.frequent, "{row:?}");
    let (m, warn) = a.message.clone().unwrap();
    assert!(
        warn && m.contains("violations") && m.contains("more than 2"),
        "{m}"
    );
}

#[test]
fn the_enterprise_reporting_an_exempt_inspection_is_not_asked() {
    // #4 (区应急管理局, 长安, 11-12) carries an exemption; the enterprise's own report of it
    // matches, so it is no violation.
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::NewInspection);
    typed(&mut a, "长安");
    a.update(Msg::Reply(Reply::Candidates(
        "长安".into(),
        vec![super::app::Candidate {
            code: CHANGAN.into(),
            name: "重庆长安汽车股份有限公司".into(),
            vip: false,
            open: 1,
        }],
    )));
    act(&mut a, Action::Submit);
    a.update(key(KeyCode::Left)); // the last option: another department
    focus(&mut a, F_OTHER_UNIT);
    typed(&mut a, "区应急管理局");
    set_date(&mut a, "2026-11-12");
    focus(&mut a, F_BY);
    a.update(key(KeyCode::Right));
    let e = act(&mut a, Action::Submit);
    match e.as_slice() {
        [Effect::Execute(Command::RecordInspection { inspection })] => {
            assert_eq!(inspection.unit, "区应急管理局");
            assert_eq!(inspection.by, FiledBy::Enterprise);
            assert!(!a.would_violate(inspection));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_form_names_what_is_wrong() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::NewInspection);
    // No enterprise chosen.
    focus(&mut a, F_KIND);
    assert!(act(&mut a, Action::Submit).is_empty());
    assert_eq!(a.insp.form.focus, 0);
    assert!(a.insp.form.error.as_ref().unwrap().contains("企业"));
    // An enterprise the search does not know.
    typed(&mut a, "不存在");
    a.update(Msg::Reply(Reply::Candidates("不存在".into(), vec![])));
    assert!(act(&mut a, Action::Submit).is_empty());
    assert!(a.insp.form.error.as_ref().unwrap().contains("未找到"));
    for _ in 0..3 {
        a.update(key(KeyCode::Backspace));
    }
    choose_daika(&mut a);
    set_date(&mut a, "2026-13-01");
    assert!(act(&mut a, Action::Submit).is_empty());
    assert_eq!(a.insp.form.focus, F_DATE);
    assert!(a.insp.form.error.as_ref().unwrap().contains("YYYY-MM-DD"));
    set_date(&mut a, "2026-11-21");
    assert!(act(&mut a, Action::Submit).is_empty());
    assert!(
        a.insp.form.error.as_ref().unwrap().contains("晚于今天"),
        "{:?}",
        a.insp.form.error
    );
    set_date(&mut a, "2026-11-02");
    // Another department with no name.
    focus(&mut a, F_UNIT);
    a.update(key(KeyCode::Left));
    assert!(act(&mut a, Action::Submit).is_empty());
    assert_eq!(a.insp.form.focus, F_OTHER_UNIT);
    assert!(a.insp.form.error.as_ref().unwrap().contains("单位"));
    // A refusal from the desk shows on the form.
    typed(&mut a, "区应急管理局");
    assert_eq!(act(&mut a, Action::Submit).len(), 1);
    a.update(Msg::Reply(Reply::Executed(Err("检查人员：太长".into()))));
    assert_eq!(a.insp.form.error.as_deref(), Some("检查人员：太长"));
    assert_eq!(a.screen, Screen::InspectionForm);
}

#[test]
fn violation_rows_use_the_overdue_colour_and_text_is_sanitised() {
    std::env::remove_var("NO_COLOR");
    let mut a = signed_in(Lang::Zh);
    let mut bad = inspection(
        6,
        "恶意\u{1b}[2J部门",
        CHANGAN,
        day(11, 2),
        InspectionKind::Other,
        None,
        FiledBy::Unit,
    );
    bad.inspectors = "甲\u{7}乙".into();
    a.data.inspections.push(bad);
    a.refresh();
    act(&mut a, Action::Inspections);
    let mut t = Terminal::new(TestBackend::new(160, 48)).unwrap();
    t.draw(|f| views::render(f, &a)).unwrap();
    let buf = t.backend().buffer().clone();
    let line = |y: u16| {
        (0..160)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect::<String>()
    };
    // #2 (a violation, not selected) is drawn in red.
    let row = (0..48).find(|&y| line(y).starts_with("│2 ")).unwrap();
    assert_eq!(buf[(1, row)].fg, ratatui::style::Color::Red);
    let ok_row = (0..48).find(|&y| line(y).starts_with("│4 ")).unwrap();
    assert_ne!(buf[(1, ok_row)].fg, ratatui::style::Color::Red);
    // The selected row's details show the inspectors; nothing can reach the terminal raw.
    act(&mut a, Action::PageDown);
    let s = draw(&a, 160, 48);
    let inspectors = super::text::sanitize("甲\u{7}乙");
    assert!(
        s.contains("恶意␛[2J部门") && s.contains(&format!("检查人员: {inspectors}")),
        "{s}"
    );
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'));
}

#[test]
fn the_same_officer_resumes_a_shift_left_open() {
    let open = Shift {
        id: 4,
        officer: Officer {
            name: "张敏".into(),
            unit: "govservice".into(),
            duty: DutyType::Mobile,
        },
        started_at: now() - chrono::Duration::hours(3),
        ended_at: None,
        notes: "午后回访戴卡".into(),
        brief: None,
        acknowledged: None,
    };
    let mut a = app(Lang::Zh);
    a.open_shifts = vec![open.clone()];
    let e = a.sign_in_as(Officer {
        name: "张敏".into(),
        unit: "tax".into(),
        duty: DutyType::Fixed,
    });
    assert_eq!(e, vec![Effect::LoadPending], "no new shift: {e:?}");
    assert_eq!(a.shift.as_ref().map(|s| s.id), Some(4));
    assert_eq!(a.officer.as_ref().map(|o| o.duty), Some(DutyType::Mobile));
    assert_eq!(a.handover.notes.value(0), "午后回访戴卡");
    assert_eq!(a.screen, Screen::Dashboard);
    // Another officer starts a shift of their own.
    let mut b = app(Lang::Zh);
    b.open_shifts = vec![open];
    let e = b.sign_in_as(Officer {
        name: "李四".into(),
        unit: "tax".into(),
        duty: DutyType::Fixed,
    });
    assert!(matches!(
        e.as_slice(),
        [Effect::Execute(Command::BeginShift { .. })]
    ));
}

/// Runs effects through the real runtime against the desk, feeding replies back.
fn drive(desk: &mut crate::desk::Desk, a: &mut App, mut effects: Vec<Effect>) {
    while let Some(e) = effects.pop() {
        if let Some(r) = super::execute_local(desk, a, e) {
            effects.extend(a.update(Msg::Reply(r)));
        }
    }
}

/// Every main screen on the deterministic demo store (seed 7, "now" fixed), through the real
/// runtime: the data, the scorecard and the drafted brief all come from the desk.
#[test]
fn snapshots_on_the_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = crate::desk::Desk::open(dir.path()).unwrap();
    crate::demo::generate(&mut desk, &crate::demo::DemoOptions::default(), now()).unwrap();
    for lang in [Lang::Zh, Lang::En] {
        desk.config.lang = lang;
        let mut a = super::build_app(&desk, lang, Keymap::default_map(), now()).unwrap();
        let e = a.sign_in_as(Officer {
            name: "演示值班员".into(),
            unit: "govservice".into(),
            duty: DutyType::Fixed,
        });
        drive(&mut desk, &mut a, e);
        let l = if lang == Lang::Zh { "zh" } else { "en" };
        for (name, action) in [
            ("dashboard", Action::Dashboard),
            ("issues", Action::Issues),
            ("vip_queue", Action::VipQueue),
            ("callbacks", Action::Callbacks),
            ("units", Action::Units),
            ("handover", Action::Handover),
            ("inspections", Action::Inspections),
            // The ledger of the first callback's enterprise.
            ("ledger", Action::Ledger),
        ] {
            if action == Action::Ledger {
                let e = act(&mut a, Action::Callbacks);
                drive(&mut desk, &mut a, e);
            }
            let e = act(&mut a, action);
            drive(&mut desk, &mut a, e);
            for (w, h) in [(80, 24), (160, 48), (200, 60)] {
                insta::assert_snapshot!(format!("demo_{name}_{l}_{w}x{h}"), draw(&a, w, h));
            }
        }
        // The residency screen, level by level, and Esc back up through them (from the
        // dashboard: from the ledger, it would show that firm's placements only).
        act(&mut a, Action::Dashboard);
        let e = act(&mut a, Action::Residency);
        drive(&mut desk, &mut a, e);
        for level in ["rounds", "placements", "cadre"] {
            for (w, h) in [(80, 24), (160, 48)] {
                insta::assert_snapshot!(
                    format!("demo_residency_{level}_{l}_{w}x{h}"),
                    draw(&a, w, h)
                );
            }
            if level != "cadre" {
                let e = act(&mut a, Action::Open);
                drive(&mut desk, &mut a, e);
            }
        }
        act(&mut a, Action::Back);
        assert_eq!(a.residency.level, super::app::residency::Level::Placements);
        act(&mut a, Action::Back);
        assert_eq!(a.residency.level, super::app::residency::Level::Rounds);
        act(&mut a, Action::Back);
        assert_ne!(a.screen, Screen::Residency);
        // Issue 1 is closed: the session does not hold it until it is opened.
        let e = a.open_issue(1);
        drive(&mut desk, &mut a, e);
        insta::assert_snapshot!(format!("demo_detail_{l}_160x48"), draw(&a, 160, 48));
        act(&mut a, Action::Back);
    }
}

#[test]
fn help_scrolls_on_a_small_terminal() {
    let mut a = signed_in(Lang::Zh);
    act(&mut a, Action::Help);
    let top = draw(&a, 80, 24);
    assert!(top.contains("全局") && top.contains("翻看更多"), "{top}");
    let last = a.keymap.grouped().last().unwrap().0.title(false);
    assert!(!top.contains(last), "{top}");
    for _ in 0..40 {
        a.update(key(KeyCode::Down));
    }
    let bottom = draw(&a, 80, 24);
    assert!(
        bottom.contains(last) && !bottom.contains("全局"),
        "{bottom}"
    );
    // Closing and reopening starts from the top again.
    act(&mut a, Action::Back);
    act(&mut a, Action::Help);
    assert!(draw(&a, 80, 24).contains("全局"));
    // A big terminal shows it all, with nothing to scroll.
    assert!(!draw(&a, 160, 48).contains("翻看更多"));
}

/// The TUI holds the open work, not the history: closed issues come in a page at a time when
/// a list asks for them, or one by one when opened by number.
#[test]
fn the_session_holds_the_open_work_and_pages_in_closed_issues() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = crate::desk::Desk::open(dir.path()).unwrap();
    let opts = crate::demo::DemoOptions {
        issues: 900,
        ..crate::demo::DemoOptions::default()
    };
    crate::demo::generate(&mut desk, &opts, now()).unwrap();
    let mut a = super::build_app(&desk, Lang::Zh, Keymap::default_map(), now()).unwrap();
    let open = desk.open_issues().unwrap().len();
    assert_eq!(a.data.issues.len(), open);
    assert!(a.data.issues.iter().all(|i| i.status.is_open()));
    let closed_total = 900 - open;
    let e = a.sign_in_as(Officer {
        name: "演示值班员".into(),
        unit: "govservice".into(),
        duty: DutyType::Fixed,
    });
    drive(&mut desk, &mut a, e);
    act(&mut a, Action::Issues);
    // Filter: status "all" (one to the left of the default "open").
    act(&mut a, Action::Filter);
    a.update(key(KeyCode::Left));
    let e = act(&mut a, Action::Submit);
    assert!(e.contains(&Effect::LoadClosed), "{e:?}");
    drive(&mut desk, &mut a, e);
    let (n, total) = a.data.closed_loaded.unwrap();
    assert_eq!(total, closed_total);
    assert_eq!(
        n,
        closed_total.min(super::app::CLOSED_PAGE + super::app::CLOSED_PAGE / 10)
    );
    assert!(a
        .list
        .rows
        .rows
        .iter()
        .any(|k| !a.data.issues[*k].status.is_open()));
    if n < total {
        assert!(draw(&a, 200, 40).contains(&format!("最近 {n} 条")));
    }
    // Once loaded, another filter change does not read them again.
    act(&mut a, Action::Filter);
    let e = act(&mut a, Action::Submit);
    assert!(!e.contains(&Effect::LoadClosed));
}
