//! Queues, assignment, transfer, presence, capacity and routing rules under `/api/v1`.

use crate::console::dialog_id;
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{AdminAuth, ClientIp, JsonBody, OperatorAuth};
use crate::state::HttpState;
use crate::wire;
use axum::Json;
use axum::extract::{Path, State};
use frontline_core::assignment::{self, TransferTarget};
use frontline_core::dialogs::{self, Counts};
use frontline_core::presence;
use frontline_core::routing::{self, RoutingRuleInput, RoutingRuleView};
use frontline_core::views::{DialogView, OperatorView};
use frontline_domain::{ChannelId, OperatorId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The console's counters: the queue tab, my dialogs, my unanswered ones.
#[utoipa::path(get, path = "/api/v1/dialogs/counts", tag = "console", responses((status = 200, body = Counts)))]
pub async fn counts(State(s): State<HttpState>, OperatorAuth(actor): OperatorAuth) -> ApiResult<Json<Counts>> {
    Ok(Json(dialogs::counts(&s.app, &actor).await?))
}

/// Takes a waiting dialog: of many operators accepting at once exactly one wins, the others
/// get `409 already_assigned` naming who has it. The channel's greeting goes to the visitor.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/accept", tag = "console",
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = DialogView), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn accept(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<DialogView>> {
    Ok(Json(assignment::accept(&s.app, &actor, dialog_id(&id)?).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct AssignRequest {
    /// The operator to give the dialog to; `null` puts it back in the queue.
    #[schema(value_type = Option<wire::Id>)]
    pub operator_id: Option<Uuid>,
}

/// Assigns or reassigns by hand; an operator may assign only to himself.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/assign", tag = "console", request_body = AssignRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = DialogView), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
pub async fn assign(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<AssignRequest>,
) -> ApiResult<Json<DialogView>> {
    Ok(Json(assignment::assign(&s.app, &actor, dialog_id(&id)?, req.operator_id.map(OperatorId)).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct TransferRequest {
    /// To this operator (online, a member of the dialog's channel)…
    #[schema(value_type = Option<wire::Id>)]
    pub operator_id: Option<Uuid>,
    /// …or to this channel (with someone online). Exactly one of the two.
    #[schema(value_type = Option<wire::Id>)]
    pub channel_id: Option<Uuid>,
    /// For the receiving operators; at most 1000 characters once trimmed; blank is none.
    #[schema(value_type = Option<wire::TransferComment>)]
    pub comment: Option<String>,
}

/// Transfers a dialog to a colleague or another channel.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/transfer", tag = "console", request_body = TransferRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = DialogView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
pub async fn transfer(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<TransferRequest>,
) -> ApiResult<Json<DialogView>> {
    let target = match (req.operator_id, req.channel_id) {
        (Some(op), None) => TransferTarget::Operator(OperatorId(op)),
        (None, Some(ch)) => TransferTarget::Channel(ChannelId(ch)),
        _ => return Err(ApiError::field("operator_id", "operator_id or channel_id: give exactly one")),
    };
    Ok(Json(assignment::transfer(&s.app, &actor, dialog_id(&id)?, target, req.comment.as_deref()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct PresenceRequest {
    /// `online`, `away` or `offline`.
    #[schema(value_type = wire::Presence)]
    pub presence: String,
}

/// Sets the signed-in operator's presence.
#[utoipa::path(put, path = "/api/v1/me/presence", tag = "console", request_body = PresenceRequest,
    responses((status = 200, body = OperatorView), (status = 400, body = ApiErrorBody)))]
pub async fn set_presence(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    JsonBody(req): JsonBody<PresenceRequest>,
) -> ApiResult<Json<OperatorView>> {
    Ok(Json(presence::set_presence(&s.app, &actor, &req.presence).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct OperatorPatchRequest {
    /// Most active dialogs at once: 1–50.
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 50)]
    pub capacity: Option<i64>,
    /// The name visitors see: 1–80 characters once trimmed.
    #[schema(value_type = Option<wire::Name>)]
    pub display_name: Option<String>,
}

/// Changes an operator (admins): his capacity, his name, or both (at least one). Both are
/// checked before either is written.
#[utoipa::path(patch, path = "/api/v1/operators/{id}", tag = "admin", request_body = OperatorPatchRequest,
    params(("id" = Uuid, Path, description = "operator id")),
    responses((status = 200, body = OperatorView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn update_operator(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<OperatorPatchRequest>,
) -> ApiResult<Json<OperatorView>> {
    let id: OperatorId =
        id.parse().map_err(|_| ApiError::new(crate::error::ErrorCode::NotFound, "No such operator."))?;
    if let Some(c) = req.capacity {
        frontline_domain::Capacity::new(c).map_err(frontline_core::CoreError::from)?;
    }
    let view = match (req.display_name.as_deref(), req.capacity) {
        (None, None) => return Err(ApiError::field("capacity", "capacity or display_name: nothing to change")),
        (None, Some(c)) => presence::set_capacity(&s.app, &admin.admin()?, id, c).await?,
        (Some(name), capacity) => {
            let renamed = frontline_core::operators::rename(&s.app, &admin.admin()?, id, name, ip.as_deref()).await?;
            match capacity {
                Some(c) => presence::set_capacity(&s.app, &admin.admin()?, id, c).await?,
                None => renamed,
            }
        }
    };
    Ok(Json(view))
}

#[derive(Serialize, ToSchema)]
pub struct RoutingRuleList {
    pub items: Vec<RoutingRuleView>,
}

#[derive(Deserialize, ToSchema)]
pub struct RoutingRulesRequest {
    /// The whole ordered list (at most 200); the first rule that matches wins.
    #[schema(max_items = 200)]
    pub items: Vec<RoutingRuleInput>,
}

/// The workspace's routing rules, in order.
#[utoipa::path(get, path = "/api/v1/routing-rules", tag = "admin", responses((status = 200, body = RoutingRuleList)))]
pub async fn list_rules(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
) -> ApiResult<Json<RoutingRuleList>> {
    Ok(Json(RoutingRuleList { items: routing::list(&s.app, &actor).await? }))
}

/// Replaces the routing rules (admins only), all or nothing. A URL condition with `regex` must
/// compile; an unknown channel is `404`.
#[utoipa::path(put, path = "/api/v1/routing-rules", tag = "admin", request_body = RoutingRulesRequest,
    responses((status = 200, body = RoutingRuleList), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, description = "A rule's `channel_id` names no channel of the workspace, or a condition's `segment_id` no segment.", body = ApiErrorBody)))]
pub async fn replace_rules(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    JsonBody(req): JsonBody<RoutingRulesRequest>,
) -> ApiResult<Json<RoutingRuleList>> {
    Ok(Json(RoutingRuleList { items: routing::replace(&s.app, &admin.admin()?, &req.items).await? }))
}
