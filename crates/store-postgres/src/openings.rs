//! Visitors' posts that may open a dialog, written several to a transaction.
//!
//! A dialog's number comes from its workspace's counter row, and the row stays locked until
//! the opening's commit: that keeps the numbers without gaps (a failed opening rolls its
//! number back), and it makes openings in one workspace wait for each other's commit and its
//! WAL flush. One at a time, 200 visitors writing their first messages in the same second
//! queued for up to a second (docs/bench.md, "PostgreSQL's first-second tail"); taking the
//! number later in the transaction did not help, because the flush is what they wait for.
//!
//! So these posts go through one lane per store, which writes whatever is waiting in one
//! transaction, one savepoint a post: a post that fails is rolled back to its savepoint and
//! answered alone, the others commit together, and everyone waiting shares one flush. Nothing
//! is answered before the commit. The lane's writer is a task of its own, so a caller that
//! goes away (a closed socket, a cancelled request) cannot roll back the others' posts.

use crate::post::post_in_unlogged;
use crate::row::map_err;
use frontline_store::backend::PostFailure;
use frontline_store::events::NewEvent;
use frontline_store::sql;
use frontline_store::{PostMessage, Posted, StoreError, StoreResult};
use sqlx::postgres::PgPool;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// The most posts one transaction takes; the rest wait for the next.
const MOST_A_BATCH: usize = 256;

struct Job {
    post: PostMessage,
    answer: oneshot::Sender<StoreResult<Posted>>,
}

#[derive(Default)]
struct Queue {
    jobs: Vec<Job>,
    /// Whether a writer task is draining the queue.
    writing: bool,
}

#[derive(Default)]
pub(crate) struct Lane {
    queue: Mutex<Queue>,
}

impl Lane {
    /// Writes `post` with the others waiting, and answers once they are committed.
    pub(crate) async fn post(self: &Arc<Self>, pool: &PgPool, post: PostMessage) -> StoreResult<Posted> {
        let (answer, answered) = oneshot::channel();
        let start = {
            let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
            q.jobs.push(Job { post, answer });
            !std::mem::replace(&mut q.writing, true)
        };
        if start {
            let lane = self.clone();
            let pool = pool.clone();
            tokio::spawn(async move { lane.drain(&pool).await });
        }
        answered.await.unwrap_or_else(|_| Err(StoreError::Unavailable("the post's writer stopped".into())))
    }

    /// Writes batches until the queue is empty.
    async fn drain(&self, pool: &PgPool) {
        let mut stopped = Stopped { lane: self, emptied: false };
        loop {
            let mut jobs = {
                let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
                if q.jobs.is_empty() {
                    q.writing = false;
                    stopped.emptied = true;
                    return;
                }
                let n = q.jobs.len().min(MOST_A_BATCH);
                q.jobs.drain(..n).collect::<Vec<_>>()
            };
            // Workspaces' counters are locked in one order, whatever the batch (each post in
            // a workspace keeps its place): two nodes' batches then never wait on each other
            // in a cycle.
            jobs.sort_by_key(|j| j.post.workspace_id.0);
            let posts: Vec<&PostMessage> = jobs.iter().map(|j| &j.post).collect();
            let answers = write(pool, &posts).await;
            for (job, answer) in jobs.into_iter().zip(answers) {
                let _ = job.answer.send(answer);
            }
        }
    }
}

/// Frees the lane for a new writer if its writer ends without emptying the queue (a panic,
/// the runtime shutting down): the next post then starts one.
struct Stopped<'a> {
    lane: &'a Lane,
    /// It ended as it should, having found the queue empty (and said so under the lock).
    emptied: bool,
}

impl Drop for Stopped<'_> {
    fn drop(&mut self) {
        if !self.emptied {
            self.lane.queue.lock().unwrap_or_else(|e| e.into_inner()).writing = false;
        }
    }
}

/// Writes `posts` in one transaction and answers each, in order. A lost race (`Conflict`: the
/// visitor's dialog opened or the same message stored by another node meanwhile) is tried
/// again, as the single-post path does.
async fn write(pool: &PgPool, posts: &[&PostMessage]) -> Vec<StoreResult<Posted>> {
    // Alone, a post needs no savepoint: the transaction is its own.
    if let [post] = posts {
        return vec![crate::post::general(pool, post).await];
    }
    let mut tx = match pool.begin().await.map_err(map_err) {
        Ok(tx) => tx,
        Err(e) => return all_failed(posts.len(), &e),
    };
    let mut answers = Vec::with_capacity(posts.len());
    let mut events = Vec::new();
    for post in posts {
        let mut attempt = 0;
        let answer = loop {
            attempt += 1;
            if let Err(e) = statement(&mut tx, "SAVEPOINT post").await {
                return all_failed(posts.len(), &e);
            }
            let failure = match post_in_unlogged(&mut tx, post).await {
                Ok((done, its)) => match statement(&mut tx, "RELEASE SAVEPOINT post").await {
                    Ok(()) => {
                        events.extend(its);
                        break Ok(done);
                    }
                    Err(e) => return all_failed(posts.len(), &e),
                },
                Err(failure) => failure,
            };
            // Only this post's statements are undone; a transaction that cannot even do
            // that is lost, and with it every post in it.
            if let Err(e) = statement(&mut tx, "ROLLBACK TO SAVEPOINT post").await {
                return all_failed(posts.len(), &e);
            }
            match failure {
                PostFailure::Db(StoreError::Conflict(_)) if attempt < 3 => continue,
                PostFailure::Db(e @ StoreError::Unavailable(_)) => return all_failed(posts.len(), &e),
                failure => break Err(failure.into_error()),
            }
        };
        answers.push(answer);
    }
    // The events of the posts written, in their order, all at once.
    if let Err(e) = write_events(&mut tx, &events).await {
        return all_failed(posts.len(), &e);
    }
    // Every statement above succeeded or was rolled back to its savepoint, so the transaction
    // is not in a failed state (where `COMMIT` would roll back without an error).
    if let Err(e) = tx.commit().await.map_err(map_err) {
        return all_failed(posts.len(), &e);
    }
    answers
}

async fn statement(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>, sql: &'static str) -> StoreResult<()> {
    sqlx::query(sql).execute(&mut **tx).await.map(|_| ()).map_err(map_err)
}

/// Writes a batch's events with one insert, and their outbox jobs with one fan-out (what
/// `write_events!` does for each event in turn).
async fn write_events(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>, events: &[NewEvent]) -> StoreResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let ids: Vec<uuid::Uuid> = events.iter().map(|e| e.id).collect();
    sqlx::query(sqlx::AssertSqlSafe(INSERT_EVENTS.as_str()))
        .bind(&ids)
        .bind(events.iter().map(|e| e.workspace_id.0).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.dialog_id.map(|d| d.0)).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.subject_id).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.actor.kind.as_str()).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.actor.id).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.at.0).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.payload_text()).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    sqlx::query(sqlx::AssertSqlSafe(FAN_OUT_EVENTS.as_str())).bind(&ids).execute(&mut **tx).await.map_err(map_err)?;
    Ok(())
}

/// The events' rows in the order given (`WITH ORDINALITY`), so their log positions follow it.
static INSERT_EVENTS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "INSERT INTO events ({cols}) SELECT id, ws, kind, dialog, subject, actor_kind, actor, at, payload FROM \
         UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::uuid[], $8::bigint[], \
         $9::text[]) WITH ORDINALITY AS e(id, ws, kind, dialog, subject, actor_kind, actor, at, payload, n) ORDER BY n",
        cols = sql::EVENT_INSERT_COLS
    )
});
static FAN_OUT_EVENTS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| sql::fan_out("ev.id = ANY($1)"));

/// The answers of a batch whose transaction was lost: nothing of it was written.
fn all_failed(n: usize, e: &StoreError) -> Vec<StoreResult<Posted>> {
    (0..n).map(|_| Err(StoreError::Unavailable(format!("the post's transaction failed: {e}")))).collect()
}

#[cfg(test)]
mod tests {
    use frontline_domain::EventKind;
    use frontline_store::Store;
    use frontline_store::contract::{Fixture, endpoint, jobs_of, test_database_url, visitor};
    use std::sync::Arc;

    /// One batch of openings: each is answered on its own, a failing one is rolled back alone,
    /// the rest commit together with numbers in order and without a gap, and a second message
    /// of a visitor in the same batch goes to the dialog his first one opened.
    #[tokio::test]
    async fn a_batch_commits_its_openings_together_and_rolls_back_only_the_failing_one() {
        let Some(url) = test_database_url() else { return };
        let pg = Arc::new(crate::PgStore::temporary(&url).await.expect("connect"));
        let store: Arc<dyn Store> = pg.clone();
        let f = Fixture::new(store.clone()).await;
        let second = visitor(&store, f.workspace.id, f.site.id).await;
        let bad = f.nobodys_post("bad", "нет такого посетителя");
        let hook = endpoint(f.workspace.id, &[EventKind::DialogCreated, EventKind::MessageCreated]);
        store.create_webhook(&hook, 10).await.expect("webhook");
        let posts = [
            f.visitor_post("a1", "Здравствуйте"),
            bad,
            f.visitor_post_by(&second, "b1", "Добрый день"),
            f.visitor_post("a2", "Ещё вопрос"),
            f.visitor_post("a1", "Здравствуйте"),
        ];
        let answers = super::write(&pg.pool, &posts.iter().collect::<Vec<_>>()).await;
        assert_eq!(answers.len(), 5);
        let ok = |i: usize| answers[i].as_ref().unwrap_or_else(|e| panic!("post {i}: {e:?}"));
        assert!(answers[1].is_err(), "a visitor that does not exist: {:?}", answers[1].as_ref().map(|p| p.message.id));
        let (a1, b1, a2, again) = (ok(0), ok(2), ok(3), ok(4));
        assert!(a1.dialog_created && b1.dialog_created && !a2.dialog_created);
        assert_eq!((a1.dialog.number, b1.dialog.number), (1, 2), "numbers in order, the failed one took none");
        assert_eq!((a2.dialog.id, a2.message.seq), (a1.dialog.id, 2), "his second message joins his dialog");
        assert!(again.duplicate && again.message.id == a1.message.id, "a resend in the batch is the first");
        // Committed: read back through the store.
        let stored = store.messages(f.workspace.id, a1.dialog.id, 0, 10, false).await.expect("messages");
        assert_eq!(stored.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(), ["Здравствуйте", "Ещё вопрос"]);
        assert_eq!(store.dialog(f.workspace.id, b1.dialog.id).await.expect("b").number, 2);
        // The events of the posts written, written at once in their order, and their webhook
        // jobs with them; none for the failed post or the resend.
        let of = |d| {
            let store = store.clone();
            async move { store.dialog_events(f.workspace.id, d).await.expect("events") }
        };
        let (a_events, b_events) = (of(a1.dialog.id).await, of(b1.dialog.id).await);
        let kinds =
            |events: &[frontline_store::events::StoredEvent]| events.iter().map(|e| e.kind.clone()).collect::<Vec<_>>();
        assert_eq!(kinds(&a_events), ["dialog.created", "message.created", "message.created"]);
        assert_eq!(kinds(&b_events), ["dialog.created", "message.created"]);
        let jobs = jobs_of(&store, f.workspace.id, hook.id).await;
        let job_kinds: Vec<_> = jobs.iter().map(|j| j.event_kind.as_str()).collect();
        assert_eq!(
            job_kinds,
            ["dialog.created", "message.created", "dialog.created", "message.created", "message.created"]
        );
        let mut job_events: Vec<_> = jobs.iter().map(|j| j.event_id).collect();
        let mut written: Vec<_> = a_events.iter().chain(&b_events).map(|e| e.id).collect();
        job_events.sort_unstable();
        written.sort_unstable();
        assert_eq!(job_events, written, "one job for each event written");
        store.close().await;
    }
}
