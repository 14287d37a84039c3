//! Command-line conventions: completions and man pages, help in the user's language, the log
//! file, and a mistyped `--data` that is refused without creating anything.

mod common;

use common::{fixture, must, run, BIN};
use std::process::Command;

const NOW: &str = "2026-09-30T10:00:00";

fn bare(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env_remove("DUTYDESK_DATA")
        .output()
        .unwrap()
}

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = bare(&["completions", shell]);
        assert!(
            o.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let s = String::from_utf8_lossy(&o.stdout);
        assert!(
            s.contains("handover") && s.contains("enterprise"),
            "{shell}: {s}"
        );
    }
    let o = bare(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_pages_one_per_subcommand() {
    let o = bare(&["--lang", "en", "man"]);
    assert!(o.status.success());
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH dutydesk"),
        "{page}"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let o = bare(&["man", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in [
        "dutydesk.1",
        "dutydesk-issue-add.1",
        "dutydesk-enterprise-show.1",
        "dutydesk-handover.1",
    ] {
        let p = out.join(name);
        let text = std::fs::read_to_string(&p).unwrap_or_else(|_| panic!("no {name}"));
        assert!(text.contains(".TH"), "{name}: {text}");
    }
    let add = std::fs::read_to_string(out.join("dutydesk-issue-add.1")).unwrap();
    assert!(add.contains("问题描述"), "Chinese by default: {add}");
}

#[test]
fn help_is_chinese_by_default_and_english_with_lang_en() {
    let zh = bare(&["issue", "add", "--help"]);
    assert!(zh.status.success());
    let zh = String::from_utf8_lossy(&zh.stdout);
    assert!(
        zh.contains("用法：") && zh.contains("问题描述") && zh.contains("显示帮助"),
        "{zh}"
    );
    let en = bare(&["--lang", "en", "issue", "add", "--help"]);
    let en = String::from_utf8_lossy(&en.stdout);
    assert!(
        en.contains("Usage:") && en.contains("Description of the problem"),
        "{en}"
    );
    // --keymap belongs to the TUI: the top level and demo, not to issue commands.
    assert!(!en.contains("--keymap"), "{en}");
    let top = String::from_utf8_lossy(&bare(&["--lang", "en", "--help"]).stdout).into_owned();
    assert!(top.contains("--keymap"), "{top}");
    let demo =
        String::from_utf8_lossy(&bare(&["--lang", "en", "demo", "--help"]).stdout).into_owned();
    assert!(demo.contains("--keymap"), "{demo}");
}

#[test]
fn the_log_records_each_start_and_each_error_without_values() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    must(
        d,
        NOW,
        &["enterprise", "import", &fixture("enterprises.csv")],
    );
    let o = run(d, NOW, &["issue", "show", "99"]);
    assert_eq!(o.status.code(), Some(2));
    let args = [
        "issue",
        "add",
        "--enterprise",
        "91440300708461136T",
        "--category",
        "融资信贷",
        "--text",
        "秘密内容",
        "--phone",
        "13812345678",
    ];
    must(d, NOW, &args);
    let log = std::fs::read_to_string(d.join("dutydesk.log")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        log.contains(&format!("INFO start dutydesk {version} pid ")),
        "{log}"
    );
    assert!(
        log.contains(": issue show\n") || log.contains(": issue show "),
        "{log}"
    );
    assert!(log.contains("ERROR exit 2"), "{log}");
    assert!(
        log.contains(": issue add --enterprise --category --text --phone"),
        "{log}"
    );
    assert!(
        !log.contains("13812345678") && !log.contains("秘密内容"),
        "values stay out: {log}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(d.join("dutydesk.log"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_mistyped_data_directory_is_refused_and_left_uncreated() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo");
    let t = typo.to_str().unwrap();
    for args in [
        vec!["enterprise", "show", "戴卡"],
        vec!["handover", "--format", "text"],
        vec!["verify"],
        vec!["backup", "elsewhere"],
        vec!["issue", "list", "--format", "csv"],
    ] {
        let mut full = vec!["--data", t];
        full.extend(&args);
        let o = Command::new(BIN)
            .args(&full)
            .env("DUTYDESK_NOW", NOW)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(
            e.contains(t) && e.contains("dutydesk demo --data"),
            "{args:?}: {e}"
        );
        assert!(!typo.exists(), "{args:?} created {t}");
    }
    // A new store is still started by those that make one.
    let o = Command::new(BIN)
        .args([
            "--data",
            t,
            "enterprise",
            "import",
            &fixture("enterprises.csv"),
        ])
        .env("DUTYDESK_NOW", NOW)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(typo.join("journal.jsonl").exists());
}
