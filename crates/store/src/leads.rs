//! The Web API's keys, and what a site tells about its users: attributes, events and visitor
//! tags (issue 16; the rules are `frontline_domain::leads`).

use crate::StoreError;
use crate::records::StoreRow;
use frontline_domain::leads::Value;
use frontline_domain::{Timestamp, VisitorId, WorkspaceId};
use uuid::Uuid;

/// A Web API key as admins see it (its secret is never kept, only a hash of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub name: String,
    /// The key's last four characters.
    pub hint: String,
    /// Space-separated scope names (`frontline_domain::leads::Scope`).
    pub scopes: String,
    pub created_by: Uuid,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub revoked_by: Option<Uuid>,
}

/// An attribute as a row of `visitor_attributes`: its kind ('text', 'number', 'true' or
/// 'false'), its text, and its number: a number's value, or the instant (milliseconds) a text
/// reads as (`frontline_domain::leads::date_of`), so "within N days" is a range of an index.
pub fn attribute_row(value: &Value) -> (&'static str, Option<&str>, Option<f64>) {
    match value {
        Value::Bool(true) => ("true", None, None),
        Value::Bool(false) => ("false", None, None),
        Value::Number(n) => ("number", None, Some(*n)),
        Value::Text(s) => ("text", Some(s.as_str()), frontline_domain::leads::date_of(value).map(|t| t.0 as f64)),
    }
}

/// A visitor's attributes as their column keeps them.
pub fn attributes_json(a: &frontline_domain::leads::Attributes) -> Result<String, StoreError> {
    serde_json::to_string(a).map_err(|e| StoreError::Internal(format!("attributes: {e}")))
}

/// An event a visitor did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedEvent {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub visitor_id: VisitorId,
    pub name: String,
    /// A JSON object.
    pub properties: String,
    /// The caller's id of the event: a retry with the same one counts once.
    pub client_id: Option<String>,
    pub at: Timestamp,
}

/// How many times a visitor did an event, first and last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCount {
    pub name: String,
    pub count: i64,
    pub first_at: Timestamp,
    pub last_at: Timestamp,
}

/// A site's identity verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteIdentity {
    /// Sealed; none until an admin first asks for it.
    pub secret: Option<String>,
    /// An identify without a valid hash is refused.
    pub required: bool,
}

/// A key is "used" again only this long after it was last marked, so a busy key writes its
/// `last_used_at` about once a minute, not once a call.
pub const KEY_TOUCH_MS: i64 = 60_000;

pub const API_KEY_COLS: &str =
    "id, workspace_id, name, hint, scopes, created_by, created_at, last_used_at, revoked_at, revoked_by";
pub const EVENT_COLS: &str = "id, workspace_id, visitor_id, name, properties, client_id, at";

pub fn api_key(r: &impl StoreRow) -> Result<ApiKey, StoreError> {
    Ok(ApiKey {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        name: r.text("name")?,
        hint: r.text("hint")?,
        scopes: r.text("scopes")?,
        created_by: r.uuid("created_by")?,
        created_at: Timestamp(r.int("created_at")?),
        last_used_at: r.opt_int("last_used_at")?.map(Timestamp),
        revoked_at: r.opt_int("revoked_at")?.map(Timestamp),
        revoked_by: r.opt_uuid("revoked_by")?,
    })
}

pub fn tracked_event(r: &impl StoreRow) -> Result<TrackedEvent, StoreError> {
    Ok(TrackedEvent {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        visitor_id: VisitorId(r.uuid("visitor_id")?),
        name: r.text("name")?,
        properties: r.text("properties")?,
        client_id: r.opt_text("client_id")?,
        at: Timestamp(r.int("at")?),
    })
}

/// The smallest UUIDv7 of a millisecond: every id made at or after `at` is not below it.
pub fn first_id_at(at: Timestamp) -> Uuid {
    let ms = u64::try_from(at.0.max(0)).unwrap_or(0).min((1 << 48) - 1);
    let mut b = [0u8; 16];
    b[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    Uuid::from_bytes(b)
}

/// Keeping and counting tracked events inside the caller's transaction, in shared SQL:
/// `sql_track_in!(SqliteConnection, row = crate::row)` defines `track_in`.
#[macro_export]
macro_rules! sql_track_in {
    ($conn:ty, row = $($row:ident)::+) => {
        /// Keeps the events and counts them: per event false (nothing written) when its
        /// `client_id` was kept for this visitor before. Two statements an event.
        pub(crate) async fn track_in(
            conn: &mut $conn,
            events: &[$crate::leads::TrackedEvent],
        ) -> $crate::StoreResult<Vec<bool>> {
            use $($row)::+::map_err;
            let mut out = Vec::with_capacity(events.len());
            for e in events {
                let inserted: Option<i64> = ::sqlx::query_scalar(
                    "INSERT INTO visitor_events (id, workspace_id, visitor_id, name, properties, client_id, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (visitor_id, client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING at",
                )
                .bind(e.id)
                .bind(e.workspace_id.0)
                .bind(e.visitor_id.0)
                .bind(&e.name)
                .bind(&e.properties)
                .bind(e.client_id.as_deref())
                .bind(e.at.0)
                .fetch_optional(&mut *conn)
                .await
                .map_err(map_err)?;
                out.push(inserted.is_some());
                if inserted.is_none() {
                    continue;
                }
                ::sqlx::query(
                    "INSERT INTO visitor_event_counts (workspace_id, visitor_id, name, count, first_at, last_at) \
                     VALUES ($1, $2, $3, 1, $4, $4) ON CONFLICT (visitor_id, name) DO UPDATE SET \
                     count = visitor_event_counts.count + 1, \
                     first_at = CASE WHEN excluded.first_at < visitor_event_counts.first_at \
                                THEN excluded.first_at ELSE visitor_event_counts.first_at END, \
                     last_at = CASE WHEN excluded.last_at > visitor_event_counts.last_at \
                               THEN excluded.last_at ELSE visitor_event_counts.last_at END",
                )
                .bind(e.workspace_id.0)
                .bind(e.visitor_id.0)
                .bind(&e.name)
                .bind(e.at.0)
                .execute(&mut *conn)
                .await
                .map_err(map_err)?;
            }
            Ok(out)
        }
    };
}

/// The leads store's methods in shared SQL: `sql_leads_impls!(Store, row = crate::row)`.
#[macro_export]
macro_rules! sql_leads_impls {
    ($store:ty, row = $($row:ident)::+) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{Timestamp, Visitor, VisitorId, WorkspaceId};
            use $crate::__uuid::Uuid;
            use $crate::events::Stamp;
            use $crate::leads::{self as ld, ApiKey, EventCount, SiteIdentity, TrackedEvent};
            use $crate::__domain::SiteId;
            use $crate::{LeadsStore, StoreResult};

            #[$crate::async_trait]
            impl LeadsStore for $store {
                async fn create_api_key(&self, key: &ApiKey, token_hash: &[u8]) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO api_keys (id, workspace_id, name, token_hash, hint, scopes, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(key.id)
                    .bind(key.workspace_id.0)
                    .bind(&key.name)
                    .bind(token_hash)
                    .bind(&key.hint)
                    .bind(&key.scopes)
                    .bind(key.created_by)
                    .bind(key.created_at.0)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(())
                }

                async fn api_keys(&self, ws: WorkspaceId) -> StoreResult<Vec<ApiKey>> {
                    let sql = format!(
                        "SELECT {} FROM api_keys WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC",
                        ld::API_KEY_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| ld::api_key(&R(r))).collect()
                }

                async fn api_key(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<ApiKey> {
                    let sql = format!("SELECT {} FROM api_keys WHERE workspace_id = $1 AND id = $2", ld::API_KEY_COLS);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(id)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    ld::api_key(&R(&row))
                }

                async fn api_key_by_hash(&self, token_hash: &[u8]) -> StoreResult<ApiKey> {
                    let sql = format!("SELECT {} FROM api_keys WHERE token_hash = $1", ld::API_KEY_COLS);
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(token_hash)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    ld::api_key(&R(&row))
                }

                async fn revoke_api_key(&self, ws: WorkspaceId, id: Uuid, by: Uuid, at: Timestamp) -> StoreResult<ApiKey> {
                    // A second revocation keeps the first one's time and author.
                    let sql = format!(
                        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3), revoked_by = COALESCE(revoked_by, $4) \
                         WHERE workspace_id = $1 AND id = $2 RETURNING {}",
                        ld::API_KEY_COLS
                    );
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(id)
                        .bind(at.0)
                        .bind(by)
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    ld::api_key(&R(&row))
                }

                async fn touch_api_key(&self, id: Uuid, at: Timestamp) -> StoreResult<()> {
                    ::sqlx::query(
                        "UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
                    )
                    .bind(id)
                    .bind(at.0)
                    .bind(at.0 - ld::KEY_TOUCH_MS)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(())
                }

                async fn set_visitor_attributes(
                    &self,
                    ws: WorkspaceId,
                    id: VisitorId,
                    attributes: &$crate::__domain::leads::Attributes,
                    stamp: Stamp,
                ) -> StoreResult<Visitor> {
                    let json = ld::attributes_json(attributes)?;
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let sql = format!(
                        "UPDATE visitors SET attributes = $3 WHERE workspace_id = $1 AND id = $2 RETURNING {}",
                        $crate::sql::VISITOR_COLS
                    );
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(id.0)
                        .bind(&json)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let v = $crate::records::visitor(&R(&row))?;
                    // The rows segments read, in the same transaction.
                    ::sqlx::query("DELETE FROM visitor_attributes WHERE visitor_id = $1")
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    for (name, value) in attributes {
                        let (kind, text, number) = ld::attribute_row(value);
                        ::sqlx::query(
                            "INSERT INTO visitor_attributes (visitor_id, name, workspace_id, kind, text, number) \
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(id.0)
                        .bind(name.as_str())
                        .bind(ws.0)
                        .bind(kind)
                        .bind(text)
                        .bind(number)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    }
                    let event = $crate::events::drafts::visitor_updated(&v, &["attributes"], stamp.actor, stamp.at);
                    $crate::write_events!(tx, &[event])?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(v)
                }

                async fn visitor_tags(&self, visitor: VisitorId) -> StoreResult<Vec<String>> {
                    ::sqlx::query_scalar("SELECT tag FROM visitor_tags WHERE visitor_id = $1 ORDER BY tag")
                        .bind(visitor.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)
                }

                async fn change_visitor_tags(
                    &self,
                    ws: WorkspaceId,
                    visitor: &Visitor,
                    add: &[String],
                    remove: &[String],
                    stamp: Stamp,
                ) -> StoreResult<Vec<String>> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let mut changed = 0u64;
                    for tag in remove {
                        changed += ::sqlx::query("DELETE FROM visitor_tags WHERE visitor_id = $1 AND tag = $2")
                            .bind(visitor.id.0)
                            .bind(tag)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?
                            .rows_affected();
                    }
                    for tag in add {
                        changed += ::sqlx::query(
                            "INSERT INTO visitor_tags (workspace_id, visitor_id, tag, added_at) VALUES ($1, $2, $3, $4) \
                             ON CONFLICT (visitor_id, tag) DO NOTHING",
                        )
                        .bind(ws.0)
                        .bind(visitor.id.0)
                        .bind(tag)
                        .bind(stamp.at.0)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .rows_affected();
                    }
                    let tags: Vec<String> =
                        ::sqlx::query_scalar("SELECT tag FROM visitor_tags WHERE visitor_id = $1 ORDER BY tag")
                            .bind(visitor.id.0)
                            .fetch_all(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    if changed > 0 {
                        let event = $crate::events::drafts::visitor_updated(visitor, &["tags"], stamp.actor, stamp.at);
                        $crate::write_events!(tx, &[event])?;
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(tags)
                }

                async fn track_events(&self, events: &[TrackedEvent]) -> StoreResult<Vec<bool>> {
                    // The backend's own: SQLite groups concurrent calls into one commit.
                    self.write_tracked(events).await
                }

                async fn purge_visitor_events(&self, before: Timestamp, limit: u32) -> StoreResult<u64> {
                    // An id is a UUIDv7 made on arrival: its first 48 bits are the time, so the
                    // primary key finds the old ones in order.
                    let cut = ld::first_id_at(before);
                    let done = ::sqlx::query(
                        "DELETE FROM visitor_events WHERE id IN (SELECT id FROM visitor_events WHERE id < $1 ORDER BY id LIMIT $2)",
                    )
                    .bind(cut)
                    .bind(i64::from(limit))
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(done.rows_affected())
                }

                async fn visitor_events(&self, visitor: VisitorId, limit: u32) -> StoreResult<Vec<TrackedEvent>> {
                    let sql = format!(
                        "SELECT {} FROM visitor_events WHERE visitor_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
                        ld::EVENT_COLS
                    );
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(visitor.0)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| ld::tracked_event(&R(r))).collect()
                }

                async fn site_identity(&self, ws: WorkspaceId, site: SiteId) -> StoreResult<SiteIdentity> {
                    let (secret, required): (Option<String>, bool) = ::sqlx::query_as(
                        "SELECT identity_secret, identity_required FROM sites WHERE workspace_id = $1 AND id = $2",
                    )
                    .bind(ws.0)
                    .bind(site.0)
                    .fetch_one(self.reader())
                    .await
                    .map_err(map_err)?;
                    Ok(SiteIdentity { secret, required })
                }

                async fn set_site_identity(
                    &self,
                    ws: WorkspaceId,
                    site: SiteId,
                    secret: Option<&str>,
                    required: Option<bool>,
                ) -> StoreResult<SiteIdentity> {
                    let (secret, required): (Option<String>, bool) = ::sqlx::query_as(
                        "UPDATE sites SET identity_secret = COALESCE($3, identity_secret), \
                         identity_required = COALESCE($4, identity_required) \
                         WHERE workspace_id = $1 AND id = $2 RETURNING identity_secret, identity_required",
                    )
                    .bind(ws.0)
                    .bind(site.0)
                    .bind(secret)
                    .bind(required)
                    .fetch_one(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(SiteIdentity { secret, required })
                }

                async fn add_visitor_token(
                    &self,
                    token_hash: &[u8],
                    ws: WorkspaceId,
                    visitor: VisitorId,
                    site: SiteId,
                    at: Timestamp,
                ) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO visitor_tokens (token_hash, workspace_id, visitor_id, site_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                        .bind(token_hash)
                        .bind(ws.0)
                        .bind(visitor.0)
                        .bind(site.0)
                        .bind(at.0)
                        .execute(self.writer())
                        .await
                        .map_err(map_err)?;
                    Ok(())
                }

                async fn visitor_token(&self, token_hash: &[u8]) -> StoreResult<(WorkspaceId, VisitorId, SiteId)> {
                    let row = ::sqlx::query("SELECT workspace_id, visitor_id, site_id FROM visitor_tokens WHERE token_hash = $1")
                        .bind(token_hash)
                        .fetch_one(self.reader())
                        .await
                        .map_err(map_err)?;
                    let r = R(&row);
                    use $crate::records::StoreRow as _;
                    Ok((WorkspaceId(r.uuid("workspace_id")?), VisitorId(r.uuid("visitor_id")?), SiteId(r.uuid("site_id")?)))
                }

                async fn claim_user_id(&self, ws: WorkspaceId, visitor: VisitorId, user_id: &str) -> StoreResult<bool> {
                    let done = ::sqlx::query(
                        "UPDATE visitors SET external_id = $3 WHERE workspace_id = $1 AND id = $2 AND source = 'widget' \
                         AND external_id IS NULL AND NOT EXISTS (SELECT 1 FROM visitors o WHERE o.workspace_id = $1 \
                         AND o.source = 'widget' AND o.external_id = $3)",
                    )
                    .bind(ws.0)
                    .bind(visitor.0)
                    .bind(user_id)
                    .execute(self.writer())
                    .await
                    .map_err(map_err)?;
                    Ok(done.rows_affected() == 1)
                }

                async fn move_open_dialog(
                    &self,
                    ws: WorkspaceId,
                    from: VisitorId,
                    to: &Visitor,
                    stamp: Stamp,
                ) -> StoreResult<Option<$crate::__domain::Dialog>> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    // One open dialog a visitor (a unique index says so too): he keeps his own.
                    let sql = format!(
                        "UPDATE dialogs SET visitor_id = $3 WHERE workspace_id = $1 AND visitor_id = $2 AND status = 'open' \
                         AND NOT EXISTS (SELECT 1 FROM dialogs o WHERE o.visitor_id = $3 AND o.status = 'open') \
                         AND EXISTS (SELECT 1 FROM visitors t WHERE t.workspace_id = $1 AND t.id = $3) \
                         RETURNING {}",
                        $crate::sql::DIALOG_COLS
                    );
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                        .bind(ws.0)
                        .bind(from.0)
                        .bind(to.id.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    let Some(row) = row else { return Ok(None) };
                    let dialog = $crate::records::dialog(&R(&row))?;
                    let event = $crate::events::drafts::visitor_updated(to, &["dialogs"], stamp.actor, stamp.at);
                    $crate::write_events!(tx, &[event])?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(Some(dialog))
                }

                async fn event_counts(&self, visitor: VisitorId) -> StoreResult<Vec<EventCount>> {
                    let rows: Vec<(String, i64, i64, i64)> = ::sqlx::query_as(
                        "SELECT name, count, first_at, last_at FROM visitor_event_counts WHERE visitor_id = $1 \
                         ORDER BY last_at DESC, name",
                    )
                    .bind(visitor.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(map_err)?;
                    Ok(rows
                        .into_iter()
                        .map(|(name, count, first_at, last_at)| EventCount {
                            name,
                            count,
                            first_at: Timestamp(first_at),
                            last_at: Timestamp(last_at),
                        })
                        .collect())
                }
            }
        };
    };
}
