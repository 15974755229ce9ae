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
    Attachment, AttachmentId, ContactSource, DialogStatus, Timestamp, Visitor, VisitorId, VisitorName,
};
use frontline_store::NewContact;
use frontline_store::telegram::{ChatStage, TelegramBot, TelegramChat, TelegramUpdate};
use serde_json::Value;
use std::time::Duration;

/// How long an album's parts are awaited: Telegram sends each picture of an album as its own
/// update, a moment apart; they are handled together once no new part came for this long.
const ALBUM_WAIT: Duration = Duration::from_millis(1200);

/// What a run over the pending updates did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Handled {
    pub count: usize,
    /// An album is still arriving: the rest waits, and is handled after this long.
    pub again_in: Option<Duration>,
}

/// Handles the bot's pending updates, one run per bot at a time on this node; an album still
/// arriving is handled by a run of its own a moment later.
pub async fn run_pending(app: &App, bot: &TelegramBot) -> Result<usize, CoreError> {
    let handled = {
        let lock = app.telegram_locks.lock(bot.id);
        let _held = lock.lock().await;
        handle_pending(app, bot).await?
    };
    if let Some(wait) = handled.again_in {
        let (app, bot) = (app.clone(), bot.clone());
        tokio::spawn(async move {
            let mut wait = wait;
            loop {
                tokio::time::sleep(wait).await;
                let lock = app.telegram_locks.lock(bot.id);
                let _held = lock.lock().await;
                match handle_pending(&app, &bot).await {
                    Ok(Handled { again_in: Some(next), .. }) => wait = next,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!(bot = %bot.id, error = %e, "telegram: handling an album failed; the next update retries");
                        break;
                    }
                }
            }
        });
    }
    Ok(handled.count)
}

/// How long a node holds a webhook bot's handling.
const HANDLING_LEASE_MS: i64 = 60_000;

/// Handles what Telegram posted to a bot's webhook. Several nodes may receive a bot's updates
/// (behind one address); one handles them at a time: it takes the bot's lease in the database,
/// handles until nothing is pending, and lets go. A node that finds the lease taken tries
/// again shortly, so an update recorded just as the holder finished is not left waiting.
pub async fn handle_posted(app: &App, bot: &TelegramBot) {
    let deadline = std::time::Instant::now() + Duration::from_millis(HANDLING_LEASE_MS as u64 + 5_000);
    while std::time::Instant::now() < deadline {
        let now = app.clock.now();
        match app.store.claim_telegram_handling(bot.id, app.node, Timestamp(now.0 + HANDLING_LEASE_MS), now).await {
            Ok(true) => {
                let mut failed = false;
                loop {
                    match run_pending(app, bot).await {
                        Ok(n) if n > 0 => continue,
                        Ok(_) => break,
                        Err(e) => {
                            tracing::warn!(bot = %bot.id, error = %e, "telegram: handling posted updates failed; the next one retries");
                            failed = true;
                            break;
                        }
                    }
                }
                if let Err(e) = app.store.release_telegram_poll(bot.id, app.node).await {
                    tracing::warn!(bot = %bot.id, error = %e, "telegram: letting go of a bot's handling failed; the lease runs out");
                }
                if failed {
                    return;
                }
                // An update recorded between the last look and letting go is handled now.
                match app.store.pending_telegram_updates(bot.id, 1).await {
                    Ok(p) if !p.is_empty() => tokio::time::sleep(Duration::from_millis(50)).await,
                    _ => return,
                }
            }
            // Another node handles the bot; it will see what was recorded, unless it is just
            // finishing: look again in a moment.
            Ok(false) => tokio::time::sleep(Duration::from_millis(200)).await,
            Err(e) => {
                tracing::warn!(bot = %bot.id, error = %e, "telegram: taking a bot's handling failed");
                return;
            }
        }
        match app.store.pending_telegram_updates(bot.id, 1).await {
            Ok(p) if p.is_empty() => return,
            _ => {}
        }
    }
}

/// The album an update's message belongs to: `(chat, media_group_id)`.
fn album_of(u: &Value) -> Option<(i64, String)> {
    let m = u.get("message")?;
    let group = m.get("media_group_id")?.as_str()?;
    Some((m.pointer("/chat/id")?.as_i64()?, group.to_owned()))
}

/// How many chats' updates are handled at once (each chat's in order).
const CHATS_AT_ONCE: usize = 16;

/// The chat an update belongs to (`0`: none).
fn chat_of(u: &Value) -> i64 {
    ["/message/chat/id", "/edited_message/chat/id", "/callback_query/message/chat/id", "/callback_query/from/id"]
        .iter()
        .find_map(|p| u.pointer(p).and_then(Value::as_i64))
        .unwrap_or(0)
}

/// What a chat's run did: the updates to mark at the end, and the error that stopped it.
type ChatRun = Result<Vec<i64>, (Vec<i64>, CoreError)>;

/// One thing to handle: an update, or every part of an album.
struct Unit {
    update: TelegramUpdate,
    bodies: Vec<Value>,
    ids: Vec<i64>,
}

/// Handles the bot's recorded updates (call under the bot's lock): each chat's in order,
/// several chats at once. An update whose handling again would change nothing (his message
/// in his dialog is stored under an id made from it) is marked with the others at the end; a
/// step of the bot stage is marked as soon as it is done, so a crash never replays it.
pub async fn handle_pending(app: &App, bot: &TelegramBot) -> Result<Handled, CoreError> {
    use futures_util::StreamExt;
    let token = token_of(app, bot)?;
    let pending = app.store.pending_telegram_updates(bot.id, 100).await?;
    let mut parsed: Vec<(TelegramUpdate, Value)> = Vec::with_capacity(pending.len());
    for u in pending {
        let body = serde_json::from_str(&u.body).unwrap_or(Value::Null);
        parsed.push((u, body));
    }
    // The units in order, up to an album still arriving; then by chat.
    let mut taken = vec![false; parsed.len()];
    let mut again_in = None;
    let mut chats: Vec<(i64, Vec<Unit>)> = Vec::new();
    for i in 0..parsed.len() {
        if taken[i] {
            continue;
        }
        let mut group = vec![i];
        if let Some(album) = album_of(&parsed[i].1) {
            group =
                (i..parsed.len()).filter(|&j| !taken[j] && album_of(&parsed[j].1).as_ref() == Some(&album)).collect();
            if let Some(wait) = app.telegram_albums.wait(bot.id, &album.1, group.len()) {
                again_in = Some(wait);
                break;
            }
        }
        for &j in &group {
            taken[j] = true;
        }
        let unit = Unit {
            update: parsed[i].0.clone(),
            bodies: group.iter().map(|&j| parsed[j].1.clone()).collect(),
            ids: group.iter().map(|&j| parsed[j].0.update_id).collect(),
        };
        let chat = chat_of(&parsed[i].1);
        match chats.iter_mut().find(|(c, _)| *c == chat) {
            Some((_, units)) => units.push(unit),
            None => chats.push((chat, vec![unit])),
        }
    }
    let token = token.as_str();
    let runs: Vec<ChatRun> = futures_util::stream::iter(chats)
        .map(|(_, units)| async move {
            let mut replayable = Vec::new();
            for unit in units {
                match handle(app, bot, token, &unit.update, unit.bodies).await {
                    Ok(true) => replayable.extend(unit.ids),
                    Ok(false) => {
                        if let Err(e) = app.store.mark_telegram_updates(bot.id, &unit.ids, app.clock.now()).await {
                            return Err((replayable, e.into()));
                        }
                    }
                    // The database is away: this chat's rest stays pending and is handled again.
                    Err(e @ CoreError::Unavailable(_)) => return Err((replayable, e)),
                    // Anything else would fail again: it is logged and passed, so the chat goes on.
                    Err(e) => {
                        tracing::warn!(bot = %bot.id, update = unit.update.update_id, error = %e, "telegram: an update was not handled");
                        if let Err(e) = app.store.mark_telegram_updates(bot.id, &unit.ids, app.clock.now()).await {
                            return Err((replayable, e.into()));
                        }
                    }
                }
            }
            Ok(replayable)
        })
        .buffer_unordered(CHATS_AT_ONCE)
        .collect()
        .await;
    let mut marks = Vec::new();
    let mut failed = None;
    for run in runs {
        match run {
            Ok(ids) => marks.extend(ids),
            Err((ids, e)) => {
                marks.extend(ids);
                failed.get_or_insert(e);
            }
        }
    }
    app.store.mark_telegram_updates(bot.id, &marks, app.clock.now()).await?;
    if let Some(e) = failed {
        return Err(e);
    }
    let count = taken.iter().filter(|t| **t).count();
    Ok(Handled { count, again_in })
}

/// The albums this node is gathering: when each last grew.
#[derive(Default)]
pub struct Albums(std::sync::Mutex<std::collections::HashMap<(uuid::Uuid, String), (usize, std::time::Instant)>>);

impl Albums {
    /// How much longer to wait for more parts of an album of `parts` so far; `None`: it is
    /// complete (nothing new for [`ALBUM_WAIT`]), and forgotten.
    fn wait(&self, bot: uuid::Uuid, group: &str, parts: usize) -> Option<Duration> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = std::time::Instant::now();
        let key = (bot, group.to_owned());
        match map.get(&key) {
            Some(&(seen, since)) if seen == parts && now.duration_since(since) >= ALBUM_WAIT => {
                map.remove(&key);
                None
            }
            Some(&(seen, since)) if seen == parts => Some(ALBUM_WAIT - now.duration_since(since)),
            _ => {
                if map.len() > 10_000 {
                    map.retain(|_, (_, since)| now.duration_since(*since) < Duration::from_secs(60));
                }
                map.insert(key, (parts, now));
                Some(ALBUM_WAIT)
            }
        }
    }
}

/// A message of his (or an album): its words and files.
#[derive(Debug, Clone, Default)]
struct Said {
    text: String,
    files: Vec<TgFile>,
    /// His Telegram message's id, in his chat (the first of an album).
    message_id: i64,
}

/// A file he sent, as Telegram names it.
#[derive(Debug, Clone)]
struct TgFile {
    file_id: String,
    name: String,
    size: Option<i64>,
}

/// What a person did, as far as the bot is concerned.
enum Input {
    /// `/start`.
    Start,
    /// Words and files (one of them at least).
    Message(Said),
    /// A topic button.
    Topic(String),
    /// Something the bot does not act on (another button, an empty message).
    Nothing,
}

/// Handles an update (`updates` holds it, or every part of its album); answers whether
/// handling it again would change nothing.
async fn handle(
    app: &App,
    bot: &TelegramBot,
    token: &str,
    u: &TelegramUpdate,
    updates: Vec<Value>,
) -> Result<bool, CoreError> {
    let update: Value = updates.first().cloned().unwrap_or(Value::Null);
    if update.is_null() {
        return Err(CoreError::Internal("an update that is not JSON".into()));
    }
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
            return Ok(true);
        }
        let from: User =
            serde_json::from_value(m["from"].clone()).map_err(|e| CoreError::Internal(format!("from: {e}")))?;
        let chat_id = m.pointer("/chat/id").and_then(Value::as_i64).unwrap_or(from.id);
        let parts: Vec<Value> = updates.iter().filter_map(|u| u.get("message").cloned()).collect();
        (from, chat_id, input_of(&parts))
    } else if let Some(m) = update.get("edited_message") {
        // Handling an edit again finds the text already there.
        return edited(app, bot, m).await.map(|_| true);
    } else {
        // Other kinds are not asked for (`allowed_updates`).
        return Ok(true);
    };
    // The contact is written only when new or renamed: most updates only read it.
    let name = VisitorName::parse(&from.full_name()).ok();
    let contact = match app.store.contact(bot.workspace_id, ContactSource::Telegram, &from.id.to_string()).await {
        Ok(c) if c.name == name => c,
        Ok(_) | Err(frontline_store::StoreError::NotFound) => {
            app.store
                .upsert_contact(&NewContact {
                    id: VisitorId::new(),
                    workspace_id: bot.workspace_id,
                    source: ContactSource::Telegram,
                    external_id: from.id.to_string(),
                    name,
                    email: None,
                    created_at: app.clock.now(),
                })
                .await?
        }
        Err(e) => return Err(e.into()),
    };
    // A blocked contact: the bot passes over him, saying nothing.
    if crate::moderation::is_blocked(app, &contact).await? {
        return Ok(true);
    }
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
    let seen_before = (chat.username.clone(), chat.language.clone(), chat.unreachable_at);
    chat.username = from.username.clone();
    chat.language = from.language_code.clone();
    // Writing again clears the mark of a blocked bot.
    chat.unreachable_at = None;
    let profile_changed = seen_before != (chat.username.clone(), chat.language.clone(), chat.unreachable_at);
    let lang = from.language_code.as_deref();
    let bot_says = |texts: &Texts| texts.for_language(lang).to_owned();

    // A chat handed over whose dialog has since closed starts with the bot again.
    if chat.stage == ChatStage::Live && !has_open_dialog(app, &contact).await? && matches!(input, Input::Start) {
        chat.stage = ChatStage::Closed;
    }
    if chat.stage == ChatStage::Live && profile_changed {
        app.store.save_telegram_chat(&chat).await?;
    }
    // In his dialog, handling an update again stores nothing new; a step of the bot stage
    // is not to be replayed.
    let replayable = chat.stage == ChatStage::Live
        || matches!(input, Input::Nothing)
        || (chat.stage == ChatStage::Closed && matches!(input, Input::Topic(_)));
    match (chat.stage, input) {
        (ChatStage::Live, Input::Message(said)) => {
            let (files, text) = carry(app, token, &contact, &chat, &said, lang).await;
            let id = format!("tg-{}-{}-{}", bot.telegram_id, chat.chat_id, said.message_id);
            write(app, bot, &contact, &chat, &id, &text, files, &settings).await?;
        }
        (ChatStage::Live, _) => {}
        // Without topics there is nothing to ask: his first words go to operators.
        (_, Input::Message(said)) if settings.topics.is_empty() => {
            let (files, text) = carry(app, token, &contact, &chat, &said, lang).await;
            // His own message, so an edit of it finds it.
            let id = format!("tg-{}-{}-{}", bot.telegram_id, chat.chat_id, said.message_id);
            hand_over(app, bot, token, &contact, &mut chat, &id, &text, files, &settings, lang).await?;
        }
        (ChatStage::Question, Input::Message(said)) => {
            let topic = chat.topic.clone().and_then(|k| settings.topic(&k).cloned());
            let Some(topic) = topic else {
                return menu(app, token, &mut chat, &settings, lang, now).await.map(|_| false);
            };
            let mut answers: Vec<Value> = serde_json::from_str(&chat.answers).unwrap_or_default();
            let asked = topic.questions.get(chat.question as usize).map(bot_says).unwrap_or_default();
            // Files sent as an answer wait (as his uploads) for the hand-over.
            let (files, answer) = carry(app, token, &contact, &chat, &said, lang).await;
            let ids: Vec<String> = files.iter().map(|f| f.id.0.to_string()).collect();
            answers.push(serde_json::json!({ "question": asked, "answer": answer, "files": ids }));
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
                    let files = answered_files(app, &contact, &chat.answers).await;
                    let id = format!("tg-{}-u{}", bot.telegram_id, u.update_id);
                    hand_over(app, bot, token, &contact, &mut chat, &id, &request, files, &settings, lang).await?;
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
                        let files = Vec::new();
                        let id = format!("tg-{}-u{}", bot.telegram_id, u.update_id);
                        hand_over(app, bot, token, &contact, &mut chat, &id, &request, files, &settings, lang).await?;
                    }
                }
            }
            // A topic removed since the menu was sent: the menu as it is now.
            None => menu(app, token, &mut chat, &settings, lang, now).await?,
        },
        // `/start`, a first message, or words where a button is expected: the menu (again, on
        // the same chat: nothing new is made).
        (_, Input::Start | Input::Message(_)) => menu(app, token, &mut chat, &settings, lang, now).await?,
        (_, Input::Topic(_) | Input::Nothing) => {}
    }
    Ok(replayable)
}

/// He edited a message he sent: the message in his dialog takes the new text, the earlier one
/// kept for operators. An edit of something that never became a message (an answer to the
/// bot, a command) changes nothing.
async fn edited(app: &App, bot: &TelegramBot, m: &Value) -> Result<(), CoreError> {
    if m.pointer("/chat/type").and_then(Value::as_str) != Some("private") {
        return Ok(());
    }
    let (Some(from), Some(chat), Some(message_id)) = (
        m.pointer("/from/id").and_then(Value::as_i64),
        m.pointer("/chat/id").and_then(Value::as_i64),
        m.get("message_id").and_then(Value::as_i64),
    ) else {
        return Ok(());
    };
    let contact = match app.store.contact(bot.workspace_id, ContactSource::Telegram, &from.to_string()).await {
        Ok(c) => c,
        Err(frontline_store::StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let client_id = format!("tg-{}-{chat}-{message_id}", bot.telegram_id);
    let Some(message) = app.store.message_by_client_id(contact.id.0, &client_id).await? else { return Ok(()) };
    let text = m.get("text").or_else(|| m.get("caption")).and_then(Value::as_str).unwrap_or("").trim();
    let cleaned: String = text
        .chars()
        .take(app.config.message_limit)
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r'))
        .collect();
    if cleaned == message.body.as_str() {
        return Ok(());
    }
    let Ok(body) = crate::files::body_with(&cleaned, !message.attachments.is_empty(), app.config.message_limit) else {
        return Ok(());
    };
    let actor = frontline_domain::event::Actor::visitor(contact.id);
    let now = app.clock.now();
    let changed = app.store.edit_message(contact.workspace_id, message.id, &body, actor, now).await?;
    let dialog = app.store.dialog(contact.workspace_id, changed.dialog_id).await?;
    let event = crate::views::Event::MessageUpdated { message: crate::views::MessageView::from(&changed) };
    crate::publisher::publish(app, event, dialog.workspace_id, dialog.channel_id, dialog.visitor_id);
    // The list's preview follows when it was his latest message.
    if let Some(view) = crate::reads::views(app, std::slice::from_ref(&dialog)).await?.pop() {
        let event = crate::views::Event::DialogUpdated { dialog: view };
        crate::publisher::publish(app, event, dialog.workspace_id, dialog.channel_id, dialog.visitor_id);
    }
    Ok(())
}

/// What a message (or every part of an album) says.
fn input_of(parts: &[Value]) -> Input {
    let Some(first) = parts.first() else { return Input::Nothing };
    let mut said = Said { message_id: first.get("message_id").and_then(Value::as_i64).unwrap_or(0), ..Said::default() };
    let mut texts = Vec::new();
    for m in parts {
        let text = m.get("text").or_else(|| m.get("caption")).and_then(Value::as_str).unwrap_or("").trim();
        if parts.len() == 1 && (text == "/start" || text.starts_with("/start ")) {
            return Input::Start;
        }
        if !text.is_empty() {
            texts.push(text.to_owned());
        }
        let (files, words) = contents_of(m);
        said.files.extend(files);
        texts.extend(words);
    }
    said.text = texts.join("\n");
    if said.text.is_empty() && said.files.is_empty() { Input::Nothing } else { Input::Message(said) }
}

/// The files of a message (a photo at its largest size, a document, voice, audio, video),
/// and words for what is not a file (a sticker's emoji, a location, a shared contact).
fn contents_of(m: &Value) -> (Vec<TgFile>, Vec<String>) {
    let date = m.get("date").and_then(Value::as_i64).unwrap_or(0);
    let id = m.get("message_id").and_then(Value::as_i64).unwrap_or(0);
    let file = |v: &Value, name: String| -> Option<TgFile> {
        Some(TgFile {
            file_id: v.get("file_id")?.as_str()?.to_owned(),
            name: v.get("file_name").and_then(Value::as_str).map(str::to_owned).unwrap_or(name),
            size: v.get("file_size").and_then(Value::as_i64),
        })
    };
    let mut files = Vec::new();
    if let Some(sizes) = m.get("photo").and_then(Value::as_array) {
        // The sizes come smallest first; the largest is the one worth keeping.
        let area = |p: &&Value| {
            p.get("width").and_then(Value::as_i64).unwrap_or(0) * p.get("height").and_then(Value::as_i64).unwrap_or(0)
        };
        if let Some(f) = sizes.iter().max_by_key(area).and_then(|p| file(p, format!("photo-{id}.jpg"))) {
            files.push(f);
        }
    }
    for (kind, default) in [
        ("document", format!("file-{id}")),
        ("voice", format!("voice-{date}.ogg")),
        ("audio", format!("audio-{id}.mp3")),
        ("video", format!("video-{id}.mp4")),
        ("video_note", format!("video-{id}.mp4")),
    ] {
        // An animation also comes as a document: it is taken once.
        if let Some(f) = m.get(kind).and_then(|v| file(v, default)) {
            files.push(f);
        }
    }
    let mut words = Vec::new();
    if let Some(emoji) = m.pointer("/sticker/emoji").and_then(Value::as_str) {
        words.push(format!("[sticker {emoji}]"));
    }
    if let (Some(lat), Some(lon)) = (
        m.pointer("/location/latitude").and_then(Value::as_f64),
        m.pointer("/location/longitude").and_then(Value::as_f64),
    ) {
        words.push(format!("📍 {lat:.6}, {lon:.6}"));
    }
    if let Some(phone) = m.pointer("/contact/phone_number").and_then(Value::as_str) {
        let name = m.pointer("/contact/first_name").and_then(Value::as_str).unwrap_or("");
        words.push(format!("☎ {name} {phone}").replace("  ", " "));
    }
    (files, words)
}

/// Brings his files over: each is fetched from Telegram (`getFile`, then its bytes) and stored
/// as his upload. What cannot come (over Telegram's 20 MB, over the upload limits, a refused
/// type) is named in the text for operators, and he is told why. Answers the files and the
/// text.
async fn carry(
    app: &App,
    token: &str,
    contact: &Visitor,
    chat: &TelegramChat,
    said: &Said,
    lang: Option<&str>,
) -> (Vec<Attachment>, String) {
    let mut files = Vec::new();
    let mut lines: Vec<String> = if said.text.is_empty() { Vec::new() } else { vec![said.text.clone()] };
    for f in &said.files {
        match fetch(app, token, contact, f).await {
            Ok(a) => files.push(a),
            Err(why) => {
                let mb = f.size.map(|s| format!(", {:.1} MB", s as f64 / 1_048_576.0)).unwrap_or_default();
                let for_him = why.for_language(lang);
                lines.push(format!("📎 {}{mb}: {}", f.name, for_him));
                let told = Texts::new(
                    &format!("Файл «{}» не передан: {}.", f.name, why.ru),
                    &format!("The file \"{}\" was not passed on: {}.", f.name, why.en),
                );
                say(app, token, chat.chat_id, told.for_language(lang), &[]).await;
            }
        }
    }
    (files, lines.join("\n"))
}

/// One of his files, fetched and stored; why not, in both languages.
async fn fetch(app: &App, token: &str, contact: &Visitor, f: &TgFile) -> Result<Attachment, Texts> {
    let limits = &app.config.uploads;
    let max = limits.max_bytes.min(api::DOWNLOAD_MAX);
    let too_large = || {
        let mb = max / 1_048_576;
        Texts::new(&format!("больше {mb} МБ"), &format!("it is over {mb} MB"))
    };
    if f.size.is_some_and(|s| s as u64 > max) {
        return Err(too_large());
    }
    let unreachable = |e: api::BotApiError| {
        tracing::warn!(error = %e, "telegram: a file could not be fetched");
        Texts::new("Telegram не отдал его, пришлите ещё раз", "Telegram did not give it; please send it again")
    };
    let described = api::get_file(app.telegram.as_ref(), token, &f.file_id).await.map_err(unreachable)?;
    let Some(path) = described.file_path else { return Err(too_large()) };
    let bytes = match app.telegram.download(token, &path, max, api::FILE_WAIT).await {
        Ok(b) => b,
        Err(api::BotApiError::Refused { code: 413, .. }) => return Err(too_large()),
        Err(e) => return Err(unreachable(e)),
    };
    crate::files::upload(app, crate::files::Uploader::Contact(contact), &f.name, &bytes).await.map_err(|e| match e {
        CoreError::FileTooLarge(_) => too_large(),
        CoreError::FileTypeRefused { detected, .. } => Texts::new(
            &format!("такие файлы ({detected}) не принимаются"),
            &format!("files of this type ({detected}) are not accepted"),
        ),
        CoreError::RateLimited { .. } => {
            Texts::new("слишком много файлов, попробуйте позже", "too many files; please try later")
        }
        other => {
            tracing::warn!(error = %other, "telegram: a file could not be stored");
            Texts::new("не удалось сохранить его", "it could not be stored")
        }
    })
}

/// The files he sent as answers in the bot stage (uploads still waiting for a message).
async fn answered_files(app: &App, contact: &Visitor, answers: &str) -> Vec<Attachment> {
    let answers: Vec<Value> = serde_json::from_str(answers).unwrap_or_default();
    let mut ids: Vec<uuid::Uuid> = Vec::new();
    for a in &answers {
        for id in a.get("files").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
            ids.extend(id.as_str().and_then(|s| uuid::Uuid::parse_str(s).ok()));
        }
    }
    let mut out = Vec::new();
    for id in ids {
        if let Ok(f) = app.store.file(contact.workspace_id, AttachmentId(id)).await
            && f.message_id.is_none()
        {
            out.push(f.file);
        }
    }
    out
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
    client_id: &str,
    request: &str,
    files: Vec<Attachment>,
    settings: &BotSettings,
    lang: Option<&str>,
) -> Result<(), CoreError> {
    write(app, bot, contact, chat, client_id, request, files, settings).await?;
    chat.stage = ChatStage::Live;
    chat.stage_at = app.clock.now();
    app.store.save_telegram_chat(chat).await?;
    say(app, token, chat.chat_id, settings.handed_over.for_language(lang), &[]).await;
    Ok(())
}

/// His message, into his open dialog or a new one in the chat topic's channel; files beyond
/// what one message may carry follow in further messages. `client_id` makes handling it
/// again store nothing new.
#[allow(clippy::too_many_arguments)]
async fn write(
    app: &App,
    bot: &TelegramBot,
    contact: &Visitor,
    chat: &TelegramChat,
    client_id: &str,
    text: &str,
    files: Vec<Attachment>,
    settings: &BotSettings,
) -> Result<(), CoreError> {
    let per_message = app.config.uploads.max_files.max(1);
    let mut rest = files;
    let first: Vec<Attachment> = rest.drain(..rest.len().min(per_message)).collect();
    write_one(app, bot, contact, chat, client_id, text, first, settings).await?;
    let mut part = 0;
    while !rest.is_empty() {
        part += 1;
        let more: Vec<Attachment> = rest.drain(..rest.len().min(per_message)).collect();
        let id = format!("{client_id}-{part}");
        write_one(app, bot, contact, chat, &id, "", more, settings).await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn write_one(
    app: &App,
    bot: &TelegramBot,
    contact: &Visitor,
    chat: &TelegramChat,
    client_id: &str,
    text: &str,
    attachments: Vec<Attachment>,
    settings: &BotSettings,
) -> Result<(), CoreError> {
    // A new dialog goes where the workspace's routing rules say (a rule on his topic or his
    // language), else to the topic's channel, else the bot's.
    let topic_channel =
        chat.topic.as_deref().and_then(|k| settings.topic(k)).and_then(|t| t.channel_id).unwrap_or(bot.channel_id);
    let ctx = frontline_domain::RoutingContext {
        language: chat.language.clone(),
        telegram_topic: chat.topic.clone(),
        ..Default::default()
    };
    crate::contacts::write(app, contact, topic_channel, &ctx, client_id, text, attachments).await?;
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
