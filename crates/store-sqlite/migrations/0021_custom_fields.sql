-- Issue 16: custom fields admins define on dialogs or visitors. `options`: a JSON array (a
-- choice's); `required`: the JSON of `frontline_domain::fields::Required`. A dialog's values
-- are `dialogs.fields`; a visitor's are his attributes under the field's key.
CREATE TABLE custom_fields (
    id BLOB PRIMARY KEY,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    options TEXT NOT NULL,
    format TEXT NOT NULL,
    pattern TEXT,
    required TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    archived_at INTEGER
);
CREATE UNIQUE INDEX custom_fields_by_key ON custom_fields (workspace_id, target, key);

ALTER TABLE dialogs ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';

