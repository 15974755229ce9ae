//! Two nodes on one PostgreSQL database and one NATS: a visitor on one node and an operator
//! on the other talk as if on one server.

use frontline_core::bus::nats::NatsBus;
use frontline_store_postgres::PgStore;
use frontline_testkit::{Backend, Options, TestApp, test_nats_url};
use futures_util::StreamExt;
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn a_visitor_on_node_a_and_an_operator_on_node_b_see_each_other() {
    let (Some(db), Some(nats)) = (frontline_store::contract::test_database_url(), test_nats_url()) else {
        return;
    };
    let schema = format!("fl_test_{}", uuid::Uuid::now_v7().simple());
    let prefix = format!("frontline-test-{}", uuid::Uuid::now_v7().simple());
    let node = |_: u8| {
        let (db, nats, schema, prefix) = (db.clone(), nats.clone(), schema.clone(), prefix.clone());
        async move {
            let store = Arc::new(PgStore::connect_in_schema(&db, Some(&schema)).await.expect("PostgreSQL"));
            let bus = Arc::new(NatsBus::connect(&nats, &prefix).await.expect("NATS"));
            TestApp::spawn_with(Options { backend: Backend::Given(store), bus: Some(bus), ..Options::default() }).await
        }
    };
    // A third listener on the bus sees what crosses it between the nodes.
    let spy = async_nats::connect(&nats).await.expect("NATS");
    let mut crossing = spy.subscribe(format!("{prefix}.>")).await.expect("subscribe");
    spy.flush().await.expect("flush");
    let a = node(1).await;
    let b = node(2).await;
    assert_eq!(a.site_key, b.site_key, "both nodes serve the same workspace");

    let operator = b.admin().await;
    let mut console = operator.ws().await;
    console.next_of("hello").await;
    let visitor = a.visitor().await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;

    widget.send(json!({"type": "send", "client_id": "v1", "body": "Привет с узла A"})).await;
    let dialog = widget.next_of("ack").await["message"]["dialog_id"].as_str().expect("id").to_owned();
    assert_eq!(console.next_of("message.created").await["message"]["body"], "Привет с узла A");
    assert_eq!(widget.next_of("message.created").await["message"]["seq"], 1, "the echo of his own message");
    console.send(json!({"type": "send", "dialog_id": dialog, "client_id": "o1", "body": "Ответ с узла B"})).await;
    console.next_of("ack").await;
    assert_eq!(widget.next_of("message.created").await["message"]["body"], "Ответ с узла B");

    // Only ids and small facts crossed NATS: no message, no visitor, no rendered view.
    let mut seen = Vec::new();
    while let Ok(Some(m)) = tokio::time::timeout(std::time::Duration::from_millis(300), crossing.next()).await {
        seen.push(String::from_utf8_lossy(&m.payload).into_owned());
    }
    assert!(seen.iter().any(|p| p.contains(r#""k":"message""#)), "the messages crossed as facts: {seen:?}");
    for p in &seen {
        for private in ["Привет с узла A", "Ответ с узла B", "\"body\"", "\"visitor\"", "display_name"]
        {
            assert!(!p.contains(private), "{private} crossed NATS: {p}");
        }
    }

    // A block placed on node B closes his socket on node A.
    let resp = operator.post(&format!("/api/v1/dialogs/{dialog}/block"), json!({"reason": "spam"})).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(widget.next_of("error").await["code"], "visitor_blocked");
    assert!(widget.closed().await, "closed on the other node");

    a.stop().await;
    b.stop().await;
    PgStore::drop_schema(&db, &schema).await.expect("drop schema");
}
