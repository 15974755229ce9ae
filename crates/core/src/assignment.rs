//! Assignment: accept, assign, transfer, auto-assign, a reply that takes a waiting dialog,
//! waiting alerts.
//!
//! Every change of who handles a dialog is one store call ([`Reassign`]): a compare-and-set on
//! the assignee the caller saw, with the checks (capacity, presence, membership, an online
//! member in the target channel) and the timeline's lines in the same transaction. The events
//! go out after the commit.

use crate::App;
use crate::actor::OperatorActor;
use crate::error::{CoreError, dialog_not_found};
use crate::publisher::publish_reassigned;
use crate::reads::{name, views, visible_dialog};
use crate::views::{DialogView, Event};
use frontline_domain::{
    AuthorKind, Automatic, Channel, ChannelId, ChannelMode, ClientId, Dialog, DialogId, DomainError, MessageBody,
    MessageId, NewMessage, Operator, OperatorId, SystemEvent, Timestamp, WorkspaceId, choose,
};
use frontline_store::{Checks, NewLine, PresenceCheck, Reassign, Refusal, StoreError};
use std::collections::HashMap;

/// A system line for the timeline.
pub(crate) fn system_line(event: SystemEvent, now: Timestamp) -> NewLine {
    NewLine::system(event, now)
}

/// The channel's greeting in the operator's name, its variables filled (the visitor's name,
/// when he gave one, and the operator's). It is no reply: it meets no SLA target and starts no
/// auto-close, and the store sends it only to a dialog nobody greeted or answered yet.
fn greeting(channel: &Channel, op: &Operator, visitor_name: Option<&str>, now: Timestamp) -> NewLine {
    let body = frontline_domain::variables::fill(
        channel.settings.greeting.as_str(),
        visitor_name,
        Some(op.display_name.as_str()),
    );
    let id = MessageId::new();
    NewLine {
        message: NewMessage {
            id,
            client_id: ClientId::from_stored(format!("greeting-{id}")),
            author_kind: AuthorKind::Operator,
            author_id: op.id.0,
            body: MessageBody::from_stored(body),
            created_at: now,
            audience: Default::default(),
            event: None,
            attachments: Vec::new(),
            mentions: Vec::new(),
            automatic: Some(Automatic::Greeting),
        },
        author_name: Some(op.display_name.as_str().to_owned()),
        timers: Default::default(),
    }
}

/// The visitor's own name, for a greeting's variables (`None` when he gave none).
async fn visitor_name(app: &App, d: &Dialog) -> Result<Option<String>, CoreError> {
    let v = app.store.visitor(d.workspace_id, d.visitor_id).await?;
    Ok(v.name.map(|n| n.as_str().to_owned()))
}

/// Turns a refusal into what the caller is told; `AssigneeChanged` names who has it now.
async fn refusal(app: &App, ws: WorkspaceId, e: StoreError) -> CoreError {
    match e {
        StoreError::Refused(Refusal::AssigneeChanged { now: Some(op) }) => {
            let who = app.store.operator(ws, op).await.map(|o| name(&o)).unwrap_or_default();
            CoreError::AlreadyAssigned(who)
        }
        StoreError::Refused(Refusal::AssigneeChanged { now: None }) => CoreError::AlreadyAssigned(String::new()),
        StoreError::Refused(Refusal::CapacityReached { capacity }) => CoreError::CapacityReached(capacity),
        StoreError::Refused(Refusal::OperatorUnavailable) => CoreError::OperatorUnavailable,
        StoreError::Refused(Refusal::NotChannelMember) => CoreError::NotChannelMember,
        StoreError::Refused(Refusal::ChannelUnavailable) => CoreError::ChannelUnavailable,
        other => dialog_not_found(other),
    }
}

/// An operator takes a waiting dialog himself (accept, or a reply): only while nobody has it,
/// within his capacity, whatever his presence. With `greet` (the channel and the visitor's
/// name), the channel's greeting follows.
fn take_waiting(d: &Dialog, me: &Operator, greet: Option<(&Channel, Option<&str>)>, now: Timestamp) -> Reassign {
    let mut lines = vec![system_line(SystemEvent::Assigned { operator: name(me), by: Some(name(me)) }, now)];
    lines.extend(greet.map(|(channel, visitor)| greeting(channel, me, visitor, now)));
    Reassign {
        actor: frontline_domain::Actor::operator(me.id),
        workspace_id: d.workspace_id,
        dialog: d.id,
        expect: None,
        to: Some(me.id),
        to_channel: None,
        checks: Checks { capacity: true, presence: PresenceCheck::Any, member: false },
        lines,
        now,
    }
}

/// The operator takes a waiting dialog. Of many accepting at once exactly one wins; the others
/// are told who has it. The channel's greeting goes to the visitor in his name.
pub async fn accept(app: &App, actor: &OperatorActor, id: DialogId) -> Result<DialogView, CoreError> {
    let d = visible_dialog(app, actor, id).await?;
    let me = &actor.operator;
    if d.status == frontline_domain::DialogStatus::Closed {
        return Err(DomainError::DialogClosed.into());
    }
    if let Some(a) = d.assignee {
        if a.operator == me.id {
            return Ok(views(app, &[d]).await?.remove(0));
        }
        return Err(refusal(
            app,
            d.workspace_id,
            StoreError::Refused(Refusal::AssigneeChanged { now: Some(a.operator) }),
        )
        .await);
    }
    let channel = app.store.channel(d.workspace_id, d.channel_id).await?;
    let now = app.clock.now();
    let visitor = visitor_name(app, &d).await?;
    let change = take_waiting(&d, me, Some((&channel, visitor.as_deref())), now);
    let done = app.store.reassign(&change).await;
    let done = match done {
        Ok(done) => done,
        // His own accept from another tab won a moment before: the dialog is his, as asked.
        Err(StoreError::Refused(Refusal::AssigneeChanged { now: Some(op) })) if op == me.id => {
            let now = app.store.dialog(d.workspace_id, d.id).await.map_err(dialog_not_found)?;
            return Ok(views(app, &[now]).await?.remove(0));
        }
        Err(e) => return Err(refusal(app, d.workspace_id, e).await),
    };
    tracing::info!(dialog.id = %d.id, operator.id = %me.id, "dialog accepted");
    publish_reassigned(app, &done).await
}

/// Assigns by hand (`Some`) or puts the dialog back in its queue (`None`). An operator may
/// assign only to himself; supervisors and admins to any member of the dialog's channel.
pub async fn assign(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    to: Option<OperatorId>,
) -> Result<DialogView, CoreError> {
    let d = visible_dialog(app, actor, id).await?;
    let me = &actor.operator;
    let current = d.assignee.map(|a| a.operator);
    let is_lead = me.role.sees_all_channels();
    // An operator assigns only to himself, and (the rule transfers follow too) only a dialog
    // that waits or is his.
    if !frontline_domain::queue::may_change_hands(me.role, me.id, current)
        || (!is_lead && to.is_some_and(|t| t != me.id))
        || (!is_lead && to.is_none() && current != Some(me.id))
    {
        return Err(CoreError::Forbidden);
    }
    if d.status == frontline_domain::DialogStatus::Closed {
        return Err(DomainError::DialogClosed.into());
    }
    if to == current {
        return Ok(views(app, &[d]).await?.remove(0));
    }
    let ws = d.workspace_id;
    let now = app.clock.now();
    let mut lines = Vec::new();
    match to {
        Some(target) => {
            let op = app.store.operator(ws, target).await.map_err(|e| match e {
                StoreError::NotFound => CoreError::NotFound("operator"),
                other => other.into(),
            })?;
            lines.push(system_line(SystemEvent::Assigned { operator: name(&op), by: Some(name(me)) }, now));
            if current.is_none() {
                let channel = app.store.channel(ws, d.channel_id).await?;
                let visitor = visitor_name(app, &d).await?;
                lines.push(greeting(&channel, &op, visitor.as_deref(), now));
            }
        }
        None => {
            let prev = match current {
                Some(p) => app.store.operator(ws, p).await.map(|o| name(&o)).unwrap_or_default(),
                None => String::new(),
            };
            lines.push(system_line(SystemEvent::Unassigned { operator: prev, by: Some(name(me)) }, now));
        }
    }
    let change = Reassign {
        actor: frontline_domain::Actor::operator(me.id),
        workspace_id: ws,
        dialog: d.id,
        expect: current,
        to,
        to_channel: None,
        checks: Checks {
            capacity: true,
            presence: if to == Some(me.id) { PresenceCheck::Any } else { PresenceCheck::NotOffline },
            member: to != Some(me.id),
        },
        lines,
        now,
    };
    let done = match app.store.reassign(&change).await {
        Ok(done) => done,
        Err(e) => return Err(refusal(app, ws, e).await),
    };
    let view = publish_reassigned(app, &done).await?;
    if to.is_none() {
        auto_assign(app, ws, d.channel_id).await;
    }
    Ok(view)
}

/// Where a transfer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferTarget {
    Operator(OperatorId),
    Channel(ChannelId),
}

/// Hands the dialog to a colleague (online, a member of its channel, below capacity) or to
/// another channel (which must have someone online). The comment is for operators; the visitor
/// sees a short notice. The history goes along: it is the same dialog.
pub async fn transfer(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    target: TransferTarget,
    comment: Option<&str>,
) -> Result<DialogView, CoreError> {
    let comment = frontline_domain::queue::parse_comment(comment)?;
    let d = visible_dialog(app, actor, id).await?;
    let me = &actor.operator;
    if !frontline_domain::queue::may_change_hands(me.role, me.id, d.assignee.map(|a| a.operator)) {
        return Err(CoreError::Forbidden);
    }
    let ws = d.workspace_id;
    let now = app.clock.now();
    let change = match target {
        TransferTarget::Operator(to) => {
            if d.assignee.is_some_and(|a| a.operator == to) {
                return Err(DomainError::Invalid { field: "operator_id", reason: "already handles this dialog" }.into());
            }
            let op = app.store.operator(ws, to).await.map_err(|e| match e {
                StoreError::NotFound => CoreError::NotFound("operator"),
                other => other.into(),
            })?;
            Reassign {
                actor: frontline_domain::Actor::operator(me.id),
                workspace_id: ws,
                dialog: d.id,
                expect: d.assignee.map(|a| a.operator),
                to: Some(to),
                to_channel: None,
                checks: Checks { capacity: true, presence: PresenceCheck::Online, member: true },
                lines: vec![
                    system_line(
                        SystemEvent::Transferred { operator: Some(name(&op)), channel: None, by: name(me), comment },
                        now,
                    ),
                    system_line(SystemEvent::TransferNotice { operator: Some(name(&op)) }, now),
                ],
                now,
            }
        }
        TransferTarget::Channel(ch) => {
            let channel = app.store.channel(ws, ch).await.map_err(|e| match e {
                StoreError::NotFound => CoreError::NotFound("channel"),
                other => other.into(),
            })?;
            if ch == d.channel_id && d.assignee.is_none() {
                return Err(
                    DomainError::Invalid { field: "channel_id", reason: "the dialog waits there already" }.into()
                );
            }
            Reassign {
                actor: frontline_domain::Actor::operator(me.id),
                workspace_id: ws,
                dialog: d.id,
                expect: d.assignee.map(|a| a.operator),
                to: None,
                to_channel: Some(ch),
                checks: Checks::default(),
                lines: vec![
                    system_line(
                        SystemEvent::Transferred {
                            operator: None,
                            channel: Some(channel.name.clone()),
                            by: name(me),
                            comment,
                        },
                        now,
                    ),
                    system_line(SystemEvent::TransferNotice { operator: None }, now),
                ],
                now,
            }
        }
    };
    let done = match app.store.reassign(&change).await {
        Ok(done) => done,
        Err(e) => return Err(refusal(app, ws, e).await),
    };
    tracing::info!(dialog.id = %d.id, operator.id = %me.id, "dialog transferred");
    let view = publish_reassigned(app, &done).await?;
    if let TransferTarget::Channel(ch) = target {
        auto_assign(app, ws, ch).await;
    }
    Ok(view)
}

/// An operator's reply to an unassigned dialog: the dialog becomes his and the reply is
/// written in the same transaction (no greeting: the reply is one). Refused when he is at
/// capacity; `None` when a colleague took it a moment before (the caller then posts the reply
/// alone, and the dialog stays the colleague's).
pub(crate) async fn claim_with_reply(
    app: &App,
    actor: &OperatorActor,
    d: &Dialog,
    reply: NewLine,
) -> Result<Option<frontline_store::Posted>, CoreError> {
    let mut change = take_waiting(d, &actor.operator, None, app.clock.now());
    let id = reply.message.id;
    change.lines.push(reply);
    match app.store.reassign(&change).await {
        Ok(done) => {
            app.metrics.messages_operator.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            publish_reassigned(app, &done).await?;
            let message = done
                .messages
                .iter()
                .find(|m| m.id == id)
                .cloned()
                .ok_or(CoreError::Internal("the reply written with its claim is missing".into()))?;
            Ok(Some(frontline_store::Posted {
                message,
                dialog: done.dialog,
                dialog_created: false,
                duplicate: false,
                prelude: None,
            }))
        }
        Err(StoreError::Refused(Refusal::AssigneeChanged { .. })) => Ok(None),
        Err(e) => Err(refusal(app, d.workspace_id, e).await),
    }
}

/// Gives the channel's waiting dialogs, longest waiting first, to the online members with the
/// most free places (ties: idle longest) while anyone can take one. Only for auto-assign
/// channels. Errors are logged: auto-assign runs after the change that triggered it succeeded,
/// and the scheduler's sweep retries.
pub async fn auto_assign(app: &App, ws: WorkspaceId, channel: ChannelId) {
    if let Err(e) = try_auto_assign(app, ws, channel).await {
        tracing::warn!(error = %e, channel.id = %channel, "auto-assign failed");
    }
}

async fn try_auto_assign(app: &App, ws: WorkspaceId, channel_id: ChannelId) -> Result<(), CoreError> {
    let channel = app.store.channel(ws, channel_id).await?;
    if channel.settings.mode != ChannelMode::Auto {
        return Ok(());
    }
    let queued = app.store.queued_dialogs(ws, channel_id, 100).await?;
    let mut operators: HashMap<OperatorId, Operator> = HashMap::new();
    for d in queued {
        // The visitor's name for the greeting, read once someone can take the dialog.
        let mut visitor: Option<Option<String>> = None;
        // A few tries per dialog: a candidate may fill up or go offline in between.
        for _ in 0..3 {
            let candidates = app.store.candidates(ws, channel_id).await?;
            let Some(chosen) = choose(&candidates) else { return Ok(()) };
            if visitor.is_none() {
                visitor = Some(visitor_name(app, &d).await?);
            }
            let op = match operators.get(&chosen) {
                Some(op) => op.clone(),
                None => {
                    let op = app.store.operator(ws, chosen).await?;
                    operators.insert(chosen, op.clone());
                    op
                }
            };
            let now = app.clock.now();
            let change = Reassign {
                actor: frontline_domain::Actor::SYSTEM,
                workspace_id: ws,
                dialog: d.id,
                expect: None,
                to: Some(chosen),
                to_channel: None,
                checks: Checks { capacity: true, presence: PresenceCheck::Online, member: true },
                lines: vec![
                    system_line(SystemEvent::Assigned { operator: name(&op), by: None }, now),
                    greeting(&channel, &op, visitor.as_ref().and_then(|v| v.as_deref()), now),
                ],
                now,
            };
            match app.store.reassign(&change).await {
                Ok(done) => {
                    tracing::info!(dialog.id = %d.id, operator.id = %chosen, "dialog auto-assigned");
                    publish_reassigned(app, &done).await?;
                    break;
                }
                // Someone took it or it moved: on to the next dialog.
                Err(StoreError::Refused(Refusal::AssigneeChanged { .. }) | StoreError::DialogClosed) => break,
                Err(StoreError::Refused(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

/// The dialog lines of a waiting alert: once per stay in the queue, on whichever node gets
/// there first.
pub(crate) async fn fire_wait_alerts(app: &App, now: Timestamp) -> Result<usize, CoreError> {
    let mut fired = 0;
    for d in app.store.claim_wait_alerts(now, 500).await? {
        let view = views(app, std::slice::from_ref(&d)).await?.remove(0);
        tracing::info!(dialog.id = %d.id, "dialog waits longer than its channel's limit");
        // One event: it carries the dialog with `waiting_alert` set, so no `dialog.updated` too.
        let event = Event::DialogWaiting { dialog: view };
        crate::publisher::publish(app, event, d.workspace_id, d.channel_id, d.visitor_id);
        fired += 1;
    }
    Ok(fired)
}
