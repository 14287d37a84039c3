//! The journal: an append-only file of events, one JSON line each, hash-chained and fsynced
//! before any operation reports success. It is the authority; the view is derived from it.
//!
//! Lines:
//! - an event: `{"hash":H,"prev":P,"rec":{…}}`, where H = sha256(P ‖ '\n' ‖ the exact text of
//!   `rec`); with a seal key, `"mac":M` (HMAC-SHA256 of H under the key) sits before `rec`;
//! - a batch: `{"batch":"begin"}`, its events, then
//!   `{"batch":"commit","events":N,"seq":S,"hash":H}`. A batch is one atomic unit: one that
//!   has no commit at the end of the file was never acknowledged and is dropped whole at open.
//!
//! Journals written before batches and seals existed are plain event lines and read as they are.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::domain::Recorded;

use super::seal::SealKey;
use super::{faults, fsx, StoreError};

/// The `prev` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const BEGIN: &str = "{\"batch\":\"begin\"}\n";

#[derive(Deserialize)]
struct EventLine<'a> {
    hash: &'a str,
    prev: &'a str,
    #[serde(default)]
    mac: Option<&'a str>,
    #[serde(borrow)]
    rec: &'a RawValue,
}

#[derive(Deserialize)]
struct MarkerLine<'a> {
    batch: &'a str,
    #[serde(default)]
    events: u64,
    #[serde(default)]
    seq: u64,
    #[serde(default)]
    hash: &'a str,
}

/// A place in the journal: just after a complete line, with the chain state there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pos {
    /// Byte offset.
    pub offset: u64,
    /// Lines before it.
    pub line: u64,
    /// Sequence number and hash of the last event before it.
    pub seq: u64,
    pub hash: String,
    /// The seal of that event, if the journal is sealed.
    pub mac: Option<String>,
}

impl Pos {
    pub fn start() -> Pos {
        Pos {
            offset: 0,
            line: 0,
            seq: 0,
            hash: GENESIS.to_string(),
            mac: None,
        }
    }
}

/// One event read from the journal.
#[derive(Debug, Clone)]
pub struct Entry {
    pub rec: Recorded,
    pub hash: String,
    /// Byte offset of the line's start.
    pub offset: u64,
    /// 1-based line number.
    pub line: u64,
    /// The exact text of the event (what its hash covers), when the scan was asked to keep it.
    pub body: Option<Box<str>>,
}

/// Hash of an event given the previous hash: sha256(prev ‖ '\n' ‖ exact JSON of the event).
pub fn chain_hash(prev: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    hex::encode(h.finalize())
}

/// Formats an event as its journal line (with the trailing newline) and returns its hash and
/// seal.
pub fn format_line(
    prev: &str,
    rec: &Recorded,
    key: Option<&SealKey>,
) -> (String, String, Option<String>) {
    // Serialising our own types cannot fail (no maps with non-string keys).
    let body = serde_json::to_string(rec).unwrap_or_default();
    let hash = chain_hash(prev, &body);
    let mac = key.map(|k| k.mac(&hash));
    let line = match &mac {
        Some(m) => {
            format!("{{\"hash\":\"{hash}\",\"prev\":\"{prev}\",\"mac\":\"{m}\",\"rec\":{body}}}\n")
        }
        None => format!("{{\"hash\":\"{hash}\",\"prev\":\"{prev}\",\"rec\":{body}}}\n"),
    };
    (line, hash, mac)
}

/// Why a scan stopped before the end: the damaged line and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub line: u64,
    pub what: String,
}

/// How a scan checks seals.
#[derive(Clone, Copy)]
pub enum Seals<'a> {
    /// Seals are not checked (only that a sealed journal stays sealed).
    Presence,
    /// Every seal must verify under this key.
    Key(&'a SealKey),
}

/// What a scan found.
#[derive(Debug, Clone)]
pub struct Scanned {
    /// Just after the last good committed line.
    pub end: Pos,
    /// Where and why it stopped early, if it did.
    pub damage: Option<Damage>,
    /// Events read that carry a seal, and the sequence number of the first of them.
    pub sealed_events: u64,
    pub first_sealed: Option<u64>,
}

/// Reads the journal from `from` (a committed place) to its end, checking every line
/// (sequence, chain, batches, seals). `f` is called once per committed unit — a single event,
/// or a whole batch once its commit line has been read — with the place just after it, so a
/// damaged or unfinished batch is never passed on in part. Stops at the first damaged line
/// and says which; an error from `f` stops it too and is returned as is.
pub fn scan(
    path: &Path,
    from: &Pos,
    seals: Seals<'_>,
    f: impl FnMut(&[Entry], &Pos) -> Result<(), StoreError>,
) -> Result<Scanned, StoreError> {
    scan_with(path, from, seals, false, usize::MAX, f)
}

/// Like `scan`, keeping each event's exact text in its entry (`body`), for a copy elsewhere
/// that must be checkable against the same hashes, and stopping after the committed unit that
/// brings the events read to `max` (a batch is never split).
pub fn scan_bodies(
    path: &Path,
    from: &Pos,
    max: usize,
    f: impl FnMut(&[Entry], &Pos) -> Result<(), StoreError>,
) -> Result<Scanned, StoreError> {
    scan_with(path, from, Seals::Presence, true, max, f)
}

fn scan_with(
    path: &Path,
    from: &Pos,
    seals: Seals<'_>,
    keep_body: bool,
    max: usize,
    mut f: impl FnMut(&[Entry], &Pos) -> Result<(), StoreError>,
) -> Result<Scanned, StoreError> {
    let mut passed = 0usize;
    let mut out = Scanned {
        end: from.clone(),
        damage: None,
        sealed_events: 0,
        first_sealed: None,
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    let mut reader = BufReader::with_capacity(1 << 20, file);
    reader
        .seek(SeekFrom::Start(from.offset))
        .map_err(|e| StoreError::io(path, e))?;
    let mut at = from.clone();
    let mut batch: Option<(u64, Vec<Entry>)> = None;
    let mut unit: Vec<Entry> = Vec::with_capacity(1);
    let mut sealed = from.mac.is_some();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| StoreError::io(path, e))?;
        if n == 0 || buf.last() != Some(&b'\n') {
            if batch.is_some() {
                out.damage = Some(Damage {
                    line: at.line + 1,
                    what: "a batch of events has no commit line".into(),
                });
            }
            return Ok(out);
        }
        let line_no = at.line + 1;
        let next_offset = at.offset + n as u64;
        let text = match std::str::from_utf8(&buf[..n - 1]) {
            Ok(t) => t,
            Err(_) => {
                out.damage = Some(Damage {
                    line: line_no,
                    what: "not valid UTF-8 text".into(),
                });
                return Ok(out);
            }
        };
        if text.starts_with("{\"batch\"") {
            let problem = match serde_json::from_str::<MarkerLine>(text) {
                Err(e) => Some(format!("not a journal line: {e}")),
                Ok(m) => match (m.batch, &batch) {
                    ("begin", None) => {
                        batch = Some((at.seq, Vec::new()));
                        None
                    }
                    ("begin", Some(_)) => Some("a batch begins inside another".to_string()),
                    ("commit", Some((first, _))) => {
                        let held = at.seq - first;
                        (m.events != held || m.seq != at.seq || m.hash != at.hash).then(|| {
                            format!(
                                "the batch's commit line does not match its events (it says {} events ending at {}, the batch holds {held} ending at {})",
                                m.events, m.seq, at.seq
                            )
                        })
                    }
                    ("commit", None) => Some("a commit line without a batch".to_string()),
                    (other, _) => Some(format!("unknown batch marker \"{other}\"")),
                },
            };
            if let Some(what) = problem {
                out.damage = Some(Damage {
                    line: line_no,
                    what,
                });
                return Ok(out);
            }
            at.offset = next_offset;
            at.line = line_no;
            if text.starts_with("{\"batch\":\"commit\"") {
                if let Some((_, entries)) = batch.take() {
                    f(&entries, &at)?;
                    out.end = at.clone();
                    passed += entries.len();
                    if passed >= max {
                        return Ok(out);
                    }
                }
            }
            continue;
        }
        let (rec, hash, mac, body) = match check_event(text, &at, &mut sealed, seals, keep_body) {
            Ok(v) => v,
            Err(what) => {
                out.damage = Some(Damage {
                    line: line_no,
                    what,
                });
                return Ok(out);
            }
        };
        if mac.is_some() {
            out.sealed_events += 1;
            out.first_sealed.get_or_insert(rec.seq);
        }
        at = Pos {
            offset: next_offset,
            line: line_no,
            seq: rec.seq,
            hash: hash.clone(),
            mac,
        };
        let entry = Entry {
            rec,
            hash,
            offset: next_offset - n as u64,
            line: line_no,
            body,
        };
        match &mut batch {
            Some((_, entries)) => entries.push(entry),
            None => {
                unit.clear();
                unit.push(entry);
                f(&unit, &at)?;
                out.end = at.clone();
                passed += 1;
                if passed >= max {
                    return Ok(out);
                }
            }
        }
    }
}

/// An event line that checked out: the event, its hash, its seal, and its text if kept.
type Checked = (Recorded, String, Option<String>, Option<Box<str>>);

/// Checks one event line against the chain state before it.
fn check_event(
    text: &str,
    at: &Pos,
    sealed: &mut bool,
    seals: Seals<'_>,
    keep_body: bool,
) -> Result<Checked, String> {
    let line: EventLine =
        serde_json::from_str(text).map_err(|e| format!("not a journal entry: {e}"))?;
    if line.prev != at.hash {
        return Err("chain broken: an earlier event was changed, removed or reordered".into());
    }
    if chain_hash(&at.hash, line.rec.get()) != line.hash {
        return Err("hash mismatch: this event was edited".into());
    }
    let rec: Recorded =
        serde_json::from_str(line.rec.get()).map_err(|e| format!("unreadable event: {e}"))?;
    if rec.seq != at.seq + 1 {
        return Err(format!(
            "sequence jumps from {} to {}: events are missing",
            at.seq, rec.seq
        ));
    }
    match (line.mac, *sealed) {
        (None, true) => {
            return Err(
                "this event has no seal though earlier ones do: it was written without the key, or its seal was removed"
                    .into(),
            )
        }
        (Some(_), false) => *sealed = true,
        _ => {}
    }
    if let (Some(m), Seals::Key(k)) = (line.mac, seals) {
        if !k.verify(line.hash, m) {
            return Err("seal does not verify under this key: the event or its chain was rewritten, or the key is not the journal's".into());
        }
    }
    let body = keep_body.then(|| line.rec.get().into());
    Ok((
        rec,
        line.hash.to_string(),
        line.mac.map(str::to_string),
        body,
    ))
}

/// Reads the event line at `offset` (used to fetch an issue's history or a filed brief
/// without a copy in the view), checking its hash against its text.
pub fn read_event_at(file: &File, path: &Path, offset: u64) -> Result<Recorded, StoreError> {
    let mut buf = vec![0u8; 4096];
    let mut got = Vec::new();
    let mut pos = offset;
    loop {
        let n = file
            .read_at(&mut buf, pos)
            .map_err(|e| StoreError::io(path, e))?;
        if n == 0 {
            break;
        }
        if let Some(i) = buf[..n].iter().position(|b| *b == b'\n') {
            got.extend_from_slice(&buf[..i]);
            break;
        }
        got.extend_from_slice(&buf[..n]);
        pos += n as u64;
    }
    let bad = |what: String| StoreError::ViewDamaged(format!("journal offset {offset}: {what}"));
    let text = std::str::from_utf8(&got).map_err(|e| bad(e.to_string()))?;
    let line: EventLine = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    if chain_hash(line.prev, line.rec.get()) != line.hash {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            line: 0,
            what: format!(
                "the event at byte {offset} was edited (hash mismatch); run `dutydesk verify`"
            ),
        });
    }
    serde_json::from_str(line.rec.get()).map_err(|e| bad(e.to_string()))
}

/// The open, appendable journal.
pub struct Journal {
    path: PathBuf,
    file: File,
    /// Just after the last committed event.
    pub end: Pos,
    /// An open multi-append batch: where it began, and the state before it.
    txn: Option<(u64, Pos)>,
    /// Set when a failed write could not be undone: no more writes until reopened.
    poisoned: Option<String>,
    /// Length of the file (ahead of `end.offset` inside an open batch).
    len: u64,
}

impl Journal {
    /// Opens (creating owner-only if needed) the journal and cuts off a torn last line left by
    /// a crash mid-write. The end is not known until `settle` has read the tail.
    pub fn open(path: &Path) -> Result<Journal, StoreError> {
        let created = !path.exists();
        let mut file = fsx::open_append(path).map_err(|e| StoreError::io(path, e))?;
        if created {
            file.sync_all().map_err(|e| StoreError::io(path, e))?;
            if let Some(dir) = path.parent() {
                fsx::sync_dir(dir).map_err(|e| StoreError::io(dir, e))?;
            }
        }
        let size = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
        let complete = match rfind_newline(&mut file, size).map_err(|e| StoreError::io(path, e))? {
            Some(p) => p + 1,
            None => 0,
        };
        if complete < size {
            tracing::warn!(
                torn_bytes = size - complete,
                "journal ends in a torn line (a write cut short); cutting it off"
            );
            cut(&file, path, complete)?;
        }
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            end: Pos::start(),
            txn: None,
            poisoned: None,
            len: complete,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file, for reading single events by offset.
    pub fn file(&self) -> &File {
        &self.file
    }

    /// Bytes of complete lines in the file.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Drops a batch left without its commit line at the end of the file (a crash inside a
    /// multi-event write: none of it was acknowledged). Looks only from `from`, a place known
    /// to be outside any batch. Returns how many lines were dropped.
    pub fn drop_torn_batch(&mut self, from: u64) -> Result<u64, StoreError> {
        let mut f = File::open(&self.path).map_err(|e| StoreError::io(&self.path, e))?;
        f.seek(SeekFrom::Start(from))
            .map_err(|e| StoreError::io(&self.path, e))?;
        let mut r = BufReader::with_capacity(1 << 20, f);
        let mut offset = from;
        let mut open: Option<(u64, u64)> = None;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let n = r
                .read_until(b'\n', &mut buf)
                .map_err(|e| StoreError::io(&self.path, e))?;
            if n == 0 {
                break;
            }
            if buf.starts_with(b"{\"batch\":\"begin\"") {
                open = Some((offset, 0));
            } else if buf.starts_with(b"{\"batch\":\"commit\"") {
                open = None;
            } else if let Some((_, lines)) = &mut open {
                *lines += 1;
            }
            offset += n as u64;
        }
        match open {
            Some((start, lines)) => {
                tracing::warn!(
                    events = lines,
                    "journal ends in a batch without its commit (a crash mid-write); dropping it whole"
                );
                cut(&self.file, &self.path, start)?;
                self.len = start;
                Ok(lines + 1)
            }
            None => Ok(0),
        }
    }

    /// Records where the committed journal ends (after the view's replay has read it).
    pub fn set_end(&mut self, end: Pos) {
        self.end = end;
    }

    /// Refuses writes from now on.
    pub fn poison(&mut self, why: String) {
        self.poisoned.get_or_insert(why);
    }

    pub fn poisoned(&self) -> Option<&str> {
        self.poisoned.as_deref()
    }

    pub fn in_txn(&self) -> bool {
        self.txn.is_some()
    }

    /// Appends events. Outside a batch they are durable (fdatasync) before this returns, and
    /// several events go in one framed batch; inside `begin` … `commit` they are written but
    /// become durable, and acknowledged, only at the commit. On failure the file is cut back,
    /// so no half-written line or batch remains.
    pub fn append(
        &mut self,
        recs: &[Recorded],
        key: Option<&SealKey>,
    ) -> Result<Vec<Entry>, StoreError> {
        if let Some(why) = &self.poisoned {
            return Err(StoreError::Poisoned(why.clone()));
        }
        let framed = self.txn.is_none() && recs.len() > 1;
        let mut out = String::new();
        if framed {
            out.push_str(BEGIN);
        }
        let mut at = self.end.clone();
        let mut offset = self.len + out.len() as u64;
        let mut entries = Vec::with_capacity(recs.len());
        for rec in recs {
            let (line, hash, mac) = format_line(&at.hash, rec, key);
            let end = offset + line.len() as u64;
            out.push_str(&line);
            at = Pos {
                offset: end,
                line: at.line + 1,
                seq: rec.seq,
                hash: hash.clone(),
                mac,
            };
            entries.push(Entry {
                rec: rec.clone(),
                hash,
                offset,
                line: at.line,
                body: None,
            });
            offset = end;
        }
        if framed {
            let commit = commit_line(recs.len() as u64, &at);
            out.push_str(&commit);
            at.offset += commit.len() as u64;
            at.line += 2;
            // The events sit one line further down, after the begin marker.
            for e in &mut entries {
                e.line += 1;
            }
        }
        self.write(out.as_bytes(), self.txn.is_none())?;
        self.len += out.len() as u64;
        // Inside an open batch this is the running chain state; what is committed is still
        // where the batch began until `commit`.
        self.end = at;
        Ok(entries)
    }

    /// Begins a batch that spans several appends (one operation that must be all or nothing).
    pub fn begin(&mut self) -> Result<(), StoreError> {
        if let Some(why) = &self.poisoned {
            return Err(StoreError::Poisoned(why.clone()));
        }
        if self.txn.is_some() {
            return Err(StoreError::Other("a batch is already open".into()));
        }
        let before = (self.len, self.end.clone());
        self.write(BEGIN.as_bytes(), false)?;
        self.len += BEGIN.len() as u64;
        self.end.offset += BEGIN.len() as u64;
        self.end.line += 1;
        self.txn = Some(before);
        Ok(())
    }

    /// Commits the open batch: its commit line is written and everything fsynced.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        let Some((_, before)) = self.txn.clone() else {
            return Ok(());
        };
        let line = commit_line(self.end.seq - before.seq, &self.end);
        if let Err(e) = self.write(line.as_bytes(), true) {
            // Nothing of the batch is acknowledged: drop it.
            let _ = self.abort();
            return Err(e);
        }
        self.len += line.len() as u64;
        self.end.offset += line.len() as u64;
        self.end.line += 1;
        self.txn = None;
        Ok(())
    }

    /// Drops the open batch: the file is cut back to where it began.
    pub fn abort(&mut self) -> Result<(), StoreError> {
        let Some((start, before)) = self.txn.take() else {
            return Ok(());
        };
        self.len = start;
        self.end = before;
        if let Err(e) = cut(&self.file, &self.path, start) {
            self.poison(format!("a failed batch could not be cut off: {e}"));
            return Err(e);
        }
        Ok(())
    }

    /// Writes bytes at the end (and fsyncs if asked); on failure cuts the file back.
    fn write(&mut self, bytes: &[u8], sync: bool) -> Result<(), StoreError> {
        let res = match faults::write_point("journal.write", bytes.len()) {
            Ok(Some(part)) => {
                let _ = self.file.write_all(&bytes[..part]);
                let _ = self.file.sync_data();
                faults::torn()
            }
            Ok(None) => self.file.write_all(bytes).and_then(|_| {
                if sync {
                    faults::hit("journal.sync")?;
                    self.file.sync_data()
                } else {
                    Ok(())
                }
            }),
            Err(e) => Err(e),
        };
        if let Err(e) = res {
            if let Err(cut_err) = cut(&self.file, &self.path, self.len) {
                self.poison(format!(
                    "a failed write could not be cut off ({cut_err}); restart dutydesk"
                ));
            }
            return Err(StoreError::io(&self.path, e));
        }
        // A crash point only: the bytes are written and durable, so this never fails the write.
        let _ = faults::hit("journal.synced");
        Ok(())
    }
}

fn commit_line(events: u64, at: &Pos) -> String {
    format!(
        "{{\"batch\":\"commit\",\"events\":{events},\"seq\":{},\"hash\":\"{}\"}}\n",
        at.seq, at.hash
    )
}

/// Cuts the file to `len` and makes that durable.
fn cut(file: &File, path: &Path, len: u64) -> Result<(), StoreError> {
    file.set_len(len)
        .and_then(|_| file.sync_all())
        .map_err(|e| StoreError::io(path, e))
}

/// Position of the last '\n' before byte `before`.
fn rfind_newline(file: &mut File, before: u64) -> std::io::Result<Option<u64>> {
    const CHUNK: u64 = 64 * 1024;
    let mut pos = before;
    while pos > 0 {
        let start = pos.saturating_sub(CHUNK);
        let mut buf = vec![0; (pos - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut buf)?;
        if let Some(i) = buf.iter().rposition(|b| *b == b'\n') {
            return Ok(Some(start + i as u64));
        }
        pos = start;
    }
    Ok(None)
}

/// The hash of the event whose line ends exactly at `offset`, or of the commit line ending
/// there (`None` if no line ends there). The check that the view's checkpoint is still in the
/// journal.
pub fn hash_ending_at(file: &File, offset: u64) -> std::io::Result<Option<String>> {
    if offset == 0 {
        return Ok(Some(GENESIS.to_string()));
    }
    let mut last = [0u8; 1];
    if file.read_at(&mut last, offset - 1)? != 1 || last[0] != b'\n' {
        return Ok(None);
    }
    // Scan back to the start of that line.
    let mut start = offset - 1;
    let mut chunk = vec![0u8; 4096];
    loop {
        if start == 0 {
            break;
        }
        let from = start.saturating_sub(chunk.len() as u64);
        let n = (start - from) as usize;
        file.read_exact_at(&mut chunk[..n], from)?;
        if let Some(i) = chunk[..n].iter().rposition(|b| *b == b'\n') {
            start = from + i as u64 + 1;
            break;
        }
        start = from;
    }
    let mut line = vec![0u8; (offset - 1 - start) as usize];
    file.read_exact_at(&mut line, start)?;
    let text = String::from_utf8_lossy(&line);
    if let Ok(m) = serde_json::from_str::<MarkerLine>(&text) {
        return Ok(Some(m.hash.to_string()));
    }
    Ok(serde_json::from_str::<EventLine>(&text)
        .ok()
        .map(|l| l.hash.to_string()))
}
