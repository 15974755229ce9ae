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
