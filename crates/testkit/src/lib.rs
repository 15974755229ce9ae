//! Test support: `TestApp` runs a whole Frontline on `127.0.0.1:0` inside the test, and typed
//! actors (`OperatorClient`, `VisitorClient`) talk to it over real HTTP and WebSockets.
//! A dev-dependency only.

use anyhow::{Context, Result, bail};
use frontline_core::bus::{Bus, LocalBus};
use frontline_core::{App, Clock, SystemClock};
use frontline_server::{Config, Server};
use frontline_store::Store;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub mod mail;
pub mod proxy;
pub mod s3;
pub mod telegram;

pub const ADMIN_PASSWORD: &str = "correct horse battery";

/// Which store a test app runs on.
#[derive(Clone)]
pub enum Backend {
    /// A fresh SQLite file in a temporary folder.
    Sqlite,
    /// A store made by the test (PostgreSQL schema, a shared database for two nodes).
    Given(Arc<dyn Store>),
}

pub struct Options {
    pub backend: Backend,
    pub bus: Option<Arc<dyn Bus>>,
    pub data_dir: Option<PathBuf>,
    pub web_dir: Option<PathBuf>,
    pub clock: Arc<dyn Clock>,
    /// Rate limits (default: the server's defaults; a burst test raises them).
    pub limits: Option<frontline_core::limits::RateLimits>,
    /// Changes the configuration before the server is built (production settings).
    pub tweak: Option<fn(&mut Config)>,
    /// The Telegram Bot API's address (a [`telegram::FakeTelegram`]'s).
    pub telegram_api: Option<String>,
    /// Files kept in this bucket (a [`s3::TestBucket`]'s) instead of the data folder.
    pub s3: Option<frontline_integrations::S3Config>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            backend: Backend::Sqlite,
            bus: None,
            data_dir: None,
            web_dir: None,
            clock: Arc::new(SystemClock),
            limits: None,
            tweak: None,
            telegram_api: None,
            s3: None,
        }
    }
}

/// A running Frontline.
pub struct TestApp {
    pub base: String,
    pub app: App,
    pub site_key: String,
    pub admin_email: String,
    pub data_dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<Result<()>>>,
}

pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("frontline-tests").join(uuid::Uuid::now_v7().to_string());
    std::fs::create_dir_all(&dir).ok();
    dir
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(opts: Options) -> Self {
        Self::try_spawn(opts).await.expect("start a test Frontline")
    }

    /// Like [`TestApp::spawn_with`], answering the error of a server that refuses to start.
    pub async fn try_spawn(opts: Options) -> Result<Self> {
        let data_dir = opts.data_dir.unwrap_or_else(temp_dir);
        let mut config = Config {
            listen: "127.0.0.1:0".into(),
            data: data_dir.clone(),
            admin_password: Some(ADMIN_PASSWORD.into()),
            web_dir: opts.web_dir,
            // Small but real argon2id parameters: tests hash many passwords.
            argon2_m_kib: 1024,
            argon2_t: 1,
            // Tests drive time-based work with `TestApp::tick`, so the background loop stays out
            // of their way.
            scheduler_tick_ms: 3_600_000,
            // The outbox worker runs as in production, looking often; tests call a local
            // receiver on 127.0.0.1.
            outbox_tick_ms: 20,
            webhooks_allow_private: true,
            webhook_timeout: std::time::Duration::from_millis(1500),
            limits: opts.limits.unwrap_or_default(),
            ..Config::default()
        };
        if let Some(url) = opts.telegram_api {
            config.telegram_api = url;
        }
        config.s3 = opts.s3;
        if let Some(tweak) = opts.tweak {
            tweak(&mut config);
        }
        let store: Arc<dyn Store> = match opts.backend {
            Backend::Sqlite => frontline_server::open_store(&config.database_url()).await?,
            Backend::Given(s) => s,
        };
        let bus = opts.bus.unwrap_or_else(|| Arc::new(LocalBus::default()));
        let server = Server::build_with(&config, opts.clock, store, bus).await?;
        let addr = server.local_addr()?;
        let app = server.app.clone();
        let site_key = server.bootstrap.site_key.clone();
        let admin_email = server.bootstrap.admin_email.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let handle = tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        Ok(Self {
            base: format!("http://{addr}"),
            app,
            site_key,
            admin_email,
            data_dir,
            stop: Some(stop),
            handle: Some(handle),
        })
    }

    /// This app's own origin, as a browser on its pages sends it.
    pub fn origin(&self) -> String {
        self.base.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Runs the scheduler once at the clock's time (the background loop does the same every
    /// tick; calling it makes a test independent of the loop's timing).
    pub async fn tick(&self) -> frontline_core::scheduler::Tick {
        frontline_core::scheduler::tick(&self.app).await.expect("scheduler tick")
    }

    /// Creates an operator (through the admin API), puts him in `channels` and signs him in.
    pub async fn operator(&self, admin: &OperatorClient, email: &str, name: &str, channels: &[&str]) -> OperatorClient {
        let password = "operator-password";
        let resp = admin
            .post(
                "/api/v1/operators",
                json!({"email": email, "display_name": name, "password": password, "role": "operator"}),
            )
            .await;
        assert_eq!(resp.status(), 201, "create operator {email}");
        let created: Value = resp.json().await.expect("json");
        for ch in channels {
            let members: Value = admin.get(&format!("/api/v1/channels/{ch}/members")).await.json().await.expect("json");
            let mut ids: Vec<Value> =
                members["items"].as_array().cloned().unwrap_or_default().iter().map(|m| m["id"].clone()).collect();
            ids.push(created["id"].clone());
            let resp = admin.put(&format!("/api/v1/channels/{ch}/members"), json!({ "operator_ids": ids })).await;
            assert_eq!(resp.status(), 200, "members of {ch}");
        }
        self.login(email, password).await.expect("operator login")
    }

    /// Signs in the demo admin.
    pub async fn admin(&self) -> OperatorClient {
        self.login(&self.admin_email, ADMIN_PASSWORD).await.expect("admin login")
    }

    pub async fn login(&self, email: &str, password: &str) -> Result<OperatorClient> {
        let http = reqwest::Client::new();
        let resp = http
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await?;
        if !resp.status().is_success() {
            bail!("login refused: {} {}", resp.status(), resp.text().await.unwrap_or_default());
        }
        let set = resp.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let cookie = set.split(';').next().unwrap_or_default().to_owned();
        let me: Value = resp.json().await?;
        Ok(OperatorClient { base: self.base.clone(), http, me, cookie })
    }

    /// A new visitor of the demo site, calling from this app's own origin (the demo page).
    pub async fn visitor(&self) -> VisitorClient {
        self.visitor_from(&self.origin(), None).await.expect("visitor session")
    }

    /// A visitor whose browser says `origin`; `token` brings back an earlier visitor.
    pub async fn visitor_from(&self, origin: &str, token: Option<&str>) -> Result<VisitorClient> {
        self.visitor_session(origin, json!({ "key": self.site_key, "token": token })).await
    }

    /// A session of a visitor (new, or the one of `token`) on a page with a title.
    pub async fn visitor_on_page(&self, token: Option<&str>, page_url: &str, title: &str) -> VisitorClient {
        let body = json!({ "key": self.site_key, "token": token, "page_url": page_url, "page_title": title });
        self.visitor_session(&self.origin(), body).await.expect("visitor session")
    }

    /// A new visitor on `page_url` with what the site tells about him (routing reads both).
    pub async fn visitor_at(&self, page_url: &str, properties: Value) -> VisitorClient {
        let body = json!({ "key": self.site_key, "page_url": page_url, "properties": properties, "language": "ru-RU" });
        self.visitor_session(&self.origin(), body).await.expect("visitor session")
    }

    async fn visitor_session(&self, origin: &str, body: Value) -> Result<VisitorClient> {
        let http = reqwest::Client::new();
        let resp = http.post(self.url("/widget/v1/session")).header("origin", origin).json(&body).send().await?;
        if !resp.status().is_success() {
            bail!("session refused: {} {}", resp.status(), resp.text().await.unwrap_or_default());
        }
        let session: Value = resp.json().await?;
        let token = session["token"].as_str().context("token")?.to_owned();
        Ok(VisitorClient { base: self.base.clone(), origin: origin.to_owned(), http, token, session })
    }

    /// Stops the server the way SIGTERM does, and waits for it.
    pub async fn stop(mut self) {
        self.shutdown().await;
    }

    async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(handle) = self.handle.take() {
            match tokio::time::timeout(Duration::from_secs(30), handle).await {
                Ok(Ok(Ok(()))) => {}
                other => panic!("server did not stop cleanly: {other:?}"),
            }
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A signed-in operator.
#[derive(Clone)]
pub struct OperatorClient {
    pub base: String,
    pub http: reqwest::Client,
    pub me: Value,
    /// `frontline_session=…`, sent by hand so tests see exactly what a browser sends.
    pub cookie: String,
}

impl OperatorClient {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).header("cookie", &self.cookie).send().await.expect("GET")
    }

    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.http.post(self.url(path)).header("cookie", &self.cookie).json(&body).send().await.expect("POST")
    }

    pub async fn put(&self, path: &str, body: Value) -> reqwest::Response {
        self.http.put(self.url(path)).header("cookie", &self.cookie).json(&body).send().await.expect("PUT")
    }

    pub async fn patch(&self, path: &str, body: Value) -> reqwest::Response {
        self.http.patch(self.url(path)).header("cookie", &self.cookie).json(&body).send().await.expect("PATCH")
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        self.http.delete(self.url(path)).header("cookie", &self.cookie).send().await.expect("DELETE")
    }

    /// `POST /api/v1/uploads?name=…` with the file's bytes.
    pub async fn upload(&self, name: &str, bytes: Vec<u8>) -> reqwest::Response {
        self.http
            .post(self.url("/api/v1/uploads"))
            .query(&[("name", name)])
            .header("cookie", &self.cookie)
            .body(bytes)
            .send()
            .await
            .expect("upload")
    }

    /// This operator's id.
    pub fn id(&self) -> String {
        self.me["operator"]["id"].as_str().unwrap_or_default().to_owned()
    }

    /// Sets his presence (`online`, `away`, `offline`).
    pub async fn presence(&self, presence: &str) -> Value {
        let resp = self.put("/api/v1/me/presence", json!({ "presence": presence })).await;
        assert_eq!(resp.status(), 200, "presence {presence}");
        resp.json().await.expect("json")
    }

    pub async fn dialogs(&self, status: &str) -> Vec<Value> {
        let v: Value = self.get(&format!("/api/v1/dialogs?status={status}")).await.json().await.expect("json");
        v["items"].as_array().cloned().unwrap_or_default()
    }

    pub async fn messages(&self, dialog: &str) -> Vec<Value> {
        let v: Value = self.get(&format!("/api/v1/dialogs/{dialog}/messages")).await.json().await.expect("json");
        v["items"].as_array().cloned().unwrap_or_default()
    }

    /// The console's socket, with the session cookie and this app's origin.
    pub async fn ws(&self) -> WsClient {
        let cookie = self.cookie.clone();
        let url = format!("{}/api/v1/ws", self.base.replacen("http", "ws", 1));
        let mut req = url.into_client_request().expect("ws request");
        req.headers_mut().insert("cookie", cookie.parse().expect("cookie header"));
        req.headers_mut().insert("origin", self.base.parse().expect("origin header"));
        WsClient::connect(req).await.expect("operator socket")
    }
}

/// A visitor with a widget session.
#[derive(Clone)]
pub struct VisitorClient {
    pub base: String,
    pub origin: String,
    pub http: reqwest::Client,
    pub token: String,
    pub session: Value,
}

impl VisitorClient {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `POST /widget/v1/messages`.
    pub async fn send(&self, client_id: &str, body: &str) -> reqwest::Response {
        self.http
            .post(self.url("/widget/v1/messages"))
            .header("origin", &self.origin)
            .bearer_auth(&self.token)
            .json(&json!({ "client_id": client_id, "body": body }))
            .send()
            .await
            .expect("POST message")
    }

    /// Sends a message that must be taken, and answers the id of the dialog it went to.
    pub async fn write(&self, client_id: &str, body: &str) -> String {
        let resp = self.send(client_id, body).await;
        assert!(resp.status().is_success(), "send {client_id}: {}", resp.status());
        let v: Value = resp.json().await.expect("json");
        v["dialog_id"].as_str().expect("dialog id").to_owned()
    }

    /// Any widget call with his token, from his origin.
    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut req = self.http.request(method, self.url(path)).header("origin", &self.origin).bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("widget call")
    }

    /// `POST /widget/v1/uploads?name=…` with the file's bytes.
    pub async fn upload(&self, name: &str, bytes: Vec<u8>) -> reqwest::Response {
        self.http
            .post(self.url("/widget/v1/uploads"))
            .query(&[("name", name)])
            .header("origin", &self.origin)
            .bearer_auth(&self.token)
            .body(bytes)
            .send()
            .await
            .expect("upload")
    }

    pub async fn history(&self) -> Vec<Value> {
        let v: Value = self
            .http
            .get(self.url("/widget/v1/messages"))
            .header("origin", &self.origin)
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("GET messages")
            .json()
            .await
            .expect("json");
        v["items"].as_array().cloned().unwrap_or_default()
    }

    pub async fn ws(&self) -> WsClient {
        self.ws_from(&self.origin.clone()).await.expect("visitor socket")
    }

    /// The widget's socket as the widget opens it: the token in the first frame (`auth`), then
    /// `hello`; a refusal after the handshake (`error`, then Close) is an `Err` here too.
    pub async fn ws_from(&self, origin: &str) -> Result<WsClient> {
        let url = format!("{}/widget/v1/ws", self.base.replacen("http", "ws", 1));
        let mut req = url.into_client_request()?;
        req.headers_mut().insert("origin", origin.parse()?);
        let mut ws = WsClient::connect(req).await?;
        ws.send(json!({"type": "auth", "token": self.token})).await;
        let first = ws.read().await.context("no frame after auth")?;
        if first["type"] == "error" {
            bail!("socket refused: {first}");
        }
        ws.backlog.push_back(first);
        Ok(ws)
    }

    /// The socket as widgets loaded before the first-frame token opened it (`?token=`).
    pub async fn ws_with_token_in_url(&self) -> Result<WsClient> {
        let url = format!("{}/widget/v1/ws?token={}", self.base.replacen("http", "ws", 1), self.token);
        let mut req = url.into_client_request()?;
        req.headers_mut().insert("origin", self.origin.parse()?);
        WsClient::connect(req).await
    }
}

/// A WebSocket speaking Frontline's JSON frames.
pub struct WsClient {
    stream: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    /// Frames read while looking for another type, kept in order.
    backlog: std::collections::VecDeque<Value>,
}

impl WsClient {
    async fn connect(req: tokio_tungstenite::tungstenite::handshake::client::Request) -> Result<Self> {
        let (stream, _) = tokio_tungstenite::connect_async(req).await?;
        Ok(Self { stream, backlog: Default::default() })
    }

    pub async fn send(&mut self, frame: Value) {
        self.stream.send(Message::Text(frame.to_string().into())).await.expect("ws send");
    }

    /// The next frame (5 s at most).
    pub async fn next(&mut self) -> Value {
        if let Some(v) = self.backlog.pop_front() {
            return v;
        }
        self.read().await.expect("a frame within 5 s")
    }

    async fn read(&mut self) -> Option<Value> {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(5), self.stream.next()).await.ok()??.ok()?;
            match msg {
                Message::Text(t) => return serde_json::from_str(&t).ok(),
                Message::Close(_) => return None,
                _ => continue,
            }
        }
    }

    /// The next frame of `kind`, keeping the others for later `next` calls.
    pub async fn next_of(&mut self, kind: &str) -> Value {
        if let Some(i) = self.backlog.iter().position(|v| v["type"] == kind) {
            return self.backlog.remove(i).expect("index");
        }
        loop {
            let v = self.read().await.unwrap_or_else(|| panic!("no {kind:?} frame within 5 s"));
            if v["type"] == kind {
                return v;
            }
            self.backlog.push_back(v);
        }
    }

    /// Frames that arrive within `ms` (for checking that nothing more comes).
    pub async fn drain(&mut self, ms: u64) -> Vec<Value> {
        let mut out: Vec<Value> = self.backlog.drain(..).collect();
        loop {
            match tokio::time::timeout(Duration::from_millis(ms), self.stream.next()).await {
                Ok(Some(Ok(Message::Text(t)))) => out.extend(serde_json::from_str::<Value>(&t).ok()),
                Ok(Some(Ok(_))) => continue,
                _ => return out,
            }
        }
    }

    /// Whether the server closed the socket (a close frame or end of stream within 5 s).
    pub async fn closed(&mut self) -> bool {
        loop {
            match tokio::time::timeout(Duration::from_secs(5), self.stream.next()).await {
                Ok(None) | Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => continue,
                Err(_) => return false,
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}

/// Several nodes of one install in a test: a PostgreSQL schema and a NATS subject prefix of
/// their own, so tests running at once never see each other's rows or events.
pub struct Install {
    pub db: String,
    pub nats: String,
    pub schema: String,
    pub prefix: String,
}

impl Install {
    /// `None` outside CI without PostgreSQL or NATS.
    pub fn from_env() -> Option<Self> {
        let (db, nats) = (frontline_store::contract::test_database_url()?, test_nats_url()?);
        Some(Self {
            db,
            nats,
            schema: format!("fl_test_{}", uuid::Uuid::now_v7().simple()),
            prefix: format!("frontline-test-{}", uuid::Uuid::now_v7().simple()),
        })
    }

    /// A node of the install, with `opts`' other settings.
    pub async fn node(&self, opts: Options) -> TestApp {
        self.node_via(&self.nats, opts).await
    }

    /// A node that reaches NATS at `nats_url` (through a [`proxy::Proxy`], say).
    pub async fn node_via(&self, nats_url: &str, opts: Options) -> TestApp {
        let store = frontline_store_postgres::PgStore::connect_in_schema(&self.db, Some(&self.schema))
            .await
            .expect("PostgreSQL");
        let bus = frontline_core::bus::nats::NatsBus::connect(nats_url, &self.prefix).await.expect("NATS");
        TestApp::spawn_with(Options { backend: Backend::Given(Arc::new(store)), bus: Some(Arc::new(bus)), ..opts })
            .await
    }

    /// Drops the install's schema (its nodes stopped first).
    pub async fn drop_schema(&self) {
        frontline_store_postgres::PgStore::drop_schema(&self.db, &self.schema).await.expect("drop schema");
    }
}

/// A throw-away PostgreSQL store for a test, or `None` outside CI without a database.
pub async fn postgres_store() -> Option<Arc<dyn Store>> {
    let url = frontline_store::contract::test_database_url()?;
    Some(Arc::new(frontline_store_postgres::PgStore::temporary(&url).await.expect("PostgreSQL")))
}

/// The NATS URL for tests, from `FRONTLINE_TEST_NATS_URL`; required under CI like PostgreSQL.
pub fn test_nats_url() -> Option<String> {
    match std::env::var("FRONTLINE_TEST_NATS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") => {
            panic!("CI is set but FRONTLINE_TEST_NATS_URL is not: NATS tests cannot be skipped in CI")
        }
        _ => {
            eprintln!("FRONTLINE_TEST_NATS_URL is not set: skipping a NATS test");
            None
        }
    }
}
