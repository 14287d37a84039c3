//! Storage: the fsynced, hash-chained journal (the authority) and the view derived from it
//! (current records and what the queries need). Only this module knows either format.
//!
//! The view is a cache that heals itself. It is checked as it is read (checksums on every
//! record, a digest on the snapshot); any damage found, at open or later, means it is rebuilt
//! from the journal in a new generation beside the old one, switched to only when complete.
//! A damaged journal is never "healed": it is reported with its line, and the store keeps
//! serving what it last had, read-only, until the journal is restored from a backup.

pub mod faults;
mod fsx;
mod journal;
mod lock;
mod messages;
pub mod seal;
mod view;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::domain::{
    ApplyError, Enterprise, EventKind, Fact, Inspection, Issue, IssueStatus, Recorded, Shift,
};

pub use journal::{chain_hash, Damage, Entry, Pos, GENESIS};
use journal::{Journal, Seals};
use lock::DirLock;
pub use seal::{SealKey, Witness};
use view::gens::Generations;
use view::{StagedError, View};

/// Version of the journal format this build writes (2: batches and seals). Version 1 journals
/// (plain event lines) are read as they are and upgraded in place.
pub const SCHEMA_VERSION: u64 = 2;
const OLDEST_SCHEMA: u64 = 1;

const JOURNAL: &str = "journal.jsonl";
const META: &str = "store.json";
const RESTORING: &str = "journal.restoring";

/// Writes a file owner-only, replacing it atomically (write, fsync, rename, fsync the
/// directory): for the files that live beside the store.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fsx::write_atomic(path, bytes)
}

/// Whether a data directory holds a store (its journal exists).
pub fn exists(dir: &Path) -> bool {
    dir.join(JOURNAL).is_file()
}

/// What can go wrong with the store. `message(lang)` says it for the user.
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
        line: u64,
        what: String,
    },
    #[error("store schema version {found} is not supported by this dutydesk (supports {supported}); use a newer dutydesk")]
    Schema { found: String, supported: u64 },
    /// The view does not hold together; it is rebuilt from the journal.
    #[error("view damaged: {0}")]
    ViewDamaged(String),
    /// An event read back from the journal does not fit the records before it.
    #[error("journal line {line}: the event does not apply: {what}")]
    Unapplicable { line: u64, what: String },
    /// A write failed and could not be undone; this process writes no more.
    #[error("{0}")]
    Poisoned(String),
    /// The store serves what it has but takes no changes (see `Degraded`).
    #[error("{0}")]
    ReadOnly(Degraded),
    #[error("{path}: {what}")]
    BadKey { path: PathBuf, what: String },
    #[error("the journal is sealed with a key: give it with --key-file or DUTYDESK_KEY_FILE")]
    NeedKey,
    #[error("the key {key} does not match the journal's seal")]
    WrongKey { key: String },
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

    /// A full disk (or quota): nothing was written; free space and try again.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, StoreError::Io { source, .. } if fsx::is_disk_full(source))
    }
}

/// Why the store is serving read-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Degraded {
    /// A journal line is damaged; the records are those before it.
    Damaged {
        path: PathBuf,
        line: u64,
        what: String,
    },
    /// The journal no longer holds the last event the view was built from: events were
    /// removed or rewritten after it was written.
    Diverged { path: PathBuf, view_seq: u64 },
}

impl std::fmt::Display for Degraded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(crate::i18n::Lang::En))
    }
}

/// Result of `verify`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerifyReport {
    /// The journal checked.
    pub journal: PathBuf,
    pub events: u64,
    pub last_hash: String,
    /// The first damaged line, if the journal is damaged.
    pub damage: Option<(u64, String)>,
    /// Seals: whether they were checked under a key, how many events carry one, the first.
    pub key_checked: bool,
    pub sealed_events: u64,
    pub first_sealed: Option<u64>,
    pub witnesses: Vec<WitnessCheck>,
    /// The view matched the journal's content (false: it did not, see `repaired`).
    pub view_in_step: bool,
    /// Kinds of records the view had wrong; it was replaced by one rebuilt from the journal.
    pub repaired: Vec<String>,
    /// Why the store is read-only, if it is.
    pub degraded: Option<String>,
}

impl VerifyReport {
    /// Everything checked out.
    pub fn ok(&self) -> bool {
        self.damage.is_none()
            && self.witnesses.iter().all(|w| w.ok)
            && self.degraded.is_none()
            && (!self.key_checked || self.sealed_events > 0)
    }
}

/// One witness and what the journal holds at its sequence number.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WitnessCheck {
    pub seq: u64,
    pub hash: String,
    /// The journal's hash at that event, or None if the journal holds fewer events.
    pub found: Option<String>,
    pub ok: bool,
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

/// Progress of long work (a rebuild): `(done, total)` bytes of the journal read, with what is
/// being done.
pub type Progress = Arc<dyn Fn(&str, u64, u64) + Send + Sync>;

/// How to open a store.
#[derive(Clone, Default)]
pub struct OpenOptions {
    /// The seal key: events are sealed with it and seals checked.
    pub key: Option<SealKey>,
    pub progress: Option<Progress>,
}

/// The open store. One per data directory (locked).
pub struct Store {
    dir: PathBuf,
    journal: Journal,
    view: RefCell<View>,
    gens: RefCell<Generations>,
    key: Option<SealKey>,
    degraded: RefCell<Option<Degraded>>,
    progress: Option<Progress>,
    /// Loading in bulk: checkpoints are spaced further apart.
    bulk: bool,
    /// The last events committed by this process (see `events_after`).
    recent: std::collections::VecDeque<Recorded>,
    /// The district new events are recorded for (`[district] code`).
    district: Option<String>,
    _lock: DirLock,
}

impl Store {
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, OpenOptions::default())
    }

    /// Opens or creates the store in `dir`: takes the lock, checks the schema, cuts a torn
    /// last line or batch, loads the view (rebuilding it if it is missing or damaged) and
    /// replays what it lacks, checking every line it reads.
    pub fn open_with(dir: &Path, opts: OpenOptions) -> Result<Store, StoreError> {
        fsx::private_dir(dir).map_err(|e| StoreError::io(dir, e))?;
        let lock = DirLock::acquire(dir)?;
        check_schema(dir)?;
        if let Err(e) = fsx::tighten_tree(dir) {
            tracing::warn!("could not make the data directory private: {e}");
        }
        for leftover in [RESTORING, "store.json.tmp"] {
            let _ = std::fs::remove_file(dir.join(leftover));
        }
        let mut journal = Journal::open(&dir.join(JOURNAL))?;
        let mut gens = Generations::open(dir)?;
        let loaded = gens.current().and_then(|g| match View::load(&g) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!("view unreadable ({e}); rebuilding it from the journal");
                None
            }
        });
        let (view, damage, fresh) = match loaded {
            Some(v) => (v, None, false),
            None => {
                journal.drop_torn_batch(0)?;
                let why = "missing or damaged";
                let (v, damage) = build_view(&gens, &journal, opts.progress.as_ref(), why)?;
                gens.switch(v.dir())?;
                journal.set_end(v.pos.clone());
                (v, damage, true)
            }
        };
        let mut store = Store {
            dir: dir.to_path_buf(),
            journal,
            view: RefCell::new(view),
            gens: RefCell::new(gens),
            key: opts.key,
            degraded: RefCell::new(None),
            progress: opts.progress,
            bulk: false,
            recent: std::collections::VecDeque::new(),
            district: None,
            _lock: lock,
        };
        if let Some(d) = damage {
            store.set_damaged(d);
        }
        if !fresh {
            store.catch_up()?;
        }
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Replays the journal's tail into a loaded view, or rebuilds when the view does not
    /// fit the journal. A journal that no longer holds what the view was built from (its
    /// snapshot's last event, or the last one it noted after a commit) lost events: that is
    /// not for a cache to decide, so the store serves what it has, read-only, and says so.
    fn catch_up(&mut self) -> Result<(), StoreError> {
        let pos = self.view.get_mut().pos.clone();
        let holds = |offset: u64, hash: &str| -> Result<bool, StoreError> {
            Ok(offset <= self.journal.len()
                && journal::hash_ending_at(self.journal.file(), offset)
                    .map_err(|e| StoreError::io(self.journal.path(), e))?
                    .as_deref()
                    == Some(hash))
        };
        if !holds(pos.offset, &pos.hash)? {
            self.diverged(pos.seq);
            self.journal.set_end(pos);
            return Ok(());
        }
        let noted = self.view.get_mut().noted_head();
        let lost = match &noted {
            Some((seq, offset, hash)) => (!holds(*offset, hash)?).then_some(*seq),
            None => None,
        };
        self.journal.drop_torn_batch(pos.offset)?;
        let path = self.journal.path().to_path_buf();
        let view = self.view.get_mut();
        // Seals are checked by `verify`; a wrong key only stops writes (`check_writable`).
        let scanned = journal::scan(&path, &pos, Seals::Presence, |entries, end| {
            view.replay(entries, end)
        });
        match scanned {
            Ok(s) => {
                self.journal.set_end(s.end.clone());
                if let Some(seq) = lost {
                    self.diverged(seq);
                } else if let Some(d) = s.damage {
                    self.set_damaged(d);
                } else if self.view.get_mut().checkpoint_due(false) {
                    if let Err(e) = self.view.get_mut().checkpoint() {
                        tracing::warn!("checkpoint failed: {e}");
                    }
                }
                Ok(())
            }
            // The view's records do not fit the journal: the view is wrong.
            Err(StoreError::Unapplicable { .. } | StoreError::ViewDamaged(_)) => {
                self.rebuild_at_open("out of step with the journal")
            }
            Err(e) => Err(e),
        }
    }

    fn diverged(&self, view_seq: u64) {
        tracing::error!("journal no longer holds event {view_seq} the view was built from");
        *self.degraded.borrow_mut() = Some(Degraded::Diverged {
            path: self.journal.path().to_path_buf(),
            view_seq,
        });
    }

    fn set_damaged(&self, d: Damage) {
        tracing::error!("journal damaged at line {}: {}", d.line, d.what);
        *self.degraded.borrow_mut() = Some(Degraded::Damaged {
            path: self.journal.path().to_path_buf(),
            line: d.line,
            what: d.what,
        });
    }

    /// Rebuilds the view when there is no usable one: the result is used even if the journal
    /// turns out damaged part way (then read-only, with the records before the damage).
    fn rebuild_at_open(&mut self, why: &str) -> Result<(), StoreError> {
        tracing::warn!("view {why}: rebuilding it from the journal");
        self.journal.drop_torn_batch(0)?;
        let (view, damage) = self.build(why)?;
        self.gens.get_mut().switch(view.dir())?;
        self.journal.set_end(view.pos.clone());
        *self.view.get_mut() = view;
        if let Some(d) = damage {
            self.set_damaged(d);
        }
        Ok(())
    }

    /// Builds a complete view from the whole journal in a new generation (not yet current).
    fn build(&self, why: &str) -> Result<(View, Option<Damage>), StoreError> {
        build_view(
            &self.gens.borrow(),
            &self.journal,
            self.progress.as_ref(),
            why,
        )
    }

    /// Runs a read on the view; if it finds the view damaged, rebuilds the view and tries once
    /// more.
    fn read<T>(&self, f: impl Fn(&View) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let first = f(&self.view.borrow());
        match first {
            Err(StoreError::ViewDamaged(why)) if !self.journal.in_txn() => {
                tracing::error!("view damaged ({why}); rebuilding it from the journal");
                self.heal()?;
                f(&self.view.borrow())
            }
            r => r,
        }
    }

    /// Replaces a damaged view by one rebuilt from the journal.
    fn heal(&self) -> Result<(), StoreError> {
        let (view, damage) = self.build("damaged")?;
        self.gens.borrow_mut().switch(view.dir())?;
        *self.view.borrow_mut() = view;
        if let Some(d) = damage {
            self.set_damaged(d);
        }
        Ok(())
    }

    /// Why the store is read-only, if it is.
    pub fn degraded(&self) -> Option<Degraded> {
        self.degraded.borrow().clone()
    }

    fn check_writable(&self) -> Result<(), StoreError> {
        if let Some(d) = self.degraded.borrow().clone() {
            return Err(StoreError::ReadOnly(d));
        }
        if let Some(why) = self.journal.poisoned() {
            return Err(StoreError::Poisoned(why.to_string()));
        }
        if let Some(mac) = &self.journal.end.mac {
            match &self.key {
                None => return Err(StoreError::NeedKey),
                Some(k) if !k.verify(&self.journal.end.hash, mac) => {
                    return Err(StoreError::WrongKey { key: k.id.clone() })
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Rebuilds the view from the whole journal (`dutydesk rebuild`). A rebuild that meets a
    /// damaged journal line keeps the current view and reports the line. After a `Diverged`
    /// store, this is how the journal as it now stands is accepted.
    pub fn rebuild_view(&mut self) -> Result<(), StoreError> {
        if self.journal.in_txn() {
            return Err(StoreError::Other("a batch is open".into()));
        }
        let (view, damage) = self.build("rebuild")?;
        if let Some(d) = damage {
            self.gens.get_mut().discard(view.dir());
            return Err(StoreError::Corrupt {
                path: self.journal.path().to_path_buf(),
                line: d.line,
                what: d.what,
            });
        }
        self.gens.get_mut().switch(view.dir())?;
        self.journal.set_end(view.pos.clone());
        *self.view.get_mut() = view;
        *self.degraded.get_mut() = None;
        Ok(())
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
    /// Several events are one atomic unit: after a crash, all of them are there or none.
    pub fn commit_each(
        &mut self,
        events: Vec<(NaiveDateTime, String, EventKind)>,
    ) -> Result<Vec<Recorded>, CommitError> {
        self.check_writable()?;
        let first = self.journal.end.seq + 1;
        let recs: Vec<Recorded> = events
            .into_iter()
            .enumerate()
            .map(|(i, (at, by, event))| Recorded {
                district: self.district.clone(),
                seq: first + i as u64,
                at,
                by,
                event,
            })
            .collect();
        let staged = match self.stage(&recs) {
            Ok(s) => s,
            Err(StagedError::Apply { index, error }) => {
                return Err(CommitError::Rejected { index, error })
            }
            Err(StagedError::Store(e)) => return Err(CommitError::Store(e)),
        };
        // Staging may have rebuilt a damaged view, and the rebuild found the journal damaged.
        self.check_writable()?;
        let entries = match self.journal.append(&recs, self.key.as_ref()) {
            Ok(e) => e,
            Err(e) => {
                if self.journal.in_txn() {
                    self.abort_batch()?;
                }
                return Err(e.into());
            }
        };
        let view = self.view.get_mut();
        view.absorb(staged, &entries);
        if !self.journal.in_txn() {
            view.pos = self.journal.end.clone();
            view.note_head();
            if view.checkpoint_due(self.bulk) {
                // The journal holds the events: a checkpoint that fails (a full disk) loses
                // nothing and is tried again later.
                if let Err(e) = view.checkpoint() {
                    tracing::warn!("checkpoint failed: {e}");
                }
            }
        }
        self.note_recent(&recs);
        Ok(recs)
    }

    /// Keeps the last events committed in this process, so a server can tell its sessions
    /// what changed without reading the journal back.
    fn note_recent(&mut self, recs: &[Recorded]) {
        const KEEP: usize = 10_000;
        self.recent.extend(recs.iter().cloned());
        while self.recent.len() > KEEP {
            self.recent.pop_front();
        }
    }

    /// The events after sequence number `seq` that this process committed (None if they are
    /// not all still kept: then everything must be read again).
    pub fn events_after(&self, seq: u64) -> Option<Vec<Recorded>> {
        if seq >= self.journal.end.seq {
            return Some(vec![]);
        }
        let first = self.recent.front().map(|r| r.seq)?;
        if first > seq + 1 {
            return None;
        }
        Some(
            self.recent
                .iter()
                .filter(|r| r.seq > seq)
                .cloned()
                .collect(),
        )
    }

    fn stage(&self, recs: &[Recorded]) -> Result<view::Staged, StagedError> {
        match self.view.borrow().stage(recs) {
            Err(StagedError::Store(StoreError::ViewDamaged(why))) if !self.journal.in_txn() => {
                tracing::error!("view damaged ({why}); rebuilding it from the journal");
            }
            r => return r,
        }
        self.heal()?;
        self.view.borrow().stage(recs)
    }

    /// Begins one operation of many commits that must be all or nothing (the demo): nothing
    /// of it is acknowledged until `commit_batch`; a crash before drops all of it.
    pub fn begin_batch(&mut self) -> Result<(), StoreError> {
        self.check_writable()?;
        self.journal.begin()
    }

    /// Makes the open batch durable.
    pub fn commit_batch(&mut self) -> Result<(), StoreError> {
        if let Err(e) = self.journal.commit() {
            self.reload_view()?;
            return Err(e);
        }
        let view = self.view.get_mut();
        view.pos = self.journal.end.clone();
        view.note_head();
        if view.checkpoint_due(false) {
            if let Err(e) = view.checkpoint() {
                tracing::warn!("checkpoint failed: {e}");
            }
        }
        Ok(())
    }

    /// Drops the open batch: the journal is cut back and the view forgets it.
    pub fn abort_batch(&mut self) -> Result<(), StoreError> {
        if !self.journal.in_txn() {
            return Ok(());
        }
        self.journal.abort()?;
        self.reload_view()
    }

    /// Reloads the view from its last snapshot and the journal (after a dropped batch, which
    /// it had taken in).
    fn reload_view(&mut self) -> Result<(), StoreError> {
        let dir = self.view.get_mut().dir().to_path_buf();
        match View::load(&dir) {
            Ok(v) => {
                *self.view.get_mut() = v;
                self.catch_up()
            }
            Err(_) => self.rebuild_at_open("reloading"),
        }
    }

    /// Spaces checkpoints for bulk loading (bench, large imports); turning it off checkpoints.
    pub fn set_bulk(&mut self, bulk: bool) {
        self.bulk = bulk;
        if !bulk {
            let _ = self.flush_view();
        }
    }

    /// Number of events in the journal (also the last sequence number).
    /// Records new events for this district (its administrative division code).
    pub fn set_district(&mut self, code: Option<String>) {
        self.district = code;
    }

    pub fn last_seq(&self) -> u64 {
        self.journal.end.seq
    }

    /// The journal's current head (a witness of everything recorded so far).
    pub fn chain_head(&self) -> ChainHead {
        ChainHead {
            seq: self.journal.end.seq,
            hash: self.journal.end.hash.clone(),
        }
    }

    pub fn issue(&self, id: u64) -> Result<Option<Issue>, StoreError> {
        self.read(|v| Ok(v.issue(id)?.map(|k| k.issue)))
    }

    /// All issues, by id (reads every closed one: for exports and full lists).
    pub fn issues(&self) -> Result<Vec<Issue>, StoreError> {
        self.read(|v| v.all_issues())
    }

    /// Issues not closed or voided, by id (memory only).
    pub fn open_issues(&self) -> Vec<Issue> {
        let mut v = self.view.borrow().open_issues();
        v.sort_by_key(|i| i.id);
        v
    }

    /// Open issues of one enterprise (memory only).
    pub fn open_count(&self, code: &str) -> usize {
        self.view.borrow().open_count(code)
    }

    /// The last day an issue of the enterprise was logged or contacted (memory only).
    pub fn last_touched(&self, code: &str) -> Option<chrono::NaiveDate> {
        self.view.borrow().last_touched(code)
    }

    /// Sequence number of the last change to any enterprise (keys caches of enterprises).
    pub fn enterprises_at(&self) -> u64 {
        self.view.borrow().enterprises_at()
    }

    /// A cache built from the view (such as the search index) saved under `name` for `key`.
    pub fn cache_get(&self, name: &str, key: u64) -> Option<Vec<u8>> {
        self.view.borrow().cache_get(name, key)
    }

    /// Saves a cache beside the view; lost with it, and rebuilt by whoever needs it.
    pub fn cache_put(&self, name: &str, key: u64, bytes: &[u8]) {
        self.view.borrow().cache_put(name, key, bytes)
    }

    /// Highest issue id so far (0 if none).
    pub fn max_issue_id(&self) -> Result<u64, StoreError> {
        Ok(self.view.borrow().max_issue_id())
    }
    pub fn max_shift_id(&self) -> Result<u64, StoreError> {
        Ok(self.view.borrow().max_shift_id())
    }
    pub fn max_inspection_id(&self) -> Result<u64, StoreError> {
        Ok(self.view.borrow().max_inspection_id())
    }

    /// Issues whose main unit is `unit`.
    pub fn issues_by_unit(&self, unit: &str) -> Result<Vec<Issue>, StoreError> {
        self.read(|v| v.by_unit(unit))
    }
    pub fn issues_by_status(&self, status: IssueStatus) -> Result<Vec<Issue>, StoreError> {
        self.read(|v| v.by_status(status))
    }
    /// The newest `n` issues in `status`, newest change first (closed and voided ones are
    /// read from their list, no further than needed).
    pub fn newest_in(&self, status: IssueStatus, n: usize) -> Result<Vec<Issue>, StoreError> {
        self.read(|v| v.newest_in(status, n))
    }
    pub fn issues_by_enterprise(&self, code: &str) -> Result<Vec<Issue>, StoreError> {
        self.read(|v| v.by_enterprise(code))
    }

    /// The events of one issue, oldest first, read from the journal where the view says
    /// they are (each line's hash is checked as it is read).
    pub fn history(&self, id: u64) -> Result<Vec<Recorded>, StoreError> {
        let Some(k) = self.read(|v| v.issue(id))? else {
            return Ok(vec![]);
        };
        k.events.iter().map(|off| self.event_at(*off)).collect()
    }

    fn event_at(&self, offset: u64) -> Result<Recorded, StoreError> {
        journal::read_event_at(self.journal.file(), self.journal.path(), offset)
    }

    pub fn enterprise(&self, code: &str) -> Result<Option<Enterprise>, StoreError> {
        Ok(self.view.borrow().enterprise(code))
    }
    pub fn enterprises(&self) -> Result<Vec<Enterprise>, StoreError> {
        Ok(self.view.borrow().enterprises())
    }

    /// A shift, with its filed brief read from the journal.
    pub fn shift(&self, id: u64) -> Result<Option<Shift>, StoreError> {
        let Some(k) = self.view.borrow().shift(id) else {
            return Ok(None);
        };
        let mut s = k.shift;
        if let Some(at) = k.brief_at {
            if let EventKind::ShiftEnded { brief, .. } = self.event_at(at)?.event {
                s.brief = Some(brief);
            }
        }
        Ok(Some(s))
    }

    /// Every shift, oldest first, without its brief (`shift(id)` has it).
    pub fn shifts(&self) -> Result<Vec<Shift>, StoreError> {
        Ok(self
            .view
            .borrow()
            .shifts()
            .into_iter()
            .map(|k| k.shift)
            .collect())
    }
    pub fn inspections(&self) -> Result<Vec<Inspection>, StoreError> {
        Ok(self.view.borrow().inspections())
    }

    /// The residency programme (small: it stays in memory whole).
    pub fn residency(&self) -> std::cell::Ref<'_, crate::domain::Residency> {
        std::cell::Ref::map(self.view.borrow(), |v| v.residency())
    }

    /// The accounts of the shared desk, by name.
    pub fn accounts(&self) -> Vec<crate::domain::AccountRecord> {
        self.view.borrow().accounts()
    }

    /// Facts of issue events recorded at `from` or later and before `to`, in time order.
    pub fn facts(&self, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<Fact>, StoreError> {
        self.read(|v| v.facts(from, to))
    }

    /// Every event in the journal, oldest first.
    pub fn events(&self) -> Result<Vec<Recorded>, StoreError> {
        let mut out = Vec::new();
        let s = journal::scan(
            self.journal.path(),
            &Pos::start(),
            Seals::Presence,
            |es, _| {
                out.extend(es.iter().map(|e| e.rec.clone()));
                Ok(())
            },
        )?;
        if let Some(d) = s.damage {
            return Err(self.corrupt(d));
        }
        Ok(out)
    }

    /// Up to about `max` events after `from` (a committed place), each with its exact text
    /// and hash, and the place after them. Whole batches only, so the place is committed too.
    pub fn read_from(&self, from: &Pos, max: usize) -> Result<(Vec<Entry>, Pos), StoreError> {
        let mut out = Vec::new();
        let s = journal::scan_bodies(self.journal.path(), from, max.max(1), |es, _| {
            out.extend(es.iter().cloned());
            Ok(())
        })?;
        if let Some(d) = s.damage {
            return Err(self.corrupt(d));
        }
        Ok((out, s.end))
    }

    /// Whether `pos` is a committed place in this journal: a line ends at its offset, holding
    /// its hash (the event itself, or the commit line of the batch it ends).
    pub fn holds(&self, pos: &Pos) -> bool {
        pos.seq <= self.journal.end.seq
            && pos.offset <= self.journal.end.offset
            && journal::hash_ending_at(self.journal.file(), pos.offset)
                .ok()
                .flatten()
                .is_some_and(|h| h == pos.hash)
    }

    /// The last committed place at or before event `seq` (reading the journal from its
    /// start), and the hash of event `seq` if the journal has it. A place is after a whole
    /// batch, so it is before `seq` when `seq` is inside one.
    pub fn place_before(&self, seq: u64) -> Result<(Pos, Option<String>), StoreError> {
        if seq == 0 {
            return Ok((Pos::start(), Some(GENESIS.to_string())));
        }
        let mut place = Pos::start();
        let mut hash = None;
        let s = journal::scan(
            self.journal.path(),
            &Pos::start(),
            Seals::Presence,
            |es, end| {
                if end.seq <= seq {
                    place = end.clone();
                }
                if let Some(e) = es.iter().find(|e| e.rec.seq == seq) {
                    hash = Some(e.hash.clone());
                }
                Ok(())
            },
        )?;
        if let Some(d) = s.damage {
            return Err(self.corrupt(d));
        }
        Ok((place, hash))
    }

    fn corrupt(&self, d: Damage) -> StoreError {
        StoreError::Corrupt {
            path: self.journal.path().to_path_buf(),
            line: d.line,
            what: d.what,
        }
    }

    /// Checks the whole journal (every line, the chain, batches, seals under `key` or the
    /// store's own key), each witness, and that the view holds exactly what the journal says;
    /// a view that does not is replaced by one rebuilt from the journal.
    pub fn verify(
        &self,
        witnesses: &[Witness],
        key: Option<&SealKey>,
    ) -> Result<VerifyReport, StoreError> {
        let key = key.or(self.key.as_ref());
        let seals = match key {
            Some(k) => Seals::Key(k),
            None => Seals::Presence,
        };
        let wanted: BTreeMap<u64, ()> = witnesses.iter().map(|w| (w.seq, ())).collect();
        let mut found: BTreeMap<u64, String> = BTreeMap::new();
        let dir = self.gens.borrow().create()?;
        let mut fresh = View::create(&dir)?;
        let scanned = journal::scan(self.journal.path(), &Pos::start(), seals, |es, end| {
            for e in es {
                if wanted.contains_key(&e.rec.seq) {
                    found.insert(e.rec.seq, e.hash.clone());
                }
            }
            fresh.replay(es, end)?;
            if fresh.checkpoint_due(true) {
                fresh.checkpoint()?;
            }
            Ok(())
        });
        let (end, damage, sealed_events, first_sealed) = match scanned {
            Ok(s) => (s.end, s.damage, s.sealed_events, s.first_sealed),
            Err(StoreError::Unapplicable { line, what }) => {
                (fresh.pos.clone(), Some(Damage { line, what }), 0, None)
            }
            Err(e) => {
                self.gens.borrow().discard(&dir);
                return Err(e);
            }
        };
        let checks = witnesses
            .iter()
            .map(|w| {
                let f = found.get(&w.seq).cloned();
                WitnessCheck {
                    seq: w.seq,
                    hash: w.hash.clone(),
                    ok: f.as_deref().is_some_and(|h| w.matches(h)),
                    found: f,
                }
            })
            .collect();
        let degraded = self.degraded();
        let mut repaired = Vec::new();
        let mut in_step = false;
        if damage.is_none() && degraded.is_none() {
            let ours = self.view.borrow().digest();
            let theirs = fresh.digest()?;
            let differences = match &ours {
                Ok(d) => d.differences(&theirs),
                Err(_) => vec!["unreadable"],
            };
            let pos_ok = self.view.borrow().pos == fresh.pos;
            in_step = differences.is_empty() && pos_ok;
            if !in_step {
                repaired = differences.iter().map(|s| s.to_string()).collect();
                if !pos_ok {
                    repaired.push("position".into());
                }
                fresh.checkpoint()?;
                self.gens.borrow_mut().switch(fresh.dir())?;
                *self.view.borrow_mut() = fresh;
            } else {
                self.gens.borrow().discard(&dir);
            }
        } else {
            self.gens.borrow().discard(&dir);
        }
        Ok(VerifyReport {
            journal: self.journal.path().to_path_buf(),
            events: end.seq,
            last_hash: end.hash,
            damage: damage.map(|d| (d.line, d.what)),
            key_checked: key.is_some(),
            sealed_events,
            first_sealed,
            witnesses: checks,
            view_in_step: in_step,
            repaired,
            degraded: degraded.map(|d| d.to_string()),
        })
    }

    /// Copies the journal (what is committed) and schema file to `dest` (a new or empty
    /// directory), owner-only, and fsyncs them. A backup is restorable on its own: the view
    /// is rebuilt from the journal.
    pub fn backup(&self, dest: &Path) -> Result<u64, StoreError> {
        if self.journal.in_txn() {
            return Err(StoreError::Other("a batch is open".into()));
        }
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
        fsx::private_dir(dest).map_err(|e| StoreError::io(dest, e))?;
        let copy = |name: &str, len: Option<u64>| -> Result<(), StoreError> {
            let from = self.dir.join(name);
            let to = dest.join(name);
            let tmp = fsx::tmp_name(&to);
            fsx::copy_synced(&from, &tmp, len).map_err(|e| StoreError::io(&to, e))?;
            std::fs::rename(&tmp, &to).map_err(|e| StoreError::io(&to, e))
        };
        copy(META, None)?;
        copy(JOURNAL, Some(self.journal.end.offset))?;
        fsx::sync_dir(dest).map_err(|e| StoreError::io(dest, e))?;
        Ok(self.journal.end.seq)
    }

    /// Replaces this store's records with a backup's. The backup's journal is checked first
    /// (nothing changes if it is damaged). The steps are ordered so that a crash at any
    /// instant leaves the old store or the new one, both opening: copy beside and fsync; keep
    /// the current journal under a second name (a hard link: it is never deleted); forget the
    /// view; rename the copy over the journal; fsync the directory; rebuild.
    pub fn restore(&mut self, src: &Path) -> Result<u64, StoreError> {
        if self.journal.in_txn() {
            return Err(StoreError::Other("a batch is open".into()));
        }
        let src_journal = src.join(JOURNAL);
        if !src_journal.is_file() {
            return Err(StoreError::Other(format!(
                "{}: not a dutydesk backup (no {JOURNAL})",
                src.display()
            )));
        }
        check_schema_of(src)?;
        let s = journal::scan(&src_journal, &Pos::start(), Seals::Presence, |_, _| Ok(()))?;
        if let Some(d) = s.damage {
            return Err(StoreError::Corrupt {
                path: src_journal,
                line: d.line,
                what: d.what,
            });
        }
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |e| StoreError::io(&p, e)
        };
        let tmp = self.dir.join(RESTORING);
        fsx::copy_synced(&src_journal, &tmp, Some(s.end.offset)).map_err(io(&tmp))?;
        fsx::sync_dir(&self.dir).map_err(io(&self.dir))?;
        faults::hit("restore.copied").map_err(io(&tmp))?;
        let live = self.dir.join(JOURNAL);
        let kept = self.dir.join(format!(
            "journal.before-restore-{}.jsonl",
            chrono::Local::now().format("%Y%m%d%H%M%S%3f")
        ));
        std::fs::hard_link(&live, &kept).map_err(io(&kept))?;
        fsx::sync_dir(&self.dir).map_err(io(&self.dir))?;
        faults::hit("restore.kept").map_err(io(&kept))?;
        self.gens.get_mut().forget()?;
        faults::hit("restore.forgot").map_err(io(&self.dir))?;
        std::fs::rename(&tmp, &live).map_err(io(&live))?;
        fsx::sync_dir(&self.dir).map_err(io(&self.dir))?;
        faults::hit("restore.renamed").map_err(io(&live))?;
        self.journal = Journal::open(&live)?;
        *self.degraded.get_mut() = None;
        self.rebuild_at_open("restore")?;
        Ok(s.end.seq)
    }

    /// Writes a checkpoint of the view if it has anything new (before exit; the journal is
    /// durable already, this only spares the next start a replay).
    pub fn flush_view(&mut self) -> Result<(), StoreError> {
        if self.journal.in_txn() || self.check_writable().is_err() {
            return Ok(());
        }
        let view = self.view.get_mut();
        if view.since_snapshot > 0 {
            view.checkpoint()?;
        }
        Ok(())
    }

    /// Issues kept in memory, and bytes of closed issues and facts on disk (for the bench).
    pub fn view_sizes(&self) -> (usize, u64) {
        self.view.borrow().sizes()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // An operation left unfinished is cut off now rather than at the next open.
        if self.journal.in_txn() {
            let _ = self.journal.abort();
        }
    }
}

/// Builds a complete view from the whole journal in a new generation of `gens` (not yet
/// current). A damaged line ends it early: the view then holds what came before, and the
/// damage is returned beside it.
fn build_view(
    gens: &Generations,
    journal: &Journal,
    progress: Option<&Progress>,
    why: &str,
) -> Result<(View, Option<Damage>), StoreError> {
    let dir = gens.create()?;
    let result = build_in(&dir, journal, progress, why);
    if result.is_err() {
        gens.discard(&dir);
    }
    result
}

fn build_in(
    dir: &Path,
    journal: &Journal,
    progress: Option<&Progress>,
    why: &str,
) -> Result<(View, Option<Damage>), StoreError> {
    let mut view = View::create(dir)?;
    let total = journal.len();
    let note = |done: u64| {
        // A new, empty journal is no work worth announcing.
        if let (Some(p), true) = (progress, total > 0) {
            p(why, done, total);
        }
    };
    note(0);
    let mut last_note = 0;
    let scanned = journal::scan(
        journal.path(),
        &Pos::start(),
        Seals::Presence,
        |entries, end| {
            view.replay(entries, end)?;
            faults::hit("rebuild.replay").map_err(|e| StoreError::io(dir, e))?;
            if view.checkpoint_due(true) {
                view.checkpoint()?;
            }
            if end.offset - last_note > 4 << 20 {
                last_note = end.offset;
                note(end.offset);
            }
            Ok(())
        },
    );
    let damage = match scanned {
        Ok(s) => s.damage,
        Err(StoreError::Unapplicable { line, what }) => Some(Damage { line, what }),
        Err(e) => return Err(e),
    };
    view.checkpoint()?;
    note(total);
    Ok((view, damage))
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

/// Creates the schema file in a new store, checks an existing one, and upgrades a version 1
/// store (whose journal this version reads as it is) to version 2.
fn check_schema(dir: &Path) -> Result<(), StoreError> {
    let path = dir.join(META);
    match check_schema_of(dir) {
        Ok(Some(SCHEMA_VERSION)) => Ok(()),
        Ok(_) => {
            let text =
                serde_json::json!({ "app": "dutydesk", "schema": SCHEMA_VERSION }).to_string();
            fsx::write_atomic(&path, text.as_bytes()).map_err(|e| StoreError::io(&path, e))
        }
        Err(e) => Err(e),
    }
}

/// The schema version of the store in `dir` (None if it has no schema file yet).
fn check_schema_of(dir: &Path) -> Result<Option<u64>, StoreError> {
    let path = dir.join(META);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let v: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
                    path: path.clone(),
                    line: e.line() as u64,
                    what: e.to_string(),
                })?;
            match v.get("schema").and_then(|s| s.as_u64()) {
                Some(n) if (OLDEST_SCHEMA..=SCHEMA_VERSION).contains(&n) => Ok(Some(n)),
                other => Err(StoreError::Schema {
                    found: other.map_or_else(
                        || v.get("schema").map_or("none".into(), |s| s.to_string()),
                        |n| n.to_string(),
                    ),
                    supported: SCHEMA_VERSION,
                }),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(&path, e)),
    }
}

#[cfg(test)]
mod tests;
