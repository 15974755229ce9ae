//! E-mail (issue 15): the real SMTP and IMAP client (`frontline_integrations::SmtpImap`)
//! against the real servers of the test suite on loopback (Exim, Dovecot).

use frontline_core::mail::{Address, MailError, MailFile, MailPort, OutgoingMail, Security};
use frontline_integrations::SmtpImap;
use frontline_testkit::mail::{MailStack, TestMailbox};
use std::time::{Duration, Instant};

fn mail(from: &str, to: &str, subject: &str, text: &str) -> OutgoingMail {
    OutgoingMail {
        from: Address { name: Some("Кухни «Уют»".into()), email: from.into() },
        to: vec![Address::new(to)],
        reply_to: None,
        subject: subject.into(),
        text: text.into(),
        message_id: format!("{}@frontline.test", uuid::Uuid::now_v7()),
        in_reply_to: None,
        references: Vec::new(),
        auto_submitted: false,
        files: Vec::new(),
    }
}

/// Waits until the mailbox holds mail above `after`; answers it.
async fn arrived(client: &SmtpImap, mailbox: &TestMailbox, after: u32) -> frontline_core::mail::Fetched {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let fetched = client.fetch(&mailbox.imap, "INBOX", after, 50).await.expect("fetch");
        if !fetched.mails.is_empty() {
            return fetched;
        }
        assert!(Instant::now() < deadline, "no mail arrived in {}", mailbox.address);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn mail_goes_out_by_smtp_and_is_read_back_by_imap_once() {
    let Some(stack) = MailStack::from_env() else { return };
    let client = SmtpImap;
    let support = stack.mailbox("support");
    let visitor = stack.mailbox("visitor");

    // A mail with threading headers, a reply address and a file, in Russian.
    let mut first =
        mail(&support.address, &visitor.address, "Ответ по заказу №12345", "Здравствуйте!\n\nКухня приедет в пятницу.");
    first.reply_to = Some(Address::new("reply+abc.def@mail.test"));
    first.in_reply_to = Some("earlier@visitor.test".into());
    first.references = vec!["root@visitor.test".into(), "earlier@visitor.test".into()];
    first.files = vec![MailFile {
        name: "счёт.pdf".into(),
        content_type: "application/pdf".into(),
        bytes: b"%PDF-1.4 test".to_vec(),
    }];
    client.send(&stack.smtp(), &first).await.expect("send");
    let fetched = arrived(&client, &visitor, 0).await;
    assert_eq!(fetched.mails.len(), 1);
    let (uid, raw) = &fetched.mails[0];
    let parsed = client.parse(raw).expect("a mail");
    assert_eq!(parsed.subject, "Ответ по заказу №12345");
    assert!(parsed.text.contains("Кухня приедет в пятницу."), "{:?}", parsed.text);
    assert_eq!(parsed.message_id.as_deref(), Some(first.message_id.as_str()));
    assert_eq!(parsed.in_reply_to, vec!["earlier@visitor.test"]);
    assert_eq!(parsed.references, vec!["root@visitor.test", "earlier@visitor.test"]);
    assert_eq!(parsed.from.as_ref().map(|a| a.email.as_str()), Some(support.address.as_str()));
    assert_eq!(parsed.files.len(), 1);
    assert_eq!(
        (parsed.files[0].name.as_str(), parsed.files[0].bytes.as_slice()),
        ("счёт.pdf", b"%PDF-1.4 test".as_slice())
    );
    assert!(!parsed.automatic, "a person's mail");
    let raw_text = String::from_utf8_lossy(raw);
    assert!(raw_text.contains("Reply-To: reply+abc.def@mail.test"), "{raw_text}");

    // The position (UIDVALIDITY, last UID) reads nothing twice and skips nothing.
    let again = client.fetch(&visitor.imap, "INBOX", *uid, 50).await.expect("fetch");
    assert!(again.mails.is_empty(), "read twice");
    assert_eq!(again.uid_validity, fetched.uid_validity);
    let mut auto = mail(&support.address, &visitor.address, "Автоответ", "Я в отпуске до понедельника.");
    auto.auto_submitted = true;
    client.send(&stack.smtp(), &auto).await.expect("send");
    client.send(&stack.smtp(), &mail(&support.address, &visitor.address, "Третье", "текст")).await.expect("send");
    let deadline = Instant::now() + Duration::from_secs(10);
    let next = loop {
        let f = client.fetch(&visitor.imap, "INBOX", *uid, 50).await.expect("fetch");
        if f.mails.len() == 2 {
            break f;
        }
        assert!(Instant::now() < deadline, "two more mails did not arrive: {}", f.mails.len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(next.mails.iter().all(|(u, _)| u > uid));
    let subjects: Vec<(String, bool)> =
        next.mails.iter().map(|(_, r)| client.parse(r).expect("mail")).map(|p| (p.subject, p.automatic)).collect();
    assert_eq!(
        subjects,
        [("Автоответ".to_owned(), true), ("Третье".to_owned(), false)],
        "an out-of-office mail is marked"
    );

    // Refusals say which kind they are.
    let nobody = client.send(&stack.smtp(), &mail(&support.address, "nobody-here@mail.test", "x", "y")).await;
    assert!(matches!(nobody, Err(MailError::Refused { permanent: true, .. })), "{nobody:?}");
    let mut wrong = visitor.imap.clone();
    wrong.password = "not-the-password".into();
    let refused = client.fetch(&wrong, "INBOX", 0, 10).await;
    assert!(matches!(refused, Err(MailError::Refused { permanent: true, .. })), "{refused:?}");
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let mut away = stack.smtp();
    away.port = closed.local_addr().expect("addr").port();
    drop(closed);
    let unreachable = client.send(&away, &mail(&support.address, &visitor.address, "x", "y")).await;
    assert!(matches!(unreachable, Err(MailError::Unreachable(_))), "{unreachable:?}");
    let mut starttls_imap = visitor.imap.clone();
    starttls_imap.security = Security::StartTls;
    assert!(matches!(client.fetch(&starttls_imap, "INBOX", 0, 1).await, Err(MailError::Refused { .. })));
}

#[tokio::test]
async fn an_admin_sets_mail_up_and_the_test_sends_and_reads_back() {
    use serde_json::json;
    let Some(stack) = MailStack::from_env() else { return };
    let app = frontline_testkit::TestApp::spawn().await;
    let admin = app.admin().await;
    let support = stack.mailbox("support");
    let answer: serde_json::Value = admin.get("/api/v1/mail/settings").await.json().await.expect("json");
    assert_eq!(answer, json!({"settings": null}));
    let refused: serde_json::Value = admin.post("/api/v1/mail/test", json!({})).await.json().await.expect("json");
    assert_eq!(refused["details"]["field"], "mail", "{refused}");

    let smtp = json!({"host": "127.0.0.1", "port": stack.smtp().port, "security": "none"});
    let imap = |password: &str| {
        json!({"host": support.imap.host, "port": support.imap.port, "security": "none",
               "username": support.imap.username, "password": password})
    };
    // A bad field is named and nothing is kept.
    for (body, field) in [
        (json!({"address": "not an address", "smtp": smtp, "imap": imap("x")}), "address"),
        (
            json!({"address": support.address, "smtp": {"host": "", "port": 25, "security": "none"}, "imap": imap("x")}),
            "smtp.host",
        ),
        (
            json!({"address": support.address, "smtp": {"host": "h", "port": 0, "security": "none"}, "imap": imap("x")}),
            "smtp.port",
        ),
        (json!({"address": support.address, "smtp": smtp, "imap": imap("x"), "mailbox": "a\u{7}b"}), "mailbox"),
    ] {
        let r = admin.put("/api/v1/mail/settings", body).await;
        assert_eq!(r.status(), 400);
        let e: serde_json::Value = r.json().await.expect("json");
        assert_eq!(e["details"]["field"], field, "{e}");
    }
    let wrong_security = admin
        .put("/api/v1/mail/settings", json!({"address": support.address, "smtp": {"host": "h", "port": 25, "security": "ssl"}, "imap": imap("x")}))
        .await;
    assert_eq!(wrong_security.status(), 400);
    assert_eq!(
        admin.get("/api/v1/mail/settings").await.json::<serde_json::Value>().await.expect("json"),
        json!({"settings": null})
    );

    // A good setup: kept, the password never shown again.
    let body = json!({"address": support.address, "display_name": "Кухни «Уют»", "smtp": smtp, "imap": imap(&support.imap.password)});
    let saved = admin.put("/api/v1/mail/settings", body).await;
    assert_eq!(saved.status(), 200);
    let text = saved.text().await.expect("text");
    assert!(!text.contains(&support.imap.password), "{text}");
    let view: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        (view["imap"]["password_set"].as_bool(), view["smtp"]["password_set"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(view["mailbox"], "INBOX");

    // The test: the mail goes out and is found in the support mailbox.
    let tested: serde_json::Value = admin.post("/api/v1/mail/test", json!({})).await.json().await.expect("json");
    assert_eq!((tested["smtp"]["ok"].as_bool(), tested["imap"]["ok"].as_bool()), (Some(true), Some(true)), "{tested}");
    assert!(tested["round_trip_ms"].as_i64().is_some_and(|ms| ms < 20_000), "{tested}");

    // Leaving the password out keeps it; a wrong one shows in the test's IMAP leg.
    let mut keep = imap("");
    keep.as_object_mut().expect("object").remove("password");
    let body = json!({"address": support.address, "smtp": smtp, "imap": keep});
    let kept: serde_json::Value = admin.put("/api/v1/mail/settings", body).await.json().await.expect("json");
    assert_eq!(kept["imap"]["password_set"], true);
    let body = json!({"address": support.address, "smtp": smtp, "imap": imap("wrong-password")});
    assert_eq!(admin.put("/api/v1/mail/settings", body).await.status(), 200);
    let tested: serde_json::Value = admin.post("/api/v1/mail/test", json!({})).await.json().await.expect("json");
    assert_eq!(tested["smtp"]["ok"], true, "{tested}");
    assert_eq!(tested["imap"]["ok"], false, "{tested}");
    assert!(tested["imap"]["error"].as_str().is_some_and(|e| e.contains("login")), "{tested}");
    app.stop().await;
}

#[tokio::test]
async fn mail_to_the_support_address_opens_a_dialog_and_replies_go_back_by_mail() {
    use serde_json::json;
    let Some(stack) = MailStack::from_env() else { return };
    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        tweak: Some(|c| c.mail_read_ms = 200),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let support = stack.mailbox("support");
    let visitor = stack.mailbox("client");
    let setup = json!({"address": support.address, "display_name": "Кухни «Уют»",
        "smtp": {"host": "127.0.0.1", "port": stack.smtp().port, "security": "none"},
        "imap": {"host": support.imap.host, "port": support.imap.port, "security": "none",
                 "username": support.imap.username, "password": support.imap.password}});
    assert_eq!(admin.put("/api/v1/mail/settings", setup).await.status(), 200);
    // A mail already in the mailbox before the setup opens nothing: the reader's first look
    // only notes where the mailbox stands (taken here at once rather than at its next tick).
    frontline_core::mail::channel::read_all(&app.app).await;
    let client = SmtpImap;

    // He writes to the support address: a dialog opens with the subject and his words.
    let mut first = mail(
        &visitor.address,
        &support.address,
        "Кухня не влезает",
        "Здравствуйте! Угловая кухня не входит в нишу 240 см.",
    );
    first.from.name = Some("Ирина Петрова".into());
    client.send(&stack.smtp(), &first).await.expect("send");
    let deadline = Instant::now() + Duration::from_secs(15);
    let dialog = loop {
        if let Some(d) = admin.dialogs("all").await.first() {
            break d.clone();
        }
        assert!(Instant::now() < deadline, "no dialog from the mail");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(dialog["visitor"]["name"], "Ирина Петрова");
    let id = dialog["id"].as_str().expect("id").to_owned();
    let items = admin.messages(&id).await;
    assert_eq!(items[0]["body"], "Тема: Кухня не влезает\n\nЗдравствуйте! Угловая кухня не входит в нишу 240 см.");

    // His out-of-office reply opens nothing and adds nothing.
    let mut away = mail(&visitor.address, &support.address, "Автоответ", "Я в отпуске.");
    away.auto_submitted = true;
    client.send(&stack.smtp(), &away).await.expect("send");

    // An operator answers in the console: the answer reaches his mailbox, threaded under his mail;
    // a note never does.
    let note = json!({"client_id": "n1", "body": "Уточнить размеры у замерщика", "internal": true});
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{id}/messages"), note).await.status(), 201);
    let reply = json!({"client_id": "r1", "body": "Ирина, подберём модуль на 60 см меньше."});
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{id}/messages"), reply).await.status(), 201);
    let got = arrived(&client, &visitor, 0).await;
    assert_eq!(got.mails.len(), 1, "one mail: the answer, not the note");
    let answer = client.parse(&got.mails[0].1).expect("mail");
    assert_eq!(answer.subject, "Re: Кухня не влезает");
    assert!(answer.text.contains("подберём модуль"), "{}", answer.text);
    assert_eq!(answer.from.as_ref().map(|a| a.email.as_str()), Some(support.address.as_str()));
    assert_eq!(answer.in_reply_to, vec![first.message_id.clone()]);

    // He answers by mail, quoting: his words alone land in the same dialog.
    let mut back = mail(
        &visitor.address,
        &support.address,
        "Re: Кухня не влезает",
        "Отлично, спасибо!\n\n> Ирина, подберём модуль на 60 см меньше.",
    );
    back.in_reply_to = answer.message_id.clone();
    back.references = vec![first.message_id.clone(), answer.message_id.clone().expect("id")];
    client.send(&stack.smtp(), &back).await.expect("send");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let items = admin.messages(&id).await;
        if items.iter().any(|m| m["body"] == "Отлично, спасибо!") {
            assert!(
                !items.iter().any(|m| m["body"].as_str().is_some_and(|b| b.contains("отпуске"))),
                "the auto-reply was taken"
            );
            break;
        }
        assert!(Instant::now() < deadline, "his answer did not arrive: {items:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(admin.dialogs("all").await.len(), 1, "one dialog");
    app.stop().await;
}
