//! The machine's floors, measured in the same run: what storage alone and relaying alone cost.

use crate::client::{LoadResult, Ws, drive};
use anyhow::Result;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Arguments, AssertSqlSafe};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// Inserts `rows` message rows (and bumps their dialog rows) in transactions of `batch` rows,
/// with WAL and `synchronous=FULL` like Frontline, each batch in two set-based statements:
/// the cheapest way to store the same rows durably. Returns rows per second.
pub async fn sqlite_batched(rows: usize, batch: usize) -> Result<f64> {
    let batch = batch.max(1);
    let path = std::env::temp_dir().join(format!("frontline-floor-{}.db", uuid::Uuid::now_v7()));
    let opts = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(opts).await?;
    sqlx::raw_sql(
        "CREATE TABLE dialogs (id BLOB PRIMARY KEY, last_seq INTEGER NOT NULL, updated_at INTEGER NOT NULL);
         CREATE TABLE messages (id BLOB PRIMARY KEY, workspace_id BLOB NOT NULL, dialog_id BLOB NOT NULL, seq INTEGER NOT NULL,
           client_id TEXT NOT NULL, author_kind TEXT NOT NULL, author_id BLOB NOT NULL, author_name TEXT, body TEXT NOT NULL,
           created_at INTEGER NOT NULL, UNIQUE (dialog_id, seq), UNIQUE (author_id, client_id));",
    )
    .execute(&pool)
    .await?;
    let dialogs: Vec<uuid::Uuid> = (0..200).map(|_| uuid::Uuid::now_v7()).collect();
    for d in &dialogs {
        sqlx::query("INSERT INTO dialogs VALUES ($1, 0, 0)").bind(d).execute(&pool).await?;
    }
    let ws = uuid::Uuid::now_v7();
    let mut seqs = vec![0_i64; dialogs.len()];
    let started = Instant::now();
    let mut done = 0;
    while done < rows {
        let end = (done + batch).min(rows);
        let n = end - done;
        // One multi-row insert of the messages and one update of the dialogs they touched:
        // the least SQL that stores these rows.
        let mut insert = String::from("INSERT INTO messages VALUES ");
        let mut args = SqliteArguments::default();
        let mut touched = std::collections::BTreeMap::new();
        for (k, i) in (done..end).enumerate() {
            let d = i % dialogs.len();
            seqs[d] += 1;
            touched.insert(d, seqs[d]);
            let b = k * 8;
            if k > 0 {
                insert.push_str(", ");
            }
            insert.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, 'visitor', ${}, NULL, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8
            ));
            args.add(uuid::Uuid::now_v7()).map_err(anyhow::Error::msg)?;
            args.add(ws).map_err(anyhow::Error::msg)?;
            args.add(dialogs[d]).map_err(anyhow::Error::msg)?;
            args.add(seqs[d]).map_err(anyhow::Error::msg)?;
            args.add(format!("c{i}")).map_err(anyhow::Error::msg)?;
            args.add(dialogs[d]).map_err(anyhow::Error::msg)?;
            args.add("Здравствуйте! Сколько стоит кухня 3 метра?").map_err(anyhow::Error::msg)?;
            args.add(i as i64).map_err(anyhow::Error::msg)?;
        }
        let mut update = String::from("UPDATE dialogs SET last_seq = v.column2, updated_at = v.column3 FROM (VALUES ");
        let mut uargs = SqliteArguments::default();
        for (k, (d, seq)) in touched.iter().enumerate() {
            if k > 0 {
                update.push_str(", ");
            }
            update.push_str(&format!("(${}, ${}, ${})", k * 3 + 1, k * 3 + 2, k * 3 + 3));
            uargs.add(dialogs[*d]).map_err(anyhow::Error::msg)?;
            uargs.add(*seq).map_err(anyhow::Error::msg)?;
            uargs.add(n as i64).map_err(anyhow::Error::msg)?;
        }
        update.push_str(") AS v WHERE dialogs.id = v.column1");
        let mut tx = pool.begin().await?;
        sqlx::query_with(AssertSqlSafe(insert), args).execute(&mut *tx).await?;
        sqlx::query_with(AssertSqlSafe(update), uargs).execute(&mut *tx).await?;
        tx.commit().await?;
        done = end;
    }
    let rate = rows as f64 / started.elapsed().as_secs_f64();
    pool.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(rate)
}

#[derive(Clone)]
struct Relay {
    tx: broadcast::Sender<String>,
}

async fn relay_visitor(State(r): State<Relay>, ws: WebSocketUpgrade) -> Response {
    ws.read_buffer_size(4096).write_buffer_size(4096).on_upgrade(move |s| relay_socket(r, s, false))
}

async fn relay_operator(State(r): State<Relay>, ws: WebSocketUpgrade) -> Response {
    ws.read_buffer_size(4096).write_buffer_size(4096).on_upgrade(move |s| relay_socket(r, s, true))
}

/// Answers every `send` with an `ack` and passes a `message.created` to the operator sockets,
/// storing and checking nothing: what relaying alone costs on this machine.
async fn relay_socket(r: Relay, socket: WebSocket, operator: bool) {
    let (mut tx, mut rx) = socket.split();
    // Visitors subscribe to nothing (in Frontline they follow only their own topic).
    // (The unused sender is held so that the visitor's empty channel never reports closed.)
    let (_hold, mut sub) = if operator {
        (None, r.tx.subscribe())
    } else {
        let (tx, rx) = broadcast::channel(1);
        (Some(tx), rx)
    };
    loop {
        tokio::select! {
            m = rx.next() => match m {
                Some(Ok(Message::Text(t))) => {
                    let Ok(v) = serde_json::from_str::<Value>(&t) else { continue };
                    let message = json!({"client_id": v["client_id"], "body": v["body"], "author": {"kind": "visitor"}});
                    let _ = r.tx.send(json!({"type": "message.created", "message": message}).to_string());
                    let ack = json!({"type": "ack", "client_id": v["client_id"], "message": message}).to_string();
                    if tx.send(Message::Text(ack.into())).await.is_err() { break; }
                }
                Some(Ok(_)) => continue,
                _ => break,
            },
            e = sub.recv() => match e {
                Ok(frame) => { if tx.send(Message::Text(frame.into())).await.is_err() { break; } }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => break,
            },
        }
    }
}

/// The same clients against a WebSocket relay with no storage and no checks.
pub async fn bare_relay(
    visitors: usize,
    operators: usize,
    duration: Duration,
    rate: Option<u64>,
) -> Result<LoadResult> {
    let (tx, _) = broadcast::channel(4096);
    let app = axum::Router::new()
        .route("/visitor", get(relay_visitor))
        .route("/operator", get(relay_operator))
        .with_state(Relay { tx });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut ops: Vec<Ws> = Vec::new();
    for _ in 0..operators.max(1) {
        ops.push(tokio_tungstenite::connect_async(format!("ws://{addr}/operator")).await?.0);
    }
    let mut vis: Vec<Ws> = Vec::new();
    for _ in 0..visitors {
        vis.push(tokio_tungstenite::connect_async(format!("ws://{addr}/visitor")).await?.0);
    }
    let result = drive(vis, ops, duration, rate).await;
    server.abort();
    result
}
