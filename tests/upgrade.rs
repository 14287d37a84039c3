//! A store written by the previous landed version (journal format 1, a sled view beside it)
//! opens, verifies and keeps working: `tests/fixtures/store-v1` is such a store's journal,
//! made by that version's own demo and command line.

mod common;

use std::path::Path;

use common::{must, run};

const NOW: &str = "2026-11-20T10:00:00";
const EVENTS: u64 = 617;
const HEAD: &str = "b4f3df3a1247c883b3815c6e6da6167d6d985494829aa1b04c45e252fe1cd04c";

fn copy_fixture(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v1");
    std::fs::create_dir_all(to).unwrap();
    for f in ["journal.jsonl", "store.json"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
    // What that version left beside the journal: its sled view and views set aside.
    std::fs::create_dir_all(to.join("view/blobs")).unwrap();
    std::fs::write(to.join("view/db"), b"sled pages").unwrap();
    std::fs::create_dir_all(to.join("view.broken-20261101120000")).unwrap();
}

#[test]
fn a_version_1_store_opens_verifies_and_upgrades() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("store");
    copy_fixture(&d);
    let out = must(
        &d,
        NOW,
        &["verify", "--witness", &format!("{EVENTS}:{HEAD}")],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("校验通过"), "{text}");
    assert!(text.contains(&format!("{EVENTS}:{HEAD}")), "{text}");
    // The old view is a cache like any other: replaced, not kept.
    assert!(!d.join("view").exists());
    assert!(!d.join("view.broken-20261101120000").exists());
    let meta = std::fs::read_to_string(d.join("store.json")).unwrap();
    assert!(meta.contains("\"schema\":2"), "{meta}");

    let list = must(&d, NOW, &["issue", "list", "--format", "json"]);
    let issues: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 32);
    let count = |s: &str| issues.iter().filter(|i| i["status"] == s).count();
    assert_eq!(
        (
            count("closed"),
            count("replied"),
            count("in_progress"),
            count("assigned"),
            count("voided")
        ),
        (17, 5, 5, 4, 1)
    );
    // Issue 31 went through every step of the loop in that version.
    let show = must(&d, NOW, &["issue", "show", "31", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    let history = v["history"].as_array().expect("history");
    assert_eq!(history.len(), 8, "{v}");

    // It takes new records, in the new format, and stays verifiable.
    must(
        &d,
        NOW,
        &[
            "issue",
            "add",
            "--enterprise",
            "91110000100003495Y",
            "--category",
            "其他",
            "--text",
            "升级后的第一条",
        ],
    );
    let o = run(&d, NOW, &["verify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("{}", EVENTS + 1)));
}
