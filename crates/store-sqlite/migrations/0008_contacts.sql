-- Issue 13: contacts that are not website visitors. A Telegram chat or an e-mail address has
-- no site and no widget token, so both columns may now be empty (a widget visitor still has
-- both; the widget code sets them). SQLite cannot drop a NOT NULL with ALTER TABLE, and
-- rebuilding the table would renumber the rowids its contentless full-text index points at,
-- so the declaration is edited in place: removing a NOT NULL changes nothing on disk (the
-- documented "other schema changes" procedure). The runner bumps the schema cookie after this
-- migration, in the same transaction, so every connection reads the new declaration.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(replace(sql,
       'site_id BLOB NOT NULL REFERENCES sites (id)', 'site_id BLOB REFERENCES sites (id)'),
       'token_hash BLOB NOT NULL UNIQUE', 'token_hash BLOB UNIQUE')
 WHERE type = 'table' AND name = 'visitors';
PRAGMA writable_schema = OFF;
