//! Wire shapes of the API and the socket, shared by REST answers, socket frames and the
//! events that cross nodes over NATS (which is why they live here and not in `http`).
//! `snake_case`, ids as UUID strings, times as RFC 3339 UTC.

use frontline_domain::{Channel, Dialog, DialogStatus, Message, Operator, Site, Timestamp, Visitor, Workspace};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// RFC 3339 in UTC with milliseconds: `2026-11-22T10:15:30.123Z`.
pub fn rfc3339(t: Timestamp) -> String {
    let dt = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(t.0) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    dt.format(&f).unwrap_or_default()
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
}

impl From<&Operator> for OperatorView {
    fn from(o: &Operator) -> Self {
        Self {
            id: o.id.0,
            email: o.email.as_str().to_owned(),
            display_name: o.display_name.as_str().to_owned(),
            role: o.role.as_str().to_owned(),
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
}

impl From<&Visitor> for VisitorView {
    fn from(v: &Visitor) -> Self {
        Self { id: v.id.0, number: v.number, name: v.name.as_ref().map(|n| n.as_str().to_owned()) }
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
        }
    }
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
}

impl DialogView {
    pub fn new(d: &Dialog, visitor: &Visitor) -> Self {
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
}

impl From<&Dialog> for WidgetDialogView {
    fn from(d: &Dialog) -> Self {
        Self { id: d.id.0, number: d.number, status: d.status.as_str().to_owned(), last_seq: d.last_seq }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ChannelView {
    pub id: Uuid,
    pub name: String,
    pub is_default: bool,
}

impl From<&Channel> for ChannelView {
    fn from(c: &Channel) -> Self {
        Self { id: c.id.0, name: c.name.clone(), is_default: c.is_default }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SiteView {
    pub id: Uuid,
    pub name: String,
    pub key: String,
    pub allowed_origins: Vec<String>,
}

impl From<&Site> for SiteView {
    fn from(s: &Site) -> Self {
        Self {
            id: s.id.0,
            name: s.name.clone(),
            key: s.key.as_str().to_owned(),
            allowed_origins: s.allowed_origins.iter().map(|o| o.as_str().to_owned()).collect(),
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
    #[serde(rename = "dialog.created")]
    DialogCreated { dialog: DialogView },
    #[serde(rename = "dialog.updated")]
    DialogUpdated { dialog: DialogView },
    #[serde(rename = "dialog.closed")]
    DialogClosed { dialog: DialogView },
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_are_rfc3339_utc_with_millis() {
        assert_eq!(super::rfc3339(frontline_domain::Timestamp(1_700_000_000_123)), "2023-11-14T22:13:20.123Z");
        assert_eq!(super::rfc3339(frontline_domain::Timestamp(0)), "1970-01-01T00:00:00.000Z");
    }
}
