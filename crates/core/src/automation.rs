//! Automation of a channel: the document admins edit, the timers a message starts (SLA due
//! times, auto-close), what the scheduler fires when they are due, and whether anyone answers
//! now (the widget's offline mode).
//!
//! What stays true: every timer is a column of its dialog written with the message that
//! started it, and firing is a claim (a conditional update; `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL), so a restart loses none and several nodes fire each once. The prompt is posted
//! with a `client_id` made of the dialog and its timer, so a second node's post is a duplicate.

use crate::App;
use crate::actor::Admin;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use crate::views::{Event, rfc3339};
use frontline_domain::{
    AuthorKind, Automatic, Automation, AutomationDoc, ChannelId, ClientId, Dialog, MessageBody, MessageId,
    MessageTimers, NewMessage, Timestamp, WorkspaceId,
};
use frontline_store::{PostMessage, PostTarget, StoreError};
use std::collections::HashMap;
use std::sync::Arc;

/// Channels' automation as last read, per node (changes made on this node apply at once; others
/// after `routing_cache_ms`). Keyed by workspace and channel: an entry read for one workspace is
/// never an answer to another's question about the same channel id.
pub type AutomationCache = crate::cache::TtlCache<(WorkspaceId, ChannelId), Automation>;

/// Reads a stored document; one that no longer parses (it was checked when written) falls
/// back to the defaults rather than stopping the channel.
fn parse_stored(channel: ChannelId, text: &str) -> Automation {
    let parsed = serde_json::from_str::<AutomationDoc>(text)
        .map_err(|e| e.to_string())
        .and_then(|doc| Automation::parse(doc).map_err(|e| e.to_string()));
    parsed.unwrap_or_else(|e| {
        tracing::error!(channel.id = %channel, error = %e, "stored automation does not parse; using the defaults");
        Automation::default()
    })
}

/// The channel's automation, from the node's cache when fresh.
pub async fn for_channel(app: &App, ws: WorkspaceId, channel: ChannelId) -> Result<Arc<Automation>, CoreError> {
    let now = app.clock.now().0;
    app.automation
        .get_or_load((ws, channel), now, app.config.routing_cache_ms, || async {
            match app.store.automation(ws, channel).await {
                Ok(text) => Ok(parse_stored(channel, &text)),
                Err(StoreError::NotFound) => Err(CoreError::NotFound("channel")),
                Err(e) => Err(e.into()),
            }
        })
        .await
}

/// The document of a channel (every operator of the workspace may read it).
pub async fn get(app: &App, actor: &OperatorActor, channel: ChannelId) -> Result<AutomationDoc, CoreError> {
    Ok(for_channel(app, actor.workspace(), channel).await?.doc().clone())
}

/// Replaces a channel's document (admins). A bad value names its field; nothing changes then.
pub async fn put(
    app: &App,
    actor: &Admin<'_>,
    channel: ChannelId,
    doc: AutomationDoc,
) -> Result<AutomationDoc, CoreError> {
    let a = Automation::parse(doc).map_err(|e| CoreError::Invalid { field: e.field, reason: e.reason })?;
    let text = serde_json::to_string(a.doc()).map_err(|e| CoreError::Internal(e.to_string()))?;
    let stop = a.auto_close.is_none();
    app.store.set_automation(actor.workspace(), channel, &text, stop).await.map_err(|e| match e {
        StoreError::NotFound => CoreError::NotFound("channel"),
        other => other.into(),
    })?;
    let a = Arc::new(a);
    app.automation.put((actor.workspace(), channel), a.clone(), app.clock.now().0);
    tracing::info!(channel.id = %channel, operator.id = %actor.operator.id, "channel automation changed");
    Ok(a.doc().clone())
}

/// The timers a visitor's message starts in a channel: the reply due (first or next, the store
/// picks) and, for a message that opens a dialog, the resolution due.
pub fn visitor_timers(a: &Automation, now: Timestamp) -> MessageTimers {
    let (first, next) = a.reply_dues(now);
    MessageTimers {
        first_reply_due: first,
        next_reply_due: next,
        auto_close: None,
        resolution_due: a.resolution_due(now),
    }
}

/// The timers an operator's reply starts: auto-close, with the longer hold limit when it holds
/// the visitor ("минуту"). Automatic lines (a greeting) start none.
pub fn operator_timers(a: &Automation, body: &str, now: Timestamp) -> MessageTimers {
    MessageTimers {
        auto_close: a.auto_close.as_ref().map(|p| p.after_operator_message(body, now)),
        ..Default::default()
    }
}

/// What one scheduler pass fired.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Fired {
    pub breaches: usize,
    pub prompts: usize,
    pub auto_closed: usize,
}

const BATCH: u32 = 200;

/// Fires what is due at `now`: auto-close prompts, auto-closes, then SLA breaches (recorded
/// and alerted once). Closes go first: after downtime, a dialog that should have closed long
/// ago does not miss its resolution target for the time the server was down.
pub async fn fire_due(app: &App, now: Timestamp) -> Result<Fired, CoreError> {
    let mut fired = Fired::default();
    for d in app.store.due_prompts(now, BATCH).await? {
        if prompt(app, &d, now).await? {
            fired.prompts += 1;
        }
    }
    let closed = app.store.claim_auto_closes(now, BATCH).await?;
    fired.auto_closed = closed.len();
    for (d, view) in closed.iter().zip(views_of(app, &closed).await?) {
        tracing::info!(dialog.id = %d.id, "dialog closed by itself (visitor silent)");
        crate::publisher::publish(
            app,
            Event::DialogClosed { dialog: view },
            d.workspace_id,
            d.channel_id,
            d.visitor_id,
        );
    }
    let breaches = app.store.claim_breaches(now, BATCH).await?;
    fired.breaches = breaches.len();
    let dialogs: Vec<Dialog> = breaches.iter().map(|b| b.dialog.clone()).collect();
    for (b, view) in breaches.iter().zip(views_of(app, &dialogs).await?) {
        tracing::info!(dialog.id = %b.dialog.id, sla.target = b.target.as_str(), "SLA target missed");
        let d = &b.dialog;
        let event =
            Event::SlaBreached { dialog: view, target: b.target.as_str().to_owned(), due_at: rfc3339(b.due_at) };
        crate::publisher::publish(app, event, d.workspace_id, d.channel_id, d.visitor_id);
    }
    Ok(fired)
}

/// Views of claimed dialogs (of any workspaces), in order, reading each workspace's visitors
/// and names once: a burst of due timers does not read row by row.
async fn views_of(app: &App, dialogs: &[Dialog]) -> Result<Vec<crate::views::DialogView>, CoreError> {
    let mut out: Vec<Option<crate::views::DialogView>> = vec![None; dialogs.len()];
    let mut by_ws: HashMap<WorkspaceId, Vec<usize>> = HashMap::new();
    for (i, d) in dialogs.iter().enumerate() {
        by_ws.entry(d.workspace_id).or_default().push(i);
    }
    for idx in by_ws.values() {
        let group: Vec<Dialog> = idx.iter().map(|i| dialogs[*i].clone()).collect();
        for (i, v) in idx.iter().zip(crate::reads::views(app, &group).await?) {
            out[*i] = Some(v);
        }
    }
    Ok(out.into_iter().flatten().collect())
}

/// Sends the "is the question still relevant?" prompt of a due timer in the assignee's name
/// (the persona's when nobody has the dialog); the post itself sets the close that follows.
/// `false` when another node sent it.
async fn prompt(app: &App, d: &Dialog, now: Timestamp) -> Result<bool, CoreError> {
    let Some(timer) = &d.auto_close else { return Ok(false) };
    let a = for_channel(app, d.workspace_id, d.channel_id).await?;
    let Some(policy) = a.auto_close.as_ref() else {
        // Auto-close was switched off since the timer was set: the timer goes.
        app.store.settle_prompt(d.workspace_id, d.id, timer.at, false).await?;
        return Ok(false);
    };
    let Some((text, _)) = &policy.prompt else {
        // The prompt was switched off: the silence limit has passed, so the dialog closes.
        app.store.settle_prompt(d.workspace_id, d.id, timer.at, true).await?;
        return Ok(false);
    };
    // In the assignee's name; with nobody assigned, in the channel persona's.
    let (author, name) = match d.assignee {
        Some(who) => (who.operator.0, crate::reads::operator_name(app, d.workspace_id, who.operator).await?),
        None => (d.channel_id.0, a.persona.clone()),
    };
    let visitor = app.store.visitor(d.workspace_id, d.visitor_id).await?;
    let text = frontline_domain::variables::fill(text, visitor.name.as_ref().map(|n| n.as_str()), Some(&name));
    let posted = app
        .store
        .post_message(PostMessage {
            workspace_id: d.workspace_id,
            target: PostTarget::Dialog(d.id),
            message: NewMessage {
                id: MessageId::new(),
                client_id: ClientId::from_stored(format!("prompt-{}-{}", d.id, timer.at.0)),
                author_kind: AuthorKind::Operator,
                author_id: author,
                body: MessageBody::from_stored(text),
                created_at: now,
                audience: Default::default(),
                event: None,
                attachments: Vec::new(),
                mentions: Vec::new(),
                automatic: Some(Automatic::Prompt),
            },
            author_name: Some(name),
            timers: MessageTimers { auto_close: Some(policy.after_prompt(now)), ..Default::default() },
            opening: None,
        })
        .await;
    let posted = match posted {
        Ok(p) => p,
        // Closed meanwhile (the visitor's reopen window, an operator): nothing to prompt.
        Err(StoreError::DialogClosed | StoreError::NotFound) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    if posted.duplicate {
        return Ok(false);
    }
    crate::publisher::publish_posted(app, &posted, &visitor).await;
    Ok(true)
}

/// Whether someone answers now, for the channel a visitor's new dialog would go to.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema, PartialEq)]
pub struct Availability {
    pub online: bool,
    /// `outside_hours` or `nobody_online` when not online.
    pub reason: Option<String>,
    /// The widget shows the contact form instead of the composer.
    pub offline_form: bool,
    /// The channel's offline text.
    pub message: String,
    /// When business hours next begin (outside them).
    pub next_open_at: Option<String>,
}

pub async fn availability(app: &App, ws: WorkspaceId, channel: ChannelId) -> Result<Availability, CoreError> {
    let a = for_channel(app, ws, channel).await?;
    let now = app.clock.now();
    let reason = if !a.hours.is_open(now) {
        Some("outside_hours")
    } else if app.store.online_counts(ws).await?.get(&channel).copied().unwrap_or(0) == 0 {
        Some("nobody_online")
    } else {
        None
    };
    let next_open = (reason == Some("outside_hours")).then(|| rfc3339(a.hours.next_open(now)));
    Ok(Availability {
        online: reason.is_none(),
        reason: reason.map(str::to_owned),
        offline_form: reason.is_some() && a.offline.is_some(),
        message: a.offline.clone().unwrap_or_else(|| a.doc().offline.message.clone()),
        next_open_at: next_open,
    })
}
