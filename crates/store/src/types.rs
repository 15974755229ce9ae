//! Inputs and outputs of store calls that are not domain types themselves.

use frontline_domain::{
    ChannelId, Dialog, DialogId, Message, NewMessage, OperatorId, SiteId, Timestamp, VisitorId, WorkspaceId,
};

/// A login session; only the SHA-256 of the token is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: Vec<u8>,
    pub workspace_id: WorkspaceId,
    pub operator_id: OperatorId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
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

/// Where a posted message goes.
#[derive(Debug, Clone)]
pub enum PostTarget {
    /// An existing dialog (operators). Refused with `DialogClosed` when it is closed.
    Dialog(DialogId),
    /// The visitor's open dialog, or a new one in `channel` when he has none (visitors).
    Visitor { visitor: VisitorId, channel: ChannelId, new_dialog_id: DialogId },
}

/// A message to append.
#[derive(Debug, Clone)]
pub struct PostMessage {
    pub workspace_id: WorkspaceId,
    pub target: PostTarget,
    pub message: NewMessage,
    /// The author's name to keep with the message (operator display name).
    pub author_name: Option<String>,
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
}

/// A page of the dialog list: after the row `(updated_at, id)` of the previous page.
#[derive(Debug, Clone, Copy)]
pub struct DialogPage {
    pub after: Option<(Timestamp, DialogId)>,
    pub limit: u32,
}
