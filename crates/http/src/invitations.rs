//! Inviting operators: admins send links; the invited person opens his and sets his password.

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, ClientIp, JsonBody};
use crate::state::HttpState;
use crate::wire;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use frontline_core::invitations::{self, CreatedInvitation, InvitationPreview, InvitationView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct InvitationList {
    pub items: Vec<InvitationView>,
}

/// The workspace's invitations, newest first (admins).
#[utoipa::path(get, path = "/api/v1/invitations", tag = "admin", operation_id = "list_invitations",
    responses((status = 200, body = InvitationList), (status = 403, body = ApiErrorBody)))]
pub async fn list(State(s): State<HttpState>, AdminAuth(actor): AdminAuth) -> ApiResult<Json<InvitationList>> {
    Ok(Json(InvitationList { items: invitations::list(&s.app, &actor.admin()?).await? }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    #[schema(value_type = wire::Email)]
    pub email: String,
    /// 1–80 characters once trimmed; he may change it when he accepts.
    #[schema(value_type = wire::Name)]
    pub display_name: String,
    /// `admin`, `supervisor` or `operator`.
    #[schema(value_type = wire::Role)]
    pub role: String,
}

/// Invites a person (admins): `201` with the link, shown this once, and whether it was mailed
/// (when the workspace's mail is set up). `409 email_taken` when an operator of the workspace
/// has the address.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "admin", operation_id = "create_invitation",
    request_body = InvitationRequest,
    responses((status = 201, body = CreatedInvitation), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
pub async fn create(
    State(s): State<HttpState>,
    AdminAuth(actor): AdminAuth,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    JsonBody(req): JsonBody<InvitationRequest>,
) -> ApiResult<(StatusCode, Json<CreatedInvitation>)> {
    let base = crate::extract::own_origin(&headers, s.config.secure_cookies).unwrap_or_default();
    let created =
        invitations::create(&s.app, &actor.admin()?, &req.email, &req.display_name, &req.role, &base, ip.as_deref())
            .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revokes an invitation not yet used (admins); an accepted one is answered as it is.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/revoke", tag = "admin", operation_id = "revoke_invitation",
    params(("id" = Uuid, Path, description = "invitation id")),
    responses((status = 200, body = InvitationView), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn revoke(
    State(s): State<HttpState>,
    AdminAuth(actor): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<InvitationView>> {
    let id = id.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such invitation."))?;
    Ok(Json(invitations::revoke(&s.app, &actor.admin()?, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationToken {
    /// The secret after `#` in the link.
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
}

/// What an invitation's page shows (no session: the link's secret is the proof); `404` for a
/// link used, revoked or expired.
#[utoipa::path(post, path = "/api/v1/invitations/preview", tag = "console", operation_id = "preview_invitation",
    request_body = InvitationToken,
    responses((status = 200, body = InvitationPreview), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 429, body = ApiErrorBody)))]
pub async fn preview(
    State(s): State<HttpState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<InvitationToken>,
) -> ApiResult<Json<InvitationPreview>> {
    Ok(Json(invitations::preview(&s.app, &req.token, ip.as_deref()).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
    /// 8–256 characters.
    #[schema(value_type = wire::Password)]
    pub password: String,
    /// The name he prefers (else the one the admin wrote).
    #[schema(value_type = Option<wire::Name>)]
    pub display_name: Option<String>,
}

/// Accepts an invitation: his account is made and he is signed in (`201`, the session cookie).
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "console", operation_id = "accept_invitation",
    request_body = AcceptRequest,
    responses((status = 201, body = crate::console::MeResponse), (status = 400, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 429, body = ApiErrorBody)))]
pub async fn accept(
    State(s): State<HttpState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    JsonBody(req): JsonBody<AcceptRequest>,
) -> ApiResult<Response> {
    let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    let done =
        invitations::accept(&s.app, &req.token, &req.password, req.display_name.as_deref(), ip.as_deref(), agent)
            .await?;
    crate::console::signed_in(&s, done, StatusCode::CREATED).await
}
