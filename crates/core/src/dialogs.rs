//! The operator's side of dialogs: list, read, reply, mark read, close.

use crate::auth::OperatorActor;
use crate::error::{CoreError, dialog_not_found};
use crate::views::{DialogView, Event};
use crate::widget::publish_posted;
use crate::{App, audience};
use frontline_domain::{
    AuthorKind, ChannelId, ClientId, Dialog, DialogId, DialogStatus, Message, MessageBody, MessageId, NewMessage,
    OperatorId, Visitor, VisitorId,
};
use frontline_store::{
    AssigneeFilter, DialogCursor, DialogFilter, DialogPage, DialogSort, PostMessage, PostTarget, Posted,
};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// Which dialogs a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Open,
    Closed,
    All,
}

impl StatusFilter {
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        match s {
            "open" => Ok(Self::Open),
            "closed" => Ok(Self::Closed),
            "all" => Ok(Self::All),
            _ => Err(frontline_domain::DomainError::Invalid { field: "status", reason: "must be open, closed or all" }
                .into()),
        }
    }

    pub fn status(self) -> Option<DialogStatus> {
        match self {
            Self::Open => Some(DialogStatus::Open),
            Self::Closed => Some(DialogStatus::Closed),
            Self::All => None,
        }
    }
}

/// The channels whose dialogs the operator sees: `None` for all (admins, supervisors).
pub async fn visible_channels(app: &App, actor: &OperatorActor) -> Result<Option<HashSet<ChannelId>>, CoreError> {
    if actor.operator.role.sees_all_channels() {
        return Ok(None);
    }
    Ok(Some(app.store.operator_channels(actor.workspace(), actor.operator.id).await?.into_iter().collect()))
}

/// A dialog the operator may see; one of another channel is "not found", exactly like one
/// that does not exist, so its existence does not leak.
pub(crate) async fn visible_dialog(app: &App, actor: &OperatorActor, id: DialogId) -> Result<Dialog, CoreError> {
    let d = app.store.dialog(actor.workspace(), id).await.map_err(dialog_not_found)?;
    match visible_channels(app, actor).await? {
        Some(mine) if !mine.contains(&d.channel_id) => Err(CoreError::DialogNotFound),
        _ => Ok(d),
    }
}

/// Views of dialogs, reading each visitor once and the assignees' names at most once.
pub(crate) async fn views(app: &App, dialogs: &[Dialog]) -> Result<Vec<DialogView>, CoreError> {
    let mut visitors: HashMap<VisitorId, Visitor> = HashMap::new();
    let mut names: Option<HashMap<OperatorId, String>> = None;
    let mut out = Vec::with_capacity(dialogs.len());
    for d in dialogs {
        let visitor = match visitors.entry(d.visitor_id) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(app.store.visitor(d.workspace_id, d.visitor_id).await?),
        };
        let assignee = match d.assignee {
            None => None,
            Some(a) => {
                if names.is_none() {
                    let ops = app.store.list_operators(d.workspace_id).await?;
                    let read: HashMap<OperatorId, String> =
                        ops.into_iter().map(|o| (o.id, o.display_name.as_str().to_owned())).collect();
                    if let Ok(mut cache) = app.names.lock() {
                        cache.extend(read.iter().map(|(k, v)| (*k, v.clone())));
                    }
                    names = Some(read);
                }
                names.as_ref().and_then(|n| n.get(&a.operator)).map(String::as_str)
            }
        };
        out.push(DialogView::new(d, visitor, assignee));
    }
    Ok(out)
}

/// A page of the dialog list and where the next one starts (when the page is full).
pub struct DialogList {
    pub items: Vec<DialogView>,
    pub next: Option<DialogCursor>,
}

/// Whose dialogs the list shows, as the operator asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssigneeQuery {
    #[default]
    Any,
    Mine,
    MineOrUnassigned,
    Unassigned,
    Operator(OperatorId),
}

impl AssigneeQuery {
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        Ok(match s {
            "any" => Self::Any,
            "mine" => Self::Mine,
            "mine_or_unassigned" => Self::MineOrUnassigned,
            "unassigned" => Self::Unassigned,
            other => Self::Operator(other.parse().map_err(|_| frontline_domain::DomainError::Invalid {
                field: "assignee",
                reason: "must be any, mine, mine_or_unassigned, unassigned or an operator id",
            })?),
        })
    }

    fn filter(self, me: OperatorId) -> AssigneeFilter {
        match self {
            Self::Any => AssigneeFilter::Any,
            Self::Mine => AssigneeFilter::Operator(me),
            Self::MineOrUnassigned => AssigneeFilter::OperatorOrUnassigned(me),
            Self::Unassigned => AssigneeFilter::Unassigned,
            Self::Operator(op) => AssigneeFilter::Operator(op),
        }
    }
}

/// What the console's list asks for; the fields combine.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListQuery {
    pub status: Option<StatusFilter>,
    pub assignee: AssigneeQuery,
    pub unanswered: bool,
    pub channel: Option<ChannelId>,
    pub sort: DialogSort,
}

fn store_filter(actor: &OperatorActor, q: &ListQuery) -> DialogFilter {
    DialogFilter {
        status: q.status.unwrap_or(StatusFilter::Open).status(),
        visible_to: (!actor.operator.role.sees_all_channels()).then_some(actor.operator.id),
        assignee: q.assignee.filter(actor.operator.id),
        unanswered: q.unanswered,
        channel: q.channel,
        sort: q.sort,
    }
}

/// A page of the dialog list (longest waiting first by default).
pub async fn list(app: &App, actor: &OperatorActor, q: &ListQuery, page: DialogPage) -> Result<DialogList, CoreError> {
    let dialogs = app.store.list_dialogs(actor.workspace(), &store_filter(actor, q), page).await?;
    let next = if dialogs.len() == page.limit as usize { dialogs.last().map(DialogCursor::of) } else { None };
    Ok(DialogList { items: views(app, &dialogs).await?, next })
}

/// The console's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    /// Open unassigned dialogs the operator sees.
    pub queue: i64,
    /// His open dialogs.
    pub mine: i64,
    /// His open dialogs whose last message is the visitor's.
    pub unanswered_mine: i64,
}

pub async fn counts(app: &App, actor: &OperatorActor) -> Result<Counts, CoreError> {
    let ws = actor.workspace();
    let q = |assignee, unanswered| ListQuery { assignee, unanswered, ..ListQuery::default() };
    let count = |q: ListQuery| {
        let f = store_filter(actor, &q);
        async move { app.store.count_dialogs(ws, &f).await }
    };
    Ok(Counts {
        queue: count(q(AssigneeQuery::Unassigned, false)).await?,
        mine: count(q(AssigneeQuery::Mine, false)).await?,
        unanswered_mine: count(q(AssigneeQuery::Mine, true)).await?,
    })
}

pub async fn get(app: &App, actor: &OperatorActor, id: DialogId) -> Result<DialogView, CoreError> {
    let d = visible_dialog(app, actor, id).await?;
    Ok(views(app, &[d]).await?.remove(0))
}

/// Messages with `seq > after_seq`, in order.
pub async fn messages(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    after_seq: i64,
    limit: u32,
) -> Result<Vec<Message>, CoreError> {
    // Checks the operator may see the dialog before reading anything of it.
    visible_dialog(app, actor, id).await?;
    Ok(app.store.messages(actor.workspace(), id, after_seq, limit, false).await?)
}

/// An operator replies in a dialog.
pub async fn reply(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    client_id: &str,
    body: &str,
) -> Result<Posted, CoreError> {
    let client_id = ClientId::parse(client_id)?;
    let body = MessageBody::parse(body, app.config.message_limit)?;
    let dialog = visible_dialog(app, actor, id).await?;
    if dialog.status == DialogStatus::Open {
        crate::queue::claim_for_reply(app, actor, &dialog).await?;
    }
    let op = &actor.operator;
    let posted = app
        .store
        .post_message(PostMessage {
            workspace_id: op.workspace_id,
            target: PostTarget::Dialog(id),
            message: NewMessage {
                id: MessageId::new(),
                client_id,
                author_kind: AuthorKind::Operator,
                author_id: op.id.0,
                body,
                created_at: app.clock.now(),
                audience: Default::default(),
                event: None,
                attachments: Vec::new(),
                mentions: Vec::new(),
            },
            author_name: Some(op.display_name.as_str().to_owned()),
        })
        .await
        .map_err(dialog_not_found)?;
    let visitor = app.store.visitor(op.workspace_id, posted.dialog.visitor_id).await?;
    publish_posted(app, &posted, &visitor);
    Ok(posted)
}

/// The operators have read the dialog up to `seq`.
pub async fn mark_read(app: &App, actor: &OperatorActor, id: DialogId, seq: i64) -> Result<DialogView, CoreError> {
    if seq < 0 {
        return Err(frontline_domain::DomainError::Invalid { field: "seq", reason: "must not be negative" }.into());
    }
    let before = visible_dialog(app, actor, id).await?;
    let after = app.store.mark_read(actor.workspace(), id, seq.min(before.last_seq)).await.map_err(dialog_not_found)?;
    let view = views(app, std::slice::from_ref(&after)).await?.remove(0);
    if after.unread_count != before.unread_count {
        let event = Event::DialogUpdated { dialog: view.clone() };
        audience::publish(app, event, actor.workspace(), after.channel_id, after.visitor_id);
    }
    Ok(view)
}

/// Closes a dialog; closing a closed one returns it unchanged.
pub async fn close(app: &App, actor: &OperatorActor, id: DialogId) -> Result<DialogView, CoreError> {
    visible_dialog(app, actor, id).await?;
    let (dialog, changed) =
        app.store.close_dialog(actor.workspace(), id, app.clock.now()).await.map_err(dialog_not_found)?;
    let view = views(app, std::slice::from_ref(&dialog)).await?.remove(0);
    if changed {
        tracing::info!(dialog.id = %dialog.id, operator.id = %actor.operator.id, "dialog closed");
        let event = Event::DialogClosed { dialog: view.clone() };
        audience::publish(app, event, actor.workspace(), dialog.channel_id, dialog.visitor_id);
    }
    Ok(view)
}
