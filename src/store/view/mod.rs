//! The view: the desk's current records and what its queries need, derived from the journal
//! and disposable — any damage found in it means it is rebuilt from the journal.
//!
//! Its cost follows the open work, not the history:
//! - **in memory** (and in the snapshot): issues still open or changed since the last
//!   checkpoint ("hot"), enterprises, shifts (without their briefs), inspections, counters,
//!   the day index of the facts, and the heads of three lists;
//! - **`cold`**: closed and voided issues, appended as they close, each record linked to the
//!   previous one of the same enterprise, unit and status, so those lists are walked without
//!   an index per key; **`cold.idx`** maps an issue id to its current record;
//! - **`facts`**: the compact per-event facts the reports read, one record per day and
//!   checkpoint, found through the day index;
//! - issue histories and filed briefs are not copied: records keep the journal offsets of
//!   their events.
//!
//! A checkpoint appends what closed, writes the snapshot atomically, then the slots (redone
//! from the snapshot if a crash cuts them short). What was written after the last snapshot is
//! cut off at open and replayed from the journal, so a crash at any point leaves a view that
//! is exactly the journal up to the snapshot's position.

mod files;
pub mod gens;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use bincode::Options;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::{
    apply_account, apply_issue, apply_shift, AccountRecord, ApplyError, Enterprise, EventKind,
    Fact, FactKind, Inspection, Issue, IssueStatus, Recorded, Residency, Shift, Target,
};

use super::journal::{Entry, Pos};
use super::StoreError;
use files::{read_head, read_snapshot, write_head, write_snapshot, RecordFile, SlotFile};

/// Events between checkpoints in ordinary use: what a later open replays at most.
pub const CHECKPOINT_EVENTS: u64 = 4000;
/// Events between checkpoints while loading in bulk (rebuild, import of history).
pub const CHECKPOINT_BULK: u64 = 200_000;

const SNAPSHOT: &str = "snapshot";
const COLD: &str = "cold";
const SLOTS: &str = "cold.idx";
const FACTS: &str = "facts";
const HEAD: &str = "head";

/// An issue as the view keeps it: its current record and the journal offsets of its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub issue: Issue,
    pub events: Vec<u64>,
}

/// A closed or voided issue in the cold file, with the previous record (offset + 1, 0 for
/// none) of the same enterprise, unit and status.
#[derive(Serialize, Deserialize)]
struct ColdRecord {
    kept: Kept,
    prev: [u64; 3],
}

const BY_ENTERPRISE: usize = 0;
const BY_UNIT: usize = 1;
const BY_STATUS: usize = 2;

/// A shift without its brief, which stays in the journal at `brief_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptShift {
    pub shift: Shift,
    pub brief_at: Option<u64>,
}

/// List heads (offset + 1 of the newest cold record) by enterprise, unit and status.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Heads([BTreeMap<String, u64>; 3]);

impl Heads {
    fn keys(issue: &Issue) -> [String; 3] {
        [
            issue.enterprise.clone(),
            issue.unit.clone().unwrap_or_default(),
            issue.status.key().to_string(),
        ]
    }
    fn get(&self, list: usize, key: &str) -> u64 {
        self.0[list].get(key).copied().unwrap_or(0)
    }
}

#[derive(Serialize, Deserialize)]
struct Snapshot {
    pos: Pos,
    cold_len: u64,
    facts_len: u64,
    slot_redo: Vec<(u64, u64)>,
    hot: Vec<Kept>,
    enterprises: Vec<Enterprise>,
    shifts: Vec<KeptShift>,
    inspections: Vec<Inspection>,
    max_issue: u64,
    max_shift: u64,
    max_inspection: u64,
    heads: Heads,
    fact_days: Vec<(i32, Vec<u64>)>,
    /// Per enterprise, the last day an issue of it was logged or contacted.
    touched: Vec<(String, i32)>,
    /// Sequence number of the last enterprise change (keys caches built from enterprises).
    enterprises_at: u64,
    accounts: Vec<AccountRecord>,
    residency: Residency,
}

fn codec() -> impl Options {
    bincode::DefaultOptions::new()
}

fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    // Serialising the view's own types cannot fail.
    codec().serialize(v).unwrap_or_default()
}

fn decode<T: serde::de::DeserializeOwned>(b: &[u8], what: &str) -> Result<T, StoreError> {
    codec()
        .with_limit(b.len() as u64 * 8 + 1024)
        .deserialize(b)
        .map_err(|e| StoreError::ViewDamaged(format!("{what}: unreadable ({e})")))
}

fn day_of(d: NaiveDate) -> i32 {
    d.to_epoch_days()
}

/// The records a batch of events touches, as they will be after it: checked against the
/// view before the journal is written, applied to it after.
#[derive(Default)]
pub struct Staged {
    issues: BTreeMap<u64, Kept>,
    /// For each event of the batch, the issue it touches.
    issue_of: Vec<Option<u64>>,
    facts: Vec<Fact>,
    enterprises: Vec<Enterprise>,
    enterprise_seqs: Vec<u64>,
    shifts: BTreeMap<u64, KeptShift>,
    /// For each event, the shift whose brief it files.
    brief_of: Vec<Option<u64>>,
    inspections: BTreeMap<u64, Inspection>,
    accounts: BTreeMap<String, AccountRecord>,
    /// The programme after the batch, when the batch changes it.
    residency: Option<Residency>,
}

/// Why a batch could not be staged.
#[derive(Debug)]
pub enum StagedError {
    Apply { index: usize, error: ApplyError },
    Store(StoreError),
}

impl From<StoreError> for StagedError {
    fn from(e: StoreError) -> Self {
        StagedError::Store(e)
    }
}

/// What the content digest of a view covers, kind by kind (for `verify`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Digest3 {
    pub issues: (u64, u128),
    pub enterprises: (u64, u128),
    pub shifts: (u64, u128),
    pub inspections: (u64, u128),
    pub residency: (u64, u128),
    pub facts: (u64, u128),
    pub counters: (u64, u64, u64),
    /// What is kept per enterprise (open issues, last contact) and the enterprise stamp.
    pub derived: (u64, u128),
}

impl Digest3 {
    /// Names of the kinds that differ between two digests.
    pub fn differences(&self, other: &Digest3) -> Vec<&'static str> {
        let mut d = vec![];
        if self.issues != other.issues {
            d.push("issues");
        }
        if self.enterprises != other.enterprises {
            d.push("enterprises");
        }
        if self.shifts != other.shifts {
            d.push("shifts");
        }
        if self.inspections != other.inspections {
            d.push("inspections");
        }
        if self.residency != other.residency {
            d.push("residency");
        }
        if self.facts != other.facts {
            d.push("facts");
        }
        if self.counters != other.counters {
            d.push("counters");
        }
        if self.derived != other.derived {
            d.push("per-enterprise counts");
        }
        d
    }
}

/// An order-independent digest of a set of records: their count and the sum of their hashes.
fn add(acc: &mut (u64, u128), bytes: &[u8]) {
    let h = Sha256::digest(bytes);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    acc.0 += 1;
    acc.1 = acc.1.wrapping_add(u128::from_le_bytes(b));
}

/// The open view.
pub struct View {
    dir: PathBuf,
    /// The journal is applied up to here (a committed place).
    pub pos: Pos,
    hot: BTreeMap<u64, Kept>,
    enterprises: HashMap<String, Enterprise>,
    shifts: BTreeMap<u64, KeptShift>,
    inspections: BTreeMap<u64, Inspection>,
    max_issue: u64,
    max_shift: u64,
    max_inspection: u64,
    heads: Heads,
    fact_days: BTreeMap<i32, Vec<u64>>,
    pending_facts: BTreeMap<i32, Vec<Fact>>,
    cold: RecordFile,
    facts: RecordFile,
    slots: SlotFile,
    /// Slots decided by a checkpoint but not yet on disk.
    slot_overlay: HashMap<u64, u64>,
    /// Events applied since the last snapshot.
    pub since_snapshot: u64,
    /// Open issues per enterprise (the picker shows them on every keystroke).
    open_by_enterprise: HashMap<String, u32>,
    touched: HashMap<String, i32>,
    enterprises_at: u64,
    accounts: BTreeMap<String, AccountRecord>,
    residency: Residency,
}

impl View {
    /// An empty view in a new generation directory.
    pub fn create(dir: &Path) -> Result<View, StoreError> {
        Ok(View {
            dir: dir.to_path_buf(),
            pos: Pos::start(),
            hot: BTreeMap::new(),
            enterprises: HashMap::new(),
            shifts: BTreeMap::new(),
            inspections: BTreeMap::new(),
            max_issue: 0,
            max_shift: 0,
            max_inspection: 0,
            heads: Heads::default(),
            fact_days: BTreeMap::new(),
            pending_facts: BTreeMap::new(),
            cold: RecordFile::open(&dir.join(COLD), 0)?,
            facts: RecordFile::open(&dir.join(FACTS), 0)?,
            slots: SlotFile::open(&dir.join(SLOTS))?,
            slot_overlay: HashMap::new(),
            since_snapshot: 0,
            open_by_enterprise: HashMap::new(),
            touched: HashMap::new(),
            enterprises_at: 0,
            accounts: BTreeMap::new(),
            residency: Residency::default(),
        })
    }

    /// Opens the view of a generation from its snapshot, checking it; cuts what a crash left
    /// after the snapshot and redoes its slots.
    pub fn load(dir: &Path) -> Result<View, StoreError> {
        let s: Snapshot = decode(&read_snapshot(&dir.join(SNAPSHOT))?, "view snapshot")?;
        let slots = SlotFile::open(&dir.join(SLOTS))?;
        slots.set(&s.slot_redo)?;
        let mut open_by_enterprise: HashMap<String, u32> = HashMap::new();
        for k in s.hot.iter().filter(|k| k.issue.status.is_open()) {
            *open_by_enterprise
                .entry(k.issue.enterprise.clone())
                .or_default() += 1;
        }
        Ok(View {
            dir: dir.to_path_buf(),
            pos: s.pos,
            hot: s.hot.into_iter().map(|k| (k.issue.id, k)).collect(),
            enterprises: s
                .enterprises
                .into_iter()
                .map(|e| (e.credit_code.clone(), e))
                .collect(),
            shifts: s.shifts.into_iter().map(|k| (k.shift.id, k)).collect(),
            inspections: s.inspections.into_iter().map(|i| (i.id, i)).collect(),
            max_issue: s.max_issue,
            max_shift: s.max_shift,
            max_inspection: s.max_inspection,
            heads: s.heads,
            fact_days: s.fact_days.into_iter().collect(),
            pending_facts: BTreeMap::new(),
            cold: RecordFile::open(&dir.join(COLD), s.cold_len)?,
            facts: RecordFile::open(&dir.join(FACTS), s.facts_len)?,
            slots,
            slot_overlay: HashMap::new(),
            since_snapshot: 0,
            open_by_enterprise,
            touched: s.touched.into_iter().collect(),
            enterprises_at: s.enterprises_at,
            accounts: s
                .accounts
                .into_iter()
                .map(|a| (a.account.name.clone(), a))
                .collect(),
            residency: s.residency,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Notes the journal's committed end after a commit (see `files::write_head`).
    pub fn note_head(&self) {
        let p = &self.pos;
        if let Err(e) = write_head(&self.dir.join(HEAD), p.seq, p.offset, &p.hash) {
            tracing::warn!("could not note the journal head: {e}");
        }
    }

    /// The last committed event this view has seen, if noted: (seq, offset after it, hash).
    pub fn noted_head(&self) -> Option<(u64, u64, String)> {
        read_head(&self.dir.join(HEAD)).filter(|(seq, _, _)| *seq > self.pos.seq)
    }

    // ----- applying events -----

    /// Works out what `recs` would change, without changing anything; fails (naming the event)
    /// if one does not fit the records.
    pub fn stage(&self, recs: &[Recorded]) -> Result<Staged, StagedError> {
        let mut p = Staged::default();
        for (i, rec) in recs.iter().enumerate() {
            let fail = |e: ApplyError| StagedError::Apply { index: i, error: e };
            let mut issue_of = None;
            let mut brief_of = None;
            match rec.event.target() {
                Target::Issue(id) => {
                    let cur = match p.issues.get(&id) {
                        Some(k) => Some(k.clone()),
                        None => self.issue(id)?,
                    };
                    let next = apply_issue(cur.as_ref().map(|k| &k.issue), rec).map_err(fail)?;
                    p.facts
                        .push(Fact::of(cur.as_ref().map(|k| &k.issue), &next, rec));
                    let events = cur.map(|k| k.events).unwrap_or_default();
                    p.issues.insert(
                        id,
                        Kept {
                            issue: next,
                            events,
                        },
                    );
                    issue_of = Some(id);
                }
                Target::Shift(id) => {
                    let cur = match p.shifts.get(&id) {
                        Some(s) => Some(s.clone()),
                        None => self.shifts.get(&id).cloned(),
                    };
                    let mut next =
                        apply_shift(cur.as_ref().map(|k| &k.shift), rec).map_err(fail)?;
                    let mut brief_at = cur.and_then(|k| k.brief_at);
                    if matches!(rec.event, EventKind::ShiftEnded { .. }) {
                        brief_of = Some(id);
                        brief_at = None;
                    }
                    // The brief stays in the journal; the view keeps where.
                    next.brief = None;
                    p.shifts.insert(
                        id,
                        KeptShift {
                            shift: next,
                            brief_at,
                        },
                    );
                }
                Target::Enterprise(_) => {
                    if let EventKind::EnterpriseSaved { enterprise } = &rec.event {
                        p.enterprises.push(enterprise.clone());
                        p.enterprise_seqs.push(rec.seq);
                    }
                }
                Target::Account(name) => {
                    let cur = match p.accounts.get(name) {
                        Some(a) => Some(a.clone()),
                        None => self.accounts.get(name).cloned(),
                    };
                    let next = apply_account(cur.as_ref(), &rec.event).map_err(fail)?;
                    p.accounts.insert(name.to_string(), next);
                }
                Target::Inspection(id) => {
                    if let EventKind::InspectionRecorded { inspection } = &rec.event {
                        if p.inspections.contains_key(&id) || self.inspections.contains_key(&id) {
                            return Err(fail(ApplyError::IssueExists(id)));
                        }
                        p.inspections.insert(id, inspection.clone());
                    }
                }
                Target::Residency => {
                    if p.residency.is_none() {
                        p.residency = Some(self.residency.clone());
                    }
                    if let Some(r) = p.residency.as_mut() {
                        r.apply(rec).map_err(|e| fail(e.into()))?;
                    }
                }
            }
            p.issue_of.push(issue_of);
            p.brief_of.push(brief_of);
        }
        Ok(p)
    }

    /// Applies staged changes, whose events the journal now holds as `entries`.
    pub fn absorb(&mut self, mut p: Staged, entries: &[Entry]) {
        for (i, e) in entries.iter().enumerate() {
            if let Some(Some(id)) = p.issue_of.get(i) {
                if let Some(k) = p.issues.get_mut(id) {
                    k.events.push(e.offset);
                }
            }
            if let Some(Some(id)) = p.brief_of.get(i) {
                if let Some(s) = p.shifts.get_mut(id) {
                    s.brief_at = Some(e.offset);
                }
            }
        }
        for (id, k) in p.issues {
            self.max_issue = self.max_issue.max(id);
            let open = k.issue.status.is_open();
            if open {
                *self
                    .open_by_enterprise
                    .entry(k.issue.enterprise.clone())
                    .or_default() += 1;
            }
            // Every open issue is in the hot set, so only a hot one can have been counted.
            if let Some(old) = self.hot.insert(id, k) {
                if old.issue.status.is_open() {
                    if let Some(n) = self.open_by_enterprise.get_mut(&old.issue.enterprise) {
                        *n = n.saturating_sub(1);
                    }
                }
            }
        }
        for f in p.facts {
            if matches!(f.kind, FactKind::Logged | FactKind::Contacted) {
                let day = day_of(f.at.date());
                let t = self.touched.entry(f.enterprise.clone()).or_insert(day);
                *t = (*t).max(day);
            }
            self.pending_facts
                .entry(day_of(f.at.date()))
                .or_default()
                .push(f);
        }
        for (e, seq) in p.enterprises.into_iter().zip(p.enterprise_seqs) {
            self.enterprises_at = self.enterprises_at.max(seq);
            self.enterprises.insert(e.credit_code.clone(), e);
        }
        for (id, s) in p.shifts {
            self.max_shift = self.max_shift.max(id);
            self.shifts.insert(id, s);
        }
        for (id, i) in p.inspections {
            self.max_inspection = self.max_inspection.max(id);
            self.inspections.insert(id, i);
        }
        self.accounts.extend(p.accounts);
        if let Some(r) = p.residency {
            self.residency = r;
        }
        self.since_snapshot += entries.len() as u64;
    }

    /// Applies events read back from the journal (replay and rebuild), ending at `end`.
    pub fn replay(&mut self, entries: &[Entry], end: &Pos) -> Result<(), StoreError> {
        let recs: Vec<Recorded> = entries.iter().map(|e| e.rec.clone()).collect();
        let staged = self.stage(&recs).map_err(|e| match e {
            StagedError::Apply { index, error } => StoreError::Unapplicable {
                line: entries.get(index).map_or(0, |e| e.line),
                what: error.to_string(),
            },
            StagedError::Store(e) => e,
        })?;
        self.absorb(staged, entries);
        self.pos = end.clone();
        Ok(())
    }

    // ----- checkpoints -----

    /// Whether enough has happened since the last snapshot to write one.
    pub fn checkpoint_due(&self, bulk: bool) -> bool {
        self.since_snapshot
            >= if bulk {
                CHECKPOINT_BULK
            } else {
                CHECKPOINT_EVENTS
            }
    }

    /// Writes what closed and the facts to their files, then the snapshot. On failure (a
    /// full disk) nothing in memory changes and the files are cut back: the journal still
    /// holds everything, and the next checkpoint tries again.
    pub fn checkpoint(&mut self) -> Result<(), StoreError> {
        let cold_len = self.cold.len;
        let facts_len = self.facts.len;
        let closing: Vec<u64> = self
            .hot
            .iter()
            .filter(|(_, k)| !k.issue.status.is_open())
            .map(|(id, _)| *id)
            .collect();
        let mut heads = self.heads.clone();
        let mut payloads = Vec::with_capacity(closing.len());
        let mut new_slots = Vec::with_capacity(closing.len());
        let mut at = cold_len;
        for id in &closing {
            let kept = &self.hot[id];
            let keys = Heads::keys(&kept.issue);
            let prev = [
                heads.get(BY_ENTERPRISE, &keys[0]),
                heads.get(BY_UNIT, &keys[1]),
                heads.get(BY_STATUS, &keys[2]),
            ];
            let bytes = encode(&ColdRecord {
                kept: kept.clone(),
                prev,
            });
            for (list, key) in keys.into_iter().enumerate() {
                heads.0[list].insert(key, at + 1);
            }
            new_slots.push((*id, at + 1));
            at += 8 + bytes.len() as u64;
            payloads.push(bytes);
        }
        let fact_payloads: Vec<(i32, Vec<u8>)> = self
            .pending_facts
            .iter()
            .map(|(d, f)| (*d, encode(&(*d, f))))
            .collect();
        let mut slot_redo: Vec<(u64, u64)> =
            self.slot_overlay.iter().map(|(a, b)| (*a, *b)).collect();
        slot_redo.extend(new_slots.iter().copied());
        let result = (|| -> Result<Vec<u64>, StoreError> {
            self.cold.append(&payloads)?;
            let bodies: Vec<Vec<u8>> = fact_payloads.iter().map(|(_, b)| b.clone()).collect();
            let fact_offsets = self.facts.append(&bodies)?;
            self.cold.sync()?;
            self.facts.sync()?;
            super::faults::hit("view.snapshot").map_err(|e| StoreError::io(&self.dir, e))?;
            let mut fact_days = self.fact_days.clone();
            for ((d, _), off) in fact_payloads.iter().zip(&fact_offsets) {
                fact_days.entry(*d).or_default().push(*off);
            }
            let mut enterprises: Vec<Enterprise> = self.enterprises.values().cloned().collect();
            enterprises.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
            let snap = Snapshot {
                pos: self.pos.clone(),
                cold_len: self.cold.len,
                facts_len: self.facts.len,
                slot_redo: slot_redo.clone(),
                hot: self
                    .hot
                    .values()
                    .filter(|k| k.issue.status.is_open())
                    .cloned()
                    .collect(),
                enterprises,
                shifts: self.shifts.values().cloned().collect(),
                inspections: self.inspections.values().cloned().collect(),
                max_issue: self.max_issue,
                max_shift: self.max_shift,
                max_inspection: self.max_inspection,
                heads: heads.clone(),
                fact_days: fact_days.into_iter().collect(),
                touched: self.touched.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                enterprises_at: self.enterprises_at,
                accounts: self.accounts.values().cloned().collect(),
                residency: self.residency.clone(),
            };
            write_snapshot(&self.dir.join(SNAPSHOT), &encode(&snap))?;
            Ok(fact_offsets)
        })();
        let fact_offsets = match result {
            Ok(o) => o,
            Err(e) => {
                self.cold.truncate(cold_len);
                self.facts.truncate(facts_len);
                return Err(e);
            }
        };
        // The snapshot stands: bring memory in line with it.
        for id in &closing {
            self.hot.remove(id);
        }
        self.heads = heads;
        for ((d, _), off) in fact_payloads.iter().zip(fact_offsets) {
            self.fact_days.entry(*d).or_default().push(off);
        }
        self.pending_facts.clear();
        self.since_snapshot = 0;
        self.slot_overlay.extend(new_slots);
        match self.slots.set(&slot_redo) {
            Ok(()) => self.slot_overlay.clear(),
            // Redone from the snapshot at the next open, or by the next checkpoint.
            Err(e) => tracing::warn!("view slots not written yet: {e}"),
        }
        Ok(())
    }

    // ----- queries -----

    fn slot(&self, id: u64) -> Result<u64, StoreError> {
        match self.slot_overlay.get(&id) {
            Some(s) => Ok(*s),
            None => self.slots.get(id),
        }
    }

    fn read_cold(&self, at: u64) -> Result<ColdRecord, StoreError> {
        self.read_cold_in(at, &mut Vec::new())
    }

    fn read_cold_in(&self, at: u64, buf: &mut Vec<u8>) -> Result<ColdRecord, StoreError> {
        let body = self.cold.read_into(at, buf)?;
        decode(&buf[body], "closed issue record")
    }

    /// An issue and where its events are.
    pub fn issue(&self, id: u64) -> Result<Option<Kept>, StoreError> {
        if let Some(k) = self.hot.get(&id) {
            return Ok(Some(k.clone()));
        }
        match self.slot(id)? {
            0 => Ok(None),
            s => {
                let r = self.read_cold(s - 1)?;
                if r.kept.issue.id != id {
                    return Err(StoreError::ViewDamaged(format!(
                        "slot of issue {id} points at issue {}",
                        r.kept.issue.id
                    )));
                }
                Ok(Some(r.kept))
            }
        }
    }

    /// Walks one list of cold records from its head, newest first, passing on the current
    /// ones (not superseded, not back in the hot set).
    fn walk(&self, list: usize, key: &str, out: &mut Vec<Issue>) -> Result<(), StoreError> {
        self.walk_up_to(list, key, usize::MAX, out)
    }

    fn walk_up_to(
        &self,
        list: usize,
        key: &str,
        most: usize,
        out: &mut Vec<Issue>,
    ) -> Result<(), StoreError> {
        let mut cur = self.heads.get(list, key);
        // A long walk reads the slots once instead of one by one.
        let mut slots: Option<Vec<u64>> = None;
        let mut walked = 0usize;
        let mut buf = Vec::new();
        while cur != 0 && out.len() < most {
            let r = self.read_cold_in(cur - 1, &mut buf)?;
            let id = r.kept.issue.id;
            walked += 1;
            if walked == 64 {
                slots = Some(self.slots.all()?);
            }
            let slot = match (&slots, self.slot_overlay.get(&id)) {
                (_, Some(s)) => *s,
                (Some(all), None) => all.get(id as usize).copied().unwrap_or(0),
                (None, None) => self.slots.get(id)?,
            };
            if !self.hot.contains_key(&id) && slot == cur {
                out.push(r.kept.issue);
            }
            let next = r.prev[list];
            if next >= cur {
                return Err(StoreError::ViewDamaged(
                    "a list of closed issues loops".into(),
                ));
            }
            cur = next;
        }
        Ok(())
    }

    fn hot_where(&self, f: impl Fn(&Issue) -> bool) -> Vec<Issue> {
        self.hot
            .values()
            .filter(|k| f(&k.issue))
            .map(|k| k.issue.clone())
            .collect()
    }

    fn sorted(mut v: Vec<Issue>) -> Vec<Issue> {
        v.sort_by_key(|i| i.id);
        v
    }

    /// Issues in a status (open ones from memory; closed and voided from their list).
    pub fn by_status(&self, s: IssueStatus) -> Result<Vec<Issue>, StoreError> {
        let mut v = self.hot_where(|i| i.status == s);
        if !s.is_open() {
            self.walk(BY_STATUS, s.key(), &mut v)?;
        }
        Ok(Self::sorted(v))
    }

    /// The newest `n` issues in `status`, the most recently changed first.
    pub fn newest_in(&self, s: IssueStatus, n: usize) -> Result<Vec<Issue>, StoreError> {
        let mut v = self.hot_where(|i| i.status == s);
        v.sort_by_key(|i| std::cmp::Reverse(i.updated_at));
        v.truncate(n);
        if !s.is_open() {
            self.walk_up_to(BY_STATUS, s.key(), n, &mut v)?;
        }
        Ok(v)
    }

    /// Issues whose main unit is `unit`.
    pub fn by_unit(&self, unit: &str) -> Result<Vec<Issue>, StoreError> {
        let mut v = self.hot_where(|i| i.unit.as_deref() == Some(unit));
        self.walk(BY_UNIT, unit, &mut v)?;
        Ok(Self::sorted(v))
    }

    /// Issues of one enterprise.
    pub fn by_enterprise(&self, code: &str) -> Result<Vec<Issue>, StoreError> {
        let mut v = self.hot_where(|i| i.enterprise == code);
        self.walk(BY_ENTERPRISE, code, &mut v)?;
        Ok(Self::sorted(v))
    }

    /// Open issues of one enterprise (the picker asks on every keystroke).
    pub fn open_count(&self, code: &str) -> usize {
        self.open_by_enterprise.get(code).copied().unwrap_or(0) as usize
    }

    /// The last day an issue of the enterprise was logged or contacted, if ever.
    pub fn last_touched(&self, code: &str) -> Option<NaiveDate> {
        self.touched
            .get(code)
            .and_then(|d| NaiveDate::from_epoch_days(*d))
    }

    /// Sequence number of the last change to any enterprise (0: none yet).
    pub fn enterprises_at(&self) -> u64 {
        self.enterprises_at
    }

    /// A cache file built from the view (e.g. the search index), if one was saved for `key`.
    pub fn cache_get(&self, name: &str, key: u64) -> Option<Vec<u8>> {
        files::read_cache(&self.dir.join(format!("cache-{name}")), key)
    }

    /// Saves a cache file for `key` (not fsynced: a lost or damaged one is rebuilt).
    pub fn cache_put(&self, name: &str, key: u64, bytes: &[u8]) {
        if let Err(e) = files::write_cache(&self.dir.join(format!("cache-{name}")), key, bytes) {
            tracing::warn!("could not save the {name} cache: {e}");
        }
    }

    /// Issues not closed or voided.
    pub fn open_issues(&self) -> Vec<Issue> {
        self.hot_where(|i| i.status.is_open())
    }

    /// Every issue, by id.
    pub fn all_issues(&self) -> Result<Vec<Issue>, StoreError> {
        let mut v = self.hot_where(|_| true);
        self.for_each_cold(|k| {
            v.push(k.issue);
            Ok(())
        })?;
        Ok(Self::sorted(v))
    }

    /// Every current cold record (not superseded, not back in the hot set).
    fn for_each_cold(
        &self,
        mut f: impl FnMut(Kept) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut slots = self.slots.all()?;
        for (id, s) in &self.slot_overlay {
            let i = *id as usize;
            if slots.len() <= i {
                slots.resize(i + 1, 0);
            }
            slots[i] = *s;
        }
        self.cold.for_each(|off, body| {
            let r: ColdRecord = decode(body, "closed issue record")?;
            let id = r.kept.issue.id;
            if !self.hot.contains_key(&id) && slots.get(id as usize) == Some(&(off + 1)) {
                f(r.kept)?;
            }
            Ok(())
        })
    }

    pub fn max_issue_id(&self) -> u64 {
        self.max_issue
    }
    pub fn max_shift_id(&self) -> u64 {
        self.max_shift
    }
    pub fn max_inspection_id(&self) -> u64 {
        self.max_inspection
    }

    pub fn enterprise(&self, code: &str) -> Option<Enterprise> {
        self.enterprises.get(code).cloned()
    }
    pub fn enterprises(&self) -> Vec<Enterprise> {
        let mut v: Vec<Enterprise> = self.enterprises.values().cloned().collect();
        v.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
        v
    }

    pub fn shift(&self, id: u64) -> Option<KeptShift> {
        self.shifts.get(&id).cloned()
    }
    pub fn shifts(&self) -> Vec<KeptShift> {
        self.shifts.values().cloned().collect()
    }
    pub fn residency(&self) -> &Residency {
        &self.residency
    }

    pub fn inspections(&self) -> Vec<Inspection> {
        self.inspections.values().cloned().collect()
    }
    pub fn accounts(&self) -> Vec<AccountRecord> {
        self.accounts.values().cloned().collect()
    }

    /// Facts of issue events recorded at `from` or later and before `to`, in time order.
    pub fn facts(&self, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<Fact>, StoreError> {
        if to <= from {
            return Ok(vec![]);
        }
        let first = day_of(from.date());
        let last = day_of((to - chrono::Duration::seconds(1)).date());
        let mut out = Vec::new();
        let keep = |f: &Fact| f.at >= from && f.at < to;
        for (_, offsets) in self.fact_days.range(first..=last) {
            for off in offsets {
                let (_, day): (i32, Vec<Fact>) = decode(&self.facts.read(*off)?, "facts")?;
                out.extend(day.into_iter().filter(keep));
            }
        }
        for (_, day) in self.pending_facts.range(first..=last) {
            out.extend(day.iter().filter(|f| keep(f)).cloned());
        }
        out.sort_by_key(|f| (f.at, f.seq));
        Ok(out)
    }

    /// A digest of everything the view holds, kind by kind, independent of how it is laid
    /// out: a view rebuilt from the journal must give the same.
    pub fn digest(&self) -> Result<Digest3, StoreError> {
        let mut d = Digest3::default();
        for k in self.hot.values() {
            add(&mut d.issues, &encode(k));
        }
        self.for_each_cold(|k| {
            add(&mut d.issues, &encode(&k));
            Ok(())
        })?;
        for e in self.enterprises.values() {
            add(&mut d.enterprises, &encode(e));
        }
        for s in self.shifts.values() {
            add(&mut d.shifts, &encode(s));
        }
        for i in self.inspections.values() {
            add(&mut d.inspections, &encode(i));
        }
        add(&mut d.residency, &encode(&self.residency));
        for offsets in self.fact_days.values() {
            for off in offsets {
                let (_, day): (i32, Vec<Fact>) = decode(&self.facts.read(*off)?, "facts")?;
                for f in &day {
                    add(&mut d.facts, &encode(f));
                }
            }
        }
        for f in self.pending_facts.values().flatten() {
            add(&mut d.facts, &encode(f));
        }
        d.counters = (self.max_issue, self.max_shift, self.max_inspection);
        for (code, n) in self.open_by_enterprise.iter().filter(|(_, n)| **n > 0) {
            add(&mut d.derived, &encode(&(code, n)));
        }
        for t in &self.touched {
            add(&mut d.derived, &encode(&t));
        }
        add(&mut d.derived, &self.enterprises_at.to_le_bytes());
        for a in self.accounts.values() {
            add(&mut d.derived, &encode(a));
        }
        Ok(d)
    }

    /// Sizes for the benchmarks: issues in memory, closed ones on disk, bytes on disk.
    pub fn sizes(&self) -> (usize, u64) {
        (self.hot.len(), self.cold.len + self.facts.len)
    }
}

/// Makes a view that is internally sound but wrong (issue `id`'s description changed), as a
/// bug or a careless hand could: only a comparison with the journal can tell.
#[cfg(test)]
pub fn tamper_for_tests(dir: &Path, id: u64, text: &str) -> bool {
    let Ok(mut v) = View::load(dir) else {
        return false;
    };
    match v.hot.get_mut(&id) {
        Some(k) => {
            k.issue.description = text.into();
            v.since_snapshot = 1;
            v.checkpoint().is_ok()
        }
        None => false,
    }
}
