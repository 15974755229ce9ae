//! Health, readiness and metrics for whoever runs Frontline.

use crate::state::HttpState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

/// The process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The store answers.
pub async fn readyz(State(s): State<HttpState>) -> impl IntoResponse {
    match s.app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readyz: store not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable")
        }
    }
}

/// Prometheus text format. Off with `metrics = false` (404); with `metrics_token` set, only a
/// scraper that sends `Authorization: Bearer <token>` gets it (401 otherwise).
pub async fn metrics(State(s): State<HttpState>, headers: axum::http::HeaderMap) -> axum::response::Response {
    if !s.config.metrics {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    if let Some(expected) = s.config.metrics_token.as_deref() {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !frontline_core::tokens::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
            return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "metrics need a token")
                .into_response();
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], s.app.metrics.render(s.app.store.backend()))
        .into_response()
}
