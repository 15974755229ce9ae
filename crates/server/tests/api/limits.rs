//! Limits on everything public: sign-in per account and per address, and what a widget
//! visitor may do. Each refusal is a `429 rate_limited` (or a socket error frame) naming the
//! limit, with `retry_after`, and writes nothing.

use crate::support::{body, general};
use frontline_core::FakeClock;
use frontline_core::limits::{Rate, RateLimits};
use frontline_domain::Timestamp;
use frontline_testkit::{ADMIN_PASSWORD, Options, TestApp};
use serde_json::{Value, json};
use std::sync::Arc;

async fn login(app: &TestApp, email: &str, password: &str) -> (u16, Value, Option<String>) {
    let resp = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("login");
    let retry = resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (status, v) = body(resp).await;
    (status, v, retry)
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_account_and_tell_nothing_about_the_account() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_800_000_000_000)));
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let admin = app.admin_email.clone();
    // An unknown e-mail and a wrong password get the same answer.
    let (s1, unknown, _) = login(&app, "nobody@example.com", "wrong-password").await;
    let (s2, wrong, _) = login(&app, &admin, "wrong-password").await;
    assert_eq!((s1, s2), (401, 401));
    assert_eq!(unknown, wrong);
    for _ in 0..4 {
        assert_eq!(login(&app, &admin, "wrong-password").await.0, 401);
    }
    // Five failures: now even the right password waits.
    let (status, err, retry) = login(&app, &admin, ADMIN_PASSWORD).await;
    assert_eq!(
        (status, err["code"].as_str(), err["details"]["limit"].as_str()),
        (429, Some("rate_limited"), Some("login_failures_per_account")),
        "{err}"
    );
    let wait = err["details"]["retry_after"].as_i64().expect("retry_after");
    assert!(wait > 0 && wait <= 180, "{wait}");
    assert_eq!(retry, Some(wait.to_string()), "Retry-After says the same");
    // The unknown e-mail is limited the same way: the limit reveals nothing either.
    for _ in 0..4 {
        login(&app, "nobody@example.com", "wrong-password").await;
    }
    assert_eq!(login(&app, "nobody@example.com", "wrong-password").await.0, 429);
    // After the wait, the right password works and clears the count.
    clock.advance_ms(wait * 1000);
    assert_eq!(login(&app, &admin, ADMIN_PASSWORD).await.0, 200);
    assert_eq!(login(&app, &admin, "wrong-password").await.0, 401);
    app.stop().await;
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_address() {
    let limits = RateLimits { login_per_ip: Rate::per_minute(3), ..Default::default() };
    let app = TestApp::spawn_with(Options { limits: Some(limits), ..Options::default() }).await;
    for i in 0..3 {
        assert_eq!(login(&app, &format!("guess{i}@example.com"), "password-guess").await.0, 401);
    }
    let (status, err, _) = login(&app, "guess9@example.com", "password-guess").await;
    assert_eq!((status, err["details"]["limit"].as_str()), (429, Some("login_per_ip")), "{err}");
    app.stop().await;
}

#[tokio::test]
async fn a_visitor_is_limited_in_messages_sockets_uploads_and_dialogs() {
    let limits = RateLimits {
        widget_messages: Rate::per_minute(5),
        widget_sockets_per_visitor: 2,
        widget_uploads: Rate::per_hour(2),
        widget_dialogs: Rate::per_hour(1),
        ..Default::default()
    };
    let app = TestApp::spawn_with(Options { limits: Some(limits), ..Options::default() }).await;
    let visitor = app.visitor().await;
    for i in 0..5 {
        assert_eq!(visitor.send(&format!("m{i}"), "сообщение").await.status(), 201);
    }
    let (status, err) = body(visitor.send("m5", "ещё одно").await).await;
    assert_eq!(
        (status, err["code"].as_str(), err["details"]["limit"].as_str()),
        (429, Some("rate_limited"), Some("widget_messages")),
        "{err}"
    );
    assert!(err["details"]["retry_after"].as_i64().unwrap_or_default() > 0);
    assert_eq!(visitor.history().await.len(), 5, "the refused message was not written");

    // On the socket: an error frame naming the limit, with the send's client id.
    let mut ws1 = visitor.ws().await;
    ws1.next_of("hello").await;
    ws1.send(json!({"type": "send", "client_id": "s1", "body": "по сокету"})).await;
    let err = ws1.next_of("error").await;
    assert_eq!(
        (err["client_id"].as_str(), err["code"].as_str(), err["details"]["limit"].as_str()),
        (Some("s1"), Some("rate_limited"), Some("widget_messages"))
    );
    // Two sockets at once, not three; a closed one frees its place.
    let ws2 = visitor.ws().await;
    assert!(visitor.ws_from(&visitor.origin).await.is_err(), "a third socket is refused");
    ws2.close().await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(visitor.ws_from(&visitor.origin).await.is_ok(), "the place is free again");

    // Uploads count whether sent or not.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    assert_eq!(visitor.upload("a.png", png.clone()).await.status(), 201);
    assert_eq!(visitor.upload("b.png", png.clone()).await.status(), 201);
    let (status, err) = body(visitor.upload("c.png", png).await).await;
    assert_eq!((status, err["details"]["limit"].as_str()), (429, Some("widget_uploads")), "{err}");

    // Dialogs: his second new dialog within the hour is refused.
    let other = app.visitor().await;
    let admin = app.admin().await;
    let channel = general(&admin).await;
    admin.patch(&format!("/api/v1/channels/{channel}"), json!({"reopen_window_minutes": 0})).await;
    let d = other.write("a", "Первый").await;
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{d}/close"), json!({})).await.status(), 200);
    let (status, err) = body(other.send("b", "Новый вопрос").await).await;
    assert_eq!((status, err["details"]["limit"].as_str()), (429, Some("widget_dialogs")), "{err}");
    assert_eq!(admin.dialogs("all").await.len(), 2, "no third dialog");
    app.stop().await;
}

#[tokio::test]
async fn new_visitor_sessions_are_limited_per_address_but_returning_ones_are_not() {
    let limits = RateLimits { widget_sessions_per_ip: Rate::per_minute(2), ..Default::default() };
    let app = TestApp::spawn_with(Options { limits: Some(limits), ..Options::default() }).await;
    let first = app.visitor().await;
    app.visitor().await;
    let refused = app.visitor_from(&app.origin(), None).await.err().expect("third new visitor refused");
    assert!(refused.to_string().contains("widget_sessions_per_ip"), "{refused}");
    // The first visitor coming back is not a new session.
    assert!(app.visitor_from(&app.origin(), Some(&first.token)).await.is_ok());
    app.stop().await;
}

/// A raw connection to the test server.
async fn raw(app: &TestApp) -> tokio::net::TcpStream {
    let addr = app.base.trim_start_matches("http://").to_owned();
    tokio::net::TcpStream::connect(addr).await.expect("connect")
}

/// Whether the server closes the connection (or answers and closes) within `secs`.
async fn closed_within(stream: &mut tokio::net::TcpStream, secs: u64) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = vec![0u8; 4096];
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn slow_clients_cannot_hold_connections_and_uploads_are_capped() {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::spawn_with(Options {
        tweak: Some(|c| {
            c.header_timeout = std::time::Duration::from_secs(1);
            c.body_timeout = std::time::Duration::from_secs(1);
            c.upload_concurrency = 1;
        }),
        ..Options::default()
    })
    .await;
    // Headers that never end.
    let mut slow = raw(&app).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.expect("write");
    assert!(closed_within(&mut slow, 5).await, "a trickled header is cut off");
    // A body that never comes.
    let mut slow = raw(&app).await;
    slow.write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{").await.expect("write");
    assert!(closed_within(&mut slow, 5).await, "a trickled body is cut off");

    // One upload at a time here: the second waits its turn (429, the limit named).
    let visitor = app.visitor().await;
    let mut first = raw(&app).await;
    let head = format!(
        "POST /widget/v1/uploads?name=a.txt HTTP/1.1\r\nHost: x\r\nOrigin: {}\r\nAuthorization: Bearer {}\r\nContent-Length: 1000\r\n\r\nhello",
        app.origin(),
        visitor.token
    );
    first.write_all(head.as_bytes()).await.expect("write");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let (status, err) = body(visitor.upload("b.txt", b"plain words".to_vec()).await).await;
    assert_eq!((status, err["details"]["limit"].as_str()), (429, Some("concurrent_uploads")), "{err}");
    // The stalled one ends by the body timeout, and frees its place.
    assert!(closed_within(&mut first, 5).await);
    let (status, _) = body(visitor.upload("c.txt", b"plain words".to_vec()).await).await;
    assert_eq!(status, 201);
    // Nothing of the stalled upload stays on disk.
    let parts = std::fs::read_dir(app.data_dir.join("files"))
        .map(|d| d.filter_map(Result::ok).filter(|e| e.file_name().to_string_lossy().ends_with(".part")).count())
        .unwrap_or(0);
    assert_eq!(parts, 0, "no half files left");
    app.stop().await;
}
