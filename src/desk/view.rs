//! Read models: the issue as scripts and tables see it, and list filters.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::domain::deadline::{urgency, Urgency};
use crate::domain::{Channel, DeadlineKind, Escalation, Issue, IssueStatus, SupervisionLevel};
use crate::search::EnterpriseIndex;

use super::Desk;

/// Which issues to list: the one filter of the command line and the TUI. Compile it once per
/// change of the filter ([`IssueFilter::compile`]), then test each issue with
/// [`CompiledFilter::matches`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueFilter {
    pub status: Option<IssueStatus>,
    /// Only open issues (not closed or voided).
    pub open_only: bool,
    /// Unit id (the desk resolves a name to its id before it compiles the filter): the
    /// issue's main unit (主办).
    pub unit: Option<String>,
    pub vip: bool,
    pub overdue: bool,
    pub supervised: bool,
    /// Supervised with its due date passed, still open.
    pub supervision_overdue: bool,
    /// Flagged for escalation (提级督办: reopened or transferred 3 times or more).
    pub escalated: bool,
    /// Exact category name.
    pub category: Option<String>,
    pub channel: Option<Channel>,
    /// Logged on or after this day.
    pub from: Option<NaiveDate>,
    /// Logged on or before this day.
    pub to: Option<NaiveDate>,
    /// The enterprise as the intake picker finds it (name, pinyin, initials, credit code),
    /// or a substring of the name logged, description or category, or the issue's number.
    pub text: Option<String>,
}

impl IssueFilter {
    /// The status choice as the TUI holds it: None all, Some(None) open, Some(Some(s)) one.
    pub fn status_choice(&self) -> Option<Option<IssueStatus>> {
        match (self.status, self.open_only) {
            (Some(s), _) => Some(Some(s)),
            (None, true) => Some(None),
            (None, false) => None,
        }
    }

    /// Sets the status from the TUI's choice (see [`IssueFilter::status_choice`]).
    pub fn set_status_choice(&mut self, choice: Option<Option<IssueStatus>>) {
        self.status = choice.flatten();
        self.open_only = choice == Some(None);
    }

    /// Only open issues can match (the desk then reads only those, which are in memory).
    pub fn only_open(&self) -> bool {
        self.open_only
            || self.overdue
            || self.supervised
            || self.supervision_overdue
            || self.escalated
            || self.status.is_some_and(|s| s.is_open())
    }

    /// Tests one issue with the text matched without the enterprise index (name logged,
    /// credit code, category, description, number; no pinyin): for a one-off check. A list
    /// compiles the filter once, with the index ([`IssueFilter::compile`]).
    pub fn matches(&self, i: &Issue, today: NaiveDate, is_vip: impl Fn(&str) -> bool) -> bool {
        self.compile(&EnterpriseIndex::new())
            .matches(i, today, is_vip)
    }

    /// The filter ready to test many issues: the text is matched against `names` (the
    /// enterprises' search index) once, here, so each issue costs a set look-up and never a
    /// pinyin computation.
    pub fn compile(&self, names: &EnterpriseIndex) -> CompiledFilter {
        self.compile_with(self.text_enterprises(names))
    }

    /// The credit codes of the enterprises the filter's text finds (as at intake).
    pub fn text_enterprises(&self, names: &EnterpriseIndex) -> HashSet<String> {
        match self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(t) => names
                .matching(t)
                .into_iter()
                .map(|id| names.credit_code(id).to_uppercase())
                .collect(),
            None => HashSet::new(),
        }
    }

    /// The filter compiled with the enterprises its text finds worked out already (a TUI
    /// session asks the desk for them, then tests its own issues).
    pub fn compile_with(&self, enterprises: HashSet<String>) -> CompiledFilter {
        let text = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| TextMatch {
                raw: t.to_string(),
                upper: t.to_uppercase(),
                id: t.trim_start_matches('#').parse().ok(),
                enterprises,
            });
        CompiledFilter {
            f: self.clone(),
            text,
        }
    }
}

/// The text part of a filter, matched once against the enterprises.
#[derive(Debug, Clone)]
struct TextMatch {
    raw: String,
    upper: String,
    id: Option<u64>,
    /// Credit codes of the enterprises the text finds (as at intake).
    enterprises: HashSet<String>,
}

/// A filter compiled for testing issues (see [`IssueFilter::compile`]).
#[derive(Debug, Clone)]
pub struct CompiledFilter {
    f: IssueFilter,
    text: Option<TextMatch>,
}

impl CompiledFilter {
    pub fn filter(&self) -> &IssueFilter {
        &self.f
    }

    pub fn matches(&self, i: &Issue, today: NaiveDate, is_vip: impl Fn(&str) -> bool) -> bool {
        let f = &self.f;
        if f.status.is_some_and(|s| s != i.status) {
            return false;
        }
        if f.open_only && !i.status.is_open() {
            return false;
        }
        if f.unit.as_ref().is_some_and(|u| i.unit.as_ref() != Some(u)) {
            return false;
        }
        if f.category.as_ref().is_some_and(|c| *c != i.category) {
            return false;
        }
        if f.channel.is_some_and(|c| c != i.channel) {
            return false;
        }
        let day = i.logged_at.date();
        if f.from.is_some_and(|d| day < d) || f.to.is_some_and(|d| day > d) {
            return false;
        }
        if f.overdue && !i.is_overdue(today) {
            return false;
        }
        if f.supervised && !i.supervised {
            return false;
        }
        if f.supervision_overdue && !i.supervision_overdue(today) {
            return false;
        }
        if f.escalated && i.escalation().is_none() {
            return false;
        }
        if f.vip && !is_vip(&i.enterprise) {
            return false;
        }
        if let Some(t) = &self.text {
            if !(t.enterprises.contains(&i.enterprise)
                || i.enterprise_name.contains(&t.raw)
                || i.enterprise.contains(&t.upper)
                || i.description.contains(&t.raw)
                || i.category.contains(&t.raw)
                || t.id == Some(i.id))
            {
                return false;
            }
        }
        true
    }
}

/// The orders a list of issues can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Most urgent first, then the earliest deadline, then the oldest.
    #[default]
    Deadline,
    /// Newest first (of two logged at the same moment, the later number).
    Age,
    /// By enterprise name in pinyin order (华, 嘉, 南, 中), then by number.
    Enterprise,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Deadline, Sort::Age, Sort::Enterprise];

    pub fn next(self) -> Sort {
        match self {
            Sort::Deadline => Sort::Age,
            Sort::Age => Sort::Enterprise,
            Sort::Enterprise => Sort::Deadline,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Sort::Deadline => "deadline",
            Sort::Age => "age",
            Sort::Enterprise => "enterprise",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Sort::Deadline => "按期限",
            Sort::Age => "按登记时间",
            Sort::Enterprise => "按企业",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        let s = s.trim();
        Sort::ALL
            .into_iter()
            .find(|k| k.key().eq_ignore_ascii_case(s) || k.zh() == s)
    }

    /// Orders `items` (issues, or indices into a list of them: `issue` finds the issue).
    /// `names` caches the enterprises' pinyin sort keys between calls, so sorting on every
    /// keystroke works out each name's key once.
    pub fn order<T>(
        self,
        items: &mut [T],
        cal: &Calendar,
        today: NaiveDate,
        names: &mut SortKeys,
        issue: impl Fn(&T) -> &Issue,
    ) {
        match self {
            Sort::Deadline => items.sort_by_cached_key(|t| urgency_key(cal, issue(t), today)),
            Sort::Age => {
                items.sort_by_key(|t| std::cmp::Reverse((issue(t).logged_at, issue(t).id)))
            }
            Sort::Enterprise => {
                for t in items.iter() {
                    names.note(&issue(t).enterprise_name);
                }
                items.sort_by(|a, b| {
                    let (a, b) = (issue(a), issue(b));
                    names
                        .get(&a.enterprise_name)
                        .cmp(names.get(&b.enterprise_name))
                        .then(a.id.cmp(&b.id))
                });
            }
        }
    }
}

/// Pinyin sort keys of enterprise names (`search::sort_key`), worked out once per name.
#[derive(Debug, Clone, Default)]
pub struct SortKeys(HashMap<String, String>);

impl SortKeys {
    fn note(&mut self, name: &str) {
        if !self.0.contains_key(name) {
            self.0
                .insert(name.to_string(), crate::search::sort_key(name));
        }
    }

    fn get<'a>(&'a self, name: &'a str) -> &'a str {
        self.0.get(name).map_or(name, String::as_str)
    }
}

/// Sort key of the deadline order: most urgent first (overdue, due within a working day, in
/// time, waiting on no deadline), then the earliest deadline, then the oldest.
pub fn urgency_key(cal: &Calendar, i: &Issue, today: NaiveDate) -> (u8, NaiveDate, NaiveDateTime) {
    let u = match urgency(cal, i, today) {
        Some(Urgency::Overdue) => 0,
        Some(Urgency::DueSoon) => 1,
        Some(Urgency::InTime) => 2,
        None => 3,
    };
    let due = i.next_deadline().map_or(NaiveDate::MAX, |n| n.1);
    (u, due, i.logged_at)
}

/// A replied issue waiting for the enterprise's evaluation (待回访), with the working days
/// since the reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Callback {
    pub issue: Issue,
    pub workdays_since_reply: i64,
}

/// An issue as printed by `issue list/show --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct IssueView {
    pub id: u64,
    pub enterprise: String,
    pub credit_code: String,
    pub vip: bool,
    /// Main unit's name (empty when unassigned).
    pub unit: String,
    pub unit_id: Option<String>,
    pub helpers: Vec<String>,
    pub status: &'static str,
    pub category: String,
    pub channel: &'static str,
    pub contact: String,
    pub phone: String,
    pub description: String,
    pub logged_at: NaiveDateTime,
    pub logged_by: String,
    pub contact_due: NaiveDate,
    pub reply_due: NaiveDate,
    /// The deadline the issue is waiting on now: "contact", "reply" or none.
    pub waiting_on: Option<DeadlineKind>,
    pub next_due: Option<NaiveDate>,
    pub overdue: bool,
    pub urgency: Option<Urgency>,
    pub supervised: bool,
    /// The supervision's level (一般督办 / 重点督办 / 提级督办) and due day, when supervised.
    pub supervision_level: Option<SupervisionLevel>,
    pub supervision_due: Option<NaiveDate>,
    /// Supervised, the due day passed, still open.
    pub supervision_overdue: bool,
    /// Flagged for escalation (提级督办): reopened or transferred 3 times or more.
    pub escalation: Option<Escalation>,
    /// The unit the configuration suggests for the category (id), while unassigned.
    pub suggested_unit: Option<String>,
    /// The deadlines are provisional: counted through a year whose holiday notice is not in
    /// the calendar yet (statutory holidays only); recounted once it is added.
    pub provisional: bool,
    pub assigned_at: Option<NaiveDateTime>,
    pub contacted_at: Option<NaiveDateTime>,
    pub replied_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub evaluation: Option<crate::domain::Evaluation>,
    pub transfers: u32,
    pub returns: u32,
    pub reopens: u32,
    pub void_reason: Option<String>,
    /// Raised by a cadre in a residency placement (四帮一体验).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residency: Option<ResidencyTag>,
}

/// Where an issue raised in a residency placement came from, and whether it outlived its round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResidencyTag {
    pub round: u32,
    pub placement: u64,
    pub cadre: String,
    /// The cadre's unit (id, or the department as given).
    pub cadre_unit: String,
    /// 驻企遗留: still open after the round; it stays on the cadre and their unit until closed.
    pub legacy: bool,
}

impl ResidencyTag {
    pub fn of(desk: &Desk, id: u64, status: IssueStatus, today: NaiveDate) -> Option<ResidencyTag> {
        let r = desk.residency();
        let o = r.origin(id)?;
        Some(ResidencyTag {
            round: o.round.round.no,
            placement: o.link.placement,
            cadre: o.link.cadre.clone(),
            cadre_unit: o.cadre.map(|c| c.unit.clone()).unwrap_or_default(),
            legacy: r.is_legacy(id, status, today),
        })
    }
}

impl IssueView {
    pub fn new(i: &Issue, desk: &Desk, today: NaiveDate) -> IssueView {
        IssueView::of(i.clone(), desk, today)
    }

    /// The view of an issue no longer needed as such (a list's: its text moves, not copied).
    pub fn of(i: Issue, desk: &Desk, today: NaiveDate) -> IssueView {
        let en = desk.config.lang.is_en();
        let next = i.next_deadline();
        let overdue = i.is_overdue(today);
        let urgency = desk.urgency(&i, today);
        let supervision_overdue = i.supervision_overdue(today);
        let supervision_level = i.supervision();
        let escalation = i.escalation();
        let residency = ResidencyTag::of(desk, i.id, i.status, today);
        let suggested_unit = (i.status == IssueStatus::Logged)
            .then(|| desk.config.suggested_unit(&i.category))
            .flatten()
            .map(str::to_string);
        IssueView {
            id: i.id,
            vip: desk.is_vip(&i.enterprise),
            enterprise: i.enterprise_name,
            credit_code: i.enterprise,
            unit: i
                .unit
                .as_deref()
                .map(|u| desk.units.name_of(u, en).to_string())
                .unwrap_or_default(),
            unit_id: i.unit,
            helpers: i
                .helpers
                .iter()
                .map(|u| desk.units.name_of(u, en).to_string())
                .collect(),
            status: i.status.key(),
            category: i.category,
            channel: i.channel.key(),
            contact: i.contact_name,
            phone: i.phone,
            description: i.description,
            logged_at: i.logged_at,
            logged_by: i.logged_by,
            contact_due: i.contact_due,
            reply_due: i.reply_due,
            waiting_on: next.map(|n| n.0),
            next_due: next.map(|n| n.1),
            overdue,
            urgency,
            supervised: i.supervised,
            supervision_level,
            supervision_due: i.supervision_due,
            supervision_overdue,
            escalation,
            suggested_unit,
            provisional: i.beyond_calendar,
            assigned_at: i.assigned_at,
            contacted_at: i.contacted_at,
            replied_at: i.replied_at,
            closed_at: i.closed_at,
            evaluation: i.evaluation,
            transfers: i.transfers,
            returns: i.returns,
            reopens: i.reopens,
            void_reason: i.void_reason,
            residency,
        }
    }
}

#[cfg(test)]
mod filter_tests {
    use super::*;
    use crate::domain::{apply_issue, EventKind, Recorded};

    fn issue(id: u64, code: &str, name: &str, day: u32) -> Issue {
        let at = NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let rec = Recorded {
            district: None,
            seq: id,
            at,
            by: "x".into(),
            event: EventKind::IssueLogged {
                id,
                enterprise: code.into(),
                enterprise_name: name.into(),
                category: "融资信贷".into(),
                channel: Channel::WalkIn,
                contact_name: String::new(),
                phone: String::new(),
                description: "流动资金贷款".into(),
                contact_due: at.date(),
                reply_due: at.date(),
                beyond_calendar: false,
            },
        };
        apply_issue(None, &rec).unwrap()
    }

    fn index(list: &[(&str, &str)]) -> EnterpriseIndex {
        let mut idx = EnterpriseIndex::new();
        for (c, n) in list {
            idx.upsert(c, n);
        }
        idx
    }

    #[test]
    fn text_takes_pinyin_and_initials_through_the_index() {
        let names = [
            ("91500107AAAAAAAAA1", "重庆戴卡捷力轮毂制造有限公司"),
            ("91500107BBBBBBBBB2", "华为技术有限公司"),
        ];
        let idx = index(&names);
        let issues = [
            issue(1, names[0].0, names[0].1, 16),
            issue(2, names[1].0, names[1].1, 18),
        ];
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let keep = |text: &str| -> Vec<u64> {
            let c = IssueFilter {
                text: Some(text.into()),
                ..Default::default()
            }
            .compile(&idx);
            issues
                .iter()
                .filter(|i| c.matches(i, today, |_| false))
                .map(|i| i.id)
                .collect()
        };
        assert_eq!(keep("cqdk"), vec![1]);
        assert_eq!(keep("chongqing"), vec![1]);
        assert_eq!(keep("hwjs"), vec![2]);
        assert_eq!(keep("贷款"), vec![1, 2]);
        assert_eq!(keep("#2"), vec![2]);
        assert_eq!(keep("qqqq"), Vec::<u64>::new());
        // An enterprise missing from the index is still found by its logged name.
        let c = IssueFilter {
            text: Some("华为".into()),
            ..Default::default()
        }
        .compile(&EnterpriseIndex::new());
        assert!(c.matches(&issues[1], today, |_| false));
        assert!(!c.matches(&issues[0], today, |_| false));
    }

    #[test]
    fn dates_unit_channel_category_and_status_choice() {
        let i = issue(1, "91500107AAAAAAAAA1", "甲", 18);
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d);
        let m = |f: IssueFilter| {
            f.compile(&EnterpriseIndex::new())
                .matches(&i, today, |_| true)
        };
        assert!(m(IssueFilter {
            from: day(18),
            to: day(18),
            ..Default::default()
        }));
        assert!(!m(IssueFilter {
            from: day(19),
            ..Default::default()
        }));
        assert!(!m(IssueFilter {
            to: day(17),
            ..Default::default()
        }));
        assert!(!m(IssueFilter {
            unit: Some("tax".into()),
            ..Default::default()
        }));
        assert!(!m(IssueFilter {
            channel: Some(Channel::Phone),
            ..Default::default()
        }));
        assert!(m(IssueFilter {
            channel: Some(Channel::WalkIn),
            category: Some("融资信贷".into()),
            ..Default::default()
        }));
        assert!(!m(IssueFilter {
            category: Some("其他".into()),
            ..Default::default()
        }));
        for choice in [None, Some(None), Some(Some(IssueStatus::Replied))] {
            let mut f = IssueFilter::default();
            f.set_status_choice(choice);
            assert_eq!(f.status_choice(), choice);
        }
        let mut f = IssueFilter::default();
        f.set_status_choice(Some(Some(IssueStatus::Closed)));
        assert!(!m(f));
    }

    #[test]
    fn enterprise_sort_is_pinyin_order() {
        let mut v: Vec<Issue> = ["中信", "华为", "南方", "嘉陵"]
            .iter()
            .enumerate()
            .map(|(k, n)| issue(k as u64 + 1, "X", n, 16))
            .collect();
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let mut keys = SortKeys::default();
        Sort::Enterprise.order(&mut v, &Calendar::builtin(), today, &mut keys, |i| i);
        let names: Vec<&str> = v.iter().map(|i| i.enterprise_name.as_str()).collect();
        assert_eq!(names, ["华为", "嘉陵", "南方", "中信"]);
        assert_eq!(Sort::parse("enterprise"), Some(Sort::Enterprise));
        assert_eq!(Sort::parse("按企业"), Some(Sort::Enterprise));
        assert_eq!(Sort::parse("x"), None);
    }
}
