//! What a key does while an overlay is open. Each overlay is updated where it stands; the
//! ones with more to them (unit picker, action form, new enterprise) have their own handlers
//! beside their screens.

use super::*;

impl App {
    pub(super) fn overlay_action(&mut self, a: Action) -> Vec<Effect> {
        let confirm = a == Action::Submit || a == Action::Open;
        match &mut self.overlay {
            None => vec![],
            Some(Overlay::Help) => {
                let step: i32 = match a {
                    Action::Up => -1,
                    Action::Down => 1,
                    Action::PageUp => -10,
                    Action::PageDown => 10,
                    _ => 0,
                };
                self.help_scroll = self.help_scroll.saturating_add_signed(step as i16);
                vec![]
            }
            Some(Overlay::Similar { .. }) if confirm => {
                self.overlay = None;
                self.intake.confirmed_similar = true;
                self.submit_intake()
            }
            Some(Overlay::ConfirmViolation { .. }) if confirm => {
                self.overlay = None;
                self.submit_inspection(true)
            }
            Some(Overlay::ConfirmQuit) => match a {
                // Quit again: leave the shift open, to resume at the next sign-in.
                Action::Quit => {
                    self.quit = true;
                    vec![Effect::Quit]
                }
                Action::Submit | Action::Open | Action::Handover => {
                    self.overlay = None;
                    self.open_handover()
                }
                _ => vec![],
            },
            Some(Overlay::GoTo(input)) if a == Action::Submit => {
                let typed = input.value.clone();
                self.go_to(&typed)
            }
            Some(Overlay::UnitPicker(_)) => self.unit_picker_action(a),
            Some(Overlay::ActionForm(_)) => self.action_form_action(a),
            Some(Overlay::NewEnterprise(_)) => self.new_enterprise_action(a),
            Some(Overlay::Filter(form)) => match a {
                Action::NextField | Action::Down => {
                    form.next();
                    vec![]
                }
                Action::PrevField | Action::Up => {
                    form.prev();
                    vec![]
                }
                Action::Submit => {
                    let mut form = std::mem::take(form);
                    match self.apply_filter(&mut form) {
                        Ok(effects) => {
                            self.overlay = None;
                            effects
                        }
                        Err(()) => {
                            self.overlay = Some(Overlay::Filter(form));
                            vec![]
                        }
                    }
                }
                _ => vec![],
            },
            Some(_) => vec![],
        }
    }
}
