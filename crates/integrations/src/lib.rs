//! Frontline's ways out: implementations of `frontline-core`'s ports that talk to the outside
//! world: webhooks over HTTP(S), signed as the Standard Webhooks specification says, and the
//! Telegram Bot API.

pub mod signature;
pub mod telegram;
pub mod webhooks;

pub use telegram::HttpBotApi;
pub use webhooks::HttpWebhookSender;
