//! A visitor's name and contacts as he, an operator or the site's backend changes them: every
//! field checked before anything is written, and the console's row of his latest dialog told.

use crate::App;
use crate::error::CoreError;
use crate::reads::views;
use frontline_domain::{Email, Phone, Visitor, VisitorName};

/// A change of name or contacts: absent leaves a field, `Some(None)` (or blank) clears it.
#[derive(Debug, Clone, Default)]
pub struct ProfilePatch<'a> {
    pub name: Option<Option<&'a str>>,
    pub email: Option<Option<&'a str>>,
    pub phone: Option<Option<&'a str>>,
}

/// Applies a patch to a visitor: every field is checked before anything is written.
pub(crate) async fn apply_profile(
    app: &App,
    v: &Visitor,
    p: &ProfilePatch<'_>,
    actor: frontline_domain::Actor,
) -> Result<Visitor, CoreError> {
    // Blank clears a field; what is given is checked as sent (the parsers trim it themselves).
    let blank = |s: &Option<&str>| s.filter(|s| !s.trim().is_empty()).map(str::to_owned);
    let name = match &p.name {
        None => v.name.clone(),
        Some(n) => blank(n).map(|n| VisitorName::parse(&n)).transpose()?,
    };
    let email = match &p.email {
        None => v.email.clone(),
        Some(e) => blank(e).map(|e| Email::parse(&e)).transpose()?,
    };
    let phone = match &p.phone {
        None => v.phone.clone(),
        Some(ph) => blank(ph).map(|ph| Phone::parse(&ph)).transpose()?,
    };
    let after = app
        .store
        .update_visitor_profile(
            v.workspace_id,
            v.id,
            name.as_ref(),
            email.as_ref(),
            phone.as_ref(),
            frontline_store::events::Stamp { actor, at: app.clock.now() },
        )
        .await?;
    // The console's rows of his latest dialog show the new name at once.
    if let Some(dialog) = app.store.latest_dialog_of_visitor(v.workspace_id, v.id).await? {
        let view = views(app, std::slice::from_ref(&dialog)).await?.remove(0);
        let event = crate::views::Event::DialogUpdated { dialog: view };
        crate::publisher::publish(app, event, v.workspace_id, dialog.channel_id, v.id);
    }
    Ok(after)
}
