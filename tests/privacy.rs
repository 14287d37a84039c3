//! Phones are masked (139****1111) in every output unless `--show-pii`; the filed handover
//! brief holds them masked; briefs and reports print the journal's chain head as a witness.

use std::path::Path;
use std::process::Output;

use chrono::NaiveDateTime;
use dutydesk::desk::{Command, Desk};
use dutydesk::domain::{DutyType, Officer};

mod common;
const NOW: &str = "2026-09-30T10:00:00";
const FULL: &str = "13900001111";
const MASKED: &str = "139****1111";

fn dd(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, NOW, args)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(common::must(dir, NOW, args).stdout).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, args)).expect("valid JSON")
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
}

/// The fixture's enterprises and one issue with a phone.
fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &["enterprise", "import", &common::fixture("enterprises.csv")],
    );
    ok(
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
            FULL,
        ],
    );
    dir
}

#[test]
fn issue_outputs_mask_phones_unless_asked() {
    let dir = store();
    let d = dir.path();
    let list = json(d, &["issue", "list", "--format", "json"]);
    assert_eq!(list[0]["phone"], MASKED);
    let list = json(d, &["issue", "list", "--format", "json", "--show-pii"]);
    assert_eq!(list[0]["phone"], FULL);
    for format in ["table", "csv"] {
        let text = ok(d, &["issue", "list", "--format", format]);
        assert!(!text.contains(FULL), "{format}: {text}");
    }
    let show = ok(d, &["issue", "show", "1"]);
    assert!(show.contains(MASKED) && !show.contains(FULL), "{show}");
    assert!(ok(d, &["issue", "show", "1", "--show-pii"]).contains(FULL));
    let show = ok(d, &["issue", "show", "1", "--format", "json"]);
    assert!(!show.contains(FULL), "the history too: {show}");
    let v: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(v["phone"], MASKED);
    assert_eq!(v["history"][0]["phone"], MASKED);
    let v = json(d, &["issue", "show", "1", "--format", "json", "--show-pii"]);
    assert_eq!(v["history"][0]["phone"], FULL);
    // The result of a change, as JSON.
    let v = json(d, &["issue", "assign", "1", "tax", "--format", "json"]);
    assert_eq!(v["phone"], MASKED);
    let v = json(
        d,
        &[
            "issue",
            "note",
            "1",
            "--text",
            "x",
            "--format",
            "json",
            "--show-pii",
        ],
    );
    assert_eq!(v["phone"], FULL);
}

#[test]
fn enterprise_outputs_mask_phones_unless_asked() {
    let dir = store();
    let d = dir.path();
    let csv = ok(d, &["enterprise", "export"]);
    assert!(
        csv.contains("138****5678")
            && !csv.contains("13812345678")
            && !csv.contains("023-68881234"),
        "{csv}"
    );
    assert!(csv.contains("023*****1234"), "{csv}");
    assert!(ok(d, &["enterprise", "export", "--show-pii"]).contains("13812345678"));
    let v = json(d, &["enterprise", "export", "--format", "json"]);
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["phone"].as_str().unwrap().contains("****")));
    let v = json(d, &["enterprise", "search", "戴卡", "--format", "json"]);
    assert_eq!(v[0]["phone"], "138****5678");
    assert_eq!(v[0]["contact"], "张三");
    let v = json(
        d,
        &[
            "enterprise",
            "search",
            "戴卡",
            "--format",
            "json",
            "--show-pii",
        ],
    );
    assert_eq!(v[0]["phone"], "13812345678");
    // A masked export is refused on import, with the way to a full one.
    let f = d.join("masked.csv");
    std::fs::write(&f, &csv).unwrap();
    let other = tempfile::tempdir().unwrap();
    let o = dd(other.path(), &["enterprise", "import", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--show-pii") && err.contains(":2: phone"),
        "{err}"
    );
}

#[test]
fn the_filed_brief_holds_phones_masked_and_its_chain_head() {
    let dir = store();
    let d = dir.path();
    let (head, shift) = {
        let mut desk = Desk::open(d).unwrap();
        let officer = Officer {
            name: "张敏".into(),
            unit: "govservice".into(),
            duty: DutyType::Fixed,
        };
        let shift = desk
            .execute(
                "张敏",
                at("2026-09-30T08:30:00"),
                Command::BeginShift { officer },
            )
            .unwrap()
            .created
            .unwrap();
        let head = desk.chain_head();
        dutydesk::report::handover::sign_off(&mut desk, "张敏", at("2026-09-30T17:30:00"), shift)
            .unwrap();
        (head, shift)
    };
    let journal = std::fs::read_to_string(d.join("journal.jsonl")).unwrap();
    let ended = journal
        .lines()
        .find(|l| l.contains("shift_ended"))
        .expect("the sign-off event");
    assert!(ended.contains(MASKED) && !ended.contains(FULL), "{ended}");
    let id = shift.to_string();
    let md = ok(d, &["handover", "--shift", &id]);
    assert!(md.contains(MASKED) && !md.contains(FULL), "{md}");
    assert!(
        md.contains(&format!("日志链头（核验用）: {}:{}", head.seq, head.hash)),
        "{md}"
    );
    let v = json(d, &["handover", "--shift", &id, "--format", "json"]);
    assert_eq!(v["chain_head"]["seq"], head.seq);
    assert_eq!(v["chain_head"]["hash"], head.hash.as_str());
    assert_eq!(v["logged"][0]["phone"], MASKED);
    // --show-pii fills the full numbers in from the issue records.
    let v = json(
        d,
        &["handover", "--shift", &id, "--format", "json", "--show-pii"],
    );
    assert_eq!(v["logged"][0]["phone"], FULL);
    assert!(ok(d, &["handover", "--shift", &id, "--show-pii"]).contains(FULL));
}

#[test]
fn a_brief_filed_with_full_phones_by_an_earlier_version_prints_masked() {
    let dir = store();
    let d = dir.path();
    {
        let mut desk = Desk::open(d).unwrap();
        let officer = Officer {
            name: "张敏".into(),
            unit: "govservice".into(),
            duty: DutyType::Fixed,
        };
        let shift = desk
            .execute(
                "张敏",
                at("2026-09-30T08:30:00"),
                Command::BeginShift { officer },
            )
            .unwrap()
            .created
            .unwrap();
        let s = desk.shift(shift).unwrap();
        let mut brief = dutydesk::report::handover::draft_from_desk(
            &desk,
            Some(&s),
            s.started_at,
            at("2026-09-30T17:30:00"),
            "张敏",
        )
        .unwrap();
        // As earlier versions filed it: full numbers, no chain head.
        brief.chain_head = None;
        assert_eq!(brief.logged[0].phone, FULL);
        let brief = serde_json::to_value(brief).unwrap();
        desk.execute(
            "张敏",
            at("2026-09-30T17:30:00"),
            Command::EndShift { id: shift, brief },
        )
        .unwrap();
    }
    assert!(std::fs::read_to_string(d.join("journal.jsonl"))
        .unwrap()
        .contains(FULL));
    let md = ok(d, &["handover", "--shift", "1"]);
    assert!(md.contains(MASKED) && !md.contains(FULL), "{md}");
    assert!(
        !md.contains("日志链头"),
        "an old brief has no head to show: {md}"
    );
    let v = json(d, &["handover", "--shift", "1", "--format", "json"]);
    assert_eq!(v["logged"][0]["phone"], MASKED);
    assert!(v.get("chain_head").is_none());
}

#[test]
fn report_and_draft_briefs_print_the_chain_head() {
    let dir = store();
    let d = dir.path();
    let verify = ok(d, &["verify", "--lang", "en"]);
    let v = json(d, &["report", "--format", "json"]);
    let seq = v["chain_head"]["seq"].as_u64().unwrap();
    let hash = v["chain_head"]["hash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 64);
    // The same head verify reports: event count and last hash.
    assert!(
        verify.contains(&format!("{seq} events")) && verify.contains(&hash[..12]),
        "{verify} vs {seq}:{hash}"
    );
    let md = ok(d, &["report"]);
    assert!(
        md.contains(&format!("日志链头（核验用）: {seq}:{hash}")),
        "{md}"
    );
    let en = ok(d, &["report", "--lang", "en"]);
    assert!(
        en.contains(&format!(
            "Journal chain head (for verification): {seq}:{hash}"
        )),
        "{en}"
    );
    // CSV stays pure data rows.
    assert!(!ok(d, &["report", "--format", "csv"]).contains(&hash));
    let md = ok(d, &["handover", "--since", "2026-09-30T08:00"]);
    assert!(
        md.contains(&format!("日志链头（核验用）: {seq}:{hash}")),
        "{md}"
    );
    let v = json(
        d,
        &[
            "handover",
            "--since",
            "2026-09-30T08:00",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["chain_head"]["seq"], seq);
}
