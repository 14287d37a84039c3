//! The duty-desk TUI: sign-in, dashboard, issue list, intake, detail, VIP queue, units board,
//! handover. `app` holds state and the pure update; `views` draws; this module runs the loop
//! (crossterm events + a one-second tick) and carries out effects against the desk.

pub mod action;
pub mod app;
pub mod bench;
pub mod data;
pub mod drafts;
pub mod form;
pub mod keymap;
pub mod strings;
pub mod text;
pub mod theme;
pub mod views;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{Datelike, NaiveDateTime, Timelike};
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
use ratatui::backend::Backend;
use ratatui::Terminal;

use crate::desk::Desk;
use crate::domain::{Officer, Shift};
use crate::i18n::Lang;
use crate::report;

use app::{App, Candidate, Effect, Msg, Reply};
use data::{Data, UnitInfo, VipInfo};
use keymap::Keymap;

/// How the CLI starts the TUI.
pub struct TuiOptions {
    pub lang: Lang,
    /// `default`, `vim` or a path to a keymap file.
    pub keymap: Option<String>,
    /// Signed in already (the demo).
    pub officer: Option<Officer>,
    /// Fixed start time (tests); the clock then ticks on from there.
    pub fixed_now: Option<NaiveDateTime>,
    /// Where the user's `keymap.toml` lives.
    pub config_dir: Option<PathBuf>,
}

/// Reads what the TUI shows from the desk.
pub fn load_data(desk: &Desk) -> anyhow::Result<Data> {
    let issues = desk
        .all_issues()
        .map_err(|e| anyhow::anyhow!(e.message(desk.config.lang)))?;
    let ents = desk.enterprises();
    let vip_list: Vec<VipInfo> = ents
        .iter()
        .filter(|e| e.is_vip())
        .map(|e| VipInfo {
            code: e.credit_code.clone(),
            name: e.name.clone(),
            categories: e.vip.clone(),
        })
        .collect();
    let units = desk
        .units
        .leads()
        .map(|u| UnitInfo {
            id: u.id.clone(),
            name: u.name.clone(),
            name_en: u.name_en.clone(),
            pinyin: crate::search::full_pinyin(&u.name),
            initials: crate::search::initials(&u.name),
        })
        .collect();
    Ok(Data {
        issues,
        vip: vip_list.iter().map(|v| v.code.clone()).collect(),
        vip_list,
        units,
        all_units: desk
            .units
            .units
            .iter()
            .map(|u| (u.id.clone(), u.name.clone()))
            .collect(),
        categories: desk.config.categories.clone(),
        calendar: desk.calendar.clone(),
        inspections: desk
            .inspections()
            .map_err(|e| anyhow::anyhow!(e.message(desk.config.lang)))?,
        quiet: desk.config.quiet_days,
        max_inspections_30d: desk.config.max_inspections_30d,
    })
}

/// Builds the app on the desk's data, signed in if an officer is given.
pub fn build_app(
    desk: &Desk,
    lang: Lang,
    keymap: Keymap,
    now: NaiveDateTime,
) -> anyhow::Result<App> {
    let data = load_data(desk)?;
    let mut app = App::new(lang, keymap, now, data);
    app.pending_handover = desk.pending_handover().ok().flatten();
    app.open_shift = desk.open_shift().ok().flatten();
    app.scorecard = month_scorecard(desk, now).ok().map(Box::new);
    Ok(app)
}

/// Carries out one effect against the desk and returns the reply for the app.
pub fn execute(desk: &mut Desk, app: &App, effect: Effect) -> Option<Reply> {
    let by = app
        .officer
        .as_ref()
        .map(|o| o.name.clone())
        .unwrap_or_else(|| "tui".into());
    match effect {
        Effect::Quit => None,
        Effect::Execute(cmd) => Some(Reply::Executed(
            desk.execute(&by, app.now, cmd)
                .map(Box::new)
                .map_err(|e| e.message(app.lang)),
        )),
        Effect::SearchEnterprises(q) => {
            let hits = if q.trim().is_empty() {
                vec![]
            } else {
                desk.search_enterprises(&q, 12)
            };
            let c = hits
                .into_iter()
                .map(|e| {
                    // The enterprise index, not a scan of every issue: this runs per keystroke.
                    let open = desk
                        .issues_of_enterprise(&e.credit_code)
                        .map(|l| l.iter().filter(|i| i.status.is_open()).count())
                        .unwrap_or(0);
                    Candidate {
                        vip: e.is_vip(),
                        code: e.credit_code,
                        name: e.name,
                        open,
                    }
                })
                .collect();
            Some(Reply::Candidates(q, c))
        }
        Effect::LoadHistory(id) => Some(Reply::History(id, desk.history(id).unwrap_or_default())),
        Effect::SignOff { shift } => Some(Reply::SignedOff(
            report::handover::sign_off(desk, &by, app.now, shift).map_err(|e| e.message(app.lang)),
        )),
        Effect::DraftBrief { shift } => Some(Reply::Draft(
            desk.shift(shift)
                .and_then(|s| report::handover::of_shift(desk, &s, app.now))
                .map(|p| Box::new(p.brief))
                .map_err(|e| e.message(app.lang)),
        )),
        Effect::LoadScorecard => Some(Reply::Scorecard(
            month_scorecard(desk, app.now).map(Box::new),
        )),
    }
}

/// Text of a shift's filed brief for the acknowledgement screen (phones masked).
pub fn brief_text(shift: &Shift, lang: Lang) -> String {
    match report::handover::filed(shift) {
        Some(b) => {
            let mut p = report::handover::Printed::of(b, shift);
            report::handover::mask_phones(&mut p.brief);
            report::handover::plain_text(&p, lang)
        }
        None => shift
            .brief
            .as_ref()
            .and_then(|b| serde_json::to_string_pretty(b).ok())
            .unwrap_or_default(),
    }
}

/// This month's scorecard, up to today.
fn month_scorecard(desk: &Desk, now: NaiveDateTime) -> Result<report::scorecard::Report, String> {
    let today = now.date();
    let first = today.with_day(1).unwrap_or(today);
    report::scorecard::from_desk(desk, first, today, today).map_err(|e| e.message(desk.config.lang))
}

/// Puts the terminal back on every way out, panics included.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            ratatui::restore();
        }
    }
}

/// Runs the TUI on the real terminal until the officer quits.
pub fn run(mut desk: Desk, opts: TuiOptions) -> anyhow::Result<()> {
    let keymap =
        Keymap::load(opts.keymap.as_deref(), opts.config_dir.as_deref()).map_err(|errs| {
            let list: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
            anyhow::anyhow!(
                "{}\n{}",
                opts.lang.pick(
                    "按键配置有误，请修改后重试：",
                    "the keymap has problems; fix them and start again:"
                ),
                list.join("\n")
            )
        })?;
    let start = opts
        .fixed_now
        .unwrap_or_else(|| chrono::Local::now().naive_local());
    let offset = start - chrono::Local::now().naive_local();
    let clock = move || {
        (chrono::Local::now().naive_local() + offset)
            .with_nanosecond(0)
            .unwrap_or_default()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("tokio runtime")?;
    // ratatui::init installs a panic hook that restores the terminal before the panic prints.
    let mut terminal = ratatui::init();
    let _guard = TerminalGuard;
    // First frame straight away; the data loads behind it.
    let mut app = App::new(opts.lang, keymap.clone(), clock(), Data::default());
    app.loaded = false;
    terminal.draw(|f| views::render(f, &app))?;
    let mut app = build_app(&desk, opts.lang, keymap, clock())?;
    desk.warm_search();
    let mut pending = Vec::new();
    if let Some(o) = opts.officer {
        pending = app.sign_in_as(o);
    }
    rt.block_on(event_loop(
        &mut terminal,
        &mut desk,
        &mut app,
        pending,
        clock,
    ))?;
    let _ = desk.flush();
    Ok(())
}

async fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    desk: &mut Desk,
    app: &mut App,
    mut effects: Vec<Effect>,
    clock: impl Fn() -> NaiveDateTime,
) -> anyhow::Result<()> {
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        // Effects run one after another; each store call is one commit.
        while !effects.is_empty() {
            let e = effects.remove(0);
            if e == Effect::Quit {
                return Ok(());
            }
            if let Some(reply) = execute(desk, app, e) {
                effects.extend(app.update(Msg::Reply(reply)));
            }
        }
        if app.quit {
            return Ok(());
        }
        terminal.draw(|f| views::render(f, app))?;
        tokio::select! {
            _ = tick.tick() => {
                effects = app.update(Msg::Tick(clock()));
            }
            ev = events.next() => {
                match ev {
                    Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => effects = app.update(Msg::Key(k)),
                    Some(Ok(Event::Resize(w, h))) => effects = app.update(Msg::Resize(w, h)),
                    Some(Ok(Event::Paste(s))) => {
                        for c in s.chars() {
                            let k = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
                            effects.extend(app.update(Msg::Key(k)));
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(e.into()),
                    None => return Ok(()),
                }
            }
        }
    }
}

#[cfg(test)]
mod drafts_tests;
#[cfg(test)]
mod sweep_tests;
#[cfg(test)]
mod tests;
