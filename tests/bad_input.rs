//! Every bad input exits 2 with a message in the user's language that says what is wrong and
//! how to fix it: dates, refused lifecycle steps, inspection dates, a directory without a store,
//! configuration files.

use std::path::Path;
use std::process::Output;

mod common;
const NOW: &str = "2026-09-30T10:00:00";

fn dd(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, NOW, args)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(common::must(dir, NOW, args).stdout).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs and expects exit 2 with every needle on stderr.
fn refused(dir: &Path, args: &[&str], needles: &[&str]) -> String {
    let o = dd(dir, args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: wanted {n:?} in\n{err}");
    }
    err
}

fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &["enterprise", "import", &common::fixture("enterprises.csv")],
    );
    dir
}

fn add_issue(d: &Path) -> String {
    let v: serde_json::Value = serde_json::from_str(&ok(
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
            "--format",
            "json",
        ],
    ))
    .unwrap();
    v["id"].to_string()
}

#[test]
fn dates_need_a_four_digit_year_everywhere() {
    let dir = store();
    let d = dir.path();
    refused(
        d,
        &["calendar", "is-workday", "26-1-1"],
        &["「26-1-1」", "年份写满四位", "是否指 2026-01-01"],
    );
    refused(
        d,
        &["--lang", "en", "calendar", "add-workdays", "26-1-1", "2"],
        &["\"26-1-1\"", "four-digit year", "did you mean 2026-01-01?"],
    );
    refused(
        d,
        &["report", "--from", "26-9-1"],
        &["--from", "2026-09-01"],
    );
    refused(d, &["report", "--to", "2026/9/30"], &["--to", "2026-09-30"]);
    refused(
        d,
        &["handover", "--since", "26-9-30T08:00"],
        &["--since", "2026-09-30T08:00"],
    );
    refused(
        d,
        &[
            "inspection",
            "add",
            "--unit",
            "tax",
            "--enterprise",
            "戴卡",
            "--date",
            "26-9-29",
            "--kind",
            "planned",
        ],
        &["日期「26-9-29」", "2026-09-29"],
    );
    // The fixed clock too, before anything opens.
    let fresh = tempfile::tempdir().unwrap();
    let o = common::run(
        fresh.path(),
        "26-9-30T10:00",
        &["enterprise", "import", "x.csv"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("DUTYDESK_NOW"), "{}", stderr(&o));
    assert!(!fresh.path().join("journal.jsonl").exists());
    // The right forms still work.
    assert_eq!(ok(d, &["calendar", "is-workday", "2026-10-8"]), "true\n");
}

#[test]
fn a_refused_step_says_what_to_do_instead() {
    let dir = store();
    let d = dir.path();
    let id = add_issue(d);
    let err = refused(
        d,
        &["issue", "reply", &id, "--text", "太早", "--lang", "en"],
        &[
            &format!("issue {id} is logged: it cannot be given a reply"),
            &format!("`dutydesk issue assign {id} UNIT`"),
        ],
    );
    assert!(err.contains("assign it first"), "{err}");
    ok(d, &["issue", "assign", &id, "tax"]);
    refused(
        d,
        &["issue", "assign", &id, "court"],
        &[
            "已有主办单位",
            &format!("dutydesk issue transfer {id} UNIT"),
        ],
    );
    ok(d, &["issue", "contact", &id]);
    ok(d, &["issue", "reply", &id, "--text", "已办理"]);
    ok(d, &["issue", "resolve", &id]);
    refused(
        d,
        &["issue", "assign", &id, "tax"],
        &[
            &format!("问题 {id} 当前状态为「已办结」，不能交办"),
            &format!("请先重新打开（`dutydesk issue reopen {id} --reason …`）"),
        ],
    );
    refused(
        d,
        &["--lang", "en", "issue", "void", &id, "--reason", "重复"],
        &[
            "cannot be voided",
            "add a note instead",
            "dutydesk issue note",
        ],
    );
    let other = add_issue(d);
    ok(d, &["issue", "void", &other, "--reason", "重复登记"]);
    refused(
        d,
        &["issue", "assign", &other, "tax"],
        &["已作废", "重新登记", "dutydesk issue add"],
    );
}

#[test]
fn inspection_dates_more_than_a_year_back_are_refused() {
    let dir = store();
    let d = dir.path();
    let add = |date: &str, lang: &str| {
        dd(
            d,
            &[
                "--lang",
                lang,
                "inspection",
                "add",
                "--unit",
                "tax",
                "--enterprise",
                "戴卡",
                "--date",
                date,
                "--kind",
                "planned",
            ],
        )
    };
    for date in ["1900-01-01", "2025-09-29"] {
        let o = add(date, "zh");
        assert_eq!(o.status.code(), Some(2), "{date}");
        let err = stderr(&o);
        assert!(
            err.contains(date) && err.contains("早于 2025-09-30") && err.contains("一年"),
            "{err}"
        );
    }
    let err = stderr(&add("1900-01-01", "en"));
    assert!(
        err.contains("is before 2025-09-30") && err.contains("a year"),
        "{err}"
    );
    // A year back to the day is still accepted; tomorrow is not.
    assert!(add("2025-09-30", "zh").status.success());
    assert_eq!(add("2026-10-01", "zh").status.code(), Some(2));
}

#[test]
fn a_directory_without_a_store_is_not_turned_into_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("mistyped");
    for args in [
        vec!["issue", "list"],
        vec!["issue", "show", "1"],
        vec!["enterprise", "export"],
        vec!["enterprise", "search", "戴卡"],
        vec!["report"],
        vec!["handover"],
        vec!["inspection", "list"],
        vec!["issue", "assign", "1", "tax"],
        vec![
            "issue",
            "add",
            "--enterprise",
            "戴卡",
            "--category",
            "融资信贷",
            "--text",
            "x",
        ],
    ] {
        refused(
            &d,
            &args,
            &[
                &format!("{} 中没有 dutydesk 数据", d.display()),
                "--data",
                "DUTYDESK_DATA",
                "dutydesk demo",
            ],
        );
        assert!(!d.exists(), "{args:?} created {}", d.display());
    }
    let mut en = vec!["--lang", "en"];
    en.extend(["issue", "list"]);
    refused(
        &d,
        &en,
        &["no dutydesk store in", "check --data / DUTYDESK_DATA"],
    );
    // Importing still starts a store.
    ok(
        &d,
        &["enterprise", "import", &common::fixture("enterprises.csv")],
    );
    assert!(d.join("journal.jsonl").exists());
    ok(&d, &["issue", "list"]);
}

#[test]
fn configuration_files_with_a_bom_load_and_bad_ones_are_explained() {
    let dir = store();
    let d = dir.path();
    // Windows Notepad saves UTF-8 with a byte-order mark.
    std::fs::write(
        d.join("config.toml"),
        "\u{feff}[deadlines]\ncontact_days = 3\nreply_days = 5\n",
    )
    .unwrap();
    std::fs::write(
        d.join("holidays.toml"),
        "\u{feff}[2027]\nholidays = [{ name = \"元旦\", off = \"2027-01-01\" }]\n",
    )
    .unwrap();
    assert_eq!(ok(d, &["calendar", "is-workday", "2027-01-01"]), "false\n");
    let v: serde_json::Value = serde_json::from_str(&ok(
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
            "--format",
            "json",
        ],
    ))
    .unwrap();
    // 2026-09-30 + 3 working days across the National Day holiday.
    assert_eq!(v["contact_due"], "2026-10-10");

    std::fs::write(
        d.join("config.toml"),
        "[deadlines]\ncontact_days = \"两天\"\n",
    )
    .unwrap();
    let err = refused(
        d,
        &["issue", "list"],
        &[
            "config.toml:2: deadlines.contact_days:",
            "1 到 60 之间的整数",
            "数字不加引号",
        ],
    );
    assert!(
        !err.contains("invalid type") && !err.contains("i64"),
        "{err}"
    );
    refused(
        d,
        &["--lang", "en", "issue", "list"],
        &["config.toml:2: deadlines.contact_days: must be a whole number from 1 to 60"],
    );
    std::fs::remove_file(d.join("config.toml")).unwrap();

    std::fs::write(
        d.join("units.toml"),
        "[[unit]]\nid = \"tax\"\nname = \"区税务局\"\nkind = \"leader\"\n",
    )
    .unwrap();
    refused(
        d,
        &["issue", "list"],
        &["units.toml:4: unit.kind:", "kind = \"lead\""],
    );
    std::fs::remove_file(d.join("units.toml")).unwrap();

    std::fs::write(
        d.join("holidays.toml"),
        "[2027]\nholidays = [{ name = \"元旦\", off = 20270101 }]\n",
    )
    .unwrap();
    for args in [
        vec!["calendar", "is-workday", "2027-01-01"],
        vec!["issue", "list"],
    ] {
        let err = refused(
            d,
            &args,
            &["holidays.toml:2: 2027.holidays.off:", "数字 20270101"],
        );
        assert!(!err.contains("invalid type"), "{err}");
    }
}

#[test]
fn command_line_mistakes_are_explained_in_the_users_language() {
    let dir = store();
    let d = dir.path();
    refused(
        d,
        &["issue", "lsit"],
        &["没有子命令「lsit」；是否指 list？", "用法：dutydesk issue"],
    );
    refused(
        d,
        &["issue", "list", "--format", "xml"],
        &["参数 --format", "「xml」无效", "table、json、csv"],
    );
    refused(
        d,
        &["enterprise", "search", "戴卡", "--limit", "abc"],
        &["--limit", "「abc」应为非负整数"],
    );
    refused(
        d,
        &["issue", "add", "--enterprise", "戴卡"],
        &["缺少必填参数", "--category", "--text"],
    );
    refused(
        d,
        &["handover", "--shift", "1", "--since", "2026-09-30"],
        &["不能与", "同时使用"],
    );
    refused(
        d,
        &["calendar", "add-workdays", "2026-09-30", "-1"],
        &["N「-1」应为非负整数"],
    );
    // English when asked for, on the command line or in config.toml.
    refused(
        d,
        &["--lang", "en", "issue", "list", "--format", "xml"],
        &["invalid value 'xml'"],
    );
    std::fs::write(d.join("config.toml"), "lang = \"en\"\n").unwrap();
    refused(d, &["issue", "lsit"], &["unrecognized subcommand 'lsit'"]);
}
