//! Telegram: bots that greet, ask the topic and hand the chat to the right queue (issue 14).
//!
//! Built so far: the Bot API port and its typed calls ([`api`]), connecting bots ([`bots`]),
//! polling ([`poller`]) and the bot stage with the hand-over and the person's messages
//! ([`inbound`]), operators' messages sent through the outbox ([`outbound`]). Not yet: files,
//! albums, edits, typing, webhook mode.

pub mod api;
pub mod bots;
pub mod inbound;
pub mod outbound;
pub mod poller;
