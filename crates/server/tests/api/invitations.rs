//! Inviting operators over HTTP: an admin's link works once, for its person and role, signs him
//! in with the password he sets, and can be revoked; refusals change nothing.

use crate::support::{body, other_workspace_admin};
use frontline_testkit::TestApp;
use serde_json::{Value, json};

fn secret(link: &str) -> String {
    link.split_once("/console/invite#").expect("a console link").1.to_owned()
}

#[tokio::test]
async fn an_invited_operator_sets_his_password_once_and_signs_in() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let anna = app.operator(&admin, "anna@example.com", "Анна", &[]).await;
    let http = reqwest::Client::new();
    let public = |path: &str, req: Value| {
        let http = http.clone();
        let url = app.url(path);
        let origin = app.origin();
        async move { http.post(url).header("origin", origin).json(&req).send().await.expect("send") }
    };

    // Refusals name the field; operators cannot invite; a taken address is said.
    for (req, field) in [
        (json!({"email": "not an address", "display_name": "Олег", "role": "operator"}), "email"),
        (json!({"email": "oleg@example.com", "display_name": " ", "role": "operator"}), "display_name"),
        (json!({"email": "oleg@example.com", "display_name": "Олег", "role": "owner"}), "role"),
    ] {
        let (s, e) = body(admin.post("/api/v1/invitations", req).await).await;
        assert_eq!((s, e["details"]["field"].as_str()), (400, Some(field)), "{e}");
    }
    let req = json!({"email": "oleg@example.com", "display_name": "Олег", "role": "supervisor"});
    assert_eq!(anna.post("/api/v1/invitations", req.clone()).await.status(), 403);
    let (s, e) = body(
        admin
            .post("/api/v1/invitations", json!({"email": "anna@example.com", "display_name": "А", "role": "operator"}))
            .await,
    )
    .await;
    assert_eq!((s, e["code"].as_str()), (409, Some("email_taken")));

    let (s, created) = body(admin.post("/api/v1/invitations", req).await).await;
    assert_eq!(s, 201, "{created}");
    assert_eq!(created["mailed"], false, "no mail is set up here: the link is for the admin to pass on");
    assert_eq!(created["invitation"]["state"], "pending");
    let link = created["link"].as_str().expect("link");
    assert!(link.starts_with(&app.origin()), "{link}");
    let token = secret(link);
    let listed: Value = admin.get("/api/v1/invitations").await.json().await.expect("json");
    assert_eq!(listed["items"][0]["email"], "oleg@example.com");
    assert!(!listed.to_string().contains(&token), "the secret is not shown again");

    // His page: who invites him where; a wrong secret is not found.
    let (s, p) = body(public("/api/v1/invitations/preview", json!({"token": token})).await).await;
    assert_eq!((s, p["workspace_name"].as_str(), p["role"].as_str()), (200, Some("Demo"), Some("supervisor")), "{p}");
    let (s, _) = body(public("/api/v1/invitations/preview", json!({"token": "flt_nothing"})).await).await;
    assert_eq!(s, 404);
    // A short password is refused and nothing is made; then he joins.
    let (s, e) = body(public("/api/v1/invitations/accept", json!({"token": token, "password": "short"})).await).await;
    assert_eq!((s, e["details"]["field"].as_str()), (400, Some("password")), "{e}");
    let resp = public(
        "/api/v1/invitations/accept",
        json!({"token": token, "password": "correct horse battery", "display_name": "Олег Петров"}),
    )
    .await;
    let cookie = resp.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (s, me) = body(resp).await;
    assert_eq!(s, 201, "{me}");
    assert_eq!(
        (me["operator"]["display_name"].as_str(), me["operator"]["role"].as_str()),
        (Some("Олег Петров"), Some("supervisor"))
    );
    assert!(cookie.contains("HttpOnly"), "signed in: {cookie}");
    // Once only.
    let (s, _) =
        body(public("/api/v1/invitations/accept", json!({"token": token, "password": "another long one"})).await).await;
    assert_eq!(s, 404);
    let oleg = app.login("oleg@example.com", "correct horse battery").await.expect("he signs in with his password");
    assert_eq!(oleg.get("/api/v1/board").await.status(), 200, "a supervisor");
    let listed: Value = admin.get("/api/v1/invitations").await.json().await.expect("json");
    assert_eq!(listed["items"][0]["state"], "accepted");
    let log: Value = admin.get("/api/v1/audit-log").await.json().await.expect("json");
    let actions: Vec<&str> =
        log["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"operator.invited") && actions.contains(&"operator.created"), "{actions:?}");

    // Revoked before use: the link no longer opens.
    let (_, second) = body(
        admin
            .post("/api/v1/invitations", json!({"email": "ira@example.com", "display_name": "Ира", "role": "operator"}))
            .await,
    )
    .await;
    let id = second["invitation"]["id"].as_str().expect("id");
    let (s, r) = body(admin.post(&format!("/api/v1/invitations/{id}/revoke"), json!({})).await).await;
    assert_eq!((s, r["state"].as_str()), (200, Some("revoked")));
    let t2 = secret(second["link"].as_str().expect("link"));
    let (s, _) =
        body(public("/api/v1/invitations/accept", json!({"token": t2, "password": "correct horse battery"})).await)
            .await;
    assert_eq!(s, 404);
    assert!(app.login("ira@example.com", "correct horse battery").await.is_err());
    // Another workspace's admin neither sees nor revokes it.
    let boris = other_workspace_admin(&app).await;
    let listed: Value = boris.get("/api/v1/invitations").await.json().await.expect("json");
    assert_eq!(listed["items"], json!([]));
    assert_eq!(boris.post(&format!("/api/v1/invitations/{id}/revoke"), json!({})).await.status(), 404);
}
