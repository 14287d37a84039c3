//! What keeps costs following the open work: the search index saved beside the view (and
//! rebuilt whenever the enterprises change or the saved copy is damaged), and the bench that
//! measures it all, side by side across sizes.

mod common;

use common::{fixture, must, run};

const NOW: &str = "2026-11-20T10:00:00";

fn names(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_saved_search_index_follows_the_enterprises() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    must(d, NOW, &["enterprise", "import", &fixture("search.csv")]);
    assert!(names(&must(d, NOW, &["enterprise", "search", "cqdk"])).contains("戴卡"));
    let views = d.join("views");
    let current = std::fs::read_to_string(views.join("current")).unwrap();
    let cache = views.join(current.trim()).join("cache-search");
    assert!(cache.exists(), "the index is saved for the next process");
    // A new enterprise is found at once by the next process: the saved index is stale.
    must(
        d,
        NOW,
        &[
            "enterprise",
            "add",
            "--code",
            "91500107MA5U4XQ57T",
            "--name",
            "重庆渝北仙桃数据谷有限公司",
        ],
    );
    assert!(names(&must(d, NOW, &["enterprise", "search", "xtsjg"])).contains("仙桃数据谷"));
    // A damaged saved index is rebuilt, never trusted.
    let mut bytes = std::fs::read(&cache).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&cache, bytes).unwrap();
    assert!(names(&must(d, NOW, &["enterprise", "search", "xtsjg"])).contains("仙桃数据谷"));
    assert!(names(&must(d, NOW, &["enterprise", "search", "cqdk"])).contains("戴卡"));
}

#[test]
fn bench_sets_sizes_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        dir.path(),
        NOW,
        &["bench", "--sizes", "300,600", "--enterprises", "200"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = names(&o);
    for figure in [
        "open store",
        "durable commit",
        "rebuild 2 rate",
        "view / journal size, after rebuild 2",
        "whole process: issue show",
        "whole process: issue list --overdue",
        "whole process: enterprise search",
        "TUI launch to sign-in screen",
        "handover brief",
        "monthly report",
        "TUI keystroke on the issue list",
        "TUI keystroke in the enterprise picker",
    ] {
        assert!(text.contains(figure), "{figure} missing:\n{text}");
    }
    assert!(text.contains("growth: from 300 to 600 issues"), "{text}");
    let header = text.lines().nth(2).unwrap_or_default();
    assert!(header.contains("300") && header.contains("600"), "{header}");
    // The same figures for scripts.
    let o = run(
        dir.path(),
        NOW,
        &["bench", "--issues", "300", "--enterprises", "200", "--json"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let figs = v[0]["figures"].as_array().unwrap();
    let commit = figs
        .iter()
        .find(|f| f["name"] == "durable commit (issue add, fsync)")
        .unwrap();
    assert_eq!(commit["samples"], 500);
    assert!(commit["p99"].as_f64().unwrap() >= commit["p50"].as_f64().unwrap());
}
