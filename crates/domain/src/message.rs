//! Messages: what a visitor or an operator wrote, in the order the dialog received it.

use crate::error::DomainError;
use crate::ids::{DialogId, MessageId, WorkspaceId};
use crate::time::Timestamp;
use uuid::Uuid;

/// The text of a message: not blank, at most `limit` characters as sent (configurable; 4,000
/// by default). Kept as written, with surrounding white space trimmed; never interpreted as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageBody(String);

impl MessageBody {
    pub const DEFAULT_LIMIT: usize = 4000;

    pub fn parse(s: &str, limit: usize) -> Result<Self, DomainError> {
        // The limit counts the text as sent, before trimming: what a client can check itself
        // (and what the API's schema states as `maxLength`).
        if s.chars().count() > limit {
            return Err(DomainError::MessageTooLong { limit });
        }
        let cleaned = crate::text::clean_body(s);
        let s = cleaned.trim();
        if s.is_empty() {
            return Err(DomainError::EmptyMessage);
        }
        // NUL cannot be stored in PostgreSQL text; other control characters are noise.
        if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
            return Err(DomainError::invalid("body", "must not contain control characters"));
        }
        Ok(Self(s.to_owned()))
    }

    /// Restores a body read back from the store (it was checked when written).
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first characters, for dialog lists and notifications.
    pub fn preview(&self, chars: usize) -> String {
        let mut out: String = self.0.chars().take(chars).collect();
        if self.0.chars().nth(chars).is_some() {
            out.push('…');
        }
        out.replace(['\n', '\r', '\t'], " ")
    }
}

/// The id a client gives its send so that a retry is recognised: 1–64 printable characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        if s.is_empty() || s.len() > 64 || !s.chars().all(|c| c.is_ascii_graphic()) {
            return Err(DomainError::invalid("client_id", "1–64 printable ASCII characters"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthorKind {
    Visitor,
    Operator,
    System,
}

impl AuthorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Visitor => "visitor",
            Self::Operator => "operator",
            Self::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "visitor" => Some(Self::Visitor),
            "operator" => Some(Self::Operator),
            "system" => Some(Self::System),
            _ => None,
        }
    }
}

/// A line sent by itself in someone's name, not written by a person: never a reply. It meets
/// no SLA target, starts no auto-close (the prompt only carries on the one an operator's reply
/// started), leaves the dialog's unread and "waiting" counters and its preview alone, and the
/// reports do not count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Automatic {
    /// The channel's greeting when an operator first takes the dialog.
    Greeting,
    /// Auto-close's "is the question still relevant?".
    Prompt,
    /// The proactive message the visitor answered.
    Proactive,
}

impl Automatic {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Greeting => "greeting",
            Self::Prompt => "prompt",
            Self::Proactive => "proactive",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Greeting, Self::Prompt, Self::Proactive].into_iter().find(|a| a.as_str() == s)
    }
}

/// What a new message does to its dialog's counters and timers (the store's `effect_kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// A visitor's message: unread, waiting, the reply due.
    Visitor,
    /// An operator's reply: read, answered, the SLA met, auto-close started.
    Operator,
    /// An automatic line the visitor reads: only an auto-close timer it carries.
    Automatic,
    /// A line for operators (system lines, notes): nothing but the sequence.
    Silent,
}

impl Effect {
    /// As the shared SQL's `$2` of `APPEND_TO_DIALOG` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Visitor => "visitor",
            Self::Operator => "operator",
            Self::Automatic => "auto",
            Self::Silent => "system",
        }
    }

    /// The author kind the dialog list shows for its last message, for the effects that
    /// change it.
    pub fn shown_author(self) -> Option<AuthorKind> {
        match self {
            Self::Visitor => Some(AuthorKind::Visitor),
            Self::Operator => Some(AuthorKind::Operator),
            Self::Automatic | Self::Silent => None,
        }
    }
}

/// The author of a message; `id` is the visitor's or the operator's id (nil for the system).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub kind: AuthorKind,
    pub id: Uuid,
    /// The operator's display name or the visitor's name, as it was when read.
    pub name: Option<String>,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: MessageId,
    pub workspace_id: WorkspaceId,
    pub dialog_id: DialogId,
    /// 1, 2, 3… within the dialog, without gaps.
    pub seq: i64,
    pub client_id: ClientId,
    pub author: Author,
    pub body: MessageBody,
    pub created_at: Timestamp,
    pub audience: crate::queue::Audience,
    /// What a system line records (`author.kind == System`).
    pub event: Option<crate::queue::SystemEvent>,
    /// Files sent with it.
    pub attachments: Vec<crate::tools::Attachment>,
    /// Operators an internal note mentions.
    pub mentions: Vec<crate::ids::OperatorId>,
    /// Sent by itself (a greeting, a prompt, a proactive opener): not a reply.
    pub automatic: Option<Automatic>,
    /// When its author last edited it (where he wrote it: Telegram); the earlier texts are kept.
    pub edited_at: Option<Timestamp>,
}

/// An earlier text of an edited message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageEdit {
    /// 1 for the first text, 2 for the second…
    pub version: i64,
    pub body: String,
    /// When the next text replaced it.
    pub replaced_at: Timestamp,
}

/// A message to be written: everything but what the store assigns (`seq`, the dialog of a
/// visitor's first message).
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub id: MessageId,
    pub client_id: ClientId,
    pub author_kind: AuthorKind,
    pub author_id: Uuid,
    pub body: MessageBody,
    pub created_at: Timestamp,
    pub audience: crate::queue::Audience,
    pub event: Option<crate::queue::SystemEvent>,
    pub attachments: Vec<crate::tools::Attachment>,
    pub mentions: Vec<crate::ids::OperatorId>,
    pub automatic: Option<Automatic>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_checked() {
        assert_eq!(MessageBody::parse("  \n\t ", 10), Err(DomainError::EmptyMessage));
        assert_eq!(MessageBody::parse("", 10), Err(DomainError::EmptyMessage));
        assert_eq!(MessageBody::parse("абвгдеёжзий", 10), Err(DomainError::MessageTooLong { limit: 10 }));
        assert_eq!(MessageBody::parse(" абвгдеёжзи ", 12).map(|b| b.0), Ok("абвгдеёжзи".into()));
        assert_eq!(MessageBody::parse(" абвгдеёжзи ", 10), Err(DomainError::MessageTooLong { limit: 10 }), "as sent");
        assert!(MessageBody::parse("a\0b", 10).is_err());
        assert!(MessageBody::parse("line\nline", 10).is_ok());
    }

    #[test]
    fn preview_is_one_line_and_marked_when_cut() {
        let b = MessageBody::parse("Здравствуйте,\nнужна кухня", 100).expect("valid");
        assert_eq!(b.preview(100), "Здравствуйте, нужна кухня");
        assert_eq!(b.preview(5), "Здрав…");
    }

    #[test]
    fn client_ids() {
        assert!(ClientId::parse("0193a1b2-c3d4").is_ok());
        assert!(ClientId::parse("").is_err());
        assert!(ClientId::parse("with space").is_err());
        assert!(ClientId::parse(&"x".repeat(65)).is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_body_is_kept_trimmed_within_its_limit_or_refused_with_the_reason(s in "\\PC{0,60}|[ \\t\\n]{0,5}", limit in 1usize..50) {
            match MessageBody::parse(&s, limit) {
                Ok(b) => {
                    prop_assert_eq!(b.as_str(), s.trim());
                    prop_assert!(!b.as_str().is_empty());
                    prop_assert!(b.as_str().chars().count() <= limit);
                }
                Err(DomainError::EmptyMessage) => prop_assert!(s.trim().is_empty()),
                Err(DomainError::MessageTooLong { limit: l }) => {
                    prop_assert_eq!(l, limit);
                    prop_assert!(s.chars().count() > limit);
                }
                Err(DomainError::Invalid { field, .. }) => {
                    prop_assert_eq!(field, "body");
                    prop_assert!(s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')));
                }
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
        }

        #[test]
        fn a_preview_is_one_line_and_short(s in "[a-zа-я \\n\\t]{1,200}", n in 1usize..100) {
            if let Ok(b) = MessageBody::parse(&s, 1000) {
                let p = b.preview(n);
                prop_assert!(!p.contains(['\n', '\t', '\r']));
                prop_assert!(p.chars().count() <= n + 1);
            }
        }
    }
}
