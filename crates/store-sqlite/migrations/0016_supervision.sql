-- Issue 17: the quality guard, the visitor's tone, and the reports' rollups.

-- The guard as admins set it (`doc`: the checked GuardDoc as JSON).
CREATE TABLE guard_settings (
    workspace_id BLOB PRIMARY KEY REFERENCES workspaces (id),
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- What the guard found in messages operators sent or tried to send: `action` is `warned`
-- (sent with a warning), `blocked` (refused) or `overridden` (sent past a block, with a reason).
CREATE TABLE guard_hits (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL,
    operator_id BLOB NOT NULL,
    dialog_id BLOB NOT NULL,
    channel_id BLOB NOT NULL,
    rule TEXT NOT NULL,
    action TEXT NOT NULL,
    reason TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX guard_hits_by_time ON guard_hits (workspace_id, at);

-- How upset the visitor's messages read: 0 calm to 3 (capitals, "!!!", abuse), the highest
-- of the dialog.
ALTER TABLE dialogs ADD COLUMN tone INTEGER NOT NULL DEFAULT 0;

-- Reports are rollups kept from the event log. Per workspace: the zone its days are counted
-- in and how far into the log the rollups are.
CREATE TABLE report_state (
    workspace_id BLOB PRIMARY KEY REFERENCES workspaces (id),
    time_zone TEXT NOT NULL,
    cursor INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);

-- What the rollups need to remember of each dialog between its events.
CREATE TABLE report_dialogs (
    dialog_id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL,
    channel_id BLOB NOT NULL,
    operator_id BLOB,
    created_at INTEGER NOT NULL,
    first_visitor_at INTEGER,
    first_reply_at INTEGER,
    waiting_since INTEGER,
    closed_at INTEGER
);

-- And of each operator: since when he is online, his load and capacity since the last change.
CREATE TABLE report_operators (
    operator_id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL,
    online_since INTEGER,
    load INTEGER NOT NULL DEFAULT 0,
    capacity INTEGER NOT NULL DEFAULT 0,
    since INTEGER NOT NULL
);

-- The figures of a day (in the workspace's zone, days since 1970-01-01), a channel and an
-- operator (the nil id for none). `figures` is JSON: counters, sums and histograms.
CREATE TABLE report_days (
    workspace_id BLOB NOT NULL,
    day INTEGER NOT NULL,
    channel_id BLOB NOT NULL,
    operator_id BLOB NOT NULL,
    figures TEXT NOT NULL,
    PRIMARY KEY (workspace_id, day, channel_id, operator_id)
);

-- The live board: each channel's queue counted and its oldest found without reading the rest,
-- and the dialogs whose resolution is due soon.
CREATE INDEX dialogs_queue_board ON dialogs (workspace_id, channel_id, queued_at)
    WHERE status = 'open' AND assignee_id IS NULL;
CREATE INDEX dialogs_open_by_resolve_due ON dialogs (workspace_id, sla_resolve_due_at) WHERE status = 'open';
-- The list's "upset visitors first" order.
CREATE INDEX dialogs_open_by_tone ON dialogs (workspace_id, tone DESC, updated_at DESC) WHERE status = 'open';
