//! The journal: an append-only file of events, one JSON line each, hash-chained and fsynced
//! before any operation reports success. It is the authority; the sled view is derived from it.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::domain::Recorded;

use super::StoreError;

/// The `prev` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Deserialize)]
struct Line<'a> {
    hash: String,
    prev: String,
    #[serde(borrow)]
    rec: &'a RawValue,
}

/// One parsed journal line.
#[derive(Debug, Clone)]
pub struct Entry {
    pub rec: Recorded,
    pub hash: String,
    /// Byte offset just after this line.
    pub end: u64,
}

/// Hash of an event given the previous hash: sha256(prev ‖ '\n' ‖ exact JSON of the event).
pub fn chain_hash(prev: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    hex::encode(h.finalize())
}

/// Formats an event as its journal line (with the trailing newline) and returns its hash.
pub fn format_line(prev: &str, rec: &Recorded) -> (String, String) {
    // Serialising our own types cannot fail (no maps with non-string keys).
    let body = serde_json::to_string(rec).unwrap_or_default();
    let hash = chain_hash(prev, &body);
    (
        format!("{{\"hash\":\"{hash}\",\"prev\":\"{prev}\",\"rec\":{body}}}\n"),
        hash,
    )
}

/// Parses and checks one line against the expected previous hash.
fn parse_line(
    text: &str,
    prev: &str,
    path: &Path,
    line_no: usize,
) -> Result<(Recorded, String), StoreError> {
    let bad = |what: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        line: line_no,
        what,
    };
    let line: Line =
        serde_json::from_str(text).map_err(|e| bad(format!("not a journal entry: {e}")))?;
    if line.prev != prev {
        return Err(bad(
            "chain broken: an earlier event was changed, removed or reordered".into(),
        ));
    }
    if chain_hash(prev, line.rec.get()) != line.hash {
        return Err(bad("hash mismatch: this event was edited".into()));
    }
    let rec: Recorded =
        serde_json::from_str(line.rec.get()).map_err(|e| bad(format!("unreadable event: {e}")))?;
    Ok((rec, line.hash))
}

/// Reads entries from byte offset `from` (which must be a line start whose predecessor hash is
/// `prev`), calling `f` for each, checking sequence and chain as it goes.
pub fn read_from(
    path: &Path,
    from: u64,
    prev: &str,
    first_line_no: usize,
    mut f: impl FnMut(Entry) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    file.seek(SeekFrom::Start(from))
        .map_err(|e| StoreError::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut prev = prev.to_string();
    let mut offset = from;
    let mut line_no = first_line_no;
    let mut buf = String::new();
    let mut last_seq: Option<u64> = None;
    loop {
        buf.clear();
        let n = reader
            .read_line(&mut buf)
            .map_err(|e| StoreError::io(path, e))?;
        if n == 0 || !buf.ends_with('\n') {
            // End, or a torn last line (never acknowledged): stop before it.
            return Ok(());
        }
        offset += n as u64;
        let (rec, hash) = parse_line(buf.trim_end_matches('\n'), &prev, path, line_no)?;
        if let Some(s) = last_seq {
            if rec.seq != s + 1 {
                return Err(StoreError::Corrupt {
                    path: path.to_path_buf(),
                    line: line_no,
                    what: format!("sequence jumps from {s} to {}: events are missing", rec.seq),
                });
            }
        }
        last_seq = Some(rec.seq);
        prev = hash.clone();
        f(Entry {
            rec,
            hash,
            end: offset,
        })?;
        line_no += 1;
    }
}

/// The open, appendable journal.
pub struct Journal {
    path: PathBuf,
    file: File,
    /// Length of the complete lines.
    pub len: u64,
    pub last_seq: u64,
    pub last_hash: String,
}

impl Journal {
    /// Opens (creating if needed) the journal, cutting off a torn last line left by a crash
    /// mid-write, and finds the last event's sequence number and hash.
    pub fn open(path: &Path) -> Result<Journal, StoreError> {
        let created = !path.exists();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| StoreError::io(path, e))?;
        if created {
            file.sync_all().map_err(|e| StoreError::io(path, e))?;
            if let Some(dir) = path.parent() {
                sync_dir(dir);
            }
        }
        let size = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
        let (complete, last_line) =
            last_complete_line(&mut file, size).map_err(|e| StoreError::io(path, e))?;
        if complete < size {
            tracing::warn!(
                torn_bytes = size - complete,
                "journal ends in a torn line; cutting it off"
            );
            file.set_len(complete)
                .map_err(|e| StoreError::io(path, e))?;
            file.sync_all().map_err(|e| StoreError::io(path, e))?;
        }
        let (last_seq, last_hash) = match last_line {
            None => (0, GENESIS.to_string()),
            Some(text) => {
                let line: Line = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
                    path: path.to_path_buf(),
                    line: 0,
                    what: format!("last entry unreadable: {e}"),
                })?;
                #[derive(Deserialize)]
                struct Seq {
                    seq: u64,
                }
                let seq: Seq =
                    serde_json::from_str(line.rec.get()).map_err(|e| StoreError::Corrupt {
                        path: path.to_path_buf(),
                        line: 0,
                        what: format!("last entry unreadable: {e}"),
                    })?;
                (seq.seq, line.hash)
            }
        };
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            len: complete,
            last_seq,
            last_hash,
        })
    }

    /// Appends events and makes them durable (fdatasync) before returning. On failure the
    /// file is cut back to where it was, so no half-written batch remains.
    pub fn append(&mut self, recs: &[Recorded]) -> Result<Vec<Entry>, StoreError> {
        let mut out = String::new();
        let mut prev = self.last_hash.clone();
        let mut entries = Vec::with_capacity(recs.len());
        let mut end = self.len;
        for rec in recs {
            let (line, hash) = format_line(&prev, rec);
            end += line.len() as u64;
            out.push_str(&line);
            entries.push(Entry {
                rec: rec.clone(),
                hash: hash.clone(),
                end,
            });
            prev = hash;
        }
        let res = self
            .file
            .write_all(out.as_bytes())
            .and_then(|_| self.file.sync_data());
        if let Err(e) = res {
            let _ = self.file.set_len(self.len);
            return Err(StoreError::io(&self.path, e));
        }
        self.len = end;
        if let Some(last) = entries.last() {
            self.last_seq = last.rec.seq;
            self.last_hash = last.hash.clone();
        }
        Ok(entries)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Finds the end of the last complete line and that line's text, reading backwards.
fn last_complete_line(file: &mut File, size: u64) -> std::io::Result<(u64, Option<String>)> {
    let complete = match rfind_newline(file, size)? {
        Some(p) => p + 1,
        None => return Ok((0, None)),
    };
    let start = rfind_newline(file, complete - 1)?.map_or(0, |p| p + 1);
    let mut buf = vec![0; (complete - 1 - start) as usize];
    file.seek(SeekFrom::Start(start))?;
    file.read_exact(&mut buf)?;
    Ok((complete, Some(String::from_utf8_lossy(&buf).into_owned())))
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

/// fsyncs a directory so a newly created file's name survives a power cut.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
