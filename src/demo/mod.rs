//! The demo store: a deterministic, realistic district — 430 VIP enterprises over the four
//! categories, about a thousand more, the lead units, a few officers and their shifts, issues
//! over the last 60 days in every state (overdue and supervised ones included), and
//! inspection reports. Written through the desk in bulk commits, so it obeys every rule.

mod names;
mod residency;

use std::collections::HashSet;
use std::time::Instant;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::desk::{Desk, DeskError};
use crate::domain::{
    credit_code, Channel, DutyType, Enterprise, Evaluation, EventKind, Exemption, FiledBy, Grade,
    Inspection, InspectionKind, IssueStatus, Officer, VipCategory,
};

/// Sizes and seed.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub seed: u64,
    /// Enterprises besides the VIP ones.
    pub enterprises: usize,
    pub issues: usize,
    pub vip: usize,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 7,
            enterprises: 1000,
            issues: 1200,
            vip: 430,
        }
    }
}

/// What was built.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub enterprises: usize,
    pub vip: usize,
    pub issues: usize,
    pub by_status: Vec<(IssueStatus, usize)>,
    pub overdue: usize,
    pub supervised: usize,
    pub inspections: usize,
    pub seconds: f64,
}

const OFFICERS: [(&str, &str, DutyType); 4] = [
    ("张敏", "govservice", DutyType::Fixed),
    ("李卫东", "ndrc", DutyType::Mobile),
    ("王芳", "federation", DutyType::Fixed),
    ("陈建国", "market", DutyType::Mobile),
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, v: &'a [T]) -> &'a T {
    &v[rng.gen_range(0..v.len())]
}

fn person(rng: &mut ChaCha8Rng) -> String {
    format!("{}{}", pick(rng, names::SURNAMES), pick(rng, names::GIVEN))
}

fn mobile(rng: &mut ChaCha8Rng) -> String {
    let p = [
        "138", "139", "135", "136", "158", "159", "187", "177", "199",
    ];
    format!("{}{:08}", pick(rng, &p), rng.gen_range(0..100_000_000u32))
}

fn code(rng: &mut ChaCha8Rng, used: &mut HashSet<String>) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    loop {
        let body: String = (0..9)
            .map(|_| A[rng.gen_range(0..A.len())] as char)
            .collect();
        // 91 = enterprise; 500107 = 九龙坡区.
        if let Some(c) = credit_code::complete(&format!("91500107{body}")) {
            if used.insert(c.clone()) {
                return c;
            }
        }
    }
}

fn enterprises(rng: &mut ChaCha8Rng, opts: &DemoOptions) -> Vec<Enterprise> {
    let mut used_names = HashSet::new();
    let mut used_codes = HashSet::new();
    let total = opts.vip + opts.enterprises;
    let mut out = Vec::with_capacity(total);
    let mut n = 0;
    while out.len() < total {
        let name = match names::FIXED.get(n) {
            Some((f, _)) => f.to_string(),
            None => {
                let trade = format!("{}{}", pick(rng, names::TRADE_A), pick(rng, names::TRADE_B));
                format!(
                    "重庆{trade}{}{}",
                    pick(rng, names::INDUSTRIES),
                    pick(rng, names::SUFFIXES)
                )
            }
        };
        n += 1;
        if !used_names.insert(name.clone()) {
            continue;
        }
        let i = out.len();
        // The first `vip` enterprises are the VIP ones: categories overlap, each well represented.
        let vip = if i < opts.vip {
            let mut v = vec![VipCategory::ALL[i % 4]];
            if rng.gen_bool(0.45) {
                v.push(*pick(rng, &VipCategory::ALL));
            }
            if i % 4 == 0 && rng.gen_bool(0.5) {
                v.push(VipCategory::HighTech);
            }
            v.sort();
            v.dedup();
            v
        } else {
            vec![]
        };
        let grade = match rng.gen_range(0..10) {
            0 => Some(Grade::Leading),
            1..=3 => Some(Grade::Backbone),
            4..=7 => Some(Grade::Growth),
            8 => Some(Grade::Difficulty),
            _ => None,
        };
        let title = pick(rng, names::TITLES);
        out.push(Enterprise {
            credit_code: code(rng, &mut used_codes),
            name,
            district: pick(rng, names::STREETS).to_string(),
            grade: if i < opts.vip {
                grade.or(Some(Grade::Backbone))
            } else {
                grade
            },
            vip,
            contact: format!("{}{title}", person(rng)),
            phone: mobile(rng),
        });
    }
    out
}

/// A working-hours time on `d`.
fn at(rng: &mut ChaCha8Rng, d: NaiveDate) -> NaiveDateTime {
    let minutes = rng.gen_range(0..(9 * 60));
    d.and_time(NaiveTime::from_hms_opt(8, 30, 0).unwrap_or_default()) + Duration::minutes(minutes)
}

/// The `n`-th working day after `d`, at working hours.
fn later(desk: &Desk, rng: &mut ChaCha8Rng, from: NaiveDateTime, n: u32) -> NaiveDateTime {
    let d = desk.calendar.add_workdays(from.date(), n).date;
    let t = at(rng, d);
    if t <= from {
        from + Duration::minutes(rng.gen_range(20..240))
    } else {
        t
    }
}

/// Fills an empty desk. Deterministic for a seed and a day. All or nothing: a demo cut short
/// (a crash, a full disk) leaves the store empty, so it can simply be run again.
pub fn generate(
    desk: &mut Desk,
    opts: &DemoOptions,
    now: NaiveDateTime,
) -> Result<DemoSummary, DeskError> {
    generate_with(desk, opts, now, &|_, _| {})
}

/// Like `generate`, telling `progress(done, total)` how many events are recorded so far.
pub fn generate_with(
    desk: &mut Desk,
    opts: &DemoOptions,
    now: NaiveDateTime,
    progress: &dyn Fn(u64, u64),
) -> Result<DemoSummary, DeskError> {
    desk.all_or_nothing(|desk| fill(desk, opts, now, progress))
}

fn fill(
    desk: &mut Desk,
    opts: &DemoOptions,
    now: NaiveDateTime,
    progress: &dyn Fn(u64, u64),
) -> Result<DemoSummary, DeskError> {
    let started = Instant::now();
    if desk.max_issue_id() > 0 || !desk.enterprises().is_empty() {
        return Err(DeskError::invalid(
            "data",
            desk.dir().display().to_string(),
            crate::desk::Problem::OneOf(vec!["an empty data directory".into()]),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let ents = enterprises(&mut rng, opts);
    let start = now - Duration::days(60);
    let setup_at = at(&mut rng, start.date() - Duration::days(1)).min(now);
    desk.bulk_commit(
        ents.iter()
            .map(|e| {
                (
                    setup_at,
                    "导入".to_string(),
                    EventKind::EnterpriseSaved {
                        enterprise: e.clone(),
                    },
                )
            })
            .collect(),
    )?;

    let leads: Vec<String> = desk.units.leads().map(|u| u.id.clone()).collect();
    let unit_ok = |u: &str| leads.iter().any(|l| l == u);
    let categories = desk.config.categories.clone();
    let today = now.date();
    // Working days in the window, to log issues on.
    let days: Vec<NaiveDate> = (0..=60)
        .map(|k| start.date() + Duration::days(k))
        .filter(|d| desk.calendar.is_workday(*d) && *d <= today)
        .collect();
    let mut events: Vec<(NaiveDateTime, String, EventKind)> = Vec::new();
    // Ids follow the order issues were logged in. Later days get more issues (the desk is growing).
    // Nothing is dated after `now`: a time later today is drawn again, so today has only as
    // many issues as the hours gone by give it (at 09:24, a handful, not a day's worth).
    let latest = now - Duration::minutes(5);
    let mut times: Vec<NaiveDateTime> = (0..opts.issues)
        .map(|_| {
            for _ in 0..64 {
                let k = ((rng.gen::<f64>().sqrt()) * days.len() as f64) as usize % days.len();
                let t = at(&mut rng, days[k]);
                if t <= latest {
                    return t;
                }
            }
            // Only today was drawn, before it had begun: the window's first day instead.
            at(&mut rng, days[0]).min(latest)
        })
        .collect();
    times.sort();
    // The residency programme, from its own stream of chance so the rest of the demo stays
    // as it was for a seed: its cadres raise some of the issues logged during a round.
    let mut rr = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x4B1F_5EED);
    let mut programme = residency::Programme::plan(&mut rr, desk, &ents, now);
    for (id, logged) in (1..=opts.issues as u64).zip(times) {
        let ent = if rng.gen_bool(0.45) {
            &ents[rng.gen_range(0..opts.vip.max(1).min(ents.len()))]
        } else {
            pick(&mut rng, &ents)
        };
        let raised_by_cadre = programme.take(&mut rr, id, logged);
        let ent = raised_by_cadre.map_or(ent, |k| &ents[k]);
        let category = pick(&mut rng, &categories).clone();
        let tmpl = pick(&mut rng, names::templates(&category));
        let description = tmpl.replace("{n}", &rng.gen_range(2..9).to_string());
        let channel = *pick(
            &mut rng,
            &[
                Channel::WalkIn,
                Channel::WalkIn,
                Channel::WalkIn,
                Channel::Phone,
                Channel::Phone,
                Channel::Meeting,
                Channel::Online,
                Channel::InspectionReport,
            ],
        );
        let channel = if raised_by_cadre.is_some() {
            Channel::Residency
        } else {
            channel
        };
        let officer = pick(&mut rng, &OFFICERS).0.to_string();
        let dl = desk
            .config
            .deadlines
            .deadlines(&desk.calendar, logged.date());
        events.push((
            logged,
            officer.clone(),
            EventKind::IssueLogged {
                id,
                enterprise: ent.credit_code.clone(),
                enterprise_name: ent.name.clone(),
                category: category.clone(),
                channel,
                contact_name: ent.contact.clone(),
                phone: ent.phone.clone(),
                description,
                contact_due: dl.contact_due,
                reply_due: dl.reply_due,
                beyond_calendar: dl.beyond_calendar,
            },
        ));
        let age = desk.calendar.workdays_between(logged.date(), today);
        let mut steps: Vec<(NaiveDateTime, String, EventKind)> = Vec::new();
        let roll: f64 = rng.gen();
        // Voided duplicates.
        if roll < 0.03 {
            steps.push((
                logged + Duration::minutes(rng.gen_range(10..90)),
                officer.clone(),
                EventKind::IssueVoided {
                    id,
                    reason: "重复登记，已合并至前一问题".into(),
                },
            ));
        } else if !(age == 0 && rng.gen_bool(0.5) || age == 1 && rng.gen_bool(0.3)) {
            // The unit the configuration suggests for the category, as an officer would.
            let unit = match desk.config.suggested_unit(&category).filter(|u| unit_ok(u)) {
                Some(u) => u.to_string(),
                None => pick(&mut rng, &leads).clone(),
            };
            let assigned = logged + Duration::minutes(rng.gen_range(10..120));
            let mut unit_now = unit.clone();
            let helpers = if rng.gen_bool(0.1) {
                vec![pick(&mut rng, &leads).clone()]
                    .into_iter()
                    .filter(|h| *h != unit)
                    .collect()
            } else {
                vec![]
            };
            steps.push((
                assigned,
                officer.clone(),
                EventKind::IssueAssigned {
                    id,
                    unit: unit.clone(),
                    helpers,
                    reason: String::new(),
                },
            ));
            let mut t = assigned;
            // Some issues are transferred; a few go round three units (提级督办 flags them).
            let transfers = match rng.gen::<f64>() {
                r if r < 0.012 => 3,
                r if r < 0.06 => 1,
                _ => 0,
            };
            for _ in 0..transfers {
                let to = pick(&mut rng, &leads).clone();
                if to != unit_now {
                    t += Duration::hours(rng.gen_range(2..20));
                    steps.push((
                        t,
                        officer.clone(),
                        EventKind::IssueTransferred {
                            id,
                            from: unit_now.clone(),
                            to: to.clone(),
                            reason: "经核实属对方职责范围，转办".into(),
                        },
                    ));
                    unit_now = to;
                }
            }
            // Contact: mostly within 2 working days; some late; the youngest not yet.
            let contact_lag = if rng.gen_bool(0.85) {
                rng.gen_range(0..=2)
            } else {
                rng.gen_range(3..=5)
            };
            let stuck_before_contact = rng.gen_bool(0.03);
            if (contact_lag as i64) <= age && !stuck_before_contact {
                let ct = later(desk, &mut rng, t, contact_lag).min(now - Duration::minutes(2));
                t = ct.max(t + Duration::minutes(1));
                steps.push((
                    t,
                    desk.units.name_of(&unit_now, false).to_string(),
                    EventKind::ContactRecorded {
                        id,
                        note: "已电话联系企业负责人，了解具体诉求".into(),
                    },
                ));
                let reply_lag = if rng.gen_bool(0.85) {
                    rng.gen_range(2..=5)
                } else {
                    rng.gen_range(6..=9)
                };
                let stuck_in_progress = rng.gen_bool(0.04);
                if (reply_lag as i64) <= age && !stuck_in_progress {
                    let rt =
                        later(desk, &mut rng, logged, reply_lag).min(now - Duration::minutes(1));
                    t = rt.max(t + Duration::minutes(1));
                    steps.push((
                        t,
                        desk.units.name_of(&unit_now, false).to_string(),
                        EventKind::ReplyRecorded {
                            id,
                            text: pick(&mut rng, names::REPLIES).to_string(),
                        },
                    ));
                    let eval_roll: f64 = rng.gen();
                    if age > reply_lag as i64 + 1 && eval_roll < 0.75 {
                        let low = rng.gen_bool(0.05);
                        let s = |r: &mut ChaCha8Rng| {
                            if low {
                                r.gen_range(1..=2)
                            } else {
                                r.gen_range(4..=5)
                            }
                        };
                        let ev = Evaluation {
                            closeness: s(&mut rng),
                            integrity: if low {
                                rng.gen_range(3..=5)
                            } else {
                                s(&mut rng)
                            },
                            satisfaction: s(&mut rng),
                            comment: if low {
                                pick(&mut rng, names::LOW_COMMENTS).to_string()
                            } else {
                                String::new()
                            },
                        };
                        // The callback: during office hours on one of the next working days.
                        let lag = rng.gen_range(1..=2);
                        t = later(desk, &mut rng, t, lag)
                            .min(now - Duration::seconds(30))
                            .max(t + Duration::seconds(1));
                        steps.push((
                            t,
                            officer.clone(),
                            EventKind::IssueEvaluated { id, evaluation: ev },
                        ));
                    } else if age > reply_lag as i64 + 2 && eval_roll < 0.85 {
                        t = later(desk, &mut rng, t, 1)
                            .min(now - Duration::seconds(30))
                            .max(t + Duration::seconds(1));
                        steps.push((
                            t,
                            officer.clone(),
                            EventKind::IssueResolved {
                                id,
                                note: "企业暂未回访评价，先行办结".into(),
                            },
                        ));
                    }
                }
            } else if rng.gen_bool(0.03) && age >= 1 {
                t += Duration::hours(rng.gen_range(1..6));
                steps.push((
                    t,
                    desk.units.name_of(&unit_now, false).to_string(),
                    EventKind::IssueReturned {
                        id,
                        from: unit_now.clone(),
                        reason: "非本单位职责，退回重新交办".into(),
                    },
                ));
            }
        }
        // What would happen after `now` has not happened yet: the issue stops where it is.
        if let Some(k) = steps.iter().position(|s| s.0 > now) {
            steps.truncate(k);
        }
        // Overdue issues are often put under supervision (督办).
        let mut sim = crate::domain::apply_issue(
            None,
            &crate::domain::Recorded {
                district: None,
                seq: 0,
                at: logged,
                by: officer.clone(),
                event: events
                    .last()
                    .map(|e| e.2.clone())
                    .unwrap_or(EventKind::NoteAdded {
                        id,
                        text: String::new(),
                    }),
            },
        )
        .ok();
        for (st, by, ev) in &steps {
            sim = sim.and_then(|i| {
                crate::domain::apply_issue(
                    Some(&i),
                    &crate::domain::Recorded {
                        district: None,
                        seq: 0,
                        at: *st,
                        by: by.clone(),
                        event: ev.clone(),
                    },
                )
                .ok()
            });
        }
        if let Some(i) = &sim {
            if i.is_overdue(today) && rng.gen_bool(0.5) {
                let due = i.next_deadline().map(|x| x.1).unwrap_or(today);
                let when = at(&mut rng, desk.calendar.add_workdays(due, 1).date)
                    .min(now - Duration::seconds(10));
                let last = steps.last().map(|s| s.0).unwrap_or(logged);
                let when = when.max(last + Duration::seconds(1));
                // A third are key supervision with three working days to finish.
                let (level, due) = if rng.gen_bool(0.3) {
                    (
                        crate::domain::SupervisionLevel::Key,
                        Some(desk.calendar.add_workdays(when.date(), 3).date),
                    )
                } else {
                    (crate::domain::SupervisionLevel::General, None)
                };
                if when <= now {
                    steps.push((
                        when,
                        "区政务办".into(),
                        EventKind::IssueSupervised {
                            id,
                            reason: "超期未办结，转入督办".into(),
                            level,
                            due,
                        },
                    ));
                }
            }
        }
        events.extend(steps);
    }
    // Inspections over the window, some filed by both sides, some on no-disturbance days.
    let mut insp = 0u64;
    let quiet = desk.config.quiet_days;
    for _ in 0..(opts.issues / 30).max(5) {
        let d = *pick(&mut rng, &days);
        let ent = pick(&mut rng, &ents);
        let unit = if rng.gen_bool(0.8) {
            pick(&mut rng, &["market", "ecology", "urban", "hrss", "tax"]).to_string()
        } else {
            pick(&mut rng, names::OTHER_INSPECTORS).to_string()
        };
        let in_quiet = quiet.contains(d);
        let (kind, exemption) = match rng.gen_range(0..10) {
            0 => (
                InspectionKind::Safety,
                in_quiet.then_some(Exemption::Safety),
            ),
            1 => (
                InspectionKind::Complaint,
                in_quiet.then_some(Exemption::Complaint),
            ),
            2 => (InspectionKind::Order, in_quiet.then_some(Exemption::Order)),
            _ => (InspectionKind::Planned, None),
        };
        let filed = at(&mut rng, d).min(now - Duration::seconds(5));
        let base = Inspection {
            id: 0,
            unit: unit.clone(),
            enterprise: ent.credit_code.clone(),
            enterprise_name: ent.name.clone(),
            date: d,
            kind,
            exemption,
            by: FiledBy::Unit,
            inspectors: format!("{}、{}", person(&mut rng), person(&mut rng)),
            result: if rng.gen_bool(0.8) {
                "未发现问题".into()
            } else {
                "发现问题，已责令限期整改".into()
            },
            filed_at: filed,
            filed_by: "码上报备".into(),
        };
        insp += 1;
        events.push((
            filed,
            "码上报备".into(),
            EventKind::InspectionRecorded {
                inspection: Inspection {
                    id: insp,
                    ..base.clone()
                },
            },
        ));
        if rng.gen_bool(0.3) {
            insp += 1;
            let f2 = filed + Duration::hours(rng.gen_range(1..6));
            events.push((
                f2.min(now),
                "码上报备".into(),
                EventKind::InspectionRecorded {
                    inspection: Inspection {
                        id: insp,
                        by: FiledBy::Enterprise,
                        filed_at: f2.min(now),
                        ..base
                    },
                },
            ));
        }
    }
    // Past shifts, each signed off and acknowledged by the next officer.
    let mut shift_id = 0;
    let mut sd = today - Duration::days(6);
    while sd < today {
        if desk.calendar.is_workday(sd) {
            shift_id += 1;
            let (name, unit, duty) = OFFICERS[shift_id as usize % OFFICERS.len()];
            let (next, _, _) = OFFICERS[(shift_id as usize + 1) % OFFICERS.len()];
            let begin = sd.and_hms_opt(8, 20, 0).unwrap_or_default();
            let end = sd.and_hms_opt(17, 40, 0).unwrap_or_default();
            let officer = Officer {
                name: name.into(),
                unit: unit.into(),
                duty,
            };
            events.push((
                begin,
                name.into(),
                EventKind::ShiftBegun {
                    id: shift_id,
                    officer,
                },
            ));
            events.push((
                end - Duration::minutes(5),
                name.into(),
                EventKind::ShiftNotesSaved {
                    id: shift_id,
                    notes: "VIP 企业问题请优先跟进；超期件已督办".into(),
                },
            ));
            // Drafted below, when the store holds exactly what the officer saw at sign-off.
            let brief = serde_json::Value::Null;
            events.push((
                end,
                name.into(),
                EventKind::ShiftEnded {
                    id: shift_id,
                    brief,
                },
            ));
            let ack = (sd + Duration::days(1))
                .and_hms_opt(8, 25, 0)
                .unwrap_or_default()
                .min(now);
            events.push((
                ack,
                next.into(),
                EventKind::HandoverAcknowledged {
                    id: shift_id,
                    officer: next.into(),
                },
            ));
        }
        sd += Duration::days(1);
    }
    let units: Vec<String> = desk.units.units.iter().map(|u| u.id.clone()).collect();
    programme.events(&mut rr, &ents, &units, &mut events, now);
    // The journal is in time order.
    events.sort_by_key(|e| e.0);
    let total = events.len() as u64;
    let mut done = 0u64;
    let mut batch = Vec::new();
    for (at, by, event) in events {
        done += 1;
        if done.is_multiple_of(5000) {
            progress(done, total);
        }
        match event {
            EventKind::ShiftEnded { id, .. } => {
                desk.bulk_commit(std::mem::take(&mut batch))?;
                let shift = desk.shift(id)?;
                let brief = crate::report::handover::draft_from_desk(
                    desk,
                    Some(&shift),
                    shift.started_at,
                    at,
                    &by,
                )?;
                let brief = crate::report::handover::for_filing(brief)?;
                batch.push((at, by, EventKind::ShiftEnded { id, brief }));
            }
            e => batch.push((at, by, e)),
        }
        if batch.len() >= 5000 {
            desk.bulk_commit(std::mem::take(&mut batch))?;
        }
    }
    desk.bulk_commit(batch)?;
    progress(total, total);
    let issues = desk.all_issues()?;
    let by_status = IssueStatus::ALL
        .iter()
        .map(|s| (*s, issues.iter().filter(|i| i.status == *s).count()))
        .collect();
    Ok(DemoSummary {
        enterprises: ents.len(),
        vip: ents.iter().filter(|e| e.is_vip()).count(),
        issues: issues.len(),
        by_status,
        overdue: issues.iter().filter(|i| i.is_overdue(today)).count(),
        supervised: issues.iter().filter(|i| i.supervised).count(),
        inspections: insp as usize,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 20)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    fn small() -> DemoOptions {
        DemoOptions {
            seed: 3,
            enterprises: 50,
            issues: 160,
            vip: 30,
        }
    }

    #[test]
    fn builds_every_state_with_valid_codes() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(dir.path()).unwrap();
        let s = generate(&mut desk, &small(), now()).unwrap();
        assert_eq!(s.enterprises, 80);
        assert_eq!(s.vip, 30);
        assert_eq!(s.issues, 160);
        for (st, n) in &s.by_status {
            assert!(*n > 0, "no issue is {st:?}: {:?}", s.by_status);
        }
        assert!(s.overdue > 0 && s.supervised > 0, "{s:?}");
        let ents = desk.enterprises();
        let codes: HashSet<_> = ents.iter().map(|e| e.credit_code.clone()).collect();
        let names: HashSet<_> = ents.iter().map(|e| e.name.clone()).collect();
        assert_eq!((codes.len(), names.len()), (80, 80));
        for e in &ents {
            assert!(credit_code::validate(&e.credit_code).is_ok());
        }
        for c in VipCategory::ALL {
            assert!(
                ents.iter().filter(|e| e.vip.contains(&c)).count() >= 5,
                "{c:?}"
            );
        }
        assert!(desk.verify(&[], None).unwrap().view_in_step);
        // Refuses to fill a store that has data.
        assert!(generate(&mut desk, &small(), now()).is_err());
    }

    #[test]
    fn deterministic_per_seed() {
        let run = |seed| {
            let dir = tempfile::tempdir().unwrap();
            let mut desk = Desk::open(dir.path()).unwrap();
            generate(&mut desk, &DemoOptions { seed, ..small() }, now()).unwrap();
            serde_json::to_string(&desk.all_issues().unwrap()).unwrap()
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5), run(6));
    }

    /// No event lies after the demo's "now", whatever the hour, and today holds only what the
    /// hours gone by can: at 09:24 a few issues, not a day's worth.
    #[test]
    fn nothing_is_dated_after_now_and_today_fits_the_hour() {
        let opts = DemoOptions {
            issues: 400,
            ..small()
        };
        let mut today_count = Vec::new();
        for now in [
            "2026-11-20T09:24:00",
            "2026-11-20T17:55:00",
            "2026-11-23T08:05:00",
            "2026-11-22T11:00:00",
        ] {
            let now = NaiveDateTime::parse_from_str(now, "%Y-%m-%dT%H:%M:%S").unwrap();
            let dir = tempfile::tempdir().unwrap();
            let mut desk = Desk::open(dir.path()).unwrap();
            generate(&mut desk, &opts, now).unwrap();
            for r in desk.events().unwrap() {
                assert!(r.at <= now, "{now}: {} at {}", r.event.name(), r.at);
            }
            let issues = desk.all_issues().unwrap();
            assert_eq!(issues.len(), 400);
            today_count.push(
                issues
                    .iter()
                    .filter(|i| i.logged_at.date() == now.date())
                    .count(),
            );
        }
        let [morning, evening, before_office, sunday] = today_count[..] else {
            unreachable!()
        };
        assert!(morning * 4 <= evening && evening > 0, "{today_count:?}");
        assert_eq!((before_office, sunday), (0, 0), "{today_count:?}");
    }
}
