"""Rooms as derived state: every open room has its start and end timers, and a repeating series its next room.

Reminder DMs are not rebuilt: a reminder whose timer was lost may already have gone out, and a
missed "see you soon" is kinder than a second one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.rooms.schedule import channel_open_at
from bot.store.rooms import SCHEDULED

if TYPE_CHECKING:
    from bot.store import Store
    from bot.timers import TimerService

__all__ = ["reconcile_rooms"]


async def reconcile_rooms(store: Store, timers: TimerService, now: datetime) -> int:
    """Add every missing structural room timer; returns how many were added."""
    taken = await timers.active_keys("room:")
    added = 0
    for room in await store.rooms.open_anywhere():
        key, payload = f"room:{room.id}", {"room_id": room.id}
        wanted: list[tuple[str, Any, str]] = []
        if room.status == SCHEDULED:
            if room.voice_channel_id is None and room.temp_channel_id is None:
                wanted.append(("room:open", channel_open_at(room.start_at, now), f"{key}:open"))
            wanted.append(("room:start", room.start_at, f"{key}:start"))
        if f"{key}:check" not in taken:  # a later look at an overrunning room stands in for the end
            wanted.append(("room:end", room.end_at, f"{key}:end"))
        for kind, due, dedupe_key in wanted:
            if dedupe_key not in taken:
                await timers.schedule(kind, due, guild_id=room.guild_id, payload=payload, dedupe_key=dedupe_key)
                added += 1
    for tail in await store.rooms.repeating_series_tails():
        dedupe_key = f"room-series:{tail.series_id}:next"
        # Any try since this occurrence (pending, running, or given up after hours of retries and the
        # host told) means the chain was handled; only a chain nobody picked up is restarted.
        if await timers.key_used_since(dedupe_key, tail.start_at):
            continue
        await timers.schedule(
            "room:next", now, guild_id=tail.guild_id, payload={"room_id": tail.id, "attempt": 1}, dedupe_key=dedupe_key
        )
        added += 1
    return added
