//! The enterprise ledger (企业台账): one enterprise's details, every issue it raised (open and
//! closed, with unit and outcome), its inspections and evaluations. Reached with Enter on an
//! issue or on the VIP queue's uncovered panel, and with the ledger key from intake's
//! candidates and from any list.

use super::*;

/// The ledger on screen.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LedgerState {
    /// The enterprise's credit code.
    pub code: Option<String>,
    pub ledger: Option<Box<crate::desk::Ledger>>,
    /// The selected issue row.
    pub sel: usize,
}

impl LedgerState {
    pub(super) fn selected_issue(&self) -> Option<u64> {
        self.ledger.as_ref()?.issues.get(self.sel).map(|i| i.id)
    }

    pub(super) fn move_sel(&mut self, a: Action) {
        let n = self.ledger.as_ref().map_or(0, |l| l.issues.len());
        self.sel = lists::moved(self.sel, n, a);
    }
}

impl App {
    /// The enterprise of what is under the cursor: an intake candidate, an issue, an
    /// uncovered VIP enterprise.
    fn enterprise_here(&self) -> Option<String> {
        match self.screen {
            Screen::Intake => self
                .intake
                .candidates
                .get(self.intake.selected)
                .map(|c| c.code.clone())
                .or_else(|| self.intake.chosen.as_ref().map(|c| c.code.clone())),
            Screen::InspectionForm => self
                .insp
                .candidates
                .get(self.insp.selected)
                .map(|c| c.code.clone()),
            Screen::VipQueue if self.uncovered.focus => {
                data::vip_uncovered_flat(&self.data, self.now.date())
                    .get(self.uncovered.sel)
                    .map(|(code, _)| code.clone())
            }
            Screen::Ledger => self.ledger.code.clone(),
            _ => {
                let id = self.selected_issue()?;
                self.data.get(id).map(|i| i.enterprise.clone())
            }
        }
    }

    pub(super) fn open_ledger_here(&mut self) -> Vec<Effect> {
        match self.enterprise_here() {
            Some(code) => self.open_ledger(code),
            None => vec![],
        }
    }

    pub fn open_ledger(&mut self, code: String) -> Vec<Effect> {
        self.ledger = LedgerState {
            code: Some(code.clone()),
            ..LedgerState::default()
        };
        self.go(Screen::Ledger);
        vec![Effect::LoadLedger(code)]
    }

    pub(super) fn ledger_arrived(&mut self, l: crate::desk::Ledger) {
        if self.ledger.code.as_deref() == Some(l.enterprise.credit_code.as_str()) {
            self.ledger.ledger = Some(Box::new(l));
            self.ledger.sel = 0;
        }
    }
}
