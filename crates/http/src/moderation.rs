//! Complaints about visitors and blocks: operators file complaints from a dialog, admins decide
//! them, block visitors and lift blocks.

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, JsonBody, OperatorAuth, QueryParams};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use frontline_core::moderation::{self, BlockView, ComplaintView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn uuid_of(id: &str, what: &str) -> ApiResult<uuid::Uuid> {
    id.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, format!("No such {what}.")))
}

/// Why an operator complains about a visitor.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintReason {
    Spam,
    Abuse,
    Other,
}

impl ComplaintReason {
    fn as_str(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Abuse => "abuse",
            Self::Other => "other",
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintRequest {
    pub reason: ComplaintReason,
    /// At most 1000 characters once trimmed; no control characters but line ends.
    #[schema(max_length = 1000)]
    pub comment: Option<String>,
}

/// Complains about the dialog's visitor to the admins; the dialog stays as it is.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/complaints", tag = "console", request_body = ComplaintRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 201, body = ComplaintView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn file(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ComplaintRequest>,
) -> ApiResult<(StatusCode, Json<ComplaintView>)> {
    let dialog = crate::console::dialog_id(&id)?;
    let c = moderation::file(&s.app, &actor, dialog, req.reason.as_str(), req.comment.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplaintsQuery {
    /// `open` (default), `blocked`, `dismissed` or `all`.
    #[param(pattern = "^(open|blocked|dismissed|all)$")]
    pub status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ComplaintList {
    pub items: Vec<ComplaintView>,
}

/// The complaints to review (open ones by default), newest first.
#[utoipa::path(get, path = "/api/v1/complaints", tag = "admin", params(ComplaintsQuery),
    responses((status = 200, body = ComplaintList), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn complaints(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    QueryParams(q): QueryParams<ComplaintsQuery>,
) -> ApiResult<Json<ComplaintList>> {
    let status = q.status.as_deref().unwrap_or("open");
    Ok(Json(ComplaintList { items: moderation::complaints(&s.app, &admin.admin()?, Some(status)).await? }))
}

/// What an admin decides.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionAction {
    Block,
    Dismiss,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub action: DecisionAction,
    /// At most 1000 characters once trimmed.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
    /// With `block`: an address or CIDR block to block with him (`203.0.113.0/24`).
    #[schema(max_length = 64)]
    pub ip_range: Option<String>,
}

/// Blocks the complaint's visitor or dismisses it; a decided complaint is `409 complaint_decided`.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/decision", tag = "admin", request_body = DecisionRequest,
    params(("id" = Uuid, Path, description = "complaint id")),
    responses((status = 200, body = ComplaintView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn decide(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<DecisionRequest>,
) -> ApiResult<Json<ComplaintView>> {
    let action = match req.action {
        DecisionAction::Block => "block",
        DecisionAction::Dismiss => "dismiss",
    };
    let id = uuid_of(&id, "complaint")?;
    let c =
        moderation::decide(&s.app, &admin.admin()?, id, action, req.note.as_deref(), req.ip_range.as_deref()).await?;
    Ok(Json(c))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockRequest {
    pub reason: ComplaintReason,
    /// An address or CIDR block to block with him.
    #[schema(max_length = 64)]
    pub ip_range: Option<String>,
}

/// Blocks the dialog's visitor at once (admins); a visitor blocked already keeps his block.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/block", tag = "admin", request_body = BlockRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 201, body = BlockView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn block(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<BlockRequest>,
) -> ApiResult<(StatusCode, Json<BlockView>)> {
    let dialog = crate::console::dialog_id(&id)?;
    let b = moderation::block_visitor_of(&s.app, &admin.admin()?, dialog, req.reason.as_str(), req.ip_range.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(b)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BlocksQuery {
    /// Only live blocks (default: lifted ones too).
    pub live: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct BlockList {
    pub items: Vec<BlockView>,
}

/// Blocks, newest first, with who placed and who lifted each.
#[utoipa::path(get, path = "/api/v1/blocks", tag = "admin", params(BlocksQuery),
    responses((status = 200, body = BlockList), (status = 403, body = ApiErrorBody)))]
pub async fn blocks(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    QueryParams(q): QueryParams<BlocksQuery>,
) -> ApiResult<Json<BlockList>> {
    Ok(Json(BlockList { items: moderation::blocks(&s.app, &admin.admin()?, q.live.unwrap_or(false)).await? }))
}

/// Lifts a block at once; lifting again changes nothing.
#[utoipa::path(post, path = "/api/v1/blocks/{id}/lift", tag = "admin",
    params(("id" = Uuid, Path, description = "block id")),
    responses((status = 200, body = BlockView), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn lift(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<BlockView>> {
    Ok(Json(moderation::lift(&s.app, &admin.admin()?, uuid_of(&id, "block")?).await?))
}
