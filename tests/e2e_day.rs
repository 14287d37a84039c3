//! A whole duty day at one terminal, through tmux: an officer logs a walk-in (looking at the
//! enterprise's ledger from the intake candidates first), assigns it to the suggested unit
//! with a helping unit, takes it back with a return, signs off with a note; the next officer
//! signs in at the same terminal without a restart, reads the short brief and acknowledges
//! it; the printed sheet has the note first and the signature lines.

mod tmux;

use tmux::{cli, Tmux};

#[test]
fn two_officers_hand_over_at_one_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = format!("{}/tests/fixtures/search.csv", env!("CARGO_MANIFEST_DIR"));
    cli(d, &["enterprise", "import", &f]);
    let t = Tmux::start(d, "");

    // 张敏 signs in and a walk-in arrives.
    t.wait_for("值班签到");
    t.text("张敏");
    t.keys(&["Enter"]);
    t.wait_for("需要处理");
    t.keys(&["n"]);
    t.wait_for("登记新问题");
    t.text("cqdk");
    t.wait_for("重庆戴卡捷力轮毂制造有限公司");
    // The enterprise's ledger from the candidate, then back to the form as it was.
    t.keys(&["C-e"]);
    t.wait_for("历次问题");
    t.wait_for("91500107J19Q0TU8FF");
    t.keys(&["Escape"]);
    t.wait_for("登记新问题");
    // Choose it; category 融资信贷; contact, phone, the problem; save.
    t.keys(&["Enter"]);
    t.wait_for("✓ ");
    t.keys(&["Right", "Tab", "Tab"]);
    t.text("王经理");
    t.keys(&["Tab"]);
    t.text("13800138000");
    t.keys(&["Tab"]);
    t.text("扩产急需流动资金800万元");
    t.keys(&["Enter"]);
    let s = t.wait_for("已登记 #");
    let id: u64 = s
        .split("已登记 #")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap();

    // The suggested unit is first; Space marks the next one as helping; Enter assigns.
    t.keys(&["a"]);
    t.wait_for("区金融发展中心 (建议)");
    t.keys(&["Down", "Space", "Up", "Enter"]);
    t.wait_for("主办单位: 区金融发展中心 (+");

    // The unit hands it back (退回) with a reason.
    t.keys(&["b"]);
    t.wait_for("理由");
    t.text("非本单位职责");
    t.keys(&["Enter"]);
    t.wait_for("退回");

    // End of shift: a note for the next officer, sign off.
    t.keys(&["F6"]);
    t.wait_for("给下一班的留言");
    t.text("请跟进戴卡续贷");
    t.keys(&["Enter"]);
    let s = t.wait_for("下一位值班人员请签到");
    assert!(s.contains("值班签到"), "{s}");

    // 李娜 at the same terminal: a fresh form, and the brief first.
    t.text("李娜");
    t.keys(&["Enter"]);
    // The sign-in form says a brief waits before Enter too: wait for the brief itself.
    let s = t.wait_for("请跟进戴卡续贷");
    assert!(
        s.contains("上一班交接单待确认"),
        "the note comes first: {s}"
    );
    assert!(s.contains("李娜") && !s.contains("张敏李娜"), "{s}");
    t.keys(&["Enter"]);
    t.wait_for("已确认接班");

    // q asks before leaving her shift open; q again quits.
    t.keys(&["q"]);
    t.wait_for("班次尚未签退");
    t.keys(&["q"]);
    assert_eq!(t.wait_exit(), 0);

    // The store has it all: the assignment with its helper, the return, the handover.
    let v: serde_json::Value = serde_json::from_str(&cli(
        d,
        &["issue", "show", &id.to_string(), "--format", "json"],
    ))
    .unwrap();
    let history = v["history"].to_string();
    assert!(history.contains("return"), "{history}");
    assert!(history.contains("非本单位职责"), "{history}");
    let list = cli(d, &["handover", "--list"]);
    assert!(
        list.contains("李娜"),
        "acknowledged by the next officer: {list}"
    );
    // The printed sheet: the note first, then the shift's own items, signatures at the end.
    let sheet = cli(d, &["handover", "--shift", "1", "--format", "text"]);
    let note = sheet.find("请跟进戴卡续贷").expect("note printed");
    let item = sheet
        .find(&format!("登记 #{id}"))
        .expect("own item printed");
    assert!(note < item, "{sheet}");
    assert!(sheet.contains("交班人签字"), "{sheet}");
    assert!(
        sheet
            .lines()
            .filter(|l| !l.contains("日志链头"))
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80),
        "A4 width: {sheet}"
    );
}
