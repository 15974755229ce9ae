//! E-mail (issue 15): the port the mail channel stands on. `frontline-integrations` speaks
//! SMTP (sending) and IMAP (reading a mailbox by UID, so a position of UIDVALIDITY and the last
//! UID read means nothing is read twice and nothing skipped after downtime), and parses MIME.
//!
//! Built so far: the port, its types and the real client against real servers on loopback;
//! the workspace's mail setup with its test ([`settings`]); mail as a channel ([`channel`]).
//! Not yet: continuity for widget visitors, reply tokens, notifications and escalation forms
//! (docs/email.md).

pub mod channel;
pub mod followup;
pub mod notices;
pub mod reply;
pub mod settings;

/// How a connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Security {
    /// Plain text (loopback and tests only).
    #[serde(rename = "none")]
    None,
    /// Plain, then STARTTLS before anything is sent (SMTP submission on 587).
    #[serde(rename = "starttls")]
    StartTls,
    /// TLS from the first byte (SMTPS 465, IMAPS 993).
    #[serde(rename = "tls")]
    Tls,
}

/// A mail server and the account on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailServer {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Empty: no login (SMTP relays that trust the address).
    pub username: String,
    pub password: String,
}

/// A name and an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub name: Option<String>,
    pub email: String,
}

impl Address {
    pub fn new(email: &str) -> Self {
        Self { name: None, email: email.to_owned() }
    }

    /// The domain of the address (what Message-IDs of mail from it end with).
    pub fn domain(&self) -> &str {
        self.email.rsplit_once('@').map_or("frontline", |(_, d)| d)
    }
}

/// `In-Reply-To` and `References` for a new mail in a thread (its Message-IDs, oldest first):
/// the newest, and the last ten.
pub fn threading(thread: &[String]) -> (Option<String>, Vec<String>) {
    (thread.last().cloned(), thread[thread.len().saturating_sub(10)..].to_vec())
}

/// What an outbox job does after a mail did not go: a permanent refusal ends it, anything else
/// is tried again on the outbox's schedule.
pub(crate) fn send_failure(e: MailError) -> crate::telegram::outbound::Failure {
    use crate::telegram::outbound::Failure;
    match e {
        MailError::Refused { permanent: true, reason } => Failure::Final(reason, None),
        other => Failure::Later(other.to_string(), None),
    }
}

/// A file of a mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub from: Address,
    pub to: Vec<Address>,
    pub reply_to: Option<Address>,
    pub subject: String,
    pub text: String,
    /// Without angle brackets: `abc@host`.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// `Auto-Submitted: auto-generated` (RFC 3834) on mail no person wrote.
    pub auto_submitted: bool,
    pub files: Vec<MailFile>,
}

/// Mail read from a mailbox after a UID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The mailbox's UIDVALIDITY: when it changes, UIDs start over.
    pub uid_validity: u32,
    /// `(uid, the mail as sent)`, in UID order, each above the asked UID.
    pub mails: Vec<(u32, Vec<u8>)>,
}

/// A mail as the channel reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedMail {
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub from: Option<Address>,
    /// Whom it was sent to: its To and Cc, and the address the server delivered it to.
    pub to: Vec<Address>,
    pub subject: String,
    /// The text part (or the HTML part as text).
    pub text: String,
    /// Written by a program, not a person (RFC 3834 `Auto-Submitted`, `Precedence:
    /// bulk/list/junk`, an empty `Return-Path`): out-of-office replies, bounces, lists.
    pub automatic: bool,
    pub files: Vec<MailFile>,
}

/// Why mail did not go or could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MailError {
    /// The server answered no: permanently (5xx: a wrong address, a refused login) or for now
    /// (4xx: try again later).
    #[error("the mail server refused ({}): {reason}", if *permanent { "permanently" } else { "for now" })]
    Refused { permanent: bool, reason: String },
    /// No server, no answer, or not a mail server's answer.
    #[error("the mail server is out of reach: {0}")]
    Unreachable(String),
}

/// SMTP and IMAP.
#[async_trait::async_trait]
pub trait MailPort: Send + Sync {
    async fn send(&self, smtp: &MailServer, mail: &OutgoingMail) -> Result<(), MailError>;
    /// Up to `limit` mails of `mailbox` with a UID above `after_uid`.
    async fn fetch(&self, imap: &MailServer, mailbox: &str, after_uid: u32, limit: u32) -> Result<Fetched, MailError>;
    /// Where the mailbox stands now: its UIDVALIDITY and the newest UID (0: empty).
    async fn position(&self, imap: &MailServer, mailbox: &str) -> Result<(u32, u32), MailError>;
    /// Reads a mail; `None` when it is not one.
    fn parse(&self, raw: &[u8]) -> Option<ParsedMail>;
    /// Waits in the mailbox (IMAP IDLE) until the server tells of a change (`true`: read it now)
    /// or `max` passes (`false`); `Refused` when the server offers no IDLE.
    async fn wait(&self, _imap: &MailServer, _mailbox: &str, _max: std::time::Duration) -> Result<bool, MailError> {
        Err(MailError::Refused { permanent: true, reason: "no IDLE".into() })
    }
}

/// The port of an app built without one: nothing goes, nothing is read.
pub struct NoMail;

#[async_trait::async_trait]
impl MailPort for NoMail {
    async fn send(&self, _: &MailServer, _: &OutgoingMail) -> Result<(), MailError> {
        Err(MailError::Unreachable("this server has no mail client".into()))
    }
    async fn fetch(&self, _: &MailServer, _: &str, _: u32, _: u32) -> Result<Fetched, MailError> {
        Err(MailError::Unreachable("this server has no mail client".into()))
    }
    async fn position(&self, _: &MailServer, _: &str) -> Result<(u32, u32), MailError> {
        Err(MailError::Unreachable("this server has no mail client".into()))
    }
    fn parse(&self, _: &[u8]) -> Option<ParsedMail> {
        None
    }
}
