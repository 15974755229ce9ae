//! A graceful stop finishes the writes in flight: every acknowledged message is there after
//! a restart, and sockets are told the server is going away.

use frontline_testkit::{Options, TestApp, temp_dir};
use serde_json::json;
use std::collections::HashSet;

#[tokio::test]
async fn acknowledged_messages_survive_a_stop_and_restart() {
    let dir = temp_dir();
    // A burst of 200 from one visitor: far past the widget's message limit, raised here.
    let limits = frontline_core::limits::RateLimits {
        widget_messages: frontline_core::limits::Rate::per_minute(1000),
        ..Default::default()
    };
    let app =
        TestApp::spawn_with(Options { data_dir: Some(dir.clone()), limits: Some(limits), ..Options::default() }).await;
    let visitor = app.visitor().await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;
    for i in 0..200 {
        widget.send(json!({"type": "send", "client_id": format!("m{i}"), "body": format!("сообщение {i}")})).await;
    }
    // Take some acks, then stop while the rest are in flight.
    let mut acked = HashSet::new();
    for _ in 0..20 {
        acked.insert(widget.next_of("ack").await["client_id"].as_str().expect("id").to_owned());
    }
    let token = visitor.token.clone();
    app.stop().await;
    for f in widget.drain(500).await {
        if f["type"] == "ack" {
            acked.insert(f["client_id"].as_str().expect("id").to_owned());
        }
    }

    let again = TestApp::spawn_with(Options { data_dir: Some(dir), ..Options::default() }).await;
    let back = again.visitor_from(&again.origin(), Some(&token)).await.expect("same visitor");
    let mut stored = HashSet::new();
    let mut after = 0;
    loop {
        let page: serde_json::Value = back
            .http
            .get(back.url(&format!("/widget/v1/messages?after_seq={after}&limit=500")))
            .header("origin", &back.origin)
            .bearer_auth(&back.token)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        let items = page["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        for m in &items {
            stored.insert(m["client_id"].as_str().expect("id").to_owned());
            after = m["seq"].as_i64().expect("seq");
        }
    }
    let lost: Vec<_> = acked.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    assert!(acked.len() >= 20);
    again.stop().await;
}

#[tokio::test]
async fn sockets_are_closed_when_the_server_stops() {
    let app = TestApp::spawn().await;
    let visitor = app.visitor().await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;
    let stopping = tokio::spawn(app.stop());
    assert!(widget.closed().await, "the socket is closed, not left hanging");
    stopping.await.expect("stopped");
}
