"""Durable timers fire once, survive restarts, and honour dedupe keys."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.timers import Timer, TimerService
from tests.support.timers import AlwaysFails


async def test_due_timer_fires_once(timers: TimerService, clock: FakeClock) -> None:
    fired: list[Timer] = []

    async def handler(timer: Timer) -> None:
        fired.append(timer)

    timers.register("ping", handler)
    await timers.schedule("ping", clock.now() + timedelta(minutes=5), user_id=7, payload={"n": 1})
    assert await timers.run_due() == 0
    clock.advance(timedelta(minutes=5))
    assert await timers.run_due() == 1
    assert await timers.run_due() == 0
    assert [(t.kind, t.user_id, t.payload) for t in fired] == [("ping", 7, {"n": 1})]


async def test_racing_dispatchers_fire_each_timer_exactly_once(timers: TimerService, clock: FakeClock) -> None:
    seen: list[int] = []

    async def handler(timer: Timer) -> None:
        seen.append(timer.id)
        await asyncio.sleep(0)

    timers.register("r", handler)
    for i in range(50):
        await timers.schedule("r", clock.now(), user_id=i)
    await asyncio.gather(timers.run_due(), timers.run_due(), timers.run_due())
    assert sorted(seen) == sorted(set(seen))
    assert len(seen) == 50


async def test_timers_survive_a_restart(db_path: Path, clock: FakeClock) -> None:
    first = await Database.open(db_path)
    await first.migrate()
    await TimerService(first, clock).schedule("later", clock.now() + timedelta(hours=1), user_id=1)
    await first.close()

    second = await Database.open(db_path)
    try:
        timers = TimerService(second, clock)
        fired: list[Timer] = []

        async def handler(timer: Timer) -> None:
            fired.append(timer)

        timers.register("later", handler)
        clock.advance(timedelta(hours=3))
        assert await timers.run_due() == 1
        assert fired[0].lateness(clock.now()) == timedelta(hours=2)
    finally:
        await second.close()


async def test_dedupe_key_replaces_the_pending_timer(timers: TimerService, clock: FakeClock) -> None:
    await timers.schedule("remind", clock.now() + timedelta(hours=1), dedupe_key="remind:1")
    await timers.schedule("remind", clock.now() + timedelta(hours=2), dedupe_key="remind:1")
    pending = await timers.pending(kind="remind")
    assert len(pending) == 1
    assert pending[0].due_at == clock.now() + timedelta(hours=2)
    assert await timers.cancel(dedupe_key="remind:1") == 1
    assert await timers.pending() == []


async def test_cancel_prefix_treats_wildcards_literally(timers: TimerService, clock: FakeClock) -> None:
    await timers.schedule("x", clock.now(), dedupe_key="room:1_a")
    await timers.schedule("x", clock.now(), dedupe_key="room:12")
    assert await timers.cancel_prefix("room:1_") == 1
    assert [t.kind for t in await timers.pending()] == ["x"]


async def test_timer_without_handler_waits(timers: TimerService, clock: FakeClock) -> None:
    await timers.schedule("unknown", clock.now())
    assert await timers.run_due() == 0
    assert len(await timers.pending(kind="unknown")) == 1


async def test_a_failing_handler_that_is_not_repeatable_fails_once_and_is_counted(
    timers: TimerService, db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    handler = AlwaysFails(ValueError("broken handler"))
    timers.register("bad", handler)
    await timers.schedule("bad", clock.now())
    assert await timers.run_due() == 1
    clock.advance(timedelta(hours=2))
    assert await timers.run_due() == 0
    assert handler.calls == 1
    assert "broken handler" in caplog.text and "failed for good" in caplog.text
    assert (await timers.counts())[("bad", "failed")] == 1
    assert await db.fetchval("SELECT last_error FROM timers") == "ValueError: broken handler"


async def test_timers_cut_off_by_a_crash_are_retried_only_when_idempotent(
    db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    crashed = TimerService(db, clock)

    async def never(timer: Timer) -> None:  # the process "dies" before this runs
        raise AssertionError("not reached")

    crashed.register("round", never)
    crashed.register("dm", never)
    await crashed.schedule("round", clock.now())
    await crashed.schedule("dm", clock.now())
    assert len(await crashed.claim_due(clock.now())) == 2  # claimed, then the crash

    restarted = TimerService(db, clock)
    ran: list[str] = []

    async def handler(timer: Timer) -> None:
        ran.append(timer.kind)

    restarted.register("round", handler, retry_interrupted=True)
    restarted.register("dm", handler)
    assert await restarted.recover_interrupted() == (1, 1)
    assert await restarted.run_due() == 1
    assert ran == ["round"]  # the DM is never sent twice...
    assert await db.fetchval("SELECT status FROM timers WHERE kind = 'dm'") == "interrupted"
    assert "will not run again" in caplog.text  # ...and never given up silently
