"""RSVPs, reminder opt-outs, room notices and attendance: the member-level half of ``store.rooms``."""

from __future__ import annotations

from datetime import datetime

from bot.clock import to_db
from bot.db import Database

__all__ = ["RoomMembers"]


class RoomMembers:
    """Who is coming, who wants reminders, who came; part of :class:`bot.store.rooms.RoomRepo`."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
            "INSERT OR IGNORE INTO room_rsvps (room_id, user_id, going, source, updated_at) "
            "VALUES (?, ?, 1, 'event', ?)",
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
        found = await self._db.fetchval(
            "SELECT 1 FROM member_interests m JOIN interests i ON i.id = m.interest_id "
            "WHERE i.guild_id = ? AND m.user_id = ? AND m.notify = 1 LIMIT 1",
            (guild_id, user_id),
        )
        return found is not None

    # -- attendance ---------------------------------------------------------------------------
    async def record_attendance(self, room_id: int, user_id: int, *, now: datetime) -> None:
        """Note that someone joined the room's voice channel (once per room)."""
        await self._db.execute(
            "INSERT OR IGNORE INTO room_attendance (room_id, user_id, first_joined_at) VALUES (?, ?, ?)",
            (room_id, user_id, to_db(now)),
        )

    async def attendees(self, room_id: int) -> list[int]:
        """Everyone who joined a room's channel."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM room_attendance WHERE room_id = ? ORDER BY user_id", (room_id,)
        )
        return [r[0] for r in rows]
