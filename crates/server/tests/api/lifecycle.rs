//! An operator's life after creation: deactivation, role, password reset and change, his
//! sessions, the idle limit, and the audit log of it all.

use crate::support::{body, general};
use frontline_core::FakeClock;
use frontline_domain::Timestamp;
use frontline_testkit::{ADMIN_PASSWORD, Options, TestApp};
use serde_json::{Value, json};
use std::sync::Arc;

#[tokio::test]
async fn a_deactivated_operator_is_out_at_once_and_his_history_stays() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let channel = general(&admin).await;
    admin.patch(&format!("/api/v1/channels/{channel}"), json!({"offline_policy": "return"})).await;
    let anna = app.operator(&admin, "anna@example.org", "Анна", &[&channel]).await;
    anna.presence("online").await;
    let visitor = app.visitor().await;
    let d = visitor.write("a", "Вопрос").await;
    assert_eq!(
        anna.post(&format!("/api/v1/dialogs/{d}/messages"), json!({"client_id": "o1", "body": "Отвечаю"}))
            .await
            .status(),
        201
    );
    let mut ws = anna.ws().await;
    ws.next_of("hello").await;

    // Not himself; not by an operator.
    let (status, err) =
        body(admin.post(&format!("/api/v1/operators/{}/deactivate", admin.id()), json!({})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("id")), "{err}");
    assert_eq!(anna.post(&format!("/api/v1/operators/{}/deactivate", admin.id()), json!({})).await.status(), 403);

    let (status, view) =
        body(admin.post(&format!("/api/v1/operators/{}/deactivate", anna.id()), json!({})).await).await;
    assert_eq!(
        (status, view["deactivated"].as_bool(), view["presence"].as_str()),
        (200, Some(true), Some("offline")),
        "{view}"
    );
    assert_eq!(ws.next_of("error").await["code"], "unauthenticated");
    assert!(ws.closed().await, "her socket closed");
    assert_eq!(anna.get("/api/v1/me").await.status(), 401, "her session ended");
    let again = app.login("anna@example.org", "operator-password").await;
    assert!(again.is_err_and(|e| e.to_string().contains("invalid_credentials")), "she cannot sign in");
    // Her dialog went back to the queue (the channel's offline policy); her reply stays.
    let dlg: Value = admin.get(&format!("/api/v1/dialogs/{d}")).await.json().await.expect("json");
    assert!(dlg["assignee"].is_null(), "{dlg}");
    assert!(admin.messages(&d).await.iter().any(|m| m["body"] == "Отвечаю" && m["author"]["name"] == "Анна"));
    // Nobody can hand her a dialog now.
    let (status, _) =
        body(admin.post(&format!("/api/v1/dialogs/{d}/assign"), json!({"operator_id": anna.id()})).await).await;
    assert_eq!(status, 409);

    let (status, view) =
        body(admin.post(&format!("/api/v1/operators/{}/reactivate", anna.id()), json!({})).await).await;
    assert_eq!((status, view["deactivated"].as_bool()), (200, Some(false)));
    assert!(app.login("anna@example.org", "operator-password").await.is_ok());

    // The audit log has it, newest first, with who and from where; never the password.
    let (status, log) = body(admin.get("/api/v1/audit-log").await).await;
    assert_eq!(status, 200);
    let actions: Vec<&str> =
        log["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions[..4],
        ["operator.reactivated", "login.failed", "operator.deactivated", "operator.created"],
        "{actions:?}"
    );
    let deactivated = &log["items"][2];
    assert_eq!(
        (deactivated["actor"]["name"].as_str(), deactivated["target"]["name"].as_str()),
        (Some("Администратор"), Some("Анна"))
    );
    assert!(deactivated["ip"].as_str().is_some_and(|ip| ip.starts_with("127.")), "{deactivated}");
    assert!(!log.to_string().contains("operator-password"));
    assert_eq!(anna.get("/api/v1/audit-log").await.status(), 401, "her old session is gone");
    app.stop().await;
}

#[tokio::test]
async fn a_role_change_reaches_the_open_console_and_not_oneself() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (status, ch) = body(admin.post("/api/v1/channels", json!({"name": "Сервис"})).await).await;
    assert_eq!(status, 201);
    let service = ch["id"].as_str().expect("id").to_owned();
    let general_ch = general(&admin).await;
    let anna = app.operator(&admin, "anna@example.org", "Анна", &[&service]).await;
    // Out of the general channel, where a new operator starts.
    admin.put(&format!("/api/v1/channels/{general_ch}/members"), json!({"operator_ids": [admin.id()]})).await;
    let mut ws = anna.ws().await;
    ws.next_of("hello").await;
    let visitor = app.visitor().await; // routed to the general channel, which Anna is not in
    visitor.send("a", "Первый").await;
    assert!(ws.drain(300).await.iter().all(|f| f["type"] != "message.created"), "not her channel");

    let (status, err) =
        body(admin.put(&format!("/api/v1/operators/{}/role", admin.id()), json!({"role": "operator"})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("id")), "not one's own role");
    let (status, err) =
        body(admin.put(&format!("/api/v1/operators/{}/role", anna.id()), json!({"role": "root"})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("role")));
    let (status, view) =
        body(admin.put(&format!("/api/v1/operators/{}/role", anna.id()), json!({"role": "supervisor"})).await).await;
    assert_eq!((status, view["role"].as_str()), (200, Some("supervisor")));
    assert_eq!(ws.next_of("resync").await["reason"], "access_changed");
    visitor.send("b", "Второй").await;
    assert_eq!(ws.next_of("message.created").await["message"]["body"], "Второй", "a supervisor sees every channel");
    let me: Value = anna.get("/api/v1/me").await.json().await.expect("json");
    assert_eq!(me["operator"]["role"], "supervisor");
    let _ = general_ch;
    app.stop().await;
}

#[tokio::test]
async fn passwords_are_reset_by_admins_and_changed_by_their_owners() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let channel = general(&admin).await;
    let anna = app.operator(&admin, "anna@example.org", "Анна", &[&channel]).await;
    let (status, reset) =
        body(admin.post(&format!("/api/v1/operators/{}/password-reset", anna.id()), json!({})).await).await;
    assert_eq!(status, 200, "{reset}");
    let fresh = reset["password"].as_str().expect("shown once").to_owned();
    assert_eq!(anna.get("/api/v1/me").await.status(), 401, "her sessions ended");
    assert!(app.login("anna@example.org", "operator-password").await.is_err());
    let anna = app.login("anna@example.org", &fresh).await.expect("the new password");
    let phone = app.login("anna@example.org", &fresh).await.expect("a second session");

    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let (status, err) = body(anna.put("/api/v1/me/password", change("wrong-password", "a-new-password")).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("current_password")));
    let (status, err) = body(anna.put("/api/v1/me/password", change(&fresh, "short")).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("new_password")));
    assert_eq!(anna.put("/api/v1/me/password", change(&fresh, "a-new-password")).await.status(), 204);
    assert_eq!(anna.get("/api/v1/me").await.status(), 200, "this session stays");
    assert_eq!(phone.get("/api/v1/me").await.status(), 401, "the other one ended");
    assert!(app.login("anna@example.org", "a-new-password").await.is_ok());
    let log: Value = admin.get("/api/v1/audit-log").await.json().await.expect("json");
    let actions: Vec<&str> =
        log["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"password.changed") && actions.contains(&"operator.password_reset"), "{actions:?}");
    assert!(!log.to_string().contains(&fresh) && !log.to_string().contains("a-new-password"));
    app.stop().await;
}

#[tokio::test]
async fn an_operator_sees_and_ends_his_sessions() {
    let app = TestApp::spawn().await;
    let laptop = app.admin().await;
    let phone = app.admin().await;
    let tablet = app.admin().await;
    let mut phone_ws = phone.ws().await;
    phone_ws.next_of("hello").await;
    let (status, list) = body(laptop.get("/api/v1/me/sessions").await).await;
    assert_eq!(status, 200);
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_list: Value = phone.get("/api/v1/me/sessions").await.json().await.expect("json");
    let phone_id =
        phone_list["items"].as_array().expect("items").iter().find(|s| s["current"] == true).expect("current")["id"]
            .as_str()
            .expect("id")
            .to_owned();
    assert_eq!(laptop.delete(&format!("/api/v1/me/sessions/{phone_id}")).await.status(), 204);
    assert_eq!(phone_ws.next_of("error").await["code"], "unauthenticated");
    assert_eq!(phone.get("/api/v1/me").await.status(), 401);
    assert_eq!(laptop.delete(&format!("/api/v1/me/sessions/{phone_id}")).await.status(), 404, "gone already");
    let (status, ended) = body(laptop.post("/api/v1/me/sessions/end-others", json!({})).await).await;
    assert_eq!((status, ended["ended"].as_u64()), (200, Some(1)));
    assert_eq!(tablet.get("/api/v1/me").await.status(), 401);
    assert_eq!(laptop.get("/api/v1/me").await.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn a_session_unused_past_the_idle_limit_ends() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_800_000_000_000)));
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let admin = app.admin().await;
    let hour = 3_600_000;
    clock.advance_ms(11 * hour);
    assert_eq!(admin.get("/api/v1/me").await.status(), 200, "11 h idle: still signed in (and now used)");
    clock.advance_ms(11 * hour);
    assert_eq!(admin.get("/api/v1/me").await.status(), 200, "used 11 h ago");
    clock.advance_ms(13 * hour);
    assert_eq!(admin.get("/api/v1/me").await.status(), 401, "unused for 13 h");
    // The scheduler purges it (and the sign-in works again).
    app.tick().await;
    assert!(app.login(&app.admin_email, ADMIN_PASSWORD).await.is_ok());
    app.stop().await;
}
