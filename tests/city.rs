//! District to city, against a real PostgreSQL (a private cluster per test): two districts
//! in one database, a second sync that changes nothing, a sync killed mid-way that resumes
//! with no gap and no duplicate, rewritten and shortened journals refused, the city report
//! equal to the district's own, and a server that keeps working while PostgreSQL is away
//! and catches up when it is back.

mod common;
mod pg;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{must, run, BIN};
use pg::Cluster;

const NOW: &str = "2026-11-20T10:00:00";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A demo store of `issues` issues for district `code`.
fn district(root: &Path, code: &str, name: &str, seed: u64, issues: u32) -> std::path::PathBuf {
    let d = root.join(code);
    must(
        &d,
        NOW,
        &[
            "demo",
            "--no-tui",
            "--seed",
            &seed.to_string(),
            "--issues",
            &issues.to_string(),
            "--enterprises",
            "200",
        ],
    );
    std::fs::write(
        d.join("config.toml"),
        format!("[district]\ncode = \"{code}\"\nname = \"{name}\"\n"),
    )
    .unwrap();
    d
}

/// The journal's last event number, as `verify --json` reports it.
fn events(d: &Path) -> u64 {
    let o = must(d, NOW, &["verify", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["events"].as_u64().unwrap()
}

/// A command's JSON output.
fn json_of(d: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_slice(&must(d, NOW, args).stdout).unwrap()
}

fn sync(d: &Path, url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["sync", "--postgres", url];
    args.extend_from_slice(extra);
    run(d, NOW, &args)
}

fn counts(pg: &Cluster, db: &str, code: &str) -> (u64, u64, u64, u64) {
    let q = |t: &str, col: &str| {
        pg.count(
            db,
            &format!("SELECT count({col}) FROM {t} WHERE district = '{code}'"),
        )
    };
    (
        q("dd_events", "*"),
        q("dd_events", "DISTINCT seq"),
        q("dd_facts", "*"),
        q("dd_issues", "*"),
    )
}

#[test]
fn two_districts_sync_into_one_database_and_a_second_sync_changes_nothing() {
    let pg = Cluster::start();
    pg.createdb("city");
    let url = pg.url("city");
    let t = tempfile::tempdir().unwrap();
    let a = district(t.path(), "500107", "九龙坡区", 7, 300);
    let b = district(t.path(), "500108", "南岸区", 11, 200);
    for d in [&a, &b] {
        let o = sync(d, &url, &[]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(
            text(&o.stdout).contains("市级副本链头"),
            "{}",
            text(&o.stdout)
        );
    }
    let (ea, eb) = (events(&a), events(&b));
    let first_a = counts(&pg, "city", "500107");
    let first_b = counts(&pg, "city", "500108");
    assert_eq!((first_a.0, first_a.1, first_a.3), (ea, ea, 300));
    assert_eq!((first_b.0, first_b.1, first_b.3), (eb, eb, 200));
    // Both districts have an issue 1: keyed by district, they never collide.
    assert_eq!(
        pg.count("city", "SELECT count(*) FROM dd_issues WHERE id = 1"),
        2
    );
    // Every new event carries its district; the journals of the demo were written after the
    // district was configured only for later events, so the envelope is checked on a new one.
    must(
        &a,
        NOW,
        &["issue", "note", "1", "--text", "市里来电询问进展"],
    );
    let last = pg.count(
        "city",
        "SELECT count(*) FROM dd_events WHERE district = '500107'",
    );
    let o = sync(&a, &url, &[]);
    assert!(text(&o.stdout).contains(" 1 条事件"), "{}", text(&o.stdout));
    let body = pg.sql(
        "city",
        &format!(
            "SELECT body FROM dd_events WHERE district = '500107' AND seq = {}",
            last + 1
        ),
    );
    assert!(body.contains("\"district\":\"500107\""), "{body}");
    // The second sync of each: nothing sent, nothing changed.
    let before = pg.sql(
        "city",
        "SELECT md5(string_agg(district || seq || hash, ',' ORDER BY district, seq)) FROM dd_events",
    );
    for d in [&a, &b] {
        let o = sync(d, &url, &[]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(text(&o.stdout).contains(" 0 条事件"), "{}", text(&o.stdout));
    }
    let after = pg.sql(
        "city",
        "SELECT md5(string_agg(district || seq || hash, ',' ORDER BY district, seq)) FROM dd_events",
    );
    assert_eq!(before, after);
    assert_eq!(counts(&pg, "city", "500108"), first_b);
    // The city copy is a witness: each verifies against it.
    for d in [&a, &b] {
        let o = run(d, NOW, &["verify", "--postgres", &url]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(
            text(&o.stdout).contains("逐条哈希一致"),
            "{}",
            text(&o.stdout)
        );
    }
    // The chain can be checked in SQL alone: each row's prev is the hash before it.
    assert_eq!(
        pg.count(
            "city",
            "SELECT count(*) FROM dd_events e JOIN dd_events p ON p.district = e.district AND p.seq = e.seq - 1 WHERE e.prev <> p.hash",
        ),
        0
    );

    // The city report for one district equals that district's own report, figure for
    // figure, over several ranges; across districts each unit's counts are the sums.
    for (from, to) in [
        ("2026-11-01", "2026-11-20"),
        ("2026-10-01", "2026-10-31"),
        ("2026-08-01", "2026-11-20"),
    ] {
        let range = ["--from", from, "--to", to, "--format", "json"];
        let own = json_of(&a, &[&["report"][..], &range].concat());
        let city = json_of(
            &a,
            &[
                &["city", "report", "--postgres", &url, "--district", "500107"][..],
                &range,
            ]
            .concat(),
        );
        let mine = &city["by_district"][0]["report"];
        for k in ["units", "totals", "other_departments"] {
            assert_eq!(own[k], mine[k], "{k} for {from}..{to}");
        }
        assert!(own["totals"]["issues_logged"].as_u64().unwrap() > 0 || from > "2026-11");
        let own_b = json_of(&b, &[&["report"][..], &range].concat());
        let all = json_of(
            &a,
            &[&["city", "report", "--postgres", &url][..], &range].concat(),
        );
        assert_eq!(all["districts"].as_array().unwrap().len(), 2);
        for unit in all["units"].as_array().unwrap() {
            let id = unit["unit_id"].as_str().unwrap();
            let get = |r: &serde_json::Value, f: &str| {
                r["units"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|u| u["unit_id"] == id)
                    .map_or(0, |u| u[f].as_u64().unwrap())
            };
            for f in [
                "received",
                "closed",
                "contact_due",
                "reply_on_time",
                "evaluations",
            ] {
                assert_eq!(
                    unit[f].as_u64().unwrap(),
                    get(&own, f) + get(&own_b, f),
                    "{id} {f} {from}..{to}"
                );
            }
        }
        let received: u64 = all["districts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["received"].as_u64().unwrap())
            .sum();
        assert_eq!(
            received,
            own["totals"]["issues_logged"].as_u64().unwrap()
                + own_b["totals"]["issues_logged"].as_u64().unwrap()
        );
    }
    let md = must(
        &a,
        NOW,
        &["city", "report", "--postgres", &url, "--format", "md"],
    );
    let md = text(&md.stdout);
    assert!(md.contains("九龙坡区") && md.contains("南岸区"), "{md}");
    let csv = must(
        &a,
        NOW,
        &["city", "report", "--postgres", &url, "--format", "csv"],
    );
    assert!(csv.stdout.starts_with(b"\xEF\xBB\xBF"), "BOM");
}

#[test]
fn a_sync_killed_mid_transaction_resumes_with_no_gap_and_no_duplicate() {
    let pg = Cluster::start();
    let url = pg.url("postgres");
    let t = tempfile::tempdir().unwrap();
    let d = district(t.path(), "500107", "九龙坡区", 7, 400);
    let total = events(&d);
    // The third chunk's transaction is cut off before its commit, as a kill -9 would.
    let o = Command::new(BIN)
        .args(["sync", "--postgres", &url, "--batch", "100"])
        .env("DUTYDESK_DATA", &d)
        .env("DUTYDESK_NOW", NOW)
        .env("DUTYDESK_CRASH_AT", "city.commit:3")
        .output()
        .unwrap();
    assert!(!o.status.success());
    let held = pg.count("postgres", "SELECT count(*) FROM dd_events");
    assert!(held > 0 && held < total, "{held} of {total}");
    assert_eq!(
        pg.count("postgres", "SELECT max(seq) FROM dd_events"),
        held,
        "the city copy is a prefix"
    );
    assert_eq!(pg.count("postgres", "SELECT seq FROM dd_districts"), held);
    // A real kill -9, at whatever moment it lands, then the resumption.
    let mut child = Command::new(BIN)
        .args(["sync", "--postgres", &url, "--batch", "20"])
        .env("DUTYDESK_DATA", &d)
        .env("DUTYDESK_NOW", NOW)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while pg.count("postgres", "SELECT count(*) FROM dd_events") == held
        && start.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    let o = sync(&d, &url, &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (n, distinct, facts, issues) = counts(&pg, "postgres", "500107");
    assert_eq!((n, distinct), (total, total));
    assert_eq!(
        pg.count("postgres", "SELECT max(seq) FROM dd_events"),
        total
    );
    assert_eq!(issues, 400);
    assert_eq!(
        facts,
        pg.count(
            "postgres",
            "SELECT count(*) FROM dd_events WHERE target LIKE 'issue:%'"
        )
    );
    let o = run(&d, NOW, &["verify", "--postgres", &url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // The day counts were written with their facts, never twice.
    assert_eq!(
        pg.count("postgres", "SELECT sum(contacts) FROM dd_daily"),
        pg.count(
            "postgres",
            "SELECT count(*) FROM dd_facts WHERE kind = 'contacted' AND credit IS NOT NULL"
        )
    );
    let own = must(
        &d,
        NOW,
        &["report", "--from", "2026-10-01", "--format", "json"],
    );
    let own: serde_json::Value = serde_json::from_slice(&own.stdout).unwrap();
    let city = json_of(
        &d,
        &[
            "city",
            "report",
            "--postgres",
            &url,
            "--from",
            "2026-10-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(own["units"], city["by_district"][0]["report"]["units"]);
    assert_eq!(own["totals"], city["by_district"][0]["report"]["totals"]);
}

#[test]
fn a_rewritten_or_shortened_journal_is_refused_and_nothing_is_sent() {
    let pg = Cluster::start();
    let url = pg.url("postgres");
    let t = tempfile::tempdir().unwrap();
    let d = district(t.path(), "500107", "九龙坡区", 7, 100);
    let backup = t.path().join("backup");
    must(&d, NOW, &["backup", backup.to_str().unwrap()]);
    must(&d, NOW, &["issue", "note", "2", "--text", "补充材料已收到"]);
    assert!(sync(&d, &url, &[]).status.success());
    let held = pg.count("postgres", "SELECT count(*) FROM dd_events");

    // The journal put back to an older copy: shorter than what the city holds.
    must(&d, NOW, &["restore", backup.to_str().unwrap()]);
    let o = sync(&d, &url, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("已停止"), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains(&held.to_string()),
        "{}",
        text(&o.stderr)
    );
    // The same number of events again, but different ones: the chain differs.
    must(&d, NOW, &["issue", "note", "3", "--text", "另一条备注"]);
    let o = sync(&d, &url, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let e = text(&o.stderr);
    assert!(
        e.contains("已停止") && e.contains(&format!("第 {held} 条")),
        "{e}"
    );
    assert_eq!(pg.count("postgres", "SELECT count(*) FROM dd_events"), held);
    let o = run(&d, NOW, &["verify", "--postgres", &url]);
    assert!(!o.status.success());
    assert!(text(&o.stdout).contains("不一致"), "{}", text(&o.stdout));

    // Another district's store configured with this district's code.
    let other = district(t.path(), "other", "别处", 99, 100);
    std::fs::write(
        other.join("config.toml"),
        "[district]\ncode = \"500107\"\nname = \"九龙坡区\"\n",
    )
    .unwrap();
    let o = sync(&other, &url, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(pg.count("postgres", "SELECT count(*) FROM dd_events"), held);
}

#[test]
fn bad_urls_and_a_missing_district_are_refused_clearly() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("d");
    must(
        &d,
        NOW,
        &["demo", "--no-tui", "--issues", "10", "--enterprises", "10"],
    );
    let o = sync(&d, "postgres://u:secret@127.0.0.1:1/x?sslmode=disable", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("[district]"),
        "{}",
        text(&o.stderr)
    );
    std::fs::write(
        d.join("config.toml"),
        "[district]\ncode = \"5001\"\nname = \"x\"\n",
    )
    .unwrap();
    let o = run(&d, NOW, &["issue", "list"]);
    let e = text(&o.stderr);
    assert!(
        e.contains("config.toml") && e.contains("district.code"),
        "{e}"
    );
    std::fs::write(
        d.join("config.toml"),
        "[district]\ncode = \"500107\"\nname = \"九龙坡区\"\n",
    )
    .unwrap();
    let o = sync(&d, "postgres://u:secret@127.0.0.1:1/x?sslmode=strict", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!text(&o.stderr).contains("secret"), "{}", text(&o.stderr));
    // Nobody listens there: a clear failure that never shows the password.
    let o = sync(&d, "postgres://u:secret@127.0.0.1:1/x?sslmode=disable", &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = text(&o.stderr);
    assert!(e.contains("无法连接") && !e.contains("secret"), "{e}");
}

struct Served {
    child: std::process::Child,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for(what: &str, limit: Duration, mut f: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
    start.elapsed()
}

#[test]
fn a_server_streams_commits_keeps_working_while_postgres_is_away_and_catches_up() {
    let pg = Cluster::start();
    let url = pg.url("postgres");
    let t = tempfile::tempdir().unwrap();
    let d = district(t.path(), "500107", "九龙坡区", 7, 100);
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--postgres", &url])
        .env("DUTYDESK_DATA", &d)
        .env("DUTYDESK_NOW", NOW)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("127.0.0.1:"), "{line}");
    let _server = Served { child };
    let held = || pg.count("postgres", "SELECT coalesce(max(seq), 0) FROM dd_events");
    // What the desk held when it started reaches the city.
    let total = events(&d);
    wait_for("the first catch-up", Duration::from_secs(60), || {
        held() == total
    });
    // A commit reaches PostgreSQL within 5 seconds.
    must(&d, NOW, &["issue", "note", "1", "--text", "企业补充了材料"]);
    let took = wait_for("the note", Duration::from_secs(30), || held() == total + 1);
    assert!(took < Duration::from_secs(5), "{took:?}");

    // The server is the one that syncs its store.
    let o = sync(&d, &url, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("serve --postgres"),
        "{}",
        text(&o.stderr)
    );

    // PostgreSQL goes away: the desk keeps working.
    pg.down();
    for k in 0..3 {
        must(
            &d,
            NOW,
            &[
                "issue",
                "note",
                "2",
                "--text",
                &format!("第 {k} 次电话回访"),
            ],
        );
    }
    let o = must(&d, NOW, &["issue", "show", "2", "--format", "json"]);
    assert!(text(&o.stdout).contains("第 2 次电话回访"));
    // Back again: the server catches up by itself.
    pg.up();
    wait_for("the catch-up", Duration::from_secs(60), || {
        held() == total + 4
    });
    let o = run(&d, NOW, &["verify", "--postgres", &url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl (installed with PostgreSQL's ssl-cert)");
    assert!(o.status.success(), "openssl {args:?}: {}", text(&o.stderr));
}

/// A certificate authority and a server certificate for localhost signed by it.
fn certificates(dir: &Path, ca: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{ca}.key"),
            "-out",
            &format!("{ca}.pem"),
            "-days",
            "2",
            "-subj",
            "/CN=dutydesk test CA",
        ],
    );
}

#[test]
fn tls_is_required_or_verified_as_the_url_says() {
    let pg = Cluster::start_with(|dir| {
        certificates(dir, "ca");
        openssl(
            dir,
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ],
        );
        std::fs::write(
            dir.join("san.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
        )
        .unwrap();
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "san.ext",
            ],
        );
        certificates(dir, "other");
        std::fs::set_permissions(
            dir.join("server.key"),
            std::os::unix::fs::PermissionsExt::from_mode(0o600),
        )
        .unwrap();
        // Over TCP, TLS or nothing.
        std::fs::write(
            dir.join("hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\nhostnossl all all 127.0.0.1/32 reject\nhostnossl all all ::1/128 reject\n",
        )
        .unwrap();
        format!(
            "-c ssl=on -c ssl_cert_file={0}/server.crt -c ssl_key_file={0}/server.key -c hba_file={0}/hba.conf",
            dir.display()
        )
    });
    let t = tempfile::tempdir().unwrap();
    let d = district(t.path(), "500107", "九龙坡区", 7, 20);
    let base = format!("postgres://postgres@localhost:{}/postgres", pg.port);
    let ca = pg.socket_dir().join("ca.pem");
    let other = pg.socket_dir().join("other.pem");
    // Encrypted, unverified; then verified against the authority that signed it.
    let o = sync(&d, &format!("{base}?sslmode=require"), &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = sync(
        &d,
        &format!("{base}?sslmode=verify-full&sslrootcert={}", ca.display()),
        &[],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains(" 0 条事件"), "{}", text(&o.stdout));
    // The server takes nothing unencrypted: the syncs above were over TLS.
    let o = sync(&d, &format!("{base}?sslmode=disable"), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    // A certificate from another authority is refused.
    let o = sync(
        &d,
        &format!("{base}?sslmode=verify-full&sslrootcert={}", other.display()),
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(text(&o.stderr).contains("无法连接"), "{}", text(&o.stderr));
}

#[test]
fn the_password_comes_from_pgpassword_or_the_password_file_and_is_never_shown() {
    let pg = Cluster::start_with(|dir| {
        std::fs::write(
            dir.join("hba.conf"),
            "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n",
        )
        .unwrap();
        format!(
            "-c password_encryption=scram-sha-256 -c hba_file={}/hba.conf",
            dir.display()
        )
    });
    pg.sql("postgres", "ALTER USER postgres PASSWORD 'Qq-s3cret'");
    let t = tempfile::tempdir().unwrap();
    let d = district(t.path(), "500107", "九龙坡区", 7, 20);
    let url = pg.url("postgres");
    let sync_with = |url: &str, env: &[(&str, &str)]| {
        let mut c = Command::new(BIN);
        c.args(["sync", "--postgres", url])
            .env("DUTYDESK_DATA", &d)
            .env("DUTYDESK_NOW", NOW)
            .env_remove("PGPASSWORD")
            .env("PGPASSFILE", t.path().join("no-such-file"));
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let o = sync_with(&url, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("无法连接"), "{}", text(&o.stderr));
    let o = sync_with(&url, &[("PGPASSWORD", "Qq-s3cret")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!text(&o.stdout).contains("Qq-s3cret"));
    let pass = t.path().join("pgpass");
    std::fs::write(
        &pass,
        format!("127.0.0.1:{}:postgres:postgres:Qq-s3cret\n", pg.port),
    )
    .unwrap();
    let o = sync_with(&url, &[("PGPASSFILE", pass.to_str().unwrap())]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // A wrong password in the URL is refused and not repeated back.
    let wrong = url.replace("postgres@", "postgres:Zz-wrong@");
    let o = sync_with(&wrong, &[]);
    assert_eq!(o.status.code(), Some(1));
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        !all.contains("Zz-wrong") && all.contains("无法连接"),
        "{all}"
    );
}
