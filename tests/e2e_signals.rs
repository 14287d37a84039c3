//! End-to-end: every way the TUI can be stopped from outside — SIGTERM, SIGHUP, SIGINT,
//! SIGQUIT, the terminal itself going away, a panic — puts the terminal back (main screen,
//! canonical input, echo) and keeps what the officer had typed: the handover notes in the
//! shift, the intake form in the drafts file, given back at the next sign-in.

mod tmux;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use tmux::{Tmux, BIN, NOW};

const NOTES: &str = "戴卡续贷周一回访，长安";
const DESCRIPTION: &str = "扩产急需流动资金八百万";

fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env("DUTYDESK_DATA", dir)
        .env("DUTYDESK_NOW", NOW)
        .output()
        .unwrap()
}

fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let f = format!("{}/tests/fixtures/search.csv", env!("CARGO_MANIFEST_DIR"));
    let o = cli(dir.path(), &["enterprise", "import", &f]);
    assert!(o.status.success());
    dir
}

/// The open shift's notes as the store has them (`dutydesk handover` shows the open shift),
/// polling while the store is still held by a process on its way out.
fn stored_notes(dir: &Path) -> String {
    let start = Instant::now();
    loop {
        let o = cli(dir, &["handover", "--format", "json"]);
        if o.status.success() {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(v["signed_off"], false, "the shift is still open: {v}");
            return v["notes"].as_str().unwrap_or_default().to_string();
        }
        if start.elapsed() > Duration::from_secs(20) {
            panic!("store never freed: {}", String::from_utf8_lossy(&o.stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Signs in as 张敏, starts an intake for 戴卡 with a description, leaves it open for the
/// handover screen and half types the notes there.
fn type_drafts(t: &Tmux) {
    t.wait_for("值班签到");
    t.text("张敏");
    t.keys(&["Enter"]);
    t.wait_for("需要处理");
    t.keys(&["n"]);
    t.wait_for("登记新问题");
    t.text("cqdk");
    t.wait_for("重庆戴卡捷力轮毂制造有限公司");
    t.keys(&["Enter"]);
    t.wait_for("✓ ");
    t.keys(&["Tab", "Tab", "Tab", "Tab"]);
    t.text(DESCRIPTION);
    t.wait_for(DESCRIPTION);
    t.keys(&["F6"]);
    t.wait_for("给下一班的留言");
    t.text(NOTES);
    t.wait_for(NOTES);
}

/// The same officer signs in again: the footer says a draft was kept and the intake form
/// opens with it.
fn intake_draft_comes_back(t: &Tmux, dir: &Path) {
    t.relaunch(dir, "");
    t.wait_for("值班签到");
    t.text("张敏");
    t.keys(&["Enter"]);
    t.wait_for("已恢复未提交的草稿：登记新问题");
    t.keys(&["n"]);
    t.wait_for("已恢复上次未提交的内容");
    t.wait_for_line(&["问题描述", DESCRIPTION]);
    t.wait_for("✓ 91500107J19Q0TU8FF");
    // The resumed shift has the notes too.
    t.keys(&["F6"]);
    t.wait_for_line(&["给下一班的留言", NOTES]);
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
}

fn signal_keeps_everything(sig: i32) {
    let dir = store();
    let t = Tmux::start(dir.path(), "");
    type_drafts(&t);
    unsafe { libc::kill(t.program_pid(), sig) };
    assert_eq!(t.wait_exit(), 128 + sig, "exit status 128 + signal");
    t.assert_restored();
    assert_eq!(stored_notes(dir.path()), NOTES);
    let drafts = dir.path().join("drafts.json");
    let text = std::fs::read_to_string(&drafts).expect("drafts file written");
    assert!(text.contains(DESCRIPTION), "{text}");
    assert!(!text.contains(NOTES), "the notes went to the store: {text}");
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&drafts).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "drafts hold phone numbers");
    }
    intake_draft_comes_back(&t, dir.path());
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_drafts() {
    signal_keeps_everything(libc::SIGTERM);
}

#[test]
fn sighup_restores_the_terminal_and_keeps_the_drafts() {
    signal_keeps_everything(libc::SIGHUP);
}

#[test]
fn sigint_from_kill_restores_the_terminal_and_keeps_the_drafts() {
    // In raw mode Ctrl-C is a key; `kill -INT` must still end the TUI cleanly.
    signal_keeps_everything(libc::SIGINT);
}

#[test]
fn sigquit_restores_the_terminal_and_keeps_the_drafts() {
    signal_keeps_everything(libc::SIGQUIT);
}

#[test]
fn quitting_keeps_the_drafts_too() {
    let dir = store();
    let t = Tmux::start(dir.path(), "");
    type_drafts(&t);
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
    assert_eq!(stored_notes(dir.path()), NOTES);
    intake_draft_comes_back(&t, dir.path());
}

/// Waits until the log has a line with `needle`; returns the whole log.
fn wait_for_log(dir: &Path, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let log = std::fs::read_to_string(dir.join("dutydesk.log")).unwrap_or_default();
        if log.contains(needle) {
            return log;
        }
        if start.elapsed() > Duration::from_secs(20) {
            panic!("no {needle:?} in the log:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_terminal_that_goes_away_loses_nothing_and_panics_nowhere() {
    let dir = store();
    let t = Tmux::start(dir.path(), "");
    type_drafts(&t);
    // The pane's terminal is closed under the program, as when an SSH session drops; a
    // second window keeps the tmux server up.
    t.tmux(&["new-window", "-d", "sleep 600"]);
    t.tmux(&["kill-pane", "-t", ":0.0"]);
    let log = wait_for_log(dir.path(), "tui stopped");
    assert!(!log.contains("PANIC"), "{log}");
    assert!(log.contains("tui stopped: Ok("), "{log}");
    assert_eq!(stored_notes(dir.path()), NOTES);
    let drafts = std::fs::read_to_string(dir.path().join("drafts.json")).unwrap();
    assert!(drafts.contains(DESCRIPTION), "{drafts}");
}

#[test]
fn a_panic_restores_the_terminal_keeps_the_drafts_and_is_logged_with_a_backtrace() {
    let dir = store();
    let t = Tmux::start_env(dir.path(), "DUTYDESK_DEBUG_PANIC_KEY=f12", "");
    type_drafts(&t);
    t.keys(&["F12"]);
    assert_eq!(t.wait_exit(), 101);
    t.assert_restored();
    // One line on stderr says where the log is.
    let log_file = dir.path().join("dutydesk.log");
    t.wait_for("详情已写入日志");
    t.wait_for("dutydesk.log");
    let log = std::fs::read_to_string(&log_file).unwrap();
    assert!(
        log.contains("PANIC thread 'main'") && log.contains("DUTYDESK_DEBUG_PANIC_KEY"),
        "{log}"
    );
    let backtrace = &log[log.find("backtrace:").expect("a backtrace")..];
    assert!(backtrace.contains("runtime::drive"), "{backtrace}");
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&log_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(stored_notes(dir.path()), NOTES);
    intake_draft_comes_back(&t, dir.path());
}
