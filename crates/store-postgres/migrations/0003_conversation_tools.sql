-- Issue 4: attachments, notes with mentions, tags and categories, snooze, close and reopen,
-- rating, saved replies, the visitor card and search.
ALTER TABLE channels ADD COLUMN require_category BOOLEAN NOT NULL DEFAULT FALSE;
-- A visitor writing into a dialog closed less than this ago reopens it (0: never).
ALTER TABLE channels ADD COLUMN reopen_window_minutes BIGINT NOT NULL DEFAULT 60;

ALTER TABLE visitors ADD COLUMN email TEXT;
ALTER TABLE visitors ADD COLUMN phone TEXT;
-- The phone's digits alone, for search.
ALTER TABLE visitors ADD COLUMN phone_digits TEXT;
ALTER TABLE visitors ADD COLUMN last_seen_at BIGINT;

-- Pages the widget was opened on, newest kept (the visitor card shows the last ones).
CREATE TABLE visitor_pages (
    visitor_id UUID NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    url TEXT NOT NULL,
    title TEXT
);
CREATE INDEX visitor_pages_by_visitor ON visitor_pages (visitor_id, at DESC);

CREATE TABLE tags (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, name)
);
CREATE TABLE categories (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, name)
);
CREATE TABLE dialog_tags (
    dialog_id UUID NOT NULL REFERENCES dialogs (id),
    tag_id UUID NOT NULL REFERENCES tags (id),
    PRIMARY KEY (dialog_id, tag_id)
);
CREATE INDEX dialog_tags_by_tag ON dialog_tags (tag_id, dialog_id);

-- The dialog's tag ids as a JSON array, kept with `dialog_tags` in the same transaction, so a
-- list reads them without a join.
ALTER TABLE dialogs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE dialogs ADD COLUMN category_id UUID REFERENCES categories (id);
ALTER TABLE dialogs ADD COLUMN snoozed_until BIGINT;
ALTER TABLE dialogs ADD COLUMN close_reason TEXT CHECK (close_reason IN ('operator', 'auto'));
ALTER TABLE dialogs ADD COLUMN previous_dialog_id UUID;
ALTER TABLE dialogs ADD COLUMN visitor_read_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dialogs ADD COLUMN rating BIGINT CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE dialogs ADD COLUMN rating_comment TEXT;
ALTER TABLE dialogs ADD COLUMN rated_at BIGINT;
CREATE INDEX dialogs_snoozed ON dialogs (snoozed_until) WHERE snoozed_until IS NOT NULL;
-- The open list in its default order (longest waiting first), so a page is read off the index
-- instead of sorting every open dialog; it replaces the index of issue 3 that did not match
-- the order's expression. 9007199254740991 is `NOT_WAITING` (store/src/types.rs).
DROP INDEX dialogs_waiting;
CREATE INDEX dialogs_open_by_wait ON dialogs
    (workspace_id, COALESCE(waiting_since, 9007199254740991), updated_at DESC, id DESC) WHERE status = 'open';
-- The same order per assignee (an operator's own list, and the queue: `assignee_id IS NULL`);
-- it also counts an operator's active dialogs, which the index it replaces did.
DROP INDEX dialogs_open_by_assignee;
CREATE INDEX dialogs_open_by_assignee_wait ON dialogs
    (assignee_id, COALESCE(waiting_since, 9007199254740991), updated_at DESC, id DESC) WHERE status = 'open';

-- JSON arrays: the message's files ([{id, name, content_type, size}]) and mentioned operators.
ALTER TABLE messages ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN mentions TEXT NOT NULL DEFAULT '[]';

-- Uploaded files; `message_id` is set when a message takes them. The bytes live under the
-- data folder, named by id.
CREATE TABLE attachments (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    uploader_kind TEXT NOT NULL CHECK (uploader_kind IN ('visitor', 'operator')),
    uploader_id UUID NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    dialog_id UUID REFERENCES dialogs (id),
    message_id UUID
);
CREATE INDEX attachments_unsent ON attachments (created_at) WHERE message_id IS NULL;

CREATE TABLE saved_replies (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    scope TEXT NOT NULL CHECK (scope IN ('personal', 'channel', 'workspace')),
    owner_id UUID REFERENCES operators (id) ON DELETE CASCADE,
    channel_id UUID REFERENCES channels (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX saved_replies_by_workspace ON saved_replies (workspace_id, scope);

-- Full-text search. The `russian` configuration stems Cyrillic words with the Russian
-- stemmer and Latin ones with the English one, so both languages' word forms match.
CREATE INDEX messages_fts ON messages USING GIN (to_tsvector('russian', body));
CREATE INDEX visitors_fts ON visitors USING GIN (to_tsvector('simple',
    coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(phone_digits, '')));
