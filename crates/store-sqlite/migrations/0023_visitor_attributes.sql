-- Issue 16: visitors' attributes as rows, so a segment reads an attribute rule as a range of an
-- index instead of every visitor's JSON. Written in the same transaction as
-- `visitors.attributes`, which stays the visitor's own copy.
--
-- `kind` is 'text', 'number', 'true' or 'false'. `number` is a number's value, or the instant
-- (milliseconds since the epoch) a text reads as, so "within N days" is a range too.
CREATE TABLE visitor_attributes (
    visitor_id BLOB NOT NULL,
    name TEXT NOT NULL,
    workspace_id BLOB NOT NULL,
    kind TEXT NOT NULL,
    text TEXT,
    number REAL,
    PRIMARY KEY (visitor_id, name)
) WITHOUT ROWID;
CREATE INDEX visitor_attributes_by_text ON visitor_attributes (workspace_id, name, kind, text);
CREATE INDEX visitor_attributes_by_number ON visitor_attributes (workspace_id, name, kind, number);

-- The attributes already kept. The server reads a date as RFC 3339 with an offset; the pattern
-- keeps SQLite's looser reading of dates to those.
INSERT INTO visitor_attributes (visitor_id, name, workspace_id, kind, text, number)
SELECT v.id, j.key, v.workspace_id,
       CASE j.type WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number' ELSE j.type END,
       CASE WHEN j.type = 'text' THEN j.value END,
       CASE
           WHEN j.type IN ('integer', 'real') THEN j.value
           WHEN j.type = 'text' AND j.value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]*'
                AND (j.value GLOB '*Z' OR j.value GLOB '*[+-][0-9][0-9]:[0-9][0-9]')
               THEN round(unixepoch(j.value, 'subsec') * 1000)
       END
FROM visitors v, json_each(v.attributes) j
WHERE v.attributes <> '{}' AND j.type IN ('text', 'integer', 'real', 'true', 'false');
