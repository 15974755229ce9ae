//! Conversation tools through the HTTP API and the sockets: notes and mentions, files, tags,
//! snooze, close and reopen, rating, search, the visitor card, typing and read marks, saved
//! replies.

use crate::support::{body, general};
use frontline_core::{Clock, FakeClock};
use frontline_domain::Timestamp;
use frontline_testkit::{Backend, OperatorClient, Options, TestApp, VisitorClient, postgres_store};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;

async fn first_message(app: &TestApp, text: &str) -> (VisitorClient, String) {
    let visitor = app.visitor().await;
    let sent: Value = visitor.send("first", text).await.json().await.expect("json");
    (visitor, sent["dialog_id"].as_str().expect("dialog").to_owned())
}

/// A 1×1 PNG.
fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend_from_slice(&[
        0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
    ]);
    b.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]);
    b
}

fn on(store: Option<Arc<dyn frontline_store::Store>>) -> Option<Options> {
    store.map(|s| Options { backend: Backend::Given(s), ..Options::default() })
}

async fn notes_never_reach_the_visitor(app: TestApp) {
    let admin = app.admin().await;
    let ch = general(&admin).await;
    let anna = app.operator(&admin, "anna@example.com", "Анна Петрова", &[&ch]).await;
    let boris = app.operator(&admin, "boris@example.com", "Борис", &[&ch]).await;
    let (visitor, dialog) = first_message(&app, "Где мой заказ?").await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;
    let mut anna_ws = anna.ws().await;
    anna_ws.next_of("hello").await;
    let mut boris_ws = boris.ws().await;
    boris_ws.next_of("hello").await;

    let note = json!({"client_id": "n-1", "body": "@Анна Петрова проверь оплату", "internal": true});
    let (status, sent) = body(boris.post(&format!("/api/v1/dialogs/{dialog}/messages"), note).await).await;
    assert_eq!(status, 201, "{sent}");
    assert_eq!(sent["audience"], "operators");
    assert_eq!(sent["mentions"], json!([anna.id()]));
    let mention = anna_ws.next_of("mention").await;
    assert_eq!(mention["message"]["id"], sent["id"]);
    assert_eq!(mention["dialog"]["id"], dialog.as_str());
    assert!(boris_ws.drain(300).await.iter().all(|f| f["type"] != "mention"), "only the mentioned hears of it");
    // The visitor's socket, history and counters know nothing of it.
    assert!(widget.drain(300).await.is_empty(), "no frame reaches the visitor");
    assert_eq!(visitor.history().await.len(), 1);
    let d: Value = boris.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!((d["pending_count"].as_i64(), d["assignee"].is_null()), (Some(1), true), "a note is not a reply");
    // A visitor cannot write one.
    let (status, refused) = body(
        visitor
            .call(Method::POST, "/widget/v1/messages", Some(json!({"client_id": "v-n", "body": "x", "internal": true})))
            .await,
    )
    .await;
    assert_eq!((status, refused["details"]["field"].as_str()), (400, Some("internal")));
}

#[tokio::test]
async fn notes_never_reach_the_visitor_on_sqlite() {
    notes_never_reach_the_visitor(TestApp::spawn().await).await;
}

#[tokio::test]
async fn notes_never_reach_the_visitor_on_postgres() {
    let Some(opts) = on(postgres_store().await) else { return };
    notes_never_reach_the_visitor(TestApp::spawn_with(opts).await).await;
}

#[tokio::test]
async fn files_are_sniffed_limited_and_served_to_those_who_see_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (visitor, dialog) = first_message(&app, "Вот фото кухни").await;
    let files_dir = app.data_dir.join("files");
    let count_files = || std::fs::read_dir(&files_dir).map(|d| d.count()).unwrap_or(0);

    // The visitor sends a picture; the operator sees it.
    let (status, up) = body(visitor.upload("кухня.png", png()).await).await;
    assert_eq!((status, up["content_type"].as_str()), (201, Some("image/png")), "{up}");
    let msg = json!({"client_id": "v-f", "body": "", "attachments": [up["id"]]});
    let (status, sent) = body(visitor.call(Method::POST, "/widget/v1/messages", Some(msg)).await).await;
    assert_eq!(status, 201, "{sent}");
    assert_eq!(sent["attachments"][0]["name"], "кухня.png");
    let resp = admin.get(&format!("/api/v1/attachments/{}", up["id"].as_str().expect("id"))).await;
    assert_eq!(resp.status(), 200);
    let h = resp.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-disposition"].to_str().expect("ascii").starts_with("inline;"));
    assert_eq!(resp.bytes().await.expect("bytes").to_vec(), png());
    let d: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!(d["last_message"]["preview"], "📎 кухня.png");

    // A file's name does not decide its type, and a refused file leaves nothing.
    let before = count_files();
    let (status, refused) = body(admin.upload("смета.pdf", b"MZ\x90\x00\x03\x00\x00\x00binary".to_vec()).await).await;
    assert_eq!((status, refused["code"].as_str()), (415, Some("file_type_refused")), "{refused}");
    assert_eq!(refused["details"]["detected"], "application/octet-stream");
    let (status, refused) = body(admin.upload("big.png", vec![b'x'; 10 * 1024 * 1024 + 1]).await).await;
    assert_eq!((status, refused["code"].as_str()), (413, Some("file_too_large")));
    assert_eq!(refused["details"]["max_bytes"], 10 * 1024 * 1024);
    assert_eq!(count_files(), before, "nothing half-stored");
    let (status, text) = body(admin.upload("notes.png", "Размеры: 3×2 м".as_bytes().to_vec()).await).await;
    assert_eq!((status, text["content_type"].as_str()), (201, Some("text/plain")), "sniffed, not named");

    // A file in an internal note never reaches the visitor; a file sent to him does.
    let (_, secret) = body(admin.upload("внутреннее.png", png()).await).await;
    let note = json!({"client_id": "o-n", "body": "для своих", "internal": true, "attachments": [secret["id"]]});
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{dialog}/messages"), note).await.status(), 201);
    let (_, shared) = body(admin.upload("проект.pdf", b"%PDF-1.7\n...".to_vec()).await).await;
    let reply = json!({"client_id": "o-r", "body": "Проект", "attachments": [shared["id"]]});
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{dialog}/messages"), reply).await.status(), 201);
    let get = |id: &Value| {
        let path = format!("/widget/v1/attachments/{}", id.as_str().expect("id"));
        let visitor = &visitor;
        async move { visitor.call(Method::GET, &path, None).await }
    };
    assert_eq!(get(&secret["id"]).await.status(), 404);
    let pdf = get(&shared["id"]).await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment;"));
    // Another visitor sees none of them; an upload is sent once, by its owner only.
    let other = app.visitor().await;
    assert_eq!(
        other
            .call(Method::GET, &format!("/widget/v1/attachments/{}", up["id"].as_str().expect("id")), None)
            .await
            .status(),
        404
    );
    let again = json!({"client_id": "o-again", "body": "ещё раз", "attachments": [shared["id"]]});
    let (status, e) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/messages"), again).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("attachments")));
    let (_, theirs) = body(other.upload("a.png", png()).await).await;
    let stolen = json!({"client_id": "o-stolen", "body": "x", "attachments": [theirs["id"]]});
    let (status, e) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/messages"), stolen).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (404, Some("attachments")), "not his: as if it did not exist");
    let mut many = Vec::new();
    for _ in 0..6 {
        many.push(body(admin.upload("p.png", png()).await).await.1["id"].clone());
    }
    let too_many = json!({"client_id": "o-many", "body": "x", "attachments": many});
    let (status, e) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/messages"), too_many).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("attachments")), "{e}");

    // Uploads nobody sent are deleted after a day (the sent ones stay).
    let me: Value = admin.get("/api/v1/me").await.json().await.expect("json");
    assert_eq!(me["upload_limits"]["max_files"], 5);
    let stale_before = count_files();
    let clock_later = frontline_core::FakeClock::at(Timestamp(app.app.clock.now().0 + 25 * 3600 * 1000));
    let mut later = app.app.clone();
    later.clock = Arc::new(clock_later);
    let deleted = frontline_core::files::sweep_unsent(&later, later.clock.now()).await.expect("sweep");
    assert_eq!(deleted, 8, "the text file, the other visitor's and the six never sent");
    assert_eq!(count_files(), stale_before - 8);
    assert_eq!(get(&shared["id"]).await.status(), 200);
}

async fn tags_filter_the_list(app: TestApp) {
    let admin = app.admin().await;
    let ch = general(&admin).await;
    let anna = app.operator(&admin, "anna@example.com", "Анна", &[&ch]).await;
    let (status, pay) = body(admin.post("/api/v1/tags", json!({"name": "оплата"})).await).await;
    assert_eq!(status, 201);
    let (_, urgent) = body(admin.post("/api/v1/tags", json!({"name": "срочно"})).await).await;
    assert_eq!(body(admin.post("/api/v1/tags", json!({"name": "оплата"})).await).await.1["code"], "name_taken");
    assert_eq!(anna.post("/api/v1/tags", json!({"name": "моё"})).await.status(), 403, "operators use the dictionary");

    let (v1, d1) = first_message(&app, "Оплата не проходит").await;
    let (_v2, d2) = first_message(&app, "Оплата и доставка").await;
    let (_v3, _d3) = first_message(&app, "Просто вопрос").await;
    for d in [&d1, &d2] {
        let r = anna.post(&format!("/api/v1/dialogs/{d}/accept"), json!({})).await;
        assert_eq!(r.status(), 200);
    }
    // Accepting greeted both, which answers neither (a greeting is no reply); Anna answers
    // both, the first visitor writes again, so only his waits for an answer.
    for (i, d) in [&d1, &d2].into_iter().enumerate() {
        let r = anna
            .post(&format!("/api/v1/dialogs/{d}/messages"), json!({"client_id": format!("a-{i}"), "body": "Смотрю"}))
            .await;
        assert_eq!(r.status(), 201);
    }
    v1.send("v-again", "Так что с оплатой?").await;
    for d in [&d1, &d2] {
        let (status, view) =
            body(anna.put(&format!("/api/v1/dialogs/{d}/tags"), json!({"tag_ids": [pay["id"]]})).await).await;
        assert_eq!((status, view["tags"][0]["name"].as_str()), (200, Some("оплата")));
    }
    let tag = pay["id"].as_str().expect("id");
    let list = |q: String| {
        let anna = &anna;
        async move {
            let v: Value = anna.get(&format!("/api/v1/dialogs?{q}")).await.json().await.expect("json");
            v["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|d| d["id"].as_str().expect("id").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(list(format!("assignee=mine&unanswered=true&tag={tag}")).await, vec![d1.clone()]);
    let mut both = list(format!("tag={tag}")).await;
    both.sort();
    let mut expected = vec![d1.clone(), d2.clone()];
    expected.sort();
    assert_eq!(both, expected);

    // Archived: stays on its dialogs, cannot be added again.
    let (_, archived) = body(admin.patch(&format!("/api/v1/tags/{tag}"), json!({"archived": true})).await).await;
    assert_eq!(archived["archived"], true);
    let tags: Value = anna.get("/api/v1/tags").await.json().await.expect("json");
    assert_eq!(tags["items"].as_array().map(Vec::len), Some(1));
    let d: Value = anna.get(&format!("/api/v1/dialogs/{d1}")).await.json().await.expect("json");
    assert_eq!(d["tags"][0]["name"], "оплата");
    let keep = json!({"tag_ids": [pay["id"], urgent["id"]]});
    assert_eq!(anna.put(&format!("/api/v1/dialogs/{d1}/tags"), keep).await.status(), 200, "keeping it is fine");
    let (_, v3) = first_message(&app, "Ещё").await;
    let add = anna.put(&format!("/api/v1/dialogs/{v3}/tags"), json!({"tag_ids": [pay["id"]]})).await;
    let (status, e) = body(add).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("tag_ids")));
}

#[tokio::test]
async fn tags_filter_the_list_on_sqlite() {
    tags_filter_the_list(TestApp::spawn().await).await;
}

#[tokio::test]
async fn tags_filter_the_list_on_postgres() {
    let Some(opts) = on(postgres_store().await) else { return };
    tags_filter_the_list(TestApp::spawn_with(opts).await).await;
}

async fn snooze_wakes_by_itself(app: TestApp, clock: Arc<FakeClock>) {
    let admin = app.admin().await;
    let (visitor, dialog) = first_message(&app, "Перезвоните через час").await;
    let until = frontline_core::views::rfc3339(Timestamp(clock.now().0 + 3_600_000));
    let (status, d) =
        body(admin.post(&format!("/api/v1/dialogs/{dialog}/snooze"), json!({"until": until})).await).await;
    assert_eq!((status, d["snoozed_until"].as_str()), (200, Some(until.as_str())), "{d}");
    let ids = |s: &'static str| {
        let admin = &admin;
        async move { admin.dialogs(s).await.iter().map(|d| d["id"].as_str().expect("id").to_owned()).collect::<Vec<_>>() }
    };
    assert!(ids("open").await.is_empty(), "out of the open list");
    assert_eq!(ids("snoozed").await, vec![dialog.clone()]);
    let past = frontline_core::views::rfc3339(Timestamp(clock.now().0 - 1));
    let (status, e) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/snooze"), json!({"until": past})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("until")));

    let mut console = admin.ws().await;
    console.next_of("hello").await;
    clock.advance_ms(3_599_000);
    assert_eq!(app.tick().await.woke, 0);
    clock.advance_ms(1_000);
    assert_eq!(app.tick().await.woke, 1);
    assert_eq!(app.tick().await.woke, 0, "once");
    let back = console.next_of("dialog.updated").await;
    assert!(back["dialog"]["snoozed_until"].is_null());
    assert_eq!(ids("open").await, vec![dialog.clone()]);
    let lines = admin.messages(&dialog).await;
    let kinds: Vec<&str> = lines.iter().filter_map(|m| m["event"]["kind"].as_str()).collect();
    assert_eq!(kinds, vec!["snoozed", "unsnoozed"]);

    // The visitor writing ends a snooze at once.
    let until = frontline_core::views::rfc3339(Timestamp(clock.now().0 + 86_400_000));
    admin.post(&format!("/api/v1/dialogs/{dialog}/snooze"), json!({"until": until})).await;
    visitor.send("v-2", "Я здесь").await;
    assert_eq!(ids("open").await, vec![dialog.clone()]);
}

#[tokio::test]
async fn snooze_wakes_by_itself_on_sqlite() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_800_000_000_000)));
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    snooze_wakes_by_itself(app, clock).await;
}

#[tokio::test]
async fn snooze_wakes_by_itself_on_postgres() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_800_000_000_000)));
    let Some(store) = postgres_store().await else { return };
    let opts = Options { backend: Backend::Given(store), clock: clock.clone(), ..Options::default() };
    snooze_wakes_by_itself(TestApp::spawn_with(opts).await, clock).await;
}

#[tokio::test]
async fn close_needs_a_category_and_a_late_message_starts_a_linked_dialog() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_800_000_000_000)));
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let admin = app.admin().await;
    let ch = general(&admin).await;
    let (status, chv) = body(
        admin
            .patch(&format!("/api/v1/channels/{ch}"), json!({"require_category": true, "reopen_window_minutes": 30}))
            .await,
    )
    .await;
    assert_eq!(
        (status, chv["require_category"].as_bool(), chv["reopen_window_minutes"].as_i64()),
        (200, Some(true), Some(30)),
        "{chv}"
    );
    let (_, cat) = body(admin.post("/api/v1/categories", json!({"name": "Замер"})).await).await;
    let (visitor, dialog) = first_message(&app, "Нужен замер").await;

    let (status, e) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/close"), json!({})).await).await;
    assert_eq!((status, e["code"].as_str()), (409, Some("category_required")));
    let (_, d) =
        body(admin.put(&format!("/api/v1/dialogs/{dialog}/category"), json!({"category_id": cat["id"]})).await).await;
    assert_eq!(d["category"]["name"], "Замер");
    let (status, d) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/close"), json!({})).await).await;
    assert_eq!((status, d["close_reason"].as_str()), (200, Some("operator")));

    // Within the window: the same dialog opens again and must get its category again.
    clock.advance_ms(29 * 60_000);
    let sent: Value = visitor.send("v-2", "Забыл спросить").await.json().await.expect("json");
    assert_eq!(sent["dialog_id"], dialog.as_str());
    let d: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!((d["status"].as_str(), d["category"].is_null()), (Some("open"), true));
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{dialog}/close"), json!({})).await.status(), 409);
    admin.put(&format!("/api/v1/dialogs/{dialog}/category"), json!({"category_id": cat["id"]})).await;
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{dialog}/close"), json!({})).await.status(), 200);

    // After it: a new dialog, linked to the old one.
    clock.advance_ms(30 * 60_000);
    let sent: Value = visitor.send("v-3", "Ещё вопрос").await.json().await.expect("json");
    let next = sent["dialog_id"].as_str().expect("id").to_owned();
    assert_ne!(next, dialog);
    let d: Value = admin.get(&format!("/api/v1/dialogs/{next}")).await.json().await.expect("json");
    assert_eq!(d["previous_dialog_id"], dialog.as_str());
    // The old one cannot be reopened while the visitor has an open one.
    let (status, e) = body(admin.post(&format!("/api/v1/dialogs/{dialog}/reopen"), json!({})).await).await;
    assert_eq!((status, e["code"].as_str()), (409, Some("visitor_has_open_dialog")));

    // Bulk close: each on its own.
    let (_, other) = first_message(&app, "Другой").await;
    admin.put(&format!("/api/v1/dialogs/{other}/category"), json!({"category_id": cat["id"]})).await;
    let ids = json!({"ids": [next, other, "00000000-0000-0000-0000-000000000000"]});
    let (status, r) = body(admin.post("/api/v1/dialogs/close", ids).await).await;
    assert_eq!(status, 200, "{r}");
    let got: Vec<(bool, Option<&str>)> = r["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| (i["ok"].as_bool().expect("ok"), i["code"].as_str()))
        .collect();
    assert_eq!(got, vec![(false, Some("category_required")), (true, None), (false, Some("dialog_not_found"))]);
    let (status, e) = body(admin.post("/api/v1/dialogs/close", json!({"ids": ["nope"]})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("ids[0]")));
}

#[tokio::test]
async fn the_widget_rates_a_dialog_an_operator_closed_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (visitor, dialog) = first_message(&app, "Спасибо за помощь").await;
    let (_, tag) = body(admin.post("/api/v1/tags", json!({"name": "секретный тег"})).await).await;
    admin.put(&format!("/api/v1/dialogs/{dialog}/tags"), json!({"tag_ids": [tag["id"]]})).await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;
    admin.post(&format!("/api/v1/dialogs/{dialog}/close"), json!({})).await;
    let closed = widget.next_of("dialog.closed").await;
    assert_eq!(closed["dialog"]["close_reason"], "operator");
    assert!(!closed.to_string().contains("секретный тег"), "the widget never sees the operators' view: {closed}");

    let rate = |score: i64| json!({"dialog_id": dialog, "score": score, "comment": "Быстро и вежливо"});
    let (status, e) = body(visitor.call(Method::POST, "/widget/v1/rating", Some(rate(6))).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("score")));
    let (status, w) = body(visitor.call(Method::POST, "/widget/v1/rating", Some(rate(5))).await).await;
    assert_eq!((status, w["rating"]["score"].as_i64()), (200, Some(5)), "{w}");
    let (status, e) = body(visitor.call(Method::POST, "/widget/v1/rating", Some(rate(4))).await).await;
    assert_eq!((status, e["code"].as_str()), (409, Some("already_rated")));
    let d: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!((d["rating"]["score"].as_i64(), d["rating"]["comment"].as_str()), (Some(5), Some("Быстро и вежливо")));
    // Another visitor cannot rate it.
    let other = app.visitor().await;
    assert_eq!(other.call(Method::POST, "/widget/v1/rating", Some(rate(1))).await.status(), 404);

    // No rating after an automatic close.
    let (v2, d2) = first_message(&app, "Алло").await;
    let ws = app
        .app
        .store
        .workspace_by_slug(&frontline_domain::WorkspaceSlug::parse("demo").expect("slug"))
        .await
        .expect("ws");
    app.app
        .store
        .close_with_reason(
            ws.id,
            d2.parse().expect("id"),
            frontline_domain::CloseReason::Auto,
            app.app.clock.now(),
            frontline_domain::Actor::SYSTEM,
        )
        .await
        .expect("auto close");
    let r = json!({"dialog_id": d2, "score": 5});
    let (status, e) = body(v2.call(Method::POST, "/widget/v1/rating", Some(r)).await).await;
    assert_eq!((status, e["code"].as_str()), (409, Some("rating_not_requested")));
}

async fn search_respects_channels(app: TestApp) {
    let admin = app.admin().await;
    let (_, moscow) = body(admin.post("/api/v1/channels", json!({"name": "Москва"})).await).await;
    let msk = moscow["id"].as_str().expect("id").to_owned();
    let petr = app.operator(&admin, "petr@example.com", "Пётр", &[&msk]).await;
    // New operators join the default channel; Пётр is in Moscow only.
    admin.put(&format!("/api/v1/channels/{}/members", general(&admin).await), json!({"operator_ids": []})).await;
    let (_v, dialog) = first_message(&app, "Оплата картой не проходит").await;
    let (status, r) = body(admin.get("/api/v1/search?q=оплаты").await).await;
    assert_eq!(status, 200);
    assert_eq!(r["items"][0]["dialog"]["id"], dialog.as_str());
    assert_eq!(r["items"][0]["match"], "message");
    assert!(r["items"][0]["message"]["snippet"].as_str().expect("snippet").contains("[Оплата]"));
    let (_, r) = body(petr.get("/api/v1/search?q=оплаты").await).await;
    assert_eq!(r["items"].as_array().map(Vec::len), Some(0), "another channel's dialog is not found");
    let (status, e) = body(admin.get("/api/v1/search?q=a").await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("q")));
    // Name and phone.
    let p = json!({"name": "Ольга Смирнова", "phone": "+7 (916) 123-45-67"});
    assert_eq!(admin.patch(&format!("/api/v1/dialogs/{dialog}/visitor"), p).await.status(), 200);
    let (_, r) = body(admin.get("/api/v1/search?q=Смирнову").await).await;
    assert_eq!(
        (r["items"][0]["match"].as_str(), r["items"][0]["dialog"]["id"].as_str()),
        (Some("visitor"), Some(dialog.as_str()))
    );
    let (_, r) = body(admin.get("/api/v1/search?q=79161234567").await).await;
    assert_eq!(r["items"][0]["dialog"]["id"], dialog.as_str());
}

#[tokio::test]
async fn search_respects_channels_on_sqlite() {
    search_respects_channels(TestApp::spawn().await).await;
}

#[tokio::test]
async fn search_respects_channels_on_postgres() {
    let Some(opts) = on(postgres_store().await) else { return };
    search_respects_channels(TestApp::spawn_with(opts).await).await;
}

#[tokio::test]
async fn the_visitor_card_shows_pages_contacts_and_past_dialogs() {
    let clock = Arc::new(FakeClock::at(Timestamp(1_800_000_000_000)));
    let app = TestApp::spawn_with(Options { clock: clock.clone(), ..Options::default() }).await;
    let admin = app.admin().await;
    let first = app.visitor_on_page(None, "https://shop.example.com/", "Кухни на заказ").await;
    let sent: Value = first.send("v-1", "Первый вопрос").await.json().await.expect("json");
    let old = sent["dialog_id"].as_str().expect("id").to_owned();
    admin.post(&format!("/api/v1/dialogs/{old}/close"), json!({})).await;
    clock.advance_ms(2 * 3600 * 1000);
    let v = app.visitor_on_page(Some(&first.token), "https://shop.example.com/catalog", "Каталог").await;
    clock.advance_ms(5 * 60_000);
    let v = app.visitor_on_page(Some(&v.token), "https://shop.example.com/catalog/oak", "Дубовые кухни").await;
    let sent: Value = v.send("v-2", "Сколько стоит дубовая?").await.json().await.expect("json");
    let dialog = sent["dialog_id"].as_str().expect("id").to_owned();
    assert_ne!(dialog, old);
    let (status, e) = body(v.call(Method::PATCH, "/widget/v1/visitor", Some(json!({"email": "не почта"}))).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("email")));
    let (status, _) = body(
        v.call(Method::PATCH, "/widget/v1/visitor", Some(json!({"email": "Olga@Example.com", "name": "Ольга"}))).await,
    )
    .await;
    assert_eq!(status, 200);

    let (status, card) = body(admin.get(&format!("/api/v1/dialogs/{dialog}/visitor")).await).await;
    assert_eq!(status, 200, "{card}");
    assert_eq!((card["name"].as_str(), card["email"].as_str()), (Some("Ольга"), Some("olga@example.com")));
    assert_eq!(card["page_url"], "https://shop.example.com/catalog/oak");
    let titles: Vec<&str> =
        card["pages"].as_array().expect("pages").iter().filter_map(|p| p["title"].as_str()).collect();
    assert_eq!(titles, vec!["Дубовые кухни", "Каталог", "Кухни на заказ"]);
    // The visit began at the catalog (the first page was two hours before).
    assert_eq!(
        card["visit_started_at"],
        frontline_core::views::rfc3339(Timestamp(1_800_000_000_000 + 2 * 3600 * 1000))
    );
    assert_eq!(card["dialogs"][0]["id"], old.as_str());
    let (status, e) =
        body(admin.patch(&format!("/api/v1/dialogs/{dialog}/visitor"), json!({"phone": "звоните"})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("phone")));
    let (_, card) = body(
        admin
            .patch(&format!("/api/v1/dialogs/{dialog}/visitor"), json!({"phone": "8 916 000-00-00", "email": null}))
            .await,
    )
    .await;
    assert_eq!(
        (card["phone"].as_str(), card["email"].as_str(), card["name"].as_str()),
        (Some("8 916 000-00-00"), None, Some("Ольга"))
    );
}

#[tokio::test]
async fn typing_and_read_marks_travel_both_ways() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (visitor, dialog) = first_message(&app, "Здравствуйте").await;
    let mut widget = visitor.ws().await;
    widget.next_of("hello").await;
    let mut console = admin.ws().await;
    console.next_of("hello").await;

    widget.send(json!({"type": "typing"})).await;
    let t = console.next_of("typing").await;
    assert_eq!((t["dialog_id"].as_str(), t["author"]["kind"].as_str()), (Some(dialog.as_str()), Some("visitor")));
    console.send(json!({"type": "typing", "dialog_id": dialog})).await;
    let t = widget.next_of("typing").await;
    assert_eq!(t["author"]["kind"], "operator");

    let reply = json!({"client_id": "r1", "body": "Слушаю вас"});
    let sent: Value =
        admin.post(&format!("/api/v1/dialogs/{dialog}/messages"), reply).await.json().await.expect("json");
    let seq = sent["seq"].as_i64().expect("seq");
    widget.send(json!({"type": "read", "seq": seq})).await;
    let r = console.next_of("dialog.read").await;
    assert_eq!((r["reader"].as_str(), r["seq"].as_i64()), (Some("visitor"), Some(seq)));
    let d: Value = admin.get(&format!("/api/v1/dialogs/{dialog}")).await.json().await.expect("json");
    assert_eq!(d["visitor_read_seq"], seq);
    // The operators reading reaches the widget.
    visitor.send("v-2", "Хочу кухню").await;
    admin.post(&format!("/api/v1/dialogs/{dialog}/read"), json!({"seq": seq + 1})).await;
    let r = widget.next_of("dialog.read").await;
    assert_eq!((r["reader"].as_str(), r["seq"].as_i64()), (Some("operator"), Some(seq + 1)));
    // Typing in a dialog he cannot see is refused on the socket.
    console.send(json!({"type": "typing", "dialog_id": "00000000-0000-0000-0000-000000000000"})).await;
    assert_eq!(console.next_of("error").await["code"], "dialog_not_found");
}

#[tokio::test]
async fn saved_replies_by_scope() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // New operators join the default channel; the channel reply belongs to another one.
    let (_, kitchens) = body(admin.post("/api/v1/channels", json!({"name": "Кухни"})).await).await;
    let ch = kitchens["id"].as_str().expect("id").to_owned();
    let anna = app.operator(&admin, "anna@example.com", "Анна", &[&ch]).await;
    let boris = app.operator(&admin, "boris@example.com", "Борис", &[]).await;
    let new = |scope: &str, title: &str| json!({"scope": scope, "channel_id": ch, "title": title, "body": "Здравствуйте, {visitor.first_name}! Меня зовут {operator.name}."});
    assert_eq!(anna.post("/api/v1/saved-replies", new("workspace", "Общий")).await.status(), 403);
    assert_eq!(admin.post("/api/v1/saved-replies", new("workspace", "Общий")).await.status(), 201);
    assert_eq!(admin.post("/api/v1/saved-replies", new("channel", "Канал")).await.status(), 201);
    let (status, mine) = body(anna.post("/api/v1/saved-replies", new("personal", "Моё")).await).await;
    assert_eq!(status, 201);
    let titles = |op: &OperatorClient| {
        let op = op.clone();
        async move {
            let v: Value = op.get("/api/v1/saved-replies").await.json().await.expect("json");
            v["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|r| r["title"].as_str().expect("t").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(titles(&anna).await, vec!["Моё", "Канал", "Общий"], "personal, channel, workspace");
    assert_eq!(titles(&boris).await, vec!["Общий"], "not in the channel, not his");
    let id = mine["id"].as_str().expect("id");
    assert_eq!(boris.patch(&format!("/api/v1/saved-replies/{id}"), json!({"title": "x"})).await.status(), 404);
    let (status, e) = body(anna.patch(&format!("/api/v1/saved-replies/{id}"), json!({"body": " "})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("body")));
    assert_eq!(anna.delete(&format!("/api/v1/saved-replies/{id}")).await.status(), 204);
    assert_eq!(titles(&anna).await, vec!["Канал", "Общий"]);
}

#[tokio::test]
async fn a_bucket_that_fails_refuses_the_upload_and_keeps_nothing() {
    let Some(bucket) = frontline_testkit::s3::TestBucket::create().await else { return };
    let app = TestApp::spawn_with(Options { s3: Some(bucket.config("")), ..Options::default() }).await;
    let admin = app.admin().await;
    let local_files = || std::fs::read_dir(app.data_dir.join("files")).map(|d| d.count()).unwrap_or(0);

    // The bucket goes away under the running server: the upload is refused as unavailable.
    bucket.set_present(false).await;
    let (status, refused) = body(admin.upload("план.png", png()).await).await;
    assert_eq!((status, refused["code"].as_str()), (503, Some("unavailable")), "{refused}");
    assert_eq!(local_files(), 0, "the received upload is not left in the data folder");

    // Back again: the next upload is kept, and read back from the bucket.
    bucket.set_present(true).await;
    let (status, up) = body(admin.upload("план.png", png()).await).await;
    assert_eq!(status, 201, "{up}");
    assert_eq!(bucket.objects().await, vec![(up["id"].as_str().expect("id").replace('-', ""), png().len() as u64)]);
    let resp = admin.get(&format!("/api/v1/attachments/{}", up["id"].as_str().expect("id"))).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.bytes().await.expect("bytes") == png());
    assert_eq!(local_files(), 0);
    app.stop().await;
}
