-- Issue 14: Telegram bots. A bot belongs to one workspace (its token delivers updates to one
-- consumer only, so a bot is connected once in the whole install); its token is sealed with
-- the install's key (core::sealing); `settings` holds its topics, questions and texts.
CREATE TABLE telegram_bots (
    id UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces (id),
    telegram_id BIGINT NOT NULL UNIQUE,
    username TEXT NOT NULL,
    name TEXT NOT NULL,
    token_sealed TEXT NOT NULL,
    channel_id UUID NOT NULL REFERENCES channels (id),
    settings TEXT NOT NULL DEFAULT '{}',
    -- Set: updates arrive by webhook with this secret; empty: the bot is polled.
    webhook_secret TEXT,
    update_offset BIGINT NOT NULL DEFAULT 0,
    -- Which node polls the bot, until when (a lease: one poller at a time).
    poller UUID,
    poll_until BIGINT,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX telegram_bots_by_workspace ON telegram_bots (workspace_id);

-- Every update as it came, recorded under its id before the webhook answers or the poll moves
-- on (Telegram's resends change nothing), then handled in order.
CREATE TABLE telegram_updates (
    bot_id UUID NOT NULL REFERENCES telegram_bots (id) ON DELETE CASCADE,
    update_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    handled_at BIGINT,
    PRIMARY KEY (bot_id, update_id)
);
CREATE INDEX telegram_updates_pending ON telegram_updates (bot_id, update_id) WHERE handled_at IS NULL;

-- A chat with a bot: where its conversation stands (the bot's questions, or an operator's
-- dialog), and whether the person can still be reached.
CREATE TABLE telegram_chats (
    bot_id UUID NOT NULL REFERENCES telegram_bots (id) ON DELETE CASCADE,
    chat_id BIGINT NOT NULL,
    visitor_id UUID NOT NULL REFERENCES visitors (id),
    stage TEXT NOT NULL,
    topic TEXT,
    question BIGINT NOT NULL DEFAULT 0,
    answers TEXT NOT NULL DEFAULT '[]',
    stage_at BIGINT NOT NULL,
    username TEXT,
    language TEXT,
    unreachable_at BIGINT,
    PRIMARY KEY (bot_id, chat_id)
);
CREATE INDEX telegram_chats_by_visitor ON telegram_chats (visitor_id);
