//! Wire shapes of the API and the socket, shared by REST answers, socket frames and the
//! events that cross nodes over NATS (which is why they live here and not in `http`).
//! `snake_case`, ids as UUID strings, times as RFC 3339 UTC.

use frontline_domain::{
    Attachment, Channel, Dialog, DialogStatus, Message, Operator, Site, SystemEvent, Timestamp, Visitor, Workspace,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// RFC 3339 in UTC with milliseconds: `2026-11-22T10:15:30.123Z`.
pub fn rfc3339(t: Timestamp) -> String {
    let dt = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(t.0) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    dt.format(&f).unwrap_or_default()
}

/// Reads an RFC 3339 time (any offset) as UTC milliseconds.
pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
    let t = time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()?;
    Some(Timestamp((t.unix_timestamp_nanos() / 1_000_000) as i64))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct WorkspaceView {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
}

impl From<&Workspace> for WorkspaceView {
    fn from(w: &Workspace) -> Self {
        Self { id: w.id.0, name: w.name.clone(), slug: w.slug.as_str().to_owned() }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OperatorView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// `admin`, `supervisor` or `operator`.
    pub role: String,
    /// Most active dialogs at once (1–50).
    pub capacity: u32,
    /// `online`, `away` or `offline`.
    pub presence: String,
    /// Open dialogs assigned to him now.
    pub active_dialogs: u32,
    /// Deactivated by an admin: cannot sign in, takes no dialogs; his history stays.
    pub deactivated: bool,
}

impl OperatorView {
    pub fn new(o: &Operator, active_dialogs: u32) -> Self {
        Self {
            id: o.id.0,
            email: o.email.as_str().to_owned(),
            display_name: o.display_name.as_str().to_owned(),
            role: o.role.as_str().to_owned(),
            capacity: o.capacity.get(),
            presence: o.presence.as_str().to_owned(),
            active_dialogs,
            deactivated: o.deactivated_at.is_some(),
        }
    }
}

/// A visitor as operators and the visitor himself see him. Without `name`, clients show
/// "Посетитель {number}" / "Visitor {number}".
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct VisitorView {
    pub id: Uuid,
    pub number: i64,
    pub name: Option<String>,
    /// His `city` property, when the site gave one.
    pub city: Option<String>,
    /// The page he was on when he last opened the widget.
    pub page_url: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Where he writes from: `widget`, `telegram` or `email`.
    pub source: String,
}

impl From<&Visitor> for VisitorView {
    fn from(v: &Visitor) -> Self {
        Self {
            id: v.id.0,
            number: v.number,
            name: v.name.as_ref().map(|n| n.as_str().to_owned()),
            city: v.context.properties.get("city").cloned(),
            page_url: v.context.page_url.clone(),
            email: v.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: v.phone.as_ref().map(|p| p.as_str().to_owned()),
            source: v.source.as_str().to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AuthorView {
    /// `visitor`, `operator` or `system`.
    pub kind: String,
    pub id: Uuid,
    /// The operator's display name; the visitor's name when he gave one.
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MessageView {
    pub id: Uuid,
    pub dialog_id: Uuid,
    /// 1, 2, 3… within the dialog.
    pub seq: i64,
    pub client_id: String,
    pub author: AuthorView,
    pub body: String,
    pub created_at: String,
    /// `all`, or `operators` for lines the visitor never receives.
    pub audience: String,
    /// What a system line records (see docs/api.md); clients word it in their language.
    #[schema(value_type = Option<Object>)]
    pub event: Option<SystemEvent>,
    /// Files sent with it; fetch them at `/api/v1/attachments/{id}` or `/widget/v1/attachments/{id}`.
    pub attachments: Vec<AttachmentView>,
    /// Operators an internal note mentions.
    pub mentions: Vec<Uuid>,
    /// A line sent by itself in someone's name — `greeting`, `prompt` (auto-close's question) or
    /// `proactive` (the message the visitor answered) — and so not a reply; `null` when a
    /// person wrote it.
    #[schema(value_type = Option<String>, pattern = "^(greeting|prompt|proactive)$")]
    pub automatic: Option<String>,
    /// When its author last edited it where he wrote it (Telegram); `null` if never. Operators
    /// read the earlier texts at `/api/v1/dialogs/{dialog}/messages/{id}/edits`.
    #[serde(default)]
    pub edited_at: Option<String>,
}

/// An earlier text of an edited message.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MessageEditView {
    /// 1 for the first text, 2 for the second…
    pub version: i64,
    pub body: String,
    /// When the next text replaced it.
    pub replaced_at: String,
}

impl From<&frontline_domain::MessageEdit> for MessageEditView {
    fn from(e: &frontline_domain::MessageEdit) -> Self {
        Self { version: e.version, body: e.body.clone(), replaced_at: rfc3339(e.replaced_at) }
    }
}

/// A file of a message, or an upload not sent yet.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AttachmentView {
    pub id: Uuid,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

impl From<&Attachment> for AttachmentView {
    fn from(a: &Attachment) -> Self {
        Self { id: a.id.0, name: a.name.clone(), content_type: a.content_type.clone(), size: a.size }
    }
}

impl From<&Message> for MessageView {
    fn from(m: &Message) -> Self {
        Self {
            id: m.id.0,
            dialog_id: m.dialog_id.0,
            seq: m.seq,
            client_id: m.client_id.as_str().to_owned(),
            author: AuthorView {
                kind: m.author.kind.as_str().to_owned(),
                id: m.author.id,
                name: m.author.name.clone(),
            },
            body: m.body.as_str().to_owned(),
            created_at: rfc3339(m.created_at),
            audience: m.audience.as_str().to_owned(),
            event: m.event.clone(),
            attachments: m.attachments.iter().map(AttachmentView::from).collect(),
            mentions: m.mentions.iter().map(|o| o.0).collect(),
            automatic: m.automatic.map(|a| a.as_str().to_owned()),
            edited_at: m.edited_at.map(rfc3339),
        }
    }
}

impl MessageView {
    pub fn reaches_visitor(&self) -> bool {
        self.audience == frontline_domain::Audience::All.as_str()
    }
}

/// Who handles a dialog.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AssigneeView {
    pub id: Uuid,
    pub display_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct LastMessageView {
    pub author_kind: String,
    pub preview: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct DialogView {
    pub id: Uuid,
    /// Per-workspace number (#1042).
    pub number: i64,
    /// `open` or `closed`.
    pub status: String,
    pub channel_id: Uuid,
    pub visitor: VisitorView,
    pub last_seq: i64,
    pub unread_count: i64,
    pub last_message: Option<LastMessageView>,
    pub created_at: String,
    pub updated_at: String,
    pub closed_at: Option<String>,
    pub assignee: Option<AssigneeView>,
    pub assigned_at: Option<String>,
    /// The routing rule that chose the channel; `null` for the default channel.
    pub routed_by: Option<String>,
    /// Visitor messages since the last operator reply.
    pub pending_count: i64,
    /// When the oldest of them arrived; `null` when nobody waits for an answer.
    pub waiting_since: Option<String>,
    /// When it entered its channel's queue; `null` while assigned.
    pub queued_at: Option<String>,
    /// It has waited in the queue longer than the channel's limit.
    pub waiting_alert: bool,
    pub tags: Vec<LabelView>,
    pub category: Option<LabelView>,
    /// Out of the open list until then, or until the visitor writes.
    pub snoozed_until: Option<String>,
    /// `operator` or `auto`, for a closed dialog.
    pub close_reason: Option<String>,
    /// The visitor's earlier dialog this one continues.
    pub previous_dialog_id: Option<Uuid>,
    /// The visitor has read up to this `seq`.
    pub visitor_read_seq: i64,
    /// The operators have read up to this `seq`.
    pub operator_read_seq: i64,
    pub rating: Option<RatingView>,
    /// Its SLA due times; `null` when the channel's SLA is off.
    pub sla: Option<SlaView>,
    /// When it closes (or asks its prompt) if the visitor stays silent.
    pub auto_close: Option<AutoCloseView>,
    /// `visitor`, `proactive` or `offline`.
    pub origin: String,
    /// The proactive message the visitor answered.
    pub trigger: Option<LabelView>,
    /// How upset the visitor's messages read, the highest so far: 0 calm; one point each for
    /// capitals, runs of «!!!» and abusive words.
    #[schema(minimum = 0, maximum = 3)]
    pub tone: u8,
    /// Its custom fields' values by key (strings, numbers; dates as RFC 3339).
    #[serde(default = "empty_object")]
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

/// An attribute's or a custom field's value as JSON (a whole number without its `.0`).
pub fn value_json(v: &frontline_domain::leads::Value) -> serde_json::Value {
    use frontline_domain::leads::Value;
    match v {
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => serde_json::Value::from(*n as i64),
        Value::Number(n) => serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Text(s) => serde_json::Value::String(s.clone()),
    }
}

/// A spreadsheet cell: text, never a formula (a leading `=`, `+`, `-`, `@`, tab or carriage
/// return gets an apostrophe), quoted when it holds a separator.
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// A map of values as a JSON object.
pub fn values_json(values: &frontline_domain::leads::Attributes) -> serde_json::Value {
    serde_json::Value::Object(values.iter().map(|(k, v)| (k.clone(), value_json(v))).collect())
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SlaView {
    /// `first_reply` or `next_reply` while the visitor waits.
    pub reply_target: Option<String>,
    pub reply_due_at: Option<String>,
    pub reply_breached: bool,
    pub resolution_due_at: Option<String>,
    pub resolution_breached: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AutoCloseView {
    pub at: String,
    /// `prompt` or `close`.
    pub action: String,
    /// The hold phrase that made the limit the longer one.
    pub hold_phrase: Option<String>,
}

/// A tag or category as a dialog shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct LabelView {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct RatingView {
    /// 1 to 5.
    pub score: u8,
    pub comment: Option<String>,
    pub rated_at: String,
}

impl From<&frontline_domain::Rating> for RatingView {
    fn from(r: &frontline_domain::Rating) -> Self {
        Self { score: r.score, comment: r.comment.clone(), rated_at: rfc3339(r.at) }
    }
}

/// Names of tags and categories by id.
pub type Labels = HashMap<Uuid, String>;

fn label(labels: &Labels, id: Uuid) -> LabelView {
    LabelView { id, name: labels.get(&id).cloned().unwrap_or_default() }
}

impl DialogView {
    /// `assignee_name` is the display name of `d.assignee`, when it has one.
    pub fn new(d: &Dialog, visitor: &Visitor, assignee_name: Option<&str>, labels: &Labels) -> Self {
        Self {
            id: d.id.0,
            number: d.number,
            status: d.status.as_str().to_owned(),
            channel_id: d.channel_id.0,
            visitor: visitor.into(),
            last_seq: d.last_seq,
            unread_count: d.unread_count,
            last_message: d.last_message.as_ref().map(|m| LastMessageView {
                author_kind: m.author_kind.as_str().to_owned(),
                preview: m.preview.clone(),
                created_at: rfc3339(m.created_at),
            }),
            created_at: rfc3339(d.created_at),
            updated_at: rfc3339(d.updated_at),
            closed_at: d.closed_at.map(rfc3339),
            assignee: d
                .assignee
                .map(|a| AssigneeView { id: a.operator.0, display_name: assignee_name.unwrap_or_default().to_owned() }),
            assigned_at: d.assignee.map(|a| rfc3339(a.since)),
            routed_by: d.routed_by.clone(),
            pending_count: d.pending_count,
            waiting_since: d.waiting_since.map(rfc3339),
            queued_at: d.queued_at.map(rfc3339),
            waiting_alert: d.wait_alerted_at.is_some() && d.assignee.is_none(),
            tags: d.tags.iter().map(|t| label(labels, t.0)).collect(),
            category: d.category.map(|c| label(labels, c.0)),
            snoozed_until: d.snoozed_until.map(rfc3339),
            close_reason: d.close_reason.map(|r| r.as_str().to_owned()),
            previous_dialog_id: d.previous_dialog.map(|p| p.0),
            visitor_read_seq: d.visitor_read_seq,
            operator_read_seq: d.operator_read_seq,
            rating: d.rating.as_ref().map(RatingView::from),
            sla: sla_view(d),
            auto_close: d.auto_close.as_ref().map(|a| AutoCloseView {
                at: rfc3339(a.at),
                action: a.action.as_str().to_owned(),
                hold_phrase: a.hold_phrase.clone(),
            }),
            origin: d.origin.as_str().to_owned(),
            trigger: d.trigger.as_ref().map(|t| LabelView { id: t.id, name: t.name.clone() }),
            tone: d.tone,
            fields: values_json(&d.fields),
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == DialogStatus::Open.as_str()
    }
}

/// What the widget knows of its current dialog.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct WidgetDialogView {
    pub id: Uuid,
    pub number: i64,
    pub status: String,
    pub last_seq: i64,
    /// `operator` (the widget asks for a rating) or `auto`, once closed.
    pub close_reason: Option<String>,
    pub rating: Option<WidgetRatingView>,
    /// The operators have read up to this `seq`.
    pub operator_read_seq: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct WidgetRatingView {
    pub score: u8,
    pub comment: Option<String>,
}

impl WidgetDialogView {
    /// What the widget may know of an operators' view of its dialog.
    pub fn of_view(d: &DialogView) -> Self {
        Self {
            id: d.id,
            number: d.number,
            status: d.status.clone(),
            last_seq: d.last_seq,
            close_reason: d.close_reason.clone(),
            rating: d.rating.as_ref().map(|r| WidgetRatingView { score: r.score, comment: r.comment.clone() }),
            operator_read_seq: d.operator_read_seq,
        }
    }
}

impl From<&Dialog> for WidgetDialogView {
    fn from(d: &Dialog) -> Self {
        Self {
            id: d.id.0,
            number: d.number,
            status: d.status.as_str().to_owned(),
            last_seq: d.last_seq,
            close_reason: d.close_reason.map(|r| r.as_str().to_owned()),
            rating: d.rating.as_ref().map(|r| WidgetRatingView { score: r.score, comment: r.comment.clone() }),
            operator_read_seq: d.operator_read_seq,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ChannelView {
    pub id: Uuid,
    pub name: String,
    pub is_default: bool,
    /// `queue` or `auto`.
    pub mode: String,
    pub greeting: String,
    pub wait_alert_seconds: i64,
    /// `keep` or `return`.
    pub offline_policy: String,
    /// Members online now; 0 means the channel refuses transfers.
    pub online_members: u32,
    /// A dialog cannot be closed without a category.
    pub require_category: bool,
    /// A visitor writing less than this after a close reopens the dialog (0: never).
    pub reopen_window_minutes: i64,
}

impl ChannelView {
    pub fn new(c: &Channel, online_members: u32) -> Self {
        let st = &c.settings;
        Self {
            id: c.id.0,
            name: c.name.clone(),
            is_default: c.is_default,
            mode: st.mode.as_str().to_owned(),
            greeting: st.greeting.as_str().to_owned(),
            wait_alert_seconds: st.wait_limit.as_seconds(),
            offline_policy: st.offline_policy.as_str().to_owned(),
            online_members,
            require_category: st.require_category,
            reopen_window_minutes: st.reopen_window.as_minutes(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SiteView {
    pub id: Uuid,
    pub name: String,
    pub key: String,
    pub allowed_origins: Vec<String>,
    /// When the widget last opened a session ("check installation"); `null`: not yet seen.
    pub widget_seen_at: Option<String>,
    /// The origin of the page it was seen on.
    pub widget_seen_origin: Option<String>,
}

impl From<&Site> for SiteView {
    fn from(s: &Site) -> Self {
        Self {
            id: s.id.0,
            name: s.name.clone(),
            key: s.key.as_str().to_owned(),
            allowed_origins: s.allowed_origins.iter().map(|o| o.as_str().to_owned()).collect(),
            widget_seen_at: None,
            widget_seen_origin: None,
        }
    }
}

/// Something that happened, as sockets and (later) webhooks see it. The `type` names are
/// stable and the same everywhere.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type")]
pub enum Event {
    #[serde(rename = "message.created")]
    MessageCreated { message: MessageView },
    /// A message was edited where its author wrote it: the message as it is now.
    #[serde(rename = "message.updated")]
    MessageUpdated { message: MessageView },
    #[serde(rename = "dialog.created")]
    DialogCreated { dialog: DialogView },
    #[serde(rename = "dialog.updated")]
    DialogUpdated { dialog: DialogView },
    #[serde(rename = "dialog.closed")]
    DialogClosed { dialog: DialogView },
    /// It has waited in its queue longer than the channel's limit.
    #[serde(rename = "dialog.waiting")]
    DialogWaiting { dialog: DialogView },
    #[serde(rename = "operator.updated")]
    OperatorUpdated { operator: OperatorView },
    /// Someone types in a dialog (never stored).
    #[serde(rename = "typing")]
    Typing { dialog_id: Uuid, author: AuthorView },
    /// The visitor or the operators have read the dialog up to `seq`.
    #[serde(rename = "dialog.read")]
    DialogRead { dialog_id: Uuid, reader: String, seq: i64 },
    /// An internal note mentions `operator_id` (delivered to him only).
    #[serde(rename = "mention")]
    Mention { operator_id: Uuid, dialog: Box<DialogView>, message: MessageView },
    /// An SLA target passed unmet (supervisors, admins and the assignee; once per target).
    #[serde(rename = "sla.breached")]
    SlaBreached { dialog: DialogView, target: String, due_at: String },
    /// What an operator may see or do changed: his session ended, his channels or his role
    /// changed (`operator_id`), or the channels of several (`None`). Never sent to a client as
    /// is: each of his sockets checks its session again and reads its channels anew.
    #[serde(rename = "access.changed")]
    AccessChanged { operator_id: Option<Uuid> },
    /// A webhook endpoint kept failing and was switched off (admins and supervisors).
    #[serde(rename = "webhook.disabled")]
    WebhookDisabled { endpoint_id: Uuid, url: String },
    /// The visitor was blocked: his open sockets get `visitor_blocked` and close (never sent
    /// to operators).
    #[serde(rename = "visitor.blocked")]
    VisitorBlocked { visitor_id: Uuid },
}

/// The SLA state of a dialog as the console shows it (`None`: the dialog has no SLA).
pub fn sla_view(d: &Dialog) -> Option<SlaView> {
    let s = &d.sla;
    if s.reply_due.is_none() && s.resolve_due.is_none() && s.first_reply_at.is_none() {
        return None;
    }
    Some(crate::views::SlaView {
        reply_target: s.reply_due.map(|_| s.reply_target().as_str().to_owned()),
        reply_due_at: s.reply_due.map(rfc3339),
        reply_breached: s.reply_breached,
        resolution_due_at: s.resolve_due.map(rfc3339),
        resolution_breached: s.resolve_breached,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_rfc3339_utc_with_millis() {
        assert_eq!(super::rfc3339(frontline_domain::Timestamp(1_700_000_000_123)), "2023-11-14T22:13:20.123Z");
        assert_eq!(super::rfc3339(frontline_domain::Timestamp(0)), "1970-01-01T00:00:00.000Z");
    }
}
