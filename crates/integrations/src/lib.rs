//! Frontline's ways out: implementations of `frontline-core`'s ports that talk to the outside
//! world: webhooks over HTTP(S), signed as the Standard Webhooks specification says, the
//! Telegram Bot API, and e-mail (SMTP and IMAP).

pub mod mail;
pub mod signature;
pub mod telegram;
pub mod webhooks;

pub use mail::SmtpImap;
pub use telegram::HttpBotApi;
pub use webhooks::HttpWebhookSender;
