//! The Telegram phase: the server polls a bot through the test kit's fake Bot API (the one the
//! tests use, which follows the public documentation), on 127.0.0.1.
//!
//! 1. **Inbound.** `chats` people each write once (their dialogs open), then `updates` more
//!    messages are queued at once, round-robin over the chats. Measured: updates/s from the
//!    queueing to the last one stored (counted on an operator socket: `message.created` from a
//!    visitor), and the time until Telegram saw every update confirmed.
//! 2. **Outbound pace.** Operators reply `replies` times to each of 100 chats as fast as the
//!    API takes it. Measured at the fake: the send rate, the most sends in any one second
//!    (Telegram allows about 30 a second per bot) and the shortest gap between two sends to one
//!    chat (about one a second per chat).

use crate::client::{Target, login};
use anyhow::{Context, Result, ensure};
use frontline_testkit::telegram::{FakeTelegram, TgUser};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub const TOKEN: &str = "424242:AAE-bench-token-0123456789abcdef";
const OUTBOUND_CHATS: usize = 100;

/// Counts visitors' messages seen on an operator socket.
async fn count_visitor_messages(target: &Target) -> Result<Arc<AtomicU64>> {
    let mut ws = target.operator_socket().await?;
    let seen = Arc::new(AtomicU64::new(0));
    let counter = seen.clone();
    tokio::spawn(async move {
        while let Some(Ok(frame)) = ws.next().await {
            let Ok(text) = frame.into_text() else { continue };
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if v["type"] == "message.created" && v["message"]["author"]["kind"] == "visitor" {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    Ok(seen)
}

async fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> Result<Duration> {
    let start = Instant::now();
    while !done() {
        ensure!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(start.elapsed())
}

pub async fn run(target: &Target, tg: &FakeTelegram, chats: usize, updates: usize, replies: usize) -> Result<()> {
    let chats = chats.max(OUTBOUND_CHATS);
    tg.add_bot(TOKEN, 424242, "bench_bot", "Bench");
    // A bot without topics: a first message goes straight to operators.
    target.admin_post("/api/v1/telegram/bots", json!({"token": TOKEN})).await?;
    let seen = count_visitor_messages(target).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let users: Vec<TgUser> = (0..chats).map(|i| TgUser::new(900_000 + i as i64, &format!("Клиент {i}"))).collect();

    // Each chat's first message: its dialog opens.
    let started = Instant::now();
    for u in &users {
        tg.write(TOKEN, u, "Здравствуйте, вопрос по заказу");
    }
    let n = chats as u64;
    wait_until("the first messages", Duration::from_secs(300), || seen.load(Ordering::Relaxed) >= n).await?;
    let first = started.elapsed();
    println!(
        "telegram first messages:         {chats} chats → {chats} dialogs in {:.2} s ({:.0} new dialogs/s)",
        first.as_secs_f64(),
        chats as f64 / first.as_secs_f64()
    );

    // The burst: every update queued at once.
    let before = seen.load(Ordering::Relaxed);
    let started = Instant::now();
    for i in 0..updates {
        tg.write(TOKEN, &users[i % chats], &format!("Сообщение {i}: когда доставка?"));
    }
    let queued = started.elapsed();
    let target_count = before + updates as u64;
    // Both moments from the start of the queueing, watched together.
    let (mut confirmed, mut stored) = (None, None);
    while confirmed.is_none() || stored.is_none() {
        ensure!(started.elapsed() < Duration::from_secs(600), "the burst was not handled within 600 s");
        if confirmed.is_none() && tg.unconfirmed(TOKEN) == 0 {
            confirmed = Some(started.elapsed());
        }
        if stored.is_none() && seen.load(Ordering::Relaxed) >= target_count {
            stored = Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (confirmed, stored) = (confirmed.unwrap_or_default(), stored.unwrap_or_default());
    println!("  (queueing {updates} updates in the fake took {:.2} s)", queued.as_secs_f64());
    println!(
        "telegram inbound:                {updates} updates in {:.2} s = {:.0} updates/s stored ({:.0}/s confirmed to Telegram)",
        stored.as_secs_f64(),
        updates as f64 / stored.as_secs_f64(),
        updates as f64 / confirmed.as_secs_f64()
    );

    // Outbound: replies to 100 chats from operators (two: 50 dialogs each, their capacity).
    let dialogs = target.admin_call(reqwest::Method::GET, "/api/v1/dialogs?status=all&limit=100", None).await?;
    let ids: Vec<String> = dialogs["items"]
        .as_array()
        .context("dialogs")?
        .iter()
        .filter_map(|d| d["id"].as_str().map(str::to_owned))
        .take(OUTBOUND_CHATS)
        .collect();
    ensure!(ids.len() == OUTBOUND_CHATS, "{} dialogs listed", ids.len());
    let channel = dialogs["items"][0]["channel_id"].as_str().context("channel")?.to_owned();
    let http = reqwest::Client::new();
    let mut cookies = Vec::new();
    for k in 0..2 {
        let email = format!("tg-bench-{k}-{}@example.com", uuid::Uuid::now_v7().simple());
        let op = target
            .admin_post(
                "/api/v1/operators",
                json!({"email": email, "display_name": format!("Оператор {k}"), "password": "bench-operator-password", "role": "operator"}),
            )
            .await?;
        let id = op["id"].as_str().context("operator id")?.to_owned();
        target
            .admin_call(reqwest::Method::PATCH, &format!("/api/v1/operators/{id}"), Some(json!({"capacity": 50})))
            .await?;
        let members =
            target.admin_call(reqwest::Method::GET, &format!("/api/v1/channels/{channel}/members"), None).await?;
        let mut member_ids: Vec<Value> =
            members["items"].as_array().cloned().unwrap_or_default().iter().map(|m| m["id"].clone()).collect();
        member_ids.push(json!(id));
        target
            .admin_call(
                reqwest::Method::PUT,
                &format!("/api/v1/channels/{channel}/members"),
                Some(json!({"operator_ids": member_ids})),
            )
            .await?;
        cookies.push(login(&http, &target.base, &email, "bench-operator-password").await?);
    }
    let sent_before = tg.send_times(TOKEN).len();
    let started = Instant::now();
    for r in 0..replies {
        for (i, dialog) in ids.iter().enumerate() {
            let resp = http
                .post(format!("{}/api/v1/dialogs/{dialog}/messages", target.base))
                .header("cookie", &cookies[i % 2])
                .json(&json!({"client_id": format!("tg-bench-{r}-{i}"), "body": format!("Ответ {r}: доставка завтра")}))
                .send()
                .await?;
            ensure!(resp.status().is_success(), "reply: {} {}", resp.status(), resp.text().await.unwrap_or_default());
        }
    }
    let written = started.elapsed();
    let expected = OUTBOUND_CHATS * replies;
    wait_until("the replies reaching Telegram", Duration::from_secs(600), || {
        tg.send_times(TOKEN).len() >= sent_before + expected
    })
    .await?;
    let sends: Vec<(i64, Instant)> = tg.send_times(TOKEN).into_iter().skip(sent_before).collect();
    let span = sends.last().map(|l| l.1.duration_since(sends[0].1)).unwrap_or_default();
    let mut busiest = 0;
    for (i, (_, t)) in sends.iter().enumerate() {
        let in_second = sends[i..].iter().take_while(|(_, u)| u.duration_since(*t) < Duration::from_secs(1)).count();
        busiest = busiest.max(in_second);
    }
    let mut last: HashMap<i64, Instant> = HashMap::new();
    let mut closest = Duration::MAX;
    for (chat, t) in &sends {
        if let Some(prev) = last.insert(*chat, *t) {
            closest = closest.min(t.duration_since(prev));
        }
    }
    println!(
        "telegram outbound:               {expected} replies to {OUTBOUND_CHATS} chats written in {:.2} s, sent over {:.2} s = {:.1} sends/s",
        written.as_secs_f64(),
        span.as_secs_f64(),
        (sends.len().saturating_sub(1)) as f64 / span.as_secs_f64().max(0.001)
    );
    println!(
        "  most sends in one second {busiest} (Telegram: about 30 per bot); shortest gap in one chat {:.0} ms (about 1,000)",
        closest.as_secs_f64() * 1000.0
    );
    Ok(())
}
