-- Issue 18: search looks through a workspace's newest messages first, in time order (see
-- search.rs): full text alone finds a common word's matches in any order, and sorting a
-- million of them by time took seconds.
CREATE INDEX messages_recent ON messages (workspace_id, created_at DESC);
