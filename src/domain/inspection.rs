//! Enforcement inspections of enterprises (码上报备: 凡检必报) and the no-disturbance days
//! (企业无扰日) they are checked against.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Why the inspection took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionKind {
    /// 双随机、一公开 planned inspection.
    Planned,
    Complaint,
    Safety,
    /// Ordered by a higher level (上级交办).
    Order,
    Other,
}

impl InspectionKind {
    pub const ALL: [InspectionKind; 5] = [
        InspectionKind::Planned,
        InspectionKind::Complaint,
        InspectionKind::Safety,
        InspectionKind::Order,
        InspectionKind::Other,
    ];
    pub fn key(self) -> &'static str {
        match self {
            InspectionKind::Planned => "planned",
            InspectionKind::Complaint => "complaint",
            InspectionKind::Safety => "safety",
            InspectionKind::Order => "order",
            InspectionKind::Other => "other",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            InspectionKind::Planned => "双随机检查",
            InspectionKind::Complaint => "投诉举报",
            InspectionKind::Safety => "安全事故",
            InspectionKind::Order => "上级交办",
            InspectionKind::Other => "其他",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.key().eq_ignore_ascii_case(s.trim()) || k.zh() == s.trim())
    }
}

/// The rule that allows an inspection on a no-disturbance day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exemption {
    Safety,
    Complaint,
    Order,
    Other,
}

impl Exemption {
    pub const ALL: [Exemption; 4] = [
        Exemption::Safety,
        Exemption::Complaint,
        Exemption::Order,
        Exemption::Other,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Exemption::Safety => "safety",
            Exemption::Complaint => "complaint",
            Exemption::Order => "order",
            Exemption::Other => "other",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Exemption::Safety => "安全生产",
            Exemption::Complaint => "投诉举报",
            Exemption::Order => "上级交办",
            Exemption::Other => "其他依规例外",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.key().eq_ignore_ascii_case(s.trim()) || k.zh() == s.trim())
    }
}

/// Who filed the report: the inspecting unit or the enterprise itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FiledBy {
    Unit,
    Enterprise,
}

impl FiledBy {
    pub fn key(self) -> &'static str {
        match self {
            FiledBy::Unit => "unit",
            FiledBy::Enterprise => "enterprise",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "unit" | "单位" => Some(FiledBy::Unit),
            "enterprise" | "企业" => Some(FiledBy::Enterprise),
            _ => None,
        }
    }
}

/// One inspection report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    pub id: u64,
    /// Inspecting department: a configured unit id, or any department name.
    pub unit: String,
    pub enterprise: String,
    pub enterprise_name: String,
    pub date: NaiveDate,
    pub kind: InspectionKind,
    pub exemption: Option<Exemption>,
    pub by: FiledBy,
    pub inspectors: String,
    pub result: String,
    pub filed_at: NaiveDateTime,
    pub filed_by: String,
}

/// The monthly no-disturbance window, days `first..=last` (default 8–23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietDays {
    pub first: u32,
    pub last: u32,
}

impl Default for QuietDays {
    fn default() -> Self {
        QuietDays { first: 8, last: 23 }
    }
}

impl QuietDays {
    pub fn contains(&self, d: NaiveDate) -> bool {
        (self.first..=self.last).contains(&d.day())
    }

    /// An inspection on a no-disturbance day without an exemption is a violation.
    pub fn is_violation(&self, i: &Inspection) -> bool {
        self.contains(i.date) && i.exemption.is_none()
    }
}
