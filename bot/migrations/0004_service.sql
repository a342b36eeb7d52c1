-- Service opportunities: posts on the service board, who volunteered or waits for a place, and who served.

-- One row per occurrence. A weekly series links occurrences through previous_id/next_id.
CREATE TABLE service_opportunities (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    poster_user_id    INTEGER NOT NULL,
    title             TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    starts_at         TEXT    NOT NULL,          -- ISO-8601 UTC
    ends_at           TEXT    NOT NULL,          -- starts_at + duration, kept for range queries
    duration_minutes  INTEGER NOT NULL,
    slots             INTEGER NOT NULL CHECK (slots BETWEEN 1 AND 50),
    recurrence        TEXT    NOT NULL DEFAULT 'none',   -- none | weekly
    zone              TEXT    NOT NULL,          -- poster's IANA zone: repeats keep its wall-clock time
    status            TEXT    NOT NULL DEFAULT 'open',   -- open | cancelled | completed | passed
    channel_id        INTEGER,                   -- board channel and message carrying the buttons
    message_id        INTEGER,
    thread_id         INTEGER,                   -- public thread on the board message, made on first need
    previous_id       INTEGER,
    next_id           INTEGER,                   -- set once, so a series never spawns twice
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    closed_at         TEXT
);
CREATE INDEX service_opportunities_open ON service_opportunities (guild_id, status, starts_at);
CREATE INDEX service_opportunities_poster ON service_opportunities (poster_user_id);

-- Volunteers and the waitlist in one table, so "is there a slot?" and "take it" are one transaction.
-- id gives arrival order: the waitlist is first come, first served.
CREATE TABLE service_signups (
    id              INTEGER PRIMARY KEY,
    opportunity_id  INTEGER NOT NULL REFERENCES service_opportunities (id) ON DELETE CASCADE,
    guild_id        INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    status          TEXT    NOT NULL,            -- volunteer | waitlist
    reminders       INTEGER NOT NULL DEFAULT 1,  -- 0 = the member turned reminders off for this one
    created_at      TEXT    NOT NULL,
    promoted_at     TEXT,
    UNIQUE (opportunity_id, user_id)
);
CREATE INDEX service_signups_user ON service_signups (user_id);

-- A member's private record of times they served, confirmed by the organiser. Title and time are
-- copied so the member's own history survives if the post is later erased with its poster's data.
CREATE TABLE service_history (
    opportunity_id  INTEGER NOT NULL,
    guild_id        INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    title           TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    served_at       TEXT    NOT NULL,
    confirmed_at    TEXT    NOT NULL,
    PRIMARY KEY (opportunity_id, user_id)
);
CREATE INDEX service_history_user ON service_history (user_id, served_at);
