//! Storage traits of Frontline, grouped by aggregate, and the contract both backends obey.
//!
//! Every method is atomic: a use case never holds a transaction across calls, so no
//! transaction escapes the store. Times are UTC milliseconds and ids UUIDv7 in both
//! backends. Implementations: `frontline-store-sqlite` (default) and
//! `frontline-store-postgres`, chosen at runtime by the database URL.

pub mod automation;
pub mod backend;
pub mod conversation;
mod error;
pub mod events;
pub mod fields;
pub mod forms;
pub mod invitations;
pub mod leads;
pub mod mail;
pub mod migrations;
pub mod moderation;
pub mod records;
pub mod search;
pub mod segments;
pub mod sql;
pub mod supervision;
pub mod telegram;
mod types;

#[cfg(feature = "contract")]
pub mod contract;
#[cfg(feature = "contract")]
mod contract_events;
#[cfg(feature = "contract")]
mod contract_leads;
#[cfg(feature = "contract")]
mod contract_mail;
#[cfg(feature = "contract")]
mod contract_supervision;
#[cfg(feature = "contract")]
mod contract_telegram;

pub use error::{StoreError, StoreResult, sqlstate_is_unavailable};
pub use migrations::Migration;
pub use types::*;

#[doc(hidden)]
pub use ::async_trait::async_trait;
#[doc(hidden)]
pub use frontline_domain as __domain;
#[doc(hidden)]
pub use uuid as __uuid;

use frontline_domain::{
    Actor, AttachmentId, Candidate, Capacity, CategoryId, Channel, ChannelId, ChannelSettings, CloseReason,
    ContactSource, Dialog, DialogId, Email, Message, Operator, OperatorId, Origin, Phone, Presence, Rating,
    RoutingContext, SavedReply, SavedReplyId, Site, SiteId, SiteKey, TagId, Timestamp, Visitor, VisitorId, VisitorName,
    Workspace, WorkspaceId, WorkspaceSlug,
};
use std::collections::HashMap;

/// Workspaces, operators and their login sessions.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates a workspace with its default channel, atomically.
    async fn create_workspace(&self, workspace: &Workspace, default_channel: &Channel) -> StoreResult<()>;
    async fn workspace(&self, id: WorkspaceId) -> StoreResult<Workspace>;
    async fn workspace_by_slug(&self, slug: &WorkspaceSlug) -> StoreResult<Workspace>;
    async fn list_workspaces(&self) -> StoreResult<Vec<Workspace>>;

    /// `Conflict` when the e-mail is already used in this workspace.
    async fn create_operator(&self, operator: &Operator) -> StoreResult<()>;
    async fn operator(&self, workspace: WorkspaceId, id: OperatorId) -> StoreResult<Operator>;
    /// Every operator with this e-mail, across workspaces (for login).
    async fn operators_by_email(&self, email: &Email) -> StoreResult<Vec<Operator>>;
    async fn list_operators(&self, workspace: WorkspaceId) -> StoreResult<Vec<Operator>>;

    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;
    /// The operator of a live session; `NotFound` when unknown, expired at `now`, unused since
    /// `idle_after` or less, or the operator is deactivated.
    async fn session_operator(&self, token_hash: &[u8], now: Timestamp, idle_after: Timestamp)
    -> StoreResult<Operator>;
    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()>;
    /// Marks the session used at `now` (it keeps it from the idle limit).
    async fn touch_session(&self, token_hash: &[u8], now: Timestamp) -> StoreResult<()>;
    /// An operator's live sessions, most recently used first.
    async fn operator_sessions(
        &self,
        workspace: WorkspaceId,
        operator: OperatorId,
        now: Timestamp,
        idle_after: Timestamp,
    ) -> StoreResult<Vec<SessionRow>>;
    /// Ends one session of the operator (`false`: none such).
    async fn delete_session_of(
        &self,
        workspace: WorkspaceId,
        operator: OperatorId,
        token_hash: &[u8],
    ) -> StoreResult<bool>;
    /// Ends every session of the operator; how many there were.
    async fn delete_operator_sessions(&self, workspace: WorkspaceId, operator: OperatorId) -> StoreResult<u64>;
    /// Deletes sessions expired at `now` or unused since `idle_after`; how many.
    async fn purge_sessions(&self, now: Timestamp, idle_after: Timestamp) -> StoreResult<u64>;
    /// Changes an operator (`NotFound` when not the workspace's).
    async fn change_operator(
        &self,
        workspace: WorkspaceId,
        id: OperatorId,
        change: &OperatorChange,
        actor: Actor,
        now: Timestamp,
    ) -> StoreResult<Operator>;
    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// A workspace's audit log, newest first, strictly before `(at, id)`.
    async fn audit_log(
        &self,
        workspace: WorkspaceId,
        before: Option<(Timestamp, uuid::Uuid)>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>>;
}

/// Channels, sites and channel membership.
#[async_trait]
pub trait ChannelStore: Send + Sync {
    async fn list_channels(&self, workspace: WorkspaceId) -> StoreResult<Vec<Channel>>;
    async fn default_channel(&self, workspace: WorkspaceId) -> StoreResult<Channel>;
    async fn add_channel_member(
        &self,
        workspace: WorkspaceId,
        channel: ChannelId,
        operator: OperatorId,
    ) -> StoreResult<()>;
    async fn channel_members(&self, workspace: WorkspaceId, channel: ChannelId) -> StoreResult<Vec<OperatorId>>;
    /// The channels an operator is a member of.
    async fn operator_channels(&self, workspace: WorkspaceId, operator: OperatorId) -> StoreResult<Vec<ChannelId>>;
    /// `Conflict` when the workspace has a channel of this name.
    async fn create_channel(&self, channel: &Channel) -> StoreResult<()>;
    async fn channel(&self, workspace: WorkspaceId, id: ChannelId) -> StoreResult<Channel>;
    /// `Conflict` when the name is taken, `NotFound` when the channel is not in the workspace.
    async fn rename_channel(&self, workspace: WorkspaceId, id: ChannelId, name: &str) -> StoreResult<Channel>;
    /// Replaces the members, atomically. `NotFound` (and nothing changed) when the channel or
    /// one of the operators is not in the workspace.
    async fn set_channel_members(
        &self,
        workspace: WorkspaceId,
        channel: ChannelId,
        operators: &[OperatorId],
        actor: Actor,
        now: Timestamp,
    ) -> StoreResult<()>;

    /// `Conflict` when the key is taken.
    async fn create_site(&self, site: &Site) -> StoreResult<()>;
    async fn site_by_key(&self, key: &SiteKey) -> StoreResult<Site>;
    async fn list_sites(&self, workspace: WorkspaceId) -> StoreResult<Vec<Site>>;
    /// Replaces a site's allowed origins; `NotFound` for a site of another workspace.
    async fn set_site_origins(&self, workspace: WorkspaceId, id: SiteId, origins: &[Origin]) -> StoreResult<Site>;
    /// The site's widget opened a session on a page of `origin` at `at`.
    async fn mark_site_seen(&self, id: SiteId, at: Timestamp, origin: &str) -> StoreResult<()>;
    /// When and on which origin each site of the workspace last had its widget open a session
    /// (sites never seen are left out).
    async fn sites_seen(&self, workspace: WorkspaceId) -> StoreResult<Vec<(SiteId, Timestamp, String)>>;

    /// An operator's own settings.
    async fn operator_settings(&self, workspace: WorkspaceId, id: OperatorId) -> StoreResult<OperatorSettings>;
    async fn set_operator_settings(
        &self,
        workspace: WorkspaceId,
        id: OperatorId,
        settings: &OperatorSettings,
    ) -> StoreResult<()>;
}

/// Visitors and their widget tokens.
#[async_trait]
pub trait VisitorStore: Send + Sync {
    /// Creates a visitor with the next per-workspace number.
    async fn create_visitor(&self, visitor: &NewVisitor) -> StoreResult<Visitor>;
    async fn visitor(&self, workspace: WorkspaceId, id: VisitorId) -> StoreResult<Visitor>;
    async fn visitor_by_token(&self, token_hash: &[u8]) -> StoreResult<Visitor>;
    /// The contact `source` knows as `external_id`, made if there is none yet (a name and an
    /// address given here are kept only when he is made). Two calls at once give one contact.
    async fn upsert_contact(&self, contact: &NewContact) -> StoreResult<Visitor>;
    /// The contact `source` knows as `external_id`.
    async fn contact(&self, workspace: WorkspaceId, source: ContactSource, external_id: &str) -> StoreResult<Visitor>;
    async fn set_visitor_name(&self, workspace: WorkspaceId, id: VisitorId, name: &VisitorName)
    -> StoreResult<Visitor>;
    /// Several visitors at once (those not found are left out).
    async fn visitors(&self, workspace: WorkspaceId, ids: &[VisitorId]) -> StoreResult<Vec<Visitor>>;
    /// Where he is and what the site says about him (routes his next new dialog).
    async fn set_visitor_context(
        &self,
        workspace: WorkspaceId,
        id: VisitorId,
        context: &RoutingContext,
    ) -> StoreResult<Visitor>;
}

/// Dialogs and their messages.
#[async_trait]
pub trait DialogStore: Send + Sync {
    /// Appends a message, creating the visitor's dialog when he has no open one. Durable
    /// when it returns. A repeated `(author, client_id)` returns the stored message with
    /// `duplicate: true` and changes nothing.
    async fn post_message(&self, post: PostMessage) -> StoreResult<Posted>;
    async fn dialog(&self, workspace: WorkspaceId, id: DialogId) -> StoreResult<Dialog>;
    /// A page of the dialogs the filter selects, in its order, keyset-paginated.
    async fn list_dialogs(
        &self,
        workspace: WorkspaceId,
        filter: &DialogFilter,
        page: DialogPage,
    ) -> StoreResult<Vec<Dialog>>;
    /// How many dialogs the filter selects.
    async fn count_dialogs(&self, workspace: WorkspaceId, filter: &DialogFilter) -> StoreResult<i64>;
    /// The visitor's most recent dialog, open or closed.
    async fn latest_dialog_of_visitor(&self, workspace: WorkspaceId, visitor: VisitorId)
    -> StoreResult<Option<Dialog>>;
    /// Messages with `seq > after_seq` in order, at most `limit`. `for_visitor` leaves out
    /// the lines only operators read.
    async fn messages(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        after_seq: i64,
        limit: u32,
        for_visitor: bool,
    ) -> StoreResult<Vec<Message>>;
    /// Operators have read up to `seq`; the unread count is what remains after it.
    async fn mark_read(&self, workspace: WorkspaceId, dialog: DialogId, seq: i64) -> StoreResult<Dialog>;
    /// Closes an open dialog. `changed` is false when it was closed already.
    async fn close_dialog(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        now: Timestamp,
        actor: Actor,
    ) -> StoreResult<(Dialog, bool)>;
}

/// Queues, assignment, presence, waiting alerts and routing rules.
#[async_trait]
pub trait QueueStore: Send + Sync {
    /// Changes who handles a dialog and where it is, appending `lines`, in one transaction
    /// (see [`Reassign`]). `Refused` says which rule stopped it; nothing was written then.
    async fn reassign(&self, change: &Reassign) -> StoreResult<Reassigned>;
    async fn update_channel_settings(
        &self,
        workspace: WorkspaceId,
        id: ChannelId,
        settings: &ChannelSettings,
    ) -> StoreResult<Channel>;
    async fn set_capacity(
        &self,
        workspace: WorkspaceId,
        id: OperatorId,
        capacity: Capacity,
        actor: Actor,
        now: Timestamp,
    ) -> StoreResult<Operator>;
    /// Sets his presence; answers with the operator after and his presence before.
    async fn set_presence(
        &self,
        workspace: WorkspaceId,
        id: OperatorId,
        presence: Presence,
        now: Timestamp,
    ) -> StoreResult<(Operator, Presence)>;
    /// A heartbeat of operators with a live socket on this node.
    async fn touch_operators(&self, ids: &[OperatorId], now: Timestamp) -> StoreResult<()>;
    /// Sets offline everyone whose last heartbeat is before `seen_before`, and returns them.
    async fn expire_presence(&self, seen_before: Timestamp) -> StoreResult<Vec<Operator>>;
    /// Open dialogs assigned to each operator of the workspace (absent: none).
    async fn active_counts(&self, workspace: WorkspaceId) -> StoreResult<HashMap<OperatorId, u32>>;
    /// Online members of each channel of the workspace (absent: none).
    async fn online_counts(&self, workspace: WorkspaceId) -> StoreResult<HashMap<ChannelId, u32>>;
    /// The online members of a channel as auto-assign sees them.
    async fn candidates(&self, workspace: WorkspaceId, channel: ChannelId) -> StoreResult<Vec<Candidate>>;
    /// Open unassigned dialogs of a channel, longest in the queue first.
    async fn queued_dialogs(&self, workspace: WorkspaceId, channel: ChannelId, limit: u32) -> StoreResult<Vec<Dialog>>;
    /// Every auto-assign channel (of every workspace) with someone in its queue.
    async fn auto_queues(&self) -> StoreResult<Vec<(WorkspaceId, ChannelId)>>;
    /// An operator's open dialogs.
    async fn open_dialogs_of(&self, workspace: WorkspaceId, operator: OperatorId) -> StoreResult<Vec<Dialog>>;
    /// The workspace's routing rules in order.
    async fn routing_rules(&self, workspace: WorkspaceId) -> StoreResult<Vec<StoredRule>>;
    /// Replaces the rules, all or nothing (`NotFound` when a channel is not the workspace's).
    async fn replace_routing_rules(&self, workspace: WorkspaceId, rules: &[StoredRule]) -> StoreResult<()>;
}

/// Labels: the tag and category dictionaries, and a dialog's tags and category.
#[async_trait]
pub trait LabelStore: Send + Sync {
    async fn dictionary(&self, workspace: WorkspaceId, d: Dictionary, archived: bool) -> StoreResult<Vec<Entry>>;
    async fn dictionary_entry(&self, workspace: WorkspaceId, d: Dictionary, id: uuid::Uuid) -> StoreResult<Entry>;
    /// `Conflict` when the name is taken.
    async fn create_entry(
        &self,
        workspace: WorkspaceId,
        d: Dictionary,
        id: uuid::Uuid,
        name: &str,
        now: Timestamp,
    ) -> StoreResult<Entry>;
    /// Renames and/or archives (or restores); `Conflict` when the name is taken.
    async fn update_entry(
        &self,
        workspace: WorkspaceId,
        d: Dictionary,
        id: uuid::Uuid,
        name: Option<&str>,
        archived: Option<bool>,
    ) -> StoreResult<Entry>;
    /// Replaces the dialog's tags, atomically.
    async fn set_dialog_tags(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        tags: &[TagId],
        now: Timestamp,
        actor: Actor,
    ) -> StoreResult<Dialog>;
    async fn set_dialog_category(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        category: Option<CategoryId>,
        now: Timestamp,
        actor: Actor,
    ) -> StoreResult<Dialog>;
}

/// A dialog's course after it opened: snooze, close, reopen, rating, the visitor's read mark;
/// and its messages looked up.
#[async_trait]
pub trait LifecycleStore: Send + Sync {
    /// Snoozes until a time, or wakes (`None`), with `lines` saying so in the same
    /// transaction; `DialogClosed` when it is not open.
    async fn set_snooze(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        until: Option<Timestamp>,
        now: Timestamp,
        actor: Actor,
        lines: &[NewLine],
    ) -> StoreResult<Changed>;
    /// Closes an open dialog for a reason; `changed` is false when it was closed already.
    async fn close_with_reason(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        reason: CloseReason,
        now: Timestamp,
        actor: Actor,
    ) -> StoreResult<(Dialog, bool)>;
    /// Opens a closed dialog again (`None`: it was open), its resolution target starting anew at
    /// `resolution_due`, with `lines` in the same transaction. `Conflict` when the visitor has
    /// another open dialog.
    async fn reopen_dialog(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        now: Timestamp,
        resolution_due: Option<Timestamp>,
        actor: Actor,
        lines: &[NewLine],
    ) -> StoreResult<Option<Changed>>;
    /// Stores the rating of a dialog an operator closed; `None` when it was not asked for or
    /// was given already.
    async fn rate_dialog(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        rating: &Rating,
    ) -> StoreResult<Option<Dialog>>;
    /// The visitor has read up to `seq`; `None` when that changes nothing.
    async fn mark_visitor_read(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        seq: i64,
    ) -> StoreResult<Option<Dialog>>;

    /// One message by id (`NotFound` when it is not the workspace's).
    async fn message_by_id(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<Message>;
    /// The message an author sent with `client_id`, if any (a retry's first copy).
    async fn message_by_client_id(&self, author: uuid::Uuid, client_id: &str) -> StoreResult<Option<Message>>;
    /// Its author edited a message: the text it had is kept as its next earlier version, the
    /// new one shown with `edited_at`, and `message.edited` written, in one transaction.
    /// Answers the message as it is now; `NotFound` when it is not the workspace's.
    async fn edit_message(
        &self,
        workspace: WorkspaceId,
        id: frontline_domain::MessageId,
        body: &frontline_domain::MessageBody,
        actor: frontline_domain::event::Actor,
        at: Timestamp,
    ) -> StoreResult<Message>;
    /// A message's earlier texts, oldest first (none: it was never edited).
    async fn message_edits(
        &self,
        workspace: WorkspaceId,
        id: frontline_domain::MessageId,
    ) -> StoreResult<Vec<frontline_domain::MessageEdit>>;
}

/// Saved replies: personal, per channel, per workspace.
#[async_trait]
pub trait SavedReplyStore: Send + Sync {
    async fn saved_replies(&self, workspace: WorkspaceId) -> StoreResult<Vec<SavedReply>>;
    async fn saved_reply(&self, workspace: WorkspaceId, id: SavedReplyId) -> StoreResult<SavedReply>;
    async fn create_saved_reply(&self, reply: &SavedReply) -> StoreResult<()>;
    async fn update_saved_reply(&self, reply: &SavedReply) -> StoreResult<SavedReply>;
    async fn delete_saved_reply(&self, workspace: WorkspaceId, id: SavedReplyId) -> StoreResult<()>;
}

/// The visitor card: his profile, the pages he saw, his dialogs.
#[async_trait]
pub trait ProfileStore: Send + Sync {
    /// Writes the visitor's name and contacts as given (the caller merges).
    async fn update_visitor_profile(
        &self,
        workspace: WorkspaceId,
        id: VisitorId,
        name: Option<&VisitorName>,
        email: Option<&Email>,
        phone: Option<&Phone>,
        by: events::Stamp,
    ) -> StoreResult<Visitor>;
    /// Records a page the widget opened on (the 50 newest are kept) and when he was seen.
    async fn record_page(&self, visitor: VisitorId, page: &PageView) -> StoreResult<()>;
    async fn pages(&self, visitor: VisitorId, limit: u32) -> StoreResult<Vec<PageView>>;
    async fn dialogs_of_visitor(
        &self,
        workspace: WorkspaceId,
        visitor: VisitorId,
        limit: u32,
    ) -> StoreResult<Vec<Dialog>>;
}

/// Uploaded files and the messages that take them.
#[async_trait]
pub trait FileStore: Send + Sync {
    async fn create_file(&self, file: &StoredFile) -> StoreResult<()>;
    async fn file(&self, workspace: WorkspaceId, id: AttachmentId) -> StoreResult<StoredFile>;
    /// Uploads no message took, older than `before` (of every workspace).
    async fn stale_uploads(&self, before: Timestamp, limit: u32) -> StoreResult<Vec<StoredFile>>;
    /// Deletes an upload unless a message took it meanwhile; `true` when it was deleted.
    async fn delete_upload(&self, id: AttachmentId) -> StoreResult<bool>;
}

/// Full-text search; each backend has its own index and syntax.
#[async_trait]
pub trait SearchStore: Send + Sync {
    /// Dialogs whose messages or visitor match, newest first; `visible_to` limits them to an
    /// operator's channels.
    async fn search(
        &self,
        workspace: WorkspaceId,
        query: &frontline_domain::search::SearchQuery,
        visible_to: Option<OperatorId>,
        limit: u32,
    ) -> StoreResult<Vec<SearchRow>>;
}

/// Timers and automation: every claim of what is due (snoozes, waiting alerts, SLA breaches,
/// auto-close), channels' automation documents and proactive triggers.
#[async_trait]
pub trait AutomationStore: Send + Sync {
    /// The channel's automation document as JSON text (`{}`: every default).
    async fn automation(&self, workspace: WorkspaceId, channel: ChannelId) -> StoreResult<String>;
    /// Every channel's document of the workspace.
    async fn automations(&self, workspace: WorkspaceId) -> StoreResult<Vec<(ChannelId, String)>>;
    /// `NotFound` when the channel is not the workspace's. With `stop_auto_close` (the document
    /// switches it off), the channel's open dialogs lose their auto-close timers in the same
    /// transaction.
    async fn set_automation(
        &self,
        workspace: WorkspaceId,
        channel: ChannelId,
        doc: &str,
        stop_auto_close: bool,
    ) -> StoreResult<()>;
    /// Claims the SLA targets due at `now` (of every workspace) and records each breach, at
    /// most `limit`: a target is claimed once, whichever node asks.
    async fn claim_breaches(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Breach>>;
    /// Wakes the snoozes due at `now` (of every workspace), once each, each with its system
    /// line ("woke: due") in the same transaction.
    async fn claim_snoozes(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Changed>>;
    /// Fires the waiting alerts due at `now`: queued dialogs past their channel's limit, once
    /// per stay in the queue.
    async fn claim_wait_alerts(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Dialog>>;
    /// The breaches recorded for a dialog: `(target, due_at)`.
    async fn breaches(&self, workspace: WorkspaceId, dialog: DialogId) -> StoreResult<Vec<(String, Timestamp)>>;
    /// Closes the dialogs whose auto-close is due at `now` (reason `auto`), once each.
    async fn claim_auto_closes(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Dialog>>;
    /// Dialogs whose auto-close prompt is due at `now`.
    async fn due_prompts(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Dialog>>;
    /// A due prompt (of the timer at `at`) that will not be sent: with `close`, the dialog closes
    /// at the next claim instead; without, the timer goes (auto-close was switched off).
    async fn settle_prompt(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        at: Timestamp,
        close: bool,
    ) -> StoreResult<()>;

    async fn triggers(&self, workspace: WorkspaceId) -> StoreResult<Vec<StoredTrigger>>;
    async fn trigger(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<StoredTrigger>;
    async fn create_trigger(&self, trigger: &StoredTrigger) -> StoreResult<()>;
    async fn update_trigger(&self, trigger: &StoredTrigger) -> StoreResult<StoredTrigger>;
    async fn delete_trigger(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<()>;
    /// Records that the visitor sees the trigger now, unless he saw it after `seen_after`;
    /// `false` then (nothing changed).
    async fn show_trigger(
        &self,
        visitor: VisitorId,
        trigger: uuid::Uuid,
        now: Timestamp,
        seen_after: Timestamp,
    ) -> StoreResult<bool>;
    /// When the visitor last saw each trigger.
    async fn trigger_views(&self, visitor: VisitorId) -> StoreResult<HashMap<uuid::Uuid, Timestamp>>;
}

/// The event log: what happened, written with each change, read by the publisher, webhooks
/// and (next) reports.
#[async_trait]
pub trait EventStore: Send + Sync {
    /// The workspace's events after `pos`, in order, at most `limit`.
    async fn events_after(&self, workspace: WorkspaceId, pos: i64, limit: u32)
    -> StoreResult<Vec<events::StoredEvent>>;
    /// Every workspace's events after `pos`, in order, at most `limit` (a node catching up on
    /// what it missed while cut off from the bus).
    async fn events_since(&self, pos: i64, limit: u32) -> StoreResult<Vec<events::StoredEvent>>;
    /// The position of the newest event (0 when there is none).
    async fn latest_event_pos(&self) -> StoreResult<i64>;
    /// A dialog's events in order.
    async fn dialog_events(&self, workspace: WorkspaceId, dialog: DialogId) -> StoreResult<Vec<events::StoredEvent>>;
    async fn event(&self, id: uuid::Uuid) -> StoreResult<events::StoredEvent>;
    /// What a batch of deliveries names, read at once (of any workspace; those not found are
    /// left out): events, messages, dialogs.
    async fn events_by_ids(&self, ids: &[uuid::Uuid]) -> StoreResult<Vec<events::StoredEvent>>;
    async fn messages_by_ids(&self, ids: &[uuid::Uuid]) -> StoreResult<Vec<Message>>;
    async fn dialogs_by_ids(&self, ids: &[DialogId]) -> StoreResult<Vec<Dialog>>;
    /// Deletes events older than `before` that no pending job needs, and finished jobs older
    /// than `before`; at most `limit` of each. Answers how many rows went.
    async fn purge_events(&self, before: Timestamp, limit: u32) -> StoreResult<u64>;
}

/// Webhook endpoints and what they subscribe to.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    async fn webhooks(&self, workspace: WorkspaceId) -> StoreResult<Vec<events::WebhookEndpoint>>;
    /// Whether any workspace has an enabled endpoint (a cheap probe: nothing to deliver else).
    async fn any_enabled_webhook(&self) -> StoreResult<bool>;
    async fn webhook(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<events::WebhookEndpoint>;
    /// Creates an endpoint unless the workspace has `limit` already (`Conflict("limit")`).
    async fn create_webhook(&self, endpoint: &events::WebhookEndpoint, limit: u32) -> StoreResult<()>;
    /// Writes every field of the endpoint and its subscriptions (`NotFound`: not the workspace's).
    async fn update_webhook(&self, endpoint: &events::WebhookEndpoint) -> StoreResult<()>;
    /// Deletes the endpoint with its jobs and their attempts.
    async fn delete_webhook(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<()>;
}

/// The outbox: outbound work written with the change that caused it, claimed, reported and
/// replayed.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` due jobs for `lease_until` under the claim `claim`: a job is held by
    /// one claim at a time, whichever node asks, and only the oldest pending job of a target and
    /// order key (a dialog) is claimable.
    async fn claim_jobs(
        &self,
        now: Timestamp,
        claim: uuid::Uuid,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<events::OutboxJob>>;
    /// Fixes the body a claimed job sends (kept only when it had none).
    async fn set_job_body(&self, pos: i64, claim: uuid::Uuid, body: &str) -> StoreResult<()> {
        self.set_job_bodies(claim, &[(pos, body.to_owned())]).await
    }
    /// The same for several jobs of one claim, in one transaction.
    async fn set_job_bodies(&self, claim: uuid::Uuid, bodies: &[(i64, String)]) -> StoreResult<()>;
    /// Records an attempt of a claimed job and what becomes of it. For a webhook the endpoint's
    /// failing streak is kept; one failing since before `disable_before` is switched off with its
    /// pending jobs.
    async fn report_job(
        &self,
        job: &events::OutboxJob,
        claim: uuid::Uuid,
        attempt: &events::JobAttempt,
        next: events::JobNext,
        disable_before: Timestamp,
    ) -> StoreResult<events::JobReport> {
        let mut out = self.report_jobs(claim, &[(job.clone(), None, attempt.clone(), next)], disable_before).await?;
        out.pop().ok_or_else(|| StoreError::Internal("no report".into()))
    }
    /// The same for several jobs of one claim, in one transaction; one report per job, in order.
    /// A job's body given here is kept first (a first attempt's, when it had none).
    async fn report_jobs(
        &self,
        claim: uuid::Uuid,
        reports: &[(events::OutboxJob, Option<String>, events::JobAttempt, events::JobNext)],
        disable_before: Timestamp,
    ) -> StoreResult<Vec<events::JobReport>>;
    /// A test delivery to one endpoint with its body, due now.
    async fn enqueue_test_job(
        &self,
        workspace: WorkspaceId,
        endpoint: uuid::Uuid,
        event_id: uuid::Uuid,
        body: &str,
        now: Timestamp,
    ) -> StoreResult<events::OutboxJob>;
    /// Delivers an attempted job again (a new generation, same event and body), due now.
    async fn replay_job(&self, workspace: WorkspaceId, pos: i64, now: Timestamp) -> StoreResult<events::OutboxJob>;
    async fn job(&self, workspace: WorkspaceId, pos: i64) -> StoreResult<events::OutboxJob>;
    /// A target's jobs, newest first, before `before_pos`, with each one's latest attempt.
    async fn target_jobs(
        &self,
        workspace: WorkspaceId,
        target: uuid::Uuid,
        before_pos: i64,
        limit: u32,
    ) -> StoreResult<Vec<(events::OutboxJob, Option<events::JobAttempt>)>>;
    async fn job_attempts(&self, pos: i64) -> StoreResult<Vec<events::JobAttempt>>;
}

/// A workspace's mail setup (see [`mail`]).
#[async_trait]
pub trait MailStore: Send + Sync {
    async fn mail_settings(&self, workspace: WorkspaceId) -> StoreResult<Option<mail::StoredMail>>;
    /// Writes the setup whole (made when new); `NotFound` for a channel not in the install.
    async fn save_mail_settings(&self, settings: &mail::StoredMail) -> StoreResult<()>;
    /// Every enabled setup of the install (the readers' work).
    async fn enabled_mail_settings(&self) -> StoreResult<Vec<mail::StoredMail>>;
    /// Where reading stands now (never backwards within one UIDVALIDITY).
    async fn save_mail_position(&self, workspace: WorkspaceId, uid_validity: i64, last_uid: i64) -> StoreResult<()>;
    /// Where a new setup starts reading, if no reader has started it yet (`false`: one has, and
    /// its position stands; a second start would skip the mail that came in between).
    async fn start_mail_position(&self, workspace: WorkspaceId, uid_validity: i64, last_uid: i64) -> StoreResult<bool>;
    /// Records a mail's Message-ID in a dialog's thread (a second record of one is ignored).
    async fn add_mail_thread(
        &self,
        workspace: WorkspaceId,
        dialog: frontline_domain::DialogId,
        mail_id: &str,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// A dialog's Message-IDs, oldest first.
    async fn mail_thread(&self, workspace: WorkspaceId, dialog: frontline_domain::DialogId)
    -> StoreResult<Vec<String>>;
    /// The dialog one of these Message-IDs belongs to, if any.
    async fn dialog_of_mail(
        &self,
        workspace: WorkspaceId,
        mail_ids: &[String],
    ) -> StoreResult<Option<frontline_domain::DialogId>>;
    /// Up to which message of a dialog follow-up mail went (its `seq`), if any did.
    async fn mail_followup_covered(
        &self,
        workspace: WorkspaceId,
        dialog: frontline_domain::DialogId,
    ) -> StoreResult<Option<i64>>;
    /// Records a follow-up mail that covered the dialog's messages up to `covered_seq`.
    async fn save_mail_followup(
        &self,
        workspace: WorkspaceId,
        dialog: frontline_domain::DialogId,
        covered_seq: i64,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// Keeps a person's mail as it came (a second one for the message is ignored).
    async fn save_mail_original(&self, original: &mail::MailOriginal) -> StoreResult<()>;
    /// The mail a message was made of.
    async fn mail_original(
        &self,
        workspace: WorkspaceId,
        message: frontline_domain::MessageId,
    ) -> StoreResult<Option<mail::MailOriginal>>;
    /// Takes (or keeps) the reading of a workspace's mailbox for `node` until `until`; `false`
    /// while another node's lease runs.
    async fn claim_mail_reader(
        &self,
        workspace: WorkspaceId,
        node: uuid::Uuid,
        until: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Lets go of every mailbox a stopping node reads.
    async fn release_mail_readers(&self, node: uuid::Uuid) -> StoreResult<()>;
    /// How far a workspace's log has been looked through for operator notices.
    async fn notice_cursor(&self, workspace: WorkspaceId) -> StoreResult<Option<i64>>;
    /// Moves it from `from` (`None`: not there yet) to `to`; `false` when another node moved it.
    async fn move_notice_cursor(&self, workspace: WorkspaceId, from: Option<i64>, to: i64) -> StoreResult<bool>;
    /// Records notices (one of an operator and event twice is kept once).
    async fn add_operator_notices(&self, notices: &[mail::OperatorNotice]) -> StoreResult<()>;
    /// Operators with an unsent, unclaimed notice from `before` or earlier.
    async fn due_notice_operators(
        &self,
        before: Timestamp,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<(WorkspaceId, frontline_domain::OperatorId)>>;
    /// Claims an operator's unsent notices until `until` (which names the claim), oldest first.
    async fn claim_operator_notices(
        &self,
        operator: frontline_domain::OperatorId,
        now: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<mail::OperatorNotice>>;
    /// Marks the notices of the claim `claimed_until` sent.
    async fn finish_operator_notices(
        &self,
        operator: frontline_domain::OperatorId,
        claimed_until: Timestamp,
        sent_at: Timestamp,
    ) -> StoreResult<()>;
}

/// Escalation forms, the forms sent into dialogs, and tickets (see [`forms`]).
#[async_trait]
pub trait FormStore: Send + Sync {
    /// Writes a form whole (made when new; another workspace's id changes nothing).
    async fn save_form(&self, form: &forms::StoredForm) -> StoreResult<()>;
    async fn forms(&self, workspace: WorkspaceId) -> StoreResult<Vec<forms::StoredForm>>;
    async fn form(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<forms::StoredForm>;
    /// Records a form sent into an open dialog with its line (`DialogClosed`, `NotFound`).
    async fn send_form(&self, request: &forms::FormRequest, line: &NewLine, actor: Actor) -> StoreResult<Changed>;
    async fn form_request(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<forms::FormRequest>;
    /// Takes a form's answers once (`Conflict("form request")` the second time) and makes the
    /// pair of tickets, numbered and linked, with the line telling the visitor (`line` words
    /// it from the tickets made), in one transaction.
    #[allow(clippy::too_many_arguments)]
    async fn submit_form(
        &self,
        workspace: WorkspaceId,
        id: uuid::Uuid,
        answers: &str,
        department: &forms::NewTicket,
        client: &forms::NewTicket,
        line: &(dyn for<'t> Fn(&'t [forms::Ticket]) -> NewLine + Send + Sync),
        actor: Actor,
        now: Timestamp,
    ) -> StoreResult<(Changed, Vec<forms::Ticket>)>;
    async fn tickets(&self, workspace: WorkspaceId, filter: &forms::TicketFilter) -> StoreResult<Vec<forms::Ticket>>;
    async fn ticket(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<forms::Ticket>;
    /// Sets a ticket's status, with what came by mail and a line for its dialog (written only
    /// while the dialog is open), and its `ticket.updated` event.
    #[allow(clippy::too_many_arguments)]
    async fn update_ticket(
        &self,
        workspace: WorkspaceId,
        id: uuid::Uuid,
        status: &str,
        entry: Option<&forms::TicketEntry>,
        line: Option<&NewLine>,
        actor: Actor,
        now: Timestamp,
    ) -> StoreResult<(forms::Ticket, Option<Changed>)>;
    async fn add_ticket_entry(&self, entry: &forms::TicketEntry) -> StoreResult<()>;
    async fn ticket_entries(&self, workspace: WorkspaceId, ticket: uuid::Uuid) -> StoreResult<Vec<forms::TicketEntry>>;
}

/// Telegram bots, their updates and chats (see [`telegram`]).
#[async_trait]
pub trait TelegramStore: Send + Sync {
    /// `Conflict("telegram bot")` when this bot is connected already (in any workspace).
    async fn create_bot(&self, bot: &telegram::TelegramBot) -> StoreResult<()>;
    async fn telegram_bots(&self, workspace: WorkspaceId) -> StoreResult<Vec<telegram::TelegramBot>>;
    /// Every enabled bot of the install (the pollers' and the timers' work).
    async fn enabled_telegram_bots(&self) -> StoreResult<Vec<telegram::TelegramBot>>;
    /// A bot of any workspace (its webhook names it by id).
    async fn telegram_bot(&self, id: uuid::Uuid) -> StoreResult<telegram::TelegramBot>;
    /// Writes its names, channel, settings, webhook secret and switch; `NotFound` when it is not
    /// the workspace's.
    async fn update_telegram_bot(&self, bot: &telegram::TelegramBot) -> StoreResult<()>;
    async fn delete_telegram_bot(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<()>;
    /// Takes or keeps the right to poll a bot until `until` for `node`: true when this node
    /// polls it now (nobody else does, or the other's lease ran out).
    async fn claim_telegram_poll(
        &self,
        bot: uuid::Uuid,
        node: uuid::Uuid,
        until: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// The same lease for a bot served by webhook: the right to handle its recorded updates
    /// (several nodes may receive its posts); true when this node handles them now.
    async fn claim_telegram_handling(
        &self,
        bot: uuid::Uuid,
        node: uuid::Uuid,
        until: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Lets go of a bot this node polls (it stops): another node, or this one started again,
    /// takes it at once instead of after the lease.
    async fn release_telegram_poll(&self, bot: uuid::Uuid, node: uuid::Uuid) -> StoreResult<()>;
    /// Records updates `(update_id, body)` (those seen before are left alone) and moves the
    /// poll offset forward to `next_offset`, in one transaction; answers how many were new.
    async fn record_telegram_updates(
        &self,
        bot: uuid::Uuid,
        updates: &[(i64, String)],
        next_offset: Option<i64>,
        now: Timestamp,
    ) -> StoreResult<u64>;
    /// Recorded updates not yet handled, oldest first.
    async fn pending_telegram_updates(&self, bot: uuid::Uuid, limit: u32)
    -> StoreResult<Vec<telegram::TelegramUpdate>>;
    /// Marks updates handled, in one transaction.
    async fn mark_telegram_updates(&self, bot: uuid::Uuid, update_ids: &[i64], at: Timestamp) -> StoreResult<()>;
    async fn telegram_chat(&self, bot: uuid::Uuid, chat_id: i64) -> StoreResult<Option<telegram::TelegramChat>>;
    /// Writes a chat whole (made when new).
    async fn save_telegram_chat(&self, chat: &telegram::TelegramChat) -> StoreResult<()>;
    /// A contact's chats with the workspace's bots, the latest first.
    async fn telegram_chats_of_visitor(&self, visitor: VisitorId) -> StoreResult<Vec<telegram::TelegramChat>>;
    /// A bot's chats in its own stage (menu, question) idle since before `before`.
    async fn idle_telegram_chats(
        &self,
        bot: uuid::Uuid,
        before: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<telegram::TelegramChat>>;
}

/// The quality guard and the reports' rollups (see [`supervision`]).
#[async_trait]
pub trait SupervisionStore: Send + Sync {
    /// The guard's document as saved (`None`: never saved, the defaults hold).
    async fn guard_doc(&self, workspace: WorkspaceId) -> StoreResult<Option<String>>;
    async fn save_guard_doc(&self, workspace: WorkspaceId, doc: &str, at: Timestamp) -> StoreResult<()>;
    async fn record_guard_hits(&self, hits: &[supervision::GuardHit]) -> StoreResult<()>;
    /// Hits in `[from, to)`, oldest first, at most `limit`.
    async fn guard_hits(
        &self,
        workspace: WorkspaceId,
        from: Timestamp,
        to: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<supervision::GuardHit>>;
    /// Whether the dialog's visitor has had the channel's automatic greeting.
    async fn dialog_greeted(&self, workspace: WorkspaceId, dialog: frontline_domain::DialogId) -> StoreResult<bool>;
    async fn report_state(&self, workspace: WorkspaceId) -> StoreResult<Option<supervision::ReportState>>;
    /// Starts the workspace's reports over in `zone`: the cursor back to the log's beginning and
    /// every rollup gone, in one transaction.
    async fn reset_reports(&self, workspace: WorkspaceId, zone: &str, at: Timestamp) -> StoreResult<()>;
    async fn report_dialogs(
        &self,
        workspace: WorkspaceId,
        ids: &[uuid::Uuid],
    ) -> StoreResult<Vec<(uuid::Uuid, frontline_domain::reports::DialogFacts)>>;
    async fn report_operators(
        &self,
        workspace: WorkspaceId,
    ) -> StoreResult<Vec<(uuid::Uuid, frontline_domain::reports::OperatorFacts)>>;
    /// Saves a folded page: false (and nothing written) when the cursor is no longer where the
    /// page began.
    async fn save_report_page(
        &self,
        workspace: WorkspaceId,
        page: &supervision::ReportPage,
        at: Timestamp,
    ) -> StoreResult<bool>;
    /// Per channel with a queue: how many dialogs wait in it (counted up to
    /// [`supervision::BOARD_COUNT_CAP`]) and since when the oldest.
    async fn queue_board(
        &self,
        workspace: WorkspaceId,
    ) -> StoreResult<Vec<(frontline_domain::ChannelId, i64, Timestamp)>>;
    /// Open dialogs with an SLA due time (a reply's or the resolution's) before `before`, the
    /// soonest first.
    async fn sla_at_risk(&self, workspace: WorkspaceId, before: Timestamp, limit: u32) -> StoreResult<Vec<Dialog>>;
    /// Each operator's open dialogs, counted up to [`supervision::BOARD_COUNT_CAP`].
    async fn operator_loads(&self, workspace: WorkspaceId) -> StoreResult<Vec<(frontline_domain::OperatorId, i64)>>;
    /// The figures of days `from_day..=to_day`.
    async fn report_days(
        &self,
        workspace: WorkspaceId,
        from_day: i32,
        to_day: i32,
    ) -> StoreResult<Vec<(frontline_domain::reports::Key, frontline_domain::reports::Figures)>>;
}

/// The Web API's keys and what a site tells about its users (see [`leads`]).
#[async_trait]
pub trait LeadsStore: Send + Sync {
    async fn create_api_key(&self, key: &leads::ApiKey, token_hash: &[u8]) -> StoreResult<()>;
    /// The workspace's keys, revoked ones too, newest first.
    async fn api_keys(&self, workspace: WorkspaceId) -> StoreResult<Vec<leads::ApiKey>>;
    async fn api_key(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<leads::ApiKey>;
    /// The key whose secret hashes to this (revoked or not: the caller decides).
    async fn api_key_by_hash(&self, token_hash: &[u8]) -> StoreResult<leads::ApiKey>;
    /// Revokes a key; a second revocation keeps the first one's time and author.
    async fn revoke_api_key(
        &self,
        workspace: WorkspaceId,
        id: uuid::Uuid,
        by: uuid::Uuid,
        at: Timestamp,
    ) -> StoreResult<leads::ApiKey>;
    /// Marks a key used at `at`, unless it was within [`leads::KEY_TOUCH_MS`].
    async fn touch_api_key(&self, id: uuid::Uuid, at: Timestamp) -> StoreResult<()>;
    /// Replaces a visitor's attributes (checked ones), with the rows segments read, and logs
    /// `visitor.updated`.
    async fn set_visitor_attributes(
        &self,
        workspace: WorkspaceId,
        id: VisitorId,
        attributes: &frontline_domain::leads::Attributes,
        stamp: events::Stamp,
    ) -> StoreResult<Visitor>;
    /// A visitor's tags, sorted.
    async fn visitor_tags(&self, visitor: VisitorId) -> StoreResult<Vec<String>>;
    /// Removes, then adds tags (checked ones) and answers the tags after; logs
    /// `visitor.updated` when anything changed.
    async fn change_visitor_tags(
        &self,
        workspace: WorkspaceId,
        visitor: &Visitor,
        add: &[String],
        remove: &[String],
        stamp: events::Stamp,
    ) -> StoreResult<Vec<String>>;
    /// Keeps events and counts them, in one transaction: per event false (nothing written)
    /// when its `client_id` was kept for this visitor before.
    async fn track_events(&self, events: &[leads::TrackedEvent]) -> StoreResult<Vec<bool>>;
    /// Deletes timeline events that arrived before `before` (their ids are time-ordered), at
    /// most `limit`; the counters stay. Answers how many went.
    async fn purge_visitor_events(&self, before: Timestamp, limit: u32) -> StoreResult<u64>;
    /// A visitor's events, newest first.
    async fn visitor_events(&self, visitor: VisitorId, limit: u32) -> StoreResult<Vec<leads::TrackedEvent>>;
    /// Per event name: how many times, first and last; the latest first.
    async fn event_counts(&self, visitor: VisitorId) -> StoreResult<Vec<leads::EventCount>>;
    /// A site's identity secret (sealed) and whether an identify must carry its hash.
    async fn site_identity(
        &self,
        workspace: WorkspaceId,
        site: frontline_domain::SiteId,
    ) -> StoreResult<leads::SiteIdentity>;
    /// Sets a site's identity secret (`Some`: a new sealed one) and rule (`Some`: the new one).
    async fn set_site_identity(
        &self,
        workspace: WorkspaceId,
        site: frontline_domain::SiteId,
        secret: Option<&str>,
        required: Option<bool>,
    ) -> StoreResult<leads::SiteIdentity>;
    /// Keeps a widget token of an identified visitor's further browser.
    async fn add_visitor_token(
        &self,
        token_hash: &[u8],
        workspace: WorkspaceId,
        visitor: VisitorId,
        site: frontline_domain::SiteId,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// The visitor and site of a token kept by [`LeadsStore::add_visitor_token`].
    async fn visitor_token(&self, token_hash: &[u8])
    -> StoreResult<(WorkspaceId, VisitorId, frontline_domain::SiteId)>;
    /// Gives an anonymous widget visitor the site's user id: false (nothing written) when he
    /// has one already or another visitor of the workspace has this one.
    async fn claim_user_id(&self, workspace: WorkspaceId, visitor: VisitorId, user_id: &str) -> StoreResult<bool>;
    /// Moves the open dialog of `from` (an anonymous widget visitor who signed in as a site's
    /// user already known) to that user's visitor `to`, when `to` has none open: the
    /// conversation goes on in his widget. Logs `visitor.updated` (`dialogs`) for him. `None`:
    /// nothing moved.
    async fn move_open_dialog(
        &self,
        workspace: WorkspaceId,
        from: VisitorId,
        to: &Visitor,
        stamp: events::Stamp,
    ) -> StoreResult<Option<Dialog>>;
}

/// Complaints about visitors and blocks (see [`moderation`]).
#[async_trait]
pub trait ModerationStore: Send + Sync {
    async fn file_complaint(&self, complaint: &moderation::Complaint) -> StoreResult<()>;
    /// Newest first; `status` filters (`open`, `blocked`, `dismissed`).
    async fn complaints(
        &self,
        workspace: WorkspaceId,
        status: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<moderation::Complaint>>;
    async fn complaint(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<moderation::Complaint>;
    /// Decides an open complaint and writes its block with it; `Conflict` when it was decided.
    async fn decide_complaint(
        &self,
        workspace: WorkspaceId,
        id: uuid::Uuid,
        decision: &moderation::Decision,
    ) -> StoreResult<moderation::Complaint>;
    async fn add_block(&self, block: &moderation::Block) -> StoreResult<()>;
    /// The visitor's live block, if any.
    async fn live_block_of(&self, workspace: WorkspaceId, visitor: VisitorId)
    -> StoreResult<Option<moderation::Block>>;
    /// Whether the workspace has any live block of a visitor.
    async fn any_live_visitor_block(&self, workspace: WorkspaceId) -> StoreResult<bool>;
    /// The workspace's live blocks of address ranges.
    async fn live_range_blocks(&self, workspace: WorkspaceId) -> StoreResult<Vec<moderation::Block>>;
    /// Newest first, lifted ones too unless `live_only`.
    async fn blocks(&self, workspace: WorkspaceId, live_only: bool, limit: u32) -> StoreResult<Vec<moderation::Block>>;
    /// Lifts a block; lifting again keeps the first lift.
    async fn lift_block(
        &self,
        workspace: WorkspaceId,
        id: uuid::Uuid,
        by: uuid::Uuid,
        at: Timestamp,
    ) -> StoreResult<moderation::Block>;
}

/// Invitations of operators (see [`invitations`]).
#[async_trait]
pub trait InvitationStore: Send + Sync {
    async fn create_invitation(&self, invitation: &invitations::Invitation, token_hash: &[u8]) -> StoreResult<()>;
    /// Newest first, all states.
    async fn invitations(&self, workspace: WorkspaceId, limit: u32) -> StoreResult<Vec<invitations::Invitation>>;
    async fn invitation_by_hash(&self, token_hash: &[u8]) -> StoreResult<invitations::Invitation>;
    /// Revokes one not accepted (again: the first revocation stays); an accepted one is
    /// answered as it is.
    async fn revoke_invitation(
        &self,
        workspace: WorkspaceId,
        id: uuid::Uuid,
        at: Timestamp,
    ) -> StoreResult<invitations::Invitation>;
    /// Accepts a pending invitation and creates its operator, in one transaction: `NotFound`
    /// when it is not pending (accepted, revoked, expired, unknown), `Conflict` when the
    /// e-mail is taken in the workspace (nothing written).
    async fn accept_invitation(
        &self,
        token_hash: &[u8],
        operator: &Operator,
        now: Timestamp,
    ) -> StoreResult<invitations::Invitation>;
}

/// Custom fields (see [`fields`]).
#[async_trait]
pub trait FieldStore: Send + Sync {
    /// The workspace's fields, archived ones too, by target and position.
    async fn custom_fields(&self, workspace: WorkspaceId) -> StoreResult<Vec<fields::StoredField>>;
    /// `Conflict` when the target has a field of this key.
    async fn create_custom_field(&self, field: &fields::StoredField) -> StoreResult<()>;
    /// Writes the label, options, format, pattern, requirement, position and archiving.
    async fn update_custom_field(&self, field: &fields::StoredField) -> StoreResult<()>;
    /// The dialogs begun in `[from, to)`, oldest first, of one channel if given; at most `limit`.
    async fn dialogs_created(
        &self,
        workspace: WorkspaceId,
        from: Timestamp,
        to: Timestamp,
        channel: Option<ChannelId>,
        limit: u32,
    ) -> StoreResult<Vec<Dialog>>;
    /// Replaces a dialog's values (a JSON object), with `dialog.labels_changed`.
    async fn set_dialog_fields(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        fields: &str,
        now: Timestamp,
        actor: Actor,
    ) -> StoreResult<Dialog>;
}

/// Segments: saved filters over visitors (see [`segments`]).
#[async_trait]
pub trait SegmentStore: Send + Sync {
    /// The workspace's segments by name.
    async fn segments(&self, workspace: WorkspaceId) -> StoreResult<Vec<segments::Segment>>;
    async fn segment(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<segments::Segment>;
    /// `Conflict` when the workspace has a segment of this name.
    async fn create_segment(&self, segment: &segments::Segment) -> StoreResult<()>;
    /// Writes the name, filter and `updated_at`; `Conflict` for a taken name.
    async fn update_segment(&self, segment: &segments::Segment) -> StoreResult<()>;
    async fn delete_segment(&self, workspace: WorkspaceId, id: uuid::Uuid) -> StoreResult<()>;
    /// How many of the workspace's visitors are in a filter now.
    async fn count_segment(
        &self,
        workspace: WorkspaceId,
        filter: &frontline_domain::segments::SegmentFilter,
        now: Timestamp,
    ) -> StoreResult<i64>;
    /// The newest visitors (by number) in a filter now.
    async fn segment_visitors(
        &self,
        workspace: WorkspaceId,
        filter: &frontline_domain::segments::SegmentFilter,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<Visitor>>;
}

/// The install's workspaces as its owner manages them (`frontline workspace …`).
#[async_trait]
pub trait TenancyStore: Send + Sync {
    async fn rename_workspace(&self, id: WorkspaceId, name: &str) -> StoreResult<Workspace>;
    /// Suspends (`Some`) or resumes (`None`) a workspace.
    async fn set_workspace_suspended(&self, id: WorkspaceId, at: Option<Timestamp>) -> StoreResult<()>;
    /// Since when the workspace is suspended, if it is.
    async fn workspace_suspended(&self, id: WorkspaceId) -> StoreResult<Option<Timestamp>>;
}

/// The whole store, as the application holds it.
#[async_trait]
pub trait Store:
    AccountStore
    + ChannelStore
    + VisitorStore
    + DialogStore
    + QueueStore
    + LabelStore
    + LifecycleStore
    + SavedReplyStore
    + ProfileStore
    + FileStore
    + SearchStore
    + AutomationStore
    + EventStore
    + WebhookStore
    + OutboxStore
    + TelegramStore
    + MailStore
    + FormStore
    + SupervisionStore
    + LeadsStore
    + ModerationStore
    + TenancyStore
    + SegmentStore
    + FieldStore
    + InvitationStore
    + Send
    + Sync
    + 'static
{
    /// Answers when the database is reachable (for `/readyz`).
    async fn ping(&self) -> StoreResult<()>;
    /// Which backend this is, for logs and metrics.
    fn backend(&self) -> &'static str;
    /// The migrations applied, as `(version, name)`.
    async fn applied_migrations(&self) -> StoreResult<Vec<(i64, String)>>;
    /// Finishes queued writes and closes connections.
    async fn close(&self);
}
