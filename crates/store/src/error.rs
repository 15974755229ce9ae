//! What a store call can fail with.

/// A storage failure. `NotFound` and `Conflict` are answers about the data; `Unavailable`
/// means the database could not be reached and the caller may retry; `Internal` is a bug or
/// a corrupt row and is logged once at the edge.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write; the string names what was duplicated.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The dialog is closed and does not take this message.
    #[error("dialog closed")]
    DialogClosed,
    /// An assignment change was refused by a rule checked in its transaction.
    #[error("refused: {0:?}")]
    Refused(crate::Refusal),
    /// A visitor's post named the open dialog (and its channel) it was made for, and his open
    /// dialog is another now, or none, or moved: nothing was written; the caller reads how
    /// things stand and posts again.
    #[error("the visitor's open dialog is not the one expected")]
    Stale,
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("store internal error: {0}")]
    Internal(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Whether a database error's SQLSTATE says the database is out of reach rather than that
/// the statement is wrong: a broken connection (class `08`), a server shutting down or
/// restarting (`57P01`–`57P03`: what a connection in use gets when PostgreSQL restarts), no
/// connection slot left (`53300`). Such a failure is [`StoreError::Unavailable`] (503, try
/// again), not an internal error.
pub fn sqlstate_is_unavailable(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
}

#[cfg(test)]
mod tests {
    use super::sqlstate_is_unavailable;

    #[test]
    fn connection_and_shutdown_states_are_unavailable_and_the_rest_is_not() {
        for code in ["08000", "08003", "08006", "08001", "08004", "57P01", "57P02", "57P03", "53300"] {
            assert!(sqlstate_is_unavailable(code), "{code}");
        }
        // Unique and foreign-key violations, a syntax error, a cancelled statement, and
        // SQLite's numeric codes stay what they were.
        for code in ["23505", "23503", "42601", "57014", "5", "2067", ""] {
            assert!(!sqlstate_is_unavailable(code), "{code}");
        }
    }
}
