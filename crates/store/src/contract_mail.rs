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
