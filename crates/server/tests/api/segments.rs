//! Segments over HTTP: admins save filters with a live count, a routing rule and a proactive
//! message take one as a condition, the dialog list filters by one, the visitor card lists his,
//! a used one cannot be deleted, and another workspace sees none of it.

use crate::support::{body, other_workspace_admin};
use frontline_testkit::{OperatorClient, TestApp, VisitorClient};
use reqwest::Method;
use serde_json::{Value, json};

async fn tell(v: &VisitorClient, attributes: Value, events: &[&str]) {
    let resp = v.call(Method::PATCH, "/widget/v1/attributes", Some(json!({ "attributes": attributes }))).await;
    assert_eq!(resp.status(), 200);
    if !events.is_empty() {
        let events: Vec<Value> = events.iter().map(|n| json!({ "name": n })).collect();
        let resp = v.call(Method::POST, "/widget/v1/events", Some(json!({ "events": events }))).await;
        assert_eq!(resp.status(), 200);
    }
}

fn buyers() -> Value {
    json!({"match": "all", "rules": [
        {"type": "attribute", "name": "plan", "op": "is", "value": "pro"},
        {"type": "event", "name": "order_paid", "within_days": 30}
    ]})
}

async fn create(admin: &OperatorClient, name: &str, filter: Value) -> (u16, Value) {
    body(admin.post("/api/v1/segments", json!({ "name": name, "filter": filter })).await).await
}

#[tokio::test]
async fn a_segment_counts_routes_offers_filters_and_shows_on_the_card() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let anna = app.operator(&admin, "anna@example.com", "Анна", &[]).await;

    // Refusals name the field and save nothing.
    for (req, status, field) in [
        (json!({"name": "x", "filter": {"rules": []}}), 400, "filter.rules"),
        (
            json!({"name": "x", "filter": {"rules": [{"type": "attribute", "name": "plan", "op": "gt", "value": "a"}]}}),
            400,
            "filter.rules[0].value",
        ),
        (
            json!({"name": "x", "filter": {"rules": [{"type": "last_seen", "op": "within_days", "days": 0}]}}),
            400,
            "filter.rules[0].days",
        ),
        (json!({"name": " ", "filter": buyers()}), 400, "name"),
        (json!({"name": "x"}), 400, "filter"),
    ] {
        let (s, e) = body(admin.post("/api/v1/segments", req).await).await;
        assert_eq!((s, e["details"]["field"].as_str()), (status, Some(field)), "{e}");
    }
    let (s, e) =
        body(admin.post("/api/v1/segments", json!({"name": "x", "filter": {"rules": [{"type": "nope"}]}})).await).await;
    assert_eq!(s, 400, "{e}");
    assert_eq!(anna.post("/api/v1/segments", json!({"name": "x", "filter": buyers()})).await.status(), 403);
    let listed: Value = admin.get("/api/v1/segments").await.json().await.expect("json");
    assert_eq!(listed["items"], json!([]), "nothing was saved");

    let (s, seg) = create(&admin, "Покупатели", buyers()).await;
    assert_eq!(s, 201, "{seg}");
    let sid = seg["id"].as_str().expect("id").to_owned();
    assert_eq!(seg["filter"]["rules"][1]["did"], true, "defaults are written out");
    let (s, e) = create(&admin, "Покупатели", buyers()).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("name_taken")));

    // Two visitors: a buyer with the pro plan, and one on the free plan who bought too.
    let buyer = app.visitor().await;
    tell(&buyer, json!({"plan": "pro"}), &["order_paid"]).await;
    let other = app.visitor().await;
    tell(&other, json!({"plan": "free"}), &["order_paid", "order_paid"]).await;
    let (s, p) = body(admin.get(&format!("/api/v1/segments/{sid}/preview")).await).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["count"], 1);
    assert_eq!(p["visitors"][0]["id"], buyer.session["visitor"]["id"]);
    // A draft counts before it is saved; operators do not count.
    let draft = json!({"filter": {"rules": [{"type": "event", "name": "order_paid", "at_least": 1}]}});
    let (s, p) = body(admin.post("/api/v1/segments/preview", draft.clone()).await).await;
    assert_eq!((s, p["count"].as_i64()), (200, Some(2)), "{p}");
    let twice = json!({"filter": {"rules": [{"type": "event", "name": "order_paid", "at_least": 2}]}});
    let (_, p) = body(admin.post("/api/v1/segments/preview", twice).await).await;
    assert_eq!(p["visitors"][0]["id"], other.session["visitor"]["id"]);
    assert_eq!(anna.post("/api/v1/segments/preview", draft).await.status(), 403);
    assert_eq!(anna.get("/api/v1/segments").await.status(), 200, "operators see them to filter the list");

    // A routing rule sends the segment to its own channel; a foreign id is named.
    let (_, vip) = body(admin.post("/api/v1/channels", json!({"name": "VIP"})).await).await;
    let vip = vip["id"].as_str().expect("channel").to_owned();
    let rule = |segment: &str| json!({"items": [{"name": "Покупатели", "channel_id": vip, "conditions": [{"type": "segment", "segment_id": segment}]}]});
    let (s, e) = body(admin.put("/api/v1/routing-rules", rule(&uuid::Uuid::now_v7().to_string())).await).await;
    assert_eq!((s, e["details"]["field"].as_str()), (404, Some("items[0].conditions[0].segment_id")), "{e}");
    let (s, e) = body(admin.put("/api/v1/routing-rules", rule(&sid)).await).await;
    assert_eq!(s, 200, "{e}");
    let d_buyer = buyer.write("b-1", "Здравствуйте, где мой заказ?").await;
    let d_other = other.write("o-1", "Здравствуйте").await;
    let dialog = |id: String| {
        let admin = admin.clone();
        async move { body(admin.get(&format!("/api/v1/dialogs/{id}")).await).await.1 }
    };
    let (b, o) = (dialog(d_buyer.clone()).await, dialog(d_other.clone()).await);
    assert_eq!((b["channel_id"].as_str(), b["routed_by"].as_str()), (Some(vip.as_str()), Some("Покупатели")), "{b}");
    assert_ne!(o["channel_id"].as_str(), Some(vip.as_str()), "{o}");

    // The list filters by the segment.
    let (s, page) = body(admin.get(&format!("/api/v1/dialogs?status=all&segment={sid}")).await).await;
    assert_eq!(s, 200, "{page}");
    let ids: Vec<&str> = page["items"].as_array().expect("items").iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, vec![d_buyer.as_str()]);
    let (s, e) = body(admin.get(&format!("/api/v1/dialogs?segment={}", uuid::Uuid::now_v7())).await).await;
    assert_eq!((s, e["code"].as_str()), (404, Some("not_found")), "{e}");
    let (s, e) = body(admin.get("/api/v1/dialogs?segment=abc").await).await;
    assert_eq!((s, e["details"]["field"].as_str()), (400, Some("segment")), "{e}");

    // The card names his segments.
    let card = |id: String| {
        let admin = admin.clone();
        async move { body(admin.get(&format!("/api/v1/dialogs/{id}/visitor")).await).await.1 }
    };
    assert_eq!(card(d_buyer.clone()).await["segments"], json!([{"id": sid, "name": "Покупатели"}]));
    assert_eq!(card(d_other.clone()).await["segments"], json!([]));

    // A proactive message only for the segment: the buyer's next visit offers it, the other's not.
    let (s, t) = body(
        admin
            .post(
                "/api/v1/triggers",
                json!({"name": "Отзыв", "message": "Оцените покупку?", "conditions": [{"type": "segment", "segment_id": sid}]}),
            )
            .await,
    )
    .await;
    assert_eq!(s, 201, "{t}");
    let fresh = app.visitor().await;
    tell(&fresh, json!({"plan": "pro"}), &["order_paid"]).await;
    let again = app.visitor_from(&app.origin(), Some(&fresh.token)).await.expect("again");
    let offered: Vec<&Value> = again.session["triggers"].as_array().expect("triggers").iter().collect();
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert_eq!(offered[0]["id"], t["id"]);
    let again = app.visitor_from(&app.origin(), Some(&other.token)).await.expect("again");
    assert!(again.session["triggers"].as_array().expect("triggers").is_empty());

    // Used segments stay; renaming keeps them in use.
    let (s, e) = body(admin.delete(&format!("/api/v1/segments/{sid}")).await).await;
    assert_eq!((s, e["code"].as_str()), (409, Some("segment_in_use")), "{e}");
    assert!(e["details"]["used_by"].as_str().expect("used by").contains("Покупатели"), "{e}");
    let (s, renamed) = body(admin.patch(&format!("/api/v1/segments/{sid}"), json!({"name": "Клиенты"})).await).await;
    assert_eq!((s, renamed["name"].as_str()), (200, Some("Клиенты")));
    assert_eq!(renamed["filter"], seg["filter"]);
    assert_eq!(admin.put("/api/v1/routing-rules", json!({"items": []})).await.status(), 200);
    let (s, e) = body(admin.delete(&format!("/api/v1/segments/{sid}")).await).await;
    assert_eq!((s, e["details"]["used_by"].as_str()), (409, Some("proactive message «Отзыв»")));
    assert_eq!(admin.delete(&format!("/api/v1/triggers/{}", t["id"].as_str().expect("id"))).await.status(), 204);
    assert_eq!(admin.delete(&format!("/api/v1/segments/{sid}")).await.status(), 204);
    assert_eq!(admin.get(&format!("/api/v1/segments/{sid}")).await.status(), 404);
}

#[tokio::test]
async fn another_workspace_neither_sees_nor_uses_a_segment() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, seg) = create(&admin, "Покупатели", buyers()).await;
    let sid = seg["id"].as_str().expect("id");
    let boris = other_workspace_admin(&app).await;
    assert_eq!(boris.get(&format!("/api/v1/segments/{sid}")).await.status(), 404);
    assert_eq!(boris.get(&format!("/api/v1/segments/{sid}/preview")).await.status(), 404);
    assert_eq!(boris.patch(&format!("/api/v1/segments/{sid}"), json!({"name": "x"})).await.status(), 404);
    assert_eq!(boris.delete(&format!("/api/v1/segments/{sid}")).await.status(), 404);
    let listed: Value = boris.get("/api/v1/segments").await.json().await.expect("json");
    assert_eq!(listed["items"], json!([]));
    let (_, ch) = body(boris.get("/api/v1/channels").await).await;
    let ch = ch["items"][0]["id"].as_str().expect("channel").to_owned();
    let rule =
        json!({"items": [{"name": "x", "channel_id": ch, "conditions": [{"type": "segment", "segment_id": sid}]}]});
    let (s, e) = body(boris.put("/api/v1/routing-rules", rule).await).await;
    assert_eq!((s, e["details"]["field"].as_str()), (404, Some("items[0].conditions[0].segment_id")), "{e}");
    // His visitors are not counted in ours, nor ours in his.
    let v = app.visitor().await;
    tell(&v, json!({"plan": "pro"}), &["order_paid"]).await;
    let (_, p) = body(boris.post("/api/v1/segments/preview", json!({"filter": buyers()})).await).await;
    assert_eq!(p["count"], 0);
    let (_, p) = body(admin.post("/api/v1/segments/preview", json!({"filter": buyers()})).await).await;
    assert_eq!(p["count"], 1);
}

#[tokio::test]
async fn a_socket_opened_before_the_site_told_routes_by_what_it_told_since() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, seg) = create(&admin, "Покупатели", buyers()).await;
    let (_, vip) = body(admin.post("/api/v1/channels", json!({"name": "VIP"})).await).await;
    let vip = vip["id"].as_str().expect("channel").to_owned();
    let rule = json!({"items": [{"name": "Покупатели", "channel_id": vip,
        "conditions": [{"type": "segment", "segment_id": seg["id"]}]}]});
    assert_eq!(admin.put("/api/v1/routing-rules", rule).await.status(), 200);
    // The widget opens its socket first; the page tells his plan and his order afterwards.
    let visitor = app.visitor().await;
    let mut socket = visitor.ws().await;
    socket.next_of("hello").await;
    tell(&visitor, json!({"plan": "pro"}), &["order_paid"]).await;
    socket.send(json!({"type": "send", "client_id": "s-1", "body": "Где мой заказ?"})).await;
    let dialog = socket.next_of("ack").await["message"]["dialog_id"].as_str().expect("dialog").to_owned();
    let (_, d) = body(admin.get(&format!("/api/v1/dialogs/{dialog}")).await).await;
    assert_eq!(d["channel_id"].as_str(), Some(vip.as_str()), "{d}");
}
