//! Complaints about visitors and blocks (issue 16): an operator files a complaint from a
//! dialog; an admin blocks the visitor or dismisses it; a block is live until lifted.

use crate::StoreError;
use crate::records::StoreRow;
use frontline_domain::{Timestamp, VisitorId, WorkspaceId};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub visitor_id: VisitorId,
    pub dialog_id: Uuid,
    /// `spam`, `abuse` or `other`.
    pub reason: String,
    pub comment: Option<String>,
    pub filed_by: Uuid,
    pub filed_at: Timestamp,
    /// `open`, `blocked` or `dismissed`.
    pub status: String,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<Timestamp>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    /// The visitor blocked (every browser and channel of his), or none for a range alone.
    pub visitor_id: Option<VisitorId>,
    /// An address range blocked with him or alone (`frontline_domain::net::IpRange`, canonical).
    pub ip_range: Option<String>,
    pub reason: String,
    pub complaint_id: Option<Uuid>,
    pub blocked_by: Uuid,
    pub blocked_at: Timestamp,
    pub lifted_by: Option<Uuid>,
    pub lifted_at: Option<Timestamp>,
}

/// An admin's decision on an open complaint.
#[derive(Debug, Clone)]
pub struct Decision {
    /// `blocked` or `dismissed`.
    pub status: &'static str,
    pub by: Uuid,
    pub at: Timestamp,
    pub note: Option<String>,
    /// The block a `blocked` decision places, written with it.
    pub block: Option<Block>,
}

pub const COMPLAINT_COLS: &str = "id, workspace_id, visitor_id, dialog_id, reason, comment, filed_by, filed_at, status, decided_by, decided_at, note";
pub const BLOCK_COLS: &str =
    "id, workspace_id, visitor_id, ip_range, reason, complaint_id, blocked_by, blocked_at, lifted_by, lifted_at";

pub fn complaint(r: &impl StoreRow) -> Result<Complaint, StoreError> {
    Ok(Complaint {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        visitor_id: VisitorId(r.uuid("visitor_id")?),
        dialog_id: r.uuid("dialog_id")?,
        reason: r.text("reason")?,
        comment: r.opt_text("comment")?,
        filed_by: r.uuid("filed_by")?,
        filed_at: Timestamp(r.int("filed_at")?),
        status: r.text("status")?,
        decided_by: r.opt_uuid("decided_by")?,
        decided_at: r.opt_int("decided_at")?.map(Timestamp),
        note: r.opt_text("note")?,
    })
}

pub fn block(r: &impl StoreRow) -> Result<Block, StoreError> {
    Ok(Block {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        visitor_id: r.opt_uuid("visitor_id")?.map(VisitorId),
        ip_range: r.opt_text("ip_range")?,
        reason: r.text("reason")?,
        complaint_id: r.opt_uuid("complaint_id")?,
        blocked_by: r.uuid("blocked_by")?,
        blocked_at: Timestamp(r.int("blocked_at")?),
        lifted_by: r.opt_uuid("lifted_by")?,
        lifted_at: r.opt_int("lifted_at")?.map(Timestamp),
    })
}

/// The tenancy store's methods in shared SQL: `sql_tenancy_impls!(Store, row = crate::row)`.
#[macro_export]
macro_rules! sql_tenancy_impls {
    ($store:ty, row = $($row:ident)::+) => {
        const _: () = {
            use $($row)::+::map_err;
            use $crate::__domain::{Timestamp, Workspace, WorkspaceId};
            use $crate::{StoreError, StoreResult, TenancyStore};

            #[$crate::async_trait]
            impl TenancyStore for $store {
                async fn rename_workspace(&self, id: WorkspaceId, name: &str) -> StoreResult<Workspace> {
                    let done = ::sqlx::query("UPDATE workspaces SET name = $2 WHERE id = $1")
                        .bind(id.0)
                        .bind(name)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    $crate::AccountStore::workspace(self, id).await
                }

                async fn set_workspace_suspended(&self, id: WorkspaceId, at: Option<Timestamp>) -> StoreResult<()> {
                    let done = ::sqlx::query("UPDATE workspaces SET suspended_at = $2 WHERE id = $1")
                        .bind(id.0)
                        .bind(at.map(|t| t.0))
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
                }

                async fn workspace_suspended(&self, id: WorkspaceId) -> StoreResult<Option<Timestamp>> {
                    let at: Option<i64> = ::sqlx::query_scalar("SELECT suspended_at FROM workspaces WHERE id = $1")
                        .bind(id.0)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    Ok(at.map(Timestamp))
                }
            }
        };
    };
}

/// The moderation store's methods in shared SQL: `sql_moderation_impls!(Store, row = crate::row)`.
#[macro_export]
macro_rules! sql_moderation_impls {
    ($store:ty, row = $($row:ident)::+) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{Timestamp, VisitorId, WorkspaceId};
            use $crate::__uuid::Uuid;
            use $crate::moderation::{self as md, Block, Complaint, Decision};
            use $crate::{ModerationStore, StoreError, StoreResult};

            macro_rules! insert_block {
                ($conn:expr, $b:expr) => {{
                    let b: &Block = $b;
                    let sql = format!(
                        "INSERT INTO blocks ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                        md::BLOCK_COLS
                    );
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(b.id)
                        .bind(b.workspace_id.0)
                        .bind(b.visitor_id.map(|v| v.0))
                        .bind(b.ip_range.as_deref())
                        .bind(&b.reason)
                        .bind(b.complaint_id)
                        .bind(b.blocked_by)
                        .bind(b.blocked_at.0)
                        .bind(b.lifted_by)
                        .bind(b.lifted_at.map(|t| t.0))
                        .execute($conn)
                        .await
                        .map_err(map_err)
                        .map(|_| ())
                }};
            }

            #[$crate::async_trait]
            impl ModerationStore for $store {
                async fn file_complaint(&self, c: &Complaint) -> StoreResult<()> {
                    let sql = format!(
                        "INSERT INTO complaints ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                        md::COMPLAINT_COLS
                    );
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(c.id)
                        .bind(c.workspace_id.0)
                        .bind(c.visitor_id.0)
                        .bind(c.dialog_id)
                        .bind(&c.reason)
                        .bind(c.comment.as_deref())
                        .bind(c.filed_by)
                        .bind(c.filed_at.0)
                        .bind(&c.status)
                        .bind(c.decided_by)
                        .bind(c.decided_at.map(|t| t.0))
                        .bind(c.note.as_deref())
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn complaints(&self, ws: WorkspaceId, status: Option<&str>, limit: u32) -> StoreResult<Vec<Complaint>> {
                    let sql = format!(
                        "SELECT {} FROM complaints WHERE workspace_id = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $2) \
                         ORDER BY filed_at DESC, id DESC LIMIT $3",
                        md::COMPLAINT_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(status)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| md::complaint(&R(r))).collect()
                }

                async fn complaint(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<Complaint> {
                    let sql = format!("SELECT {} FROM complaints WHERE workspace_id = $1 AND id = $2", md::COMPLAINT_COLS);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(id)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    md::complaint(&R(&row))
                }

                async fn decide_complaint(&self, ws: WorkspaceId, id: Uuid, d: &Decision) -> StoreResult<Complaint> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let sql = format!(
                        "UPDATE complaints SET status = $3, decided_by = $4, decided_at = $5, note = $6 \
                         WHERE workspace_id = $1 AND id = $2 AND status = 'open' RETURNING {}",
                        md::COMPLAINT_COLS
                    );
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(id)
                        .bind(d.status)
                        .bind(d.by)
                        .bind(d.at.0)
                        .bind(d.note.as_deref())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let Some(row) = row else {
                        drop(tx);
                        // Decided already, or none such.
                        return match self.complaint(ws, id).await {
                            Ok(_) => Err(StoreError::Conflict("complaint decided")),
                            Err(e) => Err(e),
                        };
                    };
                    let c = md::complaint(&R(&row))?;
                    if let Some(b) = &d.block {
                        insert_block!(&mut *tx, b)?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(c)
                }

                async fn add_block(&self, b: &Block) -> StoreResult<()> {
                    insert_block!(self.writer(), b)
                }

                async fn live_block_of(&self, ws: WorkspaceId, visitor: VisitorId) -> StoreResult<Option<Block>> {
                    let sql = format!(
                        "SELECT {} FROM blocks WHERE visitor_id = $2 AND lifted_at IS NULL AND workspace_id = $1 \
                         ORDER BY blocked_at LIMIT 1",
                        md::BLOCK_COLS
                    );
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(visitor.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(map_err)?;
                    row.map(|r| md::block(&R(&r))).transpose()
                }

                async fn any_live_visitor_block(&self, ws: WorkspaceId) -> StoreResult<bool> {
                    let found: Option<i64> = ::sqlx::query_scalar(
                        "SELECT blocked_at FROM blocks WHERE workspace_id = $1 AND lifted_at IS NULL \
                         AND visitor_id IS NOT NULL LIMIT 1",
                    )
                    .bind(ws.0)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(map_err)?;
                    Ok(found.is_some())
                }

                async fn live_range_blocks(&self, ws: WorkspaceId) -> StoreResult<Vec<Block>> {
                    let sql = format!(
                        "SELECT {} FROM blocks WHERE workspace_id = $1 AND lifted_at IS NULL AND ip_range IS NOT NULL",
                        md::BLOCK_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| md::block(&R(r))).collect()
                }

                async fn blocks(&self, ws: WorkspaceId, live_only: bool, limit: u32) -> StoreResult<Vec<Block>> {
                    let sql = format!(
                        "SELECT {} FROM blocks WHERE workspace_id = $1 AND (NOT $2 OR lifted_at IS NULL) \
                         ORDER BY blocked_at DESC, id DESC LIMIT $3",
                        md::BLOCK_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(live_only)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| md::block(&R(r))).collect()
                }

                async fn lift_block(&self, ws: WorkspaceId, id: Uuid, by: Uuid, at: Timestamp) -> StoreResult<Block> {
                    // Lifting again keeps the first lift's time and author.
                    let sql = format!(
                        "UPDATE blocks SET lifted_by = COALESCE(lifted_by, $3), lifted_at = COALESCE(lifted_at, $4) \
                         WHERE workspace_id = $1 AND id = $2 RETURNING {}",
                        md::BLOCK_COLS
                    );
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(id)
                        .bind(by)
                        .bind(at.0)
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    md::block(&R(&row))
                }
            }
        };
    };
}
