//! Inspection reports through the real binary: no-disturbance days at their edges, exemptions,
//! departments outside the configured units, matching of unit and enterprise filings, the
//! 30-day limit, bad input, CSV.

use std::path::Path;
use std::process::Output;

mod common;
const NOW: &str = "2026-11-20T10:00:00";
const DAIKA: &str = "91440300708461136T";
const CHANGAN: &str = "91110000100003495Y";

fn dd(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, NOW, args)
}

fn ok(dir: &Path, args: &[&str]) -> Output {
    common::must(dir, NOW, args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout(&ok(dir, args))).expect("valid JSON")
}

fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let csv = format!(
        "{}/tests/fixtures/enterprises.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    ok(dir.path(), &["enterprise", "import", &csv]);
    dir
}

/// Files an inspection by the market regulator (kind planned unless given); extra flags last.
fn add(dir: &Path, ent: &str, date: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "inspection",
        "add",
        "--unit",
        "market",
        "--enterprise",
        ent,
        "--date",
        date,
    ];
    if !extra.contains(&"--kind") {
        args.extend_from_slice(&["--kind", "planned"]);
    }
    args.extend_from_slice(extra);
    ok(dir, &args)
}

/// The id printed first on the line `inspection add` writes.
fn id_of(o: &Output) -> u64 {
    stdout(o)
        .split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {:?}", stdout(o)))
}

fn ids(v: &serde_json::Value) -> Vec<u64> {
    let mut ids: Vec<u64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_u64().unwrap())
        .collect();
    ids.sort();
    ids
}

#[test]
fn no_disturbance_days_at_their_edges_and_with_exemption() {
    let dir = store();
    let d = dir.path();
    let on_7th = add(d, DAIKA, "2026-10-07", &[]);
    let on_8th = add(d, DAIKA, "2026-10-08", &[]);
    let on_23rd = add(d, CHANGAN, "2026-10-23", &[]);
    let on_24th = add(d, CHANGAN, "2026-10-24", &[]);
    let exempt = add(
        d,
        DAIKA,
        "2026-11-10",
        &["--kind", "safety", "--exemption", "safety"],
    );
    for o in [&on_7th, &on_24th, &exempt] {
        assert_eq!(
            stderr(o),
            "",
            "no warning outside the window or when exempt"
        );
    }
    for o in [&on_8th, &on_23rd] {
        assert!(stderr(o).contains("无扰日违规"), "{}", stderr(o));
    }
    assert!(
        stdout(&exempt).contains("例外情形：安全生产"),
        "{}",
        stdout(&exempt)
    );
    let v = json(
        d,
        &["inspection", "list", "--violations", "--format", "json"],
    );
    assert_eq!(ids(&v), vec![id_of(&on_8th), id_of(&on_23rd)]);
    for i in v.as_array().unwrap() {
        assert_eq!(i["violation"], true);
        assert_eq!(i["exemption"], serde_json::Value::Null);
    }
    let all = json(d, &["inspection", "list", "--format", "json"]);
    assert_eq!(all.as_array().unwrap().len(), 5);
    // Newest first.
    assert_eq!(all[0]["date"], "2026-11-10");
    assert_eq!(all[0]["exemption"], "safety");
    assert_eq!(all[0]["kind"], "safety");
    assert_eq!(all[0]["violation"], false);
}

#[test]
fn a_department_outside_the_lead_units_is_accepted() {
    let dir = store();
    let d = dir.path();
    let o = ok(
        d,
        &[
            "inspection",
            "add",
            "--unit",
            "区应急管理局",
            "--enterprise",
            "重庆戴卡捷力轮毂制造有限公司",
            "--date",
            "2026-11-02",
            "--kind",
            "other",
            "--inspectors",
            "王强、李娜",
            "--result",
            "消防通道堵塞，责令整改",
        ],
    );
    assert!(stdout(&o).contains("区应急管理局"), "{}", stdout(&o));
    add(d, CHANGAN, "2026-11-03", &[]);
    let v = json(
        d,
        &[
            "inspection",
            "list",
            "--unit",
            "区应急管理局",
            "--format",
            "json",
        ],
    );
    assert_eq!(v.as_array().unwrap().len(), 1);
    let i = &v[0];
    assert_eq!(i["unit"], "区应急管理局");
    assert_eq!(i["unit_id"], serde_json::Value::Null);
    assert_eq!(i["credit_code"], DAIKA);
    assert_eq!(i["inspectors"], "王强、李娜");
    assert_eq!(i["result"], "消防通道堵塞，责令整改");
    assert_eq!(i["filed_by"], "测试员");
    assert_eq!(i["filed_at"], "2026-11-20T10:00:00");
    assert_eq!(i["by"], "unit");
    // A configured unit shows its Chinese name and is found by id or by name.
    for key in ["market", "区市场监管局"] {
        let v = json(
            d,
            &["inspection", "list", "--unit", key, "--format", "json"],
        );
        assert_eq!(v.as_array().unwrap().len(), 1, "{key}");
        assert_eq!(v[0]["unit"], "区市场监管局");
        assert_eq!(v[0]["unit_id"], "market");
    }
}

#[test]
fn unit_and_enterprise_filings_of_one_inspection_are_matched() {
    let dir = store();
    let d = dir.path();
    let unit = id_of(&add(d, DAIKA, "2026-11-02", &[]));
    // The enterprise reports the same inspection itself, naming the unit by its name.
    let o = ok(
        d,
        &[
            "inspection",
            "add",
            "--unit",
            "区市场监管局",
            "--enterprise",
            DAIKA,
            "--date",
            "2026-11-02",
            "--kind",
            "planned",
            "--by",
            "enterprise",
        ],
    );
    let ent = id_of(&o);
    assert!(stdout(&o).contains(&format!("#{unit}")), "{}", stdout(&o));
    // Another day does not match.
    let other = id_of(&add(
        d,
        DAIKA,
        "2026-11-03",
        &["--by", "enterprise", "--exemption", "order"],
    ));
    let v = json(d, &["inspection", "list", "--format", "json"]);
    let get = |id: u64| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(get(unit)["matched"], ent);
    assert_eq!(get(ent)["matched"], unit);
    assert_eq!(get(ent)["by"], "enterprise");
    assert_eq!(get(ent)["duplicate"], true);
    assert_eq!(get(unit)["duplicate"], false);
    assert_eq!(get(other)["matched"], serde_json::Value::Null);
    // The pair counts once.
    assert_eq!(get(other)["inspections_30d"], 2);
}

#[test]
fn the_third_inspection_in_30_days_warns_but_is_recorded() {
    let dir = store();
    let d = dir.path();
    let first = add(d, DAIKA, "2026-10-26", &[]);
    let second = add(d, DAIKA, "2026-11-02", &[]);
    // The enterprise's own report of the second one is not a third inspection.
    let dup = add(d, DAIKA, "2026-11-02", &["--by", "enterprise"]);
    for o in [&first, &second, &dup] {
        assert_eq!(stderr(o), "");
    }
    let third = add(d, DAIKA, "2026-11-06", &[]);
    assert!(
        stderr(&third).contains("30 天内已被检查 3 次，超过上限 2 次"),
        "{}",
        stderr(&third)
    );
    let v = json(d, &["inspection", "list", "--format", "json"]);
    assert_eq!(v.as_array().unwrap().len(), 4);
    assert_eq!(v[0]["id"], id_of(&third));
    assert_eq!(v[0]["frequent"], true);
    assert!(v.as_array().unwrap()[1..]
        .iter()
        .all(|i| i["frequent"] == false));
    // Another enterprise is counted on its own; English warning.
    let o = ok(
        d,
        &[
            "--lang",
            "en",
            "inspection",
            "add",
            "--unit",
            "tax",
            "--enterprise",
            DAIKA,
            "--date",
            "2026-11-20",
            "--kind",
            "order",
            "--exemption",
            "order",
        ],
    );
    assert!(
        stderr(&o).contains("inspected 4 times in the 30 days to 2026-11-20"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_input_exits_2_names_the_field_and_writes_nothing() {
    let dir = store();
    let d = dir.path();
    add(d, DAIKA, "2026-11-02", &[]);
    let journal = std::fs::read(d.join("journal.jsonl")).unwrap();
    let base = [
        "inspection",
        "add",
        "--unit",
        "market",
        "--enterprise",
        DAIKA,
    ];
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--date", "2026-11-02", "--kind", "surprise"],
            "检查类型「surprise」：应为以下之一：planned",
            "--kind \"surprise\": must be one of: planned",
        ),
        (
            &[
                "--date",
                "2026-11-02",
                "--kind",
                "planned",
                "--exemption",
                "vip",
            ],
            "例外情形「vip」",
            "--exemption \"vip\": must be one of: safety",
        ),
        (
            &["--date", "2026/11/02", "--kind", "planned"],
            "日期「2026/11/02」：日期格式应为 YYYY-MM-DD",
            "--date \"2026/11/02\": dates are YYYY-MM-DD",
        ),
        (
            &["--date", "2026-11-21", "--kind", "planned"],
            "日期「2026-11-21」：晚于今天（2026-11-20）",
            "--date \"2026-11-21\": is after today (2026-11-20)",
        ),
        (
            &["--date", "2026-11-02", "--kind", "planned", "--by", "both"],
            "报备方「both」",
            "--by \"both\": must be one of: unit",
        ),
    ];
    for (extra, zh, en) in cases {
        for (lang, want) in [("zh", zh), ("en", en)] {
            let mut args = vec!["--lang", lang];
            args.extend_from_slice(&base);
            args.extend_from_slice(extra);
            let o = dd(d, &args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
            assert_eq!(stdout(&o), "");
        }
    }
    let o = dd(
        d,
        &[
            "--lang",
            "en",
            "inspection",
            "add",
            "--unit",
            "market",
            "--enterprise",
            "不存在的公司",
            "--date",
            "2026-11-02",
            "--kind",
            "planned",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no enterprise"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(d.join("journal.jsonl")).unwrap(),
        journal,
        "refused input wrote nothing"
    );
    let v = json(d, &["inspection", "list", "--format", "json"]);
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn csv_starts_with_a_bom_and_keeps_chinese() {
    let dir = store();
    let d = dir.path();
    add(d, DAIKA, "2026-11-09", &["--inspectors", "王强"]);
    let o = ok(d, &["inspection", "list", "--format", "csv"]);
    let bytes = &o.stdout;
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "编号,检查日期,检查单位,企业,统一社会信用代码,检查类型,例外情形,报备方,检查人员,检查结果,报备时间,报备人,无扰日违规,频繁检查,对应报备编号,重复报备,30天内检查次数"
    );
    assert_eq!(
        lines.next().unwrap(),
        format!("1,2026-11-09,区市场监管局,重庆戴卡捷力轮毂制造有限公司,\"=\"\"{DAIKA}\"\"\",双随机检查,,单位,王强,,2026-11-20 10:00:00,测试员,是,否,,否,1")
    );
    assert_eq!(lines.next(), None);
    // The table lists it with its violation mark.
    let t = stdout(&ok(d, &["inspection", "list", "--violations"]));
    assert!(t.contains("无扰日违规") && t.contains("共 1 条"), "{t}");
}
