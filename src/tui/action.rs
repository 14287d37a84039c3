//! What a key can ask for. The snake_case names are a contract: keymaps, scripts and tests
//! use them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    Back,
    Dashboard,
    Issues,
    VipQueue,
    Units,
    Handover,
    Inspections,
    NewIssue,
    NewInspection,
    Search,
    Open,
    Up,
    Down,
    PageUp,
    PageDown,
    NextField,
    PrevField,
    Submit,
    Assign,
    Receive,
    Transfer,
    Return,
    Contact,
    Reply,
    Resolve,
    Evaluate,
    Reopen,
    Void,
    Note,
    Supervise,
    Filter,
    Sort,
}

impl Action {
    pub const ALL: [Action; 34] = [
        Action::Quit,
        Action::Help,
        Action::Back,
        Action::Dashboard,
        Action::Issues,
        Action::VipQueue,
        Action::Units,
        Action::Handover,
        Action::Inspections,
        Action::NewIssue,
        Action::NewInspection,
        Action::Search,
        Action::Open,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::NextField,
        Action::PrevField,
        Action::Submit,
        Action::Assign,
        Action::Receive,
        Action::Transfer,
        Action::Return,
        Action::Contact,
        Action::Reply,
        Action::Resolve,
        Action::Evaluate,
        Action::Reopen,
        Action::Void,
        Action::Note,
        Action::Supervise,
        Action::Filter,
        Action::Sort,
    ];

    /// The name used in keymaps.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub fn from_name(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == s)
    }

    /// What the action does, for the help overlay.
    pub fn describe(self, en: bool) -> &'static str {
        let (zh, e) = match self {
            Action::Quit => ("退出", "quit"),
            Action::Help => ("帮助", "help"),
            Action::Back => ("返回", "back"),
            Action::Dashboard => ("工作台", "dashboard"),
            Action::Issues => ("问题列表", "issue list"),
            Action::VipQueue => ("重点企业", "VIP queue"),
            Action::Units => ("单位看板", "units board"),
            Action::Handover => ("交接班", "handover"),
            Action::Inspections => ("检查报备", "inspections"),
            Action::NewIssue => ("登记新问题", "new issue"),
            Action::NewInspection => ("登记检查", "new inspection"),
            Action::Search => ("搜索", "search"),
            Action::Open => ("打开", "open"),
            Action::Up => ("上移", "up"),
            Action::Down => ("下移", "down"),
            Action::PageUp => ("上一页", "page up"),
            Action::PageDown => ("下一页", "page down"),
            Action::NextField => ("下一项", "next field"),
            Action::PrevField => ("上一项", "previous field"),
            Action::Submit => ("提交保存", "submit"),
            Action::Assign => ("交办", "assign"),
            Action::Receive => ("签收", "sign for"),
            Action::Transfer => ("转办", "transfer"),
            Action::Return => ("退回", "return"),
            Action::Contact => ("记录对接", "record contact"),
            Action::Reply => ("记录答复", "record reply"),
            Action::Resolve => ("办结", "resolve"),
            Action::Evaluate => ("企业评价", "evaluate"),
            Action::Reopen => ("重新打开", "reopen"),
            Action::Void => ("作废", "void"),
            Action::Note => ("添加备注", "add note"),
            Action::Supervise => ("督办", "supervise"),
            Action::Filter => ("筛选", "filter"),
            Action::Sort => ("排序", "sort"),
        };
        if en {
            e
        } else {
            zh
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_contract() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(&a.name()), Some(a));
        }
        assert_eq!(Action::VipQueue.name(), "vip_queue");
        assert_eq!(Action::NewIssue.name(), "new_issue");
        assert_eq!(Action::PageDown.name(), "page_down");
        assert_eq!(Action::Inspections.name(), "inspections");
        assert_eq!(Action::NewInspection.name(), "new_inspection");
    }
}
