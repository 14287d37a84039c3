//! Sending a district's journal to the city database.
//!
//! The cursor is what PostgreSQL already holds: the last event of the district in
//! `dd_events`. Before anything is appended, the journal's hash at that event must equal the
//! city's (a rewritten journal is refused, loudly, and nothing is sent). Each chunk — whole
//! journal batches, a few thousand events — goes in one transaction with the rows it makes
//! and the moved cursor, under a lock on the district's row, so a sync killed at any moment
//! leaves the city copy at a chunk's end, and the next one resumes there: no gap, no
//! duplicate. A sync that finds nothing new sends nothing.

use std::future::Future;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::SinkExt;
use tokio_postgres::{Client, Transaction};

use super::conn::Target;
use super::feed::{inspection_rows, kind_key, replay, unit_rows, Chunk, Feed, Kept, UnitRow};
use super::{schema, CityError};
use crate::config::District;
use crate::desk::Desk;
use crate::report::scorecard::DueTrack;
use crate::store::{Pos, GENESIS};

/// Events per chunk unless told otherwise.
pub const CHUNK: usize = 20_000;
/// Events per chunk when a server follows its journal: read on the desk thread between the
/// sessions' work, so a catch-up never holds the sessions up for long.
const FOLLOW_CHUNK: usize = 2_000;

/// Where the feed reads the desk: in this process's own desk, or on the server's desk thread.
pub trait Source {
    fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Desk) -> R + Send + 'static,
    ) -> impl Future<Output = Result<R, CityError>>;
}

/// A desk this process opened itself.
pub struct Local<'a>(pub &'a Desk);

impl Source for Local<'_> {
    async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Desk) -> R + Send + 'static,
    ) -> Result<R, CityError> {
        Ok(f(self.0))
    }
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub district: String,
    /// Events sent now.
    pub sent: u64,
    /// The city copy now ends at this event, with this hash.
    pub seq: u64,
    pub hash: String,
}

/// A connection ready to take a district's events.
pub struct Link {
    client: Client,
    district: District,
}

impl Link {
    /// Connects, creates or migrates the schema, and registers the district.
    pub async fn open(target: &Target, district: District) -> Result<Link, CityError> {
        let mut client = target.connect().await?;
        schema::migrate(&mut client).await?;
        client
            .batch_execute(
                "CREATE TEMP TABLE IF NOT EXISTS dd_stage_issues (LIKE dd_issues) ON COMMIT DELETE ROWS;
                 CREATE TEMP TABLE IF NOT EXISTS dd_stage_enterprises (LIKE dd_enterprises) ON COMMIT DELETE ROWS;
                 CREATE TEMP TABLE IF NOT EXISTS dd_stage_daily (LIKE dd_daily) ON COMMIT DELETE ROWS;",
            )
            .await
            .map_err(|e| CityError::sql("CREATE TEMP TABLE", e))?;
        let start = serde_json::to_string(&Pos::start()).unwrap_or_default();
        let r = client
            .execute(
                "INSERT INTO dd_districts (code, name, seq, hash, pos)
                 SELECT $1, $2, 0, $3, $4
                 WHERE NOT EXISTS (SELECT 1 FROM dd_districts WHERE code = $1)",
                &[&district.code, &district.name, &GENESIS, &start],
            )
            .await;
        if let Err(e) = r {
            // Another first sync of this district registered it a moment before.
            if e.code() != Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) {
                return Err(CityError::sql("dd_districts", e));
            }
        }
        Ok(Link { client, district })
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The city's last event of this district (seq and hash), and where it ended in the
    /// journal when it was sent.
    async fn tail(&self) -> Result<(u64, String, Option<Pos>), CityError> {
        let code = &self.district.code;
        let last = self
            .client
            .query_opt(
                "SELECT seq, hash FROM dd_events WHERE district = $1 ORDER BY seq DESC LIMIT 1",
                &[code],
            )
            .await
            .map_err(|e| CityError::sql("dd_events", e))?;
        let (seq, hash) = match last {
            Some(r) => (r.get::<_, i64>(0) as u64, r.get::<_, String>(1)),
            None => (0, GENESIS.to_string()),
        };
        let hint = self
            .client
            .query_opt("SELECT pos FROM dd_districts WHERE code = $1", &[code])
            .await
            .map_err(|e| CityError::sql("dd_districts", e))?
            .and_then(|r| serde_json::from_str::<Pos>(&r.get::<_, String>(0)).ok());
        Ok((seq, hash, hint))
    }

    /// A feed from where the city copy ends, once the journal is found to agree with it.
    pub async fn start<S: Source>(&mut self, src: &S) -> Result<Feed, CityError> {
        let (seq, hash, hint) = self.tail().await?;
        let code = self.district.code.clone();
        let feed = src
            .run(move |desk| locate(desk, &code, seq, &hash, hint))
            .await??;
        self.refresh(src).await?;
        Ok(feed)
    }

    /// What the desk's rules say now of rows already sent: the units (a renamed unit), the
    /// inspections (the rules for violations), and provisional deadlines the calendar has
    /// since settled.
    async fn refresh<S: Source>(&mut self, src: &S) -> Result<(), CityError> {
        let code = self.district.code.clone();
        let rows = self
            .client
            .query(
                "SELECT id, logged_at, contact_due, reply_due FROM dd_issues WHERE district = $1 AND provisional",
                &[&code],
            )
            .await
            .map_err(|e| CityError::sql("dd_issues", e))?;
        let provisional: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
        let (units, inspections, settled) = src
            .run(move |desk| {
                // Counted again from their histories on today's calendar: the dues, and how
                // each deadline went with them.
                let mut settled = Vec::new();
                for id in provisional {
                    if let Ok(Some(mut k)) = replay(desk, id as u64, u64::MAX) {
                        desk.config
                            .deadlines
                            .settle_issue(&desk.calendar, &mut k.issue);
                        settled.push(k);
                    }
                }
                (unit_rows(desk), inspection_rows(desk), settled)
            })
            .await?;
        let inspections = inspections?;
        let tx = self
            .client
            .transaction()
            .await
            .map_err(|e| CityError::sql("BEGIN", e))?;
        write_units(&tx, &code, &units).await?;
        tx.execute("DELETE FROM dd_inspections WHERE district = $1", &[&code])
            .await
            .map_err(|e| CityError::sql("dd_inspections", e))?;
        copy(&tx, INSPECTIONS, inspection_lines(&code, &inspections)).await?;
        if !settled.is_empty() {
            let mut lines = String::new();
            for k in &settled {
                issue_line(&mut lines, &code, k);
            }
            copy(&tx, STAGE_ISSUES, lines).await?;
            tx.batch_execute(ISSUES_REPLACE)
                .await
                .map_err(|e| CityError::sql("dd_issues", e))?;
        }
        tx.commit().await.map_err(|e| CityError::sql("COMMIT", e))
    }

    /// Stores one chunk and moves the cursor, if the city copy still ends where the feed
    /// began (`from`: another sync of the same district may have moved it).
    pub async fn write(&mut self, from: (u64, &str), chunk: &Chunk) -> Result<(), CityError> {
        let (Some(place), Some(last)) = (&chunk.place, chunk.events.last()) else {
            return Ok(());
        };
        let code = self.district.code.clone();
        let tx = self
            .client
            .transaction()
            .await
            .map_err(|e| CityError::sql("BEGIN", e))?;
        let row = tx
            .query_one(
                "SELECT seq, hash FROM dd_districts WHERE code = $1 FOR UPDATE",
                &[&code],
            )
            .await
            .map_err(|e| CityError::sql("dd_districts", e))?;
        let (seq, hash): (i64, String) = (row.get(0), row.get(1));
        if seq as u64 != from.0 || hash != from.1 {
            return Err(CityError::Moved(code));
        }
        copy(&tx, EVENTS, event_lines(&code, chunk)).await?;
        copy(&tx, FACTS, fact_lines(&code, chunk)).await?;
        if !chunk.issues.is_empty() {
            copy(&tx, STAGE_ISSUES, issue_lines(&code, chunk)).await?;
            tx.batch_execute(ISSUES_REPLACE)
                .await
                .map_err(|e| CityError::sql("dd_issues", e))?;
        }
        if !chunk.daily.is_empty() {
            copy(&tx, STAGE_DAILY, daily_lines(&code, chunk)).await?;
            tx.batch_execute(DAILY_ADD)
                .await
                .map_err(|e| CityError::sql("dd_daily", e))?;
        }
        if !chunk.enterprises.is_empty() {
            copy(&tx, STAGE_ENTERPRISES, enterprise_lines(&code, chunk)).await?;
            tx.batch_execute(
                "DELETE FROM dd_enterprises d USING dd_stage_enterprises s WHERE d.district = s.district AND d.code = s.code;
                 INSERT INTO dd_enterprises SELECT * FROM dd_stage_enterprises;",
            )
            .await
            .map_err(|e| CityError::sql("dd_enterprises", e))?;
        }
        if let Some(ins) = &chunk.inspections {
            tx.execute("DELETE FROM dd_inspections WHERE district = $1", &[&code])
                .await
                .map_err(|e| CityError::sql("dd_inspections", e))?;
            copy(&tx, INSPECTIONS, inspection_lines(&code, ins)).await?;
        }
        let pos = serde_json::to_string(place).unwrap_or_default();
        tx.execute(
            "UPDATE dd_districts SET name = $2, seq = $3, hash = $4, pos = $5, synced_at = now() WHERE code = $1",
            &[&code, &self.district.name, &(last.seq as i64), &last.hash, &pos],
        )
        .await
        .map_err(|e| CityError::sql("dd_districts", e))?;
        // Crash tests stop the process here, mid-transaction, as a kill -9 would.
        let _ = crate::store::faults::hit("city.commit");
        tx.commit().await.map_err(|e| CityError::sql("COMMIT", e))
    }
}

/// A feed from where the city copy ends in this journal: refused if the journal does not
/// hold the same event there.
fn locate(
    desk: &Desk,
    district: &str,
    seq: u64,
    hash: &str,
    hint: Option<Pos>,
) -> Result<Feed, CityError> {
    let store = desk.store();
    let local = store.last_seq();
    if seq > local {
        return Err(CityError::Shorter {
            district: district.into(),
            city: seq,
            local,
        });
    }
    // The place recorded with the city's cursor, if this journal still holds it (inside a
    // batch, the event itself is checked when the feed reads it).
    if let Some(p) = hint.filter(|p| p.seq < seq || (p.seq == seq && p.hash == hash)) {
        if store.holds(&p) {
            return Ok(Feed::resume(p, seq, hash.to_string()));
        }
    }
    match store.place_before(seq)? {
        (p, Some(h)) if h == hash => Ok(Feed::resume(p, seq, h)),
        (_, local) => Err(CityError::Rewritten {
            district: district.into(),
            seq,
            city: hash.into(),
            local,
        }),
    }
}

/// The district this desk is configured for.
pub fn district_of(desk: &Desk) -> Result<District, CityError> {
    desk.config.district.clone().ok_or(CityError::NoDistrict)
}

/// One sync: everything the city does not hold yet, in chunks of `chunk` events;
/// `progress(sent, total)` after each. Each chunk is written on a runtime worker while the
/// next one is read here (on a multi-threaded runtime the two overlap); a chunk is written
/// only after the one before it is committed.
pub async fn once<S: Source>(
    src: &S,
    target: &Target,
    chunk: usize,
    progress: &dyn Fn(u64, u64),
) -> Result<Outcome, CityError> {
    type Writing = tokio::task::JoinHandle<(Link, Result<(), CityError>)>;
    let district = src.run(district_of).await??;
    let mut link = Some(Link::open(target, district.clone()).await?);
    let mut feed = match &mut link {
        Some(l) => l.start(src).await?,
        None => unreachable!("just opened"),
    };
    let total = src.run(|d| d.store().last_seq()).await?;
    let first = feed.sent;
    let mut writing: Option<Writing> = None;
    let mut done = first;
    loop {
        let (fed, read) = src
            .run(move |desk| {
                let r = read_checked(&feed, desk, chunk);
                (feed, r)
            })
            .await?;
        feed = fed;
        // The chunk before this one must be in before this one is sent (or the sync ends).
        if let Some(w) = writing.take() {
            let (l, r) = w
                .await
                .map_err(|e| CityError::Sql("COPY".into(), e.to_string()))?;
            r?;
            link = Some(l);
            progress(done - first, total.saturating_sub(first));
        }
        let (rows, staged) = read?;
        if rows.events.is_empty() {
            break;
        }
        let from = (feed.sent, feed.sent_hash.clone());
        feed.advance(staged);
        done = feed.sent;
        let Some(mut l) = link.take() else {
            unreachable!("given back by the write before");
        };
        writing = Some(tokio::spawn(async move {
            let r = l.write((from.0, &from.1), &rows).await;
            (l, r)
        }));
    }
    Ok(Outcome {
        district: district.code,
        sent: feed.sent - first,
        seq: feed.sent,
        hash: feed.sent_hash,
    })
}

/// Reads the next chunk, refusing events recorded for another district.
fn read_checked(
    feed: &Feed,
    desk: &Desk,
    max: usize,
) -> Result<(Chunk, super::feed::Staged), CityError> {
    let ours = district_of(desk)?.code;
    let (chunk, staged) = feed.read(desk, max)?;
    if let Some((seq, theirs)) = chunk.events.iter().find_map(|e| {
        e.district
            .as_ref()
            .filter(|d| **d != ours)
            .map(|d| (e.seq, d))
    }) {
        return Err(CityError::OtherDistrict {
            seq,
            theirs: theirs.clone(),
            ours,
        });
    }
    Ok((chunk, staged))
}

/// Follows the journal for as long as the server runs: each commit is sent within moments
/// (`wake` says one happened; without it, every second). PostgreSQL being away never stops
/// the desk: the sync tries again with a growing pause (at most `max_pause`) and catches up.
/// A journal that no longer matches the city copy stops it, loudly.
pub async fn follow<S: Source>(
    src: S,
    target: Target,
    mut wake: impl FnMut() -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>,
    max_pause: Duration,
) -> CityError {
    let mut pause = Duration::from_millis(250);
    loop {
        let started = Instant::now();
        let e = match follow_once(&src, &target, &mut wake).await {
            Ok(never) => match never {},
            Err(e) => e,
        };
        if matches!(e, CityError::Stopped) {
            return e;
        }
        if e.is_refusal() {
            tracing::error!("city sync stopped: {}", e.message(crate::i18n::Lang::En));
            return e;
        }
        tracing::warn!(
            "city sync: {}; trying again in {:.1} s",
            e.message(crate::i18n::Lang::En),
            pause.as_secs_f64()
        );
        if started.elapsed() > Duration::from_secs(30) {
            pause = Duration::from_millis(250);
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(max_pause);
    }
}

async fn follow_once<S: Source>(
    src: &S,
    target: &Target,
    wake: &mut impl FnMut() -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>,
) -> Result<std::convert::Infallible, CityError> {
    let district = src.run(district_of).await??;
    let mut link = Link::open(target, district).await?;
    let mut feed = link.start(src).await?;
    tracing::info!(
        "city sync: {} holds district {} up to event {}",
        target.shown(),
        link.district.code,
        feed.sent
    );
    loop {
        let (fed, read) = src
            .run(move |desk| {
                let r = read_checked(&feed, desk, FOLLOW_CHUNK);
                (feed, r)
            })
            .await?;
        feed = fed;
        let (chunk, staged) = read?;
        if chunk.events.is_empty() {
            // Nothing new: wait for a commit, but look at least every second, and make sure
            // the connection is still there.
            let _ = tokio::time::timeout(Duration::from_secs(1), wake()).await;
            if link.client.is_closed() {
                return Err(CityError::Connect(
                    target.shown(),
                    "the connection was closed".into(),
                ));
            }
            continue;
        }
        link.write((feed.sent, &feed.sent_hash), &chunk).await?;
        feed.advance(staged);
        tracing::debug!("city sync: sent up to event {}", feed.sent);
    }
}

// ---------------------------------------------------------------------------------------
// COPY

const EVENTS: &str =
    "COPY dd_events (district, seq, at, by_name, kind, target, hash, prev, body) FROM STDIN";
const FACTS: &str = "COPY dd_facts (district, seq, at, day, issue, kind, enterprise, unit_before, unit_after, credit, status_after, closed, reopened, workdays, s1, s2, s3) FROM STDIN";
const STAGE_ISSUES: &str = "COPY dd_stage_issues (district, id, enterprise, enterprise_name, category, channel, status, unit, logged_at, contact_due, reply_due, provisional, contacted_at, replied_at, closed_at, supervised, transfers, returns, reopens, contact_met, contact_unit, contact_voided, reply_met, reply_unit, reply_voided) FROM STDIN";
const ISSUES_REPLACE: &str = "
DELETE FROM dd_issues d USING dd_stage_issues s WHERE d.district = s.district AND d.id = s.id;
INSERT INTO dd_issues SELECT * FROM dd_stage_issues;";
const STAGE_DAILY: &str = "COPY dd_stage_daily (district, day, unit, assigned, transfers_in, transfers_out, returns, closed, reopened, contact_days, contacts, reply_days, replies, evaluations, s1, s2, s3) FROM STDIN";
/// Adds the staged day counts to the kept ones (plain SQL: no upsert clause, which not every
/// PostgreSQL-compatible server has).
const DAILY_ADD: &str = "
UPDATE dd_daily d SET
    assigned = d.assigned + s.assigned, transfers_in = d.transfers_in + s.transfers_in,
    transfers_out = d.transfers_out + s.transfers_out, returns = d.returns + s.returns,
    closed = d.closed + s.closed, reopened = d.reopened + s.reopened,
    contact_days = d.contact_days + s.contact_days, contacts = d.contacts + s.contacts,
    reply_days = d.reply_days + s.reply_days, replies = d.replies + s.replies,
    evaluations = d.evaluations + s.evaluations, s1 = d.s1 + s.s1, s2 = d.s2 + s.s2,
    s3 = d.s3 + s.s3
FROM dd_stage_daily s
WHERE d.district = s.district AND d.day = s.day AND d.unit = s.unit;
INSERT INTO dd_daily SELECT s.* FROM dd_stage_daily s
WHERE NOT EXISTS (
    SELECT 1 FROM dd_daily d WHERE d.district = s.district AND d.day = s.day AND d.unit = s.unit);
";
const STAGE_ENTERPRISES: &str =
    "COPY dd_stage_enterprises (district, code, name, street, grade, vip) FROM STDIN";
const INSPECTIONS: &str = "COPY dd_inspections (district, id, unit, unit_name, unit_name_en, lead, enterprise, day, violation, counted) FROM STDIN";

async fn copy(tx: &Transaction<'_>, sql: &str, data: String) -> Result<(), CityError> {
    if data.is_empty() {
        return Ok(());
    }
    let what = sql.split_whitespace().nth(1).unwrap_or("COPY").to_string();
    let sink = tx
        .copy_in::<_, Bytes>(sql)
        .await
        .map_err(|e| CityError::sql(&what, e))?;
    futures::pin_mut!(sink);
    sink.send(Bytes::from(data))
        .await
        .map_err(|e| CityError::sql(&what, e))?;
    sink.finish().await.map_err(|e| CityError::sql(&what, e))?;
    Ok(())
}

async fn write_units(tx: &Transaction<'_>, code: &str, units: &[UnitRow]) -> Result<(), CityError> {
    tx.execute("DELETE FROM dd_units WHERE district = $1", &[&code])
        .await
        .map_err(|e| CityError::sql("dd_units", e))?;
    let mut out = String::new();
    for u in units {
        line(
            &mut out,
            &[
                Some(code),
                Some(&u.id),
                Some(&u.name),
                Some(&u.name_en),
                Some(tf(u.lead)),
                Some(&u.ord.to_string()),
            ],
        );
    }
    copy(
        tx,
        "COPY dd_units (district, id, name, name_en, lead, ord) FROM STDIN",
        out,
    )
    .await
}

/// One line of COPY's text format: tab between fields, `\N` for none, and backslash, tab,
/// newline and carriage return escaped.
fn line(out: &mut String, fields: &[Option<&str>]) {
    for (k, f) in fields.iter().enumerate() {
        if k > 0 {
            out.push('\t');
        }
        match f {
            None => out.push_str("\\N"),
            Some(s) => {
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
        }
    }
    out.push('\n');
}

fn tf(b: bool) -> &'static str {
    if b {
        "t"
    } else {
        "f"
    }
}

fn ts(t: &chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn event_lines(code: &str, c: &Chunk) -> String {
    let mut out = String::with_capacity(c.events.len() * 512);
    for e in &c.events {
        line(
            &mut out,
            &[
                Some(code),
                Some(&e.seq.to_string()),
                Some(&ts(&e.at)),
                Some(&e.by),
                Some(&e.kind),
                Some(&e.target),
                Some(&e.hash),
                Some(&e.prev),
                Some(&e.body),
            ],
        );
    }
    out
}

fn fact_lines(code: &str, c: &Chunk) -> String {
    let mut out = String::with_capacity(c.facts.len() * 200);
    for r in &c.facts {
        let f = &r.fact;
        let s = |k: usize| f.scores.map(|s| s[k].to_string());
        let (s1, s2, s3) = (s(0), s(1), s(2));
        line(
            &mut out,
            &[
                Some(code),
                Some(&f.seq.to_string()),
                Some(&ts(&f.at)),
                Some(&f.at.date().to_string()),
                Some(&f.issue.to_string()),
                Some(kind_key(f.kind)),
                Some(&f.enterprise),
                f.unit_before.as_deref(),
                f.unit_after.as_deref(),
                r.credit.as_deref(),
                Some(f.status_after.key()),
                Some(tf(f.closed())),
                Some(tf(f.reopened())),
                r.workdays.map(|w| w.to_string()).as_deref(),
                s1.as_deref(),
                s2.as_deref(),
                s3.as_deref(),
            ],
        );
    }
    out
}

fn issue_lines(code: &str, c: &Chunk) -> String {
    let mut out = String::new();
    for k in &c.issues {
        issue_line(&mut out, code, k);
    }
    out
}

/// How one deadline went, as the city keeps it: met, the unit it counts for, voided by then.
fn due_cells(t: &DueTrack) -> (&'static str, Option<String>, &'static str) {
    let unit = match &t.met {
        Some(u) => u.clone(),
        None => t.at_due.clone(),
    };
    (tf(t.met.is_some()), unit, tf(t.voided))
}

fn issue_line(out: &mut String, code: &str, k: &Kept) {
    let i = &k.issue;
    let channel = serde_json::to_value(i.channel)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let opt = |t: &Option<chrono::NaiveDateTime>| t.as_ref().map(ts);
    let (contacted, replied, closed) =
        (opt(&i.contacted_at), opt(&i.replied_at), opt(&i.closed_at));
    let (cm, cu, cv) = due_cells(&k.contact);
    let (rm, ru, rv) = due_cells(&k.reply);
    line(
        out,
        &[
            Some(code),
            Some(&i.id.to_string()),
            Some(&i.enterprise),
            Some(&i.enterprise_name),
            Some(&i.category),
            Some(&channel),
            Some(i.status.key()),
            i.unit.as_deref(),
            Some(&ts(&i.logged_at)),
            Some(&i.contact_due.to_string()),
            Some(&i.reply_due.to_string()),
            Some(tf(i.beyond_calendar)),
            contacted.as_deref(),
            replied.as_deref(),
            closed.as_deref(),
            Some(tf(i.supervised)),
            Some(&i.transfers.to_string()),
            Some(&i.returns.to_string()),
            Some(&i.reopens.to_string()),
            Some(cm),
            cu.as_deref(),
            Some(cv),
            Some(rm),
            ru.as_deref(),
            Some(rv),
        ],
    );
}

fn daily_lines(code: &str, c: &Chunk) -> String {
    let mut out = String::new();
    for ((day, unit), t) in &c.daily {
        let n = |v: u64| v.to_string();
        line(
            &mut out,
            &[
                Some(code),
                Some(&day.to_string()),
                Some(unit),
                Some(&n(t.assigned.into())),
                Some(&n(t.transfers_in.into())),
                Some(&n(t.transfers_out.into())),
                Some(&n(t.returns.into())),
                Some(&n(t.closed.into())),
                Some(&n(t.reopened.into())),
                Some(&n(t.contact_days)),
                Some(&n(t.contacts.into())),
                Some(&n(t.reply_days)),
                Some(&n(t.replies.into())),
                Some(&n(t.evaluations.into())),
                Some(&n(t.score_sums[0])),
                Some(&n(t.score_sums[1])),
                Some(&n(t.score_sums[2])),
            ],
        );
    }
    out
}

fn enterprise_lines(code: &str, c: &Chunk) -> String {
    let mut out = String::new();
    for e in &c.enterprises {
        let grade = serde_json::to_value(e.grade)
            .ok()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .unwrap_or_default();
        line(
            &mut out,
            &[
                Some(code),
                Some(&e.credit_code),
                Some(&e.name),
                Some(&e.district),
                Some(&grade),
                Some(tf(e.is_vip())),
            ],
        );
    }
    out
}

fn inspection_lines(code: &str, rows: &[super::feed::InspectionRow]) -> String {
    let mut out = String::new();
    for r in rows {
        line(
            &mut out,
            &[
                Some(code),
                Some(&r.id.to_string()),
                Some(&r.unit),
                Some(&r.unit_name),
                Some(&r.unit_name_en),
                Some(tf(r.lead)),
                Some(&r.enterprise),
                Some(&r.date.to_string()),
                Some(tf(r.violation)),
                Some(tf(r.counted)),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_would_split_a_row() {
        let mut out = String::new();
        line(&mut out, &[Some("a\tb\\c\nd\re"), None, Some("重庆")]);
        assert_eq!(out, "a\\tb\\\\c\\nd\\re\t\\N\t重庆\n");
    }
}
