//! Frontline's ways out: implementations of `frontline-core`'s ports that talk to the outside
//! world: webhooks over HTTP(S), signed as the Standard Webhooks specification says, the
//! Telegram Bot API, e-mail (SMTP and IMAP), and files kept in an S3-compatible bucket.

pub mod mail;
pub mod s3;
pub mod signature;
pub mod telegram;
pub mod webhooks;

pub use mail::SmtpImap;
pub use s3::{S3Config, S3Storage};
pub use telegram::HttpBotApi;
pub use webhooks::HttpWebhookSender;
