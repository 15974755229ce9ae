//! Column access and error mapping for this backend's rows (shared code, see
//! `frontline_store::backend`).

frontline_store::sql_row_glue!(sqlx::sqlite::SqliteRow);

/// The SQL this backend speaks where backends differ.
pub const DIALECT: frontline_store::segments::Dialect = frontline_store::segments::Dialect::Sqlite;
