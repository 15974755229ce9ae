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

use crate::row::{R, map_err};
use crate::{MAX_BATCH, PostJob, batch};
use frontline_domain::{Author, DialogId, Message};
use frontline_store::records::{self, PREVIEW_CHARS};
use frontline_store::{PostMessage, PostTarget, Posted, StoreError, StoreResult, sql};
use sqlx::SqliteConnection;
use sqlx::sqlite::SqlitePool;
use tokio::sync::mpsc;
use uuid::Uuid;

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

/// Why one post was not written.
enum Failure {
    /// Decided by reading, before the post wrote anything: the batch goes on.
    Refused(StoreError),
    /// The database failed a statement: the post may be half-written, the batch is redone.
    Db(StoreError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Db(e)
    }
}

impl Failure {
    fn into_error(self) -> StoreError {
        match self {
            Failure::Refused(e) | Failure::Db(e) => e,
        }
    }
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

async fn alone(conn: &mut SqliteConnection, post: &PostMessage) -> StoreResult<Posted> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.map_err(map_err)?;
    let result = post_in(conn, post).await.map_err(Failure::into_error);
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    sqlx::query(end).execute(&mut *conn).await.map_err(map_err)?;
    result
}

fn clone_err(e: &StoreError) -> StoreError {
    match e {
        StoreError::NotFound => StoreError::NotFound,
        StoreError::Conflict(w) => StoreError::Conflict(w),
        StoreError::DialogClosed => StoreError::DialogClosed,
        StoreError::Unavailable(s) => StoreError::Unavailable(s.clone()),
        StoreError::Internal(s) => StoreError::Internal(s.clone()),
    }
}

/// The answer to a retried send: what was stored the first time.
async fn duplicate(conn: &mut SqliteConnection, post: &PostMessage, id: Uuid) -> StoreResult<Posted> {
    let row = sqlx::query(sql::SELECT_MESSAGE).bind(id).fetch_one(&mut *conn).await.map_err(map_err)?;
    let message = records::message(&R(&row))?;
    let row = sqlx::query(sql::SELECT_DIALOG)
        .bind(post.workspace_id.0)
        .bind(message.dialog_id.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;
    let dialog = records::dialog(&R(&row))?;
    Ok(Posted { message, dialog, dialog_created: false, duplicate: true })
}

/// Writes one post inside the current transaction: three statements on the common path
/// (probe, append, insert), two more when it opens the visitor's dialog.
async fn post_in(conn: &mut SqliteConnection, post: &PostMessage) -> Result<Posted, Failure> {
    let ws = post.workspace_id;
    let m = &post.message;
    let (dialog_id, dialog_created) = match &post.target {
        PostTarget::Dialog(id) => {
            let dup: Option<Uuid> = sqlx::query_scalar(sql::PROBE_CLIENT_ID)
                .bind(m.author_id)
                .bind(m.client_id.as_str())
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_err)?;
            if let Some(dup) = dup {
                return Ok(duplicate(conn, post, dup).await?);
            }
            (*id, false)
        }
        PostTarget::Visitor { visitor, channel, new_dialog_id } => {
            let (dup, open): (Option<Uuid>, Option<Uuid>) = sqlx::query_as(sql::PROBE_VISITOR_POST)
                .bind(m.author_id)
                .bind(m.client_id.as_str())
                .bind(ws.0)
                .bind(visitor.0)
                .fetch_one(&mut *conn)
                .await
                .map_err(map_err)?;
            if let Some(dup) = dup {
                return Ok(duplicate(conn, post, dup).await?);
            }
            match open {
                Some(id) => (DialogId(id), false),
                None => {
                    let number: i64 = sqlx::query_scalar(sql::NEXT_DIALOG_NUMBER)
                        .bind(ws.0)
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(map_err)?;
                    sqlx::query(sql::INSERT_DIALOG)
                        .bind(new_dialog_id.0)
                        .bind(ws.0)
                        .bind(number)
                        .bind(channel.0)
                        .bind(visitor.0)
                        .bind(m.created_at.0)
                        .execute(&mut *conn)
                        .await
                        .map_err(map_err)?;
                    (*new_dialog_id, true)
                }
            }
        }
    };
    let row = sqlx::query(sql::APPEND_TO_DIALOG)
        .bind(dialog_id.0)
        .bind(m.author_kind.as_str())
        .bind(m.body.preview(PREVIEW_CHARS))
        .bind(m.created_at.0)
        .bind(ws.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    let Some(row) = row else {
        // Not open: tell a closed dialog from a missing one. Nothing was written.
        let exists = sqlx::query(sql::SELECT_DIALOG)
            .bind(ws.0)
            .bind(dialog_id.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(map_err)?;
        return Err(Failure::Refused(if exists.is_some() { StoreError::DialogClosed } else { StoreError::NotFound }));
    };
    let dialog = records::dialog(&R(&row))?;
    sqlx::query(sql::INSERT_MESSAGE)
        .bind(m.id.0)
        .bind(ws.0)
        .bind(dialog_id.0)
        .bind(dialog.last_seq)
        .bind(m.client_id.as_str())
        .bind(m.author_kind.as_str())
        .bind(m.author_id)
        .bind(post.author_name.as_deref())
        .bind(m.body.as_str())
        .bind(m.created_at.0)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    let message = Message {
        id: m.id,
        workspace_id: ws,
        dialog_id,
        seq: dialog.last_seq,
        client_id: m.client_id.clone(),
        author: Author { kind: m.author_kind, id: m.author_id, name: post.author_name.clone() },
        body: m.body.clone(),
        created_at: m.created_at,
    };
    Ok(Posted { message, dialog, dialog_created, duplicate: false })
}
