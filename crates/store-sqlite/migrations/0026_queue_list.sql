-- Issue 18: nothing here. PostgreSQL gained an index for the queue's list (open, unassigned,
-- longest waiting first), because its planner read the queue off the open list's index and
-- walked every assigned dialog first; SQLite's list reads stayed within their aims without it
-- (docs/bench.md), and every index here is one more to write on each message. The version is
-- kept so both backends number their migrations alike.
SELECT 1;
