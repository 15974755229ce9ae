//! The webhook phase: a receiver on 127.0.0.1, an endpoint subscribed to `message.created`,
//! then the message load; deliveries per second and the latency from the event (the time in
//! its UUIDv7 id, taken when the change was written) to the receiver reading the request.

use crate::client::{Target, run_load};
use crate::stats::Samples;
use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Received {
    count: AtomicU64,
    latency: Mutex<Samples>,
    first: Mutex<Option<Instant>>,
    last: Mutex<Option<Instant>>,
}

fn now_ms() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

async fn receive(axum::extract::State(r): axum::extract::State<Arc<Received>>, body: String) -> &'static str {
    let at = now_ms();
    let event: Option<uuid::Uuid> =
        serde_json::from_str::<Value>(&body).ok().and_then(|v| v["id"].as_str().and_then(|s| s.parse().ok()));
    if let Some((secs, nanos)) = event.and_then(|id| id.get_timestamp()).map(|t| t.to_unix()) {
        let written = secs as f64 * 1000.0 + f64::from(nanos) / 1e6;
        if let Ok(mut l) = r.latency.lock() {
            l.push(at - written);
        }
    }
    r.count.fetch_add(1, Ordering::Relaxed);
    let now = Instant::now();
    if let Ok(mut f) = r.first.lock() {
        f.get_or_insert(now);
    }
    if let Ok(mut l) = r.last.lock() {
        *l = Some(now);
    }
    "ok"
}

impl Received {
    fn reset(&self) {
        self.count.store(0, Ordering::Relaxed);
        if let Ok(mut l) = self.latency.lock() {
            *l = Samples::default();
        }
        *self.first.lock().expect("lock") = None;
        *self.last.lock().expect("lock") = None;
    }

    /// Waits until `n` deliveries came (at most `limit`); answers deliveries/s between the
    /// first and the last, and the latency samples.
    async fn settle(&self, n: u64, limit: Duration) -> (u64, f64, Samples) {
        let start = Instant::now();
        while self.count.load(Ordering::Relaxed) < n && start.elapsed() < limit {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let got = self.count.load(Ordering::Relaxed);
        let span = match (*self.first.lock().expect("lock"), *self.last.lock().expect("lock")) {
            (Some(a), Some(b)) => b.duration_since(a).as_secs_f64().max(0.001),
            _ => 1.0,
        };
        (got, got as f64 / span, self.latency.lock().expect("lock").clone())
    }
}

/// Runs the phase; the server must allow webhooks to loopback (`FRONTLINE_WEBHOOKS_ALLOW_PRIVATE`).
pub async fn run(target: &Target, visitors: usize, operators: usize, seconds: u64, rate: u64) -> Result<()> {
    let r = Arc::new(Received::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let app = axum::Router::new().route("/hook", axum::routing::post(receive)).with_state(r.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let created = target.admin_post("/api/v1/webhooks", json!({"url": url, "events": ["message.created"]})).await?;
    created["endpoint"]["id"].as_str().context("the endpoint was not created")?;

    let load = run_load(target, visitors, operators, Duration::from_secs(seconds), None).await?;
    let (got, per_s, lat) = r.settle(load.acked, Duration::from_secs(120)).await;
    println!(
        "webhooks, closed loop: {:.0} messages/s durable; {got} of {} deliveries, {per_s:.0} deliveries/s sustained",
        load.rate(),
        load.acked
    );
    println!("  event → receiver      p50 {:>7.2} ms   p99 {:>7.2} ms", lat.p(50.0), lat.p(99.0));
    tokio::time::sleep(Duration::from_secs(2)).await;
    r.reset();
    let paced = run_load(target, visitors, operators, Duration::from_secs(seconds), Some(rate)).await?;
    let (got, _, lat) = r.settle(paced.acked, Duration::from_secs(60)).await;
    println!("webhooks at {rate} msg/s: {got} of {} delivered", paced.acked);
    println!("  event → receiver      p50 {:>7.2} ms   p99 {:>7.2} ms", lat.p(50.0), lat.p(99.0));
    println!("  end-to-end (sockets)  p50 {:>7.2} ms   p99 {:>7.2} ms", paced.e2e.p(50.0), paced.e2e.p(99.0));
    Ok(())
}
