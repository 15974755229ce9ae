//! Automation through the HTTP API with a fake clock: auto-close (silence, hold phrases, the
//! prompt), SLA due times and breaches, business hours, proactive messages, the offline form,
//! and timers that come due while the server is down.

use crate::support::{WEDNESDAY_NOON, body, clock, general, postgres, sqlite};
use frontline_core::{Clock, FakeClock};
use frontline_domain::Timestamp;
use frontline_testkit::{OperatorClient, Options, TestApp, VisitorClient, temp_dir};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;

const MIN: i64 = 60_000;

async fn dialog(admin: &OperatorClient, id: &str) -> Value {
    admin.get(&format!("/api/v1/dialogs/{id}")).await.json().await.expect("dialog")
}

/// A visitor's first message and an operator's reply to it.
async fn answered(app: &TestApp, admin: &OperatorClient, reply: &str) -> (VisitorClient, String) {
    let visitor = app.visitor().await;
    let sent: Value = visitor.send("v-1", "Есть ли у вас угловые кухни?").await.json().await.expect("json");
    let id = sent["dialog_id"].as_str().expect("dialog").to_owned();
    let (status, m) =
        body(admin.post(&format!("/api/v1/dialogs/{id}/messages"), json!({"client_id": "o-1", "body": reply})).await)
            .await;
    assert_eq!(status, 201, "{m}");
    (visitor, id)
}

async fn set_automation(admin: &OperatorClient, change: impl FnOnce(&mut Value)) -> Value {
    let ch = general(admin).await;
    let mut doc: Value = admin.get(&format!("/api/v1/channels/{ch}/automation")).await.json().await.expect("doc");
    change(&mut doc);
    let (status, saved) = body(admin.put(&format!("/api/v1/channels/{ch}/automation"), doc).await).await;
    assert_eq!(status, 200, "{saved}");
    saved
}

/// SLA is off on a fresh install; these tests turn it on (the manual's targets).
async fn sla_on(admin: &OperatorClient) {
    set_automation(admin, |d| d["sla"]["enabled"] = json!(true)).await;
}

async fn a_silent_visitor_is_closed_without_a_rating(app: TestApp, clock: Arc<FakeClock>) {
    let admin = app.admin().await;
    let (visitor, id) = answered(&app, &admin, "Да, есть. Прислать каталог?").await;
    let d = dialog(&admin, &id).await;
    assert_eq!(d["auto_close"]["action"], "close", "{d}");
    assert_eq!(d["auto_close"]["at"], frontline_core::views::rfc3339(Timestamp(clock.now().0 + 10 * MIN)));
    assert!(d["auto_close"]["hold_phrase"].is_null());
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;

    clock.advance_ms(10 * MIN - 1000);
    assert_eq!(app.tick().await.automation.auto_closed, 0);
    clock.advance_ms(1000);
    assert_eq!(app.tick().await.automation.auto_closed, 1);
    assert_eq!(app.tick().await.automation.auto_closed, 0, "once");
    let closed = widget.next_of("dialog.closed").await;
    assert_eq!(closed["dialog"]["close_reason"], "auto");
    let d = dialog(&admin, &id).await;
    assert_eq!((d["status"].as_str(), d["close_reason"].as_str()), (Some("closed"), Some("auto")));
    assert!(d["auto_close"].is_null());
    let (status, e) =
        body(visitor.call(Method::POST, "/widget/v1/rating", Some(json!({"dialog_id": id, "score": 5}))).await).await;
    assert_eq!((status, e["code"].as_str()), (409, Some("rating_not_requested")), "no rating after an auto-close");
}

#[tokio::test]
async fn a_silent_visitor_is_closed_without_a_rating_on_sqlite() {
    let clock = clock();
    a_silent_visitor_is_closed_without_a_rating(sqlite(&clock).await, clock).await;
}

#[tokio::test]
async fn a_silent_visitor_is_closed_without_a_rating_on_postgres() {
    let clock = clock();
    let Some(app) = postgres(&clock).await else { return };
    a_silent_visitor_is_closed_without_a_rating(app, clock).await;
}

#[tokio::test]
async fn a_hold_phrase_keeps_the_dialog_open_until_the_hold_limit() {
    let clock = clock();
    let app = sqlite(&clock).await;
    let admin = app.admin().await;
    let (visitor, id) = answered(&app, &admin, "МИНУТУ, уточняю на складе").await;
    let d = dialog(&admin, &id).await;
    assert_eq!(d["auto_close"]["hold_phrase"], "минуту", "{d}");
    clock.advance_ms(11 * MIN);
    assert_eq!(app.tick().await.automation.auto_closed, 0, "held past the usual ten minutes");
    assert_eq!(dialog(&admin, &id).await["status"], "open");
    clock.advance_ms(19 * MIN);
    assert_eq!(app.tick().await.automation.auto_closed, 1, "closed at the hold limit");

    // A word that merely contains a phrase does not hold; the visitor writing stops the timer.
    let (visitor2, id2) = {
        let v = app.visitor().await;
        let sent: Value = v.send("w-1", "Здравствуйте").await.json().await.expect("json");
        (v, sent["dialog_id"].as_str().expect("id").to_owned())
    };
    admin
        .post(&format!("/api/v1/dialogs/{id2}/messages"), json!({"client_id": "p-1", "body": "Поминутно считаем"}))
        .await;
    assert!(dialog(&admin, &id2).await["auto_close"]["hold_phrase"].is_null());
    visitor2.send("w-2", "Понял, думаю").await;
    let d = dialog(&admin, &id2).await;
    assert!(d["auto_close"].is_null(), "his turn to be answered: {d}");
    clock.advance_ms(60 * MIN);
    assert_eq!(app.tick().await.automation.auto_closed, 0);
    drop(visitor);
}

#[tokio::test]
async fn the_prompt_is_sent_first_and_the_close_follows() {
    let clock = clock();
    let app = sqlite(&clock).await;
    let admin = app.admin().await;
    set_automation(&admin, |d| d["auto_close"]["prompt"]["enabled"] = json!(true)).await;
    let (visitor, id) = answered(&app, &admin, "Каталог отправил").await;
    assert_eq!(dialog(&admin, &id).await["auto_close"]["action"], "prompt");
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;
    clock.advance_ms(10 * MIN);
    let fired = app.tick().await.automation;
    assert_eq!((fired.prompts, fired.auto_closed), (1, 0));
    assert_eq!(app.tick().await.automation.prompts, 0, "once");
    let prompt = widget.next_of("message.created").await;
    assert_eq!(prompt["message"]["body"], "Вопрос ещё актуален?");
    assert_eq!(prompt["message"]["author"]["kind"], "operator");
    let d = dialog(&admin, &id).await;
    assert_eq!(d["auto_close"]["action"], "close");
    assert_eq!(d["auto_close"]["at"], frontline_core::views::rfc3339(Timestamp(clock.now().0 + 5 * MIN)));
    clock.advance_ms(5 * MIN);
    assert_eq!(app.tick().await.automation.auto_closed, 1);
    assert_eq!(dialog(&admin, &id).await["close_reason"], "auto");

    // Answering the prompt keeps the dialog.
    let v2 = app.visitor().await;
    let sent: Value = v2.send("x-1", "Вопрос").await.json().await.expect("json");
    let id2 = sent["dialog_id"].as_str().expect("id").to_owned();
    admin.post(&format!("/api/v1/dialogs/{id2}/messages"), json!({"client_id": "y-1", "body": "Ответ"})).await;
    clock.advance_ms(10 * MIN);
    assert_eq!(app.tick().await.automation.prompts, 1);
    v2.send("x-2", "Да, актуален").await;
    clock.advance_ms(60 * MIN);
    assert_eq!(app.tick().await.automation.auto_closed, 0);
    assert_eq!(dialog(&admin, &id2).await["status"], "open");

    // Auto-close switched off after the timer was set: the timer goes, nothing is sent or closed.
    let v3 = app.visitor().await;
    let sent: Value = v3.send("z-1", "Ещё вопрос").await.json().await.expect("json");
    let id3 = sent["dialog_id"].as_str().expect("id").to_owned();
    admin.post(&format!("/api/v1/dialogs/{id3}/messages"), json!({"client_id": "z-2", "body": "Ответ"})).await;
    set_automation(&admin, |d| d["auto_close"]["enabled"] = json!(false)).await;
    clock.advance_ms(60 * MIN);
    let fired = app.tick().await.automation;
    assert_eq!((fired.prompts, fired.auto_closed), (0, 0));
    let d = dialog(&admin, &id3).await;
    assert_eq!(d["status"], "open");
    assert!(d["auto_close"].is_null(), "{d}");
}

async fn sla_breaches_are_recorded_once_and_alert_supervisors(app: TestApp, clock: Arc<FakeClock>) {
    let admin = app.admin().await;
    sla_on(&admin).await;
    let ch = general(&admin).await;
    let anna = app.operator(&admin, "anna@example.com", "Анна", &[&ch]).await;
    let mut admin_ws = admin.ws().await;
    admin_ws.next_of("hello").await;
    let mut anna_ws = anna.ws().await;
    anna_ws.next_of("hello").await;
    let visitor = app.visitor().await;
    let sent: Value = visitor.send("s-1", "Здравствуйте, нужна помощь").await.json().await.expect("json");
    let id = sent["dialog_id"].as_str().expect("id").to_owned();
    let d = dialog(&admin, &id).await;
    assert_eq!(d["sla"]["reply_target"], "first_reply", "{d}");
    assert_eq!(d["sla"]["reply_due_at"], frontline_core::views::rfc3339(Timestamp(clock.now().0 + MIN)));
    assert_eq!(d["sla"]["resolution_due_at"], frontline_core::views::rfc3339(Timestamp(clock.now().0 + 30 * MIN)));

    clock.advance_ms(MIN - 1);
    assert_eq!(app.tick().await.automation.breaches, 0);
    clock.advance_ms(1);
    assert_eq!(app.tick().await.automation.breaches, 1);
    assert_eq!(app.tick().await.automation.breaches, 0, "once per target");
    let alert = admin_ws.next_of("sla.breached").await;
    assert_eq!((alert["target"].as_str(), alert["dialog"]["id"].as_str()), (Some("first_reply"), Some(id.as_str())));
    assert!(alert["dialog"]["sla"]["reply_breached"].as_bool().expect("flag"));
    let seen: Vec<Value> = anna_ws.drain(300).await;
    assert!(seen.iter().all(|f| f["type"] != "sla.breached"), "not hers: {seen:?}");

    // Anna takes it and answers; the visitor's next question is hers to answer in 5 minutes.
    assert_eq!(anna.post(&format!("/api/v1/dialogs/{id}/accept"), json!({})).await.status(), 200);
    anna.post(&format!("/api/v1/dialogs/{id}/messages"), json!({"client_id": "a-1", "body": "Слушаю Вас"})).await;
    let d = dialog(&admin, &id).await;
    assert!(d["sla"]["reply_due_at"].is_null() && !d["sla"]["reply_breached"].as_bool().expect("flag"), "{d}");
    visitor.send("s-2", "А доставка?").await;
    let d = dialog(&admin, &id).await;
    assert_eq!(d["sla"]["reply_target"], "next_reply");
    clock.advance_ms(5 * MIN);
    assert_eq!(app.tick().await.automation.breaches, 1);
    let alert = anna_ws.next_of("sla.breached").await;
    assert_eq!(alert["target"], "next_reply", "the assignee is alerted");
    // The resolution target passes too, once.
    clock.advance_ms(30 * MIN);
    assert_eq!(app.tick().await.automation.breaches, 1);
    assert_eq!(admin_ws.next_of("sla.breached").await["target"], "next_reply");
    assert_eq!(admin_ws.next_of("sla.breached").await["target"], "resolution");
    assert_eq!(app.tick().await.automation.breaches, 0);
}

#[tokio::test]
async fn sla_breaches_are_recorded_once_and_alert_supervisors_on_sqlite() {
    let clock = clock();
    sla_breaches_are_recorded_once_and_alert_supervisors(sqlite(&clock).await, clock).await;
}

#[tokio::test]
async fn sla_breaches_are_recorded_once_and_alert_supervisors_on_postgres() {
    let clock = clock();
    let Some(app) = postgres(&clock).await else { return };
    sla_breaches_are_recorded_once_and_alert_supervisors(app, clock).await;
}

#[tokio::test]
async fn business_hours_move_the_due_time_and_say_when_we_open() {
    // Wednesday 23:00 UTC.
    let clock = Arc::new(FakeClock::at(Timestamp(WEDNESDAY_NOON + 11 * 60 * MIN)));
    let app = sqlite(&clock).await;
    let admin = app.admin().await;
    set_automation(&admin, |d| {
        let week: Vec<Value> = ["mon", "tue", "wed", "thu", "fri"]
            .map(|day| json!({"day": day, "open": "09:00", "close": "18:00"}))
            .to_vec();
        d["business_hours"] = json!({"enabled": true, "time_zone": "UTC", "holidays": [], "week": week});
        d["sla"] = json!({"enabled": true, "business_hours": true});
    })
    .await;
    let visitor = app.visitor().await;
    let availability = &visitor.session["availability"];
    assert_eq!(availability["online"], false, "{availability}");
    assert_eq!(availability["reason"], "outside_hours");
    assert_eq!(availability["next_open_at"], "2027-03-04T09:00:00.000Z");
    assert_eq!(availability["offline_form"], false, "offline mode is off by default");
    let sent: Value = visitor.send("n-1", "Вы работаете?").await.json().await.expect("json");
    let d = dialog(&admin, sent["dialog_id"].as_str().expect("id")).await;
    assert_eq!(d["sla"]["reply_due_at"], "2027-03-04T09:01:00.000Z", "{d}");
    assert_eq!(d["sla"]["resolution_due_at"], "2027-03-04T09:30:00.000Z");
    clock.advance_ms(9 * 60 * MIN);
    assert_eq!(app.tick().await.automation.breaches, 0, "08:00 Thursday: nothing due yet");
    clock.advance_ms(61 * MIN);
    assert_eq!(app.tick().await.automation.breaches, 1);
}

#[tokio::test]
async fn bad_automation_names_the_field_and_changes_nothing() {
    let clock = clock();
    let app = sqlite(&clock).await;
    let admin = app.admin().await;
    let ch = general(&admin).await;
    let before: Value = admin.get(&format!("/api/v1/channels/{ch}/automation")).await.json().await.expect("doc");
    assert_eq!(before["auto_close"]["silence_minutes"], 10);
    assert_eq!(before["sla"]["first_reply_seconds"], 60);
    for (doc, field) in [
        (
            json!({"business_hours": {"week": [{"day": "mon", "open": "18:00", "close": "09:00"}]}}),
            "business_hours.week[0].close",
        ),
        (json!({"business_hours": {"time_zone": "Moon/Base"}}), "business_hours.time_zone"),
        (json!({"auto_close": {"hold_phrases": ["минуту", ""]}}), "auto_close.hold_phrases[1]"),
        (json!({"sla": {"next_reply_seconds": 0}}), "sla.next_reply_seconds"),
    ] {
        let (status, e) = body(admin.put(&format!("/api/v1/channels/{ch}/automation"), doc).await).await;
        assert_eq!((status, e["details"]["field"].as_str()), (400, Some(field)), "{e}");
    }
    let after: Value = admin.get(&format!("/api/v1/channels/{ch}/automation")).await.json().await.expect("doc");
    assert_eq!(after, before);
    let anna = app.operator(&admin, "anna@example.com", "Анна", &[&ch]).await;
    assert_eq!(anna.put(&format!("/api/v1/channels/{ch}/automation"), before).await.status(), 403);
}

#[tokio::test]
async fn a_proactive_dialog_reaches_operators_only_when_answered() {
    let clock = clock();
    let app = sqlite(&clock).await;
    let admin = app.admin().await;
    sla_on(&admin).await;
    let (status, t) = body(
        admin
            .post(
                "/api/v1/triggers",
                json!({"name": "Кухни", "message": "Подобрать кухню под Ваш размер?", "time_on_site_seconds": 25}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 201, "{t}");
    let (status, other) = body(
        admin
            .post(
                "/api/v1/triggers",
                json!({"name": "Только акции", "message": "Скидка!",
                "conditions": [{"type": "url", "pattern": "*/sale*"}]}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 201, "{other}");
    let (status, e) = body(admin.post("/api/v1/triggers", json!({"name": "", "message": "x"})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("name")));
    let (status, e) = body(
        admin
            .post(
                "/api/v1/triggers",
                json!({"name": "n", "message": "x", "conditions": [{"type": "url", "pattern": "(", "regex": true}]}),
            )
            .await,
    )
    .await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("conditions[0].pattern")), "{e}");

    let visitor = app.visitor_on_page(None, "https://shop.example.com/kitchens", "Кухни").await;
    let offered = visitor.session["triggers"].as_array().expect("triggers").clone();
    assert_eq!(offered.len(), 1, "the sale trigger does not match this page: {offered:?}");
    assert_eq!(offered[0]["persona"], "Служба поддержки");
    assert_eq!(offered[0]["time_on_site_seconds"], 25);
    let tid = t["id"].as_str().expect("id");
    let shown = |v: &VisitorClient, id: &str| {
        let path = format!("/widget/v1/triggers/{id}/shown");
        let v = v.clone();
        async move { body(v.call(Method::POST, &path, None).await).await }
    };
    assert_eq!(shown(&visitor, tid).await.0, 200);
    let (status, e) = shown(&visitor, tid).await;
    assert_eq!((status, e["code"].as_str()), (409, Some("trigger_already_shown")));
    assert!(admin.dialogs("all").await.is_empty(), "nothing reaches operators yet");
    let again = app.visitor_on_page(Some(&visitor.token), "https://shop.example.com/kitchens", "Кухни").await;
    assert!(again.session["triggers"].as_array().expect("triggers").is_empty(), "seen within its period");

    let answer = visitor
        .call(
            Method::POST,
            "/widget/v1/messages",
            Some(json!({"client_id": "r-1", "body": "Да, 3 метра", "trigger_id": tid})),
        )
        .await;
    let (status, m) = body(answer).await;
    assert_eq!((status, m["seq"].as_i64()), (201, Some(2)), "{m}");
    let list = admin.dialogs("open").await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["origin"], "proactive");
    assert_eq!(list[0]["trigger"]["name"], "Кухни");
    assert_eq!(list[0]["last_message"]["preview"], "Да, 3 метра");
    assert_eq!(list[0]["sla"]["reply_target"], "first_reply", "the proactive message is not a reply");
    let history = visitor.history().await;
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0]["body"].as_str(), history[0]["author"]["name"].as_str()),
        (Some("Подобрать кухню под Ваш размер?"), Some("Служба поддержки"))
    );
    assert_eq!(history[0]["author"]["kind"], "operator");

    // After the period it may show again; a disabled one never.
    clock.advance_ms(24 * 60 * MIN + 1);
    // A day without a request ended the admin's session (idle limit): he signs in again.
    let admin = app.admin().await;
    admin.patch(&format!("/api/v1/triggers/{}", other["id"].as_str().expect("id")), json!({"enabled": false})).await;
    let fresh = app.visitor_on_page(None, "https://shop.example.com/sale", "Акции").await;
    assert!(fresh.session["triggers"].as_array().expect("triggers").iter().all(|t| t["id"] != other["id"]));
    assert_eq!(shown(&fresh, other["id"].as_str().expect("id")).await.0, 404);
    assert_eq!(admin.delete(&format!("/api/v1/triggers/{tid}")).await.status(), 204);
    assert_eq!(
        dialog(&admin, list[0]["id"].as_str().expect("id")).await["trigger"]["name"],
        "Кухни",
        "kept by its dialog"
    );
}

#[tokio::test]
async fn the_offline_form_checks_every_field_then_opens_an_offline_dialog() {
    let clock = clock();
    let app = sqlite(&clock).await;
    let admin = app.admin().await;
    set_automation(&admin, |d| d["offline"]["enabled"] = json!(true)).await;
    let visitor = app.visitor().await;
    let a = &visitor.session["availability"];
    assert_eq!(
        (a["online"].as_bool(), a["reason"].as_str(), a["offline_form"].as_bool()),
        (Some(false), Some("nobody_online"), Some(true)),
        "{a}"
    );
    assert!(a["message"].as_str().expect("message").starts_with("Сейчас мы не на связи"));
    let send = |body: Value| {
        let v = visitor.clone();
        async move { self::body(v.call(Method::POST, "/widget/v1/offline", Some(body)).await).await }
    };
    for (form, field) in [
        (json!({"client_id": "f-1", "name": "", "email": "olga@example.com", "question": "Цена?"}), "name"),
        (json!({"client_id": "f-1", "name": "Ольга", "question": "Цена?"}), "contact"),
        (json!({"client_id": "f-1", "name": "Ольга", "email": "olga@", "question": "Цена?"}), "email"),
        (json!({"client_id": "f-1", "name": "Ольга", "phone": "звоните", "question": "Цена?"}), "phone"),
        (json!({"client_id": "f-1", "name": "Ольга", "phone": "+7 900 123-45-67", "question": "  "}), "question"),
    ] {
        let (status, e) = send(form).await;
        assert_eq!((status, e["details"]["field"].as_str()), (400, Some(field)), "{e}");
    }
    assert!(admin.dialogs("all").await.is_empty(), "a refused form changes nothing");
    let card = admin.get("/api/v1/operators").await;
    drop(card);
    let (status, done) = send(json!({"client_id": "f-1", "name": "Ольга", "email": "olga@example.com",
        "phone": "+7 900 123-45-67", "question": "Сколько стоит кухня 3 метра?"}))
    .await;
    assert_eq!(status, 201, "{done}");
    assert_eq!(done["message"]["body"], "Сколько стоит кухня 3 метра?");
    let (status, _) = send(json!({"client_id": "f-1", "name": "Ольга", "email": "olga@example.com", "question": "Сколько стоит кухня 3 метра?"})).await;
    assert_eq!(status, 200, "a retried form is stored once");
    let list = admin.dialogs("open").await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["origin"], "offline");
    assert_eq!(list[0]["visitor"]["name"], "Ольга");
    assert_eq!(list[0]["visitor"]["email"], "olga@example.com");
    assert_eq!(list[0]["visitor"]["phone"], "+7 900 123-45-67");
    // Someone online: no form, for a new session and when the open widget asks again.
    admin.presence("online").await;
    let later = app.visitor().await;
    assert_eq!(later.session["availability"]["offline_form"], false);
    let (status, a) = body(later.call(Method::GET, "/widget/v1/availability", None).await).await;
    assert_eq!((status, a["online"].as_bool(), a["offline_form"].as_bool()), (200, Some(true), Some(false)), "{a}");
    admin.presence("offline").await;
    let (_, a) = body(later.call(Method::GET, "/widget/v1/availability", None).await).await;
    assert_eq!((a["reason"].as_str(), a["offline_form"].as_bool()), (Some("nobody_online"), Some(true)));
}

#[tokio::test]
async fn a_timer_due_while_the_server_is_down_fires_once_after_the_start() {
    let clock = clock();
    let data_dir = temp_dir();
    let opts = || Options { clock: clock.clone(), data_dir: Some(data_dir.clone()), ..Options::default() };
    let app = TestApp::spawn_with(opts()).await;
    let admin = app.admin().await;
    sla_on(&admin).await;
    let (_visitor, id) = answered(&app, &admin, "Всё готово").await;
    let waiting = app.visitor().await;
    waiting.send("w-1", "Ау?").await;
    app.stop().await;

    // Down for 31 minutes: the auto-close (due at 10), and the waiting visitor's first reply (1)
    // and resolution (30) are overdue. The closed dialog misses no resolution: it closed first.
    clock.advance_ms(31 * MIN);
    let app = TestApp::spawn_with(opts()).await;
    let fired = app.tick().await.automation;
    assert_eq!((fired.auto_closed, fired.breaches), (1, 2), "late, but each once");
    assert_eq!(app.tick().await.automation, Default::default(), "nothing twice");
    let admin = app.admin().await;
    assert_eq!(dialog(&admin, &id).await["close_reason"], "auto");
    app.stop().await;
    let app = TestApp::spawn_with(opts()).await;
    assert_eq!(app.tick().await.automation, Default::default(), "not again after another restart");
}
