-- Issue 16: the install's owner suspends a workspace (`frontline workspace suspend`): its operators
-- cannot sign in and their sessions stop, its widget does not open, its Web API keys are refused.
ALTER TABLE workspaces ADD COLUMN suspended_at INTEGER;
