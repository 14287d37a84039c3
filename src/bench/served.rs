//! The shared desk under load: twenty TUI sessions — the 14 units, 4 desks and 2 supervisors —
//! served by one process on the bench store, exactly as `dutydesk serve` serves SSH clients
//! (the same sessions, desk thread and broadcast of changes; only the SSH channel is replaced
//! by an in-process one). Each session is driven by a script of keystrokes at a fast typist's
//! pace; the desks log and assign issues, and the units sign for and contact what they are
//! given, through the effects their TUIs send. It runs in a process of its own, so the
//! memory it states is the server's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::sync::watch;

use super::{Figure, Target};
use crate::desk::{Command, Desk, NewIssue};
use crate::domain::{Account, Channel, Role};
use crate::serve::service::Service;
use crate::serve::session::{Active, Probe, ServedSessions};
use crate::serve::{Peer, SessionInput, SessionKind, SessionOutput, Sessions};
use crate::tui::app::{Effect, Reply};
use crate::tui::runtime::EffectCtx;

/// How each session spends its keys: screens switched, rows moved over, issues opened and
/// closed again. Every key changes the screen, so every one is a frame.
const F2: &[u8] = b"\x1bOQ";
const F3: &[u8] = b"\x1bOR";
const F4: &[u8] = b"\x1bOS";
const F5: &[u8] = b"\x1b[15~";
const DOWN: &[u8] = b"\x1b[B";
const UP: &[u8] = b"\x1b[A";
const ENTER: &[u8] = b"\r";
const ESC: &[u8] = b"\x1b";

fn script(role: Role) -> Vec<&'static [u8]> {
    let mut keys = vec![F3, DOWN, DOWN, DOWN, UP, ENTER, ESC, DOWN, ENTER, ESC, F2];
    match role {
        Role::Unit => keys.extend([F3, DOWN, UP, F5, F2]),
        _ => keys.extend([F4, DOWN, UP, F3, UP, F5, F2]),
    }
    keys
}

/// Pace of each session's keys (about seven a second: a fast typist, twenty at once).
const KEY_EVERY: Duration = Duration::from_millis(150);
/// Each desk logs and assigns an issue this often.
const LOG_EVERY: Duration = Duration::from_millis(1500);

/// The accounts the bench signs in as.
fn accounts(desk: &Desk) -> Vec<Account> {
    let mut v: Vec<Account> = desk
        .units
        .leads()
        .map(|u| Account {
            name: format!("unit-{}", u.id),
            role: Role::Unit,
            unit: Some(u.id.clone()),
            display: format!("{}联络员", u.name),
            disabled: false,
        })
        .collect();
    for (i, name) in ["李娜", "王芳", "张伟", "刘洋"].iter().enumerate() {
        v.push(Account {
            name: format!("desk-{i}"),
            role: Role::Desk,
            unit: None,
            display: name.to_string(),
            disabled: false,
        });
    }
    for (i, name) in ["区纪委监委", "区发展改革委"].iter().enumerate() {
        v.push(Account {
            name: format!("sup-{i}"),
            role: Role::Supervisor,
            unit: None,
            display: name.to_string(),
            disabled: false,
        });
    }
    v
}

/// One session's client: sends its script's keys, reads (and counts) what it is sent.
async fn client(
    role: Role,
    keys: UnboundedSender<SessionInput>,
    mut frames: UnboundedReceiver<SessionOutput>,
    until: Instant,
) -> (u64, u64) {
    let (mut n, mut bytes) = (0u64, 0u64);
    // The first screen.
    let first = tokio::time::timeout(Duration::from_secs(30), frames.recv()).await;
    if !matches!(first, Ok(Some(_))) {
        return (0, 0);
    }
    if role == Role::Desk {
        // Sign in to a shift (the form comes filled with the account's name).
        let _ = keys.send(SessionInput::Data(ENTER.to_vec()));
    }
    let script = script(role);
    'run: while Instant::now() < until {
        for k in &script {
            while let Ok(out) = frames.try_recv() {
                if let SessionOutput::Stdout(b) = out {
                    bytes += b.len() as u64;
                }
            }
            if keys.send(SessionInput::Data(k.to_vec())).is_err() {
                break 'run;
            }
            n += 1;
            // Wait for the frame the key causes, then type on at the script's pace.
            if let Ok(Some(SessionOutput::Stdout(b))) =
                tokio::time::timeout(Duration::from_secs(1), frames.recv()).await
            {
                bytes += b.len() as u64;
            }
            tokio::time::sleep(KEY_EVERY).await;
            if Instant::now() >= until {
                break 'run;
            }
        }
    }
    // Ctrl-C: the session ends as an officer would end it.
    let _ = keys.send(SessionInput::Data(vec![3]));
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(out) = frames.recv().await {
            if matches!(out, SessionOutput::Exit(_)) {
                break;
            }
        }
    })
    .await;
    (n, bytes)
}

/// A commit as a session's TUI sends it, timed from send to durable reply.
async fn commit(
    service: &Service,
    account: &Account,
    now: NaiveDateTime,
    cmd: Command,
) -> (Duration, Option<u64>) {
    let cx = EffectCtx {
        account: account.clone(),
        now,
        lang: service.lang,
        seen: None,
    };
    let t = Instant::now();
    let r = service.effect(cx, Effect::Execute(cmd)).await;
    let took = t.elapsed();
    let created = match r {
        Some(Reply::Executed(Ok(o))) => o.created.or(o.issue.map(|i| i.id)),
        _ => None,
    };
    (took, created)
}

/// Results of the run, gathered from the tasks.
#[derive(Default)]
struct Tally {
    commits: Vec<Duration>,
    failed: usize,
}

/// The served-load figures on the store in `dir` (already generated); `now` is the store's
/// present, `secs` how long the load runs.
pub fn run(dir: &std::path::Path, now: NaiveDateTime, secs: u64) -> Result<Vec<Figure>, String> {
    let mut desk = Desk::open(dir).map_err(|e| e.to_string())?;
    let accounts = accounts(&desk);
    for a in &accounts {
        desk.execute("bench", now, Command::SaveAccount { account: a.clone() })
            .map_err(|e| e.to_string())?;
    }
    let open = desk.open_issues().map_err(|e| e.to_string())?.len();
    let code = desk
        .enterprises()
        .first()
        .map(|e| e.credit_code.clone())
        .ok_or("the bench store has no enterprises")?;
    let category = desk.config.categories[0].clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let service = Service::start(desk);
    let rss_idle = super::process::resident_mib(std::process::id()).unwrap_or(0.0);
    let probe = Arc::new(Probe::default());
    let (stop_tx, stopping) = watch::channel(false);
    let began = Instant::now();
    let sessions = Arc::new(ServedSessions {
        service: service.clone(),
        runtime: rt.handle().clone(),
        stopping,
        clock: Arc::new(move || {
            now + chrono::Duration::from_std(began.elapsed()).unwrap_or_default()
        }),
        active: Arc::new(Active::default()),
        probe: Some(probe.clone()),
    });
    let mut figs = Vec::new();
    let result = rt.block_on(async {
        // Sessions open one after another, as officers arrive.
        let mut opening = Vec::new();
        let mut clients = Vec::new();
        let until = Instant::now() + Duration::from_secs(secs) + Duration::from_secs(2);
        for a in &accounts {
            let (out_tx, out_rx) = unbounded_channel();
            let t = Instant::now();
            let keys = sessions.start(
                Peer {
                    account: a.clone(),
                    from: "bench".into(),
                },
                SessionKind::Tty {
                    cols: 160,
                    rows: 48,
                    term: "xterm-256color".into(),
                },
                out_tx,
            );
            let mut out_rx = out_rx;
            // Opened when its first screen comes.
            let first = tokio::time::timeout(Duration::from_secs(30), out_rx.recv()).await;
            opening.push(t.elapsed());
            if !matches!(first, Ok(Some(SessionOutput::Stdout(_)))) {
                return Err(format!("session {} did not open", a.name));
            }
            // Put the first frame back in front of the client: it waits for one.
            let (fwd_tx, fwd_rx) = unbounded_channel();
            if let Ok(Some(o)) = first {
                let _ = fwd_tx.send(o);
            }
            tokio::spawn(async move {
                while let Some(o) = out_rx.recv().await {
                    if fwd_tx.send(o).is_err() {
                        break;
                    }
                }
            });
            clients.push(tokio::spawn(client(a.role, keys, fwd_rx, until)));
        }
        let rss_open = super::process::resident_mib(std::process::id()).unwrap_or(0.0);
        // The work: desks log and assign, units sign for and contact what they were given.
        let tally = Arc::new(std::sync::Mutex::new(Tally::default()));
        let units: Vec<Account> = accounts
            .iter()
            .filter(|a| a.role == Role::Unit)
            .cloned()
            .collect();
        let mut to_unit = Vec::new();
        let mut workers = Vec::new();
        for u in &units {
            let (tx, mut rx) = unbounded_channel::<u64>();
            to_unit.push(tx);
            let (service, u, tally) = (service.clone(), u.clone(), tally.clone());
            let clock = sessions.clock.clone();
            workers.push(tokio::spawn(async move {
                while let Some(id) = rx.recv().await {
                    for cmd in [
                        Command::Receive { id },
                        Command::RecordContact {
                            id,
                            note: "已电话联系企业".into(),
                        },
                    ] {
                        let (took, done) = commit(&service, &u, clock(), cmd).await;
                        let mut t = tally.lock().unwrap_or_else(|e| e.into_inner());
                        match done {
                            Some(_) => t.commits.push(took),
                            None => t.failed += 1,
                        }
                    }
                }
            }));
        }
        let unit_ids: Vec<String> = units.iter().filter_map(|u| u.unit.clone()).collect();
        let desks: Vec<Account> = accounts
            .iter()
            .filter(|a| a.role == Role::Desk)
            .cloned()
            .collect();
        let stop_at = Instant::now() + Duration::from_secs(secs);
        let mut loggers = Vec::new();
        for (k, d) in desks.into_iter().enumerate() {
            let (service, tally) = (service.clone(), tally.clone());
            let (code, category) = (code.clone(), category.clone());
            let (unit_ids, to_unit) = (unit_ids.clone(), to_unit.clone());
            let clock = sessions.clock.clone();
            loggers.push(tokio::spawn(async move {
                let mut n = k;
                // The desks start staggered, as people do.
                tokio::time::sleep(LOG_EVERY / 4 * k as u32).await;
                while Instant::now() < stop_at {
                    let log = Command::LogIssue {
                        issue: NewIssue {
                            enterprise: code.clone(),
                            category: category.clone(),
                            channel: Channel::WalkIn,
                            contact_name: "王经理".into(),
                            phone: String::new(),
                            description: format!("并发基准登记 {k}-{n}"),
                        },
                    };
                    let (took, id) = commit(&service, &d, clock(), log).await;
                    let u = n % unit_ids.len().max(1);
                    let assigned = match id {
                        Some(id) => {
                            let cmd = Command::Assign {
                                id,
                                unit: unit_ids[u].clone(),
                                helpers: vec![],
                                reason: String::new(),
                            };
                            let (t2, ok) = commit(&service, &d, clock(), cmd).await;
                            ok.map(|_| (id, t2))
                        }
                        None => None,
                    };
                    {
                        let mut t = tally.lock().unwrap_or_else(|e| e.into_inner());
                        match (id, assigned) {
                            (Some(_), Some((id, t2))) => {
                                t.commits.extend([took, t2]);
                                let _ = to_unit[u].send(id);
                            }
                            _ => t.failed += 1,
                        }
                    }
                    n += 4;
                    tokio::time::sleep(LOG_EVERY).await;
                }
            }));
        }
        for l in loggers {
            let _ = l.await;
        }
        drop(to_unit);
        for w in workers {
            let _ = w.await;
        }
        let mut keys = 0;
        let mut bytes = 0;
        for c in clients {
            if let Ok((n, b)) = c.await {
                keys += n;
                bytes += b;
            }
        }
        let _ = stop_tx.send(true);
        service.stop().await;
        let tally = std::mem::take(&mut *tally.lock().unwrap_or_else(|e| e.into_inner()));
        Ok((opening, rss_open, tally, keys, bytes))
    });
    let (opening, rss_open, tally, keys, bytes) = result?;
    let hwm = super::process::peak_mib(std::process::id()).unwrap_or(0.0);
    let load = format!(
        "20 sessions (14 units, 4 desks, 2 supervisors), {secs} s, {open} open of the store's issues"
    );
    figs.push(
        Figure::from_samples("served: session open to first screen", opening, Some(150.0))
            .with_note("each session's own read of the open work it may see"),
    );
    let take = |m: &std::sync::Mutex<Vec<Duration>>| {
        std::mem::take(&mut *m.lock().unwrap_or_else(|e| e.into_inner()))
    };
    figs.push(
        Figure::from_samples(
            "served: keystroke to frame, at the server",
            take(&probe.keystroke),
            Some(5.0),
        )
        .with_note(format!(
            "{keys} keys, {:.1} MiB of frames; {load}",
            bytes as f64 / 1048576.0
        )),
    );
    let n_commits = tally.commits.len();
    let mut c = Figure::from_samples("served: durable commit under load", tally.commits, None);
    // The target is on the median: a commit waits behind whatever the desk thread is doing.
    c.target = Target::at_most(3.0);
    c.on_p50 = true;
    figs.push(c.with_note(format!(
        "{n_commits} commits from 18 sessions (log, assign, sign for, contact), {} failed",
        tally.failed
    )));
    figs.push(
        Figure::from_samples(
            "served: live update, commit to the other screens' frames",
            take(&probe.live),
            Some(200.0),
        )
        .with_note("every session that may see the issue"),
    );
    figs.push(
        Figure::value(
            "served: server memory, store open, no session",
            "MiB",
            rss_idle,
            None,
        )
        .with_note("resident"),
    );
    figs.push(
        Figure::value(
            "served: server memory, 20 sessions open",
            "MiB",
            rss_open,
            None,
        )
        .with_note("resident"),
    );
    figs.push(Figure::value(
        "served: server memory, peak",
        "MiB",
        hwm,
        None,
    ));
    Ok(figs)
}
