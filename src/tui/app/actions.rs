//! An issue's lifecycle steps from the keyboard: the unit picker (with the suggested unit for
//! the category and helping units for an assignment), the action forms, and the command each
//! one submits. Which steps an issue's state allows is the domain's rule (`transition`).

use super::*;
use crate::domain::{DueSpec, SupervisionLevel};

impl App {
    /// Opens what a lifecycle step needs (a unit picker or a form), if the issue's state
    /// allows the step.
    pub(super) fn issue_action(&mut self, op: IssueOp) -> Vec<Effect> {
        let Some(id) = self.selected_issue() else {
            return vec![];
        };
        let Some(issue) = self.data.get(id) else {
            return vec![];
        };
        if let Err(e) = transition(issue.status, op) {
            let m = crate::desk::DeskError::Transition(e).message(self.lang);
            self.message = Some((m, true));
            return vec![];
        }
        let (version, category, current) =
            (issue.version, issue.category.clone(), issue.unit.clone());
        self.acting_on = Some((id, version));
        if self.screen != Screen::Detail {
            self.detail.id = Some(id);
        }
        let form = match op {
            // Signing for it needs nothing more than the key.
            IssueOp::Receive => return vec![Effect::Execute(Command::Receive { id })],
            IssueOp::Assign | IssueOp::Transfer => {
                let transfer = op == IssueOp::Transfer;
                let suggested = self
                    .data
                    .suggested
                    .get(&category)
                    .filter(|u| !transfer || Some(*u) != current.as_ref())
                    .cloned();
                // The suggested unit is listed first, under the cursor.
                let p = UnitPicker {
                    transfer,
                    filter: Default::default(),
                    selected: 0,
                    helpers: vec![],
                    suggested,
                    current: current.filter(|_| transfer),
                };
                self.overlay = Some(Overlay::UnitPicker(p));
                return vec![];
            }
            IssueOp::Return | IssueOp::Reopen | IssueOp::Void => {
                Form::new(vec![Field::text(S::REASON, "")])
            }
            IssueOp::Supervise => {
                let levels = SupervisionLevel::ALL
                    .iter()
                    .map(|l| self.lang.pick(l.zh(), l.en()).to_string())
                    .collect();
                Form::new(vec![
                    Field::text(S::REASON, ""),
                    Field::choice(S::SUPERVISION_LEVEL, levels, 0),
                    Field::text(S::SUPERVISION_DUE, ""),
                ])
            }
            IssueOp::Contact | IssueOp::Resolve => Form::new(vec![Field::text(S::NOTE, "")]),
            IssueOp::Reply => Form::new(vec![Field::multiline(S::REPLY_TEXT)]),
            IssueOp::Note => Form::new(vec![Field::multiline(S::NOTE)]),
            IssueOp::Evaluate { .. } => {
                // No score is chosen for the enterprise: a stray Enter records nothing.
                let mut scores = vec![S::CHOOSE.get(self.lang).to_string()];
                scores.extend((1..=5).map(|n| n.to_string()));
                Form::new(vec![
                    Field::choice(S::CLOSENESS, scores.clone(), 0),
                    Field::choice(S::INTEGRITY, scores.clone(), 0),
                    Field::choice(S::SATISFACTION, scores, 0),
                    Field::text(S::COMMENT, ""),
                ])
            }
        };
        let form = self.parked_action(id, op, None, form);
        self.overlay = Some(Overlay::ActionForm(ActionForm { op, to: None, form }));
        vec![]
    }

    /// The form for `op` on issue `id`, filled from the officer's draft of that very form if
    /// one was kept from the last session.
    pub(super) fn parked_action(
        &mut self,
        id: u64,
        op: IssueOp,
        unit: Option<&str>,
        mut form: Form,
    ) -> Form {
        let action = Action::for_op(op);
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

    /// A key in the unit picker.
    pub(super) fn unit_picker_action(&mut self, a: Action) -> Vec<Effect> {
        let Some(Overlay::UnitPicker(p)) = &mut self.overlay else {
            return vec![];
        };
        let units = picker_units(&self.data, p);
        match a {
            Action::Up | Action::PrevField => p.selected = p.selected.saturating_sub(1),
            Action::Down | Action::NextField => {
                p.selected = (p.selected + 1).min(units.len().saturating_sub(1))
            }
            Action::Submit | Action::Open => {
                let Some(unit) = units
                    .get(p.selected)
                    .map(|&k| self.data.units[k].id.clone())
                else {
                    return vec![];
                };
                let Some(id) = self.detail.id else {
                    return vec![];
                };
                if p.transfer {
                    let form = self.parked_action(
                        id,
                        IssueOp::Transfer,
                        Some(&unit),
                        Form::new(vec![Field::text(S::REASON, "")]),
                    );
                    self.overlay = Some(Overlay::ActionForm(ActionForm {
                        op: IssueOp::Transfer,
                        to: Some(unit),
                        form,
                    }));
                    return vec![];
                }
                let helpers = p.helpers.iter().filter(|h| **h != unit).cloned().collect();
                self.overlay = None;
                return vec![Effect::Execute(Command::Assign {
                    id,
                    unit,
                    helpers,
                    reason: String::new(),
                })];
            }
            _ => {}
        }
        vec![]
    }

    /// Space in an assignment's unit picker marks or unmarks the unit under the cursor as a
    /// helping unit (协办).
    pub(super) fn toggle_helper(&mut self) {
        let Some(Overlay::UnitPicker(p)) = &mut self.overlay else {
            return;
        };
        if p.transfer {
            return;
        }
        let units = picker_units(&self.data, p);
        if let Some(u) = units
            .get(p.selected)
            .map(|&k| self.data.units[k].id.clone())
        {
            match p.helpers.iter().position(|h| *h == u) {
                Some(k) => {
                    p.helpers.remove(k);
                }
                None => p.helpers.push(u),
            }
        }
    }

    /// A key in an action form: move between fields, or submit the step.
    pub(super) fn action_form_action(&mut self, a: Action) -> Vec<Effect> {
        let Some(Overlay::ActionForm(af)) = &mut self.overlay else {
            return vec![];
        };
        match a {
            Action::NextField | Action::Down => af.form.next(),
            Action::PrevField | Action::Up => af.form.prev(),
            Action::Submit => {
                let Some(id) = self.detail.id else {
                    return vec![];
                };
                match command_for(af, id, self.lang) {
                    Ok(cmd) => return vec![Effect::Execute(cmd)],
                    Err((field, msg)) => {
                        af.form.focus = field;
                        af.form.error = Some(msg);
                    }
                }
            }
            _ => {}
        }
        vec![]
    }
}

/// The command an action form submits, or the field that is not filled in and why.
fn command_for(af: &ActionForm, id: u64, lang: Lang) -> Result<Command, (usize, String)> {
    let form = &af.form;
    let v0 = form.value(0);
    Ok(match af.op {
        IssueOp::Transfer => Command::Transfer {
            id,
            to: af.to.clone().unwrap_or_default(),
            reason: v0,
        },
        IssueOp::Return => Command::Return { id, reason: v0 },
        IssueOp::Contact => Command::RecordContact { id, note: v0 },
        IssueOp::Reply => Command::Reply { id, text: v0 },
        IssueOp::Resolve => Command::Resolve { id, note: v0 },
        IssueOp::Evaluate { .. } => {
            let score = |k: usize| match form.index(k) {
                0 => Err((
                    k,
                    format!(
                        "{}：{}",
                        form.fields[k].label.get(lang),
                        S::SCORE_NEEDED.get(lang)
                    ),
                )),
                n => Ok(n as u8),
            };
            Command::Evaluate {
                id,
                evaluation: Evaluation {
                    closeness: score(0)?,
                    integrity: score(1)?,
                    satisfaction: score(2)?,
                    comment: form.value(3),
                },
            }
        }
        IssueOp::Reopen => Command::Reopen { id, reason: v0 },
        IssueOp::Void => Command::Void { id, reason: v0 },
        IssueOp::Note => Command::AddNote { id, text: v0 },
        IssueOp::Supervise => {
            let due = form.value(2);
            let due = match due.trim() {
                "" => None,
                t => match DueSpec::parse(t) {
                    Some(d) => Some(d),
                    None => return Err((2, S::SUPERVISION_DUE_FORM.get(lang).to_string())),
                },
            };
            Command::SuperviseAt {
                id,
                reason: v0,
                level: SupervisionLevel::ALL
                    .get(form.index(1))
                    .copied()
                    .unwrap_or_default(),
                due,
            }
        }
        // Assignments and signing for an issue have no form.
        IssueOp::Assign | IssueOp::Receive => return Err((0, String::new())),
    })
}

/// Lead units the picker offers for its filter (name, pinyin or initials), the suggested unit
/// first; a transfer never offers the unit that holds the issue.
pub fn picker_units(d: &Data, p: &UnitPicker) -> Vec<usize> {
    let typed = p.filter.value.trim();
    let f = typed.to_lowercase();
    let mut v: Vec<usize> = (0..d.units.len())
        .filter(|&k| {
            let u = &d.units[k];
            p.current.as_ref() != Some(&u.id)
                && (f.is_empty()
                    || u.name.contains(typed)
                    || u.pinyin.contains(&f)
                    || u.initials.contains(&f)
                    || u.id.contains(&f)
                    || u.name_en.to_lowercase().contains(&f))
        })
        .collect();
    if let Some(s) = &p.suggested {
        if let Some(pos) = v.iter().position(|&k| d.units[k].id == *s) {
            let k = v.remove(pos);
            v.insert(0, k);
        }
    }
    v
}
