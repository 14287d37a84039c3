//! Fault injection for the store's crash and disk-full tests. Named points sit at every step
//! where a crash or a failed write matters (mid-write of the journal, between a checkpoint's
//! files, at a rebuild's switch, inside restore). Two environment variables arm them, and
//! nothing happens without them:
//!
//! - `DUTYDESK_CRASH_AT=POINT:N[,POINT:N…]`: the N-th time POINT is reached the process aborts
//!   on the spot, as a kill -9 or a power cut would stop it (no destructors, no flush). At
//!   `journal.write` half of the bytes are written first, leaving a torn write.
//! - `DUTYDESK_FAIL_AT=POINT:N[,…]`: from the N-th time on, POINT fails as a full disk does
//!   (ENOSPC), so the error paths of a real full disk can be driven without one.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

struct Plan {
    crash: HashMap<String, u64>,
    fail: HashMap<String, u64>,
    seen: Mutex<HashMap<&'static str, u64>>,
}

fn parse(var: &str) -> HashMap<String, u64> {
    std::env::var(var)
        .unwrap_or_default()
        .split(',')
        .filter_map(|p| {
            let (name, n) = p.trim().rsplit_once(':')?;
            Some((name.to_string(), n.parse().ok()?))
        })
        .collect()
}

fn plan() -> Option<&'static Plan> {
    static PLAN: OnceLock<Option<Plan>> = OnceLock::new();
    PLAN.get_or_init(|| {
        let crash = parse("DUTYDESK_CRASH_AT");
        let fail = parse("DUTYDESK_FAIL_AT");
        (!crash.is_empty() || !fail.is_empty()).then(|| Plan {
            crash,
            fail,
            seen: Mutex::new(HashMap::new()),
        })
    })
    .as_ref()
}

/// Counts a pass through `point`; whether this pass is the armed crash, and whether it fails.
fn pass(point: &'static str) -> (bool, bool) {
    let Some(p) = plan() else {
        return (false, false);
    };
    let n = {
        let mut seen = p.seen.lock().unwrap_or_else(|e| e.into_inner());
        let c = seen.entry(point).or_insert(0);
        *c += 1;
        *c
    };
    (
        p.crash.get(point) == Some(&n),
        p.fail.get(point).is_some_and(|from| n >= *from),
    )
}

/// A fault point: aborts if armed for this pass, or fails like a full disk.
pub fn hit(point: &'static str) -> std::io::Result<()> {
    let (crash, fail) = pass(point);
    if crash {
        std::process::abort();
    }
    if fail {
        return Err(std::io::Error::from_raw_os_error(libc::ENOSPC));
    }
    Ok(())
}

/// A fault point around a write of `bytes`: `Ok(None)` to write normally, `Ok(Some(n))` to
/// write only the first `n` bytes and then call `torn()`, or the injected full-disk error.
pub fn write_point(point: &'static str, bytes: usize) -> std::io::Result<Option<usize>> {
    let (crash, fail) = pass(point);
    if fail {
        return Err(std::io::Error::from_raw_os_error(libc::ENOSPC));
    }
    Ok(crash.then_some(bytes / 2))
}

/// Ends the process after a torn write (see `write_point`).
pub fn torn() -> ! {
    std::process::abort()
}
