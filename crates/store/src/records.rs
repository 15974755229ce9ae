//! Rows as both backends read them, in plain types, and their conversion to domain types.
//!
//! Each backend fills these from its own row type; the checks that turn stored text back into
//! domain values live here once. A stored value that no longer parses is `Internal`: the
//! database holds something this version never wrote.

use crate::error::StoreError;
use frontline_domain::{
    Assignee, Audience, Author, AuthorKind, Capacity, Channel, ChannelId, ChannelMode, ChannelSettings, ClientId,
    Dialog, DialogId, DialogStatus, DisplayName, Email, Greeting, LastMessage, Message, MessageBody, MessageId,
    OfflinePolicy, Operator, OperatorId, Origin, Presence, Role, RoutingContext, Site, SiteId, SiteKey, SystemEvent,
    Timestamp, Visitor, VisitorId, VisitorName, WaitLimit, Workspace, WorkspaceId, WorkspaceSlug,
};
use frontline_domain::{
    AutoCloseAction, AutoCloseTimer, Automatic, CategoryId, CloseReason, ContactSource, DialogOrigin, Effect,
    NewMessage, Phone, Rating, ReopenWindow, SlaState, TriggerRef,
};
use uuid::Uuid;

fn corrupt(what: &str) -> StoreError {
    StoreError::Internal(format!("stored {what} does not parse"))
}

pub struct WorkspaceRecord {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub created_at: i64,
}

impl TryFrom<WorkspaceRecord> for Workspace {
    type Error = StoreError;
    fn try_from(r: WorkspaceRecord) -> Result<Self, StoreError> {
        Ok(Workspace {
            id: WorkspaceId(r.id),
            slug: WorkspaceSlug::parse(&r.slug).map_err(|_| corrupt("workspace slug"))?,
            name: r.name,
            created_at: Timestamp(r.created_at),
        })
    }
}

pub struct OperatorRecord {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub created_at: i64,
    pub capacity: i64,
    pub presence: String,
    pub deactivated_at: Option<i64>,
}

impl TryFrom<OperatorRecord> for Operator {
    type Error = StoreError;
    fn try_from(r: OperatorRecord) -> Result<Self, StoreError> {
        Ok(Operator {
            id: OperatorId(r.id),
            workspace_id: WorkspaceId(r.workspace_id),
            email: Email::parse(&r.email).map_err(|_| corrupt("operator e-mail"))?,
            display_name: DisplayName::parse(&r.display_name).map_err(|_| corrupt("display name"))?,
            role: Role::parse(&r.role).map_err(|_| corrupt("role"))?,
            password_hash: r.password_hash,
            created_at: Timestamp(r.created_at),
            capacity: Capacity::new(r.capacity).map_err(|_| corrupt("capacity"))?,
            presence: Presence::parse(&r.presence).map_err(|_| corrupt("presence"))?,
            deactivated_at: r.deactivated_at.map(Timestamp),
        })
    }
}

pub struct ChannelRecord {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub name: String,
    pub is_default: bool,
    pub mode: String,
    pub greeting: String,
    pub wait_alert_seconds: i64,
    pub offline_policy: String,
    pub require_category: bool,
    pub reopen_window_minutes: i64,
}

impl TryFrom<ChannelRecord> for Channel {
    type Error = StoreError;
    fn try_from(r: ChannelRecord) -> Result<Self, StoreError> {
        Ok(Channel {
            id: ChannelId(r.id),
            workspace_id: WorkspaceId(r.workspace_id),
            name: r.name,
            is_default: r.is_default,
            settings: ChannelSettings {
                mode: ChannelMode::parse(&r.mode).map_err(|_| corrupt("channel mode"))?,
                greeting: Greeting::from_stored(r.greeting),
                wait_limit: WaitLimit::from_stored(r.wait_alert_seconds),
                offline_policy: OfflinePolicy::parse(&r.offline_policy).map_err(|_| corrupt("offline policy"))?,
                require_category: r.require_category,
                reopen_window: ReopenWindow::from_stored(r.reopen_window_minutes),
            },
        })
    }
}

pub struct SiteRecord {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub name: String,
    pub key: String,
    /// Allowed origins, one per line.
    pub allowed_origins: String,
    pub channel_id: Uuid,
}

impl TryFrom<SiteRecord> for Site {
    type Error = StoreError;
    fn try_from(r: SiteRecord) -> Result<Self, StoreError> {
        let allowed_origins = r
            .allowed_origins
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| Origin::parse(l).map_err(|_| corrupt("origin")))
            .collect::<Result<_, _>>()?;
        Ok(Site {
            id: SiteId(r.id),
            workspace_id: WorkspaceId(r.workspace_id),
            name: r.name,
            key: SiteKey::parse(&r.key).map_err(|_| corrupt("site key"))?,
            allowed_origins,
            channel_id: ChannelId(r.channel_id),
        })
    }
}

/// How a site's origins are kept in one text column.
pub fn join_origins(site: &Site) -> String {
    site.allowed_origins.iter().map(Origin::as_str).collect::<Vec<_>>().join("\n")
}

pub struct VisitorRecord {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub site_id: Option<Uuid>,
    pub number: i64,
    pub name: Option<String>,
    pub created_at: i64,
    pub page_url: Option<String>,
    pub language: Option<String>,
    /// A JSON object of strings.
    pub properties: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub last_seen_at: Option<i64>,
    pub source: String,
    pub external_id: Option<String>,
    /// A JSON object of strings, numbers and booleans (`frontline_domain::leads`).
    pub attributes: String,
}

impl TryFrom<VisitorRecord> for Visitor {
    type Error = StoreError;
    fn try_from(r: VisitorRecord) -> Result<Self, StoreError> {
        Ok(Visitor {
            id: VisitorId(r.id),
            workspace_id: WorkspaceId(r.workspace_id),
            site_id: r.site_id.map(SiteId),
            number: r.number,
            name: r.name.map(VisitorName::from_stored),
            created_at: Timestamp(r.created_at),
            context: RoutingContext {
                page_url: r.page_url,
                language: r.language,
                properties: serde_json::from_str(&r.properties).map_err(|_| corrupt("visitor properties"))?,
                telegram_topic: None,
                mail_to: Vec::new(),
                segments: Vec::new(),
            },
            email: r.email.map(|e| Email::parse(&e).map_err(|_| corrupt("visitor e-mail"))).transpose()?,
            phone: r.phone.map(Phone::from_stored),
            last_seen_at: r.last_seen_at.map(Timestamp),
            source: ContactSource::parse(&r.source).ok_or_else(|| corrupt("visitor source"))?,
            external_id: r.external_id,
            attributes: serde_json::from_str(&r.attributes).map_err(|_| corrupt("visitor attributes"))?,
        })
    }
}

/// How a visitor's properties are kept in one text column.
pub fn properties_json(ctx: &RoutingContext) -> String {
    serde_json::to_string(&ctx.properties).unwrap_or_else(|_| "{}".into())
}

pub struct DialogRecord {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub number: i64,
    pub channel_id: Uuid,
    pub visitor_id: Uuid,
    pub status: String,
    pub last_seq: i64,
    pub unread_count: i64,
    pub last_author_kind: Option<String>,
    pub last_preview: Option<String>,
    pub last_message_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub assignee_id: Option<Uuid>,
    pub assigned_at: Option<i64>,
    pub routed_by: Option<String>,
    pub pending_count: i64,
    pub waiting_since: Option<i64>,
    pub queued_at: Option<i64>,
    pub wait_alerted_at: Option<i64>,
    /// A JSON array of tag ids.
    pub tags: String,
    pub category_id: Option<Uuid>,
    pub snoozed_until: Option<i64>,
    pub close_reason: Option<String>,
    pub previous_dialog_id: Option<Uuid>,
    pub visitor_read_seq: i64,
    pub operator_read_seq: i64,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<i64>,
    pub origin: String,
    pub trigger_id: Option<Uuid>,
    pub trigger_name: Option<String>,
    pub first_reply_at: Option<i64>,
    pub sla_reply_due_at: Option<i64>,
    pub sla_reply_breached: bool,
    pub sla_resolve_due_at: Option<i64>,
    pub sla_resolve_breached: bool,
    pub auto_close_at: Option<i64>,
    pub auto_close_action: Option<String>,
    pub auto_close_hold: Option<String>,
    pub tone: i64,
    pub fields: String,
}

impl TryFrom<DialogRecord> for Dialog {
    type Error = StoreError;
    fn try_from(r: DialogRecord) -> Result<Self, StoreError> {
        let last_message = match (r.last_author_kind, r.last_preview, r.last_message_at) {
            (Some(kind), Some(preview), Some(at)) => Some(LastMessage {
                author_kind: AuthorKind::parse(&kind).ok_or_else(|| corrupt("author kind"))?,
                preview,
                created_at: Timestamp(at),
            }),
            _ => None,
        };
        Ok(Dialog {
            id: DialogId(r.id),
            workspace_id: WorkspaceId(r.workspace_id),
            number: r.number,
            channel_id: ChannelId(r.channel_id),
            visitor_id: VisitorId(r.visitor_id),
            status: DialogStatus::parse(&r.status).ok_or_else(|| corrupt("dialog status"))?,
            last_seq: r.last_seq,
            unread_count: r.unread_count,
            last_message,
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
            closed_at: r.closed_at.map(Timestamp),
            assignee: r.assignee_id.map(|id| Assignee {
                operator: OperatorId(id),
                since: Timestamp(r.assigned_at.unwrap_or(r.updated_at)),
            }),
            routed_by: r.routed_by,
            pending_count: r.pending_count,
            waiting_since: r.waiting_since.map(Timestamp),
            queued_at: r.queued_at.map(Timestamp),
            wait_alerted_at: r.wait_alerted_at.map(Timestamp),
            tags: serde_json::from_str(&r.tags).map_err(|_| corrupt("dialog tags"))?,
            category: r.category_id.map(CategoryId),
            snoozed_until: r.snoozed_until.map(Timestamp),
            close_reason: r
                .close_reason
                .map(|c| CloseReason::parse(&c).ok_or_else(|| corrupt("close reason")))
                .transpose()?,
            previous_dialog: r.previous_dialog_id.map(DialogId),
            visitor_read_seq: r.visitor_read_seq,
            operator_read_seq: r.operator_read_seq,
            rating: match (r.rating, r.rated_at) {
                (Some(score), Some(at)) => Some(Rating {
                    score: u8::try_from(score).map_err(|_| corrupt("rating"))?,
                    comment: r.rating_comment,
                    at: Timestamp(at),
                }),
                _ => None,
            },
            origin: DialogOrigin::parse(&r.origin).ok_or_else(|| corrupt("dialog origin"))?,
            trigger: r.trigger_id.map(|id| TriggerRef { id, name: r.trigger_name.unwrap_or_default() }),
            sla: SlaState {
                first_reply_at: r.first_reply_at.map(Timestamp),
                reply_due: r.sla_reply_due_at.map(Timestamp),
                reply_breached: r.sla_reply_breached,
                resolve_due: r.sla_resolve_due_at.map(Timestamp),
                resolve_breached: r.sla_resolve_breached,
            },
            auto_close: match (r.auto_close_at, r.auto_close_action) {
                (Some(at), Some(action)) => Some(AutoCloseTimer {
                    at: Timestamp(at),
                    action: AutoCloseAction::parse(&action).ok_or_else(|| corrupt("auto-close action"))?,
                    hold_phrase: r.auto_close_hold,
                }),
                _ => None,
            },
            tone: u8::try_from(r.tone.clamp(0, 3)).unwrap_or(0),
            fields: serde_json::from_str(&r.fields).map_err(|_| corrupt("dialog fields"))?,
        })
    }
}

pub struct MessageRecord {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub dialog_id: Uuid,
    pub seq: i64,
    pub client_id: String,
    pub author_kind: String,
    pub author_id: Uuid,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: i64,
    pub audience: String,
    /// A [`SystemEvent`] as JSON.
    pub event: Option<String>,
    /// JSON arrays.
    pub attachments: String,
    pub mentions: String,
    /// An [`Automatic`] kind; `NULL` for a line a person wrote.
    pub automatic: Option<String>,
    /// When its author last edited it.
    pub edited_at: Option<i64>,
}

impl TryFrom<MessageRecord> for Message {
    type Error = StoreError;
    fn try_from(r: MessageRecord) -> Result<Self, StoreError> {
        Ok(Message {
            id: MessageId(r.id),
            workspace_id: WorkspaceId(r.workspace_id),
            dialog_id: DialogId(r.dialog_id),
            seq: r.seq,
            client_id: ClientId::from_stored(r.client_id),
            author: Author {
                kind: AuthorKind::parse(&r.author_kind).ok_or_else(|| corrupt("author kind"))?,
                id: r.author_id,
                name: r.author_name,
            },
            body: MessageBody::from_stored(r.body),
            created_at: Timestamp(r.created_at),
            audience: Audience::parse(&r.audience).ok_or_else(|| corrupt("audience"))?,
            event: r.event.map(|e| serde_json::from_str(&e).map_err(|_| corrupt("system event"))).transpose()?,
            attachments: serde_json::from_str(&r.attachments).map_err(|_| corrupt("attachments"))?,
            mentions: serde_json::from_str(&r.mentions).map_err(|_| corrupt("mentions"))?,
            automatic: r
                .automatic
                .map(|a| Automatic::parse(&a).ok_or_else(|| corrupt("automatic kind")))
                .transpose()?,
            edited_at: r.edited_at.map(Timestamp),
        })
    }
}

/// How a system line's event is kept in one text column.
pub fn event_json(event: Option<&SystemEvent>) -> Option<String> {
    event.and_then(|e| serde_json::to_string(e).ok())
}

/// How a new message changes its dialog's counters: lines only operators read (system lines,
/// internal notes) change nothing but `seq`; an automatic line is no reply.
pub fn effect_kind(m: &NewMessage) -> Effect {
    if m.audience == Audience::Operators {
        return Effect::Silent;
    }
    if m.automatic.is_some() {
        return Effect::Automatic;
    }
    match m.author_kind {
        AuthorKind::Visitor => Effect::Visitor,
        AuthorKind::Operator => Effect::Operator,
        AuthorKind::System => Effect::Silent,
    }
}

/// What the dialog list shows of a message: its text, or its files' names.
/// How a message's text reads (see `quality::tone`): what a visitor's raises the dialog's tone to.
pub fn tone_of(m: &NewMessage) -> u8 {
    frontline_domain::quality::tone(m.body.as_str()).score()
}

pub fn preview_of(m: &NewMessage) -> String {
    preview(&m.body, &m.attachments)
}

/// The same for a stored message (its text after an edit).
pub fn preview_of_stored(m: &Message) -> String {
    preview(&m.body, &m.attachments)
}

fn preview(body: &MessageBody, attachments: &[frontline_domain::Attachment]) -> String {
    if body.as_str().is_empty() && !attachments.is_empty() {
        let names: Vec<&str> = attachments.iter().map(|a| a.name.as_str()).collect();
        let joined = format!("📎 {}", names.join(", "));
        return MessageBody::from_stored(joined).preview(PREVIEW_CHARS);
    }
    body.preview(PREVIEW_CHARS)
}

/// The stored message a new one becomes.
pub fn stored_message(
    m: &NewMessage,
    ws: WorkspaceId,
    dialog: DialogId,
    seq: i64,
    author_name: Option<String>,
) -> Message {
    Message {
        id: m.id,
        workspace_id: ws,
        dialog_id: dialog,
        seq,
        client_id: m.client_id.clone(),
        author: Author { kind: m.author_kind, id: m.author_id, name: author_name },
        body: m.body.clone(),
        created_at: m.created_at,
        audience: m.audience,
        event: m.event.clone(),
        attachments: m.attachments.clone(),
        mentions: m.mentions.clone(),
        automatic: m.automatic,
        edited_at: None,
    }
}

/// How a list of ids or attachments is kept in one text column.
pub fn json_list<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// The list preview kept with a dialog: the first 120 characters on one line.
pub const PREVIEW_CHARS: usize = 120;

/// Typed column access, implemented by each backend for its row type, so that the readers
/// below (one per table) are written once.
pub trait StoreRow {
    fn uuid(&self, col: &str) -> Result<Uuid, StoreError>;
    fn int(&self, col: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError>;
    fn text(&self, col: &str) -> Result<String, StoreError>;
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError>;
    fn opt_uuid(&self, col: &str) -> Result<Option<Uuid>, StoreError>;
    fn boolean(&self, col: &str) -> Result<bool, StoreError>;
}

pub fn workspace(r: &impl StoreRow) -> Result<Workspace, StoreError> {
    WorkspaceRecord {
        id: r.uuid("id")?,
        slug: r.text("slug")?,
        name: r.text("name")?,
        created_at: r.int("created_at")?,
    }
    .try_into()
}

pub fn operator(r: &impl StoreRow) -> Result<Operator, StoreError> {
    OperatorRecord {
        id: r.uuid("id")?,
        workspace_id: r.uuid("workspace_id")?,
        email: r.text("email")?,
        display_name: r.text("display_name")?,
        role: r.text("role")?,
        password_hash: r.text("password_hash")?,
        created_at: r.int("created_at")?,
        capacity: r.int("capacity")?,
        presence: r.text("presence")?,
        deactivated_at: r.opt_int("deactivated_at")?,
    }
    .try_into()
}

pub fn audit(r: &impl StoreRow) -> Result<crate::AuditEntry, StoreError> {
    Ok(crate::AuditEntry {
        id: r.uuid("id")?,
        workspace_id: r.opt_uuid("workspace_id")?.map(WorkspaceId),
        at: Timestamp(r.int("at")?),
        actor_id: r.opt_uuid("actor_id")?.map(OperatorId),
        actor_name: r.opt_text("actor_name")?,
        action: r.text("action")?,
        target_id: r.opt_uuid("target_id")?,
        target_name: r.opt_text("target_name")?,
        ip: r.opt_text("ip")?,
        details: serde_json::from_str(&r.text("details")?).unwrap_or_default(),
    })
}

pub fn channel(r: &impl StoreRow) -> Result<Channel, StoreError> {
    ChannelRecord {
        id: r.uuid("id")?,
        workspace_id: r.uuid("workspace_id")?,
        name: r.text("name")?,
        is_default: r.boolean("is_default")?,
        mode: r.text("mode")?,
        greeting: r.text("greeting")?,
        wait_alert_seconds: r.int("wait_alert_seconds")?,
        offline_policy: r.text("offline_policy")?,
        require_category: r.boolean("require_category")?,
        reopen_window_minutes: r.int("reopen_window_minutes")?,
    }
    .try_into()
}

pub fn site(r: &impl StoreRow) -> Result<Site, StoreError> {
    SiteRecord {
        id: r.uuid("id")?,
        workspace_id: r.uuid("workspace_id")?,
        name: r.text("name")?,
        key: r.text("key")?,
        allowed_origins: r.text("allowed_origins")?,
        channel_id: r.uuid("channel_id")?,
    }
    .try_into()
}

pub fn visitor(r: &impl StoreRow) -> Result<Visitor, StoreError> {
    VisitorRecord {
        id: r.uuid("id")?,
        workspace_id: r.uuid("workspace_id")?,
        site_id: r.opt_uuid("site_id")?,
        number: r.int("number")?,
        name: r.opt_text("name")?,
        created_at: r.int("created_at")?,
        page_url: r.opt_text("page_url")?,
        language: r.opt_text("language")?,
        properties: r.text("properties")?,
        email: r.opt_text("email")?,
        phone: r.opt_text("phone")?,
        last_seen_at: r.opt_int("last_seen_at")?,
        source: r.text("source")?,
        external_id: r.opt_text("external_id")?,
        attributes: r.text("attributes")?,
    }
    .try_into()
}

pub fn dialog(r: &impl StoreRow) -> Result<Dialog, StoreError> {
    DialogRecord {
        id: r.uuid("id")?,
        workspace_id: r.uuid("workspace_id")?,
        number: r.int("number")?,
        channel_id: r.uuid("channel_id")?,
        visitor_id: r.uuid("visitor_id")?,
        status: r.text("status")?,
        last_seq: r.int("last_seq")?,
        unread_count: r.int("unread_count")?,
        last_author_kind: r.opt_text("last_author_kind")?,
        last_preview: r.opt_text("last_preview")?,
        last_message_at: r.opt_int("last_message_at")?,
        created_at: r.int("created_at")?,
        updated_at: r.int("updated_at")?,
        closed_at: r.opt_int("closed_at")?,
        assignee_id: r.opt_uuid("assignee_id")?,
        assigned_at: r.opt_int("assigned_at")?,
        routed_by: r.opt_text("routed_by")?,
        pending_count: r.int("pending_count")?,
        waiting_since: r.opt_int("waiting_since")?,
        queued_at: r.opt_int("queued_at")?,
        wait_alerted_at: r.opt_int("wait_alerted_at")?,
        tags: r.text("tags")?,
        category_id: r.opt_uuid("category_id")?,
        snoozed_until: r.opt_int("snoozed_until")?,
        close_reason: r.opt_text("close_reason")?,
        previous_dialog_id: r.opt_uuid("previous_dialog_id")?,
        visitor_read_seq: r.int("visitor_read_seq")?,
        operator_read_seq: r.int("operator_read_seq")?,
        rating: r.opt_int("rating")?,
        rating_comment: r.opt_text("rating_comment")?,
        rated_at: r.opt_int("rated_at")?,
        origin: r.text("origin")?,
        trigger_id: r.opt_uuid("trigger_id")?,
        trigger_name: r.opt_text("trigger_name")?,
        first_reply_at: r.opt_int("first_reply_at")?,
        sla_reply_due_at: r.opt_int("sla_reply_due_at")?,
        sla_reply_breached: r.boolean("sla_reply_breached")?,
        sla_resolve_due_at: r.opt_int("sla_resolve_due_at")?,
        sla_resolve_breached: r.boolean("sla_resolve_breached")?,
        auto_close_at: r.opt_int("auto_close_at")?,
        auto_close_action: r.opt_text("auto_close_action")?,
        auto_close_hold: r.opt_text("auto_close_hold")?,
        tone: r.int("tone")?,
        fields: r.text("fields")?,
    }
    .try_into()
}

pub fn message(r: &impl StoreRow) -> Result<Message, StoreError> {
    MessageRecord {
        id: r.uuid("id")?,
        workspace_id: r.uuid("workspace_id")?,
        dialog_id: r.uuid("dialog_id")?,
        seq: r.int("seq")?,
        client_id: r.text("client_id")?,
        author_kind: r.text("author_kind")?,
        author_id: r.uuid("author_id")?,
        author_name: r.opt_text("author_name")?,
        body: r.text("body")?,
        created_at: r.int("created_at")?,
        audience: r.text("audience")?,
        event: r.opt_text("event")?,
        attachments: r.text("attachments")?,
        mentions: r.text("mentions")?,
        automatic: r.opt_text("automatic")?,
        edited_at: r.opt_int("edited_at")?,
    }
    .try_into()
}

pub fn message_edit(r: &impl StoreRow) -> Result<frontline_domain::MessageEdit, StoreError> {
    Ok(frontline_domain::MessageEdit {
        version: r.int("version")?,
        body: r.text("body")?,
        replaced_at: Timestamp(r.int("replaced_at")?),
    })
}

/// The current time in UTC milliseconds, for bookkeeping columns the domain does not carry
/// (a site's creation time, a migration's).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

pub fn entry(r: &impl StoreRow) -> Result<crate::Entry, StoreError> {
    Ok(crate::Entry { id: r.uuid("id")?, name: r.text("name")?, archived: r.boolean("archived")? })
}

pub fn saved_reply(r: &impl StoreRow) -> Result<frontline_domain::SavedReply, StoreError> {
    Ok(frontline_domain::SavedReply {
        id: frontline_domain::SavedReplyId(r.uuid("id")?),
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        scope: frontline_domain::ReplyScope::parse(&r.text("scope")?).map_err(|_| corrupt("reply scope"))?,
        owner: r.opt_uuid("owner_id")?.map(OperatorId),
        channel: r.opt_uuid("channel_id")?.map(ChannelId),
        title: r.text("title")?,
        body: r.text("body")?,
        created_at: Timestamp(r.int("created_at")?),
        updated_at: Timestamp(r.int("updated_at")?),
    })
}

pub fn stored_file(r: &impl StoreRow) -> Result<crate::StoredFile, StoreError> {
    Ok(crate::StoredFile {
        file: frontline_domain::Attachment {
            id: frontline_domain::AttachmentId(r.uuid("id")?),
            name: r.text("name")?,
            content_type: r.text("content_type")?,
            size: r.int("size")?,
        },
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        uploader_kind: r.text("uploader_kind")?,
        uploader_id: r.uuid("uploader_id")?,
        created_at: Timestamp(r.int("created_at")?),
        dialog_id: r.opt_uuid("dialog_id")?.map(DialogId),
        message_id: r.opt_uuid("message_id")?,
    })
}

pub fn page_view(r: &impl StoreRow) -> Result<crate::PageView, StoreError> {
    Ok(crate::PageView { url: r.text("url")?, title: r.opt_text("title")?, at: Timestamp(r.int("at")?) })
}

/// An operator's own settings; a missing or short list of shortcuts reads as empty places.
pub fn operator_settings(r: &impl StoreRow) -> Result<crate::OperatorSettings, StoreError> {
    let stored: Vec<Option<Uuid>> =
        serde_json::from_str(&r.text("shortcuts")?).map_err(|_| corrupt("operator shortcuts"))?;
    let mut shortcuts = [None; 9];
    for (place, id) in shortcuts.iter_mut().zip(stored) {
        *place = id;
    }
    Ok(crate::OperatorSettings {
        language: r.opt_text("language")?,
        shortcuts,
        notify_by_mail: r.boolean("notify_by_mail")?,
    })
}

pub fn event(r: &impl StoreRow) -> Result<crate::events::StoredEvent, StoreError> {
    Ok(crate::events::StoredEvent {
        pos: r.int("pos")?,
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        kind: r.text("kind")?,
        dialog_id: r.opt_uuid("dialog_id")?.map(DialogId),
        subject_id: r.opt_uuid("subject_id")?,
        actor_kind: r.text("actor_kind")?,
        actor_id: r.opt_uuid("actor_id")?,
        at: Timestamp(r.int("at")?),
        payload: r.text("payload")?,
    })
}

pub fn webhook(r: &impl StoreRow) -> Result<crate::events::WebhookEndpoint, StoreError> {
    let kinds: Vec<String> = serde_json::from_str(&r.text("events")?).map_err(|_| corrupt("webhook events"))?;
    Ok(crate::events::WebhookEndpoint {
        id: r.uuid("id")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        url: r.text("url")?,
        description: r.text("description")?,
        events: kinds.iter().filter_map(|k| frontline_domain::EventKind::parse(k)).collect(),
        secret: r.text("secret")?,
        previous_secret: r.opt_text("previous_secret")?,
        previous_until: r.opt_int("previous_until")?.map(Timestamp),
        enabled: r.boolean("enabled")?,
        disabled_reason: r.opt_text("disabled_reason")?,
        failing_since: r.opt_int("failing_since")?.map(Timestamp),
        created_at: Timestamp(r.int("created_at")?),
        updated_at: Timestamp(r.int("updated_at")?),
    })
}

/// How a webhook's kinds are kept in one text column.
pub fn kinds_json(kinds: &[frontline_domain::EventKind]) -> String {
    serde_json::to_string(&kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

pub fn job(r: &impl StoreRow) -> Result<crate::events::OutboxJob, StoreError> {
    Ok(crate::events::OutboxJob {
        pos: r.int("pos")?,
        workspace_id: WorkspaceId(r.uuid("workspace_id")?),
        kind: r.text("kind")?,
        target_id: r.uuid("target_id")?,
        event_id: r.uuid("event_id")?,
        event_kind: r.text("event_kind")?,
        generation: r.int("generation")?,
        status: crate::events::JobStatus::parse(&r.text("status")?).ok_or_else(|| corrupt("job status"))?,
        attempts: r.int("attempts")?,
        due_at: Timestamp(r.int("due_at")?),
        body: r.opt_text("body")?,
        created_at: Timestamp(r.int("created_at")?),
        finished_at: r.opt_int("finished_at")?.map(Timestamp),
        claim: r.opt_uuid("claim")?,
    })
}

pub fn attempt(r: &impl StoreRow) -> Result<crate::events::JobAttempt, StoreError> {
    Ok(crate::events::JobAttempt {
        attempt: r.int("attempt")?,
        at: Timestamp(r.int("at")?),
        status_code: r.opt_int("status_code")?,
        response_excerpt: r.opt_text("response_excerpt")?,
        latency_ms: r.opt_int("latency_ms")?,
        error: r.opt_text("error")?,
    })
}
