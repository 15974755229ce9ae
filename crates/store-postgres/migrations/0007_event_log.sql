-- Issue 13: the event log, the outbox, webhooks, and contacts that are not website visitors.

-- What happened, written in the same transaction as the change. `pos` orders the log (a
-- node catches up by it); `id` is the event's UUIDv7 as webhooks and sockets name it.
CREATE TABLE events (
    pos BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    workspace_id UUID NOT NULL,
    kind TEXT NOT NULL,
    dialog_id UUID,
    subject_id UUID,
    actor_kind TEXT NOT NULL,
    actor_id UUID,
    at BIGINT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_workspace ON events (workspace_id, pos);
CREATE INDEX events_by_time ON events (at);

-- Webhook endpoints of a workspace. The secret signs deliveries; after a rotation the
-- previous one stays valid until `previous_until` (both sign meanwhile).
CREATE TABLE webhook_endpoints (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    events TEXT NOT NULL DEFAULT '[]',
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_until BIGINT,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    disabled_reason TEXT,
    failing_since BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_by_workspace ON webhook_endpoints (workspace_id);

-- Which kinds each enabled endpoint receives: the outbox fan-out joins events to it.
CREATE TABLE webhook_subscriptions (
    workspace_id UUID NOT NULL,
    kind TEXT NOT NULL,
    endpoint_id UUID NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    PRIMARY KEY (workspace_id, kind, endpoint_id)
);

-- Outbound work, written with the change that causes it. Its key is (kind, target, event,
-- generation): the fan-out writes generation 0 once per endpoint and event, a replay the next.
-- A worker claims due rows under a lease (`claim`, `claimed_until`): a crash means the lease
-- runs out and the job is delivered again; a report with a claim that is no longer the row's
-- changes nothing. Jobs of one target and `order_key` (a dialog) go one at a time, oldest first.
CREATE TABLE outbox (
    pos BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id UUID NOT NULL,
    kind TEXT NOT NULL,
    target_id UUID NOT NULL,
    event_id UUID NOT NULL,
    event_kind TEXT NOT NULL,
    generation BIGINT NOT NULL DEFAULT 0,
    order_key UUID NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    due_at BIGINT NOT NULL,
    claim UUID,
    claimed_until BIGINT,
    body TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT,
    UNIQUE (kind, target_id, event_id, generation)
);
CREATE INDEX outbox_due ON outbox (due_at) WHERE status = 'pending';
CREATE INDEX outbox_in_order ON outbox (target_id, order_key, pos) WHERE status = 'pending';
CREATE INDEX outbox_by_target ON outbox (target_id, pos);
CREATE INDEX outbox_by_event ON outbox (event_id) WHERE status = 'pending';

-- Every delivery attempt, for the console's log.
CREATE TABLE outbox_attempts (
    job_pos BIGINT NOT NULL REFERENCES outbox (pos) ON DELETE CASCADE,
    attempt BIGINT NOT NULL,
    at BIGINT NOT NULL,
    status_code BIGINT,
    response_excerpt TEXT,
    latency_ms BIGINT,
    error TEXT,
    PRIMARY KEY (job_pos, attempt)
);

-- Where a contact came from: the widget of a site, a Telegram chat, an e-mail address; and
-- his id there (a chat id, an address). Website visitors keep their site.
ALTER TABLE visitors ADD COLUMN source TEXT NOT NULL DEFAULT 'widget';
ALTER TABLE visitors ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX visitors_by_external_id ON visitors (workspace_id, source, external_id)
    WHERE external_id IS NOT NULL;
