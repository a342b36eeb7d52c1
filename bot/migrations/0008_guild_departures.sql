-- Servers that removed the bot: their data is erased after the retention period unless the bot is added back.

CREATE TABLE guild_departures (
    guild_id    INTEGER PRIMARY KEY,
    left_at     TEXT    NOT NULL
);
