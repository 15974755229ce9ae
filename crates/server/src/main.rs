//! `frontline`: serve, migrate, create admins, back up.

use anyhow::Context;
use clap::{Parser, Subcommand};
use frontline_core::auth::{NewOperatorInput, create_operator_in};
use frontline_core::{App, CoreConfig, SystemClock};
use frontline_domain::WorkspaceSlug;
use frontline_server::config::ConfigArgs;
use frontline_server::{Config, Server, open_bus, open_store};
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "frontline", version, about = "Frontline: a self-hosted live-chat help desk")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (creates the demo workspace and first admin on an empty store).
    Serve(ConfigArgs),
    /// Apply database migrations and exit.
    Migrate(ConfigArgs),
    /// Manage operators.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage the install's workspaces (companies): create, list, rename, suspend, resume.
    Workspace {
        #[command(subcommand)]
        command: WorkspaceCommand,
    },
    /// Print the HTTP API's OpenAPI document (the same as `/api/openapi.json`) and exit.
    Openapi,
    /// Copy the SQLite database to a file while the server runs.
    Backup {
        #[command(flatten)]
        config: ConfigArgs,
        /// Where to write the copy.
        #[arg(long)]
        out: String,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an operator (an admin by default).
    Create {
        #[command(flatten)]
        config: ConfigArgs,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, env = "FRONTLINE_NEW_PASSWORD", hide_env_values = true)]
        password: String,
        /// admin, supervisor or operator.
        #[arg(long, default_value = "admin")]
        role: String,
        /// The workspace's short name (default: the first workspace).
        #[arg(long)]
        workspace: Option<String>,
    },
}

#[derive(Subcommand)]
enum WorkspaceCommand {
    /// Create a workspace with its default channel, a widget site and its first admin (his
    /// password is printed once unless given).
    Create {
        #[command(flatten)]
        config: ConfigArgs,
        /// Short name: 2–40 characters of a-z, 0-9 and -.
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_name: String,
        // The admin's password is `--admin-password` (FRONTLINE_ADMIN_PASSWORD) of the config
        // arguments; without it a random one is printed.
    },
    /// List the workspaces.
    List {
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Rename a workspace.
    Rename {
        #[command(flatten)]
        config: ConfigArgs,
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
    },
    /// Suspend a workspace: its operators cannot sign in, its widget and Web API keys are refused.
    Suspend {
        #[command(flatten)]
        config: ConfigArgs,
        #[arg(long)]
        slug: String,
    },
    /// Resume a suspended workspace.
    Resume {
        #[command(flatten)]
        config: ConfigArgs,
        #[arg(long)]
        slug: String,
    },
}

/// The app over the configured store, for a command that runs once.
async fn one_shot(config: &ConfigArgs) -> anyhow::Result<App> {
    let config = Config::resolve(config)?;
    std::fs::create_dir_all(&config.data).ok();
    let store = open_store(&config.database_url()).await?;
    Ok(App::new(store, open_bus(None, "frontline").await?, Arc::new(SystemClock), CoreConfig::default()))
}

async fn workspace(command: WorkspaceCommand) -> anyhow::Result<()> {
    use frontline_core::workspaces;
    let fail = |e: frontline_core::CoreError| anyhow::anyhow!("{e}");
    let (app, line) = match command {
        WorkspaceCommand::Create { config, slug, name, admin_email, admin_name } => {
            let admin_password = config.admin_password.clone();
            let app = one_shot(&config).await?;
            let new = workspaces::NewWorkspace {
                slug: &slug,
                name: &name,
                admin_email: &admin_email,
                admin_name: &admin_name,
                admin_password: admin_password.as_deref(),
            };
            let c = workspaces::create(&app, &new).await.map_err(fail)?;
            let password = if admin_password.is_some() { "(as given)".to_owned() } else { c.admin_password.clone() };
            let line = format!(
                "created workspace {} ({})
  admin:    {} / {password}
  site key: {}
",
                c.workspace.slug.as_str(),
                c.workspace.name,
                c.admin_email,
                c.site_key
            );
            (app, line)
        }
        WorkspaceCommand::List { config } => {
            let app = one_shot(&config).await?;
            let mut line = String::new();
            for w in workspaces::list(&app).await.map_err(fail)? {
                let state = match w.suspended_at {
                    Some(at) => format!("suspended since {}", frontline_core::views::rfc3339(at)),
                    None => "active".to_owned(),
                };
                line.push_str(&format!(
                    "{}	{}	{} operators	{state}
",
                    w.workspace.slug.as_str(),
                    w.workspace.name,
                    w.operators
                ));
            }
            (app, line)
        }
        WorkspaceCommand::Rename { config, slug, name } => {
            let app = one_shot(&config).await?;
            let w = workspaces::rename(&app, &slug, &name).await.map_err(fail)?;
            (app, format!("renamed {} to {}\n", w.slug.as_str(), w.name))
        }
        WorkspaceCommand::Suspend { config, slug } => {
            let app = one_shot(&config).await?;
            let w = workspaces::suspend(&app, &slug).await.map_err(fail)?;
            (app, format!("suspended {}\n", w.slug.as_str()))
        }
        WorkspaceCommand::Resume { config, slug } => {
            let app = one_shot(&config).await?;
            let w = workspaces::resume(&app, &slug).await.map_err(fail)?;
            (app, format!("resumed {}\n", w.slug.as_str()))
        }
    };
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        out.write_all(line.as_bytes())?;
    }
    app.store.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve(args) => serve(Config::resolve(&args)?).await,
        Command::Workspace { command } => workspace(command).await,
        Command::Openapi => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(frontline_http::openapi::json().as_bytes())?;
            out.write_all(b"\n")?;
            Ok(())
        }
        Command::Migrate(args) => {
            let config = Config::resolve(&args)?;
            std::fs::create_dir_all(&config.data).ok();
            let store = open_store(&config.database_url()).await?;
            for (v, name) in store.applied_migrations().await? {
                println!("{v:04} {name}");
            }
            store.close().await;
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { config, email, name, password, role, workspace } } => {
            let config = Config::resolve(&config)?;
            std::fs::create_dir_all(&config.data).ok();
            let store = open_store(&config.database_url()).await?;
            let app = App::new(
                store.clone(),
                open_bus(None, "frontline").await?,
                Arc::new(SystemClock),
                CoreConfig::default(),
            );
            let ws = match workspace {
                Some(slug) => {
                    store.workspace_by_slug(&WorkspaceSlug::parse(&slug)?).await.context("no such workspace")?
                }
                None => store
                    .list_workspaces()
                    .await?
                    .into_iter()
                    .next()
                    .context("no workspace yet: run `frontline serve` once")?,
            };
            let op = create_operator_in(
                &app,
                ws.id,
                NewOperatorInput { email: &email, display_name: &name, password: &password, role: &role },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("created {} ({}) in workspace {}", op.email.as_str(), op.role.as_str(), ws.slug.as_str());
            store.close().await;
            Ok(())
        }
        Command::Backup { config, out } => {
            let config = Config::resolve(&config)?;
            let url = config.database_url();
            anyhow::ensure!(url.starts_with("sqlite:"), "backup copies the SQLite store; use pg_dump for PostgreSQL");
            let store = frontline_store_sqlite::SqliteStore::connect(&url).await?;
            store.backup_to(&out).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("backup written to {out}");
            Ok(())
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    if config.database.is_none() {
        std::fs::create_dir_all(&config.data).with_context(|| format!("creating {}", config.data.display()))?;
    }
    let server = Server::build(&config, Arc::new(SystemClock)).await?;
    let addr = server.local_addr()?;
    let host = if addr.ip().is_unspecified() { "127.0.0.1".to_owned() } else { addr.ip().to_string() };
    let base = config.public_url.clone().unwrap_or_else(|| format!("http://{host}:{}", addr.port()));
    let b = &server.bootstrap;
    let admin = match &b.admin_password {
        Some(p) => format!("{} / {p}", b.admin_email),
        None => format!("{} (password set at the first start)", b.admin_email),
    };
    let demo = if config.demo { format!("\n  Demo site: {base}/demo") } else { String::new() };
    let banner = format!("Frontline is running.\n  Console:   {base}/console/{demo}\n  Admin:     {admin}\n");
    {
        use std::io::Write;
        // One write, and a closed stdout (a supervisor or a script that stopped reading) does
        // not stop the server: `println!` would panic on the broken pipe.
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    }
    tracing::info!(listen = %addr, store = server.app.store.backend(), "serving");
    server.run(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
