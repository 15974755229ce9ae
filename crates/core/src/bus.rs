//! The event bus: topics per workspace and per visitor, bounded queues, lag reported.
//!
//! In-process broadcast by default ([`LocalBus`]); [`crate::bus::nats`] connects nodes. Between
//! nodes an event travels as a [`Wire`]: ids and small facts, never a rendered view (no
//! visitor's name, address or message crosses NATS); the receiving node renders it again
//! from the database (`crate::publisher`). A subscriber that falls more than its topic's
//! capacity behind gets `Lagged` from `recv` and must resync; one whose bus was cut off from
//! the other nodes gets `Reconnected` when it is back and the missed events cannot be read
//! back from the log; nothing is dropped silently.

use crate::views::Event;
use frontline_domain::{ChannelId, VisitorId, WorkspaceId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;
use uuid::Uuid;

pub mod nats;

/// Who listens: operators of a workspace, or one visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Topic {
    Workspace(WorkspaceId),
    Visitor(VisitorId),
}

impl Topic {
    /// How many events a subscriber may fall behind before it must resync. Operators'
    /// sockets follow a whole workspace; a visitor's only his own dialog.
    fn capacity(self) -> usize {
        match self {
            Topic::Workspace(_) => 4096,
            Topic::Visitor(_) => 16,
        }
    }
}

/// An event and the channel of the dialog it concerns. The channel decides which operators'
/// sockets may see it (see `audience`); clients receive only the event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Delivery {
    /// `None`: an event of the whole workspace (an operator's presence), for every operator.
    pub channel: Option<ChannelId>,
    /// The channel a dialog has just left, whose operators see this event one last time.
    #[serde(default)]
    pub previous_channel: Option<ChannelId>,
    pub event: Event,
    /// The event as operators' sockets send it: encoded by the first of them, shared by the
    /// rest (a workspace's operators all receive the same frame).
    #[serde(skip)]
    frame: std::sync::OnceLock<Option<bytes::Bytes>>,
}

impl Delivery {
    pub fn new(channel: Option<ChannelId>, previous_channel: Option<ChannelId>, event: Event) -> Delivery {
        Delivery { channel, previous_channel, event, frame: std::sync::OnceLock::new() }
    }

    /// The event encoded as JSON once, for every operator's socket that sends it; `None` if it
    /// cannot be encoded (logged once).
    pub fn operator_frame(&self) -> Option<&bytes::Bytes> {
        self.frame
            .get_or_init(|| match serde_json::to_vec(&self.event) {
                Ok(v) => Some(bytes::Bytes::from(v)),
                Err(e) => {
                    tracing::error!(error = %e, "bus: unencodable event");
                    None
                }
            })
            .as_ref()
    }
}

pub trait Bus: Send + Sync + 'static {
    /// Delivers `event` to every subscriber of each topic (on every node).
    fn publish(&self, topics: &[Topic], event: Arc<Delivery>);
    fn subscribe(&self, topic: Topic) -> Subscription;
    /// What other nodes send, for the publisher to render and deliver here; `None` for a bus
    /// without other nodes. Given once.
    fn remote_feed(&self) -> Option<RemoteFeed> {
        None
    }
}

/// An event as it travels between nodes: whom it is for, and what happened, by id.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Wire {
    pub workspace: WorkspaceId,
    pub topics: Vec<Topic>,
    pub channel: Option<ChannelId>,
    #[serde(default)]
    pub previous_channel: Option<ChannelId>,
    pub fact: Fact,
}

/// What happened, small enough for the bus and free of personal data: the receiver reads
/// the rest from the database.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum Fact {
    Message {
        message: Uuid,
    },
    /// A message edited (rendered as `message.updated`).
    MessageEdited {
        message: Uuid,
    },
    Dialog {
        change: DialogChange,
        dialog: Uuid,
    },
    Operator {
        operator: Uuid,
    },
    Typing {
        dialog: Uuid,
        kind: String,
        author: Uuid,
    },
    Read {
        dialog: Uuid,
        reader: String,
        seq: i64,
    },
    Mention {
        operator: Uuid,
        dialog: Uuid,
        message: Uuid,
    },
    SlaBreached {
        dialog: Uuid,
        target: String,
        due_at: String,
    },
    AccessChanged {
        operator: Option<Uuid>,
    },
    WebhookDisabled {
        endpoint: Uuid,
    },
    VisitorBlocked {
        visitor: Uuid,
    },
}

/// Which dialog event a [`Fact::Dialog`] renders into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogChange {
    Created,
    Updated,
    Closed,
    Waiting,
}

impl Fact {
    /// The fact behind a rendered event.
    pub fn of(event: &Event) -> Fact {
        match event {
            Event::MessageCreated { message } => Fact::Message { message: message.id },
            Event::MessageUpdated { message } => Fact::MessageEdited { message: message.id },
            Event::DialogCreated { dialog } => Fact::Dialog { change: DialogChange::Created, dialog: dialog.id },
            Event::DialogUpdated { dialog } => Fact::Dialog { change: DialogChange::Updated, dialog: dialog.id },
            Event::DialogClosed { dialog } => Fact::Dialog { change: DialogChange::Closed, dialog: dialog.id },
            Event::DialogWaiting { dialog } => Fact::Dialog { change: DialogChange::Waiting, dialog: dialog.id },
            Event::OperatorUpdated { operator } => Fact::Operator { operator: operator.id },
            Event::Typing { dialog_id, author } => {
                Fact::Typing { dialog: *dialog_id, kind: author.kind.clone(), author: author.id }
            }
            Event::DialogRead { dialog_id, reader, seq } => {
                Fact::Read { dialog: *dialog_id, reader: reader.clone(), seq: *seq }
            }
            Event::Mention { operator_id, dialog, message } => {
                Fact::Mention { operator: *operator_id, dialog: dialog.id, message: message.id }
            }
            Event::SlaBreached { dialog, target, due_at } => {
                Fact::SlaBreached { dialog: dialog.id, target: target.clone(), due_at: due_at.clone() }
            }
            Event::AccessChanged { operator_id } => Fact::AccessChanged { operator: *operator_id },
            Event::WebhookDisabled { endpoint_id, .. } => Fact::WebhookDisabled { endpoint: *endpoint_id },
            Event::VisitorBlocked { visitor_id } => Fact::VisitorBlocked { visitor: *visitor_id },
        }
    }
}

/// What a node hears from the others, in order.
#[derive(Debug)]
pub enum Inbound {
    Event(Box<Wire>),
    /// The connection to the other nodes broke: from now on their events may be missed.
    Disconnected,
    /// It is back (and subscribed again): what was missed meanwhile is to be caught up.
    Reconnected,
}

/// The receiving end of a bus between nodes: what arrives, and the local subscribers to give
/// it to once rendered. `dropped` counts arrivals lost to a full inbox (then: resync).
pub struct RemoteFeed {
    pub inbox: tokio::sync::mpsc::Receiver<Inbound>,
    pub local: LocalBus,
    pub dropped: Arc<std::sync::atomic::AtomicU64>,
}

/// A live subscription; dropping it unsubscribes (and removes the topic when it was the last).
pub struct Subscription {
    /// `None` only while dropping: the receiver goes first, under the hub's lock, so the count
    /// of receivers left is exact.
    rx: Option<broadcast::Receiver<Item>>,
    hub: Option<Hub>,
    topic: Topic,
}

/// What travels in a topic's channel: an event, or the bus's word that events may have been
/// missed (it rides the same queue, so it comes after everything delivered before it).
#[derive(Clone)]
enum Item {
    Event(Arc<Delivery>),
    Resync,
}

type Hub = Arc<Mutex<HashMap<Topic, broadcast::Sender<Item>>>>;

/// Why [`Subscription::recv`] gave no event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecvError {
    /// The subscriber fell this many events behind its topic's capacity: resync.
    #[error("lagged {0} events behind")]
    Lagged(u64),
    /// The bus was cut off from the other nodes and is back: events of other nodes may have
    /// been missed meanwhile: resync.
    #[error("the bus reconnected")]
    Reconnected,
    /// The bus is gone.
    #[error("closed")]
    Closed,
}

impl Subscription {
    pub async fn recv(&mut self) -> Result<Arc<Delivery>, RecvError> {
        let Some(rx) = self.rx.as_mut() else {
            return Err(RecvError::Closed);
        };
        match rx.recv().await {
            Ok(Item::Event(delivery)) => Ok(delivery),
            Ok(Item::Resync) => Err(RecvError::Reconnected),
            Err(broadcast::error::RecvError::Lagged(missed)) => Err(RecvError::Lagged(missed)),
            Err(broadcast::error::RecvError::Closed) => Err(RecvError::Closed),
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let Some(hub) = self.hub.take() else {
            return;
        };
        let Ok(mut map) = hub.lock() else { return };
        // Our own receiver goes first; then the topic is removed only if nobody else listens.
        // (Counting with ours still alive and removing at "1" once dropped the neighbours'
        // topic: they kept a receiver of a sender nobody published to any more.)
        drop(self.rx.take());
        if map.get(&self.topic).is_some_and(|tx| tx.receiver_count() == 0) {
            map.remove(&self.topic);
        }
    }
}

/// The in-process bus: one broadcast channel per topic that has subscribers.
#[derive(Default, Clone)]
pub struct LocalBus {
    topics: Hub,
}

impl LocalBus {
    /// Delivers to this process's subscribers only.
    pub fn deliver(&self, topics: &[Topic], event: Arc<Delivery>) {
        let Ok(map) = self.topics.lock() else { return };
        for topic in topics {
            if let Some(tx) = map.get(topic) {
                // An error only means nobody listens right now.
                let _ = tx.send(Item::Event(event.clone()));
            }
        }
    }

    /// Tells every subscriber of this process that it may have missed events (their `recv`
    /// answers [`RecvError::Reconnected`] after what was delivered before).
    pub fn resync_all(&self) {
        let Ok(map) = self.topics.lock() else { return };
        for tx in map.values() {
            let _ = tx.send(Item::Resync);
        }
    }

    /// How many topics have live subscribers (for tests and metrics).
    pub fn live_topics(&self) -> usize {
        self.topics.lock().map(|m| m.len()).unwrap_or(0)
    }
}

impl Bus for LocalBus {
    fn publish(&self, topics: &[Topic], event: Arc<Delivery>) {
        self.deliver(topics, event);
    }

    fn subscribe(&self, topic: Topic) -> Subscription {
        let rx = match self.topics.lock() {
            Ok(mut map) => map.entry(topic).or_insert_with(|| broadcast::channel(topic.capacity()).0).subscribe(),
            // A poisoned lock means a panic elsewhere; give a receiver that reports closed.
            Err(_) => broadcast::channel(1).1,
        };
        Subscription { rx: Some(rx), hub: Some(self.topics.clone()), topic }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::{AuthorView, MessageView};

    fn event(seq: i64) -> Arc<Delivery> {
        Arc::new(Delivery::new(
            None,
            None,
            Event::MessageCreated {
                message: MessageView {
                    id: Uuid::nil(),
                    dialog_id: Uuid::nil(),
                    seq,
                    client_id: "c".into(),
                    author: AuthorView { kind: "visitor".into(), id: Uuid::nil(), name: None },
                    body: "x".into(),
                    created_at: String::new(),
                    audience: "all".into(),
                    event: None,
                    attachments: Vec::new(),
                    mentions: Vec::new(),
                    automatic: None,
                    edited_at: None,
                },
            },
        ))
    }

    #[tokio::test]
    async fn topics_are_separate_and_cleaned_up() {
        let bus = LocalBus::default();
        let (a, b) = (VisitorId::new(), VisitorId::new());
        let mut sa = bus.subscribe(Topic::Visitor(a));
        let mut sb = bus.subscribe(Topic::Visitor(b));
        bus.publish(&[Topic::Visitor(a)], event(1));
        assert_eq!(sa.recv().await.ok(), Some(event(1)));
        assert!(tokio::time::timeout(std::time::Duration::from_millis(20), sb.recv()).await.is_err());
        assert_eq!(bus.live_topics(), 2);
        drop(sa);
        drop(sb);
        assert_eq!(bus.live_topics(), 0);
    }

    #[tokio::test]
    async fn closing_one_subscription_leaves_its_neighbours_listening() {
        let bus = LocalBus::default();
        let ws = WorkspaceId::new();
        let first = bus.subscribe(Topic::Workspace(ws));
        let mut second = bus.subscribe(Topic::Workspace(ws));
        drop(first);
        assert_eq!(bus.live_topics(), 1);
        bus.publish(&[Topic::Workspace(ws)], event(7));
        let got = tokio::time::timeout(std::time::Duration::from_secs(1), second.recv()).await;
        assert_eq!(got.ok().and_then(|r| r.ok()), Some(event(7)), "the neighbour still receives");
        // A third tab after that still shares the topic with the second.
        let mut third = bus.subscribe(Topic::Workspace(ws));
        bus.publish(&[Topic::Workspace(ws)], event(8));
        assert_eq!(second.recv().await.ok(), Some(event(8)));
        assert_eq!(third.recv().await.ok(), Some(event(8)));
        drop(second);
        drop(third);
        assert_eq!(bus.live_topics(), 0);
    }

    #[tokio::test]
    async fn a_slow_subscriber_is_told_it_lagged() {
        let bus = LocalBus::default();
        let v = VisitorId::new();
        let mut s = bus.subscribe(Topic::Visitor(v));
        for i in 0..40 {
            bus.publish(&[Topic::Visitor(v)], event(i));
        }
        assert!(matches!(s.recv().await, Err(RecvError::Lagged(_))));
    }

    #[tokio::test]
    async fn a_resync_reaches_every_subscriber_after_what_came_before() {
        let bus = LocalBus::default();
        let (v, ws) = (VisitorId::new(), WorkspaceId::new());
        let mut visitor = bus.subscribe(Topic::Visitor(v));
        let mut operators = bus.subscribe(Topic::Workspace(ws));
        bus.publish(&[Topic::Visitor(v)], event(1));
        bus.resync_all();
        bus.publish(&[Topic::Visitor(v)], event(2));
        assert_eq!(visitor.recv().await.ok(), Some(event(1)));
        assert_eq!(visitor.recv().await, Err(RecvError::Reconnected));
        assert_eq!(visitor.recv().await.ok(), Some(event(2)));
        assert_eq!(operators.recv().await, Err(RecvError::Reconnected));
    }
}
