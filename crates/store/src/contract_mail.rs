//! Contract cases of the mail channel's storage (see [`crate::contract`]).

use crate::contract::{Fixture, now};
use crate::mail::{MailOriginal, StoredMail};
use crate::*;
use frontline_domain::*;
use std::sync::Arc;

fn setup(f: &Fixture, followup_ms: i64) -> StoredMail {
    StoredMail {
        workspace_id: f.workspace.id,
        document: r#"{"address":"help@kitchen.example"}"#.into(),
        smtp_password_sealed: None,
        imap_password_sealed: Some("v1.sealed".into()),
        channel_id: f.channel.id,
        enabled: true,
        uid_validity: 0,
        last_uid: 0,
        updated_at: now(),
        followup_ms,
    }
}

pub async fn mail_threads_follow_ups_originals_and_the_follow_up_job(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let saved = setup(&f, 120_000);
    store.save_mail_settings(&saved).await.expect("save");
    assert_eq!(store.mail_settings(ws).await.expect("read"), Some(saved));
    // One node reads the mailbox at a time: its lease, renewed by it, taken over once run out,
    // let go when it stops.
    let (a, b) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let t = now();
    let until = Timestamp(t.0 + 30_000);
    assert!(store.claim_mail_reader(ws, a, until, t).await.expect("claim"));
    assert!(!store.claim_mail_reader(ws, b, until, t).await.expect("held"));
    assert!(store.claim_mail_reader(ws, a, Timestamp(t.0 + 60_000), t).await.expect("renewed"));
    assert!(store.claim_mail_reader(ws, b, Timestamp(t.0 + 90_000), Timestamp(t.0 + 60_001)).await.expect("run out"));
    store.release_mail_readers(b).await.expect("release");
    assert!(store.claim_mail_reader(ws, a, until, t).await.expect("free again"));
    // A new setup starts once: a second reader that saw it new keeps the first one's start.
    assert!(store.start_mail_position(ws, 7, 30).await.expect("start"));
    assert!(!store.start_mail_position(ws, 7, 35).await.expect("started already"));
    let s = store.mail_settings(ws).await.expect("read").expect("kept");
    assert_eq!((s.uid_validity, s.last_uid), (7, 30));
    store.save_mail_position(ws, 7, 40).await.expect("position");
    store.save_mail_position(ws, 7, 39).await.expect("never backwards");
    let s = store.mail_settings(ws).await.expect("read").expect("kept");
    assert_eq!((s.uid_validity, s.last_uid), (7, 40));

    // A widget visitor who left his address: an operator's reply makes a follow-up job, due
    // when the window has passed; his own message and a note make none.
    let visitor = store
        .update_visitor_profile(
            ws,
            f.visitor.id,
            None,
            Some(&Email::parse("maria@mail.example").expect("email")),
            None,
            crate::events::Stamp { actor: Actor::SYSTEM, at: now() },
        )
        .await
        .expect("profile");
    let d = store.post_message(f.visitor_post_by(&visitor, "v1", "Когда доставка?")).await.expect("post").dialog;
    let mut note = f.operator_post(d.id, "n1", "Заметка");
    note.message.audience = Audience::Operators;
    store.post_message(note).await.expect("note");
    let reply = store.post_message(f.operator_post(d.id, "o1", "В пятницу")).await.expect("reply");
    let jobs: Vec<_> =
        store.target_jobs(ws, ws.0, i64::MAX, 100).await.expect("jobs").into_iter().map(|(j, _)| j).collect();
    assert_eq!(jobs.iter().map(|j| j.kind.as_str()).collect::<Vec<_>>(), ["email_followup"], "{jobs:?}");
    assert_eq!(jobs[0].due_at, Timestamp(reply.message.created_at.0 + 120_000));
    let event = store.event(jobs[0].event_id).await.expect("event");
    assert_eq!(event.subject_id, Some(reply.message.id.0));
    // Not due before the window has passed.
    let early =
        store.claim_jobs(Timestamp(jobs[0].due_at.0 - 1), uuid::Uuid::now_v7(), Timestamp(now().0 + 60_000), 10);
    assert!(early.await.expect("claim").iter().all(|j| j.pos != jobs[0].pos));
    // Follow-ups off: no job.
    store.save_mail_settings(&setup(&f, 0)).await.expect("off");
    store.post_message(f.operator_post(d.id, "o2", "Ещё ответ")).await.expect("reply");
    assert_eq!(store.target_jobs(ws, ws.0, i64::MAX, 100).await.expect("jobs").len(), 1);

    // The thread of Message-IDs, and the dialog one of them names.
    store.add_mail_thread(ws, d.id, "a@x", now()).await.expect("thread");
    store.add_mail_thread(ws, d.id, "a@x", now()).await.expect("again: ignored");
    store.add_mail_thread(ws, d.id, "b@x", Timestamp(now().0 + 1)).await.expect("thread");
    assert_eq!(store.mail_thread(ws, d.id).await.expect("thread"), ["a@x", "b@x"]);
    assert_eq!(store.dialog_of_mail(ws, &["zzz@x".into(), "b@x".into()]).await.expect("of"), Some(d.id));
    assert_eq!(store.dialog_of_mail(ws, &["zzz@x".into()]).await.expect("of"), None);

    // How far follow-up mail went: never backwards.
    assert_eq!(store.mail_followup_covered(ws, d.id).await.expect("none"), None);
    store.save_mail_followup(ws, d.id, 5, now()).await.expect("save");
    store.save_mail_followup(ws, d.id, 3, now()).await.expect("save");
    assert_eq!(store.mail_followup_covered(ws, d.id).await.expect("covered"), Some(5));

    // A mail kept as it came, bytes and all; only for its workspace.
    let original = MailOriginal {
        message_id: reply.message.id,
        workspace_id: ws,
        dialog_id: d.id,
        raw: b"Subject: =?utf-8?b?0J/RgNC40LLQtdGC?=\r\n\r\n\xff\xfe body".to_vec(),
        truncated: true,
        at: now(),
    };
    store.save_mail_original(&original).await.expect("save");
    assert_eq!(store.mail_original(ws, reply.message.id).await.expect("read"), Some(original));
    let other = crate::contract::workspace(&store).await.0;
    assert_eq!(store.mail_original(other.id, reply.message.id).await.expect("read"), None);
}

pub async fn operator_notices_are_recorded_once_claimed_under_a_lease_and_finished(store: Arc<dyn Store>) {
    use crate::mail::OperatorNotice;
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    // The cursor moves only from where it stands.
    assert_eq!(store.notice_cursor(ws).await.expect("cursor"), None);
    assert!(store.move_notice_cursor(ws, None, 10).await.expect("start"));
    assert!(!store.move_notice_cursor(ws, None, 11).await.expect("started already"));
    assert!(!store.move_notice_cursor(ws, Some(9), 12).await.expect("not from there"));
    assert!(store.move_notice_cursor(ws, Some(10), 12).await.expect("moved"));
    assert_eq!(store.notice_cursor(ws).await.expect("cursor"), Some(12));

    let d = store.post_message(f.visitor_post("v1", "Вопрос")).await.expect("post").dialog;
    let t0 = now();
    let notice = |at: i64| OperatorNotice {
        operator_id: f.operator.id,
        event_id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        kind: "mentioned".into(),
        dialog_id: d.id,
        at: Timestamp(at),
    };
    let (a, b) = (notice(t0.0), notice(t0.0 + 1_000));
    store.add_operator_notices(&[a.clone(), b.clone()]).await.expect("add");
    store.add_operator_notices(std::slice::from_ref(&a)).await.expect("again: kept once");
    // Due once the oldest is old enough.
    assert!(store.due_notice_operators(Timestamp(t0.0 - 1), t0, 10).await.expect("due").is_empty());
    assert_eq!(store.due_notice_operators(t0, t0, 10).await.expect("due"), [(ws, f.operator.id)]);
    // One claim holds them until its lease ends; the claim names itself by its end.
    let lease = Timestamp(t0.0 + 60_000);
    let claimed = store.claim_operator_notices(f.operator.id, t0, lease).await.expect("claim");
    assert_eq!(claimed, [a.clone(), b.clone()]);
    assert!(store.claim_operator_notices(f.operator.id, t0, Timestamp(t0.0 + 90_000)).await.expect("held").is_empty());
    assert!(store.due_notice_operators(t0, t0, 10).await.expect("held").is_empty());
    // A lease that ran out: claimed again (a sender died); finished: never again.
    let later = Timestamp(lease.0 + 1);
    let again = store.claim_operator_notices(f.operator.id, later, Timestamp(later.0 + 60_000)).await.expect("again");
    assert_eq!(again.len(), 2);
    store.finish_operator_notices(f.operator.id, lease, later).await.expect("an old claim changes nothing");
    assert!(
        store
            .due_notice_operators(Timestamp(later.0 + 100_000), Timestamp(later.0 + 100_000), 10)
            .await
            .expect("due")
            .len()
            == 1
    );
    store.finish_operator_notices(f.operator.id, Timestamp(later.0 + 60_000), later).await.expect("finish");
    let end = Timestamp(later.0 + 10 * 60_000);
    assert!(store.due_notice_operators(end, end, 10).await.expect("done").is_empty());
    assert!(store.claim_operator_notices(f.operator.id, end, Timestamp(end.0 + 1)).await.expect("done").is_empty());
}

pub async fn a_form_is_sent_filled_once_and_makes_numbered_linked_tickets(store: Arc<dyn Store>) {
    use crate::forms::{FormRequest, NewTicket, StoredForm, TicketEntry, TicketFilter};
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let t0 = now();
    let form = StoredForm {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        document: r#"{"name":"Рекламация"}"#.into(),
        enabled: true,
        created_at: t0,
        updated_at: t0,
    };
    store.save_form(&form).await.expect("save");
    let mut off = form.clone();
    off.enabled = false;
    off.updated_at = Timestamp(t0.0 + 1);
    store.save_form(&off).await.expect("update");
    assert_eq!(store.forms(ws).await.expect("list"), [off.clone()]);
    assert_eq!(store.form(ws, form.id).await.expect("one"), off);
    let (other, _) = crate::contract::workspace(&store).await;
    assert!(matches!(store.form(other.id, form.id).await, Err(StoreError::NotFound)));

    let d = store.post_message(f.visitor_post("v1", "Вопрос")).await.expect("post").dialog;
    let request = FormRequest {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        dialog_id: d.id,
        form_id: form.id,
        form: off.document.clone(),
        status: "sent".into(),
        answers: None,
        sent_by: f.operator.id.0,
        created_at: t0,
        submitted_at: None,
    };
    let line = |event: SystemEvent| crate::NewLine::system(event, t0);
    let sent = store
        .send_form(
            &request,
            &line(SystemEvent::FormSent {
                request: request.id.to_string(),
                form: "Рекламация".into(),
                by: "Анна".into(),
            }),
            Actor::operator(f.operator.id),
        )
        .await
        .expect("send");
    assert_eq!(sent.lines.len(), 1);
    assert_eq!(sent.lines[0].audience, Audience::All);
    assert_eq!(store.form_request(ws, request.id).await.expect("read"), request);

    let ticket = |side: &str, address: &str| NewTicket {
        id: uuid::Uuid::now_v7(),
        side: side.into(),
        subject: "Вопрос по рекламации".into(),
        address: address.into(),
        due_at: Some(Timestamp(t0.0 + 86_400_000)),
    };
    let (dept, client) = (ticket("department", "service@kitchen.example"), ticket("client", "maria@mail.example"));
    let said = |made: &[crate::forms::Ticket]| {
        line(SystemEvent::FormSubmitted {
            request: request.id.to_string(),
            form: "Рекламация".into(),
            number: made[0].number,
            client_number: made[1].number,
            answer: format!("№{}", made[1].number),
        })
    };
    let (changed, made) = store
        .submit_form(ws, request.id, r#"[["contract","123456"]]"#, &dept, &client, &said, Actor::SYSTEM, t0)
        .await
        .expect("submit");
    assert_eq!(made.iter().map(|t| t.number).collect::<Vec<_>>(), [1, 2]);
    assert_eq!((made[0].linked_id, made[1].linked_id), (Some(client.id), Some(dept.id)));
    assert!(matches!(
        &changed.lines[0].event,
        Some(SystemEvent::FormSubmitted { number: 1, client_number: 2, answer, .. }) if answer == "№2"
    ));
    let again = store.submit_form(ws, request.id, "[]", &dept, &client, &said, Actor::SYSTEM, t0).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "taken once");
    let kept = store.form_request(ws, request.id).await.expect("read");
    assert_eq!((kept.status.as_str(), kept.answers.as_deref()), ("submitted", Some(r#"[["contract","123456"]]"#)));

    // Listed and filtered; the status set with an entry and a line.
    let all = store.tickets(ws, &TicketFilter { limit: 10, ..Default::default() }).await.expect("list");
    assert_eq!(all.iter().map(|t| t.number).collect::<Vec<_>>(), [2, 1], "newest first");
    let due = TicketFilter { due_before: Some(Timestamp(t0.0 + 86_400_000)), limit: 10, ..Default::default() };
    assert_eq!(store.tickets(ws, &due).await.expect("due").len(), 2);
    let early = TicketFilter { due_before: Some(t0), limit: 10, ..Default::default() };
    assert!(store.tickets(ws, &early).await.expect("none due").is_empty());
    let entry = TicketEntry {
        id: uuid::Uuid::now_v7(),
        ticket_id: dept.id,
        workspace_id: ws,
        direction: "in".into(),
        mail_id: Some("answer@service".into()),
        text: "Мастер приедет во вторник.".into(),
        at: t0,
    };
    let (t, lined) = store
        .update_ticket(
            ws,
            dept.id,
            "answered",
            Some(&entry),
            Some(&line(SystemEvent::TicketAnswered { number: 1, from: "service".into(), text: "…".into() })),
            Actor::SYSTEM,
            t0,
        )
        .await
        .expect("update");
    assert_eq!(t.status, "answered");
    assert_eq!(lined.expect("written into the open dialog").lines[0].audience, Audience::Operators);
    assert_eq!(store.ticket_entries(ws, dept.id).await.expect("entries"), [entry]);
    let answered =
        TicketFilter { status: Some("answered".into()), dialog: Some(d.id), limit: 10, ..Default::default() };
    assert_eq!(
        store.tickets(ws, &answered).await.expect("answered").iter().map(|t| t.id).collect::<Vec<_>>(),
        [dept.id]
    );
    // A second pair in the workspace numbers on.
    let second = FormRequest { id: uuid::Uuid::now_v7(), ..request.clone() };
    store
        .send_form(
            &second,
            &line(SystemEvent::FormSent { request: second.id.to_string(), form: "x".into(), by: "Анна".into() }),
            Actor::SYSTEM,
        )
        .await
        .expect("send");
    let (dept2, client2) = (ticket("department", "s@x"), ticket("client", "c@x"));
    let (_, made) =
        store.submit_form(ws, second.id, "[]", &dept2, &client2, &said, Actor::SYSTEM, t0).await.expect("submit");
    assert_eq!(made.iter().map(|t| t.number).collect::<Vec<_>>(), [3, 4]);
}
