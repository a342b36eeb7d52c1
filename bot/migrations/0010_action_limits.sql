-- Actions that reach other people (crisis-team requests, buddy notices, room and service posts), so per-member and per-server limits survive restarts and hold across processes.

-- One row per action taken; rows older than the longest limit window are pruned as new ones arrive.
CREATE TABLE action_log (
    id          INTEGER PRIMARY KEY,
    action      TEXT    NOT NULL,   -- bot.rate_limits.Action value
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    at          TEXT    NOT NULL    -- ISO-8601 UTC
);
CREATE INDEX action_log_server ON action_log (action, guild_id, at);
CREATE INDEX action_log_member ON action_log (action, guild_id, user_id, at);
