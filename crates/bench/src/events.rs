//! The Web API events phase: a key made by the admin, then `workers` clients posting events of
//! `users` site users as fast as the server answers, `batch` events a call
//! (`POST /api/v1/web/users/{id}/events`); durable events per second (a 200 answers after the
//! commit) and the latency of a call. Run with `--rate-limits false` on the server (the bench's
//! spawn does), or the key's limit is what is measured.

use crate::client::Target;
use crate::stats::Samples;
use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub async fn run(target: &Target, workers: usize, users: usize, batch: usize, seconds: u64) -> Result<()> {
    let made = target
        .admin_post("/api/v1/api-keys", json!({"name": "bench", "scopes": ["events:write", "visitors:write"]}))
        .await?;
    let key = made["secret"].as_str().context("the key's secret")?.to_owned();
    let http = reqwest::Client::builder().pool_max_idle_per_host(workers).build()?;
    // The users exist first, so the phase measures events, not the first write of a visitor.
    for u in 0..users {
        let resp = http
            .put(format!("{}/api/v1/web/users/bench-{u}", target.base))
            .bearer_auth(&key)
            .json(&json!({}))
            .send()
            .await?;
        anyhow::ensure!(resp.status().is_success(), "user bench-{u}: {}", resp.status());
    }
    for batch in [1, batch] {
        let events = Arc::new(AtomicU64::new(0));
        let refused = Arc::new(AtomicU64::new(0));
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for w in 0..workers {
            let (http, key, base) = (http.clone(), key.clone(), target.base.clone());
            let (events, refused) = (events.clone(), refused.clone());
            tasks.push(tokio::spawn(async move {
                let mut lat = Samples::default();
                let mut n = 0usize;
                while Instant::now() < deadline {
                    let user = (w * 7919 + n) % users;
                    let body: Vec<Value> = (0..batch)
                        .map(|i| json!({"name": if i % 3 == 0 { "order_paid" } else { "page_viewed" }, "properties": {"sum": 1500 + i}}))
                        .collect();
                    let t = Instant::now();
                    let resp = http
                        .post(format!("{base}/api/v1/web/users/bench-{user}/events"))
                        .bearer_auth(&key)
                        .json(&json!({ "events": body }))
                        .send()
                        .await;
                    match resp {
                        Ok(r) if r.status().is_success() => {
                            lat.push(t.elapsed().as_secs_f64() * 1000.0);
                            events.fetch_add(batch as u64, Ordering::Relaxed);
                        }
                        _ => {
                            refused.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    n += 1;
                }
                lat
            }));
        }
        let mut lat = Samples::default();
        for t in tasks {
            lat.extend(t.await?);
        }
        let secs = started.elapsed().as_secs_f64();
        let n = events.load(Ordering::Relaxed);
        println!(
            "web api events, {batch:>3} a call, {workers} clients: {:.0} events/s durable ({n} events, {} refused)",
            n as f64 / secs,
            refused.load(Ordering::Relaxed)
        );
        println!("  call latency         p50 {:>7.2} ms   p99 {:>7.2} ms", lat.p(50.0), lat.p(99.0));
    }
    Ok(())
}
