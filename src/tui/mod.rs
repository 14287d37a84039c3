//! The duty-desk TUI: sign-in, dashboard, issue list, intake, detail, VIP queue, units board,
//! handover. `app` holds state and the pure update; `views` draws; `terminal` enters and always
//! restores the real terminal; `drafts` keeps unsaved forms. This module runs the loop
//! (crossterm events, a one-second tick, and the signals that end it cleanly) and carries out
//! effects against the desk.

pub mod action;
pub mod app;
pub mod bench;
pub mod data;
pub mod drafts;
pub mod form;
pub mod keymap;
pub mod runtime;
pub mod strings;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod views;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{Datelike, NaiveDateTime, Timelike};
use crossterm::event::EventStream;
use futures::StreamExt;
use tokio::signal::unix::{signal, Signal, SignalKind};

use crate::desk::{Command, Desk};
use crate::domain::{Officer, Shift};
use crate::i18n::Lang;
use crate::report;

use app::{App, Candidate, Effect, Reply};
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
    /// The log file a panic is written to.
    pub log_file: Option<PathBuf>,
}

/// Reads what the TUI shows from the desk: the open work (kept in memory by the store), what
/// was logged in the last days, and when each VIP enterprise was last seen — never the whole
/// history.
pub fn load_data(desk: &Desk, now: NaiveDateTime) -> anyhow::Result<Data> {
    let err = |e: crate::desk::DeskError| anyhow::anyhow!(e.message(desk.config.lang));
    let issues = desk.open_issues().map_err(err)?;
    // Today's and yesterday's intake, so the dashboard's "logged today" survives midnight.
    let since = (now.date() - chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or(now);
    let logged = desk
        .facts(since, now + chrono::Duration::days(1))
        .map_err(err)?
        .into_iter()
        .filter(|f| f.kind == crate::domain::FactKind::Logged)
        .map(|f| (f.issue, f.at.date()))
        .collect();
    let ents = desk.enterprises();
    let vip_touched = ents
        .iter()
        .filter(|e| e.is_vip())
        .filter_map(|e| Some((e.credit_code.clone(), desk.last_touched(&e.credit_code)?)))
        .collect();
    let vip_list: Vec<VipInfo> = ents
        .iter()
        .filter(|e| e.is_vip())
        .map(|e| VipInfo {
            code: e.credit_code.clone(),
            name: e.name.clone(),
            categories: e.vip.clone(),
        })
        .collect();
    let info = |u: &crate::domain::Unit| UnitInfo {
        id: u.id.clone(),
        name: u.name.clone(),
        name_en: u.name_en.clone(),
        pinyin: crate::search::full_pinyin(&u.name),
        initials: crate::search::initials(&u.name),
    };
    let units = desk.units.leads().map(info).collect();
    Ok(Data {
        issues,
        logged,
        vip_touched,
        closed_loaded: None,
        vip: vip_list.iter().map(|v| v.code.clone()).collect(),
        enterprises: ents.len(),
        vip_list,
        units,
        all_units: desk.units.units.iter().map(info).collect(),
        suggested: desk
            .config
            .suggested_units
            .iter()
            .map(|s| (s.category.clone(), s.unit.clone()))
            .collect(),
        categories: desk.config.categories.clone(),
        calendar: desk.calendar.clone(),
        inspections: desk
            .inspections()
            .map_err(|e| anyhow::anyhow!(e.message(desk.config.lang)))?,
        quiet: desk.config.quiet_days,
        max_inspections_30d: desk.config.max_inspections_30d,
        residency: residency_marks(desk),
    })
}

/// The issues raised in residency placements, with their round's end (a few hundred a year).
fn residency_marks(desk: &Desk) -> std::collections::HashMap<u64, data::ResidencyMark> {
    let r = desk.residency();
    r.links
        .keys()
        .filter_map(|id| {
            let o = r.origin(*id)?;
            Some((
                *id,
                data::ResidencyMark {
                    end: o.round.round.end,
                    closed: o.round.closed.is_some(),
                    cadre: o.link.cadre.clone(),
                    unit: o.cadre.map(|c| c.unit.clone()).unwrap_or_default(),
                    placement: o.link.placement,
                },
            ))
        })
        .collect()
}

/// Builds the app on the desk's data, signed in if an officer is given.
pub fn build_app(
    desk: &Desk,
    lang: Lang,
    keymap: Keymap,
    now: NaiveDateTime,
) -> anyhow::Result<App> {
    let data = load_data(desk, now)?;
    let mut app = App::new(lang, keymap, now, data);
    app.handover.pending = desk.pending_handover().ok().flatten();
    app.read_only = desk
        .degraded()
        .map(|d| crate::store::StoreError::ReadOnly(d).message(lang));
    app.open_shifts = desk.open_shifts().unwrap_or_default();
    app.units.scorecard = month_scorecard(desk, now).ok().map(Box::new);
    Ok(app)
}

/// Carries out one effect against the desk, for `cx.account`, and returns the reply for the
/// app. The one place effects meet the desk: the local TUI calls it directly, the server on
/// its desk thread for every session.
pub fn execute(desk: &mut Desk, cx: &runtime::EffectCtx, effect: Effect) -> Option<Reply> {
    let lang = cx.lang;
    match effect {
        Effect::Quit => None,
        Effect::Execute(cmd) => Some(Reply::Executed(
            desk.execute_as(&cx.account, cx.now, cmd, cx.seen)
                .map(Box::new)
                .map_err(|e| e.message(lang)),
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
                    // Open issues are in memory: this runs per keystroke.
                    let open = desk.open_count(&e.credit_code);
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
        Effect::LoadHistory(id) => {
            let visible = desk
                .issue(id)
                .is_ok_and(|i| crate::domain::policy::can_see(&cx.account, &i));
            let h = if visible {
                desk.history(id).unwrap_or_default()
            } else {
                vec![]
            };
            Some(Reply::History(id, h))
        }
        Effect::LoadIssue(id) => Some(Reply::Issue(
            desk.issue(id)
                .ok()
                .filter(|i| crate::domain::policy::can_see(&cx.account, i))
                .map(Box::new),
        )),
        Effect::SignOff { shift } => Some(Reply::SignedOff(
            desk.execute_as(&cx.account, cx.now, Command::SignOff { id: shift }, None)
                .and_then(|_| desk.shift(shift))
                .map_err(|e| e.message(lang)),
        )),
        Effect::DraftBrief { shift } => Some(Reply::Draft(
            desk.shift(shift)
                .and_then(|s| report::handover::of_shift(desk, &s, cx.now))
                .map(|p| Box::new(p.brief))
                .map_err(|e| e.message(lang)),
        )),
        Effect::LoadClosed => Some(Reply::Closed(
            load_closed(desk, &cx.account).map_err(|e| e.message(lang)),
        )),
        Effect::LoadOpen => Some(Reply::OpenIssues(
            desk.open_issues()
                .unwrap_or_default()
                .into_iter()
                .filter(|i| crate::domain::policy::can_see(&cx.account, i))
                .collect(),
        )),
        Effect::LoadPending => Some(Reply::Pending(
            desk.pending_handover_for(&cx.account, cx.now)
                .ok()
                .flatten()
                .map(Box::new),
        )),
        Effect::MatchNames(text) => {
            let f = crate::desk::IssueFilter {
                text: Some(text.clone()),
                ..Default::default()
            };
            Some(Reply::NameMatches(
                text,
                f.text_enterprises(desk.enterprise_index()),
            ))
        }
        Effect::LoadLedger(code) => Some(Reply::Ledger(
            desk.enterprise(&code)
                .and_then(|e| desk.ledger_as(&cx.account, e, cx.now.date()))
                .map(Box::new)
                .map_err(|e| e.message(lang)),
        )),
        Effect::LoadResidency(firm) => Some(Reply::Residency(
            desk.residency_page(&cx.account, cx.now.date(), firm.as_deref())
                .map(Box::new)
                .map_err(|e| e.message(lang)),
        )),
        Effect::LoadScorecard => Some(Reply::Scorecard(
            desk.memo_scorecard(cx.now.date(), || month_scorecard(desk, cx.now))
                .map(|r| Box::new(r.for_account(&cx.account))),
        )),
    }
}

/// The newest closed and voided issues (a page of them, newest first), and how many issues
/// are closed or voided in all.
fn load_closed(
    desk: &Desk,
    account: &crate::domain::Account,
) -> Result<(Vec<crate::domain::Issue>, usize), crate::desk::DeskError> {
    use crate::domain::IssueStatus;
    let mut v = desk.newest_in(IssueStatus::Closed, app::CLOSED_PAGE)?;
    v.extend(desk.newest_in(IssueStatus::Voided, app::CLOSED_PAGE / 10)?);
    v.retain(|i| crate::domain::policy::can_see(account, i));
    let open = desk.open_issues()?.len();
    let total = (desk.max_issue_id() as usize).saturating_sub(open);
    Ok((v, total))
}

/// Text of a shift's filed brief for the acknowledgement screen (phones masked).
/// A filed brief as the acknowledgement screen shows it: the short sheet (the outgoing
/// officer's note first, the shift's own items, the backlog as counts with the top items),
/// phones masked, wrapped to `width`.
pub fn brief_lines(shift: &Shift, lang: Lang, width: usize) -> Vec<String> {
    match report::handover::filed(shift) {
        Some(b) => {
            let mut p = report::handover::Printed::of(b, shift);
            report::handover::mask_phones(&mut p.brief);
            report::handover::sheet_lines(&p, lang, width)
        }
        // A brief in a form this version cannot read is shown as it was stored.
        None => shift
            .brief
            .as_ref()
            .and_then(|b| serde_json::to_string_pretty(b).ok())
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect(),
    }
}

/// This month's scorecard, up to today.
fn month_scorecard(desk: &Desk, now: NaiveDateTime) -> Result<report::scorecard::Report, String> {
    let today = now.date();
    let first = today.with_day(1).unwrap_or(today);
    report::scorecard::from_desk(desk, first, today, today).map_err(|e| e.message(desk.config.lang))
}

/// How the TUI ended when it ended on its own terms. Every one of them has kept the drafts and
/// put the terminal back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The officer quit.
    Quit,
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT arrived.
    Signal(i32),
    /// The terminal went away: its input ended or failed, or drawing on it failed.
    TerminalLost,
    /// The server closed the session (it is stopping, or the session sat idle).
    Closed,
}

impl Exit {
    /// The process's exit status: 0 for quit, 128 + the signal's number (the status a shell
    /// reports for a process the signal ended), 1 for a lost terminal.
    pub fn status(self) -> i32 {
        match self {
            Exit::Quit => 0,
            Exit::Signal(n) => 128 + n,
            Exit::TerminalLost | Exit::Closed => 1,
        }
    }
}

/// Why the TUI could not run or did not finish.
#[derive(Debug)]
pub enum TuiError {
    /// The keymap has problems (bad input, found before the terminal is touched); the message,
    /// in the officer's language, lists each with file:line.
    Keymap(String),
    /// A panic: the hook has put the terminal back and logged it; the drafts were kept.
    Panicked,
    Failed(anyhow::Error),
}

impl std::fmt::Display for TuiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TuiError::Keymap(m) => f.write_str(m),
            TuiError::Panicked => f.write_str("the TUI panicked"),
            TuiError::Failed(e) => write!(f, "{e:#}"),
        }
    }
}

impl From<std::io::Error> for TuiError {
    fn from(e: std::io::Error) -> TuiError {
        TuiError::Failed(e.into())
    }
}

/// Loads the keymap the options name, or says, in the officer's language, everything wrong
/// with it.
pub fn load_keymap(opts: &TuiOptions) -> Result<Keymap, String> {
    Keymap::load(opts.keymap.as_deref(), opts.config_dir.as_deref()).map_err(|errs| {
        let list: Vec<String> = errs.iter().map(|e| e.message(opts.lang)).collect();
        format!(
            "{}\n{}",
            opts.lang.pick(
                "按键配置有误，请修改后重试：",
                "the keymap has problems; fix them and start again:"
            ),
            list.join("\n")
        )
    })
}

/// The signals that end the TUI cleanly. They are caught from before raw mode is entered
/// until the process ends, so none of them can leave the terminal raw.
struct Signals {
    term: Signal,
    hup: Signal,
    int: Signal,
    quit: Signal,
}

impl Signals {
    /// Needs a tokio runtime (entered).
    fn new() -> std::io::Result<Signals> {
        use SignalKind as K;
        Ok(Signals {
            term: signal(K::terminate())?,
            hup: signal(K::hangup())?,
            int: signal(K::interrupt())?,
            quit: signal(K::quit())?,
        })
    }

    /// The next signal's number.
    async fn recv(&mut self) -> i32 {
        tokio::select! {
            Some(()) = self.term.recv() => libc::SIGTERM,
            Some(()) = self.hup.recv() => libc::SIGHUP,
            Some(()) = self.int.recv() => libc::SIGINT,
            Some(()) = self.quit.recv() => libc::SIGQUIT,
            else => std::future::pending::<i32>().await,
        }
    }
}

/// Runs the TUI on the real terminal until the officer quits, a signal arrives or the
/// terminal goes away. Whichever it is, the drafts are kept and the terminal is put back.
pub fn run(mut desk: Desk, opts: TuiOptions) -> Result<Exit, TuiError> {
    // A broken keymap is bad input: reported before the terminal is touched.
    let keymap = load_keymap(&opts).map_err(TuiError::Keymap)?;
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
        .context("tokio runtime")
        .map_err(TuiError::Failed)?;
    let signals = {
        let _rt = rt.enter();
        Signals::new()
            .context("signal handlers")
            .map_err(TuiError::Failed)?
    };
    terminal::install_panic_hook(opts.log_file.clone(), opts.lang);
    let drafts_file = drafts::path(&desk.dir());
    let _guard = terminal::Guard;
    let mut term = terminal::enter()?;
    // First frame straight away; the data loads behind it.
    let mut app = App::new(opts.lang, keymap.clone(), clock(), Data::default());
    app.loaded = false;
    let _ = term.draw(|f| views::render(f, &app));
    let mut app = build_app(&desk, opts.lang, keymap, clock()).map_err(TuiError::Failed)?;
    app.drafts = drafts::load(&drafts_file);
    desk.warm_search();
    let mut pending = Vec::new();
    if let Some(o) = opts.officer {
        pending = app.sign_in_as(o);
    }
    tracing::info!("tui started on {}", desk.dir().display());
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(async {
            let mut source = LocalSource {
                events: EventStream::new(),
                tick: tokio::time::interval(Duration::from_secs(1)),
                signals,
            };
            let mut port = LocalPort { desk: &mut desk };
            runtime::drive(
                &mut term,
                &mut app,
                &mut port,
                &mut source,
                pending,
                clock,
                &drafts_file,
            )
            .await
        })
    }));
    // Whatever ended the loop, what the officer typed is kept before anything else.
    let kept = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(runtime::keep_drafts(
            &mut LocalPort { desk: &mut desk },
            &mut app,
            &drafts_file,
        ))
    }));
    if kept.is_err() {
        tracing::error!("keeping the drafts panicked");
    }
    // If the terminal is gone the first write fails and the rest are dropped, so neither this
    // nor dropping the terminal can fail.
    let _ = term.show_cursor();
    drop(term);
    terminal::restore();
    let _ = desk.flush();
    let result = match outcome {
        Ok(Ok(exit)) => Ok(exit),
        Ok(Err(e)) => Err(TuiError::Failed(e)),
        Err(_) => Err(TuiError::Panicked),
    };
    tracing::info!("tui stopped: {result:?}");
    result
}

/// Carries out an effect on a desk in this process, for whoever is signed in to `app` (the
/// local TUI, the bench and the tests).
pub fn execute_local(desk: &mut Desk, app: &App, effect: Effect) -> Option<Reply> {
    let cx = runtime::context(app, local_account(app), &effect);
    execute(desk, &cx, effect)
}

fn local_account(app: &App) -> crate::domain::Account {
    let name = app.officer.as_ref().map_or("tui", |o| o.name.as_str());
    crate::domain::Account::local_admin(name)
}

/// The desk in this process: effects are carried out on it directly, for whoever signed in
/// (with every right: the local machine's administrator).
pub struct LocalPort<'a> {
    pub desk: &'a mut Desk,
}

impl runtime::Port for LocalPort<'_> {
    fn account(&self, app: &App) -> crate::domain::Account {
        local_account(app)
    }

    async fn run(&mut self, cx: runtime::EffectCtx, effect: Effect) -> Option<Reply> {
        execute(self.desk, &cx, effect)
    }
}

/// The real terminal's keys and resizes, the tick, and the signals that end the TUI.
struct LocalSource {
    events: EventStream,
    tick: tokio::time::Interval,
    signals: Signals,
}

impl runtime::Source for LocalSource {
    async fn next(&mut self) -> runtime::Wake {
        use runtime::Wake;
        tokio::select! {
            biased;
            n = self.signals.recv() => Wake::Signal(n),
            ev = self.events.next() => match ev {
                Some(Ok(e)) => Wake::Event(e),
                Some(Err(e)) => {
                    tracing::warn!("terminal input failed: {e}");
                    Wake::Lost
                }
                None => {
                    tracing::warn!("terminal input ended");
                    Wake::Lost
                }
            },
            _ = self.tick.tick() => Wake::Tick,
        }
    }
}

#[cfg(test)]
mod day_tests;
#[cfg(test)]
mod drafts_tests;
#[cfg(test)]
mod live_tests;
#[cfg(test)]
mod sweep_tests;
#[cfg(test)]
mod tests;
