//! What a key can ask for. The snake_case names are a contract: keymaps, scripts and tests
//! use them.

use serde::{Deserialize, Serialize};

use crate::domain::IssueOp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Quit; with a shift open, asks first (sign off, or leave it open to resume).
    Quit,
    /// Quit at once, leaving an open shift to resume at the next sign-in.
    ForceQuit,
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
    /// Replied issues waiting for the enterprise's evaluation (待回访).
    Callbacks,
    /// Go to an issue by its number.
    GoTo,
    /// The enterprise ledger of what is under the cursor.
    Ledger,
    /// The residency programme (四帮一体验); on a ledger, the placements in that firm.
    Residency,
}

impl Action {
    pub const ALL: [Action; 39] = [
        Action::Quit,
        Action::ForceQuit,
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
        Action::Callbacks,
        Action::GoTo,
        Action::Ledger,
        Action::Residency,
    ];

    /// The lifecycle step an action key asks for, if it is one.
    pub fn issue_op(self) -> Option<IssueOp> {
        Some(match self {
            Action::Assign => IssueOp::Assign,
            Action::Receive => IssueOp::Receive,
            Action::Transfer => IssueOp::Transfer,
            Action::Return => IssueOp::Return,
            Action::Contact => IssueOp::Contact,
            Action::Reply => IssueOp::Reply,
            Action::Resolve => IssueOp::Resolve,
            Action::Evaluate => IssueOp::Evaluate { low: false },
            Action::Reopen => IssueOp::Reopen,
            Action::Void => IssueOp::Void,
            Action::Note => IssueOp::Note,
            Action::Supervise => IssueOp::Supervise,
            _ => return None,
        })
    }

    /// The action key of a lifecycle step (how drafts of its form are kept).
    pub fn for_op(op: IssueOp) -> Action {
        match op {
            IssueOp::Assign => Action::Assign,
            IssueOp::Receive => Action::Receive,
            IssueOp::Transfer => Action::Transfer,
            IssueOp::Return => Action::Return,
            IssueOp::Contact => Action::Contact,
            IssueOp::Reply => Action::Reply,
            IssueOp::Resolve => Action::Resolve,
            IssueOp::Evaluate { .. } => Action::Evaluate,
            IssueOp::Reopen => Action::Reopen,
            IssueOp::Void => Action::Void,
            IssueOp::Note => Action::Note,
            IssueOp::Supervise => Action::Supervise,
        }
    }

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
            Action::ForceQuit => ("立即退出（班次保留）", "quit now (shift kept open)"),
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
            Action::Callbacks => ("待回访", "callbacks due"),
            Action::GoTo => ("按编号打开问题", "go to issue number"),
            Action::Ledger => ("企业台账", "enterprise ledger"),
            Action::Residency => ("四帮一体验驻企", "residency programme"),
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
        assert_eq!(Action::GoTo.name(), "go_to");
    }

    #[test]
    fn every_lifecycle_step_has_its_key_and_back() {
        for op in IssueOp::ALL {
            assert_eq!(Action::for_op(op).issue_op(), Some(op));
        }
        let steps = Action::ALL
            .iter()
            .filter(|a| a.issue_op().is_some())
            .count();
        assert_eq!(steps, IssueOp::ALL.len());
    }
}
