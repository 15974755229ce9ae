//! The bench's clients: visitor and operator sockets speaking Frontline's frames.

use crate::stats::Samples;
use anyhow::{Context, Result};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Signs in; answers the session cookie.
pub async fn login(http: &reqwest::Client, base: &str, email: &str, password: &str) -> Result<String> {
    let resp = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await?
        .error_for_status()?;
    Ok(resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .context("session cookie")?
        .to_owned())
}

/// A Frontline to load: its address, the admin's cookie, the demo site's key.
pub struct Target {
    pub base: String,
    /// The origin the widget's page is on (the base, unless several nodes serve one site).
    pub origin: String,
    cookie: String,
    site_key: String,
    http: reqwest::Client,
}

impl Target {
    pub async fn connect(base: &str, email: &str, password: &str) -> Result<Self> {
        let http = reqwest::Client::new();
        let cookie = login(&http, base, email, password).await.context("admin login")?;
        let sites: Value =
            http.get(format!("{base}/api/v1/sites")).header("cookie", &cookie).send().await?.json().await?;
        let site_key = sites["items"][0]["key"].as_str().context("a site")?.to_owned();
        Ok(Self { base: base.to_owned(), origin: base.to_owned(), cookie, site_key, http })
    }

    /// A POST as the admin; answers the JSON body of a 2xx.
    pub async fn admin_post(&self, path: &str, body: Value) -> Result<Value> {
        self.admin_call(reqwest::Method::POST, path, Some(body)).await
    }

    /// A call as the admin; answers the JSON body of a 2xx.
    pub async fn admin_call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value> {
        let mut req = self.http.request(method.clone(), format!("{}{path}", self.base)).header("cookie", &self.cookie);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await?;
        let status = resp.status();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        anyhow::ensure!(status.is_success(), "{method} {path}: {status} {v}");
        Ok(v)
    }

    fn ws_url(&self, path: &str) -> String {
        ws_url(&self.base, path)
    }

    /// A new visitor's widget token.
    pub async fn visitor_session(&self) -> Result<String> {
        let session: Value = self
            .http
            .post(format!("{}/widget/v1/session", self.base))
            .header("origin", &self.origin)
            .json(&json!({"key": self.site_key}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(session["token"].as_str().context("token")?.to_owned())
    }

    pub async fn visitor_socket_for(&self, token: &str) -> Result<Ws> {
        widget_socket(&self.base, &self.origin, token).await
    }

    pub async fn visitor_socket(&self) -> Result<Ws> {
        let token = self.visitor_session().await?;
        self.visitor_socket_for(&token).await
    }

    pub async fn operator_socket(&self) -> Result<Ws> {
        let mut req = self.ws_url("/api/v1/ws").into_client_request()?;
        req.headers_mut().insert("origin", self.base.parse()?);
        req.headers_mut().insert("cookie", self.cookie.parse()?);
        let (ws, _) = tokio_tungstenite::connect_async(req).await?;
        Ok(ws)
    }
}

fn ws_url(base: &str, path: &str) -> String {
    format!("{}{path}", base.replacen("http", "ws", 1))
}

/// A widget socket on the Frontline at `base`, from a page on `origin`, signed in as the
/// widget does it: the token in the socket's first frame, not in its URL (the server's
/// first-frame check is then part of what each socket costs).
pub async fn widget_socket(base: &str, origin: &str, token: &str) -> Result<Ws> {
    let mut req = ws_url(base, "/widget/v1/ws").into_client_request()?;
    req.headers_mut().insert("origin", origin.parse()?);
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await?;
    ws.send(Message::Text(json!({"type": "auth", "token": token}).to_string().into())).await?;
    Ok(ws)
}

/// Holds `n` idle visitor sockets and returns the server's RSS growth per socket, in bytes.
/// The visitors are created first and the "before" reading taken after, so the figure is the
/// socket's own cost, not the database rows behind it.
pub async fn run_idle(target: &Target, n: usize, rss: impl Fn() -> Option<u64>) -> Result<Option<f64>> {
    let mut tokens = Vec::with_capacity(n + 50);
    for _ in 0..n + 50 {
        tokens.push(target.visitor_session().await?);
    }
    // Warm up allocator arenas with a few sockets, so the figure is the marginal cost.
    let mut warm = Vec::new();
    for t in &tokens[n..] {
        warm.push(target.visitor_socket_for(t).await?);
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = rss();
    let mut held = Vec::with_capacity(n);
    let mut pending = futures_util::stream::FuturesUnordered::new();
    for t in &tokens[..n] {
        pending.push(target.visitor_socket_for(t));
        if pending.len() >= 32
            && let Some(ws) = pending.next().await
        {
            held.push(ws?);
        }
    }
    while let Some(ws) = pending.next().await {
        held.push(ws?);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss();
    drop(held);
    drop(warm);
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(match (before, after) {
        (Some(b), Some(a)) => Some((a.saturating_sub(b) as f64 * 1024.0) / n as f64),
        _ => None,
    })
}

pub struct LoadResult {
    pub acked: u64,
    pub elapsed: Duration,
    pub ack: Samples,
    pub e2e: Samples,
    /// Every ack: when its message was sent (seconds into the phase) and how long the ack
    /// took, in send order. A stall shows as a run of slow ones sent close together.
    pub timeline: Vec<(f64, f64)>,
}

impl LoadResult {
    pub fn rate(&self) -> f64 {
        self.acked as f64 / self.elapsed.as_secs_f64().max(0.001)
    }

    /// One line on the slowest acks: the slowest (and the slowest delivery), how many took
    /// over 50 ms and over `slow_ms`, and the stalls they came from: acks over `slow_ms` sent
    /// within 200 ms of each other form one, printed as when it began (seconds into the
    /// phase), how many, and its worst.
    pub fn slow_line(&self, slow_ms: f64) -> String {
        let max = self.ack.0.iter().copied().fold(0.0, f64::max);
        let e2e_max = self.e2e.0.iter().copied().fold(0.0, f64::max);
        let over = |ms: f64| self.timeline.iter().filter(|(_, l)| *l > ms).count();
        let mut stalls: Vec<(f64, f64, usize, f64)> = Vec::new();
        for &(at, ms) in self.timeline.iter().filter(|(_, l)| *l > slow_ms) {
            match stalls.last_mut() {
                Some(s) if at - s.1 <= 0.2 => {
                    s.1 = at;
                    s.2 += 1;
                    s.3 = s.3.max(ms);
                }
                _ => stalls.push((at, at, 1, ms)),
            }
        }
        let mut line = format!(
            "  slowest ack {max:.2} ms, end-to-end {e2e_max:.2} ms; acks over 50 ms: {}, over {slow_ms} ms: {}",
            over(50.0),
            over(slow_ms)
        );
        for (at, _, n, worst) in stalls.iter().take(12) {
            line.push_str(&format!("; {at:.2} s: {n} up to {worst:.0} ms"));
        }
        if stalls.len() > 12 {
            line.push_str(&format!("; {} more", stalls.len() - 12));
        }
        line
    }
}

/// Opens the sockets on a Frontline and drives them.
pub async fn run_load(
    target: &Target,
    visitors: usize,
    operators: usize,
    duration: Duration,
    rate: Option<u64>,
) -> Result<LoadResult> {
    let mut ops = Vec::new();
    for _ in 0..operators.max(1) {
        ops.push(target.operator_socket().await?);
    }
    let mut vis = Vec::new();
    for _ in 0..visitors {
        vis.push(target.visitor_socket().await?);
    }
    drive(vis, ops, duration, rate).await
}

/// The writers' ack latencies and acked counts, once all have finished.
pub async fn gather_writers(tasks: Vec<tokio::task::JoinHandle<(Samples, u64)>>) -> Result<(Samples, u64)> {
    let (mut ack, mut acked) = (Samples::default(), 0);
    for t in tasks {
        let (a, c) = t.await?;
        ack.extend(a);
        acked += c;
    }
    Ok((ack, acked))
}

/// A writer's pace: none in the closed loop (each send follows the last ack); at a fixed rate
/// for all `n` writers, writer `i` sends once an interval, the writers spread over it so the
/// rate is smooth.
pub struct Pace(Option<tokio::time::Interval>);

impl Pace {
    pub fn new(rate: Option<u64>, i: usize, n: usize) -> Self {
        Self(rate.map(|r| {
            let interval = Duration::from_secs_f64(n as f64 / r.max(1) as f64);
            let offset = interval.mul_f64(i as f64 / n.max(1) as f64);
            tokio::time::interval_at(tokio::time::Instant::now() + offset, interval)
        }))
    }

    /// Waits for the writer's next turn: false when the phase ends first (a paced writer whose
    /// next turn falls after the end stops there).
    pub async fn turn(&mut self, stop_at: Instant) -> bool {
        if Instant::now() >= stop_at {
            return false;
        }
        match self.0.as_mut() {
            Some(t) => tokio::time::timeout_at(stop_at.into(), t.tick()).await.is_ok(),
            None => true,
        }
    }
}

/// Visitors send (closed loop, or paced at `rate` in all), operators receive; the first
/// operator socket times end-to-end delivery.
pub async fn drive(visitors: Vec<Ws>, operators: Vec<Ws>, duration: Duration, rate: Option<u64>) -> Result<LoadResult> {
    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let stop_at = Instant::now() + duration;
    let mut op_tasks = Vec::new();
    for (i, mut ws) in operators.into_iter().enumerate() {
        let sent = sent.clone();
        op_tasks.push(tokio::spawn(async move {
            let mut e2e = Samples::default();
            let hard_stop = stop_at + Duration::from_secs(3);
            while let Ok(Some(Ok(msg))) = tokio::time::timeout_at(hard_stop.into(), ws.next()).await {
                let Message::Text(t) = msg else { continue };
                if i != 0 || !t.contains("\"message.created\"") {
                    continue;
                }
                let Ok(v) = serde_json::from_str::<Value>(&t) else {
                    continue;
                };
                if v["message"]["author"]["kind"] != "visitor" {
                    continue;
                }
                let Some(cid) = v["message"]["client_id"].as_str() else {
                    continue;
                };
                let started = sent.lock().ok().and_then(|mut m| m.remove(cid));
                if let Some(at) = started {
                    e2e.push(at.elapsed().as_secs_f64() * 1000.0);
                }
            }
            e2e
        }));
    }
    let n = visitors.len().max(1);
    let started = Instant::now();
    let mut vis_tasks = Vec::new();
    for (i, mut ws) in visitors.into_iter().enumerate() {
        let sent = sent.clone();
        vis_tasks.push(tokio::spawn(async move {
            let mut acks = Samples::default();
            // When each acked message was sent, seconds into the phase (beside `acks`).
            let mut sent_at = Vec::new();
            let mut count = 0u64;
            let mut pace = Pace::new(rate, i, n);
            let mut seq = 0u64;
            while pace.turn(stop_at).await {
                seq += 1;
                let cid = format!("b{i}-{seq}");
                let at = Instant::now();
                if let Ok(mut m) = sent.lock() {
                    m.insert(cid.clone(), at);
                }
                let frame =
                    json!({"type": "send", "client_id": cid, "body": "Здравствуйте! Сколько стоит кухня 3 метра?"});
                if ws.send(Message::Text(frame.to_string().into())).await.is_err() {
                    break;
                }
                // Wait for this send's ack, skipping the echo and other frames.
                loop {
                    match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
                        Ok(Some(Ok(Message::Text(t)))) if t.contains("\"type\":\"ack\"") => {
                            let ms = at.elapsed().as_secs_f64() * 1000.0;
                            acks.push(ms);
                            sent_at.push((at - started).as_secs_f64());
                            count += 1;
                            break;
                        }
                        Ok(Some(Ok(_))) => continue,
                        _ => return (acks, count, sent_at),
                    }
                }
            }
            let _ = ws.close(None).await;
            (acks, count, sent_at)
        }));
    }
    let (mut ack, mut acked, mut timeline) = (Samples::default(), 0, Vec::new());
    for t in vis_tasks {
        let (a, c, at) = t.await?;
        timeline.extend(at.iter().copied().zip(a.0.iter().copied()));
        ack.extend(a);
        acked += c;
    }
    let elapsed = started.elapsed();
    let mut e2e = Samples::default();
    for t in op_tasks {
        e2e.extend(t.await?);
    }
    timeline.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(LoadResult { acked, elapsed, ack, e2e, timeline })
}
