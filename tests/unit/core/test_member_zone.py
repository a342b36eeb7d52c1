"""One time-zone rule: /room and /service (the store) and /checkin (the scheduler) agree on every member."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

import pytest

from bot.checkins.reminders import CheckinScheduler
from bot.clock import FakeClock
from bot.db import Database
from bot.store import Store
from bot.timers import TimerService

GUILD = 1


async def _send(user_id: int, guild_id: int | None) -> bool:
    return True


@pytest.mark.parametrize(
    ("own", "reminder", "server", "expected"),
    [
        (None, None, None, "UTC"),
        (None, None, "Europe/Berlin", "Europe/Berlin"),
        (None, "America/Chicago", "Europe/Berlin", "America/Chicago"),
        ("Asia/Tokyo", "America/Chicago", "Europe/Berlin", "Asia/Tokyo"),
        ("Asia/Tokyo", None, None, "Asia/Tokyo"),
        ("Gone/Zone", None, "Europe/Berlin", "UTC"),
    ],
)
async def test_rooms_and_checkins_use_the_same_zone(
    db: Database, clock: FakeClock, own: str | None, reminder: str | None, server: str | None, expected: str
) -> None:
    store = Store(db)
    scheduler = CheckinScheduler(store, TimerService(db, clock), clock, send_reminder=_send)
    user = 42
    if own is not None:
        await store.prefs.set_timezone(user, own, now=clock.now())
    if reminder is not None:
        await store.checkins.set_reminder(user, GUILD, time(19, 0), reminder, frozenset(range(7)), now=clock.now())
    if server is not None:
        await store.config.set(GUILD, "timezone", server, now=clock.now())

    for_rooms = await store.member_zone(user, GUILD)
    for_checkins = await scheduler.member_zone(user, GUILD)
    assert for_rooms == for_checkins == ZoneInfo(expected)
