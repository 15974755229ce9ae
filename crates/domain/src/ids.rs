//! Typed identifiers. All ids are UUIDv7: time-ordered, so new rows append to indexes.

use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    )*};
}

id_type!(
    /// One company's account; nothing crosses between workspaces.
    WorkspaceId,
    /// An operator (also admins and supervisors).
    OperatorId,
    /// A channel: a city, a department, a queue.
    ChannelId,
    /// A web site with a widget key.
    SiteId,
    /// A visitor of a site.
    VisitorId,
    /// A dialog between a visitor and operators.
    DialogId,
    /// One message of a dialog.
    MessageId,
    /// A word from the workspace's dictionary of tags.
    TagId,
    /// A dialog category from the workspace's dictionary.
    CategoryId,
    /// A saved reply.
    SavedReplyId,
    /// An uploaded file.
    AttachmentId,
);
