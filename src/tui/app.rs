//! The TUI's state and its pure update: a message in (a key, a tick, a result), the new state
//! and the effects to run out. No terminal, no disk, no clock in here: time arrives in `Tick`.

pub mod inspect;

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::KeyEvent;

use super::action::Action;
use super::data::{self, Data, Filter, Sort, Summary};
use super::form::{Field, Form};
use super::keymap::{Context, Key, KeyName, Keymap};
use super::strings as S;
use crate::desk::{Command, NewIssue};
use crate::domain::credit_code;
use crate::domain::{
    transition, Channel, DutyType, Enterprise, Evaluation, Issue, IssueOp, IssueStatus, Officer,
    Recorded, Shift, VipCategory,
};
use crate::i18n::Lang;
use crate::report::handover::Brief;
use crate::report::scorecard::Report;

pub use inspect::InspectionsState;

/// Something the runtime must do for the app (the only way the app touches the desk).
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Execute(Command),
    SearchEnterprises(String),
    LoadHistory(u64),
    /// An issue the session does not hold (a closed one, opened by number).
    LoadIssue(u64),
    /// Draft the handover brief of the current shift and sign it off.
    SignOff {
        shift: u64,
    },
    /// Draft the current shift's brief for the handover screen.
    DraftBrief {
        shift: u64,
    },
    /// This month's unit scorecard for the units board.
    LoadScorecard,
    /// The newest closed and voided issues, for a list that shows them (the open ones are
    /// always loaded).
    LoadClosed,
    /// The open issues again (after changes elsewhere too many to tell one by one).
    LoadOpen,
    /// The next handover brief nobody has acknowledged yet (at sign-in, after each
    /// acknowledgement).
    LoadPending,
    Quit,
}

/// How many of the newest closed (and voided) issues a list brings in.
pub const CLOSED_PAGE: usize = 500;

/// A candidate in the enterprise picker.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Candidate {
    pub code: String,
    pub name: String,
    pub vip: bool,
    pub open: usize,
}

/// What came back from an effect.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Executed(Result<Box<crate::desk::Outcome>, String>),
    Candidates(String, Vec<Candidate>),
    History(u64, Vec<Recorded>),
    SignedOff(Result<Shift, String>),
    Draft(Result<Box<Brief>, String>),
    Scorecard(Result<Box<Report>, String>),
    /// The newest closed and voided issues, and how many there are in all.
    Closed(Result<(Vec<Issue>, usize), String>),
    /// An issue read by number (None: there is none).
    Issue(Option<Box<Issue>>),
    /// What another session changed.
    Changed(Changes),
    /// The open issues, read again.
    OpenIssues(Vec<Issue>),
    /// The next unacknowledged handover brief, if any.
    Pending(Option<Box<Shift>>),
}

/// Changes made elsewhere (another session, a command), as this session may see them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Issues as they are now.
    pub issues: Vec<Issue>,
    /// Issues this session held that it may no longer see (a unit's issue transferred to
    /// another unit).
    pub gone: Vec<u64>,
    pub shifts: bool,
    pub inspections: bool,
    /// Too much to tell: read the open work again.
    pub resync: bool,
}

impl Changes {
    /// These changes, then `later` ones: an issue as it is last, gone unless seen again.
    pub fn merge(&mut self, later: Changes) {
        for i in later.issues {
            self.gone.retain(|g| *g != i.id);
            match self.issues.iter_mut().find(|x| x.id == i.id) {
                Some(x) => *x = i,
                None => self.issues.push(i),
            }
        }
        for g in later.gone {
            self.issues.retain(|x| x.id != g);
            if !self.gone.contains(&g) {
                self.gone.push(g);
            }
        }
        self.shifts |= later.shifts;
        self.inspections |= later.inspections;
        self.resync |= later.resync;
    }
}

/// Input to `update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Action(Action),
    Tick(NaiveDateTime),
    Resize(u16, u16),
    Reply(Reply),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    SignIn,
    Dashboard,
    Issues,
    Intake,
    Detail,
    VipQueue,
    Units,
    Handover,
    /// Inspection reports with their no-disturbance-day and frequency marks.
    Inspections,
    /// Filing an inspection report.
    InspectionForm,
}

/// What a pending action form will do on submit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Assign,
    Transfer(String),
    Return,
    Contact,
    Reply,
    Resolve,
    Evaluate,
    Reopen,
    Void,
    Note,
    Supervise,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    /// Choose a unit for assign or transfer.
    UnitPicker {
        transfer: bool,
        filter: super::text::Input,
        selected: usize,
    },
    /// A form for an issue action.
    ActionForm {
        pending: Pending,
        form: Form,
    },
    Filter(Form),
    NewEnterprise(Form),
    /// Similar open issue found at intake.
    Similar {
        existing: u64,
    },
    /// Filing an inspection on a no-disturbance day without an exemption: confirm or go back.
    ConfirmViolation {
        date: NaiveDate,
    },
}

/// Intake state: the form plus the enterprise picker.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Intake {
    pub form: Form,
    pub candidates: Vec<Candidate>,
    pub selected: usize,
    pub chosen: Option<Candidate>,
    pub confirmed_similar: bool,
}

pub struct App {
    pub lang: Lang,
    pub keymap: Keymap,
    pub now: NaiveDateTime,
    pub size: (u16, u16),
    pub screen: Screen,
    pub stack: Vec<Screen>,
    pub overlay: Option<Overlay>,
    pub data: Data,
    pub loaded: bool,
    pub officer: Option<Officer>,
    pub shift: Option<Shift>,
    pub pending_handover: Option<Shift>,
    /// A shift nobody signed off (the TUI was closed mid-shift): its officer resumes it.
    pub open_shift: Option<Shift>,
    /// First line of the help overlay shown (it scrolls on small terminals).
    pub help_scroll: u16,
    /// The current shift's brief as drafted when the handover screen opened.
    pub draft: Option<Brief>,
    /// This month's scorecard for the units board.
    pub scorecard: Option<Box<Report>>,
    pub signin: Form,
    pub handover_notes: Form,
    pub intake: Intake,
    pub detail: Option<u64>,
    pub history: Vec<Recorded>,
    pub filter: Filter,
    pub sort: Sort,
    pub list: Vec<usize>,
    pub list_sel: usize,
    pub dash: Vec<usize>,
    pub dash_sel: usize,
    pub summary: Summary,
    pub vip: Vec<usize>,
    pub vip_sel: usize,
    pub insp: InspectionsState,
    pub message: Option<(String, bool)>,
    /// Why the store takes no changes (a damaged or shortened journal), shown in the footer
    /// whenever no other message is.
    pub read_only: Option<String>,
    /// A unit's session: the unit whose row alone its units board shows.
    pub own_unit: Option<String>,
    /// The issue an action form was opened on, and its version then: what the officer saw
    /// when they started, so a change made meanwhile elsewhere is caught at submit.
    pub acting_on: Option<(u64, u64)>,
    /// Every officer's unsaved forms as the drafts file held them (the signed-in officer's
    /// taken out into `parked` at sign-in).
    pub drafts: super::drafts::Drafts,
    /// The signed-in officer's drafts from the last session, until the form is opened again.
    pub parked: super::drafts::Draft,
    pub quit: bool,
    /// Number of data refreshes (derived lists recomputed), for tests.
    pub refreshes: u64,
}

/// Page size for page up/down.
const PAGE: usize = 10;

impl App {
    pub fn new(lang: Lang, keymap: Keymap, now: NaiveDateTime, data: Data) -> App {
        let units: Vec<String> = data.all_units.iter().map(|(_, n)| n.clone()).collect();
        let signin = Form::new(vec![
            Field::text(S::OFFICER, ""),
            Field::choice(S::OWN_UNIT, units, 0),
            Field::choice(
                S::DUTY,
                vec![DutyType::Fixed.zh().into(), DutyType::Mobile.zh().into()],
                0,
            ),
        ]);
        let mut app = App {
            lang,
            keymap,
            now,
            size: (120, 40),
            screen: Screen::SignIn,
            stack: Vec::new(),
            overlay: None,
            data,
            loaded: true,
            officer: None,
            shift: None,
            pending_handover: None,
            open_shift: None,
            help_scroll: 0,
            draft: None,
            scorecard: None,
            signin,
            handover_notes: Form::new(vec![Field::multiline(S::NOTES_TO_NEXT)]),
            intake: Intake::default(),
            detail: None,
            history: Vec::new(),
            filter: Filter {
                status: Some(None),
                ..Filter::default()
            },
            sort: Sort::Deadline,
            list: Vec::new(),
            list_sel: 0,
            dash: Vec::new(),
            dash_sel: 0,
            summary: Summary::default(),
            vip: Vec::new(),
            vip_sel: 0,
            insp: InspectionsState::default(),
            message: None,
            read_only: None,
            acting_on: None,
            own_unit: None,
            drafts: Default::default(),
            parked: Default::default(),
            quit: false,
            refreshes: 0,
        };
        if lang.is_en() {
            if let Some(f) = app.signin.fields.get_mut(2) {
                *f = Field::choice(
                    S::DUTY,
                    vec![DutyType::Fixed.en().into(), DutyType::Mobile.en().into()],
                    0,
                );
            }
        }
        app.refresh();
        app
    }

    pub fn en(&self) -> bool {
        self.lang.is_en()
    }

    /// Recomputes the derived lists after data or filters change.
    pub fn refresh(&mut self) {
        let today = self.now.date();
        self.list = data::filtered(&self.data, &self.filter, self.sort, today);
        self.dash = data::needs_action(&self.data, today);
        self.summary = data::summary(&self.data, today);
        self.vip = data::vip_open(&self.data, today);
        self.list_sel = self.list_sel.min(self.list.len().saturating_sub(1));
        self.dash_sel = self.dash_sel.min(self.dash.len().saturating_sub(1));
        self.vip_sel = self.vip_sel.min(self.vip.len().saturating_sub(1));
        self.refresh_inspections();
        self.refreshes += 1;
    }

    /// Signs in without the form (demo start): begins a shift for this officer.
    pub fn sign_in_as(&mut self, officer: Officer) -> Vec<Effect> {
        // What this officer typed last time and never saved comes back with them.
        let kept = super::drafts::park(self, &officer.name);
        if let Some(open) = self.open_shift.take_if(|s| s.officer.name == officer.name) {
            // Same officer, shift never signed off: carry on with it and its notes (the
            // drafts file's, if the store never got the last of them).
            self.officer = Some(open.officer.clone());
            let notes = kept
                .notes
                .as_ref()
                .filter(|n| n.shift == open.id && n.text != open.notes);
            if let Some(input) = self
                .handover_notes
                .fields
                .get_mut(0)
                .and_then(|f| f.input_mut())
            {
                *input = super::text::Input::new(notes.map_or(&open.notes, |n| &n.text));
            }
            let mut msg = self
                .lang
                .pick("继续本人未签退的班次 #", "resuming your shift #")
                .to_string()
                + &open.id.to_string();
            if let Some(m) = super::drafts::restored_message(&kept, notes.is_some(), self.lang) {
                msg = format!("{msg} · {m}");
            }
            self.message = Some((msg, false));
            self.shift = Some(open);
            self.screen = Screen::Dashboard;
            return vec![];
        }
        self.message = super::drafts::restored_message(&kept, false, self.lang).map(|m| (m, false));
        self.officer = Some(officer.clone());
        self.screen = Screen::Dashboard;
        vec![Effect::Execute(Command::BeginShift { officer })]
    }

    fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help) | Some(Overlay::Similar { .. }) => return Context::List,
            Some(Overlay::UnitPicker { .. }) => return Context::Picker,
            Some(_) => return Context::Form,
            None => {}
        }
        match self.screen {
            Screen::SignIn | Screen::Intake | Screen::Handover | Screen::InspectionForm => {
                Context::Form
            }
            Screen::Detail => Context::Detail,
            _ => Context::List,
        }
    }

    /// Whether printable keys go to a text field right now.
    fn typing(&self) -> bool {
        match &self.overlay {
            Some(Overlay::UnitPicker { .. }) => true,
            Some(Overlay::ActionForm { form, .. })
            | Some(Overlay::Filter(form))
            | Some(Overlay::NewEnterprise(form)) => {
                form.fields.get(form.focus).is_some_and(|f| f.is_text())
            }
            Some(_) => false,
            None => match self.screen {
                Screen::SignIn => self
                    .signin
                    .fields
                    .get(self.signin.focus)
                    .is_some_and(|f| f.is_text()),
                Screen::Intake => self
                    .intake
                    .form
                    .fields
                    .get(self.intake.form.focus)
                    .is_some_and(|f| f.is_text()),
                Screen::Handover => self.shift.is_some(),
                Screen::InspectionForm => self
                    .insp
                    .form
                    .fields
                    .get(self.insp.form.focus)
                    .is_some_and(|f| f.is_text()),
                _ => false,
            },
        }
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Tick(now) => {
                let day_changed = now.date() != self.now.date();
                self.now = now;
                if day_changed {
                    self.refresh();
                }
                vec![]
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                vec![]
            }
            Msg::Key(k) => self.on_key(k),
            Msg::Action(a) => self.on_action(a),
            Msg::Reply(r) => self.on_reply(r),
        }
    }

    fn on_key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        let Some(key) = Key::from_event(&ev) else {
            return vec![];
        };
        // The similar-issue prompt answers single letters.
        if let Some(Overlay::Similar { existing }) = self.overlay.clone() {
            if key.code == KeyName::Char('o') && !key.ctrl {
                self.overlay = None;
                return self.open_issue(existing);
            }
        }
        if self.typing() {
            if key.is_text() {
                if let KeyName::Char(c) = key.code {
                    return self.type_char(c);
                }
            }
            // Editing keys are not bindable in text fields.
            match key.code {
                KeyName::Backspace
                | KeyName::Delete
                | KeyName::Left
                | KeyName::Right
                | KeyName::Home
                | KeyName::End
                    if !key.ctrl =>
                {
                    return self.edit(key.code);
                }
                KeyName::Char('j') if key.ctrl => return self.type_char('\n'),
                _ => {}
            }
        } else if matches!(key.code, KeyName::Left | KeyName::Right) {
            return self.edit(key.code);
        }
        match self.keymap.lookup(self.context(), key) {
            Some(a) => self.on_action(a),
            None => vec![],
        }
    }

    fn focused_form(&mut self) -> Option<&mut Form> {
        match &mut self.overlay {
            Some(Overlay::ActionForm { form, .. })
            | Some(Overlay::Filter(form))
            | Some(Overlay::NewEnterprise(form)) => Some(form),
            Some(_) => None,
            None => match self.screen {
                Screen::SignIn => Some(&mut self.signin),
                Screen::Intake => Some(&mut self.intake.form),
                Screen::Handover => Some(&mut self.handover_notes),
                Screen::InspectionForm => Some(&mut self.insp.form),
                _ => None,
            },
        }
    }

    fn type_char(&mut self, c: char) -> Vec<Effect> {
        if let Some(Overlay::UnitPicker {
            filter, selected, ..
        }) = &mut self.overlay
        {
            if c != '\n' {
                filter.insert(c);
                *selected = 0;
            }
            return vec![];
        }
        let Some(form) = self.focused_form() else {
            return vec![];
        };
        let Some(field) = form.focused() else {
            return vec![];
        };
        if c == '\n' && !field.is_multiline() {
            return vec![];
        }
        if let Some(input) = field.input_mut() {
            input.insert(c);
        }
        form.error = None;
        self.after_edit()
    }

    fn edit(&mut self, code: KeyName) -> Vec<Effect> {
        if let Some(Overlay::UnitPicker {
            filter, selected, ..
        }) = &mut self.overlay
        {
            match code {
                KeyName::Backspace => filter.backspace(),
                KeyName::Delete => filter.delete(),
                KeyName::Left => filter.left(),
                KeyName::Right => filter.right(),
                KeyName::Home => filter.home(),
                KeyName::End => filter.end(),
                _ => {}
            }
            *selected = 0;
            return vec![];
        }
        let Some(form) = self.focused_form() else {
            return vec![];
        };
        let Some(field) = form.focused() else {
            return vec![];
        };
        match (field.input_mut(), code) {
            (Some(i), KeyName::Backspace) => i.backspace(),
            (Some(i), KeyName::Delete) => i.delete(),
            (Some(i), KeyName::Left) => i.left(),
            (Some(i), KeyName::Right) => i.right(),
            (Some(i), KeyName::Home) => i.home(),
            (Some(i), KeyName::End) => i.end(),
            (None, KeyName::Left) => field.cycle(false),
            (None, KeyName::Right) => field.cycle(true),
            _ => {}
        }
        self.after_edit()
    }

    /// Live reactions to typing: enterprise search at intake and in the inspection form.
    fn after_edit(&mut self) -> Vec<Effect> {
        if self.overlay.is_none()
            && self.screen == Screen::InspectionForm
            && self.insp.form.focus == inspect::F_ENTERPRISE
        {
            return self.inspection_search();
        }
        if self.overlay.is_none() && self.screen == Screen::Intake && self.intake.form.focus == 0 {
            let q = self.intake.form.value(0);
            if self.intake.chosen.as_ref().is_some_and(|c| c.name == q) {
                return vec![];
            }
            self.intake.chosen = None;
            return vec![Effect::SearchEnterprises(q)];
        }
        vec![]
    }

    fn go(&mut self, s: Screen) {
        if self.screen != s {
            self.stack.push(self.screen);
            self.screen = s;
        }
        self.overlay = None;
    }

    fn signed_in(&self) -> bool {
        self.officer.is_some()
    }

    fn on_action(&mut self, a: Action) -> Vec<Effect> {
        self.message = None;
        match a {
            Action::Quit => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            Action::Help => {
                self.help_scroll = 0;
                self.overlay = if self.overlay == Some(Overlay::Help) {
                    None
                } else {
                    Some(Overlay::Help)
                };
                return vec![];
            }
            Action::Back => {
                if self.overlay.take().is_some() {
                    return vec![];
                }
                if let Some(s) = self.stack.pop() {
                    self.screen = s;
                }
                return vec![];
            }
            _ => {}
        }
        if !self.signed_in() {
            // Before sign-in only the sign-in form works.
            return match a {
                Action::NextField | Action::Down => {
                    self.signin.next();
                    vec![]
                }
                Action::PrevField | Action::Up => {
                    self.signin.prev();
                    vec![]
                }
                Action::Submit => self.submit_signin(),
                _ => vec![],
            };
        }
        if self.overlay.is_some() {
            return self.overlay_action(a);
        }
        match a {
            Action::Dashboard => self.go(Screen::Dashboard),
            Action::Issues => self.go(Screen::Issues),
            Action::VipQueue => self.go(Screen::VipQueue),
            Action::Units => {
                self.go(Screen::Units);
                return vec![Effect::LoadScorecard];
            }
            Action::Handover => {
                self.go(Screen::Handover);
                if let (Some(s), None) = (&self.shift, &self.pending_handover) {
                    return vec![Effect::DraftBrief { shift: s.id }];
                }
            }
            Action::Inspections => self.go(Screen::Inspections),
            Action::NewIssue => {
                self.start_intake();
            }
            Action::NewInspection => self.start_inspection_form(),
            Action::Filter if self.screen == Screen::Inspections => self.toggle_violations_only(),
            Action::Search
                if matches!(
                    self.screen,
                    Screen::Issues | Screen::Dashboard | Screen::VipQueue
                ) =>
            {
                self.go(Screen::Issues);
                self.overlay = Some(Overlay::Filter(self.filter_form(4)));
            }
            Action::Filter if self.screen == Screen::Issues => {
                self.overlay = Some(Overlay::Filter(self.filter_form(0)));
            }
            Action::Sort if self.screen == Screen::Issues => {
                self.sort = self.sort.next();
                self.list_sel = 0;
                self.refresh();
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => self.move_sel(a),
            Action::Open => {
                if let Some(id) = self.selected_issue() {
                    return self.open_issue(id);
                }
            }
            Action::NextField | Action::PrevField | Action::Submit => return self.form_action(a),
            Action::Assign
            | Action::Receive
            | Action::Transfer
            | Action::Return
            | Action::Contact
            | Action::Reply
            | Action::Resolve
            | Action::Evaluate
            | Action::Reopen
            | Action::Void
            | Action::Note
            | Action::Supervise => return self.issue_action(a),
            _ => {}
        }
        vec![]
    }

    fn selected_issue(&self) -> Option<u64> {
        let idx = match self.screen {
            Screen::Issues => self.list.get(self.list_sel),
            Screen::Dashboard => self.dash.get(self.dash_sel),
            Screen::VipQueue => self.vip.get(self.vip_sel),
            Screen::Detail => return self.detail,
            _ => None,
        }?;
        self.data.issues.get(*idx).map(|i| i.id)
    }

    fn move_sel(&mut self, a: Action) {
        let (sel, len) = match self.screen {
            Screen::Issues => (&mut self.list_sel, self.list.len()),
            Screen::Dashboard => (&mut self.dash_sel, self.dash.len()),
            Screen::VipQueue => (&mut self.vip_sel, self.vip.len()),
            Screen::Inspections => (&mut self.insp.sel, self.insp.rows.len()),
            Screen::InspectionForm => {
                let n = self.insp.candidates.len();
                let s = &mut self.insp.selected;
                match a {
                    Action::Up => *s = s.saturating_sub(1),
                    Action::Down => *s = (*s + 1).min(n.saturating_sub(1)),
                    _ => {}
                }
                return;
            }
            Screen::Intake => {
                let n = self.intake.candidates.len();
                let s = &mut self.intake.selected;
                match a {
                    Action::Up => *s = s.saturating_sub(1),
                    Action::Down => *s = (*s + 1).min(n.saturating_sub(1)),
                    _ => {}
                }
                return;
            }
            _ => return,
        };
        let last = len.saturating_sub(1);
        *sel = match a {
            Action::Up => sel.saturating_sub(1),
            Action::Down => (*sel + 1).min(last),
            Action::PageUp => sel.saturating_sub(PAGE),
            Action::PageDown => (*sel + PAGE).min(last),
            _ => *sel,
        };
    }

    pub fn open_issue(&mut self, id: u64) -> Vec<Effect> {
        self.detail = Some(id);
        self.history.clear();
        self.go(Screen::Detail);
        if self.data.get(id).is_some() {
            vec![Effect::LoadHistory(id)]
        } else {
            vec![Effect::LoadIssue(id), Effect::LoadHistory(id)]
        }
    }

    fn start_intake(&mut self) {
        let cats = self.data.categories.clone();
        let channels: Vec<String> = Channel::ALL
            .iter()
            .map(|c| {
                if self.en() {
                    c.key().to_string()
                } else {
                    c.zh().to_string()
                }
            })
            .collect();
        self.intake = Intake {
            form: Form::new(vec![
                Field::text(S::ENTERPRISE, ""),
                Field::choice(S::CATEGORY, cats, 0),
                Field::choice(S::CHANNEL, channels, 0),
                Field::text(S::CONTACT, ""),
                Field::text(S::PHONE, ""),
                Field::multiline(S::DESCRIPTION),
            ]),
            ..Intake::default()
        };
        if let Some(d) = self.parked.intake.take() {
            d.apply(&mut self.intake.form);
            self.intake.candidates = d.chosen.iter().cloned().collect();
            self.intake.chosen = d.chosen;
            self.message = Some((S::DRAFT_RESTORED.get(self.lang).into(), false));
        }
        self.go(Screen::Intake);
    }

    fn filter_form(&self, focus: usize) -> Form {
        let en = self.en();
        let mut statuses = vec![
            S::ALL.get(self.lang).to_string(),
            S::OPEN.get(self.lang).to_string(),
        ];
        statuses.extend(
            IssueStatus::ALL
                .iter()
                .map(|s| self.lang.pick(s.zh(), s.en()).to_string()),
        );
        let status_idx = match self.filter.status {
            None => 0,
            Some(None) => 1,
            Some(Some(s)) => 2 + IssueStatus::ALL.iter().position(|x| *x == s).unwrap_or(0),
        };
        let mut units = vec![S::ALL.get(self.lang).to_string()];
        units.extend(self.data.units.iter().map(|u| {
            if en {
                u.name_en.clone()
            } else {
                u.name.clone()
            }
        }));
        let unit_idx = self
            .filter
            .unit
            .as_ref()
            .and_then(|u| self.data.units.iter().position(|x| &x.id == u))
            .map_or(0, |p| p + 1);
        let yn = |b: bool| {
            (
                vec![
                    S::NO.get(self.lang).to_string(),
                    S::YES.get(self.lang).to_string(),
                ],
                usize::from(b),
            )
        };
        let (o1, i1) = yn(self.filter.vip);
        let (o2, i2) = yn(self.filter.overdue);
        let mut f = Form::new(vec![
            Field::choice(S::COL_STATUS, statuses, status_idx),
            Field::choice(S::COL_UNIT, units, unit_idx),
            Field::choice(S::VIP_QUEUE, o1, i1),
            Field::choice(S::OVERDUE, o2, i2),
            Field::text(S::TEXT, &self.filter.text),
        ]);
        f.focus = focus;
        f
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
            .map(|u| u.0.clone())
            .unwrap_or_default();
        let duty = if self.signin.index(2) == 0 {
            DutyType::Fixed
        } else {
            DutyType::Mobile
        };
        self.sign_in_as(Officer { name, unit, duty })
    }

    fn form_action(&mut self, a: Action) -> Vec<Effect> {
        match self.screen {
            Screen::Intake => match a {
                Action::NextField => {
                    if self.intake.form.focus == 0 {
                        self.choose_candidate();
                    }
                    self.intake.form.next();
                    vec![]
                }
                Action::PrevField => {
                    self.intake.form.prev();
                    vec![]
                }
                _ => self.submit_intake(),
            },
            Screen::Handover => match a {
                Action::Submit => self.sign_off(),
                _ => vec![],
            },
            Screen::InspectionForm => self.inspection_form_action(a),
            _ => vec![],
        }
    }

    fn choose_candidate(&mut self) {
        if let Some(c) = self.intake.candidates.get(self.intake.selected).cloned() {
            if let Some(f) = self.intake.form.fields.get_mut(0) {
                *f = Field::text(S::ENTERPRISE, &c.name);
            }
            self.intake.chosen = Some(c);
        }
    }

    fn submit_intake(&mut self) -> Vec<Effect> {
        if self.intake.form.focus == 0 && self.intake.chosen.is_none() {
            if self.intake.candidates.is_empty() {
                let q = self.intake.form.value(0);
                let looks_like_code = q.chars().filter(|c| c.is_ascii_alphanumeric()).count() >= 15;
                let mut vip = vec![S::NONE.get(self.lang).to_string()];
                vip.extend(
                    VipCategory::ALL
                        .iter()
                        .map(|c| self.lang.pick(c.zh(), c.en()).to_string()),
                );
                self.overlay = Some(Overlay::NewEnterprise(Form::new(vec![
                    Field::text(S::CREDIT_CODE, if looks_like_code { q.trim() } else { "" }),
                    Field::text(S::NAME, if looks_like_code { "" } else { q.trim() }),
                    Field::text(S::DISTRICT, ""),
                    Field::choice(S::VIP, vip, 0),
                ])));
                return vec![];
            }
            self.choose_candidate();
            self.intake.form.next();
            return vec![];
        }
        let Some(ent) = self.intake.chosen.clone() else {
            self.intake.form.error = Some(
                self.lang
                    .pick("请先选择企业", "choose the enterprise first")
                    .into(),
            );
            self.intake.form.focus = 0;
            return vec![];
        };
        let text = self.intake.form.value(5);
        if text.trim().is_empty() {
            self.intake.form.error = Some(
                self.lang
                    .pick(
                        "问题描述：不能为空，请填写",
                        "description must not be empty",
                    )
                    .into(),
            );
            self.intake.form.focus = 5;
            return vec![];
        }
        if !self.intake.confirmed_similar {
            let similar = self.data.issues.iter().find(|i| {
                i.enterprise == ent.code
                    && i.status.is_open()
                    && data::similarity(&i.description, &text) >= 0.5
            });
            if let Some(s) = similar {
                self.overlay = Some(Overlay::Similar { existing: s.id });
                return vec![];
            }
        }
        let channel = Channel::ALL
            .get(self.intake.form.index(2))
            .copied()
            .unwrap_or(Channel::WalkIn);
        vec![Effect::Execute(Command::LogIssue {
            issue: NewIssue {
                enterprise: ent.code,
                category: self.intake.form.value(1),
                channel,
                contact_name: self.intake.form.value(3),
                phone: self.intake.form.value(4),
                description: text,
            },
        })]
    }

    fn sign_off(&mut self) -> Vec<Effect> {
        if let Some(p) = self.pending_handover.clone() {
            return vec![Effect::Execute(Command::AcknowledgeHandover { id: p.id })];
        }
        let Some(shift) = self.shift.clone() else {
            return vec![];
        };
        vec![
            Effect::Execute(Command::SaveShiftNotes {
                id: shift.id,
                notes: self.handover_notes.value(0),
            }),
            Effect::SignOff { shift: shift.id },
        ]
    }

    /// Opens the form for an issue action, if the lifecycle allows it.
    fn issue_action(&mut self, a: Action) -> Vec<Effect> {
        let Some(id) = self.selected_issue() else {
            return vec![];
        };
        let Some(issue) = self.data.get(id).cloned() else {
            return vec![];
        };
        let op = match a {
            Action::Assign => IssueOp::Assign,
            Action::Receive => IssueOp::Receive,
            Action::Transfer => IssueOp::Transfer,
            Action::Return => IssueOp::Return,
            Action::Contact => IssueOp::Contact,
            Action::Reply => IssueOp::Reply,
            Action::Resolve => IssueOp::Resolve,
            Action::Evaluate => IssueOp::Evaluate { low: false },
            Action::Reopen => IssueOp::Reopen,
            Action::Void => IssueOp::Void,
            Action::Note => IssueOp::Note,
            _ => IssueOp::Supervise,
        };
        if let Err(e) = transition(issue.status, op) {
            let m = crate::desk::DeskError::Transition(e).message(self.lang);
            self.message = Some((m, true));
            return vec![];
        }
        self.acting_on = Some((id, issue.version));
        if self.screen != Screen::Detail {
            self.detail = Some(id);
        }
        let (pending, form) = match a {
            // Signing for it needs nothing more than the key.
            Action::Receive => return vec![Effect::Execute(Command::Receive { id })],
            Action::Return => (Pending::Return, Form::new(vec![Field::text(S::REASON, "")])),
            Action::Assign | Action::Transfer => {
                self.overlay = Some(Overlay::UnitPicker {
                    transfer: a == Action::Transfer,
                    filter: Default::default(),
                    selected: 0,
                });
                return vec![];
            }
            Action::Contact => (Pending::Contact, Form::new(vec![Field::text(S::NOTE, "")])),
            Action::Reply => (
                Pending::Reply,
                Form::new(vec![Field::multiline(S::REPLY_TEXT)]),
            ),
            Action::Resolve => (Pending::Resolve, Form::new(vec![Field::text(S::NOTE, "")])),
            Action::Evaluate => {
                let scores: Vec<String> = (1..=5).map(|n| n.to_string()).collect();
                (
                    Pending::Evaluate,
                    Form::new(vec![
                        Field::choice(S::CLOSENESS, scores.clone(), 4),
                        Field::choice(S::INTEGRITY, scores.clone(), 4),
                        Field::choice(S::SATISFACTION, scores, 4),
                        Field::text(S::COMMENT, ""),
                    ]),
                )
            }
            Action::Reopen => (Pending::Reopen, Form::new(vec![Field::text(S::REASON, "")])),
            Action::Void => (Pending::Void, Form::new(vec![Field::text(S::REASON, "")])),
            Action::Note => (Pending::Note, Form::new(vec![Field::multiline(S::NOTE)])),
            _ => (
                Pending::Supervise,
                Form::new(vec![Field::text(S::REASON, "")]),
            ),
        };
        let form = self.parked_action(id, a, None, form);
        self.overlay = Some(Overlay::ActionForm { pending, form });
        vec![]
    }

    /// Lead units matching the picker filter (name, pinyin or initials).
    pub fn picker_units(&self, filter: &str) -> Vec<usize> {
        let f = filter.trim().to_lowercase();
        (0..self.data.units.len())
            .filter(|&k| {
                let u = &self.data.units[k];
                f.is_empty()
                    || u.name.contains(filter.trim())
                    || u.pinyin.contains(&f)
                    || u.initials.contains(&f)
                    || u.id.contains(&f)
                    || u.name_en.to_lowercase().contains(&f)
            })
            .collect()
    }

    /// The form for `action` on issue `id`, filled from the officer's draft of that very form
    /// if one was kept from the last session.
    fn parked_action(
        &mut self,
        id: u64,
        action: Action,
        unit: Option<&str>,
        mut form: Form,
    ) -> Form {
        let same = self
            .parked
            .action
            .as_ref()
            .is_some_and(|d| d.issue == id && d.action == action && d.unit.as_deref() == unit);
        if let Some(d) = self.parked.action.take_if(|_| same) {
            d.form.apply(&mut form);
            self.message = Some((S::DRAFT_RESTORED.get(self.lang).into(), false));
        }
        form
    }

    fn overlay_action(&mut self, a: Action) -> Vec<Effect> {
        let Some(ov) = self.overlay.clone() else {
            return vec![];
        };
        match ov {
            Overlay::Help => {
                self.help_scroll = match a {
                    Action::Up => self.help_scroll.saturating_sub(1),
                    Action::Down => self.help_scroll.saturating_add(1),
                    Action::PageUp => self.help_scroll.saturating_sub(10),
                    Action::PageDown => self.help_scroll.saturating_add(10),
                    _ => self.help_scroll,
                };
            }
            Overlay::Similar { .. } => {
                if a == Action::Submit || a == Action::Open {
                    self.overlay = None;
                    self.intake.confirmed_similar = true;
                    return self.submit_intake();
                }
            }
            Overlay::ConfirmViolation { .. } => {
                if a == Action::Submit || a == Action::Open {
                    self.overlay = None;
                    return self.submit_inspection(true);
                }
            }
            Overlay::UnitPicker {
                transfer,
                filter,
                selected,
            } => {
                let units = self.picker_units(&filter.value);
                match a {
                    Action::Up | Action::PrevField => {
                        self.overlay = Some(Overlay::UnitPicker {
                            transfer,
                            filter,
                            selected: selected.saturating_sub(1),
                        })
                    }
                    Action::Down | Action::NextField => {
                        let s = (selected + 1).min(units.len().saturating_sub(1));
                        self.overlay = Some(Overlay::UnitPicker {
                            transfer,
                            filter,
                            selected: s,
                        });
                    }
                    Action::Submit | Action::Open => {
                        let Some(unit) =
                            units.get(selected).map(|&k| self.data.units[k].id.clone())
                        else {
                            return vec![];
                        };
                        let Some(id) = self.detail else { return vec![] };
                        if transfer {
                            let form = self.parked_action(
                                id,
                                Action::Transfer,
                                Some(&unit),
                                Form::new(vec![Field::text(S::REASON, "")]),
                            );
                            self.overlay = Some(Overlay::ActionForm {
                                pending: Pending::Transfer(unit),
                                form,
                            });
                        } else {
                            self.overlay = None;
                            return vec![Effect::Execute(Command::Assign {
                                id,
                                unit,
                                helpers: vec![],
                                reason: String::new(),
                            })];
                        }
                    }
                    _ => {}
                }
            }
            Overlay::ActionForm { pending, mut form } => match a {
                Action::NextField | Action::Down => {
                    form.next();
                    self.overlay = Some(Overlay::ActionForm { pending, form });
                }
                Action::PrevField | Action::Up => {
                    form.prev();
                    self.overlay = Some(Overlay::ActionForm { pending, form });
                }
                Action::Submit => {
                    let Some(id) = self.detail else { return vec![] };
                    let v0 = form.value(0);
                    let cmd = match pending {
                        Pending::Assign => return vec![],
                        Pending::Transfer(to) => Command::Transfer { id, to, reason: v0 },
                        Pending::Return => Command::Return { id, reason: v0 },
                        Pending::Contact => Command::RecordContact { id, note: v0 },
                        Pending::Reply => Command::Reply { id, text: v0 },
                        Pending::Resolve => Command::Resolve { id, note: v0 },
                        Pending::Evaluate => Command::Evaluate {
                            id,
                            evaluation: Evaluation {
                                closeness: form.index(0) as u8 + 1,
                                integrity: form.index(1) as u8 + 1,
                                satisfaction: form.index(2) as u8 + 1,
                                comment: form.value(3),
                            },
                        },
                        Pending::Reopen => Command::Reopen { id, reason: v0 },
                        Pending::Void => Command::Void { id, reason: v0 },
                        Pending::Note => Command::AddNote { id, text: v0 },
                        Pending::Supervise => Command::Supervise { id, reason: v0 },
                    };
                    return vec![Effect::Execute(cmd)];
                }
                _ => {}
            },
            Overlay::Filter(mut form) => match a {
                Action::NextField | Action::Down => {
                    form.next();
                    self.overlay = Some(Overlay::Filter(form));
                }
                Action::PrevField | Action::Up => {
                    form.prev();
                    self.overlay = Some(Overlay::Filter(form));
                }
                Action::Submit => {
                    let s = form.index(0);
                    self.filter.status = match s {
                        0 => None,
                        1 => Some(None),
                        n => IssueStatus::ALL.get(n - 2).map(|s| Some(*s)),
                    };
                    self.filter.unit = match form.index(1) {
                        0 => None,
                        n => self.data.units.get(n - 1).map(|u| u.id.clone()),
                    };
                    self.filter.vip = form.index(2) == 1;
                    self.filter.overdue = form.index(3) == 1;
                    self.filter.text = form.value(4);
                    self.overlay = None;
                    self.list_sel = 0;
                    self.refresh();
                    let wants_closed = match self.filter.status {
                        None => true,
                        Some(None) => false,
                        Some(Some(s)) => !s.is_open(),
                    };
                    if wants_closed && self.data.closed_loaded.is_none() {
                        return vec![Effect::LoadClosed];
                    }
                }
                _ => {}
            },
            Overlay::NewEnterprise(mut form) => match a {
                Action::NextField | Action::Down => {
                    form.next();
                    self.overlay = Some(Overlay::NewEnterprise(form));
                }
                Action::PrevField | Action::Up => {
                    form.prev();
                    self.overlay = Some(Overlay::NewEnterprise(form));
                }
                Action::Submit => {
                    let code = form.value(0);
                    if let Err(e) = credit_code::validate(&code) {
                        let err = crate::desk::DeskError::invalid(
                            "credit_code",
                            code.trim(),
                            crate::desk::Problem::CreditCode(e),
                        );
                        form.error = Some(err.message(self.lang));
                        form.focus = 0;
                        self.overlay = Some(Overlay::NewEnterprise(form));
                        return vec![];
                    }
                    let vip = match form.index(3) {
                        0 => vec![],
                        n => VipCategory::ALL
                            .get(n - 1)
                            .map(|c| vec![*c])
                            .unwrap_or_default(),
                    };
                    let e = Enterprise {
                        credit_code: code,
                        name: form.value(1),
                        district: form.value(2),
                        grade: None,
                        vip,
                        contact: String::new(),
                        phone: String::new(),
                    };
                    return vec![Effect::Execute(Command::SaveEnterprise { enterprise: e })];
                }
                _ => {}
            },
        }
        vec![]
    }

    fn on_reply(&mut self, r: Reply) -> Vec<Effect> {
        match r {
            Reply::Candidates(q, c) => {
                if self.screen == Screen::InspectionForm {
                    self.inspection_candidates(&q, c);
                } else if self.screen == Screen::Intake && self.intake.form.value(0) == q {
                    self.intake.candidates = c;
                    self.intake.selected = 0;
                }
            }
            Reply::Issue(Some(i)) => {
                self.data.upsert(*i);
                self.refresh();
            }
            Reply::Issue(None) => {}
            Reply::Changed(c) => return self.on_changed(c),
            Reply::OpenIssues(open) => {
                // What the session brought in beyond the open work stays; the rest is new.
                self.data.issues.retain(|i| !i.status.is_open());
                for i in open {
                    self.data.upsert(i);
                }
                self.refresh();
            }
            Reply::Pending(p) => {
                if let Some(p) = p {
                    if self.shift.is_some() {
                        self.screen = Screen::Handover;
                        self.stack.clear();
                    }
                    self.pending_handover = Some(*p);
                } else {
                    self.pending_handover = None;
                }
            }
            Reply::History(id, h) => {
                if self.detail == Some(id) {
                    self.history = h;
                }
            }
            Reply::SignedOff(Ok(shift)) => {
                self.message = Some((
                    self.lang
                        .pick(
                            "已签退，交接单已提交",
                            "signed off; the handover brief is filed",
                        )
                        .into(),
                    false,
                ));
                super::drafts::stash(self);
                self.shift = None;
                self.officer = None;
                let _ = shift;
                self.screen = Screen::SignIn;
                self.stack.clear();
                self.overlay = None;
            }
            Reply::Draft(Ok(b)) => self.draft = Some(*b),
            Reply::Closed(Ok((issues, total))) => {
                let n = issues.len();
                for i in issues {
                    // What the session already holds is newer than a list read.
                    if self.data.get(i.id).is_none() {
                        self.data.upsert(i);
                    }
                }
                self.data.closed_loaded = Some((n, total));
                self.refresh();
            }
            Reply::Scorecard(Ok(r)) => self.scorecard = Some(r),
            Reply::SignedOff(Err(e))
            | Reply::Executed(Err(e))
            | Reply::Draft(Err(e))
            | Reply::Closed(Err(e))
            | Reply::Scorecard(Err(e)) => {
                if let Some(form) = self.focused_form() {
                    form.error = Some(e.clone());
                }
                self.message = Some((e, true));
            }
            Reply::Executed(Ok(out)) => return self.on_executed(*out),
        }
        vec![]
    }

    /// Applies what another session changed, leaving whatever the officer is typing as it is.
    fn on_changed(&mut self, c: Changes) -> Vec<Effect> {
        let mut effects = vec![];
        if c.resync {
            effects.push(Effect::LoadOpen);
        }
        let moved = !c.issues.is_empty() || !c.gone.is_empty() || c.inspections || c.resync;
        for i in c.issues {
            if self.detail == Some(i.id) {
                effects.push(Effect::LoadHistory(i.id));
            }
            self.data.upsert(i);
        }
        for id in c.gone {
            self.data.remove(id);
            if self.detail == Some(id) && self.screen == Screen::Detail {
                self.detail = None;
                self.overlay = None;
                self.screen = self.stack.pop().unwrap_or(Screen::Issues);
                self.message = Some((
                    self.lang
                        .pick(
                            &format!("#{id} 已不属本单位办理"),
                            &format!("#{id} is no longer your unit's"),
                        )
                        .to_string(),
                    true,
                ));
            }
        }
        if c.shifts && self.shift.is_none() && self.screen == Screen::SignIn {
            effects.push(Effect::LoadPending);
        }
        // The units board's figures follow the issues too.
        if moved && self.screen == Screen::Units {
            effects.push(Effect::LoadScorecard);
        }
        self.refresh();
        effects
    }

    /// Fills the sign-in form with an officer's name and unit (a served session: the
    /// account says who signs in).
    pub fn prefill_sign_in(&mut self, officer: &Officer) {
        if let Some(input) = self.signin.fields.get_mut(0).and_then(|f| f.input_mut()) {
            *input = super::text::Input::new(&officer.name);
        }
        if let Some(k) = self
            .data
            .all_units
            .iter()
            .position(|(id, _)| *id == officer.unit)
        {
            if let Some(super::form::FieldKind::Choice { idx, .. }) =
                self.signin.fields.get_mut(1).map(|f| &mut f.kind)
            {
                *idx = k;
            }
        }
        self.signin.focus = 2;
    }

    fn on_executed(&mut self, out: crate::desk::Outcome) -> Vec<Effect> {
        use crate::domain::EventKind as E;
        let Some(first) = out.events.first() else {
            return vec![];
        };
        match &first.event {
            E::ShiftBegun { id, officer } => {
                self.shift = Some(Shift {
                    id: *id,
                    officer: officer.clone(),
                    started_at: first.at,
                    ended_at: None,
                    notes: String::new(),
                    brief: None,
                    acknowledged: None,
                });
                // Whatever was handed over meanwhile, in any session, is shown first.
                self.pending_handover = None;
                self.screen = Screen::Dashboard;
                self.stack.clear();
                return vec![Effect::LoadPending];
            }
            E::HandoverAcknowledged { .. } => {
                self.pending_handover = None;
                self.message = Some((
                    self.lang.pick("已确认接班", "handover acknowledged").into(),
                    false,
                ));
                self.screen = Screen::Dashboard;
                // Another brief may wait too.
                return vec![Effect::LoadPending];
            }
            E::ShiftNotesSaved { id, notes } => {
                if let Some(s) = self.shift.as_mut().filter(|s| s.id == *id) {
                    s.notes = notes.clone();
                }
            }
            E::InspectionRecorded { inspection } => self.on_inspection_recorded(inspection),
            E::EnterpriseSaved { enterprise } => {
                if enterprise.is_vip() {
                    self.data.vip.insert(enterprise.credit_code.clone());
                }
                let c = Candidate {
                    code: enterprise.credit_code.clone(),
                    name: enterprise.name.clone(),
                    vip: enterprise.is_vip(),
                    open: 0,
                };
                if let Some(f) = self.intake.form.fields.get_mut(0) {
                    *f = Field::text(S::ENTERPRISE, &c.name);
                }
                self.intake.candidates = vec![c.clone()];
                self.intake.chosen = Some(c);
                self.intake.form.focus = 1;
                self.overlay = None;
            }
            _ => {}
        }
        if let Some(issue) = out.issue {
            let id = issue.id;
            let logged = matches!(first.event, E::IssueLogged { .. });
            let msg = self.saved_message(&issue, logged, &first.event);
            self.data.upsert(issue);
            self.refresh();
            self.overlay = None;
            self.message = Some((msg, false));
            if logged {
                // Straight to the new issue, ready to assign.
                self.stack.retain(|s| *s != Screen::Intake);
                self.screen = self.stack.pop().unwrap_or(Screen::Dashboard);
                return self.open_issue(id);
            }
            if self.detail == Some(id) {
                return vec![Effect::LoadHistory(id)];
            }
        }
        vec![]
    }

    fn saved_message(&self, i: &Issue, logged: bool, ev: &crate::domain::EventKind) -> String {
        if logged {
            let beyond = if i.beyond_calendar {
                format!(" · {}", S::BEYOND.get(self.lang))
            } else {
                String::new()
            };
            format!(
                "{} #{} · {} {} · {} {}{beyond}",
                S::SAVED.get(self.lang),
                i.id,
                S::CONTACT_DUE.get(self.lang),
                i.contact_due,
                S::REPLY_DUE.get(self.lang),
                i.reply_due
            )
        } else {
            let st = self.lang.pick(i.status.zh(), i.status.en());
            let what = if self.en() {
                ev.name().replace('_', " ")
            } else {
                ev.zh().to_string()
            };
            format!("#{} {what} → {st}", i.id)
        }
    }
}
