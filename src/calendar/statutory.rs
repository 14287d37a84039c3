//! The days off the law itself fixes, for a year whose State Council notice is not in the
//! calendar yet: 《全国年节及纪念日放假办法》. Each year's notice adds bridging days and the
//! weekend days worked in exchange (调休); those cannot be known in advance, so none are
//! assumed — weekends stay off and no weekend becomes a working day. The lunar dates and the
//! Qingming solar term come from `tyme4rs`.

use chrono::{Datelike, NaiveDate};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

/// A statutory holiday, named as the notices name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    NewYear,
    SpringFestival,
    Qingming,
    Labour,
    DragonBoat,
    MidAutumn,
    National,
}

impl Holiday {
    /// The name the State Council's notices (and `data/holidays/cn.toml`) use.
    pub fn zh(self) -> &'static str {
        match self {
            Holiday::NewYear => "元旦",
            Holiday::SpringFestival => "春节",
            Holiday::Qingming => "清明节",
            Holiday::Labour => "劳动节",
            Holiday::DragonBoat => "端午节",
            Holiday::MidAutumn => "中秋节",
            Holiday::National => "国庆节",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Holiday::NewYear => "New Year's Day",
            Holiday::SpringFestival => "Spring Festival",
            Holiday::Qingming => "Qingming Festival",
            Holiday::Labour => "Labour Day",
            Holiday::DragonBoat => "Dragon Boat Festival",
            Holiday::MidAutumn => "Mid-Autumn Festival",
            Holiday::National => "National Day",
        }
    }
}

/// Years the lunar and solar-term computations are asked about (the crate covers more; this
/// keeps every conversion well inside it). Outside, only the Gregorian-dated days are known.
const LUNAR_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

fn to_date(d: SolarDay) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::try_from(d.get_year()).ok()?,
        u32::try_from(d.get_month()).ok()?,
        u32::try_from(d.get_day()).ok()?,
    )
}

/// The Gregorian date of a day of the lunar year `year` (month 1–12, not a leap month).
pub fn lunar(year: i32, month: i32, day: usize) -> Option<NaiveDate> {
    if !LUNAR_YEARS.contains(&year) {
        return None;
    }
    let d = LunarDay::new(year as isize, month as isize, day).ok()?;
    to_date(d.get_solar_day())
}

/// 除夕: the last day of the lunar year that ends in Gregorian `year` (the eve of 正月初一).
pub fn new_years_eve(year: i32) -> Option<NaiveDate> {
    lunar(year, 1, 1)?.pred_opt()
}

/// The day of the Qingming solar term (the sun at 15° longitude, Beijing time): April 4 or 5.
pub fn qingming(year: i32) -> Option<NaiveDate> {
    if !LUNAR_YEARS.contains(&year) {
        return None;
    }
    // The day the calendars print (the term's instant in Beijing time, to the day).
    to_date(SolarTerm::new(year as isize, "清明").ok()?.get_solar_day())
}

/// The statutory days off of `year`, in date order, under the rules in force that year:
/// from 2025 the 2024 amendment (元旦 1 day, 春节 4 from 除夕, 清明 1, 劳动节 2, 端午 1,
/// 中秋 1, 国庆 3); 2014–2024 the 2013 revision (春节 正月初一–初三, 劳动节 1); 2008–2013 the
/// 2007 revision (春节 除夕–初二); before 2008 the 1999 rules (春节 初一–初三, 劳动节 and
/// 国庆 3 days each, no Qingming, Dragon Boat or Mid-Autumn day).
pub fn days_off(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let mut out: Vec<(NaiveDate, Holiday)> = Vec::new();
    let mut put = |d: Option<NaiveDate>, h: Holiday| {
        // A lunar festival may fall on a fixed one (中秋 on 国庆): the day is off once.
        if let Some(d) = d.filter(|d| d.year() == year) {
            if !out.iter().any(|(x, _)| *x == d) {
                out.push((d, h));
            }
        }
    };
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    put(ymd(1, 1), Holiday::NewYear);
    let first = lunar(year, 1, 1);
    let spring: &[i64] = match year {
        2025.. => &[-1, 0, 1, 2],
        2014..=2024 => &[0, 1, 2],
        2008..=2013 => &[-1, 0, 1],
        _ => &[0, 1, 2],
    };
    for k in spring {
        put(
            first.and_then(|f| f.checked_add_signed(chrono::Duration::days(*k))),
            Holiday::SpringFestival,
        );
    }
    let labour = match year {
        2025.. => 1..=2,
        2008..=2024 => 1..=1,
        _ => 1..=3,
    };
    for d in labour {
        put(ymd(5, d), Holiday::Labour);
    }
    if year >= 2008 {
        put(qingming(year), Holiday::Qingming);
        put(lunar(year, 5, 5), Holiday::DragonBoat);
    }
    for d in 1..=3 {
        put(ymd(10, d), Holiday::National);
    }
    if year >= 2008 {
        put(lunar(year, 8, 15), Holiday::MidAutumn);
    }
    out.sort_by_key(|(d, _)| *d);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn known_future_dates() {
        assert_eq!(new_years_eve(2027), Some(d(2027, 2, 5)));
        assert_eq!(lunar(2027, 1, 1), Some(d(2027, 2, 6)));
        assert_eq!(lunar(2027, 5, 5), Some(d(2027, 6, 9)));
        assert_eq!(lunar(2027, 8, 15), Some(d(2027, 9, 15)));
        assert_eq!(qingming(2027), Some(d(2027, 4, 5)));
        // Qingming moves between April 4 and 5.
        assert_eq!(qingming(2024), Some(d(2024, 4, 4)));
        assert_eq!(qingming(2025), Some(d(2025, 4, 4)));
        assert_eq!(qingming(2026), Some(d(2026, 4, 5)));
    }

    #[test]
    fn the_2027_statutory_days() {
        let days: Vec<(NaiveDate, &str)> = days_off(2027)
            .into_iter()
            .map(|(d, h)| (d, h.zh()))
            .collect();
        assert_eq!(
            days,
            vec![
                (d(2027, 1, 1), "元旦"),
                (d(2027, 2, 5), "春节"),
                (d(2027, 2, 6), "春节"),
                (d(2027, 2, 7), "春节"),
                (d(2027, 2, 8), "春节"),
                (d(2027, 4, 5), "清明节"),
                (d(2027, 5, 1), "劳动节"),
                (d(2027, 5, 2), "劳动节"),
                (d(2027, 6, 9), "端午节"),
                (d(2027, 9, 15), "中秋节"),
                (d(2027, 10, 1), "国庆节"),
                (d(2027, 10, 2), "国庆节"),
                (d(2027, 10, 3), "国庆节"),
            ]
        );
    }

    #[test]
    fn rules_of_earlier_years() {
        // 2024: 春节 初一–初三 only, 劳动节 one day.
        let y24: Vec<NaiveDate> = days_off(2024).into_iter().map(|(d, _)| d).collect();
        assert!(
            !y24.contains(&d(2024, 2, 9)),
            "除夕 was not a statutory day in 2024"
        );
        assert!(y24.contains(&d(2024, 2, 10)) && y24.contains(&d(2024, 2, 12)));
        assert!(!y24.contains(&d(2024, 5, 2)));
        assert_eq!(y24.len(), 11);
        // From 2025, 13 days a year, one fewer when 中秋 falls on National Day.
        assert_eq!(days_off(2025).len(), 13);
        let y28 = days_off(2028);
        assert_eq!(y28.len(), 12, "中秋 2028-10-03 falls on National Day");
        assert!(y28.contains(&(d(2028, 10, 3), Holiday::National)));
    }

    #[test]
    fn outside_the_lunar_years_only_gregorian_days() {
        let days = days_off(9999);
        assert_eq!(days.len(), 1 + 2 + 3);
        assert!(lunar(9999, 1, 1).is_none());
        assert!(qingming(1800).is_none());
    }
}
