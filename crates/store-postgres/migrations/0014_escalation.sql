-- Issue 15: escalation forms, the forms sent into dialogs, and the tickets a filled one makes.

-- A form as admins define it (`document`: the checked FormDoc as JSON).
CREATE TABLE escalation_forms (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    document TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX escalation_forms_by_workspace ON escalation_forms (workspace_id);

-- A form sent into a dialog: the form as it was then, and once filled, the answers.
CREATE TABLE form_requests (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL,
    dialog_id UUID NOT NULL,
    form_id UUID NOT NULL,
    form TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'sent',
    answers TEXT,
    sent_by UUID NOT NULL,
    created_at BIGINT NOT NULL,
    submitted_at BIGINT
);
CREATE INDEX form_requests_by_dialog ON form_requests (dialog_id);

-- Tickets: a filled form makes two, linked: the department's (mailed to it) and the client's.
-- Numbers count up per workspace.
CREATE TABLE tickets (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL,
    number BIGINT NOT NULL,
    dialog_id UUID NOT NULL,
    visitor_id UUID NOT NULL,
    request_id UUID,
    side TEXT NOT NULL,
    linked_id UUID,
    status TEXT NOT NULL DEFAULT 'open',
    subject TEXT NOT NULL,
    address TEXT NOT NULL,
    due_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (workspace_id, number)
);
CREATE INDEX tickets_by_dialog ON tickets (dialog_id);
CREATE INDEX tickets_by_status ON tickets (workspace_id, status, due_at);

-- What went and came by mail on a ticket.
CREATE TABLE ticket_entries (
    id UUID PRIMARY KEY,
    ticket_id UUID NOT NULL,
    workspace_id UUID NOT NULL,
    direction TEXT NOT NULL,
    mail_id TEXT,
    text TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX ticket_entries_by_ticket ON ticket_entries (ticket_id, at);
