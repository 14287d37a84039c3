//! The residency programme (四帮一体验) through the real binary: a round with orders and
//! placements (a named-cadre order met, one not), a cadre's full 五个一 with a problem raised
//! and closed through the ordinary loop, a problem that outlives the round (驻企遗留) in the
//! list and the handover until it is closed, the figures, the scores' CSV, and bad input.

use std::path::Path;
use std::process::Output;

mod common;

/// During the round (16–29 Nov 2026).
const DURING: &str = "2026-11-20T10:00:00";
/// After it.
const AFTER: &str = "2026-12-03T10:00:00";
const DAIKA: &str = "91440300708461136T";
const CHANGAN: &str = "91110000100003495Y";

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn ok(dir: &Path, now: &str, args: &[&str]) -> String {
    stdout(&common::must(dir, now, args))
}

fn json(dir: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, now, args)).expect("valid JSON")
}

/// Exit 2 with a message naming `field` and saying what to do; the journal unchanged.
fn refused(dir: &Path, args: &[&str], says: &[&str]) {
    let before = std::fs::read(dir.join("journal.jsonl")).unwrap();
    let o = common::run(dir, DURING, args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    let e = stderr(&o);
    for s in says {
        assert!(e.contains(s), "{args:?}: {e:?} should say {s:?}");
    }
    assert!(!e.contains("panicked"), "{e}");
    assert_eq!(
        before,
        std::fs::read(dir.join("journal.jsonl")).unwrap(),
        "{args:?} changed the journal"
    );
}

/// Enterprises, round 1, orders of Daika (economy and the named 张伟) and Changan (the named
/// 王磊, who goes elsewhere), and two placements.
fn programme() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        DURING,
        &["enterprise", "import", &common::fixture("enterprises.csv")],
    );
    let out = ok(
        d,
        DURING,
        &[
            "residency",
            "round",
            "add",
            "--no",
            "1",
            "--start",
            "2026-11-16",
            "--organisers",
            "区委组织部,区工商联",
        ],
    );
    // Two weeks by default.
    assert!(out.contains("2026-11-16 至 2026-11-29"), "{out}");
    ok(
        d,
        DURING,
        &[
            "residency",
            "order",
            "--round",
            "1",
            "--enterprise",
            DAIKA,
            "--units",
            "economy",
            "--cadres",
            "张伟",
            "--needs",
            "技改资金申报",
            "--visited",
            "2026-11-10",
        ],
    );
    ok(
        d,
        DURING,
        &[
            "residency",
            "order",
            "--round",
            "1",
            "--enterprise",
            CHANGAN,
            "--units",
            "区税务局",
            "--cadres",
            "王磊",
            "--visited",
            "2026-11-11",
        ],
    );
    let placed = ok(
        d,
        DURING,
        &[
            "residency",
            "place",
            "--round",
            "1",
            "--enterprise",
            DAIKA,
            "--cadre",
            "张伟/economy/科级",
            "--cadre",
            "王磊/tax/副科",
        ],
    );
    assert!(placed.starts_with("驻企安排 1"), "{placed}");
    let o = common::must(
        d,
        DURING,
        &[
            "residency",
            "place",
            "--round",
            "1",
            "--enterprise",
            CHANGAN,
            "--cadre",
            "李娜/区税务局",
            "--cadre",
            "赵敏/market",
        ],
    );
    // The firm asked for 王磊, who is not in this pair: the desk is told at once.
    assert!(stderr(&o).contains("企业点名要 王磊"), "{}", stderr(&o));
    dir
}

#[test]
fn the_matching_shows_the_named_cadre_placed_elsewhere() {
    let dir = programme();
    let d = dir.path();
    let m = json(
        d,
        DURING,
        &["residency", "match", "--round", "1", "--format", "json"],
    );
    // Daika's named 张伟 is there; Changan's 王磊 went to Daika.
    assert_eq!(
        m["named_missing"],
        serde_json::json!([[CHANGAN, "王磊", DAIKA]])
    );
    assert_eq!(m["unplaced"], serde_json::json!([]));
    assert_eq!(m["units_missing"], serde_json::json!([]));
    assert_eq!(m["double_booked"], serde_json::json!([]));
    let text = ok(d, DURING, &["residency", "match", "--round", "1"]);
    assert!(text.contains("点名干部未派到 (1)"), "{text}");
    assert!(text.contains("王磊（已派往 "), "{text}");
    // A cadre placed twice in the round is a double booking, warned and listed.
    let o = common::must(
        d,
        DURING,
        &[
            "residency",
            "place",
            "--round",
            "1",
            "--enterprise",
            CHANGAN,
            "--cadre",
            "张伟/economy",
            "--cadre",
            "孙丽/court",
        ],
    );
    assert!(stderr(&o).contains("重复安排"), "{}", stderr(&o));
    let m = json(
        d,
        DURING,
        &["residency", "match", "--round", "1", "--format", "json"],
    );
    assert_eq!(m["double_booked"][0][0]["name"], "张伟");
}

#[test]
fn a_full_five_ones_and_a_problem_followed_until_closed_after_the_round() {
    let dir = programme();
    let d = dir.path();
    let who = ["--placement", "1", "--cadre", "张伟"];
    let with = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        v.extend(who.iter().map(|s| s.to_string()));
        v
    };
    for args in [
        with(&[
            "residency",
            "policy",
            "--name",
            "技术改造专项资金",
            "--amount",
            "12.5万",
        ]),
        with(&[
            "residency",
            "suggestion",
            "--suggestion",
            "建议设立共享检测平台",
        ]),
        with(&["residency", "line-day", "--date", "2026-11-18"]),
        with(&["residency", "experience", "--title", "在车间的一天"]),
    ] {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(d, DURING, &a);
    }
    // Two problems raised in the placement: ordinary issues of channel 驻企干部, the firm's.
    let raise = |cadre: &str, text: &str| -> u64 {
        let v = json(
            d,
            DURING,
            &[
                "issue",
                "add",
                "--placement",
                "1",
                "--cadre",
                cadre,
                "--category",
                "融资信贷",
                "--text",
                text,
                "--format",
                "json",
            ],
        );
        assert_eq!(v["channel"], "residency");
        assert_eq!(v["credit_code"], DAIKA);
        assert_eq!(v["residency"]["placement"], 1);
        assert_eq!(v["residency"]["legacy"], false);
        v["id"].as_u64().unwrap()
    };
    let first = raise("张伟", "流动资金贷款续贷");
    let second = raise("王磊", "出口退税进度");
    let checklist = |now: &str| -> serde_json::Value {
        json(
            d,
            now,
            &["residency", "checklist", "--round", "1", "--format", "json"],
        )
    };
    let row = |v: &serde_json::Value, name: &str| -> serde_json::Value {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .cloned()
            .unwrap()
    };
    // Raised, not solved yet: four of five.
    assert_eq!(row(&checklist(DURING), "张伟")["done"], 4);
    // The closed loop solves it.
    let id = first.to_string();
    for args in [
        vec!["issue", "assign", &id, "fintech"],
        vec!["issue", "contact", &id],
        vec!["issue", "reply", &id, "--text", "已协调银行续贷"],
        vec!["issue", "resolve", &id],
    ] {
        ok(d, DURING, &args);
    }
    let v = checklist(DURING);
    assert_eq!(row(&v, "张伟")["done"], 5);
    assert_eq!(row(&v, "张伟")["five_ones"]["amount_fen"], 12_500_000);
    // Who is behind.
    let behind = json(
        d,
        DURING,
        &["residency", "checklist", "--behind", "--format", "json"],
    );
    let names: Vec<&str> = behind
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"张伟") && names.contains(&"王磊"),
        "{names:?}"
    );

    // The round is over; 王磊's problem is still open: 驻企遗留, in the list and the handover.
    let second_s = second.to_string();
    ok(d, DURING, &["issue", "assign", &second_s, "tax"]);
    let legacy = json(d, AFTER, &["issue", "list", "--legacy", "--format", "json"]);
    let ids: Vec<u64> = legacy
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![second]);
    assert_eq!(legacy[0]["residency"]["cadre"], "王磊");
    assert_eq!(legacy[0]["residency"]["cadre_unit"], "tax");
    let table = ok(d, AFTER, &["issue", "list"]);
    let line = table.lines().find(|l| l.starts_with(&second_s)).unwrap();
    assert!(line.contains("驻企遗留"), "{table}");
    let show = ok(d, AFTER, &["issue", "show", &second_s]);
    assert!(show.contains("王磊") && show.contains("驻企遗留"), "{show}");
    let brief = ok(d, AFTER, &["handover", "--since", "2026-12-03", "--full"]);
    assert!(brief.contains("驻企遗留"), "{brief}");
    assert!(brief.contains("王磊"), "{brief}");
    // Followed until closed: then it is no longer legacy.
    for args in [
        vec!["issue", "contact", &second_s],
        vec!["issue", "reply", &second_s, "--text", "已加快办理"],
        vec!["issue", "resolve", &second_s],
    ] {
        ok(d, AFTER, &args);
    }
    let legacy = json(d, AFTER, &["issue", "list", "--legacy", "--format", "json"]);
    assert_eq!(legacy, serde_json::json!([]));
    assert!(!ok(d, AFTER, &["handover", "--since", "2026-12-03", "--full"]).contains("驻企遗留"));

    // The figures.
    let r = json(d, AFTER, &["residency", "report", "--format", "json"]);
    let f = &r["rounds"][0]["figures"];
    assert_eq!(f["cadres"], 4);
    assert_eq!(f["firms"], 2);
    assert_eq!(f["orders"], 2);
    assert_eq!(f["policies"], 1);
    assert_eq!(f["funds_wan"], "12.50");
    assert_eq!(f["problems_raised"], 2);
    assert_eq!(f["problems_closed"], 2);
    assert_eq!(f["five_ones_complete"], 1);
    assert_eq!(f["five_ones_rate"], 25.0);
    assert_eq!(r["rounds"][0]["phase"], "ended");
    let md = ok(d, AFTER, &["residency", "report"]);
    assert!(md.contains("五个一完成率 25.0%"), "{md}");
}

#[test]
fn the_scores_go_out_as_csv_with_a_bom_and_close_with_the_round() {
    let dir = programme();
    let d = dir.path();
    ok(
        d,
        DURING,
        &[
            "residency",
            "score",
            "--placement",
            "1",
            "--cadre",
            "张伟",
            "--score",
            "5,4,5,5",
            "--comment",
            "工作扎实",
        ],
    );
    ok(
        d,
        DURING,
        &[
            "residency",
            "extend",
            "--placement",
            "1",
            "--reason",
            "项目申报关键期",
        ],
    );
    let csv = ok(d, DURING, &["residency", "scores", "--round", "1"]);
    assert!(csv.starts_with('\u{feff}'), "{csv:?}");
    assert!(csv.contains("工作态度"), "{csv}");
    assert!(
        csv.contains("张伟") && csv.contains("4.75") && csv.contains("工作扎实"),
        "{csv}"
    );
    // The desk's confirmation never echoes the scores back.
    let o = ok(
        d,
        DURING,
        &[
            "residency",
            "score",
            "--placement",
            "1",
            "--cadre",
            "王磊",
            "--score",
            "3,3,3,2",
        ],
    );
    assert!(!o.contains("3,3,3,2"), "{o}");
    ok(d, AFTER, &["residency", "round", "close", "--no", "1"]);
    let r = json(d, AFTER, &["residency", "report", "--format", "json"]);
    assert_eq!(r["rounds"][0]["phase"], "closed");
    assert_eq!(r["total"]["extensions"], 1);
    // A closed round takes nothing more.
    let o = common::run(
        d,
        AFTER,
        &[
            "residency",
            "suggestion",
            "--placement",
            "1",
            "--cadre",
            "张伟",
            "--suggestion",
            "x",
        ],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("已收官"), "{}", stderr(&o));
}

#[test]
fn bad_input_is_refused_with_what_to_do_and_changes_nothing() {
    let dir = programme();
    let d = dir.path();
    refused(
        d,
        &[
            "residency",
            "round",
            "add",
            "--no",
            "2",
            "--start",
            "2026-12-10",
            "--end",
            "2026-12-01",
            "--organisers",
            "区委组织部",
        ],
        &["结束日期", "早于开始日期"],
    );
    refused(
        d,
        &[
            "residency",
            "round",
            "add",
            "--no",
            "2",
            "--start",
            "2026-12-01",
            "--end",
            "2027-01-20",
            "--organisers",
            "区委组织部",
        ],
        &["结束日期", "两周"],
    );
    refused(
        d,
        &[
            "residency",
            "round",
            "add",
            "--no",
            "2",
            "--start",
            "26-12-1",
            "--organisers",
            "区委组织部",
        ],
        &["开始日期", "2026-12-01"],
    );
    refused(
        d,
        &[
            "residency",
            "place",
            "--round",
            "1",
            "--enterprise",
            DAIKA,
            "--cadre",
            "孙丽/court",
        ],
        &["干部", "两人一组"],
    );
    refused(
        d,
        &[
            "residency",
            "place",
            "--round",
            "1",
            "--enterprise",
            DAIKA,
            "--cadre",
            "孙丽",
            "--cadre",
            "周强/tax",
        ],
        &["干部", "姓名/单位/职级"],
    );
    refused(
        d,
        &[
            "residency",
            "place",
            "--round",
            "9",
            "--enterprise",
            DAIKA,
            "--cadre",
            "孙丽/court",
            "--cadre",
            "周强/tax",
        ],
        &["没有第 9 期"],
    );
    refused(
        d,
        &[
            "residency",
            "line-day",
            "--placement",
            "1",
            "--cadre",
            "张伟",
            "--date",
            "2026-12-05",
        ],
        &["日期", "不在本期 2026-11-16 至 2026-11-29 之内"],
    );
    refused(
        d,
        &[
            "residency",
            "policy",
            "--placement",
            "1",
            "--cadre",
            "张伟",
            "--name",
            "稳岗返还",
            "--amount",
            "一万",
        ],
        &["金额", "万元"],
    );
    refused(
        d,
        &[
            "residency",
            "score",
            "--placement",
            "1",
            "--cadre",
            "张伟",
            "--score",
            "5,6,5,5",
        ],
        &["评分", "1–5"],
    );
    refused(
        d,
        &[
            "residency",
            "suggestion",
            "--placement",
            "1",
            "--cadre",
            "孙丽",
            "--suggestion",
            "x",
        ],
        &["孙丽", "不在驻企安排 1 中"],
    );
    refused(
        d,
        &[
            "issue",
            "add",
            "--enterprise",
            DAIKA,
            "--category",
            "融资信贷",
            "--text",
            "x",
            "--channel",
            "residency",
        ],
        &["--placement"],
    );
    refused(
        d,
        &[
            "issue",
            "add",
            "--placement",
            "1",
            "--cadre",
            "张伟",
            "--enterprise",
            CHANGAN,
            "--category",
            "融资信贷",
            "--text",
            "x",
        ],
        &["不是该驻企安排的企业"],
    );
    // In English too.
    let o = common::run(
        d,
        DURING,
        &[
            "--lang",
            "en",
            "residency",
            "score",
            "--placement",
            "1",
            "--cadre",
            "张伟",
            "--score",
            "9",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--score") && stderr(&o).contains("1–5"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_ledger_lists_the_placements_in_the_firm() {
    let dir = programme();
    let d = dir.path();
    let v = json(
        d,
        DURING,
        &["enterprise", "show", DAIKA, "--format", "json"],
    );
    assert_eq!(v["placements"][0]["id"], 1);
    assert_eq!(
        v["placements"][0]["cadres"],
        serde_json::json!(["张伟", "王磊"])
    );
    let p = json(
        d,
        DURING,
        &[
            "residency",
            "placements",
            "--enterprise",
            DAIKA,
            "--format",
            "json",
        ],
    );
    assert_eq!(p.as_array().unwrap().len(), 1);
}

#[test]
fn the_store_reopens_with_the_programme_after_a_rebuild() {
    let dir = programme();
    let d = dir.path();
    let before = ok(d, DURING, &["residency", "report", "--format", "json"]);
    ok(d, DURING, &["rebuild"]);
    assert_eq!(
        before,
        ok(d, DURING, &["residency", "report", "--format", "json"])
    );
    let v = ok(d, DURING, &["verify"]);
    assert!(!v.contains("residency"), "{v}");
}
