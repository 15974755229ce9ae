//! The course of a conversation: snooze and wake, reopen, rating, typing and read marks.

use crate::App;
use crate::actor::OperatorActor;
use crate::actor::VisitorActor;
use crate::error::{CoreError, dialog_not_found};
use crate::reads::{views, visible_dialog};
use crate::views::{AuthorView, DialogView, Event, WidgetDialogView, rfc3339};
use frontline_domain::{
    CloseReason, Dialog, DialogId, DialogStatus, DomainError, Rating, SystemEvent, Timestamp, check_snooze,
};
use frontline_store::{Changed, NewLine, StoreError};

use crate::labels::updated;
/// Publishes the lines a change wrote with it; answers the dialog as it is now.
pub(crate) fn lines_written(app: &App, changed: Changed) -> Dialog {
    let d = &changed.dialog;
    for m in &changed.lines {
        let message = crate::views::MessageView::from(m);
        crate::publisher::publish(app, Event::MessageCreated { message }, d.workspace_id, d.channel_id, d.visitor_id);
    }
    changed.dialog
}

/// Snoozes an open dialog until a time: it leaves the open list and comes back when due, or
/// when the visitor writes.
pub async fn snooze(app: &App, actor: &OperatorActor, id: DialogId, until: Timestamp) -> Result<DialogView, CoreError> {
    let now = app.clock.now();
    let until = check_snooze(until, now)?;
    let dialog = visible_dialog(app, actor, id).await?;
    if dialog.status != DialogStatus::Open {
        return Err(DomainError::DialogClosed.into());
    }
    let by = actor.operator.display_name.as_str().to_owned();
    let said = NewLine::system(SystemEvent::Snoozed { until: rfc3339(until), by }, now);
    let changed = app
        .store
        .set_snooze(actor.workspace(), id, Some(until), now, actor.event_actor(), &[said])
        .await
        .map_err(dialog_not_found)?;
    let after = lines_written(app, changed);
    updated(app, &after).await
}

/// Brings a snoozed dialog back at once.
pub async fn unsnooze(app: &App, actor: &OperatorActor, id: DialogId) -> Result<DialogView, CoreError> {
    let dialog = visible_dialog(app, actor, id).await?;
    if dialog.snoozed_until.is_none() {
        return views(app, &[dialog]).await.map(|mut v| v.remove(0));
    }
    let now = app.clock.now();
    let by = Some(actor.operator.display_name.as_str().to_owned());
    let said = NewLine::system(SystemEvent::Unsnoozed { reason: "operator".into(), by }, now);
    let changed = app
        .store
        .set_snooze(actor.workspace(), id, None, now, actor.event_actor(), &[said])
        .await
        .map_err(dialog_not_found)?;
    let after = lines_written(app, changed);
    updated(app, &after).await
}

/// Wakes the snoozed dialogs that are due (scheduler); each once, on whichever node gets it.
pub async fn wake_due(app: &App) -> Result<usize, CoreError> {
    let now = app.clock.now();
    let mut n = 0;
    // Each comes with its "woke" line, written in the claim's transaction.
    for woke in app.store.claim_snoozes(now, 200).await? {
        let woke = lines_written(app, woke);
        updated(app, &woke).await?;
        n += 1;
    }
    Ok(n)
}

/// An operator opens a closed dialog again; its category must be chosen anew.
pub async fn reopen(app: &App, actor: &OperatorActor, id: DialogId) -> Result<DialogView, CoreError> {
    let dialog = visible_dialog(app, actor, id).await?;
    let by = Some(actor.operator.display_name.as_str().to_owned());
    match reopen_dialog(app, &dialog, by, actor.event_actor()).await? {
        Some(after) => updated(app, &after).await,
        None => views(app, &[dialog]).await.map(|mut v| v.remove(0)),
    }
}

/// Opens a closed dialog again with a line saying who did; `None` when it was open. Its
/// resolution target starts again from now.
pub(crate) async fn reopen_dialog(
    app: &App,
    d: &Dialog,
    by: Option<String>,
    actor: frontline_domain::Actor,
) -> Result<Option<Dialog>, CoreError> {
    let now = app.clock.now();
    let due = crate::automation::for_channel(app, d.workspace_id, d.channel_id).await?.resolution_due(now);
    let said = NewLine::system(SystemEvent::Reopened { by }, now);
    match app.store.reopen_dialog(d.workspace_id, d.id, now, due, actor, &[said]).await {
        Ok(reopened) => Ok(reopened.map(|changed| lines_written(app, changed))),
        Err(StoreError::Conflict(_)) => Err(CoreError::VisitorHasOpenDialog),
        Err(e) => Err(dialog_not_found(e)),
    }
}

/// The visitor rates a dialog an operator closed, once.
pub async fn rate(
    app: &App,
    actor: &VisitorActor,
    id: DialogId,
    score: i64,
    comment: Option<&str>,
) -> Result<WidgetDialogView, CoreError> {
    let v = &actor.visitor;
    let rating = Rating::parse(score, comment, app.clock.now())?;
    let dialog = app.store.dialog(v.workspace_id, id).await.map_err(dialog_not_found)?;
    if dialog.visitor_id != v.id {
        return Err(CoreError::DialogNotFound);
    }
    if dialog.status != DialogStatus::Closed || dialog.close_reason != Some(CloseReason::Operator) {
        return Err(CoreError::RatingNotRequested);
    }
    let Some(after) = app.store.rate_dialog(v.workspace_id, id, &rating).await? else {
        return Err(CoreError::AlreadyRated);
    };
    updated(app, &after).await?;
    Ok(WidgetDialogView::from(&after))
}

/// Someone types: an operator in a dialog he sees (never in a note: the console sends
/// nothing then), or the visitor in his open dialog.
pub async fn operator_typing(app: &App, actor: &OperatorActor, id: DialogId) -> Result<(), CoreError> {
    let d = visible_dialog(app, actor, id).await?;
    let op = &actor.operator;
    let author = AuthorView { kind: "operator".into(), id: op.id.0, name: Some(op.display_name.as_str().to_owned()) };
    crate::publisher::publish(
        app,
        Event::Typing { dialog_id: d.id.0, author },
        d.workspace_id,
        d.channel_id,
        d.visitor_id,
    );
    // A Telegram contact sees "typing…" in his chat too.
    crate::telegram::outbound::typing(app, &d);
    Ok(())
}

pub async fn visitor_typing(app: &App, actor: &VisitorActor) -> Result<(), CoreError> {
    app.limit(crate::limits::Limit::WidgetTyping, &actor.visitor.id.0.to_string(), 1)?;
    let v = &actor.visitor;
    // A socket opened before he was blocked: operators no longer see him typing.
    crate::moderation::check_visitor(app, v).await?;
    let Some(d) = crate::reads::current_dialog(app, actor).await?.filter(|d| d.status == DialogStatus::Open) else {
        return Ok(());
    };
    let author =
        AuthorView { kind: "visitor".into(), id: v.id.0, name: v.name.as_ref().map(|n| n.as_str().to_owned()) };
    crate::publisher::publish(app, Event::Typing { dialog_id: d.id.0, author }, d.workspace_id, d.channel_id, v.id);
    Ok(())
}

/// The visitor has read his current dialog up to `seq`; operators see the mark.
pub async fn visitor_read(app: &App, actor: &VisitorActor, seq: i64) -> Result<(), CoreError> {
    if seq < 0 {
        return Err(DomainError::invalid("seq", "must not be negative").into());
    }
    let v = &actor.visitor;
    let Some(d) = crate::reads::current_dialog(app, actor).await? else { return Ok(()) };
    if let Some(after) = app.store.mark_visitor_read(v.workspace_id, d.id, seq.min(d.last_seq)).await? {
        let event = Event::DialogRead { dialog_id: after.id.0, reader: "visitor".into(), seq: after.visitor_read_seq };
        crate::publisher::publish(app, event, after.workspace_id, after.channel_id, v.id);
    }
    Ok(())
}
