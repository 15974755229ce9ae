//! Storage traits of Frontline, grouped by aggregate, and the contract both backends obey.
//!
//! Every method is atomic: a use case never holds a transaction across calls, so no
//! transaction escapes the store. Times are UTC milliseconds and ids UUIDv7 in both
//! backends. Implementations: `frontline-store-sqlite` (default) and
//! `frontline-store-postgres`, chosen at runtime by the database URL.

pub mod backend;
mod error;
pub mod migrations;
pub mod records;
pub mod sql;
mod types;

#[cfg(feature = "contract")]
pub mod contract;

pub use error::{StoreError, StoreResult};
pub use migrations::Migration;
pub use types::*;

#[doc(hidden)]
pub use ::async_trait::async_trait;
#[doc(hidden)]
pub use frontline_domain as __domain;
#[doc(hidden)]
pub use uuid as __uuid;

use frontline_domain::{
    Channel, ChannelId, Dialog, DialogId, DialogStatus, Email, Message, Operator, OperatorId, Site, SiteKey, Timestamp,
    Visitor, VisitorId, VisitorName, Workspace, WorkspaceId, WorkspaceSlug,
};

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
    /// The operator of a live session; `NotFound` when unknown or expired at `now`.
    async fn session_operator(&self, token_hash: &[u8], now: Timestamp) -> StoreResult<Operator>;
    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()>;
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
    ) -> StoreResult<()>;

    /// `Conflict` when the key is taken.
    async fn create_site(&self, site: &Site) -> StoreResult<()>;
    async fn site_by_key(&self, key: &SiteKey) -> StoreResult<Site>;
    async fn list_sites(&self, workspace: WorkspaceId) -> StoreResult<Vec<Site>>;
}

/// Visitors and their widget tokens.
#[async_trait]
pub trait VisitorStore: Send + Sync {
    /// Creates a visitor with the next per-workspace number.
    async fn create_visitor(&self, visitor: &NewVisitor) -> StoreResult<Visitor>;
    async fn visitor(&self, workspace: WorkspaceId, id: VisitorId) -> StoreResult<Visitor>;
    async fn visitor_by_token(&self, token_hash: &[u8]) -> StoreResult<Visitor>;
    async fn set_visitor_name(&self, workspace: WorkspaceId, id: VisitorId, name: &VisitorName)
    -> StoreResult<Visitor>;
}

/// Dialogs and their messages.
#[async_trait]
pub trait DialogStore: Send + Sync {
    /// Appends a message, creating the visitor's dialog when he has no open one. Durable
    /// when it returns. A repeated `(author, client_id)` returns the stored message with
    /// `duplicate: true` and changes nothing.
    async fn post_message(&self, post: PostMessage) -> StoreResult<Posted>;
    async fn dialog(&self, workspace: WorkspaceId, id: DialogId) -> StoreResult<Dialog>;
    /// Newest activity first, keyset-paginated. With `visible_to`, only dialogs of the
    /// channels that operator is a member of.
    async fn list_dialogs(
        &self,
        workspace: WorkspaceId,
        status: Option<DialogStatus>,
        visible_to: Option<OperatorId>,
        page: DialogPage,
    ) -> StoreResult<Vec<Dialog>>;
    /// The visitor's most recent dialog, open or closed.
    async fn latest_dialog_of_visitor(&self, workspace: WorkspaceId, visitor: VisitorId)
    -> StoreResult<Option<Dialog>>;
    /// Messages with `seq > after_seq` in order, at most `limit`.
    async fn messages(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<Message>>;
    /// Operators have read up to `seq`; the unread count is what remains after it.
    async fn mark_read(&self, workspace: WorkspaceId, dialog: DialogId, seq: i64) -> StoreResult<Dialog>;
    /// Closes an open dialog. `changed` is false when it was closed already.
    async fn close_dialog(
        &self,
        workspace: WorkspaceId,
        dialog: DialogId,
        now: Timestamp,
    ) -> StoreResult<(Dialog, bool)>;
}

/// The whole store, as the application holds it.
#[async_trait]
pub trait Store: AccountStore + ChannelStore + VisitorStore + DialogStore + Send + Sync + 'static {
    /// Answers when the database is reachable (for `/readyz`).
    async fn ping(&self) -> StoreResult<()>;
    /// Which backend this is, for logs and metrics.
    fn backend(&self) -> &'static str;
    /// The migrations applied, as `(version, name)`.
    async fn applied_migrations(&self) -> StoreResult<Vec<(i64, String)>>;
    /// Finishes queued writes and closes connections.
    async fn close(&self);
}
