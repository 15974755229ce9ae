-- Issue 15: escalation forms, the forms sent into dialogs, and the tickets a filled one makes.

-- A form as admins define it (`document`: the checked FormDoc as JSON).
CREATE TABLE escalation_forms (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    document TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX escalation_forms_by_workspace ON escalation_forms (workspace_id);

-- A form sent into a dialog: the form as it was then, and once filled, the answers.
CREATE TABLE form_requests (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL,
    dialog_id BLOB NOT NULL,
    form_id BLOB NOT NULL,
    form TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'sent',
    answers TEXT,
    sent_by BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    submitted_at INTEGER
);
CREATE INDEX form_requests_by_dialog ON form_requests (dialog_id);

-- Tickets: a filled form makes two, linked: the department's (mailed to it) and the client's.
-- Numbers count up per workspace.
CREATE TABLE tickets (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL,
    number INTEGER NOT NULL,
    dialog_id BLOB NOT NULL,
    visitor_id BLOB NOT NULL,
    request_id BLOB,
    side TEXT NOT NULL,
    linked_id BLOB,
    status TEXT NOT NULL DEFAULT 'open',
    subject TEXT NOT NULL,
    address TEXT NOT NULL,
    due_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, number)
);
CREATE INDEX tickets_by_dialog ON tickets (dialog_id);
CREATE INDEX tickets_by_status ON tickets (workspace_id, status, due_at);

-- What went and came by mail on a ticket.
CREATE TABLE ticket_entries (
    id BLOB PRIMARY KEY,
    ticket_id BLOB NOT NULL,
    workspace_id BLOB NOT NULL,
    direction TEXT NOT NULL,
    mail_id TEXT,
    text TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX ticket_entries_by_ticket ON ticket_entries (ticket_id, at);
