//! The desk service: every operation the desk performs, validated and recorded through the
//! store in one durable commit. The TUI and the CLI both go through it; neither touches the
//! store directly.

mod command;
mod error;
mod ledger;
pub mod residency;
mod view;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime};

use crate::calendar::Calendar;
use crate::config::{self, Config};
use crate::domain::deadline::{urgency, Urgency};
use crate::domain::{
    credit_code, phone, Enterprise, EventKind, Fact, Inspection, Issue, IssueStatus, Recorded,
    Shift, UnitKind, Units,
};
use crate::search::EnterpriseIndex;
use crate::store::{CommitError, SealKey, Store, VerifyReport, Witness};

pub use command::{Command, NewInspection, NewIssue, Outcome};
pub use error::{field_name, refusal_message, transition_message, DeskError, Missing, Problem};
pub use ledger::{
    DeadlineCheck, Ledger, LedgerCounts, LedgerEvaluations, LedgerInspection, LedgerIssue,
    LedgerOutcome, LedgerUnit,
};
pub use view::{
    urgency_key, Callback, CompiledFilter, IssueFilter, IssueView, ResidencyTag, Sort, SortKeys,
};

/// Name of the search index's cache beside the view.
const SEARCH_CACHE: &str = "search";

/// Longest free text accepted in one field (characters).
pub const MAX_TEXT: usize = 4000;
/// Longest short field (names, contact, reason).
pub const MAX_SHORT: usize = 200;

/// The open desk: store, calendar, configuration and units.
pub struct Desk {
    store: Store,
    pub calendar: Calendar,
    pub config: Config,
    pub units: Units,
    /// Enterprises by credit code, loaded on first use and kept in step with commits.
    enterprises: OnceLock<HashMap<String, Enterprise>>,
    index: OnceLock<EnterpriseIndex>,
    /// The month's scorecard as last computed, with the journal position and day it was
    /// computed at: every units board of a shared desk reads it, and it changes only with a
    /// commit or the day.
    scorecard: std::sync::Mutex<Option<(u64, chrono::NaiveDate, crate::report::scorecard::Report)>>,
}

impl Desk {
    /// This month's scorecard on `today`: `compute` runs only when something was committed
    /// since the last one (or the day changed).
    pub fn memo_scorecard(
        &self,
        today: chrono::NaiveDate,
        compute: impl FnOnce() -> Result<crate::report::scorecard::Report, String>,
    ) -> Result<crate::report::scorecard::Report, String> {
        let seq = self.last_seq();
        let mut memo = self.scorecard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((s, d, r)) = memo.as_ref() {
            if *s == seq && *d == today {
                return Ok(r.clone());
            }
        }
        let r = compute()?;
        *memo = Some((seq, today, r.clone()));
        Ok(r)
    }

    /// Opens the desk on a data directory: configuration, units, holiday calendar, store.
    pub fn open(dir: &Path) -> Result<Desk, DeskError> {
        Desk::open_with(dir, crate::store::OpenOptions::default())
    }

    /// Like `open`, with the store's seal key and progress reporting.
    pub fn open_with(dir: &Path, opts: crate::store::OpenOptions) -> Result<Desk, DeskError> {
        let mut config = Config::load(dir)?;
        let units = config::load_units(dir)?;
        config.check_units(&units)?;
        let calendar = Calendar::builtin().with_user_file(&dir.join("holidays.toml"))?;
        let mut store = Store::open_with(dir, opts)?;
        store.set_district(config.district.as_ref().map(|d| d.code.clone()));
        Ok(Desk {
            store,
            calendar,
            config,
            units,
            enterprises: OnceLock::new(),
            index: OnceLock::new(),
            scorecard: Default::default(),
        })
    }

    pub fn dir(&self) -> PathBuf {
        self.store.dir().to_path_buf()
    }

    /// The store, to read (the city feed reads the journal itself).
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn enterprise_map(&self) -> &HashMap<String, Enterprise> {
        self.enterprises.get_or_init(|| {
            self.store
                .enterprises()
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.credit_code.clone(), e))
                .collect()
        })
    }

    /// The enterprise search index: saved beside the view once built, so that a new process
    /// loads it in milliseconds instead of working out every name's pinyin again.
    fn search_index(&self) -> &EnterpriseIndex {
        self.index.get_or_init(|| {
            let key = self.store.enterprises_at();
            if let Some(idx) = self
                .store
                .cache_get(SEARCH_CACHE, key)
                .and_then(|b| EnterpriseIndex::from_bytes(&b))
            {
                return idx;
            }
            let mut idx = EnterpriseIndex::new();
            let mut list: Vec<&Enterprise> = self.enterprise_map().values().collect();
            // VIP first, then by name: the order an empty query shows.
            list.sort_by(|a, b| {
                b.is_vip()
                    .cmp(&a.is_vip())
                    .then_with(|| a.name.cmp(&b.name))
            });
            for e in list {
                idx.upsert(&e.credit_code, &e.name);
            }
            self.store.cache_put(SEARCH_CACHE, key, &idx.to_bytes());
            idx
        })
    }

    /// Executes one command as officer `by` at time `now`, with every right (the local
    /// machine's administrator: the command line without a server).
    pub fn execute(
        &mut self,
        by: &str,
        now: NaiveDateTime,
        cmd: Command,
    ) -> Result<Outcome, DeskError> {
        self.execute_as(
            &crate::domain::Account::local_admin(by.trim()),
            now,
            cmd,
            None,
        )
    }

    /// Executes one command for `account`, if its role allows it (`domain::policy`), recorded
    /// under the account's name. `seen` is the version of the issue the officer acted on:
    /// if it has changed since, the command is refused with who changed it, when and how.
    pub fn execute_as(
        &mut self,
        account: &crate::domain::Account,
        now: NaiveDateTime,
        cmd: Command,
        seen: Option<u64>,
    ) -> Result<Outcome, DeskError> {
        let target = match cmd.issue_id() {
            Some(id) => Some(self.issue(id)?),
            None => None,
        };
        if let Err(r) = crate::domain::policy::authorize(account, cmd.act(), target.as_ref()) {
            tracing::warn!(account = %account.name, role = account.role.key(), act = cmd.act().en(), "refused");
            return Err(DeskError::Refused(r));
        }
        if let (Some(issue), Some(v)) = (&target, seen) {
            if issue.version != v {
                return Err(self.conflict(issue));
            }
        }
        let by = account.author().trim();
        if by.is_empty() {
            return Err(DeskError::invalid("officer", "", Problem::Empty));
        }
        let mut created = None;
        let events = match cmd {
            Command::SaveEnterprise { enterprise } => vec![EventKind::EnterpriseSaved {
                enterprise: self.check_enterprise(enterprise)?,
            }],
            Command::ImportEnterprises { enterprises } => {
                let mut out = Vec::with_capacity(enterprises.len());
                for e in enterprises {
                    out.push(EventKind::EnterpriseSaved {
                        enterprise: self.check_enterprise(e)?,
                    });
                }
                out
            }
            Command::LogIssue { issue } => {
                if issue.channel == crate::domain::Channel::Residency {
                    return Err(DeskError::invalid(
                        "channel",
                        issue.channel.key(),
                        Problem::Rule(residency::RuleProblem::NeedsPlacement),
                    ));
                }
                let (id, logged) = self.log_issue(issue, now)?;
                created = Some(id);
                vec![logged]
            }
            Command::LogResidencyIssue {
                mut issue,
                placement,
                cadre,
            } => {
                let cadre = self.residency_issue(&mut issue, placement, &cadre, now.date())?;
                let (id, logged) = self.log_issue(issue, now)?;
                created = Some(id);
                vec![
                    logged,
                    EventKind::ResidencyIssueLinked {
                        issue: id,
                        placement,
                        cadre,
                    },
                ]
            }
            Command::SaveRound { round } => vec![self.save_round(round)?],
            Command::CloseRound { no, note } => vec![self.close_round(no, &note)?],
            Command::SaveOrder { order } => vec![self.save_order(order)?],
            Command::Place {
                round,
                enterprise,
                cadres,
            } => {
                let (id, e) = self.place(round, &enterprise, cadres)?;
                created = Some(id);
                vec![e]
            }
            Command::VoidPlacement { placement, reason } => {
                vec![self.void_placement(placement, &reason)?]
            }
            Command::RecordChecklist {
                placement,
                cadre,
                item,
            } => vec![self.checklist(placement, &cadre, item)?],
            Command::VoidChecklist {
                placement,
                cadre,
                index,
                reason,
            } => vec![self.void_checklist(placement, &cadre, index, &reason)?],
            Command::ScoreCadre {
                placement,
                cadre,
                score,
            } => vec![self.score(placement, &cadre, score, now.date())?],
            Command::RequestExtension { placement, reason } => {
                vec![self.extension(placement, &reason)?]
            }
            Command::Assign {
                id,
                unit,
                helpers,
                reason,
            } => {
                self.issue(id)?;
                let unit = self.lead_unit(&unit, "unit")?;
                let mut hs = Vec::new();
                for h in helpers.iter().filter(|h| !h.trim().is_empty()) {
                    let h = self.lead_unit(h, "helpers")?;
                    if h != unit && !hs.contains(&h) {
                        hs.push(h);
                    }
                }
                vec![EventKind::IssueAssigned {
                    id,
                    unit,
                    helpers: hs,
                    reason: short("reason", &reason, false)?,
                }]
            }
            Command::Receive { id } => {
                let issue = self.issue(id)?;
                vec![EventKind::IssueReceived {
                    id,
                    unit: issue.unit.clone().unwrap_or_default(),
                }]
            }
            Command::Transfer { id, to, reason } => {
                let issue = self.issue(id)?;
                let to = self.lead_unit(&to, "unit")?;
                if issue.unit.as_deref() == Some(to.as_str()) {
                    // The officer chose a unit by its name: say it back by name, not its id.
                    let name = self.units.name_of(&to, self.config.lang.is_en());
                    return Err(DeskError::invalid("unit", name, Problem::SameUnit));
                }
                let from = issue.unit.clone().unwrap_or_default();
                vec![EventKind::IssueTransferred {
                    id,
                    from,
                    to,
                    reason: short("reason", &reason, true)?,
                }]
            }
            Command::Return { id, reason } => {
                let issue = self.issue(id)?;
                let from = issue.unit.clone().unwrap_or_default();
                vec![EventKind::IssueReturned {
                    id,
                    from,
                    reason: short("reason", &reason, true)?,
                }]
            }
            Command::RecordContact { id, note } => {
                self.issue(id)?;
                vec![EventKind::ContactRecorded {
                    id,
                    note: opt_long("note", &note)?,
                }]
            }
            Command::Reply { id, text } => {
                self.issue(id)?;
                vec![EventKind::ReplyRecorded {
                    id,
                    text: long("reply", &text)?,
                }]
            }
            Command::Resolve { id, note } => {
                self.issue(id)?;
                vec![EventKind::IssueResolved {
                    id,
                    note: opt_long("note", &note)?,
                }]
            }
            Command::Evaluate { id, mut evaluation } => {
                self.issue(id)?;
                evaluation.comment = opt_long("comment", &evaluation.comment)?;
                evaluation.validate().map_err(|e| {
                    let v = format!(
                        "{}/{}/{}",
                        evaluation.closeness, evaluation.integrity, evaluation.satisfaction
                    );
                    DeskError::invalid("evaluation", v, Problem::Evaluation(e))
                })?;
                vec![EventKind::IssueEvaluated { id, evaluation }]
            }
            Command::Reopen { id, reason } => {
                self.issue(id)?;
                vec![EventKind::IssueReopened {
                    id,
                    reason: short("reason", &reason, true)?,
                }]
            }
            Command::Void { id, reason } => {
                self.issue(id)?;
                vec![EventKind::IssueVoided {
                    id,
                    reason: short("reason", &reason, true)?,
                }]
            }
            Command::Supervise { id, reason } => {
                self.issue(id)?;
                vec![EventKind::IssueSupervised {
                    id,
                    reason: short("reason", &reason, true)?,
                    level: crate::domain::SupervisionLevel::General,
                    due: None,
                }]
            }
            Command::SuperviseAt {
                id,
                reason,
                level,
                due,
            } => {
                self.issue(id)?;
                let reason = short("reason", &reason, true)?;
                let due = match due {
                    Some(d) => Some(self.supervision_due(d, now.date())?),
                    None => None,
                };
                vec![EventKind::IssueSupervised {
                    id,
                    reason,
                    level,
                    due,
                }]
            }
            Command::AddNote { id, text } => {
                self.issue(id)?;
                vec![EventKind::NoteAdded {
                    id,
                    text: long("note", &text)?,
                }]
            }
            Command::BeginShift { mut officer } => {
                // The account signs in, not a name typed on the screen.
                officer.name = by.to_string();
                officer.name = short("officer", &officer.name, true)?;
                officer.unit = short("unit", &officer.unit, true)?;
                let id = self.store.max_shift_id()? + 1;
                created = Some(id);
                vec![EventKind::ShiftBegun { id, officer }]
            }
            Command::SaveShiftNotes { id, notes } => {
                self.shift(id)?;
                vec![EventKind::ShiftNotesSaved {
                    id,
                    notes: opt_long("note", &notes)?,
                }]
            }
            Command::EndShift { id, brief } => {
                self.shift(id)?;
                vec![EventKind::ShiftEnded { id, brief }]
            }
            Command::SignOff { id } => {
                let shift = self.shift(id)?;
                let brief = crate::report::handover::draft_from_desk(
                    self,
                    Some(&shift),
                    shift.started_at,
                    now,
                    &shift.officer.name,
                )?;
                let brief = crate::report::handover::for_filing(brief)?;
                vec![EventKind::ShiftEnded { id, brief }]
            }
            Command::SaveAccount { account } => vec![EventKind::AccountSaved {
                account: self.check_account(account)?,
            }],
            Command::DisableAccount { name, reason } => {
                self.account(&name)?;
                vec![EventKind::AccountDisabled {
                    name,
                    reason: opt_short("reason", &reason)?,
                }]
            }
            Command::AccountKeyAdded { name, fingerprint } => {
                self.account(&name)?;
                vec![EventKind::AccountKeyAdded { name, fingerprint }]
            }
            Command::AccountPasswordSet { name } => {
                self.account(&name)?;
                vec![EventKind::AccountPasswordSet { name }]
            }
            Command::AcknowledgeHandover { id } => {
                self.shift(id)?;
                vec![EventKind::HandoverAcknowledged {
                    id,
                    officer: by.to_string(),
                }]
            }
            Command::RecordInspection { inspection: n } => {
                // A report of an inspection that has not happened yet is a typo; it would
                // also skew the 30-day counts and the no-disturbance statistics.
                if n.date > now.date() {
                    return Err(DeskError::invalid(
                        "date",
                        n.date.to_string(),
                        Problem::FutureDate(now.date()),
                    ));
                }
                // Reports are filed soon after the inspection (凡检必报); one dated more than a
                // year back is a mistyped year, not a late report.
                let earliest = earliest_inspection_date(now.date());
                if n.date < earliest {
                    return Err(DeskError::invalid(
                        "date",
                        n.date.to_string(),
                        Problem::TooOld(earliest),
                    ));
                }
                let ent = self.enterprise(&n.enterprise)?;
                let unit = short("unit", &n.unit, true)?;
                // Units outside the configured list file inspections too: keep the name as given.
                let unit = self.units.find(&unit).map_or(unit, |u| u.id.clone());
                let id = self.store.max_inspection_id()? + 1;
                created = Some(id);
                vec![EventKind::InspectionRecorded {
                    inspection: Inspection {
                        id,
                        unit,
                        enterprise: ent.credit_code.clone(),
                        enterprise_name: ent.name.clone(),
                        date: n.date,
                        kind: n.kind,
                        exemption: n.exemption,
                        by: n.by,
                        inspectors: opt_short("inspectors", &n.inspectors)?,
                        result: opt_long("result", &n.result)?,
                        filed_at: now,
                        filed_by: by.to_string(),
                    },
                }]
            }
        };
        let recs = self.store.commit(now, by, events).map_err(|e| match e {
            CommitError::Rejected { error, .. } => DeskError::from(error),
            CommitError::Store(s) => DeskError::Store(s),
        })?;
        self.after_commit(&recs);
        let issue = match recs.first().map(|r| r.event.target()) {
            Some(crate::domain::Target::Issue(id)) => {
                self.store.issue(id)?.map(|i| self.settled(i))
            }
            _ => None,
        };
        Ok(Outcome {
            events: recs,
            issue,
            created,
        })
    }

    /// An issue as logged at the desk: checked, numbered, its deadlines fixed.
    fn log_issue(
        &self,
        issue: NewIssue,
        now: NaiveDateTime,
    ) -> Result<(u64, EventKind), DeskError> {
        let ent = self.enterprise(&issue.enterprise)?;
        let category = self.check_category(&issue.category)?;
        let contact_name = short("contact", &issue.contact_name, false)?;
        let phone = if issue.phone.trim().is_empty() {
            String::new()
        } else {
            phone::normalize(&issue.phone)
                .ok_or_else(|| DeskError::invalid("phone", issue.phone.trim(), Problem::Phone))?
        };
        let description = long("description", &issue.description)?;
        let id = self.store.max_issue_id()? + 1;
        let dl = self.config.deadlines.deadlines(&self.calendar, now.date());
        Ok((
            id,
            EventKind::IssueLogged {
                id,
                enterprise: ent.credit_code.clone(),
                enterprise_name: ent.name.clone(),
                category,
                channel: issue.channel,
                contact_name,
                phone,
                description,
                contact_due: dl.contact_due,
                reply_due: dl.reply_due,
                beyond_calendar: dl.beyond_calendar,
            },
        ))
    }

    /// Who last changed an issue, when and how: the refusal of a command made on what the
    /// officer saw before that change.
    fn conflict(&self, issue: &Issue) -> DeskError {
        let last = self
            .store
            .history(issue.id)
            .ok()
            .and_then(|h| h.last().cloned());
        let unit_name = |u: &str| self.units.name_of(u, self.config.lang.is_en()).to_string();
        match last {
            Some(r) => {
                let detail = r.event.detail(&unit_name);
                let name = if self.config.lang.is_en() {
                    r.event.name().replace('_', " ")
                } else {
                    r.event.zh().to_string()
                };
                DeskError::Conflict {
                    id: issue.id,
                    by: r.by,
                    at: r.at,
                    what: format!("{name} {detail}").trim().to_string(),
                }
            }
            None => DeskError::Conflict {
                id: issue.id,
                by: String::new(),
                at: issue.updated_at,
                what: String::new(),
            },
        }
    }

    /// The accounts of the shared desk.
    pub fn accounts(&self) -> Vec<crate::domain::AccountRecord> {
        self.store.accounts()
    }

    /// One account, by login name.
    pub fn account(&self, name: &str) -> Result<crate::domain::AccountRecord, DeskError> {
        self.store
            .accounts()
            .into_iter()
            .find(|a| a.account.name == name)
            .ok_or_else(|| DeskError::Apply(crate::domain::ApplyError::NoAccount(name.into())))
    }

    /// Checks an account's fields: a login name SSH accepts, a lead unit for a unit account.
    fn check_account(
        &self,
        mut a: crate::domain::Account,
    ) -> Result<crate::domain::Account, DeskError> {
        let name = a.name.trim().to_string();
        let ok = !name.is_empty()
            && name.len() <= 32
            && name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !ok {
            return Err(DeskError::invalid("name", name, Problem::LoginName));
        }
        a.name = name;
        a.display = opt_short("display", &a.display)?;
        a.unit = match (a.role, a.unit.as_deref().map(str::trim)) {
            (crate::domain::Role::Unit, None | Some("")) => {
                return Err(DeskError::invalid("unit", "", Problem::Empty))
            }
            (_, Some(u)) if !u.is_empty() => Some(self.lead_unit(u, "unit")?),
            _ => None,
        };
        Ok(a)
    }

    /// Keeps the in-memory enterprise map and search index in step.
    fn after_commit(&mut self, recs: &[Recorded]) {
        for r in recs {
            if let EventKind::EnterpriseSaved { enterprise } = &r.event {
                if let Some(m) = self.enterprises.get_mut() {
                    m.insert(enterprise.credit_code.clone(), enterprise.clone());
                }
                if let Some(idx) = self.index.get_mut() {
                    idx.upsert(&enterprise.credit_code, &enterprise.name);
                }
            }
        }
    }

    fn check_enterprise(&self, e: Enterprise) -> Result<Enterprise, DeskError> {
        validate_enterprise(e)
    }

    fn check_category(&self, c: &str) -> Result<String, DeskError> {
        let c = c.trim();
        if c.is_empty() {
            return Err(DeskError::invalid("category", "", Problem::Empty));
        }
        match self.config.categories.iter().find(|k| k.as_str() == c) {
            Some(k) => Ok(k.clone()),
            None => Err(DeskError::invalid(
                "category",
                c,
                Problem::OneOf(self.config.categories.clone()),
            )),
        }
    }

    /// The day a supervision set on `today` is due: after today, in a year the holiday
    /// calendar knows (a due date counted on guessed holidays would be wrong).
    pub fn supervision_due(
        &self,
        due: crate::domain::DueSpec,
        today: NaiveDate,
    ) -> Result<NaiveDate, DeskError> {
        use crate::domain::DueSpec;
        let (date, shown) = match due {
            DueSpec::Workdays(0) => {
                return Err(DeskError::invalid("due", "0", Problem::NotAfter(today)))
            }
            DueSpec::Workdays(n) => {
                let d = self.calendar.add_workdays(today, n);
                if d.beyond_calendar {
                    return Err(DeskError::invalid(
                        "due",
                        n.to_string(),
                        Problem::BeyondCalendar(self.calendar.known_years()),
                    ));
                }
                (d.date, n.to_string())
            }
            DueSpec::Date(d) => (d, d.to_string()),
        };
        if date <= today {
            return Err(DeskError::invalid("due", shown, Problem::NotAfter(today)));
        }
        if !self.calendar.knows(chrono::Datelike::year(&date)) {
            return Err(DeskError::invalid(
                "due",
                shown,
                Problem::BeyondCalendar(self.calendar.known_years()),
            ));
        }
        Ok(date)
    }

    /// Resolves a unit key to the id of a lead unit.
    pub fn lead_unit(&self, key: &str, field: &'static str) -> Result<String, DeskError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(DeskError::invalid(field, "", Problem::Empty));
        }
        match self.units.find(key) {
            Some(u) if u.kind == UnitKind::Lead => Ok(u.id.clone()),
            Some(_) => Err(DeskError::invalid(field, key, Problem::NotLeadUnit)),
            None => Err(DeskError::invalid(
                field,
                key,
                Problem::OneOf(
                    self.units
                        .leads()
                        .map(|u| format!("{} ({})", u.id, u.name))
                        .collect(),
                ),
            )),
        }
    }

    // ----- queries -----
    //
    // Every issue and fact leaves the desk settled: deadlines that were provisional when
    // logged are counted again with the calendar opened now (`DeadlineRule::settle`), so once
    // a year's notice is added to `holidays.toml`, every list, detail, brief and report shows
    // the final dates without the mark. The journal and the view keep what was recorded.

    /// An issue's record with its deadlines as they stand under the current calendar.
    fn settled(&self, mut i: Issue) -> Issue {
        if i.provisional() {
            self.config.deadlines.settle_issue(&self.calendar, &mut i);
        }
        i
    }

    fn settled_all(&self, mut v: Vec<Issue>) -> Vec<Issue> {
        for i in v.iter_mut().filter(|i| i.provisional()) {
            self.config.deadlines.settle_issue(&self.calendar, i);
        }
        v
    }

    pub fn issue(&self, id: u64) -> Result<Issue, DeskError> {
        self.store
            .issue(id)?
            .map(|i| self.settled(i))
            .ok_or(DeskError::NotFound {
                what: Missing::Issue,
                key: id.to_string(),
            })
    }

    pub fn history(&self, id: u64) -> Result<Vec<Recorded>, DeskError> {
        Ok(self.store.history(id)?)
    }

    pub fn all_issues(&self) -> Result<Vec<Issue>, DeskError> {
        Ok(self.settled_all(self.store.issues()?))
    }

    /// Issues matching a filter, using the unit/status indexes where they narrow the scan. A
    /// unit given by name is looked up as its id.
    pub fn issues(&self, f: &IssueFilter, today: NaiveDate) -> Result<Vec<Issue>, DeskError> {
        let mut f = f.clone();
        if let Some(u) = &f.unit {
            f.unit = Some(
                self.units
                    .find(u)
                    .map_or_else(|| u.clone(), |u| u.id.clone()),
            );
        }
        // Only open issues can be overdue, supervised or escalated: those are in memory,
        // whatever the length of the history.
        let base = if f.only_open() {
            self.store.open_issues()
        } else if let Some(u) = &f.unit {
            self.store.issues_by_unit(u)?
        } else if let Some(s) = f.status {
            self.store.issues_by_status(s)?
        } else {
            self.store.issues()?
        };
        let c = f.compile(self.search_index());
        Ok(self
            .settled_all(base)
            .into_iter()
            .filter(|i| c.matches(i, today, |code| self.is_vip(code)))
            .collect())
    }

    /// The enterprises' search index (as the intake picker searches), for compiling issue
    /// filters whose text may be pinyin.
    pub fn enterprise_index(&self) -> &EnterpriseIndex {
        self.search_index()
    }

    /// Callbacks due (待回访): replied issues whose evaluation is owed, the oldest reply first,
    /// with the working days since the reply.
    pub fn callbacks_due(&self, today: NaiveDate) -> Vec<Callback> {
        callbacks_due(&self.calendar, self.store.open_issues(), today)
    }

    pub fn issues_of_enterprise(&self, code: &str) -> Result<Vec<Issue>, DeskError> {
        Ok(self.settled_all(self.store.issues_by_enterprise(code)?))
    }

    /// An enterprise by exact credit code.
    pub fn enterprise(&self, code: &str) -> Result<Enterprise, DeskError> {
        let code = code.trim().to_uppercase();
        self.enterprise_map()
            .get(&code)
            .cloned()
            .ok_or(DeskError::NotFound {
                what: Missing::Enterprise,
                key: code,
            })
    }

    pub fn enterprise_opt(&self, code: &str) -> Option<&Enterprise> {
        self.enterprise_map().get(code)
    }

    pub fn is_vip(&self, code: &str) -> bool {
        self.enterprise_map().get(code).is_some_and(|e| e.is_vip())
    }

    /// How many VIP key enterprises are registered.
    pub fn vip_count(&self) -> usize {
        self.enterprise_map()
            .values()
            .filter(|e| e.is_vip())
            .count()
    }

    pub fn enterprises(&self) -> Vec<Enterprise> {
        let mut v: Vec<Enterprise> = self.enterprise_map().values().cloned().collect();
        v.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
        v
    }

    /// Finds one enterprise by credit code, exact name, or a search that has one clear answer.
    pub fn find_enterprise(&self, key: &str) -> Result<Enterprise, DeskError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(DeskError::invalid("enterprise", "", Problem::Empty));
        }
        if let Some(e) = self.enterprise_map().get(&key.to_uppercase()) {
            return Ok(e.clone());
        }
        if let Some(e) = self.enterprise_map().values().find(|e| e.name == key) {
            return Ok(e.clone());
        }
        let hits = self.search_enterprises(key, 6);
        match hits.len() {
            0 => Err(DeskError::NotFound {
                what: Missing::Enterprise,
                key: key.to_string(),
            }),
            1 => Ok(hits[0].clone()),
            _ => Err(DeskError::Ambiguous {
                key: key.to_string(),
                candidates: hits.into_iter().map(|e| e.name).collect(),
            }),
        }
    }

    /// Enterprises by name, pinyin, initials or credit code, best first.
    pub fn search_enterprises(&self, query: &str, limit: usize) -> Vec<Enterprise> {
        let idx = self.search_index();
        let map = self.enterprise_map();
        idx.search(query, limit)
            .into_iter()
            .filter_map(|h| map.get(idx.credit_code(h.id)).cloned())
            .collect()
    }

    /// Builds the search index now (so the first keystroke does not pay for it).
    pub fn warm_search(&self) {
        let _ = self.search_index();
    }

    pub fn shift(&self, id: u64) -> Result<Shift, DeskError> {
        self.store.shift(id)?.ok_or(DeskError::NotFound {
            what: Missing::Shift,
            key: id.to_string(),
        })
    }
    /// Every shift, oldest first, without its brief (`shift(id)` reads it).
    pub fn shifts(&self) -> Result<Vec<Shift>, DeskError> {
        Ok(self.store.shifts()?)
    }
    /// Shifts not yet signed off, oldest first (each officer resumes their own).
    pub fn open_shifts(&self) -> Result<Vec<Shift>, DeskError> {
        let mut v = self.store.shifts()?;
        v.retain(|s| s.ended_at.is_none());
        Ok(v)
    }

    /// The most recent shift not yet signed off, if any.
    pub fn open_shift(&self) -> Result<Option<Shift>, DeskError> {
        let open = self
            .store
            .shifts()?
            .into_iter()
            .rev()
            .find(|s| s.ended_at.is_none());
        Ok(open)
    }

    /// The most recent signed-off shift whose brief nobody has acknowledged yet, with the
    /// brief: the incoming officer sees it first.
    pub fn pending_handover(&self) -> Result<Option<Shift>, DeskError> {
        let shifts = self.store.shifts()?;
        let last_ended = shifts.into_iter().rev().find(|s| s.ended_at.is_some());
        match last_ended.filter(|s| s.acknowledged.is_none()) {
            Some(s) => Ok(self.store.shift(s.id)?),
            None => Ok(None),
        }
    }

    /// The earliest handover brief signed off in the last three days and not yet
    /// acknowledged, by someone other than `account` (a desk officer does not acknowledge
    /// their own), with the brief: the incoming officer sees each in turn, in any session.
    pub fn pending_handover_for(
        &self,
        account: &crate::domain::Account,
        now: NaiveDateTime,
    ) -> Result<Option<Shift>, DeskError> {
        if !matches!(
            account.role,
            crate::domain::Role::Desk | crate::domain::Role::Admin
        ) {
            return Ok(None);
        }
        let since = now - chrono::Duration::days(3);
        let next = self.store.shifts()?.into_iter().find(|s| {
            s.acknowledged.is_none()
                && s.ended_at.is_some_and(|t| t >= since)
                && s.officer.name != account.author()
        });
        match next {
            Some(s) => Ok(self.store.shift(s.id)?),
            None => Ok(None),
        }
    }

    /// Issues not yet closed or voided, by id (kept in memory: cheap however long the history).
    pub fn open_issues(&self) -> Result<Vec<Issue>, DeskError> {
        Ok(self.settled_all(self.store.open_issues()))
    }

    /// Highest issue id so far (issues are numbered from 1 without gaps).
    pub fn max_issue_id(&self) -> u64 {
        self.store.max_issue_id().unwrap_or(0)
    }

    /// The last day an issue of the enterprise was logged or contacted.
    pub fn last_touched(&self, code: &str) -> Option<NaiveDate> {
        self.store.last_touched(code)
    }

    /// The newest `n` issues in a status that is not open (closed or voided), newest first,
    /// and how many there are in that status. Reads only those records.
    pub fn newest_in(&self, status: IssueStatus, n: usize) -> Result<Vec<Issue>, DeskError> {
        Ok(self.settled_all(self.store.newest_in(status, n)?))
    }

    /// How many open issues an enterprise has (the intake picker asks on every keystroke).
    pub fn open_count(&self, code: &str) -> usize {
        self.store.open_count(code)
    }

    /// Why the store is read-only, if it is (a damaged or shortened journal).
    pub fn degraded(&self) -> Option<crate::store::Degraded> {
        self.store.degraded()
    }

    /// Facts of the issue events recorded in `[from, to)`, in time order, their deadlines
    /// settled like the issues'.
    pub fn facts(&self, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<Fact>, DeskError> {
        let mut facts = self.store.facts(from, to)?;
        for f in facts.iter_mut().filter(|f| f.provisional) {
            self.config.deadlines.settle_fact(&self.calendar, f);
        }
        Ok(facts)
    }

    pub fn inspections(&self) -> Result<Vec<Inspection>, DeskError> {
        Ok(self.store.inspections()?)
    }
    /// The full event history, oldest first.
    pub fn events(&self) -> Result<Vec<Recorded>, DeskError> {
        Ok(self.store.events()?)
    }

    /// Urgency of an issue's next deadline on `today`.
    pub fn urgency(&self, issue: &Issue, today: NaiveDate) -> Option<Urgency> {
        urgency(&self.calendar, issue, today)
    }

    /// The JSON/table view of an issue.
    pub fn view(&self, issue: &Issue, today: NaiveDate) -> IssueView {
        IssueView::new(issue, self, today)
    }

    /// Checks the journal (chain, batches, seals under `key` or the store's own), the given
    /// witnesses, and the view's content; a view that does not match is rebuilt.
    pub fn verify(
        &self,
        witnesses: &[Witness],
        key: Option<&SealKey>,
    ) -> Result<VerifyReport, DeskError> {
        Ok(self.store.verify(witnesses, key)?)
    }
    pub fn rebuild(&mut self) -> Result<u64, DeskError> {
        self.store.rebuild_view()?;
        self.enterprises = OnceLock::new();
        self.index = OnceLock::new();
        Ok(self.store.last_seq())
    }
    pub fn backup(&self, dest: &Path) -> Result<u64, DeskError> {
        Ok(self.store.backup(dest)?)
    }
    pub fn restore(&mut self, src: &Path) -> Result<u64, DeskError> {
        let n = self.store.restore(src)?;
        self.enterprises = OnceLock::new();
        self.index = OnceLock::new();
        Ok(n)
    }
    /// Records already-formed events, each with its own time and author, in one durable
    /// commit (bulk loading and benchmarks). The store still checks every event against the
    /// records; nothing is written if one does not fit.
    pub fn bulk_commit(
        &mut self,
        events: Vec<(NaiveDateTime, String, EventKind)>,
    ) -> Result<usize, DeskError> {
        let recs = self.store.commit_each(events).map_err(|e| match e {
            CommitError::Rejected { error, .. } => DeskError::from(error),
            CommitError::Store(s) => DeskError::Store(s),
        })?;
        self.after_commit(&recs);
        Ok(recs.len())
    }

    /// Runs `f` as one all-or-nothing operation: its commits are acknowledged together at the
    /// end, and if `f` fails, or the process dies first, none of them is kept.
    pub fn all_or_nothing<T>(
        &mut self,
        f: impl FnOnce(&mut Desk) -> Result<T, DeskError>,
    ) -> Result<T, DeskError> {
        self.store.begin_batch()?;
        match f(self) {
            Ok(v) => {
                self.store.commit_batch()?;
                Ok(v)
            }
            Err(e) => {
                if let Err(abort) = self.store.abort_batch() {
                    tracing::error!("could not drop the unfinished batch: {abort}");
                }
                self.enterprises = OnceLock::new();
                self.index = OnceLock::new();
                Err(e)
            }
        }
    }

    /// Spaces the view's checkpoints for loading many events (bench, large imports).
    pub fn set_bulk(&mut self, bulk: bool) {
        self.store.set_bulk(bulk);
    }

    pub fn last_seq(&self) -> u64 {
        self.store.last_seq()
    }

    /// The events after `seq` committed by this process, if still kept (see
    /// `Store::events_after`).
    pub fn events_after(&self, seq: u64) -> Option<Vec<Recorded>> {
        self.store.events_after(seq)
    }
    /// The journal's head (event count and last hash), printed as a witness on briefs and
    /// reports.
    pub fn chain_head(&self) -> crate::store::ChainHead {
        self.store.chain_head()
    }
    pub fn flush(&mut self) -> Result<(), DeskError> {
        Ok(self.store.flush_view()?)
    }
}

/// Checks and normalises an enterprise's fields (credit code, name, phone, …): the one place
/// these rules live, used by the desk and by CSV import to report each row.
pub fn validate_enterprise(mut e: Enterprise) -> Result<Enterprise, DeskError> {
    e.credit_code = credit_code::validate(&e.credit_code).map_err(|p| {
        DeskError::invalid("credit_code", e.credit_code.trim(), Problem::CreditCode(p))
    })?;
    e.name = one_line("name", short("name", &e.name, true)?)?;
    e.district = one_line("district", opt_short("district", &e.district)?)?;
    e.contact = one_line("contact", opt_short("contact", &e.contact)?)?;
    if !e.phone.trim().is_empty() {
        if e.phone.contains('*') {
            return Err(DeskError::invalid(
                "phone",
                e.phone.trim(),
                Problem::MaskedPhone,
            ));
        }
        e.phone = phone::normalize(&e.phone)
            .ok_or_else(|| DeskError::invalid("phone", e.phone.trim(), Problem::Phone))?;
    }
    e.vip.sort();
    e.vip.dedup();
    Ok(e)
}

/// A one-line field (a name) may not hide controls, line breaks, bidi controls or invisible
/// characters: they make look-alike records and misalign every list.
fn one_line(field: &'static str, v: String) -> Result<String, DeskError> {
    match crate::sanitize::first_hidden(&v) {
        Some((pos, c)) => Err(DeskError::invalid(field, v, Problem::Hidden(pos, c))),
        None => Ok(v),
    }
}

/// Trims and checks a short field.
fn short(field: &'static str, v: &str, required: bool) -> Result<String, DeskError> {
    let v = v.trim();
    if required && v.is_empty() {
        return Err(DeskError::invalid(field, "", Problem::Empty));
    }
    if v.chars().count() > MAX_SHORT {
        return Err(DeskError::invalid(field, "", Problem::TooLong(MAX_SHORT)));
    }
    Ok(v.to_string())
}
fn opt_short(field: &'static str, v: &str) -> Result<String, DeskError> {
    short(field, v, false)
}
/// Required free text.
fn long(field: &'static str, v: &str) -> Result<String, DeskError> {
    let v = opt_long(field, v)?;
    if v.is_empty() {
        return Err(DeskError::invalid(field, "", Problem::Empty));
    }
    Ok(v)
}
fn opt_long(field: &'static str, v: &str) -> Result<String, DeskError> {
    let v = v.trim();
    if v.chars().count() > MAX_TEXT {
        return Err(DeskError::invalid(field, "", Problem::TooLong(MAX_TEXT)));
    }
    Ok(v.to_string())
}

/// The earliest inspection date accepted on `today`: the same day a year before.
pub fn earliest_inspection_date(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(today)
}

/// The callbacks due among `issues` on `today` (see [`Desk::callbacks_due`]): the rule of
/// `Issue::evaluation_owed`, the one the handover brief uses too.
pub fn callbacks_due(
    cal: &Calendar,
    issues: impl IntoIterator<Item = Issue>,
    today: NaiveDate,
) -> Vec<Callback> {
    let mut v: Vec<Callback> = issues
        .into_iter()
        .filter(Issue::evaluation_owed)
        .map(|issue| {
            let replied = issue.replied_at.map_or(today, |t| t.date());
            Callback {
                workdays_since_reply: cal.workdays_between(replied, today),
                issue,
            }
        })
        .collect();
    v.sort_by_key(|c| (c.issue.replied_at, c.issue.id));
    v
}

/// Statuses that count as open, for filters.
pub fn open_statuses() -> impl Iterator<Item = IssueStatus> {
    IssueStatus::ALL.into_iter().filter(|s| s.is_open())
}

#[cfg(test)]
mod tests;
