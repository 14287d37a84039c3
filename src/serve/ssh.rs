//! SSH transport (russh): host key, authentication, pty and exec channels.
//!
//! `run` listens on a TCP address and carries each SSH session channel to a session started
//! through `Sessions`: a shell request on a pty becomes `SessionKind::Tty`, an exec request
//! `SessionKind::Exec`. It authenticates by public key and (unless turned off) password,
//! both checked by the server's `Authenticator`; nothing else gets in (no "none", no
//! keyboard-interactive, no forwarding, no subsystems).
//!
//! Decisions, and why:
//! - **What counts as a failed login.** An SSH client offers its keys one after another, so
//!   a rejected key is only a failure if the connection ends without logging in; such a
//!   connection counts once against its address and once against each account it tried,
//!   however many keys it offered (a user with many keys is not locked out by their own
//!   agent; guessing keys is hopeless anyway). A wrong password counts at once, every time:
//!   each one is a guess. Attempts refused because a lockout is in force are not counted.
//!   See `guard` for the lockout itself.
//! - **A shell without a pty** is refused with a message on stderr and exit status 2: the
//!   session is a full-screen TUI, which without a terminal would only write escape codes
//!   into a pipe; `ssh -t` is the fix, and the message says so.
//! - **Back-pressure.** The writer hands russh no more than the client's window; beyond it a
//!   channel may hold `output_cap` bytes (default 4 MiB) for a client that has stopped
//!   reading for `output_stall` (default 15 s), and `16 × output_cap` for any client; past
//!   that the session is ended (see `output`).
//! - **Idle.** A connection with no input from its client (keys, window changes, requests)
//!   for `idle` is closed; russh's own inactivity timer is not used since the output a TUI
//!   keeps drawing would reset it. A connection must log in within `login_grace`.
//! - **Shutdown.** When `shutdown` turns true, listening stops and every connection is sent a
//!   disconnect (its channels close, its sessions' input is dropped); a connection that does
//!   not end within a few seconds is cut.

mod conn;
mod cut;
mod guard;
mod host_key;
mod output;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use russh::keys::PrivateKey;
use russh::SshId;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

pub use host_key::{fingerprint, load_or_create_host_key, HOST_KEY_FILE};

use crate::serve::{Authenticator, Sessions};

/// At most this many connections at once; more are closed on arrival (and logged).
pub const MAX_CONNECTIONS: usize = 256;

/// The transport's limits. `Default` gives the values documented on each field.
#[derive(Debug, Clone)]
pub struct SshOptions {
    /// A connection whose client has sent nothing (no key, no window change) for this long
    /// is closed. Default 60 minutes: a desk left open over lunch survives, one forgotten
    /// overnight does not.
    pub idle: Duration,
    /// A connection must have logged in this long after connecting. Default 60 s.
    pub login_grace: Duration,
    /// Failed logins within `failure_window` before the address (or the account) is locked
    /// out. Default 5.
    pub max_failures: u32,
    /// The window failures are counted in. Default 10 minutes.
    pub failure_window: Duration,
    /// The first lockout; each further one doubles it. Default 60 s.
    pub lockout: Duration,
    /// The longest lockout. Default 1 hour.
    pub lockout_cap: Duration,
    /// Every rejected attempt is answered no sooner than this after it arrived, whatever
    /// the reason, so timing tells nothing about which accounts exist. Default 250 ms.
    pub reject_delay: Duration,
    /// Offer password authentication (checked by `Authenticator::check_password`). Default
    /// true; turn off when no account has a password.
    pub passwords: bool,
    /// Bytes a channel may hold for a client that has stopped reading (see the module doc).
    /// Default 4 MiB.
    pub output_cap: usize,
    /// How long a client may take nothing while more than `output_cap` waits. Default 15 s.
    pub output_stall: Duration,
    /// Keepalives are sent after this long without traffic; after 3 unanswered ones the
    /// connection is dropped (a laptop that vanished). Default 30 s.
    pub keepalive: Duration,
}

impl Default for SshOptions {
    fn default() -> SshOptions {
        SshOptions {
            idle: Duration::from_secs(60 * 60),
            login_grace: Duration::from_secs(60),
            max_failures: 5,
            failure_window: Duration::from_secs(10 * 60),
            lockout: Duration::from_secs(60),
            lockout_cap: Duration::from_secs(60 * 60),
            reject_delay: Duration::from_millis(250),
            passwords: true,
            output_cap: 4 << 20,
            output_stall: Duration::from_secs(15),
            keepalive: Duration::from_secs(30),
        }
    }
}

/// Why the transport could not start, or a host key problem.
#[derive(Debug, thiserror::Error)]
pub enum SshError {
    #[error("cannot listen for SSH on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the SSH host key {path} cannot be used: {source}")]
    HostKeyIo {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the SSH host key {path} is damaged ({reason}); restore it from a backup, or remove it \
         to make a new one (every client will then warn that the server's key changed)"
    )]
    HostKeyDamaged { path: PathBuf, reason: String },
    #[error("cannot make an SSH host key: {0}")]
    HostKeyCreate(String),
}

/// Listens on `listen` and serves SSH until `shutdown` turns true (or its sender is
/// dropped). Returns once listening has stopped and every connection has ended.
pub async fn run(
    listen: SocketAddr,
    host_key: PrivateKey,
    sessions: Arc<dyn Sessions>,
    auth: Arc<dyn Authenticator>,
    opts: SshOptions,
    shutdown: watch::Receiver<bool>,
) -> Result<(), SshError> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| SshError::Listen {
            addr: listen,
            source,
        })?;
    serve(listener, host_key, sessions, auth, opts, shutdown).await
}

/// Like `run`, on a listener already bound (port 0 in tests; a socket handed over by the
/// system).
pub async fn serve(
    listener: TcpListener,
    host_key: PrivateKey,
    sessions: Arc<dyn Sessions>,
    auth: Arc<dyn Authenticator>,
    opts: SshOptions,
    mut shutdown: watch::Receiver<bool>,
) -> Result<(), SshError> {
    let shared = Arc::new(conn::Shared::new(sessions, auth, opts.clone()));
    let config = Arc::new(russh_config(host_key, &opts, &shared));
    match listener.local_addr() {
        Ok(a) => tracing::info!("SSH listening on {a}"),
        Err(e) => tracing::info!("SSH listening ({e})"),
    }
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            () = conn::wait_shutdown(&mut shutdown) => break,
            accepted = listener.accept() => match accepted {
                Ok((tcp, addr)) => {
                    if conns.len() >= MAX_CONNECTIONS {
                        tracing::warn!("SSH connection from {addr} refused: {MAX_CONNECTIONS} already open");
                        drop(tcp);
                        continue;
                    }
                    conns.spawn(conn::connection(
                        tcp,
                        addr,
                        config.clone(),
                        shared.clone(),
                        shutdown.clone(),
                    ));
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!("SSH accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    drop(listener);
    tracing::info!(
        "SSH stopped listening; closing {} connection(s)",
        conns.len()
    );
    while conns.join_next().await.is_some() {}
    Ok(())
}

fn russh_config(
    host_key: PrivateKey,
    opts: &SshOptions,
    shared: &conn::Shared,
) -> russh::server::Config {
    russh::server::Config {
        server_id: SshId::Standard(format!("SSH-2.0-dutydesk_{}", env!("CARGO_PKG_VERSION"))),
        methods: shared.methods(),
        auth_rejection_time: opts.reject_delay,
        // The "none" probe every client starts with is answered at once.
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![host_key],
        // Idle is measured on the client's input (see `conn`), not on all traffic.
        inactivity_timeout: None,
        keepalive_interval: Some(opts.keepalive),
        keepalive_max: 3,
        nodelay: true,
        ..Default::default()
    }
}
