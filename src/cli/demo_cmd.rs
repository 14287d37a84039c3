//! `dutydesk demo` and the plain `dutydesk` that opens the TUI.

use std::path::PathBuf;

use clap::Args;

use super::{out, CliError, CliResult, Ctx};
use crate::demo::{self, DemoOptions};
use crate::domain::Officer;
use crate::tui::{Exit, TuiError};

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Seed of the generator: the same seed builds the same store.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Enterprises besides the 430 VIP ones.
    #[arg(long, default_value_t = 1000)]
    enterprises: usize,
    /// Issues to generate.
    #[arg(long, default_value_t = 1200)]
    issues: usize,
    /// Build the store and print a summary without opening the TUI.
    #[arg(long)]
    no_tui: bool,
    /// Set an existing demo store aside (kept, renamed) and build a fresh one.
    #[arg(long)]
    reset: bool,
    /// Keymap of the TUI: a name (default, vim) or a path to a TOML file.
    #[arg(long)]
    keymap: Option<String>,
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
    if a.keymap.is_some() {
        ctx.keymap = a.keymap.clone();
    }
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
    let empty = desk.max_issue_id() == 0 && desk.enterprises().is_empty();
    if empty {
        let opts = DemoOptions {
            seed: a.seed,
            enterprises: a.enterprises,
            issues: a.issues,
            ..DemoOptions::default()
        };
        let bar = super::progress::bar(
            0,
            ctx.pick("生成演示数据（事件）", "building the demo store (events)")
                .to_string(),
        );
        let progress = |done: u64, total: u64| {
            if let Some(b) = &bar {
                b.set_length(total);
                b.set_position(done);
            }
        };
        let s = demo::generate_with(&mut desk, &opts, now, &progress);
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let s = s.map_err(|e| ctx.err(e))?;
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
    let desk = own(ctx, desk)?;
    tui(ctx, desk, None)
}

/// `dutydesk` with no subcommand: the TUI on the real store, at the sign-in screen.
pub fn open_tui(ctx: &mut Ctx, officer: Option<Officer>) -> CliResult {
    let desk = ctx.open()?;
    let desk = own(ctx, desk)?;
    tui(ctx, desk, officer)
}

/// The TUI needs a desk of its own (a served one goes through the server's sessions).
fn own(ctx: &Ctx, desk: super::DeskLease) -> Result<crate::desk::Desk, CliError> {
    desk.into_own().ok_or_else(|| {
        CliError::BadInput(
            ctx.pick(
                "服务器已在运行：请用 ssh 连接值班台",
                "the server is running: connect to the desk with ssh",
            )
            .into(),
        )
    })
}

/// Runs the TUI and turns how it ended into the process's exit status: 0 quit, 2 a broken
/// keymap, 128 + N after signal N, 1 a lost terminal or a failure, 101 a panic (logged).
fn tui(ctx: &mut Ctx, desk: crate::desk::Desk, officer: Option<Officer>) -> CliResult {
    let (guard, log_file) = init_logging(&ctx.data);
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
        log_file,
    };
    let result = crate::tui::run(desk, opts);
    // The store is closed by now; what is left is to say how it ended.
    let status = match result {
        Ok(Exit::Quit) => return Ok(()),
        Ok(exit) => exit.status(),
        Err(TuiError::Keymap(m)) => return Err(CliError::BadInput(m)),
        Err(TuiError::Failed(e)) => return Err(CliError::Failed(format!("{e:#}"))),
        // The panic hook has told the user where the log is.
        Err(TuiError::Panicked) => 101,
    };
    // Flush the log before leaving without unwinding.
    drop(guard);
    std::process::exit(status)
}

/// Logs go to `dutydesk.log` in the data directory (created 0600), never to the screen.
/// Returns the appender's guard (dropping it flushes) and the file, for the panic hook.
pub(super) fn init_logging(
    dir: &std::path::Path,
) -> (
    Option<tracing_appender::non_blocking::WorkerGuard>,
    Option<PathBuf>,
) {
    let path = dir.join("dutydesk.log");
    let Ok(file) = crate::tui::terminal::open_log(&path) else {
        return (None, None);
    };
    let (writer, guard) = tracing_appender::non_blocking(file);
    let installed = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .is_ok();
    (installed.then_some(guard), Some(path))
}
