//! Channels and their members, as admins set them up.

use crate::App;
use crate::auth::OperatorActor;
use crate::error::CoreError;
use frontline_domain::{Channel, ChannelId, DomainError, Operator, OperatorId, parse_channel_name};
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
pub async fn create(app: &App, admin: &OperatorActor, name: &str) -> Result<Channel, CoreError> {
    admin.require_admin()?;
    let channel = Channel {
        id: ChannelId::new(),
        workspace_id: admin.workspace(),
        name: parse_channel_name(name)?,
        is_default: false,
    };
    app.store.create_channel(&channel).await.map_err(name_taken)?;
    tracing::info!(channel.id = %channel.id, "channel created");
    Ok(channel)
}

pub async fn rename(app: &App, admin: &OperatorActor, id: ChannelId, name: &str) -> Result<Channel, CoreError> {
    admin.require_admin()?;
    let name = parse_channel_name(name)?;
    app.store.rename_channel(admin.workspace(), id, &name).await.map_err(name_taken)
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
    admin: &OperatorActor,
    id: ChannelId,
    operator_ids: &[String],
) -> Result<Vec<Operator>, CoreError> {
    admin.require_admin()?;
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
    match app.store.set_channel_members(ws, id, &ids).await {
        Ok(()) => {}
        Err(StoreError::NotFound) => return Err(CoreError::NotFound("operator")),
        Err(e) => return Err(e.into()),
    }
    members(app, admin, id).await
}
