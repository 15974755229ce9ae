//! What a team meets on its first day, as wrong behaviour the issue named: the automatic
//! greeting is no reply (the SLA still waits, auto-close does not start), its variables are
//! filled, and a dialog that changes hands is not greeted again.

use crate::support::{body, general};
use frontline_core::FakeClock;
use frontline_domain::Timestamp;
use frontline_testkit::{Backend, OperatorClient, Options, TestApp, VisitorClient, postgres_store};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;

const MIN: i64 = 60_000;
/// Wednesday 3 March 2027, 12:00 UTC.
const WEDNESDAY_NOON: i64 = 1_804_075_200_000;

async fn dialog(op: &OperatorClient, id: &str) -> Value {
    op.get(&format!("/api/v1/dialogs/{id}")).await.json().await.expect("dialog")
}

/// SLA on (it is off by default) with the manual's targets, counted around the clock.
async fn sla_on(admin: &OperatorClient) {
    let ch = general(admin).await;
    let mut doc: Value = admin.get(&format!("/api/v1/channels/{ch}/automation")).await.json().await.expect("doc");
    assert_eq!(doc["sla"]["enabled"], false, "off on a fresh install: {doc}");
    doc["sla"]["enabled"] = json!(true);
    let (status, saved) = body(admin.put(&format!("/api/v1/channels/{ch}/automation"), doc).await).await;
    assert_eq!(status, 200, "{saved}");
}

async fn set_greeting(admin: &OperatorClient, text: &str) {
    let ch = general(admin).await;
    let (status, saved) = body(admin.patch(&format!("/api/v1/channels/{ch}"), json!({"greeting": text})).await).await;
    assert_eq!(status, 200, "{saved}");
}

async fn named_visitor(app: &TestApp, name: Option<&str>) -> VisitorClient {
    let visitor = app.visitor().await;
    if let Some(name) = name {
        let (status, v) =
            body(visitor.call(Method::PATCH, "/widget/v1/visitor", Some(json!({"name": name}))).await).await;
        assert_eq!(status, 200, "{v}");
    }
    visitor
}

async fn spawn(clock: &Arc<FakeClock>, backend: Option<Backend>) -> TestApp {
    TestApp::spawn_with(Options {
        clock: clock.clone(),
        backend: backend.unwrap_or(Backend::Sqlite),
        ..Options::default()
    })
    .await
}

async fn the_greeting_alone_is_no_reply(app: TestApp, clock: Arc<FakeClock>) {
    let admin = app.admin().await;
    sla_on(&admin).await;
    set_greeting(&admin, "Здравствуйте, {visitor.first_name}! Меня зовут {operator.first_name}, чем помочь?").await;
    let anna = app.operator(&admin, "anna@example.com", "Анна Смирнова", &[&general(&admin).await]).await;
    let visitor = named_visitor(&app, Some("Ирина Волкова")).await;
    let id = visitor.write("v-1", "Есть ли у вас угловые кухни?").await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;

    let (status, accepted) = body(anna.post(&format!("/api/v1/dialogs/{id}/accept"), json!({})).await).await;
    assert_eq!(status, 200, "{accepted}");
    let greeting = widget.next_of("message.created").await;
    assert_eq!(greeting["message"]["body"], "Здравствуйте, Ирина! Меня зовут Анна, чем помочь?");
    assert_eq!(greeting["message"]["automatic"], "greeting");
    assert_eq!(greeting["message"]["author"]["name"], "Анна Смирнова");

    // Still waiting for a reply: the first-reply target runs, auto-close does not, and the list
    // still shows the visitor's question as unanswered.
    let d = dialog(&anna, &id).await;
    assert_eq!(d["sla"]["reply_target"], "first_reply", "{d}");
    assert_eq!(d["sla"]["reply_due_at"], frontline_core::views::rfc3339(Timestamp(WEDNESDAY_NOON + MIN)));
    assert!(d["auto_close"].is_null(), "the greeting starts no auto-close: {d}");
    assert_eq!(d["last_message"]["author_kind"], "visitor", "{d}");
    assert_eq!(d["last_message"]["preview"], "Есть ли у вас угловые кухни?");

    // Eleven minutes of silence after the greeting: nothing closes it, and the target is missed.
    clock.advance_ms(11 * MIN);
    let fired = app.tick().await.automation;
    assert_eq!(fired.auto_closed, 0);
    assert_eq!(fired.breaches, 1, "the greeting did not meet the first-reply target");
    let d = dialog(&anna, &id).await;
    assert_eq!(d["status"], "open");
    assert!(d["sla"]["reply_breached"].as_bool().expect("flag"), "{d}");

    // Her own reply is the reply: the target is settled and auto-close starts from it.
    let (status, m) = body(
        anna.post(&format!("/api/v1/dialogs/{id}/messages"), json!({"client_id": "a-1", "body": "Да, есть."})).await,
    )
    .await;
    assert_eq!(status, 201, "{m}");
    assert!(m["message"]["automatic"].is_null(), "{m}");
    let d = dialog(&anna, &id).await;
    assert!(d["sla"]["reply_due_at"].is_null(), "{d}");
    assert_eq!(d["sla"]["reply_target"], Value::Null);
    assert_eq!(d["auto_close"]["action"], "close", "{d}");
    assert_eq!(d["last_message"]["author_kind"], "operator");
}

#[tokio::test]
async fn the_greeting_alone_is_no_reply_on_sqlite() {
    let clock = Arc::new(FakeClock::at(Timestamp(WEDNESDAY_NOON)));
    the_greeting_alone_is_no_reply(spawn(&clock, None).await, clock).await;
}

#[tokio::test]
async fn the_greeting_alone_is_no_reply_on_postgres() {
    let Some(store) = postgres_store().await else { return };
    let clock = Arc::new(FakeClock::at(Timestamp(WEDNESDAY_NOON)));
    the_greeting_alone_is_no_reply(spawn(&clock, Some(Backend::Given(store))).await, clock).await;
}

#[tokio::test]
async fn a_visitor_without_a_name_gets_a_tidy_greeting() {
    let clock = Arc::new(FakeClock::at(Timestamp(WEDNESDAY_NOON)));
    let app = spawn(&clock, None).await;
    let admin = app.admin().await;
    set_greeting(&admin, "{visitor.first_name}, здравствуйте! Меня зовут {operator.name}. Код {order.id}").await;
    let visitor = named_visitor(&app, None).await;
    let id = visitor.write("v-1", "Вопрос").await;
    let (status, _) = body(admin.post(&format!("/api/v1/dialogs/{id}/accept"), json!({})).await).await;
    assert_eq!(status, 200);
    let history = visitor.history().await;
    let greeting = history.iter().find(|m| m["automatic"] == "greeting").expect("greeting");
    assert_eq!(greeting["body"], "Здравствуйте! Меня зовут Администратор. Код {order.id}");
}

/// Greeted once, whoever takes the dialog after: a transfer to a colleague, to a channel that
/// auto-assigns, back to the queue and accepted again.
async fn a_handover_does_not_greet_again(app: TestApp) {
    let admin = app.admin().await;
    let general = general(&admin).await;
    let (status, shop) = body(admin.post("/api/v1/channels", json!({"name": "Магазин"})).await).await;
    assert_eq!(status, 201, "{shop}");
    let shop = shop["id"].as_str().expect("id").to_owned();
    let (status, auto) = body(admin.patch(&format!("/api/v1/channels/{shop}"), json!({"mode": "auto"})).await).await;
    assert_eq!(status, 200, "{auto}");
    let anna = app.operator(&admin, "anna@example.com", "Анна", &[&general]).await;
    let boris = app.operator(&admin, "boris@example.com", "Борис", &[&general]).await;
    let vera = app.operator(&admin, "vera@example.com", "Вера", &[&shop]).await;
    for op in [&anna, &boris, &vera] {
        op.presence("online").await;
    }
    let visitor = named_visitor(&app, Some("Ирина")).await;
    let id = visitor.write("v-1", "Нужна помощь с заказом").await;

    let (status, _) = body(anna.post(&format!("/api/v1/dialogs/{id}/accept"), json!({})).await).await;
    assert_eq!(status, 200);
    let greetings = |h: &[Value]| h.iter().filter(|m| m["automatic"] == "greeting").count();
    assert_eq!(greetings(&visitor.history().await), 1);

    // To a colleague: one notice for the visitor, no greeting.
    let boris_id = boris.id();
    let (status, t) = body(
        anna.post(&format!("/api/v1/dialogs/{id}/transfer"), json!({"operator_id": boris_id, "comment": "по заказу"}))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["assignee"]["id"], boris_id.as_str(), "{t}");
    let history = visitor.history().await;
    assert_eq!(greetings(&history), 1, "{history:#?}");
    let last = history.last().expect("a line");
    assert_eq!(last["event"]["kind"], "transfer_notice", "the visitor's one line about it: {last}");

    // To a channel that auto-assigns (Vera is its one member): no greeting either.
    let (status, t) =
        body(boris.post(&format!("/api/v1/dialogs/{id}/transfer"), json!({"channel_id": shop})).await).await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(dialog(&admin, &id).await["assignee"]["id"], vera.id().as_str(), "auto-assigned");
    assert_eq!(greetings(&visitor.history().await), 1);

    // Back to a queue (the first channel's, which does not auto-assign) and accepted by the
    // admin: still one greeting.
    let (status, t) =
        body(vera.post(&format!("/api/v1/dialogs/{id}/transfer"), json!({"channel_id": general})).await).await;
    assert_eq!(status, 200, "{t}");
    assert!(t["assignee"].is_null(), "{t}");
    let (status, _) = body(admin.post(&format!("/api/v1/dialogs/{id}/accept"), json!({})).await).await;
    assert_eq!(status, 200);
    assert_eq!(greetings(&visitor.history().await), 1);

    // A dialog first answered by a reply (no greeting then) is not greeted later either.
    let other = named_visitor(&app, None).await;
    let id2 = other.write("w-1", "Ещё вопрос").await;
    let (status, _) = body(
        anna.post(&format!("/api/v1/dialogs/{id2}/messages"), json!({"client_id": "a-9", "body": "Слушаю вас"})).await,
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) =
        body(anna.post(&format!("/api/v1/dialogs/{id2}/transfer"), json!({"channel_id": shop})).await).await;
    assert_eq!(status, 200);
    assert_eq!(greetings(&other.history().await), 0);
}

#[tokio::test]
async fn a_handover_does_not_greet_again_on_sqlite() {
    a_handover_does_not_greet_again(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_handover_does_not_greet_again_on_postgres() {
    let Some(store) = postgres_store().await else { return };
    a_handover_does_not_greet_again(
        TestApp::spawn_with(Options { backend: Backend::Given(store), ..Options::default() }).await,
    )
    .await;
}

/// His own profile: name, language, the nine pinned replies; a bad field is named and nothing
/// changes.
#[tokio::test]
async fn an_operator_sets_his_profile_and_pins_his_shortcuts() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let general = general(&admin).await;
    let anna = app.operator(&admin, "anna@example.com", "Анна", &[&general]).await;
    let me: Value = anna.get("/api/v1/me").await.json().await.expect("me");
    assert_eq!(me["profile"]["language"], Value::Null);
    assert_eq!(me["profile"]["shortcuts"], json!([null, null, null, null, null, null, null, null, null]));

    let (_, mine) = body(
        anna.post("/api/v1/saved-replies", json!({"scope": "personal", "title": "Мой", "body": "Минуту, уточняю"}))
            .await,
    )
    .await;
    let (_, shared) = body(
        admin.post("/api/v1/saved-replies", json!({"scope": "workspace", "title": "Общий", "body": "Спасибо!"})).await,
    )
    .await;
    let (_, admins_own) = body(
        admin
            .post("/api/v1/saved-replies", json!({"scope": "personal", "title": "Админа", "body": "Только моё"}))
            .await,
    )
    .await;
    let mut pins = vec![Value::Null; 9];
    pins[0] = shared["id"].clone();
    pins[4] = mine["id"].clone();

    // A colleague's personal reply is not his to pin: the place is named, nothing changes.
    let mut bad = pins.clone();
    bad[2] = admins_own["id"].clone();
    let (status, e) =
        body(anna.patch("/api/v1/me", json!({"display_name": "Анна С.", "language": "en", "shortcuts": bad})).await)
            .await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("shortcuts[2]")), "{e}");
    let (status, e) = body(anna.patch("/api/v1/me", json!({"shortcuts": pins[..8]})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("shortcuts")), "{e}");
    let (status, e) = body(anna.patch("/api/v1/me", json!({"language": "de"})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("language")), "{e}");
    let (status, e) = body(anna.patch("/api/v1/me", json!({"display_name": "  "})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("display_name")), "{e}");
    let me: Value = anna.get("/api/v1/me").await.json().await.expect("me");
    assert_eq!((me["operator"]["display_name"].as_str(), me["profile"]["language"].as_str()), (Some("Анна"), None));

    let mut admin_ws = admin.ws().await;
    admin_ws.next_of("hello").await;
    let (status, me) =
        body(anna.patch("/api/v1/me", json!({"display_name": "Анна С.", "language": "en", "shortcuts": pins})).await)
            .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["operator"]["display_name"], "Анна С.");
    assert_eq!(me["profile"]["language"], "en");
    assert_eq!(me["profile"]["shortcuts"], json!(pins));
    let seen = admin_ws.next_of("operator.updated").await;
    assert_eq!(seen["operator"]["display_name"], "Анна С.", "colleagues see the new name live");
    // Kept across sign-ins; `null` goes back to the browser's language.
    let again = app.login("anna@example.com", "operator-password").await.expect("login");
    let me: Value = again.get("/api/v1/me").await.json().await.expect("me");
    assert_eq!(
        (me["profile"]["language"].as_str(), me["profile"]["shortcuts"][4].clone()),
        (Some("en"), mine["id"].clone())
    );
    let (status, me) = body(again.patch("/api/v1/me", json!({"language": null})).await).await;
    assert_eq!((status, me["profile"]["language"].clone()), (200, Value::Null));
    assert_eq!(me["profile"]["shortcuts"], json!(pins), "untouched");
}

/// An admin renames an operator: colleagues see it live, the audit log has it, the next
/// greeting carries the new name.
#[tokio::test]
async fn an_admin_renames_an_operator() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let general = general(&admin).await;
    let anna = app.operator(&admin, "anna@example.com", "Анна", &[&general]).await;
    let mut anna_ws = anna.ws().await;
    anna_ws.next_of("hello").await;
    let id = anna.id();
    let (status, e) = body(admin.patch(&format!("/api/v1/operators/{id}"), json!({})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("capacity")), "{e}");
    let (status, e) = body(
        admin.patch(&format!("/api/v1/operators/{id}"), json!({"display_name": "Анна Смирнова", "capacity": 0})).await,
    )
    .await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("capacity")), "{e}");
    assert_eq!(anna.get("/api/v1/me").await.json::<Value>().await.expect("me")["operator"]["display_name"], "Анна");
    let (status, e) = body(anna.patch(&format!("/api/v1/operators/{id}"), json!({"display_name": "Я"})).await).await;
    assert_eq!(status, 403, "{e}");

    let (status, v) = body(
        admin
            .patch(&format!("/api/v1/operators/{id}"), json!({"display_name": " Анна Смирнова ", "capacity": 3}))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!((v["display_name"].as_str(), v["capacity"].as_i64()), (Some("Анна Смирнова"), Some(3)));
    let seen = anna_ws.next_of("operator.updated").await;
    assert_eq!(seen["operator"]["display_name"], "Анна Смирнова");
    let log: Value = admin.get("/api/v1/audit-log").await.json().await.expect("log");
    let renamed = log["items"].as_array().expect("items").iter().find(|e| e["action"] == "operator.renamed").cloned();
    let renamed = renamed.expect("an audit line");
    assert_eq!(
        (renamed["details"]["from"].as_str(), renamed["details"]["to"].as_str()),
        (Some("Анна"), Some("Анна Смирнова"))
    );

    let visitor = app.visitor().await;
    let d = visitor.write("v-1", "Вопрос").await;
    assert_eq!(anna.post(&format!("/api/v1/dialogs/{d}/accept"), json!({})).await.status(), 200);
    let greeting = visitor.history().await.into_iter().find(|m| m["automatic"] == "greeting").expect("greeting");
    assert_eq!(greeting["author"]["name"], "Анна Смирнова");
}

/// The installation page: the widget seen, and the allowed origins edited.
#[tokio::test]
async fn the_installation_page_sees_the_widget_and_edits_origins() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let sites: Value = admin.get("/api/v1/sites").await.json().await.expect("sites");
    let site = sites["items"][0].clone();
    assert!(site["widget_seen_at"].is_null(), "not seen before any page opened it: {site}");
    let id = site["id"].as_str().expect("id").to_owned();

    let _visitor = app.visitor().await;
    let sites: Value = admin.get("/api/v1/sites").await.json().await.expect("sites");
    assert!(sites["items"][0]["widget_seen_at"].is_string(), "{sites}");
    assert_eq!(sites["items"][0]["widget_seen_origin"], app.origin().as_str());

    let path = format!("/api/v1/sites/{id}");
    let (status, e) = body(
        admin.patch(&path, json!({"allowed_origins": ["https://shop.example.com", "shop.example.com/path"]})).await,
    )
    .await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("allowed_origins[1]")), "{e}");
    let (status, e) = body(admin.patch(&path, json!({"allowed_origins": []})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("allowed_origins")), "{e}");
    let unchanged: Value = admin.get("/api/v1/sites").await.json().await.expect("sites");
    assert_eq!(unchanged["items"][0]["allowed_origins"], site["allowed_origins"], "nothing changed");

    let (status, saved) = body(
        admin
            .patch(&path, json!({"allowed_origins": ["HTTPS://Shop.Example.com/", "https://shop.example.com", "http://localhost:3000"]}))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["allowed_origins"], json!(["https://shop.example.com", "http://localhost:3000"]));
    // The widget of the new origin opens; one not listed is refused.
    assert!(app.visitor_from("https://shop.example.com", None).await.is_ok());
    assert!(app.visitor_from("https://evil.example.net", None).await.is_err());
    let other = crate::support::other_workspace_admin(&app).await;
    let (status, _) = body(other.patch(&path, json!({"allowed_origins": ["https://x.example"]})).await).await;
    assert_eq!(status, 404, "another workspace's site");
}
