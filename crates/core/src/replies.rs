//! Saved replies: personal ones, a channel's, and the workspace's.

use crate::App;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use frontline_domain::{ChannelId, ReplyScope, SavedReply, SavedReplyId};
use frontline_store::StoreError;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SavedReplyView {
    pub id: uuid::Uuid,
    /// `personal`, `channel` or `workspace`.
    pub scope: String,
    pub channel_id: Option<uuid::Uuid>,
    pub owner_id: Option<uuid::Uuid>,
    pub title: String,
    /// May hold `{visitor.name}`, `{visitor.first_name}`, `{operator.name}`,
    /// `{operator.first_name}`, filled by the console on insert.
    pub body: String,
}

impl From<&SavedReply> for SavedReplyView {
    fn from(r: &SavedReply) -> Self {
        Self {
            id: r.id.0,
            scope: r.scope.as_str().to_owned(),
            channel_id: r.channel.map(|c| c.0),
            owner_id: r.owner.map(|o| o.0),
            title: r.title.clone(),
            body: r.body.clone(),
        }
    }
}

fn rank(scope: ReplyScope) -> u8 {
    match scope {
        ReplyScope::Personal => 0,
        ReplyScope::Channel => 1,
        ReplyScope::Workspace => 2,
    }
}

/// The replies the operator may use: his own, his channels', the workspace's, in that order,
/// each group by title.
pub async fn list(app: &App, actor: &OperatorActor) -> Result<Vec<SavedReplyView>, CoreError> {
    let channels = crate::reads::visible_channels(app, actor).await?.map(|c| c.into_iter().collect::<Vec<_>>());
    let mut all: Vec<SavedReply> = app
        .store
        .saved_replies(actor.workspace())
        .await?
        .into_iter()
        .filter(|r| r.usable_by(actor.operator.id, channels.as_deref()))
        .collect();
    all.sort_by_key(|r| (rank(r.scope), r.title.to_lowercase()));
    Ok(all.iter().map(SavedReplyView::from).collect())
}

/// Who may change a reply: its owner for a personal one, admins and supervisors otherwise.
fn may_edit(actor: &OperatorActor, r: &SavedReply) -> Result<(), CoreError> {
    match r.scope {
        ReplyScope::Personal if r.owner == Some(actor.operator.id) => Ok(()),
        ReplyScope::Personal => Err(CoreError::NotFound("saved reply")),
        _ => actor.manager().map(|_| ()),
    }
}

pub async fn create(
    app: &App,
    actor: &OperatorActor,
    scope: &str,
    channel: Option<uuid::Uuid>,
    title: &str,
    body: &str,
) -> Result<SavedReplyView, CoreError> {
    let scope = ReplyScope::parse(scope)?;
    let (owner, channel) = match scope {
        ReplyScope::Personal => (Some(actor.operator.id), None),
        ReplyScope::Workspace => (None, None),
        ReplyScope::Channel => {
            let Some(ch) = channel.map(ChannelId) else {
                return Err(frontline_domain::DomainError::invalid("channel_id", "required for a channel reply").into());
            };
            match app.store.channel(actor.workspace(), ch).await {
                Ok(_) => (None, Some(ch)),
                Err(StoreError::NotFound) => {
                    return Err(CoreError::UnknownReference { field: "channel_id".into(), what: "channel" });
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let now = app.clock.now();
    let reply = SavedReply {
        id: SavedReplyId::new(),
        workspace_id: actor.workspace(),
        scope,
        owner,
        channel,
        title: SavedReply::parse_title(title)?,
        body: SavedReply::parse_body(body)?,
        created_at: now,
        updated_at: now,
    };
    may_edit(actor, &reply)?;
    app.store.create_saved_reply(&reply).await?;
    Ok(SavedReplyView::from(&reply))
}

async fn get(app: &App, actor: &OperatorActor, id: SavedReplyId) -> Result<SavedReply, CoreError> {
    match app.store.saved_reply(actor.workspace(), id).await {
        Ok(r) => Ok(r),
        Err(StoreError::NotFound) => Err(CoreError::NotFound("saved reply")),
        Err(e) => Err(e.into()),
    }
}

pub async fn update(
    app: &App,
    actor: &OperatorActor,
    id: SavedReplyId,
    title: Option<&str>,
    body: Option<&str>,
) -> Result<SavedReplyView, CoreError> {
    let mut reply = get(app, actor, id).await?;
    may_edit(actor, &reply)?;
    if let Some(t) = title {
        reply.title = SavedReply::parse_title(t)?;
    }
    if let Some(b) = body {
        reply.body = SavedReply::parse_body(b)?;
    }
    reply.updated_at = app.clock.now();
    Ok(SavedReplyView::from(&app.store.update_saved_reply(&reply).await?))
}

pub async fn delete(app: &App, actor: &OperatorActor, id: SavedReplyId) -> Result<(), CoreError> {
    let reply = get(app, actor, id).await?;
    may_edit(actor, &reply)?;
    Ok(app.store.delete_saved_reply(actor.workspace(), id).await?)
}
