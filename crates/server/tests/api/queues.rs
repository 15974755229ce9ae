//! Queues, accept, capacity, transfer, presence, auto-assign, waiting alerts and routing rules,
//! through the HTTP API and the sockets.

use crate::support::body;
use frontline_core::{Clock, FakeClock};
use frontline_domain::Timestamp;
use frontline_testkit::{Backend, OperatorClient, Options, TestApp, postgres_store, temp_dir};
use serde_json::{Value, json};
use std::sync::Arc;

/// A channel made by the admin, with its id.
async fn channel(admin: &OperatorClient, name: &str) -> String {
    let (status, ch) = body(admin.post("/api/v1/channels", json!({ "name": name })).await).await;
    assert_eq!(status, 201, "{ch}");
    ch["id"].as_str().expect("id").to_owned()
}

/// The visitor's first message; returns the new dialog's id.
async fn first_message(app: &TestApp, text: &str) -> (frontline_testkit::VisitorClient, String) {
    let visitor = app.visitor().await;
    let sent: Value = visitor.send("first", text).await.json().await.expect("json");
    let dialog = sent["dialog_id"].as_str().expect("dialog").to_owned();
    (visitor, dialog)
}

async fn accept_race(app: TestApp) {
    let admin = app.admin().await;
    let general = admin.get("/api/v1/channels").await.json::<Value>().await.expect("json")["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut ops = Vec::new();
    for i in 0..50 {
        ops.push(app.operator(&admin, &format!("op{i}@example.com"), &format!("Оператор {i}"), &[&general]).await);
    }
    let (visitor, dialog) = first_message(&app, "Нужна кухня").await;
    let tasks: Vec<_> = ops
        .iter()
        .map(|op| {
            let (http, url, cookie) =
                (op.http.clone(), op.url(&format!("/api/v1/dialogs/{dialog}/accept")), op.cookie.clone());
            tokio::spawn(async move { http.post(url).header("cookie", cookie).json(&json!({})).send().await })
        })
        .collect();
    let mut won = Vec::new();
    let mut refused = Vec::new();
    for (i, t) in tasks.into_iter().enumerate() {
        let (status, v) = body(t.await.expect("task").expect("request")).await;
        match status {
            200 => won.push((i, v)),
            409 => refused.push(v),
            other => panic!("unexpected {other}: {v}"),
        }
    }
    assert_eq!(won.len(), 1, "exactly one accept wins");
    let (winner, dialog_view) = &won[0];
    let winner_name = format!("Оператор {winner}");
    assert_eq!(dialog_view["assignee"]["display_name"], winner_name.as_str());
    assert_eq!(refused.len(), 49);
    for r in &refused {
        assert_eq!(r["code"], "already_assigned");
        assert_eq!(r["details"]["assignee"], winner_name.as_str());
        assert_eq!(r["message"], format!("Already taken by {winner_name}."));
    }
    // The visitor got the channel's greeting in the winner's name, and nothing else.
    let history = visitor.history().await;
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[1]["body"], "Здравствуйте!");
    assert_eq!(history[1]["author"]["name"], winner_name.as_str());
    // The operators' timeline has the system line of the accept.
    let lines = admin.messages(&dialog).await;
    let system: Vec<_> = lines.iter().filter(|m| m["author"]["kind"] == "system").collect();
    assert_eq!(system.len(), 1);
    assert_eq!(system[0]["event"]["kind"], "assigned");
    assert_eq!(system[0]["audience"], "operators");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_operators_accept_at_once_and_one_wins_on_sqlite() {
    accept_race(TestApp::spawn_with(many_sign_ins(Options::default())).await).await;
}

/// Fifty operators sign in from this one address: past the per-address sign-in limit.
fn many_sign_ins(opts: Options) -> Options {
    let limits = frontline_core::limits::RateLimits {
        login_per_ip: frontline_core::limits::Rate::per_minute(200),
        ..Default::default()
    };
    Options { limits: Some(limits), ..opts }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_operators_accept_at_once_and_one_wins_on_postgres() {
    let Some(store) = postgres_store().await else { return };
    accept_race(
        TestApp::spawn_with(many_sign_ins(Options { backend: Backend::Given(store), ..Options::default() })).await,
    )
    .await;
}

#[tokio::test]
async fn accepting_beyond_capacity_is_refused_with_the_capacity() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let anna_id = admin.me["operator"]["id"].as_str().expect("id").to_owned();
    let (status, err) = body(admin.patch(&format!("/api/v1/operators/{anna_id}"), json!({"capacity": 0})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("capacity")));
    let (status, me) = body(admin.patch(&format!("/api/v1/operators/{anna_id}"), json!({"capacity": 1})).await).await;
    assert_eq!((status, me["capacity"].as_u64()), (200, Some(1)));
    let (_, first) = first_message(&app, "первый").await;
    let d1 = first.clone();
    let (_, d2) = first_message(&app, "второй").await;
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{d1}/accept"), json!({})).await.status(), 200);
    let (status, err) = body(admin.post(&format!("/api/v1/dialogs/{d2}/accept"), json!({})).await).await;
    assert_eq!(
        (status, err["code"].as_str(), err["details"]["capacity"].as_u64()),
        (409, Some("capacity_reached"), Some(1))
    );
    // Replying to the waiting one would assign it too: refused the same way, nothing stored.
    let (status, err) =
        body(admin.post(&format!("/api/v1/dialogs/{d2}/messages"), json!({"client_id": "r", "body": "ответ"})).await)
            .await;
    assert_eq!((status, err["code"].as_str()), (409, Some("capacity_reached")));
    assert_eq!(admin.messages(&d2).await.len(), 1, "the refused reply left nothing behind");
    let counts: Value = admin.get("/api/v1/dialogs/counts").await.json().await.expect("json");
    assert_eq!((counts["queue"].as_i64(), counts["mine"].as_i64()), (Some(1), Some(1)));
    app.stop().await;
}

#[tokio::test]
async fn a_transfer_to_a_channel_with_nobody_online_is_refused_then_goes_through() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let spb = channel(&admin, "Санкт-Петербург").await;
    let boris = app.operator(&admin, "boris@example.com", "Борис", &[&spb]).await;
    // New operators join the default channel; this one works in Petersburg only.
    let general: Value = admin.get("/api/v1/channels").await.json().await.expect("json");
    let general = general["items"][0]["id"].as_str().expect("id").to_owned();
    let admin_only = json!({"operator_ids": [admin.id()]});
    assert_eq!(admin.put(&format!("/api/v1/channels/{general}/members"), admin_only).await.status(), 200);
    let mut boris_ws = boris.ws().await;
    boris_ws.next_of("hello").await;
    let (visitor, dialog) = first_message(&app, "Доставка в Петербург?").await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{dialog}/accept"), json!({})).await.status(), 200);

    let channels: Value = admin.get("/api/v1/channels").await.json().await.expect("json");
    let spb_view = channels["items"].as_array().expect("items").iter().find(|c| c["id"] == spb.as_str()).cloned();
    assert_eq!(spb_view.expect("spb")["online_members"], 0, "shown greyed out");
    let transfer = json!({"channel_id": spb, "comment": "Клиент из Петербурга, хочет доставку"});
    let (status, err) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/transfer"), transfer.clone()).await).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("channel_unavailable")));
    let (status, err) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/transfer"), json!({})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("operator_id")));
    // Boris is not in the dialog's channel: a transfer to him is refused.
    boris.presence("online").await;
    let to_boris = json!({"operator_id": boris.id()});
    let (status, err) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/transfer"), to_boris).await).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("not_channel_member")));

    let (status, moved) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/transfer"), transfer).await).await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!((moved["channel_id"].as_str(), moved["assignee"].is_null()), (Some(spb.as_str()), true));
    // Boris, who could not see the dialog before, hears of it now; the history went along.
    let updated = boris_ws.next_of("dialog.updated").await;
    assert_eq!(updated["dialog"]["id"], dialog.as_str());
    assert_eq!(boris.messages(&dialog).await.len(), 5, "visitor, assigned, greeting, transferred, notice");
    let comment = boris.messages(&dialog).await.into_iter().find(|m| m["event"]["kind"] == "transferred");
    assert_eq!(comment.expect("line")["event"]["comment"], "Клиент из Петербурга, хочет доставку");
    // The visitor sees the short notice, not the comment.
    let notice = widget.next_of("message.created").await; // the greeting
    assert_eq!(notice["message"]["body"], "Здравствуйте!");
    let notice = widget.next_of("message.created").await;
    assert_eq!(notice["message"]["event"]["kind"], "transfer_notice");
    let rest = widget.drain(200).await;
    assert!(rest.iter().all(|f| f["message"]["audience"] != "operators"), "{rest:?}");
    assert!(visitor.history().await.iter().all(|m| m["event"]["kind"] != "transferred"));
    app.stop().await;
}

#[tokio::test]
async fn auto_assign_waits_for_someone_online_then_assigns_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let shop = channel(&admin, "Интернет-магазин").await;
    let resp =
        admin.patch(&format!("/api/v1/channels/{shop}"), json!({"mode": "auto", "greeting": "Добрый день!"})).await;
    assert_eq!(resp.status(), 200);
    let (status, err) =
        body(admin.patch(&format!("/api/v1/channels/{shop}"), json!({"mode": "round-robin"})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("mode")));
    let rule = json!({"items": [{"name": "Магазин", "channel_id": shop, "conditions": [{"type": "url", "pattern": "*/shop/*"}]}]});
    assert_eq!(admin.put("/api/v1/routing-rules", rule).await.status(), 200);
    let lena = app.operator(&admin, "lena@example.com", "Лена", &[&shop]).await;
    let ivan = app.operator(&admin, "ivan@example.com", "Иван", &[&shop]).await;

    let visitor = app.visitor_at("https://shop.example.com/shop/sofa", json!({})).await;
    let sent: Value = visitor.send("s1", "Есть диван в наличии?").await.json().await.expect("json");
    let dialog = sent["dialog_id"].as_str().expect("dialog").to_owned();
    let d: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!((d["channel_id"].as_str(), d["routed_by"].as_str()), (Some(shop.as_str()), Some("Магазин")));
    assert!(d["assignee"].is_null(), "nobody online: it waits");

    // Lena comes online: the waiting dialog is hers at once.
    lena.presence("online").await;
    let d: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!(d["assignee"]["display_name"], "Лена", "assigned as soon as someone can take it");
    let history = visitor.history().await;
    assert_eq!(history.last().expect("greeting")["body"], "Добрый день!");
    // With Ivan online too, the next one goes to him: he has the most free places.
    ivan.presence("online").await;
    let v2 = app.visitor_at("https://shop.example.com/shop/table", json!({})).await;
    let sent: Value = v2.send("s2", "А стол?").await.json().await.expect("json");
    let d2 = sent["dialog_id"].as_str().expect("dialog").to_owned();
    let d2: Value = admin.get(&format!("/api/v1/dialogs/{d2}")).await.json().await.expect("json");
    assert_eq!(d2["assignee"]["display_name"], "Иван", "the one with the most free places");
    app.stop().await;
}

#[tokio::test]
async fn offline_after_the_grace_period_returns_dialogs_where_the_channel_says_so() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_800_000_000_000)));
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let admin = app.admin().await;
    let general: Value = admin.get("/api/v1/channels").await.json().await.expect("json");
    let general = general["items"][0]["id"].as_str().expect("id").to_owned();
    let resp = admin.patch(&format!("/api/v1/channels/{general}"), json!({"offline_policy": "return"})).await;
    assert_eq!(resp.status(), 200);
    let olga = app.operator(&admin, "olga@example.com", "Ольга", &[&general]).await;
    olga.presence("online").await;
    let (_, dialog) = first_message(&app, "помогите").await;
    assert_eq!(olga.post(&format!("/api/v1/dialogs/{dialog}/accept"), json!({})).await.status(), 200);
    let mut ws = olga.ws().await;
    ws.next_of("hello").await;
    ws.close().await;

    clock.advance_ms(59_000);
    assert_eq!(app.tick().await.went_offline, 0, "still within the grace period");
    clock.advance_ms(2_000);
    assert_eq!(app.tick().await.went_offline, 1);
    let me: Value = olga.get("/api/v1/me").await.json().await.expect("json");
    assert_eq!(me["operator"]["presence"], "offline");
    let d: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert!(d["assignee"].is_null(), "back in the queue");
    let lines = admin.messages(&dialog).await;
    assert_eq!(
        lines.last().expect("line")["event"],
        json!({"kind": "returned", "operator": "Ольга", "reason": "offline"})
    );
    assert_eq!(clock.now().0, 1_800_000_061_000);
    app.stop().await;
}

#[tokio::test]
async fn a_waiting_alert_fires_once_with_the_fake_clock_and_after_a_restart() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_800_000_000_000)));
    let dir = temp_dir();
    let app =
        TestApp::spawn_with(Options { clock: clock.clone(), data_dir: Some(dir.clone()), ..Options::default() }).await;
    let admin = app.admin().await;
    let mut console = admin.ws().await;
    console.next_of("hello").await;
    let (_, dialog) = first_message(&app, "ау").await;
    clock.advance_ms(119_000);
    assert_eq!(app.tick().await.wait_alerts, 0);
    clock.advance_ms(1_000);
    assert_eq!(app.tick().await.wait_alerts, 1);
    assert_eq!(console.next_of("dialog.waiting").await["dialog"]["id"], dialog.as_str());
    assert_eq!(app.tick().await.wait_alerts, 0, "once per stay in the queue");
    let d: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!(d["waiting_alert"], true);

    // A second dialog becomes due while the server is down: it fires once after the start.
    let (_, second) = first_message(&app, "и я жду").await;
    app.stop().await;
    clock.advance_ms(300_000);
    let app = TestApp::spawn_with(Options { clock: clock.clone(), data_dir: Some(dir), ..Options::default() }).await;
    let admin = app.admin().await;
    let mut console = admin.ws().await;
    console.next_of("hello").await;
    assert_eq!(app.tick().await.wait_alerts, 1, "the one due while the server was down");
    assert_eq!(console.next_of("dialog.waiting").await["dialog"]["id"], second.as_str());
    assert_eq!(app.tick().await.wait_alerts, 0);
    let heard = console.drain(300).await;
    assert!(heard.iter().all(|f| f["type"] != "dialog.waiting"), "{heard:?}");
    let d: Value = admin.get(&format!("/api/v1/dialogs/{second}")).await.json().await.expect("json");
    assert_eq!(d["waiting_alert"], true);
    app.stop().await;
}

#[tokio::test]
async fn routing_rules_name_the_bad_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let msk = channel(&admin, "Москва").await;
    let good = json!({"items": [{"name": "Москва", "channel_id": msk, "conditions": [{"type": "property", "name": "city", "value": "Москва"}]}]});
    assert_eq!(admin.put("/api/v1/routing-rules", good).await.status(), 200);
    let bad = json!({"items": [
        {"name": "ok", "channel_id": msk, "conditions": [{"type": "language", "value": "ru"}]},
        {"name": "bad", "channel_id": msk, "conditions": [{"type": "url", "pattern": "(", "regex": true}]}
    ]});
    let (status, err) = body(admin.put("/api/v1/routing-rules", bad).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("items[1].conditions[0].pattern")));
    let stranger = json!({"items": [{"name": "x", "channel_id": uuid::Uuid::now_v7(), "conditions": [{"type": "language", "value": "ru"}]}]});
    let (status, err) = body(admin.put("/api/v1/routing-rules", stranger).await).await;
    assert_eq!(
        (status, err["code"].as_str(), err["details"]["field"].as_str()),
        (404, Some("not_found"), Some("items[0].channel_id")),
        "no such channel: {err}"
    );
    let rules: Value = admin.get("/api/v1/routing-rules").await.json().await.expect("json");
    assert_eq!(rules["items"].as_array().map(Vec::len), Some(1), "nothing changed");

    // A visitor the site says is from Moscow lands in Moscow; another stays in the default.
    let moscow = app.visitor_at("https://shop.example.com/", json!({"city": "москва"})).await;
    let sent: Value = moscow.send("m", "здравствуйте").await.json().await.expect("json");
    let d: Value = admin
        .get(&format!("/api/v1/dialogs/{}", sent["dialog_id"].as_str().expect("id")))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (d["channel_id"].as_str(), d["routed_by"].as_str(), d["visitor"]["city"].as_str()),
        (Some(msk.as_str()), Some("Москва"), Some("москва"))
    );
    let other = app.visitor_at("https://shop.example.com/", json!({"city": "Казань"})).await;
    let sent: Value = other.send("k", "здравствуйте").await.json().await.expect("json");
    let d: Value = admin
        .get(&format!("/api/v1/dialogs/{}", sent["dialog_id"].as_str().expect("id")))
        .await
        .json()
        .await
        .expect("json");
    assert!(d["routed_by"].is_null());
    let (status, err) = body(admin.get("/api/v1/dialogs?assignee=someone").await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("assignee")));
    let (status, err) = body(admin.get("/api/v1/dialogs?sort=random").await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("sort")));
    app.stop().await;
}

#[tokio::test]
async fn logging_out_is_going_offline() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let general: Value = admin.get("/api/v1/channels").await.json().await.expect("json");
    let general = general["items"][0]["id"].as_str().expect("id").to_owned();
    let vera = app.operator(&admin, "vera@example.com", "Вера", &[&general]).await;
    assert_eq!(vera.presence("online").await["presence"], "online");
    let channels: Value = admin.get("/api/v1/channels").await.json().await.expect("json");
    assert_eq!(channels["items"][0]["online_members"], 1);
    assert_eq!(vera.post("/api/v1/auth/logout", json!({})).await.status(), 204);
    let ops: Value = admin.get("/api/v1/operators").await.json().await.expect("json");
    let vera_now = ops["items"].as_array().expect("items").iter().find(|o| o["display_name"] == "Вера").cloned();
    assert_eq!(vera_now.expect("vera")["presence"], "offline");
    let (status, err) = body(vera.put("/api/v1/me/presence", json!({"presence": "online"})).await).await;
    assert_eq!((status, err["code"].as_str()), (401, Some("unauthenticated")));
    let (status, err) = body(admin.put("/api/v1/me/presence", json!({"presence": "busy"})).await).await;
    assert_eq!((status, err["details"]["field"].as_str()), (400, Some("presence")));
    app.stop().await;
}
