//! The store contract on PostgreSQL, each case in a schema of its own; and the check that
//! both backends carry the same migrations.

use frontline_store::Store;
use frontline_store::contract::test_database_url;
use frontline_store_postgres::PgStore;
use std::sync::Arc;

async fn fresh() -> Option<Arc<dyn Store>> {
    let url = test_database_url()?;
    Some(Arc::new(PgStore::temporary(&url).await.expect("connect to PostgreSQL")))
}

frontline_store::contract_suite!(fresh);

#[test]
fn both_backends_have_the_same_migration_versions_and_names() {
    let names = |ms: &[frontline_store::Migration]| ms.iter().map(|m| (m.version, m.name)).collect::<Vec<_>>();
    assert_eq!(names(frontline_store_postgres::MIGRATIONS), names(frontline_store_sqlite::MIGRATIONS));
    let versions: Vec<i64> = frontline_store_postgres::MIGRATIONS.iter().map(|m| m.version).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "versions increase");
}

#[tokio::test]
async fn migrations_are_recorded_once() {
    let Some(url) = test_database_url() else {
        return;
    };
    let store = PgStore::temporary(&url).await.expect("connect");
    let applied = store.applied_migrations().await.expect("applied");
    let expected: Vec<(i64, String)> =
        frontline_store_postgres::MIGRATIONS.iter().map(|m| (m.version, m.name.to_owned())).collect();
    assert_eq!(applied, expected);
    store.close().await;
}

#[tokio::test]
async fn a_change_and_its_events_commit_together_or_not_at_all() {
    let Some(url) = test_database_url() else { return };
    let schema = format!("fl_test_{}", uuid::Uuid::now_v7().simple());
    let store: Arc<dyn Store> = Arc::new(PgStore::connect_in_schema(&url, Some(&schema)).await.expect("PostgreSQL"));
    let options: sqlx::postgres::PgConnectOptions = url.parse().expect("url");
    let saboteur = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options.options([("search_path", schema.as_str())]))
        .await
        .expect("saboteur");
    let refuse: frontline_store::contract::Sabotage = Box::new(move |kind: &'static str| {
        let pool = saboteur.clone();
        Box::pin(async move {
            let name = kind.replace('.', "_");
            let sql = format!(
                "CREATE FUNCTION refuse_{name}() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN IF NEW.kind = '{kind}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$; \
                 CREATE TRIGGER refuse_{name} BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_{name}();"
            );
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&pool).await.expect("trigger");
        })
    });
    frontline_store::contract::a_change_and_its_events_commit_together_or_not_at_all(store.clone(), refuse).await;
    store.close().await;
    PgStore::drop_schema(&url, &schema).await.expect("drop schema");
}
