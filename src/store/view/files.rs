//! The view's files. Every byte is checked when read, so a damaged view is noticed and
//! rebuilt, never trusted:
//! - record files (`cold`, `facts`): append-only frames `[len u32][crc32 u32][payload]`;
//! - the slot file (`cold.idx`): 8 bytes per issue id, the offset + 1 of its current record;
//! - the snapshot: magic, length, payload, sha256 of the payload, replaced atomically.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::super::{fsx, StoreError};

/// Changes with the layout of what the view holds (05: issues carry their supervision level
/// and due day, facts say whether their deadlines were provisional), so a view written by
/// another version is rebuilt, never misread.
const SNAPSHOT_MAGIC: &[u8; 8] = b"DDVIEW06";
/// Largest record accepted on read: anything larger is damage, not data.
const MAX_RECORD: u32 = 64 << 20;

fn damaged(path: &Path, what: impl std::fmt::Display) -> StoreError {
    StoreError::ViewDamaged(format!("{}: {what}", path.display()))
}

/// An append-only file of checksummed records.
pub struct RecordFile {
    path: PathBuf,
    file: File,
    /// Bytes that belong to the view (anything after is a crash's leftover).
    pub len: u64,
}

impl RecordFile {
    /// Opens the file, which must hold at least `len` bytes, and cuts anything after them.
    pub fn open(path: &Path, len: u64) -> Result<RecordFile, StoreError> {
        let file = fsx::open_rw(path).map_err(|e| StoreError::io(path, e))?;
        let size = file.metadata().map_err(|e| StoreError::io(path, e))?.len();
        if size < len {
            return Err(damaged(
                path,
                format!("holds {size} bytes, the snapshot expects {len}"),
            ));
        }
        if size > len {
            file.set_len(len).map_err(|e| StoreError::io(path, e))?;
        }
        Ok(RecordFile {
            path: path.to_path_buf(),
            file,
            len,
        })
    }

    /// Appends records (not yet durable: see `sync`); returns their offsets.
    pub fn append(&mut self, payloads: &[Vec<u8>]) -> Result<Vec<u64>, StoreError> {
        let mut buf = Vec::with_capacity(payloads.iter().map(|p| p.len() + 8).sum());
        let mut offsets = Vec::with_capacity(payloads.len());
        let mut at = self.len;
        for p in payloads {
            offsets.push(at);
            buf.extend_from_slice(&(p.len() as u32).to_le_bytes());
            buf.extend_from_slice(&crc32fast::hash(p).to_le_bytes());
            buf.extend_from_slice(p);
            at += 8 + p.len() as u64;
        }
        let res = super::super::faults::hit("view.append")
            .and_then(|_| self.file.write_all_at(&buf, self.len));
        if let Err(e) = res {
            let _ = self.file.set_len(self.len);
            return Err(StoreError::io(&self.path, e));
        }
        self.len = at;
        Ok(offsets)
    }

    pub fn sync(&self) -> Result<(), StoreError> {
        self.file
            .sync_data()
            .map_err(|e| StoreError::io(&self.path, e))
    }

    /// Cuts the file back to `len` (undoing appends of a checkpoint that failed).
    pub fn truncate(&mut self, len: u64) {
        if self.file.set_len(len).is_ok() {
            self.len = len;
        }
    }

    /// The record at `offset`, checked.
    pub fn read(&self, offset: u64) -> Result<Vec<u8>, StoreError> {
        let mut buf = Vec::new();
        let body = self.read_into(offset, &mut buf)?;
        Ok(buf[body].to_vec())
    }

    /// The record at `offset`, checked, read into `buf` (kept between reads by a caller that
    /// reads thousands: a list of closed issues); its body is `buf[range]`. Header and body
    /// come in one read when the record is of a usual size.
    pub fn read_into(
        &self,
        offset: u64,
        buf: &mut Vec<u8>,
    ) -> Result<std::ops::Range<usize>, StoreError> {
        const USUAL: u64 = 512;
        if offset + 8 > self.len {
            return Err(damaged(&self.path, format!("no record at {offset}")));
        }
        buf.resize(USUAL.min(self.len - offset) as usize, 0);
        self.file
            .read_exact_at(buf, offset)
            .map_err(|e| StoreError::io(&self.path, e))?;
        let head: [u8; 8] = buf[..8].try_into().unwrap_or_default();
        let (n, crc) = self.frame(&head, offset)?;
        if 8 + n > buf.len() {
            let have = buf.len();
            buf.resize(8 + n, 0);
            self.file
                .read_exact_at(&mut buf[have..], offset + have as u64)
                .map_err(|e| StoreError::io(&self.path, e))?;
        }
        self.check(&buf[8..8 + n], crc, offset)?;
        Ok(8..8 + n)
    }

    /// The length and checksum a frame's header gives, if the length fits the file.
    fn frame(&self, head: &[u8; 8], offset: u64) -> Result<(usize, u32), StoreError> {
        let n = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let crc = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        if n > MAX_RECORD || offset + 8 + n as u64 > self.len {
            return Err(damaged(
                &self.path,
                format!("bad record length at {offset}"),
            ));
        }
        Ok((n as usize, crc))
    }

    fn check(&self, body: &[u8], crc: u32, offset: u64) -> Result<(), StoreError> {
        if crc32fast::hash(body) != crc {
            return Err(damaged(
                &self.path,
                format!("checksum mismatch at {offset}"),
            ));
        }
        Ok(())
    }

    /// Every record in order, checked: `f(offset, payload)`.
    pub fn for_each(
        &self,
        mut f: impl FnMut(u64, &[u8]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        use std::io::{Read, Seek};
        let io = |e| StoreError::io(&self.path, e);
        let mut file = self.file.try_clone().map_err(io)?;
        file.rewind().map_err(io)?;
        let mut r = std::io::BufReader::with_capacity(1 << 20, file.take(self.len));
        let mut offset = 0u64;
        let mut body = Vec::new();
        while offset < self.len {
            let mut head = [0u8; 8];
            r.read_exact(&mut head)
                .map_err(|_| damaged(&self.path, format!("record cut short at {offset}")))?;
            let (n, crc) = self.frame(&head, offset)?;
            body.resize(n, 0);
            r.read_exact(&mut body)
                .map_err(|_| damaged(&self.path, format!("record cut short at {offset}")))?;
            self.check(&body, crc, offset)?;
            f(offset, &body)?;
            offset += 8 + n as u64;
        }
        Ok(())
    }
}

/// Issue id → offset + 1 of its current cold record (0: none), 8 bytes a slot.
pub struct SlotFile {
    path: PathBuf,
    file: File,
}

impl SlotFile {
    pub fn open(path: &Path) -> Result<SlotFile, StoreError> {
        Ok(SlotFile {
            path: path.to_path_buf(),
            file: fsx::open_rw(path).map_err(|e| StoreError::io(path, e))?,
        })
    }

    pub fn get(&self, id: u64) -> Result<u64, StoreError> {
        let mut b = [0u8; 8];
        match self.file.read_at(&mut b, id * 8) {
            Ok(8) => Ok(u64::from_le_bytes(b)),
            Ok(_) => Ok(0),
            Err(e) => Err(StoreError::io(&self.path, e)),
        }
    }

    /// Every slot (index = issue id).
    pub fn all(&self) -> Result<Vec<u64>, StoreError> {
        let bytes = std::fs::read(&self.path).map_err(|e| StoreError::io(&self.path, e))?;
        Ok(bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect())
    }

    /// Writes slots and makes them durable.
    pub fn set(&self, slots: &[(u64, u64)]) -> Result<(), StoreError> {
        for (id, v) in slots {
            super::super::faults::hit("view.slot").map_err(|e| StoreError::io(&self.path, e))?;
            self.file
                .write_all_at(&v.to_le_bytes(), id * 8)
                .map_err(|e| StoreError::io(&self.path, e))?;
        }
        self.file
            .sync_data()
            .map_err(|e| StoreError::io(&self.path, e))
    }
}

const HEAD_MAGIC: &[u8; 8] = b"DDHEAD01";
const HEAD_LEN: usize = 8 + 8 + 8 + 64 + 4;

/// The journal's last committed event as the view last saw it: (seq, offset after it, hash).
/// Rewritten in place after every commit, not fsynced: cheap evidence that a journal which
/// is now shorter, or different at that event, lost events after the view took them in. A
/// torn or stale record is simply ignored (it can only name an older event).
pub fn write_head(path: &Path, seq: u64, offset: u64, hash: &str) -> std::io::Result<()> {
    let mut b = Vec::with_capacity(HEAD_LEN);
    b.extend_from_slice(HEAD_MAGIC);
    b.extend_from_slice(&seq.to_le_bytes());
    b.extend_from_slice(&offset.to_le_bytes());
    let mut h = [b'0'; 64];
    let n = hash.len().min(64);
    h[..n].copy_from_slice(&hash.as_bytes()[..n]);
    b.extend_from_slice(&h);
    let crc = crc32fast::hash(&b);
    b.extend_from_slice(&crc.to_le_bytes());
    let f = fsx::open_rw(path)?;
    f.write_all_at(&b, 0)
}

/// Reads the head record, if there is a sound one.
pub fn read_head(path: &Path) -> Option<(u64, u64, String)> {
    let b = std::fs::read(path).ok()?;
    if b.len() < HEAD_LEN || &b[..8] != HEAD_MAGIC {
        return None;
    }
    let crc = u32::from_le_bytes(b[HEAD_LEN - 4..HEAD_LEN].try_into().ok()?);
    if crc32fast::hash(&b[..HEAD_LEN - 4]) != crc {
        return None;
    }
    let seq = u64::from_le_bytes(b[8..16].try_into().ok()?);
    let offset = u64::from_le_bytes(b[16..24].try_into().ok()?);
    let hash = String::from_utf8(b[24..88].to_vec()).ok()?;
    Some((seq, offset, hash))
}

const CACHE_MAGIC: &[u8; 8] = b"DDCACHE1";

/// Writes a cache file: magic, key, crc32, bytes; replaced with a rename (a reader sees the
/// old file or the new one), not fsynced.
pub fn write_cache(path: &Path, key: u64, bytes: &[u8]) -> std::io::Result<()> {
    let mut b = Vec::with_capacity(bytes.len() + 20);
    b.extend_from_slice(CACHE_MAGIC);
    b.extend_from_slice(&key.to_le_bytes());
    b.extend_from_slice(&crc32fast::hash(bytes).to_le_bytes());
    b.extend_from_slice(bytes);
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = fsx::tmp_name(path);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(fsx::FILE_MODE)
        .open(&tmp)?;
    f.write_all(&b)?;
    drop(f);
    std::fs::rename(&tmp, path)
}

/// Reads a cache file saved for `key`, if it is there and sound.
pub fn read_cache(path: &Path, key: u64) -> Option<Vec<u8>> {
    let b = std::fs::read(path).ok()?;
    if b.len() < 20 || &b[..8] != CACHE_MAGIC {
        return None;
    }
    let k = u64::from_le_bytes(b[8..16].try_into().ok()?);
    let crc = u32::from_le_bytes(b[16..20].try_into().ok()?);
    (k == key && crc32fast::hash(&b[20..]) == crc).then(|| b[20..].to_vec())
}

/// Writes a snapshot atomically.
pub fn write_snapshot(path: &Path, payload: &[u8]) -> Result<(), StoreError> {
    let mut buf = Vec::with_capacity(payload.len() + 48);
    buf.write_all(SNAPSHOT_MAGIC).ok();
    buf.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    buf.extend_from_slice(payload);
    buf.extend_from_slice(&Sha256::digest(payload));
    fsx::write_atomic(path, &buf).map_err(|e| StoreError::io(path, e))
}

/// Reads and checks a snapshot.
pub fn read_snapshot(path: &Path) -> Result<Vec<u8>, StoreError> {
    let buf = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => damaged(path, "missing"),
        _ => StoreError::io(path, e),
    })?;
    if buf.len() < 48 || &buf[..8] != SNAPSHOT_MAGIC {
        return Err(damaged(path, "not a view snapshot of this version"));
    }
    let n = u64::from_le_bytes(buf[8..16].try_into().unwrap_or_default()) as usize;
    if buf.len() != 16 + n + 32 {
        return Err(damaged(path, "wrong length"));
    }
    let payload = &buf[16..16 + n];
    if Sha256::digest(payload).as_slice() != &buf[16 + n..] {
        return Err(damaged(path, "checksum mismatch"));
    }
    Ok(payload.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_checked_and_leftovers_cut() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("r");
        let mut f = RecordFile::open(&p, 0).unwrap();
        let offs = f
            .append(&[b"one".to_vec(), vec![7u8; 3000], b"".to_vec()])
            .unwrap();
        assert_eq!(f.read(offs[0]).unwrap(), b"one");
        assert_eq!(f.read(offs[1]).unwrap().len(), 3000);
        let mut seen = vec![];
        f.for_each(|o, b| {
            seen.push((o, b.len()));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec![(offs[0], 3), (offs[1], 3000), (offs[2], 0)]);
        let len = f.len;
        // A crash's leftover after the known length is cut at open.
        f.append(&[b"late".to_vec()]).unwrap();
        let f = RecordFile::open(&p, len).unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().len(), len);
        // A flipped byte is caught.
        let raw = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
        raw.write_all_at(b"X", offs[1] + 100).unwrap();
        assert!(matches!(f.read(offs[1]), Err(StoreError::ViewDamaged(_))));
        assert!(f.for_each(|_, _| Ok(())).is_err());
        // A file shorter than the snapshot says is damage.
        assert!(RecordFile::open(&p, len + 1).is_err());
    }

    #[test]
    fn snapshots_are_checked() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("s");
        write_snapshot(&p, b"hello").unwrap();
        assert_eq!(read_snapshot(&p).unwrap(), b"hello");
        let mut raw = std::fs::read(&p).unwrap();
        raw[17] ^= 1;
        std::fs::write(&p, &raw).unwrap();
        assert!(read_snapshot(&p).is_err());
        std::fs::write(&p, &raw[..10]).unwrap();
        assert!(read_snapshot(&p).is_err());
    }
}
