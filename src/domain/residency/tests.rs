use super::*;
use chrono::NaiveDate;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn rec(seq: u64, event: EventKind) -> Recorded {
    Recorded {
        seq,
        at: d(11, 20).and_hms_opt(9, 0, 0).unwrap(),
        by: "王芳".into(),
        district: None,
        event,
    }
}

fn cadre(name: &str, unit: &str) -> Cadre {
    Cadre {
        name: name.into(),
        unit: unit.into(),
        rank: "科级".into(),
    }
}

fn round(no: u32) -> EventKind {
    EventKind::RoundSaved {
        round: Round {
            no,
            start: d(11, 16),
            end: d(11, 29),
            organisers: vec!["区委组织部".into()],
            title: String::new(),
        },
    }
}

fn place(id: u64, firm: &str, a: &str, b: &str) -> EventKind {
    EventKind::PlacementSaved {
        placement: Placement {
            id,
            round: 1,
            enterprise: firm.into(),
            enterprise_name: format!("企业{firm}"),
            cadres: vec![cadre(a, "economy"), cadre(b, "tax")],
        },
    }
}

fn order(firm: &str, units: &[&str], cadres: &[&str]) -> EventKind {
    EventKind::OrderSaved {
        order: Order {
            round: 1,
            enterprise: firm.into(),
            enterprise_name: format!("企业{firm}"),
            units: units.iter().map(|s| s.to_string()).collect(),
            cadres: cadres.iter().map(|s| s.to_string()).collect(),
            needs: String::new(),
            visited: d(11, 10),
        },
    }
}

fn programme(events: Vec<EventKind>) -> Residency {
    let mut r = Residency::default();
    for (k, e) in events.into_iter().enumerate() {
        r.apply(&rec(k as u64 + 1, e)).unwrap();
    }
    r
}

#[test]
fn a_round_runs_ends_and_closes() {
    let r = programme(vec![round(1)]);
    let k = &r.rounds[&1];
    assert_eq!(k.phase(d(11, 15)), RoundPhase::Planned);
    assert_eq!(k.phase(d(11, 16)), RoundPhase::Running);
    assert_eq!(k.phase(d(11, 29)), RoundPhase::Running);
    assert_eq!(k.phase(d(11, 30)), RoundPhase::Ended);
    let mut r = r;
    r.apply(&rec(
        2,
        EventKind::RoundClosed {
            no: 1,
            note: String::new(),
        },
    ))
    .unwrap();
    assert_eq!(r.rounds[&1].phase(d(11, 20)), RoundPhase::Closed);
    // Nothing changes in a closed round.
    assert_eq!(
        r.apply(&rec(3, place(1, "A", "张伟", "李娜"))),
        Err(ResidencyError::RoundClosed(1))
    );
    assert_eq!(
        r.apply(&rec(3, round(1))),
        Err(ResidencyError::RoundClosed(1))
    );
}

#[test]
fn entries_need_a_standing_placement_and_its_cadre() {
    let mut r = programme(vec![round(1), place(1, "A", "张伟", "李娜")]);
    let entry = |cadre: &str| EventKind::ChecklistRecorded {
        placement: 1,
        cadre: cadre.into(),
        item: ChecklistItem::Suggestion {
            text: "共享检测平台".into(),
        },
    };
    r.apply(&rec(3, entry("张伟"))).unwrap();
    assert_eq!(
        r.apply(&rec(4, entry("王磊"))),
        Err(ResidencyError::NotPlaced {
            placement: 1,
            cadre: "王磊".into()
        })
    );
    let void = |index| EventKind::ChecklistVoided {
        placement: 1,
        cadre: "张伟".into(),
        index,
        reason: "误登".into(),
    };
    r.apply(&rec(5, void(0))).unwrap();
    // Voided once; the entry stays, voided, and no longer counts.
    assert!(r.apply(&rec(6, void(0))).is_err());
    assert!(r.apply(&rec(6, void(1))).is_err());
    assert_eq!(r.placements[&1].entries["张伟"].len(), 1);
    assert_eq!(r.placements[&1].live_entries("张伟").count(), 0);
    r.apply(&rec(
        7,
        EventKind::PlacementVoided {
            placement: 1,
            reason: "重复登记".into(),
        },
    ))
    .unwrap();
    assert_eq!(
        r.apply(&rec(8, entry("张伟"))),
        Err(ResidencyError::PlacementVoided(1))
    );
    assert_eq!(r.placements_of(1).count(), 0);
}

#[test]
fn the_five_ones_count_a_closed_problem_and_the_live_entries() {
    let mut r = programme(vec![round(1), place(1, "A", "张伟", "李娜")]);
    let items = [
        ChecklistItem::Policy {
            name: "技术改造专项资金".into(),
            amount_fen: 12_500_000,
        },
        ChecklistItem::Policy {
            name: "稳岗返还".into(),
            amount_fen: 3_000_000,
        },
        ChecklistItem::Suggestion { text: "x".into() },
        ChecklistItem::LineDay { date: d(11, 18) },
        ChecklistItem::Report {
            title: "在车间的一天".into(),
        },
    ];
    for (k, item) in items.into_iter().enumerate() {
        r.apply(&rec(
            3 + k as u64,
            EventKind::ChecklistRecorded {
                placement: 1,
                cadre: "张伟".into(),
                item,
            },
        ))
        .unwrap();
    }
    for issue in [10, 11, 12] {
        r.apply(&rec(
            20 + issue,
            EventKind::ResidencyIssueLinked {
                issue,
                placement: 1,
                cadre: "张伟".into(),
            },
        ))
        .unwrap();
    }
    let k = &r.placements[&1];
    let links = r.issues_of(1, "张伟");
    assert_eq!(links, vec![10, 11, 12]);
    // Raised: one in progress, one voided (not counted), none closed: four of five.
    let open = |id: u64| match id {
        10 => Some(IssueStatus::InProgress),
        11 => Some(IssueStatus::Voided),
        _ => Some(IssueStatus::Replied),
    };
    let f = five_ones(k, "张伟", &links, &open);
    assert_eq!((f.problems_raised, f.problems_closed), (2, 0));
    assert_eq!(f.items(), [false, true, true, true, true]);
    assert_eq!(f.done(), 4);
    assert_eq!((f.policies, f.amount_fen), (2, 15_500_000));
    // One closed: all five.
    let closed = |id: u64| (id == 12).then_some(IssueStatus::Closed);
    assert!(five_ones(k, "张伟", &links, &closed).complete());
    // The other cadre of the pair has nothing yet.
    assert_eq!(five_ones(k, "李娜", &[], &closed).done(), 0);
    // An issue is linked once.
    assert_eq!(
        r.apply(&rec(
            40,
            EventKind::ResidencyIssueLinked {
                issue: 10,
                placement: 1,
                cadre: "李娜".into(),
            },
        )),
        Err(ResidencyError::Linked(10))
    );
}

#[test]
fn an_open_problem_outlives_its_round_as_legacy() {
    let mut r = programme(vec![round(1), place(1, "A", "张伟", "李娜")]);
    r.apply(&rec(
        3,
        EventKind::ResidencyIssueLinked {
            issue: 7,
            placement: 1,
            cadre: "李娜".into(),
        },
    ))
    .unwrap();
    assert!(!r.is_legacy(7, IssueStatus::Assigned, d(11, 29)));
    assert!(r.is_legacy(7, IssueStatus::Assigned, d(11, 30)));
    assert!(!r.is_legacy(7, IssueStatus::Closed, d(11, 30)));
    assert!(!r.is_legacy(8, IssueStatus::Assigned, d(11, 30)));
    r.apply(&rec(
        4,
        EventKind::RoundClosed {
            no: 1,
            note: String::new(),
        },
    ))
    .unwrap();
    // Closing the round early makes it legacy at once; only closing the issue ends it.
    assert!(r.is_legacy(7, IssueStatus::InProgress, d(11, 20)));
    assert!(!r.is_legacy(7, IssueStatus::Voided, d(11, 20)));
}

#[test]
fn matching_finds_unmet_orders_named_cadres_and_double_bookings() {
    let r = programme(vec![
        round(1),
        // A: wants economy and the named 张伟, gets both.
        order("A", &["economy"], &["张伟"]),
        place(1, "A", "张伟", "李娜"),
        // B: asks for 张伟 too (popular), and for market, which nobody placed there is from.
        order("B", &["market"], &["张伟"]),
        place(2, "B", "王磊", "赵敏"),
        // C: ordered, never placed.
        order("C", &["tax"], &[]),
        // D: placed without an order; 李娜 double booked.
        place(3, "D", "周强", "李娜"),
    ]);
    let m = matching(&r, 1);
    assert_eq!(m.unplaced, vec!["C".to_string()]);
    assert_eq!(
        m.units_missing,
        vec![("B".to_string(), vec!["market".to_string()])]
    );
    assert_eq!(
        m.named_missing,
        vec![("B".to_string(), "张伟".to_string(), Some("A".to_string()))]
    );
    assert_eq!(m.double_booked.len(), 1);
    assert_eq!(m.double_booked[0].0.name, "李娜");
    assert_eq!(m.double_booked[0].1, vec!["A".to_string(), "D".to_string()]);
    assert_eq!(
        m.popular,
        vec![("张伟".to_string(), vec!["A".to_string(), "B".to_string()])]
    );
    assert_eq!(m.no_order, vec!["D".to_string()]);
    assert!(!m.is_clean());
    assert_eq!(also_placed(&r, 1, &cadre("李娜", "tax")), vec![1, 3]);
    // A round with every order met is clean.
    let clean = programme(vec![
        round(1),
        order("A", &["economy"], &["张伟"]),
        place(1, "A", "张伟", "李娜"),
    ]);
    assert!(matching(&clean, 1).is_clean());
}

#[test]
fn amounts_are_read_as_yuan_or_wan_and_kept_exact() {
    assert_eq!(parse_amount("120000"), Some(12_000_000));
    assert_eq!(parse_amount("3500.50"), Some(350_050));
    assert_eq!(parse_amount("12万"), Some(12_000_000));
    assert_eq!(parse_amount("2.5万元"), Some(2_500_000));
    assert_eq!(parse_amount("1,200元"), Some(120_000));
    assert_eq!(parse_amount("0.0001万"), Some(100));
    for bad in ["", "abc", "-5", "1.2.3", "12万万", "1.005", "万"] {
        assert_eq!(parse_amount(bad), None, "{bad}");
    }
    assert_eq!(wan(12_000_000), "12.00");
    assert_eq!(wan(2_723_000_000), "2723.00");
    assert_eq!(wan(1_234_567), "1.23");
    assert_eq!(yuan(350_050), "3500.50");
}
