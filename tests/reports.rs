//! `dutydesk report` and `dutydesk handover` through the real binary: the report agrees with a
//! recomputation from `issue list --format json`; CSV opens in Excel; phones are masked.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Output;

mod common;

fn dd(dir: &Path, now: &str, args: &[&str]) -> Output {
    common::run(dir, now, args)
}

fn ok(dir: &Path, now: &str, args: &[&str]) -> String {
    String::from_utf8(common::must(dir, now, args).stdout).unwrap()
}

fn json(dir: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, now, args)).expect("valid JSON")
}

const UNITS: [&str; 4] = ["tax", "court", "hrss", "market"];

/// Thirty issues over October 2026 across four units, handled at different speeds; none is
/// transferred or reopened, so the current records tell the whole story.
fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = format!(
        "{}/tests/fixtures/enterprises.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    ok(d, "2026-09-01T09:00:00", &["enterprise", "import", &f]);
    let ents = json(
        d,
        "2026-09-01T09:00:00",
        &["enterprise", "export", "--format", "json"],
    );
    let codes: Vec<String> = ents
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["credit_code"].as_str().unwrap().to_string())
        .collect();
    for k in 0..30u32 {
        let logged = 1 + (k * 7) % 30;
        let t = |day: u32| format!("2026-10-{:02}T{:02}:00:00", day.min(31), 9 + k % 8);
        let now = t(logged);
        let out = ok(
            d,
            &now,
            &[
                "issue",
                "add",
                "--enterprise",
                &codes[k as usize % codes.len()],
                "--category",
                "融资信贷",
                "--text",
                &format!("第{k}个问题"),
                "--phone",
                "13912345678",
            ],
        );
        let id: String = out.split_whitespace().next().unwrap().to_string();
        if k % 6 == 5 {
            continue; // never assigned
        }
        ok(d, &now, &["issue", "assign", &id, UNITS[k as usize % 4]]);
        if k % 5 == 4 {
            continue; // never contacted
        }
        let contact = logged + 1 + k % 4;
        ok(d, &t(contact), &["issue", "contact", &id]);
        if k % 7 == 3 {
            continue;
        }
        let reply = contact + 1 + k % 6;
        ok(d, &t(reply), &["issue", "reply", &id, "--text", "已办理"]);
        if k % 2 == 0 {
            let s = format!("{}", 3 + k % 3);
            ok(
                d,
                &t(reply + 1),
                &[
                    "issue",
                    "evaluate",
                    &id,
                    "--closeness",
                    &s,
                    "--integrity",
                    "5",
                    "--satisfaction",
                    &s,
                ],
            );
        }
    }
    dir
}

fn date(v: &serde_json::Value) -> Option<String> {
    v.as_str().map(|s| s[..10].to_string())
}

#[test]
fn report_agrees_with_the_issue_list() {
    let dir = store();
    let d = dir.path();
    let now = "2026-11-20T10:00:00";
    let list = json(d, now, &["issue", "list", "--format", "json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 30);
    let (from, to) = ("2026-10-05", "2026-10-25");
    let r = json(
        d,
        now,
        &["report", "--from", from, "--to", to, "--format", "json"],
    );
    let in_range = |s: &Option<String>| s.as_deref().is_some_and(|s| s >= from && s <= to);

    let logged: Vec<&serde_json::Value> = list
        .iter()
        .filter(|i| in_range(&date(&i["logged_at"])))
        .collect();
    let ents: HashSet<&str> = logged
        .iter()
        .map(|i| i["credit_code"].as_str().unwrap())
        .collect();
    let solved = list
        .iter()
        .filter(|i| in_range(&date(&i["closed_at"])))
        .count();
    assert_eq!(r["totals"]["issues_logged"], logged.len());
    assert_eq!(r["totals"]["enterprises_received"], ents.len());
    assert_eq!(r["totals"]["issues_solved"], solved);

    let mut expect: HashMap<&str, [u32; 7]> = HashMap::new();
    for i in list {
        let Some(u) = i["unit_id"].as_str() else {
            continue;
        };
        let e = expect.entry(u).or_default();
        let due = |k: &str| i[k].as_str().unwrap().to_string();
        let (cdue, rdue) = (due("contact_due"), due("reply_due"));
        let contacted = date(&i["contacted_at"]);
        let replied = date(&i["replied_at"]);
        if in_range(&date(&i["assigned_at"])) {
            e[0] += 1;
        }
        // A deadline in the range counts when met, or when missed (all have passed by now).
        if in_range(&Some(cdue.clone())) {
            e[1] += 1;
            e[2] += u32::from(contacted.as_deref().is_some_and(|c| c <= cdue.as_str()));
        }
        if in_range(&Some(rdue.clone())) {
            e[3] += 1;
            e[4] += u32::from(replied.as_deref().is_some_and(|c| c <= rdue.as_str()));
        }
        if in_range(&date(&i["closed_at"])) {
            e[5] += 1;
        }
        if !i["evaluation"].is_null() && in_range(&date(&i["closed_at"])) {
            e[6] += 1;
        }
    }
    let mut checked = 0;
    for u in r["units"].as_array().unwrap() {
        let id = u["unit_id"].as_str().unwrap();
        let e = expect.get(id).copied().unwrap_or_default();
        let got = [
            "received",
            "contact_due",
            "contact_on_time",
            "reply_due",
            "reply_on_time",
            "closed",
            "evaluations",
        ]
        .map(|k| u[k].as_u64().unwrap() as u32);
        assert_eq!(got, e, "unit {id}");
        checked += u32::from(e[0] > 0);
    }
    assert_eq!(checked, 4, "all four units had work in the range");
    // The same range asked for one unit gives that unit's row.
    let one = json(
        d,
        now,
        &[
            "report",
            "--from",
            from,
            "--to",
            to,
            "--unit",
            "区税务局",
            "--format",
            "json",
        ],
    );
    assert_eq!(one["units"].as_array().unwrap().len(), 1);
    assert_eq!(one["units"][0]["unit_id"], "tax");
}

#[test]
fn csv_opens_in_excel_and_bad_ranges_are_refused() {
    let dir = store();
    let d = dir.path();
    let now = "2026-11-20T10:00:00";
    let o = dd(
        d,
        now,
        &[
            "report",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
            "--format",
            "csv",
        ],
    );
    assert!(o.status.success());
    let header = "\u{feff}排名,单位,受理,交办,对接期限内应对接,按时对接,按时对接率,答复期限内应答复,按时答复,按时答复率,办结,重新打开,转入,转出,退回,平均对接工作日,平均答复工作日,评价数,亲近度,清廉度,满意度,检查次数,无扰日违规,综合得分\n";
    assert!(
        o.stdout.starts_with(header.as_bytes()),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().count(), 15, "header and one row per lead unit");
    let en = dd(d, now, &["--lang", "en", "report", "--format", "csv"]);
    assert!(en
        .stdout
        .starts_with("\u{feff}rank,unit,received,assigned,".as_bytes()));

    let bad = dd(
        d,
        now,
        &["report", "--from", "2026-10-31", "--to", "2026-10-01"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--from"));
    let bad = dd(d, now, &["--lang", "en", "report", "--from", "10/01/2026"]);
    assert_eq!(bad.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&bad.stderr);
    assert!(
        msg.contains("--from") && msg.contains("YYYY-MM-DD"),
        "{msg}"
    );
    let bad = dd(d, now, &["report", "--unit", "区气象局"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn handover_masks_phones_unless_asked() {
    let dir = store();
    let d = dir.path();
    let now = "2026-10-30T18:00:00";
    let md = ok(d, now, &["handover", "--since", "2026-10-30T08:00"]);
    assert!(
        md.contains("139****5678") && !md.contains("13912345678"),
        "{md}"
    );
    assert!(md.contains("# 交接班记录"));
    let full = json(
        d,
        now,
        &[
            "handover",
            "--since",
            "2026-10-30T08:00",
            "--format",
            "json",
            "--show-pii",
        ],
    );
    let logged = full["logged"].as_array().unwrap();
    assert!(!logged.is_empty());
    assert!(logged.iter().all(|i| i["phone"] == "13912345678"));
    assert_eq!(full["signed_off"], false);
    // No shift yet and no --since: a clear error, exit 2.
    let o = dd(d, now, &["handover"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--since"));
    let o = dd(d, now, &["handover", "--shift", "99"]);
    assert_ne!(o.status.code(), Some(0));
}
