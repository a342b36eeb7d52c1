-- Check-ins, daily reminder settings and the recovery-date counter: private member records.

-- One row per check-in. local_date is the member's own calendar day when they checked in, so
-- streaks and "already checked in today" never depend on UTC midnight.
CREATE TABLE checkins (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER,                   -- server it was made in (NULL only for data imported without one)
    user_id     INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,          -- ISO-8601 UTC
    local_date  TEXT    NOT NULL,          -- YYYY-MM-DD in the member's time zone
    mood        INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
    craving     INTEGER NOT NULL CHECK (craving BETWEEN 0 AND 10),
    note        TEXT    CHECK (note IS NULL OR length(note) <= 1000),
    triggers    TEXT    NOT NULL DEFAULT '',   -- comma-separated names from the fixed list
    shared      TEXT    NOT NULL DEFAULT 'no'  -- no | anonymously | with my name
);
CREATE INDEX checkins_user_day ON checkins (user_id, local_date);

-- A member's daily reminder (one per member; it follows them across servers).
CREATE TABLE checkin_reminders (
    user_id       INTEGER PRIMARY KEY,
    guild_id      INTEGER,                 -- server the reminder's check-ins are recorded in
    local_time    TEXT    NOT NULL,        -- HH:MM wall-clock time in `timezone`
    timezone      TEXT    NOT NULL,        -- IANA name
    weekdays      TEXT    NOT NULL DEFAULT '0123456',  -- 0 = Monday
    enabled       INTEGER NOT NULL DEFAULT 1,
    paused_until  TEXT,                    -- YYYY-MM-DD: local days before this are skipped
    weekly        INTEGER NOT NULL DEFAULT 0,          -- weekly reflection DM opt-in
    updated_at    TEXT    NOT NULL
);

-- The recovery-date counter. A slip moves stretch_start and adds the finished stretch to prior_days;
-- journey_start is kept.
CREATE TABLE recovery_dates (
    user_id             INTEGER PRIMARY KEY,
    journey_start       TEXT    NOT NULL,  -- YYYY-MM-DD
    stretch_start       TEXT    NOT NULL,  -- YYYY-MM-DD
    prior_days          INTEGER NOT NULL DEFAULT 0,
    celebrate           INTEGER NOT NULL DEFAULT 0,   -- post milestones in the share channel
    celebrate_guild_id  INTEGER,           -- the server whose share channel gets celebrations
    updated_at          TEXT    NOT NULL
);
