//! Presence and capacity: an operator's state and how many dialogs he holds; going offline
//! returns dialogs where the channel says so, coming online lets auto-assign channels give him
//! their waiting ones.

use crate::App;
use crate::actor::Admin;
use crate::actor::OperatorActor;
use crate::assignment::{auto_assign, system_line};
use crate::error::CoreError;
use crate::publisher::publish_reassigned;
use crate::reads::{name, operator_view};
use crate::views::{Event, OperatorView};
use frontline_domain::{Capacity, ChannelId, OfflinePolicy, Operator, OperatorId, Presence, SystemEvent};
use frontline_store::{Checks, Reassign, StoreError};
use std::collections::HashMap;

/// The operator sets his presence. Going offline stops new assignments and, in channels
/// whose policy says so, returns his open dialogs to the queue; coming online lets auto-assign
/// channels give him their waiting dialogs.
pub async fn set_presence(app: &App, actor: &OperatorActor, presence: &str) -> Result<OperatorView, CoreError> {
    let presence = Presence::parse(presence)?;
    let me = &actor.operator;
    let (op, before) = app.store.set_presence(me.workspace_id, me.id, presence, app.clock.now()).await?;
    presence_changed(app, &op, before).await
}

/// What follows a change of presence, whoever made it (the operator, or the expiry of his
/// sockets' grace period).
pub(crate) async fn presence_changed(app: &App, op: &Operator, before: Presence) -> Result<OperatorView, CoreError> {
    let ws = op.workspace_id;
    tracing::info!(operator.id = %op.id, presence = op.presence.as_str(), "presence changed");
    // Where waiting dialogs may now find someone: all his channels when he comes online, the
    // channels that got dialogs back when he goes offline.
    let reopened = if op.presence == Presence::Offline && before != Presence::Offline {
        return_dialogs(app, op).await?
    } else if op.presence == Presence::Online {
        app.store.operator_channels(ws, op.id).await?
    } else {
        Vec::new()
    };
    let view = operator_view(app, op).await?;
    crate::publisher::publish_to_workspace(app, Event::OperatorUpdated { operator: view.clone() }, ws);
    for ch in reopened {
        auto_assign(app, ws, ch).await;
    }
    Ok(view)
}

/// Returns an operator's open dialogs to their queues, in the channels whose offline policy
/// is "return"; answers with the channels whose queues got dialogs back.
async fn return_dialogs(app: &App, op: &Operator) -> Result<Vec<ChannelId>, CoreError> {
    let mut returned = Vec::new();
    let ws = op.workspace_id;
    let mut policies: HashMap<ChannelId, OfflinePolicy> = HashMap::new();
    for d in app.store.open_dialogs_of(ws, op.id).await? {
        let policy = match policies.get(&d.channel_id) {
            Some(p) => *p,
            None => {
                let p = app.store.channel(ws, d.channel_id).await?.settings.offline_policy;
                policies.insert(d.channel_id, p);
                p
            }
        };
        if policy != OfflinePolicy::Return {
            continue;
        }
        let now = app.clock.now();
        let change = Reassign {
            actor: frontline_domain::Actor::SYSTEM,
            workspace_id: ws,
            dialog: d.id,
            expect: Some(op.id),
            to: None,
            to_channel: None,
            checks: Checks::default(),
            lines: vec![system_line(SystemEvent::Returned { operator: name(op), reason: "offline".into() }, now)],
            now,
        };
        match app.store.reassign(&change).await {
            Ok(done) => {
                publish_reassigned(app, &done).await?;
                if !returned.contains(&d.channel_id) {
                    returned.push(d.channel_id);
                }
            }
            Err(StoreError::Refused(_) | StoreError::DialogClosed) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(returned)
}

/// An admin sets an operator's capacity (1–50).
pub async fn set_capacity(
    app: &App,
    admin: &Admin<'_>,
    id: OperatorId,
    capacity: i64,
) -> Result<OperatorView, CoreError> {
    let capacity = Capacity::new(capacity)?;
    let ws = admin.workspace();
    let op =
        app.store.set_capacity(ws, id, capacity, admin.event_actor(), app.clock.now()).await.map_err(|e| match e {
            StoreError::NotFound => CoreError::NotFound("operator"),
            other => other.into(),
        })?;
    let view = operator_view(app, &op).await?;
    crate::publisher::publish_to_workspace(app, Event::OperatorUpdated { operator: view.clone() }, ws);
    for ch in app.store.operator_channels(ws, op.id).await? {
        auto_assign(app, ws, ch).await;
    }
    Ok(view)
}
