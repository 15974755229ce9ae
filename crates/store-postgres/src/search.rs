//! Search with PostgreSQL full text: a GIN index on `to_tsvector('russian', body)` (Russian
//! stems for Cyrillic words, English for Latin ones) and one on the visitor's name, e-mail
//! and phone. Query stems are prefixes in the `simple` configuration, so they are not stemmed
//! twice.

use crate::PgStore;
use crate::row::{R, map_err};
use frontline_domain::search::SearchQuery;
use frontline_domain::{OperatorId, WorkspaceId};
use frontline_store::search::{JOINED_DIALOG_COLS, merge, message_hit, visible_clause, visitor_hit};
use frontline_store::{SearchRow, SearchStore, StoreResult, async_trait};
use sqlx::AssertSqlSafe;

#[async_trait]
impl SearchStore for PgStore {
    async fn search(
        &self,
        workspace: WorkspaceId,
        query: &SearchQuery,
        visible_to: Option<OperatorId>,
        limit: u32,
    ) -> StoreResult<Vec<SearchRow>> {
        let vis = if visible_to.is_some() { visible_clause(4) } else { String::new() };
        let rows_wanted = i64::from(limit) * 3;
        let messages_sql = format!(
            "SELECT {cols}, m.seq AS hit_seq, \
             ts_headline('russian', m.body, q, 'StartSel=[, StopSel=], MaxWords=20, MinWords=5') AS hit_snippet, \
             m.created_at AS hit_at, m.audience AS hit_audience \
             FROM messages m JOIN dialogs d ON d.id = m.dialog_id, to_tsquery('simple', $1) q \
             WHERE to_tsvector('russian', m.body) @@ q AND m.workspace_id = $2{vis} \
             ORDER BY m.created_at DESC LIMIT $3",
            cols = *JOINED_DIALOG_COLS
        );
        let mut q = sqlx::query(AssertSqlSafe(messages_sql)).bind(query.tsquery()).bind(workspace.0).bind(rows_wanted);
        if let Some(op) = visible_to {
            q = q.bind(op.0);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(map_err)?;
        let messages = rows.iter().map(|r| message_hit(&R(r))).collect::<StoreResult<Vec<_>>>()?;

        let mut visitor_query = format!("({})", query.tsquery());
        if let Some(d) = &query.digits {
            visitor_query = format!("{visitor_query} | '{d}':*");
        }
        let visitors_sql = format!(
            "SELECT {cols} FROM visitors v JOIN dialogs d ON d.visitor_id = v.id \
             WHERE to_tsvector('simple', coalesce(v.name, '') || ' ' || \
             translate(coalesce(v.email, ''), '@.', '  ') || ' ' || coalesce(v.phone, '') || ' ' || \
             coalesce(v.phone_digits, '')) @@ to_tsquery('simple', $1) \
             AND v.workspace_id = $2{vis} ORDER BY d.updated_at DESC LIMIT $3",
            cols = *JOINED_DIALOG_COLS
        );
        let mut q = sqlx::query(AssertSqlSafe(visitors_sql)).bind(visitor_query).bind(workspace.0).bind(rows_wanted);
        if let Some(op) = visible_to {
            q = q.bind(op.0);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(map_err)?;
        let visitors = rows.iter().map(|r| visitor_hit(&R(r))).collect::<StoreResult<Vec<_>>>()?;
        Ok(merge(messages, visitors, limit as usize))
    }
}
