//! Settings and the unit list: shipped defaults (embedded), overridden by `config.toml` and
//! `units.toml` in the data directory. Every problem is reported with file:line.

use std::path::Path;

use serde::Deserialize;

use crate::domain::deadline::DeadlineRule;
use crate::domain::{QuietDays, Unit, UnitKind, Units};
use crate::i18n::Lang;

const DEFAULT_CONFIG: &str = include_str!("../data/config.toml");
const DEFAULT_UNITS: &str = include_str!("../data/units.toml");

/// A configuration problem, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The desk's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub lang: Lang,
    pub deadlines: DeadlineRule,
    pub quiet_days: QuietDays,
    pub max_inspections_30d: u32,
    pub categories: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    lang: Option<toml::Spanned<String>>,
    #[serde(default)]
    deadlines: RawDeadlines,
    #[serde(default)]
    inspections: RawInspections,
    #[serde(default)]
    issues: RawIssues,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDeadlines {
    contact_days: Option<toml::Spanned<i64>>,
    reply_days: Option<toml::Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawInspections {
    quiet_first_day: Option<toml::Spanned<i64>>,
    quiet_last_day: Option<toml::Spanned<i64>>,
    max_per_30_days: Option<toml::Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawIssues {
    categories: Option<toml::Spanned<Vec<String>>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn err(file: &str, text: &str, offset: usize, message: impl Into<String>) -> ConfigError {
    ConfigError {
        file: file.to_string(),
        line: line_of(text, offset),
        message: message.into(),
    }
}

fn toml_err(file: &str, text: &str, e: toml::de::Error) -> ConfigError {
    let line = e.span().map_or(1, |s| line_of(text, s.start));
    ConfigError {
        file: file.to_string(),
        line,
        message: e.message().to_string(),
    }
}

impl Config {
    /// The shipped defaults.
    pub fn builtin() -> Config {
        Config::parse(DEFAULT_CONFIG, "config.toml", None).expect("shipped config.toml is valid")
    }

    /// Parses a config file; values it leaves out come from `base` (or the built-in values).
    pub fn parse(text: &str, file: &str, base: Option<&Config>) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_err(file, text, e))?;
        let mut c = base.cloned().unwrap_or(Config {
            lang: Lang::Zh,
            deadlines: DeadlineRule::default(),
            quiet_days: QuietDays::default(),
            max_inspections_30d: 2,
            categories: vec![],
        });
        if let Some(l) = raw.lang {
            c.lang = Lang::parse(l.get_ref()).ok_or_else(|| {
                err(
                    file,
                    text,
                    l.span().start,
                    format!("lang = \"{}\": use \"zh\" or \"en\"", l.get_ref()),
                )
            })?;
        }
        let days =
            |v: &toml::Spanned<i64>, name: &str, lo: i64, hi: i64| -> Result<u32, ConfigError> {
                let n = *v.get_ref();
                if (lo..=hi).contains(&n) {
                    Ok(n as u32)
                } else {
                    Err(err(
                        file,
                        text,
                        v.span().start,
                        format!("{name} = {n}: must be between {lo} and {hi}"),
                    ))
                }
            };
        if let Some(v) = &raw.deadlines.contact_days {
            c.deadlines.contact_days = days(v, "contact_days", 1, 60)?;
        }
        if let Some(v) = &raw.deadlines.reply_days {
            c.deadlines.reply_days = days(v, "reply_days", 1, 120)?;
        }
        if c.deadlines.reply_days < c.deadlines.contact_days {
            let at = raw
                .deadlines
                .reply_days
                .as_ref()
                .map_or(0, |v| v.span().start);
            return Err(err(
                file,
                text,
                at,
                "reply_days must not be shorter than contact_days",
            ));
        }
        if let Some(v) = &raw.inspections.quiet_first_day {
            c.quiet_days.first = days(v, "quiet_first_day", 1, 31)?;
        }
        if let Some(v) = &raw.inspections.quiet_last_day {
            c.quiet_days.last = days(v, "quiet_last_day", 1, 31)?;
        }
        if c.quiet_days.last < c.quiet_days.first {
            let at = raw
                .inspections
                .quiet_last_day
                .as_ref()
                .map_or(0, |v| v.span().start);
            return Err(err(
                file,
                text,
                at,
                "quiet_last_day must not be before quiet_first_day",
            ));
        }
        if let Some(v) = &raw.inspections.max_per_30_days {
            c.max_inspections_30d = days(v, "max_per_30_days", 1, 100)?;
        }
        if let Some(v) = raw.issues.categories {
            let list: Vec<String> = v.get_ref().iter().map(|s| s.trim().to_string()).collect();
            if list.is_empty() || list.iter().any(|s| s.is_empty()) {
                return Err(err(
                    file,
                    text,
                    v.span().start,
                    "categories must be a non-empty list of names",
                ));
            }
            c.categories = list;
        }
        Ok(c)
    }

    /// Built-in defaults overridden by `<dir>/config.toml` if present.
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        let base = Config::builtin();
        let path = dir.join("config.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, &path.display().to_string(), Some(&base)),
            Err(_) => Ok(base),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnits {
    unit: Vec<toml::Spanned<RawUnit>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    id: String,
    name: String,
    #[serde(default)]
    name_en: String,
    kind: String,
}

/// Parses a units file.
pub fn parse_units(text: &str, file: &str) -> Result<Units, ConfigError> {
    let raw: RawUnits = toml::from_str(text).map_err(|e| toml_err(file, text, e))?;
    let mut units = Units::default();
    for u in raw.unit {
        let at = u.span().start;
        let u = u.into_inner();
        let id = u.id.trim().to_string();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(err(
                file,
                text,
                at,
                format!("unit id \"{id}\": use ASCII letters, digits, - or _"),
            ));
        }
        if u.name.trim().is_empty() {
            return Err(err(file, text, at, format!("unit \"{id}\" has no name")));
        }
        let kind = match u.kind.as_str() {
            "lead" => UnitKind::Lead,
            "coordinating" => UnitKind::Coordinating,
            k => {
                return Err(err(
                    file,
                    text,
                    at,
                    format!("unit \"{id}\": kind \"{k}\" must be \"lead\" or \"coordinating\""),
                ))
            }
        };
        if units
            .units
            .iter()
            .any(|x| x.id == id || x.name == u.name.trim())
        {
            return Err(err(
                file,
                text,
                at,
                format!("unit \"{id}\" ({}) is listed twice", u.name),
            ));
        }
        units.units.push(Unit {
            id,
            name: u.name.trim().to_string(),
            name_en: u.name_en,
            kind,
        });
    }
    if units.leads().next().is_none() {
        return Err(ConfigError {
            file: file.into(),
            line: 1,
            message: "no lead unit: at least one unit needs kind = \"lead\"".into(),
        });
    }
    Ok(units)
}

/// The shipped unit list.
pub fn builtin_units() -> Units {
    parse_units(DEFAULT_UNITS, "units.toml").expect("shipped units.toml is valid")
}

/// `<dir>/units.toml` if present, else the shipped list.
pub fn load_units(dir: &Path) -> Result<Units, ConfigError> {
    let path = dir.join("units.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_units(&text, &path.display().to_string()),
        Err(_) => Ok(builtin_units()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_defaults() {
        let c = Config::builtin();
        assert_eq!(
            c.deadlines,
            DeadlineRule {
                contact_days: 2,
                reply_days: 5
            }
        );
        assert_eq!(c.quiet_days, QuietDays { first: 8, last: 23 });
        assert_eq!(c.categories.len(), 12);
        let u = builtin_units();
        assert_eq!(u.leads().count(), 14);
        assert_eq!(u.units.len(), 18);
        assert_eq!(u.find("区税务局").map(|u| u.id.as_str()), Some("tax"));
        assert_eq!(u.find("税务局").map(|u| u.id.as_str()), Some("tax"));
        assert_eq!(u.find("TAX").map(|u| u.id.as_str()), Some("tax"));
    }

    #[test]
    fn errors_carry_file_and_line() {
        let e = Config::parse(
            "lang = \"zh\"\n[deadlines]\ncontact_days = 0\n",
            "c.toml",
            None,
        )
        .unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("c.toml", 3));
        assert!(e.message.contains("contact_days"), "{e}");
        let e = Config::parse("\n\nbogus = 1\n", "c.toml", None).unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        let e = Config::parse("lang = \"fr\"\n", "c.toml", None).unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse_units("[[unit]]\nid = \"a\"\nname = \"甲\"\nkind = \"lead\"\n[[unit]]\nid = \"a\"\nname = \"乙\"\nkind = \"lead\"\n", "u.toml")
            .unwrap_err();
        assert!(e.message.contains("twice"), "{e}");
        let e = parse_units(
            "[[unit]]\nid = \"a\"\nname = \"甲\"\nkind = \"boss\"\n",
            "u.toml",
        )
        .unwrap_err();
        assert!(e.message.contains("boss"), "{e}");
    }

    #[test]
    fn partial_file_keeps_the_rest() {
        let c = Config::parse(
            "[deadlines]\nreply_days = 7\n",
            "c.toml",
            Some(&Config::builtin()),
        )
        .unwrap();
        assert_eq!(c.deadlines.reply_days, 7);
        assert_eq!(c.deadlines.contact_days, 2);
        assert_eq!(c.categories.len(), 12);
    }
}
