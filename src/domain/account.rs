//! Accounts of the shared desk: who may sign in, in which role, for which unit. An account's
//! changes are events in the journal (audited like everything else); its keys and password
//! hash are not, they live in the server's access file.

use serde::{Deserialize, Serialize};

/// What an account may do (the policy in `domain::policy` says exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 值班人员: the front desk.
    Desk,
    /// 牵头单位联络员: one lead unit's liaison, who sees and handles that unit's issues only.
    Unit,
    /// 纪委监委 / 发改委: reads everything, supervises.
    Supervisor,
    /// Accounts, units, imports, configuration, backups, and everything else.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Desk, Role::Unit, Role::Supervisor, Role::Admin];

    pub fn key(self) -> &'static str {
        match self {
            Role::Desk => "desk",
            Role::Unit => "unit",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Desk => "值班人员",
            Role::Unit => "牵头单位联络员",
            Role::Supervisor => "督办人员",
            Role::Admin => "管理员",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Role::Desk => "desk officer",
            Role::Unit => "unit liaison",
            Role::Supervisor => "supervisor",
            Role::Admin => "administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim() {
            "desk" | "值班人员" | "值班" => Some(Role::Desk),
            "unit" | "牵头单位" | "单位" => Some(Role::Unit),
            "supervisor" | "督办" | "督办人员" => Some(Role::Supervisor),
            "admin" | "管理员" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A person who works at the shared desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The login name (`ssh NAME@host`).
    pub name: String,
    pub role: Role,
    /// The lead unit a unit account is bound to (its id).
    #[serde(default)]
    pub unit: Option<String>,
    /// The name shown and recorded as the author (姓名); the login name if empty.
    #[serde(default)]
    pub display: String,
    #[serde(default)]
    pub disabled: bool,
}

impl Account {
    /// The built-in administrator of the local machine (the socket in the data directory,
    /// and the command line without a server).
    pub fn local_admin(name: &str) -> Account {
        Account {
            name: name.to_string(),
            role: Role::Admin,
            unit: None,
            display: String::new(),
            disabled: false,
        }
    }

    /// The name recorded as the author of this account's events.
    pub fn author(&self) -> &str {
        if self.display.trim().is_empty() {
            &self.name
        } else {
            &self.display
        }
    }
}

/// An account as the records hold it: the account, and what was registered for it (the
/// fingerprints of its keys; whether it has a password), never the keys themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub account: Account,
    pub keys: Vec<String>,
    pub password: bool,
}

/// Applies an account event to the account's record (the one place they change).
pub fn apply_account(
    prev: Option<&AccountRecord>,
    event: &super::EventKind,
) -> Result<AccountRecord, super::ApplyError> {
    use super::EventKind as E;
    let existing = |name: &str| {
        prev.cloned()
            .ok_or_else(|| super::ApplyError::NoAccount(name.to_string()))
    };
    Ok(match event {
        E::AccountSaved { account } => AccountRecord {
            account: account.clone(),
            keys: prev.map(|p| p.keys.clone()).unwrap_or_default(),
            password: prev.is_some_and(|p| p.password),
        },
        E::AccountDisabled { name, .. } => {
            let mut r = existing(name)?;
            r.account.disabled = true;
            r
        }
        E::AccountKeyAdded { name, fingerprint } => {
            let mut r = existing(name)?;
            if !r.keys.contains(fingerprint) {
                r.keys.push(fingerprint.clone());
            }
            r
        }
        E::AccountPasswordSet { name } => {
            let mut r = existing(name)?;
            r.password = true;
            r
        }
        _ => unreachable!("apply_account called with a non-account event"),
    })
}
