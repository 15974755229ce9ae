//! Reads that several use cases share: which dialogs an operator sees, dialogs and operators
//! rendered for the console (with the names and labels they show, cached per node), a
//! visitor's current dialog and site. Use-case modules read through here and publish through
//! [`crate::publisher`]; neither calls back into a use case.

use crate::App;
use crate::actor::{OperatorActor, VisitorActor};
use crate::error::{CoreError, dialog_not_found};
use crate::views::{ChannelView, DialogView, Labels, OperatorView};
use frontline_domain::{
    Channel, ChannelId, Dialog, DialogId, Operator, OperatorId, Site, Visitor, VisitorId, WorkspaceId,
};
use frontline_store::Dictionary;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// The channels whose dialogs the operator sees: `None` for all (admins, supervisors).
pub async fn visible_channels(app: &App, actor: &OperatorActor) -> Result<Option<HashSet<ChannelId>>, CoreError> {
    if actor.operator.role.sees_all_channels() {
        return Ok(None);
    }
    Ok(Some(app.store.operator_channels(actor.workspace(), actor.operator.id).await?.into_iter().collect()))
}

/// A dialog the operator may see; one of another channel is "not found", exactly like one
/// that does not exist, so its existence does not leak.
pub async fn visible_dialog(app: &App, actor: &OperatorActor, id: DialogId) -> Result<Dialog, CoreError> {
    let d = app.store.dialog(actor.workspace(), id).await.map_err(dialog_not_found)?;
    match visible_channels(app, actor).await? {
        Some(mine) if !mine.contains(&d.channel_id) => Err(CoreError::DialogNotFound),
        _ => Ok(d),
    }
}

/// The names of the tags and categories of `dialogs`: from the node's cache, read again from
/// the store when `fresh` or when one is missing.
pub async fn labels_for(app: &App, dialogs: &[Dialog], fresh: bool) -> Result<Labels, CoreError> {
    let needed: Vec<uuid::Uuid> =
        dialogs.iter().flat_map(|d| d.tags.iter().map(|t| t.0).chain(d.category.map(|c| c.0))).collect();
    if needed.is_empty() {
        return Ok(Labels::new());
    }
    let cached = app.labels.lock().map(|l| l.clone()).unwrap_or_default();
    if !fresh && needed.iter().all(|id| cached.contains_key(id)) {
        return Ok(cached);
    }
    let ws = dialogs[0].workspace_id;
    let mut read = Labels::new();
    for d in [Dictionary::Tags, Dictionary::Categories] {
        for e in app.store.dictionary(ws, d, true).await? {
            read.insert(e.id, e.name);
        }
    }
    if let Ok(mut cache) = app.labels.lock() {
        cache.extend(read.iter().map(|(k, v)| (*k, v.clone())));
    }
    Ok(read)
}

/// Views of dialogs, reading each visitor once and the assignees' names at most once.
pub async fn views(app: &App, dialogs: &[Dialog]) -> Result<Vec<DialogView>, CoreError> {
    let labels = labels_for(app, dialogs, true).await?;
    let mut wanted: Vec<VisitorId> = dialogs.iter().map(|d| d.visitor_id).collect();
    wanted.sort();
    wanted.dedup();
    let mut visitors: HashMap<VisitorId, Visitor> = if dialogs.is_empty() {
        HashMap::new()
    } else {
        app.store.visitors(dialogs[0].workspace_id, &wanted).await?.into_iter().map(|v| (v.id, v)).collect()
    };
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
        out.push(DialogView::new(d, visitor, assignee, &labels));
    }
    Ok(out)
}

/// Keeps an operator's new name in this node's cache (a rename here, or one another node
/// announced with `operator.updated`).
pub fn remember_name(app: &App, id: OperatorId, name: &str) {
    if let Ok(mut names) = app.names.lock()
        && names.get(&id).is_none_or(|n| n != name)
    {
        names.insert(id, name.to_owned());
    }
}

/// An operator's display name, from the node's cache or the store.
pub async fn operator_name(app: &App, ws: WorkspaceId, id: frontline_domain::OperatorId) -> Result<String, CoreError> {
    if let Some(n) = app.names.lock().ok().and_then(|n| n.get(&id).cloned()) {
        return Ok(n);
    }
    let op = app.store.operator(ws, id).await?;
    let n = name(&op);
    if let Ok(mut names) = app.names.lock() {
        names.insert(id, n.clone());
    }
    Ok(n)
}

pub fn name(op: &Operator) -> String {
    op.display_name.as_str().to_owned()
}

/// An operator view with his active dialogs counted.
pub async fn operator_view(app: &App, op: &Operator) -> Result<OperatorView, CoreError> {
    let counts = app.store.active_counts(op.workspace_id).await?;
    Ok(OperatorView::new(op, counts.get(&op.id).copied().unwrap_or(0)))
}

/// The workspace's operators, each with his active dialogs.
pub async fn operator_views(app: &App, ws: WorkspaceId, ops: &[Operator]) -> Result<Vec<OperatorView>, CoreError> {
    let counts = app.store.active_counts(ws).await?;
    Ok(ops.iter().map(|o| OperatorView::new(o, counts.get(&o.id).copied().unwrap_or(0))).collect())
}

/// Channel views with their online members counted.
pub async fn channel_views(app: &App, ws: WorkspaceId, channels: &[Channel]) -> Result<Vec<ChannelView>, CoreError> {
    let online = app.store.online_counts(ws).await?;
    Ok(channels.iter().map(|c| ChannelView::new(c, online.get(&c.id).copied().unwrap_or(0))).collect())
}

/// The visitor's current dialog (his latest, open or closed).
pub async fn current_dialog(app: &App, actor: &VisitorActor) -> Result<Option<Dialog>, CoreError> {
    Ok(app.store.latest_dialog_of_visitor(actor.visitor.workspace_id, actor.visitor.id).await?)
}

pub async fn visitor_site(app: &App, v: &Visitor) -> Result<Site, CoreError> {
    // Read once per authentication (a socket authenticates once); a workspace has few sites.
    let sites = app.store.list_sites(v.workspace_id).await?;
    sites.into_iter().find(|s| Some(s.id) == v.site_id).ok_or(CoreError::NotFound("site"))
}

/// Workspaces' suspension as this node last read it (`suspended_lately`).
pub type SuspensionCache = crate::cache::TtlCache<frontline_domain::WorkspaceId, Option<frontline_domain::Timestamp>>;

/// How long a node keeps a workspace's suspension as read: an open socket learns of a
/// suspension (made on another node, or by the command line) within this and a ping period.
const SUSPENSION_TTL_MS: i64 = 5_000;

/// Whether the workspace is suspended, as read within the last few seconds: for what asks
/// often (every open socket each ping period, the Telegram poller each round), where a read
/// each would cost the store.
pub async fn suspended_lately(app: &App, ws: frontline_domain::WorkspaceId) -> Result<bool, CoreError> {
    let now = app.clock.now().0;
    let at = app
        .suspensions
        .get_or_load(ws, now, SUSPENSION_TTL_MS, || async {
            Ok::<_, CoreError>(app.store.workspace_suspended(ws).await?)
        })
        .await?;
    Ok(at.is_some())
}

/// Refuses a workspace its install's owner suspended (`403 workspace_suspended`).
pub async fn check_active(app: &App, ws: frontline_domain::WorkspaceId) -> Result<(), CoreError> {
    match app.store.workspace_suspended(ws).await? {
        Some(_) => Err(CoreError::WorkspaceSuspended),
        None => Ok(()),
    }
}
