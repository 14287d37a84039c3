//! File-system helpers the store relies on for durability and privacy: private modes whatever
//! the umask, atomic replacement (write, fsync, rename, fsync the directory), and the
//! classification of a full disk.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Mode of the data directory and every directory in it: only the owner may enter.
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file the store writes: the journal holds names and phone numbers.
pub const FILE_MODE: u32 = 0o600;

/// Creates `dir` (and its parents) owner-only, and tightens it if it already exists.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)?;
    tighten(dir, DIR_MODE)
}

/// Sets `mode` on `path` if it is looser (never loosens; ignores a missing path).
pub fn tighten(path: &Path, mode: u32) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().mode() & 0o777 != mode => {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        }
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Tightens a directory and every file and directory below it (stores written by earlier
/// versions, which left them world-readable).
pub fn tighten_tree(dir: &Path) -> std::io::Result<()> {
    tighten(dir, DIR_MODE)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            tighten_tree(&path)?;
        } else if ft.is_file() {
            tighten(&path, FILE_MODE)?;
        }
    }
    Ok(())
}

/// Opens (creating owner-only if needed) a file for reading and appending.
pub fn open_append(path: &Path) -> std::io::Result<File> {
    let f = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(FILE_MODE)
        .open(path)?;
    tighten(path, FILE_MODE)?;
    Ok(f)
}

/// Opens (creating owner-only if needed) a file for reading and writing in place.
pub fn open_rw(path: &Path) -> std::io::Result<File> {
    let f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(FILE_MODE)
        .open(path)?;
    tighten(path, FILE_MODE)?;
    Ok(f)
}

/// Replaces `path` with `bytes` so that a crash at any instant leaves either the old file or
/// the new one: write a temporary beside it, fsync, rename over, fsync the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = tmp_name(path);
    let res = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(FILE_MODE)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        super::faults::hit("atomic.before_rename")?;
        std::fs::rename(&tmp, path)?;
        sync_dir(path.parent().unwrap_or(Path::new(".")))
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

/// The temporary name `write_atomic` uses for `path` (a leftover one is garbage).
pub fn tmp_name(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// fsyncs a directory so that names created, renamed or removed in it survive a power cut.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Copies `from` to `to` (owner-only) and fsyncs the copy; at most `len` bytes if given.
pub fn copy_synced(from: &Path, to: &Path, len: Option<u64>) -> std::io::Result<u64> {
    use std::io::Read;
    let src = File::open(from)?;
    let mut dst = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(to)?;
    let n = match len {
        Some(l) => std::io::copy(&mut src.take(l), &mut dst)?,
        None => std::io::copy(&mut { src }, &mut dst)?,
    };
    dst.sync_all()?;
    Ok(n)
}

/// Whether an I/O error means the disk (or the user's quota) is full.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_modes_whatever_the_umask() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("a/b");
        private_dir(&d).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&d), 0o700);
        let f = d.join("f");
        std::fs::write(&f, b"x").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
        tighten_tree(&d).unwrap();
        assert_eq!(mode(&d), 0o700);
        assert_eq!(mode(&f), 0o600);
        write_atomic(&d.join("g"), b"y").unwrap();
        assert_eq!(mode(&d.join("g")), 0o600);
        assert!(!tmp_name(&d.join("g")).exists());
    }

    #[test]
    fn disk_full_is_recognised() {
        assert!(is_disk_full(&std::io::Error::from_raw_os_error(
            libc::ENOSPC
        )));
        assert!(!is_disk_full(&std::io::Error::from_raw_os_error(libc::EIO)));
    }
}
