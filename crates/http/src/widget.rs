//! The widget's public API under `/widget/v1`: a site key opens a session, the visitor token
//! authenticates everything after.

use crate::console::{MessagePageView, MessagesQuery, message_page, page_of};
use crate::error::{ApiError, ApiErrorBody, ApiResult};
use crate::extract::{ClientIp, JsonBody, QueryParams, WidgetAuth, origin_header, widget_own_origin};
use crate::state::HttpState;
use crate::tools::ProfileRequest;
use crate::wire;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use frontline_core::views::{MessageView, VisitorView, WidgetDialogView};
use frontline_core::widget::{self, WidgetOrigin};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct SessionRequest {
    /// The site's widget key (the `data-key` of the script tag; an unknown one is `403`).
    #[schema(value_type = wire::SiteKey)]
    pub key: String,
    /// The token from an earlier session, to come back as the same visitor.
    #[serde(default)]
    pub token: Option<String>,
    /// The embedding page's origin as the loader saw it (one the site does not allow is `403`).
    #[serde(default)]
    pub origin: Option<String>,
    /// The page the visitor is on: at most 2000 characters once trimmed.
    #[serde(default)]
    #[schema(value_type = Option<wire::PageUrl>)]
    pub page_url: Option<String>,
    /// Its title (the visitor card lists the pages he opened; the first 300 characters are kept).
    #[serde(default)]
    pub page_title: Option<String>,
    /// The browser's language (`navigator.language`): at most 35 characters once trimmed.
    #[serde(default)]
    #[schema(value_type = Option<wire::LanguageTag>)]
    pub language: Option<String>,
    /// What the site tells about the visitor, e.g. `{"city": "Москва"}`: at most 50, names of
    /// 1–100 characters once trimmed, values of at most 500.
    #[serde(default)]
    #[schema(value_type = wire::VisitorProperties)]
    pub properties: std::collections::BTreeMap<String, String>,
    /// The site's own id of the user signed in on the page (`identify`): he is that user in
    /// every browser, with his history. A site may require `user_hash`.
    #[serde(default)]
    #[schema(value_type = Option<wire::UserId>)]
    pub user_id: Option<String>,
    /// Lowercase hex HMAC-SHA256 of `user_id` under the site's identity secret, computed by the
    /// site's backend; a wrong one is `403 identity_refused`.
    #[serde(default)]
    #[schema(max_length = 128)]
    pub user_hash: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SiteInfo {
    pub name: String,
    pub workspace_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    /// Keep it and send it as `Authorization: Bearer …` and `?token=` on the socket.
    pub token: String,
    pub visitor: VisitorView,
    pub dialog: Option<WidgetDialogView>,
    pub site: SiteInfo,
    /// What uploads may be.
    pub upload_limits: frontline_core::files::UploadLimits,
    /// Whether someone answers now (offline mode).
    pub availability: frontline_core::automation::Availability,
    /// Since his visit began, across pages.
    pub time_on_site_seconds: i64,
    /// Proactive messages the widget may show (see `POST /widget/v1/triggers/{id}/shown`).
    pub triggers: Vec<frontline_core::triggers::WidgetTrigger>,
}

/// Opens the widget: the same visitor for a known token, else a new one.
#[utoipa::path(post, path = "/widget/v1/session", tag = "widget", request_body = SessionRequest,
    responses((status = 200, body = SessionResponse), (status = 403, body = ApiErrorBody)))]
pub async fn open_session(
    State(s): State<HttpState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    JsonBody(req): JsonBody<SessionRequest>,
) -> ApiResult<Json<SessionResponse>> {
    let own = widget_own_origin(&headers, &s.config);
    let origin = WidgetOrigin { header: origin_header(&headers), own: own.as_deref(), page: req.origin.as_deref() };
    let page = widget::PageContext {
        page_url: req.page_url,
        page_title: req.page_title,
        language: req.language,
        properties: req.properties,
        user_id: req.user_id,
        user_hash: req.user_hash,
    };
    let session = widget::open_session(&s.app, &req.key, req.token.as_deref(), &origin, page, ip.as_deref()).await?;
    Ok(Json(SessionResponse {
        token: session.token,
        visitor: (&session.visitor).into(),
        dialog: session.dialog.as_ref().map(WidgetDialogView::from),
        site: SiteInfo { name: session.site.name, workspace_name: session.workspace_name },
        upload_limits: s.app.config.uploads.clone(),
        availability: session.availability,
        time_on_site_seconds: session.time_on_site_seconds,
        triggers: session.triggers,
    }))
}

/// A visitor's send: text (1 to 4000 characters, `message_limit`), files, or both.
#[derive(Deserialize, ToSchema)]
pub struct WidgetSendRequest {
    /// His id for this send (1–64 printable ASCII characters): a retry with the same id is not
    /// stored twice.
    #[schema(value_type = wire::ClientId)]
    pub client_id: String,
    /// Not blank once trimmed, unless the send carries files; at most 4000 characters as sent.
    #[serde(default)]
    #[schema(value_type = wire::MessageTextOrBlank)]
    pub body: String,
    /// Visitors cannot write notes: only `false` is accepted.
    #[serde(default)]
    #[schema(value_type = wire::AlwaysFalse)]
    pub internal: bool,
    /// Upload ids (`POST /widget/v1/uploads`), at most 5 (`upload_max_files`); `body` may then
    /// be blank. An id that is not his unsent upload is `404`.
    #[serde(default)]
    #[schema(value_type = wire::AttachmentIds)]
    pub attachments: Vec<frontline_domain::AttachmentId>,
    /// The proactive message he answers (his new dialog starts with it); one he was not shown
    /// is ignored.
    #[serde(default)]
    #[schema(value_type = Option<wire::Id>)]
    pub trigger_id: Option<uuid::Uuid>,
}

/// Messages of the visitor's current dialog.
#[utoipa::path(get, path = "/widget/v1/messages", tag = "widget", operation_id = "widget_list_messages", params(MessagesQuery),
    responses((status = 200, body = MessagePageView), (status = 401, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn list_messages(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    QueryParams(q): QueryParams<MessagesQuery>,
) -> ApiResult<Json<MessagePageView>> {
    let (after, limit) = message_page(&q)?;
    let (_, msgs) = widget::history(&s.app, &actor, after, limit).await?;
    Ok(Json(page_of(&msgs, limit)))
}

/// The visitor writes. `201` when stored, `200` when this `client_id` was stored before.
#[utoipa::path(post, path = "/widget/v1/messages", tag = "widget", operation_id = "widget_send_message", request_body = WidgetSendRequest,
    responses((status = 201, body = MessageView), (status = 200, body = MessageView), (status = 400, body = ApiErrorBody),
        (status = 404, description = "An id of `attachments` is not his unsent upload.", body = ApiErrorBody),
        (status = 413, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn send_message(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    JsonBody(req): JsonBody<WidgetSendRequest>,
) -> ApiResult<Response> {
    if req.internal {
        return Err(ApiError::field("internal", "internal: visitors cannot write notes"));
    }
    let posted = widget::post_with(&s.app, &actor, &req.client_id, &req.body, &req.attachments, req.trigger_id).await?;
    let status = if posted.duplicate { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(MessageView::from(&posted.message))).into_response())
}

/// The visitor gives his name, e-mail or phone.
#[utoipa::path(patch, path = "/widget/v1/visitor", tag = "widget", request_body = ProfileRequest,
    responses((status = 200, body = VisitorView), (status = 400, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn update_visitor(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    JsonBody(req): JsonBody<ProfileRequest>,
) -> ApiResult<Json<VisitorView>> {
    let v = widget::set_profile(&s.app, &actor, &req.patch()).await?;
    Ok(Json(VisitorView::from(&v)))
}

/// Attributes the page sets for its visitor (the widget's `setAttributes`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WidgetAttributesRequest {
    /// Merged into what he has: `null` removes one.
    #[schema(value_type = wire::AttributesPatch)]
    pub attributes: std::collections::BTreeMap<String, Option<frontline_domain::leads::Value>>,
}

#[derive(Serialize, ToSchema)]
pub struct WidgetAttributes {
    pub attributes: Vec<frontline_core::leads::AttributeView>,
}

/// The page sets attributes of its visitor; the answer is all he has.
#[utoipa::path(patch, path = "/widget/v1/attributes", tag = "widget", request_body = WidgetAttributesRequest,
    responses((status = 200, body = WidgetAttributes), (status = 400, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn set_attributes(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    JsonBody(req): JsonBody<WidgetAttributesRequest>,
) -> ApiResult<Json<WidgetAttributes>> {
    Ok(Json(WidgetAttributes {
        attributes: frontline_core::leads::set_own_attributes(&s.app, &actor, &req.attributes).await?,
    }))
}

/// The page tracks events of its visitor (each counts against `widget_events`).
#[utoipa::path(post, path = "/widget/v1/events", tag = "widget", operation_id = "widget_track", request_body = crate::webapi::TrackRequest,
    responses((status = 200, body = crate::webapi::TrackResult), (status = 400, body = ApiErrorBody), (status = 429, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn track(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    JsonBody(req): JsonBody<crate::webapi::TrackRequest>,
) -> ApiResult<Json<crate::webapi::TrackResult>> {
    let events = req.events();
    Ok(Json(crate::webapi::TrackResult { counted: frontline_core::leads::track_own(&s.app, &actor, &events).await? }))
}

/// Whether someone answers now (the session answer's `availability`, asked again).
#[utoipa::path(get, path = "/widget/v1/availability", tag = "widget",
    responses((status = 200, body = frontline_core::automation::Availability), (status = 401, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn availability(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
) -> ApiResult<Json<frontline_core::automation::Availability>> {
    Ok(Json(widget::availability(&s.app, &actor).await?))
}

#[derive(Serialize, ToSchema)]
pub struct ShownView {
    pub shown: bool,
}

/// The widget is about to show a proactive message: recorded once per its period.
#[utoipa::path(post, path = "/widget/v1/triggers/{id}/shown", tag = "widget",
    params(("id" = Uuid, Path, description = "trigger id")),
    responses((status = 200, body = ShownView), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn trigger_shown(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<Json<ShownView>> {
    let id = id.parse().map_err(|_| ApiError::new(crate::error::ErrorCode::NotFound, "No such trigger."))?;
    frontline_core::triggers::shown(&s.app, &actor, id).await?;
    Ok(Json(ShownView { shown: true }))
}

/// The offline form: his name, an e-mail or a phone number (one of them not blank), and the
/// question.
#[derive(Deserialize, ToSchema)]
pub struct OfflineRequest {
    #[schema(value_type = wire::ClientId)]
    pub client_id: String,
    /// 1–80 characters once trimmed.
    #[schema(value_type = wire::Name)]
    pub name: String,
    /// Blank is none.
    #[serde(default)]
    #[schema(value_type = Option<wire::EmailOrBlank>)]
    pub email: Option<String>,
    /// 5–15 digits among `+ ( ) - .` and spaces; blank is none.
    #[serde(default)]
    #[schema(value_type = Option<wire::PhoneOrBlank>)]
    pub phone: Option<String>,
    /// Not blank once trimmed; at most 4000 characters as sent.
    #[schema(value_type = wire::MessageText)]
    pub question: String,
}

#[derive(Serialize, ToSchema)]
pub struct OfflineAnswer {
    pub dialog: WidgetDialogView,
    pub message: MessageView,
}

/// The offline contact form: the question opens a dialog marked `offline`.
#[utoipa::path(post, path = "/widget/v1/offline", tag = "widget", request_body = OfflineRequest,
    responses((status = 201, body = OfflineAnswer), (status = 200, body = OfflineAnswer), (status = 400, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn offline_request(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    JsonBody(req): JsonBody<OfflineRequest>,
) -> ApiResult<Response> {
    let form = widget::OfflineForm {
        client_id: &req.client_id,
        name: &req.name,
        email: req.email.as_deref(),
        phone: req.phone.as_deref(),
        question: &req.question,
    };
    let posted = widget::offline_request(&s.app, &actor, &form).await?;
    let status = if posted.duplicate { StatusCode::OK } else { StatusCode::CREATED };
    let answer =
        OfflineAnswer { dialog: WidgetDialogView::from(&posted.dialog), message: MessageView::from(&posted.message) };
    Ok((status, Json(answer)).into_response())
}
