//! Search with FTS5: `messages_fts` (external content over `messages`) and `visitors_fts`
//! (contentless, kept by triggers). Newest first: FTS5 walks its rowids backwards (for a
//! visitor match, the newest visitors first: a common surname must not sort all its dialogs).

use crate::SqliteStore;
use crate::row::{R, map_err};
use frontline_domain::search::SearchQuery;
use frontline_domain::{OperatorId, WorkspaceId};
use frontline_store::search::{JOINED_DIALOG_COLS, merge, message_hit, visible_clause, visitor_hit};
use frontline_store::{SearchRow, SearchStore, StoreResult, async_trait};
use sqlx::AssertSqlSafe;

#[async_trait]
impl SearchStore for SqliteStore {
    async fn search(
        &self,
        workspace: WorkspaceId,
        query: &SearchQuery,
        visible_to: Option<OperatorId>,
        limit: u32,
    ) -> StoreResult<Vec<SearchRow>> {
        let vis = if visible_to.is_some() { visible_clause(4) } else { String::new() };
        // A dialog may match in many messages; read a few more rows than asked.
        let rows_wanted = i64::from(limit) * 3;
        let messages_sql = format!(
            "SELECT {cols}, m.seq AS hit_seq, snippet(messages_fts, 0, '[', ']', '…', 12) AS hit_snippet, \
             m.created_at AS hit_at, m.audience AS hit_audience \
             FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid JOIN dialogs d ON d.id = m.dialog_id \
             WHERE messages_fts MATCH $1 AND m.workspace_id = $2{vis} ORDER BY messages_fts.rowid DESC LIMIT $3",
            cols = *JOINED_DIALOG_COLS
        );
        let mut q = sqlx::query(AssertSqlSafe(messages_sql)).bind(query.fts5()).bind(workspace.0).bind(rows_wanted);
        if let Some(op) = visible_to {
            q = q.bind(op.0);
        }
        let rows = q.fetch_all(self.reader()).await.map_err(map_err)?;
        let messages = rows.iter().map(|r| message_hit(&R(r))).collect::<StoreResult<Vec<_>>>()?;

        let mut visitor_match = format!("{{name email phone}} : ({})", query.fts5());
        if let Some(d) = &query.digits {
            visitor_match = format!("({visitor_match}) OR phone_digits : \"{d}\"*");
        }
        let visitors_sql = format!(
            "SELECT {cols} FROM visitors_fts JOIN visitors v ON v.rowid = visitors_fts.rowid \
             JOIN dialogs d ON d.visitor_id = v.id \
             WHERE visitors_fts MATCH $1 AND v.workspace_id = $2{vis} ORDER BY visitors_fts.rowid DESC LIMIT $3",
            cols = *JOINED_DIALOG_COLS
        );
        let mut q = sqlx::query(AssertSqlSafe(visitors_sql)).bind(visitor_match).bind(workspace.0).bind(rows_wanted);
        if let Some(op) = visible_to {
            q = q.bind(op.0);
        }
        let rows = q.fetch_all(self.reader()).await.map_err(map_err)?;
        let visitors = rows.iter().map(|r| visitor_hit(&R(r))).collect::<StoreResult<Vec<_>>>()?;
        Ok(merge(messages, visitors, limit as usize))
    }
}
