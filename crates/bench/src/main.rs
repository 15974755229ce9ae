//! `frontline-bench`: load against a Frontline, with the machine's floors measured in the same
//! run so the figures can be read as ratios.
//!
//! Phases:
//! 1. idle server RSS, then RSS per idle visitor socket (`--idle` sockets held open);
//! 2. throughput: `--visitors` sockets, each writing to its own dialog as fast as acks come,
//!    `--operators` console sockets receiving; messages/s, ack latency, end-to-end latency
//!    (visitor send → first operator socket receives `message.created`, after commit);
//! 3. latency at a fixed rate (`--rate` messages/s spread over the visitors);
//! 4. floors: the same rows inserted into SQLite in batches with the same durability (WAL,
//!    `synchronous=FULL`), and a bare WebSocket relay (no storage) driven by the same clients.
//!
//! `--history N` runs instead the large-history phase (`history.rs`): N dialogs of ten
//! messages seeded into SQLite, then history pages, filtered lists and search over HTTP.
//! `--nodes K` runs instead the nodes phase (`nodes.rs`): K processes on one PostgreSQL and
//! NATS: throughput alone and together, the added cross-node latency, a node killed under load.
//! `--peer synapse` runs instead the side-by-side phase (`peer.rs`): the same two loads against
//! Frontline and against Matrix Synapse on the same machine and store.
//! `--sockets N` runs instead the sockets phase (`sockets.rs`): N idle widget sockets held for
//! `--hold` seconds (RSS a socket, idle CPU), then a reconnect storm of all of them.

mod client;
mod events;
mod floor;
mod history;
mod history_pg;
mod nodes;
mod peer;
mod reports;
mod segments;
mod sockets;
mod stats;
mod telegram;
mod webhooks;

use anyhow::{Context, Result, bail};
use clap::Parser;
use client::{Target, run_idle, run_load};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

#[derive(Parser, Debug, Clone)]
#[command(name = "frontline-bench", about = "Load and latency bench for Frontline")]
pub struct Args {
    /// Start this `frontline` binary on a fresh SQLite data folder (recommended: the release build).
    #[arg(long, conflicts_with = "url")]
    pub spawn: Option<PathBuf>,
    /// Or: a running Frontline's base URL (give --password and --pid too).
    #[arg(long)]
    pub url: Option<String>,
    /// The admin password of the running Frontline.
    #[arg(long)]
    pub password: Option<String>,
    /// The admin e-mail.
    #[arg(long, default_value = "admin@example.com")]
    pub email: String,
    /// The server's process id, for RSS (spawn mode knows it).
    #[arg(long)]
    pub pid: Option<u32>,
    /// Visitor sockets writing during the throughput and rate phases.
    #[arg(long, default_value_t = 200)]
    pub visitors: usize,
    /// Console sockets receiving every event.
    #[arg(long, default_value_t = 2)]
    pub operators: usize,
    /// Seconds of each load phase.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// The fixed rate of the latency phase, messages/s.
    #[arg(long, default_value_t = 1000)]
    pub rate: u64,
    /// Idle visitor sockets for the per-socket memory figure.
    #[arg(long, default_value_t = 2000)]
    pub idle: usize,
    /// Run only the fixed-rate latency phase (to study it alone).
    #[arg(long)]
    pub only_rate: bool,
    /// Seconds to wait between phases for the server to settle (WAL checkpoints).
    #[arg(long, default_value_t = 10)]
    pub settle: u64,
    /// The fixed-rate phase lists the stalls of acks slower than this many milliseconds.
    #[arg(long, default_value_t = 20.0)]
    pub slow_ms: f64,
    /// Skip the floors (raw SQLite, bare relay).
    #[arg(long)]
    pub no_floor: bool,
    /// Run the large-history phase instead: seed this many dialogs (ten messages each) and
    /// measure history pages, filtered lists and search (needs --spawn).
    #[arg(long)]
    pub history: Option<i64>,
    /// With --history: seed the event log too (the dialogs spread over the last 29 days) and
    /// measure the reports and the live board instead of the console's reads.
    #[arg(long)]
    pub reports: bool,
    /// With --history: seed and serve from PostgreSQL instead of SQLite, in a database of its
    /// own on the server of --database (kept, and reused by a run of the same size).
    #[arg(long)]
    pub on_postgres: bool,
    /// Keep (or reuse) the seeded data folder here, so the seeding is paid once.
    #[arg(long)]
    pub history_dir: Option<PathBuf>,
    /// Run the webhook phase instead: a local receiver subscribed to `message.created`, the
    /// closed-loop and fixed-rate loads, deliveries/s and event → receiver latency.
    #[arg(long)]
    pub webhooks: bool,
    /// Run the Telegram phase instead (needs --spawn): a bot polled through a fake Bot API on
    /// 127.0.0.1; updates/s stored, then the pace of replies to 100 chats.
    #[arg(long)]
    pub telegram: bool,
    /// Telegram phase: the chats that write.
    #[arg(long, default_value_t = 200)]
    pub telegram_chats: usize,
    /// Telegram phase: the updates queued at once.
    #[arg(long, default_value_t = 5000)]
    pub telegram_updates: usize,
    /// Telegram phase: replies to each of the 100 chats.
    #[arg(long, default_value_t = 3)]
    pub telegram_replies: usize,
    /// Run the Web API events phase instead: clients posting site users' events, one a call
    /// and then `--events-batch` a call; durable events/s and call latency.
    #[arg(long)]
    pub events: bool,
    /// Events phase: concurrent clients.
    #[arg(long, default_value_t = 32)]
    pub events_clients: usize,
    /// Events phase: site users the events are spread over.
    #[arg(long, default_value_t = 1000)]
    pub events_users: usize,
    /// Events phase: events a call in the second run.
    #[arg(long, default_value_t = 50)]
    pub events_batch: usize,
    /// Run the segments phase instead: seed this many visitors with attributes, tags and
    /// event counters, then time segment counts over HTTP (needs --spawn; --history-dir keeps
    /// the seed).
    #[arg(long)]
    pub segments: Option<i64>,
    /// Segments phase: counts timed per segment.
    #[arg(long, default_value_t = 100)]
    pub segment_rounds: usize,
    /// Run the sockets phase instead: this many idle widget sockets held on the server (mind
    /// the open-file limit of both processes), then all reconnected at once.
    #[arg(long)]
    pub sockets: Option<usize>,
    /// Sockets phase: seconds the sockets are held idle while the server's CPU is measured.
    #[arg(long, default_value_t = 60)]
    pub hold: u64,
    /// Run the nodes phase instead: this many nodes of --spawn on a fresh database of
    /// --database (made and dropped by the bench) and NATS at --bus.
    #[arg(long)]
    pub nodes: Option<usize>,
    /// Nodes phase and `--history --on-postgres`: a PostgreSQL URL the bench may create a
    /// database with.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pub database: String,
    /// Nodes phase: the NATS server.
    #[arg(long, default_value = "nats://127.0.0.1:4222")]
    pub bus: String,
    /// Run the side-by-side phase instead: the closed-loop and fixed-rate loads against
    /// Frontline, then against this peer on the same machine (`synapse`: Matrix Synapse, started
    /// by `crates/bench/peer/synapse.sh`), our figures as ratios of its.
    #[arg(long)]
    pub peer: Option<String>,
    /// Side-by-side phase: the store both servers use, `sqlite` or `postgres` (on the server
    /// of --database, a fresh database each).
    #[arg(long, default_value = "postgres")]
    pub peer_store: String,
    /// Side-by-side phase: the fixed rate, messages/s (one both can hold).
    #[arg(long, default_value_t = 10)]
    pub peer_rate: u64,
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct Spawned {
    child: tokio::process::Child,
    base: String,
    password: String,
    dir: PathBuf,
}

async fn spawn(bin: &PathBuf) -> Result<Spawned> {
    let dir = std::env::temp_dir().join(format!("frontline-bench-{}", uuid::Uuid::now_v7()));
    spawn_in(bin, dir).await
}

async fn spawn_in(bin: &PathBuf, dir: PathBuf) -> Result<Spawned> {
    spawn_with(bin, dir, &[]).await
}

async fn spawn_with(bin: &PathBuf, dir: PathBuf, env: &[(&str, &str)]) -> Result<Spawned> {
    std::fs::create_dir_all(&dir)?;
    let password = "bench-admin-password".to_owned();
    let mut child = tokio::process::Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&dir)
        // The load is the point: the public limits would refuse it.
        .env("FRONTLINE_RATE_LIMITS", "false")
        // The webhook phase's receiver is on 127.0.0.1.
        .env("FRONTLINE_WEBHOOKS_ALLOW_PRIVATE", "true")
        .env("FRONTLINE_ADMIN_PASSWORD", &password)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let stdout = child.stdout.take().context("stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let base = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await? {
            if let Some(url) = line.trim().strip_prefix("Console:") {
                return Ok::<_, anyhow::Error>(url.trim().trim_end_matches("/console/").to_owned());
            }
        }
        bail!("the server exited before printing its address")
    })
    .await
    .context("waiting for the server")??;
    // Keep reading what the server prints, so its stdout never sees a closed pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(Spawned { child, base, password, dir })
}

/// Prints the server's RSS after a phase of reads, and stops it.
async fn stop_after_reads(mut s: Spawned) {
    if let Some(pid) = s.child.id()
        && let Some(kib) = rss_kib(pid)
    {
        println!("server RSS after the reads: {:.1} MiB", kib as f64 / 1024.0);
    }
    let _ = s.child.start_kill();
    let _ = s.child.wait().await;
}

/// Makes the history phase's quiet workspace (`history::QUIET_EMAIL`) with the server's own
/// command, unless a reused seed has it; the server is stopped meanwhile.
async fn make_quiet(bin: &PathBuf, dir: &std::path::Path, env: &[(&str, &str)]) -> Result<()> {
    let run = |args: &[&str]| {
        let mut c = tokio::process::Command::new(bin);
        c.arg("workspace").args(args).arg("--data").arg(dir);
        c.env("FRONTLINE_ADMIN_PASSWORD", "bench-admin-password").env("RUST_LOG", "warn").envs(env.iter().copied());
        c
    };
    // The first command on a seed another build made runs the new migrations.
    let t = std::time::Instant::now();
    let listed = run(&["list"]).output().await.context("frontline workspace list")?;
    anyhow::ensure!(listed.status.success(), "frontline workspace list: {}", String::from_utf8_lossy(&listed.stderr));
    println!("`frontline workspace list` took {:.1} s (migrations, if any, included)", t.elapsed().as_secs_f64());
    if String::from_utf8_lossy(&listed.stdout).contains("quiet") {
        return Ok(());
    }
    let made = run(&["create", "--slug", "quiet", "--name", "Тихая мастерская", "--admin-name", "Quiet Admin"])
        .args(["--admin-email", history::QUIET_EMAIL])
        .output()
        .await
        .context("frontline workspace create")?;
    anyhow::ensure!(made.status.success(), "frontline workspace create: {}", String::from_utf8_lossy(&made.stderr));
    Ok(())
}

/// The large-history phase on PostgreSQL (see `history_pg.rs`).
async fn run_history_pg(args: &Args, bin: &PathBuf, dialogs: i64) -> Result<()> {
    let (name, url) = history_pg::database(&args.database, dialogs)?;
    let dir = std::env::temp_dir().join(format!("frontline-bench-history-pg-{}", uuid::Uuid::now_v7()));
    let env = [("FRONTLINE_DATABASE", url.as_str())];
    if !history_pg::prepare(&args.database, &name, &url, dialogs).await? {
        // The server makes the schema and the demo workspace; the rows go in while it is stopped.
        let mut s = spawn_with(bin, dir.clone(), &env).await?;
        s.child.start_kill()?;
        s.child.wait().await?;
        let t = std::time::Instant::now();
        println!("seeding {dialogs} dialogs, {} messages into PostgreSQL database {name}", dialogs * 10);
        history_pg::seed(&url, dialogs).await?;
        println!("seeded in {:.0} s; database {:.0} MiB", t.elapsed().as_secs_f64(), history_pg::size_mib(&url).await?);
    }
    make_quiet(bin, &dir, &env).await?;
    let s = spawn_with(bin, dir, &env).await?;
    let sample = history_pg::sample_dialogs(&url, 300).await?;
    println!("frontline-bench history phase on PostgreSQL against {} ({} dialogs sampled)", s.base, sample.len());
    history::measure(&s.base, &args.email, &s.password, &sample).await?;
    history::fill_quiet(&s.base, &s.password).await?;
    history::measure_quiet(&s.base, &s.password).await?;
    stop_after_reads(s).await;
    Ok(())
}

/// The large-history phase (see `history.rs`).
async fn run_history(args: &Args, bin: &PathBuf, dialogs: i64) -> Result<()> {
    if args.on_postgres {
        anyhow::ensure!(!args.reports, "--reports seeds SQLite only");
        return run_history_pg(args, bin, dialogs).await;
    }
    let dir = args
        .history_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("frontline-bench-history-{}", uuid::Uuid::now_v7())));
    let db = dir.join("frontline.db");
    let seeded = db.exists();
    if !seeded {
        // The server makes the schema and the demo workspace; the rows go in while it is stopped.
        let mut s = spawn_in(bin, dir.clone()).await?;
        s.child.start_kill()?;
        s.child.wait().await?;
        let t = std::time::Instant::now();
        println!("seeding {dialogs} dialogs, {} messages into {}", dialogs * 10, db.display());
        history::seed(&db, dialogs, args.reports).await?;
        println!(
            "seeded in {:.0} s; database {:.0} MiB",
            t.elapsed().as_secs_f64(),
            std::fs::metadata(&db)?.len() as f64 / 1048576.0
        );
    }
    if !args.reports {
        make_quiet(bin, &dir, &[]).await?;
    }
    let s = spawn_in(bin, dir.clone()).await?;
    if args.reports {
        println!("frontline-bench reports phase against {} ({dialogs} dialogs)", s.base);
        reports::measure(&s.base, &args.email, &s.password, dialogs).await?;
    } else {
        let sample = history::sample_dialogs(&db, 300).await?;
        println!("frontline-bench history phase against {} ({} dialogs sampled)", s.base, sample.len());
        history::measure(&s.base, &args.email, &s.password, &sample).await?;
        history::fill_quiet(&s.base, &s.password).await?;
        history::measure_quiet(&s.base, &s.password).await?;
    }
    stop_after_reads(s).await;
    Ok(())
}

/// The segments phase (see `segments.rs`).
async fn run_segments(args: &Args, bin: &PathBuf, visitors: i64) -> Result<()> {
    let dir = args
        .history_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("frontline-bench-segments-{}", uuid::Uuid::now_v7())));
    let db = dir.join("frontline.db");
    if !db.exists() {
        let mut s = spawn_in(bin, dir.clone()).await?;
        s.child.start_kill()?;
        s.child.wait().await?;
        let t = std::time::Instant::now();
        println!("seeding {visitors} visitors into {}", db.display());
        segments::seed(&db, visitors).await?;
        println!(
            "seeded in {:.0} s; database {:.0} MiB",
            t.elapsed().as_secs_f64(),
            std::fs::metadata(&db)?.len() as f64 / 1048576.0
        );
    }
    let mut s = spawn_in(bin, dir.clone()).await?;
    println!("frontline-bench segments phase against {} ({visitors} visitors)", s.base);
    segments::measure(&s.base, &args.email, &s.password, args.segment_rounds).await?;
    if let Some(pid) = s.child.id()
        && let Some(kib) = rss_kib(pid)
    {
        println!("server RSS after the counts: {:.1} MiB", kib as f64 / 1024.0);
    }
    let _ = s.child.start_kill();
    let _ = s.child.wait().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(n) = args.segments {
        let bin = args.spawn.clone().context("--segments needs --spawn path/to/frontline")?;
        return run_segments(&args, &bin, n).await;
    }
    if args.peer.is_some() {
        let bin = args.spawn.clone().context("--peer needs --spawn path/to/frontline")?;
        return peer::run(&args, &bin).await;
    }
    if let Some(k) = args.nodes {
        let bin = args.spawn.clone().context("--nodes needs --spawn path/to/frontline")?;
        return nodes::run(&args, &bin, k).await;
    }
    if let Some(n) = args.history {
        let bin = args.spawn.clone().context("--history needs --spawn path/to/frontline")?;
        return run_history(&args, &bin, n).await;
    }
    if args.telegram {
        let bin = args.spawn.clone().context("--telegram needs --spawn path/to/frontline")?;
        let tg = frontline_testkit::telegram::FakeTelegram::start().await;
        let dir = std::env::temp_dir().join(format!("frontline-bench-{}", uuid::Uuid::now_v7()));
        let mut s = spawn_with(&bin, dir, &[("FRONTLINE_TELEGRAM_API", tg.url.as_str())]).await?;
        let target = Target::connect(&s.base, &args.email, &s.password).await?;
        println!("frontline-bench telegram phase against {}", s.base);
        telegram::run(&target, &tg, args.telegram_chats, args.telegram_updates, args.telegram_replies).await?;
        if let Some(pid) = s.child.id()
            && let Some(kib) = rss_kib(pid)
        {
            println!("server RSS after the phase:      {:.1} MiB", kib as f64 / 1024.0);
        }
        let _ = s.child.start_kill();
        let _ = s.child.wait().await;
        return Ok(());
    }
    let mut spawned = None;
    let (base, password, pid): (String, String, Option<u32>) = match (&args.spawn, &args.url) {
        (Some(bin), _) => {
            let s = spawn(bin).await?;
            let out = (s.base.clone(), s.password.clone(), s.child.id());
            spawned = Some(s);
            out
        }
        (None, Some(url)) => (
            url.trim_end_matches('/').to_owned(),
            args.password.clone().context("--password is needed with --url")?,
            args.pid,
        ),
        (None, None) => bail!("give --spawn path/to/frontline or --url"),
    };
    let target = Target::connect(&base, &args.email, &password).await?;
    println!(
        "frontline-bench against {base} (visitors {}, operators {}, {} s per phase)",
        args.visitors, args.operators, args.seconds
    );

    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_rss = pid.and_then(rss_kib);
    if let Some(kib) = idle_rss {
        println!("server RSS idle:                 {:.1} MiB", kib as f64 / 1024.0);
    }
    if args.events {
        events::run(&target, args.events_clients, args.events_users, args.events_batch, args.seconds).await?;
        if let Some(pid) = pid
            && let Some(kib) = rss_kib(pid)
        {
            println!("server RSS after the phase:      {:.1} MiB", kib as f64 / 1024.0);
        }
        if let Some(mut s) = spawned {
            let _ = s.child.start_kill();
            let _ = s.child.wait().await;
        }
        return Ok(());
    }
    if let Some(n) = args.sockets {
        sockets::run(&target, n, args.hold, pid, || pid.and_then(rss_kib)).await?;
        if let Some(mut s) = spawned {
            let _ = s.child.start_kill();
            let _ = s.child.wait().await;
        }
        return Ok(());
    }
    if args.webhooks {
        webhooks::run(&target, args.visitors, args.operators, args.seconds, args.rate).await?;
        if let Some(mut s) = spawned {
            let _ = s.child.start_kill();
            let _ = s.child.wait().await;
        }
        return Ok(());
    }
    if args.only_rate {
        let paced =
            run_load(&target, args.visitors, args.operators, Duration::from_secs(args.seconds), Some(args.rate))
                .await?;
        println!("fixed rate {} msg/s: achieved {:.0} msg/s", args.rate, paced.rate());
        println!("  ack latency          p50 {:>7.2} ms   p99 {:>7.2} ms", paced.ack.p(50.0), paced.ack.p(99.0));
        println!("  end-to-end latency   p50 {:>7.2} ms   p99 {:>7.2} ms", paced.e2e.p(50.0), paced.e2e.p(99.0));
        println!("{}", paced.slow_line(args.slow_ms));
        if let Some(mut s) = spawned {
            let _ = s.child.start_kill();
            let _ = s.child.wait().await;
        }
        return Ok(());
    }
    if let Some(pid) = pid {
        let per_socket = run_idle(&target, args.idle, || rss_kib(pid)).await?;
        if let Some(bytes) = per_socket {
            println!("RSS per idle visitor socket:     {:.1} KiB ({} sockets)", bytes / 1024.0, args.idle);
        }
    }

    let load = run_load(&target, args.visitors, args.operators, Duration::from_secs(args.seconds), None).await?;
    println!("throughput (closed loop):        {:.0} messages/s durable ({} messages)", load.rate(), load.acked);
    println!("  ack latency          p50 {:>7.2} ms   p99 {:>7.2} ms", load.ack.p(50.0), load.ack.p(99.0));
    println!("  end-to-end latency   p50 {:>7.2} ms   p99 {:>7.2} ms", load.e2e.p(50.0), load.e2e.p(99.0));
    if let Some(pid) = pid
        && let Some(kib) = rss_kib(pid)
    {
        println!("  server RSS after load: {:.1} MiB", kib as f64 / 1024.0);
    }
    // Let the server fold the previous phase's WAL into the database before measuring the
    // next, so one phase does not measure the other's checkpoint.
    tokio::time::sleep(Duration::from_secs(args.settle)).await;
    let paced =
        run_load(&target, args.visitors, args.operators, Duration::from_secs(args.seconds), Some(args.rate)).await?;
    println!("fixed rate {} msg/s:              achieved {:.0} msg/s", args.rate, paced.rate());
    println!("  ack latency          p50 {:>7.2} ms   p99 {:>7.2} ms", paced.ack.p(50.0), paced.ack.p(99.0));
    println!("  end-to-end latency   p50 {:>7.2} ms   p99 {:>7.2} ms", paced.e2e.p(50.0), paced.e2e.p(99.0));
    println!("{}", paced.slow_line(args.slow_ms));

    if !args.no_floor {
        // The same rows, in batches as large as the closed-loop load makes them (one post
        // waiting per visitor socket).
        let rows = (load.acked as usize).clamp(20_000, 200_000);
        let sqlite = floor::sqlite_batched(rows, args.visitors).await?;
        println!(
            "floor: raw SQLite multi-row inserts (WAL, synchronous=FULL, batches of {}): {:.0} rows/s",
            args.visitors, sqlite
        );
        let seconds = Duration::from_secs(args.seconds);
        let relay = floor::bare_relay(args.visitors, args.operators, seconds, None).await?;
        println!(
            "floor: bare WebSocket relay (no storage), closed loop: {:.0} messages/s, e2e p50 {:.2} ms p99 {:.2} ms",
            relay.rate(),
            relay.e2e.p(50.0),
            relay.e2e.p(99.0)
        );
        let relay_paced = floor::bare_relay(args.visitors, args.operators, seconds, Some(args.rate)).await?;
        println!(
            "floor: bare WebSocket relay at {} msg/s: e2e p50 {:.2} ms p99 {:.2} ms",
            args.rate,
            relay_paced.e2e.p(50.0),
            relay_paced.e2e.p(99.0)
        );
        println!(
            "ratios: throughput / raw SQLite = {:.2}; throughput / bare relay = {:.2}; e2e p99 at {} msg/s / relay's = {:.1}",
            load.rate() / sqlite,
            load.rate() / relay.rate(),
            args.rate,
            paced.e2e.p(99.0) / relay_paced.e2e.p(99.0).max(0.001)
        );
    }
    if let Some(mut s) = spawned {
        let _ = s.child.start_kill();
        let _ = s.child.wait().await;
    }
    Ok(())
}
