//! Operators' messages to a Telegram contact: outbox jobs (kind `telegram`, target the bot)
//! written with the message's event, sent here by the outbox worker, at least once and in the
//! order of the dialog. A `429` waits as long as Telegram says; a `403` (he blocked the bot)
//! marks the chat unreachable and ends the job; other refusals end it too; an unreachable
//! Telegram is tried again on the outbox's schedule.

use crate::App;
use crate::telegram::api::{self, BotApiError};
use crate::telegram::bots::token_of;
use frontline_domain::{Audience, Message, Timestamp};
use frontline_store::StoreError;
use frontline_store::events::{JobAttempt, JobNext, OutboxJob};

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
    let (next, status, excerpt, error, body) = match attempt(app, job).await {
        Ok(Outcome::Sent { text, message_ids }) => {
            let ids: Vec<String> = message_ids.iter().map(i64::to_string).collect();
            (JobNext::Done, Some(200), Some(format!("message_id {}", ids.join(", "))), None, Some(text))
        }
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

enum Outcome {
    Sent {
        text: String,
        message_ids: Vec<i64>,
    },
    /// Nothing to send (a line for operators only, a system line): done.
    Skipped(&'static str),
}

enum Failure {
    /// The job ends: why, and Telegram's code if it answered.
    Final(String, Option<i64>),
    /// Tried again at a time (Telegram's `retry_after`), or on the outbox's schedule.
    Later(String, Option<Timestamp>),
}

fn store_failure(e: StoreError) -> Failure {
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
    if message.event.is_some() {
        return Ok(Outcome::Skipped("a system line"));
    }
    let dialog = app.store.dialog(message.workspace_id, message.dialog_id).await.map_err(store_failure)?;
    let chats = app.store.telegram_chats_of_visitor(dialog.visitor_id).await.map_err(store_failure)?;
    let Some(mut chat) = chats.into_iter().find(|c| c.bot_id == bot.id) else {
        return Err(Failure::Final("the contact has no chat with this bot".into(), None));
    };
    let token = token_of(app, &bot).map_err(|e| Failure::Final(e.to_string(), None))?;
    let text = text_of(&message);
    let mut sent = Vec::new();
    for part in split(&text, TEXT_MAX) {
        match api::send_message(app.telegram.as_ref(), &token, chat.chat_id, &part, &[]).await {
            Ok(id) => sent.push(id),
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
            Err(BotApiError::Refused { code, description, .. }) => return Err(Failure::Final(description, Some(code))),
            Err(BotApiError::Unreachable(why)) => return Err(Failure::Later(why, None)),
        }
    }
    Ok(Outcome::Sent { text, message_ids: sent })
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

/// A message as the contact reads it in Telegram (files are named until they are carried).
fn text_of(m: &Message) -> String {
    let mut text = m.body.as_str().to_owned();
    for a in &m.attachments {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!("📎 {}", a.name));
    }
    text
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
