//! `ApiError`: one table of HTTP status and stable `code` for every refusal, and the JSON body
//! `{"code","message","details"}`. A 5xx body says nothing of the cause; it is logged once here.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use frontline_core::CoreError;
use frontline_domain::DomainError;
use serde::Serialize;
use utoipa::ToSchema;

/// Every stable error code of the API and the socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ValidationFailed,
    EmptyMessage,
    MessageTooLong,
    BadJson,
    PayloadTooLarge,
    UnsupportedMediaType,
    MethodNotAllowed,
    Unauthenticated,
    InvalidCredentials,
    WorkspaceRequired,
    Forbidden,
    ScopeMissing,
    IdentityRefused,
    VisitorBlocked,
    WorkspaceSuspended,
    ComplaintDecided,
    UnknownSiteKey,
    OriginNotAllowed,
    DialogNotFound,
    NotFound,
    DialogClosed,
    EmailTaken,
    ChannelNameTaken,
    AlreadyAssigned,
    CapacityReached,
    OperatorUnavailable,
    NotChannelMember,
    ChannelUnavailable,
    CategoryRequired,
    NameTaken,
    VisitorHasOpenDialog,
    RatingNotRequested,
    AlreadyRated,
    FormSentAlready,
    GuardBlocked,
    TriggerAlreadyShown,
    FileTooLarge,
    FileTypeRefused,
    ClientIdReused,
    UrlNotAllowed,
    TooManyEndpoints,
    TooManyKeys,
    TooManySegments,
    SegmentInUse,
    FieldsRequired,
    RateLimited,
    UnknownFrame,
    BadFrame,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> StatusCode {
        use ErrorCode::*;
        match self {
            ValidationFailed | EmptyMessage | BadJson | WorkspaceRequired | UnknownFrame | BadFrame | UrlNotAllowed => {
                StatusCode::BAD_REQUEST
            }
            MessageTooLong | PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Unauthenticated | InvalidCredentials => StatusCode::UNAUTHORIZED,
            Forbidden | ScopeMissing | IdentityRefused | VisitorBlocked | WorkspaceSuspended | UnknownSiteKey
            | OriginNotAllowed => StatusCode::FORBIDDEN,
            DialogNotFound | NotFound => StatusCode::NOT_FOUND,
            DialogClosed | EmailTaken | ChannelNameTaken | AlreadyAssigned | CapacityReached | OperatorUnavailable
            | NotChannelMember | ChannelUnavailable | CategoryRequired | NameTaken | VisitorHasOpenDialog
            | RatingNotRequested | AlreadyRated | FormSentAlready | TriggerAlreadyShown | ClientIdReused
            | TooManyEndpoints | TooManyKeys | ComplaintDecided | TooManySegments | SegmentInUse | FieldsRequired => {
                StatusCode::CONFLICT
            }
            GuardBlocked => StatusCode::UNPROCESSABLE_ENTITY,
            FileTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            FileTypeRefused => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            ValidationFailed => "validation_failed",
            EmptyMessage => "empty_message",
            MessageTooLong => "message_too_long",
            BadJson => "bad_json",
            PayloadTooLarge => "payload_too_large",
            UnsupportedMediaType => "unsupported_media_type",
            MethodNotAllowed => "method_not_allowed",
            Unauthenticated => "unauthenticated",
            InvalidCredentials => "invalid_credentials",
            WorkspaceRequired => "workspace_required",
            Forbidden => "forbidden",
            ScopeMissing => "scope_missing",
            IdentityRefused => "identity_refused",
            VisitorBlocked => "visitor_blocked",
            WorkspaceSuspended => "workspace_suspended",
            ComplaintDecided => "complaint_decided",
            UnknownSiteKey => "unknown_site_key",
            OriginNotAllowed => "origin_not_allowed",
            DialogNotFound => "dialog_not_found",
            NotFound => "not_found",
            DialogClosed => "dialog_closed",
            EmailTaken => "email_taken",
            ChannelNameTaken => "channel_name_taken",
            AlreadyAssigned => "already_assigned",
            CapacityReached => "capacity_reached",
            OperatorUnavailable => "operator_unavailable",
            NotChannelMember => "not_channel_member",
            ChannelUnavailable => "channel_unavailable",
            CategoryRequired => "category_required",
            NameTaken => "name_taken",
            VisitorHasOpenDialog => "visitor_has_open_dialog",
            RatingNotRequested => "rating_not_requested",
            AlreadyRated => "already_rated",
            FormSentAlready => "form_sent_already",
            GuardBlocked => "guard_blocked",
            TriggerAlreadyShown => "trigger_already_shown",
            FileTooLarge => "file_too_large",
            FileTypeRefused => "file_type_refused",
            ClientIdReused => "client_id_reused",
            UrlNotAllowed => "url_not_allowed",
            TooManyEndpoints => "too_many_endpoints",
            TooManyKeys => "too_many_keys",
            TooManySegments => "too_many_segments",
            SegmentInUse => "segment_in_use",
            FieldsRequired => "fields_required",
            RateLimited => "rate_limited",
            UnknownFrame => "unknown_frame",
            BadFrame => "bad_frame",
            Unavailable => "unavailable",
            Internal => "internal",
        }
    }
}

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// `field` for validation errors, `limit` for size limits.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub details: serde_json::Value,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: serde_json::json!({}) }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::ValidationFailed,
            message: message.into(),
            details: serde_json::json!({ "field": field }),
        }
    }

    /// A body or a value over its size limit (`limit` in bytes).
    pub fn too_large(field: &str, limit: u64) -> Self {
        Self {
            code: ErrorCode::PayloadTooLarge,
            message: format!("The {field} is larger than {limit} bytes."),
            details: serde_json::json!({ "field": field, "limit": limit }),
        }
    }

    pub fn body(&self) -> ApiErrorBody {
        ApiErrorBody { code: self.code, message: self.message.clone(), details: self.details.clone() }
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        use ErrorCode as C;
        match e {
            CoreError::Domain(DomainError::Invalid { field, reason }) => {
                ApiError::field(field, format!("{field}: {reason}"))
            }
            CoreError::Invalid { field, reason } => ApiError::field(&field, format!("{field}: {reason}")),
            CoreError::AlreadyAssigned(who) => ApiError {
                code: C::AlreadyAssigned,
                message: if who.is_empty() {
                    "The dialog was changed by someone else a moment ago.".into()
                } else {
                    format!("Already taken by {who}.")
                },
                details: serde_json::json!({ "assignee": who }),
            },
            CoreError::CapacityReached(capacity) => ApiError {
                code: C::CapacityReached,
                message: format!("At capacity: {capacity} active dialogs. Close or transfer one first."),
                details: serde_json::json!({ "capacity": capacity }),
            },
            CoreError::OperatorUnavailable => {
                ApiError::new(C::OperatorUnavailable, "The operator is not online and cannot take dialogs now.")
            }
            CoreError::NotChannelMember => {
                ApiError::new(C::NotChannelMember, "The operator is not a member of the dialog's channel.")
            }
            CoreError::ChannelUnavailable => {
                ApiError::new(C::ChannelUnavailable, "No operator of this channel is online; choose another.")
            }
            CoreError::Domain(DomainError::EmptyMessage) => ApiError {
                code: C::EmptyMessage,
                message: "The message is empty.".into(),
                details: serde_json::json!({ "field": "body" }),
            },
            CoreError::Domain(DomainError::MessageTooLong { limit }) => ApiError {
                code: C::MessageTooLong,
                message: format!("The message is longer than {limit} characters."),
                details: serde_json::json!({ "field": "body", "limit": limit }),
            },
            CoreError::Domain(DomainError::DialogClosed) => ApiError::new(C::DialogClosed, "The dialog is closed."),
            CoreError::Unauthenticated => ApiError::new(C::Unauthenticated, "Sign in first."),
            CoreError::InvalidCredentials => ApiError::new(C::InvalidCredentials, "Wrong e-mail or password."),
            CoreError::WorkspaceRequired => ApiError {
                code: C::WorkspaceRequired,
                message: "This e-mail is used in several workspaces: give the workspace.".into(),
                details: serde_json::json!({ "field": "workspace" }),
            },
            CoreError::Forbidden => ApiError::new(C::Forbidden, "Your role does not allow this."),
            CoreError::UnknownSiteKey => ApiError {
                code: C::UnknownSiteKey,
                message: "Unknown widget key.".into(),
                details: serde_json::json!({ "field": "key" }),
            },
            CoreError::OriginNotAllowed => {
                ApiError::new(C::OriginNotAllowed, "This site is not allowed to use the widget.")
            }
            CoreError::DialogNotFound => ApiError::new(C::DialogNotFound, "No such dialog."),
            CoreError::NotFound(what) => ApiError::new(C::NotFound, format!("No such {what}.")),
            CoreError::UnknownReference { field, what } => ApiError {
                code: C::NotFound,
                message: format!("No such {what}."),
                details: serde_json::json!({ "field": field }),
            },
            CoreError::EmailTaken => ApiError {
                code: C::EmailTaken,
                message: "This e-mail is taken.".into(),
                details: serde_json::json!({ "field": "email" }),
            },
            CoreError::ChannelNameTaken => ApiError {
                code: C::ChannelNameTaken,
                message: "A channel with this name exists.".into(),
                details: serde_json::json!({ "field": "name" }),
            },
            CoreError::CategoryRequired => ApiError {
                code: C::CategoryRequired,
                message: "Choose a category before closing this dialog.".into(),
                details: serde_json::json!({ "field": "category_id" }),
            },
            CoreError::NameTaken => ApiError {
                code: C::NameTaken,
                message: "This name is taken.".into(),
                details: serde_json::json!({ "field": "name" }),
            },
            CoreError::VisitorHasOpenDialog => ApiError::new(
                C::VisitorHasOpenDialog,
                "The visitor has another open dialog; close it or continue there.",
            ),
            CoreError::RatingNotRequested => {
                ApiError::new(C::RatingNotRequested, "This dialog does not ask for a rating.")
            }
            CoreError::AlreadyRated => ApiError::new(C::AlreadyRated, "This dialog is rated already."),
            CoreError::FormSentAlready => ApiError::new(C::FormSentAlready, "This form was sent already."),
            CoreError::GuardBlocked { rule, allow_override, hits, found } => ApiError {
                code: C::GuardBlocked,
                message: if allow_override {
                    format!(
                        "The quality guard blocks this message (rule {rule}: «{found}»); send it with guard_override to explain why."
                    )
                } else {
                    format!("The quality guard blocks this message (rule {rule}: «{found}»).")
                },
                details: serde_json::json!({
                    "rule": rule,
                    "allow_override": allow_override,
                    "hits": hits.iter().map(frontline_core::quality::HitView::from).collect::<Vec<_>>(),
                }),
            },
            CoreError::TriggerAlreadyShown => {
                ApiError::new(C::TriggerAlreadyShown, "The visitor saw this proactive message within its period.")
            }
            CoreError::FileTooLarge(max) => ApiError {
                code: C::FileTooLarge,
                message: format!("The file is larger than {} MB.", max.div_ceil(1024 * 1024)),
                details: serde_json::json!({ "field": "file", "max_bytes": max }),
            },
            CoreError::FileTypeRefused { detected, allowed } => ApiError {
                code: C::FileTypeRefused,
                message: format!("Files of this type ({detected}) are not accepted."),
                details: serde_json::json!({ "field": "file", "detected": detected, "allowed": allowed }),
            },
            CoreError::ClientIdReused { dialog } => ApiError {
                code: C::ClientIdReused,
                message: "This client_id was used for a message in another dialog; give each send its own.".into(),
                details: serde_json::json!({ "field": "client_id", "dialog_id": dialog.0 }),
            },
            CoreError::RateLimited { limit, retry_after_ms } => {
                let secs = (retry_after_ms.max(0) + 999) / 1000;
                ApiError {
                    code: C::RateLimited,
                    message: if secs > 0 {
                        format!("Too many requests ({limit}); try again in {secs} s.")
                    } else {
                        format!("Too many at once ({limit}); close another one first.")
                    },
                    details: serde_json::json!({ "limit": limit, "retry_after": secs }),
                }
            }
            CoreError::UrlNotAllowed(why) => ApiError {
                code: C::UrlNotAllowed,
                message: format!("url: {why} (the server's configuration can allow them)."),
                details: serde_json::json!({ "field": "url" }),
            },
            CoreError::WorkspaceSuspended => {
                ApiError::new(C::WorkspaceSuspended, "This workspace is suspended; ask the installation's owner.")
            }
            CoreError::VisitorBlocked => ApiError::new(C::VisitorBlocked, "This chat is not available to you."),
            CoreError::ComplaintDecided => ApiError::new(
                C::ComplaintDecided,
                "This complaint was decided already; see the blocks to undo a block.",
            ),
            CoreError::IdentityRefused(why) => ApiError {
                code: C::IdentityRefused,
                message: format!("The site's user could not be identified: {why}."),
                details: serde_json::json!({ "field": "user_hash" }),
            },
            CoreError::ScopeMissing(scope) => ApiError {
                code: C::ScopeMissing,
                message: format!("This API key lacks the scope {scope}; an admin can make a key that has it."),
                details: serde_json::json!({ "scope": scope }),
            },
            CoreError::TooManyKeys(limit) => ApiError {
                code: C::TooManyKeys,
                message: format!("A workspace has at most {limit} live API keys; revoke one first."),
                details: serde_json::json!({ "limit": limit }),
            },
            CoreError::TooManySegments(limit) => ApiError {
                code: C::TooManySegments,
                message: format!("A workspace has at most {limit} segments; delete one first."),
                details: serde_json::json!({ "limit": limit }),
            },
            CoreError::FieldsRequired(missing) => ApiError {
                code: C::FieldsRequired,
                message: format!(
                    "Fill these fields before closing: {}.",
                    missing.iter().map(|(_, label)| label.as_str()).collect::<Vec<_>>().join(", ")
                ),
                details: serde_json::json!({
                    "fields": missing.iter().map(|(key, label)| serde_json::json!({"key": key, "label": label})).collect::<Vec<_>>()
                }),
            },
            CoreError::SegmentInUse(by) => ApiError {
                code: C::SegmentInUse,
                message: format!("This segment is used by {by}; take it out of there first."),
                details: serde_json::json!({ "used_by": by }),
            },
            CoreError::TooManyWebhooks(limit) => ApiError {
                code: C::TooManyEndpoints,
                message: format!("A workspace has at most {limit} webhook endpoints; delete one first."),
                details: serde_json::json!({ "limit": limit }),
            },
            CoreError::Unavailable(cause) => {
                tracing::error!(error = %cause, "store unavailable");
                ApiError::new(C::Unavailable, "The service is temporarily unavailable; retry.")
            }
            CoreError::Internal(cause) => {
                tracing::error!(error = %cause, "internal error");
                ApiError::new(C::Internal, "Internal error.")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = (self.code == ErrorCode::RateLimited)
            .then(|| self.details.get("retry_after").and_then(|v| v.as_i64()))
            .flatten()
            .filter(|s| *s > 0);
        let mut resp = (self.code.status(), Json(self.body())).into_response();
        if let Some(secs) = retry_after
            && let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
