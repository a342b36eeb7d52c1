-- First-30-days support: a member's consent, the parts they chose, their rhythm, and what they tried.

-- One row per member who was offered the support (or asked for it). Private to the member; moderators
-- see only how many members in their server have it on, never who.
CREATE TABLE newcomer_support (
    user_id        INTEGER PRIMARY KEY,
    guild_id       INTEGER,                       -- the server it was offered in (NULL: from a DM)
    status         TEXT    NOT NULL,              -- offered | on | declined | off | ended
    parts          TEXT    NOT NULL DEFAULT '',   -- comma list of the parts chosen (checkins, milestones)
    start_on       TEXT,                          -- day 1 of the 30, the member's local date
    checkin_time   TEXT    NOT NULL DEFAULT '19:00',
    timezone       TEXT    NOT NULL DEFAULT 'UTC',
    prompts_sent   INTEGER NOT NULL DEFAULT 0,
    notes_sent     INTEGER NOT NULL DEFAULT 0,    -- milestone congratulations delivered
    slips          INTEGER NOT NULL DEFAULT 0,
    offered_at     TEXT    NOT NULL,
    decided_at     TEXT,
    ended_at       TEXT,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX newcomer_support_guild ON newcomer_support (guild_id, status);

-- A buddy member may offer to walk alongside members in their first 30 days.
ALTER TABLE buddy_members ADD COLUMN newcomer_mentor INTEGER NOT NULL DEFAULT 0;

-- A member in their first 30 days asked for a buddy now: waiting for a free mentor, then paired, until
-- either asks to change or the 30 days end. A member has at most one open request per server.
CREATE TABLE newcomer_pairs (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,          -- the member in their first 30 days
    mentor_user_id  INTEGER,                   -- NULL while waiting
    status          TEXT    NOT NULL,          -- waiting | paired | ended
    told_waiting    INTEGER NOT NULL DEFAULT 0,
    thread_id       INTEGER,
    asked_at        TEXT    NOT NULL,
    paired_at       TEXT,
    ended_at        TEXT
);
CREATE UNIQUE INDEX newcomer_pairs_open ON newcomer_pairs (guild_id, user_id) WHERE status IN ('waiting', 'paired');
CREATE INDEX newcomer_pairs_mentor ON newcomer_pairs (guild_id, mentor_user_id, status);

-- Room series a host marked newcomer-friendly; members in their first 30 days who asked hear about them.
CREATE TABLE newcomer_rooms (
    series_id  INTEGER PRIMARY KEY REFERENCES room_series (id) ON DELETE CASCADE,
    guild_id   INTEGER NOT NULL,
    marked_at  TEXT    NOT NULL
);

-- How the member would like to be welcomed by the service rota: 'dm' (a volunteer writes) or 'thread'
-- (a volunteer says hello in their buddy thread); NULL until they choose.
ALTER TABLE newcomer_support ADD COLUMN welcome_how TEXT;
-- Where the welcome stands: waiting (for a volunteer on shift) | greeted | missed (none came that week).
ALTER TABLE newcomer_support ADD COLUMN welcome_status TEXT;
