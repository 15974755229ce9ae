//! The large-history phase on PostgreSQL (`--history N --on-postgres`): the same dialogs,
//! messages and tags as `history.rs` seeds into SQLite, written into a database of their own
//! on the server `--database` names (kept, and reused by the next run with the same size), then
//! the same reads over HTTP against a server on that database.

use crate::history::{DIALOG_TAGS_SQL, FIRST, LAST, PHRASES, dialogs_sql, messages_sql};
use anyhow::{Context, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};
use std::str::FromStr;
use std::time::Instant;

/// The database's name for `dialogs` dialogs, and its URL on the server of `admin_url`.
pub fn database(admin_url: &str, dialogs: i64) -> Result<(String, String)> {
    let name = format!("frontline_bench_history_{dialogs}");
    let (base, _) = admin_url.rsplit_once('/').context("--database needs a path: postgres://host/db")?;
    Ok((name.clone(), format!("{base}/{name}")))
}

/// Whether the database is there with its dialogs seeded; makes it (empty) when it is not
/// there at all.
pub async fn prepare(admin_url: &str, name: &str, url: &str, dialogs: i64) -> Result<bool> {
    let admin = PgPool::connect(admin_url).await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(name)
        .fetch_one(&admin)
        .await?;
    if exists {
        let pool = PgPool::connect(url).await?;
        let seeded: Option<i64> =
            sqlx::query_scalar("SELECT COUNT(*) FROM dialogs WHERE number >= 100").fetch_one(&pool).await.ok();
        pool.close().await;
        if seeded == Some(dialogs) {
            admin.close().await;
            return Ok(true);
        }
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}"))).execute(&admin).await?;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await?;
    admin.close().await;
    Ok(false)
}

/// Seeds as `history::seed` does (without the event log), in chunks of 50,000 dialogs.
pub async fn seed(url: &str, dialogs: i64) -> Result<()> {
    let opts = PgConnectOptions::from_str(url)?.options([("synchronous_commit", "off")]);
    // One connection: the temporary tables below are its own.
    let pool = PgPoolOptions::new().max_connections(1).connect_with(opts).await?;
    let ws: uuid::Uuid = sqlx::query_scalar("SELECT id FROM workspaces WHERE slug = 'demo'").fetch_one(&pool).await?;
    let site: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM sites WHERE workspace_id = $1").bind(ws).fetch_one(&pool).await?;
    let channel: uuid::Uuid = sqlx::query_scalar("SELECT id FROM channels WHERE workspace_id = $1 AND is_default")
        .bind(ws)
        .fetch_one(&pool)
        .await?;
    let admin: uuid::Uuid = sqlx::query_scalar("SELECT id FROM operators WHERE workspace_id = $1 AND role = 'admin'")
        .bind(ws)
        .fetch_one(&pool)
        .await?;
    let (t0, spacing) = (1_770_000_000_000_i64, 1000_i64);
    for table in ["first_names", "last_names", "phrases"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE TEMP TABLE {table} (k BIGINT PRIMARY KEY, v TEXT)")))
            .execute(&pool)
            .await?;
    }
    sqlx::query("CREATE TEMP TABLE seqs (s BIGINT PRIMARY KEY)").execute(&pool).await?;
    for (table, items) in [("first_names", FIRST), ("last_names", LAST), ("phrases", PHRASES)] {
        for (k, v) in items.iter().enumerate() {
            sqlx::query(sqlx::AssertSqlSafe(format!("INSERT INTO {table} (k, v) VALUES ($1, $2)")))
                .bind(k as i64)
                .bind(*v)
                .execute(&pool)
                .await?;
        }
    }
    sqlx::query("INSERT INTO seqs (s) SELECT generate_series(1, 10)").execute(&pool).await?;
    for (i, name) in ["оплата", "доставка", "замер", "рекламация", "vip"].iter().enumerate()
    {
        sqlx::query("INSERT INTO tags (id, workspace_id, name, archived, created_at) VALUES ($1, $2, $3, FALSE, $4)")
            .bind(uuid::Uuid::now_v7())
            .bind(ws)
            .bind(*name)
            .bind(t0 + i as i64)
            .execute(&pool)
            .await?;
    }
    let (nf, nl, np) = (FIRST.len() as i64, LAST.len() as i64, PHRASES.len() as i64);
    let chunk = 50_000_i64;
    let started = Instant::now();
    let mut from = 1_i64;
    while from <= dialogs {
        let to = (from + chunk - 1).min(dialogs);
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO visitors (id, workspace_id, site_id, number, name, token_hash, created_at, properties, email, \
             phone, phone_digits, page_url, last_seen_at) \
             SELECT gen_random_uuid(), $3, $4, 1000000 + i, f.v || ' ' || l.v, \
             decode(md5(i::text) || md5(random()::text), 'hex'), $5 + i * $8, \
             '{\"city\":\"Москва\"}', 'client' || i || '@example.com', '+7 916 ' || (1000000 + i), \
             '7916' || (1000000 + i), 'https://shop.example.com/catalog/' || (i % 500), $5 + i * $8 \
             FROM generate_series($1::BIGINT, $2::BIGINT) AS i JOIN first_names f ON f.k = i % $6 \
             JOIN last_names l ON l.k = (i / $6) % $7",
        )
        .bind(from)
        .bind(to)
        .bind(ws)
        .bind(site)
        .bind(t0)
        .bind(nf)
        .bind(nl)
        .bind(spacing)
        .execute(&mut *tx)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(dialogs_sql("gen_random_uuid()")))
            .bind(ws)
            .bind(channel)
            .bind(admin)
            .bind(from)
            .bind(to)
            .execute(&mut *tx)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(messages_sql("gen_random_uuid()")))
            .bind(ws)
            .bind(admin)
            .bind(np)
            .bind(from)
            .bind(to)
            .execute(&mut *tx)
            .await?;
        sqlx::query(DIALOG_TAGS_SQL).bind(ws).bind(from).bind(to).execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE dialogs SET tags = (SELECT json_agg(tag_id::text)::text FROM dialog_tags \
             WHERE dialog_id = dialogs.id) \
             WHERE workspace_id = $1 AND number % 5 = 0 AND number BETWEEN $2 + 100 AND $3 + 100",
        )
        .bind(ws)
        .bind(from)
        .bind(to)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if to % 200_000 == 0 || to == dialogs {
            println!("  seeded {to} dialogs, {} messages ({:.0} s)", to * 10, started.elapsed().as_secs_f64());
        }
        from = to + 1;
    }
    sqlx::query(
        "UPDATE workspaces SET next_dialog_number = (SELECT MAX(number) FROM dialogs WHERE workspace_id = $1), \
         next_visitor_number = (SELECT MAX(number) FROM visitors WHERE workspace_id = $1) WHERE id = $1",
    )
    .bind(ws)
    .execute(&pool)
    .await?;
    sqlx::query("VACUUM ANALYZE").execute(&pool).await?;
    pool.close().await;
    Ok(())
}

/// The same sample of dialogs as `history::sample_dialogs` takes.
pub async fn sample_dialogs(url: &str, n: i64) -> Result<Vec<String>> {
    let pool = PgPool::connect(url).await?;
    let max: i64 = sqlx::query_scalar("SELECT MAX(number) FROM dialogs").fetch_one(&pool).await?;
    let mut out = Vec::new();
    for i in 0..n {
        let number = 100 + (i * 7919) % (max - 100).max(1);
        let row = sqlx::query(
            "SELECT id FROM dialogs WHERE workspace_id = (SELECT id FROM workspaces WHERE slug = 'demo') AND number = $1",
        )
        .bind(number)
        .fetch_optional(&pool)
        .await?;
        if let Some(row) = row {
            let id: uuid::Uuid = row.try_get("id")?;
            out.push(id.to_string());
        }
    }
    pool.close().await;
    Ok(out)
}

/// The size of the seeded database, for the report.
pub async fn size_mib(url: &str) -> Result<f64> {
    let pool = PgPool::connect(url).await?;
    let bytes: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())").fetch_one(&pool).await?;
    pool.close().await;
    Ok(bytes as f64 / 1048576.0)
}
