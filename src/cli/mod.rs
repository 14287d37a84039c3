//! The command line: clap definitions and the subcommands. Tables for people, JSON/CSV for
//! scripts. Exit codes: 0 ok, 1 runtime failure, 2 bad input (message on stderr).

mod bench_cmd;
mod calendar_cmd;
mod csv_in;
mod demo_cmd;
mod enterprise_cmd;
mod inspection_cmd;
mod issue_cmd;
pub mod output;
mod report_cmd;
mod store_cmd;

use std::path::PathBuf;

use chrono::{NaiveDateTime, Timelike};
use clap::{Parser, Subcommand};

use crate::desk::{Desk, DeskError};
use crate::i18n::Lang;

/// dutydesk — 政企交流平台值班台 (duty desk of the government–enterprise liaison platform).
#[derive(Parser, Debug)]
#[command(name = "dutydesk", version, about, long_about = None)]
pub struct Cli {
    /// Data directory (default: the platform data directory; env DUTYDESK_DATA).
    #[arg(long, global = true, env = "DUTYDESK_DATA")]
    pub data: Option<PathBuf>,
    /// UI language: zh (default) or en.
    #[arg(long, global = true)]
    pub lang: Option<String>,
    /// Keymap: a name (default, vim) or a path to a TOML file.
    #[arg(long, global = true)]
    pub keymap: Option<String>,
    /// Officer recorded as the author of changes made from the command line
    /// (env DUTYDESK_OFFICER; default: the login name).
    #[arg(long, global = true, env = "DUTYDESK_OFFICER")]
    pub officer: Option<String>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Build (if needed) and open a realistic demo store.
    Demo(demo_cmd::DemoArgs),
    /// Enterprises: import, export, search.
    #[command(subcommand)]
    Enterprise(enterprise_cmd::EnterpriseCmd),
    /// Issues: add, assign, transfer, contact, reply, resolve, evaluate, reopen, void, list, show.
    #[command(subcommand)]
    Issue(issue_cmd::IssueCmd),
    /// The shift handover brief (交接班): the current shift's draft, a filed one, or a period's.
    Handover(report_cmd::HandoverArgs),
    /// Unit scorecards and platform totals for a date range.
    Report(report_cmd::ReportArgs),
    /// Inspection reports (码上报备) and the no-disturbance days: add, list.
    #[command(subcommand)]
    Inspection(inspection_cmd::InspectionCmd),
    /// Working days on China's holiday calendar.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCmd),
    /// Check the journal's hash chain and that the view matches it.
    Verify,
    /// Rebuild the view (current records and indexes) from the journal.
    Rebuild,
    /// Copy the journal to a new directory.
    Backup { path: PathBuf },
    /// Replace the store's records with a backup's (the current journal is kept beside it).
    Restore { path: PathBuf },
    /// Measure the performance targets on a generated store (100,000 issues by default).
    Bench(bench_cmd::BenchArgs),
}

/// A failure of a command, with its exit code.
#[derive(Debug)]
pub enum CliError {
    /// Exit 2: the input was wrong; the message says what and how to fix it.
    BadInput(String),
    /// Exit 1: something failed that was not the user's input.
    Failed(String),
}

impl CliError {
    pub fn desk(e: DeskError, lang: Lang) -> CliError {
        if e.is_bad_input() {
            CliError::BadInput(e.message(lang))
        } else {
            CliError::Failed(e.message(lang))
        }
    }
}

pub type CliResult = Result<(), CliError>;

/// What every subcommand needs.
pub struct Ctx {
    pub lang: Lang,
    pub data: PathBuf,
    pub officer: String,
    pub keymap: Option<String>,
    /// Explicit --lang (overrides the config file).
    pub lang_forced: bool,
}

impl Ctx {
    /// Opens the desk (taking the store lock); config language applies unless --lang was given.
    pub fn open(&mut self) -> Result<Desk, CliError> {
        let mut desk = Desk::open(&self.data).map_err(|e| CliError::desk(e, self.lang))?;
        if self.lang_forced {
            desk.config.lang = self.lang;
        } else {
            self.lang = desk.config.lang;
        }
        Ok(desk)
    }

    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    pub fn err(&self, e: DeskError) -> CliError {
        CliError::desk(e, self.lang)
    }
}

/// The desk's clock: `DUTYDESK_NOW` (YYYY-MM-DDTHH:MM[:SS]) fixes it for tests and demos.
pub fn now() -> Result<NaiveDateTime, CliError> {
    match std::env::var("DUTYDESK_NOW") {
        Ok(s) if !s.trim().is_empty() => parse_datetime(&s).ok_or_else(|| {
            CliError::BadInput(format!(
                "DUTYDESK_NOW=\"{s}\": use YYYY-MM-DDTHH:MM:SS (e.g. 2026-09-30T10:00:00)"
            ))
        }),
        // Whole seconds: the journal records who and when, not nanoseconds.
        _ => Ok(chrono::Local::now()
            .naive_local()
            .with_nanosecond(0)
            .unwrap_or_default()),
    }
}

/// Accepts `YYYY-MM-DDTHH:MM[:SS]`, with `T` or a space, or a bare date (midnight).
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    parse_date(s).and_then(|d| d.and_hms_opt(0, 0, 0))
}

pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "dutydesk")
        .map(|p| p.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".dutydesk"))
}

fn default_officer() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "cli".into())
}

/// Parses the command line and runs it; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.use_stderr() => {
            // clap echoes the offending argument: plain text, through the sanitiser.
            warn(&e.render().to_string());
            return 2;
        }
        Err(e) => {
            // --help and --version: our own text, printed with clap's styling.
            let _ = e.print();
            return 0;
        }
    };
    let lang_arg = cli.lang.as_deref().map(|l| (l, Lang::parse(l)));
    let lang = match lang_arg {
        Some((_, Some(l))) => l,
        Some((raw, None)) => {
            warn(&format!("--lang \"{raw}\": 请使用 zh 或 en (use zh or en)"));
            return 2;
        }
        None => Lang::Zh,
    };
    let mut ctx = Ctx {
        lang,
        data: cli.data.clone().unwrap_or_else(default_data_dir),
        officer: cli
            .officer
            .clone()
            .filter(|o| !o.trim().is_empty())
            .unwrap_or_else(default_officer),
        keymap: cli.keymap.clone(),
        lang_forced: lang_arg.is_some(),
    };
    let result = match cli.command {
        None => demo_cmd::open_tui(&mut ctx, None),
        Some(Cmd::Demo(a)) => demo_cmd::run(&mut ctx, a),
        Some(Cmd::Enterprise(c)) => enterprise_cmd::run(&mut ctx, c),
        Some(Cmd::Issue(c)) => issue_cmd::run(&mut ctx, c),
        Some(Cmd::Handover(a)) => report_cmd::handover(&mut ctx, a),
        Some(Cmd::Report(a)) => report_cmd::report(&mut ctx, a),
        Some(Cmd::Inspection(c)) => inspection_cmd::run(&mut ctx, c),
        Some(Cmd::Calendar(c)) => calendar_cmd::run(&mut ctx, c),
        Some(Cmd::Verify) => store_cmd::verify(&mut ctx),
        Some(Cmd::Rebuild) => store_cmd::rebuild(&mut ctx),
        Some(Cmd::Backup { path }) => store_cmd::backup(&mut ctx, &path),
        Some(Cmd::Restore { path }) => store_cmd::restore(&mut ctx, &path),
        Some(Cmd::Bench(a)) => bench_cmd::run(&mut ctx, a),
    };
    match result {
        Ok(()) => 0,
        Err(CliError::BadInput(m)) => {
            warn(&format!("{}{m}", ctx.pick("错误：", "error: ")));
            2
        }
        Err(CliError::Failed(m)) => {
            warn(&format!("{}{m}", ctx.pick("错误：", "error: ")));
            1
        }
    }
}

/// Prints a message to stderr through the sanitiser: messages echo what the user typed and
/// what files hold, and none of it may act on the terminal.
pub fn warn(msg: &str) {
    let m = crate::sanitize::text(msg.trim_end_matches('\n'));
    eprintln!("{m}");
}

/// Writes to stdout, treating a closed pipe (`| head`) as success. Everything passes the
/// sanitiser once more on the way out (`crate::sanitize::output`), so text that slipped past a
/// field's own cleaning still cannot drive the terminal.
pub fn out(s: &str) -> CliResult {
    use std::io::Write;
    let s = crate::sanitize::output(s);
    let mut o = std::io::stdout().lock();
    match o.write_all(s.as_bytes()).and_then(|_| o.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Failed(e.to_string())),
    }
}

/// Pretty JSON of a serde value; bidi controls and invisible characters inside strings are
/// written as `\uXXXX` escapes (`crate::sanitize::json`), so the document is lossless and
/// still safe to print.
pub fn json<T: serde::Serialize>(v: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(v)
        .map(|s| crate::sanitize::json(s) + "\n")
        .map_err(|e| CliError::Failed(e.to_string()))
}

/// Output format flag shared by list commands.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
}
