//! What the desk refuses, and why, in the user's language. Bad input (exit 2) is told apart from
//! failures of the machine (exit 1).

use crate::calendar::CalendarError;
use crate::config::ConfigError;
use crate::domain::credit_code::CreditCodeError;
use crate::domain::evaluation::EvaluationError;
use crate::domain::{ApplyError, TransitionError};
use crate::i18n::Lang;
use crate::store::StoreError;

/// What is wrong with one input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    TooLong(usize),
    CreditCode(CreditCodeError),
    Phone,
    /// Not one of the allowed values (listed).
    OneOf(Vec<String>),
    NotLeadUnit,
    SameUnit,
    Evaluation(EvaluationError),
    Date,
    Number,
    /// A date after the given day (today): records of the past cannot lie in the future.
    FutureDate(chrono::NaiveDate),
    /// A date before the given day (the earliest a report may still be filed for).
    TooOld(chrono::NaiveDate),
    /// A control, bidi or invisible character at this position (1-based, in characters).
    Hidden(usize, char),
    /// A phone number masked for printing (138****5678), not a number.
    MaskedPhone,
}

/// Kinds of record that can be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Issue,
    Enterprise,
    Unit,
    Shift,
}

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("{field}: {value:?}: {problem:?}")]
    Invalid {
        field: &'static str,
        value: String,
        problem: Problem,
    },
    #[error("{what:?} not found: {key}")]
    NotFound { what: Missing, key: String },
    #[error("{key} matches several enterprises: {candidates:?}")]
    Ambiguous {
        key: String,
        candidates: Vec<String>,
    },
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("{0}")]
    Apply(ApplyError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ApplyError> for DeskError {
    fn from(e: ApplyError) -> Self {
        match e {
            ApplyError::Transition(t) => DeskError::Transition(t),
            e => DeskError::Apply(e),
        }
    }
}

impl DeskError {
    pub fn invalid(field: &'static str, value: impl Into<String>, problem: Problem) -> DeskError {
        DeskError::Invalid {
            field,
            value: value.into(),
            problem,
        }
    }

    /// Bad input (exit 2) rather than a failure (exit 1).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, DeskError::Store(_))
    }

    /// The message for the user, saying what was wrong and how to fix it.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            DeskError::Invalid {
                field,
                value,
                problem,
            } => {
                let f = field_name(field, lang);
                let p = problem_text(problem, lang);
                if value.is_empty() {
                    if zh {
                        format!("{f}：{p}")
                    } else {
                        format!("{f}: {p}")
                    }
                } else if zh {
                    format!("{f}「{value}」：{p}")
                } else {
                    format!("{f} \"{value}\": {p}")
                }
            }
            DeskError::NotFound { what, key } => {
                let (wz, we, hz, he) = match what {
                    Missing::Issue => (
                        "问题",
                        "issue",
                        "用 `dutydesk issue list` 查看编号",
                        "see `dutydesk issue list` for ids",
                    ),
                    Missing::Enterprise => (
                        "企业",
                        "enterprise",
                        "用 `dutydesk enterprise search` 查找，或先导入/登记该企业",
                        "find it with `dutydesk enterprise search`, or import/register it first",
                    ),
                    Missing::Unit => (
                        "单位",
                        "unit",
                        "使用 units.toml 中的单位编号或名称",
                        "use a unit id or name from units.toml",
                    ),
                    Missing::Shift => (
                        "班次",
                        "shift",
                        "用 `dutydesk handover --list` 查看所有班次",
                        "`dutydesk handover --list` lists the shifts",
                    ),
                };
                if zh {
                    format!("未找到{wz}「{key}」；{hz}")
                } else {
                    format!("no {we} \"{key}\"; {he}")
                }
            }
            DeskError::Ambiguous { key, candidates } => {
                let list = candidates
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("、");
                if zh {
                    format!("「{key}」匹配多家企业（{list}…）；请输入完整名称或统一社会信用代码")
                } else {
                    format!("\"{key}\" matches several enterprises ({list}…); give the full name or the credit code")
                }
            }
            DeskError::Transition(t) => {
                if zh {
                    format!(
                        "当前状态为「{}」，不能执行「{}」",
                        t.from.zh(),
                        op_zh(t.op.key())
                    )
                } else {
                    format!(
                        "cannot {} an issue that is {} (status {})",
                        t.op.key(),
                        t.from.en(),
                        t.from.key()
                    )
                }
            }
            DeskError::Apply(e) => e.to_string(),
            DeskError::Config(e) => {
                if zh {
                    format!("配置错误 {e}")
                } else {
                    format!("configuration error {e}")
                }
            }
            DeskError::Calendar(e) => e.to_string(),
            DeskError::Store(StoreError::InUse { dir, holder }) => {
                if zh {
                    format!(
                        "数据目录正被使用（{holder}）：{}；请先关闭另一个 dutydesk",
                        dir.display()
                    )
                } else {
                    format!(
                        "store in use by {holder} ({}); close the other dutydesk first",
                        dir.display()
                    )
                }
            }
            DeskError::Store(e) => {
                if zh {
                    format!("存储错误：{e}")
                } else {
                    format!("store error: {e}")
                }
            }
        }
    }
}

fn op_zh(op: &str) -> &'static str {
    match op {
        "assign" => "交办",
        "transfer" => "转办",
        "return" => "退回",
        "contact" => "对接",
        "reply" => "答复",
        "resolve" => "办结",
        "evaluate" => "评价",
        "reopen" => "重新打开",
        "void" => "作废",
        "supervise" => "督办",
        _ => "备注",
    }
}

/// The field's name as the user knows it.
pub fn field_name(field: &str, lang: Lang) -> String {
    let zh = match field {
        "enterprise" => "企业",
        "credit_code" => "统一社会信用代码",
        "name" => "企业名称",
        "category" => "问题类别",
        "channel" => "来源渠道",
        "contact" => "联系人",
        "phone" => "联系电话",
        "text" | "description" => "问题描述",
        "unit" => "单位",
        "helpers" => "协办单位",
        "reason" => "理由",
        "note" => "备注",
        "reply" => "答复内容",
        "district" => "所属街镇",
        "inspectors" => "检查人员",
        "result" => "检查结果",
        "scores" | "evaluation" => "评价",
        "comment" => "评价意见",
        "grade" => "企业等级",
        "vip_categories" => "重点企业类别",
        "date" => "日期",
        "id" => "编号",
        "officer" => "值班人员",
        "kind" => "检查类型",
        "exemption" => "例外情形",
        "by" => "报备方",
        "status" => "状态",
        other => return other.to_string(),
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => format!("--{}", field.replace('_', "-")),
    }
}

impl Problem {
    /// What is wrong and how to fix it, without the field's name.
    pub fn text(&self, lang: Lang) -> String {
        problem_text(self, lang)
    }
}

fn problem_text(p: &Problem, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match p {
        Problem::Empty => lang.pick("不能为空，请填写", "must not be empty; fill it in").into(),
        Problem::TooLong(n) => {
            if zh { format!("太长（最多 {n} 字）") } else { format!("too long (at most {n} characters)") }
        }
        Problem::CreditCode(CreditCodeError::Length(n)) => {
            if zh { format!("应为 18 位，实际 {n} 位") } else { format!("must be 18 characters, found {n}") }
        }
        Problem::CreditCode(CreditCodeError::Char(pos, c)) => {
            if zh {
                format!("第 {pos} 位「{c}」不是合法字符（仅数字和除 I、O、Z、S、V 外的大写字母）")
            } else {
                format!("character {pos} '{c}' is not allowed (digits and capital letters except I, O, Z, S, V)")
            }
        }
        Problem::CreditCode(CreditCodeError::Check(found, expected)) => {
            if zh {
                format!("校验位错误：末位是「{found}」，按 GB 32100-2015 应为「{expected}」；请核对营业执照")
            } else {
                format!("wrong check character '{found}' (GB 32100-2015 gives '{expected}'); check the business licence")
            }
        }
        Problem::Phone => lang
            .pick(
                "不是有效的电话号码；手机 11 位（如 13812345678），座机带区号（如 023-68881234）",
                "not a valid phone number; mobile 11 digits (13812345678) or landline with area code (023-68881234)",
            )
            .into(),
        Problem::OneOf(list) => {
            let l = list.join(if zh { "、" } else { ", " });
            if zh { format!("应为以下之一：{l}") } else { format!("must be one of: {l}") }
        }
        Problem::NotLeadUnit => lang.pick("不是牵头单位，问题只能交办给 14 个牵头单位之一", "is not a lead unit; issues go to one of the lead units").into(),
        Problem::SameUnit => lang.pick("已是当前主办单位，请选择其他单位", "already handles this issue; choose another unit").into(),
        Problem::Evaluation(EvaluationError::OutOfRange(dim, v)) => {
            if zh {
                format!("{} 为 {v}，评分须为 1–5", dim_zh(dim))
            } else {
                format!("{dim} is {v}; scores are 1–5")
            }
        }
        Problem::Evaluation(EvaluationError::CommentRequired) => lang
            .pick("有评分 ≤ 2 时必须填写评价意见（--comment）", "a score of 2 or less needs a comment (--comment)")
            .into(),
        Problem::Date => lang.pick("日期格式应为 YYYY-MM-DD（如 2026-09-30）", "dates are YYYY-MM-DD (e.g. 2026-09-30)").into(),
        Problem::Number => lang.pick("应为数字", "must be a number").into(),
        Problem::FutureDate(today) => {
            if zh {
                format!("晚于今天（{today}）；检查须在发生后报备，请核对日期")
            } else {
                format!("is after today ({today}); inspections are filed after they happen, so check the date")
            }
        }
        Problem::TooOld(earliest) => {
            if zh {
                format!("早于 {earliest}：检查应在发生后及时报备，一年以前的检查不再补报；请核对日期（年份是否写错）")
            } else {
                format!("is before {earliest}: inspections are reported soon after they happen, and none older than a year is accepted; check the date (is the year right?)")
            }
        }
        Problem::Hidden(pos, c) => {
            let code = crate::sanitize::code_point(*c);
            let (kz, ke) = if crate::sanitize::is_bidi_control(*c) {
                ("双向文字控制符", "a bidi control character")
            } else if c.is_control() {
                ("控制字符", "a control character")
            } else {
                ("不可见字符", "an invisible character")
            };
            if zh {
                format!("第 {pos} 个字符是{kz} {code}；请删除它（常随从网页、Word 复制的文字带入）")
            } else {
                format!("character {pos} is {ke} ({code}); delete it (it often comes with text copied from web pages or Word)")
            }
        }
        Problem::MaskedPhone => lang
            .pick(
                "是打码后的号码（导出默认隐去中间几位）；请用 `dutydesk enterprise export --show-pii` 导出完整号码后再导入",
                "is a masked number (exports hide the middle digits by default); export with `dutydesk enterprise export --show-pii` to keep the full numbers",
            )
            .into(),
    }
}

fn dim_zh(dim: &str) -> &'static str {
    match dim {
        "closeness" => "政府亲近度",
        "integrity" => "政府清廉度",
        _ => "亲清满意度",
    }
}
