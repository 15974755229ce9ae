//! The segments phase (`--segments N`): N visitors of the demo workspace seeded into SQLite with
//! attributes, visitor tags and event counters, then segment counts (each with the newest ten
//! visitors, as the console's live count asks) over HTTP, one at a time.
//!
//! The seeded mix: `plan` is pro for 1 in 5, free otherwise; `orders` 0–9; `signed_up_at` over
//! the last 400 days; the tag `vip` on 1 in 10 and `опт` on 1 in 7; `order_paid` done by 3 in 10
//! (1–5 times, the last within 60 days); last seen within 90 days, 1 in 8 never.

use crate::history::sign_in;
use crate::stats::Samples;
use anyhow::Result;
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::path::Path;
use std::str::FromStr;
use std::time::Instant;

pub async fn seed(db: &Path, visitors: i64) -> Result<()> {
    let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", db.display()))?
        .pragma("synchronous", "OFF")
        .pragma("cache_size", "-262144")
        .pragma("temp_store", "MEMORY");
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(opts).await?;
    sqlx::query("PRAGMA journal_mode=DELETE").execute(&pool).await?;
    let ws: Vec<u8> = sqlx::query_scalar("SELECT id FROM workspaces WHERE slug = 'demo'").fetch_one(&pool).await?;
    let site: Vec<u8> =
        sqlx::query_scalar("SELECT id FROM sites WHERE workspace_id = $1").bind(&ws).fetch_one(&pool).await?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
    let day = 86_400_000_i64;
    let chunk = 100_000_i64;
    let mut from = 1_i64;
    while from <= visitors {
        let to = (from + chunk - 1).min(visitors);
        let mut tx = pool.begin().await?;
        // Random ids, unlike the server's time-ordered ones: the worst order for a count's probes
        // (the counters and tags below find a visitor by his number).
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2) \
             INSERT INTO visitors (id, workspace_id, site_id, number, name, token_hash, created_at, properties, \
             last_seen_at, attributes) \
             SELECT randomblob(16), $3, $4, 2000000 + i, 'Клиент ' || i, randomblob(32), $5 - (i % 400) * $6, '{}', \
             CASE WHEN i % 8 = 0 THEN NULL ELSE $5 - (i % 90) * $6 - (i % 1000) END, \
             json_object('plan', CASE WHEN i % 5 = 0 THEN 'pro' ELSE 'free' END, 'orders', i % 10, \
               'signed_up_at', strftime('%Y-%m-%dT%H:%M:%SZ', ($5 - (i % 400) * $6) / 1000, 'unixepoch')) \
             FROM n",
        )
        .bind(from)
        .bind(to)
        .bind(&ws)
        .bind(&site)
        .bind(now)
        .bind(day)
        .execute(&mut *tx)
        .await?;
        // The attributes as rows too, as the server writes them (dates with their instant).
        sqlx::query(
            "INSERT INTO visitor_attributes (visitor_id, name, workspace_id, kind, text, number) \
             SELECT v.id, j.key, v.workspace_id, \
             CASE j.type WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number' ELSE j.type END, \
             CASE WHEN j.type = 'text' THEN j.value END, \
             CASE WHEN j.type IN ('integer', 'real') THEN j.value \
               WHEN j.key LIKE '%\\_at' ESCAPE '\\' THEN round(unixepoch(j.value, 'subsec') * 1000) END \
             FROM visitors v, json_each(v.attributes) j \
             WHERE v.workspace_id = $1 AND v.number BETWEEN 2000000 + $2 AND 2000000 + $3",
        )
        .bind(&ws)
        .bind(from)
        .bind(to)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO visitor_tags (workspace_id, visitor_id, tag, added_at) \
             SELECT workspace_id, id, 'vip', $3 FROM visitors WHERE workspace_id = $4 AND number BETWEEN 2000000 + $1 AND 2000000 + $2 \
             AND number % 10 = 3 \
             UNION ALL SELECT workspace_id, id, 'опт', $3 FROM visitors WHERE workspace_id = $4 \
             AND number BETWEEN 2000000 + $1 AND 2000000 + $2 AND number % 7 = 1",
        )
        .bind(from)
        .bind(to)
        .bind(now)
        .bind(&ws)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO visitor_event_counts (workspace_id, visitor_id, name, count, first_at, last_at) \
             SELECT workspace_id, id, 'order_paid', 1 + number % 5, $3 - 90 * $4, $3 - (number % 60) * $4 \
             FROM visitors WHERE workspace_id = $5 AND number BETWEEN 2000000 + $1 AND 2000000 + $2 AND number % 10 < 3",
        )
        .bind(from)
        .bind(to)
        .bind(now)
        .bind(day)
        .bind(&ws)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        from = to + 1;
    }
    sqlx::query("ANALYZE").execute(&pool).await?;
    pool.close().await;
    Ok(())
}

/// The segments counted, from one rule on an index to the console's typical mix.
fn cases() -> Vec<(&'static str, Value)> {
    vec![
        ("tag vip", json!({"rules": [{"type": "tag", "tag": "vip"}]})),
        (
            "did order_paid within 30 days",
            json!({"rules": [{"type": "event", "name": "order_paid", "within_days": 30}]}),
        ),
        ("plan is pro", json!({"rules": [{"type": "attribute", "name": "plan", "op": "is", "value": "pro"}]})),
        ("plan is not pro", json!({"rules": [{"type": "attribute", "name": "plan", "op": "is_not", "value": "pro"}]})),
        ("orders > 5", json!({"rules": [{"type": "attribute", "name": "orders", "op": "gt", "value": 5}]})),
        (
            "signed up within 30 days",
            json!({"rules": [{"type": "attribute", "name": "signed_up_at", "op": "within_days", "value": 30}]}),
        ),
        ("seen within 7 days", json!({"rules": [{"type": "last_seen", "op": "within_days", "days": 7}]})),
        (
            "pro + order_paid 30 d + not vip",
            json!({"rules": [
                {"type": "attribute", "name": "plan", "op": "is", "value": "pro"},
                {"type": "event", "name": "order_paid", "within_days": 30},
                {"type": "tag", "tag": "vip", "has": false}
            ]}),
        ),
        (
            "any of vip, опт, orders > 8",
            json!({"match": "any", "rules": [
                {"type": "tag", "tag": "vip"},
                {"type": "tag", "tag": "опт"},
                {"type": "attribute", "name": "orders", "op": "gt", "value": 8}
            ]}),
        ),
    ]
}

pub async fn measure(base: &str, email: &str, password: &str, rounds: usize) -> Result<()> {
    let http = reqwest::Client::new();
    let cookie = sign_in(&http, base, email, password).await?;
    let mut all = Samples::default();
    for (name, filter) in cases() {
        let mut s = Samples::default();
        let mut count = 0;
        for i in 0..rounds + 5 {
            let t = Instant::now();
            let resp = http
                .post(format!("{base}/api/v1/segments/preview"))
                .header("cookie", &cookie)
                .json(&json!({ "filter": filter }))
                .send()
                .await?;
            let status = resp.status();
            let body: Value = resp.json().await?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if !status.is_success() {
                anyhow::bail!("preview {name}: {status} {body}");
            }
            count = body["count"].as_i64().unwrap_or(0);
            if i >= 5 {
                s.push(ms);
            }
        }
        println!("segment {name:<34} {count:>8} visitors   p50 {:>7.1} ms   p99 {:>7.1} ms", s.p(50.0), s.p(99.0));
        all.extend(s);
    }
    println!(
        "segment counts, all                                    p50 {:>7.1} ms   p99 {:>7.1} ms",
        all.p(50.0),
        all.p(99.0)
    );
    Ok(())
}
