//! Complaint → review → block over HTTP and sockets: an operator complains (the dialog stays
//! open), only admins review; a block refuses the visitor's widget, REST and socket with
//! `visitor_blocked` and stores nothing; an address range blocks new visitors from it; a
//! dismissal changes nothing; lifting lets him write again; the audit log and the rows say who
//! did what and when.

use crate::support::{body, general};
use frontline_testkit::TestApp;
use serde_json::{Value, json};

async fn messages(admin: &frontline_testkit::OperatorClient, dialog: &str) -> usize {
    let page: Value = admin.get(&format!("/api/v1/dialogs/{dialog}/messages")).await.json().await.expect("json");
    page["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_complaint_is_reviewed_by_an_admin_and_a_block_shuts_the_visitor_out() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let olga = app.operator(&admin, "olga@example.com", "Ольга", &[&general(&admin).await]).await;
    let visitor = app.visitor().await;
    let mut socket = visitor.ws().await;
    let (status, sent) = body(visitor.send("v-1", "КУПИ ДЕШЁВЫЕ ЧАСЫ").await).await;
    assert_eq!(status, 201, "{sent}");
    let dialog = sent["dialog_id"].as_str().expect("dialog").to_owned();

    // The operator complains; the dialog is not closed by it.
    for (req, field) in
        [(json!({"reason": "rude"}), "reason"), (json!({"reason": "spam", "comment": "я".repeat(1001)}), "comment")]
    {
        let (status, e) = body(olga.post(&format!("/api/v1/dialogs/{dialog}/complaints"), req).await).await;
        assert_eq!((status, e["details"]["field"].as_str()), (400, Some(field)), "{e}");
    }
    let (status, complaint) = body(
        olga.post(
            &format!("/api/v1/dialogs/{dialog}/complaints"),
            json!({"reason": "spam", "comment": "Реклама часов"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{complaint}");
    assert_eq!((complaint["status"].as_str(), complaint["filed_by"].as_str()), (Some("open"), Some("Ольга")));
    let d: Value = olga.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!(d["status"], "open");
    // Only admins review.
    assert_eq!(body(olga.get("/api/v1/complaints").await).await.0, 403);
    let id = complaint["id"].as_str().expect("id");
    assert_eq!(
        body(olga.post(&format!("/api/v1/complaints/{id}/decision"), json!({"action": "block"})).await).await.0,
        403
    );
    let (_, queue) = body(admin.get("/api/v1/complaints").await).await;
    assert_eq!(queue["items"][0]["id"], complaint["id"]);
    assert_eq!(queue["items"][0]["dialog_id"], dialog.as_str(), "the dialog at hand");
    assert_eq!(body(admin.get("/api/v1/complaints?status=later").await).await.0, 400);

    // Blocked: REST, a new session with his token and his open socket are refused; nothing stored.
    let before = messages(&admin, &dialog).await;
    let (status, decided) = body(
        admin.post(&format!("/api/v1/complaints/{id}/decision"), json!({"action": "block", "note": "Спам"})).await,
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!((decided["status"].as_str(), decided["decided_by"].as_str()), (Some("blocked"), Some("Администратор")));
    let (status, e) = body(visitor.send("v-2", "Ещё реклама").await).await;
    assert_eq!((status, e["code"].as_str()), (403, Some("visitor_blocked")), "{e}");
    let resp = visitor.call(reqwest::Method::GET, "/widget/v1/messages", None).await;
    assert_eq!(body(resp).await.0, 403);
    let again = app.visitor_from(&app.origin(), Some(&visitor.token)).await;
    assert!(again.is_err_and(|e| e.to_string().contains("visitor_blocked")), "his widget does not open");
    // His open socket hears it at once and is closed.
    assert_eq!(socket.next_of("error").await["code"], "visitor_blocked");
    assert!(socket.closed().await, "the block closes his open socket");
    // A new socket with his token is refused the same way.
    let again = visitor.ws_from(&visitor.origin).await;
    assert!(again.is_err_and(|e| e.to_string().contains("visitor_blocked")), "a new socket is refused");
    assert_eq!(messages(&admin, &dialog).await, before, "nothing was stored");
    // Decided once.
    let (status, e) =
        body(admin.post(&format!("/api/v1/complaints/{id}/decision"), json!({"action": "dismiss"})).await).await;
    assert_eq!((status, e["code"].as_str()), (409, Some("complaint_decided")));
    // The card says so; the blocks list says who and when.
    let card: Value = admin.get(&format!("/api/v1/dialogs/{dialog}/visitor")).await.json().await.expect("json");
    assert_eq!(card["block"]["blocked_by"], "Администратор");
    let (_, blocks) = body(admin.get("/api/v1/blocks").await).await;
    let block = blocks["items"][0].clone();
    assert_eq!((block["complaint_id"].clone(), block["lifted_at"].clone()), (complaint["id"].clone(), Value::Null));
    // Another visitor is not touched.
    assert_eq!(body(app.visitor().await.send("o-1", "Здравствуйте").await).await.0, 201);

    // Lifted: he writes again, and the lift is kept.
    let block_id = block["id"].as_str().expect("id");
    let (status, lifted) = body(admin.post(&format!("/api/v1/blocks/{block_id}/lift"), json!({})).await).await;
    assert_eq!((status, lifted["lifted_by"].as_str()), (200, Some("Администратор")), "{lifted}");
    assert_eq!(body(visitor.send("v-4", "Извините").await).await.0, 201);
    let (_, live) = body(admin.get("/api/v1/blocks?live=true").await).await;
    assert_eq!(live["items"], json!([]));
    let log: Value = admin.get("/api/v1/audit-log").await.json().await.expect("json");
    let actions: Vec<&str> =
        log["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    for a in ["complaint.filed", "visitor.blocked", "visitor.unblocked"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn a_dismissal_changes_nothing_and_a_range_blocks_new_visitors_from_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let visitor = app.visitor().await;
    let (_, sent) = body(visitor.send("v-1", "Вопрос").await).await;
    let dialog = sent["dialog_id"].as_str().expect("dialog").to_owned();
    let (_, c) =
        body(admin.post(&format!("/api/v1/dialogs/{dialog}/complaints"), json!({"reason": "other"})).await).await;
    let id = c["id"].as_str().expect("id");
    let (status, e) = body(
        admin
            .post(&format!("/api/v1/complaints/{id}/decision"), json!({"action": "dismiss", "ip_range": "127.0.0.0/8"}))
            .await,
    )
    .await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("ip_range")), "a range goes only with a block");
    let (status, d) =
        body(admin.post(&format!("/api/v1/complaints/{id}/decision"), json!({"action": "dismiss"})).await).await;
    assert_eq!((status, d["status"].as_str()), (200, Some("dismissed")));
    assert_eq!(body(visitor.send("v-2", "Всё в порядке").await).await.0, 201);

    // A direct block with the range the tests connect from: new visitors from it are refused too.
    for bad in ["127.0.0.0/4", "localhost"] {
        let (status, e) = body(
            admin.post(&format!("/api/v1/dialogs/{dialog}/block"), json!({"reason": "abuse", "ip_range": bad})).await,
        )
        .await;
        assert_eq!((status, e["details"]["field"].as_str()), (400, Some("ip_range")), "{bad}: {e}");
    }
    let (status, b) = body(
        admin
            .post(&format!("/api/v1/dialogs/{dialog}/block"), json!({"reason": "abuse", "ip_range": "127.0.0.9/8"}))
            .await,
    )
    .await;
    assert_eq!((status, b["ip_range"].as_str()), (201, Some("127.0.0.0/8")), "{b}");
    let refused = app.visitor_from(&app.origin(), None).await;
    assert!(refused.is_err_and(|e| e.to_string().contains("visitor_blocked")));
    let id = b["id"].as_str().expect("id");
    assert_eq!(body(admin.post(&format!("/api/v1/blocks/{id}/lift"), json!({})).await).await.0, 200);
    assert!(app.visitor_from(&app.origin(), None).await.is_ok());
    // Operators may not block.
    let olga = app.operator(&admin, "olga@example.com", "Ольга", &[&general(&admin).await]).await;
    assert_eq!(
        body(olga.post(&format!("/api/v1/dialogs/{dialog}/block"), json!({"reason": "spam"})).await).await.0,
        403
    );
    assert_eq!(body(olga.post(&format!("/api/v1/blocks/{id}/lift"), json!({})).await).await.0, 403);
}
