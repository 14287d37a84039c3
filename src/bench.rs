//! `dutydesk bench`: the performance targets, measured on a generated store of stated size
//! (default 100,000 issues and 10,000 enterprises) in a temporary directory.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Days, NaiveDate, NaiveDateTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::desk::{Command, Desk, DeskError, IssueFilter, NewIssue};
use crate::domain::{credit_code, Channel, Enterprise, Evaluation, EventKind, VipCategory};

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub name: String,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub samples: usize,
    pub target_ms: Option<f64>,
}

impl Figure {
    pub fn from_samples(name: &str, mut s: Vec<Duration>, target_ms: Option<f64>) -> Figure {
        s.sort();
        let at = |q: f64| {
            s.get(((s.len() as f64 - 1.0) * q).round() as usize)
                .map_or(0.0, |d| d.as_secs_f64() * 1e3)
        };
        Figure {
            name: name.into(),
            p50_ms: at(0.5),
            p99_ms: at(0.99),
            samples: s.len(),
            target_ms,
        }
    }
    pub fn single(name: &str, d: Duration, target_ms: Option<f64>) -> Figure {
        Figure::from_samples(name, vec![d], target_ms)
    }
}

/// Sizes of the generated store.
#[derive(Debug, Clone, Copy)]
pub struct BenchSize {
    pub issues: usize,
    pub enterprises: usize,
}

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

/// Fills `desk` with enterprises and, over the two years before `now`, issues that go through
/// the whole loop at a realistic pace: almost all old ones closed, a few stuck (overdue) or
/// voided, recent ones at every stage. Events after `now` are left out, which is what leaves
/// the young issues open. Loaded in time order in bulk commits.
pub fn fill(desk: &mut Desk, size: BenchSize, now: NaiveDateTime) -> Result<(), DeskError> {
    let ents = synthetic_enterprises(size.enterprises, 1);
    let codes: Vec<(String, String)> = ents
        .iter()
        .map(|e| (e.credit_code.clone(), e.name.clone()))
        .collect();
    let start = now - Days::days(730);
    desk.bulk_commit(
        ents.into_iter()
            .map(|enterprise| {
                (
                    start,
                    "bench".to_string(),
                    EventKind::EnterpriseSaved { enterprise },
                )
            })
            .collect(),
    )?;
    let units: Vec<String> = desk.units.leads().map(|u| u.id.clone()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let category = desk.config.categories[0].clone();
    let cal = desk.calendar.clone();
    let mut events: Vec<(NaiveDateTime, String, EventKind)> = Vec::new();
    for id in 1..=size.issues as u64 {
        let (code, name) = &codes[rng.gen_range(0..codes.len())];
        let logged_day = now.date() - Days::days(rng.gen_range(0..730));
        let mut t = logged_day.and_hms_opt(9, 0, 0).unwrap_or_default()
            + Days::minutes(rng.gen_range(0..480));
        let dl = desk.config.deadlines.deadlines(&cal, logged_day);
        let mut ev = vec![(
            t,
            EventKind::IssueLogged {
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
            },
        )];
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
            ev.push((
                next(&mut t, 0, &mut rng),
                EventKind::IssueVoided {
                    id,
                    reason: "重复登记".into(),
                },
            ));
        } else {
            let unit = units[rng.gen_range(0..units.len())].clone();
            ev.push((
                next(&mut t, 0, &mut rng),
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
                    ev.push((
                        next(&mut t, 1, &mut rng),
                        EventKind::IssueTransferred {
                            id,
                            from: unit,
                            to,
                            reason: "职能调整".into(),
                        },
                    ));
                }
            }
            // 2% are never contacted: they stay open and overdue (1% voided above).
            if fate >= 3 {
                let w = rng.gen_range(0..4);
                ev.push((
                    next(&mut t, w, &mut rng),
                    EventKind::ContactRecorded {
                        id,
                        note: String::new(),
                    },
                ));
                let w = rng.gen_range(1..5);
                ev.push((
                    next(&mut t, w, &mut rng),
                    EventKind::ReplyRecorded {
                        id,
                        text: "已答复".into(),
                    },
                ));
                let w = rng.gen_range(1..3);
                if fate < 80 {
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
                    ev.push((
                        next(&mut t, w, &mut rng),
                        EventKind::IssueEvaluated { id, evaluation },
                    ));
                    if low {
                        // Sent back to the unit: handled again, then closed.
                        ev.push((
                            next(&mut t, 1, &mut rng),
                            EventKind::ContactRecorded {
                                id,
                                note: String::new(),
                            },
                        ));
                        ev.push((
                            next(&mut t, 2, &mut rng),
                            EventKind::ReplyRecorded {
                                id,
                                text: "再次答复".into(),
                            },
                        ));
                        ev.push((
                            next(&mut t, 1, &mut rng),
                            EventKind::IssueResolved {
                                id,
                                note: String::new(),
                            },
                        ));
                    }
                } else {
                    ev.push((
                        next(&mut t, w, &mut rng),
                        EventKind::IssueResolved {
                            id,
                            note: String::new(),
                        },
                    ));
                }
            }
        }
        events.extend(
            ev.into_iter()
                .filter(|e| e.0 <= now)
                .map(|(at, e)| (at, "bench".to_string(), e)),
        );
    }
    events.sort_by_key(|e| e.0);
    let mut it = events.into_iter().peekable();
    while it.peek().is_some() {
        desk.bulk_commit(it.by_ref().take(20_000).collect())?;
    }
    Ok(())
}

/// Runs the core benchmarks in `dir` (must be empty). Returns the figures.
pub fn run_core(dir: &Path, size: BenchSize, now: NaiveDateTime) -> Result<Vec<Figure>, DeskError> {
    let mut figs = Vec::new();
    let t = Instant::now();
    {
        let mut desk = Desk::open(dir)?;
        fill(&mut desk, size, now)?;
        desk.flush()?;
    }
    figs.push(Figure::single(
        "generate store (bulk commits)",
        t.elapsed(),
        None,
    ));

    // The first open after bulk loading replays what came after the last checkpoint; measure
    // it apart from the opens a user sees at every later start.
    let t = Instant::now();
    drop(Desk::open(dir)?);
    figs.push(Figure::single(
        "first open after bulk load",
        t.elapsed(),
        None,
    ));
    let mut samples = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let d = Desk::open(dir)?;
        samples.push(t.elapsed());
        drop(d);
    }
    figs.push(Figure::from_samples("open store", samples, Some(100.0)));
    figs.push(
        crate::tui::bench::launch_to_first_frame(dir, now)
            .map_err(|e| DeskError::Store(crate::store::StoreError::Other(e.to_string())))?,
    );
    let mut desk = Desk::open(dir)?;

    // Durable commit latency: one issue logged per commit, fsync included.
    let code = desk
        .enterprises()
        .first()
        .map(|e| e.credit_code.clone())
        .unwrap_or_default();
    let mut samples = Vec::new();
    for i in 0..500 {
        let cmd = Command::LogIssue {
            issue: NewIssue {
                enterprise: code.clone(),
                category: desk.config.categories[0].clone(),
                channel: Channel::Phone,
                contact_name: "王".into(),
                phone: String::new(),
                description: format!("基准测试 {i}"),
            },
        };
        let t = Instant::now();
        desk.execute("bench", now, cmd)?;
        samples.push(t.elapsed());
    }
    figs.push(Figure::from_samples(
        "durable commit (issue add)",
        samples,
        Some(3.0),
    ));

    let t = Instant::now();
    desk.warm_search();
    figs.push(Figure::single("build search index", t.elapsed(), None));
    let queries = [
        "cqdk",
        "重庆",
        "hua",
        "jinkang",
        "91500107",
        "戴卡",
        "cqhf",
        "zn",
        "qicheling",
        "x",
    ];
    let mut samples = Vec::new();
    for _ in 0..20 {
        for q in queries {
            let t = Instant::now();
            let _ = desk.search_enterprises(q, 20);
            samples.push(t.elapsed());
        }
    }
    figs.push(Figure::from_samples(
        "enterprise search (per query, top 20)",
        samples,
        Some(2.0),
    ));

    let today = now.date();
    let units: Vec<String> = desk.units.leads().map(|u| u.id.clone()).collect();
    let mut samples = Vec::new();
    for u in &units {
        let f = IssueFilter {
            unit: Some(u.clone()),
            ..Default::default()
        };
        let t = Instant::now();
        let _ = desk.issues(&f, today)?;
        samples.push(t.elapsed());
    }
    figs.push(Figure::from_samples(
        "full issue list of one unit",
        samples,
        None,
    ));

    let t = Instant::now();
    let all = desk.all_issues()?;
    figs.push(Figure::single(
        &format!("load all {} issues", all.len()),
        t.elapsed(),
        None,
    ));
    let open = all.iter().filter(|i| i.status.is_open()).count();
    drop(all);

    // Handover and the monthly report: the first run in a process reads cold pages; the
    // repeats show the steady cost. Both are reported.
    let handover = || {
        crate::report::handover::draft_from_desk(&desk, None, now - Days::hours(8), now, "bench")
            .map(|_| ())
    };
    figs.extend(timed_twice(
        &format!("handover brief (8-hour shift, {open} open issues)"),
        handover,
    )?);
    let first = (today - Days::days(i64::from(today.day())))
        .with_day(1)
        .unwrap_or(today);
    let last = today - Days::days(i64::from(today.day()));
    let report = || crate::report::scorecard::from_desk(&desk, first, last, today).map(|_| ());
    figs.extend(timed_twice(
        &format!("monthly report ({first} – {last})"),
        report,
    )?);
    figs.extend(
        crate::tui::bench::run(&mut desk, now)
            .map_err(|e| DeskError::Store(crate::store::StoreError::Other(e.to_string())))?,
    );
    Ok(figs)
}

/// Times `f` once cold, then 20 times warm; both figures carry the 50 ms target.
fn timed_twice(
    name: &str,
    f: impl Fn() -> Result<(), DeskError>,
) -> Result<Vec<Figure>, DeskError> {
    let t = Instant::now();
    f()?;
    let cold = Figure::single(&format!("{name}, first run"), t.elapsed(), Some(50.0));
    let mut samples = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        f()?;
        samples.push(t.elapsed());
    }
    Ok(vec![cold, Figure::from_samples(name, samples, Some(50.0))])
}

/// The bench clock: a fixed date so runs are comparable.
pub fn bench_now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 20)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default()
}
