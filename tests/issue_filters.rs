//! Issue lists through the real binary: filters (category, channel, dates, pinyin text),
//! the pinyin sort, supervision levels and due dates, escalation, callbacks due, the suggested
//! unit, and the refusals that name their field and change nothing.

mod common;

use std::path::Path;

use common::{must, run};
use dutydesk::domain::credit_code;

/// Monday; the issues are logged over that week.
const MON: &str = "2026-11-16T09:00:00";
const WED: &str = "2026-11-18T10:00:00";
const FRI: &str = "2026-11-20T11:00:00";

fn code(n: u32) -> String {
    credit_code::complete(&format!("91500107MA{n:07}")).unwrap()
}

const NAMES: [&str; 5] = [
    "中信重工机械有限公司",
    "华为技术有限公司",
    "南方水泥有限公司",
    "嘉陵摩托有限公司",
    "重庆戴卡捷力轮毂制造有限公司",
];

fn json(d: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    let o = must(d, now, args);
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

fn ids(v: &serde_json::Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_u64().unwrap())
        .collect()
}

fn journal(d: &Path) -> Vec<u8> {
    std::fs::read(d.join("journal.jsonl")).unwrap()
}

/// Five enterprises, one issue each: 中信 (Mon, walk-in, 融资信贷), 华为 (Mon, phone, 税费社保),
/// 南方 (Wed, walk-in, 融资信贷), 嘉陵 (Wed, meeting, 用工人才), 重庆戴卡 (Fri, online, 其他).
fn store() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let mut csv = String::from("credit_code,name,district,grade,vip_categories,contact,phone\n");
    for (k, n) in NAMES.iter().enumerate() {
        csv.push_str(&format!("{},{n},九龙坡区,,,,\n", code(k as u32 + 1)));
    }
    let f = d.join("e.csv");
    std::fs::write(&f, csv).unwrap();
    must(d, MON, &["enterprise", "import", f.to_str().unwrap()]);
    let plan = [
        (MON, "融资信贷", "walk-in"),
        (MON, "税费社保", "phone"),
        (WED, "融资信贷", "walk-in"),
        (WED, "用工人才", "meeting"),
        (FRI, "其他", "online"),
    ];
    for (k, (now, cat, ch)) in plan.iter().enumerate() {
        let c = code(k as u32 + 1);
        must(
            d,
            now,
            &[
                "issue",
                "add",
                "--enterprise",
                &c,
                "--category",
                cat,
                "--channel",
                ch,
                "--text",
                "企业反映的问题",
            ],
        );
    }
    t
}

#[test]
fn filters_by_category_channel_dates_and_pinyin_text() {
    let t = store();
    let d = t.path();
    let list = |args: &[&str]| {
        let mut a = vec!["issue", "list", "--format", "json"];
        a.extend_from_slice(args);
        ids(&json(d, FRI, &a))
    };
    assert_eq!(list(&[]), vec![1, 2, 3, 4, 5]);
    assert_eq!(list(&["--category", "融资信贷"]), vec![1, 3]);
    assert_eq!(list(&["--channel", "walk-in"]), vec![1, 3]);
    assert_eq!(list(&["--channel", "座谈会"]), vec![4]);
    // Inclusive days.
    assert_eq!(list(&["--from", "2026-11-18"]), vec![3, 4, 5]);
    assert_eq!(list(&["--to", "2026-11-18"]), vec![1, 2, 3, 4]);
    assert_eq!(
        list(&["--from", "2026-11-18", "--to", "2026-11-18"]),
        vec![3, 4]
    );
    assert_eq!(
        list(&["--category", "融资信贷", "--from", "2026-11-17"]),
        vec![3]
    );
    // Initials and pinyin, as at intake; and still the plain name, code and number.
    assert_eq!(list(&["--text", "cqdk"]), vec![5]);
    assert_eq!(list(&["--text", "huawei"]), vec![2]);
    assert_eq!(list(&["--text", "jlmt"]), vec![4]);
    assert_eq!(list(&["--text", "南方"]), vec![3]);
    assert_eq!(list(&["--text", &code(1)]), vec![1]);
    assert_eq!(list(&["--text", "#4"]), vec![4]);
    assert!(list(&["--text", "xyzq"]).is_empty());
}

#[test]
fn sorts_enterprises_in_pinyin_order() {
    let t = store();
    let d = t.path();
    let v = json(
        d,
        FRI,
        &["issue", "list", "--sort", "enterprise", "--format", "json"],
    );
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["enterprise"].as_str().unwrap())
        .collect();
    // 重庆 chongqing, 华 hua, 嘉 jia, 南 nan, 中 zhong (code-point order would put 中 first).
    assert_eq!(
        names,
        vec![NAMES[4], NAMES[1], NAMES[3], NAMES[2], NAMES[0]]
    );
    // Newest first.
    let v = json(
        d,
        FRI,
        &["issue", "list", "--sort", "age", "--format", "json"],
    );
    assert_eq!(ids(&v), vec![5, 4, 3, 2, 1]);
}

#[test]
fn bad_list_options_name_the_option_and_exit_2() {
    let t = store();
    let d = t.path();
    let cases: [(&[&str], &str, &str); 5] = [
        (&["--category", "无此类"], "问题类别", "--category"),
        (&["--channel", "fax"], "来源渠道", "--channel"),
        (&["--from", "2026-13-01"], "起始日期", "--from"),
        (
            &["--from", "2026-11-20", "--to", "2026-11-16"],
            "晚于",
            "--from",
        ),
        (&["--sort", "size"], "排序", "--sort"),
    ];
    for (args, zh, en) in cases {
        let mut a = vec!["issue", "list"];
        a.extend_from_slice(args);
        let o = run(d, FRI, &a);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(zh), "{args:?}: {err}");
        a.extend_from_slice(&["--lang", "en"]);
        let o = run(d, FRI, &a);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(en), "{args:?}: {err}");
    }
}

#[test]
fn supervision_with_level_and_due_date_and_its_refusals() {
    let t = store();
    let d = t.path();
    must(d, FRI, &["issue", "assign", "1", "finance"]);
    let before = journal(d);
    // A due date not after today, a year the calendar does not know, an unknown level.
    for (args, zh) in [
        (vec!["--due", "2026-11-20"], "督办期限「2026-11-20」"),
        (vec!["--due", "0"], "须晚于今天（2026-11-20）"),
        (vec!["--due", "2099-01-05"], "节假日表"),
        (
            vec!["--due", "next week"],
            "督办期限「next week」：应为以后的日期",
        ),
        (vec!["--level", "urgent"], "督办级别「urgent」"),
    ] {
        let mut a = vec!["issue", "supervise", "1", "--reason", "超期"];
        a.extend(args.iter().copied());
        let o = run(d, FRI, &a);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(zh), "{args:?}: {err}");
    }
    assert_eq!(journal(d), before, "a refused supervision changes nothing");
    let v = json(
        d,
        FRI,
        &[
            "issue",
            "supervise",
            "1",
            "--reason",
            "多次催办未果",
            "--level",
            "重点",
            "--due",
            "3",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["supervised"], true);
    assert_eq!(v["supervision_level"], "key");
    // Three working days after Friday 11-20: Mon 23, Tue 24, Wed 25.
    assert_eq!(v["supervision_due"], "2026-11-25");
    assert_eq!(v["supervision_overdue"], false);
    let show = String::from_utf8(must(d, FRI, &["issue", "show", "1"]).stdout).unwrap();
    assert!(show.contains("重点督办，期限 2026-11-25"), "{show}");
    // After the due day, still open: overdue supervision, listed as such.
    let later = "2026-11-26T09:00:00";
    let v = json(d, later, &["issue", "show", "1", "--format", "json"]);
    assert_eq!(v["supervision_overdue"], true);
    let v = json(
        d,
        later,
        &["issue", "list", "--supervision-overdue", "--format", "json"],
    );
    assert_eq!(ids(&v), vec![1]);
    let table =
        String::from_utf8(must(d, later, &["issue", "list", "--supervised"]).stdout).unwrap();
    assert!(
        table.contains("重点督办") && table.contains("督办超期"),
        "{table}"
    );
    // The short form still works: 一般督办, no due date.
    let v = json(
        d,
        FRI,
        &[
            "issue",
            "supervise",
            "2",
            "--reason",
            "跟进",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["supervision_level"], "general");
    assert!(v["supervision_due"].is_null());
}

#[test]
fn transfers_three_times_flag_escalation_and_same_unit_is_refused_by_name() {
    let t = store();
    let d = t.path();
    must(d, FRI, &["issue", "assign", "3", "finance"]);
    let o = run(
        d,
        FRI,
        &["issue", "transfer", "3", "区财政局", "--reason", "归口"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("单位「区财政局」") && !err.contains("finance"),
        "{err}"
    );
    let o = run(
        d,
        FRI,
        &[
            "issue", "transfer", "3", "finance", "--reason", "x", "--lang", "en",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("Finance Bureau") && !err.contains("\"finance\""),
        "{err}"
    );
    for (k, to) in ["tax", "hrss", "market"].iter().enumerate() {
        let v = json(
            d,
            FRI,
            &[
                "issue", "transfer", "3", to, "--reason", "归口", "--format", "json",
            ],
        );
        if k < 2 {
            assert!(v["escalation"].is_null(), "{v}");
        } else {
            assert_eq!(v["escalation"]["reason"], "transferred");
            assert_eq!(v["escalation"]["count"], 3);
        }
    }
    let v = json(
        d,
        FRI,
        &["issue", "list", "--escalated", "--format", "json"],
    );
    assert_eq!(ids(&v), vec![3]);
    let table = String::from_utf8(must(d, FRI, &["issue", "list"]).stdout).unwrap();
    assert!(table.contains("提级督办"), "{table}");
    let show = String::from_utf8(must(d, FRI, &["issue", "show", "3"]).stdout).unwrap();
    assert!(show.contains("提级督办（转办 3 次）"), "{show}");
}

#[test]
fn callbacks_due_oldest_reply_first_with_working_days() {
    let t = store();
    let d = t.path();
    for (id, unit, replied) in [
        ("2", "tax", "2026-11-18T15:00:00"),
        ("1", "finance", "2026-11-16T16:00:00"),
    ] {
        must(d, replied, &["issue", "assign", id, unit]);
        must(d, replied, &["issue", "contact", id]);
        must(d, replied, &["issue", "reply", id, "--text", "已办理"]);
    }
    // 3 is replied and then evaluated: no callback is owed.
    must(d, WED, &["issue", "assign", "3", "finance"]);
    must(d, WED, &["issue", "contact", "3"]);
    must(d, WED, &["issue", "reply", "3", "--text", "已办理"]);
    must(
        d,
        WED,
        &[
            "issue",
            "evaluate",
            "3",
            "--closeness",
            "5",
            "--integrity",
            "5",
            "--satisfaction",
            "5",
        ],
    );
    let v = json(
        d,
        FRI,
        &["issue", "list", "--callbacks", "--format", "json"],
    );
    assert_eq!(ids(&v), vec![1, 2]);
    let days: Vec<i64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["workdays_since_reply"].as_i64().unwrap())
        .collect();
    // Replied Monday and Wednesday; today is Friday.
    assert_eq!(days, vec![4, 2]);
    let table = String::from_utf8(must(d, FRI, &["issue", "list", "--callbacks"]).stdout).unwrap();
    assert!(
        table.contains("答复后工作日") && table.contains("共 2 条"),
        "{table}"
    );
}

#[test]
fn logging_names_the_suggested_unit_without_assigning() {
    let t = store();
    let d = t.path();
    let o = must(
        d,
        FRI,
        &[
            "issue",
            "add",
            "--enterprise",
            &code(2),
            "--category",
            "税费社保",
            "--text",
            "出口退税进度",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("建议交办：区税务局（`dutydesk issue assign 6 tax`）"),
        "{out}"
    );
    let v = json(d, FRI, &["issue", "show", "6", "--format", "json"]);
    assert_eq!(v["status"], "logged");
    assert_eq!(v["suggested_unit"], "tax");
    // 其他 has no suggestion.
    let v = json(d, FRI, &["issue", "show", "5", "--format", "json"]);
    assert!(v["suggested_unit"].is_null());
}
