//! Column access and error mapping for this backend's rows (shared code, see
//! `frontline_store::backend`).

frontline_store::sql_row_glue!(sqlx::sqlite::SqliteRow);
