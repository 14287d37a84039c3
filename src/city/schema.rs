//! The city database's tables, created and migrated by the tool (`dd_schema` holds the
//! version). Plain SQL only — no extensions, no procedural code — so PostgreSQL-compatible
//! servers (openGauss, KingbaseES) take it as well.
//!
//! - `dd_districts`: one row per district, its name and the cursor: the last event the city
//!   holds (seq and hash) and where it ends in the district's journal.
//! - `dd_events`: every event of every district, keyed by (district, seq), with its hash, the
//!   previous hash and the exact text the hash covers, so anyone can check the chain in SQL.
//! - `dd_facts`: per issue event, what the scorecard counts (kept by the sync).
//! - `dd_daily`: what the facts add to each unit's counts, per day (the additive part of
//!   the scorecard, so a month's report sums a few thousand rows).
//! - `dd_issues`, `dd_enterprises`, `dd_units`, `dd_inspections`: current state; an issue
//!   also carries how its two deadlines went (met, by which unit, or whose they were at the
//!   end of the day, and voided by then).
//! - `dd_open_issues`: a view of the open work across the city.

use tokio_postgres::Client;

use super::CityError;

/// The schema this build writes.
pub const VERSION: i32 = 1;

/// Migrations: `MIGRATIONS[k]` takes the database from version k to k + 1.
const MIGRATIONS: [&str; 1] = [r#"
CREATE TABLE dd_districts (
    code text PRIMARY KEY,
    name text NOT NULL,
    seq bigint NOT NULL DEFAULT 0,
    hash text NOT NULL,
    pos text NOT NULL,
    synced_at timestamptz
);
CREATE TABLE dd_events (
    district text NOT NULL,
    seq bigint NOT NULL,
    at timestamp NOT NULL,
    by_name text NOT NULL,
    kind text NOT NULL,
    target text NOT NULL,
    hash text NOT NULL,
    prev text NOT NULL,
    body text NOT NULL,
    PRIMARY KEY (district, seq)
);
CREATE TABLE dd_facts (
    district text NOT NULL,
    seq bigint NOT NULL,
    at timestamp NOT NULL,
    day date NOT NULL,
    issue bigint NOT NULL,
    kind text NOT NULL,
    enterprise text NOT NULL,
    unit_before text,
    unit_after text,
    credit text,
    status_after text NOT NULL,
    closed boolean NOT NULL,
    reopened boolean NOT NULL,
    workdays integer,
    s1 smallint,
    s2 smallint,
    s3 smallint,
    PRIMARY KEY (district, seq)
);
CREATE INDEX dd_facts_kind_day ON dd_facts (kind, day);
CREATE INDEX dd_facts_closed ON dd_facts (day) WHERE closed;
CREATE TABLE dd_daily (
    district text NOT NULL,
    day date NOT NULL,
    unit text NOT NULL,
    assigned integer NOT NULL,
    transfers_in integer NOT NULL,
    transfers_out integer NOT NULL,
    returns integer NOT NULL,
    closed integer NOT NULL,
    reopened integer NOT NULL,
    contact_days bigint NOT NULL,
    contacts integer NOT NULL,
    reply_days bigint NOT NULL,
    replies integer NOT NULL,
    evaluations integer NOT NULL,
    s1 bigint NOT NULL,
    s2 bigint NOT NULL,
    s3 bigint NOT NULL,
    PRIMARY KEY (district, day, unit)
);
CREATE TABLE dd_issues (
    district text NOT NULL,
    id bigint NOT NULL,
    enterprise text NOT NULL,
    enterprise_name text NOT NULL,
    category text NOT NULL,
    channel text NOT NULL,
    status text NOT NULL,
    unit text,
    logged_at timestamp NOT NULL,
    contact_due date NOT NULL,
    reply_due date NOT NULL,
    provisional boolean NOT NULL,
    contacted_at timestamp,
    replied_at timestamp,
    closed_at timestamp,
    supervised boolean NOT NULL,
    transfers integer NOT NULL,
    returns integer NOT NULL,
    reopens integer NOT NULL,
    contact_met boolean NOT NULL,
    contact_unit text,
    contact_voided boolean NOT NULL,
    reply_met boolean NOT NULL,
    reply_unit text,
    reply_voided boolean NOT NULL,
    PRIMARY KEY (district, id)
);
CREATE INDEX dd_issues_contact_due ON dd_issues (contact_due);
CREATE INDEX dd_issues_reply_due ON dd_issues (reply_due);
CREATE INDEX dd_issues_status ON dd_issues (status);
CREATE TABLE dd_enterprises (
    district text NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    street text NOT NULL,
    grade text NOT NULL,
    vip boolean NOT NULL,
    PRIMARY KEY (district, code)
);
CREATE TABLE dd_units (
    district text NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    name_en text NOT NULL,
    lead boolean NOT NULL,
    ord integer NOT NULL,
    PRIMARY KEY (district, id)
);
CREATE TABLE dd_inspections (
    district text NOT NULL,
    id bigint NOT NULL,
    unit text NOT NULL,
    unit_name text NOT NULL,
    unit_name_en text NOT NULL,
    lead boolean NOT NULL,
    enterprise text NOT NULL,
    day date NOT NULL,
    violation boolean NOT NULL,
    counted boolean NOT NULL,
    PRIMARY KEY (district, id)
);
CREATE VIEW dd_open_issues AS
    SELECT i.*, d.name AS district_name
    FROM dd_issues i JOIN dd_districts d ON d.code = i.district
    WHERE i.status NOT IN ('closed', 'voided');
"#];

/// Creates or migrates the schema to `VERSION`; refuses a database newer than this build.
pub async fn migrate(client: &mut Client) -> Result<(), CityError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS dd_schema (version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())",
        )
        .await
        .or_else(|e| {
            // Two first syncs at once: the other one created it.
            if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) {
                Ok(())
            } else {
                Err(CityError::sql("dd_schema", e))
            }
        })?;
    let tx = client
        .transaction()
        .await
        .map_err(|e| CityError::sql("BEGIN", e))?;
    tx.batch_execute("LOCK TABLE dd_schema IN EXCLUSIVE MODE")
        .await
        .map_err(|e| CityError::sql("LOCK dd_schema", e))?;
    let row = tx
        .query_one("SELECT coalesce(max(version), 0) FROM dd_schema", &[])
        .await
        .map_err(|e| CityError::sql("dd_schema", e))?;
    let have: i32 = row.get(0);
    if have > VERSION {
        return Err(CityError::NewerSchema(have, VERSION));
    }
    for (k, sql) in MIGRATIONS.iter().enumerate().skip(have as usize) {
        tx.batch_execute(sql)
            .await
            .map_err(|e| CityError::sql("migration", e))?;
        tx.execute(
            "INSERT INTO dd_schema (version) VALUES ($1)",
            &[&(k as i32 + 1)],
        )
        .await
        .map_err(|e| CityError::sql("dd_schema", e))?;
    }
    tx.commit().await.map_err(|e| CityError::sql("COMMIT", e))?;
    Ok(())
}
