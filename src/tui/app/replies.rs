//! What comes back from the desk: results of this session's commands and reads, and what
//! other sessions changed.

use super::*;

impl App {
    pub(super) fn on_reply(&mut self, r: Reply) -> Vec<Effect> {
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
            Reply::Pending(p) => self.pending_arrived(p.map(|b| *b)),
            Reply::History(id, h) => {
                if self.detail.id == Some(id) {
                    self.detail.history = h;
                }
            }
            Reply::SignedOff(Ok(_)) => {
                self.signed_off();
                self.message = Some((
                    self.lang
                        .pick(
                            "已签退，交接单已提交。下一位值班人员请签到",
                            "signed off; the handover brief is filed. Next officer: sign in",
                        )
                        .into(),
                    false,
                ));
                // The brief just filed waits for the next officer, who sees it first.
                return vec![Effect::LoadPending];
            }
            Reply::Draft(Ok(b)) => self.handover.draft = Some(*b),
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
            Reply::Scorecard(Ok(r)) => self.units.scorecard = Some(r),
            Reply::Ledger(Ok(l)) => self.ledger_arrived(*l),
            Reply::Residency(Ok(p)) => self.residency_arrived(*p),
            Reply::NameMatches(text, codes) => {
                if self.list.filter.text.as_deref() == Some(text.as_str()) {
                    self.list.compiled = self.list.filter.compile_with(codes);
                    self.refresh();
                }
            }
            Reply::SignedOff(Err(e))
            | Reply::Executed(Err(e))
            | Reply::Draft(Err(e))
            | Reply::Closed(Err(e))
            | Reply::Scorecard(Err(e))
            | Reply::Ledger(Err(e))
            | Reply::Residency(Err(e)) => {
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
            if self.detail.id == Some(i.id) {
                effects.push(Effect::LoadHistory(i.id));
            }
            self.data.upsert(i);
        }
        for id in c.gone {
            self.data.remove(id);
            if self.detail.id == Some(id) && self.screen == Screen::Detail {
                self.detail = DetailState::default();
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
        // So do the residency figures (a raised issue closed counts for its cadre).
        if (moved || c.residency) && self.screen == Screen::Residency {
            effects.push(Effect::LoadResidency(self.residency.firm.clone()));
        }
        self.refresh();
        effects
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
                self.handover.pending = None;
                self.screen = Screen::Dashboard;
                self.stack.clear();
                return vec![Effect::LoadPending];
            }
            E::HandoverAcknowledged { .. } => {
                self.handover.pending = None;
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
            if self.detail.id == Some(id) {
                return vec![Effect::LoadHistory(id)];
            }
        }
        vec![]
    }

    fn saved_message(&self, i: &Issue, logged: bool, ev: &crate::domain::EventKind) -> String {
        if logged {
            let beyond = if i.provisional() {
                format!(
                    " · {}",
                    crate::domain::deadline::provisional_line(self.lang)
                )
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
