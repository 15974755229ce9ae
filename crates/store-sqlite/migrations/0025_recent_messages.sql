-- Issue 18: nothing here. PostgreSQL's search gained an index on a workspace's messages in time
-- order; SQLite's full-text table keeps its rows in insertion order already, which is what its
-- search reads newest first. The version is kept so both backends number their migrations alike.
SELECT 1;
