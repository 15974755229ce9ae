//! The bus across nodes: every event is delivered at once to this node's own subscribers and
//! published once to NATS as a [`Wire`] (ids and small facts); every node hands what it
//! receives from the others to its publisher (`crate::publisher`), which renders the events
//! from the database and delivers them to its own subscribers. So a visitor on node A and an
//! operator on node B see each other, and no personal data travels through NATS.
//!
//! What stays true:
//! - Local delivery never waits for NATS: the connection is made with `no_echo`, so a node
//!   does not get its own events back, and a visitor and an operator on one node go on
//!   talking while NATS is unreachable.
//! - Events go out to NATS in the order they were published on this node (one writer task);
//!   while NATS is away they wait in the client and leave after the reconnect.
//! - Each workspace's events travel on a subject of its own, `{prefix}.ws.{workspace id}`
//!   (events for one visitor's topic alone on `{prefix}.v.{visitor id}`); a node listens to
//!   `{prefix}.>`. NATS can then route, meter and permit per workspace; a node that serves a
//!   subset of workspaces can narrow its subscription without changing the senders.
//! - What other nodes published while this node was cut off does not arrive; the publisher is
//!   told when the connection broke and when it is back (async-nats reconnects by itself;
//!   pings every few seconds notice a silent break), and reads what it missed from the log.

use super::{Bus, Delivery, Fact, Inbound, LocalBus, RemoteFeed, Subscription, Topic, Wire};
use futures_util::StreamExt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How many arrivals may wait for the publisher before they are counted as lost (and the
/// sockets told to resync).
const INBOX: usize = 16_384;

/// A [`Bus`] over NATS core publish/subscribe.
pub struct NatsBus {
    local: LocalBus,
    out: mpsc::UnboundedSender<(Vec<Topic>, Arc<Delivery>)>,
    feed: Mutex<Option<RemoteFeed>>,
    tasks: Vec<JoinHandle<()>>,
}

impl NatsBus {
    /// Connects to `url` (`nats://127.0.0.1:4222`); events travel on `{prefix}.ws.{id}`.
    pub async fn connect(url: &str, prefix: &str) -> anyhow::Result<Self> {
        // The client reports its connection's ups and downs through a callback; the watcher
        // task below acts on them (it needs the client, which the callback cannot hold).
        let (events_tx, mut events) = mpsc::unbounded_channel::<async_nats::Event>();
        let client = async_nats::ConnectOptions::new()
            .no_echo()
            .ping_interval(Duration::from_secs(5))
            .event_callback(move |event| {
                let events_tx = events_tx.clone();
                async move {
                    let _ = events_tx.send(event);
                }
            })
            .connect(url)
            .await?;
        let prefix = prefix.to_owned();
        let mut sub = client.subscribe(format!("{prefix}.>")).await?;
        // The subscription must be live on the server before the first publish.
        client.flush().await?;
        let local = LocalBus::default();
        let (inbox_tx, inbox) = mpsc::channel::<Inbound>(INBOX);
        let dropped = Arc::new(AtomicU64::new(0));
        let hand = {
            let (tx, dropped) = (inbox_tx.clone(), dropped.clone());
            move |item: Inbound| {
                if tx.try_send(item).is_err() {
                    dropped.fetch_add(1, Ordering::Relaxed);
                }
            }
        };
        let reader_hand = hand.clone();
        let reader = tokio::spawn(async move {
            while let Some(msg) = sub.next().await {
                match serde_json::from_slice::<Wire>(&msg.payload) {
                    Ok(wire) => reader_hand(Inbound::Event(Box::new(wire))),
                    Err(e) => tracing::warn!(error = %e, "bus.nats: undecodable event"),
                }
            }
            tracing::warn!("bus.nats: subscription ended");
        });
        let watcher_client = client.clone();
        let watcher = tokio::spawn(async move {
            let mut cut_off = false;
            while let Some(event) = events.recv().await {
                match event {
                    async_nats::Event::Disconnected => {
                        cut_off = true;
                        tracing::warn!("bus.nats: disconnected; events of other nodes do not arrive");
                        hand(Inbound::Disconnected);
                    }
                    async_nats::Event::Connected if cut_off => {
                        cut_off = false;
                        // The client subscribes again on reconnect; a flush is a round trip
                        // behind that, so when it returns the other nodes' events flow again
                        // and what the log holds from before covers the gap.
                        if let Err(e) = watcher_client.flush().await {
                            tracing::warn!(error = %e, "bus.nats: flush after reconnect failed");
                        }
                        tracing::info!("bus.nats: reconnected");
                        hand(Inbound::Reconnected);
                    }
                    _ => {}
                }
            }
        });
        let (out, mut rx) = mpsc::unbounded_channel::<(Vec<Topic>, Arc<Delivery>)>();
        let writer = tokio::spawn(async move {
            while let Some((topics, delivery)) = rx.recv().await {
                let Some(wire) = wire(topics, &delivery) else {
                    tracing::error!("bus.nats: an event without a workspace is not sent to other nodes");
                    continue;
                };
                let payload = match serde_json::to_vec(&wire) {
                    Ok(p) => p,
                    Err(e) => {
                        tracing::error!(error = %e, "bus.nats: unencodable event");
                        continue;
                    }
                };
                if let Err(e) = client.publish(subject(&prefix, &wire.topics), payload.into()).await {
                    tracing::error!(error = %e, "bus.nats: publish failed");
                }
            }
            let _ = client.flush().await;
        });
        let feed = RemoteFeed { inbox, local: local.clone(), dropped };
        Ok(Self { local, out, feed: Mutex::new(Some(feed)), tasks: vec![reader, watcher, writer] })
    }
}

/// What of a delivery goes to the other nodes.
fn wire(topics: Vec<Topic>, delivery: &Delivery) -> Option<Wire> {
    let workspace = topics.iter().find_map(|t| if let Topic::Workspace(w) = t { Some(*w) } else { None })?;
    Some(Wire {
        workspace,
        topics,
        channel: delivery.channel,
        previous_channel: delivery.previous_channel,
        fact: Fact::of(&delivery.event),
    })
}

/// The subject an event travels on: its workspace's, or (an event for one visitor alone) his.
fn subject(prefix: &str, topics: &[Topic]) -> String {
    let workspace = topics.iter().find_map(|t| if let Topic::Workspace(w) = t { Some(*w) } else { None });
    match (workspace, topics.first()) {
        (Some(w), _) => format!("{prefix}.ws.{}", w.0.simple()),
        (None, Some(Topic::Visitor(v))) => format!("{prefix}.v.{}", v.0.simple()),
        _ => format!("{prefix}.none"),
    }
}

impl Drop for NatsBus {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl Bus for NatsBus {
    fn publish(&self, topics: &[Topic], event: Arc<Delivery>) {
        self.local.deliver(topics, event.clone());
        if self.out.send((topics.to_vec(), event)).is_err() {
            tracing::error!("bus.nats: writer stopped; event not sent to other nodes");
        }
    }

    fn subscribe(&self, topic: Topic) -> Subscription {
        self.local.subscribe(topic)
    }

    fn remote_feed(&self) -> Option<RemoteFeed> {
        self.feed.lock().ok()?.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_domain::{VisitorId, WorkspaceId};

    #[test]
    fn each_workspace_has_its_subject() {
        let (w, v) = (WorkspaceId::new(), VisitorId::new());
        let ws = format!("fl.ws.{}", w.0.simple());
        assert_eq!(subject("fl", &[Topic::Workspace(w), Topic::Visitor(v)]), ws);
        assert_eq!(subject("fl", &[Topic::Visitor(v), Topic::Workspace(w)]), ws);
        assert_eq!(subject("fl", &[Topic::Visitor(v)]), format!("fl.v.{}", v.0.simple()));
        assert_ne!(subject("fl", &[Topic::Workspace(WorkspaceId::new())]), ws);
    }
}
