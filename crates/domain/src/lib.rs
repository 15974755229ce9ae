//! Frontline's domain: the types and rules of a help desk with no I/O and no async.
//!
//! Everything here is pure and synchronous, so most of the product's logic is unit-tested
//! without a database or a runtime. Values that carry rules (an e-mail, a message body, an
//! origin) are built only by parsing, so a value of the type is always valid.

pub mod account;
pub mod assignment;
pub mod automation;
pub mod dialog;
pub mod error;
pub mod event;
pub mod fields;
pub mod forms;
pub mod hours;
pub mod ids;
pub mod leads;
pub mod mail;
pub mod mention;
pub mod message;
pub mod net;
pub mod patterns;
pub mod quality;
pub mod queue;
pub mod reports;
pub mod routing;
pub mod search;
pub mod segments;
pub mod site;
pub mod sniff;
pub mod telegram;
pub mod text;
pub mod time;
pub mod tools;
pub mod variables;
pub mod visitor;

pub use account::{DisplayName, Email, Operator, Password, Role, Workspace, WorkspaceSlug};
pub use assignment::{Candidate, Capacity, Presence, choose};
pub use automation::{AutoCloseAction, AutoCloseTimer, Automation, AutomationDoc, SettingsError, SlaTarget};
pub use dialog::{Assignee, Dialog, DialogOrigin, DialogStatus, LastMessage, MessageTimers, SlaState, TriggerRef};
pub use error::DomainError;
pub use event::{Actor, ActorKind, EventKind};
pub use ids::{
    AttachmentId, CategoryId, ChannelId, DialogId, MessageId, OperatorId, SavedReplyId, SiteId, TagId, VisitorId,
    WorkspaceId,
};
pub use message::{Author, AuthorKind, Automatic, ClientId, Effect, Message, MessageBody, MessageEdit, NewMessage};
pub use queue::{Audience, ChannelMode, ChannelSettings, Greeting, OfflinePolicy, SystemEvent, WaitLimit};
pub use routing::RoutingContext;
pub use site::{Channel, Origin, Site, SiteKey, parse_channel_name};
pub use time::Timestamp;
pub use tools::{
    Attachment, CloseReason, Label, Phone, Rating, ReopenWindow, ReplyScope, SavedReply, TagRef, check_snooze,
    visit_start,
};
pub use visitor::{ContactSource, Visitor, VisitorName};
