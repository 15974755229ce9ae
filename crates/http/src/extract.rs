//! Extractors: JSON bodies with our error shape, and who is calling (`OperatorAuth`,
//! `AdminAuth`, `WidgetAuth`). Authorisation shows in handler signatures.

use crate::error::{ApiError, ErrorCode};
use crate::state::HttpState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use frontline_core::auth::{self, OperatorActor};
use frontline_core::widget::{self, VisitorActor, WidgetOrigin};
use serde::de::DeserializeOwned;

pub const SESSION_COOKIE: &str = "frontline_session";

/// A JSON object body. A refusal always has our error shape and names what is wrong: `bad_json`
/// for text that is not JSON (or not an object), `validation_failed` with `details.field` the
/// path of the field (`items[2].name`, never the value), `payload_too_large` past the limit,
/// `unsupported_media_type` without `Content-Type: application/json`.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim();
                m.eq_ignore_ascii_case("application/json") || m.to_ascii_lowercase().ends_with("+json")
            });
        if !json {
            return Err(ApiError::new(ErrorCode::UnsupportedMediaType, "Send the body as application/json."));
        }
        let bytes = match bytes::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::too_large("body", BODY_LIMIT as u64));
            }
            Err(_) => return Err(ApiError::new(ErrorCode::BadJson, "The body could not be read.")),
        };
        parse_json(&bytes).map(Self)
    }
}

/// The most a JSON body may hold (uploads have their own, larger limit).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Reads a JSON object into `T`, with refusals as [`JsonBody`] describes. A number without a
/// fraction is an integer however it is written (`3`, `3.0`, `3e0`): JSON does not tell them
/// apart, and neither does JSON Schema, so the OpenAPI document's `integer` takes them all.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::new(ErrorCode::BadJson, "The body must be a JSON object."));
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| ApiError::new(ErrorCode::BadJson, "The body is not valid JSON."))?;
    integral(&mut value);
    serde_path_to_error::deserialize(crate::strict::Strict(&value)).map_err(|e| {
        let path = e.path().to_string();
        refusal(&path, &e.into_inner().to_string())
    })
}

/// Writes every number without a fraction that fits an `i64` as an integer.
fn integral(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            // `i64::MAX as f64` rounds up to 2^63, which is out of range: hence `<`.
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f >= i64::MIN as f64
                && f < i64::MAX as f64
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral),
        Value::Object(fields) => fields.values_mut().for_each(integral),
        _ => {}
    }
}

/// Reads an already parsed JSON value into `T`, naming a refused field by its path
/// (`bad_frame` for a socket frame that does not fit).
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(crate::strict::Strict(&value)).map_err(|e| {
        let path = e.path().to_string();
        let mut err = refusal(&path, &e.into_inner().to_string());
        err.code = ErrorCode::BadFrame;
        err
    })
}

/// A `validation_failed` for a field that did not deserialize, in our words: serde's message
/// only decides which of a few sentences fits, and names a missing field.
fn refusal(path: &str, serde_message: &str) -> ApiError {
    let missing = serde_message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
        .map(|name| if path.is_empty() || path == "." { name.to_owned() } else { format!("{path}.{name}") });
    if let Some(field) = missing {
        return ApiError::field(&field, format!("{field}: required"));
    }
    let field = if path.is_empty() || path == "." { "body" } else { path };
    let reason = if serde_message.starts_with("invalid type") {
        "has the wrong type"
    } else if serde_message.starts_with("unknown variant") {
        "is not one of the accepted values"
    } else if serde_message.starts_with("invalid length") {
        "has the wrong number of items"
    } else {
        "is not a valid value"
    };
    ApiError::field(field, format!("{field}: {reason}"))
}

/// Query parameters with our error shape: a parameter of the wrong type or form is a
/// `validation_failed` naming the parameter.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(Self).map_err(|e| {
            let path = e.path().to_string();
            refusal(&path, &e.into_inner().to_string())
        })
    }
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

/// The caller's address: the TCP peer, or, behind a proxy that the configuration trusts
/// (`trust_proxy`), the last address of `X-Forwarded-For` (the one that proxy added).
pub struct ClientIp(pub Option<String>);

impl FromRequestParts<HttpState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Self, Self::Rejection> {
        if state.config.trust_proxy
            && let Some(ip) = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|v| v.parse::<std::net::IpAddr>().is_ok())
        {
            return Ok(Self(Some(ip.to_owned())));
        }
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        Ok(Self(peer.map(|ip| ip.to_string())))
    }
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
        actor.admin()?;
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
