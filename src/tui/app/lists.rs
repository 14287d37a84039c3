//! The lists of issues (dashboard, issue list, VIP queue, callbacks): moving through them,
//! opening an issue, going to one by number, and the issue list's filter form.

use super::*;

/// Fields of the filter form, in order.
pub const F_STATUS: usize = 0;
pub const F_UNIT: usize = 1;
pub const F_CATEGORY: usize = 2;
pub const F_CHANNEL: usize = 3;
pub const F_VIP: usize = 4;
pub const F_OVERDUE: usize = 5;
pub const F_SUPERVISED: usize = 6;
pub const F_FROM: usize = 7;
pub const F_TO: usize = 8;
pub const F_TEXT: usize = 9;

impl App {
    /// The issue under the cursor on a list screen, or the one on screen.
    pub(super) fn selected_issue(&self) -> Option<u64> {
        let idx = match self.screen {
            Screen::Issues => self.list.rows.selected(),
            Screen::Dashboard => self.dash.selected(),
            Screen::VipQueue if !self.uncovered.focus => self.vip.selected(),
            Screen::Callbacks => self.callbacks.selected(),
            Screen::Detail => return self.detail.id,
            Screen::Ledger => return self.ledger.selected_issue(),
            _ => None,
        }?;
        self.data.issues.get(idx).map(|i| i.id)
    }

    pub(super) fn move_sel(&mut self, a: Action) {
        let rows = match self.screen {
            Screen::Issues => &mut self.list.rows,
            Screen::Dashboard => &mut self.dash,
            Screen::VipQueue if self.uncovered.focus => {
                let n = data::vip_uncovered_flat(&self.data, self.now.date()).len();
                self.uncovered.sel = moved(self.uncovered.sel, n, a);
                return;
            }
            Screen::VipQueue => &mut self.vip,
            Screen::Callbacks => &mut self.callbacks,
            Screen::Inspections => {
                self.insp.sel = moved(self.insp.sel, self.insp.rows.len(), a);
                return;
            }
            Screen::InspectionForm => {
                self.insp.selected = moved(self.insp.selected, self.insp.candidates.len(), a);
                return;
            }
            Screen::Intake => {
                self.intake.selected = moved(self.intake.selected, self.intake.candidates.len(), a);
                return;
            }
            Screen::Units => {
                let n = self.board().len();
                self.units.sel = moved(self.units.sel, n, a);
                return;
            }
            Screen::Detail => {
                self.detail.scroll = handover::scrolled(self.detail.scroll, a);
                return;
            }
            Screen::Handover => {
                self.handover.scroll = handover::scrolled(self.handover.scroll, a);
                return;
            }
            Screen::Ledger => {
                self.ledger.move_sel(a);
                return;
            }
            Screen::Residency => {
                self.residency_move(a);
                return;
            }
            _ => return,
        };
        rows.sel = moved(rows.sel, rows.rows.len(), a);
    }

    /// Enter on a list: the issue under the cursor; on the units board, that unit's open
    /// issues; on an issue, its enterprise's ledger; on the VIP queue's uncovered panel, that
    /// enterprise's ledger.
    pub(super) fn open_here(&mut self) -> Vec<Effect> {
        match self.screen {
            Screen::Units => return self.open_unit_issues(),
            Screen::Detail => return self.open_ledger_here(),
            Screen::VipQueue if self.uncovered.focus => return self.open_ledger_here(),
            Screen::Residency => return self.residency_open(),
            _ => {}
        }
        match self.selected_issue() {
            Some(id) => self.open_issue(id),
            None => vec![],
        }
    }

    /// The units board's selected unit: the issue list filtered to its open issues.
    fn open_unit_issues(&mut self) -> Vec<Effect> {
        let Some(unit) = self.board().get(self.units.sel).map(|r| r.id.clone()) else {
            return vec![];
        };
        self.go(Screen::Issues);
        self.set_filter(IssueFilter {
            open_only: true,
            unit: Some(unit),
            ..IssueFilter::default()
        })
    }

    fn board(&self) -> Vec<data::UnitRow> {
        data::ranked_board(
            &self.data,
            self.units.scorecard.as_deref(),
            self.own_unit.as_deref(),
            self.now.date(),
        )
    }

    pub fn open_issue(&mut self, id: u64) -> Vec<Effect> {
        self.detail = DetailState {
            id: Some(id),
            ..DetailState::default()
        };
        self.go(Screen::Detail);
        if self.data.get(id).is_some() {
            vec![Effect::LoadHistory(id)]
        } else {
            vec![Effect::LoadIssue(id), Effect::LoadHistory(id)]
        }
    }

    /// The go-to prompt's number: that issue, held or read from the store.
    pub(super) fn go_to(&mut self, typed: &str) -> Vec<Effect> {
        match typed.trim().trim_start_matches('#').parse::<u64>() {
            Ok(id) if id > 0 => {
                self.overlay = None;
                self.open_issue(id)
            }
            _ => {
                self.message = Some((S::GOTO_BAD.get(self.lang).into(), true));
                vec![]
            }
        }
    }

    pub(super) fn filter_form(&self, focus: usize) -> Form {
        let l = self.lang;
        let f = &self.list.filter;
        let mut statuses = vec![S::ALL.get(l).to_string(), S::OPEN.get(l).to_string()];
        statuses.extend(
            IssueStatus::ALL
                .iter()
                .map(|s| l.pick(s.zh(), s.en()).to_string()),
        );
        let status_idx = match f.status_choice() {
            None => 0,
            Some(None) => 1,
            Some(Some(s)) => 2 + IssueStatus::ALL.iter().position(|x| *x == s).unwrap_or(0),
        };
        let all = || vec![S::ALL.get(l).to_string()];
        let mut units = all();
        units.extend(
            self.data
                .units
                .iter()
                .map(|u| data::display_name(u, self.en()).to_string()),
        );
        let unit_idx = f
            .unit
            .as_ref()
            .and_then(|u| self.data.units.iter().position(|x| &x.id == u))
            .map_or(0, |p| p + 1);
        let mut cats = all();
        cats.extend(self.data.categories.iter().cloned());
        let cat_idx = f
            .category
            .as_ref()
            .and_then(|c| self.data.categories.iter().position(|x| x == c))
            .map_or(0, |p| p + 1);
        let mut channels = all();
        channels.extend(
            Channel::ALL
                .iter()
                .map(|c| l.pick(c.zh(), c.key()).to_string()),
        );
        let channel_idx = f
            .channel
            .and_then(|c| Channel::ALL.iter().position(|x| *x == c))
            .map_or(0, |p| p + 1);
        let yn = |b: bool| {
            (
                vec![S::NO.get(l).to_string(), S::YES.get(l).to_string()],
                usize::from(b),
            )
        };
        let (o1, i1) = yn(f.vip);
        let (o2, i2) = yn(f.overdue);
        let (o3, i3) = yn(f.supervised);
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut form = Form::new(vec![
            Field::choice(S::COL_STATUS, statuses, status_idx),
            Field::choice(S::COL_UNIT, units, unit_idx),
            Field::choice(S::CATEGORY, cats, cat_idx),
            Field::choice(S::CHANNEL, channels, channel_idx),
            Field::choice(S::VIP_QUEUE, o1, i1),
            Field::choice(S::OVERDUE, o2, i2),
            Field::choice(S::SUPERVISED, o3, i3),
            Field::text(S::LOGGED_FROM, &date(f.from)),
            Field::text(S::LOGGED_TO, &date(f.to)),
            Field::text(S::TEXT, f.text.as_deref().unwrap_or_default()),
        ]);
        form.focus = focus;
        form
    }

    /// The filter form submitted: the new filter, or the form back with what is wrong.
    pub(super) fn apply_filter(&mut self, form: &mut Form) -> Result<Vec<Effect>, ()> {
        let mut date = |field: usize| -> Result<Option<NaiveDate>, ()> {
            let v = form.value(field);
            if v.trim().is_empty() {
                return Ok(None);
            }
            match crate::calendar::parse_date(v.trim()) {
                Some(d) => Ok(Some(d)),
                None => {
                    form.error = Some(format!(
                        "{}：{}",
                        form.fields[field].label.get(self.lang),
                        S::DATE_FORM.get(self.lang)
                    ));
                    form.focus = field;
                    Err(())
                }
            }
        };
        let from = date(F_FROM)?;
        let to = date(F_TO)?;
        let mut f = IssueFilter::default();
        f.set_status_choice(match form.index(F_STATUS) {
            0 => None,
            1 => Some(None),
            n => IssueStatus::ALL.get(n - 2).map(|s| Some(*s)),
        });
        f.unit = match form.index(F_UNIT) {
            0 => None,
            n => self.data.units.get(n - 1).map(|u| u.id.clone()),
        };
        f.category = match form.index(F_CATEGORY) {
            0 => None,
            n => self.data.categories.get(n - 1).cloned(),
        };
        f.channel = match form.index(F_CHANNEL) {
            0 => None,
            n => Channel::ALL.get(n - 1).copied(),
        };
        f.vip = form.index(F_VIP) == 1;
        f.overdue = form.index(F_OVERDUE) == 1;
        f.supervised = form.index(F_SUPERVISED) == 1;
        f.from = from;
        f.to = to;
        let text = form.value(F_TEXT);
        f.text = Some(text.trim().to_string()).filter(|t| !t.is_empty());
        Ok(self.set_filter(f))
    }

    /// A new filter for the issue list: applied at once to what is held; the enterprises its
    /// text finds by pinyin come from the desk, and closed issues (not held) are brought in
    /// when the filter can show them.
    pub fn set_filter(&mut self, f: IssueFilter) -> Vec<Effect> {
        let mut effects = vec![];
        if let Some(t) = &f.text {
            effects.push(Effect::MatchNames(t.clone()));
        }
        self.list.compiled = f.compile_with(Default::default());
        self.list.filter = f;
        self.list.rows.sel = 0;
        self.refresh();
        if !self.list.filter.only_open() && self.data.closed_loaded.is_none() {
            effects.push(Effect::LoadClosed);
        }
        effects
    }
}

/// A selection moved by a line or a page within `len` rows.
pub(super) fn moved(sel: usize, len: usize, a: Action) -> usize {
    let last = len.saturating_sub(1);
    match a {
        Action::Up => sel.saturating_sub(1),
        Action::Down => (sel + 1).min(last),
        Action::PageUp => sel.saturating_sub(PAGE),
        Action::PageDown => (sel + PAGE).min(last),
        _ => sel,
    }
    .min(last)
}
