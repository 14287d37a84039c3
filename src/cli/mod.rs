//! The command line: clap definitions and the subcommands. Tables for people, JSON/CSV for
//! scripts. Exit codes: 0 ok, 1 runtime failure, 2 bad input (message on stderr).

mod account_cmd;
mod bench_cmd;
mod calendar_cmd;
mod city_cmd;
mod csv_in;
pub mod csv_out;
mod demo_cmd;
mod docs_cmd;
mod enterprise_cmd;
mod help;
mod inspection_cmd;
mod issue_cmd;
pub mod output;
mod progress;
mod report_cmd;
mod residency_cmd;
mod serve_cmd;
mod store_cmd;

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::desk::{Desk, DeskError};
use crate::domain::policy::Act;
use crate::domain::Account;
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
    /// Keymap of the TUI: a name (default, vim) or a path to a TOML file.
    #[arg(long)]
    pub keymap: Option<String>,
    /// Officer recorded as the author of changes made from the command line
    /// (env DUTYDESK_OFFICER; default: the login name).
    #[arg(long, global = true, env = "DUTYDESK_OFFICER")]
    pub officer: Option<String>,
    /// Seal key kept outside the data directory: every event is sealed with it and seals are
    /// checked (env DUTYDESK_KEY_FILE; make one with `dutydesk key generate FILE`).
    #[arg(long, global = true, env = "DUTYDESK_KEY_FILE")]
    pub key_file: Option<PathBuf>,
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
    /// The residency programme (四帮一体验): rounds, orders, placements, the 五个一, scores,
    /// figures.
    #[command(subcommand)]
    Residency(residency_cmd::ResidencyCmd),
    /// Working days on China's holiday calendar.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCmd),
    /// Check the journal (hash chain, batches, seals), witnesses, and the view's content.
    Verify(store_cmd::VerifyArgs),
    /// The seal key: `key generate FILE` makes one.
    #[command(subcommand)]
    Key(store_cmd::KeyCmd),
    /// Rebuild the view (current records and indexes) from the journal.
    Rebuild,
    /// Copy the journal to a new directory.
    Backup {
        /// A new directory for the copy.
        path: PathBuf,
    },
    /// Replace the store's records with a backup's (the current journal is kept beside it).
    Restore {
        /// The backup's directory.
        path: PathBuf,
    },
    /// Measure the performance targets on a generated store (100,000 issues by default).
    Bench(bench_cmd::BenchArgs),
    /// Accounts of the shared desk: add, list, disable, key add.
    #[command(subcommand)]
    Account(account_cmd::AccountCmd),
    /// Run the shared desk: one process owns the store; desks, units and supervisors work
    /// through SSH (and commands on this machine through the socket in the data directory).
    Serve(serve_cmd::ServeArgs),
    /// Send this district's journal to the city's PostgreSQL (what it does not hold yet).
    Sync(city_cmd::SyncArgs),
    /// City-wide figures from the city's PostgreSQL: `city report`.
    #[command(subcommand)]
    City(city_cmd::CityCmd),
    /// Shell completions (bash, zsh, fish, powershell, elvish) on stdout.
    Completions(docs_cmd::CompletionsArgs),
    /// The manual page (roff) on stdout, or one page per subcommand with --out DIR.
    Man(docs_cmd::ManArgs),
}

impl Cmd {
    /// Whether a running server can carry this command out for a client (the rest need the
    /// machine they run on: the demo, the bench, key files, the server itself).
    pub fn servable(&self) -> bool {
        !matches!(
            self,
            Cmd::Demo(_)
                | Cmd::Bench(_)
                | Cmd::Key(_)
                | Cmd::Serve(_)
                | Cmd::Sync(_)
                | Cmd::City(_)
                | Cmd::Calendar(_)
                | Cmd::Completions(_)
                | Cmd::Man(_)
        )
    }
}

/// A failure of a command, with its exit code.
#[derive(Debug)]
pub enum CliError {
    /// Exit 2: the input was wrong; the message says what and how to fix it.
    BadInput(String),
    /// Exit 1: something failed that was not the user's input.
    Failed(String),
    /// Exit 3: the account's role does not allow it.
    Refused(String),
}

impl CliError {
    pub fn desk(e: DeskError, lang: Lang) -> CliError {
        if matches!(e, DeskError::Refused(_)) {
            CliError::Refused(e.message(lang))
        } else if e.is_bad_input() {
            CliError::BadInput(e.message(lang))
        } else {
            CliError::Failed(e.message(lang))
        }
    }
}

pub type CliResult = Result<(), CliError>;

/// The server's desk, lent to one command at a time on the server's desk thread.
pub type DeskSlot = Rc<RefCell<Option<Desk>>>;

/// A desk for a command: opened by the command itself, or lent by the server (and given
/// back, with its language as it was, when the command is done).
pub struct DeskLease {
    desk: Option<Desk>,
    home: Option<(DeskSlot, Lang)>,
}

impl std::ops::Deref for DeskLease {
    type Target = Desk;
    fn deref(&self) -> &Desk {
        self.desk
            .as_ref()
            .expect("a lease holds its desk until dropped")
    }
}

impl std::ops::DerefMut for DeskLease {
    fn deref_mut(&mut self) -> &mut Desk {
        self.desk
            .as_mut()
            .expect("a lease holds its desk until dropped")
    }
}

impl DeskLease {
    /// The desk itself, for what only a desk of its own can do (the local TUI); None when
    /// it is the server's.
    pub fn into_own(mut self) -> Option<Desk> {
        match self.home {
            None => self.desk.take(),
            Some(_) => None,
        }
    }
}

impl Drop for DeskLease {
    fn drop(&mut self) {
        if let (Some(mut desk), Some((slot, lang))) = (self.desk.take(), self.home.take()) {
            desk.config.lang = lang;
            *slot.borrow_mut() = Some(desk);
        }
    }
}

/// What every subcommand needs.
pub struct Ctx {
    pub lang: Lang,
    pub data: PathBuf,
    pub officer: String,
    pub keymap: Option<String>,
    /// Explicit --lang (overrides the config file).
    pub lang_forced: bool,
    /// The seal key's file (--key-file / DUTYDESK_KEY_FILE).
    pub key_file: Option<PathBuf>,
    /// Who runs the command: over SSH, the authenticated account; on this machine, its
    /// administrator under the officer's name.
    pub account: Account,
    /// In a server: the desk it lends to commands.
    pub served: Option<DeskSlot>,
    /// Where relative paths on the command line start (the client's directory, when the
    /// command came from another process on this machine).
    pub cwd: Option<PathBuf>,
    /// What the client sent on stdin (`--password-stdin`), when served.
    pub stdin: Option<Vec<u8>>,
}

impl Ctx {
    /// Opens the desk (taking the store lock), or borrows the server's; config language
    /// applies unless --lang was given.
    pub fn open(&mut self) -> Result<DeskLease, CliError> {
        let mut lease = match &self.served {
            Some(slot) => {
                let desk = slot.borrow_mut().take().ok_or_else(|| {
                    CliError::Failed("the server's desk is busy; try again".into())
                })?;
                let lang = desk.config.lang;
                DeskLease {
                    desk: Some(desk),
                    home: Some((slot.clone(), lang)),
                }
            }
            None => {
                let opts = self.store_options()?;
                let desk =
                    Desk::open_with(&self.data, opts).map_err(|e| CliError::desk(e, self.lang))?;
                DeskLease {
                    desk: Some(desk),
                    home: None,
                }
            }
        };
        let desk = &mut *lease;
        if self.lang_forced {
            desk.config.lang = self.lang;
        } else {
            self.lang = desk.config.lang;
        }
        // Reading still works on a damaged or shortened journal; every command says so.
        if let Some(d) = desk.degraded() {
            warn(&format!(
                "{}{}",
                self.pick("警告：", "warning: "),
                crate::store::StoreError::ReadOnly(d).message(self.lang)
            ));
        }
        Ok(lease)
    }

    /// Opens the desk for `act`, if the account may do it (exit 3 otherwise).
    pub fn open_for(&mut self, act: Act) -> Result<DeskLease, CliError> {
        let desk = self.open_existing()?;
        self.authorize(act)?;
        Ok(desk)
    }

    /// Refuses `act` (exit 3, the role and the action named) if the account may not do it.
    pub fn authorize(&self, act: Act) -> Result<(), CliError> {
        crate::domain::policy::authorize(&self.account, act, None).map_err(|r| {
            tracing::warn!(account = %self.account.name, act = act.en(), "refused");
            CliError::Refused(crate::desk::refusal_message(&r, self.lang))
        })
    }

    /// The seal key (read from its file) and a progress line for rebuilds.
    pub fn store_options(&self) -> Result<crate::store::OpenOptions, CliError> {
        let key = match &self.key_file {
            Some(p) => Some(
                crate::store::SealKey::load(p, &self.data)
                    .map_err(|e| CliError::BadInput(e.message(self.lang)))?,
            ),
            None => None,
        };
        Ok(crate::store::OpenOptions {
            key,
            progress: Some(progress::for_store(self.lang)),
        })
    }

    /// Opens the desk for a command that reads the store or works on records it must already
    /// hold (issues, inspections of registered enterprises): a directory that holds no store
    /// (no `journal.jsonl`) is refused rather than turned into a new, empty one — a mistyped
    /// `--data` would otherwise answer "no issues". Only `enterprise import|add` and `demo`
    /// start a new store.
    pub fn open_existing(&mut self) -> Result<DeskLease, CliError> {
        if self.served.is_none() && !crate::store::exists(&self.data) {
            let dir = self.data.display();
            return Err(CliError::BadInput(if self.lang.is_en() {
                format!(
                    "no dutydesk store in {dir}; check --data / DUTYDESK_DATA. To create one, run `dutydesk demo --data {dir}` (a demo store) or `dutydesk enterprise import FILE.csv --data {dir}`"
                )
            } else {
                format!(
                    "{dir} 中没有 dutydesk 数据；请检查 --data 或环境变量 DUTYDESK_DATA。如需新建，请运行 `dutydesk demo --data {dir}`（演示数据）或 `dutydesk enterprise import 文件.csv --data {dir}`"
                )
            }));
        }
        self.open()
    }

    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// A path given on the command line, relative to where the user typed it.
    pub fn path(&self, p: &std::path::Path) -> PathBuf {
        match &self.cwd {
            Some(base) if p.is_relative() => base.join(p),
            _ => p.to_path_buf(),
        }
    }

    /// The client's stdin: read here, or sent with a served command.
    pub fn read_stdin(&mut self) -> Result<Vec<u8>, CliError> {
        if let Some(b) = self.stdin.take() {
            return Ok(b);
        }
        if self.served.is_some() {
            return Ok(vec![]);
        }
        use std::io::Read;
        let mut b = Vec::new();
        std::io::stdin()
            .take(64 * 1024)
            .read_to_end(&mut b)
            .map_err(|e| CliError::Failed(e.to_string()))?;
        Ok(b)
    }

    pub fn err(&self, e: DeskError) -> CliError {
        CliError::desk(e, self.lang)
    }

    /// Like `err`, for a command on issue `id`: a refused step names the issue and the command
    /// to run instead.
    pub fn issue_err(&self, e: DeskError, id: u64) -> CliError {
        match &e {
            DeskError::Transition(t) => {
                CliError::BadInput(crate::desk::transition_message(t, Some(id), self.lang))
            }
            _ => self.err(e),
        }
    }
}

/// The desk's clock: `DUTYDESK_NOW` (YYYY-MM-DDTHH:MM[:SS]) fixes it for tests and demos.
/// `main` checks the variable before any command runs, so later calls only fail if it changes.
pub fn now() -> Result<NaiveDateTime, CliError> {
    now_in(Lang::Zh)
}

fn now_in(lang: Lang) -> Result<NaiveDateTime, CliError> {
    match std::env::var("DUTYDESK_NOW") {
        Ok(s) if !s.trim().is_empty() => parse_datetime(&s).ok_or_else(|| {
            CliError::BadInput(format!(
                "DUTYDESK_NOW=\"{s}\": {}",
                lang.pick(
                    "应为 YYYY-MM-DDTHH:MM:SS，年份写满四位（如 2026-09-30T10:00:00）；不需要固定时钟时请删除该环境变量",
                    "use YYYY-MM-DDTHH:MM:SS with a four-digit year (e.g. 2026-09-30T10:00:00), or unset it to use the real clock"
                )
            ))
        }),
        // Whole seconds: the journal records who and when, not nanoseconds.
        _ => Ok(chrono::Local::now()
            .naive_local()
            .with_nanosecond(0)
            .unwrap_or_default()),
    }
}

/// A date on the command line: `YYYY-MM-DD` with a four-digit year (a month or day may drop
/// its leading zero: 2026-1-5). Anything else — `26-1-1`, `2026/01/01`, `0026-01-01` — is
/// refused rather than guessed at.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    crate::calendar::parse_date(s)
}

/// A time on the command line: a date as `parse_date` takes it, optionally followed by `T` or
/// a space and `HH:MM` or `HH:MM:SS`; a bare date is midnight.
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let date = parse_date(date)?;
    let Some(time) = time else {
        return date.and_hms_opt(0, 0, 0);
    };
    let parts: Vec<&str> = time.split(':').collect();
    let num = |p: &str, n: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (h, m, sec) = match parts.as_slice() {
        [h, m] => (num(h, 1..=2)?, num(m, 2..=2)?, 0),
        [h, m, sec] => (num(h, 1..=2)?, num(m, 2..=2)?, num(sec, 2..=2)?),
        _ => return None,
    };
    date.and_hms_opt(h, m, sec)
}

/// A likely meaning of a date typed in another form: `26-1-1` → `2026-01-01`,
/// `2026/1/1`, `2026.1.1` or `2026年1月1日` → `2026-01-01`.
pub fn date_suggestion(s: &str) -> Option<String> {
    let s = s.trim();
    let norm: String = s
        .trim_end_matches('日')
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            c => c,
        })
        .collect();
    let (date, rest) = match norm.split_once(['T', ' ']) {
        Some((d, t)) => (d.to_string(), Some(t.to_string())),
        None => (norm.clone(), None),
    };
    let p: Vec<&str> = date.split('-').collect();
    let d = match p.as_slice() {
        [y, m, d] if (1..=2).contains(&y.len()) && y.bytes().all(|b| b.is_ascii_digit()) => {
            parse_date(&format!("20{y:0>2}-{m}-{d}"))
        }
        [y, m, d] => parse_date(&format!("{y}-{m}-{d}")),
        _ => None,
    }?;
    let out = match rest {
        Some(t) => format!("{}T{t}", d.format("%Y-%m-%d")),
        None => d.format("%Y-%m-%d").to_string(),
    };
    (out != s).then_some(out)
}

/// Reads a date argument or says how to write it (with a likely meaning when there is one).
pub fn date_arg(lang: Lang, field: &'static str, s: &str) -> Result<NaiveDate, CliError> {
    parse_date(s).ok_or_else(|| {
        let mut m = DeskError::invalid(field, s.trim(), crate::desk::Problem::Date).message(lang);
        if let Some(g) = date_suggestion(s) {
            m.push_str(&if lang.is_en() {
                format!("; did you mean {g}?")
            } else {
                format!("；是否指 {g}？")
            });
        }
        CliError::BadInput(m)
    })
}

/// Reads a time argument (`YYYY-MM-DDTHH:MM[:SS]` or a date) or says how to write it.
pub fn datetime_arg(lang: Lang, field: &'static str, s: &str) -> Result<NaiveDateTime, CliError> {
    parse_datetime(s).ok_or_else(|| {
        let mut m =
            DeskError::invalid(field, s.trim(), crate::desk::Problem::DateTime).message(lang);
        if let Some(g) = date_suggestion(s) {
            m.push_str(&if lang.is_en() {
                format!("; did you mean {g}?")
            } else {
                format!("；是否指 {g}？")
            });
        }
        CliError::BadInput(m)
    })
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

/// Parses the command line and runs it; returns the process exit code. When a server runs
/// on the data directory, a command it can serve goes through it (the socket in the data
/// directory) instead of opening the store, which the server holds.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cli = match parse(&args, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let data = cli.data.clone().unwrap_or_else(default_data_dir);
    log_start(&data, &args);
    log_panics(data.clone());
    let forward = cli.command.as_ref().is_none_or(|c| c.servable());
    if forward {
        let officer = officer_of(&cli);
        let through = match &cli.command {
            None => crate::serve::local::tty(&data, &officer),
            Some(_) => crate::serve::local::exec(&data, &officer, &args),
        };
        if let Some(code) = through {
            return code;
        }
    }
    let officer = officer_of(&cli);
    run(
        cli,
        data,
        Account::local_admin(&officer),
        None,
        ClientSide::default(),
    )
}

/// Parses a command line (`served`: the server's data directory, for the error language).
/// On a refusal the message is printed and the exit status returned.
fn parse(args: &[String], served: Option<&std::path::Path>) -> Result<Cli, i32> {
    let argv = std::iter::once("dutydesk".to_string()).chain(args.iter().cloned());
    let lang = args_lang(args, served);
    let parsed = help::command(lang)
        .try_get_matches_from(argv)
        .and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(c) => Ok(c),
        Err(e) if e.use_stderr() => {
            // clap echoes the offending argument: plain text, through the sanitiser, and in
            // Chinese unless the user asked for English.
            let text = match lang {
                Lang::Zh => clap_error_zh(&e).unwrap_or_else(|| e.render().to_string()),
                Lang::En => e.render().to_string(),
            };
            warn(&text);
            Err(2)
        }
        Err(e) => {
            // --help and --version: our own text, with clap's styling on a terminal.
            if CAPTURE.with(|c| c.borrow().is_some()) {
                out(&e.render().to_string()).ok();
            } else {
                let _ = e.print();
            }
            Err(0)
        }
    }
}

fn officer_of(cli: &Cli) -> String {
    cli.officer
        .clone()
        .filter(|o| !o.trim().is_empty())
        .unwrap_or_else(default_officer)
}

/// What a served command knows of its client's side: the directory relative paths start
/// from, and what it sent on stdin.
#[derive(Debug, Clone, Default)]
pub struct ClientSide {
    pub cwd: Option<PathBuf>,
    pub stdin: Option<Vec<u8>>,
}

/// What a command printed, when it ran inside the server for a client.
#[derive(Debug, Default)]
pub struct Captured {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

thread_local! {
    /// While a served command runs: where `out` and `warn` write instead of this process's
    /// stdout and stderr.
    static CAPTURE: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// Runs a command line inside the server, for `account`, on the server's desk (lent from
/// `slot`): what it printed, and its exit status. Runs on the server's desk thread.
pub fn run_served(
    args: &[String],
    account: &Account,
    slot: &DeskSlot,
    data: &std::path::Path,
    client: ClientSide,
) -> (Captured, i32) {
    CAPTURE.with(|c| *c.borrow_mut() = Some(Captured::default()));
    let code = (|| {
        let cli = match parse(args, Some(data)) {
            Ok(c) => c,
            Err(code) => return code,
        };
        let lang = cli
            .lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(|| slot.borrow().as_ref().map_or(Lang::Zh, |d| d.config.lang));
        let refuse = |zh: &str, en: &str| {
            warn(&format!(
                "{}{}",
                lang.pick("错误：", "error: "),
                lang.pick(zh, en)
            ));
            2
        };
        match &cli.command {
            None => {
                return refuse(
                    "此连接只能运行命令；打开值班台界面请用 `ssh -t`（或不带命令直接 ssh）",
                    "this connection runs one command; for the desk's screens connect with `ssh -t` (or without a command)",
                )
            }
            Some(c) if !c.servable() => {
                return refuse(
                    "该命令需要在服务器所在的机器上、且不经服务器运行",
                    "this command runs on the server's machine, not through the server",
                )
            }
            _ => {}
        }
        if args
            .iter()
            .any(|a| a == "--data" || a.starts_with("--data="))
        {
            return refuse(
                "服务器只服务其自己的数据目录；请去掉 --data",
                "the server serves its own data directory only; leave out --data",
            );
        }
        let served_account = account.clone();
        run(
            cli,
            data.to_path_buf(),
            served_account,
            Some(slot.clone()),
            client,
        )
    })();
    let captured = CAPTURE.with(|c| c.borrow_mut().take()).unwrap_or_default();
    (captured, code)
}

/// Runs a parsed command line for `account` (with the server's desk when `served`); returns
/// the exit status.
fn run(
    cli: Cli,
    data: PathBuf,
    account: Account,
    served: Option<DeskSlot>,
    client: ClientSide,
) -> i32 {
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
        data,
        officer: account.author().to_string(),
        keymap: cli.keymap.clone(),
        lang_forced: lang_arg.is_some(),
        key_file: cli.key_file.clone().filter(|p| !p.as_os_str().is_empty()),
        account,
        served,
        cwd: client.cwd,
        stdin: client.stdin,
    };
    // A bad fixed clock is refused before anything opens.
    if let Err(CliError::BadInput(m) | CliError::Failed(m) | CliError::Refused(m)) =
        now_in(ctx.lang)
    {
        warn(&format!("{}{m}", ctx.pick("错误：", "error: ")));
        return 2;
    }
    let result = match cli.command {
        None => demo_cmd::open_tui(&mut ctx, None),
        Some(Cmd::Demo(a)) => demo_cmd::run(&mut ctx, a),
        Some(Cmd::Enterprise(c)) => enterprise_cmd::run(&mut ctx, c),
        Some(Cmd::Issue(c)) => issue_cmd::run(&mut ctx, c),
        Some(Cmd::Handover(a)) => report_cmd::handover(&mut ctx, a),
        Some(Cmd::Report(a)) => report_cmd::report(&mut ctx, a),
        Some(Cmd::Inspection(c)) => inspection_cmd::run(&mut ctx, c),
        Some(Cmd::Residency(c)) => residency_cmd::run(&mut ctx, c),
        Some(Cmd::Calendar(c)) => calendar_cmd::run(&mut ctx, c),
        Some(Cmd::Verify(a)) => store_cmd::verify(&mut ctx, a),
        Some(Cmd::Key(c)) => store_cmd::key(&mut ctx, c),
        Some(Cmd::Rebuild) => store_cmd::rebuild(&mut ctx),
        Some(Cmd::Backup { path }) => store_cmd::backup(&mut ctx, &path),
        Some(Cmd::Restore { path }) => store_cmd::restore(&mut ctx, &path),
        Some(Cmd::Bench(a)) => bench_cmd::run(&mut ctx, a),
        Some(Cmd::Account(c)) => account_cmd::run(&mut ctx, c),
        Some(Cmd::Serve(a)) => serve_cmd::run(&mut ctx, a),
        Some(Cmd::Sync(a)) => city_cmd::sync(&mut ctx, a),
        Some(Cmd::City(c)) => city_cmd::city(&mut ctx, c),
        Some(Cmd::Completions(a)) => docs_cmd::completions(&ctx, a),
        Some(Cmd::Man(a)) => docs_cmd::man(&ctx, a),
    };
    let code = |e: &CliError| match e {
        CliError::BadInput(_) => 2,
        CliError::Failed(_) => 1,
        CliError::Refused(_) => 3,
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            let (CliError::BadInput(m) | CliError::Failed(m) | CliError::Refused(m)) = &e;
            warn(&format!("{}{m}", ctx.pick("错误：", "error: ")));
            log_line(
                &ctx.data,
                &format!(
                    "ERROR exit {} ({}): {}",
                    code(&e),
                    ctx.account.name,
                    m.replace('\n', " ⏎ ")
                ),
            );
            code(&e)
        }
    }
}

/// Appends one line to the store's `dutydesk.log` (0600). Only a directory that holds a store
/// gets one: a mistyped `--data` must stay empty. Best effort: a log that cannot be written
/// never stops a command.
fn log_line(data: &std::path::Path, text: &str) {
    use std::io::Write;
    if !crate::store::exists(data) {
        return;
    }
    let at = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f%:z");
    if let Ok(mut f) = crate::tui::terminal::open_log(&data.join("dutydesk.log")) {
        let _ = writeln!(f, "{at} {text}");
    }
}

/// Records that a command started: version, process id, and the command without its values
/// (subcommand names and option names only: values may be phone numbers or what an
/// enterprise said).
fn log_start(data: &std::path::Path, args: &[String]) {
    let mut shown = Vec::new();
    let mut cmd = Cli::command();
    for a in args {
        if a.starts_with('-') {
            shown.push(a.split('=').next().unwrap_or(a).to_string());
        } else if let Some(sub) = cmd.find_subcommand(a).cloned() {
            shown.push(a.clone());
            cmd = sub;
        }
    }
    log_line(
        data,
        &format!(
            "INFO start dutydesk {} pid {}: {}",
            env!("CARGO_PKG_VERSION"),
            std::process::id(),
            crate::sanitize::line(&shown.join(" "))
        ),
    );
}

/// Panics of command-line commands go to the log too, after the usual message (the TUI puts
/// in its own hook, which also restores the terminal).
fn log_panics(data: PathBuf) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        log_line(&data, &panic_line(&info.to_string()));
    }));
}

fn panic_line(message: &str) -> String {
    format!(
        "PANIC pid {}: {message}\nbacktrace:\n{}",
        std::process::id(),
        std::backtrace::Backtrace::force_capture()
    )
}

/// The language for a command line clap refused: `--lang` if it can be read from the
/// arguments, else the data directory's `config.toml`, else Chinese.
fn args_lang(args: &[String], served: Option<&std::path::Path>) -> Lang {
    let flag = |name: &str| -> Option<String> {
        args.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix(&format!("{name}="))
                .map(str::to_string)
                .or_else(|| (a == name).then(|| args.get(i + 1).cloned()).flatten())
        })
    };
    if let Some(l) = flag("--lang").and_then(|l| Lang::parse(&l)) {
        return l;
    }
    let dir = served.map(|d| d.to_path_buf()).unwrap_or_else(|| {
        flag("--data")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("DUTYDESK_DATA").map(PathBuf::from))
            .unwrap_or_else(default_data_dir)
    });
    crate::config::Config::load(&dir).map_or(Lang::Zh, |c| c.lang)
}

/// clap's refusal in Chinese, with the usage line; `None` for kinds best left to clap.
fn clap_error_zh(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |k: ContextKind| -> String {
        match e.get(k) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join("、"),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let suggestion = {
        let s = [
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedArg,
            ContextKind::SuggestedValue,
        ]
        .into_iter()
        .map(get)
        .find(|s| !s.is_empty());
        s.map(|s| format!("；是否指 {s}？")).unwrap_or_default()
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let head = match e.kind() {
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            if valid.is_empty() {
                format!("参数 {arg} 的值「{value}」无效{suggestion}")
            } else {
                format!("参数 {arg} 的值「{value}」无效；可用的值：{valid}{suggestion}")
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            if why.contains("digit") || why.contains("number") {
                format!("参数 {arg} 的值「{value}」应为非负整数")
            } else {
                format!("参数 {arg} 的值「{value}」无效")
            }
        }
        ErrorKind::UnknownArgument => {
            format!("不认识的参数「{arg}」{suggestion}（以 - 开头的值请写成 --参数=值）")
        }
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand);
            format!("没有子命令「{sub}」{suggestion}")
        }
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必填参数：{arg}")
        }
        ErrorKind::ArgumentConflict => {
            format!("参数 {arg} 不能与 {} 同时使用", get(ContextKind::PriorArg))
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 须写成 {arg}=值"),
        _ => return None,
    };
    let usage = get(ContextKind::Usage);
    let usage = usage
        .trim()
        .strip_prefix("Usage:")
        .map(|u| format!("\n用法：{}", u.trim()))
        .unwrap_or_default();
    Some(format!("错误：{head}{usage}\n用 --help 查看说明。"))
}

/// Prints a message to stderr through the sanitiser: messages echo what the user typed and
/// what files hold, and none of it may act on the terminal.
pub fn warn(msg: &str) {
    let m = crate::sanitize::text(msg.trim_end_matches('\n'));
    let captured = CAPTURE.with(|c| match c.borrow_mut().as_mut() {
        Some(cap) => {
            cap.stderr.extend_from_slice(m.as_bytes());
            cap.stderr.push(b'\n');
            true
        }
        None => false,
    });
    if !captured {
        eprintln!("{m}");
    }
}

/// Writes to stdout, treating a closed pipe (`| head`) as success. Everything passes the
/// sanitiser once more on the way out (`crate::sanitize::output`), so text that slipped past a
/// field's own cleaning still cannot drive the terminal.
pub fn out(s: &str) -> CliResult {
    use std::io::Write;
    let s = crate::sanitize::output(s);
    let captured = CAPTURE.with(|c| match c.borrow_mut().as_mut() {
        Some(cap) => {
            cap.stdout.extend_from_slice(s.as_bytes());
            true
        }
        None => false,
    });
    if captured {
        return Ok(());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Set in the child process `a_command_panic_reaches_the_log` starts: the store to log to.
    const PANIC_CHILD: &str = "DUTYDESK_TEST_PANIC_CHILD";

    /// In the child only: installs the command line's panic hook and panics, as a command
    /// would. Run on its own it does nothing.
    #[test]
    fn panicking_child() {
        if let Some(dir) = std::env::var_os(PANIC_CHILD) {
            log_panics(PathBuf::from(dir));
            panic!("boom in a command");
        }
    }

    /// The hook is process-wide, so the panic happens in a child run of this test binary.
    #[test]
    fn a_command_panic_reaches_the_log() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("journal.jsonl"), "").unwrap();
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "cli::tests::panicking_child", "--test-threads=1"])
            .env(PANIC_CHILD, dir.path())
            .output()
            .unwrap();
        assert!(!child.status.success(), "the child must have panicked");
        let log = std::fs::read_to_string(dir.path().join("dutydesk.log")).unwrap();
        assert!(
            log.contains(" PANIC pid ")
                && log.contains("boom in a command")
                && log.contains("backtrace:"),
            "{log}"
        );
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_need_a_four_digit_year() {
        assert_eq!(parse_date("2026-01-01"), Some(d(2026, 1, 1)));
        assert_eq!(parse_date(" 2026-1-5 "), Some(d(2026, 1, 5)));
        for bad in [
            "26-1-1",
            "026-01-01",
            "0026-01-01",
            "20260-01-01",
            "2026/01/01",
            "2026-13-01",
            "2026-02-30",
            "2026-01-01-",
            "2026-001-01",
            "+2026-01-01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        let t = |s: &str| parse_datetime(s);
        let at = |h, m, s| d(2026, 11, 20).and_hms_opt(h, m, s);
        assert_eq!(t("2026-11-20T08:30"), at(8, 30, 0));
        assert_eq!(t("2026-11-20 8:30:15"), at(8, 30, 15));
        assert_eq!(t("2026-11-20"), at(0, 0, 0));
        for bad in [
            "26-11-20T08:30",
            "2026-11-20T8",
            "2026-11-20T08:3",
            "2026-11-20T25:00",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_date_in_another_form_gets_a_suggestion() {
        assert_eq!(date_suggestion("26-1-1").as_deref(), Some("2026-01-01"));
        assert_eq!(date_suggestion("2026/1/5").as_deref(), Some("2026-01-05"));
        assert_eq!(
            date_suggestion("2026年1月5日").as_deref(),
            Some("2026-01-05")
        );
        assert_eq!(
            date_suggestion("26-11-20T08:30").as_deref(),
            Some("2026-11-20T08:30")
        );
        assert_eq!(date_suggestion("yesterday"), None);
        let Err(CliError::BadInput(m)) = date_arg(Lang::Zh, "DATE", "26-1-1") else {
            panic!("26-1-1 must be refused");
        };
        assert!(
            m.contains("年份写满四位") && m.contains("是否指 2026-01-01"),
            "{m}"
        );
        let Err(CliError::BadInput(m)) = date_arg(Lang::En, "--from", "26-1-1") else {
            panic!("26-1-1 must be refused");
        };
        assert!(
            m.starts_with("--from \"26-1-1\": dates are YYYY-MM-DD with a four-digit year"),
            "{m}"
        );
    }
}
