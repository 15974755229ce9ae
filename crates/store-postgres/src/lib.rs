//! The PostgreSQL store, for teams that outgrow one machine: several Frontline nodes share
//! it (with NATS carrying events between them).
//!
//! What stays true: the same schema versions and query texts as SQLite (see
//! `frontline_store::sql`); each call is one transaction; concurrent posts to one dialog
//! serialise on the dialog row (`UPDATE … RETURNING` takes its lock), so `seq` has no gaps;
//! migrations run under an advisory lock, so nodes starting together apply them once.

mod post;
mod row;

use async_trait::async_trait;
use frontline_domain::{
    Channel, ChannelId, Dialog, DialogId, DialogStatus, Email, Message, Operator, OperatorId, Site, SiteKey, Timestamp,
    Visitor, VisitorId, VisitorName, Workspace, WorkspaceId, WorkspaceSlug,
};
use frontline_store::records::{self, join_origins};
use frontline_store::sql;
use frontline_store::*;
use row::{R, map_err};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// This backend's migrations; versions and names match the SQLite ones.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "accounts_and_dialogs",
    sql: include_str!("../migrations/0001_accounts_and_dialogs.sql"),
}];

/// The PostgreSQL implementation of [`Store`].
pub struct PgStore {
    pool: PgPool,
    /// Set for throw-away schemas (tests): dropped on close.
    temporary: Option<(String, String)>,
}

impl PgStore {
    /// Connects to `url` (`postgres://…`) and applies pending migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        Self::connect_in_schema(url, None).await
    }

    /// Like [`PgStore::connect`], with every table in `schema` (created if missing): one
    /// database can hold several independent installs, and each test its own.
    pub async fn connect_in_schema(url: &str, schema: Option<&str>) -> StoreResult<Self> {
        let mut options =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::Unavailable(format!("bad PostgreSQL URL: {e}")))?;
        if let Some(schema) = schema {
            if !schema.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(StoreError::Unavailable("schema names are a-z, 0-9 and _".into()));
            }
            let admin = PgPoolOptions::new().max_connections(1).connect_with(options.clone()).await.map_err(map_err)?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA IF NOT EXISTS {schema}")))
                .execute(&admin)
                .await
                .map_err(map_err)?;
            admin.close().await;
            options = options.options([("search_path", schema)]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(map_err)?;
        migrate(&pool).await?;
        Ok(Self { pool, temporary: None })
    }

    /// A store in a new schema of its own, dropped with everything in it on [`Store::close`].
    pub async fn temporary(url: &str) -> StoreResult<Self> {
        let schema = format!("fl_test_{}", uuid::Uuid::now_v7().simple());
        let mut store = Self::connect_in_schema(url, Some(&schema)).await?;
        store.temporary = Some((url.to_owned(), schema));
        Ok(store)
    }

    /// Drops a schema made by [`PgStore::connect_in_schema`] (tests clean up with it).
    pub async fn drop_schema(url: &str, schema: &str) -> StoreResult<()> {
        if !schema.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::Unavailable("schema names are a-z, 0-9 and _".into()));
        }
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let admin = PgPoolOptions::new().max_connections(1).connect_with(options).await.map_err(map_err)?;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")))
            .execute(&admin)
            .await
            .map_err(map_err)?;
        admin.close().await;
        Ok(())
    }
}

/// A fixed key for the migration advisory lock ("frontline" in ASCII, truncated).
const MIGRATION_LOCK: i64 = 0x66726f6e746c;

async fn migrate(pool: &PgPool) -> StoreResult<()> {
    let mut tx = pool.begin().await.map_err(map_err)?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(MIGRATION_LOCK).execute(&mut *tx).await.map_err(map_err)?;
    sqlx::query(sql::CREATE_MIGRATIONS_TABLE).execute(&mut *tx).await.map_err(map_err)?;
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM frontline_migrations").fetch_all(&mut *tx).await.map_err(map_err)?;
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        sqlx::raw_sql(m.sql).execute(&mut *tx).await.map_err(map_err)?;
        sqlx::query(sql::INSERT_MIGRATION)
            .bind(m.version)
            .bind(m.name)
            .bind(now_ms())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tracing::info!(migration.version = m.version, migration.name = m.name, "applied migration");
    }
    tx.commit().await.map_err(map_err)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[async_trait]
impl AccountStore for PgStore {
    async fn create_workspace(&self, ws: &Workspace, default_channel: &Channel) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        sqlx::query(sql::INSERT_WORKSPACE)
            .bind(ws.id.0)
            .bind(ws.slug.as_str())
            .bind(&ws.name)
            .bind(ws.created_at.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query(sql::INSERT_CHANNEL)
            .bind(default_channel.id.0)
            .bind(ws.id.0)
            .bind(&default_channel.name)
            .bind(true)
            .bind(ws.created_at.0)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn workspace(&self, id: WorkspaceId) -> StoreResult<Workspace> {
        let row = sqlx::query(sql::SELECT_WORKSPACE).bind(id.0).fetch_one(&self.pool).await.map_err(map_err)?;
        records::workspace(&R(&row))
    }

    async fn workspace_by_slug(&self, slug: &WorkspaceSlug) -> StoreResult<Workspace> {
        let row = sqlx::query(sql::SELECT_WORKSPACE_BY_SLUG)
            .bind(slug.as_str())
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        records::workspace(&R(&row))
    }

    async fn list_workspaces(&self) -> StoreResult<Vec<Workspace>> {
        let rows = sqlx::query(sql::SELECT_WORKSPACES).fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(|r| records::workspace(&R(r))).collect()
    }

    async fn create_operator(&self, op: &Operator) -> StoreResult<()> {
        sqlx::query(sql::INSERT_OPERATOR)
            .bind(op.id.0)
            .bind(op.workspace_id.0)
            .bind(op.email.as_str())
            .bind(op.display_name.as_str())
            .bind(op.role.as_str())
            .bind(&op.password_hash)
            .bind(op.created_at.0)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn operator(&self, workspace: WorkspaceId, id: OperatorId) -> StoreResult<Operator> {
        let row = sqlx::query(sql::SELECT_OPERATOR)
            .bind(workspace.0)
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        records::operator(&R(&row))
    }

    async fn operators_by_email(&self, email: &Email) -> StoreResult<Vec<Operator>> {
        let rows = sqlx::query(sql::SELECT_OPERATORS_BY_EMAIL)
            .bind(email.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| records::operator(&R(r))).collect()
    }

    async fn list_operators(&self, workspace: WorkspaceId) -> StoreResult<Vec<Operator>> {
        let rows = sqlx::query(sql::SELECT_OPERATORS).bind(workspace.0).fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(|r| records::operator(&R(r))).collect()
    }

    async fn create_session(&self, s: &NewSession) -> StoreResult<()> {
        sqlx::query(sql::INSERT_SESSION)
            .bind(&s.token_hash)
            .bind(s.workspace_id.0)
            .bind(s.operator_id.0)
            .bind(s.created_at.0)
            .bind(s.expires_at.0)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn session_operator(&self, token_hash: &[u8], now: Timestamp) -> StoreResult<Operator> {
        let row = sqlx::query(sql::SELECT_SESSION_OPERATOR)
            .bind(token_hash)
            .bind(now.0)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        records::operator(&R(&row))
    }

    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query(sql::DELETE_SESSION).bind(token_hash).execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }
}

#[async_trait]
impl ChannelStore for PgStore {
    async fn list_channels(&self, workspace: WorkspaceId) -> StoreResult<Vec<Channel>> {
        let rows = sqlx::query(sql::SELECT_CHANNELS).bind(workspace.0).fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(|r| records::channel(&R(r))).collect()
    }

    async fn default_channel(&self, workspace: WorkspaceId) -> StoreResult<Channel> {
        let row =
            sqlx::query(sql::SELECT_DEFAULT_CHANNEL).bind(workspace.0).fetch_one(&self.pool).await.map_err(map_err)?;
        records::channel(&R(&row))
    }

    async fn add_channel_member(
        &self,
        workspace: WorkspaceId,
        channel: ChannelId,
        operator: OperatorId,
    ) -> StoreResult<()> {
        let done = sqlx::query(sql::INSERT_CHANNEL_MEMBER)
            .bind(channel.0)
            .bind(operator.0)
            .bind(workspace.0)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            // Either already a member (fine) or one of them is not in this workspace.
            let members = self.channel_members(workspace, channel).await?;
            if !members.contains(&operator) {
                return Err(StoreError::NotFound);
            }
        }
        Ok(())
    }

    async fn channel_members(&self, workspace: WorkspaceId, channel: ChannelId) -> StoreResult<Vec<OperatorId>> {
        let ids: Vec<uuid::Uuid> = sqlx::query_scalar(sql::SELECT_CHANNEL_MEMBERS)
            .bind(workspace.0)
            .bind(channel.0)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(ids.into_iter().map(OperatorId).collect())
    }

    async fn create_site(&self, site: &Site) -> StoreResult<()> {
        sqlx::query(sql::INSERT_SITE)
            .bind(site.id.0)
            .bind(site.workspace_id.0)
            .bind(&site.name)
            .bind(site.key.as_str())
            .bind(join_origins(site))
            .bind(site.channel_id.0)
            .bind(now_ms())
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn site_by_key(&self, key: &SiteKey) -> StoreResult<Site> {
        let row =
            sqlx::query(sql::SELECT_SITE_BY_KEY).bind(key.as_str()).fetch_one(&self.pool).await.map_err(map_err)?;
        records::site(&R(&row))
    }

    async fn list_sites(&self, workspace: WorkspaceId) -> StoreResult<Vec<Site>> {
        let rows = sqlx::query(sql::SELECT_SITES).bind(workspace.0).fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(|r| records::site(&R(r))).collect()
    }
}

#[async_trait]
impl VisitorStore for PgStore {
    async fn create_visitor(&self, v: &NewVisitor) -> StoreResult<Visitor> {
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let number: i64 = sqlx::query_scalar(sql::NEXT_VISITOR_NUMBER)
            .bind(v.workspace_id.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let row = sqlx::query(sql::INSERT_VISITOR)
            .bind(v.id.0)
            .bind(v.workspace_id.0)
            .bind(v.site_id.0)
            .bind(number)
            .bind(&v.token_hash)
            .bind(v.created_at.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let visitor = records::visitor(&R(&row))?;
        tx.commit().await.map_err(map_err)?;
        Ok(visitor)
    }

    async fn visitor(&self, workspace: WorkspaceId, id: VisitorId) -> StoreResult<Visitor> {
        let row = sqlx::query(sql::SELECT_VISITOR)
            .bind(workspace.0)
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        records::visitor(&R(&row))
    }

    async fn visitor_by_token(&self, token_hash: &[u8]) -> StoreResult<Visitor> {
        let row =
            sqlx::query(sql::SELECT_VISITOR_BY_TOKEN).bind(token_hash).fetch_one(&self.pool).await.map_err(map_err)?;
        records::visitor(&R(&row))
    }

    async fn set_visitor_name(
        &self,
        workspace: WorkspaceId,
        id: VisitorId,
        name: &VisitorName,
    ) -> StoreResult<Visitor> {
        let row = sqlx::query(sql::UPDATE_VISITOR_NAME)
            .bind(workspace.0)
            .bind(id.0)
            .bind(name.as_str())
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        records::visitor(&R(&row))
    }
}

#[async_trait]
impl DialogStore for PgStore {
    async fn post_message(&self, post: PostMessage) -> StoreResult<Posted> {
        post::post(&self.pool, &post).await
    }

    async fn dialog(&self, workspace: WorkspaceId, id: DialogId) -> StoreResult<Dialog> {
        let row = sqlx::query(sql::SELECT_DIALOG)
            .bind(workspace.0)
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        records::dialog(&R(&row))
    }

    async fn list_dialogs(
        &self,
        workspace: WorkspaceId,
        status: Option<DialogStatus>,
        page: DialogPage,
    ) -> StoreResult<Vec<Dialog>> {
        let status = status.map(DialogStatus::as_str).unwrap_or("");
        let rows = match page.after {
            None => {
                sqlx::query(sql::SELECT_DIALOGS_FIRST)
                    .bind(workspace.0)
                    .bind(status)
                    .bind(i64::from(page.limit))
                    .fetch_all(&self.pool)
                    .await
            }
            Some((at, id)) => {
                sqlx::query(sql::SELECT_DIALOGS_AFTER)
                    .bind(workspace.0)
                    .bind(status)
                    .bind(i64::from(page.limit))
                    .bind(at.0)
                    .bind(id.0)
                    .fetch_all(&self.pool)
                    .await
            }
        }
        .map_err(map_err)?;
        rows.iter().map(|r| records::dialog(&R(r))).collect()
    }

    async fn latest_dialog_of_visitor(
        &self,
        workspace: WorkspaceId,
        visitor: VisitorId,
    ) -> StoreResult<Option<Dialog>> {
        let row = sqlx::query(sql::SELECT_LATEST_DIALOG_OF_VISITOR)
            .bind(workspace.0)
            .bind(visitor.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(|r| records::dialog(&R(r))).transpose()
    }

    async fn messages(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<Message>> {
        let rows = sqlx::query(sql::SELECT_MESSAGES)
            .bind(workspace.0)
            .bind(dialog.0)
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| records::message(&R(r))).collect()
    }

    async fn mark_read(&self, workspace: WorkspaceId, dialog: DialogId, seq: i64) -> StoreResult<Dialog> {
        let row = sqlx::query(sql::MARK_READ)
            .bind(workspace.0)
            .bind(dialog.0)
            .bind(seq)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        match row {
            Some(row) => records::dialog(&R(&row)),
            None => self.dialog(workspace, dialog).await,
        }
    }

    async fn close_dialog(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        now: Timestamp,
    ) -> StoreResult<(Dialog, bool)> {
        let row = sqlx::query(sql::CLOSE_DIALOG)
            .bind(workspace.0)
            .bind(dialog.0)
            .bind(now.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        match row {
            Some(row) => Ok((records::dialog(&R(&row))?, true)),
            None => Ok((self.dialog(workspace, dialog).await?, false)),
        }
    }
}

#[async_trait]
impl Store for PgStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn applied_migrations(&self) -> StoreResult<Vec<(i64, String)>> {
        sqlx::query_as(sql::SELECT_MIGRATIONS).fetch_all(&self.pool).await.map_err(map_err)
    }

    async fn close(&self) {
        self.pool.close().await;
        if let Some((url, schema)) = &self.temporary
            && let Err(e) = Self::drop_schema(url, schema).await
        {
            tracing::warn!(error = %e, "could not drop a temporary schema");
        }
    }
}
