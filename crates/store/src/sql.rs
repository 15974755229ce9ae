//! Query texts valid in both SQLite and PostgreSQL (`$N` placeholders, `RETURNING`,
//! `ON CONFLICT`), so the two backends differ only in connections, migrations and batching.
//! Column lists are constants so that every reader of a table decodes the same shape.

pub const WORKSPACE_COLS: &str = "id, slug, name, created_at";
pub const OPERATOR_COLS: &str =
    "id, workspace_id, email, display_name, role, password_hash, created_at, capacity, presence, deactivated_at";
pub const CHANNEL_COLS: &str = "id, workspace_id, name, is_default, mode, greeting, wait_alert_seconds, offline_policy, \
     require_category, reopen_window_minutes";
pub const SITE_COLS: &str = "id, workspace_id, name, key, allowed_origins, channel_id";
pub const VISITOR_COLS: &str = "id, workspace_id, site_id, number, name, created_at, page_url, language, properties, email, phone, last_seen_at, \
     source, external_id, attributes";
pub const DIALOG_COLS: &str = "id, workspace_id, number, channel_id, visitor_id, status, last_seq, unread_count, \
     last_author_kind, last_preview, last_message_at, created_at, updated_at, closed_at, assignee_id, assigned_at, \
     routed_by, pending_count, waiting_since, queued_at, wait_alerted_at, tags, category_id, snoozed_until, \
     close_reason, previous_dialog_id, visitor_read_seq, rating, rating_comment, rated_at, operator_read_seq, \
     origin, trigger_id, trigger_name, first_reply_at, sla_reply_due_at, sla_reply_breached, sla_resolve_due_at, \
     sla_resolve_breached, auto_close_at, auto_close_action, auto_close_hold, tone, fields";
pub const MESSAGE_COLS: &str = "id, workspace_id, dialog_id, seq, client_id, author_kind, author_id, author_name, body, \
     created_at, audience, event, attachments, mentions, automatic, edited_at";

macro_rules! q {
    ($(#[$doc:meta])* $name:ident, $($part:expr),+ $(,)?) => {
        $(#[$doc])*
        pub const $name: &str = const_format_concat!($($part),+);
    };
}

/// `concat!` only takes literals; this joins `&'static str` constants at compile time.
macro_rules! const_format_concat {
    ($($s:expr),+) => {{
        const PARTS: &[&str] = &[$($s),+];
        const LEN: usize = {
            let mut n = 0;
            let mut i = 0;
            while i < PARTS.len() {
                n += PARTS[i].len();
                i += 1;
            }
            n
        };
        const BYTES: [u8; LEN] = {
            let mut out = [0u8; LEN];
            let mut o = 0;
            let mut i = 0;
            while i < PARTS.len() {
                let b = PARTS[i].as_bytes();
                let mut j = 0;
                while j < b.len() {
                    out[o] = b[j];
                    o += 1;
                    j += 1;
                }
                i += 1;
            }
            out
        };
        match std::str::from_utf8(&BYTES) {
            Ok(s) => s,
            Err(_) => panic!("query text is not UTF-8"),
        }
    }};
}

// Accounts.
pub const INSERT_WORKSPACE: &str = "INSERT INTO workspaces (id, slug, name, created_at) VALUES ($1, $2, $3, $4)";
q!(SELECT_WORKSPACE, "SELECT ", WORKSPACE_COLS, " FROM workspaces WHERE id = $1");
q!(SELECT_WORKSPACE_BY_SLUG, "SELECT ", WORKSPACE_COLS, " FROM workspaces WHERE slug = $1");
q!(SELECT_WORKSPACES, "SELECT ", WORKSPACE_COLS, " FROM workspaces ORDER BY created_at, id");
pub const INSERT_OPERATOR: &str = "INSERT INTO operators (id, workspace_id, email, display_name, role, password_hash, created_at, \
     capacity, presence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
q!(SELECT_OPERATOR, "SELECT ", OPERATOR_COLS, " FROM operators WHERE workspace_id = $1 AND id = $2");
q!(SELECT_OPERATORS_BY_EMAIL, "SELECT ", OPERATOR_COLS, " FROM operators WHERE email = $1 ORDER BY created_at");
q!(SELECT_OPERATORS, "SELECT ", OPERATOR_COLS, " FROM operators WHERE workspace_id = $1 ORDER BY display_name, id");
pub const INSERT_SESSION: &str = "INSERT INTO sessions (token_hash, workspace_id, operator_id, created_at, expires_at, \
     last_seen_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $4, $6, $7)";
/// A live session's operator: not expired at `$2`, used after `$3` (the idle limit), the
/// operator not deactivated, his workspace not suspended.
pub const SELECT_SESSION_OPERATOR: &str = "SELECT o.id, o.workspace_id, o.email, o.display_name, o.role, o.password_hash, \
     o.created_at, o.capacity, o.presence, o.deactivated_at \
     FROM sessions s JOIN operators o ON o.id = s.operator_id JOIN workspaces w ON w.id = o.workspace_id \
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND o.deactivated_at IS NULL \
     AND w.suspended_at IS NULL";
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";
pub const TOUCH_SESSION: &str = "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2";
pub const SELECT_OPERATOR_SESSIONS: &str = "SELECT token_hash, created_at, last_seen_at, expires_at, ip, user_agent \
     FROM sessions WHERE workspace_id = $1 AND operator_id = $2 AND expires_at > $3 AND last_seen_at > $4 \
     ORDER BY last_seen_at DESC LIMIT 200";
pub const DELETE_OPERATOR_SESSIONS: &str = "DELETE FROM sessions WHERE workspace_id = $1 AND operator_id = $2";
pub const DELETE_SESSION_OF: &str =
    "DELETE FROM sessions WHERE workspace_id = $1 AND operator_id = $2 AND token_hash = $3";
pub const PURGE_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2";
q!(SET_OPERATOR_ROLE, "UPDATE operators SET role = $3 WHERE workspace_id = $1 AND id = $2 RETURNING ", OPERATOR_COLS);
q!(
    SET_OPERATOR_NAME,
    "UPDATE operators SET display_name = $3 WHERE workspace_id = $1 AND id = $2 RETURNING ",
    OPERATOR_COLS
);
q!(
    SET_OPERATOR_PASSWORD,
    "UPDATE operators SET password_hash = $3 WHERE workspace_id = $1 AND id = $2 RETURNING ",
    OPERATOR_COLS
);
q!(
    DEACTIVATE_OPERATOR,
    "UPDATE operators SET deactivated_at = $3, presence = 'offline' \
     WHERE workspace_id = $1 AND id = $2 RETURNING ",
    OPERATOR_COLS
);
q!(
    REACTIVATE_OPERATOR,
    "UPDATE operators SET deactivated_at = NULL WHERE workspace_id = $1 AND id = $2 RETURNING ",
    OPERATOR_COLS
);
pub const AUDIT_COLS: &str = "id, workspace_id, at, actor_id, actor_name, action, target_id, target_name, ip, details";
q!(INSERT_AUDIT, "INSERT INTO audit_log (", AUDIT_COLS, ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
// A workspace's audit log, newest first, before the cursor `($2, $3)` (at, id).
q!(
    SELECT_AUDIT,
    "SELECT ",
    AUDIT_COLS,
    " FROM audit_log WHERE workspace_id = $1 AND (at < $2 OR (at = $2 AND id < $3)) \
     ORDER BY at DESC, id DESC LIMIT $4"
);

// Channels and sites.
pub const INSERT_CHANNEL: &str = "INSERT INTO channels (id, workspace_id, name, is_default, created_at, mode, greeting, \
     wait_alert_seconds, offline_policy) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
q!(SELECT_CHANNELS, "SELECT ", CHANNEL_COLS, " FROM channels WHERE workspace_id = $1 ORDER BY is_default DESC, name");
q!(SELECT_DEFAULT_CHANNEL, "SELECT ", CHANNEL_COLS, " FROM channels WHERE workspace_id = $1 AND is_default");
q!(SELECT_CHANNEL, "SELECT ", CHANNEL_COLS, " FROM channels WHERE workspace_id = $1 AND id = $2");
q!(RENAME_CHANNEL, "UPDATE channels SET name = $3 WHERE workspace_id = $1 AND id = $2 RETURNING ", CHANNEL_COLS);
pub const SELECT_OPERATOR_CHANNELS: &str = "SELECT m.channel_id FROM channel_members m JOIN channels c ON c.id = m.channel_id \
     WHERE c.workspace_id = $1 AND m.operator_id = $2 ORDER BY m.channel_id";
pub const DELETE_CHANNEL_MEMBERS: &str = "DELETE FROM channel_members WHERE channel_id = $1";
pub const INSERT_CHANNEL_MEMBER: &str = "INSERT INTO channel_members (channel_id, operator_id) \
     SELECT c.id, o.id FROM channels c, operators o \
     WHERE c.id = $1 AND o.id = $2 AND c.workspace_id = $3 AND o.workspace_id = $3 \
     ON CONFLICT DO NOTHING";
pub const SELECT_CHANNEL_MEMBERS: &str = "SELECT m.operator_id FROM channel_members m JOIN channels c ON c.id = m.channel_id \
     WHERE c.workspace_id = $1 AND m.channel_id = $2 ORDER BY m.operator_id";
pub const INSERT_SITE: &str = "INSERT INTO sites (id, workspace_id, name, key, allowed_origins, channel_id, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
q!(SELECT_SITE_BY_KEY, "SELECT ", SITE_COLS, " FROM sites WHERE key = $1");
q!(SELECT_SITES, "SELECT ", SITE_COLS, " FROM sites WHERE workspace_id = $1 ORDER BY name, id");

// Visitors.
pub const NEXT_VISITOR_NUMBER: &str =
    "UPDATE workspaces SET next_visitor_number = next_visitor_number + 1 WHERE id = $1 RETURNING next_visitor_number";
q!(
    INSERT_VISITOR,
    "INSERT INTO visitors (id, workspace_id, site_id, number, token_hash, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
    VISITOR_COLS
);
q!(SELECT_VISITOR, "SELECT ", VISITOR_COLS, " FROM visitors WHERE workspace_id = $1 AND id = $2");
q!(
    INSERT_CONTACT,
    "INSERT INTO visitors (id, workspace_id, number, name, email, source, external_id, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     ON CONFLICT (workspace_id, source, external_id) WHERE external_id IS NOT NULL DO NOTHING RETURNING ",
    VISITOR_COLS
);
q!(
    SELECT_CONTACT,
    "SELECT ",
    VISITOR_COLS,
    " FROM visitors WHERE workspace_id = $1 AND source = $2 AND external_id = $3"
);
q!(SELECT_VISITOR_BY_TOKEN, "SELECT ", VISITOR_COLS, " FROM visitors WHERE token_hash = $1");
q!(UPDATE_VISITOR_NAME, "UPDATE visitors SET name = $3 WHERE workspace_id = $1 AND id = $2 RETURNING ", VISITOR_COLS);

// Dialogs and messages.
/// What a visitor's post needs to know first, in one round trip: was this `client_id` stored
/// before, and which dialog of his is open.
/// A resent `client_id`, and the visitor's open dialog with its channel (one lookup: a visitor
/// has at most one open dialog).
pub const PROBE_VISITOR_POST: &str = "SELECT (SELECT id FROM messages WHERE author_id = $1 AND client_id = $2) AS duplicate_of, \
     d.id AS open_dialog, d.channel_id AS open_channel FROM (SELECT 1) AS one \
     LEFT JOIN dialogs d ON d.workspace_id = $3 AND d.visitor_id = $4 AND d.status = 'open'";
pub const PROBE_CLIENT_ID: &str = "SELECT id FROM messages WHERE author_id = $1 AND client_id = $2";
q!(SELECT_MESSAGE, "SELECT ", MESSAGE_COLS, " FROM messages WHERE id = $1");
/// The next version number of a message's earlier texts.
pub const NEXT_EDIT_VERSION: &str = "SELECT COALESCE(MAX(version), 0) + 1 FROM message_edits WHERE message_id = $1";
pub const INSERT_EDIT: &str =
    "INSERT INTO message_edits (message_id, workspace_id, version, body, replaced_at) VALUES ($1, $2, $3, $4, $5)";
pub const SET_MESSAGE_BODY: &str = "UPDATE messages SET body = $2, edited_at = $3 WHERE id = $1";
/// The list's preview follows an edit of the dialog's latest message.
pub const SET_EDITED_PREVIEW: &str =
    "UPDATE dialogs SET last_preview = $2 WHERE id = $1 AND last_message_at = $3 AND last_author_kind = $4";
pub const SELECT_EDITS: &str =
    "SELECT version, body, replaced_at FROM message_edits WHERE message_id = $1 AND workspace_id = $2 ORDER BY version";
q!(SELECT_MESSAGE_BY_CLIENT_ID, "SELECT ", MESSAGE_COLS, " FROM messages WHERE author_id = $1 AND client_id = $2");
q!(SELECT_DIALOG, "SELECT ", DIALOG_COLS, " FROM dialogs WHERE workspace_id = $1 AND id = $2");
pub const SELECT_OPEN_DIALOG_OF_VISITOR: &str =
    "SELECT id FROM dialogs WHERE workspace_id = $1 AND visitor_id = $2 AND status = 'open'";
pub const NEXT_DIALOG_NUMBER: &str =
    "UPDATE workspaces SET next_dialog_number = next_dialog_number + 1 WHERE id = $1 RETURNING next_dialog_number";
/// A second open dialog of the same visitor is refused by the partial unique index; the
/// writer then appends to the one that won.
pub const INSERT_DIALOG: &str = "INSERT INTO dialogs (id, workspace_id, number, channel_id, visitor_id, status, last_seq, \
     unread_count, operator_read_seq, created_at, updated_at, queued_at, routed_by, previous_dialog_id, \
     sla_resolve_due_at, origin, trigger_id, trigger_name) \
     VALUES ($1, $2, $3, $4, $5, 'open', 0, 0, 0, $6, $6, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING";
q!(
    /// Takes the next `seq` of a dialog; its `WHERE` follows ([`APPEND_TO_DIALOG`], and
    /// PostgreSQL's one-statement post), whose conditional `status = 'open'` is what makes
    /// a message racing a close lose cleanly. A visitor message raises the unread and pending
    /// counts (and starts the wait when nobody waited); an operator's reply means the operators
    /// have read everything before it and nobody waits. A system line or an internal note
    /// (`$2 = 'system'`, see `records::effect_kind`) changes only `seq` and `updated_at`: it is
    /// not "the last message" of the list. An automatic line (`$2 = 'auto'`: a greeting, a
    /// prompt) is no reply: like a system line, except that the auto-close timer it carries (the
    /// prompt's) replaces the one running. A visitor's message ends a snooze. The timers follow
    /// `Dialog::apply_timers`: `$6`/`$7` the first and next reply dues a visitor's message
    /// may start, `$8`–`$10` the auto-close timer an operator's message sets (or clears). A
    /// visitor's message raises the dialog's tone to its own (`$11`) if higher.
    APPEND_SET, "UPDATE dialogs SET last_seq = last_seq + 1, \
     unread_count = CASE $2 WHEN 'visitor' THEN unread_count + 1 WHEN 'operator' THEN 0 ELSE unread_count END, \
     pending_count = CASE $2 WHEN 'visitor' THEN pending_count + 1 WHEN 'operator' THEN 0 ELSE pending_count END, \
     waiting_since = CASE $2 WHEN 'visitor' THEN COALESCE(waiting_since, $4) WHEN 'operator' THEN NULL \
     ELSE waiting_since END, \
     operator_read_seq = CASE WHEN $2 = 'operator' THEN last_seq + 1 ELSE operator_read_seq END, \
     last_author_kind = CASE WHEN $2 IN ('system', 'auto') THEN last_author_kind ELSE $2 END, \
     last_preview = CASE WHEN $2 IN ('system', 'auto') THEN last_preview ELSE $3 END, \
     last_message_at = CASE WHEN $2 IN ('system', 'auto') THEN last_message_at ELSE $4 END, updated_at = $4, \
     snoozed_until = CASE $2 WHEN 'visitor' THEN NULL ELSE snoozed_until END, \
     sla_reply_due_at = CASE $2 WHEN 'visitor' THEN \
     COALESCE(sla_reply_due_at, CASE WHEN first_reply_at IS NULL THEN $6 ELSE $7 END) \
     WHEN 'operator' THEN NULL ELSE sla_reply_due_at END, \
     sla_reply_breached = CASE WHEN $2 = 'operator' THEN FALSE ELSE sla_reply_breached END, \
     first_reply_at = CASE WHEN $2 = 'operator' THEN COALESCE(first_reply_at, $4) ELSE first_reply_at END, \
     auto_close_at = CASE WHEN $2 = 'operator' OR ($2 = 'auto' AND $8 IS NOT NULL) THEN $8 \
     WHEN $2 = 'visitor' THEN NULL ELSE auto_close_at END, \
     auto_close_action = CASE WHEN $2 = 'operator' OR ($2 = 'auto' AND $8 IS NOT NULL) THEN $9 \
     WHEN $2 = 'visitor' THEN NULL ELSE auto_close_action END, \
     auto_close_hold = CASE WHEN $2 = 'operator' OR ($2 = 'auto' AND $8 IS NOT NULL) THEN $10 \
     WHEN $2 = 'visitor' THEN NULL ELSE auto_close_hold END, \
     tone = CASE WHEN $2 = 'visitor' AND $11 > tone THEN $11 ELSE tone END");
q!(
    /// [`APPEND_SET`] on the dialog `$1` of the workspace `$5`, if open.
    APPEND_TO_DIALOG,
    APPEND_SET,
    " WHERE workspace_id = $5 AND id = $1 AND status = 'open' RETURNING ",
    DIALOG_COLS
);
/// Whether a dialog's visitor has had the channel's greeting.
pub const COUNT_GREETINGS: &str =
    "SELECT COUNT(*) FROM messages WHERE workspace_id = $1 AND dialog_id = $2 AND automatic = 'greeting'";
/// The columns a new message is written with, in the order `bind_insert_message!` binds them.
pub const MESSAGE_INSERT_COLS: &str = "id, workspace_id, dialog_id, seq, client_id, author_kind, author_id, \
     author_name, body, created_at, audience, event, attachments, mentions, automatic";
q!(
    INSERT_MESSAGE,
    "INSERT INTO messages (",
    MESSAGE_INSERT_COLS,
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
);
/// A message takes an uploaded file (in the message's transaction).
pub const CLAIM_ATTACHMENT: &str =
    "UPDATE attachments SET message_id = $1, dialog_id = $2 WHERE workspace_id = $3 AND id = $4";
q!(
    SELECT_LATEST_DIALOG_OF_VISITOR,
    "SELECT ",
    DIALOG_COLS,
    " FROM dialogs WHERE workspace_id = $1 AND visitor_id = $2 \
     ORDER BY created_at DESC, id DESC LIMIT 1"
);
q!(
    /// `$5`: true for the visitor, who never reads operators-only lines.
    SELECT_MESSAGES,
    "SELECT ",
    MESSAGE_COLS,
    " FROM messages WHERE workspace_id = $1 AND dialog_id = $2 AND seq > $3 \
     AND (NOT $5 OR audience = 'all') ORDER BY seq LIMIT $4"
);
q!(
    /// Only moves forward: reading an older `seq` after a newer one changes nothing.
    MARK_READ, "UPDATE dialogs SET operator_read_seq = $3, unread_count = \
     (SELECT COUNT(*) FROM messages m WHERE m.dialog_id = dialogs.id AND m.seq > $3 AND m.author_kind = 'visitor') \
     WHERE workspace_id = $1 AND id = $2 AND operator_read_seq < $3 AND $3 <= last_seq RETURNING ", DIALOG_COLS);
q!(
    CLOSE_DIALOG,
    "UPDATE dialogs SET status = 'closed', closed_at = $3, updated_at = $3, \
     auto_close_at = NULL, auto_close_action = NULL, auto_close_hold = NULL, sla_reply_due_at = NULL, sla_reply_breached = FALSE \
     WHERE workspace_id = $1 AND id = $2 AND status = 'open' RETURNING ",
    DIALOG_COLS
);

// Queues and assignment.
q!(
    UPDATE_VISITOR_CONTEXT,
    "UPDATE visitors SET page_url = $3, language = $4, properties = $5 \
     WHERE workspace_id = $1 AND id = $2 RETURNING ",
    VISITOR_COLS
);
q!(
    UPDATE_CHANNEL_SETTINGS,
    "UPDATE channels SET mode = $3, greeting = $4, wait_alert_seconds = $5, offline_policy = $6, \
     require_category = $7, reopen_window_minutes = $8 \
     WHERE workspace_id = $1 AND id = $2 RETURNING ",
    CHANNEL_COLS
);
pub const SELECT_OPERATOR_SETTINGS: &str =
    "SELECT language, shortcuts, notify_by_mail FROM operators WHERE workspace_id = $1 AND id = $2";
pub const UPDATE_OPERATOR_SETTINGS: &str =
    "UPDATE operators SET language = $3, shortcuts = $4, notify_by_mail = $5 WHERE workspace_id = $1 AND id = $2";
q!(
    UPDATE_SITE_ORIGINS,
    "UPDATE sites SET allowed_origins = $3 WHERE workspace_id = $1 AND id = $2 RETURNING ",
    SITE_COLS
);
pub const MARK_SITE_SEEN: &str = "UPDATE sites SET widget_seen_at = $2, widget_seen_origin = $3 WHERE id = $1";
pub const SELECT_SITES_SEEN: &str = "SELECT id, widget_seen_at, widget_seen_origin FROM sites \
     WHERE workspace_id = $1 AND widget_seen_at IS NOT NULL";
q!(UPDATE_CAPACITY, "UPDATE operators SET capacity = $3 WHERE workspace_id = $1 AND id = $2 RETURNING ", OPERATOR_COLS);
q!(
    /// Coming online starts his idle time; any presence but offline counts as a heartbeat.
    UPDATE_PRESENCE, "UPDATE operators SET \
     idle_since = CASE WHEN $3 = 'online' AND presence <> 'online' THEN $4 ELSE idle_since END, \
     seen_at = CASE WHEN $3 = 'offline' THEN seen_at ELSE $4 END, presence = $3 \
     WHERE workspace_id = $1 AND id = $2 RETURNING ", OPERATOR_COLS);
pub const SELECT_PRESENCE: &str = "SELECT presence FROM operators WHERE workspace_id = $1 AND id = $2";
pub const TOUCH_OPERATOR: &str = "UPDATE operators SET seen_at = $2 WHERE id = $1 AND seen_at < $2";
/// Whether anyone is due to go offline (read first, so an idle tick takes no write lock).
pub const ANY_STALE_PRESENCE: &str = "SELECT id FROM operators WHERE presence <> 'offline' AND seen_at < $1 LIMIT 1";
q!(
    /// Everyone not offline whose sockets all went quiet before `$1`, set offline at once.
    EXPIRE_PRESENCE, "UPDATE operators SET presence = 'offline' WHERE presence <> 'offline' AND seen_at < $1 \
     RETURNING ", OPERATOR_COLS);
pub const SELECT_ACTIVE_COUNTS: &str = "SELECT assignee_id, COUNT(*) AS n FROM dialogs \
     WHERE workspace_id = $1 AND status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id";
pub const SELECT_ONLINE_COUNTS: &str = "SELECT m.channel_id, COUNT(*) AS n FROM channel_members m \
     JOIN operators o ON o.id = m.operator_id WHERE o.workspace_id = $1 AND o.presence = 'online' GROUP BY m.channel_id";
pub const SELECT_CANDIDATES: &str = "SELECT o.id, o.presence, o.capacity, o.idle_since, \
     (SELECT COUNT(*) FROM dialogs d WHERE d.assignee_id = o.id AND d.status = 'open') AS active \
     FROM channel_members m JOIN operators o ON o.id = m.operator_id \
     WHERE o.workspace_id = $1 AND m.channel_id = $2 AND o.presence = 'online'";
q!(
    SELECT_QUEUED,
    "SELECT ",
    DIALOG_COLS,
    " FROM dialogs WHERE workspace_id = $1 AND channel_id = $2 \
     AND status = 'open' AND assignee_id IS NULL ORDER BY queued_at, id LIMIT $3"
);
pub const SELECT_AUTO_QUEUES: &str = "SELECT DISTINCT d.workspace_id, d.channel_id FROM dialogs d \
     JOIN channels c ON c.id = d.channel_id WHERE d.status = 'open' AND d.assignee_id IS NULL AND c.mode = 'auto'";
q!(
    SELECT_OPEN_OF_OPERATOR,
    "SELECT ",
    DIALOG_COLS,
    " FROM dialogs WHERE workspace_id = $1 AND assignee_id = $2 \
     AND status = 'open' ORDER BY created_at, id"
);
/// Locks the receiving operator's row for the rest of the transaction, so that two changes
/// giving him dialogs at once take turns. His active dialogs must be counted by a statement
/// *after* this one: on PostgreSQL a statement reads the data as of its own start, before it
/// waited for the lock.
pub const LOCK_OPERATOR: &str =
    "UPDATE operators SET idle_since = $3 WHERE workspace_id = $1 AND id = $2 RETURNING capacity, presence";
pub const COUNT_ACTIVE: &str = "SELECT COUNT(*) FROM dialogs WHERE assignee_id = $1 AND status = 'open'";
pub const IS_MEMBER: &str = "SELECT COUNT(*) FROM channel_members WHERE channel_id = $1 AND operator_id = $2";
pub const COUNT_ONLINE_MEMBERS: &str = "SELECT COUNT(*) FROM channel_members m JOIN operators o ON o.id = m.operator_id \
     WHERE m.channel_id = $1 AND o.presence = 'online'";
q!(
    /// The compare-and-set of an assignment change: it applies only while the dialog is open,
    /// in the channel and with the assignee the caller saw. Entering a queue restarts the wait;
    /// a move to another channel forgets the rule that routed it.
    REASSIGN_DIALOG, "UPDATE dialogs SET assignee_id = $3, \
     assigned_at = CASE WHEN $3 IS NULL THEN NULL WHEN assignee_id IS NOT DISTINCT FROM $3 THEN assigned_at ELSE $6 END, \
     routed_by = CASE WHEN channel_id = $4 THEN routed_by ELSE NULL END, channel_id = $4, \
     queued_at = CASE WHEN $3 IS NOT NULL THEN NULL WHEN assignee_id IS NULL AND channel_id = $4 THEN queued_at ELSE $6 END, \
     wait_alerted_at = CASE WHEN $3 IS NULL AND assignee_id IS NULL AND channel_id = $4 THEN wait_alerted_at ELSE NULL END, \
     updated_at = $6 \
     WHERE workspace_id = $1 AND id = $2 AND status = 'open' AND assignee_id IS NOT DISTINCT FROM $5 AND channel_id = $7 \
     RETURNING ", DIALOG_COLS);
pub const SELECT_RULES: &str = "SELECT id, name, channel_id, conditions FROM routing_rules WHERE workspace_id = $1 \
     ORDER BY position";
pub const DELETE_RULES: &str = "DELETE FROM routing_rules WHERE workspace_id = $1";
pub const INSERT_RULE: &str = "INSERT INTO routing_rules (id, workspace_id, position, name, channel_id, conditions, created_at) \
     SELECT $1, $2, $3, $4, c.id, $6, $7 FROM channels c WHERE c.id = $5 AND c.workspace_id = $2";

/// The `VALUES` list of a multi-row insert: `rows` rows of `cols` values, bound in order. SQLite
/// gets anonymous `?` (a numbered name is looked up among all the statement's names, once
/// when parsed and again when bound: quadratic in their count); PostgreSQL `$1` on.
pub fn value_rows(dialect: crate::segments::Dialect, rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        out.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            match dialect {
                crate::segments::Dialect::Sqlite => out.push('?'),
                crate::segments::Dialect::Postgres => {
                    out.push('$');
                    out.push_str(&(r * cols + c + 1).to_string());
                }
            }
        }
        out.push(')');
    }
    out
}

/// A value bound to a query built at run time.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Uuid(uuid::Uuid),
    Int(i64),
    Float(f64),
    Text(&'static str),
    String(String),
}

/// The visitors of a page of dialogs, in one query.
pub fn visitors_by_id(workspace: uuid::Uuid, ids: &[frontline_domain::VisitorId]) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Uuid(workspace)];
    let mut marks = Vec::with_capacity(ids.len());
    for id in ids {
        args.push(Arg::Uuid(id.0));
        marks.push(format!("${}", args.len()));
    }
    (format!("SELECT {VISITOR_COLS} FROM visitors WHERE workspace_id = $1 AND id IN ({})", marks.join(", ")), args)
}

/// The dialog list (or its count) for a filter and page, as one query with its arguments.
/// Every condition is a fixed text; only which ones appear depends on the filter.
pub fn dialog_list(
    workspace: uuid::Uuid,
    f: &crate::DialogFilter,
    page: Option<&crate::DialogPage>,
    dialect: crate::segments::Dialect,
    segment: Option<&frontline_domain::segments::SegmentFilter>,
) -> (String, Vec<Arg>) {
    use crate::{AssigneeFilter, DialogSort};
    let mut args = vec![Arg::Uuid(workspace)];
    let next = |a: Arg, args: &mut Vec<Arg>| {
        args.push(a);
        format!("${}", args.len())
    };
    let mut sql = match page {
        Some(_) => format!("SELECT {DIALOG_COLS} FROM dialogs WHERE workspace_id = $1"),
        None => "SELECT COUNT(*) FROM dialogs WHERE workspace_id = $1".to_owned(),
    };
    if let Some(st) = f.status {
        // A literal, not a parameter: the planners use the partial indexes on open dialogs only
        // when the query itself says `status = 'open'`.
        sql.push_str(match st {
            frontline_domain::DialogStatus::Open => " AND status = 'open'",
            frontline_domain::DialogStatus::Closed => " AND status = 'closed'",
        });
    }
    if let Some(op) = f.visible_to {
        let p = next(Arg::Uuid(op.0), &mut args);
        sql.push_str(&format!(" AND channel_id IN (SELECT channel_id FROM channel_members WHERE operator_id = {p})"));
    }
    match f.assignee {
        AssigneeFilter::Any => {}
        AssigneeFilter::Unassigned => sql.push_str(" AND assignee_id IS NULL"),
        AssigneeFilter::Operator(op) => {
            let p = next(Arg::Uuid(op.0), &mut args);
            sql.push_str(&format!(" AND assignee_id = {p}"));
        }
        AssigneeFilter::OperatorOrUnassigned(op) => {
            let p = next(Arg::Uuid(op.0), &mut args);
            sql.push_str(&format!(" AND (assignee_id = {p} OR assignee_id IS NULL)"));
        }
    }
    if f.unanswered {
        sql.push_str(" AND last_author_kind = 'visitor'");
    }
    if let Some(ch) = f.channel {
        let p = next(Arg::Uuid(ch.0), &mut args);
        sql.push_str(&format!(" AND channel_id = {p}"));
    }
    if let Some(tag) = f.tag {
        let p = next(Arg::Uuid(tag.0), &mut args);
        // Checked row by row while the list's index is walked in order (a common tag finds its
        // page quickly; reading all of a tag's dialogs first and sorting them does not scale).
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM dialog_tags t WHERE t.dialog_id = dialogs.id AND t.tag_id = {p})"
        ));
    }
    if let (Some(filter), Some((_, now))) = (segment, f.segment) {
        let c = crate::segments::condition(filter, dialect, now, &mut args);
        // Probed per dialog as the list's index is walked (a page stops early).
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM visitors v WHERE v.id = dialogs.visitor_id AND v.workspace_id = $1 AND {c})"
        ));
    }
    if let Some((key, value)) = &f.field {
        sql.push_str(" AND ");
        sql.push_str(&crate::fields::dialog_field_is(key, value, dialect, &mut args));
    }
    match f.snoozed {
        None => {}
        Some(false) => sql.push_str(" AND snoozed_until IS NULL"),
        Some(true) => sql.push_str(" AND snoozed_until IS NOT NULL"),
    }
    let Some(page) = page else { return (sql, args) };
    let wait_key = format!("COALESCE(waiting_since, {})", crate::NOT_WAITING);
    let due_key = format!("COALESCE(sla_reply_due_at, {})", crate::NOT_WAITING);
    if let Some(c) = page.after {
        let at = next(Arg::Int(c.updated_at.0), &mut args);
        let id = next(Arg::Uuid(c.id.0), &mut args);
        let after_activity = format!("(updated_at < {at} OR (updated_at = {at} AND id < {id}))");
        // Each cursor condition starts with the bound its first key gives (implied by the rest):
        // a planner reads the list's index from there. Without it PostgreSQL turned the ORs
        // into a bitmap of every row on either side and sorted them (66 ms for a second page of
        // an operator's 50,000 open dialogs; 0.1 ms with it).
        match f.sort {
            DialogSort::Activity => sql.push_str(&format!(" AND updated_at <= {at} AND {after_activity}")),
            DialogSort::Waiting => {
                let w = next(Arg::Int(c.wait), &mut args);
                sql.push_str(&format!(
                    " AND {wait_key} >= {w} AND ({wait_key} > {w} OR ({wait_key} = {w} AND {after_activity}))"
                ));
            }
            DialogSort::Due => {
                let d = next(Arg::Int(c.due), &mut args);
                let w = next(Arg::Int(c.wait), &mut args);
                sql.push_str(&format!(
                    " AND {due_key} >= {d} AND ({due_key} > {d} OR ({due_key} = {d} AND ({wait_key} > {w} OR ({wait_key} = {w} AND {after_activity}))))"
                ));
            }
            DialogSort::Tone => {
                let t = next(Arg::Int(c.due), &mut args);
                let w = next(Arg::Int(c.wait), &mut args);
                sql.push_str(&format!(
                    " AND tone <= {t} AND (tone < {t} OR (tone = {t} AND ({wait_key} > {w} OR ({wait_key} = {w} AND {after_activity}))))"
                ));
            }
        }
    }
    match f.sort {
        DialogSort::Activity => sql.push_str(" ORDER BY updated_at DESC, id DESC"),
        DialogSort::Waiting => sql.push_str(&format!(" ORDER BY {wait_key}, updated_at DESC, id DESC")),
        DialogSort::Due => sql.push_str(&format!(" ORDER BY {due_key}, {wait_key}, updated_at DESC, id DESC")),
        DialogSort::Tone => sql.push_str(&format!(" ORDER BY tone DESC, {wait_key}, updated_at DESC, id DESC")),
    }
    let l = next(Arg::Int(i64::from(page.limit)), &mut args);
    sql.push_str(&format!(" LIMIT {l}"));
    (sql, args)
}

// Migrations bookkeeping.
pub const CREATE_MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS frontline_migrations \
     (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
pub const SELECT_MIGRATIONS: &str = "SELECT version, name FROM frontline_migrations ORDER BY version";
pub const INSERT_MIGRATION: &str = "INSERT INTO frontline_migrations (version, name, applied_at) VALUES ($1, $2, $3)";

// Conversation tools.
/// The query texts of one dictionary (tags or categories share a shape).
pub struct DictionarySql {
    pub select: &'static str,
    pub insert: &'static str,
    pub update: &'static str,
    pub select_one: &'static str,
}

pub const TAGS_SQL: DictionarySql = DictionarySql {
    select: "SELECT id, name, archived FROM tags WHERE workspace_id = $1 AND ($2 OR NOT archived) ORDER BY name",
    insert: "INSERT INTO tags (id, workspace_id, name, archived, created_at) VALUES ($1, $2, $3, FALSE, $4)",
    update: "UPDATE tags SET name = COALESCE($3, name), archived = COALESCE($4, archived) \
             WHERE workspace_id = $1 AND id = $2 RETURNING id, name, archived",
    select_one: "SELECT id, name, archived FROM tags WHERE workspace_id = $1 AND id = $2",
};

pub const CATEGORIES_SQL: DictionarySql = DictionarySql {
    select: "SELECT id, name, archived FROM categories WHERE workspace_id = $1 AND ($2 OR NOT archived) ORDER BY name",
    insert: "INSERT INTO categories (id, workspace_id, name, archived, created_at) VALUES ($1, $2, $3, FALSE, $4)",
    update: "UPDATE categories SET name = COALESCE($3, name), archived = COALESCE($4, archived) \
             WHERE workspace_id = $1 AND id = $2 RETURNING id, name, archived",
    select_one: "SELECT id, name, archived FROM categories WHERE workspace_id = $1 AND id = $2",
};

pub const DELETE_DIALOG_TAGS: &str = "DELETE FROM dialog_tags WHERE dialog_id = $1";
pub const INSERT_DIALOG_TAG: &str = "INSERT INTO dialog_tags (dialog_id, tag_id) VALUES ($1, $2)";
q!(
    SET_DIALOG_TAGS,
    "UPDATE dialogs SET tags = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2 RETURNING ",
    DIALOG_COLS
);
q!(
    SET_DIALOG_CATEGORY,
    "UPDATE dialogs SET category_id = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2 RETURNING ",
    DIALOG_COLS
);
q!(
    /// Snoozes (`$3` a time) or wakes (`$3` null) an open dialog. A snooze stops auto-close:
    /// the operator means to come back to it.
    SET_SNOOZE,
    "UPDATE dialogs SET snoozed_until = $3, updated_at = $4, \
     auto_close_at = CASE WHEN $3 IS NULL THEN auto_close_at ELSE NULL END, \
     auto_close_action = CASE WHEN $3 IS NULL THEN auto_close_action ELSE NULL END, \
     auto_close_hold = CASE WHEN $3 IS NULL THEN auto_close_hold ELSE NULL END \
     WHERE workspace_id = $1 AND id = $2 AND status = 'open' RETURNING ",
    DIALOG_COLS
);
q!(
    CLOSE_DIALOG_WITH_REASON,
    "UPDATE dialogs SET status = 'closed', closed_at = $3, updated_at = $3, close_reason = $4, snoozed_until = NULL, \
     auto_close_at = NULL, auto_close_action = NULL, auto_close_hold = NULL, sla_reply_due_at = NULL, sla_reply_breached = FALSE \
     WHERE workspace_id = $1 AND id = $2 AND status = 'open' RETURNING ",
    DIALOG_COLS
);
q!(
    /// A closed dialog opens again; its category must be chosen anew and its resolution target
    /// starts again (`$4`, null without SLA). A visitor with another
    /// open dialog makes this a unique violation (one open dialog per visitor).
    REOPEN_DIALOG, "UPDATE dialogs SET status = 'open', closed_at = NULL, close_reason = NULL, category_id = NULL, \
     updated_at = $3, queued_at = CASE WHEN assignee_id IS NULL THEN $3 ELSE NULL END, wait_alerted_at = NULL, \
     sla_resolve_due_at = $4, sla_resolve_breached = FALSE \
     WHERE workspace_id = $1 AND id = $2 AND status = 'closed' RETURNING ", DIALOG_COLS);
q!(
    /// Only a dialog an operator closed, and only once.
    RATE_DIALOG, "UPDATE dialogs SET rating = $3, rating_comment = $4, rated_at = $5 \
     WHERE workspace_id = $1 AND id = $2 AND status = 'closed' AND close_reason = 'operator' AND rating IS NULL \
     RETURNING ", DIALOG_COLS);
q!(
    /// Only moves forward.
    MARK_VISITOR_READ, "UPDATE dialogs SET visitor_read_seq = $3 \
     WHERE workspace_id = $1 AND id = $2 AND visitor_read_seq < $3 AND $3 <= last_seq RETURNING ", DIALOG_COLS);

pub const SAVED_REPLY_COLS: &str = "id, workspace_id, scope, owner_id, channel_id, title, body, created_at, updated_at";
q!(SELECT_SAVED_REPLIES, "SELECT ", SAVED_REPLY_COLS, " FROM saved_replies WHERE workspace_id = $1 ORDER BY title, id");
q!(SELECT_SAVED_REPLY, "SELECT ", SAVED_REPLY_COLS, " FROM saved_replies WHERE workspace_id = $1 AND id = $2");
pub const INSERT_SAVED_REPLY: &str = "INSERT INTO saved_replies (id, workspace_id, scope, owner_id, channel_id, title, \
     body, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)";
q!(
    UPDATE_SAVED_REPLY,
    "UPDATE saved_replies SET title = $3, body = $4, updated_at = $5 WHERE workspace_id = $1 AND id = $2 RETURNING ",
    SAVED_REPLY_COLS
);
pub const DELETE_SAVED_REPLY: &str = "DELETE FROM saved_replies WHERE workspace_id = $1 AND id = $2";

q!(
    UPDATE_VISITOR_PROFILE,
    "UPDATE visitors SET name = $3, email = $4, phone = $5, phone_digits = $6 WHERE workspace_id = $1 AND id = $2 \
     RETURNING ",
    VISITOR_COLS
);
pub const INSERT_PAGE_VIEW: &str = "INSERT INTO visitor_pages (visitor_id, at, url, title) VALUES ($1, $2, $3, $4)";
pub const TOUCH_VISITOR: &str = "UPDATE visitors SET last_seen_at = $2 WHERE id = $1";
/// Keeps a visitor's 50 newest pages.
pub const TRIM_PAGE_VIEWS: &str = "DELETE FROM visitor_pages WHERE visitor_id = $1 AND at < \
     (SELECT at FROM visitor_pages WHERE visitor_id = $1 ORDER BY at DESC LIMIT 1 OFFSET 49)";
pub const SELECT_PAGE_VIEWS: &str =
    "SELECT url, title, at FROM visitor_pages WHERE visitor_id = $1 ORDER BY at DESC LIMIT $2";
q!(
    SELECT_DIALOGS_OF_VISITOR,
    "SELECT ",
    DIALOG_COLS,
    " FROM dialogs WHERE workspace_id = $1 AND visitor_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3"
);

pub const ATTACHMENT_COLS: &str =
    "id, workspace_id, uploader_kind, uploader_id, name, content_type, size, created_at, dialog_id, message_id";
pub const INSERT_ATTACHMENT: &str = "INSERT INTO attachments (id, workspace_id, uploader_kind, uploader_id, name, \
     content_type, size, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
q!(SELECT_ATTACHMENT, "SELECT ", ATTACHMENT_COLS, " FROM attachments WHERE workspace_id = $1 AND id = $2");
q!(
    /// Uploads older than `$1` that no message took.
    SELECT_STALE_UPLOADS, "SELECT ", ATTACHMENT_COLS,
    " FROM attachments WHERE message_id IS NULL AND created_at < $1 LIMIT $2");
pub const DELETE_UPLOAD: &str = "DELETE FROM attachments WHERE id = $1 AND message_id IS NULL";

// Automation.
pub const SELECT_AUTOMATION: &str = "SELECT automation FROM channels WHERE workspace_id = $1 AND id = $2";
pub const UPDATE_AUTOMATION: &str = "UPDATE channels SET automation = $3 WHERE workspace_id = $1 AND id = $2";
/// Auto-close switched off: the channel's open dialogs lose their timers.
pub const CLEAR_AUTO_CLOSE: &str = "UPDATE dialogs SET auto_close_at = NULL, auto_close_action = NULL, \
     auto_close_hold = NULL WHERE workspace_id = $1 AND channel_id = $2 AND status = 'open' AND auto_close_at IS NOT NULL";
pub const SELECT_ALL_AUTOMATION: &str = "SELECT id, automation FROM channels WHERE workspace_id = $1";

/// A claim of due timers: `UPDATE dialogs SET {set} WHERE id IN (SELECT id FROM dialogs WHERE
/// {due} ORDER BY {order} LIMIT $2{lock}) RETURNING …`, with `$1` the time. `{lock}` is
/// ` FOR UPDATE SKIP LOCKED` on PostgreSQL, so nodes claiming at once take different rows and
/// each timer is claimed once; on SQLite (one writer) it is empty. The claim is preceded by a
/// probe of `due` on a reader, so an idle pass takes no write lock.
pub struct Claim {
    pub set: &'static str,
    pub due: &'static str,
    pub order: &'static str,
}

impl Claim {
    pub fn probe(&self) -> String {
        format!("SELECT id FROM dialogs WHERE {} LIMIT 1", self.due)
    }

    pub fn claim(&self, lock: &str) -> String {
        format!(
            "UPDATE dialogs SET {} WHERE id IN (SELECT id FROM dialogs WHERE {} ORDER BY {} LIMIT $2{lock}) RETURNING {DIALOG_COLS}",
            self.set, self.due, self.order
        )
    }
}

/// Reply targets passed unmet.
pub const CLAIM_REPLY_BREACHES: Claim = Claim {
    set: "sla_reply_breached = TRUE",
    due: "status = 'open' AND sla_reply_due_at IS NOT NULL AND NOT sla_reply_breached AND sla_reply_due_at <= $1",
    order: "sla_reply_due_at",
};
/// Resolution targets passed unmet.
pub const CLAIM_RESOLVE_BREACHES: Claim = Claim {
    set: "sla_resolve_breached = TRUE",
    due: "status = 'open' AND sla_resolve_due_at IS NOT NULL AND NOT sla_resolve_breached AND sla_resolve_due_at <= $1",
    order: "sla_resolve_due_at",
};
/// Dialogs whose auto-close is due: closed, reason `auto`.
pub const CLAIM_AUTO_CLOSES: Claim = Claim {
    set: "status = 'closed', closed_at = $1, updated_at = $1, close_reason = 'auto', snoozed_until = NULL, \
          auto_close_at = NULL, auto_close_action = NULL, auto_close_hold = NULL, sla_reply_due_at = NULL, sla_reply_breached = FALSE",
    due: "auto_close_at IS NOT NULL AND auto_close_at <= $1 AND auto_close_action = 'close' AND status = 'open'",
    order: "auto_close_at",
};
/// Snoozes that are due: woken.
pub const CLAIM_SNOOZE_WAKES: Claim = Claim {
    set: "snoozed_until = NULL, updated_at = $1",
    due: "snoozed_until IS NOT NULL AND snoozed_until <= $1",
    order: "snoozed_until",
};
/// Queued dialogs past their channel's wait limit, not alerted in this stay (the lower bound of
/// every limit, 10 s, lets the partial index narrow the scan).
pub const CLAIM_WAIT_ALERTS: Claim = Claim {
    set: "wait_alerted_at = $1",
    due: "status = 'open' AND assignee_id IS NULL AND wait_alerted_at IS NULL AND queued_at <= $1 - 10000 \
          AND queued_at <= $1 - (SELECT c.wait_alert_seconds * 1000 FROM channels c WHERE c.id = dialogs.channel_id)",
    order: "queued_at",
};
q!(
    /// Dialogs whose auto-close prompt is due (the prompt is posted with a `client_id` made
    /// of the dialog and the due time, so a second node's post is a duplicate).
    DUE_AUTO_CLOSE_PROMPTS, "SELECT ", DIALOG_COLS, " FROM dialogs WHERE auto_close_at IS NOT NULL \
     AND auto_close_at <= $1 AND auto_close_action = 'prompt' AND status = 'open' ORDER BY auto_close_at LIMIT $2");
/// A due prompt that will not be sent (`$4` true: it is no longer wanted, close instead;
/// false: auto-close was switched off, the timer goes), only while it is the timer `$3`.
pub const SETTLE_PROMPT: &str = "UPDATE dialogs SET \
     auto_close_at = CASE WHEN $4 THEN auto_close_at ELSE NULL END, \
     auto_close_action = CASE WHEN $4 THEN 'close' ELSE NULL END, \
     auto_close_hold = CASE WHEN $4 THEN auto_close_hold ELSE NULL END \
     WHERE workspace_id = $1 AND id = $2 AND auto_close_at = $3 AND auto_close_action = 'prompt'";
pub const INSERT_BREACH: &str = "INSERT INTO sla_breaches (dialog_id, target, due_at, breached_at, workspace_id, \
     channel_id, assignee_id) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
pub const SELECT_BREACHES: &str =
    "SELECT target, due_at FROM sla_breaches WHERE workspace_id = $1 AND dialog_id = $2 ORDER BY breached_at";

pub const TRIGGER_COLS: &str =
    "id, workspace_id, name, message, enabled, time_on_site_seconds, conditions, period_hours, created_at";
q!(
    SELECT_TRIGGERS,
    "SELECT ",
    TRIGGER_COLS,
    " FROM proactive_triggers WHERE workspace_id = $1 ORDER BY created_at, id"
);
q!(SELECT_TRIGGER, "SELECT ", TRIGGER_COLS, " FROM proactive_triggers WHERE workspace_id = $1 AND id = $2");
pub const INSERT_TRIGGER: &str = "INSERT INTO proactive_triggers (id, workspace_id, name, message, enabled, \
     time_on_site_seconds, conditions, period_hours, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
q!(
    UPDATE_TRIGGER,
    "UPDATE proactive_triggers SET name = $3, message = $4, enabled = $5, time_on_site_seconds = $6, conditions = $7, \
     period_hours = $8 WHERE workspace_id = $1 AND id = $2 RETURNING ",
    TRIGGER_COLS
);
pub const DELETE_TRIGGER_VIEWS: &str = "DELETE FROM trigger_views WHERE trigger_id = $1";
pub const DELETE_TRIGGER: &str = "DELETE FROM proactive_triggers WHERE workspace_id = $1 AND id = $2";
/// Records that a visitor saw a trigger unless he saw it after `$4` (within its period);
/// one row changed means it may be shown now.
pub const SHOW_TRIGGER: &str = "INSERT INTO trigger_views (visitor_id, trigger_id, shown_at) VALUES ($1, $2, $3) \
     ON CONFLICT (visitor_id, trigger_id) DO UPDATE SET shown_at = excluded.shown_at \
     WHERE trigger_views.shown_at <= $4";
pub const SELECT_TRIGGER_VIEWS: &str = "SELECT trigger_id, shown_at FROM trigger_views WHERE visitor_id = $1";

// The event log and the outbox (issue 13).
pub const EVENT_COLS: &str = "pos, id, workspace_id, kind, dialog_id, subject_id, actor_kind, actor_id, at, payload";
/// The columns a new event is written with, in the order `write_events!` binds them.
pub const EVENT_INSERT_COLS: &str = "id, workspace_id, kind, dialog_id, subject_id, actor_kind, actor_id, at, payload";
q!(INSERT_EVENT, "INSERT INTO events (", EVENT_INSERT_COLS, ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
/// The outbox jobs the events a filter selects make (the filter follows each part, so it comes
/// twice: see [`fan_out`]):
/// - one per enabled webhook endpoint subscribed to an event's kind; jobs of one endpoint go in
///   the order of their dialog (or, without one, of their subject);
/// - one per live Telegram chat of the dialog's contact for a message not written by him (the
///   worker sends those the contact may read: never notes, which are `note.created` anyway, nor
///   lines for operators only); in the order of the dialog. Without an enabled bot the
///   constant `EXISTS` ends this part before any join (the message path pays one lookup).
pub const FAN_OUT_INTO: &str = "INSERT INTO outbox (workspace_id, kind, target_id, event_id, event_kind, order_key, \
     due_at, created_at) ";
pub const FAN_OUT_WEBHOOKS: &str = "SELECT ev.workspace_id, 'webhook', s.endpoint_id, ev.id, ev.kind, \
     COALESCE(ev.dialog_id, ev.subject_id, ev.id), ev.at, ev.at \
     FROM events ev JOIN webhook_subscriptions s ON s.workspace_id = ev.workspace_id AND s.kind = ev.kind \
     JOIN webhook_endpoints e ON e.id = s.endpoint_id AND e.enabled WHERE ";
pub const FAN_OUT_TELEGRAM: &str = " UNION ALL SELECT ev.workspace_id, 'telegram', tc.bot_id, ev.id, ev.kind, ev.dialog_id, \
     ev.at, ev.at \
     FROM events ev JOIN dialogs d ON d.id = ev.dialog_id \
     JOIN telegram_chats tc ON tc.visitor_id = d.visitor_id AND tc.stage = 'live' \
     JOIN telegram_bots b ON b.id = tc.bot_id AND b.enabled \
     WHERE EXISTS (SELECT 1 FROM telegram_bots WHERE enabled) \
     AND ev.kind = 'message.created' AND ev.actor_kind <> 'visitor' AND ";
/// - one per message not written by the contact in a dialog of an e-mail contact, when the
///   workspace's mail is on (target: the workspace); in the order of the dialog.
pub const FAN_OUT_EMAIL: &str = " UNION ALL SELECT ev.workspace_id, 'email', ev.workspace_id, ev.id, ev.kind, ev.dialog_id, \
     ev.at, ev.at \
     FROM events ev JOIN dialogs d ON d.id = ev.dialog_id \
     JOIN visitors v ON v.id = d.visitor_id AND v.source = 'email' \
     JOIN mail_settings ms ON ms.workspace_id = ev.workspace_id AND ms.enabled \
     WHERE EXISTS (SELECT 1 FROM mail_settings WHERE enabled) \
     AND ev.kind = 'message.created' AND ev.actor_kind <> 'visitor' AND ";
/// - one per operator's message in a dialog of a website visitor who left an address, when
///   the workspace's mail is on and follows replies up: due when the window has passed (the
///   worker mails it only if he has not seen it in the widget by then, with what else he has
///   not seen); in the order of the dialog.
pub const FAN_OUT_FOLLOWUP: &str = " UNION ALL SELECT ev.workspace_id, 'email_followup', ev.workspace_id, ev.id, \
     ev.kind, ev.dialog_id, ev.at + ms.followup_ms, ev.at \
     FROM events ev JOIN dialogs d ON d.id = ev.dialog_id \
     JOIN visitors v ON v.id = d.visitor_id AND v.source = 'widget' AND v.email IS NOT NULL \
     JOIN mail_settings ms ON ms.workspace_id = ev.workspace_id AND ms.enabled AND ms.followup_ms > 0 \
     WHERE EXISTS (SELECT 1 FROM mail_settings WHERE enabled) \
     AND ev.kind = 'message.created' AND ev.actor_kind = 'operator' AND ";
/// - one per department ticket made (kind `ticket_mail`, target the ticket): the filled form
///   mailed to the department.
pub const FAN_OUT_TICKET: &str = " UNION ALL SELECT ev.workspace_id, 'ticket_mail', t.id, ev.id, ev.kind, ev.dialog_id, \
     ev.at, ev.at \
     FROM events ev JOIN tickets t ON t.id = ev.subject_id AND t.side = 'department' \
     WHERE ev.kind = 'ticket.created' AND ";
q!(
    FAN_OUT_EVENT,
    FAN_OUT_INTO,
    FAN_OUT_WEBHOOKS,
    "ev.id = $1",
    FAN_OUT_TELEGRAM,
    "ev.id = $1",
    FAN_OUT_EMAIL,
    "ev.id = $1",
    FAN_OUT_FOLLOWUP,
    "ev.id = $1",
    FAN_OUT_TICKET,
    "ev.id = $1"
);

/// The fan-out for the events `filter` selects (an expression on `ev`).
pub fn fan_out(filter: &str) -> String {
    format!(
        "{FAN_OUT_INTO}{FAN_OUT_WEBHOOKS}{filter}{FAN_OUT_TELEGRAM}{filter}{FAN_OUT_EMAIL}{filter}{FAN_OUT_FOLLOWUP}{filter}\
         {FAN_OUT_TICKET}{filter}"
    )
}
/// Whether any part of [`fan_out`] could make a job for an event of the kind `kind` in the
/// workspace `workspace` (SQL expressions): each part's own gate and nothing of the event's other
/// conditions, so it is true whenever a job would be made and sometimes when none would. Kept
/// beside the parts it stands for; a part added there must be added here.
pub fn fan_out_possible(workspace: &str, kind: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM webhook_subscriptions s JOIN webhook_endpoints e ON e.id = s.endpoint_id \
         AND e.enabled WHERE s.workspace_id = {workspace} AND s.kind = {kind}) \
         OR EXISTS (SELECT 1 FROM telegram_bots WHERE enabled) \
         OR EXISTS (SELECT 1 FROM mail_settings WHERE enabled) \
         OR {kind} = 'ticket.created')"
    )
}
/// The fan-out of one event written by the same statement: a data-modifying `WITH` named `ev`
/// returns its row (PostgreSQL's one-statement post, whose event is not in `events` yet for
/// the statement's own snapshot).
pub fn fan_out_of_written() -> String {
    fan_out("TRUE").replace("FROM events ev ", "FROM ev ")
}
q!(
    SELECT_EVENTS_AFTER,
    "SELECT ",
    EVENT_COLS,
    " FROM events WHERE workspace_id = $1 AND pos > $2 ORDER BY pos LIMIT $3"
);
q!(SELECT_EVENTS_SINCE, "SELECT ", EVENT_COLS, " FROM events WHERE pos > $1 ORDER BY pos LIMIT $2");
pub const SELECT_LATEST_EVENT_POS: &str = "SELECT coalesce(max(pos), 0) FROM events";
q!(SELECT_DIALOG_EVENTS, "SELECT ", EVENT_COLS, " FROM events WHERE workspace_id = $1 AND dialog_id = $2 ORDER BY pos");
q!(SELECT_EVENT, "SELECT ", EVENT_COLS, " FROM events WHERE id = $1");
/// Events older than `$1` that no pending job still needs and the workspace's reports have
/// folded, at most `$2`.
pub const PURGE_EVENTS: &str = "DELETE FROM events WHERE pos IN (SELECT e.pos FROM events e WHERE e.at < $1 \
     AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id AND o.status = 'pending') \
     AND NOT EXISTS (SELECT 1 FROM report_state r WHERE r.workspace_id = e.workspace_id AND r.cursor < e.pos) \
     ORDER BY e.pos LIMIT $2)";
pub const PURGE_JOBS: &str = "DELETE FROM outbox WHERE pos IN (SELECT pos FROM outbox WHERE status <> 'pending' \
     AND finished_at < $1 ORDER BY pos LIMIT $2)";

pub const WEBHOOK_COLS: &str = "id, workspace_id, url, description, events, secret, previous_secret, previous_until, \
     enabled, disabled_reason, failing_since, created_at, updated_at";
q!(SELECT_WEBHOOKS, "SELECT ", WEBHOOK_COLS, " FROM webhook_endpoints WHERE workspace_id = $1 ORDER BY created_at, id");
q!(SELECT_WEBHOOK, "SELECT ", WEBHOOK_COLS, " FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2");
q!(SELECT_WEBHOOK_BY_ID, "SELECT ", WEBHOOK_COLS, " FROM webhook_endpoints WHERE id = $1");
/// Whether the outbox has anyone to deliver to: an enabled endpoint or Telegram bot.
pub const ANY_ENABLED_WEBHOOK: &str = "SELECT id FROM webhook_endpoints WHERE enabled \
     UNION ALL SELECT id FROM telegram_bots WHERE enabled LIMIT 1";
pub const COUNT_WEBHOOKS: &str = "SELECT COUNT(*) FROM webhook_endpoints WHERE workspace_id = $1";
/// The same binds as `UPDATE_WEBHOOK`, then `$13` created_at.
pub const INSERT_WEBHOOK: &str = "INSERT INTO webhook_endpoints (workspace_id, id, url, description, events, secret, \
     previous_secret, previous_until, enabled, disabled_reason, failing_since, updated_at, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
pub const UPDATE_WEBHOOK: &str = "UPDATE webhook_endpoints SET url = $3, description = $4, events = $5, secret = $6, \
     previous_secret = $7, previous_until = $8, enabled = $9, disabled_reason = $10, failing_since = $11, \
     updated_at = $12 WHERE workspace_id = $1 AND id = $2";
pub const DELETE_WEBHOOK_SUBSCRIPTIONS: &str = "DELETE FROM webhook_subscriptions WHERE endpoint_id = $1";
pub const INSERT_WEBHOOK_SUBSCRIPTION: &str =
    "INSERT INTO webhook_subscriptions (workspace_id, kind, endpoint_id) VALUES ($1, $2, $3)";
pub const DELETE_WEBHOOK: &str = "DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2";
pub const DELETE_WEBHOOK_JOBS: &str = "DELETE FROM outbox WHERE target_id = $1";
pub const WEBHOOK_SUCCEEDED: &str =
    "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL";
pub const WEBHOOK_FAILED: &str = "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2) WHERE id = $1 RETURNING failing_since, enabled";
/// Switches off an endpoint that kept failing; its pending jobs fail with it.
pub const DISABLE_FAILING_WEBHOOK: &str = "UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = 'failing', \
     updated_at = $2 WHERE id = $1 AND enabled";
pub const FAIL_PENDING_JOBS: &str = "UPDATE outbox SET status = 'failed', finished_at = $2, claim = NULL, \
     claimed_until = NULL WHERE target_id = $1 AND status = 'pending'";

pub const JOB_COLS: &str = "pos, workspace_id, kind, target_id, event_id, event_kind, generation, status, attempts, \
     due_at, body, created_at, finished_at, claim";
/// Claims due jobs (`$1` now, `$2` the most, `$3` the claim, `$4` its lease's end): only the
/// oldest pending job of each target and order key, so one dialog's events go in order.
pub fn claim_jobs(lock: &str) -> String {
    format!(
        "UPDATE outbox SET claim = $3, claimed_until = $4, attempts = attempts + 1 WHERE pos IN (\
         SELECT o.pos FROM outbox o WHERE o.status = 'pending' AND o.due_at <= $1 \
         AND (o.claimed_until IS NULL OR o.claimed_until <= $1) \
         AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.status = 'pending' AND p.target_id = o.target_id \
         AND p.order_key = o.order_key AND p.pos < o.pos) \
         ORDER BY o.due_at, o.pos LIMIT $2{lock}) RETURNING {JOB_COLS}"
    )
}
/// Whether a claim would find anything (read first, so an idle pass takes no write lock).
pub const PROBE_DUE_JOBS: &str = "SELECT pos FROM outbox WHERE status = 'pending' AND due_at <= $1 \
     AND (claimed_until IS NULL OR claimed_until <= $1) LIMIT 1";
pub const SET_JOB_BODY: &str = "UPDATE outbox SET body = $3 WHERE pos = $1 AND claim = $2 AND body IS NULL";
pub const FINISH_JOB: &str = "UPDATE outbox SET status = $3, due_at = $4, finished_at = $5, claim = NULL, \
     claimed_until = NULL WHERE pos = $1 AND claim = $2";
pub const INSERT_ATTEMPT: &str = "INSERT INTO outbox_attempts (job_pos, attempt, at, status_code, response_excerpt, \
     latency_ms, error) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
q!(
    INSERT_TEST_JOB,
    "INSERT INTO outbox (workspace_id, kind, target_id, event_id, event_kind, order_key, \
     due_at, body, created_at) VALUES ($1, 'webhook', $2, $3, 'webhook.test', $3, $4, $5, $4) RETURNING ",
    JOB_COLS
);
q!(
    /// A new generation of a delivery: the same event and body, due now.
    REPLAY_JOB,
    "INSERT INTO outbox (workspace_id, kind, target_id, event_id, event_kind, generation, \
     order_key, due_at, body, created_at) \
     SELECT o.workspace_id, o.kind, o.target_id, o.event_id, o.event_kind, \
     (SELECT MAX(g.generation) + 1 FROM outbox g WHERE g.kind = o.kind AND g.target_id = o.target_id \
     AND g.event_id = o.event_id), o.order_key, $3, o.body, $3 \
     FROM outbox o WHERE o.workspace_id = $1 AND o.pos = $2 AND o.body IS NOT NULL RETURNING ",
    JOB_COLS
);
q!(SELECT_JOB, "SELECT ", JOB_COLS, " FROM outbox WHERE workspace_id = $1 AND pos = $2");
q!(
    SELECT_TARGET_JOBS,
    "SELECT ",
    JOB_COLS,
    " FROM outbox WHERE workspace_id = $1 AND target_id = $2 AND pos < $3 ORDER BY pos DESC LIMIT $4"
);
pub const ATTEMPT_COLS: &str = "job_pos, attempt, at, status_code, response_excerpt, latency_ms, error";
q!(SELECT_ATTEMPTS, "SELECT ", ATTEMPT_COLS, " FROM outbox_attempts WHERE job_pos = $1 ORDER BY attempt");

#[cfg(test)]
mod tests {
    use crate::segments::Dialect;

    #[test]
    fn value_rows_are_anonymous_on_sqlite_and_numbered_in_order_on_postgres() {
        assert_eq!(super::value_rows(Dialect::Sqlite, 2, 3), "(?, ?, ?), (?, ?, ?)");
        assert_eq!(super::value_rows(Dialect::Postgres, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::value_rows(Dialect::Postgres, 1, 1), "($1)");
    }
}
