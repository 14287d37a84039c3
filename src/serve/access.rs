//! The server's access file (`access.json` in the data directory, mode 0600): each account's
//! public keys and password hash. It is kept apart from the journal on purpose — keys and
//! hashes never enter the journal, a backup of it, or any export — while the journal records
//! that a key (by its fingerprint) or a password was set, so every change is audited.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const FILE: &str = "access.json";

/// What the access file holds for one account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// Public keys, one OpenSSH line each (`ssh-ed25519 AAAA… comment`).
    #[serde(default)]
    pub keys: Vec<String>,
    /// An argon2id hash (PHC string), if a password was set.
    #[serde(default)]
    pub password: Option<String>,
}

/// The access file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    #[serde(default)]
    pub accounts: BTreeMap<String, Credentials>,
}

/// Why a key or the file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("{0}: not an OpenSSH public key line (expected e.g. `ssh-ed25519 AAAA… name@host`)")]
    NotAKey(String),
    #[error("{path}: {what}")]
    File { path: PathBuf, what: String },
}

/// The file's place in a data directory.
pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// The key types OpenSSH offers for user authentication.
const KEY_TYPES: &[&str] = &[
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// A public key line reduced to `type base64` (comments and options dropped), checked.
pub fn normalise_key(line: &str) -> Result<String, AccessError> {
    let bad = || AccessError::NotAKey(crate::sanitize::line(line.trim()));
    let mut parts = line.split_whitespace();
    let (kind, blob) = (parts.next().ok_or_else(bad)?, parts.next().ok_or_else(bad)?);
    if !KEY_TYPES.contains(&kind) {
        return Err(bad());
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(blob)
        .map_err(|_| bad())?;
    // The blob starts with its own type name (a length-prefixed string).
    let n = raw
        .get(..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or_else(bad)?;
    if raw.get(4..4 + n) != Some(kind.as_bytes()) {
        return Err(bad());
    }
    Ok(format!("{kind} {blob}"))
}

/// The key's fingerprint as `ssh-keygen -l` prints it (`SHA256:…`).
pub fn fingerprint(line: &str) -> Result<String, AccessError> {
    let key = normalise_key(line)?;
    let blob = key.split_whitespace().nth(1).unwrap_or_default();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(blob)
        .map_err(|_| AccessError::NotAKey(key.clone()))?;
    Ok(format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(Sha256::digest(raw))
    ))
}

impl Access {
    /// Reads the file (an absent one is empty).
    pub fn load(dir: &Path) -> Result<Access, AccessError> {
        let p = path(dir);
        match std::fs::read_to_string(&p) {
            Ok(t) => serde_json::from_str(&t).map_err(|e| AccessError::File {
                path: p,
                what: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Access::default()),
            Err(e) => Err(AccessError::File {
                path: p,
                what: e.to_string(),
            }),
        }
    }

    /// Writes the file owner-only, replacing it atomically.
    pub fn save(&self, dir: &Path) -> Result<(), AccessError> {
        let p = path(dir);
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        crate::store::write_private(&p, text.as_bytes()).map_err(|e| AccessError::File {
            path: p,
            what: e.to_string(),
        })
    }

    /// Adds a key to an account (once); returns its fingerprint.
    pub fn add_key(&mut self, name: &str, line: &str) -> Result<String, AccessError> {
        let key = normalise_key(line)?;
        let fp = fingerprint(&key)?;
        let keys = &mut self.accounts.entry(name.to_string()).or_default().keys;
        if !keys.contains(&key) {
            keys.push(key);
        }
        Ok(fp)
    }

    /// Sets an account's password (stored as an argon2id hash with its own salt).
    pub fn set_password(&mut self, name: &str, password: &str) -> Result<(), AccessError> {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut OsRng);
        let hash = argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| AccessError::File {
                path: PathBuf::from(FILE),
                what: e.to_string(),
            })?
            .to_string();
        self.accounts.entry(name.to_string()).or_default().password = Some(hash);
        Ok(())
    }

    /// Whether `line` is one of the account's keys.
    pub fn has_key(&self, name: &str, line: &str) -> bool {
        let Ok(key) = normalise_key(line) else {
            return false;
        };
        self.accounts
            .get(name)
            .is_some_and(|c| c.keys.contains(&key))
    }

    /// Whether `password` is the account's password (false if it has none).
    pub fn password_ok(&self, name: &str, password: &str) -> bool {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let Some(hash) = self.accounts.get(name).and_then(|c| c.password.as_deref()) else {
            return false;
        };
        PasswordHash::new(hash).is_ok_and(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real key as `ssh-keygen -t ed25519` writes it.
    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDuXsoyHlXf0u82YDCJxJQS1QsUz3H7nE0R8a8b0w3Zr lina@desk";

    #[test]
    fn keys_are_checked_fingerprinted_and_found() {
        let t = tempfile::tempdir().unwrap();
        let mut a = Access::default();
        let fp = a.add_key("lina", KEY).unwrap();
        assert!(fp.starts_with("SHA256:") && fp.len() == 50, "{fp}");
        assert!(a.has_key("lina", KEY));
        // Comments do not matter; the key does.
        assert!(a.has_key("lina", KEY.trim_end_matches(" lina@desk")));
        assert!(!a.has_key("wang", KEY));
        assert!(a.add_key("lina", "ssh-ed25519 notbase64!").is_err());
        assert!(a.add_key("lina", "ssh-dss AAAA").is_err());
        // The type inside the blob must be the one named.
        assert!(a
            .add_key("lina", &KEY.replacen("ssh-ed25519", "ssh-rsa", 1))
            .is_err());
        a.save(t.path()).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path(t.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(Access::load(t.path()).unwrap(), a);
    }

    #[test]
    fn passwords_are_hashed_and_checked() {
        let mut a = Access::default();
        assert!(!a.password_ok("lina", ""));
        a.set_password("lina", "值班2026").unwrap();
        let hash = a.accounts["lina"].password.clone().unwrap();
        assert!(hash.starts_with("$argon2id$") && !hash.contains("值班2026"));
        assert!(a.password_ok("lina", "值班2026"));
        assert!(!a.password_ok("lina", "值班2025"));
    }
}
