//! Frontline's use cases: one function per user action, each taking a role-scoped actor,
//! applying domain rules, writing in one store call, and publishing the events it caused to
//! the bus after the commit (never from the store).

pub mod actor;
pub mod assignment;
pub mod audience;
pub mod auth;
pub mod automation;
pub mod bus;
pub mod cache;
pub mod channels;
pub mod clock;
pub mod contacts;
pub mod conversation;
pub mod demo;
pub mod dialogs;
mod error;
pub mod exports;
pub mod fields;
pub mod files;
pub mod forms;
pub mod identity;
pub mod invitations;
pub mod labels;
pub mod leads;
pub mod limits;
pub mod mail;
pub mod metrics;
pub mod moderation;
pub mod operators;
pub mod outbox;
pub mod passwords;
pub mod presence;
pub mod profile;
pub mod publisher;
pub mod quality;
pub mod reads;
pub mod replies;
pub mod reports;
pub mod routing;
pub mod scheduler;
pub mod sealing;
pub mod segments;
pub mod sites;
pub mod telegram;
pub mod tokens;
pub mod triggers;
pub mod views;
pub mod visitors;
pub mod webhooks;
pub mod widget;
pub mod workspaces;

pub use clock::{Clock, FakeClock, SystemClock};
pub use error::CoreError;

use frontline_store::Store;
use metrics::Metrics;
use std::sync::Arc;

/// Tunables of the use cases, from the server's configuration.
#[derive(Debug, Clone)]
pub struct CoreConfig {
    /// Longest message, in characters.
    pub message_limit: usize,
    /// How long a console login lasts.
    pub session_ttl_ms: i64,
    /// A session unused this long ends (an open console keeps it in use).
    pub session_idle_ms: i64,
    /// argon2id memory cost in KiB and iterations. Tests use small (but real) values.
    pub argon2_m_kib: u32,
    pub argon2_t: u32,
    /// How long an operator stays online after his last socket is gone.
    pub presence_grace_ms: i64,
    /// How often the scheduler looks for due work.
    pub scheduler_tick_ms: i64,
    /// How long a node keeps a workspace's routing rules before reading them again (changes
    /// made on this node apply at once).
    pub routing_cache_ms: i64,
    /// What uploads may be, and the folder they are received into and (without object
    /// storage, see [`App::with_file_storage`]) kept in (`None`: uploads are refused).
    pub uploads: files::UploadLimits,
    pub files_dir: Option<std::path::PathBuf>,
    /// Rate limits of sign-in and the public widget.
    pub limits: limits::RateLimits,
    /// How often the outbox worker looks for due jobs when nothing woke it.
    pub outbox_tick_ms: i64,
    /// How often the support mailboxes are read for new mail.
    pub mail_read_ms: i64,
    /// How long the event log keeps events (and finished outbox jobs).
    pub event_retention_ms: i64,
    /// How long a visitor's events stay in his timeline (their counts stay).
    pub visitor_event_retention_ms: i64,
    /// Whether webhooks may call loopback, private and link-local addresses.
    pub webhooks_allow_private: bool,
    /// Webhook endpoints per workspace.
    pub webhook_limit: u32,
    /// Seals secrets kept at rest (bot tokens); `None`: connecting a bot is refused.
    pub seal_key: Option<sealing::SealKey>,
    /// Where this server is reached from outside (`https://chat.example.com`): with https,
    /// Telegram posts updates there (a webhook) instead of being polled.
    pub public_url: Option<String>,
}

impl App {
    /// Counts one use of `limit` by `key` now, or refuses with how long to wait.
    pub fn limit(&self, limit: limits::Limit, key: &str, cost: u64) -> Result<(), CoreError> {
        self.limiter.hit(&self.config.limits, limit, key, cost, self.clock.now().0)
    }
}

impl Default for CoreConfig {
    fn default() -> Self {
        Self {
            message_limit: frontline_domain::MessageBody::DEFAULT_LIMIT,
            session_ttl_ms: 30 * 24 * 3600 * 1000,
            session_idle_ms: 12 * 3600 * 1000,
            // OWASP's equal-strength choices for argon2id include 19 MiB × 2 passes and
            // 7 MiB × 5 passes. We take the smaller memory: glibc keeps a freed block of that
            // size in the heap, so the larger one would add ~20 MB to an idle server's RSS.
            argon2_m_kib: 7 * 1024,
            argon2_t: 5,
            presence_grace_ms: 60_000,
            scheduler_tick_ms: 1_000,
            routing_cache_ms: 5_000,
            uploads: files::UploadLimits::default(),
            files_dir: None,
            limits: limits::RateLimits::default(),
            outbox_tick_ms: 1_000,
            mail_read_ms: 10_000,
            event_retention_ms: 30 * 24 * 3600 * 1000,
            visitor_event_retention_ms: 365 * 24 * 3600 * 1000,
            webhooks_allow_private: false,
            webhook_limit: 20,
            seal_key: None,
            public_url: None,
        }
    }
}

/// Everything a use case needs, shared by all requests.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub bus: Arc<dyn bus::Bus>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<CoreConfig>,
    pub metrics: Arc<Metrics>,
    /// Operators with a socket on this node (their presence heartbeat).
    pub sockets: Arc<scheduler::Sockets>,
    pub routing: Arc<routing::RulesCache>,
    /// Operators' display names as last read, for events on the message path (which does
    /// not read the operators table).
    pub names: Arc<std::sync::Mutex<std::collections::HashMap<frontline_domain::OperatorId, String>>>,
    /// When this node last noted each site's widget as seen.
    pub seen_marks: Arc<sites::SeenMarks>,
    /// Names of tags and categories as last read, for the same reason.
    pub labels: Arc<std::sync::Mutex<views::Labels>>,
    /// Channels' automation as last read.
    pub automation: Arc<automation::AutomationCache>,
    /// This node's rate-limit counters.
    pub limiter: Arc<limits::Limiter>,
    /// When this node last marked each session used (it writes at most once a minute each).
    pub session_touches: Arc<std::sync::Mutex<std::collections::HashMap<Vec<u8>, i64>>>,
    /// How webhooks leave the server.
    pub webhooks: Arc<dyn outbox::WebhookSender>,
    /// Wakes the outbox worker after this node committed a change.
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// Whether some endpoint is enabled (as the worker last read it, or set at once when one is
    /// made or switched on here): without one, a commit does not wake the worker.
    pub webhooks_exist: Arc<std::sync::atomic::AtomicBool>,
    /// How Telegram is reached.
    pub telegram: Arc<dyn telegram::api::BotApi>,
    /// How mail is sent and read.
    pub mail: Arc<dyn mail::MailPort>,
    /// Where the bytes of files are kept.
    pub file_storage: Arc<dyn files::FileStorage>,
    /// This node's id in leases (a bot's poll or handling).
    pub node: uuid::Uuid,
    /// One handler at a time per bot on this node (updates posted by webhook).
    pub telegram_locks: Arc<telegram::Locks>,
    /// Albums arriving in parts (see `telegram::inbound`).
    pub telegram_albums: Arc<telegram::inbound::Albums>,
    /// Telegram's pace for this node's sends.
    pub telegram_pacer: Arc<telegram::outbound::Pacer>,
    /// When "typing…" last went to each dialog's Telegram chat from this node.
    pub telegram_typing: Arc<std::sync::Mutex<std::collections::HashMap<frontline_domain::DialogId, i64>>>,
    /// Whether each workspace had a live visitor block when last read (see `moderation`).
    pub block_hints: Arc<moderation::BlockHints>,
    /// Workspaces' suspension as last read, for open sockets' periodic check.
    pub suspensions: Arc<reads::SuspensionCache>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, bus: Arc<dyn bus::Bus>, clock: Arc<dyn Clock>, config: CoreConfig) -> Self {
        let folder = config.files_dir.clone().unwrap_or_default();
        Self {
            store,
            bus,
            clock,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            sockets: Arc::default(),
            routing: Arc::default(),
            names: Arc::default(),
            seen_marks: Arc::default(),
            labels: Arc::default(),
            automation: Arc::default(),
            limiter: Arc::default(),
            session_touches: Arc::default(),
            webhooks: Arc::new(outbox::NoSender),
            outbox_wake: Arc::default(),
            webhooks_exist: Arc::new(std::sync::atomic::AtomicBool::new(true)),
            telegram: Arc::new(telegram::api::NoBotApi),
            mail: Arc::new(mail::NoMail),
            file_storage: Arc::new(files::Folder::new(folder)),
            node: uuid::Uuid::now_v7(),
            telegram_locks: Arc::default(),
            telegram_albums: Arc::default(),
            telegram_pacer: Arc::default(),
            telegram_typing: Arc::default(),
            block_hints: Arc::default(),
            suspensions: Arc::default(),
        }
    }

    /// Wakes the outbox worker when a change may have written jobs for it.
    pub fn wake_outbox(&self) {
        if self.webhooks_exist.load(std::sync::atomic::Ordering::Relaxed) {
            self.outbox_wake.notify_one();
        }
    }

    /// The same app with `sender` delivering its webhooks.
    pub fn with_webhook_sender(mut self, sender: Arc<dyn outbox::WebhookSender>) -> Self {
        self.webhooks = sender;
        self
    }

    pub fn with_bot_api(mut self, api: Arc<dyn telegram::api::BotApi>) -> Self {
        self.telegram = api;
        self
    }

    pub fn with_mail(mut self, mail: Arc<dyn mail::MailPort>) -> Self {
        self.mail = mail;
        self
    }

    /// The same app keeping files' bytes in `storage` (an S3-compatible bucket) instead of the
    /// files folder, which then holds only uploads on their way in.
    pub fn with_file_storage(mut self, storage: Arc<dyn files::FileStorage>) -> Self {
        self.file_storage = storage;
        self
    }
}
