//! Telegram (issue 14): the real Bot API client (`frontline_integrations::HttpBotApi`) against
//! the fake Bot API server of the test kit, which follows the public documentation.

use frontline_core::telegram::api::{self, BotApi, BotApiError, Button};
use frontline_integrations::HttpBotApi;
use frontline_testkit::telegram::{FakeTelegram, TgUser};
use serde_json::json;
use std::time::{Duration, Instant};

const TOKEN: &str = "123456:AAE-test-token-0123456789abcdef";

#[tokio::test]
async fn the_client_speaks_the_bot_api_as_documented() {
    let tg = FakeTelegram::start().await;
    tg.add_bot(TOKEN, 123456, "kitchen_help_bot", "Кухни: помощь");
    let client = HttpBotApi::new(&tg.url).expect("client");

    let me = api::get_me(&client, TOKEN).await.expect("getMe");
    assert_eq!((me.id, me.username.as_deref(), me.is_bot), (123456, Some("kitchen_help_bot"), true));
    let wrong = api::get_me(&client, "999:nope").await.expect_err("a wrong token");
    assert!(
        matches!(&wrong, BotApiError::Refused { code: 401, description, .. } if description == "Unauthorized"),
        "{wrong:?}"
    );

    // A message with a keyboard; callback data over 64 bytes is refused by Telegram.
    let buttons = [Button { text: "Доставка".into(), callback_data: "topic:delivery".into() }];
    let id = api::send_message(&client, TOKEN, 555, "Выберите тему", &buttons).await.expect("sendMessage");
    assert!(id > 0);
    let (method, params) = tg.sent(TOKEN).pop().expect("sent");
    assert_eq!(method, "sendMessage");
    assert_eq!(params["reply_markup"]["inline_keyboard"][0][0]["callback_data"], "topic:delivery");
    let long = [Button { text: "x".into(), callback_data: "d".repeat(65) }];
    let refused = api::send_message(&client, TOKEN, 555, "x", &long).await.expect_err("65 bytes");
    assert_eq!(refused.code(), Some(400));

    // 429 carries how long to wait; 403 says the user blocked the bot.
    tg.fail_next(TOKEN, "sendMessage", 1, 429, "Too Many Requests: retry after 3", Some(3));
    let busy = api::send_message(&client, TOKEN, 555, "Привет", &[]).await.expect_err("429");
    assert!(matches!(busy, BotApiError::Refused { code: 429, retry_after: Some(3), .. }), "{busy:?}");
    tg.block(TOKEN, 777);
    let blocked = api::send_message(&client, TOKEN, 777, "Привет", &[]).await.expect_err("403");
    assert!(matches!(&blocked, BotApiError::Refused { code: 403, description, .. } if description.contains("blocked")));

    // Long polling: a poll waits for an update, and an offset above an id confirms it.
    let maria = TgUser::new(555, "Мария");
    let started = Instant::now();
    let poll = api::get_updates(&client, TOKEN, 0, 5);
    let (updates, _) = tokio::join!(poll, async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        tg.write(TOKEN, &maria, "/start")
    });
    let updates = updates.expect("getUpdates");
    assert!(started.elapsed() >= Duration::from_millis(150), "the poll waited for the update");
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["message"]["text"], "/start");
    let next = updates[0]["update_id"].as_i64().expect("id") + 1;
    assert_eq!(api::get_updates(&client, TOKEN, next, 0).await.expect("confirm"), Vec::<serde_json::Value>::new());
    assert_eq!(tg.unconfirmed(TOKEN), 0);

    // A second poller takes over: the first is told so (409).
    let first = api::get_updates(&client, TOKEN, next, 3);
    let (first, second) = tokio::join!(first, async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        api::get_updates(&client, TOKEN, next, 0).await
    });
    assert_eq!(first.expect_err("taken over").code(), Some(409));
    assert!(second.is_ok());

    // With a webhook set, polling is refused until it is deleted.
    client
        .call(
            TOKEN,
            "setWebhook",
            json!({"url": "https://chat.example.com/telegram/1", "secret_token": "s3cr3t_-x"}),
            api::CALL_WAIT,
        )
        .await
        .expect("setWebhook");
    assert_eq!(tg.webhook(TOKEN).as_deref(), Some("https://chat.example.com/telegram/1"));
    assert_eq!(api::get_updates(&client, TOKEN, next, 0).await.expect_err("webhook set").code(), Some(409));
    api::delete_webhook(&client, TOKEN).await.expect("deleteWebhook");
    assert!(api::get_updates(&client, TOKEN, next, 0).await.is_ok());

    // A server that does not answer in time is "unreachable", not a hang.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let silent_url = format!("http://{}", silent.local_addr().expect("addr"));
    let slow = HttpBotApi::new(&silent_url).expect("client");
    let timed = slow.call(TOKEN, "getMe", json!({}), Duration::from_millis(300)).await.expect_err("silent");
    assert!(matches!(timed, BotApiError::Unreachable(_)), "{timed:?}");
}

/// The demo workspace's admin as the core's actor.
async fn admin_actor(app: &frontline_testkit::TestApp) -> frontline_core::auth::OperatorActor {
    let key = frontline_domain::SiteKey::parse(&app.site_key).expect("key");
    let ws = app.app.store.site_by_key(&key).await.expect("site").workspace_id;
    let ops = app.app.store.list_operators(ws).await.expect("operators");
    let admin = ops.into_iter().find(|o| o.role == frontline_domain::Role::Admin).expect("admin");
    frontline_core::auth::OperatorActor { operator: admin }
}

/// A fake Telegram with the bot, and a server polling it for the demo workspace (connected by
/// its admin, without topics).
async fn polling_bot() -> (
    FakeTelegram,
    frontline_testkit::TestApp,
    frontline_core::auth::OperatorActor,
    frontline_core::telegram::bots::BotView,
) {
    let tg = FakeTelegram::start().await;
    tg.add_bot(TOKEN, 123456, "kitchen_help_bot", "Кухни: помощь");
    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        telegram_api: Some(tg.url.clone()),
        ..Default::default()
    })
    .await;
    let actor = admin_actor(&app).await;
    let bot = frontline_core::telegram::bots::connect(&app.app, &actor.admin().expect("admin"), TOKEN, None)
        .await
        .expect("connect");
    (tg, app, actor, bot)
}

fn sends(tg: &FakeTelegram, method: &str) -> Vec<serde_json::Value> {
    tg.sent(TOKEN).into_iter().filter(|(m, _)| m == method).map(|(_, p)| p).collect()
}

#[tokio::test]
async fn a_chat_picks_a_topic_answers_and_reaches_the_queue_once() {
    use frontline_core::telegram::bots;
    use frontline_core::{Clock, FakeClock};
    let tg = FakeTelegram::start().await;
    tg.add_bot(TOKEN, 123456, "kitchen_help_bot", "Кухни: помощь");
    let clock = std::sync::Arc::new(FakeClock::at(frontline_domain::Timestamp(1_800_000_000_000)));
    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        telegram_api: Some(tg.url.clone()),
        clock: clock.clone(),
        ..Default::default()
    })
    .await;
    let actor = admin_actor(&app).await;
    let admin = actor.admin().expect("admin");

    // A wrong token is named; a good one connects once.
    let bad = bots::connect(&app.app, &admin, "123:short", None).await.expect_err("shape");
    assert!(matches!(bad, frontline_core::CoreError::Invalid { ref field, .. } if field == "token"), "{bad:?}");
    let unknown = bots::connect(&app.app, &admin, "999999:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", None).await;
    assert!(
        matches!(unknown, Err(frontline_core::CoreError::Invalid { ref reason, .. }) if reason.contains("does not know"))
    );
    let bot = bots::connect(&app.app, &admin, TOKEN, None).await.expect("connect");
    assert_eq!((bot.username.as_str(), bot.mode.as_str()), ("kitchen_help_bot", "polling"));
    let again = bots::connect(&app.app, &admin, TOKEN, None).await.expect_err("twice");
    assert!(
        matches!(again, frontline_core::CoreError::Invalid { ref reason, .. } if reason.contains("connected already"))
    );
    assert!(sends(&tg, "deleteWebhook").len() == 1, "polling, never both");
    // The token is kept sealed.
    let stored = app.app.store.telegram_bot(bot.id).await.expect("stored");
    assert!(!stored.token_sealed.contains("AAE-test-token"), "{}", stored.token_sealed);

    let settings = json!({
        "topics": [
            {"key": "delivery", "title": {"ru": "Доставка", "en": "Delivery"},
             "questions": [{"ru": "Номер заказа?", "en": "Order number?"}, {"ru": "Город?", "en": "City?"}]},
            {"key": "other", "title": {"ru": "Другое", "en": "Other"}}
        ]
    });
    let patch = bots::BotPatch { settings: Some(settings), ..Default::default() };
    bots::update(&app.app, &admin, bot.id, &patch).await.expect("topics");
    let bad = bots::BotPatch { settings: Some(json!({"idle_minutes": 0})), ..Default::default() };
    let refused = bots::update(&app.app, &admin, bot.id, &bad).await.expect_err("idle 0");
    assert!(
        matches!(refused, frontline_core::CoreError::Invalid { ref field, .. } if field == "settings.idle_minutes")
    );

    let wait = Duration::from_secs(10);
    let maria = TgUser::new(555001, "Мария");
    // /start: the greeting with the topics as buttons.
    tg.write(TOKEN, &maria, "/start");
    let menu = tg.wait_for(TOKEN, "sendMessage", 0, wait, |p| p.get("reply_markup").is_some()).await;
    assert_eq!(menu["chat_id"], 555001);
    assert_eq!(menu["reply_markup"]["inline_keyboard"][0][0]["callback_data"], "topic:delivery");
    assert_eq!(menu["reply_markup"]["inline_keyboard"][0][0]["text"], "Доставка", "in his language");
    // /start again before choosing: the menu again, and still no dialog anywhere.
    let before = tg.sent(TOKEN).len();
    tg.write(TOKEN, &maria, "/start");
    tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p.get("reply_markup").is_some()).await;
    let console = app.admin().await;
    let list: serde_json::Value = console.get("/api/v1/dialogs?status=all").await.json().await.expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "the bot stage is not a dialog: {list}");

    // A topic, its two questions, the answers: one dialog with his request, and he is told.
    let before = tg.sent(TOKEN).len();
    tg.press(TOKEN, &maria, "topic:delivery", menu["message_id"].as_i64().unwrap_or(1));
    tg.wait_for(TOKEN, "answerCallbackQuery", before, wait, |_| true).await;
    tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["text"] == "Номер заказа?").await;
    let before = tg.sent(TOKEN).len();
    tg.write(TOKEN, &maria, "12345");
    tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["text"] == "Город?").await;
    let before = tg.sent(TOKEN).len();
    tg.write(TOKEN, &maria, "Москва");
    tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["text"].as_str().is_some_and(|t| t.contains("оператор")))
        .await;
    let list: serde_json::Value = console.get("/api/v1/dialogs?status=all").await.json().await.expect("json");
    let items = list["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 1, "{list}");
    let dialog = items[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(items[0]["visitor"]["name"], "Мария");
    let messages: serde_json::Value =
        console.get(&format!("/api/v1/dialogs/{dialog}/messages")).await.json().await.expect("json");
    let first = &messages["items"][0];
    assert_eq!(first["author"]["kind"], "visitor");
    assert_eq!(first["body"], "Тема: Доставка\nНомер заказа? — 12345\nГород? — Москва");

    // Then what he writes goes to that dialog; Telegram's resend of an update changes nothing.
    let before = tg.sent(TOKEN).len();
    let later = tg.write(TOKEN, &maria, "Когда привезут?");
    let deadline = Instant::now() + wait;
    loop {
        let m: serde_json::Value =
            console.get(&format!("/api/v1/dialogs/{dialog}/messages")).await.json().await.expect("json");
        if m["items"].as_array().map(Vec::len) == Some(2) {
            assert_eq!(m["items"][1]["body"], "Когда привезут?");
            break;
        }
        assert!(Instant::now() < deadline, "his message did not arrive: {m}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(tg.sent(TOKEN).len(), before, "the bot says nothing once operators have the chat");
    // A resend after the poll confirmed it is dropped by Telegram itself; one that reaches us
    // anyway (a webhook retried) is recorded under its id already and changes nothing.
    tg.resend(TOKEN, later.clone());
    let id = later["update_id"].as_i64().expect("id");
    let again = [(id, later.to_string())];
    let recorded = app.app.store.record_telegram_updates(bot.id, &again, None, clock.now()).await.expect("record");
    assert_eq!(recorded, 0, "seen before");
    tg.write(TOKEN, &maria, "Спасибо");
    let deadline = Instant::now() + wait;
    loop {
        let m: serde_json::Value =
            console.get(&format!("/api/v1/dialogs/{dialog}/messages")).await.json().await.expect("json");
        let bodies: Vec<&str> =
            m["items"].as_array().expect("items").iter().filter_map(|x| x["body"].as_str()).collect();
        if bodies.contains(&"Спасибо") {
            assert_eq!(bodies.iter().filter(|b| **b == "Когда привезут?").count(), 1, "the resend stored nothing");
            break;
        }
        assert!(Instant::now() < deadline, "{bodies:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Operators answer in the console: the reply reaches him in Telegram (through the outbox);
    // a note never does. Telegram's 429 is waited out as long as it says.
    tg.fail_next(TOKEN, "sendMessage", 1, 429, "Too Many Requests: retry after 2", Some(2));
    let before = tg.sent(TOKEN).len();
    let note = json!({"client_id": "n1", "body": "Внутренняя заметка", "internal": true});
    assert_eq!(console.post(&format!("/api/v1/dialogs/{dialog}/messages"), note).await.status(), 201);
    let reply = json!({"client_id": "r1", "body": "Привезём завтра до 18:00"});
    assert_eq!(console.post(&format!("/api/v1/dialogs/{dialog}/messages"), reply).await.status(), 201);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(tg.sent(TOKEN).len(), before, "refused with 429: nothing sent yet");
    clock.advance_ms(2_500);
    let got = tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["chat_id"] == 555001).await;
    assert_eq!(got["text"], "Привезём завтра до 18:00");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let texts: Vec<String> =
        sends(&tg, "sendMessage").iter().filter_map(|p| p["text"].as_str().map(str::to_owned)).collect();
    assert!(!texts.iter().any(|t| t.contains("Внутренняя")), "a note reached Telegram: {texts:?}");
    assert_eq!(texts.iter().filter(|t| t.contains("Привезём")).count(), 1, "sent once");
    // An operator typing shows as "typing…" in his chat (at most once per few seconds).
    let dialog_id = frontline_domain::DialogId(dialog.parse().expect("uuid"));
    let before = tg.sent(TOKEN).len();
    frontline_core::conversation::operator_typing(&app.app, &actor, dialog_id).await.expect("typing");
    frontline_core::conversation::operator_typing(&app.app, &actor, dialog_id).await.expect("typing");
    let action = tg.wait_for(TOKEN, "sendChatAction", before, wait, |_| true).await;
    assert_eq!((action["chat_id"].as_i64(), action["action"].as_str()), (Some(555001), Some("typing")));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(tg.sent(TOKEN).iter().skip(before).filter(|(m, _)| m == "sendChatAction").count(), 1, "throttled");
    // He blocked the bot: the next reply is refused (403) and his chat is marked unreachable.
    tg.block(TOKEN, 555001);
    let reply = json!({"client_id": "r2", "body": "Вы здесь?"});
    assert_eq!(console.post(&format!("/api/v1/dialogs/{dialog}/messages"), reply).await.status(), 201);
    let deadline = Instant::now() + wait;
    loop {
        let chat = app.app.store.telegram_chat(bot.id, 555001).await.expect("chat").expect("exists");
        if chat.unreachable_at.is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "the chat was not marked unreachable");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Someone who stops answering the bot: after its limit the bot stage closes, he is told,
    // and nothing reached the queue.
    let ivan = TgUser {
        id: 555002,
        first_name: "Ivan".into(),
        username: Some("ivan".into()),
        language_code: Some("en".into()),
    };
    let before = tg.sent(TOKEN).len();
    tg.write(TOKEN, &ivan, "hello");
    let menu = tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["chat_id"] == 555002).await;
    assert_eq!(menu["reply_markup"]["inline_keyboard"][0][0]["text"], "Delivery", "in his language");
    clock.advance_ms(29 * 60_000);
    assert_eq!(app.tick().await.bot_timeouts, 0, "not yet");
    clock.advance_ms(2 * 60_000);
    let before = tg.sent(TOKEN).len();
    assert_eq!(app.tick().await.bot_timeouts, 1);
    let told = tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["chat_id"] == 555002).await;
    assert!(told["text"].as_str().is_some_and(|t| t.contains("/start")), "{told}");
    assert_eq!(app.tick().await.bot_timeouts, 0, "once");
    let list: serde_json::Value = console.get("/api/v1/dialogs?status=all").await.json().await.expect("json");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "only Maria's dialog");
    app.stop().await;
}

#[tokio::test]
async fn behind_https_updates_come_by_webhook_with_their_secret() {
    use frontline_core::telegram::bots;
    let tg = FakeTelegram::start().await;
    tg.add_bot(TOKEN, 123456, "kitchen_help_bot", "Кухни: помощь");
    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        telegram_api: Some(tg.url.clone()),
        tweak: Some(|c| c.public_url = Some("https://chat.example.com".into())),
        ..Default::default()
    })
    .await;
    let actor = admin_actor(&app).await;
    let bot = bots::connect(&app.app, &actor.admin().expect("admin"), TOKEN, None).await.expect("connect");
    assert_eq!(bot.mode, "webhook");
    let url = format!("https://chat.example.com/telegram/v1/bots/{}/updates", bot.id);
    assert_eq!(tg.webhook(TOKEN).as_deref(), Some(url.as_str()), "setWebhook, not polling");
    let secret = app.app.store.telegram_bot(bot.id).await.expect("bot").webhook_secret.expect("a secret");
    let set = sends(&tg, "setWebhook").pop().expect("setWebhook");
    assert_eq!(set["secret_token"], secret.as_str());

    let http = reqwest::Client::new();
    let ours = app.url(&format!("/telegram/v1/bots/{}/updates", bot.id));
    let update = json!({"update_id": 9001, "message": {"message_id": 1, "date": 0, "text": "/start",
        "from": {"id": 555003, "is_bot": false, "first_name": "Ольга", "language_code": "ru"},
        "chat": {"id": 555003, "type": "private"}}});
    let post = |secret: Option<&str>, body: serde_json::Value| {
        let mut r = http.post(&ours).json(&body);
        if let Some(s) = secret {
            r = r.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        r.send()
    };
    // A wrong or missing secret: 401, and nothing is kept.
    assert_eq!(post(Some("wrong"), update.clone()).await.expect("post").status(), 401);
    assert_eq!(post(None, update.clone()).await.expect("post").status(), 401);
    assert!(app.app.store.pending_telegram_updates(bot.id, 10).await.expect("pending").is_empty());
    assert_eq!(app.app.store.telegram_chat(bot.id, 555003).await.expect("chat"), None);
    // The right one: recorded, answered 200, handled: the menu goes out.
    assert_eq!(post(Some(&secret), update.clone()).await.expect("post").status(), 200);
    tg.wait_for(TOKEN, "sendMessage", 0, Duration::from_secs(10), |p| p["chat_id"] == 555003).await;
    // Telegram posting it again (it did not see our 200): nothing happens twice.
    assert_eq!(post(Some(&secret), update).await.expect("post").status(), 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sends(&tg, "sendMessage").iter().filter(|p| p["chat_id"] == 555003).count(), 1);
    // Not JSON: refused, nothing kept.
    let bad = http.post(&ours).header("X-Telegram-Bot-Api-Secret-Token", &secret).body("{").send().await.expect("post");
    assert_eq!(bad.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn a_restart_in_the_middle_of_the_bot_stage_goes_on_where_it_was() {
    use frontline_core::telegram::bots;
    let tg = FakeTelegram::start().await;
    tg.add_bot(TOKEN, 123456, "kitchen_help_bot", "Кухни: помощь");
    let data = frontline_testkit::temp_dir();
    let start = || {
        frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
            telegram_api: Some(tg.url.clone()),
            data_dir: Some(data.clone()),
            ..Default::default()
        })
    };
    let app = start().await;
    let actor = admin_actor(&app).await;
    let admin = actor.admin().expect("admin");
    let bot = bots::connect(&app.app, &admin, TOKEN, None).await.expect("connect");
    let settings = json!({"topics": [{"key": "delivery", "title": {"ru": "Доставка", "en": "Delivery"},
        "questions": [{"ru": "Номер заказа?", "en": "Order number?"}, {"ru": "Город?", "en": "City?"}]}]});
    bots::update(&app.app, &admin, bot.id, &bots::BotPatch { settings: Some(settings), ..Default::default() })
        .await
        .expect("topics");
    let wait = Duration::from_secs(10);
    let olga = TgUser::new(555004, "Ольга");
    tg.write(TOKEN, &olga, "/start");
    let menu = tg.wait_for(TOKEN, "sendMessage", 0, wait, |p| p.get("reply_markup").is_some()).await;
    let before = tg.sent(TOKEN).len();
    tg.press(TOKEN, &olga, "topic:delivery", menu["message_id"].as_i64().unwrap_or(1));
    tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["text"] == "Номер заказа?").await;
    let before = tg.sent(TOKEN).len();
    tg.write(TOKEN, &olga, "777");
    tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["text"] == "Город?").await;

    // The server stops between two questions; her answer comes while it is down.
    app.stop().await;
    let before = tg.sent(TOKEN).len();
    tg.write(TOKEN, &olga, "Казань");
    let app = start().await;
    // The new process polls from the kept offset: the answer lands on the kept stage, and the
    // hand-over has both answers, with nothing asked again.
    tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["text"].as_str().is_some_and(|t| t.contains("оператор")))
        .await;
    let asked_again =
        tg.sent(TOKEN).iter().skip(before).any(|(m, p)| m == "sendMessage" && p.get("reply_markup").is_some());
    assert!(!asked_again, "the menu was sent again after the restart");
    let console = app.admin().await;
    let list: serde_json::Value = console.get("/api/v1/dialogs?status=all").await.json().await.expect("json");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{list}");
    let dialog = items[0]["id"].as_str().expect("id");
    let messages: serde_json::Value =
        console.get(&format!("/api/v1/dialogs/{dialog}/messages")).await.json().await.expect("json");
    assert_eq!(messages["items"][0]["body"], "Тема: Доставка\nНомер заказа? — 777\nГород? — Казань");
    app.stop().await;
}

/// A JPEG's first bytes and some body (the server sniffs the type from them).
fn jpeg(n: u8) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0];
    b.extend(std::iter::repeat_n(n, 2_000));
    b
}

/// Waits for the first dialog to show in the console; answers its id.
async fn first_dialog(console: &frontline_testkit::OperatorClient) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(d) = console.dialogs("all").await.first() {
            return d["id"].as_str().expect("id").to_owned();
        }
        assert!(Instant::now() < deadline, "no dialog");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the dialog has `n` messages; answers them.
async fn messages_when(console: &frontline_testkit::OperatorClient, dialog: &str, n: usize) -> Vec<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let items = console.messages(dialog).await;
        if items.len() >= n {
            return items;
        }
        assert!(Instant::now() < deadline, "{n} messages did not arrive: {items:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn files_and_albums_travel_both_ways_at_telegrams_pace() {
    use frontline_testkit::telegram::TgFile;
    // A bot without topics: his first message goes straight to operators.
    let (tg, app, _, _) = polling_bot().await;
    let console = app.admin().await;
    let wait = Duration::from_secs(10);
    let petr = TgUser::new(555010, "Пётр");

    // A photo with a caption: one message with the photo at its largest size.
    tg.send_files(TOKEN, &petr, vec![TgFile::Photo(jpeg(1))], Some("Вот скол на фасаде"));
    let dialog = first_dialog(&console).await;
    let items = messages_when(&console, &dialog, 1).await;
    assert_eq!(items[0]["body"], "Вот скол на фасаде");
    let photo = &items[0]["attachments"][0];
    assert_eq!(photo["content_type"], "image/jpeg");
    let bytes = console.get(&format!("/api/v1/attachments/{}", photo["id"].as_str().expect("id"))).await;
    assert_eq!(bytes.bytes().await.expect("bytes").to_vec(), jpeg(1), "the largest size, byte for byte");

    // An album of three pictures: one message with all three, once the album is complete.
    tg.send_files(
        TOKEN,
        &petr,
        vec![TgFile::Photo(jpeg(2)), TgFile::Photo(jpeg(3)), TgFile::Photo(jpeg(4))],
        Some("Ещё фото"),
    );
    let items = messages_when(&console, &dialog, 2).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let items_after = console.messages(&dialog).await;
    assert_eq!(items_after.len(), items.len(), "the album is one message: {items_after:?}");
    assert_eq!(items[1]["body"], "Ещё фото");
    assert_eq!(items[1]["attachments"].as_array().map(Vec::len), Some(3));

    // A voice message arrives as a file; a document over 20 MB is named for operators and he
    // is told why it did not come.
    let mut ogg = b"OggS\0\x02".to_vec();
    ogg.extend(std::iter::repeat_n(7u8, 500));
    tg.send_files(TOKEN, &petr, vec![TgFile::Voice(ogg.clone())], None);
    let items = messages_when(&console, &dialog, 3).await;
    assert_eq!(items[2]["attachments"][0]["content_type"], "audio/ogg");
    let before = tg.sent(TOKEN).len();
    tg.send_files(TOKEN, &petr, vec![TgFile::Huge { name: "video.mov".into(), size: 25 << 20 }], Some("Видео"));
    let items = messages_when(&console, &dialog, 4).await;
    let body = items[3]["body"].as_str().expect("body");
    assert!(body.starts_with("Видео\n📎 video.mov, 25.0 MB:"), "{body}");
    assert!(items[3]["attachments"].as_array().is_none_or(Vec::is_empty));
    let told = tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["chat_id"] == 555010).await;
    assert!(told["text"].as_str().is_some_and(|t| t.contains("video.mov") && t.contains("МБ")), "{told}");

    // An operator's reply with a photo and a PDF: the text, then the photo as a photo and the
    // PDF as a document, the bytes as uploaded.
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let console = console.clone();
        async move {
            let r = console.upload(name, bytes).await;
            assert_eq!(r.status(), 201, "{name}");
            r.json::<serde_json::Value>().await.expect("json")["id"].as_str().expect("id").to_owned()
        }
    };
    let pdf = b"%PDF-1.4\n% a price list\n".repeat(50);
    let a = upload("фасад.jpg", jpeg(9)).await;
    let b = upload("прайс.pdf", pdf.clone()).await;
    let reply = json!({"client_id": "f1", "body": "Смотрите, пожалуйста", "attachments": [a, b]});
    assert_eq!(console.post(&format!("/api/v1/dialogs/{dialog}/messages"), reply).await.status(), 201);
    let deadline = Instant::now() + wait;
    while tg.uploads(TOKEN).len() < 2 {
        assert!(Instant::now() < deadline, "the files did not go: {:?}", tg.sent(TOKEN));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let up = tg.uploads(TOKEN);
    assert_eq!((up[0].method.as_str(), up[0].name.as_str(), up[0].bytes.clone()), ("sendPhoto", "фасад.jpg", jpeg(9)));
    assert_eq!((up[1].method.as_str(), up[1].name.as_str(), up[1].bytes.clone()), ("sendDocument", "прайс.pdf", pdf));
    assert!(sends(&tg, "sendMessage").iter().any(|p| p["text"] == "Смотрите, пожалуйста"));

    // Two pictures: one album.
    let c = upload("a.jpg", jpeg(10)).await;
    let d = upload("b.jpg", jpeg(11)).await;
    let reply = json!({"client_id": "f2", "attachments": [c, d]});
    assert_eq!(console.post(&format!("/api/v1/dialogs/{dialog}/messages"), reply).await.status(), 201);
    let deadline = Instant::now() + wait;
    while tg.uploads(TOKEN).len() < 4 {
        assert!(Instant::now() < deadline, "the album did not go: {:?}", tg.sent(TOKEN));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let up = tg.uploads(TOKEN);
    assert_eq!((up[2].method.as_str(), up[3].method.as_str()), ("sendMediaGroup", "sendMediaGroup"));

    // Three quick replies: they reach him in order, about a second apart (Telegram's pace for
    // one chat).
    let before = tg.send_times(TOKEN).len();
    for (i, text) in ["Первое", "Второе", "Третье"].iter().enumerate() {
        let reply = json!({"client_id": format!("p{i}"), "body": text});
        assert_eq!(console.post(&format!("/api/v1/dialogs/{dialog}/messages"), reply).await.status(), 201);
    }
    let deadline = Instant::now() + wait;
    while tg.send_times(TOKEN).len() < before + 3 {
        assert!(Instant::now() < deadline, "the replies did not go");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let times: Vec<Instant> = tg.send_times(TOKEN).into_iter().skip(before).map(|(_, t)| t).collect();
    for pair in times.windows(2) {
        let gap = pair[1].duration_since(pair[0]);
        assert!(gap >= Duration::from_millis(950), "one chat is sent to about once a second: {gap:?}");
    }
    let texts: Vec<String> =
        sends(&tg, "sendMessage").iter().filter_map(|p| p["text"].as_str().map(str::to_owned)).collect();
    let order: Vec<&String> = texts.iter().filter(|t| ["Первое", "Второе", "Третье"].contains(&t.as_str())).collect();
    assert_eq!(order, ["Первое", "Второе", "Третье"]);
    app.stop().await;
}

#[tokio::test]
async fn an_edited_message_shows_its_new_text_and_keeps_the_old_one_for_operators() {
    let (tg, app, _, _) = polling_bot().await;
    let console = app.admin().await;
    let mut socket = console.ws().await;
    let olga = TgUser::new(555020, "Ольга");
    let sent = tg.write(TOKEN, &olga, "Номер заказа 1001");
    let message_id = sent["message"]["message_id"].as_i64().expect("id");
    let dialog = first_dialog(&console).await;
    let first = messages_when(&console, &dialog, 1).await.remove(0);
    assert!(first["edited_at"].is_null());
    let id = first["id"].as_str().expect("id").to_owned();
    let none: serde_json::Value =
        console.get(&format!("/api/v1/dialogs/{dialog}/messages/{id}/edits")).await.json().await.expect("json");
    assert_eq!(none, json!([]));

    // He corrects it in Telegram: the console shows the new text at once, marked edited.
    tg.edit(TOKEN, &olga, message_id, "Номер заказа 1010");
    let frame = socket.next_of("message.updated").await;
    assert_eq!(
        (frame["message"]["id"].as_str(), frame["message"]["body"].as_str()),
        (Some(id.as_str()), Some("Номер заказа 1010"))
    );
    assert!(frame["message"]["edited_at"].is_string(), "{frame}");
    let items = console.messages(&dialog).await;
    assert_eq!(items.len(), 1, "an edit is not a new message");
    assert_eq!(items[0]["body"], "Номер заказа 1010");
    let edits: serde_json::Value =
        console.get(&format!("/api/v1/dialogs/{dialog}/messages/{id}/edits")).await.json().await.expect("json");
    assert_eq!(edits[0]["body"], "Номер заказа 1001", "{edits}");
    assert_eq!(edits[0]["version"], 1);
    // The same edit delivered again changes nothing; an edit of a message we never stored
    // (a command) is ignored; a message of another dialog is not found under this one.
    tg.edit(TOKEN, &olga, message_id, "Номер заказа 1010");
    tg.edit(TOKEN, &olga, 999_999, "что-то");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let edits: serde_json::Value =
        console.get(&format!("/api/v1/dialogs/{dialog}/messages/{id}/edits")).await.json().await.expect("json");
    assert_eq!(edits.as_array().map(Vec::len), Some(1));
    let other = uuid::Uuid::now_v7();
    assert_eq!(console.get(&format!("/api/v1/dialogs/{other}/messages/{id}/edits")).await.status(), 404);
    assert_eq!(console.get(&format!("/api/v1/dialogs/{dialog}/messages/nonsense/edits")).await.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn a_routing_rule_on_the_telegram_topic_sends_the_chat_to_its_channel() {
    use frontline_core::telegram::bots;
    let (tg, app, actor, bot) = polling_bot().await;
    let admin = actor.admin().expect("admin");
    let settings = json!({"topics": [
        {"key": "complaint", "title": {"ru": "Рекламация", "en": "Complaint"}},
        {"key": "other", "title": {"ru": "Другое", "en": "Other"}}
    ]});
    bots::update(&app.app, &admin, bot.id, &bots::BotPatch { settings: Some(settings), ..Default::default() })
        .await
        .expect("topics");
    let console = app.admin().await;
    let created = console.post("/api/v1/channels", json!({"name": "Рекламации"})).await;
    assert_eq!(created.status(), 201);
    let service: serde_json::Value = created.json().await.expect("json");
    let service = service["id"].as_str().expect("id").to_owned();
    // A bad key is named; a good rule is kept.
    let bad = json!({"items": [{"name": "x", "channel_id": service, "conditions": [{"type": "telegram_topic", "value": "Not A Key"}]}]});
    let refused: serde_json::Value = console.put("/api/v1/routing-rules", bad).await.json().await.expect("json");
    assert_eq!(refused["details"]["field"], "items[0].conditions[0].value", "{refused}");
    let rule = json!({"items": [{"name": "Рекламации из Telegram", "channel_id": service,
        "conditions": [{"type": "telegram_topic", "value": "complaint"}]}]});
    assert_eq!(console.put("/api/v1/routing-rules", rule).await.status(), 200);
    // A proactive message shows in the widget, where no topic is ever chosen: refused, named.
    let trigger = json!({"name": "Т", "message": "Подсказать?", "time_on_site_seconds": 30,
        "conditions": [{"type": "telegram_topic", "value": "complaint"}]});
    let refused: serde_json::Value = console.post("/api/v1/triggers", trigger).await.json().await.expect("json");
    assert_eq!(refused["details"]["field"], "conditions[0].type", "{refused}");

    let wait = Duration::from_secs(10);
    for (user, topic) in
        [(TgUser::new(555030, "Анна"), "topic:complaint"), (TgUser::new(555031, "Борис"), "topic:other")]
    {
        let before = tg.sent(TOKEN).len();
        tg.write(TOKEN, &user, "/start");
        let menu = tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["chat_id"] == user.id).await;
        tg.press(TOKEN, &user, topic, menu["message_id"].as_i64().unwrap_or(1));
    }
    let deadline = Instant::now() + wait;
    let dialogs = loop {
        let d = console.dialogs("all").await;
        if d.len() == 2 {
            break d;
        }
        assert!(Instant::now() < deadline, "{d:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let by_name = |name: &str| dialogs.iter().find(|d| d["visitor"]["name"] == name).expect(name).clone();
    let anna = by_name("Анна");
    assert_eq!(anna["channel_id"].as_str(), Some(service.as_str()), "{anna}");
    assert_eq!(anna["routed_by"], "Рекламации из Telegram");
    let boris = by_name("Борис");
    assert_ne!(boris["channel_id"].as_str(), Some(service.as_str()), "another topic goes to the bot's channel");
    assert!(boris["routed_by"].is_null());

    // Passed to a colleague: he reads the transfer's notice in his language, and nothing
    // of the operators' own line about it.
    let before = tg.sent(TOKEN).len();
    let id = boris["id"].as_str().expect("id");
    let general = boris["channel_id"].as_str().expect("channel");
    let vera = app.operator(&console, "vera@example.com", "Вера", &[general]).await;
    vera.presence("online").await;
    let to = json!({"operator_id": vera.id(), "comment": "для сервиса"});
    let moved = console.post(&format!("/api/v1/dialogs/{id}/transfer"), to).await;
    assert_eq!(moved.status(), 200, "{:?}", moved.text().await);
    let told = tg.wait_for(TOKEN, "sendMessage", before, wait, |p| p["chat_id"] == 555031).await;
    assert_eq!(told["text"], "Вас переключили на Вера");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let texts: Vec<String> =
        tg.sent(TOKEN).into_iter().skip(before).filter_map(|(_, p)| p["text"].as_str().map(str::to_owned)).collect();
    assert!(!texts.iter().any(|t| t.contains("для сервиса")), "the comment is for operators: {texts:?}");
    app.stop().await;
}

#[tokio::test]
async fn two_nodes_poll_a_bot_once_and_the_other_takes_over_when_one_stops() {
    use frontline_core::telegram::bots;
    use frontline_testkit::{Install, Options};
    let Some(install) = Install::from_env() else { return };
    let tg = FakeTelegram::start().await;
    tg.add_bot(TOKEN, 123456, "kitchen_help_bot", "Кухни: помощь");
    let node = || {
        install.node(Options {
            telegram_api: Some(tg.url.clone()),
            // Every node of an install has the same key: a token sealed on one opens on another.
            tweak: Some(|c| c.secret_key = Some("BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=".into())),
            ..Options::default()
        })
    };
    // Node A connects the bot and polls it; node B starts after and finds it held.
    let a = node().await;
    let actor = admin_actor(&a).await;
    bots::connect(&a.app, &actor.admin().expect("admin"), TOKEN, None).await.expect("connect");
    let wait = Duration::from_secs(10);
    let deadline = Instant::now() + wait;
    while tg.polls(TOKEN) == 0 {
        assert!(Instant::now() < deadline, "node A never polled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let b = node().await;
    let console = b.admin().await;

    // Both nodes look for bots every 2 s; one polls. Messages arrive once, with no poll of one
    // cut off by the other's.
    let gleb = TgUser::new(555040, "Глеб");
    for i in 0..5 {
        tg.write(TOKEN, &gleb, &format!("Сообщение {i}"));
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    let dialog = first_dialog(&console).await;
    let items = messages_when(&console, &dialog, 5).await;
    let bodies: Vec<&str> = items.iter().filter_map(|m| m["body"].as_str()).collect();
    assert_eq!(bodies, ["Сообщение 0", "Сообщение 1", "Сообщение 2", "Сообщение 3", "Сообщение 4"]);
    assert_eq!(tg.conflicts(TOKEN), 0, "two nodes polled the bot at once");
    assert_eq!(console.dialogs("all").await.len(), 1);

    // A reply written on node B reaches him once, whichever node sends it.
    let reply = json!({"client_id": "mn1", "body": "Ответ с узла B"});
    assert_eq!(console.post(&format!("/api/v1/dialogs/{dialog}/messages"), reply).await.status(), 201);
    tg.wait_for(TOKEN, "sendMessage", 0, wait, |p| p["text"] == "Ответ с узла B").await;

    // Node A stops: B takes the bot over at once (A lets go of its lease) and nothing he
    // writes meanwhile is lost.
    let polls_before = tg.polls(TOKEN);
    a.stop().await;
    tg.write(TOKEN, &gleb, "После остановки узла");
    let deadline = Instant::now() + wait;
    while !console.messages(&dialog).await.iter().any(|m| m["body"] == "После остановки узла") {
        assert!(Instant::now() < deadline, "what he wrote after the stop did not arrive");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(tg.polls(TOKEN) > polls_before, "node B polls now (A is stopped)");
    assert_eq!(tg.conflicts(TOKEN), 0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let once = sends(&tg, "sendMessage").iter().filter(|p| p["text"] == "Ответ с узла B").count();
    assert_eq!(once, 1, "the reply went once");
    b.stop().await;
}

#[tokio::test]
async fn behind_one_webhook_address_two_nodes_handle_a_bots_updates_once() {
    use frontline_core::telegram::bots;
    use frontline_testkit::{Install, Options};
    let Some(install) = Install::from_env() else { return };
    let tg = FakeTelegram::start().await;
    tg.add_bot(TOKEN, 123456, "kitchen_help_bot", "Кухни: помощь");
    let node = || {
        install.node(Options {
            telegram_api: Some(tg.url.clone()),
            tweak: Some(|c| {
                c.secret_key = Some("BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=".into());
                c.public_url = Some("https://chat.example.com".into());
            }),
            ..Options::default()
        })
    };
    let a = node().await;
    let b = node().await;
    let actor = admin_actor(&a).await;
    let bot = bots::connect(&a.app, &actor.admin().expect("admin"), TOKEN, None).await.expect("connect");
    assert_eq!(bot.mode, "webhook");
    let settings = json!({"topics": [{"key": "delivery", "title": {"ru": "Доставка", "en": "Delivery"}}]});
    bots::update(
        &a.app,
        &actor.admin().expect("admin"),
        bot.id,
        &bots::BotPatch { settings: Some(settings), ..Default::default() },
    )
    .await
    .expect("topics");
    let secret = a.app.store.telegram_bot(bot.id).await.expect("bot").webhook_secret.expect("secret");

    // Twenty people write /start at once; the load balancer spreads the posts over both nodes.
    let http = reqwest::Client::new();
    let posts = (0..20i64).map(|i| {
        let node = if i % 2 == 0 { &a } else { &b };
        let url = node.url(&format!("/telegram/v1/bots/{}/updates", bot.id));
        let update = json!({"update_id": 5000 + i, "message": {"message_id": 1, "date": 0, "text": "/start",
            "from": {"id": 556000 + i, "is_bot": false, "first_name": format!("Клиент {i}"), "language_code": "ru"},
            "chat": {"id": 556000 + i, "type": "private"}}});
        http.post(url).header("X-Telegram-Bot-Api-Secret-Token", secret.as_str()).json(&update).send()
    });
    for r in futures_util::future::join_all(posts).await {
        assert_eq!(r.expect("post").status(), 200);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let menus = sends(&tg, "sendMessage").iter().filter(|p| p.get("reply_markup").is_some()).count();
        if menus >= 20 {
            break;
        }
        assert!(Instant::now() < deadline, "{menus} menus of 20");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    let mut per_chat: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for p in sends(&tg, "sendMessage").iter().filter(|p| p.get("reply_markup").is_some()) {
        *per_chat.entry(p["chat_id"].as_i64().unwrap_or(0)).or_default() += 1;
    }
    assert_eq!(per_chat.len(), 20);
    assert!(per_chat.values().all(|n| *n == 1), "a menu went twice: {per_chat:?}");
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn a_blocked_contact_is_passed_over_by_the_bot_until_unblocked() {
    let (tg, app, _, _) = polling_bot().await;
    let console = app.admin().await;
    let spammer = TgUser::new(555030, "Спамер");
    tg.write(TOKEN, &spammer, "Дешёвые часы, пишите");
    let dialog = first_dialog(&console).await;
    messages_when(&console, &dialog, 1).await;
    let resp = console.post(&format!("/api/v1/dialogs/{dialog}/block"), json!({"reason": "spam"})).await;
    assert_eq!(resp.status(), 201);
    let block: serde_json::Value = resp.json().await.expect("json");

    // Blocked: his updates are taken and passed over: no message, not a word from the bot.
    let said = tg.sent(TOKEN).len();
    tg.write(TOKEN, &spammer, "/start");
    tg.write(TOKEN, &spammer, "Ещё часы");
    let deadline = Instant::now() + Duration::from_secs(10);
    while tg.unconfirmed(TOKEN) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(tg.unconfirmed(TOKEN), 0, "his updates were taken");
    assert_eq!(console.messages(&dialog).await.len(), 1, "nothing stored");
    let to_him: Vec<_> = tg.sent(TOKEN).into_iter().skip(said).filter(|(m, _)| m.starts_with("send")).collect();
    assert!(to_him.is_empty(), "the bot said nothing: {to_him:?}");

    // Unblocked: he is heard again.
    let id = block["id"].as_str().expect("id");
    assert_eq!(console.post(&format!("/api/v1/blocks/{id}/lift"), json!({})).await.status(), 200);
    tg.write(TOKEN, &spammer, "Извините, вопрос по заказу");
    messages_when(&console, &dialog, 2).await;
    app.stop().await;
}

/// A suspended workspace's bot is not polled: what its users write waits at Telegram (no
/// dialog, no answer) and comes in when the workspace is resumed.
#[tokio::test]
async fn a_suspended_workspaces_bot_waits_and_catches_up_on_resumption() {
    let (tg, app, actor, _) = polling_bot().await;
    let wait = Duration::from_secs(10);
    let maria = TgUser::new(555002, "Мария");
    tg.write(TOKEN, &maria, "/start");
    tg.wait_for(TOKEN, "sendMessage", 0, wait, |p| p["chat_id"] == 555002).await;
    confirmed(&tg).await;

    let slug = app.app.store.workspace(actor.operator.workspace_id).await.expect("workspace").slug;
    frontline_core::workspaces::suspend(&app.app, slug.as_str()).await.expect("suspend");
    // The poll under way ends with the next update, which it leaves unconfirmed.
    let sent = tg.sent(TOKEN).len();
    let ivan = TgUser::new(555003, "Иван");
    tg.write(TOKEN, &ivan, "/start");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(tg.unconfirmed(TOKEN), 1, "the update waits at Telegram");
    assert_eq!(tg.sent(TOKEN).len(), sent, "nothing answered for a suspended workspace");
    let polls = tg.polls(TOKEN);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(tg.polls(TOKEN), polls, "the bot is no longer polled");

    frontline_core::workspaces::resume(&app.app, slug.as_str()).await.expect("resume");
    tg.wait_for(TOKEN, "sendMessage", sent, wait, |p| p["chat_id"] == 555003).await;
    // Confirmed by the poll after it.
    confirmed(&tg).await;
}

/// Waits until a poll has confirmed every update of the bot.
async fn confirmed(tg: &FakeTelegram) {
    let started = Instant::now();
    while tg.unconfirmed(TOKEN) > 0 {
        assert!(started.elapsed() < Duration::from_secs(10), "the update was never confirmed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
