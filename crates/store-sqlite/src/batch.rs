//! A batch of posts written with a fixed number of statements, whatever its size.
//!
//! Each SQLite statement costs a round trip to the connection's worker thread, which is what
//! limited throughput when every post took three or four statements. Here the batch reads
//! what it needs at once (earlier sends with the same client ids; the dialogs involved),
//! applies the posts in order in memory with exactly the rules of the one-post path
//! (`post::post_in`), and writes the result at once: new dialogs, dialog updates and
//! messages, one multi-row statement each. Only a new dialog's number takes a statement of
//! its own. Any database error sends the caller back to the one-post path.

use crate::row::{R, map_err};
use frontline_domain::{Dialog, DialogId, DialogOrigin, DialogStatus, Message, SlaState, VisitorId};
use frontline_store::events::{NewEvent, drafts};
use frontline_store::records;
use frontline_store::{PostMessage, PostTarget, Posted, StoreError, StoreResult, sql};
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, AssertSqlSafe, Row, SqliteConnection};
use std::collections::HashMap;
use uuid::Uuid;

/// SQLite's default limit of bound parameters is 32,766; the widest statement here binds 15
/// per post, so batches stay well under it.
pub const MAX_POSTS: usize = 1024;

struct DialogState {
    dialog: Dialog,
    operator_read_seq: i64,
    created: bool,
    touched: bool,
    /// Its SLA or auto-close timers changed: written by a statement of their own, so the far
    /// more common message that changes none leaves the timer indexes alone.
    timers: bool,
}

/// `(?, ?, …), (?, …)`: anonymous parameters, bound in order. Numbered ones (`$N`) cost SQLite
/// a walk of the statement's names for each one it parses and sqlx one for each it binds, so a
/// batch of hundreds of rows spent a fifth of the server's time in `strncmp` and
/// `sqlite3_bind_parameter_name` (`docs/bench.md`).
fn placeholders(rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * (cols * 3 + 4));
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('?');
        }
        out.push(')');
    }
    out
}

fn bind<'q, T>(args: &mut SqliteArguments, v: T) -> StoreResult<()>
where
    T: sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + 'q,
{
    args.add(v).map_err(|e| StoreError::Internal(format!("bind: {e}")))
}

/// Writes the posts inside the current transaction. `Ok` holds one answer per post (a
/// refusal is an answer); `Err` means the database failed and the transaction must be
/// rolled back.
pub async fn write(conn: &mut SqliteConnection, posts: &[&PostMessage]) -> StoreResult<Vec<StoreResult<Posted>>> {
    // 1. Sends seen before: one probe for every (author, client_id) of the batch.
    let mut earlier: HashMap<(Uuid, String), Uuid> = HashMap::new();
    {
        let sql = format!(
            "SELECT author_id, client_id, id FROM messages WHERE (author_id, client_id) IN (VALUES {})",
            placeholders(posts.len(), 2)
        );
        let mut args = SqliteArguments::default();
        for p in posts {
            bind(&mut args, p.message.author_id)?;
            bind(&mut args, p.message.client_id.as_str().to_owned())?;
        }
        let rows = sqlx::query_with(AssertSqlSafe(sql), args).fetch_all(&mut *conn).await.map_err(map_err)?;
        for row in rows {
            let author: Uuid = row.try_get("author_id").map_err(map_err)?;
            let client: String = row.try_get("client_id").map_err(map_err)?;
            earlier.insert((author, client), row.try_get("id").map_err(map_err)?);
        }
    }

    // 2. The dialogs involved: those named, and the open dialogs of the visitors who write.
    let mut dialogs: HashMap<DialogId, DialogState> = HashMap::new();
    let mut open_of: HashMap<VisitorId, DialogId> = HashMap::new();
    {
        let named: Vec<Uuid> =
            posts.iter().filter_map(|p| if let PostTarget::Dialog(d) = p.target { Some(d.0) } else { None }).collect();
        let visitors: Vec<Uuid> = posts
            .iter()
            .filter_map(|p| if let PostTarget::Visitor { visitor, .. } = p.target { Some(visitor.0) } else { None })
            .collect();
        let list = |n: usize| vec!["?"; n].join(", ");
        let sql = format!(
            "SELECT {}, operator_read_seq FROM dialogs WHERE id IN ({}) OR (status = 'open' AND visitor_id IN ({}))",
            sql::DIALOG_COLS,
            if named.is_empty() { "NULL".into() } else { list(named.len()) },
            if visitors.is_empty() { "NULL".into() } else { list(visitors.len()) },
        );
        let mut args = SqliteArguments::default();
        for id in named.iter().chain(visitors.iter()) {
            bind(&mut args, *id)?;
        }
        let rows = sqlx::query_with(AssertSqlSafe(sql), args).fetch_all(&mut *conn).await.map_err(map_err)?;
        for row in rows {
            let dialog = records::dialog(&R(&row))?;
            let operator_read_seq: i64 = row.try_get("operator_read_seq").map_err(map_err)?;
            if dialog.status == DialogStatus::Open {
                open_of.insert(dialog.visitor_id, dialog.id);
            }
            dialogs.insert(
                dialog.id,
                DialogState { dialog, operator_read_seq, created: false, touched: false, timers: false },
            );
        }
    }

    // 3. Apply in order, in memory.
    let mut answers: Vec<Option<StoreResult<Posted>>> = Vec::with_capacity(posts.len());
    let mut duplicates: Vec<(usize, Uuid)> = Vec::new();
    let mut new_messages: Vec<Message> = Vec::new();
    let mut in_batch: HashMap<(Uuid, String), usize> = HashMap::new();
    for (i, post) in posts.iter().enumerate() {
        let m = &post.message;
        let key = (m.author_id, m.client_id.as_str().to_owned());
        if let Some(id) = earlier.get(&key) {
            duplicates.push((i, *id));
            answers.push(None);
            continue;
        }
        if let Some(&first) = in_batch.get(&key) {
            // The same send twice in one batch: the second is the retry of the first.
            duplicates.push((i, new_messages[first].id.0));
            answers.push(None);
            continue;
        }
        let ws = post.workspace_id;
        let dialog_id = match &post.target {
            PostTarget::Dialog(id) => *id,
            PostTarget::Visitor { visitor, channel, new_dialog_id, routed_by, previous, expected } => {
                if let Some(expected) = expected {
                    // His open dialog as it stands (an earlier post of this batch may have
                    // opened it), against the one this post was made for.
                    let open = open_of.get(visitor).and_then(|id| dialogs.get(id));
                    if open.map(|s| (s.dialog.id, s.dialog.channel_id)) != Some(*expected) {
                        answers.push(Some(Err(StoreError::Stale)));
                        continue;
                    }
                }
                match open_of.get(visitor) {
                    Some(id) => *id,
                    None => {
                        let number: i64 = sqlx::query_scalar(sql::NEXT_DIALOG_NUMBER)
                            .bind(ws.0)
                            .fetch_one(&mut *conn)
                            .await
                            .map_err(map_err)?;
                        let dialog = Dialog {
                            id: *new_dialog_id,
                            workspace_id: ws,
                            number,
                            channel_id: *channel,
                            visitor_id: *visitor,
                            status: DialogStatus::Open,
                            last_seq: 0,
                            unread_count: 0,
                            last_message: None,
                            created_at: m.created_at,
                            updated_at: m.created_at,
                            closed_at: None,
                            assignee: None,
                            routed_by: routed_by.clone(),
                            pending_count: 0,
                            waiting_since: None,
                            queued_at: Some(m.created_at),
                            wait_alerted_at: None,
                            tags: Vec::new(),
                            category: None,
                            snoozed_until: None,
                            close_reason: None,
                            previous_dialog: *previous,
                            visitor_read_seq: 0,
                            operator_read_seq: 0,
                            rating: None,
                            origin: DialogOrigin::Visitor,
                            trigger: None,
                            sla: SlaState { resolve_due: post.timers.resolution_due, ..SlaState::default() },
                            auto_close: None,
                            tone: 0,
                            fields: Default::default(),
                        };
                        open_of.insert(*visitor, dialog.id);
                        dialogs.insert(
                            dialog.id,
                            DialogState { dialog, operator_read_seq: 0, created: true, touched: true, timers: true },
                        );
                        *new_dialog_id
                    }
                }
            }
        };
        let Some(state) = dialogs.get_mut(&dialog_id).filter(|s| s.dialog.workspace_id == ws) else {
            answers.push(Some(Err(StoreError::NotFound)));
            continue;
        };
        if state.dialog.status != DialogStatus::Open {
            answers.push(Some(Err(StoreError::DialogClosed)));
            continue;
        }
        let d = &mut state.dialog;
        let before = (d.sla, d.auto_close.clone());
        d.take_message(
            records::effect_kind(m),
            m.created_at,
            || records::preview_of(m),
            || records::tone_of(m),
            &post.timers,
        );
        state.operator_read_seq = d.operator_read_seq;
        if (d.sla, &d.auto_close) != (before.0, &before.1) {
            state.timers = true;
        }
        state.touched = true;
        let message = records::stored_message(m, ws, dialog_id, d.last_seq, post.author_name.clone());
        in_batch.insert(key, new_messages.len());
        answers.push(Some(Ok(Posted {
            message: message.clone(),
            dialog: d.clone(),
            dialog_created: state.created && d.last_seq == 1,
            duplicate: false,
            prelude: None,
        })));
        new_messages.push(message);
    }

    // 4. Write: new dialogs, then the state of every dialog touched, then the messages.
    let created: Vec<&DialogState> = dialogs.values().filter(|s| s.created).collect();
    if !created.is_empty() {
        let sql = format!(
            "INSERT INTO dialogs (id, workspace_id, number, channel_id, visitor_id, status, last_seq, unread_count, \
             operator_read_seq, created_at, updated_at, queued_at, routed_by, previous_dialog_id, sla_resolve_due_at) \
             VALUES {}",
            placeholders(created.len(), 15)
        );
        let mut args = SqliteArguments::default();
        for s in &created {
            let d = &s.dialog;
            bind(&mut args, d.id.0)?;
            bind(&mut args, d.workspace_id.0)?;
            bind(&mut args, d.number)?;
            bind(&mut args, d.channel_id.0)?;
            bind(&mut args, d.visitor_id.0)?;
            bind(&mut args, "open")?;
            bind(&mut args, 0_i64)?;
            bind(&mut args, 0_i64)?;
            bind(&mut args, 0_i64)?;
            bind(&mut args, d.created_at.0)?;
            bind(&mut args, d.created_at.0)?;
            bind(&mut args, d.created_at.0)?;
            bind(&mut args, d.routed_by.clone())?;
            bind(&mut args, d.previous_dialog.map(|p| p.0))?;
            bind(&mut args, d.sla.resolve_due.map(|t| t.0))?;
        }
        sqlx::query_with(AssertSqlSafe(sql), args).execute(&mut *conn).await.map_err(map_err)?;
    }
    let touched: Vec<&DialogState> = dialogs.values().filter(|s| s.touched && s.dialog.last_seq > 0).collect();
    if !touched.is_empty() {
        let sql = format!(
            "UPDATE dialogs SET last_seq = v.column2, unread_count = v.column3, operator_read_seq = v.column4, \
             last_author_kind = v.column5, last_preview = v.column6, last_message_at = v.column7, updated_at = v.column8, \
             pending_count = v.column9, waiting_since = v.column10, snoozed_until = v.column11, tone = v.column12 \
             FROM (VALUES {}) AS v WHERE dialogs.id = v.column1",
            placeholders(touched.len(), 12)
        );
        let mut args = SqliteArguments::default();
        for s in &touched {
            let d = &s.dialog;
            let last = d.last_message.as_ref();
            bind(&mut args, d.id.0)?;
            bind(&mut args, d.last_seq)?;
            bind(&mut args, d.unread_count)?;
            bind(&mut args, s.operator_read_seq)?;
            bind(&mut args, last.map(|l| l.author_kind.as_str()))?;
            bind(&mut args, last.map(|l| l.preview.clone()))?;
            bind(&mut args, last.map(|l| l.created_at.0))?;
            bind(&mut args, d.updated_at.0)?;
            bind(&mut args, d.pending_count)?;
            bind(&mut args, d.waiting_since.map(|t| t.0))?;
            bind(&mut args, d.snoozed_until.map(|t| t.0))?;
            bind(&mut args, i64::from(d.tone))?;
        }
        sqlx::query_with(AssertSqlSafe(sql), args).execute(&mut *conn).await.map_err(map_err)?;
    }
    let timed: Vec<&DialogState> = touched.iter().copied().filter(|s| s.timers).collect();
    if !timed.is_empty() {
        let sql = format!(
            "UPDATE dialogs SET first_reply_at = v.column2, sla_reply_due_at = v.column3, sla_reply_breached = v.column4, \
             auto_close_at = v.column5, auto_close_action = v.column6, auto_close_hold = v.column7 \
             FROM (VALUES {}) AS v WHERE dialogs.id = v.column1",
            placeholders(timed.len(), 7)
        );
        let mut args = SqliteArguments::default();
        for s in &timed {
            let d = &s.dialog;
            let ac = d.auto_close.as_ref();
            bind(&mut args, d.id.0)?;
            bind(&mut args, d.sla.first_reply_at.map(|t| t.0))?;
            bind(&mut args, d.sla.reply_due.map(|t| t.0))?;
            bind(&mut args, d.sla.reply_breached)?;
            bind(&mut args, ac.map(|a| a.at.0))?;
            bind(&mut args, ac.map(|a| a.action.as_str()))?;
            bind(&mut args, ac.and_then(|a| a.hold_phrase.clone()))?;
        }
        sqlx::query_with(AssertSqlSafe(sql), args).execute(&mut *conn).await.map_err(map_err)?;
    }
    if !new_messages.is_empty() {
        let sql = format!(
            "INSERT INTO messages (id, workspace_id, dialog_id, seq, client_id, author_kind, author_id, author_name, body, \
             created_at, audience, event, attachments, mentions, automatic) VALUES {}",
            placeholders(new_messages.len(), 15)
        );
        let mut args = SqliteArguments::default();
        for m in &new_messages {
            bind(&mut args, m.id.0)?;
            bind(&mut args, m.workspace_id.0)?;
            bind(&mut args, m.dialog_id.0)?;
            bind(&mut args, m.seq)?;
            bind(&mut args, m.client_id.as_str().to_owned())?;
            bind(&mut args, m.author.kind.as_str())?;
            bind(&mut args, m.author.id)?;
            bind(&mut args, m.author.name.clone())?;
            bind(&mut args, m.body.as_str().to_owned())?;
            bind(&mut args, m.created_at.0)?;
            bind(&mut args, m.audience.as_str())?;
            bind(&mut args, records::event_json(m.event.as_ref()))?;
            bind(&mut args, records::json_list(&m.attachments))?;
            bind(&mut args, records::json_list(&m.mentions))?;
            bind(&mut args, m.automatic.map(|a| a.as_str()))?;
        }
        sqlx::query_with(AssertSqlSafe(sql), args).execute(&mut *conn).await.map_err(map_err)?;
        for m in &new_messages {
            for a in &m.attachments {
                sqlx::query(sql::CLAIM_ATTACHMENT)
                    .bind(m.id.0)
                    .bind(m.dialog_id.0)
                    .bind(m.workspace_id.0)
                    .bind(a.id.0)
                    .execute(&mut *conn)
                    .await
                    .map_err(map_err)?;
            }
        }
    }

    // 5. Their events, and the outbox jobs of the webhooks that want them: one statement each.
    let events: Vec<NewEvent> = answers
        .iter()
        .filter_map(|a| match a {
            Some(Ok(p)) => Some(drafts::posted(&p.message, &p.dialog, p.dialog_created, None)),
            _ => None,
        })
        .flatten()
        .collect();
    write_events(conn, &events).await?;

    // 6. Retried sends are answered with what is stored (rare: one read each).
    for (i, id) in duplicates {
        let row = sqlx::query(sql::SELECT_MESSAGE).bind(id).fetch_one(&mut *conn).await.map_err(map_err)?;
        let message = records::message(&R(&row))?;
        let row = sqlx::query(sql::SELECT_DIALOG)
            .bind(posts[i].workspace_id.0)
            .bind(message.dialog_id.0)
            .fetch_one(&mut *conn)
            .await
            .map_err(map_err)?;
        let dialog = records::dialog(&R(&row))?;
        answers[i] = Some(Ok(Posted { message, dialog, dialog_created: false, duplicate: true, prelude: None }));
    }
    Ok(answers
        .into_iter()
        .map(|a| a.unwrap_or_else(|| Err(StoreError::Internal("post left unanswered".into()))))
        .collect())
}

/// Writes a batch's events with one multi-row insert, and their webhook jobs with one fan-out
/// (the statements of `write_events!`, for many events at once).
async fn write_events(conn: &mut SqliteConnection, events: &[NewEvent]) -> StoreResult<()> {
    // 9 parameters per event; a batch's events stay under SQLite's limit in chunks of 1,000.
    for chunk in events.chunks(1000) {
        let sql = format!(
            "INSERT INTO events (id, workspace_id, kind, dialog_id, subject_id, actor_kind, actor_id, at, payload) \
             VALUES {}",
            placeholders(chunk.len(), 9)
        );
        let mut args = SqliteArguments::default();
        for e in chunk {
            bind(&mut args, e.id)?;
            bind(&mut args, e.workspace_id.0)?;
            bind(&mut args, e.kind.as_str())?;
            bind(&mut args, e.dialog_id.map(|d| d.0))?;
            bind(&mut args, e.subject_id)?;
            bind(&mut args, e.actor.kind.as_str())?;
            bind(&mut args, e.actor.id)?;
            bind(&mut args, e.at.0)?;
            bind(&mut args, e.payload_text())?;
        }
        sqlx::query_with(AssertSqlSafe(sql), args).execute(&mut *conn).await.map_err(map_err)?;
        let fan_out = sql::fan_out(&format!("ev.id IN ({})", vec!["?"; chunk.len()].join(", ")));
        // The filter is repeated once per target kind: its ids are bound once per copy.
        let mut args = SqliteArguments::default();
        for _ in 0..fan_out.matches('?').count() / chunk.len() {
            for e in chunk {
                bind(&mut args, e.id)?;
            }
        }
        sqlx::query_with(AssertSqlSafe(fan_out), args).execute(&mut *conn).await.map_err(map_err)?;
    }
    Ok(())
}
