//! The inspections screen's state and update: the list of reports (newest first, with
//! violation, frequency and match marks) and the filing form, which asks before it records an
//! inspection on a no-disturbance day without an exemption.

use super::{App, Candidate, Effect, Overlay, Screen};
use crate::desk::{Command, DeskError, NewInspection, Problem};
use crate::domain::{Exemption, FiledBy, Inspection, InspectionKind};
use crate::report::inspections::{analyse, InspectionRow};
use crate::tui::action::Action;
use crate::tui::form::{Field, Form};
use crate::tui::strings as S;

/// Fields of the filing form, in order.
pub const F_ENTERPRISE: usize = 0;
pub const F_UNIT: usize = 1;
pub const F_OTHER_UNIT: usize = 2;
pub const F_DATE: usize = 3;
pub const F_KIND: usize = 4;
pub const F_EXEMPTION: usize = 5;
pub const F_BY: usize = 6;
pub const F_INSPECTORS: usize = 7;
pub const F_RESULT: usize = 8;

/// The inspections list and the filing form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InspectionsState {
    /// The rows shown: newest first; only violations when filtered.
    pub rows: Vec<InspectionRow>,
    pub sel: usize,
    pub violations_only: bool,
    /// Counts over all reports (not only the shown rows).
    pub total: usize,
    pub violations: usize,
    pub frequent: usize,
    pub form: Form,
    pub candidates: Vec<Candidate>,
    pub selected: usize,
    pub chosen: Option<Candidate>,
}

impl App {
    /// Re-applies the inspection rules to the records (after data or the filter change).
    pub(super) fn refresh_inspections(&mut self) {
        let mut rows = analyse(
            &self.data.inspections,
            &self.data.quiet,
            self.data.max_inspections_30d,
        );
        rows.sort_by(|a, b| {
            (b.inspection.date, b.inspection.id).cmp(&(a.inspection.date, a.inspection.id))
        });
        let s = &mut self.insp;
        s.total = rows.len();
        s.violations = rows.iter().filter(|r| r.violation).count();
        s.frequent = rows.iter().filter(|r| r.frequent).count();
        if s.violations_only {
            rows.retain(|r| r.violation);
        }
        s.rows = rows;
        s.sel = s.sel.min(s.rows.len().saturating_sub(1));
    }

    pub(super) fn toggle_violations_only(&mut self) {
        self.insp.violations_only = !self.insp.violations_only;
        self.insp.sel = 0;
        self.refresh_inspections();
    }

    /// A unit's name in the form's choice (configured units only have English names for leads).
    fn unit_option(&self, id: &str, zh: &str) -> String {
        if self.en() {
            if let Some(u) = self.data.units.iter().find(|u| u.id == id) {
                if !u.name_en.is_empty() {
                    return u.name_en.clone();
                }
            }
        }
        zh.to_string()
    }

    pub(super) fn start_inspection_form(&mut self) {
        let l = self.lang;
        let mut units: Vec<String> = self
            .data
            .all_units
            .iter()
            .map(|u| self.unit_option(&u.id, &u.name))
            .collect();
        units.push(S::OTHER_DEPT.get(l).to_string());
        let kinds = InspectionKind::ALL
            .iter()
            .map(|k| S::kind(*k).get(l).to_string())
            .collect();
        let mut exemptions = vec![S::NONE.get(l).to_string()];
        exemptions.extend(
            Exemption::ALL
                .iter()
                .map(|e| S::exemption(*e).get(l).to_string()),
        );
        let by = vec![
            S::BY_UNIT.get(l).to_string(),
            S::BY_ENTERPRISE.get(l).to_string(),
        ];
        let today = self.now.date().format("%Y-%m-%d").to_string();
        self.insp.form = Form::new(vec![
            Field::text(S::ENTERPRISE, ""),
            Field::choice(S::INSP_UNIT, units, 0),
            Field::text(S::INSP_OTHER_UNIT, ""),
            Field::text(S::INSP_DATE, &today),
            Field::choice(S::INSP_KIND, kinds, 0),
            Field::choice(S::INSP_EXEMPTION, exemptions, 0),
            Field::choice(S::INSP_BY, by, 0),
            Field::text(S::INSPECTORS, ""),
            Field::text(S::INSP_RESULT, ""),
        ]);
        self.insp.candidates.clear();
        self.insp.selected = 0;
        self.insp.chosen = None;
        if let Some(d) = self.parked.inspection.take() {
            d.apply(&mut self.insp.form);
            self.insp.candidates = d.chosen.iter().cloned().collect();
            self.insp.chosen = d.chosen;
            self.message = Some((S::DRAFT_RESTORED.get(l).into(), false));
        }
        self.go(Screen::InspectionForm);
    }

    /// Live enterprise search as the name is typed (the same search as intake).
    pub(super) fn inspection_search(&mut self) -> Vec<Effect> {
        let q = self.insp.form.value(F_ENTERPRISE);
        if self.insp.chosen.as_ref().is_some_and(|c| c.name == q) {
            return vec![];
        }
        self.insp.chosen = None;
        vec![Effect::SearchEnterprises(q)]
    }

    fn choose_inspection_candidate(&mut self) {
        if let Some(c) = self.insp.candidates.get(self.insp.selected).cloned() {
            if let Some(f) = self.insp.form.fields.get_mut(F_ENTERPRISE) {
                *f = Field::text(S::ENTERPRISE, &c.name);
            }
            self.insp.chosen = Some(c);
        }
    }

    pub(super) fn inspection_form_action(&mut self, a: Action) -> Vec<Effect> {
        match a {
            Action::NextField => {
                if self.insp.form.focus == F_ENTERPRISE {
                    self.choose_inspection_candidate();
                }
                self.insp.form.next();
                vec![]
            }
            Action::PrevField => {
                self.insp.form.prev();
                vec![]
            }
            _ => self.submit_inspection(false),
        }
    }

    fn form_error(&mut self, field: usize, msg: String) -> Option<NewInspection> {
        self.insp.form.error = Some(msg);
        self.insp.form.focus = field;
        None
    }

    /// Checks the form; on a problem, says what on the form and focuses the field.
    fn inspection_draft(&mut self) -> Option<NewInspection> {
        let l = self.lang;
        let form = &self.insp.form;
        let Some(ent) = self.insp.chosen.clone() else {
            let msg =
                if form.value(F_ENTERPRISE).trim().is_empty() || !self.insp.candidates.is_empty() {
                    S::CHOOSE_ENTERPRISE
                } else {
                    S::NO_SUCH_ENTERPRISE
                };
            return self.form_error(F_ENTERPRISE, msg.get(l).into());
        };
        let unit = match self.data.all_units.get(form.index(F_UNIT)) {
            Some(u) => u.id.clone(),
            None => form.value(F_OTHER_UNIT).trim().to_string(),
        };
        if unit.is_empty() {
            let m = DeskError::invalid("unit", "", Problem::Empty).message(l);
            return self.form_error(F_OTHER_UNIT, m);
        }
        let raw = form.value(F_DATE);
        let Ok(date) = chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") else {
            let m = DeskError::invalid("date", raw.trim(), Problem::Date).message(l);
            return self.form_error(F_DATE, m);
        };
        let today = self.now.date();
        if date > today {
            let m = DeskError::invalid("date", raw.trim(), Problem::FutureDate(today)).message(l);
            return self.form_error(F_DATE, m);
        }
        let kind = InspectionKind::ALL
            .get(form.index(F_KIND))
            .copied()
            .unwrap_or(InspectionKind::Planned);
        let exemption = form
            .index(F_EXEMPTION)
            .checked_sub(1)
            .and_then(|k| Exemption::ALL.get(k).copied());
        let by = if form.index(F_BY) == 1 {
            FiledBy::Enterprise
        } else {
            FiledBy::Unit
        };
        let n = NewInspection {
            unit,
            enterprise: ent.code,
            date,
            kind,
            exemption,
            by,
            inspectors: form.value(F_INSPECTORS),
            result: form.value(F_RESULT),
        };
        self.insp.form.error = None;
        Some(n)
    }

    /// Whether recording `n` now would make it a no-disturbance-day violation (the same rules
    /// the lists use, so a matching filing's exemption counts).
    pub fn would_violate(&self, n: &NewInspection) -> bool {
        if !self.data.quiet.contains(n.date) || n.exemption.is_some() {
            return false;
        }
        let id = self
            .data
            .inspections
            .iter()
            .map(|i| i.id)
            .max()
            .unwrap_or(0)
            + 1;
        let mut list = self.data.inspections.clone();
        list.push(Inspection {
            id,
            unit: n.unit.clone(),
            enterprise: n.enterprise.clone(),
            enterprise_name: String::new(),
            date: n.date,
            kind: n.kind,
            exemption: n.exemption,
            by: n.by,
            inspectors: String::new(),
            result: String::new(),
            filed_at: self.now,
            filed_by: String::new(),
        });
        analyse(&list, &self.data.quiet, self.data.max_inspections_30d)
            .last()
            .is_some_and(|r| r.violation)
    }

    /// Files the form; a violation is recorded only once the officer has confirmed it.
    pub(super) fn submit_inspection(&mut self, confirmed: bool) -> Vec<Effect> {
        if self.insp.form.focus == F_ENTERPRISE
            && self.insp.chosen.is_none()
            && !self.insp.candidates.is_empty()
        {
            self.choose_inspection_candidate();
            self.insp.form.next();
            return vec![];
        }
        let Some(n) = self.inspection_draft() else {
            return vec![];
        };
        if !confirmed && self.would_violate(&n) {
            self.overlay = Some(Overlay::ConfirmViolation { date: n.date });
            return vec![];
        }
        vec![Effect::Execute(Command::RecordInspection { inspection: n })]
    }

    /// A recorded inspection: into the list, back from the form, and what the rules say.
    pub(super) fn on_inspection_recorded(&mut self, i: &Inspection) {
        match self.data.inspections.binary_search_by_key(&i.id, |x| x.id) {
            Ok(p) => self.data.inspections[p] = i.clone(),
            Err(p) => self.data.inspections.insert(p, i.clone()),
        }
        self.refresh();
        self.overlay = None;
        if self.screen == Screen::InspectionForm {
            self.screen = Screen::Inspections;
            if self.stack.last() == Some(&Screen::Inspections) {
                self.stack.pop();
            }
        }
        let l = self.lang;
        let all = analyse(
            &self.data.inspections,
            &self.data.quiet,
            self.data.max_inspections_30d,
        );
        let Some(row) = all.iter().find(|r| r.inspection.id == i.id) else {
            return;
        };
        if let Some(p) = self.insp.rows.iter().position(|r| r.inspection.id == i.id) {
            self.insp.sel = p;
        }
        let mut msg = format!("{} #{}", S::INSP_SAVED.get(l), i.id);
        if let Some(m) = row.matched {
            msg.push_str(" · ");
            msg.push_str(&S::MATCHED_WITH.get(l).replace("{id}", &m.to_string()));
        }
        if row.violation {
            msg.push_str(&format!(" · {}", S::VIOLATIONS.get(l)));
        }
        if row.frequent {
            msg.push_str(" · ");
            msg.push_str(
                &S::INSP_FREQUENT_MSG
                    .get(l)
                    .replace("{n}", &row.in_30_days.to_string())
                    .replace("{max}", &self.data.max_inspections_30d.to_string()),
            );
        }
        self.message = Some((msg, row.violation || row.frequent));
    }

    /// Candidates from the enterprise search, if they answer what the form holds now.
    pub(super) fn inspection_candidates(&mut self, q: &str, c: Vec<Candidate>) {
        if self.screen == Screen::InspectionForm && self.insp.form.value(F_ENTERPRISE) == q {
            self.insp.candidates = c;
            self.insp.selected = 0;
        }
    }
}
