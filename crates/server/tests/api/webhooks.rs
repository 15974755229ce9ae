//! Webhooks end to end: a real HTTP receiver (axum on port 0) that checks every signature,
//! answers as each test scripts it (500 then 200, a redirect, too slowly), and the real
//! sender, outbox worker and store behind Frontline's API.

use crate::support::body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use frontline_core::{Clock, FakeClock};
use frontline_domain::Timestamp;
use frontline_integrations::signature;
use frontline_testkit::{Backend, OperatorClient, Options, TestApp, temp_dir};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Got {
    id: String,
    timestamp: i64,
    signature: String,
    body: Value,
    raw: String,
}

#[derive(Debug, Clone, Copy)]
enum Reply {
    Status(u16),
    Redirect,
    Slow(Duration),
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Got>>>,
    script: Arc<Mutex<VecDeque<Reply>>>,
    url: String,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, raw: String) -> Response {
    let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let got = Got {
        id: h("webhook-id"),
        timestamp: h("webhook-timestamp").parse().unwrap_or(-1),
        signature: h("webhook-signature"),
        body: serde_json::from_str(&raw).unwrap_or(Value::Null),
        raw,
    };
    r.got.lock().expect("lock").push(got);
    let reply = r.script.lock().expect("lock").pop_front().unwrap_or(Reply::Status(200));
    match reply {
        Reply::Status(s) => (StatusCode::from_u16(s).expect("status"), "thanks").into_response(),
        Reply::Redirect => (StatusCode::FOUND, [("location", "https://elsewhere.example.com/")], "").into_response(),
        Reply::Slow(d) => {
            tokio::time::sleep(d).await;
            (StatusCode::OK, "late").into_response()
        }
    }
}

impl Receiver {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hooks/frontline", listener.local_addr().expect("addr"));
        let r = Receiver { url, ..Default::default() };
        let app = axum::Router::new().route("/hooks/frontline", axum::routing::post(receive)).with_state(r.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        r
    }

    fn script(&self, replies: &[Reply]) {
        self.script.lock().expect("lock").extend(replies.iter().copied());
    }

    fn all(&self) -> Vec<Got> {
        self.got.lock().expect("lock").clone()
    }

    /// Waits (real time, at most 10 s) until `n` requests came.
    async fn wait_for(&self, n: usize) -> Vec<Got> {
        for _ in 0..500 {
            let got = self.all();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the receiver got {} requests, not {n}: {:?}", self.all().len(), self.all());
    }
}

async fn endpoint(admin: &OperatorClient, url: &str, events: &[&str]) -> (String, String) {
    let (status, v) = body(admin.post("/api/v1/webhooks", json!({"url": url, "events": events})).await).await;
    assert_eq!(status, 201, "{v}");
    let secret = v["secret"].as_str().expect("secret").to_owned();
    assert!(secret.starts_with("whsec_"));
    (v["endpoint"]["id"].as_str().expect("id").to_owned(), secret)
}

async fn deliveries(admin: &OperatorClient, id: &str) -> Vec<Value> {
    let (status, v) = body(admin.get(&format!("/api/v1/webhooks/{id}/deliveries")).await).await;
    assert_eq!(status, 200, "{v}");
    v["items"].as_array().expect("items").clone()
}

/// Waits until the newest delivery of the endpoint is no longer being attempted now.
async fn settled(admin: &OperatorClient, id: &str, attempts: i64) -> Value {
    for _ in 0..300 {
        let d = deliveries(admin, id).await;
        if let Some(first) = d.first()
            && first["attempts"].as_i64() == Some(attempts)
            && first["last_attempt"]["attempt"].as_i64() == Some(attempts)
        {
            return first.clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no settled delivery with {attempts} attempts: {:?}", deliveries(admin, id).await);
}

fn assert_signed(g: &Got, secret: &str) {
    assert!(
        signature::verify(secret, &g.signature, &g.id, g.timestamp, &g.raw),
        "a valid v1 signature of id.timestamp.body: {g:?}"
    );
    assert_eq!(g.id, format!("msg_{}", g.body["id"].as_str().expect("event id").replace('-', "")));
    assert_eq!(g.body["version"], 1);
}

#[tokio::test]
async fn deliveries_are_signed_in_order_and_notes_reach_only_their_subscribers() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let messages = Receiver::start().await;
    let notes = Receiver::start().await;
    let (m_id, m_secret) = endpoint(&admin, &messages.url, &["dialog.created", "message.created"]).await;
    let (_, n_secret) = endpoint(&admin, &notes.url, &["note.created"]).await;

    let visitor = app.visitor().await;
    let dialog = visitor.write("v1", "Здравствуйте, нужна кухня").await;
    let got = messages.wait_for(2).await;
    assert_eq!(
        got.iter().map(|g| g.body["type"].as_str().unwrap_or_default()).collect::<Vec<_>>(),
        ["dialog.created", "message.created"],
        "one dialog's events in order"
    );
    for g in &got {
        assert_signed(g, &m_secret);
        assert!(!signature::verify(&n_secret, &g.signature, &g.id, g.timestamp, &g.raw), "not another's secret");
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("time").as_secs() as i64;
        assert!((g.timestamp - now).abs() < 60, "webhook-timestamp is the time of sending");
    }
    let m = &got[1].body["data"];
    assert_eq!(m["message"]["body"], "Здравствуйте, нужна кухня");
    assert_eq!(m["dialog"]["id"], dialog.as_str());
    assert_eq!(m["actor"]["kind"], "visitor");

    // An internal note goes only to the endpoint that asked for notes.
    let (status, v) = body(
        admin
            .post(
                &format!("/api/v1/dialogs/{dialog}/messages"),
                json!({"client_id": "n1", "body": "Клиент VIP", "internal": true}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 201, "{v}");
    let n = notes.wait_for(1).await;
    assert_signed(&n[0], &n_secret);
    assert_eq!(
        (n[0].body["type"].as_str(), n[0].body["data"]["message"]["body"].as_str()),
        (Some("note.created"), Some("Клиент VIP"))
    );
    let (status, _) = body(
        admin
            .post(&format!("/api/v1/dialogs/{dialog}/messages"), json!({"client_id": "r1", "body": "Слушаю вас"}))
            .await,
    )
    .await;
    assert_eq!(status, 201);
    // The reply (after the line of his taking the dialog, which only operators see).
    let reply = loop {
        let got = messages.all();
        if let Some(g) = got.iter().find(|g| g.body["data"]["message"]["body"] == "Слушаю вас") {
            break g.clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(reply.body["data"]["message"]["author"]["kind"], "operator");
    let lines: Vec<Value> = messages.all().iter().map(|g| g.body["data"]["message"]["audience"].clone()).collect();
    assert!(
        lines.contains(&json!("operators")) && lines.contains(&json!("all")),
        "each message says who sees it: {lines:?}"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        messages.all().iter().all(|g| g.body["type"] != "note.created"),
        "no note to an endpoint without note.created"
    );
    assert_eq!(notes.all().len(), 1);

    let log = deliveries(&admin, &m_id).await;
    assert_eq!(log.len(), messages.all().len());
    assert!(
        log.iter().all(|d| d["status"] == "delivered" && d["attempts"] == 1 && d["last_attempt"]["status_code"] == 200)
    );
    let (status, detail) = body(
        admin
            .get(&format!(
                "/api/v1/webhooks/{m_id}/deliveries/{}",
                log.last().expect("oldest")["id"].as_str().expect("id")
            ))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["request_body"].as_str().map(|b| b.contains("dialog.created")), Some(true));
    app.stop().await;
}

#[tokio::test]
async fn failures_are_retried_on_schedule_redirects_and_timeouts_fail_and_replays_resend() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_804_075_200_000)));
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let admin = app.admin().await;
    let r = Receiver::start().await;
    let (id, secret) = endpoint(&admin, &r.url, &["message.created"]).await;

    // 500, then 200 after the first wait (about 5 s of the fake clock).
    r.script(&[Reply::Status(500)]);
    let visitor = app.visitor().await;
    visitor.write("v1", "Первый").await;
    r.wait_for(1).await;
    let first = settled(&admin, &id, 1).await;
    assert_eq!((first["status"].as_str(), first["last_attempt"]["status_code"].as_i64()), (Some("pending"), Some(500)));
    let next = first["next_attempt_at"].as_str().expect("next attempt");
    assert!(next > "2027-03-03T12:00:04" && next < "2027-03-03T12:00:06", "about 5 s later: {next}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(r.all().len(), 1, "not before its time");
    clock.advance_ms(6_000);
    let got = r.wait_for(2).await;
    assert_eq!(got[0].id, got[1].id, "a retry keeps its webhook-id");
    assert_eq!(got[0].raw, got[1].raw, "and its body");
    assert_signed(&got[1], &secret);
    let done = settled(&admin, &id, 2).await;
    assert_eq!(done["status"], "delivered");

    // A redirect is a failure; so is an answer slower than the timeout.
    r.script(&[Reply::Redirect, Reply::Slow(Duration::from_secs(3))]);
    visitor.write("v2", "Второй").await;
    r.wait_for(3).await;
    let redirected = settled(&admin, &id, 1).await;
    assert_eq!(redirected["last_attempt"]["status_code"], 302);
    assert!(redirected["last_attempt"]["error"].as_str().expect("error").contains("redirect"), "{redirected}");
    clock.advance_ms(6_000);
    r.wait_for(4).await;
    let slow = settled(&admin, &id, 2).await;
    assert!(slow["last_attempt"]["error"].as_str().expect("error").contains("no answer within"), "{slow}");
    assert_eq!(slow["status"], "pending");
    clock.advance_ms(400_000);
    r.wait_for(5).await;
    assert_eq!(settled(&admin, &id, 3).await["status"], "delivered");

    // A replay sends the same body with the same id; a test send is its own event.
    let delivered = deliveries(&admin, &id).await.last().expect("first delivery").clone();
    let (status, v) = body(
        admin
            .post(
                &format!("/api/v1/webhooks/{id}/deliveries/{}/replay", delivered["id"].as_str().expect("id")),
                json!({}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 202, "{v}");
    let got = r.wait_for(6).await;
    assert_eq!((got[5].id.as_str(), got[5].raw.as_str()), (got[0].id.as_str(), got[0].raw.as_str()));
    let (status, v) = body(admin.post(&format!("/api/v1/webhooks/{id}/test"), json!({})).await).await;
    assert_eq!(status, 202, "{v}");
    let got = r.wait_for(7).await;
    assert_eq!(got[6].body["type"], "webhook.test");
    assert_signed(&got[6], &secret);
    let (status, v) =
        body(admin.post(&format!("/api/v1/webhooks/{id}/deliveries/999999/replay"), json!({})).await).await;
    assert_eq!((status, v["code"].as_str()), (404, Some("not_found")));
    app.stop().await;
}

#[tokio::test]
async fn a_claim_that_never_reports_is_delivered_again_with_the_same_id() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_804_075_200_000)));
    let dir = temp_dir();
    let store =
        frontline_server::open_store(&format!("sqlite://{}", dir.join("frontline.db").display())).await.expect("store");
    // Node A delivers nothing: it stands for a worker that claimed a job and died.
    let a = TestApp::spawn_with(Options {
        backend: Backend::Given(store.clone()),
        clock: clock.clone(),
        data_dir: Some(dir.clone()),
        tweak: Some(|c| c.outbox_worker = false),
        ..Options::default()
    })
    .await;
    let admin = a.admin().await;
    let r = Receiver::start().await;
    let (id, secret) = endpoint(&admin, &r.url, &["message.created"]).await;
    a.visitor().await.write("v1", "Сообщение").await;
    let now = clock.now();
    let claimed = store.claim_jobs(now, uuid::Uuid::now_v7(), Timestamp(now.0 + 60_000), 10).await.expect("claim");
    assert_eq!(claimed.len(), 1);
    let event = claimed[0].event_id;

    // Node B delivers; it cannot take the job while the dead claim's lease runs.
    let b = TestApp::spawn_with(Options {
        backend: Backend::Given(store.clone()),
        clock: clock.clone(),
        ..Options::default()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(r.all().is_empty(), "held by the lease");
    clock.advance_ms(61_000);
    let got = r.wait_for(1).await;
    assert_eq!(got[0].id, format!("msg_{}", event.simple()));
    assert_signed(&got[0], &secret);
    let d = settled(&admin, &id, 2).await;
    assert_eq!((d["status"].as_str(), d["attempts"].as_i64()), (Some("delivered"), Some(2)), "the lost attempt counts");
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn two_nodes_on_postgresql_deliver_each_job_once() {
    let Some(db) = frontline_store::contract::test_database_url() else { return };
    let schema = format!("fl_test_{}", uuid::Uuid::now_v7().simple());
    let node = || {
        let (db, schema) = (db.clone(), schema.clone());
        async move {
            let store = Arc::new(
                frontline_store_postgres::PgStore::connect_in_schema(&db, Some(&schema)).await.expect("PostgreSQL"),
            );
            TestApp::spawn_with(Options { backend: Backend::Given(store), ..Options::default() }).await
        }
    };
    let a = node().await;
    let b = node().await;
    let admin = a.admin().await;
    let r = Receiver::start().await;
    endpoint(&admin, &r.url, &["message.created"]).await;
    let mut writers = Vec::new();
    for i in 0..12 {
        let node = if i % 2 == 0 { &a } else { &b };
        let v = node.visitor().await;
        writers.push(async move {
            for j in 0..3 {
                v.write(&format!("m{j}"), &format!("Сообщение {i}.{j}")).await;
            }
        });
    }
    futures_util::future::join_all(writers).await;
    r.wait_for(36).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = r.all();
    let mut ids: Vec<&str> = got.iter().map(|g| g.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!((got.len(), ids.len()), (36, 36), "each event once, whichever node took it");
    a.stop().await;
    b.stop().await;
    frontline_store_postgres::PgStore::drop_schema(&db, &schema).await.expect("drop schema");
}

#[tokio::test]
async fn private_addresses_are_refused_unless_the_configuration_allows_them() {
    let app =
        TestApp::spawn_with(Options { tweak: Some(|c| c.webhooks_allow_private = false), ..Options::default() }).await;
    let admin = app.admin().await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.7/hook",
        "http://[::ffff:192.168.1.1]/hook",
    ] {
        let (status, v) =
            body(admin.post("/api/v1/webhooks", json!({"url": url, "events": ["dialog.created"]})).await).await;
        assert_eq!(
            (status, v["code"].as_str(), v["details"]["field"].as_str()),
            (400, Some("url_not_allowed"), Some("url")),
            "{url}: {v}"
        );
    }
    for (bad, field) in [
        (json!({"url": "ftp://x.example.com/", "events": ["dialog.created"]}), "url"),
        (json!({"url": "https://x.example.com/", "events": []}), "events"),
        (json!({"url": "https://x.example.com/", "events": ["dialog.nope"]}), "events[0]"),
    ] {
        let (status, v) = body(admin.post("/api/v1/webhooks", bad).await).await;
        assert_eq!((status, v["details"]["field"].as_str()), (400, Some(field)), "{v}");
    }
    assert!(
        admin.get("/api/v1/webhooks").await.json::<Value>().await.expect("list")["items"]
            .as_array()
            .expect("items")
            .is_empty(),
        "nothing was made"
    );
    let (status, _) = body(
        admin
            .post("/api/v1/webhooks", json!({"url": "https://hooks.example.com/x", "events": ["dialog.created"]}))
            .await,
    )
    .await;
    assert_eq!(status, 201);

    // At delivery: a literal private address, and a name that is this machine, are refused
    // before any connection (the receiver hears nothing).
    let r = Receiver::start().await;
    let sender = frontline_integrations::HttpWebhookSender::new(false, Duration::from_secs(2)).expect("sender");
    let req = |url: String| frontline_core::outbox::WebhookRequest {
        url,
        id: "msg_x".into(),
        timestamp: 1,
        body: "{}".into(),
        secrets: vec!["whsec_c2VjcmV0".into()],
    };
    use frontline_core::outbox::WebhookSender;
    let literal = sender.send(req(r.url.clone())).await;
    assert!(literal.error.as_deref().is_some_and(|e| e.contains("private")), "{literal:?}");
    let named = sender.send(req(r.url.replace("127.0.0.1", "localhost"))).await;
    assert!(named.error.as_deref().is_some_and(|e| e.contains("server itself")), "{named:?}");
    assert!(r.all().is_empty());
    let allowed = frontline_integrations::HttpWebhookSender::new(true, Duration::from_secs(2)).expect("sender");
    assert!(allowed.send(req(r.url.clone())).await.succeeded(), "allowed by the configuration");
    app.stop().await;
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_new_one_for_a_day() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_804_075_200_000)));
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let admin = app.admin().await;
    let r = Receiver::start().await;
    let (id, old) = endpoint(&admin, &r.url, &["message.created"]).await;
    let (status, v) = body(admin.post(&format!("/api/v1/webhooks/{id}/rotate"), json!({})).await).await;
    assert_eq!(status, 200, "{v}");
    let new = v["secret"].as_str().expect("secret").to_owned();
    assert_ne!(new, old);
    assert_eq!(v["previous_valid_until"], "2027-03-04T12:00:00.000Z");
    let (_, shown) = body(admin.get(&format!("/api/v1/webhooks/{id}/secret")).await).await;
    assert_eq!(shown["secret"].as_str(), Some(new.as_str()));
    admin.post(&format!("/api/v1/webhooks/{id}/test"), json!({})).await;
    let got = r.wait_for(1).await;
    assert_eq!(got[0].signature.split(' ').count(), 2);
    assert!(signature::verify(&old, &got[0].signature, &got[0].id, got[0].timestamp, &got[0].raw));
    assert!(signature::verify(&new, &got[0].signature, &got[0].id, got[0].timestamp, &got[0].raw));
    clock.advance_ms(25 * 3_600_000);
    let admin = app.admin().await;
    admin.post(&format!("/api/v1/webhooks/{id}/test"), json!({})).await;
    let got = r.wait_for(2).await;
    assert_eq!(got[1].signature.split(' ').count(), 1, "the old secret no longer signs");
    assert!(signature::verify(&new, &got[1].signature, &got[1].id, got[1].timestamp, &got[1].raw));
    assert!(!signature::verify(&old, &got[1].signature, &got[1].id, got[1].timestamp, &got[1].raw));
    app.stop().await;
}

#[tokio::test]
async fn an_endpoint_failing_for_five_days_is_switched_off_and_admins_are_told() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_804_075_200_000)));
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let admin = app.admin().await;
    let mut console = admin.ws().await;
    console.next_of("hello").await;
    let r = Receiver::start().await;
    r.script(&[Reply::Status(503); 20]);
    let (id, _) = endpoint(&admin, &r.url, &["message.created"]).await;
    app.visitor().await.write("v1", "Первый").await;
    r.wait_for(1).await;
    settled(&admin, &id, 1).await;
    // Five days and a little later, still failing: the next failure switches it off.
    clock.advance_ms(5 * 86_400_000 + 60_000);
    app.visitor().await.write("v1", "Через пять дней").await;
    let alert = console.next_of("webhook.disabled").await;
    assert_eq!(alert["endpoint_id"].as_str(), Some(id.as_str()));
    let admin = app.admin().await;
    let list: Value = admin.get("/api/v1/webhooks").await.json().await.expect("list");
    let e = &list["items"][0];
    assert_eq!((e["enabled"].as_bool(), e["disabled_reason"].as_str()), (Some(false), Some("failing")));
    assert!(deliveries(&admin, &id).await.iter().all(|d| d["status"] == "failed"), "its pending jobs stop");
    let audit: Value = admin.get("/api/v1/audit-log").await.json().await.expect("audit");
    assert!(audit["items"].as_array().expect("items").iter().any(|a| a["action"] == "webhook.disabled"));
    // Switched on again by an admin, it starts a new streak and receives new events.
    let (status, v) = body(admin.patch(&format!("/api/v1/webhooks/{id}"), json!({"enabled": true})).await).await;
    assert_eq!((status, v["endpoint"]["failing_since"].is_null()), (200, true), "{v}");
    r.script.lock().expect("lock").clear();
    let before = r.all().len();
    app.visitor().await.write("v1", "Снова").await;
    r.wait_for(before + 1).await;
    app.stop().await;
}
