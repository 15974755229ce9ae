//! Signed reply addresses: mail Frontline sends carries `Reply-To:
//! <support>+<dialog>.<signature>@<domain>`, so the person's answer names its dialog; the
//! signature (an HMAC under the install's key, bound to the workspace and the dialog) means a
//! made-up or copied-over address names nothing.

use super::Address;
use crate::App;
use frontline_domain::mail::{SIGNATURE_BYTES, read_reply_address, reply_address};
use frontline_domain::{DialogId, WorkspaceId};

const PURPOSE: &str = "frontline mail reply address v1";
/// A ticket's reply address is signed under its own key: it never passes for a dialog's.
const TICKET_PURPOSE: &str = "frontline ticket reply address v1";

fn signature_for(app: &App, purpose: &str, ws: WorkspaceId, id: uuid::Uuid) -> Option<[u8; 32]> {
    let mut data = ws.0.as_bytes().to_vec();
    data.extend_from_slice(id.as_bytes());
    app.config.seal_key.as_ref().map(|k| k.tag(purpose, &data))
}

fn signature(app: &App, ws: WorkspaceId, dialog: DialogId) -> Option<[u8; 32]> {
    signature_for(app, PURPOSE, ws, dialog.0)
}

/// The reply address of a dialog (`None` on a server without a key: no reply address).
pub fn address(app: &App, ws: WorkspaceId, support: &str, dialog: DialogId) -> Option<Address> {
    let sig = signature(app, ws, dialog)?;
    Some(Address::new(&reply_address(support, dialog.0, &sig)))
}

/// The reply address of a ticket (the department answers through it).
pub fn ticket_address(app: &App, ws: WorkspaceId, support: &str, ticket: uuid::Uuid) -> Option<Address> {
    let sig = signature_for(app, TICKET_PURPOSE, ws, ticket)?;
    Some(Address::new(&reply_address(support, ticket, &sig)))
}

/// What the recipients of a mail say about its dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// No reply address among them.
    Nothing,
    /// A reply address with a valid signature.
    Dialog(DialogId),
    /// A ticket's reply address with a valid signature.
    Ticket(uuid::Uuid),
    /// A reply address whose signature does not hold (made up, or of another workspace).
    Forged,
}

/// Reads the recipients of a mail for a reply address of `support`.
pub fn named(app: &App, ws: WorkspaceId, support: &str, recipients: &[Address]) -> Named {
    let mut seen = Named::Nothing;
    for r in recipients {
        let Some((dialog, sig)) = read_reply_address(support, &r.email) else { continue };
        let holds = |expected: Option<[u8; 32]>| {
            expected.is_some_and(|e| crate::tokens::constant_time_eq(&e[..SIGNATURE_BYTES], &sig))
        };
        if holds(signature(app, ws, DialogId(dialog))) {
            return Named::Dialog(DialogId(dialog));
        }
        if holds(signature_for(app, TICKET_PURPOSE, ws, dialog)) {
            return Named::Ticket(dialog);
        }
        seen = Named::Forged;
    }
    seen
}
