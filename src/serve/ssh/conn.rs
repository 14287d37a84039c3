//! One SSH connection: its russh handler (authentication, channel requests, input) and the
//! watchdog that closes it when idle, when it has not logged in in time, or at shutdown.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::keys::{HashAlg, PublicKey};
use russh::server::{Auth, Msg, Session};
use russh::{
    Channel, ChannelId, ChannelWriteHalf, CryptoVec, Disconnect, MethodKind, MethodSet, Pty,
};
use tokio::net::TcpStream;
use tokio::sync::mpsc::unbounded_channel;
use tokio::sync::watch;

use super::cut::{Cut, CutStream};
use super::guard::{Guard, Limits, Subject};
use super::output::{self, InputSlot, OutputLimits};
use super::SshOptions;
use crate::domain::Account;
use crate::serve::{AuthOutcome, Authenticator, Peer, SessionInput, SessionKind, Sessions};

/// Login attempts (keys offered, passwords, and those refused for a lockout) one connection
/// may make; the connection is dropped at the next. OpenSSH's sshd allows 6; an agent with
/// many keys needs more.
const MAX_AUTH_ATTEMPTS: u32 = 10;
/// Session channels open at once on one connection.
const MAX_CHANNELS: usize = 8;
/// How long a connection told to go has to leave before its stream is cut.
const GOODBYE: Duration = Duration::from_secs(3);
/// The largest terminal a client may claim (a TUI allocates a buffer of this many cells).
const MAX_COLS: u32 = 1000;
const MAX_ROWS: u32 = 500;
/// A TERM value longer than this is not a terminal name.
const MAX_TERM: usize = 64;

const NO_PTY: &str = "dutydesk: 值班台需要终端，请用 ssh -t 连接 \
                      (the desk needs a terminal: connect with ssh -t)\r\n";
const NOT_UTF8: &str = "dutydesk: 命令不是有效的 UTF-8 (the command is not valid UTF-8)\n";

/// What every connection shares: the server's implementations, the limits, the failure
/// counts.
pub struct Shared {
    sessions: Arc<dyn Sessions>,
    auth: Arc<dyn Authenticator>,
    opts: SshOptions,
    guard: Guard,
}

impl Shared {
    /// The authentication methods offered.
    pub fn methods(&self) -> MethodSet {
        let mut methods = vec![MethodKind::PublicKey];
        if self.opts.passwords {
            methods.push(MethodKind::Password);
        }
        MethodSet::from(&methods[..])
    }

    pub fn new(
        sessions: Arc<dyn Sessions>,
        auth: Arc<dyn Authenticator>,
        opts: SshOptions,
    ) -> Shared {
        let guard = Guard::new(Limits {
            max_failures: opts.max_failures,
            window: opts.failure_window,
            lockout: opts.lockout,
            lockout_cap: opts.lockout_cap,
        });
        Shared {
            sessions,
            auth,
            opts,
            guard,
        }
    }
}

/// Returns once `shutdown` holds true or its sender is gone.
pub async fn wait_shutdown(shutdown: &mut watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow_and_update() {
            return;
        }
        if shutdown.changed().await.is_err() {
            return;
        }
    }
}

/// Why a login attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    Unknown,
    Disabled,
    WrongKey,
    WrongPassword,
}

impl Reason {
    fn of(outcome: &AuthOutcome, password: bool) -> Option<Reason> {
        match outcome {
            AuthOutcome::Accepted(a) if a.disabled => Some(Reason::Disabled),
            AuthOutcome::Accepted(_) => None,
            AuthOutcome::Unknown => Some(Reason::Unknown),
            AuthOutcome::Disabled => Some(Reason::Disabled),
            AuthOutcome::Wrong if password => Some(Reason::WrongPassword),
            AuthOutcome::Wrong => Some(Reason::WrongKey),
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reason::Unknown => "unknown account",
            Reason::Disabled => "account disabled",
            Reason::WrongKey => "wrong key",
            Reason::WrongPassword => "wrong password",
        })
    }
}

/// What the watchdog and the handler both see.
struct ConnState {
    last_input: Mutex<Instant>,
    authenticated: AtomicBool,
    /// Wakes the watchdog at login, to switch from the login grace to the idle timeout.
    login: tokio::sync::Notify,
    /// Accounts whose offered keys were refused: (reason, keys refused).
    refused_keys: Mutex<BTreeMap<String, (Reason, u32)>>,
    /// Subjects a failure was already counted against on this connection (wrong passwords).
    counted: Mutex<HashSet<Subject>>,
}

impl ConnState {
    fn new(now: Instant) -> ConnState {
        ConnState {
            last_input: Mutex::new(now),
            authenticated: AtomicBool::new(false),
            login: tokio::sync::Notify::new(),
            refused_keys: Mutex::new(BTreeMap::new()),
            counted: Mutex::new(HashSet::new()),
        }
    }

    fn touch(&self) {
        *self.last_input.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    fn last_input(&self) -> Instant {
        *self.last_input.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn authenticated(&self) -> bool {
        self.authenticated.load(Ordering::SeqCst)
    }
}

/// Serves one TCP connection until it ends or is closed.
pub async fn connection(
    tcp: TcpStream,
    addr: SocketAddr,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = tcp.set_nodelay(true);
    let started = Instant::now();
    let state = Arc::new(ConnState::new(started));
    let cut = Cut::new();
    let handler = Conn {
        shared: shared.clone(),
        state: state.clone(),
        addr,
        account: None,
        attempts: 0,
        channels: HashMap::new(),
    };
    let stream = CutStream::new(tcp, cut.clone());
    let grace = shared.opts.login_grace;
    // The version exchange too must finish within the login grace.
    let setup = tokio::time::timeout(grace, russh::server::run_stream(config, stream, handler));
    let mut session = tokio::select! {
        r = setup => match r {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                tracing::debug!("SSH connection from {addr} failed to start: {e}");
                return;
            }
            Err(_) => {
                tracing::info!("SSH connection from {addr} closed: no SSH greeting in {} s", grace.as_secs());
                return;
            }
        },
        () = wait_shutdown(&mut shutdown) => return,
    };
    let handle = session.handle();
    let idle = shared.opts.idle;
    let goodbye: Option<&str> = loop {
        let deadline = if state.authenticated() {
            state.last_input() + idle
        } else {
            started + grace
        };
        tokio::select! {
            r = &mut session => {
                match r {
                    Ok(()) => tracing::debug!("SSH connection from {addr} ended"),
                    Err(e) => tracing::debug!("SSH connection from {addr} ended: {e}"),
                }
                break None;
            }
            () = tokio::time::sleep_until(deadline.into()) => {
                if state.authenticated() {
                    if state.last_input().elapsed() >= idle {
                        tracing::info!("SSH connection from {addr} closed: no input for {} s", idle.as_secs());
                        break Some("idle for too long / 长时间无操作");
                    }
                } else if started.elapsed() >= grace {
                    tracing::info!("SSH connection from {addr} closed: not logged in within {} s", grace.as_secs());
                    break Some("login took too long / 登录超时");
                }
            }
            () = state.login.notified() => {}
            () = wait_shutdown(&mut shutdown) => {
                break Some("the server is shutting down / 服务器正在关闭");
            }
        }
    };
    if let Some(why) = goodbye {
        let said = tokio::time::timeout(
            GOODBYE,
            handle.disconnect(Disconnect::ByApplication, why.to_string(), "en".to_string()),
        )
        .await;
        let left = match said {
            Ok(_) => tokio::time::timeout(GOODBYE, &mut session).await.is_ok(),
            Err(_) => false,
        };
        if !left {
            // Stuck writing to a client that does not read: make every I/O fail.
            cut.cut();
            let _ = tokio::time::timeout(GOODBYE, &mut session).await;
        }
    }
    if !state.authenticated() {
        count_refused_connection(&shared, &state, addr);
    }
}

/// A connection that ended without logging in counts once against its address and once
/// against each account whose keys it offered, unless wrong passwords already counted.
fn count_refused_connection(shared: &Shared, state: &ConnState, addr: SocketAddr) {
    let refused =
        std::mem::take(&mut *state.refused_keys.lock().unwrap_or_else(|e| e.into_inner()));
    let counted = state
        .counted
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if refused.is_empty() {
        return;
    }
    let now = Instant::now();
    let addr_subject = Subject::Addr(addr.ip());
    if !counted.contains(&addr_subject) {
        note_lockout(shared, addr_subject, now);
    }
    for (user, (reason, keys)) in refused {
        tracing::warn!(
            "SSH login failed from {addr} as {user:?}: {reason} ({keys} key(s) offered)"
        );
        let subject = Subject::Account(user);
        if !counted.contains(&subject) {
            note_lockout(shared, subject, now);
        }
    }
}

fn note_lockout(shared: &Shared, subject: Subject, now: Instant) {
    let text = subject.to_string();
    if let Some(length) = shared.guard.fail(subject, now) {
        tracing::warn!(
            "SSH logins for {text} locked out for {} s after {} failures",
            length.as_secs(),
            shared.opts.max_failures
        );
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnError {
    #[error(transparent)]
    Ssh(#[from] russh::Error),
    #[error("too many login attempts on one connection")]
    TooManyAttempts,
}

/// A pty the client asked for.
#[derive(Debug, Clone)]
struct PtyInfo {
    cols: u16,
    rows: u16,
    term: String,
}

enum ChanState {
    /// Open, no shell or command yet.
    Open {
        write: ChannelWriteHalf<Msg>,
        pty: Option<PtyInfo>,
    },
    Running {
        input: InputSlot,
        pty: bool,
    },
    /// Refused (a message and exit status 2 were sent) or taken over; waits for the close.
    Done,
}

struct Chan {
    state: ChanState,
    /// Dropped with the channel: tells its output tasks to stop.
    _closed: watch::Sender<()>,
    closed: watch::Receiver<()>,
}

impl Drop for Chan {
    /// The channel is closed or the connection gone: the session's input goes now, which
    /// ends the session (the output tasks let go of their share as they stop).
    fn drop(&mut self) {
        if let ChanState::Running { input, .. } = &self.state {
            input.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
    }
}

/// The russh handler of one connection.
struct Conn {
    shared: Arc<Shared>,
    state: Arc<ConnState>,
    addr: SocketAddr,
    account: Option<Account>,
    attempts: u32,
    channels: HashMap<ChannelId, Chan>,
}

impl Conn {
    /// Why `user` may not try now (a lockout in force), if so.
    fn locked_out(&self, user: &str) -> Option<String> {
        let now = Instant::now();
        let g = &self.shared.guard;
        if let Some(left) = g.locked(&Subject::Addr(self.addr.ip()), now) {
            return Some(format!(
                "address locked out for {} s more",
                left.as_secs() + 1
            ));
        }
        if let Some(left) = g.locked(&Subject::Account(user.to_string()), now) {
            return Some(format!(
                "account locked out for {} s more",
                left.as_secs() + 1
            ));
        }
        None
    }

    fn attempt(&mut self) -> Result<(), ConnError> {
        self.attempts += 1;
        if self.attempts > MAX_AUTH_ATTEMPTS {
            tracing::warn!(
                "SSH connection from {} dropped: more than {MAX_AUTH_ATTEMPTS} login attempts",
                self.addr
            );
            return Err(ConnError::TooManyAttempts);
        }
        Ok(())
    }

    fn check_key(&self, user: &str, key: &PublicKey) -> AuthOutcome {
        match key.to_openssh() {
            Ok(line) => self.shared.auth.check_key(user, &line),
            Err(_) => AuthOutcome::Wrong,
        }
    }

    fn refuse_key(&self, user: &str, reason: Reason, key: &PublicKey) {
        tracing::debug!(
            "SSH key {} refused for {user:?} from {}: {reason}",
            key.fingerprint(HashAlg::Sha256),
            self.addr
        );
        let mut refused = self
            .state
            .refused_keys
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let entry = refused.entry(user.to_string()).or_insert((reason, 0));
        entry.0 = reason;
        entry.1 += 1;
    }

    fn logged_in(&mut self, user: &str, account: Account, how: String) {
        tracing::info!("SSH login: {:?} from {} by {how}", account.name, self.addr);
        self.shared.guard.clear(&Subject::Account(user.to_string()));
        if account.name != user {
            self.shared
                .guard
                .clear(&Subject::Account(account.name.clone()));
        }
        self.account = Some(account);
        self.state.touch();
        self.state.authenticated.store(true, Ordering::SeqCst);
        self.state.login.notify_one();
    }

    /// Accepts the request and answers it at once with `message` on stderr and exit status
    /// 2, then closes the channel.
    fn refuse(
        &mut self,
        channel: ChannelId,
        message: &str,
        session: &mut Session,
    ) -> Result<(), ConnError> {
        if let Some(c) = self.channels.get_mut(&channel) {
            c.state = ChanState::Done;
        }
        session.channel_success(channel)?;
        session.extended_data(channel, 1, CryptoVec::from_slice(message.as_bytes()))?;
        session.exit_status_request(channel, 2)?;
        session.eof(channel)?;
        session.close(channel)?;
        Ok(())
    }

    /// Starts the session `kind` on `channel`.
    fn start(
        &mut self,
        channel: ChannelId,
        kind: SessionKind,
        session: &mut Session,
    ) -> Result<(), ConnError> {
        let Some(account) = self.account.clone() else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        let Some(c) = self.channels.get_mut(&channel) else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        let ChanState::Open { write, .. } = std::mem::replace(&mut c.state, ChanState::Done) else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        let what = match &kind {
            SessionKind::Tty { cols, rows, term } => format!("terminal {cols}×{rows} {term}"),
            SessionKind::Exec { command } => format!(
                "command {}",
                command.split_whitespace().next().unwrap_or("(empty)")
            ),
            // Not sent over SSH (the local socket's).
            SessionKind::Command { args, .. } => {
                format!("command {}", args.first().map_or("(empty)", String::as_str))
            }
        };
        let label = format!(
            "SSH {:?} from {} channel {}",
            account.name, self.addr, channel
        );
        tracing::info!("{label}: {what}");
        let pty = matches!(kind, SessionKind::Tty { .. });
        let peer = Peer {
            account,
            from: self.addr.to_string(),
        };
        let (out_tx, out_rx) = unbounded_channel();
        let input = self.shared.sessions.start(peer, kind, out_tx);
        let input: InputSlot = Arc::new(Mutex::new(Some(input)));
        c.state = ChanState::Running {
            input: input.clone(),
            pty,
        };
        session.channel_success(channel)?;
        output::spawn(
            write,
            out_rx,
            input,
            c.closed.clone(),
            OutputLimits {
                cap: self.shared.opts.output_cap,
                stall: self.shared.opts.output_stall,
            },
            label,
        );
        Ok(())
    }

    fn send(&self, channel: ChannelId, input: SessionInput) {
        if let Some(Chan {
            state: ChanState::Running { input: slot, .. },
            ..
        }) = self.channels.get(&channel)
        {
            if let Some(tx) = slot.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                // A session that has ended no longer takes input; nothing to do.
                let _ = tx.send(input);
            }
        }
    }
}

fn size(v: u32, default: u16, max: u32) -> u16 {
    if v == 0 {
        default
    } else {
        v.min(max) as u16
    }
}

impl russh::server::Handler for Conn {
    type Error = ConnError;

    async fn authentication_banner(&mut self) -> Result<Option<String>, Self::Error> {
        // Tell a locked-out address why nothing works (the account is not known yet).
        let left = self
            .shared
            .guard
            .locked(&Subject::Addr(self.addr.ip()), Instant::now());
        Ok(left.map(|left| {
            let s = left.as_secs() + 1;
            format!(
                "Too many failed logins from this address: try again in {s} s.\r\n\
                 登录失败次数过多，请 {s} 秒后再试。\r\n"
            )
        }))
    }

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(Auth::reject())
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        key: &PublicKey,
    ) -> Result<Auth, Self::Error> {
        self.attempt()?;
        if let Some(why) = self.locked_out(user) {
            tracing::info!("SSH login refused from {} as {user:?}: {why}", self.addr);
            return Ok(Auth::reject());
        }
        let outcome = self.check_key(user, key);
        match Reason::of(&outcome, false) {
            None => Ok(Auth::Accept),
            Some(reason) => {
                self.refuse_key(user, reason, key);
                Ok(Auth::reject())
            }
        }
    }

    // Called once the client has proved it holds the key. russh lets a client that was told
    // one key is acceptable sign with another, so the key is checked here again.
    async fn auth_publickey(&mut self, user: &str, key: &PublicKey) -> Result<Auth, Self::Error> {
        if let Some(why) = self.locked_out(user) {
            tracing::info!("SSH login refused from {} as {user:?}: {why}", self.addr);
            return Ok(Auth::reject());
        }
        let outcome = self.check_key(user, key);
        match (Reason::of(&outcome, false), outcome) {
            (None, AuthOutcome::Accepted(account)) => {
                let how = format!("key {}", key.fingerprint(HashAlg::Sha256));
                self.logged_in(user, account, how);
                Ok(Auth::Accept)
            }
            (Some(reason), _) => {
                self.refuse_key(user, reason, key);
                Ok(Auth::reject())
            }
            (None, _) => Ok(Auth::reject()),
        }
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        if !self.shared.opts.passwords {
            return Ok(Auth::reject());
        }
        self.attempt()?;
        if let Some(why) = self.locked_out(user) {
            tracing::info!("SSH login refused from {} as {user:?}: {why}", self.addr);
            return Ok(Auth::reject());
        }
        let outcome = self.shared.auth.check_password(user, password);
        match (Reason::of(&outcome, true), outcome) {
            (None, AuthOutcome::Accepted(account)) => {
                self.logged_in(user, account, "password".to_string());
                Ok(Auth::Accept)
            }
            (Some(reason), _) => {
                tracing::warn!("SSH login failed from {} as {user:?}: {reason}", self.addr);
                let now = Instant::now();
                let subjects = [
                    Subject::Addr(self.addr.ip()),
                    Subject::Account(user.to_string()),
                ];
                for s in subjects {
                    self.state
                        .counted
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(s.clone());
                    note_lockout(&self.shared, s, now);
                }
                // Without this russh would stop offering passwords after the first wrong
                // one; a typo deserves another try (each still counts).
                Ok(Auth::Reject {
                    proceed_with_methods: Some(self.shared.methods()),
                    partial_success: false,
                })
            }
            (None, _) => Ok(Auth::reject()),
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.state.touch();
        if self.account.is_none() {
            return Ok(false);
        }
        if self.channels.len() >= MAX_CHANNELS {
            tracing::warn!(
                "SSH connection from {}: more than {MAX_CHANNELS} channels refused",
                self.addr
            );
            return Ok(false);
        }
        let id = channel.id();
        // Everything arrives through this handler's methods; the read half is dropped so
        // that russh does not wait for anyone to read it.
        let (read, write) = channel.split();
        drop(read);
        let (closed_tx, closed_rx) = watch::channel(());
        self.channels.insert(
            id,
            Chan {
                state: ChanState::Open { write, pty: None },
                _closed: closed_tx,
                closed: closed_rx,
            },
        );
        Ok(true)
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.state.touch();
        let Some(Chan {
            state: ChanState::Open { pty, .. },
            ..
        }) = self.channels.get_mut(&channel)
        else {
            session.channel_failure(channel)?;
            return Ok(());
        };
        let term: String = term
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .take(MAX_TERM)
            .collect();
        *pty = Some(PtyInfo {
            cols: size(col_width, 80, MAX_COLS),
            rows: size(row_height, 24, MAX_ROWS),
            term,
        });
        session.channel_success(channel)?;
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.state.touch();
        let pty = match self.channels.get(&channel) {
            Some(Chan {
                state: ChanState::Open { pty, .. },
                ..
            }) => pty.clone(),
            _ => {
                session.channel_failure(channel)?;
                return Ok(());
            }
        };
        match pty {
            Some(p) => self.start(
                channel,
                SessionKind::Tty {
                    cols: p.cols,
                    rows: p.rows,
                    term: p.term,
                },
                session,
            ),
            None => {
                tracing::info!("SSH shell without a terminal from {} refused", self.addr);
                self.refuse(channel, NO_PTY, session)
            }
        }
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.state.touch();
        if !matches!(
            self.channels.get(&channel),
            Some(Chan {
                state: ChanState::Open { .. },
                ..
            })
        ) {
            session.channel_failure(channel)?;
            return Ok(());
        }
        match std::str::from_utf8(data) {
            Ok(command) => self.start(
                channel,
                SessionKind::Exec {
                    command: command.to_string(),
                },
                session,
            ),
            Err(_) => self.refuse(channel, NOT_UTF8, session),
        }
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.state.touch();
        tracing::info!("SSH subsystem {name:?} from {} refused", self.addr);
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        _value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Ignored: nothing in a session reads the client's environment.
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.state.touch();
        let cols = size(col_width, 80, MAX_COLS);
        let rows = size(row_height, 24, MAX_ROWS);
        match self.channels.get_mut(&channel) {
            Some(Chan {
                state: ChanState::Open { pty: Some(p), .. },
                ..
            }) => {
                p.cols = cols;
                p.rows = rows;
            }
            Some(Chan {
                state: ChanState::Running { pty: true, .. },
                ..
            }) => self.send(channel, SessionInput::Resize { cols, rows }),
            _ => {}
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.state.touch();
        self.send(channel, SessionInput::Data(data.to_vec()));
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.state.touch();
        self.send(channel, SessionInput::Eof);
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Drops the session's input (ending it) and stops the channel's output tasks.
        self.channels.remove(&channel);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use russh::server::Handler;
    use std::sync::atomic::AtomicU32;

    use crate::domain::Role;

    struct NoSessions;

    impl Sessions for NoSessions {
        fn start(
            &self,
            _peer: Peer,
            _kind: SessionKind,
            _out: tokio::sync::mpsc::UnboundedSender<crate::serve::SessionOutput>,
        ) -> tokio::sync::mpsc::UnboundedSender<SessionInput> {
            unbounded_channel().0
        }
    }

    /// alice's key is `key`; "ghost" is an account that is disabled yet still answered as
    /// accepted (the transport must refuse it anyway); counts the checks it makes.
    struct OneKey {
        key: String,
        checks: AtomicU32,
    }

    fn account(name: &str, disabled: bool) -> Account {
        Account {
            name: name.into(),
            role: Role::Desk,
            unit: None,
            display: String::new(),
            disabled,
        }
    }

    impl Authenticator for OneKey {
        fn check_key(&self, user: &str, openssh_key: &str) -> AuthOutcome {
            self.checks.fetch_add(1, Ordering::SeqCst);
            match user {
                "alice" if openssh_key.trim() == self.key.trim() => {
                    AuthOutcome::Accepted(account("alice", false))
                }
                "ghost" => AuthOutcome::Accepted(account("ghost", true)),
                "alice" => AuthOutcome::Wrong,
                _ => AuthOutcome::Unknown,
            }
        }

        fn check_password(&self, user: &str, password: &str) -> AuthOutcome {
            self.checks.fetch_add(1, Ordering::SeqCst);
            match (user, password) {
                ("alice", "right") => AuthOutcome::Accepted(account("alice", false)),
                ("alice", _) => AuthOutcome::Wrong,
                _ => AuthOutcome::Unknown,
            }
        }
    }

    fn key() -> PublicKey {
        russh::keys::PrivateKey::random(&mut rand::rngs::OsRng, russh::keys::Algorithm::Ed25519)
            .unwrap()
            .public_key()
            .clone()
    }

    fn conn(opts: SshOptions) -> (Conn, PublicKey, Arc<OneKey>) {
        let k = key();
        let auth = Arc::new(OneKey {
            key: k.to_openssh().unwrap(),
            checks: AtomicU32::new(0),
        });
        let shared = Arc::new(Shared::new(Arc::new(NoSessions), auth.clone(), opts));
        let state = Arc::new(ConnState::new(Instant::now()));
        let c = Conn {
            shared,
            state,
            addr: "127.0.0.1:40000".parse().unwrap(),
            account: None,
            attempts: 0,
            channels: HashMap::new(),
        };
        (c, k, auth)
    }

    fn accepted(a: &Auth) -> bool {
        *a == Auth::Accept
    }

    #[tokio::test]
    async fn the_key_signed_with_is_checked_again() {
        let (mut c, alice, _) = conn(SshOptions::default());
        let other = key();
        // Offered alice's own public key (anyone may know it): acceptable.
        assert!(accepted(
            &c.auth_publickey_offered("alice", &alice).await.unwrap()
        ));
        // Then signed with another key: refused, and nobody is logged in.
        assert!(!accepted(&c.auth_publickey("alice", &other).await.unwrap()));
        assert!(c.account.is_none());
        assert!(!c.state.authenticated());
        assert!(accepted(&c.auth_publickey("alice", &alice).await.unwrap()));
        assert_eq!(c.account.as_ref().unwrap().name, "alice");
        assert!(c.state.authenticated());
    }

    #[tokio::test]
    async fn a_disabled_account_is_refused_even_if_accepted() {
        let (mut c, k, _) = conn(SshOptions::default());
        assert!(!accepted(
            &c.auth_publickey_offered("ghost", &k).await.unwrap()
        ));
        assert!(!accepted(&c.auth_publickey("ghost", &k).await.unwrap()));
        assert!(c.account.is_none());
    }

    #[tokio::test]
    async fn passwords_turned_off_are_never_checked() {
        let (mut c, _, auth) = conn(SshOptions {
            passwords: false,
            ..SshOptions::default()
        });
        assert!(!accepted(&c.auth_password("alice", "right").await.unwrap()));
        assert_eq!(auth.checks.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn locked_out_attempts_are_refused_unchecked() {
        let (mut c, k, auth) = conn(SshOptions {
            max_failures: 2,
            ..SshOptions::default()
        });
        for _ in 0..2 {
            assert!(!accepted(&c.auth_password("alice", "wrong").await.unwrap()));
        }
        let checks = auth.checks.load(Ordering::SeqCst);
        assert!(!accepted(&c.auth_password("alice", "right").await.unwrap()));
        assert!(!accepted(
            &c.auth_publickey_offered("alice", &k).await.unwrap()
        ));
        assert_eq!(
            auth.checks.load(Ordering::SeqCst),
            checks,
            "checked while locked"
        );
    }

    #[tokio::test]
    async fn one_connection_gets_a_bounded_number_of_attempts() {
        let (mut c, _, _) = conn(SshOptions {
            max_failures: 1000,
            ..SshOptions::default()
        });
        for _ in 0..MAX_AUTH_ATTEMPTS {
            assert!(c.auth_publickey_offered("alice", &key()).await.is_ok());
        }
        assert!(matches!(
            c.auth_publickey_offered("alice", &key()).await,
            Err(ConnError::TooManyAttempts)
        ));
    }

    #[test]
    fn sizes_default_when_zero_and_are_capped() {
        assert_eq!(size(0, 80, MAX_COLS), 80);
        assert_eq!(size(132, 80, MAX_COLS), 132);
        assert_eq!(size(u32::MAX, 80, MAX_COLS), MAX_COLS as u16);
    }
}
