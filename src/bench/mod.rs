//! `dutydesk bench`: every figure the desk is held to, measured on a generated store of stated
//! size in a temporary directory — in-process timings (p50 and p99 over repeated runs) and
//! whole-process ones (a command from start to exit, the TUI from launch to its sign-in
//! screen), sizes on disk, rebuild and bulk-load rates. `--sizes` runs several sizes and sets
//! them side by side with the growth from one size to the next.

pub mod city;
mod generate;
mod process;
pub mod served;
mod versus;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Days, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::desk::{Command, Desk, DeskError, IssueFilter, NewIssue};
use crate::domain::Channel;

pub use generate::{bench_now, synthetic_enterprises, ISSUES_PER_WORKDAY};

/// A target a figure is held to.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Target {
    pub limit: f64,
    /// The figure must reach the limit (a rate), rather than stay under it (a time).
    pub at_least: bool,
}

impl Target {
    pub fn at_most(limit: f64) -> Option<Target> {
        Some(Target {
            limit,
            at_least: false,
        })
    }
    pub fn at_least(limit: f64) -> Option<Target> {
        Some(Target {
            limit,
            at_least: true,
        })
    }
    pub fn met(&self, v: f64) -> bool {
        if self.at_least {
            v >= self.limit
        } else {
            v <= self.limit
        }
    }
}

/// One measured figure.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figure {
    /// The same at every size, so sizes can be set side by side.
    pub name: String,
    pub unit: std::borrow::Cow<'static, str>,
    pub p50: f64,
    /// For a distribution; None for a single value.
    pub p99: Option<f64>,
    pub samples: usize,
    pub target: Option<Target>,
    /// What this run measured it on (e.g. how many issues were open).
    pub note: String,
    /// The target is on the median, not on p99.
    #[serde(default)]
    pub on_p50: bool,
}

impl Figure {
    /// Milliseconds from timed samples.
    pub fn from_samples(name: &str, mut s: Vec<Duration>, target_ms: Option<f64>) -> Figure {
        s.sort();
        let at = |q: f64| {
            s.get(((s.len() as f64 - 1.0) * q).round() as usize)
                .map_or(0.0, |d| d.as_secs_f64() * 1e3)
        };
        Figure {
            name: name.into(),
            unit: "ms".into(),
            p50: at(0.5),
            p99: (s.len() > 1).then(|| at(0.99)),
            samples: s.len(),
            target: target_ms.and_then(Target::at_most),
            note: String::new(),
            on_p50: false,
        }
    }
    pub fn single(name: &str, d: Duration, target_ms: Option<f64>) -> Figure {
        Figure::from_samples(name, vec![d], target_ms)
    }
    pub fn value(name: &str, unit: &'static str, v: f64, target: Option<Target>) -> Figure {
        Figure {
            name: name.into(),
            unit: unit.into(),
            p50: v,
            p99: None,
            samples: 1,
            target,
            note: String::new(),
            on_p50: false,
        }
    }
    fn with_note(mut self, note: impl Into<String>) -> Figure {
        self.note = note.into();
        self
    }
    /// The number the target and the growth look at: p99 of a distribution (or its median,
    /// where the target says so), else the value.
    pub fn headline(&self) -> f64 {
        if self.on_p50 {
            self.p50
        } else {
            self.p99.unwrap_or(self.p50)
        }
    }
    pub fn ok(&self) -> Option<bool> {
        self.target.map(|t| t.met(self.headline()))
    }
}

/// Sizes of the generated store.
#[derive(Debug, Clone, Copy)]
pub struct BenchSize {
    pub issues: usize,
    pub enterprises: usize,
}

/// How the bench reports its progress while it builds the store: (issues so far, all).
pub type Progress<'a> = &'a dyn Fn(u64, u64);

/// Fills `desk` with the bench store (see `generate`); returns the events written.
pub fn fill(
    desk: &mut Desk,
    size: BenchSize,
    now: NaiveDateTime,
    progress: Progress<'_>,
) -> Result<u64, DeskError> {
    generate::fill(desk, size.issues, size.enterprises, now, progress)
}

fn other(e: impl std::fmt::Display) -> DeskError {
    DeskError::Store(crate::store::StoreError::Other(e.to_string()))
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Runs every benchmark in `dir` (which must be empty). `exe` is the dutydesk binary for the
/// whole-process figures (None: skip them).
pub fn run_core(
    dir: &Path,
    size: BenchSize,
    now: NaiveDateTime,
    exe: Option<PathBuf>,
    progress: Progress<'_>,
) -> Result<Vec<Figure>, DeskError> {
    let mut figs = Vec::new();
    let t = Instant::now();
    let events = {
        let mut desk = Desk::open(dir)?;
        let n = fill(&mut desk, size, now, progress)?;
        desk.flush()?;
        n
    };
    let secs = t.elapsed().as_secs_f64();
    figs.push(
        Figure::value("generate the bench store", "s", secs, None)
            .with_note(format!("{events} events")),
    );
    figs.push(Figure::value(
        "bulk load rate",
        "events/s",
        events as f64 / secs.max(1e-9),
        Target::at_least(50_000.0),
    ));
    let journal = dir.join("journal.jsonl");
    let sizes = |figs: &mut Vec<Figure>, when: &str| {
        let j = process::du(&journal);
        let v = process::du(&dir.join("views"));
        figs.push(
            Figure::value(
                &format!("view / journal size, {when}"),
                "×",
                v as f64 / j.max(1) as f64,
                Target::at_most(1.5),
            )
            .with_note(format!("view {:.1} MiB, journal {:.1} MiB", mib(v), mib(j))),
        );
    };
    sizes(&mut figs, "after bulk load");
    for k in 1..=2 {
        let mut desk = Desk::open(dir)?;
        let t = Instant::now();
        desk.rebuild()?;
        let secs = t.elapsed().as_secs_f64();
        drop(desk);
        figs.push(Figure::value(&format!("rebuild {k}"), "s", secs, None));
        figs.push(Figure::value(
            &format!("rebuild {k} rate"),
            "events/s",
            events as f64 / secs.max(1e-9),
            Target::at_least(50_000.0),
        ));
        sizes(&mut figs, &format!("after rebuild {k}"));
    }

    let mut samples = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let d = Desk::open(dir)?;
        samples.push(t.elapsed());
        drop(d);
    }
    figs.push(Figure::from_samples("open store", samples, Some(50.0)));

    let clock = now.format("%Y-%m-%dT%H:%M:%S").to_string();
    if let Some(exe) = &exe {
        let whole = |name: &str, args: &[&str]| -> Option<Figure> {
            process::command(exe, dir, &clock, args, 10)
                .map(|s| Figure::from_samples(name, s, Some(60.0)))
        };
        let old = "1".to_string();
        figs.extend(whole(
            "whole process: issue show (an old closed issue)",
            &["issue", "show", &old],
        ));
        figs.extend(whole(
            "whole process: issue list --overdue",
            &["issue", "list", "--overdue"],
        ));
        figs.extend(whole(
            "whole process: enterprise search",
            &["enterprise", "search", "cqdk"],
        ));
        match process::tui_launch(exe, dir, &clock, 5) {
            Some((s, mem)) => {
                figs.push(Figure::from_samples(
                    "TUI launch to sign-in screen (whole process, tmux)",
                    s,
                    Some(150.0),
                ));
                figs.push(Figure::value(
                    "TUI memory at sign-in (resident)",
                    "MiB",
                    mem,
                    Target::at_most(150.0),
                ));
            }
            None => figs.push(
                Figure::value(
                    "TUI launch to sign-in screen (whole process, tmux)",
                    "ms",
                    0.0,
                    None,
                )
                .with_note("not measured: tmux is not installed"),
            ),
        }
    }

    let mut desk = Desk::open(dir)?;
    let open = desk.open_issues()?.len();
    // Durable commit latency: one issue logged per commit, fsync included.
    let code = desk
        .enterprises()
        .first()
        .map(|e| e.credit_code.clone())
        .unwrap_or_default();
    let mut samples = Vec::new();
    for i in 0..500 {
        let cmd = Command::LogIssue {
            issue: NewIssue {
                enterprise: code.clone(),
                category: desk.config.categories[0].clone(),
                channel: Channel::Phone,
                contact_name: "王".into(),
                phone: String::new(),
                description: format!("基准测试 {i}"),
            },
        };
        let t = Instant::now();
        desk.execute("bench", now, cmd)?;
        samples.push(t.elapsed());
    }
    figs.push(Figure::from_samples(
        "durable commit (issue add, fsync)",
        samples,
        Some(1.5),
    ));

    let queries = [
        "cqdk",
        "重庆",
        "hua",
        "jinkang",
        "91500107",
        "戴卡",
        "cqhf",
        "zn",
        "qicheling",
        "x",
    ];
    let mut samples = Vec::new();
    for _ in 0..20 {
        for q in queries {
            let t = Instant::now();
            let _ = desk.search_enterprises(q, 20);
            samples.push(t.elapsed());
        }
    }
    figs.push(Figure::from_samples(
        "enterprise search (per query, top 20)",
        samples,
        None,
    ));

    let today = now.date();
    // Handover and the monthly report: the first run in a process, then the steady cost.
    let handover = || {
        crate::report::handover::draft_from_desk(&desk, None, now - Days::hours(8), now, "bench")
            .map(|_| ())
    };
    figs.extend(
        timed_twice("handover brief (8-hour shift)", handover, 30.0)?
            .into_iter()
            .map(|f| f.with_note(format!("{open} open issues"))),
    );
    let first = (today - Days::days(i64::from(today.day())))
        .with_day(1)
        .unwrap_or(today);
    let last = today - Days::days(i64::from(today.day()));
    let report = || crate::report::scorecard::from_desk(&desk, first, last, today).map(|_| ());
    figs.extend(
        timed_twice("monthly report (last month)", report, 30.0)?
            .into_iter()
            .map(|f| f.with_note(format!("{first} – {last}"))),
    );
    figs.extend(crate::tui::bench::run(&mut desk, now).map_err(other)?);
    // Last, as it reads a unit's whole history and churns the allocator for what follows.
    let units: Vec<String> = desk.units.leads().map(|u| u.id.clone()).collect();
    let mut samples = Vec::new();
    for u in &units {
        let f = IssueFilter {
            unit: Some(u.clone()),
            ..Default::default()
        };
        let t = Instant::now();
        let _ = desk.issues(&f, today)?;
        samples.push(t.elapsed());
    }
    figs.push(
        Figure::from_samples("every issue of one unit, closed ones too", samples, None)
            .with_note("reads that unit's whole history; no target"),
    );

    Ok(figs)
}

/// The shared desk's figures (`bench --serve`) on a store generated in `dir` (which must be
/// empty): twenty sessions under load, in a server process of their own (`exe bench
/// --serve-worker`), then whole-process commands through a running `dutydesk serve`, beside
/// taskwarrior with as many pending tasks.
pub fn run_shared(
    dir: &Path,
    size: BenchSize,
    now: NaiveDateTime,
    exe: &Path,
    secs: u64,
    progress: Progress<'_>,
) -> Result<Vec<Figure>, DeskError> {
    {
        let mut desk = Desk::open(dir)?;
        fill(&mut desk, size, now, progress)?;
        desk.flush()?;
    }
    let (code, category, units) = {
        let desk = Desk::open(dir)?;
        let code = desk
            .enterprises()
            .first()
            .map(|e| e.credit_code.clone())
            .unwrap_or_default();
        let units: Vec<String> = desk.units.leads().map(|u| u.id.clone()).collect();
        (code, desk.config.categories[0].clone(), units)
    };
    let worker = std::process::Command::new(exe)
        .arg("bench")
        .arg("--serve-worker")
        .arg(dir)
        .args(["--serve-seconds", &secs.to_string()])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(other)?;
    if !worker.status.success() {
        return Err(other("the served-load process failed"));
    }
    let mut figs: Vec<Figure> = serde_json::from_slice(&worker.stdout).map_err(other)?;

    let clock = now.format("%Y-%m-%dT%H:%M:%S").to_string();
    let unit = units.first().cloned().unwrap_or_default();
    let ours = versus::dutydesk(exe, dir, &clock, (&code, &category, &unit), 20)
        .ok_or_else(|| other("dutydesk serve did not start"))?;
    let theirs = versus::taskwarrior(dir, size.issues, &units, 10);
    let pairs = [
        (
            "issue add",
            "task add",
            ours.0,
            theirs.as_ref().map(|t| &t.0),
        ),
        (
            "issue list --unit",
            "task project:X list",
            ours.1,
            theirs.as_ref().map(|t| &t.1),
        ),
    ];
    for (what, yardstick, samples, theirs) in pairs {
        let f = Figure::from_samples(
            &format!("whole process through the server: {what}"),
            samples,
            None,
        )
        .with_note("dutydesk --data DIR … while dutydesk serve runs");
        let ours_p50 = f.p50;
        figs.push(f);
        match theirs {
            Some(t) => {
                let t = Figure::from_samples(&format!("taskwarrior: {yardstick}"), t.clone(), None)
                    .with_note(format!("{} pending tasks", size.issues));
                figs.push(Figure::value(
                    &format!("{what}: times faster than {yardstick}"),
                    "×",
                    t.p50 / ours_p50.max(1e-9),
                    Target::at_least(50.0),
                ));
                figs.push(t);
            }
            None => figs.push(
                Figure::value(&format!("taskwarrior: {yardstick}"), "ms", 0.0, None)
                    .with_note("not measured: taskwarrior (task) is not installed"),
            ),
        }
    }
    Ok(figs)
}

/// Times `f` once cold, then 20 times warm; both figures carry the target.
fn timed_twice(
    name: &str,
    f: impl Fn() -> Result<(), DeskError>,
    target_ms: f64,
) -> Result<Vec<Figure>, DeskError> {
    let t = Instant::now();
    f()?;
    let cold = Figure::single(&format!("{name}, first run"), t.elapsed(), Some(target_ms));
    let mut samples = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        f()?;
        samples.push(t.elapsed());
    }
    Ok(vec![
        cold,
        Figure::from_samples(name, samples, Some(target_ms)),
    ])
}
