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
        Ok(Self {
            presence_grace_ms,
            uploads,
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
