"""Repository for voice rooms: series and occurrences, RSVPs, reminder opt-outs and attendance.

``store.rooms`` (:class:`RoomRepo`) is the one entry point; the row types live in :mod:`bot.store.room_models`.
"""

from __future__ import annotations

from dataclasses import astuple
from datetime import datetime

from bot.clock import to_db
from bot.store.repo import Repo, written
from bot.store.room_models import (
    ACTIVE,
    CANCELLED,
    COMPLETED,
    DETAIL_COLUMNS,
    OPEN_STATUSES,
    ROOM_COLUMNS,
    SCHEDULED,
    SERIES_COLUMNS,
    Room,
    RoomDetails,
    RoomSeries,
    room_from_row,
)
from bot.store.rows import from_row

__all__ = [
    "ACTIVE",
    "CANCELLED",
    "COMPLETED",
    "OPEN_STATUSES",
    "SCHEDULED",
    "Room",
    "RoomDetails",
    "RoomRepo",
    "RoomSeries",
]


class RoomRepo(Repo):
    """Rooms, their series, RSVPs and attendance. SQL lives only in the store."""

    # -- series -------------------------------------------------------------------------------
    async def create_series(self, details: RoomDetails, *, timezone: str, recurrence: str, now: datetime) -> RoomSeries:
        """Record what the host asked for, repeating in ``timezone``'s wall-clock time."""
        series_id = await self._db.insert(
            # The details' columns are named by its fields, so the values follow in the same order.
            f"INSERT INTO room_series ({DETAIL_COLUMNS}, timezone, recurrence, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*astuple(details), timezone, recurrence, to_db(now)),
        )
        return written(await self.series(series_id), f"room series {series_id}")

    async def series(self, series_id: int) -> RoomSeries | None:
        """One series by id."""
        row = await self._db.fetchone(f"SELECT {SERIES_COLUMNS} FROM room_series WHERE id = ?", (series_id,))
        return None if row is None else from_row(RoomSeries, row)

    async def end_series(self, series_id: int) -> None:
        """Stop a series from spawning more occurrences."""
        await self._db.execute("UPDATE room_series SET active = 0 WHERE id = ?", (series_id,))

    async def update_series_details(
        self,
        series_id: int,
        *,
        title: str,
        description: str | None,
        duration_minutes: int,
        recurrence: str | None = None,
    ) -> None:
        """Carry an edit forward to the occurrences a series will spawn (``recurrence`` ``None`` keeps it)."""
        await self._db.execute(
            "UPDATE room_series SET title = ?, description = ?, duration_minutes = ?, "
            "recurrence = coalesce(?, recurrence) WHERE id = ?",
            (title, description, duration_minutes, recurrence, series_id),
        )

    # -- occurrences --------------------------------------------------------------------------
    async def create_room(self, series: RoomSeries, *, start_at: datetime, end_at: datetime, now: datetime) -> Room:
        """Add an occurrence of ``series`` (no native event yet)."""
        room_id = await self._db.insert(
            "INSERT INTO rooms (series_id, guild_id, host_user_id, interest_id, interest_name, title, description, "
            "start_at, end_at, duration_minutes, voice_channel_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                series.id,
                series.guild_id,
                series.host_user_id,
                series.interest_id,
                series.interest_name,
                series.title,
                series.description,
                to_db(start_at),
                to_db(end_at),
                series.duration_minutes,
                series.voice_channel_id,
                to_db(now),
            ),
        )
        return written(await self.get(room_id), f"room {room_id}")

    async def get(self, room_id: int) -> Room | None:
        """One room by id."""
        row = await self._db.fetchone(f"SELECT {ROOM_COLUMNS} FROM rooms WHERE id = ?", (room_id,))
        return None if row is None else room_from_row(row)

    async def by_event(self, event_id: int) -> Room | None:
        """The room behind a native scheduled event."""
        row = await self._db.fetchone(f"SELECT {ROOM_COLUMNS} FROM rooms WHERE event_id = ?", (event_id,))
        return None if row is None else room_from_row(row)

    async def open_in_channel(self, guild_id: int, channel_id: int) -> list[Room]:
        """Rooms not yet completed that meet in a voice channel."""
        rows = await self._db.fetchall(
            f"SELECT {ROOM_COLUMNS} FROM rooms WHERE guild_id = ? AND status IN (?, ?) "
            "AND (voice_channel_id = ? OR temp_channel_id = ?) ORDER BY start_at",
            (guild_id, *OPEN_STATUSES, channel_id, channel_id),
        )
        return [room_from_row(r) for r in rows]

    async def closed_with_temp_channel(self, guild_id: int, channel_id: int) -> Room | None:
        """A finished room whose temporary channel still exists (waiting to empty)."""
        row = await self._db.fetchone(
            f"SELECT {ROOM_COLUMNS} FROM rooms WHERE guild_id = ? AND temp_channel_id = ? AND status IN (?, ?)",
            (guild_id, channel_id, COMPLETED, CANCELLED),
        )
        return None if row is None else room_from_row(row)

    async def upcoming(
        self, guild_id: int, *, now: datetime, interest_ids: list[int] | None = None, limit: int = 15
    ) -> list[Room]:
        """Rooms that haven't finished, soonest first, optionally only for some interests."""
        rows = await self._db.fetchall(
            f"SELECT {ROOM_COLUMNS} FROM rooms WHERE guild_id = ? AND status IN (?, ?) AND end_at > ? "
            "ORDER BY start_at LIMIT ?",
            (guild_id, *OPEN_STATUSES, to_db(now), 500),
        )
        rooms = [room_from_row(r) for r in rows]
        if interest_ids is not None:
            wanted = set(interest_ids)
            rooms = [r for r in rooms if r.interest_id in wanted]
        return rooms[:limit]

    async def hosted_open(self, guild_id: int, host_user_id: int) -> list[Room]:
        """Rooms a member hosts that haven't finished."""
        rows = await self._db.fetchall(
            f"SELECT {ROOM_COLUMNS} FROM rooms WHERE guild_id = ? AND host_user_id = ? AND status IN (?, ?) "
            "ORDER BY start_at",
            (guild_id, host_user_id, *OPEN_STATUSES),
        )
        return [room_from_row(r) for r in rows]

    async def hosted_anywhere(self, host_user_id: int, guild_id: int | None) -> list[Room]:
        """Open rooms a member hosts, in one server or everywhere (for erasure)."""
        rows = await self._db.fetchall(
            f"SELECT {ROOM_COLUMNS} FROM rooms WHERE host_user_id = ? AND (CAST(? AS BIGINT) IS NULL OR guild_id = ?) "
            "AND status IN (?, ?)",
            (host_user_id, guild_id, guild_id, *OPEN_STATUSES),
        )
        return [room_from_row(r) for r in rows]

    async def set_event(self, room_id: int, event_id: int | None) -> None:
        """Remember the native event."""
        await self._db.execute("UPDATE rooms SET event_id = ? WHERE id = ?", (event_id, room_id))

    async def set_announcement(self, room_id: int, channel_id: int, message_id: int) -> None:
        """Remember where the announcement is, to edit it later."""
        await self._db.execute(
            "UPDATE rooms SET announce_channel_id = ?, announce_message_id = ? WHERE id = ?",
            (channel_id, message_id, room_id),
        )

    async def set_temp_channel(self, room_id: int, channel_id: int | None) -> None:
        """Remember (or forget, once removed) the temporary voice channel."""
        await self._db.execute("UPDATE rooms SET temp_channel_id = ? WHERE id = ?", (channel_id, room_id))

    async def set_status(self, room_id: int, status: str, *, only_from: tuple[str, ...] = OPEN_STATUSES) -> bool:
        """Move a room to ``status`` if it is currently in one of ``only_from``; True if it moved."""
        marks = ",".join("?" for _ in only_from)  # only "?" marks are joined, never values
        changed = await self._db.execute(
            f"UPDATE rooms SET status = ? WHERE id = ? AND status IN ({marks})", (status, room_id, *only_from)
        )
        return changed == 1

    async def set_empty_since(self, room_id: int, when: datetime | None) -> None:
        """Record when the room last became empty (``None`` while someone is there)."""
        await self._db.execute(
            "UPDATE rooms SET empty_since = ? WHERE id = ?", (None if when is None else to_db(when), room_id)
        )

    async def update_details(
        self,
        room_id: int,
        *,
        title: str,
        description: str | None,
        start_at: datetime,
        end_at: datetime,
        duration_minutes: int,
    ) -> Room:
        """Apply a host's edit."""
        await self._db.execute(
            "UPDATE rooms SET title = ?, description = ?, start_at = ?, end_at = ?, duration_minutes = ? WHERE id = ?",
            (title, description, to_db(start_at), to_db(end_at), duration_minutes, room_id),
        )
        return written(await self.get(room_id), f"room {room_id}")

    async def later_in_series(self, series_id: int, after: datetime) -> Room | None:
        """An occurrence of the series starting after ``after`` (so we never spawn one twice)."""
        row = await self._db.fetchone(
            f"SELECT {ROOM_COLUMNS} FROM rooms WHERE series_id = ? AND start_at > ? ORDER BY start_at LIMIT 1",
            (series_id, to_db(after)),
        )
        return None if row is None else room_from_row(row)

    async def open_anywhere(self) -> list[Room]:
        """Every scheduled or active room in every server (each needs its start and end timers)."""
        rows = await self._db.fetchall(
            f"SELECT {ROOM_COLUMNS} FROM rooms WHERE status IN (?, ?) ORDER BY start_at, id", (SCHEDULED, ACTIVE)
        )
        return [room_from_row(r) for r in rows]

    async def repeating_series_tails(self) -> list[Room]:
        """The latest occurrence of each active repeating series, where it is finished (completed or cancelled).

        Such a series needs its next occurrence made; if none is on its way, a crash cut the chain.
        """
        rows = await self._db.fetchall(
            f"SELECT {ROOM_COLUMNS} FROM rooms WHERE status IN (?, ?) "
            "AND series_id IN (SELECT id FROM room_series WHERE active = 1 AND recurrence != 'none') "
            "AND start_at = (SELECT max(later.start_at) FROM rooms later WHERE later.series_id = rooms.series_id) "
            "ORDER BY series_id",
            (COMPLETED, CANCELLED),
        )
        return [room_from_row(r) for r in rows]

    # -- RSVPs --------------------------------------------------------------------------------
    async def rsvp(self, room_id: int, user_id: int, *, going: bool, source: str, now: datetime) -> None:
        """Record a member's answer; the latest answer wins, and a reminder opt-out is kept."""
        await self._db.execute(
            "INSERT INTO room_rsvps (room_id, user_id, going, source, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (room_id, user_id) DO UPDATE SET going = excluded.going, source = excluded.source, "
            "updated_at = excluded.updated_at",
            (room_id, user_id, int(going), source, to_db(now)),
        )

    async def add_event_interest(self, room_id: int, user_id: int, *, now: datetime) -> bool:
        """Native "Interested" seen (live or on a later sync): adds an RSVP only if they have none."""
        changed = await self._db.execute(
            "INSERT INTO room_rsvps (room_id, user_id, going, source, updated_at) "
            "VALUES (?, ?, 1, 'event', ?) ON CONFLICT DO NOTHING",
            (room_id, user_id, to_db(now)),
        )
        return changed == 1

    async def drop_event_interest(self, room_id: int, user_id: int) -> bool:
        """Native "Interested" removed: drop an RSVP that came from it (a button answer stands)."""
        changed = await self._db.execute(
            "DELETE FROM room_rsvps WHERE room_id = ? AND user_id = ? AND source = 'event'", (room_id, user_id)
        )
        return changed == 1

    async def rsvp_of(self, room_id: int, user_id: int) -> tuple[bool, bool] | None:
        """``(going, reminders_on)`` for a member, or ``None`` if they haven't answered."""
        row = await self._db.fetchone(
            "SELECT going, reminders FROM room_rsvps WHERE room_id = ? AND user_id = ?", (room_id, user_id)
        )
        return None if row is None else (bool(row[0]), bool(row[1]))

    async def going(self, room_id: int, *, wants_reminders: bool = False) -> list[int]:
        """Members coming to a room (optionally only those who still want reminders)."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM room_rsvps WHERE room_id = ? AND going = 1 AND (? = 0 OR reminders = 1) "
            "ORDER BY user_id",
            (room_id, int(wants_reminders)),
        )
        return [r[0] for r in rows]

    async def set_reminders(self, room_id: int, user_id: int, on: bool) -> bool:
        """Turn one member's reminders for a room on or off."""
        changed = await self._db.execute(
            "UPDATE room_rsvps SET reminders = ? WHERE room_id = ? AND user_id = ?", (int(on), room_id, user_id)
        )
        return changed == 1

    # -- room notices -------------------------------------------------------------------------
    async def notices_on(self, guild_id: int, user_id: int) -> bool:
        """True if the member asked for room notices (``/interests notify on``) in this server."""
        return await self._db.exists(
            "SELECT 1 FROM member_interests m JOIN interests i ON i.id = m.interest_id "
            "WHERE i.guild_id = ? AND m.user_id = ? AND m.notify = 1 LIMIT 1",
            (guild_id, user_id),
        )

    # -- attendance ---------------------------------------------------------------------------
    async def record_attendance(self, room_id: int, user_id: int, *, now: datetime) -> None:
        """Note that someone joined the room's voice channel (once per room)."""
        await self._db.execute(
            "INSERT INTO room_attendance (room_id, user_id, first_joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (room_id, user_id, to_db(now)),
        )

    async def attendees(self, room_id: int) -> list[int]:
        """Everyone who joined a room's channel."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM room_attendance WHERE room_id = ? ORDER BY user_id", (room_id,)
        )
        return [r[0] for r in rows]
