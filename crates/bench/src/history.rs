//! The large-history phase: a SQLite database seeded with `dialogs` dialogs of ten messages
//! each (written straight into the file while the server is stopped, the way an import
//! would), then the console's reads against the running server over HTTP, one at a time:
//! history pages, filtered lists and search. Latency here is one request's, end to end.

use crate::stats::Samples;
use anyhow::{Context, Result};
use serde_json::Value;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Instant;

pub(crate) const FIRST: &[&str] =
    &["Иван", "Ольга", "Пётр", "Анна", "Сергей", "Мария", "Дмитрий", "Елена", "John", "Emma"];
pub(crate) const LAST: &[&str] = &[
    "Петров",
    "Смирнова",
    "Кузнецов",
    "Попова",
    "Соколов",
    "Лебедева",
    "Новиков",
    "Морозова",
    "Smith",
    "Brown",
    "Волков",
    "Зайцева",
];
/// What visitors and operators write; search looks for some of these words.
pub(crate) const PHRASES: &[&str] = &[
    "Здравствуйте, хочу заказать кухню",
    "Сколько стоит замер?",
    "Оплата картой не проходит",
    "Когда будет доставка?",
    "Можно ли оплатить в рассрочку?",
    "Пришлите, пожалуйста, смету",
    "Какие сроки изготовления фасадов?",
    "Нужна консультация дизайнера",
    "Столешница из камня или из дерева?",
    "Спасибо, всё понятно",
    "Hello, I would like to order a kitchen",
    "Is delivery included in the price?",
    "Мы перезвоним вам через час",
    "Уточните, пожалуйста, адрес доставки",
    "Заказ оформлен, номер договора отправлен на почту",
    "Монтаж займёт два дня",
    "Гарантия на фурнитуру пять лет",
    "Можно приехать в салон в субботу?",
    "Скидка действует до конца месяца",
    "Дверца шкафа скрипит после установки",
];

// The seed's statements, shared by SQLite (`seed`) and PostgreSQL (`history_pg::seed`);
// `new_id` is the backend's expression for a random id.

/// One dialog a visitor of the chunk `$4..=$5`: nine in ten closed; of the open ones, half
/// are the admin's (`$3`).
pub(crate) fn dialogs_sql(new_id: &str) -> String {
    format!(
        "INSERT INTO dialogs (id, workspace_id, number, channel_id, visitor_id, status, last_seq, unread_count, \
             operator_read_seq, last_author_kind, last_preview, last_message_at, created_at, updated_at, closed_at, \
             assignee_id, assigned_at, pending_count, waiting_since, queued_at, close_reason, tags) \
             SELECT {new_id}, $1, v.number - 1000000 + 100, $2, v.id, \
             CASE WHEN v.number % 10 = 0 THEN 'open' ELSE 'closed' END, 10, \
             CASE WHEN v.number % 20 = 0 THEN 1 ELSE 0 END, 9, \
             CASE WHEN v.number % 20 = 0 THEN 'visitor' ELSE 'operator' END, 'Спасибо, всё понятно', \
             v.created_at + 10000, v.created_at, v.created_at + 10000, \
             CASE WHEN v.number % 10 = 0 THEN NULL ELSE v.created_at + 20000 END, \
             CASE WHEN v.number % 20 = 0 THEN $3 ELSE NULL END, \
             CASE WHEN v.number % 20 = 0 THEN v.created_at ELSE NULL END, \
             CASE WHEN v.number % 20 = 0 THEN 1 ELSE 0 END, \
             CASE WHEN v.number % 20 = 0 THEN v.created_at + 9000 ELSE NULL END, \
             CASE WHEN v.number % 10 = 0 AND v.number % 20 <> 0 THEN v.created_at ELSE NULL END, \
             CASE WHEN v.number % 10 = 0 THEN NULL ELSE 'operator' END, '[]' \
             FROM visitors v WHERE v.workspace_id = $1 AND v.number BETWEEN 1000000 + $4 AND 1000000 + $5"
    )
}

/// Ten messages a dialog of the chunk, visitor and operator in turn.
pub(crate) fn messages_sql(new_id: &str) -> String {
    format!(
        "INSERT INTO messages (id, workspace_id, dialog_id, seq, client_id, author_kind, author_id, author_name, \
             body, created_at, audience, attachments, mentions) \
             SELECT {new_id}, $1, d.id, s.s, 'seed-' || d.number || '-' || s.s, \
             CASE WHEN s.s % 2 = 1 THEN 'visitor' ELSE 'operator' END, \
             CASE WHEN s.s % 2 = 1 THEN d.visitor_id ELSE $2 END, \
             CASE WHEN s.s % 2 = 1 THEN NULL ELSE 'Admin' END, p.v, d.created_at + s.s * 1000, 'all', '[]', '[]' \
             FROM dialogs d CROSS JOIN seqs s JOIN phrases p ON p.k = (d.number * 7 + s.s * 3) % $3 \
             WHERE d.workspace_id = $1 AND d.number BETWEEN $4 + 100 AND $5 + 100"
    )
}

/// One in five dialogs of the chunk has a tag.
pub(crate) const DIALOG_TAGS_SQL: &str = "INSERT INTO dialog_tags (dialog_id, tag_id) \
             SELECT d.id, t.id FROM dialogs d JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY name) - 1 AS k FROM tags \
             WHERE workspace_id = $1) t ON t.k = (d.number / 5) % 5 \
             WHERE d.workspace_id = $1 AND d.number % 5 = 0 AND d.number BETWEEN $2 + 100 AND $3 + 100";

/// Seeds `dialogs` dialogs (one visitor each, ten messages each; one in ten open, half of the
/// open ones assigned to the admin, one in five tagged) into the server's SQLite file.
///
/// With `events`, the dialogs are spread over the 29 days before now and each also gets its
/// event log as the server would have written it (`dialog.created`, ten `message.created`, a
/// `dialog.closed` for the closed ones, a `rating.created` for one in five of those), for the
/// reports to fold; without, they start on 2 February 2026, a second apart.
pub async fn seed(db: &Path, dialogs: i64, events: bool) -> Result<()> {
    let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", db.display()))?
        .pragma("synchronous", "OFF")
        .pragma("cache_size", "-262144")
        .pragma("temp_store", "MEMORY");
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(opts).await?;
    sqlx::query("PRAGMA journal_mode=DELETE").execute(&pool).await?;
    let ws: Vec<u8> = sqlx::query_scalar("SELECT id FROM workspaces WHERE slug = 'demo'").fetch_one(&pool).await?;
    let site: Vec<u8> =
        sqlx::query_scalar("SELECT id FROM sites WHERE workspace_id = $1").bind(&ws).fetch_one(&pool).await?;
    let channel: Vec<u8> = sqlx::query_scalar("SELECT id FROM channels WHERE workspace_id = $1 AND is_default")
        .bind(&ws)
        .fetch_one(&pool)
        .await?;
    let admin: Vec<u8> = sqlx::query_scalar("SELECT id FROM operators WHERE workspace_id = $1 AND role = 'admin'")
        .bind(&ws)
        .fetch_one(&pool)
        .await?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
    let (t0, spacing): (i64, i64) = if events {
        (now - 29 * 86_400_000, (29 * 86_400_000 / dialogs.max(1)).max(1))
    } else {
        (1_770_000_000_000, 1000)
    };
    let channel_text = uuid::Uuid::from_slice(&channel)?.to_string();

    sqlx::query("CREATE TEMP TABLE first_names (k INTEGER PRIMARY KEY, v TEXT)").execute(&pool).await?;
    sqlx::query("CREATE TEMP TABLE last_names (k INTEGER PRIMARY KEY, v TEXT)").execute(&pool).await?;
    sqlx::query("CREATE TEMP TABLE phrases (k INTEGER PRIMARY KEY, v TEXT)").execute(&pool).await?;
    sqlx::query("CREATE TEMP TABLE seqs (s INTEGER PRIMARY KEY)").execute(&pool).await?;
    for (table, items) in [("first_names", FIRST), ("last_names", LAST), ("phrases", PHRASES)] {
        for (k, v) in items.iter().enumerate() {
            sqlx::query(sqlx::AssertSqlSafe(format!("INSERT INTO {table} (k, v) VALUES ($1, $2)")))
                .bind(k as i64)
                .bind(*v)
                .execute(&pool)
                .await?;
        }
    }
    for s in 1..=10 {
        sqlx::query("INSERT INTO seqs (s) VALUES ($1)").bind(s).execute(&pool).await?;
    }
    for (i, name) in ["оплата", "доставка", "замер", "рекламация", "vip"].iter().enumerate()
    {
        sqlx::query("INSERT INTO tags (id, workspace_id, name, archived, created_at) VALUES ($1, $2, $3, FALSE, $4)")
            .bind(uuid::Uuid::now_v7().as_bytes().to_vec())
            .bind(&ws)
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
        // Visitors, numbered from 1,000,000 so the demo's own never collide.
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2) \
             INSERT INTO visitors (id, workspace_id, site_id, number, name, token_hash, created_at, properties, email, \
             phone, phone_digits, page_url, last_seen_at) \
             SELECT randomblob(16), $3, $4, 1000000 + i, f.v || ' ' || l.v, randomblob(32), $5 + i * $8, \
             '{\"city\":\"Москва\"}', 'client' || i || '@example.com', '+7 916 ' || (1000000 + i), \
             '7916' || (1000000 + i), 'https://shop.example.com/catalog/' || (i % 500), $5 + i * $8 \
             FROM n JOIN first_names f ON f.k = i % $6 JOIN last_names l ON l.k = (i / $6) % $7",
        )
        .bind(from)
        .bind(to)
        .bind(&ws)
        .bind(&site)
        .bind(t0)
        .bind(nf)
        .bind(nl)
        .bind(spacing)
        .execute(&mut *tx)
        .await?;
        // One dialog each: nine in ten closed; of the open ones, half are the admin's.
        sqlx::query(sqlx::AssertSqlSafe(dialogs_sql("randomblob(16)")))
            .bind(&ws)
            .bind(&channel)
            .bind(&admin)
            .bind(from)
            .bind(to)
            .execute(&mut *tx)
            .await?;
        // Ten messages each, visitor and operator in turn.
        sqlx::query(sqlx::AssertSqlSafe(messages_sql("randomblob(16)")))
            .bind(&ws)
            .bind(&admin)
            .bind(np)
            .bind(from)
            .bind(to)
            .execute(&mut *tx)
            .await?;
        // One in five dialogs has a tag.
        sqlx::query(DIALOG_TAGS_SQL).bind(&ws).bind(from).bind(to).execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE dialogs SET tags = (SELECT json_group_array(lower(substr(hex(tag_id), 1, 8) || '-' || \
             substr(hex(tag_id), 9, 4) || '-' || substr(hex(tag_id), 13, 4) || '-' || substr(hex(tag_id), 17, 4) || '-' || \
             substr(hex(tag_id), 21))) FROM dialog_tags WHERE dialog_id = dialogs.id) \
             WHERE workspace_id = $1 AND number % 5 = 0 AND number BETWEEN $2 + 100 AND $3 + 100",
        )
        .bind(&ws)
        .bind(from)
        .bind(to)
        .execute(&mut *tx)
        .await?;
        if events {
            seed_events(&mut tx, &ws, &admin, &channel_text, from, to).await?;
        }
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
    .bind(&ws)
    .execute(&pool)
    .await?;
    sqlx::query("ANALYZE").execute(&pool).await?;
    sqlx::query("PRAGMA journal_mode=WAL").execute(&pool).await?;
    pool.close().await;
    Ok(())
}

/// The event log of dialogs `from..=to`, in the order the server writes it per dialog.
async fn seed_events(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    ws: &[u8],
    admin: &[u8],
    channel: &str,
    from: i64,
    to: i64,
) -> Result<()> {
    let range = "d.workspace_id = $1 AND d.number BETWEEN $2 + 100 AND $3 + 100";
    let statements = [
        format!(
            "INSERT INTO events (id, workspace_id, kind, dialog_id, subject_id, actor_kind, actor_id, at, payload) \
             SELECT randomblob(16), $1, 'dialog.created', d.id, NULL, 'visitor', d.visitor_id, d.created_at + 1000, \
             '{{\"number\":' || d.number || ',\"channel_id\":\"' || $4 || '\",\"origin\":\"visitor\"}}' \
             FROM dialogs d WHERE {range} ORDER BY d.number"
        ),
        format!(
            "INSERT INTO events (id, workspace_id, kind, dialog_id, subject_id, actor_kind, actor_id, at, payload) \
             SELECT randomblob(16), $1, 'message.created', m.dialog_id, m.id, m.author_kind, m.author_id, m.created_at, \
             '{{\"seq\":' || m.seq || ',\"author_kind\":\"' || m.author_kind || '\",\"audience\":\"all\",\"automatic\":null}}' \
             FROM dialogs d JOIN messages m ON m.dialog_id = d.id WHERE {range} ORDER BY d.number, m.seq"
        ),
        format!(
            "INSERT INTO events (id, workspace_id, kind, dialog_id, subject_id, actor_kind, actor_id, at, payload) \
             SELECT randomblob(16), $1, 'dialog.closed', d.id, NULL, 'operator', $5, d.closed_at, \
             '{{\"reason\":\"operator\",\"operator_id\":null}}' \
             FROM dialogs d WHERE {range} AND d.status = 'closed' ORDER BY d.number"
        ),
        format!(
            "INSERT INTO events (id, workspace_id, kind, dialog_id, subject_id, actor_kind, actor_id, at, payload) \
             SELECT randomblob(16), $1, 'rating.created', d.id, NULL, 'visitor', d.visitor_id, d.closed_at + 5000, \
             '{{\"score\":' || (1 + d.number % 5) || '}}' \
             FROM dialogs d WHERE {range} AND d.status = 'closed' AND d.number % 5 = 1 ORDER BY d.number"
        ),
    ];
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ws)
            .bind(from)
            .bind(to)
            .bind(channel)
            .bind(admin)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Dialog ids to read history from, spread over the whole table.
pub async fn sample_dialogs(db: &Path, n: i64) -> Result<Vec<String>> {
    let pool = SqlitePool::connect_with(SqliteConnectOptions::from_str(&format!("sqlite://{}", db.display()))?).await?;
    let max: i64 = sqlx::query_scalar("SELECT MAX(number) FROM dialogs").fetch_one(&pool).await?;
    let mut out = Vec::new();
    for i in 0..n {
        let number = 100 + (i * 7919) % (max - 100).max(1);
        let row = sqlx::query("SELECT id FROM dialogs WHERE number = $1").bind(number).fetch_optional(&pool).await?;
        if let Some(row) = row {
            let id: Vec<u8> = row.try_get("id")?;
            out.push(uuid::Uuid::from_slice(&id)?.to_string());
        }
    }
    pool.close().await;
    Ok(out)
}

/// One GET, timed; fails on anything but 200.
pub async fn timed(http: &reqwest::Client, url: &str, cookie: &str) -> Result<(f64, Value)> {
    let t = Instant::now();
    let resp = http.get(url).header("cookie", cookie).send().await?;
    let status = resp.status();
    let body: Value = resp.json().await?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    if !status.is_success() {
        anyhow::bail!("{url}: {status} {body}");
    }
    Ok((ms, body))
}

/// What the search box is asked, in the seeded workspace and in the quiet one beside it.
const QUERIES: [&str; 9] =
    ["оплата", "доставки", "замер", "фурнитуру", "kitchen", "Зайцева", "скрипит дверца", "79161000777", "холодильник"];

/// Asks each query `rounds` times, the first `warm` not counted; prints a line per query and
/// answers all the samples.
async fn search_all(http: &reqwest::Client, base: &str, cookie: &str, rounds: usize, warm: usize) -> Result<Samples> {
    let mut all = Samples::default();
    for q in QUERIES {
        let mut s = Samples::default();
        let mut hits = 0;
        for i in 0..rounds {
            let (ms, body) = timed(http, &format!("{base}/api/v1/search?q={q}&limit=20"), cookie).await?;
            if i >= warm {
                s.push(ms);
            }
            hits = body["items"].as_array().map_or(0, Vec::len);
        }
        println!("search {q:<22} {hits:>2} hits   p50 {:>7.2} ms   p99 {:>7.2} ms", s.p(50.0), s.p(99.0));
        all.extend(s);
    }
    Ok(all)
}

/// The admin of the quiet workspace: a second, small workspace beside the seeded one, as an
/// install that serves several companies has. Its searches ask for words the seeded workspace
/// holds millions of times; they show whether a search walks other workspaces' hits.
pub const QUIET_EMAIL: &str = "quiet-admin@bench.example";
/// How many dialogs the quiet workspace has (one message each).
const QUIET_DIALOGS: usize = 40;

/// Fills the quiet workspace once, through its widget as visitors write (a reused seed already
/// has it filled: its site then lists an origin).
pub async fn fill_quiet(base: &str, password: &str) -> Result<()> {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let target = crate::client::Target::connect(base, QUIET_EMAIL, password).await?;
    let sites = target.admin_call(reqwest::Method::GET, "/api/v1/sites", None).await?;
    let site = &sites["items"][0];
    if site["allowed_origins"].as_array().is_some_and(|o| !o.is_empty()) {
        return Ok(());
    }
    let id = site["id"].as_str().context("the quiet site")?;
    let origins = serde_json::json!({"allowed_origins": [base]});
    target.admin_call(reqwest::Method::PATCH, &format!("/api/v1/sites/{id}"), Some(origins)).await?;
    for i in 0..QUIET_DIALOGS {
        let mut ws = target.visitor_socket().await?;
        let frame =
            serde_json::json!({"type": "send", "client_id": format!("quiet-{i}"), "body": PHRASES[i % PHRASES.len()]});
        ws.send(Message::Text(frame.to_string().into())).await?;
        loop {
            let next = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next()).await;
            match next.context("no ack in 10 s")?.context("the socket closed")?? {
                Message::Text(t) if t.contains("\"type\":\"ack\"") => break,
                Message::Text(t) if t.contains("\"type\":\"error\"") => anyhow::bail!("refused: {t}"),
                _ => {}
            }
        }
        let _ = ws.close(None).await;
    }
    Ok(())
}

/// The same searches in the quiet workspace (fewer rounds: a search that walks the seeded
/// workspace's hits takes seconds).
pub async fn measure_quiet(base: &str, password: &str) -> Result<()> {
    let http = reqwest::Client::new();
    let cookie = sign_in(&http, base, QUIET_EMAIL, password).await?;
    println!("in a workspace of {QUIET_DIALOGS} dialogs beside it:");
    let all = search_all(&http, base, &cookie, 10, 2).await?;
    println!("search in the small workspace, all: p50 {:>6.2} ms   p99 {:>6.2} ms", all.p(50.0), all.p(99.0));
    Ok(())
}

/// Signs in; answers the session cookie to send.
pub async fn sign_in(http: &reqwest::Client, base: &str, email: &str, password: &str) -> Result<String> {
    let login = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await?
        .error_for_status()?;
    Ok(login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .context("cookie")?
        .to_owned())
}

/// Measures the console's reads; prints one line per kind of read.
pub async fn measure(base: &str, email: &str, password: &str, dialogs: &[String]) -> Result<()> {
    let http = reqwest::Client::new();
    let cookie = sign_in(&http, base, email, password).await?;
    let tags: Value = http.get(format!("{base}/api/v1/tags")).header("cookie", &cookie).send().await?.json().await?;
    let tag = tags["items"][0]["id"].as_str().context("a tag")?.to_owned();

    // Warm-up: the first reads fault pages in; what is measured is a server in use.
    for d in dialogs.iter().take(50) {
        timed(&http, &format!("{base}/api/v1/dialogs/{d}/messages?limit=50"), &cookie).await?;
    }
    let mut history = Samples::default();
    for round in 0..3 {
        for d in dialogs {
            let after = if round == 2 { 5 } else { 0 };
            let (ms, _) =
                timed(&http, &format!("{base}/api/v1/dialogs/{d}/messages?after_seq={after}&limit=50"), &cookie)
                    .await?;
            history.push(ms);
        }
    }
    println!(
        "history page (50 messages):    p50 {:>6.2} ms   p99 {:>6.2} ms   ({} reads)",
        history.p(50.0),
        history.p(99.0),
        history.0.len()
    );

    let lists = [
        "status=open".to_owned(),
        "status=open&assignee=mine".to_owned(),
        "status=open&assignee=mine&unanswered=true".to_owned(),
        "status=open&assignee=unassigned".to_owned(),
        format!("status=open&tag={tag}"),
        format!("status=closed&sort=activity&tag={tag}"),
        "status=closed&sort=activity".to_owned(),
        "status=all&sort=activity".to_owned(),
    ];
    let mut all_lists = Samples::default();
    for q in &lists {
        let mut s = Samples::default();
        let mut first_page = Value::Null;
        for i in 0..60 {
            let (ms, body) = timed(&http, &format!("{base}/api/v1/dialogs?{q}&limit=50"), &cookie).await?;
            if i >= 10 {
                s.push(ms);
            }
            first_page = body;
        }
        // The second page, through the cursor.
        if let Some(c) = first_page["next_cursor"].as_str() {
            for _ in 0..20 {
                let (ms, _) = timed(&http, &format!("{base}/api/v1/dialogs?{q}&limit=50&cursor={c}"), &cookie).await?;
                s.push(ms);
            }
        }
        println!("list {q:<48} p50 {:>6.2} ms   p99 {:>6.2} ms", s.p(50.0), s.p(99.0));
        all_lists.extend(s);
    }
    println!("filtered lists, all:           p50 {:>6.2} ms   p99 {:>6.2} ms", all_lists.p(50.0), all_lists.p(99.0));

    let all_search = search_all(&http, base, &cookie, 30, 5).await?;
    println!("search, all:                   p50 {:>6.2} ms   p99 {:>6.2} ms", all_search.p(50.0), all_search.p(99.0));
    Ok(())
}
