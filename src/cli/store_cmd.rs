//! `dutydesk verify | rebuild | backup PATH | restore PATH | key generate FILE`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::{json, out, CliError, CliResult, Ctx};
use crate::domain::policy::Act;
use crate::store::{SealKey, VerifyReport, Witness};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// A chain head printed on a brief or report (SEQ:HASH, HASH at least 16 hex digits):
    /// the journal must still hold exactly that prefix. Repeatable.
    #[arg(long = "witness", value_name = "SEQ:HASH")]
    witnesses: Vec<String>,
    /// A file of chain heads (any text: every SEQ:HASH in it is checked, so a saved brief or
    /// report will do).
    #[arg(long, value_name = "FILE")]
    witness_file: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Also compare the journal with the city's copy in this PostgreSQL (as for `sync`):
    /// every event the city holds must be the journal's, hash for hash.
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum KeyCmd {
    /// Write a new random seal key to FILE (owner-only; never overwrites). Keep it outside the
    /// data directory, then give it with --key-file or DUTYDESK_KEY_FILE.
    Generate {
        /// Where to write the key (a new file, outside the data directory).
        file: PathBuf,
    },
}

fn witnesses(ctx: &Ctx, a: &VerifyArgs) -> Result<Vec<Witness>, CliError> {
    let mut out = Vec::new();
    for w in &a.witnesses {
        out.push(Witness::parse(w).ok_or_else(|| {
            CliError::BadInput(if ctx.lang.is_en() {
                format!("--witness \"{w}\": write it as SEQ:HASH, e.g. 1234:9f86d081884c7d65 (at least 16 hex digits of the hash)")
            } else {
                format!("--witness「{w}」格式应为 序号:哈希，例如 1234:9f86d081884c7d65（哈希至少 16 位十六进制）")
            })
        })?);
    }
    if let Some(f) = &a.witness_file {
        let f = &ctx.path(f);
        let text = std::fs::read_to_string(f)
            .map_err(|e| CliError::BadInput(format!("--witness-file {}: {e}", f.display())))?;
        let found = Witness::find_all(&text);
        if found.is_empty() {
            return Err(CliError::BadInput(if ctx.lang.is_en() {
                format!(
                    "--witness-file {}: no SEQ:HASH chain head in it",
                    f.display()
                )
            } else {
                format!(
                    "--witness-file {}：文件中没有「序号:哈希」形式的日志链头",
                    f.display()
                )
            }));
        }
        out.extend(found);
    }
    Ok(out)
}

pub fn verify(ctx: &mut Ctx, a: VerifyArgs) -> CliResult {
    let ws = witnesses(ctx, &a)?;
    let desk = ctx.open_for(Act::Verify)?;
    let r = desk.verify(&ws, None).map_err(|e| ctx.err(e))?;
    if a.json {
        out(&json(&r)?)?;
    } else {
        out(&report_text(&r, ctx.lang.is_en()))?;
    }
    if !(r.ok() && r.view_in_step) {
        return Err(CliError::Failed(summary(&r, ctx.lang.is_en())));
    }
    match &a.postgres {
        Some(url) => super::city_cmd::verify_city(ctx, &desk, url, a.json),
        None => Ok(()),
    }
}

/// One line per finding, for people.
fn report_text(r: &VerifyReport, en: bool) -> String {
    let mut s = String::new();
    let short = |h: &str| h.chars().take(16).collect::<String>();
    let j = r.journal.display();
    match &r.damage {
        None if r.ok() && r.view_in_step => s.push_str(&if en {
            format!(
                "ok: {} events, hash chain intact, view matches the journal record for record; chain head {}:{}\n",
                r.events, r.events, r.last_hash
            )
        } else {
            format!(
                "校验通过：共 {} 条事件，哈希链完整，视图与日志逐条一致；日志链头 {}:{}\n",
                r.events, r.events, r.last_hash
            )
        }),
        None => s.push_str(&if en {
            format!(
                "journal: {} events, hash chain intact; chain head {}:{}\n",
                r.events, r.events, r.last_hash
            )
        } else {
            format!(
                "日志：共 {} 条事件，哈希链完整；日志链头 {}:{}\n",
                r.events, r.events, r.last_hash
            )
        }),
        Some((line, what)) => s.push_str(&if en {
            format!(
                "{j}:{line}: journal DAMAGED: {what} ({} good events before it)\n",
                r.events
            )
        } else {
            format!("{j}:{line}：日志已损坏：{what}（其前有 {} 条完好事件）\n", r.events)
        }),
    }
    if r.key_checked {
        s.push_str(&match (r.sealed_events, r.first_sealed, en) {
            (0, _, true) => "seal: NO event is sealed with this key (the journal was never sealed, or its seals were removed)\n".to_string(),
            (0, _, false) => "封签：没有任何事件带有此密钥的封签（日志从未封签，或封签被删除）\n".to_string(),
            (n, Some(first), true) => format!("seal: {n} events sealed and verified under the key (from event {first}; earlier ones were written before the key was used)\n"),
            (n, Some(first), false) => format!("封签：{n} 条事件的封签经密钥核验无误（自第 {first} 条起；之前的事件写入时尚未使用密钥）\n"),
            (n, None, true) => format!("seal: {n} events sealed\n"),
            (n, None, false) => format!("封签：{n} 条事件已封签\n"),
        });
    } else if r.sealed_events > 0 {
        s.push_str(if en {
            "seal: the journal is sealed; give the key (--key-file) to check the seals\n"
        } else {
            "封签：日志已封签；请用 --key-file 指定密钥以核验封签\n"
        });
    }
    for w in &r.witnesses {
        s.push_str(&match (&w.found, w.ok, en) {
            (_, true, true) => format!("witness {}:{}: matches\n", w.seq, short(&w.hash)),
            (_, true, false) => format!("见证 {}:{}：一致\n", w.seq, short(&w.hash)),
            (None, _, true) => format!(
                "witness {}:{}: MISSING: the journal holds only {} events (events were removed)\n",
                w.seq,
                short(&w.hash),
                r.events
            ),
            (None, _, false) => format!(
                "见证 {}:{}：不符：日志只有 {} 条事件（有事件被删除）\n",
                w.seq,
                short(&w.hash),
                r.events
            ),
            (Some(h), _, true) => format!(
                "witness {}:{}: MISMATCH: the journal has {} there (it was rewritten)\n",
                w.seq,
                short(&w.hash),
                short(h)
            ),
            (Some(h), _, false) => format!(
                "见证 {}:{}：不符：日志中该处为 {}（日志被改写）\n",
                w.seq,
                short(&w.hash),
                short(h)
            ),
        });
    }
    if let Some(d) = &r.degraded {
        s.push_str(&if en {
            format!("store: read-only: {d}\n")
        } else {
            format!("存储：只读：{d}\n")
        });
    } else if r.damage.is_none() {
        s.push_str(&match (r.view_in_step, en) {
            (true, _) => String::new(),
            (false, true) => format!(
                "view: did NOT match the journal ({}); rebuilt from the journal, now in step\n",
                r.repaired.join(", ")
            ),
            (false, false) => format!(
                "视图：与日志不一致（{}）；已从日志重建，现已一致\n",
                r.repaired.join("、")
            ),
        });
    }
    s
}

fn summary(r: &VerifyReport, en: bool) -> String {
    let mut problems: Vec<String> = Vec::new();
    if let Some((line, _)) = &r.damage {
        let j = r.journal.display();
        problems.push(if en {
            format!("the journal is damaged at {j}:{line}")
        } else {
            format!("日志 {j}:{line} 已损坏")
        });
    }
    if r.witnesses.iter().any(|w| !w.ok) {
        problems.push(
            if en {
                "the journal does not match a witness"
            } else {
                "日志与见证不符"
            }
            .into(),
        );
    }
    if r.key_checked && r.sealed_events == 0 {
        problems.push(
            if en {
                "no event is sealed with this key"
            } else {
                "没有事件带有此密钥的封签"
            }
            .into(),
        );
    }
    if r.degraded.is_some() {
        problems.push(
            if en {
                "the store is read-only"
            } else {
                "存储为只读"
            }
            .into(),
        );
    }
    if problems.is_empty() && !r.view_in_step {
        problems.push(
            if en {
                "the view was out of step (now rebuilt)"
            } else {
                "视图曾与日志不一致（已重建）"
            }
            .into(),
        );
    }
    if en {
        format!(
            "verification failed: {}; restore from a backup if the journal is damaged or rewritten",
            problems.join("; ")
        )
    } else {
        format!(
            "校验未通过：{}；日志损坏或被改写时请从备份恢复",
            problems.join("；")
        )
    }
}

pub fn rebuild(ctx: &mut Ctx) -> CliResult {
    let mut desk = ctx.open_for(Act::Rebuild)?;
    let n = desk.rebuild().map_err(|e| ctx.err(e))?;
    let issues = desk.all_issues().map_err(|e| ctx.err(e))?.len();
    out(&if ctx.lang.is_en() {
        format!("rebuilt the view from {n} events: {issues} issues\n")
    } else {
        format!("已从 {n} 条事件重建视图：共 {issues} 个问题\n")
    })
}

pub fn backup(ctx: &mut Ctx, path: &Path) -> CliResult {
    let path = &ctx.path(path);
    let desk = ctx.open_for(Act::Backup)?;
    let n = desk.backup(path).map_err(|e| ctx.err(e))?;
    out(&if ctx.lang.is_en() {
        format!("backed up {n} events to {}\n", path.display())
    } else {
        format!("已备份 {n} 条事件到 {}\n", path.display())
    })
}

pub fn restore(ctx: &mut Ctx, path: &Path) -> CliResult {
    let path = &ctx.path(path);
    ctx.authorize(Act::Restore)?;
    let mut desk = ctx.open()?;
    let n = desk.restore(path).map_err(|e| ctx.err(e))?;
    out(&if ctx.lang.is_en() {
        format!(
            "restored {n} events from {}; the previous journal is kept in the data directory\n",
            path.display()
        )
    } else {
        format!(
            "已从 {} 恢复 {n} 条事件；原日志已保留在数据目录中\n",
            path.display()
        )
    })
}

pub fn key(ctx: &mut Ctx, c: KeyCmd) -> CliResult {
    match c {
        KeyCmd::Generate { file } => {
            if let Ok(data) = ctx.data.canonicalize() {
                let parent = file
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                if parent.canonicalize().is_ok_and(|p| p.starts_with(&data)) {
                    return Err(CliError::BadInput(ctx.pick(
                        "密钥文件不能放在数据目录中（否则起不到保护作用）；请放在其他位置，例如移动存储或 /etc",
                        "the key file must not be in the data directory (it would protect nothing); put it elsewhere, e.g. on removable media or in /etc",
                    ).into()));
                }
            }
            let k =
                SealKey::generate(&file).map_err(|e| CliError::BadInput(e.message(ctx.lang)))?;
            out(&if ctx.lang.is_en() {
                format!(
                    "key {} written to {} (owner-only); use it with --key-file or DUTYDESK_KEY_FILE, and keep a copy where the data directory's administrators cannot read it\n",
                    k.id,
                    file.display()
                )
            } else {
                format!(
                    "密钥 {} 已写入 {}（仅所有者可读）；使用时加 --key-file 或设置 DUTYDESK_KEY_FILE，并把副本存放在数据目录管理员读不到的地方\n",
                    k.id,
                    file.display()
                )
            })
        }
    }
}
