-- Issue 15: a workspace's mail setup. `document` holds the support address and the SMTP and
-- IMAP servers (JSON, no passwords); the passwords are sealed with the install's key
-- (core::sealing), bound to the workspace. Reading the mailbox stands at (uid_validity,
-- last_uid): nothing is read twice, nothing skipped after downtime.
CREATE TABLE mail_settings (
    workspace_id UUID PRIMARY KEY REFERENCES workspaces (id),
    document TEXT NOT NULL,
    smtp_password_sealed TEXT,
    imap_password_sealed TEXT,
    channel_id UUID NOT NULL REFERENCES channels (id),
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    uid_validity BIGINT NOT NULL DEFAULT 0,
    last_uid BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- The Message-IDs of a dialog's mail, both ways, in order: a reply threads with
-- In-Reply-To/References, and a mail whose References name one of them belongs to that dialog.
CREATE TABLE mail_threads (
    workspace_id UUID NOT NULL,
    dialog_id UUID NOT NULL,
    mail_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, mail_id)
);
CREATE INDEX mail_threads_dialog ON mail_threads (dialog_id, at);
