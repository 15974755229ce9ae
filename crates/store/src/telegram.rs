//! Telegram bots, the updates they receive, and where each chat stands.
//!
//! A bot is connected once in the whole install (its token delivers updates to one consumer).
//! Updates are recorded under `(bot, update_id)` before the webhook answers or the poll offset
//! moves on, then handled in order and marked; a resend of one already recorded changes
//! nothing. A chat is in the bot's stage (the topic menu, a follow-up question) or live with
//! operators.

use crate::StoreError;
use crate::records::StoreRow;
use frontline_domain::{ChannelId, Timestamp, VisitorId, WorkspaceId};
use uuid::Uuid;

/// A connected bot. `token_sealed` is the token as `core::sealing` sealed it for this row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramBot {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    /// The bot's own Telegram user id (`getMe`).
    pub telegram_id: i64,
    pub username: String,
    pub name: String,
    pub token_sealed: String,
    /// Where its dialogs go unless a topic says otherwise.
    pub channel_id: ChannelId,
    /// Its topics, questions and texts (a JSON document; `{}`: the defaults).
    pub settings: String,
    /// Updates come by webhook with this secret; `None`: the bot is polled.
    pub webhook_secret: Option<String>,
    /// The next `getUpdates` offset.
    pub update_offset: i64,
    pub enabled: bool,
    pub created_at: Timestamp,
}

/// A recorded update, not yet handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramUpdate {
    pub bot_id: Uuid,
    pub update_id: i64,
    /// The update as Telegram sent it (JSON).
    pub body: String,
    pub received_at: Timestamp,
}

/// Where a chat stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatStage {
    /// The bot offered the topics and waits for a choice.
    Menu,
    /// The bot asked a topic's follow-up question and waits for the answer.
    Question,
    /// Handed to operators: what he writes goes to his dialog.
    Live,
    /// The bot stage timed out; his next message starts it again.
    Closed,
}

impl ChatStage {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatStage::Menu => "menu",
            ChatStage::Question => "question",
            ChatStage::Live => "live",
            ChatStage::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "menu" => Some(ChatStage::Menu),
            "question" => Some(ChatStage::Question),
            "live" => Some(ChatStage::Live),
            "closed" => Some(ChatStage::Closed),
            _ => None,
        }
    }
}

/// A chat with a bot (a private chat's id is the person's Telegram user id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramChat {
    pub bot_id: Uuid,
    pub chat_id: i64,
    /// The contact (`source = telegram`, `external_id` = his user id).
    pub visitor_id: VisitorId,
    pub stage: ChatStage,
    /// The topic he chose (its key in the bot's settings).
    pub topic: Option<String>,
    /// The follow-up question he is asked (an index into the topic's questions).
    pub question: i64,
    /// His answers so far, as a JSON array of `{question, answer}`.
    pub answers: String,
    /// When the bot stage last moved (its idle limit counts from here).
    pub stage_at: Timestamp,
    pub username: Option<String>,
    pub language: Option<String>,
    /// When a send was refused because he blocked the bot.
    pub unreachable_at: Option<Timestamp>,
}

pub const BOT_COLS: &str = "id, workspace_id, telegram_id, username, name, token_sealed, channel_id, settings, \
     webhook_secret, update_offset, enabled, created_at";
pub const CHAT_COLS: &str =
    "bot_id, chat_id, visitor_id, stage, topic, question, answers, stage_at, username, language, unreachable_at";

pub fn bot(r: &impl StoreRow) -> Result<TelegramBot, StoreError> {
    Ok(TelegramBot {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        telegram_id: r.int("telegram_id")?,
        username: r.text("username")?,
        name: r.text("name")?,
        token_sealed: r.text("token_sealed")?,
        channel_id: ChannelId(r.uuid("channel_id")?),
        settings: r.text("settings")?,
        webhook_secret: r.opt_text("webhook_secret")?,
        update_offset: r.int("update_offset")?,
        enabled: r.boolean("enabled")?,
        created_at: Timestamp(r.int("created_at")?),
    })
}

pub fn chat(r: &impl StoreRow) -> Result<TelegramChat, StoreError> {
    Ok(TelegramChat {
        bot_id: r.uuid("bot_id")?,
        chat_id: r.int("chat_id")?,
        visitor_id: VisitorId(r.uuid("visitor_id")?),
        stage: ChatStage::parse(&r.text("stage")?)
            .ok_or_else(|| StoreError::Internal("corrupt row: telegram chat stage".into()))?,
        topic: r.opt_text("topic")?,
        question: r.int("question")?,
        answers: r.text("answers")?,
        stage_at: Timestamp(r.int("stage_at")?),
        username: r.opt_text("username")?,
        language: r.opt_text("language")?,
        unreachable_at: r.opt_int("unreachable_at")?.map(Timestamp),
    })
}

pub fn update(r: &impl StoreRow) -> Result<TelegramUpdate, StoreError> {
    Ok(TelegramUpdate {
        bot_id: r.uuid("bot_id")?,
        update_id: r.int("update_id")?,
        body: r.text("body")?,
        received_at: Timestamp(r.int("received_at")?),
    })
}

/// [`TelegramStore`](crate::TelegramStore) for a SQL backend, written once for both.
#[macro_export]
macro_rules! sql_telegram_impls {
    ($store:ty, row = $($row:ident)::+) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{Timestamp, WorkspaceId};
            use $crate::__uuid::Uuid;
            use $crate::telegram::{self as tg, TelegramBot, TelegramChat, TelegramUpdate};
            use $crate::{StoreError, StoreResult, TelegramStore};

            fn q(parts: &[&str]) -> String {
                parts.concat()
            }

            #[$crate::async_trait]
            impl TelegramStore for $store {
                async fn create_bot(&self, b: &TelegramBot) -> StoreResult<()> {
                    let sql = q(&["INSERT INTO telegram_bots (", tg::BOT_COLS, ") \
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"]);
                    let done = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(b.id)
                        .bind(b.workspace_id.0)
                        .bind(b.telegram_id)
                        .bind(&b.username)
                        .bind(&b.name)
                        .bind(&b.token_sealed)
                        .bind(b.channel_id.0)
                        .bind(&b.settings)
                        .bind(b.webhook_secret.as_deref())
                        .bind(b.update_offset)
                        .bind(b.enabled)
                        .bind(b.created_at.0)
                        .execute(self.writer())
                        .await;
                    match done {
                        Ok(_) => Ok(()),
                        Err(::sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict("telegram bot")),
                        Err(e) => Err(map_err(e)),
                    }
                }

                async fn telegram_bots(&self, ws: WorkspaceId) -> StoreResult<Vec<TelegramBot>> {
                    let sql = q(&["SELECT ", tg::BOT_COLS, " FROM telegram_bots WHERE workspace_id = $1 ORDER BY created_at, id"]);
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(ws.0).fetch_all(self.reader()).await.map_err(map_err)?;
                    rows.iter().map(|r| tg::bot(&R(r))).collect()
                }

                async fn enabled_telegram_bots(&self) -> StoreResult<Vec<TelegramBot>> {
                    let sql = q(&["SELECT ", tg::BOT_COLS, " FROM telegram_bots WHERE enabled ORDER BY created_at, id"]);
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).fetch_all(self.reader()).await.map_err(map_err)?;
                    rows.iter().map(|r| tg::bot(&R(r))).collect()
                }

                async fn telegram_bot(&self, id: Uuid) -> StoreResult<TelegramBot> {
                    let sql = q(&["SELECT ", tg::BOT_COLS, " FROM telegram_bots WHERE id = $1"]);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(self.reader()).await.map_err(map_err)?;
                    tg::bot(&R(&row))
                }

                async fn update_telegram_bot(&self, b: &TelegramBot) -> StoreResult<()> {
                    let done = ::sqlx::query(
                        "UPDATE telegram_bots SET username = $3, name = $4, channel_id = $5, settings = $6, \
                         webhook_secret = $7, enabled = $8 WHERE workspace_id = $1 AND id = $2",
                    )
                    .bind(b.workspace_id.0)
                    .bind(b.id)
                    .bind(&b.username)
                    .bind(&b.name)
                    .bind(b.channel_id.0)
                    .bind(&b.settings)
                    .bind(b.webhook_secret.as_deref())
                    .bind(b.enabled)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
                }

                async fn delete_telegram_bot(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<()> {
                    let done = ::sqlx::query("DELETE FROM telegram_bots WHERE workspace_id = $1 AND id = $2")
                        .bind(ws.0)
                        .bind(id)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
                }

                async fn claim_telegram_poll(&self, bot: Uuid, node: Uuid, until: Timestamp, now: Timestamp) -> StoreResult<bool> {
                    let done = ::sqlx::query(
                        "UPDATE telegram_bots SET poller = $2, poll_until = $3 \
                         WHERE id = $1 AND enabled AND webhook_secret IS NULL \
                         AND (poller IS NULL OR poller = $2 OR poll_until IS NULL OR poll_until < $4)",
                    )
                    .bind(bot)
                    .bind(node)
                    .bind(until.0)
                    .bind(now.0)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn claim_telegram_handling(&self, bot: Uuid, node: Uuid, until: Timestamp, now: Timestamp) -> StoreResult<bool> {
                    let done = ::sqlx::query(
                        "UPDATE telegram_bots SET poller = $2, poll_until = $3 \
                         WHERE id = $1 AND enabled AND webhook_secret IS NOT NULL \
                         AND (poller IS NULL OR poller = $2 OR poll_until IS NULL OR poll_until < $4)",
                    )
                    .bind(bot)
                    .bind(node)
                    .bind(until.0)
                    .bind(now.0)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn release_telegram_poll(&self, bot: Uuid, node: Uuid) -> StoreResult<()> {
                    ::sqlx::query("UPDATE telegram_bots SET poller = NULL, poll_until = NULL WHERE id = $1 AND poller = $2")
                        .bind(bot)
                        .bind(node)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn record_telegram_updates(
                    &self,
                    bot: Uuid,
                    updates: &[(i64, String)],
                    next_offset: Option<i64>,
                    now: Timestamp,
                ) -> StoreResult<u64> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let mut new = 0;
                    for (id, body) in updates {
                        let done = ::sqlx::query(
                            "INSERT INTO telegram_updates (bot_id, update_id, body, received_at) VALUES ($1, $2, $3, $4) \
                             ON CONFLICT (bot_id, update_id) DO NOTHING",
                        )
                        .bind(bot)
                        .bind(*id)
                        .bind(body)
                        .bind(now.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                        new += done.rows_affected();
                    }
                    if let Some(offset) = next_offset {
                        ::sqlx::query("UPDATE telegram_bots SET update_offset = $2 WHERE id = $1 AND update_offset < $2")
                            .bind(bot)
                            .bind(offset)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(new)
                }

                async fn pending_telegram_updates(&self, bot: Uuid, limit: u32) -> StoreResult<Vec<TelegramUpdate>> {
                    let rows = ::sqlx::query(
                        "SELECT bot_id, update_id, body, received_at FROM telegram_updates \
                         WHERE bot_id = $1 AND handled_at IS NULL ORDER BY update_id LIMIT $2",
                    )
                    .bind(bot)
                    .bind(i64::from(limit))
                    .fetch_all(self.writer())
                    .await
                    .map_err(map_err)?;
                    rows.iter().map(|r| tg::update(&R(r))).collect()
                }

                async fn mark_telegram_updates(&self, bot: Uuid, update_ids: &[i64], at: Timestamp) -> StoreResult<()> {
                    if update_ids.is_empty() {
                        return Ok(());
                    }
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    for id in update_ids {
                        ::sqlx::query("UPDATE telegram_updates SET handled_at = $3 WHERE bot_id = $1 AND update_id = $2")
                            .bind(bot)
                            .bind(id)
                            .bind(at.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(())
                }

                async fn telegram_chat(&self, bot: Uuid, chat_id: i64) -> StoreResult<Option<TelegramChat>> {
                    let sql = q(&["SELECT ", tg::CHAT_COLS, " FROM telegram_chats WHERE bot_id = $1 AND chat_id = $2"]);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(bot)
                        .bind(chat_id)
                        .fetch_optional(self.writer())
                        .await
                        .map_err(map_err)?;
                    row.map(|r| tg::chat(&R(&r))).transpose()
                }

                async fn save_telegram_chat(&self, c: &TelegramChat) -> StoreResult<()> {
                    let sql = q(&["INSERT INTO telegram_chats (", tg::CHAT_COLS, ") \
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                        ON CONFLICT (bot_id, chat_id) DO UPDATE SET visitor_id = excluded.visitor_id, stage = excluded.stage, \
                        topic = excluded.topic, question = excluded.question, answers = excluded.answers, \
                        stage_at = excluded.stage_at, username = excluded.username, language = excluded.language, \
                        unreachable_at = excluded.unreachable_at"]);
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(c.bot_id)
                        .bind(c.chat_id)
                        .bind(c.visitor_id.0)
                        .bind(c.stage.as_str())
                        .bind(c.topic.as_deref())
                        .bind(c.question)
                        .bind(&c.answers)
                        .bind(c.stage_at.0)
                        .bind(c.username.as_deref())
                        .bind(c.language.as_deref())
                        .bind(c.unreachable_at.map(|t| t.0))
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn telegram_chats_of_visitor(&self, visitor: $crate::__domain::VisitorId) -> StoreResult<Vec<TelegramChat>> {
                    let sql = q(&["SELECT ", tg::CHAT_COLS, " FROM telegram_chats WHERE visitor_id = $1 ORDER BY stage_at DESC"]);
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(visitor.0).fetch_all(self.reader()).await.map_err(map_err)?;
                    rows.iter().map(|r| tg::chat(&R(r))).collect()
                }

                async fn idle_telegram_chats(&self, bot: Uuid, before: Timestamp, limit: u32) -> StoreResult<Vec<TelegramChat>> {
                    let sql = q(&["SELECT ", tg::CHAT_COLS, " FROM telegram_chats \
                        WHERE bot_id = $1 AND stage IN ('menu', 'question') AND stage_at < $2 ORDER BY stage_at LIMIT $3"]);
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(bot)
                        .bind(before.0)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| tg::chat(&R(r))).collect()
                }
            }
        };
    };
}
