//! Every string the TUI shows, in both languages, in one place.

use crate::i18n::Lang;

/// A UI string in Chinese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Str {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Str {
    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

macro_rules! strings {
    ($($name:ident = $zh:literal, $en:literal;)*) => {
        $(pub const $name: Str = Str { zh: $zh, en: $en };)*
    };
}

strings! {
    PROVISIONAL_LEGEND = "* 暂定", "* provisional";
    FIRST_RUN_TITLE = "新的值班台：先载入本区企业", "A new desk: load the district's enterprises first";
    FIRST_RUN = "库中还没有企业。\n1. 导入企业名录：dutydesk enterprise import 企业名录.csv\n   表头：credit_code,name,district,grade,vip_categories,contact,phone（统一社会信用代码、名称必填）\n2. 本区 14 个牵头单位和协调单位：把 units.toml 放在数据目录中（格式见随附的 data/units.toml），不放则用默认名单\n3. 问题类别与建议交办单位：数据目录中的 config.toml（[issues]）\n先看看效果：dutydesk demo 打开演示数据。\n导入后重新打开本程序即可登记问题。", "The store holds no enterprises yet.\n1. Import the enterprise list: dutydesk enterprise import enterprises.csv\n   header: credit_code,name,district,grade,vip_categories,contact,phone (credit code and name required)\n2. The district's 14 lead units and coordinating bodies: put units.toml in the data directory (format as the shipped data/units.toml); without it the default list is used\n3. Categories and the unit suggested for each: config.toml in the data directory ([issues])\nTo look around first: dutydesk demo opens the demo data.\nStart the desk again after the import to log issues.";
    SUPERVISION_LEVEL = "督办级别", "Level";
    SUPERVISION_DUE = "督办期限（日期或工作日数，可空）", "Due (a date or working days; may be empty)";
    SUPERVISION_DUE_FORM = "督办期限：写日期（如 2026-12-10）或工作日数（如 5）", "due: a date (e.g. 2026-12-10) or a number of working days (e.g. 5)";
    TOO_FEW = "样本不足", "too few";
    TAB_DASHBOARD = "工作台", "Desk";
    TAB_ISSUES = "问题", "Issues";
    TAB_VIP = "重点", "VIP";
    TAB_CALLBACKS = "回访", "Calls";
    TAB_UNITS = "单位", "Units";
    TAB_HANDOVER = "交接", "Hand";
    TAB_INSPECTIONS = "检查", "Insp";
    PASTE_NOWHERE = "粘贴的内容没有输入框可放（先进入表单或筛选）", "nothing here takes pasted text (open a form or the filter first)";
    GOTO = "按编号打开问题", "Go to issue";
    GOTO_HINT = "输入问题编号，Enter 打开，Esc 取消", "type the issue number, Enter: open, Esc: cancel";
    GOTO_BAD = "问题编号应为正整数，例如 128", "an issue number is a whole number, e.g. 128";
    CHOOSE = "请选择", "choose";
    SCORE_NEEDED = "请按企业的评价选择 1–5 分", "choose the enterprise's score, 1 to 5";
    LOGGED_FROM = "登记日期自", "Logged from";
    LOGGED_TO = "登记日期至", "Logged to";
    DATE_FORM = "日期格式为 年-月-日，例如 2026-11-03", "write dates as YYYY-MM-DD, e.g. 2026-11-03";
    CALLBACKS = "待回访", "Callbacks due";
    CALLBACKS_HINT = "已答复、待企业评价的问题，等待最久的在前；Enter 打开，e 记录评价", "replied issues awaiting the enterprise's evaluation, longest waiting first; Enter: open, e: evaluate";
    LEDGER = "企业台账", "Enterprise ledger";
    RESIDENCY = "四帮一体验 驻企", "Residency programme (四帮一体验)";
    RESIDENCY_ROUNDS_HINT = "Enter 查看本期驻企安排  ↑↓ 选择期次  Esc 返回", "Enter: the round's placements  ↑↓ choose a round  Esc back";
    RESIDENCY_PLACEMENTS_HINT = "Enter 查看该干部的五个一  ↑↓ 选择  Esc 返回", "Enter: the cadre's checklist  ↑↓ choose  Esc back";
    RESIDENCY_CADRE_HINT = "Enter 打开其未办结问题  ↑↓ 滚动  Esc 返回", "Enter: open their open issue  ↑↓ scroll  Esc back";
    RESIDENCY_NONE = "还没有驻企期次。用 dutydesk residency round add --no 1 --start 日期 --organisers 区委组织部 新建一期。", "No residency rounds yet. Add one with dutydesk residency round add --no 1 --start DATE --organisers ORGANISER.";
    RESIDENCY_NO_PLACEMENTS = "没有驻企安排", "No placements";
    SUGGESTED = "建议", "suggested";
    HELPER_MARK = "协办", "helping";
    PICKER_HINT_ASSIGN = "Enter 交办（主办）· 空格 标记/取消协办单位 · Esc 取消", "Enter: assign (lead) · Space: mark/unmark a helping unit · Esc: cancel";
    PICKER_HINT_TRANSFER = "Enter 转办到该单位 · Esc 取消", "Enter: transfer to this unit · Esc: cancel";
    QUIT_TITLE = "班次尚未签退", "Your shift is still open";
    QUIT_TEXT = "Enter 去交接班签退（交接单给下一班）· 再按 q 退出（班次保持未签退，下次签到继续）· Esc 返回", "Enter: go to handover and sign off (the brief goes to the next shift) · q again: quit, leaving the shift open to resume at your next sign-in · Esc: back";
    APP = "亲清联盟值班台", "Duty desk";
    SIGN_IN = "值班签到", "Sign in";
    OFFICER = "值班人员", "Officer";
    OWN_UNIT = "所在单位", "Own unit";
    DUTY = "值班类型", "Duty";
    SIGN_IN_HINT = "Tab 切换项，←/→ 选择，Enter 开始值班", "Tab: next field, ←/→: choose, Enter: start the shift";
    DASHBOARD = "工作台", "Dashboard";
    ISSUES = "问题列表", "Issues";
    VIP_QUEUE = "重点企业", "VIP queue";
    UNITS = "单位看板", "Units board";
    HANDOVER = "交接班", "Handover";
    INTAKE = "登记新问题", "New issue";
    DETAIL = "问题详情", "Issue";
    HELP = "帮助（按键）", "Help (keys)";
    LOGGED_TODAY = "今日登记", "Logged today";
    UNASSIGNED = "待交办", "Unassigned";
    DUE_TODAY = "今日到期", "Due today";
    OVERDUE = "超期", "Overdue";
    SUPERVISED = "督办", "Supervised";
    VIP_OPEN = "重点企业在办", "VIP open";
    NEEDS_ACTION = "需要处理", "Needs action now";
    NOTHING = "暂无", "Nothing here";
    COL_ID = "编号", "ID";
    COL_STATUS = "状态", "Status";
    COL_ENTERPRISE = "企业", "Enterprise";
    COL_UNIT = "主办单位", "Unit";
    COL_DUE = "期限", "Due";
    COL_LEFT = "剩余", "Left";
    COL_CATEGORY = "类别", "Category";
    ENTERPRISE = "企业", "Enterprise";
    ENTERPRISE_SEARCH = "企业（名称/拼音/首字母/信用代码）", "Enterprise (name / pinyin / initials / code)";
    CATEGORY = "问题类别", "Category";
    CHANNEL = "来源渠道", "Channel";
    CONTACT = "联系人", "Contact";
    PHONE = "联系电话", "Phone";
    DESCRIPTION = "问题描述", "Description";
    INTAKE_HINT = "↑/↓ 选择候选企业，Tab 下一项，←/→ 选择，Ctrl-J 换行，Enter 保存", "↑/↓ pick, Tab next, ←/→ choose, Ctrl-J new line, Enter save";
    NO_MATCH_NEW = "未找到，按 Enter 登记新企业", "Not found: Enter registers a new enterprise";
    NEW_ENTERPRISE = "登记新企业", "New enterprise";
    CREDIT_CODE = "统一社会信用代码", "Credit code";
    NAME = "企业名称", "Name";
    DISTRICT = "所属街镇", "District";
    VIP = "重点企业类别", "VIP category";
    NONE = "无", "none";
    CODE_OK = "校验通过", "valid";
    OPEN_ISSUES_OF = "该企业在办问题", "Open issues of this enterprise";
    SIMILAR = "该企业已有相似的在办问题", "This enterprise already has a similar open issue";
    SIMILAR_HINT = "Enter 仍然登记 · o 打开已有问题 · Esc 返回修改", "Enter: log anyway · o: open the existing one · Esc: go back";
    SAVED = "已登记", "Logged";
    CONTACT_DUE = "对接期限", "contact due";
    REPLY_DUE = "答复期限", "reply due";
    HISTORY = "历史记录", "History";
    ACTIONS = "可执行操作", "Actions";
    REASON = "理由", "Reason";
    NOTE = "备注", "Note";
    REPLY_TEXT = "答复内容", "Reply";
    COMMENT = "评价意见", "Comment";
    CLOSENESS = "政府亲近度", "Closeness";
    INTEGRITY = "政府清廉度", "Integrity";
    SATISFACTION = "亲清满意度", "Satisfaction";
    PICK_UNIT = "选择牵头单位（输入名称或拼音筛选）", "Choose a lead unit (type name or pinyin)";
    OPEN_COUNT = "在办", "open";
    OVERDUE_COUNT = "超期", "overdue";
    CONTACT_SHORT = "按时对接", "on time";
    REPLY_SHORT = "按时答复", "replied";
    SCORE_SHORT = "得分", "score";
    CLOSED_COUNT = "办结", "closed";
    RANK = "排名", "rank";
    SATISFACTION_SHORT = "满意度", "satisf.";
    THIS_MONTH = "本月", "this month";
    SCORE_NOTE = "本月 1 日至今，由事件记录计算；得分 = 按时对接率40% + 按时答复率40% + 评价20%", "From the 1st of this month, computed from the event history; score = 40% contact on time + 40% reply on time + 20% evaluation";
    DRAFT_BRIEF = "交接单草稿", "Draft brief";
    NO_EARLIER_INSPECTIONS = "此前无检查报备记录", "no earlier inspection reports";
    HELP_SCROLL = "↑/↓ 翻看更多", "↑/↓ for more";
    MORE_IN_BRIEF = "… 另有 {n} 条，完整内容见交接单（dutydesk handover）", "… {n} more; the full brief has them all (dutydesk handover)";
    DRAFTING = "正在生成交接单草稿…", "Drafting the brief…";
    NO_SHIFT_BRIEF = "本账号不值班，没有交接单；已归档的交接单可用 dutydesk handover --list 查看", "This account keeps no shifts, so there is no brief; `dutydesk handover --list` shows the filed ones";
    FILTER = "筛选", "Filter";
    ALL = "全部", "all";
    OPEN = "在办", "open";
    YES = "是", "yes";
    NO = "否", "no";
    TEXT = "文字", "Text";
    SORT_DEADLINE = "按期限", "by deadline";
    SORT_AGE = "按登记时间", "by age";
    SORT_ENTERPRISE = "按企业", "by enterprise";
    VIP_OPEN_ISSUES = "重点企业在办问题（最紧急在前）", "Open issues of VIP enterprises (most urgent first)";
    VIP_COVERAGE = "30 天内未联系的重点企业", "VIP enterprises not contacted in 30 days";
    TOO_SMALL = "终端窗口太小：至少需要 80×24，请放大窗口", "Terminal too small: at least 80×24 is needed";
    LOADING = "正在加载…", "Loading…";
    DRAFT_RESTORED = "已恢复上次未提交的内容", "your unsaved draft from last time is back";
    DUE_TODAY_SHORT = "今日到期", "due today";
    WORKDAYS_LEFT = "个工作日", " working days";
    OVERDUE_BY = "超期", "overdue";
    NOTES_TO_NEXT = "给下一班的留言", "Notes to the next shift";
    SIGN_OFF_HINT = "Enter 签退并提交交接单（提交后不可修改）· Esc 返回", "Enter: sign off and file the brief (final) · Esc: back";
    ACK_HINT = "上一班交接单待确认：Enter 确认接班", "Previous shift's brief awaits you: Enter acknowledges it";
    SIGNED_IN_AS = "值班", "On duty";
    INSPECTIONS = "检查报备", "Inspections";
    INSP_FORM = "登记检查报备", "File an inspection report";
    INSP_UNIT = "检查单位", "Inspecting unit";
    INSP_OTHER_UNIT = "其他部门名称", "Other department";
    OTHER_DEPT = "其他部门（下项填写）", "another department (next field)";
    INSP_DATE = "检查日期", "Date";
    INSP_KIND = "检查类型", "Kind";
    INSP_EXEMPTION = "例外情形", "Exemption";
    INSP_BY = "报备方", "Filed by";
    BY_UNIT = "检查单位报备", "the inspecting unit";
    BY_ENTERPRISE = "企业自报（码上报备）", "the enterprise itself";
    BY_UNIT_SHORT = "单位", "unit";
    BY_ENT_SHORT = "企业", "firm";
    INSPECTORS = "检查人员", "Inspectors";
    INSP_RESULT = "检查结果", "Result";
    KIND_PLANNED = "双随机检查", "planned";
    KIND_COMPLAINT = "投诉举报", "complaint";
    KIND_SAFETY = "安全事故", "safety";
    KIND_ORDER = "上级交办", "order";
    KIND_OTHER = "其他", "other";
    EX_SAFETY = "安全生产", "safety";
    EX_COMPLAINT = "投诉举报", "complaint";
    EX_ORDER = "上级交办", "order";
    EX_OTHER = "其他依规例外", "other rule";
    COL_DATE = "检查日期", "Date";
    COL_INSP_UNIT = "检查单位", "Unit";
    COL_KIND = "类型", "Kind";
    COL_EXEMPTION = "例外", "Exemption";
    COL_BY = "报备", "By";
    COL_FLAGS = "标记", "Flags";
    MARK_VIOLATION = "违规", "VIOLATION";
    MARK_FREQUENT = "频繁", "frequent";
    MARK_MATCHED = "匹配", "pair";
    TOTAL = "共", "total";
    VIOLATIONS = "无扰日违规", "violations";
    FREQUENT = "30 天超限", "over the 30-day limit";
    VIOLATIONS_ONLY = "仅看违规", "violations only";
    INSP_HINT_NEW = "登记检查", "file one";
    INSP_HINT_FILTER = "全部/仅违规", "all/violations";
    QUIET_RULE = "无扰日：每月 {first}–{last} 日 · 同一企业 30 天内至多 {max} 次", "No-disturbance days: {first}–{last} of each month · at most {max} per enterprise in 30 days";
    QUIET_WARN = "该日期是企业无扰日：不选例外情形将记为无扰日违规", "A no-disturbance day: without an exemption this is recorded as a violation";
    CONFIRM_VIOLATION = "记为无扰日违规？", "Record a no-disturbance-day violation?";
    QUIET_CONFIRM = "{date} 是企业无扰日（每月{first}–{last}日），且未选择例外情形。\n保存后这次检查将记为无扰日违规。", "{date} is a no-disturbance day (days {first}–{last} of each month) and no exemption is chosen.\nSaved like this, the inspection is recorded as a no-disturbance-day violation.";
    QUIET_CONFIRM_HINT = "Enter 确认并记录 · Esc 返回修改（可选择例外情形）", "Enter: record it · Esc: go back (choose an exemption)";
    INSP_SAVED = "已记录检查", "Inspection recorded";
    INSP_FREQUENT_MSG = "该企业 30 天内第 {n} 次检查，超过上限 {max} 次", "inspection {n} of this enterprise in 30 days, more than {max}";
    MATCHED_WITH = "与 #{id} 为同一次检查", "same inspection as #{id}";
    IN_30_DAYS = "30 天内第 {n} 次", "{n} in 30 days";
    FILED = "报备", "Filed";
    CHOOSE_ENTERPRISE = "企业：请先选择（输入名称、拼音或信用代码）", "Enterprise: choose one first (name, pinyin or credit code)";
    NO_SUCH_ENTERPRISE = "未找到该企业：请先导入或在登记问题时登记", "No such enterprise: import it or register it at intake first";
    INSP_FORM_HINT = "↑/↓ 选择候选企业，Tab 下一项，←/→ 选择，Enter 保存，Esc 返回", "↑/↓ pick, Tab next, ←/→ choose, Enter save, Esc back";
}

/// How the TUI names an inspection kind.
pub fn kind(k: crate::domain::InspectionKind) -> Str {
    use crate::domain::InspectionKind as K;
    match k {
        K::Planned => KIND_PLANNED,
        K::Complaint => KIND_COMPLAINT,
        K::Safety => KIND_SAFETY,
        K::Order => KIND_ORDER,
        K::Other => KIND_OTHER,
    }
}

/// How the TUI names an exemption from the no-disturbance days.
pub fn exemption(e: crate::domain::Exemption) -> Str {
    use crate::domain::Exemption as E;
    match e {
        E::Safety => EX_SAFETY,
        E::Complaint => EX_COMPLAINT,
        E::Order => EX_ORDER,
        E::Other => EX_OTHER,
    }
}
