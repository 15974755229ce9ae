//! Signed reply addresses: mail Frontline sends carries `Reply-To:
//! <support>+<dialog>.<signature>@<domain>`, so the person's answer names its dialog; the
//! signature (an HMAC under the install's key, bound to the workspace and the dialog) means a
//! made-up or copied-over address names nothing.

use super::Address;
use crate::App;
use frontline_domain::mail::{SIGNATURE_BYTES, read_reply_address, reply_address};
use frontline_domain::{DialogId, WorkspaceId};

const PURPOSE: &str = "frontline mail reply address v1";

fn signature(app: &App, ws: WorkspaceId, dialog: DialogId) -> Option<[u8; 32]> {
    let mut data = ws.0.as_bytes().to_vec();
    data.extend_from_slice(dialog.0.as_bytes());
    app.config.seal_key.as_ref().map(|k| k.tag(PURPOSE, &data))
}

/// The reply address of a dialog (`None` on a server without a key: no reply address).
pub fn address(app: &App, ws: WorkspaceId, support: &str, dialog: DialogId) -> Option<Address> {
    let sig = signature(app, ws, dialog)?;
    Some(Address::new(&reply_address(support, dialog.0, &sig)))
}

/// What the recipients of a mail say about its dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// No reply address among them.
    Nothing,
    /// A reply address with a valid signature.
    Dialog(DialogId),
    /// A reply address whose signature does not hold (made up, or of another workspace).
    Forged,
}

/// Reads the recipients of a mail for a reply address of `support`.
pub fn named(app: &App, ws: WorkspaceId, support: &str, recipients: &[Address]) -> Named {
    let mut seen = Named::Nothing;
    for r in recipients {
        let Some((dialog, sig)) = read_reply_address(support, &r.email) else { continue };
        let dialog = DialogId(dialog);
        let expected = signature(app, ws, dialog);
        match expected {
            Some(e) if crate::tokens::constant_time_eq(&e[..SIGNATURE_BYTES], &sig) => return Named::Dialog(dialog),
            _ => seen = Named::Forged,
        }
    }
    seen
}
