-- Issue 16: an admin invites an operator by a link (mailed when the workspace's mail is set up);
-- only a SHA-256 of the link's token is kept. Pending while neither accepted, revoked nor
-- expired.
CREATE TABLE invitations (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    created_by UUID NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT,
    operator_id UUID,
    revoked_at BIGINT
);
CREATE INDEX invitations_by_workspace ON invitations (workspace_id, created_at);
