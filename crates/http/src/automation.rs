//! A channel's automation document and the proactive triggers, under `/api/v1`.

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{JsonBody, OperatorAuth};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use frontline_core::automation;
use frontline_core::routing::ConditionView;
use frontline_core::triggers::{self, TriggerInput, TriggerView};
use frontline_domain::{AutomationDoc, ChannelId};
use serde::{Deserialize, Serialize};
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
/// bad value names its field (`business_hours.week[2].close`) and nothing changes. Besides each
/// field's own limits: `time_zone` is a known IANA zone, an interval closes after it opens and
/// overlaps no other of its day, business hours switched on need an interval, `hold_minutes`
/// is longer than `silence_minutes`, and a hold phrase has a letter or a digit.
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
    Ok(Json(automation::put(&s.app, &actor.admin()?, channel_id(&id)?, doc).await?))
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
    Ok(Json(TriggerList { items: triggers::list(&s.app, &actor.manager()?).await? }))
}

/// A proactive message to add: a name and a message; the rest takes its defaults.
#[derive(Deserialize, ToSchema)]
pub struct NewTriggerRequest {
    /// 1–100 characters once trimmed.
    #[schema(value_type = frontline_domain::patterns::schema::RuleName)]
    pub name: String,
    /// 1–1000 characters once trimmed.
    #[schema(value_type = frontline_domain::patterns::schema::LongText)]
    pub message: String,
    pub enabled: Option<bool>,
    /// Seconds on the site before it shows: 0–86400 (default 25).
    #[schema(minimum = 0, maximum = 86_400)]
    pub time_on_site_seconds: Option<i64>,
    /// All must hold; at most 10.
    #[schema(max_items = 10)]
    pub conditions: Option<Vec<ConditionView>>,
    /// A visitor sees it at most once in this many hours: 1–8760.
    #[schema(minimum = 1, maximum = 8760)]
    pub period_hours: Option<i64>,
}

impl From<NewTriggerRequest> for TriggerInput {
    fn from(r: NewTriggerRequest) -> Self {
        Self {
            name: Some(r.name),
            message: Some(r.message),
            enabled: r.enabled,
            time_on_site_seconds: r.time_on_site_seconds,
            conditions: r.conditions,
            period_hours: r.period_hours,
        }
    }
}

/// Adds a proactive message (admins). A URL condition with `regex` must compile.
#[utoipa::path(post, path = "/api/v1/triggers", tag = "admin", request_body = NewTriggerRequest,
    responses((status = 201, body = TriggerView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn create_trigger(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    JsonBody(input): JsonBody<NewTriggerRequest>,
) -> ApiResult<(StatusCode, Json<TriggerView>)> {
    Ok((StatusCode::CREATED, Json(triggers::create(&s.app, &actor.admin()?, input.into()).await?)))
}

/// Changes the fields given (admins). A URL condition with `regex` must compile.
#[utoipa::path(patch, path = "/api/v1/triggers/{id}", tag = "admin", request_body = TriggerInput,
    params(("id" = Uuid, Path, description = "trigger id")),
    responses((status = 200, body = TriggerView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn update_trigger(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<TriggerInput>,
) -> ApiResult<Json<TriggerView>> {
    Ok(Json(triggers::update(&s.app, &actor.admin()?, trigger_id(&id)?, input).await?))
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
    triggers::delete(&s.app, &actor.admin()?, trigger_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
