//! Frontline's ways out: implementations of `frontline-core`'s ports that talk to the outside
//! world. Today: webhooks over HTTP(S), signed as the Standard Webhooks specification says.

pub mod signature;
pub mod webhooks;

pub use webhooks::HttpWebhookSender;
