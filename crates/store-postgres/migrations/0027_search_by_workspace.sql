-- Issue 18: nothing here. SQLite's full-text indexes gained the row's workspace as a token, so
-- a search there walks only its workspace's postings; PostgreSQL's searches already met their
-- aims at 1,000,000 dialogs (docs/bench.md). The version is kept so both backends number their
-- migrations alike.
SELECT 1;
