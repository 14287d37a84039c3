//! The real terminal: raw mode and the alternate screen on the way in; on every way out (quit,
//! a signal, a lost terminal, a panic) put back without ever failing or panicking — after a
//! SIGHUP the terminal is gone and every write to it fails. Also the panic hook, which puts the
//! terminal back first and then writes the panic, with a backtrace, straight to the log file.

use std::io::{self, Stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::i18n::Lang;

/// Raw mode and the alternate screen are on (so restoring has something to do).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// The terminal the TUI draws on.
pub type Tty = Terminal<CrosstermBackend<TtyWriter>>;

/// Standard output that goes quiet once the terminal is gone: the first failed write is
/// reported (the loop learns the terminal was lost), later ones are dropped, so restoring the
/// terminal and dropping ratatui's `Terminal` (which shows the cursor, and prints to stderr if
/// it cannot) never fail at shutdown.
pub struct TtyWriter {
    out: Stdout,
    gone: bool,
}

impl TtyWriter {
    /// Notes a failure (other than an interrupted call, which is simply retried).
    fn check<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if r.as_ref()
            .is_err_and(|e| e.kind() != io::ErrorKind::Interrupted)
        {
            self.gone = true;
        }
        r
    }
}

impl Write for TtyWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.gone {
            return Ok(buf.len());
        }
        let r = self.out.write(buf);
        self.check(r)
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.gone {
            return Ok(());
        }
        let r = self.out.flush();
        self.check(r)
    }
}

/// Raw mode, the alternate screen, a cleared screen.
pub fn enter() -> io::Result<Tty> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    // Bracketed paste: a paste arrives as one event, never as keys.
    crossterm::execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    let mut t = Terminal::new(CrosstermBackend::new(TtyWriter { out, gone: false }))?;
    t.clear()?;
    Ok(t)
}

/// Leaves the alternate screen, turns raw mode off and shows the cursor. Safe to call any
/// number of times, from anywhere (the panic hook too); every error is ignored, since there is
/// nobody left to tell when the terminal itself is gone.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = crossterm::execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

/// Puts the terminal back when dropped, whichever way the TUI leaves.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Installs the hook every panic goes through: the terminal comes back first (so the officer
/// is not left in raw mode on a blank screen), then the panic and a backtrace are appended to
/// `log` synchronously (the tracing appender writes from a background thread that may never
/// run again), and one line on stderr says where the log is.
pub fn install_panic_hook(log: Option<PathBuf>, lang: Lang) {
    std::panic::set_hook(Box::new(move |info| {
        restore();
        let backtrace = std::backtrace::Backtrace::force_capture();
        let thread = std::thread::current();
        let record = panic_record(
            thread.name().unwrap_or("unnamed"),
            &info.to_string(),
            &backtrace.to_string(),
        );
        let logged = log.as_deref().is_some_and(|p| append(p, &record).is_ok());
        let line = match (&log, logged) {
            (Some(p), true) => format!(
                "{} {}",
                lang.pick(
                    "dutydesk 意外中止，详情已写入日志：",
                    "dutydesk stopped unexpectedly; details are in the log:"
                ),
                p.display()
            ),
            _ => format!(
                "{} {}",
                lang.pick("dutydesk 意外中止：", "dutydesk stopped unexpectedly:"),
                info.to_string().replace('\n', " ")
            ),
        };
        // Never `eprintln!`: it panics when stderr is gone too.
        let _ = writeln!(io::stderr(), "{line}");
    }));
}

/// The log record of a panic: when, which thread, the message, the backtrace.
pub fn panic_record(thread: &str, message: &str, backtrace: &str) -> String {
    format!(
        "{} PANIC thread '{thread}': {message}\nbacktrace:\n{backtrace}\n",
        chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f%:z"),
    )
}

/// Appends to the log file, creating it 0600, and flushes to disk.
pub fn append(path: &Path, text: &str) -> io::Result<()> {
    let mut f = open_log(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_data()
}

/// Opens the log file for appending; creates it readable by its owner only (it may quote
/// what officers typed), and narrows an existing file to that too.
pub fn open_log(path: &Path) -> io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
        o.mode(0o600);
        let f = o.open(path)?;
        if f.metadata()?.permissions().mode() & 0o077 != 0 {
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(f)
    }
    #[cfg(not(unix))]
    o.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panic_record_reaches_the_file_with_its_backtrace_and_the_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("dutydesk.log");
        std::fs::write(&p, "earlier line\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let bt = std::backtrace::Backtrace::force_capture().to_string();
        append(&p, &panic_record("main", "boom at src/x.rs:1:1", &bt)).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.starts_with("earlier line\n"), "appended: {text}");
        assert!(
            text.contains("PANIC thread 'main': boom at src/x.rs:1:1\nbacktrace:\n"),
            "{text}"
        );
        assert!(
            text.contains("the_panic_record_reaches_the_file"),
            "the backtrace names this test: {text}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_gone_terminal_fails_once_then_swallows_writes() {
        let mut w = TtyWriter {
            out: io::stdout(),
            gone: false,
        };
        let r: io::Result<usize> = w.check(Err(io::Error::from_raw_os_error(libc::EIO)));
        assert!(r.is_err(), "the first failure is reported");
        assert!(w.gone);
        assert_eq!(w.write(b"abc").unwrap(), 3, "later writes are dropped");
        w.flush().unwrap();
        // Restoring when nothing was entered does nothing and never fails.
        restore();
        restore();
    }
}
