//! An operator's life after creation: deactivate, reactivate, role, password reset (admins);
//! his own password and sessions; the audit log (admins).

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, ClientIp, JsonBody, OperatorAuth, QueryParams, SESSION_COOKIE, cookie};
use crate::state::HttpState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use frontline_core::operators::{self, AuditView, SessionView};
use frontline_core::views::{OperatorView, parse_rfc3339};
use frontline_domain::{OperatorId, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn operator_id(raw: &str) -> ApiResult<OperatorId> {
    raw.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such operator."))
}

/// Deactivates an operator: his sessions end, his sockets close, his open dialogs follow each
/// channel's offline policy; his history stays. An admin cannot deactivate himself.
#[utoipa::path(post, path = "/api/v1/operators/{id}/deactivate", tag = "admin",
    params(("id" = Uuid, Path, description = "operator id")),
    responses((status = 200, body = OperatorView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn deactivate(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> ApiResult<Json<OperatorView>> {
    Ok(Json(operators::deactivate(&s.app, &admin.admin()?, operator_id(&id)?, ip.as_deref()).await?))
}

/// Lets a deactivated operator sign in again.
#[utoipa::path(post, path = "/api/v1/operators/{id}/reactivate", tag = "admin",
    params(("id" = Uuid, Path, description = "operator id")),
    responses((status = 200, body = OperatorView), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn reactivate(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> ApiResult<Json<OperatorView>> {
    Ok(Json(operators::reactivate(&s.app, &admin.admin()?, operator_id(&id)?, ip.as_deref()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct RoleRequest {
    /// `admin`, `supervisor` or `operator`.
    #[schema(value_type = crate::wire::Role)]
    pub role: String,
}

/// Changes an operator's role; his open consoles follow at once. Not one's own.
#[utoipa::path(put, path = "/api/v1/operators/{id}/role", tag = "admin", request_body = RoleRequest,
    params(("id" = Uuid, Path, description = "operator id")),
    responses((status = 200, body = OperatorView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn set_role(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<RoleRequest>,
) -> ApiResult<Json<OperatorView>> {
    Ok(Json(operators::set_role(&s.app, &admin.admin()?, operator_id(&id)?, &req.role, ip.as_deref()).await?))
}

#[derive(Serialize, ToSchema)]
pub struct PasswordResetView {
    pub operator: OperatorView,
    /// The new password, shown this once: pass it on to him; he changes it after signing in.
    pub password: String,
}

/// Gives an operator a new random password (shown once); his sessions end.
#[utoipa::path(post, path = "/api/v1/operators/{id}/password-reset", tag = "admin",
    params(("id" = Uuid, Path, description = "operator id")),
    responses((status = 200, body = PasswordResetView), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn reset_password(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> ApiResult<Json<PasswordResetView>> {
    let done = operators::reset_password(&s.app, &admin.admin()?, operator_id(&id)?, ip.as_deref()).await?;
    Ok(Json(PasswordResetView { operator: done.operator, password: done.password }))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChangeRequest {
    pub current_password: String,
    /// 8–256 characters.
    #[schema(value_type = crate::wire::Password)]
    pub new_password: String,
}

fn token(headers: &HeaderMap) -> String {
    cookie(headers, SESSION_COOKIE).unwrap_or_default()
}

/// The operator changes his own password; his other sessions end.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "console", request_body = PasswordChangeRequest,
    responses((status = 204), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub async fn change_password(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    JsonBody(req): JsonBody<PasswordChangeRequest>,
) -> ApiResult<StatusCode> {
    operators::change_password(
        &s.app,
        &actor,
        &token(&headers),
        &req.current_password,
        &req.new_password,
        ip.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct SessionList {
    pub items: Vec<SessionView>,
}

/// His live sessions (this one marked `current`).
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "console",
    responses((status = 200, body = SessionList), (status = 401, body = ApiErrorBody)))]
pub async fn list_sessions(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    headers: HeaderMap,
) -> ApiResult<Json<SessionList>> {
    Ok(Json(SessionList { items: operators::sessions(&s.app, &actor, &token(&headers)).await? }))
}

/// Ends one of his sessions; its consoles are signed out at once.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "console",
    params(("id" = String, Path, description = "session id from the list")),
    responses((status = 204), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn end_session(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    operators::end_session(&s.app, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct EndedSessions {
    pub ended: u32,
}

/// Ends all his sessions but this one.
#[utoipa::path(post, path = "/api/v1/me/sessions/end-others", tag = "console",
    responses((status = 200, body = EndedSessions), (status = 401, body = ApiErrorBody)))]
pub async fn end_other_sessions(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    headers: HeaderMap,
) -> ApiResult<Json<EndedSessions>> {
    Ok(Json(EndedSessions { ended: operators::end_other_sessions(&s.app, &actor, &token(&headers)).await? }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<crate::wire::AuditCursor>)]
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditView>,
    pub next_cursor: Option<String>,
}

/// The workspace's audit log, newest first: admin actions and failed sign-ins (who, what,
/// when, from where; never a secret).
#[utoipa::path(get, path = "/api/v1/audit-log", tag = "admin", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn audit_log(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    QueryParams(q): QueryParams<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    let limit = crate::console::limit(q.limit, 50, 200)?;
    let before = match q.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => {
            let bad = || ApiError::field("cursor", "cursor: not a cursor from this API");
            let (at, id) = c.split_once('.').ok_or_else(bad)?;
            Some((Timestamp(at.parse().map_err(|_| bad())?), id.parse().map_err(|_| bad())?))
        }
    };
    let items = operators::audit_log(&s.app, &admin.admin()?, before, limit).await?;
    let next_cursor = (items.len() == limit as usize)
        .then(|| items.last().and_then(|e| Some(format!("{}.{}", parse_rfc3339(&e.at)?.0, e.id))))
        .flatten();
    Ok(Json(AuditPage { items, next_cursor }))
}
