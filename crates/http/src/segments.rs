//! Segments: saved filters over visitors, their live counts, and the visitors in them.

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, JsonBody, OperatorAuth};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use frontline_core::segments::{self, SegmentInput, SegmentPreview, SegmentView};
use frontline_domain::segments::SegmentFilter;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn segment_id(id: &str) -> ApiResult<uuid::Uuid> {
    id.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such segment."))
}

#[derive(Serialize, ToSchema)]
pub struct SegmentList {
    pub items: Vec<SegmentView>,
}

/// The workspace's segments by name (any operator: the dialog list filters by them).
#[utoipa::path(get, path = "/api/v1/segments", tag = "console", operation_id = "list_segments",
    responses((status = 200, body = SegmentList), (status = 401, body = ApiErrorBody)))]
pub async fn list(State(s): State<HttpState>, OperatorAuth(actor): OperatorAuth) -> ApiResult<Json<SegmentList>> {
    Ok(Json(SegmentList { items: segments::list(&s.app, &actor).await? }))
}

/// Saves a segment (admins); at most 100 per workspace, names unique.
#[utoipa::path(post, path = "/api/v1/segments", tag = "admin", operation_id = "create_segment", request_body = SegmentInput,
    responses((status = 201, body = SegmentView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
pub async fn create(
    State(s): State<HttpState>,
    AdminAuth(actor): AdminAuth,
    JsonBody(req): JsonBody<SegmentInput>,
) -> ApiResult<(StatusCode, Json<SegmentView>)> {
    Ok((StatusCode::CREATED, Json(segments::create(&s.app, &actor.admin()?, req).await?)))
}

#[utoipa::path(get, path = "/api/v1/segments/{id}", tag = "console", operation_id = "get_segment",
    params(("id" = Uuid, Path, description = "segment id")),
    responses((status = 200, body = SegmentView), (status = 404, body = ApiErrorBody)))]
pub async fn get(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<SegmentView>> {
    Ok(Json(segments::get(&s.app, &actor, segment_id(&id)?).await?))
}

/// Renames a segment or replaces its filter (admins).
#[utoipa::path(patch, path = "/api/v1/segments/{id}", tag = "admin", operation_id = "update_segment", request_body = SegmentInput,
    params(("id" = Uuid, Path, description = "segment id")),
    responses((status = 200, body = SegmentView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
pub async fn update(
    State(s): State<HttpState>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SegmentInput>,
) -> ApiResult<Json<SegmentView>> {
    Ok(Json(segments::update(&s.app, &actor.admin()?, segment_id(&id)?, req).await?))
}

/// Deletes a segment no routing rule or proactive message uses (else `409 segment_in_use`).
#[utoipa::path(delete, path = "/api/v1/segments/{id}", tag = "admin", operation_id = "delete_segment",
    params(("id" = Uuid, Path, description = "segment id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn delete(
    State(s): State<HttpState>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    segments::delete(&s.app, &actor.admin()?, segment_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct PreviewRequest {
    pub filter: SegmentFilter,
}

/// How many visitors a draft filter holds now, and the newest ten (admins and supervisors).
#[utoipa::path(post, path = "/api/v1/segments/preview", tag = "admin", operation_id = "preview_segment", request_body = PreviewRequest,
    responses((status = 200, body = SegmentPreview), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 429, body = ApiErrorBody)))]
pub async fn preview(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    JsonBody(req): JsonBody<PreviewRequest>,
) -> ApiResult<Json<SegmentPreview>> {
    Ok(Json(segments::preview(&s.app, &actor.manager()?, req.filter).await?))
}

/// The same for a saved segment.
#[utoipa::path(get, path = "/api/v1/segments/{id}/preview", tag = "admin", operation_id = "preview_saved_segment",
    params(("id" = Uuid, Path, description = "segment id")),
    responses((status = 200, body = SegmentPreview), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 429, body = ApiErrorBody)))]
pub async fn preview_saved(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<SegmentPreview>> {
    Ok(Json(segments::preview_saved(&s.app, &actor.manager()?, segment_id(&id)?).await?))
}
