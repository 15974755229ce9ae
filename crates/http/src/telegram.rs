//! `/api/v1/telegram/bots`: connecting Telegram bots, their topics and questions (admins).

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, JsonBody};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use frontline_core::telegram::bots::{self, BotPatch, BotView};
use frontline_domain::ChannelId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn bot_id(id: &str) -> ApiResult<uuid::Uuid> {
    id.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such bot."))
}

#[derive(Serialize, ToSchema)]
pub struct BotList {
    pub items: Vec<BotView>,
}

#[derive(Deserialize, ToSchema)]
pub struct BotConnectRequest {
    /// The token BotFather gave (`123456789:AA…`); kept sealed, never shown again.
    #[schema(pattern = "^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$")]
    pub token: String,
    /// Where its dialogs go unless a topic says otherwise; the default channel when left out.
    #[schema(value_type = Option<crate::wire::Id>)]
    pub channel_id: Option<uuid::Uuid>,
}

#[derive(Deserialize, ToSchema)]
pub struct BotPatchRequest {
    /// The whole document: `greeting`, `handed_over`, `timed_out` (each `{ru, en}`), `topics`
    /// (`key`, `title`, `channel_id`, `questions`) and `idle_minutes` (1–1440); a field left
    /// out is its default.
    #[schema(value_type = Option<Object>)]
    pub settings: Option<serde_json::Value>,
    #[schema(value_type = Option<crate::wire::Id>)]
    pub channel_id: Option<uuid::Uuid>,
    pub enabled: Option<bool>,
}

/// The workspace's bots.
#[utoipa::path(get, path = "/api/v1/telegram/bots", tag = "admin", operation_id = "list_telegram_bots",
    responses((status = 200, body = BotList), (status = 403, body = ApiErrorBody)))]
pub async fn list(State(s): State<HttpState>, AdminAuth(admin): AdminAuth) -> ApiResult<Json<BotList>> {
    Ok(Json(BotList { items: bots::list(&s.app, &admin.admin()?).await? }))
}

/// Connects a bot: Telegram is asked whose token it is (`getMe`); its updates are then polled.
#[utoipa::path(post, path = "/api/v1/telegram/bots", tag = "admin", operation_id = "connect_telegram_bot", request_body = BotConnectRequest,
    responses((status = 201, body = BotView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, description = "`channel_id` names no channel of the workspace.", body = ApiErrorBody),
        (status = 503, body = ApiErrorBody)))]
pub async fn connect(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    JsonBody(req): JsonBody<BotConnectRequest>,
) -> ApiResult<(StatusCode, Json<BotView>)> {
    let view = bots::connect(&s.app, &admin.admin()?, &req.token, req.channel_id.map(ChannelId)).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Changes a bot's topics and texts, its channel, or switches it off and on.
#[utoipa::path(patch, path = "/api/v1/telegram/bots/{id}", tag = "admin", operation_id = "update_telegram_bot", request_body = BotPatchRequest,
    params(("id" = Uuid, Path, description = "bot id")),
    responses((status = 200, body = BotView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn update(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<BotPatchRequest>,
) -> ApiResult<Json<BotView>> {
    let patch = BotPatch { settings: req.settings, channel_id: req.channel_id.map(ChannelId), enabled: req.enabled };
    Ok(Json(bots::update(&s.app, &admin.admin()?, bot_id(&id)?, &patch).await?))
}

/// Disconnects a bot (its contacts and dialogs stay).
#[utoipa::path(delete, path = "/api/v1/telegram/bots/{id}", tag = "admin", operation_id = "delete_telegram_bot",
    params(("id" = Uuid, Path, description = "bot id")),
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn delete(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    bots::delete(&s.app, &admin.admin()?, bot_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /telegram/v1/bots/{id}/updates`: where Telegram posts a bot's updates when the server
/// is reached over https (`setWebhook` with a secret). Not part of the API document: Telegram
/// is its only caller. A wrong or missing `X-Telegram-Bot-Api-Secret-Token` is 401 and stores
/// nothing; a suspended workspace's bot is 403 and stores nothing (Telegram retries); a
/// recorded update is 200 at once (it is handled just after).
pub async fn webhook(
    State(s): State<HttpState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<StatusCode> {
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return Err(ApiError::new(ErrorCode::Unauthenticated, "Unknown bot or secret."));
    };
    let secret = headers.get("x-telegram-bot-api-secret-token").and_then(|v| v.to_str().ok());
    if bots::receive(&s.app, id, secret, &body).await? {
        Ok(StatusCode::OK)
    } else {
        Err(ApiError::new(ErrorCode::Unauthenticated, "Unknown bot or secret."))
    }
}
