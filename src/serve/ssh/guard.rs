//! Failed logins, counted per source address and per account, and the lockouts they earn.
//!
//! After `max_failures` failures within `window`, the subject (an address, or an account) is
//! locked out for `lockout`; each further lockout doubles that, up to `lockout_cap`. While it
//! is locked, attempts are refused without their credentials being checked. A subject is
//! forgotten (back to the first lockout's length) once it has stayed quiet, with no failure,
//! for `window` and for as long again as its last lockout after that ended, so an attacker who
//! resumes the moment a lockout ends meets a longer one, while someone who mistyped a week ago
//! starts afresh. A successful login clears its account (not its address: a valid account of
//! one's own must not wipe the address's record of guesses at other accounts).
//!
//! The state is one map behind one mutex, held only for a lookup or an update, never across
//! I/O, so it does not couple one client's connection to another's.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most this many subjects are remembered; past it, the expired ones are dropped, then the
/// oldest unlocked ones, so a flood of addresses cannot grow the map without bound.
const MAX_SUBJECTS: usize = 20_000;

/// What a failure is counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    Addr(IpAddr),
    Account(String),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Addr(a) => write!(f, "address {a}"),
            Subject::Account(n) => write!(f, "account {n:?}"),
        }
    }
}

/// The limits (from `SshOptions`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_failures: u32,
    pub window: Duration,
    pub lockout: Duration,
    pub lockout_cap: Duration,
}

#[derive(Debug, Clone)]
struct Record {
    /// Failures in the current window.
    failures: u32,
    window_start: Instant,
    last_failure: Instant,
    /// How many lockouts this subject has earned since it was last forgotten.
    lockouts: u32,
    locked_until: Option<Instant>,
    /// The length of the last lockout.
    last_lockout: Duration,
}

/// The failure counts of every subject.
#[derive(Debug)]
pub struct Guard {
    limits: Limits,
    records: Mutex<HashMap<Subject, Record>>,
}

impl Guard {
    pub fn new(limits: Limits) -> Guard {
        Guard {
            limits,
            records: Mutex::new(HashMap::new()),
        }
    }

    /// How much longer `subject` is locked out, if it is.
    pub fn locked(&self, subject: &Subject, now: Instant) -> Option<Duration> {
        let records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let until = records.get(subject)?.locked_until?;
        (until > now).then(|| until - now)
    }

    /// Counts one failure against `subject`. Returns the lockout it earned, if this failure
    /// completed `max_failures`.
    pub fn fail(&self, subject: Subject, now: Instant) -> Option<Duration> {
        let limits = self.limits;
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if records.len() >= MAX_SUBJECTS && !records.contains_key(&subject) {
            prune(&mut records, &limits, now);
            if records.len() >= MAX_SUBJECTS {
                // Every entry is a lockout in force: keep those rather than this one.
                return None;
            }
        }
        let r = records.entry(subject).or_insert_with(|| Record {
            failures: 0,
            window_start: now,
            last_failure: now,
            lockouts: 0,
            locked_until: None,
            last_lockout: Duration::ZERO,
        });
        if forgotten(r, &limits, now) {
            r.lockouts = 0;
            r.last_lockout = Duration::ZERO;
            r.failures = 0;
            r.window_start = now;
        }
        if r.locked_until.is_some_and(|u| u > now) {
            // Attempts while locked are refused unchecked and are not counted.
            return None;
        }
        if now.saturating_duration_since(r.window_start) > limits.window {
            r.failures = 0;
            r.window_start = now;
        }
        r.failures += 1;
        r.last_failure = now;
        if r.failures < limits.max_failures.max(1) {
            return None;
        }
        let factor = 1u32.checked_shl(r.lockouts.min(31)).unwrap_or(u32::MAX);
        let length = limits
            .lockout
            .checked_mul(factor)
            .unwrap_or(limits.lockout_cap)
            .min(limits.lockout_cap);
        r.lockouts = r.lockouts.saturating_add(1);
        r.locked_until = Some(now + length);
        r.last_lockout = length;
        r.failures = 0;
        r.window_start = now;
        Some(length)
    }

    /// Forgets `subject` (an account that has just logged in).
    pub fn clear(&self, subject: &Subject) {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        records.remove(subject);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.records.lock().unwrap().len()
    }
}

/// Whether a record has been quiet long enough to be forgotten.
fn forgotten(r: &Record, limits: &Limits, now: Instant) -> bool {
    if r.locked_until.is_some_and(|u| u > now) {
        return false;
    }
    let quiet_from_failure = r.last_failure + limits.window;
    let quiet_from_lockout = r
        .locked_until
        .map_or(r.last_failure, |u| u + r.last_lockout);
    now >= quiet_from_failure && now >= quiet_from_lockout
}

fn prune(records: &mut HashMap<Subject, Record>, limits: &Limits, now: Instant) {
    records.retain(|_, r| !forgotten(r, limits, now));
    if records.len() < MAX_SUBJECTS {
        return;
    }
    // Still full: drop the unlocked ones that failed longest ago, keeping lockouts in force.
    let mut unlocked: Vec<(Instant, Subject)> = records
        .iter()
        .filter(|(_, r)| r.locked_until.is_none_or(|u| u <= now))
        .map(|(s, r)| (r.last_failure, s.clone()))
        .collect();
    unlocked.sort_by_key(|(t, _)| *t);
    let excess = records.len() + 1 - MAX_SUBJECTS / 2;
    for (_, s) in unlocked.into_iter().take(excess) {
        records.remove(&s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    fn guard() -> Guard {
        Guard::new(Limits {
            max_failures: 3,
            window: 600 * S,
            lockout: 60 * S,
            lockout_cap: 300 * S,
        })
    }

    fn alice() -> Subject {
        Subject::Account("alice".into())
    }

    #[test]
    fn locked_after_max_failures_and_only_for_the_lockout() {
        let g = guard();
        let t0 = Instant::now();
        assert_eq!(g.fail(alice(), t0), None);
        assert_eq!(g.fail(alice(), t0 + S), None);
        assert_eq!(g.locked(&alice(), t0 + S), None);
        assert_eq!(g.fail(alice(), t0 + 2 * S), Some(60 * S));
        assert_eq!(g.locked(&alice(), t0 + 2 * S), Some(60 * S));
        assert_eq!(g.locked(&alice(), t0 + 61 * S), Some(S));
        assert_eq!(g.locked(&alice(), t0 + 62 * S), None);
        // Another subject is untouched.
        assert_eq!(g.locked(&Subject::Account("bob".into()), t0 + 2 * S), None);
    }

    #[test]
    fn the_lockout_doubles_up_to_the_cap() {
        let g = guard();
        let mut t = Instant::now();
        let mut lengths = Vec::new();
        for _ in 0..5 {
            let mut got = None;
            for _ in 0..3 {
                got = g.fail(alice(), t);
                t += S;
            }
            let length = got.expect("locked after three");
            lengths.push(length);
            // Resume the moment it ends.
            t += length;
        }
        assert_eq!(lengths, vec![60 * S, 120 * S, 240 * S, 300 * S, 300 * S]);
    }

    #[test]
    fn failures_while_locked_are_not_counted() {
        let g = guard();
        let t0 = Instant::now();
        for i in 0..3 {
            g.fail(alice(), t0 + i * S);
        }
        for i in 0..10 {
            assert_eq!(g.fail(alice(), t0 + (3 + i) * S), None);
        }
        // Still the first lockout's end.
        assert_eq!(g.locked(&alice(), t0 + 62 * S), None);
    }

    #[test]
    fn failures_spread_wider_than_the_window_do_not_lock() {
        let g = guard();
        let t0 = Instant::now();
        for i in 0..10 {
            assert_eq!(g.fail(alice(), t0 + i * 301 * S), None);
        }
    }

    #[test]
    fn forgotten_after_a_quiet_period_as_long_as_the_last_lockout() {
        let g = guard();
        let t0 = Instant::now();
        for i in 0..3 {
            g.fail(alice(), t0 + i * S);
        }
        // Locked until t0+62; forgotten from max(t0+2+600, t0+62+60).
        let later = t0 + 700 * S;
        for i in 0..2 {
            g.fail(alice(), later + i * S);
        }
        assert_eq!(
            g.fail(alice(), later + 2 * S),
            Some(60 * S),
            "back to the first"
        );
    }

    #[test]
    fn clear_forgets_the_account() {
        let g = guard();
        let t0 = Instant::now();
        for i in 0..3 {
            g.fail(alice(), t0 + i * S);
        }
        assert!(g.locked(&alice(), t0 + 3 * S).is_some());
        g.clear(&alice());
        assert_eq!(g.locked(&alice(), t0 + 3 * S), None);
        assert_eq!(g.len(), 0);
    }

    #[test]
    fn the_map_is_bounded_and_keeps_lockouts_in_force() {
        let g = guard();
        let t0 = Instant::now();
        for i in 0..3 {
            g.fail(alice(), t0 + i * S);
        }
        for i in 0..(MAX_SUBJECTS as u32 + 100) {
            let ip = IpAddr::from([10, (i >> 16) as u8, (i >> 8) as u8, i as u8]);
            g.fail(Subject::Addr(ip), t0 + 3 * S);
        }
        assert!(g.len() <= MAX_SUBJECTS);
        assert!(g.locked(&alice(), t0 + 4 * S).is_some());
    }
}
