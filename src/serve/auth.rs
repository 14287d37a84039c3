//! Logins: an account's keys and password are checked against the access file, its role and
//! whether it is enabled against the journal's accounts (kept in step by the desk thread).

use std::path::PathBuf;

use super::access::Access;
use super::service::Accounts;
use super::{AuthOutcome, Authenticator};

/// The server's authenticator.
pub struct ServerAuth {
    dir: PathBuf,
    accounts: Accounts,
}

impl ServerAuth {
    pub fn new(dir: PathBuf, accounts: Accounts) -> ServerAuth {
        ServerAuth { dir, accounts }
    }

    fn check(&self, user: &str, ok: impl Fn(&Access) -> bool) -> AuthOutcome {
        let account = {
            let table = self.accounts.read().unwrap_or_else(|e| e.into_inner());
            match table.get(user) {
                None => return AuthOutcome::Unknown,
                Some(r) => r.account.clone(),
            }
        };
        if account.disabled {
            return AuthOutcome::Disabled;
        }
        match Access::load(&self.dir) {
            Ok(access) if ok(&access) => AuthOutcome::Accepted(account),
            Ok(_) => AuthOutcome::Wrong,
            Err(e) => {
                tracing::error!("access file unreadable: {e}");
                AuthOutcome::Wrong
            }
        }
    }
}

impl Authenticator for ServerAuth {
    fn check_key(&self, user: &str, openssh_key: &str) -> AuthOutcome {
        self.check(user, |a| a.has_key(user, openssh_key))
    }

    fn check_password(&self, user: &str, password: &str) -> AuthOutcome {
        self.check(user, |a| a.password_ok(user, password))
    }
}
