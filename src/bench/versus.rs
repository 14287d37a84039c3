//! Whole-process commands through a running `dutydesk serve`, beside the same work in
//! taskwarrior (a well-known command-line task list) holding as many pending tasks as the
//! bench store holds issues — the yardstick for "a command is instant".

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::process::timed;

/// A `dutydesk serve` on a free port, stopped when dropped.
struct Server(Child);

impl Server {
    fn start(exe: &Path, dir: &Path, now: &str) -> Option<Server> {
        let mut child = Command::new(exe)
            .arg("--data")
            .arg(dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("DUTYDESK_NOW", now)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        // Ready when it says where it listens (the local socket is bound by then).
        let mut line = String::new();
        BufReader::new(child.stdout.take()?)
            .read_line(&mut line)
            .ok()?;
        let server = Server(child);
        line.contains("127.0.0.1:").then_some(server)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe {
            libc::kill(self.0.id() as i32, libc::SIGTERM);
        }
        let _ = self.0.wait();
    }
}

/// `issue add` and `issue list --unit UNIT`, whole process, through a server running on the
/// store in `dir`.
pub fn dutydesk(
    exe: &Path,
    dir: &Path,
    now: &str,
    (code, category, unit): (&str, &str, &str),
    n: usize,
) -> Option<(Vec<Duration>, Vec<Duration>)> {
    let _server = Server::start(exe, dir, now)?;
    let data = dir.display().to_string();
    let add = [
        "--data",
        &data,
        "issue",
        "add",
        "--enterprise",
        code,
        "--category",
        category,
        "--text",
        "经服务器登记的基准问题",
    ];
    let adds = timed(exe, &add, &[("DUTYDESK_NOW", now)], n)?;
    let list = ["--data", &data, "issue", "list", "--unit", unit];
    let lists = timed(exe, &list, &[("DUTYDESK_NOW", now)], n)?;
    Some((adds, lists))
}

/// `task add` and `task project:P list` on `tasks` pending tasks in `projects` projects.
/// None when taskwarrior is not installed.
pub fn taskwarrior(
    scratch: &Path,
    tasks: usize,
    projects: &[String],
    n: usize,
) -> Option<(Vec<Duration>, Vec<Duration>)> {
    let task = which("task")?;
    let data = scratch.join("taskwarrior");
    std::fs::create_dir_all(&data).ok()?;
    let rc = data.join("taskrc");
    std::fs::write(
        &rc,
        format!(
            "data.location={}\nconfirmation=off\nverbose=nothing\nnews.version=2.6.0\n",
            data.display()
        ),
    )
    .ok()?;
    // Its own data format (what `task add` writes), written directly: importing 100,000 tasks
    // one by one would take hours.
    let mut f = std::io::BufWriter::new(std::fs::File::create(data.join("pending.data")).ok()?);
    let entry = 1_700_000_000u64;
    for i in 0..tasks {
        let p = &projects[i % projects.len().max(1)];
        writeln!(
            f,
            "[description:\"企业诉求 {i}\" entry:\"{e}\" modified:\"{e}\" project:\"{p}\" status:\"pending\" uuid:\"{u}\"]",
            e = entry + i as u64,
            u = uuid(i as u64),
        )
        .ok()?;
    }
    f.flush().ok()?;
    drop(f);
    for empty in ["completed.data", "undo.data", "backlog.data"] {
        std::fs::write(data.join(empty), "").ok()?;
    }
    let rc_s = rc.display().to_string();
    let env = [("TASKRC", rc_s.as_str())];
    let adds = timed(&task, &["add", "project:bench", "企业诉求"], &env, n)?;
    let project = format!("project:{}", projects.first()?);
    let lists = timed(&task, &[&project, "list"], &env, n)?;
    Some((adds, lists))
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(program))
        .find(|p| p.is_file())
}

/// A distinct, well-formed UUID for task `i`.
fn uuid(i: u64) -> String {
    let h = format!(
        "{:032x}",
        (i as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834) + 1
    );
    let h = &h[h.len() - 32..];
    format!(
        "{}-{}-4{}-8{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}
