//! An operator's life in a workspace after he is created: admins deactivate and reactivate him,
//! change his role, reset his password; he changes his own password and sees and ends his
//! sessions. Every admin action and every failed sign-in is written to the audit log.
//!
//! What stays true:
//! - Deactivating never deletes: his messages, dialogs and name stay in the history. His
//!   sessions end and his open sockets close at once (`access.changed`), and his open dialogs
//!   follow each channel's offline policy, as when he goes offline.
//! - An admin cannot deactivate himself or change his own role (a workspace never locks its
//!   last admin out by mistake).
//! - The audit log never holds a secret: no password, token or hash.

use crate::actor::Admin;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use crate::passwords::hash_password;
use crate::views::OperatorView;
use crate::{App, tokens};
use frontline_domain::{DomainError, Operator, OperatorId, Password, Role, Timestamp, WorkspaceId};
use frontline_store::{AuditEntry, OperatorChange, StoreError};

/// An audit line (not yet written).
pub(crate) fn audit_entry(
    app: &App,
    workspace: Option<WorkspaceId>,
    actor: Option<&Operator>,
    action: &str,
    target: Option<(uuid::Uuid, &str)>,
    ip: Option<&str>,
    details: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        id: uuid::Uuid::now_v7(),
        workspace_id: workspace,
        at: app.clock.now(),
        actor_id: actor.map(|a| a.id),
        actor_name: actor.map(|a| a.display_name.as_str().to_owned()),
        action: action.to_owned(),
        target_id: target.map(|(id, _)| id),
        target_name: target.map(|(_, name)| name.to_owned()),
        ip: ip.map(str::to_owned),
        details,
    }
}

/// Writes audit lines; a failure is logged, never undoes what was done.
pub(crate) async fn record(app: &App, entries: Vec<AuditEntry>) {
    for e in entries {
        if let Err(err) = app.store.append_audit(&e).await {
            tracing::error!(error = %err, action = %e.action, "audit line not written");
        }
    }
}

/// An admin's action on an operator, written to the audit log.
async fn audit(
    app: &App,
    admin: &OperatorActor,
    action: &str,
    target: &Operator,
    ip: Option<&str>,
    details: serde_json::Value,
) {
    let who = Some((target.id.0, target.display_name.as_str()));
    let entry = audit_entry(app, Some(admin.workspace()), Some(&admin.operator), action, who, ip, details);
    record(app, vec![entry]).await;
}

fn not_found(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::NotFound("operator"),
        other => other.into(),
    }
}

/// Refuses an admin's change to himself that could lock the workspace out.
fn not_self(admin: &OperatorActor, id: OperatorId, what: &'static str) -> Result<(), CoreError> {
    if admin.operator.id == id {
        return Err(DomainError::Invalid { field: "id", reason: what }.into());
    }
    Ok(())
}

/// Ends all of an operator's sessions and tells his sockets (every node) at once.
async fn end_sessions(app: &App, op: &Operator) -> Result<u64, CoreError> {
    let n = app.store.delete_operator_sessions(op.workspace_id, op.id).await?;
    crate::publisher::access_changed(app, op.workspace_id, Some(op.id));
    Ok(n)
}

/// Deactivates an operator (admins): he is signed out everywhere, his open dialogs follow each
/// channel's offline policy, and he can no longer sign in.
pub async fn deactivate(
    app: &App,
    admin: &Admin<'_>,
    id: OperatorId,
    ip: Option<&str>,
) -> Result<OperatorView, CoreError> {
    not_self(admin, id, "you cannot deactivate yourself")?;
    let ws = admin.workspace();
    let op = app.store.operator(ws, id).await.map_err(not_found)?;
    if op.deactivated_at.is_some() {
        return crate::reads::operator_view(app, &op).await;
    }
    // Offline first, so his dialogs follow the channels' offline policy as they would at logout.
    crate::presence::set_presence(app, &OperatorActor { operator: op.clone() }, "offline").await?;
    let op = app
        .store
        .change_operator(ws, id, &OperatorChange::Deactivated(app.clock.now()), admin.event_actor(), app.clock.now())
        .await
        .map_err(not_found)?;
    end_sessions(app, &op).await?;
    tracing::info!(operator.id = %id, by = %admin.operator.id, "operator deactivated");
    audit(app, admin, "operator.deactivated", &op, ip, serde_json::json!({})).await;
    changed(app, &op).await
}

/// Lets a deactivated operator sign in again (admins).
pub async fn reactivate(
    app: &App,
    admin: &Admin<'_>,
    id: OperatorId,
    ip: Option<&str>,
) -> Result<OperatorView, CoreError> {
    let ws = admin.workspace();
    let op = app
        .store
        .change_operator(ws, id, &OperatorChange::Reactivated, admin.event_actor(), app.clock.now())
        .await
        .map_err(not_found)?;
    audit(app, admin, "operator.reactivated", &op, ip, serde_json::json!({})).await;
    changed(app, &op).await
}

/// Changes an operator's role (admins); his open sockets follow at once.
pub async fn set_role(
    app: &App,
    admin: &Admin<'_>,
    id: OperatorId,
    role: &str,
    ip: Option<&str>,
) -> Result<OperatorView, CoreError> {
    let role = Role::parse(role)?;
    not_self(admin, id, "you cannot change your own role")?;
    let ws = admin.workspace();
    let before = app.store.operator(ws, id).await.map_err(not_found)?;
    if before.role == role {
        return crate::reads::operator_view(app, &before).await;
    }
    let op = app
        .store
        .change_operator(ws, id, &OperatorChange::Role(role), admin.event_actor(), app.clock.now())
        .await
        .map_err(not_found)?;
    crate::publisher::access_changed(app, ws, Some(id));
    let details = serde_json::json!({ "from": before.role.as_str(), "to": role.as_str() });
    audit(app, admin, "operator.role_changed", &op, ip, details).await;
    changed(app, &op).await
}

/// A new password an admin set for an operator: shown once, to pass on to him.
pub struct ResetPassword {
    pub operator: OperatorView,
    pub password: String,
}

/// Resets an operator's password to a new random one (admins): his sessions end.
pub async fn reset_password(
    app: &App,
    admin: &Admin<'_>,
    id: OperatorId,
    ip: Option<&str>,
) -> Result<ResetPassword, CoreError> {
    let ws = admin.workspace();
    app.store.operator(ws, id).await.map_err(not_found)?;
    let password = tokens::random_alnum(14)?;
    let hash = hash_password(app, &Password::parse(&password)?).await?;
    let op = app
        .store
        .change_operator(ws, id, &OperatorChange::PasswordHash(hash), admin.event_actor(), app.clock.now())
        .await
        .map_err(not_found)?;
    end_sessions(app, &op).await?;
    audit(app, admin, "operator.password_reset", &op, ip, serde_json::json!({})).await;
    Ok(ResetPassword { operator: crate::reads::operator_view(app, &op).await?, password })
}

/// The operator changes his own password, giving the current one; his other sessions end.
pub async fn change_password(
    app: &App,
    actor: &OperatorActor,
    token: &str,
    current: &str,
    new: &str,
    ip: Option<&str>,
) -> Result<(), CoreError> {
    let me = &actor.operator;
    if !crate::passwords::verify(app, me.password_hash.clone(), current.to_owned()).await? {
        return Err(DomainError::Invalid { field: "current_password", reason: "is not your current password" }.into());
    }
    let new = Password::parse(new).map_err(|e| match e {
        DomainError::Invalid { reason, .. } => DomainError::Invalid { field: "new_password", reason },
        other => other,
    })?;
    let hash = hash_password(app, &new).await?;
    let ws = me.workspace_id;
    app.store
        .change_operator(ws, me.id, &OperatorChange::PasswordHash(hash), actor.event_actor(), app.clock.now())
        .await
        .map_err(not_found)?;
    let keep = tokens::hash(token);
    for s in app.store.operator_sessions(ws, me.id, app.clock.now(), Timestamp(0)).await? {
        if s.token_hash != keep {
            app.store.delete_session_of(ws, me.id, &s.token_hash).await?;
        }
    }
    crate::publisher::access_changed(app, ws, Some(me.id));
    let entry = audit_entry(
        app,
        Some(ws),
        Some(me),
        "password.changed",
        Some((me.id.0, me.display_name.as_str())),
        ip,
        serde_json::json!({}),
    );
    record(app, vec![entry]).await;
    Ok(())
}

/// One of an operator's sessions as he sees it. `id` is a short public name of the session
/// (from its hash, never the token).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: String,
    /// The session of this request.
    pub current: bool,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

fn public_id(hash: &[u8]) -> String {
    hash.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// His live sessions, most recently used first.
pub async fn sessions(app: &App, actor: &OperatorActor, token: &str) -> Result<Vec<SessionView>, CoreError> {
    let me = &actor.operator;
    let now = app.clock.now();
    let idle_after = Timestamp(now.0 - app.config.session_idle_ms);
    let current = tokens::hash(token);
    let rows = app.store.operator_sessions(me.workspace_id, me.id, now, idle_after).await?;
    Ok(rows
        .into_iter()
        .map(|s| SessionView {
            id: public_id(&s.token_hash),
            current: s.token_hash == current,
            created_at: crate::views::rfc3339(s.created_at),
            last_seen_at: crate::views::rfc3339(s.last_seen_at),
            expires_at: crate::views::rfc3339(s.expires_at),
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect())
}

/// Ends one of his sessions (`id` from [`sessions`]); its sockets close at once.
pub async fn end_session(app: &App, actor: &OperatorActor, id: &str) -> Result<(), CoreError> {
    let me = &actor.operator;
    let rows = app.store.operator_sessions(me.workspace_id, me.id, app.clock.now(), Timestamp(0)).await?;
    let Some(s) = rows.into_iter().find(|s| public_id(&s.token_hash) == id) else {
        return Err(CoreError::NotFound("session"));
    };
    app.store.delete_session_of(me.workspace_id, me.id, &s.token_hash).await?;
    crate::publisher::access_changed(app, me.workspace_id, Some(me.id));
    Ok(())
}

/// Ends every session of his but this one.
pub async fn end_other_sessions(app: &App, actor: &OperatorActor, token: &str) -> Result<u32, CoreError> {
    let me = &actor.operator;
    let keep = tokens::hash(token);
    let mut ended = 0;
    for s in app.store.operator_sessions(me.workspace_id, me.id, app.clock.now(), Timestamp(0)).await? {
        if s.token_hash != keep && app.store.delete_session_of(me.workspace_id, me.id, &s.token_hash).await? {
            ended += 1;
        }
    }
    crate::publisher::access_changed(app, me.workspace_id, Some(me.id));
    Ok(ended)
}

/// One line of the audit log as admins read it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditView {
    pub id: uuid::Uuid,
    pub at: String,
    /// Who acted (`null`: nobody signed in, e.g. a failed sign-in).
    pub actor: Option<AuditRef>,
    /// Dotted: `operator.created`, `operator.deactivated`, `operator.reactivated`,
    /// `operator.role_changed`, `operator.password_reset`, `password.changed`, `login.failed`.
    pub action: String,
    pub target: Option<AuditRef>,
    pub ip: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditRef {
    pub id: uuid::Uuid,
    pub name: Option<String>,
}

/// A page of the workspace's audit log, newest first (admins).
pub async fn audit_log(
    app: &App,
    admin: &Admin<'_>,
    before: Option<(Timestamp, uuid::Uuid)>,
    limit: u32,
) -> Result<Vec<AuditView>, CoreError> {
    let rows = app.store.audit_log(admin.workspace(), before, limit).await?;
    Ok(rows
        .into_iter()
        .map(|e| AuditView {
            id: e.id,
            at: crate::views::rfc3339(e.at),
            actor: e.actor_id.map(|id| AuditRef { id: id.0, name: e.actor_name.clone() }),
            action: e.action,
            target: e.target_id.map(|id| AuditRef { id, name: e.target_name.clone() }),
            ip: e.ip,
            details: e.details,
        })
        .collect())
}

/// Deletes sessions that expired or went idle (the scheduler, now and then).
pub async fn purge_sessions(app: &App, now: Timestamp) -> Result<u64, CoreError> {
    Ok(app.store.purge_sessions(now, Timestamp(now.0 - app.config.session_idle_ms)).await?)
}

/// Publishes the operator's new view to the workspace.
async fn changed(app: &App, op: &Operator) -> Result<OperatorView, CoreError> {
    let view = crate::reads::operator_view(app, op).await?;
    crate::publisher::publish_to_workspace(
        app,
        crate::views::Event::OperatorUpdated { operator: view.clone() },
        op.workspace_id,
    );
    Ok(view)
}

/// What an operator sets for himself, as the console reads it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema, PartialEq)]
pub struct ProfileView {
    /// The console's language, `ru` or `en`; `null`: the browser's.
    #[schema(value_type = Option<String>, pattern = "^(ru|en)$")]
    pub language: Option<String>,
    /// The saved replies pinned to Ctrl+1 … Ctrl+9: always nine places, `null` for an empty one.
    #[schema(min_items = 9, max_items = 9)]
    pub shortcuts: Vec<Option<uuid::Uuid>>,
    /// Whether he gets mail, when offline or away, about dialogs given to him and notes that
    /// mention him (gathered, one mail per few minutes; in the console's language).
    pub notify_by_mail: bool,
}

impl From<&frontline_store::OperatorSettings> for ProfileView {
    fn from(s: &frontline_store::OperatorSettings) -> Self {
        Self { language: s.language.clone(), shortcuts: s.shortcuts.to_vec(), notify_by_mail: s.notify_by_mail }
    }
}

/// A change of one's own profile; absent fields stay.
#[derive(Debug, Default)]
pub struct ProfileChange<'a> {
    pub display_name: Option<&'a str>,
    /// `Some(None)` goes back to the browser's language.
    pub language: Option<Option<&'a str>>,
    pub shortcuts: Option<&'a [Option<String>]>,
    pub notify_by_mail: Option<bool>,
}

/// His own settings.
pub async fn profile(app: &App, actor: &OperatorActor) -> Result<ProfileView, CoreError> {
    let s = app.store.operator_settings(actor.workspace(), actor.operator.id).await.map_err(not_found)?;
    Ok(ProfileView::from(&s))
}

fn invalid(field: impl Into<String>, reason: &str) -> CoreError {
    CoreError::Invalid { field: field.into(), reason: reason.into() }
}

/// Changes his own name, language or pinned replies. Everything is checked before anything is
/// written: a bad field is named and nothing changes. A pinned reply must be one he may use.
pub async fn update_profile(
    app: &App,
    actor: &OperatorActor,
    change: ProfileChange<'_>,
) -> Result<(OperatorView, ProfileView), CoreError> {
    let me = &actor.operator;
    let ws = actor.workspace();
    let name = change
        .display_name
        .map(|n| frontline_domain::DisplayName::parse(n).map_err(|_| invalid("display_name", "1–80 characters")))
        .transpose()?;
    let language = match change.language {
        Some(Some(l)) if l == "ru" || l == "en" => Some(Some(l.to_owned())),
        Some(Some(_)) => return Err(invalid("language", "ru or en")),
        Some(None) => Some(None),
        None => None,
    };
    let shortcuts = match change.shortcuts {
        None => None,
        Some(list) if list.len() != 9 => return Err(invalid("shortcuts", "exactly 9 places (null for an empty one)")),
        Some(list) => {
            let usable: std::collections::HashSet<uuid::Uuid> =
                crate::replies::list(app, actor).await?.into_iter().map(|r| r.id).collect();
            let mut places = [None; 9];
            for (i, id) in list.iter().enumerate() {
                if let Some(id) = id {
                    let id = id
                        .parse::<uuid::Uuid>()
                        .ok()
                        .filter(|id| usable.contains(id))
                        .ok_or_else(|| invalid(format!("shortcuts[{i}]"), "not a saved reply you may use"))?;
                    places[i] = Some(id);
                }
            }
            Some(places)
        }
    };
    let mut op = me.clone();
    if let Some(name) = name
        && name != me.display_name
    {
        op = app
            .store
            .change_operator(ws, me.id, &OperatorChange::DisplayName(name), actor.event_actor(), app.clock.now())
            .await
            .map_err(not_found)?;
        crate::reads::remember_name(app, op.id, op.display_name.as_str());
    }
    let mut settings = app.store.operator_settings(ws, me.id).await.map_err(not_found)?;
    if language.is_some() || shortcuts.is_some() || change.notify_by_mail.is_some() {
        if let Some(n) = change.notify_by_mail {
            settings.notify_by_mail = n;
        }
        if let Some(l) = language {
            settings.language = l;
        }
        if let Some(s) = shortcuts {
            settings.shortcuts = s;
        }
        app.store.set_operator_settings(ws, me.id, &settings).await.map_err(not_found)?;
    }
    let view = if op.display_name != me.display_name {
        changed(app, &op).await?
    } else {
        crate::reads::operator_view(app, &op).await?
    };
    Ok((view, ProfileView::from(&settings)))
}

/// Renames an operator (admins): the name visitors see from now on; what he wrote keeps the
/// name it was sent under.
pub async fn rename(
    app: &App,
    admin: &Admin<'_>,
    id: OperatorId,
    name: &str,
    ip: Option<&str>,
) -> Result<OperatorView, CoreError> {
    let name = frontline_domain::DisplayName::parse(name).map_err(|_| invalid("display_name", "1–80 characters"))?;
    let ws = admin.workspace();
    let before = app.store.operator(ws, id).await.map_err(not_found)?;
    if before.display_name == name {
        return crate::reads::operator_view(app, &before).await;
    }
    let op = app
        .store
        .change_operator(ws, id, &OperatorChange::DisplayName(name), admin.event_actor(), app.clock.now())
        .await
        .map_err(not_found)?;
    crate::reads::remember_name(app, op.id, op.display_name.as_str());
    let details = serde_json::json!({ "from": before.display_name.as_str(), "to": op.display_name.as_str() });
    audit(app, admin, "operator.renamed", &op, ip, details).await;
    changed(app, &op).await
}
