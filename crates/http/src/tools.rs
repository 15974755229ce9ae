//! Conversation tools over REST: files, tags and categories, snooze, reopen, bulk close,
//! saved replies, the visitor card and search (console), and files, read marks and rating
//! (widget).

use crate::console::{dialog_id, limit};
use crate::error::{ApiError, ApiErrorBody, ApiResult, ErrorCode};
use crate::extract::{JsonBody, OperatorAuth, QueryParams, WidgetAuth};
use crate::state::HttpState;
use crate::wire;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontline_core::CoreError;
use frontline_core::conversation;
use frontline_core::dialogs;
use frontline_core::files::{self, Download, Uploader};
use frontline_core::labels::{self, EntryView};
use frontline_core::profile::ProfilePatch;
use frontline_core::replies::{self, SavedReplyView};
use frontline_core::views::{AttachmentView, DialogView, WidgetDialogView};
use frontline_core::visitors::{self, SearchHit, VisitorCardView};
use frontline_domain::{AttachmentId, Timestamp};
use frontline_store::Dictionary;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

// Files.

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name as the person chose it: folders, invisible and control characters are
    /// dropped, leading dots and white space trimmed, then at most 200 characters (none left is
    /// `file`).
    #[param(value_type = Option<wire::FileName>)]
    pub name: Option<String>,
}

/// Receives an upload: at most `upload_concurrency` at once on this node, its bytes streamed
/// to a temporary file as they come (never held whole in memory), stopped at the size limit.
async fn receive(s: &HttpState, who: Uploader<'_>, name: &str, body: Body) -> ApiResult<Response> {
    use futures_util::StreamExt;
    let Ok(_place) = s.uploads.clone().try_acquire_owned() else {
        return Err(CoreError::RateLimited { limit: "concurrent_uploads", retry_after_ms: 1000 }.into());
    };
    let mut incoming = files::begin_upload(&s.app, who).await?;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        // A failed read is the client going away or too slow (the body timeout): nobody reads
        // the answer, and the temporary file goes with `incoming`.
        let chunk = chunk.map_err(|_| ApiError::new(ErrorCode::BadJson, "The file could not be read to its end."))?;
        incoming.write(&chunk).await?;
    }
    let file = files::finish_upload(&s.app, who, name, incoming).await?;
    Ok((StatusCode::CREATED, Json(AttachmentView::from(&file))).into_response())
}

/// Uploads a file for a message (the bytes are the body). The type is sniffed from the
/// content; a refused file stores nothing.
#[utoipa::path(post, path = "/api/v1/uploads", tag = "console", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = AttachmentView), (status = 413, body = ApiErrorBody), (status = 415, body = ApiErrorBody)))]
pub async fn upload(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    QueryParams(q): QueryParams<UploadQuery>,
    body: Body,
) -> ApiResult<Response> {
    receive(&s, Uploader::Operator(&actor), q.name.as_deref().unwrap_or(""), body).await
}

/// The visitor uploads a file for a message.
#[utoipa::path(post, path = "/widget/v1/uploads", tag = "widget", params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = AttachmentView), (status = 413, body = ApiErrorBody), (status = 415, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn widget_upload(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    QueryParams(q): QueryParams<UploadQuery>,
    body: Body,
) -> ApiResult<Response> {
    receive(&s, Uploader::Visitor(&actor), q.name.as_deref().unwrap_or(""), body).await
}

fn attachment_id(raw: &str) -> ApiResult<AttachmentId> {
    raw.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such file."))
}

/// `filename*` of RFC 6266 (UTF-8, percent-encoded), with an ASCII fallback.
fn disposition(d: &Download) -> HeaderValue {
    let inline = frontline_domain::sniff::is_image(&d.file.content_type);
    let ascii: String =
        d.file.name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let mut encoded = String::new();
    for b in d.file.name.as_bytes() {
        if b.is_ascii_alphanumeric() || b".-_".contains(b) {
            encoded.push(*b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let kind = if inline { "inline" } else { "attachment" };
    HeaderValue::from_str(&format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn serve(d: Download) -> Response {
    let content_type = HeaderValue::from_str(&d.file.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, disposition(&d)),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400")),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox")),
    ];
    (headers, d.bytes).into_response()
}

/// A file of a dialog the operator sees.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "console", params(("id" = Uuid, Path, description = "file id")),
    responses((status = 200, description = "the file"), (status = 404, body = ApiErrorBody)))]
pub async fn attachment(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(serve(files::for_operator(&s.app, &actor, attachment_id(&id)?).await?))
}

/// A file of the visitor's dialogs (never one of an internal note).
#[utoipa::path(get, path = "/widget/v1/attachments/{id}", tag = "widget", params(("id" = Uuid, Path, description = "file id")),
    responses((status = 200, description = "the file"), (status = 404, body = ApiErrorBody)), security(("visitor_token" = [])))]
pub async fn widget_attachment(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(serve(files::for_visitor(&s.app, &actor, attachment_id(&id)?).await?))
}

// Tags and categories.

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DictionaryQuery {
    /// `true` lists archived entries too.
    pub archived: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryList {
    pub items: Vec<EntryView>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewEntry {
    /// 1–40 characters once trimmed, unique in the dictionary.
    #[schema(value_type = wire::Label)]
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
pub struct EntryPatch {
    /// 1–40 characters once trimmed, unique in the dictionary.
    #[schema(value_type = Option<wire::Label>)]
    pub name: Option<String>,
    pub archived: Option<bool>,
}

fn entry_id(raw: &str) -> ApiResult<uuid::Uuid> {
    raw.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such entry."))
}

macro_rules! dictionary_endpoints {
    ($dict:expr, $path:literal, $list:ident, $create:ident, $update:ident) => {
        #[utoipa::path(get, path = concat!("/api/v1/", $path), tag = "console", params(DictionaryQuery),
            responses((status = 200, body = EntryList)))]
        pub async fn $list(
            State(s): State<HttpState>,
            OperatorAuth(actor): OperatorAuth,
            QueryParams(q): QueryParams<DictionaryQuery>,
        ) -> ApiResult<Json<EntryList>> {
            Ok(Json(EntryList { items: labels::dictionary(&s.app, &actor, $dict, q.archived.unwrap_or(false)).await? }))
        }

        #[utoipa::path(post, path = concat!("/api/v1/", $path), tag = "admin", request_body = NewEntry,
            responses((status = 201, body = EntryView), (status = 409, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
        pub async fn $create(
            State(s): State<HttpState>,
            OperatorAuth(actor): OperatorAuth,
            JsonBody(req): JsonBody<NewEntry>,
        ) -> ApiResult<Response> {
            let entry = labels::create_entry(&s.app, &actor.manager()?, $dict, &req.name).await?;
            Ok((StatusCode::CREATED, Json(entry)).into_response())
        }

        #[utoipa::path(patch, path = concat!("/api/v1/", $path, "/{id}"), tag = "admin", request_body = EntryPatch,
            params(("id" = Uuid, Path, description = "entry id")),
            responses((status = 200, body = EntryView), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
        pub async fn $update(
            State(s): State<HttpState>,
            OperatorAuth(actor): OperatorAuth,
            Path(id): Path<String>,
            JsonBody(req): JsonBody<EntryPatch>,
        ) -> ApiResult<Json<EntryView>> {
            let id = entry_id(&id)?;
            Ok(Json(labels::update_entry(&s.app, &actor.manager()?, $dict, id, req.name.as_deref(), req.archived).await?))
        }
    };
}

dictionary_endpoints!(Dictionary::Tags, "tags", list_tags, create_tag, update_tag);
dictionary_endpoints!(Dictionary::Categories, "categories", list_categories, create_category, update_category);

#[derive(Deserialize, ToSchema)]
pub struct TagsRequest {
    /// At most 20 tags; a new one must be in the dictionary (else `404`) and not archived.
    #[schema(value_type = wire::TagIds)]
    pub tag_ids: Vec<uuid::Uuid>,
}

/// Replaces the dialog's tags.
#[utoipa::path(put, path = "/api/v1/dialogs/{id}/tags", tag = "console", request_body = TagsRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = DialogView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn set_tags(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<TagsRequest>,
) -> ApiResult<Json<DialogView>> {
    Ok(Json(labels::set_tags(&s.app, &actor, dialog_id(&id)?, &req.tag_ids).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct CategoryRequest {
    /// `null` clears it; a new one must be in the dictionary (else `404`) and not archived.
    #[schema(value_type = Option<wire::Id>)]
    pub category_id: Option<uuid::Uuid>,
}

/// Sets or clears the dialog's category.
#[utoipa::path(put, path = "/api/v1/dialogs/{id}/category", tag = "console", request_body = CategoryRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = DialogView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn set_category(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<CategoryRequest>,
) -> ApiResult<Json<DialogView>> {
    Ok(Json(labels::set_category(&s.app, &actor, dialog_id(&id)?, req.category_id).await?))
}

// Snooze, reopen, bulk close.

#[derive(Deserialize, ToSchema)]
pub struct SnoozeRequest {
    /// RFC 3339, in the future, within a year (a time outside that is `400`).
    #[schema(format = DateTime)]
    pub until: String,
}

fn parse_time(field: &str, raw: &str) -> ApiResult<Timestamp> {
    frontline_core::views::parse_rfc3339(raw)
        .ok_or_else(|| ApiError::field(field, format!("{field}: not an RFC 3339 time")))
}

/// Snoozes the dialog until a time.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/snooze", tag = "console", request_body = SnoozeRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = DialogView), (status = 400, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn snooze(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SnoozeRequest>,
) -> ApiResult<Json<DialogView>> {
    let until = parse_time("until", &req.until)?;
    Ok(Json(conversation::snooze(&s.app, &actor, dialog_id(&id)?, until).await?))
}

/// Brings a snoozed dialog back now.
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/unsnooze", tag = "console",
    params(("id" = Uuid, Path, description = "dialog id")), responses((status = 200, body = DialogView), (status = 404, body = ApiErrorBody)))]
pub async fn unsnooze(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<DialogView>> {
    Ok(Json(conversation::unsnooze(&s.app, &actor, dialog_id(&id)?).await?))
}

/// Opens a closed dialog again (its category must be chosen again).
#[utoipa::path(post, path = "/api/v1/dialogs/{id}/reopen", tag = "console",
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = DialogView), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn reopen(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<DialogView>> {
    Ok(Json(conversation::reopen(&s.app, &actor, dialog_id(&id)?).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct BulkCloseRequest {
    /// 1 to 100 dialog ids.
    #[schema(value_type = wire::DialogIds)]
    pub ids: Vec<String>,
}

/// One dialog's answer in a bulk close.
#[derive(Serialize, ToSchema)]
pub struct BulkResult {
    pub id: uuid::Uuid,
    pub ok: bool,
    /// The error code when it was not closed (`category_required`, `dialog_not_found`…).
    pub code: Option<String>,
    pub message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BulkCloseResponse {
    pub items: Vec<BulkResult>,
}

/// Closes several dialogs, each on its own (one refused does not stop the others).
#[utoipa::path(post, path = "/api/v1/dialogs/close", tag = "console", request_body = BulkCloseRequest,
    responses((status = 200, body = BulkCloseResponse), (status = 400, body = ApiErrorBody)))]
pub async fn close_many(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    JsonBody(req): JsonBody<BulkCloseRequest>,
) -> ApiResult<Json<BulkCloseResponse>> {
    let ids = req
        .ids
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            raw.parse().map_err(|_| ApiError::field(&format!("ids[{i}]"), format!("ids[{i}]: not a dialog id")))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let mut items = Vec::with_capacity(ids.len());
    for (id, result) in dialogs::close_many(&s.app, &actor, &ids).await? {
        items.push(match result {
            Ok(()) => BulkResult { id: id.0, ok: true, code: None, message: None },
            Err(e) => {
                let e = ApiError::from(e);
                BulkResult { id: id.0, ok: false, code: Some(e.code.as_str().to_owned()), message: Some(e.message) }
            }
        });
    }
    Ok(Json(BulkCloseResponse { items }))
}

// Saved replies.

#[derive(Serialize, ToSchema)]
pub struct SavedReplyList {
    pub items: Vec<SavedReplyView>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewSavedReply {
    /// `personal`, `channel` or `workspace`.
    #[schema(value_type = wire::ReplyScope)]
    pub scope: String,
    /// The channel of a `channel` reply (required then; an unknown one is `404`).
    #[schema(value_type = Option<wire::Id>)]
    pub channel_id: Option<uuid::Uuid>,
    /// 1–80 characters once trimmed.
    #[schema(value_type = wire::Name)]
    pub title: String,
    /// Not blank once trimmed; at most 4000 characters as sent.
    #[schema(value_type = wire::ReplyText)]
    pub body: String,
}

#[derive(Deserialize, ToSchema)]
pub struct SavedReplyPatch {
    /// 1–80 characters once trimmed.
    #[schema(value_type = Option<wire::Name>)]
    pub title: Option<String>,
    /// Not blank once trimmed; at most 4000 characters as sent.
    #[schema(value_type = Option<wire::ReplyText>)]
    pub body: Option<String>,
}

fn reply_id(raw: &str) -> ApiResult<frontline_domain::SavedReplyId> {
    raw.parse().map_err(|_| ApiError::new(ErrorCode::NotFound, "No such saved reply."))
}

/// The saved replies the caller may use, in insertion order (personal, channel, workspace).
#[utoipa::path(get, path = "/api/v1/saved-replies", tag = "console", responses((status = 200, body = SavedReplyList)))]
pub async fn list_replies(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
) -> ApiResult<Json<SavedReplyList>> {
    Ok(Json(SavedReplyList { items: replies::list(&s.app, &actor).await? }))
}

#[utoipa::path(post, path = "/api/v1/saved-replies", tag = "console", request_body = NewSavedReply,
    responses((status = 201, body = SavedReplyView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, description = "`channel_id` names no channel of the workspace.", body = ApiErrorBody)))]
pub async fn create_reply(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    JsonBody(req): JsonBody<NewSavedReply>,
) -> ApiResult<Response> {
    let r = replies::create(&s.app, &actor, &req.scope, req.channel_id, &req.title, &req.body).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

#[utoipa::path(patch, path = "/api/v1/saved-replies/{id}", tag = "console", request_body = SavedReplyPatch,
    params(("id" = Uuid, Path, description = "saved reply id")),
    responses((status = 200, body = SavedReplyView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn update_reply(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SavedReplyPatch>,
) -> ApiResult<Json<SavedReplyView>> {
    Ok(Json(replies::update(&s.app, &actor, reply_id(&id)?, req.title.as_deref(), req.body.as_deref()).await?))
}

#[utoipa::path(delete, path = "/api/v1/saved-replies/{id}", tag = "console",
    params(("id" = Uuid, Path, description = "saved reply id")), responses((status = 204), (status = 404, body = ApiErrorBody)))]
pub async fn delete_reply(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    replies::delete(&s.app, &actor, reply_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

// The visitor card and search.

/// `Some(None)` for an explicit `null`, `None` when the field is absent.
pub(crate) fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The visitor's name and contacts: a field left out stays, `null` or blank clears it.
#[derive(Deserialize, ToSchema)]
pub struct ProfileRequest {
    /// 1–80 characters once trimmed.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<wire::NameOrBlank>)]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<wire::EmailOrBlank>)]
    pub email: Option<Option<String>>,
    /// 5–15 digits among `+ ( ) - .` and spaces.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<wire::PhoneOrBlank>)]
    pub phone: Option<Option<String>>,
}

impl ProfileRequest {
    pub fn patch(&self) -> ProfilePatch<'_> {
        ProfilePatch {
            name: self.name.as_ref().map(|v| v.as_deref()),
            email: self.email.as_ref().map(|v| v.as_deref()),
            phone: self.phone.as_ref().map(|v| v.as_deref()),
        }
    }
}

/// The card of the dialog's visitor: contacts, where he is, what he visited, his dialogs.
#[utoipa::path(get, path = "/api/v1/dialogs/{id}/visitor", tag = "console",
    params(("id" = Uuid, Path, description = "dialog id")), responses((status = 200, body = VisitorCardView), (status = 404, body = ApiErrorBody)))]
pub async fn visitor_card(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<VisitorCardView>> {
    Ok(Json(visitors::card(&s.app, &actor, dialog_id(&id)?).await?))
}

/// Writes down the visitor's name, e-mail or phone.
#[utoipa::path(patch, path = "/api/v1/dialogs/{id}/visitor", tag = "console", request_body = ProfileRequest,
    params(("id" = Uuid, Path, description = "dialog id")),
    responses((status = 200, body = VisitorCardView), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn update_visitor_card(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ProfileRequest>,
) -> ApiResult<Json<VisitorCardView>> {
    Ok(Json(visitors::update(&s.app, &actor, dialog_id(&id)?, &req.patch()).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// 2–200 characters once trimmed: words of messages (notes too), the visitor's name, e-mail
    /// or phone. A query without a letter or a digit finds nothing.
    #[param(value_type = wire::SearchText)]
    pub q: String,
    /// 1–50, default 20.
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
}

/// Searches the dialogs the caller sees, newest first.
#[utoipa::path(get, path = "/api/v1/search", tag = "console", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 400, body = ApiErrorBody)))]
pub async fn search(
    State(s): State<HttpState>,
    OperatorAuth(actor): OperatorAuth,
    QueryParams(q): QueryParams<SearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    let limit = limit(q.limit, 20, 50)?;
    Ok(Json(SearchResults { items: visitors::search(&s.app, &actor, &q.q, limit).await? }))
}

// The widget's read marks and rating.

#[derive(Deserialize, ToSchema)]
pub struct WidgetReadRequest {
    /// The newest `seq` the visitor has seen.
    #[schema(minimum = 0)]
    pub seq: i64,
}

/// The visitor has read his dialog up to `seq`.
#[utoipa::path(post, path = "/widget/v1/read", tag = "widget", request_body = WidgetReadRequest,
    responses((status = 204), (status = 400, body = ApiErrorBody)), security(("visitor_token" = [])))]
pub async fn widget_read(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    JsonBody(req): JsonBody<WidgetReadRequest>,
) -> ApiResult<StatusCode> {
    conversation::visitor_read(&s.app, &actor, req.seq).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct RatingRequest {
    /// One of his dialogs (else `404`).
    #[schema(value_type = wire::Id)]
    pub dialog_id: String,
    /// 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    pub score: i64,
    /// At most 1000 characters once trimmed, no control characters but line feeds; blank is none.
    #[schema(value_type = Option<wire::RatingComment>)]
    pub comment: Option<String>,
}

/// The visitor rates a dialog an operator closed (once).
#[utoipa::path(post, path = "/widget/v1/rating", tag = "widget", request_body = RatingRequest,
    responses((status = 200, body = WidgetDialogView), (status = 400, body = ApiErrorBody),
        (status = 404, description = "`dialog_id` is none of his dialogs.", body = ApiErrorBody), (status = 409, body = ApiErrorBody)),
    security(("visitor_token" = [])))]
pub async fn widget_rate(
    State(s): State<HttpState>,
    WidgetAuth(actor): WidgetAuth,
    JsonBody(req): JsonBody<RatingRequest>,
) -> ApiResult<Json<WidgetDialogView>> {
    let id = dialog_id(&req.dialog_id)?;
    Ok(Json(conversation::rate(&s.app, &actor, id, req.score, req.comment.as_deref()).await?))
}
