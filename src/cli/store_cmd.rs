//! `dutydesk verify | rebuild | backup PATH | restore PATH`.

use std::path::Path;

use super::{out, CliError, CliResult, Ctx};

pub fn verify(ctx: &mut Ctx) -> CliResult {
    let desk = ctx.open()?;
    let r = desk
        .verify()
        .map_err(|e| CliError::Failed(e.message(ctx.lang)))?;
    if !r.view_in_step {
        return Err(CliError::Failed(
            ctx.pick(
                "日志完整，但视图与日志不一致；请运行 `dutydesk rebuild`",
                "journal intact but the view is out of step; run `dutydesk rebuild`",
            )
            .into(),
        ));
    }
    out(&if ctx.lang.is_en() {
        format!(
            "ok: {} events, hash chain intact, view in step (last hash {})\n",
            r.events,
            &r.last_hash[..12]
        )
    } else {
        format!(
            "校验通过：共 {} 条事件，哈希链完整，视图与日志一致（末条哈希 {}）\n",
            r.events,
            &r.last_hash[..12]
        )
    })
}

pub fn rebuild(ctx: &mut Ctx) -> CliResult {
    let mut desk = ctx.open()?;
    let n = desk.rebuild().map_err(|e| ctx.err(e))?;
    let issues = desk.all_issues().map_err(|e| ctx.err(e))?.len();
    out(&if ctx.lang.is_en() {
        format!("rebuilt the view from {n} events: {issues} issues\n")
    } else {
        format!("已从 {n} 条事件重建视图：共 {issues} 个问题\n")
    })
}

pub fn backup(ctx: &mut Ctx, path: &Path) -> CliResult {
    let desk = ctx.open()?;
    let n = desk.backup(path).map_err(|e| ctx.err(e))?;
    out(&if ctx.lang.is_en() {
        format!("backed up {n} events to {}\n", path.display())
    } else {
        format!("已备份 {n} 条事件到 {}\n", path.display())
    })
}

pub fn restore(ctx: &mut Ctx, path: &Path) -> CliResult {
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
