//! What a contact from outside the widget writes (a Telegram chat, a mail): into his open
//! dialog, or a new one routed by the workspace's rules (else to `default_channel`), with his
//! files; published and auto-assigned like a widget visitor's first message.

use crate::App;
use crate::error::CoreError;
use frontline_domain::{Attachment, ChannelId, ClientId, DialogId, DialogStatus, MessageBody, RoutingContext, Visitor};
use frontline_store::{PostTarget, Posted};

/// Writes his message; `client_id` makes writing it again store nothing new. Text past the
/// message limit is cut, control characters dropped; a message with neither text nor files
/// is written as "…".
pub async fn write(
    app: &App,
    contact: &Visitor,
    default_channel: ChannelId,
    ctx: &RoutingContext,
    client_id: &str,
    text: &str,
    attachments: Vec<Attachment>,
) -> Result<Posted, CoreError> {
    let last = app.store.latest_dialog_of_visitor(contact.workspace_id, contact.id).await?;
    let open_in = last.as_ref().filter(|d| d.status == DialogStatus::Open).map(|d| d.channel_id);
    let (channel, routed_by) = match open_in {
        Some(_) => (default_channel, None),
        None => crate::routing::route_in(app, contact.workspace_id, default_channel, contact, ctx).await?,
    };
    let previous = last.as_ref().filter(|d| d.status == DialogStatus::Closed).map(|d| d.id);
    let automation = crate::automation::for_channel(app, contact.workspace_id, open_in.unwrap_or(channel)).await?;
    let cut: String = text.chars().take(app.config.message_limit).collect();
    let cleaned: String = cut.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r')).collect();
    let body = match crate::files::body_with(&cleaned, !attachments.is_empty(), app.config.message_limit) {
        Ok(b) => b,
        Err(_) => MessageBody::from_stored("…".into()),
    };
    let now = app.clock.now();
    let target = PostTarget::Visitor {
        visitor: contact.id,
        channel,
        new_dialog_id: DialogId::new(),
        routed_by,
        previous,
        expected: None,
    };
    let client_id = ClientId::from_stored(client_id.to_owned());
    let post = crate::widget::visitor_post(contact, target, client_id, body, attachments, now, &automation);
    let posted = app.store.post_message(post).await?;
    crate::publisher::publish_posted(app, &posted, contact).await;
    if posted.dialog_created {
        crate::assignment::auto_assign(app, contact.workspace_id, posted.dialog.channel_id).await;
    }
    Ok(posted)
}
