//! Query texts valid in both SQLite and PostgreSQL (`$N` placeholders, `RETURNING`,
//! `ON CONFLICT`), so the two backends differ only in connections, migrations and batching.
//! Column lists are constants so that every reader of a table decodes the same shape.

pub const WORKSPACE_COLS: &str = "id, slug, name, created_at";
pub const OPERATOR_COLS: &str = "id, workspace_id, email, display_name, role, password_hash, created_at";
pub const CHANNEL_COLS: &str = "id, workspace_id, name, is_default";
pub const SITE_COLS: &str = "id, workspace_id, name, key, allowed_origins, channel_id";
pub const VISITOR_COLS: &str = "id, workspace_id, site_id, number, name, created_at";
pub const DIALOG_COLS: &str = "id, workspace_id, number, channel_id, visitor_id, status, last_seq, unread_count, \
     last_author_kind, last_preview, last_message_at, created_at, updated_at, closed_at";
pub const MESSAGE_COLS: &str =
    "id, workspace_id, dialog_id, seq, client_id, author_kind, author_id, author_name, body, created_at";

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
pub const INSERT_OPERATOR: &str = "INSERT INTO operators (id, workspace_id, email, display_name, role, password_hash, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
q!(SELECT_OPERATOR, "SELECT ", OPERATOR_COLS, " FROM operators WHERE workspace_id = $1 AND id = $2");
q!(SELECT_OPERATORS_BY_EMAIL, "SELECT ", OPERATOR_COLS, " FROM operators WHERE email = $1 ORDER BY created_at");
q!(SELECT_OPERATORS, "SELECT ", OPERATOR_COLS, " FROM operators WHERE workspace_id = $1 ORDER BY display_name, id");
pub const INSERT_SESSION: &str = "INSERT INTO sessions (token_hash, workspace_id, operator_id, created_at, expires_at) \
     VALUES ($1, $2, $3, $4, $5)";
pub const SELECT_SESSION_OPERATOR: &str = "SELECT o.id, o.workspace_id, o.email, o.display_name, o.role, o.password_hash, o.created_at \
     FROM sessions s JOIN operators o ON o.id = s.operator_id WHERE s.token_hash = $1 AND s.expires_at > $2";
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";

// Channels and sites.
pub const INSERT_CHANNEL: &str =
    "INSERT INTO channels (id, workspace_id, name, is_default, created_at) VALUES ($1, $2, $3, $4, $5)";
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
q!(SELECT_VISITOR_BY_TOKEN, "SELECT ", VISITOR_COLS, " FROM visitors WHERE token_hash = $1");
q!(UPDATE_VISITOR_NAME, "UPDATE visitors SET name = $3 WHERE workspace_id = $1 AND id = $2 RETURNING ", VISITOR_COLS);

// Dialogs and messages.
/// What a visitor's post needs to know first, in one round trip: was this `client_id` stored
/// before, and which dialog of his is open.
pub const PROBE_VISITOR_POST: &str = "SELECT (SELECT id FROM messages WHERE author_id = $1 AND client_id = $2) AS duplicate_of, \
     (SELECT id FROM dialogs WHERE workspace_id = $3 AND visitor_id = $4 AND status = 'open') AS open_dialog";
pub const PROBE_CLIENT_ID: &str = "SELECT id FROM messages WHERE author_id = $1 AND client_id = $2";
q!(SELECT_MESSAGE, "SELECT ", MESSAGE_COLS, " FROM messages WHERE id = $1");
q!(SELECT_MESSAGE_BY_CLIENT_ID, "SELECT ", MESSAGE_COLS, " FROM messages WHERE author_id = $1 AND client_id = $2");
q!(SELECT_DIALOG, "SELECT ", DIALOG_COLS, " FROM dialogs WHERE workspace_id = $1 AND id = $2");
pub const SELECT_OPEN_DIALOG_OF_VISITOR: &str =
    "SELECT id FROM dialogs WHERE workspace_id = $1 AND visitor_id = $2 AND status = 'open'";
pub const NEXT_DIALOG_NUMBER: &str =
    "UPDATE workspaces SET next_dialog_number = next_dialog_number + 1 WHERE id = $1 RETURNING next_dialog_number";
/// A second open dialog of the same visitor is refused by the partial unique index; the
/// writer then appends to the one that won.
pub const INSERT_DIALOG: &str = "INSERT INTO dialogs (id, workspace_id, number, channel_id, visitor_id, status, last_seq, \
     unread_count, operator_read_seq, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, 'open', 0, 0, 0, $6, $6) ON CONFLICT DO NOTHING";
q!(
    /// Takes the next `seq` of an open dialog. The conditional `status = 'open'` is what makes
    /// a message racing a close lose cleanly. A visitor message raises the unread count; an
    /// operator's reply means the operators have read everything before it.
    APPEND_TO_DIALOG, "UPDATE dialogs SET last_seq = last_seq + 1, \
     unread_count = CASE WHEN $2 = 'visitor' THEN unread_count + 1 ELSE 0 END, \
     operator_read_seq = CASE WHEN $2 = 'operator' THEN last_seq + 1 ELSE operator_read_seq END, \
     last_author_kind = $2, last_preview = $3, last_message_at = $4, updated_at = $4 \
     WHERE workspace_id = $5 AND id = $1 AND status = 'open' RETURNING ", DIALOG_COLS);
pub const INSERT_MESSAGE: &str = "INSERT INTO messages (id, workspace_id, dialog_id, seq, client_id, author_kind, author_id, \
     author_name, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
q!(
    SELECT_DIALOGS_FIRST,
    "SELECT ",
    DIALOG_COLS,
    " FROM dialogs WHERE workspace_id = $1 AND ($2 = '' OR status = $2) \
     AND ($4 OR channel_id IN (SELECT channel_id FROM channel_members WHERE operator_id = $5)) \
     ORDER BY updated_at DESC, id DESC LIMIT $3"
);
q!(
    SELECT_DIALOGS_AFTER,
    "SELECT ",
    DIALOG_COLS,
    " FROM dialogs WHERE workspace_id = $1 AND ($2 = '' OR status = $2) \
     AND (updated_at < $4 OR (updated_at = $4 AND id < $5)) \
     AND ($6 OR channel_id IN (SELECT channel_id FROM channel_members WHERE operator_id = $7)) \
     ORDER BY updated_at DESC, id DESC LIMIT $3"
);
q!(
    SELECT_LATEST_DIALOG_OF_VISITOR,
    "SELECT ",
    DIALOG_COLS,
    " FROM dialogs WHERE workspace_id = $1 AND visitor_id = $2 \
     ORDER BY created_at DESC, id DESC LIMIT 1"
);
q!(
    SELECT_MESSAGES,
    "SELECT ",
    MESSAGE_COLS,
    " FROM messages WHERE workspace_id = $1 AND dialog_id = $2 AND seq > $3 \
     ORDER BY seq LIMIT $4"
);
q!(
    /// Only moves forward: reading an older `seq` after a newer one changes nothing.
    MARK_READ, "UPDATE dialogs SET operator_read_seq = $3, unread_count = \
     (SELECT COUNT(*) FROM messages m WHERE m.dialog_id = dialogs.id AND m.seq > $3 AND m.author_kind = 'visitor') \
     WHERE workspace_id = $1 AND id = $2 AND operator_read_seq < $3 AND $3 <= last_seq RETURNING ", DIALOG_COLS);
q!(
    CLOSE_DIALOG,
    "UPDATE dialogs SET status = 'closed', closed_at = $3, updated_at = $3 \
     WHERE workspace_id = $1 AND id = $2 AND status = 'open' RETURNING ",
    DIALOG_COLS
);

// Migrations bookkeeping.
pub const CREATE_MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS frontline_migrations \
     (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
pub const SELECT_MIGRATIONS: &str = "SELECT version, name FROM frontline_migrations ORDER BY version";
pub const INSERT_MIGRATION: &str = "INSERT INTO frontline_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
