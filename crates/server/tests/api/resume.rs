//! Reconnect and resume with no gap and no duplicate; retried sends stored once.

use frontline_testkit::TestApp;
use serde_json::json;

#[tokio::test]
async fn a_visitor_resumes_after_a_disconnect_without_gaps_or_duplicates() {
    let app = TestApp::spawn().await;
    let visitor = app.visitor().await;
    let operator = app.admin().await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;
    for i in 1..=3 {
        widget.send(json!({"type": "send", "client_id": format!("v{i}"), "body": format!("сообщение {i}")})).await;
        widget.next_of("ack").await;
    }
    let dialog = operator.dialogs("open").await[0]["id"].as_str().expect("id").to_owned();
    let mut seen: Vec<i64> = (1..=3).collect();
    widget.close().await;

    // While the visitor is away, the operator answers twice (his first reply assigns the
    // dialog to him: a line for operators only, seq 4, which the visitor never receives).
    for i in 1..=2 {
        let r = operator
            .post(
                &format!("/api/v1/dialogs/{dialog}/messages"),
                json!({"client_id": format!("o{i}"), "body": format!("ответ {i}")}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }

    let mut widget = visitor.ws().await;
    let hello = widget.next_of("hello").await;
    assert_eq!(hello["dialog"]["last_seq"], 6);
    widget.send(json!({"type": "resume", "after_seq": 3})).await;
    loop {
        let f = widget.next().await;
        match f["type"].as_str() {
            Some("message.created") => seen.push(f["message"]["seq"].as_i64().expect("seq")),
            Some("resumed") => {
                assert_eq!(f["last_seq"], 6);
                assert_eq!(f["dialog_id"], dialog.as_str());
                break;
            }
            other => panic!("unexpected frame {other:?}"),
        }
    }
    assert_eq!(seen, vec![1, 2, 3, 5, 6], "nothing of his missing, nothing twice, no operators' line");
    // Live delivery goes on after the resume.
    operator.post(&format!("/api/v1/dialogs/{dialog}/messages"), json!({"client_id": "o3", "body": "ещё"})).await;
    assert_eq!(widget.next_of("message.created").await["message"]["seq"], 7);
    app.stop().await;
}

#[tokio::test]
async fn an_operator_resumes_a_dialog() {
    let app = TestApp::spawn().await;
    let visitor = app.visitor().await;
    for i in 1..=4 {
        visitor.send(&format!("c{i}"), "текст").await;
    }
    let operator = app.admin().await;
    let dialog = operator.dialogs("open").await[0]["id"].as_str().expect("id").to_owned();
    let mut console = operator.ws().await;
    console.next_of("hello").await;
    console.send(json!({"type": "resume", "dialog_id": dialog, "after_seq": 2})).await;
    assert_eq!(console.next_of("message.created").await["message"]["seq"], 3);
    assert_eq!(console.next_of("message.created").await["message"]["seq"], 4);
    assert_eq!(console.next_of("resumed").await["last_seq"], 4);
    app.stop().await;
}

#[tokio::test]
async fn a_retried_send_is_stored_once() {
    let app = TestApp::spawn().await;
    let visitor = app.visitor().await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;
    let frame = json!({"type": "send", "client_id": "retry-me", "body": "Один раз"});
    widget.send(frame.clone()).await;
    let first = widget.next_of("ack").await;
    widget.send(frame).await;
    let second = widget.next_of("ack").await;
    assert_eq!(second["duplicate"], true);
    assert_eq!(second["message"]["id"], first["message"]["id"]);
    // Over REST too: 201 the first time, 200 with the same message after.
    let a = visitor.send("rest-retry", "REST").await;
    assert_eq!(a.status(), 201);
    let a: serde_json::Value = a.json().await.expect("json");
    let b = visitor.send("rest-retry", "REST").await;
    assert_eq!(b.status(), 200);
    let b: serde_json::Value = b.json().await.expect("json");
    assert_eq!(a["id"], b["id"]);
    let history = visitor.history().await;
    assert_eq!(history.len(), 2, "{history:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_socket_that_falls_behind_is_told_to_resync() {
    use frontline_core::bus::{Delivery, Topic};
    use frontline_core::views::{AuthorView, Event, MessageView};
    use std::sync::Arc;

    let app = TestApp::spawn().await;
    let operator = app.admin().await;
    let mut console = operator.ws().await;
    console.next_of("hello").await;
    let workspace = operator.me["workspace"]["id"].as_str().expect("workspace").parse().expect("uuid");
    // Far more than the socket's queue (4,096 events) and the kernel's buffers can hold while
    // the client reads nothing: the server must say so instead of dropping events silently.
    let body = "x".repeat(1000);
    for seq in 0..20_000 {
        let event = Event::MessageCreated {
            message: MessageView {
                id: uuid::Uuid::now_v7(),
                dialog_id: uuid::Uuid::nil(),
                seq,
                client_id: format!("flood-{seq}"),
                author: AuthorView { kind: "visitor".into(), id: uuid::Uuid::nil(), name: None },
                body: body.clone(),
                created_at: String::new(),
                audience: "all".into(),
                event: None,
                attachments: Vec::new(),
                mentions: Vec::new(),
                automatic: None,
                edited_at: None,
            },
        };
        app.app.bus.publish(
            &[Topic::Workspace(frontline_domain::WorkspaceId(workspace))],
            Arc::new(Delivery::new(None, None, event)),
        );
    }
    let mut seen = 0;
    loop {
        let frame = console.next().await;
        match frame["type"].as_str() {
            Some("message.created") => seen += 1,
            Some("resync") => {
                assert_eq!(frame["reason"], "lagged");
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(seen < 20_000, "every event arrived: the socket never fell behind, so this test proves nothing");
    }
    // The socket is still usable after the resync.
    console.send(json!({"type": "ping"})).await;
    console.next_of("pong").await;
    app.stop().await;
}
