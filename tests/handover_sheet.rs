//! The short handover sheet: the note first, this shift's own items, the backlog as counts
//! with the top overdue items; Markdown and an 80-column page with signatures; `--full` keeps
//! the whole brief.

mod common;

use common::{fixture, must};
use unicode_width::UnicodeWidthStr;

const NOW: &str = "2026-10-30T18:00:00";
const SINCE: &str = "2026-10-30T08:00";

fn text(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// 14 old issues left overdue, and 2 logged during the shift (one with a long description).
fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    must(
        d,
        "2026-09-01T09:00:00",
        &["enterprise", "import", &fixture("enterprises.csv")],
    );
    for k in 0..14 {
        let at = format!("2026-10-{:02}T10:00:00", 8 + k % 5);
        let args = [
            "issue",
            "add",
            "--enterprise",
            "91440300708461136T",
            "--category",
            "融资信贷",
            "--text",
            "旧问题",
            "--phone",
            "13912345678",
        ];
        must(d, &at, &args);
    }
    let long =
        "企业反映厂区周边道路长期积水，影响货车通行和员工上下班安全，希望相关部门尽快协调排水改造"
            .repeat(2);
    for text in ["本班登记的问题", long.as_str()] {
        let args = [
            "issue",
            "add",
            "--enterprise",
            "91110000100003495Y",
            "--category",
            "用地用房",
            "--text",
            text,
            "--phone",
            "13912345678",
        ];
        must(d, "2026-10-30T10:00:00", &args);
    }
    dir
}

#[test]
fn the_sheet_lists_own_items_then_counts_and_the_top_ten() {
    let dir = store();
    let md = text(&must(dir.path(), NOW, &["handover", "--since", SINCE]));
    let pos = |s: &str| md.find(s).unwrap_or_else(|| panic!("no {s:?} in\n{md}"));
    assert!(pos("## 交接留言") < pos("## 本班事项（2）"), "{md}");
    assert!(pos("## 本班事项（2）") < pos("## 待办概况"), "{md}");
    assert!(pos("## 待办概况") < pos("## 最需跟进"), "{md}");
    assert!(md.contains("已逾期：14"), "{md}");
    assert!(
        md.contains("最需跟进（14 项中的前 10 项，逾期在前）"),
        "{md}"
    );
    assert!(
        md.contains("另有 4 项") && md.contains("dutydesk handover --full"),
        "{md}"
    );
    assert!(md.contains("登记 #15"), "{md}");
    let listed = md
        .lines()
        .filter(|l| l.contains("逾期") && l.starts_with("- #"))
        .count();
    assert_eq!(listed, 10, "{md}");
    assert!(
        md.contains("139****5678") && !md.contains("13912345678"),
        "{md}"
    );
    assert!(md.contains("交班人签字"), "{md}");
}

#[test]
fn the_printed_page_fits_80_columns_and_ends_with_signatures() {
    let dir = store();
    for lang in ["zh", "en"] {
        let page = text(&must(
            dir.path(),
            NOW,
            &[
                "--lang", lang, "handover", "--since", SINCE, "--format", "text",
            ],
        ));
        for l in page.lines() {
            assert!(l.width() <= 80, "{} columns: {l:?}", l.width());
        }
        let last = page.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
        let want = if lang == "zh" {
            "交班人签字"
        } else {
            "Handed over by"
        };
        assert!(last.contains(want), "{last}");
        // The long description is wrapped, not cut: every character of it is there.
        let joined: String = page.lines().map(str::trim).collect();
        let head = if lang == "zh" {
            "本班事项"
        } else {
            "This shift's items"
        };
        assert!(joined.contains(head), "{page}");
        assert!(joined.contains("企业反映厂区周边道路长期积水"), "{page}");
    }
}

#[test]
fn full_and_json_keep_every_item() {
    let dir = store();
    let full = text(&must(
        dir.path(),
        NOW,
        &["handover", "--since", SINCE, "--full"],
    ));
    assert!(full.contains("## 已逾期（14）"), "{full}");
    assert!(full.contains("## VIP 企业待办"), "{full}");
    assert!(!full.contains("交班人签字"), "the full brief as before");
    let v: serde_json::Value = serde_json::from_slice(
        &must(
            dir.path(),
            NOW,
            &["handover", "--since", SINCE, "--format", "json"],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(v["overdue"].as_array().unwrap().len(), 14);
    assert_eq!(v["logged"].as_array().unwrap().len(), 2);
}
