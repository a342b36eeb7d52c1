-- The servers each member was seen in, so a private crisis answer sent by any process of a cluster can offer their crisis teams.

-- Written by the process that runs the server (only in a cluster: one process has every server in its cache),
-- read by whichever process answers the member's DM. Never holds a message: a server, its name and when.
CREATE TABLE crisis_member_servers (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    guild_name  TEXT    NOT NULL,          -- the server's name when last seen, for "Talk to someone in …"
    seen_at     TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX crisis_member_servers_user ON crisis_member_servers (user_id);
