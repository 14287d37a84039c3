//! A scripted shift: exactly which issues land in which section; sign-off freezes the brief;
//! the acknowledgement is recorded.

use chrono::NaiveDate;

use super::*;
use crate::desk::Command;
use crate::domain::{DutyType, Evaluation, Officer};
use crate::report::script::{at, Script};

fn ids(items: &[BriefItem]) -> Vec<u64> {
    items.iter().map(|i| i.id).collect()
}

/// Before the shift: A due Monday, B overdue, C replied (callback owed), D supervised,
/// F replied and evaluated during the shift. During it: E logged (VIP) and assigned, A
/// transferred, F closed.
fn scripted() -> (Script, [u64; 6], u64) {
    let mut s = Script::new(6, "2026-11-01T09:00");
    let b = s.log("2026-11-10T09:00", 1, "B 逾期未对接");
    s.assign("2026-11-10T09:30", b, "tax");
    let c = s.log("2026-11-16T09:00", 2, "C 已答复待回访");
    s.assign("2026-11-16T09:30", c, "court");
    s.run(
        "2026-11-17T09:00",
        Command::RecordContact {
            id: c,
            note: String::new(),
        },
    );
    s.run(
        "2026-11-18T09:00",
        Command::Reply {
            id: c,
            text: "已办理".into(),
        },
    );
    let d = s.log("2026-11-18T09:00", 3, "D 督办件");
    s.assign("2026-11-18T09:30", d, "market");
    s.run(
        "2026-11-18T10:00",
        Command::Supervise {
            id: d,
            reason: "重点督办".into(),
        },
    );
    let f = s.log("2026-11-16T10:00", 4, "F 待评价");
    s.assign("2026-11-16T10:30", f, "finance");
    s.run(
        "2026-11-17T10:00",
        Command::RecordContact {
            id: f,
            note: String::new(),
        },
    );
    s.run(
        "2026-11-18T10:00",
        Command::Reply {
            id: f,
            text: "已办理".into(),
        },
    );
    let a = s.log("2026-11-19T16:00", 5, "A 周一到期");
    s.assign("2026-11-19T16:10", a, "hrss");

    let shift = s
        .run(
            "2026-11-20T08:30",
            Command::BeginShift {
                officer: Officer {
                    name: "张敏".into(),
                    unit: "govservice".into(),
                    duty: DutyType::Fixed,
                },
            },
        )
        .unwrap();
    let e = s.log("2026-11-20T09:00", 0, "E VIP 新登记");
    s.assign("2026-11-20T09:10", e, "tax");
    s.run(
        "2026-11-20T10:00",
        Command::Transfer {
            id: a,
            to: "commerce".into(),
            reason: "职能不符".into(),
        },
    );
    s.run(
        "2026-11-20T11:00",
        Command::Evaluate {
            id: f,
            evaluation: Evaluation {
                closeness: 5,
                integrity: 5,
                satisfaction: 4,
                comment: String::new(),
            },
        },
    );
    s.run(
        "2026-11-20T17:00",
        Command::SaveShiftNotes {
            id: shift,
            notes: "E 企业下周一回访".into(),
        },
    );
    (s, [a, b, c, d, e, f], shift)
}

#[test]
fn each_section_holds_exactly_its_issues() {
    let (s, [a, b, c, d, e, f], shift) = scripted();
    let sh = s.desk.shift(shift).unwrap();
    let p = of_shift(&s.desk, &sh, at("2026-11-20T17:30")).unwrap();
    let br = &p.brief;
    assert!(!p.signed_off);
    assert_eq!(br.shift, Some(shift));
    assert_eq!(br.officer, "张敏");
    assert_eq!(br.officer_unit, "区政务办");
    assert_eq!(ids(&br.logged), vec![e]);
    assert_eq!(ids(&br.assigned), vec![e]);
    assert_eq!(ids(&br.transferred), vec![a]);
    assert_eq!(br.transferred[0].detail, "区人力社保局 → 区商务委");
    assert_eq!(ids(&br.closed), vec![f]);
    // Friday: D's contact falls due today, A's on the next working day, Monday 11-23.
    assert_eq!(
        br.next_workday,
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    );
    assert_eq!(ids(&br.due_soon), vec![d, a]);
    assert_eq!(ids(&br.overdue), vec![b]);
    assert_eq!(ids(&br.supervised), vec![d]);
    assert_eq!(ids(&br.evaluations_owed), vec![c]);
    assert_eq!(ids(&br.vip), vec![e]);
    assert_eq!(br.notes, "E 企业下周一回访");
    assert!(br.vip[0].vip);
}

#[test]
fn phones_are_masked_for_printing() {
    let (s, _, shift) = scripted();
    let sh = s.desk.shift(shift).unwrap();
    let mut p = of_shift(&s.desk, &sh, at("2026-11-20T17:30")).unwrap();
    assert_eq!(p.brief.logged[0].phone, "13800138000");
    mask_phones(&mut p.brief);
    assert_eq!(p.brief.logged[0].phone, "138****8000");
    let md = markdown(&p, Lang::Zh);
    assert!(
        md.contains("138****8000") && !md.contains("13800138000"),
        "{md}"
    );
    assert!(md.contains("## 本班登记（1）"), "{md}");
    assert!(md.contains("> E 企业下周一回访"), "{md}");
    assert!(markdown(&p, Lang::En).contains("## Overdue (1)"));
}

#[test]
fn sign_off_freezes_the_brief_and_acknowledgement_is_recorded() {
    let (mut s, [a, _, _, d, ..], shift) = scripted();
    let signed = sign_off(&mut s.desk, "张敏", at("2026-11-20T17:30"), shift).unwrap();
    let filed = signed.brief.clone().unwrap();
    // Later work changes what a fresh draft would say, but not the filed brief.
    s.run(
        "2026-11-20T18:00",
        Command::RecordContact {
            id: a,
            note: String::new(),
        },
    );
    let late = s.log("2026-11-20T18:05", 1, "签退后登记");
    let sh = s.desk.shift(shift).unwrap();
    let p = of_shift(&s.desk, &sh, at("2026-11-23T09:00")).unwrap();
    assert!(p.signed_off);
    assert_eq!(serde_json::to_value(&p.brief).unwrap(), filed);
    assert!(!ids(&p.brief.logged).contains(&late));
    assert_eq!(
        ids(&p.brief.due_soon),
        vec![d, a],
        "as it stood at sign-off"
    );
    // A signed-off shift cannot be ended again or have its notes changed.
    let again = s.desk.execute(
        "张敏",
        at("2026-11-20T18:10"),
        Command::EndShift {
            id: shift,
            brief: serde_json::json!({}),
        },
    );
    assert!(again.is_err());
    let notes = s.desk.execute(
        "张敏",
        at("2026-11-20T18:10"),
        Command::SaveShiftNotes {
            id: shift,
            notes: "改".into(),
        },
    );
    assert!(notes.is_err());
    assert_eq!(
        s.desk.pending_handover().unwrap().map(|p| p.id),
        Some(shift)
    );
    s.desk
        .execute(
            "李四",
            at("2026-11-23T08:31"),
            Command::AcknowledgeHandover { id: shift },
        )
        .unwrap();
    let sh = s.desk.shift(shift).unwrap();
    let p = of_shift(&s.desk, &sh, at("2026-11-23T09:00")).unwrap();
    assert_eq!(p.acknowledged_by.as_deref(), Some("李四"));
    assert_eq!(p.acknowledged_at, Some(at("2026-11-23T08:31")));
    assert_eq!(serde_json::to_value(&p.brief).unwrap(), filed);
    assert!(s.desk.pending_handover().unwrap().is_none());
}

#[test]
fn a_brief_is_filed_with_phones_masked_and_the_chain_head_before_sign_off() {
    let (mut s, [.., e, _], shift) = scripted();
    let head = s.desk.chain_head();
    let signed = sign_off(&mut s.desk, "张敏", at("2026-11-20T17:30"), shift).unwrap();
    let stored = serde_json::to_string(signed.brief.as_ref().unwrap()).unwrap();
    assert!(
        stored.contains("138****8000") && !stored.contains("13800138000"),
        "{stored}"
    );
    let filed = filed(&signed).unwrap();
    // The head just before the sign-off event, which itself moved the head on by one.
    assert_eq!(filed.chain_head.as_ref(), Some(&head));
    assert_eq!(s.desk.chain_head().seq, head.seq + 1);
    let mut p = Printed::of(filed, &signed);
    let md = markdown(&p, Lang::Zh);
    assert!(
        md.contains(&format!(
            "- 日志链头（核验用）: {}:{}\n",
            head.seq, head.hash
        )),
        "{md}"
    );
    assert_eq!(head.hash.len(), 64);
    assert!(plain_text(&p, Lang::En)
        .contains(&format!("Journal chain head (for verification): {head}")));
    // --show-pii fills the full numbers back in from the issue records.
    reveal_phones(&mut p.brief, &s.desk).unwrap();
    assert_eq!(p.brief.logged[0].id, e);
    assert_eq!(p.brief.logged[0].phone, "13800138000");
}

#[test]
fn a_brief_filed_without_a_chain_head_prints_without_one() {
    let (s, _, shift) = scripted();
    let sh = s.desk.shift(shift).unwrap();
    let mut p = of_shift(&s.desk, &sh, at("2026-11-20T17:30")).unwrap();
    p.brief.chain_head = None;
    let v = serde_json::to_value(&p.brief).unwrap();
    assert!(v.get("chain_head").is_none());
    let back: Brief = serde_json::from_value(v).unwrap();
    assert!(!markdown(&p, Lang::Zh).contains("日志链头"));
    assert_eq!(back, p.brief);
}

#[test]
fn stored_text_in_the_plain_brief_is_sanitised() {
    let (s, _, shift) = scripted();
    let sh = s.desk.shift(shift).unwrap();
    let mut p = of_shift(&s.desk, &sh, at("2026-11-20T17:30")).unwrap();
    p.brief.logged[0].enterprise = "恶意\u{1b}]52;c;aGk=\u{7}\u{202e}公司".into();
    p.brief.notes = "第一行\n\u{1b}[2J第二行".into();
    for text in [plain_text(&p, Lang::Zh), markdown(&p, Lang::Zh)] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text}"
        );
        assert!(text.contains("恶意␛]52;c;aGk=␇⟨U+202E⟩公司"), "{text}");
        assert!(text.contains("␛[2J第二行"), "{text}");
    }
}

#[test]
fn sheet_wrapping_keeps_every_character_within_the_width() {
    use unicode_width::UnicodeWidthStr;
    let text = "值班 desk officer 交接 a-very-long-identifier-without-spaces-that-must-be-split-somewhere 重庆戴卡捷力轮毂制造有限公司反映续贷问题";
    for width in [20, 33, 80] {
        let lines = super::wrap(text, width, 2);
        assert!(
            lines.iter().all(|l| l.width() <= width),
            "{width}: {lines:?}"
        );
        let rejoined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let want: String = text.chars().filter(|c| *c != ' ').collect();
        assert_eq!(rejoined, want, "nothing cut at {width}");
        assert!(lines[1..].iter().all(|l| l.starts_with("  ")), "{lines:?}");
    }
}

#[test]
fn sheet_lines_put_the_note_first_and_count_the_backlog() {
    use unicode_width::UnicodeWidthStr;
    let (s, _, shift) = scripted();
    let sh = s.desk.shift(shift).unwrap();
    let p = of_shift(&s.desk, &sh, at("2026-11-20T17:30")).unwrap();
    for width in [40, 80] {
        let lines = sheet_lines(&p, Lang::Zh, width);
        // The chain head is never split (verify reads it whole), whatever the width.
        let head = p.brief.chain_head.as_ref().unwrap().to_string();
        assert!(
            lines.iter().all(|l| l.width() <= width || *l == head),
            "{lines:#?}"
        );
        let at = |s: &str| {
            lines
                .iter()
                .position(|l| l.contains(s))
                .unwrap_or_else(|| panic!("no {s:?} in {lines:#?}"))
        };
        assert!(at("交接留言") < at("E 企业下周一回访"));
        assert!(at("E 企业下周一回访") < at("本班事项"));
        assert!(at("本班事项") < at("待办概况"));
        let overdue = format!("已逾期：{}", p.brief.overdue.len());
        assert!(at("待办概况") < at(&overdue));
    }
    let en = sheet_lines(&p, Lang::En, 80);
    assert!(en.iter().any(|l| l == "Notes to the next shift"), "{en:#?}");
}
