//! Proactive messages: triggers admins set (time on site, page, visitor property), which of them
//! a visitor's widget may show now, and the record that he saw one (once per period).
//!
//! Nothing reaches operators when a trigger fires: the message lives in the widget until the
//! visitor answers; his answer opens the dialog with the trigger's message first
//! (`widget::post_with`).

use crate::App;
use crate::actor::VisitorActor;
use crate::actor::{Admin, Manager};
use crate::error::CoreError;
use crate::routing::ConditionView;
use crate::views::rfc3339;
use frontline_domain::{ChannelId, RoutingContext, Timestamp};
use frontline_store::{StoreError, StoredTrigger};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A trigger as admins see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TriggerView {
    pub id: Uuid,
    pub name: String,
    pub message: String,
    pub enabled: bool,
    /// Seconds on the site (across pages) before it shows.
    pub time_on_site_seconds: i64,
    /// All must hold (the conditions of routing rules).
    pub conditions: Vec<ConditionView>,
    /// A visitor sees it at most once in this many hours.
    pub period_hours: i64,
    pub created_at: String,
}

/// A trigger to create, or the fields to change.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TriggerInput {
    /// 1–100 characters once trimmed.
    #[schema(value_type = Option<frontline_domain::patterns::schema::RuleName>)]
    pub name: Option<String>,
    /// 1–1000 characters once trimmed.
    #[schema(value_type = Option<frontline_domain::patterns::schema::LongText>)]
    pub message: Option<String>,
    pub enabled: Option<bool>,
    /// Seconds on the site before it shows: 0–86400.
    #[schema(minimum = 0, maximum = 86_400)]
    pub time_on_site_seconds: Option<i64>,
    /// All must hold; at most 10.
    #[schema(max_items = 10)]
    pub conditions: Option<Vec<ConditionView>>,
    /// A visitor sees it at most once in this many hours: 1–8760.
    #[schema(minimum = 1, maximum = 8760)]
    pub period_hours: Option<i64>,
}

/// What the widget may show: the message, who it is from, and when.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct WidgetTrigger {
    pub id: Uuid,
    pub message: String,
    /// The channel's persona.
    pub persona: String,
    pub time_on_site_seconds: i64,
}

fn invalid(field: &str, reason: &str) -> CoreError {
    CoreError::Invalid { field: field.to_owned(), reason: reason.to_owned() }
}

fn conditions_of(t: &StoredTrigger) -> Vec<ConditionView> {
    serde_json::from_str(&t.conditions).unwrap_or_default()
}

fn view(t: &StoredTrigger) -> TriggerView {
    TriggerView {
        id: t.id,
        name: t.name.clone(),
        message: t.message.clone(),
        enabled: t.enabled,
        time_on_site_seconds: t.time_on_site_seconds,
        conditions: conditions_of(t),
        period_hours: t.period_hours,
        created_at: rfc3339(t.created_at),
    }
}

/// Applies an input to a trigger (a new one starts from the defaults); every field is checked
/// before anything is written.
fn apply(t: &mut StoredTrigger, input: TriggerInput) -> Result<(), CoreError> {
    if let Some(n) = input.name {
        let n = n.trim();
        if n.is_empty() || n.chars().count() > 100 {
            return Err(invalid("name", "1–100 characters"));
        }
        t.name = frontline_domain::text::without_nul(n).into_owned();
    }
    if let Some(m) = input.message {
        let m = m.trim();
        if m.is_empty() || m.chars().count() > 1000 {
            return Err(invalid("message", "1–1000 characters"));
        }
        t.message = frontline_domain::text::without_nul(m).into_owned();
    }
    if let Some(e) = input.enabled {
        t.enabled = e;
    }
    if let Some(s) = input.time_on_site_seconds {
        if !(0..=86_400).contains(&s) {
            return Err(invalid("time_on_site_seconds", "0–86400 seconds"));
        }
        t.time_on_site_seconds = s;
    }
    if let Some(p) = input.period_hours {
        if !(1..=8760).contains(&p) {
            return Err(invalid("period_hours", "1–8760 hours"));
        }
        t.period_hours = p;
    }
    if let Some(cs) = input.conditions {
        if cs.len() > 10 {
            return Err(invalid("conditions", "at most 10 conditions"));
        }
        crate::routing::parse_conditions(&cs, "conditions")?;
        // Proactive messages show in the widget, where no Telegram topic is chosen and no mail
        // is sent to an address.
        use crate::routing::ConditionView as C;
        if let Some(j) = cs.iter().position(|c| matches!(c, C::TelegramTopic { .. } | C::MailTo { .. })) {
            return Err(invalid(&format!("conditions[{j}].type"), "this condition never holds in the widget"));
        }
        t.conditions = serde_json::to_string(&cs).map_err(|e| CoreError::Internal(e.to_string()))?;
    }
    Ok(())
}

pub async fn list(app: &App, actor: &Manager<'_>) -> Result<Vec<TriggerView>, CoreError> {
    Ok(app.store.triggers(actor.workspace()).await?.iter().map(view).collect())
}

pub async fn create(app: &App, actor: &Admin<'_>, input: TriggerInput) -> Result<TriggerView, CoreError> {
    if input.name.is_none() {
        return Err(invalid("name", "1–100 characters"));
    }
    if input.message.is_none() {
        return Err(invalid("message", "1–1000 characters"));
    }
    let mut t = StoredTrigger {
        id: Uuid::now_v7(),
        workspace_id: actor.workspace(),
        name: String::new(),
        message: String::new(),
        enabled: true,
        time_on_site_seconds: 25,
        conditions: "[]".into(),
        period_hours: 24,
        created_at: app.clock.now(),
    };
    let conditions = input.conditions.clone();
    apply(&mut t, input)?;
    if let Some(cs) = conditions {
        crate::routing::check_segments(app, actor.workspace(), &cs, "conditions").await?;
    }
    app.store.create_trigger(&t).await?;
    Ok(view(&t))
}

fn not_found(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::NotFound("trigger"),
        other => other.into(),
    }
}

pub async fn update(app: &App, actor: &Admin<'_>, id: Uuid, input: TriggerInput) -> Result<TriggerView, CoreError> {
    let mut t = app.store.trigger(actor.workspace(), id).await.map_err(not_found)?;
    let conditions = input.conditions.clone();
    apply(&mut t, input)?;
    if let Some(cs) = conditions {
        crate::routing::check_segments(app, actor.workspace(), &cs, "conditions").await?;
    }
    Ok(view(&app.store.update_trigger(&t).await.map_err(not_found)?))
}

pub async fn delete(app: &App, actor: &Admin<'_>, id: Uuid) -> Result<(), CoreError> {
    app.store.delete_trigger(actor.workspace(), id).await.map_err(not_found)
}

/// Whether a trigger's conditions hold for where the visitor is.
fn matches(t: &StoredTrigger, ctx: &RoutingContext) -> bool {
    match crate::routing::parse_conditions(&conditions_of(t), "conditions") {
        Ok(cs) => cs.iter().all(|c| c.holds(ctx)),
        Err(_) => false,
    }
}

/// The triggers a visitor's widget may show on this page: enabled, matching, and not seen
/// within their period. None while he has an open dialog (he is talking already).
pub async fn for_visitor(
    app: &App,
    actor: &VisitorActor,
    channel: ChannelId,
    has_open_dialog: bool,
) -> Result<Vec<WidgetTrigger>, CoreError> {
    if has_open_dialog {
        return Ok(Vec::new());
    }
    let v = &actor.visitor;
    let all = app.store.triggers(v.workspace_id).await?;
    if all.iter().all(|t| !t.enabled) {
        return Ok(Vec::new());
    }
    let seen = app.store.trigger_views(v.id).await?;
    let now = app.clock.now();
    let persona = crate::automation::for_channel(app, v.workspace_id, channel).await?.persona.clone();
    let mut named: Vec<Uuid> =
        all.iter().filter(|t| t.enabled).flat_map(|t| crate::routing::segments_named(&t.conditions)).collect();
    named.sort();
    named.dedup();
    let filled;
    let ctx = if named.is_empty() {
        &v.context
    } else {
        filled = crate::routing::with_segments(app, v, &v.context, &named).await?;
        &filled
    };
    Ok(all
        .iter()
        .filter(|t| t.enabled && matches(t, ctx))
        .filter(|t| seen.get(&t.id).is_none_or(|at| at.0 <= now.0 - period_ms(t)))
        .map(|t| WidgetTrigger {
            id: t.id,
            message: t.message.clone(),
            persona: persona.clone(),
            time_on_site_seconds: t.time_on_site_seconds,
        })
        .collect())
}

fn period_ms(t: &StoredTrigger) -> i64 {
    t.period_hours * 3_600_000
}

/// The widget is about to show a trigger: recorded, once per period. `TriggerAlreadyShown` when
/// he saw it within its period.
pub async fn shown(app: &App, actor: &VisitorActor, id: Uuid) -> Result<(), CoreError> {
    let v = &actor.visitor;
    let t = app.store.trigger(v.workspace_id, id).await.map_err(not_found)?;
    if !t.enabled {
        return Err(CoreError::NotFound("trigger"));
    }
    let now = app.clock.now();
    if app.store.show_trigger(v.id, t.id, now, Timestamp(now.0 - period_ms(&t))).await? {
        Ok(())
    } else {
        Err(CoreError::TriggerAlreadyShown)
    }
}

/// The trigger a visitor answers, when he was shown it (else his message is an ordinary one).
pub(crate) async fn answered(app: &App, actor: &VisitorActor, id: Uuid) -> Result<Option<StoredTrigger>, CoreError> {
    let v = &actor.visitor;
    let t = match app.store.trigger(v.workspace_id, id).await {
        Ok(t) => t,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let seen = app.store.trigger_views(v.id).await?;
    Ok(seen.contains_key(&t.id).then_some(t))
}
