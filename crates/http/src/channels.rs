//! Channels and their members under `/api/v1/channels`.

use crate::console::OperatorList;
use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, JsonBody, OperatorAuth};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use frontline_core::channels;
use frontline_core::views::{ChannelView, OperatorView};
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
    let chs = s.app.store.list_channels(actor.workspace()).await.map_err(frontline_core::CoreError::from)?;
    Ok(Json(ChannelList { items: chs.iter().map(ChannelView::from).collect() }))
}

#[derive(Deserialize, ToSchema)]
pub struct ChannelRequest {
    /// 1–80 characters, unique in the workspace ("Москва", "Сервисный центр").
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
    let ch = channels::create(&s.app, &admin, &req.name).await?;
    Ok((StatusCode::CREATED, Json(ChannelView::from(&ch))))
}

/// Renames a channel (admins only).
#[utoipa::path(patch, path = "/api/v1/channels/{id}", tag = "admin", request_body = ChannelRequest,
    params(("id" = uuid::Uuid, Path, description = "channel id")),
    responses((status = 200, body = ChannelView), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn rename_channel(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ChannelRequest>,
) -> ApiResult<Json<ChannelView>> {
    let ch = channels::rename(&s.app, &admin, channel_id(&id)?, &req.name).await?;
    Ok(Json(ChannelView::from(&ch)))
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
    Ok(Json(OperatorList { items: ops.iter().map(OperatorView::from).collect() }))
}

#[derive(Deserialize, ToSchema)]
pub struct MembersRequest {
    /// The complete list of members; it replaces the old one.
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
    let ops = channels::set_members(&s.app, &admin, channel_id(&id)?, &req.operator_ids).await?;
    Ok(Json(OperatorList { items: ops.iter().map(OperatorView::from).collect() }))
}
