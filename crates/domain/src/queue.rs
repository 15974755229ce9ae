//! How a channel hands out its dialogs, and the lines the timeline keeps about it.

use crate::error::DomainError;
use serde::{Deserialize, Serialize};

/// How waiting dialogs reach operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChannelMode {
    /// Operators accept dialogs from the queue by hand.
    #[default]
    Queue,
    /// Each dialog goes to the online member with the most free places.
    Auto,
}

impl ChannelMode {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "queue" => Ok(Self::Queue),
            "auto" => Ok(Self::Auto),
            _ => Err(DomainError::invalid("mode", "queue or auto")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queue => "queue",
            Self::Auto => "auto",
        }
    }
}

/// What happens to an operator's open dialogs of a channel when he goes offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OfflinePolicy {
    /// They stay his.
    #[default]
    Keep,
    /// They go back to the channel's queue.
    Return,
}

impl OfflinePolicy {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "keep" => Ok(Self::Keep),
            "return" => Ok(Self::Return),
            _ => Err(DomainError::invalid("offline_policy", "keep or return")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keep => "keep",
            Self::Return => "return",
        }
    }
}

/// A channel's greeting, sent in the operator's name on accept or assign: 1–1000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Greeting(String);

impl Greeting {
    pub const DEFAULT: &'static str = "Здравствуйте!";

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let cleaned = crate::text::clean_body(s);
        let s = cleaned.trim();
        if s.is_empty() || s.chars().count() > 1000 {
            return Err(DomainError::invalid("greeting", "1–1000 characters"));
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

impl Default for Greeting {
    fn default() -> Self {
        Self(Self::DEFAULT.to_owned())
    }
}

/// How long a dialog may wait in the queue before the channel is alerted: 10 s to 24 h.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WaitLimit(i64);

impl WaitLimit {
    pub const DEFAULT: WaitLimit = WaitLimit(120);

    pub fn seconds(n: i64) -> Result<Self, DomainError> {
        if !(10..=86_400).contains(&n) {
            return Err(DomainError::invalid("wait_alert_seconds", "10–86400 seconds"));
        }
        Ok(Self(n))
    }

    pub fn from_stored(n: i64) -> Self {
        Self(n)
    }

    pub fn as_seconds(self) -> i64 {
        self.0
    }

    pub fn as_millis(self) -> i64 {
        self.0 * 1000
    }
}

impl Default for WaitLimit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A channel's queue settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelSettings {
    pub mode: ChannelMode,
    pub greeting: Greeting,
    pub wait_limit: WaitLimit,
    pub offline_policy: OfflinePolicy,
    /// A dialog of this channel cannot be closed without a category.
    pub require_category: bool,
    pub reopen_window: crate::tools::ReopenWindow,
}

/// Who may read a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    /// The visitor and the operators.
    #[default]
    All,
    /// Operators only: never sent to a visitor's socket, history or e-mail.
    Operators,
}

impl Audience {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "all" => Some(Self::All),
            "operators" => Some(Self::Operators),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Operators => "operators",
        }
    }

    pub fn reaches_visitor(self) -> bool {
        self == Self::All
    }
}

/// What a system line in the timeline records. Clients word it in their own language; names
/// are kept as they were at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SystemEvent {
    /// `by` is `None` when auto-assign chose him.
    Assigned { operator: String, by: Option<String> },
    /// Back to the queue by hand.
    Unassigned { operator: String, by: Option<String> },
    /// To an operator or a channel, with the comment for the receiver (operators only).
    Transferred {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        operator: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<String>,
        by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// Back to the queue because the operator went offline (`reason = "offline"`).
    Returned { operator: String, reason: String },
    /// What the visitor sees of a transfer.
    TransferNotice {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        operator: Option<String>,
    },
    /// Out of the open list until `until` (RFC 3339).
    Snoozed { until: String, by: String },
    /// Back in the open list: `reason` is `due` or `operator` (`by` names him).
    Unsnoozed {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// Opened again after a close: by an operator (`by`), or by the visitor writing (`by` absent).
    Reopened {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// An operator sent an escalation form to fill (`request` names it for the widget).
    FormSent { request: String, form: String, by: String },
    /// The visitor filled it: the tickets made (the department's, the client's) and the
    /// answer he was given.
    FormSubmitted { request: String, form: String, number: i64, client_number: i64, answer: String },
    /// The department answered a ticket by mail (operators only).
    TicketAnswered { number: i64, from: String, text: String },
}

impl SystemEvent {
    /// Who may read the line: the visitor sees only the notice of a transfer.
    pub fn audience(&self) -> Audience {
        match self {
            Self::TransferNotice { .. } | Self::FormSent { .. } | Self::FormSubmitted { .. } => Audience::All,
            _ => Audience::Operators,
        }
    }
}

/// Who may change who has a dialog (assign, put back, transfer): supervisors and admins any
/// dialog they see; an operator only one that waits or is his own — never a colleague's.
pub fn may_change_hands(role: crate::Role, me: crate::OperatorId, current: Option<crate::OperatorId>) -> bool {
    role.sees_all_channels() || current.is_none_or(|c| c == me)
}

/// A transfer comment for the receiving operator: at most 1000 characters, blank is none.
pub fn parse_comment(s: Option<&str>) -> Result<Option<String>, DomainError> {
    let cleaned = s.map(crate::text::clean_body);
    match cleaned.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(c) if c.chars().count() > 1000 => Err(DomainError::invalid("comment", "at most 1000 characters")),
        Some(c) => Ok(Some(c.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operator_hands_over_only_what_waits_or_is_his() {
        use crate::{OperatorId, Role};
        let (me, colleague) = (OperatorId::new(), OperatorId::new());
        assert!(may_change_hands(Role::Operator, me, None));
        assert!(may_change_hands(Role::Operator, me, Some(me)));
        assert!(!may_change_hands(Role::Operator, me, Some(colleague)));
        assert!(may_change_hands(Role::Supervisor, me, Some(colleague)));
        assert!(may_change_hands(Role::Admin, me, Some(colleague)));
    }

    #[test]
    fn settings_are_checked() {
        assert_eq!(ChannelMode::parse("auto"), Ok(ChannelMode::Auto));
        assert!(ChannelMode::parse("round-robin").is_err());
        assert_eq!(OfflinePolicy::parse("return"), Ok(OfflinePolicy::Return));
        assert!(OfflinePolicy::parse("drop").is_err());
        assert!(Greeting::parse("   ").is_err());
        assert!(Greeting::parse(&"я".repeat(1001)).is_err());
        assert_eq!(Greeting::parse(" Добрый день! ").map(|g| g.as_str().to_owned()), Ok("Добрый день!".into()));
        assert_eq!(Greeting::default().as_str(), "Здравствуйте!");
        assert!(WaitLimit::seconds(9).is_err());
        assert!(WaitLimit::seconds(86_401).is_err());
        assert_eq!(WaitLimit::default().as_millis(), 120_000);
    }

    #[test]
    fn only_the_transfer_notice_reaches_the_visitor() {
        let notice = SystemEvent::TransferNotice { operator: Some("Анна".into()) };
        assert!(notice.audience().reaches_visitor());
        let transferred = SystemEvent::Transferred {
            operator: Some("Анна".into()),
            channel: None,
            by: "Борис".into(),
            comment: Some("клиент из Казани".into()),
        };
        assert!(!transferred.audience().reaches_visitor());
        assert!(!SystemEvent::Assigned { operator: "Анна".into(), by: None }.audience().reaches_visitor());
    }

    #[test]
    fn events_serialise_with_their_kind() {
        let e = SystemEvent::Assigned { operator: "Анна".into(), by: None };
        let json = serde_json::to_string(&e).expect("json");
        assert_eq!(json, "{\"kind\":\"assigned\",\"operator\":\"Анна\",\"by\":null}");
        let e = SystemEvent::TransferNotice { operator: None };
        assert_eq!(serde_json::to_string(&e).expect("json"), "{\"kind\":\"transfer_notice\"}");
        let back: SystemEvent = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, SystemEvent::Assigned { operator: "Анна".into(), by: None });
    }

    #[test]
    fn comments_are_optional_and_bounded() {
        assert_eq!(parse_comment(None), Ok(None));
        assert_eq!(parse_comment(Some("  ")), Ok(None));
        assert_eq!(parse_comment(Some(" срочно ")), Ok(Some("срочно".into())));
        assert!(parse_comment(Some(&"x".repeat(1001))).is_err());
    }
}
