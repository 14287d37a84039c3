//! The year without a notice, end to end: deadlines that reach a year whose State Council
//! holiday notice is not in the calendar are counted with the statutory holidays and marked
//! provisional in every output; once the office adds the year's table to `holidays.toml`,
//! the next start counts them again and the mark goes, without touching the journal.

use std::path::Path;

mod common;

use common::{fixture, must, run};

const CODE: &str = "91440300708461136T";
/// Monday 28 December 2026: the reply deadline (5 working days) falls in 2027.
const LOGGED: &str = "2026-12-28T10:00:00";

fn out(dir: &Path, now: &str, args: &[&str]) -> String {
    String::from_utf8(must(dir, now, args).stdout).unwrap()
}

fn json(dir: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&out(dir, now, args)).expect("valid JSON")
}

/// A hypothetical 2027 notice: New Year bridged to Monday 4 January, Saturday 9 January
/// worked in exchange.
const NOTICE_2027: &str = "[2027]\nsource = \"测试用\"\nholidays = [\n  { name = \"元旦\", off = \"2027-01-01..2027-01-04\", work = [\"2027-01-09\"] },\n]\n";

fn add_issue(d: &Path, now: &str, text: &str) -> String {
    let o = must(
        d,
        now,
        &[
            "issue",
            "add",
            "--enterprise",
            CODE,
            "--category",
            "融资信贷",
            "--text",
            text,
        ],
    );
    String::from_utf8(o.stderr).unwrap() + "\n--stdout--\n" + &String::from_utf8(o.stdout).unwrap()
}

#[test]
fn provisional_deadlines_are_marked_then_settled_when_the_notice_is_added() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    must(
        d,
        "2026-12-01T09:00:00",
        &["enterprise", "import", &fixture("enterprises.csv")],
    );

    // #1 logged on Monday 28 December: contact by Wednesday 30 (final), reply by the 5th
    // working day, which with New Year's Day off is Tuesday 5 January (provisional).
    let logged = add_issue(d, LOGGED, "年底的问题");
    assert!(
        logged.contains("警告") && logged.contains("暂定"),
        "{logged}"
    );
    assert!(logged.contains("答复期限 2027-01-05（暂定）"), "{logged}");
    assert!(
        logged.contains("对接期限 2026-12-30（2 个工作日）"),
        "contact due is final: {logged}"
    );
    // #2 logged on Thursday 31 December: both deadlines in 2027.
    add_issue(d, "2026-12-31T15:00:00", "跨年的问题");
    must(d, LOGGED, &["issue", "assign", "1", "tax"]);
    must(d, "2026-12-29T10:00:00", &["issue", "contact", "1"]);
    must(
        d,
        "2027-01-06T10:00:00",
        &["issue", "reply", "1", "--text", "已答复"],
    );

    let now = "2027-01-06T16:00:00";
    let v = json(d, now, &["issue", "show", "1", "--format", "json"]);
    assert_eq!(v["contact_due"], "2026-12-30");
    assert_eq!(v["reply_due"], "2027-01-05", "2027-01-01 is off: {v}");
    assert_eq!(v["provisional"], true);
    let v2 = json(d, now, &["issue", "show", "2", "--format", "json"]);
    assert_eq!(
        (v2["contact_due"].as_str(), v2["reply_due"].as_str()),
        (Some("2027-01-05"), Some("2027-01-08"))
    );
    assert_eq!(v2["provisional"], true);
    let text = out(d, now, &["issue", "show", "2"]);
    assert!(text.contains("2027-01-05（暂定）"), "{text}");
    assert!(text.contains("holidays.toml"), "the note says how: {text}");
    let en = out(d, now, &["--lang", "en", "issue", "show", "2"]);
    assert!(en.contains("2027-01-05 (provisional)"), "{en}");
    let list = out(d, now, &["issue", "list"]);
    assert!(list.contains("2027-01-05（暂定）"), "{list}");
    let listed = json(d, now, &["issue", "list", "--format", "json"]);
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["provisional"] == true));
    let brief = out(
        d,
        now,
        &[
            "handover",
            "--since",
            "2026-12-31T00:00",
            "--format",
            "md",
            "--full",
        ],
    );
    assert!(brief.contains("2027-01-05（暂定）"), "{brief}");
    let cal = out(d, now, &["calendar", "is-workday", "2027-01-01"]);
    assert_eq!(cal, "false（暂定）\n");
    let day = json(
        d,
        now,
        &["calendar", "is-workday", "2027-01-01", "--format", "json"],
    );
    assert_eq!(
        (&day["workday"], &day["provisional"], &day["holiday"]),
        (
            &serde_json::json!(false),
            &serde_json::json!(true),
            &serde_json::json!("元旦")
        )
    );
    // The report counts the provisional deadlines: #1 replied on the 6th, a day late; #2
    // not replied by the 8th.
    let report_args = [
        "report",
        "--from",
        "2027-01-01",
        "--to",
        "2027-01-31",
        "--format",
        "json",
    ];
    let r = json(d, "2027-01-20T10:00:00", &report_args);
    assert_eq!(
        (&r["totals"]["reply_due"], &r["totals"]["reply_on_time"]),
        (&serde_json::json!(2), &serde_json::json!(0)),
        "{}",
        r["totals"]
    );

    // The notice is out: the office adds its table, and at the next start every deadline
    // that was provisional is counted again with it.
    let journal = std::fs::read(d.join("journal.jsonl")).unwrap();
    std::fs::write(d.join("holidays.toml"), NOTICE_2027).unwrap();
    let v = json(d, now, &["issue", "show", "1", "--format", "json"]);
    assert_eq!(v["reply_due"], "2027-01-06", "{v}");
    assert_eq!(v["contact_due"], "2026-12-30");
    assert_eq!(v["provisional"], false);
    let v2 = json(d, now, &["issue", "show", "2", "--format", "json"]);
    assert_eq!(
        (v2["contact_due"].as_str(), v2["reply_due"].as_str()),
        (Some("2027-01-06"), Some("2027-01-09")),
        "the 9th is a Saturday worked"
    );
    assert_eq!(v2["provisional"], false);
    for args in [
        vec!["issue", "show", "2"],
        vec!["issue", "list"],
        vec![
            "handover",
            "--since",
            "2026-12-31T00:00",
            "--format",
            "md",
            "--full",
        ],
        vec!["calendar", "is-workday", "2027-01-04"],
    ] {
        let o = must(d, now, &args);
        let all =
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        assert!(
            !all.contains("暂定") && !all.contains("警告"),
            "{args:?}: {all}"
        );
    }
    assert_eq!(
        out(d, now, &["calendar", "is-workday", "2027-01-09"]),
        "true\n"
    );
    let r = json(d, "2027-01-20T10:00:00", &report_args);
    assert_eq!(
        (&r["totals"]["reply_due"], &r["totals"]["reply_on_time"]),
        (&serde_json::json!(2), &serde_json::json!(1)),
        "#1 replied on its settled due day: {}",
        r["totals"]
    );
    // Nothing was rewritten: the journal is as it was and still verifies.
    assert_eq!(std::fs::read(d.join("journal.jsonl")).unwrap(), journal);
    let o = run(d, now, &["verify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // An issue logged now is counted with the table at once.
    // Thursday 7 January: Friday, then the Saturday worked.
    let logged = add_issue(d, "2027-01-07T09:00:00", "通知之后");
    assert!(!logged.contains("暂定"), "{logged}");
    assert!(
        logged.contains("对接期限 2027-01-09（2 个工作日）"),
        "{logged}"
    );
}

#[test]
fn calendar_json_for_counts_and_a_bad_holiday_file_changes_nothing() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let now = "2026-12-01T09:00:00";
    let v = json(
        d,
        now,
        &[
            "calendar",
            "add-workdays",
            "2026-12-31",
            "2",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        (&v["date"], &v["provisional"]),
        (&serde_json::json!("2027-01-05"), &serde_json::json!(true))
    );
    let v = json(
        d,
        now,
        &[
            "calendar",
            "add-workdays",
            "2026-12-24",
            "2",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        (&v["date"], &v["provisional"]),
        (&serde_json::json!("2026-12-28"), &serde_json::json!(false))
    );
    // Spring Festival 2027 by the law: 除夕 (5 February) to 初三 (8 February).
    assert_eq!(
        out(d, now, &["calendar", "add-workdays", "2027-02-04", "1"]),
        "2027-02-09（暂定）\n"
    );
    assert_eq!(
        out(
            d,
            now,
            &[
                "--lang",
                "en",
                "calendar",
                "add-workdays",
                "2027-02-04",
                "1"
            ]
        ),
        "2027-02-09 (provisional)\n"
    );
    std::fs::write(
        d.join("holidays.toml"),
        "[2027]\nholidays = [ { name = \"元旦\", off = \"2027-01-01..2027-01-0x\" } ]\n",
    )
    .unwrap();
    let o = run(d, now, &["calendar", "is-workday", "2027-01-01"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("holidays.toml:2") && err.contains("2027.holidays.off"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

/// The README's example year is a table the desk reads, and `is-workday` answers from it.
#[test]
fn the_readme_example_year_loads() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("### When next year's holiday notice comes out")
        .nth(1)
        .expect("the README explains adding a notice");
    let toml = section
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("with an example");
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    std::fs::write(d.join("holidays.toml"), toml).unwrap();
    let now = "2026-12-01T09:00:00";
    assert_eq!(
        out(d, now, &["calendar", "is-workday", "2027-02-09"]),
        "false\n"
    );
    assert_eq!(
        out(d, now, &["calendar", "is-workday", "2027-02-20"]),
        "true\n"
    );
    let o = must(d, now, &["calendar", "add-workdays", "2026-12-31", "2"]);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), "2027-01-05\n");
}
