"""Rows of the voice-room tables: statuses and dataclasses (their privacy entries are in :mod:`bot.privacy`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store.rows import columns, from_row

__all__ = [
    "ACTIVE",
    "CANCELLED",
    "COMPLETED",
    "DETAIL_COLUMNS",
    "OPEN_STATUSES",
    "ROOM_COLUMNS",
    "SCHEDULED",
    "SERIES_COLUMNS",
    "Room",
    "RoomDetails",
    "RoomSeries",
    "room_from_row",
]

SCHEDULED, ACTIVE, COMPLETED, CANCELLED = "scheduled", "active", "completed", "cancelled"
OPEN_STATUSES = (SCHEDULED, ACTIVE)


@dataclass(frozen=True, slots=True)
class RoomDetails:
    """What the host described: a series holds it, and each room the series spawns copies it."""

    guild_id: int
    host_user_id: int
    interest_id: int | None
    interest_name: str
    title: str
    description: str | None
    duration_minutes: int
    voice_channel_id: int | None


@dataclass(frozen=True, slots=True)
class RoomSeries(RoomDetails):
    """What the host asked for; a repeating series spawns one :class:`Room` after another."""

    id: int
    timezone: str
    recurrence: str
    active: bool


@dataclass(frozen=True, slots=True)
class Room(RoomDetails):
    """One occurrence: a native event, an announcement, and where it stands."""

    id: int
    series_id: int
    start_at: datetime
    end_at: datetime
    temp_channel_id: int | None
    event_id: int | None
    announce_channel_id: int | None
    announce_message_id: int | None
    status: str
    empty_since: datetime | None

    @property
    def channel_id(self) -> int | None:
        """The voice channel people meet in (chosen or temporary), if it exists yet."""
        return self.voice_channel_id or self.temp_channel_id

    @property
    def is_open(self) -> bool:
        """Scheduled or running: not yet completed or cancelled."""
        return self.status in OPEN_STATUSES


DETAIL_COLUMNS = columns(RoomDetails)
ROOM_COLUMNS = columns(Room)
SERIES_COLUMNS = columns(RoomSeries)


def room_from_row(row: Any) -> Room:
    """Build a :class:`Room` from a row selected with :data:`ROOM_COLUMNS`."""
    return from_row(Room, row)
