-- Issue 11: operators deactivated (not deleted: their history stays), sessions with an idle
-- time and where they came from, and the audit log of admin actions and failed sign-ins.
ALTER TABLE operators ADD COLUMN deactivated_at BIGINT;

ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN ip TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
UPDATE sessions SET last_seen_at = created_at;
CREATE INDEX sessions_by_operator ON sessions (operator_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Who did what, when, from where. Never a secret: no passwords, tokens or hashes.
-- workspace_id is NULL for what belongs to no workspace (a sign-in with an unknown e-mail).
CREATE TABLE audit_log (
    id UUID PRIMARY KEY,
    workspace_id UUID REFERENCES workspaces (id),
    at BIGINT NOT NULL,
    actor_id UUID,
    actor_name TEXT,
    action TEXT NOT NULL,
    target_id UUID,
    target_name TEXT,
    ip TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_workspace ON audit_log (workspace_id, at DESC, id DESC);
