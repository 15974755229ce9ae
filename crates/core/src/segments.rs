//! Segments (issue 16): saved filters over what is known of a workspace's visitors. Admins
//! define them with a live count; any operator filters the dialog list by one; routing rules
//! and proactive messages take one as a condition; the visitor card lists the segments he is in.
//!
//! A count or a list is one SQL query (`frontline_store::segments`); one visitor is checked
//! here from his attributes, tags, event counters and last visit
//! (`frontline_domain::segments`).

use crate::App;
use crate::actor::{Admin, Manager, OperatorActor};
use crate::error::CoreError;
use crate::views::rfc3339;
use frontline_domain::segments::{EventFact, Facts, MAX_SEGMENTS, SegmentFilter};
use frontline_domain::{Visitor, WorkspaceId};
use frontline_store::StoreError;
use frontline_store::leads::EventCount;
use frontline_store::segments::Segment;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A segment as the console shows it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct SegmentView {
    pub id: Uuid,
    pub name: String,
    pub filter: SegmentFilter,
    pub created_at: String,
    pub updated_at: String,
}

/// A segment to create, or what to change of one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SegmentInput {
    /// 1–100 characters once trimmed; unique in the workspace.
    #[schema(value_type = Option<frontline_domain::patterns::schema::RuleName>)]
    pub name: Option<String>,
    pub filter: Option<SegmentFilter>,
}

/// How many visitors are in a filter now, and the newest few of them.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct SegmentPreview {
    pub count: i64,
    /// At most 10, the newest first.
    pub visitors: Vec<SegmentVisitor>,
}

/// A visitor in a segment's preview.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct SegmentVisitor {
    pub id: Uuid,
    pub number: i64,
    pub name: Option<String>,
    /// The site's own id of him, when the site told it.
    pub user_id: Option<String>,
    pub last_seen_at: Option<String>,
}

/// A segment a visitor is in (the visitor card).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct SegmentRef {
    pub id: Uuid,
    pub name: String,
}

fn view(s: &Segment) -> SegmentView {
    SegmentView {
        id: s.id,
        name: s.name.clone(),
        filter: s.filter.clone(),
        created_at: rfc3339(s.created_at),
        updated_at: rfc3339(s.updated_at),
    }
}

fn not_found(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::NotFound("segment"),
        StoreError::Conflict(_) => CoreError::NameTaken,
        other => other.into(),
    }
}

fn settings(e: frontline_domain::SettingsError) -> CoreError {
    CoreError::Invalid { field: format!("filter.{}", e.field), reason: e.reason }
}

fn name(s: &str) -> Result<String, CoreError> {
    frontline_domain::segments::parse_name(s).map_err(|e| CoreError::Invalid { field: e.field, reason: e.reason })
}

/// The workspace's segments by name (any operator: the list filter offers them).
pub async fn list(app: &App, actor: &OperatorActor) -> Result<Vec<SegmentView>, CoreError> {
    Ok(app.store.segments(actor.workspace()).await?.iter().map(view).collect())
}

pub async fn get(app: &App, actor: &OperatorActor, id: Uuid) -> Result<SegmentView, CoreError> {
    Ok(view(&app.store.segment(actor.workspace(), id).await.map_err(not_found)?))
}

pub async fn create(app: &App, admin: &Admin<'_>, input: SegmentInput) -> Result<SegmentView, CoreError> {
    let name = name(input.name.as_deref().unwrap_or_default())?;
    let filter = input
        .filter
        .ok_or_else(|| CoreError::Invalid { field: "filter".into(), reason: "required".into() })?
        .parse()
        .map_err(settings)?;
    let ws = admin.workspace();
    if app.store.segments(ws).await?.len() >= MAX_SEGMENTS {
        return Err(CoreError::TooManySegments(MAX_SEGMENTS as u32));
    }
    let now = app.clock.now();
    let s = Segment {
        id: Uuid::now_v7(),
        workspace_id: ws,
        name,
        filter,
        created_by: admin.operator.id.0,
        created_at: now,
        updated_at: now,
    };
    app.store.create_segment(&s).await.map_err(not_found)?;
    Ok(view(&s))
}

pub async fn update(app: &App, admin: &Admin<'_>, id: Uuid, input: SegmentInput) -> Result<SegmentView, CoreError> {
    let mut s = app.store.segment(admin.workspace(), id).await.map_err(not_found)?;
    if let Some(n) = input.name.as_deref() {
        s.name = name(n)?;
    }
    if let Some(f) = input.filter {
        s.filter = f.parse().map_err(settings)?;
    }
    s.updated_at = app.clock.now();
    app.store.update_segment(&s).await.map_err(not_found)?;
    Ok(view(&s))
}

/// Deletes a segment no routing rule or proactive message uses (`409 segment_in_use` names
/// the first that does).
pub async fn delete(app: &App, admin: &Admin<'_>, id: Uuid) -> Result<(), CoreError> {
    let ws = admin.workspace();
    app.store.segment(ws, id).await.map_err(not_found)?;
    if let Some(by) = used_by(app, ws, id).await? {
        return Err(CoreError::SegmentInUse(by));
    }
    app.store.delete_segment(ws, id).await.map_err(not_found)
}

/// The segments stored conditions (the JSON of routing rules' and proactive messages'
/// conditions) name: `{"type": "segment", "segment_id": …}`.
pub fn named_in(conditions: &str) -> Vec<Uuid> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(conditions) else {
        return Vec::new();
    };
    items
        .iter()
        .filter(|c| c["type"] == "segment")
        .filter_map(|c| c["segment_id"].as_str().and_then(|s| s.parse().ok()))
        .collect()
}

/// The first routing rule or proactive message whose conditions name the segment.
async fn used_by(app: &App, ws: WorkspaceId, id: Uuid) -> Result<Option<String>, CoreError> {
    let names = |conditions: &str| named_in(conditions).contains(&id);
    if let Some(r) = app.store.routing_rules(ws).await?.iter().find(|r| names(&r.conditions)) {
        return Ok(Some(format!("routing rule «{}»", r.name)));
    }
    if let Some(t) = app.store.triggers(ws).await?.iter().find(|t| names(&t.conditions)) {
        return Ok(Some(format!("proactive message «{}»", t.name)));
    }
    Ok(None)
}

fn preview_of(count: i64, visitors: Vec<Visitor>) -> SegmentPreview {
    SegmentPreview {
        count,
        visitors: visitors
            .into_iter()
            .map(|v| SegmentVisitor {
                id: v.id.0,
                number: v.number,
                name: v.name.map(|n| n.as_str().to_owned()),
                user_id: v.external_id.filter(|_| v.source == frontline_domain::ContactSource::Widget),
                last_seen_at: v.last_seen_at.map(rfc3339),
            })
            .collect(),
    }
}

/// How many visitors a filter holds now (a draft, as an admin edits it), with the newest ten.
pub async fn preview(app: &App, actor: &Manager<'_>, filter: SegmentFilter) -> Result<SegmentPreview, CoreError> {
    let filter = filter.parse().map_err(settings)?;
    let ws = actor.workspace();
    app.limit(crate::limits::Limit::SegmentCounts, &ws.0.to_string(), 1)?;
    let now = app.clock.now();
    let count = app.store.count_segment(ws, &filter, now).await?;
    let visitors = if count == 0 { Vec::new() } else { app.store.segment_visitors(ws, &filter, now, 10).await? };
    Ok(preview_of(count, visitors))
}

/// The same for a saved segment.
pub async fn preview_saved(app: &App, actor: &Manager<'_>, id: Uuid) -> Result<SegmentPreview, CoreError> {
    let s = app.store.segment(actor.workspace(), id).await.map_err(not_found)?;
    preview(app, actor, s.filter).await
}

/// What the segments look at for one visitor, read only as far as the filters need.
async fn holds_for(app: &App, v: &Visitor, segments: &[Segment]) -> Result<Vec<bool>, CoreError> {
    let tags =
        if segments.iter().any(|s| s.filter.needs_tags()) { app.store.visitor_tags(v.id).await? } else { Vec::new() };
    let counts =
        if segments.iter().any(|s| s.filter.needs_events()) { app.store.event_counts(v.id).await? } else { Vec::new() };
    Ok(holds_with(app, v, segments, &tags, &counts))
}

/// The same from his tags and event counters read already.
fn holds_with(app: &App, v: &Visitor, segments: &[Segment], tags: &[String], counts: &[EventCount]) -> Vec<bool> {
    let events: Vec<EventFact> =
        counts.iter().map(|c| EventFact { name: c.name.clone(), count: c.count, last_at: c.last_at }).collect();
    let facts = Facts { attributes: &v.attributes, tags, events: &events, last_seen_at: v.last_seen_at };
    let now = app.clock.now();
    segments.iter().map(|s| s.filter.holds(&facts, now)).collect()
}

/// Which of these segments (ids) the visitor is in now; ids of no segment are left out. He is
/// read again first: a socket's or a session's copy of him may predate what the site told since.
pub async fn member_of(app: &App, v: &Visitor, ids: &[Uuid]) -> Result<Vec<Uuid>, CoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: Vec<Segment> =
        app.store.segments(v.workspace_id).await?.into_iter().filter(|s| ids.contains(&s.id)).collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let v = &app.store.visitor(v.workspace_id, v.id).await?;
    let holds = holds_for(app, v, &wanted).await?;
    let mut out: Vec<Uuid> = wanted.iter().zip(holds).filter(|(_, h)| *h).map(|(s, _)| s.id).collect();
    out.sort();
    Ok(out)
}

/// Every segment of his workspace the visitor is in now, by name (the visitor card).
/// His tags and event counters are those the caller read for the card.
pub async fn of_visitor(
    app: &App,
    v: &Visitor,
    tags: &[String],
    counts: &[EventCount],
) -> Result<Vec<SegmentRef>, CoreError> {
    let all = app.store.segments(v.workspace_id).await?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let holds = holds_with(app, v, &all, tags, counts);
    Ok(all.iter().zip(holds).filter(|(_, h)| *h).map(|(s, _)| SegmentRef { id: s.id, name: s.name.clone() }).collect())
}

/// Checks that a segment named by a condition is the workspace's (`field` names it if not).
pub async fn check_exists(app: &App, ws: WorkspaceId, id: Uuid, field: String) -> Result<(), CoreError> {
    match app.store.segment(ws, id).await {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound) => Err(CoreError::UnknownReference { field, what: "segment" }),
        Err(e) => Err(e.into()),
    }
}
