//! SIGKILL: the real `frontline` binary is killed in the middle of a burst of visitor messages
//! and started again on the same store, several times. What must hold after each restart:
//! every acknowledged message is stored, each client id once, nothing that was not sent; a
//! message sent again with its client id (acknowledged or not) is stored once; and every
//! snooze that came due (while the server ran, or while it was down) woke its dialog exactly
//! once, with one system line. On SQLite, and on PostgreSQL (a schema of its own).
//!
//! The binary uses the system clock, so the timers are snoozes a second or two ahead, and the
//! test waits (bounded) for their outcome; nothing here asserts a duration.

use frontline_core::views::rfc3339;
use frontline_domain::Timestamp;
use frontline_store::{AccountStore, Store};
use frontline_store_postgres::PgStore;
use frontline_testkit::ADMIN_PASSWORD;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Kill-and-restart cycles per backend.
const CYCLES: usize = 3;
/// Sends in flight (sent, not yet acknowledged) during the burst: there are always some at
/// the moment of the kill.
const WINDOW: usize = 32;
/// At most this many sends per cycle (the kill comes long before).
const BURST_MAX: usize = 2_000;
/// Bounded waits for an outcome (a start, a timer firing): generous, never asserted as times.
const WAIT: Duration = Duration::from_secs(30);

/// A running `frontline serve`.
struct Frontline {
    child: tokio::process::Child,
    base: String,
    /// Kept open: the server must not meet a closed stdout.
    _stdout: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
}

impl Frontline {
    /// Starts the binary on `dir` (and `database`, else SQLite in `dir`); its log goes to
    /// `dir/server-{n}.log`.
    async fn start(dir: &Path, database: Option<&str>, n: usize) -> Self {
        let log = std::fs::File::create(dir.join(format!("server-{n}.log"))).expect("log file");
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_frontline"));
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(dir)
            .env("FRONTLINE_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("FRONTLINE_RATE_LIMITS", "false")
            .env("RUST_LOG", "info")
            .env_remove("FRONTLINE_CONFIG")
            .env_remove("FRONTLINE_DATABASE")
            .env_remove("FRONTLINE_BUS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true);
        if let Some(db) = database {
            cmd.arg("--database").arg(db);
        }
        let mut child = cmd.spawn().expect("start frontline");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let base = tokio::time::timeout(WAIT, async {
            while let Some(line) = lines.next_line().await.expect("stdout") {
                if let Some(url) = line.trim().strip_prefix("Console:") {
                    return url.trim().trim_end_matches("/console/").to_owned();
                }
            }
            panic!("frontline exited before printing its address (see {})", dir.display())
        })
        .await
        .expect("frontline printed its address");
        Self { child, base, _stdout: lines }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGKILL (what `start_kill` sends on Unix): no shutdown path runs.
    async fn kill(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    async fn admin(&self, http: &reqwest::Client) -> String {
        let resp = http
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"email": "admin@example.com", "password": ADMIN_PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status(), 200, "admin login");
        let set = resp.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
        set.split(';').next().unwrap_or_default().to_owned()
    }

    /// A widget session: a new visitor, or the one of `token`.
    async fn visitor(&self, http: &reqwest::Client, cookie: &str, token: Option<&str>) -> String {
        let sites: Value = http
            .get(self.url("/api/v1/sites"))
            .header("cookie", cookie)
            .send()
            .await
            .expect("sites")
            .json()
            .await
            .expect("json");
        let key = sites["items"][0]["key"].as_str().expect("the demo site").to_owned();
        let resp = http
            .post(self.url("/widget/v1/session"))
            .header("origin", &self.base)
            .json(&json!({"key": key, "token": token}))
            .send()
            .await
            .expect("session");
        assert_eq!(resp.status(), 200, "widget session");
        let session: Value = resp.json().await.expect("json");
        session["token"].as_str().expect("token").to_owned()
    }

    /// `POST /widget/v1/messages`: the status and the message.
    async fn send(&self, http: &reqwest::Client, token: &str, client_id: &str) -> (u16, Value) {
        let resp = http
            .post(self.url("/widget/v1/messages"))
            .header("origin", &self.base)
            .bearer_auth(token)
            .json(&json!({"client_id": client_id, "body": format!("сообщение {client_id}")}))
            .send()
            .await
            .expect("send");
        let status = resp.status().as_u16();
        (status, resp.json().await.expect("json"))
    }

    /// The visitor's whole history: how many times each client id is stored.
    async fn stored(&self, http: &reqwest::Client, token: &str) -> HashMap<String, usize> {
        let mut stored = HashMap::new();
        let mut after = 0;
        loop {
            let page: Value = http
                .get(self.url(&format!("/widget/v1/messages?after_seq={after}&limit=500")))
                .header("origin", &self.base)
                .bearer_auth(token)
                .send()
                .await
                .expect("history")
                .json()
                .await
                .expect("json");
            let items = page["items"].as_array().cloned().unwrap_or_default();
            let Some(last) = items.last() else { break };
            after = last["seq"].as_i64().expect("seq");
            for m in items.iter().filter(|m| m["author"]["kind"] == "visitor") {
                *stored.entry(m["client_id"].as_str().expect("client id").to_owned()).or_default() += 1;
            }
        }
        stored
    }

    /// A new visitor's dialog, snoozed by the admin until `in_ms` from now.
    async fn snoozed_dialog(&self, http: &reqwest::Client, cookie: &str, in_ms: i64) -> String {
        let token = self.visitor(http, cookie, None).await;
        let (status, m) = self.send(http, &token, "timer").await;
        assert_eq!(status, 201);
        let dialog = m["dialog_id"].as_str().expect("dialog id").to_owned();
        let until = rfc3339(Timestamp(frontline_store::records::now_ms() + in_ms));
        let resp = http
            .post(self.url(&format!("/api/v1/dialogs/{dialog}/snooze")))
            .header("cookie", cookie)
            .json(&json!({ "until": until }))
            .send()
            .await
            .expect("snooze");
        assert_eq!(resp.status(), 200, "snooze {dialog}");
        dialog
    }

    /// Whether the dialog is snoozed, and how many "woke: due" lines it has.
    async fn timer(&self, http: &reqwest::Client, cookie: &str, dialog: &str) -> (bool, usize) {
        let d: Value = http
            .get(self.url(&format!("/api/v1/dialogs/{dialog}")))
            .header("cookie", cookie)
            .send()
            .await
            .expect("dialog")
            .json()
            .await
            .expect("json");
        let m: Value = http
            .get(self.url(&format!("/api/v1/dialogs/{dialog}/messages")))
            .header("cookie", cookie)
            .send()
            .await
            .expect("messages")
            .json()
            .await
            .expect("json");
        let woke = m["items"]
            .as_array()
            .map(|items| {
                items.iter().filter(|m| m["event"]["kind"] == "unsnoozed" && m["event"]["reason"] == "due").count()
            })
            .unwrap_or_default();
        (!d["snoozed_until"].is_null(), woke)
    }

    /// Waits until each of `dialogs` has woken; then each must have woken exactly once.
    async fn woke_once(&self, http: &reqwest::Client, cookie: &str, dialogs: &[String]) {
        let deadline = Instant::now() + WAIT;
        for dialog in dialogs {
            loop {
                let (snoozed, woke) = self.timer(http, cookie, dialog).await;
                if !snoozed && woke > 0 {
                    assert_eq!(woke, 1, "dialog {dialog} woke {woke} times");
                    break;
                }
                assert!(Instant::now() < deadline, "dialog {dialog} did not wake (snoozed {snoozed}, woke {woke})");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

/// What one burst did: the client ids sent and those acknowledged.
struct Burst {
    sent: Vec<String>,
    acked: HashSet<String>,
}

/// Sends visitor messages over the widget socket, `WINDOW` in flight, and kills the server
/// when `kill_after` acks have come; reads what acks still arrive until the socket dies.
async fn burst_and_kill(server: Frontline, token: &str, cycle: usize, kill_after: usize) -> Burst {
    let url = format!("{}/widget/v1/ws?token={token}", server.base.replacen("http", "ws", 1));
    let mut req = url.into_client_request().expect("ws request");
    req.headers_mut().insert("origin", server.base.parse().expect("origin"));
    let (ws, _) = tokio_tungstenite::connect_async(req).await.expect("widget socket");
    let (mut tx, mut rx) = ws.split();
    let mut server = Some(server);
    let mut burst = Burst { sent: Vec::new(), acked: HashSet::new() };
    loop {
        while server.is_some() && burst.sent.len() < BURST_MAX && burst.sent.len() - burst.acked.len() < WINDOW {
            let id = format!("c{cycle}-{}", burst.sent.len());
            let frame = json!({"type": "send", "client_id": id, "body": format!("сообщение {id}")});
            if tx.send(Message::Text(frame.to_string().into())).await.is_err() {
                break;
            }
            burst.sent.push(id);
        }
        // Right after a refill: the sends just written are in flight when the kill lands.
        if burst.acked.len() >= kill_after
            && let Some(s) = server.take()
        {
            s.kill().await;
        }
        match tokio::time::timeout(WAIT, rx.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => {
                let f: Value = serde_json::from_str(&t).expect("a JSON frame");
                match f["type"].as_str() {
                    Some("ack") => {
                        burst.acked.insert(f["client_id"].as_str().expect("client id").to_owned());
                    }
                    Some("error") => panic!("a send was refused: {f}"),
                    _ => {}
                }
            }
            Ok(Some(Ok(_))) => {}
            // The server is gone: the socket ends (reset or closed).
            Ok(Some(Err(_)) | None) => break,
            Err(_) => panic!("no frame within {WAIT:?}"),
        }
    }
    assert!(server.is_none(), "the socket ended before the kill");
    burst
}

/// The cycles on one store: `database` `None` is SQLite in a fresh data folder.
async fn crash_cycles(database: Option<&str>) {
    let dir = frontline_testkit::temp_dir();
    let http = reqwest::Client::new();
    let mut server = Frontline::start(&dir, database, 0).await;
    let cookie = server.admin(&http).await;
    let token = server.visitor(&http, &cookie, None).await;
    let mut all_sent: Vec<String> = Vec::new();
    let mut all_acked: HashSet<String> = HashSet::new();
    let mut timers: Vec<String> = Vec::new();
    for cycle in 0..CYCLES {
        // A timer that comes due while the server runs: it wakes before the burst.
        let early = server.snoozed_dialog(&http, &cookie, 1_000).await;
        server.woke_once(&http, &cookie, std::slice::from_ref(&early)).await;
        timers.push(early);
        // One that comes due after the kill, while the server is down.
        let due_ms = 2_500;
        let set_at = Instant::now();
        let late = server.snoozed_dialog(&http, &cookie, due_ms).await;
        timers.push(late);

        let kill_after = 60 + 40 * cycle;
        let burst = burst_and_kill(server, &token, cycle, kill_after).await;
        eprintln!(
            "figure: {} cycle {cycle}: sent {}, acked {} before the kill",
            database.map_or("sqlite", |_| "postgres"),
            burst.sent.len(),
            burst.acked.len()
        );
        // Let the late timer come due while nothing runs.
        let due = Duration::from_millis(due_ms as u64 + 300);
        tokio::time::sleep(due.saturating_sub(set_at.elapsed())).await;

        // Same store, same admin session and visitor token: they were stored long before.
        server = Frontline::start(&dir, database, cycle + 1).await;
        let stored = server.stored(&http, &token).await;
        let lost: Vec<_> = burst.acked.iter().chain(&all_acked).filter(|id| !stored.contains_key(*id)).collect();
        assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
        let doubled: Vec<_> = stored.iter().filter(|(_, n)| **n > 1).collect();
        assert!(doubled.is_empty(), "stored twice: {doubled:?}");
        let sent: HashSet<&String> = burst.sent.iter().chain(&all_sent).collect();
        let invented: Vec<_> = stored.keys().filter(|id| !sent.contains(id)).collect();
        assert!(invented.is_empty(), "stored but never sent: {invented:?}");

        // The client sends again what it had no ack for, and a few it had: each once.
        let unacked: Vec<&String> = burst.sent.iter().filter(|id| !burst.acked.contains(*id)).collect();
        let mut committed_unacked = 0;
        for id in &unacked {
            let (status, _) = server.send(&http, &token, id).await;
            assert!(status == 201 || status == 200, "retry of {id}: {status}");
            committed_unacked += usize::from(status == 200);
        }
        for id in burst.acked.iter().take(5) {
            let (status, m) = server.send(&http, &token, id).await;
            assert_eq!((status, m["client_id"].as_str()), (200, Some(id.as_str())), "retry of acknowledged {id}");
        }
        eprintln!(
            "figure: {} cycle {cycle}: {} unacked at the kill, {committed_unacked} of them stored before it",
            database.map_or("sqlite", |_| "postgres"),
            unacked.len()
        );
        all_sent.extend(burst.sent);
        all_acked.extend(burst.acked);
        let stored = server.stored(&http, &token).await;
        assert_eq!(stored.len(), all_sent.len(), "every send stored");
        assert!(stored.values().all(|n| *n == 1), "each once");

        // The late timer fired after the restart, and no timer fired again.
        server.woke_once(&http, &cookie, &timers).await;
    }
    let (acked, sent) = (all_acked.len(), all_sent.len());
    eprintln!(
        "figure: {} {CYCLES} cycles: {sent} sent, {acked} acked, all stored once; {} timers fired once",
        database.map_or("sqlite", |_| "postgres"),
        timers.len()
    );
    server.kill().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn sqlite_keeps_every_acknowledged_message_and_fires_each_timer_once_across_kills() {
    crash_cycles(None).await;
}

#[tokio::test]
async fn postgres_keeps_every_acknowledged_message_and_fires_each_timer_once_across_kills() {
    let Some(db) = frontline_store::contract::test_database_url() else {
        return;
    };
    // A schema of its own, made here; the binary selects it through the URL's `options`.
    let schema = format!("fl_test_{}", uuid::Uuid::now_v7().simple());
    PgStore::connect_in_schema(&db, Some(&schema)).await.expect("PostgreSQL").close().await;
    let sep = if db.contains('?') { '&' } else { '?' };
    let url = format!("{db}{sep}options=-c%20search_path%3D{schema}");
    crash_cycles(Some(&url)).await;
    // The binary worked in that schema (not in the database's default one).
    let store = PgStore::connect_in_schema(&db, Some(&schema)).await.expect("PostgreSQL");
    assert_eq!(store.list_workspaces().await.expect("workspaces").len(), 1, "the demo workspace is in the schema");
    store.close().await;
    PgStore::drop_schema(&db, &schema).await.expect("drop schema");
}
