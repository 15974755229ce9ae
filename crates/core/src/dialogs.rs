//! The operator's side of dialogs: list, read, reply, mark read, close.

use crate::App;
use crate::actor::OperatorActor;
use crate::error::{CoreError, dialog_not_found};
use crate::publisher::publish_posted;
use crate::reads::{views, visible_dialog};
use crate::views::{DialogView, Event};
use frontline_domain::{
    AttachmentId, Audience, AuthorKind, ChannelId, ClientId, CloseReason, Dialog, DialogId, DialogStatus, Message,
    MessageId, NewMessage, OperatorId,
};
use frontline_store::{
    AssigneeFilter, DialogCursor, DialogFilter, DialogPage, DialogSort, PostMessage, PostTarget, Posted,
};

/// Which dialogs a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Open and not snoozed.
    Open,
    /// Open and snoozed.
    Snoozed,
    Closed,
    All,
}

impl StatusFilter {
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        match s {
            "open" => Ok(Self::Open),
            "snoozed" => Ok(Self::Snoozed),
            "closed" => Ok(Self::Closed),
            "all" => Ok(Self::All),
            _ => Err(frontline_domain::DomainError::Invalid {
                field: "status",
                reason: "must be open, snoozed, closed or all",
            }
            .into()),
        }
    }

    pub fn status(self) -> Option<DialogStatus> {
        match self {
            Self::Open | Self::Snoozed => Some(DialogStatus::Open),
            Self::Closed => Some(DialogStatus::Closed),
            Self::All => None,
        }
    }

    /// Whether the list takes snoozed dialogs: never for open, only them for snoozed.
    pub fn snoozed(self) -> Option<bool> {
        match self {
            Self::Open => Some(false),
            Self::Snoozed => Some(true),
            Self::Closed | Self::All => None,
        }
    }
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
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub status: Option<StatusFilter>,
    pub assignee: AssigneeQuery,
    pub unanswered: bool,
    pub channel: Option<ChannelId>,
    pub tag: Option<frontline_domain::TagId>,
    /// Only dialogs of visitors in this segment (now).
    pub segment: Option<uuid::Uuid>,
    /// Only dialogs whose custom field holds a value: `key:value`.
    pub field: Option<String>,
    pub sort: DialogSort,
}

fn store_filter(
    app: &App,
    actor: &OperatorActor,
    q: &ListQuery,
    field: Option<(String, frontline_domain::leads::Value)>,
) -> DialogFilter {
    DialogFilter {
        status: q.status.unwrap_or(StatusFilter::Open).status(),
        snoozed: q.status.unwrap_or(StatusFilter::Open).snoozed(),
        tag: q.tag,
        visible_to: (!actor.operator.role.sees_all_channels()).then_some(actor.operator.id),
        assignee: q.assignee.filter(actor.operator.id),
        unanswered: q.unanswered,
        channel: q.channel,
        segment: q.segment.map(|id| (id, app.clock.now())),
        field,
        sort: q.sort,
    }
}

/// A page of the dialog list (longest waiting first by default).
pub async fn list(app: &App, actor: &OperatorActor, q: &ListQuery, page: DialogPage) -> Result<DialogList, CoreError> {
    let field = match &q.field {
        Some(raw) => Some(crate::fields::list_filter(app, actor.workspace(), raw).await?),
        None => None,
    };
    let dialogs = match app.store.list_dialogs(actor.workspace(), &store_filter(app, actor, q, field), page).await {
        Err(frontline_store::StoreError::NotFound) if q.segment.is_some() => {
            return Err(CoreError::NotFound("segment"));
        }
        other => other?,
    };
    let next = if dialogs.len() == page.limit as usize {
        dialogs.last().map(|d| DialogCursor::sorted(d, q.sort))
    } else {
        None
    };
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
        let f = store_filter(app, actor, &q, None);
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

/// The earlier texts of a message of a dialog the operator sees, oldest first.
pub async fn message_edits(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    message: uuid::Uuid,
) -> Result<Vec<crate::views::MessageEditView>, CoreError> {
    visible_dialog(app, actor, id).await?;
    let m = match app.store.message_by_id(actor.workspace(), message).await {
        Ok(m) if m.dialog_id == id => m,
        Ok(_) | Err(frontline_store::StoreError::NotFound) => return Err(CoreError::NotFound("message")),
        Err(e) => return Err(e.into()),
    };
    let edits = app.store.message_edits(actor.workspace(), m.id).await?;
    Ok(edits.iter().map(crate::views::MessageEditView::from).collect())
}

/// The mail a message was made of, as it came (its start only when it was over the upload
/// limit: the flag says so); `NotFound("mail")` for a message that did not come by mail.
pub async fn message_mail(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    message: uuid::Uuid,
) -> Result<(Vec<u8>, bool), CoreError> {
    visible_dialog(app, actor, id).await?;
    match app.store.mail_original(actor.workspace(), frontline_domain::MessageId(message)).await? {
        Some(m) if m.dialog_id == id => Ok((m.raw, m.truncated)),
        _ => Err(CoreError::NotFound("mail")),
    }
}

/// What an operator writes into a dialog: a reply to the visitor, or an internal note.
#[derive(Debug, Clone, Default)]
pub struct Compose<'a> {
    pub client_id: &'a str,
    pub body: &'a str,
    /// An internal note: operators only, not a reply.
    pub internal: bool,
    pub attachments: &'a [AttachmentId],
    /// Why the operator sends past a quality-guard block that allows it.
    pub guard_override: Option<&'a str>,
}

/// An operator replies in a dialog.
pub async fn reply(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    client_id: &str,
    body: &str,
) -> Result<Posted, CoreError> {
    write(app, actor, id, &Compose { client_id, body, ..Compose::default() }).await
}

/// An operator writes a reply or a note, with files. A reply to an unassigned dialog assigns
/// it to him; a note changes nothing but the timeline, and notifies those it mentions.
pub async fn write(app: &App, actor: &OperatorActor, id: DialogId, c: &Compose<'_>) -> Result<Posted, CoreError> {
    let client_id = ClientId::parse(c.client_id)?;
    let op = &actor.operator;
    let attachments = crate::files::take(app, op.workspace_id, "operator", op.id.0, c.attachments).await?;
    let body = crate::files::body_with(c.body, !attachments.is_empty(), app.config.message_limit)?;
    let dialog = visible_dialog(app, actor, id).await?;
    // A reply to the visitor: the message this `client_id` stored before, if any (read once for
    // the guard and for the unassigned dialog's claim below).
    let reply = !c.internal && dialog.status == DialogStatus::Open;
    let earlier = if reply { app.store.message_by_client_id(op.id.0, client_id.as_str()).await? } else { None };
    // The guard looks at what the visitor would read (notes are for colleagues); a repeat of a
    // stored send is answered below as it was, whatever the rules say now.
    let guarded = if reply && earlier.is_none() {
        crate::quality::on_send(app, actor, &dialog, body.as_str(), c.guard_override).await?
    } else {
        Vec::new()
    };
    let mentions = if c.internal { mentioned(app, &dialog, body.as_str()).await? } else { Vec::new() };
    let now = app.clock.now();
    let timers = if c.internal {
        Default::default()
    } else {
        let a = crate::automation::for_channel(app, op.workspace_id, dialog.channel_id).await?;
        crate::automation::operator_timers(&a, body.as_str(), now)
    };
    let message = NewMessage {
        id: MessageId::new(),
        client_id,
        author_kind: AuthorKind::Operator,
        author_id: op.id.0,
        body,
        created_at: now,
        audience: if c.internal { Audience::Operators } else { Audience::All },
        event: None,
        attachments,
        mentions,
        automatic: None,
    };
    let author_name = Some(op.display_name.as_str().to_owned());
    if reply && dialog.assignee.is_none() {
        // A retried send is answered by the post below (stored once); one reusing the id of
        // another dialog's message is refused before anything changes.
        match earlier {
            Some(first) if first.dialog_id != id => {
                return Err(CoreError::ClientIdReused { dialog: first.dialog_id });
            }
            Some(_) => {}
            None => {
                let reply = frontline_store::NewLine {
                    message: message.clone(),
                    author_name: author_name.clone(),
                    timers: timers.clone(),
                };
                if let Some(posted) = crate::assignment::claim_with_reply(app, actor, &dialog, reply).await? {
                    if !posted.duplicate {
                        crate::quality::record(app, &guarded, posted.message.created_at).await?;
                    }
                    return Ok(posted);
                }
            }
        }
    }
    let posted = app
        .store
        .post_message(PostMessage {
            workspace_id: op.workspace_id,
            target: PostTarget::Dialog(id),
            message,
            author_name,
            timers,
            opening: None,
        })
        .await
        .map_err(dialog_not_found)?;
    if posted.duplicate && posted.message.dialog_id != id {
        return Err(CoreError::ClientIdReused { dialog: posted.message.dialog_id });
    }
    if !posted.duplicate {
        crate::quality::record(app, &guarded, posted.message.created_at).await?;
    }
    let visitor = app.store.visitor(op.workspace_id, posted.dialog.visitor_id).await?;
    publish_posted(app, &posted, &visitor).await;
    if !posted.duplicate && !posted.message.mentions.is_empty() {
        let view = views(app, std::slice::from_ref(&posted.dialog)).await?.remove(0);
        let message = crate::views::MessageView::from(&posted.message);
        for who in &posted.message.mentions {
            let event = Event::Mention { operator_id: who.0, dialog: Box::new(view.clone()), message: message.clone() };
            crate::publisher::publish(app, event, op.workspace_id, posted.dialog.channel_id, posted.dialog.visitor_id);
        }
    }
    Ok(posted)
}

/// The operators a note mentions who can see its dialog (members of its channel, admins and
/// supervisors); a mention of anyone else notifies nobody.
async fn mentioned(app: &App, dialog: &Dialog, body: &str) -> Result<Vec<OperatorId>, CoreError> {
    if !body.contains('@') {
        return Ok(Vec::new());
    }
    let ops = app.store.list_operators(dialog.workspace_id).await?;
    let members = app.store.channel_members(dialog.workspace_id, dialog.channel_id).await?;
    let found = frontline_domain::mention::find_mentions(body, ops.iter().map(|o| (o.id, o.display_name.as_str())));
    Ok(found
        .into_iter()
        .filter(|id| members.contains(id) || ops.iter().any(|o| o.id == *id && o.role.sees_all_channels()))
        .collect())
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
        crate::publisher::publish(app, event, actor.workspace(), after.channel_id, after.visitor_id);
    }
    if after.operator_read_seq != before.operator_read_seq {
        let event =
            Event::DialogRead { dialog_id: after.id.0, reader: "operator".into(), seq: after.operator_read_seq };
        crate::publisher::publish(app, event, actor.workspace(), after.channel_id, after.visitor_id);
    }
    Ok(view)
}

/// Closes a dialog; closing a closed one returns it unchanged. A channel that requires a
/// category refuses to close a dialog without one.
pub async fn close(app: &App, actor: &OperatorActor, id: DialogId) -> Result<DialogView, CoreError> {
    let before = visible_dialog(app, actor, id).await?;
    if before.status == DialogStatus::Open && before.category.is_none() {
        let channel = app.store.channel(actor.workspace(), before.channel_id).await?;
        if channel.settings.require_category {
            return Err(CoreError::CategoryRequired);
        }
    }
    if before.status == DialogStatus::Open {
        crate::fields::check_before_close(app, &before).await?;
    }
    let (dialog, changed) = app
        .store
        .close_with_reason(actor.workspace(), id, CloseReason::Operator, app.clock.now(), actor.event_actor())
        .await
        .map_err(dialog_not_found)?;
    let view = views(app, std::slice::from_ref(&dialog)).await?.remove(0);
    if changed {
        tracing::info!(dialog.id = %dialog.id, operator.id = %actor.operator.id, "dialog closed");
        let event = Event::DialogClosed { dialog: view.clone() };
        crate::publisher::publish(app, event, actor.workspace(), dialog.channel_id, dialog.visitor_id);
    }
    Ok(view)
}

/// Closes each of the dialogs on its own: one refused does not stop the others (a store
/// failure stops all).
pub async fn close_many(
    app: &App,
    actor: &OperatorActor,
    ids: &[DialogId],
) -> Result<Vec<(DialogId, Result<(), CoreError>)>, CoreError> {
    if ids.is_empty() || ids.len() > 100 {
        return Err(frontline_domain::DomainError::invalid("ids", "1 to 100 dialogs").into());
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match close(app, actor, *id).await {
            Ok(_) => out.push((*id, Ok(()))),
            Err(e @ (CoreError::Unavailable(_) | CoreError::Internal(_))) => return Err(e),
            Err(e) => out.push((*id, Err(e))),
        }
    }
    Ok(out)
}
