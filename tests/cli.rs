//! End-to-end tests of the real binary's command line: the closed loop, bad input, crash safety.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;
use common::BIN;
const NOW: &str = "2026-09-30T10:00:00";

fn dd(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, NOW, args)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(common::must(dir, NOW, args).stdout).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, args)).expect("valid JSON")
}

fn fixture(name: &str) -> String {
    common::fixture(name)
}

fn store_with_enterprises() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &["enterprise", "import", &fixture("enterprises.csv")],
    );
    dir
}

#[test]
fn closed_loop_through_the_command_line() {
    let dir = store_with_enterprises();
    let d = dir.path();
    let v = json(
        d,
        &[
            "issue",
            "add",
            "--enterprise",
            "91440300708461136T",
            "--category",
            "融资信贷",
            "--text",
            "扩产需流动资金",
            "--phone",
            "13900001111",
            "--format",
            "json",
        ],
    );
    let id = v["id"].as_u64().unwrap().to_string();
    // Logged 2026-09-30 (Wed): National Day Oct 1–7 off; Oct 8, 9 are working days 1, 2.
    assert_eq!(v["contact_due"], "2026-10-09");
    assert_eq!(v["status"], "logged");
    ok(d, &["issue", "assign", &id, "区税务局"]);
    ok(d, &["issue", "contact", &id, "--note", "已电话联系"]);
    ok(d, &["issue", "reply", &id, "--text", "已协调银行续贷"]);
    ok(
        d,
        &[
            "issue",
            "evaluate",
            &id,
            "--closeness",
            "5",
            "--integrity",
            "5",
            "--satisfaction",
            "4",
        ],
    );
    let list = json(d, &["issue", "list", "--format", "json"]);
    let item = &list.as_array().unwrap()[0];
    assert_eq!(item["status"], "closed");
    assert_eq!(item["unit"], "区税务局");
    assert_eq!(item["unit_id"], "tax");
    assert_eq!(item["enterprise"], "重庆戴卡捷力轮毂制造有限公司");
    assert_eq!(item["credit_code"], "91440300708461136T");
    assert_eq!(item["vip"], true);
    assert_eq!(item["overdue"], false);
    for key in ["id", "logged_at", "contact_due", "reply_due"] {
        assert!(!item[key].is_null(), "{key} missing");
    }
    let show = json(d, &["issue", "show", &id, "--format", "json"]);
    let kinds: Vec<&str> = show["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "issue_logged",
            "issue_assigned",
            "contact_recorded",
            "reply_recorded",
            "issue_evaluated"
        ]
    );
    assert!(show["history"][1]["by"] == "测试员");
    // Filters.
    assert_eq!(
        json(d, &["issue", "list", "--unit", "tax", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        json(
            d,
            &["issue", "list", "--status", "assigned", "--format", "json"]
        )
        .as_array()
        .unwrap()
        .len(),
        0
    );
    assert!(ok(d, &["verify"]).contains("校验通过"));
}

#[test]
fn illegal_transition_names_both_states() {
    let dir = store_with_enterprises();
    let d = dir.path();
    ok(
        d,
        &[
            "issue",
            "add",
            "--enterprise",
            "戴卡",
            "--category",
            "融资信贷",
            "--text",
            "x",
        ],
    );
    let o = dd(
        d,
        &["issue", "reply", "1", "--text", "too early", "--lang", "en"],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("reply") && err.contains("logged"), "{err}");
    let o = dd(d, &["issue", "reply", "1", "--text", "too early"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("已登记") && err.contains("答复"), "{err}");
}

#[test]
fn bad_input_exits_2_names_the_field_and_changes_nothing() {
    let dir = store_with_enterprises();
    let d = dir.path();
    let before = std::fs::read(d.join("journal.jsonl")).unwrap();
    for (args, needle) in [
        (
            vec![
                "issue",
                "add",
                "--enterprise",
                "戴卡",
                "--category",
                "不存在",
                "--text",
                "x",
            ],
            "问题类别",
        ),
        (
            vec![
                "issue",
                "add",
                "--enterprise",
                "戴卡",
                "--category",
                "融资信贷",
                "--text",
                "x",
                "--phone",
                "123",
            ],
            "联系电话",
        ),
        (
            vec![
                "issue",
                "add",
                "--enterprise",
                "没有这家公司",
                "--category",
                "融资信贷",
                "--text",
                "x",
            ],
            "企业",
        ),
        (
            vec![
                "issue",
                "add",
                "--enterprise",
                "戴卡",
                "--category",
                "融资信贷",
                "--text",
                "  ",
            ],
            "问题描述",
        ),
        (vec!["issue", "assign", "99", "tax"], "99"),
        (vec!["issue", "list", "--status", "bogus"], "状态"),
        (
            vec!["calendar", "add-workdays", "2026-13-01", "2"],
            "YYYY-MM-DD",
        ),
    ] {
        let o = dd(d, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(d.join("journal.jsonl")).unwrap(), before);
}

#[test]
fn bad_csv_is_rejected_whole_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = dd(d, &["enterprise", "import", &fixture("bad.csv")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.csv:3:") && err.contains("校验位"),
        "{err}"
    );
    assert!(
        err.contains("bad.csv:4:") && err.contains("联系电话"),
        "{err}"
    );
    // Nothing was written: not even an empty store.
    assert!(!d.join("journal.jsonl").exists());
    let o = dd(d, &["enterprise", "export", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("没有 dutydesk 数据"));
}

#[test]
fn export_round_trips_through_import() {
    let dir = store_with_enterprises();
    // Full phones: a masked export (the default) cannot be imported back.
    let csv = ok(dir.path(), &["enterprise", "export", "--show-pii"]);
    assert!(csv.starts_with(
        "\u{feff}统一社会信用代码,企业名称,所属街镇,企业分级,重点企业类别,联系人,联系电话\n"
    ));
    let f = dir.path().join("out.csv");
    std::fs::write(&f, &csv).unwrap();
    let other = tempfile::tempdir().unwrap();
    ok(other.path(), &["enterprise", "import", f.to_str().unwrap()]);
    assert_eq!(
        ok(other.path(), &["enterprise", "export", "--show-pii"]),
        csv
    );
}

#[test]
fn second_instance_is_refused_and_store_untouched() {
    let dir = store_with_enterprises();
    let d = dir.path();
    let before = std::fs::read(d.join("journal.jsonl")).unwrap();
    let held = dutydesk::desk::Desk::open(d).expect("first instance");
    let o = dd(d, &["issue", "list"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("正被使用") && err.contains(&format!("pid {}", std::process::id())),
        "{err}"
    );
    let o = dd(d, &["issue", "list", "--lang", "en"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("store in use by"));
    drop(held);
    assert_eq!(std::fs::read(d.join("journal.jsonl")).unwrap(), before);
    ok(d, &["issue", "list"]);
}

#[test]
fn sigkill_mid_stream_loses_no_printed_issue() {
    let dir = store_with_enterprises();
    let d = dir.path();
    let script = format!(
        "for i in $(seq 1 400); do '{BIN}' issue add --enterprise 91440300708461136T --category 融资信贷 --text \"第$i条\" || exit 1; done"
    );
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("DUTYDESK_DATA", d)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let pgid = child.id() as i32;
    let mut printed = Vec::new();
    let reader = BufReader::new(child.stdout.take().unwrap());
    for line in reader.lines() {
        let line = line.unwrap();
        if let Some(id) = line
            .split_whitespace()
            .next()
            .and_then(|t| t.parse::<u64>().ok())
        {
            printed.push(id);
        }
        if printed.len() == 25 {
            // Kill the whole group: the shell and the dutydesk in the middle of its commit.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
            break;
        }
    }
    let _ = child.wait();
    // The killed dutydesk is not our child: give the kernel a moment to tear it down and
    // release its lock (a user would see "in use" and retry the same way).
    let start = std::time::Instant::now();
    while !dd(d, &["verify"]).status.success()
        && start.elapsed() < std::time::Duration::from_secs(10)
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let list = json(d, &["issue", "list", "--format", "json"]);
    let ids: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_u64().unwrap())
        .collect();
    for id in &printed {
        assert!(ids.contains(id), "issue {id} was printed but is lost");
    }
    assert!(ok(d, &["verify"]).contains("校验通过"));
}

#[test]
fn deleting_the_view_and_rebuilding_gives_the_same_issues() {
    let dir = store_with_enterprises();
    let d = dir.path();
    for i in 0..5 {
        ok(
            d,
            &[
                "issue",
                "add",
                "--enterprise",
                "长安",
                "--category",
                "用工人才",
                "--text",
                &format!("招工{i}"),
            ],
        );
    }
    ok(d, &["issue", "assign", "2", "hrss"]);
    ok(d, &["issue", "void", "3", "--reason", "重复登记"]);
    let before = ok(d, &["issue", "list", "--format", "json"]);
    std::fs::remove_dir_all(d.join("views")).unwrap();
    assert!(ok(d, &["rebuild"]).contains("5"));
    assert_eq!(ok(d, &["issue", "list", "--format", "json"]), before);
    // And explicit rebuild over an intact view changes nothing either.
    ok(d, &["rebuild"]);
    assert_eq!(ok(d, &["issue", "list", "--format", "json"]), before);
}

#[test]
fn torn_last_journal_line_opens_cleanly() {
    let dir = store_with_enterprises();
    let d = dir.path();
    ok(
        d,
        &[
            "issue",
            "add",
            "--enterprise",
            "长安",
            "--category",
            "用工人才",
            "--text",
            "完整的一条",
        ],
    );
    let j = d.join("journal.jsonl");
    let mut bytes = std::fs::read(&j).unwrap();
    bytes.extend_from_slice(b"{\"hash\":\"abc\",\"prev\":\"de");
    std::fs::write(&j, bytes).unwrap();
    let list = json(d, &["issue", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(ok(d, &["verify"]).contains("校验通过"));
    ok(
        d,
        &[
            "issue",
            "add",
            "--enterprise",
            "长安",
            "--category",
            "用工人才",
            "--text",
            "之后的一条",
        ],
    );
    assert!(ok(d, &["verify"]).contains("校验通过"));
}

#[test]
fn verify_detects_an_edited_or_removed_event() {
    let dir = store_with_enterprises();
    let d = dir.path();
    for t in ["甲", "乙", "丙"] {
        ok(
            d,
            &[
                "issue",
                "add",
                "--enterprise",
                "长安",
                "--category",
                "用工人才",
                "--text",
                t,
            ],
        );
    }
    let j = d.join("journal.jsonl");
    let original = std::fs::read_to_string(&j).unwrap();
    // Edit an event in the middle: the message names its line.
    let lines: Vec<&str> = original.lines().collect();
    let line_of_b = lines.iter().position(|l| l.contains("\"乙\"")).unwrap() + 1;
    std::fs::write(&j, original.replacen("\"乙\"", "\"改\"", 1)).unwrap();
    let o = dd(d, &["verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(&format!("journal.jsonl:{line_of_b}")),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Remove an event in the middle.
    let removed: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != line_of_b - 1)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    std::fs::write(&j, removed).unwrap();
    assert_eq!(dd(d, &["verify"]).status.code(), Some(1));
    // Remove the last event.
    let cut: String = lines[..lines.len() - 1]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&j, cut).unwrap();
    assert_eq!(dd(d, &["verify"]).status.code(), Some(1));
    std::fs::write(&j, original).unwrap();
    assert!(ok(d, &["verify"]).contains("校验通过"));
}

#[test]
fn newer_schema_is_refused() {
    let dir = store_with_enterprises();
    let d = dir.path();
    std::fs::write(d.join("store.json"), r#"{"app":"dutydesk","schema":99}"#).unwrap();
    let o = dd(d, &["issue", "list", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("schema version 99"));
}

#[test]
fn backup_and_restore() {
    let dir = store_with_enterprises();
    let d = dir.path();
    ok(
        d,
        &[
            "issue",
            "add",
            "--enterprise",
            "长安",
            "--category",
            "用工人才",
            "--text",
            "备份前",
        ],
    );
    let b = tempfile::tempdir().unwrap();
    let bpath = b.path().join("bk");
    ok(d, &["backup", bpath.to_str().unwrap()]);
    ok(
        d,
        &[
            "issue",
            "add",
            "--enterprise",
            "长安",
            "--category",
            "用工人才",
            "--text",
            "备份后",
        ],
    );
    assert_eq!(
        json(d, &["issue", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    ok(d, &["restore", bpath.to_str().unwrap()]);
    assert_eq!(
        json(d, &["issue", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(ok(d, &["verify"]).contains("校验通过"));
}

#[test]
fn calendar_commands() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(ok(d, &["calendar", "is-workday", "2026-10-10"]), "true\n");
    assert_eq!(ok(d, &["calendar", "is-workday", "2026-10-05"]), "false\n");
    assert_eq!(
        ok(d, &["calendar", "add-workdays", "2026-09-30", "2"]),
        "2026-10-09\n"
    );
    let o = dd(d, &["calendar", "add-workdays", "2026-12-30", "5"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("警告"));
}

#[test]
fn enterprise_search_by_initials_pinyin_and_code() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["enterprise", "import", &fixture("search.csv")]);
    let first = |q: &str| -> String {
        let v = json(d, &["enterprise", "search", q, "--format", "json"]);
        v[0]["name"].as_str().unwrap_or_default().to_string()
    };
    // Both 戴卡 and 德科 read cqdk…; among equal matches the VIP enterprise comes first.
    assert_eq!(first("cqdk"), "重庆戴卡捷力轮毂制造有限公司");
    let v = json(d, &["enterprise", "search", "cqdk", "--format", "json"]);
    assert_eq!(v[1]["name"], "重庆德科电子仪表有限公司");
    assert_eq!(first("cqca"), "重庆长安汽车股份有限公司");
    assert_eq!(first("changan"), "重庆长安汽车股份有限公司");
    assert_eq!(first("yinhang"), "中国工商银行重庆九龙坡支行");
    assert_eq!(first("changjiangzhongxing"), "重庆长江重型机械有限公司");
    assert_eq!(first("戴卡"), "重庆戴卡捷力轮毂制造有限公司");
    let v = json(
        d,
        &[
            "enterprise",
            "search",
            "cqdk",
            "--limit",
            "1",
            "--format",
            "json",
        ],
    );
    assert_eq!(v.as_array().unwrap().len(), 1);
    let code = v[0]["credit_code"].as_str().unwrap().to_string();
    assert_eq!(first(&code[..10]), "重庆戴卡捷力轮毂制造有限公司");
    // Scattered letters are not a match.
    assert!(
        json(d, &["enterprise", "search", "xqzv", "--format", "json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}
