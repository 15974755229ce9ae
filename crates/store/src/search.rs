//! What both backends' full-text search share: the column list of a joined dialog, reading
//! a hit, and merging message and visitor hits into one newest-first list.

use crate::records::{self, StoreRow};
use crate::{MessageHit, SearchRow, StoreError};
use frontline_domain::Timestamp;
use std::collections::HashSet;
use std::sync::LazyLock;

/// `DIALOG_COLS` with each column taken from `d` (the dialogs table in a join).
pub static JOINED_DIALOG_COLS: LazyLock<String> = LazyLock::new(|| {
    crate::sql::DIALOG_COLS.split(',').map(|c| format!("d.{}", c.trim())).collect::<Vec<_>>().join(", ")
});

/// A message hit row: the dialog's columns plus `hit_seq`, `hit_snippet`, `hit_at`,
/// `hit_audience`.
pub fn message_hit(r: &impl StoreRow) -> Result<SearchRow, StoreError> {
    Ok(SearchRow {
        dialog: records::dialog(r)?,
        message: Some(MessageHit {
            seq: r.int("hit_seq")?,
            snippet: r.text("hit_snippet")?,
            created_at: Timestamp(r.int("hit_at")?),
            audience: r.text("hit_audience")?,
        }),
    })
}

/// A visitor hit row: the dialog's columns.
pub fn visitor_hit(r: &impl StoreRow) -> Result<SearchRow, StoreError> {
    Ok(SearchRow { dialog: records::dialog(r)?, message: None })
}

/// Newest first (by the matched message's time, or the dialog's activity for a visitor
/// match), one row per dialog (its newest match), at most `limit`.
pub fn merge(messages: Vec<SearchRow>, visitors: Vec<SearchRow>, limit: usize) -> Vec<SearchRow> {
    let key = |r: &SearchRow| r.message.as_ref().map_or(r.dialog.updated_at, |m| m.created_at);
    let mut all: Vec<SearchRow> = messages.into_iter().chain(visitors).collect();
    all.sort_by_key(|r| std::cmp::Reverse(key(r)));
    let mut seen = HashSet::new();
    all.retain(|r| seen.insert(r.dialog.id));
    all.truncate(limit);
    all
}

/// The visibility condition on `d` for an operator bound at `$n`.
pub fn visible_clause(n: usize) -> String {
    format!(" AND d.channel_id IN (SELECT channel_id FROM channel_members WHERE operator_id = ${n})")
}
