-- Issue 18: search filtered by workspace inside the full-text index, not after it. Both indexes
-- gain a column holding the row's workspace as one token, and a search ANDs
-- that token with the words, so FTS5 walks only the workspace's postings and skips the rest
-- with its doclist indexes. Before, a word common in one workspace was walked hit by hit, every
-- row read and thrown away, when another workspace searched for it.
--
-- The token is the workspace's id in hex behind U+E000, a private-use character: unicode61 keeps
-- it in the token, and no query word can hold it (a query's words are letters and digits). So no
-- word's prefix reaches the token: "01"* would otherwise expand to every workspace's token
-- (time-ordered ids all begin alike) and read every message's posting.
--
-- The token is a virtual generated column of `messages`, so the external-content index reads
-- it from the row like the text (for snippets), and nothing that writes messages changes.
-- Both indexes are built again here: on a large install this migration takes a while (at
-- 10,000,000 messages, see docs/bench.md and docs/operations.md).
ALTER TABLE messages ADD COLUMN search_workspace TEXT GENERATED ALWAYS AS (char(57344) || hex(workspace_id)) VIRTUAL;

DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(body, search_workspace, content='messages', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2');
-- Only non-empty texts are indexed, as before.
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.body <> '' BEGIN
    INSERT INTO messages_fts (rowid, body, search_workspace) VALUES (new.rowid, new.body, new.search_workspace);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, search_workspace)
        SELECT 'delete', old.rowid, old.body, old.search_workspace WHERE old.body <> '';
    INSERT INTO messages_fts (rowid, body, search_workspace)
        SELECT new.rowid, new.body, new.search_workspace WHERE new.body <> '';
END;
INSERT INTO messages_fts (rowid, body, search_workspace)
    SELECT rowid, body, search_workspace FROM messages WHERE body <> '';

DROP TRIGGER visitors_fts_insert;
DROP TRIGGER visitors_fts_update;
DROP TABLE visitors_fts;
CREATE VIRTUAL TABLE visitors_fts USING fts5(name, email, phone, phone_digits, search_workspace, content='',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER visitors_fts_insert AFTER INSERT ON visitors BEGIN
    INSERT INTO visitors_fts (rowid, name, email, phone, phone_digits, search_workspace)
    VALUES (new.rowid, new.name, new.email, new.phone, new.phone_digits, char(57344) || hex(new.workspace_id));
END;
CREATE TRIGGER visitors_fts_update AFTER UPDATE OF name, email, phone, phone_digits ON visitors BEGIN
    INSERT INTO visitors_fts (visitors_fts, rowid, name, email, phone, phone_digits, search_workspace)
    VALUES ('delete', old.rowid, old.name, old.email, old.phone, old.phone_digits, char(57344) || hex(old.workspace_id));
    INSERT INTO visitors_fts (rowid, name, email, phone, phone_digits, search_workspace)
    VALUES (new.rowid, new.name, new.email, new.phone, new.phone_digits, char(57344) || hex(new.workspace_id));
END;
INSERT INTO visitors_fts (rowid, name, email, phone, phone_digits, search_workspace)
    SELECT rowid, name, email, phone, phone_digits, char(57344) || hex(workspace_id) FROM visitors;
