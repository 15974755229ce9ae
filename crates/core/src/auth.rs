//! Console accounts: password hashing, login, sessions, operator creation.

use crate::error::CoreError;
use crate::{App, tokens};
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use frontline_domain::{
    DisplayName, Email, Operator, OperatorId, Password, Role, Workspace, WorkspaceId, WorkspaceSlug,
};
use frontline_store::{NewSession, StoreError};

/// A signed-in operator: what every console use case takes.
#[derive(Debug, Clone)]
pub struct OperatorActor {
    pub operator: Operator,
}

impl OperatorActor {
    pub fn workspace(&self) -> WorkspaceId {
        self.operator.workspace_id
    }

    /// Refuses unless the operator is an admin or a supervisor (dictionaries, shared replies).
    pub fn require_manager(&self) -> Result<(), CoreError> {
        if self.operator.role.sees_all_channels() { Ok(()) } else { Err(CoreError::Forbidden) }
    }

    /// Refuses unless the operator is an admin.
    pub fn require_admin(&self) -> Result<(), CoreError> {
        if self.operator.role == Role::Admin { Ok(()) } else { Err(CoreError::Forbidden) }
    }
}

fn argon2(app: &App) -> Result<Argon2<'static>, CoreError> {
    let params = Params::new(app.config.argon2_m_kib, app.config.argon2_t, 1, None)
        .map_err(|e| CoreError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The argon2id PHC string of a password, computed off the async threads.
pub async fn hash_password(app: &App, password: &Password) -> Result<String, CoreError> {
    let hasher = argon2(app)?;
    let pw = password.expose().to_owned();
    tokio::task::spawn_blocking(move || hasher.hash_password(pw.as_bytes()).map(|h| h.to_string()))
        .await
        .map_err(|e| CoreError::Internal(format!("hashing task: {e}")))?
        .map_err(|e| CoreError::Internal(format!("hashing: {e}")))
}

async fn verify(app: &App, hash: String, password: String) -> Result<bool, CoreError> {
    let verifier = argon2(app)?;
    tokio::task::spawn_blocking(move || verifier.verify_password(password.as_bytes(), hash.as_str()).is_ok())
        .await
        .map_err(|e| CoreError::Internal(format!("verify task: {e}")))
}

/// A login attempt as typed.
pub struct LoginInput<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub workspace: Option<&'a str>,
}

/// What a successful login gives: the operator, his workspace, and the session token for the
/// cookie (shown once, stored only as a hash).
pub struct LoggedIn {
    pub operator: Operator,
    pub workspace: Workspace,
    pub token: String,
}

pub async fn login(app: &App, input: LoginInput<'_>) -> Result<LoggedIn, CoreError> {
    let email = Email::parse(input.email)?;
    let mut candidates = app.store.operators_by_email(&email).await?;
    if let Some(slug) = input.workspace.filter(|s| !s.trim().is_empty()) {
        let slug = WorkspaceSlug::parse(slug)?;
        let ws = match app.store.workspace_by_slug(&slug).await {
            Ok(ws) => Some(ws.id),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        candidates.retain(|o| Some(o.workspace_id) == ws);
    }
    if candidates.len() > 1 {
        return Err(CoreError::WorkspaceRequired);
    }
    let Some(operator) = candidates.pop() else {
        // Spend the same time as a real check, so timing does not reveal which e-mails exist.
        let dummy = hash_password(app, &Password::parse("timing-equaliser")?).await?;
        let _ = verify(app, dummy, input.password.to_owned()).await?;
        app.metrics.logins_failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Err(CoreError::InvalidCredentials);
    };
    if !verify(app, operator.password_hash.clone(), input.password.to_owned()).await? {
        app.metrics.logins_failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Err(CoreError::InvalidCredentials);
    }
    let token = tokens::new_token()?;
    let now = app.clock.now();
    app.store
        .create_session(&NewSession {
            token_hash: tokens::hash(&token),
            workspace_id: operator.workspace_id,
            operator_id: operator.id,
            created_at: now,
            expires_at: now.plus_millis(app.config.session_ttl_ms),
        })
        .await?;
    let workspace = app.store.workspace(operator.workspace_id).await?;
    tracing::info!(operator.id = %operator.id, workspace.id = %workspace.id, "operator signed in");
    Ok(LoggedIn { operator, workspace, token })
}

/// The operator of a session token; `Unauthenticated` when unknown or expired.
pub async fn authenticate(app: &App, token: &str) -> Result<OperatorActor, CoreError> {
    match app.store.session_operator(&tokens::hash(token), app.clock.now()).await {
        Ok(operator) => Ok(OperatorActor { operator }),
        Err(StoreError::NotFound) => Err(CoreError::Unauthenticated),
        Err(e) => Err(e.into()),
    }
}

/// Ends the session. Logging out is going offline: no new dialogs, and his open ones follow
/// each channel's offline policy.
pub async fn logout(app: &App, token: &str) -> Result<(), CoreError> {
    let hash = tokens::hash(token);
    let operator = match app.store.session_operator(&hash, app.clock.now()).await {
        Ok(op) => Some(op),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    app.store.delete_session(&hash).await?;
    if let Some(op) = &operator {
        // His sockets of this session close now, not at their next reconnect.
        crate::audience::access_changed(app, op.workspace_id, Some(op.id));
    }
    if let Some(op) = operator.filter(|o| o.presence != frontline_domain::Presence::Offline) {
        let actor = OperatorActor { operator: op };
        crate::queue::set_presence(app, &actor, "offline").await?;
    }
    Ok(())
}

/// A new operator as an admin (or the command line) enters him.
pub struct NewOperatorInput<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: &'a str,
}

/// Creates an operator in the admin's workspace.
pub async fn create_operator(
    app: &App,
    admin: &OperatorActor,
    input: NewOperatorInput<'_>,
) -> Result<Operator, CoreError> {
    admin.require_admin()?;
    create_operator_in(app, admin.workspace(), input).await
}

/// Creates an operator in a workspace without an actor: for `frontline admin create` and the
/// first start, which run with the machine owner's authority.
pub async fn create_operator_in(
    app: &App,
    workspace: WorkspaceId,
    input: NewOperatorInput<'_>,
) -> Result<Operator, CoreError> {
    let email = Email::parse(input.email)?;
    let display_name = DisplayName::parse(input.display_name)?;
    let password = Password::parse(input.password)?;
    let role = Role::parse(input.role)?;
    let operator = Operator {
        id: OperatorId::new(),
        workspace_id: workspace,
        email,
        display_name,
        role,
        password_hash: hash_password(app, &password).await?,
        created_at: app.clock.now(),
        capacity: Default::default(),
        presence: frontline_domain::Presence::Offline,
    };
    match app.store.create_operator(&operator).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(CoreError::EmailTaken),
        Err(StoreError::NotFound) => return Err(CoreError::NotFound("workspace")),
        Err(e) => return Err(e.into()),
    }
    let channel = app.store.default_channel(workspace).await?;
    app.store.add_channel_member(workspace, channel.id, operator.id).await?;
    Ok(operator)
}
