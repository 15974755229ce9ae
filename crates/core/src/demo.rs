//! The first start: a demo workspace, its first admin and a demo site, so that
//! `frontline serve` on an empty data folder is usable at once.

use crate::auth::{NewOperatorInput, create_operator_in};
use crate::error::CoreError;
use crate::{App, tokens};
use frontline_domain::{Channel, ChannelId, Origin, Site, SiteId, SiteKey, Workspace, WorkspaceId, WorkspaceSlug};

pub const DEMO_ADMIN_EMAIL: &str = "admin@example.com";

/// What the server prints at start.
#[derive(Debug, Clone)]
pub struct Bootstrap {
    pub workspace: Workspace,
    pub site_key: String,
    pub admin_email: String,
    /// Only on the start that created the admin; never stored in clear.
    pub admin_password: Option<String>,
}

/// Creates the demo workspace when the store has no workspace yet; otherwise reports the
/// first workspace and its first site. `password` fixes the admin's password (else random).
pub async fn ensure_demo(app: &App, extra_origins: &[String], password: Option<&str>) -> Result<Bootstrap, CoreError> {
    let existing = app.store.list_workspaces().await?;
    if let Some(workspace) = existing.into_iter().next() {
        let site_key =
            app.store.list_sites(workspace.id).await?.first().map(|s| s.key.as_str().to_owned()).unwrap_or_default();
        let admin_email = app
            .store
            .list_operators(workspace.id)
            .await?
            .into_iter()
            .find(|o| o.role == frontline_domain::Role::Admin)
            .map(|o| o.email.as_str().to_owned())
            .unwrap_or_default();
        return Ok(Bootstrap { workspace, site_key, admin_email, admin_password: None });
    }
    let now = app.clock.now();
    let workspace =
        Workspace { id: WorkspaceId::new(), slug: WorkspaceSlug::parse("demo")?, name: "Demo".into(), created_at: now };
    let channel = Channel {
        id: ChannelId::new(),
        workspace_id: workspace.id,
        name: "Общий".into(),
        is_default: true,
        settings: Default::default(),
    };
    app.store.create_workspace(&workspace, &channel).await?;
    let password = match password {
        Some(p) => p.to_owned(),
        None => tokens::random_alnum(14)?,
    };
    create_operator_in(
        app,
        workspace.id,
        NewOperatorInput {
            email: DEMO_ADMIN_EMAIL, display_name: "Администратор", password: &password, role: "admin"
        },
    )
    .await?;
    let mut allowed_origins = Vec::new();
    for o in extra_origins {
        allowed_origins.push(Origin::parse(o)?);
    }
    let site_key = format!("demo_{}", tokens::random_alnum(16)?);
    app.store
        .create_site(&Site {
            id: SiteId::new(),
            workspace_id: workspace.id,
            name: "Демо-сайт".into(),
            key: SiteKey::parse(&site_key)?,
            allowed_origins,
            channel_id: channel.id,
        })
        .await?;
    tracing::info!(workspace.id = %workspace.id, "created the demo workspace");
    Ok(Bootstrap { workspace, site_key, admin_email: DEMO_ADMIN_EMAIL.into(), admin_password: Some(password) })
}
