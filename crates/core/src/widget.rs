//! The visitor's side: widget sessions, names, and what he writes.

use crate::error::CoreError;
use crate::publisher::publish_posted;
use crate::reads::current_dialog;
use crate::views::{Event, MessageView};
use crate::{App, tokens};
use frontline_domain::{
    AuthorKind, ClientId, Dialog, DialogId, Message, MessageId, NewMessage, Origin, Site, SiteId, SiteKey, Visitor,
    VisitorId, VisitorName,
};
use frontline_domain::{DialogOrigin, TriggerRef};
use frontline_store::{NewVisitor, Opening, PostMessage, PostTarget, Posted, StoreError};

pub use crate::actor::VisitorActor;

/// Where a widget request comes from, as the browser says.
pub struct WidgetOrigin<'a> {
    /// The `Origin` header, if any.
    pub header: Option<&'a str>,
    /// Frontline's own origin (the iframe is served by us), derived from the `Host` header.
    pub own: Option<&'a str>,
    /// The embedding page's origin as the loader reports it (only trusted when the request
    /// comes from our own iframe, whose embedding the CSP `frame-ancestors` restricts).
    pub page: Option<&'a str>,
}

/// Checks that a request may use this site's widget.
pub fn check_origin(site: &Site, origin: &WidgetOrigin<'_>) -> Result<(), CoreError> {
    let parse = |s: &str| Origin::parse(s).map_err(|_| CoreError::OriginNotAllowed);
    // Our own origin only widens what is allowed (the iframe and the demo page are ours), so
    // an unusual Host that does not parse never refuses anything by itself.
    let own = origin.own.and_then(|o| Origin::parse(o).ok());
    let header = origin.header.map(parse).transpose()?;
    let from_own_frame = header.is_some() && header == own;
    if let Some(h) = &header
        && !from_own_frame
        && !site.allows(h)
    {
        return Err(CoreError::OriginNotAllowed);
    }
    if let Some(page) = origin.page.filter(|p| !p.is_empty()) {
        let page = parse(page)?;
        if !site.allows(&page) && Some(&page) != own.as_ref() {
            return Err(CoreError::OriginNotAllowed);
        }
    }
    Ok(())
}

/// The answer to opening the widget.
pub struct WidgetSession {
    pub token: String,
    pub visitor: Visitor,
    pub site: Site,
    pub workspace_name: String,
    pub dialog: Option<Dialog>,
    /// Whether someone answers now in the channel his new dialog would go to.
    pub availability: crate::automation::Availability,
    /// Since his visit began (across pages).
    pub time_on_site_seconds: i64,
    /// Proactive messages the widget may show.
    pub triggers: Vec<crate::triggers::WidgetTrigger>,
}

/// What the page tells about the visitor when the widget opens.
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    pub page_url: Option<String>,
    /// The page's title, for the visitor card.
    pub page_title: Option<String>,
    pub language: Option<String>,
    pub properties: std::collections::BTreeMap<String, String>,
    /// The site's own id of the user signed in on the page (`identify`), and the hash that
    /// proves it ([`crate::identity`]).
    pub user_id: Option<String>,
    pub user_hash: Option<String>,
}

impl PageContext {
    /// Checks the sizes (a page may send anything) and turns it into what routing reads.
    fn parse(self) -> Result<frontline_domain::RoutingContext, CoreError> {
        let bad = |field: String, reason: &str| CoreError::Invalid { field, reason: reason.to_owned() };
        let nul = |s: String| frontline_domain::text::without_nul(&s).into_owned();
        let page_url = self.page_url.map(|u| nul(u).trim().to_owned()).filter(|u| !u.is_empty());
        if page_url.as_ref().is_some_and(|u| u.chars().count() > 2000) {
            return Err(bad("page_url".into(), "at most 2000 characters"));
        }
        let language = self.language.map(|l| nul(l).trim().to_owned()).filter(|l| !l.is_empty());
        if language.as_ref().is_some_and(|l| l.chars().count() > 35) {
            return Err(bad("language".into(), "at most 35 characters"));
        }
        if self.properties.len() > 50 {
            return Err(bad("properties".into(), "at most 50 properties"));
        }
        let mut properties = std::collections::BTreeMap::new();
        for (k, v) in self.properties {
            let key = k.trim().to_owned();
            if key.is_empty() || key.chars().count() > 100 {
                return Err(bad("properties".into(), "names of 1–100 characters"));
            }
            if v.chars().count() > 500 {
                return Err(bad(format!("properties.{key}"), "at most 500 characters"));
            }
            properties.insert(key, v.trim().to_owned());
        }
        Ok(frontline_domain::RoutingContext { page_url, language, properties, ..Default::default() })
    }
}

/// Opens the widget for a page: brings back the visitor of `token`, or makes a new one, and
/// keeps where he is (it routes his next new dialog).
pub async fn open_session(
    app: &App,
    key: &str,
    token: Option<&str>,
    origin: &WidgetOrigin<'_>,
    mut page: PageContext,
    ip: Option<&str>,
) -> Result<WidgetSession, CoreError> {
    let title = page
        .page_title
        .clone()
        .map(|t| frontline_domain::text::without_nul(t.trim()).chars().take(300).collect::<String>())
        .filter(|t| !t.is_empty());
    let user_id = page.user_id.take().filter(|u| !u.trim().is_empty());
    let user_hash = page.user_hash.take();
    let context = page.parse()?;
    let key = SiteKey::parse(key).map_err(|_| CoreError::UnknownSiteKey)?;
    let site = match app.store.site_by_key(&key).await {
        Ok(s) => s,
        Err(StoreError::NotFound) => return Err(CoreError::UnknownSiteKey),
        Err(e) => return Err(e.into()),
    };
    check_origin(&site, origin)?;
    crate::reads::check_active(app, site.workspace_id).await?;
    crate::moderation::check_address(app, site.workspace_id, ip).await?;
    crate::sites::mark_seen(app, site.id, origin.page.filter(|p| !p.is_empty()).or(origin.header)).await;
    let known = match token.filter(|t| !t.is_empty()) {
        Some(t) => match visitor_of_token(app, t).await? {
            Some((v, s)) if s == Some(site.id) => Some((v, t.to_owned())),
            _ => None,
        },
        None => None,
    };
    let user = match user_id {
        Some(u) => {
            let u = frontline_domain::leads::parse_user_id(&u)
                .map_err(|e| CoreError::Invalid { field: e.field, reason: e.reason })?;
            crate::identity::check(app, &site, &u, user_hash.as_deref()).await?;
            Some(u)
        }
        None => None,
    };
    let (visitor, token) = match (user, known) {
        (Some(user), known) => identified(app, &site, &user, known, ip).await?,
        (None, Some(found)) => found,
        (None, None) => {
            // New visitors per address are limited; a returning one is not a new session.
            app.limit(crate::limits::Limit::WidgetSessions, ip.unwrap_or("unknown"), 1)?;
            let token = tokens::new_token()?;
            let visitor = app
                .store
                .create_visitor(&NewVisitor {
                    id: VisitorId::new(),
                    workspace_id: site.workspace_id,
                    site_id: site.id,
                    token_hash: tokens::hash(&token),
                    created_at: app.clock.now(),
                })
                .await?;
            (visitor, token)
        }
    };
    crate::moderation::check_visitor(app, &visitor).await?;
    let visitor = if visitor.context != context {
        app.store.set_visitor_context(site.workspace_id, visitor.id, &context).await?
    } else {
        visitor
    };
    if let Some(url) = &visitor.context.page_url {
        let view = frontline_store::PageView { url: url.clone(), title, at: app.clock.now() };
        app.store.record_page(visitor.id, &view).await?;
    }
    let dialog = app.store.latest_dialog_of_visitor(site.workspace_id, visitor.id).await?;
    let workspace_name = app.store.workspace(site.workspace_id).await?.name;
    let (channel, _) = crate::routing::channel_for(app, &site, &visitor).await?;
    let availability = crate::automation::availability(app, site.workspace_id, channel).await?;
    let times: Vec<frontline_domain::Timestamp> =
        app.store.pages(visitor.id, 50).await?.into_iter().map(|p| p.at).collect();
    let now = app.clock.now();
    let started = frontline_domain::visit_start(&times, crate::visitors::VISIT_GAP_MS).unwrap_or(now);
    let time_on_site_seconds = (now.0 - started.0).max(0) / 1000;
    let open = dialog.as_ref().is_some_and(|d| d.status == frontline_domain::DialogStatus::Open);
    let actor = VisitorActor::new(visitor, site);
    let triggers = crate::triggers::for_visitor(app, &actor, channel, open).await?;
    let VisitorActor { visitor, site, .. } = actor;
    Ok(WidgetSession { token, visitor, site, workspace_name, dialog, availability, time_on_site_seconds, triggers })
}

pub async fn authenticate(app: &App, token: &str) -> Result<VisitorActor, CoreError> {
    let Some((visitor, site)) = visitor_of_token(app, token).await? else {
        return Err(CoreError::Unauthenticated);
    };
    // Read once per authentication (a socket authenticates once); a workspace has few sites.
    let sites = app.store.list_sites(visitor.workspace_id).await?;
    let site = sites.into_iter().find(|s| Some(s.id) == site).ok_or(CoreError::NotFound("site"))?;
    crate::moderation::check_visitor(app, &visitor).await?;
    crate::reads::check_active(app, visitor.workspace_id).await?;
    Ok(VisitorActor::new(visitor, site))
}

/// The visitor a widget token is of, with the site it was opened on: his first browser's
/// token is on his row, an identified visitor's further ones beside it.
async fn visitor_of_token(app: &App, token: &str) -> Result<Option<(Visitor, Option<SiteId>)>, CoreError> {
    let hash = tokens::hash(token);
    match app.store.visitor_by_token(&hash).await {
        Ok(v) => {
            let site = v.site_id;
            return Ok(Some((v, site)));
        }
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    match app.store.visitor_token(&hash).await {
        Ok((ws, id, site)) => Ok(Some((app.store.visitor(ws, id).await?, Some(site)))),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The session of the site's user `user`, vouched for: the browser's own visitor when he is
/// that user already, or when he was anonymous and nobody is that user yet (he becomes him,
/// with his dialogs); else that user's visitor, with a new token for this browser. Then the
/// anonymous visitor's open dialog moves to the user when the user has none open (the
/// conversation goes on); his closed ones stay his, apart.
async fn identified(
    app: &App,
    site: &Site,
    user: &str,
    known: Option<(Visitor, String)>,
    ip: Option<&str>,
) -> Result<(Visitor, String), CoreError> {
    let ws = site.workspace_id;
    if let Some((v, t)) = &known
        && v.source == frontline_domain::ContactSource::Widget
        && v.external_id.as_deref() == Some(user)
    {
        return Ok((v.clone(), t.clone()));
    }
    let existing = match app.store.contact(ws, frontline_domain::ContactSource::Widget, user).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    if existing.is_none()
        && let Some((v, t)) = &known
        && v.external_id.is_none()
        && app.store.claim_user_id(ws, v.id, user).await?
    {
        return Ok((app.store.visitor(ws, v.id).await?, t.clone()));
    }
    let u = match existing {
        Some(u) => u,
        None => {
            app.limit(crate::limits::Limit::WidgetSessions, ip.unwrap_or("unknown"), 1)?;
            app.store
                .upsert_contact(&frontline_store::NewContact {
                    id: VisitorId::new(),
                    workspace_id: ws,
                    source: frontline_domain::ContactSource::Widget,
                    external_id: user.to_owned(),
                    name: None,
                    email: None,
                    created_at: app.clock.now(),
                })
                .await?
        }
    };
    let token = tokens::new_token()?;
    app.store.add_visitor_token(&tokens::hash(&token), ws, u.id, site.id, app.clock.now()).await?;
    // The conversation he began before signing in goes on as his: his open dialog moves to the
    // user, unless the user has one open himself (then it stays the anonymous visitor's).
    if let Some((anonymous, _)) = &known
        && anonymous.external_id.is_none()
        && anonymous.source == frontline_domain::ContactSource::Widget
        && anonymous.id != u.id
    {
        let stamp =
            frontline_store::events::Stamp { actor: frontline_domain::Actor::visitor(u.id), at: app.clock.now() };
        if let Some(dialog) = app.store.move_open_dialog(ws, anonymous.id, &u, stamp).await? {
            tracing::info!(dialog.id = %dialog.id.0, visitor.id = %u.id.0, "widget: an anonymous dialog joined the signed-in user");
            crate::labels::updated(app, &dialog).await?;
        }
    }
    Ok((u, token))
}

/// The visitor gives his name; the console's row of his latest dialog shows it at once.
pub async fn set_name(app: &App, actor: &VisitorActor, name: &str) -> Result<Visitor, CoreError> {
    VisitorName::parse(name)?;
    set_profile(app, actor, &crate::profile::ProfilePatch { name: Some(Some(name)), ..Default::default() }).await
}

/// The visitor gives his name, e-mail or phone (all checked before anything is written).
pub async fn set_profile(
    app: &App,
    actor: &VisitorActor,
    patch: &crate::profile::ProfilePatch<'_>,
) -> Result<Visitor, CoreError> {
    let v = app.store.visitor(actor.visitor.workspace_id, actor.visitor.id).await?;
    crate::profile::apply_profile(app, &v, patch, frontline_domain::Actor::visitor(v.id)).await
}

/// Messages of the visitor's current dialog after `after_seq`.
pub async fn history(
    app: &App,
    actor: &VisitorActor,
    after_seq: i64,
    limit: u32,
) -> Result<(Option<Dialog>, Vec<Message>), CoreError> {
    let Some(dialog) = current_dialog(app, actor).await? else {
        return Ok((None, Vec::new()));
    };
    let msgs = app.store.messages(actor.visitor.workspace_id, dialog.id, after_seq, limit, true).await?;
    Ok((Some(dialog), msgs))
}

/// A visitor writes: into his open dialog, or a new one in his site's channel.
pub async fn post(app: &App, actor: &VisitorActor, client_id: &str, body: &str) -> Result<Posted, CoreError> {
    post_with(app, actor, client_id, body, &[], None).await
}

/// A visitor writes, with files: into his open dialog; into his last one when it was closed
/// less than its channel's reopen window ago (it opens again); else into a new dialog that
/// links the last one.
pub async fn post_with(
    app: &App,
    actor: &VisitorActor,
    client_id: &str,
    body: &str,
    files: &[frontline_domain::AttachmentId],
    trigger: Option<uuid::Uuid>,
) -> Result<Posted, CoreError> {
    let client_id = ClientId::parse(client_id)?;
    let v = &actor.visitor;
    // A socket opened before he was blocked: his next message is refused all the same.
    crate::moderation::check_visitor(app, v).await?;
    let attachments = crate::files::take(app, v.workspace_id, "visitor", v.id.0, files).await?;
    let body = crate::files::body_with(body, !attachments.is_empty(), app.config.message_limit)?;
    let opening = match trigger {
        Some(id) => crate::triggers::answered(app, actor, id).await?,
        None => None,
    };
    write_visitor(app, actor, client_id, body, attachments, opening.map(Opened::Trigger)).await
}

/// How a visitor's new dialog begins when it is not with his own first words.
pub(crate) enum Opened {
    /// He answers a proactive message.
    Trigger(frontline_store::StoredTrigger),
    /// The offline form.
    Offline,
}

/// Writes a visitor's message (checked), reopening or opening his dialog as his channel says.
/// The message path reads his latest dialog for the reopen window; the channel's automation
/// comes from the node's cache.
async fn write_visitor(
    app: &App,
    actor: &VisitorActor,
    client_id: ClientId,
    body: frontline_domain::MessageBody,
    attachments: Vec<frontline_domain::Attachment>,
    opened: Option<Opened>,
) -> Result<Posted, CoreError> {
    let v = &actor.visitor;
    app.limit(crate::limits::Limit::WidgetMessages, &v.id.0.to_string(), 1)?;
    // His open dialog as his last message on this socket left it: the message goes there with
    // no read first, and the store writes it only if that dialog is still his open one in that
    // channel. Otherwise (closed, moved, another) nothing is written and the path below reads
    // how things stand. A new conversation of its own kind always takes the path below.
    if opened.is_none()
        && let Some((dialog, channel)) = actor.open.get()
    {
        let automation = crate::automation::for_channel(app, v.workspace_id, channel).await?;
        let now = app.clock.now();
        let target = PostTarget::Visitor {
            visitor: v.id,
            channel,
            new_dialog_id: DialogId::new(),
            routed_by: None,
            previous: None,
            expected: Some((dialog, channel)),
        };
        let post = visitor_post(v, target, client_id.clone(), body.clone(), attachments.clone(), now, &automation);
        match app.store.post_message(post).await {
            Ok(posted) => return published(app, actor, posted).await,
            Err(frontline_store::StoreError::Stale) => actor.open.set(None),
            Err(e) => return Err(e.into()),
        }
    }
    let mut previous = None;
    let last = app.store.latest_dialog_of_visitor(v.workspace_id, v.id).await?;
    // His open dialog's channel sets its timers (it may have been moved off the routed one).
    let mut open_in = last.as_ref().filter(|d| d.status == frontline_domain::DialogStatus::Open).map(|d| d.channel_id);
    if let Some(last) = last
        && last.status == frontline_domain::DialogStatus::Closed
    {
        let channel = app.store.channel(v.workspace_id, last.channel_id).await?;
        let window = channel.settings.reopen_window;
        // An answer to a proactive message or an offline request is a new conversation of its
        // own kind: it starts a dialog (linked to the last one) rather than reopening it.
        if opened.is_none() && last.closed_at.is_some_and(|at| window.reopens(at, app.clock.now())) {
            match crate::conversation::reopen_dialog(app, &last, None, frontline_domain::Actor::visitor(v.id)).await {
                Ok(Some(reopened)) => {
                    open_in = Some(reopened.channel_id);
                    let view = crate::reads::views(app, std::slice::from_ref(&reopened)).await?.remove(0);
                    crate::publisher::publish(
                        app,
                        Event::DialogUpdated { dialog: view },
                        v.workspace_id,
                        reopened.channel_id,
                        v.id,
                    );
                }
                // Reopened meanwhile, or he has another open dialog: his message goes there.
                Ok(None) | Err(CoreError::VisitorHasOpenDialog) => {}
                Err(e) => return Err(e),
            }
        } else {
            previous = Some(last.id);
        }
    }
    if open_in.is_none() {
        // This message opens a dialog.
        app.limit(crate::limits::Limit::WidgetDialogs, &v.id.0.to_string(), 1)?;
    }
    // Routing is for a new dialog; a message to an open one goes there (were it closed in the
    // meantime, the new dialog stays in its channel).
    let (channel, routed_by) = match open_in {
        Some(c) => (c, None),
        None => crate::routing::channel_for(app, &actor.site, v).await?,
    };
    let automation = crate::automation::for_channel(app, v.workspace_id, channel).await?;
    let now = app.clock.now();
    let opening = opened.map(|o| match o {
        Opened::Trigger(t) => Opening {
            origin: DialogOrigin::Proactive,
            trigger: Some(TriggerRef { id: t.id, name: t.name.clone() }),
            prelude: Some(frontline_store::NewLine {
                message: NewMessage {
                    id: MessageId::new(),
                    client_id: ClientId::from_stored(format!("trigger-{}", MessageId::new())),
                    author_kind: AuthorKind::Operator,
                    author_id: t.id,
                    body: frontline_domain::MessageBody::from_stored(t.message.clone()),
                    created_at: now,
                    audience: Default::default(),
                    event: None,
                    attachments: Vec::new(),
                    mentions: Vec::new(),
                    automatic: Some(frontline_domain::Automatic::Proactive),
                },
                author_name: Some(automation.persona.clone()),
                timers: Default::default(),
            }),
        },
        Opened::Offline => Opening { origin: DialogOrigin::Offline, trigger: None, prelude: None },
    });
    let target = PostTarget::Visitor {
        visitor: v.id,
        channel,
        new_dialog_id: DialogId::new(),
        routed_by,
        previous,
        expected: None,
    };
    let mut post = visitor_post(v, target, client_id, body, attachments, now, &automation);
    post.opening = opening;
    let posted = app.store.post_message(post).await?;
    published(app, actor, posted).await
}

/// A visitor's message as the store takes it, its timers by his channel's automation (a
/// contact's of another source too).
pub(crate) fn visitor_post(
    v: &Visitor,
    target: PostTarget,
    client_id: ClientId,
    body: frontline_domain::MessageBody,
    attachments: Vec<frontline_domain::Attachment>,
    now: frontline_domain::Timestamp,
    automation: &frontline_domain::Automation,
) -> PostMessage {
    PostMessage {
        workspace_id: v.workspace_id,
        target,
        message: NewMessage {
            id: MessageId::new(),
            client_id,
            author_kind: AuthorKind::Visitor,
            author_id: v.id.0,
            body,
            created_at: now,
            audience: Default::default(),
            event: None,
            attachments,
            mentions: Vec::new(),
            automatic: None,
        },
        author_name: v.name.as_ref().map(|n| n.as_str().to_owned()),
        timers: crate::automation::visitor_timers(automation, now),
        opening: None,
    }
}

/// After a visitor's message is written: his socket remembers the dialog it went to while it
/// is open, and everyone is told.
async fn published(app: &App, actor: &VisitorActor, posted: Posted) -> Result<Posted, CoreError> {
    let v = &actor.visitor;
    let open = posted.dialog.status == frontline_domain::DialogStatus::Open;
    actor.open.set(open.then_some((posted.dialog.id, posted.dialog.channel_id)));
    if let Some(prelude) = &posted.prelude {
        // The proactive message goes first (to the visitor's other tabs too).
        let event = Event::MessageCreated { message: MessageView::from(prelude) };
        crate::publisher::publish(app, event, v.workspace_id, posted.dialog.channel_id, v.id);
    }
    publish_posted(app, &posted, v).await;
    if posted.dialog_created {
        crate::assignment::auto_assign(app, v.workspace_id, posted.dialog.channel_id).await;
    }
    Ok(posted)
}

/// Whether someone answers now in the channel the visitor's new dialog would go to (the widget
/// asks again now and then while nobody does, so the form gives way when someone comes online).
pub async fn availability(app: &App, actor: &VisitorActor) -> Result<crate::automation::Availability, CoreError> {
    let v = &actor.visitor;
    let (channel, _) = crate::routing::channel_for(app, &actor.site, v).await?;
    crate::automation::availability(app, v.workspace_id, channel).await
}

/// What the offline contact form sends.
#[derive(Debug, Clone, Default)]
pub struct OfflineForm<'a> {
    pub client_id: &'a str,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub question: &'a str,
}

/// The offline form: his name and contacts are kept and his question opens a dialog marked
/// `offline` (or joins his open one). Every field is checked before anything is written.
pub async fn offline_request(app: &App, actor: &VisitorActor, f: &OfflineForm<'_>) -> Result<Posted, CoreError> {
    let client_id = ClientId::parse(f.client_id)?;
    let bad = |field: &str, reason: &str| CoreError::Invalid { field: field.to_owned(), reason: reason.to_owned() };
    VisitorName::parse(f.name).map_err(|_| bad("name", "1–80 characters"))?;
    // Blank is not given; what is given is checked as sent (the parsers trim it themselves).
    fn given(s: Option<&str>) -> Option<&str> {
        s.filter(|s| !s.trim().is_empty())
    }
    let (email, phone) = (given(f.email), given(f.phone));
    if email.is_none() && phone.is_none() {
        return Err(bad("contact", "an e-mail or a phone number"));
    }
    if let Some(e) = email {
        frontline_domain::Email::parse(e).map_err(|_| bad("email", "not an e-mail address"))?;
    }
    if let Some(p) = phone {
        frontline_domain::Phone::parse(p).map_err(|_| bad("phone", "not a phone number"))?;
    }
    let body = frontline_domain::MessageBody::parse(f.question, app.config.message_limit).map_err(|e| match e {
        frontline_domain::DomainError::MessageTooLong { .. } => CoreError::Invalid {
            field: "question".into(),
            reason: format!("at most {} characters", app.config.message_limit),
        },
        _ => bad("question", "write your question"),
    })?;
    let patch =
        crate::profile::ProfilePatch { name: Some(Some(f.name)), email: email.map(Some), phone: phone.map(Some) };
    let visitor = set_profile(app, actor, &patch).await?;
    let actor = VisitorActor::new(visitor, actor.site.clone());
    tracing::info!(visitor.id = %actor.visitor.id, "offline request");
    write_visitor(app, &actor, client_id, body, Vec::new(), Some(Opened::Offline)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_domain::{ChannelId, SiteId, WorkspaceId};

    fn site() -> Site {
        Site {
            id: SiteId::new(),
            workspace_id: WorkspaceId::new(),
            name: "Shop".into(),
            key: SiteKey::parse("key_for_tests").expect("key"),
            allowed_origins: vec![Origin::parse("https://shop.example.com").expect("origin")],
            channel_id: ChannelId::new(),
        }
    }

    fn check(header: Option<&str>, own: Option<&str>, page: Option<&str>) -> bool {
        check_origin(&site(), &WidgetOrigin { header, own, page }).is_ok()
    }

    #[test]
    fn origins_the_widget_accepts() {
        let own = Some("https://chat.example.org");
        assert!(check(Some("https://shop.example.com"), own, None), "the site itself");
        assert!(
            check(Some("https://chat.example.org"), own, Some("https://shop.example.com")),
            "our iframe on the site"
        );
        assert!(check(Some("https://chat.example.org"), own, Some("https://chat.example.org")), "our demo page");
        assert!(check(None, own, None), "no browser, no Origin: the token is the secret");
        assert!(
            check(Some("https://shop.example.com"), Some("[::1"), None),
            "a Host that does not parse refuses nothing"
        );
    }

    #[test]
    fn origins_the_widget_refuses() {
        let own = Some("https://chat.example.org");
        assert!(!check(Some("https://evil.example.net"), own, None), "a foreign page");
        assert!(
            !check(Some("https://chat.example.org"), own, Some("https://evil.example.net")),
            "our frame on a foreign page"
        );
        assert!(!check(Some("not an origin"), own, None), "garbage");
        assert!(!check(Some("http://shop.example.com"), own, None), "the site over another scheme");
    }
}
