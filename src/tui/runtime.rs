//! The TUI's loop, whatever the terminal and wherever the desk is. The loop takes what wakes
//! it (a `Source`: keys, resizes, the one-second tick, signals, changes made elsewhere) and
//! where its effects are carried out (a `Port`: the desk in this process, or the server's),
//! so the local terminal, an SSH session and a test all drive the same code.

use std::path::Path;

use chrono::NaiveDateTime;
use crossterm::event::{Event, KeyEventKind};
use ratatui::backend::Backend;
use ratatui::Terminal;

use crate::desk::Command;
use crate::domain::Account;
use crate::i18n::Lang;

use super::app::{App, Effect, Msg, Reply};
use super::{drafts, keymap, views, Exit};

/// Who asks, when, in which language, and which version of the issue they acted on: what an
/// effect needs besides itself.
#[derive(Debug, Clone)]
pub struct EffectCtx {
    pub account: Account,
    pub now: NaiveDateTime,
    pub lang: Lang,
    /// For a command on an issue: the version of it the officer saw.
    pub seen: Option<u64>,
}

/// Where effects are carried out.
pub trait Port {
    /// The account the app acts as (locally: whoever signed in, with every right).
    fn account(&self, app: &App) -> Account;
    /// Carries out one effect and returns the reply for the app.
    fn run(
        &mut self,
        cx: EffectCtx,
        effect: Effect,
    ) -> impl std::future::Future<Output = Option<Reply>>;
}

/// What wakes the loop.
#[derive(Debug)]
pub enum Wake {
    Event(Event),
    Tick,
    /// A signal arrived (its number).
    Signal(i32),
    /// The terminal went away: its input ended or failed.
    Lost,
    /// Something to tell the app that did not come from its own effects (a change made in
    /// another session).
    Reply(Reply),
    /// The other end closed the session (the server is stopping, or it sat idle too long).
    Closed,
}

/// What wakes the loop, in the order it happens.
pub trait Source {
    fn next(&mut self) -> impl std::future::Future<Output = Wake>;
    /// A frame has been drawn (and flushed) for what came before.
    fn drawn(&mut self) {}
}

/// The context of an effect the app asked for.
pub fn context(app: &App, account: Account, effect: &Effect) -> EffectCtx {
    let seen = match effect {
        Effect::Execute(cmd) => cmd.issue_id().and_then(|id| match app.acting_on {
            // The version when the officer opened the form for it.
            Some((on, v)) if on == id => Some(v),
            _ => app.data.get(id).map(|i| i.version),
        }),
        _ => None,
    };
    EffectCtx {
        account,
        now: app.now,
        lang: app.lang,
        seen,
    }
}

/// Runs the app until the officer quits, the terminal goes away, a signal arrives or the
/// session is closed. Drafts are saved to `drafts_file` whenever they change (checked every
/// tick), so even a process killed outright loses at most a second of typing.
pub async fn drive<B: Backend, P: Port, S: Source>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    port: &mut P,
    source: &mut S,
    mut effects: Vec<Effect>,
    clock: impl Fn() -> NaiveDateTime,
    drafts_file: &Path,
) -> anyhow::Result<Exit> {
    let panic_key = debug_panic_key();
    let mut saved = drafts::all(app);
    loop {
        if app.quit {
            return Ok(Exit::Quit);
        }
        // The frame first: a key's screen shows at once, before what it asked of the store.
        if let Err(e) = terminal.draw(|f| views::render(f, app)) {
            tracing::warn!("cannot draw on the terminal: {e}");
            return Ok(Exit::TerminalLost);
        }
        source.drawn();
        // Then the effects, one after another (each store call is one commit), a frame after
        // each reply.
        if !effects.is_empty() {
            let e = effects.remove(0);
            if e == Effect::Quit {
                return Ok(Exit::Quit);
            }
            let cx = context(app, port.account(app), &e);
            if let Some(reply) = port.run(cx, e).await {
                effects.extend(app.update(Msg::Reply(reply)));
            }
            continue;
        }
        match source.next().await {
            Wake::Signal(n) => {
                tracing::info!("signal {n}");
                return Ok(Exit::Signal(n));
            }
            Wake::Lost => return Ok(Exit::TerminalLost),
            Wake::Closed => return Ok(Exit::Closed),
            Wake::Tick => {
                effects = app.update(Msg::Tick(clock()));
                autosave(app, drafts_file, &mut saved);
            }
            Wake::Reply(r) => effects = app.update(Msg::Reply(r)),
            Wake::Event(ev) => match ev {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    if panic_key.is_some() && panic_key == keymap::Key::from_event(&k) {
                        panic!("panic asked for by DUTYDESK_DEBUG_PANIC_KEY");
                    }
                    effects = app.update(Msg::Key(k));
                }
                Event::Resize(w, h) => effects = app.update(Msg::Resize(w, h)),
                Event::Paste(s) => effects = app.update(Msg::Paste(s)),
                _ => {}
            },
        }
    }
}

/// A test hook, read once at start: `DUTYDESK_DEBUG_PANIC_KEY=f12` makes that key panic, so
/// the end-to-end tests can show a panic puts the terminal back, keeps the drafts and reaches
/// the log. Unset, it does nothing.
fn debug_panic_key() -> Option<keymap::Key> {
    std::env::var("DUTYDESK_DEBUG_PANIC_KEY")
        .ok()
        .and_then(|s| keymap::Key::parse(&s))
}

/// Keeps what the officer typed and did not save: the handover notes go to the open shift in
/// the store, the other open forms to the drafts file.
pub async fn keep_drafts<P: Port>(port: &mut P, app: &mut App, drafts_file: &Path) {
    if let Some(shift) = app.shift.clone() {
        let notes = app.handover.notes.value(0);
        if notes != shift.notes {
            let e = Effect::Execute(Command::SaveShiftNotes {
                id: shift.id,
                notes,
            });
            let cx = context(app, port.account(app), &e);
            if let Some(reply) = port.run(cx, e).await {
                if let Reply::Executed(Err(e)) = &reply {
                    // Still in the drafts file below.
                    tracing::warn!("handover notes of shift {} not saved: {e}", shift.id);
                }
                app.update(Msg::Reply(reply));
            }
        }
    }
    if let Err(e) = drafts::save(drafts_file, &drafts::all(app)) {
        tracing::warn!("drafts not saved to {}: {e}", drafts_file.display());
    }
}

/// Writes the drafts file when what it would hold has changed.
fn autosave(app: &App, drafts_file: &Path, saved: &mut drafts::Drafts) {
    let now = drafts::all(app);
    if now != *saved {
        match drafts::save(drafts_file, &now) {
            Ok(()) => *saved = now,
            Err(e) => tracing::warn!("drafts not saved to {}: {e}", drafts_file.display()),
        }
    }
}
