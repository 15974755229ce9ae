//! The event log's vocabulary: the kinds of change recorded, who made them, and the catalogue
//! webhooks subscribe to.
//!
//! A kind is a dotted name (`dialog.assigned`); the same names are used in the log, on the
//! bus and in webhook payloads, so a consumer learns them once.

use uuid::Uuid;

/// What happened. The log holds only these; a name outside the list is refused wherever a
/// person or a program names a kind (a webhook's subscription).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    DialogCreated,
    DialogAssigned,
    DialogUnassigned,
    DialogTransferred,
    DialogClosed,
    DialogReopened,
    DialogSnoozed,
    DialogUnsnoozed,
    DialogLabelsChanged,
    MessageCreated,
    MessageEdited,
    NoteCreated,
    VisitorUpdated,
    RatingCreated,
    SlaBreached,
    OperatorPresenceChanged,
    OperatorUpdated,
    OperatorMembershipChanged,
    /// A filled escalation form made a ticket (one event per ticket: the department's and the
    /// client's).
    TicketCreated,
    /// A ticket's status changed, or the department answered it by mail.
    TicketUpdated,
    /// Sent by an admin's "test" button; never written by a change.
    WebhookTest,
}

impl EventKind {
    /// Every kind, in the catalogue's order.
    pub const ALL: [EventKind; 21] = [
        EventKind::DialogCreated,
        EventKind::DialogAssigned,
        EventKind::DialogUnassigned,
        EventKind::DialogTransferred,
        EventKind::DialogClosed,
        EventKind::DialogReopened,
        EventKind::DialogSnoozed,
        EventKind::DialogUnsnoozed,
        EventKind::DialogLabelsChanged,
        EventKind::MessageCreated,
        EventKind::MessageEdited,
        EventKind::NoteCreated,
        EventKind::VisitorUpdated,
        EventKind::RatingCreated,
        EventKind::SlaBreached,
        EventKind::OperatorPresenceChanged,
        EventKind::OperatorUpdated,
        EventKind::OperatorMembershipChanged,
        EventKind::TicketCreated,
        EventKind::TicketUpdated,
        EventKind::WebhookTest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::DialogCreated => "dialog.created",
            EventKind::DialogAssigned => "dialog.assigned",
            EventKind::DialogUnassigned => "dialog.unassigned",
            EventKind::DialogTransferred => "dialog.transferred",
            EventKind::DialogClosed => "dialog.closed",
            EventKind::DialogReopened => "dialog.reopened",
            EventKind::DialogSnoozed => "dialog.snoozed",
            EventKind::DialogUnsnoozed => "dialog.unsnoozed",
            EventKind::DialogLabelsChanged => "dialog.labels_changed",
            EventKind::MessageCreated => "message.created",
            EventKind::MessageEdited => "message.edited",
            EventKind::NoteCreated => "note.created",
            EventKind::VisitorUpdated => "visitor.updated",
            EventKind::RatingCreated => "rating.created",
            EventKind::SlaBreached => "sla.breached",
            EventKind::OperatorPresenceChanged => "operator.presence_changed",
            EventKind::OperatorUpdated => "operator.updated",
            EventKind::OperatorMembershipChanged => "operator.membership_changed",
            EventKind::TicketCreated => "ticket.created",
            EventKind::TicketUpdated => "ticket.updated",
            EventKind::WebhookTest => "webhook.test",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// One line for the catalogue (English; the console has its own translations).
    pub fn description(self) -> &'static str {
        match self {
            EventKind::DialogCreated => {
                "A dialog began (the visitor's first message, a proactive answer, an offline request)."
            }
            EventKind::DialogAssigned => "A dialog was given to an operator (accepted, assigned, auto-assigned).",
            EventKind::DialogUnassigned => "A dialog went back to its channel's queue.",
            EventKind::DialogTransferred => "A dialog moved to another channel.",
            EventKind::DialogClosed => "A dialog was closed, with the reason.",
            EventKind::DialogReopened => "A closed dialog was opened again.",
            EventKind::DialogSnoozed => "A dialog was snoozed until a time.",
            EventKind::DialogUnsnoozed => "A snoozed dialog woke (its time came, or someone woke it).",
            EventKind::DialogLabelsChanged => "A dialog's tags, category or custom fields changed.",
            EventKind::MessageCreated => "A message the visitor sees: his own, an operator's, or an automatic line.",
            EventKind::MessageEdited => {
                "A visitor edited his message where he wrote it (Telegram); the earlier text is kept."
            }
            EventKind::NoteCreated => "An internal note (operators only; sent outside only to endpoints that ask).",
            EventKind::VisitorUpdated => "A visitor's name or contacts changed.",
            EventKind::RatingCreated => "A visitor rated a closed dialog.",
            EventKind::SlaBreached => "An SLA target was missed.",
            EventKind::OperatorPresenceChanged => "An operator went online, away or offline.",
            EventKind::OperatorUpdated => "An operator's name, role, capacity or status changed.",
            EventKind::OperatorMembershipChanged => "A channel's members changed.",
            EventKind::TicketCreated => "A filled escalation form made a ticket (the department's or the client's).",
            EventKind::TicketUpdated => "A ticket's status changed, or the department answered it by mail.",
            EventKind::WebhookTest => "A test delivery an admin asked for.",
        }
    }

    /// Whether events of this kind concern one dialog (and go in its order).
    pub fn is_dialog(self) -> bool {
        matches!(
            self,
            EventKind::DialogCreated
                | EventKind::DialogAssigned
                | EventKind::DialogUnassigned
                | EventKind::DialogTransferred
                | EventKind::DialogClosed
                | EventKind::DialogReopened
                | EventKind::DialogSnoozed
                | EventKind::DialogUnsnoozed
                | EventKind::DialogLabelsChanged
                | EventKind::MessageCreated
                | EventKind::MessageEdited
                | EventKind::NoteCreated
                | EventKind::RatingCreated
                | EventKind::SlaBreached
                | EventKind::TicketCreated
                | EventKind::TicketUpdated
        )
    }
}

/// Who made a change: a visitor, an operator, or Frontline itself (timers, automation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Visitor,
    Operator,
    System,
    /// A Web API key (its id): the site's backend.
    ApiKey,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Visitor => "visitor",
            ActorKind::Operator => "operator",
            ActorKind::System => "system",
            ActorKind::ApiKey => "api_key",
        }
    }

    pub fn parse(s: &str) -> Option<ActorKind> {
        match s {
            "visitor" => Some(ActorKind::Visitor),
            "operator" => Some(ActorKind::Operator),
            "system" => Some(ActorKind::System),
            "api_key" => Some(ActorKind::ApiKey),
            _ => None,
        }
    }
}

/// The actor of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: Option<Uuid>,
}

impl Actor {
    pub const SYSTEM: Actor = Actor { kind: ActorKind::System, id: None };

    pub fn operator(id: crate::OperatorId) -> Actor {
        Actor { kind: ActorKind::Operator, id: Some(id.0) }
    }

    pub fn visitor(id: crate::VisitorId) -> Actor {
        Actor { kind: ActorKind::Visitor, id: Some(id.0) }
    }

    pub fn api_key(id: Uuid) -> Actor {
        Actor { kind: ActorKind::ApiKey, id: Some(id) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_parses_back_and_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
            assert!(seen.insert(k.as_str()), "{} twice", k.as_str());
            assert!(k.as_str().contains('.'));
        }
        assert_eq!(EventKind::parse("dialog.nope"), None);
    }
}
