//! District to city: every desk's history streamed to the city's PostgreSQL, city-wide
//! reports computed there, and the city copy as a second witness of each district's journal.
//!
//! - `conn`: the connection URL, TLS and the password from the standard places;
//! - `schema`: the tables, created and migrated by the tool;
//! - `feed`: the events after a place, with the rows the city's tables need;
//! - `sync`: one shot (`dutydesk sync`) or continuous (`serve --postgres`), resumable and
//!   idempotent, refusing a journal that no longer matches the city copy;
//! - `report`: the city report, counted in SQL, finished with the scorecard's own rules;
//! - `verify`: the local journal against the city copy.

pub mod conn;
pub mod feed;
pub mod report;
pub mod schema;
pub mod sync;
pub mod verify;

use crate::desk::DeskError;
use crate::i18n::Lang;

/// What can go wrong between a desk and the city database.
#[derive(Debug, thiserror::Error)]
pub enum CityError {
    #[error("bad PostgreSQL URL {1}: {0}")]
    BadUrl(String, String),
    #[error("cannot connect to PostgreSQL at {0}: {1}")]
    Connect(String, String),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("PostgreSQL: {0}: {1}")]
    Sql(String, String),
    #[error("the city database has schema version {0}, newer than this dutydesk's {1}")]
    NewerSchema(i32, i32),
    #[error("no [district] in config.toml")]
    NoDistrict,
    #[error("journal and city copy differ at event {seq}")]
    Rewritten {
        district: String,
        seq: u64,
        city: String,
        local: Option<String>,
    },
    #[error("the city holds {city} events of district {district}, the journal only {local}")]
    Shorter {
        district: String,
        city: u64,
        local: u64,
    },
    #[error("event {seq} was recorded for district {theirs}, this desk is {ours}")]
    OtherDistrict {
        seq: u64,
        theirs: String,
        ours: String,
    },
    #[error("another sync of district {0} moved the city copy on; try again")]
    Moved(String),
    #[error("the server is stopping")]
    Stopped,
    #[error("{0}")]
    Desk(#[from] DeskError),
}

impl CityError {
    pub fn sql(what: &str, e: tokio_postgres::Error) -> CityError {
        CityError::Sql(what.to_string(), conn::describe(&e))
    }

    /// The journal no longer matches what the city holds: the sync must stop loudly, not be
    /// retried.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            CityError::Rewritten { .. }
                | CityError::Shorter { .. }
                | CityError::OtherDistrict { .. }
                | CityError::NewerSchema(..)
                | CityError::NoDistrict
        )
    }

    /// Bad input (a URL, a setting): exit 2 rather than 1.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            CityError::BadUrl(..) | CityError::NoDistrict | CityError::Tls(_)
        )
    }

    pub fn message(&self, lang: Lang) -> String {
        let en = lang.is_en();
        match self {
            CityError::BadUrl(why, url) => {
                if en {
                    format!("the PostgreSQL URL {url} cannot be used: {why}. Write it as postgres://USER@HOST:PORT/DATABASE?sslmode=require (the password goes in PGPASSWORD or ~/.pgpass)")
                } else {
                    format!("PostgreSQL 地址 {url} 无法使用：{why}。请写成 postgres://用户@主机:端口/数据库?sslmode=require（密码放在环境变量 PGPASSWORD 或 ~/.pgpass 中）")
                }
            }
            CityError::Connect(target, why) => {
                if en {
                    format!("cannot connect to the city's PostgreSQL at {target}: {why}. Check the host, port, user and password (PGPASSWORD or ~/.pgpass), and that the server is running")
                } else {
                    format!("无法连接市级 PostgreSQL（{target}）：{why}。请检查主机、端口、用户和密码（PGPASSWORD 或 ~/.pgpass），以及数据库服务是否在运行")
                }
            }
            CityError::Tls(why) => {
                if en {
                    format!("TLS for PostgreSQL: {why}. Check sslmode and sslrootcert (a PEM file of the authority that signed the server's certificate)")
                } else {
                    format!("PostgreSQL 加密连接（TLS）出错：{why}。请检查 sslmode 和 sslrootcert（签发服务器证书的机构的 PEM 证书文件）")
                }
            }
            CityError::Sql(what, why) => {
                if en {
                    format!("PostgreSQL refused {what}: {why}")
                } else {
                    format!("PostgreSQL 执行「{what}」失败：{why}")
                }
            }
            CityError::NewerSchema(have, ours) => {
                if en {
                    format!("the city database has schema version {have}, written by a newer dutydesk (this one knows up to {ours}); upgrade dutydesk on this machine")
                } else {
                    format!("市级数据库的结构版本为 {have}，由更新版本的 dutydesk 写入（本程序最高支持 {ours}）；请升级本机的 dutydesk")
                }
            }
            CityError::NoDistrict => {
                if en {
                    "config.toml in the data directory names no district; add\n[district]\ncode = \"500107\"   # the 6-digit administrative division code\nname = \"九龙坡区\"".into()
                } else {
                    "数据目录中的 config.toml 未写明本区县；请加上：\n[district]\ncode = \"500107\"   # 6 位行政区划代码\nname = \"九龙坡区\"".into()
                }
            }
            CityError::Rewritten {
                district,
                seq,
                city,
                local,
            } => {
                let local = local.as_deref().unwrap_or("—");
                if en {
                    format!("STOPPED: district {district}'s journal no longer matches the city copy at event {seq} (city {city}, journal {local}). The journal was rewritten, or this is another store. Nothing was sent; run `dutydesk verify --postgres URL` and compare the printed chain heads")
                } else {
                    format!("已停止：区县 {district} 的日志在第 {seq} 条事件处与市级副本不一致（市级 {city}，本地 {local}）。本地日志被改写过，或这是另一个数据目录。未发送任何数据；请运行 `dutydesk verify --postgres 地址` 并核对打印的链头")
                }
            }
            CityError::Shorter {
                district,
                city,
                local,
            } => {
                if en {
                    format!("STOPPED: the city holds {city} events of district {district}, but this journal has only {local}: events were removed from it, or this is an older copy of the store. Nothing was sent; run `dutydesk verify --postgres URL`")
                } else {
                    format!("已停止：市级副本已有区县 {district} 的 {city} 条事件，本地日志只有 {local} 条：本地日志被删减过，或这是旧的备份。未发送任何数据；请运行 `dutydesk verify --postgres 地址`")
                }
            }
            CityError::OtherDistrict { seq, theirs, ours } => {
                if en {
                    format!("STOPPED: event {seq} of this journal was recorded for district {theirs}, but config.toml says this desk is {ours}; correct [district] code in config.toml")
                } else {
                    format!("已停止：本日志第 {seq} 条事件记录的区县为 {theirs}，而 config.toml 写明本台为 {ours}；请更正 config.toml 中 [district] 的 code")
                }
            }
            CityError::Moved(d) => {
                if en {
                    format!("another sync of district {d} sent events at the same time; run the sync again")
                } else {
                    format!("区县 {d} 的另一次同步同时发送了事件；请再运行一次同步")
                }
            }
            CityError::Stopped => lang.pick("服务器正在停止", "the server is stopping").into(),
            CityError::Desk(e) => e.message(lang),
        }
    }
}

impl From<crate::store::StoreError> for CityError {
    fn from(e: crate::store::StoreError) -> CityError {
        CityError::Desk(DeskError::from(e))
    }
}
