//! One post, one transaction; on the common path, one statement.
//!
//! PostgreSQL commits concurrent transactions in groups by itself, so each post is its own
//! transaction. Two races are possible between nodes and connections, and both end in a
//! unique violation: the same `client_id` sent twice at once, or a visitor's first two
//! messages each opening a dialog. The loser retries once and then finds the winner's row.
//!
//! A message to a dialog that is open already (nearly every message) is written by one
//! statement of data-modifying `WITH` parts: the probe for a resent `client_id`, the append to
//! the dialog, the message, its event and the event's fan-out to the outbox. A statement is
//! its own transaction, so this is one round trip where the general path takes seven (`BEGIN`,
//! five statements, `COMMIT`): the database's time per message was mostly spent around the
//! statements rather than in them (docs/bench.md). Whatever that statement does not cover (a
//! new dialog, files, a resent message, a closed or unknown dialog, a lost race) it leaves
//! unwritten, and the general path below does it; a visitor's post that may open his dialog
//! goes there with the other openings waiting, several to a transaction (`openings.rs`).
//!
//! The fan-out's part of that statement (five joined parts, one per kind of target) cost the
//! database about a fifth of its time a message only to set up, and on most installs it makes
//! nothing. So the statement comes in two forms: the full one, and a quiet one without the
//! fan-out that writes only when no part of it could make a job (`sql::fan_out_possible`,
//! checked in the same statement, so the answer is as current as the full form's would be).
//! When the quiet form finds a target it writes nothing and says so; the full form follows,
//! and is used directly for a while after ([`FanHint`]).

use crate::openings::Lane;
use frontline_store::events::drafts;
use sqlx::PgConnection;
use sqlx::postgres::PgPool;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

pub(crate) async fn post(pool: &PgPool, lane: &Arc<Lane>, hint: &FanHint, post: PostMessage) -> StoreResult<Posted> {
    if let Some(done) = one_statement(pool, hint, &post).await? {
        return Ok(done);
    }
    match post.target {
        // It may open his dialog: with the other openings waiting (`openings`).
        PostTarget::Visitor { .. } => lane.post(pool, post).await,
        PostTarget::Dialog(_) => general(pool, &post).await,
    }
}

/// The general path: one post in a transaction of its own, tried again after a lost race.
pub(crate) async fn general(pool: &PgPool, post: &PostMessage) -> StoreResult<Posted> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut tx = pool.begin().await.map_err(map_err)?;
        match post_in(&mut tx, post).await.map_err(PostFailure::into_error) {
            Ok(done) => {
                tx.commit().await.map_err(map_err)?;
                return Ok(done);
            }
            Err(StoreError::Conflict(_)) if attempt < 3 => {
                tx.rollback().await.map_err(map_err)?;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Whether the quiet form of the one statement lately found someone its fan-out would serve:
/// for [`FanHint::FOR`] after that, posts take the full form at once rather than try the quiet
/// one first. Only a shortcut: either form writes what it must.
pub(crate) struct FanHint {
    start: Instant,
    /// Milliseconds after `start` when a target was last found; 0 for never.
    seen: AtomicU64,
}

impl Default for FanHint {
    fn default() -> Self {
        Self { start: Instant::now(), seen: AtomicU64::new(0) }
    }
}

impl FanHint {
    const FOR: Duration = Duration::from_secs(10);

    fn now(&self) -> u64 {
        // Never 0, which stands for "never".
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX).max(1)
    }

    fn full(&self) -> bool {
        let seen = self.seen.load(Ordering::Relaxed);
        seen != 0 && self.now().saturating_sub(seen) < Self::FOR.as_millis() as u64
    }

    fn found(&self) {
        self.seen.store(self.now(), Ordering::Relaxed);
    }
}

/// The one-statement post to a dialog of the workspace `$5`; `$1`–`$11` are
/// [`sql::APPEND_SET`]'s, `$12`–`$26` the message's as `bind_insert_message!` binds them (its
/// dialog and `seq`, `$14` and `$15`, are the append's instead), then the visitor (`$27`) and
/// the event (`$28`–`$32`, the last its payload up to the `seq` the append takes). Quiet, it has
/// no fan-out and writes nothing when one could be needed (`fan_needed`).
fn statement(target: &str, quiet: bool) -> String {
    // The quiet form decides first (`gate`) and holds the append back when a job could be
    // needed; the full form returns the event for its fan-out.
    let (gate, hold, fan, needed) = if quiet {
        (
            format!("gate AS (SELECT {} AS needed), ", sql::fan_out_possible("$5", "$29")),
            "AND NOT (SELECT needed FROM gate) ",
            String::new(),
            "(SELECT needed FROM gate)",
        )
    } else {
        (
            String::new(),
            "",
            format!(
                " RETURNING id, workspace_id, kind, dialog_id, subject_id, actor_kind, actor_id, at), fan AS ({}",
                sql::fan_out_of_written()
            ),
            "FALSE",
        )
    };
    format!(
        "WITH dup AS (SELECT id FROM messages WHERE author_id = $18 AND client_id = $16), {gate}\
         upd AS ({set} WHERE workspace_id = $5 AND {target} AND status = 'open' \
         AND NOT EXISTS (SELECT 1 FROM dup) {hold}RETURNING {cols}), \
         msg AS (INSERT INTO messages ({message_cols}) \
         SELECT $12, $13, upd.id, upd.last_seq, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26 FROM upd), \
         ev AS (INSERT INTO events ({event_cols}) \
         SELECT $28, $5, $29, upd.id, $12, $30, $31, $4, $32 || upd.last_seq || '}}' FROM upd{fan}) \
         SELECT (SELECT id FROM dup) AS duplicate_of, {needed} AS fan_needed, upd.* \
         FROM (SELECT 1) AS one LEFT JOIN upd ON TRUE",
        set = sql::APPEND_SET,
        cols = sql::DIALOG_COLS,
        message_cols = sql::MESSAGE_INSERT_COLS,
        event_cols = sql::EVENT_INSERT_COLS,
    )
}

/// Both forms of a statement: `[full, quiet]`.
fn forms(target: &str) -> [String; 2] {
    [statement(target, false), statement(target, true)]
}

/// To the dialog `$1`.
static TO_DIALOG: LazyLock<[String; 2]> = LazyLock::new(|| forms("id = $1"));
/// To the visitor `$27`'s open dialog (the partial unique index finds it).
static TO_VISITORS_OPEN: LazyLock<[String; 2]> = LazyLock::new(|| forms("visitor_id = $27"));
/// To the dialog `$1` when it is still the visitor `$27`'s open one, in the channel `$33` (a post
/// made for it without reading: `PostTarget::Visitor::expected`). Otherwise nothing is written,
/// and the general path answers `Stale`.
static TO_EXPECTED: LazyLock<[String; 2]> =
    LazyLock::new(|| forms("id = $1 AND visitor_id = $27 AND channel_id = $33"));

/// Writes the post in one statement when it is a plain message to an open dialog; `None` when
/// nothing was written and the general path must do it.
async fn one_statement(pool: &PgPool, hint: &FanHint, post: &PostMessage) -> StoreResult<Option<Posted>> {
    let m = &post.message;
    let ws = post.workspace_id;
    if post.opening.is_some() || !m.attachments.is_empty() {
        return Ok(None);
    }
    let (forms, dialog, visitor, channel) = match &post.target {
        PostTarget::Dialog(id) => (&*TO_DIALOG, Some(id.0), None, None),
        PostTarget::Visitor { visitor, expected: Some((d, c)), .. } => {
            (&*TO_EXPECTED, Some(d.0), Some(visitor.0), Some(c.0))
        }
        PostTarget::Visitor { visitor, expected: None, .. } => (&*TO_VISITORS_OPEN, None, Some(visitor.0), None),
    };
    // The event as the general path writes it (`drafts::posted` for a dialog that exists):
    // its payload ends with the `seq`, which only the append knows.
    let draft = records::stored_message(m, ws, DialogId(uuid::Uuid::nil()), 0, post.author_name.clone());
    let event = drafts::message(&draft, drafts::author(&draft));
    let payload = event.payload_text();
    let Some(head) = payload.strip_suffix("\"seq\":0}").map(|h| format!("{h}\"seq\":")) else {
        return Ok(None);
    };
    let mut quiet = !hint.full();
    let row = loop {
        let text = &forms[usize::from(quiet)];
        let q = frontline_store::bind_insert_message!(
            frontline_store::bind_append!(
                sqlx::query(sqlx::AssertSqlSafe(text.as_str())),
                DialogId(dialog.unwrap_or_else(uuid::Uuid::nil)),
                records::effect_kind(m),
                m,
                ws,
                &post.timers,
            ),
            m,
            ws,
            uuid::Uuid::nil(),
            0_i64,
            post.author_name.as_deref()
        )
        .bind(visitor)
        .bind(event.id)
        .bind(event.kind.as_str())
        .bind(event.actor.kind.as_str())
        .bind(event.actor.id)
        .bind(head.as_str());
        let q = match channel {
            Some(c) => q.bind(c),
            None => q,
        };
        let row = match q.fetch_one(pool).await.map_err(map_err) {
            Ok(row) => row,
            // A race lost to the same message sent twice at once: the general path finds it.
            Err(StoreError::Conflict(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let needed: bool = sqlx::Row::try_get(&row, "fan_needed").map_err(map_err)?;
        if quiet && needed {
            // Someone may want this event: nothing was written; the full form writes it.
            hint.found();
            quiet = false;
            continue;
        }
        break row;
    };
    let written: Option<uuid::Uuid> = sqlx::Row::try_get(&row, "id").map_err(map_err)?;
    if written.is_none() {
        return Ok(None);
    }
    let dialog = records::dialog(&R(&row))?;
    let message = records::stored_message(m, ws, dialog.id, dialog.last_seq, post.author_name.clone());
    Ok(Some(Posted { message, dialog, dialog_created: false, duplicate: false, prelude: None }))
}

frontline_store::sql_post_one!(PgConnection, row = crate::row);
frontline_store::sql_track_in!(PgConnection, row = crate::row);

#[cfg(test)]
mod tests {
    /// The fan-out reads the event the statement wrote, in every part.
    #[test]
    fn the_fan_out_of_a_written_event_reads_it_from_the_statement() {
        let fan = frontline_store::sql::fan_out_of_written();
        assert!(!fan.contains("events ev"), "{fan}");
        assert_eq!(fan.matches("FROM ev ").count(), 5, "{fan}");
    }

    /// Messages to an open dialog take the one statement and write what the general path
    /// writes; what it does not cover it leaves unwritten.
    #[tokio::test]
    async fn a_message_to_an_open_dialog_is_one_statement_and_the_rest_is_left_to_the_general_path() {
        use frontline_domain::CloseReason;
        use frontline_store::contract::{Fixture, test_database_url};
        use frontline_store::{PostMessage, Store};
        use std::sync::Arc;
        let Some(url) = test_database_url() else { return };
        let pg = Arc::new(crate::PgStore::temporary(&url).await.expect("connect"));
        let store: Arc<dyn Store> = pg.clone();
        let f = Fixture::new(store.clone()).await;
        let ws = f.workspace.id;
        let one = |p: PostMessage| {
            let pg = pg.clone();
            async move { super::one_statement(&pg.pool, &pg.fan, &p).await.expect("one statement") }
        };
        // His first message opens his dialog: the general path's.
        assert!(one(f.visitor_post("a", "Первое")).await.is_none());
        let general = store.post_message(f.visitor_post("a", "Первое")).await.expect("first");
        let d = general.dialog.id;
        let second = one(f.visitor_post("b", "Второе")).await.expect("written");
        assert_eq!((second.message.seq, second.dialog.id, second.dialog.unread_count), (2, d, 2));
        assert_eq!(second.dialog.last_message.as_ref().map(|l| l.preview.as_str()), Some("Второе"));
        let reply = one(f.operator_post(d, "r", "Ответ")).await.expect("written");
        assert_eq!((reply.message.seq, reply.dialog.unread_count, reply.dialog.operator_read_seq), (3, 0, 3));
        let stored = store.messages(ws, d, 0, 10, false).await.expect("messages");
        assert_eq!(stored.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(), ["Первое", "Второе", "Ответ"]);
        assert_eq!(stored[1], second.message);
        // Its event is the general path's, the seq included.
        let events = store.dialog_events(ws, d).await.expect("events");
        let payloads: Vec<serde_json::Value> =
            events.iter().filter(|e| e.kind == "message.created").map(|e| e.payload.parse().expect("json")).collect();
        assert_eq!(payloads.iter().map(|p| p["seq"].as_i64()).collect::<Vec<_>>(), [Some(1), Some(2), Some(3)]);
        assert_eq!(payloads[0].as_object().map(|o| o.len()), payloads[1].as_object().map(|o| o.len()));
        let second_event = events.iter().find(|e| e.subject_id == Some(second.message.id.0)).expect("event");
        assert_eq!((second_event.dialog_id, second_event.actor_id), (Some(d), Some(f.visitor.id.0)));
        // A resend is left to the general path, which answers with the first.
        assert!(one(f.visitor_post("b", "Второе")).await.is_none());
        let again = store.post_message(f.visitor_post("b", "Второе")).await.expect("again");
        assert!(again.duplicate);
        assert_eq!(again.message.id, second.message.id);
        // A closed dialog is left to it too, and nothing was written.
        store
            .close_with_reason(
                ws,
                d,
                CloseReason::Operator,
                frontline_store::contract::now(),
                frontline_domain::Actor::SYSTEM,
            )
            .await
            .expect("close");
        assert!(one(f.operator_post(d, "late", "Поздно")).await.is_none());
        assert_eq!(store.messages(ws, d, 0, 10, false).await.expect("messages").len(), 3);
        store.close().await;
    }

    /// With someone subscribed, the quiet form writes nothing and the full form writes the
    /// message once with its job; later posts take the full form at once. Without anyone, the
    /// quiet form writes the message alone.
    #[tokio::test]
    async fn the_quiet_form_gives_way_to_the_full_one_when_a_job_could_be_made() {
        use frontline_domain::EventKind;
        use frontline_store::Store;
        use frontline_store::contract::{Fixture, endpoint, jobs_of, test_database_url};
        use std::sync::Arc;
        let Some(url) = test_database_url() else { return };
        let pg = Arc::new(crate::PgStore::temporary(&url).await.expect("connect"));
        let store: Arc<dyn Store> = pg.clone();
        let f = Fixture::new(store.clone()).await;
        let ws = f.workspace.id;
        let d = store.post_message(f.visitor_post("a", "Первое")).await.expect("first").dialog.id;
        let quiet = super::one_statement(&pg.pool, &pg.fan, &f.operator_post(d, "b", "Без подписчиков"))
            .await
            .expect("quiet")
            .expect("written");
        assert_eq!(quiet.message.seq, 2);
        assert!(!pg.fan.full(), "nobody to serve: the quiet form wrote it");

        let hook = endpoint(ws, &[EventKind::MessageCreated]);
        store.create_webhook(&hook, 10).await.expect("create");
        let served = super::one_statement(&pg.pool, &pg.fan, &f.operator_post(d, "c", "С подписчиком"))
            .await
            .expect("full")
            .expect("written");
        assert_eq!(served.message.seq, 3, "written once, by the full form");
        assert!(pg.fan.full(), "the full form is taken at once for a while");
        super::one_statement(&pg.pool, &pg.fan, &f.operator_post(d, "e", "Ещё")).await.expect("next").expect("written");
        let jobs = jobs_of(&store, ws, hook.id).await;
        assert_eq!(jobs.len(), 2, "one job for each message after the subscription");
        let stored = store.messages(ws, d, 0, 10, false).await.expect("messages");
        assert_eq!(stored.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2, 3, 4]);
        store.close().await;
    }
}
