//! Dates and times as text for people and JSON (chrono's own format), as plain integers for
//! the binary view encoding: the view decodes every issue in bulk, and parsing eight date
//! strings per issue was most of that cost.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

fn to_secs(t: &NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}
fn from_secs<E: serde::de::Error>(s: i64) -> Result<NaiveDateTime, E> {
    chrono::DateTime::from_timestamp(s, 0)
        .map(|d| d.naive_utc())
        .ok_or_else(|| E::custom(format!("time out of range: {s}")))
}

/// `#[serde(with = "serde_time::datetime")]`
pub mod datetime {
    use super::*;
    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            t.serialize(s)
        } else {
            to_secs(t).serialize(s)
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        if d.is_human_readable() {
            NaiveDateTime::deserialize(d)
        } else {
            from_secs(i64::deserialize(d)?)
        }
    }
}

/// `#[serde(with = "serde_time::opt_datetime")]`
pub mod opt_datetime {
    use super::*;
    pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            t.serialize(s)
        } else {
            t.as_ref().map(to_secs).serialize(s)
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        if d.is_human_readable() {
            Option::<NaiveDateTime>::deserialize(d)
        } else {
            Option::<i64>::deserialize(d)?.map(from_secs).transpose()
        }
    }
}

/// `#[serde(with = "serde_time::date")]`
pub mod date {
    use super::*;
    pub fn serialize<S: Serializer>(t: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            t.serialize(s)
        } else {
            t.to_epoch_days().serialize(s)
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        if d.is_human_readable() {
            NaiveDate::deserialize(d)
        } else {
            let n = i32::deserialize(d)?;
            NaiveDate::from_epoch_days(n)
                .ok_or_else(|| serde::de::Error::custom(format!("date out of range: {n}")))
        }
    }
}

/// `#[serde(with = "serde_time::opt_date")]`
pub mod opt_date {
    use super::*;
    pub fn serialize<S: Serializer>(t: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            t.serialize(s)
        } else {
            t.map(|d| d.to_epoch_days()).serialize(s)
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        if d.is_human_readable() {
            Option::<NaiveDate>::deserialize(d)
        } else {
            Option::<i32>::deserialize(d)?
                .map(|n| {
                    NaiveDate::from_epoch_days(n)
                        .ok_or_else(|| serde::de::Error::custom(format!("date out of range: {n}")))
                })
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct T {
        #[serde(with = "datetime")]
        at: NaiveDateTime,
        #[serde(with = "opt_datetime")]
        maybe: Option<NaiveDateTime>,
        #[serde(with = "date")]
        day: NaiveDate,
    }

    #[test]
    fn text_for_json_integers_for_bincode_both_round_trip() {
        let t = T {
            at: NaiveDateTime::parse_from_str("2026-09-30T10:05:07", "%Y-%m-%dT%H:%M:%S").unwrap(),
            maybe: None,
            day: NaiveDate::from_ymd_opt(2026, 10, 9).unwrap(),
        };
        let j = serde_json::to_string(&t).unwrap();
        assert_eq!(
            j,
            r#"{"at":"2026-09-30T10:05:07","maybe":null,"day":"2026-10-09"}"#
        );
        assert_eq!(serde_json::from_str::<T>(&j).unwrap(), t);
        let b = bincode::serialize(&t).unwrap();
        assert_eq!(b.len(), 8 + 1 + 4);
        assert_eq!(bincode::deserialize::<T>(&b).unwrap(), t);
        let t2 = T {
            maybe: Some(t.at),
            ..t
        };
        assert_eq!(
            bincode::deserialize::<T>(&bincode::serialize(&t2).unwrap()).unwrap(),
            t2
        );
    }
}
