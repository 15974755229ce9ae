//! Invitations of operators (issue 16): a link an admin sends; whoever opens it sets his
//! password and joins the workspace in the role the admin chose.

use crate::StoreError;
use crate::records::StoreRow;
use frontline_domain::{OperatorId, Timestamp, WorkspaceId};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub created_by: Uuid,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
    pub operator_id: Option<OperatorId>,
    pub revoked_at: Option<Timestamp>,
}

impl Invitation {
    /// Neither accepted nor revoked, and not expired at `now`.
    pub fn pending(&self, now: Timestamp) -> bool {
        self.accepted_at.is_none() && self.revoked_at.is_none() && self.expires_at > now
    }
}

pub const INVITATION_COLS: &str = "id, workspace_id, email, display_name, role, created_by, created_at, expires_at, \
     accepted_at, operator_id, revoked_at";

pub fn invitation(r: &impl StoreRow) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        email: r.text("email")?,
        display_name: r.text("display_name")?,
        role: r.text("role")?,
        created_by: r.uuid("created_by")?,
        created_at: Timestamp(r.int("created_at")?),
        expires_at: Timestamp(r.int("expires_at")?),
        accepted_at: r.opt_int("accepted_at")?.map(Timestamp),
        operator_id: r.opt_uuid("operator_id")?.map(OperatorId),
        revoked_at: r.opt_int("revoked_at")?.map(Timestamp),
    })
}

/// The invitations' store methods in shared SQL: `sql_invitation_impls!(Store, row = crate::row)`.
#[macro_export]
macro_rules! sql_invitation_impls {
    ($store:ty, row = $($row:ident)::+) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{Operator, Timestamp, WorkspaceId};
            use $crate::__uuid::Uuid;
            use $crate::invitations::{self as iv, Invitation};
            use $crate::{InvitationStore, StoreError, StoreResult};

            #[$crate::async_trait]
            impl InvitationStore for $store {
                async fn create_invitation(&self, i: &Invitation, token_hash: &[u8]) -> StoreResult<()> {
                    let sql = format!(
                        "INSERT INTO invitations ({}, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                        iv::INVITATION_COLS
                    );
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(i.id)
                        .bind(i.workspace_id.0)
                        .bind(&i.email)
                        .bind(&i.display_name)
                        .bind(&i.role)
                        .bind(i.created_by)
                        .bind(i.created_at.0)
                        .bind(i.expires_at.0)
                        .bind(i.accepted_at.map(|t| t.0))
                        .bind(i.operator_id.map(|o| o.0))
                        .bind(i.revoked_at.map(|t| t.0))
                        .bind(token_hash)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn invitations(&self, ws: WorkspaceId, limit: u32) -> StoreResult<Vec<Invitation>> {
                    let sql = format!(
                        "SELECT {} FROM invitations WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                        iv::INVITATION_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| iv::invitation(&R(r))).collect()
                }

                async fn invitation_by_hash(&self, token_hash: &[u8]) -> StoreResult<Invitation> {
                    let sql = format!("SELECT {} FROM invitations WHERE token_hash = $1", iv::INVITATION_COLS);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(token_hash)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    iv::invitation(&R(&row))
                }

                async fn revoke_invitation(&self, ws: WorkspaceId, id: Uuid, at: Timestamp) -> StoreResult<Invitation> {
                    let sql = format!(
                        "UPDATE invitations SET revoked_at = COALESCE(revoked_at, $3) \
                         WHERE workspace_id = $1 AND id = $2 AND accepted_at IS NULL RETURNING {}",
                        iv::INVITATION_COLS
                    );
                    match ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(id)
                        .bind(at.0)
                        .fetch_optional(self.writer())
                        .await
                        .map_err(map_err)?
                    {
                        Some(row) => iv::invitation(&R(&row)),
                        None => {
                            let sql = format!(
                                "SELECT {} FROM invitations WHERE workspace_id = $1 AND id = $2",
                                iv::INVITATION_COLS
                            );
                            let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                                .bind(ws.0)
                                .bind(id)
                                .fetch_one(self.reader())
                                .await
                                .map_err(map_err)?;
                            iv::invitation(&R(&row))
                        }
                    }
                }

                async fn accept_invitation(
                    &self,
                    token_hash: &[u8],
                    operator: &Operator,
                    now: Timestamp,
                ) -> StoreResult<Invitation> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let sql = format!(
                        "UPDATE invitations SET accepted_at = $2, operator_id = $3 WHERE token_hash = $1 \
                         AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2 RETURNING {}",
                        iv::INVITATION_COLS
                    );
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(token_hash)
                        .bind(now.0)
                        .bind(operator.id.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .ok_or(StoreError::NotFound)?;
                    let invitation = iv::invitation(&R(&row))?;
                    if invitation.workspace_id != operator.workspace_id {
                        return Err(StoreError::NotFound);
                    }
                    ::sqlx::query($crate::sql::INSERT_OPERATOR)
                        .bind(operator.id.0)
                        .bind(operator.workspace_id.0)
                        .bind(operator.email.as_str())
                        .bind(operator.display_name.as_str())
                        .bind(operator.role.as_str())
                        .bind(&operator.password_hash)
                        .bind(operator.created_at.0)
                        .bind(i64::from(operator.capacity.get()))
                        .bind(operator.presence.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(invitation)
                }
            }
        };
    };
}
