//! One process per data directory. The lock is taken on the data directory itself (an OS
//! `flock` on its descriptor), which no one can delete or swap under a live process the way a
//! lock file can be; the OS releases it when the holder dies, even on SIGKILL. The `lock` file
//! beside it only says who holds the store; if it has been removed, the holder is found in the
//! kernel's table of locks.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::{fsx, StoreError};

const INFO: &str = "lock";

/// Holds the lock until dropped.
#[derive(Debug)]
pub struct DirLock {
    _dir: File,
    /// Also locked, so that earlier versions (which lock only this file) stay out too.
    _info: Option<File>,
}

impl DirLock {
    pub fn acquire(dir: &Path) -> Result<DirLock, StoreError> {
        let handle = File::open(dir).map_err(|e| StoreError::io(dir, e))?;
        match handle.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::InUse {
                    dir: dir.to_path_buf(),
                    holder: holder(dir, &handle),
                })
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(StoreError::io(dir, e)),
        }
        let path = dir.join(INFO);
        let mut info = fsx::open_rw(&path).map_err(|e| StoreError::io(&path, e))?;
        if let Err(std::fs::TryLockError::WouldBlock) = info.try_lock() {
            // An earlier dutydesk, which locks only the file, has the store.
            let mut who = String::new();
            let _ = info.read_to_string(&mut who);
            return Err(StoreError::InUse {
                dir: dir.to_path_buf(),
                holder: non_empty(who.trim()).unwrap_or_else(|| unknown_holder().into()),
            });
        }
        let _ = info.set_len(0);
        let _ = info.seek(SeekFrom::Start(0));
        let _ = info.write_all(describe(std::process::id()).as_bytes());
        let _ = info.sync_data();
        Ok(DirLock {
            _dir: handle,
            _info: Some(info),
        })
    }
}

/// "pid 123 (dutydesk demo) on host since 2026-11-20 10:00:00".
fn describe(pid: u32) -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .and_then(|h| non_empty(&h))
        .unwrap_or_else(|| "this machine".into());
    format!(
        "pid {pid}{} on {host} since {}",
        command_of(pid)
            .map(|c| format!(" ({c})"))
            .unwrap_or_default(),
        chrono::Local::now().format("%Y-%m-%d %H:%M:%S")
    )
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn unknown_holder() -> &'static str {
    "another process"
}

/// Who holds the lock: the `lock` file if it still names a live process, otherwise the
/// kernel's lock table (`/proc/locks`) for the directory's inode.
fn holder(dir: &Path, handle: &File) -> String {
    if let Ok(text) = std::fs::read_to_string(dir.join(INFO)) {
        let text = text.trim();
        let pid = text
            .strip_prefix("pid ")
            .and_then(|r| r.split_whitespace().next())
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            if Path::new(&format!("/proc/{pid}")).exists() && pid_holds(handle, pid) {
                return text.to_string();
            }
        }
    }
    match handle.metadata().ok().and_then(|m| lock_holder(&m)) {
        Some(pid) => format!(
            "pid {pid}{}",
            command_of(pid)
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        ),
        None => unknown_holder().into(),
    }
}

fn pid_holds(handle: &File, pid: u32) -> bool {
    match handle.metadata().ok().and_then(|m| lock_holder(&m)) {
        Some(p) => p == pid,
        // No lock table to ask: trust the file.
        None => true,
    }
}

/// The pid holding a flock on the inode `m` describes, from `/proc/locks`.
fn lock_holder(m: &std::fs::Metadata) -> Option<u32> {
    let table = std::fs::read_to_string("/proc/locks").ok()?;
    let dev = m.dev();
    // Linux's encoding of dev_t: major in bits 8..20 and 32..44, minor in 0..8 and 20..32.
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    let want = format!("{major:02x}:{minor:02x}:{}", m.ino());
    table.lines().find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        // "1: FLOCK  ADVISORY  WRITE 12345 fd:01:67890 0 EOF"
        let i = f.iter().position(|w| *w == "FLOCK")?;
        let pid = f.get(i + 3)?.parse().ok()?;
        (f.get(i + 4)? == &want).then_some(pid)
    })
}

/// The holder's command line, short.
fn command_of(pid: u32) -> Option<String> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let words: Vec<String> = raw
        .split(|b| *b == 0)
        .filter(|w| !w.is_empty())
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    let prog = words.first()?.rsplit('/').next()?.to_string();
    let sub = words
        .iter()
        .skip(1)
        .find(|w| !w.starts_with('-') && !w.contains('/'));
    Some(match sub {
        Some(s) => format!("{prog} {s}"),
        None => prog,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_names_the_holder_even_without_the_file() {
        let t = tempfile::tempdir().unwrap();
        let held = DirLock::acquire(t.path()).unwrap();
        std::fs::remove_file(t.path().join(INFO)).unwrap();
        match DirLock::acquire(t.path()) {
            Err(StoreError::InUse { holder, .. }) => {
                assert!(
                    holder.contains(&format!("pid {}", std::process::id())),
                    "{holder}"
                );
            }
            other => panic!("expected in use, got {other:?}"),
        }
        drop(held);
        DirLock::acquire(t.path()).unwrap();
    }
}
