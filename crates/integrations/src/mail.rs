//! E-mail over SMTP (lettre) and IMAP (async-imap), MIME read with mail-parser: the real
//! [`MailPort`]. TLS is rustls on ring with the system's root certificates.

use frontline_core::mail::{
    Address, Fetched, MailError, MailFile, MailPort, MailServer, OutgoingMail, ParsedMail, Security,
};
use futures_util::TryStreamExt;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, Message, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// How long one SMTP or IMAP exchange may take.
const WAIT: Duration = Duration::from_secs(30);

/// The real mail client.
#[derive(Default)]
pub struct SmtpImap;

fn unreachable(e: impl std::fmt::Display) -> MailError {
    MailError::Unreachable(e.to_string())
}

fn mailbox(a: &Address) -> Result<Mailbox, MailError> {
    let email: lettre::Address = a
        .email
        .parse()
        .map_err(|e| MailError::Refused { permanent: true, reason: format!("the address {}: {e}", a.email) })?;
    Ok(Mailbox::new(a.name.clone(), email))
}

/// `Auto-Submitted: auto-generated` (RFC 3834).
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// The mail as lettre builds it.
pub fn build(mail: &OutgoingMail) -> Result<Message, MailError> {
    let bracket = |id: &str| format!("<{}>", id.trim_matches(['<', '>']));
    let mut b = Message::builder()
        .from(mailbox(&mail.from)?)
        .subject(&mail.subject)
        .message_id(Some(bracket(&mail.message_id)));
    for to in &mail.to {
        b = b.to(mailbox(to)?);
    }
    if let Some(r) = &mail.reply_to {
        b = b.reply_to(mailbox(r)?);
    }
    if let Some(id) = &mail.in_reply_to {
        b = b.in_reply_to(bracket(id));
    }
    if !mail.references.is_empty() {
        b = b.references(mail.references.iter().map(|r| bracket(r)).collect::<Vec<_>>().join(" "));
    }
    if mail.auto_submitted {
        b = b.header(AutoSubmitted);
    }
    let text = SinglePart::plain(mail.text.clone());
    let built = if mail.files.is_empty() {
        b.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for f in &mail.files {
            let kind = ContentType::parse(&f.content_type)
                .unwrap_or(ContentType::parse("application/octet-stream").map_err(unreachable)?);
            parts = parts.singlepart(Attachment::new(f.name.clone()).body(f.bytes.clone(), kind));
        }
        b.multipart(parts)
    };
    built.map_err(|e| MailError::Refused { permanent: true, reason: format!("the mail: {e}") })
}

fn smtp_error(e: lettre::transport::smtp::Error) -> MailError {
    if e.is_permanent() {
        MailError::Refused { permanent: true, reason: e.to_string() }
    } else if e.is_transient() {
        MailError::Refused { permanent: false, reason: e.to_string() }
    } else {
        MailError::Unreachable(e.to_string())
    }
}

/// The server's own words in async-imap's account of a NO (`code: None, info: Some("…")`).
fn server_said(no: &str) -> String {
    match no.split_once("info: Some(\"") {
        Some((_, rest)) => rest.strip_suffix("\")").unwrap_or(rest).replace("\\\"", "\""),
        None => no.to_owned(),
    }
}

/// Signs in and selects the mailbox.
async fn open<S>(
    stream: S,
    imap: &MailServer,
    mailbox: &str,
) -> Result<(async_imap::Session<S>, async_imap::types::Mailbox), MailError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let mut client = async_imap::Client::new(stream);
    client.read_response().await.map_err(unreachable)?.ok_or_else(|| unreachable("no IMAP greeting"))?;
    let mut session = client.login(&imap.username, &imap.password).await.map_err(|(e, _)| match e {
        async_imap::error::Error::No(reason) => {
            MailError::Refused { permanent: true, reason: format!("login: {}", server_said(&reason)) }
        }
        other => unreachable(other),
    })?;
    let selected = session.select(mailbox).await.map_err(|e| match e {
        async_imap::error::Error::No(reason) => {
            MailError::Refused { permanent: true, reason: format!("{mailbox}: {}", server_said(&reason)) }
        }
        other => unreachable(other),
    })?;
    Ok((session, selected))
}

async fn position_over<S>(stream: S, imap: &MailServer, mailbox: &str) -> Result<(u32, u32), MailError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let (mut session, selected) = open(stream, imap, mailbox).await?;
    let _ = session.logout().await;
    Ok((selected.uid_validity.unwrap_or(0), selected.uid_next.unwrap_or(1).saturating_sub(1)))
}

async fn fetch_over<S>(
    stream: S,
    imap: &MailServer,
    mailbox: &str,
    after_uid: u32,
    limit: u32,
) -> Result<Fetched, MailError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let (mut session, selected) = open(stream, imap, mailbox).await?;
    let uid_validity = selected.uid_validity.unwrap_or(0);
    let mut mails = Vec::new();
    // Nothing above the last UID: "N:*" would still answer the newest mail.
    if selected.uid_next.is_none_or(|next| next > after_uid.saturating_add(1)) {
        let range = format!("{}:*", after_uid.saturating_add(1));
        let fetched: Vec<async_imap::types::Fetch> = session
            .uid_fetch(&range, "(UID BODY.PEEK[])")
            .await
            .map_err(unreachable)?
            .try_collect()
            .await
            .map_err(unreachable)?;
        for f in fetched {
            if let (Some(uid), Some(body)) = (f.uid, f.body())
                && uid > after_uid
            {
                mails.push((uid, body.to_vec()));
            }
        }
        mails.sort_by_key(|(uid, _)| *uid);
        mails.truncate(limit as usize);
    }
    let _ = session.logout().await;
    Ok(Fetched { uid_validity, mails })
}

/// Waits in the mailbox with IDLE (RFC 2177) until the server tells of a change or `max`
/// passes.
async fn wait_over<S>(stream: S, imap: &MailServer, mailbox: &str, max: Duration) -> Result<bool, MailError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let (mut session, _) = within(open(stream, imap, mailbox)).await?;
    let capabilities = within(async { session.capabilities().await.map_err(unreachable) }).await?;
    if !capabilities.has_str("IDLE") {
        let _ = session.logout().await;
        return Err(MailError::Refused { permanent: true, reason: "the server offers no IDLE".into() });
    }
    let mut idle = session.idle();
    within(async { idle.init().await.map_err(unreachable) }).await?;
    let got = {
        let (waiting, _stop) = idle.wait_with_timeout(max);
        waiting.await.map_err(unreachable)?
    };
    let changed = matches!(got, async_imap::extensions::idle::IdleResponse::NewData(_));
    if let Ok(Ok(mut session)) = tokio::time::timeout(WAIT, idle.done()).await {
        let _ = session.logout().await;
    }
    Ok(changed)
}

#[async_trait::async_trait]
impl MailPort for SmtpImap {
    async fn wait(&self, imap: &MailServer, mailbox: &str, max: Duration) -> Result<bool, MailError> {
        match within(connect(imap)).await? {
            Stream::Plain(tcp) => wait_over(tcp, imap, mailbox, max).await,
            Stream::Tls(tls) => wait_over(*tls, imap, mailbox, max).await,
        }
    }

    async fn send(&self, smtp: &MailServer, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = build(mail)?;
        let builder = match smtp.security {
            Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
            Security::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).map_err(smtp_error)?
            }
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).map_err(smtp_error)?,
        };
        let mut builder = builder.port(smtp.port).timeout(Some(WAIT));
        if !smtp.username.is_empty() {
            builder = builder.credentials(Credentials::new(smtp.username.clone(), smtp.password.clone()));
        }
        let transport = builder.build();
        transport.send(message).await.map(|_| ()).map_err(smtp_error)
    }

    async fn fetch(&self, imap: &MailServer, mailbox: &str, after_uid: u32, limit: u32) -> Result<Fetched, MailError> {
        within(async {
            match connect(imap).await? {
                Stream::Plain(tcp) => fetch_over(tcp, imap, mailbox, after_uid, limit).await,
                Stream::Tls(tls) => fetch_over(*tls, imap, mailbox, after_uid, limit).await,
            }
        })
        .await
    }

    async fn position(&self, imap: &MailServer, mailbox: &str) -> Result<(u32, u32), MailError> {
        within(async {
            match connect(imap).await? {
                Stream::Plain(tcp) => position_over(tcp, imap, mailbox).await,
                Stream::Tls(tls) => position_over(*tls, imap, mailbox).await,
            }
        })
        .await
    }

    fn parse(&self, raw: &[u8]) -> Option<ParsedMail> {
        parse(raw)
    }
}

enum Stream {
    Plain(tokio::net::TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>),
}

async fn connect(imap: &MailServer) -> Result<Stream, MailError> {
    let tcp = tokio::net::TcpStream::connect((imap.host.as_str(), imap.port)).await.map_err(unreachable)?;
    match imap.security {
        Security::None => Ok(Stream::Plain(tcp)),
        Security::Tls => {
            let config = crate::webhooks::tls_config("IMAP").map_err(unreachable)?;
            let name = rustls::pki_types::ServerName::try_from(imap.host.clone()).map_err(unreachable)?;
            let tls =
                tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await.map_err(unreachable)?;
            Ok(Stream::Tls(Box::new(tls)))
        }
        Security::StartTls => Err(MailError::Refused {
            permanent: true,
            reason: "IMAP is read over TLS (993) or, on loopback, plain; STARTTLS is not offered".into(),
        }),
    }
}

async fn within<T>(work: impl std::future::Future<Output = Result<T, MailError>>) -> Result<T, MailError> {
    match tokio::time::timeout(WAIT, work).await {
        Ok(r) => r,
        Err(_) => Err(MailError::Unreachable(format!("IMAP: no answer within {} s", WAIT.as_secs()))),
    }
}

/// Reads a mail.
pub fn parse(raw: &[u8]) -> Option<ParsedMail> {
    use mail_parser::{HeaderValue as Hv, MessageParser, MimeHeaders};
    let m = MessageParser::default().parse(raw)?;
    let addresses = |a: Option<&mail_parser::Address>| -> Vec<Address> {
        a.map(|a| {
            a.iter()
                .filter_map(|x| Some(Address { name: x.name().map(str::to_owned), email: x.address()?.to_lowercase() }))
                .collect()
        })
        .unwrap_or_default()
    };
    let ids = |v: &Hv| -> Vec<String> {
        match v {
            Hv::Text(t) => vec![t.to_string()],
            Hv::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
            _ => Vec::new(),
        }
    };
    let header = |name: &str| m.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    let auto_submitted = header("Auto-Submitted").is_some_and(|v| v != "no");
    let bulk = header("Precedence").is_some_and(|v| ["bulk", "list", "junk"].contains(&v.as_str()));
    let empty_return = header("Return-Path").is_some_and(|v| v == "<>");
    let text =
        m.body_text(0).map(|t| t.into_owned()).or_else(|| m.body_html(0).map(|h| h.into_owned())).unwrap_or_default();
    let files = m
        .attachments()
        .map(|a| MailFile {
            name: a.attachment_name().unwrap_or("file").to_owned(),
            content_type: a
                .content_type()
                .map(|c| match c.subtype() {
                    Some(sub) => format!("{}/{sub}", c.ctype()),
                    None => c.ctype().to_owned(),
                })
                .unwrap_or_else(|| "application/octet-stream".into()),
            bytes: a.contents().to_vec(),
        })
        .collect();
    Some(ParsedMail {
        message_id: m.message_id().map(str::to_owned),
        in_reply_to: ids(m.in_reply_to()),
        references: ids(m.references()),
        from: addresses(m.from()).into_iter().next(),
        to: {
            // Whom it was sent to: To, Cc, and where the server delivered it.
            let mut to = addresses(m.to());
            to.extend(addresses(m.cc()));
            for d in m.header_values("Delivered-To") {
                if let Some(t) = d.as_text() {
                    let t = t.trim().trim_matches(['<', '>']).to_lowercase();
                    if t.contains('@') && !to.iter().any(|a| a.email == t) {
                        to.push(Address { name: None, email: t });
                    }
                }
            }
            to
        },
        subject: m.subject().unwrap_or("").to_owned(),
        text,
        automatic: auto_submitted || bulk || empty_return,
        files,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_refusal_is_told_in_the_servers_words() {
        let no = r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#;
        assert_eq!(super::server_said(no), "[AUTHENTICATIONFAILED] Authentication failed.");
        assert_eq!(super::server_said("something else"), "something else");
    }
}
