//! `dutydesk enterprise import`: an existing enterprise changes only with `--update`, and a
//! malformed file is refused whole with `file:line`, exit 2, nothing written.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
const NOW: &str = "2026-09-30T10:00:00";
const HEADER: &str = "credit_code,name,district,grade,vip_categories,contact,phone\n";
const DAIKA: &str =
    "91440300708461136T,重庆戴卡捷力轮毂制造有限公司,西彭镇,龙头企业,规上工业企业,张三,13812345678\n";
const CHANGAN: &str =
    "91110000100003495Y,重庆长安汽车零部件配套有限公司,杨家坪街道,骨干企业,,李四,023-68881234\n";

fn dd(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, NOW, args)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(common::must(dir, NOW, args).stdout).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn journal(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("journal.jsonl")).unwrap_or_default()
}

fn export_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&ok(
        dir,
        &["enterprise", "export", "--format", "json", "--show-pii"],
    ))
    .unwrap()
}

#[test]
fn an_existing_enterprise_changes_only_with_update() {
    let store = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let d = store.path();
    let first = write(files.path(), "first.csv", &format!("{HEADER}{DAIKA}"));
    ok(d, &["enterprise", "import", first.to_str().unwrap()]);
    let before = journal(d);
    // The same credit code, a new name and no VIP categories.
    let second = write(
        files.path(),
        "second.csv",
        &format!(
            "{HEADER}{CHANGAN}91440300708461136T,戴卡新名称有限公司,西彭镇,,,张三,13812345678\n"
        ),
    );
    let o = dd(d, &["enterprise", "import", second.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("second.csv:3:")
            && err.contains("91440300708461136T")
            && err.contains("重庆戴卡捷力轮毂制造有限公司")
            && err.contains("--update"),
        "{err}"
    );
    assert!(err.contains("未导入任何记录"), "{err}");
    // Nothing written: not even the new enterprise on line 2.
    assert_eq!(journal(d), before);
    let v = export_json(d);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["name"], "重庆戴卡捷力轮毂制造有限公司");
    assert_eq!(v[0]["vip"][0], "above_scale");

    let o = dd(
        d,
        &[
            "--lang",
            "en",
            "enterprise",
            "import",
            second.to_str().unwrap(),
        ],
    );
    assert!(
        stderr(&o).contains("already registered as"),
        "{}",
        stderr(&o)
    );

    let out = ok(
        d,
        &["enterprise", "import", second.to_str().unwrap(), "--update"],
    );
    assert!(out.contains("新增 1 家，更新 1 家"), "{out}");
    let v = export_json(d);
    let daika = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["credit_code"] == "91440300708461136T")
        .unwrap();
    assert_eq!(daika["name"], "戴卡新名称有限公司");
    assert!(daika["vip"].as_array().unwrap().is_empty());
    // Importing the same file again changes nothing and says so.
    let before = journal(d);
    let out = ok(d, &["enterprise", "import", second.to_str().unwrap()]);
    assert!(
        out.contains("已导入 0 家") && out.contains("2 家与文件内容完全相同"),
        "{out}"
    );
    assert_eq!(journal(d), before);
}

/// Each malformed file is refused with its `file:line` and a hint, exit 2, nothing written.
#[test]
fn malformed_files_are_refused_with_file_and_line() {
    let files = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "unterminated.csv",
            format!("{HEADER}{CHANGAN}\"91440300708461136T,重庆戴卡,西彭镇,,,,\n"),
            vec!["unterminated.csv:3:", "引号"],
        ),
        (
            "short.csv",
            format!("{HEADER}{CHANGAN}91440300708461136T,重庆戴卡,西彭镇\n"),
            vec!["short.csv:3:", "此行有 3 列，表头有 7 列"],
        ),
        (
            "long.csv",
            format!("{HEADER}91440300708461136T,重庆戴卡,西彭镇,,,,,多余\n"),
            vec!["long.csv:2:", "此行有 8 列"],
        ),
        (
            "dupheader.csv",
            format!("credit_code,name,name,district,grade,vip_categories,contact,phone\n{DAIKA}"),
            vec!["dupheader.csv:1:", "「name」出现了两次（第 2 列和第 3 列）"],
        ),
        (
            "missing.csv",
            "credit_code,name\n91440300708461136T,重庆戴卡\n".into(),
            vec!["missing.csv:1:", "表头缺少列 \"district\"", "表头应为"],
        ),
        (
            "unknown.csv",
            format!("{}，备注\n", HEADER.trim_end()),
            vec!["unknown.csv:1:", "未知列"],
        ),
        (
            "control.csv",
            format!("{HEADER}91440300708461136T,重庆\u{7}戴卡,西彭镇,,,,\n"),
            vec![
                "control.csv:2:",
                "name（企业名称）",
                "第 3 个字符是控制字符 U+0007",
            ],
        ),
        (
            "bidi.csv",
            format!("{HEADER}91440300708461136T,\u{202e}重庆戴卡,西彭镇,,,,\n"),
            vec!["bidi.csv:2:", "双向文字控制符 U+202E"],
        ),
        (
            "twice.csv",
            format!("{HEADER}{DAIKA}{CHANGAN}{DAIKA}"),
            vec!["twice.csv:4:", "与第 2 行（", "twice.csv:2）重复"],
        ),
        (
            "stray.csv",
            format!("{HEADER}91440300708461136T,重庆\"戴卡,西彭镇,,,,\n"),
            vec!["stray.csv:2:", "\"\""],
        ),
        (
            "empty.csv",
            String::new(),
            vec!["empty.csv:1:", "文件是空的"],
        ),
        (
            "masked.csv",
            format!("{HEADER}91440300708461136T,重庆戴卡,西彭镇,,,,138****5678\n"),
            vec!["masked.csv:2:", "打码", "--show-pii"],
        ),
    ];
    for (name, text, needles) in cases {
        let store = tempfile::tempdir().unwrap();
        let d = store.path();
        let f = write(files.path(), name, &text);
        let o = dd(d, &["enterprise", "import", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        for n in needles {
            assert!(err.contains(n), "{name}: wanted {n:?} in\n{err}");
        }
        assert!(journal(d).is_empty(), "{name}: nothing may be written");
        assert!(
            !d.join("journal.jsonl").exists(),
            "{name}: no store created"
        );
    }
    // The English messages say the same.
    let store = tempfile::tempdir().unwrap();
    let f = write(
        files.path(),
        "short-en.csv",
        &format!("{HEADER}91440300708461136T,重庆戴卡\n"),
    );
    let o = dd(
        store.path(),
        &["--lang", "en", "enterprise", "import", f.to_str().unwrap()],
    );
    let err = stderr(&o);
    assert!(
        err.contains("short-en.csv:2: the row has 2 fields but the header has 7"),
        "{err}"
    );
    let o = dd(
        store.path(),
        &["enterprise", "import", "/nonexistent/x.csv"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("文件不存在"), "{}", stderr(&o));
}

#[test]
fn export_neutralises_formulas_and_import_reads_them_back() {
    let store = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let d = store.path();
    // Quoted fields with commas, a formula-like district and contact.
    let f = write(
        files.path(),
        "f.csv",
        &format!(
            "{HEADER}91440300708461136T,\"重庆戴卡, 轮毂\",\"=HYPERLINK(\"\"http://x.example\"\")\",,,@张三,13812345678\n{CHANGAN}"
        ),
    );
    ok(d, &["enterprise", "import", f.to_str().unwrap()]);
    let csv = ok(d, &["enterprise", "export", "--show-pii"]);
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://x.example\"\")\",") && csv.contains(",\"'@张三\","),
        "{csv}"
    );
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",@张三"),
        "{csv}"
    );
    // Export → import into a new store → export gives the same file, and the same records.
    let out = write(files.path(), "out.csv", &csv);
    let other = tempfile::tempdir().unwrap();
    ok(
        other.path(),
        &["enterprise", "import", out.to_str().unwrap()],
    );
    assert_eq!(
        ok(other.path(), &["enterprise", "export", "--show-pii"]),
        csv
    );
    let v = export_json(other.path());
    let daika = &v[1];
    assert_eq!(daika["district"], "=HYPERLINK(\"http://x.example\")");
    assert_eq!(daika["contact"], "@张三");
    assert_eq!(daika["name"], "重庆戴卡, 轮毂");
    // Re-importing the export into the store it came from changes nothing.
    let before = journal(d);
    ok(d, &["enterprise", "import", out.to_str().unwrap()]);
    assert_eq!(journal(d), before);
}
