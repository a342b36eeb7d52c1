"""Repository for newcomer-friendly rooms: the series a host marked, and the next ones coming up.

No member data lives here (a mark belongs to the room series, which :mod:`bot.privacy` lists).
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import to_db
from bot.store.repo import Repo
from bot.store.room_models import ROOM_COLUMNS, Room, room_from_row

__all__ = ["NewcomerRoomRepo"]

_PREFIXED = ", ".join(f"r.{c.strip()}" for c in ROOM_COLUMNS.split(","))


class NewcomerRoomRepo(Repo):
    """Newcomer-friendly marks on room series."""

    async def mark(self, series_id: int, guild_id: int, *, now: datetime) -> None:
        """Mark a series (every occurrence of it) newcomer-friendly."""
        await self._db.execute(
            "INSERT INTO newcomer_rooms (series_id, guild_id, marked_at) VALUES (?, ?, ?) "
            "ON CONFLICT (series_id) DO NOTHING",
            (series_id, guild_id, to_db(now)),
        )

    async def is_marked(self, series_id: int) -> bool:
        """Whether the series is marked."""
        return await self._db.exists("SELECT 1 FROM newcomer_rooms WHERE series_id = ?", (series_id,))

    async def upcoming(self, guild_id: int, after: datetime, until: datetime, *, limit: int = 5) -> list[Room]:
        """The next scheduled newcomer-friendly rooms of the server starting in (after, until], soonest first."""
        rows = await self._db.fetchall(
            f"SELECT {_PREFIXED} FROM rooms r JOIN newcomer_rooms n ON n.series_id = r.series_id "
            "WHERE r.guild_id = ? AND r.status = 'scheduled' AND r.start_at > ? AND r.start_at <= ? "
            "ORDER BY r.start_at, r.id LIMIT ?",
            (guild_id, to_db(after), to_db(until), limit),
        )
        return [room_from_row(r) for r in rows]
