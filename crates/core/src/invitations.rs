//! Inviting operators (issue 16, part 1): an admin names the person (e-mail, name, role); he
//! gets a link — by e-mail when the workspace's mail is set up, else the admin passes it on (it
//! is shown once) — and sets his own password there. A link works once, for seven days, and can
//! be revoked before it is used. Only a SHA-256 of the link's secret is kept.

use crate::App;
use crate::actor::Admin;
use crate::auth::LoggedIn;
use crate::error::CoreError;
use crate::views::rfc3339;
use crate::{passwords, tokens};
use frontline_domain::{DisplayName, Email, Operator, OperatorId, Password, Role};
use frontline_store::StoreError;
use frontline_store::invitations::Invitation;
use serde::Serialize;
use utoipa::ToSchema;

/// How long a link works.
pub const VALID_MS: i64 = 7 * 86_400_000;

/// An invitation as admins see it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct InvitationView {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
    /// `admin`, `supervisor` or `operator`.
    pub role: String,
    /// `pending`, `accepted`, `revoked` or `expired`.
    pub state: String,
    pub created_at: String,
    pub expires_at: String,
    pub accepted_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A new invitation: its link (shown this once) and whether it was mailed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedInvitation {
    pub invitation: InvitationView,
    /// The link to open (`…/console/invite#<secret>`); not kept, not shown again.
    pub link: String,
    /// Whether it went by e-mail (the workspace's mail is set up and the server took it).
    pub mailed: bool,
}

/// What the link's page shows before he sets his password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationPreview {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub workspace_name: String,
    pub expires_at: String,
}

fn view(i: &Invitation, now: frontline_domain::Timestamp) -> InvitationView {
    let state = if i.accepted_at.is_some() {
        "accepted"
    } else if i.revoked_at.is_some() {
        "revoked"
    } else if i.expires_at <= now {
        "expired"
    } else {
        "pending"
    };
    InvitationView {
        id: i.id,
        email: i.email.clone(),
        display_name: i.display_name.clone(),
        role: i.role.clone(),
        state: state.to_owned(),
        created_at: rfc3339(i.created_at),
        expires_at: rfc3339(i.expires_at),
        accepted_at: i.accepted_at.map(rfc3339),
        revoked_at: i.revoked_at.map(rfc3339),
    }
}

/// Invites a person; `base` is this Frontline's address as the admin's browser reached it
/// (the configured public URL wins).
pub async fn create(
    app: &App,
    admin: &Admin<'_>,
    email: &str,
    display_name: &str,
    role: &str,
    base: &str,
    ip: Option<&str>,
) -> Result<CreatedInvitation, CoreError> {
    let ws = admin.workspace();
    let email = Email::parse(email)?;
    let display_name = DisplayName::parse(display_name)?;
    let role = Role::parse(role)?;
    if app.store.operators_by_email(&email).await?.iter().any(|o| o.workspace_id == ws) {
        return Err(CoreError::EmailTaken);
    }
    let token = tokens::new_token()?;
    let now = app.clock.now();
    let i = Invitation {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        email: email.as_str().to_owned(),
        display_name: display_name.as_str().to_owned(),
        role: role.as_str().to_owned(),
        created_by: admin.operator.id.0,
        created_at: now,
        expires_at: now.plus_millis(VALID_MS),
        accepted_at: None,
        operator_id: None,
        revoked_at: None,
    };
    app.store.create_invitation(&i, &tokens::hash(&token)).await?;
    let base = app.config.public_url.as_deref().unwrap_or(base).trim_end_matches('/');
    let link = format!("{base}/console/invite#{token}");
    let workspace = app.store.workspace(ws).await?;
    let mailed = mail(app, &i, &workspace.name, admin.operator.display_name.as_str(), &link).await;
    let entry = crate::operators::audit_entry(
        app,
        Some(ws),
        Some(&admin.operator),
        "operator.invited",
        None,
        ip,
        serde_json::json!({ "email": i.email, "role": i.role, "mailed": mailed }),
    );
    crate::operators::record(app, vec![entry]).await;
    Ok(CreatedInvitation { invitation: view(&i, now), link, mailed })
}

/// Mails the link when the workspace's mail is set up; whether it went.
async fn mail(app: &App, i: &Invitation, workspace: &str, by: &str, link: &str) -> bool {
    let stored = match app.store.mail_settings(i.workspace_id).await {
        Ok(Some(s)) if s.enabled => s,
        _ => return false,
    };
    let Ok((from, smtp, _imap, _mailbox)) = crate::mail::settings::servers(app, &stored) else { return false };
    let text = format!(
        "Здравствуйте, {name}!\n\n{by} приглашает вас в «{workspace}» в Frontline. Откройте ссылку, \
         чтобы задать пароль и войти (она работает 7 дней и один раз):\n\n{link}\n\n---\n\n\
         Hello {name},\n\n{by} invites you to «{workspace}» on Frontline. Open the link to set your \
         password and sign in (it works once, for 7 days):\n\n{link}\n",
        name = i.display_name,
    );
    let mail = crate::mail::OutgoingMail {
        from: from.clone(),
        to: vec![crate::mail::Address { name: Some(i.display_name.clone()), email: i.email.clone() }],
        reply_to: None,
        subject: format!("Приглашение в «{workspace}» · Invitation to «{workspace}»"),
        text,
        message_id: format!("invitation-{}@{}", i.id, from.domain()),
        in_reply_to: None,
        references: Vec::new(),
        auto_submitted: true,
        files: Vec::new(),
    };
    match app.mail.send(&smtp, &mail).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, invitation.id = %i.id, "invitation: the mail did not go");
            false
        }
    }
}

/// The workspace's invitations, newest first.
pub async fn list(app: &App, admin: &Admin<'_>) -> Result<Vec<InvitationView>, CoreError> {
    let now = app.clock.now();
    Ok(app.store.invitations(admin.workspace(), 200).await?.iter().map(|i| view(i, now)).collect())
}

/// Revokes an invitation not yet used (an accepted one stays as it is).
pub async fn revoke(app: &App, admin: &Admin<'_>, id: uuid::Uuid) -> Result<InvitationView, CoreError> {
    let now = app.clock.now();
    let i = app.store.revoke_invitation(admin.workspace(), id, now).await.map_err(|e| match e {
        StoreError::NotFound => CoreError::NotFound("invitation"),
        other => other.into(),
    })?;
    Ok(view(&i, now))
}

async fn pending(app: &App, token: &str, ip: Option<&str>) -> Result<Invitation, CoreError> {
    app.limit(crate::limits::Limit::LoginIp, ip.unwrap_or("unknown"), 1)?;
    match app.store.invitation_by_hash(&tokens::hash(token.trim())).await {
        Ok(i) if i.pending(app.clock.now()) => Ok(i),
        Ok(_) | Err(StoreError::NotFound) => Err(CoreError::NotFound("invitation (used, revoked or expired)")),
        Err(e) => Err(e.into()),
    }
}

/// What the link's page shows (no session needed; the link's secret is the proof).
pub async fn preview(app: &App, token: &str, ip: Option<&str>) -> Result<InvitationPreview, CoreError> {
    let i = pending(app, token, ip).await?;
    crate::reads::check_active(app, i.workspace_id).await?;
    let workspace = app.store.workspace(i.workspace_id).await?;
    Ok(InvitationPreview {
        email: i.email,
        display_name: i.display_name,
        role: i.role,
        workspace_name: workspace.name,
        expires_at: rfc3339(i.expires_at),
    })
}

/// He accepts: his operator is made with his password (and the name he prefers), he joins the
/// default channel and is signed in.
pub async fn accept(
    app: &App,
    token: &str,
    password: &str,
    display_name: Option<&str>,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<LoggedIn, CoreError> {
    let i = pending(app, token, ip).await?;
    crate::reads::check_active(app, i.workspace_id).await?;
    let password = Password::parse(password)?;
    let display_name = DisplayName::parse(display_name.filter(|n| !n.trim().is_empty()).unwrap_or(&i.display_name))?;
    let operator = Operator {
        id: OperatorId::new(),
        workspace_id: i.workspace_id,
        email: Email::parse(&i.email)?,
        display_name,
        role: Role::parse(&i.role)?,
        password_hash: passwords::hash_password(app, &password).await?,
        created_at: app.clock.now(),
        capacity: Default::default(),
        presence: frontline_domain::Presence::Offline,
        deactivated_at: None,
    };
    match app.store.accept_invitation(&tokens::hash(token.trim()), &operator, app.clock.now()).await {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => return Err(CoreError::EmailTaken),
        Err(StoreError::NotFound) => return Err(CoreError::NotFound("invitation (used, revoked or expired)")),
        Err(e) => return Err(e.into()),
    }
    let channel = app.store.default_channel(i.workspace_id).await?;
    app.store.add_channel_member(i.workspace_id, channel.id, operator.id).await?;
    let entry = crate::operators::audit_entry(
        app,
        Some(i.workspace_id),
        None,
        "operator.created",
        Some((operator.id.0, operator.display_name.as_str())),
        ip,
        serde_json::json!({ "role": operator.role.as_str(), "invitation_id": i.id }),
    );
    crate::operators::record(app, vec![entry]).await;
    crate::auth::open_session(app, operator, ip, user_agent).await
}
