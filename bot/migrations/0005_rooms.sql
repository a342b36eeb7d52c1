-- Voice rooms: room series, each occurrence's native Discord event, RSVPs, reminder opt-outs and attendance.

-- What a host asked for once; a weekly series spawns one occurrence after another from it.
CREATE TABLE room_series (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    host_user_id      INTEGER NOT NULL,
    interest_id       INTEGER REFERENCES interests (id) ON DELETE SET NULL,
    interest_name     TEXT    NOT NULL,     -- kept so a room survives its interest leaving the catalogue
    title             TEXT    NOT NULL,
    description       TEXT,
    duration_minutes  INTEGER NOT NULL,
    voice_channel_id  INTEGER,              -- NULL = a temporary channel per occurrence
    timezone          TEXT    NOT NULL,     -- the host's zone: weekly repeats keep its wall-clock time
    recurrence        TEXT    NOT NULL DEFAULT 'none',   -- none | weekly
    active            INTEGER NOT NULL DEFAULT 1,        -- 0 once the series is cancelled
    created_at        TEXT    NOT NULL
);
CREATE INDEX room_series_host ON room_series (host_user_id);

-- One gathering: a native scheduled event plus its announcement. status: scheduled -> active -> completed | cancelled.
CREATE TABLE rooms (
    id                   INTEGER PRIMARY KEY,
    series_id            INTEGER NOT NULL REFERENCES room_series (id) ON DELETE CASCADE,
    guild_id             INTEGER NOT NULL,
    host_user_id         INTEGER NOT NULL,
    interest_id          INTEGER REFERENCES interests (id) ON DELETE SET NULL,
    interest_name        TEXT    NOT NULL,
    title                TEXT    NOT NULL,
    description          TEXT,
    start_at             TEXT    NOT NULL,
    end_at               TEXT    NOT NULL,
    duration_minutes     INTEGER NOT NULL,
    voice_channel_id     INTEGER,           -- the host's chosen channel
    temp_channel_id      INTEGER,           -- the temporary channel we created, until it is removed
    event_id             INTEGER,           -- the guild scheduled event
    announce_channel_id  INTEGER,
    announce_message_id  INTEGER,
    status               TEXT    NOT NULL DEFAULT 'scheduled',
    empty_since          TEXT,              -- when the room last became empty (drives completion)
    created_at           TEXT    NOT NULL
);
CREATE INDEX rooms_guild_start ON rooms (guild_id, status, start_at);
CREATE INDEX rooms_event ON rooms (event_id);
CREATE INDEX rooms_host ON rooms (host_user_id);

-- Who said they're coming (button or the native "Interested"), and who turned reminders off.
CREATE TABLE room_rsvps (
    room_id     INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    going       INTEGER NOT NULL,           -- 1 = coming, 0 = can't make it
    source      TEXT    NOT NULL,           -- button | event
    reminders   INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_rsvps_user ON room_rsvps (user_id);

-- Who joined the room's voice channel; only ever summarised privately to the host as a number.
CREATE TABLE room_attendance (
    room_id          INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL,
    first_joined_at  TEXT    NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_attendance_user ON room_attendance (user_id);
