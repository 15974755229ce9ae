//! The publisher: the one way events reach sockets, on this node and on the others.
//!
//! A use case that committed a change hands the publisher the event it rendered from the rows
//! it wrote ([`publish`]); this node's sockets get it at once, and the bus carries it to the
//! other nodes as ids and small facts ([`crate::bus::Wire`]). There, [`run`] renders the same
//! event again from the database, in batches and in arrival order, and delivers it to that
//! node's sockets ([`crate::audience`] decides who may see what, on both sides).
//!
//! A node cut off from the bus misses what the others publish meanwhile. When it is back it
//! reads the missed changes from the event log, which the writes fill in their own
//! transactions, and renders them like arrivals; only when it cannot (too much missed, or the
//! log unreadable) are its sockets told to `resync`. What the log does not hold (typing, read
//! marks) is not caught up: it is stale by then anyway.

use crate::App;
use crate::bus::{DialogChange, Fact, Inbound, LocalBus, Topic, Wire};
use crate::error::CoreError;
use crate::reads::views;
use crate::views::{AuthorView, DialogView, Event, MessageView};
use frontline_domain::{AuthorKind, Visitor};
use frontline_domain::{ChannelId, Dialog, EventKind, Message, OperatorId, VisitorId, WorkspaceId};
use frontline_store::StoreError;
use frontline_store::events::StoredEvent;
use frontline_store::{Posted, Reassigned};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Publishes an event about a dialog of `channel` to everyone who may see it.
pub fn publish(app: &App, event: Event, workspace: WorkspaceId, channel: ChannelId, visitor: VisitorId) {
    publish_moved(app, event, workspace, channel, None, visitor);
}

/// Like [`publish`], for an event of a dialog that has just left `previous` for `channel`.
pub fn publish_moved(
    app: &App,
    event: Event,
    workspace: WorkspaceId,
    channel: ChannelId,
    previous: Option<ChannelId>,
    visitor: VisitorId,
) {
    let topics = crate::audience::topics(&event, workspace, visitor);
    let previous_channel = previous.filter(|p| *p != channel);
    app.bus.publish(&topics, Arc::new(crate::bus::Delivery::new(Some(channel), previous_channel, event)));
    // The change committed may have written outbox jobs.
    app.wake_outbox();
}

/// Tells the sockets of `operator` (or, with `None`, of every operator of the workspace) on
/// every node that their rights changed.
pub fn access_changed(app: &App, workspace: WorkspaceId, operator: Option<OperatorId>) {
    publish_to_workspace(app, Event::AccessChanged { operator_id: operator.map(|o| o.0) }, workspace);
}

/// An event for every operator of the workspace (never a visitor).
pub fn publish_to_workspace(app: &App, event: Event, workspace: WorkspaceId) {
    app.bus.publish(&[Topic::Workspace(workspace)], Arc::new(crate::bus::Delivery::new(None, None, event)));
    app.wake_outbox();
}

/// Publishes what a committed post changed, to the audiences `audience` picks.
pub async fn publish_posted(app: &App, posted: &Posted, visitor: &Visitor) {
    use std::sync::atomic::Ordering::Relaxed;
    if posted.duplicate {
        app.metrics.messages_duplicate.fetch_add(1, Relaxed);
        return;
    }
    match posted.message.author.kind {
        AuthorKind::Visitor => app.metrics.messages_visitor.fetch_add(1, Relaxed),
        _ => app.metrics.messages_operator.fetch_add(1, Relaxed),
    };
    let ws = posted.dialog.workspace_id;
    // The assignee's name comes from the names views have read (the message path reads no
    // operator rows); an assignment always publishes a full view first, so it is known.
    let name = posted.dialog.assignee.and_then(|a| app.names.lock().ok().and_then(|n| n.get(&a.operator).cloned()));
    let labels = crate::reads::labels_for(app, std::slice::from_ref(&posted.dialog), false).await.unwrap_or_default();
    let dialog = DialogView::new(&posted.dialog, visitor, name.as_deref(), &labels);
    let mut events = vec![Event::MessageCreated { message: MessageView::from(&posted.message) }];
    if posted.dialog_created {
        app.metrics.dialogs_created.fetch_add(1, Relaxed);
        events.push(Event::DialogCreated { dialog });
    } else {
        events.push(Event::DialogUpdated { dialog });
    }
    for event in events {
        crate::publisher::publish(app, event, ws, posted.dialog.channel_id, visitor.id);
    }
}

/// Publishes what an assignment change did: its lines, then the dialog (to the channel it
/// left as well).
pub async fn publish_reassigned(app: &App, done: &Reassigned) -> Result<DialogView, CoreError> {
    let d = &done.dialog;
    for m in &done.messages {
        let event = Event::MessageCreated { message: MessageView::from(m) };
        crate::publisher::publish(app, event, d.workspace_id, d.channel_id, d.visitor_id);
    }
    let view = views(app, std::slice::from_ref(d)).await?.remove(0);
    let event = Event::DialogUpdated { dialog: view.clone() };
    crate::publisher::publish_moved(
        app,
        event,
        d.workspace_id,
        d.channel_id,
        Some(done.before.channel_id),
        d.visitor_id,
    );
    Ok(view)
}

/// How long after the last moment the bus surely worked a break may be noticed (pings every
/// 5 s, two unanswered), plus the time from a commit to its publication.
const NOTICE_MARGIN: Duration = Duration::from_secs(15);
/// How often the newest log position is noted while the bus works.
const MARK_EVERY: Duration = Duration::from_secs(5);
/// Marks older than this are forgotten.
const MARKS_KEPT: usize = 120;
/// More missed events than this and the sockets resync instead.
const CATCH_UP_LIMIT: u32 = 5_000;
/// Arrivals rendered together.
const BATCH: usize = 256;

/// Renders and delivers what the other nodes send, until `shutdown`; does nothing for a bus
/// without other nodes.
pub async fn run(app: App, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let Some(mut feed) = app.bus.remote_feed() else { return };
    let mut marks = Marks::default();
    marks.note(&app).await;
    let mut cut_at: Option<Instant> = None;
    let mut tick = tokio::time::interval(MARK_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = tick.tick() => {
                if cut_at.is_none() {
                    marks.note(&app).await;
                }
            }
            n = feed.inbox.recv_many(&mut batch, BATCH) => {
                if n == 0 {
                    break;
                }
                let mut arrived = Vec::new();
                for item in batch.drain(..) {
                    match item {
                        Inbound::Event(wire) => arrived.push(*wire),
                        Inbound::Disconnected => {
                            deliver(&app, &feed.local, std::mem::take(&mut arrived)).await;
                            cut_at.get_or_insert_with(Instant::now);
                        }
                        Inbound::Reconnected => {
                            deliver(&app, &feed.local, std::mem::take(&mut arrived)).await;
                            let since = cut_at.take().and_then(|at| marks.before(at.checked_sub(NOTICE_MARGIN)));
                            catch_up(&app, &feed.local, since).await;
                            marks.note(&app).await;
                        }
                    }
                }
                deliver(&app, &feed.local, arrived).await;
                let lost = feed.dropped.swap(0, Ordering::Relaxed);
                if lost > 0 {
                    tracing::warn!(lost, "publisher: arrivals lost to a full inbox; sockets resync");
                    feed.local.resync_all();
                }
            }
        }
    }
}

/// Newest log positions as noted over time; the first is the one noted at start.
#[derive(Default)]
struct Marks(VecDeque<(Instant, i64)>);

impl Marks {
    async fn note(&mut self, app: &App) {
        match app.store.latest_event_pos().await {
            Ok(pos) => {
                self.0.push_back((Instant::now(), pos));
                // The first (the start) stays: a break soon after start goes back to it.
                if self.0.len() > MARKS_KEPT {
                    self.0.remove(1);
                }
            }
            Err(e) => tracing::warn!(error = %e, "publisher: reading the log position failed"),
        }
    }

    /// The position to catch up from for a break noticed at `at` minus the margin: the newest
    /// mark taken before then, or the start's when the break came soon after it. `None` (no
    /// mark, or the moment unknown): nothing to go back to.
    fn before(&self, at: Option<Instant>) -> Option<i64> {
        let first = self.0.front()?;
        let Some(at) = at else { return Some(first.1) };
        Some(self.0.iter().rev().find(|(t, _)| *t <= at).unwrap_or(first).1)
    }
}

/// Renders arrivals and gives them to this node's subscribers, in order.
async fn deliver(app: &App, local: &LocalBus, wires: Vec<Wire>) {
    if wires.is_empty() {
        return;
    }
    let facts: Vec<(WorkspaceId, &Fact)> = wires.iter().map(|w| (w.workspace, &w.fact)).collect();
    let rendered = match render(app, &facts).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "publisher: rendering other nodes' events failed; sockets resync");
            local.resync_all();
            return;
        }
    };
    for (wire, event) in wires.iter().zip(rendered.events) {
        if let Some(event) = event {
            let delivery = crate::bus::Delivery::new(wire.channel, wire.previous_channel, event);
            local.deliver(&wire.topics, Arc::new(delivery));
        }
    }
}

/// Reads what the log holds after `since` and delivers it as arrivals; resyncs the sockets
/// when that is not possible.
async fn catch_up(app: &App, local: &LocalBus, since: Option<i64>) {
    let started = Instant::now();
    let outcome = match since {
        None => Err("no log position from before the break".to_owned()),
        Some(pos) => match app.store.events_since(pos, CATCH_UP_LIMIT + 1).await {
            Err(e) => Err(format!("reading the log: {e}")),
            Ok(events) if events.len() > CATCH_UP_LIMIT as usize => Err(format!("more than {CATCH_UP_LIMIT} missed")),
            Ok(events) => redeliver(app, local, &events).await.map(|n| (events.len(), n)),
        },
    };
    match outcome {
        Ok((read, sent)) => tracing::info!(
            read,
            sent,
            ms = started.elapsed().as_millis() as u64,
            "publisher: caught up from the log after the bus came back"
        ),
        Err(why) => {
            tracing::warn!(%why, "publisher: cannot catch up from the log; sockets resync");
            local.resync_all();
        }
    }
}

/// The socket event a logged change becomes (`None`: none, or not worth replaying).
fn fact_of_logged(e: &StoredEvent) -> Vec<Fact> {
    let dialog = |change| e.dialog_id.map(|d| Fact::Dialog { change, dialog: d.0 });
    let Some(kind) = EventKind::parse(&e.kind) else { return Vec::new() };
    let found = match kind {
        EventKind::DialogCreated => vec![dialog(DialogChange::Created)],
        EventKind::DialogClosed => vec![dialog(DialogChange::Closed)],
        EventKind::DialogAssigned
        | EventKind::DialogUnassigned
        | EventKind::DialogTransferred
        | EventKind::DialogReopened
        | EventKind::DialogSnoozed
        | EventKind::DialogUnsnoozed
        | EventKind::DialogLabelsChanged
        | EventKind::RatingCreated
        | EventKind::SlaBreached => vec![dialog(DialogChange::Updated)],
        // A ticket shows with its dialog's lines (written with it) and the tickets page.
        EventKind::TicketCreated | EventKind::TicketUpdated => Vec::new(),
        EventKind::MessageCreated | EventKind::NoteCreated => {
            vec![e.subject_id.map(|m| Fact::Message { message: m })]
        }
        EventKind::MessageEdited => vec![e.subject_id.map(|m| Fact::MessageEdited { message: m })],
        EventKind::OperatorPresenceChanged | EventKind::OperatorUpdated => {
            vec![e.subject_id.map(|o| Fact::Operator { operator: o })]
        }
        EventKind::OperatorMembershipChanged => vec![
            e.subject_id.map(|o| Fact::Operator { operator: o }),
            Some(Fact::AccessChanged { operator: e.subject_id }),
        ],
        // A visitor's new name or address shows with his dialogs' next change.
        EventKind::VisitorUpdated | EventKind::WebhookTest => Vec::new(),
    };
    found.into_iter().flatten().collect()
}

/// Renders logged changes and delivers them; answers how many events went out.
async fn redeliver(app: &App, local: &LocalBus, events: &[StoredEvent]) -> Result<usize, String> {
    // A dialog changed many times is shown once, as it is now.
    let mut seen = HashSet::new();
    let mut facts = Vec::new();
    for e in events {
        for fact in fact_of_logged(e) {
            if seen.insert(fact.clone()) {
                facts.push((e.workspace_id, fact, e.dialog_id));
            }
        }
    }
    let wanted: Vec<(WorkspaceId, &Fact)> = facts.iter().map(|(w, f, _)| (*w, f)).collect();
    let rendered = render(app, &wanted).await.map_err(|e| format!("rendering: {e}"))?;
    let mut sent = 0;
    for ((ws, _, dialog), event) in facts.iter().zip(rendered.events) {
        let Some(event) = event else { continue };
        let delivery = match dialog.and_then(|d| rendered.dialogs.get(&d.0)) {
            Some(d) => {
                let topics = crate::audience::topics(&event, *ws, d.visitor_id);
                (topics, crate::bus::Delivery::new(Some(d.channel_id), None, event))
            }
            None => (vec![Topic::Workspace(*ws)], crate::bus::Delivery::new(None, None, event)),
        };
        local.deliver(&delivery.0, Arc::new(delivery.1));
        sent += 1;
    }
    Ok(sent)
}

/// Events rendered from facts (`None` where what a fact names is gone), with the dialogs
/// read on the way.
struct Rendered {
    events: Vec<Option<Event>>,
    dialogs: HashMap<Uuid, Dialog>,
}

/// Renders facts into the events this node's sockets understand, reading each message and
/// dialog once.
async fn render(app: &App, facts: &[(WorkspaceId, &Fact)]) -> Result<Rendered, CoreError> {
    let mut message_ids = Vec::new();
    let mut dialog_ids = Vec::new();
    for (_, fact) in facts {
        match fact {
            Fact::Message { message } | Fact::MessageEdited { message } => message_ids.push(*message),
            Fact::Dialog { dialog, .. } | Fact::SlaBreached { dialog, .. } => dialog_ids.push(*dialog),
            Fact::Mention { dialog, message, .. } => {
                message_ids.push(*message);
                dialog_ids.push(*dialog);
            }
            _ => {}
        }
    }
    let messages: HashMap<Uuid, Message> = if message_ids.is_empty() {
        HashMap::new()
    } else {
        app.store.messages_by_ids(&message_ids).await?.into_iter().map(|m| (m.id.0, m)).collect()
    };
    // The dialogs of messages too: where a caught-up message goes.
    dialog_ids.extend(messages.values().map(|m| m.dialog_id.0));
    dialog_ids.sort();
    dialog_ids.dedup();
    let dialog_ids: Vec<_> = dialog_ids.into_iter().map(frontline_domain::DialogId).collect();
    let dialogs: HashMap<Uuid, Dialog> = if dialog_ids.is_empty() {
        HashMap::new()
    } else {
        app.store.dialogs_by_ids(&dialog_ids).await?.into_iter().map(|d| (d.id.0, d)).collect()
    };
    let views = dialog_views(app, facts, &dialogs).await?;
    let mut events = Vec::with_capacity(facts.len());
    for (ws, fact) in facts {
        events.push(render_one(app, *ws, fact, &messages, &views).await?);
    }
    Ok(Rendered { events, dialogs })
}

/// Views of the dialogs that facts show whole (not those read only to place a message).
async fn dialog_views(
    app: &App,
    facts: &[(WorkspaceId, &Fact)],
    dialogs: &HashMap<Uuid, Dialog>,
) -> Result<HashMap<Uuid, DialogView>, CoreError> {
    let mut by_workspace: HashMap<WorkspaceId, Vec<Dialog>> = HashMap::new();
    let mut taken = HashSet::new();
    for (ws, fact) in facts {
        let id = match fact {
            Fact::Dialog { dialog, .. } | Fact::SlaBreached { dialog, .. } | Fact::Mention { dialog, .. } => *dialog,
            _ => continue,
        };
        // A fact names its workspace; a dialog of another is not rendered for it.
        if let Some(d) = dialogs.get(&id).filter(|d| d.workspace_id == *ws)
            && taken.insert(id)
        {
            by_workspace.entry(*ws).or_default().push(d.clone());
        }
    }
    let mut out = HashMap::new();
    for list in by_workspace.values() {
        for view in crate::reads::views(app, list).await? {
            out.insert(view.id, view);
        }
    }
    Ok(out)
}

async fn render_one(
    app: &App,
    ws: WorkspaceId,
    fact: &Fact,
    messages: &HashMap<Uuid, Message>,
    views: &HashMap<Uuid, DialogView>,
) -> Result<Option<Event>, CoreError> {
    let message = |id: &Uuid| messages.get(id).filter(|m| m.workspace_id == ws).map(MessageView::from);
    let view = |id: &Uuid| views.get(id).cloned();
    let gone = |r: Result<Option<Event>, CoreError>| match r {
        Err(CoreError::NotFound(_)) => Ok(None),
        other => other,
    };
    Ok(match fact {
        Fact::Message { message: id } => message(id).map(|message| Event::MessageCreated { message }),
        Fact::MessageEdited { message: id } => message(id).map(|message| Event::MessageUpdated { message }),
        Fact::Dialog { change, dialog } => view(dialog).map(|dialog| match change {
            DialogChange::Created => Event::DialogCreated { dialog },
            DialogChange::Updated => Event::DialogUpdated { dialog },
            DialogChange::Closed => Event::DialogClosed { dialog },
            DialogChange::Waiting => Event::DialogWaiting { dialog },
        }),
        Fact::Mention { operator, dialog, message: id } => match (view(dialog), message(id)) {
            (Some(dialog), Some(message)) => {
                Some(Event::Mention { operator_id: *operator, dialog: Box::new(dialog), message })
            }
            _ => None,
        },
        Fact::SlaBreached { dialog, target, due_at } => {
            view(dialog).map(|dialog| Event::SlaBreached { dialog, target: target.clone(), due_at: due_at.clone() })
        }
        Fact::Read { dialog, reader, seq } => {
            Some(Event::DialogRead { dialog_id: *dialog, reader: reader.clone(), seq: *seq })
        }
        Fact::AccessChanged { operator } => Some(Event::AccessChanged { operator_id: *operator }),
        Fact::VisitorBlocked { visitor } => Some(Event::VisitorBlocked { visitor_id: *visitor }),
        Fact::Typing { dialog, kind, author } => {
            let name = match kind.as_str() {
                "operator" => Some(crate::reads::operator_name(app, ws, OperatorId(*author)).await),
                _ => match app.store.visitor(ws, VisitorId(*author)).await {
                    Ok(v) => Some(Ok(v.name.map(|n| n.as_str().to_owned()).unwrap_or_default())),
                    Err(StoreError::NotFound) => None,
                    Err(e) => return Err(e.into()),
                },
            };
            match name {
                None => None,
                Some(name) => {
                    let name = name?;
                    let author =
                        AuthorView { kind: kind.clone(), id: *author, name: (!name.is_empty()).then_some(name) };
                    Some(Event::Typing { dialog_id: *dialog, author })
                }
            }
        }
        Fact::Operator { operator } => {
            return gone(
                async {
                    let op = app.store.operator(ws, OperatorId(*operator)).await?;
                    crate::reads::remember_name(app, op.id, op.display_name.as_str());
                    Ok(Some(Event::OperatorUpdated { operator: crate::reads::operator_view(app, &op).await? }))
                }
                .await,
            );
        }
        Fact::WebhookDisabled { endpoint } => {
            return gone(
                async {
                    let hook = app.store.webhook(ws, *endpoint).await?;
                    Ok(Some(Event::WebhookDisabled { endpoint_id: *endpoint, url: hook.url }))
                }
                .await,
            );
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_break_goes_back_to_the_newest_mark_before_it_or_to_the_start() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let marks = Marks(VecDeque::from([(at(0), 10), (at(5), 20), (at(10), 35), (at(15), 50)]));
        assert_eq!(marks.before(Some(at(12))), Some(35));
        assert_eq!(marks.before(Some(at(15))), Some(50));
        assert_eq!(marks.before(Some(at(3))), Some(10), "soon after start: the start's mark");
        assert_eq!(marks.before(None), Some(10), "a break noticed within the margin of start");
        assert_eq!(Marks::default().before(Some(at(1))), None);
    }

    #[test]
    fn logged_changes_become_the_socket_events_they_caused() {
        let dialog = frontline_domain::DialogId::new();
        let subject = Uuid::now_v7();
        let logged = |kind: EventKind| StoredEvent {
            pos: 1,
            id: Uuid::now_v7(),
            workspace_id: WorkspaceId::new(),
            kind: kind.as_str().to_owned(),
            dialog_id: Some(dialog),
            subject_id: Some(subject),
            actor_kind: "system".into(),
            actor_id: None,
            at: frontline_domain::Timestamp(0),
            payload: "{}".into(),
        };
        let d = |change| Fact::Dialog { change, dialog: dialog.0 };
        assert_eq!(fact_of_logged(&logged(EventKind::DialogCreated)), vec![d(DialogChange::Created)]);
        assert_eq!(fact_of_logged(&logged(EventKind::DialogClosed)), vec![d(DialogChange::Closed)]);
        assert_eq!(fact_of_logged(&logged(EventKind::DialogTransferred)), vec![d(DialogChange::Updated)]);
        assert_eq!(fact_of_logged(&logged(EventKind::NoteCreated)), vec![Fact::Message { message: subject }]);
        assert_eq!(
            fact_of_logged(&logged(EventKind::OperatorMembershipChanged)),
            vec![Fact::Operator { operator: subject }, Fact::AccessChanged { operator: Some(subject) }]
        );
        assert!(fact_of_logged(&logged(EventKind::VisitorUpdated)).is_empty());
    }
}
