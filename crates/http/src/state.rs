//! What every handler can reach.

use frontline_core::App;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::watch;

/// Settings of the HTTP edge.
#[derive(Debug, Clone, Default)]
pub struct HttpConfig {
    /// Serve the web files from this folder instead of the ones built into the binary.
    pub web_dir: Option<PathBuf>,
    /// Mark cookies `Secure` and treat requests as https (behind a TLS proxy).
    pub secure_cookies: bool,
    /// The origin of the configured public URL (`https://chat.example.com`), which counts as
    /// this Frontline's own beside the one the `Host` header names.
    pub public_origin: Option<String>,
    /// Take the client's address from `X-Forwarded-For` (behind a reverse proxy).
    pub trust_proxy: bool,
    /// Serve `/metrics` at all.
    pub metrics: bool,
    /// When set, `/metrics` needs `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
    /// The install owner's secret for `/api/v1/owner/…`; `None`: that API is off (404).
    pub owner_token: Option<String>,
    /// The widget key used by the demo page at `/demo` (`None`: the demo page is off).
    pub demo_site_key: Option<String>,
}

#[derive(Clone)]
pub struct HttpState {
    pub app: App,
    pub config: Arc<HttpConfig>,
    /// Turns true when the server is shutting down: sockets close with "going away".
    pub shutdown: watch::Receiver<bool>,
    /// Places for uploads received at once on this node.
    pub uploads: Arc<tokio::sync::Semaphore>,
}
