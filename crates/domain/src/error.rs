//! Why a domain value or transition was refused.

/// A refusal by a domain rule. Each variant maps to one stable API code at the edge.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A field does not parse; `field` names it as the API spells it.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: &'static str },
    /// The message has no visible text.
    #[error("the message is empty")]
    EmptyMessage,
    /// The message is longer than the configured limit (in characters).
    #[error("the message is longer than {limit} characters")]
    MessageTooLong { limit: usize },
    /// A message was written into a dialog that is closed.
    #[error("the dialog is closed")]
    DialogClosed,
}

impl DomainError {
    pub fn invalid(field: &'static str, reason: &'static str) -> Self {
        Self::Invalid { field, reason }
    }
}
