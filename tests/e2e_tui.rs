//! End-to-end tests of the real binary's TUI, driven through tmux: keys in with send-keys,
//! screen out with capture-pane, polling until text appears.

mod tmux;

use std::process::Command;

use tmux::{cli, Tmux, BIN};

fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let f = format!("{}/tests/fixtures/search.csv", env!("CARGO_MANIFEST_DIR"));
    cli(dir.path(), &["enterprise", "import", &f]);
    dir
}

#[test]
fn demo_sign_in_log_by_initials_assign_and_list() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("demo");
    let t = Tmux::start(&d, &format!("demo --data '{}'", d.display()));
    let id = log_issue_via_tui(&t);
    t.keys(&["a"]);
    t.wait_for("选择牵头单位");
    t.text("rlsb");
    t.keys(&["Enter"]);
    t.wait_for("主办单位: 区人力社保局");
    t.keys(&["F3", "s"]);
    t.wait_for("按登记时间");
    let row = t.wait_for_line(&[&format!("{id} "), "区人力社保局"]);
    assert!(
        row.contains("重庆戴卡捷力") && row.contains("11-24"),
        "{row}"
    );
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
    let list: serde_json::Value =
        serde_json::from_str(&cli(&d, &["issue", "list", "--format", "json"])).unwrap();
    let item = list
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .expect("issue listed");
    assert_eq!(item["unit"], "区人力社保局");
    assert_eq!(item["status"], "assigned");
    assert!(
        list.as_array().unwrap().len() > 1000,
        "the demo store is there"
    );
}

/// Signs in as 张敏 and logs an issue for the enterprise found by `cqdk`; returns its id.
fn log_issue_via_tui(t: &Tmux) -> u64 {
    t.wait_for("值班签到");
    t.text("张敏");
    t.keys(&["Enter"]);
    t.wait_for("需要处理");
    t.keys(&["n"]);
    t.wait_for("登记新问题");
    t.text("cqdk");
    t.wait_for("重庆戴卡捷力轮毂制造有限公司");
    t.keys(&["Enter"]);
    t.wait_for("✓ ");
    t.keys(&["Tab", "Tab"]);
    t.text("王经理");
    t.keys(&["Tab"]);
    t.text("13800138000");
    t.keys(&["Tab"]);
    t.text("扩产急需流动资金800万元");
    t.keys(&["Enter"]);
    let s = t.wait_for("已登记 #");
    let after = s.split("已登记 #").nth(1).unwrap();
    after
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap()
}

#[test]
fn log_assign_and_list_through_the_tui() {
    let dir = store();
    let t = Tmux::start(dir.path(), "");
    let id = log_issue_via_tui(&t);
    // Logged Friday 2026-11-20: contact due Tuesday 11-24.
    let s = t.screen();
    assert!(s.contains("2026-11-24"), "{s}");
    t.keys(&["a"]);
    t.wait_for("选择牵头单位");
    t.text("shuiwu");
    t.keys(&["Enter"]);
    t.wait_for("主办单位: 区税务局");
    t.keys(&["F3"]);
    t.wait_for("筛选:");
    let row = t.wait_for_line(&["重庆戴卡捷力", "区税务局"]);
    assert!(
        row.contains(&format!("{id} ")) && row.contains("11-24") && row.contains("剩2个工作日"),
        "{row}"
    );
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
    let list: serde_json::Value =
        serde_json::from_str(&cli(dir.path(), &["issue", "list", "--format", "json"])).unwrap();
    let item = list
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .expect("issue listed");
    assert_eq!(item["unit"], "区税务局");
    assert_eq!(item["enterprise"], "重庆戴卡捷力轮毂制造有限公司");
    assert_eq!(item["contact_due"], "2026-11-24");
    assert_eq!(item["history"], serde_json::Value::Null);
    let show: serde_json::Value = serde_json::from_str(&cli(
        dir.path(),
        &["issue", "show", &id.to_string(), "--format", "json"],
    ))
    .unwrap();
    assert_eq!(
        show["history"][0]["by"], "张敏",
        "changes are attributed to the signed-in officer"
    );
}

#[test]
fn sigkill_right_after_a_save_loses_nothing() {
    let dir = store();
    let t = Tmux::start(dir.path(), "");
    let id = log_issue_via_tui(&t);
    let pid = t.program_pid();
    unsafe { libc::kill(pid, libc::SIGKILL) };
    assert_eq!(t.wait_exit(), 128 + 9);
    // The lock died with the process: the store opens, the issue is there and the chain holds.
    assert!(cli(dir.path(), &["verify"]).contains("校验通过"));
    let list: serde_json::Value =
        serde_json::from_str(&cli(dir.path(), &["issue", "list", "--format", "json"])).unwrap();
    assert!(list.as_array().unwrap().iter().any(|v| v["id"] == id));
    // Relaunched in the same terminal, the TUI draws cleanly and lists the issue.
    t.relaunch(dir.path(), "");
    t.wait_for("值班签到");
    t.text("赵六");
    t.keys(&["Enter"]);
    t.wait_for("需要处理");
    t.keys(&["F3"]);
    t.wait_for("筛选:");
    t.wait_for_line(&["重庆戴卡捷力", &format!("{id} ")]);
    assert!(
        !t.screen().contains('\u{1b}'),
        "no stray escape sequences on screen"
    );
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn english_ui_and_too_small_terminal() {
    let dir = store();
    let t = Tmux::start(dir.path(), "--lang en");
    t.wait_for("Sign in");
    t.tmux(&["resize-window", "-x", "60", "-y", "20"]);
    t.wait_for("Terminal too small");
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn a_broken_keymap_is_bad_input_reported_before_the_tui_starts() {
    let dir = store();
    let k = dir.path().join("bad.toml");
    std::fs::write(
        &k,
        "[list]\n\"j\" = \"dwon\"\n\"ctrl-x\" = \"quit\"\n\"Ctrl-X\" = \"help\"\n\"nonsense-key\" = \"up\"\n",
    )
    .unwrap();
    for (lang, words) in [
        (None, ["未知的操作", "同一个按键", "无法识别按键"]),
        (
            Some("en"),
            ["unknown action", "same key", "cannot read key"],
        ),
    ] {
        let mut args = vec!["--keymap", k.to_str().unwrap()];
        if let Some(l) = lang {
            args.extend(["--lang", l]);
        }
        let o = Command::new(BIN)
            .args(&args)
            .env("DUTYDESK_DATA", dir.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        // Every problem, each with file:line, in the officer's language.
        for (line, word) in [2, 4, 5].into_iter().zip(words) {
            let at = format!("bad.toml:{line}: ");
            assert!(
                err.lines().any(|l| l.contains(&at) && l.contains(word)),
                "{at}{word}: {err}"
            );
        }
        assert!(
            err.contains("\"down\""),
            "the nearest action is suggested: {err}"
        );
        assert!(o.stdout.is_empty(), "the terminal was never touched");
    }
}

#[test]
fn end_of_shift_files_the_brief_and_the_next_officer_acknowledges_it() {
    let dir = store();
    let t = Tmux::start(dir.path(), "");
    let id = log_issue_via_tui(&t);
    t.keys(&["F6"]);
    t.wait_for("本班登记 1");
    t.text("戴卡续贷周一回访");
    t.keys(&["Enter"]);
    t.wait_for("已签退");
    t.wait_for("值班签到");
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
    let brief: serde_json::Value = serde_json::from_str(&cli(
        dir.path(),
        &["handover", "--shift", "1", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(brief["signed_off"], true);
    assert_eq!(brief["notes"], "戴卡续贷周一回访");
    assert_eq!(brief["logged"][0]["id"], id);
    assert_eq!(brief["logged"][0]["phone"], "138****8000");
    assert!(brief["acknowledged_by"].is_null());
    // The next officer signs in and sees the filed brief first.
    t.relaunch(dir.path(), "");
    t.wait_for("值班签到");
    t.text("李四");
    t.keys(&["Enter"]);
    t.wait_for("上一班交接单待确认");
    t.wait_for("戴卡续贷周一回访");
    t.keys(&["Enter"]);
    t.wait_for("已确认接班");
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
    let again: serde_json::Value = serde_json::from_str(&cli(
        dir.path(),
        &["handover", "--shift", "1", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(again["acknowledged_by"], "李四");
    assert_eq!(
        again["logged"], brief["logged"],
        "the filed brief never changes"
    );
}

#[test]
fn an_inspection_on_a_quiet_day_is_confirmed_and_recorded_as_a_violation() {
    let dir = store();
    let t = Tmux::start(dir.path(), "");
    t.wait_for("值班签到");
    t.text("张敏");
    t.keys(&["Enter"]);
    t.wait_for("需要处理");
    t.keys(&["F7"]);
    t.wait_for("检查报备 · 共 0");
    t.keys(&["r"]);
    t.wait_for("登记检查报备");
    t.text("cqdk");
    t.wait_for("★重庆戴卡捷力轮毂制造有限公司");
    t.keys(&["Tab"]);
    t.wait_for("✓ ");
    // 2026-11-20 is within days 8–23 and no exemption is chosen: the desk asks first.
    t.keys(&["Enter"]);
    t.wait_for("记为无扰日违规？");
    t.keys(&["Escape"]);
    t.wait_for("登记检查报备");
    t.keys(&["Enter"]);
    t.wait_for("记为无扰日违规？");
    t.keys(&["Enter"]);
    t.wait_for("已记录检查 #1");
    t.wait_for_line(&["重庆戴卡捷力", "违规"]);
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
    let list: serde_json::Value = serde_json::from_str(&cli(
        dir.path(),
        &["inspection", "list", "--violations", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "recorded once");
    assert_eq!(list[0]["enterprise"], "重庆戴卡捷力轮毂制造有限公司");
    assert_eq!(list[0]["date"], "2026-11-20");
    assert_eq!(list[0]["violation"], true);
    assert_eq!(list[0]["filed_by"], "张敏");
}

/// The residency screen on the demo: rounds → a round's placements → a cadre's checklist;
/// Enter there opens the cadre's open issue, its ledger lists the placements in the firm, and
/// the residency key from the ledger shows just that firm's.
#[test]
fn residency_rounds_placements_a_checklist_and_back_from_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("demo");
    let t = Tmux::start(&d, &format!("demo --data '{}'", d.display()));
    t.wait_for("值班签到");
    t.text("张敏");
    t.keys(&["Enter"]);
    t.wait_for("需要处理");
    t.keys(&["F9"]);
    let s = t.wait_for("第3期");
    assert!(
        s.contains("驻企中") && s.contains("已收官") && s.contains("合计"),
        "{s}"
    );
    // The running round is selected: Enter lists its placements, a row per cadre.
    t.keys(&["Enter"]);
    let s = t.wait_for("Enter 查看该干部的五个一");
    assert!(s.contains("· 第3期") && s.contains("/5"), "{s}");
    t.keys(&["Enter"]);
    let s = t.wait_for("解决一个问题");
    assert!(s.contains("同组") && s.contains("一篇体会"), "{s}");
    // The cadre's open issue, then its firm's ledger, then the firm's placements.
    t.keys(&["Enter"]);
    t.wait_for("历史记录");
    t.keys(&["Enter"]);
    let s = t.wait_for("驻企安排 ");
    assert!(s.contains("企业台账"), "{s}");
    t.keys(&["w"]);
    let s = t.wait_for("Enter 查看该干部的五个一");
    assert!(s.contains("四帮一体验 驻企 · 重庆"), "{s}");
    // Esc leaves the firm's placements for the ledger again.
    t.keys(&["Escape"]);
    t.wait_for("企业台账");
    t.keys(&["C-c"]);
    assert_eq!(t.wait_exit(), 0);
}
