//! Inputs and outputs of store calls that are not domain types themselves.

use frontline_domain::{
    Attachment, AttachmentId, AuthorKind, ChannelId, ClientId, ContactSource, Dialog, DialogId, DialogOrigin,
    DialogStatus, Email, Message, MessageBody, MessageId, MessageTimers, NewMessage, OperatorId, SiteId, SlaTarget,
    SystemEvent, TagId, Timestamp, TriggerRef, VisitorId, VisitorName, WorkspaceId,
};

/// An SLA target a dialog missed, as the scheduler claimed it (once).
#[derive(Debug, Clone)]
pub struct Breach {
    pub dialog: Dialog,
    pub target: SlaTarget,
    pub due_at: Timestamp,
}

/// A proactive message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTrigger {
    pub id: uuid::Uuid,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub message: String,
    pub enabled: bool,
    pub time_on_site_seconds: i64,
    /// Routing-rule conditions as JSON text (parsed by core).
    pub conditions: String,
    pub period_hours: i64,
    pub created_at: Timestamp,
}

/// A login session; only the SHA-256 of the token is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: Vec<u8>,
    pub workspace_id: WorkspaceId,
    pub operator_id: OperatorId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// Where the sign-in came from, for the operator's list of his sessions.
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A live session as its operator sees it in his list (the hash never leaves core).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub token_hash: Vec<u8>,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A change an admin makes to an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorChange {
    Role(frontline_domain::Role),
    /// A new argon2id PHC string.
    PasswordHash(String),
    Deactivated(Timestamp),
    Reactivated,
    /// The name visitors see.
    DisplayName(frontline_domain::DisplayName),
}

/// One line of the audit log. `details` is a small JSON object, never a secret.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: uuid::Uuid,
    pub workspace_id: Option<WorkspaceId>,
    pub at: Timestamp,
    pub actor_id: Option<OperatorId>,
    pub actor_name: Option<String>,
    /// Dotted: `operator.created`, `operator.deactivated`, `operator.role_changed`,
    /// `operator.password_reset`, `password.changed`, `session.ended`, `login.failed`, …
    pub action: String,
    pub target_id: Option<uuid::Uuid>,
    pub target_name: Option<String>,
    pub ip: Option<String>,
    pub details: serde_json::Value,
}

/// A visitor to create; the store assigns the number.
#[derive(Debug, Clone)]
pub struct NewVisitor {
    pub id: VisitorId,
    pub workspace_id: WorkspaceId,
    pub site_id: SiteId,
    pub token_hash: Vec<u8>,
    pub created_at: Timestamp,
}

/// A contact of another source than the widget (a Telegram chat, an e-mail address), found by
/// his id there or made with the next per-workspace number.
#[derive(Debug, Clone)]
pub struct NewContact {
    pub id: VisitorId,
    pub workspace_id: WorkspaceId,
    /// [`ContactSource::Widget`] for a site's user known by the site's own id (the Web API);
    /// an anonymous widget visitor is made by `create_visitor`.
    pub source: ContactSource,
    pub external_id: String,
    pub name: Option<VisitorName>,
    pub email: Option<Email>,
    pub created_at: Timestamp,
}

/// Where a posted message goes.
#[derive(Debug, Clone)]
pub enum PostTarget {
    /// An existing dialog (operators). Refused with `DialogClosed` when it is closed.
    Dialog(DialogId),
    /// The visitor's open dialog, or a new one in `channel` when he has none (visitors);
    /// `routed_by` names the routing rule that chose the channel; `previous` is the closed
    /// dialog the new one continues.
    Visitor {
        visitor: VisitorId,
        channel: ChannelId,
        new_dialog_id: DialogId,
        routed_by: Option<String>,
        previous: Option<DialogId>,
        /// The open dialog (and its channel) the caller made this post for, without reading:
        /// the visitor's socket remembers it from his last message. When his open dialog is not
        /// that one in that channel now, the store writes nothing and answers
        /// [`StoreError::Stale`](crate::StoreError::Stale). A resent message is still answered
        /// as the duplicate it is.
        expected: Option<(DialogId, ChannelId)>,
    },
}

/// A message to append.
#[derive(Debug, Clone)]
pub struct PostMessage {
    pub workspace_id: WorkspaceId,
    pub target: PostTarget,
    pub message: NewMessage,
    /// The author's name to keep with the message (operator display name).
    pub author_name: Option<String>,
    /// The SLA and auto-close timers the message may start (see `Dialog::apply_timers`).
    pub timers: MessageTimers,
    /// How the dialog begins, when this post opens one (a visitor's post with no open
    /// dialog); `None` is an ordinary first message.
    pub opening: Option<Opening>,
}

/// A dialog that does not begin with the visitor's own first words: the proactive message he
/// answers, or his offline request. Such posts are written one at a time (never batched).
#[derive(Debug, Clone)]
pub struct Opening {
    pub origin: DialogOrigin,
    pub trigger: Option<TriggerRef>,
    /// A line appended before the message in the same transaction (the proactive message);
    /// it changes only `seq`, not counters or timers.
    pub prelude: Option<NewLine>,
}

/// What `post_message` did.
#[derive(Debug, Clone)]
pub struct Posted {
    pub message: Message,
    /// The dialog after the write.
    pub dialog: Dialog,
    pub dialog_created: bool,
    /// The `(author, client_id)` was seen before: nothing was written.
    pub duplicate: bool,
    /// The opening line written before the message (see [`Opening::prelude`]).
    pub prelude: Option<Message>,
}

/// A page of the dialog list: after the last row of the previous page.
#[derive(Debug, Clone, Copy)]
pub struct DialogPage {
    pub after: Option<DialogCursor>,
    pub limit: u32,
}

/// Where a page of the dialog list ends: the sort key of its last row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialogCursor {
    /// `waiting_since` (or [`NOT_WAITING`]) for the waiting sort; unused for activity.
    pub wait: i64,
    /// `sla.reply_due` (or [`NOT_WAITING`]) for the due sort; the dialog's tone for the tone
    /// sort ([`DialogCursor::sorted`]).
    pub due: i64,
    pub updated_at: Timestamp,
    pub id: DialogId,
}

/// The waiting key of a dialog nobody waits on: after every real time.
pub const NOT_WAITING: i64 = 9_007_199_254_740_991;

impl DialogCursor {
    pub fn of(d: &Dialog) -> Self {
        Self {
            wait: d.waiting_since.map_or(NOT_WAITING, |t| t.0),
            due: d.sla.reply_due.map_or(NOT_WAITING, |t| t.0),
            updated_at: d.updated_at,
            id: d.id,
        }
    }

    /// The cursor after `d` in a list sorted by `sort`.
    pub fn sorted(d: &Dialog, sort: DialogSort) -> Self {
        let c = Self::of(d);
        match sort {
            DialogSort::Tone => Self { due: i64::from(d.tone), ..c },
            _ => c,
        }
    }
}

/// Whose dialogs a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssigneeFilter {
    #[default]
    Any,
    Unassigned,
    Operator(OperatorId),
    OperatorOrUnassigned(OperatorId),
}

/// The order of the dialog list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DialogSort {
    /// The longest-waiting visitor first; then dialogs nobody waits on, newest activity first.
    #[default]
    Waiting,
    /// Newest activity first.
    Activity,
    /// The earliest SLA reply due first (the most overdue); then the waiting order.
    Due,
    /// The most upset visitors first (the dialog's tone, 3 to 0); then the waiting order.
    Tone,
}

/// Which dialogs a list shows; every field narrows it, and they combine.
#[derive(Debug, Clone, Default)]
pub struct DialogFilter {
    pub status: Option<DialogStatus>,
    /// Only the dialogs of this operator's channels (`None`: all channels).
    pub visible_to: Option<OperatorId>,
    pub assignee: AssigneeFilter,
    /// Only dialogs whose last message is the visitor's.
    pub unanswered: bool,
    pub channel: Option<ChannelId>,
    /// Only dialogs with this tag.
    pub tag: Option<TagId>,
    /// `Some(false)`: leave snoozed dialogs out; `Some(true)`: only them.
    pub snoozed: Option<bool>,
    /// Only dialogs of visitors in this segment (its id), as of this time.
    pub segment: Option<(uuid::Uuid, Timestamp)>,
    /// Only dialogs whose custom field `key` holds this text (a choice, a text as kept) or
    /// number (a number field).
    pub field: Option<(String, frontline_domain::leads::Value)>,
    pub sort: DialogSort,
}

/// A line to append in the same transaction as a change of its dialog (an assignment, a
/// snooze, a reopening): a system line, or the greeting in the operator's name.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub message: NewMessage,
    pub author_name: Option<String>,
    /// What it starts, for a line in the operator's name (the greeting).
    pub timers: MessageTimers,
}

impl NewLine {
    /// A system line for the timeline, saying what happened.
    pub fn system(event: SystemEvent, now: Timestamp) -> Self {
        let id = MessageId::new();
        NewLine {
            message: NewMessage {
                id,
                client_id: ClientId::from_stored(format!("system-{id}")),
                author_kind: AuthorKind::System,
                author_id: uuid::Uuid::nil(),
                body: MessageBody::from_stored(String::new()),
                created_at: now,
                audience: event.audience(),
                event: Some(event),
                attachments: Vec::new(),
                mentions: Vec::new(),
                automatic: None,
            },
            author_name: None,
            timers: Default::default(),
        }
    }
}

/// A dialog after a change, with the lines written with it.
#[derive(Debug, Clone)]
pub struct Changed {
    pub dialog: Dialog,
    pub lines: Vec<Message>,
}

/// What an assignment change checks about the operator who receives the dialog.
#[derive(Debug, Clone, Copy, Default)]
pub struct Checks {
    /// Refuse when he is at capacity.
    pub capacity: bool,
    pub presence: PresenceCheck,
    /// Refuse unless he is a member of the dialog's (new) channel.
    pub member: bool,
}

/// Which presence the receiving operator must have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PresenceCheck {
    /// Any (he takes it himself: accept, reply).
    #[default]
    Any,
    /// Not offline (assigned by a supervisor).
    NotOffline,
    /// Online (auto-assign, transfer).
    Online,
}

/// One atomic change of who handles a dialog and where it is.
#[derive(Debug, Clone)]
pub struct Reassign {
    pub workspace_id: WorkspaceId,
    pub dialog: DialogId,
    /// The assignee the caller saw: when it is no longer so, nothing changes and the answer
    /// is [`Refusal::AssigneeChanged`] (compare-and-set; this is what makes accept atomic).
    pub expect: Option<OperatorId>,
    /// The new assignee; `None` puts the dialog in its (new) channel's queue.
    pub to: Option<OperatorId>,
    /// Moves the dialog to this channel; refused with [`Refusal::ChannelUnavailable`] when
    /// none of its members is online.
    pub to_channel: Option<ChannelId>,
    pub checks: Checks,
    /// Appended in order when the change is made; a greeting
    /// (`automatic == Some(Automatic::Greeting)`) only when the dialog has had neither a
    /// greeting nor an operator's reply.
    pub lines: Vec<NewLine>,
    pub now: Timestamp,
    /// Who made the change (the events' actor).
    pub actor: frontline_domain::Actor,
}

/// What an assignment change did.
#[derive(Debug, Clone)]
pub struct Reassigned {
    pub before: Dialog,
    pub dialog: Dialog,
    pub messages: Vec<Message>,
}

/// Why an assignment change was not made (nothing was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Someone else changed the assignee first; `now` is who has it.
    AssigneeChanged {
        now: Option<OperatorId>,
    },
    CapacityReached {
        capacity: u32,
    },
    /// The receiving operator is offline (or not online, when that was asked).
    OperatorUnavailable,
    NotChannelMember,
    /// No member of the target channel is online.
    ChannelUnavailable,
}

/// A routing rule as stored: its place is its index in the workspace's list.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRule {
    pub id: uuid::Uuid,
    pub name: String,
    pub channel: ChannelId,
    /// The conditions as JSON text (parsed by core into domain conditions).
    pub conditions: String,
}

/// Which dictionary: tags or categories (the same shape, two tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dictionary {
    Tags,
    Categories,
}

/// An entry of a dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: uuid::Uuid,
    pub name: String,
    pub archived: bool,
}

/// An uploaded file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub file: Attachment,
    pub workspace_id: WorkspaceId,
    /// `visitor` or `operator`, and who.
    pub uploader_kind: String,
    pub uploader_id: uuid::Uuid,
    pub created_at: Timestamp,
    /// Set when a message took it.
    pub dialog_id: Option<DialogId>,
    pub message_id: Option<uuid::Uuid>,
}

/// A page the visitor opened the widget on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageView {
    pub url: String,
    pub title: Option<String>,
    pub at: Timestamp,
}

/// One search result: a dialog and, when a message matched, which one.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRow {
    pub dialog: Dialog,
    pub message: Option<MessageHit>,
}

/// The message a search matched, with the matched words marked by `[` and `]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageHit {
    pub seq: i64,
    pub snippet: String,
    pub created_at: Timestamp,
    pub audience: String,
}

/// Uploads a message may take: ids the uploader sent and nobody used yet.
pub type UploadIds<'a> = &'a [AttachmentId];

/// What an operator sets for himself: the console's language (`ru`, `en`; `None`: his
/// browser's) and the saved replies pinned to Ctrl+1..9 (always nine places).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OperatorSettings {
    pub language: Option<String>,
    pub shortcuts: [Option<uuid::Uuid>; 9],
    /// Mail him, when he is offline or away, about dialogs given to him and notes that
    /// mention him.
    pub notify_by_mail: bool,
}
