//! The report's figures for a small programme worked out by hand.

use super::*;
use crate::domain::event::{EventKind, Recorded};
use crate::domain::residency::{Cadre, Order, Placement, Round};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn c(name: &str, unit: &str) -> Cadre {
    Cadre {
        name: name.into(),
        unit: unit.into(),
        rank: String::new(),
    }
}

/// Round 1 (16–29 Nov, over by 3 Dec, not closed): firms A and B placed, C ordered only.
///   张伟 (economy, A): policies 10万 + 5万, a suggestion, a line day, a report; raised #101
///     (closed) and #102 (open): all five.
///   李娜 (tax, A): a policy 2.5万, a suggestion, a line day; no report, no problem: 3/5.
///   王磊 (economy, B): raised #103 (closed); a policy 1万, a suggestion, a line day, a report:
///     all five.
///   赵敏 (market, B): nothing. B asked to extend.
/// Round 2 (1–14 Dec, running): 张伟 (economy) and 周强 (tax) in A again; #104 voided.
fn fixture() -> (Residency, impl Fn(u64) -> Option<IssueStatus>) {
    let at = d(11, 20).and_hms_opt(9, 0, 0).unwrap();
    let mut r = Residency::default();
    let mut seq = 0;
    let mut ev = |e: EventKind| {
        seq += 1;
        r.apply(&Recorded {
            seq,
            at,
            by: "王芳".into(),
            district: None,
            event: e,
        })
        .unwrap();
    };
    for (no, start, end) in [(1, d(11, 16), d(11, 29)), (2, d(12, 1), d(12, 14))] {
        ev(EventKind::RoundSaved {
            round: Round {
                no,
                start,
                end,
                organisers: vec!["区委组织部".into()],
                title: String::new(),
            },
        });
    }
    for firm in ["A", "B", "C"] {
        ev(EventKind::OrderSaved {
            order: Order {
                round: 1,
                enterprise: firm.into(),
                enterprise_name: format!("企业{firm}"),
                units: vec!["economy".into()],
                cadres: vec![],
                needs: String::new(),
                visited: d(11, 10),
            },
        });
    }
    let place = |id, round, firm: &str, cadres| EventKind::PlacementSaved {
        placement: Placement {
            id,
            round,
            enterprise: firm.into(),
            enterprise_name: format!("企业{firm}"),
            cadres,
        },
    };
    ev(place(
        1,
        1,
        "A",
        vec![c("张伟", "economy"), c("李娜", "tax")],
    ));
    ev(place(
        2,
        1,
        "B",
        vec![c("王磊", "economy"), c("赵敏", "market")],
    ));
    ev(place(
        3,
        2,
        "A",
        vec![c("张伟", "economy"), c("周强", "tax")],
    ));
    let policy = |wan: u64| ChecklistItem::Policy {
        name: "政策".into(),
        amount_fen: wan * 1_000_000 / 100 * 100,
    };
    let entries: Vec<(u64, &str, ChecklistItem)> = vec![
        (1, "张伟", policy(10)),
        (1, "张伟", policy(5)),
        (1, "张伟", ChecklistItem::Suggestion { text: "s".into() }),
        (1, "张伟", ChecklistItem::LineDay { date: d(11, 18) }),
        (1, "张伟", ChecklistItem::Report { title: "t".into() }),
        (
            1,
            "李娜",
            ChecklistItem::Policy {
                name: "稳岗".into(),
                amount_fen: 2_500_000,
            },
        ),
        (1, "李娜", ChecklistItem::Suggestion { text: "s".into() }),
        (1, "李娜", ChecklistItem::LineDay { date: d(11, 19) }),
        (2, "王磊", policy(1)),
        (2, "王磊", ChecklistItem::Suggestion { text: "s".into() }),
        (2, "王磊", ChecklistItem::LineDay { date: d(11, 20) }),
        (2, "王磊", ChecklistItem::Report { title: "t".into() }),
    ];
    for (placement, cadre, item) in entries {
        ev(EventKind::ChecklistRecorded {
            placement,
            cadre: cadre.into(),
            item,
        });
    }
    for (issue, placement, cadre) in [
        (101, 1, "张伟"),
        (102, 1, "张伟"),
        (103, 2, "王磊"),
        (104, 3, "周强"),
    ] {
        ev(EventKind::ResidencyIssueLinked {
            issue,
            placement,
            cadre: cadre.into(),
        });
    }
    ev(EventKind::ExtensionRequested {
        placement: 2,
        reason: String::new(),
    });
    let status = |id: u64| {
        Some(match id {
            101 | 103 => IssueStatus::Closed,
            102 => IssueStatus::InProgress,
            _ => IssueStatus::Voided,
        })
    };
    (r, status)
}

#[allow(clippy::too_many_arguments)]
fn figures(
    placements: usize,
    cadres: usize,
    firms: usize,
    policies: usize,
    funds_fen: u64,
    problems: (usize, usize, usize, usize),
    extensions: usize,
    complete: usize,
    rate: f64,
) -> Figures {
    Figures {
        placements,
        cadres,
        firms,
        orders: 0,
        policies,
        funds_fen,
        funds_wan: crate::domain::residency::wan(funds_fen),
        suggestions: 0,
        problems_raised: problems.0,
        problems_closed: problems.1,
        problems_in_progress: problems.2,
        problems_legacy: problems.3,
        extensions,
        five_ones_complete: complete,
        five_ones_rate: rate,
    }
}

#[test]
fn the_figures_match_the_hand_count() {
    let (r, status) = fixture();
    let today = d(12, 3);
    let rep = build(&r, None, &status, today, &|u| u.to_uppercase());
    assert_eq!(rep.rounds.len(), 2);
    let r1 = &rep.rounds[0];
    assert_eq!(r1.phase, RoundPhase::Ended);
    assert_eq!(
        Figures {
            suggestions: 0,
            orders: 0,
            ..r1.figures.clone()
        },
        figures(2, 4, 2, 4, 18_500_000, (3, 2, 1, 1), 1, 2, 50.0)
    );
    assert_eq!((r1.figures.orders, r1.figures.suggestions), (3, 3));
    assert_eq!(r1.figures.funds_wan, "18.50");
    let r2 = &rep.rounds[1];
    assert_eq!(r2.phase, RoundPhase::Running);
    assert_eq!(
        Figures {
            suggestions: 0,
            ..r2.figures.clone()
        },
        figures(1, 2, 1, 0, 0, (0, 0, 0, 0), 0, 0, 0.0)
    );
    // Totals are sums of the rounds (人次, 户次): 张伟 counts once in each round.
    let t = &rep.total;
    assert_eq!(
        (t.cadres, t.firms, t.placements, t.orders, t.policies),
        (6, 3, 3, 3, 4)
    );
    assert_eq!(t.funds_wan, "18.50");
    assert_eq!(
        (
            t.problems_raised,
            t.problems_closed,
            t.problems_in_progress,
            t.problems_legacy
        ),
        (3, 2, 1, 1)
    );
    assert_eq!((t.extensions, t.five_ones_complete), (1, 2));
    assert_eq!(t.five_ones_rate, 33.3);
    // Per unit: economy sent 张伟 twice and 王磊.
    let unit = |id: &str| rep.units.iter().find(|u| u.unit == id).unwrap();
    let e = &unit("economy").figures;
    assert_eq!(unit("economy").name, "ECONOMY");
    assert_eq!(
        (e.cadres, e.firms, e.policies, e.funds_wan.as_str()),
        (3, 3, 3, "16.00")
    );
    assert_eq!(
        (e.problems_raised, e.problems_closed, e.problems_in_progress),
        (3, 2, 1)
    );
    assert_eq!(
        (e.five_ones_complete, e.five_ones_rate, e.extensions),
        (2, 66.7, 1)
    );
    let tax = &unit("tax").figures;
    assert_eq!(
        (
            tax.cadres,
            tax.policies,
            tax.funds_wan.as_str(),
            tax.five_ones_complete
        ),
        (2, 1, "2.50", 0)
    );
    assert_eq!(unit("market").figures.extensions, 1);
    // Units by cadres sent, most first.
    assert_eq!(rep.units[0].unit, "economy");
}

#[test]
fn one_round_only_and_the_cadre_rows() {
    let (r, status) = fixture();
    let today = d(12, 3);
    let rep = build(&r, Some(1), &status, today, &|u| u.to_string());
    assert_eq!(rep.rounds.len(), 1);
    assert_eq!(rep.total.cadres, 4);
    let rows = cadre_rows(&r, Some(1), &status, today);
    let row = |n: &str| rows.iter().find(|c| c.name == n).unwrap();
    assert_eq!(row("张伟").done, 5);
    assert_eq!(row("张伟").legacy, vec![102]);
    assert_eq!(row("李娜").items, [false, true, true, true, false]);
    assert_eq!(row("赵敏").done, 0);
    // Before the round ended, the open problem was not legacy yet.
    let during = cadre_rows(&r, Some(1), &status, d(11, 25));
    assert!(during.iter().all(|c| c.legacy.is_empty()));
}

#[test]
fn the_markdown_says_the_published_sentence() {
    let (r, status) = fixture();
    let rep = build(&r, None, &status, d(12, 3), &|u| u.to_string());
    let md = markdown(&rep, Lang::Zh);
    assert!(
        md.contains("共 2 期，选派干部 6 人次进驻企业 3 户次；申报政策 4 项，涉及资金 18.50 万元；收集问题 3 个，已办结 2 个，正在办理 1 个（其中驻企遗留 1 个）；1 户企业申请加期；五个一完成率 33.3%。"),
        "{md}"
    );
    let (header, rows) = csv_rows(&rep, Lang::En);
    assert_eq!(header[0], "scope");
    // Two rounds, the total, three units.
    assert_eq!(rows.len(), 6);
}
