//! The one place that decides who receives an event.
//!
//! Operators follow their workspace's topic and see only the events of their channels
//! (admins and supervisors see all); a visitor follows his own topic and receives only
//! messages of his dialogs meant for him and the closing of them. Lines for operators only
//! (system lines about assignment, and later internal notes) are left out of the visitor's
//! topic here and nowhere else, and what a visitor's socket receives of an event is decided
//! by [`visitor_frame`] (never the operators' view of a dialog: tags, notes, categories).

use crate::bus::{Delivery, Topic};
use crate::views::Event;
use frontline_domain::{ChannelId, VisitorId, WorkspaceId};
use std::collections::HashSet;

pub fn topics(event: &Event, workspace: WorkspaceId, visitor: VisitorId) -> Vec<Topic> {
    let both = || vec![Topic::Workspace(workspace), Topic::Visitor(visitor)];
    match event {
        Event::MessageCreated { message } | Event::MessageUpdated { message } if !message.reaches_visitor() => {
            vec![Topic::Workspace(workspace)]
        }
        Event::MessageCreated { .. } | Event::MessageUpdated { .. } | Event::DialogClosed { .. } => both(),
        // On the workspace's topic too, only so that it reaches the other nodes (which route by
        // workspace); operators' sockets pass over it (`for_operator`).
        Event::VisitorBlocked { .. } => both(),
        // The visitor sees operators type and read; operators see the visitor do so.
        Event::Typing { author, .. } if author.kind == "operator" => both(),
        Event::DialogRead { reader, .. } if reader == "operator" => both(),
        Event::DialogCreated { .. }
        | Event::DialogUpdated { .. }
        | Event::DialogWaiting { .. }
        | Event::OperatorUpdated { .. }
        | Event::Typing { .. }
        | Event::DialogRead { .. }
        | Event::Mention { .. }
        | Event::SlaBreached { .. }
        | Event::WebhookDisabled { .. }
        | Event::AccessChanged { .. } => vec![Topic::Workspace(workspace)],
    }
}

/// The frame a visitor's socket sends for an event on his topic: the event itself, except a
/// close, which he learns as a `WidgetDialogView` (whether to ask for a rating), never as the
/// operators' view of the dialog. `None`: nothing for him.
pub fn visitor_frame(event: &Event) -> Option<String> {
    match event {
        Event::DialogClosed { dialog } => Some(
            serde_json::json!({
                "type": "dialog.closed",
                "dialog": crate::views::WidgetDialogView::of_view(dialog),
            })
            .to_string(),
        ),
        Event::MessageCreated { message } if !message.reaches_visitor() => None,
        Event::MessageCreated { .. } | Event::Typing { .. } | Event::DialogRead { .. } => {
            serde_json::to_string(event).ok()
        }
        _ => None,
    }
}

/// Whether an operator's socket sends an event: a mention only to the operator it names.
pub fn for_operator(
    delivery: &Delivery,
    me: frontline_domain::OperatorId,
    channels: Option<&HashSet<ChannelId>>,
) -> bool {
    if let Event::Mention { operator_id, .. } = &delivery.event
        && *operator_id != me.0
    {
        return false;
    }
    // For the visitor's own sockets only.
    if matches!(delivery.event, Event::VisitorBlocked { .. }) {
        return false;
    }
    // A webhook switched off concerns those who oversee the workspace.
    if matches!(delivery.event, Event::WebhookDisabled { .. }) && channels.is_some() {
        return false;
    }
    // A missed SLA alerts those who oversee every channel, and the dialog's own operator.
    if let Event::SlaBreached { dialog, .. } = &delivery.event
        && channels.is_some()
        && dialog.assignee.as_ref().is_none_or(|a| a.id != me.0)
    {
        return false;
    }
    visible_to_operator(delivery, channels)
}

/// What an operator's socket may receive: everything for admins and supervisors (`None`),
/// else the events of his channels (and of a dialog just moved out of one of them) and the
/// workspace-wide ones.
pub fn visible_to_operator(delivery: &Delivery, channels: Option<&HashSet<ChannelId>>) -> bool {
    match (channels, delivery.channel) {
        (None, _) | (Some(_), None) => true,
        (Some(mine), Some(ch)) => mine.contains(&ch) || delivery.previous_channel.is_some_and(|p| mine.contains(&p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::{AuthorView, MessageView};

    fn message(audience: &str) -> Event {
        Event::MessageCreated {
            message: MessageView {
                id: uuid::Uuid::nil(),
                dialog_id: uuid::Uuid::nil(),
                seq: 1,
                client_id: "c".into(),
                author: AuthorView { kind: "system".into(), id: uuid::Uuid::nil(), name: None },
                body: String::new(),
                created_at: String::new(),
                audience: audience.into(),
                event: None,
                attachments: Vec::new(),
                mentions: Vec::new(),
                automatic: None,
                edited_at: None,
            },
        }
    }

    #[test]
    fn lines_for_operators_never_take_the_visitors_topic() {
        let (ws, v) = (WorkspaceId::new(), VisitorId::new());
        assert_eq!(topics(&message("operators"), ws, v), vec![Topic::Workspace(ws)]);
        assert_eq!(topics(&message("all"), ws, v), vec![Topic::Workspace(ws), Topic::Visitor(v)]);
    }

    #[test]
    fn the_visitor_socket_never_gets_notes_or_the_operators_view() {
        assert!(visitor_frame(&message("operators")).is_none(), "an internal note");
        assert!(visitor_frame(&message("all")).is_some());
        let typing = |kind: &str| Event::Typing {
            dialog_id: uuid::Uuid::nil(),
            author: AuthorView { kind: kind.into(), id: uuid::Uuid::nil(), name: None },
        };
        let (ws, v) = (WorkspaceId::new(), VisitorId::new());
        assert_eq!(topics(&typing("visitor"), ws, v), vec![Topic::Workspace(ws)], "his own typing is not echoed");
        assert_eq!(topics(&typing("operator"), ws, v), vec![Topic::Workspace(ws), Topic::Visitor(v)]);
        let mention = Event::Mention {
            operator_id: uuid::Uuid::nil(),
            dialog: Box::new(serde_json::from_value(dialog_json()).expect("dialog")),
            message: match message("operators") {
                Event::MessageCreated { message } => message,
                _ => unreachable!(),
            },
        };
        assert_eq!(topics(&mention, ws, v), vec![Topic::Workspace(ws)]);
        let closed = Event::DialogClosed { dialog: serde_json::from_value(dialog_json()).expect("dialog") };
        let frame = visitor_frame(&closed).expect("a close reaches him");
        assert!(frame.contains("\"close_reason\":\"operator\""), "{frame}");
        assert!(!frame.contains("секрет"), "tags, categories and the visitor card stay with operators: {frame}");
    }

    fn dialog_json() -> serde_json::Value {
        serde_json::json!({
            "id": uuid::Uuid::nil(), "number": 1, "status": "closed", "channel_id": uuid::Uuid::nil(), "tone": 0,
            "visitor": {"id": uuid::Uuid::nil(), "number": 1, "name": null, "city": null, "page_url": null,
                "email": "секрет@example.com", "phone": null, "source": "widget"},
            "last_seq": 3, "unread_count": 0, "last_message": null, "created_at": "", "updated_at": "",
            "closed_at": null, "assignee": null, "assigned_at": null, "routed_by": null, "pending_count": 0,
            "waiting_since": null, "queued_at": null, "waiting_alert": false,
            "tags": [{"id": uuid::Uuid::nil(), "name": "секрет"}], "category": null, "snoozed_until": null,
            "close_reason": "operator", "previous_dialog_id": null, "visitor_read_seq": 0, "operator_read_seq": 3,
            "rating": null, "sla": null, "auto_close": null, "origin": "visitor", "trigger": null
        })
    }

    #[test]
    fn a_moved_dialog_is_seen_once_more_by_the_channel_it_left() {
        let (old, new, other) = (ChannelId::new(), ChannelId::new(), ChannelId::new());
        let moved = Delivery::new(Some(new), Some(old), message("all"));
        let mine = |c: ChannelId| HashSet::from([c]);
        assert!(visible_to_operator(&moved, Some(&mine(old))));
        assert!(visible_to_operator(&moved, Some(&mine(new))));
        assert!(!visible_to_operator(&moved, Some(&mine(other))));
        assert!(visible_to_operator(&moved, None), "supervisors see all");
        let workspace_wide = Delivery::new(None, None, message("all"));
        assert!(visible_to_operator(&workspace_wide, Some(&mine(other))));
    }
}
