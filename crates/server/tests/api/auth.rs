//! Login, logout, sessions, roles.

use frontline_testkit::{ADMIN_PASSWORD, TestApp};
use serde_json::{Value, json};

#[tokio::test]
async fn login_sets_an_http_only_same_site_cookie_and_logout_ends_it() {
    let app = TestApp::spawn().await;
    let resp = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "ADMIN@example.com ", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), 200);
    let cookie = resp.headers()["set-cookie"].to_str().expect("cookie").to_owned();
    assert!(cookie.starts_with("frontline_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    let op = app.admin().await;
    assert_eq!(op.get("/api/v1/me").await.status(), 200);
    assert_eq!(op.post("/api/v1/auth/logout", json!({})).await.status(), 204);
    let me = op.get("/api/v1/me").await;
    assert_eq!(me.status(), 401);
    assert_eq!(me.json::<Value>().await.expect("json")["code"], "unauthenticated");
    app.stop().await;
}

#[tokio::test]
async fn wrong_passwords_and_unknown_emails_are_refused_alike() {
    let app = TestApp::spawn().await;
    for (email, password) in [("admin@example.com", "wrong password"), ("nobody@example.com", ADMIN_PASSWORD)] {
        let err = app.login(email, password).await.err().expect("refused").to_string();
        assert!(err.contains("401") && err.contains("invalid_credentials"), "{err}");
    }
    let err = app.login("not an email", "x").await.err().expect("refused").to_string();
    assert!(err.contains("400") && err.contains("\"field\":\"email\""), "{err}");
    assert!(
        reqwest::get(app.url("/metrics"))
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text")
            .contains("frontline_logins_failed_total 2")
    );
    app.stop().await;
}

#[tokio::test]
async fn admins_add_operators_and_operators_may_not() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let new =
        json!({"email": "olga@example.com", "display_name": "Ольга", "password": "olga-password", "role": "operator"});
    let resp = admin.post("/api/v1/operators", new.clone()).await;
    assert_eq!(resp.status(), 201);
    let again = admin.post("/api/v1/operators", new).await;
    assert_eq!(again.status(), 409);
    assert_eq!(again.json::<Value>().await.expect("json")["code"], "email_taken");
    let bad = admin
        .post(
            "/api/v1/operators",
            json!({"email": "x@example.com", "display_name": "X", "password": "long-enough", "role": "root"}),
        )
        .await;
    assert_eq!(bad.json::<Value>().await.expect("json")["details"]["field"], "role");
    let short = admin
        .post(
            "/api/v1/operators",
            json!({"email": "y@example.com", "display_name": "Y", "password": "short", "role": "operator"}),
        )
        .await;
    assert_eq!(short.json::<Value>().await.expect("json")["details"]["field"], "password");

    let olga = app.login("olga@example.com", "olga-password").await.expect("olga signs in");
    assert_eq!(olga.me["operator"]["role"], "operator");
    let refused = olga
        .post(
            "/api/v1/operators",
            json!({"email": "z@example.com", "display_name": "Z", "password": "long-enough", "role": "admin"}),
        )
        .await;
    assert_eq!(refused.status(), 403);
    let list: Value = admin.get("/api/v1/operators").await.json().await.expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
    app.stop().await;
}

#[tokio::test]
async fn sockets_need_a_session_and_our_origin() {
    let app = TestApp::spawn().await;
    let op = app.admin().await;
    let url = format!("{}/api/v1/ws", app.base.replacen("http", "ws", 1));
    assert!(tokio_tungstenite::connect_async(url.clone()).await.is_err(), "no cookie");
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = url.into_client_request().expect("req");
    req.headers_mut().insert("cookie", op.cookie.parse().expect("cookie"));
    req.headers_mut().insert("origin", "https://evil.example.org".parse().expect("origin"));
    assert!(tokio_tungstenite::connect_async(req).await.is_err(), "cross-site socket");
    app.stop().await;
}
