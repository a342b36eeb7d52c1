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
