//! Who may do what: one pure function for every action, whatever asks (the TUI, a command
//! over SSH, the local command line). The screen may hide what a role cannot do, but it is
//! never what decides.
//!
//! | role | may |
//! |---|---|
//! | desk (值班人员) | log issues; assign, transfer, return; record contact and reply for a unit; resolve, evaluate (回访), reopen, void, supervise, note; shifts and handover; inspection reports; register an enterprise; read everything |
//! | unit (牵头单位联络员) | on the issues it holds: sign for (签收), record contact, reply, return with a reason; read only the issues it holds or helps on, and its own scorecard; search enterprises |
//! | supervisor (纪委监委 / 发改委) | read everything (reports, handover reprints); supervise (督办); verify the journal |
//! | admin | everything, and accounts, imports, backup, restore, rebuild; the firms' scores of residency cadres |
//!
//! Residency (四帮一体验): desk and admin manage rounds, orders, placements and checklists; a
//! unit reads its own cadres' placements; supervisors read all. The firms' scores of cadres
//! are entered by admin and read by admin and supervisors only.

use super::account::{Account, Role};
use super::issue::{Issue, IssueOp};

/// An action someone wants to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    LogIssue,
    /// A step of an issue's lifecycle.
    Issue(IssueOp),
    /// Sign in and out, notes for the next shift, acknowledge a handover.
    Shift,
    /// File an inspection report (码上报备).
    Inspect,
    /// Register one enterprise (at intake).
    RegisterEnterprise,
    ImportEnterprises,
    ExportEnterprises,
    SearchEnterprises,
    /// Lists and single issues (filtered to what the account may see).
    ReadIssues,
    /// Scorecards: `Some(unit)` for one unit's, `None` for all units'.
    ReadReport(Option<ReportScope>),
    ReadHandover,
    ReadInspections,
    /// The residency programme: rounds, orders, placements, checklists (desk and admin).
    ManageResidency,
    /// Read the programme (a unit: its own cadres' placements).
    ReadResidency,
    /// Enter the firms' scores of cadres.
    ScoreCadres,
    /// Read the firms' scores (admin and supervisors only).
    ReadScores,
    ManageAccounts,
    Backup,
    Restore,
    Rebuild,
    Verify,
}

/// Which scorecards a report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportScope {
    /// Only the account's own unit.
    OwnUnit,
    /// Another unit, or all units.
    Other,
}

impl Act {
    /// The action's name as the Chinese UI says it.
    pub fn zh(self) -> &'static str {
        match self {
            Act::LogIssue => "登记问题",
            Act::Issue(op) => match op {
                IssueOp::Assign => "交办",
                IssueOp::Receive => "签收",
                IssueOp::Transfer => "转办",
                IssueOp::Return => "退回",
                IssueOp::Contact => "记录对接",
                IssueOp::Reply => "记录答复",
                IssueOp::Resolve => "办结",
                IssueOp::Evaluate { .. } => "记录评价",
                IssueOp::Reopen => "重新打开",
                IssueOp::Void => "作废",
                IssueOp::Supervise => "督办",
                IssueOp::Note => "添加备注",
            },
            Act::Shift => "值班签到与交接",
            Act::Inspect => "检查报备",
            Act::RegisterEnterprise => "登记企业",
            Act::ImportEnterprises => "导入企业",
            Act::ExportEnterprises => "导出企业",
            Act::SearchEnterprises => "查找企业",
            Act::ReadIssues => "查看问题",
            Act::ReadReport(Some(ReportScope::OwnUnit)) => "查看本单位报表",
            Act::ReadReport(_) => "查看各单位报表",
            Act::ReadHandover => "查看交接单",
            Act::ReadInspections => "查看检查报备",
            Act::ManageResidency => "管理驻企安排",
            Act::ReadResidency => "查看驻企安排",
            Act::ScoreCadres => "录入企业评分",
            Act::ReadScores => "查看企业评分",
            Act::ManageAccounts => "管理账号",
            Act::Backup => "备份",
            Act::Restore => "恢复",
            Act::Rebuild => "重建视图",
            Act::Verify => "校验日志",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Act::LogIssue => "log issues",
            Act::Issue(op) => match op {
                IssueOp::Assign => "assign issues",
                IssueOp::Receive => "sign for issues",
                IssueOp::Transfer => "transfer issues",
                IssueOp::Return => "return issues",
                IssueOp::Contact => "record contacts",
                IssueOp::Reply => "record replies",
                IssueOp::Resolve => "resolve issues",
                IssueOp::Evaluate { .. } => "record evaluations",
                IssueOp::Reopen => "reopen issues",
                IssueOp::Void => "void issues",
                IssueOp::Supervise => "supervise issues",
                IssueOp::Note => "add notes",
            },
            Act::Shift => "sign in for shifts and hand over",
            Act::Inspect => "file inspection reports",
            Act::RegisterEnterprise => "register enterprises",
            Act::ImportEnterprises => "import enterprises",
            Act::ExportEnterprises => "export enterprises",
            Act::SearchEnterprises => "search enterprises",
            Act::ReadIssues => "read issues",
            Act::ReadReport(Some(ReportScope::OwnUnit)) => "read its unit's report",
            Act::ReadReport(_) => "read other units' reports",
            Act::ReadHandover => "read handover briefs",
            Act::ReadInspections => "read inspection reports",
            Act::ManageResidency => "manage residency rounds and placements",
            Act::ReadResidency => "read residency placements",
            Act::ScoreCadres => "enter the firms' scores of cadres",
            Act::ReadScores => "read the firms' scores of cadres",
            Act::ManageAccounts => "manage accounts",
            Act::Backup => "make backups",
            Act::Restore => "restore backups",
            Act::Rebuild => "rebuild the view",
            Act::Verify => "verify the journal",
        }
    }
}

/// Why an action was refused: the role, the account and the action, for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub account: String,
    pub role: Role,
    pub act: Act,
    /// The issue it was about, when the refusal is about whose issue it is.
    pub issue: Option<u64>,
}

/// Whether `account` may see `issue` at all.
pub fn can_see(account: &Account, issue: &Issue) -> bool {
    match account.role {
        Role::Unit => account.unit.as_deref().is_some_and(|u| {
            issue.unit.as_deref() == Some(u) || issue.helpers.iter().any(|h| h == u)
        }),
        Role::Desk | Role::Supervisor | Role::Admin => true,
    }
}

/// Whether `account` may read the firms' scores of cadres: never a cadre's own unit, nor the
/// desk that keys in the rest; the organisation department's readers only.
pub fn may_read_scores(account: &Account) -> bool {
    authorize(account, Act::ReadScores, None).is_ok()
}

/// Whether `account` may take action `act` (on `issue`, for lifecycle steps).
pub fn authorize(account: &Account, act: Act, issue: Option<&Issue>) -> Result<(), Refusal> {
    let refuse = |on_issue: bool| Refusal {
        account: account.name.clone(),
        role: account.role,
        act,
        issue: if on_issue { issue.map(|i| i.id) } else { None },
    };
    if account.disabled {
        return Err(refuse(false));
    }
    use IssueOp as O;
    let allowed = match account.role {
        Role::Admin => true,
        Role::Desk => !matches!(
            act,
            Act::Issue(O::Receive)
                | Act::ScoreCadres
                | Act::ReadScores
                | Act::ImportEnterprises
                | Act::ManageAccounts
                | Act::Backup
                | Act::Restore
                | Act::Rebuild
                | Act::Verify
        ),
        Role::Supervisor => matches!(
            act,
            Act::Issue(O::Supervise)
                | Act::ExportEnterprises
                | Act::SearchEnterprises
                | Act::ReadIssues
                | Act::ReadReport(_)
                | Act::ReadHandover
                | Act::ReadInspections
                | Act::ReadResidency
                | Act::ReadScores
                | Act::Verify
        ),
        Role::Unit => match act {
            Act::Issue(O::Receive | O::Contact | O::Reply | O::Return) => {
                // Only on the issues the unit holds (a helping unit does not act for it).
                let holds = issue.is_some_and(|i| {
                    account.unit.is_some() && i.unit.as_deref() == account.unit.as_deref()
                });
                if !holds {
                    return Err(refuse(true));
                }
                true
            }
            Act::ReadIssues | Act::SearchEnterprises | Act::ReadResidency => true,
            Act::ReadReport(Some(ReportScope::OwnUnit)) => true,
            _ => false,
        },
    };
    if !allowed {
        return Err(refuse(false));
    }
    if let Some(i) = issue {
        if !can_see(account, i) {
            return Err(refuse(true));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IssueStatus;

    fn account(role: Role, unit: Option<&str>) -> Account {
        Account {
            name: "a".into(),
            role,
            unit: unit.map(str::to_string),
            display: String::new(),
            disabled: false,
        }
    }

    fn issue(unit: Option<&str>, helpers: &[&str]) -> Issue {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        Issue {
            id: 7,
            enterprise: "91440300708461136T".into(),
            enterprise_name: "重庆戴卡捷力轮毂制造有限公司".into(),
            category: "其他".into(),
            channel: crate::domain::Channel::WalkIn,
            contact_name: String::new(),
            phone: String::new(),
            description: "x".into(),
            status: IssueStatus::Assigned,
            unit: unit.map(str::to_string),
            helpers: helpers.iter().map(|h| h.to_string()).collect(),
            logged_at: t,
            logged_by: "甲".into(),
            contact_due: t.date(),
            reply_due: t.date(),
            beyond_calendar: false,
            assigned_at: Some(t),
            contacted_at: None,
            replied_at: None,
            closed_at: None,
            supervised: false,
            evaluation: None,
            transfers: 0,
            returns: 0,
            reopens: 0,
            void_reason: None,
            updated_at: t,
            received_at: None,
            version: 2,
            supervision_level: None,
            supervision_due: None,
        }
    }

    const OPS: [IssueOp; 12] = IssueOp::ALL;

    /// The whole table, role by role: which lifecycle steps each may take on an issue its
    /// unit holds, and on one another unit holds.
    #[test]
    fn every_role_and_step() {
        use IssueOp as O;
        let own = issue(Some("tax"), &[]);
        let other = issue(Some("court"), &[]);
        let table: [(Role, &[IssueOp]); 4] = [
            (Role::Admin, &OPS),
            (
                Role::Desk,
                &[
                    O::Assign,
                    O::Transfer,
                    O::Return,
                    O::Contact,
                    O::Reply,
                    O::Resolve,
                    O::Evaluate { low: false },
                    O::Reopen,
                    O::Void,
                    O::Supervise,
                    O::Note,
                ],
            ),
            (Role::Supervisor, &[O::Supervise]),
            (Role::Unit, &[O::Receive, O::Contact, O::Reply, O::Return]),
        ];
        for (role, allowed) in table {
            let a = account(role, Some("tax"));
            for op in OPS {
                let want = allowed.contains(&op);
                let got = authorize(&a, Act::Issue(op), Some(&own)).is_ok();
                assert_eq!(got, want, "{role:?} {op:?} on its own issue");
                // Another unit's issue: the same for every role but the unit, which may not.
                let got = authorize(&a, Act::Issue(op), Some(&other)).is_ok();
                assert_eq!(
                    got,
                    want && role != Role::Unit,
                    "{role:?} {op:?} on another's"
                );
            }
        }
    }

    #[test]
    fn every_role_and_other_action() {
        use Act as A;
        let acts = [
            A::LogIssue,
            A::Shift,
            A::Inspect,
            A::RegisterEnterprise,
            A::ImportEnterprises,
            A::ExportEnterprises,
            A::SearchEnterprises,
            A::ReadIssues,
            A::ReadReport(Some(ReportScope::OwnUnit)),
            A::ReadReport(Some(ReportScope::Other)),
            A::ReadHandover,
            A::ReadInspections,
            A::ManageResidency,
            A::ReadResidency,
            A::ScoreCadres,
            A::ReadScores,
            A::ManageAccounts,
            A::Backup,
            A::Restore,
            A::Rebuild,
            A::Verify,
        ];
        let allowed = |role: Role, act: Act| -> bool {
            match role {
                Role::Admin => true,
                Role::Desk => !matches!(
                    act,
                    A::ScoreCadres
                        | A::ReadScores
                        | A::ImportEnterprises
                        | A::ManageAccounts
                        | A::Backup
                        | A::Restore
                        | A::Rebuild
                        | A::Verify
                ),
                Role::Supervisor => matches!(
                    act,
                    A::ExportEnterprises
                        | A::SearchEnterprises
                        | A::ReadIssues
                        | A::ReadReport(_)
                        | A::ReadHandover
                        | A::ReadInspections
                        | A::ReadResidency
                        | A::ReadScores
                        | A::Verify
                ),
                Role::Unit => matches!(
                    act,
                    A::ReadIssues
                        | A::ReadResidency
                        | A::SearchEnterprises
                        | A::ReadReport(Some(ReportScope::OwnUnit))
                ),
            }
        };
        for role in Role::ALL {
            let a = account(role, Some("tax"));
            for act in acts {
                assert_eq!(
                    authorize(&a, act, None).is_ok(),
                    allowed(role, act),
                    "{role:?} {act:?}"
                );
            }
        }
    }

    #[test]
    fn a_unit_sees_what_it_holds_or_helps_on_only() {
        let a = account(Role::Unit, Some("tax"));
        assert!(can_see(&a, &issue(Some("tax"), &[])));
        assert!(can_see(&a, &issue(Some("court"), &["tax"])));
        assert!(!can_see(&a, &issue(Some("court"), &[])));
        assert!(!can_see(&a, &issue(None, &[])));
        // Helping is seeing, not acting.
        let helped = issue(Some("court"), &["tax"]);
        assert!(authorize(&a, Act::Issue(IssueOp::Contact), Some(&helped)).is_err());
        // A unit account bound to no unit sees nothing.
        assert!(!can_see(
            &account(Role::Unit, None),
            &issue(Some("tax"), &[])
        ));
        for r in [Role::Desk, Role::Supervisor, Role::Admin] {
            assert!(can_see(&account(r, None), &issue(Some("court"), &[])));
        }
    }

    #[test]
    fn a_disabled_account_may_do_nothing() {
        let mut a = account(Role::Admin, None);
        a.disabled = true;
        assert!(authorize(&a, Act::ReadIssues, None).is_err());
    }
}
