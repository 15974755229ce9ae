-- Issue 16: complaints about visitors, and blocks.

-- An operator's complaint about the visitor of a dialog; admins block or dismiss it.
-- `reason`: spam, abuse or other. `status`: open, blocked or dismissed.
CREATE TABLE complaints (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    visitor_id UUID NOT NULL,
    dialog_id UUID NOT NULL,
    reason TEXT NOT NULL,
    comment TEXT,
    filed_by UUID NOT NULL,
    filed_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    decided_by UUID,
    decided_at BIGINT,
    note TEXT
);
CREATE INDEX complaints_by_status ON complaints (workspace_id, status, filed_at);
CREATE INDEX complaints_by_visitor ON complaints (visitor_id);

-- A blocked visitor (in every browser and channel he writes from) or address range; live while
-- `lifted_at` is empty.
CREATE TABLE blocks (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    visitor_id UUID,
    ip_range TEXT,
    reason TEXT NOT NULL,
    complaint_id UUID,
    blocked_by UUID NOT NULL,
    blocked_at BIGINT NOT NULL,
    lifted_by UUID,
    lifted_at BIGINT
);
CREATE INDEX blocks_live_by_visitor ON blocks (visitor_id) WHERE lifted_at IS NULL;
CREATE INDEX blocks_live_ranges ON blocks (workspace_id) WHERE lifted_at IS NULL AND ip_range IS NOT NULL;
CREATE INDEX blocks_by_time ON blocks (workspace_id, blocked_at);
