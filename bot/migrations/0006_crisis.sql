-- Crisis care: members' answer cooldown and mute, moderator alerts with claims, their audit trail, and per-server extra terms.

-- Personal state that follows a member across servers: when the bot last answered them, whether they said
-- "I'm OK", and whether they turned automatic answers off.
CREATE TABLE crisis_member_state (
    user_id             INTEGER PRIMARY KEY,
    muted               INTEGER NOT NULL DEFAULT 0,
    last_answer_at      TEXT,
    last_answer_level   INTEGER,               -- bot.crisis.Level value of that answer
    acknowledged_at     TEXT,                  -- "I'm OK" clicked
    updated_at          TEXT    NOT NULL
);

-- One alert to a server's crisis team. Never holds the member's words: only level, categories and where.
CREATE TABLE crisis_alerts (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    subject_user_id     INTEGER NOT NULL,
    level               INTEGER NOT NULL,
    categories          TEXT    NOT NULL DEFAULT '',   -- comma-separated bot.crisis.Category values
    reason              TEXT    NOT NULL,              -- 'detection' or 'consent' (the member asked to talk)
    source_channel_id   INTEGER,
    source_message_id   INTEGER,
    alert_channel_id    INTEGER NOT NULL,
    alert_message_ids   TEXT    NOT NULL DEFAULT '[]', -- JSON list: the first post and each re-post
    reposts             INTEGER NOT NULL DEFAULT 0,
    claimed_by_user_id  INTEGER,
    claimed_at          TEXT,
    created_at          TEXT    NOT NULL
);
CREATE INDEX crisis_alerts_subject ON crisis_alerts (guild_id, subject_user_id, created_at);

-- Every alert, re-post, claim and consent, for the team to look back on.
CREATE TABLE crisis_audit (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    alert_id            INTEGER,
    action              TEXT    NOT NULL,
    actor_user_id       INTEGER,               -- who did it (NULL = the bot)
    subject_user_id     INTEGER,               -- who it was about
    detail              TEXT    NOT NULL DEFAULT '',
    at                  TEXT    NOT NULL
);
CREATE INDEX crisis_audit_alert ON crisis_audit (alert_id);

-- Words or phrases a server's moderators added to the shipped lexicon. One row per (server, term, any case):
-- CrisisRepo.add_term checks and writes inside one BEGIN IMMEDIATE transaction, so the index need not be UNIQUE.
CREATE TABLE crisis_terms (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    term                TEXT    NOT NULL COLLATE NOCASE,
    category            TEXT    NOT NULL,
    level               INTEGER NOT NULL,
    added_by_user_id    INTEGER,
    created_at          TEXT    NOT NULL
);
CREATE INDEX crisis_terms_guild ON crisis_terms (guild_id, term);
