//! The `frontline` binary as a library: configuration, wiring, and the server's life cycle.
//! `Server::build(config)` then `run(shutdown)`; tests bind `127.0.0.1:0`.

pub mod config;
pub mod serve;

pub use config::Config;

use anyhow::Context;
use frontline_core::bus::{Bus, LocalBus, nats::NatsBus};
use frontline_core::demo::{self, Bootstrap};
use frontline_core::{App, Clock, CoreConfig};
use frontline_http::{HttpConfig, HttpState};
use frontline_store::Store;
use frontline_store_postgres::PgStore;
use frontline_store_sqlite::SqliteStore;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Opens the store the URL names: `sqlite://…` (default) or `postgres://…`.
pub async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await.context("connecting to PostgreSQL")?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await.context("opening SQLite")?))
    } else {
        anyhow::bail!("database URL must start with sqlite: or postgres://")
    }
}

/// Opens the bus: in-process, or NATS when a `nats://` URL is given.
pub async fn open_bus(url: Option<&str>, prefix: &str) -> anyhow::Result<Arc<dyn Bus>> {
    match url.filter(|u| !u.is_empty()) {
        Some(url) => Ok(Arc::new(NatsBus::connect(url, prefix).await.context("connecting to NATS")?)),
        None => Ok(Arc::new(LocalBus::default())),
    }
}

/// The install's sealing key: as configured, or the data folder's `secret.key` (made now, readable
/// by this user only, when there is none).
fn seal_key(config: &Config) -> anyhow::Result<frontline_core::sealing::SealKey> {
    use frontline_core::sealing::SealKey;
    if let Some(text) = &config.secret_key {
        return SealKey::parse(text).map_err(|e| anyhow::anyhow!("FRONTLINE_SECRET_KEY / secret_key: {e}"));
    }
    let path = config.data.join("secret.key");
    match std::fs::read_to_string(&path) {
        Ok(text) => SealKey::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(&config.data).with_context(|| format!("creating {}", config.data.display()))?;
            let key = SealKey::generate().map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = match options.open(&path) {
                Ok(f) => f,
                // Another node on the same folder made it a moment ago: use that one.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
                    return SealKey::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
                }
                Err(e) => return Err(anyhow::anyhow!("creating {}: {e}", path.display())),
            };
            std::io::Write::write_all(&mut file, format!("{}\n", key.to_base64()).as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            tracing::info!(path = %path.display(), "made the key that seals secrets at rest; keep it with the database's backups");
            Ok(key)
        }
        Err(e) => Err(anyhow::anyhow!("reading {}: {e}", path.display())),
    }
}

/// `https://chat.example.com` of `https://chat.example.com/some/path`.
fn public_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty())?;
    Some(format!("{}://{}", scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

/// A built server, listening, not yet serving.
pub struct Server {
    pub app: App,
    pub bootstrap: Bootstrap,
    timeouts: serve::Timeouts,
    listener: TcpListener,
    state: HttpState,
    shutdown_tx: watch::Sender<bool>,
    outbox_worker: bool,
}

impl Server {
    pub async fn build(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let store = open_store(&config.database_url()).await?;
        let bus = open_bus(config.bus.as_deref(), &config.bus_prefix).await?;
        Self::build_with(config, clock, store, bus).await
    }

    /// Like [`Server::build`] with a store and bus made by the caller (tests: a throw-away
    /// PostgreSQL schema, two nodes on one database).
    pub async fn build_with(
        config: &Config,
        clock: Arc<dyn Clock>,
        store: Arc<dyn Store>,
        bus: Arc<dyn Bus>,
    ) -> anyhow::Result<Self> {
        let core = CoreConfig {
            message_limit: config.message_limit,
            argon2_m_kib: config.argon2_m_kib,
            argon2_t: config.argon2_t,
            presence_grace_ms: config.presence_grace_ms,
            scheduler_tick_ms: config.scheduler_tick_ms,
            uploads: config.uploads.clone(),
            files_dir: Some(config.data.join("files")),
            limits: config.limits.clone(),
            outbox_tick_ms: config.outbox_tick_ms,
            mail_read_ms: config.mail_read_ms,
            event_retention_ms: config.event_retention_ms,
            visitor_event_retention_ms: config.visitor_event_retention_ms,
            webhooks_allow_private: config.webhooks_allow_private,
            seal_key: Some(seal_key(config)?),
            public_url: config.public_url.clone(),
            ..CoreConfig::default()
        };
        let sender =
            frontline_integrations::HttpWebhookSender::new(config.webhooks_allow_private, config.webhook_timeout)
                .map_err(|e| anyhow::anyhow!(e))?;
        let telegram = frontline_integrations::HttpBotApi::new(&config.telegram_api).map_err(|e| anyhow::anyhow!(e))?;
        let mut app = App::new(store, bus, clock, core)
            .with_webhook_sender(Arc::new(sender))
            .with_bot_api(Arc::new(telegram))
            .with_mail(Arc::new(frontline_integrations::SmtpImap));
        if let Some(s3) = &config.s3 {
            let bucket = frontline_integrations::S3Storage::new(s3.clone()).map_err(|e| anyhow::anyhow!(e))?;
            // A wrong endpoint, bucket or key is said now, not at the first upload.
            bucket.check().await.map_err(|e| anyhow::anyhow!("S3: {e}"))?;
            tracing::info!(endpoint = %s3.endpoint, bucket = %s3.bucket, "files are kept in an S3-compatible bucket");
            app = app.with_file_storage(Arc::new(bucket));
        }
        let listener = TcpListener::bind(&config.listen).await.with_context(|| format!("binding {}", config.listen))?;
        let addr = listener.local_addr()?;
        let mut origins =
            vec![format!("http://127.0.0.1:{}", addr.port()), format!("http://localhost:{}", addr.port())];
        origins.extend(config.public_url.iter().cloned());
        let bootstrap = demo::ensure_demo(&app, &origins, config.admin_password.as_deref())
            .await
            .map_err(|e| anyhow::anyhow!("creating the demo workspace: {e}"))?;
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let state = HttpState {
            app: app.clone(),
            config: Arc::new(HttpConfig {
                web_dir: config.web_dir.clone(),
                secure_cookies: config.secure_cookies,
                public_origin: config.public_url.as_deref().and_then(public_origin),
                trust_proxy: config.trust_proxy,
                metrics: config.metrics,
                metrics_token: config.metrics_token.clone(),
                owner_token: config.owner_token.clone(),
                demo_site_key: config.demo.then(|| bootstrap.site_key.clone()),
            }),
            shutdown: shutdown_rx,
            uploads: Arc::new(tokio::sync::Semaphore::new(config.upload_concurrency)),
        };
        let timeouts = serve::Timeouts { header: config.header_timeout, body: config.body_timeout };
        Ok(Self { app, bootstrap, timeouts, listener, state, shutdown_tx, outbox_worker: config.outbox_worker })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes; then closes sockets ("going away"), finishes the
    /// requests in flight and the queued message writes, and closes the store.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let router = frontline_http::router(self.state);
        let scheduler = tokio::spawn(frontline_core::scheduler::run(self.app.clone(), self.shutdown_tx.subscribe()));
        // What other nodes publish, rendered here (nothing to do without other nodes).
        let publisher = tokio::spawn(frontline_core::publisher::run(self.app.clone(), self.shutdown_tx.subscribe()));
        // Telegram bots without a webhook, one node polling each.
        let telegram =
            tokio::spawn(frontline_core::telegram::poller::run(self.app.clone(), self.shutdown_tx.subscribe()));
        // The support mailboxes, read for new mail.
        let every = Duration::from_millis(self.app.config.mail_read_ms.max(100) as u64);
        let mail =
            tokio::spawn(frontline_core::mail::channel::run(self.app.clone(), every, self.shutdown_tx.subscribe()));
        // Reports, kept from the event log.
        let reports = tokio::spawn(frontline_core::reports::run(self.app.clone(), self.shutdown_tx.subscribe()));
        let outbox = self
            .outbox_worker
            .then(|| tokio::spawn(frontline_core::outbox::run(self.app.clone(), self.shutdown_tx.subscribe())));
        let tx = self.shutdown_tx;
        let stopping = async move {
            shutdown.await;
            tracing::info!("shutting down: closing sockets, finishing requests");
            let _ = tx.send(true);
        };
        let result = serve::serve(self.listener, router, self.timeouts, stopping, Duration::from_secs(30)).await;
        let _ = scheduler.await;
        let _ = publisher.await;
        let _ = telegram.await;
        let _ = mail.await;
        let _ = reports.await;
        if let Some(outbox) = outbox {
            let _ = outbox.await;
        }
        self.app.store.close().await;
        tracing::info!("stopped");
        result.context("serving HTTP")
    }
}
