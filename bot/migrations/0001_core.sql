-- Core tables every feature stands on: migration bookkeeping, per-server settings, per-member preferences, durable timers, interests.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    applied_at  TEXT    NOT NULL
);

-- One row per (server, setting) that a moderator changed; absent rows mean "use the default".
CREATE TABLE guild_settings (
    guild_id    INTEGER NOT NULL,
    key         TEXT    NOT NULL,
    value       TEXT    NOT NULL,          -- JSON
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, key)
);

-- Personal preferences that follow a member across servers.
CREATE TABLE member_prefs (
    user_id             INTEGER PRIMARY KEY,
    timezone            TEXT,              -- IANA name, NULL = the server default
    region              TEXT,              -- hotline region, NULL = the server's
    dm_closed_at        TEXT,              -- when a DM to them last failed with 50007
    dm_closed_notified  INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT    NOT NULL
);

-- Durable timers: the database is the truth and the scheduler only wakes the dispatcher.
-- status: pending -> running -> done | failed | skipped. A row leaves 'pending' exactly once.
CREATE TABLE timers (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    due_at      TEXT    NOT NULL,          -- ISO-8601 UTC
    guild_id    INTEGER,
    user_id     INTEGER,
    dedupe_key  TEXT,                      -- at most one pending timer per key
    payload     TEXT    NOT NULL DEFAULT '{}',
    status      TEXT    NOT NULL DEFAULT 'pending',
    created_at  TEXT    NOT NULL,
    fired_at    TEXT
);
CREATE INDEX timers_pending_due ON timers (due_at) WHERE status = 'pending';
CREATE UNIQUE INDEX timers_pending_key ON timers (dedupe_key) WHERE status = 'pending' AND dedupe_key IS NOT NULL;
CREATE INDEX timers_user ON timers (user_id);

-- A server's interest catalogue (meditation, recovery yoga, ...), optionally linked to a role.
CREATE TABLE interests (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    name        TEXT    NOT NULL COLLATE NOCASE,
    role_id     INTEGER,
    created_at  TEXT    NOT NULL,
    UNIQUE (guild_id, name)
);

-- Which members follow which interests (used by rooms and by pairing).
CREATE TABLE member_interests (
    interest_id INTEGER NOT NULL REFERENCES interests (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    notify      INTEGER NOT NULL DEFAULT 0,   -- DM me when a room for this interest is scheduled
    PRIMARY KEY (interest_id, user_id)
);
CREATE INDEX member_interests_user ON member_interests (user_id);

-- Members who left a server; their data is kept until the retention period passes.
CREATE TABLE departures (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    left_at     TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
