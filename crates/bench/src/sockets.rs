//! The sockets phase (`--sockets N`): N idle widget sockets held on one node for `--hold`
//! seconds (each answering the server's pings, as a browser does), with the server's RSS per
//! socket and its CPU while they idle; then every one dropped at once and dialled again as fast
//! as the clients can (a reconnect storm, as after a network blip): how long until all are back
//! and have their `hello`.
//!
//! Nothing lost: after the hold, each visitor writes one message (his dialog opens); while the
//! sockets are down an operator answers every dialog over REST and closes it; after the
//! storm each widget `resume`s after the last `seq` it holds, as the widget does, and the
//! answer must be in what comes back before `resumed`.

use crate::client::{Target, Ws};
use crate::stats::Samples;
use anyhow::{Context, Result};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
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

/// Keeps a socket read (so pings are answered) until it closes (counted) or `stop` turns true,
/// when it hands the socket back.
fn hold(
    mut ws: Ws,
    closed: Arc<AtomicUsize>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<Option<Ws>> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                frame = ws.next() => if !matches!(frame, Some(Ok(_))) {
                    closed.fetch_add(1, Ordering::Relaxed);
                    return None;
                },
                _ = stop.wait_for(|s| *s) => return Some(ws),
            }
        }
    })
}

/// Reads text frames until one passes `done`, for at most 30 s; answers the frames read.
async fn read_until(ws: &mut Ws, done: impl Fn(&Value) -> bool) -> Result<Vec<Value>> {
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(30), ws.next()).await.context("nothing within 30 s")? {
            Some(Ok(Message::Text(t))) => {
                let v: Value = serde_json::from_str(&t)?;
                let end = done(&v);
                seen.push(v);
                if end {
                    return Ok(seen);
                }
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(e.into()),
            None => anyhow::bail!("closed"),
        }
    }
}

/// The visitor writes his first message: answers his dialog and the message's `seq`.
async fn open_dialog(ws: &mut Ws, i: usize) -> Result<(String, i64)> {
    let frame = json!({"type": "send", "client_id": format!("s{i}"), "body": "Здравствуйте, я здесь?"});
    ws.send(Message::Text(frame.to_string().into())).await?;
    let frames = read_until(ws, |v| v["type"] == "ack" || v["type"] == "error").await?;
    let ack = frames.last().context("no ack")?;
    anyhow::ensure!(ack["type"] == "ack", "the send was refused: {ack}");
    let dialog = ack["message"]["dialog_id"].as_str().context("an ack without dialog_id")?.to_owned();
    Ok((dialog, ack["message"]["seq"].as_i64().context("an ack without seq")?))
}

/// After the storm: the widget resumes after the `seq` it holds; whether the operator's answer
/// written meanwhile came back.
async fn resumed_with_answer(ws: &mut Ws, after_seq: i64) -> Result<bool> {
    ws.send(Message::Text(json!({"type": "resume", "after_seq": after_seq}).to_string().into())).await?;
    let frames = read_until(ws, |v| v["type"] == "resumed").await?;
    Ok(frames.iter().any(|v| v["type"] == "message.created" && v["message"]["author"]["kind"] == "operator"))
}

/// Dials every token, `parallel` at a time; answers the sockets (with the index of their
/// token) and each one's time.
async fn dial_all(target: &Target, tokens: &[String], parallel: usize) -> Result<(Vec<(usize, Ws)>, Samples, usize)> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut times = Samples::default();
    let mut failed = 0;
    let mut pending = futures_util::stream::iter(tokens.iter().enumerate().map(|(i, t)| async move {
        let started = Instant::now();
        (i, dial(target, t).await, started.elapsed())
    }))
    .buffer_unordered(parallel);
    while let Some((i, ws, took)) = pending.next().await {
        match ws {
            Ok(ws) => {
                out.push((i, ws));
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
    tokio::time::sleep(Duration::from_secs(3)).await;
    let after = rss();
    if let (Some(b), Some(a)) = (before, after) {
        println!(
            "sockets: server RSS {:.1} → {:.1} MiB, {:.2} KiB a socket",
            b as f64 / 1024.0,
            a as f64 / 1024.0,
            a.saturating_sub(b) as f64 / sockets.len().max(1) as f64
        );
    }
    let closed = Arc::new(AtomicUsize::new(0));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let indices: Vec<usize> = sockets.iter().map(|(i, _)| *i).collect();
    let held: Vec<_> = sockets.into_iter().map(|(_, ws)| hold(ws, closed.clone(), stopped.clone())).collect();

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

    let _ = stop.send(true);
    let mut sockets = Vec::with_capacity(held.len());
    for (i, h) in indices.into_iter().zip(held) {
        if let Ok(Some(ws)) = h.await {
            sockets.push((i, ws));
        }
    }
    // Each visitor opens his dialog (after the memory and CPU figures, which are of idle
    // sockets alone).
    let started = Instant::now();
    let mut dialogs: Vec<Option<(String, i64)>> = vec![None; tokens.len()];
    let mut opened = futures_util::stream::iter(sockets.into_iter().map(|(i, mut ws)| async move {
        let d = open_dialog(&mut ws, i).await;
        (i, ws, d)
    }))
    .buffer_unordered(64);
    let mut open = Vec::with_capacity(tokens.len());
    while let Some((i, ws, d)) = opened.next().await {
        match d {
            Ok(d) => dialogs[i] = Some(d),
            Err(e) => eprintln!("sockets: visitor {i} could not open his dialog: {e:#}"),
        }
        open.push(ws);
    }
    drop(opened);
    println!(
        "sockets: {} dialogs opened, a message each, in {:.1} s",
        dialogs.iter().flatten().count(),
        started.elapsed().as_secs_f64()
    );

    // The storm: every socket gone at once (no close handshake, as when the network drops),
    // then all dialled again, many at a time, as widgets do when they come back.
    let count = tokens.len();
    drop(open);
    tokio::time::sleep(Duration::from_secs(1)).await;
    // While they are down, an operator answers every dialog and closes it (an answer assigns
    // the dialog to him, and his capacity is at most 50 open ones).
    let me = target.admin_call(reqwest::Method::GET, "/api/v1/me", None).await?;
    let me = me["operator"]["id"].as_str().context("GET /api/v1/me without operator.id")?.to_owned();
    target
        .admin_call(reqwest::Method::PATCH, &format!("/api/v1/operators/{me}"), Some(json!({"capacity": 50})))
        .await?;
    let started = Instant::now();
    let answered: Vec<Result<Value>> = futures_util::stream::iter(dialogs.iter().enumerate().filter_map(|(i, d)| {
        let (dialog, _) = d.as_ref()?;
        let body = json!({"client_id": format!("op{i}"), "body": "Да, я здесь. Чем помочь?"});
        let (path, close) = (format!("/api/v1/dialogs/{dialog}/messages"), format!("/api/v1/dialogs/{dialog}/close"));
        Some(async move {
            let answer = target.admin_post(&path, body).await?;
            target.admin_post(&close, json!({})).await?;
            Ok(answer)
        })
    }))
    .buffer_unordered(32)
    .collect()
    .await;
    let refused = answered.iter().filter(|r| r.is_err()).count();
    if let Some(Err(e)) = answered.iter().find(|r| r.is_err()) {
        eprintln!("sockets: an answer was refused: {e:#}");
    }
    println!(
        "sockets: {} dialogs answered and closed while their sockets were down, in {:.1} s ({refused} refused)",
        answered.len() - refused,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let (back, times, failed) = dial_all(target, &tokens[..count], 512).await?;
    println!(
        "sockets: reconnect storm: {} of {count} back with their hello in {:.1} s ({failed} failed; p50 {:.1} ms, p99 {:.1} ms)",
        back.len(),
        started.elapsed().as_secs_f64(),
        times.p(50.0),
        times.p(99.0)
    );
    // Each widget resumes after the seq it held; the answer must come back.
    let checks: Vec<Result<bool>> = futures_util::stream::iter(back.into_iter().filter_map(|(i, mut ws)| {
        let (_, seq) = dialogs[i].clone()?;
        Some(async move { resumed_with_answer(&mut ws, seq).await })
    }))
    .buffer_unordered(512)
    .collect()
    .await;
    let got = checks.iter().filter(|r| matches!(r, Ok(true))).count();
    let failed = checks.iter().filter(|r| r.is_err()).count();
    if let Some(Err(e)) = checks.iter().find(|r| r.is_err()) {
        eprintln!("sockets: a resume failed: {e:#}");
    }
    println!(
        "sockets: resumed with the answer written while down: {got} of {} dialogs, all within {:.1} s of the storm's start ({} without it, {failed} resumes failed)",
        checks.len(),
        started.elapsed().as_secs_f64(),
        checks.len() - got - failed
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    Ok(())
}
