//! The test mail servers on loopback (`.ci/mailstack.sh`: Exim for SMTP, Dovecot for IMAP),
//! found through `FRONTLINE_TEST_SMTP`, `FRONTLINE_TEST_IMAP` and `FRONTLINE_TEST_MAIL_DIR`.
//! Each test makes mailboxes of its own (a line added to the servers' user file, which both
//! read on each use), so tests never read each other's mail.

use frontline_core::mail::{MailServer, Security};
use std::io::Write;
use std::path::PathBuf;

/// The running mail servers.
#[derive(Debug, Clone)]
pub struct MailStack {
    dir: PathBuf,
    smtp: (String, u16),
    imap: (String, u16),
}

/// A mailbox of a test: its address and how to read it.
#[derive(Debug, Clone)]
pub struct TestMailbox {
    pub address: String,
    pub imap: MailServer,
}

fn host_port(v: &str) -> Option<(String, u16)> {
    let (h, p) = v.rsplit_once(':')?;
    Some((h.to_owned(), p.parse().ok()?))
}

impl MailStack {
    /// The servers, or `None` when they are not configured (a failure under `CI`).
    pub fn from_env() -> Option<Self> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        match (var("FRONTLINE_TEST_SMTP"), var("FRONTLINE_TEST_IMAP"), var("FRONTLINE_TEST_MAIL_DIR")) {
            (Some(smtp), Some(imap), Some(dir)) => Some(Self {
                dir: PathBuf::from(dir),
                smtp: host_port(&smtp).expect("FRONTLINE_TEST_SMTP: host:port"),
                imap: host_port(&imap).expect("FRONTLINE_TEST_IMAP: host:port"),
            }),
            _ if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") => {
                panic!(
                    "CI is set but the test mail servers are not (FRONTLINE_TEST_SMTP, _IMAP, _MAIL_DIR): mail tests cannot be skipped in CI"
                )
            }
            _ => {
                eprintln!("the test mail servers are not set (bash .ci/mailstack.sh start): skipping a mail test");
                None
            }
        }
    }

    /// SMTP submission without a login (the test server relays loopback mail to its mailboxes).
    pub fn smtp(&self) -> MailServer {
        MailServer {
            host: self.smtp.0.clone(),
            port: self.smtp.1,
            security: Security::None,
            username: String::new(),
            password: String::new(),
        }
    }

    /// Whether Dovecot lets this mailbox sign in (IMAP `LOGIN`).
    fn can_sign_in(&self, user: &str, password: &str) -> bool {
        use std::io::{BufRead, BufReader};
        let Ok(stream) = std::net::TcpStream::connect((self.imap.0.as_str(), self.imap.1)) else { return false };
        let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
        let mut reader = BufReader::new(stream.try_clone().expect("stream"));
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() {
            return false;
        }
        let mut writer = stream;
        if write!(writer, "a1 LOGIN {user} {password}\r\na2 LOGOUT\r\n").is_err() {
            return false;
        }
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return false,
                Ok(_) if line.starts_with("a1 OK") => return true,
                Ok(_) if line.starts_with("a1 ") => return false,
                Ok(_) => {}
            }
        }
    }

    /// A new mailbox `<name>-<unique>@mail.test`.
    pub fn mailbox(&self, name: &str) -> TestMailbox {
        let user = format!("{name}-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);
        let password = format!("pw-{}", uuid::Uuid::now_v7().simple());
        let mut users =
            std::fs::OpenOptions::new().append(true).open(self.dir.join("users")).expect("the mail servers' user file");
        // Tests run in parallel processes: one writer at a time. Dovecot reads the file again
        // when its modification time changes, to the second: each addition moves it on by a
        // second at least, so two additions within one second are both seen.
        users.lock().expect("lock the user file");
        writeln!(users, "{user}:{{PLAIN}}{password}").expect("add a mailbox");
        let before = users.metadata().and_then(|m| m.modified()).unwrap_or(std::time::SystemTime::UNIX_EPOCH);
        let next = (before + std::time::Duration::from_secs(1)).max(std::time::SystemTime::now());
        users.set_modified(next).expect("move the user file's time on");
        users.unlock().expect("unlock the user file");
        // Dovecot looks at the file at most once a second: wait until the new mailbox can sign
        // in, so mail for it is not refused as for an unknown user.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !self.can_sign_in(&user, &password) {
            assert!(std::time::Instant::now() < deadline, "the mail servers never saw the mailbox {user}");
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        TestMailbox {
            address: format!("{user}@mail.test"),
            imap: MailServer {
                host: self.imap.0.clone(),
                port: self.imap.1,
                security: Security::None,
                username: user,
                password,
            },
        }
    }
}
