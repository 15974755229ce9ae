//! The event log and the outbox: what a change writes besides itself, in its own transaction.
//!
//! A write method of the store builds its events here from what it did ([`drafts`]) and
//! writes them with [`write_events!`] before it commits: one row per event, and one outbox
//! row per webhook endpoint subscribed to the event's kind (the fan-out is a single
//! `INSERT … SELECT`, so an endpoint registered on another node is seen at once). The
//! outbox is worked by core's worker through [`EventStore`](crate::EventStore).

use frontline_domain::{Actor, DialogId, EventKind, Timestamp, WorkspaceId};
use uuid::Uuid;

/// An event to write with a change.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub kind: EventKind,
    pub dialog_id: Option<DialogId>,
    /// What the event is about besides the dialog: a message, a visitor, an operator.
    pub subject_id: Option<Uuid>,
    pub actor: Actor,
    pub at: Timestamp,
    /// Small facts as a JSON object (never a message's text or a visitor's contacts).
    pub payload: serde_json::Value,
}

impl NewEvent {
    pub fn new(workspace_id: WorkspaceId, kind: EventKind, actor: Actor, at: Timestamp) -> Self {
        Self {
            id: Uuid::now_v7(),
            workspace_id,
            kind,
            dialog_id: None,
            subject_id: None,
            actor,
            at,
            payload: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn dialog(mut self, id: DialogId) -> Self {
        self.dialog_id = Some(id);
        self
    }

    pub fn subject(mut self, id: Uuid) -> Self {
        self.subject_id = Some(id);
        self
    }

    pub fn payload(mut self, payload: serde_json::Value) -> Self {
        self.payload = payload;
        self
    }

    pub fn payload_text(&self) -> String {
        self.payload.to_string()
    }
}

/// Who made a change, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub actor: Actor,
    pub at: Timestamp,
}

/// An event as the log keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// Its place in the log (increasing in commit order on SQLite; in id order per dialog
    /// on PostgreSQL, whose concurrent transactions may commit out of `pos` order).
    pub pos: i64,
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub kind: String,
    pub dialog_id: Option<DialogId>,
    pub subject_id: Option<Uuid>,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub at: Timestamp,
    pub payload: String,
}

/// A webhook endpoint as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEndpoint {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub url: String,
    pub description: String,
    /// The kinds it receives.
    pub events: Vec<EventKind>,
    pub secret: String,
    /// After a rotation, the secret that still signs until `previous_until`.
    pub previous_secret: Option<String>,
    pub previous_until: Option<Timestamp>,
    pub enabled: bool,
    /// Why it is off when the system turned it off (`failing`).
    pub disabled_reason: Option<String>,
    /// Since when its deliveries fail without a success in between.
    pub failing_since: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The state of an outbox job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    Pending,
    Done,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<JobStatus> {
        match s {
            "pending" => Some(JobStatus::Pending),
            "done" => Some(JobStatus::Done),
            "failed" => Some(JobStatus::Failed),
            _ => None,
        }
    }
}

/// One piece of outbound work. Its key is `(kind, target, event, generation)`: the fan-out
/// writes generation 0 once per endpoint and event; a replay is a new generation.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxJob {
    pub pos: i64,
    pub workspace_id: WorkspaceId,
    /// `webhook`.
    pub kind: String,
    /// The endpoint (for webhooks).
    pub target_id: Uuid,
    pub event_id: Uuid,
    pub event_kind: String,
    pub generation: i64,
    pub status: JobStatus,
    /// Attempts made so far (counted when claimed).
    pub attempts: i64,
    pub due_at: Timestamp,
    /// What is sent, fixed at the first attempt so that every retry sends the same bytes.
    pub body: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    /// The claim that holds it now (compared when the worker reports back).
    pub claim: Option<Uuid>,
}

/// One delivery attempt as the log keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobAttempt {
    pub attempt: i64,
    pub at: Timestamp,
    pub status_code: Option<i64>,
    /// The first bytes of the answer.
    pub response_excerpt: Option<String>,
    pub latency_ms: Option<i64>,
    pub error: Option<String>,
}

/// What becomes of a job after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobNext {
    Done,
    RetryAt(Timestamp),
    /// Its schedule is over.
    Failed,
}

/// What reporting an attempt did besides the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JobReport {
    /// The claim was no longer ours (its lease ran out and another worker took it): nothing
    /// was written.
    pub stale: bool,
    /// The endpoint had been failing since before the limit and was switched off now.
    pub endpoint_disabled: bool,
}

/// Builders of the events each change writes, from what the change did.
pub mod drafts {
    use super::NewEvent;
    use frontline_domain::{
        Actor, Audience, ChannelId, Dialog, EventKind, Message, Operator, OperatorId, Presence, Timestamp, Visitor,
        WorkspaceId,
    };
    use serde_json::json;

    /// `message.created` or `note.created` for a stored message.
    pub fn message(m: &Message, actor: Actor) -> NewEvent {
        // A note is what an operator writes for operators; other lines only operators see (who
        // took the dialog) are messages, their audience said in the payload.
        let note = m.audience == Audience::Operators && m.author.kind == frontline_domain::AuthorKind::Operator;
        let kind = if note { EventKind::NoteCreated } else { EventKind::MessageCreated };
        NewEvent::new(m.workspace_id, kind, actor, m.created_at).dialog(m.dialog_id).subject(m.id.0).payload(json!({
            "seq": m.seq,
            "author_kind": m.author.kind.as_str(),
            "audience": m.audience.as_str(),
            "automatic": m.automatic.map(|a| a.as_str()),
        }))
    }

    /// `message.edited`: the version its text had before (never the text).
    pub fn message_edited(m: &Message, replaced_version: i64, actor: Actor, at: Timestamp) -> NewEvent {
        NewEvent::new(m.workspace_id, EventKind::MessageEdited, actor, at).dialog(m.dialog_id).subject(m.id.0).payload(
            json!({ "seq": m.seq, "author_kind": m.author.kind.as_str(), "replaced_version": replaced_version }),
        )
    }

    /// What a post wrote: the dialog it opened, the opening line before it, the message.
    pub fn posted(m: &Message, d: &Dialog, created: bool, prelude: Option<&Message>) -> Vec<NewEvent> {
        let mut out = Vec::with_capacity(1 + usize::from(created) + usize::from(prelude.is_some()));
        if created {
            out.push(dialog_created(d, author(m)));
        }
        if let Some(p) = prelude {
            out.push(message(p, author(p)));
        }
        out.push(message(m, author(m)));
        out
    }

    /// The author of a message as an event's actor.
    pub fn author(m: &Message) -> Actor {
        use frontline_domain::{ActorKind, AuthorKind};
        let kind = match m.author.kind {
            AuthorKind::Visitor => ActorKind::Visitor,
            AuthorKind::Operator => ActorKind::Operator,
            _ => ActorKind::System,
        };
        Actor { kind, id: (kind != ActorKind::System).then_some(m.author.id) }
    }

    pub fn dialog_created(d: &Dialog, actor: Actor) -> NewEvent {
        NewEvent::new(d.workspace_id, EventKind::DialogCreated, actor, d.created_at).dialog(d.id).payload(json!({
            "number": d.number,
            "channel_id": d.channel_id.0,
            "visitor_id": d.visitor_id.0,
            "origin": d.origin.as_str(),
        }))
    }

    /// What a change of assignee and channel wrote: a transfer to another channel, an
    /// assignment, or a return to the queue (several when one change did several).
    pub fn reassigned(before: &Dialog, after: &Dialog, actor: Actor, at: Timestamp) -> Vec<NewEvent> {
        let mut out = Vec::new();
        let from = before.assignee.map(|a| a.operator.0);
        let to = after.assignee.map(|a| a.operator.0);
        if before.channel_id != after.channel_id {
            out.push(
                NewEvent::new(after.workspace_id, EventKind::DialogTransferred, actor, at).dialog(after.id).payload(
                    json!({
                        "from_channel_id": before.channel_id.0,
                        "to_channel_id": after.channel_id.0,
                        "from_operator_id": from,
                        "to_operator_id": to,
                    }),
                ),
            );
        } else if from != to {
            let kind = if to.is_some() { EventKind::DialogAssigned } else { EventKind::DialogUnassigned };
            out.push(NewEvent::new(after.workspace_id, kind, actor, at).dialog(after.id).payload(json!({
                "channel_id": after.channel_id.0,
                "from_operator_id": from,
                "to_operator_id": to,
            })));
        }
        out
    }

    pub fn closed(d: &Dialog, actor: Actor, at: Timestamp) -> NewEvent {
        NewEvent::new(d.workspace_id, EventKind::DialogClosed, actor, at).dialog(d.id).payload(json!({
            "reason": d.close_reason.map(|r| r.as_str()),
            "operator_id": d.assignee.map(|a| a.operator.0),
        }))
    }

    pub fn reopened(d: &Dialog, actor: Actor, at: Timestamp) -> NewEvent {
        NewEvent::new(d.workspace_id, EventKind::DialogReopened, actor, at).dialog(d.id)
    }

    pub fn snoozed(d: &Dialog, actor: Actor, at: Timestamp) -> NewEvent {
        match d.snoozed_until {
            Some(until) => NewEvent::new(d.workspace_id, EventKind::DialogSnoozed, actor, at)
                .dialog(d.id)
                .payload(json!({ "until": until.0 })),
            None => NewEvent::new(d.workspace_id, EventKind::DialogUnsnoozed, actor, at).dialog(d.id),
        }
    }

    pub fn labels(d: &Dialog, actor: Actor, at: Timestamp) -> NewEvent {
        NewEvent::new(d.workspace_id, EventKind::DialogLabelsChanged, actor, at).dialog(d.id).payload(json!({
            "tag_ids": d.tags.iter().map(|t| t.0).collect::<Vec<_>>(),
            "category_id": d.category.map(|c| c.0),
            "fields": d.fields,
        }))
    }

    pub fn rated(d: &Dialog, at: Timestamp) -> NewEvent {
        NewEvent::new(d.workspace_id, EventKind::RatingCreated, Actor::visitor(d.visitor_id), at)
            .dialog(d.id)
            .payload(json!({ "score": d.rating.as_ref().map(|r| r.score) }))
    }

    /// `operator.presence_changed`, when it changed.
    pub fn presence(op: &Operator, before: Presence, actor: Actor, at: Timestamp) -> Option<NewEvent> {
        (op.presence != before).then(|| {
            NewEvent::new(op.workspace_id, EventKind::OperatorPresenceChanged, actor, at)
                .subject(op.id.0)
                .payload(json!({ "presence": op.presence.as_str(), "previous": before.as_str() }))
        })
    }

    /// `operator.updated`, naming what changed (`capacity`, `role`, `display_name`, `password`,
    /// `deactivated`, `reactivated`).
    pub fn operator_updated(op: &Operator, change: &str, actor: Actor, at: Timestamp) -> NewEvent {
        NewEvent::new(op.workspace_id, EventKind::OperatorUpdated, actor, at).subject(op.id.0).payload(json!({
            "change": change,
            "role": op.role.as_str(),
            "capacity": op.capacity.get(),
            "active": op.deactivated_at.is_none(),
        }))
    }

    /// `operator.membership_changed` for a channel whose members are now `operators`.
    pub fn membership(
        ws: WorkspaceId,
        channel: ChannelId,
        operators: &[OperatorId],
        actor: Actor,
        at: Timestamp,
    ) -> NewEvent {
        NewEvent::new(ws, EventKind::OperatorMembershipChanged, actor, at).subject(channel.0).payload(
            json!({ "channel_id": channel.0, "operator_ids": operators.iter().map(|o| o.0).collect::<Vec<_>>() }),
        )
    }

    /// `operator.membership_changed` when one operator joined a channel (he was added with it).
    pub fn member_added(ws: WorkspaceId, channel: ChannelId, operator: OperatorId, at: Timestamp) -> NewEvent {
        NewEvent::new(ws, EventKind::OperatorMembershipChanged, Actor::SYSTEM, at)
            .subject(channel.0)
            .payload(json!({ "channel_id": channel.0, "added": [operator.0] }))
    }

    /// `operator.presence_changed` when his heartbeat stopped and he went offline (what he
    /// was before is not read back, so `previous` is null).
    pub fn presence_lost(op: &Operator, at: Timestamp) -> NewEvent {
        NewEvent::new(op.workspace_id, EventKind::OperatorPresenceChanged, Actor::SYSTEM, at)
            .subject(op.id.0)
            .payload(json!({ "presence": op.presence.as_str(), "previous": null, "reason": "heartbeat_lost" }))
    }

    /// `visitor.updated`, naming the fields that changed (never their values).
    pub fn visitor_updated(v: &Visitor, fields: &[&str], actor: Actor, at: Timestamp) -> NewEvent {
        NewEvent::new(v.workspace_id, EventKind::VisitorUpdated, actor, at)
            .subject(v.id.0)
            .payload(json!({ "fields": fields }))
    }

    pub fn breached(d: &Dialog, target: &str, due_at: Timestamp, at: Timestamp) -> NewEvent {
        NewEvent::new(d.workspace_id, EventKind::SlaBreached, Actor::SYSTEM, at).dialog(d.id).payload(json!({
            "target": target,
            "due_at": due_at.0,
            "channel_id": d.channel_id.0,
            "operator_id": d.assignee.map(|a| a.operator.0),
        }))
    }
}

/// Writes events and their outbox fan-out inside the caller's transaction:
/// `write_events!(conn, events)` where `events: impl IntoIterator<Item = &NewEvent>`, in a
/// scope with `map_err` (see [`sql_row_glue!`](crate::sql_row_glue)). Evaluates to
/// `StoreResult<()>`.
#[macro_export]
macro_rules! write_events {
    ($conn:expr, $events:expr) => {{
        let mut result: $crate::StoreResult<()> = Ok(());
        for e in $events {
            let e: &$crate::events::NewEvent = e;
            let step = async {
                ::sqlx::query($crate::sql::INSERT_EVENT)
                    .bind(e.id)
                    .bind(e.workspace_id.0)
                    .bind(e.kind.as_str())
                    .bind(e.dialog_id.map(|d| d.0))
                    .bind(e.subject_id)
                    .bind(e.actor.kind.as_str())
                    .bind(e.actor.id)
                    .bind(e.at.0)
                    .bind(e.payload_text())
                    .execute(&mut *$conn)
                    .await
                    .map_err(map_err)?;
                ::sqlx::query($crate::sql::FAN_OUT_EVENT).bind(e.id).execute(&mut *$conn).await.map_err(map_err)?;
                Ok::<(), $crate::StoreError>(())
            }
            .await;
            if let Err(err) = step {
                result = Err(err);
                break;
            }
        }
        result
    }};
}

/// [`EventStore`](crate::EventStore), [`WebhookStore`](crate::WebhookStore) and
/// [`OutboxStore`](crate::OutboxStore) for a SQL backend, written once for both; `lock` as in
/// [`sql_automation_impls!`](crate::sql_automation_impls).
#[macro_export]
macro_rules! sql_event_impls {
    ($store:ty, row = $($row:ident)::+, lock = $lock:expr) => {
        const _: () = {
            use $($row)::+::{R, map_err};
            use $crate::__domain::{DialogId, Timestamp, WorkspaceId};
            use $crate::events::{JobAttempt, JobNext, JobReport, OutboxJob, StoredEvent, WebhookEndpoint};
            use $crate::{EventStore, OutboxStore, WebhookStore, StoreError, StoreResult, records, sql};
            use $crate::__uuid::Uuid;

            impl $store {
                /// Writes an endpoint and its subscriptions in one transaction: a new one (within
                /// `limit` endpoints per workspace, `Conflict("limit")` past it), or every field of
                /// an existing one (`NotFound` when it is not the workspace's).
                async fn save_webhook(&self, e: &WebhookEndpoint, limit: Option<u32>) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    if let Some(limit) = limit {
                        let count: i64 = ::sqlx::query_scalar(sql::COUNT_WEBHOOKS)
                            .bind(e.workspace_id.0)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        if count >= i64::from(limit) {
                            return Err(StoreError::Conflict("limit"));
                        }
                    }
                    let q = ::sqlx::query(if limit.is_some() { sql::INSERT_WEBHOOK } else { sql::UPDATE_WEBHOOK })
                        .bind(e.workspace_id.0)
                        .bind(e.id)
                        .bind(&e.url)
                        .bind(&e.description)
                        .bind(records::kinds_json(&e.events))
                        .bind(&e.secret)
                        .bind(e.previous_secret.as_deref())
                        .bind(e.previous_until.map(|t| t.0))
                        .bind(e.enabled)
                        .bind(e.disabled_reason.as_deref())
                        .bind(e.failing_since.map(|t| t.0))
                        .bind(e.updated_at.0);
                    let q = if limit.is_some() { q.bind(e.created_at.0) } else { q };
                    if q.execute(&mut *tx).await.map_err(map_err)?.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    ::sqlx::query(sql::DELETE_WEBHOOK_SUBSCRIPTIONS).bind(e.id).execute(&mut *tx).await.map_err(map_err)?;
                    for kind in &e.events {
                        ::sqlx::query(sql::INSERT_WEBHOOK_SUBSCRIPTION)
                            .bind(e.workspace_id.0)
                            .bind(kind.as_str())
                            .bind(e.id)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)
                }

                /// Rows of `table` (columns `cols`) whose `id` is one of `ids`, 500 ids a query,
                /// each read by `read`.
                async fn by_ids<T>(
                    &self,
                    cols: &str,
                    table: &str,
                    ids: &[Uuid],
                    read: impl Fn(&R<'_>) -> StoreResult<T>,
                ) -> StoreResult<Vec<T>> {
                    let mut out = Vec::with_capacity(ids.len());
                    for chunk in ids.chunks(500) {
                        let marks = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
                        let text = format!("SELECT {cols} FROM {table} WHERE id IN ({marks})");
                        let mut q = ::sqlx::query(::sqlx::AssertSqlSafe(text));
                        for id in chunk {
                            q = q.bind(*id);
                        }
                        for row in q.fetch_all(self.reader()).await.map_err(map_err)? {
                            out.push(read(&R(&row))?);
                        }
                    }
                    Ok(out)
                }
            }

            #[$crate::async_trait]
            impl EventStore for $store {
                async fn events_after(&self, ws: WorkspaceId, pos: i64, limit: u32) -> StoreResult<Vec<StoredEvent>> {
                    let rows = ::sqlx::query(sql::SELECT_EVENTS_AFTER)
                        .bind(ws.0)
                        .bind(pos)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| records::event(&R(r))).collect()
                }

                async fn events_since(&self, pos: i64, limit: u32) -> StoreResult<Vec<StoredEvent>> {
                    let rows = ::sqlx::query(sql::SELECT_EVENTS_SINCE)
                        .bind(pos)
                        .bind(i64::from(limit))
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| records::event(&R(r))).collect()
                }

                async fn latest_event_pos(&self) -> StoreResult<i64> {
                    ::sqlx::query_scalar(sql::SELECT_LATEST_EVENT_POS).fetch_one(self.reader()).await.map_err(map_err)
                }

                async fn dialog_events(&self, ws: WorkspaceId, dialog: DialogId) -> StoreResult<Vec<StoredEvent>> {
                    let rows = ::sqlx::query(sql::SELECT_DIALOG_EVENTS)
                        .bind(ws.0)
                        .bind(dialog.0)
                        .fetch_all(self.reader())
                        .await
                        .map_err(map_err)?;
                    rows.iter().map(|r| records::event(&R(r))).collect()
                }

                async fn event(&self, id: Uuid) -> StoreResult<StoredEvent> {
                    let row = ::sqlx::query(sql::SELECT_EVENT).bind(id).fetch_one(self.reader()).await.map_err(map_err)?;
                    records::event(&R(&row))
                }

                async fn events_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<StoredEvent>> {
                    self.by_ids(sql::EVENT_COLS, "events", ids, |r| records::event(r)).await
                }

                async fn messages_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<$crate::__domain::Message>> {
                    self.by_ids(sql::MESSAGE_COLS, "messages", ids, |r| records::message(r)).await
                }

                async fn dialogs_by_ids(&self, ids: &[DialogId]) -> StoreResult<Vec<$crate::__domain::Dialog>> {
                    let ids: Vec<Uuid> = ids.iter().map(|d| d.0).collect();
                    self.by_ids(sql::DIALOG_COLS, "dialogs", &ids, |r| records::dialog(r)).await
                }

                async fn purge_events(&self, before: Timestamp, limit: u32) -> StoreResult<u64> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    let jobs = ::sqlx::query(sql::PURGE_JOBS)
                        .bind(before.0)
                        .bind(i64::from(limit))
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .rows_affected();
                    let events = ::sqlx::query(sql::PURGE_EVENTS)
                        .bind(before.0)
                        .bind(i64::from(limit))
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .rows_affected();
                    tx.commit().await.map_err(map_err)?;
                    Ok(jobs + events)
                }
            }

            #[$crate::async_trait]
            impl WebhookStore for $store {
                async fn webhooks(&self, ws: WorkspaceId) -> StoreResult<Vec<WebhookEndpoint>> {
                    let rows = ::sqlx::query(sql::SELECT_WEBHOOKS).bind(ws.0).fetch_all(self.reader()).await.map_err(map_err)?;
                    rows.iter().map(|r| records::webhook(&R(r))).collect()
                }

                async fn any_enabled_webhook(&self) -> StoreResult<bool> {
                    let row: Option<Uuid> = ::sqlx::query_scalar(sql::ANY_ENABLED_WEBHOOK).fetch_optional(self.reader()).await.map_err(map_err)?;
                    Ok(row.is_some())
                }

                async fn webhook(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<WebhookEndpoint> {
                    let row = ::sqlx::query(sql::SELECT_WEBHOOK)
                        .bind(ws.0)
                        .bind(id)
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    records::webhook(&R(&row))
                }

                async fn create_webhook(&self, e: &WebhookEndpoint, limit: u32) -> StoreResult<()> {
                    self.save_webhook(e, Some(limit)).await
                }

                async fn update_webhook(&self, e: &WebhookEndpoint) -> StoreResult<()> {
                    self.save_webhook(e, None).await
                }

                async fn delete_webhook(&self, ws: WorkspaceId, id: Uuid) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    // Its subscriptions go by the foreign key's cascade; its jobs (and their
                    // attempts, by theirs) here.
                    let gone = ::sqlx::query(sql::DELETE_WEBHOOK).bind(ws.0).bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    if gone.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    ::sqlx::query(sql::DELETE_WEBHOOK_JOBS).bind(id).execute(&mut *tx).await.map_err(map_err)?;
                    tx.commit().await.map_err(map_err)
                }
            }

            #[$crate::async_trait]
            impl OutboxStore for $store {
                async fn claim_jobs(&self, now: Timestamp, claim: Uuid, lease_until: Timestamp, limit: u32) -> StoreResult<Vec<OutboxJob>> {
                    let due = ::sqlx::query(sql::PROBE_DUE_JOBS).bind(now.0).fetch_optional(self.reader()).await.map_err(map_err)?;
                    if due.is_none() {
                        return Ok(Vec::new());
                    }
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(sql::claim_jobs($lock)))
                        .bind(now.0)
                        .bind(i64::from(limit))
                        .bind(claim)
                        .bind(lease_until.0)
                        .fetch_all(self.writer())
                        .await
                        .map_err(map_err)?;
                    let mut jobs = rows.iter().map(|r| records::job(&R(r))).collect::<StoreResult<Vec<_>>>()?;
                    jobs.sort_by_key(|j| j.pos);
                    Ok(jobs)
                }

                async fn set_job_bodies(&self, claim: Uuid, bodies: &[(i64, String)]) -> StoreResult<()> {
                    if bodies.is_empty() {
                        return Ok(());
                    }
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    for (pos, body) in bodies {
                        ::sqlx::query(sql::SET_JOB_BODY).bind(*pos).bind(claim).bind(body.as_str()).execute(&mut *tx).await.map_err(map_err)?;
                    }
                    tx.commit().await.map_err(map_err)
                }

                async fn report_jobs(
                    &self,
                    claim: Uuid,
                    reports: &[(OutboxJob, Option<String>, JobAttempt, JobNext)],
                    disable_before: Timestamp,
                ) -> StoreResult<Vec<JobReport>> {
                    let mut out = Vec::with_capacity(reports.len());
                    if reports.is_empty() {
                        return Ok(out);
                    }
                    let mut tx = self.writer().begin().await.map_err(map_err)?;
                    for (job, body, a, next) in reports {
                        if let Some(body) = body {
                            ::sqlx::query(sql::SET_JOB_BODY).bind(job.pos).bind(claim).bind(body.as_str()).execute(&mut *tx).await.map_err(map_err)?;
                        }
                        let (status, due) = match next {
                            JobNext::Done => ("done", job.due_at),
                            JobNext::RetryAt(at) => ("pending", *at),
                            JobNext::Failed => ("failed", job.due_at),
                        };
                        let finished = (status != "pending").then_some(a.at.0);
                        let changed = ::sqlx::query(sql::FINISH_JOB)
                            .bind(job.pos)
                            .bind(claim)
                            .bind(status)
                            .bind(due.0)
                            .bind(finished)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?
                            .rows_affected();
                        if changed == 0 {
                            out.push(JobReport { stale: true, endpoint_disabled: false });
                            continue;
                        }
                        ::sqlx::query(sql::INSERT_ATTEMPT)
                            .bind(job.pos)
                            .bind(a.attempt)
                            .bind(a.at.0)
                            .bind(a.status_code)
                            .bind(a.response_excerpt.as_deref())
                            .bind(a.latency_ms)
                            .bind(a.error.as_deref())
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        let mut report = JobReport::default();
                        if job.kind == "webhook" {
                            if *next == JobNext::Done {
                                ::sqlx::query(sql::WEBHOOK_SUCCEEDED).bind(job.target_id).execute(&mut *tx).await.map_err(map_err)?;
                            } else {
                                let row = ::sqlx::query(sql::WEBHOOK_FAILED)
                                    .bind(job.target_id)
                                    .bind(a.at.0)
                                    .fetch_optional(&mut *tx)
                                    .await
                                    .map_err(map_err)?;
                                let since = match &row {
                                    Some(r) => ::sqlx::Row::try_get::<Option<i64>, _>(r, "failing_since").map_err(map_err)?,
                                    None => None,
                                };
                                if since.is_some_and(|s| s <= disable_before.0) {
                                    let off = ::sqlx::query(sql::DISABLE_FAILING_WEBHOOK)
                                        .bind(job.target_id)
                                        .bind(a.at.0)
                                        .execute(&mut *tx)
                                        .await
                                        .map_err(map_err)?
                                        .rows_affected();
                                    ::sqlx::query(sql::FAIL_PENDING_JOBS).bind(job.target_id).bind(a.at.0).execute(&mut *tx).await.map_err(map_err)?;
                                    report.endpoint_disabled = off > 0;
                                }
                            }
                        }
                        out.push(report);
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(out)
                }

                async fn enqueue_test_job(&self, ws: WorkspaceId, endpoint: Uuid, event_id: Uuid, body: &str, now: Timestamp) -> StoreResult<OutboxJob> {
                    let row = ::sqlx::query(sql::INSERT_TEST_JOB)
                        .bind(ws.0)
                        .bind(endpoint)
                        .bind(event_id)
                        .bind(now.0)
                        .bind(body)
                        .fetch_one(self.writer())
                        .await
                        .map_err(map_err)?;
                    records::job(&R(&row))
                }

                async fn replay_job(&self, ws: WorkspaceId, pos: i64, now: Timestamp) -> StoreResult<OutboxJob> {
                    let row = ::sqlx::query(sql::REPLAY_JOB).bind(ws.0).bind(pos).bind(now.0).fetch_optional(self.writer()).await.map_err(map_err)?;
                    match row {
                        Some(row) => records::job(&R(&row)),
                        None => Err(StoreError::NotFound),
                    }
                }

                async fn job(&self, ws: WorkspaceId, pos: i64) -> StoreResult<OutboxJob> {
                    let row = ::sqlx::query(sql::SELECT_JOB).bind(ws.0).bind(pos).fetch_one(self.writer()).await.map_err(map_err)?;
                    records::job(&R(&row))
                }

                async fn target_jobs(&self, ws: WorkspaceId, target: Uuid, before_pos: i64, limit: u32) -> StoreResult<Vec<(OutboxJob, Option<JobAttempt>)>> {
                    let rows = ::sqlx::query(sql::SELECT_TARGET_JOBS)
                        .bind(ws.0)
                        .bind(target)
                        .bind(before_pos)
                        .bind(i64::from(limit))
                        .fetch_all(self.writer())
                        .await
                        .map_err(map_err)?;
                    let mut out = Vec::with_capacity(rows.len());
                    for r in &rows {
                        let job = records::job(&R(r))?;
                        let last = self.job_attempts(job.pos).await?.pop();
                        out.push((job, last));
                    }
                    Ok(out)
                }

                async fn job_attempts(&self, pos: i64) -> StoreResult<Vec<JobAttempt>> {
                    let rows = ::sqlx::query(sql::SELECT_ATTEMPTS).bind(pos).fetch_all(self.writer()).await.map_err(map_err)?;
                    rows.iter().map(|r| records::attempt(&R(r))).collect()
                }
            }
        };
    };
}

/// Runs a statement that answers the dialog it changed (or no row when it changed nothing) in a
/// transaction with the events of the change: `dialog_change!(self, query, |d: &Dialog| events)`
/// evaluates to `StoreResult<Option<Dialog>>`. Needs `R`, `map_err` in scope.
/// Appends lines to an open dialog inside the caller's transaction:
/// `append_lines!(tx, &mut dialog, lines)` where `dialog: Dialog` is the row as the transaction
/// sees it (updated as each line is appended) and `lines: &[NewLine]`; in a scope with `R` and
/// `map_err` (see [`sql_row_glue!`](crate::sql_row_glue)). Evaluates to
/// `StoreResult<Vec<Message>>`, the stored lines. A greeting is left out when the visitor was
/// greeted or answered already. The caller writes the lines' events.
#[macro_export]
macro_rules! append_lines {
    ($tx:ident, $dialog:expr, $lines:expr) => {{
        let dialog: &mut $crate::__domain::Dialog = $dialog;
        let lines: &[$crate::NewLine] = $lines;
        async {
            let (ws, id) = (dialog.workspace_id, dialog.id);
            let mut messages = Vec::with_capacity(lines.len());
            for line in lines {
                let m = &line.message;
                // A visitor is greeted once: not again when a dialog someone greeted or
                // answered changes hands.
                if m.automatic == Some($crate::__domain::Automatic::Greeting) {
                    let greeted: i64 = ::sqlx::query_scalar($crate::sql::COUNT_GREETINGS)
                        .bind(ws.0)
                        .bind(id.0)
                        .fetch_one(&mut *$tx)
                        .await
                        .map_err(map_err)?;
                    if greeted > 0 || dialog.sla.first_reply_at.is_some() {
                        continue;
                    }
                }
                let row = $crate::bind_append!(
                    ::sqlx::query($crate::sql::APPEND_TO_DIALOG),
                    id,
                    $crate::records::effect_kind(m),
                    m,
                    ws,
                    &line.timers,
                )
                .fetch_one(&mut *$tx)
                .await
                .map_err(map_err)?;
                *dialog = $crate::records::dialog(&R(&row))?;
                $crate::bind_insert_message!(
                    ::sqlx::query($crate::sql::INSERT_MESSAGE),
                    m,
                    ws,
                    id.0,
                    dialog.last_seq,
                    line.author_name.as_deref()
                )
                .execute(&mut *$tx)
                .await
                .map_err(map_err)?;
                // A reply written with its claim takes its files like any post.
                for a in &m.attachments {
                    ::sqlx::query($crate::sql::CLAIM_ATTACHMENT)
                        .bind(m.id.0)
                        .bind(id.0)
                        .bind(ws.0)
                        .bind(a.id.0)
                        .execute(&mut *$tx)
                        .await
                        .map_err(map_err)?;
                }
                messages.push($crate::records::stored_message(m, ws, id, dialog.last_seq, line.author_name.clone()));
            }
            Ok::<_, $crate::StoreError>(messages)
        }
        .await
    }};
}

/// Like [`dialog_change!`], with `lines` appended to the changed dialog in the same
/// transaction (and their `message.created` events): evaluates to
/// `StoreResult<Option<Changed>>`.
#[macro_export]
macro_rules! dialog_change_with_lines {
    ($self:ident, $q:expr, $events:expr, $lines:expr) => {{
        async {
            let mut tx = $self.writer().begin().await.map_err(map_err)?;
            let row = $q.fetch_optional(&mut *tx).await.map_err(map_err)?;
            let Some(row) = row else {
                return Ok::<_, $crate::StoreError>(None);
            };
            let mut d = $crate::records::dialog(&R(&row))?;
            let mut events: Vec<$crate::events::NewEvent> = ($events)(&d);
            let lines = $crate::append_lines!(tx, &mut d, $lines)?;
            events.extend(lines.iter().map(|m| $crate::events::drafts::message(m, $crate::events::drafts::author(m))));
            $crate::write_events!(tx, &events)?;
            tx.commit().await.map_err(map_err)?;
            Ok(Some($crate::Changed { dialog: d, lines }))
        }
        .await
    }};
}

#[macro_export]
macro_rules! dialog_change {
    ($self:ident, $q:expr, $events:expr) => {{
        async {
            let mut tx = $self.writer().begin().await.map_err(map_err)?;
            let row = $q.fetch_optional(&mut *tx).await.map_err(map_err)?;
            let Some(row) = row else {
                return Ok::<_, $crate::StoreError>(None);
            };
            let d = $crate::records::dialog(&R(&row))?;
            let events: Vec<$crate::events::NewEvent> = ($events)(&d);
            $crate::write_events!(tx, &events)?;
            tx.commit().await.map_err(map_err)?;
            Ok(Some(d))
        }
        .await
    }};
}
