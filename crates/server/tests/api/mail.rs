//! E-mail (issue 15): the real SMTP and IMAP client (`frontline_integrations::SmtpImap`)
//! against the real servers of the test suite on loopback (Exim, Dovecot).

use frontline_core::mail::{Address, MailError, MailFile, MailPort, OutgoingMail, ParsedMail, Security};
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

/// The workspace's mail setup on the test servers, `support` as the support address: SMTP
/// without a login, IMAP with the mailbox's.
fn setup_of(stack: &MailStack, support: &TestMailbox) -> serde_json::Value {
    serde_json::json!({"address": support.address, "display_name": "Кухни «Уют»",
        "smtp": {"host": "127.0.0.1", "port": stack.smtp().port, "security": "none"},
        "imap": {"host": support.imap.host, "port": support.imap.port, "security": "none",
                 "username": support.imap.username, "password": support.imap.password}})
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
    assert_eq!(admin.put("/api/v1/mail/settings", setup_of(&stack, &support)).await.status(), 200);
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

/// Waits until `mailbox` holds `n` mails above `after`; answers them parsed.
async fn mails(client: &SmtpImap, mailbox: &TestMailbox, after: u32, n: usize) -> Vec<(u32, ParsedMail)> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let f = client.fetch(&mailbox.imap, "INBOX", after, 50).await.expect("fetch");
        if f.mails.len() >= n {
            return f.mails.iter().map(|(u, raw)| (*u, client.parse(raw).expect("mail"))).collect();
        }
        assert!(Instant::now() < deadline, "{n} mails did not arrive in {}: {}", mailbox.address, f.mails.len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the dialog holds a message with this text; answers the dialog's messages.
async fn landed(admin: &frontline_testkit::OperatorClient, dialog: &str, text: &str) -> Vec<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let items = admin.messages(dialog).await;
        if items.iter().any(|m| m["body"] == text) {
            return items;
        }
        assert!(Instant::now() < deadline, "{text:?} did not land: {items:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_reply_unseen_in_the_widget_is_mailed_once_and_his_answer_threads_back() {
    use frontline_core::clock::{Clock, FakeClock};
    use serde_json::json;
    use std::sync::Arc;
    let Some(stack) = MailStack::from_env() else { return };
    let clock = Arc::new(FakeClock::at(frontline_domain::Timestamp(frontline_core::clock::SystemClock.now().0)));
    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        clock: clock.clone(),
        tweak: Some(|c| c.mail_read_ms = 200),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let support = stack.mailbox("support");
    let inbox = stack.mailbox("maria");
    let stranger = stack.mailbox("stranger");
    let setup = setup_of(&stack, &support);
    let saved: serde_json::Value = admin.put("/api/v1/mail/settings", setup.clone()).await.json().await.expect("json");
    assert_eq!(saved["followup_minutes"], 2, "{saved}");
    let mut bad = setup.clone();
    bad["followup_minutes"] = json!(2000);
    let refused: serde_json::Value = admin.put("/api/v1/mail/settings", bad).await.json().await.expect("json");
    assert_eq!(refused["details"]["field"], "followup_minutes", "{refused}");
    frontline_core::mail::channel::read_all(&app.app).await;
    let client = SmtpImap;

    // Мария writes in the widget (in Russian) and leaves her address.
    let maria = app.visitor().await;
    let dialog = maria.write("m1", "Когда привезут кухню?").await;
    let profile = json!({"name": "Мария", "email": inbox.address});
    assert_eq!(maria.call(reqwest::Method::PATCH, "/widget/v1/visitor", Some(profile)).await.status(), 200);
    let send = |text: &'static str, client_id: &'static str| {
        let admin = &admin;
        let dialog = dialog.clone();
        async move {
            let r = admin
                .post(&format!("/api/v1/dialogs/{dialog}/messages"), json!({"client_id": client_id, "body": text}))
                .await;
            assert_eq!(r.status(), 201);
            let m: serde_json::Value = r.json().await.expect("json");
            m["seq"].as_i64().expect("seq")
        }
    };
    let pass = || async {
        // The worker runs by itself; a pass here makes the test not wait for its tick.
        frontline_core::outbox::pass(&app.app).await.expect("pass");
    };

    // A reply she sees in the widget within the window is not mailed.
    let seen = send("Здравствуйте, Мария! Уточняю у склада.", "r1").await;
    assert_eq!(maria.call(reqwest::Method::POST, "/widget/v1/read", Some(json!({"seq": seen}))).await.status(), 204);
    let note = json!({"client_id": "n1", "body": "Склад молчит", "internal": true});
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{dialog}/messages"), note).await.status(), 201);
    clock.advance_ms(3 * 60_000);
    pass().await;

    // Two replies she does not see: after the window, one mail with both (and the earlier
    // lines for context, never the note), in Russian, with a signed reply address.
    send("Кухню привезут в пятницу.", "r2").await;
    send("Сборщик позвонит накануне.", "r3").await;
    clock.advance_ms(60_000);
    pass().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        client.fetch(&inbox.imap, "INBOX", 0, 10).await.expect("fetch").mails.is_empty(),
        "mailed before the window"
    );
    clock.advance_ms(90_000);
    pass().await;
    let got = mails(&client, &inbox, 0, 1).await;
    let (uid, followup) = &got[0];
    assert!(followup.subject.starts_with("Ответ по Вашему обращению №"), "{}", followup.subject);
    assert!(followup.text.contains("Здравствуйте, Мария!"), "{}", followup.text);
    assert!(
        followup.text.contains("Кухню привезут в пятницу.") && followup.text.contains("Сборщик позвонит накануне."),
        "{}",
        followup.text
    );
    assert!(followup.text.contains("Когда привезут кухню?"), "the earlier lines: {}", followup.text);
    assert!(!followup.text.contains("Склад молчит"), "a note went out: {}", followup.text);
    let raw = client.fetch(&inbox.imap, "INBOX", 0, 10).await.expect("fetch").mails[0].1.clone();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let reply_to = raw
        .lines()
        .find_map(|l| l.strip_prefix("Reply-To: "))
        .map(|l| l.trim().trim_matches(['<', '>']).to_owned())
        .expect("a Reply-To");
    assert!(reply_to.starts_with("support") && reply_to.contains('+'), "{reply_to}");
    // Another pass, more time: no second mail for the same replies.
    outbox_settled(&app).await;
    clock.advance_ms(5 * 60_000);
    pass().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(client.fetch(&inbox.imap, "INBOX", *uid, 10).await.expect("fetch").mails.len(), 0, "mailed twice");

    // She answers the mail, quoting it: her words land in the same dialog, as hers.
    let mut back = mail(
        &inbox.address,
        &reply_to,
        &format!("Re: {}", followup.subject),
        "Спасибо, буду дома.\n\n> Кухню привезут в пятницу.",
    );
    back.in_reply_to = followup.message_id.clone();
    client.send(&stack.smtp(), &back).await.expect("send");
    let items = landed(&admin, &dialog, "Спасибо, буду дома.").await;
    let hers = items.iter().find(|m| m["body"] == "Спасибо, буду дома.").expect("hers");
    assert_eq!(hers["author"]["kind"], "visitor");
    assert!(hers["client_id"].as_str().is_some_and(|c| c.starts_with("mail-")), "{hers}");
    // The mail as it came is kept for operators.
    let original =
        admin.get(&format!("/api/v1/dialogs/{dialog}/messages/{}/mail", hers["id"].as_str().expect("id"))).await;
    assert_eq!(original.status(), 200);
    let original = original.text().await.expect("text");
    assert!(original.contains("Subject: Re: ") && original.contains(&reply_to), "{original}");
    let none =
        admin.get(&format!("/api/v1/dialogs/{dialog}/messages/{}/mail", items[0]["id"].as_str().expect("id"))).await;
    assert_eq!(none.status(), 404, "a widget message has no mail");

    // A forged signature, and her reply address used by someone else: each opens a dialog of
    // its own sender instead.
    let (tagged, _) = reply_to.split_once('@').expect("address");
    let (prefix, sig) = tagged.rsplit_once('.').expect("signature");
    let flipped: String = sig.chars().rev().collect();
    let forged = reply_to.replacen(&format!("{prefix}.{sig}"), &format!("{prefix}.{flipped}"), 1);
    client.send(&stack.smtp(), &mail(&inbox.address, &forged, "Re: подделка", "Поддельный ответ")).await.expect("send");
    client.send(&stack.smtp(), &mail(&stranger.address, &reply_to, "Re: чужой", "Чужой ответ")).await.expect("send");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let all = admin.dialogs("all").await;
        if all.len() == 3 {
            assert!(all.iter().all(|d| d["id"] == dialog || d["visitor"]["source"] == "email"), "{all:?}");
            break;
        }
        assert!(Instant::now() < deadline, "the forged and the foreign answer did not open dialogs: {all:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let items = admin.messages(&dialog).await;
    assert!(!items.iter().any(|m| m["body"].as_str().is_some_and(|b| b.contains("Поддельный") || b.contains("Чужой"))));
    app.stop().await;
}

#[tokio::test]
async fn mail_to_a_departments_address_is_routed_by_the_address_it_was_sent_to() {
    use serde_json::json;
    let Some(stack) = MailStack::from_env() else { return };
    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        tweak: Some(|c| c.mail_read_ms = 200),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let support = stack.mailbox("support");
    let service = stack.mailbox("service");
    let client_box = stack.mailbox("client");
    assert_eq!(admin.put("/api/v1/mail/settings", setup_of(&stack, &support)).await.status(), 200);
    frontline_core::mail::channel::read_all(&app.app).await;
    let created: serde_json::Value =
        admin.post("/api/v1/channels", json!({"name": "Сервис"})).await.json().await.expect("json");
    let channel = created["id"].as_str().expect("id").to_owned();
    let bad = json!({"items": [{"name": "x", "channel_id": channel, "conditions": [{"type": "mail_to", "value": "not an address"}]}]});
    let refused: serde_json::Value = admin.put("/api/v1/routing-rules", bad).await.json().await.expect("json");
    assert_eq!(refused["details"]["field"], "items[0].conditions[0].value", "{refused}");
    let rule = json!({"items": [{"name": "Письма в сервис", "channel_id": channel,
        "conditions": [{"type": "mail_to", "value": service.address.to_uppercase()}]}]});
    assert_eq!(admin.put("/api/v1/routing-rules", rule).await.status(), 200);
    let trigger = json!({"name": "Т", "message": "Подсказать?", "time_on_site_seconds": 30,
        "conditions": [{"type": "mail_to", "value": service.address}]});
    let refused: serde_json::Value = admin.post("/api/v1/triggers", trigger).await.json().await.expect("json");
    assert_eq!(refused["details"]["field"], "conditions[0].type", "{refused}");

    // A mail to the service address and the support mailbox (copied) goes to the service's
    // channel; one to support alone stays in the default one.
    let client = SmtpImap;
    let mut to_service = mail(&client_box.address, &service.address, "Рекламация", "Дверца перекошена.");
    to_service.to.push(Address::new(&support.address));
    client.send(&stack.smtp(), &to_service).await.expect("send");
    let other = stack.mailbox("other");
    client
        .send(&stack.smtp(), &mail(&other.address, &support.address, "Вопрос", "Есть ли доставка?"))
        .await
        .expect("send");
    let deadline = Instant::now() + Duration::from_secs(15);
    let dialogs = loop {
        let d = admin.dialogs("all").await;
        if d.len() == 2 {
            break d;
        }
        assert!(Instant::now() < deadline, "two dialogs did not open: {d:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let by_name = |name: &str| dialogs.iter().find(|d| d["visitor"]["email"] == name).cloned().expect("dialog");
    assert_eq!(by_name(&client_box.address)["channel_id"], channel.as_str());
    assert_ne!(by_name(&other.address)["channel_id"], channel.as_str());
    app.stop().await;
}

/// A mail server that turns every connection away for now (`421`, as a busy or greylisting
/// server does).
async fn refusing_smtp() -> u16 {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let _ = s.write_all(b"421 4.3.2 Service not available, try again later\r\n").await;
            let _ = s.shutdown().await;
        }
    });
    port
}

#[tokio::test]
async fn nothing_is_lost_when_smtp_refuses_or_imap_is_gone_for_a_while() {
    use frontline_core::clock::{Clock, FakeClock};
    use frontline_testkit::proxy::Proxy;
    use serde_json::json;
    use std::sync::Arc;
    let Some(stack) = MailStack::from_env() else { return };
    let clock = Arc::new(FakeClock::at(frontline_domain::Timestamp(frontline_core::clock::SystemClock.now().0)));
    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        clock: clock.clone(),
        tweak: Some(|c| c.mail_read_ms = 3_600_000),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let support = stack.mailbox("support");
    let client_box = stack.mailbox("client");
    let smtp = Proxy::start(&format!("127.0.0.1:{}", stack.smtp().port)).await.expect("smtp proxy");
    let imap = Proxy::start(&format!("{}:{}", support.imap.host, support.imap.port)).await.expect("imap proxy");
    let setup = |smtp_port: u16| {
        json!({"address": support.address,
            "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "none"},
            "imap": {"host": "127.0.0.1", "port": imap.addr().port(), "security": "none",
                     "username": support.imap.username, "password": support.imap.password}})
    };
    assert_eq!(admin.put("/api/v1/mail/settings", setup(smtp.addr().port())).await.status(), 200);
    let read = || frontline_core::mail::channel::read_all(&app.app);
    read().await;
    let client = SmtpImap;
    // Mail is read here by hand (the reader's tick is an hour): each read is one look.
    let read_until = |n: usize| {
        let admin = &admin;
        async move {
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                read().await;
                let all: Vec<serde_json::Value> = match admin.dialogs("all").await.first() {
                    Some(d) => admin.messages(d["id"].as_str().expect("id")).await,
                    None => Vec::new(),
                };
                let his = all.iter().filter(|m| m["author"]["kind"] == "visitor").count();
                if his >= n {
                    return all;
                }
                assert!(Instant::now() < deadline, "{n} of his mails did not land: {all:?}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };

    client
        .send(&stack.smtp(), &mail(&client_box.address, &support.address, "Заказ", "Первое письмо"))
        .await
        .expect("send");
    read_until(1).await;

    // IMAP is gone: reading fails and moves nothing; mail keeps arriving in the mailbox.
    imap.cut().await;
    for text in ["Второе письмо", "Третье письмо"] {
        client.send(&stack.smtp(), &mail(&client_box.address, &support.address, "Заказ", text)).await.expect("send");
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(read().await, 0);
    // Back: both are read from where reading stood, once each, in order.
    imap.restore().await;
    let all = read_until(3).await;
    read().await;
    let dialog = admin.dialogs("all").await[0]["id"].as_str().expect("id").to_owned();
    let bodies: Vec<String> = admin
        .messages(&dialog)
        .await
        .iter()
        .filter(|m| m["author"]["kind"] == "visitor")
        .map(|m| m["body"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(bodies, ["Тема: Заказ\n\nПервое письмо", "Второе письмо", "Третье письмо"], "{all:?}");

    // SMTP refuses for now (421): the answer waits in the outbox and goes once it takes mail.
    let busy = refusing_smtp().await;
    assert_eq!(admin.put("/api/v1/mail/settings", setup(busy)).await.status(), 200);
    let r = json!({"client_id": "r1", "body": "Ответ, который сначала не ушёл"});
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{dialog}/messages"), r).await.status(), 201);
    frontline_core::outbox::pass(&app.app).await.expect("pass");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(client.fetch(&client_box.imap, "INBOX", 0, 10).await.expect("fetch").mails.is_empty());
    // Then SMTP is out of reach altogether: the retry fails too.
    assert_eq!(admin.put("/api/v1/mail/settings", setup(smtp.addr().port())).await.status(), 200);
    smtp.cut().await;
    outbox_settled(&app).await;
    clock.advance_ms(60_000);
    frontline_core::outbox::pass(&app.app).await.expect("pass");
    assert!(client.fetch(&client_box.imap, "INBOX", 0, 10).await.expect("fetch").mails.is_empty());
    // Reachable again: the next retry delivers it, once.
    smtp.restore().await;
    outbox_settled(&app).await;
    clock.advance_ms(20 * 60_000);
    frontline_core::outbox::pass(&app.app).await.expect("pass");
    let got = mails(&client, &client_box, 0, 1).await;
    assert!(got[0].1.text.contains("Ответ, который сначала не ушёл"), "{}", got[0].1.text);
    outbox_settled(&app).await;
    clock.advance_ms(3 * 3_600_000);
    frontline_core::outbox::pass(&app.app).await.expect("pass");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(client.fetch(&client_box.imap, "INBOX", 0, 10).await.expect("fetch").mails.len(), 1, "sent twice");
    // Reading is still where it stood: nothing is taken twice.
    read().await;
    let again = admin.messages(&dialog).await.iter().filter(|m| m["author"]["kind"] == "visitor").count();
    assert_eq!(again, 3);
    app.stop().await;
}

#[tokio::test]
async fn an_operator_away_from_the_console_gets_one_mail_for_what_came_meanwhile() {
    use frontline_core::clock::{Clock, FakeClock};
    use serde_json::json;
    use std::sync::Arc;
    let Some(stack) = MailStack::from_env() else { return };
    let clock = Arc::new(FakeClock::at(frontline_domain::Timestamp(frontline_core::clock::SystemClock.now().0)));
    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        clock: clock.clone(),
        // Sent here by hand: the mail loop's tick is an hour.
        tweak: Some(|c| {
            c.mail_read_ms = 3_600_000;
            c.public_url = Some("https://help.kitchen.example".into());
        }),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let support = stack.mailbox("support");
    let anna_box = stack.mailbox("anna");
    assert_eq!(admin.put("/api/v1/mail/settings", setup_of(&stack, &support)).await.status(), 200);
    let channels: serde_json::Value = admin.get("/api/v1/channels").await.json().await.expect("json");
    let channel = channels["items"][0]["id"].as_str().expect("channel").to_owned();
    let anna = app.operator(&admin, &anna_box.address, "Анна Петрова", &[&channel]).await;
    let me: serde_json::Value = anna.get("/api/v1/me").await.json().await.expect("json");
    assert_eq!(me["profile"]["notify_by_mail"], true, "{me}");
    // The first look only notes where the log stands.
    app.tick().await;
    let client = SmtpImap;
    let none_yet = || async { client.fetch(&anna_box.imap, "INBOX", 0, 10).await.expect("fetch").mails.len() };

    // Анна takes a dialog and steps away; meanwhile the visitor writes in it, and a colleague's
    // note mentions her in another.
    anna.presence("online").await;
    let maria = app.visitor().await;
    let first = maria.write("m1", "Здравствуйте").await;
    let assigned = admin.post(&format!("/api/v1/dialogs/{first}/assign"), json!({"operator_id": anna.id()})).await;
    assert_eq!(assigned.status(), 200, "{}", assigned.text().await.unwrap_or_default());
    app.tick().await;
    anna.presence("away").await;
    maria.write("m2", "Когда привезут кухню?").await;
    let ivan = app.visitor().await;
    let second = ivan.write("i1", "Дверца перекошена").await;
    let note = json!({"client_id": "n1", "body": "@Анна Петрова посмотри фото", "internal": true});
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{second}/messages"), note).await.status(), 201);
    app.tick().await;
    // Gathered a few minutes first.
    assert_eq!(frontline_core::mail::notices::send_due(&app.app).await.expect("send"), 0);
    clock.advance_ms(frontline_core::mail::notices::GATHER_MS + 1_000);
    assert_eq!(frontline_core::mail::notices::send_due(&app.app).await.expect("send"), 1);
    let got = mails(&client, &anna_box, 0, 1).await;
    let (uid, mail) = &got[0];
    assert_eq!(mail.subject, "Новое для Вас в Frontline: 2");
    assert!(mail.text.contains("Здравствуйте, Анна Петрова!"), "{}", mail.text);
    assert!(
        mail.text.contains("пишет в Вашем диалоге №") && mail.text.contains("Когда привезут кухню?"),
        "{}",
        mail.text
    );
    assert!(!mail.text.contains("Вам передан"), "taken while online: {}", mail.text);
    assert!(mail.text.contains("упоминает Вас в заметке") && mail.text.contains("посмотри фото"), "{}", mail.text);
    assert!(mail.text.contains(&format!("https://help.kitchen.example/console/dialogs/{first}")), "{}", mail.text);
    assert!(mail.automatic, "marked Auto-Submitted");
    // Nothing is mailed twice.
    clock.advance_ms(frontline_core::mail::notices::GATHER_MS);
    assert_eq!(frontline_core::mail::notices::send_due(&app.app).await.expect("send"), 0);

    // Online, she is told nothing by mail; in English once she reads the console in English.
    anna.presence("online").await;
    let third = app.visitor().await.write("t1", "Вопрос").await;
    assert_eq!(
        admin.post(&format!("/api/v1/dialogs/{third}/assign"), json!({"operator_id": anna.id()})).await.status(),
        200
    );
    let note = json!({"client_id": "n0", "body": "@Анна Петрова глянь", "internal": true});
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{third}/messages"), note).await.status(), 201);
    app.tick().await;
    clock.advance_ms(frontline_core::mail::notices::GATHER_MS + 1_000);
    assert_eq!(frontline_core::mail::notices::send_due(&app.app).await.expect("send"), 0);
    anna.presence("away").await;
    assert_eq!(anna.patch("/api/v1/me", json!({"language": "en"})).await.status(), 200);
    let note = json!({"client_id": "n2", "body": "@Анна Петрова call him back", "internal": true});
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{third}/messages"), note).await.status(), 201);
    app.tick().await;
    clock.advance_ms(frontline_core::mail::notices::GATHER_MS + 1_000);
    assert_eq!(frontline_core::mail::notices::send_due(&app.app).await.expect("send"), 1);
    let got = mails(&client, &anna_box, *uid, 1).await;
    assert!(got[0].1.subject.ends_with("mentioned you in a note on dialog #3 (Visitor 3)"), "{}", got[0].1.subject);

    // Turned off: nothing more.
    let off: serde_json::Value =
        anna.patch("/api/v1/me", json!({"notify_by_mail": false})).await.json().await.expect("json");
    assert_eq!(off["profile"]["notify_by_mail"], false, "{off}");
    let note = json!({"client_id": "n3", "body": "@Анна Петрова ещё раз", "internal": true});
    assert_eq!(admin.post(&format!("/api/v1/dialogs/{third}/messages"), note).await.status(), 201);
    app.tick().await;
    clock.advance_ms(frontline_core::mail::notices::GATHER_MS + 1_000);
    assert_eq!(frontline_core::mail::notices::send_due(&app.app).await.expect("send"), 0);
    assert_eq!(none_yet().await, 2);
    app.stop().await;
}

#[tokio::test]
async fn a_filled_escalation_form_reaches_the_department_and_makes_two_linked_tickets() {
    use frontline_core::clock::FakeClock;
    use serde_json::json;
    use std::sync::Arc;
    let Some(stack) = MailStack::from_env() else { return };
    // Friday 4 December 2026, 15:00 in Moscow.
    let friday = frontline_domain::Timestamp(1_796_385_600_000);
    let clock = Arc::new(FakeClock::at(friday));
    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        clock: clock.clone(),
        tweak: Some(|c| {
            c.mail_read_ms = 3_600_000;
            c.public_url = Some("https://help.kitchen.example".into());
        }),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let support = stack.mailbox("support");
    let service = stack.mailbox("service");
    assert_eq!(admin.put("/api/v1/mail/settings", setup_of(&stack, &support)).await.status(), 200);
    frontline_core::mail::channel::read_all(&app.app).await;
    app.tick().await;
    let channels: serde_json::Value = admin.get("/api/v1/channels").await.json().await.expect("json");
    let channel = channels["items"][0]["id"].as_str().expect("channel").to_owned();
    let anna_box = stack.mailbox("anna");
    let anna = app.operator(&admin, &anna_box.address, "Анна", &[&channel]).await;

    // The admin's form; a bad one is refused at its field.
    let form = json!({
        "name": "Рекламация",
        "fields": [
            {"key": "name", "label": "ФИО", "kind": "text", "required": true},
            {"key": "contract", "label": "Номер договора", "kind": "contract", "pattern": "\\d{6}", "required": true},
            {"key": "email", "label": "E-mail", "kind": "email", "required": true},
            {"key": "phone", "label": "Телефон", "kind": "phone"}
        ],
        "department_email": service.address,
        "subject": "Вопрос по рекламации, онлайн-чат",
        "answer": "Спасибо! Ваша заявка №{number} передана в сервисный отдел. Ответ придёт на почту до {due}.",
        "due_hours": 24
    });
    let mut bad = form.clone();
    bad["fields"][1]["pattern"] = json!("(");
    let refused: serde_json::Value = admin.post("/api/v1/forms", bad).await.json().await.expect("json");
    assert_eq!(refused["details"]["field"], "fields[1].pattern", "{refused}");
    let created = admin.post("/api/v1/forms", form).await;
    assert_eq!(created.status(), 201);
    let created: serde_json::Value = created.json().await.expect("json");
    assert_eq!((created["counting"].as_str(), created["language"].as_str()), (Some("weekdays"), Some("ru")));
    let form_id = created["id"].as_str().expect("id").to_owned();

    // An operator sends it into the visitor's dialog: his widget gets a line naming it.
    let maria = app.visitor().await;
    let dialog = maria.write("m1", "Дверца шкафа перекошена").await;
    // Анна has the dialog, then steps away.
    anna.presence("online").await;
    assert_eq!(
        admin.post(&format!("/api/v1/dialogs/{dialog}/assign"), json!({"operator_id": anna.id()})).await.status(),
        200
    );
    app.tick().await;
    anna.presence("away").await;
    let sent = admin.post(&format!("/api/v1/dialogs/{dialog}/forms"), json!({"form_id": form_id})).await;
    assert_eq!(sent.status(), 201);
    let sent: serde_json::Value = sent.json().await.expect("json");
    let request = sent["id"].as_str().expect("id").to_owned();
    let history = maria.history().await;
    let line = history.iter().find(|m| m["event"]["kind"] == "form_sent").expect("the form's line");
    assert_eq!(line["event"]["request"], request.as_str());
    let card: serde_json::Value = maria
        .call(reqwest::Method::GET, &format!("/widget/v1/forms/{request}"), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(card["status"], "sent");
    assert_eq!(card["fields"].as_array().map(Vec::len), Some(4));
    // Another visitor cannot see it.
    let other = app.visitor().await;
    assert_eq!(other.call(reqwest::Method::GET, &format!("/widget/v1/forms/{request}"), None).await.status(), 404);

    // Refused answers are named; nothing is made.
    let wrong = json!({"answers": {"name": "Мария Иванова", "contract": "12345", "email": "maria@mail.test"}});
    let r = maria.call(reqwest::Method::POST, &format!("/widget/v1/forms/{request}"), Some(wrong)).await;
    assert_eq!(r.status(), 400);
    let e: serde_json::Value = r.json().await.expect("json");
    assert_eq!(e["details"]["field"], "answers.contract", "{e}");
    let none: serde_json::Value = admin.get("/api/v1/tickets").await.json().await.expect("json");
    assert_eq!(none["items"], json!([]));

    // Sent: the answer with the due time in weekday hours (Friday 15:00 + 24 h = Monday 15:00).
    let good = json!({"answers": {"name": "Мария Иванова", "contract": "123456", "email": "Maria@Mail.Test"}});
    let r = maria.call(reqwest::Method::POST, &format!("/widget/v1/forms/{request}"), Some(good.clone())).await;
    assert_eq!(r.status(), 200);
    let done: serde_json::Value = r.json().await.expect("json");
    assert_eq!(done["due_at"], "2026-12-07T12:00:00.000Z", "{done}");
    let number = done["number"].as_i64().expect("number");
    assert_eq!(
        done["answer"],
        format!(
            "Спасибо! Ваша заявка №{number} передана в сервисный отдел. Ответ придёт на почту до 07.12.2026, 15:00 MSK."
        )
    );
    let again = maria.call(reqwest::Method::POST, &format!("/widget/v1/forms/{request}"), Some(good)).await;
    assert_eq!(again.status(), 409, "taken once");
    let history = maria.history().await;
    let told = history.iter().find(|m| m["event"]["kind"] == "form_submitted").expect("the answer's line");
    assert_eq!(told["event"]["client_number"], number);

    // Two linked tickets, open, due Monday.
    let list: serde_json::Value = admin.get("/api/v1/tickets").await.json().await.expect("json");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{list}");
    let dept = items.iter().find(|t| t["side"] == "department").expect("department's");
    let client = items.iter().find(|t| t["side"] == "client").expect("client's");
    assert_eq!(client["number"], number);
    assert_eq!((dept["linked_id"].clone(), client["linked_id"].clone()), (client["id"].clone(), dept["id"].clone()));
    assert_eq!(dept["linked_number"], number);
    assert_eq!((dept["status"].as_str(), dept["address"].as_str()), (Some("open"), Some(service.address.as_str())));
    assert_eq!(client["address"], "maria@mail.test");
    assert_eq!(dept["due_at"], "2026-12-07T12:00:00.000Z");
    let by_dialog: serde_json::Value =
        admin.get(&format!("/api/v1/tickets?dialog_id={dialog}")).await.json().await.expect("json");
    assert_eq!(by_dialog["items"].as_array().map(Vec::len), Some(2));
    let overdue: serde_json::Value = admin.get("/api/v1/tickets?overdue=true").await.json().await.expect("json");
    assert_eq!(overdue["items"], json!([]));
    assert_eq!(admin.get("/api/v1/tickets?status=lost").await.status(), 400);
    let answers: serde_json::Value =
        admin.get(&format!("/api/v1/form-requests/{request}")).await.json().await.expect("json");
    assert_eq!(answers["answers"]["contract"], "123456");

    // The department gets every field, the subject and the link to the dialog.
    frontline_core::outbox::pass(&app.app).await.expect("pass");
    let got = mails(&SmtpImap, &service, 0, 1).await;
    let m = &got[0].1;
    let dept_number = dept["number"].as_i64().expect("number");
    assert_eq!(m.subject, format!("Вопрос по рекламации, онлайн-чат [№{dept_number}]"));
    for part in [
        "ФИО: Мария Иванова",
        "Номер договора: 123456",
        "E-mail: maria@mail.test",
        "Телефон: —",
        "07.12.2026, 15:00 MSK",
    ] {
        assert!(m.text.contains(part), "{part} not in {}", m.text);
    }
    assert!(m.text.contains(&format!("https://help.kitchen.example/console/dialogs/{dialog}")), "{}", m.text);

    // The department answers the mail: on its ticket, and in the dialog for operators only.
    let raw = SmtpImap.fetch(&service.imap, "INBOX", 0, 10).await.expect("fetch").mails[0].1.clone();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let reply_to = raw
        .lines()
        .find_map(|l| l.strip_prefix("Reply-To: "))
        .map(|l| l.trim().trim_matches(['<', '>']).to_owned())
        .expect("Reply-To");
    let answer =
        mail(&service.address, &reply_to, &format!("Re: {}", m.subject), "Мастер приедет во вторник.\n\n> Заявка");
    SmtpImap.send(&stack.smtp(), &answer).await.expect("send");
    let dept_id = dept["id"].as_str().expect("id").to_owned();
    let deadline = Instant::now() + Duration::from_secs(15);
    let detail = loop {
        frontline_core::mail::channel::read_all(&app.app).await;
        let d: serde_json::Value = admin.get(&format!("/api/v1/tickets/{dept_id}")).await.json().await.expect("json");
        if d["ticket"]["status"] == "answered" {
            break d;
        }
        assert!(Instant::now() < deadline, "the department's answer did not land: {d}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let entries = detail["entries"].as_array().expect("entries");
    assert_eq!(entries.iter().map(|e| e["direction"].as_str().unwrap_or("")).collect::<Vec<_>>(), ["out", "in"]);
    assert_eq!(entries[1]["text"], "Мастер приедет во вторник.");
    let lines = admin.messages(&dialog).await;
    let answered = lines.iter().find(|l| l["event"]["kind"] == "ticket_answered").expect("the line");
    assert_eq!(answered["audience"], "operators");
    assert!(!maria.history().await.iter().any(|l| l["event"]["kind"] == "ticket_answered"), "the visitor saw it");
    // Анна, away, is told by mail.
    app.tick().await;
    clock.advance_ms(frontline_core::mail::notices::GATHER_MS + 1_000);
    assert_eq!(frontline_core::mail::notices::send_due(&app.app).await.expect("send"), 1);
    let told = mails(&SmtpImap, &anna_box, 0, 1).await;
    assert!(told[0].1.subject.starts_with(&format!("Отдел ответил по заявке №{dept_number}")), "{}", told[0].1.subject);
    assert!(told[0].1.text.contains("Мастер приедет во вторник."), "{}", told[0].1.text);

    // Operators close it; a wrong status is named. Past the due time an open one is overdue.
    let closed = admin.patch(&format!("/api/v1/tickets/{dept_id}"), json!({"status": "closed"})).await;
    assert_eq!(closed.status(), 200);
    let bad = admin.patch(&format!("/api/v1/tickets/{dept_id}"), json!({"status": "lost"})).await;
    assert_eq!(bad.status(), 400);
    clock.advance_ms(4 * 24 * 3_600_000);
    // Four days on, the admin's session has lapsed: he signs in again.
    let admin = app.admin().await;
    let overdue: serde_json::Value = admin.get("/api/v1/tickets?overdue=true").await.json().await.expect("json");
    let overdue = overdue["items"].as_array().expect("items");
    assert_eq!(overdue.len(), 1, "the client's, still open");
    assert_eq!((overdue[0]["side"].as_str(), overdue[0]["overdue"].as_bool()), (Some("client"), Some(true)));
    app.stop().await;
}

#[tokio::test]
async fn with_idle_a_mail_is_taken_as_it_arrives_without_waiting_for_the_next_read() {
    let Some(stack) = MailStack::from_env() else { return };
    // Reading every hour: only IDLE can bring the mail in within the test.
    let app = frontline_testkit::TestApp::spawn_with(frontline_testkit::Options {
        tweak: Some(|c| c.mail_read_ms = 3_600_000),
        ..Default::default()
    })
    .await;
    let admin = app.admin().await;
    let support = stack.mailbox("support");
    let client_box = stack.mailbox("client");
    assert_eq!(admin.put("/api/v1/mail/settings", setup_of(&stack, &support)).await.status(), 200);
    frontline_core::mail::channel::read_all(&app.app).await;
    // The watcher is in IDLE once it has looked (it starts within a few seconds).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let sent = Instant::now();
    SmtpImap
        .send(&stack.smtp(), &mail(&client_box.address, &support.address, "Срочно", "Кухня не открывается"))
        .await
        .expect("send");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(d) = admin.dialogs("all").await.first() {
            let items = admin.messages(d["id"].as_str().expect("id")).await;
            assert_eq!(items[0]["body"], "Тема: Срочно\n\nКухня не открывается");
            break;
        }
        assert!(Instant::now() < deadline, "IDLE did not bring the mail in");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!("mail in a dialog {} ms after it was sent", sent.elapsed().as_millis());
    app.stop().await;
}

#[tokio::test]
async fn a_form_is_refused_at_the_field_it_gets_wrong() {
    use serde_json::json;
    let app = frontline_testkit::TestApp::spawn().await;
    let admin = app.admin().await;
    let form = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut f = json!({"name": "Рекламация",
            "fields": [{"key": "name", "label": "ФИО", "kind": "text", "required": true},
                       {"key": "contract", "label": "Договор", "kind": "contract", "pattern": "\\d{6}"}],
            "department_email": "service@mail.test", "subject": "Рекламация", "answer": "№{number} до {due}",
            "due_hours": 24});
        change(&mut f);
        f
    };
    for (change, field) in [
        (
            &(|f: &mut serde_json::Value| f["fields"][0]["pattern"] = json!("")) as &dyn Fn(&mut serde_json::Value),
            "fields[0].pattern",
        ),
        (&|f: &mut serde_json::Value| f["fields"][1]["pattern"] = json!("("), "fields[1].pattern"),
        (&|f: &mut serde_json::Value| f["fields"][1]["key"] = json!("name"), "fields[1].key"),
        (&|f: &mut serde_json::Value| f["fields"][1]["kind"] = json!("date"), "fields[1].kind"),
        (&|f: &mut serde_json::Value| f["department_email"] = json!("service"), "department_email"),
        (&|f: &mut serde_json::Value| f["due_hours"] = json!(721), "due_hours"),
        (&|f: &mut serde_json::Value| f["counting"] = json!("lunar"), "counting"),
    ] {
        let r = admin.post("/api/v1/forms", form(change)).await;
        assert_eq!(r.status(), 400, "{field}");
        let e: serde_json::Value = r.json().await.expect("json");
        assert_eq!(e["details"]["field"], field, "{e}");
    }
    let listed: serde_json::Value = admin.get("/api/v1/forms").await.json().await.expect("json");
    assert_eq!(listed["items"], json!([]), "nothing kept");
    assert_eq!(admin.post("/api/v1/forms", form(&|_| {})).await.status(), 201);
    app.stop().await;
}

/// Waits until no mail job of the workspace is held by a pass (claimed, not yet reported). A
/// mail is in the box once SMTP has taken it, a moment before the worker that sent it reports
/// its job; a test that moves the fake clock past the lease (a minute) meanwhile sees the job
/// rightly taken again (delivery is at least once).
async fn outbox_settled(app: &frontline_testkit::TestApp) {
    let ws = app.app.store.list_workspaces().await.expect("workspaces")[0].id;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let jobs = app.app.store.target_jobs(ws, ws.0, i64::MAX, 1000).await.expect("jobs");
        if jobs.iter().all(|(j, _)| j.claim.is_none()) {
            return;
        }
        assert!(Instant::now() < deadline, "a mail job stayed claimed: {jobs:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
