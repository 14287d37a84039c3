//! The desk behind one handle: a thread owns the desk (the store, its view, the journal) and
//! carries out, one at a time, what every session sends it — an effect of a TUI, a whole
//! command line, a new session's first screen. After each, it tells every session what
//! changed, so every screen shows a change within a moment of its commit.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use chrono::NaiveDateTime;
use tokio::sync::{broadcast, oneshot};

use crate::cli::{Captured, DeskSlot};
use crate::desk::Desk;
use crate::domain::policy::can_see;
use crate::domain::{Account, AccountRecord, EventKind, Issue, Role, Target};
use crate::i18n::Lang;
use crate::tui::app::{App, Effect, Reply};
use crate::tui::keymap::Keymap;
use crate::tui::runtime::EffectCtx;

/// What changed in one piece of work: the issues as they are now, and which other records
/// moved. `resync`: too much to say; sessions read their data again.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub seq: u64,
    /// When the desk thread finished the work (its commit durable), for the live-update
    /// figure of the bench.
    pub at: Option<std::time::Instant>,
    pub issues: Vec<Issue>,
    pub shifts: bool,
    pub inspections: bool,
    /// The residency programme changed (rounds, placements, checklists, scores).
    pub residency: bool,
    pub resync: bool,
}

enum Job {
    Exec {
        args: Vec<String>,
        account: Account,
        client: crate::cli::ClientSide,
        reply: oneshot::Sender<(Captured, i32)>,
    },
    Effect {
        cx: EffectCtx,
        effect: Effect,
        reply: oneshot::Sender<Option<Reply>>,
    },
    Open {
        account: Account,
        now: NaiveDateTime,
        reply: oneshot::Sender<Result<Box<App>, String>>,
    },
    Stop {
        reply: oneshot::Sender<()>,
    },
    /// Reads the desk for the city sync (the closure sends its own answer).
    Read(Box<dyn FnOnce(&Desk) + Send>),
}

/// The accounts, for the transports' logins (kept in step with the journal).
pub type Accounts = Arc<RwLock<HashMap<String, AccountRecord>>>;

/// The handle every session holds.
#[derive(Clone)]
pub struct Service {
    jobs: std::sync::mpsc::Sender<Job>,
    changes: broadcast::Sender<Arc<Change>>,
    pub accounts: Accounts,
    pub dir: PathBuf,
    pub lang: Lang,
}

impl crate::city::sync::Source for Service {
    async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Desk) -> R + Send + 'static,
    ) -> Result<R, crate::city::CityError> {
        self.read(f).await.ok_or(crate::city::CityError::Stopped)
    }
}

impl Service {
    /// Starts the desk thread on an open desk.
    pub fn start(desk: Desk) -> Service {
        let (jobs, rx) = std::sync::mpsc::channel::<Job>();
        let (changes, _) = broadcast::channel(256);
        let accounts: Accounts = Arc::new(RwLock::new(table(&desk)));
        let dir = desk.dir();
        let lang = desk.config.lang;
        let svc = Service {
            jobs,
            changes: changes.clone(),
            accounts: accounts.clone(),
            dir: dir.clone(),
            lang,
        };
        std::thread::Builder::new()
            .name("desk".into())
            .spawn(move || desk_thread(desk, rx, changes, accounts, dir))
            .expect("the desk thread starts");
        svc
    }

    /// Changes as they are made, from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Change>> {
        self.changes.subscribe()
    }

    /// Runs a command line for `account`: what it printed, and its exit status.
    pub async fn exec(
        &self,
        args: Vec<String>,
        account: Account,
        client: crate::cli::ClientSide,
    ) -> (Captured, i32) {
        let (reply, rx) = oneshot::channel();
        let job = Job::Exec {
            args,
            account,
            client,
            reply,
        };
        if self.jobs.send(job).is_err() {
            return stopped();
        }
        rx.await.unwrap_or_else(|_| stopped())
    }

    /// Carries out one effect of a session's TUI.
    pub async fn effect(&self, cx: EffectCtx, effect: Effect) -> Option<Reply> {
        let (reply, rx) = oneshot::channel();
        self.jobs.send(Job::Effect { cx, effect, reply }).ok()?;
        rx.await.ok().flatten()
    }

    /// A new session's app: the open work this account may see, at `now`.
    pub async fn open(&self, account: Account, now: NaiveDateTime) -> Result<Box<App>, String> {
        let (reply, rx) = oneshot::channel();
        self.jobs
            .send(Job::Open {
                account,
                now,
                reply,
            })
            .map_err(|_| "the server is stopping".to_string())?;
        rx.await
            .unwrap_or_else(|_| Err("the server is stopping".into()))
    }

    /// Runs `f` on the desk thread, between the sessions' work.
    pub async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Desk) -> R + Send + 'static,
    ) -> Option<R> {
        let (reply, rx) = oneshot::channel();
        let job = Job::Read(Box::new(move |desk: &Desk| {
            let _ = reply.send(f(desk));
        }));
        self.jobs.send(job).ok()?;
        rx.await.ok()
    }

    /// Stops the desk thread once the work sent before is done; the store is flushed.
    pub async fn stop(&self) {
        let (reply, rx) = oneshot::channel();
        if self.jobs.send(Job::Stop { reply }).is_ok() {
            let _ = rx.await;
        }
    }
}

fn stopped() -> (Captured, i32) {
    (
        Captured {
            stdout: vec![],
            stderr:
                "错误：服务器正在停止；请稍后重试 (the server is stopping; try again shortly)\n"
                    .as_bytes()
                    .to_vec(),
        },
        1,
    )
}

fn table(desk: &Desk) -> HashMap<String, AccountRecord> {
    desk.accounts()
        .into_iter()
        .map(|a| (a.account.name.clone(), a))
        .collect()
}

fn desk_thread(
    desk: Desk,
    rx: std::sync::mpsc::Receiver<Job>,
    changes: broadcast::Sender<Arc<Change>>,
    accounts: Accounts,
    dir: PathBuf,
) {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    let slot: DeskSlot = std::rc::Rc::new(std::cell::RefCell::new(Some(desk)));
    let seq = |slot: &DeskSlot| slot.borrow().as_ref().map_or(0, |d| d.last_seq());
    while let Ok(job) = rx.recv() {
        let before = seq(&slot);
        match job {
            Job::Exec {
                args,
                account,
                client,
                reply,
            } => {
                let r = catch_unwind(AssertUnwindSafe(|| {
                    crate::cli::run_served(&args, &account, &slot, &dir, client)
                }));
                let _ = reply.send(r.unwrap_or_else(|_| panicked()));
            }
            Job::Effect { cx, effect, reply } => {
                let r = catch_unwind(AssertUnwindSafe(|| {
                    let mut d = slot.borrow_mut();
                    let desk = d.as_mut()?;
                    crate::tui::execute(desk, &cx, effect)
                }));
                let _ = reply.send(r.unwrap_or(None));
            }
            Job::Open {
                account,
                now,
                reply,
            } => {
                let r = catch_unwind(AssertUnwindSafe(|| {
                    let d = slot.borrow();
                    let desk = d.as_ref().ok_or_else(|| "busy".to_string())?;
                    open_app(desk, &account, now)
                }));
                let _ = reply.send(r.unwrap_or_else(|_| Err("the server failed".into())));
            }
            Job::Read(f) => {
                let d = slot.borrow();
                if let Some(desk) = d.as_ref() {
                    // A panic drops the answer: the caller sees the desk as gone.
                    let _ = catch_unwind(AssertUnwindSafe(|| f(desk)));
                }
            }
            Job::Stop { reply } => {
                if let Some(d) = slot.borrow_mut().as_mut() {
                    let _ = d.flush();
                }
                let _ = reply.send(());
                break;
            }
        }
        let after = seq(&slot);
        if after > before {
            let d = slot.borrow();
            if let Some(desk) = d.as_ref() {
                let change = what_changed(desk, before, after);
                if change.1 {
                    *accounts.write().unwrap_or_else(|e| e.into_inner()) = table(desk);
                }
                let _ = changes.send(Arc::new(change.0));
            }
        }
    }
    // Dropping the desk here closes the store (the lock is released with it).
    drop(slot);
}

fn panicked() -> (Captured, i32) {
    (
        Captured {
            stdout: vec![],
            stderr: "错误：服务器处理该命令时出错，详情见服务器日志 (the server failed on this command; see its log)\n"
                .as_bytes()
                .to_vec(),
        },
        1,
    )
}

/// What the events after `before` changed (and whether accounts did).
fn what_changed(desk: &Desk, before: u64, after: u64) -> (Change, bool) {
    let mut c = Change {
        seq: after,
        at: Some(std::time::Instant::now()),
        ..Change::default()
    };
    let Some(events) = desk.events_after(before) else {
        c.resync = true;
        return (c, true);
    };
    let mut ids = Vec::new();
    let mut accounts = false;
    for r in &events {
        match r.event.target() {
            Target::Issue(id) => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            Target::Shift(_) => c.shifts = true,
            Target::Inspection(_) => c.inspections = true,
            Target::Residency => c.residency = true,
            Target::Account(_) => accounts = true,
            Target::Enterprise(_) => {}
        }
        if matches!(r.event, EventKind::EnterpriseSaved { .. }) {
            c.resync = true;
        }
    }
    c.issues = ids
        .into_iter()
        .filter_map(|id| desk.issue(id).ok())
        .collect();
    (c, accounts)
}

/// A new session's app, with only what the account may see.
fn open_app(desk: &Desk, account: &Account, now: NaiveDateTime) -> Result<Box<App>, String> {
    let lang = desk.config.lang;
    let mut app = crate::tui::build_app(desk, lang, Keymap::default_map(), now)
        .map_err(|e| format!("{e:#}"))?;
    restrict(&mut app, account);
    Ok(Box::new(app))
}

/// Keeps in an app only what the account may see (a unit: its own issues and its own
/// scorecard row).
pub fn restrict(app: &mut App, account: &Account) {
    app.data.issues.retain(|i| can_see(account, i));
    if account.role == Role::Unit {
        // "Logged today" counts what the unit may see, too.
        let seen: std::collections::HashSet<u64> = app.data.issues.iter().map(|i| i.id).collect();
        app.data.logged.retain(|id, _| seen.contains(id));
    }
    if account.role == Role::Unit {
        app.data.inspections.clear();
        app.handover.pending = None;
        app.open_shifts.clear();
        app.units.scorecard = app
            .units
            .scorecard
            .take()
            .map(|c| Box::new(c.for_account(account)));
        app.own_unit = account.unit.clone();
    }
    if account.role != Role::Desk && account.role != Role::Admin {
        app.handover.pending = None;
        app.open_shifts.clear();
    }
    app.refresh();
}

/// The data directory's socket path (for the local transport).
pub fn socket_path(dir: &Path) -> PathBuf {
    dir.join("serve.sock")
}
