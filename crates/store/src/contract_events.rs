//! Contract cases of the event log and the outbox (see [`crate::contract`]).

use crate::contract::{Fixture, accept, now, operator};
use crate::events::{JobAttempt, JobNext, JobStatus, OutboxJob, StoredEvent, WebhookEndpoint};
use crate::*;
use frontline_domain::*;
use std::sync::Arc;

async fn kinds(store: &Arc<dyn Store>, ws: WorkspaceId, d: DialogId) -> Vec<String> {
    store.dialog_events(ws, d).await.expect("events").into_iter().map(|e| e.kind).collect()
}

/// An enabled endpoint of `ws` subscribed to `events`.
pub fn endpoint(ws: WorkspaceId, events: &[EventKind]) -> WebhookEndpoint {
    WebhookEndpoint {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        url: "https://hooks.example.com/frontline".into(),
        description: String::new(),
        events: events.to_vec(),
        secret: "whsec_dGVzdA==".into(),
        previous_secret: None,
        previous_until: None,
        enabled: true,
        disabled_reason: None,
        failing_since: None,
        created_at: now(),
        updated_at: now(),
    }
}

/// The outbox jobs of one target, oldest first.
pub async fn jobs_of(store: &Arc<dyn Store>, ws: WorkspaceId, target: uuid::Uuid) -> Vec<OutboxJob> {
    let mut jobs: Vec<OutboxJob> =
        store.target_jobs(ws, target, i64::MAX, 1000).await.expect("jobs").into_iter().map(|(j, _)| j).collect();
    jobs.reverse();
    jobs
}

fn attempt(n: i64, code: Option<i64>) -> JobAttempt {
    JobAttempt {
        attempt: n,
        at: now(),
        status_code: code,
        response_excerpt: Some("ok".into()),
        latency_ms: Some(3),
        error: None,
    }
}

pub async fn each_change_writes_its_events_with_it(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let first = store.post_message(f.visitor_post("e1", "Здравствуйте")).await.expect("first");
    let d = first.dialog.id;
    let events = store.dialog_events(ws, d).await.expect("events");
    assert_eq!(events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["dialog.created", "message.created"]);
    let m = &events[1];
    assert_eq!(
        (m.subject_id, m.actor_kind.as_str(), m.actor_id),
        (Some(first.message.id.0), "visitor", Some(f.visitor.id.0))
    );
    assert!(!m.payload.contains("Здравствуйте"), "no message text in the log: {}", m.payload);
    assert!(events[0].pos < events[1].pos);

    // A retry writes nothing, an operator's reply and a note write their own kinds.
    store.post_message(f.visitor_post("e1", "Здравствуйте")).await.expect("retry");
    store.post_message(f.operator_post(d, "r1", "Слушаю")).await.expect("reply");
    let mut note = f.operator_post(d, "n1", "Заметка");
    note.message.audience = Audience::Operators;
    store.post_message(note).await.expect("note");
    assert_eq!(kinds(&store, ws, d).await[2..], ["message.created", "note.created"]);

    // A refused assignment writes no event; the one that happens writes its own and its line's.
    let online = crate::contract::operator(&store, ws, "boris@example.com").await;
    store.set_presence(ws, online.id, Presence::Online, now()).await.expect("online");
    let stale = Reassign { expect: Some(f.operator.id), ..accept(ws, d, online.id) };
    assert!(matches!(store.reassign(&stale).await, Err(StoreError::Refused(_))));
    assert_eq!(kinds(&store, ws, d).await.len(), 4, "a refusal writes nothing");
    store.reassign(&accept(ws, d, online.id)).await.expect("accept");
    let all = store.dialog_events(ws, d).await.expect("events");
    let assigned = &all[4];
    assert_eq!(assigned.kind, "dialog.assigned");
    assert_eq!((assigned.actor_kind.as_str(), assigned.actor_id), ("operator", Some(online.id.0)));
    assert!(assigned.payload.contains(&online.id.0.to_string()), "{}", assigned.payload);
    assert_eq!(all[5].kind, "message.created", "the system line of the assignment");

    // Snooze, labels, close (once), reopen: one event each, with the actor given.
    let by = Actor::operator(online.id);
    store.set_snooze(ws, d, Some(Timestamp(now().0 + 60_000)), now(), by, &[]).await.expect("snooze");
    store.set_snooze(ws, d, None, now(), by, &[]).await.expect("wake");
    store.set_dialog_tags(ws, d, &[], now(), by).await.expect("tags");
    store.close_with_reason(ws, d, CloseReason::Operator, now(), by).await.expect("close");
    store.close_with_reason(ws, d, CloseReason::Operator, now(), by).await.expect("close again");
    assert!(matches!(store.post_message(f.operator_post(d, "late", "Поздно")).await, Err(StoreError::DialogClosed)));
    let rating = Rating::parse(4, None, now()).expect("rating");
    store.rate_dialog(ws, d, &rating).await.expect("rate").expect("asked");
    store.reopen_dialog(ws, d, now(), None, by, &[]).await.expect("reopen").expect("was closed");
    let tail = kinds(&store, ws, d).await[6..].to_vec();
    assert_eq!(
        tail,
        [
            "dialog.snoozed",
            "dialog.unsnoozed",
            "dialog.labels_changed",
            "dialog.closed",
            "rating.created",
            "dialog.reopened"
        ]
    );
    let closed = store.dialog_events(ws, d).await.expect("events").into_iter().find(|e| e.kind == "dialog.closed");
    assert!(closed.expect("closed").payload.contains("\"operator\""), "the reason is in the payload");

    // Operators: presence (only when it changes), capacity, membership.
    let before = store.events_after(ws, 0, 1000).await.expect("log").len();
    store.set_presence(ws, online.id, Presence::Online, now()).await.expect("same presence");
    store.set_presence(ws, online.id, Presence::Away, now()).await.expect("away");
    store.set_capacity(ws, online.id, Capacity::new(3).expect("capacity"), by, now()).await.expect("capacity");
    store.set_channel_members(ws, f.channel.id, &[online.id], by, now()).await.expect("members");
    let log = store.events_after(ws, 0, 1000).await.expect("log");
    let added: Vec<&str> = log[before..].iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(added, ["operator.presence_changed", "operator.updated", "operator.membership_changed"]);
    assert!(log.windows(2).all(|w| w[0].pos < w[1].pos), "the log is in order");
    // Another workspace's log holds none of it.
    let other = Fixture::new(store.clone()).await;
    assert!(
        store
            .events_after(other.workspace.id, 0, 1000)
            .await
            .expect("other")
            .iter()
            .all(|e| e.workspace_id == other.workspace.id)
    );
}

pub async fn batched_posts_write_their_events_and_a_failed_one_none(store: Arc<dyn Store>) {
    let f = Arc::new(Fixture::new(store.clone()).await);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            let post = if i == 11 {
                f.nobodys_post(&format!("b{i}"), "в пачке")
            } else {
                f.visitor_post(&format!("b{i}"), "в пачке")
            };
            f.store.post_message(post).await
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        if let Ok(p) = t.await.expect("task") {
            ids.push(p.message.id.0);
        }
    }
    assert_eq!(ids.len(), 39);
    let d = store.latest_dialog_of_visitor(f.workspace.id, f.visitor.id).await.expect("latest").expect("dialog");
    let events = store.dialog_events(f.workspace.id, d.id).await.expect("events");
    assert_eq!(events.iter().filter(|e| e.kind == "dialog.created").count(), 1);
    let mut subjects: Vec<uuid::Uuid> =
        events.iter().filter(|e| e.kind == "message.created").filter_map(|e| e.subject_id).collect();
    subjects.sort();
    ids.sort();
    assert_eq!(subjects, ids, "one event per stored message, none for the failed post");
    let log = store.events_after(f.workspace.id, 0, 1000).await.expect("log");
    assert_eq!(log.len(), 40, "nothing else in the workspace's log");
}

pub async fn webhook_jobs_are_written_with_the_event(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let messages = endpoint(ws, &[EventKind::MessageCreated, EventKind::DialogClosed]);
    let notes = endpoint(ws, &[EventKind::NoteCreated]);
    let mut off = endpoint(ws, &[EventKind::MessageCreated]);
    off.enabled = false;
    for e in [&messages, &notes, &off] {
        store.create_webhook(e, 10).await.expect("create");
    }
    assert!(matches!(store.create_webhook(&endpoint(ws, &[]), 3).await, Err(StoreError::Conflict("limit"))));
    assert_eq!(store.webhooks(ws).await.expect("list").len(), 3);
    assert_eq!(store.webhook(ws, messages.id).await.expect("one"), messages);

    let d = store.post_message(f.visitor_post("w1", "Вопрос")).await.expect("post").dialog;
    let mut note = f.operator_post(d.id, "n1", "Заметка");
    note.message.audience = Audience::Operators;
    store.post_message(note).await.expect("note");
    let m = jobs_of(&store, ws, messages.id).await;
    assert_eq!(m.iter().map(|j| j.event_kind.as_str()).collect::<Vec<_>>(), ["message.created"]);
    assert_eq!((m[0].status, m[0].attempts, m[0].generation, m[0].body.clone()), (JobStatus::Pending, 0, 0, None));
    let n = jobs_of(&store, ws, notes.id).await;
    assert_eq!(n.iter().map(|j| j.event_kind.as_str()).collect::<Vec<_>>(), ["note.created"]);
    assert!(jobs_of(&store, ws, off.id).await.is_empty(), "a disabled endpoint gets nothing");
    let event: StoredEvent = store.event(m[0].event_id).await.expect("event");
    assert_eq!(event.kind, "message.created");
    // What a pass of deliveries reads at once: unknown ids are left out.
    let got = store.events_by_ids(&[m[0].event_id, n[0].event_id, uuid::Uuid::now_v7()]).await.expect("events");
    assert_eq!(got.len(), 2);
    let subject = event.subject_id.expect("the message");
    let found = store.messages_by_ids(&[subject, uuid::Uuid::now_v7()]).await.expect("messages");
    assert_eq!(found.iter().map(|m| m.id.0).collect::<Vec<_>>(), [subject]);
    let dialogs = store.dialogs_by_ids(&[d.id, DialogId::new()]).await.expect("dialogs");
    assert_eq!(dialogs.iter().map(|x| x.id).collect::<Vec<_>>(), [d.id]);
    assert!(store.events_by_ids(&[]).await.expect("none").is_empty());

    // Unsubscribing takes effect at the next event; another workspace's events never reach it.
    let mut changed = messages.clone();
    changed.events = vec![EventKind::DialogClosed];
    changed.updated_at = now();
    store.update_webhook(&changed).await.expect("update");
    store.post_message(f.operator_post(d.id, "r1", "Ответ")).await.expect("reply");
    let other = Fixture::new(store.clone()).await;
    store.post_message(other.visitor_post("x", "Чужой")).await.expect("other");
    store.close_with_reason(ws, d.id, CloseReason::Operator, now(), Actor::SYSTEM).await.expect("close");
    let m = jobs_of(&store, ws, messages.id).await;
    assert_eq!(m.iter().map(|j| j.event_kind.as_str()).collect::<Vec<_>>(), ["message.created", "dialog.closed"]);

    store.delete_webhook(ws, notes.id).await.expect("delete");
    assert!(matches!(store.webhook(ws, notes.id).await, Err(StoreError::NotFound)));
    assert!(jobs_of(&store, ws, notes.id).await.is_empty(), "its jobs went with it");
    assert!(matches!(store.delete_webhook(other.workspace.id, messages.id).await, Err(StoreError::NotFound)));
}

pub async fn outbox_claims_are_exclusive_ordered_and_leased(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let hook = endpoint(ws, &[EventKind::MessageCreated]);
    store.create_webhook(&hook, 10).await.expect("create");
    let x = store.post_message(f.visitor_post("x1", "1")).await.expect("x1").dialog;
    store.post_message(f.operator_post(x.id, "x2", "2")).await.expect("x2");
    store.post_message(f.operator_post(x.id, "x3", "3")).await.expect("x3");
    let other = crate::contract::visitor(&store, ws, f.site.id).await;
    store.post_message(f.visitor_post_by(&other, "y1", "1")).await.expect("y1");
    let jobs = jobs_of(&store, ws, hook.id).await;
    assert_eq!(jobs.len(), 4);

    // Two workers at once: each job goes to one of them, and only the first job of each dialog.
    let later = Timestamp(now().0 + 1_000);
    let lease = Timestamp(later.0 + 60_000);
    let (a, b) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let (ja, jb) = tokio::join!(store.claim_jobs(later, a, lease, 10), store.claim_jobs(later, b, lease, 10));
    let (ja, jb) = (ja.expect("a"), jb.expect("b"));
    let mut got: Vec<i64> = ja.iter().chain(jb.iter()).map(|j| j.pos).collect();
    got.sort_unstable();
    assert_eq!(got, vec![jobs[0].pos, jobs[3].pos], "the first of each dialog, once");
    let first = ja.iter().chain(jb.iter()).find(|j| j.pos == jobs[0].pos).expect("first").clone();
    let claim = first.claim.expect("claimed");
    assert_eq!(first.attempts, 1);
    assert!(store.claim_jobs(later, uuid::Uuid::now_v7(), lease, 10).await.expect("again").is_empty());

    // The body is fixed once; a report with another claim is stale and changes nothing.
    store.set_job_body(first.pos, claim, "{\"n\":1}").await.expect("body");
    store.set_job_body(first.pos, claim, "{\"n\":2}").await.expect("body again");
    assert_eq!(store.job(ws, first.pos).await.expect("job").body.as_deref(), Some("{\"n\":1}"));
    let stale = store
        .report_job(&first, uuid::Uuid::now_v7(), &attempt(1, Some(200)), JobNext::Done, Timestamp(0))
        .await
        .expect("stale");
    assert!(stale.stale);

    // A crash: nobody reports, the lease runs out, and the job is claimed again (attempt 2).
    let after_lease = Timestamp(lease.0 + 1);
    let c = uuid::Uuid::now_v7();
    let again = store.claim_jobs(after_lease, c, Timestamp(after_lease.0 + 60_000), 10).await.expect("reclaim");
    let again: Vec<&OutboxJob> = again.iter().filter(|j| j.pos == first.pos).collect();
    assert_eq!(again.len(), 1, "redelivered after the lease");
    assert_eq!((again[0].attempts, again[0].body.as_deref()), (2, Some("{\"n\":1}")));
    let late =
        store.report_job(&first, claim, &attempt(1, Some(200)), JobNext::Done, Timestamp(0)).await.expect("late");
    assert!(late.stale, "the first worker's late report is ignored");
    let done = store.report_job(again[0], c, &attempt(2, Some(204)), JobNext::Done, Timestamp(0)).await.expect("done");
    assert!(!done.stale);
    let next = store.claim_jobs(after_lease, b, Timestamp(after_lease.0 + 60_000), 10).await.expect("next");
    assert!(next.iter().any(|j| j.pos == jobs[1].pos), "the dialog's second job follows the first");
    assert!(!next.iter().any(|j| j.pos == jobs[2].pos), "and the third waits for it");
    let attempts = store.job_attempts(first.pos).await.expect("attempts");
    assert_eq!(attempts.iter().map(|a| (a.attempt, a.status_code)).collect::<Vec<_>>(), [(2, Some(204))]);
}

pub async fn failing_endpoints_retry_then_stop_and_replays_resend(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let hook = endpoint(ws, &[EventKind::MessageCreated]);
    store.create_webhook(&hook, 10).await.expect("create");
    let d = store.post_message(f.visitor_post("f1", "1")).await.expect("f1").dialog;
    store.post_message(f.operator_post(d.id, "f2", "2")).await.expect("f2");
    let t = Timestamp(now().0 + 1_000);
    let claim = uuid::Uuid::now_v7();
    let job = store.claim_jobs(t, claim, Timestamp(t.0 + 60_000), 10).await.expect("claim").remove(0);
    store.set_job_body(job.pos, claim, "{}").await.expect("body");
    let retry_at = Timestamp(t.0 + 5_000);
    let r = store
        .report_job(&job, claim, &attempt(1, Some(500)), JobNext::RetryAt(retry_at), Timestamp(0))
        .await
        .expect("retry");
    assert!(!r.stale && !r.endpoint_disabled);
    let stored = store.webhook(ws, hook.id).await.expect("hook");
    assert!(stored.failing_since.is_some() && stored.enabled);
    assert!(
        store.claim_jobs(t, claim, Timestamp(t.0 + 60_000), 10).await.expect("early").is_empty(),
        "not before its time"
    );
    let job = store.claim_jobs(retry_at, claim, Timestamp(retry_at.0 + 60_000), 10).await.expect("due").remove(0);
    assert_eq!(job.attempts, 2);
    // Failing for longer than the limit: the endpoint goes off with its pending jobs.
    let r = store
        .report_job(
            &job,
            claim,
            &attempt(2, None),
            JobNext::RetryAt(Timestamp(retry_at.0 + 60_000)),
            Timestamp(now().0 + 10_000),
        )
        .await
        .expect("fail");
    assert!(r.endpoint_disabled);
    let stored = store.webhook(ws, hook.id).await.expect("hook");
    assert_eq!((stored.enabled, stored.disabled_reason.as_deref()), (false, Some("failing")));
    let jobs = jobs_of(&store, ws, hook.id).await;
    assert!(jobs.iter().all(|j| j.status == JobStatus::Failed), "{jobs:?}");
    store.post_message(f.operator_post(d.id, "f3", "3")).await.expect("f3");
    assert_eq!(jobs_of(&store, ws, hook.id).await.len(), 2, "no new jobs while it is off");

    // A replay is a new generation of the same event and body; a job never attempted has no body.
    let replay = store.replay_job(ws, jobs[0].pos, now()).await.expect("replay");
    assert_eq!((replay.event_id, replay.generation, replay.body.as_deref()), (jobs[0].event_id, 1, Some("{}")));
    assert_eq!(replay.status, JobStatus::Pending);
    assert!(matches!(store.replay_job(ws, jobs[1].pos, now()).await, Err(StoreError::NotFound)));
    let other = Fixture::new(store.clone()).await;
    assert!(matches!(store.replay_job(other.workspace.id, jobs[0].pos, now()).await, Err(StoreError::NotFound)));
    // A test delivery carries its own body and event.
    let test = store.enqueue_test_job(ws, hook.id, uuid::Uuid::now_v7(), "{\"t\":1}", now()).await.expect("test");
    assert_eq!((test.event_kind.as_str(), test.body.as_deref()), ("webhook.test", Some("{\"t\":1}")));
}

pub async fn retention_keeps_what_pending_jobs_need(store: Arc<dyn Store>) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let hook = endpoint(ws, &[EventKind::MessageCreated]);
    store.create_webhook(&hook, 10).await.expect("create");
    let d = store.post_message(f.visitor_post("p1", "1")).await.expect("p1").dialog;
    let before = kinds(&store, ws, d.id).await;
    assert_eq!(before, ["dialog.created", "message.created"]);
    let future = Timestamp(now().0 + 3_600_000);
    store.purge_events(future, 10_000).await.expect("purge");
    assert_eq!(kinds(&store, ws, d.id).await, ["message.created"], "the pending job's event stays");
    let t = Timestamp(now().0 + 1_000);
    let claim = uuid::Uuid::now_v7();
    let job = store.claim_jobs(t, claim, Timestamp(t.0 + 60_000), 10).await.expect("claim").remove(0);
    store.report_job(&job, claim, &attempt(1, Some(200)), JobNext::Done, Timestamp(0)).await.expect("done");
    store.purge_events(future, 10_000).await.expect("purge");
    assert!(kinds(&store, ws, d.id).await.is_empty());
    assert!(jobs_of(&store, ws, hook.id).await.is_empty(), "finished jobs older than the limit go too");
    assert_eq!(store.dialog(ws, d.id).await.expect("dialog").last_seq, 1, "the conversation itself stays");
}

/// Makes the database refuse to write events of one kind from now on (a trigger that raises);
/// each backend's tests give theirs.
pub type Sabotage =
    Box<dyn Fn(&'static str) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> + Send + Sync>;

/// A change and its events commit together or not at all: when writing an event fails, the
/// change it belongs to is not kept either (a close, a post on both write paths, an assignment,
/// a presence change).
pub async fn a_change_and_its_events_commit_together_or_not_at_all(store: Arc<dyn Store>, refuse: Sabotage) {
    let f = Fixture::new(store.clone()).await;
    let ws = f.workspace.id;
    let d = store.post_message(f.visitor_post("t1", "Вопрос")).await.expect("post").dialog;
    let before = store.dialog(ws, d.id).await.expect("dialog");

    refuse("dialog.closed").await;
    assert!(store.close_with_reason(ws, d.id, CloseReason::Operator, now(), Actor::SYSTEM).await.is_err());
    assert_eq!(
        store.dialog(ws, d.id).await.expect("dialog").status,
        DialogStatus::Open,
        "not closed without its event"
    );

    refuse("dialog.assigned").await;
    let anna = operator(&store, ws, "boris@example.com").await;
    store.set_presence(ws, anna.id, Presence::Online, now()).await.expect("online");
    assert!(store.reassign(&accept(ws, d.id, anna.id)).await.is_err());
    let after = store.dialog(ws, d.id).await.expect("dialog");
    assert_eq!((after.assignee, after.last_seq), (None, before.last_seq), "no assignee, no system line");

    refuse("message.created").await;
    // Several at once: the batch path fails, then each post alone, and none is kept.
    let mut tasks = Vec::new();
    for i in 0..5 {
        let store = store.clone();
        let post = f.operator_post(d.id, &format!("r{i}"), "Ответ");
        tasks.push(tokio::spawn(async move { store.post_message(post).await }));
    }
    for t in tasks {
        assert!(t.await.expect("task").is_err(), "a post whose event cannot be written is refused");
    }
    assert_eq!(store.messages(ws, d.id, 0, 100, false).await.expect("messages").len(), 1, "nothing of them stored");
    assert_eq!(store.dialog(ws, d.id).await.expect("dialog").last_seq, before.last_seq);
    // A snooze whose line cannot be written is no snooze.
    let said = NewLine::system(SystemEvent::Snoozed { until: "later".into(), by: "Анна".into() }, now());
    assert!(
        store.set_snooze(ws, d.id, Some(Timestamp(now().0 + 60_000)), now(), Actor::SYSTEM, &[said]).await.is_err()
    );
    assert_eq!(store.dialog(ws, d.id).await.expect("dialog").snoozed_until, None, "not snoozed without its line");

    refuse("operator.presence_changed").await;
    assert!(store.set_presence(ws, anna.id, Presence::Away, now()).await.is_err());
    let again = store.list_operators(ws).await.expect("operators").into_iter().find(|o| o.id == anna.id).expect("anna");
    assert_eq!(again.presence, Presence::Online, "presence unchanged without its event");
    let kinds: Vec<String> = store.events_after(ws, 0, 100).await.expect("log").into_iter().map(|e| e.kind).collect();
    assert!(!kinds.iter().any(|k| k == "dialog.closed" || k == "dialog.assigned"), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "message.created").count(), 1, "only the first post's");
}
