//! The PostgreSQL store, for teams that outgrow one machine: several Frontline nodes share
//! it (with NATS carrying events between them).
//!
//! What stays true: the same schema versions and query texts as SQLite (see
//! `frontline_store::sql`); each call is one transaction; concurrent posts to one dialog
//! serialise on the dialog row (`UPDATE … RETURNING` takes its lock), so `seq` has no gaps;
//! migrations run under an advisory lock, so nodes starting together apply them once.

mod openings;
mod outage;
mod post;
mod row;
mod search;

use async_trait::async_trait;
use frontline_store::sql;
use frontline_store::*;
use row::map_err;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// This backend's migrations; versions and names match the SQLite ones.
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

/// How long a pooled connection may sit idle and still be handed out without a ping.
const PING_AFTER_IDLE: Duration = Duration::from_millis(500);

/// The PostgreSQL implementation of [`Store`].
pub struct PgStore {
    pool: PgPool,
    /// Visitors' posts that may open a dialog, written several to a transaction.
    openings: std::sync::Arc<openings::Lane>,
    /// Whether the message path's statement lately had a fan-out to make (`post::FanHint`).
    fan: post::FanHint,
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
        let mut options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("bad PostgreSQL URL: {e}")))?
            // No JIT compilation: it pays off for long analytical queries, and here it only
            // added about 270 ms to a search whose plan looked costly and ran in 6 ms.
            .options([("jit", "off")]);
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
            // How long a call waits for a connection, and so how long a request hangs while
            // the database is out of reach before it answers 503 `unavailable` (a refused
            // connection is retried until then). With 16 connections and millisecond
            // transactions a healthy pool hands one out at once; waiting longer only holds
            // a client that could already be told to try again.
            .acquire_timeout(Duration::from_secs(3))
            // A connection is checked (a ping) when handed out if it sat idle for a while or
            // the database was out of reach lately: a broken one is replaced instead of
            // failing the first request after the return (`faults::a_cut_database_…`). One
            // in steady use is not: the ping is a round trip of its own, which every call
            // paid under load.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_AFTER_IDLE || outage::lately() {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(options)
            .await
            .map_err(map_err)?;
        migrate(&pool).await?;
        Ok(Self { pool, openings: Default::default(), fan: Default::default(), temporary: None })
    }

    /// A store in a new schema of its own, dropped with everything in it on [`Store::close`].
    pub async fn temporary(url: &str) -> StoreResult<Self> {
        let schema = format!("fl_test_{}", uuid::Uuid::now_v7().simple());
        let mut store = Self::connect_in_schema(url, Some(&schema)).await?;
        store.temporary = Some((url.to_owned(), schema));
        Ok(store)
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    fn writer(&self) -> &PgPool {
        &self.pool
    }

    async fn write_post(&self, post: PostMessage) -> StoreResult<Posted> {
        post::post(&self.pool, &self.openings, &self.fan, post).await
    }

    /// A visitor's latest dialog: one statement on the pool (PostgreSQL's connections serve
    /// concurrent reads in parallel, with no thread of their own to switch to).
    async fn read_latest_dialog(
        &self,
        workspace: frontline_domain::WorkspaceId,
        visitor: frontline_domain::VisitorId,
    ) -> StoreResult<Option<frontline_domain::Dialog>> {
        let row = sqlx::query(frontline_store::sql::SELECT_LATEST_DIALOG_OF_VISITOR)
            .bind(workspace.0)
            .bind(visitor.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(|r| frontline_store::records::dialog(&crate::row::R(r))).transpose()
    }

    /// Tracked events in a transaction of their own (PostgreSQL groups concurrent commits
    /// itself).
    async fn write_tracked(&self, events: &[leads::TrackedEvent]) -> StoreResult<Vec<bool>> {
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let out = post::track_in(&mut tx, events).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(out)
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
            .bind(frontline_store::records::now_ms())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tracing::info!(migration.version = m.version, migration.name = m.name, "applied migration");
    }
    tx.commit().await.map_err(map_err)
}

frontline_store::sql_store_impls!(PgStore, row = crate::row);
frontline_store::sql_conversation_impls!(PgStore, row = crate::row);
frontline_store::sql_automation_impls!(PgStore, row = crate::row, lock = " FOR UPDATE SKIP LOCKED");
frontline_store::sql_event_impls!(PgStore, row = crate::row, lock = " FOR UPDATE SKIP LOCKED");
frontline_store::sql_telegram_impls!(PgStore, row = crate::row);
frontline_store::sql_mail_impls!(PgStore, row = crate::row);
frontline_store::sql_form_impls!(PgStore, row = crate::row);
frontline_store::sql_supervision_impls!(PgStore, row = crate::row, dialect = Postgres);
frontline_store::sql_leads_impls!(PgStore, row = crate::row);
frontline_store::sql_moderation_impls!(PgStore, row = crate::row);
frontline_store::sql_tenancy_impls!(PgStore, row = crate::row);
frontline_store::sql_segment_impls!(PgStore, row = crate::row, dialect = Postgres);
frontline_store::sql_field_impls!(PgStore, row = crate::row);
frontline_store::sql_invitation_impls!(PgStore, row = crate::row);

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
