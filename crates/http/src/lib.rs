//! The HTTP edge of Frontline: REST under `/api/v1` and `/widget/v1`, WebSockets, the web
//! files, health and metrics. Thin: handlers turn wire types into use-case calls and back.

pub mod automation;
pub mod channels;
pub mod console;
pub mod error;
pub mod extract;
pub mod fields;
pub mod forms;
pub mod invitations;
pub mod mail;
pub mod moderation;
pub mod openapi;
pub mod operators;
pub mod ops;
pub mod owner;
pub mod queue;
pub mod segments;
pub mod state;
pub mod strict;
pub mod supervision;
pub mod telegram;
pub mod tools;
pub mod web;
pub mod webapi;
pub mod webhooks;
pub mod widget;
pub mod wire;
pub mod ws;

pub use state::{HttpConfig, HttpState};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use std::sync::atomic::Ordering;

/// All routes of Frontline.
pub fn router(state: HttpState) -> Router {
    let api = Router::new()
        .route("/auth/login", post(console::login))
        .route("/auth/logout", post(console::logout))
        .route("/me", get(console::me).patch(console::update_me))
        .route("/dialogs", get(console::list_dialogs))
        .route("/dialogs/counts", get(queue::counts))
        .route("/dialogs/{id}/accept", post(queue::accept))
        .route("/dialogs/{id}/assign", post(queue::assign))
        .route("/dialogs/{id}/transfer", post(queue::transfer))
        .route("/me/presence", put(queue::set_presence))
        .route("/operators/{id}", patch(queue::update_operator))
        .route("/operators/{id}/deactivate", post(operators::deactivate))
        .route("/operators/{id}/reactivate", post(operators::reactivate))
        .route("/operators/{id}/role", put(operators::set_role))
        .route("/operators/{id}/password-reset", post(operators::reset_password))
        .route("/me/password", put(operators::change_password))
        .route("/me/sessions", get(operators::list_sessions))
        .route("/me/sessions/end-others", post(operators::end_other_sessions))
        .route("/me/sessions/{id}", axum::routing::delete(operators::end_session))
        .route("/audit-log", get(operators::audit_log))
        .route("/routing-rules", get(queue::list_rules).put(queue::replace_rules))
        .route("/dialogs/{id}", get(console::get_dialog))
        .route("/dialogs/{id}/messages", get(console::list_messages).post(console::send_message))
        .route("/dialogs/{id}/messages/{message_id}/edits", get(console::message_edits))
        .route("/dialogs/{id}/messages/{message_id}/mail", get(console::message_mail))
        .route("/dialogs/{id}/read", post(console::mark_read))
        .route("/dialogs/{id}/close", post(console::close_dialog))
        .route("/dialogs/close", post(tools::close_many))
        .route("/dialogs/{id}/reopen", post(tools::reopen))
        .route("/dialogs/{id}/snooze", post(tools::snooze))
        .route("/dialogs/{id}/unsnooze", post(tools::unsnooze))
        .route("/dialogs/{id}/tags", put(tools::set_tags))
        .route("/dialogs/{id}/category", put(tools::set_category))
        .route("/dialogs/{id}/visitor", get(tools::visitor_card).patch(tools::update_visitor_card))
        .route("/dialogs/{id}/visitor/tags", post(webapi::tag_visitor))
        .route("/dialogs/{id}/complaints", post(moderation::file))
        .route("/dialogs/{id}/block", post(moderation::block))
        .route("/complaints", get(moderation::complaints))
        .route("/complaints/{id}/decision", post(moderation::decide))
        .route("/blocks", get(moderation::blocks))
        .route("/blocks/{id}/lift", post(moderation::lift))
        .route("/invitations", get(invitations::list).post(invitations::create))
        .route("/invitations/{id}/revoke", post(invitations::revoke))
        .route("/invitations/preview", post(invitations::preview))
        .route("/invitations/accept", post(invitations::accept))
        .route("/fields", get(fields::list).post(fields::create))
        .route("/fields/{id}", patch(fields::update))
        .route("/dialogs/{id}/fields", put(fields::set_dialog))
        .route("/dialogs/{id}/visitor/fields", put(fields::set_visitor))
        .route("/segments", get(segments::list).post(segments::create))
        .route("/segments/preview", post(segments::preview))
        .route("/segments/{id}", get(segments::get).patch(segments::update).delete(segments::delete))
        .route("/segments/{id}/preview", get(segments::preview_saved))
        .route("/api-keys", get(webapi::list_keys).post(webapi::create_key))
        .route("/api-keys/{id}", axum::routing::delete(webapi::revoke_key))
        .route("/dialogs/{id}/forms", post(forms::send))
        .route("/dialogs/{id}/guard", post(supervision::check_draft))
        .route("/quality", get(supervision::get_guard).put(supervision::put_guard))
        .route("/reports", get(supervision::report))
        .route("/reports/export", get(supervision::export))
        .route("/reports/dialogs", get(supervision::export_dialogs))
        .route("/reports/settings", get(supervision::get_settings).put(supervision::put_settings))
        .route("/board", get(supervision::board))
        .route("/forms", get(forms::list).post(forms::create))
        .route("/forms/{id}", put(forms::update))
        .route("/form-requests/{id}", get(forms::request))
        .route("/tickets", get(forms::tickets))
        .route("/tickets/{id}", get(forms::ticket).patch(forms::set_status))
        .route("/tags", get(tools::list_tags).post(tools::create_tag))
        .route("/tags/{id}", patch(tools::update_tag))
        .route("/categories", get(tools::list_categories).post(tools::create_category))
        .route("/categories/{id}", patch(tools::update_category))
        .route("/saved-replies", get(tools::list_replies).post(tools::create_reply))
        .route("/saved-replies/{id}", patch(tools::update_reply).delete(tools::delete_reply))
        .route("/uploads", post(tools::upload))
        .route("/attachments/{id}", get(tools::attachment))
        .route("/search", get(tools::search))
        .route("/operators", get(console::list_operators).post(console::create_operator))
        .route("/channels", get(channels::list_channels).post(channels::create_channel))
        .route("/channels/{id}", patch(channels::update_channel))
        .route("/channels/{id}/members", get(channels::list_members).put(channels::set_members))
        .route("/channels/{id}/automation", get(automation::get_automation).put(automation::put_automation))
        .route("/triggers", get(automation::list_triggers).post(automation::create_trigger))
        .route("/triggers/{id}", patch(automation::update_trigger).delete(automation::delete_trigger))
        .route("/sites", get(console::list_sites))
        .route("/sites/{id}", patch(console::update_site))
        .route("/sites/{id}/identity", get(webapi::get_identity).put(webapi::put_identity))
        .route("/mail/settings", get(mail::get).put(mail::put))
        .route("/mail/test", post(mail::test))
        .route("/telegram/bots", get(telegram::list).post(telegram::connect))
        .route("/telegram/bots/{id}", patch(telegram::update).delete(telegram::delete))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/catalogue", get(webhooks::catalogue))
        .route("/webhooks/{id}", patch(webhooks::update).delete(webhooks::delete))
        .route("/webhooks/{id}/secret", get(webhooks::secret))
        .route("/webhooks/{id}/rotate", post(webhooks::rotate))
        .route("/webhooks/{id}/test", post(webhooks::test))
        .route("/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route("/webhooks/{id}/deliveries/{delivery}", get(webhooks::delivery))
        .route("/webhooks/{id}/deliveries/{delivery}/replay", post(webhooks::replay))
        .route("/ws", get(ws::operator_ws))
        .fallback(api_not_found)
        .layer(middleware::from_fn_with_state(state.clone(), same_origin_writes))
        .layer(middleware::from_fn(json_errors));
    let widget_api = Router::new()
        .route("/session", post(widget::open_session))
        .route("/messages", get(widget::list_messages).post(widget::send_message))
        .route("/visitor", patch(widget::update_visitor))
        .route("/attributes", patch(widget::set_attributes))
        .route("/events", post(widget::track))
        .route("/uploads", post(tools::widget_upload))
        .route("/attachments/{id}", get(tools::widget_attachment))
        .route("/read", post(tools::widget_read))
        .route("/rating", post(tools::widget_rate))
        .route("/triggers/{id}/shown", post(widget::trigger_shown))
        .route("/offline", post(widget::offline_request))
        .route("/forms/{id}", get(forms::widget_form).post(forms::widget_submit))
        .route("/availability", get(widget::availability))
        .route("/ws", get(ws::widget_ws))
        .fallback(api_not_found)
        .layer(middleware::from_fn(json_errors));
    // The Web API is called by sites' servers with a secret key, not by browsers with a
    // session: no same-origin rule.
    let web_api = Router::new()
        .route("/users/{user_id}", get(webapi::get_user).put(webapi::put_user))
        .route("/users/{user_id}/events", post(webapi::track))
        .route("/users/{user_id}/tags", post(webapi::tag_user))
        .fallback(api_not_found)
        .layer(middleware::from_fn(json_errors));
    // The install owner's API is called by his scripts with the owner's token: no same-origin
    // rule either.
    let owner_api = Router::new()
        .route("/workspaces", get(owner::list).post(owner::create))
        .route("/workspaces/{slug}", patch(owner::rename))
        .route("/workspaces/{slug}/suspend", post(owner::suspend))
        .route("/workspaces/{slug}/resume", post(owner::resume))
        .fallback(api_not_found)
        .layer(middleware::from_fn(json_errors));
    Router::new()
        .nest("/api/v1/web", web_api)
        .nest("/api/v1/owner", owner_api)
        .nest("/api/v1", api)
        .nest("/widget/v1", widget_api)
        .route("/api/openapi.json", get(openapi_json))
        .route("/telegram/v1/bots/{id}/updates", post(telegram::webhook))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/", get(web::root))
        .route("/console", get(web::root))
        .route("/console/", get(web::console))
        .route("/console/{*path}", get(web::console))
        .route("/widget.js", get(web::loader))
        .route("/widget/frame", get(web::frame))
        .route("/widget/assets/{*path}", get(web::widget_asset))
        .route("/demo", get(web::demo))
        .layer(axum::extract::DefaultBodyLimit::max(extract::BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .with_state(state)
}

/// Every state-changing console call (login included) must come from this Frontline's own
/// pages: a foreign page cannot make a signed-in operator's browser close, reopen or upload.
async fn same_origin_writes(State(s): State<HttpState>, req: Request, next: Next) -> Response {
    use axum::http::Method;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && let Err(e) = extract::same_origin(req.headers(), &s.config)
    {
        return e.into_response();
    }
    next.run(req).await
}

/// Every refusal of the APIs has the one error shape, whichever layer made it: a refusal that
/// axum itself answered (a method the route does not take, a body over the limit) is given our
/// body here, keeping its status and headers (`Allow`).
async fn json_errors(req: Request, next: Next) -> Response {
    use error::{ApiError, ErrorCode as C};
    let resp = next.run(req).await;
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let err = match status.as_u16() {
        404 => ApiError::new(C::NotFound, "No such endpoint."),
        405 => ApiError::new(C::MethodNotAllowed, "This endpoint does not take this method."),
        413 => ApiError::new(C::PayloadTooLarge, "The body is too large."),
        415 => ApiError::new(C::UnsupportedMediaType, "This content type is not accepted here."),
        401 => ApiError::new(C::Unauthenticated, "Sign in first."),
        403 => ApiError::new(C::Forbidden, "Not allowed."),
        s if s >= 500 => ApiError::new(C::Internal, "Internal error."),
        _ => ApiError::new(C::ValidationFailed, "The request is not valid."),
    };
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = serde_json::to_vec(&err.body()).unwrap_or_default();
    Response::from_parts(parts, axum::body::Body::from(body))
}

async fn api_not_found() -> error::ApiError {
    error::ApiError::new(error::ErrorCode::NotFound, "No such endpoint.")
}

async fn openapi_json() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], openapi::json()).into_response()
}

/// Counts requests, logs them (path template only: no query strings, ids or bodies), and sets
/// `nosniff` on every answer.
async fn track(State(s): State<HttpState>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".into());
    let mut resp = next.run(req).await;
    let status = resp.status();
    s.app.metrics.http_requests.fetch_add(1, Ordering::Relaxed);
    if status.is_server_error() {
        s.app.metrics.http_errors_5xx.fetch_add(1, Ordering::Relaxed);
    }
    tracing::debug!(http.method = %method, http.route = %route, http.status = status.as_u16(), duration_ms = started.elapsed().as_millis() as u64, "request");
    let headers = resp.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if s.config.secure_cookies {
        // Served over HTTPS (behind a TLS proxy): browsers keep to HTTPS for a year.
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    resp
}
