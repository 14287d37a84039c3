//! `dutydesk bench --postgres URL`: the city figures. The bench store (stated size) is sent
//! to PostgreSQL by the real sync (throughput), then copied inside PostgreSQL to ten
//! districts, and the city's monthly report is run over all ten (p50 and p99 of repeated
//! runs). The bench's districts are 990001–990010, codes no real district has; their rows are
//! removed before and after, and nothing else in the database is touched.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDateTime};

use super::{fill, BenchSize, Figure, Progress, Target};
use crate::city::{conn::Target as PgTarget, report, sync, CityError};
use crate::desk::Desk;

const DISTRICTS: usize = 10;
const TABLES: [&str; 8] = [
    "dd_events",
    "dd_facts",
    "dd_daily",
    "dd_issues",
    "dd_enterprises",
    "dd_units",
    "dd_inspections",
    "dd_districts",
];

fn code(k: usize) -> String {
    format!("9900{:02}", k + 1)
}

async fn clean(client: &tokio_postgres::Client) -> Result<(), CityError> {
    for t in TABLES {
        let col = if t == "dd_districts" {
            "code"
        } else {
            "district"
        };
        client
            .execute(&format!("DELETE FROM {t} WHERE {col} LIKE '9900__'"), &[])
            .await
            .map_err(|e| CityError::sql(t, e))?;
    }
    Ok(())
}

/// Runs the city figures on a new bench store in `dir`.
pub fn run(
    dir: &Path,
    size: BenchSize,
    now: NaiveDateTime,
    url: &str,
    progress: Progress<'_>,
) -> Result<Vec<Figure>, String> {
    let target = PgTarget::parse(url).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("config.toml"),
        format!("[district]\ncode = \"{}\"\nname = \"测试区 1\"\n", code(0)),
    )
    .map_err(|e| e.to_string())?;
    let mut desk = Desk::open(dir).map_err(|e| e.to_string())?;
    let events = fill(&mut desk, size, now, progress).map_err(|e| e.to_string())?;
    desk.flush().map_err(|e| e.to_string())?;
    // As `dutydesk sync` runs: one worker writes while the next chunk is read.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(measure(&desk, &target, events, size.issues, now))
        .map_err(|e| e.message(crate::i18n::Lang::En))
}

async fn measure(
    desk: &Desk,
    target: &PgTarget,
    events: u64,
    issues: usize,
    now: NaiveDateTime,
) -> Result<Vec<Figure>, CityError> {
    let mut figs = Vec::new();
    let mut client = target.connect().await?;
    crate::city::schema::migrate(&mut client).await?;
    clean(&client).await?;
    let t = Instant::now();
    let o = sync::once(&sync::Local(desk), target, sync::CHUNK, &|_, _| {}).await?;
    let secs = t.elapsed().as_secs_f64();
    figs.push(
        Figure::value(
            "sync into PostgreSQL",
            "events/s",
            o.sent as f64 / secs.max(1e-9),
            Target::at_least(20_000.0),
        )
        .with_note(format!("{} events in {secs:.1} s", o.sent)),
    );
    if o.sent != events {
        tracing::warn!("bench: {} events sent of {events}", o.sent);
    }
    // Nine more districts, copied inside PostgreSQL from the first.
    let t = Instant::now();
    let copies = [
        ("dd_facts", "seq, at, day, issue, kind, enterprise, unit_before, unit_after, credit, status_after, closed, reopened, workdays, s1, s2, s3"),
        ("dd_daily", "day, unit, assigned, transfers_in, transfers_out, returns, closed, reopened, contact_days, contacts, reply_days, replies, evaluations, s1, s2, s3"),
        ("dd_issues", "id, enterprise, enterprise_name, category, channel, status, unit, logged_at, contact_due, reply_due, provisional, contacted_at, replied_at, closed_at, supervised, transfers, returns, reopens, contact_met, contact_unit, contact_voided, reply_met, reply_unit, reply_voided"),
        ("dd_enterprises", "code, name, street, grade, vip"),
        ("dd_units", "id, name, name_en, lead, ord"),
        ("dd_inspections", "id, unit, unit_name, unit_name_en, lead, enterprise, day, violation, counted"),
    ];
    for k in 1..DISTRICTS {
        let c = code(k);
        client
            .execute(
                "INSERT INTO dd_districts (code, name, seq, hash, pos) SELECT $1, $2, seq, hash, pos FROM dd_districts WHERE code = $3",
                &[&c, &format!("测试区 {}", k + 1), &code(0)],
            )
            .await
            .map_err(|e| CityError::sql("dd_districts", e))?;
        for (table, cols) in copies {
            client
                .execute(
                    &format!("INSERT INTO {table} (district, {cols}) SELECT $1, {cols} FROM {table} WHERE district = $2"),
                    &[&c, &code(0)],
                )
                .await
                .map_err(|e| CityError::sql(table, e))?;
        }
    }
    client
        .batch_execute("ANALYZE dd_facts; ANALYZE dd_daily; ANALYZE dd_issues; ANALYZE dd_enterprises; ANALYZE dd_inspections;")
        .await
        .map_err(|e| CityError::sql("ANALYZE", e))?;
    let copy_secs = t.elapsed().as_secs_f64();
    let today = now.date();
    let q = report::Query {
        from: today.with_day(1).unwrap_or(today),
        to: today,
        today,
        district: None,
        lang: crate::i18n::Lang::Zh,
        min_issues: desk.config.min_issues_for_ranking,
    };
    let mut samples: Vec<Duration> = Vec::new();
    let mut received = 0;
    for _ in 0..7 {
        let t = Instant::now();
        let r = report::compute(&client, &q).await?;
        samples.push(t.elapsed());
        received = r.districts.iter().map(|d| d.received).sum::<u32>();
    }
    figs.push(
        Figure::from_samples("city monthly report, 10 districts", samples, Some(1000.0)).with_note(
            format!(
                "{DISTRICTS} × {issues} issues, {received} logged this month; copying 9 districts took {copy_secs:.1} s"
            ),
        ),
    );
    // DUTYDESK_BENCH_KEEP keeps the bench's rows, like its store, to look at afterwards.
    if std::env::var_os("DUTYDESK_BENCH_KEEP").is_none() {
        clean(&client).await?;
    }
    Ok(figs)
}
