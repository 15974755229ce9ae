//! The SQLite store: Frontline's default backend, one file in the data folder.
//!
//! What stays true:
//! - WAL journal, `synchronous = FULL`, foreign keys on, a busy timeout. A committed
//!   transaction is fsynced, so a message acknowledged to its sender survives power loss.
//! - One writer connection. Messages are written by a group-commit task: it takes every post
//!   waiting in its queue (up to [`MAX_BATCH`]) and commits them in one transaction, one
//!   fsync for the lot (see `post.rs`). Throughput comes from batching, never
//!   from weaker durability. Other writes use the same connection between batches.
//! - Reads use a separate pool, which WAL lets run beside the writer.
//! - Checkpoints: a background task does the bulk of the copying every second; the writer's
//!   automatic checkpoint finishes the job, so the WAL restarts and stays small.

mod batch;
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
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// The most posts committed in one transaction.
pub const MAX_BATCH: usize = 512;
const _: () = assert!(MAX_BATCH <= batch::MAX_POSTS, "a batch must fit SQLite's bound-parameter limit");

/// This backend's migrations; versions and names match the PostgreSQL ones.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "accounts_and_dialogs",
    sql: include_str!("../migrations/0001_accounts_and_dialogs.sql"),
}];

type PostJob = (PostMessage, oneshot::Sender<StoreResult<Posted>>);

/// The SQLite implementation of [`Store`].
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    posts: Mutex<Option<mpsc::Sender<PostJob>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    checkpointer: Mutex<Option<JoinHandle<()>>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite://path/to/file.db` or
    /// `sqlite::memory:`) and applies pending migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("bad SQLite URL: {e}")))?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .synchronous(SqliteSynchronous::Full)
            .pragma("temp_store", "memory");
        let options = if memory { options } else { options.journal_mode(SqliteJournalMode::Wal) };
        // Checkpoints: a background task copies the WAL into the database every second from a
        // reader connection, concurrently with writes; that alone never lets the WAL start
        // over under steady writing (new commits land while it copies), so the writer keeps
        // its own automatic checkpoint too, which then has only the last few pages to copy and
        // completes, and the next transaction restarts the WAL. The file is cut back to 64 MiB.
        let write_options = options.clone().pragma("journal_size_limit", "67108864");
        // An in-memory database exists per connection, so it gets exactly one for everything.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(write_options)
            .await
            .map_err(map_err)?;
        migrate(&write).await?;
        let read = if memory {
            write.clone()
        } else {
            SqlitePoolOptions::new()
                .max_connections(4)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await
                .map_err(map_err)?
        };
        let (tx, rx) = mpsc::channel(MAX_BATCH * 4);
        let writer = tokio::spawn(post::group_commit(write.clone(), rx));
        let checkpointer = (!memory).then(|| tokio::spawn(checkpoint_loop(read.clone())));
        Ok(Self {
            read,
            write,
            posts: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            checkpointer: Mutex::new(checkpointer),
        })
    }

    fn post_queue(&self) -> StoreResult<mpsc::Sender<PostJob>> {
        self.posts
            .lock()
            .map_err(|_| StoreError::Internal("post queue lock poisoned".into()))?
            .clone()
            .ok_or_else(|| StoreError::Unavailable("store is closing".into()))
    }

    /// Makes an online copy of the database into `path` (`VACUUM INTO`), safe while serving.
    pub async fn backup_to(&self, path: &str) -> StoreResult<()> {
        sqlx::query("VACUUM INTO $1").bind(path).execute(&self.write).await.map_err(map_err)?;
        Ok(())
    }
}

/// Copies the WAL into the database file every second, from a reader connection, without
/// blocking the writer (`PASSIVE`), so the writer's own automatic checkpoints stay short.
async fn checkpoint_loop(pool: SqlitePool) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            tracing::warn!(error = %e, "store.sqlite: checkpoint failed");
        }
    }
}

async fn migrate(pool: &SqlitePool) -> StoreResult<()> {
    sqlx::query(sql::CREATE_MIGRATIONS_TABLE).execute(pool).await.map_err(map_err)?;
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM frontline_migrations").fetch_all(pool).await.map_err(map_err)?;
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let mut tx = pool.begin().await.map_err(map_err)?;
        sqlx::raw_sql(m.sql).execute(&mut *tx).await.map_err(map_err)?;
        sqlx::query(sql::INSERT_MIGRATION)
            .bind(m.version)
            .bind(m.name)
            .bind(now_ms())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        tracing::info!(migration.version = m.version, migration.name = m.name, "applied migration");
    }
    Ok(())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_workspace(&self, ws: &Workspace, default_channel: &Channel) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(map_err)?;
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
        let row = sqlx::query(sql::SELECT_WORKSPACE).bind(id.0).fetch_one(&self.read).await.map_err(map_err)?;
        records::workspace(&R(&row))
    }

    async fn workspace_by_slug(&self, slug: &WorkspaceSlug) -> StoreResult<Workspace> {
        let row = sqlx::query(sql::SELECT_WORKSPACE_BY_SLUG)
            .bind(slug.as_str())
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        records::workspace(&R(&row))
    }

    async fn list_workspaces(&self) -> StoreResult<Vec<Workspace>> {
        let rows = sqlx::query(sql::SELECT_WORKSPACES).fetch_all(&self.read).await.map_err(map_err)?;
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
            .execute(&self.write)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn operator(&self, workspace: WorkspaceId, id: OperatorId) -> StoreResult<Operator> {
        let row = sqlx::query(sql::SELECT_OPERATOR)
            .bind(workspace.0)
            .bind(id.0)
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        records::operator(&R(&row))
    }

    async fn operators_by_email(&self, email: &Email) -> StoreResult<Vec<Operator>> {
        let rows = sqlx::query(sql::SELECT_OPERATORS_BY_EMAIL)
            .bind(email.as_str())
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| records::operator(&R(r))).collect()
    }

    async fn list_operators(&self, workspace: WorkspaceId) -> StoreResult<Vec<Operator>> {
        let rows = sqlx::query(sql::SELECT_OPERATORS).bind(workspace.0).fetch_all(&self.read).await.map_err(map_err)?;
        rows.iter().map(|r| records::operator(&R(r))).collect()
    }

    async fn create_session(&self, s: &NewSession) -> StoreResult<()> {
        sqlx::query(sql::INSERT_SESSION)
            .bind(&s.token_hash)
            .bind(s.workspace_id.0)
            .bind(s.operator_id.0)
            .bind(s.created_at.0)
            .bind(s.expires_at.0)
            .execute(&self.write)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn session_operator(&self, token_hash: &[u8], now: Timestamp) -> StoreResult<Operator> {
        let row = sqlx::query(sql::SELECT_SESSION_OPERATOR)
            .bind(token_hash)
            .bind(now.0)
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        records::operator(&R(&row))
    }

    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        sqlx::query(sql::DELETE_SESSION).bind(token_hash).execute(&self.write).await.map_err(map_err)?;
        Ok(())
    }
}

#[async_trait]
impl ChannelStore for SqliteStore {
    async fn list_channels(&self, workspace: WorkspaceId) -> StoreResult<Vec<Channel>> {
        let rows = sqlx::query(sql::SELECT_CHANNELS).bind(workspace.0).fetch_all(&self.read).await.map_err(map_err)?;
        rows.iter().map(|r| records::channel(&R(r))).collect()
    }

    async fn default_channel(&self, workspace: WorkspaceId) -> StoreResult<Channel> {
        let row =
            sqlx::query(sql::SELECT_DEFAULT_CHANNEL).bind(workspace.0).fetch_one(&self.read).await.map_err(map_err)?;
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
            .execute(&self.write)
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
            .fetch_all(&self.read)
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
            .execute(&self.write)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn site_by_key(&self, key: &SiteKey) -> StoreResult<Site> {
        let row =
            sqlx::query(sql::SELECT_SITE_BY_KEY).bind(key.as_str()).fetch_one(&self.read).await.map_err(map_err)?;
        records::site(&R(&row))
    }

    async fn list_sites(&self, workspace: WorkspaceId) -> StoreResult<Vec<Site>> {
        let rows = sqlx::query(sql::SELECT_SITES).bind(workspace.0).fetch_all(&self.read).await.map_err(map_err)?;
        rows.iter().map(|r| records::site(&R(r))).collect()
    }
}

#[async_trait]
impl VisitorStore for SqliteStore {
    async fn create_visitor(&self, v: &NewVisitor) -> StoreResult<Visitor> {
        let mut tx = self.write.begin().await.map_err(map_err)?;
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
            .fetch_one(&self.read)
            .await
            .map_err(map_err)?;
        records::visitor(&R(&row))
    }

    async fn visitor_by_token(&self, token_hash: &[u8]) -> StoreResult<Visitor> {
        let row =
            sqlx::query(sql::SELECT_VISITOR_BY_TOKEN).bind(token_hash).fetch_one(&self.read).await.map_err(map_err)?;
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
            .fetch_one(&self.write)
            .await
            .map_err(map_err)?;
        records::visitor(&R(&row))
    }
}

#[async_trait]
impl DialogStore for SqliteStore {
    async fn post_message(&self, post: PostMessage) -> StoreResult<Posted> {
        let (tx, rx) = oneshot::channel();
        self.post_queue()?
            .send((post, tx))
            .await
            .map_err(|_| StoreError::Unavailable("message writer stopped".into()))?;
        rx.await.map_err(|_| StoreError::Unavailable("message writer stopped".into()))?
    }

    async fn dialog(&self, workspace: WorkspaceId, id: DialogId) -> StoreResult<Dialog> {
        let row = sqlx::query(sql::SELECT_DIALOG)
            .bind(workspace.0)
            .bind(id.0)
            .fetch_one(&self.read)
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
                    .fetch_all(&self.read)
                    .await
            }
            Some((at, id)) => {
                sqlx::query(sql::SELECT_DIALOGS_AFTER)
                    .bind(workspace.0)
                    .bind(status)
                    .bind(i64::from(page.limit))
                    .bind(at.0)
                    .bind(id.0)
                    .fetch_all(&self.read)
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
            .fetch_optional(&self.read)
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
            .fetch_all(&self.read)
            .await
            .map_err(map_err)?;
        rows.iter().map(|r| records::message(&R(r))).collect()
    }

    async fn mark_read(&self, workspace: WorkspaceId, dialog: DialogId, seq: i64) -> StoreResult<Dialog> {
        let row = sqlx::query(sql::MARK_READ)
            .bind(workspace.0)
            .bind(dialog.0)
            .bind(seq)
            .fetch_optional(&self.write)
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
            .fetch_optional(&self.write)
            .await
            .map_err(map_err)?;
        match row {
            Some(row) => Ok((records::dialog(&R(&row))?, true)),
            None => Ok((self.dialog(workspace, dialog).await?, false)),
        }
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.read).await.map_err(map_err)?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn applied_migrations(&self) -> StoreResult<Vec<(i64, String)>> {
        sqlx::query_as(sql::SELECT_MIGRATIONS).fetch_all(&self.read).await.map_err(map_err)
    }

    async fn close(&self) {
        // Dropping the sender lets the writer drain what is queued and stop.
        if let Ok(mut q) = self.posts.lock() {
            q.take();
        }
        let writer = self.writer.lock().ok().and_then(|mut w| w.take());
        if let Some(writer) = writer
            && let Err(e) = writer.await
        {
            tracing::error!(error = %e, "message writer ended abnormally");
        }
        let checkpointer = self.checkpointer.lock().ok().and_then(|mut c| c.take());
        if let Some(c) = checkpointer {
            c.abort();
            // Leave a small WAL behind: fold everything into the database file.
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.write).await {
                tracing::warn!(error = %e, "store.sqlite: final checkpoint failed");
            }
        }
        self.read.close().await;
        self.write.close().await;
    }
}
