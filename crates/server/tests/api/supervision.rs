//! Supervision over the HTTP API with a fake clock: the quality guard (the draft check, a
//! blocked send refused with the rule named and nothing stored, an override with a reason,
//! the hits counted), the visitor's tone and the list sorted by it, reports against figures
//! computed by hand (SLA, a reopen, a missed dialog, CSAT, online time, the CSV equal to the
//! page) on SQLite and PostgreSQL, and the live board.

use crate::support::{body, clock, general, postgres, sqlite};
use frontline_core::{Clock, FakeClock};
use frontline_testkit::{OperatorClient, TestApp, VisitorClient};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;

const MIN: i64 = 60_000;
const DAY: &str = "2027-03-03";

async fn first_message(app: &TestApp, text: &str) -> (VisitorClient, String) {
    let visitor = app.visitor().await;
    let (status, sent) = body(visitor.send("v-1", text).await).await;
    assert_eq!(status, 201, "{sent}");
    let id = sent["dialog_id"].as_str().expect("dialog").to_owned();
    (visitor, id)
}

async fn reply(
    admin: &OperatorClient,
    dialog: &str,
    client_id: &str,
    text: &str,
    reason: Option<&str>,
) -> (u16, Value) {
    let mut req = json!({"client_id": client_id, "body": text});
    if let Some(r) = reason {
        req["guard_override"] = json!(r);
    }
    body(admin.post(&format!("/api/v1/dialogs/{dialog}/messages"), req).await).await
}

async fn messages(admin: &OperatorClient, dialog: &str) -> Vec<Value> {
    let page: Value = admin.get(&format!("/api/v1/dialogs/{dialog}/messages")).await.json().await.expect("json");
    page["items"].as_array().cloned().unwrap_or_default()
}

async fn report(admin: &OperatorClient, query: &str) -> Value {
    let (status, r) = body(admin.get(&format!("/api/v1/reports?{query}")).await).await;
    assert_eq!(status, 200, "{r}");
    r
}

#[tokio::test]
async fn the_guard_warns_blocks_and_lets_an_override_through() {
    let clock = clock();
    let app = sqlite(&clock).await;
    let admin = app.admin().await;
    let (status, saved) = body(
        admin
            .put(
                "/api/v1/quality",
                json!({
                    "polite": {"mode": "warn"},
                    "phone_8800": {"mode": "block", "allow_override": true},
                    "caps": {"mode": " block ", "allow_override": false},
                    "forbidden": {"mode": "warn", "words": ["конкурент"], "patterns": ["промокод\\s*\\d+"]},
                }),
            )
            .await,
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["caps"]["mode"], "block", "trimmed as checked");
    // A bad document names its field and keeps nothing.
    let (status, e) = body(admin.put("/api/v1/quality", json!({"forbidden": {"patterns": ["(unclosed"]}})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("forbidden.patterns[0]")), "{e}");
    // A rule is an object: an array in its place is refused, not read as the defaults.
    let (status, e) = body(admin.put("/api/v1/quality", json!({"phone_8800": [], "caps": []})).await).await;
    assert_eq!(status, 400, "{e}");
    assert!(matches!(e["details"]["field"].as_str(), Some("phone_8800" | "caps")), "{e}");
    let kept: Value = admin.get("/api/v1/quality").await.json().await.expect("json");
    assert_eq!(kept, saved);

    let (_visitor, dialog) = first_message(&app, "Подскажите номер поддержки").await;
    // The draft check: what the console marks, in UTF-16 positions.
    let text = "Звоните 8-800-555-35-35, вам ответят";
    let (status, check) =
        body(admin.post(&format!("/api/v1/dialogs/{dialog}/guard"), json!({"body": text})).await).await;
    assert_eq!(status, 200, "{check}");
    let hits = check["hits"].as_array().expect("hits");
    let rules: Vec<&str> = hits.iter().filter_map(|h| h["rule"].as_str()).collect();
    assert_eq!(rules, ["phone_8800", "polite"], "{check}");
    let utf16: Vec<u16> = text.encode_utf16().collect();
    for h in hits {
        let (a, b) = (h["start"].as_u64().expect("start") as usize, h["end"].as_u64().expect("end") as usize);
        assert_eq!(String::from_utf16(&utf16[a..b]).expect("utf16"), h["found"].as_str().expect("found"));
    }
    assert_eq!(hits[0]["mode"], "block");
    assert_eq!(hits[0]["allow_override"], true);

    // Blocked: refused with the rule named, nothing stored.
    let before = messages(&admin, &dialog).await.len();
    let (status, e) = reply(&admin, &dialog, "o-1", text, None).await;
    assert_eq!((status, e["code"].as_str()), (422, Some("guard_blocked")), "{e}");
    assert_eq!(e["details"]["rule"], "phone_8800");
    assert_eq!(e["details"]["allow_override"], true);
    assert_eq!(messages(&admin, &dialog).await.len(), before, "nothing stored");
    // A blank reason is none; an over-long one is named.
    let (status, e) = reply(&admin, &dialog, "o-1", text, Some("   ")).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("guard_override")), "{e}");
    // With a reason it goes; its repeat is the same message.
    let (status, m) = reply(&admin, &dialog, "o-1", text, Some("Клиент сам попросил номер")).await;
    assert_eq!(status, 201, "{m}");
    let (status, again) = reply(&admin, &dialog, "o-1", text, None).await;
    assert_eq!((status, again["id"].clone()), (200, m["id"].clone()), "a retry is answered as stored: {again}");

    // Capitals block with no override: even a reason does not pass.
    let (status, e) = reply(&admin, &dialog, "o-2", "ПОЖАЛУЙСТА ПОДОЖДИТЕ МИНУТУ", Some("срочно")).await;
    assert_eq!(
        (status, e["details"]["rule"].as_str(), e["details"]["allow_override"].as_bool()),
        (422, Some("caps"), Some(false))
    );
    // A warning never stops a send; a note is not looked at.
    let (status, m) = reply(&admin, &dialog, "o-3", "Наш конкурент так не умеет, вам понравится", None).await;
    assert_eq!(status, 201, "{m}");
    let (status, n) = body(
        admin
            .post(
                &format!("/api/v1/dialogs/{dialog}/messages"),
                json!({"client_id": "n-1", "body": "ВНИМАНИЕ КОЛЛЕГИ ПОЗВОНИТЕ 8-800-555-35-35", "internal": true}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 201, "{n}");

    // Every hit is counted per operator: blocked, overridden and warned, once per rule and message.
    let r = report(&admin, &format!("from={DAY}&to={DAY}&group=operator")).await;
    let by_rule = &r["totals"]["guard_by_rule"];
    assert_eq!(by_rule["phone_8800"], 2, "blocked once, overridden once: {r}");
    assert_eq!(by_rule["polite"], 2, "warned with the override, and warned on its own: {r}");
    assert_eq!(by_rule["caps"], 1, "{r}");
    assert_eq!(by_rule["forbidden"], 1, "{r}");
    assert_eq!(r["totals"]["guard_hits"], 6);
    let me = admin.me["operator"]["id"].as_str().expect("id");
    let row = r["rows"].as_array().expect("rows").iter().find(|row| row["key"] == me).expect("the admin's row");
    assert_eq!(row["figures"]["guard_hits"], 6);
}

#[tokio::test]
async fn a_socket_send_is_refused_by_the_guard_like_rest() {
    let clock = clock();
    let app = sqlite(&clock).await;
    let admin = app.admin().await;
    let (status, _) =
        body(admin.put("/api/v1/quality", json!({"phone_8800": {"mode": "block", "allow_override": true}})).await)
            .await;
    assert_eq!(status, 200);
    let (_visitor, dialog) = first_message(&app, "Номер?").await;
    let mut ws = admin.ws().await;
    ws.next_of("hello").await;
    ws.send(json!({"type": "send", "client_id": "s-1", "dialog_id": dialog, "body": "Звоните 8 800 555 35 35"})).await;
    let refused = ws.next_of("error").await;
    assert_eq!(refused["code"], "guard_blocked", "{refused}");
    assert_eq!(refused["details"]["rule"], "phone_8800", "{refused}");
    ws.send(json!({"type": "send", "client_id": "s-1", "dialog_id": dialog, "body": "Звоните 8 800 555 35 35",
        "guard_override": "просил сам"}))
        .await;
    let ack = ws.next_of("ack").await;
    assert_eq!(ack["client_id"], "s-1", "{ack}");
}

#[tokio::test]
async fn a_second_greeting_is_flagged_after_a_reply() {
    let clock = clock();
    let app = sqlite(&clock).await;
    let admin = app.admin().await;
    let (_visitor, dialog) = first_message(&app, "Добрый день! Есть вопрос").await;
    let check = |text: &'static str| {
        let admin = &admin;
        let dialog = dialog.clone();
        async move {
            let c: Value = admin
                .post(&format!("/api/v1/dialogs/{dialog}/guard"), json!({"body": text}))
                .await
                .json()
                .await
                .expect("json");
            c["hits"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|h| h["rule"].as_str().map(String::from))
                .collect::<Vec<_>>()
        }
    };
    let greeted_before = !check("Здравствуйте! Сейчас посмотрю").await.is_empty();
    let (status, _) = reply(&admin, &dialog, "o-1", "Сейчас посмотрю, минуту", None).await;
    assert_eq!(status, 201);
    assert_eq!(check("Здравствуйте! Нашёл ответ").await, ["second_greeting"]);
    // Before any reply it is flagged only when the channel greeted him automatically.
    let greeting: Value = admin.get(&format!("/api/v1/dialogs/{dialog}/messages")).await.json().await.expect("json");
    let automatic = greeting["items"].as_array().expect("items").iter().any(|m| m["automatic"] == "greeting");
    assert_eq!(greeted_before, automatic, "{greeting}");
}

#[tokio::test]
async fn an_upset_visitor_raises_the_dialogs_tone_and_the_list_puts_him_first() {
    let clock = clock();
    let app = sqlite(&clock).await;
    let admin = app.admin().await;
    let (_calm, calm) = first_message(&app, "Здравствуйте, когда доставка?").await;
    clock.advance_ms(1000);
    let (angry_visitor, angry) = first_message(&app, "Где мой заказ!!!").await;
    clock.advance_ms(1000);
    let (_third, third) = first_message(&app, "Подскажите размеры").await;
    let tone = |id: &str| {
        let admin = &admin;
        let id = id.to_owned();
        async move {
            let d: Value = admin.get(&format!("/api/v1/dialogs/{id}")).await.json().await.expect("json");
            d["tone"].as_i64().expect("tone")
        }
    };
    assert_eq!((tone(&calm).await, tone(&angry).await), (0, 1));
    let (status, _) = body(angry_visitor.send("v-2", "ВЫ ВООБЩЕ РАБОТАЕТЕ, СВОЛОЧИ!!!").await).await;
    assert_eq!(status, 201);
    assert_eq!(tone(&angry).await, 3, "capitals, «!!!» and abuse");
    let (status, _) = body(angry_visitor.send("v-3", "ладно, жду").await).await;
    assert_eq!(status, 201);
    assert_eq!(tone(&angry).await, 3, "the dialog keeps its highest");
    // Sorted by tone, page by page: the upset one first, then the waiting order.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("/api/v1/dialogs?sort=tone&limit=1&cursor={c}"),
            None => "/api/v1/dialogs?sort=tone&limit=1".to_owned(),
        };
        let (status, page) = body(admin.get(&q).await).await;
        assert_eq!(status, 200, "{page}");
        seen.extend(page["items"].as_array().expect("items").iter().map(|d| d["id"].as_str().expect("id").to_owned()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, [angry, calm, third]);
}

/// The day's figures, computed by hand (SLA on in calendar time: first reply 60 s, next reply
/// 300 s, resolution 1800 s):
/// - A: the visitor writes at 0; the admin replies at 45 s (first reply 45 s, met) and at
///   500 s to the visitor's 100 s (a reply of 400 s, next-reply target missed); closed at
///   600 s (resolution 600 s, met); rated 4; reopened at 700 s, the visitor writes at 710 s,
///   the admin replies at 730 s (a reply of 20 s, met; the first reply is not counted again).
/// - B: the visitor writes at 60 s; nobody answers; closed by the admin at 900 s: missed, its
///   first-reply target missed (840 s), resolution 840 s (met).
///
/// So: 2 new, 2 closed by an operator, 1 missed; first reply: 1, median 45 s; replies 45, 400,
/// 20 s: median 45 s, p90 400 s, average 155 s; SLA first reply 1 of 2, next reply 1 of 2,
/// resolution 2 of 2; CSAT 1 answer, 4.0, 100 %; the admin online from −600 s to 1000 s.
async fn reports_add_up_to_the_hand_computed_figures(app: TestApp, clock: Arc<FakeClock>) {
    let admin = app.admin().await;
    let ch = general(&admin).await;
    let mut doc: Value = admin.get(&format!("/api/v1/channels/{ch}/automation")).await.json().await.expect("doc");
    doc["sla"] = json!({"enabled": true, "business_hours": false, "first_reply_seconds": 60, "next_reply_seconds": 300, "resolution_seconds": 1800});
    let (status, saved) = body(admin.put(&format!("/api/v1/channels/{ch}/automation"), doc).await).await;
    assert_eq!(status, 200, "{saved}");
    let t0 = clock.now().0 + 600_000;
    let (status, _) = body(admin.put("/api/v1/me/presence", json!({"presence": "online"})).await).await;
    assert_eq!(status, 200);
    let at = |ms: i64| {
        let now = clock.now().0;
        assert!(t0 + ms >= now, "the script runs forward");
        clock.advance_ms(t0 + ms - now);
    };
    at(0);
    let (a_visitor, a) = first_message(&app, "Сколько стоит замер?").await;
    at(45_000);
    assert_eq!(reply(&admin, &a, "a-1", "Замер бесплатный.", None).await.0, 201);
    at(60_000);
    let (_b_visitor, b) = first_message(&app, "Алло, есть кто?").await;
    at(100_000);
    assert_eq!(body(a_visitor.send("v-2", "А в выходные приезжаете?").await).await.0, 201);
    at(500_000);
    assert_eq!(reply(&admin, &a, "a-2", "Да, и в субботу тоже.", None).await.0, 201);
    at(600_000);
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{a}/close"), json!({})).await.status(), 200);
    at(650_000);
    let (status, r) =
        body(a_visitor.call(Method::POST, "/widget/v1/rating", Some(json!({"dialog_id": a, "score": 4}))).await).await;
    assert_eq!(status, 200, "{r}");
    at(700_000);
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{a}/reopen"), json!({})).await.status(), 200);
    at(710_000);
    assert_eq!(body(a_visitor.send("v-3", "И ещё вопрос").await).await.0, 201);
    at(730_000);
    assert_eq!(reply(&admin, &a, "a-3", "Слушаю.", None).await.0, 201);
    at(900_000);
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{b}/close"), json!({})).await.status(), 200);
    at(1_000_000);
    let (status, _) = body(admin.put("/api/v1/me/presence", json!({"presence": "offline"})).await).await;
    assert_eq!(status, 200);
    // PostgreSQL's reports leave the last 2 s of the log to settle.
    clock.advance_ms(3_000);

    let r = report(&admin, &format!("from={DAY}&to={DAY}")).await;
    assert_eq!(r["time_zone"], "Europe/Moscow", "{r}");
    assert_eq!(r["catching_up"], false, "everything is folded before the answer: {r}");
    let rows = r["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{r}");
    assert_eq!(rows[0]["key"], DAY);
    let t = &r["totals"];
    assert_eq!(rows[0]["figures"], *t, "one day: its row is the total");
    assert_eq!(
        (t["dialogs_new"].as_i64(), t["closed_by_operator"].as_i64(), t["missed"].as_i64()),
        (Some(2), Some(2), Some(1)),
        "{t}"
    );
    assert_eq!(t["closed_automatically"], 0);
    let fr = &t["first_reply"]["calendar"];
    assert_eq!((fr["count"].as_i64(), fr["median_ms"].as_i64()), (Some(1), Some(45_000)), "{t}");
    let rp = &t["reply"]["calendar"];
    assert_eq!(
        (rp["count"].as_i64(), rp["median_ms"].as_i64(), rp["p90_ms"].as_i64(), rp["average_ms"].as_i64()),
        (Some(3), Some(45_000), Some(400_000), Some(155_000)),
        "{t}"
    );
    assert_eq!(t["reply"]["business"]["count"], 3, "business hours are every hour until set");
    let rs = &t["resolution"]["calendar"];
    assert_eq!(
        (rs["count"].as_i64(), rs["median_ms"].as_i64(), rs["average_ms"].as_i64()),
        (Some(2), Some(600_000), Some(720_000)),
        "{t}"
    );
    assert_eq!(
        (t["sla_first_reply"]["measured"].as_i64(), t["sla_first_reply"]["met"].as_i64()),
        (Some(2), Some(1)),
        "{t}"
    );
    assert_eq!(t["sla_first_reply"]["met_percent"], 50.0);
    assert_eq!(
        (t["sla_next_reply"]["measured"].as_i64(), t["sla_next_reply"]["met"].as_i64()),
        (Some(2), Some(1)),
        "{t}"
    );
    assert_eq!(
        (t["sla_resolution"]["measured"].as_i64(), t["sla_resolution"]["met"].as_i64()),
        (Some(2), Some(2)),
        "{t}"
    );
    assert_eq!(
        (t["csat"]["answered"].as_i64(), t["csat"]["average"].as_f64(), t["csat"]["good_percent"].as_f64()),
        (Some(1), Some(4.0), Some(100.0))
    );
    assert_eq!(t["online_ms"], 1_600_000, "{t}");
    assert!(t["average_load"].as_f64().is_some_and(|l| l > 0.0), "{t}");

    // Per operator: the admin's row holds the replies; dialogs nobody had are under "none".
    let by_op = report(&admin, &format!("from={DAY}&to={DAY}&group=operator")).await;
    let me = admin.me["operator"]["id"].as_str().expect("id");
    let mine = by_op["rows"].as_array().expect("rows").iter().find(|row| row["key"] == me).expect("mine");
    assert_eq!(mine["figures"]["reply"]["calendar"]["count"], 3);
    assert_eq!(mine["figures"]["online_ms"], 1_600_000);
    assert_eq!(by_op["totals"], r["totals"], "the same figures cut another way");
    let only_me = report(&admin, &format!("from={DAY}&to={DAY}&operator_id={me}")).await;
    assert_eq!(only_me["totals"]["dialogs_new"], 0, "new dialogs belong to no operator");
    assert_eq!(only_me["totals"]["reply"]["calendar"]["count"], 3);
    let other_day = report(&admin, "from=2027-03-04&to=2027-03-10").await;
    assert_eq!(
        (other_day["rows"].as_array().map(Vec::len), other_day["totals"]["dialogs_new"].as_i64()),
        (Some(0), Some(0))
    );

    // The CSV is the page: the same query, written out.
    let resp = admin.get(&format!("/api/v1/reports/export?from={DAY}&to={DAY}")).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/csv"));
    let csv = resp.text().await.expect("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "header, the day, the total: {csv}");
    let header: Vec<&str> = lines[0].split(',').collect();
    let total: Vec<&str> = lines[2].split(',').collect();
    let col = |name: &str| total[header.iter().position(|h| *h == name).expect(name)];
    assert_eq!(total[0], "total");
    assert_eq!((col("dialogs_new"), col("missed"), col("first_reply_calendar_median_s")), ("2", "1", "45"));
    assert_eq!((col("reply_calendar_p90_s"), col("sla_first_reply_percent"), col("csat_average")), ("400", "50", "4"));
    assert_eq!(lines[1].split(',').skip(2).collect::<Vec<_>>(), total[2..].to_vec(), "one day: its line is the total");

    // Bad periods are named.
    let (status, e) = body(admin.get("/api/v1/reports?from=2027-03-10&to=2027-03-01").await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("to")), "{e}");
    let (status, e) = body(admin.get("/api/v1/reports?from=2026-01-01&to=2027-03-01").await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("to")), "{e}");
    let (status, e) = body(admin.get("/api/v1/reports?from=2027-02-30&to=2027-03-01").await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("from")), "{e}");

    // Another zone: the reports are folded again from the log, to the same figures here.
    let (status, z) = body(admin.put("/api/v1/reports/settings", json!({"time_zone": "Asia/Vladivostok"})).await).await;
    assert_eq!((status, z["time_zone"].as_str()), (200, Some("Asia/Vladivostok")), "{z}");
    let (status, e) = body(admin.put("/api/v1/reports/settings", json!({"time_zone": "Mars/Olympus"})).await).await;
    assert_eq!((status, e["details"]["field"].as_str()), (400, Some("time_zone")), "{e}");
    // 12:00 UTC is 22:00 in Vladivostok: the whole script falls on the same day there.
    let again = report(&admin, &format!("from={DAY}&to={DAY}")).await;
    assert_eq!(again["time_zone"], "Asia/Vladivostok");
    assert_eq!(again["totals"], r["totals"], "{again}");
}

#[tokio::test]
async fn reports_add_up_to_the_hand_computed_figures_on_sqlite() {
    let clock = clock();
    reports_add_up_to_the_hand_computed_figures(sqlite(&clock).await, clock).await;
}

#[tokio::test]
async fn reports_add_up_to_the_hand_computed_figures_on_postgres() {
    let clock = clock();
    let Some(app) = postgres(&clock).await else { return };
    reports_add_up_to_the_hand_computed_figures(app, clock).await;
}

#[tokio::test]
async fn the_board_shows_queues_load_and_dialogs_near_a_breach_on_sqlite() {
    let clock = clock();
    the_board_shows_queues_load_and_dialogs_near_a_breach(sqlite(&clock).await, clock).await;
}

#[tokio::test]
async fn the_board_shows_queues_load_and_dialogs_near_a_breach_on_postgres() {
    let clock = clock();
    let Some(app) = postgres(&clock).await else { return };
    the_board_shows_queues_load_and_dialogs_near_a_breach(app, clock).await;
}

async fn the_board_shows_queues_load_and_dialogs_near_a_breach(app: TestApp, clock: Arc<FakeClock>) {
    let admin = app.admin().await;
    let ch = general(&admin).await;
    let mut doc: Value = admin.get(&format!("/api/v1/channels/{ch}/automation")).await.json().await.expect("doc");
    doc["sla"] = json!({"enabled": true, "business_hours": false, "first_reply_seconds": 600, "next_reply_seconds": 300, "resolution_seconds": 3600});
    assert_eq!(admin.put(&format!("/api/v1/channels/{ch}/automation"), doc).await.status(), 200);
    let (status, _) = body(admin.put("/api/v1/me/presence", json!({"presence": "online"})).await).await;
    assert_eq!(status, 200);
    let (_v1, waiting) = first_message(&app, "Есть кто?").await;
    clock.advance_ms(2 * MIN);
    let (_v2, answered) = first_message(&app, "Вопрос по доставке").await;
    assert_eq!(reply(&admin, &answered, "o-1", "Да, слушаю.", None).await.0, 201);

    let board = |admin: &OperatorClient| {
        let admin = admin.clone();
        async move {
            let (status, b) = body(admin.get("/api/v1/board").await).await;
            assert_eq!(status, 200, "{b}");
            b
        }
    };
    let b = board(&admin).await;
    let general = b["channels"].as_array().expect("channels").iter().find(|c| c["id"] == ch).expect("general");
    assert_eq!((general["waiting"].as_i64(), general["longest_wait_ms"].as_i64()), (Some(1), Some(2 * MIN)), "{b}");
    let me = admin.me["operator"]["id"].as_str().expect("id");
    let op = b["operators"].as_array().expect("operators").iter().find(|o| o["id"] == me).expect("me");
    assert_eq!((op["presence"].as_str(), op["load"].as_i64()), (Some("online"), Some(1)), "{b}");
    assert!(b["at_risk"].as_array().expect("risk").is_empty(), "8 minutes left is not at risk yet: {b}");
    // 6 more minutes: the waiting one has 2 minutes left; 9 more: overdue by a minute.
    clock.advance_ms(6 * MIN);
    let b = board(&admin).await;
    let risk = b["at_risk"].as_array().expect("risk");
    assert_eq!(risk.len(), 1, "{b}");
    assert_eq!(
        (risk[0]["dialog_id"].as_str(), risk[0]["target"].as_str(), risk[0]["left_ms"].as_i64()),
        (Some(waiting.as_str()), Some("first_reply"), Some(2 * MIN))
    );
    clock.advance_ms(3 * MIN);
    let b = board(&admin).await;
    assert_eq!(b["at_risk"][0]["left_ms"], -MIN, "{b}");
    // Operators do not see the board.
    let olga = app.operator(&admin, "olga@example.org", "Ольга", &[&ch]).await;
    assert_eq!(olga.get("/api/v1/board").await.status(), 403);
    assert_eq!(olga.get(&format!("/api/v1/reports?from={DAY}&to={DAY}")).await.status(), 403);
}
