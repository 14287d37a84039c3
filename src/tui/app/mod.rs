//! The TUI's state and its pure update: a message in (a key, a tick, a result), the new state
//! and the effects to run out. No terminal, no disk, no clock in here: time arrives in `Tick`.

mod actions;
mod handover;
pub mod inspect;
mod intake;
pub mod ledger;
mod lists;
/// The filter form's fields, in order.
pub mod lists_fields {
    pub use super::lists::{
        F_CATEGORY, F_CHANNEL, F_FROM, F_OVERDUE, F_STATUS, F_SUPERVISED, F_TEXT, F_TO, F_UNIT,
        F_VIP,
    };
}
mod overlays;
mod replies;
pub mod residency;
mod signin;

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::KeyEvent;

use super::action::Action;
use super::data::{self, Data, Summary};
use super::form::{Field, Form};
use super::keymap::{Context, Key, KeyName, Keymap};
use super::strings as S;
use crate::desk::{Command, CompiledFilter, IssueFilter, NewIssue, Sort, SortKeys};
use crate::domain::credit_code;
use crate::domain::{
    transition, Channel, DutyType, Enterprise, Evaluation, Issue, IssueOp, IssueStatus, Officer,
    Recorded, Shift, VipCategory,
};
use crate::i18n::Lang;
use crate::report::handover::Brief;
use crate::report::scorecard::Report;

pub use actions::picker_units;
pub use inspect::InspectionsState;
pub use ledger::LedgerState;

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
    /// One enterprise's ledger.
    LoadLedger(String),
    /// The residency page, of one firm (credit code) or of all.
    LoadResidency(Option<String>),
    /// The enterprises a list filter's text finds (name, pinyin, initials, credit code).
    MatchNames(String),
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
    Ledger(Result<Box<crate::desk::Ledger>, String>),
    Residency(Result<Box<crate::desk::residency::ResidencyPage>, String>),
    /// The credit codes a filter text finds.
    NameMatches(String, std::collections::HashSet<String>),
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
    /// The residency programme changed.
    pub residency: bool,
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
        self.residency |= later.residency;
        self.resync |= later.resync;
    }
}

/// Input to `update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste): one message, never keys.
    Paste(String),
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
    /// Replied issues waiting for the enterprise's evaluation (待回访).
    Callbacks,
    /// One enterprise's ledger (企业台账).
    Ledger,
    /// The residency programme (四帮一体验): rounds, placements, a cadre's checklist.
    Residency,
}

/// An issue action's form: the lifecycle step it performs (for a transfer, to which unit).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionForm {
    pub op: IssueOp,
    pub to: Option<String>,
    pub form: Form,
}

/// Choosing the lead unit for an assignment or a transfer; for an assignment also the helping
/// units (协办).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitPicker {
    pub transfer: bool,
    pub filter: crate::tui::text::Input,
    pub selected: usize,
    /// Helping units marked so far (unit ids).
    pub helpers: Vec<String>,
    /// The unit configured for the issue's category, offered first.
    pub suggested: Option<String>,
    /// The issue's unit now (a transfer cannot go there).
    pub current: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    UnitPicker(UnitPicker),
    ActionForm(ActionForm),
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
    /// Go to an issue by its number.
    GoTo(crate::tui::text::Input),
    /// Quitting with a shift open: sign off first, or leave it open to resume.
    ConfirmQuit,
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

/// A list of issues (indices into `Data::issues`) and the selected row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rows {
    pub rows: Vec<usize>,
    pub sel: usize,
}

impl Rows {
    fn set(&mut self, rows: Vec<usize>) {
        self.rows = rows;
        self.sel = self.sel.min(self.rows.len().saturating_sub(1));
    }

    fn selected(&self) -> Option<usize> {
        self.rows.get(self.sel).copied()
    }
}

/// The VIP queue's panel of enterprises nobody has contacted for 30 days: whether it has the
/// cursor (Tab moves it between the panels) and which enterprise is selected.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Uncovered {
    pub focus: bool,
    pub sel: usize,
}

/// The issue list: its filter (the desk's one), compiled for the issues held, its order and
/// its rows.
#[derive(Debug, Clone)]
pub struct IssueList {
    pub filter: IssueFilter,
    /// The filter ready to test issues; its text's enterprise matches (pinyin, initials) come
    /// from the desk's search index and arrive after the filter is set.
    pub compiled: CompiledFilter,
    pub sort: Sort,
    /// Pinyin sort keys of the names seen, kept between refreshes.
    pub keys: SortKeys,
    pub rows: Rows,
}

impl Default for IssueList {
    fn default() -> IssueList {
        let filter = IssueFilter {
            open_only: true,
            ..IssueFilter::default()
        };
        IssueList {
            compiled: filter.compile_with(Default::default()),
            filter,
            sort: Sort::Deadline,
            keys: SortKeys::default(),
            rows: Rows::default(),
        }
    }
}

/// One issue on screen, its history and how far it is scrolled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DetailState {
    pub id: Option<u64>,
    pub history: Vec<Recorded>,
    /// First history line shown.
    pub scroll: usize,
}

/// The handover screen: the notes for the next shift, the brief drafted when it opened, and a
/// brief handed over to this officer and not yet acknowledged.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HandoverState {
    pub notes: Form,
    pub draft: Option<Brief>,
    pub pending: Option<Shift>,
    /// First line shown (the briefs scroll).
    pub scroll: usize,
}

/// The units board: this month's scorecard and the selected unit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitsState {
    pub scorecard: Option<Box<Report>>,
    pub sel: usize,
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
    /// Shifts nobody signed off (the TUI was closed mid-shift): their officers resume them.
    pub open_shifts: Vec<Shift>,
    /// First line of the help overlay shown (it scrolls on small terminals).
    pub help_scroll: u16,
    pub signin: Form,
    pub dash: Rows,
    pub summary: Summary,
    pub list: IssueList,
    pub vip: Rows,
    /// The VIP queue's panel of enterprises not contacted for 30 days.
    pub uncovered: Uncovered,
    pub callbacks: Rows,
    pub detail: DetailState,
    pub intake: Intake,
    pub handover: HandoverState,
    pub units: UnitsState,
    pub insp: InspectionsState,
    pub ledger: ledger::LedgerState,
    pub residency: residency::ResidencyState,
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
            open_shifts: Vec::new(),
            help_scroll: 0,
            signin: Form::default(),
            dash: Rows::default(),
            summary: Summary::default(),
            list: IssueList::default(),
            vip: Rows::default(),
            uncovered: Uncovered::default(),
            callbacks: Rows::default(),
            detail: DetailState::default(),
            intake: Intake::default(),
            handover: HandoverState {
                notes: Form::new(vec![Field::multiline(S::NOTES_TO_NEXT)]),
                ..HandoverState::default()
            },
            units: UnitsState::default(),
            insp: InspectionsState::default(),
            ledger: Default::default(),
            residency: Default::default(),
            message: None,
            read_only: None,
            acting_on: None,
            own_unit: None,
            drafts: Default::default(),
            parked: Default::default(),
            quit: false,
            refreshes: 0,
        };
        app.signin = app.signin_form("");
        app.refresh();
        app
    }

    pub fn en(&self) -> bool {
        self.lang.is_en()
    }

    /// Recomputes the derived lists after data or filters change.
    pub fn refresh(&mut self) {
        let today = self.now.date();
        let l = &mut self.list;
        let rows = data::filtered(&self.data, &l.compiled, l.sort, &mut l.keys, today);
        self.list.rows.set(rows);
        self.dash.set(data::needs_action(&self.data, today));
        self.summary = data::summary(&self.data, today);
        self.vip.set(data::vip_open(&self.data, today));
        self.callbacks.set(data::callbacks_due(&self.data));
        self.refresh_inspections();
        self.refreshes += 1;
    }

    fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help) | Some(Overlay::Similar { .. }) | Some(Overlay::ConfirmQuit) => {
                return Context::List
            }
            Some(Overlay::UnitPicker(_)) => return Context::Picker,
            Some(_) => return Context::Form,
            None => {}
        }
        match self.screen {
            Screen::SignIn | Screen::Intake | Screen::Handover | Screen::InspectionForm => {
                Context::Form
            }
            Screen::Detail | Screen::Ledger => Context::Detail,
            _ => Context::List,
        }
    }

    /// The context whose bindings a key tries first: an enterprise picker under a form's
    /// name field takes the picker's (vim's Ctrl-J/Ctrl-K move through the candidates).
    fn first_context(&self) -> Context {
        let picking = self.overlay.is_none()
            && match self.screen {
                Screen::Intake => self.intake.form.focus == 0 && !self.intake.candidates.is_empty(),
                Screen::InspectionForm => {
                    self.insp.form.focus == inspect::F_ENTERPRISE
                        && !self.insp.candidates.is_empty()
                }
                _ => false,
            };
        if picking {
            Context::Picker
        } else {
            self.context()
        }
    }

    /// Whether printable keys go to a text field right now.
    fn typing(&self) -> bool {
        match &self.overlay {
            Some(Overlay::UnitPicker(_)) | Some(Overlay::GoTo(_)) => true,
            Some(Overlay::ActionForm(ActionForm { form, .. }))
            | Some(Overlay::Filter(form))
            | Some(Overlay::NewEnterprise(form)) => form.current().is_some_and(|f| f.is_text()),
            Some(_) => false,
            None => match self.screen {
                Screen::SignIn => self.signin.current().is_some_and(|f| f.is_text()),
                Screen::Intake => self.intake.form.current().is_some_and(|f| f.is_text()),
                Screen::Handover => self.shift.is_some() && self.handover.pending.is_none(),
                Screen::InspectionForm => self.insp.form.current().is_some_and(|f| f.is_text()),
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
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Action(a) => self.on_action(a),
            Msg::Reply(r) => self.on_reply(r),
        }
    }

    fn on_key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        let Some(key) = Key::from_event(&ev) else {
            return vec![];
        };
        // The similar-issue prompt answers single letters.
        if let Some(Overlay::Similar { existing }) = self.overlay {
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
                _ => {}
            }
        } else if matches!(key.code, KeyName::Left | KeyName::Right) {
            return self.edit(key.code);
        }
        let bound = self
            .keymap
            .lookup(self.first_context(), key)
            .or_else(|| self.keymap.lookup(self.context(), key));
        match bound {
            Some(a) => self.on_action(a),
            // A new line in a multi-line field: Ctrl-J (or Alt-Enter) unless the keymap
            // gives the key to something else.
            None if self.typing() && is_newline_key(key) => self.type_char('\n'),
            None => vec![],
        }
    }

    /// A paste is text, never keys: it goes into the focused text field as typed characters
    /// (line breaks only where the field takes them) and nowhere else.
    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if !self.typing() {
            if !text.trim().is_empty() {
                self.message = Some((S::PASTE_NOWHERE.get(self.lang).into(), true));
            }
            return vec![];
        }
        let multiline = self
            .focused_form()
            .and_then(|f| f.current().map(|x| x.is_multiline()))
            .unwrap_or(false);
        let mut effects = vec![];
        for c in text.replace("\r\n", "\n").chars() {
            let c = match c {
                '\n' | '\r' if multiline => '\n',
                '\n' | '\r' | '\t' => ' ',
                c if c.is_control() => continue,
                c => c,
            };
            effects = self.type_char(c);
        }
        effects
    }

    pub(super) fn focused_form(&mut self) -> Option<&mut Form> {
        match &mut self.overlay {
            Some(Overlay::ActionForm(ActionForm { form, .. }))
            | Some(Overlay::Filter(form))
            | Some(Overlay::NewEnterprise(form)) => Some(form),
            Some(_) => None,
            None => match self.screen {
                Screen::SignIn => Some(&mut self.signin),
                Screen::Intake => Some(&mut self.intake.form),
                Screen::Handover => Some(&mut self.handover.notes),
                Screen::InspectionForm => Some(&mut self.insp.form),
                _ => None,
            },
        }
    }

    fn type_char(&mut self, c: char) -> Vec<Effect> {
        match &mut self.overlay {
            // Unit names hold no spaces: Space marks a helping unit instead.
            Some(Overlay::UnitPicker(p)) if c == ' ' && !p.transfer => {
                self.toggle_helper();
                return vec![];
            }
            Some(Overlay::UnitPicker(p)) => {
                if c != '\n' && c != ' ' {
                    p.filter.insert(c);
                    p.selected = 0;
                }
                return vec![];
            }
            Some(Overlay::GoTo(input)) => {
                if c.is_ascii_digit() || c == '#' {
                    input.insert(c);
                }
                return vec![];
            }
            _ => {}
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
        let input = match &mut self.overlay {
            Some(Overlay::UnitPicker(p)) => {
                p.selected = 0;
                Some(&mut p.filter)
            }
            Some(Overlay::GoTo(input)) => Some(input),
            _ => None,
        };
        if let Some(i) = input {
            edit_input(i, code);
            return vec![];
        }
        let Some(form) = self.focused_form() else {
            return vec![];
        };
        let Some(field) = form.focused() else {
            return vec![];
        };
        match (field.input_mut(), code) {
            (Some(i), code) => edit_input(i, code),
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

    pub(super) fn go(&mut self, s: Screen) {
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
            Action::Quit => return self.ask_quit(),
            Action::ForceQuit => {
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
                if self.screen == Screen::Residency && self.residency_back() {
                    return vec![];
                }
                if let Some(s) = self.stack.pop() {
                    self.screen = s;
                }
                return vec![];
            }
            _ => {}
        }
        // An overlay takes every key while it is open, before sign-in too.
        if self.overlay.is_some() {
            return self.overlay_action(a);
        }
        if !self.signed_in() {
            // Before sign-in only the sign-in form works.
            return self.signin_action(a);
        }
        match a {
            Action::Dashboard => self.go(Screen::Dashboard),
            Action::Issues => self.go(Screen::Issues),
            Action::VipQueue => self.go(Screen::VipQueue),
            Action::Callbacks => self.go(Screen::Callbacks),
            Action::Units => {
                self.go(Screen::Units);
                return vec![Effect::LoadScorecard];
            }
            Action::Handover => return self.open_handover(),
            Action::Inspections => self.go(Screen::Inspections),
            Action::NewIssue => self.start_intake(),
            Action::NewInspection => self.start_inspection_form(),
            Action::GoTo => self.overlay = Some(Overlay::GoTo(Default::default())),
            Action::Ledger => return self.open_ledger_here(),
            Action::Residency => return self.open_residency(),
            Action::Filter if self.screen == Screen::Inspections => self.toggle_violations_only(),
            Action::Search
                if matches!(
                    self.screen,
                    Screen::Issues | Screen::Dashboard | Screen::VipQueue | Screen::Callbacks
                ) =>
            {
                self.go(Screen::Issues);
                self.overlay = Some(Overlay::Filter(self.filter_form(lists::F_TEXT)));
            }
            Action::Filter if self.screen == Screen::Issues => {
                self.overlay = Some(Overlay::Filter(self.filter_form(0)));
            }
            Action::Sort if self.screen == Screen::Issues => {
                self.list.sort = self.list.sort.next();
                self.list.rows.sel = 0;
                self.refresh();
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => self.move_sel(a),
            Action::Open => return self.open_here(),
            Action::NextField | Action::PrevField | Action::Submit => return self.form_action(a),
            _ => {
                if let Some(op) = a.issue_op() {
                    return self.issue_action(op);
                }
            }
        }
        vec![]
    }
}

impl App {
    /// Tab, Shift-Tab and Enter on a screen that is a form.
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
            Screen::Handover => self.handover_action(a),
            Screen::InspectionForm => self.inspection_form_action(a),
            Screen::VipQueue if a != Action::Submit => {
                self.uncovered.focus = !self.uncovered.focus;
                vec![]
            }
            _ => vec![],
        }
    }
}

/// Ctrl-J (line feed) or Alt-Enter: a new line where a field takes one.
fn is_newline_key(key: Key) -> bool {
    (key.code == KeyName::Char('j') && key.ctrl) || (key.code == KeyName::Enter && key.alt)
}

fn edit_input(i: &mut super::text::Input, code: KeyName) {
    match code {
        KeyName::Backspace => i.backspace(),
        KeyName::Delete => i.delete(),
        KeyName::Left => i.left(),
        KeyName::Right => i.right(),
        KeyName::Home => i.home(),
        KeyName::End => i.end(),
        _ => {}
    }
}
