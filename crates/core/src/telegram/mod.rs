//! Telegram: bots that greet, ask the topic and hand the chat to the right queue (issue 14).
//!
//! Built so far: the Bot API port and its typed calls ([`api`]), connecting bots ([`bots`]),
//! polling ([`poller`]) and the bot stage with the hand-over and the person's messages
//! ([`inbound`]), operators' messages sent through the outbox ([`outbound`]). Not yet: files,
//! albums, edits, typing. Behind https, updates come by webhook ([`bots::receive`]).

pub mod api;
pub mod bots;
pub mod inbound;
pub mod outbound;
pub mod poller;

/// A lock per bot, made when first asked for.
#[derive(Default)]
pub struct Locks(std::sync::Mutex<std::collections::HashMap<uuid::Uuid, std::sync::Arc<tokio::sync::Mutex<()>>>>);

impl Locks {
    pub fn lock(&self, bot: uuid::Uuid) -> std::sync::Arc<tokio::sync::Mutex<()>> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(bot).or_default().clone()
    }
}
