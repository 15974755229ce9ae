//! Group commit of posted messages.
//!
//! One task owns the writing of messages. It waits for a post, takes every other post already
//! queued (up to `MAX_BATCH`), writes them in one transaction and commits once: one fsync for
//! the lot. Each sender gets its answer only after that commit.
//!
//! The batch is written with a fixed number of statements (`batch.rs`). A refused post
//! (closed or unknown dialog) is an answer and does not disturb its neighbours. A database
//! error (which should not happen) rolls the whole batch back, and then each post is written
//! again in a transaction of its own by `post_in`, the one-post path that also defines the
//! rules the batch path follows, so one bad post never takes others down with it.

use crate::{MAX_BATCH, PostJob, batch};
use sqlx::SqliteConnection;
use sqlx::sqlite::SqlitePool;
use tokio::sync::mpsc;

pub(crate) async fn group_commit(pool: SqlitePool, mut rx: mpsc::Receiver<PostJob>) {
    let mut batch: Vec<PostJob> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let results = write_batch(&pool, &batch).await;
        for ((_, reply), result) in batch.drain(..).zip(results) {
            // The sender may have gone (client disconnected); the message is stored anyway.
            let _ = reply.send(result);
        }
    }
    tracing::debug!("message writer stopped");
}

async fn write_batch(pool: &SqlitePool, batch: &[PostJob]) -> Vec<StoreResult<Posted>> {
    let all_failed = |e: StoreError| batch.iter().map(|_| Err(clone_err(&e))).collect();
    let mut conn = match pool.acquire().await {
        Ok(c) => c,
        Err(e) => return all_failed(map_err(e)),
    };
    if let Err(e) = sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await {
        return all_failed(map_err(e));
    }
    let posts: Vec<&PostMessage> = batch.iter().map(|(p, _)| p).collect();
    match batch::write(&mut conn, &posts).await {
        Ok(results) => match sqlx::query("COMMIT").execute(&mut *conn).await {
            Ok(_) => return results,
            Err(e) => {
                let e = map_err(e);
                tracing::error!(error = %e, batch.len = batch.len(), "message batch commit failed");
                let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                return all_failed(e);
            }
        },
        Err(e) => {
            tracing::warn!(error = %e, batch.len = batch.len(), "message batch failed; writing its posts one by one")
        }
    }
    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    let mut results = Vec::with_capacity(batch.len());
    for (post, _) in batch {
        results.push(alone(&mut conn, post).await);
    }
    results
}

pub(crate) async fn alone(conn: &mut SqliteConnection, post: &PostMessage) -> StoreResult<Posted> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.map_err(map_err)?;
    let result = post_in(conn, post).await.map_err(PostFailure::into_error);
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    sqlx::query(end).execute(&mut *conn).await.map_err(map_err)?;
    result
}

fn clone_err(e: &StoreError) -> StoreError {
    match e {
        StoreError::NotFound => StoreError::NotFound,
        StoreError::Conflict(w) => StoreError::Conflict(w),
        StoreError::DialogClosed => StoreError::DialogClosed,
        StoreError::Refused(r) => StoreError::Refused(*r),
        StoreError::Unavailable(s) => StoreError::Unavailable(s.clone()),
        StoreError::Internal(s) => StoreError::Internal(s.clone()),
    }
}

frontline_store::sql_post_one!(SqliteConnection, row = crate::row);
