//! Telegram: bots that greet, ask the topic and hand the chat to the right queue (issue 14).
//!
//! Built so far: the Bot API port and its typed calls ([`api`]), connecting bots ([`bots`]),
//! polling ([`poller`]) and the bot stage with the hand-over and the person's messages
//! ([`inbound`]). Operators' replies do not reach Telegram yet (the outbox's Telegram jobs come
//! next), nor do files, edits, typing or webhook mode.

pub mod api;
pub mod bots;
pub mod inbound;
pub mod poller;
