//! TUI timings for `dutydesk bench`: the first frame and update + draw per keystroke, on a
//! TestBackend of 160×48 (the whole-process launch is timed through tmux in `bench`).

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use super::app::{App, Msg};
use super::keymap::Keymap;
use super::views;
use crate::bench::Figure;
use crate::desk::Desk;
use crate::domain::{DutyType, Officer};
use crate::i18n::Lang;

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::from(c))
}

pub fn run(desk: &mut Desk, now: chrono::NaiveDateTime) -> anyhow::Result<Vec<Figure>> {
    let mut figs = Vec::new();
    let mut term = Terminal::new(TestBackend::new(160, 48))?;
    // First frame: what the officer sees at launch (drawn before the data loads).
    let t = Instant::now();
    let mut loading = App::new(Lang::Zh, Keymap::default_map(), now, Default::default());
    loading.loaded = false;
    term.draw(|f| views::render(f, &loading))?;
    figs.push(Figure::single(
        "TUI first frame, drawing only",
        t.elapsed(),
        None,
    ));
    let t = Instant::now();
    let mut app = super::build_app(desk, Lang::Zh, Keymap::default_map(), now)?;
    app.officer = Some(Officer {
        name: "bench".into(),
        unit: "govservice".into(),
        duty: DutyType::Fixed,
    });
    app.screen = super::app::Screen::Dashboard;
    term.draw(|f| views::render(f, &app))?;
    figs.push(Figure::single(
        "TUI first full frame (open work loaded)",
        t.elapsed(),
        None,
    ));
    // Issue list: move down through it.
    app.update(Msg::Action(super::action::Action::Issues));
    let mut samples = Vec::new();
    for n in 0..300 {
        let t = Instant::now();
        app.update(key(if n % 50 == 49 {
            KeyCode::PageDown
        } else {
            KeyCode::Down
        }));
        term.draw(|f| views::render(f, &app))?;
        samples.push(t.elapsed());
    }
    figs.push(Figure::from_samples(
        "TUI keystroke on the issue list (update + draw)",
        samples,
        Some(1.0),
    ));
    // Enterprise picker: type a query letter by letter (search runs per keystroke).
    desk.warm_search();
    app.update(Msg::Action(super::action::Action::NewIssue));
    let mut samples: Vec<Duration> = Vec::new();
    for _ in 0..20 {
        for c in "cqdk".chars().chain(std::iter::repeat_n('\u{8}', 4)) {
            let t = Instant::now();
            let k = if c == '\u{8}' {
                key(KeyCode::Backspace)
            } else {
                key(KeyCode::Char(c))
            };
            let effects = app.update(k);
            for e in effects {
                if let Some(r) = super::execute_local(desk, &app, e) {
                    app.update(Msg::Reply(r));
                }
            }
            term.draw(|f| views::render(f, &app))?;
            samples.push(t.elapsed());
        }
    }
    figs.push(Figure::from_samples(
        "TUI keystroke in the enterprise picker (update + search + draw)",
        samples,
        Some(1.0),
    ));
    Ok(figs)
}
