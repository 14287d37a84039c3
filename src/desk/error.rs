//! What the desk refuses, and why, in the user's language. Bad input (exit 2) is told apart from
//! failures of the machine (exit 1).

use crate::config::ConfigError;
use crate::domain::credit_code::CreditCodeError;
use crate::domain::evaluation::EvaluationError;
use crate::domain::policy::Refusal;
use crate::domain::{ApplyError, IssueOp, IssueStatus, TransitionError};
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
    /// Not a time as the command line writes it (YYYY-MM-DDTHH:MM[:SS] or a date).
    DateTime,
    Number,
    /// A date after the given day (today): records of the past cannot lie in the future.
    FutureDate(chrono::NaiveDate),
    /// A date before the given day (the earliest a report may still be filed for).
    TooOld(chrono::NaiveDate),
    /// A control, bidi or invisible character at this position (1-based, in characters).
    Hidden(usize, char),
    /// A phone number masked for printing (138****5678), not a number.
    MaskedPhone,
    /// Not a login name SSH accepts.
    LoginName,
    /// A due date on or before the given day (today): it must be later.
    NotAfter(chrono::NaiveDate),
    /// Neither a date nor a number of working days.
    Due,
    /// A date in a year the holiday calendar has no table for (the years it knows).
    BeyondCalendar(Vec<i32>),
    /// A rule of the residency programme.
    Rule(crate::desk::residency::RuleProblem),
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
    /// A problem in `config.toml`, `units.toml` or `holidays.toml`.
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The account's role does not allow the action (exit 3).
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The issue changed since the officer looked at it.
    #[error("issue {id} was changed by {by} at {at}")]
    Conflict {
        id: u64,
        by: String,
        at: chrono::NaiveDateTime,
        /// What the change was, in words (e.g. "转办 区财政局 → 区税务局").
        what: String,
    },
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
        match self {
            // A missing or wrong seal key is the user's to give.
            DeskError::Store(
                StoreError::NeedKey | StoreError::WrongKey { .. } | StoreError::BadKey { .. },
            ) => true,
            DeskError::Store(_) | DeskError::Conflict { .. } => false,
            _ => true,
        }
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
            DeskError::Transition(t) => transition_message(t, None, lang),
            DeskError::Apply(e) => apply_message(e, lang),
            DeskError::Config(e) => {
                if zh {
                    format!("配置文件有误：{}", e.message(lang))
                } else {
                    format!("configuration file problem: {}", e.message(lang))
                }
            }
            DeskError::Store(e) => e.message(lang),
            DeskError::Refused(r) => refusal_message(r, lang),
            DeskError::Conflict { id, by, at, what } => {
                let t = at.format("%H:%M");
                if zh {
                    format!("#{id} 已被{by}于 {t} 修改（{what}）；请重新查看后再操作")
                } else {
                    format!("#{id} was changed by {by} at {t} ({what}); look again")
                }
            }
        }
    }
}

/// Why the lifecycle refuses `t` and what the user can do instead. With the issue's id the
/// hint names the command to run (the command line); without it, only the step (the TUI).
pub fn transition_message(t: &TransitionError, id: Option<u64>, lang: Lang) -> String {
    let (hz, he, cmd) = transition_hint(t.from, t.op);
    let cmd = match (cmd, id) {
        (Some(c), Some(id)) => Some(c.replace("{id}", &id.to_string())),
        _ => None,
    };
    if lang == Lang::Zh {
        let who = id.map_or_else(|| "该问题".to_string(), |id| format!("问题 {id} "));
        let cmd = cmd.map(|c| format!("（`{c}`）")).unwrap_or_default();
        format!(
            "{who}当前状态为「{}」，不能{}；{hz}{cmd}",
            t.from.zh(),
            op_zh(t.op.key())
        )
    } else {
        let who = id.map_or_else(|| "this issue".to_string(), |id| format!("issue {id}"));
        let cmd = cmd.map(|c| format!(" (`{c}`)")).unwrap_or_default();
        format!(
            "{who} is {}: it cannot be {}; {he}{cmd}",
            t.from.en(),
            op_en(t.op.key())
        )
    }
}

/// (Chinese hint, English hint, the command that does it) for a refused step.
fn transition_hint(
    from: IssueStatus,
    op: IssueOp,
) -> (&'static str, &'static str, Option<&'static str>) {
    use IssueOp as O;
    use IssueStatus as S;
    const ASSIGN: &str = "dutydesk issue assign {id} UNIT";
    const TRANSFER: &str = "dutydesk issue transfer {id} UNIT --reason …";
    const CONTACT: &str = "dutydesk issue contact {id}";
    const REPLY: &str = "dutydesk issue reply {id} --text …";
    const EVALUATE: &str =
        "dutydesk issue evaluate {id} --closeness 1-5 --integrity 1-5 --satisfaction 1-5";
    const RESOLVE: &str = "dutydesk issue resolve {id}";
    const REOPEN: &str = "dutydesk issue reopen {id} --reason …";
    const NOTE: &str = "dutydesk issue note {id} --text …";
    const ADD: &str = "dutydesk issue add --enterprise … --category … --text …";
    match (from, op) {
        (S::Voided, _) => (
            "已作废的问题不能再处理；如问题仍存在，请重新登记",
            "a voided issue is final; if the problem still stands, log it again as a new issue",
            Some(ADD),
        ),
        (S::Closed, O::Resolve) => ("问题已办结，无需再办结", "it is already closed; nothing to do", None),
        (S::InProgress | S::Replied, O::Receive) => (
            "单位已在办理，签收已无必要",
            "the unit is already handling it: there is nothing left to sign for",
            None,
        ),
        (S::Closed, O::Void) => (
            "已办结的问题须留档，不能作废；如需说明，请添加备注",
            "a closed issue stays on record and cannot be voided; add a note instead",
            Some(NOTE),
        ),
        (S::Closed, _) => ("请先重新打开", "reopen it first", Some(REOPEN)),
        (_, O::Reopen) => (
            "只有已办结的问题才能重新打开，该问题仍在办理中",
            "only a closed issue can be reopened, and this one is still open",
            None,
        ),
        (S::Logged, O::Transfer | O::Return | O::Contact) => (
            "请先交办给一个牵头单位",
            "assign it to a lead unit first",
            Some(ASSIGN),
        ),
        (S::Logged, _) => (
            "尚未交办：请先交办，再由单位对接企业并答复",
            "it has not been assigned yet: assign it first; the unit then contacts the enterprise and replies",
            Some(ASSIGN),
        ),
        (S::Assigned | S::InProgress, O::Assign) => (
            "已有主办单位；如需换单位，请转办",
            "it already has a lead unit; to move it to another unit, transfer it",
            Some(TRANSFER),
        ),
        (S::Assigned, O::Reply) => (
            "请先记录单位已对接企业",
            "record the unit's contact with the enterprise first",
            Some(CONTACT),
        ),
        (S::Assigned, _) => (
            "单位须先对接企业并答复：请先记录对接",
            "the unit must contact the enterprise and reply first: record the contact",
            Some(CONTACT),
        ),
        (S::InProgress, O::Contact) => (
            "已记录对接；下一步请记录单位的答复",
            "the contact is already recorded; record the unit's reply next",
            Some(REPLY),
        ),
        (S::InProgress, _) => (
            "请先记录单位的答复",
            "record the unit's reply first",
            Some(REPLY),
        ),
        (S::Replied, O::Assign | O::Transfer | O::Return) => (
            "单位已答复：请记录企业评价（任一项 ≤ 2 分会退回单位重办）或直接办结",
            "the unit has replied: record the enterprise's evaluation (a score of 2 or less sends it back to a unit) or close it",
            Some(EVALUATE),
        ),
        (S::Replied, _) => (
            "已记录答复：请记录企业评价或办结",
            "the reply is already recorded: record the enterprise's evaluation or close it",
            Some(RESOLVE),
        ),
    }
}

fn op_en(op: &str) -> &'static str {
    match op {
        "assign" => "assigned",
        "receive" => "signed for",
        "transfer" => "transferred",
        "return" => "returned to the desk",
        "contact" => "marked as contacted",
        "reply" => "given a reply",
        "resolve" => "resolved",
        "evaluate" => "evaluated",
        "reopen" => "reopened",
        "void" => "voided",
        "supervise" => "put under supervision",
        _ => "given a note",
    }
}

/// The other refusals of the records, in the user's language.
fn apply_message(e: &ApplyError, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match e {
        ApplyError::Residency(r) => residency_message(r, lang),
        ApplyError::Transition(t) => transition_message(t, None, lang),
        ApplyError::NoIssue(id) => {
            if zh {
                format!("未找到问题 {id}；用 `dutydesk issue list` 查看编号")
            } else {
                format!("no issue {id}; see `dutydesk issue list` for ids")
            }
        }
        ApplyError::IssueExists(id) => {
            if zh {
                format!("问题 {id} 已存在（可能是另一处同时登记）；请重试")
            } else {
                format!("issue {id} already exists (perhaps logged elsewhere at the same moment); try again")
            }
        }
        ApplyError::NoShift(id) => {
            if zh {
                format!("未找到班次 {id}；用 `dutydesk handover --list` 查看所有班次")
            } else {
                format!("no shift {id}; `dutydesk handover --list` lists the shifts")
            }
        }
        ApplyError::ShiftClosed(id) => {
            if zh {
                format!(
                    "班次 {id} 已签退，交接单不能再修改；需要补充的事项请写在当前班次的交接留言中"
                )
            } else {
                format!("shift {id} is already signed off and its brief cannot change; put anything to add in the current shift's notes")
            }
        }
        ApplyError::ShiftOpen(id) => {
            if zh {
                format!("班次 {id} 尚未签退，不能确认接班；请等上一班签退后再确认")
            } else {
                format!("shift {id} is still open; its handover can be acknowledged only after sign-off")
            }
        }
        ApplyError::ShiftExists(id) => {
            if zh {
                format!("班次 {id} 已存在（可能是另一处同时签到）；请重试")
            } else {
                format!("shift {id} already exists (perhaps signed in elsewhere at the same moment); try again")
            }
        }
        ApplyError::AlreadyAcknowledged(id) => {
            if zh {
                format!("班次 {id} 的交接单已被确认，无需再次确认")
            } else {
                format!("shift {id}'s handover was already acknowledged; nothing to do")
            }
        }
        ApplyError::NoAccount(name) => {
            if zh {
                format!("没有账号「{name}」；用 `dutydesk account list` 查看账号")
            } else {
                format!("no account \"{name}\"; `dutydesk account list` lists them")
            }
        }
        ApplyError::AlreadyReceived(id) => {
            if zh {
                format!("问题 {id} 已签收，无需再次签收；下一步请对接企业（`dutydesk issue contact {id}`）")
            } else {
                format!("issue {id} is already signed for; next, contact the enterprise (`dutydesk issue contact {id}`)")
            }
        }
        ApplyError::NotHolder { id, unit, holder } => {
            if zh {
                format!("问题 {id} 的主办单位是「{holder}」，不是「{unit}」：只有主办单位才能签收")
            } else {
                format!("issue {id} is held by {holder}, not {unit}: only the unit holding it signs for it")
            }
        }
    }
}

/// A refused action: the account, its role, and what it may not do.
pub fn refusal_message(r: &Refusal, lang: Lang) -> String {
    let on = r.issue.map(|id| (id, r.role == crate::domain::Role::Unit));
    match lang {
        Lang::Zh => {
            let tail = match on {
                Some((id, true)) => format!("：问题 {id} 不由本单位主办"),
                Some((id, false)) => format!("（问题 {id}）"),
                None => String::new(),
            };
            format!(
                "账号「{}」的角色是{}，不能{}{tail}；如需办理，请联系值班人员或管理员",
                r.account,
                r.role.zh(),
                r.act.zh()
            )
        }
        Lang::En => {
            let tail = match on {
                Some((id, true)) => format!(": issue {id} is not held by its unit"),
                Some((id, false)) => format!(" (issue {id})"),
                None => String::new(),
            };
            format!(
                "account \"{}\" is a {} and may not {}{tail}; ask the desk or an administrator",
                r.account,
                r.role.en(),
                r.act.en()
            )
        }
    }
}

fn op_zh(op: &str) -> &'static str {
    match op {
        "assign" => "交办",
        "receive" => "签收",
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
        "due" => "督办期限",
        "level" => "督办级别",
        "from" => "起始日期",
        "to" => "截止日期",
        "sort" => "排序",
        "min_issues_for_ranking" => "参与排名的最少问题数",
        "round" => "期次",
        "start" => "开始日期",
        "end" => "结束日期",
        "organisers" => "组织单位",
        "title" => "标题",
        "placement" => "驻企安排",
        "cadre" => "干部",
        "cadres" => "点名干部",
        "units" => "点餐部门",
        "visited" => "走访日期",
        "needs" => "企业需求",
        "policy" => "政策名称",
        "amount" => "金额",
        "score" => "评分",
        "suggestion" => "建议",
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
        Problem::Date => lang.pick("日期格式应为 YYYY-MM-DD，年份写满四位（如 2026-09-30）", "dates are YYYY-MM-DD with a four-digit year (e.g. 2026-09-30)").into(),
        Problem::DateTime => lang.pick(
            "时间格式应为 YYYY-MM-DDTHH:MM 或 YYYY-MM-DD，年份写满四位（如 2026-11-20T08:30）",
            "times are YYYY-MM-DDTHH:MM or YYYY-MM-DD with a four-digit year (e.g. 2026-11-20T08:30)",
        ).into(),
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
        Problem::NotAfter(today) => {
            if zh {
                format!("须晚于今天（{today}）：写一个以后的日期（YYYY-MM-DD），或写工作日数（如 5）")
            } else {
                format!("must be after today ({today}): give a later date (YYYY-MM-DD) or a number of working days (e.g. 5)")
            }
        }
        Problem::Due => lang
            .pick(
                "应为以后的日期（YYYY-MM-DD，如 2026-11-30）或工作日数（如 5）",
                "must be a later date (YYYY-MM-DD, e.g. 2026-11-30) or a number of working days (e.g. 5)",
            )
            .into(),
        Problem::BeyondCalendar(years) => {
            let y = years.iter().map(|y| y.to_string()).collect::<Vec<_>>();
            if zh {
                format!("超出节假日表已有的年份（{}）；请选这些年份内的日期，或先在 holidays.toml 中补充该年的节假日安排", y.join("、"))
            } else {
                format!("is beyond the years the holiday calendar knows ({}); choose a date within them, or add that year's holidays to holidays.toml first", y.join(", "))
            }
        }
        Problem::Rule(r) => rule_text(r, lang),
        Problem::LoginName => lang
            .pick(
                "不是有效的登录名：用 1–32 个英文字母、数字、点、下划线或连字符，并以字母或数字开头（如 lina、tax.wang）",
                "is not a valid login name: use 1–32 letters, digits, dots, underscores or hyphens, starting with a letter or digit (e.g. lina, tax.wang)",
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

/// A residency event that does not fit the programme, in the user's language.
pub fn residency_message(e: &crate::domain::residency::ResidencyError, lang: Lang) -> String {
    use crate::domain::residency::ResidencyError as R;
    let zh = lang == Lang::Zh;
    match e {
        R::NoRound(n) => {
            if zh {
                format!("没有第 {n} 期；用 `dutydesk residency round list` 查看期次，或用 `dutydesk residency round add --no {n} --start 日期` 新建")
            } else {
                format!("no round {n}; `dutydesk residency round list` lists the rounds, `dutydesk residency round add --no {n} --start DATE` adds it")
            }
        }
        R::RoundClosed(n) => {
            if zh {
                format!("第 {n} 期已收官，不能再修改；遗留问题请按普通问题继续办理")
            } else {
                format!("round {n} is closed and cannot change; its open issues go on as ordinary issues")
            }
        }
        R::NoPlacement(id) => {
            if zh {
                format!("没有编号为 {id} 的驻企安排；用 `dutydesk residency placements` 查看编号")
            } else {
                format!("no placement {id}; `dutydesk residency placements` lists them")
            }
        }
        R::PlacementExists(id) => {
            if zh {
                format!("驻企安排 {id} 已存在（可能是另一处同时登记）；请重试")
            } else {
                format!("placement {id} already exists (perhaps added elsewhere at the same moment); try again")
            }
        }
        R::PlacementVoided(id) => {
            if zh {
                format!("驻企安排 {id} 已撤销，不能再记录")
            } else {
                format!("placement {id} was voided; nothing more can be recorded on it")
            }
        }
        R::NotPlaced { placement, cadre } => {
            if zh {
                format!("「{cadre}」不在驻企安排 {placement} 中；用 `dutydesk residency show {placement}` 查看该安排的干部")
            } else {
                format!("{cadre} is not placed in placement {placement}; `dutydesk residency show {placement}` shows its cadres")
            }
        }
        R::NoEntry { cadre, index } => {
            if zh {
                format!("「{cadre}」没有第 {} 条五个一记录（或已作废）", index + 1)
            } else {
                format!(
                    "{cadre} has no checklist entry {} (or it was voided)",
                    index + 1
                )
            }
        }
        R::Linked(id) => {
            if zh {
                format!("问题 {id} 已关联驻企安排")
            } else {
                format!("issue {id} is already linked to a placement")
            }
        }
    }
}

fn rule_text(r: &crate::desk::residency::RuleProblem, lang: Lang) -> String {
    use crate::desk::residency::RuleProblem as R;
    let zh = lang == Lang::Zh;
    match r {
        R::EndBeforeStart(start) => {
            if zh { format!("早于开始日期 {start}；结束日期应在开始之后（一期一般两周）") } else { format!("is before the start {start}; a round ends after it starts (two weeks, as a rule)") }
        }
        R::TooLong(days) => {
            if zh { format!("使本期长达 {days} 天；一期为两周，最长 {} 天", crate::domain::residency::MAX_ROUND_DAYS) } else { format!("makes the round {days} days long; a round is two weeks, {} days at most", crate::domain::residency::MAX_ROUND_DAYS) }
        }
        R::NotPair(n) => {
            if zh { format!("共 {n} 名；干部两人一组驻企，请写两个 --cadre 姓名/单位/职级") } else { format!("{n} given; cadres go in pairs: give --cadre NAME/UNIT/RANK twice") }
        }
        R::Twice => lang.pick("在同一驻企安排中出现了两次；请写两名不同的干部", "appears twice in one placement; give two different cadres").into(),
        R::OutsideRound(start, end) => {
            if zh { format!("不在本期 {start} 至 {end} 之内") } else { format!("is outside the round, {start} to {end}") }
        }
        R::Scores => {
            let dims: Vec<&str> = crate::domain::residency::SCORE_DIMENSIONS.iter().map(|d| if zh { d.0 } else { d.1 }).collect();
            if zh { format!("应为 {} 个 1–5 的整数，用逗号分隔，依次为{}（如 5,4,5,5）", dims.len(), dims.join("、")) } else { format!("must be {} whole numbers 1–5, comma-separated: {} (e.g. 5,4,5,5)", dims.len(), dims.join(", ")) }
        }
        R::Amount => lang.pick("不是金额；写元（如 120000 或 3500.50）或万元（如 12万、2.5万元）", "is not an amount; write yuan (120000 or 3500.50) or 万元 (12万, 2.5万元)").into(),
        R::NotBegun(start) => {
            if zh { format!("本期 {start} 才开始；驻企开始后才能记录") } else { format!("the round begins on {start}; this is recorded once it has begun") }
        }
        R::CadreForm => lang.pick("应写成 姓名/单位/职级（职级可省略），如 张伟/economy/科级", "write NAME/UNIT/RANK (rank optional), e.g. 张伟/economy/科级").into(),
        R::OtherFirm(name) => {
            if zh { format!("不是该驻企安排的企业（{name}）；驻企问题登记在所驻企业名下，可省略 --enterprise") } else { format!("is not the placement's firm ({name}); an issue raised in a placement is the firm's: leave out --enterprise") }
        }
        R::NeedsPlacement => lang.pick("驻企干部渠道的问题须关联驻企安排：请加 --placement 编号 --cadre 姓名", "issues of the residency channel belong to a placement: add --placement ID --cadre NAME").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::transition;

    const OPS: [IssueOp; 12] = IssueOp::ALL;

    #[test]
    fn every_refused_step_says_what_to_do_instead_in_both_languages() {
        let mut refused = 0;
        for from in IssueStatus::ALL {
            for op in OPS {
                let Err(t) = transition(from, op) else {
                    continue;
                };
                refused += 1;
                let zh = transition_message(&t, Some(12), Lang::Zh);
                let en = transition_message(&t, Some(12), Lang::En);
                assert!(
                    zh.starts_with("问题 12 ")
                        && zh.contains(from.zh())
                        && zh.contains(op_zh(op.key())),
                    "{zh}"
                );
                assert!(
                    en.starts_with("issue 12 is ")
                        && en.contains(from.en())
                        && en.contains(op_en(op.key())),
                    "{en}"
                );
                // A hint follows the refusal, and it is not the refusal again.
                let (hz, he, cmd) = transition_hint(from, op);
                assert!(zh.contains(hz) && en.contains(he), "{zh} / {en}");
                if let Some(c) = cmd {
                    let c = c.replace("{id}", "12");
                    assert!(zh.contains(&c) && en.contains(&c), "{zh} / {en}");
                    // The step it names is one the lifecycle allows from here (or a new issue).
                    if !c.starts_with("dutydesk issue add") {
                        let verb = c.split_whitespace().nth(2).unwrap();
                        let next = OPS.iter().find(|o| o.key() == verb).unwrap();
                        assert!(transition(from, *next).is_ok(), "{from:?}: {c}");
                    }
                }
                // Without an id (the TUI) there is no command, only the step.
                let bare = transition_message(&t, None, Lang::En);
                assert!(
                    bare.starts_with("this issue is ") && !bare.contains('`'),
                    "{bare}"
                );
            }
        }
        // 26 of the 72 (state, op) pairs are allowed (domain::issue's table, less low scores).
        assert_eq!(refused, 6 * 12 - 26);
        let t = TransitionError {
            from: IssueStatus::Closed,
            op: IssueOp::Assign,
        };
        assert_eq!(
            transition_message(&t, Some(12), Lang::En),
            "issue 12 is closed: it cannot be assigned; reopen it first (`dutydesk issue reopen 12 --reason …`)"
        );
        assert_eq!(
            transition_message(&t, Some(12), Lang::Zh),
            "问题 12 当前状态为「已办结」，不能交办；请先重新打开（`dutydesk issue reopen 12 --reason …`）"
        );
    }

    #[test]
    fn record_refusals_are_in_the_users_language() {
        for e in [
            ApplyError::NoIssue(3),
            ApplyError::IssueExists(3),
            ApplyError::NoShift(3),
            ApplyError::ShiftClosed(3),
            ApplyError::ShiftOpen(3),
            ApplyError::ShiftExists(3),
            ApplyError::AlreadyAcknowledged(3),
        ] {
            let zh = DeskError::from(e.clone()).message(Lang::Zh);
            assert!(
                zh.contains('3') && zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
            assert!(!zh.contains("already") && !zh.contains("exist"), "{zh}");
            let en = DeskError::from(e).message(Lang::En);
            assert!(en.is_ascii(), "{en}");
        }
    }
}
