//! The server's SSH host key: one Ed25519 key in the data directory, made on the first start
//! and the same ever after, so clients can pin its fingerprint.
//!
//! The key is written to a temporary file (owner-only, fsynced) and then hard-linked to its
//! name, which fails if the name exists: a crash leaves no half-written key under the real
//! name, and two processes starting at once (the server and `serve --fingerprint`) end up
//! with the same key instead of each keeping its own.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use russh::keys::ssh_key::LineEnding;
use russh::keys::{Algorithm, HashAlg, PrivateKey};

use super::SshError;

/// The host key's file name in the data directory (OpenSSH's name for the same key).
pub const HOST_KEY_FILE: &str = "ssh_host_ed25519_key";

const KEY_MODE: u32 = 0o600;
const DIR_MODE: u32 = 0o700;
/// Prefix of the temporary files a key is written to before it is linked into place.
const TMP_PREFIX: &str = ".ssh_host_ed25519_key.tmp-";
/// A temporary this old is a leftover of a crash (it is linked or removed within
/// milliseconds otherwise).
const STALE_TMP: Duration = Duration::from_secs(60);

/// Loads the host key from `data_dir`, creating it on the first start. Returns the key and
/// its fingerprint as `ssh-keygen -l` prints it (`SHA256:…`).
///
/// A key file that cannot be read as an unencrypted Ed25519 OpenSSH key is an error naming
/// the file; it is never replaced silently, since clients that pinned the old key would then
/// be told the server changed (or, worse, learn to ignore that warning).
pub fn load_or_create_host_key(data_dir: &Path) -> Result<(PrivateKey, String), SshError> {
    let path = data_dir.join(HOST_KEY_FILE);
    let key = match read_key(&path)? {
        Some(key) => key,
        None => create_key(data_dir, &path)?,
    };
    let fp = key.public_key().fingerprint(HashAlg::Sha256).to_string();
    Ok((key, fp))
}

/// The fingerprint of the server's host key (`SHA256:…`, as `ssh-keygen -l` prints it), for
/// `dutydesk serve --fingerprint`. Creates the key if there is none yet, so it can be handed
/// to the users before the server first starts.
pub fn fingerprint(data_dir: &Path) -> Result<String, SshError> {
    load_or_create_host_key(data_dir).map(|(_, fp)| fp)
}

/// Reads the key at `path`: `None` if there is no file.
fn read_key(path: &Path) -> Result<Option<PrivateKey>, SshError> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(SshError::HostKeyIo {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let damaged = |reason: String| SshError::HostKeyDamaged {
        path: path.to_path_buf(),
        reason,
    };
    let key = PrivateKey::from_openssh(&text).map_err(|e| damaged(e.to_string()))?;
    if key.is_encrypted() {
        return Err(damaged(
            "it is protected by a passphrase, and the server starts unattended".into(),
        ));
    }
    if key.algorithm() != Algorithm::Ed25519 {
        return Err(damaged(format!(
            "it is an {} key, not Ed25519",
            key.algorithm()
        )));
    }
    // A key copied in by hand may have come with a looser mode.
    tighten(path).map_err(|source| SshError::HostKeyIo {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Some(key))
}

fn create_key(data_dir: &Path, path: &Path) -> Result<PrivateKey, SshError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| SshError::HostKeyIo { path: p, source }
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(data_dir)
        .map_err(io(data_dir))?;
    remove_stale_temporaries(data_dir);

    let mut key = PrivateKey::random(&mut rand::rngs::OsRng, Algorithm::Ed25519)
        .map_err(|e| SshError::HostKeyCreate(e.to_string()))?;
    key.set_comment("dutydesk host key");
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| SshError::HostKeyCreate(e.to_string()))?;

    let tmp = temporary_name(data_dir);
    let written = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(KEY_MODE)
            .open(&tmp)?;
        // The umask can only take bits away from 0600; set it exactly anyway.
        f.set_permissions(std::fs::Permissions::from_mode(KEY_MODE))?;
        f.write_all(text.as_bytes())?;
        f.sync_all()
    })();
    if let Err(source) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(SshError::HostKeyIo { path: tmp, source });
    }
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            std::fs::File::open(data_dir)
                .and_then(|d| d.sync_all())
                .map_err(io(data_dir))?;
            tracing::info!("SSH host key created in {}", path.display());
            Ok(key)
        }
        // Another process made the key first: use that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            read_key(path)?.ok_or_else(|| SshError::HostKeyIo {
                path: path.to_path_buf(),
                source: e,
            })
        }
        Err(source) => Err(SshError::HostKeyIo {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn temporary_name(dir: &Path) -> PathBuf {
    let nonce: u64 = rand::random();
    dir.join(format!("{TMP_PREFIX}{}-{nonce:016x}", std::process::id()))
}

/// Removes temporaries a crash left behind (each holds a private key nobody will use).
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_TMP);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn tighten(path: &Path) -> std::io::Result<()> {
    let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if mode != KEY_MODE {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(KEY_MODE))?;
        tracing::info!(
            "SSH host key {} was mode {mode:o}; now {KEY_MODE:o}",
            path.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn made_once_then_loaded_with_the_same_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let (k1, fp1) = load_or_create_host_key(dir.path()).unwrap();
        assert!(fp1.starts_with("SHA256:"), "{fp1}");
        let path = dir.path().join(HOST_KEY_FILE);
        assert_eq!(mode(&path), 0o600);
        let (k2, fp2) = load_or_create_host_key(dir.path()).unwrap();
        assert_eq!(fp1, fp2);
        assert_eq!(k1.public_key(), k2.public_key());
        assert_eq!(fingerprint(dir.path()).unwrap(), fp1);
        // No temporary is left beside it.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec![HOST_KEY_FILE.to_string()]);
    }

    #[test]
    fn private_whatever_the_umask_and_tightened_when_loose() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("new");
        // SAFETY: umask only affects files this test creates; restored at once.
        let old = unsafe { libc::umask(0o000) };
        let made = load_or_create_host_key(&data);
        unsafe { libc::umask(old) };
        made.unwrap();
        let path = data.join(HOST_KEY_FILE);
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&data), 0o700);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        load_or_create_host_key(&data).unwrap();
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_damaged_key_is_an_error_naming_the_file_and_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        load_or_create_host_key(dir.path()).unwrap();
        let path = dir.path().join(HOST_KEY_FILE);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.truncate(text.len() / 2);
        std::fs::write(&path, &text).unwrap();
        let err = load_or_create_host_key(dir.path()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(matches!(err, SshError::HostKeyDamaged { .. }), "{err:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn stale_temporaries_are_removed_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(format!("{TMP_PREFIX}1-0"));
        let fresh = dir.path().join(format!("{TMP_PREFIX}2-0"));
        std::fs::write(&stale, "x").unwrap();
        std::fs::write(&fresh, "x").unwrap();
        let long_ago = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        load_or_create_host_key(dir.path()).unwrap();
        assert!(!stale.exists());
        assert!(fresh.exists());
    }
}
