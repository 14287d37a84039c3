//! `dutydesk bench`: measures every target on a generated store of stated size; `--sizes`
//! runs several sizes and sets them side by side with the growth from one to the next;
//! `--serve` measures the shared desk instead (twenty sessions at once, and commands through
//! a running server beside taskwarrior).

use clap::Args;

use super::output::table;
use super::{json, out, CliError, CliResult, Ctx};
use crate::bench::{bench_now, run_core, run_shared, BenchSize, Figure, ISSUES_PER_WORKDAY};

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Issues in the generated store (at a steady ~140 a working day: more is a longer
    /// history, not a busier desk).
    #[arg(long, default_value_t = 100_000)]
    issues: usize,
    /// Several sizes at once, side by side, e.g. `--sizes 10000,100000,1000000`.
    #[arg(long, value_delimiter = ',', value_name = "N,N,…")]
    sizes: Vec<usize>,
    /// Enterprises in the generated store.
    #[arg(long, default_value_t = 10_000)]
    enterprises: usize,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    /// Measure the shared desk: 20 sessions (14 units, 4 desks, 2 supervisors) served at once
    /// under load, and whole-process commands through a running server beside taskwarrior.
    #[arg(long)]
    serve: bool,
    /// How long the sessions of `--serve` work, in seconds.
    #[arg(long, default_value_t = 20)]
    serve_seconds: u64,
    /// Measure the city instead: the sync into this PostgreSQL (events/s) and the city's
    /// monthly report over ten districts of the bench store's size (districts 990001–990010,
    /// removed afterwards; nothing else is touched).
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
    /// The served-load process `--serve` starts on its generated store (internal).
    #[arg(long, hide = true, value_name = "DIR")]
    serve_worker: Option<std::path::PathBuf>,
}

/// One size's run.
#[derive(serde::Serialize)]
struct Run {
    issues: usize,
    enterprises: usize,
    figures: Vec<Figure>,
}

fn run_one(ctx: &Ctx, a: &BenchArgs, issues: usize) -> Result<Run, CliError> {
    let enterprises = a.enterprises;
    let dir = std::env::temp_dir().join(format!("dutydesk-bench-{}-{issues}", std::process::id()));
    let size = BenchSize {
        issues,
        enterprises: enterprises.max(1),
    };
    let bar = super::progress::bar(
        issues as u64,
        format!("generating the {issues}-issue store (issues)"),
    );
    let progress = |done: u64, _total: u64| {
        if let Some(b) = &bar {
            b.set_position(done);
            if done as usize >= issues {
                b.set_message("measuring");
            }
        }
    };
    let exe = std::env::current_exe().ok();
    let result = match (&exe, a.serve, &a.postgres) {
        (_, _, Some(url)) => crate::bench::city::run(&dir, size, bench_now(), url, &progress)
            .map_err(CliError::Failed),
        (Some(exe), true, _) => {
            run_shared(&dir, size, bench_now(), exe, a.serve_seconds, &progress)
                .map_err(|e| ctx.err(e))
        }
        _ => run_core(&dir, size, bench_now(), exe, &progress).map_err(|e| ctx.err(e)),
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // The generated store is scratch data, not records: remove it.
    if std::env::var_os("DUTYDESK_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(Run {
        issues,
        enterprises: size.enterprises,
        figures: result?,
    })
}

fn num(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{v:.0}")
    } else if v >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

fn target(f: &Figure) -> String {
    f.target
        .map(|t| format!("{} {}", if t.at_least { "≥" } else { "≤" }, num(t.limit)))
        .unwrap_or_default()
}

fn verdict(f: &Figure) -> &'static str {
    match f.ok() {
        Some(true) => "ok",
        Some(false) => "MISSED",
        None => "",
    }
}

pub fn run(ctx: &mut Ctx, a: BenchArgs) -> CliResult {
    if let Some(dir) = &a.serve_worker {
        let figs = crate::bench::served::run(dir, bench_now(), a.serve_seconds.max(1))
            .map_err(CliError::Failed)?;
        return out(&json(&figs)?);
    }
    let sizes = if a.sizes.is_empty() {
        vec![a.issues]
    } else {
        a.sizes.clone()
    };
    if let Some(bad) = sizes.iter().find(|n| **n == 0) {
        return Err(CliError::BadInput(format!(
            "--sizes: {bad}: {}",
            ctx.pick(
                "每个规模至少 1 个问题",
                "each size needs at least one issue"
            )
        )));
    }
    let mut runs = Vec::new();
    for n in &sizes {
        runs.push(run_one(ctx, &a, *n)?);
    }
    if a.json {
        return out(&json(&runs)?);
    }
    let header = format!(
        "dutydesk bench: {} issues ({} a working day), {} enterprises; release build recommended\n",
        sizes
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" / "),
        ISSUES_PER_WORKDAY,
        a.enterprises
    );
    if runs.len() == 1 {
        let rows: Vec<Vec<String>> = runs[0]
            .figures
            .iter()
            .map(|f| {
                vec![
                    f.name.clone(),
                    num(f.p50),
                    f.p99.map(num).unwrap_or_default(),
                    f.samples.to_string(),
                    f.unit.to_string(),
                    target(f),
                    verdict(f).into(),
                    f.note.clone(),
                ]
            })
            .collect();
        return out(&format!(
            "{header}{}",
            table(
                &["measure", "p50", "p99", "n", "unit", "target", "", "note"],
                &rows,
                &[]
            )
        ));
    }
    // Side by side: each figure's headline (p99 of a distribution, else the value) per size,
    // and the growth from the second-largest size to the largest.
    let mut head: Vec<String> = vec!["measure".into(), "unit".into()];
    head.extend(sizes.iter().map(|n| format!("{n}")));
    head.extend(["growth".into(), "target".into(), "".into()]);
    let mut rows = Vec::new();
    for f in &runs[0].figures {
        let per: Vec<Option<&Figure>> = runs
            .iter()
            .map(|r| r.figures.iter().find(|g| g.name == f.name))
            .collect();
        let mut row = vec![
            format!("{}{}", f.name, if f.p99.is_some() { " (p99)" } else { "" }),
            f.unit.to_string(),
        ];
        row.extend(
            per.iter()
                .map(|g| g.map(|g| num(g.headline())).unwrap_or_default()),
        );
        let n = per.len();
        let growth = match (per[n - 2], per[n - 1]) {
            (Some(a), Some(b)) if a.headline() > 0.0 => {
                let g = b.headline() / a.headline();
                let grows = g > 1.5 && f.unit != "events/s";
                format!("{g:.2}×{}", if grows { " ↑" } else { "" })
            }
            _ => String::new(),
        };
        row.push(growth);
        row.push(target(f));
        let all_ok = per
            .iter()
            .flatten()
            .filter_map(|g| g.ok())
            .collect::<Vec<_>>();
        row.push(if all_ok.is_empty() {
            String::new()
        } else if all_ok.iter().all(|o| *o) {
            "ok".into()
        } else {
            "MISSED".into()
        });
        rows.push(row);
    }
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    out(&format!(
        "{header}growth: from {} to {} issues (↑: more than 1.5×)\n{}",
        sizes[sizes.len() - 2],
        sizes[sizes.len() - 1],
        table(&head, &rows, &[])
    ))
}
