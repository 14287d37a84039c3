//! The shared desk (`dutydesk serve`): one process owns the store, and every desk, unit and
//! supervisor works at once through an SSH client, or through the socket in the data
//! directory on the server machine itself.
//!
//! The transports (SSH in `ssh`, the local socket in `local`) only authenticate and carry
//! bytes; a session (`session`) is the same whichever carries it: a full TUI on a pty, or one
//! command with its stdout, stderr and exit status.

pub mod access;
pub mod auth;
pub mod local;
pub mod service;
pub mod session;
pub mod ssh;

use tokio::sync::mpsc::UnboundedSender;

use crate::domain::Account;

/// What a client sends to its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionInput {
    /// Bytes typed (or pasted) at the client's terminal, or a command's stdin.
    Data(Vec<u8>),
    /// The client's window changed size.
    Resize { cols: u16, rows: u16 },
    /// The client has no more input (stdin closed).
    Eof,
}

/// What a session sends to its client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionOutput {
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
    /// The session is over, with this exit status; the transport closes the channel.
    Exit(u32),
}

/// What the client asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionKind {
    /// The full TUI on a terminal of this size (`term`: the client's TERM).
    Tty { cols: u16, rows: u16, term: String },
    /// One command line, as the client sent it (split as a POSIX shell would, never run by
    /// one).
    Exec { command: String },
    /// One command, already split into its words (a client on the server machine), with the
    /// directory its relative paths start from.
    Command {
        args: Vec<String>,
        cwd: Option<std::path::PathBuf>,
    },
}

/// Who is on the other end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub account: Account,
    /// The client's address, for the log (`127.0.0.1:53122`, `local`).
    pub from: String,
}

/// Starts sessions. Implemented by the server; the transports call it.
pub trait Sessions: Send + Sync + 'static {
    /// Starts a session for an authenticated peer. Everything it writes goes to `out`, ending
    /// with `SessionOutput::Exit`; the sender returned takes its input. When the client goes
    /// away the transport drops that sender, which ends the session.
    fn start(
        &self,
        peer: Peer,
        kind: SessionKind,
        out: UnboundedSender<SessionOutput>,
    ) -> UnboundedSender<SessionInput>;
}

/// The answer to a login attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthOutcome {
    Accepted(Account),
    /// No such account (said to the client the same way as a wrong key: only logged).
    Unknown,
    Disabled,
    /// The key or password is not one of this account's.
    Wrong,
}

/// Checks credentials against the accounts. Implemented by the server; SSH calls it.
pub trait Authenticator: Send + Sync + 'static {
    /// A public key offered for `user` (OpenSSH format, e.g. `ssh-ed25519 AAAA… comment`).
    fn check_key(&self, user: &str, openssh_key: &str) -> AuthOutcome;
    fn check_password(&self, user: &str, password: &str) -> AuthOutcome;
}
