//! `dutydesk account add | list | disable | key add`: the accounts of the shared desk. Each
//! change is an event in the journal (audited); keys and password hashes go only to the
//! server's access file (`access.json`, 0600), never to the journal, a backup or an export.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::csv_out::{self, Cell, Column};
use super::output::table;
use super::{json, out, CliError, CliResult, Ctx, Format};
use crate::desk::Command;
use crate::domain::policy::Act;
use crate::domain::{Account, Role};
use crate::serve::access::{fingerprint, Access};

#[derive(Subcommand, Debug)]
pub enum AccountCmd {
    /// Add an account (or change one: role, unit, name; an existing account is enabled again).
    Add(AddArgs),
    /// The accounts, with their role, unit and registered keys.
    List {
        /// table: for people; json: for scripts.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Disable an account: it can no longer sign in (its history stays).
    Disable {
        /// The account's login name.
        name: String,
        /// Why (kept in the journal).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Keys of an account.
    #[command(subcommand)]
    Key(KeyCmd),
}

#[derive(Subcommand, Debug)]
pub enum KeyCmd {
    /// Register a public key file (OpenSSH format, e.g. ~/.ssh/id_ed25519.pub) for an account.
    Add {
        /// The account's login name.
        name: String,
        /// The OpenSSH public key file (ssh-ed25519 … or ssh-rsa …).
        file: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// Login name (ssh NAME@host): letters, digits, `.`, `_`, `-`.
    name: String,
    /// desk (值班人员) | unit (牵头单位联络员) | supervisor (督办) | admin (管理员).
    #[arg(long)]
    role: String,
    /// The lead unit (id or name) a unit account works for.
    #[arg(long)]
    unit: Option<String>,
    /// The person's name (姓名), recorded as the author of what they do.
    #[arg(long, default_value = "")]
    display: String,
    /// A public key file (OpenSSH format) to sign in with.
    #[arg(long)]
    key: Option<PathBuf>,
    /// Read a password from stdin (stored as an argon2id hash), for clients without keys.
    #[arg(long)]
    password_stdin: bool,
}

pub fn run(ctx: &mut Ctx, cmd: AccountCmd) -> CliResult {
    match cmd {
        AccountCmd::Add(a) => add(ctx, a),
        AccountCmd::List { format } => list(ctx, format),
        AccountCmd::Disable { name, reason } => {
            let mut desk = ctx.open_for(Act::ManageAccounts)?;
            let now = super::now()?;
            let cmd = Command::DisableAccount {
                name: name.clone(),
                reason,
            };
            desk.execute_as(&ctx.account, now, cmd, None)
                .map_err(|e| ctx.err(e))?;
            out(&if ctx.lang.is_en() {
                format!("account {name} disabled: it can no longer sign in\n")
            } else {
                format!("账号 {name} 已停用：不能再登录\n")
            })
        }
        AccountCmd::Key(KeyCmd::Add { name, file }) => {
            let mut desk = ctx.open_for(Act::ManageAccounts)?;
            desk.account(&name).map_err(|e| ctx.err(e))?;
            let fp = register_key(ctx, &mut desk, &name, &file)?;
            out(&if ctx.lang.is_en() {
                format!("key {fp} added to {name}\n")
            } else {
                format!("已为 {name} 登记密钥 {fp}\n")
            })
        }
    }
}

fn add(ctx: &mut Ctx, a: AddArgs) -> CliResult {
    let role = Role::parse(&a.role).ok_or_else(|| {
        CliError::BadInput(if ctx.lang.is_en() {
            format!(
                "--role \"{}\": use desk, unit, supervisor or admin",
                crate::sanitize::line(&a.role)
            )
        } else {
            format!(
                "--role「{}」：请用 desk（值班人员）、unit（牵头单位联络员）、supervisor（督办）或 admin（管理员）",
                crate::sanitize::line(&a.role)
            )
        })
    })?;
    // Everything is checked before anything is written.
    let key = match &a.key {
        Some(f) => Some(read_key(ctx, f)?),
        None => None,
    };
    let password = if a.password_stdin {
        let raw = ctx.read_stdin()?;
        let text = String::from_utf8_lossy(&raw);
        let pw = text.trim_end_matches(['\n', '\r']).to_string();
        if pw.chars().count() < 8 {
            return Err(CliError::BadInput(
                ctx.pick(
                    "--password-stdin：密码至少 8 个字符",
                    "--password-stdin: a password has at least 8 characters",
                )
                .into(),
            ));
        }
        Some(pw)
    } else {
        None
    };
    let mut desk = ctx.open_for(Act::ManageAccounts)?;
    let now = super::now()?;
    let account = Account {
        name: a.name.trim().to_string(),
        role,
        unit: a.unit.clone(),
        display: a.display.clone(),
        disabled: false,
    };
    let out_of = desk
        .execute_as(&ctx.account, now, Command::SaveAccount { account }, None)
        .map_err(|e| ctx.err(e))?;
    let name = match out_of.events.first().map(|r| &r.event) {
        Some(crate::domain::EventKind::AccountSaved { account }) => account.name.clone(),
        _ => a.name.trim().to_string(),
    };
    let mut notes = Vec::new();
    if let Some((line, path)) = key {
        let fp = store_key(ctx, &mut desk, &name, &line, &path)?;
        notes.push(fp);
    }
    if let Some(pw) = password {
        let dir = desk.dir();
        let mut access = Access::load(&dir).map_err(|e| CliError::Failed(e.to_string()))?;
        access
            .set_password(&name, &pw)
            .and_then(|_| access.save(&dir))
            .map_err(|e| CliError::Failed(e.to_string()))?;
        desk.execute_as(
            &ctx.account,
            now,
            Command::AccountPasswordSet { name: name.clone() },
            None,
        )
        .map_err(|e| ctx.err(e))?;
        notes.push(ctx.pick("已设置密码", "password set").into());
    }
    let role_name = ctx.pick(role.zh(), role.en()).to_string();
    out(&if ctx.lang.is_en() {
        format!("account {name} ({role_name}) saved{}\n", suffix(&notes))
    } else {
        format!("账号 {name}（{role_name}）已保存{}\n", suffix(&notes))
    })
}

fn suffix(notes: &[String]) -> String {
    if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join("; "))
    }
}

/// A key file's first key line, checked.
fn read_key(ctx: &Ctx, file: &std::path::Path) -> Result<(String, PathBuf), CliError> {
    let path = ctx.path(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| CliError::BadInput(format!("--key {}: {e}", path.display())))?;
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or_default()
        .to_string();
    fingerprint(&line).map_err(|e| {
        CliError::BadInput(if ctx.lang.is_en() {
            format!("{}: {e}", path.display())
        } else {
            format!(
                "{}：不是 OpenSSH 公钥（应为一行 `ssh-ed25519 AAAA… 注释`，即 ~/.ssh/id_ed25519.pub 这样的文件）",
                path.display()
            )
        })
    })?;
    Ok((line, path))
}

fn register_key(
    ctx: &mut Ctx,
    desk: &mut crate::desk::Desk,
    name: &str,
    file: &std::path::Path,
) -> Result<String, CliError> {
    let (line, path) = read_key(ctx, file)?;
    store_key(ctx, desk, name, &line, &path)
}

/// The key into the access file, and its fingerprint into the journal.
fn store_key(
    ctx: &mut Ctx,
    desk: &mut crate::desk::Desk,
    name: &str,
    line: &str,
    path: &std::path::Path,
) -> Result<String, CliError> {
    let dir = desk.dir();
    let mut access = Access::load(&dir).map_err(|e| CliError::Failed(e.to_string()))?;
    let fp = access
        .add_key(name, line)
        .map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?;
    access
        .save(&dir)
        .map_err(|e| CliError::Failed(e.to_string()))?;
    let now = super::now()?;
    desk.execute_as(
        &ctx.account,
        now,
        Command::AccountKeyAdded {
            name: name.to_string(),
            fingerprint: fp.clone(),
        },
        None,
    )
    .map_err(|e| ctx.err(e))?;
    Ok(fp)
}

/// The `account list` columns (table and CSV).
const LIST_COLUMNS: [Column; 6] = [
    ("登录名", "login"),
    ("角色", "role"),
    ("单位", "unit"),
    ("姓名", "name"),
    ("状态", "state"),
    ("密钥", "keys"),
];

fn list(ctx: &mut Ctx, format: Format) -> CliResult {
    let desk = ctx.open_for(Act::ManageAccounts)?;
    let accounts = desk.accounts();
    let en = ctx.lang.is_en();
    match format {
        Format::Json => {
            let v: Vec<serde_json::Value> = accounts
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "name": a.account.name,
                        "role": a.account.role,
                        "unit": a.account.unit,
                        "display": a.account.display,
                        "disabled": a.account.disabled,
                        "keys": a.keys,
                        "password": a.password,
                    })
                })
                .collect();
            out(&json(&v)?)
        }
        Format::Table | Format::Csv => {
            let lang = ctx.lang;
            let rows: Vec<Vec<String>> = accounts
                .iter()
                .map(|a| {
                    vec![
                        a.account.name.clone(),
                        lang.pick(a.account.role.zh(), a.account.role.en()).into(),
                        a.account
                            .unit
                            .as_deref()
                            .map(|u| desk.units.name_of(u, en).to_string())
                            .unwrap_or_default(),
                        a.account.display.clone(),
                        if a.account.disabled {
                            lang.pick("已停用", "disabled").into()
                        } else {
                            String::new()
                        },
                        a.keys.len().to_string(),
                    ]
                })
                .collect();
            if format == Format::Csv {
                let rows: Vec<Vec<Cell>> = rows
                    .into_iter()
                    .map(|r| r.into_iter().map(Cell::from).collect())
                    .collect();
                return out(&csv_out::document(
                    &csv_out::header(lang, &LIST_COLUMNS),
                    &rows,
                ));
            }
            out(&table(&csv_out::header(lang, &LIST_COLUMNS), &rows, &[]))
        }
    }
}
