//! Frontline's domain: the types and rules of a help desk with no I/O and no async.
//!
//! Everything here is pure and synchronous, so most of the product's logic is unit-tested
//! without a database or a runtime. Values that carry rules (an e-mail, a message body, an
//! origin) are built only by parsing, so a value of the type is always valid.

pub mod account;
pub mod assignment;
pub mod dialog;
pub mod error;
pub mod ids;
pub mod message;
pub mod queue;
pub mod routing;
pub mod site;
pub mod time;
pub mod visitor;

pub use account::{DisplayName, Email, Operator, Password, Role, Workspace, WorkspaceSlug};
pub use assignment::{Candidate, Capacity, Presence, choose};
pub use dialog::{Assignee, Dialog, DialogStatus, LastMessage};
pub use error::DomainError;
pub use ids::{ChannelId, DialogId, MessageId, OperatorId, SiteId, VisitorId, WorkspaceId};
pub use message::{Author, AuthorKind, ClientId, Message, MessageBody, NewMessage};
pub use queue::{Audience, ChannelMode, ChannelSettings, Greeting, OfflinePolicy, SystemEvent, WaitLimit};
pub use routing::RoutingContext;
pub use site::{Channel, Origin, Site, SiteKey, parse_channel_name};
pub use time::Timestamp;
pub use visitor::{Visitor, VisitorName};
