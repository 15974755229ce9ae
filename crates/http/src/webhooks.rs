//! `/api/v1/webhooks`: endpoints, their secrets, test sends, the delivery log and replays
//! (admins). Payloads and signatures: docs/webhooks.md.

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, JsonBody, QueryParams};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use frontline_core::webhooks::{
    self, CatalogueEntry, DeliveryDetail, DeliveryView, EndpointPatch, WebhookEndpointView,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn endpoint_id(id: &str) -> ApiResult<uuid::Uuid> {
    id.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such webhook endpoint."))
}

/// An event kind an endpoint may subscribe to (`GET /api/v1/webhooks/catalogue` describes each).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub enum WebhookEventKind {
    #[serde(rename = "dialog.created")]
    DialogCreated,
    #[serde(rename = "dialog.assigned")]
    DialogAssigned,
    #[serde(rename = "dialog.unassigned")]
    DialogUnassigned,
    #[serde(rename = "dialog.transferred")]
    DialogTransferred,
    #[serde(rename = "dialog.closed")]
    DialogClosed,
    #[serde(rename = "dialog.reopened")]
    DialogReopened,
    #[serde(rename = "dialog.snoozed")]
    DialogSnoozed,
    #[serde(rename = "dialog.unsnoozed")]
    DialogUnsnoozed,
    #[serde(rename = "dialog.labels_changed")]
    DialogLabelsChanged,
    #[serde(rename = "message.created")]
    MessageCreated,
    #[serde(rename = "message.edited")]
    MessageEdited,
    #[serde(rename = "note.created")]
    NoteCreated,
    #[serde(rename = "visitor.updated")]
    VisitorUpdated,
    #[serde(rename = "rating.created")]
    RatingCreated,
    #[serde(rename = "sla.breached")]
    SlaBreached,
    #[serde(rename = "operator.presence_changed")]
    OperatorPresenceChanged,
    #[serde(rename = "operator.updated")]
    OperatorUpdated,
    #[serde(rename = "operator.membership_changed")]
    OperatorMembershipChanged,
    #[serde(rename = "ticket.created")]
    TicketCreated,
    #[serde(rename = "ticket.updated")]
    TicketUpdated,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookList {
    pub items: Vec<WebhookEndpointView>,
}

#[derive(Serialize, ToSchema)]
pub struct Catalogue {
    pub items: Vec<CatalogueEntry>,
}

#[derive(Deserialize, ToSchema)]
pub struct WebhookCreateRequest {
    /// Where deliveries are POSTed: http(s), at most 2048 characters; loopback, private and
    /// link-local addresses are refused unless the server allows them.
    #[schema(max_length = 2048)]
    pub url: String,
    /// A note for admins, at most 200 characters.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub description: String,
    /// Kinds from `GET /api/v1/webhooks/catalogue`, at least one.
    #[schema(min_items = 1, value_type = Vec<WebhookEventKind>)]
    pub events: Vec<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Serialize, ToSchema)]
pub struct WebhookCreated {
    pub endpoint: WebhookEndpointView,
    /// The signing secret (`whsec_…`); `GET …/secret` shows it again.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
pub struct WebhookPatchRequest {
    #[schema(max_length = 2048)]
    pub url: Option<String>,
    #[schema(max_length = 200)]
    pub description: Option<String>,
    #[schema(min_items = 1, value_type = Option<Vec<WebhookEventKind>>)]
    pub events: Option<Vec<String>>,
    /// Switching an endpoint on again starts its failing streak over.
    pub enabled: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookEndpointBody {
    pub endpoint: WebhookEndpointView,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookSecret {
    pub secret: String,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookRotated {
    pub secret: String,
    /// Until then the previous secret signs too (a second signature in `webhook-signature`).
    pub previous_valid_until: String,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryBody {
    pub delivery: DeliveryView,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryPage {
    pub items: Vec<DeliveryView>,
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<String>, pattern = "^[1-9][0-9]{0,18}$")]
    pub cursor: Option<String>,
}

/// The workspace's webhook endpoints.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "admin",
    responses((status = 200, body = WebhookList), (status = 403, body = ApiErrorBody)))]
pub async fn list(State(s): State<HttpState>, AdminAuth(admin): AdminAuth) -> ApiResult<Json<WebhookList>> {
    Ok(Json(WebhookList { items: webhooks::list(&s.app, &admin.admin()?).await? }))
}

/// The event kinds an endpoint may receive.
#[utoipa::path(get, path = "/api/v1/webhooks/catalogue", tag = "admin",
    responses((status = 200, body = Catalogue), (status = 403, body = ApiErrorBody)))]
pub async fn catalogue(AdminAuth(_admin): AdminAuth) -> ApiResult<Json<Catalogue>> {
    Ok(Json(Catalogue { items: webhooks::catalogue() }))
}

/// Registers an endpoint and answers its signing secret.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "admin", request_body = WebhookCreateRequest,
    responses((status = 201, body = WebhookCreated), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
pub async fn create(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    JsonBody(req): JsonBody<WebhookCreateRequest>,
) -> ApiResult<(StatusCode, Json<WebhookCreated>)> {
    let (endpoint, secret) =
        webhooks::create(&s.app, &admin.admin()?, &req.url, &req.description, &req.events, req.enabled).await?;
    Ok((StatusCode::CREATED, Json(WebhookCreated { endpoint, secret })))
}

/// Changes an endpoint; absent fields stay as they are.
#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "admin", request_body = WebhookPatchRequest,
    params(("id" = Uuid, Path, description = "endpoint id")),
    responses((status = 200, body = WebhookEndpointBody), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn update(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<WebhookPatchRequest>,
) -> ApiResult<Json<WebhookEndpointBody>> {
    let patch = EndpointPatch { url: req.url, description: req.description, events: req.events, enabled: req.enabled };
    let endpoint = webhooks::update(&s.app, &admin.admin()?, endpoint_id(&id)?, &patch).await?;
    Ok(Json(WebhookEndpointBody { endpoint }))
}

/// Deletes an endpoint with its delivery log.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "admin",
    params(("id" = Uuid, Path, description = "endpoint id")),
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn delete(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    webhooks::delete(&s.app, &admin.admin()?, endpoint_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The endpoint's signing secret.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/secret", tag = "admin",
    params(("id" = Uuid, Path, description = "endpoint id")),
    responses((status = 200, body = WebhookSecret), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn secret(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<WebhookSecret>> {
    Ok(Json(WebhookSecret { secret: webhooks::secret(&s.app, &admin.admin()?, endpoint_id(&id)?).await? }))
}

/// A new signing secret; the previous one keeps signing beside it for 24 hours.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/rotate", tag = "admin",
    params(("id" = Uuid, Path, description = "endpoint id")),
    responses((status = 200, body = WebhookRotated), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn rotate(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<WebhookRotated>> {
    let (secret, previous_valid_until) = webhooks::rotate(&s.app, &admin.admin()?, endpoint_id(&id)?).await?;
    Ok(Json(WebhookRotated { secret, previous_valid_until }))
}

/// Sends a `webhook.test` event to the endpoint now.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "admin",
    params(("id" = Uuid, Path, description = "endpoint id")),
    responses((status = 202, body = DeliveryBody), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn test(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<DeliveryBody>)> {
    let delivery = webhooks::test(&s.app, &admin.admin()?, endpoint_id(&id)?).await?;
    Ok((StatusCode::ACCEPTED, Json(DeliveryBody { delivery })))
}

/// The endpoint's deliveries, newest first, each with its latest attempt.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "admin", params(("id" = Uuid, Path, description = "endpoint id"), DeliveryQuery),
    responses((status = 200, body = DeliveryPage), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn deliveries(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
    QueryParams(q): QueryParams<DeliveryQuery>,
) -> ApiResult<Json<DeliveryPage>> {
    let limit = crate::console::limit(q.limit, 50, 200)?;
    let cursor = q.cursor.as_deref().filter(|c| !c.is_empty());
    let (items, next_cursor) = webhooks::deliveries(&s.app, &admin.admin()?, endpoint_id(&id)?, cursor, limit).await?;
    Ok(Json(DeliveryPage { items, next_cursor }))
}

/// One delivery: what was sent and every attempt.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries/{delivery}", tag = "admin",
    params(("id" = Uuid, Path, description = "endpoint id"), ("delivery" = String, Path, description = "delivery id")),
    responses((status = 200, body = DeliveryDetail), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn delivery(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path((id, delivery)): Path<(String, String)>,
) -> ApiResult<Json<DeliveryDetail>> {
    Ok(Json(webhooks::delivery(&s.app, &admin.admin()?, endpoint_id(&id)?, &delivery).await?))
}

/// Delivers an attempted delivery again, with the same body and `webhook-id`.
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/deliveries/{delivery}/replay", tag = "admin",
    params(("id" = Uuid, Path, description = "endpoint id"), ("delivery" = String, Path, description = "delivery id")),
    responses((status = 202, body = DeliveryBody), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn replay(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path((id, delivery)): Path<(String, String)>,
) -> ApiResult<(StatusCode, Json<DeliveryBody>)> {
    let delivery = webhooks::replay(&s.app, &admin.admin()?, endpoint_id(&id)?, &delivery).await?;
    Ok((StatusCode::ACCEPTED, Json(DeliveryBody { delivery })))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_s_kinds_are_the_catalogue() {
        let schema: Vec<String> = [
            super::WebhookEventKind::DialogCreated,
            super::WebhookEventKind::DialogAssigned,
            super::WebhookEventKind::DialogUnassigned,
            super::WebhookEventKind::DialogTransferred,
            super::WebhookEventKind::DialogClosed,
            super::WebhookEventKind::DialogReopened,
            super::WebhookEventKind::DialogSnoozed,
            super::WebhookEventKind::DialogUnsnoozed,
            super::WebhookEventKind::DialogLabelsChanged,
            super::WebhookEventKind::MessageCreated,
            super::WebhookEventKind::MessageEdited,
            super::WebhookEventKind::NoteCreated,
            super::WebhookEventKind::VisitorUpdated,
            super::WebhookEventKind::RatingCreated,
            super::WebhookEventKind::SlaBreached,
            super::WebhookEventKind::OperatorPresenceChanged,
            super::WebhookEventKind::OperatorUpdated,
            super::WebhookEventKind::OperatorMembershipChanged,
            super::WebhookEventKind::TicketCreated,
            super::WebhookEventKind::TicketUpdated,
        ]
        .iter()
        .map(|k| serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
        .collect();
        let catalogue: Vec<String> = frontline_core::webhooks::catalogue().into_iter().map(|c| c.kind).collect();
        assert_eq!(schema, catalogue);
    }
}
