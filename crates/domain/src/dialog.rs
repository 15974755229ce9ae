//! Dialogs and their state machine.

use crate::error::DomainError;
use crate::ids::{ChannelId, DialogId, VisitorId, WorkspaceId};
use crate::message::{AuthorKind, Effect};
use crate::time::Timestamp;

/// Where a dialog is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DialogStatus {
    Open,
    Closed,
}

impl DialogStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// What the dialog list shows of the latest message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastMessage {
    pub author_kind: AuthorKind,
    pub preview: String,
    pub created_at: Timestamp,
}

/// A conversation between one visitor and the operators of a channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Dialog {
    pub id: DialogId,
    pub workspace_id: WorkspaceId,
    /// Per-workspace number shown to people (#1042).
    pub number: i64,
    pub channel_id: ChannelId,
    pub visitor_id: VisitorId,
    pub status: DialogStatus,
    /// The `seq` of the newest message; 0 for none.
    pub last_seq: i64,
    /// Visitor messages the operators have not read yet.
    pub unread_count: i64,
    pub last_message: Option<LastMessage>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    /// The operator handling it; `None` while it waits in the channel's queue.
    pub assignee: Option<Assignee>,
    /// The name of the routing rule that chose the channel; `None` for the default channel.
    pub routed_by: Option<String>,
    /// Visitor messages since the last operator reply, and when the first of them arrived.
    pub pending_count: i64,
    pub waiting_since: Option<Timestamp>,
    /// When it entered its channel's queue (`None` while assigned).
    pub queued_at: Option<Timestamp>,
    /// When the waiting alert of this stay in the queue fired.
    pub wait_alerted_at: Option<Timestamp>,
    /// Tags from the workspace's dictionary.
    pub tags: Vec<crate::ids::TagId>,
    pub category: Option<crate::ids::CategoryId>,
    /// Out of the open list until then (or until the visitor writes).
    pub snoozed_until: Option<Timestamp>,
    pub close_reason: Option<crate::tools::CloseReason>,
    /// The visitor's earlier dialog this one continues (he wrote after its reopen window).
    pub previous_dialog: Option<DialogId>,
    /// The visitor has read the dialog up to this `seq`.
    pub visitor_read_seq: i64,
    /// The operators have read the dialog up to this `seq`.
    pub operator_read_seq: i64,
    pub rating: Option<crate::tools::Rating>,
    /// How it began, and the proactive message he answered.
    pub origin: DialogOrigin,
    pub trigger: Option<TriggerRef>,
    pub sla: SlaState,
    /// What happens if the visitor stays silent (set by an operator's message).
    pub auto_close: Option<crate::automation::AutoCloseTimer>,
    /// How upset his messages read: the highest [`crate::quality::Tone::score`] of them (0–3).
    pub tone: u8,
    /// Custom fields' values (`fields`), by key.
    pub fields: crate::leads::Attributes,
}

/// How a dialog began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DialogOrigin {
    /// The visitor wrote first.
    #[default]
    Visitor,
    /// He answered a proactive message.
    Proactive,
    /// The offline contact form.
    Offline,
}

impl DialogOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Visitor => "visitor",
            Self::Proactive => "proactive",
            Self::Offline => "offline",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Visitor, Self::Proactive, Self::Offline].into_iter().find(|o| o.as_str() == s)
    }
}

/// A proactive message, as a dialog remembers it (the name as it was then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerRef {
    pub id: uuid::Uuid,
    pub name: String,
}

/// Where a dialog stands against its channel's SLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlaState {
    pub first_reply_at: Option<Timestamp>,
    /// Set while the visitor waits for an answer: the first reply's due time until an
    /// operator has replied once, then the next reply's.
    pub reply_due: Option<Timestamp>,
    pub reply_breached: bool,
    pub resolve_due: Option<Timestamp>,
    pub resolve_breached: bool,
}

impl SlaState {
    /// Which reply target `reply_due` is for.
    pub fn reply_target(&self) -> crate::automation::SlaTarget {
        if self.first_reply_at.is_none() {
            crate::automation::SlaTarget::FirstReply
        } else {
            crate::automation::SlaTarget::NextReply
        }
    }
}

/// The timers a message starts, computed by the caller from the channel's automation (the
/// store applies the one that fits the dialog's state, see [`Dialog::apply_timers`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageTimers {
    /// A visitor's message: the reply due if this is before the first operator reply, and
    /// if it is after one.
    pub first_reply_due: Option<Timestamp>,
    pub next_reply_due: Option<Timestamp>,
    /// An operator's message: what happens if the visitor stays silent.
    pub auto_close: Option<crate::automation::AutoCloseTimer>,
    /// A message that opens a dialog: when it must be resolved.
    pub resolution_due: Option<Timestamp>,
}

impl Dialog {
    /// What a message does to its open dialog: the rule, stated once. `effect` is what kind
    /// of message it is (see the store's `effect_kind`), `at` its time, `preview` the dialog
    /// list's line for it, `timers` what the channel's automation starts with it.
    ///
    /// - every message takes the next `seq` and moves `updated_at`;
    /// - a visitor's: unread and waiting grow (waiting since the first unanswered one), a
    ///   snooze ends;
    /// - an operator's: all read, nobody waits;
    /// - visitors' and operators' messages become the list's last message; automatic lines,
    ///   system lines and notes do not;
    /// - a visitor's raises the dialog's tone to his message's (`tone`) if higher;
    /// - then the timers ([`Dialog::apply_timers`]).
    ///
    /// The SQLite batch path runs this; the one-post SQL (`APPEND_TO_DIALOG`) says the same in
    /// SQL, and a property test (`store-sqlite`'s `paths_agree`) feeds both the same posts.
    pub fn take_message(
        &mut self,
        effect: Effect,
        at: Timestamp,
        preview: impl FnOnce() -> String,
        tone: impl FnOnce() -> u8,
        t: &MessageTimers,
    ) {
        self.last_seq += 1;
        match effect {
            Effect::Visitor => {
                self.unread_count += 1;
                self.pending_count += 1;
                self.waiting_since = self.waiting_since.or(Some(at));
                self.snoozed_until = None;
                self.tone = self.tone.max(tone());
            }
            Effect::Operator => {
                self.unread_count = 0;
                self.pending_count = 0;
                self.waiting_since = None;
                self.operator_read_seq = self.last_seq;
            }
            Effect::Automatic | Effect::Silent => {}
        }
        self.apply_timers(effect, at, t);
        if let Some(author_kind) = effect.shown_author() {
            self.last_message = Some(LastMessage { author_kind, preview: preview(), created_at: at });
        }
        self.updated_at = at;
    }

    /// What a message whose effect is `effect` (see the store's `effect_kind`) does to the
    /// SLA and auto-close timers. The SQL of both stores says the same.
    pub fn apply_timers(&mut self, effect: Effect, at: Timestamp, t: &MessageTimers) {
        match effect {
            Effect::Visitor => {
                if self.sla.reply_due.is_none() {
                    self.sla.reply_due =
                        if self.sla.first_reply_at.is_none() { t.first_reply_due } else { t.next_reply_due };
                }
                self.auto_close = None;
            }
            Effect::Operator => {
                self.sla.first_reply_at = self.sla.first_reply_at.or(Some(at));
                self.sla.reply_due = None;
                self.sla.reply_breached = false;
                self.auto_close = t.auto_close.clone();
            }
            // The prompt carries on the auto-close an operator's reply started; a greeting
            // carries nothing and changes nothing.
            Effect::Automatic => {
                if t.auto_close.is_some() {
                    self.auto_close = t.auto_close.clone();
                }
            }
            Effect::Silent => {}
        }
    }
}

/// Who handles a dialog, since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignee {
    pub operator: crate::ids::OperatorId,
    pub since: Timestamp,
}

/// What happens when a message arrives for a dialog in a given state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Append it to this dialog.
    Append,
    /// The visitor writes after the dialog was closed: a new dialog starts.
    StartNew,
}

impl DialogStatus {
    /// The rule for a message arriving by `author` while the dialog is in this state.
    pub fn delivery_for(self, author: AuthorKind) -> Result<Delivery, DomainError> {
        match (self, author) {
            (Self::Open, _) => Ok(Delivery::Append),
            (Self::Closed, AuthorKind::Visitor) => Ok(Delivery::StartNew),
            (Self::Closed, _) => Err(DomainError::DialogClosed),
        }
    }

    /// Whether the dialog may be closed now; closing twice is a harmless no-op upstream.
    pub fn can_close(self) -> bool {
        matches!(self, Self::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_dialogs_refuse_operators_and_restart_for_visitors() {
        assert_eq!(DialogStatus::Open.delivery_for(AuthorKind::Operator), Ok(Delivery::Append));
        assert_eq!(DialogStatus::Open.delivery_for(AuthorKind::Visitor), Ok(Delivery::Append));
        assert_eq!(DialogStatus::Closed.delivery_for(AuthorKind::Visitor), Ok(Delivery::StartNew));
        assert_eq!(DialogStatus::Closed.delivery_for(AuthorKind::Operator), Err(DomainError::DialogClosed));
        assert!(DialogStatus::Open.can_close());
        assert!(!DialogStatus::Closed.can_close());
    }

    #[test]
    fn statuses_round_trip() {
        for s in [DialogStatus::Open, DialogStatus::Closed] {
            assert_eq!(DialogStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(DialogStatus::parse("snoozed"), None);
    }
}
