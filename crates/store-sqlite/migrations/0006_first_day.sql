-- Issue 12: automatic lines are not replies; an operator's own settings; a site's widget seen.
-- The kind of a line sent by itself ('greeting', 'prompt', 'proactive'); NULL when a person
-- wrote it.
ALTER TABLE messages ADD COLUMN automatic TEXT;

-- The console's language ('ru', 'en'; NULL: the browser's) and the nine pinned saved replies
-- of Ctrl+1..9 (a JSON array of nine ids or nulls).
ALTER TABLE operators ADD COLUMN language TEXT;
ALTER TABLE operators ADD COLUMN shortcuts TEXT NOT NULL DEFAULT '[]';

-- When and from which page's origin the site's widget last opened a session ("check
-- installation"); written at most every few minutes per node.
ALTER TABLE sites ADD COLUMN widget_seen_at BIGINT;
ALTER TABLE sites ADD COLUMN widget_seen_origin TEXT;
