//! Running the real binary from integration tests: its own data directory, a fixed clock and
//! a named officer.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_dutydesk");

/// `dutydesk ARGS` on `dir` at `now`, as 测试员 unless the test names another officer.
pub fn run(dir: &Path, now: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("DUTYDESK_DATA", dir)
        .env("DUTYDESK_NOW", now)
        .env("DUTYDESK_OFFICER", "测试员")
        .output()
        .expect("run dutydesk")
}

/// Like `run`, and the command must succeed.
pub fn must(dir: &Path, now: &str, args: &[&str]) -> Output {
    let o = run(dir, now, args);
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}
