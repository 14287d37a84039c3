//! `dutydesk completions SHELL` and `dutydesk man [--out DIR]`: generated from the same clap
//! definitions as the parser (with help in the chosen language), so they never drift from it.
//! Neither opens, nor creates, a store.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{out, CliError, CliResult, Ctx};

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write one page per command and subcommand into this directory (dutydesk.1,
    /// dutydesk-issue-add.1, …) instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn completions(ctx: &Ctx, a: CompletionsArgs) -> CliResult {
    let mut cmd = super::help::command(ctx.lang);
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "dutydesk", &mut buf);
    write_raw(&buf)
}

pub fn man(ctx: &Ctx, a: ManArgs) -> CliResult {
    let mut cmd = super::help::command(ctx.lang);
    cmd.build();
    match a.out {
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(|e| CliError::Failed(e.to_string()))?;
            write_raw(&buf)
        }
        Some(dir) => {
            let dir = ctx.path(&dir);
            std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e, ctx))?;
            let mut n = 0;
            pages(&cmd, "dutydesk", &dir, &mut n, ctx)?;
            out(&if ctx.lang.is_en() {
                format!("{n} manual pages written to {}\n", dir.display())
            } else {
                format!("已在 {} 写入 {n} 个手册页\n", dir.display())
            })
        }
    }
}

/// Writes the page of `cmd` (named `name`) and of each of its subcommands, depth first.
fn pages(cmd: &clap::Command, name: &str, dir: &Path, n: &mut usize, ctx: &Ctx) -> CliResult {
    // A subcommand's page is titled with its whole path, so `man dutydesk-issue-add` finds it.
    let page = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    let path = dir.join(format!("{name}.1"));
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut buf)
        .map_err(|e| CliError::Failed(e.to_string()))?;
    std::fs::write(&path, buf).map_err(|e| io_err(&path, e, ctx))?;
    *n += 1;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        pages(sub, &format!("{name}-{}", sub.get_name()), dir, n, ctx)?;
    }
    Ok(())
}

fn io_err(p: &Path, e: std::io::Error, ctx: &Ctx) -> CliError {
    CliError::Failed(format!(
        "{}: {} ({e})",
        p.display(),
        ctx.pick("无法写入", "cannot write")
    ))
}

/// Generated scripts and roff hold no stored text; they go out as printed text does.
fn write_raw(b: &[u8]) -> CliResult {
    out(&String::from_utf8_lossy(b))
}
