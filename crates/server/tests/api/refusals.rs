//! Bad input gets a clear error naming what is wrong, and changes nothing.

use frontline_testkit::TestApp;
use serde_json::{Value, json};

async fn error(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("error body is JSON"))
}

#[tokio::test]
async fn a_wrong_widget_key_is_refused() {
    let app = TestApp::spawn().await;
    for key in ["demo_doesnotexist1", "bad key!"] {
        let resp = reqwest::Client::new()
            .post(app.url("/widget/v1/session"))
            .json(&json!({"key": key}))
            .send()
            .await
            .expect("post");
        let (status, body) = error(resp).await;
        assert_eq!((status, body["code"].as_str()), (403, Some("unknown_site_key")));
        assert_eq!(body["details"]["field"], "key");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_foreign_origin_is_refused_on_every_widget_door() {
    let app = TestApp::spawn().await;
    let evil = "https://evil.example.org";
    let err = app.visitor_from(evil, None).await.err().expect("refused").to_string();
    assert!(err.contains("403") && err.contains("origin_not_allowed"), "{err}");
    // The page origin the loader reports is checked too.
    let resp = reqwest::Client::new()
        .post(app.url("/widget/v1/session"))
        .header("origin", app.origin())
        .json(&json!({"key": app.site_key, "origin": evil}))
        .send()
        .await
        .expect("post");
    assert_eq!(error(resp).await.1["code"], "origin_not_allowed");
    // A token obtained legitimately cannot be used from a foreign page.
    let v = app.visitor().await;
    let resp = v
        .http
        .post(v.url("/widget/v1/messages"))
        .header("origin", evil)
        .bearer_auth(&v.token)
        .json(&json!({"client_id": "x", "body": "hi"}))
        .send()
        .await
        .expect("post");
    assert_eq!(error(resp).await, (403, error_body("origin_not_allowed")));
    assert!(v.ws_from(evil).await.is_err(), "socket from a foreign origin refused");
    assert!(v.history().await.is_empty(), "nothing stored");
    app.stop().await;
}

fn error_body(code: &str) -> Value {
    json!({"code": code, "message": "This site is not allowed to use the widget.", "details": {}})
}

#[tokio::test]
async fn empty_and_oversize_messages_are_refused_and_not_stored() {
    let app = TestApp::spawn().await;
    let v = app.visitor().await;
    let (status, body) = error(v.send("e1", " \n\t ").await).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("empty_message")));
    let long = "я".repeat(4001);
    let (status, body) = error(v.send("e2", &long).await).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("message_too_long")));
    assert_eq!(body["details"]["limit"], 4000);
    assert_eq!(v.send("ok", &"я".repeat(4000)).await.status(), 201, "exactly the limit is fine");
    // The same on the socket.
    let mut ws = v.ws().await;
    ws.next_of("hello").await;
    ws.send(json!({"type": "send", "client_id": "e3", "body": ""})).await;
    let e = ws.next_of("error").await;
    assert_eq!((e["code"].as_str(), e["client_id"].as_str()), (Some("empty_message"), Some("e3")));
    ws.send(json!({"type": "send", "client_id": "e4", "body": long})).await;
    assert_eq!(ws.next_of("error").await["code"], "message_too_long");
    assert_eq!(v.history().await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn malformed_requests_name_the_field() {
    let app = TestApp::spawn().await;
    let v = app.visitor().await;
    let resp = v
        .http
        .post(v.url("/widget/v1/messages"))
        .header("origin", &v.origin)
        .bearer_auth(&v.token)
        .json(&json!({"body": "без client_id"}))
        .send()
        .await
        .expect("post");
    let (status, body) = error(resp).await;
    assert_eq!(
        (status, body["code"].as_str(), body["details"]["field"].as_str()),
        (400, Some("validation_failed"), Some("client_id"))
    );
    let resp = v
        .http
        .post(v.url("/widget/v1/messages"))
        .header("origin", &v.origin)
        .header("content-type", "application/json")
        .bearer_auth(&v.token)
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(error(resp).await.1["code"], "bad_json");
    let (status, body) = error(v.send("has space", "x").await).await;
    assert_eq!((status, body["details"]["field"].as_str()), (400, Some("client_id")));
    let operator = app.admin().await;
    let (status, body) = error(operator.get("/api/v1/dialogs?status=sleeping").await).await;
    assert_eq!((status, body["details"]["field"].as_str()), (400, Some("status")));
    let (status, body) = error(operator.get("/api/v1/dialogs?limit=0").await).await;
    assert_eq!((status, body["details"]["field"].as_str()), (400, Some("limit")));
    let (_, body) = error(operator.get("/api/v1/dialogs?cursor=garbage").await).await;
    assert_eq!(body["details"]["field"], "cursor");
    // An unknown socket frame is answered, and the socket stays usable.
    let mut ws = v.ws().await;
    ws.next_of("hello").await;
    ws.send(json!({"type": "launch_rockets"})).await;
    assert_eq!(ws.next_of("error").await["code"], "unknown_frame");
    ws.send(json!({"type": "send", "body": "no id"})).await;
    assert_eq!(ws.next_of("error").await["code"], "bad_frame");
    ws.send(json!({"type": "ping"})).await;
    ws.next_of("pong").await;
    app.stop().await;
}

#[tokio::test]
async fn another_workspaces_dialog_is_not_found_and_untouched() {
    let app = TestApp::spawn().await;
    let v = app.visitor().await;
    let m: Value = v.send("c1", "Секрет компании А").await.json().await.expect("json");
    let dialog = m["dialog_id"].as_str().expect("id").to_owned();

    let boris = crate::support::other_workspace_admin(&app).await;
    for path in [format!("/api/v1/dialogs/{dialog}"), format!("/api/v1/dialogs/{dialog}/messages")] {
        let (status, body) = error(boris.get(&path).await).await;
        assert_eq!((status, body["code"].as_str()), (404, Some("dialog_not_found")), "{path}");
    }
    let (status, _) = error(
        boris.post(&format!("/api/v1/dialogs/{dialog}/messages"), json!({"client_id": "b", "body": "чужой"})).await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = error(boris.post(&format!("/api/v1/dialogs/{dialog}/close"), json!({})).await).await;
    assert_eq!(status, 404);
    assert!(boris.dialogs("all").await.is_empty());
    let (status, _) = error(boris.get("/api/v1/dialogs/not-a-uuid").await).await;
    assert_eq!(status, 404);
    // A's dialog is as it was.
    let anna = app.admin().await;
    let d: Value = anna.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!((d["status"].as_str(), d["last_seq"].as_i64()), (Some("open"), Some(1)));
    app.stop().await;
}

#[tokio::test]
async fn replying_to_a_closed_dialog_is_refused() {
    let app = TestApp::spawn().await;
    let v = app.visitor().await;
    let m: Value = v.send("c1", "Вопрос").await.json().await.expect("json");
    let dialog = m["dialog_id"].as_str().expect("id").to_owned();
    let op = app.admin().await;
    op.post(&format!("/api/v1/dialogs/{dialog}/close"), json!({})).await;
    let (status, body) = error(
        op.post(&format!("/api/v1/dialogs/{dialog}/messages"), json!({"client_id": "late", "body": "поздно"})).await,
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (409, Some("dialog_closed")));
    assert_eq!(op.messages(&dialog).await.len(), 1);
    app.stop().await;
}
