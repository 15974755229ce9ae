//! The visitor card beside a dialog, his contacts, and search.

use crate::App;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use crate::profile::{ProfilePatch, apply_profile};
use crate::reads::{views, visible_channels, visible_dialog};
use crate::views::{DialogView, rfc3339};
use frontline_domain::search::SearchQuery;
use frontline_domain::{DialogId, Visitor, visit_start};
use std::collections::HashMap;

/// A new visit starts after half an hour without a page view.
pub const VISIT_GAP_MS: i64 = 30 * 60 * 1000;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PageViewView {
    pub url: String,
    pub title: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PastDialogView {
    pub id: uuid::Uuid,
    pub number: i64,
    pub status: String,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub preview: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct VisitorCardView {
    pub id: uuid::Uuid,
    pub number: i64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub city: Option<String>,
    pub page_url: Option<String>,
    pub language: Option<String>,
    pub properties: HashMap<String, String>,
    pub first_seen_at: String,
    pub last_seen_at: Option<String>,
    /// Time on site is now minus this.
    pub visit_started_at: Option<String>,
    /// Newest first, at most 20.
    pub pages: Vec<PageViewView>,
    /// His other dialogs the caller sees, newest first.
    pub dialogs: Vec<PastDialogView>,
    /// Where he writes from: `widget`, `telegram` or `email`.
    pub source: String,
    /// His chats with the workspace's Telegram bots, the latest first.
    pub telegram: Vec<TelegramChatView>,
    /// The site's own id of him, when its backend or page told it.
    pub user_id: Option<String>,
    /// What the site told about him (Web API, widget `setAttributes`), by name.
    pub attributes: Vec<crate::leads::AttributeView>,
    /// Visitor tags (not the dialog's), sorted.
    pub tags: Vec<String>,
    /// Events per name, the latest first.
    pub events: Vec<crate::leads::EventCountView>,
    /// His latest events, newest first (at most 20).
    pub recent_events: Vec<crate::leads::VisitorEventView>,
    /// His live block: his widget does not open and his messages are refused.
    pub block: Option<crate::moderation::BlockView>,
    /// The workspace's segments he is in now, by name.
    pub segments: Vec<crate::segments::SegmentRef>,
}

/// A contact's chat with a Telegram bot, as the visitor card shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TelegramChatView {
    /// The bot's username, without `@`.
    pub bot: String,
    /// His Telegram username, without `@`.
    pub username: Option<String>,
    /// His Telegram language (`ru`, `en`…).
    pub language: Option<String>,
    /// `menu`, `question` (with the bot), `live` (with operators) or `closed`.
    pub stage: String,
    /// The topic he chose, titled in his language.
    pub topic: Option<String>,
    /// Set when a message could not reach him: he blocked the bot.
    pub unreachable_since: Option<String>,
}

/// The card of the visitor of a dialog the operator sees.
pub async fn card(app: &App, actor: &OperatorActor, id: DialogId) -> Result<VisitorCardView, CoreError> {
    let d = visible_dialog(app, actor, id).await?;
    let v = app.store.visitor(d.workspace_id, d.visitor_id).await?;
    card_of(app, actor, &v, id).await
}

pub(crate) async fn card_of(
    app: &App,
    actor: &OperatorActor,
    v: &Visitor,
    current: DialogId,
) -> Result<VisitorCardView, CoreError> {
    let pages = app.store.pages(v.id, 50).await?;
    let times: Vec<_> = pages.iter().map(|p| p.at).collect();
    let channels = visible_channels(app, actor).await?;
    let dialogs = app
        .store
        .dialogs_of_visitor(v.workspace_id, v.id, 50)
        .await?
        .into_iter()
        .filter(|d| d.id != current && channels.as_ref().is_none_or(|c| c.contains(&d.channel_id)))
        .map(|d| PastDialogView {
            id: d.id.0,
            number: d.number,
            status: d.status.as_str().to_owned(),
            created_at: rfc3339(d.created_at),
            closed_at: d.closed_at.map(rfc3339),
            preview: d.last_message.map(|m| m.preview),
        })
        .collect();
    let telegram = if v.source == frontline_domain::ContactSource::Telegram {
        let bots: HashMap<uuid::Uuid, frontline_store::telegram::TelegramBot> =
            app.store.telegram_bots(v.workspace_id).await?.into_iter().map(|b| (b.id, b)).collect();
        app.store
            .telegram_chats_of_visitor(v.id)
            .await?
            .into_iter()
            .filter_map(|c| {
                let bot = bots.get(&c.bot_id)?;
                // The topic as he saw it: its title in his language (the key if it was removed since).
                let settings = crate::telegram::bots::settings_of(bot);
                let topic = c.topic.as_deref().map(|key| match settings.topic(key) {
                    Some(t) => t.title.for_language(c.language.as_deref()).to_owned(),
                    None => key.to_owned(),
                });
                Some(TelegramChatView {
                    bot: bot.username.clone(),
                    username: c.username,
                    language: c.language,
                    stage: c.stage.as_str().to_owned(),
                    topic,
                    unreachable_since: c.unreachable_at.map(rfc3339),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let tags = app.store.visitor_tags(v.id).await?;
    let counts = app.store.event_counts(v.id).await?;
    Ok(VisitorCardView {
        id: v.id.0,
        number: v.number,
        name: v.name.as_ref().map(|n| n.as_str().to_owned()),
        email: v.email.as_ref().map(|e| e.as_str().to_owned()),
        phone: v.phone.as_ref().map(|p| p.as_str().to_owned()),
        city: v.context.properties.get("city").cloned(),
        page_url: v.context.page_url.clone(),
        language: v.context.language.clone(),
        properties: v.context.properties.clone().into_iter().collect(),
        first_seen_at: rfc3339(v.created_at),
        last_seen_at: v.last_seen_at.map(rfc3339),
        visit_started_at: visit_start(&times, VISIT_GAP_MS).map(rfc3339),
        pages: pages
            .into_iter()
            .take(20)
            .map(|p| PageViewView { url: p.url, title: p.title, at: rfc3339(p.at) })
            .collect(),
        dialogs,
        source: v.source.as_str().to_owned(),
        telegram,
        user_id: if v.source == frontline_domain::ContactSource::Widget { v.external_id.clone() } else { None },
        attributes: crate::leads::attribute_views(v),
        events: crate::leads::event_count_views(&counts),
        recent_events: crate::leads::recent_events(app, v.id, 20).await?,
        block: crate::moderation::block_of(app, v).await?,
        segments: crate::segments::of_visitor(app, v, &tags, &counts).await?,
        tags,
    })
}

/// An operator writes down the visitor's name or contacts.
pub async fn update(
    app: &App,
    actor: &OperatorActor,
    id: DialogId,
    patch: &ProfilePatch<'_>,
) -> Result<VisitorCardView, CoreError> {
    let d = visible_dialog(app, actor, id).await?;
    let v = app.store.visitor(d.workspace_id, d.visitor_id).await?;
    let after = apply_profile(app, &v, patch, actor.event_actor()).await?;
    card_of(app, actor, &after, id).await
}

/// One search result.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub dialog: DialogView,
    /// `message` or `visitor`.
    #[serde(rename = "match")]
    pub matched: String,
    pub message: Option<MessageHitView>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MessageHitView {
    pub seq: i64,
    /// The matched words are marked with `[` and `]`.
    pub snippet: String,
    pub created_at: String,
    pub audience: String,
}

/// Dialogs the operator sees whose messages or visitor match, newest first.
pub async fn search(app: &App, actor: &OperatorActor, q: &str, limit: u32) -> Result<Vec<SearchHit>, CoreError> {
    let query = SearchQuery::parse(q)?;
    if query.finds_nothing() {
        return Ok(Vec::new());
    }
    let visible_to = (!actor.operator.role.sees_all_channels()).then_some(actor.operator.id);
    let rows = app.store.search(actor.workspace(), &query, visible_to, limit).await?;
    let dialogs: Vec<_> = rows.iter().map(|r| r.dialog.clone()).collect();
    let views = views(app, &dialogs).await?;
    Ok(rows
        .into_iter()
        .zip(views)
        .map(|(r, dialog)| SearchHit {
            dialog,
            matched: if r.message.is_some() { "message" } else { "visitor" }.to_owned(),
            message: r.message.map(|m| MessageHitView {
                seq: m.seq,
                snippet: m.snippet,
                created_at: rfc3339(m.created_at),
                audience: m.audience,
            }),
        })
        .collect())
}
