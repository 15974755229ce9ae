//! The install's workspaces as its owner manages them from the command line (`frontline
//! workspace create|list|rename|suspend|resume`): one install holds several companies, each
//! with its own operators, channels, sites and keys, and nothing of one is seen from another.
//! A suspended workspace's operators cannot sign in (their sessions stop at once), its widget
//! does not open and its Web API keys are refused; resuming brings everything back.

use crate::App;
use crate::auth::{NewOperatorInput, create_operator_in};
use crate::error::CoreError;
use crate::tokens;
use frontline_domain::{Channel, ChannelId, Site, SiteId, SiteKey, Timestamp, Workspace, WorkspaceId, WorkspaceSlug};
use frontline_store::StoreError;

/// A new workspace: its first admin's password is shown this once.
#[derive(Debug, Clone)]
pub struct Created {
    pub workspace: Workspace,
    pub site_key: String,
    pub admin_email: String,
    pub admin_password: String,
}

/// What the owner gives for a new workspace.
#[derive(Debug, Clone)]
pub struct NewWorkspace<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub admin_email: &'a str,
    pub admin_name: &'a str,
    /// None: a random one, printed once.
    pub admin_password: Option<&'a str>,
}

/// Makes a workspace with its default channel («Общий»), a site for its widget and its first
/// admin. A slug taken is refused and nothing is made.
pub async fn create(app: &App, new: &NewWorkspace<'_>) -> Result<Created, CoreError> {
    // Refusals name the owner's fields (the command line's and the owner's API's), not the
    // domain's (`workspace`, `email`…).
    let as_field = |field: &str| {
        let field = field.to_owned();
        move |e: frontline_domain::DomainError| match e {
            frontline_domain::DomainError::Invalid { reason, .. } => {
                CoreError::Invalid { field: field.clone(), reason: reason.to_owned() }
            }
            other => other.into(),
        }
    };
    let slug = WorkspaceSlug::parse(new.slug).map_err(as_field("slug"))?;
    let name = frontline_domain::account::parse_name(new.name, "name")?;
    match app.store.workspace_by_slug(&slug).await {
        Ok(_) => return Err(CoreError::NameTaken),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    // The admin's fields are checked before anything is written.
    frontline_domain::Email::parse(new.admin_email).map_err(as_field("admin_email"))?;
    frontline_domain::DisplayName::parse(new.admin_name).map_err(as_field("admin_name"))?;
    let password = match new.admin_password {
        Some(p) => p.to_owned(),
        None => tokens::random_alnum(14)?,
    };
    frontline_domain::Password::parse(&password).map_err(as_field("admin_password"))?;
    let workspace = Workspace { id: WorkspaceId::new(), slug, name: name.clone(), created_at: app.clock.now() };
    let channel = Channel {
        id: ChannelId::new(),
        workspace_id: workspace.id,
        name: "Общий".into(),
        is_default: true,
        settings: Default::default(),
    };
    app.store.create_workspace(&workspace, &channel).await.map_err(|e| match e {
        StoreError::Conflict(_) => CoreError::NameTaken,
        other => other.into(),
    })?;
    create_operator_in(
        app,
        workspace.id,
        NewOperatorInput { email: new.admin_email, display_name: new.admin_name, password: &password, role: "admin" },
    )
    .await?;
    let site_key = format!("{}_{}", workspace.slug.as_str().replace('-', "_"), tokens::random_alnum(16)?);
    app.store
        .create_site(&Site {
            id: SiteId::new(),
            workspace_id: workspace.id,
            name: name.clone(),
            key: SiteKey::parse(&site_key)?,
            allowed_origins: Vec::new(),
            channel_id: channel.id,
        })
        .await?;
    tracing::info!(workspace.id = %workspace.id, slug = workspace.slug.as_str(), "workspace created");
    Ok(Created { workspace, site_key, admin_email: new.admin_email.trim().to_owned(), admin_password: password })
}

/// A workspace as the owner's list shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub workspace: Workspace,
    pub suspended_at: Option<Timestamp>,
    pub operators: usize,
}

pub async fn list(app: &App) -> Result<Vec<Listed>, CoreError> {
    let mut out = Vec::new();
    for workspace in app.store.list_workspaces().await? {
        let suspended_at = app.store.workspace_suspended(workspace.id).await?;
        let operators = app.store.list_operators(workspace.id).await?.len();
        out.push(Listed { workspace, suspended_at, operators });
    }
    Ok(out)
}

/// One workspace as the owner's list shows it.
pub async fn get(app: &App, slug: &str) -> Result<Listed, CoreError> {
    let workspace = by_slug(app, slug).await?;
    let suspended_at = app.store.workspace_suspended(workspace.id).await?;
    let operators = app.store.list_operators(workspace.id).await?.len();
    Ok(Listed { workspace, suspended_at, operators })
}

async fn by_slug(app: &App, slug: &str) -> Result<Workspace, CoreError> {
    match app.store.workspace_by_slug(&WorkspaceSlug::parse(slug)?).await {
        Ok(w) => Ok(w),
        Err(StoreError::NotFound) => Err(CoreError::NotFound("workspace")),
        Err(e) => Err(e.into()),
    }
}

pub async fn rename(app: &App, slug: &str, name: &str) -> Result<Workspace, CoreError> {
    let name = frontline_domain::account::parse_name(name, "name")?;
    let ws = by_slug(app, slug).await?;
    Ok(app.store.rename_workspace(ws.id, &name).await?)
}

/// Suspends a workspace at once (again: keeps the first time).
pub async fn suspend(app: &App, slug: &str) -> Result<Workspace, CoreError> {
    let ws = by_slug(app, slug).await?;
    if app.store.workspace_suspended(ws.id).await?.is_none() {
        let at = app.clock.now();
        app.store.set_workspace_suspended(ws.id, Some(at)).await?;
        tracing::info!(workspace.id = %ws.id, "workspace suspended");
        // This node's sockets of the workspace end now (operators' at once, visitors' at their
        // next ping); other nodes' within a few seconds and a ping period (`suspended_lately`).
        app.suspensions.put(ws.id, std::sync::Arc::new(Some(at)), at.0);
        crate::publisher::access_changed(app, ws.id, None);
    }
    Ok(ws)
}

pub async fn resume(app: &App, slug: &str) -> Result<Workspace, CoreError> {
    let ws = by_slug(app, slug).await?;
    app.store.set_workspace_suspended(ws.id, None).await?;
    app.suspensions.forget(ws.id);
    tracing::info!(workspace.id = %ws.id, "workspace resumed");
    Ok(ws)
}
