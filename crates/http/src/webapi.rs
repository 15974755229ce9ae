//! The Web API for a site's backend (`/api/v1/web`, a secret key in `Authorization: Bearer`),
//! the admins' keys (`/api/v1/api-keys`), and the visitor tags operators edit on the card.
//! docs/api.md describes the calls with examples.

use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{AdminAuth, ClientIp, JsonBody, OperatorAuth};
use crate::state::HttpState;
use crate::wire;
use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use frontline_core::identity::{self, IdentityView};
use frontline_core::leads::{self, ApiKeyCreated, ApiKeyView, KeyActor, WebVisitorView};
use frontline_core::profile::ProfilePatch;
use frontline_domain::leads::Value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A call of the Web API: the key in `Authorization: Bearer`, counted against its rate.
pub struct KeyAuth(pub KeyActor);

impl FromRequestParts<HttpState> for KeyAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Self, ApiError> {
        let secret = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::new(ErrorCode::Unauthenticated, "Send an API key as `Authorization: Bearer <key>`.")
            })?;
        match leads::authenticate(&state.app, secret, 1).await {
            Ok(actor) => Ok(Self(actor)),
            Err(frontline_core::CoreError::Unauthenticated) => {
                Err(ApiError::new(ErrorCode::Unauthenticated, "Unknown or revoked API key."))
            }
            Err(e) => Err(e.into()),
        }
    }
}

// Admins' keys.

/// A new key's name and what it may do.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyRequest {
    #[schema(value_type = wire::Name)]
    pub name: String,
    /// At least one, each once.
    #[schema(value_type = wire::ApiScopes)]
    pub scopes: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeyList {
    pub items: Vec<ApiKeyView>,
}

fn key_id(id: &str) -> ApiResult<uuid::Uuid> {
    id.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such API key."))
}

/// The workspace's Web API keys, revoked ones too, newest first (never their secrets).
#[utoipa::path(get, path = "/api/v1/api-keys", tag = "admin",
    responses((status = 200, body = ApiKeyList), (status = 403, body = ApiErrorBody)))]
pub async fn list_keys(State(s): State<HttpState>, AdminAuth(admin): AdminAuth) -> ApiResult<Json<ApiKeyList>> {
    Ok(Json(ApiKeyList { items: leads::keys(&s.app, &admin.admin()?).await? }))
}

/// Makes a key: its secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/api-keys", tag = "admin", request_body = ApiKeyRequest,
    responses((status = 201, body = ApiKeyCreated), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)))]
pub async fn create_key(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<ApiKeyRequest>,
) -> ApiResult<(StatusCode, Json<ApiKeyCreated>)> {
    let created = leads::create_key(&s.app, &admin.admin()?, &req.name, &req.scopes, ip.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revokes a key at once (it stays listed, revoked); revoking it again changes nothing.
#[utoipa::path(delete, path = "/api/v1/api-keys/{id}", tag = "admin",
    params(("id" = Uuid, Path, description = "key id")),
    responses((status = 200, body = ApiKeyView), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn revoke_key(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> ApiResult<Json<ApiKeyView>> {
    Ok(Json(leads::revoke_key(&s.app, &admin.admin()?, key_id(&id)?, ip.as_deref()).await?))
}

/// A site's identity verification: a new secret, whether a hash is required.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityRequest {
    /// An identify without a valid hash is refused.
    pub required: Option<bool>,
    /// Make a new secret: hashes made with the old one stop working at once.
    #[serde(default)]
    pub rotate: bool,
}

fn site_id(id: &str) -> ApiResult<frontline_domain::SiteId> {
    id.parse().map(frontline_domain::SiteId).map_err(|_| ApiError::new(ErrorCode::NotFound, "No such site."))
}

/// The site's identity secret (made on first asking) and whether identify needs its hash.
#[utoipa::path(get, path = "/api/v1/sites/{id}/identity", tag = "admin",
    params(("id" = Uuid, Path, description = "site id")),
    responses((status = 200, body = IdentityView), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get_identity(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<IdentityView>> {
    Ok(Json(identity::settings(&s.app, &admin.admin()?, site_id(&id)?).await?))
}

/// Requires the hash or not, and makes a new secret.
#[utoipa::path(put, path = "/api/v1/sites/{id}/identity", tag = "admin", request_body = IdentityRequest,
    params(("id" = Uuid, Path, description = "site id")),
    responses((status = 200, body = IdentityView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn put_identity(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<IdentityRequest>,
) -> ApiResult<Json<IdentityView>> {
    Ok(Json(identity::update(&s.app, &admin.admin()?, site_id(&id)?, req.required, req.rotate).await?))
}

// The Web API.

/// A site's user as its backend describes him: a field left out stays; `null` (or blank)
/// clears a name or contact.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserRequest {
    #[serde(default, deserialize_with = "crate::tools::present")]
    #[schema(value_type = Option<wire::NameOrBlank>)]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::tools::present")]
    #[schema(value_type = Option<wire::EmailOrBlank>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::tools::present")]
    #[schema(value_type = Option<wire::PhoneOrBlank>)]
    pub phone: Option<Option<String>>,
    /// Merged into what he has: `null` removes one.
    #[serde(default)]
    #[schema(value_type = Option<wire::AttributesPatch>)]
    pub attributes: Option<BTreeMap<String, Option<Value>>>,
}

/// Creates the site's user `user_id` or updates him: 201 when he was new.
#[utoipa::path(put, path = "/api/v1/web/users/{user_id}", tag = "web", request_body = UserRequest,
    params(("user_id" = wire::UserId, Path, description = "the site's own id of the user")),
    security(("api_key" = [])),
    responses((status = 200, body = WebVisitorView), (status = 201, body = WebVisitorView), (status = 400, body = ApiErrorBody),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 429, body = ApiErrorBody)))]
pub async fn put_user(
    State(s): State<HttpState>,
    KeyAuth(key): KeyAuth,
    Path(user_id): Path<String>,
    JsonBody(req): JsonBody<UserRequest>,
) -> ApiResult<(StatusCode, Json<WebVisitorView>)> {
    let patch = leads::UserPatch {
        profile: ProfilePatch {
            name: req.name.as_ref().map(|v| v.as_deref()),
            email: req.email.as_ref().map(|v| v.as_deref()),
            phone: req.phone.as_ref().map(|v| v.as_deref()),
        },
        attributes: req.attributes.unwrap_or_default(),
    };
    let (created, view) = leads::upsert_user(&s.app, &key, &user_id, &patch).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(view)))
}

/// The site's user `user_id`: attributes, tags, events counted per name, dialogs.
#[utoipa::path(get, path = "/api/v1/web/users/{user_id}", tag = "web",
    params(("user_id" = wire::UserId, Path, description = "the site's own id of the user")),
    security(("api_key" = [])),
    responses((status = 200, body = WebVisitorView), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 429, body = ApiErrorBody)))]
pub async fn get_user(
    State(s): State<HttpState>,
    KeyAuth(key): KeyAuth,
    Path(user_id): Path<String>,
) -> ApiResult<Json<WebVisitorView>> {
    Ok(Json(leads::read_user(&s.app, &key, &user_id).await?))
}

/// One event the user did.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventItem {
    #[schema(value_type = wire::EventName)]
    pub name: String,
    #[serde(default)]
    #[schema(value_type = Option<wire::EventProperties>)]
    pub properties: Option<BTreeMap<String, Value>>,
    /// The site's id of this event: sent again (a retry), it is not counted twice.
    #[schema(value_type = Option<wire::EventName>)]
    pub id: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackRequest {
    /// 1–100 events, kept in this order.
    #[schema(min_items = 1, max_items = 100)]
    pub events: Vec<EventItem>,
}

impl TrackRequest {
    pub fn events(&self) -> Vec<leads::NewEvent<'_>> {
        self.events
            .iter()
            .map(|e| leads::NewEvent {
                name: &e.name,
                properties: e.properties.clone().unwrap_or_default(),
                id: e.id.as_deref(),
            })
            .collect()
    }
}

#[derive(Serialize, ToSchema)]
pub struct TrackResult {
    /// Per event: counted now (`false`: its `id` was counted before).
    pub counted: Vec<bool>,
}

/// Tracks events the user did (a user not known yet is made). Each event counts against the
/// key's rate.
#[utoipa::path(post, path = "/api/v1/web/users/{user_id}/events", tag = "web", request_body = TrackRequest,
    params(("user_id" = wire::UserId, Path, description = "the site's own id of the user")),
    security(("api_key" = [])),
    responses((status = 200, body = TrackResult), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 429, body = ApiErrorBody)))]
pub async fn track(
    State(s): State<HttpState>,
    KeyAuth(key): KeyAuth,
    Path(user_id): Path<String>,
    JsonBody(req): JsonBody<TrackRequest>,
) -> ApiResult<Json<TrackResult>> {
    if req.events.len() > 1 {
        let extra = req.events.len().min(leads::MAX_BATCH) as u64 - 1;
        s.app.limit(frontline_core::limits::Limit::WebApi, &key.key.id.to_string(), extra)?;
    }
    Ok(Json(TrackResult { counted: leads::track(&s.app, &key, &user_id, &req.events()).await? }))
}

/// Tags to add and remove (a tag in both is removed).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagsChange {
    #[serde(default)]
    #[schema(value_type = Vec<wire::VisitorTag>, max_items = 50)]
    pub add: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Vec<wire::VisitorTag>, max_items = 50)]
    pub remove: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VisitorTags {
    /// All his tags after the change, sorted.
    pub tags: Vec<String>,
}

/// Adds and removes the user's tags (a user not known yet is made).
#[utoipa::path(post, path = "/api/v1/web/users/{user_id}/tags", tag = "web", request_body = TagsChange,
    params(("user_id" = wire::UserId, Path, description = "the site's own id of the user")),
    security(("api_key" = [])),
    responses((status = 200, body = VisitorTags), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 429, body = ApiErrorBody)))]
pub async fn tag_user(
    State(s): State<HttpState>,
    KeyAuth(key): KeyAuth,
    Path(user_id): Path<String>,
    JsonBody(req): JsonBody<TagsChange>,
) -> ApiResult<Json<VisitorTags>> {
    Ok(Json(VisitorTags { tags: leads::tag_user(&s.app, &key, &user_id, &req.add, &req.remove).await? }))
}

/// Adds and removes tags of the dialog's visitor (visitor tags, unrelated to dialog tags).
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/visitor/tags", tag = "console", request_body = TagsChange,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = VisitorTags), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn tag_visitor(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<TagsChange>,
) -> ApiResult<Json<VisitorTags>> {
    let dialog = crate::console::dialog_id(&id)?;
    Ok(Json(VisitorTags { tags: leads::tag_visitor_of(&s.app, &actor, dialog, &req.add, &req.remove).await? }))
}
