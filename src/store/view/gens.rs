//! View generations: each view lives in its own directory under `views/`, and the file
//! `views/current` names the one in use. A rebuild makes a new generation beside the current
//! one and switches the name only when it is complete (write, fsync, rename, fsync), so a kill
//! at any instant leaves the old view or the new one, never a half-built one in use. Anything
//! else under `views/` is a leftover of an interrupted rebuild and is removed at open, so
//! broken copies never pile up.

use std::path::{Path, PathBuf};

use super::super::{fsx, StoreError};

const VIEWS: &str = "views";
const CURRENT: &str = "current";

/// Directories of the views in a data directory.
pub struct Generations {
    root: PathBuf,
    current: Option<String>,
}

impl Generations {
    /// Reads which generation is current and clears away every other one, together with the
    /// views of earlier versions (`view/`, `view.broken-*`), which are caches like any view.
    pub fn open(data_dir: &Path) -> Result<Generations, StoreError> {
        let root = data_dir.join(VIEWS);
        fsx::private_dir(&root).map_err(|e| StoreError::io(&root, e))?;
        let current = std::fs::read_to_string(root.join(CURRENT))
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| valid_name(s) && root.join(s).is_dir());
        let g = Generations { root, current };
        g.sweep(data_dir);
        Ok(g)
    }

    fn sweep(&self, data_dir: &Path) {
        if let Ok(entries) = std::fs::read_dir(&self.root) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name == CURRENT || Some(&name) == self.current.as_ref() {
                    continue;
                }
                remove(&e.path());
            }
        }
        if let Ok(entries) = std::fs::read_dir(data_dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name == "view" || name.starts_with("view.broken-") {
                    remove(&e.path());
                }
            }
        }
    }

    /// The current generation's directory, if there is one.
    pub fn current(&self) -> Option<PathBuf> {
        self.current.as_ref().map(|c| self.root.join(c))
    }

    /// Makes an empty directory for the next generation (not yet current).
    pub fn create(&self) -> Result<PathBuf, StoreError> {
        let mut n = self
            .current
            .as_deref()
            .and_then(|c| c.strip_prefix('g'))
            .and_then(|d| d.parse::<u64>().ok())
            .unwrap_or(0);
        loop {
            n += 1;
            let dir = self.root.join(format!("g{n:06}"));
            if !dir.exists() {
                fsx::private_dir(&dir).map_err(|e| StoreError::io(&dir, e))?;
                return Ok(dir);
            }
        }
    }

    /// Makes `dir` (made by `create`) the current generation and removes the previous one.
    pub fn switch(&mut self, dir: &Path) -> Result<(), StoreError> {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| valid_name(n))
            .ok_or_else(|| {
                StoreError::Other(format!("{}: not a view generation", dir.display()))
            })?;
        super::super::faults::hit("view.switch").map_err(|e| StoreError::io(dir, e))?;
        let pointer = self.root.join(CURRENT);
        fsx::write_atomic(&pointer, format!("{name}\n").as_bytes())
            .map_err(|e| StoreError::io(&pointer, e))?;
        if let Some(old) = self.current.replace(name) {
            remove(&self.root.join(old));
        }
        Ok(())
    }

    /// Forgets the current generation (the next open rebuilds): used before the journal is
    /// replaced, so no view ever describes a journal it was not built from.
    pub fn forget(&mut self) -> Result<(), StoreError> {
        let pointer = self.root.join(CURRENT);
        match std::fs::remove_file(&pointer) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(&pointer, e)),
        }
        fsx::sync_dir(&self.root).map_err(|e| StoreError::io(&self.root, e))?;
        if let Some(old) = self.current.take() {
            remove(&self.root.join(old));
        }
        Ok(())
    }

    /// Removes a generation that will not be used (a failed or superseded build).
    pub fn discard(&self, dir: &Path) {
        if dir.starts_with(&self.root) && Some(dir.to_path_buf()) != self.current() {
            remove(dir);
        }
    }
}

fn valid_name(s: &str) -> bool {
    s.len() > 1 && s.starts_with('g') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

fn remove(p: &Path) {
    let r = if p.is_dir() {
        std::fs::remove_dir_all(p)
    } else {
        std::fs::remove_file(p)
    };
    if let Err(e) = r {
        tracing::warn!("could not remove {}: {e}", p.display());
    }
}
