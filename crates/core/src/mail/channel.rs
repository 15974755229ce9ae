//! E-mail as a channel: mail to the support address opens a dialog (or continues the sender's
//! open one), and operators' replies in a dialog of an e-mail contact go out by mail, threaded
//! under his (`In-Reply-To`, `References`).
//!
//! Reading: each enabled setup's mailbox is read from where it stands (UIDVALIDITY and the last
//! UID); a new setup starts at its newest mail, so old mail opens nothing. Mail written by a
//! program (out-of-office replies, bounces, lists: `ParsedMail::automatic`) and mail from the
//! support address itself are passed over. A mail's Message-ID is kept in its dialog's thread,
//! so reading it again (another node, a crash before the position moved) stores nothing twice.

use super::reply::Named;
use super::settings::servers;
use super::{MailError, OutgoingMail, ParsedMail};
use crate::App;
use crate::error::CoreError;
use crate::telegram::outbound::{Failure, Outcome, Sent, report, store_failure};
use frontline_domain::{Audience, ContactSource, Email, RoutingContext, Visitor, VisitorId, VisitorName};
use frontline_store::NewContact;
use frontline_store::events::OutboxJob;
use frontline_store::mail::{MailOriginal, StoredMail};
use std::time::Duration;

/// Mails read from a mailbox at once.
const BATCH: u32 = 50;

fn mail_failure(e: MailError) -> CoreError {
    CoreError::Unavailable(e.to_string())
}

/// Reads every enabled mailbox once; answers how many mails became messages.
pub async fn read_all(app: &App) -> usize {
    let setups = match app.store.enabled_mail_settings().await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "mail: reading the setups failed");
            return 0;
        }
    };
    let mut n = 0;
    let now = app.clock.now();
    // A mailbox is read by one node at a time; its lease outlasts a few reading ticks.
    let until = frontline_domain::Timestamp(now.0 + (app.config.mail_read_ms * 3).max(30_000));
    for s in setups {
        match app.store.claim_mail_reader(s.workspace_id, app.node, until, now).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(workspace = %s.workspace_id.0, error = %e, "mail: taking the mailbox's lease failed");
                continue;
            }
        }
        match read_once(app, &s).await {
            Ok(k) => n += k,
            Err(e) => tracing::warn!(workspace = %s.workspace_id.0, error = %e, "mail: reading the mailbox failed"),
        }
    }
    n
}

/// How long one IDLE waits before it is started again (servers end one after 30 minutes).
const IDLE_FOR: Duration = Duration::from_secs(9 * 60);

/// Keeps one IDLE watcher per enabled mailbox this node reads: mail is read the moment the
/// server tells of it, the 10-second reading being the fallback (a server without IDLE, a
/// watcher between connections).
async fn watch_all(app: App, stop: tokio::sync::watch::Receiver<bool>) {
    let mut watching: std::collections::HashMap<frontline_domain::WorkspaceId, tokio::task::JoinHandle<()>> =
        std::collections::HashMap::new();
    loop {
        if *stop.borrow() {
            break;
        }
        watching.retain(|_, task| !task.is_finished());
        if let Ok(setups) = app.store.enabled_mail_settings().await {
            for s in setups {
                watching
                    .entry(s.workspace_id)
                    .or_insert_with(|| tokio::spawn(watch_one(app.clone(), s.workspace_id, stop.clone())));
            }
        }
        let mut stop = stop.clone();
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = stop.changed() => break,
        }
    }
    for (_, task) in watching {
        task.abort();
    }
}

/// Waits in one workspace's mailbox and reads it when told; ends when mail is switched off or
/// the server offers no IDLE.
async fn watch_one(app: App, ws: frontline_domain::WorkspaceId, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        let stored = match app.store.mail_settings(ws).await {
            Ok(Some(s)) if s.enabled && s.uid_validity != 0 => s,
            // A new setup: the reader notes where the mailbox stands first.
            Ok(Some(s)) if s.enabled => {
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
            _ => return,
        };
        let Ok((_, _, imap, mailbox)) = servers(&app, &stored) else { return };
        let waited = tokio::select! {
            w = app.mail.wait(&imap, &mailbox, IDLE_FOR) => w,
            _ = stop.changed() => return,
        };
        match waited {
            Ok(false) => {}
            Ok(true) => {
                let now = app.clock.now();
                let until = frontline_domain::Timestamp(now.0 + (app.config.mail_read_ms * 3).max(30_000));
                if app.store.claim_mail_reader(ws, app.node, until, now).await.unwrap_or(false)
                    && let Ok(Some(fresh)) = app.store.mail_settings(ws).await
                    && let Err(e) = read_once(&app, &fresh).await
                {
                    tracing::warn!(workspace = %ws.0, error = %e, "mail: reading after IDLE failed");
                }
            }
            Err(MailError::Refused { reason, .. }) => {
                tracing::info!(workspace = %ws.0, %reason, "mail: no IDLE; the mailbox is read every few seconds");
                return;
            }
            Err(MailError::Unreachable(e)) => {
                tracing::debug!(workspace = %ws.0, error = %e, "mail: IDLE lost its server; trying again shortly");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(15)) => {}
                    _ = stop.changed() => return,
                }
            }
        }
    }
}

/// Reads the mailboxes every `every` (and at once when IDLE tells of mail), and mails
/// operators' gathered notices, until `stop`.
pub async fn run(app: App, every: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
    let watcher = tokio::spawn(watch_all(app.clone(), stop.clone()));
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => break,
        }
        if *stop.borrow() {
            break;
        }
        read_all(&app).await;
        if let Err(e) = super::notices::send_due(&app).await {
            tracing::warn!(error = %e, "mail: sending operators' notices failed");
        }
    }
    watcher.abort();
    // Another node may read at once rather than after the lease.
    if let Err(e) = app.store.release_mail_readers(app.node).await {
        tracing::warn!(error = %e, "mail: letting go of the mailboxes failed");
    }
}

/// Reads one workspace's mailbox from where it stands; answers how many mails became messages.
pub async fn read_once(app: &App, stored: &StoredMail) -> Result<usize, CoreError> {
    let ws = stored.workspace_id;
    let (support, _smtp, imap, mailbox) = servers(app, stored)?;
    let port = app.mail.as_ref();
    if stored.uid_validity == 0 {
        // A new setup: read what comes from now on. Only once: a pass that read the setup
        // before another pass started it would otherwise start it again, later, past the mail
        // that came in between.
        let (validity, newest) = port.position(&imap, &mailbox).await.map_err(mail_failure)?;
        app.store.start_mail_position(ws, i64::from(validity), i64::from(newest)).await?;
        return Ok(0);
    }
    let after = u32::try_from(stored.last_uid).unwrap_or(0);
    let fetched = port.fetch(&imap, &mailbox, after, BATCH).await.map_err(mail_failure)?;
    if i64::from(fetched.uid_validity) != stored.uid_validity {
        // The server renumbered the mailbox: its old UIDs mean nothing; go on from its newest.
        tracing::warn!(workspace = %ws.0, "mail: the mailbox's UIDVALIDITY changed; reading from its newest mail");
        let (validity, newest) = port.position(&imap, &mailbox).await.map_err(mail_failure)?;
        app.store.save_mail_position(ws, i64::from(validity), i64::from(newest)).await?;
        return Ok(0);
    }
    let mut taken = 0;
    for (uid, raw) in fetched.mails {
        match port.parse(&raw) {
            Some(mail) => match take(app, stored, &support.email, mail, &raw, uid).await {
                Ok(true) => taken += 1,
                Ok(false) => {}
                // The database is away: the position stays, the mail is read again.
                Err(e @ CoreError::Unavailable(_)) => return Err(e),
                Err(e) => tracing::warn!(workspace = %ws.0, uid, error = %e, "mail: a mail was not taken"),
            },
            None => tracing::warn!(workspace = %ws.0, uid, "mail: not a mail; passed over"),
        }
        app.store.save_mail_position(ws, stored.uid_validity, i64::from(uid)).await?;
    }
    Ok(taken)
}

/// The part of a mail's text that is his: up to the quoted history or the signature.
pub fn own_words(text: &str) -> String {
    let mut kept = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        let quoted_history = t.starts_with('>')
            || t == "-- "
            || t == "--"
            || t.starts_with("-----Original Message-----")
            || t.starts_with("-------- Исходное сообщение")
            || t.starts_with("-------- Original Message")
            || (t.starts_with("On ") && t.ends_with("wrote:"))
            || t.ends_with("пишет:")
            || t.ends_with("написал:")
            || t.ends_with("написала:");
        if quoted_history && !kept.iter().all(|l: &&str| l.trim().is_empty()) {
            break;
        }
        if !t.starts_with('>') {
            kept.push(line);
        }
    }
    kept.join("\n").trim().to_owned()
}

/// A short, stable client id for a Message-ID.
fn client_id(mail_id: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(mail_id.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("mail-{hex}")
}

/// Which dialog a mail answers, and as whom it is written: the dialog its signed reply address
/// or its references name, when the sender is that dialog's visitor (a widget visitor who left
/// his address, or an e-mail contact); else the sender as an e-mail contact of his own.
async fn answered(
    app: &App,
    ws: frontline_domain::WorkspaceId,
    support: &str,
    mail: &ParsedMail,
    sender: &Email,
) -> Result<Option<(Visitor, frontline_domain::Dialog)>, CoreError> {
    let dialog = match super::reply::named(app, ws, support, &mail.to) {
        Named::Dialog(d) => Some(d),
        // Answered in `take`, before this.
        Named::Ticket(_) => None,
        Named::Forged => {
            tracing::info!(workspace = %ws.0, "mail: a reply address whose signature does not hold; taken as a new mail");
            return Ok(None);
        }
        Named::Nothing => {
            let mut ids: Vec<String> = mail.references.clone();
            ids.extend(mail.in_reply_to.iter().cloned());
            if ids.is_empty() { None } else { app.store.dialog_of_mail(ws, &ids).await? }
        }
    };
    let Some(dialog) = dialog else { return Ok(None) };
    let dialog = match app.store.dialog(ws, dialog).await {
        Ok(d) => d,
        Err(frontline_store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let visitor = app.store.visitor(ws, dialog.visitor_id).await?;
    let his = visitor.email.as_ref().is_some_and(|e| e.as_str().eq_ignore_ascii_case(sender.as_str()));
    if !his {
        tracing::info!(workspace = %ws.0, "mail: an answer to a dialog from someone else's address; taken as a new mail");
        return Ok(None);
    }
    Ok(Some((visitor, dialog)))
}

/// Makes a message of a mail; `false` when it is not one for operators (automatic, from the
/// support address, without a sender, read before).
async fn take(
    app: &App,
    stored: &StoredMail,
    support: &str,
    mail: ParsedMail,
    raw: &[u8],
    uid: u32,
) -> Result<bool, CoreError> {
    let ws = stored.workspace_id;
    if mail.automatic {
        tracing::info!(workspace = %ws.0, uid, "mail: an automatic mail (out of office, bounce, list) passed over");
        return Ok(false);
    }
    let Some(sender) = mail.from.clone() else { return Ok(false) };
    if sender.email.eq_ignore_ascii_case(support) {
        return Ok(false);
    }
    let Ok(email) = Email::parse(&sender.email) else { return Ok(false) };
    let mail_id = mail.message_id.clone().unwrap_or_else(|| format!("uid-{}-{uid}@{}", stored.uid_validity, ws.0));
    if app.store.dialog_of_mail(ws, std::slice::from_ref(&mail_id)).await?.is_some() {
        return Ok(false);
    }
    // A department answering its ticket: the answer lands on the ticket.
    if let Named::Ticket(id) = super::reply::named(app, ws, support, &mail.to)
        && let Ok(ticket) = app.store.ticket(ws, id).await
        && ticket.address.eq_ignore_ascii_case(email.as_str())
    {
        let (words, dialog) = (own_words(&mail.text), ticket.dialog_id);
        crate::forms::department_answered(app, ticket, email.as_str(), &words, &mail_id).await?;
        // Kept in the dialog's thread: read again, it is taken no second time.
        app.store.add_mail_thread(ws, dialog, &mail_id, app.clock.now()).await?;
        return Ok(true);
    }
    let (contact, channel, answering) = match answered(app, ws, support, &mail, &email).await? {
        Some((visitor, dialog)) => (visitor, dialog.channel_id, true),
        None => {
            let contact = app
                .store
                .upsert_contact(&NewContact {
                    id: VisitorId::new(),
                    workspace_id: ws,
                    source: ContactSource::Email,
                    external_id: email.as_str().to_lowercase(),
                    name: sender.name.as_deref().and_then(|n| VisitorName::parse(n).ok()),
                    email: Some(email),
                    created_at: app.clock.now(),
                })
                .await?;
            (contact, stored.channel_id, false)
        }
    };
    // A blocked contact's mail is passed over (kept in the mailbox, no dialog).
    if crate::moderation::is_blocked(app, &contact).await? {
        tracing::info!(workspace = %ws.0, uid, "mail: from a blocked contact, passed over");
        return Ok(false);
    }
    let open = app
        .store
        .latest_dialog_of_visitor(ws, contact.id)
        .await?
        .is_some_and(|d| d.status == frontline_domain::DialogStatus::Open);
    let mut lines = Vec::new();
    let subject = mail.subject.trim();
    if !open && !answering && !subject.is_empty() {
        lines.push(format!("Тема: {subject}"));
    }
    let words = own_words(&mail.text);
    if !words.is_empty() {
        lines.push(words);
    }
    let mut files = Vec::new();
    for f in mail.files.iter().take(app.config.uploads.max_files) {
        match crate::files::upload(app, crate::files::Uploader::Contact(&contact), &f.name, &f.bytes).await {
            Ok(a) => files.push(a),
            Err(e) => lines.push(format!("📎 {}: {e}", f.name)),
        }
    }
    for f in mail.files.iter().skip(app.config.uploads.max_files) {
        lines.push(format!("📎 {}: more files than one message takes", f.name));
    }
    let text = lines.join("\n\n");
    let ctx = RoutingContext { mail_to: mail.to.iter().map(|a| a.email.clone()).collect(), ..Default::default() };
    let posted = crate::contacts::write(app, &contact, channel, &ctx, &client_id(&mail_id), &text, files).await?;
    app.store.add_mail_thread(ws, posted.dialog.id, &mail_id, app.clock.now()).await?;
    if !posted.duplicate {
        let limit = usize::try_from(app.config.uploads.max_bytes).unwrap_or(usize::MAX);
        let truncated = raw.len() > limit;
        app.store
            .save_mail_original(&MailOriginal {
                message_id: posted.message.id,
                workspace_id: ws,
                dialog_id: posted.dialog.id,
                raw: raw[..raw.len().min(limit)].to_vec(),
                truncated,
                at: app.clock.now(),
            })
            .await?;
    }
    Ok(true)
}

/// Mails one outbox job: an operator's message in a dialog of an e-mail contact.
pub async fn deliver(app: &App, job: &OutboxJob) -> Sent {
    let started = app.clock.now();
    let result = attempt(app, job).await;
    report(app, job, started, result)
}

async fn attempt(app: &App, job: &OutboxJob) -> Result<Outcome, Failure> {
    let ws = job.workspace_id;
    let stored = match app.store.mail_settings(ws).await.map_err(store_failure)? {
        Some(s) if s.enabled => s,
        _ => return Err(Failure::Final("mail is switched off".into(), None)),
    };
    let event = app.store.event(job.event_id).await.map_err(store_failure)?;
    let Some(message_id) = event.subject_id else { return Ok(Outcome::Skipped("no message")) };
    let message = app.store.messages_by_ids(&[message_id]).await.map_err(store_failure)?.into_iter().next();
    let Some(message) = message else { return Err(Failure::Final("the message is gone".into(), None)) };
    if message.audience != Audience::All {
        return Ok(Outcome::Skipped("a line for operators only"));
    }
    if message.event.is_some() {
        return Ok(Outcome::Skipped("a system line"));
    }
    let dialog = app.store.dialog(ws, message.dialog_id).await.map_err(store_failure)?;
    let visitor = app.store.visitor(ws, dialog.visitor_id).await.map_err(store_failure)?;
    let Some(to) = visitor.email.clone() else {
        return Err(Failure::Final("the contact has no address".into(), None));
    };
    let (from, smtp, _imap, _mailbox) = servers(app, &stored).map_err(|e| Failure::Final(e.to_string(), None))?;
    let thread = app.store.mail_thread(ws, dialog.id).await.map_err(store_failure)?;
    let first = app.store.messages(ws, dialog.id, 0, 1, false).await.map_err(store_failure)?;
    let topic = first
        .first()
        .and_then(|m| m.body.as_str().lines().next().and_then(|l| l.strip_prefix("Тема: ")).map(str::to_owned));
    let subject = match topic {
        Some(t) => format!("Re: {t}"),
        None => format!("Обращение №{} / Request #{}", dialog.number, dialog.number),
    };
    let mail_id = format!("{}@{}", message.id.0, from.domain());
    let (in_reply_to, references) = super::threading(&thread);
    let mut text = message.body.as_str().to_owned();
    let mut files = Vec::new();
    for a in &message.attachments {
        match crate::files::bytes_of(app, a).await {
            Ok(bytes) => {
                files.push(super::MailFile { name: a.name.clone(), content_type: a.content_type.clone(), bytes })
            }
            Err(_) => text.push_str(&format!("\n📎 {}", a.name)),
        }
    }
    let mail = OutgoingMail {
        reply_to: super::reply::address(app, ws, &from.email, dialog.id),
        from,
        to: vec![super::Address {
            name: visitor.name.as_ref().map(|n| n.as_str().to_owned()),
            email: to.as_str().to_owned(),
        }],
        subject,
        text: text.clone(),
        message_id: mail_id.clone(),
        in_reply_to,
        references,
        auto_submitted: false,
        files,
    };
    match app.mail.send(&smtp, &mail).await {
        Ok(()) => {
            app.store.add_mail_thread(ws, dialog.id, &mail_id, app.clock.now()).await.map_err(store_failure)?;
            Ok(Outcome::Sent { text, receipt: format!("accepted for {}", to.as_str()) })
        }
        Err(e) => Err(super::send_failure(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::own_words;

    #[test]
    fn quoted_history_and_signatures_are_cut() {
        let reply = "Спасибо, жду!\n\n-- \nИван\n\n> Кухня приедет в пятницу.";
        assert_eq!(own_words(reply), "Спасибо, жду!");
        let gmail = "Thanks!\n\nOn Fri, Dec 4, 2026 at 10:00 Support <s@example.com> wrote:\n> old";
        assert_eq!(own_words(gmail), "Thanks!");
        let russian = "Да, удобно.\n\n04.12.2026, 10:00, Поддержка пишет:\n> Когда удобно?";
        assert_eq!(own_words(russian), "Да, удобно.");
        assert_eq!(own_words("> only quoted\n> text"), "");
        assert_eq!(own_words("Вопрос про заказ\nномер 12345"), "Вопрос про заказ\nномер 12345");
    }
}
