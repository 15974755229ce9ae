//! Channels and their members, as admins set them up.

use crate::App;
use crate::actor::Admin;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use frontline_domain::{
    Channel, ChannelId, ChannelMode, DomainError, Greeting, OfflinePolicy, Operator, OperatorId, WaitLimit,
    parse_channel_name,
};
use frontline_store::StoreError;

fn channel_not_found(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::NotFound("channel"),
        other => other.into(),
    }
}

fn name_taken(e: StoreError) -> CoreError {
    match e {
        StoreError::Conflict(_) => CoreError::ChannelNameTaken,
        other => channel_not_found(other),
    }
}

/// An admin adds a channel (a city, a department).
pub async fn create(app: &App, admin: &Admin<'_>, name: &str) -> Result<Channel, CoreError> {
    let channel = Channel {
        id: ChannelId::new(),
        workspace_id: admin.workspace(),
        name: parse_channel_name(name)?,
        is_default: false,
        settings: Default::default(),
    };
    app.store.create_channel(&channel).await.map_err(name_taken)?;
    tracing::info!(channel.id = %channel.id, "channel created");
    Ok(channel)
}

/// What an admin changes in a channel; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ChannelPatch<'a> {
    pub name: Option<&'a str>,
    pub mode: Option<&'a str>,
    pub greeting: Option<&'a str>,
    pub wait_alert_seconds: Option<i64>,
    pub offline_policy: Option<&'a str>,
    pub require_category: Option<bool>,
    pub reopen_window_minutes: Option<i64>,
}

/// An admin changes a channel: every field is checked before anything is written.
pub async fn update(app: &App, admin: &Admin<'_>, id: ChannelId, p: ChannelPatch<'_>) -> Result<Channel, CoreError> {
    let ws = admin.workspace();
    let name = p.name.map(parse_channel_name).transpose()?;
    let mode = p.mode.map(ChannelMode::parse).transpose()?;
    let greeting = p.greeting.map(Greeting::parse).transpose()?;
    let wait_limit = p.wait_alert_seconds.map(WaitLimit::seconds).transpose()?;
    let offline_policy = p.offline_policy.map(OfflinePolicy::parse).transpose()?;
    let reopen_window = p.reopen_window_minutes.map(frontline_domain::ReopenWindow::minutes).transpose()?;
    let mut channel = app.store.channel(ws, id).await.map_err(channel_not_found)?;
    if let Some(name) = name.filter(|n| *n != channel.name) {
        channel = app.store.rename_channel(ws, id, &name).await.map_err(name_taken)?;
    }
    let mut settings = channel.settings.clone();
    settings.mode = mode.unwrap_or(settings.mode);
    settings.greeting = greeting.unwrap_or(settings.greeting);
    settings.wait_limit = wait_limit.unwrap_or(settings.wait_limit);
    settings.offline_policy = offline_policy.unwrap_or(settings.offline_policy);
    settings.require_category = p.require_category.unwrap_or(settings.require_category);
    settings.reopen_window = reopen_window.unwrap_or(settings.reopen_window);
    if settings != channel.settings {
        channel = app.store.update_channel_settings(ws, id, &settings).await.map_err(channel_not_found)?;
        tracing::info!(channel.id = %id, mode = settings.mode.as_str(), "channel settings changed");
        crate::assignment::auto_assign(app, ws, id).await;
    }
    Ok(channel)
}

/// The operators of a channel.
pub async fn members(app: &App, actor: &OperatorActor, id: ChannelId) -> Result<Vec<Operator>, CoreError> {
    let ws = actor.workspace();
    app.store.channel(ws, id).await.map_err(channel_not_found)?;
    let ids = app.store.channel_members(ws, id).await?;
    let mut all = app.store.list_operators(ws).await?;
    all.retain(|o| ids.contains(&o.id));
    Ok(all)
}

/// An admin sets who works in a channel: the list replaces the old one, all or nothing.
pub async fn set_members(
    app: &App,
    admin: &Admin<'_>,
    id: ChannelId,
    operator_ids: &[String],
) -> Result<Vec<Operator>, CoreError> {
    if operator_ids.len() > 1000 {
        return Err(DomainError::Invalid { field: "operator_ids", reason: "at most 1000 operators" }.into());
    }
    let ids = operator_ids
        .iter()
        .map(|s| s.parse::<OperatorId>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| DomainError::Invalid { field: "operator_ids", reason: "not an operator id" })?;
    let ws = admin.workspace();
    app.store.channel(ws, id).await.map_err(channel_not_found)?;
    match app.store.set_channel_members(ws, id, &ids, admin.event_actor(), app.clock.now()).await {
        Ok(()) => {}
        Err(StoreError::NotFound) => return Err(CoreError::NotFound("operator")),
        Err(e) => return Err(e.into()),
    }
    // Open consoles read their channels again: one removed stops seeing the channel at once.
    crate::publisher::access_changed(app, ws, None);
    members(app, admin, id).await
}
