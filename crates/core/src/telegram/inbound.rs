//! What a bot does with an update it recorded: the bot stage (greeting and topics, follow-up
//! questions), the hand-over to operators, and the person's messages once a dialog is his.
//!
//! The bot stage is not a dialog: nothing reaches the console or a queue until a topic is
//! chosen and its questions answered. Then one dialog opens in the topic's channel with his
//! request ("Topic: …", each question and answer) as his first message. A `/start` before
//! that shows the menu again on the same chat: nothing is duplicated. A chat idle with the bot
//! past the bot's limit is closed (he is told; his next message starts again).
//!
//! Each update is handled in order and then marked; handling again after a crash is safe: his
//! messages are stored under a client id made of the update's id, so a repeat is a duplicate.

use crate::App;
use crate::error::CoreError;
use crate::telegram::api::{self, Button, User};
use crate::telegram::bots::{settings_of, token_of};
use frontline_domain::telegram::{BotSettings, Texts, pressed_topic, topic_button};
use frontline_domain::{
    AuthorKind, ClientId, ContactSource, DialogId, DialogStatus, MessageBody, MessageId, NewMessage, Timestamp,
    Visitor, VisitorId, VisitorName,
};
use frontline_store::telegram::{ChatStage, TelegramBot, TelegramChat, TelegramUpdate};
use frontline_store::{NewContact, PostMessage, PostTarget};
use serde_json::Value;

/// Handles the bot's recorded updates in order; answers how many.
pub async fn handle_pending(app: &App, bot: &TelegramBot) -> Result<usize, CoreError> {
    let token = token_of(app, bot)?;
    let updates = app.store.pending_telegram_updates(bot.id, 100).await?;
    for u in &updates {
        match handle(app, bot, &token, u).await {
            Ok(()) => {}
            // The database is away: the update stays pending and is handled again.
            Err(e @ CoreError::Unavailable(_)) => return Err(e),
            // Anything else would fail again: it is logged and passed, so the chat goes on.
            Err(e) => {
                tracing::warn!(bot = %bot.id, update = u.update_id, error = %e, "telegram: an update was not handled")
            }
        }
        app.store.mark_telegram_update(bot.id, u.update_id, app.clock.now()).await?;
    }
    Ok(updates.len())
}

/// What a person did, as far as the bot is concerned.
enum Input {
    /// `/start`.
    Start,
    Text(String),
    /// A topic button.
    Topic(String),
    /// Something the bot does not act on (another button, an empty message).
    Nothing,
}

async fn handle(app: &App, bot: &TelegramBot, token: &str, u: &TelegramUpdate) -> Result<(), CoreError> {
    let update: Value = serde_json::from_str(&u.body).map_err(|e| CoreError::Internal(format!("update: {e}")))?;
    let (from, chat_id, input) = if let Some(q) = update.get("callback_query") {
        // Every press is answered, whatever it does.
        if let Some(id) = q.get("id").and_then(Value::as_str)
            && let Err(e) = api::answer_callback_query(app.telegram.as_ref(), token, id).await
        {
            tracing::warn!(bot = %bot.id, error = %e, "telegram: answerCallbackQuery failed");
        }
        let from: User =
            serde_json::from_value(q["from"].clone()).map_err(|e| CoreError::Internal(format!("from: {e}")))?;
        let chat_id = q.pointer("/message/chat/id").and_then(Value::as_i64).unwrap_or(from.id);
        let input = match q.get("data").and_then(Value::as_str).and_then(pressed_topic) {
            Some(key) => Input::Topic(key.to_owned()),
            None => Input::Nothing,
        };
        (from, chat_id, input)
    } else if let Some(m) = update.get("message") {
        // Only private chats: a bot added to a group stays silent there.
        if m.pointer("/chat/type").and_then(Value::as_str) != Some("private") {
            return Ok(());
        }
        let from: User =
            serde_json::from_value(m["from"].clone()).map_err(|e| CoreError::Internal(format!("from: {e}")))?;
        let chat_id = m.pointer("/chat/id").and_then(Value::as_i64).unwrap_or(from.id);
        (from, chat_id, input_of(m))
    } else {
        // Edits and other kinds are not handled yet.
        return Ok(());
    };
    let contact = app
        .store
        .upsert_contact(&NewContact {
            id: VisitorId::new(),
            workspace_id: bot.workspace_id,
            source: ContactSource::Telegram,
            external_id: from.id.to_string(),
            name: VisitorName::parse(&from.full_name()).ok(),
            email: None,
            created_at: app.clock.now(),
        })
        .await?;
    let now = app.clock.now();
    let settings = settings_of(bot);
    let mut chat = match app.store.telegram_chat(bot.id, chat_id).await? {
        Some(c) => c,
        None => TelegramChat {
            bot_id: bot.id,
            chat_id,
            visitor_id: contact.id,
            stage: ChatStage::Closed,
            topic: None,
            question: 0,
            answers: "[]".into(),
            stage_at: now,
            username: None,
            language: None,
            unreachable_at: None,
        },
    };
    chat.username = from.username.clone();
    chat.language = from.language_code.clone();
    chat.unreachable_at = None;
    let lang = from.language_code.as_deref();
    let bot_says = |texts: &Texts| texts.for_language(lang).to_owned();

    // A chat handed over whose dialog has since closed starts with the bot again.
    if chat.stage == ChatStage::Live && !has_open_dialog(app, &contact).await? && matches!(input, Input::Start) {
        chat.stage = ChatStage::Closed;
    }
    match (chat.stage, input) {
        (ChatStage::Live, Input::Text(text)) => {
            write(app, bot, &contact, &chat, u.update_id, &text, &settings).await?;
        }
        (ChatStage::Live, _) => {}
        // Without topics there is nothing to ask: his first words go to operators.
        (_, Input::Text(text)) if settings.topics.is_empty() => {
            hand_over(app, bot, token, &contact, &mut chat, u.update_id, &text, &settings, lang).await?;
        }
        (ChatStage::Question, Input::Text(answer)) => {
            let topic = chat.topic.clone().and_then(|k| settings.topic(&k).cloned());
            let Some(topic) = topic else {
                return menu(app, token, &mut chat, &settings, lang, now).await;
            };
            let mut answers: Vec<Value> = serde_json::from_str(&chat.answers).unwrap_or_default();
            let asked = topic.questions.get(chat.question as usize).map(bot_says).unwrap_or_default();
            answers.push(serde_json::json!({ "question": asked, "answer": answer }));
            chat.answers = Value::Array(answers).to_string();
            chat.question += 1;
            chat.stage_at = now;
            match topic.questions.get(chat.question as usize) {
                Some(next) => {
                    say(app, token, chat.chat_id, &bot_says(next), &[]).await;
                    app.store.save_telegram_chat(&chat).await?;
                }
                None => {
                    let request = request_text(&bot_says(&topic.title), &chat.answers, lang);
                    hand_over(app, bot, token, &contact, &mut chat, u.update_id, &request, &settings, lang).await?;
                }
            }
        }
        (ChatStage::Menu | ChatStage::Question, Input::Topic(key)) => match settings.topic(&key).cloned() {
            Some(topic) => {
                chat.topic = Some(topic.key.clone());
                chat.question = 0;
                chat.answers = "[]".into();
                chat.stage_at = now;
                match topic.questions.first() {
                    Some(first) => {
                        chat.stage = ChatStage::Question;
                        say(app, token, chat.chat_id, &bot_says(first), &[]).await;
                        app.store.save_telegram_chat(&chat).await?;
                    }
                    None => {
                        let request = request_text(&bot_says(&topic.title), "[]", lang);
                        hand_over(app, bot, token, &contact, &mut chat, u.update_id, &request, &settings, lang).await?;
                    }
                }
            }
            // A topic removed since the menu was sent: the menu as it is now.
            None => menu(app, token, &mut chat, &settings, lang, now).await?,
        },
        // `/start`, a first message, or words where a button is expected: the menu (again, on
        // the same chat: nothing new is made).
        (_, Input::Start | Input::Text(_)) => menu(app, token, &mut chat, &settings, lang, now).await?,
        (_, Input::Topic(_) | Input::Nothing) => {}
    }
    Ok(())
}

fn input_of(m: &Value) -> Input {
    let text = m.get("text").or_else(|| m.get("caption")).and_then(Value::as_str).unwrap_or("").trim();
    if text == "/start" || text.starts_with("/start ") {
        return Input::Start;
    }
    if !text.is_empty() {
        return Input::Text(text.to_owned());
    }
    // Files are not carried yet: he is not left unheard.
    let kind = ["photo", "document", "voice", "video", "audio", "sticker"].into_iter().find(|k| m.get(*k).is_some());
    match kind {
        Some(k) => Input::Text(format!("[{k}]")),
        None => Input::Nothing,
    }
}

/// "Topic: …" and each question with its answer, as his request reads to operators.
fn request_text(topic: &str, answers: &str, lang: Option<&str>) -> String {
    let label = Texts::new("Тема", "Topic");
    let mut out = format!("{}: {topic}", label.for_language(lang));
    let answers: Vec<Value> = serde_json::from_str(answers).unwrap_or_default();
    for a in answers {
        let q = a.get("question").and_then(Value::as_str).unwrap_or("");
        let v = a.get("answer").and_then(Value::as_str).unwrap_or("");
        out.push_str(&format!("\n{q} — {v}"));
    }
    out
}

/// Sends the greeting with the topics as buttons; the chat waits for a choice.
async fn menu(
    app: &App,
    token: &str,
    chat: &mut TelegramChat,
    settings: &BotSettings,
    lang: Option<&str>,
    now: Timestamp,
) -> Result<(), CoreError> {
    let buttons: Vec<Button> = settings
        .topics
        .iter()
        .map(|t| Button { text: t.title.for_language(lang).to_owned(), callback_data: topic_button(&t.key) })
        .collect();
    say(app, token, chat.chat_id, settings.greeting.for_language(lang), &buttons).await;
    chat.stage = ChatStage::Menu;
    chat.topic = None;
    chat.question = 0;
    chat.answers = "[]".into();
    chat.stage_at = now;
    app.store.save_telegram_chat(chat).await?;
    Ok(())
}

/// The bot's own words to the person (a failure is logged: the chat goes on).
async fn say(app: &App, token: &str, chat_id: i64, text: &str, buttons: &[Button]) {
    if let Err(e) = api::send_message(app.telegram.as_ref(), token, chat_id, text, buttons).await {
        tracing::warn!(chat = chat_id, error = %e, "telegram: the bot's message was not sent");
    }
}

async fn has_open_dialog(app: &App, contact: &Visitor) -> Result<bool, CoreError> {
    Ok(app
        .store
        .latest_dialog_of_visitor(contact.workspace_id, contact.id)
        .await?
        .is_some_and(|d| d.status == DialogStatus::Open))
}

/// Opens his dialog with his request, in the topic's channel, and tells him.
#[allow(clippy::too_many_arguments)]
async fn hand_over(
    app: &App,
    bot: &TelegramBot,
    token: &str,
    contact: &Visitor,
    chat: &mut TelegramChat,
    update_id: i64,
    request: &str,
    settings: &BotSettings,
    lang: Option<&str>,
) -> Result<(), CoreError> {
    write(app, bot, contact, chat, update_id, request, settings).await?;
    chat.stage = ChatStage::Live;
    chat.stage_at = app.clock.now();
    app.store.save_telegram_chat(chat).await?;
    say(app, token, chat.chat_id, settings.handed_over.for_language(lang), &[]).await;
    Ok(())
}

/// His message, into his open dialog or a new one in the chat topic's channel.
async fn write(
    app: &App,
    bot: &TelegramBot,
    contact: &Visitor,
    chat: &TelegramChat,
    update_id: i64,
    text: &str,
    settings: &BotSettings,
) -> Result<(), CoreError> {
    let channel =
        chat.topic.as_deref().and_then(|k| settings.topic(k)).and_then(|t| t.channel_id).unwrap_or(bot.channel_id);
    let last = app.store.latest_dialog_of_visitor(contact.workspace_id, contact.id).await?;
    let open_in = last.as_ref().filter(|d| d.status == DialogStatus::Open).map(|d| d.channel_id);
    let previous = last.as_ref().filter(|d| d.status == DialogStatus::Closed).map(|d| d.id);
    let automation = crate::automation::for_channel(app, contact.workspace_id, open_in.unwrap_or(channel)).await?;
    // Telegram allows 4,096 characters; a longer limit here keeps all of it, a shorter one cuts.
    let cut: String = text.chars().take(app.config.message_limit).collect();
    let cleaned: String =
        cut.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r')).collect::<String>();
    let body = match MessageBody::parse(&cleaned, app.config.message_limit) {
        Ok(b) => b,
        Err(_) => MessageBody::from_stored("…".into()),
    };
    let now = app.clock.now();
    let posted = app
        .store
        .post_message(PostMessage {
            workspace_id: contact.workspace_id,
            target: PostTarget::Visitor {
                visitor: contact.id,
                channel,
                new_dialog_id: DialogId::new(),
                routed_by: None,
                previous,
            },
            message: NewMessage {
                id: MessageId::new(),
                // The update's id: handling it again stores nothing new.
                client_id: ClientId::from_stored(format!("tg-{}-{update_id}", bot.telegram_id)),
                author_kind: AuthorKind::Visitor,
                author_id: contact.id.0,
                body,
                created_at: now,
                audience: Default::default(),
                event: None,
                attachments: Vec::new(),
                mentions: Vec::new(),
                automatic: None,
            },
            author_name: contact.name.as_ref().map(|n| n.as_str().to_owned()),
            timers: crate::automation::visitor_timers(&automation, now),
            opening: None,
        })
        .await?;
    crate::publisher::publish_posted(app, &posted, contact).await;
    if posted.dialog_created {
        crate::assignment::auto_assign(app, contact.workspace_id, posted.dialog.channel_id).await;
    }
    Ok(())
}

/// Closes the bot stage of chats idle past their bot's limit, telling each person; answers
/// how many.
pub async fn close_idle(app: &App) -> Result<usize, CoreError> {
    let mut closed = 0;
    for bot in app.store.enabled_telegram_bots().await? {
        let settings = settings_of(&bot);
        let before = Timestamp(app.clock.now().0 - i64::from(settings.idle_minutes) * 60_000);
        let idle = app.store.idle_telegram_chats(bot.id, before, 200).await?;
        if idle.is_empty() {
            continue;
        }
        let token = token_of(app, &bot)?;
        for mut chat in idle {
            say(app, &token, chat.chat_id, settings.timed_out.for_language(chat.language.as_deref()), &[]).await;
            chat.stage = ChatStage::Closed;
            chat.stage_at = app.clock.now();
            app.store.save_telegram_chat(&chat).await?;
            tracing::info!(bot = %bot.id, chat = chat.chat_id, "telegram: bot stage closed (bot_timeout)");
            closed += 1;
        }
    }
    Ok(closed)
}
