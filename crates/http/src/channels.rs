//! Channels and their members under `/api/v1/channels`.

use crate::console::OperatorList;
use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, JsonBody, OperatorAuth};
use crate::state::HttpState;
use crate::wire;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use frontline_core::channels::{self, ChannelPatch};
use frontline_core::reads;
use frontline_core::views::ChannelView;
use frontline_domain::ChannelId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ChannelList {
    pub items: Vec<ChannelView>,
}

fn channel_id(raw: &str) -> ApiResult<ChannelId> {
    raw.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such channel."))
}

/// Channels of the workspace.
#[utoipa::path(get, path = "/api/v1/channels", tag = "admin", responses((status = 200, body = ChannelList)))]
pub async fn list_channels(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
) -> ApiResult<Json<ChannelList>> {
    let ws = actor.workspace();
    let chs = s.app.store.list_channels(ws).await.map_err(frontline_core::CoreError::from)?;
    Ok(Json(ChannelList { items: reads::channel_views(&s.app, ws, &chs).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct ChannelRequest {
    /// 1–80 characters once trimmed, unique in the workspace ("Москва", "Сервисный центр").
    #[schema(value_type = wire::Name)]
    pub name: String,
}

/// Adds a channel (admins only).
#[utoipa::path(post, path = "/api/v1/channels", tag = "admin", request_body = ChannelRequest,
    responses((status = 201, body = ChannelView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
pub async fn create_channel(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    JsonBody(req): JsonBody<ChannelRequest>,
) -> ApiResult<(StatusCode, Json<ChannelView>)> {
    let ch = channels::create(&s.app, &admin.admin()?, &req.name).await?;
    Ok((StatusCode::CREATED, Json(channel_view(&s, &ch).await?)))
}

async fn channel_view(s: &HttpState, ch: &frontline_domain::Channel) -> ApiResult<ChannelView> {
    Ok(reads::channel_views(&s.app, ch.workspace_id, std::slice::from_ref(ch)).await?.remove(0))
}

#[derive(Deserialize, ToSchema)]
pub struct ChannelPatchRequest {
    /// 1–80 characters once trimmed, unique in the workspace.
    #[schema(value_type = Option<wire::Name>)]
    pub name: Option<String>,
    /// `queue` (operators accept) or `auto` (assigned to the freest online member).
    #[schema(value_type = Option<wire::ChannelMode>)]
    pub mode: Option<String>,
    /// Sent in the operator's name on accept or assign; 1–1000 characters once trimmed.
    #[schema(value_type = Option<wire::Greeting>)]
    pub greeting: Option<String>,
    /// How long a dialog may wait in the queue before the channel is alerted: 10–86400.
    #[schema(minimum = 10, maximum = 86_400)]
    pub wait_alert_seconds: Option<i64>,
    /// What happens to an operator's dialogs when he goes offline: `keep` or `return`.
    #[schema(value_type = Option<wire::OfflinePolicy>)]
    pub offline_policy: Option<String>,
    /// A dialog cannot be closed without a category.
    pub require_category: Option<bool>,
    /// A visitor writing less than this after a close reopens the dialog: 0 (never) to 10080.
    #[schema(minimum = 0, maximum = 10_080)]
    pub reopen_window_minutes: Option<i64>,
}

/// Changes a channel (admins only): only the fields given change, all checked first.
#[utoipa::path(patch, path = "/api/v1/channels/{id}", tag = "admin", request_body = ChannelPatchRequest,
    params(("id" = uuid::Uuid, Path, description = "channel id")),
    responses((status = 200, body = ChannelView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
pub async fn update_channel(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ChannelPatchRequest>,
) -> ApiResult<Json<ChannelView>> {
    let patch = ChannelPatch {
        name: req.name.as_deref(),
        mode: req.mode.as_deref(),
        greeting: req.greeting.as_deref(),
        wait_alert_seconds: req.wait_alert_seconds,
        offline_policy: req.offline_policy.as_deref(),
        require_category: req.require_category,
        reopen_window_minutes: req.reopen_window_minutes,
    };
    let ch = channels::update(&s.app, &admin.admin()?, channel_id(&id)?, patch).await?;
    Ok(Json(channel_view(&s, &ch).await?))
}

/// The operators of a channel.
#[utoipa::path(get, path = "/api/v1/channels/{id}/members", tag = "admin",
    params(("id" = uuid::Uuid, Path, description = "channel id")),
    responses((status = 200, body = OperatorList), (status = 404, body = ApiErrorBody)))]
pub async fn list_members(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<OperatorList>> {
    let ops = channels::members(&s.app, &actor, channel_id(&id)?).await?;
    Ok(Json(OperatorList { items: reads::operator_views(&s.app, actor.workspace(), &ops).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct MembersRequest {
    /// The complete list of members (at most 1000); it replaces the old one. An unknown id is
    /// `404`.
    #[schema(value_type = wire::OperatorIds)]
    pub operator_ids: Vec<String>,
}

/// Sets the members of a channel (admins only): all or nothing.
#[utoipa::path(put, path = "/api/v1/channels/{id}/members", tag = "admin", request_body = MembersRequest,
    params(("id" = uuid::Uuid, Path, description = "channel id")),
    responses((status = 200, body = OperatorList), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn set_members(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<MembersRequest>,
) -> ApiResult<Json<OperatorList>> {
    let ops = channels::set_members(&s.app, &admin.admin()?, channel_id(&id)?, &req.operator_ids).await?;
    Ok(Json(OperatorList { items: reads::operator_views(&s.app, admin.workspace(), &ops).await? }))
}
