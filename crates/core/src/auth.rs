//! Console accounts: password hashing, login, sessions, operator creation.

use crate::error::CoreError;
use crate::passwords::{hash_password, verify};
use crate::{App, tokens};
use frontline_domain::{
    DisplayName, Email, Operator, OperatorId, Password, Role, Timestamp, Workspace, WorkspaceId, WorkspaceSlug,
};
use frontline_store::{NewSession, StoreError};

use crate::actor::Admin;
pub use crate::actor::OperatorActor;

/// A login attempt as typed, and where it came from (for the per-address limit).
pub struct LoginInput<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub workspace: Option<&'a str>,
    /// The caller's address as the edge sees it (`None`: unknown, counted together).
    pub ip: Option<&'a str>,
    /// The browser, as `User-Agent` says (shown in his list of sessions).
    pub user_agent: Option<&'a str>,
}

/// What a successful login gives: the operator, his workspace, and the session token for the
/// cookie (shown once, stored only as a hash).
pub struct LoggedIn {
    pub operator: Operator,
    pub workspace: Workspace,
    pub token: String,
}

/// Signs in. An unknown e-mail, a wrong password and an e-mail of several workspaces with a
/// wrong password take the same time (one password check's worth) and get the same answer, so
/// nothing tells which e-mails exist. Attempts are limited per address, failures per e-mail
/// (the wait grows with each failure past the burst); a success clears the e-mail's count.
pub async fn login(app: &App, input: LoginInput<'_>) -> Result<LoggedIn, CoreError> {
    use crate::limits::Limit;
    app.limit(Limit::LoginIp, input.ip.unwrap_or("unknown"), 1)?;
    let email = Email::parse(input.email)?;
    let account = email.as_str().to_owned();
    app.limiter.check(&app.config.limits, Limit::LoginAccount, &account, 1, app.clock.now().0)?;
    let failed = |who: &[Operator]| {
        app.metrics.logins_failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Counted whether or not the e-mail exists: the limit itself tells nothing either.
        let _ = app.limit(Limit::LoginAccount, &account, 1);
        tracing::info!(ip = input.ip.unwrap_or("unknown"), "sign-in refused");
        let details = serde_json::json!({ "email": account });
        let entries: Vec<_> = if who.is_empty() {
            vec![crate::operators::audit_entry(app, None, None, "login.failed", None, input.ip, details)]
        } else {
            who.iter()
                .map(|o| {
                    let target = Some((o.id.0, o.display_name.as_str()));
                    crate::operators::audit_entry(
                        app,
                        Some(o.workspace_id),
                        None,
                        "login.failed",
                        target,
                        input.ip,
                        details.clone(),
                    )
                })
                .collect()
        };
        (CoreError::InvalidCredentials, entries)
    };
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
    // A deactivated operator cannot sign in; his e-mail is answered like any wrong password
    // (and his workspace's audit log shows the attempt).
    let (active, deactivated): (Vec<Operator>, Vec<Operator>) =
        candidates.into_iter().partition(|o| o.deactivated_at.is_none());
    let mut candidates = active;
    candidates.truncate(8);
    if candidates.is_empty() {
        // Spend the same time as a real check, so timing does not reveal which e-mails exist.
        let dummy = hash_password(app, &Password::parse("timing-equaliser")?).await?;
        let _ = verify(app, dummy, input.password.to_owned()).await?;
        let (e, entries) = failed(&deactivated);
        crate::operators::record(app, entries).await;
        return Err(e);
    }
    // Every candidate is checked at once (one check's time on a machine with a core each):
    // which workspaces the password opens decides, not how many the e-mail is in.
    let checks = candidates.iter().map(|o| verify(app, o.password_hash.clone(), input.password.to_owned()));
    let results = futures_util::future::join_all(checks).await;
    let mut matching = Vec::new();
    for (op, ok) in candidates.iter().zip(results) {
        if ok? {
            matching.push(op.clone());
        }
    }
    if matching.len() > 1 {
        // Only someone who knows the password learns that it opens several workspaces.
        return Err(CoreError::WorkspaceRequired);
    }
    let Some(operator) = matching.pop() else {
        let (e, entries) = failed(&candidates);
        crate::operators::record(app, entries).await;
        return Err(e);
    };
    app.limiter.clear(Limit::LoginAccount, &account);
    open_session(app, operator, input.ip, input.user_agent).await
}

/// Opens a session for an operator who proved who he is (a password, an accepted invitation).
pub(crate) async fn open_session(
    app: &App,
    operator: Operator,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<LoggedIn, CoreError> {
    crate::reads::check_active(app, operator.workspace_id).await?;
    let token = tokens::new_token()?;
    let now = app.clock.now();
    app.store
        .create_session(&NewSession {
            token_hash: tokens::hash(&token),
            workspace_id: operator.workspace_id,
            operator_id: operator.id,
            created_at: now,
            expires_at: now.plus_millis(app.config.session_ttl_ms),
            ip: ip.map(str::to_owned),
            user_agent: user_agent.map(|u| u.chars().take(300).collect()),
        })
        .await?;
    let workspace = app.store.workspace(operator.workspace_id).await?;
    tracing::info!(operator.id = %operator.id, workspace.id = %workspace.id, "operator signed in");
    Ok(LoggedIn { operator, workspace, token })
}

/// The operator of a session token; `Unauthenticated` when unknown, expired, idle past the
/// limit, or the operator is deactivated. A use marks the session used (at most once a
/// minute per node, so a busy console does not write on every request).
pub async fn authenticate(app: &App, token: &str) -> Result<OperatorActor, CoreError> {
    let hash = tokens::hash(token);
    let now = app.clock.now();
    let idle_after = Timestamp(now.0 - app.config.session_idle_ms);
    let operator = match app.store.session_operator(&hash, now, idle_after).await {
        Ok(operator) => operator,
        Err(StoreError::NotFound) => return Err(CoreError::Unauthenticated),
        Err(e) => return Err(e.into()),
    };
    let stale = match app.session_touches.lock() {
        Ok(mut seen) => {
            if seen.len() > 10_000 {
                seen.retain(|_, at| now.0 - *at < 60_000);
            }
            match seen.get(&hash) {
                Some(at) if now.0 - *at < 60_000 => false,
                _ => {
                    seen.insert(hash.clone(), now.0);
                    true
                }
            }
        }
        Err(_) => true,
    };
    if stale && let Err(e) = app.store.touch_session(&hash, now).await {
        tracing::warn!(error = %e, "could not mark the session used");
    }
    Ok(OperatorActor { operator })
}

/// Ends the session. Logging out is going offline: no new dialogs, and his open ones follow
/// each channel's offline policy.
pub async fn logout(app: &App, token: &str) -> Result<(), CoreError> {
    let hash = tokens::hash(token);
    let operator = match app.store.session_operator(&hash, app.clock.now(), Timestamp(0)).await {
        Ok(op) => Some(op),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    app.store.delete_session(&hash).await?;
    if let Some(op) = &operator {
        // His sockets of this session close now, not at their next reconnect.
        crate::publisher::access_changed(app, op.workspace_id, Some(op.id));
    }
    if let Some(op) = operator.filter(|o| o.presence != frontline_domain::Presence::Offline) {
        let actor = OperatorActor { operator: op };
        crate::presence::set_presence(app, &actor, "offline").await?;
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
    admin: &Admin<'_>,
    input: NewOperatorInput<'_>,
    ip: Option<&str>,
) -> Result<Operator, CoreError> {
    let op = create_operator_in(app, admin.workspace(), input).await?;
    let entry = crate::operators::audit_entry(
        app,
        Some(op.workspace_id),
        Some(&admin.operator),
        "operator.created",
        Some((op.id.0, op.display_name.as_str())),
        ip,
        serde_json::json!({ "role": op.role.as_str() }),
    );
    crate::operators::record(app, vec![entry]).await;
    Ok(op)
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
        deactivated_at: None,
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
