//! Admins set up channels and their members.

use frontline_testkit::TestApp;
use serde_json::{Value, json};

async fn body(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("JSON body"))
}

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
