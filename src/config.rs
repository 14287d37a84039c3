//! Settings and the unit list: shipped defaults (embedded), overridden by `config.toml` and
//! `units.toml` in the data directory. Every problem is reported as `file:line: field:
//! problem, how to fix it`, in the user's language and in plain words (never the parser's
//! type names), and a UTF-8 byte-order mark (Windows Notepad writes one) is accepted.

use std::ops::Range;
use std::path::Path;

use toml_edit::{Item, Value};

use crate::domain::deadline::DeadlineRule;
use crate::domain::{QuietDays, Unit, UnitKind, Units};
use crate::i18n::Lang;

const DEFAULT_CONFIG: &str = include_str!("../data/config.toml");
const DEFAULT_UNITS: &str = include_str!("../data/units.toml");

/// A problem in a data file (`config.toml`, `units.toml`, `holidays.toml`), located, with the
/// message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub struct ConfigError {
    pub file: String,
    /// 1-based; 0 when the file could not be read at all.
    pub line: usize,
    /// The setting, as written in the file (`deadlines.contact_days`); empty for the file as a
    /// whole.
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl ConfigError {
    /// `file:line: field: problem, how to fix it`.
    pub fn message(&self, lang: Lang) -> String {
        let m = lang.pick(&self.zh, &self.en);
        let at = if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}", self.file, self.line)
        };
        if self.field.is_empty() {
            format!("{at}: {m}")
        } else {
            format!("{at}: {}: {m}", self.field)
        }
    }
}

/// Reading TOML data files with every value's place in the text, so each problem names its
/// line; shared by the settings, the unit list and the holiday tables.
pub(crate) mod toml_file {
    use super::*;

    /// The text without a leading UTF-8 byte-order mark.
    pub fn strip_bom(text: &str) -> &str {
        text.strip_prefix('\u{feff}').unwrap_or(text)
    }

    /// A parsed file: its name for messages, its text and the document.
    pub struct TomlFile<'a> {
        pub file: &'a str,
        text: &'a str,
        pub doc: toml_edit::ImDocument<&'a str>,
    }

    impl<'a> TomlFile<'a> {
        /// Parses `text` (a BOM already stripped) or says where the syntax breaks.
        pub fn parse(text: &'a str, file: &'a str) -> Result<TomlFile<'a>, ConfigError> {
            match toml_edit::ImDocument::parse(text) {
                Ok(doc) => Ok(TomlFile { file, text, doc }),
                Err(e) => {
                    let line = e.span().map_or(1, |s| line_of(text, s.start));
                    let detail = e.message().trim().replace('\n', "; ");
                    let (zh, en) = syntax_hint(&detail);
                    Err(ConfigError {
                        file: file.into(),
                        line,
                        field: String::new(),
                        zh: format!("这一行不是有效的 TOML：{zh}"),
                        en: format!(
                            "this line is not valid TOML: {en} (the parser says: {detail})"
                        ),
                    })
                }
            }
        }

        pub fn line(&self, span: Option<Range<usize>>) -> usize {
            span.map_or(1, |s| line_of(self.text, s.start))
        }

        pub fn err(
            &self,
            span: Option<Range<usize>>,
            field: &str,
            zh: impl Into<String>,
            en: impl Into<String>,
        ) -> ConfigError {
            ConfigError {
                file: self.file.into(),
                line: self.line(span),
                field: field.into(),
                zh: zh.into(),
                en: en.into(),
            }
        }

        /// The key's span if the item itself has none (implicit and dotted tables).
        pub fn span_of(&self, table: &dyn toml_edit::TableLike, key: &str) -> Option<Range<usize>> {
            let (k, item) = table.get_key_value(key)?;
            item.span().or_else(|| k.span())
        }

        /// A key that is not one of `known`: named, with the nearest known name.
        pub fn unknown(
            &self,
            span: Option<Range<usize>>,
            field: &str,
            key: &str,
            known: &[&str],
        ) -> ConfigError {
            let near = nearest(key, known);
            let list = known.join(", ");
            let (gz, ge) = match near {
                Some(n) => (format!("是否指 {n}？"), format!("did you mean {n}? ")),
                None => (String::new(), String::new()),
            };
            self.err(
                span,
                field,
                format!("没有这个设置项；{gz}可用的有：{}", known.join("、")),
                format!("no such setting; {ge}the settings here are: {list}"),
            )
        }

        /// A string value, or a message showing how to write one.
        pub fn string(
            &self,
            item: &Item,
            span: Option<Range<usize>>,
            field: &str,
            example: &str,
        ) -> Result<String, ConfigError> {
            match item.as_str() {
                Some(s) => Ok(s.to_string()),
                None => Err(self.err(
                    span,
                    field,
                    format!("应为带引号的文字，如 {example}；这里是{}", kind_zh(item)),
                    format!(
                        "must be text in quotes, e.g. {example}; found {}",
                        kind_en(item)
                    ),
                )),
            }
        }

        /// A whole number in `lo..=hi`, or a message showing how to write one.
        pub fn int(
            &self,
            item: &Item,
            span: Option<Range<usize>>,
            field: &str,
            (lo, hi): (i64, i64),
            what: (&str, &str),
            example: &str,
        ) -> Result<u32, ConfigError> {
            let range_zh = format!("{lo} 到 {hi} 之间的整数（{}），如 {example}", what.0);
            let range_en = format!(
                "a whole number from {lo} to {hi} ({}), e.g. {example}",
                what.1
            );
            match item.as_integer() {
                Some(n) if (lo..=hi).contains(&n) => Ok(n as u32),
                Some(n) => Err(self.err(
                    span,
                    field,
                    format!("{n} 超出范围；应为{range_zh}"),
                    format!("{n} is out of range; it must be {range_en}"),
                )),
                None => Err(self.err(
                    span,
                    field,
                    format!("应为{range_zh}（数字不加引号）；这里是{}", kind_zh(item)),
                    format!(
                        "must be {range_en} (a number, without quotes); found {}",
                        kind_en(item)
                    ),
                )),
            }
        }
    }

    fn line_of(text: &str, offset: usize) -> usize {
        text[..offset.min(text.len())].matches('\n').count() + 1
    }

    /// The likely slip behind a syntax error, in plain words.
    fn syntax_hint(detail: &str) -> (&'static str, &'static str) {
        let d = detail.to_ascii_lowercase();
        if d.contains("duplicate") {
            (
                "同一个设置项或同一节写了两次；请删去重复的一处",
                "the same setting or section is written twice; remove one of them",
            )
        } else if d.contains("table header") {
            (
                "节名要用一对方括号括起，如 [deadlines]",
                "a section name goes in a pair of square brackets, e.g. [deadlines]",
            )
        } else if d.contains("string") || d.contains("quote") {
            (
                "文字要用一对英文双引号括起，如 lang = \"zh\"",
                "text goes in a pair of straight double quotes, e.g. lang = \"zh\"",
            )
        } else if d.contains("array") {
            (
                "列表要用一对方括号括起，各项之间用英文逗号分隔，如 [\"甲\", \"乙\"]",
                "a list goes in square brackets with commas between the items, e.g. [\"a\", \"b\"]",
            )
        } else if d.contains("inline table") {
            (
                "花括号内写 名称 = 值，各项之间用英文逗号分隔，如 { name = \"元旦\", off = \"2027-01-01\" }",
                "inside braces write name = value pairs separated by commas, e.g. { name = \"元旦\", off = \"2027-01-01\" }",
            )
        } else {
            (
                "每行写 名称 = 值（文字加英文双引号，数字不加），或写节名 [deadlines]；# 之后是注释",
                "each line is name = value (text in double quotes, numbers without) or a section name like [deadlines]; # starts a comment",
            )
        }
    }

    /// What a value is, in words a user knows.
    pub fn kind_zh(item: &Item) -> String {
        match item {
            Item::Value(Value::String(s)) => format!("文字 \"{}\"", s.value()),
            Item::Value(Value::Integer(n)) => format!("数字 {}", n.value()),
            Item::Value(Value::Float(f)) => format!("小数 {}", f.value()),
            Item::Value(Value::Boolean(b)) => format!("{}", b.value()),
            Item::Value(Value::Datetime(d)) => format!("日期时间 {}", d.value()),
            Item::Value(Value::Array(_)) => "一个列表 [...]".into(),
            Item::Value(Value::InlineTable(_)) | Item::Table(_) => "一组设置 {...}".into(),
            Item::ArrayOfTables(_) => "多组设置 [[...]]".into(),
            Item::None => "空".into(),
        }
    }

    pub fn kind_en(item: &Item) -> String {
        match item {
            Item::Value(Value::String(s)) => format!("the text \"{}\"", s.value()),
            Item::Value(Value::Integer(n)) => format!("the number {}", n.value()),
            Item::Value(Value::Float(f)) => format!("the decimal {}", f.value()),
            Item::Value(Value::Boolean(b)) => format!("{}", b.value()),
            Item::Value(Value::Datetime(d)) => format!("the date-time {}", d.value()),
            Item::Value(Value::Array(_)) => "a list [...]".into(),
            Item::Value(Value::InlineTable(_)) | Item::Table(_) => {
                "a group of settings {...}".into()
            }
            Item::ArrayOfTables(_) => "groups of settings [[...]]".into(),
            Item::None => "nothing".into(),
        }
    }

    /// The known name closest to `key` (a typo of one or two letters), if any.
    pub fn nearest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
        known
            .iter()
            .map(|k| (distance(key, k), *k))
            .filter(|(d, k)| *d <= 2.max(k.len() / 4))
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k)
    }

    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let sub = prev[j] + usize::from(ca != *cb);
                cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
            }
            prev = cur;
        }
        prev[b.len()]
    }
}

use toml_file::{kind_en, kind_zh, strip_bom, TomlFile};

/// The desk's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub lang: Lang,
    pub deadlines: DeadlineRule,
    pub quiet_days: QuietDays,
    pub max_inspections_30d: u32,
    pub categories: Vec<String>,
    /// The unit suggested for each category (`[issues.suggested_units]`).
    pub suggested_units: Vec<SuggestedUnit>,
    /// Issues a unit must have received in a scorecard's range to be ranked.
    pub min_issues_for_ranking: u32,
    /// The district this desk serves (`[district]`): required to send its history to the
    /// city's PostgreSQL, and recorded on every event from the time it is set.
    pub district: Option<District>,
}

/// `[district]` as read so far: where it is written, and its code and name if given.
type DistrictDraft = (Option<Range<usize>>, Option<String>, Option<String>);

/// A district: its 6-digit administrative division code (行政区划代码) and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    pub code: String,
    pub name: String,
}

impl District {
    /// A 6-digit administrative division code: digits only, not starting with 0.
    pub fn valid_code(code: &str) -> bool {
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with('0')
    }
}

/// One line of `[issues.suggested_units]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestedUnit {
    pub category: String,
    /// Unit id.
    pub unit: String,
    /// The file and line it was written on; None for the shipped defaults, which give way
    /// silently to a district's own categories and units.
    pub at: Option<(String, usize)>,
}

const ROOT_KEYS: [&str; 6] = [
    "lang",
    "deadlines",
    "inspections",
    "issues",
    "report",
    "district",
];

impl Config {
    /// The shipped defaults.
    pub fn builtin() -> Config {
        let mut c = Config::parse(DEFAULT_CONFIG, "config.toml", None)
            .expect("shipped config.toml is valid");
        for s in &mut c.suggested_units {
            s.at = None;
        }
        c
    }

    /// The unit id suggested for a category, if the configuration names one.
    pub fn suggested_unit(&self, category: &str) -> Option<&str> {
        self.suggested_units
            .iter()
            .find(|s| s.category == category)
            .map(|s| s.unit.as_str())
    }

    /// Checks the suggested units against the unit list: one written in `config.toml` must be
    /// a lead unit (an error naming its line otherwise); a shipped default for a unit the
    /// district does not have is dropped.
    pub fn check_units(&mut self, units: &Units) -> Result<(), ConfigError> {
        let mut kept = Vec::with_capacity(self.suggested_units.len());
        for s in std::mem::take(&mut self.suggested_units) {
            let lead = units.get(&s.unit).is_some_and(|u| u.kind == UnitKind::Lead);
            match (&s.at, lead) {
                (_, true) => kept.push(s),
                (None, false) => {}
                (Some((file, line)), false) => {
                    let leads: Vec<String> = units.leads().map(|u| u.id.clone()).collect();
                    let (zh, en) = match units.get(&s.unit) {
                        Some(u) => (
                            format!("「{}」（{}）不是牵头单位，问题只交办给牵头单位；请改为以下之一：{}", s.unit, u.name, leads.join("、")),
                            format!("\"{}\" ({}) is not a lead unit, and issues go to lead units only; use one of: {}", s.unit, u.name, leads.join(", ")),
                        ),
                        None => (
                            format!("units.toml 中没有编号为「{}」的单位；请写以下之一：{}", s.unit, leads.join("、")),
                            format!("units.toml has no unit with id \"{}\"; use one of: {}", s.unit, leads.join(", ")),
                        ),
                    };
                    return Err(ConfigError {
                        file: file.clone(),
                        line: *line,
                        field: format!("issues.suggested_units.{}", s.category),
                        zh,
                        en,
                    });
                }
            }
        }
        self.suggested_units = kept;
        Ok(())
    }

    /// Parses a config file; values it leaves out come from `base` (or the built-in values).
    pub fn parse(text: &str, file: &str, base: Option<&Config>) -> Result<Config, ConfigError> {
        let f = TomlFile::parse(strip_bom(text), file)?;
        let mut c = base.cloned().unwrap_or(Config {
            lang: Lang::Zh,
            deadlines: DeadlineRule::default(),
            quiet_days: QuietDays::default(),
            max_inspections_30d: 2,
            categories: vec![],
            suggested_units: vec![],
            min_issues_for_ranking: 5,
            district: None,
        });
        let root = f.doc.as_table();
        let mut reply_at = None;
        let mut last_at = None;
        // [district]: where it is written, and its code and name as far as given.
        let mut district: Option<DistrictDraft> = None;
        for (key, item) in root.iter() {
            let at = f.span_of(root, key);
            match key {
                "lang" => {
                    let v = f.string(item, at.clone(), "lang", "lang = \"zh\"")?;
                    c.lang = Lang::parse(&v).ok_or_else(|| {
                        f.err(
                            at,
                            "lang",
                            format!("「{v}」不是可用的语言；请写 lang = \"zh\"（中文）或 lang = \"en\"（英文）"),
                            format!("\"{v}\" is not a language the desk speaks; write lang = \"zh\" (Chinese) or lang = \"en\" (English)"),
                        )
                    })?;
                }
                "deadlines" | "inspections" | "issues" | "report" | "district" => {
                    let Some(t) = item.as_table_like() else {
                        return Err(f.err(
                            at,
                            key,
                            format!("应为一节设置：另起一行写 [{key}]，其下逐行写设置（见随附的 config.toml）；这里是{}", kind_zh(item)),
                            format!("must be a section: a line [{key}] with its settings on the lines below (see the shipped config.toml); found {}", kind_en(item)),
                        ));
                    };
                    if key == "district" {
                        district = Some((at.clone(), None, None));
                    }
                    for (k, v) in t.iter() {
                        let at = f.span_of(t, k);
                        let field = format!("{key}.{k}");
                        match (key, k) {
                            ("district", "code") => {
                                let code = f.string(v, at.clone(), &field, "code = \"500107\"")?;
                                if !District::valid_code(&code) {
                                    return Err(f.err(
                                        at,
                                        &field,
                                        format!("「{code}」不是行政区划代码；应为 6 位数字，如九龙坡区 code = \"500107\""),
                                        format!("\"{code}\" is not an administrative division code; it is 6 digits, e.g. code = \"500107\" for 九龙坡区"),
                                    ));
                                }
                                if let Some(d) = &mut district {
                                    d.1 = Some(code);
                                }
                            }
                            ("district", "name") => {
                                let name =
                                    f.string(v, at.clone(), &field, "name = \"九龙坡区\"")?;
                                if name.trim().is_empty() {
                                    return Err(f.err(
                                        at,
                                        &field,
                                        "区县名称不能为空，如 name = \"九龙坡区\"",
                                        "the district's name cannot be empty, e.g. name = \"九龙坡区\"",
                                    ));
                                }
                                if let Some(d) = &mut district {
                                    d.2 = Some(name.trim().to_string());
                                }
                            }
                            ("deadlines", "contact_days") => {
                                c.deadlines.contact_days = f.int(
                                    v,
                                    at,
                                    &field,
                                    (1, 60),
                                    (
                                        "登记后对接企业的工作日数",
                                        "working days to contact the enterprise",
                                    ),
                                    "contact_days = 2",
                                )?
                            }
                            ("deadlines", "reply_days") => {
                                reply_at = at.clone();
                                c.deadlines.reply_days = f.int(
                                    v,
                                    at,
                                    &field,
                                    (1, 120),
                                    ("登记后答复的工作日数", "working days to reply"),
                                    "reply_days = 5",
                                )?
                            }
                            ("inspections", "quiet_first_day") => {
                                c.quiet_days.first = f.int(
                                    v,
                                    at,
                                    &field,
                                    (1, 31),
                                    (
                                        "每月无扰日的第一天",
                                        "first no-disturbance day of the month",
                                    ),
                                    "quiet_first_day = 8",
                                )?
                            }
                            ("inspections", "quiet_last_day") => {
                                last_at = at.clone();
                                c.quiet_days.last = f.int(
                                    v,
                                    at,
                                    &field,
                                    (1, 31),
                                    (
                                        "每月无扰日的最后一天",
                                        "last no-disturbance day of the month",
                                    ),
                                    "quiet_last_day = 23",
                                )?
                            }
                            ("inspections", "max_per_30_days") => {
                                c.max_inspections_30d = f.int(
                                    v,
                                    at,
                                    &field,
                                    (1, 100),
                                    (
                                        "30 天内同一企业的检查次数上限",
                                        "inspections of one enterprise in 30 days",
                                    ),
                                    "max_per_30_days = 2",
                                )?
                            }
                            ("issues", "categories") => {
                                c.categories = categories(&f, v, at, &field)?;
                            }
                            ("issues", "suggested_units") => {
                                suggested_units(&f, v, at, &field, &mut c.suggested_units)?;
                            }
                            ("report", "min_issues_for_ranking") => {
                                c.min_issues_for_ranking = f.int(
                                    v,
                                    at,
                                    &field,
                                    (1, 1000),
                                    (
                                        "单位参与排名所需的最少问题数",
                                        "issues a unit needs to be ranked",
                                    ),
                                    "min_issues_for_ranking = 5",
                                )?
                            }
                            _ => {
                                let known: &[&str] = match key {
                                    "deadlines" => &["contact_days", "reply_days"],
                                    "inspections" => {
                                        &["quiet_first_day", "quiet_last_day", "max_per_30_days"]
                                    }
                                    "report" => &["min_issues_for_ranking"],
                                    "district" => &["code", "name"],
                                    _ => &["categories", "suggested_units"],
                                };
                                return Err(f.unknown(at, &field, k, known));
                            }
                        }
                    }
                }
                other => return Err(f.unknown(at, other, other, &ROOT_KEYS)),
            }
        }
        // A suggestion written here must name a category of the list (wherever in the file the
        // list is); a shipped one for a category the district dropped goes with it.
        if let Some(s) = c
            .suggested_units
            .iter()
            .find(|s| s.at.is_some() && !c.categories.contains(&s.category))
        {
            let line = s.at.as_ref().map_or(1, |a| a.1);
            let list = c.categories.clone();
            return Err(ConfigError {
                file: file.into(),
                line,
                field: format!("issues.suggested_units.{}", s.category),
                zh: format!(
                    "「{}」不是 [issues] categories 中的类别；请改为以下之一：{}",
                    s.category,
                    list.join("、")
                ),
                en: format!(
                    "\"{}\" is not one of the categories in [issues] categories; use one of: {}",
                    s.category,
                    list.join(", ")
                ),
            });
        }
        if let Some((at, code, name)) = district {
            match (code, name) {
                (Some(code), Some(name)) => c.district = Some(District { code, name }),
                (code, _) => {
                    let missing = if code.is_none() { "code" } else { "name" };
                    return Err(f.err(
                        at,
                        &format!("district.{missing}"),
                        format!("[district] 须同时写明 code（6 位行政区划代码）和 name（区县名称），如 code = \"500107\" 和 name = \"九龙坡区\"；缺少 {missing}"),
                        format!("[district] needs both code (the 6-digit administrative division code) and name, e.g. code = \"500107\" and name = \"九龙坡区\"; {missing} is missing"),
                    ));
                }
            }
        }
        let cats = c.categories.clone();
        c.suggested_units.retain(|s| cats.contains(&s.category));
        let d = c.deadlines;
        if d.reply_days < d.contact_days {
            return Err(f.err(
                reply_at,
                "deadlines.reply_days",
                format!(
                    "答复期限（{} 个工作日）不能短于对接期限（{} 个工作日）；请把 reply_days 设为不小于 contact_days 的数",
                    d.reply_days, d.contact_days
                ),
                format!(
                    "the reply deadline ({} working days) cannot be shorter than the contact deadline ({}); make reply_days at least contact_days",
                    d.reply_days, d.contact_days
                ),
            ));
        }
        let q = c.quiet_days;
        if q.last < q.first {
            return Err(f.err(
                last_at,
                "inspections.quiet_last_day",
                format!(
                    "无扰日的最后一天（{}日）早于第一天（{}日）；请把 quiet_last_day 设为不小于 quiet_first_day 的日子",
                    q.last, q.first
                ),
                format!(
                    "the last no-disturbance day ({}) is before the first ({}); make quiet_last_day at least quiet_first_day",
                    q.last, q.first
                ),
            ));
        }
        Ok(c)
    }

    /// Built-in defaults overridden by `<dir>/config.toml` if present.
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        let base = Config::builtin();
        let path = dir.join("config.toml");
        match read(&path)? {
            Some(text) => Config::parse(&text, &path.display().to_string(), Some(&base)),
            None => Ok(base),
        }
    }
}

/// `[issues.suggested_units]`: category = "unit id" lines, merged into `out` (a line replaces
/// the category's earlier suggestion; "" removes it). Categories and units are checked later,
/// against the whole file and the unit list.
fn suggested_units(
    f: &TomlFile,
    item: &Item,
    at: Option<Range<usize>>,
    field: &str,
    out: &mut Vec<SuggestedUnit>,
) -> Result<(), ConfigError> {
    const EXAMPLE: &str = "[issues.suggested_units] 下逐行写 \"税费社保\" = \"tax\"";
    const EXAMPLE_EN: &str =
        "a section [issues.suggested_units] with lines such as \"税费社保\" = \"tax\"";
    let Some(t) = item.as_table_like() else {
        return Err(f.err(
            at,
            field,
            format!("应为一节设置：{EXAMPLE}；这里是{}", kind_zh(item)),
            format!("must be {EXAMPLE_EN}; found {}", kind_en(item)),
        ));
    };
    for (category, v) in t.iter() {
        let at = f.span_of(t, category);
        let field = format!("{field}.{category}");
        let unit = f.string(v, at.clone(), &field, "\"税费社保\" = \"tax\"")?;
        let unit = unit.trim().to_string();
        out.retain(|s| s.category != category);
        if !unit.is_empty() {
            out.push(SuggestedUnit {
                category: category.trim().to_string(),
                unit,
                at: Some((f.file.to_string(), f.line(at))),
            });
        }
    }
    Ok(())
}

/// The problem categories: a non-empty list of distinct, non-empty names.
fn categories(
    f: &TomlFile,
    item: &Item,
    at: Option<Range<usize>>,
    field: &str,
) -> Result<Vec<String>, ConfigError> {
    const EXAMPLE: &str = "categories = [\"政策咨询\", \"融资信贷\", \"其他\"]";
    let bad = |zh: String, en: String| f.err(at.clone(), field, zh, en);
    let Some(arr) = item.as_array() else {
        return Err(bad(
            format!(
                "应为带引号的类别名称列表，如 {EXAMPLE}；这里是{}",
                kind_zh(item)
            ),
            format!(
                "must be a list of category names in quotes, e.g. {EXAMPLE}; found {}",
                kind_en(item)
            ),
        ));
    };
    let mut out: Vec<String> = Vec::new();
    for (i, v) in arr.iter().enumerate() {
        let n = i + 1;
        let Some(s) = v.as_str() else {
            return Err(bad(
                format!("第 {n} 项不是带引号的名称；写法如 {EXAMPLE}"),
                format!("item {n} is not a name in quotes; write them as in {EXAMPLE}"),
            ));
        };
        let s = s.trim();
        if s.is_empty() {
            return Err(bad(
                format!("第 {n} 项是空的；请删除它或填上类别名称"),
                format!("item {n} is empty; remove it or give the category a name"),
            ));
        }
        if let Some((pos, c)) = crate::sanitize::first_hidden(s) {
            let code = crate::sanitize::code_point(c);
            return Err(bad(
                format!("第 {n} 项「{s}」的第 {pos} 个字符是不可见或控制字符 {code}；请删除它"),
                format!("item {n} \"{s}\" has an invisible or control character ({code}) at position {pos}; delete it"),
            ));
        }
        if out.iter().any(|x| x == s) {
            return Err(bad(
                format!("「{s}」出现了两次；每个类别只写一次"),
                format!("\"{s}\" is listed twice; list each category once"),
            ));
        }
        out.push(s.to_string());
    }
    if out.is_empty() {
        return Err(bad(
            format!("类别列表是空的，登记问题时将无类别可选；请至少写一个，如 {EXAMPLE}"),
            format!(
                "the list is empty, so no issue could be logged; give at least one, e.g. {EXAMPLE}"
            ),
        ));
    }
    Ok(out)
}

/// A data file's text, `None` when it does not exist; a file that exists but cannot be read
/// (or is not UTF-8) is an error rather than silently ignored.
pub(crate) fn read(path: &Path) -> Result<Option<String>, ConfigError> {
    let file = path.display().to_string();
    let fail = |zh: String, en: String| ConfigError {
        file: file.clone(),
        line: 0,
        field: String::new(),
        zh,
        en,
    };
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            fail(
                "文件不是 UTF-8 编码；请用记事本或其他编辑器另存为 UTF-8".into(),
                "the file is not UTF-8; save it again as UTF-8".into(),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(fail(
            format!("无法读取该文件（{e}）；请检查文件权限"),
            format!("cannot read the file ({e}); check its permissions"),
        )),
    }
}

const UNIT_KEYS: [&str; 4] = ["id", "name", "name_en", "kind"];

/// Parses a units file.
pub fn parse_units(text: &str, file: &str) -> Result<Units, ConfigError> {
    let f = TomlFile::parse(strip_bom(text), file)?;
    let root = f.doc.as_table();
    let how_zh = "每个单位写作一节：[[unit]]，其下 id = \"tax\"、name = \"区税务局\"、kind = \"lead\"（可选 name_en）";
    let how_en = "write each unit as a [[unit]] section with id = \"tax\", name = \"区税务局\", kind = \"lead\" (and optionally name_en)";
    for (key, _) in root.iter() {
        if key != "unit" {
            let at = f.span_of(root, key);
            return Err(f.unknown(at, key, key, &["unit"]));
        }
    }
    // [[unit]] sections, or unit = [{ … }, …].
    let mut tables: Vec<(&dyn toml_edit::TableLike, Option<Range<usize>>)> = Vec::new();
    match root.get("unit") {
        Some(Item::ArrayOfTables(a)) => {
            for t in a.iter() {
                tables.push((t, t.span()));
            }
        }
        Some(Item::Value(Value::Array(a))) => {
            for v in a.iter() {
                match v.as_inline_table() {
                    Some(t) => tables.push((t, v.span())),
                    None => {
                        return Err(f.err(
                            v.span(),
                            "unit",
                            format!("这一项不是单位；{how_zh}"),
                            format!("this item is not a unit; {how_en}"),
                        ))
                    }
                }
            }
        }
        Some(other) => {
            return Err(f.err(
                f.span_of(root, "unit"),
                "unit",
                format!("{how_zh}；这里是{}", kind_zh(other)),
                format!("{how_en}; found {}", kind_en(other)),
            ))
        }
        None => {}
    }
    let mut units = Units::default();
    for (n, (t, span)) in tables.into_iter().enumerate() {
        let n = n + 1;
        for (k, _) in t.iter() {
            if !UNIT_KEYS.contains(&k) {
                return Err(f.unknown(f.span_of(t, k), &format!("unit.{k}"), k, &UNIT_KEYS));
            }
        }
        let field = |k: &str, example: &str, required: bool| -> Result<String, ConfigError> {
            match t.get(k) {
                Some(item) => Ok(f
                    .string(item, f.span_of(t, k), &format!("unit.{k}"), example)?
                    .trim()
                    .to_string()),
                None if required => Err(f.err(
                    span.clone(),
                    &format!("unit.{k}"),
                    format!("第 {n} 个单位缺少 {k}；请加上一行 {example}（{how_zh}）"),
                    format!("unit {n} has no {k}; add a line {example} ({how_en})"),
                )),
                None => Ok(String::new()),
            }
        };
        let id = field("id", "id = \"tax\"", true)?;
        let name = field("name", "name = \"区税务局\"", true)?;
        let name_en = field("name_en", "name_en = \"Tax Bureau\"", false)?;
        let kind_raw = field("kind", "kind = \"lead\"", true)?;
        let at = |k: &str| f.span_of(t, k).or_else(|| span.clone());
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(f.err(
                at("id"),
                "unit.id",
                format!("「{id}」不能作编号：编号用于命令行，只能用英文字母、数字、- 和 _，如 id = \"tax\""),
                format!("\"{id}\" cannot be an id: ids are typed on the command line, so use ASCII letters, digits, - or _, e.g. id = \"tax\""),
            ));
        }
        for (k, v) in [("name", &name), ("name_en", &name_en)] {
            if let Some((pos, c)) = crate::sanitize::first_hidden(v) {
                let code = crate::sanitize::code_point(c);
                return Err(f.err(
                    at(k),
                    &format!("unit.{k}"),
                    format!("第 {pos} 个字符是不可见或控制字符 {code}；请删除它"),
                    format!(
                        "character {pos} is an invisible or control character ({code}); delete it"
                    ),
                ));
            }
        }
        if name.is_empty() {
            return Err(f.err(
                at("name"),
                "unit.name",
                format!("单位「{id}」的名称是空的；请写上全称，如 name = \"区税务局\""),
                format!(
                    "unit \"{id}\" has an empty name; give its full name, e.g. name = \"区税务局\""
                ),
            ));
        }
        let kind = match kind_raw.as_str() {
            "lead" => UnitKind::Lead,
            "coordinating" => UnitKind::Coordinating,
            k => {
                return Err(f.err(
                    at("kind"),
                    "unit.kind",
                    format!("「{k}」不是单位类型；牵头单位写 kind = \"lead\"，协调单位写 kind = \"coordinating\""),
                    format!("\"{k}\" is not a kind of unit; write kind = \"lead\" for a lead unit or kind = \"coordinating\" for a coordinating body"),
                ))
            }
        };
        if let Some(x) = units.units.iter().find(|x| x.id == id || x.name == name) {
            let (what_zh, what_en) = if x.id == id {
                (format!("编号「{id}」"), format!("the id \"{id}\""))
            } else {
                (format!("名称「{name}」"), format!("the name \"{name}\""))
            };
            return Err(f.err(
                span.clone(),
                "unit",
                format!("{what_zh}已被前面的单位「{}」（{}）使用；每个单位的编号和名称都须唯一", x.name, x.id),
                format!("{what_en} is already used by unit \"{}\" ({}); every unit needs its own id and name", x.name, x.id),
            ));
        }
        units.units.push(Unit {
            id,
            name,
            name_en,
            kind,
        });
    }
    if units.leads().next().is_none() {
        return Err(ConfigError {
            file: file.into(),
            line: 1,
            field: "unit".into(),
            zh: format!("没有牵头单位：问题只能交办给牵头单位，至少要有一个 kind = \"lead\" 的单位（{how_zh}）"),
            en: format!("no lead unit: issues are assigned only to lead units, so at least one unit needs kind = \"lead\" ({how_en})"),
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
    match read(&path)? {
        Some(text) => parse_units(&text, &path.display().to_string()),
        None => Ok(builtin_units()),
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

    /// Words of the parser's that must never reach the user (the English message of a
    /// syntax error may quote the parser after the hint, for the record).
    fn assert_plain(e: &ConfigError) {
        let en = e.en.split(" (the parser says").next().unwrap_or_default();
        for m in [e.zh.as_str(), en] {
            for internal in [
                "invalid type",
                "expected",
                "Raw",
                "i64",
                "u32",
                "u8",
                "struct",
                "Spanned",
                "variant",
            ] {
                assert!(!m.contains(internal), "{internal:?} in {m}");
            }
        }
        assert!(
            e.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}",
            e.zh
        );
    }

    #[test]
    fn config_errors_name_file_line_and_field_in_plain_words() {
        let cases: &[(&str, usize, &str, &str, &str)] = &[
            (
                "lang = \"zh\"\n[deadlines]\ncontact_days = 0\n",
                3,
                "deadlines.contact_days",
                "0 超出范围；应为1 到 60 之间的整数",
                "0 is out of range; it must be a whole number from 1 to 60",
            ),
            (
                "[deadlines]\ncontact_days = \"2\"\n",
                2,
                "deadlines.contact_days",
                "数字不加引号",
                "without quotes); found the text \"2\"",
            ),
            (
                "\n\nbogus = 1\n",
                3,
                "bogus",
                "没有这个设置项",
                "no such setting",
            ),
            (
                "[deadlines]\ncontact_day = 2\n",
                2,
                "deadlines.contact_day",
                "是否指 contact_days？",
                "did you mean contact_days?",
            ),
            (
                "lang = \"fr\"\n",
                1,
                "lang",
                "lang = \"zh\"",
                "lang = \"en\"",
            ),
            (
                "lang = 1\n",
                1,
                "lang",
                "带引号的文字",
                "found the number 1",
            ),
            (
                "[deadlines]\ncontact_days = 5\nreply_days = 3\n",
                3,
                "deadlines.reply_days",
                "不能短于对接期限",
                "cannot be shorter",
            ),
            (
                "[inspections]\nquiet_first_day = 20\nquiet_last_day = 10\n",
                3,
                "inspections.quiet_last_day",
                "早于第一天",
                "is before the first",
            ),
            (
                "[issues]\ncategories = []\n",
                2,
                "issues.categories",
                "类别列表是空的",
                "the list is empty",
            ),
            (
                "[issues]\ncategories = [\"甲\", \"甲\"]\n",
                2,
                "issues.categories",
                "出现了两次",
                "listed twice",
            ),
            (
                "deadlines = 3\n",
                1,
                "deadlines",
                "[deadlines]",
                "must be a section",
            ),
            (
                "[deadlines\ncontact_days = 2\n",
                1,
                "",
                "节名要用一对方括号括起",
                "not valid TOML: a section name goes in a pair of square brackets",
            ),
            (
                "lang = \"zh\"\nlang = \"en\"\n",
                2,
                "",
                "写了两次",
                "written twice",
            ),
            ("lang = \"zh\n", 1, "", "英文双引号", "double quotes"),
        ];
        for (text, line, field, zh, en) in cases {
            let e = Config::parse(text, "c.toml", None).unwrap_err();
            assert_eq!(
                (e.file.as_str(), e.line),
                ("c.toml", *line),
                "{text:?}: {e}"
            );
            assert_eq!(e.field, *field, "{text:?}");
            assert!(e.zh.contains(zh), "{text:?}: {}", e.zh);
            assert!(e.en.contains(en), "{text:?}: {}", e.en);
            assert_plain(&e);
            assert!(e
                .message(Lang::Zh)
                .starts_with(&format!("c.toml:{line}: {field}")));
        }
    }

    #[test]
    fn unit_errors_name_file_line_and_field_in_plain_words() {
        let unit = |body: &str| format!("[[unit]]\n{body}\n");
        let cases: Vec<(String, usize, &str, &str)> = vec![
            (
                unit("id = \"a\"\nname = \"甲\"\nkind = \"lead\"\n[[unit]]\nid = \"a\"\nname = \"乙\"\nkind = \"lead\""),
                5,
                "unit",
                "已被前面的单位「甲」（a）使用",
            ),
            (
                unit("id = \"a\"\nname = \"甲\"\nkind = \"boss\""),
                4,
                "unit.kind",
                "「boss」不是单位类型",
            ),
            (unit("id = \"a\"\nkind = \"lead\""), 1, "unit.name", "第 1 个单位缺少 name"),
            (
                unit("id = \"税务\"\nname = \"甲\"\nkind = \"lead\""),
                2,
                "unit.id",
                "只能用英文字母",
            ),
            (
                unit("id = \"a\"\nname = \"甲\"\nkind = \"coordinating\""),
                1,
                "unit",
                "没有牵头单位",
            ),
            (
                unit("id = \"a\"\nname = \"甲\"\nkind = \"lead\"\nleader = \"x\""),
                5,
                "unit.leader",
                "没有这个设置项",
            ),
            (unit("id = 3\nname = \"甲\"\nkind = \"lead\""), 2, "unit.id", "数字 3"),
        ];
        for (text, line, field, zh) in cases {
            let e = parse_units(&text, "u.toml").unwrap_err();
            assert_eq!((e.line, e.field.as_str()), (line, field), "{text:?}: {e}");
            assert!(e.zh.contains(zh), "{text:?}: {}", e.zh);
            assert_plain(&e);
        }
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let c = Config::parse("\u{feff}[deadlines]\nreply_days = 7\n", "c.toml", None).unwrap();
        assert_eq!(c.deadlines.reply_days, 7);
        let u = parse_units(
            "\u{feff}[[unit]]\nid = \"a\"\nname = \"甲\"\nkind = \"lead\"\n",
            "u.toml",
        )
        .unwrap();
        assert_eq!(u.units.len(), 1);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), "\u{feff}lang = \"en\"\n").unwrap();
        assert_eq!(Config::load(dir.path()).unwrap().lang, Lang::En);
        std::fs::write(dir.path().join("config.toml"), b"lang = \"\xff\"\n").unwrap();
        let e = Config::load(dir.path()).unwrap_err();
        assert!(e.zh.contains("UTF-8"), "{e}");
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

    #[test]
    fn suggested_units_shipped_checked_and_overridden() {
        let units = builtin_units();
        let mut c = Config::builtin();
        c.check_units(&units).unwrap();
        assert_eq!(c.suggested_unit("税费社保"), Some("tax"));
        assert_eq!(c.suggested_unit("其他"), None);
        // Every shipped suggestion is a category and a lead unit.
        assert_eq!(c.suggested_units.len(), 11);
        for s in &c.suggested_units {
            assert!(c.categories.contains(&s.category), "{s:?}");
            assert!(units.leads().any(|u| u.id == s.unit), "{s:?}");
        }
        // A district's file changes one line and removes another.
        let text = "[issues.suggested_units]\n\"税费社保\" = \"finance\"\n\"法律纠纷\" = \"\"\n";
        let mut c = Config::parse(text, "c.toml", Some(&Config::builtin())).unwrap();
        c.check_units(&units).unwrap();
        assert_eq!(c.suggested_unit("税费社保"), Some("finance"));
        assert_eq!(c.suggested_unit("法律纠纷"), None);
        assert_eq!(c.suggested_unit("融资信贷"), Some("fintech"));
        // A district with its own categories drops the shipped suggestions for the others.
        let c = Config::parse(
            "[issues]\ncategories = [\"融资信贷\", \"其他\"]\n",
            "c.toml",
            Some(&Config::builtin()),
        )
        .unwrap();
        assert_eq!(c.suggested_units.len(), 1);
    }

    #[test]
    fn suggested_unit_errors_name_file_line_and_field() {
        let base = Config::builtin();
        let units = builtin_units();
        let e = Config::parse(
            "lang = \"zh\"\n[issues.suggested_units]\n\"融资\" = \"fintech\"\n",
            "c.toml",
            Some(&base),
        )
        .unwrap_err();
        assert_eq!(
            (e.line, e.field.as_str()),
            (3, "issues.suggested_units.融资")
        );
        assert!(
            e.zh.contains("「融资」不是") && e.zh.contains("融资信贷"),
            "{}",
            e.zh
        );
        assert_plain(&e);
        for (unit, zh) in [("bank", "没有编号为「bank」"), ("ndrc", "不是牵头单位")] {
            let text = format!("[issues.suggested_units]\n\n\"融资信贷\" = \"{unit}\"\n");
            let mut c = Config::parse(&text, "c.toml", Some(&base)).unwrap();
            let e = c.check_units(&units).unwrap_err();
            assert_eq!(
                (e.file.as_str(), e.line, e.field.as_str()),
                ("c.toml", 3, "issues.suggested_units.融资信贷")
            );
            assert!(e.zh.contains(zh) && e.zh.contains("tax"), "{}", e.zh);
            assert!(e.message(Lang::En).starts_with("c.toml:3: "), "{}", e.en);
            assert_plain(&e);
        }
        let e = Config::parse(
            "[issues.suggested_units]\n\"融资信贷\" = 3\n",
            "c.toml",
            Some(&base),
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        let e = Config::parse(
            "[report]\nmin_issues_for_ranking = 0\n",
            "c.toml",
            Some(&base),
        )
        .unwrap_err();
        assert_eq!(
            (e.line, e.field.as_str()),
            (2, "report.min_issues_for_ranking")
        );
        let c = Config::parse(
            "[report]\nmin_issues_for_ranking = 3\n",
            "c.toml",
            Some(&base),
        )
        .unwrap();
        assert_eq!(c.min_issues_for_ranking, 3);
    }
}
