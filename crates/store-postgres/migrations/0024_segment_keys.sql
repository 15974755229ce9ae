-- Issue 16: a segment reads a rule's set on the by-tag and by-name indexes. They hold the
-- visitor, and the by-name index the last time and the count too, so the set is read from the
-- index alone (an index-only scan) once the table is vacuumed. (SQLite's same migration keeps
-- the two tables in their keys' order.)
DROP INDEX visitor_tags_by_tag;
CREATE INDEX visitor_tags_by_tag ON visitor_tags (workspace_id, tag) INCLUDE (visitor_id);
DROP INDEX visitor_event_counts_by_name;
CREATE INDEX visitor_event_counts_by_name ON visitor_event_counts (workspace_id, name, last_at) INCLUDE (count, visitor_id);
