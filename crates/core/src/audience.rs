//! The one place that decides who receives an event.
//!
//! Operators follow their workspace's topic; a visitor follows his own topic and receives
//! only messages of his dialogs and the closing of them. Internal notes (a later message
//! kind) will be left out of the visitor's topic here and nowhere else.

use crate::bus::Topic;
use crate::views::Event;
use frontline_domain::{VisitorId, WorkspaceId};

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
