//! Stores written by earlier landed versions open, verify and keep working:
//! `tests/fixtures/store-v1` is the journal of a store with a sled view beside it (journal
//! format 1), made by that version's own demo and command line; `tests/fixtures/store-v2` a
//! whole store — journal and checked view — made by the version before the shared desk (no
//! accounts, no 签收, issues without versions), through its command line;
//! `tests/fixtures/store-v3` a store made by the version before districts (no `district` in
//! the event envelope); `tests/fixtures/store-v4` a store made by the version before the
//! residency programme (its view in the format before it), with a district configured.

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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A copy of fixture `name`, verified against the chain head it was made with, and its
/// issues as `issue list --format json` gives them.
fn open_fixture(
    name: &str,
    head: &str,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Vec<serde_json::Value>,
) {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("store");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        &d,
    );
    let out = must(&d, NOW, &["verify", "--witness", head]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(head));
    let list = must(&d, NOW, &["issue", "list", "--format", "json"]);
    let issues = serde_json::from_slice(&list.stdout).unwrap();
    (t, d, issues)
}

fn statuses(issues: &[serde_json::Value]) -> Vec<&str> {
    issues
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect()
}

#[test]
fn a_store_from_before_the_shared_desk_opens_verifies_and_takes_the_new_steps() {
    const HEAD_V2: &str = "24:ff65e91577e9490c59f5289415d27de3e709288bf0bba3c4e451b038ed290d0c";
    let (t, d, issues) = open_fixture("store-v2", HEAD_V2);
    assert_eq!(
        statuses(&issues),
        ["closed", "logged", "assigned", "logged", "voided"]
    );
    assert_eq!(issues[2]["unit_id"], "court", "transferred there");
    assert_eq!(issues[1]["supervised"], true);
    let show = must(&d, NOW, &["issue", "show", "1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    let steps: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["by"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["张敏"; 6], "{v}");
    // The new steps: the unit signs for its issue, an account is added; still verifiable.
    must(&d, NOW, &["issue", "receive", "3"]);
    let key = t.path().join("k.pub");
    std::fs::write(
        &key,
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl court\n",
    )
    .unwrap();
    must(
        &d,
        NOW,
        &[
            "account",
            "add",
            "court",
            "--role",
            "unit",
            "--unit",
            "court",
            "--key",
            key.to_str().unwrap(),
        ],
    );
    let show = must(&d, NOW, &["issue", "show", "3", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    let last = v["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["type"].as_str(), last["unit"].as_str()),
        (Some("issue_received"), Some("court"))
    );
    let o = run(&d, NOW, &["verify", "--witness", HEAD_V2]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("27:"),
        "signed for, account saved, key added"
    );
}

#[test]
fn a_store_from_before_districts_opens_verifies_and_records_the_district_from_then_on() {
    const HEAD_V3: &str = "15:e5433401e06f73b08c1b5218995cf409a38658e44a378099c6f5a4f6a207a008";
    let (_t, d, issues) = open_fixture("store-v3", HEAD_V3);
    assert_eq!(statuses(&issues), ["closed", "assigned", "voided"]);
    assert_eq!(issues[1]["unit_id"], "court", "transferred there");
    // Once the district is configured, new events carry it; old ones stay as written.
    std::fs::write(
        d.join("config.toml"),
        "[district]\ncode = \"500107\"\nname = \"九龙坡区\"\n",
    )
    .unwrap();
    must(&d, NOW, &["issue", "note", "2", "--text", "法院已受理"]);
    let journal = std::fs::read_to_string(d.join("journal.jsonl")).unwrap();
    let lines: Vec<&str> = journal.lines().collect();
    assert!(lines.last().unwrap().contains("\"district\":\"500107\""));
    assert!(lines[..lines.len() - 1]
        .iter()
        .all(|l| !l.contains("\"district\":\"500107\"")));
    let o = run(&d, NOW, &["verify", "--witness", HEAD_V3]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("16:"));
}

#[test]
fn a_store_from_before_the_residency_programme_opens_verifies_and_takes_a_round() {
    const HEAD_V4: &str = "10:89393d14a75ea89c358c422f0d4a172bbc9413330169d438cf6ec044e936c1b4";
    let (_t, d, issues) = open_fixture("store-v4", HEAD_V4);
    assert_eq!(statuses(&issues), ["closed", "assigned"]);
    // The view was rebuilt in the new format; the programme starts empty and takes a round.
    let out = must(&d, NOW, &["residency", "round", "list", "--format", "json"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    for args in [
        vec![
            "residency",
            "round",
            "add",
            "--no",
            "1",
            "--start",
            "2026-11-16",
            "--organisers",
            "区委组织部",
        ],
        vec![
            "residency",
            "place",
            "--round",
            "1",
            "--enterprise",
            "91440300708461136T",
            "--cadre",
            "张伟/economy",
            "--cadre",
            "李娜/tax",
        ],
        vec![
            "issue",
            "add",
            "--placement",
            "1",
            "--cadre",
            "张伟",
            "--category",
            "融资信贷",
            "--text",
            "续贷",
        ],
    ] {
        must(&d, NOW, &args);
    }
    let journal = std::fs::read_to_string(d.join("journal.jsonl")).unwrap();
    let linked = journal
        .lines()
        .find(|l| l.contains("residency_issue_linked"))
        .unwrap();
    assert!(linked.contains("\"district\":\"500107\""), "{linked}");
    let o = run(&d, NOW, &["verify", "--witness", HEAD_V4]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("14:"));
    let list = must(&d, NOW, &["issue", "list", "--format", "json"]);
    let v: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v[2]["channel"], "residency");
    assert_eq!(v[2]["residency"]["placement"], 1);
}
