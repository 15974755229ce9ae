//! The first conversation: a visitor writes, the operator sees it live and answers.

use frontline_testkit::{Backend, Options, TestApp, postgres_store};
use serde_json::json;

async fn conversation(app: &TestApp) {
    let operator = app.admin().await;
    let mut console = operator.ws().await;
    assert_eq!(console.next_of("hello").await["protocol"], 1);

    let visitor = app.visitor().await;
    assert!(visitor.session["visitor"]["name"].is_null());
    let mut widget = visitor.ws().await;
    let hello = widget.next_of("hello").await;
    assert!(hello["dialog"].is_null());

    widget.send(json!({"type": "send", "client_id": "v-1", "body": "Здравствуйте, нужна кухня"})).await;
    let ack = widget.next_of("ack").await;
    assert_eq!(ack["client_id"], "v-1");
    assert_eq!(ack["duplicate"], false);
    assert_eq!(ack["message"]["seq"], 1);
    let dialog_id = ack["message"]["dialog_id"].as_str().expect("dialog id").to_owned();
    // His own message comes back on his topic too (his other tabs show it); clients keep by seq.
    assert_eq!(widget.next_of("message.created").await["message"]["seq"], 1);

    // The console learns about the new dialog and the message, live.
    let created = console.next_of("dialog.created").await;
    assert_eq!(created["dialog"]["id"], dialog_id.as_str());
    assert_eq!(created["dialog"]["unread_count"], 1);
    assert_eq!(created["dialog"]["visitor"]["number"], visitor.session["visitor"]["number"]);
    let msg = console.next_of("message.created").await;
    assert_eq!(msg["message"]["body"], "Здравствуйте, нужна кухня");

    console
        .send(json!({"type": "send", "dialog_id": dialog_id, "client_id": "o-1", "body": "Добрый день! Чем помочь?"}))
        .await;
    let ack = console.next_of("ack").await;
    // The reply made the dialog his first: that system line (operators only) took seq 2.
    assert_eq!(ack["message"]["seq"], 3);
    assert_eq!(ack["message"]["author"]["name"], "Администратор");

    // The visitor gets the reply with the operator's display name and nothing about others.
    let reply = widget.next_of("message.created").await;
    assert_eq!(reply["message"]["body"], "Добрый день! Чем помочь?");
    assert_eq!(reply["message"]["author"]["kind"], "operator");
    assert_eq!(reply["message"]["author"]["name"], "Администратор");
    let rest = widget.drain(200).await;
    assert!(rest.iter().all(|f| f["type"] != "dialog.updated" && f["type"] != "dialog.created"), "{rest:?}");

    // The operator's reply cleared the unread count and assigned the dialog to him; the
    // visitor's history has both messages in order, without the operators' system line.
    let listed = operator.dialogs("open").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["unread_count"], 0);
    assert_eq!(listed[0]["assignee"]["display_name"], "Администратор");
    let history = visitor.history().await;
    let seqs: Vec<_> = history.iter().map(|m| m["seq"].as_i64().unwrap_or_default()).collect();
    assert_eq!(seqs, vec![1, 3]);

    // Closing reaches both sides.
    let closed = operator.post(&format!("/api/v1/dialogs/{dialog_id}/close"), json!({})).await;
    assert_eq!(closed.status(), 200);
    assert_eq!(widget.next_of("dialog.closed").await["dialog"]["status"], "closed");
    assert_eq!(console.next_of("dialog.closed").await["dialog"]["id"], dialog_id.as_str());
    assert!(operator.dialogs("open").await.is_empty());
    assert_eq!(operator.dialogs("closed").await.len(), 1);

    // Writing again within the channel's reopen window (an hour) opens the same dialog again.
    widget.send(json!({"type": "send", "client_id": "v-2", "body": "И ещё вопрос"})).await;
    let ack = widget.next_of("ack").await;
    assert_eq!(ack["message"]["dialog_id"], dialog_id.as_str());
    let reopened = console.next_of("dialog.updated").await;
    assert_eq!(
        (reopened["dialog"]["id"].as_str(), reopened["dialog"]["status"].as_str()),
        (Some(dialog_id.as_str()), Some("open"))
    );
}

#[tokio::test]
async fn visitor_and_operator_talk_live_on_sqlite() {
    let app = TestApp::spawn().await;
    conversation(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn visitor_and_operator_talk_live_on_postgres() {
    let Some(store) = postgres_store().await else {
        return;
    };
    let app = TestApp::spawn_with(Options { backend: Backend::Given(store.clone()), ..Options::default() }).await;
    conversation(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn a_returning_visitor_is_the_same_visitor_with_his_history() {
    let app = TestApp::spawn().await;
    let first = app.visitor().await;
    assert_eq!(first.send("c1", "Первое").await.status(), 201);
    let again = app.visitor_from(&app.origin(), Some(&first.token)).await.expect("again");
    assert_eq!(again.session["visitor"]["id"], first.session["visitor"]["id"]);
    assert_eq!(again.session["dialog"]["last_seq"], 1);
    assert_eq!(again.history().await.len(), 1);
    let stranger = app.visitor_from(&app.origin(), Some("not-a-token")).await.expect("new");
    assert_ne!(stranger.session["visitor"]["id"], first.session["visitor"]["id"]);
    assert!(stranger.history().await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_visitor_may_give_his_name() {
    let app = TestApp::spawn().await;
    let v = app.visitor().await;
    v.send("c0", "Добрый день").await;
    let operator = app.admin().await;
    let mut console = operator.ws().await;
    console.next_of("hello").await;
    let resp = v
        .http
        .patch(v.url("/widget/v1/visitor"))
        .header("origin", &v.origin)
        .bearer_auth(&v.token)
        .json(&json!({"name": "  Ольга  "}))
        .send()
        .await
        .expect("patch");
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(body["name"], "Ольга");
    let updated = console.next_of("dialog.updated").await;
    assert_eq!(updated["dialog"]["visitor"]["name"], "Ольга", "the console learns the name live");
    v.send("c1", "Привет").await;
    assert_eq!(operator.dialogs("open").await[0]["visitor"]["name"], "Ольга");
    app.stop().await;
}

#[tokio::test]
async fn reading_clears_the_unread_count() {
    let app = TestApp::spawn().await;
    let v = app.visitor().await;
    v.send("a", "1").await;
    let m: serde_json::Value = v.send("b", "2").await.json().await.expect("json");
    let dialog = m["dialog_id"].as_str().expect("id").to_owned();
    let operator = app.admin().await;
    assert_eq!(operator.dialogs("open").await[0]["unread_count"], 2);
    let r = operator.post(&format!("/api/v1/dialogs/{dialog}/read"), json!({"seq": 1})).await;
    assert_eq!(r.status(), 204);
    assert_eq!(operator.dialogs("open").await[0]["unread_count"], 1);
    operator.post(&format!("/api/v1/dialogs/{dialog}/read"), json!({"seq": 99})).await;
    assert_eq!(operator.dialogs("open").await[0]["unread_count"], 0);
    app.stop().await;
}
