//! Whole-process figures: the time a user waits for a command, from start to exit, and for
//! the TUI from launch to the sign-in screen (driven through tmux, as a terminal would),
//! with the TUI's memory once it is up.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Times `dutydesk ARGS` on `dir`, `n` times (stdout discarded). The first run is a warm-up.
pub fn command(
    exe: &Path,
    dir: &Path,
    now: &str,
    args: &[&str],
    n: usize,
) -> Option<Vec<Duration>> {
    let data = dir.display().to_string();
    let all: Vec<&str> = ["--data", data.as_str()]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    timed(exe, &all, &[("DUTYDESK_NOW", now)], n)
}

/// Times `program ARGS` `n` times (after one warm-up), with `env` set and output discarded.
pub fn timed(
    program: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    n: usize,
) -> Option<Vec<Duration>> {
    let run = || -> Option<Duration> {
        let t = Instant::now();
        let ok = Command::new(program)
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?
            .success();
        ok.then(|| t.elapsed())
    };
    run()?;
    (0..n).map(|_| run()).collect()
}

/// Launch → sign-in screen through tmux, `n` times; also the TUI's resident memory (MiB) at
/// sign-in. None when tmux is not installed.
pub fn tui_launch(exe: &Path, dir: &Path, now: &str, n: usize) -> Option<(Vec<Duration>, f64)> {
    let tmux = |sock: &str, args: &[&str]| -> Option<String> {
        let o = Command::new("tmux")
            .args(["-L", sock, "-f", "/dev/null"])
            .args(args)
            .output()
            .ok()?;
        Some(String::from_utf8_lossy(&o.stdout).into_owned())
    };
    tmux("dutydesk-bench-probe", &["-V"])?;
    let mut samples = Vec::new();
    let mut mem = 0.0f64;
    for k in 0..=n {
        let sock = format!("dutydesk-bench-{}-{k}", std::process::id());
        let cmd = format!(
            "exec env DUTYDESK_NOW={now} TERM=xterm-256color '{}' --data '{}'",
            exe.display(),
            dir.display()
        );
        let t = Instant::now();
        tmux(&sock, &["new-session", "-d", "-x", "160", "-y", "48", &cmd])?;
        let mut up = None;
        while t.elapsed() < Duration::from_secs(60) {
            let screen = tmux(&sock, &["capture-pane", "-p"]).unwrap_or_default();
            // The sign-in form's title, in either language.
            if screen.contains("值班签到") || screen.contains("Sign in") {
                up = Some(t.elapsed());
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let pid = tmux(&sock, &["list-panes", "-F", "#{pane_pid}"])
            .and_then(|s| s.trim().parse::<u32>().ok());
        if let Some(pid) = pid {
            mem = mem.max(resident_mib(pid).unwrap_or(0.0));
        }
        let _ = tmux(&sock, &["kill-server"]);
        // The next launch must find the store free again.
        if let Some(pid) = pid {
            let gone = Instant::now();
            while running(pid) && gone.elapsed() < Duration::from_secs(10) {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        // The first launch warms the page cache; it is not counted.
        if k > 0 {
            samples.push(up?);
        }
    }
    Some((samples, mem))
}

/// Whether a process is still running (a zombie waiting to be reaped is not).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit(')').next().map(|r| r.trim_start().to_string()))
        .is_some_and(|r| !r.starts_with('Z') && !r.starts_with('X'))
}

/// Resident memory of a process, in MiB (VmRSS).
pub fn resident_mib(pid: u32) -> Option<f64> {
    status_mib(pid, "VmRSS:")
}

/// The most a process has held resident, in MiB (VmHWM).
pub fn peak_mib(pid: u32) -> Option<f64> {
    status_mib(pid, "VmHWM:")
}

fn status_mib(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Bytes under a directory.
pub fn du(path: &Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => m.len(),
        Ok(m) if m.is_dir() => std::fs::read_dir(path)
            .map(|rd| rd.flatten().map(|e| du(&e.path())).sum())
            .unwrap_or(0),
        _ => 0,
    }
}
