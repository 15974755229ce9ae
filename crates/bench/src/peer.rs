//! The side-by-side phase (`--peer synapse`): the main phase's two loads, run in one sitting
//! against Frontline and against a peer on the same machine and the same store, with the same
//! shape, and our figures printed as ratios of the peer's.
//!
//! The peer is Matrix Synapse (a durable chat server in Python), started on a fresh store by
//! `peer/synapse.sh` and spoken to over its client-server API: each of `--visitors` writers has a
//! room of its own, as each of our visitors has a dialog, and `--operators` readers are in every
//! room, as our operators see every dialog. A write is `PUT …/send/m.room.message/{txn}`, which
//! Synapse answers after the event is stored (our `ack` comes after the commit); a reader
//! long-polls `/sync`, which is how Matrix clients receive (our operators hold a socket).
//! Synapse's rooms and users are made before the clock starts; our visitors' dialogs open with
//! their first message, inside the measured time.

use crate::Args;
use crate::client::{LoadResult, Pace, Target, gather_writers, run_load};
use crate::stats::Samples;
use anyhow::{Context, Result, bail, ensure};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/peer/synapse.sh");
const PORT: u16 = 14808;
const BODY: &str = "Здравствуйте! Сколько стоит кухня 3 метра?";
/// What a reader asks `/sync` for: the rooms' messages, nothing else. Stored once per reader,
/// as Matrix clients do, and named by its id in each `/sync`.
const FILTER: &str = r#"{"room":{"state":{"types":[]},"timeline":{"limit":50,"types":["m.room.message"]},"ephemeral":{"types":[]},"account_data":{"types":[]}},"presence":{"types":[]},"account_data":{"types":[]}}"#;

/// One side's figures.
struct Side {
    closed: LoadResult,
    paced: LoadResult,
    rss_kib: Option<u64>,
}

pub async fn run(args: &Args, bin: &PathBuf) -> Result<()> {
    let peer = args.peer.as_deref().unwrap_or_default();
    ensure!(peer == "synapse", "--peer knows synapse only, not {peer:?}");
    let store = args.peer_store.as_str();
    ensure!(matches!(store, "sqlite" | "postgres"), "--peer-store is sqlite or postgres, not {store:?}");
    let seconds = Duration::from_secs(args.seconds);
    println!(
        "frontline-bench side by side on {store}: {} writers, {} readers, {} s closed loop, then {} msg/s",
        args.visitors, args.operators, args.seconds, args.peer_rate
    );
    let ours = frontline(args, bin, store, seconds).await?;
    let theirs = synapse(args, store, seconds).await?;
    report(args, &ours, &theirs);
    Ok(())
}

async fn frontline(args: &Args, bin: &PathBuf, store: &str, seconds: Duration) -> Result<Side> {
    let dir = std::env::temp_dir().join(format!("frontline-bench-peer-{}", uuid::Uuid::now_v7()));
    let database = match store {
        "postgres" => Some(crate::nodes::fresh_database(&args.database).await?),
        _ => None,
    };
    let env: Vec<(&str, &str)> = database.iter().map(|(_, url)| ("FRONTLINE_DATABASE", url.as_str())).collect();
    let side = async {
        let mut s = crate::spawn_with(bin, dir, &env).await?;
        let target = Target::connect(&s.base, &args.email, &s.password).await?;
        let closed = run_load(&target, args.visitors, args.operators, seconds, None).await?;
        tokio::time::sleep(Duration::from_secs(args.settle)).await;
        let paced = run_load(&target, args.visitors, args.operators, seconds, Some(args.peer_rate)).await?;
        let rss_kib = s.child.id().and_then(crate::rss_kib);
        let _ = s.child.start_kill();
        let _ = s.child.wait().await;
        Ok::<_, anyhow::Error>(Side { closed, paced, rss_kib })
    }
    .await;
    if let Some((name, _)) = database {
        crate::nodes::drop_database(&args.database, &name).await?;
    }
    side
}

async fn synapse(args: &Args, store: &str, seconds: Duration) -> Result<Side> {
    let dir = std::env::temp_dir().join("frontline-bench-synapse");
    script(&["start", store], &dir).await?;
    let side = async {
        let base = format!("http://127.0.0.1:{PORT}/_matrix/client/v3");
        let mut peer = Synapse::prepare(&base, args.visitors, args.operators).await?;
        let closed = peer.drive(seconds, None).await?;
        tokio::time::sleep(Duration::from_secs(args.settle)).await;
        let paced = peer.drive(seconds, Some(args.peer_rate)).await?;
        let pid = std::fs::read_to_string(dir.join("homeserver.pid"))?.trim().parse::<u32>()?;
        Ok::<_, anyhow::Error>(Side { closed, paced, rss_kib: crate::rss_kib(pid) })
    }
    .await;
    script(&["stop"], &dir).await?;
    side
}

async fn script(words: &[&str], dir: &Path) -> Result<()> {
    let status = tokio::process::Command::new("bash")
        .arg(SCRIPT)
        .args(words)
        .env("SYNAPSE_PORT", PORT.to_string())
        .env("SYNAPSE_DIR", dir)
        .status()
        .await
        .with_context(|| format!("running {SCRIPT}"))?;
    ensure!(status.success(), "{SCRIPT} {} failed: {status}", words.join(" "));
    Ok(())
}

fn report(args: &Args, ours: &Side, theirs: &Side) {
    let row = |what: &str, a: f64, b: f64| {
        let ratio = if b > 0.0 { format!("{:.2}", a / b) } else { "-".to_owned() };
        println!("{what:<34} {a:>10.2} {b:>10.2} {ratio:>8}");
    };
    println!("{:<34} {:>10} {:>10} {:>8}", "", "Frontline", "Synapse", "ratio");
    row("closed loop, messages/s", ours.closed.rate(), theirs.closed.rate());
    row("  ack p50, ms", ours.closed.ack.p(50.0), theirs.closed.ack.p(50.0));
    row("  ack p99, ms", ours.closed.ack.p(99.0), theirs.closed.ack.p(99.0));
    row("  end-to-end p50, ms", ours.closed.e2e.p(50.0), theirs.closed.e2e.p(50.0));
    row("  end-to-end p99, ms", ours.closed.e2e.p(99.0), theirs.closed.e2e.p(99.0));
    row(&format!("at {} msg/s, achieved", args.peer_rate), ours.paced.rate(), theirs.paced.rate());
    row("  ack p50, ms", ours.paced.ack.p(50.0), theirs.paced.ack.p(50.0));
    row("  ack p99, ms", ours.paced.ack.p(99.0), theirs.paced.ack.p(99.0));
    row("  end-to-end p50, ms", ours.paced.e2e.p(50.0), theirs.paced.e2e.p(50.0));
    row("  end-to-end p99, ms", ours.paced.e2e.p(99.0), theirs.paced.e2e.p(99.0));
    if let (Some(a), Some(b)) = (ours.rss_kib, theirs.rss_kib) {
        row("server RSS after the loads, MiB", a as f64 / 1024.0, b as f64 / 1024.0);
    }
    // End-to-end figures count only what the first reader received before it stopped, 3 s
    // after the writers: a server far behind shows few samples, and its percentiles mean little.
    for (what, a, b) in [("closed loop", &ours.closed, &theirs.closed), ("fixed rate", &ours.paced, &theirs.paced)] {
        println!(
            "{what}: acked messages read by the first reader within 3 s of the end: ours {} of {}, theirs {} of {}",
            a.e2e.0.len(),
            a.acked,
            b.e2e.0.len(),
            b.acked
        );
    }
}

/// A signed-in Matrix user.
#[derive(Clone)]
struct User {
    id: String,
    token: String,
}

struct Synapse {
    http: reqwest::Client,
    base: String,
    /// Each writer with its room.
    writers: Vec<(User, String)>,
    /// Each reader with where its last `/sync` ended.
    readers: Vec<(User, String)>,
    /// The readers' stored filter, by reader.
    filters: Vec<String>,
}

impl Synapse {
    /// Users, rooms and joins, before any clock starts.
    async fn prepare(base: &str, writers: usize, readers: usize) -> Result<Self> {
        let http = reqwest::Client::builder().pool_max_idle_per_host(writers + readers + 8).build()?;
        let t = Instant::now();
        let mut ops = Vec::new();
        for i in 0..readers.max(1) {
            ops.push(register(&http, base, &format!("operator{i}")).await?);
        }
        let invite: Vec<&str> = ops.iter().map(|u| u.id.as_str()).collect();
        let made: Vec<Result<(User, String)>> = futures_util::stream::iter(0..writers)
            .map(|i| {
                let (http, invite) = (&http, &invite);
                async move {
                    let user = register(http, base, &format!("visitor{i}")).await?;
                    let room = call(
                        http,
                        reqwest::Method::POST,
                        &format!("{base}/createRoom"),
                        &user.token,
                        &json!({"preset": "private_chat", "invite": invite}),
                    )
                    .await?;
                    let room = room["room_id"].as_str().context("createRoom answered no room_id")?.to_owned();
                    Ok((user, room))
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        let writers = made.into_iter().collect::<Result<Vec<_>>>()?;
        let joins: Vec<Result<Value>> =
            futures_util::stream::iter(writers.iter().flat_map(|(_, room)| ops.iter().map(move |op| (op, room))))
                .map(|(op, room)| {
                    let http = &http;
                    async move {
                        call(http, reqwest::Method::POST, &format!("{base}/join/{room}"), &op.token, &json!({})).await
                    }
                })
                .buffer_unordered(8)
                .collect()
                .await;
        joins.into_iter().collect::<Result<Vec<_>>>()?;
        let (mut readers, mut filters) = (Vec::new(), Vec::new());
        for op in ops {
            let filter: Value = serde_json::from_str(FILTER)?;
            let url = format!("{base}/user/{}/filter", op.id);
            let stored = call(&http, reqwest::Method::POST, &url, &op.token, &filter).await?;
            let filter = stored["filter_id"].as_str().context("the filter answered no filter_id")?.to_owned();
            let first = sync(&http, base, &op.token, &filter, None, 0).await?;
            filters.push(filter);
            let since = first["next_batch"].as_str().context("/sync answered no next_batch")?.to_owned();
            readers.push((op, since));
        }
        println!(
            "Synapse: {} writers with a room each, {} readers in every room, made in {:.1} s",
            writers.len(),
            readers.len(),
            t.elapsed().as_secs_f64()
        );
        Ok(Self { http, base: base.to_owned(), writers, readers, filters })
    }

    /// Writers send (closed loop, or paced at `rate` in all); readers long-poll, and the first
    /// reader times end-to-end delivery. As `client::drive` does over Frontline's sockets.
    async fn drive(&mut self, duration: Duration, rate: Option<u64>) -> Result<LoadResult> {
        // Start each reader from now: what the last drive left unread is read and dropped.
        for ((op, since), filter) in self.readers.iter_mut().zip(&self.filters) {
            for _ in 0..100 {
                let v = sync(&self.http, &self.base, &op.token, filter, Some(since), 0).await?;
                *since = v["next_batch"].as_str().context("/sync answered no next_batch")?.to_owned();
                if messages(&v).next().is_none() {
                    break;
                }
            }
        }
        let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
        let stop_at = Instant::now() + duration;
        let mut readers = Vec::new();
        for (i, ((op, since), filter)) in self.readers.iter().zip(&self.filters).enumerate() {
            let (http, base, token, filter, mut since, sent) =
                (self.http.clone(), self.base.clone(), op.token.clone(), filter.clone(), since.clone(), sent.clone());
            readers.push(tokio::spawn(async move {
                let mut e2e = Samples::default();
                let hard_stop = stop_at + Duration::from_secs(3);
                while Instant::now() < hard_stop {
                    let poll = sync(&http, &base, &token, &filter, Some(&since), 1000);
                    let Ok(Ok(v)) = tokio::time::timeout_at(hard_stop.into(), poll).await else { break };
                    let Some(next) = v["next_batch"].as_str() else { break };
                    since = next.to_owned();
                    if i != 0 {
                        continue;
                    }
                    let now = Instant::now();
                    for id in messages(&v) {
                        if let Some(at) = sent.lock().ok().and_then(|mut m| m.remove(id)) {
                            e2e.push(now.duration_since(at).as_secs_f64() * 1000.0);
                        }
                    }
                }
                (e2e, since)
            }));
        }
        let n = self.writers.len().max(1);
        let started = Instant::now();
        let mut writers = Vec::new();
        for (i, (user, room)) in self.writers.iter().enumerate() {
            let (http, base, token, room, sent) =
                (self.http.clone(), self.base.clone(), user.token.clone(), room.clone(), sent.clone());
            writers.push(tokio::spawn(async move {
                let mut acks = Samples::default();
                let mut count = 0u64;
                let mut pace = Pace::new(rate, i, n);
                let mut seq = 0u64;
                while pace.turn(stop_at).await {
                    seq += 1;
                    // Unique across drives: the transaction id is the writer's idempotency key.
                    let cid = format!("b{i}-{seq}-{}", uuid::Uuid::now_v7().simple());
                    let at = Instant::now();
                    if let Ok(mut m) = sent.lock() {
                        m.insert(cid.clone(), at);
                    }
                    let url = format!("{base}/rooms/{room}/send/m.room.message/{cid}");
                    let body = json!({"msgtype": "m.text", "body": BODY, "bench_id": cid});
                    let put = call(&http, reqwest::Method::PUT, &url, &token, &body);
                    // A minute, not our ten seconds: a peer far behind answers late, and a
                    // writer that gave up would leave the loop with one writer fewer.
                    match tokio::time::timeout(Duration::from_secs(60), put).await {
                        Ok(Ok(_)) => {
                            acks.push(at.elapsed().as_secs_f64() * 1000.0);
                            count += 1;
                        }
                        _ => break,
                    }
                }
                (acks, count)
            }));
        }
        let (ack, acked) = gather_writers(writers).await?;
        let elapsed = started.elapsed();
        let mut e2e = Samples::default();
        for (t, reader) in readers.into_iter().zip(&mut self.readers) {
            let (samples, since) = t.await?;
            e2e.extend(samples);
            reader.1 = since;
        }
        Ok(LoadResult { acked, elapsed, ack, e2e, timeline: Vec::new() })
    }
}

/// The `bench_id`s of the messages a `/sync` answer holds.
fn messages(v: &Value) -> impl Iterator<Item = &str> {
    v["rooms"]["join"]
        .as_object()
        .into_iter()
        .flat_map(|rooms| rooms.values())
        .filter_map(|room| room["timeline"]["events"].as_array())
        .flatten()
        .filter_map(|event| event["content"]["bench_id"].as_str())
}

async fn register(http: &reqwest::Client, base: &str, name: &str) -> Result<User> {
    let body = json!({"username": name, "password": "bench-password-1", "auth": {"type": "m.login.dummy"}});
    let resp = http.post(format!("{base}/register")).json(&body).send().await?;
    let status = resp.status();
    let v: Value = resp.json().await.unwrap_or_default();
    if !status.is_success() {
        bail!("registering {name} on Synapse: {status} {v}");
    }
    Ok(User {
        id: v["user_id"].as_str().context("register answered no user_id")?.to_owned(),
        token: v["access_token"].as_str().context("register answered no access_token")?.to_owned(),
    })
}

async fn call(http: &reqwest::Client, method: reqwest::Method, url: &str, token: &str, body: &Value) -> Result<Value> {
    let resp = http.request(method, url).bearer_auth(token).json(body).send().await?;
    let status = resp.status();
    let v: Value = resp.json().await.unwrap_or_default();
    if !status.is_success() {
        bail!("{url}: {status} {v}");
    }
    Ok(v)
}

async fn sync(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    filter: &str,
    since: Option<&str>,
    timeout_ms: u64,
) -> Result<Value> {
    let mut query = vec![("filter", filter.to_owned()), ("timeout", timeout_ms.to_string())];
    if let Some(s) = since {
        query.push(("since", s.to_owned()));
    }
    let resp = http.get(format!("{base}/sync")).bearer_auth(token).query(&query).send().await?;
    let status = resp.status();
    let v: Value = resp.json().await.unwrap_or_default();
    if !status.is_success() {
        bail!("/sync: {status} {v}");
    }
    Ok(v)
}
