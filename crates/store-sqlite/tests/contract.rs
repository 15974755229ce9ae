//! The store contract on SQLite: a fresh database file per case, with the production
//! settings (WAL, full fsync), so group commit and the reader pool are exercised too.

use frontline_store::Store;
use frontline_store_sqlite::SqliteStore;
use std::sync::Arc;

/// The URL of a new database file.
fn fresh_url() -> String {
    let dir = std::env::temp_dir().join("frontline-contract");
    std::fs::create_dir_all(&dir).expect("temp dir");
    format!("sqlite://{}", dir.join(format!("{}.db", uuid::Uuid::now_v7())).display())
}

async fn fresh() -> Option<Arc<dyn Store>> {
    Some(Arc::new(SqliteStore::connect(&fresh_url()).await.expect("open SQLite")))
}

frontline_store::contract_suite!(fresh);

#[tokio::test]
async fn in_memory_databases_work_for_tests() {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::connect("sqlite::memory:").await.expect("memory"));
    frontline_store::contract::first_visitor_message_opens_a_dialog(store.clone()).await;
    store.close().await;
}

#[tokio::test]
async fn migrations_are_recorded_and_reapplying_is_a_no_op() {
    let url = fresh_url();
    let store = SqliteStore::connect(&url).await.expect("first open");
    let applied = store.applied_migrations().await.expect("list");
    store.close().await;
    let again = SqliteStore::connect(&url).await.expect("second open");
    assert_eq!(again.applied_migrations().await.expect("list"), applied);
    let expected: Vec<(i64, String)> =
        frontline_store_sqlite::MIGRATIONS.iter().map(|m| (m.version, m.name.to_owned())).collect();
    assert_eq!(applied, expected);
    again.close().await;
}

#[tokio::test]
async fn a_change_and_its_events_commit_together_or_not_at_all() {
    let url = fresh_url();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url).await.expect("open SQLite"));
    // A connection of its own to the same file adds the triggers; the store's connections see
    // the new schema at their next statement.
    let saboteur = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&url).await.expect("saboteur");
    let refuse: frontline_store::contract::Sabotage = Box::new(move |kind: &'static str| {
        let pool = saboteur.clone();
        Box::pin(async move {
            let name = kind.replace('.', "_");
            let sql = format!(
                "CREATE TRIGGER refuse_{name} BEFORE INSERT ON events WHEN NEW.kind = '{kind}' \
                 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            );
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&pool).await.expect("trigger");
        })
    });
    frontline_store::contract::a_change_and_its_events_commit_together_or_not_at_all(store.clone(), refuse).await;
    store.close().await;
}

/// Migration 23 fills `visitor_attributes` from the attributes kept before it with the rows the
/// server writes itself: kinds, texts, numbers and the instants of dates (and none for a text
/// SQLite alone would read as a date, such as "now").
#[tokio::test]
async fn the_attribute_rows_migration_writes_what_the_server_writes() {
    let url = fresh_url();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url).await.expect("open SQLite"));
    let f = frontline_store::contract::Fixture::new(store.clone()).await;
    let attributes = serde_json::from_str(
        r#"{"plan": "pro", "orders": 3, "ratio": 0.25, "vip": true, "trial": false, "word": "now",
            "day": "2024-05-01", "signed_up_at": "2024-05-01T10:20:30.125Z", "paid_at": "2024-05-01T13:20:30+03:00"}"#,
    )
    .expect("attributes");
    let stamp =
        frontline_store::events::Stamp { actor: frontline_domain::Actor::SYSTEM, at: frontline_domain::Timestamp(1) };
    store.set_visitor_attributes(f.workspace.id, f.visitor.id, &attributes, stamp).await.expect("set");
    let raw = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&url).await.expect("raw");
    type Row = (String, String, Option<String>, Option<f64>);
    let read = || async {
        sqlx::query_as::<_, Row>("SELECT name, kind, text, number FROM visitor_attributes ORDER BY name")
            .fetch_all(&raw)
            .await
            .expect("rows")
    };
    let written = read().await;
    assert_eq!(written.len(), 9, "{written:?}");
    let instant = |name: &str| written.iter().find(|r| r.0 == name).and_then(|r| r.3);
    assert_eq!(instant("signed_up_at"), Some(1_714_558_830_125.0));
    assert_eq!(instant("paid_at"), Some(1_714_558_830_000.0));
    assert_eq!(instant("word"), None);
    assert_eq!(instant("day"), None);
    sqlx::query("DELETE FROM visitor_attributes").execute(&raw).await.expect("empty");
    let sql = include_str!("../migrations/0023_visitor_attributes.sql");
    let backfill = &sql[sql.find("INSERT INTO").expect("the backfill")..];
    sqlx::raw_sql(sqlx::AssertSqlSafe(backfill)).execute(&raw).await.expect("backfill");
    assert_eq!(read().await, written);
    raw.close().await;
    store.close().await;
}

/// Migration 24 rebuilds visitor tags and event counters in their keys' order: everything the
/// server wrote reads back the same, the tables have no rowid, and a segment's sets and probes
/// are each one search of one index.
#[tokio::test]
async fn the_segment_keys_migration_keeps_tags_and_counters() {
    use frontline_domain::{Actor, Timestamp};
    use frontline_store::{events::Stamp, leads::TrackedEvent};
    let url = fresh_url();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url).await.expect("open SQLite"));
    let f = frontline_store::contract::Fixture::new(store.clone()).await;
    let stamp = Stamp { actor: Actor::SYSTEM, at: Timestamp(5) };
    let tags = ["vip".to_owned(), "опт".to_owned()];
    store.change_visitor_tags(f.workspace.id, &f.visitor, &tags, &[], stamp).await.expect("tags");
    let event = |name: &str, at: i64| TrackedEvent {
        id: uuid::Uuid::now_v7(),
        workspace_id: f.workspace.id,
        visitor_id: f.visitor.id,
        name: name.into(),
        properties: "{}".into(),
        client_id: None,
        at: Timestamp(at),
    };
    store
        .track_events(&[event("order_paid", 10), event("order_paid", 30), event("signed_in", 20)])
        .await
        .expect("track");
    let raw = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&url).await.expect("raw");
    type Tag = (Vec<u8>, Vec<u8>, String, i64);
    type Count = (Vec<u8>, Vec<u8>, String, i64, i64, i64);
    let read = || async {
        let tags: Vec<Tag> =
            sqlx::query_as("SELECT workspace_id, visitor_id, tag, added_at FROM visitor_tags ORDER BY tag")
                .fetch_all(&raw)
                .await
                .expect("tags");
        let counts: Vec<Count> = sqlx::query_as(
            "SELECT workspace_id, visitor_id, name, count, first_at, last_at FROM visitor_event_counts ORDER BY name",
        )
        .fetch_all(&raw)
        .await
        .expect("counts");
        (tags, counts)
    };
    let written = read().await;
    assert_eq!(written.0.len(), 2, "{written:?}");
    assert_eq!(
        written.1.iter().map(|c| (c.2.as_str(), c.3, c.4, c.5)).collect::<Vec<_>>(),
        [("order_paid", 2, 10, 30), ("signed_in", 1, 20, 20)]
    );
    // The migration again, on what the server wrote: the same rows come out.
    let sql = include_str!("../migrations/0024_segment_keys.sql");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&raw).await.expect("migration 24 again");
    assert_eq!(read().await, written);
    for table in ["visitor_tags", "visitor_event_counts"] {
        let rowid = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("SELECT rowid FROM {table}"))).execute(&raw).await;
        assert!(rowid.is_err(), "{table} still has a rowid");
    }
    let plan = |sql: &'static str| {
        let raw = &raw;
        async move {
            let rows: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                    .fetch_all(raw)
                    .await
                    .expect("plan");
            rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("; ")
        }
    };
    let set = plan("SELECT visitor_id FROM visitor_event_counts WHERE workspace_id = x'00' AND name = 'a' AND last_at >= 1 AND count >= 1").await;
    assert!(set.contains("COVERING INDEX visitor_event_counts_by_name"), "{set}");
    let set = plan("SELECT visitor_id FROM visitor_tags WHERE workspace_id = x'00' AND tag = 'vip'").await;
    assert!(set.contains("COVERING INDEX visitor_tags_by_tag"), "{set}");
    let probe =
        plan("SELECT 1 FROM visitor_event_counts WHERE visitor_id = x'00' AND name = 'a' AND last_at >= 1").await;
    assert!(probe.contains("PRIMARY KEY"), "{probe}");
    raw.close().await;
    store.close().await;
}

/// Migration 27 builds both full-text indexes again, each row with its workspace's token: what
/// was written before it is found after it, in its own workspace only, and each index is whole
/// (FTS5's integrity check; for the messages' index, against the messages it indexes).
#[tokio::test]
async fn the_search_by_workspace_migration_indexes_what_was_written_before_it() {
    use frontline_domain::search::SearchQuery;
    use frontline_domain::{Actor, Timestamp, VisitorName};
    let url = fresh_url();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::connect(&url).await.expect("open SQLite"));
    let f = frontline_store::contract::Fixture::new(store.clone()).await;
    let g = frontline_store::contract::Fixture::new(store.clone()).await;
    let mine = store.post_message(f.visitor_post("m1", "Оплата картой не проходит")).await.expect("post").dialog.id;
    let theirs = store.post_message(g.visitor_post("m2", "Оплата наличными курьеру")).await.expect("post").dialog.id;
    let stamp = frontline_store::events::Stamp { actor: Actor::SYSTEM, at: Timestamp(5) };
    let name = VisitorName::parse("Иван Курьеров").expect("name");
    store.update_visitor_profile(f.workspace.id, f.visitor.id, Some(&name), None, None, stamp).await.expect("name");
    let raw = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&url).await.expect("raw");
    let check = || async {
        for (table, against_content) in [("messages_fts", 1), ("visitors_fts", 0)] {
            let sql = format!("INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', {against_content})");
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&raw).await.unwrap_or_else(|e| panic!("{table}: {e}"));
        }
    };
    let search = |ws: frontline_domain::WorkspaceId, q: &'static str| {
        let store = store.clone();
        async move {
            let q = SearchQuery::parse(q).expect("query");
            store.search(ws, &q, None, 10).await.expect("search").into_iter().map(|h| h.dialog.id).collect::<Vec<_>>()
        }
    };
    let expect = || async {
        assert_eq!(search(f.workspace.id, "оплаты").await, vec![mine]);
        assert_eq!(search(g.workspace.id, "оплаты").await, vec![theirs]);
        assert_eq!(search(g.workspace.id, "курьер").await, vec![theirs], "not the other's visitor");
        assert_eq!(search(f.workspace.id, "курьер").await, vec![mine], "the visitor, not the other's message");
    };
    check().await;
    expect().await;
    // The migration's rebuild again (its column exists already), on what the server wrote.
    let sql = include_str!("../migrations/0027_search_by_workspace.sql");
    let rebuild = &sql[sql.find("DROP TRIGGER messages_fts_insert").expect("the rebuild")..];
    sqlx::raw_sql(sqlx::AssertSqlSafe(rebuild)).execute(&raw).await.expect("migration 27 again");
    check().await;
    expect().await;
    // And the triggers after it keep both indexes whole.
    let later = store.post_message(f.visitor_post("m3", "Курьер опоздал")).await.expect("post").dialog.id;
    assert_eq!(later, mine);
    let name = VisitorName::parse("Пётр Оплатин").expect("name");
    store.update_visitor_profile(f.workspace.id, f.visitor.id, Some(&name), None, None, stamp).await.expect("rename");
    check().await;
    assert_eq!(search(f.workspace.id, "оплатин").await, vec![mine]);
    assert!(search(g.workspace.id, "оплатин").await.is_empty());
    raw.close().await;
    store.close().await;
}
