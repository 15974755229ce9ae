//! A workspace's mail setup, as admins edit it: the support address, the SMTP server mail goes
//! out through, the IMAP mailbox mail to the support address is read from, and the channel
//! that mail opens dialogs in. Passwords are sealed at rest and never shown again; a test sends
//! a mail to the support address and reads it back.

use super::{Address, MailError, MailServer, OutgoingMail, Security};
use crate::App;
use crate::actor::Admin;
use crate::error::CoreError;
use frontline_domain::{ChannelId, Email};
use frontline_store::StoreError;
use frontline_store::mail::StoredMail;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use utoipa::ToSchema;

/// A server as admins see it (never its password).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct ServerView {
    pub host: String,
    pub port: u16,
    /// `none` (plain: loopback only), `starttls` or `tls`.
    #[schema(value_type = String, pattern = "^(none|starttls|tls)$")]
    pub security: Security,
    /// Empty: no login.
    pub username: String,
    /// Whether a password is kept.
    #[serde(default)]
    pub password_set: bool,
}

/// The setup as admins see it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct MailSettingsView {
    /// The support address: mail goes out from it and mail to it opens dialogs.
    pub address: String,
    /// The name mail goes out under (`Кухни «Уют»`).
    pub display_name: String,
    pub smtp: ServerView,
    pub imap: ServerView,
    /// The IMAP folder read (`INBOX`).
    pub mailbox: String,
    /// Where mail to the support address opens dialogs.
    pub channel_id: uuid::Uuid,
    pub enabled: bool,
    /// Minutes an operator's reply may stay unseen in the widget before it is mailed to a
    /// visitor who left his address (0: never).
    pub followup_minutes: i64,
}

/// A server as an admin sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ServerInput {
    /// A host name or address, 1–253 characters.
    #[schema(min_length = 1, max_length = 253)]
    pub host: String,
    /// 1–65535.
    #[schema(minimum = 1, maximum = 65535)]
    pub port: u16,
    #[schema(value_type = String, pattern = "^(none|starttls|tls)$")]
    pub security: Security,
    /// At most 200 characters; empty: no login.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub username: String,
    /// Left out: the kept one stays; empty: none.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub password: Option<String>,
}

/// The setup as an admin sends it (whole).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MailSettingsInput {
    pub address: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub display_name: String,
    pub smtp: ServerInput,
    pub imap: ServerInput,
    /// Default `INBOX`.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub mailbox: Option<String>,
    /// Default: the workspace's default channel.
    #[serde(default)]
    pub channel_id: Option<uuid::Uuid>,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// 0–1440, default 2; 0: replies are never mailed to website visitors.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1440)]
    pub followup_minutes: Option<i64>,
}

fn yes() -> bool {
    true
}

/// What is kept in the stored document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Document {
    address: String,
    display_name: String,
    smtp: Server,
    imap: Server,
    mailbox: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Server {
    host: String,
    port: u16,
    security: Security,
    username: String,
}

fn invalid(field: &str, reason: &str) -> CoreError {
    CoreError::Invalid { field: field.to_owned(), reason: reason.to_owned() }
}

fn server(input: &ServerInput, field: &str) -> Result<Server, CoreError> {
    let host = input.host.trim();
    if host.is_empty() || host.len() > 253 || host.chars().any(|c| c.is_whitespace() || c.is_control() || c == '/') {
        return Err(invalid(&format!("{field}.host"), "a host name or address"));
    }
    if input.port == 0 {
        return Err(invalid(&format!("{field}.port"), "1–65535"));
    }
    if input.username.chars().count() > 200 || input.username.chars().any(char::is_control) {
        return Err(invalid(&format!("{field}.username"), "at most 200 characters"));
    }
    if input.password.as_ref().is_some_and(|p| p.chars().count() > 500) {
        return Err(invalid(&format!("{field}.password"), "at most 500 characters"));
    }
    Ok(Server { host: host.to_owned(), port: input.port, security: input.security, username: input.username.clone() })
}

fn view(stored: &StoredMail) -> Result<MailSettingsView, CoreError> {
    let d: Document =
        serde_json::from_str(&stored.document).map_err(|e| CoreError::Internal(format!("mail setup: {e}")))?;
    let server_view = |s: &Server, set: bool| ServerView {
        host: s.host.clone(),
        port: s.port,
        security: s.security,
        username: s.username.clone(),
        password_set: set,
    };
    Ok(MailSettingsView {
        address: d.address,
        display_name: d.display_name,
        smtp: server_view(&d.smtp, stored.smtp_password_sealed.is_some()),
        imap: server_view(&d.imap, stored.imap_password_sealed.is_some()),
        mailbox: d.mailbox,
        channel_id: stored.channel_id.0,
        enabled: stored.enabled,
        followup_minutes: stored.followup_ms / 60_000,
    })
}

/// The workspace's setup; `None` before an admin made one.
pub async fn get(app: &App, admin: &Admin<'_>) -> Result<Option<MailSettingsView>, CoreError> {
    app.store.mail_settings(admin.workspace()).await?.as_ref().map(view).transpose()
}

/// What a password field binds its seal to.
fn bound(ws: frontline_domain::WorkspaceId, which: &str) -> Vec<u8> {
    let mut b = ws.0.as_bytes().to_vec();
    b.extend_from_slice(which.as_bytes());
    b
}

/// An admin writes the setup whole; a bad field is named (`smtp.port`) and nothing changes.
/// Another mailbox (server, account or folder) is read from its newest mail on.
pub async fn put(app: &App, admin: &Admin<'_>, input: &MailSettingsInput) -> Result<MailSettingsView, CoreError> {
    let ws = admin.workspace();
    let address = Email::parse(input.address.trim()).map_err(|_| invalid("address", "an e-mail address"))?;
    let display_name = input.display_name.trim();
    if display_name.chars().count() > 100 || display_name.chars().any(char::is_control) {
        return Err(invalid("display_name", "at most 100 characters"));
    }
    let smtp = server(&input.smtp, "smtp")?;
    let imap = server(&input.imap, "imap")?;
    let mailbox = input.mailbox.as_deref().map(str::trim).filter(|m| !m.is_empty()).unwrap_or("INBOX");
    if mailbox.chars().count() > 100 || mailbox.chars().any(char::is_control) {
        return Err(invalid("mailbox", "1–100 characters"));
    }
    let followup_minutes = input.followup_minutes.unwrap_or(2);
    if !(0..=1440).contains(&followup_minutes) {
        return Err(invalid("followup_minutes", "0–1440 minutes"));
    }
    let channel = match input.channel_id {
        Some(id) => ChannelId(id),
        None => app
            .store
            .list_channels(ws)
            .await?
            .into_iter()
            .find(|c| c.is_default)
            .map(|c| c.id)
            .ok_or_else(|| CoreError::Internal("no default channel".into()))?,
    };
    if !app.store.list_channels(ws).await?.iter().any(|c| c.id == channel) {
        return Err(CoreError::UnknownReference { field: "channel_id".into(), what: "channel" });
    }
    let key =
        app.config.seal_key.as_ref().ok_or_else(|| CoreError::Unavailable("this server has no sealing key".into()))?;
    let before = app.store.mail_settings(ws).await?;
    let seal = |given: &Option<String>, kept: Option<String>, which: &str| -> Result<Option<String>, CoreError> {
        match given {
            None => Ok(kept),
            Some(p) if p.is_empty() => Ok(None),
            Some(p) => key.seal(p, &bound(ws, which)).map(Some),
        }
    };
    let smtp_password =
        seal(&input.smtp.password, before.as_ref().and_then(|b| b.smtp_password_sealed.clone()), "smtp")?;
    let imap_password =
        seal(&input.imap.password, before.as_ref().and_then(|b| b.imap_password_sealed.clone()), "imap")?;
    let document = Document {
        address: address.as_str().to_owned(),
        display_name: display_name.to_owned(),
        smtp,
        imap,
        mailbox: mailbox.to_owned(),
    };
    // The same mailbox keeps its reading position; another starts over (from its newest mail).
    let same_mailbox = before
        .as_ref()
        .and_then(|b| serde_json::from_str::<Document>(&b.document).ok())
        .is_some_and(|d| d.imap == document.imap && d.mailbox == document.mailbox);
    let (uid_validity, last_uid) = match (&before, same_mailbox) {
        (Some(b), true) => (b.uid_validity, b.last_uid),
        _ => (0, 0),
    };
    let text = serde_json::to_string(&document).map_err(|e| CoreError::Internal(e.to_string()))?;
    let stored = StoredMail {
        workspace_id: ws,
        document: text,
        smtp_password_sealed: smtp_password,
        imap_password_sealed: imap_password,
        channel_id: channel,
        enabled: input.enabled,
        uid_validity,
        last_uid,
        updated_at: app.clock.now(),
        followup_ms: followup_minutes * 60_000,
    };
    match app.store.save_mail_settings(&stored).await {
        Ok(()) => {}
        Err(StoreError::NotFound) => {
            return Err(CoreError::UnknownReference { field: "channel_id".into(), what: "channel" });
        }
        Err(e) => return Err(e.into()),
    }
    let entry = crate::operators::audit_entry(
        app,
        Some(ws),
        Some(&admin.operator),
        "mail.settings_changed",
        None,
        None,
        serde_json::json!({ "address": document.address }),
    );
    crate::operators::record(app, vec![entry]).await;
    view(&stored)
}

/// One leg of a test: whether it worked, and what went wrong.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct TestLeg {
    pub ok: bool,
    /// Why not, as the server said it.
    pub error: Option<String>,
}

/// What a test showed.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct MailTestView {
    /// The test mail was accepted by the SMTP server.
    pub smtp: TestLeg,
    /// The IMAP mailbox could be read, and the test mail was found in it.
    pub imap: TestLeg,
    /// From sending to finding it, in milliseconds.
    pub round_trip_ms: Option<i64>,
}

/// How long the test waits for its mail to arrive.
const TEST_WAIT: Duration = Duration::from_secs(20);

fn leg(r: Result<(), String>) -> TestLeg {
    match r {
        Ok(()) => TestLeg { ok: true, error: None },
        Err(e) => TestLeg { ok: false, error: Some(e) },
    }
}

/// The servers of a stored setup, passwords opened.
pub fn servers(app: &App, stored: &StoredMail) -> Result<(Address, MailServer, MailServer, String), CoreError> {
    let d: Document =
        serde_json::from_str(&stored.document).map_err(|e| CoreError::Internal(format!("mail setup: {e}")))?;
    let key =
        app.config.seal_key.as_ref().ok_or_else(|| CoreError::Unavailable("this server has no sealing key".into()))?;
    let open = |sealed: &Option<String>, which: &str| -> Result<String, CoreError> {
        match sealed {
            Some(s) => key.open(s, &bound(stored.workspace_id, which)),
            None => Ok(String::new()),
        }
    };
    let server = |s: &Server, password: String| MailServer {
        host: s.host.clone(),
        port: s.port,
        security: s.security,
        username: s.username.clone(),
        password,
    };
    let from = Address { name: (!d.display_name.is_empty()).then(|| d.display_name.clone()), email: d.address.clone() };
    Ok((
        from,
        server(&d.smtp, open(&stored.smtp_password_sealed, "smtp")?),
        server(&d.imap, open(&stored.imap_password_sealed, "imap")?),
        d.mailbox,
    ))
}

fn said(e: MailError) -> String {
    e.to_string()
}

/// Sends a test mail from the support address to itself and reads the mailbox until it
/// arrives (at most 20 s). The test mail is marked automatic, so reading it later opens no
/// dialog.
pub async fn test(app: &App, admin: &Admin<'_>) -> Result<MailTestView, CoreError> {
    let stored = app
        .store
        .mail_settings(admin.workspace())
        .await?
        .ok_or_else(|| CoreError::Invalid { field: "mail".into(), reason: "mail is not set up yet".into() })?;
    let (from, smtp, imap, mailbox) = servers(app, &stored)?;
    let mail_port = app.mail.as_ref();
    let before = mail_port.position(&imap, &mailbox).await;
    let id = format!("test-{}@{}", uuid::Uuid::now_v7(), from.domain());
    let mail = OutgoingMail {
        from: from.clone(),
        to: vec![Address::new(&from.email)],
        reply_to: None,
        subject: "Frontline: проверка почты / mail test".into(),
        text: "Это проверочное письмо Frontline. / This is a Frontline test mail.".into(),
        message_id: id.clone(),
        in_reply_to: None,
        references: Vec::new(),
        auto_submitted: true,
        files: Vec::new(),
    };
    let started = Instant::now();
    let sent = mail_port.send(&smtp, &mail).await.map_err(said);
    let smtp_leg = leg(sent.clone());
    let imap_leg = match (&before, &sent) {
        (Err(e), _) => leg(Err(e.to_string())),
        (Ok(_), Err(_)) => TestLeg { ok: true, error: Some("read, but no test mail was sent to find".into()) },
        (Ok((_, last)), Ok(())) => {
            let mut found = false;
            let mut failure = None;
            while started.elapsed() < TEST_WAIT {
                match mail_port.fetch(&imap, &mailbox, *last, 200).await {
                    Ok(f) => {
                        if f.mails.iter().any(|(_, raw)| {
                            mail_port
                                .parse(raw)
                                .and_then(|p| p.message_id)
                                .is_some_and(|m| m.trim_matches(['<', '>']) == id)
                        }) {
                            found = true;
                            break;
                        }
                    }
                    Err(e) => {
                        failure = Some(e.to_string());
                        break;
                    }
                }
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            match (found, failure) {
                (true, _) => leg(Ok(())),
                (false, Some(e)) => leg(Err(e)),
                (false, None) => {
                    leg(Err(format!("the test mail did not arrive in {mailbox} within {} s", TEST_WAIT.as_secs())))
                }
            }
        }
    };
    let round_trip_ms =
        (smtp_leg.ok && imap_leg.ok && imap_leg.error.is_none()).then(|| started.elapsed().as_millis() as i64);
    Ok(MailTestView { smtp: smtp_leg, imap: imap_leg, round_trip_ms })
}
