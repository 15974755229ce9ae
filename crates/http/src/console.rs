//! The console and admin REST API under `/api/v1`.

use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{AdminAuth, ClientIp, JsonBody, OperatorAuth, QueryParams, SESSION_COOKIE, cookie};
use crate::state::HttpState;
use crate::wire;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontline_core::auth::{self, LoginInput, NewOperatorInput};
use frontline_core::dialogs::{self, AssigneeQuery, ListQuery, StatusFilter};
use frontline_core::operators::ProfileView;
use frontline_core::views::{DialogView, MessageView, OperatorView, SiteView, WorkspaceView};
use frontline_domain::{DialogId, Timestamp};
use frontline_store::{DialogCursor, DialogPage, DialogSort};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(value_type = wire::Email)]
    pub email: String,
    pub password: String,
    /// The workspace's short name (2–40 characters: `a-z`, `0-9`, `-`), needed only when the
    /// e-mail exists in several; blank is none.
    #[serde(default)]
    #[schema(value_type = Option<wire::WorkspaceOrBlank>)]
    pub workspace: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub operator: OperatorView,
    pub workspace: WorkspaceView,
    /// What he set for himself: the console's language and his pinned saved replies.
    pub profile: ProfileView,
    /// What uploads may be (shown before a file is sent; the server checks again).
    pub upload_limits: frontline_core::files::UploadLimits,
}

fn session_cookie(token: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let v = format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Signs in and sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "console", request_body = LoginRequest,
    responses((status = 200, body = MeResponse), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub async fn login(
    State(s): State<HttpState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    JsonBody(req): JsonBody<LoginRequest>,
) -> ApiResult<Response> {
    let input = LoginInput {
        email: &req.email,
        password: &req.password,
        workspace: req.workspace.as_deref(),
        ip: ip.as_deref(),
        user_agent: headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()),
    };
    let done = auth::login(&s.app, input).await?;
    signed_in(&s, done, StatusCode::OK).await
}

/// The answer of a sign-in (a password, an accepted invitation): who he is, and the cookie.
pub(crate) async fn signed_in(s: &HttpState, done: auth::LoggedIn, status: StatusCode) -> ApiResult<Response> {
    let operator = frontline_core::reads::operator_view(&s.app, &done.operator).await?;
    let settings = s.app.store.operator_settings(done.workspace.id, done.operator.id).await;
    let profile = ProfileView::from(&settings.map_err(frontline_core::CoreError::from)?);
    let body = me_response(s, operator, &done.workspace, profile);
    let cookie = session_cookie(&done.token, s.app.config.session_ttl_ms / 1000, s.config.secure_cookies);
    Ok((status, [(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

/// Ends the session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "console", responses((status = 204)))]
pub async fn logout(State(s): State<HttpState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        auth::logout(&s.app, &token).await?;
    }
    let cookie = session_cookie("", 0, s.config.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/v1/me", tag = "console", responses((status = 200, body = MeResponse), (status = 401, body = ApiErrorBody)))]
pub async fn me(State(s): State<HttpState>, OperatorAuth(actor): OperatorAuth) -> ApiResult<Json<MeResponse>> {
    let ws = s.app.store.workspace(actor.workspace()).await.map_err(frontline_core::CoreError::from)?;
    let operator = frontline_core::reads::operator_view(&s.app, &actor.operator).await?;
    let profile = frontline_core::operators::profile(&s.app, &actor).await?;
    Ok(Json(me_response(&s, operator, &ws, profile)))
}

fn me_response(
    s: &HttpState,
    operator: OperatorView,
    workspace: &frontline_domain::Workspace,
    profile: ProfileView,
) -> MeResponse {
    MeResponse { operator, workspace: workspace.into(), profile, upload_limits: s.app.config.uploads.clone() }
}

/// A change of one's own profile: a field left out stays.
#[derive(Deserialize, ToSchema)]
pub struct MePatchRequest {
    /// The name visitors see: 1–80 characters once trimmed.
    #[schema(value_type = Option<wire::Name>)]
    pub display_name: Option<String>,
    /// The console's language; `null` goes back to the browser's.
    #[serde(default, deserialize_with = "crate::tools::present")]
    #[schema(value_type = Option<wire::ConsoleLanguage>, nullable)]
    pub language: Option<Option<String>>,
    /// The saved replies pinned to Ctrl+1 … Ctrl+9: exactly nine places, each a saved reply's id
    /// he may use, or `null`.
    #[schema(value_type = Option<Vec<Option<wire::Id>>>, min_items = 9, max_items = 9)]
    pub shortcuts: Option<Vec<Option<String>>>,
    /// Mail about dialogs given to him and notes that mention him while he is offline or away.
    pub notify_by_mail: Option<bool>,
}

/// Changes one's own name, console language or pinned saved replies. A bad field is named
/// (`shortcuts[3]` for a reply he may not use) and nothing changes.
#[utoipa::path(patch, path = "/api/v1/me", tag = "console", request_body = MePatchRequest,
    responses((status = 200, body = MeResponse), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub async fn update_me(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    JsonBody(req): JsonBody<MePatchRequest>,
) -> ApiResult<Json<MeResponse>> {
    let change = frontline_core::operators::ProfileChange {
        display_name: req.display_name.as_deref(),
        language: req.language.as_ref().map(|l| l.as_deref()),
        shortcuts: req.shortcuts.as_deref(),
        notify_by_mail: req.notify_by_mail,
    };
    let (operator, profile) = frontline_core::operators::update_profile(&s.app, &actor, change).await?;
    let ws = s.app.store.workspace(actor.workspace()).await.map_err(frontline_core::CoreError::from)?;
    Ok(Json(me_response(&s, operator, &ws, profile)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DialogListQuery {
    /// `open` (default), `snoozed`, `closed` or `all`.
    #[param(value_type = Option<StatusParam>)]
    pub status: Option<String>,
    /// `any` (default), `mine`, `mine_or_unassigned`, `unassigned`, or an operator's id.
    #[param(value_type = Option<wire::AssigneeFilter>)]
    pub assignee: Option<String>,
    /// `true`: only dialogs whose last message is the visitor's.
    pub unanswered: Option<bool>,
    /// Only this channel's dialogs.
    #[param(value_type = Option<wire::Id>)]
    pub channel: Option<String>,
    /// Only dialogs with this tag (an id).
    #[param(value_type = Option<wire::Id>)]
    pub tag: Option<String>,
    /// Only dialogs of visitors in this segment now (an id).
    #[param(value_type = Option<wire::Id>)]
    pub segment: Option<String>,
    /// Only dialogs whose custom field holds a value: `key:value` (`model:IPHONE 15`); the value
    /// is read as the field's kind (a text field's format applies).
    #[param(pattern = "^[a-z][a-z0-9_]{0,39}:.{1,500}$")]
    pub field: Option<String>,
    /// `waiting` (default: the longest-waiting visitor first), `activity` (newest first) or
    /// `due` (the nearest SLA due first).
    #[param(value_type = Option<SortParam>)]
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(value_type = Option<wire::DialogCursor>)]
    pub cursor: Option<String>,
}

/// Which dialogs a list shows (documentation of `status`).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum StatusParam {
    Open,
    Snoozed,
    Closed,
    All,
}

/// The order of a list (documentation of `sort`).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum SortParam {
    Waiting,
    Activity,
    Due,
    Tone,
}

#[derive(Serialize, ToSchema)]
pub struct DialogPageView {
    pub items: Vec<DialogView>,
    pub next_cursor: Option<String>,
}

pub(crate) fn limit(v: Option<u32>, default: u32, max: u32) -> ApiResult<u32> {
    match v {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::field("limit", format!("limit: must be 1–{max}"))),
    }
}

/// The cursor is `<waiting key>.<due key>.<updated_at ms>.<dialog id>` of the last row of the
/// previous page.
fn parse_cursor(c: &str) -> ApiResult<DialogCursor> {
    let bad = || ApiError::field("cursor", "cursor: not a cursor from this API");
    let mut parts = c.splitn(4, '.');
    let (Some(wait), Some(due), Some(at), Some(id)) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    Ok(DialogCursor {
        wait: wait.parse().map_err(|_| bad())?,
        due: due.parse().map_err(|_| bad())?,
        updated_at: Timestamp(at.parse().map_err(|_| bad())?),
        id: id.parse().map_err(|_| bad())?,
    })
}

fn list_query(q: &DialogListQuery) -> ApiResult<ListQuery> {
    Ok(ListQuery {
        status: Some(StatusFilter::parse(q.status.as_deref().unwrap_or("open"))?),
        assignee: q.assignee.as_deref().map(AssigneeQuery::parse).transpose()?.unwrap_or_default(),
        unanswered: q.unanswered.unwrap_or(false),
        channel: q
            .channel
            .as_deref()
            .map(|c| c.parse().map_err(|_| ApiError::field("channel", "channel: not a channel id")))
            .transpose()?,
        tag: q
            .tag
            .as_deref()
            .map(|t| t.parse().map_err(|_| ApiError::field("tag", "tag: not a tag id")))
            .transpose()?,
        segment: q
            .segment
            .as_deref()
            .map(|t| t.parse().map_err(|_| ApiError::field("segment", "segment: not a segment id")))
            .transpose()?,
        field: q.field.clone(),
        sort: match q.sort.as_deref() {
            None | Some("waiting") => DialogSort::Waiting,
            Some("activity") => DialogSort::Activity,
            Some("due") => DialogSort::Due,
            Some("tone") => DialogSort::Tone,
            Some(_) => return Err(ApiError::field("sort", "sort: must be waiting, activity, due or tone")),
        },
    })
}

/// Lists dialogs; the filters combine.
#[utoipa::path(get, path = "/api/v1/dialogs", tag = "console", params(DialogListQuery),
    responses((status = 200, body = DialogPageView), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn list_dialogs(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    QueryParams(q): QueryParams<DialogListQuery>,
) -> ApiResult<Json<DialogPageView>> {
    let query = list_query(&q)?;
    let limit = limit(q.limit, 50, 200)?;
    let after = q.cursor.as_deref().map(parse_cursor).transpose()?;
    let page = dialogs::list(&s.app, &actor, &query, DialogPage { after, limit }).await?;
    let next_cursor = page.next.map(|c| format!("{}.{}.{}.{}", c.wait, c.due, c.updated_at.0, c.id));
    Ok(Json(DialogPageView { items: page.items, next_cursor }))
}

pub(crate) fn dialog_id(raw: &str) -> ApiResult<DialogId> {
    raw.parse().map_err(|_| ApiError::new(crate::error::ErrorCode::DialogNotFound, "No such dialog."))
}

/// One dialog.
#[utoipa::path(get, path = "/api/v1/dialogs/{id}", tag = "console", params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = DialogView), (status = 404, body = ApiErrorBody)))]
pub async fn get_dialog(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<DialogView>> {
    Ok(Json(dialogs::get(&s.app, &actor, dialog_id(&id)?).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    /// Return messages with a greater `seq` (default 0: from the start).
    #[param(minimum = 0)]
    pub after_seq: Option<i64>,
    /// 1–500, default 100.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page (same as `after_seq`; it wins over it).
    #[param(value_type = Option<wire::SeqCursor>)]
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MessagePageView {
    pub items: Vec<MessageView>,
    pub next_cursor: Option<String>,
}

pub(crate) fn message_page(q: &MessagesQuery) -> ApiResult<(i64, u32)> {
    // Checked even when a cursor wins over it: a request is refused for any field out of range.
    if q.after_seq.is_some_and(|a| a < 0) {
        return Err(ApiError::field("after_seq", "after_seq: must not be negative"));
    }
    let after = match &q.cursor {
        Some(c) => c.parse::<i64>().map_err(|_| ApiError::field("cursor", "cursor: not a cursor from this API"))?,
        None => q.after_seq.unwrap_or(0),
    };
    if after < 0 {
        return Err(ApiError::field("after_seq", "after_seq: must not be negative"));
    }
    Ok((after, limit(q.limit, 100, 500)?))
}

pub(crate) fn page_of(msgs: &[frontline_domain::Message], limit: u32) -> MessagePageView {
    let items: Vec<MessageView> = msgs.iter().map(MessageView::from).collect();
    let next_cursor = if items.len() == limit as usize { items.last().map(|m| m.seq.to_string()) } else { None };
    MessagePageView { items, next_cursor }
}

/// Messages of a dialog in `seq` order.
#[utoipa::path(get, path = "/api/v1/dialogs/{id}/messages", tag = "console",
    params(("id" = Uuid, Path, description = "dialog id"), MessagesQuery),
    responses((status = 200, body = MessagePageView), (status = 404, body = ApiErrorBody)))]
pub async fn list_messages(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    QueryParams(q): QueryParams<MessagesQuery>,
) -> ApiResult<Json<MessagePageView>> {
    let (after, limit) = message_page(&q)?;
    let msgs = dialogs::messages(&s.app, &actor, dialog_id(&id)?, after, limit).await?;
    Ok(Json(page_of(&msgs, limit)))
}

/// The earlier texts of a message its author edited where he wrote it (Telegram), oldest
/// first; empty when it was never edited.
#[utoipa::path(get, path = "/api/v1/dialogs/{id}/messages/{message_id}/edits", tag = "console",
    params(("id" = Uuid, Path, description = "dialog id"), ("message_id" = Uuid, Path, description = "message id")),
    responses((status = 200, body = Vec<frontline_core::views::MessageEditView>), (status = 404, body = ApiErrorBody)))]
pub async fn message_edits(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path((id, message)): Path<(String, String)>,
) -> ApiResult<Json<Vec<frontline_core::views::MessageEditView>>> {
    let message = message.parse().map_err(|_| ApiError::new(crate::error::ErrorCode::NotFound, "No such message."))?;
    Ok(Json(dialogs::message_edits(&s.app, &actor, dialog_id(&id)?, message).await?))
}

/// The mail a message was made of (a message whose `client_id` starts with `mail-`), as it
/// came: headers and all, as plain text. `X-Frontline-Truncated: true` when only its start was
/// kept (it was over the upload limit).
#[utoipa::path(get, path = "/api/v1/dialogs/{id}/messages/{message_id}/mail", tag = "console",
    params(("id" = Uuid, Path, description = "dialog id"), ("message_id" = Uuid, Path, description = "message id")),
    responses((status = 200, content_type = "text/plain", body = String), (status = 404, body = ApiErrorBody)))]
pub async fn message_mail(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path((id, message)): Path<(String, String)>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let message = message.parse().map_err(|_| ApiError::new(crate::error::ErrorCode::NotFound, "No such message."))?;
    let (raw, truncated) = dialogs::message_mail(&s.app, &actor, dialog_id(&id)?, message).await?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        (axum::http::header::CACHE_CONTROL, "private, no-store"),
        (axum::http::HeaderName::from_static("x-frontline-truncated"), if truncated { "true" } else { "false" }),
    ];
    Ok((headers, raw).into_response())
}

/// An operator's send: text (1 to 4000 characters, `message_limit`), files, or both.
#[derive(Deserialize, ToSchema)]
pub struct SendRequest {
    /// Your id for this send (1–64 printable ASCII characters): a retry with the same id is not
    /// stored twice.
    #[schema(value_type = wire::ClientId)]
    pub client_id: String,
    /// Not blank once trimmed, unless the send carries files; at most 4000 characters as sent.
    #[serde(default)]
    #[schema(value_type = wire::MessageTextOrBlank)]
    pub body: String,
    /// An internal note: seen by operators only, never by the visitor; `@Имя` mentions notify.
    #[serde(default)]
    pub internal: bool,
    /// Upload ids (`POST /api/v1/uploads`), at most 5 (`upload_max_files`); `body` may then be
    /// blank. An id that is not the caller's unsent upload is `404`.
    #[serde(default)]
    #[schema(value_type = wire::AttachmentIds)]
    pub attachments: Vec<frontline_domain::AttachmentId>,
    /// Why the operator sends past a quality-guard block that allows an override (1–500
    /// characters once trimmed). A block without it, or one that allows none, is
    /// `422 guard_blocked` naming the rule.
    #[serde(default)]
    #[schema(value_type = Option<wire::OverrideReason>)]
    pub guard_override: Option<String>,
}

/// A guard override's reason: 1–500 characters once trimmed.
pub fn check_override(reason: Option<&str>) -> Result<(), ApiError> {
    match reason {
        Some(r) if r.trim().is_empty() || r.trim().chars().count() > 500 => {
            Err(ApiError::field("guard_override", "guard_override: 1 to 500 characters"))
        }
        _ => Ok(()),
    }
}

/// Replies in a dialog. `201` when stored, `200` when this `client_id` was stored before.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/messages", tag = "console", request_body = SendRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 201, body = MessageView), (status = 200, body = MessageView), (status = 400, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 413, body = ApiErrorBody)))]
pub async fn send_message(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SendRequest>,
) -> ApiResult<Response> {
    check_override(req.guard_override.as_deref())?;
    let compose = dialogs::Compose {
        client_id: &req.client_id,
        body: &req.body,
        internal: req.internal,
        attachments: &req.attachments,
        guard_override: req.guard_override.as_deref(),
    };
    let posted = dialogs::write(&s.app, &actor, dialog_id(&id)?, &compose).await?;
    let status = if posted.duplicate { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(MessageView::from(&posted.message))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct ReadRequest {
    /// The newest `seq` the operator has seen.
    #[schema(minimum = 0)]
    pub seq: i64,
}

/// Marks the dialog read up to `seq`.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/read", tag = "console", request_body = ReadRequest,
    params(("id" = Uuid, Path, description = "dialog id")), responses((status = 204), (status = 404, body = ApiErrorBody)))]
pub async fn mark_read(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ReadRequest>,
) -> ApiResult<StatusCode> {
    dialogs::mark_read(&s.app, &actor, dialog_id(&id)?, req.seq).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes a dialog (closing a closed one changes nothing).
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/close", tag = "console",
    params(("id" = Uuid, Path, description = "dialog id")), responses((status = 200, body = DialogView), (status = 404, body = ApiErrorBody),
        (status = 409, description = "The channel requires a category and the dialog has none (`category_required`), or custom fields its channel or category requires are empty (`fields_required`).", body = ApiErrorBody)))]
pub async fn close_dialog(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<DialogView>> {
    Ok(Json(dialogs::close(&s.app, &actor, dialog_id(&id)?).await?))
}

#[derive(Serialize, ToSchema)]
pub struct OperatorList {
    pub items: Vec<OperatorView>,
}

/// Operators of the workspace.
#[utoipa::path(get, path = "/api/v1/operators", tag = "admin", responses((status = 200, body = OperatorList)))]
pub async fn list_operators(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
) -> ApiResult<Json<OperatorList>> {
    let ws = actor.workspace();
    let ops = s.app.store.list_operators(ws).await.map_err(frontline_core::CoreError::from)?;
    Ok(Json(OperatorList { items: frontline_core::reads::operator_views(&s.app, ws, &ops).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewOperatorRequest {
    #[schema(value_type = wire::Email)]
    pub email: String,
    /// 1–80 characters once trimmed.
    #[schema(value_type = wire::Name)]
    pub display_name: String,
    /// 8–256 characters.
    #[schema(value_type = wire::Password)]
    pub password: String,
    /// `admin`, `supervisor` or `operator`.
    #[schema(value_type = wire::Role)]
    pub role: String,
}

/// Adds an operator (admins only).
#[utoipa::path(post, path = "/api/v1/operators", tag = "admin", request_body = NewOperatorRequest,
    responses((status = 201, body = OperatorView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn create_operator(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<NewOperatorRequest>,
) -> ApiResult<(StatusCode, Json<OperatorView>)> {
    let op = auth::create_operator(
        &s.app,
        &admin.admin()?,
        NewOperatorInput {
            email: &req.email,
            display_name: &req.display_name,
            password: &req.password,
            role: &req.role,
        },
        ip.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(frontline_core::reads::operator_view(&s.app, &op).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct SiteList {
    pub items: Vec<SiteView>,
}

/// Sites (widget keys) of the workspace, with when each widget was last seen.
#[utoipa::path(get, path = "/api/v1/sites", tag = "admin", responses((status = 200, body = SiteList)))]
pub async fn list_sites(State(s): State<HttpState>, OperatorAuth(actor): OperatorAuth) -> ApiResult<Json<SiteList>> {
    Ok(Json(SiteList { items: frontline_core::sites::list(&s.app, &actor).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct SitePatchRequest {
    /// The origins the widget may run on, like `https://shop.example.com` (scheme, host and a
    /// port other than the default; no path): 1–50, duplicates kept once.
    #[schema(min_items = 1, max_items = 50, value_type = Vec<wire::SiteOrigin>)]
    pub allowed_origins: Vec<String>,
}

/// Changes where a site's widget may run (admins). A bad origin is named by its place
/// (`allowed_origins[1]`) and nothing changes.
#[utoipa::path(patch, path = "/api/v1/sites/{id}", tag = "admin", request_body = SitePatchRequest,
    params(("id" = Uuid, Path, description = "site id")),
    responses((status = 200, body = SiteView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn update_site(
    State(s): State<HttpState>,
    AdminAuth(admin): AdminAuth,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SitePatchRequest>,
) -> ApiResult<Json<SiteView>> {
    let id: frontline_domain::SiteId = id
        .parse::<uuid::Uuid>()
        .map(frontline_domain::SiteId)
        .map_err(|_| ApiError::new(crate::error::ErrorCode::NotFound, "No such site."))?;
    Ok(Json(
        frontline_core::sites::set_origins(&s.app, &admin.admin()?, id, &req.allowed_origins, ip.as_deref()).await?,
    ))
}
