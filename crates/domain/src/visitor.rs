//! Visitors: the people who write, from a site's widget or (contacts) from another source.

use crate::account::parse_name;
use crate::error::DomainError;
use crate::ids::{SiteId, VisitorId, WorkspaceId};
use crate::time::Timestamp;

/// A name a visitor gave, 1–80 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitorName(String);

impl VisitorName {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        parse_name(s, "name").map(Self)
    }

    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A visitor of a site. Without a name, people see "Посетитель 42" / "Visitor 42" made from
/// `number`, which is unique within the workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Visitor {
    pub id: VisitorId,
    pub workspace_id: WorkspaceId,
    /// The site whose widget he wrote from; `None` for a contact of another source.
    pub site_id: Option<SiteId>,
    pub number: i64,
    pub name: Option<VisitorName>,
    pub created_at: Timestamp,
    /// Where he is and what the site told about him: routes his next new dialog.
    pub context: crate::routing::RoutingContext,
    /// Contacts he gave in the widget, or an operator wrote down.
    pub email: Option<crate::account::Email>,
    pub phone: Option<crate::tools::Phone>,
    /// When his widget last opened a session.
    pub last_seen_at: Option<Timestamp>,
    /// Where he writes from, and his id there (a chat id, an address; `None` for the widget,
    /// whose visitors are known by their token).
    pub source: ContactSource,
    pub external_id: Option<String>,
    /// What the site's backend or page says about him (`leads`): typed, apart from the page
    /// context in `context.properties`.
    pub attributes: crate::leads::Attributes,
}

/// Where a contact writes from. Website visitors come through a site's widget; the Telegram
/// and e-mail channels add contacts known by an id of theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContactSource {
    #[default]
    Widget,
    Telegram,
    Email,
}

impl ContactSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactSource::Widget => "widget",
            ContactSource::Telegram => "telegram",
            ContactSource::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<ContactSource> {
        match s {
            "widget" => Some(ContactSource::Widget),
            "telegram" => Some(ContactSource::Telegram),
            "email" => Some(ContactSource::Email),
            _ => None,
        }
    }
}
