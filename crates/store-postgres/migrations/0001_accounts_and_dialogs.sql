-- Workspaces, operators, sessions, channels, sites, visitors, dialogs and messages.
-- Ids are UUIDs, times are UTC milliseconds.
CREATE TABLE workspaces (
    id UUID PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    next_dialog_number BIGINT NOT NULL DEFAULT 0,
    next_visitor_number BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE operators (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator')),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, email)
);
CREATE INDEX operators_by_email ON operators (email);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    operator_id UUID NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE channels (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, name)
);
CREATE UNIQUE INDEX channels_one_default ON channels (workspace_id) WHERE is_default;

CREATE TABLE channel_members (
    channel_id UUID NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    operator_id UUID NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    PRIMARY KEY (channel_id, operator_id)
);

CREATE TABLE sites (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    allowed_origins TEXT NOT NULL,
    channel_id UUID NOT NULL REFERENCES channels (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE visitors (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    site_id UUID NOT NULL REFERENCES sites (id),
    number BIGINT NOT NULL,
    name TEXT,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, number)
);

CREATE TABLE dialogs (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    number BIGINT NOT NULL,
    channel_id UUID NOT NULL REFERENCES channels (id),
    visitor_id UUID NOT NULL REFERENCES visitors (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    last_seq BIGINT NOT NULL,
    unread_count BIGINT NOT NULL,
    operator_read_seq BIGINT NOT NULL,
    last_author_kind TEXT,
    last_preview TEXT,
    last_message_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT,
    UNIQUE (workspace_id, number)
);
CREATE UNIQUE INDEX dialogs_one_open_per_visitor ON dialogs (visitor_id) WHERE status = 'open';
CREATE INDEX dialogs_by_status ON dialogs (workspace_id, status, updated_at DESC, id DESC);
CREATE INDEX dialogs_by_activity ON dialogs (workspace_id, updated_at DESC, id DESC);
CREATE INDEX dialogs_by_visitor ON dialogs (visitor_id, created_at DESC);

CREATE TABLE messages (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    dialog_id UUID NOT NULL REFERENCES dialogs (id),
    seq BIGINT NOT NULL,
    client_id TEXT NOT NULL,
    author_kind TEXT NOT NULL CHECK (author_kind IN ('visitor', 'operator', 'system')),
    author_id UUID NOT NULL,
    author_name TEXT,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (dialog_id, seq),
    UNIQUE (author_id, client_id)
);
