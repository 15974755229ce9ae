-- Issue 15: mail to operators who are offline or away about dialogs given to them and notes
-- that mention them, gathered into one mail per few minutes.

ALTER TABLE operators ADD COLUMN notify_by_mail BOOLEAN NOT NULL DEFAULT TRUE;

-- How far each workspace's event log has been looked through for notices.
CREATE TABLE notice_cursors (
    workspace_id BLOB PRIMARY KEY,
    pos INTEGER NOT NULL
);

-- What an operator is to be told: one row per operator and event. A sender claims an
-- operator's unsent rows under a lease (`claimed_until`), mails them as one, and marks them
-- sent; a sender that dies leaves them to be claimed again when the lease runs out.
CREATE TABLE operator_notices (
    operator_id BLOB NOT NULL,
    event_id BLOB NOT NULL,
    workspace_id BLOB NOT NULL,
    kind TEXT NOT NULL,
    dialog_id BLOB NOT NULL,
    at INTEGER NOT NULL,
    claimed_until INTEGER,
    sent_at INTEGER,
    PRIMARY KEY (operator_id, event_id)
);
CREATE INDEX operator_notices_unsent ON operator_notices (at) WHERE sent_at IS NULL;
