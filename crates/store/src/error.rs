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
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("store internal error: {0}")]
    Internal(String),
}

pub type StoreResult<T> = Result<T, StoreError>;
