//! Storage: the fsynced, hash-chained journal (the authority) and the sled view rebuilt from
//! it (current records and indexes). Only this module knows sled or the journal format.
//!
//! Why both: sled's own flush on Linux does not persist file metadata or the disk cache and has
//! open reports of corruption after abrupt stops, so every commit is first appended to the
//! journal and fsynced; the view follows and is repaired from the journal on open.

mod journal;
mod lock;
mod view;

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use crate::domain::{
    ApplyError, Enterprise, EventKind, Fact, Inspection, Issue, IssueStatus, Recorded, Shift,
};

pub use journal::GENESIS;
use journal::{Entry, Journal};
use lock::DirLock;
use view::*;

/// Version of the journal format this build reads and writes.
pub const SCHEMA_VERSION: u64 = 1;

const JOURNAL: &str = "journal.jsonl";
const META: &str = "store.json";
const VIEW_DIR: &str = "view";

/// What can go wrong with the store. Messages are for the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store in use by {holder} ({dir}); close the other dutydesk first")]
    InUse { dir: PathBuf, holder: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {what}")]
    Corrupt {
        path: PathBuf,
        line: usize,
        what: String,
    },
    #[error("store schema version {found} is not supported by this dutydesk (supports {supported}); use a newer dutydesk")]
    Schema { found: String, supported: u64 },
    #[error("view: {0}")]
    View(String),
    #[error("{0}")]
    Apply(#[from] ApplyError),
    #[error("{0}")]
    Other(String),
}

impl StoreError {
    pub fn io(path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        StoreError::View(e.to_string())
    }
}

/// Result of `verify`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerifyReport {
    pub events: u64,
    pub last_hash: String,
    /// The view reflects exactly the journal.
    pub view_in_step: bool,
}

/// The journal's head: how many events it holds and the hash of the last one. Printed on
/// briefs and reports, it is a witness that `verify --witness SEQ:HASH` can later check the
/// journal against.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChainHead {
    pub seq: u64,
    pub hash: String,
}

impl std::fmt::Display for ChainHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

/// The open store. One per data directory (locked).
pub struct Store {
    dir: PathBuf,
    journal: Journal,
    db: sled::Db,
    _lock: DirLock,
}

impl Store {
    /// Opens or creates the store in `dir`: takes the lock, checks the schema, cuts a torn last
    /// journal line, opens the view (rebuilding it if it is missing, broken or behind) and
    /// replays any events the view lacks.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        let lock = DirLock::acquire(dir)?;
        check_schema(dir)?;
        let journal = Journal::open(&dir.join(JOURNAL))?;
        let db = match open_view(dir) {
            Ok(db) => db,
            Err(e) => {
                tracing::warn!("view unreadable ({e}); rebuilding from the journal");
                set_aside_view(dir)?;
                open_view(dir)?
            }
        };
        let mut store = Store {
            dir: dir.to_path_buf(),
            journal,
            db,
            _lock: lock,
        };
        store.catch_up()?;
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Brings the view up to the journal's end, or rebuilds it when it does not match.
    fn catch_up(&mut self) -> Result<(), StoreError> {
        let schema = self.meta_u64(META_SCHEMA)?;
        let offset = self.meta_u64(META_OFFSET)?.unwrap_or(0);
        let hash = self
            .meta_str(META_HASH)?
            .unwrap_or_else(|| GENESIS.to_string());
        let seq = self.meta_u64(META_SEQ)?.unwrap_or(0);
        let in_step = schema.is_none_or(|s| s == VIEW_SCHEMA)
            && offset <= self.journal.len
            && (offset == 0 || self.journal_hash_at(offset)? == Some(hash.clone()));
        if !in_step {
            if offset > self.journal.len {
                return Err(StoreError::Corrupt {
                    path: self.journal.path().to_path_buf(),
                    line: 0,
                    what: format!(
                        "journal is shorter than the view (view has event {seq}, journal ends at {}): events were removed; restore from a backup",
                        self.journal.last_seq
                    ),
                });
            }
            tracing::warn!("view out of step with the journal; rebuilding");
            return self.rebuild_view();
        }
        if offset < self.journal.len {
            self.replay(offset, &hash, seq)?;
        }
        Ok(())
    }

    /// Hash of the journal entry ending exactly at `offset`.
    fn journal_hash_at(&self, offset: u64) -> Result<Option<String>, StoreError> {
        use std::io::{Read, Seek, SeekFrom};
        let path = self.journal.path();
        let mut f = std::fs::File::open(path).map_err(|e| StoreError::io(path, e))?;
        // The hash is the first field of the line: scan back to the line start.
        let mut start = offset.saturating_sub(1);
        let chunk = 4096u64;
        loop {
            if start == 0 {
                break;
            }
            let from = start.saturating_sub(chunk);
            let mut buf = vec![0; (start - from) as usize];
            f.seek(SeekFrom::Start(from))
                .map_err(|e| StoreError::io(path, e))?;
            f.read_exact(&mut buf)
                .map_err(|e| StoreError::io(path, e))?;
            if let Some(i) = buf.iter().rposition(|b| *b == b'\n') {
                start = from + i as u64 + 1;
                break;
            }
            start = from;
        }
        let mut head = vec![0; 80];
        f.seek(SeekFrom::Start(start))
            .map_err(|e| StoreError::io(path, e))?;
        let n = f.read(&mut head).map_err(|e| StoreError::io(path, e))?;
        let head = String::from_utf8_lossy(&head[..n]);
        Ok(head
            .strip_prefix("{\"hash\":\"")
            .and_then(|r| r.get(..64))
            .map(str::to_string))
    }

    fn replay(&mut self, from: u64, prev: &str, seq: u64) -> Result<(), StoreError> {
        let path = self.journal.path().to_path_buf();
        let tree: sled::Tree = (*self.db).clone();
        let mut pending: Vec<Entry> = Vec::new();
        let flush = |pending: &mut Vec<Entry>| -> Result<(), StoreError> {
            if pending.is_empty() {
                return Ok(());
            }
            let recs: Vec<Recorded> = pending.iter().map(|e| e.rec.clone()).collect();
            let staged = stage(&tree, &recs).map_err(|e| staged_to_store(e, &path))?;
            let mut batch = sled::Batch::default();
            write_batch(&mut batch, &staged, &recs);
            let last = pending.last().expect("non-empty");
            put_meta(&mut batch, last.end, &last.hash, last.rec.seq);
            tree.apply_batch(batch)?;
            pending.clear();
            Ok(())
        };
        let mut result = Ok(());
        journal::read_from(&path, from, prev, seq as usize + 1, |entry| {
            pending.push(entry);
            if pending.len() >= 2000 {
                if let Err(e) = flush(&mut pending) {
                    result = Err(e);
                }
            }
            Ok(())
        })?;
        result?;
        flush(&mut pending)?;
        self.db.flush()?;
        Ok(())
    }

    /// Clears the view and replays the whole journal into it.
    pub fn rebuild_view(&mut self) -> Result<(), StoreError> {
        self.db.clear()?;
        let mut batch = sled::Batch::default();
        batch.insert(META_SCHEMA, encode(&VIEW_SCHEMA));
        self.db.apply_batch(batch)?;
        self.replay(0, GENESIS, 0)
    }

    /// Records events durably: validates them against the current records (nothing is written
    /// if one does not fit), appends them to the journal and fsyncs, then updates the view.
    /// `at` and `by` are who and when; sequence numbers are assigned here.
    pub fn commit(
        &mut self,
        at: NaiveDateTime,
        by: &str,
        events: Vec<EventKind>,
    ) -> Result<Vec<Recorded>, CommitError> {
        self.commit_each(
            events
                .into_iter()
                .map(|e| (at, by.to_string(), e))
                .collect(),
        )
    }

    /// Like `commit`, with its own time and author for each event (bulk loading of history).
    pub fn commit_each(
        &mut self,
        events: Vec<(NaiveDateTime, String, EventKind)>,
    ) -> Result<Vec<Recorded>, CommitError> {
        let first = self.journal.last_seq + 1;
        let recs: Vec<Recorded> = events
            .into_iter()
            .enumerate()
            .map(|(i, (at, by, event))| Recorded {
                seq: first + i as u64,
                at,
                by,
                event,
            })
            .collect();
        let staged = stage(&self.db, &recs).map_err(|e| match e {
            StagedError::Apply { index, error } => CommitError::Rejected { index, error },
            StagedError::Store(e) => CommitError::Store(e),
        })?;
        let entries = self.journal.append(&recs)?;
        let last = entries.last().map(|e| (e.end, e.hash.clone(), e.rec.seq));
        let mut batch = sled::Batch::default();
        write_batch(&mut batch, &staged, &recs);
        if let Some((end, hash, seq)) = last {
            put_meta(&mut batch, end, &hash, seq);
        }
        // The journal already holds these events: if the view update fails, the next open
        // replays them, so the commit still stands.
        if let Err(e) = self.db.apply_batch(batch) {
            tracing::error!("view update failed after journal commit: {e}");
        }
        Ok(recs)
    }

    fn meta_u64(&self, k: &[u8]) -> Result<Option<u64>, StoreError> {
        match self.db.get(k)? {
            Some(v) => Ok(Some(decode(&v)?)),
            None => Ok(None),
        }
    }
    fn meta_str(&self, k: &[u8]) -> Result<Option<String>, StoreError> {
        match self.db.get(k)? {
            Some(v) => Ok(Some(decode(&v)?)),
            None => Ok(None),
        }
    }

    /// Number of events in the journal (also the last sequence number).
    pub fn last_seq(&self) -> u64 {
        self.journal.last_seq
    }

    /// The journal's current head (a witness of everything recorded so far).
    pub fn chain_head(&self) -> ChainHead {
        ChainHead {
            seq: self.journal.last_seq,
            hash: self.journal.last_hash.clone(),
        }
    }

    pub fn issue(&self, id: u64) -> Result<Option<Issue>, StoreError> {
        self.get_fast(&issue_key(id))
    }

    /// All issues, by id.
    pub fn issues(&self) -> Result<Vec<Issue>, StoreError> {
        self.scan_fast(b"i:")
    }

    /// Highest issue id so far (0 if none).
    pub fn max_issue_id(&self) -> Result<u64, StoreError> {
        Ok(self
            .db
            .scan_prefix(b"i:")
            .keys()
            .next_back()
            .transpose()?
            .map_or(0, |k| id_from_key(&k)))
    }
    pub fn max_shift_id(&self) -> Result<u64, StoreError> {
        Ok(self
            .db
            .scan_prefix(b"f:")
            .keys()
            .next_back()
            .transpose()?
            .map_or(0, |k| id_from_key(&k)))
    }
    pub fn max_inspection_id(&self) -> Result<u64, StoreError> {
        Ok(self
            .db
            .scan_prefix(b"p:")
            .keys()
            .next_back()
            .transpose()?
            .map_or(0, |k| id_from_key(&k)))
    }

    fn ids_in(&self, prefix: &[u8], value: &str) -> Result<Vec<u64>, StoreError> {
        let p = index_prefix(prefix, value);
        self.db
            .scan_prefix(&p)
            .keys()
            .map(|k| Ok(id_from_key(&k?)))
            .collect()
    }

    fn issues_by_ids(&self, ids: Vec<u64>) -> Result<Vec<Issue>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(i) = self.issue(id)? {
                out.push(i);
            }
        }
        Ok(out)
    }

    /// Issues whose main unit is `unit` (index lookup).
    pub fn issues_by_unit(&self, unit: &str) -> Result<Vec<Issue>, StoreError> {
        let ids = self.ids_in(b"u:", unit)?;
        self.issues_by_ids(ids)
    }
    pub fn issues_by_status(&self, status: IssueStatus) -> Result<Vec<Issue>, StoreError> {
        let ids = self.ids_in(b"s:", status.key())?;
        self.issues_by_ids(ids)
    }
    pub fn issues_by_enterprise(&self, code: &str) -> Result<Vec<Issue>, StoreError> {
        let ids = self.ids_in(b"x:", code)?;
        self.issues_by_ids(ids)
    }

    /// The events of one issue, oldest first.
    pub fn history(&self, id: u64) -> Result<Vec<Recorded>, StoreError> {
        self.scan(&history_prefix(id))
    }

    pub fn enterprise(&self, code: &str) -> Result<Option<Enterprise>, StoreError> {
        self.get_fast(&enterprise_key(code))
    }
    pub fn enterprises(&self) -> Result<Vec<Enterprise>, StoreError> {
        self.scan_fast(b"e:")
    }
    pub fn shift(&self, id: u64) -> Result<Option<Shift>, StoreError> {
        self.get(&shift_key(id))
    }
    pub fn shifts(&self) -> Result<Vec<Shift>, StoreError> {
        self.scan(b"f:")
    }
    pub fn inspections(&self) -> Result<Vec<Inspection>, StoreError> {
        self.scan(b"p:")
    }

    /// Facts of issue events recorded at `from` or later and before `to`, in time order.
    pub fn facts(&self, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<Fact>, StoreError> {
        if to <= from {
            return Ok(vec![]);
        }
        let last_day = (to - chrono::Duration::seconds(1)).date();
        let mut out = Vec::new();
        for v in self
            .db
            .range(fact_day_key(from.date())..=fact_day_key(last_day))
            .values()
        {
            let day: Vec<Fact> = decode_compact(&v?)?;
            out.extend(day.into_iter().filter(|f| f.at >= from && f.at < to));
        }
        out.sort_by_key(|f| (f.at, f.seq));
        Ok(out)
    }

    /// Every event in the journal, oldest first (reports that need the full history).
    pub fn events(&self) -> Result<Vec<Recorded>, StoreError> {
        let mut out = Vec::new();
        journal::read_from(self.journal.path(), 0, GENESIS, 1, |e| {
            out.push(e.rec);
            Ok(())
        })?;
        Ok(out)
    }

    fn get<T: serde::de::DeserializeOwned>(&self, k: &[u8]) -> Result<Option<T>, StoreError> {
        match self.db.get(k)? {
            Some(v) => Ok(Some(decode(&v)?)),
            None => Ok(None),
        }
    }

    fn get_fast<T: serde::de::DeserializeOwned>(&self, k: &[u8]) -> Result<Option<T>, StoreError> {
        match self.db.get(k)? {
            Some(v) => Ok(Some(decode_fast(&v)?)),
            None => Ok(None),
        }
    }

    fn scan_fast<T: serde::de::DeserializeOwned>(
        &self,
        prefix: &[u8],
    ) -> Result<Vec<T>, StoreError> {
        self.db
            .scan_prefix(prefix)
            .values()
            .map(|v| decode_fast(&v?))
            .collect()
    }

    fn scan<T: serde::de::DeserializeOwned>(&self, prefix: &[u8]) -> Result<Vec<T>, StoreError> {
        self.db
            .scan_prefix(prefix)
            .values()
            .map(|v| decode(&v?))
            .collect()
    }

    /// Checks the whole journal chain and that the view reflects it.
    pub fn verify(&self) -> Result<VerifyReport, StoreError> {
        let mut events = 0;
        let mut last_hash = GENESIS.to_string();
        let mut expected_seq = 1;
        journal::read_from(self.journal.path(), 0, GENESIS, 1, |e| {
            if e.rec.seq != expected_seq {
                return Err(StoreError::Corrupt {
                    path: self.journal.path().to_path_buf(),
                    line: events as usize + 1,
                    what: format!(
                        "expected event {expected_seq}, found {}: events are missing",
                        e.rec.seq
                    ),
                });
            }
            expected_seq += 1;
            events += 1;
            last_hash = e.hash;
            Ok(())
        })?;
        let view_hash = self
            .meta_str(META_HASH)?
            .unwrap_or_else(|| GENESIS.to_string());
        let view_seq = self.meta_u64(META_SEQ)?.unwrap_or(0);
        Ok(VerifyReport {
            events,
            view_in_step: view_hash == last_hash && view_seq == events,
            last_hash,
        })
    }

    /// Copies the journal and schema file to `dest` (a new or empty directory) and fsyncs them.
    /// A backup is restorable on its own: the view is rebuilt from the journal.
    pub fn backup(&self, dest: &Path) -> Result<u64, StoreError> {
        if dest.exists()
            && std::fs::read_dir(dest)
                .map_err(|e| StoreError::io(dest, e))?
                .next()
                .is_some()
        {
            return Err(StoreError::Other(format!(
                "{}: backup directory is not empty; choose a new one",
                dest.display()
            )));
        }
        std::fs::create_dir_all(dest).map_err(|e| StoreError::io(dest, e))?;
        for name in [META, JOURNAL] {
            let from = self.dir.join(name);
            let to = dest.join(name);
            std::fs::copy(&from, &to).map_err(|e| StoreError::io(&from, e))?;
            std::fs::File::open(&to)
                .and_then(|f| f.sync_all())
                .map_err(|e| StoreError::io(&to, e))?;
        }
        journal::sync_dir(dest);
        Ok(self.journal.last_seq)
    }

    /// Replaces this store's records with a backup's: the backup's journal is checked first
    /// (nothing changes if it is broken); the current journal is kept beside it, never deleted.
    pub fn restore(&mut self, src: &Path) -> Result<u64, StoreError> {
        let src_journal = src.join(JOURNAL);
        if !src_journal.exists() {
            return Err(StoreError::Other(format!(
                "{}: not a dutydesk backup (no {JOURNAL})",
                src.display()
            )));
        }
        check_schema(src)?;
        let mut n = 0;
        journal::read_from(&src_journal, 0, GENESIS, 1, |_| {
            n += 1;
            Ok(())
        })?;
        let kept = self.dir.join(format!(
            "journal.before-restore-{}.jsonl",
            chrono::Local::now().format("%Y%m%d%H%M%S")
        ));
        std::fs::rename(self.dir.join(JOURNAL), &kept).map_err(|e| StoreError::io(&kept, e))?;
        let tmp = self.dir.join("journal.restoring");
        std::fs::copy(&src_journal, &tmp).map_err(|e| StoreError::io(&src_journal, e))?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| StoreError::io(&tmp, e))?;
        std::fs::rename(&tmp, self.dir.join(JOURNAL)).map_err(|e| StoreError::io(&tmp, e))?;
        journal::sync_dir(&self.dir);
        self.journal = Journal::open(&self.dir.join(JOURNAL))?;
        self.rebuild_view()?;
        Ok(n)
    }

    /// Makes the view durable too (used before exit; the journal already is).
    pub fn flush_view(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}

/// Why a commit did not happen. Nothing was written in either case.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// Event `index` of the batch does not fit the current records.
    #[error("{error}")]
    Rejected { index: usize, error: ApplyError },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn put_meta(batch: &mut sled::Batch, offset: u64, hash: &str, seq: u64) {
    batch.insert(META_OFFSET, encode(&offset));
    batch.insert(META_HASH, encode(&hash));
    batch.insert(META_SEQ, encode(&seq));
    batch.insert(META_SCHEMA, encode(&VIEW_SCHEMA));
}

fn staged_to_store(e: StagedError, path: &Path) -> StoreError {
    match e {
        StagedError::Apply { error, .. } => StoreError::Corrupt {
            path: path.to_path_buf(),
            line: 0,
            what: format!("an event does not apply: {error}"),
        },
        StagedError::Store(e) => e,
    }
}

fn open_view(dir: &Path) -> Result<sled::Db, StoreError> {
    Ok(sled::Config::new()
        .path(dir.join(VIEW_DIR))
        .flush_every_ms(Some(1000))
        .open()?)
}

/// Moves a broken view aside (kept for inspection, not deleted) so a fresh one can be built.
fn set_aside_view(dir: &Path) -> Result<(), StoreError> {
    let from = dir.join(VIEW_DIR);
    if from.exists() {
        let to = dir.join(format!(
            "view.broken-{}",
            chrono::Local::now().format("%Y%m%d%H%M%S")
        ));
        std::fs::rename(&from, &to).map_err(|e| StoreError::io(&from, e))?;
    }
    Ok(())
}

/// Creates the schema file in a new store, or checks an existing one.
fn check_schema(dir: &Path) -> Result<(), StoreError> {
    let path = dir.join(META);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let v: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
                    path: path.clone(),
                    line: e.line(),
                    what: e.to_string(),
                })?;
            match v.get("schema").and_then(|s| s.as_u64()) {
                Some(SCHEMA_VERSION) => Ok(()),
                other => Err(StoreError::Schema {
                    found: other.map_or_else(
                        || v.get("schema").map_or("none".into(), |s| s.to_string()),
                        |n| n.to_string(),
                    ),
                    supported: SCHEMA_VERSION,
                }),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let text =
                serde_json::json!({ "app": "dutydesk", "schema": SCHEMA_VERSION }).to_string();
            let tmp = dir.join("store.json.tmp");
            std::fs::write(&tmp, text).map_err(|e| StoreError::io(&tmp, e))?;
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| StoreError::io(&tmp, e))?;
            std::fs::rename(&tmp, &path).map_err(|e| StoreError::io(&path, e))?;
            journal::sync_dir(dir);
            Ok(())
        }
        Err(e) => Err(StoreError::io(&path, e)),
    }
}
