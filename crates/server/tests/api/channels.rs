//! Admins set up channels and their members.

use crate::support::body;
use frontline_testkit::TestApp;
use serde_json::{Value, json};

#[tokio::test]
async fn admins_create_channels_and_set_their_members() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (status, msk) = body(admin.post("/api/v1/channels", json!({"name": " Москва "})).await).await;
    assert_eq!(status, 201);
    assert_eq!((msk["name"].as_str(), msk["is_default"].as_bool()), (Some("Москва"), Some(false)));
    let id = msk["id"].as_str().expect("id").to_owned();

    let (status, err) = body(admin.post("/api/v1/channels", json!({"name": "Москва"})).await).await;
    assert_eq!(
        (status, err["code"].as_str(), err["details"]["field"].as_str()),
        (409, Some("channel_name_taken"), Some("name"))
    );
    let (status, err) = body(admin.post("/api/v1/channels", json!({"name": "  "})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("name")));

    let renamed = admin
        .http
        .patch(admin.url(&format!("/api/v1/channels/{id}")))
        .header("cookie", &admin.cookie)
        .json(&json!({"name": "Москва и область"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(body(renamed).await.1["name"], "Москва и область");

    let (_, olga) = body(
        admin
            .post("/api/v1/operators", json!({"email": "olga@example.com", "display_name": "Ольга", "password": "olga-password", "role": "operator"}))
            .await,
    )
    .await;
    let olga_id = olga["id"].as_str().expect("id").to_owned();
    let put = |ids: Value| {
        admin
            .http
            .put(admin.url(&format!("/api/v1/channels/{id}/members")))
            .header("cookie", &admin.cookie)
            .json(&json!({ "operator_ids": ids }))
            .send()
    };
    let (status, members) = body(put(json!([olga_id])).await.expect("put")).await;
    assert_eq!(status, 200);
    assert_eq!(members["items"][0]["display_name"], "Ольга");

    // A stranger's id or garbage refuses the whole change; the members stay as they were.
    let (status, err) = body(put(json!([olga_id, uuid::Uuid::now_v7().to_string()])).await.expect("put")).await;
    assert_eq!((status, err["code"].as_str()), (404, Some("not_found")));
    let (status, err) = body(put(json!(["not-an-id"])).await.expect("put")).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("operator_ids")));
    let (_, listed) = body(admin.get(&format!("/api/v1/channels/{id}/members")).await).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));

    // Operators may look but not change.
    let olga = app.login("olga@example.com", "olga-password").await.expect("olga");
    assert_eq!(olga.post("/api/v1/channels", json!({"name": "Своё"})).await.status(), 403);
    let (status, list) = body(olga.get("/api/v1/channels").await).await;
    assert_eq!((status, list["items"].as_array().map(Vec::len)), (200, Some(2)));
    let (status, _) = body(admin.get("/api/v1/channels/not-a-uuid/members").await).await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn an_operator_outside_a_channel_neither_gets_its_dialogs_nor_hears_of_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let new_operator = |email: &'static str, name: &'static str| {
        admin.post(
            "/api/v1/operators",
            json!({"email": email, "display_name": name, "password": "long-enough-pw", "role": "operator"}),
        )
    };
    let (_, olga) = body(new_operator("olga@example.com", "Ольга").await).await;
    let (_, boris) = body(new_operator("boris@example.com", "Борис").await).await;
    let (_, msk) = body(admin.post("/api/v1/channels", json!({"name": "Москва"})).await).await;
    let (_, channels) = body(admin.get("/api/v1/channels").await).await;
    let general =
        channels["items"].as_array().expect("items").iter().find(|c| c["is_default"] == true).expect("default")["id"]
            .as_str()
            .expect("id")
            .to_owned();
    let set = |channel: String, ids: Value| {
        admin
            .http
            .put(admin.url(&format!("/api/v1/channels/{channel}/members")))
            .header("cookie", &admin.cookie)
            .json(&json!({ "operator_ids": ids }))
            .send()
    };
    // Olga works only in Moscow; Boris in the general channel, where the demo site's dialogs go.
    assert_eq!(set(msk["id"].as_str().expect("id").to_owned(), json!([olga["id"]])).await.expect("put").status(), 200);
    assert_eq!(set(general, json!([boris["id"], admin.me["operator"]["id"]])).await.expect("put").status(), 200);

    let olga = app.login("olga@example.com", "long-enough-pw").await.expect("olga");
    let boris = app.login("boris@example.com", "long-enough-pw").await.expect("boris");
    let mut olga_ws = olga.ws().await;
    let mut boris_ws = boris.ws().await;
    let mut admin_ws = admin.ws().await;
    for ws in [&mut olga_ws, &mut boris_ws, &mut admin_ws] {
        ws.next_of("hello").await;
    }

    let visitor = app.visitor().await;
    let sent: Value = visitor.send("v1", "Вопрос в общий канал").await.json().await.expect("json");
    let dialog = sent["dialog_id"].as_str().expect("dialog").to_owned();

    // Boris (a member) and the admin hear of it; Olga's socket stays silent.
    assert_eq!(boris_ws.next_of("dialog.created").await["dialog"]["id"], dialog.as_str());
    assert_eq!(boris_ws.next_of("message.created").await["message"]["body"], "Вопрос в общий канал");
    assert_eq!(admin_ws.next_of("dialog.created").await["dialog"]["id"], dialog.as_str());
    let reply: Value = boris
        .post(&format!("/api/v1/dialogs/{dialog}/messages"), json!({"client_id": "b1", "body": "Ответ Бориса"}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(reply["seq"], 3, "after the line that assigned it to Boris");
    assert_eq!(admin_ws.next_of("message.created").await["message"]["seq"], 1);
    let heard = olga_ws.drain(300).await;
    assert!(heard.is_empty(), "Olga heard of another channel's dialog: {heard:?}");

    // Over REST the dialog does not exist for her, and she cannot touch it.
    assert!(olga.dialogs("all").await.is_empty());
    for path in [format!("/api/v1/dialogs/{dialog}"), format!("/api/v1/dialogs/{dialog}/messages")] {
        let (status, err) = body(olga.get(&path).await).await;
        assert_eq!((status, err["code"].as_str()), (404, Some("dialog_not_found")), "{path}");
    }
    for (path, payload) in [
        (format!("/api/v1/dialogs/{dialog}/messages"), json!({"client_id": "o1", "body": "чужой"})),
        (format!("/api/v1/dialogs/{dialog}/read"), json!({"seq": 2})),
        (format!("/api/v1/dialogs/{dialog}/close"), json!({})),
        (format!("/api/v1/dialogs/{dialog}/accept"), json!({})),
        (format!("/api/v1/dialogs/{dialog}/assign"), json!({"operator_id": null})),
        (format!("/api/v1/dialogs/{dialog}/transfer"), json!({"channel_id": uuid::Uuid::now_v7()})),
    ] {
        assert_eq!(olga.post(&path, payload).await.status(), 404, "{path}");
    }
    olga_ws.send(json!({"type": "resume", "dialog_id": dialog, "after_seq": 0})).await;
    assert_eq!(olga_ws.next_of("error").await["code"], "dialog_not_found");
    // Boris sees it, the dialog is untouched by Olga's attempts.
    let listed = boris.dialogs("open").await;
    assert_eq!((listed.len(), listed[0]["last_seq"].as_i64()), (1, Some(3)));
    app.stop().await;
}
