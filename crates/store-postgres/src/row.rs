//! Column access and error mapping for PostgreSQL rows.

use frontline_store::StoreError;
use frontline_store::records::StoreRow;
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;

fn col(e: sqlx::Error) -> StoreError {
    StoreError::Internal(format!("column: {e}"))
}

/// A PostgreSQL row seen through [`StoreRow`].
pub struct R<'a>(pub &'a PgRow);

impl StoreRow for R<'_> {
    fn uuid(&self, c: &str) -> Result<Uuid, StoreError> {
        self.0.try_get(c).map_err(col)
    }
    fn int(&self, c: &str) -> Result<i64, StoreError> {
        self.0.try_get(c).map_err(col)
    }
    fn opt_int(&self, c: &str) -> Result<Option<i64>, StoreError> {
        self.0.try_get(c).map_err(col)
    }
    fn text(&self, c: &str) -> Result<String, StoreError> {
        self.0.try_get(c).map_err(col)
    }
    fn opt_text(&self, c: &str) -> Result<Option<String>, StoreError> {
        self.0.try_get(c).map_err(col)
    }
    fn boolean(&self, c: &str) -> Result<bool, StoreError> {
        self.0.try_get(c).map_err(col)
    }
}

/// Turns a driver error into the store's vocabulary.
pub fn map_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict("unique"),
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::WorkerCrashed => {
            StoreError::Unavailable(e.to_string())
        }
        other => StoreError::Internal(other.to_string()),
    }
}
