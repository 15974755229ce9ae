-- Issue 14: a message its author edited where he wrote it (Telegram's edited_message). The
-- message shows the new text with the time of the last edit; each earlier text is kept in
-- message_edits for operators.
ALTER TABLE messages ADD COLUMN edited_at INTEGER;

CREATE TABLE message_edits (
    message_id BLOB NOT NULL,
    workspace_id BLOB NOT NULL,
    -- 1 for the first text, 2 for the second…
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    replaced_at INTEGER NOT NULL,
    PRIMARY KEY (message_id, version)
);

-- Search follows the text (the index holds only non-empty bodies).
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) SELECT 'delete', old.rowid, old.body WHERE old.body <> '';
    INSERT INTO messages_fts (rowid, body) SELECT new.rowid, new.body WHERE new.body <> '';
END;
