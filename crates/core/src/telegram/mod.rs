//! Telegram: bots that greet, ask the topic and hand the chat to the right queue (issue 14).
//!
//! Built so far: the Bot API port and its typed calls ([`api`]). The bot stage, polling and
//! webhooks, and sending through the outbox come next.

pub mod api;
