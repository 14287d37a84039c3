//! The handover screen: the brief handed over to this officer (read, scrolled, acknowledged)
//! or this officer's own shift (notes for the next one, then sign-off).

use super::*;

impl App {
    pub(super) fn open_handover(&mut self) -> Vec<Effect> {
        self.go(Screen::Handover);
        self.handover.scroll = 0;
        match (&self.shift, &self.handover.pending) {
            (Some(s), None) => vec![Effect::DraftBrief { shift: s.id }],
            _ => vec![],
        }
    }

    pub(super) fn handover_action(&mut self, a: Action) -> Vec<Effect> {
        match a {
            Action::Submit => self.sign_off(),
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
                self.handover.scroll = scrolled(self.handover.scroll, a);
                vec![]
            }
            _ => vec![],
        }
    }

    fn sign_off(&mut self) -> Vec<Effect> {
        if let Some(p) = &self.handover.pending {
            return vec![Effect::Execute(Command::AcknowledgeHandover { id: p.id })];
        }
        let Some(shift) = &self.shift else {
            return vec![];
        };
        vec![
            Effect::Execute(Command::SaveShiftNotes {
                id: shift.id,
                notes: self.handover.notes.value(0),
            }),
            Effect::SignOff { shift: shift.id },
        ]
    }

    /// A brief handed over and not yet acknowledged arrived: it comes first.
    pub(super) fn pending_arrived(&mut self, p: Option<Shift>) {
        let came =
            p.is_some() && self.handover.pending.as_ref().map(|s| s.id) != p.as_ref().map(|s| s.id);
        self.handover.pending = p;
        if came && self.shift.is_some() {
            self.screen = Screen::Handover;
            self.stack.clear();
            self.handover.scroll = 0;
        }
    }
}

/// A scroll position moved by a line or a page (the view clamps it to what there is).
pub(super) fn scrolled(at: usize, a: Action) -> usize {
    match a {
        Action::Up => at.saturating_sub(1),
        Action::Down => at.saturating_add(1),
        Action::PageUp => at.saturating_sub(PAGE),
        Action::PageDown => at.saturating_add(PAGE),
        _ => at,
    }
}
