//! The Web API (issue 16): secret keys per workspace, and what a site's backend tells about its
//! users, known by the site's own user id: name and contacts, typed attributes, events and
//! visitor tags. Operators see the same on the visitor card and edit his tags there.

use crate::App;
use crate::actor::{Admin, OperatorActor};
use crate::error::CoreError;
use crate::views::rfc3339;
use frontline_domain::automation::SettingsError;
use frontline_domain::leads::{self, Kind, Scope, Value};
use frontline_domain::{Actor, ContactSource, Visitor, VisitorId, WorkspaceId};
use frontline_store::StoreError;
use frontline_store::events::Stamp;
use frontline_store::leads::{ApiKey, TrackedEvent};
use std::collections::BTreeMap;

/// The most live (unrevoked) keys a workspace has.
pub const MAX_KEYS: usize = 20;
/// Every key starts so, to be recognised in a leaked file or a log.
pub const KEY_PREFIX: &str = "flk_";
/// The most events one call tracks.
pub const MAX_BATCH: usize = 100;

fn invalid(e: SettingsError) -> CoreError {
    CoreError::Invalid { field: e.field, reason: e.reason }
}

/// A key that answered: its workspace and what it may do.
#[derive(Debug, Clone)]
pub struct KeyActor {
    pub key: ApiKey,
    pub scopes: Vec<Scope>,
}

impl KeyActor {
    pub fn workspace(&self) -> WorkspaceId {
        self.key.workspace_id
    }

    fn require(&self, scope: Scope) -> Result<(), CoreError> {
        if self.scopes.contains(&scope) { Ok(()) } else { Err(CoreError::ScopeMissing(scope.as_str())) }
    }

    fn stamp(&self, app: &App) -> Stamp {
        Stamp { actor: Actor::api_key(self.key.id), at: app.clock.now() }
    }
}

/// A key as admins see it (never its secret).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ApiKeyView {
    pub id: uuid::Uuid,
    pub name: String,
    /// The key's last four characters.
    pub hint: String,
    /// `visitors:read`, `visitors:write`, `events:write`.
    pub scopes: Vec<String>,
    pub created_at: String,
    pub created_by: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
}

/// A new key: its secret is shown this once.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ApiKeyCreated {
    pub key: ApiKeyView,
    /// Send it as `Authorization: Bearer <secret>`. Only a hash is kept: it cannot be shown again.
    pub secret: String,
}

async fn key_views(app: &App, ws: WorkspaceId, keys: Vec<ApiKey>) -> Result<Vec<ApiKeyView>, CoreError> {
    let names: std::collections::HashMap<uuid::Uuid, String> =
        app.store.list_operators(ws).await?.into_iter().map(|o| (o.id.0, o.display_name.as_str().to_owned())).collect();
    Ok(keys
        .into_iter()
        .map(|k| ApiKeyView {
            id: k.id,
            name: k.name,
            hint: k.hint,
            scopes: Scope::split(&k.scopes).into_iter().map(|s| s.as_str().to_owned()).collect(),
            created_at: rfc3339(k.created_at),
            created_by: names.get(&k.created_by).cloned(),
            last_used_at: k.last_used_at.map(rfc3339),
            revoked_at: k.revoked_at.map(rfc3339),
            revoked_by: k.revoked_by.and_then(|id| names.get(&id).cloned()),
        })
        .collect())
}

/// The workspace's keys, revoked ones too, newest first.
pub async fn keys(app: &App, admin: &Admin<'_>) -> Result<Vec<ApiKeyView>, CoreError> {
    let keys = app.store.api_keys(admin.workspace()).await?;
    key_views(app, admin.workspace(), keys).await
}

/// Makes a key; its secret is in the answer and nowhere else.
pub async fn create_key(
    app: &App,
    admin: &Admin<'_>,
    name: &str,
    scopes: &[String],
    ip: Option<&str>,
) -> Result<ApiKeyCreated, CoreError> {
    let name = frontline_domain::account::parse_name(name, "name")?;
    let scopes = Scope::parse_list(scopes).map_err(invalid)?;
    let ws = admin.workspace();
    let live = app.store.api_keys(ws).await?.iter().filter(|k| k.revoked_at.is_none()).count();
    if live >= MAX_KEYS {
        return Err(CoreError::TooManyKeys(MAX_KEYS as u32));
    }
    let secret = format!("{KEY_PREFIX}{}", crate::tokens::new_token()?);
    let key = ApiKey {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        name,
        hint: secret.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect(),
        scopes: Scope::join(&scopes),
        created_by: admin.operator.id.0,
        created_at: app.clock.now(),
        last_used_at: None,
        revoked_at: None,
        revoked_by: None,
    };
    app.store.create_api_key(&key, &crate::tokens::hash(&secret)).await?;
    audit(app, admin, "api_key.created", &key, ip).await;
    let view = key_views(app, ws, vec![key]).await?.remove(0);
    Ok(ApiKeyCreated { key: view, secret })
}

/// Revokes a key at once: its next call is refused. Revoking it again changes nothing.
pub async fn revoke_key(
    app: &App,
    admin: &Admin<'_>,
    id: uuid::Uuid,
    ip: Option<&str>,
) -> Result<ApiKeyView, CoreError> {
    let ws = admin.workspace();
    let before = match app.store.api_key(ws, id).await {
        Ok(k) => k,
        Err(StoreError::NotFound) => return Err(CoreError::NotFound("API key")),
        Err(e) => return Err(e.into()),
    };
    let key = app.store.revoke_api_key(ws, id, admin.operator.id.0, app.clock.now()).await?;
    if before.revoked_at.is_none() {
        audit(app, admin, "api_key.revoked", &key, ip).await;
    }
    Ok(key_views(app, ws, vec![key]).await?.remove(0))
}

async fn audit(app: &App, admin: &OperatorActor, action: &str, key: &ApiKey, ip: Option<&str>) {
    let details =
        serde_json::json!({ "scopes": Scope::split(&key.scopes).iter().map(|s| s.as_str()).collect::<Vec<_>>() });
    let entry = crate::operators::audit_entry(
        app,
        Some(admin.workspace()),
        Some(&admin.operator),
        action,
        Some((key.id, &key.name)),
        ip,
        details,
    );
    crate::operators::record(app, vec![entry]).await;
}

/// The key a call carries, or `Unauthenticated` (unknown or revoked alike); counts the call
/// against the key's rate.
pub async fn authenticate(app: &App, secret: &str, cost: u64) -> Result<KeyActor, CoreError> {
    if !secret.starts_with(KEY_PREFIX) {
        return Err(CoreError::Unauthenticated);
    }
    let key = match app.store.api_key_by_hash(&crate::tokens::hash(secret)).await {
        Ok(k) if k.revoked_at.is_none() => k,
        Ok(_) | Err(StoreError::NotFound) => return Err(CoreError::Unauthenticated),
        Err(e) => return Err(e.into()),
    };
    app.limit(crate::limits::Limit::WebApi, &key.id.to_string(), cost)?;
    crate::reads::check_active(app, key.workspace_id).await?;
    let now = app.clock.now();
    if key.last_used_at.is_none_or(|t| t.0 < now.0 - frontline_store::leads::KEY_TOUCH_MS) {
        // Best effort: a failed mark does not fail the call.
        if let Err(e) = app.store.touch_api_key(key.id, now).await {
            tracing::warn!(error = %e, "API key use not marked");
        }
    }
    let scopes = Scope::split(&key.scopes);
    Ok(KeyActor { key, scopes })
}

/// One attribute as the card and the API show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttributeView {
    pub name: String,
    /// `text`, `number`, `boolean` or `date` (a name ending in `_at`).
    pub kind: String,
    #[schema(value_type = AttributeValue)]
    pub value: serde_json::Value,
}

/// An attribute's value as the API shows it: text (a date as RFC 3339), a number or a boolean.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum AttributeValue {
    Text(String),
    Number(f64),
    Boolean(bool),
}

/// How many times a visitor did an event, first and last.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct EventCountView {
    pub name: String,
    pub count: i64,
    pub first_at: String,
    pub last_at: String,
}

/// One event a visitor did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct VisitorEventView {
    pub name: String,
    #[schema(value_type = Object)]
    pub properties: serde_json::Value,
    pub at: String,
}

/// A visitor's dialog as the Web API shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct WebDialogView {
    pub id: uuid::Uuid,
    pub number: i64,
    pub status: String,
    pub channel_id: uuid::Uuid,
    pub created_at: String,
    pub closed_at: Option<String>,
    /// Its custom fields' values by key.
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

/// A site's user as the Web API shows him.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct WebVisitorView {
    pub id: uuid::Uuid,
    /// The number operators see («Посетитель 42»).
    pub number: i64,
    /// The site's own id of him.
    pub user_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Strings, numbers, booleans, and dates (RFC 3339, names ending in `_at`).
    #[schema(value_type = Object)]
    pub attributes: serde_json::Value,
    pub tags: Vec<String>,
    /// Per event name, the latest first.
    pub events: Vec<EventCountView>,
    /// His dialogs, the newest first (at most 50).
    pub dialogs: Vec<WebDialogView>,
    pub created_at: String,
    pub last_seen_at: Option<String>,
    /// The workspace's segments he is in now, by name.
    pub segments: Vec<crate::segments::SegmentRef>,
}

use crate::views::value_json as json_of;

pub fn attribute_views(v: &Visitor) -> Vec<AttributeView> {
    v.attributes
        .iter()
        .map(|(name, value)| AttributeView {
            name: name.clone(),
            kind: Kind::of(name, value).as_str().to_owned(),
            value: json_of(value),
        })
        .collect()
}

fn object_of(map: &BTreeMap<String, Value>) -> serde_json::Value {
    serde_json::Value::Object(map.iter().map(|(k, val)| (k.clone(), json_of(val))).collect())
}

/// A visitor's attributes as one JSON object (as the Web API and webhooks show them).
pub fn attributes_json(v: &Visitor) -> serde_json::Value {
    object_of(&v.attributes)
}

pub fn event_count_views(counts: &[frontline_store::leads::EventCount]) -> Vec<EventCountView> {
    counts
        .iter()
        .map(|c| EventCountView {
            name: c.name.clone(),
            count: c.count,
            first_at: rfc3339(c.first_at),
            last_at: rfc3339(c.last_at),
        })
        .collect()
}

pub async fn recent_events(app: &App, visitor: VisitorId, limit: u32) -> Result<Vec<VisitorEventView>, CoreError> {
    Ok(app
        .store
        .visitor_events(visitor, limit)
        .await?
        .into_iter()
        .map(|e| VisitorEventView {
            name: e.name,
            properties: serde_json::from_str(&e.properties).unwrap_or_else(|_| serde_json::json!({})),
            at: rfc3339(e.at),
        })
        .collect())
}

async fn web_view(app: &App, v: &Visitor, user_id: &str) -> Result<WebVisitorView, CoreError> {
    let tags = app.store.visitor_tags(v.id).await?;
    let counts = app.store.event_counts(v.id).await?;
    let dialogs = app
        .store
        .dialogs_of_visitor(v.workspace_id, v.id, 50)
        .await?
        .into_iter()
        .map(|d| WebDialogView {
            id: d.id.0,
            number: d.number,
            status: d.status.as_str().to_owned(),
            channel_id: d.channel_id.0,
            created_at: rfc3339(d.created_at),
            closed_at: d.closed_at.map(rfc3339),
            fields: crate::views::values_json(&d.fields),
        })
        .collect();
    Ok(WebVisitorView {
        id: v.id.0,
        number: v.number,
        user_id: user_id.to_owned(),
        name: v.name.as_ref().map(|n| n.as_str().to_owned()),
        email: v.email.as_ref().map(|e| e.as_str().to_owned()),
        phone: v.phone.as_ref().map(|p| p.as_str().to_owned()),
        attributes: attributes_json(v),
        events: event_count_views(&counts),
        dialogs,
        created_at: rfc3339(v.created_at),
        last_seen_at: v.last_seen_at.map(rfc3339),
        segments: crate::segments::of_visitor(app, v, &tags, &counts).await?,
        tags,
    })
}

/// The site's user `user_id`, made if there is none yet.
async fn user(app: &App, ws: WorkspaceId, user_id: &str) -> Result<(Visitor, bool), CoreError> {
    match app.store.contact(ws, ContactSource::Widget, user_id).await {
        Ok(v) => return Ok((v, false)),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let contact = frontline_store::NewContact {
        id: VisitorId::new(),
        workspace_id: ws,
        source: ContactSource::Widget,
        external_id: user_id.to_owned(),
        name: None,
        email: None,
        created_at: app.clock.now(),
    };
    let v = app.store.upsert_contact(&contact).await?;
    let created = v.id == contact.id;
    Ok((v, created))
}

/// What the site's backend sends about a user: absent fields stay; `null` (or blank) clears a
/// name or contact, `null` removes an attribute.
#[derive(Debug, Clone, Default)]
pub struct UserPatch<'a> {
    pub profile: crate::profile::ProfilePatch<'a>,
    pub attributes: BTreeMap<String, Option<Value>>,
}

/// Creates or updates the site's user `user_id`: whether he was new, and how he is now.
pub async fn upsert_user(
    app: &App,
    key: &KeyActor,
    user_id: &str,
    patch: &UserPatch<'_>,
) -> Result<(bool, WebVisitorView), CoreError> {
    key.require(Scope::VisitorsWrite)?;
    let user_id = leads::parse_user_id(user_id).map_err(invalid)?;
    let ws = key.workspace();
    // Everything is checked before anything is written.
    leads::merge_attributes(&Default::default(), &patch.attributes, "attributes").map_err(invalid)?;
    let (mut v, created) = user(app, ws, &user_id).await?;
    let p = &patch.profile;
    if p.name.is_some() || p.email.is_some() || p.phone.is_some() {
        v = crate::profile::apply_profile(app, &v, p, key.stamp(app).actor).await?;
    }
    if !patch.attributes.is_empty() {
        v = set_attributes(app, &v, &patch.attributes, key.stamp(app)).await?;
    }
    Ok((created, web_view(app, &v, &user_id).await?))
}

/// Merges a change into a visitor's attributes (nothing written when nothing changes).
pub(crate) async fn set_attributes(
    app: &App,
    v: &Visitor,
    patch: &BTreeMap<String, Option<Value>>,
    stamp: Stamp,
) -> Result<Visitor, CoreError> {
    let attributes = leads::merge_attributes(&v.attributes, patch, "attributes").map_err(invalid)?;
    if attributes == v.attributes {
        return Ok(v.clone());
    }
    Ok(app.store.set_visitor_attributes(v.workspace_id, v.id, &attributes, stamp).await?)
}

/// The page sets attributes of its visitor (the widget's `setAttributes`): what a page says is
/// the visitor's own word, unlike the Web API's.
pub async fn set_own_attributes(
    app: &App,
    actor: &crate::actor::VisitorActor,
    patch: &BTreeMap<String, Option<Value>>,
) -> Result<Vec<AttributeView>, CoreError> {
    let v = app.store.visitor(actor.visitor.workspace_id, actor.visitor.id).await?;
    let stamp = Stamp { actor: Actor::visitor(v.id), at: app.clock.now() };
    Ok(attribute_views(&set_attributes(app, &v, patch, stamp).await?))
}

/// The page tracks events of its visitor (the widget's `track`).
pub async fn track_own(
    app: &App,
    actor: &crate::actor::VisitorActor,
    events: &[NewEvent<'_>],
) -> Result<Vec<bool>, CoreError> {
    let checked = check_events(events)?;
    app.limit(crate::limits::Limit::WidgetEvents, &actor.visitor.id.0.to_string(), checked.len() as u64)?;
    store_events(app, &actor.visitor, checked).await
}

/// The site's user `user_id` with his attributes, tags, events and dialogs.
pub async fn read_user(app: &App, key: &KeyActor, user_id: &str) -> Result<WebVisitorView, CoreError> {
    key.require(Scope::VisitorsRead)?;
    let user_id = leads::parse_user_id(user_id).map_err(invalid)?;
    let v = match app.store.contact(key.workspace(), ContactSource::Widget, &user_id).await {
        Ok(v) => v,
        Err(StoreError::NotFound) => return Err(CoreError::NotFound("visitor with this user_id")),
        Err(e) => return Err(e.into()),
    };
    web_view(app, &v, &user_id).await
}

/// An event as the site sends it.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub name: &'a str,
    pub properties: BTreeMap<String, Value>,
    /// The site's id of this event: a retry with the same one counts once.
    pub id: Option<&'a str>,
}

/// Tracks events the site's user did (made if unknown), in order: per event whether it was
/// counted now (false: a retry of one counted before).
pub async fn track(app: &App, key: &KeyActor, user_id: &str, events: &[NewEvent<'_>]) -> Result<Vec<bool>, CoreError> {
    key.require(Scope::EventsWrite)?;
    let user_id = leads::parse_user_id(user_id).map_err(invalid)?;
    let checked = check_events(events)?;
    let (v, _) = user(app, key.workspace(), &user_id).await?;
    store_events(app, &v, checked).await
}

type CheckedEvent = (String, BTreeMap<String, Value>, Option<String>);

fn check_events(events: &[NewEvent<'_>]) -> Result<Vec<CheckedEvent>, CoreError> {
    if events.is_empty() || events.len() > MAX_BATCH {
        return Err(CoreError::Invalid { field: "events".into(), reason: format!("1–{MAX_BATCH} events") });
    }
    let mut checked = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let at = |e: SettingsError| CoreError::Invalid {
            field: if events.len() > 1 { format!("events[{i}].{}", e.field) } else { e.field },
            reason: e.reason,
        };
        let name = leads::parse_event_name(e.name).map_err(at)?;
        let properties = leads::check_event_properties(&e.properties).map_err(at)?;
        let id = e.id.map(|id| leads::parse_event_name(id).map_err(|_| ())).transpose().map_err(|()| {
            at(SettingsError { field: "id".into(), reason: "1–100 characters, no control characters".into() })
        })?;
        checked.push((name, properties, id));
    }
    Ok(checked)
}

async fn store_events(app: &App, v: &Visitor, checked: Vec<CheckedEvent>) -> Result<Vec<bool>, CoreError> {
    let now = app.clock.now();
    let mut rows = Vec::with_capacity(checked.len());
    for (name, properties, id) in checked {
        let properties = object_of(&properties).to_string();
        let event = TrackedEvent {
            id: uuid::Uuid::now_v7(),
            workspace_id: v.workspace_id,
            visitor_id: v.id,
            name,
            properties,
            client_id: id,
            at: now,
        };
        rows.push(event);
    }
    Ok(app.store.track_events(&rows).await?)
}

/// Adds and removes the site's user's tags (he is made if unknown): the tags after.
pub async fn tag_user(
    app: &App,
    key: &KeyActor,
    user_id: &str,
    add: &[String],
    remove: &[String],
) -> Result<Vec<String>, CoreError> {
    key.require(Scope::VisitorsWrite)?;
    let user_id = leads::parse_user_id(user_id).map_err(invalid)?;
    leads::change_tags(&[], add, remove).map_err(invalid)?;
    let (v, _) = user(app, key.workspace(), &user_id).await?;
    change_tags(app, &v, add, remove, key.stamp(app)).await
}

/// An operator adds and removes tags of the visitor of a dialog he sees: the tags after.
pub async fn tag_visitor_of(
    app: &App,
    actor: &OperatorActor,
    dialog: frontline_domain::DialogId,
    add: &[String],
    remove: &[String],
) -> Result<Vec<String>, CoreError> {
    leads::change_tags(&[], add, remove).map_err(invalid)?;
    let d = crate::reads::visible_dialog(app, actor, dialog).await?;
    let v = app.store.visitor(d.workspace_id, d.visitor_id).await?;
    change_tags(app, &v, add, remove, Stamp { actor: actor.event_actor(), at: app.clock.now() }).await
}

async fn change_tags(
    app: &App,
    v: &Visitor,
    add: &[String],
    remove: &[String],
    stamp: Stamp,
) -> Result<Vec<String>, CoreError> {
    let before = app.store.visitor_tags(v.id).await?;
    // At most MAX_TAGS after the change (checked against what he has now).
    leads::change_tags(&before, add, remove).map_err(invalid)?;
    let parse =
        |items: &[String]| -> Vec<String> { items.iter().filter_map(|t| leads::parse_tag("tag", t).ok()).collect() };
    let (add, remove): (Vec<String>, Vec<String>) = (parse(add), parse(remove));
    let add: Vec<String> = add.into_iter().filter(|t| !remove.contains(t)).collect();
    Ok(app.store.change_visitor_tags(v.workspace_id, v, &add, &remove, stamp).await?)
}
