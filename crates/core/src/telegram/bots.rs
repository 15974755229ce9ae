//! Connecting bots: an admin gives a token; Telegram says whose it is (`getMe`); the token is
//! kept sealed; updates are polled (`deleteWebhook` first, so never both).

use crate::App;
use crate::actor::Admin;
use crate::error::CoreError;
use crate::telegram::api::{self, BotApiError};
use frontline_domain::ChannelId;
use frontline_domain::telegram::BotSettings;
use frontline_store::StoreError;
use frontline_store::telegram::TelegramBot;

/// A bot as admins see it (never its token).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct BotView {
    pub id: uuid::Uuid,
    /// Its Telegram username, without `@`.
    pub username: String,
    pub name: String,
    pub channel_id: uuid::Uuid,
    /// Its greeting, topics, questions and idle limit.
    #[schema(value_type = Object)]
    pub settings: serde_json::Value,
    /// `polling` (updates fetched by the server) or `webhook`.
    pub mode: String,
    pub enabled: bool,
    pub created_at: String,
}

impl BotView {
    pub fn of(b: &TelegramBot) -> Self {
        Self {
            id: b.id,
            username: b.username.clone(),
            name: b.name.clone(),
            channel_id: b.channel_id.0,
            settings: serde_json::from_str(&b.settings).unwrap_or_else(|_| serde_json::json!({})),
            mode: if b.webhook_secret.is_some() { "webhook" } else { "polling" }.into(),
            enabled: b.enabled,
            created_at: crate::views::rfc3339(b.created_at),
        }
    }
}

/// Reads a bot's stored document (every default when it cannot be read).
pub fn settings_of(b: &TelegramBot) -> BotSettings {
    serde_json::from_str::<BotSettings>(&b.settings).unwrap_or_default()
}

/// Reads and checks a document an admin sent.
pub fn parse_settings(value: &serde_json::Value) -> Result<BotSettings, CoreError> {
    let s: BotSettings = serde_json::from_value(value.clone())
        .map_err(|e| CoreError::Invalid { field: "settings".into(), reason: e.to_string() })?;
    s.check().map_err(|e| CoreError::Invalid { field: format!("settings.{}", e.field), reason: e.reason })?;
    Ok(s)
}

/// The shape of a token (`123456789:AA…`); anything else is refused before asking Telegram.
fn token_shape(token: &str) -> bool {
    let Some((id, secret)) = token.split_once(':') else { return false };
    !id.is_empty()
        && id.len() <= 20
        && id.chars().all(|c| c.is_ascii_digit())
        && (20..=100).contains(&secret.len())
        && secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The token of a bot, opened with the install's key.
pub fn token_of(app: &App, b: &TelegramBot) -> Result<String, CoreError> {
    let key = app.config.seal_key.as_ref().ok_or_else(|| CoreError::Internal("no sealing key".into()))?;
    key.open(&b.token_sealed, b.id.as_bytes())
}

/// Connects a bot to the admin's workspace; its dialogs go to `channel` (the default one when
/// `None`) unless a topic says otherwise.
pub async fn connect(
    app: &App,
    admin: &Admin<'_>,
    token: &str,
    channel: Option<ChannelId>,
) -> Result<BotView, CoreError> {
    let token = token.trim();
    let bad_token = |reason: &str| CoreError::Invalid { field: "token".into(), reason: reason.into() };
    if !token_shape(token) {
        return Err(bad_token("not a bot token (123456789:AA…, as BotFather gives it)"));
    }
    let Some(key) = app.config.seal_key.as_ref() else {
        return Err(CoreError::Internal("this server has no key to keep tokens with".into()));
    };
    let ws = admin.workspace();
    let channel_id = match channel {
        Some(id) => match app.store.channel(ws, id).await {
            Ok(c) => c.id,
            Err(StoreError::NotFound) => {
                return Err(CoreError::UnknownReference { field: "channel_id".into(), what: "channel" });
            }
            Err(e) => return Err(e.into()),
        },
        None => app.store.default_channel(ws).await?.id,
    };
    let me = match api::get_me(app.telegram.as_ref(), token).await {
        Ok(me) => me,
        Err(BotApiError::Refused { code: 401 | 404, .. }) => {
            return Err(bad_token("Telegram does not know this token"));
        }
        Err(BotApiError::Refused { description, .. }) => {
            return Err(bad_token(&format!("Telegram refused it: {description}")));
        }
        Err(BotApiError::Unreachable(why)) => {
            return Err(CoreError::Unavailable(format!("Telegram could not be reached: {why}")));
        }
    };
    let id = uuid::Uuid::now_v7();
    // Behind https, Telegram posts updates to us; otherwise they are polled.
    let webhook = webhook_url(app, id);
    let secret = match webhook {
        Some(_) => {
            Some(crate::tokens::new_token()?.chars().filter(|c| c.is_ascii_alphanumeric()).take(48).collect::<String>())
        }
        None => None,
    };
    let bot = TelegramBot {
        id,
        workspace_id: ws,
        telegram_id: me.id,
        username: me.username.clone().unwrap_or_default(),
        name: me.full_name(),
        token_sealed: key.seal(token, id.as_bytes())?,
        channel_id,
        settings: serde_json::to_string(&BotSettings::default()).unwrap_or_else(|_| "{}".into()),
        webhook_secret: secret.clone(),
        update_offset: 0,
        enabled: true,
        created_at: app.clock.now(),
    };
    match app.store.create_bot(&bot).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(CoreError::Invalid { field: "token".into(), reason: "this bot is connected already".into() });
        }
        Err(e) => return Err(e.into()),
    }
    match (&webhook, &secret) {
        (Some(url), Some(secret)) => {
            if let Err(e) = api::set_webhook(app.telegram.as_ref(), token, url, secret).await {
                // Not connected half-way: the row goes, and the admin is told.
                let _ = app.store.delete_telegram_bot(ws, id).await;
                return Err(match e {
                    BotApiError::Unreachable(why) => {
                        CoreError::Unavailable(format!("Telegram could not be reached: {why}"))
                    }
                    BotApiError::Refused { description, .. } => {
                        bad_token(&format!("Telegram refused the webhook {url}: {description}"))
                    }
                });
            }
        }
        // Updates are polled: a webhook someone set elsewhere would take them.
        _ => {
            if let Err(e) = api::delete_webhook(app.telegram.as_ref(), token).await {
                tracing::warn!(bot = %id, error = %e, "telegram: deleteWebhook failed; polling will retry");
            }
        }
    }
    tracing::info!(bot = %id, username = %bot.username, "telegram bot connected");
    Ok(BotView::of(&bot))
}

/// Where Telegram posts a bot's updates when this server is reached over https.
fn webhook_url(app: &App, bot: uuid::Uuid) -> Option<String> {
    let base = app.config.public_url.as_deref()?.trim_end_matches('/');
    base.starts_with("https://").then(|| format!("{base}/telegram/v1/bots/{bot}/updates"))
}

/// An update Telegram posted to a bot's webhook: recorded (once) when the secret matches,
/// then handled in the background. `Ok(false)`: not this bot's secret (nothing stored).
pub async fn receive(app: &App, bot_id: uuid::Uuid, secret: Option<&str>, body: &[u8]) -> Result<bool, CoreError> {
    let bot = match app.store.telegram_bot(bot_id).await {
        Ok(b) => b,
        Err(StoreError::NotFound) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let (Some(expected), Some(given)) = (bot.webhook_secret.as_deref(), secret) else { return Ok(false) };
    if !crate::tokens::constant_time_eq(expected.as_bytes(), given.as_bytes()) || !bot.enabled {
        return Ok(false);
    }
    // A suspended workspace takes nothing in (`403 workspace_suspended`): Telegram retries the
    // update for a while, as with any refused delivery.
    crate::reads::check_active(app, bot.workspace_id).await?;
    let update: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| CoreError::Invalid { field: "update".into(), reason: format!("not JSON: {e}") })?;
    let Some(update_id) = update.get("update_id").and_then(serde_json::Value::as_i64) else {
        return Err(CoreError::Invalid { field: "update_id".into(), reason: "missing".into() });
    };
    app.store.record_telegram_updates(bot.id, &[(update_id, update.to_string())], None, app.clock.now()).await?;
    // Telegram is answered now; the update is handled after, by one node at a time.
    let app = app.clone();
    tokio::spawn(async move { crate::telegram::inbound::handle_posted(&app, &bot).await });
    Ok(true)
}

/// The workspace's bots.
pub async fn list(app: &App, admin: &Admin<'_>) -> Result<Vec<BotView>, CoreError> {
    Ok(app.store.telegram_bots(admin.workspace()).await?.iter().map(BotView::of).collect())
}

/// What an admin changes of a bot.
#[derive(Debug, Clone, Default)]
pub struct BotPatch {
    pub settings: Option<serde_json::Value>,
    pub channel_id: Option<ChannelId>,
    pub enabled: Option<bool>,
}

async fn own_bot(app: &App, admin: &Admin<'_>, id: uuid::Uuid) -> Result<TelegramBot, CoreError> {
    match app.store.telegram_bot(id).await {
        Ok(b) if b.workspace_id == admin.workspace() => Ok(b),
        Ok(_) | Err(StoreError::NotFound) => Err(CoreError::NotFound("bot")),
        Err(e) => Err(e.into()),
    }
}

/// Changes a bot's document, channel or switch.
pub async fn update(app: &App, admin: &Admin<'_>, id: uuid::Uuid, patch: &BotPatch) -> Result<BotView, CoreError> {
    let mut bot = own_bot(app, admin, id).await?;
    if let Some(value) = &patch.settings {
        let settings = parse_settings(value)?;
        for (i, t) in settings.topics.iter().enumerate() {
            if let Some(ch) = t.channel_id
                && matches!(app.store.channel(bot.workspace_id, ch).await, Err(StoreError::NotFound))
            {
                return Err(CoreError::UnknownReference {
                    field: format!("settings.topics[{i}].channel_id"),
                    what: "channel",
                });
            }
        }
        bot.settings = serde_json::to_string(&settings).map_err(|e| CoreError::Internal(e.to_string()))?;
    }
    if let Some(ch) = patch.channel_id {
        bot.channel_id = match app.store.channel(bot.workspace_id, ch).await {
            Ok(c) => c.id,
            Err(StoreError::NotFound) => {
                return Err(CoreError::UnknownReference { field: "channel_id".into(), what: "channel" });
            }
            Err(e) => return Err(e.into()),
        };
    }
    if let Some(on) = patch.enabled {
        bot.enabled = on;
    }
    app.store.update_telegram_bot(&bot).await?;
    Ok(BotView::of(&bot))
}

/// Disconnects a bot: its updates stop being read; its contacts and dialogs stay.
pub async fn delete(app: &App, admin: &Admin<'_>, id: uuid::Uuid) -> Result<(), CoreError> {
    let bot = own_bot(app, admin, id).await?;
    app.store.delete_telegram_bot(bot.workspace_id, bot.id).await.map_err(|e| match e {
        StoreError::NotFound => CoreError::NotFound("bot"),
        other => other.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked_for_shape_before_telegram_is_asked() {
        assert!(token_shape("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
        assert!(!token_shape("123456789AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
        assert!(!token_shape("abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
        assert!(!token_shape("123:short"));
        assert!(!token_shape("123:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsa w"));
        assert!(!token_shape(""));
    }
}
