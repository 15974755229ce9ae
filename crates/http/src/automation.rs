//! A channel's automation document and the proactive triggers, under `/api/v1`.

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{JsonBody, OperatorAuth};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use frontline_core::automation;
use frontline_core::triggers::{self, TriggerInput, TriggerView};
use frontline_domain::{AutomationDoc, ChannelId};
use serde::Serialize;
use utoipa::ToSchema;

fn channel_id(raw: &str) -> ApiResult<ChannelId> {
    raw.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such channel."))
}

fn trigger_id(raw: &str) -> ApiResult<uuid::Uuid> {
    raw.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such trigger."))
}

/// The channel's automation: business hours, SLA, auto-close, offline mode, persona (see
/// docs/api.md "Automation" for every field and its default).
#[utoipa::path(get, path = "/api/v1/channels/{id}/automation", tag = "admin",
    params(("id" = Uuid, Path, description = "channel id")),
    responses((status = 200, body = AutomationDoc), (status = 404, body = ApiErrorBody)))]
pub async fn get_automation(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<AutomationDoc>> {
    Ok(Json(automation::get(&s.app, &actor, channel_id(&id)?).await?))
}

/// Replaces the channel's automation document (admins); a part left out takes its defaults. A
/// bad value names its field (`business_hours.week[2].close`) and nothing changes.
#[utoipa::path(put, path = "/api/v1/channels/{id}/automation", tag = "admin",
    params(("id" = Uuid, Path, description = "channel id")), request_body = AutomationDoc,
    responses((status = 200, body = AutomationDoc), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn put_automation(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(doc): JsonBody<AutomationDoc>,
) -> ApiResult<Json<AutomationDoc>> {
    Ok(Json(automation::put(&s.app, &actor, channel_id(&id)?, doc).await?))
}

#[derive(Serialize, ToSchema)]
pub struct TriggerList {
    pub items: Vec<TriggerView>,
}

/// Proactive messages (admins and supervisors).
#[utoipa::path(get, path = "/api/v1/triggers", tag = "admin",
    responses((status = 200, body = TriggerList), (status = 403, body = ApiErrorBody)))]
pub async fn list_triggers(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
) -> ApiResult<Json<TriggerList>> {
    Ok(Json(TriggerList { items: triggers::list(&s.app, &actor).await? }))
}

/// Adds a proactive message (admins).
#[utoipa::path(post, path = "/api/v1/triggers", tag = "admin", request_body = TriggerInput,
    responses((status = 201, body = TriggerView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn create_trigger(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    JsonBody(input): JsonBody<TriggerInput>,
) -> ApiResult<(StatusCode, Json<TriggerView>)> {
    Ok((StatusCode::CREATED, Json(triggers::create(&s.app, &actor, input).await?)))
}

/// Changes the fields given (admins).
#[utoipa::path(patch, path = "/api/v1/triggers/{id}", tag = "admin", request_body = TriggerInput,
    params(("id" = Uuid, Path, description = "trigger id")),
    responses((status = 200, body = TriggerView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn update_trigger(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<TriggerInput>,
) -> ApiResult<Json<TriggerView>> {
    Ok(Json(triggers::update(&s.app, &actor, trigger_id(&id)?, input).await?))
}

/// Deletes a proactive message (dialogs that began with it keep its name).
#[utoipa::path(delete, path = "/api/v1/triggers/{id}", tag = "admin",
    params(("id" = Uuid, Path, description = "trigger id")),
    responses((status = 204), (status = 404, body = ApiErrorBody)))]
pub async fn delete_trigger(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    triggers::delete(&s.app, &actor, trigger_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
