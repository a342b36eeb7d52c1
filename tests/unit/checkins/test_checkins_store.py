"""The check-in store and the reminder scheduler on a real SQLite file, without Discord."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from bot.checkins import CheckinDraft
from bot.checkins.reminders import REMINDER_KIND, CheckinScheduler, Outcome
from bot.clock import FakeClock
from bot.db import Database
from bot.privacy import registered_tables
from bot.store import Store
from bot.timers import TimerService
from tests.support.reminders import CountingSender

DAY = date(2026, 11, 22)


async def test_checked_in_many_filters_by_each_members_own_local_date(store: Store, clock: FakeClock) -> None:
    await store.checkins.record_checkin(1, 10, CheckinDraft(3, 2), now=clock.now(), local_date=DAY)
    await store.checkins.record_checkin(1, 11, CheckinDraft(3, 2), now=clock.now(), local_date=DAY - timedelta(1))
    assert await store.checkins.checked_in_many([(10, DAY), (11, DAY), (12, DAY)]) == {10}
    assert await store.checkins.checked_in_on(11, DAY - timedelta(1))


async def test_tables_are_registered_as_private() -> None:
    names = {t.table for t in registered_tables()}
    assert {"checkins", "checkin_reminders", "recovery_dates"} <= names


async def test_two_dispatchers_hand_each_reminder_to_the_sender_once(db: Database, clock: FakeClock) -> None:
    store = Store(db)
    timers = TimerService(db, clock)
    sender = CountingSender()
    scheduler = CheckinScheduler(store, timers, clock, send_reminder=sender)
    scheduler.register()
    for user_id in range(1, 41):
        settings = await store.checkins.set_reminder(
            user_id, 1, time(19, 0), "UTC", frozenset(range(7)), now=clock.now()
        )
        await scheduler.schedule_reminder(settings)
    clock.set(datetime(2026, 11, 22, 19, 0, 30, tzinfo=UTC))
    await asyncio.gather(timers.run_due(), timers.run_due())
    assert sender.sent == Counter({u: 1 for u in range(1, 41)})
    assert len(await timers.pending(kind=REMINDER_KIND)) == 40


async def test_closed_dms_end_the_chain(db: Database, clock: FakeClock) -> None:
    store = Store(db)
    timers = TimerService(db, clock)

    async def closed(user_id: int, guild_id: int | None) -> bool:
        await store.prefs.mark_dm_closed(user_id, now=clock.now())
        return False

    scheduler = CheckinScheduler(store, timers, clock, send_reminder=closed)
    settings = await store.checkins.set_reminder(7, 1, time(19, 0), "UTC", frozenset(range(7)), now=clock.now())
    await scheduler.schedule_reminder(settings)
    clock.set(datetime(2026, 11, 22, 19, 0, tzinfo=UTC))
    assert await timers.claim_due(clock.now()) == []  # no handler registered yet: nothing is claimed
    scheduler.register()
    [timer] = await timers.claim_due(clock.now())
    assert await scheduler.decide_and_send(timer) is Outcome.UNREACHABLE
    assert await timers.pending(kind=REMINDER_KIND) == []
