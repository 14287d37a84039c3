//! `dutydesk demo` and the plain `dutydesk` that opens the TUI.

use std::path::PathBuf;

use clap::Args;

use super::{out, CliError, CliResult, Ctx};
use crate::demo::{self, DemoOptions};
use crate::domain::Officer;

#[derive(Args, Debug)]
pub struct DemoArgs {
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Enterprises besides the 430 VIP ones.
    #[arg(long, default_value_t = 1000)]
    enterprises: usize,
    #[arg(long, default_value_t = 1200)]
    issues: usize,
    /// Build the store and print a summary without opening the TUI.
    #[arg(long)]
    no_tui: bool,
    /// Set an existing demo store aside (kept, renamed) and build a fresh one.
    #[arg(long)]
    reset: bool,
}

/// Where the demo lives when `--data` is not given: beside the real store, never in it.
fn demo_dir(ctx: &Ctx, explicit: bool) -> PathBuf {
    if explicit {
        ctx.data.clone()
    } else {
        ctx.data.join("demo")
    }
}

pub fn run(ctx: &mut Ctx, a: DemoArgs) -> CliResult {
    let explicit = std::env::args().any(|s| s == "--data" || s.starts_with("--data="))
        || std::env::var_os("DUTYDESK_DATA").is_some();
    ctx.data = demo_dir(ctx, explicit);
    if a.reset && ctx.data.join("journal.jsonl").exists() {
        let aside = ctx.data.with_extension(format!(
            "old-{}",
            chrono::Local::now().format("%Y%m%d%H%M%S")
        ));
        std::fs::rename(&ctx.data, &aside)
            .map_err(|e| CliError::Failed(format!("{}: {e}", ctx.data.display())))?;
    }
    let mut desk = ctx.open()?;
    let now = super::now()?;
    let empty =
        desk.all_issues().map_err(|e| ctx.err(e))?.is_empty() && desk.enterprises().is_empty();
    if empty {
        let opts = DemoOptions {
            seed: a.seed,
            enterprises: a.enterprises,
            issues: a.issues,
            ..DemoOptions::default()
        };
        let s = demo::generate(&mut desk, &opts, now).map_err(|e| ctx.err(e))?;
        let msg = if ctx.lang.is_en() {
            format!(
                "demo store built in {}: {} enterprises ({} VIP), {} issues ({} overdue, {} supervised) in {:.1}s\n",
                ctx.data.display(),
                s.enterprises,
                s.vip,
                s.issues,
                s.overdue,
                s.supervised,
                s.seconds
            )
        } else {
            format!(
                "演示数据已生成于 {}：企业 {} 家（重点企业 {} 家），问题 {} 个（超期 {}，督办 {}），用时 {:.1} 秒\n",
                ctx.data.display(),
                s.enterprises,
                s.vip,
                s.issues,
                s.overdue,
                s.supervised,
                s.seconds
            )
        };
        if a.no_tui {
            out(&msg)?;
        } else {
            eprint!("{msg}");
        }
    } else if a.no_tui {
        out(&if ctx.lang.is_en() {
            format!(
                "demo store already exists in {} (use --reset to build a fresh one)\n",
                ctx.data.display()
            )
        } else {
            format!(
                "演示数据已存在于 {}（使用 --reset 重新生成）\n",
                ctx.data.display()
            )
        })?;
    }
    if a.no_tui {
        return Ok(());
    }
    // The demo opens at the sign-in screen, as a real shift does.
    tui(ctx, desk, None)
}

/// `dutydesk` with no subcommand: the TUI on the real store, at the sign-in screen.
pub fn open_tui(ctx: &mut Ctx, officer: Option<Officer>) -> CliResult {
    let desk = ctx.open()?;
    tui(ctx, desk, officer)
}

fn tui(ctx: &mut Ctx, desk: crate::desk::Desk, officer: Option<Officer>) -> CliResult {
    let _guard = init_logging(&ctx.data);
    let fixed_now = match std::env::var("DUTYDESK_NOW") {
        Ok(s) if !s.trim().is_empty() => Some(super::now()?),
        _ => None,
    };
    let opts = crate::tui::TuiOptions {
        lang: ctx.lang,
        keymap: ctx.keymap.clone(),
        officer,
        fixed_now,
        config_dir: directories::ProjectDirs::from("", "", "dutydesk")
            .map(|p| p.config_dir().to_path_buf()),
    };
    crate::tui::run(desk, opts).map_err(|e| CliError::Failed(format!("{e:#}")))
}

/// Logs go to a file in the data directory, never to the screen.
fn init_logging(dir: &std::path::Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let appender = tracing_appender::rolling::never(dir, "dutydesk.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
