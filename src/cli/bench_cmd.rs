//! `dutydesk bench`: measures the performance targets on a generated store of stated size.

use clap::Args;

use super::output::table;
use super::{json, out, CliError, CliResult, Ctx};
use crate::bench::{bench_now, run_core, BenchSize, Figure};

#[derive(Args, Debug)]
pub struct BenchArgs {
    #[arg(long, default_value_t = 100_000)]
    issues: usize,
    #[arg(long, default_value_t = 10_000)]
    enterprises: usize,
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &mut Ctx, a: BenchArgs) -> CliResult {
    let dir = std::env::temp_dir().join(format!("dutydesk-bench-{}", std::process::id()));
    let size = BenchSize {
        issues: a.issues,
        enterprises: a.enterprises.max(1),
    };
    let result = run_core(&dir, size, bench_now()).map_err(|e| ctx.err(e));
    // The generated store is scratch data, not records: remove it.
    if std::env::var_os("DUTYDESK_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let figs: Vec<Figure> = result?;
    if a.json {
        return out(&json(&figs)?);
    }
    let rows: Vec<Vec<String>> = figs
        .iter()
        .map(|f| {
            vec![
                f.name.clone(),
                format!("{:.3}", f.p50_ms),
                format!("{:.3}", f.p99_ms),
                f.samples.to_string(),
                f.target_ms.map(|t| format!("≤ {t}")).unwrap_or_default(),
                f.target_ms
                    .map(|t| if f.p99_ms <= t { "ok" } else { "MISSED" })
                    .unwrap_or("")
                    .into(),
            ]
        })
        .collect();
    let mut s = format!(
        "dutydesk bench: {} issues, {} enterprises (release build recommended)\n",
        size.issues, size.enterprises
    );
    s.push_str(&table(
        &["measure", "p50 ms", "p99 ms", "n", "target ms", ""],
        &rows,
        &[],
    ));
    out(&s).map_err(|e| match e {
        CliError::Failed(m) => CliError::Failed(m),
        other => other,
    })
}
