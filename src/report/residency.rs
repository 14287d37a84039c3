//! Figures of the residency programme (四帮一体验), as the published reports give them: per
//! round and in total — cadres, firms, policies filed, funds (万元), problems raised / closed /
//! in progress, firms asking to extend (加期), the 五个一 completion rate — and per unit; the
//! cadres' checklists (who is behind); the firms' scores for the organisation department.
//!
//! Totals over rounds are sums of the rounds (人次, 户次: a cadre in two rounds counts twice),
//! as the published figures count them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::residency::{
    five_ones, wan, yuan, ChecklistItem, FiveOnes, Kept, Matching, Residency, RoundPhase,
    FIVE_ONES, SCORE_DIMENSIONS,
};
use crate::domain::IssueStatus;
use crate::i18n::Lang;

/// Counts for a round, a unit, or all rounds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub placements: usize,
    pub cadres: usize,
    pub firms: usize,
    /// Firms visited and ordering (点餐).
    pub orders: usize,
    pub policies: usize,
    pub funds_fen: u64,
    /// Funds in 万元, two decimals.
    pub funds_wan: String,
    pub suggestions: usize,
    pub problems_raised: usize,
    pub problems_closed: usize,
    pub problems_in_progress: usize,
    /// Raised in a round that is over, still open (驻企遗留).
    pub problems_legacy: usize,
    pub extensions: usize,
    pub five_ones_complete: usize,
    /// Percent of cadres with all five, one decimal.
    pub five_ones_rate: f64,
}

impl Figures {
    fn add(&mut self, o: &Figures) {
        self.placements += o.placements;
        self.cadres += o.cadres;
        self.firms += o.firms;
        self.orders += o.orders;
        self.policies += o.policies;
        self.funds_fen += o.funds_fen;
        self.suggestions += o.suggestions;
        self.problems_raised += o.problems_raised;
        self.problems_closed += o.problems_closed;
        self.problems_in_progress += o.problems_in_progress;
        self.problems_legacy += o.problems_legacy;
        self.extensions += o.extensions;
        self.five_ones_complete += o.five_ones_complete;
    }

    fn finish(&mut self) {
        self.funds_wan = crate::domain::residency::wan(self.funds_fen);
        self.five_ones_rate = if self.cadres == 0 {
            0.0
        } else {
            (self.five_ones_complete as f64 * 1000.0 / self.cadres as f64).round() / 10.0
        };
    }
}

/// One cadre of one placement, with their 五个一 and the issues they raised that are open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CadreRow {
    pub round: u32,
    pub placement: u64,
    pub enterprise: String,
    pub credit_code: String,
    pub name: String,
    /// The unit's id (or the department as given).
    pub unit: String,
    pub rank: String,
    pub five_ones: FiveOnes,
    /// Which of the five are met, in order.
    pub items: [bool; 5],
    pub done: usize,
    pub issues: Vec<u64>,
    /// Issues still open after the round (驻企遗留).
    pub legacy: Vec<u64>,
}

/// A round with its figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundFigures {
    pub no: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub organisers: Vec<String>,
    pub title: String,
    pub phase: RoundPhase,
    pub figures: Figures,
}

/// A unit's figures over the rounds reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitFigures {
    pub unit: String,
    pub name: String,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub today: NaiveDate,
    pub rounds: Vec<RoundFigures>,
    pub total: Figures,
    pub units: Vec<UnitFigures>,
}

/// The cadre rows of the placements kept, in placement order.
pub fn cadre_rows(
    r: &Residency,
    round: Option<u32>,
    status: &dyn Fn(u64) -> Option<IssueStatus>,
    today: NaiveDate,
) -> Vec<CadreRow> {
    let mut out = vec![];
    for k in r.placements.values().filter(|k| k.voided.is_none()) {
        if round.is_some_and(|n| n != k.placement.round) {
            continue;
        }
        out.extend(cadre_rows_of(r, k, status, today));
    }
    out
}

/// The cadre rows of one placement.
pub fn cadre_rows_of(
    r: &Residency,
    k: &Kept,
    status: &dyn Fn(u64) -> Option<IssueStatus>,
    today: NaiveDate,
) -> Vec<CadreRow> {
    k.placement
        .cadres
        .iter()
        .map(|c| cadre_row(r, k, &c.name, status, today))
        .collect()
}

fn cadre_row(
    r: &Residency,
    k: &Kept,
    cadre: &str,
    status: &dyn Fn(u64) -> Option<IssueStatus>,
    today: NaiveDate,
) -> CadreRow {
    let p = &k.placement;
    let c = p.cadre(cadre);
    let issues = r.issues_of(p.id, cadre);
    let f = five_ones(k, cadre, &issues, status);
    let legacy = issues
        .iter()
        .copied()
        .filter(|id| status(*id).is_some_and(|s| r.is_legacy(*id, s, today)))
        .collect();
    CadreRow {
        round: p.round,
        placement: p.id,
        enterprise: p.enterprise_name.clone(),
        credit_code: p.enterprise.clone(),
        name: cadre.to_string(),
        unit: c.map(|c| c.unit.clone()).unwrap_or_default(),
        rank: c.map(|c| c.rank.clone()).unwrap_or_default(),
        items: f.items(),
        done: f.done(),
        five_ones: f,
        issues,
        legacy,
    }
}

/// Figures of the cadre rows given (one round's, or one unit's).
fn figures_of<'a>(rows: impl Iterator<Item = &'a CadreRow>, r: &Residency) -> Figures {
    let mut f = Figures::default();
    let mut cadres = BTreeSet::new();
    let mut firms = BTreeSet::new();
    let mut placements = BTreeSet::new();
    for row in rows {
        cadres.insert((row.round, row.name.clone(), row.unit.clone()));
        firms.insert((row.round, row.credit_code.clone()));
        placements.insert(row.placement);
        f.policies += row.five_ones.policies;
        f.funds_fen += row.five_ones.amount_fen;
        f.suggestions += row.five_ones.suggestions;
        f.problems_raised += row.five_ones.problems_raised;
        f.problems_closed += row.five_ones.problems_closed;
        f.problems_in_progress += row.five_ones.problems_open();
        f.problems_legacy += row.legacy.len();
        if row.five_ones.complete() {
            f.five_ones_complete += 1;
        }
    }
    f.cadres = cadres.len();
    f.firms = firms.len();
    f.placements = placements.len();
    f.extensions = placements
        .iter()
        .filter(|id| r.placements.get(id).is_some_and(|k| k.extension.is_some()))
        .count();
    f.finish();
    f
}

/// The programme's figures: of one round, or of every round and their total; and per unit.
pub fn build(
    r: &Residency,
    round: Option<u32>,
    status: &dyn Fn(u64) -> Option<IssueStatus>,
    today: NaiveDate,
    unit_name: &dyn Fn(&str) -> String,
) -> Report {
    let rows = cadre_rows(r, round, status, today);
    let mut rounds = vec![];
    let mut total = Figures::default();
    for k in r.rounds.values() {
        if round.is_some_and(|n| n != k.round.no) {
            continue;
        }
        let mut f = figures_of(rows.iter().filter(|x| x.round == k.round.no), r);
        f.orders = r.orders.get(&k.round.no).map_or(0, |o| o.len());
        total.add(&f);
        rounds.push(RoundFigures {
            no: k.round.no,
            start: k.round.start,
            end: k.round.end,
            organisers: k.round.organisers.clone(),
            title: k.round.title.clone(),
            phase: k.phase(today),
            figures: f,
        });
    }
    total.finish();
    let mut by_unit: BTreeMap<&str, Vec<&CadreRow>> = BTreeMap::new();
    for row in &rows {
        by_unit.entry(&row.unit).or_default().push(row);
    }
    let mut units: Vec<UnitFigures> = by_unit
        .into_iter()
        .map(|(u, rs)| UnitFigures {
            unit: u.to_string(),
            name: unit_name(u),
            figures: figures_of(rs.into_iter(), r),
        })
        .collect();
    units.sort_by(|a, b| {
        b.figures
            .cadres
            .cmp(&a.figures.cadres)
            .then_with(|| a.unit.cmp(&b.unit))
    });
    Report {
        today,
        rounds,
        total,
        units,
    }
}

/// Yes/no for a table cell.
fn tick(b: bool) -> &'static str {
    if b {
        "✓"
    } else {
        "·"
    }
}

/// A row's figures as cells, in `FIGURE_HEADER`'s order (without the extensions where a
/// narrow screen leaves them out).
pub fn figure_cells(f: &Figures, extensions: bool) -> Vec<String> {
    let mut c = vec![
        f.cadres.to_string(),
        f.firms.to_string(),
        f.policies.to_string(),
        f.funds_wan.clone(),
        f.problems_raised.to_string(),
        f.problems_closed.to_string(),
        f.problems_in_progress.to_string(),
    ];
    if extensions {
        c.push(f.extensions.to_string());
    }
    c.push(format!("{:.1}%", f.five_ones_rate));
    c
}

const FIGURE_HEADER: [(&str, &str); 9] = [
    ("干部(人次)", "cadres"),
    ("企业(户次)", "firms"),
    ("政策申报", "policies"),
    ("资金(万元)", "funds (10k yuan)"),
    ("问题", "problems"),
    ("已办结", "closed"),
    ("办理中", "in progress"),
    ("加期", "extensions"),
    ("五个一完成率", "五个一 rate"),
];

/// The report in Markdown.
pub fn markdown(rep: &Report, lang: Lang) -> String {
    let en = lang.is_en();
    let pick = |z: &'static str, e: &'static str| if en { e } else { z };
    let mut out = format!(
        "# {}\n\n{} {}\n\n",
        pick(
            "四帮一体验 驻企工作统计",
            "Residency programme (四帮一体验): figures"
        ),
        pick("截至", "As of"),
        rep.today
    );
    let t = &rep.total;
    out.push_str(&if en {
        format!(
            "{} rounds: {} cadres in {} firms; {} policies filed, {} 万元; {} problems raised, {} closed, {} in progress ({} open after their round); {} firms asked to extend; 五个一 completed by {:.1}% of cadres.\n\n",
            rep.rounds.len(), t.cadres, t.firms, t.policies, t.funds_wan, t.problems_raised, t.problems_closed, t.problems_in_progress, t.problems_legacy, t.extensions, t.five_ones_rate
        )
    } else {
        format!(
            "共 {} 期，选派干部 {} 人次进驻企业 {} 户次；申报政策 {} 项，涉及资金 {} 万元；收集问题 {} 个，已办结 {} 个，正在办理 {} 个（其中驻企遗留 {} 个）；{} 户企业申请加期；五个一完成率 {:.1}%。\n\n",
            rep.rounds.len(), t.cadres, t.firms, t.policies, t.funds_wan, t.problems_raised, t.problems_closed, t.problems_in_progress, t.problems_legacy, t.extensions, t.five_ones_rate
        )
    });
    let mut header: Vec<&str> = vec![
        pick("期次", "round"),
        pick("日期", "dates"),
        pick("状态", "phase"),
    ];
    header.extend(FIGURE_HEADER.iter().map(|h| pick(h.0, h.1)));
    let mut rows: Vec<Vec<String>> = rep
        .rounds
        .iter()
        .map(|r| {
            let mut row = vec![
                if en {
                    format!("round {}", r.no)
                } else {
                    format!("第{}期", r.no)
                },
                format!("{} – {}", r.start, r.end),
                pick(r.phase.zh(), r.phase.en()).to_string(),
            ];
            row.extend(figure_cells(&r.figures, true));
            row
        })
        .collect();
    if rep.rounds.len() > 1 {
        let mut row = vec![
            pick("合计", "total").to_string(),
            String::new(),
            String::new(),
        ];
        row.extend(figure_cells(t, true));
        rows.push(row);
    }
    out.push_str(&format!("## {}\n\n", pick("分期统计", "By round")));
    out.push_str(&super::md_table(&header, &rows));
    let mut header: Vec<&str> = vec![pick("单位", "unit")];
    header.extend(FIGURE_HEADER.iter().map(|h| pick(h.0, h.1)));
    let rows: Vec<Vec<String>> = rep
        .units
        .iter()
        .map(|u| {
            let mut row = vec![u.name.clone()];
            row.extend(figure_cells(&u.figures, true));
            row
        })
        .collect();
    out.push_str(&format!("\n## {}\n\n", pick("分单位统计", "By unit")));
    out.push_str(&super::md_table(&header, &rows));
    out
}

/// The report as CSV rows: one per round, the total, one per unit.
pub fn csv_rows(rep: &Report, lang: Lang) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let en = lang.is_en();
    let mut header = vec![
        if en { "scope" } else { "范围" },
        if en { "round" } else { "期次" },
        if en { "unit" } else { "单位" },
    ];
    header.extend(FIGURE_HEADER.iter().map(|h| if en { h.1 } else { h.0 }));
    let mut rows = vec![];
    for r in &rep.rounds {
        let mut row = vec![
            lang.pick("分期", "round").to_string(),
            r.no.to_string(),
            String::new(),
        ];
        row.extend(figure_cells(&r.figures, true));
        rows.push(row);
    }
    let mut row = vec![
        lang.pick("合计", "total").to_string(),
        String::new(),
        String::new(),
    ];
    row.extend(figure_cells(&rep.total, true));
    rows.push(row);
    for u in &rep.units {
        let mut row = vec![
            lang.pick("单位", "unit").to_string(),
            String::new(),
            u.name.clone(),
        ];
        row.extend(figure_cells(&u.figures, true));
        rows.push(row);
    }
    (header, rows)
}

/// The five items' short headers, in the language.
pub fn five_headers(lang: Lang) -> Vec<&'static str> {
    FIVE_ONES.iter().map(|f| lang.pick(f.0, f.1)).collect()
}

/// A checklist row's cells: the five marks.
pub fn ticks(row: &CadreRow) -> Vec<String> {
    row.items.iter().map(|m| tick(*m).to_string()).collect()
}

/// One checklist entry as a line.
fn entry_text(item: &ChecklistItem, lang: Lang) -> String {
    match item {
        ChecklistItem::Policy { name, amount_fen } => {
            if lang.is_en() {
                format!("policy: {name} ({} yuan)", yuan(*amount_fen))
            } else {
                format!("政策：{name}（{} 元）", yuan(*amount_fen))
            }
        }
        ChecklistItem::Suggestion { text } => {
            format!("{}{text}", lang.pick("建议：", "suggestion: "))
        }
        ChecklistItem::LineDay { date } => {
            format!("{}{date}", lang.pick("生产线：", "on the line: "))
        }
        ChecklistItem::Report { title } => format!("{}{title}", lang.pick("体会：", "report: ")),
    }
}

/// Who reads a placement, and how: unit names in their language, the issues' statuses,
/// whether the firm's scores may be shown, the day.
pub struct Reader<'a> {
    pub unit_name: &'a dyn Fn(&str) -> String,
    pub status: &'a dyn Fn(u64) -> Option<IssueStatus>,
    pub scores: bool,
    pub today: NaiveDate,
    pub lang: Lang,
}

/// A placement as `residency show` prints it: the firm, each cadre's 五个一 with the entries
/// numbered, the issues raised, and the firm's scores where the reader may see them.
pub fn placement_lines(r: &Residency, k: &Kept, cadres: &[CadreRow], rd: &Reader) -> Vec<String> {
    let (unit_name, status, scores, today, lang) =
        (rd.unit_name, rd.status, rd.scores, rd.today, rd.lang);
    let en = lang.is_en();
    let p = &k.placement;
    let mut out = vec![];
    let phase = r
        .rounds
        .get(&p.round)
        .map(|x| format!(" [{}]", lang.pick(x.phase(today).zh(), x.phase(today).en())))
        .unwrap_or_default();
    out.push(if en {
        format!(
            "Placement {}: {} ({}), round {}{phase}",
            p.id, p.enterprise_name, p.enterprise, p.round
        )
    } else {
        format!(
            "驻企安排 {}：{}（{}），第 {} 期{phase}",
            p.id, p.enterprise_name, p.enterprise, p.round
        )
    });
    if let Some(v) = &k.voided {
        out.push(format!("{}{v}", lang.pick("已撤销：", "voided: ")));
    }
    if let Some(e) = &k.extension {
        out.push(format!(
            "{}{e}",
            lang.pick("企业申请加期：", "the firm asks to extend: ")
        ));
    }
    for c in cadres {
        out.push(String::new());
        let rank = if c.rank.is_empty() {
            String::new()
        } else {
            format!(" {}", c.rank)
        };
        out.push(format!(
            "{}（{}{rank}）  {} {}/5",
            c.name,
            unit_name(&c.unit),
            lang.pick("五个一", "五个一"),
            c.done
        ));
        for (i, (name, met)) in FIVE_ONES.iter().zip(c.items).enumerate() {
            let extra = match i {
                0 => {
                    if en {
                        format!(
                            " ({} raised, {} closed)",
                            c.five_ones.problems_raised, c.five_ones.problems_closed
                        )
                    } else {
                        format!(
                            "（提出 {} 个，办结 {} 个）",
                            c.five_ones.problems_raised, c.five_ones.problems_closed
                        )
                    }
                }
                1 if c.five_ones.policies > 0 => {
                    if en {
                        format!(
                            " ({}, {} 万元)",
                            c.five_ones.policies,
                            wan(c.five_ones.amount_fen)
                        )
                    } else {
                        format!(
                            "（{} 项，{} 万元）",
                            c.five_ones.policies,
                            wan(c.five_ones.amount_fen)
                        )
                    }
                }
                _ => String::new(),
            };
            out.push(format!(
                "  {} {}{extra}",
                tick(met),
                lang.pick(name.0, name.1)
            ));
        }
        for (n, e) in k.entries.get(&c.name).into_iter().flatten().enumerate() {
            let void = e
                .voided
                .as_ref()
                .map(|v| format!(" [{}{v}]", lang.pick("已作废：", "voided: ")))
                .unwrap_or_default();
            out.push(format!(
                "  {}. {} — {} {}{void}",
                n + 1,
                entry_text(&e.item, lang),
                e.at.format("%Y-%m-%d %H:%M"),
                e.by
            ));
        }
        for id in &c.issues {
            let st = status(*id)
                .map(|s| lang.pick(s.zh(), s.en()))
                .unwrap_or("?");
            let legacy = if c.legacy.contains(id) {
                lang.pick(" 驻企遗留", " LEGACY")
            } else {
                ""
            };
            out.push(format!("  #{id} {st}{legacy}"));
        }
        if scores {
            if let Some(s) = k.scores.get(&c.name) {
                let dims: Vec<String> = SCORE_DIMENSIONS
                    .iter()
                    .zip(&s.dims)
                    .map(|(d, v)| format!("{} {v}", lang.pick(d.0, d.1)))
                    .collect();
                out.push(
                    format!(
                        "  {}{}  {:.2}  {}",
                        lang.pick("企业评分：", "the firm's score: "),
                        dims.join(" "),
                        s.mean(),
                        s.comment
                    )
                    .trim_end()
                    .to_string(),
                );
            }
        }
    }
    out
}

/// A round's matching as lines: what is wanting, or that nothing is.
pub fn matching_lines(
    m: &Matching,
    firm: &dyn Fn(&str) -> String,
    unit_name: &dyn Fn(&str) -> String,
    lang: Lang,
) -> Vec<String> {
    let en = lang.is_en();
    let sep = if en { ", " } else { "、" };
    let mut out = vec![];
    let mut section = |title: (&str, &str), lines: Vec<String>| {
        if !lines.is_empty() {
            out.push(format!("{} ({})", lang.pick(title.0, title.1), lines.len()));
            out.extend(lines.into_iter().map(|l| format!("  {l}")));
        }
    };
    section(
        ("已点餐未配餐", "ordered, not placed"),
        m.unplaced.iter().map(|f| firm(f)).collect(),
    );
    section(
        ("点餐部门未派到", "departments ordered, not sent"),
        m.units_missing
            .iter()
            .map(|(f, us)| {
                format!(
                    "{}: {}",
                    firm(f),
                    us.iter()
                        .map(|u| unit_name(u))
                        .collect::<Vec<_>>()
                        .join(sep)
                )
            })
            .collect(),
    );
    section(
        ("点名干部未派到", "named cadres not placed there"),
        m.named_missing
            .iter()
            .map(|(f, c, elsewhere)| {
                let w = match elsewhere {
                    Some(e) if en => format!(" (placed in {})", firm(e)),
                    Some(e) => format!("（已派往 {}）", firm(e)),
                    None if en => " (not placed this round)".to_string(),
                    None => "（本期未安排）".to_string(),
                };
                format!("{}: {c}{w}", firm(f))
            })
            .collect(),
    );
    section(
        ("重复安排", "double booked"),
        m.double_booked
            .iter()
            .map(|(c, fs)| {
                format!(
                    "{}（{}）: {}",
                    c.name,
                    unit_name(&c.unit),
                    fs.iter().map(|f| firm(f)).collect::<Vec<_>>().join(sep)
                )
            })
            .collect(),
    );
    section(
        ("多家企业点名的干部", "cadres asked for by several firms"),
        m.popular
            .iter()
            .map(|(c, fs)| {
                format!(
                    "{c}: {}",
                    fs.iter().map(|f| firm(f)).collect::<Vec<_>>().join(sep)
                )
            })
            .collect(),
    );
    section(
        ("配餐前未走访点餐", "placed without an order"),
        m.no_order.iter().map(|f| firm(f)).collect(),
    );
    if out.is_empty() {
        out.push(
            lang.pick("点餐与配餐全部相符", "every order is met")
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests;
