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

/// Prometheus text format.
pub async fn metrics(State(s): State<HttpState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], s.app.metrics.render(s.app.store.backend()))
}
