-- Issue 5: business hours, SLA, auto-close, proactive messages, offline requests.
-- A channel's automation document (JSON, checked by the domain before it is written; '{}'
-- means every default).
ALTER TABLE channels ADD COLUMN automation TEXT NOT NULL DEFAULT '{}';

-- How the dialog began: 'visitor', 'proactive' (he answered a trigger) or 'offline' (the form).
ALTER TABLE dialogs ADD COLUMN origin TEXT NOT NULL DEFAULT 'visitor';
ALTER TABLE dialogs ADD COLUMN trigger_id UUID;
ALTER TABLE dialogs ADD COLUMN trigger_name TEXT;
-- SLA: the first operator reply; the reply due while the visitor waits; the resolution due.
-- A breached flag turns true once per due time (the scheduler's claim).
ALTER TABLE dialogs ADD COLUMN first_reply_at BIGINT;
ALTER TABLE dialogs ADD COLUMN sla_reply_due_at BIGINT;
ALTER TABLE dialogs ADD COLUMN sla_reply_breached BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dialogs ADD COLUMN sla_resolve_due_at BIGINT;
ALTER TABLE dialogs ADD COLUMN sla_resolve_breached BOOLEAN NOT NULL DEFAULT FALSE;
-- Auto-close: when, what ('prompt' or 'close'), and the hold phrase that made it later.
ALTER TABLE dialogs ADD COLUMN auto_close_at BIGINT;
ALTER TABLE dialogs ADD COLUMN auto_close_action TEXT;
ALTER TABLE dialogs ADD COLUMN auto_close_hold TEXT;

CREATE INDEX dialogs_reply_due ON dialogs (sla_reply_due_at)
    WHERE status = 'open' AND sla_reply_due_at IS NOT NULL AND NOT sla_reply_breached;
CREATE INDEX dialogs_resolve_due ON dialogs (sla_resolve_due_at)
    WHERE status = 'open' AND sla_resolve_due_at IS NOT NULL AND NOT sla_resolve_breached;
CREATE INDEX dialogs_auto_close ON dialogs (auto_close_at) WHERE auto_close_at IS NOT NULL;
CREATE INDEX dialogs_open_by_due ON dialogs (workspace_id, sla_reply_due_at) WHERE status = 'open';

-- Every SLA target missed, once per dialog, target and due time.
CREATE TABLE sla_breaches (
    dialog_id UUID NOT NULL REFERENCES dialogs (id),
    target TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    breached_at BIGINT NOT NULL,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    channel_id UUID NOT NULL,
    assignee_id UUID,
    PRIMARY KEY (dialog_id, target, due_at)
);
CREATE INDEX sla_breaches_by_workspace ON sla_breaches (workspace_id, breached_at);

-- Proactive messages.
CREATE TABLE proactive_triggers (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    message TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    time_on_site_seconds BIGINT NOT NULL,
    conditions TEXT NOT NULL,
    period_hours BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX proactive_triggers_by_workspace ON proactive_triggers (workspace_id, created_at);
-- When a visitor last saw each trigger (once per period).
CREATE TABLE trigger_views (
    visitor_id UUID NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
    trigger_id UUID NOT NULL REFERENCES proactive_triggers (id) ON DELETE CASCADE,
    shown_at BIGINT NOT NULL,
    PRIMARY KEY (visitor_id, trigger_id)
);
