-- Workspaces, operators, sessions, channels, sites, visitors, dialogs and messages.
-- Ids are UUIDs (16-byte BLOBs here), times are UTC milliseconds.
CREATE TABLE workspaces (
    id BLOB PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    next_dialog_number INTEGER NOT NULL DEFAULT 0,
    next_visitor_number INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE operators (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, email)
);
CREATE INDEX operators_by_email ON operators (email);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    operator_id BLOB NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE channels (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);
CREATE UNIQUE INDEX channels_one_default ON channels (workspace_id) WHERE is_default;

CREATE TABLE channel_members (
    channel_id BLOB NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    operator_id BLOB NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    PRIMARY KEY (channel_id, operator_id)
);

CREATE TABLE sites (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    allowed_origins TEXT NOT NULL,
    channel_id BLOB NOT NULL REFERENCES channels (id),
    created_at INTEGER NOT NULL
);

CREATE TABLE visitors (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    site_id BLOB NOT NULL REFERENCES sites (id),
    number INTEGER NOT NULL,
    name TEXT,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, number)
);

CREATE TABLE dialogs (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    number INTEGER NOT NULL,
    channel_id BLOB NOT NULL REFERENCES channels (id),
    visitor_id BLOB NOT NULL REFERENCES visitors (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    last_seq INTEGER NOT NULL,
    unread_count INTEGER NOT NULL,
    operator_read_seq INTEGER NOT NULL,
    last_author_kind TEXT,
    last_preview TEXT,
    last_message_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER,
    UNIQUE (workspace_id, number)
);
CREATE UNIQUE INDEX dialogs_one_open_per_visitor ON dialogs (visitor_id) WHERE status = 'open';
CREATE INDEX dialogs_by_status ON dialogs (workspace_id, status, updated_at DESC, id DESC);
CREATE INDEX dialogs_by_activity ON dialogs (workspace_id, updated_at DESC, id DESC);
CREATE INDEX dialogs_by_visitor ON dialogs (visitor_id, created_at DESC);

CREATE TABLE messages (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    dialog_id BLOB NOT NULL REFERENCES dialogs (id),
    seq INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    author_kind TEXT NOT NULL CHECK (author_kind IN ('visitor', 'operator', 'system')),
    author_id BLOB NOT NULL,
    author_name TEXT,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (dialog_id, seq),
    UNIQUE (author_id, client_id)
);
