//! Column access and error mapping for this backend's rows (shared code, see
//! `frontline_store::backend`).

frontline_store::sql_row_glue!(
    sqlx::postgres::PgRow,
    on_unavailable = |_: &frontline_store::StoreError| { crate::outage::seen() }
);

/// The SQL this backend speaks where backends differ.
pub const DIALECT: frontline_store::segments::Dialect = frontline_store::segments::Dialect::Postgres;

#[cfg(test)]
mod tests {
    use frontline_store::StoreError;
    use sqlx::{Connection, PgConnection};

    /// What a connection in use gets when PostgreSQL restarts or an administrator ends it:
    /// the database is away for a moment (503, try again), not a bug (500).
    #[tokio::test]
    async fn a_connection_the_server_ends_is_unavailable_not_internal() {
        let Some(url) = frontline_store::contract::test_database_url() else {
            return;
        };
        let mut conn = PgConnection::connect(&url).await.expect("connect");
        let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(&mut conn).await.expect("pid");
        let mut admin = PgConnection::connect(&url).await.expect("connect");
        // Waits (up to 5 s) until the backend is gone, so the next query meets its end.
        let ended: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1, 5000)")
            .bind(pid)
            .fetch_one(&mut admin)
            .await
            .expect("terminate");
        assert!(ended);
        let err = sqlx::query("SELECT 1").execute(&mut conn).await.expect_err("the connection was ended");
        let seen = err.to_string();
        assert!(matches!(super::map_err(err), StoreError::Unavailable(_)), "{seen}");
        admin.close().await.expect("close");
    }
}
