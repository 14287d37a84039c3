//! A private tmux server running the real binary for end-to-end tests: keys in with
//! send-keys, screen out with capture-pane, polling until text appears (never sleeping for a
//! fixed time), the program's pid, exit status and terminal settings recorded by its launch
//! script.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_dutydesk");
pub const NOW: &str = "2026-11-20T10:00:00";
static N: AtomicUsize = AtomicUsize::new(0);

/// Runs `dutydesk ARGS` on the store in `dir` at the tests' fixed time; its stdout, after
/// checking it succeeded.
pub fn cli(dir: &Path, args: &[&str]) -> String {
    let o = Command::new(BIN)
        .args(args)
        .env("DUTYDESK_DATA", dir)
        .env("DUTYDESK_NOW", NOW)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

pub struct Tmux {
    sock: String,
    /// The wrapping shell writes the program's exit status here.
    status: PathBuf,
}

impl Tmux {
    pub fn tmux(&self, args: &[&str]) -> String {
        let o = Command::new("tmux")
            .arg("-L")
            .arg(&self.sock)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Starts `dutydesk ARGS` in a private tmux server, 120×36.
    pub fn start(dir: &Path, args: &str) -> Tmux {
        Tmux::start_env(dir, "", args)
    }

    /// Starts any shell command line (e.g. `ssh -t …`) in a private tmux server of the given
    /// size; its exit status is recorded like dutydesk's.
    pub fn start_command(command: &str, cols: u16, rows: u16) -> Tmux {
        let t = Tmux::blank(cols, rows);
        let inner = t.status.with_extension("run.sh");
        let body = format!(
            "echo $$ > '{pid}'\nexec {command}\n",
            pid = t.status.with_extension("pid").display()
        );
        std::fs::write(&inner, body).expect("script written");
        t.launch(&inner);
        t
    }

    fn blank(cols: u16, rows: u16) -> Tmux {
        let sock = format!(
            "e2e-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let status = std::env::temp_dir().join(format!("{sock}.status"));
        let t = Tmux { sock, status };
        let ok = Command::new("tmux")
            .args(["-L", &t.sock, "-f", "/dev/null", "new-session", "-d", "-x"])
            .arg(cols.to_string())
            .arg("-y")
            .arg(rows.to_string())
            .arg("sleep 600")
            .status()
            .expect("tmux is installed");
        assert!(ok.success());
        t.tmux(&["set", "-s", "escape-time", "0"]);
        t
    }

    /// Runs the inner script through the outer one that records the exit status.
    fn launch(&self, inner: &Path) {
        let outer = self.status.with_extension("sh");
        let body = format!(
            "sh '{}'\ncode=$?\nstty -a > '{t}.tmp' 2>&1; mv '{t}.tmp' '{t}'\necho $code > '{s}.tmp' && mv '{s}.tmp' '{s}'\nexec sleep 600\n",
            inner.display(),
            t = self.status.with_extension("stty").display(),
            s = self.status.display()
        );
        std::fs::write(&outer, body).expect("script written");
        self.tmux(&["respawn-pane", "-k", &format!("sh '{}'", outer.display())]);
    }

    /// Like `start`, with `ENV` (`NAME=value ...`) added to dutydesk's environment.
    pub fn start_env(dir: &Path, env: &str, args: &str) -> Tmux {
        let t = Tmux::blank(120, 36);
        t.relaunch_env(dir, env, args);
        t
    }

    /// Runs `dutydesk ARGS` in the pane through a small script that records its exit status
    /// and then keeps the pane alive, so the screen can still be read after the program exits.
    pub fn relaunch(&self, dir: &Path, args: &str) {
        self.relaunch_env(dir, "", args);
    }

    /// Like `relaunch`, with `ENV` (`NAME=value ...`) added to dutydesk's environment. After
    /// dutydesk exits the script saves `stty -a` of the pane's terminal (read it with
    /// `stty`), then the exit status.
    pub fn relaunch_env(&self, dir: &Path, env: &str, args: &str) {
        let _ = std::fs::remove_file(&self.status);
        let _ = std::fs::remove_file(self.status.with_extension("pid"));
        let _ = std::fs::remove_file(self.status.with_extension("stty"));
        // The inner script records its pid and then becomes dutydesk (exec keeps the pid).
        let inner = self.status.with_extension("run.sh");
        let body = format!(
            "echo $$ > '{pid}'\nexec env DUTYDESK_DATA='{}' DUTYDESK_NOW={NOW} TERM=xterm-256color {env} '{BIN}' {args}\n",
            dir.display(),
            pid = self.status.with_extension("pid").display()
        );
        std::fs::write(&inner, body).expect("script written");
        self.launch(&inner);
    }

    /// The pane's terminal settings as `stty -a` printed them after dutydesk exited (call
    /// after `wait_exit`).
    pub fn stty(&self) -> String {
        std::fs::read_to_string(self.status.with_extension("stty")).expect("stty -a recorded")
    }

    /// Whether the pane is on the alternate screen (tmux's `alternate_on`).
    pub fn alternate_on(&self) -> bool {
        self.tmux(&["display", "-p", "#{alternate_on}"]).trim() == "1"
    }

    /// Asserts the terminal is back as the shell had it: main screen, canonical input, echo.
    pub fn assert_restored(&self) {
        assert!(!self.alternate_on(), "left on the alternate screen");
        let stty = self.stty();
        let flags: Vec<&str> = stty.split_whitespace().collect();
        for f in ["icanon", "echo"] {
            assert!(
                flags.contains(&f) && !flags.contains(&format!("-{f}").as_str()),
                "{f} is off after exit: {stty}"
            );
        }
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut a = vec!["send-keys"];
        a.extend_from_slice(keys);
        self.tmux(&a);
    }

    pub fn text(&self, s: &str) {
        self.tmux(&["send-keys", "-l", s]);
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    pub fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for {needle:?}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the program has exited; returns its status (128 + signal if killed).
    pub fn wait_exit(&self) -> i32 {
        let start = Instant::now();
        loop {
            if let Ok(s) = std::fs::read_to_string(&self.status) {
                if let Ok(code) = s.trim().parse() {
                    return code;
                }
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("the TUI did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen passes `check` (`what` names it for the failure message).
    #[allow(dead_code)]
    pub fn wait_until(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if check(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting until {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until one line holds all the needles; returns that line.
    pub fn wait_for_line(&self, needles: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if let Some(l) = s.lines().find(|l| needles.iter().all(|n| l.contains(n))) {
                return l.to_string();
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for a line with {needles:?}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The dutydesk process, as its launch script recorded it.
    pub fn program_pid(&self) -> i32 {
        std::fs::read_to_string(self.status.with_extension("pid"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .expect("dutydesk pid recorded")
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.sock, "kill-server"])
            .status();
        let _ = std::fs::remove_file(&self.status);
        for ext in ["sh", "run.sh", "pid", "stty"] {
            let _ = std::fs::remove_file(self.status.with_extension(ext));
        }
    }
}
