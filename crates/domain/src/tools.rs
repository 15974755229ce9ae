//! What operators use inside a dialog: tags and categories, snooze, close reasons, ratings,
//! saved replies, attachments and the visitor's contacts.

use crate::account::parse_name;
use crate::error::DomainError;
use crate::ids::{AttachmentId, ChannelId, OperatorId, SavedReplyId, WorkspaceId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The name of a tag or a category: 1–40 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label(String);

impl Label {
    pub fn parse(s: &str, field: &'static str) -> Result<Self, DomainError> {
        let s = parse_name(s, field)?;
        if s.chars().count() > 40 {
            return Err(DomainError::invalid(field, "must be at most 40 characters"));
        }
        Ok(Self(s))
    }

    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An entry of the tag or category dictionary. Entries are archived, never deleted, so old
/// dialogs and reports keep their words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRef<Id> {
    pub id: Id,
    pub workspace_id: WorkspaceId,
    pub name: Label,
    pub archived: bool,
}

/// Why a dialog was closed: by an operator (the widget asks for a rating) or by automation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    Operator,
    Auto,
}

impl CloseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operator => "operator",
            Self::Auto => "auto",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "operator" => Some(Self::Operator),
            "auto" => Some(Self::Auto),
            _ => None,
        }
    }
}

/// The visitor's rating of a closed dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    /// 1 to 5.
    pub score: u8,
    pub comment: Option<String>,
    pub at: Timestamp,
}

impl Rating {
    pub fn parse(score: i64, comment: Option<&str>, at: Timestamp) -> Result<Self, DomainError> {
        if !(1..=5).contains(&score) {
            return Err(DomainError::invalid("score", "must be 1 to 5"));
        }
        let comment = match comment.map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) if c.chars().count() > 1000 => {
                return Err(DomainError::invalid("comment", "must be at most 1000 characters"));
            }
            Some(c) if c.chars().any(|ch| ch.is_control() && ch != '\n') => {
                return Err(DomainError::invalid("comment", "must not contain control characters"));
            }
            Some(c) => Some(c.to_owned()),
        };
        Ok(Self { score: score as u8, comment, at })
    }

    /// Whether a visitor may rate a dialog closed for `reason` that has `existing` rating.
    pub fn requested(reason: Option<CloseReason>) -> bool {
        reason == Some(CloseReason::Operator)
    }
}

/// How long after a close a visitor's message reopens the dialog instead of starting a new
/// one: 0 (never) to a week, in minutes. Default one hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReopenWindow(i64);

impl ReopenWindow {
    pub const MAX_MINUTES: i64 = 7 * 24 * 60;

    pub fn minutes(m: i64) -> Result<Self, DomainError> {
        if !(0..=Self::MAX_MINUTES).contains(&m) {
            return Err(DomainError::invalid("reopen_window_minutes", "must be 0 to 10080"));
        }
        Ok(Self(m))
    }

    pub fn from_stored(m: i64) -> Self {
        Self(m.clamp(0, Self::MAX_MINUTES))
    }

    pub fn as_minutes(self) -> i64 {
        self.0
    }

    /// Whether a message at `now` reopens a dialog closed at `closed_at`.
    pub fn reopens(self, closed_at: Timestamp, now: Timestamp) -> bool {
        self.0 > 0 && now.0 - closed_at.0 < self.0 * 60_000
    }
}

impl Default for ReopenWindow {
    fn default() -> Self {
        Self(60)
    }
}

/// Snoozing lasts until a time in the future, at most a year ahead.
pub fn check_snooze(until: Timestamp, now: Timestamp) -> Result<Timestamp, DomainError> {
    const YEAR_MS: i64 = 366 * 24 * 3600 * 1000;
    if until.0 <= now.0 {
        return Err(DomainError::invalid("until", "must be in the future"));
    }
    if until.0 - now.0 > YEAR_MS {
        return Err(DomainError::invalid("until", "must be within a year"));
    }
    Ok(until)
}

/// A phone number as a person types it: digits with `+`, spaces, dashes, dots and brackets,
/// 5 to 15 digits, at most 32 characters as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let bad = || DomainError::invalid("phone", "must be 5–15 digits, with + ( ) - . and spaces allowed");
        if s.chars().count() > 32 {
            return Err(bad());
        }
        let s = s.trim();
        if !s.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
            return Err(bad());
        }
        let digits = s.chars().filter(char::is_ascii_digit).count();
        if !(5..=15).contains(&digits) {
            return Err(bad());
        }
        Ok(Self(s.to_owned()))
    }

    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits alone: what search matches ("9161234567" finds "+7 (916) 123-45-67").
    pub fn digits(&self) -> String {
        self.0.chars().filter(char::is_ascii_digit).collect()
    }
}

/// Who may use a saved reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyScope {
    /// Its owner only.
    Personal,
    /// The members of one channel.
    Channel,
    /// Everyone in the workspace.
    Workspace,
}

impl ReplyScope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Personal => "personal",
            Self::Channel => "channel",
            Self::Workspace => "workspace",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "personal" => Ok(Self::Personal),
            "channel" => Ok(Self::Channel),
            "workspace" => Ok(Self::Workspace),
            _ => Err(DomainError::invalid("scope", "must be personal, channel or workspace")),
        }
    }
}

/// A reply an operator inserts instead of typing it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedReply {
    pub id: SavedReplyId,
    pub workspace_id: WorkspaceId,
    pub scope: ReplyScope,
    /// The owner of a personal reply.
    pub owner: Option<OperatorId>,
    /// The channel of a channel reply.
    pub channel: Option<ChannelId>,
    pub title: String,
    pub body: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl SavedReply {
    /// A title: 1–80 characters.
    pub fn parse_title(s: &str) -> Result<String, DomainError> {
        parse_name(s, "title")
    }

    /// A body: not blank, at most 4000 characters as sent (like a message's).
    pub fn parse_body(s: &str) -> Result<String, DomainError> {
        if s.chars().count() > 4000 {
            return Err(DomainError::invalid("body", "must be at most 4000 characters"));
        }
        let cleaned = crate::text::clean_body(s);
        let s = cleaned.trim();
        if s.is_empty() {
            return Err(DomainError::invalid("body", "must not be empty"));
        }
        Ok(s.to_owned())
    }

    /// Whether an operator may use it, given the channels he is a member of (`None`: all).
    pub fn usable_by(&self, operator: OperatorId, channels: Option<&[ChannelId]>) -> bool {
        match self.scope {
            ReplyScope::Personal => self.owner == Some(operator),
            ReplyScope::Channel => match (channels, self.channel) {
                (None, _) => true,
                (Some(mine), Some(ch)) => mine.contains(&ch),
                (Some(_), None) => false,
            },
            ReplyScope::Workspace => true,
        }
    }
}

/// A file of a message, as messages carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// When the current visit began: the oldest of the newest run of page views with no gap of
/// `gap_ms` or more between them (`times` newest first). `None` without page views.
pub fn visit_start(times: &[Timestamp], gap_ms: i64) -> Option<Timestamp> {
    let mut start = *times.first()?;
    for t in &times[1..] {
        if start.0 - t.0 >= gap_ms {
            break;
        }
        start = *t;
    }
    Some(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_is_the_newest_run_of_pages_without_a_long_gap() {
        let m = 60_000;
        let t = |min: i64| Timestamp(min * m);
        assert_eq!(visit_start(&[], 30 * m), None);
        assert_eq!(visit_start(&[t(100)], 30 * m), Some(t(100)));
        assert_eq!(visit_start(&[t(100), t(90), t(75), t(10)], 30 * m), Some(t(75)));
        assert_eq!(visit_start(&[t(100), t(70)], 30 * m), Some(t(100)), "a gap of exactly 30 minutes ends it");
    }

    #[test]
    fn labels_are_short_names() {
        assert_eq!(Label::parse("  оплата ", "name").map(|l| l.0), Ok("оплата".into()));
        assert!(Label::parse("", "name").is_err());
        assert!(Label::parse(&"я".repeat(41), "name").is_err());
        assert!(Label::parse(&"я".repeat(40), "name").is_ok());
    }

    #[test]
    fn ratings_are_one_to_five_with_an_optional_comment() {
        let at = Timestamp(1);
        assert!(Rating::parse(0, None, at).is_err());
        assert!(Rating::parse(6, None, at).is_err());
        assert_eq!(Rating::parse(5, Some("  "), at).map(|r| r.comment), Ok(None));
        assert_eq!(Rating::parse(4, Some(" спасибо "), at).map(|r| r.comment), Ok(Some("спасибо".into())));
        assert!(Rating::parse(3, Some(&"x".repeat(1001)), at).is_err());
        assert!(Rating::requested(Some(CloseReason::Operator)));
        assert!(!Rating::requested(Some(CloseReason::Auto)));
        assert!(!Rating::requested(None));
    }

    #[test]
    fn the_reopen_window_is_half_open() {
        let w = ReopenWindow::minutes(60).expect("valid");
        let closed = Timestamp(1_000_000);
        assert!(w.reopens(closed, Timestamp(closed.0 + 59 * 60_000)));
        assert!(!w.reopens(closed, Timestamp(closed.0 + 60 * 60_000)));
        assert!(!ReopenWindow::minutes(0).expect("valid").reopens(closed, closed));
        assert!(ReopenWindow::minutes(-1).is_err());
        assert!(ReopenWindow::minutes(ReopenWindow::MAX_MINUTES + 1).is_err());
    }

    #[test]
    fn snooze_is_in_the_future_and_within_a_year() {
        let now = Timestamp(1_000_000);
        assert!(check_snooze(now, now).is_err());
        assert!(check_snooze(Timestamp(now.0 + 1), now).is_ok());
        assert!(check_snooze(Timestamp(now.0 + 367 * 24 * 3600 * 1000), now).is_err());
    }

    #[test]
    fn phones_keep_their_form_and_search_by_digits() {
        let p = Phone::parse(" +7 (916) 123-45-67 ").expect("valid");
        assert_eq!(p.as_str(), "+7 (916) 123-45-67");
        assert_eq!(p.digits(), "79161234567");
        assert!(Phone::parse("1234").is_err());
        assert!(Phone::parse("call me").is_err());
        assert!(Phone::parse("1234567890123456").is_err());
    }

    #[test]
    fn saved_replies_are_usable_by_scope() {
        let (me, other, ch) = (OperatorId::new(), OperatorId::new(), ChannelId::new());
        let reply = |scope, owner, channel| SavedReply {
            id: SavedReplyId::new(),
            workspace_id: WorkspaceId::new(),
            scope,
            owner,
            channel,
            title: "t".into(),
            body: "b".into(),
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        };
        assert!(reply(ReplyScope::Personal, Some(me), None).usable_by(me, Some(&[])));
        assert!(!reply(ReplyScope::Personal, Some(other), None).usable_by(me, None));
        assert!(reply(ReplyScope::Channel, None, Some(ch)).usable_by(me, Some(&[ch])));
        assert!(!reply(ReplyScope::Channel, None, Some(ch)).usable_by(me, Some(&[])));
        assert!(reply(ReplyScope::Channel, None, Some(ch)).usable_by(me, None));
        assert!(reply(ReplyScope::Workspace, None, None).usable_by(me, Some(&[])));
    }
}
