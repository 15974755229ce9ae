//! The one place that decides who receives an event.
//!
//! Operators follow their workspace's topic and see only the events of their channels
//! (admins and supervisors see all); a visitor follows his own topic and receives only
//! messages of his dialogs and the closing of them. Internal notes (a later message
//! kind) will be left out of the visitor's topic here and nowhere else.

use crate::App;
use crate::bus::{Delivery, Topic};
use crate::views::Event;
use frontline_domain::{ChannelId, VisitorId, WorkspaceId};
use std::collections::HashSet;
use std::sync::Arc;

pub fn topics(event: &Event, workspace: WorkspaceId, visitor: VisitorId) -> Vec<Topic> {
    match event {
        Event::MessageCreated { .. } | Event::DialogClosed { .. } => {
            vec![Topic::Workspace(workspace), Topic::Visitor(visitor)]
        }
        Event::DialogCreated { .. } | Event::DialogUpdated { .. } => {
            vec![Topic::Workspace(workspace)]
        }
    }
}

/// Publishes an event about a dialog of `channel` to everyone who may see it.
pub fn publish(app: &App, event: Event, workspace: WorkspaceId, channel: ChannelId, visitor: VisitorId) {
    let topics = topics(&event, workspace, visitor);
    app.bus.publish(&topics, Arc::new(Delivery { channel: Some(channel), event }));
}

/// What an operator's socket may receive: everything for admins and supervisors (`None`),
/// else the events of his channels only.
pub fn visible_to_operator(delivery: &Delivery, channels: Option<&HashSet<ChannelId>>) -> bool {
    match (channels, delivery.channel) {
        (None, _) => true,
        (Some(mine), Some(ch)) => mine.contains(&ch),
        (Some(_), None) => false,
    }
}
