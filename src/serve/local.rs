//! The local transport: a Unix socket in the data directory (`serve.sock`, mode 0600, so the
//! file's permissions are the authority). On the server machine, `dutydesk --data DIR ...`
//! finds it and runs its command through the server — or opens the TUI there — instead of
//! failing "in use"; it acts as the machine's administrator, under the officer's name.
//!
//! Frames both ways: a tag byte, a 4-byte little-endian length, the payload. The client
//! starts with a hello (JSON: what it wants); then stdin bytes, window sizes and end of input
//! go one way, stdout, stderr and the exit status the other.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;

use super::{Peer, SessionInput, SessionKind, SessionOutput, Sessions};
use crate::domain::Account;

const HELLO: u8 = 1;
const STDIN: u8 = 2;
const RESIZE: u8 = 3;
const EOF: u8 = 4;
const STDOUT: u8 = 5;
const STDERR: u8 = 6;
const EXIT: u8 = 7;

/// The most a frame may carry (a paste, a page of output).
const MAX_FRAME: u32 = 16 << 20;

/// What a local client asks for.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
enum Hello {
    Exec {
        args: Vec<String>,
        officer: String,
        cwd: Option<PathBuf>,
        stdin: Option<Vec<u8>>,
    },
    Tty {
        cols: u16,
        rows: u16,
        term: String,
        officer: String,
    },
}

/// The socket's place.
pub fn socket(dir: &Path) -> PathBuf {
    dir.join("serve.sock")
}

/// Listens on the data directory's socket until `stopping`, starting a session per client.
/// Binds the socket (owner only), replacing one left by a server that was killed: nobody
/// answers it, since the store lock held by this process says no other server runs here.
/// Inside the runtime, before the server says it is ready, so a client never finds it absent.
pub fn bind(dir: &Path) -> std::io::Result<tokio::net::UnixListener> {
    let path = socket(dir);
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

/// Serves commands on the bound socket until the server stops, then removes it.
pub async fn listen(
    listener: tokio::net::UnixListener,
    dir: &Path,
    sessions: Arc<dyn Sessions>,
    mut stopping: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let path = socket(dir);
    loop {
        tokio::select! {
            r = stopping.changed() => {
                if r.is_err() || *stopping.borrow() {
                    break;
                }
            }
            conn = listener.accept() => match conn {
                Ok((stream, _)) => {
                    let sessions = sessions.clone();
                    tokio::spawn(async move {
                        if let Err(e) = serve_client(stream, sessions).await {
                            tracing::debug!("local client: {e}");
                        }
                    });
                }
                Err(e) => tracing::warn!("local socket: {e}"),
            }
        }
    }
    let _ = std::fs::remove_file(&path);
    Ok(())
}

async fn read_frame<R: AsyncReadExt + Unpin>(r: &mut R) -> std::io::Result<(u8, Vec<u8>)> {
    let tag = r.read_u8().await?;
    let len = r.read_u32_le().await?;
    if len > MAX_FRAME {
        return Err(std::io::Error::other("frame too large"));
    }
    let mut b = vec![0u8; len as usize];
    r.read_exact(&mut b).await?;
    Ok((tag, b))
}

fn frame(tag: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(payload.len() + 5);
    f.push(tag);
    f.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    f.extend_from_slice(payload);
    f
}

async fn serve_client(
    stream: tokio::net::UnixStream,
    sessions: Arc<dyn Sessions>,
) -> std::io::Result<()> {
    let (mut rd, mut wr) = stream.into_split();
    let (tag, hello) = read_frame(&mut rd).await?;
    if tag != HELLO {
        return Err(std::io::Error::other("expected a hello"));
    }
    let hello: Hello = serde_json::from_slice(&hello).map_err(std::io::Error::other)?;
    let (officer, kind, stdin) = match hello {
        Hello::Exec {
            args,
            officer,
            cwd,
            stdin,
        } => (officer, SessionKind::Command { args, cwd }, stdin),
        Hello::Tty {
            cols,
            rows,
            term,
            officer,
        } => (officer, SessionKind::Tty { cols, rows, term }, None),
    };
    let peer = Peer {
        account: Account::local_admin(&officer),
        from: "local".into(),
    };
    let (out_tx, mut out_rx) = tokio::sync::mpsc::unbounded_channel();
    let input = sessions.start(peer, kind, out_tx);
    if let Some(b) = stdin {
        let _ = input.send(SessionInput::Data(b));
        let _ = input.send(SessionInput::Eof);
    }
    let reader = async move {
        while let Ok((tag, b)) = read_frame(&mut rd).await {
            let msg = match tag {
                STDIN => SessionInput::Data(b),
                RESIZE if b.len() == 4 => SessionInput::Resize {
                    cols: u16::from_le_bytes([b[0], b[1]]),
                    rows: u16::from_le_bytes([b[2], b[3]]),
                },
                EOF => SessionInput::Eof,
                _ => continue,
            };
            if input.send(msg).is_err() {
                break;
            }
        }
        // The client is gone: dropping `input` ends the session.
    };
    let writer = async move {
        while let Some(o) = out_rx.recv().await {
            let f = match &o {
                SessionOutput::Stdout(b) => frame(STDOUT, b),
                SessionOutput::Stderr(b) => frame(STDERR, b),
                SessionOutput::Exit(c) => frame(EXIT, &c.to_le_bytes()),
            };
            if wr.write_all(&f).await.is_err() {
                break;
            }
            if matches!(o, SessionOutput::Exit(_)) {
                let _ = wr.flush().await;
                break;
            }
        }
    };
    tokio::select! {
        _ = writer => {}
        _ = reader => {}
    }
    Ok(())
}

/// Connects to a server on `dir`, if one answers.
fn connect(dir: &Path) -> Option<std::os::unix::net::UnixStream> {
    let path = socket(dir);
    if !path.exists() {
        return None;
    }
    std::os::unix::net::UnixStream::connect(path).ok()
}

fn read_frame_sync(r: &mut impl Read) -> std::io::Result<(u8, Vec<u8>)> {
    let mut head = [0u8; 5];
    r.read_exact(&mut head)?;
    let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]);
    if len > MAX_FRAME {
        return Err(std::io::Error::other("frame too large"));
    }
    let mut b = vec![0u8; len as usize];
    r.read_exact(&mut b)?;
    Ok((head[0], b))
}

/// Runs a command line through the server on `dir`, if one runs; its exit status.
pub fn exec(dir: &Path, officer: &str, args: &[String]) -> Option<i32> {
    let mut s = connect(dir)?;
    let stdin = args.iter().any(|a| a == "--password-stdin").then(|| {
        let mut b = Vec::new();
        let _ = std::io::stdin().take(64 * 1024).read_to_end(&mut b);
        b
    });
    // The socket is the data directory's own: `--data` has done its work.
    let mut words = Vec::with_capacity(args.len());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--data" {
            it.next();
        } else if !a.starts_with("--data=") {
            words.push(a.clone());
        }
    }
    let hello = Hello::Exec {
        args: words,
        officer: officer.to_string(),
        cwd: std::env::current_dir().ok(),
        stdin,
    };
    let h = serde_json::to_vec(&hello).ok()?;
    s.write_all(&frame(HELLO, &h)).ok()?;
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    loop {
        match read_frame_sync(&mut s) {
            Ok((STDOUT, b)) => {
                let _ = out.write_all(&b);
            }
            Ok((STDERR, b)) => {
                let _ = err.write_all(&b);
            }
            Ok((EXIT, b)) if b.len() == 4 => {
                let _ = out.flush();
                return Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i32);
            }
            Ok(_) => {}
            Err(_) => {
                let _ = err.write_all(
                    "错误：与服务器的连接中断 (the connection to the server was lost)\n".as_bytes(),
                );
                return Some(1);
            }
        }
    }
}

/// Opens the TUI through the server on `dir`, if one runs: this terminal in raw mode, its
/// keys to the server, the server's frames to it; its exit status.
pub fn tty(dir: &Path, officer: &str) -> Option<i32> {
    let s = connect(dir)?;
    let (cols, rows) = crossterm::terminal::size().unwrap_or((80, 24));
    let hello = Hello::Tty {
        cols,
        rows,
        term: std::env::var("TERM").unwrap_or_default(),
        officer: officer.to_string(),
    };
    let h = serde_json::to_vec(&hello).ok()?;
    let mut w = s.try_clone().ok()?;
    w.write_all(&frame(HELLO, &h)).ok()?;
    /// Puts the terminal back however this ends.
    struct Raw;
    impl Drop for Raw {
        fn drop(&mut self) {
            let _ = crossterm::terminal::disable_raw_mode();
            let mut o = std::io::stdout();
            let _ = o.write_all(b"\x1b[?2004l\x1b[?25h\x1b[?1049l");
            let _ = o.flush();
        }
    }
    crossterm::terminal::enable_raw_mode().ok()?;
    let _raw = Raw;
    // Keys (and window sizes) go to the server from a thread of their own.
    let mut keys = w.try_clone().ok()?;
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin();
        let mut buf = [0u8; 4096];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = keys.write_all(&frame(EOF, &[]));
                    break;
                }
                Ok(n) => {
                    if keys.write_all(&frame(STDIN, &buf[..n])).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut sizes = w;
    std::thread::spawn(move || {
        let mut last = (cols, rows);
        loop {
            std::thread::sleep(std::time::Duration::from_millis(200));
            let now = crossterm::terminal::size().unwrap_or(last);
            if now != last {
                last = now;
                let mut b = Vec::with_capacity(4);
                b.extend_from_slice(&now.0.to_le_bytes());
                b.extend_from_slice(&now.1.to_le_bytes());
                if sizes.write_all(&frame(RESIZE, &b)).is_err() {
                    break;
                }
            }
        }
    });
    let mut r = s;
    let mut out = std::io::stdout();
    loop {
        match read_frame_sync(&mut r) {
            Ok((STDOUT, b)) | Ok((STDERR, b)) => {
                let _ = out.write_all(&b);
                let _ = out.flush();
            }
            Ok((EXIT, b)) if b.len() == 4 => {
                return Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i32)
            }
            Ok(_) => {}
            Err(_) => return Some(1),
        }
    }
}
