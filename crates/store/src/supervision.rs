//! The quality guard's settings and hits, and the reports' rollups (issue 17).
//!
//! Reports are kept from the event log by core's projector (`frontline_domain::reports`): per
//! workspace a cursor into the log and the zone days are counted in; what the projection
//! remembers of dialogs and operators; and the figures per day, channel and operator. A page of
//! the log is saved in one transaction that first moves the cursor from where the page began
//! (so two nodes folding the same page at once save it once).

use crate::StoreError;
use crate::records::StoreRow;
use frontline_domain::reports::{DialogFacts, Figures, Key, OperatorFacts};
use frontline_domain::{Timestamp, WorkspaceId};
use uuid::Uuid;

/// What the guard found in one message an operator sent or tried to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardHit {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub operator_id: Uuid,
    pub dialog_id: Uuid,
    pub channel_id: Uuid,
    /// `quality::Rule::as_str`.
    pub rule: String,
    /// `warned`, `blocked` or `overridden`.
    pub action: String,
    /// The operator's reason for an override.
    pub reason: Option<String>,
    pub at: Timestamp,
}

/// A workspace's reports: the zone its days are counted in and how far into the log they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportState {
    pub time_zone: String,
    pub cursor: i64,
}

/// A page of the log folded: where it began and ended, and what it changed.
#[derive(Debug, Clone, Default)]
pub struct ReportPage {
    pub from: i64,
    pub to: i64,
    pub dialogs: Vec<(Uuid, DialogFacts)>,
    pub operators: Vec<(Uuid, OperatorFacts)>,
    /// Figures to add to what each key holds.
    pub added: Vec<(Key, Figures)>,
}

/// The most rows one upsert of a report page writes (nine values each: 900 parameters).
pub const UPSERT_ROWS: usize = 100;

/// The rows of a page keyed by id, each id once, its last row kept: one statement may not
/// upsert a row twice (PostgreSQL refuses; SQLite would keep whichever came last anyway).
pub fn last_of_each<T>(rows: &[(Uuid, T)]) -> Vec<&(Uuid, T)> {
    let mut at = std::collections::HashMap::with_capacity(rows.len());
    for (i, (id, _)) in rows.iter().enumerate() {
        at.insert(*id, i);
    }
    rows.iter().enumerate().filter(|(i, (id, _))| at.get(id) == Some(i)).map(|(_, r)| r).collect()
}

/// The live board counts a queue or an operator's open dialogs up to this many (a longer one
/// shows this number): its cost stays the same however long a queue grows.
pub const BOARD_COUNT_CAP: i64 = 1000;

pub const GUARD_HIT_COLS: &str = "id, workspace_id, operator_id, dialog_id, channel_id, rule, action, reason, at";

pub fn guard_hit(r: &impl StoreRow) -> Result<GuardHit, StoreError> {
    Ok(GuardHit {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        operator_id: r.uuid("operator_id")?,
        dialog_id: r.uuid("dialog_id")?,
        channel_id: r.uuid("channel_id")?,
        rule: r.text("rule")?,
        action: r.text("action")?,
        reason: r.opt_text("reason")?,
        at: Timestamp(r.int("at")?),
    })
}

pub fn dialog_facts(r: &impl StoreRow) -> Result<(Uuid, DialogFacts), StoreError> {
    Ok((
        r.uuid("dialog_id")?,
        DialogFacts {
            channel: r.uuid("channel_id")?,
            operator: r.opt_uuid("operator_id")?,
            created_at: r.int("created_at")?,
            first_visitor_at: r.opt_int("first_visitor_at")?,
            first_reply_at: r.opt_int("first_reply_at")?,
            waiting_since: r.opt_int("waiting_since")?,
            closed_at: r.opt_int("closed_at")?,
        },
    ))
}

pub fn operator_facts(r: &impl StoreRow) -> Result<(Uuid, OperatorFacts), StoreError> {
    Ok((
        r.uuid("operator_id")?,
        OperatorFacts {
            online_since: r.opt_int("online_since")?,
            load: i32::try_from(r.int("load")?).unwrap_or(0),
            capacity: i32::try_from(r.int("capacity")?).unwrap_or(0),
            since: r.int("since")?,
        },
    ))
}

pub fn parse_figures(text: &str) -> Result<Figures, StoreError> {
    serde_json::from_str(text).map_err(|_| StoreError::Internal("stored report figures do not parse".into()))
}

pub fn figures_text(f: &Figures) -> String {
    serde_json::to_string(f).unwrap_or_else(|_| "{}".into())
}

pub fn figures_row(r: &impl StoreRow) -> Result<(Key, Figures), StoreError> {
    let figures = parse_figures(&r.text("figures")?)?;
    Ok(((i32::try_from(r.int("day")?).unwrap_or(0), r.uuid("channel_id")?, r.uuid("operator_id")?), figures))
}

/// [`SupervisionStore`](crate::SupervisionStore) for a SQL backend, written once for both.
#[macro_export]
macro_rules! sql_supervision_impls {
    ($store:ty, row = $($row:ident)::+, dialect = $dialect:ident) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{DialogId, Timestamp, WorkspaceId};
            use $crate::__domain::reports::{DialogFacts, Figures, Key, OperatorFacts};
            use $crate::__uuid::Uuid;
            use $crate::supervision::{self as sv, GuardHit, ReportPage, ReportState};
            use $crate::{StoreResult, SupervisionStore};

            #[$crate::async_trait]
            impl SupervisionStore for $store {
                async fn guard_doc(&self, ws: WorkspaceId) -> StoreResult<Option<String>> {
                    ::sqlx::query_scalar("SELECT doc FROM guard_settings WHERE workspace_id = $1")
                        .bind(ws.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(map_err)
                }

                async fn save_guard_doc(&self, ws: WorkspaceId, doc: &str, at: Timestamp) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO guard_settings (workspace_id, doc, updated_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (workspace_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at",
                    )
                    .bind(ws.0)
                    .bind(doc)
                    .bind(at.0)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(())
                }

                async fn record_guard_hits(&self, hits: &[GuardHit]) -> StoreResult<()> {
                    if hits.is_empty() {
                        return Ok(());
                    }
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    for h in hits {
                        let sql = format!("INSERT INTO guard_hits ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", sv::GUARD_HIT_COLS);
                        ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                            .bind(h.id)
                            .bind(h.workspace_id.0)
                            .bind(h.operator_id)
                            .bind(h.dialog_id)
                            .bind(h.channel_id)
                            .bind(&h.rule)
                            .bind(&h.action)
                            .bind(&h.reason)
                            .bind(h.at.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(())
                }

                async fn guard_hits(&self, ws: WorkspaceId, from: Timestamp, to: Timestamp, limit: u32) -> StoreResult<Vec<GuardHit>> {
                    let sql = format!(
                        "SELECT {} FROM guard_hits WHERE workspace_id = $1 AND at >= $2 AND at < $3 ORDER BY at LIMIT $4",
                        sv::GUARD_HIT_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(from.0)
                        .bind(to.0)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| sv::guard_hit(&R(r))).collect()
                }

                async fn dialog_greeted(&self, ws: WorkspaceId, dialog: DialogId) -> StoreResult<bool> {
                    let n: i64 = ::sqlx::query_scalar($crate::sql::COUNT_GREETINGS)
                        .bind(ws.0)
                        .bind(dialog.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(n > 0)
                }

                async fn report_state(&self, ws: WorkspaceId) -> StoreResult<Option<ReportState>> {
                    let row: Option<(String, i64)> =
                        ::sqlx::query_as("SELECT time_zone, cursor FROM report_state WHERE workspace_id = $1")
                            .bind(ws.0)
                            .fetch_optional(self.reader())
                            .await
                            .map_err(map_err)?;
                    Ok(row.map(|(time_zone, cursor)| ReportState { time_zone, cursor }))
                }

                async fn reset_reports(&self, ws: WorkspaceId, zone: &str, at: Timestamp) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    ::sqlx::query(
                        "INSERT INTO report_state (workspace_id, time_zone, cursor, updated_at) VALUES ($1, $2, 0, $3) \
                         ON CONFLICT (workspace_id) DO UPDATE SET time_zone = excluded.time_zone, cursor = 0, \
                         updated_at = excluded.updated_at",
                    )
                    .bind(ws.0)
                    .bind(zone)
                    .bind(at.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    for table in ["report_days", "report_dialogs", "report_operators"] {
                        ::sqlx::query(::sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE workspace_id = $1")))
                            .bind(ws.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(())
                }

                async fn report_dialogs(&self, ws: WorkspaceId, ids: &[Uuid]) -> StoreResult<Vec<(Uuid, DialogFacts)>> {
                    let mut out = Vec::with_capacity(ids.len());
                    for chunk in ids.chunks(200) {
                        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
                        let sql = format!(
                            "SELECT dialog_id, channel_id, operator_id, created_at, first_visitor_at, first_reply_at, \
                             waiting_since, closed_at FROM report_dialogs WHERE workspace_id = $1 AND dialog_id IN ({})",
                            marks.join(", ")
                        );
                        let mut q = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(ws.0);
                        for id in chunk {
                            q = q.bind(*id);
                        }
                        let rows = q.fetch_all(self.reader()).await.map_err(map_err)?;
                        for r in &rows {
                            out.push(sv::dialog_facts(&R(r))?);
                        }
                    }
                    Ok(out)
                }

                async fn report_operators(&self, ws: WorkspaceId) -> StoreResult<Vec<(Uuid, OperatorFacts)>> {
                    let rows = ::sqlx::query(
                        "SELECT operator_id, online_since, load, capacity, since FROM report_operators WHERE workspace_id = $1",
                    )
                    .bind(ws.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                    rows.iter().map(|r| sv::operator_facts(&R(r))).collect()
                }

                async fn save_report_page(&self, ws: WorkspaceId, page: &ReportPage, at: Timestamp) -> StoreResult<bool> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let moved = ::sqlx::query(
                        "UPDATE report_state SET cursor = $3, updated_at = $4 WHERE workspace_id = $1 AND cursor = $2",
                    )
                    .bind(ws.0)
                    .bind(page.from)
                    .bind(page.to)
                    .bind(at.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .rows_affected();
                    if moved != 1 {
                        // Another node folded this page, or the reports were reset meanwhile.
                        return Ok(false);
                    }
                    // Many rows a statement: the writer is shared with the messages, and a
                    // statement a dialog held it for milliseconds every fold (docs/bench.md).
                    // Not kept prepared: the last chunk's size varies from fold to fold, and
                    // each size would take a place in the connection's statement cache.
                    let dialect = $crate::segments::Dialect::$dialect;
                    for chunk in sv::last_of_each(&page.dialogs).chunks(sv::UPSERT_ROWS) {
                        let sql = format!(
                            "INSERT INTO report_dialogs (dialog_id, workspace_id, channel_id, operator_id, created_at, \
                             first_visitor_at, first_reply_at, waiting_since, closed_at) VALUES {} \
                             ON CONFLICT (dialog_id) DO UPDATE SET \
                             channel_id = excluded.channel_id, operator_id = excluded.operator_id, \
                             first_visitor_at = excluded.first_visitor_at, first_reply_at = excluded.first_reply_at, \
                             waiting_since = excluded.waiting_since, closed_at = excluded.closed_at",
                            $crate::sql::value_rows(dialect, chunk.len(), 9)
                        );
                        let mut q = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).persistent(false);
                        for (id, d) in chunk {
                            q = q
                                .bind(*id)
                                .bind(ws.0)
                                .bind(d.channel)
                                .bind(d.operator)
                                .bind(d.created_at)
                                .bind(d.first_visitor_at)
                                .bind(d.first_reply_at)
                                .bind(d.waiting_since)
                                .bind(d.closed_at);
                        }
                        q.execute(&mut *tx).await.map_err(map_err)?;
                    }
                    for chunk in sv::last_of_each(&page.operators).chunks(sv::UPSERT_ROWS) {
                        let sql = format!(
                            "INSERT INTO report_operators (operator_id, workspace_id, online_since, load, capacity, since) \
                             VALUES {} ON CONFLICT (operator_id) DO UPDATE SET \
                             online_since = excluded.online_since, load = excluded.load, capacity = excluded.capacity, \
                             since = excluded.since",
                            $crate::sql::value_rows(dialect, chunk.len(), 6)
                        );
                        let mut q = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).persistent(false);
                        for (id, o) in chunk {
                            q = q
                                .bind(*id)
                                .bind(ws.0)
                                .bind(o.online_since)
                                .bind(i64::from(o.load))
                                .bind(i64::from(o.capacity))
                                .bind(o.since);
                        }
                        q.execute(&mut *tx).await.map_err(map_err)?;
                    }
                    for ((day, channel, operator), add) in &page.added {
                        let old: Option<String> = ::sqlx::query_scalar(
                            "SELECT figures FROM report_days WHERE workspace_id = $1 AND day = $2 AND channel_id = $3 \
                             AND operator_id = $4",
                        )
                        .bind(ws.0)
                        .bind(i64::from(*day))
                        .bind(*channel)
                        .bind(*operator)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?;
                        let mut f: Figures = match old {
                            Some(t) => sv::parse_figures(&t)?,
                            None => Figures::default(),
                        };
                        f.merge(add);
                        let text = sv::figures_text(&f);
                        ::sqlx::query(
                            "INSERT INTO report_days (workspace_id, day, channel_id, operator_id, figures) \
                             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, day, channel_id, operator_id) \
                             DO UPDATE SET figures = excluded.figures",
                        )
                        .bind(ws.0)
                        .bind(i64::from(*day))
                        .bind(*channel)
                        .bind(*operator)
                        .bind(text)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(true)
                }

                async fn queue_board(&self, ws: WorkspaceId) -> StoreResult<Vec<($crate::__domain::ChannelId, i64, Timestamp)>> {
                    // Each channel's oldest is the first entry of its queue's index, and the count
                    // stops at `BOARD_COUNT_CAP`: the board's cost does not grow with the queue.
                    let sql = format!(
                        "SELECT c.id, (SELECT COUNT(*) FROM (SELECT 1 FROM dialogs d WHERE d.workspace_id = $1 \
                         AND d.channel_id = c.id AND d.status = 'open' AND d.assignee_id IS NULL AND d.queued_at IS NOT NULL \
                         LIMIT {cap}) q), (SELECT MIN(d.queued_at) FROM dialogs d WHERE d.workspace_id = $1 \
                         AND d.channel_id = c.id AND d.status = 'open' AND d.assignee_id IS NULL AND d.queued_at IS NOT NULL) \
                         FROM channels c WHERE c.workspace_id = $1",
                        cap = sv::BOARD_COUNT_CAP
                    );
                    let rows: Vec<(Uuid, i64, Option<i64>)> = ::sqlx::query_as(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(rows
                        .into_iter()
                        .filter_map(|(c, n, at)| at.map(|at| ($crate::__domain::ChannelId(c), n, Timestamp(at))))
                        .collect())
                }

                async fn sla_at_risk(&self, ws: WorkspaceId, before: Timestamp, limit: u32) -> StoreResult<Vec<$crate::__domain::Dialog>> {
                    // Two walks along the open dialogs' due-time indexes (a reply's, the
                    // resolution's), merged: never a scan of every open dialog.
                    let mut out: Vec<$crate::__domain::Dialog> = Vec::new();
                    for due in ["sla_reply_due_at", "sla_resolve_due_at"] {
                        let sql = format!(
                            "SELECT {} FROM dialogs WHERE workspace_id = $1 AND status = 'open' AND {due} < $2 \
                             ORDER BY {due}, id LIMIT $3",
                            $crate::sql::DIALOG_COLS
                        );
                        let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                            .bind(ws.0)
                            .bind(before.0)
                            .bind(i64::from(limit))
                            .fetch_all(self.reader())
                            .await
                            .map_err(map_err)?;
                        for r in &rows {
                            let d = $crate::records::dialog(&R(r))?;
                            if !out.iter().any(|o| o.id == d.id) {
                                out.push(d);
                            }
                        }
                    }
                    let soonest = |d: &$crate::__domain::Dialog| {
                        [d.sla.reply_due, d.sla.resolve_due].into_iter().flatten().map(|t| t.0).min().unwrap_or(i64::MAX)
                    };
                    out.sort_by_key(|d| (soonest(d), d.id.0));
                    out.truncate(limit as usize);
                    Ok(out)
                }

                async fn operator_loads(&self, ws: WorkspaceId) -> StoreResult<Vec<($crate::__domain::OperatorId, i64)>> {
                    let sql = format!(
                        "SELECT o.id, (SELECT COUNT(*) FROM (SELECT 1 FROM dialogs d WHERE d.assignee_id = o.id \
                         AND d.status = 'open' LIMIT {cap}) q) FROM operators o WHERE o.workspace_id = $1",
                        cap = sv::BOARD_COUNT_CAP
                    );
                    let rows: Vec<(Uuid, i64)> = ::sqlx::query_as(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(rows.into_iter().map(|(o, n)| ($crate::__domain::OperatorId(o), n)).collect())
                }

                async fn report_days(&self, ws: WorkspaceId, from_day: i32, to_day: i32) -> StoreResult<Vec<(Key, Figures)>> {
                    let rows = ::sqlx::query(
                        "SELECT day, channel_id, operator_id, figures FROM report_days \
                         WHERE workspace_id = $1 AND day >= $2 AND day <= $3",
                    )
                    .bind(ws.0)
                    .bind(i64::from(from_day))
                    .bind(i64::from(to_day))
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                    rows.iter().map(|r| sv::figures_row(&R(r))).collect()
                }
            }
        };
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn last_of_each_keeps_each_id_once_with_its_last_row_in_place() {
        let (a, b) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let rows = vec![(a, 1), (b, 2), (a, 3)];
        let kept: Vec<_> = super::last_of_each(&rows).into_iter().copied().collect();
        assert_eq!(kept, vec![(b, 2), (a, 3)]);
    }
}
