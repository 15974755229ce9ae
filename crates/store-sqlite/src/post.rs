//! Group commit of posted messages.
//!
//! One task owns the writing of messages. It waits for a post, then takes every other post
//! already queued (up to `MAX_BATCH`), writes each inside its own savepoint, so that one
//! refused post (a closed dialog) does not undo its neighbours, and commits once. Each
//! sender gets its answer only after that commit has been fsynced.

use crate::{
    MAX_BATCH, PostJob,
    row::{R, map_err},
};
use frontline_domain::DialogId;
use frontline_store::records::{self, PREVIEW_CHARS};
use frontline_store::{PostMessage, PostTarget, Posted, StoreError, StoreResult, sql};
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
    let failed = |e: &StoreError| (0..batch.len()).map(|_| Err(clone_err(e))).collect();
    let mut conn = match pool.acquire().await {
        Ok(c) => c,
        Err(e) => return failed(&map_err(e)),
    };
    if let Err(e) = sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await {
        return failed(&map_err(e));
    }
    let mut results = Vec::with_capacity(batch.len());
    for (post, _) in batch {
        results.push(in_savepoint(&mut conn, post).await);
    }
    if let Err(e) = sqlx::query("COMMIT").execute(&mut *conn).await {
        let e = map_err(e);
        tracing::error!(error = %e, batch.len = batch.len(), "message batch commit failed");
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
        return failed(&e);
    }
    results
}

async fn in_savepoint(conn: &mut SqliteConnection, post: &PostMessage) -> StoreResult<Posted> {
    sqlx::query("SAVEPOINT post")
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    let result = post_in(conn, post).await;
    let end = if result.is_ok() {
        "RELEASE post"
    } else {
        "ROLLBACK TO post; RELEASE post"
    };
    sqlx::raw_sql(end)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
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

/// Writes one post on a connection inside a transaction.
async fn post_in(conn: &mut SqliteConnection, post: &PostMessage) -> StoreResult<Posted> {
    let ws = post.workspace_id;
    let m = &post.message;
    // A retried send: answer with what was stored the first time.
    if let Some(row) = sqlx::query(sql::SELECT_MESSAGE_BY_CLIENT_ID)
        .bind(m.author_id)
        .bind(m.client_id.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?
    {
        let message = records::message(&R(&row))?;
        let dialog = records::dialog(&R(&sqlx::query(sql::SELECT_DIALOG)
            .bind(ws.0)
            .bind(message.dialog_id.0)
            .fetch_one(&mut *conn)
            .await
            .map_err(map_err)?))?;
        return Ok(Posted {
            message,
            dialog,
            dialog_created: false,
            duplicate: true,
        });
    }
    let (dialog_id, dialog_created) = match &post.target {
        PostTarget::Dialog(id) => (*id, false),
        PostTarget::Visitor {
            visitor,
            channel,
            new_dialog_id,
        } => {
            let open: Option<uuid::Uuid> = sqlx::query_scalar(sql::SELECT_OPEN_DIALOG_OF_VISITOR)
                .bind(ws.0)
                .bind(visitor.0)
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_err)?;
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
        // Not open: tell a closed dialog from a missing one.
        let exists = sqlx::query(sql::SELECT_DIALOG)
            .bind(ws.0)
            .bind(dialog_id.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(map_err)?;
        return Err(if exists.is_some() {
            StoreError::DialogClosed
        } else {
            StoreError::NotFound
        });
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
    let message = frontline_domain::Message {
        id: m.id,
        workspace_id: ws,
        dialog_id,
        seq: dialog.last_seq,
        client_id: m.client_id.clone(),
        author: frontline_domain::Author {
            kind: m.author_kind,
            id: m.author_id,
            name: post.author_name.clone(),
        },
        body: m.body.clone(),
        created_at: m.created_at,
    };
    Ok(Posted {
        message,
        dialog,
        dialog_created,
        duplicate: false,
    })
}
