//! Configuration: command-line flags, then `FRONTLINE_*` environment variables, then the
//! configuration file (`--config`, TOML with the same names), then defaults.

use clap::Args;
use serde::Deserialize;
use std::path::PathBuf;

/// Settings of `frontline serve` (and of the commands that open the store).
#[derive(Debug, Clone, Args, Default)]
pub struct ConfigArgs {
    /// A TOML file with any of the settings below (flags and environment win over it).
    #[arg(long, env = "FRONTLINE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free one).
    #[arg(long, env = "FRONTLINE_LISTEN")]
    pub listen: Option<String>,
    /// Data folder: the SQLite database lives here.
    #[arg(long, env = "FRONTLINE_DATA")]
    pub data: Option<PathBuf>,
    /// Database URL: sqlite://path or postgres://… (default: SQLite in the data folder).
    #[arg(long, env = "FRONTLINE_DATABASE")]
    pub database: Option<String>,
    /// Event bus URL for several nodes: nats://host:4222 (default: in-process).
    #[arg(long, env = "FRONTLINE_BUS")]
    pub bus: Option<String>,
    /// Serve the web files from this folder instead of the built-in ones.
    #[arg(long, env = "FRONTLINE_WEB_DIR")]
    pub web_dir: Option<PathBuf>,
    /// The URL people use to reach this Frontline (behind a proxy), e.g. https://chat.example.com.
    #[arg(long, env = "FRONTLINE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Rate limits of sign-in and the widget on (default) or off (`false`: load tests only).
    #[arg(long, env = "FRONTLINE_RATE_LIMITS")]
    pub rate_limits: Option<bool>,
    /// Password of the first admin, on the first start only (default: random, printed).
    #[arg(long, env = "FRONTLINE_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data: Option<PathBuf>,
    database: Option<String>,
    bus: Option<String>,
    bus_prefix: Option<String>,
    web_dir: Option<PathBuf>,
    public_url: Option<String>,
    secure_cookies: Option<bool>,
    message_limit: Option<usize>,
    presence_grace_seconds: Option<i64>,
    /// Largest upload in MB (1–100), most files in a message (1–20), accepted MIME types.
    upload_max_mb: Option<u64>,
    upload_max_files: Option<usize>,
    upload_types: Option<Vec<String>>,
    /// Uploads received at once (1–256); more wait for a place (429 `concurrent_uploads`).
    upload_concurrency: Option<usize>,
    /// Seconds a client may take to send its request headers, and its body (slow clients cannot
    /// hold connections open).
    header_timeout_seconds: Option<u64>,
    body_timeout_seconds: Option<u64>,
    /// Behind a reverse proxy: take the client's address from `X-Forwarded-For`.
    trust_proxy: Option<bool>,
    /// Serve `/metrics` (default true); with `metrics_token`, only to `Bearer <token>`.
    metrics: Option<bool>,
    metrics_token: Option<String>,
    /// The install owner's secret for `/api/v1/owner/…` (at least 24 characters); without
    /// it that API is off (404).
    owner_token: Option<String>,
    /// Serve the demo shop page at `/demo` (default true; turn off in production).
    demo: Option<bool>,
    rate_limits: Option<bool>,
    /// How many days the event log keeps events (1–3650, default 30).
    event_retention_days: Option<i64>,
    /// How many days a visitor's timeline keeps his events (1–3650, default 365); the counts
    /// per event stay.
    visitor_event_retention_days: Option<i64>,
    /// Let webhooks call loopback, private and link-local addresses (default false: an
    /// admin's URL cannot reach into the server's network).
    webhooks_allow_private_addresses: Option<bool>,
    /// The key that seals secrets kept at rest (bot tokens), 32 bytes as base64. Without it, a
    /// node keeps one in `secret.key` in its data folder (made at first start); several nodes
    /// must be given the same one.
    secret_key: Option<String>,
    /// Where the Telegram Bot API is (tests point it at a fake one).
    telegram_api: Option<String>,
    /// Each limit as `"count/period"` (`"30/1m"`, `"5/15m"`, `"100/1h"`); sockets as a number.
    #[serde(default)]
    limits: LimitsConfig,
    /// Keep files' bytes in an S3-compatible bucket instead of the data folder's `files`.
    #[serde(default)]
    s3: S3FileConfig,
}

/// `[s3]`: each setting may also come from `FRONTLINE_S3_<NAME>` (`FRONTLINE_S3_SECRET_KEY`…),
/// which wins; with an endpoint, files go to the bucket.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct S3FileConfig {
    endpoint: Option<String>,
    bucket: Option<String>,
    /// Default `us-east-1` (what most S3-compatible servers expect).
    region: Option<String>,
    access_key: Option<String>,
    secret_key: Option<String>,
    /// Put before each object's name (`frontline/`): several installs in one bucket.
    prefix: Option<String>,
    /// `endpoint/bucket/key` (default true) or `bucket.endpoint/key` (false).
    path_style: Option<bool>,
}

impl S3FileConfig {
    fn resolve(self) -> anyhow::Result<Option<frontline_integrations::S3Config>> {
        let env = |name: &str| std::env::var(format!("FRONTLINE_S3_{name}")).ok().filter(|v| !v.trim().is_empty());
        let Some(endpoint) = env("ENDPOINT").or(self.endpoint).filter(|v| !v.trim().is_empty()) else {
            return Ok(None);
        };
        let required = |name: &str, value: Option<String>| {
            value.filter(|v| !v.trim().is_empty()).ok_or_else(|| {
                anyhow::anyhow!("s3.{} is required with s3.endpoint (or FRONTLINE_S3_{})", name, name.to_uppercase())
            })
        };
        let path_style = match env("PATH_STYLE") {
            Some(v) => v == "true" || v == "1",
            None => self.path_style.unwrap_or(true),
        };
        Ok(Some(frontline_integrations::S3Config {
            endpoint,
            bucket: required("bucket", env("BUCKET").or(self.bucket))?,
            region: env("REGION").or(self.region).unwrap_or_else(|| "us-east-1".into()),
            access_key: required("access_key", env("ACCESS_KEY").or(self.access_key))?,
            secret_key: required("secret_key", env("SECRET_KEY").or(self.secret_key))?,
            prefix: env("PREFIX").or(self.prefix).unwrap_or_default(),
            path_style,
        }))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsConfig {
    login_failures_per_account: Option<String>,
    login_per_ip: Option<String>,
    widget_sessions_per_ip: Option<String>,
    widget_messages: Option<String>,
    widget_typing: Option<String>,
    widget_dialogs: Option<String>,
    widget_uploads: Option<String>,
    /// Megabytes per period.
    widget_upload_mb: Option<String>,
    widget_sockets_per_visitor: Option<u32>,
    web_api_per_key: Option<String>,
    widget_events: Option<String>,
    segment_counts: Option<String>,
}

/// `"30/1m"` → 30 per minute; periods in `s`, `m`, `h` or `d`.
fn parse_rate(name: &str, text: &str, unit: u32) -> anyhow::Result<frontline_core::limits::Rate> {
    let bad =
        || anyhow::anyhow!("limits.{name} must look like \"30/1m\" (a count 1–1000000, then a period in s, m, h or d)");
    let (count, period) = text.trim().split_once('/').ok_or_else(bad)?;
    let count: u32 = count.trim().parse().map_err(|_| bad())?;
    if !(1..=1_000_000).contains(&count) {
        return Err(bad());
    }
    let period = period.trim();
    let (n, unit_ms) = match period.char_indices().last() {
        Some((i, 's')) => (&period[..i], 1_000),
        Some((i, 'm')) => (&period[..i], 60_000),
        Some((i, 'h')) => (&period[..i], 3_600_000),
        Some((i, 'd')) => (&period[..i], 86_400_000),
        _ => return Err(bad()),
    };
    let n: i64 = if n.is_empty() { 1 } else { n.parse().map_err(|_| bad())? };
    if !(1..=10_000).contains(&n) {
        return Err(bad());
    }
    Ok(frontline_core::limits::Rate { burst: count.saturating_mul(unit), window_ms: n * unit_ms })
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: String,
    pub data: PathBuf,
    pub database: Option<String>,
    pub bus: Option<String>,
    pub bus_prefix: String,
    pub web_dir: Option<PathBuf>,
    pub public_url: Option<String>,
    pub secure_cookies: bool,
    pub message_limit: usize,
    pub admin_password: Option<String>,
    pub argon2_m_kib: u32,
    pub argon2_t: u32,
    /// How long an operator stays online after his last socket is gone.
    pub presence_grace_ms: i64,
    /// How often the scheduler looks for due work (tests shorten it).
    pub scheduler_tick_ms: i64,
    pub uploads: frontline_core::files::UploadLimits,
    pub trust_proxy: bool,
    pub limits: frontline_core::limits::RateLimits,
    pub metrics: bool,
    pub metrics_token: Option<String>,
    pub owner_token: Option<String>,
    pub demo: bool,
    pub upload_concurrency: usize,
    pub header_timeout: std::time::Duration,
    pub body_timeout: std::time::Duration,
    pub event_retention_ms: i64,
    pub visitor_event_retention_ms: i64,
    pub webhooks_allow_private: bool,
    /// How often the outbox worker looks for due jobs when nothing woke it (tests shorten it).
    pub outbox_tick_ms: i64,
    /// How often the support mailboxes are read (tests read sooner).
    pub mail_read_ms: i64,
    /// Whether this node delivers outbox jobs (every node does by default; several may).
    pub outbox_worker: bool,
    /// A webhook call without an answer this long fails (15 s; tests shorten it).
    pub webhook_timeout: std::time::Duration,
    /// The sealing key as configured (base64); `None`: the data folder's `secret.key`.
    pub secret_key: Option<String>,
    /// The Telegram Bot API's base URL.
    pub telegram_api: String,
    /// Files' bytes in an S3-compatible bucket (`None`: in `<data>/files`).
    pub s3: Option<frontline_integrations::S3Config>,
}

impl Default for Config {
    fn default() -> Self {
        let core = frontline_core::CoreConfig::default();
        Self {
            listen: "127.0.0.1:8080".into(),
            data: PathBuf::from("data"),
            database: None,
            bus: None,
            bus_prefix: "frontline".into(),
            web_dir: None,
            public_url: None,
            secure_cookies: false,
            message_limit: core.message_limit,
            admin_password: None,
            argon2_m_kib: core.argon2_m_kib,
            argon2_t: core.argon2_t,
            presence_grace_ms: core.presence_grace_ms,
            scheduler_tick_ms: core.scheduler_tick_ms,
            uploads: core.uploads,
            trust_proxy: false,
            limits: core.limits,
            metrics: true,
            metrics_token: None,
            owner_token: None,
            demo: true,
            upload_concurrency: 8,
            header_timeout: std::time::Duration::from_secs(10),
            body_timeout: std::time::Duration::from_secs(60),
            event_retention_ms: core.event_retention_ms,
            visitor_event_retention_ms: core.visitor_event_retention_ms,
            webhooks_allow_private: core.webhooks_allow_private,
            outbox_tick_ms: core.outbox_tick_ms,
            mail_read_ms: core.mail_read_ms,
            outbox_worker: true,
            webhook_timeout: frontline_integrations::webhooks::TIMEOUT,
            secret_key: None,
            telegram_api: "https://api.telegram.org".into(),
            s3: None,
        }
    }
}

impl Config {
    pub fn resolve(args: &ConfigArgs) -> anyhow::Result<Self> {
        let file: FileConfig = match &args.config {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
                toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let d = Config::default();
        let message_limit = file.message_limit.unwrap_or(d.message_limit);
        if !(1..=100_000).contains(&message_limit) {
            anyhow::bail!("message_limit must be 1–100000 characters");
        }
        let presence_grace_ms = match file.presence_grace_seconds {
            Some(s) if (5..=3600).contains(&s) => s * 1000,
            Some(_) => anyhow::bail!("presence_grace_seconds must be 5–3600"),
            None => d.presence_grace_ms,
        };
        let mut uploads = d.uploads.clone();
        if let Some(mb) = file.upload_max_mb {
            if !(1..=100).contains(&mb) {
                anyhow::bail!("upload_max_mb must be 1–100");
            }
            uploads.max_bytes = mb * 1024 * 1024;
        }
        if let Some(n) = file.upload_max_files {
            if !(1..=20).contains(&n) {
                anyhow::bail!("upload_max_files must be 1–20");
            }
            uploads.max_files = n;
        }
        if let Some(types) = file.upload_types {
            if types.is_empty() || types.iter().any(|t| !t.contains('/')) {
                anyhow::bail!("upload_types must be MIME types such as \"image/png\"");
            }
            uploads.types = types;
        }
        let mut limits = d.limits.clone();
        limits.enabled = args.rate_limits.or(file.rate_limits).unwrap_or(true);
        let l = &file.limits;
        let rates = [
            ("login_failures_per_account", &l.login_failures_per_account, &mut limits.login_failures_per_account, 1),
            ("login_per_ip", &l.login_per_ip, &mut limits.login_per_ip, 1),
            ("widget_sessions_per_ip", &l.widget_sessions_per_ip, &mut limits.widget_sessions_per_ip, 1),
            ("widget_messages", &l.widget_messages, &mut limits.widget_messages, 1),
            ("widget_typing", &l.widget_typing, &mut limits.widget_typing, 1),
            ("widget_dialogs", &l.widget_dialogs, &mut limits.widget_dialogs, 1),
            ("widget_uploads", &l.widget_uploads, &mut limits.widget_uploads, 1),
            ("widget_upload_mb", &l.widget_upload_mb, &mut limits.widget_upload_bytes, 1024 * 1024),
            ("web_api_per_key", &l.web_api_per_key, &mut limits.web_api_per_key, 1),
            ("widget_events", &l.widget_events, &mut limits.widget_events, 1),
            ("segment_counts", &l.segment_counts, &mut limits.segment_counts, 1),
        ];
        for (name, text, rate, unit) in rates {
            if let Some(text) = text {
                *rate = parse_rate(name, text, unit)?;
            }
        }
        if let Some(n) = l.widget_sockets_per_visitor {
            if !(1..=100).contains(&n) {
                anyhow::bail!("limits.widget_sockets_per_visitor must be 1–100");
            }
            limits.widget_sockets_per_visitor = n;
        }
        let s3 = file.s3.resolve()?;
        Ok(Self {
            s3,
            presence_grace_ms,
            uploads,
            limits,
            trust_proxy: file.trust_proxy.unwrap_or(false),
            metrics: file.metrics.unwrap_or(true),
            metrics_token: std::env::var("FRONTLINE_METRICS_TOKEN")
                .ok()
                .or(file.metrics_token)
                .filter(|t| !t.trim().is_empty()),
            owner_token: match std::env::var("FRONTLINE_OWNER_TOKEN").ok().or(file.owner_token) {
                Some(t) if t.trim().is_empty() => None,
                Some(t) if t.trim().chars().count() < 24 => anyhow::bail!("owner_token must be at least 24 characters"),
                Some(t) => Some(t.trim().to_owned()),
                None => None,
            },
            demo: file.demo.unwrap_or(true),
            upload_concurrency: match file.upload_concurrency {
                Some(n) if (1..=256).contains(&n) => n,
                Some(_) => anyhow::bail!("upload_concurrency must be 1–256"),
                None => d.upload_concurrency,
            },
            header_timeout: match file.header_timeout_seconds {
                Some(n) if (1..=300).contains(&n) => std::time::Duration::from_secs(n),
                Some(_) => anyhow::bail!("header_timeout_seconds must be 1–300"),
                None => d.header_timeout,
            },
            body_timeout: match file.body_timeout_seconds {
                Some(n) if (1..=3600).contains(&n) => std::time::Duration::from_secs(n),
                Some(_) => anyhow::bail!("body_timeout_seconds must be 1–3600"),
                None => d.body_timeout,
            },
            event_retention_ms: match file.event_retention_days {
                Some(n) if (1..=3650).contains(&n) => n * 86_400_000,
                Some(_) => anyhow::bail!("event_retention_days must be 1–3650"),
                None => d.event_retention_ms,
            },
            visitor_event_retention_ms: match file.visitor_event_retention_days {
                Some(n) if (1..=3650).contains(&n) => n * 86_400_000,
                Some(_) => anyhow::bail!("visitor_event_retention_days must be 1–3650"),
                None => d.visitor_event_retention_ms,
            },
            webhooks_allow_private: std::env::var("FRONTLINE_WEBHOOKS_ALLOW_PRIVATE")
                .ok()
                .map(|v| v == "true" || v == "1")
                .or(file.webhooks_allow_private_addresses)
                .unwrap_or(d.webhooks_allow_private),
            secret_key: std::env::var("FRONTLINE_SECRET_KEY").ok().or(file.secret_key).filter(|k| !k.trim().is_empty()),
            telegram_api: std::env::var("FRONTLINE_TELEGRAM_API")
                .ok()
                .or(file.telegram_api)
                .filter(|u| !u.trim().is_empty())
                .unwrap_or(d.telegram_api),
            listen: args.listen.clone().or(file.listen).unwrap_or(d.listen),
            data: args.data.clone().or(file.data).unwrap_or(d.data),
            database: args.database.clone().or(file.database),
            bus: args.bus.clone().or(file.bus),
            bus_prefix: file.bus_prefix.unwrap_or(d.bus_prefix),
            web_dir: args.web_dir.clone().or(file.web_dir),
            public_url: args.public_url.clone().or(file.public_url),
            secure_cookies: file.secure_cookies.unwrap_or(false),
            message_limit,
            admin_password: args.admin_password.clone(),
            ..d
        })
    }

    /// The database URL: as given, or SQLite in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data.join("frontline.db").display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_count_per_period() {
        let r = parse_rate("widget_messages", "30/1m", 1).expect("rate");
        assert_eq!((r.burst, r.window_ms), (30, 60_000));
        let r = parse_rate("login_failures_per_account", " 5 / 15m ", 1).expect("rate");
        assert_eq!((r.burst, r.window_ms), (5, 900_000));
        let r = parse_rate("widget_upload_mb", "100/h", 1024 * 1024).expect("rate");
        assert_eq!((r.burst, r.window_ms), (100 * 1024 * 1024, 3_600_000));
        for bad in ["30", "0/1m", "30/1w", "30/m1", "x/1m", "30/0m"] {
            let e = parse_rate("widget_messages", bad, 1).expect_err(bad).to_string();
            assert!(e.contains("limits.widget_messages"), "{e}");
        }
    }

    #[test]
    fn an_s3_table_needs_its_bucket_and_keys() {
        let read = |text: &str| toml::from_str::<FileConfig>(text).expect("toml").s3.resolve();
        assert!(read("").expect("no table").is_none(), "files stay in the folder");
        let e = read("[s3]\nendpoint = \"http://127.0.0.1:9000\"").expect_err("no bucket").to_string();
        assert!(e.contains("s3.bucket is required"), "{e}");
        let e = read("[s3]\nendpoint = \"http://x\"\nbucket = \"b\"\naccess_key = \"k\"")
            .expect_err("no secret")
            .to_string();
        assert!(e.contains("s3.secret_key is required"), "{e}");
        let full = "[s3]\nendpoint = \"http://x\"\nbucket = \"b\"\naccess_key = \"k\"\nsecret_key = \"s\"";
        let c = read(full).expect("valid").expect("on");
        assert_eq!((c.region.as_str(), c.prefix.as_str(), c.path_style), ("us-east-1", "", true));
        assert!(toml::from_str::<FileConfig>("[s3]\nendpont = \"x\"").is_err(), "a misspelt key is refused");
    }
}
