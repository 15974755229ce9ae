//! Group commit of posted messages and tracked events.
//!
//! One task owns the writing of messages and of the events a site tracks. It waits for a job,
//! takes every other job already queued (up to `MAX_BATCH`), writes them in one transaction
//! and commits once: one fsync for the lot. Each sender gets its answer only after that commit.
//!
//! The posts are written with a fixed number of statements (`batch.rs`), then each call's
//! events (two statements an event, `track_in`). A refused post (closed or unknown dialog) is
//! an answer and does not disturb its neighbours. A database error (which should not happen)
//! rolls the whole batch back, and then each post and each call's events are written again in
//! a transaction of their own (`post_in`, the one-post path that also defines the rules the
//! batch path follows), so one bad job never takes others down with it.

use crate::{Job, MAX_BATCH, batch};
use frontline_store::leads::TrackedEvent;
use sqlx::SqliteConnection;
use sqlx::sqlite::SqlitePool;
use tokio::sync::mpsc;

pub(crate) async fn group_commit(pool: SqlitePool, mut rx: mpsc::Receiver<Job>) {
    let mut jobs: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let mut posts = Vec::new();
        let mut tracks = Vec::new();
        for job in jobs.drain(..) {
            match job {
                Job::Post(p, reply) => posts.push((p, reply)),
                Job::Track(e, reply) => tracks.push((e, reply)),
            }
        }
        let (posted, tracked) = write_batch(&pool, &posts, &tracks).await;
        // A sender may have gone (client disconnected); what it sent is stored anyway.
        for ((_, reply), result) in posts.into_iter().zip(posted) {
            let _ = reply.send(result);
        }
        for ((_, reply), result) in tracks.into_iter().zip(tracked) {
            let _ = reply.send(result);
        }
    }
    tracing::debug!("message writer stopped");
}

type Answers = (Vec<StoreResult<Posted>>, Vec<StoreResult<Vec<bool>>>);

async fn write_batch<P, T>(
    pool: &SqlitePool,
    posts: &[(PostMessage, P)],
    tracks: &[(Vec<TrackedEvent>, T)],
) -> Answers {
    let all_failed = |e: StoreError| -> Answers {
        (posts.iter().map(|_| Err(clone_err(&e))).collect(), tracks.iter().map(|_| Err(clone_err(&e))).collect())
    };
    let mut conn = match pool.acquire().await {
        Ok(c) => c,
        Err(e) => return all_failed(map_err(e)),
    };
    if let Err(e) = sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await {
        return all_failed(map_err(e));
    }
    match write_all(&mut conn, posts, tracks).await {
        Ok(answers) => match sqlx::query("COMMIT").execute(&mut *conn).await {
            Ok(_) => return answers,
            Err(e) => {
                let e = map_err(e);
                tracing::error!(error = %e, batch.posts = posts.len(), batch.tracks = tracks.len(), "batch commit failed");
                let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                return all_failed(e);
            }
        },
        Err(e) => {
            tracing::warn!(error = %e, batch.posts = posts.len(), batch.tracks = tracks.len(),
                "batch failed; writing its parts one by one")
        }
    }
    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    let mut posted = Vec::with_capacity(posts.len());
    for (post, _) in posts {
        posted.push(alone(&mut conn, post).await);
    }
    let mut tracked = Vec::with_capacity(tracks.len());
    for (events, _) in tracks {
        tracked.push(track_alone(&mut conn, events).await);
    }
    (posted, tracked)
}

/// The whole batch inside the current transaction: the posts at once, then each call's events
/// in the order they came.
async fn write_all<P, T>(
    conn: &mut SqliteConnection,
    posts: &[(PostMessage, P)],
    tracks: &[(Vec<TrackedEvent>, T)],
) -> StoreResult<Answers> {
    let refs: Vec<&PostMessage> = posts.iter().map(|(p, _)| p).collect();
    let posted = if refs.is_empty() { Vec::new() } else { batch::write(conn, &refs).await? };
    let mut tracked = Vec::with_capacity(tracks.len());
    for (events, _) in tracks {
        tracked.push(Ok(track_in(conn, events).await?));
    }
    Ok((posted, tracked))
}

async fn track_alone(conn: &mut SqliteConnection, events: &[TrackedEvent]) -> StoreResult<Vec<bool>> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.map_err(map_err)?;
    let result = track_in(conn, events).await;
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    sqlx::query(end).execute(&mut *conn).await.map_err(map_err)?;
    result
}

pub(crate) async fn alone(conn: &mut SqliteConnection, post: &PostMessage) -> StoreResult<Posted> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.map_err(map_err)?;
    let result = post_in(conn, post).await.map_err(PostFailure::into_error);
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    sqlx::query(end).execute(&mut *conn).await.map_err(map_err)?;
    result
}

fn clone_err(e: &StoreError) -> StoreError {
    match e {
        StoreError::NotFound => StoreError::NotFound,
        StoreError::Conflict(w) => StoreError::Conflict(w),
        StoreError::DialogClosed => StoreError::DialogClosed,
        StoreError::Stale => StoreError::Stale,
        StoreError::Refused(r) => StoreError::Refused(*r),
        StoreError::Unavailable(s) => StoreError::Unavailable(s.clone()),
        StoreError::Internal(s) => StoreError::Internal(s.clone()),
    }
}

frontline_store::sql_post_one!(SqliteConnection, row = crate::row);
frontline_store::sql_track_in!(SqliteConnection, row = crate::row);
