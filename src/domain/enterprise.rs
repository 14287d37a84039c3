//! Enterprises (企业): identified by their unified social credit code.

use serde::{Deserialize, Serialize};

/// Grade used by some districts to track enterprises weekly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Leading,
    Backbone,
    Growth,
    Difficulty,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::Leading,
        Grade::Backbone,
        Grade::Growth,
        Grade::Difficulty,
    ];

    /// The Chinese term, as used in the CSV files and the Chinese UI.
    pub fn zh(self) -> &'static str {
        match self {
            Grade::Leading => "龙头企业",
            Grade::Backbone => "骨干企业",
            Grade::Growth => "成长型企业",
            Grade::Difficulty => "困难企业",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Grade::Leading => "leading",
            Grade::Backbone => "backbone",
            Grade::Growth => "growth",
            Grade::Difficulty => "in difficulty",
        }
    }

    /// Accepts the Chinese term (with or without 企业) or the English word.
    pub fn parse(s: &str) -> Option<Grade> {
        let s = s.trim();
        Grade::ALL.into_iter().find(|g| {
            s == g.zh()
                || s == g.zh().trim_end_matches("企业")
                || s.eq_ignore_ascii_case(g.en())
                || s.eq_ignore_ascii_case(&format!("{g:?}"))
        })
    }
}

/// The four overlapping categories of VIP key enterprises (重点企业).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VipCategory {
    AboveScale,
    HighTech,
    Specialised,
    TechSme,
}

impl VipCategory {
    pub const ALL: [VipCategory; 4] = [
        VipCategory::AboveScale,
        VipCategory::HighTech,
        VipCategory::Specialised,
        VipCategory::TechSme,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            VipCategory::AboveScale => "规上工业企业",
            VipCategory::HighTech => "高新技术企业",
            VipCategory::Specialised => "专精特新企业",
            VipCategory::TechSme => "科技型中小企业",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            VipCategory::AboveScale => "above-scale industrial",
            VipCategory::HighTech => "high-tech",
            VipCategory::Specialised => "specialised SME",
            VipCategory::TechSme => "tech-based SME",
        }
    }

    pub fn parse(s: &str) -> Option<VipCategory> {
        let s = s.trim();
        VipCategory::ALL.into_iter().find(|c| {
            s == c.zh() || s == c.zh().trim_end_matches("企业") || s.eq_ignore_ascii_case(c.en())
        })
    }
}

/// An enterprise known to the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    /// Validated, upper-case 18-character code.
    pub credit_code: String,
    pub name: String,
    /// District / street (所属街镇), free text.
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub grade: Option<Grade>,
    /// Empty: not a VIP enterprise.
    #[serde(default)]
    pub vip: Vec<VipCategory>,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub phone: String,
}

impl Enterprise {
    pub fn is_vip(&self) -> bool {
        !self.vip.is_empty()
    }
}
