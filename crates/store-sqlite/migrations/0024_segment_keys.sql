-- Issue 16: a segment probes each visitor in his tags and event counters on their keys, and
-- reads a rule's set on the by-tag and by-name indexes. As rowid tables each probe was two
-- searches (the key's index, then the row), and the set of "did X within N days" read every
-- counter of X. Kept in their keys' order (WITHOUT ROWID), a probe is one search, the by-tag
-- index holds the visitor (its key), and the by-name index holds the last time and the count,
-- so a set is one range of one index. A mixed segment's count over 1,000,000 visitors: 225 →
-- 110 ms (docs/bench.md).
CREATE TABLE visitor_tags_new (
    workspace_id BLOB NOT NULL,
    visitor_id BLOB NOT NULL,
    tag TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (visitor_id, tag)
) WITHOUT ROWID;
INSERT INTO visitor_tags_new (workspace_id, visitor_id, tag, added_at)
SELECT workspace_id, visitor_id, tag, added_at FROM visitor_tags;
DROP TABLE visitor_tags;
ALTER TABLE visitor_tags_new RENAME TO visitor_tags;
CREATE INDEX visitor_tags_by_tag ON visitor_tags (workspace_id, tag);

CREATE TABLE visitor_event_counts_new (
    workspace_id BLOB NOT NULL,
    visitor_id BLOB NOT NULL,
    name TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    PRIMARY KEY (visitor_id, name)
) WITHOUT ROWID;
INSERT INTO visitor_event_counts_new (workspace_id, visitor_id, name, count, first_at, last_at)
SELECT workspace_id, visitor_id, name, count, first_at, last_at FROM visitor_event_counts;
DROP TABLE visitor_event_counts;
ALTER TABLE visitor_event_counts_new RENAME TO visitor_event_counts;
CREATE INDEX visitor_event_counts_by_name ON visitor_event_counts (workspace_id, name, last_at, count);
