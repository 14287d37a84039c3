//! The residency programme (四帮一体验): district cadres work inside enterprises for a round of
//! two weeks, in pairs, full-time. Before a round every firm is visited and orders (点餐) the
//! departments or named cadres it wants; the round places pairs to match (配餐). Each cadre
//! owes the 五个一 (a problem solved, a policy matched, a suggestion, a day on the production
//! line, an experience report); at the end the firm scores each cadre back-to-back. Problems
//! raised in a placement are ordinary issues (channel 驻企干部) and are followed until closed,
//! after the round too (驻企遗留).
//!
//! Plain types and the rules, free of I/O: the state is a fold of the residency events
//! (`apply`), like every other record of the desk.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::event::{EventKind, Recorded};
use super::issue::IssueStatus;

/// Longest a round may run, in calendar days (a round is two weeks; a round with a
/// holiday in it may be set a little longer).
pub const MAX_ROUND_DAYS: i64 = 31;
/// Cadres per placement: they go in pairs.
pub const PAIR: usize = 2;

/// The dimensions the firm scores each cadre on, 1–5 each.
pub const SCORE_DIMENSIONS: [(&str, &str); 4] = [
    ("工作态度", "attitude"),
    ("工作作风", "conduct"),
    ("履职能力", "competence"),
    ("工作成效", "results"),
];

/// A round (期) of the programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// The round's number (第 N 期).
    pub no: u32,
    pub start: NaiveDate,
    /// The last day in the firms (inclusive).
    pub end: NaiveDate,
    /// Who runs it (区委组织部, 区工商联 …).
    pub organisers: Vec<String>,
    #[serde(default)]
    pub title: String,
}

/// Where a round is, on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundPhase {
    /// Not begun: orders are taken and pairs placed.
    Planned,
    /// Cadres are in the firms.
    Running,
    /// The two weeks are over; the round is not yet closed (scores come in).
    Ended,
    /// Closed by the organisers: figures final, scores sent.
    Closed,
}

impl RoundPhase {
    pub fn zh(self) -> &'static str {
        match self {
            RoundPhase::Planned => "筹备中",
            RoundPhase::Running => "驻企中",
            RoundPhase::Ended => "已结束",
            RoundPhase::Closed => "已收官",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            RoundPhase::Planned => "planned",
            RoundPhase::Running => "running",
            RoundPhase::Ended => "ended",
            RoundPhase::Closed => "closed",
        }
    }
}

/// A cadre placed in a firm.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cadre {
    pub name: String,
    /// A configured unit's id, or the department's name as given.
    pub unit: String,
    /// Rank or category (处级, 科级, 年轻干部 …).
    #[serde(default)]
    pub rank: String,
}

/// What a firm asked for, at the visit before a round (点餐).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub round: u32,
    /// Credit code.
    pub enterprise: String,
    pub enterprise_name: String,
    /// Departments wanted (unit ids, or names as given).
    pub units: Vec<String>,
    /// Cadres asked for by name.
    #[serde(default)]
    pub cadres: Vec<String>,
    /// What the firm said it needs.
    #[serde(default)]
    pub needs: String,
    /// The day of the visit.
    pub visited: NaiveDate,
}

/// A pair of cadres placed in a firm for a round (配餐).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub id: u64,
    pub round: u32,
    pub enterprise: String,
    pub enterprise_name: String,
    pub cadres: Vec<Cadre>,
}

impl Placement {
    /// One of the placed cadres, by name.
    pub fn cadre(&self, name: &str) -> Option<&Cadre> {
        self.cadres.iter().find(|c| c.name == name)
    }
}

/// One entry of a cadre's 五个一 (the problems are linked issues, not entries).
// Externally tagged (`{"policy":{…}}`): the view's binary snapshot cannot read an internally
// tagged enum back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistItem {
    /// A preferential policy matched for the firm, and what it brings, in fen (1/100 yuan).
    Policy {
        name: String,
        amount_fen: u64,
    },
    Suggestion {
        text: String,
    },
    /// The day worked on the production line.
    LineDay {
        date: NaiveDate,
    },
    /// The experience report was received.
    Report {
        title: String,
    },
}

/// An entry as kept, with whether it was voided (a mistaken entry is voided, never deleted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub item: ChecklistItem,
    pub at: NaiveDateTime,
    pub by: String,
    pub voided: Option<String>,
}

/// The firm's score of one cadre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// One per `SCORE_DIMENSIONS`, 1–5.
    pub dims: Vec<u8>,
    #[serde(default)]
    pub comment: String,
}

impl Score {
    /// The mean of the dimensions.
    pub fn mean(&self) -> f64 {
        if self.dims.is_empty() {
            return 0.0;
        }
        self.dims.iter().map(|d| f64::from(*d)).sum::<f64>() / self.dims.len() as f64
    }
}

/// A placement with what was recorded on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub placement: Placement,
    pub placed_at: NaiveDateTime,
    /// Per cadre (by name): the checklist entries, in order.
    pub entries: BTreeMap<String, Vec<Entry>>,
    pub scores: BTreeMap<String, Score>,
    /// The firm asked to extend the placement (加期), with its words.
    pub extension: Option<String>,
    pub voided: Option<String>,
}

impl Kept {
    pub fn live_entries(&self, cadre: &str) -> impl Iterator<Item = &ChecklistItem> {
        self.entries
            .get(cadre)
            .into_iter()
            .flatten()
            .filter(|e| e.voided.is_none())
            .map(|e| &e.item)
    }
}

/// A round as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptRound {
    pub round: Round,
    pub closed: Option<(NaiveDateTime, String)>,
}

impl KeptRound {
    pub fn phase(&self, today: NaiveDate) -> RoundPhase {
        if self.closed.is_some() {
            RoundPhase::Closed
        } else if today < self.round.start {
            RoundPhase::Planned
        } else if today <= self.round.end {
            RoundPhase::Running
        } else {
            RoundPhase::Ended
        }
    }
}

/// Which placement and cadre an issue was raised in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub placement: u64,
    pub cadre: String,
}

/// An issue raised in a placement: the link, the placement, its round, the cadre who raised it.
pub struct Origin<'a> {
    pub link: &'a Link,
    pub kept: &'a Kept,
    pub round: &'a KeptRound,
    pub cadre: Option<&'a Cadre>,
}

/// The whole programme as the events leave it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Residency {
    pub rounds: BTreeMap<u32, KeptRound>,
    /// By round, then credit code.
    pub orders: BTreeMap<u32, BTreeMap<String, Order>>,
    pub placements: BTreeMap<u64, Kept>,
    /// By issue id.
    pub links: BTreeMap<u64, Link>,
}

/// Why a residency event does not fit the programme as it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidencyError {
    #[error("round {0} does not exist")]
    NoRound(u32),
    #[error("round {0} is closed")]
    RoundClosed(u32),
    #[error("placement {0} does not exist")]
    NoPlacement(u64),
    #[error("placement {0} already exists")]
    PlacementExists(u64),
    #[error("placement {0} was voided")]
    PlacementVoided(u64),
    #[error("{cadre} is not placed in placement {placement}")]
    NotPlaced { placement: u64, cadre: String },
    #[error("checklist entry {index} of {cadre} does not exist")]
    NoEntry { cadre: String, index: usize },
    #[error("issue {0} is already linked to a placement")]
    Linked(u64),
}

impl Residency {
    pub fn round(&self, no: u32) -> Result<&KeptRound, ResidencyError> {
        self.rounds.get(&no).ok_or(ResidencyError::NoRound(no))
    }

    pub fn placement(&self, id: u64) -> Result<&Kept, ResidencyError> {
        self.placements
            .get(&id)
            .ok_or(ResidencyError::NoPlacement(id))
    }

    pub fn max_placement(&self) -> u64 {
        self.placements.keys().next_back().copied().unwrap_or(0)
    }

    /// The placements of a round that stand (not voided), in id order.
    pub fn placements_of(&self, round: u32) -> impl Iterator<Item = &Kept> {
        self.placements
            .values()
            .filter(move |k| k.placement.round == round && k.voided.is_none())
    }

    /// Where an issue came from, if it was raised in a placement.
    pub fn origin(&self, issue: u64) -> Option<Origin<'_>> {
        let link = self.links.get(&issue)?;
        let kept = self.placements.get(&link.placement)?;
        Some(Origin {
            link,
            kept,
            round: self.rounds.get(&kept.placement.round)?,
            cadre: kept.placement.cadre(&link.cadre),
        })
    }

    /// The round an issue was raised in, if it was raised in a placement.
    pub fn round_of_issue(&self, issue: u64) -> Option<&KeptRound> {
        self.origin(issue).map(|o| o.round)
    }

    /// 驻企遗留: an issue raised in a placement, still open after its round.
    pub fn is_legacy(&self, issue: u64, status: IssueStatus, today: NaiveDate) -> bool {
        status.is_open()
            && self
                .round_of_issue(issue)
                .is_some_and(|r| matches!(r.phase(today), RoundPhase::Ended | RoundPhase::Closed))
    }

    /// Applies one residency event. The single place they change the programme: the desk
    /// stages with it before recording, the view when it replays.
    pub fn apply(&mut self, rec: &Recorded) -> Result<(), ResidencyError> {
        use EventKind as E;
        match &rec.event {
            E::RoundSaved { round } => {
                if self.rounds.contains_key(&round.no) {
                    self.open_round(round.no)?;
                }
                if let Some(k) = self.rounds.get_mut(&round.no) {
                    k.round = round.clone();
                } else {
                    self.rounds.insert(
                        round.no,
                        KeptRound {
                            round: round.clone(),
                            closed: None,
                        },
                    );
                }
            }
            E::RoundClosed { no, note } => {
                self.open_round(*no)?;
                if let Some(k) = self.rounds.get_mut(no) {
                    k.closed = Some((rec.at, note.clone()));
                }
            }
            E::OrderSaved { order } => {
                self.open_round(order.round)?;
                self.orders
                    .entry(order.round)
                    .or_default()
                    .insert(order.enterprise.clone(), order.clone());
            }
            E::PlacementSaved { placement } => {
                self.open_round(placement.round)?;
                if self.placements.contains_key(&placement.id) {
                    return Err(ResidencyError::PlacementExists(placement.id));
                }
                self.placements.insert(
                    placement.id,
                    Kept {
                        placement: placement.clone(),
                        placed_at: rec.at,
                        entries: BTreeMap::new(),
                        scores: BTreeMap::new(),
                        extension: None,
                        voided: None,
                    },
                );
            }
            E::PlacementVoided { placement, reason } => {
                let k = self.live(*placement)?;
                k.voided = Some(reason.clone());
            }
            E::ChecklistRecorded {
                placement,
                cadre,
                item,
            } => {
                let k = self.placed(*placement, cadre)?;
                k.entries.entry(cadre.clone()).or_default().push(Entry {
                    item: item.clone(),
                    at: rec.at,
                    by: rec.by.clone(),
                    voided: None,
                });
            }
            E::ChecklistVoided {
                placement,
                cadre,
                index,
                reason,
            } => {
                self.entry(*placement, cadre, *index)?;
                if let Some(e) = self
                    .placements
                    .get_mut(placement)
                    .and_then(|k| k.entries.get_mut(cadre))
                    .and_then(|v| v.get_mut(*index))
                {
                    e.voided = Some(reason.clone());
                }
            }
            E::CadreScored {
                placement,
                cadre,
                score,
            } => {
                let k = self.placed(*placement, cadre)?;
                k.scores.insert(cadre.clone(), score.clone());
            }
            E::ExtensionRequested { placement, reason } => {
                let k = self.live(*placement)?;
                k.extension = Some(reason.clone());
            }
            E::ResidencyIssueLinked {
                issue,
                placement,
                cadre,
            } => {
                self.placed(*placement, cadre)?;
                if self.links.contains_key(issue) {
                    return Err(ResidencyError::Linked(*issue));
                }
                self.links.insert(
                    *issue,
                    Link {
                        placement: *placement,
                        cadre: cadre.clone(),
                    },
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// A round that exists and is not closed: what takes changes.
    pub fn open_round(&self, no: u32) -> Result<&KeptRound, ResidencyError> {
        let k = self.round(no)?;
        match k.closed {
            Some(_) => Err(ResidencyError::RoundClosed(no)),
            None => Ok(k),
        }
    }

    /// A standing placement (not voided) of a round not closed, with `cadre` in it (any, for
    /// None), and its round: what takes entries, scores, links and requests.
    pub fn standing(
        &self,
        id: u64,
        cadre: Option<&str>,
    ) -> Result<(&Kept, &KeptRound), ResidencyError> {
        let k = self.placement(id)?;
        let round = self.open_round(k.placement.round)?;
        if k.voided.is_some() {
            return Err(ResidencyError::PlacementVoided(id));
        }
        if let Some(name) = cadre.filter(|n| k.placement.cadre(n).is_none()) {
            return Err(ResidencyError::NotPlaced {
                placement: id,
                cadre: name.to_string(),
            });
        }
        Ok((k, round))
    }

    /// A cadre's checklist entry of a standing placement, not voided: what may be voided.
    pub fn entry(&self, id: u64, cadre: &str, index: usize) -> Result<&Entry, ResidencyError> {
        let (k, _) = self.standing(id, Some(cadre))?;
        k.entries
            .get(cadre)
            .and_then(|v| v.get(index))
            .filter(|e| e.voided.is_none())
            .ok_or_else(|| ResidencyError::NoEntry {
                cadre: cadre.to_string(),
                index,
            })
    }

    /// A standing placement, to change (see `standing`).
    fn live(&mut self, id: u64) -> Result<&mut Kept, ResidencyError> {
        self.standing(id, None)?;
        self.placements
            .get_mut(&id)
            .ok_or(ResidencyError::NoPlacement(id))
    }

    /// A standing placement with `cadre` in it, to change.
    fn placed(&mut self, id: u64, cadre: &str) -> Result<&mut Kept, ResidencyError> {
        self.standing(id, Some(cadre))?;
        self.placements
            .get_mut(&id)
            .ok_or(ResidencyError::NoPlacement(id))
    }

    /// The issues raised by one cadre of a placement.
    pub fn issues_of(&self, placement: u64, cadre: &str) -> Vec<u64> {
        self.links
            .iter()
            .filter(|(_, l)| l.placement == placement && l.cadre == cadre)
            .map(|(id, _)| *id)
            .collect()
    }
}

/// A cadre's 五个一, as far as it has come.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiveOnes {
    /// Issues raised, and how many of them are closed (办结): one closed solves the item.
    pub problems_raised: usize,
    pub problems_closed: usize,
    pub policies: usize,
    pub amount_fen: u64,
    pub suggestions: usize,
    pub line_day: Option<NaiveDate>,
    pub report: Option<String>,
}

impl FiveOnes {
    /// The five items, in the published order, met or not.
    pub fn items(&self) -> [bool; 5] {
        [
            self.problems_closed > 0,
            self.policies > 0,
            self.suggestions > 0,
            self.line_day.is_some(),
            self.report.is_some(),
        ]
    }
    /// Raised and still open (neither closed nor voided).
    pub fn problems_open(&self) -> usize {
        self.problems_raised - self.problems_closed
    }
    pub fn done(&self) -> usize {
        self.items().iter().filter(|m| **m).count()
    }
    pub fn complete(&self) -> bool {
        self.done() == 5
    }
}

/// The five items' names (Chinese, English), in order.
pub const FIVE_ONES: [(&str, &str); 5] = [
    ("解决一个问题", "a problem solved"),
    ("落实一项政策", "a policy matched"),
    ("提出一条建议", "a suggestion made"),
    ("一天生产线", "a day on the line"),
    ("一篇体会", "an experience report"),
];

/// A cadre's 五个一 in a placement; `status` gives the current status of an issue.
pub fn five_ones(
    k: &Kept,
    cadre: &str,
    links: &[u64],
    status: &dyn Fn(u64) -> Option<IssueStatus>,
) -> FiveOnes {
    let mut f = FiveOnes::default();
    for id in links {
        match status(*id) {
            Some(IssueStatus::Voided) | None => {}
            Some(s) => {
                f.problems_raised += 1;
                if s == IssueStatus::Closed {
                    f.problems_closed += 1;
                }
            }
        }
    }
    for item in k.live_entries(cadre) {
        match item {
            ChecklistItem::Policy { amount_fen, .. } => {
                f.policies += 1;
                f.amount_fen += amount_fen;
            }
            ChecklistItem::Suggestion { .. } => f.suggestions += 1,
            ChecklistItem::LineDay { date } => f.line_day = Some(*date),
            ChecklistItem::Report { title } => f.report = Some(title.clone()),
        }
    }
    f
}

/// What a round's matching (配餐) found wanting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matching {
    /// Firms that ordered and have no placement.
    pub unplaced: Vec<String>,
    /// Placed firms whose wanted departments no placed cadre comes from: (firm, departments).
    pub units_missing: Vec<(String, Vec<String>)>,
    /// Firms that asked for a named cadre not placed with them: (firm, cadre, where the cadre
    /// is placed instead in this round, if anywhere).
    pub named_missing: Vec<(String, String, Option<String>)>,
    /// Cadres placed in more than one firm of the round: (cadre, firms).
    pub double_booked: Vec<(Cadre, Vec<String>)>,
    /// Cadres asked for by more than one firm (popular): (name, firms).
    pub popular: Vec<(String, Vec<String>)>,
    /// Placements in firms with no order (no visit recorded before the round).
    pub no_order: Vec<String>,
}

impl Matching {
    pub fn is_clean(&self) -> bool {
        self.unplaced.is_empty()
            && self.units_missing.is_empty()
            && self.named_missing.is_empty()
            && self.double_booked.is_empty()
            && self.no_order.is_empty()
    }
}

/// Matches a round's orders against its placements. Firms are named by credit code.
pub fn matching(r: &Residency, round: u32) -> Matching {
    let mut m = Matching::default();
    let placed: Vec<&Kept> = r.placements_of(round).collect();
    let mut by_firm: BTreeMap<&str, Vec<&Kept>> = BTreeMap::new();
    for k in &placed {
        by_firm.entry(&k.placement.enterprise).or_default().push(k);
    }
    let mut asked: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let orders = r.orders.get(&round);
    for (firm, o) in orders.into_iter().flatten() {
        for c in &o.cadres {
            asked.entry(c.as_str()).or_default().push(firm.clone());
        }
        let Some(ks) = by_firm.get(firm.as_str()) else {
            m.unplaced.push(firm.clone());
            continue;
        };
        let cadres: Vec<&Cadre> = ks.iter().flat_map(|k| &k.placement.cadres).collect();
        let missing: Vec<String> = o
            .units
            .iter()
            .filter(|u| !cadres.iter().any(|c| &c.unit == *u))
            .cloned()
            .collect();
        if !missing.is_empty() {
            m.units_missing.push((firm.clone(), missing));
        }
        for name in &o.cadres {
            if !cadres.iter().any(|c| &c.name == name) {
                let elsewhere = placed
                    .iter()
                    .find(|k| k.placement.cadres.iter().any(|c| &c.name == name))
                    .map(|k| k.placement.enterprise.clone());
                m.named_missing
                    .push((firm.clone(), name.clone(), elsewhere));
            }
        }
    }
    // A cadre is a name in a unit (the rank may be written differently in two placements).
    let mut firms_of: BTreeMap<(&str, &str), (&Cadre, BTreeSet<String>)> = BTreeMap::new();
    for k in &placed {
        for c in &k.placement.cadres {
            firms_of
                .entry((&c.name, &c.unit))
                .or_insert_with(|| (c, BTreeSet::new()))
                .1
                .insert(k.placement.enterprise.clone());
        }
        if !orders.is_some_and(|o| o.contains_key(&k.placement.enterprise)) {
            m.no_order.push(k.placement.enterprise.clone());
        }
    }
    m.double_booked = firms_of
        .into_values()
        .filter(|(_, f)| f.len() > 1)
        .map(|(c, f)| (c.clone(), f.into_iter().collect()))
        .collect();
    m.popular = asked
        .into_iter()
        .filter(|(_, f)| f.len() > 1)
        .map(|(c, f)| (c.to_string(), f))
        .collect();
    m.no_order.dedup();
    m
}

/// Where else in the round a cadre is placed (by name and unit), for the double-booking
/// warning: the placements' ids.
pub fn also_placed(r: &Residency, round: u32, cadre: &Cadre) -> Vec<u64> {
    r.placements_of(round)
        .filter(|k| {
            k.placement
                .cadres
                .iter()
                .any(|c| c.name == cadre.name && c.unit == cadre.unit)
        })
        .map(|k| k.placement.id)
        .collect()
}

/// Parses an amount of money as a desk officer writes it: yuan (`120000`, `3500.5`) or
/// 万元 (`12万`, `2.5万元`), into fen. None for anything else.
pub fn parse_amount(s: &str) -> Option<u64> {
    let s = s.trim().replace([',', '，'], "");
    let (num, scale) = if let Some(n) = s.strip_suffix("万元").or_else(|| s.strip_suffix('万')) {
        (n.trim().to_string(), 10_000u64)
    } else {
        (s.trim_end_matches('元').trim().to_string(), 1)
    };
    let (int, frac) = match num.split_once('.') {
        Some((i, f)) => (i, f),
        None => (num.as_str(), ""),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 6 {
        return None;
    }
    // Work in millionths of the unit, then to fen (1/100 yuan): exact for the digits allowed.
    let int: u64 = int.parse().ok()?;
    let frac_m: u64 = format!("{frac:0<6}").parse().ok()?;
    let micro = int.checked_mul(1_000_000)?.checked_add(frac_m)?;
    let fen_micro = micro.checked_mul(scale)?.checked_mul(100)?;
    if fen_micro % 1_000_000 != 0 {
        return None;
    }
    Some(fen_micro / 1_000_000)
}

/// Fen as 万元 with two decimals (the published figures' unit).
pub fn wan(fen: u64) -> String {
    // 1 万元 = 1,000,000 fen; round half up to 0.01 万元 (10,000 fen).
    let hundredths = (fen + 5_000) / 10_000;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Fen as yuan with two decimals.
pub fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

#[cfg(test)]
mod tests;
