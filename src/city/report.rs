//! The city report: per district and per lead unit across districts, for a date range.
//!
//! PostgreSQL counts (a few queries over the facts, issues and inspections of the range; the
//! answer is a row per district and unit), and the scorecard's own code turns the counts into
//! rates, means, score and rank (`scorecard::Tally`), so the definitions are the district
//! scorecard's: for one district the figures equal `dutydesk report`.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use tokio_postgres::Client;

use super::CityError;
use crate::i18n::Lang;
use crate::report::md_table;
use crate::report::scorecard::{
    self, rank, DepartmentInspections, Report, Tally, Totals, UnitScore,
};

/// One district's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictRow {
    pub rank: Option<usize>,
    pub code: String,
    pub name: String,
    /// Issues logged in the range (受理).
    pub received: u32,
    pub enterprises: u32,
    pub contact_due: u32,
    pub contact_on_time: u32,
    pub contact_on_time_pct: Option<f64>,
    pub reply_due: u32,
    pub reply_on_time: u32,
    pub reply_on_time_pct: Option<f64>,
    /// Distinct issues closed in the range (办结).
    pub closed: u32,
    pub evaluations: u32,
    pub closeness: Option<f64>,
    pub integrity: Option<f64>,
    pub satisfaction: Option<f64>,
    pub inspections: u32,
    pub violations: u32,
    pub vip_coverage_pct: Option<f64>,
    pub score: Option<f64>,
    pub too_few: bool,
}

/// One district's own scorecard, as `dutydesk report` gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictReport {
    pub code: String,
    pub name: String,
    pub report: Report,
}

/// The city report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CityReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Districts, best first.
    pub districts: Vec<DistrictRow>,
    /// Each lead unit (by id) across the districts, best first.
    pub units: Vec<UnitScore>,
    /// Each district's scorecard.
    pub by_district: Vec<DistrictReport>,
}

/// What to report on.
pub struct Query<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    pub district: Option<&'a str>,
    pub lang: Lang,
    pub min_issues: u32,
}

/// The additive counts of each unit, summed from the daily counts the sync keeps.
const DAILY: &str = r#"
SELECT district, unit,
    sum(assigned)::bigint, sum(transfers_in)::bigint, sum(transfers_out)::bigint,
    sum(returns)::bigint, sum(closed)::bigint, sum(reopened)::bigint,
    sum(contact_days)::bigint, sum(contacts)::bigint, sum(reply_days)::bigint,
    sum(replies)::bigint, sum(evaluations)::bigint, sum(s1)::bigint, sum(s2)::bigint,
    sum(s3)::bigint
FROM dd_daily
WHERE day BETWEEN $1 AND $2 AND ($3::text IS NULL OR district = $3)
GROUP BY district, unit
"#;

/// Received: distinct issues handed to each unit (assigned to it or transferred in).
const RECEIVED: &str = r#"
SELECT district, unit_after, count(DISTINCT issue)::bigint
FROM dd_facts
WHERE kind IN ('assigned', 'transferred') AND unit_after IS NOT NULL
  AND day BETWEEN $1 AND $2 AND ($3::text IS NULL OR district = $3)
GROUP BY district, unit_after
"#;

/// Deadlines falling in the range, as each issue's two deadlines went (`scorecard::DueTrack`):
/// met, or missed once the day has passed and the issue was not voided by then.
const DEADLINES: &str = r#"
SELECT district, true, contact_unit, contact_met, count(*)::bigint
FROM dd_issues
WHERE contact_due BETWEEN $1 AND $2 AND ($3::text IS NULL OR district = $3)
  AND (contact_met OR (contact_due < $4 AND NOT contact_voided))
GROUP BY district, contact_unit, contact_met
UNION ALL
SELECT district, false, reply_unit, reply_met, count(*)::bigint
FROM dd_issues
WHERE reply_due BETWEEN $1 AND $2 AND ($3::text IS NULL OR district = $3)
  AND (reply_met OR (reply_due < $4 AND NOT reply_voided))
GROUP BY district, reply_unit, reply_met
"#;

const LOGGED: &str = r#"
SELECT district, count(*)::bigint, count(DISTINCT enterprise)::bigint
FROM dd_facts
WHERE kind = 'logged' AND day BETWEEN $1 AND $2 AND ($3::text IS NULL OR district = $3)
GROUP BY district
"#;

const SOLVED: &str = r#"
SELECT district, count(DISTINCT issue)::bigint
FROM dd_facts
WHERE closed AND day BETWEEN $1 AND $2 AND ($3::text IS NULL OR district = $3)
GROUP BY district
"#;

const VIP_CONTACTED: &str = r#"
SELECT f.district, count(DISTINCT f.enterprise)::bigint
FROM dd_facts f
JOIN dd_enterprises e ON e.district = f.district AND e.code = f.enterprise AND e.vip
WHERE f.kind = 'contacted' AND f.day BETWEEN $1 AND $2 AND ($3::text IS NULL OR f.district = $3)
GROUP BY f.district
"#;

const INSPECTIONS: &str = r#"
SELECT district, lead, unit, unit_name, unit_name_en, count(*)::bigint,
    sum(CASE WHEN violation THEN 1 ELSE 0 END)::bigint
FROM dd_inspections
WHERE counted AND day BETWEEN $1 AND $2 AND ($3::text IS NULL OR district = $3)
GROUP BY district, lead, unit, unit_name, unit_name_en
"#;

fn n(r: &tokio_postgres::Row, k: usize) -> u32 {
    r.get::<_, Option<i64>>(k).unwrap_or(0) as u32
}

fn n64(r: &tokio_postgres::Row, k: usize) -> u64 {
    r.get::<_, Option<i64>>(k).unwrap_or(0) as u64
}

struct Unit {
    id: String,
    name: String,
    name_en: String,
}

/// Computes the city report.
pub async fn compute(client: &Client, q: &Query<'_>) -> Result<CityReport, CityError> {
    let en = q.lang.is_en();
    let sql = |what: &'static str| move |e| CityError::sql(what, e);
    let district = q.district.map(str::to_string);
    let p: [&(dyn tokio_postgres::types::ToSql + Sync); 3] = [&q.from, &q.to, &district];
    let names: Vec<(String, String)> = client
        .query(
            "SELECT code, name FROM dd_districts WHERE ($1::text IS NULL OR code = $1) ORDER BY code",
            &[&district],
        )
        .await
        .map_err(sql("dd_districts"))?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let mut leads: BTreeMap<String, Vec<Unit>> = BTreeMap::new();
    for r in client
        .query(
            "SELECT district, id, name, name_en FROM dd_units WHERE lead AND ($1::text IS NULL OR district = $1) ORDER BY district, ord",
            &[&district],
        )
        .await
        .map_err(sql("dd_units"))?
    {
        leads.entry(r.get(0)).or_default().push(Unit {
            id: r.get(1),
            name: r.get(2),
            name_en: r.get(3),
        });
    }
    // Counts per district and unit.
    let mut tallies: HashMap<(String, String), Tally> = HashMap::new();
    for r in client.query(DAILY, &p).await.map_err(sql("dd_daily"))? {
        let t = tallies.entry((r.get(0), r.get(1))).or_default();
        t.assigned += n(&r, 2);
        t.transfers_in += n(&r, 3);
        t.transfers_out += n(&r, 4);
        t.returns += n(&r, 5);
        t.closed += n(&r, 6);
        t.reopened += n(&r, 7);
        t.contact_days += n64(&r, 8);
        t.contacts += n(&r, 9);
        t.reply_days += n64(&r, 10);
        t.replies += n(&r, 11);
        t.evaluations += n(&r, 12);
        t.score_sums[0] += n64(&r, 13);
        t.score_sums[1] += n64(&r, 14);
        t.score_sums[2] += n64(&r, 15);
    }
    for r in client.query(RECEIVED, &p).await.map_err(sql("dd_facts"))? {
        tallies.entry((r.get(0), r.get(1))).or_default().received += n(&r, 2);
    }
    let mut totals: HashMap<String, Totals> = HashMap::new();
    let dp: [&(dyn tokio_postgres::types::ToSql + Sync); 4] = [&q.from, &q.to, &district, &q.today];
    for r in client
        .query(DEADLINES, &dp)
        .await
        .map_err(sql("dd_issues"))?
    {
        let d: String = r.get(0);
        let contact: bool = r.get(1);
        let unit: Option<String> = r.get(2);
        let on_time: bool = r.get(3);
        let k = n(&r, 4);
        let tot = totals.entry(d.clone()).or_default();
        let t = unit.map(|u| tallies.entry((d, u)).or_default());
        if contact {
            tot.contact_due += k;
            if on_time {
                tot.contact_on_time += k;
            }
            if let Some(t) = t {
                t.contact_due += k;
                if on_time {
                    t.contact_on_time += k;
                }
            }
        } else {
            tot.reply_due += k;
            if on_time {
                tot.reply_on_time += k;
            }
            if let Some(t) = t {
                t.reply_due += k;
                if on_time {
                    t.reply_on_time += k;
                }
            }
        }
    }
    for r in client.query(LOGGED, &p).await.map_err(sql("dd_facts"))? {
        let t = totals.entry(r.get(0)).or_default();
        t.issues_logged = n(&r, 1);
        t.enterprises_received = n(&r, 2);
    }
    for r in client.query(SOLVED, &p).await.map_err(sql("dd_facts"))? {
        totals.entry(r.get(0)).or_default().issues_solved = n(&r, 1);
    }
    for r in client
        .query(VIP_CONTACTED, &p)
        .await
        .map_err(sql("dd_facts"))?
    {
        totals.entry(r.get(0)).or_default().vip_contacted = n(&r, 1);
    }
    for r in client
        .query(
            "SELECT district, count(*)::bigint FROM dd_enterprises WHERE vip AND ($1::text IS NULL OR district = $1) GROUP BY district",
            &[&district],
        )
        .await
        .map_err(sql("dd_enterprises"))?
    {
        totals.entry(r.get(0)).or_default().vip_total = n(&r, 1);
    }
    let mut others: HashMap<String, BTreeMap<String, DepartmentInspections>> = HashMap::new();
    for r in client
        .query(INSPECTIONS, &p)
        .await
        .map_err(sql("dd_inspections"))?
    {
        let d: String = r.get(0);
        let lead: bool = r.get(1);
        let (count, violations) = (n(&r, 5), n(&r, 6));
        let tot = totals.entry(d.clone()).or_default();
        tot.inspections += count;
        tot.violations += violations;
        if lead {
            let t = tallies.entry((d, r.get(2))).or_default();
            t.inspections += count;
            t.violations += violations;
        } else {
            let name: String = if en { r.get(4) } else { r.get(3) };
            let o =
                others
                    .entry(d)
                    .or_default()
                    .entry(name.clone())
                    .or_insert(DepartmentInspections {
                        unit: name,
                        inspections: 0,
                        violations: 0,
                    });
            o.inspections += count;
            o.violations += violations;
        }
    }
    // Each district's scorecard, and the sums across districts.
    let mut by_district = Vec::new();
    let mut rows = Vec::new();
    let mut city: Vec<(String, String, Tally)> = Vec::new();
    for (code, name) in &names {
        let units = leads.get(code).map(Vec::as_slice).unwrap_or_default();
        let mut all = Tally::default();
        let mut scores: Vec<UnitScore> = units
            .iter()
            .map(|u| {
                let t = tallies
                    .remove(&(code.clone(), u.id.clone()))
                    .unwrap_or_default();
                all.evaluations += t.evaluations;
                for k in 0..3 {
                    all.score_sums[k] += t.score_sums[k];
                }
                match city.iter_mut().find(|c| c.0 == u.id) {
                    Some(c) => c.2.add(&t),
                    None => city.push((
                        u.id.clone(),
                        if en {
                            u.name_en.clone()
                        } else {
                            u.name.clone()
                        },
                        t.clone(),
                    )),
                }
                t.score(&u.id, if en { &u.name_en } else { &u.name }, q.min_issues)
            })
            .collect();
        rank(&mut scores);
        let mut tot = totals.remove(code).unwrap_or_default();
        tot.vip_coverage_pct = scorecard::pct(tot.vip_contacted, tot.vip_total);
        all.received = tot.issues_logged;
        all.contact_due = tot.contact_due;
        all.contact_on_time = tot.contact_on_time;
        all.reply_due = tot.reply_due;
        all.reply_on_time = tot.reply_on_time;
        all.closed = tot.issues_solved;
        all.inspections = tot.inspections;
        all.violations = tot.violations;
        let s = all.score(code, name, q.min_issues);
        rows.push(DistrictRow {
            rank: None,
            code: code.clone(),
            name: name.clone(),
            received: s.received,
            enterprises: tot.enterprises_received,
            contact_due: s.contact_due,
            contact_on_time: s.contact_on_time,
            contact_on_time_pct: s.contact_on_time_pct,
            reply_due: s.reply_due,
            reply_on_time: s.reply_on_time,
            reply_on_time_pct: s.reply_on_time_pct,
            closed: s.closed,
            evaluations: s.evaluations,
            closeness: s.closeness,
            integrity: s.integrity,
            satisfaction: s.satisfaction,
            inspections: s.inspections,
            violations: s.violations,
            vip_coverage_pct: tot.vip_coverage_pct,
            score: s.score,
            too_few: s.too_few,
        });
        by_district.push(DistrictReport {
            code: code.clone(),
            name: name.clone(),
            report: Report {
                from: q.from,
                to: q.to,
                units: scores,
                other_departments: others
                    .remove(code)
                    .unwrap_or_default()
                    .into_values()
                    .collect(),
                totals: tot,
            },
        });
    }
    // Districts ranked by the scorecard's own rule.
    let mut as_scores: Vec<UnitScore> = rows
        .iter()
        .map(|r| UnitScore {
            unit_id: r.code.clone(),
            score: r.score,
            too_few: r.too_few,
            ..Default::default()
        })
        .collect();
    rank(&mut as_scores);
    let order: Vec<(String, Option<usize>)> =
        as_scores.into_iter().map(|s| (s.unit_id, s.rank)).collect();
    let mut districts = Vec::new();
    for (code, r) in order {
        if let Some(k) = rows.iter().position(|x| x.code == code) {
            let mut row = rows.swap_remove(k);
            row.rank = r;
            districts.push(row);
        }
    }
    let mut units: Vec<UnitScore> = city
        .into_iter()
        .map(|(id, name, t)| t.score(&id, &name, q.min_issues))
        .collect();
    rank(&mut units);
    Ok(CityReport {
        from: q.from,
        to: q.to,
        districts,
        units,
        by_district,
    })
}

/// Column headers of the district table: (Chinese, English).
const DISTRICT_COLUMNS: [(&str, &str); 12] = [
    ("排名", "rank"),
    ("区县", "district"),
    ("代码", "code"),
    ("受理", "received"),
    ("接访企业", "enterprises"),
    ("按时对接率", "contact on time"),
    ("按时答复率", "reply on time"),
    ("办结", "closed"),
    ("评价数", "evaluations"),
    ("满意度", "satisfaction"),
    ("检查/无扰日违规", "inspections/violations"),
    ("综合得分", "score"),
];

fn opt(v: Option<f64>, suffix: &str) -> String {
    v.map(|v| format!("{v:.1}{suffix}"))
        .unwrap_or_else(|| "—".into())
}

/// Markdown for people.
pub fn markdown(r: &CityReport, lang: Lang) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = format!(
        "# {} {} — {}\n\n## {}\n\n",
        t("全市营商环境办理情况", "City report"),
        r.from,
        r.to,
        t("各区县", "Districts")
    );
    let header: Vec<&str> = DISTRICT_COLUMNS
        .iter()
        .map(|c| lang.pick(c.0, c.1))
        .collect();
    let rows: Vec<Vec<String>> = r
        .districts
        .iter()
        .map(|d| {
            vec![
                d.rank.map(|k| k.to_string()).unwrap_or_else(|| {
                    if d.too_few {
                        t("样本不足", "too few").into()
                    } else {
                        "—".into()
                    }
                }),
                d.name.clone(),
                d.code.clone(),
                d.received.to_string(),
                d.enterprises.to_string(),
                opt(d.contact_on_time_pct, "%"),
                opt(d.reply_on_time_pct, "%"),
                d.closed.to_string(),
                d.evaluations.to_string(),
                opt(d.satisfaction, ""),
                format!("{}/{}", d.inspections, d.violations),
                opt(d.score, ""),
            ]
        })
        .collect();
    out.push_str(&md_table(&header, &rows));
    out.push_str(&format!(
        "\n## {}\n\n",
        t("各牵头单位（全市合计）", "Lead units across the districts")
    ));
    out.push_str(&unit_table(&r.units, lang));
    for d in &r.by_district {
        out.push_str(&format!("\n## {} {}\n\n", d.name, d.code));
        out.push_str(&unit_table(&d.report.units, lang));
    }
    out
}

fn unit_table(units: &[UnitScore], lang: Lang) -> String {
    let header: Vec<&str> = scorecard::COLUMNS
        .iter()
        .map(|c| lang.pick(c.0, c.1))
        .collect();
    let rows: Vec<Vec<String>> = units.iter().map(|s| scorecard::row(s, false)).collect();
    md_table(&header, &rows)
}

/// CSV: one row per district and lead unit (the district's scorecard rows), then the city's
/// sum of each unit under the district column 全市 / city.
pub fn csv_rows(r: &CityReport, lang: Lang) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut header = vec![
        lang.pick("区县代码", "district code"),
        lang.pick("区县", "district"),
    ];
    header.extend(scorecard::csv_header(lang));
    let mut rows = Vec::new();
    for d in &r.by_district {
        for s in &d.report.units {
            let mut row = vec![d.code.clone(), d.name.clone()];
            row.extend(scorecard::row(s, true));
            rows.push(row);
        }
    }
    for s in &r.units {
        let mut row = vec![String::new(), lang.pick("全市", "city").to_string()];
        row.extend(scorecard::row(s, true));
        rows.push(row);
    }
    (header, rows)
}
