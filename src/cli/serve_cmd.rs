//! `dutydesk serve`: the shared desk. One process owns the store; desks, units and
//! supervisors work at once through SSH, and commands on this machine go through the socket
//! in the data directory. Runs until SIGTERM or SIGINT: sessions are told, the store is
//! flushed, exit 0.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use tokio::sync::watch;

use super::{out, CliError, CliResult, Ctx};
use crate::domain::policy::Act;
use crate::serve::service::Service;
use crate::serve::session::ServedSessions;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on (`0.0.0.0:2222` for the whole LAN).
    #[arg(long, default_value = "127.0.0.1:2222")]
    listen: String,
    /// Print the host key's fingerprint (creating the key if there is none) and exit.
    #[arg(long)]
    fingerprint: bool,
    /// Close SSH sessions idle this many minutes.
    #[arg(long, default_value_t = 30)]
    idle_minutes: u64,
    /// Failed logins (per address, and per account) before further attempts are locked out.
    #[arg(long, default_value_t = 5)]
    max_failures: u32,
    /// The first lockout, in seconds; each further one doubles it (up to an hour).
    #[arg(long, default_value_t = 60)]
    lockout_seconds: u64,
    /// Stream every commit to the city's PostgreSQL (as for `sync`): within seconds of its
    /// commit; the desk keeps working while PostgreSQL is away and catches up after.
    #[arg(long, value_name = "URL", env = "DUTYDESK_POSTGRES")]
    postgres: Option<String>,
}

pub fn run(ctx: &mut Ctx, a: ServeArgs) -> CliResult {
    let listen: SocketAddr = a.listen.parse().map_err(|_| {
        CliError::BadInput(if ctx.lang.is_en() {
            format!(
                "--listen \"{}\": give an address and port, e.g. 127.0.0.1:2222 or 0.0.0.0:2222",
                crate::sanitize::line(&a.listen)
            )
        } else {
            format!(
                "--listen「{}」：请写地址和端口，例如 127.0.0.1:2222 或 0.0.0.0:2222",
                crate::sanitize::line(&a.listen)
            )
        })
    })?;
    if a.fingerprint {
        let fp = crate::serve::ssh::fingerprint(&ctx.data)
            .map_err(|e| CliError::Failed(e.to_string()))?;
        return out(&format!("{fp}\n"));
    }
    let city = match &a.postgres {
        Some(url) => Some(
            crate::city::conn::Target::parse(url)
                .map_err(|e| CliError::BadInput(e.message(ctx.lang)))?,
        ),
        None => None,
    };
    let desk = ctx.open_for(Act::ManageAccounts)?;
    if city.is_some() && desk.config.district.is_none() {
        return Err(CliError::BadInput(
            crate::city::CityError::NoDistrict.message(ctx.lang),
        ));
    }
    let Some(desk) = desk.into_own() else {
        return Err(CliError::BadInput(
            ctx.pick("服务器已在运行", "the server is already running")
                .into(),
        ));
    };
    let (_guard, _log) = super::demo_cmd::init_logging(&ctx.data);
    let dir = ctx.data.clone();
    let (host_key, fp) = crate::serve::ssh::load_or_create_host_key(&dir)
        .map_err(|e| CliError::Failed(e.to_string()))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(e.to_string()))?;
    let service = Service::start(desk);
    let (stop_tx, stopping) = watch::channel(false);
    let start = super::now()?;
    let began = std::time::Instant::now();
    let clock =
        Arc::new(move || start + chrono::Duration::from_std(began.elapsed()).unwrap_or_default());
    let active = Arc::new(crate::serve::session::Active::default());
    let sessions = Arc::new(ServedSessions {
        service: service.clone(),
        runtime: rt.handle().clone(),
        stopping: stopping.clone(),
        clock,
        active: active.clone(),
        probe: None,
    });
    let lang = ctx.lang;
    let result: Result<(), CliError> = rt.block_on(async {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term =
            signal(SignalKind::terminate()).map_err(|e| CliError::Failed(e.to_string()))?;
        let mut int =
            signal(SignalKind::interrupt()).map_err(|e| CliError::Failed(e.to_string()))?;
        let socket = crate::serve::local::bind(&dir).map_err(|e| {
            CliError::Failed(format!(
                "{}: {e}",
                crate::serve::local::socket(&dir).display()
            ))
        })?;
        let local = tokio::spawn({
            let sessions = sessions.clone();
            let stopping = stopping.clone();
            let dir = dir.clone();
            async move { crate::serve::local::listen(socket, &dir, sessions, stopping).await }
        });
        let opts = crate::serve::ssh::SshOptions {
            idle: Duration::from_secs(a.idle_minutes.max(1) * 60),
            max_failures: a.max_failures.max(1),
            lockout: Duration::from_secs(a.lockout_seconds.max(1)),
            ..crate::serve::ssh::SshOptions::default()
        };
        let auth = Arc::new(crate::serve::auth::ServerAuth::new(
            dir.clone(),
            service.accounts.clone(),
        ));
        // Bound here, so that port 0 (any free port) reports the port it got.
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
            CliError::Failed(if lang.is_en() {
                format!("cannot listen on {listen}: {e} (is another server using the port?)")
            } else {
                format!("无法在 {listen} 上监听：{e}（端口是否已被其他程序占用？）")
            })
        })?;
        let listen = listener.local_addr().unwrap_or(listen);
        let ssh = tokio::spawn(crate::serve::ssh::serve(
            listener,
            host_key,
            sessions.clone(),
            auth,
            opts,
            stopping.clone(),
        ));
        out(&if lang.is_en() {
            format!(
                "dutydesk serve: listening on {listen} (ssh -p {} NAME@HOST); host key {fp}; on this machine, commands go through {}\n",
                listen.port(),
                crate::serve::local::socket(&dir).display()
            )
        } else {
            format!(
                "dutydesk serve：在 {listen} 上监听（ssh -p {} 登录名@主机）；主机密钥指纹 {fp}；本机上的命令经 {} 交给服务器\n",
                listen.port(),
                crate::serve::local::socket(&dir).display()
            )
        })?;
        tracing::info!(%listen, fingerprint = %fp, "serving {}", dir.display());
        if let Some(target) = city.clone() {
            let svc = service.clone();
            let changes = service.subscribe();
            tokio::spawn(follow_city(svc, target, changes, lang));
        }
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
            r = ssh => {
                let _ = stop_tx.send(true);
                service.stop().await;
                return match r {
                    Ok(Err(e)) => Err(CliError::Failed(e.to_string())),
                    _ => Ok(()),
                };
            }
        }
        tracing::info!("stopping");
        let _ = stop_tx.send(true);
        // Sessions keep what their officers typed (through the desk thread, which then
        // flushes the store and stops).
        active.drained(Duration::from_secs(5)).await;
        service.stop().await;
        let _ = local.await;
        Ok(())
    });
    rt.shutdown_timeout(Duration::from_secs(2));
    result
}

/// Streams commits to the city's PostgreSQL for as long as the server runs; a journal the
/// city copy no longer matches stops it, said on stderr and in the log.
async fn follow_city(
    service: Service,
    target: crate::city::conn::Target,
    changes: tokio::sync::broadcast::Receiver<Arc<crate::serve::service::Change>>,
    lang: crate::i18n::Lang,
) {
    let changes = Arc::new(tokio::sync::Mutex::new(changes));
    let wake = move || {
        let changes = changes.clone();
        Box::pin(async move {
            let mut rx = changes.lock().await;
            // A lagged receiver has missed changes: that is a reason to look too.
            let _ = rx.recv().await;
        }) as std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
    };
    let e = crate::city::sync::follow(service, target, wake, Duration::from_secs(4)).await;
    if !matches!(e, crate::city::CityError::Stopped) {
        super::warn(&e.message(lang));
    }
}
