//! The SQLite store: Frontline's default backend, one file in the data folder.
//!
//! What stays true:
//! - WAL journal, `synchronous = FULL`, foreign keys on, a busy timeout. A committed
//!   transaction is fsynced, so a message acknowledged to its sender survives power loss.
//! - One writer connection. Messages and tracked events are written by a group-commit task:
//!   it takes every post and call waiting in its queue (up to [`MAX_BATCH`]) and commits them
//!   in one transaction, one fsync for the lot (see `post.rs`). Throughput comes from batching, never
//!   from weaker durability. Other writes use the same connection between batches.
//! - Reads use a separate pool, which WAL lets run beside the writer.
//! - Checkpoints: a background task does the copying four times a second; the writer's
//!   automatic checkpoint (4,000 pages) only finishes the job, so that the WAL restarts and
//!   stays small (up to about 16 MiB).

mod batch;
mod latest;
#[cfg(test)]
mod paths_agree;
mod post;
mod row;
mod search;

use async_trait::async_trait;
use frontline_store::sql;
use frontline_store::*;
use row::map_err;
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
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "accounts_and_dialogs",
        sql: include_str!("../migrations/0001_accounts_and_dialogs.sql"),
    },
    Migration {
        version: 2,
        name: "queues_and_assignment",
        sql: include_str!("../migrations/0002_queues_and_assignment.sql"),
    },
    Migration {
        version: 3,
        name: "conversation_tools",
        sql: include_str!("../migrations/0003_conversation_tools.sql"),
    },
    Migration { version: 4, name: "automation", sql: include_str!("../migrations/0004_automation.sql") },
    Migration {
        version: 5,
        name: "operator_lifecycle",
        sql: include_str!("../migrations/0005_operator_lifecycle.sql"),
    },
    Migration { version: 6, name: "first_day", sql: include_str!("../migrations/0006_first_day.sql") },
    Migration { version: 7, name: "event_log", sql: include_str!("../migrations/0007_event_log.sql") },
    Migration { version: 8, name: "contacts", sql: include_str!("../migrations/0008_contacts.sql") },
    Migration { version: 9, name: "telegram", sql: include_str!("../migrations/0009_telegram.sql") },
    Migration { version: 10, name: "message_edits", sql: include_str!("../migrations/0010_message_edits.sql") },
    Migration { version: 11, name: "mail", sql: include_str!("../migrations/0011_mail.sql") },
    Migration { version: 12, name: "mail_continuity", sql: include_str!("../migrations/0012_mail_continuity.sql") },
    Migration { version: 13, name: "operator_notices", sql: include_str!("../migrations/0013_operator_notices.sql") },
    Migration { version: 14, name: "escalation", sql: include_str!("../migrations/0014_escalation.sql") },
    Migration { version: 15, name: "mail_reader", sql: include_str!("../migrations/0015_mail_reader.sql") },
    Migration { version: 16, name: "supervision", sql: include_str!("../migrations/0016_supervision.sql") },
    Migration { version: 17, name: "web_api", sql: include_str!("../migrations/0017_web_api.sql") },
    Migration { version: 18, name: "moderation", sql: include_str!("../migrations/0018_moderation.sql") },
    Migration { version: 19, name: "workspaces", sql: include_str!("../migrations/0019_workspaces.sql") },
    Migration { version: 20, name: "segments", sql: include_str!("../migrations/0020_segments.sql") },
    Migration { version: 21, name: "custom_fields", sql: include_str!("../migrations/0021_custom_fields.sql") },
    Migration { version: 22, name: "invitations", sql: include_str!("../migrations/0022_invitations.sql") },
    Migration {
        version: 23,
        name: "visitor_attributes",
        sql: include_str!("../migrations/0023_visitor_attributes.sql"),
    },
    Migration { version: 24, name: "segment_keys", sql: include_str!("../migrations/0024_segment_keys.sql") },
    Migration { version: 25, name: "recent_messages", sql: include_str!("../migrations/0025_recent_messages.sql") },
    Migration { version: 26, name: "queue_list", sql: include_str!("../migrations/0026_queue_list.sql") },
    Migration {
        version: 27,
        name: "search_by_workspace",
        sql: include_str!("../migrations/0027_search_by_workspace.sql"),
    },
];

/// What the group-commit writer commits: posted messages, and tracked events (a busy site
/// sends them one call at a time, and a commit each held them to 1,300 a second). Posts are
/// nearly every job, so they stay unboxed: a box would be one more allocation a message.
#[allow(clippy::large_enum_variant)]
enum Job {
    Post(PostMessage, oneshot::Sender<StoreResult<Posted>>),
    Track(Vec<leads::TrackedEvent>, oneshot::Sender<StoreResult<Vec<bool>>>),
}

/// The SQLite implementation of [`Store`].
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    checkpointer: Mutex<Option<JoinHandle<()>>>,
    /// Reads of visitors' latest dialogs, several to a statement (`latest`).
    latest: mpsc::Sender<latest::Ask>,
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
        // Checkpoints: a background task copies the WAL into the database every
        // `CHECKPOINT_EVERY` from a reader connection, concurrently with writes. Should that fall
        // behind (under steady writing a pass may not complete: new commits land while it
        // copies), the writer keeps its own automatic checkpoint too, which then has only the
        // last few pages to copy and completes, and the next transaction restarts the WAL. At
        // full speed that is the usual way the WAL restarts, and each such checkpoint is an
        // fsync of the database file inside a commit: at 4,000 pages rather than SQLite's 1,000
        // it comes a quarter as often, for a WAL of up to about 16 MiB (docs/bench.md, "The
        // writer's checkpoint, four times rarer"). The file is cut back to 64 MiB.
        let write_options =
            options.clone().pragma("journal_size_limit", "67108864").pragma("wal_autocheckpoint", "4000");
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
        // It stops when the store is dropped (its sender with it).
        let (latest, asks) = mpsc::channel(latest::MAX_READS * 4);
        tokio::spawn(latest::serve(read.clone(), asks));
        Ok(Self {
            read,
            write,
            jobs: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            checkpointer: Mutex::new(checkpointer),
            latest,
        })
    }

    fn reader(&self) -> &SqlitePool {
        &self.read
    }

    fn writer(&self) -> &SqlitePool {
        &self.write
    }

    /// Hands the post to the group-commit writer and waits for its commit. A post that opens a
    /// dialog of its own kind (a proactive answer, an offline request: rare) is written alone.
    /// A visitor's latest dialog, answered with the other reads waiting at the same moment
    /// (`latest`).
    async fn read_latest_dialog(
        &self,
        workspace: frontline_domain::WorkspaceId,
        visitor: frontline_domain::VisitorId,
    ) -> StoreResult<Option<frontline_domain::Dialog>> {
        let (tx, rx) = oneshot::channel();
        if self.latest.send((workspace, visitor, tx)).await.is_err() {
            return latest::read_one(&self.read, workspace, visitor).await;
        }
        rx.await.map_err(|_| StoreError::Unavailable("the reads of latest dialogs stopped".into()))?
    }

    async fn write_post(&self, post: PostMessage) -> StoreResult<Posted> {
        if post.opening.is_some() {
            let mut conn = self.write.acquire().await.map_err(map_err)?;
            return post::alone(&mut conn, &post).await;
        }
        let (tx, rx) = oneshot::channel();
        self.send(Job::Post(post, tx)).await?;
        rx.await.map_err(|_| StoreError::Unavailable("message writer stopped".into()))?
    }

    /// Hands tracked events to the group-commit writer and waits for their commit.
    async fn write_tracked(&self, events: &[leads::TrackedEvent]) -> StoreResult<Vec<bool>> {
        let (tx, rx) = oneshot::channel();
        self.send(Job::Track(events.to_vec(), tx)).await?;
        rx.await.map_err(|_| StoreError::Unavailable("message writer stopped".into()))?
    }

    async fn send(&self, job: Job) -> StoreResult<()> {
        let queue = self
            .jobs
            .lock()
            .map_err(|_| StoreError::Internal("writer queue lock poisoned".into()))?
            .clone()
            .ok_or_else(|| StoreError::Unavailable("store is closing".into()))?;
        queue.send(job).await.map_err(|_| StoreError::Unavailable("message writer stopped".into()))
    }

    /// Makes an online copy of the database into `path` (`VACUUM INTO`), safe while serving.
    pub async fn backup_to(&self, path: &str) -> StoreResult<()> {
        sqlx::query("VACUUM INTO $1").bind(path).execute(&self.write).await.map_err(map_err)?;
        Ok(())
    }
}

/// How often the background checkpoint runs. At full speed the message path appends about
/// 1,300 pages a second to the WAL: passes a second apart let it cross the writer's automatic
/// checkpoint (then 1,000 pages) between them, and that checkpoint ran inside a commit (copying
/// up to a thousand pages and an fsync of the database file in the writer's path: every third
/// commit 6–10 ms instead of 2). A quarter of a second keeps each pass small and the writer out
/// of it (docs/bench.md, "The writer's checkpoints").
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Copies the WAL into the database file every [`CHECKPOINT_EVERY`], from a reader
/// connection, without blocking the writer (`PASSIVE`), so the writer's own automatic
/// checkpoints stay rare and short.
async fn checkpoint_loop(pool: SqlitePool) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            tracing::warn!(error = %e, "store.sqlite: checkpoint failed");
        }
    }
}

/// Migrations that edit a declaration in `sqlite_schema` in place (see 0008).
const EDITS_SCHEMA_TEXT: &[i64] = &[8];

async fn migrate(pool: &SqlitePool) -> StoreResult<()> {
    sqlx::query(sql::CREATE_MIGRATIONS_TABLE).execute(pool).await.map_err(map_err)?;
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM frontline_migrations").fetch_all(pool).await.map_err(map_err)?;
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let mut tx = pool.begin().await.map_err(map_err)?;
        let cookie: i64 = sqlx::query_scalar("PRAGMA schema_version").fetch_one(&mut *tx).await.map_err(map_err)?;
        sqlx::raw_sql(m.sql).execute(&mut *tx).await.map_err(map_err)?;
        if EDITS_SCHEMA_TEXT.contains(&m.version) {
            // An edit of `sqlite_schema` itself does not move the cookie, and without a new one
            // no connection (this one included) reads the edited declarations.
            // An integer the database gave: nothing outside reaches this text.
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PRAGMA schema_version = {}", cookie + 1)))
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        sqlx::query(sql::INSERT_MIGRATION)
            .bind(m.version)
            .bind(m.name)
            .bind(frontline_store::records::now_ms())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        tracing::info!(migration.version = m.version, migration.name = m.name, "applied migration");
    }
    Ok(())
}

frontline_store::sql_store_impls!(SqliteStore, row = crate::row);
frontline_store::sql_conversation_impls!(SqliteStore, row = crate::row);
frontline_store::sql_automation_impls!(SqliteStore, row = crate::row, lock = "");
frontline_store::sql_event_impls!(SqliteStore, row = crate::row, lock = "");
frontline_store::sql_telegram_impls!(SqliteStore, row = crate::row);
frontline_store::sql_mail_impls!(SqliteStore, row = crate::row);
frontline_store::sql_form_impls!(SqliteStore, row = crate::row);
frontline_store::sql_supervision_impls!(SqliteStore, row = crate::row, dialect = Sqlite);
frontline_store::sql_leads_impls!(SqliteStore, row = crate::row);
frontline_store::sql_moderation_impls!(SqliteStore, row = crate::row);
frontline_store::sql_tenancy_impls!(SqliteStore, row = crate::row);
frontline_store::sql_segment_impls!(SqliteStore, row = crate::row, dialect = Sqlite);
frontline_store::sql_field_impls!(SqliteStore, row = crate::row);
frontline_store::sql_invitation_impls!(SqliteStore, row = crate::row);

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
        if let Ok(mut q) = self.jobs.lock() {
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

/// The plans of the queries every message runs: an index added for another read must not
/// become their path (an index on `(workspace_id, created_at)` once made the visitor's latest
/// dialog walk the whole workspace on every message: 24 % fewer messages a second).
#[cfg(test)]
mod plans {
    use super::SqliteStore;

    async fn plan(store: &SqliteStore, sql: &str, binds: usize) -> String {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")));
        for _ in 0..binds {
            q = q.bind(uuid::Uuid::nil());
        }
        let rows = q.fetch_all(&store.read).await.expect("plan");
        rows.iter().map(|r| sqlx::Row::get::<String, _>(r, 3)).collect::<Vec<_>>().join(" | ")
    }

    #[tokio::test]
    async fn the_message_paths_reads_take_their_own_indexes() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("memory");
        let latest = plan(&store, frontline_store::sql::SELECT_LATEST_DIALOG_OF_VISITOR, 2).await;
        assert!(latest.contains("dialogs_by_visitor"), "the visitor's latest dialog: {latest}");
        let visitor = plan(&store, frontline_store::sql::SELECT_VISITOR, 2).await;
        assert!(visitor.contains("(id=?)"), "a visitor by id: {visitor}");
        let dialog = plan(&store, frontline_store::sql::SELECT_DIALOG, 2).await;
        assert!(dialog.contains("(id=?)"), "a dialog by id: {dialog}");
        frontline_store::Store::close(&store).await;
    }
}
