//! The sockets phase (`--sockets N`): N idle widget sockets held on one node for `--hold`
//! seconds (each answering the server's pings, as a browser does), with the server's RSS per
//! socket and its CPU while they idle; then every one dropped at once and dialled again as fast
//! as the clients can (a reconnect storm, as after a network blip): how long until all are back
//! and have their `hello`.

use crate::client::{Target, Ws};
use crate::stats::Samples;
use anyhow::{Context, Result};
use futures_util::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// The server's CPU time so far (user and system), in seconds: `/proc/PID/stat` counts it in
/// clock ticks, 100 a second on Linux.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command may hold spaces; the fields after its closing parenthesis are fixed.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Opens a visitor socket and waits for its first frame (`hello`).
async fn dial(target: &Target, token: &str) -> Result<Ws> {
    let mut ws = target.visitor_socket_for(token).await?;
    loop {
        match tokio::time::timeout(Duration::from_secs(30), ws.next()).await.context("no hello within 30 s")? {
            Some(Ok(Message::Text(_))) => return Ok(ws),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(e.into()),
            None => anyhow::bail!("closed before its hello"),
        }
    }
}

/// Keeps a socket read (so pings are answered) until it closes; counts the closes.
fn hold(mut ws: Ws, closed: Arc<AtomicUsize>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(Ok(_)) = ws.next().await {}
        closed.fetch_add(1, Ordering::Relaxed);
    })
}

/// Dials every token, `parallel` at a time; answers the sockets and each one's time.
async fn dial_all(target: &Target, tokens: &[String], parallel: usize) -> Result<(Vec<Ws>, Samples, usize)> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut times = Samples::default();
    let mut failed = 0;
    let mut pending = futures_util::stream::iter(tokens.iter().map(|t| async move {
        let started = Instant::now();
        (dial(target, t).await, started.elapsed())
    }))
    .buffer_unordered(parallel);
    while let Some((ws, took)) = pending.next().await {
        match ws {
            Ok(ws) => {
                out.push(ws);
                times.push(took.as_secs_f64() * 1000.0);
            }
            Err(e) => {
                failed += 1;
                if failed <= 3 {
                    eprintln!("sockets: a dial failed: {e:#}");
                }
            }
        }
    }
    Ok((out, times, failed))
}

pub async fn run(
    target: &Target,
    n: usize,
    hold_secs: u64,
    pid: Option<u32>,
    rss: impl Fn() -> Option<u64>,
) -> Result<()> {
    let started = Instant::now();
    let mut tokens = Vec::with_capacity(n);
    let mut made = futures_util::stream::iter((0..n).map(|_| target.visitor_session())).buffer_unordered(16);
    while let Some(t) = made.next().await {
        tokens.push(t?);
    }
    drop(made);
    println!("sockets: {n} visitor sessions made in {:.1} s", started.elapsed().as_secs_f64());
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = rss();

    let started = Instant::now();
    let (sockets, times, failed) = dial_all(target, &tokens, 64).await?;
    println!(
        "sockets: {} open in {:.1} s ({failed} failed; dial + hello p50 {:.1} ms, p99 {:.1} ms)",
        sockets.len(),
        started.elapsed().as_secs_f64(),
        times.p(50.0),
        times.p(99.0)
    );
    let closed = Arc::new(AtomicUsize::new(0));
    let held: Vec<_> = sockets.into_iter().map(|ws| hold(ws, closed.clone())).collect();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = rss();
    if let (Some(b), Some(a)) = (before, after) {
        println!(
            "sockets: server RSS {:.1} → {:.1} MiB, {:.2} KiB a socket",
            b as f64 / 1024.0,
            a as f64 / 1024.0,
            a.saturating_sub(b) as f64 / held.len().max(1) as f64
        );
    }

    let cpu_before = pid.and_then(cpu_seconds);
    let idle_started = Instant::now();
    tokio::time::sleep(Duration::from_secs(hold_secs)).await;
    let idle = idle_started.elapsed().as_secs_f64();
    if let (Some(b), Some(a)) = (cpu_before, pid.and_then(cpu_seconds)) {
        println!(
            "sockets: held idle {idle:.0} s: server CPU {:.2} % of one core; {} of {} closed meanwhile; RSS {:.1} MiB",
            (a - b) / idle * 100.0,
            closed.load(Ordering::Relaxed),
            held.len(),
            rss().unwrap_or(0) as f64 / 1024.0
        );
    }

    // The storm: every socket gone at once (no close handshake, as when the network drops),
    // then all dialled again, many at a time, as widgets do when they come back.
    for h in &held {
        h.abort();
    }
    let count = held.len();
    drop(held);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    let (back, times, failed) = dial_all(target, &tokens[..count], 512).await?;
    println!(
        "sockets: reconnect storm: {} of {count} back with their hello in {:.1} s ({failed} failed; p50 {:.1} ms, p99 {:.1} ms)",
        back.len(),
        started.elapsed().as_secs_f64(),
        times.p(50.0),
        times.p(99.0)
    );
    drop(back);
    tokio::time::sleep(Duration::from_secs(1)).await;
    Ok(())
}
