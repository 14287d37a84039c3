//! The shift handover brief (交接班): what happened during the shift and what the next officer
//! must pick up. Drafted from the shift's facts and the open issues; frozen at sign-off (the
//! brief is stored in the `ShiftEnded` event and reprinted from there, never redrafted).

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::desk::{Desk, DeskError};
use crate::domain::deadline::{due_is_provisional, provisional_mark};
use crate::domain::{phone, DeadlineKind, Fact, FactKind, Issue, Shift, Units};
use crate::i18n::Lang;
use crate::store::ChainHead;

use super::{md_cell, md_table, md_text, witness};

mod sheet;
pub use sheet::{sheet_lines, sheet_markdown, sheet_text, wrap, PRINT_WIDTH, TOP};

/// One issue as the brief lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BriefItem {
    pub id: u64,
    pub enterprise: String,
    pub credit_code: String,
    pub vip: bool,
    pub category: String,
    pub status: String,
    /// Main unit's name (empty when unassigned).
    pub unit: String,
    pub contact: String,
    pub phone: String,
    pub waiting_on: Option<DeadlineKind>,
    pub next_due: Option<NaiveDate>,
    /// `next_due` was provisional when drafted (its year's holiday notice was not in the
    /// calendar); printed with `deadline::provisional_mark`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    pub overdue: bool,
    pub supervised: bool,
    /// The description, shortened.
    pub summary: String,
    /// For the shift's own events: when, and what (a transfer's "from → to").
    #[serde(default)]
    pub at: Option<NaiveDateTime>,
    #[serde(default)]
    pub detail: String,
    /// The escalation flag (提级督办) of an open issue; briefs filed before it have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<crate::domain::Escalation>,
    /// 驻企遗留: raised by this cadre (name and unit) in a residency placement, still open
    /// after the round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residency: Option<String>,
}

/// The brief. Stored as JSON at sign-off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Brief {
    pub shift: Option<u64>,
    pub officer: String,
    pub officer_unit: String,
    pub duty: String,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    /// The next working day after the shift (deadlines up to it are listed as due).
    pub next_workday: NaiveDate,
    pub logged: Vec<BriefItem>,
    pub assigned: Vec<BriefItem>,
    pub transferred: Vec<BriefItem>,
    pub closed: Vec<BriefItem>,
    pub due_soon: Vec<BriefItem>,
    pub overdue: Vec<BriefItem>,
    pub supervised: Vec<BriefItem>,
    pub evaluations_owed: Vec<BriefItem>,
    pub vip: Vec<BriefItem>,
    /// 驻企遗留: open issues raised in residency placements whose round is over (briefs filed
    /// before the programme have none).
    #[serde(default)]
    pub legacy: Vec<BriefItem>,
    pub notes: String,
    /// The journal's head when the brief was drafted; for a filed brief, the head just before
    /// its sign-off event (a witness for `dutydesk verify --witness`). Briefs filed by earlier
    /// versions have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_head: Option<ChainHead>,
}

/// A brief as printed: the brief plus its sign-off and acknowledgement state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Printed {
    #[serde(flatten)]
    pub brief: Brief,
    pub signed_off: bool,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<NaiveDateTime>,
}

/// What drafting needs, gathered from the desk (kept apart so the rules test without a store).
pub struct Input<'a> {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    /// Facts recorded in `[from, to]`.
    pub facts: &'a [Fact],
    /// Current state of every issue the facts touch, and of every open issue.
    pub issues: &'a HashMap<u64, Issue>,
    pub open: &'a [u64],
    pub is_vip: &'a dyn Fn(&str) -> bool,
    pub units: &'a Units,
    pub calendar: &'a Calendar,
    pub lang: Lang,
    /// 驻企遗留 issues, with the cadre who raised each (name and unit).
    pub legacy: &'a HashMap<u64, String>,
}

const SUMMARY_CHARS: usize = 40;

fn item(i: &Issue, inp: &Input, today: NaiveDate) -> BriefItem {
    let next = i.next_deadline();
    let unit_name = |u: &str| inp.units.name_of(u, inp.lang.is_en()).to_string();
    let residency = inp.legacy.get(&i.id).cloned();
    let mut summary = shorten(&i.description, SUMMARY_CHARS);
    if let Some(who) = &residency {
        summary = format!(
            "[{} {who}] {summary}",
            inp.lang.pick("驻企遗留", "residency legacy")
        );
    }
    BriefItem {
        id: i.id,
        enterprise: i.enterprise_name.clone(),
        credit_code: i.enterprise.clone(),
        vip: (inp.is_vip)(&i.enterprise),
        category: i.category.clone(),
        status: i.status.key().to_string(),
        unit: i.unit.as_deref().map(unit_name).unwrap_or_default(),
        contact: i.contact_name.clone(),
        phone: i.phone.clone(),
        waiting_on: next.map(|n| n.0),
        next_due: next.map(|n| n.1),
        provisional: next.is_some_and(|(_, d)| {
            due_is_provisional(inp.calendar, i.provisional(), i.logged_at.date(), d)
        }),
        overdue: i.is_overdue(today),
        supervised: i.supervised,
        summary,
        at: None,
        detail: String::new(),
        escalation: i.escalation(),
        residency,
    }
}

fn shorten(s: &str, n: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= n {
        one_line
    } else {
        one_line.chars().take(n).chain(['…']).collect()
    }
}

/// Drafts the brief for `[from, to]`.
pub fn draft(inp: &Input, officer: (&str, &str, &str), shift: Option<u64>, notes: &str) -> Brief {
    let today = inp.to.date();
    let next_workday = inp.calendar.add_workdays(today, 1).date;
    let en = inp.lang.is_en();
    // The shift's own events: one line per issue per section, the latest event wins.
    let mut during: [Vec<BriefItem>; 4] = Default::default();
    let mut seen: [HashMap<u64, usize>; 4] = Default::default();
    for f in inp
        .facts
        .iter()
        .filter(|f| f.at >= inp.from && f.at <= inp.to)
    {
        let section = match f.kind {
            FactKind::Logged => 0,
            FactKind::Assigned => 1,
            FactKind::Transferred => 2,
            _ if f.closed() => 3,
            _ => continue,
        };
        let Some(i) = inp.issues.get(&f.issue) else {
            continue;
        };
        let mut it = item(i, inp, today);
        it.at = Some(f.at);
        let name = |u: &Option<String>| {
            u.as_deref()
                .map(|u| inp.units.name_of(u, en).to_string())
                .unwrap_or_default()
        };
        it.detail = match f.kind {
            FactKind::Assigned => name(&f.unit_after),
            FactKind::Transferred => format!("{} → {}", name(&f.unit_before), name(&f.unit_after)),
            _ => String::new(),
        };
        match seen[section].get(&f.issue) {
            Some(&k) => during[section][k] = it,
            None => {
                seen[section].insert(f.issue, during[section].len());
                during[section].push(it);
            }
        }
    }
    let [logged, assigned, transferred, closed] = during;
    // What the next shift must pick up, from the open issues as they are now.
    let mut due_soon = vec![];
    let mut overdue = vec![];
    let mut supervised = vec![];
    let mut owed = vec![];
    let mut vip = vec![];
    let mut legacy = vec![];
    let mut open: Vec<&Issue> = inp
        .open
        .iter()
        .filter_map(|id| inp.issues.get(id))
        .collect();
    open.sort_by_key(|i| (i.next_deadline().map(|d| d.1), i.id));
    for i in open {
        let it = item(i, inp, today);
        if i.is_overdue(today) {
            overdue.push(it.clone());
        } else if it.next_due.is_some_and(|d| d <= next_workday) {
            due_soon.push(it.clone());
        }
        // Escalated issues belong with the supervised ones, their flag said first.
        if i.supervised || it.escalation.is_some() {
            let mut s = it.clone();
            if let Some(e) = it.escalation {
                s.summary = format!("[{}] {}", e.text(inp.lang.is_en()), s.summary);
            }
            supervised.push(s);
        }
        if i.evaluation_owed() {
            owed.push(it.clone());
        }
        if it.residency.is_some() {
            legacy.push(it.clone());
        }
        if it.vip {
            vip.push(it);
        }
    }
    Brief {
        shift,
        officer: officer.0.to_string(),
        officer_unit: officer.1.to_string(),
        duty: officer.2.to_string(),
        from: inp.from,
        to: inp.to,
        next_workday,
        logged,
        assigned,
        transferred,
        closed,
        due_soon,
        overdue,
        supervised,
        evaluations_owed: owed,
        vip,
        legacy,
        notes: notes.to_string(),
        chain_head: None,
    }
}

/// The open issues that are 驻企遗留, with who raised each: "name（unit）".
fn legacy_of(
    desk: &Desk,
    open: &[u64],
    issues: &HashMap<u64, Issue>,
    today: NaiveDate,
) -> HashMap<u64, String> {
    let en = desk.config.lang.is_en();
    open.iter()
        .filter_map(|id| {
            let i = issues.get(id)?;
            let tag = crate::desk::ResidencyTag::of(desk, *id, i.status, today)?;
            let unit = desk.units.name_of(&tag.cadre_unit, en);
            tag.legacy
                .then(|| (*id, format!("{}（{unit}）", tag.cadre)))
        })
        .collect()
}

/// Drafts the brief of a shift (or of any period) from the desk, as of `now`.
pub fn draft_from_desk(
    desk: &Desk,
    shift: Option<&Shift>,
    since: NaiveDateTime,
    now: NaiveDateTime,
    officer: &str,
) -> Result<Brief, DeskError> {
    let facts = desk.facts(since, now + chrono::Duration::seconds(1))?;
    let open = desk.open_issues()?;
    let open_ids: Vec<u64> = open.iter().map(|i| i.id).collect();
    let mut issues: HashMap<u64, Issue> = open.into_iter().map(|i| (i.id, i)).collect();
    let touched: HashSet<u64> = facts.iter().map(|f| f.issue).collect();
    for id in touched {
        if let std::collections::hash_map::Entry::Vacant(e) = issues.entry(id) {
            e.insert(desk.issue(id)?);
        }
    }
    let lang = desk.config.lang;
    let is_vip = |c: &str| desk.is_vip(c);
    let legacy = legacy_of(desk, &open_ids, &issues, now.date());
    let inp = Input {
        from: since,
        to: now,
        facts: &facts,
        issues: &issues,
        open: &open_ids,
        is_vip: &is_vip,
        units: &desk.units,
        calendar: &desk.calendar,
        lang,
        legacy: &legacy,
    };
    let mut brief = match shift {
        Some(s) => {
            let unit = desk.units.find(&s.officer.unit).map_or_else(
                || s.officer.unit.clone(),
                |u| u.display(lang.is_en()).to_string(),
            );
            draft(
                &inp,
                (
                    &s.officer.name,
                    &unit,
                    lang.pick(s.officer.duty.zh(), s.officer.duty.en()),
                ),
                Some(s.id),
                &s.notes,
            )
        }
        None => draft(&inp, (officer, "", ""), None, ""),
    };
    brief.chain_head = Some(desk.chain_head());
    Ok(brief)
}

/// Signs a shift off: drafts its brief as of `now` and files it with the `ShiftEnded` event,
/// after which it is never redrafted or edited.
pub fn sign_off(
    desk: &mut Desk,
    by: &str,
    now: NaiveDateTime,
    id: u64,
) -> Result<Shift, DeskError> {
    let shift = desk.shift(id)?;
    let brief = draft_from_desk(
        desk,
        Some(&shift),
        shift.started_at,
        now,
        &shift.officer.name,
    )?;
    let brief = for_filing(brief)?;
    desk.execute(by, now, crate::desk::Command::EndShift { id, brief })?;
    desk.shift(id)
}

/// A brief as the `ShiftEnded` event stores it: phones masked — the journal is copied into
/// backups and read by every later shift, while the full numbers stay in the issue records
/// (`reveal_phones`). Whoever files a brief (sign-off, bulk loading) goes through here.
pub fn for_filing(mut brief: Brief) -> Result<serde_json::Value, DeskError> {
    mask_phones(&mut brief);
    serde_json::to_value(brief)
        .map_err(|e| DeskError::Store(crate::store::StoreError::Other(e.to_string())))
}

/// The brief filed with a shift's sign-off, if it has a readable one.
pub fn filed(shift: &Shift) -> Option<Brief> {
    shift
        .brief
        .as_ref()
        .and_then(|b| serde_json::from_value(b.clone()).ok())
}

impl Printed {
    /// `brief` with the shift's sign-off and acknowledgement state.
    pub fn of(brief: Brief, shift: &Shift) -> Printed {
        Printed {
            brief,
            signed_off: shift.ended_at.is_some(),
            acknowledged_by: shift.acknowledged.as_ref().map(|a| a.0.clone()),
            acknowledged_at: shift.acknowledged.as_ref().map(|a| a.1),
        }
    }
}

/// The brief of a shift: the frozen one if signed off, otherwise a draft as of `now`.
pub fn of_shift(desk: &Desk, shift: &Shift, now: NaiveDateTime) -> Result<Printed, DeskError> {
    let brief = match filed(shift) {
        Some(b) => b,
        // Not signed off yet (or filed without a readable brief): draft up to now or sign-off.
        None => draft_from_desk(
            desk,
            Some(shift),
            shift.started_at,
            shift.ended_at.unwrap_or(now),
            &shift.officer.name,
        )?,
    };
    Ok(Printed::of(brief, shift))
}

fn items_mut(b: &mut Brief) -> [&mut Vec<BriefItem>; 10] {
    [
        &mut b.logged,
        &mut b.assigned,
        &mut b.transferred,
        &mut b.closed,
        &mut b.due_soon,
        &mut b.overdue,
        &mut b.supervised,
        &mut b.evaluations_owed,
        &mut b.vip,
        &mut b.legacy,
    ]
}

/// Masks the phone numbers of every item (the default for printing, and how a brief is filed).
/// Masking a masked number changes nothing, so briefs filed with full numbers by earlier
/// versions print masked too.
pub fn mask_phones(b: &mut Brief) {
    for list in items_mut(b) {
        for it in list.iter_mut() {
            if !it.phone.is_empty() {
                it.phone = phone::mask(&it.phone);
            }
        }
    }
}

/// Fills the full phone numbers back in from the issue records, by issue id (`--show-pii`;
/// a filed brief holds them masked).
pub fn reveal_phones(b: &mut Brief, desk: &Desk) -> Result<(), DeskError> {
    let mut cache: HashMap<u64, Option<String>> = HashMap::new();
    for list in items_mut(b) {
        for it in list.iter_mut() {
            let full = match cache.get(&it.id) {
                Some(p) => p.clone(),
                None => {
                    let p = match desk.issue(it.id) {
                        Ok(i) => Some(i.phone),
                        Err(DeskError::NotFound { .. }) => None,
                        Err(e) => return Err(e),
                    };
                    cache.insert(it.id, p.clone());
                    p
                }
            };
            if let Some(p) = full {
                it.phone = p;
            }
        }
    }
    Ok(())
}

/// The sections in print order: (Chinese title, English title, items).
pub fn sections(b: &Brief) -> [(&'static str, &'static str, &Vec<BriefItem>); 10] {
    [
        ("本班登记", "Logged this shift", &b.logged),
        ("本班交办", "Assigned this shift", &b.assigned),
        ("本班转办", "Transferred this shift", &b.transferred),
        ("本班办结", "Closed this shift", &b.closed),
        (
            "下一工作日内到期",
            "Due by the next working day",
            &b.due_soon,
        ),
        ("已逾期", "Overdue", &b.overdue),
        ("督办中", "Supervised", &b.supervised),
        ("待回访评价", "Evaluations owed", &b.evaluations_owed),
        ("VIP 企业待办", "VIP enterprises' open issues", &b.vip),
        (
            "驻企遗留（驻企结束仍未办结）",
            "Residency legacy (open after the round)",
            &b.legacy,
        ),
    ]
}

fn status_name(key: &str, lang: Lang) -> String {
    crate::domain::IssueStatus::parse(key)
        .map(|s| lang.pick(s.zh(), s.en()).to_string())
        .unwrap_or_else(|| key.to_string())
}

/// Markdown for people.
pub fn markdown(p: &Printed, lang: Lang) -> String {
    let b = &p.brief;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let fmt = |d: NaiveDateTime| d.format("%Y-%m-%d %H:%M").to_string();
    let mut out = format!(
        "# {} — {}{}\n\n",
        t("交接班记录", "Shift handover"),
        md_cell(&b.officer),
        if b.officer_unit.is_empty() && b.duty.is_empty() {
            String::new()
        } else {
            format!(
                "{}{}{}{}",
                t("（", " ("),
                md_cell(&b.officer_unit),
                if b.duty.is_empty() {
                    String::new()
                } else {
                    format!("{}{}", t("，", ", "), b.duty)
                },
                t("）", ")")
            )
        }
    );
    if let Some(id) = b.shift {
        out.push_str(&format!("- {}: #{id}\n", t("班次", "Shift")));
    }
    out.push_str(&format!(
        "- {}: {} — {}\n- {}: {}\n",
        t("时段", "Period"),
        fmt(b.from),
        fmt(b.to),
        t("状态", "State"),
        if p.signed_off {
            t("已签退（不可修改）", "signed off (final)")
        } else {
            t("草稿（未签退）", "draft (not signed off)")
        }
    ));
    match (&p.acknowledged_by, p.acknowledged_at) {
        (Some(who), Some(at)) => out.push_str(&format!(
            "- {}: {} {}\n",
            t("接班确认", "Acknowledged"),
            md_cell(who),
            fmt(at)
        )),
        _ if p.signed_off => out.push_str(&format!(
            "- {}: {}\n",
            t("接班确认", "Acknowledged"),
            t("未确认", "not yet")
        )),
        _ => {}
    }
    out.push_str(&format!(
        "- {}: {}\n",
        t("下一工作日", "Next working day"),
        b.next_workday
    ));
    if let Some(h) = &b.chain_head {
        out.push_str(&format!("- {}\n", witness(h, lang)));
    }
    out.push('\n');
    let header = [
        t("编号", "ID"),
        t("企业", "Enterprise"),
        t("状态", "Status"),
        t("主办单位", "Unit"),
        t("下一期限", "Next due"),
        t("联系人", "Contact"),
        t("电话", "Phone"),
        t("摘要", "Summary"),
    ];
    for (zh, en, items) in sections(b) {
        // A desk without the residency programme sees no empty section for it.
        if items.is_empty() && std::ptr::eq(items, &b.legacy) {
            continue;
        }
        out.push_str(&format!(
            "## {}{}{}{}\n\n",
            t(zh, en),
            t("（", " ("),
            items.len(),
            t("）", ")")
        ));
        if items.is_empty() {
            out.push_str(&format!("{}\n\n", t("无。", "None.")));
            continue;
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|i| {
                let mut name = i.enterprise.clone();
                if i.vip {
                    name.push_str(" [VIP]");
                }
                let mut due = i.next_due.map(|d| d.to_string()).unwrap_or_default();
                if i.provisional {
                    due.push_str(provisional_mark(lang));
                }
                if i.overdue {
                    due.push_str(t(" 逾期", " overdue"));
                }
                let mut unit = i.unit.clone();
                if !i.detail.is_empty() && i.detail != i.unit {
                    unit = i.detail.clone();
                }
                vec![
                    format!("#{}", i.id),
                    name,
                    status_name(&i.status, lang),
                    unit,
                    due,
                    i.contact.clone(),
                    i.phone.clone(),
                    i.summary.clone(),
                ]
            })
            .collect();
        out.push_str(&md_table(&header, &rows));
        out.push('\n');
    }
    out.push_str(&format!(
        "## {}\n\n",
        t("交接留言", "Notes to the next shift")
    ));
    if b.notes.trim().is_empty() {
        out.push_str(&format!("{}\n", t("无。", "None.")));
    } else {
        for l in md_text(&b.notes).lines() {
            out.push_str(&format!("> {}\n", md_cell(l)));
        }
    }
    out
}

/// Plain text for the terminal: one line per issue, sections as in the Markdown. Stored text
/// goes through the sanitiser (`crate::sanitize`).
pub fn plain_text(p: &Printed, lang: Lang) -> String {
    use crate::sanitize::line as clean;
    let b = &p.brief;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = format!(
        "{} — {} {}\n{} {} — {} · {}\n",
        t("交接班记录", "Shift handover"),
        clean(&b.officer),
        clean(
            &[b.officer_unit.as_str(), b.duty.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · ")
        ),
        t("时段", "Period"),
        b.from.format("%Y-%m-%d %H:%M"),
        b.to.format("%Y-%m-%d %H:%M"),
        if p.signed_off {
            t("已签退", "signed off")
        } else {
            t("草稿", "draft")
        }
    );
    if let Some(h) = &b.chain_head {
        out.push_str(&format!("{}\n", witness(h, lang)));
    }
    for (zh, en, items) in sections(b) {
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n{}{}{}{}\n",
            t(zh, en),
            t("（", " ("),
            items.len(),
            t("）", ")")
        ));
        for i in items {
            let mut parts = vec![format!("#{} {}", i.id, clean(&i.enterprise))];
            if i.vip {
                parts[0].push_str(" [VIP]");
            }
            parts.push(status_name(&i.status, lang));
            if !i.detail.is_empty() && i.detail != i.unit {
                parts.push(clean(&i.detail));
            } else if !i.unit.is_empty() {
                parts.push(clean(&i.unit));
            }
            if let Some(d) = i.next_due {
                let late = if i.overdue {
                    t(" 逾期", " overdue")
                } else {
                    ""
                };
                let mark = if i.provisional {
                    provisional_mark(lang)
                } else {
                    ""
                };
                parts.push(format!("{d}{mark}{late}"));
            }
            out.push_str(&format!("  {}\n", parts.join(" · ")));
        }
    }
    out.push_str(&format!("\n{}\n", t("交接留言", "Notes to the next shift")));
    if b.notes.trim().is_empty() {
        out.push_str(&format!("  {}\n", t("无", "none")));
    } else {
        for l in b.notes.lines() {
            out.push_str(&format!("  {}\n", clean(l)));
        }
    }
    out
}

#[cfg(test)]
mod tests;
