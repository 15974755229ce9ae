-- Issue 16: segments, saved filters over visitors' attributes, events, tags and last visit.
-- `filter` is the JSON of `frontline_domain::segments::SegmentFilter`.
CREATE TABLE segments (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    filter TEXT NOT NULL,
    created_by UUID NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX segments_by_name ON segments (workspace_id, name);

-- "Seen within N days" reads a range of this index.
CREATE INDEX visitors_by_last_seen ON visitors (workspace_id, last_seen_at);
