//! What the store's errors say to a duty officer, in either language: what happened, whether
//! anything was saved, and what to do.

use crate::i18n::Lang;

use super::{Degraded, StoreError};

impl StoreError {
    /// The message for the user.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            StoreError::InUse { dir, holder } => {
                if zh {
                    format!(
                        "数据目录正被使用（{holder}）：{}；请先关闭另一个 dutydesk",
                        dir.display()
                    )
                } else {
                    format!(
                        "store in use by {holder} ({}); close the other dutydesk first",
                        dir.display()
                    )
                }
            }
            StoreError::Io { path, source } if super::fsx::is_disk_full(source) => {
                if zh {
                    format!(
                        "磁盘空间已满（{}）：本次操作没有保存；请释放磁盘空间后重试，已保存的记录不受影响",
                        path.display()
                    )
                } else {
                    format!(
                        "the disk is full ({}): nothing of this operation was saved; free some space and try again (records already saved are safe)",
                        path.display()
                    )
                }
            }
            StoreError::Io { path, source } => {
                if zh {
                    format!("读写失败：{}：{source}", path.display())
                } else {
                    format!("{}: {source}", path.display())
                }
            }
            StoreError::Corrupt { path, line, what } => {
                if zh {
                    format!(
                        "{}:{line}：日志已损坏（{what}）；请用 `dutydesk restore 备份目录` 从备份恢复，损坏的日志会保留在数据目录中",
                        path.display()
                    )
                } else {
                    format!(
                        "{}:{line}: the journal is damaged ({what}); restore it from a backup with `dutydesk restore BACKUP_DIR` (the damaged journal is kept)",
                        path.display()
                    )
                }
            }
            StoreError::Schema { found, supported } => {
                if zh {
                    format!("数据格式版本 {found} 不受此版本 dutydesk 支持（支持 {supported}）；请使用更新的 dutydesk")
                } else {
                    self.to_string()
                }
            }
            StoreError::ViewDamaged(why) => {
                if zh {
                    format!("视图损坏（{why}），将从日志重建")
                } else {
                    format!("the view is damaged ({why}); it is rebuilt from the journal")
                }
            }
            StoreError::Unapplicable { line, what } => {
                if zh {
                    format!("日志第 {line} 行的事件与之前的记录不符（{what}）；请运行 `dutydesk verify`")
                } else {
                    format!("journal line {line}: the event does not fit the records before it ({what}); run `dutydesk verify`")
                }
            }
            StoreError::Poisoned(why) => {
                if zh {
                    format!(
                        "写入失败且无法撤销（{why}）；请重新启动 dutydesk，已保存的记录不受影响"
                    )
                } else {
                    format!("{why}; restart dutydesk (records already saved are safe)")
                }
            }
            StoreError::ReadOnly(d) => {
                let m = d.message(lang);
                if zh {
                    format!("{m}；目前只能查看，不能修改")
                } else {
                    format!("{m}; the store is read-only until then")
                }
            }
            StoreError::BadKey { path, what } => {
                if zh {
                    format!("密钥文件 {}：{what}", path.display())
                } else {
                    format!("key file {}: {what}", path.display())
                }
            }
            StoreError::NeedKey => {
                if zh {
                    "日志已用密钥封签：请用 --key-file 或环境变量 DUTYDESK_KEY_FILE 指定密钥文件后再修改".into()
                } else {
                    self.to_string()
                }
            }
            StoreError::WrongKey { key } => {
                if zh {
                    format!("密钥 {key} 与日志的封签不符：请使用封签时的密钥文件")
                } else {
                    format!("the key {key} does not match the journal's seal: use the key the journal was sealed with")
                }
            }
            StoreError::Apply(e) => e.to_string(),
            StoreError::Other(m) => m.clone(),
        }
    }
}

impl Degraded {
    /// Why the store is read-only, and what to do.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Degraded::Damaged { path, line, what } => {
                if zh {
                    format!(
                        "日志 {}:{line} 已损坏（{what}）：显示的是该行之前的记录；请用 `dutydesk restore 备份目录` 从备份恢复",
                        path.display()
                    )
                } else {
                    format!(
                        "journal {}:{line} is damaged ({what}): showing the records before it; restore from a backup with `dutydesk restore BACKUP_DIR`",
                        path.display()
                    )
                }
            }
            Degraded::Diverged { path, view_seq } => {
                if zh {
                    format!(
                        "日志 {} 中已找不到第 {view_seq} 条事件（事件被删除或改写）：显示的是改动前的记录；请从备份恢复（`dutydesk restore 备份目录`），或确认现有日志无误后运行 `dutydesk rebuild` 以其为准",
                        path.display()
                    )
                } else {
                    format!(
                        "the journal {} no longer holds event {view_seq} (events were removed or rewritten): showing the records as they were; restore from a backup (`dutydesk restore BACKUP_DIR`), or run `dutydesk rebuild` to accept the journal as it now stands",
                        path.display()
                    )
                }
            }
        }
    }
}
