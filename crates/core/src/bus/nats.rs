//! The bus across nodes: every event is published once to NATS and every node delivers what
//! it receives to its own subscribers, so a visitor on node A and an operator on node B see
//! each other. Events go out in the order they were published on this node (one writer
//! task); clients order messages by `seq` anyway.

use super::{Bus, Delivery, LocalBus, Subscription, Topic};
use futures_util::StreamExt;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

#[derive(serde::Serialize, serde::Deserialize)]
struct Envelope {
    topics: Vec<Topic>,
    delivery: Delivery,
}

/// A [`Bus`] over NATS core publish/subscribe.
pub struct NatsBus {
    local: LocalBus,
    out: mpsc::UnboundedSender<(Vec<Topic>, Arc<Delivery>)>,
    tasks: Vec<JoinHandle<()>>,
}

impl NatsBus {
    /// Connects to `url` (`nats://127.0.0.1:4222`); events travel on `{prefix}.events`.
    pub async fn connect(url: &str, prefix: &str) -> anyhow::Result<Self> {
        let client = async_nats::connect(url).await?;
        let subject = format!("{prefix}.events");
        let mut sub = client.subscribe(subject.clone()).await?;
        // The subscription must be live on the server before the first publish.
        client.flush().await?;
        let local = LocalBus::default();
        let reader_local = local.clone();
        let reader = tokio::spawn(async move {
            while let Some(msg) = sub.next().await {
                match serde_json::from_slice::<Envelope>(&msg.payload) {
                    Ok(env) => reader_local.deliver(&env.topics, Arc::new(env.delivery)),
                    Err(e) => tracing::warn!(error = %e, "bus.nats: undecodable event"),
                }
            }
            tracing::warn!("bus.nats: subscription ended");
        });
        let (out, mut rx) = mpsc::unbounded_channel::<(Vec<Topic>, Arc<Delivery>)>();
        let writer = tokio::spawn(async move {
            while let Some((topics, event)) = rx.recv().await {
                let env = Envelope { topics, delivery: (*event).clone() };
                let payload = match serde_json::to_vec(&env) {
                    Ok(p) => p,
                    Err(e) => {
                        tracing::error!(error = %e, "bus.nats: unencodable event");
                        continue;
                    }
                };
                if let Err(e) = client.publish(subject.clone(), payload.into()).await {
                    tracing::error!(error = %e, "bus.nats: publish failed");
                }
            }
            let _ = client.flush().await;
        });
        Ok(Self { local, out, tasks: vec![reader, writer] })
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
        if self.out.send((topics.to_vec(), event)).is_err() {
            tracing::error!("bus.nats: writer stopped; event not sent");
        }
    }

    fn subscribe(&self, topic: Topic) -> Subscription {
        self.local.subscribe(topic)
    }
}
