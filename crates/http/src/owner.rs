//! The install owner's API (`/api/v1/owner/…`): the workspaces of the install, as `frontline
//! workspace …` manages them from the command line, for the owner's scripts. It takes
//! `Authorization: Bearer <owner_token>` and is off (404) while no owner token is configured.

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::JsonBody;
use crate::state::HttpState;
use crate::wire;
use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use frontline_core::workspaces;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A call with the owner's token.
pub struct OwnerAuth;

impl FromRequestParts<HttpState> for OwnerAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Self, ApiError> {
        let Some(expected) = state.config.owner_token.as_deref() else {
            return Err(ApiError::new(ErrorCode::NotFound, "The owner's API is off: no owner token is configured."));
        };
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if frontline_core::tokens::constant_time_eq(given.trim().as_bytes(), expected.as_bytes()) {
            Ok(Self)
        } else {
            Err(frontline_core::CoreError::Unauthenticated.into())
        }
    }
}

/// A workspace as the owner sees it.
#[derive(Serialize, ToSchema)]
pub struct OwnerWorkspace {
    pub id: uuid::Uuid,
    pub slug: String,
    pub name: String,
    pub suspended_at: Option<String>,
    pub operators: usize,
}

#[derive(Serialize, ToSchema)]
pub struct OwnerWorkspaceList {
    pub items: Vec<OwnerWorkspace>,
}

fn view(
    w: &frontline_domain::Workspace,
    suspended_at: Option<frontline_domain::Timestamp>,
    operators: usize,
) -> OwnerWorkspace {
    OwnerWorkspace {
        id: w.id.0,
        slug: w.slug.as_str().to_owned(),
        name: w.name.clone(),
        suspended_at: suspended_at.map(frontline_core::views::rfc3339),
        operators,
    }
}

/// A slug in the path that cannot be one names no workspace: `404`, like an unknown one.
fn path_slug(slug: &str) -> ApiResult<&str> {
    frontline_domain::WorkspaceSlug::parse(slug)
        .map(|_| slug)
        .map_err(|_| ApiError::new(ErrorCode::NotFound, "No such workspace."))
}

async fn one(s: &HttpState, slug: &str) -> ApiResult<OwnerWorkspace> {
    let l = workspaces::get(&s.app, slug).await?;
    Ok(view(&l.workspace, l.suspended_at, l.operators))
}

/// The install's workspaces.
#[utoipa::path(get, path = "/api/v1/owner/workspaces", tag = "owner", security(("owner_token" = [])), operation_id = "owner_list_workspaces",
    responses((status = 200, body = OwnerWorkspaceList), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list(State(s): State<HttpState>, _: OwnerAuth) -> ApiResult<Json<OwnerWorkspaceList>> {
    let items =
        workspaces::list(&s.app).await?.iter().map(|l| view(&l.workspace, l.suspended_at, l.operators)).collect();
    Ok(Json(OwnerWorkspaceList { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkspaceRequest {
    /// 2–40 of a-z, 0-9 and -, as sign-in takes it.
    #[schema(value_type = wire::WorkspaceSlug)]
    pub slug: String,
    #[schema(value_type = wire::Name)]
    pub name: String,
    #[schema(value_type = wire::Email)]
    pub admin_email: String,
    #[schema(value_type = wire::Name)]
    pub admin_name: String,
    /// 8–256 characters; when absent, one is made and answered this once.
    #[schema(value_type = Option<wire::Password>)]
    pub admin_password: Option<String>,
}

/// A new workspace with its default channel, widget site and first admin.
#[derive(Serialize, ToSchema)]
pub struct CreatedWorkspace {
    pub workspace: OwnerWorkspace,
    /// The widget key of its site.
    pub site_key: String,
    pub admin_email: String,
    /// Shown this once.
    pub admin_password: String,
}

/// Makes a workspace (a slug taken is `409 name_taken`, and nothing is made).
#[utoipa::path(post, path = "/api/v1/owner/workspaces", tag = "owner", security(("owner_token" = [])), operation_id = "owner_create_workspace",
    request_body = NewWorkspaceRequest,
    responses((status = 201, body = CreatedWorkspace), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn create(
    State(s): State<HttpState>,
    _: OwnerAuth,
    JsonBody(req): JsonBody<NewWorkspaceRequest>,
) -> ApiResult<(StatusCode, Json<CreatedWorkspace>)> {
    let new = workspaces::NewWorkspace {
        slug: &req.slug,
        name: &req.name,
        admin_email: &req.admin_email,
        admin_name: &req.admin_name,
        admin_password: req.admin_password.as_deref(),
    };
    let c = workspaces::create(&s.app, &new).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedWorkspace {
            workspace: view(&c.workspace, None, 1),
            site_key: c.site_key,
            admin_email: c.admin_email,
            admin_password: c.admin_password,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameWorkspaceRequest {
    #[schema(value_type = wire::Name)]
    pub name: String,
}

#[utoipa::path(patch, path = "/api/v1/owner/workspaces/{slug}", tag = "owner", security(("owner_token" = [])), operation_id = "owner_rename_workspace",
    request_body = RenameWorkspaceRequest, params(("slug" = String, Path, description = "the workspace's slug")),
    responses((status = 200, body = OwnerWorkspace), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn rename(
    State(s): State<HttpState>,
    _: OwnerAuth,
    Path(slug): Path<String>,
    JsonBody(req): JsonBody<RenameWorkspaceRequest>,
) -> ApiResult<Json<OwnerWorkspace>> {
    workspaces::rename(&s.app, path_slug(&slug)?, &req.name).await?;
    Ok(Json(one(&s, &slug).await?))
}

/// Suspends a workspace at once: sign-in, the widget and the Web API are refused, and its
/// operators' open consoles are signed out (their sockets close).
#[utoipa::path(post, path = "/api/v1/owner/workspaces/{slug}/suspend", tag = "owner", security(("owner_token" = [])), operation_id = "owner_suspend_workspace",
    params(("slug" = String, Path, description = "the workspace's slug")),
    responses((status = 200, body = OwnerWorkspace), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn suspend(
    State(s): State<HttpState>,
    _: OwnerAuth,
    Path(slug): Path<String>,
) -> ApiResult<Json<OwnerWorkspace>> {
    // Operators' sockets check their sessions again, which a suspension ends (`suspend` tells them).
    workspaces::suspend(&s.app, path_slug(&slug)?).await?;
    Ok(Json(one(&s, &slug).await?))
}

#[utoipa::path(post, path = "/api/v1/owner/workspaces/{slug}/resume", tag = "owner", security(("owner_token" = [])), operation_id = "owner_resume_workspace",
    params(("slug" = String, Path, description = "the workspace's slug")),
    responses((status = 200, body = OwnerWorkspace), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn resume(
    State(s): State<HttpState>,
    _: OwnerAuth,
    Path(slug): Path<String>,
) -> ApiResult<Json<OwnerWorkspace>> {
    workspaces::resume(&s.app, path_slug(&slug)?).await?;
    Ok(Json(one(&s, &slug).await?))
}
