//! The short handover sheet (交接班简表): a rendering of a brief (drafted or filed) that fits
//! on a page. The officer's note comes first, then this shift's own items, then the backlog as
//! counts with the most pressing items; the rest is one command away (`handover --full`).
//! The filed brief itself is unchanged: the sheet is only another way of printing it, so
//! briefs filed by any version print as sheets.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{status_name, BriefItem, Printed};
use crate::i18n::Lang;
use crate::sanitize::line as clean;

/// How many overdue and due-soon items the sheet lists by default.
pub const TOP: usize = 10;
/// Columns of a printed line: A4 at 10–12 pt monospace. CJK characters count as two.
pub const PRINT_WIDTH: usize = 80;

/// One block of the sheet: a title and its items (each item one paragraph).
struct Block {
    title: String,
    items: Vec<String>,
    /// Shown when there are no items.
    empty: &'static str,
}

/// The sheet as blocks, whatever it is printed as.
struct Sheet {
    title: String,
    meta: Vec<String>,
    /// The journal's chain head, for `verify --witness`.
    head: Option<crate::store::ChainHead>,
    blocks: Vec<Block>,
    /// The command for everything the sheet leaves out, when it leaves something out.
    more: Option<String>,
}

fn sheet(p: &Printed, lang: Lang, top: usize) -> Sheet {
    let b = &p.brief;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let fmt = |d: chrono::NaiveDateTime| d.format("%Y-%m-%d %H:%M").to_string();
    let who = [b.officer_unit.as_str(), b.duty.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(clean)
        .collect::<Vec<_>>()
        .join(t("，", ", "));
    let title = format!(
        "{} — {}{}",
        t("交接班记录", "Shift handover"),
        clean(&b.officer),
        if who.is_empty() {
            String::new()
        } else {
            format!("{}{who}{}", t("（", " ("), t("）", ")"))
        }
    );
    let mut meta = Vec::new();
    let state = if p.signed_off {
        t("已签退（不可修改）", "signed off (final)")
    } else {
        t("草稿（未签退）", "draft (not signed off)")
    };
    let shift = b
        .shift
        .map(|id| format!("{} #{id} · ", t("班次", "Shift")))
        .unwrap_or_default();
    meta.push(format!(
        "{shift}{} {} — {} · {state}",
        t("时段", "Period"),
        fmt(b.from),
        fmt(b.to)
    ));
    match (&p.acknowledged_by, p.acknowledged_at) {
        (Some(who), Some(at)) => meta.push(format!(
            "{}{}{} {}",
            t("接班确认", "Acknowledged"),
            t("：", ": "),
            clean(who),
            fmt(at)
        )),
        _ if p.signed_off => meta.push(format!(
            "{}{}{}",
            t("接班确认", "Acknowledged"),
            t("：", ": "),
            t("未确认", "not yet")
        )),
        _ => {}
    }
    let notes = b
        .notes
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .map(clean)
        .collect();
    let mut own = Vec::new();
    for (verb, list) in [
        (t("登记", "logged"), &b.logged),
        (t("交办", "assigned"), &b.assigned),
        (t("转办", "transferred"), &b.transferred),
        (t("办结", "closed"), &b.closed),
    ] {
        own.extend(list.iter().map(|i| own_item(verb, i, lang)));
    }
    let mut counts = vec![
        format!(
            "{}（{}）{}{}",
            t("下一工作日", "Due by the next working day"),
            b.next_workday,
            t("内到期：", ": "),
            b.due_soon.len()
        ),
        format!("{}{}", t("已逾期：", "Overdue: "), b.overdue.len()),
        format!("{}{}", t("督办中：", "Supervised: "), b.supervised.len()),
        format!(
            "{}{}",
            t("待回访评价：", "Evaluations owed: "),
            b.evaluations_owed.len()
        ),
        format!(
            "{}{}",
            t("VIP 企业待办：", "VIP open issues: "),
            b.vip.len()
        ),
    ];
    // Only where the programme left something open: most desks have none.
    if !b.legacy.is_empty() {
        counts.push(format!(
            "{}{}",
            t("驻企遗留：", "Residency legacy: "),
            b.legacy.len()
        ));
    }
    let pressing: Vec<&BriefItem> = b.overdue.iter().chain(&b.due_soon).collect();
    let shown = pressing.len().min(top);
    let left = pressing.len() - shown;
    let top_items = pressing[..shown]
        .iter()
        .map(|i| backlog_item(i, lang))
        .collect();
    let listed_elsewhere =
        b.supervised.len() + b.evaluations_owed.len() + b.vip.len() + b.legacy.len();
    let more = (left > 0 || listed_elsewhere > 0).then(|| {
        if lang.is_en() {
            format!(
                "…{left} more overdue or due, and every supervised, owed and VIP item: `dutydesk handover --full`"
            )
        } else {
            format!("……另有 {left} 项逾期或到期，以及督办、待回访、VIP 各项明细：`dutydesk handover --full`")
        }
    });
    Sheet {
        title,
        meta,
        head: b.chain_head.clone(),
        blocks: vec![
            Block {
                title: t("交接留言", "Notes to the next shift").to_string(),
                items: notes,
                empty: t("无。", "None."),
            },
            Block {
                title: format!(
                    "{}{}{}{}",
                    t("本班事项", "This shift's items"),
                    t("（", " ("),
                    own.len(),
                    t("）", ")")
                ),
                items: own,
                empty: t("无。", "None."),
            },
            Block {
                title: t("待办概况", "Backlog").to_string(),
                items: counts,
                empty: "",
            },
            Block {
                title: if lang.is_en() {
                    format!(
                        "Most pressing ({shown} of {}, overdue first)",
                        pressing.len()
                    )
                } else {
                    format!(
                        "最需跟进（{} 项中的前 {shown} 项，逾期在前）",
                        pressing.len()
                    )
                },
                items: top_items,
                empty: t("无逾期或即将到期的问题。", "Nothing overdue or due soon."),
            },
        ],
        more,
    }
}

/// "logged #12 Enterprise · status · unit · summary" for the shift's own events.
fn own_item(verb: &str, i: &BriefItem, lang: Lang) -> String {
    let mut parts = vec![format!("{verb} #{} {}", i.id, name(i))];
    parts.push(status_name(&i.status, lang));
    let unit = if i.detail.is_empty() {
        &i.unit
    } else {
        &i.detail
    };
    if !unit.is_empty() {
        parts.push(clean(unit));
    }
    if !i.summary.is_empty() {
        parts.push(clean(&i.summary));
    }
    let contact = format!("{} {}", clean(&i.contact), i.phone);
    if !contact.trim().is_empty() {
        parts.push(contact.trim().to_string());
    }
    parts.join(" · ")
}

/// "#12 Enterprise · unit · due 2026-10-09 overdue · contact phone" for the backlog's top.
fn backlog_item(i: &BriefItem, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut parts = vec![format!("#{} {}", i.id, name(i))];
    parts.push(if i.unit.is_empty() {
        t("未交办", "unassigned").to_string()
    } else {
        clean(&i.unit)
    });
    if let Some(d) = i.next_due {
        let late = if i.overdue {
            t(" 逾期", " overdue")
        } else {
            ""
        };
        // A due date counted through a year without its holiday notice is provisional.
        let mark = if i.provisional {
            crate::domain::deadline::provisional_mark(lang)
        } else {
            ""
        };
        parts.push(format!("{}{d}{mark}{late}", t("期限 ", "due ")));
    }
    if i.supervised {
        parts.push(t("督办", "supervised").to_string());
    }
    let contact = format!("{} {}", clean(&i.contact), i.phone);
    if !contact.trim().is_empty() {
        parts.push(contact.trim().to_string());
    }
    parts.join(" · ")
}

fn name(i: &BriefItem) -> String {
    let mut n = clean(&i.enterprise);
    if i.vip {
        n.push_str(" [VIP]");
    }
    n
}

/// The sheet as lines of at most `width` display columns (wrapped, never cut; only the
/// journal's chain head, 70 columns, is never split even on a narrower screen): the note
/// first, this shift's items, the backlog as counts with the top `TOP` overdue and due-soon
/// items. What the TUI shows for acknowledgement and what `handover --format text` prints.
pub fn sheet_lines(p: &Printed, lang: Lang, width: usize) -> Vec<String> {
    lines_of(&sheet(p, lang, TOP), lang, width)
}

fn lines_of(s: &Sheet, lang: Lang, width: usize) -> Vec<String> {
    let width = width.max(20);
    let mut out = wrap(&s.title, width, 0);
    for m in &s.meta {
        out.extend(wrap(m, width, 2));
    }
    if let Some(h) = &s.head {
        // As one line when it fits, else the head on a line of its own: wrapping must never
        // split the hash that `verify --witness-file` looks for.
        let one = super::super::witness(h, lang);
        if one.width() <= width {
            out.push(one);
        } else {
            out.extend(wrap(
                lang.pick(
                    "日志链头（核验用）：",
                    "Journal chain head (for verification):",
                ),
                width,
                0,
            ));
            out.push(h.to_string());
        }
    }
    for b in &s.blocks {
        out.push(String::new());
        out.extend(wrap(&b.title, width, 0));
        if b.items.is_empty() && !b.empty.is_empty() {
            out.extend(
                wrap(b.empty, width, 2)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
        }
        for it in &b.items {
            out.extend(bullet(it, width));
        }
    }
    if let Some(m) = &s.more {
        out.push(String::new());
        out.extend(wrap(m, width, 0));
    }
    out
}

/// "  - text", continuation lines indented under the text.
fn bullet(text: &str, width: usize) -> Vec<String> {
    let body = wrap(text, width.saturating_sub(4).max(10), 0);
    body.into_iter()
        .enumerate()
        .map(|(k, l)| {
            if k == 0 {
                format!("  - {l}")
            } else {
                format!("    {l}")
            }
        })
        .collect()
}

/// The printable page: the sheet at `PRINT_WIDTH` columns and the signature block.
pub fn sheet_text(p: &Printed, lang: Lang) -> String {
    let mut lines = sheet_lines(p, lang, PRINT_WIDTH);
    lines.push(String::new());
    lines.push(String::new());
    lines.extend(wrap(signature(lang), PRINT_WIDTH, 0));
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

fn signature(lang: Lang) -> &'static str {
    lang.pick(
        "交班人签字：＿＿＿＿＿＿  接班人签字：＿＿＿＿＿＿  日期：＿＿＿＿＿＿",
        "Handed over by: ____________  Taken over by: ____________  Date: __________",
    )
}

/// The sheet in Markdown, with the signature line at the end.
pub fn sheet_markdown(p: &Printed, lang: Lang) -> String {
    let s = sheet(p, lang, TOP);
    let esc = |l: &str| super::super::md_cell(l);
    let mut out = format!("# {}\n\n", esc(&s.title));
    for m in &s.meta {
        out.push_str(&format!("- {}\n", esc(m)));
    }
    if let Some(h) = &s.head {
        out.push_str(&format!("- {}\n", super::super::witness(h, lang)));
    }
    for b in &s.blocks {
        out.push_str(&format!("\n## {}\n\n", esc(&b.title)));
        if b.items.is_empty() && !b.empty.is_empty() {
            out.push_str(&format!("{}\n", b.empty));
        }
        for it in &b.items {
            out.push_str(&format!("- {}\n", esc(it)));
        }
    }
    if let Some(m) = &s.more {
        out.push_str(&format!("\n{}\n", esc(m)));
    }
    out.push_str(&format!("\n{}\n", signature(lang)));
    out
}

/// Wraps one paragraph to `width` display columns; continuation lines start with `indent`
/// spaces. Breaks at spaces between words, or between any two CJK characters; a word longer
/// than a line is split where it must be. Never cuts anything off.
pub fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(indent + 2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut w = 0;
    let pad = " ".repeat(indent);
    // Tokens: a run of spaces, a word of narrow characters, or one wide character.
    for tok in tokens(text) {
        let tw = tok.width();
        let is_space = tok.starts_with(' ');
        if w + tw <= width {
            line.push_str(tok);
            w += tw;
            continue;
        }
        if is_space {
            // A break here: the spaces go.
            lines.push(std::mem::take(&mut line));
            line.push_str(&pad);
            w = indent;
            continue;
        }
        if w > indent && !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
            line = pad.clone();
            w = indent;
        }
        // The token alone may still be too long: split it by characters.
        for c in tok.chars() {
            let cw = c.width().unwrap_or(0);
            if w + cw > width && w > indent {
                lines.push(std::mem::take(&mut line));
                line.push_str(&pad);
                w = indent;
            }
            line.push(c);
            w += cw;
        }
    }
    let last = line.trim_end();
    if !last.trim().is_empty() || lines.is_empty() {
        lines.push(last.to_string());
    }
    lines
        .into_iter()
        .map(|l| l.trim_end().to_string())
        .collect()
}

fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut kind = 0u8; // 0 none, 1 spaces, 2 narrow word
    for (i, c) in s.char_indices() {
        let k = if c == ' ' {
            1
        } else if c.width().unwrap_or(0) >= 2 {
            3
        } else {
            2
        };
        if k == 3 {
            if i > start {
                out.push(&s[start..i]);
            }
            out.push(&s[i..i + c.len_utf8()]);
            start = i + c.len_utf8();
            kind = 0;
            continue;
        }
        if k != kind && i > start {
            out.push(&s[start..i]);
            start = i;
        }
        kind = k;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}
