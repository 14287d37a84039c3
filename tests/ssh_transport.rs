//! The SSH transport of `dutydesk serve` driven by the real OpenSSH client (`ssh`,
//! `ssh-keygen`, tmux for a terminal), against test sessions and a test authenticator: what
//! goes through (exec output, stderr and exit status; typed bytes and window changes on a
//! pty), what is refused (unknown, wrong, disabled; no pty; forwarding, subsystems), lockouts,
//! the host key across restarts, idle, back-pressure, shutdown. Every wait polls; nothing
//! sleeps for a fixed time.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use dutydesk::domain::{Account, Role};
use dutydesk::serve::ssh::{self, SshError, SshOptions, HOST_KEY_FILE};
use dutydesk::serve::{
    AuthOutcome, Authenticator, Peer, SessionInput, SessionKind, SessionOutput, Sessions,
};
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use tokio::sync::watch;

const WAIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------
// Keys, log, events

/// Client keys made once with ssh-keygen: alice, bob, carol (disabled), and three that are
/// nobody's.
struct Keys {
    dir: tempfile::TempDir,
    public: HashMap<String, String>,
}

impl Keys {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut public = HashMap::new();
        for name in ["alice", "bob", "carol", "stray1", "stray2", "stray3"] {
            let path = dir.path().join(name);
            let st = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
                .arg(&path)
                .status()
                .expect("ssh-keygen is installed (openssh-client)");
            assert!(st.success());
            let line = std::fs::read_to_string(path.with_extension("pub")).unwrap();
            public.insert(name.to_string(), key_id(&line));
        }
        Keys { dir, public }
    })
}

/// `TYPE BASE64` of an OpenSSH public key line (the comment dropped).
fn key_id(line: &str) -> String {
    line.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Everything the transport logs, for the tests that check what was logged.
fn log() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let w = buf.clone();
        let _ = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .with_writer(move || LogWriter(w.clone()))
            .try_init();
        buf
    })
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn wait_log(needles: &[&str]) -> String {
    poll(&format!("a log line with {needles:?}"), || {
        let text = String::from_utf8_lossy(&log().lock().unwrap()).into_owned();
        text.lines()
            .find(|l| needles.iter().all(|n| l.contains(n)))
            .map(str::to_string)
    })
}

/// What the test sessions report.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<String>>>);

impl Events {
    fn push(&self, s: String) {
        self.0.lock().unwrap().push(s);
    }
    fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
    fn wait(&self, needle: &str) -> String {
        poll(&format!("event {needle:?}"), || {
            self.all().into_iter().find(|e| e.contains(needle))
        })
    }
}

fn poll<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        if start.elapsed() > WAIT {
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ---------------------------------------------------------------------------------------
// Test sessions and authenticator

struct TestSessions {
    events: Events,
}

impl Sessions for TestSessions {
    fn start(
        &self,
        peer: Peer,
        kind: SessionKind,
        out: UnboundedSender<SessionOutput>,
    ) -> UnboundedSender<SessionInput> {
        let (tx, rx) = unbounded_channel();
        let events = self.events.clone();
        events.push(format!(
            "start {} from {} {kind:?}",
            peer.account.name, peer.from
        ));
        tokio::spawn(async move {
            match kind {
                SessionKind::Exec { command } => exec(&command, &peer, out, rx, events).await,
                SessionKind::Tty { cols, rows, term } => {
                    tty(cols, rows, &term, &peer, out, rx, events).await
                }
                // The local socket's kind: SSH never starts one.
                SessionKind::Command { .. } => {
                    let _ = out.send(SessionOutput::Exit(99));
                }
            }
        });
        tx
    }
}

type Input = tokio::sync::mpsc::UnboundedReceiver<SessionInput>;
type Out = UnboundedSender<SessionOutput>;

async fn exec(command: &str, peer: &Peer, out: Out, mut rx: Input, events: Events) {
    let words: Vec<&str> = command.split_whitespace().collect();
    let say = |s: String| {
        let _ = out.send(SessionOutput::Stdout(s.into_bytes()));
    };
    match words.first().copied() {
        Some("echo") => {
            say(format!("{}\n", words[1..].join(" ")));
            let _ = out.send(SessionOutput::Exit(0));
        }
        Some("fail") => {
            let _ = out.send(SessionOutput::Stderr(b"it failed\n".to_vec()));
            let _ = out.send(SessionOutput::Exit(3));
        }
        Some("whoami") => {
            say(format!("{} from {}\n", peer.account.name, peer.from));
            let _ = out.send(SessionOutput::Exit(0));
        }
        Some("cat") => {
            let mut got = Vec::new();
            while let Some(i) = rx.recv().await {
                match i {
                    SessionInput::Data(b) => got.extend(b),
                    SessionInput::Eof => break,
                    SessionInput::Resize { .. } => {}
                }
            }
            let _ = out.send(SessionOutput::Stdout(got));
            let _ = out.send(SessionOutput::Exit(0));
        }
        Some("burst") => {
            let mut left: usize = words[1].parse().unwrap();
            while left > 0 {
                let n = left.min(32 * 1024);
                let _ = out.send(SessionOutput::Stdout(vec![b'x'; n]));
                left -= n;
            }
            let _ = out.send(SessionOutput::Exit(0));
        }
        Some("flood") => {
            // 64 KiB every millisecond until the transport ends the session (at most 256 MiB).
            let mut tick = tokio::time::interval(Duration::from_millis(1));
            for _ in 0..4096 {
                tokio::select! {
                    i = rx.recv() => if i.is_none() {
                        events.push(format!("flood ended: input closed ({})", peer.from));
                        return;
                    },
                    _ = tick.tick() => {
                        if out.send(SessionOutput::Stdout(vec![b'y'; 64 * 1024])).is_err() {
                            events.push(format!("flood ended: output closed ({})", peer.from));
                            return;
                        }
                    }
                }
            }
            events.push("flood ran out".into());
        }
        Some("wait") => {
            while rx.recv().await.is_some() {}
            events.push(format!("wait ended ({})", peer.from));
        }
        _ => {
            let _ = out.send(SessionOutput::Stderr(b"unknown command\n".to_vec()));
            let _ = out.send(SessionOutput::Exit(127));
        }
    }
}

async fn tty(
    cols: u16,
    rows: u16,
    term: &str,
    peer: &Peer,
    out: Out,
    mut rx: Input,
    events: Events,
) {
    let say = |s: String| {
        let _ = out.send(SessionOutput::Stdout(s.into_bytes()));
    };
    say(format!("tty {cols}x{rows} {term}\r\n"));
    let mut typed = String::new();
    while let Some(i) = rx.recv().await {
        match i {
            SessionInput::Data(b) => {
                let s = String::from_utf8_lossy(&b).into_owned();
                if s.contains('q') {
                    say("bye\r\n".into());
                    let _ = out.send(SessionOutput::Exit(0));
                    events.push("tty quit".into());
                    return;
                }
                typed.push_str(&s);
                say(format!("typed: {typed}\r\n"));
            }
            SessionInput::Resize { cols, rows } => say(format!("size {cols}x{rows}\r\n")),
            SessionInput::Eof => {}
        }
    }
    events.push(format!("tty input closed ({})", peer.from));
}

/// alice and bob log in with their keys, carol is disabled, dave has a password.
struct TestAuth;

fn account(name: &str) -> Account {
    Account {
        name: name.to_string(),
        role: Role::Desk,
        unit: None,
        display: String::new(),
        disabled: false,
    }
}

impl Authenticator for TestAuth {
    fn check_key(&self, user: &str, openssh_key: &str) -> AuthOutcome {
        let offered = key_id(openssh_key);
        match user {
            "alice" | "bob" if keys().public[user] == offered => {
                AuthOutcome::Accepted(account(user))
            }
            "alice" | "bob" | "dave" => AuthOutcome::Wrong,
            "carol" => AuthOutcome::Disabled,
            _ => AuthOutcome::Unknown,
        }
    }

    fn check_password(&self, user: &str, password: &str) -> AuthOutcome {
        match user {
            "dave" if password == "s3cret" => AuthOutcome::Accepted(account(user)),
            "alice" | "bob" | "dave" => AuthOutcome::Wrong,
            "carol" => AuthOutcome::Disabled,
            _ => AuthOutcome::Unknown,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The server under test

struct Server {
    rt: tokio::runtime::Runtime,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    done: Option<tokio::task::JoinHandle<Result<(), SshError>>>,
    events: Events,
    fingerprint: String,
    known_hosts: PathBuf,
    _dir: tempfile::TempDir,
}

/// Test options: quick rejections, small limits.
fn opts() -> SshOptions {
    SshOptions {
        reject_delay: Duration::from_millis(10),
        ..SshOptions::default()
    }
}

impl Server {
    /// Serves on a listener bound to a free port of 127.0.0.1 (`serve`).
    fn start(data: &Path, opts: SshOptions) -> Server {
        log();
        let rt = runtime();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let listener = {
            let _g = rt.enter();
            tokio::net::TcpListener::from_std(listener).unwrap()
        };
        Server::launch(rt, addr, data, |key, sessions, rx| {
            Box::pin(ssh::serve(
                listener,
                key,
                sessions,
                Arc::new(TestAuth),
                opts,
                rx,
            ))
        })
    }

    /// Listens on a port picked beforehand (`run`), and polls until it accepts.
    fn run(data: &Path, opts: SshOptions) -> Server {
        log();
        let rt = runtime();
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let s = Server::launch(rt, addr, data, |key, sessions, rx| {
            Box::pin(ssh::run(addr, key, sessions, Arc::new(TestAuth), opts, rx))
        });
        poll("the server to accept", || {
            std::net::TcpStream::connect(addr).ok()
        });
        s
    }

    fn launch(
        rt: tokio::runtime::Runtime,
        addr: SocketAddr,
        data: &Path,
        serve: impl FnOnce(
            russh::keys::PrivateKey,
            Arc<dyn Sessions>,
            watch::Receiver<bool>,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<(), SshError>> + Send>,
        >,
    ) -> Server {
        let (key, fingerprint) = ssh::load_or_create_host_key(data).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let known_hosts = dir.path().join("known_hosts");
        std::fs::write(
            &known_hosts,
            format!(
                "[127.0.0.1]:{} {}\n",
                addr.port(),
                key.public_key().to_openssh().unwrap()
            ),
        )
        .unwrap();
        let events = Events::default();
        let sessions: Arc<dyn Sessions> = Arc::new(TestSessions {
            events: events.clone(),
        });
        let (shutdown, rx) = watch::channel(false);
        let done = rt.spawn(serve(key, sessions, rx));
        Server {
            rt,
            addr,
            shutdown,
            done: Some(done),
            events,
            fingerprint,
            known_hosts,
            _dir: dir,
        }
    }

    /// `ssh` to this server as `user` with `key` (the common options: no config, no agent,
    /// only this key, this server's host key pinned), `opts` first (ssh keeps the first value
    /// of an option); the remote command goes after.
    fn ssh(&self, user: &str, key: Option<&str>, opts: &[&str]) -> Command {
        let mut c = Command::new("ssh");
        c.args(opts);
        c.args(["-F", "/dev/null", "-p"])
            .arg(self.addr.port().to_string())
            .args([
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "IdentityAgent=none",
                "-o",
                "ControlPath=none",
                "-o",
                "ConnectTimeout=10",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "BatchMode=yes",
            ])
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", self.known_hosts.display()));
        match key {
            Some(k) => {
                c.arg("-i").arg(keys().path(k));
            }
            None => {
                c.args(["-o", "PubkeyAuthentication=no"]);
            }
        }
        c.arg(format!("{user}@127.0.0.1"));
        c
    }

    /// Stops the server and waits for `run` to return.
    fn stop(mut self) -> Result<(), SshError> {
        self.shutdown.send(true).unwrap();
        let done = self.done.take().unwrap();
        self.rt
            .block_on(async { tokio::time::timeout(WAIT, done).await })
            .expect("the server stops in time")
            .expect("the server task did not panic")
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `cmd` to the end (feeding it `stdin`), killing it if it takes longer than `WAIT`.
fn output(cmd: &mut Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssh runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let o = std::thread::spawn(move || {
        let mut b = Vec::new();
        out.read_to_end(&mut b).map(|_| b)
    });
    let e = std::thread::spawn(move || {
        let mut b = Vec::new();
        err.read_to_end(&mut b).map(|_| b)
    });
    let status = wait_child(&mut child);
    Output {
        status,
        stdout: o.join().unwrap().unwrap(),
        stderr: e.join().unwrap().unwrap(),
    }
}

fn wait_child(child: &mut Child) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        if start.elapsed() > WAIT {
            let _ = child.kill();
            panic!("ssh did not finish in {WAIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// An exec as `user` with `key` from `source` (`-b`): its output.
fn exec_from(s: &Server, source: &str, user: &str, key: &str, command: &str) -> Output {
    output(s.ssh(user, Some(key), &["-b", source]).arg(command), b"")
}

// ---------------------------------------------------------------------------------------
// Tests

#[test]
fn exec_carries_stdout_stderr_exit_status_and_stdin() {
    let data = tempfile::tempdir().unwrap();
    let s = Server::start(
        data.path(),
        SshOptions {
            output_cap: 256 * 1024,
            ..opts()
        },
    );

    let o = output(
        s.ssh("alice", Some("alice"), &[]).arg("echo 你好 world"),
        b"",
    );
    assert_eq!(text(&o.stdout), "你好 world\n", "{}", text(&o.stderr));
    assert_eq!(o.status.code(), Some(0));

    let o = output(s.ssh("alice", Some("alice"), &[]).arg("fail"), b"");
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(text(&o.stdout), "");
    assert_eq!(text(&o.stderr), "it failed\n");

    let o = output(
        s.ssh("alice", Some("alice"), &[]).arg("cat"),
        "输入 stdin\n".as_bytes(),
    );
    assert_eq!(text(&o.stdout), "输入 stdin\n");
    assert_eq!(o.status.code(), Some(0));

    // The peer is the account and the client's socket address.
    let o = output(s.ssh("bob", Some("bob"), &[]).arg("whoami"), b"");
    let who = text(&o.stdout);
    assert!(who.starts_with("bob from 127.0.0.1:"), "{who}");
    let port: u16 = who.trim().rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, s.addr.port());

    // The raw command string reaches the session as it was sent.
    s.events.wait("Exec { command: \"echo 你好 world\" }");

    // A command that is not UTF-8: exit status 2 and a message; no session starts.
    let before = s.events.all().len();
    let o = output(
        s.ssh("alice", Some("alice"), &[])
            .arg(std::ffi::OsStr::from_bytes(b"echo \xff\xfe")),
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("UTF-8"), "{}", text(&o.stderr));
    assert_eq!(s.events.all().len(), before);

    // A burst well over the output cap reaches a client that reads it, whole.
    let o = output(s.ssh("alice", Some("alice"), &[]).arg("burst 3000000"), b"");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(o.stdout.len(), 3_000_000);
    s.stop().unwrap();
}

#[test]
fn a_shell_needs_a_pty_and_other_requests_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let s = Server::start(data.path(), opts());

    // ssh -T: a shell without a terminal.
    let o = output(&mut s.ssh("alice", Some("alice"), &["-T"]), b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("ssh -t"), "{}", text(&o.stderr));

    // A subsystem (sftp).
    let o = output(s.ssh("alice", Some("alice"), &["-s"]).arg("sftp"), b"");
    assert_ne!(o.status.code(), Some(0));
    assert!(
        text(&o.stderr).contains("subsystem request failed"),
        "{}",
        text(&o.stderr)
    );

    // Forwarding: a direct TCP channel (-W) and a remote listener (-R).
    let o = output(
        &mut s.ssh("alice", Some("alice"), &["-W", "127.0.0.1:9"]),
        b"",
    );
    assert_eq!(o.status.code(), Some(255), "{}", text(&o.stderr));
    let o = output(
        &mut s.ssh(
            "alice",
            Some("alice"),
            &[
                "-N",
                "-o",
                "ExitOnForwardFailure=yes",
                "-R",
                "0:127.0.0.1:9",
            ],
        ),
        b"",
    );
    assert_eq!(o.status.code(), Some(255));
    assert!(
        text(&o.stderr).contains("forwarding failed"),
        "{}",
        text(&o.stderr)
    );
    // An environment variable sent along is ignored; the command still runs.
    let o = output(
        s.ssh("alice", Some("alice"), &["-o", "SetEnv=DUTYDESK_X=1"])
            .arg("echo still"),
        b"",
    );
    assert_eq!(text(&o.stdout), "still\n");

    assert!(
        s.events.all().iter().all(|e| !e.contains("Tty")),
        "{:?}",
        s.events.all()
    );
    s.stop().unwrap();
}

#[test]
fn a_pty_session_gets_typed_bytes_and_window_changes() {
    let data = tempfile::tempdir().unwrap();
    let s = Server::start(data.path(), opts());
    let line = shell_line(&s.ssh("alice", Some("alice"), &["-tt"]));
    let t = Tmux::start(&format!("{line}; echo EXIT=$?; sleep 600"));

    let screen = t.wait_for("tty 100x30");
    assert!(
        screen.contains("tty 100x30 tmux") || screen.contains("tty 100x30 screen"),
        "{screen}"
    );
    t.text("hello 值班");
    t.wait_for("typed: hello 值班");
    t.tmux(&["resize-window", "-x", "90", "-y", "20"]);
    t.wait_for("size 90x20");
    t.text("q");
    t.wait_for("bye");
    t.wait_for("EXIT=0");
    s.events.wait("tty quit");
    s.stop().unwrap();
}

#[test]
fn unknown_wrong_and_disabled_are_refused_and_logged() {
    let data = tempfile::tempdir().unwrap();
    let s = Server::start(data.path(), opts());
    let refused = |o: &Output| {
        assert_eq!(o.status.code(), Some(255), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("Permission denied"),
            "{}",
            text(&o.stderr)
        );
    };
    refused(&output(
        s.ssh("mallory", Some("stray1"), &[]).arg("echo x"),
        b"",
    ));
    wait_log(&["SSH login failed", "\"mallory\"", "unknown account"]);
    refused(&output(s.ssh("alice", Some("bob"), &[]).arg("echo x"), b""));
    wait_log(&["SSH login failed", "\"alice\"", "wrong key"]);
    refused(&output(
        s.ssh("carol", Some("carol"), &[]).arg("echo x"),
        b"",
    ));
    wait_log(&["SSH login failed", "\"carol\"", "account disabled"]);
    // No key at all: "none" is never accepted, and password needs one.
    refused(&output(s.ssh("alice", None, &[]).arg("echo x"), b""));
    assert!(s.events.all().is_empty(), "{:?}", s.events.all());

    // A password, for the account that has one.
    let o = output(password(&s, "dave", "s3cret", 1, &[]).arg("whoami"), b"");
    assert!(
        text(&o.stdout).starts_with("dave from"),
        "{}",
        text(&o.stderr)
    );
    let o = output(password(&s, "dave", "guess", 1, &[]).arg("whoami"), b"");
    refused(&o);
    wait_log(&["SSH login failed", "\"dave\"", "wrong password"]);
    s.stop().unwrap();
}

#[test]
fn passwords_can_be_turned_off() {
    let data = tempfile::tempdir().unwrap();
    let s = Server::start(
        data.path(),
        SshOptions {
            passwords: false,
            ..opts()
        },
    );
    let o = output(password(&s, "dave", "s3cret", 1, &[]).arg("whoami"), b"");
    assert_eq!(o.status.code(), Some(255), "{}", text(&o.stdout));
    s.stop().unwrap();
}

/// `ssh` logging in by password through an askpass script.
fn password(s: &Server, user: &str, pw: &str, prompts: u32, opts: &[&str]) -> Command {
    static ASKPASS: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = ASKPASS.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("askpass");
        std::fs::write(&p, "#!/bin/sh\nprintf '%s\\n' \"$TEST_PASSWORD\"\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        d
    });
    let mut c = Command::new("ssh");
    c.args(opts);
    c.args(["-F", "/dev/null", "-p"])
        .arg(s.addr.port().to_string())
        .args([
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "PubkeyAuthentication=no",
            "-o",
            "PreferredAuthentications=password",
            "-o",
            "ControlPath=none",
            "-o",
            "LogLevel=ERROR",
        ])
        .arg("-o")
        .arg(format!("NumberOfPasswordPrompts={prompts}"))
        .arg("-o")
        .arg(format!("UserKnownHostsFile={}", s.known_hosts.display()))
        .arg(format!("{user}@127.0.0.1"))
        .env("SSH_ASKPASS", dir.path().join("askpass"))
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("DISPLAY", ":0")
        .env("TEST_PASSWORD", pw);
    c
}

#[test]
fn failures_lock_out_the_address_and_the_account_for_longer_each_time() {
    let data = tempfile::tempdir().unwrap();
    let lockout = Duration::from_secs(2);
    let s = Server::start(
        data.path(),
        SshOptions {
            max_failures: 3,
            lockout,
            ..opts()
        },
    );
    let ok = |o: &Output| o.status.code() == Some(0);

    // Three connections offering a wrong key for alice from 127.0.0.1. The lockout starts
    // after the third begins, so it cannot have ended before `locked_at + lockout`.
    let mut locked_at = Instant::now();
    for _ in 0..3 {
        locked_at = Instant::now();
        assert!(!ok(&exec_from(
            &s,
            "127.0.0.1",
            "alice",
            "stray1",
            "echo x"
        )));
    }
    wait_log(&["locked out for 2 s", "address 127.0.0.1"]);
    // Now even the right key is refused, from that address (the banner saying why shows at
    // LogLevel INFO) ...
    let o = output(
        s.ssh(
            "alice",
            Some("alice"),
            &["-o", "LogLevel=INFO", "-b", "127.0.0.1"],
        )
        .arg("echo x"),
        b"",
    );
    assert!(!ok(&o));
    assert!(
        text(&o.stderr).contains("Too many failed logins"),
        "{}",
        text(&o.stderr)
    );
    // ... and for that account from anywhere.
    assert!(!ok(&exec_from(&s, "127.0.0.2", "alice", "alice", "echo x")));
    wait_log(&["login refused", "\"alice\"", "account locked out"]);
    // Another account from another address is not affected.
    let o = exec_from(&s, "127.0.0.2", "bob", "bob", "whoami");
    assert!(
        text(&o.stdout).starts_with("bob from 127.0.0.2:"),
        "{}",
        text(&o.stderr)
    );

    // The account opens again after the lockout (attempts while locked are not counted).
    poll("alice to log in again", || {
        ok(&exec_from(&s, "127.0.0.2", "alice", "alice", "echo x")).then_some(())
    });
    let first = locked_at.elapsed();
    assert!(first >= lockout, "the first lockout lasted {first:?}");
    // The address too.
    poll("127.0.0.1 to be let in again", || {
        ok(&exec_from(&s, "127.0.0.1", "bob", "bob", "echo x")).then_some(())
    });

    // Three more failures from the address: the second lockout is twice as long.
    for _ in 0..3 {
        locked_at = Instant::now();
        assert!(!ok(&exec_from(
            &s,
            "127.0.0.1",
            "nobody",
            "stray2",
            "echo x"
        )));
    }
    wait_log(&["locked out for 4 s", "address 127.0.0.1"]);
    poll("127.0.0.1 to be let in after the second lockout", || {
        ok(&exec_from(&s, "127.0.0.1", "bob", "bob", "echo x")).then_some(())
    });
    let second = locked_at.elapsed();
    assert!(
        second >= 2 * lockout,
        "the second lockout lasted {second:?}"
    );
    s.stop().unwrap();
}

#[test]
fn many_keys_do_not_lock_out_and_wrong_passwords_count_each() {
    let data = tempfile::tempdir().unwrap();
    let s = Server::start(
        data.path(),
        SshOptions {
            max_failures: 3,
            lockout: Duration::from_secs(60),
            ..opts()
        },
    );
    // An agent's worth of keys, the right one last, four times over: never locked out.
    for _ in 0..4 {
        let mut opts = vec!["-b", "127.0.0.3"];
        let paths: Vec<String> = ["stray1", "stray2", "stray3"]
            .iter()
            .map(|k| keys().path(k).display().to_string())
            .collect();
        for p in &paths {
            opts.extend(["-i", p.as_str()]);
        }
        // ssh offers its -i keys in order: stray1, stray2, stray3, then alice's.
        let o = output(s.ssh("alice", Some("alice"), &opts).arg("echo in"), b"");
        assert_eq!(text(&o.stdout), "in\n", "{}", text(&o.stderr));
    }

    // Three wrong passwords on one connection lock out dave (and the address) at once.
    let o = output(
        password(&s, "dave", "guess", 3, &["-b", "127.0.0.4"]).arg("whoami"),
        b"",
    );
    assert_eq!(o.status.code(), Some(255));
    wait_log(&["locked out for 60 s", "account \"dave\""]);
    let o = output(
        password(&s, "dave", "s3cret", 1, &["-b", "127.0.0.5"]).arg("whoami"),
        b"",
    );
    assert_eq!(
        o.status.code(),
        Some(255),
        "dave is locked out: {}",
        text(&o.stdout)
    );
    s.stop().unwrap();
}

#[test]
fn the_host_key_persists_private_with_the_fingerprint_ssh_keygen_prints() {
    let data = tempfile::tempdir().unwrap();
    let s = Server::start(data.path(), opts());
    let first = s.fingerprint.clone();
    let known_hosts = std::fs::read_to_string(&s.known_hosts).unwrap();
    s.stop().unwrap();

    let path = data.path().join(HOST_KEY_FILE);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let o = Command::new("ssh-keygen")
        .arg("-l")
        .arg("-f")
        .arg(&path)
        .output()
        .unwrap();
    let listed = text(&o.stdout);
    assert!(listed.contains(&first), "{listed} vs {first}");
    assert!(listed.contains("ED25519"), "{listed}");
    assert_eq!(ssh::fingerprint(data.path()).unwrap(), first);

    // Restarted: the same key, which a client that pinned it accepts.
    let s = Server::start(data.path(), opts());
    assert_eq!(s.fingerprint, first);
    let pinned = known_hosts
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ");
    std::fs::write(
        &s.known_hosts,
        format!("[127.0.0.1]:{} {pinned}\n", s.addr.port()),
    )
    .unwrap();
    let o = output(s.ssh("alice", Some("alice"), &[]).arg("echo pinned"), b"");
    assert_eq!(text(&o.stdout), "pinned\n", "{}", text(&o.stderr));
    s.stop().unwrap();
}

#[test]
fn a_host_key_that_cannot_be_used_is_an_error_naming_the_file() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join(HOST_KEY_FILE);
    let keygen = |args: &[&str]| {
        let _ = std::fs::remove_file(&path);
        let st = Command::new("ssh-keygen")
            .args(["-q", "-f"])
            .arg(&path)
            .args(args)
            .status()
            .unwrap();
        assert!(st.success());
    };
    let check = |needle: &str| {
        let msg = ssh::load_or_create_host_key(data.path())
            .map(|(_, fp)| fp)
            .expect_err("refused")
            .to_string();
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(msg.contains(needle), "{msg}");
    };
    keygen(&["-t", "ecdsa", "-N", ""]);
    check("not Ed25519");
    keygen(&["-t", "ed25519", "-N", "passphrase"]);
    check("passphrase");
    std::fs::write(&path, "-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n").unwrap();
    check("damaged");
    // Never replaced.
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n"
    );
}

#[test]
fn an_idle_connection_is_closed() {
    let data = tempfile::tempdir().unwrap();
    let idle = Duration::from_millis(800);
    let s = Server::start(data.path(), SshOptions { idle, ..opts() });
    let mut child = s
        .ssh("alice", Some("alice"), &[])
        .arg("wait")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    s.events.wait("Exec { command: \"wait\" }");
    // Nothing is typed: the server closes the connection, which ends the session.
    wait_child(&mut child);
    s.events.wait("wait ended");
    assert!(started.elapsed() >= idle, "{:?}", started.elapsed());
    wait_log(&["closed: no input for"]);
    s.stop().unwrap();
}

#[test]
fn a_client_that_stops_reading_loses_its_session_and_stalls_nobody() {
    let data = tempfile::tempdir().unwrap();
    let s = Server::start(
        data.path(),
        SshOptions {
            output_cap: 64 * 1024,
            output_stall: Duration::from_millis(300),
            ..opts()
        },
    );
    // Its stdout is a pipe nobody reads.
    let mut stuck = s
        .ssh("alice", Some("alice"), &["-b", "127.0.0.6"])
        .arg("flood")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The transport drops the session's input and output together; either may be seen first.
    let ended = s.events.wait("flood ended: ");
    assert!(ended.contains("(127.0.0.6"), "{ended}");
    wait_log(&["wait for a client", "the session is ended"]);
    // Meanwhile, and after, everyone else is served.
    let o = output(s.ssh("bob", Some("bob"), &[]).arg("echo fine"), b"");
    assert_eq!(text(&o.stdout), "fine\n");
    let _ = stuck.kill();
    let _ = stuck.wait();
    s.stop().unwrap();
}

#[test]
fn shutdown_closes_sessions_and_stops_accepting() {
    let data = tempfile::tempdir().unwrap();
    let s = Server::run(data.path(), opts());
    let mut child = s
        .ssh("alice", Some("alice"), &["-tt"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    s.events.wait("Tty");
    let addr = s.addr;
    let events = s.events.clone();
    s.stop().unwrap();
    events.wait("tty input closed");
    wait_child(&mut child);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still accepting after shutdown"
    );
}

// ---------------------------------------------------------------------------------------
// A terminal: a private tmux server

/// `cmd` as one shell line.
fn shell_line(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts
        .iter()
        .map(|p| format!("'{}'", p.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ")
}

struct Tmux {
    sock: String,
}

impl Tmux {
    /// Runs `line` in a private tmux server, 100×30.
    fn start(line: &str) -> Tmux {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let sock = format!(
            "ssh-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let t = Tmux { sock };
        let st = Command::new("tmux")
            .args(["-L", &t.sock, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", "100", "-y", "30", line])
            .status()
            .expect("tmux is installed");
        assert!(st.success());
        t.tmux(&["set", "-s", "escape-time", "0"]);
        t
    }

    fn tmux(&self, args: &[&str]) -> String {
        let o = Command::new("tmux")
            .arg("-L")
            .arg(&self.sock)
            .args(args)
            .output()
            .unwrap();
        text(&o.stdout)
    }

    fn text(&self, s: &str) {
        self.tmux(&["send-keys", "-l", s]);
    }

    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.tmux(&["capture-pane", "-p"]);
            if s.contains(needle) {
                return s;
            }
            if start.elapsed() > WAIT {
                panic!("timed out waiting for {needle:?}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.sock, "kill-server"])
            .status();
    }
}
