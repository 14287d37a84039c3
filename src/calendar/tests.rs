//! The calendar against the State Council's notices, day by day, and the deadline rule at the
//! holiday edges.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The notices, written out independently of the data file: (first day off, last day off) and
/// the weekend days worked.
fn official(year: i32) -> (Vec<(NaiveDate, NaiveDate)>, Vec<NaiveDate>) {
    match year {
        2024 => (
            vec![
                (d(2024, 1, 1), d(2024, 1, 1)),
                (d(2024, 2, 10), d(2024, 2, 17)),
                (d(2024, 4, 4), d(2024, 4, 6)),
                (d(2024, 5, 1), d(2024, 5, 5)),
                (d(2024, 6, 8), d(2024, 6, 10)),
                (d(2024, 9, 15), d(2024, 9, 17)),
                (d(2024, 10, 1), d(2024, 10, 7)),
            ],
            vec![
                d(2024, 2, 4),
                d(2024, 2, 18),
                d(2024, 4, 7),
                d(2024, 4, 28),
                d(2024, 5, 11),
                d(2024, 9, 14),
                d(2024, 9, 29),
                d(2024, 10, 12),
            ],
        ),
        2025 => (
            vec![
                (d(2025, 1, 1), d(2025, 1, 1)),
                (d(2025, 1, 28), d(2025, 2, 4)),
                (d(2025, 4, 4), d(2025, 4, 6)),
                (d(2025, 5, 1), d(2025, 5, 5)),
                (d(2025, 5, 31), d(2025, 6, 2)),
                (d(2025, 10, 1), d(2025, 10, 8)),
            ],
            vec![
                d(2025, 1, 26),
                d(2025, 2, 8),
                d(2025, 4, 27),
                d(2025, 9, 28),
                d(2025, 10, 11),
            ],
        ),
        2026 => (
            vec![
                (d(2026, 1, 1), d(2026, 1, 3)),
                (d(2026, 2, 15), d(2026, 2, 23)),
                (d(2026, 4, 4), d(2026, 4, 6)),
                (d(2026, 5, 1), d(2026, 5, 5)),
                (d(2026, 6, 19), d(2026, 6, 21)),
                (d(2026, 9, 25), d(2026, 9, 27)),
                (d(2026, 10, 1), d(2026, 10, 7)),
            ],
            vec![
                d(2026, 1, 4),
                d(2026, 2, 14),
                d(2026, 2, 28),
                d(2026, 5, 9),
                d(2026, 9, 20),
                d(2026, 10, 10),
            ],
        ),
        _ => unreachable!(),
    }
}

#[test]
fn every_day_of_2024_to_2026_matches_the_notices() {
    let cal = Calendar::builtin();
    for year in [2024, 2025, 2026] {
        let (off, work) = official(year);
        let mut workdays = 0;
        for day in d(year, 1, 1).iter_days().take_while(|x| x.year() == year) {
            let is_off = off.iter().any(|(a, b)| *a <= day && day <= *b);
            let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            let expected = !is_off && (weekday || work.contains(&day));
            assert_eq!(cal.is_workday(day), expected, "{day}");
            assert_eq!(cal.holiday_name(day).is_some(), is_off, "{day}");
            workdays += expected as u32;
        }
        // Working days per year under these notices.
        let published = match year {
            2024 => 251,
            2025 => 248,
            _ => 248,
        };
        assert_eq!(workdays, published, "{year}");
        assert!(cal.knows(year));
    }
    assert_eq!(cal.known_years(), vec![2024, 2025, 2026]);
    assert_eq!(cal.holiday_name(d(2026, 10, 3)), Some("国庆节"));
}

#[test]
fn deadlines_at_holiday_edges() {
    let cal = Calendar::builtin();
    // Logged the day before National Day: Oct 8 and 9 are the first working days.
    assert_eq!(cal.add_workdays(d(2026, 9, 30), 2).date, d(2026, 10, 9));
    // Oct 10 (Saturday) is worked, so the 5th working day is Oct 13.
    assert_eq!(cal.add_workdays(d(2026, 9, 30), 5).date, d(2026, 10, 13));
    // Friday start: Monday, Tuesday.
    assert_eq!(cal.add_workdays(d(2026, 11, 20), 2).date, d(2026, 11, 24));
    // Saturday start: the logging day never counts, working or not.
    assert_eq!(cal.add_workdays(d(2026, 11, 21), 1).date, d(2026, 11, 23));
    assert_eq!(cal.add_workdays(d(2026, 10, 10), 1).date, d(2026, 10, 12));
    // Logged on a holiday.
    assert_eq!(cal.add_workdays(d(2026, 10, 3), 2).date, d(2026, 10, 9));
    // Across the 2026 Spring Festival: Feb 13 (Fri) → Feb 14 (Sat, worked), then Feb 24.
    assert_eq!(cal.add_workdays(d(2026, 2, 13), 1).date, d(2026, 2, 14));
    assert_eq!(cal.add_workdays(d(2026, 2, 13), 2).date, d(2026, 2, 24));
    // Across the 2024 → 2025 year end: Dec 31 (Tue) → Jan 2, Jan 3.
    assert_eq!(cal.add_workdays(d(2024, 12, 31), 2).date, d(2025, 1, 3));
    assert_eq!(cal.add_workdays(d(2026, 9, 30), 0).date, d(2026, 9, 30));
}

#[test]
fn beyond_the_known_years_is_provisional() {
    let cal = Calendar::builtin();
    let due = cal.add_workdays(d(2026, 12, 30), 5);
    assert!(due.beyond_calendar);
    assert!(!cal.add_workdays(d(2026, 12, 24), 3).beyond_calendar);
    assert!(!cal.knows(2027));
    // (from, to] decides: a count ending on Dec 31 is final, one reaching Jan 1 is not.
    assert!(!cal.is_provisional(d(2026, 12, 28), d(2026, 12, 31)));
    assert!(cal.is_provisional(d(2026, 12, 31), d(2027, 1, 1)));
    assert!(!cal.is_provisional(d(2027, 1, 1), d(2027, 1, 1)));
    assert!(
        cal.is_provisional(d(2023, 12, 1), d(2023, 12, 4)),
        "2023 has no table either"
    );
}

/// The lunar crate against the notices: each festival's day as it computes it is a day off in
/// the official table of 2024, 2025 and 2026, under that festival's name.
#[test]
fn the_lunar_crate_agrees_with_the_notices() {
    let cal = Calendar::builtin();
    for year in [2024, 2025, 2026] {
        let (off, _) = official(year);
        let inside = |day: NaiveDate| off.iter().any(|(a, b)| *a <= day && day <= *b);
        let first = statutory::lunar(year, 1, 1).unwrap();
        let checks = [
            (first, "春节"),
            (first.succ_opt().unwrap(), "春节"),
            (statutory::qingming(year).unwrap(), "清明"),
            (statutory::lunar(year, 5, 5).unwrap(), "端午"),
            (statutory::lunar(year, 8, 15).unwrap(), "中秋"),
        ];
        for (day, name) in checks {
            assert!(inside(day), "{year} {name}: {day} is not off in the notice");
            let named = cal.holiday_name(day).unwrap();
            assert!(named.contains(name), "{day}: {named} ≠ {name}");
        }
        // Since the 2024 amendment (in force 2025) 除夕 is a statutory day off.
        if year >= 2025 {
            let eve = statutory::new_years_eve(year).unwrap();
            assert!(inside(eve), "{year} 除夕 {eve}");
        }
    }
    assert_eq!(statutory::lunar(2024, 1, 1), Some(d(2024, 2, 10)));
    assert_eq!(statutory::lunar(2025, 1, 1), Some(d(2025, 1, 29)));
    assert_eq!(statutory::lunar(2026, 1, 1), Some(d(2026, 2, 17)));
}

#[test]
fn a_year_without_a_notice_keeps_the_statutory_days_and_its_weekends() {
    let cal = Calendar::builtin();
    // 2027 by the law: 元旦 Friday Jan 1, 春节 Feb 5–8 (除夕 to 初三), 清明 Apr 5, 劳动节
    // May 1–2 (a weekend anyway), 端午 Jun 9, 中秋 Sep 15, 国庆 Oct 1–3.
    for off in [
        d(2027, 1, 1),
        d(2027, 2, 5),
        d(2027, 2, 8),
        d(2027, 4, 5),
        d(2027, 6, 9),
        d(2027, 9, 15),
        d(2027, 10, 1),
    ] {
        assert!(!cal.is_workday(off), "{off}");
        assert!(cal.holiday_name(off).is_some(), "{off}");
    }
    // No bridging days or worked weekends are assumed.
    assert!(cal.is_workday(d(2027, 2, 9)));
    assert!(cal.is_workday(d(2027, 10, 4)));
    assert!(!cal.is_workday(d(2027, 1, 2)), "Saturday stays off");
    assert!(!cal.is_workday(d(2027, 2, 7)), "Sunday (初二) stays off");
    assert_eq!(cal.holiday_name(d(2027, 2, 5)), Some("春节"));
    assert_eq!(cal.holiday_name(d(2027, 1, 4)), None);
    // Monday 28 December 2026 + 5: Dec 29, 30, 31, Jan 4, 5 (New Year's Day off).
    let due = cal.add_workdays(d(2026, 12, 28), 5);
    assert_eq!((due.date, due.beyond_calendar), (d(2027, 1, 5), true));
    // The whole year: 365 days, 104 weekend days, 7 statutory days on weekdays (Jan 1,
    // Feb 5 and 8, Apr 5, Jun 9, Sep 15, Oct 1).
    assert_eq!(
        cal.workdays_between(d(2026, 12, 31), d(2027, 12, 31)),
        365 - 104 - 7
    );
    // Far outside the index's span the days are worked out when asked.
    let mut slow = cal.clone();
    slow.index = None;
    assert_eq!(cal.holiday_name(d(2090, 10, 2)), Some("国庆节"));
    assert!(
        !cal.is_workday(d(2090, 10, 2)),
        "a Monday, and National Day"
    );
    assert_eq!(
        slow.workdays_between(d(2089, 12, 29), d(2090, 1, 10)),
        cal.workdays_between(d(2089, 12, 29), d(2090, 1, 10))
    );
}

#[test]
fn a_user_table_replaces_the_statutory_days_of_its_year() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("holidays.toml");
    std::fs::write(
        &p,
        "[2027]\nholidays = [ { name = \"元旦\", off = \"2027-01-01..2027-01-04\", work = [\"2027-01-09\"] } ]\n",
    )
    .unwrap();
    let cal = Calendar::builtin().with_user_file(&p).unwrap();
    assert!(!cal.is_workday(d(2027, 1, 4)));
    assert!(cal.is_workday(d(2027, 1, 9)));
    // The table is the whole year: days the law fixes but the table leaves out are worked.
    assert!(cal.is_workday(d(2027, 2, 5)));
    let due = cal.add_workdays(d(2026, 12, 28), 5);
    assert_eq!((due.date, due.beyond_calendar), (d(2027, 1, 6), false));
    // 2028 still has no table.
    assert!(cal.add_workdays(d(2027, 12, 30), 2).beyond_calendar);
}

#[test]
fn workdays_between_counts_after_the_start() {
    let cal = Calendar::builtin();
    assert_eq!(cal.workdays_between(d(2026, 9, 30), d(2026, 10, 9)), 2);
    assert_eq!(cal.workdays_between(d(2026, 9, 30), d(2026, 9, 30)), 0);
    assert_eq!(cal.workdays_between(d(2026, 10, 9), d(2026, 9, 30)), 0);
}

#[test]
fn user_file_adds_and_replaces_years() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("holidays.toml");
    std::fs::write(
        &p,
        "[2027]\nholidays = [ { name = \"元旦\", off = \"2027-01-01\" } ]\n",
    )
    .unwrap();
    let cal = Calendar::builtin().with_user_file(&p).unwrap();
    assert!(cal.knows(2027));
    assert!(!cal.is_workday(d(2027, 1, 1)));
    assert!(!cal.add_workdays(d(2026, 12, 30), 5).beyond_calendar);
    // Replacing 2026 with an empty table.
    std::fs::write(&p, "[2026]\nholidays = []\n").unwrap();
    let cal = Calendar::builtin().with_user_file(&p).unwrap();
    assert!(cal.is_workday(d(2026, 10, 8)));
    // Missing file: unchanged.
    assert!(Calendar::builtin()
        .with_user_file(&dir.path().join("none.toml"))
        .is_ok());
}

#[test]
fn errors_name_the_line_in_plain_words_in_both_languages() {
    let bad = |text: &str| Calendar::from_toml_str(text, "h.toml").unwrap_err();
    let h = |line: &str| format!("[2027]\nholidays = [\n  {line},\n]\n");
    let cases: Vec<(String, usize, &str, &str, &str)> = vec![
        (
            h("{ name = \"x\", off = \"2027-02-30\" }"),
            3,
            "2027.holidays.off",
            "不是日期或日期范围",
            "is not a date or a range",
        ),
        (
            h("{ name = \"x\", off = \"27-1-1\" }"),
            3,
            "2027.holidays.off",
            "年份写满四位",
            "four-digit year",
        ),
        (
            h("{ name = \"x\", off = \"2027-01-05..2027-01-01\" }"),
            3,
            "2027.holidays.off",
            "结束日期早于开始日期",
            "ends before it starts",
        ),
        (
            h("{ name = \"x\", off = \"2028-01-01\" }"),
            3,
            "2027.holidays.off",
            "请移到 [2028] 下",
            "put it under [2028]",
        ),
        (
            h("{ name = \"x\", off = \"2027-01-01\", work = [\"2027-01-04\"] }"),
            3,
            "2027.holidays.work",
            "是星期一，本来就是工作日",
            "is a Monday, already a working day",
        ),
        (
            "[2027]\nholidays = [\n  { name = \"x\", off = \"2027-01-01..2027-01-03\" },\n  { name = \"y\", off = \"2027-01-03\" },\n]\n".into(),
            4,
            "2027.holidays.off",
            "已是「x」的假日",
            "already a day of x",
        ),
        (
            h("{ name = \"x\", off = \"2027-01-01\", bogus = 1 }"),
            3,
            "2027.holidays.bogus",
            "没有这个设置项",
            "no such setting",
        ),
        (
            h("{ name = \"x\", off = 20270101 }"),
            3,
            "2027.holidays.off",
            "数字 20270101",
            "found the number 20270101",
        ),
        (h("{ off = \"2027-01-01\" }"), 3, "2027.holidays.name", "没有名称", "without a name"),
        (
            "[abc]\nholidays = []\n".into(),
            1,
            "abc",
            "节名应为年份",
            "section names are years",
        ),
        (
            "[2027]\nholidays = \"元旦\"\n".into(),
            2,
            "2027.holidays",
            "应为假日列表",
            "must be a list of holidays",
        ),
    ];
    for (text, line, field, zh, en) in cases {
        let e = bad(&text);
        assert_eq!((e.line, e.field.as_str()), (line, field), "{text:?}: {e}");
        assert!(e.zh.contains(zh), "{text:?}: {}", e.zh);
        assert!(e.en.contains(en), "{text:?}: {}", e.en);
        for m in [&e.zh, &e.en] {
            assert!(
                !m.contains("invalid type") && !m.contains("expected") && !m.contains("Raw"),
                "{m}"
            );
        }
    }
    // The arrays-of-tables form and a byte-order mark are read too.
    let cal = Calendar::from_toml_str(
        "\u{feff}[[2027.holidays]]\nname = \"元旦\"\noff = \"2027-01-01\"\n",
        "h.toml",
    )
    .unwrap();
    assert!(!cal.is_workday(d(2027, 1, 1)));
}

#[test]
fn the_workday_index_counts_as_the_days_one_by_one() {
    let cal = Calendar::builtin();
    let mut slow = cal.clone();
    slow.index = None;
    let base = d(2023, 12, 20);
    // Every pair of dates over the shipped years and beyond them, in steps that hit holidays,
    // adjusted weekends and year ends.
    for a in (0..1200).step_by(7) {
        for len in [0i64, 1, 2, 3, 5, 9, 30, 200, 800] {
            let from = base + chrono::Duration::days(a);
            let to = from + chrono::Duration::days(len);
            assert_eq!(
                cal.workdays_between(from, to),
                slow.workdays_between(from, to),
                "{from}..{to}"
            );
            assert_eq!(cal.workdays_between(to, from), 0);
        }
    }
    // Before the span the index covers, days are counted one by one.
    assert_eq!(
        cal.workdays_between(d(1990, 1, 1), d(1990, 1, 8)),
        slow.workdays_between(d(1990, 1, 1), d(1990, 1, 8))
    );
    // 2026 National Day: 10-01..10-07 off, then Thursday and Friday worked.
    assert_eq!(cal.workdays_between(d(2026, 9, 30), d(2026, 10, 9)), 2);
    // 10-10 is a Saturday worked.
    assert_eq!(cal.workdays_between(d(2026, 10, 9), d(2026, 10, 11)), 1);
}
