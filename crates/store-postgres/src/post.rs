//! One post, one transaction.
//!
//! PostgreSQL commits concurrent transactions in groups by itself, so each post is its own
//! transaction. Two races are possible between nodes and connections, and both end in a
//! unique violation: the same `client_id` sent twice at once, or a visitor's first two
//! messages each opening a dialog. The loser retries once and then finds the winner's row.

use crate::row::{R, map_err};
use frontline_domain::DialogId;
use frontline_store::records::{self, PREVIEW_CHARS};
use frontline_store::{PostMessage, PostTarget, Posted, StoreError, StoreResult, sql};
use sqlx::PgConnection;
use sqlx::postgres::PgPool;
use uuid::Uuid;

pub(crate) async fn post(pool: &PgPool, post: &PostMessage) -> StoreResult<Posted> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut tx = pool.begin().await.map_err(map_err)?;
        match post_in(&mut tx, post).await {
            Ok(done) => {
                tx.commit().await.map_err(map_err)?;
                return Ok(done);
            }
            Err(StoreError::Conflict(_)) if attempt < 3 => {
                tx.rollback().await.map_err(map_err)?;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The answer to a retried send: what was stored the first time.
async fn duplicate(conn: &mut PgConnection, post: &PostMessage, id: Uuid) -> StoreResult<Posted> {
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

/// Writes one post inside the current transaction.
async fn post_in(conn: &mut PgConnection, post: &PostMessage) -> StoreResult<Posted> {
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
                return duplicate(conn, post, dup).await;
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
                return duplicate(conn, post, dup).await;
            }
            match open {
                Some(id) => (DialogId(id), false),
                None => {
                    let number: i64 = sqlx::query_scalar(sql::NEXT_DIALOG_NUMBER)
                        .bind(ws.0)
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(map_err)?;
                    let inserted = sqlx::query(sql::INSERT_DIALOG)
                        .bind(new_dialog_id.0)
                        .bind(ws.0)
                        .bind(number)
                        .bind(channel.0)
                        .bind(visitor.0)
                        .bind(m.created_at.0)
                        .execute(&mut *conn)
                        .await
                        .map_err(map_err)?;
                    if inserted.rows_affected() == 0 {
                        // Another transaction opened his dialog first: retry to append to it.
                        return Err(StoreError::Conflict("open dialog"));
                    }
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
        return Err(if exists.is_some() { StoreError::DialogClosed } else { StoreError::NotFound });
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
        author: frontline_domain::Author { kind: m.author_kind, id: m.author_id, name: post.author_name.clone() },
        body: m.body.clone(),
        created_at: m.created_at,
    };
    Ok(Posted { message, dialog, dialog_created, duplicate: false })
}
