//! What the city copy is made of: the journal's events after a place, each with its exact
//! text and hashes, and the rows the city's tables need from them — the facts the scorecard
//! counts, the issues as they now stand, enterprises, units and inspections — worked out by
//! the desk with its own rules (deadlines settled on its calendar, working days, inspection
//! violations), so the city's figures are the district's.
//!
//! The feed keeps the issues it has seen that are still open; an issue first met after the
//! place it started from is read back from its own history, so a feed's cost follows the
//! events it sends, not the journal's length.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};

use crate::desk::{Desk, DeskError};
use crate::domain::{
    apply_issue, Enterprise, EventKind, Fact, FactKind, Issue, IssueStatus, Recorded, Target,
};
use crate::report::scorecard::{credits, DueTrack, Tally};
use crate::store::{Entry, Pos};

use super::CityError;

/// One event as the city keeps it.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub seq: u64,
    /// The district in the event's envelope (none before districts were configured).
    pub district: Option<String>,
    pub at: NaiveDateTime,
    pub by: String,
    /// The event's `type`.
    pub kind: String,
    /// The record it changed (`issue:12`, `enterprise:9144…`).
    pub target: String,
    pub hash: String,
    pub prev: String,
    /// The exact text the hash covers.
    pub body: String,
}

/// One issue event as the scorecard counts it.
#[derive(Debug, Clone)]
pub struct FactRow {
    pub fact: Fact,
    /// The unit it is credited to (`Fact::unit`).
    pub credit: Option<String>,
    /// Working days from the logging day to this event's day (for contacts and replies).
    pub workdays: Option<i64>,
}

/// An inspection as the scorecard counts it.
#[derive(Debug, Clone)]
pub struct InspectionRow {
    pub id: u64,
    pub unit: String,
    pub unit_name: String,
    pub unit_name_en: String,
    pub lead: bool,
    pub enterprise: String,
    pub date: NaiveDate,
    pub violation: bool,
    /// Not the enterprise's own copy of a filing the unit made.
    pub counted: bool,
}

/// One lead or coordinating unit of the district.
#[derive(Debug, Clone)]
pub struct UnitRow {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub lead: bool,
    pub ord: i32,
}

/// What one step of the feed sends.
#[derive(Debug, Default)]
pub struct Chunk {
    pub events: Vec<EventRow>,
    pub facts: Vec<FactRow>,
    /// The issues changed, as they stand after these events (deadlines settled).
    pub issues: Vec<Kept>,
    /// What these facts add to each unit's counts, by day.
    pub daily: BTreeMap<(NaiveDate, String), Tally>,
    pub enterprises: Vec<Enterprise>,
    /// All of the district's inspections, when one was recorded in these events (one new
    /// filing can make an earlier one a duplicate or a frequent one).
    pub inspections: Option<Vec<InspectionRow>>,
    /// The last committed place of the journal at or before the last of these events (a
    /// large batch is sent in several chunks: inside it, the place before the batch).
    pub place: Option<Pos>,
}

/// A feed from a place in the journal.
pub struct Feed {
    /// A committed place at or before `sent`.
    pub place: Pos,
    /// The last event the city holds, and its hash.
    pub sent: u64,
    pub sent_hash: String,
    /// The rest of a batch read but not all sent yet, and the place after it.
    pending: Vec<Entry>,
    taken: usize,
    pending_end: Option<Pos>,
    /// Open issues as of `sent` that the feed has seen.
    known: HashMap<u64, Kept>,
}

/// An issue as the feed follows it: its record and its two deadlines.
#[derive(Debug, Clone)]
pub struct Kept {
    pub issue: Issue,
    pub contact: DueTrack,
    pub reply: DueTrack,
}

impl Kept {
    /// Takes in the issue's next event (its fact made with `fact_row`).
    fn step(before: Option<Kept>, after: Issue, f: &Fact) -> Kept {
        let mut k = before.unwrap_or(Kept {
            issue: after.clone(),
            contact: DueTrack::default(),
            reply: DueTrack::default(),
        });
        k.issue = after;
        k.contact.step(f.contact_due, FactKind::Contacted, f);
        k.reply.step(f.reply_due, FactKind::Replied, f);
        k
    }
}

/// Issue `id` as it stood just before event `before` (every event for `u64::MAX`), from its
/// own history.
pub fn replay(desk: &Desk, id: u64, before: u64) -> Result<Option<Kept>, DeskError> {
    let mut state: Option<Kept> = None;
    for r in desk.store().history(id)? {
        if r.seq >= before {
            break;
        }
        let prev = state.as_ref().map(|k| &k.issue);
        if let Ok(next) = apply_issue(prev, &r) {
            let f = fact_row(desk, prev, &next, &r);
            state = Some(Kept::step(state, next, &f.fact));
        }
    }
    Ok(state)
}

/// What reading a chunk worked out, kept apart until the chunk is stored (`advance`).
pub struct Staged {
    known: HashMap<u64, Option<Kept>>,
    taken: usize,
    fresh: Option<(Vec<Entry>, Pos)>,
    last: Option<(u64, String)>,
}

impl Feed {
    /// A feed after event `sent` (with hash `sent_hash`), reading from `place`, a committed
    /// place at or before it.
    pub fn resume(place: Pos, sent: u64, sent_hash: String) -> Feed {
        Feed {
            place,
            sent,
            sent_hash,
            pending: Vec::new(),
            taken: 0,
            pending_end: None,
            known: HashMap::new(),
        }
    }

    /// The next events after `sent`, up to `max`, and the rows they make. The feed moves on
    /// only with `advance`, once the chunk is stored.
    pub fn read(&self, desk: &Desk, max: usize) -> Result<(Chunk, Staged), CityError> {
        let max = max.max(1);
        let mut fresh: Option<(Vec<Entry>, Pos)> = None;
        if self.taken >= self.pending.len() {
            let mut from = self.place.clone();
            loop {
                let (es, end) = desk.store().read_from(&from, max)?;
                if let Some(e) = es.iter().find(|e| e.rec.seq == self.sent) {
                    // Resuming inside a batch: the event the city holds last must be ours.
                    if e.hash != self.sent_hash {
                        return Err(CityError::Rewritten {
                            district: district_code(desk),
                            seq: self.sent,
                            city: self.sent_hash.clone(),
                            local: Some(e.hash.clone()),
                        });
                    }
                }
                let es: Vec<Entry> = es.into_iter().filter(|e| e.rec.seq > self.sent).collect();
                let moved = end.offset > from.offset;
                if es.is_empty() && moved {
                    from = end;
                    continue;
                }
                fresh = Some((es, end));
                break;
            }
        }
        let (slice, end): (&[Entry], &Pos) = match &fresh {
            Some((es, end)) => (es, end),
            None => (
                &self.pending[self.taken..],
                self.pending_end.as_ref().unwrap_or(&self.place),
            ),
        };
        let n = slice.len().min(max);
        let mut staged = Staged {
            known: HashMap::new(),
            taken: n,
            fresh: None,
            last: None,
        };
        let mut chunk = Chunk::default();
        if n == 0 {
            staged.fresh = fresh;
            return Ok((chunk, staged));
        }
        chunk.place = Some(if n == slice.len() {
            end.clone()
        } else {
            self.place.clone()
        });
        let mut prev = self.sent_hash.clone();
        let mut touched: BTreeMap<u64, ()> = BTreeMap::new();
        let mut enterprises: BTreeMap<String, Enterprise> = BTreeMap::new();
        let mut inspections = false;
        for e in &slice[..n] {
            let rec = &e.rec;
            chunk.events.push(EventRow {
                seq: rec.seq,
                district: rec.district.clone(),
                at: rec.at,
                by: rec.by.clone(),
                kind: event_type(e.body.as_deref().unwrap_or_default()),
                target: target_key(rec.event.target()),
                hash: e.hash.clone(),
                prev: std::mem::replace(&mut prev, e.hash.clone()),
                body: e.body.as_deref().unwrap_or_default().to_string(),
            });
            match (&rec.event, rec.event.target()) {
                (EventKind::EnterpriseSaved { enterprise }, _) => {
                    enterprises.insert(enterprise.credit_code.clone(), enterprise.clone());
                }
                (EventKind::InspectionRecorded { .. }, _) => inspections = true,
                (_, Target::Issue(id)) => {
                    let before = self.state_before(desk, &staged, id, rec)?;
                    let prev = before.as_ref().map(|k| &k.issue);
                    // An event the journal holds was valid when recorded: one that no longer
                    // applies (it cannot happen) is sent without a fact.
                    let Ok(after) = apply_issue(prev, rec) else {
                        continue;
                    };
                    let row = fact_row(desk, prev, &after, rec);
                    let kept = Kept::step(before, after, &row.fact);
                    for (unit, delta) in credits(&row.fact, row.workdays.unwrap_or(0)) {
                        chunk
                            .daily
                            .entry((row.fact.at.date(), unit))
                            .or_default()
                            .add(&delta);
                    }
                    chunk.facts.push(row);
                    staged.known.insert(id, Some(kept));
                    touched.insert(id, ());
                }
                _ => {}
            }
        }
        staged.last = Some((slice[n - 1].rec.seq, slice[n - 1].hash.clone()));
        for id in touched.keys() {
            if let Some(Some(kept)) = staged.known.get(id) {
                let mut k = kept.clone();
                desk.config
                    .deadlines
                    .settle_issue(&desk.calendar, &mut k.issue);
                chunk.issues.push(k);
            }
        }
        chunk.enterprises = enterprises.into_values().collect();
        if inspections {
            chunk.inspections = Some(inspection_rows(desk)?);
        }
        staged.fresh = fresh;
        Ok((chunk, staged))
    }

    /// The chunk read with `staged` is stored: move past it.
    pub fn advance(&mut self, staged: Staged) {
        for (id, kept) in staged.known {
            match kept {
                Some(k) if !matches!(k.issue.status, IssueStatus::Closed | IssueStatus::Voided) => {
                    self.known.insert(id, k);
                }
                // Closed issues are rarely touched again: read back if they are.
                _ => {
                    self.known.remove(&id);
                }
            }
        }
        if let Some((es, end)) = staged.fresh {
            self.pending = es;
            self.taken = 0;
            self.pending_end = Some(end);
        }
        self.taken += staged.taken;
        if let Some((seq, hash)) = staged.last {
            self.sent = seq;
            self.sent_hash = hash;
        }
        if self.taken >= self.pending.len() {
            if let Some(end) = self.pending_end.take() {
                self.place = end;
            }
            self.pending.clear();
            self.taken = 0;
        }
    }

    /// The issue as it stood just before `rec`.
    fn state_before(
        &self,
        desk: &Desk,
        staged: &Staged,
        id: u64,
        rec: &Recorded,
    ) -> Result<Option<Kept>, DeskError> {
        if matches!(rec.event, EventKind::IssueLogged { .. }) {
            return Ok(None);
        }
        if let Some(s) = staged.known.get(&id) {
            return Ok(s.clone());
        }
        if let Some(k) = self.known.get(&id) {
            return Ok(Some(k.clone()));
        }
        replay(desk, id, rec.seq)
    }
}

fn district_code(desk: &Desk) -> String {
    desk.config
        .district
        .as_ref()
        .map(|d| d.code.clone())
        .unwrap_or_default()
}

fn fact_row(desk: &Desk, before: Option<&Issue>, after: &Issue, rec: &Recorded) -> FactRow {
    let mut fact = Fact::of(before, after, rec);
    desk.config.deadlines.settle_fact(&desk.calendar, &mut fact);
    let workdays = matches!(fact.kind, FactKind::Contacted | FactKind::Replied).then(|| {
        desk.calendar
            .workdays_between(fact.logged_at.date(), fact.at.date())
    });
    FactRow {
        credit: fact.unit().map(str::to_string),
        fact,
        workdays,
    }
}

/// The district's inspections as the scorecard counts them.
pub fn inspection_rows(desk: &Desk) -> Result<Vec<InspectionRow>, DeskError> {
    let list = desk.inspections()?;
    let rows = crate::report::inspections::analyse(
        &list,
        &desk.config.quiet_days,
        desk.config.max_inspections_30d,
    );
    Ok(rows
        .into_iter()
        .map(|r| {
            let unit = r.inspection.unit;
            InspectionRow {
                id: r.inspection.id,
                unit_name: desk.units.name_of(&unit, false).to_string(),
                unit_name_en: desk.units.name_of(&unit, true).to_string(),
                lead: desk.units.leads().any(|u| u.id == unit),
                unit,
                enterprise: r.inspection.enterprise,
                date: r.inspection.date,
                violation: r.violation,
                counted: !r.duplicate,
            }
        })
        .collect())
}

/// The district's units, in configured order.
pub fn unit_rows(desk: &Desk) -> Vec<UnitRow> {
    desk.units
        .units
        .iter()
        .enumerate()
        .map(|(k, u)| UnitRow {
            id: u.id.clone(),
            name: u.name.clone(),
            name_en: u.display(true).to_string(),
            lead: u.kind == crate::domain::UnitKind::Lead,
            ord: k as i32,
        })
        .collect()
}

/// The event's `type`, read from its text: the envelope's fields before it (seq, at, by,
/// district) hold no nested objects, so the first `"type":"` is the tag.
fn event_type(body: &str) -> String {
    body.split_once("\"type\":\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(t, _)| t.to_string())
        .unwrap_or_default()
}

fn target_key(t: Target<'_>) -> String {
    match t {
        Target::Enterprise(c) => format!("enterprise:{c}"),
        Target::Issue(id) => format!("issue:{id}"),
        Target::Shift(id) => format!("shift:{id}"),
        Target::Inspection(id) => format!("inspection:{id}"),
        Target::Account(n) => format!("account:{n}"),
        Target::Residency => "residency".to_string(),
    }
}

/// A fact's kind as the city's tables write it.
pub fn kind_key(k: FactKind) -> &'static str {
    match k {
        FactKind::Logged => "logged",
        FactKind::Assigned => "assigned",
        FactKind::Received => "received",
        FactKind::Transferred => "transferred",
        FactKind::Returned => "returned",
        FactKind::Contacted => "contacted",
        FactKind::Replied => "replied",
        FactKind::Resolved => "resolved",
        FactKind::Evaluated => "evaluated",
        FactKind::Reopened => "reopened",
        FactKind::Voided => "voided",
        FactKind::Supervised => "supervised",
        FactKind::Noted => "noted",
    }
}
