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
