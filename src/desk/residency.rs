//! The desk's side of the residency programme (四帮一体验): checks each command against the
//! programme and the rules (`domain::residency`) and turns it into events; reads the
//! programme for an account, with only what its role may see.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{long, one_line, opt_long, opt_short, short, Desk, DeskError, NewIssue, Problem};
use crate::domain::residency::{
    ChecklistItem, Placement, Residency, ResidencyError, Round, Score, MAX_ROUND_DAYS, PAIR,
    SCORE_DIMENSIONS,
};
use crate::domain::{Account, Channel, EventKind, Role};

/// The rule a residency command broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleProblem {
    /// The end is before the start.
    EndBeforeStart(NaiveDate),
    /// Longer than `MAX_ROUND_DAYS`.
    TooLong(i64),
    /// Not exactly a pair of cadres.
    NotPair(usize),
    /// The same cadre twice in one placement.
    Twice,
    /// A date outside the round (start, end).
    OutsideRound(NaiveDate, NaiveDate),
    /// Scores: one per dimension, 1–5 each.
    Scores,
    /// Not an amount of money.
    Amount,
    /// The round has not begun (its start).
    NotBegun(NaiveDate),
    /// A cadre written other than 姓名/单位/职级.
    CadreForm,
    /// The issue's enterprise is not the placement's firm (its name).
    OtherFirm(String),
    /// Channel 驻企干部 needs a placement.
    NeedsPlacement,
}

/// A new round as typed: the end defaults to two weeks from the start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRound {
    pub no: u32,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub organisers: Vec<String>,
    pub title: String,
}

/// A firm's order as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOrder {
    pub round: u32,
    /// Credit code of a known enterprise.
    pub enterprise: String,
    pub units: Vec<String>,
    pub cadres: Vec<String>,
    pub needs: String,
    pub visited: NaiveDate,
}

/// A cadre as typed: `姓名/单位/职级` (rank optional).
pub fn parse_cadre(s: &str) -> Result<crate::domain::residency::Cadre, DeskError> {
    let parts: Vec<&str> = s.split(['/', '／']).map(str::trim).collect();
    let (name, unit, rank) = match parts.as_slice() {
        [name, unit] => (*name, *unit, ""),
        [name, unit, rank] => (*name, *unit, *rank),
        _ => ("", "", ""),
    };
    if name.is_empty() || unit.is_empty() {
        return Err(rule("cadre", s.trim(), RuleProblem::CadreForm));
    }
    Ok(crate::domain::residency::Cadre {
        name: name.to_string(),
        unit: unit.to_string(),
        rank: rank.to_string(),
    })
}

fn rule(field: &'static str, value: impl Into<String>, p: RuleProblem) -> DeskError {
    DeskError::invalid(field, value, Problem::Rule(p))
}

fn programme(e: ResidencyError) -> DeskError {
    DeskError::Apply(e.into())
}

impl Desk {
    /// The residency programme as the store holds it.
    pub fn residency(&self) -> std::cell::Ref<'_, Residency> {
        self.store.residency()
    }

    /// A department as the desk keeps it: a configured unit's id, or the name as given.
    fn department(&self, field: &'static str, s: &str) -> Result<String, DeskError> {
        let s = one_line(field, short(field, s, true)?)?;
        Ok(self.units.find(&s).map_or(s, |u| u.id.clone()))
    }

    pub(super) fn save_round(&self, n: NewRound) -> Result<EventKind, DeskError> {
        if n.no == 0 {
            return Err(DeskError::invalid("round", "0", Problem::Number));
        }
        let end = n.end.unwrap_or(n.start + Duration::days(13));
        if end < n.start {
            return Err(rule(
                "end",
                end.to_string(),
                RuleProblem::EndBeforeStart(n.start),
            ));
        }
        let days = (end - n.start).num_days() + 1;
        if days > MAX_ROUND_DAYS {
            return Err(rule("end", end.to_string(), RuleProblem::TooLong(days)));
        }
        let mut organisers = vec![];
        for o in n.organisers.iter().filter(|o| !o.trim().is_empty()) {
            organisers.push(one_line("organisers", short("organisers", o, true)?)?);
        }
        if organisers.is_empty() {
            return Err(DeskError::invalid("organisers", "", Problem::Empty));
        }
        let r = self.residency();
        if r.rounds.contains_key(&n.no) {
            r.open_round(n.no).map_err(programme)?;
        }
        Ok(EventKind::RoundSaved {
            round: Round {
                no: n.no,
                start: n.start,
                end,
                organisers,
                title: one_line("title", opt_short("title", &n.title)?)?,
            },
        })
    }

    /// A round that exists and is not closed.
    fn open_round(&self, no: u32) -> Result<Round, DeskError> {
        let r = self.residency();
        let k = r.open_round(no).map_err(programme)?;
        Ok(k.round.clone())
    }

    pub(super) fn close_round(&self, no: u32, note: &str) -> Result<EventKind, DeskError> {
        self.open_round(no)?;
        Ok(EventKind::RoundClosed {
            no,
            note: opt_long("note", note)?,
        })
    }

    pub(super) fn save_order(&self, n: NewOrder) -> Result<EventKind, DeskError> {
        let round = self.open_round(n.round)?;
        let ent = self.enterprise(&n.enterprise)?;
        if n.visited > round.end {
            return Err(rule(
                "visited",
                n.visited.to_string(),
                RuleProblem::OutsideRound(round.start - Duration::days(90), round.end),
            ));
        }
        let mut units = vec![];
        for u in n.units.iter().filter(|u| !u.trim().is_empty()) {
            let u = self.department("units", u)?;
            if !units.contains(&u) {
                units.push(u);
            }
        }
        let mut cadres = vec![];
        for c in n.cadres.iter().filter(|c| !c.trim().is_empty()) {
            let c = one_line("cadres", short("cadres", c, true)?)?;
            if !cadres.contains(&c) {
                cadres.push(c);
            }
        }
        if units.is_empty() && cadres.is_empty() {
            return Err(DeskError::invalid("units", "", Problem::Empty));
        }
        Ok(EventKind::OrderSaved {
            order: crate::domain::residency::Order {
                round: n.round,
                enterprise: ent.credit_code.clone(),
                enterprise_name: ent.name.clone(),
                units,
                cadres,
                needs: opt_long("needs", &n.needs)?,
                visited: n.visited,
            },
        })
    }

    pub(super) fn place(
        &self,
        round: u32,
        enterprise: &str,
        cadres: Vec<crate::domain::residency::Cadre>,
    ) -> Result<(u64, EventKind), DeskError> {
        self.open_round(round)?;
        let ent = self.enterprise(enterprise)?;
        if cadres.len() != PAIR {
            return Err(rule(
                "cadre",
                cadres.len().to_string(),
                RuleProblem::NotPair(cadres.len()),
            ));
        }
        let mut out: Vec<crate::domain::residency::Cadre> = vec![];
        for c in cadres {
            let c = crate::domain::residency::Cadre {
                name: one_line("cadre", short("cadre", &c.name, true)?)?,
                unit: self.department("cadre", &c.unit)?,
                rank: one_line("cadre", opt_short("cadre", &c.rank)?)?,
            };
            if out.iter().any(|o| o.name == c.name) {
                return Err(rule("cadre", c.name, RuleProblem::Twice));
            }
            out.push(c);
        }
        let id = self.residency().max_placement() + 1;
        Ok((
            id,
            EventKind::PlacementSaved {
                placement: Placement {
                    id,
                    round,
                    enterprise: ent.credit_code.clone(),
                    enterprise_name: ent.name.clone(),
                    cadres: out,
                },
            },
        ))
    }

    /// A standing placement of a round not yet closed, with `cadre` in it (any, when empty).
    fn placed(&self, placement: u64, cadre: &str) -> Result<(Placement, Round), DeskError> {
        let r = self.residency();
        let cadre = Some(cadre.trim()).filter(|c| !c.is_empty());
        let (k, round) = r.standing(placement, cadre).map_err(programme)?;
        Ok((k.placement.clone(), round.round.clone()))
    }

    pub(super) fn checklist(
        &self,
        placement: u64,
        cadre: &str,
        item: ChecklistItem,
    ) -> Result<EventKind, DeskError> {
        let (_, round) = self.placed(placement, short("cadre", cadre, true)?.as_str())?;
        let item = match item {
            ChecklistItem::Policy { name, amount_fen } => ChecklistItem::Policy {
                name: one_line("policy", short("policy", &name, true)?)?,
                amount_fen,
            },
            ChecklistItem::Suggestion { text } => ChecklistItem::Suggestion {
                text: long("suggestion", &text)?,
            },
            ChecklistItem::LineDay { date } => {
                if date < round.start || date > round.end {
                    return Err(rule(
                        "date",
                        date.to_string(),
                        RuleProblem::OutsideRound(round.start, round.end),
                    ));
                }
                ChecklistItem::LineDay { date }
            }
            ChecklistItem::Report { title } => ChecklistItem::Report {
                title: one_line("title", short("title", &title, true)?)?,
            },
        };
        Ok(EventKind::ChecklistRecorded {
            placement,
            cadre: cadre.trim().to_string(),
            item,
        })
    }

    pub(super) fn void_checklist(
        &self,
        placement: u64,
        cadre: &str,
        index: usize,
        reason: &str,
    ) -> Result<EventKind, DeskError> {
        let cadre = short("cadre", cadre, true)?;
        let reason = short("reason", reason, true)?;
        self.residency()
            .entry(placement, &cadre, index)
            .map_err(programme)?;
        Ok(EventKind::ChecklistVoided {
            placement,
            cadre,
            index,
            reason,
        })
    }

    pub(super) fn score(
        &self,
        placement: u64,
        cadre: &str,
        score: Score,
        today: NaiveDate,
    ) -> Result<EventKind, DeskError> {
        let (_, round) = self.placed(placement, short("cadre", cadre, true)?.as_str())?;
        if today < round.start {
            return Err(rule(
                "score",
                today.to_string(),
                RuleProblem::NotBegun(round.start),
            ));
        }
        if score.dims.len() != SCORE_DIMENSIONS.len()
            || score.dims.iter().any(|d| !(1..=5).contains(d))
        {
            let v: Vec<String> = score.dims.iter().map(|d| d.to_string()).collect();
            return Err(rule("score", v.join(","), RuleProblem::Scores));
        }
        Ok(EventKind::CadreScored {
            placement,
            cadre: cadre.trim().to_string(),
            score: Score {
                dims: score.dims,
                comment: opt_long("comment", &score.comment)?,
            },
        })
    }

    pub(super) fn extension(&self, placement: u64, reason: &str) -> Result<EventKind, DeskError> {
        self.placed(placement, "")?;
        Ok(EventKind::ExtensionRequested {
            placement,
            reason: opt_long("reason", reason)?,
        })
    }

    pub(super) fn void_placement(
        &self,
        placement: u64,
        reason: &str,
    ) -> Result<EventKind, DeskError> {
        self.placed(placement, "")?;
        Ok(EventKind::PlacementVoided {
            placement,
            reason: short("reason", reason, true)?,
        })
    }

    /// Checks an issue raised in a placement: the firm is the placement's (filled in when not
    /// given), the round has begun, the channel is 驻企干部.
    pub(super) fn residency_issue(
        &self,
        issue: &mut NewIssue,
        placement: u64,
        cadre: &str,
        today: NaiveDate,
    ) -> Result<String, DeskError> {
        let cadre = short("cadre", cadre, true)?;
        let (p, round) = self.placed(placement, &cadre)?;
        if today < round.start {
            return Err(rule(
                "placement",
                placement.to_string(),
                RuleProblem::NotBegun(round.start),
            ));
        }
        if issue.enterprise.trim().is_empty() {
            issue.enterprise = p.enterprise.clone();
        } else if issue.enterprise != p.enterprise {
            return Err(rule(
                "enterprise",
                issue.enterprise.clone(),
                RuleProblem::OtherFirm(p.enterprise_name),
            ));
        }
        issue.channel = Channel::Residency;
        Ok(cadre)
    }

    /// The programme as `account` may see it: a unit, only the placements with one of its
    /// cadres (and the orders of those firms); the firms' scores only for admin and
    /// supervisors.
    pub fn residency_as(&self, account: &Account) -> Residency {
        let mut r = self.residency().clone();
        restrict(&mut r, account);
        r
    }
}

/// Keeps in `r` only what `account` may see of the programme.
pub fn restrict(r: &mut Residency, account: &Account) {
    if !crate::domain::policy::may_read_scores(account) {
        for k in r.placements.values_mut() {
            k.scores.clear();
        }
    }
    if account.role == Role::Unit {
        let unit = account.unit.clone().unwrap_or_default();
        r.placements
            .retain(|_, k| k.placement.cadres.iter().any(|c| c.unit == unit));
        let firms: std::collections::HashSet<(u32, String)> = r
            .placements
            .values()
            .map(|k| (k.placement.round, k.placement.enterprise.clone()))
            .collect();
        for (no, orders) in r.orders.iter_mut() {
            orders.retain(|code, _| firms.contains(&(*no, code.clone())));
        }
        let kept: std::collections::HashSet<u64> = r.placements.keys().copied().collect();
        r.links.retain(|_, l| kept.contains(&l.placement));
    }
}

/// What the TUI's residency screen shows, read for one account: the figures per round, the
/// programme as the account may see it, and every cadre row (of one firm, when asked from
/// its ledger), with the status of each issue raised.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidencyPage {
    /// The firm the page is limited to (credit code, name).
    pub firm: Option<(String, String)>,
    pub report: crate::report::residency::Report,
    pub programme: Residency,
    pub cadres: Vec<crate::report::residency::CadreRow>,
    pub statuses: std::collections::HashMap<u64, crate::domain::IssueStatus>,
    /// The account may read the firms' scores.
    pub scores: bool,
}

impl ResidencyPage {
    pub fn status(&self, id: u64) -> Option<crate::domain::IssueStatus> {
        self.statuses.get(&id).copied()
    }
}

impl Desk {
    /// The residency screen's page for `account`, as of `today`, of one firm or of all.
    pub fn residency_page(
        &self,
        account: &Account,
        today: NaiveDate,
        firm: Option<&str>,
    ) -> Result<ResidencyPage, DeskError> {
        let firm = match firm {
            Some(code) => {
                let e = self.enterprise(code)?;
                Some((e.credit_code, e.name))
            }
            None => None,
        };
        let programme = self.residency_as(account);
        let mut statuses = std::collections::HashMap::new();
        for id in programme.links.keys() {
            if let Ok(i) = self.issue(*id) {
                statuses.insert(*id, i.status);
            }
        }
        let status = |id: u64| statuses.get(&id).copied();
        let en = self.config.lang.is_en();
        let unit_name = |u: &str| self.units.name_of(u, en).to_string();
        let report = crate::report::residency::build(&programme, None, &status, today, &unit_name);
        let mut cadres = crate::report::residency::cadre_rows(&programme, None, &status, today);
        if let Some((code, _)) = &firm {
            cadres.retain(|c| &c.credit_code == code);
        }
        Ok(ResidencyPage {
            firm,
            report,
            cadres,
            statuses,
            scores: crate::domain::policy::may_read_scores(account),
            programme,
        })
    }
}
