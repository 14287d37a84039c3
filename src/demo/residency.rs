//! The demo's residency programme (四帮一体验): two past rounds, closed, and one running, with
//! visits and orders before each, pairs placed to match (a few orders left unmet, one named
//! cadre placed elsewhere), the 五个一 as far as each cadre got, the firms' scores of the
//! closed rounds, requests to extend, and problems raised by the cadres — issues of the demo
//! logged during a round, in the placed firms, are theirs (channel 驻企干部), so they run the
//! same closed loop and some outlive their round (驻企遗留).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{at, person, pick};
use crate::desk::Desk;
use crate::domain::residency::{Cadre, ChecklistItem, Order, Placement, Round, Score};
use crate::domain::{Enterprise, EventKind};

const ORGANISERS: [&str; 2] = ["区委组织部", "区工商联"];
const RANKS: [&str; 5] = ["处级", "科级", "科级", "科员", "年轻干部"];
/// Departments outside the configured units that send cadres too.
const OTHER_DEPARTMENTS: [&str; 4] = ["区人力社保局", "区商务委", "区委组织部", "区生态环境局"];
const POLICIES: [(&str, u64, u64); 10] = [
    ("技术改造专项资金", 200_000, 1_500_000),
    ("研发费用加计扣除", 50_000, 800_000),
    ("稳岗返还", 10_000, 120_000),
    ("中小微企业贷款贴息", 20_000, 300_000),
    ("高新技术企业认定奖励", 100_000, 200_000),
    ("首台（套）重大技术装备保险补偿", 300_000, 1_200_000),
    ("专精特新企业奖励", 100_000, 500_000),
    ("社会保险费缓缴", 30_000, 400_000),
    ("出口信用保险保费补助", 10_000, 150_000),
    ("人才公寓租金补贴", 5_000, 60_000),
];
const SUGGESTIONS: [&str; 8] = [
    "建议简化技改项目备案材料，推行一次告知、一表申报",
    "建议园区设立共享检测中心，降低中小企业检测成本",
    "建议协调开通园区至轨道站的通勤公交",
    "建议对接高校建立订单式技工培养",
    "建议优化夜间施工审批，缩短办理时限",
    "建议银企对接会按产业链分场举办",
    "建议为外贸企业提供汇率避险培训",
    "建议统一园区标识导引，方便物流车辆进出",
];
const REPORT_TITLES: [&str; 6] = [
    "在车间里读懂企业的难处",
    "一线十四天：从“坐诊”到“出诊”",
    "把服务送到生产线旁",
    "驻企体会：企业最缺的是什么",
    "两周驻企，看见发展的底气",
    "亲而有度，清而有为",
];
const NEEDS: [&str; 6] = [
    "技改项目资金申报",
    "用工招聘和技能培训",
    "融资担保和续贷",
    "厂房扩建审批",
    "高新技术企业认定辅导",
    "物流和通勤配套",
];

/// One round of the demo: its number, how many days before `now` it began, firms placed,
/// firms that ordered but were not placed, closed or not.
struct Plan {
    no: u32,
    began_days_ago: i64,
    firms: usize,
    unplaced: usize,
    closed: bool,
}

const PLANS: [Plan; 3] = [
    Plan {
        no: 1,
        began_days_ago: 56,
        firms: 40,
        unplaced: 2,
        closed: true,
    },
    Plan {
        no: 2,
        began_days_ago: 35,
        firms: 48,
        unplaced: 1,
        closed: true,
    },
    Plan {
        no: 3,
        began_days_ago: 6,
        firms: 45,
        unplaced: 2,
        closed: false,
    },
];

/// A round as planned: its dates, the firms that ordered (index into the enterprises) and the
/// pairs placed in the first ones.
struct Planned {
    plan: &'static Plan,
    start: NaiveDate,
    end: NaiveDate,
    firms: Vec<usize>,
    pairs: Vec<Vec<Cadre>>,
    /// Id of the round's first placement.
    first: u64,
    /// Problems raised so far per placement of the round.
    raised: Vec<u32>,
}

/// The programme as drawn before the issues are: the issue generator asks it, issue by issue,
/// whether a cadre raised this one (`take`), then `events` writes the programme out.
pub struct Programme {
    rounds: Vec<Planned>,
    /// (issue, placement, cadre).
    links: Vec<(u64, u64, String)>,
}

impl Programme {
    pub fn plan(
        rng: &mut ChaCha8Rng,
        desk: &Desk,
        ents: &[Enterprise],
        now: NaiveDateTime,
    ) -> Programme {
        let today = now.date();
        // Departments as the desk keeps them: a configured unit by its id.
        let mut units: Vec<String> = desk.units.units.iter().map(|u| u.id.clone()).collect();
        for d in OTHER_DEPARTMENTS {
            let id = desk
                .units
                .find(d)
                .map_or_else(|| d.to_string(), |u| u.id.clone());
            if !units.contains(&id) {
                units.push(id);
            }
        }
        // A pool of cadres, a few of them popular enough to be asked for by name.
        let mut pool: Vec<Cadre> = vec![];
        while pool.len() < 260 {
            let c = Cadre {
                name: person(rng),
                unit: pick(rng, &units).clone(),
                rank: pick(rng, &RANKS).to_string(),
            };
            if !pool.iter().any(|p| p.name == c.name) {
                pool.push(c);
            }
        }
        let vip: Vec<usize> = (0..ents.len()).filter(|k| ents[*k].is_vip()).collect();
        let mut first = 1;
        let mut rounds = vec![];
        for plan in &PLANS {
            let start = today - Duration::days(plan.began_days_ago);
            let end = start + Duration::days(13);
            // Mostly VIP firms, a few others.
            let mut firms: Vec<usize> = vec![];
            while firms.len() < plan.firms + plan.unplaced {
                let k = if rng.gen_bool(0.8) && !vip.is_empty() {
                    *pick(rng, &vip)
                } else {
                    rng.gen_range(0..ents.len())
                };
                if !firms.contains(&k) {
                    firms.push(k);
                }
            }
            let mut taken = std::collections::HashSet::new();
            let pairs: Vec<Vec<Cadre>> = (0..plan.firms)
                .map(|_| {
                    let mut v: Vec<Cadre> = vec![];
                    while v.len() < 2 {
                        let c = pick(rng, &pool).clone();
                        if taken.insert(c.name.clone()) {
                            v.push(c);
                        }
                    }
                    v
                })
                .collect();
            rounds.push(Planned {
                plan,
                start,
                end,
                firms,
                raised: vec![0; pairs.len()],
                pairs,
                first,
            });
            first += plan.firms as u64;
        }
        Programme {
            rounds,
            links: vec![],
        }
    }

    /// Whether the issue `id` logged at `t` was raised by a cadre: the firm (index into the
    /// enterprises) it belongs to then, spread over the round's placements.
    pub fn take(&mut self, rng: &mut ChaCha8Rng, id: u64, t: NaiveDateTime) -> Option<usize> {
        let r = self
            .rounds
            .iter_mut()
            .find(|r| t.date() >= r.start && t.date() <= r.end)?;
        // The placement with the fewest problems so far, the first of them. Every pair brings
        // in a problem or two; beyond that, a third of the desk's other problems.
        let (k, least) = r.raised.iter().enumerate().min_by_key(|(_, n)| **n)?;
        if *least >= 2 && !rng.gen_bool(0.3) {
            return None;
        }
        let cadre = r.pairs[k][r.raised[k] as usize % 2].name.clone();
        r.raised[k] += 1;
        self.links.push((id, r.first + k as u64, cadre));
        Some(r.firms[k])
    }

    /// The programme's events (in any order; the caller sorts them by time), the links of the
    /// problems raised beside their issues. Nothing is dated after `now`.
    pub fn events(
        &self,
        rng: &mut ChaCha8Rng,
        ents: &[Enterprise],
        units: &[String],
        events: &mut Vec<(NaiveDateTime, String, EventKind)>,
        now: NaiveDateTime,
    ) {
        let logged: std::collections::HashMap<u64, (NaiveDateTime, String)> = events
            .iter()
            .filter_map(|(t, by, e)| match e {
                EventKind::IssueLogged { id, .. } => Some((*id, (*t, by.clone()))),
                _ => None,
            })
            .collect();
        for (issue, placement, cadre) in &self.links {
            if let Some((t, by)) = logged.get(issue) {
                events.push((
                    *t,
                    by.clone(),
                    EventKind::ResidencyIssueLinked {
                        issue: *issue,
                        placement: *placement,
                        cadre: cadre.clone(),
                    },
                ));
            }
        }
        for r in &self.rounds {
            round_events(rng, r, ents, units, events, now);
        }
    }
}

fn round_events(
    rng: &mut ChaCha8Rng,
    r: &Planned,
    ents: &[Enterprise],
    units: &[String],
    events: &mut Vec<(NaiveDateTime, String, EventKind)>,
    now: NaiveDateTime,
) {
    let plan = r.plan;
    let (start, end) = (r.start, r.end);
    events.push((
        at(rng, start - Duration::days(12)).min(now),
        "王芳".into(),
        EventKind::RoundSaved {
            round: Round {
                no: plan.no,
                start,
                end,
                organisers: ORGANISERS.iter().map(|s| s.to_string()).collect(),
                title: format!("四帮一体验第{}期", plan.no),
            },
        },
    ));
    for (n, firm) in r.firms.iter().map(|k| &ents[*k]).enumerate() {
        let visited = start - Duration::days(rng.gen_range(3..10));
        let pair = r.pairs.get(n);
        let mut wanted: Vec<String> = match pair {
            Some(p) => p.iter().map(|c| c.unit.clone()).collect(),
            None => vec![pick(rng, units).clone()],
        };
        wanted.dedup();
        let mut named = vec![];
        // A firm that knows whom it wants asks by name (点名), and mostly gets them.
        if let Some(p) = pair.filter(|_| rng.gen_bool(0.12)) {
            named.push(p[0].name.clone());
        }
        // Now and then an order the round could not meet: a popular cadre placed elsewhere,
        // a department that sent nobody.
        if n == 3 {
            if let Some(other) = r.pairs.get(7) {
                named.push(other[1].name.clone());
            }
        }
        if rng.gen_bool(0.06) {
            wanted.push(pick(rng, units).clone());
        }
        events.push((
            at(rng, visited).min(now),
            pick(rng, &super::OFFICERS).0.to_string(),
            EventKind::OrderSaved {
                order: Order {
                    round: plan.no,
                    enterprise: firm.credit_code.clone(),
                    enterprise_name: firm.name.clone(),
                    units: wanted,
                    cadres: named,
                    needs: pick(rng, &NEEDS).to_string(),
                    visited,
                },
            },
        ));
        let Some(pair) = pair else {
            continue;
        };
        let placement = r.first + n as u64;
        events.push((
            at(rng, start - Duration::days(2)).min(now),
            "王芳".into(),
            EventKind::PlacementSaved {
                placement: Placement {
                    id: placement,
                    round: plan.no,
                    enterprise: firm.credit_code.clone(),
                    enterprise_name: firm.name.clone(),
                    cadres: pair.clone(),
                },
            },
        ));
        checklists(rng, events, plan, placement, pair, start, end, now);
    }
    if plan.closed {
        events.push((
            at(rng, end + Duration::days(7)).min(now),
            "王芳".into(),
            EventKind::RoundClosed {
                no: plan.no,
                note: "企业评分已报送区委组织部".into(),
            },
        ));
    }
}

/// A pair's 五个一 and, for a closed round, the firm's scores and its wish to extend.
#[allow(clippy::too_many_arguments)]
fn checklists(
    rng: &mut ChaCha8Rng,
    events: &mut Vec<(NaiveDateTime, String, EventKind)>,
    plan: &Plan,
    placement: u64,
    pair: &[Cadre],
    start: NaiveDate,
    end: NaiveDate,
    now: NaiveDateTime,
) {
    let today = now.date();
    let last = end.min(today);
    let days = (last - start).num_days().max(0);
    // How far a cadre got: a closed round nearly all the way, the running one by its day.
    let progress = if plan.closed {
        0.93
    } else {
        days as f64 / 13.0
    };
    let when = |rng: &mut ChaCha8Rng| {
        let d = start + Duration::days(rng.gen_range(0..=days));
        at(rng, d).min(now - Duration::minutes(1))
    };
    for c in pair {
        let item = |rng: &mut ChaCha8Rng, events: &mut Vec<_>, item: ChecklistItem| {
            let t = when(rng);
            events.push((
                t,
                "张敏".to_string(),
                EventKind::ChecklistRecorded {
                    placement,
                    cadre: c.name.clone(),
                    item,
                },
            ));
        };
        if rng.gen_bool(progress.min(1.0)) {
            for _ in 0..rng.gen_range(1..=2) {
                let (name, lo, hi) = *pick(rng, &POLICIES);
                let yuan = rng.gen_range(lo..=hi) / 1000 * 1000;
                item(
                    rng,
                    events,
                    ChecklistItem::Policy {
                        name: name.into(),
                        amount_fen: yuan * 100,
                    },
                );
            }
        }
        if rng.gen_bool(progress.min(1.0)) {
            let text = pick(rng, &SUGGESTIONS).to_string();
            item(rng, events, ChecklistItem::Suggestion { text });
        }
        if rng.gen_bool((progress * 1.05).min(1.0)) {
            let date = start + Duration::days(rng.gen_range(0..=days));
            item(rng, events, ChecklistItem::LineDay { date });
        }
        // Reports come at the end.
        if plan.closed && rng.gen_bool(0.95) {
            let title = pick(rng, &REPORT_TITLES).to_string();
            item(rng, events, ChecklistItem::Report { title });
        }
        if plan.closed {
            let dims: Vec<u8> = (0..4)
                .map(|_| if rng.gen_bool(0.7) { 5 } else { 4 })
                .collect();
            let t = at(rng, end + Duration::days(2)).min(now);
            events.push((
                t,
                "管理员".into(),
                EventKind::CadreScored {
                    placement,
                    cadre: c.name.clone(),
                    score: Score {
                        dims,
                        comment: if rng.gen_bool(0.5) {
                            "工作扎实，解决了实际困难".into()
                        } else {
                            String::new()
                        },
                    },
                },
            ));
        }
    }
    if plan.closed && rng.gen_bool(0.12) {
        events.push((
            at(rng, end - Duration::days(1)).min(now),
            "张敏".into(),
            EventKind::ExtensionRequested {
                placement,
                reason: "项目申报正在关键阶段，希望干部再驻一期".into(),
            },
        ));
    }
}
