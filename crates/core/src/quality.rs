//! The quality guard (issue 17): the workspace's rules for operators' messages, checked as the
//! operator types (the console asks [`check`]) and again when he sends ([`on_send`], called by
//! `dialogs::write`). A blocked message is refused with the rule named; a block that allows it
//! goes with the operator's reason. Every hit is kept per operator for the reports.

use crate::App;
use crate::actor::OperatorActor;
use crate::error::CoreError;
use crate::reads::visible_dialog;
use frontline_domain::quality::{Context, Guard, GuardDoc, Hit, Mode, verdict};
use frontline_domain::{Dialog, DialogId, Timestamp};
use frontline_store::supervision::GuardHit;
use serde::Serialize;
use utoipa::ToSchema;

/// What the guard found, as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct HitView {
    /// `polite`, `phone_8800`, `forbidden`, `second_greeting` or `caps`.
    pub rule: String,
    /// `warn` or `block`.
    pub mode: String,
    /// A block the operator may send past with a reason (`guard_override`).
    pub allow_override: bool,
    /// Where, in UTF-16 code units of the text as sent (a JavaScript string's indexes).
    pub start: usize,
    pub end: usize,
    /// What was found, as written.
    pub found: String,
}

impl From<&Hit> for HitView {
    fn from(h: &Hit) -> Self {
        Self {
            rule: h.rule.as_str().into(),
            mode: h.mode.as_str().into(),
            allow_override: h.allow_override,
            start: h.start,
            end: h.end,
            found: h.found.clone(),
        }
    }
}

/// The workspace's guard: as saved, or the defaults.
pub async fn guard(app: &App, ws: frontline_domain::WorkspaceId) -> Result<Guard, CoreError> {
    let doc = match app.store.guard_doc(ws).await? {
        Some(text) => serde_json::from_str::<GuardDoc>(&text).unwrap_or_default(),
        None => GuardDoc::default(),
    };
    Ok(Guard::parse(&doc).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "a stored guard does not parse; the defaults hold");
        Guard::parse(&GuardDoc::default()).expect("the default guard parses")
    }))
}

/// The settings, for admins.
pub async fn settings(app: &App, actor: &OperatorActor) -> Result<GuardDoc, CoreError> {
    actor.admin()?;
    Ok(guard(app, actor.workspace()).await?.doc().clone())
}

/// Saves the settings (the first bad field named; nothing kept then).
pub async fn save_settings(app: &App, actor: &OperatorActor, doc: &GuardDoc) -> Result<GuardDoc, CoreError> {
    actor.admin()?;
    let g = Guard::parse(doc).map_err(|e| CoreError::Invalid { field: e.field, reason: e.reason })?;
    let text = serde_json::to_string(g.doc()).map_err(|e| CoreError::Internal(e.to_string()))?;
    app.store.save_guard_doc(actor.workspace(), &text, app.clock.now()).await?;
    Ok(g.doc().clone())
}

async fn context(app: &App, d: &Dialog) -> Result<Context, CoreError> {
    let greeted = d.sla.first_reply_at.is_some() || app.store.dialog_greeted(d.workspace_id, d.id).await?;
    Ok(Context { greeted })
}

/// What the guard finds in a draft for a dialog the operator can see (nothing is kept).
pub async fn check(app: &App, actor: &OperatorActor, id: DialogId, text: &str) -> Result<Vec<HitView>, CoreError> {
    let d = visible_dialog(app, actor, id).await?;
    let g = guard(app, actor.workspace()).await?;
    let hits = g.check(text, context(app, &d).await?);
    Ok(hits.iter().map(HitView::from).collect())
}

/// The guard's look at a message about to be sent to the visitor: `Ok(hits)` to keep once it
/// is stored ([`record`]), or `GuardBlocked` (the hits kept as blocked).
pub async fn on_send(
    app: &App,
    actor: &OperatorActor,
    d: &Dialog,
    text: &str,
    override_reason: Option<&str>,
) -> Result<Vec<GuardHit>, CoreError> {
    let g = guard(app, actor.workspace()).await?;
    let hits = g.check(text, context(app, d).await?);
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    let now = app.clock.now();
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    let kept = |action: &str, h: &Hit| GuardHit {
        id: uuid::Uuid::now_v7(),
        workspace_id: d.workspace_id,
        operator_id: actor.operator.id.0,
        dialog_id: d.id.0,
        channel_id: d.channel_id.0,
        rule: h.rule.as_str().into(),
        action: action.into(),
        reason: (action == "overridden").then(|| reason.unwrap_or_default().to_owned()),
        at: now,
    };
    match verdict(&hits, reason) {
        Err(rule) => {
            let blocked: Vec<GuardHit> =
                hits.iter().filter(|h| h.mode == Mode::Block).map(|h| kept("blocked", h)).collect();
            app.store.record_guard_hits(&one_per_rule(blocked)).await?;
            let found = hits.iter().find(|h| h.rule == rule).map(|h| h.found.clone()).unwrap_or_default();
            Err(CoreError::GuardBlocked {
                rule: rule.as_str().into(),
                allow_override: hits.iter().filter(|h| h.mode == Mode::Block).all(|h| h.allow_override),
                hits,
                found,
            })
        }
        Ok(()) => Ok(one_per_rule(
            hits.iter().map(|h| kept(if h.mode == Mode::Block { "overridden" } else { "warned" }, h)).collect(),
        )),
    }
}

/// A message counts once per rule, however many places it broke it.
fn one_per_rule(mut hits: Vec<GuardHit>) -> Vec<GuardHit> {
    let mut seen = std::collections::HashSet::new();
    hits.retain(|h| seen.insert((h.rule.clone(), h.action.clone())));
    hits
}

/// Keeps the hits of a message that was stored (a repeat of a stored send keeps nothing).
pub async fn record(app: &App, hits: &[GuardHit], at: Timestamp) -> Result<(), CoreError> {
    if hits.is_empty() {
        return Ok(());
    }
    let hits: Vec<GuardHit> = hits.iter().cloned().map(|h| GuardHit { at, ..h }).collect();
    app.store.record_guard_hits(&hits).await?;
    Ok(())
}
