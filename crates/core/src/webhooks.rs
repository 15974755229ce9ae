//! Webhook endpoints (admins), what a delivery carries, and the delivery log.
//!
//! An endpoint receives the kinds it subscribed to; the store writes one outbox job per
//! subscribed endpoint with every event (see `frontline_store::events`), and the outbox worker
//! delivers them. The body of a delivery is rendered at its first attempt from the event and
//! what it names, then kept, so every retry and replay sends the same bytes.

use crate::App;
use crate::actor::Admin;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use crate::views::{DialogView, MessageView, rfc3339};
use frontline_domain::{Dialog, DialogId, EventKind, Message, OperatorId, Timestamp, VisitorId, WorkspaceId};
use frontline_store::StoreError;
use frontline_store::events::{JobAttempt, JobStatus, OutboxJob, StoredEvent, WebhookEndpoint};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use utoipa::ToSchema;

/// The version of the payload's shape, in every body as `version`.
pub const PAYLOAD_VERSION: u32 = 1;
/// How long a rotated-out secret keeps signing.
pub const ROTATION_OVERLAP_MS: i64 = 24 * 3600 * 1000;
const URL_LIMIT: usize = 2048;
const DESCRIPTION_LIMIT: usize = 200;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct WebhookEndpointView {
    pub id: uuid::Uuid,
    pub url: String,
    pub description: String,
    /// The event kinds it receives.
    pub events: Vec<String>,
    pub enabled: bool,
    /// `failing` when Frontline switched it off after five days of failed deliveries.
    #[schema(required = true)]
    pub disabled_reason: Option<DisabledReason>,
    /// Since when its deliveries fail with no success between.
    #[schema(required = true)]
    pub failing_since: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Until when the secret before the last rotation still signs.
    #[schema(required = true)]
    pub previous_secret_until: Option<String>,
}

/// Why Frontline switched an endpoint off by itself.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DisabledReason {
    /// Its deliveries failed for five days with no success between.
    Failing,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not tried yet, or to be tried again at `next_attempt_at`.
    Pending,
    /// A 2xx came within the time limit.
    Delivered,
    /// Its schedule is over, or its endpoint was switched off or deleted.
    Failed,
}

impl WebhookEndpointView {
    fn of(e: &WebhookEndpoint, now: Timestamp) -> Self {
        Self {
            id: e.id,
            url: e.url.clone(),
            description: e.description.clone(),
            events: e.events.iter().map(|k| k.as_str().to_owned()).collect(),
            enabled: e.enabled,
            disabled_reason: e.disabled_reason.as_deref().map(|_| DisabledReason::Failing),
            failing_since: e.failing_since.map(rfc3339),
            created_at: rfc3339(e.created_at),
            updated_at: rfc3339(e.updated_at),
            previous_secret_until: e.previous_until.filter(|u| u.0 > now.0).map(rfc3339),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CatalogueEntry {
    pub kind: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AttemptView {
    pub attempt: i64,
    pub at: String,
    /// The HTTP status, when an answer came.
    #[schema(required = true)]
    pub status_code: Option<i64>,
    /// The first bytes of the answer.
    #[schema(required = true)]
    pub response_excerpt: Option<String>,
    #[schema(required = true)]
    pub latency_ms: Option<i64>,
    /// Why it failed without an answer, or why the answer is a failure.
    #[schema(required = true)]
    pub error: Option<String>,
}

impl From<&JobAttempt> for AttemptView {
    fn from(a: &JobAttempt) -> Self {
        Self {
            attempt: a.attempt,
            at: rfc3339(a.at),
            status_code: a.status_code,
            response_excerpt: a.response_excerpt.clone(),
            latency_ms: a.latency_ms,
            error: a.error.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DeliveryView {
    /// The delivery's id in this log.
    pub id: String,
    /// The `webhook-id` header: the same on every retry and replay of the event.
    pub webhook_id: String,
    pub event_kind: String,
    pub event_id: uuid::Uuid,
    pub status: DeliveryStatus,
    pub attempts: i64,
    #[schema(required = true)]
    pub next_attempt_at: Option<String>,
    pub created_at: String,
    #[schema(required = true)]
    pub last_attempt: Option<AttemptView>,
}

impl DeliveryView {
    fn of(j: &OutboxJob, last: Option<&JobAttempt>) -> Self {
        Self {
            id: j.pos.to_string(),
            webhook_id: message_id(j.event_id),
            event_kind: j.event_kind.clone(),
            event_id: j.event_id,
            status: match j.status {
                JobStatus::Pending => DeliveryStatus::Pending,
                JobStatus::Done => DeliveryStatus::Delivered,
                JobStatus::Failed => DeliveryStatus::Failed,
            },
            attempts: j.attempts,
            next_attempt_at: (j.status == JobStatus::Pending).then(|| rfc3339(j.due_at)),
            created_at: rfc3339(j.created_at),
            last_attempt: last.map(AttemptView::from),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DeliveryDetail {
    pub delivery: DeliveryView,
    /// What is sent (empty until the first attempt renders it).
    pub request_body: String,
    pub attempts: Vec<AttemptView>,
}

/// An endpoint as an admin writes it; absent fields keep their value on update.
#[derive(Debug, Clone, Default)]
pub struct EndpointPatch {
    pub url: Option<String>,
    pub description: Option<String>,
    pub events: Option<Vec<String>>,
    pub enabled: Option<bool>,
}

/// `webhook-id` of an event's deliveries.
pub fn message_id(event: uuid::Uuid) -> String {
    format!("msg_{}", event.simple())
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> Result<String, CoreError> {
    use base64::Engine;
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| CoreError::Internal(format!("random: {e}")))?;
    Ok(format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(key)))
}

/// Checks an endpoint's address: http(s), a host, no credentials, and (unless the
/// configuration allows it) not a loopback, private or link-local address. A name is checked
/// again, resolved, at every delivery.
pub fn check_url(raw: &str, allow_private: bool) -> Result<String, CoreError> {
    let invalid = |reason: &str| CoreError::Invalid { field: "url".into(), reason: reason.into() };
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > URL_LIMIT {
        return Err(invalid("an http or https address of at most 2048 characters"));
    }
    let url = url::Url::parse(raw).map_err(|_| invalid("not a valid address"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("only http and https addresses"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("no user name or password in the address; check the signature instead"));
    }
    if url.fragment().is_some() {
        return Err(invalid("no #fragment in the address"));
    }
    let refused = |why: &str| CoreError::UrlNotAllowed(why.into());
    match url.host() {
        None => return Err(invalid("the address has no host")),
        Some(url::Host::Domain(name)) => {
            if !allow_private && frontline_domain::net::is_local_name(name) {
                return Err(refused("this address is the server itself"));
            }
        }
        Some(url::Host::Ipv4(ip)) => {
            if !allow_private && !frontline_domain::net::is_public(ip.into()) {
                return Err(refused("loopback, private and link-local addresses are not allowed"));
            }
        }
        Some(url::Host::Ipv6(ip)) => {
            if !allow_private && !frontline_domain::net::is_public(ip.into()) {
                return Err(refused("loopback, private and link-local addresses are not allowed"));
            }
        }
    }
    Ok(url.to_string())
}

fn parse_events(kinds: &[String]) -> Result<Vec<EventKind>, CoreError> {
    if kinds.is_empty() {
        return Err(CoreError::Invalid { field: "events".into(), reason: "choose at least one event".into() });
    }
    let mut out = Vec::with_capacity(kinds.len());
    for (i, k) in kinds.iter().enumerate() {
        match EventKind::parse(k) {
            Some(EventKind::WebhookTest) | None => {
                return Err(CoreError::Invalid {
                    field: format!("events[{i}]"),
                    reason: "not an event of the catalogue".into(),
                });
            }
            Some(kind) => out.push(kind),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn check_description(d: &str) -> Result<String, CoreError> {
    let d = d.trim();
    if d.chars().count() > DESCRIPTION_LIMIT || d.chars().any(char::is_control) {
        return Err(CoreError::Invalid {
            field: "description".into(),
            reason: "at most 200 characters on one line".into(),
        });
    }
    Ok(d.to_owned())
}

fn not_found(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::NotFound("webhook endpoint"),
        other => other.into(),
    }
}

async fn audit(app: &App, admin: &OperatorActor, action: &str, e: &WebhookEndpoint, details: Value) {
    let entry = crate::operators::audit_entry(
        app,
        Some(admin.workspace()),
        Some(&admin.operator),
        action,
        Some((e.id, e.url.as_str())),
        None,
        details,
    );
    crate::operators::record(app, vec![entry]).await;
}

/// The kinds an endpoint may subscribe to.
pub fn catalogue() -> Vec<CatalogueEntry> {
    EventKind::ALL
        .into_iter()
        .filter(|k| *k != EventKind::WebhookTest)
        .map(|k| CatalogueEntry { kind: k.as_str().into(), description: k.description().into() })
        .collect()
}

pub async fn list(app: &App, admin: &Admin<'_>) -> Result<Vec<WebhookEndpointView>, CoreError> {
    let now = app.clock.now();
    Ok(app.store.webhooks(admin.workspace()).await?.iter().map(|e| WebhookEndpointView::of(e, now)).collect())
}

/// Registers an endpoint; answers it with its secret (shown again only on request).
pub async fn create(
    app: &App,
    admin: &Admin<'_>,
    url: &str,
    description: &str,
    events: &[String],
    enabled: bool,
) -> Result<(WebhookEndpointView, String), CoreError> {
    let url = check_url(url, app.config.webhooks_allow_private)?;
    let description = check_description(description)?;
    let events = parse_events(events)?;
    let now = app.clock.now();
    let endpoint = WebhookEndpoint {
        id: uuid::Uuid::now_v7(),
        workspace_id: admin.workspace(),
        url,
        description,
        events,
        secret: new_secret()?,
        previous_secret: None,
        previous_until: None,
        enabled,
        disabled_reason: None,
        failing_since: None,
        created_at: now,
        updated_at: now,
    };
    match app.store.create_webhook(&endpoint, app.config.webhook_limit).await {
        Ok(()) => {}
        Err(StoreError::Conflict("limit")) => return Err(CoreError::TooManyWebhooks(app.config.webhook_limit)),
        Err(e) => return Err(e.into()),
    }
    if endpoint.enabled {
        app.webhooks_exist.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    audit(app, admin, "webhook.created", &endpoint, json!({ "events": endpoint.events.len() })).await;
    Ok((WebhookEndpointView::of(&endpoint, now), endpoint.secret))
}

pub async fn update(
    app: &App,
    admin: &Admin<'_>,
    id: uuid::Uuid,
    patch: &EndpointPatch,
) -> Result<WebhookEndpointView, CoreError> {
    let mut e = app.store.webhook(admin.workspace(), id).await.map_err(not_found)?;
    if let Some(url) = &patch.url {
        e.url = check_url(url, app.config.webhooks_allow_private)?;
    }
    if let Some(d) = &patch.description {
        e.description = check_description(d)?;
    }
    if let Some(events) = &patch.events {
        e.events = parse_events(events)?;
    }
    if let Some(enabled) = patch.enabled {
        if enabled && !e.enabled {
            // Switched on again: its failing streak starts over.
            e.disabled_reason = None;
            e.failing_since = None;
        }
        e.enabled = enabled;
    }
    e.updated_at = app.clock.now();
    app.store.update_webhook(&e).await.map_err(not_found)?;
    if e.enabled {
        app.webhooks_exist.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    audit(app, admin, "webhook.updated", &e, json!({ "enabled": e.enabled })).await;
    Ok(WebhookEndpointView::of(&e, e.updated_at))
}

pub async fn delete(app: &App, admin: &Admin<'_>, id: uuid::Uuid) -> Result<(), CoreError> {
    let e = app.store.webhook(admin.workspace(), id).await.map_err(not_found)?;
    app.store.delete_webhook(admin.workspace(), id).await.map_err(not_found)?;
    audit(app, admin, "webhook.deleted", &e, json!({})).await;
    Ok(())
}

pub async fn secret(app: &App, admin: &Admin<'_>, id: uuid::Uuid) -> Result<String, CoreError> {
    Ok(app.store.webhook(admin.workspace(), id).await.map_err(not_found)?.secret)
}

/// A new secret; the old one keeps signing (beside the new) for a day, so receivers can
/// switch without losing a delivery. Answers the new secret and until when the old one signs.
pub async fn rotate(app: &App, admin: &Admin<'_>, id: uuid::Uuid) -> Result<(String, String), CoreError> {
    let mut e = app.store.webhook(admin.workspace(), id).await.map_err(not_found)?;
    let now = app.clock.now();
    let until = Timestamp(now.0 + ROTATION_OVERLAP_MS);
    e.previous_secret = Some(std::mem::replace(&mut e.secret, new_secret()?));
    e.previous_until = Some(until);
    e.updated_at = now;
    app.store.update_webhook(&e).await.map_err(not_found)?;
    audit(app, admin, "webhook.secret_rotated", &e, json!({})).await;
    Ok((e.secret, rfc3339(until)))
}

/// Sends a `webhook.test` event to one endpoint now (even when it is switched off).
pub async fn test(app: &App, admin: &Admin<'_>, id: uuid::Uuid) -> Result<DeliveryView, CoreError> {
    let e = app.store.webhook(admin.workspace(), id).await.map_err(not_found)?;
    let now = app.clock.now();
    let event_id = uuid::Uuid::now_v7();
    let body = envelope(
        EventKind::WebhookTest.as_str(),
        event_id,
        admin.workspace().0,
        now,
        json!({ "endpoint_id": e.id, "requested_by": admin.operator.id.0 }),
    );
    let job = app.store.enqueue_test_job(admin.workspace(), e.id, event_id, &body, now).await?;
    app.outbox_wake.notify_one();
    Ok(DeliveryView::of(&job, None))
}

fn delivery_pos(id: &str) -> Result<i64, CoreError> {
    id.parse::<i64>().ok().filter(|p| *p > 0).ok_or(CoreError::NotFound("delivery"))
}

/// An endpoint's deliveries, newest first; `before` is the `id` of the last one seen.
pub async fn deliveries(
    app: &App,
    admin: &Admin<'_>,
    id: uuid::Uuid,
    before: Option<&str>,
    limit: u32,
) -> Result<(Vec<DeliveryView>, Option<String>), CoreError> {
    app.store.webhook(admin.workspace(), id).await.map_err(not_found)?;
    let before = match before {
        None => i64::MAX,
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| CoreError::Invalid { field: "cursor".into(), reason: "not a cursor of this list".into() })?,
    };
    let limit = limit.clamp(1, 200);
    let rows = app.store.target_jobs(admin.workspace(), id, before, limit).await?;
    let next = (rows.len() == limit as usize).then(|| rows.last().map(|(j, _)| j.pos.to_string())).flatten();
    Ok((rows.iter().map(|(j, a)| DeliveryView::of(j, a.as_ref())).collect(), next))
}

pub async fn delivery(
    app: &App,
    admin: &Admin<'_>,
    id: uuid::Uuid,
    delivery: &str,
) -> Result<DeliveryDetail, CoreError> {
    let job = find_job(app, admin, id, delivery).await?;
    let attempts = app.store.job_attempts(job.pos).await?;
    Ok(DeliveryDetail {
        delivery: DeliveryView::of(&job, attempts.last()),
        request_body: job.body.clone().unwrap_or_default(),
        attempts: attempts.iter().map(AttemptView::from).collect(),
    })
}

async fn find_job(app: &App, admin: &OperatorActor, id: uuid::Uuid, delivery: &str) -> Result<OutboxJob, CoreError> {
    let pos = delivery_pos(delivery)?;
    match app.store.job(admin.workspace(), pos).await {
        Ok(j) if j.target_id == id => Ok(j),
        Ok(_) | Err(StoreError::NotFound) => Err(CoreError::NotFound("delivery")),
        Err(e) => Err(e.into()),
    }
}

/// Delivers an attempted delivery again: the same body and `webhook-id`, due now.
pub async fn replay(app: &App, admin: &Admin<'_>, id: uuid::Uuid, delivery: &str) -> Result<DeliveryView, CoreError> {
    let job = find_job(app, admin, id, delivery).await?;
    if job.body.is_none() {
        return Err(CoreError::Invalid {
            field: "delivery".into(),
            reason: "not attempted yet; nothing to replay".into(),
        });
    }
    let again = app.store.replay_job(admin.workspace(), job.pos, app.clock.now()).await.map_err(|e| match e {
        StoreError::NotFound => CoreError::NotFound("delivery"),
        other => other.into(),
    })?;
    let e = app.store.webhook(admin.workspace(), id).await.map_err(not_found)?;
    audit(app, admin, "webhook.replayed", &e, json!({ "delivery": job.pos })).await;
    app.outbox_wake.notify_one();
    Ok(DeliveryView::of(&again, None))
}

/// Tells the workspace's admins that an endpoint was switched off.
pub(crate) async fn disabled_for_failing(app: &App, e: &WebhookEndpoint) {
    tracing::warn!(endpoint = %e.id, url = %e.url, "webhook endpoint switched off after failing for five days");
    let entry = crate::operators::audit_entry(
        app,
        Some(e.workspace_id),
        None,
        "webhook.disabled",
        Some((e.id, e.url.as_str())),
        None,
        json!({ "reason": "failing" }),
    );
    crate::operators::record(app, vec![entry]).await;
    crate::publisher::publish_to_workspace(
        app,
        crate::views::Event::WebhookDisabled { endpoint_id: e.id, url: e.url.clone() },
        e.workspace_id,
    );
}

/// The body every delivery of an event carries: `{type, id, timestamp, workspace_id,
/// version, data}`.
fn envelope(kind: &str, id: uuid::Uuid, workspace: uuid::Uuid, at: Timestamp, data: Value) -> String {
    json!({
        "type": kind,
        "id": id,
        "timestamp": rfc3339(at),
        "workspace_id": workspace,
        "version": PAYLOAD_VERSION,
        "data": data,
    })
    .to_string()
}

/// Renders the body of a job from its event and what the event names, as they are now.
pub async fn render(app: &App, job: &OutboxJob) -> Result<String, CoreError> {
    render_many(app, std::slice::from_ref(job)).await?.remove(&job.pos).unwrap_or(Err(CoreError::NotFound("event")))
}

/// The bodies of several jobs, reading their events, messages and dialogs with one query each
/// (and each workspace's dialog views at once); one answer per job, by `pos`.
pub async fn render_many(app: &App, jobs: &[OutboxJob]) -> Result<HashMap<i64, Result<String, CoreError>>, CoreError> {
    let ids: Vec<uuid::Uuid> = jobs.iter().map(|j| j.event_id).collect();
    let events: HashMap<uuid::Uuid, StoredEvent> =
        app.store.events_by_ids(&ids).await?.into_iter().map(|e| (e.id, e)).collect();
    let message_ids: Vec<uuid::Uuid> = events
        .values()
        .filter(|e| {
            matches!(
                EventKind::parse(&e.kind),
                Some(EventKind::MessageCreated | EventKind::MessageEdited | EventKind::NoteCreated)
            )
        })
        .filter_map(|e| e.subject_id)
        .collect();
    let messages: HashMap<uuid::Uuid, Message> =
        app.store.messages_by_ids(&message_ids).await?.into_iter().map(|m| (m.id.0, m)).collect();
    let mut dialog_ids: Vec<DialogId> = events.values().filter_map(|e| e.dialog_id).collect();
    dialog_ids.sort();
    dialog_ids.dedup();
    let dialogs = app.store.dialogs_by_ids(&dialog_ids).await?;
    let mut by_workspace: HashMap<WorkspaceId, Vec<Dialog>> = HashMap::new();
    for d in dialogs {
        by_workspace.entry(d.workspace_id).or_default().push(d);
    }
    let mut views: HashMap<DialogId, DialogView> = HashMap::new();
    for (_, ds) in by_workspace {
        let ids: Vec<DialogId> = ds.iter().map(|d| d.id).collect();
        for (id, view) in ids.into_iter().zip(crate::reads::views(app, &ds).await?) {
            views.insert(id, view);
        }
    }
    let mut out = HashMap::with_capacity(jobs.len());
    for job in jobs {
        let body = match events.get(&job.event_id) {
            None => Err(CoreError::NotFound("event")),
            Some(event) => {
                let message =
                    event.subject_id.and_then(|id| messages.get(&id)).filter(|m| m.workspace_id == event.workspace_id);
                let dialog = event.dialog_id.and_then(|d| views.get(&d));
                body_of(app, event, dialog, message).await
            }
        };
        out.insert(job.pos, body);
    }
    Ok(out)
}

async fn body_of(
    app: &App,
    event: &StoredEvent,
    dialog: Option<&DialogView>,
    message: Option<&Message>,
) -> Result<String, CoreError> {
    let ws = event.workspace_id;
    let facts: Value = serde_json::from_str(&event.payload).unwrap_or_else(|_| json!({}));
    let actor = json!({ "kind": event.actor_kind, "id": event.actor_id });
    let kind = EventKind::parse(&event.kind);
    let data = match kind {
        Some(EventKind::MessageCreated | EventKind::MessageEdited | EventKind::NoteCreated) => {
            json!({ "message": message.map(MessageView::from), "dialog": dialog, "actor": actor })
        }
        Some(EventKind::VisitorUpdated) => {
            let visitor = match event.subject_id {
                Some(id) => visitor_json(app, ws, VisitorId(id)).await?,
                None => Value::Null,
            };
            json!({ "visitor": visitor, "fields": facts.get("fields"), "actor": actor })
        }
        Some(
            EventKind::OperatorPresenceChanged | EventKind::OperatorUpdated | EventKind::OperatorMembershipChanged,
        ) => {
            let operator = match (kind, event.subject_id) {
                (Some(EventKind::OperatorMembershipChanged), _) | (_, None) => Value::Null,
                (_, Some(id)) => match app.store.operator(ws, OperatorId(id)).await {
                    Ok(op) => serde_json::to_value(crate::reads::operator_view(app, &op).await?).unwrap_or(Value::Null),
                    Err(StoreError::NotFound) => Value::Null,
                    Err(e) => return Err(e.into()),
                },
            };
            json!({ "operator": operator, "change": facts, "actor": actor })
        }
        _ => json!({ "dialog": dialog, "change": facts, "actor": actor }),
    };
    Ok(envelope(&event.kind, event.id, ws.0, event.at, data))
}

async fn visitor_json(app: &App, ws: frontline_domain::WorkspaceId, id: VisitorId) -> Result<Value, CoreError> {
    match app.store.visitor(ws, id).await {
        Ok(v) => Ok(json!({
            "id": v.id.0,
            "number": v.number,
            "name": v.name.as_ref().map(|n| n.as_str()),
            "email": v.email.as_ref().map(|e| e.as_str()),
            "phone": v.phone.as_ref().map(|p| p.as_str()),
            "source": v.source.as_str(),
            "user_id": if v.source == frontline_domain::ContactSource::Widget { v.external_id.clone() } else { None },
            "attributes": crate::leads::attributes_json(&v),
            "tags": app.store.visitor_tags(v.id).await?,
        })),
        Err(StoreError::NotFound) => Ok(Value::Null),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_private_ones_refused_unless_allowed() {
        assert_eq!(
            check_url(" https://hooks.example.com/a?b=1 ", false).ok().as_deref(),
            Some("https://hooks.example.com/a?b=1")
        );
        for bad in
            ["", "ftp://x.example.com", "https://user:pw@x.example.com/", "not a url", "https://x.example.com/#f"]
        {
            assert!(matches!(check_url(bad, false), Err(CoreError::Invalid { .. })), "{bad}");
        }
        for private in [
            "http://127.0.0.1:8080/",
            "http://localhost/",
            "http://10.0.0.5/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[::ffff:192.168.0.1]/",
            "http://0x7f.1/",
        ] {
            assert!(matches!(check_url(private, false), Err(CoreError::UrlNotAllowed(_))), "{private}");
            assert!(check_url(private, true).is_ok(), "{private} when allowed");
        }
    }

    #[test]
    fn events_come_from_the_catalogue() {
        assert!(parse_events(&[]).is_err());
        assert!(
            matches!(parse_events(&["dialog.nope".into()]), Err(CoreError::Invalid { field, .. }) if field == "events[0]")
        );
        assert!(parse_events(&["webhook.test".into()]).is_err(), "the test event is not subscribed to");
        let got = parse_events(&["note.created".into(), "dialog.created".into(), "note.created".into()]).expect("ok");
        assert_eq!(got, vec![EventKind::DialogCreated, EventKind::NoteCreated]);
        assert!(catalogue().iter().all(|c| c.kind != "webhook.test") && catalogue().len() == EventKind::ALL.len() - 1);
    }
}
