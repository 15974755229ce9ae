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
