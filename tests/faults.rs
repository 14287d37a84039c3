//! The store under faults, through the real binary: kill -9 at random moments and at every
//! step that matters (the named crash points of `store::faults`) of issue commands, import,
//! demo, rebuild and restore; damaged and truncated view and journal files; a lock file
//! deleted under a live writer; a full disk. After each: every acknowledged record is there,
//! the store opens, and `verify` agrees with the truth. Each test prints its tally (run with
//! `--nocapture` to see kills, records lost and stores left unusable).

mod common;
mod tmux;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use common::BIN;

const NOW: &str = "2026-11-20T10:00:00";

fn cmd(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .env("DUTYDESK_DATA", dir)
        .env("DUTYDESK_NOW", NOW)
        .env("DUTYDESK_OFFICER", "测试员")
        .env_remove("DUTYDESK_CRASH_AT")
        .env_remove("DUTYDESK_FAIL_AT")
        .env_remove("DUTYDESK_KEY_FILE");
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    cmd(dir, args, &[]).output().expect("dutydesk runs")
}

/// `issue add` of a walk-in problem of 重庆长安… described as `text`.
fn add(dir: &Path, text: &str) -> Output {
    let args = [
        "issue",
        "add",
        "--enterprise",
        "长安",
        "--category",
        "其他",
        "--text",
        text,
    ];
    run(dir, &args)
}

fn must_add(dir: &Path, text: &str) {
    let o = add(dir, text);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, args);
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// How a run under fault ended.
enum Ending {
    /// It finished (with this output) before anything stopped it.
    Finished(Output),
    /// It was killed or crashed before finishing.
    Stopped,
}

/// Runs `dutydesk ARGS`, killing it with SIGKILL after `delay` if it is still running.
fn run_killed(dir: &Path, args: &[&str], env: &[(&str, &str)], delay: Duration) -> Ending {
    let mut child = cmd(dir, args, env)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + delay;
    loop {
        if let Some(_status) = child.try_wait().expect("wait") {
            break;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ending::Stopped;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let out = child.wait_with_output().expect("output");
    if out.status.success() {
        Ending::Finished(out)
    } else if out.status.code().is_none() {
        Ending::Stopped // aborted at a crash point
    } else {
        Ending::Finished(out)
    }
}

/// Time a command takes here, to aim random kills inside it.
fn duration_of(dir: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    ok(dir, args);
    t.elapsed()
}

fn issues(dir: &Path) -> Vec<serde_json::Value> {
    let o = run(dir, &["issue", "list", "--format", "json"]);
    assert!(
        o.status.success(),
        "the store does not open: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v.as_array().cloned().unwrap_or_default()
}

fn enterprise_count(dir: &Path) -> usize {
    let o = run(dir, &["enterprise", "export", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    v.as_array().map_or(0, |a| a.len())
}

fn verified(dir: &Path) -> bool {
    let o = run(dir, &["verify"]);
    o.status.success() && String::from_utf8_lossy(&o.stdout).contains("校验通过")
}

/// Issue ids and descriptions, the part a restore or rebuild must keep exactly.
fn summary(list: &[serde_json::Value]) -> BTreeMap<u64, (String, String)> {
    list.iter()
        .map(|i| {
            (
                i["id"].as_u64().unwrap_or(0),
                (
                    i["description"].as_str().unwrap_or("").to_string(),
                    i["status"].as_str().unwrap_or("").to_string(),
                ),
            )
        })
        .collect()
}

fn store_with_enterprises() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &["enterprise", "import", &common::fixture("search.csv")],
    );
    dir
}

fn tally(op: &str, kills: usize, lost: usize, unusable: usize) {
    println!(
        "{op}: {kills} kills, {lost} acknowledged records lost, {unusable} stores left unusable"
    );
}

#[test]
fn kill_during_issue_commands() {
    let dir = store_with_enterprises();
    let d = dir.path();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let window = duration_of(d, &["issue", "list"]) * 2;
    let points = [
        "journal.write:1",
        "journal.sync:1",
        "journal.synced:1",
        "atomic.before_rename:1",
    ];
    let mut acknowledged: Vec<(u64, String)> = Vec::new();
    let (mut kills, mut unusable) = (0, 0);
    let mut i = 0;
    while kills < 24 && i < 120 {
        i += 1;
        let text = format!("记录{i}");
        let crash = (i % 4 == 3).then(|| points[(i / 4) % points.len()]);
        let mut args: Vec<String> = vec![
            "issue".into(),
            "add".into(),
            "--enterprise".into(),
            "长安".into(),
            "--category".into(),
            "其他".into(),
            "--text".into(),
            text.clone(),
        ];
        // Some steps on issues already acknowledged, so more than logging is cut short.
        if i % 5 == 4 && !acknowledged.is_empty() {
            let id = acknowledged[rng.gen_range(0..acknowledged.len())]
                .0
                .to_string();
            args = vec![
                "issue".into(),
                "note".into(),
                id,
                "--text".into(),
                text.clone(),
            ];
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = crash.iter().map(|c| ("DUTYDESK_CRASH_AT", *c)).collect();
        let delay = if crash.is_some() {
            Duration::from_secs(30)
        } else {
            window.mul_f64(rng.gen_range(0.05..0.9))
        };
        match run_killed(d, &argv, &env, delay) {
            Ending::Finished(o) if o.status.success() && argv[1] == "add" => {
                let out = String::from_utf8_lossy(&o.stdout);
                let id = out.split_whitespace().next().and_then(|w| w.parse().ok());
                acknowledged.push((id.expect("the new issue's number"), text));
            }
            Ending::Finished(_) => {}
            Ending::Stopped => kills += 1,
        }
        if run(d, &["issue", "list"]).status.code() != Some(0) {
            unusable += 1;
        }
    }
    let list = summary(&issues(d));
    let lost = acknowledged
        .iter()
        .filter(|(id, text)| list.get(id).map(|v| &v.0) != Some(text))
        .count();
    tally("issue commands", kills, lost, unusable);
    assert!(kills >= 20, "only {kills} kills");
    assert_eq!(lost, 0);
    assert_eq!(unusable, 0);
    assert!(verified(d));
}

/// A CSV of `n` valid enterprises.
fn enterprise_csv(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("many.csv");
    let mut s = String::from("credit_code,name,district,grade,vip_categories,contact,phone\n");
    for e in dutydesk::bench::synthetic_enterprises(n, 3) {
        s.push_str(&format!("{},{},,,,,\n", e.credit_code, e.name));
    }
    std::fs::write(&path, s).unwrap();
    path
}

#[test]
fn kill_during_import() {
    let scratch = tempfile::tempdir().unwrap();
    let csv = enterprise_csv(scratch.path(), 4000);
    let csv = csv.to_str().unwrap();
    let probe = store_with_enterprises();
    let window = duration_of(probe.path(), &["enterprise", "import", csv]);
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let (mut kills, mut lost, mut unusable) = (0, 0, 0);
    let mut i = 0;
    while kills < 22 && i < 60 {
        i += 1;
        let dir = store_with_enterprises();
        let d = dir.path();
        let before = enterprise_count(d);
        let crash = format!("journal.write:{}", 1 + i % 2);
        let (env, delay) = if i % 3 == 0 {
            (
                vec![("DUTYDESK_CRASH_AT", crash.as_str())],
                Duration::from_secs(60),
            )
        } else {
            (vec![], window.mul_f64(rng.gen_range(0.05..0.9)))
        };
        let acknowledged = match run_killed(d, &["enterprise", "import", csv], &env, delay) {
            Ending::Finished(o) => o.status.success(),
            Ending::Stopped => {
                kills += 1;
                false
            }
        };
        let after = match run(d, &["enterprise", "export", "--format", "json"]) {
            o if o.status.success() => enterprise_count(d),
            _ => {
                unusable += 1;
                continue;
            }
        };
        // All or nothing.
        assert!(
            after == before || after == before + 4000,
            "import left {} of 4000 rows",
            after - before
        );
        if acknowledged && after != before + 4000 {
            lost += 1;
        }
        assert!(verified(d));
        if after == before {
            ok(d, &["enterprise", "import", csv]);
            assert_eq!(enterprise_count(d), before + 4000);
        }
    }
    tally("enterprise import", kills, lost, unusable);
    assert!(kills >= 20, "only {kills} kills");
    assert_eq!((lost, unusable), (0, 0));
}

const DEMO: &[&str] = &["demo", "--no-tui", "--issues", "300", "--enterprises", "60"];

#[test]
fn kill_during_demo() {
    let probe = tempfile::tempdir().unwrap();
    let window = duration_of(probe.path(), DEMO);
    let want = issues(probe.path()).len();
    let ents = enterprise_count(probe.path());
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let (mut kills, mut unusable) = (0, 0);
    let mut i = 0;
    while kills < 22 && i < 60 {
        i += 1;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // The demo writes its begin line, then its commits; the last write is the commit line.
        let crash = format!("journal.write:{}", 1 + i % 3);
        let (env, delay) = if i % 2 == 0 {
            (
                vec![("DUTYDESK_CRASH_AT", crash.as_str())],
                Duration::from_secs(60),
            )
        } else {
            (vec![], window.mul_f64(rng.gen_range(0.05..0.9)))
        };
        if let Ending::Stopped = run_killed(d, DEMO, &env, delay) {
            kills += 1;
        }
        // Killed before it wrote anything: there is no store yet, which is right.
        if !d.join("journal.jsonl").exists() {
            ok(d, DEMO);
            assert_eq!(issues(d).len(), want);
            continue;
        }
        let o = run(d, &["issue", "list", "--format", "json"]);
        if !o.status.success() {
            eprintln!(
                "unusable after kill {i}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            unusable += 1;
            continue;
        }
        let n = issues(d).len();
        assert!(
            n == 0 || n == want,
            "a demo cut short left {n} of {want} issues"
        );
        assert!(verified(d));
        // Whatever happened, running the demo again gives the whole demo.
        ok(d, DEMO);
        assert_eq!(issues(d).len(), want);
        assert_eq!(enterprise_count(d), ents);
    }
    tally("demo", kills, 0, unusable);
    assert!(kills >= 20, "only {kills} kills");
    assert_eq!(unusable, 0);
}

fn demo_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["demo", "--no-tui"]);
    dir
}

#[test]
fn kill_during_rebuild() {
    let dir = demo_store();
    let d = dir.path();
    let want = summary(&issues(d));
    let window = duration_of(d, &["rebuild"]);
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let events = ok(d, &["verify"]);
    assert!(events.contains("校验通过"));
    let (mut kills, mut unusable) = (0, 0);
    let mut i = 0;
    while kills < 22 && i < 60 {
        i += 1;
        let point = match i % 4 {
            0 => format!("rebuild.replay:{}", rng.gen_range(1..6000)),
            1 => "view.snapshot:1".to_string(),
            2 => "view.switch:1".to_string(),
            _ => "atomic.before_rename:1".to_string(),
        };
        let (env, delay) = if i % 2 == 0 {
            (
                vec![("DUTYDESK_CRASH_AT", point.as_str())],
                Duration::from_secs(60),
            )
        } else {
            (vec![], window.mul_f64(rng.gen_range(0.05..0.9)))
        };
        if let Ending::Stopped = run_killed(d, &["rebuild"], &env, delay) {
            kills += 1;
        }
        let o = run(d, &["issue", "list", "--format", "json"]);
        if !o.status.success() {
            unusable += 1;
            continue;
        }
        assert_eq!(summary(&issues(d)), want, "after kill {i}");
        assert!(verified(d), "verify after kill {i}");
        // Interrupted rebuilds leave nothing behind.
        let views = std::fs::read_dir(d.join("views")).unwrap().count();
        assert_eq!(views, 2, "views/ holds only the current view and its name");
    }
    tally("rebuild", kills, 0, unusable);
    assert!(kills >= 20, "only {kills} kills");
    assert_eq!(unusable, 0);
}

#[test]
fn kill_during_restore() {
    let scratch = tempfile::tempdir().unwrap();
    let base = demo_store();
    let backup = scratch.path().join("backup");
    ok(base.path(), &["backup", backup.to_str().unwrap()]);
    let old = {
        // The live store has moved on since the backup.
        for t in ["备份后一", "备份后二"] {
            must_add(base.path(), t);
        }
        summary(&issues(base.path()))
    };
    let new = {
        let probe = tempfile::tempdir().unwrap();
        copy_store(base.path(), probe.path());
        ok(probe.path(), &["restore", backup.to_str().unwrap()]);
        summary(&issues(probe.path()))
    };
    assert_ne!(old, new);
    let window = {
        let probe = tempfile::tempdir().unwrap();
        copy_store(base.path(), probe.path());
        duration_of(probe.path(), &["restore", backup.to_str().unwrap()])
    };
    let points = [
        "restore.copied:1",
        "restore.kept:1",
        "restore.forgot:1",
        "restore.renamed:1",
        "atomic.before_rename:1",
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(19);
    let (mut kills, mut unusable) = (0, 0);
    let mut i = 0;
    while kills < 22 && i < 60 {
        i += 1;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        copy_store(base.path(), d);
        let point = points[i % points.len()];
        let (env, delay) = if i % 5 != 4 {
            (vec![("DUTYDESK_CRASH_AT", point)], Duration::from_secs(60))
        } else {
            (vec![], window.mul_f64(rng.gen_range(0.05..0.9)))
        };
        if let Ending::Stopped = run_killed(d, &["restore", backup.to_str().unwrap()], &env, delay)
        {
            kills += 1;
        }
        let o = run(d, &["issue", "list", "--format", "json"]);
        if !o.status.success() {
            unusable += 1;
            continue;
        }
        let now = summary(&issues(d));
        assert!(
            now == old || now == new,
            "after kill {i} ({point}): neither store"
        );
        assert!(verified(d), "verify after kill {i} ({point})");
        // And the restore can simply be run again.
        ok(d, &["restore", backup.to_str().unwrap()]);
        assert_eq!(summary(&issues(d)), new);
    }
    tally("restore", kills, 0, unusable);
    assert!(kills >= 20, "only {kills} kills");
    assert_eq!(unusable, 0);
}

/// Copies a store's journal and schema file (a store as a backup tool would copy it).
fn copy_store(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in ["journal.jsonl", "store.json"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
}

fn current_view(d: &Path) -> PathBuf {
    let name = std::fs::read_to_string(d.join("views/current")).unwrap();
    d.join("views").join(name.trim())
}

fn scribble(path: &Path, at: u64, len: usize) {
    use std::os::unix::fs::FileExt;
    let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.write_all_at(&vec![0x5A; len], at).unwrap();
}

#[test]
fn damaged_view_files_heal_themselves() {
    let dir = demo_store();
    let d = dir.path();
    ok(d, &["rebuild"]); // a view with records on disk in every file
    let want = summary(&issues(d));
    let report = ok(d, &["report", "--format", "json"]);
    type Damage = Box<dyn Fn(&Path)>;
    let damages: Vec<(&str, Damage)> = vec![
        (
            "truncated cold records",
            Box::new(|g: &Path| {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(g.join("cold"))
                    .unwrap();
                let n = f.metadata().unwrap().len();
                f.set_len(n / 2).unwrap();
            }),
        ),
        (
            "random bytes in cold records",
            Box::new(|g: &Path| {
                let n = std::fs::metadata(g.join("cold")).unwrap().len();
                scribble(&g.join("cold"), n / 3, 64);
            }),
        ),
        (
            "random bytes in facts",
            Box::new(|g: &Path| {
                let n = std::fs::metadata(g.join("facts")).unwrap().len();
                scribble(&g.join("facts"), n / 2, 64);
            }),
        ),
        (
            "truncated snapshot",
            Box::new(|g: &Path| {
                let f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(g.join("snapshot"))
                    .unwrap();
                f.set_len(100).unwrap();
            }),
        ),
        (
            "random bytes in the snapshot",
            Box::new(|g: &Path| {
                scribble(&g.join("snapshot"), 200, 32);
            }),
        ),
        (
            "zeroed slots",
            Box::new(|g: &Path| {
                let n = std::fs::metadata(g.join("cold.idx")).unwrap().len();
                std::fs::write(g.join("cold.idx"), vec![0u8; n as usize]).unwrap();
            }),
        ),
        (
            "slots pointing anywhere",
            Box::new(|g: &Path| {
                let n = std::fs::metadata(g.join("cold.idx")).unwrap().len();
                scribble(&g.join("cold.idx"), n / 2, 16);
            }),
        ),
        (
            "no view at all",
            Box::new(|g: &Path| {
                std::fs::remove_dir_all(g.parent().unwrap()).unwrap();
            }),
        ),
        (
            "an empty view directory",
            Box::new(|g: &Path| {
                for f in std::fs::read_dir(g).unwrap() {
                    std::fs::remove_file(f.unwrap().path()).unwrap();
                }
            }),
        ),
    ];
    for (what, damage) in &damages {
        damage(&current_view(d));
        assert_eq!(summary(&issues(d)), want, "{what}");
        assert_eq!(ok(d, &["report", "--format", "json"]), report, "{what}");
        assert!(verified(d), "{what}");
        let views = std::fs::read_dir(d.join("views")).unwrap().count();
        assert_eq!(views, 2, "{what}: broken copies never pile up");
    }
}

#[test]
fn a_damaged_journal_is_reported_with_its_line_and_served_read_only() {
    let dir = store_with_enterprises();
    let d = dir.path();
    for t in ["一号问题", "二号问题", "三号问题"] {
        must_add(d, t);
    }
    let j = d.join("journal.jsonl");
    let text = std::fs::read_to_string(&j).unwrap();
    let lines = text.lines().count();
    let line = text.lines().position(|l| l.contains("二号问题")).unwrap() + 1;
    // One byte flipped inside that line (the same length, as bit rot would leave it).
    std::fs::write(&j, text.replacen("二号问题", "二号冋题", 1)).unwrap();
    // Reading goes on, with a warning that names the line.
    let o = run(d, &["issue", "list", "--format", "json"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("journal.jsonl:{line}")), "{err}");
    let listed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "the records before the damage"
    );
    // Changing anything is refused, and nothing is written.
    let o = add(d, "x");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("journal.jsonl:{line}")));
    assert_eq!(std::fs::read_to_string(&j).unwrap().lines().count(), lines);
    let o = run(d, &["verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("journal.jsonl:{line}")));
    assert!(line <= lines);
    // Put back, all is well again.
    std::fs::write(&j, &text).unwrap();
    let o = run(d, &["verify"]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(issues(d).len(), 3);
    // A write torn by a crash (never acknowledged) is cut off; nothing else changes.
    let torn = text.lines().last().unwrap();
    std::fs::write(&j, format!("{text}{}", &torn[..torn.len() / 2])).unwrap();
    assert_eq!(issues(d).len(), 3);
    assert!(verified(d));
    assert_eq!(std::fs::read_to_string(&j).unwrap(), text);
}

#[test]
fn a_deleted_lock_file_lets_no_second_writer_in() {
    let dir = store_with_enterprises();
    let d = dir.path();
    let tui = tmux::Tmux::start(d, "");
    tui.wait_for("签到");
    let holder = tui.program_pid();
    let j = d.join("journal.jsonl");
    let size = std::fs::metadata(&j).unwrap().len();
    for replace in [false, true] {
        let _ = std::fs::remove_file(d.join("lock"));
        if replace {
            std::fs::write(d.join("lock"), "nobody").unwrap();
        }
        let o = add(d, "x");
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("正被使用"), "{err}");
        assert!(
            err.contains(&format!("pid {holder}")),
            "names the holder: {err}"
        );
        assert_eq!(
            std::fs::metadata(&j).unwrap().len(),
            size,
            "nothing written"
        );
    }
    tui.keys(&["C-c"]);
    tui.wait_exit();
    must_add(d, "之后");
    assert!(verified(d));
}

#[test]
fn an_injected_full_disk_saves_nothing_half_and_loses_nothing() {
    let dir = store_with_enterprises();
    let d = dir.path();
    must_add(d, "之前");
    let j = d.join("journal.jsonl");
    let before = std::fs::read(&j).unwrap();
    // The journal write fails: a clear error, exit 1, not a byte written.
    let o = cmd(
        d,
        &[
            "issue",
            "add",
            "--enterprise",
            "长安",
            "--category",
            "其他",
            "--text",
            "满",
        ],
        &[("DUTYDESK_FAIL_AT", "journal.write:1")],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("磁盘空间已满"));
    assert_eq!(std::fs::read(&j).unwrap(), before);
    // A rebuild that cannot write its view keeps the old one.
    for point in ["view.append:1", "atomic.before_rename:1"] {
        let o = cmd(d, &["rebuild"], &[("DUTYDESK_FAIL_AT", point)])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{point}");
        assert_eq!(issues(d).len(), 1);
        assert!(verified(d));
    }
    // A demo on a full disk: exit 1, and nothing of it is left to block the next one.
    let demo_dir = tempfile::tempdir().unwrap();
    let o = cmd(
        demo_dir.path(),
        DEMO,
        &[("DUTYDESK_FAIL_AT", "journal.write:3")],
    )
    .output()
    .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("磁盘空间已满"));
    assert_eq!(issues(demo_dir.path()).len(), 0);
    ok(demo_dir.path(), DEMO);
    assert_eq!(issues(demo_dir.path()).len(), 300);
}

/// A small tmpfs, when this runs as root and may mount one.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return None;
        }
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .ok()?
            .success();
        ok.then_some(Tmpfs(dir))
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

/// Fills a file system up to all but `leave` bytes.
fn fill(dir: &Path, leave: u64) -> PathBuf {
    let filler = dir.join("filler");
    // SAFETY: statvfs only writes into the struct it is given.
    let free = unsafe {
        let mut s: libc::statvfs = std::mem::zeroed();
        let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).unwrap();
        libc::statvfs(c.as_ptr(), &mut s);
        s.f_bavail as u64 * s.f_frsize as u64
    };
    let f = std::fs::File::create(&filler).unwrap();
    let _ = f.set_len(0);
    let mut w = std::io::BufWriter::new(f);
    let chunk = vec![1u8; 4096];
    let mut left = free.saturating_sub(leave);
    use std::io::Write;
    while left > 0 {
        let n = left.min(4096) as usize;
        if w.write_all(&chunk[..n]).is_err() {
            break;
        }
        left -= n as u64;
    }
    let _ = w.flush();
    filler
}

#[test]
fn a_real_full_disk_when_one_can_be_mounted() {
    let Some(fs) = Tmpfs::mount("8m") else {
        println!("full disk: not root or cannot mount a tmpfs here; the injected test covers it");
        return;
    };
    let d = fs.path().join("store");
    ok(
        &d,
        &["enterprise", "import", &common::fixture("search.csv")],
    );
    let filler = fill(fs.path(), 24 * 1024);
    let mut acknowledged = Vec::new();
    let mut refused = 0;
    for i in 0..200 {
        let text = format!("满盘之前{i}{}", "很长的描述".repeat(20));
        let o = add(&d, &text);
        match o.status.code() {
            Some(0) => {
                let out = String::from_utf8_lossy(&o.stdout);
                acknowledged.push((
                    out.split_whitespace()
                        .next()
                        .unwrap()
                        .parse::<u64>()
                        .unwrap(),
                    text,
                ));
            }
            Some(1) => {
                assert!(String::from_utf8_lossy(&o.stderr).contains("磁盘空间已满"));
                refused += 1;
                if refused >= 3 {
                    break;
                }
            }
            other => panic!("exit {other:?}: {}", String::from_utf8_lossy(&o.stderr)),
        }
    }
    assert!(refused >= 1, "the disk never filled");
    // A demo on the full disk says so and leaves nothing half-built.
    let demo = fs.path().join("demo");
    let o = run(&demo, DEMO);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Space back: everything acknowledged is there, and the store works.
    std::fs::remove_file(filler).unwrap();
    let list = summary(&issues(&d));
    for (id, text) in &acknowledged {
        assert_eq!(list.get(id).map(|v| &v.0), Some(text), "issue {id} lost");
    }
    assert!(verified(&d));
    must_add(&d, "之后");
    assert_eq!(std::fs::read_dir(d.join("views")).unwrap().count(), 2);
    ok(&demo, DEMO);
    println!(
        "full disk: {} acknowledged before the disk filled, {refused} refused, 0 lost",
        acknowledged.len()
    );
}

/// Rewrites one event of a journal (its text and author) and recomputes every hash after it,
/// as someone with write access to the file but not the key would.
fn forge(journal: &Path, seq: u64) {
    use sha2::{Digest, Sha256};
    let text = std::fs::read_to_string(journal).unwrap();
    let mut prev = "0".repeat(64);
    let mut out = String::new();
    let mut in_batch = 0u64;
    for l in text.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        if let Some(b) = v.get("batch") {
            if b == "begin" {
                in_batch = 0;
                out.push_str(l);
            } else {
                out.push_str(&format!(
                    "{{\"batch\":\"commit\",\"events\":{in_batch},\"seq\":{},\"hash\":\"{prev}\"}}",
                    v["seq"]
                ));
            }
            out.push('\n');
            continue;
        }
        let mut rec = v["rec"].clone();
        if rec["seq"] == seq {
            rec["description"] = "问题已当场解决，无需交办".into();
            rec["by"] = "某人".into();
        }
        let body = serde_json::to_string(&rec).unwrap();
        let mut h = Sha256::new();
        h.update(prev.as_bytes());
        h.update(b"\n");
        h.update(body.as_bytes());
        let hash = hex::encode(h.finalize());
        // The seals cannot be recomputed without the key: the forger drops them.
        out.push_str(&format!(
            "{{\"hash\":\"{hash}\",\"prev\":\"{prev}\",\"rec\":{body}}}\n"
        ));
        prev = hash;
        in_batch += 1;
    }
    std::fs::write(journal, out).unwrap();
}

#[test]
fn a_rewritten_journal_fails_its_witness_and_its_key() {
    let outside = tempfile::tempdir().unwrap();
    let key = outside.path().join("desk.key");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["key", "generate", key.to_str().unwrap()]);
    let k = key.to_str().unwrap();
    let sealed = [("DUTYDESK_KEY_FILE", k)];
    assert!(cmd(d, DEMO, &sealed).status().unwrap().success());
    // The month's report, saved as it was printed, carries the chain head.
    let report = outside.path().join("report.md");
    let printed = cmd(d, &["report"], &sealed).output().unwrap();
    std::fs::write(&report, &printed.stdout).unwrap();
    let w = report.to_str().unwrap();
    assert!(ok(d, &["verify", "--witness-file", w, "--key-file", k]).contains("校验通过"));
    // Issue 5's logging event is rewritten and every hash after it recomputed; the view is
    // deleted so nothing local remembers the old chain.
    let first = issues(d)
        .into_iter()
        .find(|i| i["id"] == 5)
        .map(|i| i["description"].clone())
        .unwrap();
    let journal = d.join("journal.jsonl");
    let seq = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .find(|l| l.contains("\"type\":\"issue_logged\",\"id\":5,"))
        .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .and_then(|v| v["rec"]["seq"].as_u64())
        .expect("issue 5 logged");
    forge(&journal, seq);
    std::fs::remove_dir_all(d.join("views")).unwrap();
    assert_ne!(
        issues(d).into_iter().find(|i| i["id"] == 5).unwrap()["description"],
        first
    );
    // The chain alone looks whole…
    assert!(ok(d, &["verify"]).contains("校验通过"));
    // …but not against the printed head,
    let o = run(d, &["verify", "--witness-file", w]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("不符"));
    // nor under the key.
    let o = run(d, &["verify", "--key-file", k]);
    assert_eq!(o.status.code(), Some(1));
    // Cut short instead (the last events and the view removed): the witness still tells.
    let text = std::fs::read_to_string(&journal).unwrap();
    let keep: Vec<&str> = text.lines().collect();
    std::fs::write(&journal, keep[..keep.len() / 2].join("\n") + "\n").unwrap();
    std::fs::remove_dir_all(d.join("views")).unwrap();
    let o = run(d, &["verify", "--witness-file", w]);
    assert_eq!(o.status.code(), Some(1));
}
