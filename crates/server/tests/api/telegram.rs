//! Telegram (issue 14): the real Bot API client (`frontline_integrations::HttpBotApi`) against
//! the fake Bot API server of the test kit, which follows the public documentation.

use frontline_core::telegram::api::{self, BotApi, BotApiError, Button};
use frontline_integrations::HttpBotApi;
use frontline_testkit::telegram::{FakeTelegram, TgUser};
use serde_json::json;
use std::time::{Duration, Instant};

const TOKEN: &str = "123456:AAE-test-token";

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
