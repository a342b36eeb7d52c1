-- Buddy pairing: who opted in and how, confidential do-not-pair lists, and each round's groups.

-- One row per member who ever opted in to pairing in a server. Interests live in member_interests
-- (the same list /interests uses); the time zone lives in member_prefs.
CREATE TABLE buddy_members (
    guild_id            INTEGER NOT NULL,
    user_id             INTEGER NOT NULL,
    status              TEXT    NOT NULL DEFAULT 'active',   -- active | left
    pathway             TEXT    NOT NULL DEFAULT 'any',
    experience          TEXT    NOT NULL DEFAULT 'steady',   -- new | steady | mentor
    wants               TEXT    NOT NULL DEFAULT 'either',   -- peer | mentor | either
    notify_hard_moments INTEGER NOT NULL DEFAULT 0,          -- /buddy notify on
    paused_until        TEXT,                                -- /buddy pause weeks:N
    auto_paused         INTEGER NOT NULL DEFAULT 0,          -- paused after three quiet rounds, until /buddy resume
    ignored_rounds      INTEGER NOT NULL DEFAULT 0,          -- quiet rounds in a row
    priority            INTEGER NOT NULL DEFAULT 0,          -- left without a buddy: first in line next round
    skip_round_at       TEXT,                                -- "Skip this round" for the round due at this time
    last_paired_at      TEXT,
    joined_at           TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX buddy_members_user ON buddy_members (user_id);

-- A member's confidential do-not-pair list. Nobody else is ever told about a row here.
CREATE TABLE buddy_avoid (
    guild_id         INTEGER NOT NULL,
    user_id          INTEGER NOT NULL,   -- the member who keeps the list
    avoided_user_id  INTEGER NOT NULL,   -- the member they never want to be paired with
    created_at       TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, avoided_user_id)
);

-- One row per round that ran. A scheduled round is unique per (server, time) so it can never run twice.
CREATE TABLE buddy_rounds (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    scheduled_for  TEXT,                 -- NULL for /buddy pair-now
    ran_at         TEXT    NOT NULL,
    ends_at        TEXT    NOT NULL,     -- when the next round is due
    seed           INTEGER NOT NULL,
    UNIQUE (guild_id, scheduled_for)
);
CREATE INDEX buddy_rounds_guild ON buddy_rounds (guild_id, id);

-- The groups (pairs, or one group of three) a round made.
CREATE TABLE buddy_groups (
    id          INTEGER PRIMARY KEY,
    round_id    INTEGER NOT NULL REFERENCES buddy_rounds (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    thread_id   INTEGER,                 -- the private thread, when one could be created
    status      TEXT    NOT NULL DEFAULT 'active',   -- active | ended | finished
    ended_at    TEXT
);
CREATE INDEX buddy_groups_round ON buddy_groups (round_id);

CREATE TABLE buddy_group_members (
    group_id     INTEGER NOT NULL REFERENCES buddy_groups (id) ON DELETE CASCADE,
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    left_at      TEXT,                   -- stepped away with /buddy end
    connected    TEXT,                   -- yes | not_yet | no, from "Did you connect?"
    answered_at  TEXT,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX buddy_group_members_user ON buddy_group_members (guild_id, user_id);
