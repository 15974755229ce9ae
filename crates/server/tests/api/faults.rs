//! Outside services failing under a running server: PostgreSQL cut off (every request answers
//! `503 unavailable` in bounded time, and the same server serves again once it is back), and
//! NATS cut off from one node (each node goes on serving its own sockets; when NATS is back
//! the node reads what it missed from the event log, and events cross between nodes again).
//!
//! The outage is a TCP proxy inside the test ([`Proxy`]) that is cut and restored: the
//! machine's PostgreSQL and NATS stay up for every other test.

use frontline_store_postgres::PgStore;
use frontline_testkit::proxy::Proxy;
use frontline_testkit::{Backend, Install, Options, TestApp, WsClient};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a request may take to be refused while the database is away. Far above the pool's
/// acquire timeout: the point is "answers, does not hang", not a timing.
const ANSWER_WITHIN: Duration = Duration::from_secs(30);

/// The status and body of a request that must answer within [`ANSWER_WITHIN`].
async fn answered(what: &str, req: impl Future<Output = reqwest::Response>) -> (u16, Value, Duration) {
    let started = Instant::now();
    let resp = tokio::time::timeout(ANSWER_WITHIN, req)
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within {ANSWER_WITHIN:?}"));
    let status = resp.status().as_u16();
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, body, started.elapsed())
}

#[tokio::test]
async fn a_cut_database_answers_503_and_the_same_server_recovers() {
    let Some(db) = frontline_store::contract::test_database_url() else {
        return;
    };
    let proxy = Proxy::for_url(&db).await.expect("proxy");
    let store = Arc::new(PgStore::temporary(&proxy.url(&db)).await.expect("PostgreSQL through the proxy"));
    let app = TestApp::spawn_with(Options { backend: Backend::Given(store), ..Options::default() }).await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    assert_eq!(visitor.send("before", "До обрыва").await.status(), 201);

    proxy.cut().await;
    // An operator's read and a visitor's write: both refused as "try again", nothing inside.
    let (status, body, took) = answered("the dialog list", admin.get("/api/v1/dialogs")).await;
    assert_eq!((status, body["code"].as_str()), (503, Some("unavailable")), "{body}");
    eprintln!("figure: database cut -> 503 on a console read in {} ms", took.as_millis());
    let (status, body, took) = answered("a visitor's message", visitor.send("during", "Во время обрыва")).await;
    assert_eq!((status, body["code"].as_str()), (503, Some("unavailable")), "{body}");
    eprintln!("figure: database cut -> 503 on a widget send in {} ms", took.as_millis());
    let (status, _, _) =
        answered("readiness", async { reqwest::get(app.url("/readyz")).await.expect("GET /readyz") }).await;
    assert_eq!(status, 503, "not ready while the database is away");

    proxy.restore().await;
    // The same server, no restart: the first request after the return is served.
    let (status, body, took) = answered("the dialog list again", admin.get("/api/v1/dialogs")).await;
    assert_eq!(status, 200, "{body}");
    eprintln!("figure: first console read after the return: {status} in {} ms", took.as_millis());
    // The refused message, sent again with its client id, is stored once.
    assert_eq!(visitor.send("during", "Во время обрыва").await.status(), 201);
    assert_eq!(visitor.send("during", "Во время обрыва").await.status(), 200, "a retry is a duplicate");
    let ids: Vec<String> = visitor
        .history()
        .await
        .iter()
        .filter(|m| m["author"]["kind"] == "visitor")
        .map(|m| m["client_id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(ids, ["before", "during"]);
    app.stop().await;
}

/// The next frame that `pred` accepts, waiting up to `within` (other frames are passed over).
/// The `message.created` frame of the message with `body`.
async fn message(ws: &mut WsClient, body: &str) -> Value {
    loop {
        let f = ws.next_of("message.created").await;
        if f["message"]["body"] == body {
            return f;
        }
    }
}

async fn hello(ws: &mut WsClient) {
    ws.next_of("hello").await;
}

#[tokio::test]
async fn a_node_cut_off_from_nats_serves_its_own_sockets_and_catches_up_from_the_log_when_back() {
    let Some(install) = Install::from_env() else { return };
    let proxy = Proxy::for_url(&install.nats).await.expect("proxy");
    let a = install.node(Options::default()).await;
    // Node B reaches NATS through the proxy only.
    let b = install.node_via(&proxy.url(&install.nats), Options::default()).await;

    let (op_a, op_b) = (a.admin().await, b.admin().await);
    let (mut console_a, mut console_b) = (op_a.ws().await, op_b.ws().await);
    hello(&mut console_a).await;
    hello(&mut console_b).await;
    let (va, vb) = (a.visitor().await, b.visitor().await);
    let (mut widget_a, mut widget_b) = (va.ws().await, vb.ws().await);
    hello(&mut widget_a).await;
    hello(&mut widget_b).await;

    widget_a.send(json!({"type": "send", "client_id": "a1", "body": "A до обрыва"})).await;
    widget_a.next_of("ack").await;
    message(&mut console_b, "A до обрыва").await;

    proxy.cut().await;
    // On node B, its visitor and its operator go on talking.
    widget_b.send(json!({"type": "send", "client_id": "b1", "body": "B во время обрыва"})).await;
    let dialog_b = widget_b.next_of("ack").await["message"]["dialog_id"].as_str().expect("dialog").to_owned();
    message(&mut console_b, "B во время обрыва").await;
    console_b.send(json!({"type": "send", "dialog_id": dialog_b, "client_id": "ob1", "body": "Ответ на узле B"})).await;
    console_b.next_of("ack").await;
    message(&mut widget_b, "Ответ на узле B").await;
    // On node A too.
    widget_a.send(json!({"type": "send", "client_id": "a2", "body": "A во время обрыва"})).await;
    widget_a.next_of("ack").await;
    message(&mut console_a, "A во время обрыва").await;
    // And node B really is cut off: what A's visitor wrote does not reach it.
    let heard = console_b.drain(500).await;
    assert!(
        !heard.iter().any(|f| f["message"]["body"] == "A во время обрыва"),
        "node B got an event of node A through a cut proxy"
    );

    let restored_at = Instant::now();
    proxy.restore().await;
    // Node B reconnects by itself and reads what it missed from the event log: the message
    // node A's visitor wrote during the break reaches B's operator, without a resync.
    let resync = |f: &Value| f["type"] == "resync";
    let mut heard_b = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !heard_b.iter().any(|f: &Value| f["message"]["body"] == "A во время обрыва") {
        assert!(Instant::now() < deadline, "the missed message did not reach node B: {heard_b:?}");
        heard_b.extend(console_b.drain(200).await);
    }
    eprintln!(
        "figure: NATS restored -> missed message caught up on node B in {} ms",
        restored_at.elapsed().as_millis()
    );
    assert!(!heard_b.iter().any(resync), "node B's console was told to resync though the log had it all");
    // The dialog it belongs to came up to date with it.
    assert!(
        heard_b.iter().any(|f| f["type"] == "dialog.updated" || f["type"] == "dialog.created"),
        "no dialog event caught up: {heard_b:?}"
    );
    assert!(!widget_b.drain(300).await.iter().any(resync), "node B's widget was told to resync");

    // After the return, events cross again, both ways.
    widget_a.send(json!({"type": "send", "client_id": "a3", "body": "A после обрыва"})).await;
    widget_a.next_of("ack").await;
    message(&mut console_b, "A после обрыва").await;
    console_a.send(json!({"type": "send", "dialog_id": dialog_b, "client_id": "oa1", "body": "Ответ с узла A"})).await;
    console_a.next_of("ack").await;
    message(&mut widget_b, "Ответ с узла A").await;
    // Node A never lost NATS: its sockets were not told to resync.
    let on_a = console_a.drain(300).await;
    assert!(!on_a.iter().any(resync), "node A's console was told to resync");
    assert!(!console_b.drain(300).await.iter().any(resync), "node B's console was told to resync later");

    a.stop().await;
    b.stop().await;
    install.drop_schema().await;
}

#[tokio::test]
async fn clients_that_leave_mid_send_leave_no_connection_behind() {
    let Some(store) = frontline_testkit::postgres_store().await else { return };
    let app = TestApp::spawn_with(Options { backend: Backend::Given(store), ..Options::default() }).await;
    let mut visitors = Vec::new();
    for _ in 0..60 {
        visitors.push(app.visitor().await);
    }
    // Round after round, every visitor sends and is gone before the answer: the socket dropped
    // without a close, as when a tab is shut or the network drops.
    for round in 0..10 {
        let mut sockets = Vec::new();
        for v in &visitors {
            sockets.push(v.ws().await);
        }
        for (i, ws) in sockets.iter_mut().enumerate() {
            ws.send(json!({"type": "send", "client_id": format!("r{round}-{i}"), "body": "И сразу ушёл"})).await;
        }
        drop(sockets);
    }
    // The server serves as before: ready, and a new message is stored at once.
    let (status, _, _) =
        answered("readiness", async { reqwest::get(app.url("/readyz")).await.expect("GET /readyz") }).await;
    assert_eq!(status, 200, "ready after the clients left");
    let (status, body, _) = answered("a new message", visitors[0].send("after", "Я вернулся")).await;
    assert_eq!(status, 201, "{body}");
    app.stop().await;
}
