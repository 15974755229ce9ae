//! A workspace's mail setup: its support address, the SMTP server it sends through and the
//! IMAP mailbox it reads (passwords sealed by `core::sealing`), and where reading stands
//! (UIDVALIDITY and the last UID read).

use crate::StoreError;
use crate::records::StoreRow;
use frontline_domain::{ChannelId, Timestamp, WorkspaceId};

/// The stored setup. `document` holds the servers and the address as JSON (no passwords).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMail {
    pub workspace_id: WorkspaceId,
    pub document: String,
    pub smtp_password_sealed: Option<String>,
    pub imap_password_sealed: Option<String>,
    /// Where mail to the support address opens dialogs.
    pub channel_id: ChannelId,
    pub enabled: bool,
    pub uid_validity: i64,
    pub last_uid: i64,
    pub updated_at: Timestamp,
    /// How long an operator's reply may stay unseen in the widget before it is mailed to the
    /// visitor, in milliseconds (0: never).
    pub followup_ms: i64,
}

/// A person's mail as it came, kept with the message made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailOriginal {
    pub message_id: frontline_domain::MessageId,
    pub workspace_id: WorkspaceId,
    pub dialog_id: frontline_domain::DialogId,
    pub raw: Vec<u8>,
    /// Only its start was kept (it was over the upload limit).
    pub truncated: bool,
    pub at: Timestamp,
}

/// Something an operator is to be told by mail: a dialog given to him (`assigned`) or a note
/// that mentions him (`mentioned`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorNotice {
    pub operator_id: frontline_domain::OperatorId,
    pub event_id: uuid::Uuid,
    pub workspace_id: WorkspaceId,
    pub kind: String,
    pub dialog_id: frontline_domain::DialogId,
    pub at: Timestamp,
}

pub const COLS: &str = "workspace_id, document, smtp_password_sealed, imap_password_sealed, channel_id, \
     enabled, uid_validity, last_uid, updated_at, followup_ms";

pub fn stored_mail(r: &impl StoreRow) -> Result<StoredMail, StoreError> {
    Ok(StoredMail {
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        document: r.text("document")?,
        smtp_password_sealed: r.opt_text("smtp_password_sealed")?,
        imap_password_sealed: r.opt_text("imap_password_sealed")?,
        channel_id: ChannelId(r.uuid("channel_id")?),
        enabled: r.boolean("enabled")?,
        uid_validity: r.int("uid_validity")?,
        last_uid: r.int("last_uid")?,
        updated_at: Timestamp(r.int("updated_at")?),
        followup_ms: r.int("followup_ms")?,
    })
}

#[macro_export]
macro_rules! sql_mail_impls {
    ($store:ty, row = $($row:ident)::+) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::WorkspaceId;
            use $crate::mail::{self as ml, StoredMail};
            use $crate::{MailStore, StoreResult};

            #[$crate::async_trait]
            impl MailStore for $store {
                async fn mail_settings(&self, ws: WorkspaceId) -> StoreResult<Option<StoredMail>> {
                    let sql = format!("SELECT {} FROM mail_settings WHERE workspace_id = $1", ml::COLS);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).bind(ws.0).fetch_optional(self.reader()).await.map_err(map_err)?;
                    row.map(|r| ml::stored_mail(&R(&r))).transpose()
                }

                async fn save_mail_settings(&self, m: &StoredMail) -> StoreResult<()> {
                    // A new setup reads from the start; a changed one keeps its position unless
                    // the caller reset it.
                    let sql = format!(
                        "INSERT INTO mail_settings ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                         ON CONFLICT (workspace_id) DO UPDATE SET document = excluded.document, \
                         smtp_password_sealed = excluded.smtp_password_sealed, \
                         imap_password_sealed = excluded.imap_password_sealed, channel_id = excluded.channel_id, \
                         enabled = excluded.enabled, uid_validity = excluded.uid_validity, \
                         last_uid = excluded.last_uid, updated_at = excluded.updated_at, \
                         followup_ms = excluded.followup_ms",
                        ml::COLS
                    );
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(m.workspace_id.0)
                        .bind(&m.document)
                        .bind(&m.smtp_password_sealed)
                        .bind(&m.imap_password_sealed)
                        .bind(m.channel_id.0)
                        .bind(m.enabled)
                        .bind(m.uid_validity)
                        .bind(m.last_uid)
                        .bind(m.updated_at.0)
                        .bind(m.followup_ms)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn enabled_mail_settings(&self) -> StoreResult<Vec<StoredMail>> {
                    let sql = format!("SELECT {} FROM mail_settings WHERE enabled", ml::COLS);
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql)).fetch_all(self.reader()).await.map_err(map_err)?;
                    rows.iter().map(|r| ml::stored_mail(&R(r))).collect()
                }

                async fn start_mail_position(&self, ws: WorkspaceId, uid_validity: i64, last_uid: i64) -> StoreResult<bool> {
                    let done = ::sqlx::query(
                        "UPDATE mail_settings SET uid_validity = $2, last_uid = $3 WHERE workspace_id = $1 AND uid_validity = 0",
                    )
                    .bind(ws.0)
                    .bind(uid_validity)
                    .bind(last_uid)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn save_mail_position(&self, ws: WorkspaceId, uid_validity: i64, last_uid: i64) -> StoreResult<()> {
                    ::sqlx::query(
                        "UPDATE mail_settings SET uid_validity = $2, last_uid = $3 \
                         WHERE workspace_id = $1 AND (uid_validity <> $2 OR last_uid < $3)",
                    )
                    .bind(ws.0)
                    .bind(uid_validity)
                    .bind(last_uid)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(())
                }

                async fn add_mail_thread(
                    &self,
                    ws: WorkspaceId,
                    dialog: $crate::__domain::DialogId,
                    mail_id: &str,
                    at: $crate::__domain::Timestamp,
                ) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO mail_threads (workspace_id, dialog_id, mail_id, at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (workspace_id, mail_id) DO NOTHING",
                    )
                    .bind(ws.0)
                    .bind(dialog.0)
                    .bind(mail_id)
                    .bind(at.0)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(())
                }

                async fn mail_thread(&self, ws: WorkspaceId, dialog: $crate::__domain::DialogId) -> StoreResult<Vec<String>> {
                    ::sqlx::query_scalar("SELECT mail_id FROM mail_threads WHERE workspace_id = $1 AND dialog_id = $2 ORDER BY at, mail_id")
                        .bind(ws.0)
                        .bind(dialog.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)
                }

                async fn dialog_of_mail(
                    &self,
                    ws: WorkspaceId,
                    mail_ids: &[String],
                ) -> StoreResult<Option<$crate::__domain::DialogId>> {
                    for id in mail_ids.iter().rev() {
                        let found: Option<$crate::__uuid::Uuid> =
                            ::sqlx::query_scalar("SELECT dialog_id FROM mail_threads WHERE workspace_id = $1 AND mail_id = $2")
                                .bind(ws.0)
                                .bind(id)
                                .fetch_optional(self.reader())
                                .await
                                .map_err(map_err)?;
                        if let Some(d) = found {
                            return Ok(Some($crate::__domain::DialogId(d)));
                        }
                    }
                    Ok(None)
                }

                async fn mail_followup_covered(
                    &self,
                    ws: WorkspaceId,
                    dialog: $crate::__domain::DialogId,
                ) -> StoreResult<Option<i64>> {
                    ::sqlx::query_scalar("SELECT covered_seq FROM mail_followups WHERE workspace_id = $1 AND dialog_id = $2")
                        .bind(ws.0)
                        .bind(dialog.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(map_err)
                }

                async fn save_mail_followup(
                    &self,
                    ws: WorkspaceId,
                    dialog: $crate::__domain::DialogId,
                    covered_seq: i64,
                    at: $crate::__domain::Timestamp,
                ) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO mail_followups (dialog_id, workspace_id, covered_seq, sent_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (dialog_id) DO UPDATE SET sent_at = excluded.sent_at, \
                         covered_seq = CASE WHEN excluded.covered_seq > mail_followups.covered_seq \
                         THEN excluded.covered_seq ELSE mail_followups.covered_seq END",
                    )
                    .bind(dialog.0)
                    .bind(ws.0)
                    .bind(covered_seq)
                    .bind(at.0)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(())
                }

                async fn save_mail_original(&self, original: &ml::MailOriginal) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO mail_originals (message_id, workspace_id, dialog_id, raw, truncated, at) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (message_id) DO NOTHING",
                    )
                    .bind(original.message_id.0)
                    .bind(original.workspace_id.0)
                    .bind(original.dialog_id.0)
                    .bind(&original.raw)
                    .bind(original.truncated)
                    .bind(original.at.0)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(())
                }

                async fn mail_original(
                    &self,
                    ws: WorkspaceId,
                    message: $crate::__domain::MessageId,
                ) -> StoreResult<Option<ml::MailOriginal>> {
                    let row: Option<($crate::__uuid::Uuid, Vec<u8>, bool, i64)> = ::sqlx::query_as(
                        "SELECT dialog_id, raw, truncated, at FROM mail_originals WHERE workspace_id = $1 AND message_id = $2",
                    )
                    .bind(ws.0)
                    .bind(message.0)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(map_err)?;
                    Ok(row.map(|(dialog, raw, truncated, at)| ml::MailOriginal {
                        message_id: message,
                        workspace_id: ws,
                        dialog_id: $crate::__domain::DialogId(dialog),
                        raw,
                        truncated,
                        at: $crate::__domain::Timestamp(at),
                    }))
                }

                async fn claim_mail_reader(
                    &self,
                    ws: WorkspaceId,
                    node: $crate::__uuid::Uuid,
                    until: $crate::__domain::Timestamp,
                    now: $crate::__domain::Timestamp,
                ) -> StoreResult<bool> {
                    let done = ::sqlx::query(
                        "UPDATE mail_settings SET reader = $2, read_until = $3 WHERE workspace_id = $1 AND enabled \
                         AND (reader IS NULL OR reader = $2 OR read_until IS NULL OR read_until < $4)",
                    )
                    .bind(ws.0)
                    .bind(node)
                    .bind(until.0)
                    .bind(now.0)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn release_mail_readers(&self, node: $crate::__uuid::Uuid) -> StoreResult<()> {
                    ::sqlx::query("UPDATE mail_settings SET reader = NULL, read_until = NULL WHERE reader = $1")
                        .bind(node)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn notice_cursor(&self, ws: WorkspaceId) -> StoreResult<Option<i64>> {
                    ::sqlx::query_scalar("SELECT pos FROM notice_cursors WHERE workspace_id = $1")
                        .bind(ws.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(map_err)
                }

                async fn move_notice_cursor(&self, ws: WorkspaceId, from: Option<i64>, to: i64) -> StoreResult<bool> {
                    let done = match from {
                        None => ::sqlx::query(
                            "INSERT INTO notice_cursors (workspace_id, pos) VALUES ($1, $2) ON CONFLICT (workspace_id) DO NOTHING",
                        )
                        .bind(ws.0)
                        .bind(to)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?,
                        Some(from) => ::sqlx::query("UPDATE notice_cursors SET pos = $3 WHERE workspace_id = $1 AND pos = $2")
                            .bind(ws.0)
                            .bind(from)
                            .bind(to)
                            .execute(self.writer())
                            .await
                            .map_err(map_err)?,
                    };
                    Ok(done.rows_affected() == 1)
                }

                async fn add_operator_notices(&self, notices: &[ml::OperatorNotice]) -> StoreResult<()> {
                    for n in notices {
                        ::sqlx::query(
                            "INSERT INTO operator_notices (operator_id, event_id, workspace_id, kind, dialog_id, at) \
                             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (operator_id, event_id) DO NOTHING",
                        )
                        .bind(n.operator_id.0)
                        .bind(n.event_id)
                        .bind(n.workspace_id.0)
                        .bind(&n.kind)
                        .bind(n.dialog_id.0)
                        .bind(n.at.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    }
                    Ok(())
                }

                async fn due_notice_operators(
                    &self,
                    before: $crate::__domain::Timestamp,
                    now: $crate::__domain::Timestamp,
                    limit: u32,
                ) -> StoreResult<Vec<(WorkspaceId, $crate::__domain::OperatorId)>> {
                    let rows: Vec<($crate::__uuid::Uuid, $crate::__uuid::Uuid)> = ::sqlx::query_as(
                        "SELECT DISTINCT workspace_id, operator_id FROM operator_notices \
                         WHERE sent_at IS NULL AND at <= $1 AND (claimed_until IS NULL OR claimed_until < $2) LIMIT $3",
                    )
                    .bind(before.0)
                    .bind(now.0)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                    Ok(rows.into_iter().map(|(w, o)| (WorkspaceId(w), $crate::__domain::OperatorId(o))).collect())
                }

                async fn claim_operator_notices(
                    &self,
                    operator: $crate::__domain::OperatorId,
                    now: $crate::__domain::Timestamp,
                    until: $crate::__domain::Timestamp,
                ) -> StoreResult<Vec<ml::OperatorNotice>> {
                    let rows: Vec<($crate::__uuid::Uuid, $crate::__uuid::Uuid, String, $crate::__uuid::Uuid, i64)> =
                        ::sqlx::query_as(
                            "UPDATE operator_notices SET claimed_until = $3 WHERE operator_id = $1 AND sent_at IS NULL \
                             AND (claimed_until IS NULL OR claimed_until < $2) \
                             RETURNING event_id, workspace_id, kind, dialog_id, at",
                        )
                        .bind(operator.0)
                        .bind(now.0)
                        .bind(until.0)
                        .fetch_all(self.writer())
                        .await
                        .map_err(map_err)?;
                    let mut notices: Vec<ml::OperatorNotice> = rows
                        .into_iter()
                        .map(|(event_id, ws, kind, dialog, at)| ml::OperatorNotice {
                            operator_id: operator,
                            event_id,
                            workspace_id: WorkspaceId(ws),
                            kind,
                            dialog_id: $crate::__domain::DialogId(dialog),
                            at: $crate::__domain::Timestamp(at),
                        })
                        .collect();
                    notices.sort_by_key(|n| (n.at.0, n.event_id));
                    Ok(notices)
                }

                async fn finish_operator_notices(
                    &self,
                    operator: $crate::__domain::OperatorId,
                    claimed_until: $crate::__domain::Timestamp,
                    sent_at: $crate::__domain::Timestamp,
                ) -> StoreResult<()> {
                    ::sqlx::query(
                        "UPDATE operator_notices SET sent_at = $3 WHERE operator_id = $1 AND claimed_until = $2 AND sent_at IS NULL",
                    )
                    .bind(operator.0)
                    .bind(claimed_until.0)
                    .bind(sent_at.0)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(())
                }
            }
        };
    };
}
