//! Operators' messages to a Telegram contact: outbox jobs (kind `telegram`, target the bot)
//! written with the message's event, sent here by the outbox worker, at least once and in the
//! order of the dialog. A `429` waits as long as Telegram says; a `403` (he blocked the bot)
//! marks the chat unreachable and ends the job; other refusals end it too; an unreachable
//! Telegram is tried again on the outbox's schedule.

use crate::App;
use crate::telegram::api::{self, BotApiError, FileKind, FilePart};
use crate::telegram::bots::token_of;
use frontline_domain::telegram::system_line_text;
use frontline_domain::{Audience, Message, Timestamp};
use frontline_store::StoreError;
use frontline_store::events::{JobAttempt, JobNext, OutboxJob};
use std::collections::HashMap;

/// Telegram's longest text message, in characters.
pub const TEXT_MAX: usize = 4096;

/// What one attempt did: the attempt for the log, what becomes of the job, whether it was
/// delivered, and what was sent (kept as the job's body).
pub struct Sent {
    pub attempt: JobAttempt,
    pub next: JobNext,
    pub delivered: bool,
    pub body: Option<String>,
}

/// Sends one job.
pub async fn deliver(app: &App, job: &OutboxJob) -> Sent {
    let started = app.clock.now();
    let result = attempt(app, job).await;
    report(app, job, started, result)
}

/// What an attempt of an outbound channel's job comes to: the attempt for the log and what
/// becomes of the job (e-mail's jobs too).
pub(crate) fn report(app: &App, job: &OutboxJob, started: Timestamp, result: Result<Outcome, Failure>) -> Sent {
    let (next, status, excerpt, error, body) = match result {
        Ok(Outcome::Sent { text, receipt }) => (JobNext::Done, Some(200), Some(receipt), None, Some(text)),
        Ok(Outcome::Skipped(why)) => (JobNext::Done, None, Some(why.to_owned()), None, None),
        Err(Failure::Final(why, code)) => (JobNext::Failed, code, None, Some(why), None),
        Err(Failure::Later(why, at)) => {
            let at =
                at.unwrap_or_else(|| match crate::outbox::next_after_failure(job.attempts, app.clock.now(), 0.5) {
                    JobNext::RetryAt(t) => t,
                    _ => app.clock.now(),
                });
            // Past the schedule the job ends, as a webhook's does.
            let next = if job.attempts > crate::outbox::RETRY_SCHEDULE.len() as i64 {
                JobNext::Failed
            } else {
                JobNext::RetryAt(at)
            };
            (next, None, None, Some(why), None)
        }
    };
    let now = app.clock.now();
    Sent {
        attempt: JobAttempt {
            attempt: job.attempts,
            at: now,
            status_code: status,
            response_excerpt: excerpt,
            latency_ms: Some(now.0 - started.0),
            error,
        },
        delivered: next == JobNext::Done,
        next,
        body,
    }
}

pub(crate) enum Outcome {
    /// What went, and what the other side said.
    Sent { text: String, receipt: String },
    /// Nothing to send (a line for operators only, a system line): done.
    Skipped(&'static str),
}

pub(crate) enum Failure {
    /// The job ends: why, and Telegram's code if it answered.
    Final(String, Option<i64>),
    /// Tried again at a time (Telegram's `retry_after`), or on the outbox's schedule.
    Later(String, Option<Timestamp>),
}

pub(crate) fn store_failure(e: StoreError) -> Failure {
    match e {
        StoreError::Unavailable(why) => Failure::Later(format!("the database: {why}"), None),
        other => Failure::Final(other.to_string(), None),
    }
}

async fn attempt(app: &App, job: &OutboxJob) -> Result<Outcome, Failure> {
    let bot = match app.store.telegram_bot(job.target_id).await {
        Ok(b) => b,
        Err(StoreError::NotFound) => return Err(Failure::Final("the bot was disconnected".into(), None)),
        Err(e) => return Err(store_failure(e)),
    };
    if !bot.enabled {
        return Err(Failure::Final("the bot is switched off".into(), None));
    }
    let event = app.store.event(job.event_id).await.map_err(store_failure)?;
    let Some(message_id) = event.subject_id else { return Ok(Outcome::Skipped("no message")) };
    let message = app.store.messages_by_ids(&[message_id]).await.map_err(store_failure)?.into_iter().next();
    let Some(message) = message else { return Err(Failure::Final("the message is gone".into(), None)) };
    if message.audience != Audience::All {
        return Ok(Outcome::Skipped("a line for operators only"));
    }
    let dialog = app.store.dialog(message.workspace_id, message.dialog_id).await.map_err(store_failure)?;
    let chats = app.store.telegram_chats_of_visitor(dialog.visitor_id).await.map_err(store_failure)?;
    let Some(mut chat) = chats.into_iter().find(|c| c.bot_id == bot.id) else {
        return Err(Failure::Final("the contact has no chat with this bot".into(), None));
    };
    let token = token_of(app, &bot).map_err(|e| Failure::Final(e.to_string(), None))?;
    let steps = match &message.event {
        // A system line he may read (a transfer's notice) goes in his words and language.
        Some(event) => match system_line_text(event, chat.language.as_deref()) {
            Some(text) => vec![Step::Text(text)],
            None => return Ok(Outcome::Skipped("a system line")),
        },
        None => steps_of(app, &message).await,
    };
    let mut sent = Vec::new();
    let mut said = Vec::new();
    for step in &steps {
        let mut waited = 0;
        loop {
            pace(app, bot.id, chat.chat_id, step.messages()).await;
            match step.send(app, &token, chat.chat_id).await {
                Ok(ids) => {
                    sent.extend(ids);
                    said.push(step.describe());
                    break;
                }
                // Part of the message went already: a short wait here keeps it from going twice.
                Err(BotApiError::Refused { code: 429, retry_after, .. })
                    if !sent.is_empty() && retry_after.unwrap_or(5) <= 30 && waited < 3 =>
                {
                    waited += 1;
                    tokio::time::sleep(std::time::Duration::from_secs(retry_after.unwrap_or(5).max(1) as u64)).await;
                }
                Err(BotApiError::Refused { code: 429, retry_after, description }) => {
                    let wait = retry_after.unwrap_or(5).clamp(1, 3600) * 1000;
                    return Err(Failure::Later(description, Some(Timestamp(app.clock.now().0 + wait))));
                }
                Err(BotApiError::Refused { code: 403, description, .. }) => {
                    chat.unreachable_at = Some(app.clock.now());
                    app.store.save_telegram_chat(&chat).await.map_err(store_failure)?;
                    tracing::info!(bot = %bot.id, chat = chat.chat_id, "telegram: the contact blocked the bot");
                    return Err(Failure::Final(description, Some(403)));
                }
                Err(BotApiError::Refused { code, description, .. }) => {
                    return Err(Failure::Final(description, Some(code)));
                }
                Err(BotApiError::Unreachable(why)) => return Err(Failure::Later(why, None)),
            }
        }
    }
    let ids: Vec<String> = sent.iter().map(i64::to_string).collect();
    Ok(Outcome::Sent { text: said.join("\n"), receipt: format!("message_id {}", ids.join(", ")) })
}

/// One call that puts part of a message in the chat.
enum Step {
    Text(String),
    /// One file (`sendPhoto` or `sendDocument`).
    File(FileKind, FilePart),
    /// 2 to 10 files of one kind as an album (`sendMediaGroup`).
    Album(FileKind, Vec<FilePart>),
}

impl Step {
    /// How many messages it makes in the chat.
    fn messages(&self) -> u32 {
        match self {
            Step::Album(_, files) => files.len() as u32,
            _ => 1,
        }
    }

    async fn send(&self, app: &App, token: &str, chat: i64) -> Result<Vec<i64>, BotApiError> {
        let api = app.telegram.as_ref();
        match self {
            Step::Text(text) => Ok(vec![api::send_message(api, token, chat, text, &[]).await?]),
            Step::File(kind, file) => match api::send_file(api, token, chat, *kind, file.clone()).await {
                // A picture Telegram will not show as a photo (its size, its proportions) goes
                // as a document.
                Err(BotApiError::Refused { code: 400, .. }) if *kind == FileKind::Photo => {
                    Ok(vec![api::send_file(api, token, chat, FileKind::Document, file.clone()).await?])
                }
                other => Ok(vec![other?]),
            },
            Step::Album(kind, files) => match api::send_media_group(api, token, chat, *kind, files.clone()).await {
                Err(BotApiError::Refused { code: 400, .. }) if *kind == FileKind::Photo => {
                    api::send_media_group(api, token, chat, FileKind::Document, files.clone()).await
                }
                other => other,
            },
        }
    }

    /// What went, for the delivery log (never the file's bytes).
    fn describe(&self) -> String {
        match self {
            Step::Text(text) => text.clone(),
            Step::File(_, f) => format!("📎 {}", f.name),
            Step::Album(_, files) => files.iter().map(|f| format!("📎 {}", f.name)).collect::<Vec<_>>().join("\n"),
        }
    }
}

/// A message as calls: its text (split to Telegram's length), then its pictures as photos and
/// its other files as documents, each kind in albums of up to ten. A file that cannot be read
/// is named in the text instead.
async fn steps_of(app: &App, m: &Message) -> Vec<Step> {
    let mut text = m.body.as_str().trim().to_owned();
    let mut photos = Vec::new();
    let mut documents = Vec::new();
    for a in &m.attachments {
        match crate::files::bytes_of(app, a).await {
            Ok(bytes) => {
                let kind = FileKind::of(&a.content_type, bytes.len() as u64);
                let part = FilePart {
                    field: String::new(),
                    name: a.name.clone(),
                    content_type: a.content_type.clone(),
                    bytes,
                };
                if kind == FileKind::Photo { photos.push(part) } else { documents.push(part) }
            }
            Err(e) => {
                tracing::warn!(file = %a.id.0, error = %e, "telegram: a file to send could not be read");
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&format!("📎 {}", a.name));
            }
        }
    }
    let mut steps: Vec<Step> = split(&text, TEXT_MAX).into_iter().map(Step::Text).collect();
    for (kind, mut files) in [(FileKind::Photo, photos), (FileKind::Document, documents)] {
        while !files.is_empty() {
            let rest = files.split_off(files.len().min(10));
            let mut group = std::mem::replace(&mut files, rest);
            steps.push(if group.len() == 1 { Step::File(kind, group.remove(0)) } else { Step::Album(kind, group) });
        }
    }
    steps
}

/// Telegram's pace: about one message a second in a chat, and 30 a second for a bot. A bot's
/// time is cut into slots of [`BOT_GAP_MS`], one message each; a message takes the first free
/// slot once its chat may be written to again, so a chat waiting its second does not hold up
/// the others.
#[derive(Default)]
pub struct Pacer(std::sync::Mutex<PacerState>);

#[derive(Default)]
struct PacerState {
    /// When each chat may be sent to next, in ms from `base`.
    chats: HashMap<(uuid::Uuid, i64), u64>,
    /// Each bot's slots taken from now on.
    bots: HashMap<uuid::Uuid, std::collections::BTreeSet<u64>>,
    base: Option<std::time::Instant>,
}

/// The spacing of messages in one chat and for one bot.
pub const CHAT_GAP_MS: u64 = 1_000;
pub const BOT_GAP_MS: u64 = 36;

impl Pacer {
    /// Takes the next slots for `messages` messages to a chat; how long to wait for them.
    pub fn reserve(&self, bot: uuid::Uuid, chat: i64, messages: u32) -> std::time::Duration {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let base = *state.base.get_or_insert_with(std::time::Instant::now);
        let now = base.elapsed().as_millis() as u64;
        if state.chats.len() > 10_000 {
            state.chats.retain(|_, free| *free > now);
        }
        let chat_free = state.chats.get(&(bot, chat)).copied().unwrap_or(0).max(now);
        let slots = state.bots.entry(bot).or_default();
        let current = now / BOT_GAP_MS;
        while slots.first().is_some_and(|&s| s < current) {
            slots.pop_first();
        }
        let mut slot = chat_free.div_ceil(BOT_GAP_MS);
        let mut last = slot;
        for _ in 0..messages.max(1) {
            while slots.contains(&slot) {
                slot += 1;
            }
            slots.insert(slot);
            last = slot;
        }
        let at = (last * BOT_GAP_MS).max(chat_free);
        state.chats.insert((bot, chat), at + CHAT_GAP_MS * u64::from(messages.max(1)));
        std::time::Duration::from_millis(at - now)
    }
}

async fn pace(app: &App, bot: uuid::Uuid, chat: i64, messages: u32) {
    let wait = app.telegram_pacer.reserve(bot, chat, messages);
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
}

/// Shows "typing…" in the contact's Telegram chats while an operator types in his dialog:
/// at most once per 4 s per dialog (Telegram shows it for about 5 s), in the background, a
/// failure ignored.
pub fn typing(app: &App, d: &frontline_domain::Dialog) {
    let now = app.clock.now().0;
    {
        let mut last = app.telegram_typing.lock().unwrap_or_else(|p| p.into_inner());
        if last.get(&d.id).is_some_and(|at| now - at < 4_000) {
            return;
        }
        // Forget old marks now and then so the map stays small.
        if last.len() > 10_000 {
            last.retain(|_, at| now - *at < 4_000);
        }
        last.insert(d.id, now);
    }
    let (app, visitor) = (app.clone(), d.visitor_id);
    tokio::spawn(async move {
        let Ok(chats) = app.store.telegram_chats_of_visitor(visitor).await else { return };
        for chat in chats.into_iter().filter(|c| c.stage == frontline_store::telegram::ChatStage::Live) {
            let Ok(bot) = app.store.telegram_bot(chat.bot_id).await else { continue };
            let Ok(token) = token_of(&app, &bot) else { continue };
            if let Err(e) = api::send_typing(app.telegram.as_ref(), &token, chat.chat_id).await {
                tracing::debug!(chat = chat.chat_id, error = %e, "telegram: sendChatAction failed");
            }
        }
    });
}

/// Cuts text into parts of at most `max` characters, at paragraph breaks where it can, else at
/// line breaks, else at spaces, else anywhere.
pub fn split(text: &str, max: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > max {
        let head: String = rest.chars().take(max).collect();
        let cut = ["\n\n", "\n", " "]
            .iter()
            .find_map(|sep| head.rfind(sep).filter(|&i| i > 0).map(|i| (i, sep.len())))
            .unwrap_or((head.len(), 0));
        parts.push(rest[..cut.0].trim_end().to_owned());
        rest = rest[cut.0 + cut.1..].trim_start();
    }
    if !rest.is_empty() {
        parts.push(rest.to_owned());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pacer_spaces_a_chat_by_a_second_and_a_bot_by_a_thirtieth() {
        let pacer = Pacer::default();
        let bot = uuid::Uuid::now_v7();
        assert!(pacer.reserve(bot, 1, 1).is_zero(), "the first message goes at once");
        let second = pacer.reserve(bot, 1, 1).as_millis();
        assert!((900..=1_040).contains(&second), "the same chat waits a second: {second}");
        let other = pacer.reserve(bot, 2, 1).as_millis();
        assert!(other <= 40, "another chat is not held up by the first one's wait: {other}");
        let fresh: Vec<u128> = (10..70).map(|c| pacer.reserve(bot, c, 1).as_millis()).collect();
        assert!(fresh.windows(2).all(|w| w[1] >= w[0] + 30), "under 30 a second for the bot: {fresh:?}");
        let window = fresh.iter().filter(|&&t| t < 1_000).count();
        assert!(window <= 30, "at most 30 in the first second: {window}");
        let album = pacer.reserve(uuid::Uuid::now_v7(), 1, 3);
        assert!(album.as_millis() <= 2 * BOT_GAP_MS as u128, "an album takes three slots: {album:?}");
    }

    #[test]
    fn long_text_is_split_at_paragraphs_then_lines_then_words() {
        assert_eq!(split("short", 4096), vec!["short"]);
        let para = format!("{}\n\n{}", "a".repeat(3000), "b".repeat(3000));
        assert_eq!(split(&para, 4096), vec!["a".repeat(3000), "b".repeat(3000)]);
        let lines = format!("{}\n{}", "a".repeat(10), "b".repeat(10));
        assert_eq!(split(&lines, 15), vec!["a".repeat(10), "b".repeat(10)]);
        assert_eq!(split("один два три", 8), vec!["один", "два три"]);
        assert_eq!(split(&"x".repeat(10), 4), vec!["xxxx", "xxxx", "xx"]);
        let cyr = "ж".repeat(5000);
        let parts = split(&cyr, 4096);
        assert_eq!(
            parts.iter().map(|p| p.chars().count()).collect::<Vec<_>>(),
            vec![4096, 904],
            "characters, not bytes"
        );
    }
}
