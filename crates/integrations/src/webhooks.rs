//! Webhook delivery over HTTP(S): one POST per attempt, signed, within a time limit (15 s),
//! never following a redirect, and never into the server's own network unless allowed.

use frontline_core::outbox::{WebhookRequest, WebhookResponse, WebhookSender};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::dns::Name;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// A delivery that takes longer fails.
pub const TIMEOUT: Duration = Duration::from_secs(15);
/// How much of an answer the delivery log keeps.
const EXCERPT_BYTES: usize = 1024;

/// Resolves names and, unless private addresses are allowed, keeps only public addresses: a
/// name an admin typed cannot lead into the server's network, even if its DNS changes after
/// the endpoint was registered (the check is made when connecting).
#[derive(Clone)]
struct GuardedResolver {
    allow_private: bool,
}

type Resolving = Pin<Box<dyn Future<Output = Result<std::vec::IntoIter<SocketAddr>, std::io::Error>> + Send>>;

impl tower_service::Service<Name> for GuardedResolver {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = std::io::Error;
    type Future = Resolving;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let refused = |why: String| std::io::Error::new(std::io::ErrorKind::PermissionDenied, why);
            if !allow_private && frontline_domain::net::is_local_name(&host) {
                return Err(refused(format!("{host} is the server itself")));
            }
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> =
                all.iter().copied().filter(|a| allow_private || frontline_domain::net::is_public(a.ip())).collect();
            if kept.is_empty() {
                return Err(refused(if all.is_empty() {
                    format!("{host} has no address")
                } else {
                    format!("{host} resolves only to loopback, private or link-local addresses")
                }));
            }
            Ok(kept.into_iter())
        })
    }
}

type Https = hyper_rustls::HttpsConnector<HttpConnector<GuardedResolver>>;

/// The real [`WebhookSender`].
pub struct HttpWebhookSender {
    /// Made at the first delivery: the system's root certificates cost about 2 MiB, which an
    /// install without webhooks need not hold.
    client: tokio::sync::OnceCell<Client<Https, Full<Bytes>>>,
    allow_private: bool,
    timeout: Duration,
}

impl HttpWebhookSender {
    /// `timeout`: [`TIMEOUT`] in production.
    pub fn new(allow_private: bool, timeout: Duration) -> Result<Self, String> {
        // The TLS configuration is checked now, so a broken one fails at start, not later.
        rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?;
        Ok(Self { client: tokio::sync::OnceCell::new(), allow_private, timeout })
    }

    fn build_client(allow_private: bool, timeout: Duration) -> Result<Client<Https, Full<Bytes>>, String> {
        let http = HttpConnector::new_with_resolver(GuardedResolver { allow_private });
        client(http, timeout.min(Duration::from_secs(10)), 16, "webhooks")
    }

    /// An address given as a literal IP does not go through the resolver: checked here.
    fn refused(&self, url: &url::Url) -> Option<String> {
        if self.allow_private {
            return None;
        }
        let ip = match url.host()? {
            url::Host::Ipv4(ip) => std::net::IpAddr::V4(ip),
            url::Host::Ipv6(ip) => std::net::IpAddr::V6(ip),
            url::Host::Domain(_) => return None,
        };
        (!frontline_domain::net::is_public(ip)).then(|| format!("{ip} is a loopback, private or link-local address"))
    }

    async fn attempt(&self, request: WebhookRequest) -> Result<WebhookResponse, String> {
        let url = url::Url::parse(&request.url).map_err(|e| format!("not a valid address: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("only http and https addresses".into());
        }
        if let Some(why) = self.refused(&url) {
            return Err(why);
        }
        let signature = crate::signature::header(&request.secrets, &request.id, request.timestamp, &request.body);
        if signature.is_empty() {
            return Err("the endpoint's secret is not a whsec_ secret".into());
        }
        let req = hyper::Request::post(url.as_str())
            .header("content-type", "application/json")
            .header("user-agent", concat!("Frontline-Webhooks/", env!("CARGO_PKG_VERSION")))
            .header("webhook-id", &request.id)
            .header("webhook-timestamp", request.timestamp.to_string())
            .header("webhook-signature", signature)
            .body(Full::new(Bytes::from(request.body)))
            .map_err(|e| format!("building the request: {e}"))?;
        let client =
            self.client.get_or_try_init(|| async { Self::build_client(self.allow_private, self.timeout) }).await?;
        let mut response = client.request(req).await.map_err(|e| describe(&e))?;
        let status = response.status();
        let location = response.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_owned);
        let mut excerpt = Vec::new();
        let mut body_error = None;
        while excerpt.len() < EXCERPT_BYTES {
            match response.body_mut().frame().await {
                Some(Ok(frame)) => {
                    if let Some(data) = frame.data_ref() {
                        excerpt.extend_from_slice(&data[..data.len().min(EXCERPT_BYTES - excerpt.len())]);
                    }
                }
                Some(Err(e)) => {
                    body_error = Some(format!("reading the answer: {e}"));
                    break;
                }
                None => break,
            }
        }
        let error = if status.is_redirection() {
            Some(match location {
                Some(l) => format!("redirects are not followed (to {l})"),
                None => "redirects are not followed".into(),
            })
        } else if !status.is_success() {
            Some(body_error.unwrap_or_else(|| format!("the endpoint answered {status}")))
        } else {
            // The status came; a body cut short after it does not undo the delivery.
            None
        };
        Ok(WebhookResponse {
            status: Some(status.as_u16()),
            excerpt: (!excerpt.is_empty()).then(|| String::from_utf8_lossy(&excerpt).into_owned()),
            latency_ms: 0,
            error,
        })
    }
}

/// An HTTP/1 client over `http` with TLS (rustls on ring, the system's root certificates), for
/// `what` (named in the warning when the system has no certificates).
pub(crate) fn client<R, B>(
    mut http: HttpConnector<R>,
    connect_timeout: Duration,
    idle_per_host: usize,
    what: &str,
) -> Result<Client<hyper_rustls::HttpsConnector<HttpConnector<R>>, B>, String>
where
    R: tower_service::Service<Name> + Clone + Send + Sync + 'static,
    R::Response: Iterator<Item = SocketAddr>,
    R::Future: Send,
    R::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: hyper::body::Body + Send + Unpin + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let tls = tls_config(what)?;
    http.enforce_http(false);
    http.set_connect_timeout(Some(connect_timeout));
    http.set_nodelay(true);
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_max_idle_per_host(idle_per_host)
        .pool_idle_timeout(Duration::from_secs(60))
        .build(https))
}

/// TLS as clients of `what` use it: rustls on ring, the system's root certificates.
pub(crate) fn tls_config(what: &str) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(rustls_native_certs());
    if added == 0 {
        tracing::warn!("no system certificates found: {what} over TLS will fail until ca-certificates is installed");
    }
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

fn rustls_native_certs() -> Vec<rustls::pki_types::CertificateDer<'static>> {
    let found = rustls_native_certs::load_native_certs();
    for e in &found.errors {
        tracing::debug!(error = %e, "a system certificate could not be read");
    }
    found.certs
}

#[async_trait::async_trait]
impl WebhookSender for HttpWebhookSender {
    async fn send(&self, request: WebhookRequest) -> WebhookResponse {
        let started = Instant::now();
        let result = tokio::time::timeout(self.timeout, self.attempt(request)).await;
        let latency_ms = started.elapsed().as_millis() as i64;
        match result {
            Ok(Ok(r)) => WebhookResponse { latency_ms, ..r },
            Ok(Err(error)) => WebhookResponse { error: Some(error), latency_ms, ..Default::default() },
            Err(_) => WebhookResponse {
                error: Some(format!("no answer within {} ms", self.timeout.as_millis())),
                latency_ms,
                ..Default::default()
            },
        }
    }
}

/// The error and its causes (a refused connection, a certificate, the address guard).
pub(crate) fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
