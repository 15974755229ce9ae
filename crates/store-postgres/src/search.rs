//! Search with PostgreSQL full text: a GIN index on `to_tsvector('russian', body)` (Russian
//! stems for Cyrillic words, English for Latin ones) and one on the visitor's name, e-mail
//! and phone. A message is asked for with the query's whole words stemmed by the same
//! `russian` configuration, each a prefix; a visitor, whose fields are indexed as they are
//! (`simple`), with our stems as prefixes. Each part looks through the newest rows first (see
//! [`RECENT`]).

use crate::PgStore;
use crate::row::{R, map_err};
use frontline_domain::search::SearchQuery;
use frontline_domain::{OperatorId, WorkspaceId};
use frontline_store::search::{JOINED_DIALOG_COLS, merge, message_hit, visible_clause, visitor_hit};
use frontline_store::{SearchRow, SearchStore, StoreResult, async_trait};
use sqlx::AssertSqlSafe;
use std::sync::LazyLock;

/// How many of a workspace's newest messages, and of its latest active dialogs, a search looks
/// through first. Full text finds a word's matches in no particular order: for a common word
/// that is a million rows to fetch and sort by time (15 s at 10,000,000 messages), while the
/// newest few thousand, read in time order and tested one by one, hold enough hits in
/// milliseconds. Only when they do not (a rare word) is the full-text index asked, and then
/// its matches are few.
const RECENT: i64 = 5_000;
static RECENT_MESSAGES: LazyLock<String> = LazyLock::new(|| {
    format!("(SELECT * FROM messages WHERE workspace_id = $2 ORDER BY created_at DESC LIMIT {RECENT})")
});
static RECENT_DIALOGS: LazyLock<String> = LazyLock::new(|| {
    format!("(SELECT * FROM dialogs WHERE workspace_id = $2 ORDER BY updated_at DESC LIMIT {RECENT})")
});

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
        let bind = |sql: String, tsquery: String| {
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(tsquery).bind(workspace.0).bind(rows_wanted);
            if let Some(op) = visible_to {
                q = q.bind(op.0);
            }
            q
        };
        // The second pass sorts the full-text index's matches itself (`+ 0`): walking the time
        // index and testing each message, which the planner may otherwise choose, reads them
        // all when the word is rare.
        let messages_sql = |from: &str, order: &str| {
            format!(
                "SELECT {cols}, m.seq AS hit_seq, \
                 ts_headline('russian', m.body, q, 'StartSel=[, StopSel=], MaxWords=20, MinWords=5') AS hit_snippet, \
                 m.created_at AS hit_at, m.audience AS hit_audience \
                 FROM {from} m JOIN dialogs d ON d.id = m.dialog_id, to_tsquery('russian', $1) q \
                 WHERE to_tsvector('russian', m.body) @@ q AND m.workspace_id = $2{vis} \
                 ORDER BY {order} DESC LIMIT $3",
                cols = *JOINED_DIALOG_COLS
            )
        };
        let mut messages = Vec::new();
        for (from, order) in [(RECENT_MESSAGES.as_str(), "m.created_at"), ("messages", "m.created_at + 0")] {
            let rows =
                bind(messages_sql(from, order), query.words_tsquery()).fetch_all(&self.pool).await.map_err(map_err)?;
            messages = rows.iter().map(|r| message_hit(&R(r))).collect::<StoreResult<Vec<_>>>()?;
            if messages.len() as i64 >= rows_wanted {
                break;
            }
        }

        let mut visitor_query = format!("({})", query.tsquery());
        if let Some(d) = &query.digits {
            visitor_query = format!("{visitor_query} | '{d}':*");
        }
        let visitors_sql = |from: &str| {
            format!(
                "SELECT {cols} FROM visitors v JOIN {from} d ON d.visitor_id = v.id \
                 WHERE to_tsvector('simple', coalesce(v.name, '') || ' ' || \
                 translate(coalesce(v.email, ''), '@.', '  ') || ' ' || coalesce(v.phone, '') || ' ' || \
                 coalesce(v.phone_digits, '')) @@ to_tsquery('simple', $1) \
                 AND v.workspace_id = $2{vis} ORDER BY d.updated_at DESC LIMIT $3",
                cols = *JOINED_DIALOG_COLS
            )
        };
        let mut visitors = Vec::new();
        for from in [RECENT_DIALOGS.as_str(), "dialogs"] {
            let rows = bind(visitors_sql(from), visitor_query.clone()).fetch_all(&self.pool).await.map_err(map_err)?;
            visitors = rows.iter().map(|r| visitor_hit(&R(r))).collect::<StoreResult<Vec<_>>>()?;
            if visitors.len() as i64 >= rows_wanted {
                break;
            }
        }
        Ok(merge(messages, visitors, limit as usize))
    }
}
