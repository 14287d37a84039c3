//! The shared desk end to end: `dutydesk serve` with the real OpenSSH client — TUI sessions in
//! tmux and commands over SSH — desks, a unit and a supervisor working at once, each limited
//! to what its role may do; live changes; a conflicting change refused; kill -9 of the server
//! under a stream of commits; and bad input of every kind over SSH.

mod common;
mod tmux;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::BIN;

const NOW: &str = "2026-11-20T10:00:00";

/// A running `dutydesk serve` on a free port.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(dir: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env("DUTYDESK_DATA", dir)
            .env("DUTYDESK_NOW", NOW)
            .env_remove("DUTYDESK_OFFICER")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("serve says where it listens");
        let port = line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|r| {
                r.chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect::<String>()
                    .parse()
                    .ok()
            })
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Server { child, port }
    }

    fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then the exit status.
    fn stop(&mut self) -> Option<i32> {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        self.child.wait().ok().and_then(|s| s.code())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Keys for the accounts, made with ssh-keygen.
struct Keys(tempfile::TempDir);

impl Keys {
    fn new() -> Keys {
        Keys(tempfile::tempdir().unwrap())
    }
    fn key(&self, name: &str) -> PathBuf {
        let p = self.0.path().join(name);
        if !p.exists() {
            let ok = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
                .arg(&p)
                .status()
                .expect("ssh-keygen runs");
            assert!(ok.success());
        }
        p
    }
}

fn ssh_args(port: u16, key: &Path) -> Vec<String> {
    [
        "-p",
        &port.to_string(),
        "-i",
        &key.display().to_string(),
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// `ssh NAME@server COMMAND`.
fn ssh(port: u16, key: &Path, user: &str, command: &str) -> Output {
    Command::new("ssh")
        .args(ssh_args(port, key))
        .arg(format!("{user}@127.0.0.1"))
        .arg(command)
        .output()
        .expect("ssh runs")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The TUI over SSH, in tmux.
fn tty(port: u16, key: &Path, user: &str, cols: u16, rows: u16) -> tmux::Tmux {
    let words: Vec<String> = ssh_args(port, key)
        .into_iter()
        .map(|w| format!("'{w}'"))
        .collect();
    tmux::Tmux::start_command(
        &format!("ssh -tt {} {user}@127.0.0.1", words.join(" ")),
        cols,
        rows,
    )
}

fn cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("DUTYDESK_DATA", dir)
        .env("DUTYDESK_NOW", NOW)
        .env("DUTYDESK_OFFICER", "管理员")
        .output()
        .expect("dutydesk runs")
}

/// A store with enterprises and the accounts: two desks, a unit for each of two units, a
/// supervisor, and a disabled desk.
fn desk(keys: &Keys) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&cli(
        d,
        &["enterprise", "import", &common::fixture("search.csv")],
    ));
    for (name, role, unit, display) in [
        ("lina", "desk", "", "李娜"),
        ("wang", "desk", "", "王芳"),
        ("tax", "unit", "tax", "税务联络员"),
        ("court", "unit", "court", "法院联络员"),
        ("jiwei", "supervisor", "", "纪委监委"),
        ("gone", "desk", "", "已离岗"),
    ] {
        let key = keys.key(name).with_extension("pub");
        let mut args = vec!["account", "add", name, "--role", role, "--display", display];
        let key_s = key.display().to_string();
        args.extend(["--key", &key_s]);
        if !unit.is_empty() {
            args.extend(["--unit", unit]);
        }
        ok(&cli(d, &args));
    }
    ok(&cli(d, &["account", "disable", "gone", "--reason", "调离"]));
    dir
}

fn add(port: u16, key: &Path, user: &str, text: &str) -> u64 {
    let o = ssh(
        port,
        key,
        user,
        &format!("issue add --enterprise 长安 --category 其他 --text '{text}'"),
    );
    ok(&o)
        .split_whitespace()
        .next()
        .and_then(|w| w.parse().ok())
        .expect("the new issue's number")
}

fn issue(port: u16, key: &Path, user: &str, id: u64) -> serde_json::Value {
    let o = ssh(port, key, user, &format!("issue show {id} --format json"));
    serde_json::from_str(&ok(&o)).unwrap()
}

#[test]
fn a_desk_a_unit_and_a_supervisor_work_at_once() {
    let keys = Keys::new();
    let dir = desk(&keys);
    let srv = Server::start(dir.path(), &[]);
    let p = srv.port;
    let (lina, tax, jiwei) = (keys.key("lina"), keys.key("tax"), keys.key("jiwei"));

    // The unit's TUI: no shift to sign in to, straight to its dashboard; then its list.
    let unit = tty(p, &tax, "tax", 120, 36);
    unit.wait_for("税务联络员");
    unit.keys(&["F3"]);
    unit.wait_for("问题列表");

    // The desk logs an issue and hands it to the unit: the unit's screen has it within a
    // second, without a key pressed there.
    let id = add(p, &lina, "lina", "出口退税进度查询");
    ok(&ssh(
        p,
        &lina,
        "lina",
        &format!("issue assign {id} 区税务局"),
    ));
    let t = Instant::now();
    unit.wait_for_line(&["已交办", "区税务局"]);
    let seen = t.elapsed();
    assert!(seen < Duration::from_secs(2), "took {seen:?}");

    // The unit signs for it, contacts the enterprise and replies, under its own name.
    for cmd in [
        format!("issue receive {id}"),
        format!("issue contact {id} --note 已电话联系"),
        format!("issue reply {id} --text 已协调办结退税"),
    ] {
        ok(&ssh(p, &tax, "tax", &cmd));
    }
    let v = issue(p, &tax, "tax", id);
    assert_eq!(v["status"], "replied");
    let by: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["by"].as_str())
        .collect();
    assert_eq!(
        by,
        ["李娜", "李娜", "税务联络员", "税务联络员", "税务联络员"]
    );

    // What the unit may not do: assign, void, or touch another unit's issue at all.
    let other = add(p, &lina, "lina", "法院执行款项问题");
    ok(&ssh(
        p,
        &lina,
        "lina",
        &format!("issue assign {other} 区法院"),
    ));
    let o = ssh(p, &tax, "tax", &format!("issue assign {other} 区税务局"));
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(
        err(&o).contains("tax") && err(&o).contains("交办"),
        "{}",
        err(&o)
    );
    let o = ssh(p, &tax, "tax", &format!("issue void {id} --reason 重复"));
    assert_eq!(o.status.code(), Some(3));
    let o = ssh(p, &tax, "tax", &format!("issue show {other}"));
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    let list = ok(&ssh(p, &tax, "tax", "issue list --format json"));
    assert!(!list.contains("法院执行款项"), "{list}");
    let found = ok(&ssh(
        p,
        &tax,
        "tax",
        "issue list --text 法院执行 --format json",
    ));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&found).unwrap(),
        serde_json::json!([])
    );
    // Nothing was written by the refusals.
    assert_eq!(issue(p, &lina, "lina", other)["status"], "assigned");

    // The supervisor supervises, and logs nothing.
    ok(&ssh(
        p,
        &jiwei,
        "jiwei",
        &format!("issue supervise {other} --reason 请加快"),
    ));
    assert_eq!(issue(p, &jiwei, "jiwei", other)["supervised"], true);
    let o = ssh(
        p,
        &jiwei,
        "jiwei",
        "issue add --enterprise 长安 --category 其他 --text x",
    );
    assert_eq!(o.status.code(), Some(3));

    // Two sessions transfer the same issue at once: the desk in its TUI starts a transfer,
    // the other desk transfers first; the TUI's is refused with who changed it and how.
    let wang = tty(p, &keys.key("wang"), "wang", 120, 36);
    wang.wait_for("值班签到");
    wang.keys(&["Enter"]);
    wang.wait_for("工作台");
    wang.keys(&["F3"]);
    wang.wait_for("问题列表");
    // Find it by its text, open it, begin a transfer.
    wang.keys(&["f"]);
    wang.wait_for("筛选");
    for _ in 0..4 {
        wang.keys(&["Tab"]);
    }
    wang.text("法院执行");
    wang.keys(&["Enter"]);
    wang.wait_for_line(&["已交办", "区法院"]);
    wang.keys(&["Enter"]);
    wang.wait_for("问题详情");
    wang.keys(&["t"]);
    wang.wait_for("区财政局");
    ok(&ssh(
        p,
        &lina,
        "lina",
        &format!("issue transfer {other} 区财政局 --reason 属财政事项"),
    ));
    wang.text("商务");
    wang.keys(&["Enter"]);
    wang.wait_for("理由");
    wang.text("归口调整");
    wang.keys(&["Enter"]);
    wang.wait_for("已被李娜");
    let v = issue(p, &lina, "lina", other);
    assert_eq!(v["unit_id"], "finance", "the first transfer stands, alone");

    // An issue transferred away from the unit leaves the unit's screen, unasked.
    let moved = add(p, &lina, "lina", "用地审批咨询");
    ok(&ssh(
        p,
        &lina,
        "lina",
        &format!("issue assign {moved} 区税务局"),
    ));
    unit.wait_for_line(&["已交办", "区税务局"]);
    ok(&ssh(
        p,
        &lina,
        "lina",
        &format!("issue transfer {moved} 区财政局 --reason 属财政事项"),
    ));
    unit.wait_until("the transferred issue has left the unit's list", |s| {
        !s.lines()
            .any(|l| l.contains("已交办") && l.contains("区税务局"))
            && !s.contains("区财政局")
    });
    // Its units board has its own row only.
    unit.keys(&["F5"]);
    unit.wait_for("单位看板");
    let board = unit.wait_for_line(&["区税务局"]);
    assert!(!unit.screen().contains("区法院"), "{board}");

    unit.keys(&["C-c"]);
    assert_eq!(unit.wait_exit(), 0);
}

#[test]
fn kill_minus_9_of_the_server_loses_no_acknowledged_record() {
    let keys = Keys::new();
    let dir = desk(&keys);
    let mut srv = Server::start(dir.path(), &[]);
    let p = srv.port;
    // Issues the unit will work on during the stream.
    let lina = keys.key("lina");
    let mut theirs = Vec::new();
    for n in 0..30 {
        let id = add(p, &lina, "lina", &format!("待对接{n}"));
        ok(&ssh(p, &lina, "lina", &format!("issue assign {id} tax")));
        theirs.push(id);
    }
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
    use std::sync::Arc;
    let stop = Arc::new(AtomicBool::new(false));
    let counts: Arc<[AtomicUsize; 3]> = Arc::new(Default::default());
    let streams: Vec<_> = [("lina", 0), ("wang", 1), ("tax", 2)]
        .into_iter()
        .map(|(user, k)| {
            let key = keys.key(user);
            let (stop, counts) = (stop.clone(), counts.clone());
            let theirs = theirs.clone();
            std::thread::spawn(move || {
                let mut acked = Vec::new();
                for n in 0.. {
                    if stop.load(SeqCst) {
                        break;
                    }
                    let cmd = if k < 2 {
                        format!("issue add --enterprise 长安 --category 其他 --text '{user}流{n}'")
                    } else if let Some(id) = theirs.get(n) {
                        format!("issue contact {id}")
                    } else {
                        break;
                    };
                    let o = ssh(p, &key, user, &cmd);
                    if o.status.success() {
                        acked.push(cmd);
                        counts[k].fetch_add(1, SeqCst);
                    } else if acked.len() > 3 {
                        // The server is gone.
                        break;
                    }
                }
                acked
            })
        })
        .collect();
    // Let each stream have some commits acknowledged, then kill the server outright.
    let t = Instant::now();
    while counts.iter().any(|c| c.load(SeqCst) < 5) {
        assert!(t.elapsed() < Duration::from_secs(60), "streams stalled");
        std::thread::sleep(Duration::from_millis(20));
    }
    srv.kill9();
    stop.store(true, SeqCst);
    let acked: Vec<Vec<String>> = streams.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(
        acked.iter().all(|a| !a.is_empty()),
        "every stream committed something"
    );
    // It starts again, accepts connections, and has every acknowledged record.
    let srv2 = Server::start(dir.path(), &[]);
    let list = ok(&ssh(srv2.port, &lina, "lina", "issue list --format json"));
    let all: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap();
    let mut lost = 0;
    for cmd in acked.iter().flatten() {
        if let Some(text) = cmd.split('\'').nth(1) {
            if !all.iter().any(|i| i["description"] == text) {
                lost += 1;
            }
        } else if let Some(id) = cmd.strip_prefix("issue contact ") {
            let id: u64 = id.parse().unwrap();
            let i = all.iter().find(|i| i["id"] == id).unwrap();
            if i["status"] != "in_progress" {
                lost += 1;
            }
        }
    }
    let n: usize = acked.iter().map(Vec::len).sum();
    println!("kill -9 of the server: {n} acknowledged commits from 3 sessions, {lost} lost");
    assert_eq!(lost, 0);
    assert!(cli(dir.path(), &["verify"]).status.success());
}

#[test]
fn bad_input_over_ssh() {
    let keys = Keys::new();
    let dir = desk(&keys);
    let srv = Server::start(dir.path(), &["--lockout-seconds", "1"]);
    let p = srv.port;
    let (lina, tax) = (keys.key("lina"), keys.key("tax"));
    // A subcommand that does not exist, an unbalanced quote, a bad value: exit 2, saying so.
    let o = ssh(p, &lina, "lina", "issue frobnicate 3");
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(!err(&o).is_empty());
    let o = ssh(p, &lina, "lina", "issue add --text 'unbalanced");
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("引号"), "{}", err(&o));
    let o = ssh(p, &lina, "lina", "issue list --status 没有的状态");
    assert_eq!(o.status.code(), Some(2));

    // The TUI in a window one cell wide: a message if anything fits, never a crash; then a
    // real size, and it works.
    let tiny = tty(p, &lina, "lina", 1, 1);
    tiny.tmux(&["resize-window", "-x", "80", "-y", "24"]);
    tiny.wait_for("值班签到");
    // A client that disconnects in the middle of a form: what was typed is kept.
    tiny.keys(&["Enter"]);
    tiny.wait_for("工作台");
    tiny.keys(&["C-n"]);
    tiny.wait_for("登记新问题");
    tiny.text("长安");
    tiny.wait_for("重庆长安汽车股份有限公司");
    tiny.keys(&["Enter"]);
    tiny.wait_for("✓ ");
    tiny.keys(&["Tab", "Tab", "Tab", "Tab"]);
    tiny.text("断线前填写的问题描述");
    tiny.wait_for("断线前填写");
    drop(tiny); // kills tmux, and with it the ssh client
    let drafts = dir.path().join("drafts-lina.json");
    let t = Instant::now();
    loop {
        let text = std::fs::read_to_string(&drafts).unwrap_or_default();
        if text.contains("断线前填写的问题描述") {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "draft not kept: {text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The server is unharmed.
    ok(&ssh(p, &tax, "tax", "issue list"));

    // Unknown account, wrong key, disabled account: refused, and logged with the address.
    for (user, key) in [
        ("nobody", &lina),
        ("lina", &tax),
        ("gone", &keys.key("gone")),
    ] {
        let o = ssh(p, key, user, "issue list");
        assert_eq!(o.status.code(), Some(255), "{user}: {}", err(&o));
    }
    // Twenty failed logins: the address is locked out, then again for longer.
    for _ in 0..20 {
        let _ = ssh(p, &tax, "lina", "issue list");
    }
    let log = std::fs::read_to_string(dir.path().join("dutydesk.log")).unwrap();
    for want in ["unknown account", "disabled", "wrong key", "127.0.0.1"] {
        assert!(log.contains(want), "log lacks {want:?}");
    }
    let lockouts: Vec<u64> = log
        .lines()
        .filter(|l| l.contains("SSH logins for address 127.0.0.1 locked out for"))
        .filter_map(|l| {
            l.split("locked out for ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    assert!(lockouts.len() >= 2, "{lockouts:?}\n{log}");
    assert!(
        lockouts.windows(2).all(|w| w[1] > w[0]),
        "delays grow: {lockouts:?}"
    );
    drop(srv);
}

#[test]
fn local_commands_go_through_a_running_server() {
    let keys = Keys::new();
    let dir = desk(&keys);
    let d = dir.path();
    let mut srv = Server::start(d, &[]);
    // The socket in the data directory is the owner's only.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(d.join("serve.sock"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // A command on this machine works instead of "in use", and is seen over SSH at once.
    let o = cli(
        d,
        &[
            "issue",
            "add",
            "--enterprise",
            "长安",
            "--category",
            "其他",
            "--text",
            "本机登记",
        ],
    );
    let out = ok(&o);
    let id: u64 = out.split_whitespace().next().unwrap().parse().unwrap();
    let v = issue(srv.port, &keys.key("jiwei"), "jiwei", id);
    assert_eq!(v["logged_by"], "管理员");
    // Relative paths mean the caller's directory.
    let backup = d.join("backup-through-server");
    let o = Command::new(BIN)
        .current_dir(d)
        .args(["backup", "backup-through-server"])
        .env("DUTYDESK_DATA", d)
        .env("DUTYDESK_NOW", NOW)
        .output()
        .unwrap();
    ok(&o);
    assert!(backup.join("journal.jsonl").exists());
    // Accounts are managed the same way, while it runs.
    let key = keys.key("newdesk").with_extension("pub");
    ok(&cli(
        d,
        &[
            "account",
            "add",
            "zhao",
            "--role",
            "desk",
            "--key",
            key.to_str().unwrap(),
        ],
    ));
    ok(&ssh(srv.port, &keys.key("newdesk"), "zhao", "issue list"));
    // Keys never reach the journal or a backup.
    let journal = std::fs::read_to_string(d.join("journal.jsonl")).unwrap();
    let pubkey = std::fs::read_to_string(&key).unwrap();
    let blob = pubkey.split_whitespace().nth(1).unwrap();
    assert!(!journal.contains(blob));
    assert!(!backup.join("access.json").exists());
    // SIGTERM: exit 0, the socket gone, the store free for commands of its own.
    assert_eq!(srv.stop(), Some(0));
    assert!(!d.join("serve.sock").exists());
    ok(&cli(d, &["issue", "show", &id.to_string()]));
}

#[test]
fn enterprise_show_goes_through_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&cli(
        d,
        &["enterprise", "import", &common::fixture("search.csv")],
    ));
    let mut srv = Server::start(d, &[]);
    assert!(d.join("serve.sock").exists());
    // The server holds the store: an answer means the command went through the socket.
    let served = ok(&cli(d, &["enterprise", "show", "重庆长安汽车股份有限公司"]));
    assert!(
        served.contains("重庆长安汽车股份有限公司") && served.contains("91500107J2K0XTF8H4"),
        "{served}"
    );
    let v: serde_json::Value = serde_json::from_str(&ok(&cli(
        d,
        &[
            "enterprise",
            "show",
            "91500107J2K0XTF8H4",
            "--format",
            "json",
        ],
    )))
    .unwrap();
    assert_eq!(v["enterprise"]["name"], "重庆长安汽车股份有限公司", "{v}");
    // Bad input comes back the same way: exit 2 and the reason, in the caller's language.
    let o = cli(d, &["--lang", "en", "enterprise", "show", "不存在的企业"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("不存在的企业"), "{}", err(&o));
    // Once the server is gone the command opens the store itself and prints the same page.
    assert_eq!(srv.stop(), Some(0));
    assert_eq!(
        ok(&cli(d, &["enterprise", "show", "重庆长安汽车股份有限公司"])),
        served
    );
}

/// The residency programme's roles over SSH: the desk manages placements but neither enters
/// nor reads the firms' scores; a unit sees only its own cadres' placements and never the
/// scores; the supervisor reads all, scores included, and changes nothing.
#[test]
fn residency_roles_and_the_hidden_scores() {
    let keys = Keys::new();
    let dir = desk(&keys);
    let d = dir.path();
    for args in [
        vec![
            "residency",
            "round",
            "add",
            "--no",
            "1",
            "--start",
            "2026-11-16",
            "--organisers",
            "区委组织部",
        ],
        vec![
            "residency",
            "place",
            "--round",
            "1",
            "--enterprise",
            "长安",
            "--cadre",
            "张伟/tax/科级",
            "--cadre",
            "李明/economy",
        ],
        vec![
            "residency",
            "place",
            "--round",
            "1",
            "--enterprise",
            "戴卡",
            "--cadre",
            "周强/court",
            "--cadre",
            "孙丽/economy",
        ],
        vec![
            "residency",
            "score",
            "--placement",
            "1",
            "--cadre",
            "张伟",
            "--score",
            "5,5,4,5",
            "--comment",
            "秘密评语",
        ],
    ] {
        ok(&cli(d, &args));
    }
    let srv = Server::start(d, &[]);
    let p = srv.port;
    let (lina, tax, jiwei) = (keys.key("lina"), keys.key("tax"), keys.key("jiwei"));

    // The cadre's own unit: its placement only, no score, and no way to the scores.
    let listed = ok(&ssh(p, &tax, "tax", "residency placements --format json"));
    let v: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let ids: Vec<u64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![1], "{listed}");
    let shown = ok(&ssh(p, &tax, "tax", "residency show 1 --format json"));
    assert!(
        !shown.contains("秘密评语") && !shown.contains("\"scores\""),
        "{shown}"
    );
    assert!(!ok(&ssh(p, &tax, "tax", "residency show 1")).contains("企业评分"));
    let o = ssh(p, &tax, "tax", "residency scores --round 1");
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("秘密评语"));
    let o = ssh(p, &tax, "tax", "residency show 2");
    assert_ne!(o.status.code(), Some(0), "another unit's placement");
    let o = ssh(
        p,
        &tax,
        "tax",
        "residency suggestion --placement 1 --cadre 张伟 --suggestion x",
    );
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));

    // The desk manages placements, but the scores are not its to enter or read.
    ok(&ssh(
        p,
        &lina,
        "lina",
        "residency suggestion --placement 1 --cadre 张伟 --suggestion 建议设立共享检测平台",
    ));
    let o = ssh(p, &lina, "lina", "residency scores");
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    let o = ssh(
        p,
        &lina,
        "lina",
        "residency score --placement 1 --cadre 李明 --score 5,5,5,5",
    );
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(!ok(&ssh(p, &lina, "lina", "residency show 1 --format json")).contains("秘密评语"));

    // The supervisor reads every placement and the scores, and may not change them.
    let csv = ok(&ssh(p, &jiwei, "jiwei", "residency scores --round 1"));
    assert!(csv.contains("秘密评语") && csv.contains("张伟"), "{csv}");
    assert!(ok(&ssh(p, &jiwei, "jiwei", "residency show 1")).contains("企业评分"));
    let all = ok(&ssh(
        p,
        &jiwei,
        "jiwei",
        "residency placements --format json",
    ));
    let v: serde_json::Value = serde_json::from_str(&all).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    let o = ssh(
        p,
        &jiwei,
        "jiwei",
        "residency place --round 1 --enterprise 长安 --cadre 甲/tax --cadre 乙/court",
    );
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    drop(srv);
}
