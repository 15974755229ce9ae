//! The nodes phase (`--nodes K`): K Frontline processes on this machine, each with its own port
//! and data folder, on one fresh PostgreSQL database and one NATS (a bus prefix of their own).
//!
//! 1. one node alone: closed-loop throughput;
//! 2. all K nodes, the visitors spread over them, an operator socket on each: closed-loop
//!    throughput (does it add up?);
//! 3. the added cross-node latency: at a fixed rate, an operator on node 1 receiving from
//!    visitors on node 1, then from visitors on node 2 (A/B in the same cluster);
//! 4. a node killed under load (SIGKILL): its visitors keep sending as fast as acks come; when
//!    their socket drops they dial node 1 with the same token, send again what was unacknowledged
//!    (same client id) and go on. Then every visitor's history is read from node 1: every
//!    acknowledged message must be there, once.

use crate::client::{Target, Ws, drive};
use crate::stats::Samples;
use crate::{Spawned, spawn_with};
use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use sqlx::Connection;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// `postgres://u@h:5432/db?x` with another database name.
fn with_database(url: &str, name: &str) -> Result<String> {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let rest =
        head.strip_prefix("postgres://").or_else(|| head.strip_prefix("postgresql://")).context("a postgres:// URL")?;
    let server = rest.split_once('/').map_or(rest, |(s, _)| s);
    Ok(match query {
        Some(q) => format!("postgres://{server}/{name}?{q}"),
        None => format!("postgres://{server}/{name}"),
    })
}

struct Cluster {
    nodes: Vec<Option<Spawned>>,
    targets: Vec<Target>,
}

async fn start_node(bin: &PathBuf, i: usize, env: &[(&str, &str)]) -> Result<Spawned> {
    let dir = std::env::temp_dir().join(format!("frontline-bench-node{i}-{}", uuid::Uuid::now_v7()));
    spawn_with(bin, dir, env).await
}

/// Visitor sockets: `n` in all, on the nodes given, round robin.
async fn visitors_on(targets: &[&Target], n: usize) -> Result<Vec<Ws>> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(targets[i % targets.len()].visitor_socket().await?);
    }
    Ok(out)
}

pub async fn run(args: &crate::Args, bin: &PathBuf, k: usize) -> Result<()> {
    if k < 2 {
        bail!("--nodes needs at least 2");
    }
    let (name, url) = fresh_database(&args.database).await?;
    let result = run_on(args, bin, k, &url).await;
    drop_database(&args.database, &name).await?;
    result
}

/// A new, empty database on the server of `admin_url` (the URL of `--database`): its name and
/// URL. `drop_database` removes it.
pub async fn fresh_database(admin_url: &str) -> Result<(String, String)> {
    let name = format!("frontline_bench_{}", uuid::Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(admin_url).await.context("PostgreSQL (--database)")?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await?;
    Ok((name.clone(), with_database(admin_url, &name)?))
}

pub async fn drop_database(admin_url: &str, name: &str) -> Result<()> {
    let mut admin = sqlx::PgConnection::connect(admin_url).await.context("PostgreSQL (--database)")?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        .execute(&mut admin)
        .await?;
    Ok(())
}

async fn run_on(args: &crate::Args, bin: &PathBuf, k: usize, url: &str) -> Result<()> {
    let (bus, visitors, rate, email) = (args.bus.as_str(), args.visitors, args.rate, args.email.as_str());
    let prefix = format!("bench{}", uuid::Uuid::now_v7().simple());
    let config = std::env::temp_dir().join(format!("{prefix}.toml"));
    std::fs::write(&config, format!("bus_prefix = \"{prefix}\"\n"))?;
    let config = config.display().to_string();
    let base_env = [("FRONTLINE_DATABASE", url), ("FRONTLINE_BUS", bus), ("FRONTLINE_CONFIG", config.as_str())];
    // Node 1 makes the schema, the demo workspace and the sealing key the others are given.
    let first = start_node(bin, 1, &base_env).await?;
    let key = std::fs::read_to_string(first.dir.join("secret.key"))?.trim().to_owned();
    let mut env = base_env.to_vec();
    env.push(("FRONTLINE_SECRET_KEY", key.as_str()));
    let mut cluster = Cluster {
        targets: vec![Target::connect(&first.base, email, &first.password).await?],
        nodes: vec![Some(first)],
    };
    let duration = Duration::from_secs(args.seconds);
    println!("frontline-bench nodes phase: {k} nodes on PostgreSQL {url}, NATS {bus}");

    // 1. One node alone.
    let t0 = &cluster.targets[0];
    let alone = drive(visitors_on(&[t0], visitors).await?, vec![t0.operator_socket().await?], duration, None).await?;
    println!(
        "nodes: 1 node, closed loop: {:.0} messages/s durable (ack p50 {:.2} ms, p99 {:.2} ms)",
        alone.rate(),
        alone.ack.p(50.0),
        alone.ack.p(99.0)
    );

    for i in 2..=k {
        let node = start_node(bin, i, &env).await?;
        let mut target = Target::connect(&node.base, email, &node.password).await?;
        // One site, whichever node serves its page's widget (as behind a load balancer).
        target.origin = cluster.targets[0].origin.clone();
        cluster.targets.push(target);
        cluster.nodes.push(Some(node));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;

    // 2. All of them.
    let all: Vec<&Target> = cluster.targets.iter().collect();
    let mut ops = Vec::new();
    for t in &all {
        ops.push(t.operator_socket().await?);
    }
    let spread = drive(visitors_on(&all, visitors).await?, ops, duration, None).await?;
    println!(
        "nodes: {k} nodes, closed loop, visitors spread: {:.0} messages/s durable ({:.2}× one node; ack p50 {:.2} ms, p99 {:.2} ms; e2e to node 1 p99 {:.2} ms)",
        spread.rate(),
        spread.rate() / alone.rate().max(1.0),
        spread.ack.p(50.0),
        spread.ack.p(99.0),
        spread.e2e.p(99.0)
    );

    // 3. Cross-node latency: the same operator on node 1, visitors on node 1 then on node 2.
    let (n1, n2) = (&cluster.targets[0], &cluster.targets[1]);
    let n = visitors.min(100);
    let local = drive(visitors_on(&[n1], n).await?, vec![n1.operator_socket().await?], duration, Some(rate)).await?;
    let remote = drive(visitors_on(&[n2], n).await?, vec![n1.operator_socket().await?], duration, Some(rate)).await?;
    println!(
        "nodes: at {rate} msg/s, e2e visitor → operator on node 1: same node p50 {:.2} ms p99 {:.2} ms; from node 2 p50 {:.2} ms p99 {:.2} ms; added p99 {:.2} ms",
        local.e2e.p(50.0),
        local.e2e.p(99.0),
        remote.e2e.p(50.0),
        remote.e2e.p(99.0),
        remote.e2e.p(99.0) - local.e2e.p(99.0)
    );

    // 4. The last node killed under load.
    kill_under_load(&mut cluster, k - 1, n).await?;
    for node in cluster.nodes.iter_mut().flatten() {
        let _ = node.child.start_kill();
        let _ = node.child.wait().await;
    }
    Ok(())
}

/// One visitor of the kill phase: what he had acknowledged, and how long his way back took.
struct Survivor {
    token: String,
    acked: Vec<String>,
    acked_before: usize,
    back_after: Option<Duration>,
}

async fn send_until_ack(ws: &mut Ws, cid: &str) -> bool {
    let frame = json!({"type": "send", "client_id": cid, "body": "Сообщение, которое не должно пропасть"});
    if ws.send(Message::Text(frame.to_string().into())).await.is_err() {
        return false;
    }
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) if t.contains("\"type\":\"ack\"") => return true,
            Ok(Some(Ok(_))) => continue,
            _ => return false,
        }
    }
}

async fn kill_under_load(cluster: &mut Cluster, victim: usize, n: usize) -> Result<()> {
    let target = &cluster.targets[victim];
    let mut tokens = Vec::with_capacity(n);
    for _ in 0..n {
        tokens.push(target.visitor_session().await?);
    }
    let mut sockets = Vec::with_capacity(n);
    for t in &tokens {
        sockets.push(target.visitor_socket_for(t).await?);
    }
    let survivor_base = cluster.targets[0].base.clone();
    let origin = cluster.targets[0].origin.clone();
    let killed_at: std::sync::Arc<std::sync::Mutex<Option<Instant>>> = Default::default();
    let mut tasks = Vec::new();
    for (i, (mut ws, token)) in sockets.into_iter().zip(tokens).enumerate() {
        let (base, origin, killed_at) = (survivor_base.clone(), origin.clone(), killed_at.clone());
        tasks.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            let mut seq = 0u64;
            // Until his node is gone.
            let pending = loop {
                seq += 1;
                let cid = format!("k{i}-{seq}");
                if !send_until_ack(&mut ws, &cid).await {
                    break cid;
                }
                acked.push(cid);
            };
            let acked_before = acked.len();
            drop(ws);
            // Back on node 1 with the same token, as the widget does on a close.
            let mut back_after = None;
            let mut ws = None;
            for _ in 0..200 {
                if let Ok(s) = crate::client::widget_socket(&base, &origin, &token).await {
                    back_after = killed_at.lock().ok().and_then(|k| *k).map(|k| k.elapsed());
                    ws = Some(s);
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if let Some(mut ws) = ws {
                // The unacknowledged send again (the same client id: stored once whatever happened
                // to the first try), then some more.
                if send_until_ack(&mut ws, &pending).await {
                    acked.push(pending);
                    for _ in 0..20 {
                        seq += 1;
                        let cid = format!("k{i}-{seq}");
                        if !send_until_ack(&mut ws, &cid).await {
                            break;
                        }
                        acked.push(cid);
                    }
                }
            }
            Survivor { token, acked, acked_before, back_after }
        }));
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    if let Some(mut node) = cluster.nodes[victim].take() {
        if let Ok(mut k) = killed_at.lock() {
            *k = Some(Instant::now());
        }
        node.child.start_kill()?;
        node.child.wait().await?;
    }
    let mut survivors = Vec::new();
    for t in tasks {
        survivors.push(t.await?);
    }

    // Every visitor's history, read from node 1.
    let http = reqwest::Client::new();
    let (mut acked, mut before, mut lost, mut doubled, mut resumed) = (0, 0, 0, 0, 0);
    let mut back = Samples::default();
    for s in &survivors {
        acked += s.acked.len();
        before += s.acked_before;
        if let Some(d) = s.back_after {
            resumed += 1;
            back.push(d.as_secs_f64() * 1000.0);
        }
        let page: Value = http
            .get(format!("{survivor_base}/widget/v1/messages?limit=500"))
            .header("origin", &origin)
            .bearer_auth(&s.token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for m in page["items"].as_array().into_iter().flatten() {
            if let Some(cid) = m["client_id"].as_str() {
                *seen.entry(cid).or_default() += 1;
            }
        }
        lost += s.acked.iter().filter(|c| !seen.contains_key(c.as_str())).count();
        doubled += seen.values().filter(|&&c| c > 1).count();
    }
    println!(
        "nodes: node {} killed under load: {n} visitors, {before} messages acknowledged before the kill, {acked} in all; \
         {resumed} of {n} back on node 1 (after the kill p50 {:.0} ms, max {:.0} ms); acknowledged but missing: {lost}; stored twice: {doubled}",
        victim + 1,
        back.p(50.0),
        back.p(100.0)
    );
    Ok(())
}
