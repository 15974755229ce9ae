-- Issue 3: channel modes and settings, operator capacity and presence, assignment and queue
-- state of dialogs, routing rules, and system lines (audience and event) in messages.
ALTER TABLE channels ADD COLUMN mode TEXT NOT NULL DEFAULT 'queue' CHECK (mode IN ('queue', 'auto'));
ALTER TABLE channels ADD COLUMN greeting TEXT NOT NULL DEFAULT 'Здравствуйте!';
ALTER TABLE channels ADD COLUMN wait_alert_seconds INTEGER NOT NULL DEFAULT 120;
ALTER TABLE channels ADD COLUMN offline_policy TEXT NOT NULL DEFAULT 'keep' CHECK (offline_policy IN ('keep', 'return'));

ALTER TABLE operators ADD COLUMN capacity INTEGER NOT NULL DEFAULT 4;
ALTER TABLE operators ADD COLUMN presence TEXT NOT NULL DEFAULT 'offline' CHECK (presence IN ('online', 'away', 'offline'));
-- Since when he has had no new dialog (his last assignment, or coming online): ties of the
-- auto-assign choice go to the one idle longest.
ALTER TABLE operators ADD COLUMN idle_since BIGINT NOT NULL DEFAULT 0;
-- The last heartbeat of one of his sockets, on any node; presence turns offline by itself
-- when it is older than the grace period.
ALTER TABLE operators ADD COLUMN seen_at BIGINT NOT NULL DEFAULT 0;

ALTER TABLE visitors ADD COLUMN page_url TEXT;
ALTER TABLE visitors ADD COLUMN language TEXT;
-- A JSON object of string values (city, …), as the site's page gives them.
ALTER TABLE visitors ADD COLUMN properties TEXT NOT NULL DEFAULT '{}';

ALTER TABLE dialogs ADD COLUMN assignee_id BLOB REFERENCES operators (id);
ALTER TABLE dialogs ADD COLUMN assigned_at BIGINT;
ALTER TABLE dialogs ADD COLUMN routed_by TEXT;
-- Visitor messages since the last operator reply, and when the first of them arrived.
ALTER TABLE dialogs ADD COLUMN pending_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dialogs ADD COLUMN waiting_since BIGINT;
-- When the dialog entered its channel's queue (null while assigned), and when the waiting
-- alert of this stay in the queue fired (null: not yet).
ALTER TABLE dialogs ADD COLUMN queued_at BIGINT;
ALTER TABLE dialogs ADD COLUMN wait_alerted_at BIGINT;
UPDATE dialogs SET queued_at = created_at WHERE status = 'open';
CREATE INDEX dialogs_open_by_assignee ON dialogs (assignee_id) WHERE status = 'open';
CREATE INDEX dialogs_queued ON dialogs (queued_at) WHERE status = 'open' AND assignee_id IS NULL;
CREATE INDEX dialogs_waiting ON dialogs (workspace_id, waiting_since, updated_at) WHERE status = 'open';

ALTER TABLE messages ADD COLUMN audience TEXT NOT NULL DEFAULT 'all' CHECK (audience IN ('all', 'operators'));
ALTER TABLE messages ADD COLUMN event TEXT;

CREATE TABLE routing_rules (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    channel_id BLOB NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    -- The conditions as JSON: [{"type": "url", "pattern": "…", "regex": false}, …].
    conditions TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, position)
);
