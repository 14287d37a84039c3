//! `dutydesk enterprise show`: the ledger page found by name, pinyin initials or credit code,
//! its JSON, and the refusals for an unknown or ambiguous enterprise.

mod common;

use common::{fixture, must, run};

const DAIKA: &str = "91440300708461136T";
const NOW: &str = "2026-10-20T10:00:00";

fn out(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Two enterprises; 戴卡 has an issue closed with an evaluation, a voided one and an open,
/// overdue one, and an inspection on a no-disturbance day.
fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t0 = "2026-09-01T09:00:00";
    must(
        d,
        t0,
        &["enterprise", "import", &fixture("enterprises.csv")],
    );
    let add = |text: &str, at: &str| {
        let args = [
            "issue",
            "add",
            "--enterprise",
            DAIKA,
            "--category",
            "融资信贷",
            "--text",
            text,
            "--contact",
            "张三",
            "--phone",
            "13812345678",
        ];
        must(d, at, &args);
    };
    add("续贷到期", "2026-09-01T10:00:00");
    must(d, "2026-09-02T10:00:00", &["issue", "assign", "1", "tax"]);
    must(d, "2026-09-02T11:00:00", &["issue", "contact", "1"]);
    must(
        d,
        "2026-09-03T10:00:00",
        &["issue", "reply", "1", "--text", "已协调续贷"],
    );
    let scores = [
        "--closeness",
        "5",
        "--integrity",
        "5",
        "--satisfaction",
        "4",
    ];
    let mut ev = vec!["issue", "evaluate", "1"];
    ev.extend(scores);
    must(d, "2026-09-04T10:00:00", &ev);
    add("重复登记的问题", "2026-09-05T10:00:00");
    must(
        d,
        "2026-09-05T11:00:00",
        &["issue", "void", "2", "--reason", "重复"],
    );
    add("用地审批", "2026-10-09T10:00:00");
    must(
        d,
        "2026-10-09T11:00:00",
        &["issue", "assign", "3", "housing"],
    );
    let insp = [
        "inspection",
        "add",
        "--unit",
        "market",
        "--enterprise",
        DAIKA,
        "--date",
        "2026-10-12",
        "--kind",
        "planned",
    ];
    must(d, NOW, &insp);
    dir
}

#[test]
fn by_full_name_a_readable_page_with_every_section() {
    let dir = store();
    let o = must(
        dir.path(),
        NOW,
        &["enterprise", "show", "重庆戴卡捷力轮毂制造有限公司"],
    );
    let page = out(&o);
    for want in [
        "企业问题困难动态台账 — 重庆戴卡捷力轮毂制造有限公司",
        DAIKA,
        "龙头企业",
        "高新技术企业",
        "未办结问题（1）",
        "已办结与作废（2）",
        "#3",
        "区住房城乡建委",
        "已协调续贷",
        "5/5/4",
        "检查报备（1）",
        "无扰日违规检查",
        "138****5678",
    ] {
        assert!(page.contains(want), "missing {want:?}:\n{page}");
    }
    assert!(!page.contains("13812345678"), "phones masked: {page}");
    // Open before closed.
    assert!(
        page.find("#3").unwrap() < page.find("#1 ").unwrap(),
        "{page}"
    );
    let en = out(&must(
        dir.path(),
        NOW,
        &["--lang", "en", "enterprise", "show", DAIKA],
    ));
    assert!(
        en.contains("Enterprise ledger") && en.contains("Open issues (1)"),
        "{en}"
    );
}

#[test]
fn by_pinyin_initials_and_by_code_the_same_enterprise() {
    let dir = store();
    let d = dir.path();
    let json = |key: &str| -> serde_json::Value {
        let o = must(d, NOW, &["enterprise", "show", key, "--format", "json"]);
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let by_code = json(DAIKA);
    let by_initials = json("cqdkjl");
    assert_eq!(by_code, by_initials);
    assert_eq!(by_code["enterprise"]["credit_code"], DAIKA);
    let lower = json(&DAIKA.to_lowercase());
    assert_eq!(lower["enterprise"]["credit_code"], DAIKA);
}

#[test]
fn the_json_shape_scripts_rely_on() {
    let dir = store();
    let o = must(
        dir.path(),
        NOW,
        &["enterprise", "show", DAIKA, "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["grade"], "leading");
    assert_eq!(v["counts"]["open"], 1);
    assert_eq!(v["counts"]["closed"], 1);
    assert_eq!(v["counts"]["voided"], 1);
    assert_eq!(v["counts"]["overdue"], 1);
    let issues = v["issues"].as_array().unwrap();
    let ids: Vec<u64> = issues.iter().map(|i| i["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [3, 2, 1], "open first, then the newest ended");
    assert_eq!(issues[0]["unit"]["id"], "housing");
    assert_eq!(issues[0]["contact"]["met"], false);
    assert_eq!(issues[2]["outcome"]["evaluation"]["satisfaction"], 4);
    assert_eq!(issues[1]["outcome"]["text"], "重复");
    assert_eq!(issues[0]["phone"], "138****5678");
    assert_eq!(v["evaluations"]["count"], 1);
    assert_eq!(v["evaluations"]["closeness"], 5.0);
    assert_eq!(v["inspections"][0]["violation"], true);
    assert_eq!(v["last_contact"], "2026-09-02");
    let full = must(
        dir.path(),
        NOW,
        &[
            "enterprise",
            "show",
            DAIKA,
            "--format",
            "json",
            "--show-pii",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&full.stdout).unwrap();
    assert_eq!(v["issues"][0]["phone"], "13812345678");
}

#[test]
fn an_unknown_enterprise_is_bad_input_and_says_how_to_find_it() {
    let dir = store();
    let o = run(dir.path(), NOW, &["enterprise", "show", "不存在的公司"]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains("不存在的公司") && e.contains("dutydesk enterprise search"),
        "{e}"
    );
    assert!(o.stdout.is_empty());
    let o = run(
        dir.path(),
        NOW,
        &["--lang", "en", "enterprise", "show", "nothing-like-it"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("no enterprise matches \"nothing-like-it\""),
        "{}",
        err(&o)
    );
}

#[test]
fn an_ambiguous_name_lists_the_candidates_with_their_codes() {
    let dir = store();
    let o = run(dir.path(), NOW, &["enterprise", "show", "重庆"]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains("匹配多家企业"), "{e}");
    assert!(e.contains(DAIKA) && e.contains("91110000100003495Y"), "{e}");
    assert!(
        e.contains("dutydesk enterprise show 统一社会信用代码"),
        "{e}"
    );
}
