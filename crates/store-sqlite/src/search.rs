//! Search with FTS5: `messages_fts` (external content over `messages`) and `visitors_fts`
//! (contentless, kept by triggers). Newest first: FTS5 walks its rowids backwards (for a
//! visitor match, the newest visitors first: a common surname must not sort all its dialogs).
//!
//! Both indexes hold each row's workspace as one token (`search_workspace`: U+E000 and its id in
//! hex, which no query word can be a prefix of; migration 27), and
//! every match ANDs it with the words: FTS5 then walks only this workspace's postings, skipping
//! other workspaces' with its doclist indexes, instead of reading each of their hits and
//! throwing it away. The words are held to their own columns, so no word can match the token.
//! The workspace's own column is still compared, but with `+`, so the planner never drives a
//! search from the workspace's rows and probes the index row by row, each probe running the
//! whole match again, prefix expansions included: for a small workspace on a large install,
//! without the `+`, a surname it did not hold took 80 ms (docs/bench.md).

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
             WHERE messages_fts MATCH {scoped} AND +m.workspace_id = $2{vis} ORDER BY messages_fts.rowid DESC LIMIT $3",
            cols = *JOINED_DIALOG_COLS,
            scoped = in_workspace("$1", "$2"),
        );
        let words = format!("body : ({})", query.fts5());
        let mut q = sqlx::query(AssertSqlSafe(messages_sql)).bind(words).bind(workspace.0).bind(rows_wanted);
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
             WHERE visitors_fts MATCH {scoped} AND +v.workspace_id = $2{vis} ORDER BY visitors_fts.rowid DESC LIMIT $3",
            cols = *JOINED_DIALOG_COLS,
            scoped = in_workspace("$1", "$2"),
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

/// An FTS5 match of `words` (a parameter holding an expression over the text columns) within
/// the workspace whose id is the parameter `workspace`. The token is made by SQLite from the
/// same bytes the index's rows were made from, so the two can never spell it differently.
fn in_workspace(words: &str, workspace: &str) -> String {
    format!("('search_workspace : \"' || char(57344) || hex({workspace}) || '\" AND (' || {words} || ')')")
}
