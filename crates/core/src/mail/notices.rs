//! Operator notifications: an operator who is offline or away when a dialog is given to him, the
//! visitor writes in a dialog that is his, or a colleague's note mentions him gets a mail about
//! it, gathered with whatever else comes
//! within a few minutes into one mail, in his console's language. Each operator may turn it
//! off (his profile's `notify_by_mail`).
//!
//! It reads the event log, the seam every integration stands on: each workspace with mail on
//! keeps a cursor in its log; a look through it records a notice per operator and event (kept
//! once, so two nodes looking at once record nothing twice) and moves the cursor. A sender
//! then claims an operator's notices under a lease once the oldest is a few minutes old, mails
//! them as one and marks them sent; a failed mail leaves them to the next try. Notices of an
//! operator who is back online when they are due are dropped: the console shows them.

use super::settings::servers;
use super::{Address, OutgoingMail};
use crate::App;
use crate::error::CoreError;
use frontline_domain::mail::{Digest, Lang, Notice, NoticeKind, digest, excerpt};
use frontline_domain::{DialogId, OperatorId, Presence, Timestamp, WorkspaceId};
use frontline_store::mail::OperatorNotice;
use std::collections::HashMap;

/// How long notices gather before they are mailed.
pub const GATHER_MS: i64 = 3 * 60_000;
/// How long a sender holds an operator's notices.
const LEASE_MS: i64 = 2 * 60_000;
/// Events looked at per workspace and pass.
const PAGE: u32 = 500;

/// Records the notices of what happened since the last look, in every workspace with mail
/// on; answers how many were recorded.
pub async fn collect(app: &App) -> Result<usize, CoreError> {
    let mut n = 0;
    for s in app.store.enabled_mail_settings().await? {
        n += collect_in(app, s.workspace_id).await?;
    }
    Ok(n)
}

async fn collect_in(app: &App, ws: WorkspaceId) -> Result<usize, CoreError> {
    let Some(from) = app.store.notice_cursor(ws).await? else {
        // Mail was just set up: what happened before is not news.
        let latest = app.store.latest_event_pos().await?;
        app.store.move_notice_cursor(ws, None, latest).await?;
        return Ok(0);
    };
    let events = app.store.events_after(ws, from, PAGE).await?;
    let Some(last) = events.last().map(|e| e.pos) else { return Ok(0) };
    // Who each event is for: the operator a dialog went to, the operators a note mentions.
    let notes: Vec<uuid::Uuid> =
        events.iter().filter(|e| e.kind == "note.created").filter_map(|e| e.subject_id).collect();
    let mentions: HashMap<uuid::Uuid, Vec<OperatorId>> = if notes.is_empty() {
        HashMap::new()
    } else {
        app.store.messages_by_ids(&notes).await?.into_iter().map(|m| (m.id.0, m.mentions)).collect()
    };
    // The dialogs visitors wrote in or departments answered on, for whose they are.
    let answered = |e: &frontline_store::events::StoredEvent| {
        e.kind == "ticket.updated"
            && e.actor_kind == "system"
            && serde_json::from_str::<serde_json::Value>(&e.payload).is_ok_and(|p| p["status"] == "answered")
    };
    // His own words, not the lines his actions write (a filled form's).
    let wrote = |e: &frontline_store::events::StoredEvent| {
        e.kind == "message.created"
            && serde_json::from_str::<serde_json::Value>(&e.payload).is_ok_and(|p| p["author_kind"] == "visitor")
    };
    let wrote_in: Vec<DialogId> =
        events.iter().filter(|e| wrote(e) || answered(e)).filter_map(|e| e.dialog_id).collect();
    let owners: HashMap<DialogId, OperatorId> = if wrote_in.is_empty() {
        HashMap::new()
    } else {
        app.store
            .dialogs_by_ids(&wrote_in)
            .await?
            .into_iter()
            .filter_map(|d| d.assignee.map(|a| (d.id, a.operator)))
            .collect()
    };
    let mut candidates = Vec::new();
    for e in &events {
        let Some(dialog) = e.dialog_id else { continue };
        let (kind, targets): (&str, Vec<OperatorId>) = match e.kind.as_str() {
            "dialog.assigned" | "dialog.transferred" => {
                let payload: serde_json::Value = serde_json::from_str(&e.payload).unwrap_or_default();
                let to = payload["to_operator_id"].as_str().and_then(|s| s.parse().ok()).map(OperatorId);
                ("assigned", to.into_iter().collect())
            }
            "note.created" => ("mentioned", e.subject_id.and_then(|m| mentions.get(&m).cloned()).unwrap_or_default()),
            "message.created" if wrote(e) => ("wrote", owners.get(&dialog).copied().into_iter().collect()),
            "ticket.updated" if answered(e) => ("ticket", owners.get(&dialog).copied().into_iter().collect()),
            _ => continue,
        };
        for op in targets {
            // Nobody is told what he did himself.
            if e.actor_id == Some(op.0) {
                continue;
            }
            candidates.push(OperatorNotice {
                operator_id: op,
                event_id: e.id,
                workspace_id: ws,
                kind: kind.to_owned(),
                dialog_id: dialog,
                at: e.at,
            });
        }
    }
    // Only those away from the console now, who want such mail.
    let mut wanted: HashMap<OperatorId, bool> = HashMap::new();
    let mut notices = Vec::new();
    for c in candidates {
        let want = match wanted.get(&c.operator_id) {
            Some(w) => *w,
            None => {
                let w = wants(app, ws, c.operator_id).await?;
                wanted.insert(c.operator_id, w);
                w
            }
        };
        if want {
            notices.push(c);
        }
    }
    app.store.add_operator_notices(&notices).await?;
    // Another node may have moved it meanwhile: the notices are the same, kept once.
    app.store.move_notice_cursor(ws, Some(from), last).await?;
    Ok(notices.len())
}

/// Whether an operator is to be mailed now: active, offline or away, mail not turned off.
async fn wants(app: &App, ws: WorkspaceId, id: OperatorId) -> Result<bool, CoreError> {
    let op = match app.store.operator(ws, id).await {
        Ok(op) => op,
        Err(frontline_store::StoreError::NotFound) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    if op.deactivated_at.is_some() || op.presence == Presence::Online {
        return Ok(false);
    }
    Ok(app.store.operator_settings(ws, id).await?.notify_by_mail)
}

/// Mails the gathered notices that are due; answers how many mails went.
pub async fn send_due(app: &App) -> Result<usize, CoreError> {
    let now = app.clock.now();
    let due = app.store.due_notice_operators(Timestamp(now.0 - GATHER_MS), now, 100).await?;
    let mut sent = 0;
    for (ws, op) in due {
        match send_to(app, ws, op, now).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(workspace = %ws.0, operator = %op.0, error = %e, "mail: an operator's notices did not go")
            }
        }
    }
    Ok(sent)
}

async fn send_to(app: &App, ws: WorkspaceId, id: OperatorId, now: Timestamp) -> Result<bool, CoreError> {
    let until = Timestamp(now.0 + LEASE_MS);
    let claimed = app.store.claim_operator_notices(id, now, until).await?;
    if claimed.is_empty() {
        return Ok(false);
    }
    let op = app.store.operator(ws, id).await?;
    let settings = app.store.operator_settings(ws, id).await?;
    let stored = app.store.mail_settings(ws).await?;
    // Back in the console, turned off, or mail switched off: nothing to mail; they are done.
    let Some(stored) = stored.filter(|s| s.enabled) else {
        app.store.finish_operator_notices(id, until, now).await?;
        return Ok(false);
    };
    if op.presence == Presence::Online || !settings.notify_by_mail || op.deactivated_at.is_some() {
        app.store.finish_operator_notices(id, until, now).await?;
        return Ok(false);
    }
    let lang = Lang::of(settings.language.as_deref());
    let mut notices = Vec::with_capacity(claimed.len());
    let mut seen: Vec<(DialogId, &str)> = Vec::new();
    for n in claimed.iter().rev() {
        // A dialog given to him twice, or written in several times, is told once (the newest).
        if n.kind != "mentioned" && seen.contains(&(n.dialog_id, n.kind.as_str())) {
            continue;
        }
        seen.push((n.dialog_id, n.kind.as_str()));
        if let Some(notice) = render(app, ws, n, lang).await? {
            notices.push(notice);
        }
    }
    notices.reverse();
    if notices.is_empty() {
        app.store.finish_operator_notices(id, until, now).await?;
        return Ok(false);
    }
    let rendered = digest(&Digest { lang, operator_name: op.display_name.as_str().to_owned(), notices });
    let (from, smtp, _imap, _mailbox) = servers(app, &stored)?;
    let message_id = format!("notice-{}-{}@{}", id.0, now.0, from.domain());
    let mail = OutgoingMail {
        from,
        to: vec![Address { name: Some(op.display_name.as_str().to_owned()), email: op.email.as_str().to_owned() }],
        reply_to: None,
        subject: rendered.subject,
        text: rendered.text,
        message_id,
        in_reply_to: None,
        references: Vec::new(),
        // Written by a program: out-of-office replies to it are not sent back.
        auto_submitted: true,
        files: Vec::new(),
    };
    match app.mail.send(&smtp, &mail).await {
        Ok(()) => {
            app.store.finish_operator_notices(id, until, app.clock.now()).await?;
            Ok(true)
        }
        // The lease runs out and the next pass tries again.
        Err(e) => Err(CoreError::Unavailable(e.to_string())),
    }
}

/// A notice as the mail tells it; `None` when its dialog or note is gone.
async fn render(app: &App, ws: WorkspaceId, n: &OperatorNotice, lang: Lang) -> Result<Option<Notice>, CoreError> {
    let dialog = match app.store.dialog(ws, n.dialog_id).await {
        Ok(d) => d,
        Err(frontline_store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let visitor = app.store.visitor(ws, dialog.visitor_id).await?;
    let visitor = match (&visitor.name, lang) {
        (Some(name), _) => name.as_str().to_owned(),
        (None, Lang::Ru) => format!("Посетитель {}", visitor.number),
        (None, Lang::En) => format!("Visitor {}", visitor.number),
    };
    let event = app.store.event(n.event_id).await.ok();
    let (kind, text) = if n.kind == "ticket" {
        let Some(ticket) = event.as_ref().and_then(|e| e.subject_id) else { return Ok(None) };
        let ticket = match app.store.ticket(ws, ticket).await {
            Ok(t) => t,
            Err(frontline_store::StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let answer = app.store.ticket_entries(ws, ticket.id).await?.into_iter().rev().find(|e| e.direction == "in");
        (NoticeKind::TicketAnswered { number: ticket.number }, answer.map(|a| a.text).unwrap_or_default())
    } else if n.kind == "wrote" {
        let line = match event.and_then(|e| e.subject_id) {
            Some(m) => app.store.messages_by_ids(&[m]).await?.into_iter().next(),
            None => None,
        };
        let Some(line) = line else { return Ok(None) };
        (NoticeKind::Wrote, line.body.as_str().to_owned())
    } else if n.kind == "mentioned" {
        let note = match event.and_then(|e| e.subject_id) {
            Some(m) => app.store.messages_by_ids(&[m]).await?.into_iter().next(),
            None => None,
        };
        let Some(note) = note else { return Ok(None) };
        let by = note.author.name.clone().unwrap_or_default();
        (NoticeKind::Mentioned { by }, note.body.as_str().to_owned())
    } else {
        (NoticeKind::Assigned, dialog.last_message.as_ref().map(|l| l.preview.clone()).unwrap_or_default())
    };
    let link = app
        .config
        .public_url
        .as_deref()
        .map(|base| format!("{}/console/dialogs/{}", base.trim_end_matches('/'), dialog.id.0));
    Ok(Some(Notice { kind, dialog_number: dialog.number, visitor, excerpt: excerpt(&text, 200), link }))
}
