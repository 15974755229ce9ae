-- Issue 18: the queue (open, unassigned dialogs) in the list's default order, longest waiting
-- first. The open list's index, read with the unassigned filter, walked every assigned dialog
-- first whenever assigned ones had waited longest: the planner cannot know that assignment and
-- waiting go together (118 ms a page at 100,000 open dialogs; 0.1 ms with this index).
CREATE INDEX dialogs_queue_by_wait ON dialogs
    (workspace_id, COALESCE(waiting_since, 9007199254740991), updated_at DESC, id DESC)
    WHERE status = 'open' AND assignee_id IS NULL;
