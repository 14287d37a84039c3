//! What protects the journal beyond its hash chain. The chain alone catches accidents (a
//! flipped byte, a cut file) but anyone who can write the file can rewrite an event and
//! recompute every hash after it. Two defences sit outside the file:
//!
//! - **Witnesses**: the chain head (`SEQ:HASH`) printed on every handover brief and report.
//!   `verify --witness SEQ:HASH` proves the journal still holds exactly the prefix that was
//!   printed; a rewritten or shortened journal cannot match a head already on paper.
//! - **A seal key** kept outside the data directory: every event then carries an HMAC of its
//!   hash under the key, so the chain cannot be recomputed without the key.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::{Path, PathBuf};

use super::StoreError;

/// Shortest hash prefix a witness may give (64 bits: not forgeable by search).
pub const MIN_WITNESS_HEX: usize = 16;

/// A secret key for sealing the journal (at least 32 bytes, written as hex in its file).
#[derive(Clone)]
pub struct SealKey {
    bytes: Vec<u8>,
    /// Short public identifier of the key (not secret), for messages.
    pub id: String,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealKey({})", self.id)
    }
}

impl SealKey {
    pub fn from_bytes(bytes: Vec<u8>) -> SealKey {
        use sha2::Digest;
        let id = hex::encode(&Sha256::digest(&bytes)[..4]);
        SealKey { bytes, id }
    }

    /// Reads a key file. It must be outside `data_dir`: a key beside the journal protects
    /// nothing.
    pub fn load(path: &Path, data_dir: &Path) -> Result<SealKey, StoreError> {
        let bad = |what: &str| StoreError::BadKey {
            path: path.to_path_buf(),
            what: what.to_string(),
        };
        if let (Ok(k), Ok(d)) = (path.canonicalize(), data_dir.canonicalize()) {
            if k.starts_with(&d) {
                return Err(bad("the key file is inside the data directory; keep it elsewhere (e.g. on removable media or in /etc), or it protects nothing"));
            }
        }
        let text = std::fs::read_to_string(path).map_err(|e| StoreError::BadKey {
            path: path.to_path_buf(),
            what: e.to_string(),
        })?;
        let text = text.trim();
        let bytes = hex::decode(text).map_err(|_| {
            bad("not a key: expected hexadecimal text (make one with `dutydesk key generate FILE`)")
        })?;
        if bytes.len() < 32 {
            return Err(bad(
                "too short: a key has at least 32 bytes (64 hex digits)",
            ));
        }
        Ok(SealKey::from_bytes(bytes))
    }

    /// Writes a new random key to `path` (owner-only), refusing to overwrite one.
    pub fn generate(path: &Path) -> Result<SealKey, StoreError> {
        use rand::RngCore;
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut bytes = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| StoreError::BadKey {
                path: path.to_path_buf(),
                what: e.to_string(),
            })?;
        f.write_all(format!("{}\n", hex::encode(&bytes)).as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| StoreError::io(path, e))?;
        Ok(SealKey::from_bytes(bytes))
    }

    fn hmac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length.
        Hmac::<Sha256>::new_from_slice(&self.bytes).expect("HMAC accepts any key length")
    }

    /// The seal of an event hash.
    pub fn mac(&self, hash: &str) -> String {
        let mut m = self.hmac();
        m.update(hash.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// Whether `mac` is the seal of `hash` (constant-time comparison).
    pub fn verify(&self, hash: &str, mac: &str) -> bool {
        let Ok(tag) = hex::decode(mac) else {
            return false;
        };
        let mut m = self.hmac();
        m.update(hash.as_bytes());
        m.verify_slice(&tag).is_ok()
    }
}

/// Where the key comes from: `--key-file` or `DUTYDESK_KEY_FILE`.
pub fn key_path_from_env() -> Option<PathBuf> {
    std::env::var_os("DUTYDESK_KEY_FILE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// A chain head someone wrote down: event SEQ had hash HASH (or a prefix of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    pub seq: u64,
    pub hash: String,
}

impl std::fmt::Display for Witness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl Witness {
    /// Parses `SEQ:HASH` (HASH: at least 16 hexadecimal digits).
    pub fn parse(s: &str) -> Option<Witness> {
        let (seq, hash) = s.trim().split_once(':')?;
        let seq = seq.trim().parse().ok()?;
        let hash = hash.trim().to_ascii_lowercase();
        let ok = (MIN_WITNESS_HEX..=64).contains(&hash.len())
            && hash.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then_some(Witness { seq, hash })
    }

    /// Every `SEQ:HASH` in a text (a file of witnesses, or a printed brief or report).
    pub fn find_all(text: &str) -> Vec<Witness> {
        let mut out = Vec::new();
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
                let s = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i < b.len() && b[i] == b':' {
                    let h = i + 1;
                    let mut e = h;
                    while e < b.len() && b[e].is_ascii_hexdigit() {
                        e += 1;
                    }
                    let boundary = e == b.len() || !b[e].is_ascii_alphanumeric();
                    if boundary {
                        if let Some(w) = Witness::parse(&text[s..e]) {
                            out.push(w);
                        }
                    }
                    i = e;
                }
                continue;
            }
            i += 1;
        }
        out
    }

    /// Whether a full event hash matches this witness.
    pub fn matches(&self, hash: &str) -> bool {
        hash.starts_with(&self.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_verify_only_under_their_key() {
        let k = SealKey::from_bytes(vec![7; 32]);
        let other = SealKey::from_bytes(vec![8; 32]);
        let m = k.mac("abc");
        assert!(k.verify("abc", &m));
        assert!(!k.verify("abd", &m));
        assert!(!other.verify("abc", &m));
        assert!(!k.verify("abc", "zz"));
    }

    #[test]
    fn witnesses_are_found_in_printed_text() {
        let h = "a".repeat(64);
        let text = format!("日志链头（核验用）：1234:{h}\nsee 12:0123456789abcdef.\n5:abc");
        let w = Witness::find_all(&text);
        assert_eq!(
            w,
            vec![
                Witness {
                    seq: 1234,
                    hash: h.clone()
                },
                Witness {
                    seq: 12,
                    hash: "0123456789abcdef".into()
                }
            ]
        );
        assert!(Witness::parse("7:0123").is_none());
        assert!(Witness::parse("x:0123456789abcdef").is_none());
        assert!(w[0].matches(&h));
    }

    #[test]
    fn a_key_inside_the_data_directory_is_refused() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("key");
        SealKey::generate(&p).unwrap();
        assert!(SealKey::load(&p, t.path()).is_err());
        let other = tempfile::tempdir().unwrap();
        let k = SealKey::load(&p, other.path()).unwrap();
        assert_eq!(k.id.len(), 8);
        assert!(SealKey::generate(&p).is_err(), "never overwrites a key");
    }
}
