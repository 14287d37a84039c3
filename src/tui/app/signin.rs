//! Signing in and out at the terminal: the sign-in form, resuming one's own open shift, and
//! the fresh form the next officer finds after a sign-off.

use super::*;

impl App {
    /// The sign-in form: the officer's name, their unit (names in the UI language) and the
    /// duty type.
    pub(super) fn signin_form(&self, name: &str) -> Form {
        let en = self.en();
        let units: Vec<String> = self
            .data
            .all_units
            .iter()
            .map(|u| data::display_name(u, en).to_string())
            .collect();
        let duty = if en {
            vec![DutyType::Fixed.en().into(), DutyType::Mobile.en().into()]
        } else {
            vec![DutyType::Fixed.zh().into(), DutyType::Mobile.zh().into()]
        };
        Form::new(vec![
            Field::text(S::OFFICER, name),
            Field::choice(S::OWN_UNIT, units, 0),
            Field::choice(S::DUTY, duty, 0),
        ])
    }

    pub(super) fn signin_action(&mut self, a: Action) -> Vec<Effect> {
        match a {
            Action::NextField | Action::Down => self.signin.next(),
            Action::PrevField | Action::Up => self.signin.prev(),
            Action::Submit => return self.submit_signin(),
            _ => {}
        }
        vec![]
    }

    /// Signs in without the form (demo start): resumes this officer's own open shift if one
    /// was never signed off, else begins a shift.
    pub fn sign_in_as(&mut self, officer: Officer) -> Vec<Effect> {
        // What this officer typed last time and never saved comes back with them.
        let kept = crate::tui::drafts::park(self, &officer.name);
        // Her newest shift left open (the TUI was closed mid-shift) is the one she carries on.
        let own = self
            .open_shifts
            .iter()
            .rposition(|s| s.officer.name == officer.name);
        if let Some(open) = own.map(|k| self.open_shifts.remove(k)) {
            // Carry on with it and its notes (the drafts file's, if the store never got the
            // last of them).
            self.officer = Some(open.officer.clone());
            let notes = kept
                .notes
                .as_ref()
                .filter(|n| n.shift == open.id && n.text != open.notes);
            if let Some(input) = self
                .handover
                .notes
                .fields
                .get_mut(0)
                .and_then(|f| f.input_mut())
            {
                *input = crate::tui::text::Input::new(notes.map_or(&open.notes, |n| &n.text));
            }
            let mut msg = self
                .lang
                .pick("继续本人未签退的班次 #", "resuming your shift #")
                .to_string()
                + &open.id.to_string();
            if let Some(m) = crate::tui::drafts::restored_message(&kept, notes.is_some(), self.lang)
            {
                msg = format!("{msg} · {m}");
            }
            self.message = Some((msg, false));
            self.shift = Some(open);
            self.screen = Screen::Dashboard;
            self.stack.clear();
            // A brief handed over meanwhile is still shown first.
            return vec![Effect::LoadPending];
        }
        self.message =
            crate::tui::drafts::restored_message(&kept, false, self.lang).map(|m| (m, false));
        self.officer = Some(officer.clone());
        self.screen = Screen::Dashboard;
        self.stack.clear();
        vec![Effect::Execute(Command::BeginShift { officer })]
    }

    fn submit_signin(&mut self) -> Vec<Effect> {
        let name = self.signin.value(0).trim().to_string();
        if name.is_empty() {
            self.signin.error = Some(
                self.lang
                    .pick("请填写值班人员姓名", "enter the officer's name")
                    .into(),
            );
            self.signin.focus = 0;
            return vec![];
        }
        let unit = self
            .data
            .all_units
            .get(self.signin.index(1))
            .map(|u| u.id.clone())
            .unwrap_or_default();
        let duty = if self.signin.index(2) == 0 {
            DutyType::Fixed
        } else {
            DutyType::Mobile
        };
        self.sign_in_as(Officer { name, unit, duty })
    }

    /// After a sign-off the terminal is the next officer's: an empty sign-in form with the
    /// focus on the name, nothing of the last officer's on screen.
    pub(super) fn signed_off(&mut self) {
        crate::tui::drafts::stash(self);
        self.shift = None;
        self.officer = None;
        self.signin = self.signin_form("");
        self.handover = HandoverState {
            notes: Form::new(vec![Field::multiline(S::NOTES_TO_NEXT)]),
            ..HandoverState::default()
        };
        self.detail = DetailState::default();
        self.intake = Intake::default();
        self.acting_on = None;
        self.screen = Screen::SignIn;
        self.stack.clear();
        self.overlay = None;
    }

    /// Fills the sign-in form with an officer's name and unit (a served session: the
    /// account says who signs in).
    pub fn prefill_sign_in(&mut self, officer: &Officer) {
        if let Some(input) = self.signin.fields.get_mut(0).and_then(|f| f.input_mut()) {
            *input = crate::tui::text::Input::new(&officer.name);
        }
        if let Some(k) = self
            .data
            .all_units
            .iter()
            .position(|u| u.id == officer.unit)
        {
            if let Some(crate::tui::form::FieldKind::Choice { idx, .. }) =
                self.signin.fields.get_mut(1).map(|f| &mut f.kind)
            {
                *idx = k;
            }
        }
        self.signin.focus = 2;
    }

    /// `q` with a shift open asks first: sign off (the brief goes to the next officer) or
    /// leave the shift open to resume at the next sign-in.
    pub(super) fn ask_quit(&mut self) -> Vec<Effect> {
        if self.shift.is_some() && self.overlay != Some(Overlay::ConfirmQuit) {
            self.overlay = Some(Overlay::ConfirmQuit);
            return vec![];
        }
        self.quit = true;
        vec![Effect::Quit]
    }
}
