//! Polling: each enabled bot without a webhook is polled by one node at a time (a lease in the
//! database, renewed at every poll). The poller long-polls `getUpdates` from the bot's offset,
//! records the updates and the next offset in one transaction, then handles them; an offset
//! only moves once its updates are recorded, so a crash loses none. A suspended workspace's
//! bots are not polled until it is resumed.

use crate::App;
use crate::error::CoreError;
use crate::telegram::api::{self, BotApiError};
use crate::telegram::bots::token_of;
use frontline_domain::Timestamp;
use std::collections::HashMap;
use std::time::Duration;

/// How long a node holds a bot after its last poll began.
const LEASE_MS: i64 = 60_000;
/// How long one `getUpdates` waits for an update.
const POLL_SECONDS: u64 = 25;
/// How often the node looks for bots to poll (new ones, or those another node let go).
const LOOK_EVERY: Duration = Duration::from_secs(2);

/// Polls the bots this node holds, until `stop`.
pub async fn run(app: App, mut stop: tokio::sync::watch::Receiver<bool>) {
    let node = app.node;
    let mut polling: HashMap<uuid::Uuid, tokio::task::JoinHandle<()>> = HashMap::new();
    loop {
        polling.retain(|_, task| !task.is_finished());
        match app.store.enabled_telegram_bots().await {
            Ok(bots) => {
                for bot in bots.into_iter().filter(|b| b.webhook_secret.is_none()) {
                    if polling.contains_key(&bot.id) || suspended(&app, bot.workspace_id).await {
                        continue;
                    }
                    let now = app.clock.now();
                    match app.store.claim_telegram_poll(bot.id, node, Timestamp(now.0 + LEASE_MS), now).await {
                        Ok(true) => {
                            let task = tokio::spawn(poll(app.clone(), bot.id, node, stop.clone()));
                            polling.insert(bot.id, task);
                        }
                        Ok(false) => {}
                        Err(e) => tracing::warn!(bot = %bot.id, error = %e, "telegram: claiming the poll failed"),
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "telegram: reading the bots failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(LOOK_EVERY) => {}
            _ = stop.changed() => break,
        }
    }
    // Stopping: the bots go back at once, so a restarted node (or another) polls them without
    // waiting for the lease to run out.
    for (bot, task) in polling {
        task.abort();
        if let Err(e) = app.store.release_telegram_poll(bot, node).await {
            tracing::warn!(bot = %bot, error = %e, "telegram: releasing the poll failed; the lease runs out instead");
        }
    }
}

/// Whether the install's owner suspended the workspace, as this node read it lately (a failed
/// read counts as not: the poll itself then fails and is retried).
async fn suspended(app: &App, ws: frontline_domain::WorkspaceId) -> bool {
    matches!(crate::reads::suspended_lately(app, ws).await, Ok(true))
}

/// Polls one bot while this node holds it.
async fn poll(app: App, bot_id: uuid::Uuid, node: uuid::Uuid, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            return;
        }
        let wait = match once(&app, bot_id, node, &mut stop).await {
            Ok(Some(wait)) => wait,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(bot = %bot_id, error = %e, "telegram: polling failed");
                Duration::from_secs(5)
            }
        };
        if !wait.is_zero() {
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

/// One poll and the handling of what it brought: how long to wait before the next, or `None`
/// when this node no longer polls the bot (deleted, switched off, webhook set, lease lost).
async fn once(
    app: &App,
    bot_id: uuid::Uuid,
    node: uuid::Uuid,
    stop: &mut tokio::sync::watch::Receiver<bool>,
) -> Result<Option<Duration>, CoreError> {
    let bot = match app.store.telegram_bot(bot_id).await {
        Ok(b) => b,
        Err(frontline_store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    // A suspended workspace's bots are not polled: their updates wait at Telegram (it keeps
    // them for a day) and come in once the workspace is resumed.
    if suspended(app, bot.workspace_id).await {
        app.store.release_telegram_poll(bot.id, node).await?;
        return Ok(None);
    }
    let now = app.clock.now();
    if !app.store.claim_telegram_poll(bot.id, node, Timestamp(now.0 + LEASE_MS), now).await? {
        return Ok(None);
    }
    // What was recorded but not handled (a crash in between) goes first.
    crate::telegram::inbound::run_pending(app, &bot).await?;
    let token = token_of(app, &bot)?;
    let polled = tokio::select! {
        r = api::get_updates(app.telegram.as_ref(), &token, bot.update_offset, POLL_SECONDS) => r,
        _ = stop.changed() => return Ok(None),
    };
    match polled {
        // Suspended during the long poll: nothing recorded, so the offset stays and Telegram
        // keeps the updates for the resumption.
        Ok(_) if suspended(app, bot.workspace_id).await => {
            app.store.release_telegram_poll(bot.id, node).await?;
            Ok(None)
        }
        Ok(updates) => {
            let bodies: Vec<(i64, String)> = updates
                .iter()
                .filter_map(|u| u.get("update_id").and_then(serde_json::Value::as_i64).map(|id| (id, u.to_string())))
                .collect();
            let next = bodies.iter().map(|(id, _)| id + 1).max();
            if !bodies.is_empty() {
                app.store.record_telegram_updates(bot.id, &bodies, next, app.clock.now()).await?;
                crate::telegram::inbound::run_pending(app, &bot).await?;
            }
            Ok(Some(Duration::ZERO))
        }
        Err(BotApiError::Refused { code: 429, retry_after, .. }) => {
            Ok(Some(Duration::from_secs(retry_after.unwrap_or(5).clamp(1, 300) as u64)))
        }
        // A webhook set elsewhere, or another poller with the same token: try again later.
        Err(BotApiError::Refused { code: 409, description, .. }) => {
            tracing::warn!(bot = %bot.id, %description, "telegram: polling refused");
            Ok(Some(Duration::from_secs(10)))
        }
        Err(BotApiError::Refused { code: 401 | 404, .. }) => {
            tracing::error!(bot = %bot.id, "telegram: the bot's token was revoked; polling pauses");
            Ok(Some(Duration::from_secs(60)))
        }
        Err(e) => {
            tracing::warn!(bot = %bot.id, error = %e, "telegram: getUpdates failed");
            Ok(Some(Duration::from_secs(3)))
        }
    }
}
