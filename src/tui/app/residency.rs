//! The residency screen (四帮一体验): the rounds with their figures → a round's placements, a
//! row per cadre with their 五个一 → one cadre's checklist. Reached with its key from any
//! list, and from an enterprise's ledger for the placements in that firm.

use super::*;
use crate::desk::residency::ResidencyPage;
use crate::report::residency::CadreRow;

/// How deep the screen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    #[default]
    Rounds,
    Placements,
    Cadre,
}

/// The residency screen's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResidencyState {
    pub page: Option<Box<ResidencyPage>>,
    pub level: Level,
    /// Limited to one firm (credit code), when opened from its ledger.
    pub firm: Option<String>,
    /// The selected round (index into the page's rounds).
    pub round_sel: usize,
    /// The selected cadre row at the placements level.
    pub row_sel: usize,
    /// Scroll of the checklist.
    pub scroll: usize,
}

impl ResidencyState {
    /// The round whose placements are listed: the selected one, or every round for a firm.
    pub fn round(&self) -> Option<u32> {
        if self.firm.is_some() {
            return None;
        }
        let p = self.page.as_ref()?;
        p.report.rounds.get(self.round_sel).map(|r| r.no)
    }

    /// The cadre rows of the placements level, in order.
    pub fn rows(&self) -> Vec<&CadreRow> {
        let Some(p) = self.page.as_ref() else {
            return vec![];
        };
        let round = self.round();
        p.cadres
            .iter()
            .filter(|c| round.is_none_or(|n| c.round == n))
            .collect()
    }

    pub fn selected_row(&self) -> Option<&CadreRow> {
        self.rows().get(self.row_sel).copied()
    }
}

impl App {
    /// Opens the screen: all rounds, or the placements in the firm of the ledger on screen.
    pub(super) fn open_residency(&mut self) -> Vec<Effect> {
        let firm = (self.screen == Screen::Ledger)
            .then(|| self.ledger.code.clone())
            .flatten();
        self.residency = ResidencyState {
            level: if firm.is_some() {
                Level::Placements
            } else {
                Level::Rounds
            },
            firm: firm.clone(),
            ..ResidencyState::default()
        };
        self.go(Screen::Residency);
        vec![Effect::LoadResidency(firm)]
    }

    pub(super) fn residency_arrived(&mut self, page: ResidencyPage) {
        let r = &mut self.residency;
        if r.firm.as_deref() != page.firm.as_ref().map(|f| f.0.as_str()) {
            return;
        }
        let first = r.page.is_none();
        r.page = Some(Box::new(page));
        if first {
            // The running round (the newest not closed) first: it is what the desk chases.
            if let Some(p) = &r.page {
                r.round_sel = p
                    .report
                    .rounds
                    .iter()
                    .rposition(|x| x.phase != crate::domain::residency::RoundPhase::Closed)
                    .unwrap_or(p.report.rounds.len().saturating_sub(1));
            }
        }
        let n = r.rows().len();
        r.row_sel = r.row_sel.min(n.saturating_sub(1));
    }

    pub(super) fn residency_move(&mut self, a: Action) {
        let r = &mut self.residency;
        match r.level {
            Level::Rounds => {
                let n = r.page.as_ref().map_or(0, |p| p.report.rounds.len());
                r.round_sel = lists::moved(r.round_sel, n, a);
            }
            Level::Placements => {
                let n = r.rows().len();
                r.row_sel = lists::moved(r.row_sel, n, a);
            }
            Level::Cadre => r.scroll = handover::scrolled(r.scroll, a),
        }
    }

    /// Enter: a round's placements, a cadre's checklist; on the checklist, the first open
    /// issue the cadre raised.
    pub(super) fn residency_open(&mut self) -> Vec<Effect> {
        let r = &mut self.residency;
        match r.level {
            Level::Rounds if r.page.as_ref().is_some_and(|p| !p.report.rounds.is_empty()) => {
                r.level = Level::Placements;
                r.row_sel = 0;
            }
            Level::Placements if r.selected_row().is_some() => {
                r.level = Level::Cadre;
                r.scroll = 0;
            }
            Level::Cadre => {
                let page = r.page.as_deref();
                let open = r.selected_row().and_then(|c| {
                    c.issues.iter().copied().find(|id| {
                        page.and_then(|p| p.status(*id))
                            .is_some_and(|s| s.is_open())
                    })
                });
                if let Some(id) = open.filter(|id| self.data.get(*id).is_some()) {
                    return self.open_issue(id);
                }
            }
            _ => {}
        }
        vec![]
    }

    /// Back on the screen: up one level; true when it went up (else the screen is left).
    pub(super) fn residency_back(&mut self) -> bool {
        let r = &mut self.residency;
        let top = if r.firm.is_some() {
            Level::Placements
        } else {
            Level::Rounds
        };
        match r.level {
            Level::Cadre => r.level = Level::Placements,
            Level::Placements if top == Level::Rounds => r.level = Level::Rounds,
            _ => return false,
        }
        true
    }
}
