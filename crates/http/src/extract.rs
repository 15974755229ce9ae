//! Extractors: JSON bodies with our error shape, and who is calling (`OperatorAuth`,
//! `AdminAuth`, `WidgetAuth`). Authorisation shows in handler signatures.

use crate::error::{ApiError, ErrorCode};
use crate::state::HttpState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use frontline_core::auth::{self, OperatorActor};
use frontline_core::widget::{self, VisitorActor, WidgetOrigin};
use serde::de::DeserializeOwned;

pub const SESSION_COOKIE: &str = "frontline_session";

/// A JSON body; a malformed one is `bad_json` (naming the field when serde can).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::JsonDataError(e)) => {
                let text = e.body_text();
                let field = missing_or_bad_field(&text);
                Err(ApiError {
                    code: ErrorCode::ValidationFailed,
                    message: text,
                    details: serde_json::json!({ "field": field }),
                })
            }
            Err(e) => Err(ApiError::new(ErrorCode::BadJson, e.body_text())),
        }
    }
}

/// Pulls the field name out of serde's message ("missing field `email`", "body.email: …").
fn missing_or_bad_field(text: &str) -> Option<String> {
    if let Some(start) = text.find('`') {
        let rest = &text[start + 1..];
        if let Some(end) = rest.find('`') {
            return Some(rest[..end].to_owned());
        }
    }
    let head = text.split(": ").nth(1)?;
    let path = head.split(':').next()?;
    Some(path.trim().to_owned()).filter(|p| !p.is_empty() && !p.contains(' '))
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A signed-in operator (session cookie).
pub struct OperatorAuth(pub OperatorActor);

impl FromRequestParts<HttpState> for OperatorAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Self, ApiError> {
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .ok_or_else(|| ApiError::from(frontline_core::CoreError::Unauthenticated))?;
        Ok(Self(auth::authenticate(&state.app, &token).await?))
    }
}

/// A signed-in admin.
pub struct AdminAuth(pub OperatorActor);

impl FromRequestParts<HttpState> for AdminAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Self, ApiError> {
        let OperatorAuth(actor) = OperatorAuth::from_request_parts(parts, state).await?;
        actor.require_admin()?;
        Ok(Self(actor))
    }
}

/// The origin of this Frontline as the browser addressed it, from `Host`.
pub fn own_origin(headers: &HeaderMap, secure: bool) -> Option<String> {
    let host = headers.get(axum::http::header::HOST)?.to_str().ok()?;
    let scheme = if secure || headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https") {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}"))
}

/// The `Origin` header as sent. `null` (a sandboxed frame, a `file:` page, a redirect across
/// origins) is kept: it is a page we cannot identify, so it matches no allowed origin. A value
/// that is not text reads as `null` for the same reason.
pub fn origin_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(axum::http::header::ORIGIN).map(|v| v.to_str().unwrap_or("null"))
}

/// Whether `origin` is this Frontline's own: as addressed (`Host`) or its configured public URL.
pub fn is_own_origin(headers: &HeaderMap, config: &crate::HttpConfig, origin: &str) -> bool {
    let origin = origin.trim_end_matches('/');
    own_origin(headers, config.secure_cookies).is_some_and(|own| own.eq_ignore_ascii_case(origin))
        || config.public_origin.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(origin))
}

/// This Frontline's origin for a widget call: the caller's own when it is ours (the chat
/// frame, behind a proxy too), else as `Host` names it.
pub fn widget_own_origin(headers: &HeaderMap, config: &crate::HttpConfig) -> Option<String> {
    match origin_header(headers) {
        Some(o) if is_own_origin(headers, config, o) => Some(o.trim_end_matches('/').to_owned()),
        _ => own_origin(headers, config.secure_cookies),
    }
}

/// Refuses a request that a page of another site made the browser send (CSRF): a foreign or
/// `null` `Origin`, or, without one, `Sec-Fetch-Site: cross-site`. A request with neither
/// header is not a browser's cross-site request (a script's, a test's) and passes; the session
/// cookie is `SameSite=Lax` as a second fence.
pub fn same_origin(headers: &HeaderMap, config: &crate::HttpConfig) -> Result<(), ApiError> {
    let refused = || ApiError::from(frontline_core::CoreError::OriginNotAllowed);
    match origin_header(headers) {
        Some(origin) if is_own_origin(headers, config, origin) => Ok(()),
        Some(_) => Err(refused()),
        None => match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            Some("cross-site" | "same-site") => Err(refused()),
            _ => Ok(()),
        },
    }
}

/// A visitor (widget token in `Authorization: Bearer`), calling from an allowed origin.
pub struct WidgetAuth(pub VisitorActor);

impl FromRequestParts<HttpState> for WidgetAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| ApiError::from(frontline_core::CoreError::Unauthenticated))?;
        let actor = widget::authenticate(&state.app, token.trim()).await?;
        let own = widget_own_origin(&parts.headers, &state.config);
        widget::check_origin(
            &actor.site,
            &WidgetOrigin { header: origin_header(&parts.headers), own: own.as_deref(), page: None },
        )?;
        Ok(Self(actor))
    }
}
