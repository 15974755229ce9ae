//! A visitor's latest dialog, read before each message he writes (the reopen window and his
//! open dialog's channel, `frontline_core::widget`): the reads waiting at one moment are
//! answered by one statement, as the group commit writes the posts waiting at one moment.
//!
//! Every statement costs a round trip to a reader connection's worker thread, a thread switch
//! each way. At thousands of messages a second, these reads, one a message, were nearly all the
//! reader threads did, and their switches a good part of the server's time (docs/bench.md).
//! A read here waits for at most the one statement in flight before its own; what it answers
//! is what the single read would have answered at that moment.

use crate::row::{R, map_err};
use frontline_domain::{Dialog, VisitorId, WorkspaceId};
use frontline_store::{StoreResult, records, sql};
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, AssertSqlSafe, SqlitePool};
use std::collections::HashMap;
use tokio::sync::{mpsc, oneshot};

/// The most reads one statement answers.
pub(crate) const MAX_READS: usize = 256;

pub(crate) type Ask = (WorkspaceId, VisitorId, oneshot::Sender<StoreResult<Option<Dialog>>>);

/// Answers the reads sent on `asks` until every sender is gone.
pub(crate) async fn serve(pool: SqlitePool, mut asks: mpsc::Receiver<Ask>) {
    let mut waiting = Vec::with_capacity(MAX_READS);
    while asks.recv_many(&mut waiting, MAX_READS).await > 0 {
        let keys: Vec<(WorkspaceId, VisitorId)> = waiting.iter().map(|(w, v, _)| (*w, *v)).collect();
        match read_many(&pool, &keys).await {
            Ok(latest) => {
                for (w, v, answer) in waiting.drain(..) {
                    let _ = answer.send(Ok(latest.get(&(w, v)).cloned()));
                }
            }
            // Each read alone, so each gets its own error (or its answer).
            Err(_) => {
                for (w, v, answer) in waiting.drain(..) {
                    let _ = answer.send(read_one(&pool, w, v).await);
                }
            }
        }
    }
}

/// One visitor's latest dialog, newest by creation (as `sql::SELECT_LATEST_DIALOG_OF_VISITOR`).
pub(crate) async fn read_one(pool: &SqlitePool, ws: WorkspaceId, visitor: VisitorId) -> StoreResult<Option<Dialog>> {
    let row = sqlx::query(sql::SELECT_LATEST_DIALOG_OF_VISITOR)
        .bind(ws.0)
        .bind(visitor.0)
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(|r| records::dialog(&R(r))).transpose()
}

/// Several visitors' latest dialogs in one statement: for each `(workspace, visitor)` pair, the
/// row the single read finds, by the same index.
async fn read_many(
    pool: &SqlitePool,
    keys: &[(WorkspaceId, VisitorId)],
) -> StoreResult<HashMap<(WorkspaceId, VisitorId), Dialog>> {
    let pairs = vec!["(?, ?)"; keys.len()].join(", ");
    let text = format!(
        "SELECT {cols} FROM dialogs WHERE rowid IN (SELECT (SELECT d.rowid FROM dialogs AS d \
         WHERE d.workspace_id = v.column1 AND d.visitor_id = v.column2 \
         ORDER BY d.created_at DESC, d.id DESC LIMIT 1) FROM (VALUES {pairs}) AS v)",
        cols = sql::DIALOG_COLS
    );
    let mut args = SqliteArguments::default();
    for (w, v) in keys {
        args.add(w.0).map_err(|e| frontline_store::StoreError::Internal(format!("bind: {e}")))?;
        args.add(v.0).map_err(|e| frontline_store::StoreError::Internal(format!("bind: {e}")))?;
    }
    let rows = sqlx::query_with(AssertSqlSafe(text), args).fetch_all(pool).await.map_err(map_err)?;
    let mut latest = HashMap::with_capacity(rows.len());
    for row in &rows {
        let dialog = records::dialog(&R(row))?;
        latest.insert((dialog.workspace_id, dialog.visitor_id), dialog);
    }
    Ok(latest)
}
