//! The sled view: current records and secondary indexes, all in one tree so that each commit is
//! one atomic batch together with the journal position it reflects.
//!
//! Keys: `m:*` meta; `i:`id → issue; `h:`id seq → event; `e:`code → enterprise;
//! `x:`code\0id, `u:`unit\0id, `s:`status\0id → () indexes; `f:`id → shift; `p:`id → inspection;
//! `t:`day → the facts of that day's issue events (for reports).

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::domain::{
    apply_issue, apply_shift, ApplyError, Enterprise, EventKind, Fact, Inspection, Issue, Recorded,
    Shift, Target,
};

use super::StoreError;

/// Version of the view layout; a different version is rebuilt from the journal on open.
pub const VIEW_SCHEMA: u64 = 6;

pub const META_OFFSET: &[u8] = b"m:offset";
pub const META_HASH: &[u8] = b"m:hash";
pub const META_SEQ: &[u8] = b"m:seq";
pub const META_SCHEMA: &[u8] = b"m:schema";

pub fn issue_key(id: u64) -> Vec<u8> {
    key(b"i:", &id.to_be_bytes())
}
pub fn history_prefix(id: u64) -> Vec<u8> {
    key(b"h:", &id.to_be_bytes())
}
pub fn enterprise_key(code: &str) -> Vec<u8> {
    key(b"e:", code.as_bytes())
}
pub fn shift_key(id: u64) -> Vec<u8> {
    key(b"f:", &id.to_be_bytes())
}
pub fn inspection_key(id: u64) -> Vec<u8> {
    key(b"p:", &id.to_be_bytes())
}
/// Facts are kept one value per day (`t:` and the day), so a report reads a few dozen values
/// rather than tens of thousands of keys. Sign-flipped so byte order is date order.
pub fn fact_day_key(day: chrono::NaiveDate) -> Vec<u8> {
    let n = (day.to_epoch_days() as u32) ^ (1 << 31);
    key(b"t:", &n.to_be_bytes())
}
/// Index key: prefix, value, NUL, issue id.
pub fn index_key(prefix: &[u8], value: &str, id: u64) -> Vec<u8> {
    let mut k = index_prefix(prefix, value);
    k.extend_from_slice(&id.to_be_bytes());
    k
}
pub fn index_prefix(prefix: &[u8], value: &str) -> Vec<u8> {
    let mut k = prefix.to_vec();
    k.extend_from_slice(value.as_bytes());
    k.push(0);
    k
}
fn key(prefix: &[u8], rest: &[u8]) -> Vec<u8> {
    let mut k = prefix.to_vec();
    k.extend_from_slice(rest);
    k
}

pub fn id_from_key(k: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    if k.len() >= 8 {
        b.copy_from_slice(&k[k.len() - 8..]);
    }
    u64::from_be_bytes(b)
}

pub fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

pub fn decode<T: DeserializeOwned>(b: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(b).map_err(|e| StoreError::View(format!("unreadable record: {e}")))
}

/// Issues and enterprises are read in bulk (every list, every report), so the view keeps them
/// in bincode, which decodes several times faster than JSON. Their types use no serde features
/// bincode cannot carry (no flatten, tags or untyped values).
pub fn encode_fast<T: Serialize>(v: &T) -> Vec<u8> {
    bincode::serialize(v).unwrap_or_default()
}

pub fn decode_fast<T: DeserializeOwned>(b: &[u8]) -> Result<T, StoreError> {
    bincode::deserialize(b).map_err(|e| StoreError::View(format!("unreadable record: {e}")))
}

/// Facts are many and small and read by the tens of thousands per report: variable-length
/// integers make them about half the size, so a range scan touches fewer pages.
pub fn encode_compact<T: Serialize>(v: &T) -> Vec<u8> {
    use bincode::Options;
    bincode::DefaultOptions::new()
        .serialize(v)
        .unwrap_or_default()
}

pub fn decode_compact<T: DeserializeOwned>(b: &[u8]) -> Result<T, StoreError> {
    use bincode::Options;
    bincode::DefaultOptions::new()
        .deserialize(b)
        .map_err(|e| StoreError::View(format!("unreadable record: {e}")))
}

/// The records touched by a batch of events, as they will be after it.
#[derive(Default)]
pub struct Pending {
    issues: HashMap<u64, (Option<Issue>, Issue)>,
    shifts: HashMap<u64, Shift>,
    enterprises: HashMap<String, Enterprise>,
    inspections: HashMap<u64, Inspection>,
    fact_days: std::collections::BTreeMap<chrono::NaiveDate, Vec<Fact>>,
}

/// Applies events on top of the view without writing: validation for `commit` and the work
/// for replay. Fails, changing nothing, if any event does not fit the records.
pub fn stage(tree: &sled::Tree, recs: &[Recorded]) -> Result<Pending, StagedError> {
    let mut p = Pending::default();
    for (i, rec) in recs.iter().enumerate() {
        let fail = |e: ApplyError| StagedError::Apply { index: i, error: e };
        match rec.event.target() {
            Target::Issue(id) => {
                let (before, cur) = match p.issues.get(&id) {
                    Some((before, cur)) => (before.clone(), Some(cur.clone())),
                    None => {
                        let before: Option<Issue> = get_fast(tree, &issue_key(id))?;
                        (before.clone(), before)
                    }
                };
                let next = apply_issue(cur.as_ref(), rec).map_err(fail)?;
                let facts = match p.fact_days.entry(rec.at.date()) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        let stored: Vec<Fact> = match tree.get(fact_day_key(*e.key()))? {
                            Some(v) => decode_compact(&v)?,
                            None => Vec::new(),
                        };
                        e.insert(stored)
                    }
                };
                facts.push(Fact::of(cur.as_ref(), &next, rec));
                p.issues.insert(id, (before, next));
            }
            Target::Shift(id) => {
                let cur = match p.shifts.get(&id) {
                    Some(s) => Some(s.clone()),
                    None => get(tree, &shift_key(id))?,
                };
                let next = apply_shift(cur.as_ref(), rec).map_err(fail)?;
                p.shifts.insert(id, next);
            }
            Target::Enterprise(_) => {
                if let EventKind::EnterpriseSaved { enterprise } = &rec.event {
                    p.enterprises
                        .insert(enterprise.credit_code.clone(), enterprise.clone());
                }
            }
            Target::Inspection(id) => {
                if let EventKind::InspectionRecorded { inspection } = &rec.event {
                    if p.inspections.contains_key(&id) || tree.contains_key(inspection_key(id))? {
                        return Err(StagedError::Apply {
                            index: i,
                            error: ApplyError::IssueExists(id),
                        });
                    }
                    p.inspections.insert(id, inspection.clone());
                }
            }
        }
    }
    Ok(p)
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
impl From<sled::Error> for StagedError {
    fn from(e: sled::Error) -> Self {
        StagedError::Store(e.into())
    }
}

fn get_fast<T: DeserializeOwned>(tree: &sled::Tree, k: &[u8]) -> Result<Option<T>, StoreError> {
    match tree.get(k)? {
        Some(v) => Ok(Some(decode_fast(&v)?)),
        None => Ok(None),
    }
}

fn get<T: DeserializeOwned>(tree: &sled::Tree, k: &[u8]) -> Result<Option<T>, StoreError> {
    match tree.get(k)? {
        Some(v) => Ok(Some(decode(&v)?)),
        None => Ok(None),
    }
}

/// Adds the staged records, their index changes and the events to a batch.
pub fn write_batch(batch: &mut sled::Batch, p: &Pending, recs: &[Recorded]) {
    for (id, (before, after)) in &p.issues {
        if let Some(b) = before {
            batch.remove(index_key(b"s:", b.status.key(), *id));
            if let Some(u) = &b.unit {
                batch.remove(index_key(b"u:", u, *id));
            }
            batch.remove(index_key(b"x:", &b.enterprise, *id));
        }
        batch.insert(index_key(b"s:", after.status.key(), *id), &[]);
        if let Some(u) = &after.unit {
            batch.insert(index_key(b"u:", u, *id), &[]);
        }
        batch.insert(index_key(b"x:", &after.enterprise, *id), &[]);
        batch.insert(issue_key(*id), encode_fast(after));
    }
    for (id, s) in &p.shifts {
        batch.insert(shift_key(*id), encode(s));
    }
    for (code, e) in &p.enterprises {
        batch.insert(enterprise_key(code), encode_fast(e));
    }
    for (id, i) in &p.inspections {
        batch.insert(inspection_key(*id), encode(i));
    }
    for (day, facts) in &p.fact_days {
        batch.insert(fact_day_key(*day), encode_compact(facts));
    }
    for rec in recs {
        if let Target::Issue(id) = rec.event.target() {
            let mut k = history_prefix(id);
            k.extend_from_slice(&rec.seq.to_be_bytes());
            batch.insert(k, encode(rec));
        }
    }
}
