//! The store's guarantees, checked in-process: batches are all or nothing, the view heals
//! from any damage, a damaged or shortened journal is reported and served read-only, seals
//! and witnesses catch a rewritten chain, and everything is private on disk.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::domain::{Channel, Enterprise};

const CODE: &str = "91440300708461136T";

fn t(min: i64) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 2)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        + chrono::Duration::minutes(min)
}

fn enterprise() -> EventKind {
    EventKind::EnterpriseSaved {
        enterprise: Enterprise {
            credit_code: CODE.into(),
            name: "重庆戴卡捷力轮毂制造有限公司".into(),
            district: String::new(),
            grade: None,
            vip: vec![],
            contact: String::new(),
            phone: String::new(),
        },
    }
}

fn logged(id: u64, text: &str) -> EventKind {
    EventKind::IssueLogged {
        id,
        enterprise: CODE.into(),
        enterprise_name: "重庆戴卡捷力轮毂制造有限公司".into(),
        category: "其他".into(),
        channel: Channel::WalkIn,
        contact_name: String::new(),
        phone: String::new(),
        description: text.into(),
        contact_due: t(0).date() + chrono::Duration::days(2),
        reply_due: t(0).date() + chrono::Duration::days(7),
        beyond_calendar: false,
    }
}

fn void(id: u64) -> EventKind {
    EventKind::IssueVoided {
        id,
        reason: "重复".into(),
    }
}

/// A store with an enterprise and `n` issues, every third one voided (so it goes cold at a
/// checkpoint).
fn filled(dir: &Path, n: u64) -> Store {
    let mut s = Store::open(dir).unwrap();
    s.commit(t(0), "甲", vec![enterprise()]).unwrap();
    for id in 1..=n {
        s.commit(t(id as i64), "甲", vec![logged(id, &format!("问题{id}"))])
            .unwrap();
        if id % 3 == 0 {
            s.commit(t(id as i64), "乙", vec![void(id)]).unwrap();
        }
    }
    s
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn journal(dir: &Path) -> PathBuf {
    dir.join(JOURNAL)
}

fn ids(s: &Store) -> Vec<u64> {
    s.issues().unwrap().iter().map(|i| i.id).collect()
}

#[test]
fn a_batch_cut_short_is_dropped_whole() {
    let d = tempfile::tempdir().unwrap();
    let mut s = filled(d.path(), 2);
    let before = std::fs::metadata(journal(d.path())).unwrap().len();
    // What the view notes after each commit, as a crash inside the next write leaves it.
    let head = current_gen(d.path()).join("head");
    let noted = std::fs::read(&head).unwrap();
    s.commit_each(
        (3..=5)
            .map(|i| (t(9), "甲".into(), logged(i, "批量")))
            .collect(),
    )
    .unwrap();
    drop(s);
    let text = std::fs::read_to_string(journal(d.path())).unwrap();
    let tail: Vec<&str> = text[before as usize..].lines().collect();
    assert_eq!(tail.len(), 5, "begin, three events, commit: {tail:?}");
    assert!(tail[0].starts_with("{\"batch\":\"begin\"") && tail[4].contains("\"commit\""));
    // A crash after two of the three events (no commit line): none of the batch survives.
    let cut = before as usize + tail[..3].iter().map(|l| l.len() + 1).sum::<usize>();
    std::fs::write(journal(d.path()), &text[..cut]).unwrap();
    std::fs::write(&head, noted).unwrap();
    let s = Store::open(d.path()).unwrap();
    assert_eq!(ids(&s), vec![1, 2]);
    assert_eq!(s.last_seq(), 3);
    assert_eq!(
        std::fs::metadata(journal(d.path())).unwrap().len(),
        before,
        "cut back to before the batch"
    );
    assert!(s.verify(&[], None).unwrap().ok());
}

#[test]
fn an_operation_of_many_commits_is_all_or_nothing() {
    let d = tempfile::tempdir().unwrap();
    let mut s = filled(d.path(), 1);
    s.begin_batch().unwrap();
    s.commit(t(5), "甲", vec![logged(2, "二")]).unwrap();
    s.commit(t(6), "甲", vec![logged(3, "三")]).unwrap();
    assert_eq!(
        s.max_issue_id().unwrap(),
        3,
        "the batch sees its own events"
    );
    s.abort_batch().unwrap();
    assert_eq!(ids(&s), vec![1]);
    assert_eq!(s.max_issue_id().unwrap(), 1);
    // A batch open when the process dies is not kept either: open a copy of the files as
    // they are on disk at that moment.
    s.begin_batch().unwrap();
    s.commit(t(7), "甲", vec![logged(2, "二")]).unwrap();
    let crashed = tempfile::tempdir().unwrap();
    copy_tree(d.path(), crashed.path());
    std::fs::remove_file(crashed.path().join("lock")).unwrap();
    let c = Store::open(crashed.path()).unwrap();
    assert_eq!(ids(&c), vec![1]);
    assert!(c.verify(&[], None).unwrap().ok());
    drop(c);
    s.abort_batch().unwrap();
    s.begin_batch().unwrap();
    s.commit(t(8), "甲", vec![logged(2, "二")]).unwrap();
    s.commit(t(8), "甲", vec![logged(3, "三")]).unwrap();
    s.commit_batch().unwrap();
    drop(s);
    let s = Store::open(d.path()).unwrap();
    assert_eq!(ids(&s), vec![1, 2, 3]);
    assert!(s.verify(&[], None).unwrap().view_in_step);
}

#[test]
fn closed_issues_move_to_disk_and_every_query_still_finds_them() {
    let d = tempfile::tempdir().unwrap();
    let mut s = filled(d.path(), 30);
    let before = s.issues().unwrap();
    s.flush_view().unwrap();
    assert_eq!(s.view_sizes().0, 20, "the ten voided ones left memory");
    assert_eq!(s.issues().unwrap(), before);
    assert_eq!(s.issues_by_status(IssueStatus::Voided).unwrap().len(), 10);
    assert_eq!(s.issues_by_enterprise(CODE).unwrap().len(), 30);
    assert_eq!(s.issue(9).unwrap().unwrap().status, IssueStatus::Voided);
    assert_eq!(s.history(9).unwrap().len(), 2);
    drop(s);
    let s = Store::open(d.path()).unwrap();
    assert_eq!(s.issues().unwrap(), before);
    assert!(s.verify(&[], None).unwrap().view_in_step);
}

fn current_gen(dir: &Path) -> PathBuf {
    let name = std::fs::read_to_string(dir.join("views/current")).unwrap();
    dir.join("views").join(name.trim())
}

#[test]
fn a_damaged_view_is_rebuilt_never_trusted() {
    let d = tempfile::tempdir().unwrap();
    let mut s = filled(d.path(), 30);
    s.flush_view().unwrap();
    let want = s.issues().unwrap();
    drop(s);
    let g = current_gen(d.path());
    // A flipped byte in the snapshot.
    let mut snap = std::fs::read(g.join("snapshot")).unwrap();
    let mid = snap.len() / 2;
    snap[mid] ^= 0x55;
    std::fs::write(g.join("snapshot"), &snap).unwrap();
    let s = Store::open(d.path()).unwrap();
    assert_eq!(s.issues().unwrap(), want);
    assert!(
        !g.exists(),
        "the damaged generation is gone, not kept aside"
    );
    drop(s);
    // A truncated record file.
    let g = current_gen(d.path());
    let cold = std::fs::OpenOptions::new()
        .write(true)
        .open(g.join("cold"))
        .unwrap();
    cold.set_len(10).unwrap();
    let s = Store::open(d.path()).unwrap();
    assert_eq!(s.issues().unwrap(), want);
    drop(s);
    // Random bytes inside a record, found only when it is read: healed on the spot.
    let g = current_gen(d.path());
    let len = std::fs::metadata(g.join("cold")).unwrap().len();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(g.join("cold"))
        .unwrap();
    use std::os::unix::fs::FileExt;
    f.write_all_at(&[0xAB; 40], len / 2).unwrap();
    let s = Store::open(d.path()).unwrap();
    assert_eq!(s.issues().unwrap(), want);
    assert_ne!(current_gen(d.path()), g);
    // Nothing piles up under views/: the current generation and its name only.
    let entries = std::fs::read_dir(d.path().join("views")).unwrap().count();
    assert_eq!(entries, 2);
}

#[test]
fn verify_compares_content_and_repairs_the_view() {
    let d = tempfile::tempdir().unwrap();
    let mut s = filled(d.path(), 12);
    s.flush_view().unwrap();
    drop(s);
    // A view that reads fine but says something else: issue 5's record replaced by a copy
    // of issue 4's state under its id, with a valid snapshot digest.
    let g = current_gen(d.path());
    let payload = view_tamper(&g);
    assert!(payload);
    let s = Store::open(d.path()).unwrap();
    let r = s.verify(&[], None).unwrap();
    assert!(!r.view_in_step);
    assert!(r.repaired.contains(&"issues".to_string()), "{r:?}");
    let r = s.verify(&[], None).unwrap();
    assert!(r.view_in_step && r.ok(), "{r:?}");
    assert_eq!(s.issue(5).unwrap().unwrap().description, "问题5");
}

/// Rewrites the current generation's snapshot with issue 5's description changed (a view
/// that is internally sound but wrong).
fn view_tamper(g: &Path) -> bool {
    super::view::tamper_for_tests(g, 5, "篡改")
}

#[test]
fn a_journal_damaged_after_the_checkpoint_is_reported_and_served_read_only() {
    let d = tempfile::tempdir().unwrap();
    let mut s = filled(d.path(), 6);
    s.flush_view().unwrap();
    s.commit(t(50), "甲", vec![logged(7, "检查点之后")])
        .unwrap();
    s.commit(t(51), "甲", vec![logged(8, "再一条")]).unwrap();
    drop(s);
    let text = std::fs::read_to_string(journal(d.path())).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    let damaged = text.replacen("检查点之后", "检查点之前", 1);
    std::fs::write(journal(d.path()), damaged).unwrap();
    let mut s = Store::open(d.path()).unwrap();
    match s.degraded() {
        Some(Degraded::Damaged { line, .. }) => assert_eq!(line as usize, n - 1),
        other => panic!("expected damage, got {other:?}"),
    }
    // The records up to the damage are there to read; nothing can be changed.
    assert_eq!(ids(&s), vec![1, 2, 3, 4, 5, 6]);
    match s.commit(t(60), "甲", vec![logged(9, "x")]) {
        Err(CommitError::Store(StoreError::ReadOnly(_))) => {}
        other => panic!("expected read-only, got {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(journal(d.path()))
            .unwrap()
            .lines()
            .count(),
        n
    );
    let r = s.verify(&[], None).unwrap();
    assert_eq!(r.damage.as_ref().map(|d| d.0), Some(n as u64 - 1));
    // A rebuild cannot get past the damage: it says so and keeps what there is.
    match s.rebuild_view() {
        Err(StoreError::Corrupt { line, .. }) => assert_eq!(line as usize, n - 1),
        other => panic!("expected the damaged line, got {other:?}"),
    }
    assert_eq!(ids(&s), vec![1, 2, 3, 4, 5, 6]);
}

#[test]
fn a_journal_damaged_before_the_checkpoint_is_found_by_verify() {
    let d = tempfile::tempdir().unwrap();
    let mut s = filled(d.path(), 6);
    s.flush_view().unwrap();
    drop(s);
    let text = std::fs::read_to_string(journal(d.path())).unwrap();
    let line = text.lines().position(|l| l.contains("问题2")).unwrap() + 1;
    // The same length, so every later event stays where the view knows it.
    std::fs::write(journal(d.path()), text.replacen("问题2", "问题7", 1)).unwrap();
    let s = Store::open(d.path()).unwrap();
    assert!(
        s.degraded().is_none(),
        "open reads only after its checkpoint"
    );
    let r = s.verify(&[], None).unwrap();
    assert_eq!(r.damage.map(|d| d.0), Some(line as u64));
}

#[test]
fn a_shortened_journal_is_not_silently_accepted() {
    let d = tempfile::tempdir().unwrap();
    let s = filled(d.path(), 5);
    let head = s.chain_head();
    drop(s);
    let text = std::fs::read_to_string(journal(d.path())).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let cut: String = lines[..lines.len() - 1]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(journal(d.path()), &cut).unwrap();
    let mut s = Store::open(d.path()).unwrap();
    assert!(
        matches!(s.degraded(), Some(Degraded::Diverged { view_seq, .. }) if view_seq == head.seq),
        "{:?}",
        s.degraded()
    );
    assert!(s.commit(t(9), "甲", vec![logged(9, "x")]).is_err());
    // Shortened and the view deleted too: only a witness can tell.
    drop(s);
    std::fs::remove_dir_all(d.path().join("views")).unwrap();
    let s = Store::open(d.path()).unwrap();
    assert!(s.degraded().is_none());
    let w = Witness::parse(&head.to_string()).unwrap();
    let r = s.verify(&[w], None).unwrap();
    assert!(!r.ok());
    assert_eq!(r.witnesses[0].found, None);
    // An explicit rebuild accepts a journal as it stands.
    drop(s);
    let mut s = Store::open(d.path()).unwrap();
    s.rebuild_view().unwrap();
    assert!(s.commit(t(9), "甲", vec![logged(9, "x")]).is_ok());
}

/// Rewrites every event line from `from_seq` on with `edit` applied to its record, and
/// recomputes the chain (and the seals, under `key`) as a forger with write access would.
fn forge(path: &Path, edit: impl Fn(&mut serde_json::Value), key: Option<&SealKey>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut prev = GENESIS.to_string();
    let mut out = String::new();
    let mut batch = 0;
    for l in text.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        if let Some(kind) = v.get("batch").and_then(|b| b.as_str()) {
            if kind == "begin" {
                batch = 0;
                out.push_str(l);
            } else {
                let seq = v["seq"].as_u64().unwrap();
                out.push_str(&format!(
                    "{{\"batch\":\"commit\",\"events\":{batch},\"seq\":{seq},\"hash\":\"{prev}\"}}"
                ));
            }
            out.push('\n');
            continue;
        }
        let mut rec = v["rec"].clone();
        edit(&mut rec);
        let rec: Recorded = serde_json::from_value(rec).unwrap();
        let (line, hash, _) = journal::format_line(&prev, &rec, key);
        out.push_str(&line);
        prev = hash;
        batch += 1;
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn a_recomputed_chain_fails_its_witness_and_its_seal() {
    let outside = tempfile::tempdir().unwrap();
    let key_path = outside.path().join("key");
    let key = SealKey::generate(&key_path).unwrap();
    let d = tempfile::tempdir().unwrap();
    let opts = OpenOptions {
        key: Some(key.clone()),
        progress: None,
    };
    let mut s = Store::open_with(d.path(), opts.clone()).unwrap();
    s.commit(t(0), "甲", vec![enterprise()]).unwrap();
    for id in 1..=4 {
        s.commit(t(id as i64), "甲", vec![logged(id, "原文")])
            .unwrap();
    }
    let head = s.chain_head();
    let r = s
        .verify(&[Witness::parse(&head.to_string()).unwrap()], None)
        .unwrap();
    assert!(r.ok() && r.key_checked && r.sealed_events == 5, "{r:?}");
    drop(s);
    // Writes need the key once the journal is sealed; a wrong key is refused.
    let mut s = Store::open(d.path()).unwrap();
    assert!(matches!(
        s.commit(t(9), "甲", vec![logged(5, "x")]),
        Err(CommitError::Store(StoreError::NeedKey))
    ));
    drop(s);
    let wrong = SealKey::from_bytes(vec![1; 32]);
    let mut s = Store::open_with(
        d.path(),
        OpenOptions {
            key: Some(wrong.clone()),
            progress: None,
        },
    )
    .unwrap();
    assert!(matches!(
        s.commit(t(9), "甲", vec![logged(5, "x")]),
        Err(CommitError::Store(StoreError::WrongKey { .. }))
    ));
    drop(s);
    // The forger rewrites an old event's text and author and recomputes every hash; without
    // the key the seals can only be dropped or left stale.
    let original = std::fs::read_to_string(journal(d.path())).unwrap();
    let rewrite = |rec: &mut serde_json::Value| {
        if rec["seq"] == 3 {
            rec["description"] = "改写".into();
            rec["by"] = "丙".into();
        }
    };
    for forger_key in [None, Some(&wrong)] {
        std::fs::write(journal(d.path()), &original).unwrap();
        forge(&journal(d.path()), rewrite, forger_key);
        std::fs::remove_dir_all(d.path().join("views")).unwrap();
        let s = Store::open(d.path()).unwrap();
        // Without the key and a witness the chain looks whole…
        assert!(s.verify(&[], None).unwrap().ok());
        // …but the witness printed earlier does not match,
        let w = Witness::parse(&head.to_string()).unwrap();
        let r = s.verify(&[w], None).unwrap();
        assert!(!r.ok(), "witness must catch the rewrite: {r:?}");
        assert!(r.witnesses[0].found.is_some());
        // and under the key the seals fail.
        let r = s.verify(&[], Some(&key)).unwrap();
        assert!(!r.ok(), "the key must catch the rewrite: {r:?}");
    }
}

#[test]
fn the_store_is_private_on_disk_whatever_the_umask() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.join("journal.jsonl"), b"").unwrap();
    std::fs::set_permissions(
        dir.join("journal.jsonl"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let mut s = filled(&dir, 4);
    s.flush_view().unwrap();
    let backup = d.path().join("backup");
    s.backup(&backup).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        out.push(p.to_path_buf());
        if p.is_dir() {
            for e in std::fs::read_dir(p).unwrap() {
                walk(&e.unwrap().path(), out);
            }
        }
    }
    let mut all = vec![];
    walk(&dir, &mut all);
    walk(&backup, &mut all);
    for p in all {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&p), want, "{}", p.display());
    }
}
