//! `dutydesk sync --postgres URL` (this district's journal to the city database, once),
//! `dutydesk city report` (city-wide figures computed in PostgreSQL) and the city side of
//! `dutydesk verify --postgres URL`.

use chrono::Datelike;
use clap::{Args, Subcommand};

use super::csv_out::{self, Cell};
use super::report_cmd::ReportFormat;
use super::{date_arg, now, out, CliError, CliResult, Ctx};
use crate::city::{conn::Target, report, sync, verify, CityError};
use crate::domain::policy::Act;
use crate::i18n::Lang;

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// The city's PostgreSQL: postgres://USER@HOST:PORT/DATABASE?sslmode=require (the
    /// password from PGPASSWORD or ~/.pgpass, never on the command line).
    #[arg(long, value_name = "URL", env = "DUTYDESK_POSTGRES")]
    pub postgres: String,
    /// Events per transaction.
    #[arg(long, default_value_t = sync::CHUNK, value_name = "N")]
    pub batch: usize,
}

#[derive(Subcommand, Debug)]
pub enum CityCmd {
    /// Figures per district and per lead unit across the districts, computed in the city's
    /// PostgreSQL with the district scorecard's definitions.
    Report(CityReportArgs),
}

#[derive(Args, Debug)]
pub struct CityReportArgs {
    /// The city's PostgreSQL (as for `sync`).
    #[arg(long, value_name = "URL", env = "DUTYDESK_POSTGRES")]
    pub postgres: String,
    /// First day (YYYY-MM-DD; default: the first of this month).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, inclusive (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub to: Option<String>,
    /// Only this district (its 6-digit code).
    #[arg(long, value_name = "CODE")]
    pub district: Option<String>,
    /// md: Markdown for people; json: for scripts; csv: one row per district and unit.
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
}

fn city_err(e: CityError, lang: Lang) -> CliError {
    let m = e.message(lang);
    if e.is_bad_input() {
        CliError::BadInput(m)
    } else {
        CliError::Failed(m)
    }
}

fn target(ctx: &Ctx, url: &str) -> Result<Target, CliError> {
    Target::parse(url).map_err(|e| city_err(e, ctx.lang))
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(e.to_string()))
}

pub fn sync(ctx: &mut Ctx, a: SyncArgs) -> CliResult {
    let target = target(ctx, &a.postgres)?;
    let desk = match ctx.open_for(Act::Verify) {
        // A server owns the store (its socket is there): it is the one to stream.
        Err(CliError::Failed(_)) if crate::serve::local::socket(&ctx.data).exists() => {
            return Err(CliError::Failed(ctx.pick(
                "本数据目录由运行中的服务器掌管：请用 `dutydesk serve --postgres 地址` 启动服务器，由它把每次提交发送到市级数据库",
                "a running server owns this store: start it with `dutydesk serve --postgres URL` and it sends every commit to the city itself",
            ).into()));
        }
        r => r?,
    };
    let lang = ctx.lang;
    let total = desk.last_seq();
    let bar = super::progress::bar(
        total,
        lang.pick("发送到市级数据库", "sending to the city").into(),
    );
    let progress = |sent: u64, all: u64| {
        if let Some(b) = &bar {
            b.set_length(all.max(1));
            b.set_position(sent);
        }
    };
    // One worker: each chunk is written there while the next is read here.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(e.to_string()))?;
    let r = rt.block_on(sync::once(
        &sync::Local(&desk),
        &target,
        a.batch.max(1),
        &progress,
    ));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let o = r.map_err(|e| city_err(e, lang))?;
    out(&if lang.is_en() {
        format!(
            "sent {} events of district {} to {}; the city copy ends at {}:{}\n",
            o.sent,
            o.district,
            target.shown(),
            o.seq,
            o.hash
        )
    } else {
        format!(
            "已向 {} 发送区县 {} 的 {} 条事件；市级副本链头 {}:{}\n",
            target.shown(),
            o.district,
            o.sent,
            o.seq,
            o.hash
        )
    })
}

pub fn city(ctx: &mut Ctx, cmd: CityCmd) -> CliResult {
    let CityCmd::Report(a) = cmd;
    let target = target(ctx, &a.postgres)?;
    // The city office needs no store: the settings (language, the ranking's minimum) come
    // from config.toml in the data directory if there is one.
    let config = crate::config::Config::load(&ctx.data)
        .map_err(|e| CliError::BadInput(e.message(ctx.lang)))?;
    if !ctx.lang_forced {
        ctx.lang = config.lang;
    }
    ctx.authorize(Act::ReadReport(None))?;
    let lang = ctx.lang;
    let today = now()?.date();
    let to = match &a.to {
        Some(s) => date_arg(lang, "--to", s)?,
        None => today,
    };
    let from = match &a.from {
        Some(s) => date_arg(lang, "--from", s)?,
        None => to.with_day(1).unwrap_or(to),
    };
    if from > to {
        return Err(CliError::BadInput(if lang.is_en() {
            format!("--from {from} is after --to {to}: the range must start before it ends")
        } else {
            format!("--from {from} 晚于 --to {to}：起始日期不能晚于结束日期")
        }));
    }
    if let Some(d) = &a.district {
        if !crate::config::District::valid_code(d) {
            return Err(CliError::BadInput(if lang.is_en() {
                format!("--district \"{}\": give the district's 6-digit administrative division code, e.g. 500107", crate::sanitize::line(d))
            } else {
                format!(
                    "--district「{}」：请写区县的 6 位行政区划代码，如 500107",
                    crate::sanitize::line(d)
                )
            }));
        }
    }
    let r = runtime()?
        .block_on(async {
            let client = target.connect().await?;
            report::compute(
                &client,
                &report::Query {
                    from,
                    to,
                    today,
                    district: a.district.as_deref(),
                    lang,
                    min_issues: config.min_issues_for_ranking,
                },
            )
            .await
        })
        .map_err(|e| city_err(e, lang))?;
    if let Some(d) = &a.district {
        if r.by_district.is_empty() {
            return Err(CliError::BadInput(if lang.is_en() {
                format!("the city database holds no district {d}; `dutydesk sync` sends a district's journal")
            } else {
                format!("市级数据库中没有区县 {d}；区县用 `dutydesk sync` 发送其日志")
            }));
        }
    }
    match a.format {
        ReportFormat::Md => out(&report::markdown(&r, lang)),
        ReportFormat::Json => out(&super::json(&r)?),
        ReportFormat::Csv => {
            let (header, rows) = report::csv_rows(&r, lang);
            let rows: Vec<Vec<Cell>> = rows
                .into_iter()
                .map(|row| row.into_iter().map(Cell::from).collect())
                .collect();
            out(&csv_out::document(&header, &rows))
        }
    }
}

/// The city side of `verify --postgres`, on the desk the local checks opened: prints what
/// it found; an error if they differ.
pub fn verify_city(ctx: &Ctx, desk: &crate::desk::Desk, url: &str, as_json: bool) -> CliResult {
    let target = target(ctx, url)?;
    let lang = ctx.lang;
    let v = runtime()?
        .block_on(verify::verify(&sync::Local(desk), &target))
        .map_err(|e| city_err(e, lang))?;
    if as_json {
        out(&super::json(&v)?)?;
    } else {
        out(&verdict_text(&v, &target, lang))?;
    }
    match &v.mismatch {
        None => Ok(()),
        Some((seq, _)) => Err(CliError::Failed(if lang.is_en() {
            format!("the journal and the city copy differ at event {seq}")
        } else {
            format!("本地日志与市级副本在第 {seq} 条事件处不一致")
        })),
    }
}

fn verdict_text(v: &verify::Verdict, target: &Target, lang: Lang) -> String {
    let shown = target.shown();
    match (&v.mismatch, lang.is_en()) {
        (None, true) => format!(
            "city copy ({shown}): district {} holds {} of the journal's {} events, every one the journal's, hash for hash; city chain head {}:{}\n",
            v.district, v.city_events, v.local_events, v.city_head.0, v.city_head.1
        ),
        (None, false) => format!(
            "市级副本（{shown}）：区县 {} 已有本地日志 {} 条事件中的 {} 条，逐条哈希一致；市级链头 {}:{}\n",
            v.district, v.local_events, v.city_events, v.city_head.0, v.city_head.1
        ),
        (Some((seq, why)), true) => format!(
            "city copy ({shown}): DIFFERS from the journal at event {seq}: {why}\n"
        ),
        (Some((seq, why)), false) => format!(
            "市级副本（{shown}）：在第 {seq} 条事件处与本地日志不一致：{why}\n"
        ),
    }
}
