//! Two nodes on one PostgreSQL database and one NATS: a visitor on one node and an operator
//! on the other talk as if on one server.

use frontline_testkit::s3::TestBucket;
use frontline_testkit::{Install, Options, TestApp};
use futures_util::StreamExt;
use serde_json::json;

#[tokio::test]
async fn a_visitor_on_node_a_and_an_operator_on_node_b_see_each_other() {
    let Some(install) = Install::from_env() else { return };
    // A third listener on the bus sees what crosses it between the nodes.
    let spy = async_nats::connect(&install.nats).await.expect("NATS");
    let mut crossing = spy.subscribe(format!("{}.>", install.prefix)).await.expect("subscribe");
    spy.flush().await.expect("flush");
    let a = install.node(Options::default()).await;
    let b = install.node(Options::default()).await;
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
    install.drop_schema().await;
}

/// A PNG's first bytes and some more: what the upload's type sniffing takes as a picture.
fn picture(fill: u8, len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    bytes.resize(len, fill);
    bytes
}

#[tokio::test]
async fn two_nodes_with_their_own_folders_share_files_through_one_s3_bucket() {
    let (Some(install), Some(bucket)) = (Install::from_env(), TestBucket::create().await) else {
        return;
    };
    // Each node has a data folder of its own (the test kit makes one per node).
    let node = || install.node(Options { s3: Some(bucket.config("chat/")), ..Options::default() });
    let a = node().await;
    let b = node().await;
    assert_ne!(a.data_dir, b.data_dir);

    // A visitor on node A sends a picture (larger than one piece of the upload's body).
    let visitor = a.visitor().await;
    let bytes = picture(7, 200 * 1024 + 17);
    let resp = visitor.upload("кухня.png", bytes.clone()).await;
    assert_eq!(resp.status(), 201);
    let up: serde_json::Value = resp.json().await.expect("json");
    let id = up["id"].as_str().expect("id").to_owned();
    let msg = json!({"client_id": "v-f", "body": "Вот кухня", "attachments": [id]});
    let resp = visitor.call(reqwest::Method::POST, "/widget/v1/messages", Some(msg)).await;
    assert_eq!(resp.status(), 201);

    // The bytes are in the bucket, under the prefix, and nowhere in node A's folder.
    let key = format!("chat/{}", id.replace('-', ""));
    assert_eq!(bucket.objects().await, vec![(key.clone(), bytes.len() as u64)]);
    let files = std::fs::read_dir(a.data_dir.join("files")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(files, 0, "node A keeps no copy, not even the received upload");

    // An operator on node B opens it: the same bytes.
    let operator = b.admin().await;
    let resp = operator.get(&format!("/api/v1/attachments/{id}")).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert!(resp.bytes().await.expect("bytes") == bytes, "the same bytes");

    // A refused file leaves nothing in the bucket.
    let resp = operator.upload("big.png", picture(1, 10 * 1024 * 1024 + 1)).await;
    assert_eq!(resp.status(), 413);
    assert_eq!(bucket.keys().await.len(), 1);

    // An upload no message takes is deleted from the bucket by the sweep, a day later.
    let resp = operator.upload("черновик.png", picture(2, 1000)).await;
    assert_eq!(resp.status(), 201);
    assert_eq!(bucket.keys().await.len(), 2);
    let later = frontline_domain::Timestamp(b.app.clock.now().0 + frontline_core::files::UNSENT_TTL_MS + 60_000);
    assert_eq!(frontline_core::files::sweep_unsent(&b.app, later).await.expect("sweep"), 1);
    assert_eq!(bucket.keys().await, vec![key], "the sent file stays");

    a.stop().await;
    b.stop().await;
    install.drop_schema().await;
}

#[tokio::test]
async fn a_bucket_that_is_not_there_stops_the_start_and_says_which() {
    let Some(bucket) = TestBucket::create().await else { return };
    let s3 = frontline_integrations::S3Config { bucket: "no-such-bucket-here".into(), ..bucket.config("") };
    let e = TestApp::try_spawn(Options { s3: Some(s3), ..Options::default() }).await.err().expect("refused");
    assert!(e.to_string().contains("the bucket no-such-bucket-here does not exist"), "{e}");
}
