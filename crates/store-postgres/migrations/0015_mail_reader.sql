-- Issue 15: one node reads a workspace's mailbox at a time (a lease, as Telegram's poller has).
ALTER TABLE mail_settings ADD COLUMN reader UUID;
ALTER TABLE mail_settings ADD COLUMN read_until BIGINT;
