//! Units: the 14 lead units (牵头单位) that handle issues and the 4 coordinating bodies.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// One of the 14 business-environment lead units; issues are assigned to these.
    Lead,
    /// One of the 4 coordinating bodies (纪委监委, 发展改革委, 政务办, 工商联).
    Coordinating,
}

/// A unit as configured in `units.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Short ASCII id used on the command line (`court`, `tax`, …).
    pub id: String,
    /// Official Chinese name (区法院).
    pub name: String,
    /// English name for the English UI.
    #[serde(default)]
    pub name_en: String,
    pub kind: UnitKind,
}

impl Unit {
    pub fn display(&self, english: bool) -> &str {
        if english && !self.name_en.is_empty() {
            &self.name_en
        } else {
            &self.name
        }
    }
}

/// The configured list of units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Units {
    pub units: Vec<Unit>,
}

impl Units {
    /// The lead units, in configured order.
    pub fn leads(&self) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(|u| u.kind == UnitKind::Lead)
    }

    pub fn get(&self, id: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.id == id)
    }

    /// Finds a unit by id, Chinese name, English name (case-insensitive), or the name without
    /// its 区 prefix.
    pub fn find(&self, key: &str) -> Option<&Unit> {
        let key = key.trim();
        self.units.iter().find(|u| {
            u.id.eq_ignore_ascii_case(key)
                || u.name == key
                || u.name.trim_start_matches('区') == key
                || (!u.name_en.is_empty() && u.name_en.eq_ignore_ascii_case(key))
        })
    }

    /// Display name of a unit id; unknown ids (a unit removed from the config) show as the id.
    pub fn name_of<'a>(&'a self, id: &'a str, english: bool) -> &'a str {
        self.get(id).map(|u| u.display(english)).unwrap_or(id)
    }
}
