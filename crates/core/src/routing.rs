//! Routing rules as admins edit them, and the choice of a new dialog's channel.

use crate::App;
use crate::actor::Admin;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use frontline_domain::routing::{Condition, Routed, RoutingRule, UrlPattern, route};
use frontline_domain::{ChannelId, DomainError, RoutingContext, Site, Visitor, WorkspaceId};
use frontline_store::{StoreError, StoredRule};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;
use uuid::Uuid;

/// One condition, as the API and the database carry it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ConditionView {
    /// The page URL matches a glob (`*` for any text) or, with `regex`, a regular expression.
    Url {
        #[schema(value_type = frontline_domain::patterns::schema::UrlPattern)]
        pattern: String,
        #[serde(default)]
        regex: bool,
    },
    /// The visitor property `name` (e.g. `city`) equals `value`, ignoring case.
    Property {
        #[schema(value_type = frontline_domain::patterns::schema::PropertyName)]
        name: String,
        #[schema(value_type = frontline_domain::patterns::schema::PropertyValue)]
        value: String,
    },
    /// The browser's language has this primary subtag (`ru` matches `ru-RU`); for a Telegram
    /// chat, the language of his Telegram.
    Language {
        #[schema(value_type = frontline_domain::patterns::schema::LanguageCode)]
        value: String,
    },
    /// A Telegram chat chose this topic (its key) in the bot's menu.
    TelegramTopic {
        #[schema(value_type = frontline_domain::patterns::schema::TopicKey)]
        value: String,
    },
    /// A mail was sent to this address (one of the workspace's: `service@…` for the service
    /// department); an address with a `+tag` counts as the address without it.
    MailTo {
        #[schema(value_type = frontline_domain::patterns::schema::MailAddress)]
        value: String,
    },
    /// The visitor is in this segment of the workspace now.
    Segment {
        #[schema(value_type = frontline_domain::patterns::schema::Id)]
        segment_id: Uuid,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct RoutingRuleView {
    pub id: Uuid,
    pub name: String,
    pub channel_id: Uuid,
    pub conditions: Vec<ConditionView>,
}

/// A rule as an admin sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RoutingRuleInput {
    #[schema(value_type = frontline_domain::patterns::schema::RuleName)]
    pub name: String,
    /// A channel of the workspace (else `404`).
    #[schema(value_type = frontline_domain::patterns::schema::Id)]
    pub channel_id: Uuid,
    /// 1 to 10, all must hold.
    #[schema(min_items = 1, max_items = 10)]
    pub conditions: Vec<ConditionView>,
}

fn invalid(field: String, reason: &str) -> CoreError {
    CoreError::Invalid { field, reason: reason.to_owned() }
}

fn condition(c: &ConditionView) -> Result<Condition, DomainError> {
    match c {
        ConditionView::Url { pattern, regex: false } => UrlPattern::glob(pattern).map(Condition::PageUrl),
        ConditionView::Url { pattern, regex: true } => UrlPattern::regex(pattern).map(Condition::PageUrl),
        ConditionView::Property { name, value } => Condition::property(name, value),
        ConditionView::Language { value } => Condition::language(value),
        ConditionView::TelegramTopic { value } => Condition::telegram_topic(value),
        ConditionView::MailTo { value } => Condition::mail_to(value),
        ConditionView::Segment { segment_id } => Ok(Condition::Segment(*segment_id)),
    }
}

/// Which field of a condition a domain refusal is about.
fn condition_field(c: &ConditionView, e: &DomainError) -> &'static str {
    match (c, e) {
        (ConditionView::Url { .. }, _) => "pattern",
        (ConditionView::Property { .. }, DomainError::Invalid { field: "key", .. }) => "name",
        (ConditionView::Property { .. }, _) => "value",
        (ConditionView::Language { .. } | ConditionView::TelegramTopic { .. } | ConditionView::MailTo { .. }, _) => {
            "value"
        }
        (ConditionView::Segment { .. }, _) => "segment_id",
    }
}

fn reason(e: &DomainError) -> String {
    match e {
        DomainError::Invalid { reason, .. } => (*reason).to_owned(),
        other => other.to_string(),
    }
}

/// Parses conditions; a bad one is named `{prefix}[j].{field}`.
pub(crate) fn parse_conditions(cs: &[ConditionView], prefix: &str) -> Result<Vec<Condition>, CoreError> {
    cs.iter()
        .enumerate()
        .map(|(j, c)| {
            condition(c).map_err(|e| invalid(format!("{prefix}[{j}].{}", condition_field(c, &e)), &reason(&e)))
        })
        .collect()
}

/// Checks that every segment the conditions name is the workspace's; a foreign or deleted one
/// is named `{prefix}[j].segment_id`.
pub(crate) async fn check_segments(
    app: &App,
    ws: WorkspaceId,
    cs: &[ConditionView],
    prefix: &str,
) -> Result<(), CoreError> {
    for (j, c) in cs.iter().enumerate() {
        if let ConditionView::Segment { segment_id } = c {
            crate::segments::check_exists(app, ws, *segment_id, format!("{prefix}[{j}].segment_id")).await?;
        }
    }
    Ok(())
}

/// The segments stored conditions (JSON) name.
pub(crate) fn segments_named(conditions: &str) -> Vec<Uuid> {
    crate::segments::named_in(conditions)
}

/// Fills `ctx.segments` with those of `named` the visitor is in (nothing to read when none is
/// named).
pub(crate) async fn with_segments(
    app: &App,
    visitor: &Visitor,
    ctx: &RoutingContext,
    named: &[Uuid],
) -> Result<RoutingContext, CoreError> {
    let mut ctx = ctx.clone();
    ctx.segments = crate::segments::member_of(app, visitor, named).await?;
    Ok(ctx)
}

/// A workspace's rules, parsed, with the names the dialog keeps.
#[derive(Clone)]
pub struct Rules {
    rules: Vec<RoutingRule<usize>>,
    names: Vec<String>,
    /// The segments the rules name.
    segments: Vec<Uuid>,
}

/// Each workspace's rules, read again after `routing_cache_ms` (at once after a change made on
/// this node), so a visitor's post does not read them every time.
pub type RulesCache = crate::cache::TtlCache<WorkspaceId, Rules>;

fn parse_stored(stored: &[StoredRule]) -> Rules {
    let mut rules = Vec::with_capacity(stored.len());
    let mut names = Vec::with_capacity(stored.len());
    let mut segments = Vec::new();
    for (i, s) in stored.iter().enumerate() {
        segments.extend(segments_named(&s.conditions));
        // Stored rules were checked when saved; one that no longer parses is skipped, not fatal.
        let parsed = serde_json::from_str::<Vec<ConditionView>>(&s.conditions)
            .ok()
            .and_then(|cs| cs.iter().map(condition).collect::<Result<Vec<_>, _>>().ok())
            .and_then(|cs| RoutingRule::new(i, cs, s.channel).ok());
        match parsed {
            Some(rule) => rules.push(rule),
            None => tracing::warn!(rule.id = %s.id, "stored routing rule does not parse; skipped"),
        }
        names.push(s.name.clone());
    }
    segments.sort();
    segments.dedup();
    Rules { rules, names, segments }
}

async fn rules(app: &App, ws: WorkspaceId) -> Result<Arc<Rules>, CoreError> {
    let now = app.clock.now().0;
    app.routing
        .get_or_load(ws, now, app.config.routing_cache_ms, || async {
            Ok::<_, CoreError>(parse_stored(&app.store.routing_rules(ws).await?))
        })
        .await
}

/// The channel of a visitor's next new dialog and the name of the rule that chose it.
pub async fn channel_for(app: &App, site: &Site, visitor: &Visitor) -> Result<(ChannelId, Option<String>), CoreError> {
    route_in(app, site.workspace_id, site.channel_id, visitor, &visitor.context).await
}

/// The same for a new dialog that comes from elsewhere (a Telegram chat), with its own default
/// and what is known of where it comes from.
pub async fn route_in(
    app: &App,
    ws: WorkspaceId,
    default: ChannelId,
    visitor: &Visitor,
    ctx: &RoutingContext,
) -> Result<(ChannelId, Option<String>), CoreError> {
    let r = rules(app, ws).await?;
    let filled;
    let ctx = if r.segments.is_empty() {
        ctx
    } else {
        filled = with_segments(app, visitor, ctx, &r.segments).await?;
        &filled
    };
    Ok(match route(&r.rules, ctx, default) {
        Routed::ByRule { rule, channel } => (channel, r.names.get(rule).cloned()),
        Routed::Default(channel) => (channel, None),
    })
}

fn view(s: &StoredRule) -> RoutingRuleView {
    RoutingRuleView {
        id: s.id,
        name: s.name.clone(),
        channel_id: s.channel.0,
        conditions: serde_json::from_str(&s.conditions).unwrap_or_default(),
    }
}

/// The workspace's rules in order (any operator may read them: the console shows why a
/// dialog landed where it did).
pub async fn list(app: &App, actor: &OperatorActor) -> Result<Vec<RoutingRuleView>, CoreError> {
    Ok(app.store.routing_rules(actor.workspace()).await?.iter().map(view).collect())
}

/// An admin replaces the whole ordered list; a bad rule names its place and field
/// (`items[2].conditions[0].pattern`) and nothing changes.
pub async fn replace(
    app: &App,
    admin: &Admin<'_>,
    items: &[RoutingRuleInput],
) -> Result<Vec<RoutingRuleView>, CoreError> {
    if items.len() > 200 {
        return Err(invalid("items".into(), "at most 200 rules"));
    }
    let ws = admin.workspace();
    let mut stored = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let name = item.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(invalid(format!("items[{i}].name"), "1–100 characters"));
        }
        let mut conditions = Vec::with_capacity(item.conditions.len());
        for (j, c) in item.conditions.iter().enumerate() {
            let parsed = condition(c)
                .map_err(|e| invalid(format!("items[{i}].conditions[{j}].{}", condition_field(c, &e)), &reason(&e)))?;
            conditions.push(parsed);
        }
        let channel = ChannelId(item.channel_id);
        RoutingRule::new(i, conditions, channel).map_err(|e| invalid(format!("items[{i}].conditions"), &reason(&e)))?;
        check_segments(app, ws, &item.conditions, &format!("items[{i}].conditions")).await?;
        stored.push(StoredRule {
            id: Uuid::now_v7(),
            name: name.to_owned(),
            channel,
            conditions: serde_json::to_string(&item.conditions)
                .map_err(|e| CoreError::Internal(format!("rule conditions: {e}")))?,
        });
    }
    match app.store.replace_routing_rules(ws, &stored).await {
        Ok(()) => {}
        Err(StoreError::NotFound) => {
            let channels = app.store.list_channels(ws).await?;
            let i = items.iter().position(|r| !channels.iter().any(|c| c.id.0 == r.channel_id)).unwrap_or(0);
            return Err(CoreError::UnknownReference { field: format!("items[{i}].channel_id"), what: "channel" });
        }
        Err(e) => return Err(e.into()),
    }
    app.routing.forget(ws);
    tracing::info!(rules = stored.len(), "routing rules replaced");
    Ok(stored.iter().map(view).collect())
}
