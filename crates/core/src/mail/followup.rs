//! Continuity: an operator's reply that a website visitor has not seen in the widget within the
//! workspace's window (default 2 minutes) is mailed to him, when he left an address, with what
//! else he has not seen and a few earlier lines (never notes or lines for operators), in the
//! widget's language. One job per reply, due when the window has passed; a job finds nothing
//! to send when he has seen the reply meanwhile or an earlier mail of the window carried it, so
//! he gets at most one mail per window. His answer to the mail comes back into the dialog
//! through its signed reply address ([`super::reply`]).

use super::OutgoingMail;
use super::settings::servers;
use crate::App;
use crate::telegram::outbound::{Failure, Outcome, Sent, report, store_failure};
use frontline_domain::mail::{FollowUp, Lang, Line, clock, follow_up};
use frontline_domain::{Audience, AuthorKind, Message};
use frontline_store::events::OutboxJob;

/// Lines before the unseen ones a mail shows for context.
const EARLIER: usize = 6;
/// Messages of the dialog read to find them.
const READ: u32 = 200;

/// Mails one follow-up job (kind `email_followup`).
pub async fn deliver(app: &App, job: &OutboxJob) -> Sent {
    let started = app.clock.now();
    let result = attempt(app, job).await;
    report(app, job, started, result)
}

/// What the visitor may read of a message, as a mail line.
fn readable(m: &Message) -> bool {
    m.audience == Audience::All && m.event.is_none()
}

fn as_line(m: &Message, tz: &str, lang: Lang) -> Line {
    Line {
        author: match m.author.kind {
            AuthorKind::Visitor => None,
            _ => Some(m.author.name.clone().unwrap_or_else(|| {
                match lang {
                    Lang::Ru => "Поддержка",
                    Lang::En => "Support",
                }
                .to_owned()
            })),
        },
        at: clock(m.created_at, tz, lang),
        text: m.body.as_str().to_owned(),
        files: m.attachments.iter().map(|a| a.name.clone()).collect(),
    }
}

async fn attempt(app: &App, job: &OutboxJob) -> Result<Outcome, Failure> {
    let ws = job.workspace_id;
    let stored = match app.store.mail_settings(ws).await.map_err(store_failure)? {
        Some(s) if s.enabled => s,
        _ => return Ok(Outcome::Skipped("mail is switched off")),
    };
    if stored.followup_ms <= 0 {
        return Ok(Outcome::Skipped("replies are not followed up by mail"));
    }
    let event = app.store.event(job.event_id).await.map_err(store_failure)?;
    let Some(message_id) = event.subject_id else { return Ok(Outcome::Skipped("no message")) };
    let message = app.store.messages_by_ids(&[message_id]).await.map_err(store_failure)?.into_iter().next();
    let Some(message) = message else { return Ok(Outcome::Skipped("the message is gone")) };
    if !readable(&message) {
        return Ok(Outcome::Skipped("a line for operators only"));
    }
    let dialog = app.store.dialog(ws, message.dialog_id).await.map_err(store_failure)?;
    if dialog.visitor_read_seq >= message.seq {
        return Ok(Outcome::Skipped("seen in the widget"));
    }
    let covered = app.store.mail_followup_covered(ws, dialog.id).await.map_err(store_failure)?.unwrap_or(0);
    if covered >= message.seq {
        return Ok(Outcome::Skipped("in an earlier mail"));
    }
    let visitor = app.store.visitor(ws, dialog.visitor_id).await.map_err(store_failure)?;
    let Some(to) = visitor.email.clone() else { return Ok(Outcome::Skipped("the visitor left no address")) };
    let seen = dialog.visitor_read_seq.max(covered);
    let after = (seen - READ as i64).max(0);
    let lines = app.store.messages(ws, dialog.id, after, READ, true).await.map_err(store_failure)?;
    let lines: Vec<&Message> = lines.iter().filter(|m| readable(m)).collect();
    let unseen: Vec<&Message> =
        lines.iter().copied().filter(|m| m.seq > seen && m.author.kind != AuthorKind::Visitor).collect();
    let Some(newest) = unseen.last().map(|m| m.seq) else { return Ok(Outcome::Skipped("nothing unseen")) };
    let first_unseen = unseen.first().map_or(newest, |m| m.seq);
    let earlier: Vec<&Message> = {
        let before: Vec<&Message> = lines.iter().copied().filter(|m| m.seq < first_unseen).collect();
        before[before.len().saturating_sub(EARLIER)..].to_vec()
    };
    let lang = Lang::of(visitor.context.language.as_deref());
    let automation = crate::automation::for_channel(app, ws, dialog.channel_id)
        .await
        .map_err(|e| Failure::Later(e.to_string(), None))?;
    let tz = automation.doc().business_hours.time_zone.clone();
    let (from, smtp, _imap, _mailbox) = servers(app, &stored).map_err(|e| Failure::Final(e.to_string(), None))?;
    let rendered = follow_up(&FollowUp {
        lang,
        dialog_number: dialog.number,
        visitor_name: visitor.name.as_ref().map(|n| n.as_str().to_owned()),
        unseen: unseen.iter().map(|m| as_line(m, &tz, lang)).collect(),
        earlier: earlier.iter().map(|m| as_line(m, &tz, lang)).collect(),
        team: from.name.clone().unwrap_or_else(|| from.email.clone()),
    });
    let mut files = Vec::new();
    for a in unseen.iter().flat_map(|m| m.attachments.iter()) {
        if let Ok(bytes) = crate::files::bytes_of(app, a).await {
            files.push(super::MailFile { name: a.name.clone(), content_type: a.content_type.clone(), bytes });
        }
    }
    let thread = app.store.mail_thread(ws, dialog.id).await.map_err(store_failure)?;
    let mail_id = format!("followup-{}-{newest}@{}", dialog.id.0, from.domain());
    let (in_reply_to, references) = super::threading(&thread);
    let mail = OutgoingMail {
        reply_to: super::reply::address(app, ws, &from.email, dialog.id),
        from,
        to: vec![super::Address {
            name: visitor.name.as_ref().map(|n| n.as_str().to_owned()),
            email: to.as_str().to_owned(),
        }],
        subject: rendered.subject,
        text: rendered.text.clone(),
        message_id: mail_id.clone(),
        in_reply_to,
        references,
        auto_submitted: false,
        files,
    };
    match app.mail.send(&smtp, &mail).await {
        Ok(()) => {
            let now = app.clock.now();
            app.store.save_mail_followup(ws, dialog.id, newest, now).await.map_err(store_failure)?;
            app.store.add_mail_thread(ws, dialog.id, &mail_id, now).await.map_err(store_failure)?;
            Ok(Outcome::Sent { text: rendered.text, receipt: format!("accepted for {}", to.as_str()) })
        }
        Err(e) => Err(super::send_failure(e)),
    }
}
