-- Issue 15: replies mailed to a visitor who left, and the mail a person sent, kept whole.

-- How long an operator's reply may stay unseen in the widget before it is mailed to the
-- visitor (0: never).
ALTER TABLE mail_settings ADD COLUMN followup_ms INTEGER NOT NULL DEFAULT 120000;

-- The last follow-up mail of a dialog: the messages up to `covered_seq` went in it, so a later
-- job of the same window finds nothing new to send.
CREATE TABLE mail_followups (
    dialog_id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL,
    covered_seq INTEGER NOT NULL,
    sent_at INTEGER NOT NULL
);

-- A person's mail as it came (headers and all), for operators to look at: one per message
-- made of a mail.
CREATE TABLE mail_originals (
    message_id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL,
    dialog_id BLOB NOT NULL,
    raw BLOB NOT NULL,
    truncated BOOLEAN NOT NULL DEFAULT FALSE,
    at INTEGER NOT NULL
);
