//! Sessions of the shared desk, whichever transport carries them: one command line (its
//! stdout, stderr and exit status), or the full TUI on the client's terminal — the same app
//! and loop as the local TUI, its input parsed from the bytes the client sends, its frames
//! written back, its effects carried out by the desk thread, and every change another session
//! makes shown within a moment.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, Timelike};
use crossterm::event::Event;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::sync::{broadcast, watch};

use super::service::{Change, Service};
use super::{Peer, SessionInput, SessionKind, SessionOutput, Sessions};
use crate::domain::{Account, DutyType, Officer, Role};
use crate::tui::app::{App, Effect, Reply, Screen};
use crate::tui::runtime::{self, EffectCtx, Port, Source, Wake};
use crate::tui::{drafts, Exit};

/// The server's sessions.
pub struct ServedSessions {
    pub service: Service,
    pub runtime: tokio::runtime::Handle,
    /// Becomes true when the server stops: every session is told and closed.
    pub stopping: watch::Receiver<bool>,
    /// The desk's clock.
    pub clock: Arc<dyn Fn() -> NaiveDateTime + Send + Sync>,
    /// Sessions running now (the server waits for them to keep their drafts when it stops).
    pub active: Arc<Active>,
    /// Timings for `dutydesk bench`; None when serving.
    pub probe: Option<Arc<Probe>>,
}

/// What a served TUI took, measured at the server: from a client's bytes arriving to the
/// frame they caused being written out, and from a commit elsewhere to the frame showing it.
#[derive(Default)]
pub struct Probe {
    pub keystroke: std::sync::Mutex<Vec<Duration>>,
    pub live: std::sync::Mutex<Vec<Duration>>,
}

/// What a served session is waiting to have drawn, for the probe.
#[derive(Default)]
struct Pending {
    input: Option<std::time::Instant>,
    change: Option<std::time::Instant>,
}

impl Pending {
    /// A frame has been drawn: it shows whatever came before.
    fn drawn(&mut self, probe: &Probe) {
        let push = |v: &std::sync::Mutex<Vec<Duration>>, t: std::time::Instant| {
            v.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(t.elapsed())
        };
        if let Some(t) = self.input.take() {
            push(&probe.keystroke, t);
        }
        if let Some(t) = self.change.take() {
            push(&probe.live, t);
        }
    }
}

/// A count of running sessions that can be waited on.
#[derive(Default)]
pub struct Active {
    n: std::sync::atomic::AtomicUsize,
    done: tokio::sync::Notify,
}

impl Active {
    fn enter(self: &Arc<Self>) -> ActiveGuard {
        self.n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        ActiveGuard(self.clone())
    }

    /// Waits until no session runs, or `most` has passed.
    pub async fn drained(&self, most: Duration) {
        let wait = async {
            while self.n.load(std::sync::atomic::Ordering::SeqCst) > 0 {
                self.done.notified().await;
            }
        };
        let _ = tokio::time::timeout(most, wait).await;
    }
}

struct ActiveGuard(Arc<Active>);

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        self.0.n.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        self.0.done.notify_waiters();
    }
}

impl Sessions for ServedSessions {
    fn start(
        &self,
        peer: Peer,
        kind: SessionKind,
        out: UnboundedSender<SessionOutput>,
    ) -> UnboundedSender<SessionInput> {
        let (tx, rx) = unbounded_channel();
        let guard = self.active.enter();
        let service = self.service.clone();
        let stopping = self.stopping.clone();
        let clock = self.clock.clone();
        let probe = self.probe.clone();
        match kind {
            SessionKind::Exec { command } => {
                self.runtime.spawn(async move {
                    let _guard = guard;
                    match shlex::split(&command) {
                        Some(args) => exec(service, peer, args, None, rx, out).await,
                        None => {
                            let m = service.lang.pick(
                                "错误：命令行中的引号没有配对；请检查后重试\n",
                                "error: the command line has an unbalanced quote; check it and try again\n",
                            );
                            let _ = out.send(SessionOutput::Stderr(m.as_bytes().to_vec()));
                            let _ = out.send(SessionOutput::Exit(2));
                        }
                    }
                });
            }
            SessionKind::Command { args, cwd } => {
                self.runtime.spawn(async move {
                    let _guard = guard;
                    exec(service, peer, args, cwd, rx, out).await
                });
            }
            SessionKind::Tty { cols, rows, .. } => {
                self.runtime.spawn(async move {
                    let _guard = guard;
                    let wiring = Wiring {
                        out,
                        stopping,
                        clock,
                        probe,
                    };
                    tty(service, peer, (cols, rows), rx, wiring).await
                });
            }
        }
        tx
    }
}

/// One command, run by the server for the peer's account.
async fn exec(
    service: Service,
    peer: Peer,
    mut args: Vec<String>,
    cwd: Option<std::path::PathBuf>,
    mut input: UnboundedReceiver<SessionInput>,
    out: UnboundedSender<SessionOutput>,
) {
    // `ssh desk dutydesk issue list` and `ssh desk issue list` mean the same.
    if args.first().is_some_and(|a| a == "dutydesk") {
        args.remove(0);
    }
    let shown = crate::sanitize::line(&args.join(" "));
    tracing::info!(account = %peer.account.name, from = %peer.from, command = %shown, "exec");
    // Only a password is read from stdin, and only when asked for.
    let stdin = if args.iter().any(|a| a == "--password-stdin") {
        let mut b = Vec::new();
        let read = async {
            while let Some(SessionInput::Data(d)) = input.recv().await {
                b.extend_from_slice(&d);
                if b.len() > 64 * 1024 {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(60), read).await;
        Some(b)
    } else {
        None
    };
    let client = crate::cli::ClientSide { cwd, stdin };
    let (captured, code) = service.exec(args, peer.account, client).await;
    if !captured.stdout.is_empty() {
        let _ = out.send(SessionOutput::Stdout(captured.stdout));
    }
    if !captured.stderr.is_empty() {
        let _ = out.send(SessionOutput::Stderr(captured.stderr));
    }
    let _ = out.send(SessionOutput::Exit(code.max(0) as u32));
}

/// Frames go out through the session's channel: buffered, sent on flush.
struct ChannelWriter {
    out: UnboundedSender<SessionOutput>,
    buf: Vec<u8>,
}

impl Write for ChannelWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if !self.buf.is_empty() {
            self.out
                .send(SessionOutput::Stdout(std::mem::take(&mut self.buf)))
                .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        }
        Ok(())
    }
}

/// The terminal modes a session sets, and puts back.
const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[?2004h";
const LEAVE: &[u8] = b"\x1b[?2004l\x1b[?25h\x1b[?1049l";

/// Bytes typed at the client's terminal, parsed into key events (the escape sequences of
/// xterm and its kin, as crossterm would read them from a local terminal).
#[derive(Default)]
pub struct InputParser {
    buf: Vec<u8>,
}

impl InputParser {
    /// The events in `bytes` (a sequence cut between two reads waits for the rest).
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut events = Vec::new();
        for (i, b) in bytes.iter().enumerate() {
            self.buf.push(*b);
            // A lone ESC with more bytes behind it starts a sequence, not the Esc key.
            if self.buf == [0x1b] && i + 1 < bytes.len() {
                continue;
            }
            match terminput::Event::parse_from(&self.buf) {
                Ok(Some(ev)) => {
                    if let Ok(e) = terminput_crossterm::to_crossterm(ev) {
                        events.push(e);
                    }
                    self.buf.clear();
                }
                Ok(None) => {}
                Err(_) => self.buf.clear(),
            }
        }
        events
    }
}

/// Effects go to the desk thread, for the session's account.
struct ServedPort {
    service: Service,
    account: Account,
}

impl Port for ServedPort {
    fn account(&self, _app: &App) -> Account {
        self.account.clone()
    }

    async fn run(&mut self, cx: EffectCtx, effect: Effect) -> Option<Reply> {
        self.service.effect(cx, effect).await
    }
}

/// What wakes a served session: the client's input, the tick, changes made by others, the
/// server stopping.
struct ServedSource {
    input: UnboundedReceiver<SessionInput>,
    parser: InputParser,
    queue: VecDeque<Event>,
    tick: tokio::time::Interval,
    changes: broadcast::Receiver<Arc<Change>>,
    stopping: watch::Receiver<bool>,
    account: Account,
    probe: Option<Arc<Probe>>,
    pending: Pending,
    /// The issues the session holds (for a unit, whose issues can move out of its sight).
    held: std::collections::HashSet<u64>,
    /// After falling behind and reading everything again, `held` may miss some: every issue
    /// out of sight is then told as gone.
    unsure: bool,
    /// Changes received and not yet shown, and when they will be.
    gathering: Option<(crate::tui::app::Changes, tokio::time::Instant)>,
}

/// How long a served screen gathers changes before it shows them.
const GATHER: Duration = Duration::from_millis(25);

impl Source for ServedSource {
    fn drawn(&mut self) {
        if let Some(p) = &self.probe {
            self.pending.drawn(p);
        }
    }

    async fn next(&mut self) -> Wake {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Wake::Event(e);
            }
            tokio::select! {
                biased;
                r = self.stopping.changed() => {
                    if r.is_err() || *self.stopping.borrow() {
                        return Wake::Closed;
                    }
                }
                input = self.input.recv() => match input {
                    None | Some(SessionInput::Eof) => return Wake::Lost,
                    Some(SessionInput::Data(b)) => {
                        self.pending.input.get_or_insert_with(std::time::Instant::now);
                        self.queue.extend(self.parser.feed(&b));
                    }
                    Some(SessionInput::Resize { cols, rows }) => {
                        return Wake::Event(Event::Resize(cols, rows))
                    }
                },
                _ = tokio::time::sleep_until(self.gathering.as_ref().map_or_else(tokio::time::Instant::now, |g| g.1)),
                    if self.gathering.is_some() => {
                    if let Some((c, _)) = self.gathering.take() {
                        return Wake::Reply(Reply::Changed(c));
                    }
                }
                c = self.changes.recv() => match c {
                    Ok(change) => {
                        let seen = self.visible(&change);
                        if seen == crate::tui::app::Changes::default() {
                            // Nothing this account may see: no frame to draw.
                            continue;
                        }
                        if !seen.issues.is_empty() {
                            self.pending.change = self.pending.change.or(change.at);
                        }
                        // Changes a moment apart (an issue logged, then assigned) are shown
                        // in one frame: less work for every screen while commits come fast.
                        match &mut self.gathering {
                            Some((all, _)) => all.merge(seen),
                            None => {
                                let until = tokio::time::Instant::now() + GATHER;
                                self.gathering = Some((seen, until));
                            }
                        }
                        continue;
                    }
                    // Fell behind: read everything again.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        self.unsure = true;
                        self.gathering = None;
                        return Wake::Reply(Reply::Changed(crate::tui::app::Changes {
                            resync: true,
                            ..Default::default()
                        }))
                    }
                    Err(broadcast::error::RecvError::Closed) => return Wake::Closed,
                },
                _ = self.tick.tick() => return Wake::Tick,
            }
        }
    }
}

impl ServedSource {
    /// A change as this account may see it: the issues it may see, and those it held that it
    /// may see no longer.
    fn visible(&mut self, c: &Change) -> crate::tui::app::Changes {
        let mut seen = crate::tui::app::Changes {
            shifts: c.shifts && matches!(self.account.role, Role::Desk | Role::Admin),
            inspections: c.inspections && self.account.role != Role::Unit,
            residency: c.residency,
            resync: c.resync,
            ..Default::default()
        };
        for i in &c.issues {
            if crate::domain::policy::can_see(&self.account, i) {
                self.held.insert(i.id);
                seen.issues.push(i.clone());
            } else if self.held.remove(&i.id) || self.unsure {
                seen.gone.push(i.id);
            }
        }
        seen
    }
}

/// What a TUI session is connected to besides its input.
struct Wiring {
    out: UnboundedSender<SessionOutput>,
    stopping: watch::Receiver<bool>,
    clock: Arc<dyn Fn() -> NaiveDateTime + Send + Sync>,
    probe: Option<Arc<Probe>>,
}

/// The full TUI for one client.
async fn tty(
    service: Service,
    peer: Peer,
    (cols, rows): (u16, u16),
    input: UnboundedReceiver<SessionInput>,
    wiring: Wiring,
) {
    let Wiring {
        out,
        stopping,
        clock,
        probe,
    } = wiring;
    let account = peer.account.clone();
    tracing::info!(account = %account.name, from = %peer.from, "session started");
    let changes = service.subscribe();
    let mut app = match service.open(account.clone(), clock()).await {
        Ok(app) => *app,
        Err(e) => {
            let _ = out.send(SessionOutput::Stderr(format!("{e}\n").into_bytes()));
            let _ = out.send(SessionOutput::Exit(1));
            return;
        }
    };
    let drafts_file = service.dir.join(format!("drafts-{}.json", account.name));
    app.drafts = drafts::load(&drafts_file);
    let first = begin(&mut app, &account);
    let _ = out.send(SessionOutput::Stdout(ENTER.to_vec()));
    let writer = ChannelWriter {
        out: out.clone(),
        buf: Vec::new(),
    };
    let area = Rect::new(0, 0, cols.max(1), rows.max(1));
    let Ok(mut terminal) = Terminal::with_options(
        CrosstermBackend::new(writer),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    ) else {
        let _ = out.send(SessionOutput::Exit(1));
        return;
    };
    app.size = (area.width, area.height);
    let mut source = ServedSource {
        input,
        parser: InputParser::default(),
        queue: VecDeque::new(),
        tick: tokio::time::interval(Duration::from_secs(1)),
        changes,
        stopping,
        account: account.clone(),
        probe,
        pending: Pending::default(),
        held: app.data.issues.iter().map(|i| i.id).collect(),
        unsure: false,
        gathering: None,
    };
    let mut port = ServedPort {
        service: service.clone(),
        account: account.clone(),
    };
    let tick_clock = clock.clone();
    let exit = runtime::drive(
        &mut terminal,
        &mut app,
        &mut port,
        &mut source,
        first,
        move || tick_clock().with_nanosecond(0).unwrap_or_default(),
        &drafts_file,
    )
    .await;
    // Whatever ended it, what the officer typed is kept.
    runtime::keep_drafts(&mut port, &mut app, &drafts_file).await;
    let code = match exit {
        Ok(Exit::Quit) => 0,
        Ok(Exit::Closed) => {
            let m = app.lang.pick(
                "\r\n服务器正在停止或会话空闲超时，已保存填写内容；请稍后重新连接\r\n",
                "\r\nThe server is stopping or the session sat idle; what you typed is kept. Connect again later.\r\n",
            );
            let _ = out.send(SessionOutput::Stdout([LEAVE, m.as_bytes()].concat()));
            tracing::info!(account = %account.name, "session closed by the server");
            let _ = out.send(SessionOutput::Exit(1));
            return;
        }
        Ok(e) => e.status(),
        Err(e) => {
            tracing::warn!(account = %account.name, "session failed: {e:#}");
            1
        }
    };
    tracing::info!(account = %account.name, from = %peer.from, code, "session ended");
    let _ = out.send(SessionOutput::Stdout(LEAVE.to_vec()));
    let _ = out.send(SessionOutput::Exit(code as u32));
}

/// Where a session starts: desk officers at sign-in, their name and unit given by their
/// account; units and supervisors, who keep no shifts, on their dashboard at once.
fn begin(app: &mut App, account: &Account) -> Vec<Effect> {
    let officer = Officer {
        name: account.author().to_string(),
        unit: account.unit.clone().unwrap_or_default(),
        duty: DutyType::Fixed,
    };
    match account.role {
        Role::Desk | Role::Admin => {
            app.prefill_sign_in(&officer);
            vec![]
        }
        Role::Unit | Role::Supervisor => {
            app.officer = Some(officer);
            app.screen = Screen::Dashboard;
            vec![]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn keys(evs: Vec<Event>) -> Vec<KeyCode> {
        evs.into_iter()
            .filter_map(|e| match e {
                Event::Key(KeyEvent { code, .. }) => Some(code),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bytes_become_keys_even_cut_between_reads() {
        let mut p = InputParser::default();
        assert_eq!(
            keys(p.feed("a重\r".as_bytes())),
            vec![KeyCode::Char('a'), KeyCode::Char('重'), KeyCode::Enter]
        );
        // An arrow key's sequence split across two reads.
        assert!(p.feed(b"\x1b[").is_empty());
        assert_eq!(keys(p.feed(b"B")), vec![KeyCode::Down]);
        // A lone ESC at the end of a read is the Esc key.
        assert_eq!(keys(p.feed(b"\x1b")), vec![KeyCode::Esc]);
        // A multibyte character cut in half.
        let b = "庆".as_bytes();
        assert!(p.feed(&b[..1]).is_empty());
        assert_eq!(keys(p.feed(&b[1..])), vec![KeyCode::Char('庆')]);
        // Ctrl-C and F1.
        let evs = p.feed(b"\x03\x1bOP");
        assert!(matches!(
            evs[0],
            Event::Key(KeyEvent { code: KeyCode::Char('c'), modifiers, .. }) if modifiers.contains(KeyModifiers::CONTROL)
        ));
        assert_eq!(keys(evs[1..].to_vec()), vec![KeyCode::F(1)]);
        // A bracketed paste is one event, whatever it contains.
        let evs = p.feed(b"\x1b[200~q\x1b[2Jx\x1b[201~");
        assert_eq!(evs, vec![Event::Paste("q\x1b[2Jx".into())]);
    }
}
