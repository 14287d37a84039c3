//! The bench store: synthetic enterprises and a history of issues that go through the whole
//! loop at a steady pace.
//!
//! The desk's daily work is the same at every size — about 140 issues a working day, the pace
//! of the 100,000-issue store over two years — so a larger store is a longer history, not a
//! busier desk: 10,000 issues are ten weeks of it, 1,000,000 about twenty years. That is the
//! question the bench asks: whether what an officer waits for follows the open work or the
//! years behind it. Almost every issue is closed within weeks; a few are stuck (never
//! contacted), supervised, and closed a month or two later; those logged in the last weeks are
//! at every stage. Events are generated in time order and committed in batches as the days
//! go by, so memory holds only the issues in flight.

use std::collections::BinaryHeap;

use chrono::{Duration as Days, NaiveDate, NaiveDateTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::calendar::Calendar;
use crate::desk::{Desk, DeskError};
use crate::domain::{credit_code, Channel, Enterprise, Evaluation, EventKind, VipCategory};

/// Issues logged on a working day.
pub const ISSUES_PER_WORKDAY: usize = 140;

const SYLLABLES: &[&str] = &[
    "华", "峰", "金", "康", "川", "仪", "巨", "能", "渝", "江", "建", "兴", "鑫", "泰", "宏", "达",
    "隆", "盛", "恒", "通", "德", "科", "戴", "卡", "力", "长", "安", "重", "宗", "申", "永", "嘉",
    "博", "瑞", "新", "源", "凯", "诚", "信", "丰",
];
const TRADES: &[&str] = &[
    "汽车零部件",
    "电子科技",
    "新材料",
    "生物医药",
    "智能装备",
    "铝业",
    "摩托车",
    "物流",
    "食品",
    "软件",
    "精密机械",
    "环保科技",
];

/// A deterministic synthetic enterprise list with valid credit codes.
pub fn synthetic_enterprises(n: usize, seed: u64) -> Vec<Enterprise> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    const ALPHA: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    (0..n)
        .map(|i| {
            let body: String = (0..9)
                .map(|_| ALPHA[rng.gen_range(0..ALPHA.len())] as char)
                .collect();
            let code = credit_code::complete(&format!("91500107{body}")).unwrap_or_default();
            let trade: String = (0..rng.gen_range(2..4))
                .map(|_| SYLLABLES[rng.gen_range(0..SYLLABLES.len())])
                .collect();
            let name = format!(
                "重庆{trade}{}有限公司{i}",
                TRADES[rng.gen_range(0..TRADES.len())]
            );
            let vip = if i % 23 == 0 {
                vec![VipCategory::ALL[i % 4]]
            } else {
                vec![]
            };
            Enterprise {
                credit_code: code,
                name,
                district: String::new(),
                grade: None,
                vip,
                contact: String::new(),
                phone: String::new(),
            }
        })
        .collect()
}

/// The working days on which `issues` issues are logged at the steady pace, ending at `now`.
pub fn logging_days(cal: &Calendar, issues: usize, now: NaiveDate) -> Vec<NaiveDate> {
    let needed = issues.div_ceil(ISSUES_PER_WORKDAY).max(1);
    let mut days = Vec::with_capacity(needed);
    let mut d = now;
    while days.len() < needed {
        if cal.is_workday(d) {
            days.push(d);
        }
        d -= Days::days(1);
    }
    days.reverse();
    days
}

/// An event not yet recorded, ordered by time (then by when it was made, which keeps one
/// issue's events in order); the heap pops the earliest.
struct Due(NaiveDateTime, u64, EventKind);

impl PartialEq for Due {
    fn eq(&self, o: &Self) -> bool {
        (self.0, self.1) == (o.0, o.1)
    }
}
impl Eq for Due {}
impl PartialOrd for Due {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Due {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (o.0, o.1).cmp(&(self.0, self.1))
    }
}

/// Fills an empty desk with `enterprises` enterprises and `issues` issues ending at `now`;
/// `progress(done, total)` is told how many issues have been generated.
pub fn fill(
    desk: &mut Desk,
    issues: usize,
    enterprises: usize,
    now: NaiveDateTime,
    progress: &dyn Fn(u64, u64),
) -> Result<u64, DeskError> {
    let ents = synthetic_enterprises(enterprises.max(1), 1);
    let codes: Vec<(String, String)> = ents
        .iter()
        .map(|e| (e.credit_code.clone(), e.name.clone()))
        .collect();
    let cal = desk.calendar.clone();
    let days = logging_days(&cal, issues, now.date());
    let first = days.first().copied().unwrap_or(now.date());
    let setup = (first - Days::days(1)).and_hms_opt(8, 0, 0).unwrap_or(now);
    desk.set_bulk(true);
    let mut events = desk.bulk_commit(
        ents.into_iter()
            .map(|enterprise| {
                (
                    setup,
                    "bench".to_string(),
                    EventKind::EnterpriseSaved { enterprise },
                )
            })
            .collect(),
    )? as u64;
    let units: Vec<String> = desk.units.leads().map(|u| u.id.clone()).collect();
    let category = desk.config.categories[0].clone();
    let rules = desk.config.deadlines;
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut queue: BinaryHeap<Due> = BinaryHeap::new();
    let mut order = 0u64;
    let mut batch: Vec<(NaiveDateTime, String, EventKind)> = Vec::new();
    let mut id = 0u64;
    let per_day = issues.div_ceil(days.len().max(1));
    for day in &days {
        let today = per_day.min(issues - id as usize);
        for _ in 0..today {
            id += 1;
            let (code, name) = &codes[rng.gen_range(0..codes.len())];
            let t =
                day.and_hms_opt(9, 0, 0).unwrap_or_default() + Days::minutes(rng.gen_range(0..480));
            let dl = rules.deadlines(&cal, *day);
            let logged = EventKind::IssueLogged {
                id,
                enterprise: code.clone(),
                enterprise_name: name.clone(),
                category: category.clone(),
                channel: Channel::WalkIn,
                contact_name: "联系人".into(),
                phone: "13800000000".into(),
                description: "企业反映的问题描述，用于性能测试".into(),
                contact_due: dl.contact_due,
                reply_due: dl.reply_due,
                beyond_calendar: dl.beyond_calendar,
            };
            for (at, e) in life(id, t, logged, &units, &cal, &mut rng) {
                if at <= now {
                    order += 1;
                    queue.push(Due(at, order, e));
                }
            }
        }
        // Everything due before the next day is recorded now, in time order.
        let end = (*day + Days::days(1)).and_hms_opt(0, 0, 0).unwrap_or(now);
        while queue.peek().is_some_and(|d| d.0 < end) {
            if let Some(Due(at, _, e)) = queue.pop() {
                batch.push((at, "bench".into(), e));
            }
        }
        if batch.len() >= 20_000 {
            events += desk.bulk_commit(std::mem::take(&mut batch))? as u64;
            progress(id, issues as u64);
        }
    }
    while let Some(Due(at, _, e)) = queue.pop() {
        batch.push((at, "bench".into(), e));
    }
    events += desk.bulk_commit(batch)? as u64;
    progress(issues as u64, issues as u64);
    desk.set_bulk(false);
    Ok(events)
}

/// The events of one issue's life, from its logging at `t`.
fn life(
    id: u64,
    mut t: NaiveDateTime,
    logged: EventKind,
    units: &[String],
    cal: &Calendar,
    rng: &mut ChaCha8Rng,
) -> Vec<(NaiveDateTime, EventKind)> {
    let mut ev = vec![(t, logged)];
    // The next event: on the `workdays`-th working day after the last one, in office hours.
    let next = |t: &mut NaiveDateTime, workdays: u32, rng: &mut ChaCha8Rng| {
        let day = cal.add_workdays(t.date(), workdays).date;
        let at =
            day.and_hms_opt(9, 0, 0).unwrap_or_default() + Days::minutes(rng.gen_range(0..480));
        *t = at.max(*t + Days::minutes(10));
        *t
    };
    let fate = rng.gen_range(0..100);
    if fate < 1 {
        let at = next(&mut t, 0, rng);
        ev.push((
            at,
            EventKind::IssueVoided {
                id,
                reason: "重复登记".into(),
            },
        ));
        return ev;
    }
    let unit = units[rng.gen_range(0..units.len())].clone();
    let at = next(&mut t, 0, rng);
    ev.push((
        at,
        EventKind::IssueAssigned {
            id,
            unit: unit.clone(),
            helpers: vec![],
            reason: String::new(),
        },
    ));
    if fate < 6 {
        let to = units[rng.gen_range(0..units.len())].clone();
        if to != unit {
            let at = next(&mut t, 1, rng);
            ev.push((
                at,
                EventKind::IssueTransferred {
                    id,
                    from: unit,
                    to,
                    reason: "职能调整".into(),
                },
            ));
        }
    }
    if fate < 3 {
        // Stuck: not contacted in time, supervised once overdue, handled a month or two
        // later and closed.
        let at = next(&mut t, 4, rng);
        ev.push((
            at,
            EventKind::IssueSupervised {
                id,
                reason: "超期未对接".into(),
                level: Default::default(),
                due: None,
            },
        ));
        let late = rng.gen_range(15..40);
        for (w, e) in [
            (
                late,
                EventKind::ContactRecorded {
                    id,
                    note: "督办后对接".into(),
                },
            ),
            (
                3,
                EventKind::ReplyRecorded {
                    id,
                    text: "督办后答复".into(),
                },
            ),
            (
                1,
                EventKind::IssueResolved {
                    id,
                    note: "督办后办结".into(),
                },
            ),
        ] {
            let at = next(&mut t, w, rng);
            ev.push((at, e));
        }
        return ev;
    }
    let w = rng.gen_range(0..4);
    let at = next(&mut t, w, rng);
    ev.push((
        at,
        EventKind::ContactRecorded {
            id,
            note: String::new(),
        },
    ));
    let w = rng.gen_range(1..5);
    let at = next(&mut t, w, rng);
    ev.push((
        at,
        EventKind::ReplyRecorded {
            id,
            text: "已答复".into(),
        },
    ));
    let w = rng.gen_range(1..3);
    if fate >= 80 {
        let at = next(&mut t, w, rng);
        ev.push((
            at,
            EventKind::IssueResolved {
                id,
                note: String::new(),
            },
        ));
        return ev;
    }
    let low = fate >= 77;
    let evaluation = Evaluation {
        closeness: if low { 2 } else { rng.gen_range(3..6) },
        integrity: rng.gen_range(4..6),
        satisfaction: if low { 1 } else { rng.gen_range(3..6) },
        comment: if low {
            "问题未解决".into()
        } else {
            String::new()
        },
    };
    let at = next(&mut t, w, rng);
    ev.push((at, EventKind::IssueEvaluated { id, evaluation }));
    if low {
        // Sent back to the unit: handled again, then closed.
        for (w, e) in [
            (
                1,
                EventKind::ContactRecorded {
                    id,
                    note: String::new(),
                },
            ),
            (
                2,
                EventKind::ReplyRecorded {
                    id,
                    text: "再次答复".into(),
                },
            ),
            (
                1,
                EventKind::IssueResolved {
                    id,
                    note: String::new(),
                },
            ),
        ] {
            let at = next(&mut t, w, rng);
            ev.push((at, e));
        }
    }
    ev
}

/// The bench clock: a fixed date so runs are comparable.
pub fn bench_now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 20)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default()
}
