-- Issue 16: an admin invites an operator by a link (mailed when the workspace's mail is set up);
-- only a SHA-256 of the link's token is kept. Pending while neither accepted, revoked nor
-- expired.
CREATE TABLE invitations (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_by BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    accepted_at INTEGER,
    operator_id BLOB,
    revoked_at INTEGER
);
CREATE INDEX invitations_by_workspace ON invitations (workspace_id, created_at);
