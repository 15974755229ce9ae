-- Issue 16: visitors' attributes as rows, so a segment reads an attribute rule as a range of an
-- index instead of every visitor's JSON. Written in the same transaction as
-- `visitors.attributes`, which stays the visitor's own copy.
--
-- `kind` is 'text', 'number', 'true' or 'false'. `number` is a number's value, or the instant
-- (milliseconds since the epoch) a text reads as, so "within N days" is a range too.
CREATE TABLE visitor_attributes (
    visitor_id UUID NOT NULL,
    name TEXT NOT NULL,
    workspace_id UUID NOT NULL,
    kind TEXT NOT NULL,
    text TEXT,
    number DOUBLE PRECISION,
    PRIMARY KEY (visitor_id, name)
);
CREATE INDEX visitor_attributes_by_text ON visitor_attributes (workspace_id, name, kind, text) INCLUDE (visitor_id);
CREATE INDEX visitor_attributes_by_number ON visitor_attributes (workspace_id, name, kind, number) INCLUDE (visitor_id);

-- The attributes already kept. The server reads a date as RFC 3339 with an offset; a text that
-- does not read as one has no instant (the function never fails the migration).
CREATE FUNCTION frontline_instant_ms(t TEXT) RETURNS DOUBLE PRECISION LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF t !~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*(Z|[+-]\d{2}:\d{2})$' THEN
        RETURN NULL;
    END IF;
    RETURN round(extract(epoch FROM t::timestamptz) * 1000);
EXCEPTION WHEN others THEN
    RETURN NULL;
END;
$$;
INSERT INTO visitor_attributes (visitor_id, name, workspace_id, kind, text, number)
SELECT v.id, j.key, v.workspace_id,
       CASE jsonb_typeof(j.value) WHEN 'string' THEN 'text' WHEN 'boolean' THEN j.value::text ELSE 'number' END,
       CASE WHEN jsonb_typeof(j.value) = 'string' THEN j.value #>> '{}' END,
       CASE jsonb_typeof(j.value)
           WHEN 'number' THEN (j.value #>> '{}')::float8
           WHEN 'string' THEN frontline_instant_ms(j.value #>> '{}')
       END
FROM visitors v, jsonb_each(v.attributes::jsonb) j
WHERE v.attributes <> '{}' AND jsonb_typeof(j.value) IN ('string', 'number', 'boolean');
DROP FUNCTION frontline_instant_ms(TEXT);
