-- Issue 16: the Web API's keys, and what a site's backend tells about its users: typed
-- attributes, events and visitor tags.

-- Secret keys of the Web API, per workspace. Only a SHA-256 of a key is kept; `hint` is its
-- last four characters, so admins can tell keys apart. `scopes`: space-separated names.
CREATE TABLE api_keys (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_by UUID NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT,
    revoked_by UUID
);
CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, created_at);

-- What the site's backend (or page) says about the visitor, as a JSON object of strings,
-- numbers, booleans and dates (RFC 3339 strings under names ending in `_at`). Apart from
-- `properties`, which the widget replaces with each page's context.
ALTER TABLE visitors ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';

-- Visitor tags: lower-cased labels, unrelated to dialog tags.
CREATE TABLE visitor_tags (
    workspace_id UUID NOT NULL,
    visitor_id UUID NOT NULL,
    tag TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (visitor_id, tag)
);
CREATE INDEX visitor_tags_by_tag ON visitor_tags (workspace_id, tag);

-- Events a visitor did (`order_paid`…), newest kept for his timeline. `client_id` makes a
-- retried call count once.
CREATE TABLE visitor_events (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL,
    visitor_id UUID NOT NULL,
    name TEXT NOT NULL,
    properties TEXT NOT NULL,
    client_id TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX visitor_events_by_visitor ON visitor_events (visitor_id, at);
CREATE UNIQUE INDEX visitor_events_by_client_id ON visitor_events (visitor_id, client_id)
    WHERE client_id IS NOT NULL;

-- Per visitor and event name: how many times, first and last.
CREATE TABLE visitor_event_counts (
    workspace_id UUID NOT NULL,
    visitor_id UUID NOT NULL,
    name TEXT NOT NULL,
    count BIGINT NOT NULL,
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    PRIMARY KEY (visitor_id, name)
);
CREATE INDEX visitor_event_counts_by_name ON visitor_event_counts (workspace_id, name);

-- Identity of a site's users in the widget (`identify`): an HMAC-SHA256 of the user id under
-- the site's secret (sealed, made when an admin first asks for it) proves the site's backend
-- vouched for him. With `identity_required` an identify without a valid hash is refused.
ALTER TABLE sites ADD COLUMN identity_secret TEXT;
ALTER TABLE sites ADD COLUMN identity_required BOOLEAN NOT NULL DEFAULT TRUE;

-- Widget tokens of an identified visitor's further browsers (his first is visitors.token_hash),
-- each with the site it was opened on.
CREATE TABLE visitor_tokens (
    token_hash BYTEA PRIMARY KEY,
    workspace_id UUID NOT NULL,
    visitor_id UUID NOT NULL,
    site_id UUID NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX visitor_tokens_by_visitor ON visitor_tokens (visitor_id);
