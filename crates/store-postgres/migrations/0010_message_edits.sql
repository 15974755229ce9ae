-- Issue 14: a message its author edited where he wrote it (Telegram's edited_message). The
-- message shows the new text with the time of the last edit; each earlier text is kept in
-- message_edits for operators. (The search index is on an expression of the body and follows
-- it by itself.)
ALTER TABLE messages ADD COLUMN edited_at BIGINT;

CREATE TABLE message_edits (
    message_id UUID NOT NULL,
    workspace_id UUID NOT NULL,
    -- 1 for the first text, 2 for the second…
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    replaced_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, version)
);
