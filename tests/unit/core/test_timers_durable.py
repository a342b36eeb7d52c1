"""Timers survive stops, cancellations and failing handlers: claimed only when about to run, retried
with backoff when safe to repeat, given up visibly otherwise, and run in lanes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.clock import FakeClock, from_db
from bot.db import Database
from bot.timers import BULK, MAX_ATTEMPTS, URGENT, Timer, TimerService, retry_delay
from tests.support.timers import AlwaysFails


async def statuses(db: Database) -> dict[int, str]:
    return {r["id"]: r["status"] for r in await db.fetchall("SELECT id, status FROM timers")}


async def test_a_stop_partway_through_a_wave_leaves_every_unstarted_timer_pending(
    timers: TimerService, db: Database, clock: FakeClock
) -> None:
    started: list[int] = []

    async def slow_dm(timer: Timer) -> None:
        started.append(timer.id)
        if len(started) == 6:
            timers.stop()  # SIGTERM arrives while the sixth DM is on its way

    timers.register("dm", slow_dm)
    for user in range(100):
        await timers.schedule("dm", clock.now(), user_id=user)
    assert await timers.run_due() == 6
    by_status = await statuses(db)
    assert sorted(i for i, s in by_status.items() if s == "done") == sorted(started)
    assert sum(s == "pending" for s in by_status.values()) == 94

    restarted = TimerService(db, clock)
    restarted.register("dm", slow_dm)
    assert await restarted.recover_interrupted() == (0, 0)  # nothing was cut off
    assert await restarted.run_due() == 94
    assert set((await statuses(db)).values()) == {"done"}
    assert sorted(started) == sorted(by_status)  # each of the 100 ran exactly once


async def test_a_cancelled_poll_never_strands_a_timer_whose_handler_did_not_start(
    timers: TimerService, db: Database, clock: FakeClock
) -> None:
    started: set[int] = set()

    async def handler(timer: Timer) -> None:
        started.add(timer.id)

    timers.register("dm", handler)
    # Cancel after a different number of event-loop turns each time, so the cancellation lands in
    # BEGIN, the SELECT, the UPDATE, COMMIT, the handler and the final bookkeeping in turn.
    for turns in range(40):
        await timers.schedule("dm", clock.now(), user_id=turns)
        await timers.schedule("dm", clock.now(), user_id=turns)
        poll = asyncio.create_task(timers.run_due())
        for _ in range(turns):
            await asyncio.sleep(0)
        poll.cancel()
        await asyncio.gather(poll, return_exceptions=True)
        for timer_id, status in (await statuses(db)).items():
            assert status in ("pending", "done") or timer_id in started, (turns, timer_id, status)
        await db.execute("UPDATE timers SET status = 'done' WHERE status = 'running'")  # as if settled
    await db.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (1, 'x')")  # still writable


async def test_a_repeatable_handler_is_retried_with_growing_backoff_until_it_succeeds(
    timers: TimerService, clock: FakeClock
) -> None:
    tries: list[int] = []

    async def flaky(timer: Timer) -> None:
        tries.append(timer.attempts)
        if len(tries) < 3:
            raise ConnectionError("Discord hiccup")

    timers.register("round", flaky, retry_interrupted=True)
    await timers.schedule("round", clock.now(), guild_id=1, dedupe_key="round:1")
    assert await timers.run_due() == 1
    [pending] = await timers.pending(kind="round")
    assert pending.due_at == clock.now() + retry_delay(1) and pending.attempts == 1
    assert await timers.run_due() == 0  # not before the backoff
    clock.advance(retry_delay(1))
    assert await timers.run_due() == 1
    [pending] = await timers.pending(kind="round")
    assert pending.due_at == clock.now() + retry_delay(2) and retry_delay(2) == 2 * retry_delay(1)
    clock.advance(retry_delay(2))
    assert await timers.run_due() == 1
    assert tries == [0, 1, 2]
    assert await timers.counts() == {("round", "done"): 1}


async def test_a_repeatable_handler_that_keeps_failing_is_given_up_after_the_limit_and_counted(
    timers: TimerService, db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    broken = AlwaysFails(RuntimeError("still broken"))
    timers.register("purge", broken, retry_interrupted=True)
    await timers.schedule("purge", clock.now())
    for _ in range(MAX_ATTEMPTS + 3):
        await timers.run_due()
        clock.advance(timedelta(hours=2))
    assert broken.calls == MAX_ATTEMPTS
    assert await timers.counts() == {("purge", "failed"): 1}
    assert await db.fetchval("SELECT attempts FROM timers") == MAX_ATTEMPTS
    assert "failed for good after 5 tries" in caplog.text


async def test_a_retry_gives_way_to_a_successor_the_handler_already_scheduled(
    timers: TimerService, db: Database, clock: FakeClock
) -> None:

    async def schedules_then_fails(timer: Timer) -> None:
        if timer.attempts == 0:
            await timers.schedule("chain", clock.now() + timedelta(days=7), dedupe_key="chain:1")
            raise RuntimeError("sending failed after the next link was scheduled")

    timers.register("chain", schedules_then_fails, retry_interrupted=True)
    await timers.schedule("chain", clock.now(), dedupe_key="chain:1")
    assert await timers.run_due() == 1
    rows = await db.fetchall("SELECT due_at, dedupe_key, status FROM timers ORDER BY id")
    assert [(r["dedupe_key"], r["status"]) for r in rows] == [(None, "pending"), ("chain:1", "pending")]
    assert from_db(rows[1]["due_at"]) == clock.now() + timedelta(days=7)


async def test_a_handler_that_crashes_the_process_every_time_stops_being_retried(
    timers: TimerService, clock: FakeClock
) -> None:
    timers.register("round", lambda timer: asyncio.sleep(0), retry_interrupted=True)
    await timers.schedule("round", clock.now())
    for _ in range(MAX_ATTEMPTS - 1):
        assert len(await timers.claim_due(clock.now())) == 1  # started, then the process died
        assert await timers.recover_interrupted() == (1, 0)
    await timers.claim_due(clock.now())
    assert await timers.recover_interrupted() == (0, 1)
    assert await timers.counts() == {("round", "interrupted"): 1}


async def test_the_urgent_lane_runs_while_the_bulk_lane_is_busy_with_a_wave(
    timers: TimerService, clock: FakeClock
) -> None:
    release = asyncio.Event()
    sent: list[str] = []

    async def slow_reminder(timer: Timer) -> None:
        await release.wait()  # a slow DM in a wave of 500
        sent.append("reminder")

    async def repost(timer: Timer) -> None:
        sent.append("repost")

    timers.register("reminder", slow_reminder)
    timers.register("repost", repost, retry_interrupted=True, lane=URGENT)
    for user in range(500):
        await timers.schedule("reminder", clock.now(), user_id=user)
    await timers.schedule("repost", clock.now(), guild_id=1)
    wave = asyncio.create_task(timers.run_due(lane=BULK))
    assert await timers.run_due(lane=URGENT) == 1
    assert sent == ["repost"]  # posted while the first reminder of the wave was still waiting
    release.set()
    assert await wave == 500
    assert sent.count("reminder") == 500 and sent.count("repost") == 1


async def test_finished_rows_are_pruned_after_four_weeks_and_pending_ones_never(
    timers: TimerService, clock: FakeClock
) -> None:
    timers.register("dm", lambda timer: asyncio.sleep(0))
    await timers.schedule("dm", clock.now())
    await timers.schedule("dm", clock.now() + timedelta(days=60), dedupe_key="far")
    await timers.run_due()
    clock.advance(timedelta(days=27))
    await timers.schedule("dm", clock.now())
    await timers.run_due()
    assert await timers.prune() == 0
    clock.advance(timedelta(days=2))
    assert await timers.prune() == 1  # only the first, finished 29 days ago
    assert await timers.counts() == {("dm", "done"): 1, ("dm", "pending"): 1}


async def test_a_timer_whose_outcome_could_not_be_written_is_settled_later_but_a_running_one_never(
    timers: TimerService, clock: FakeClock
) -> None:
    started, release = asyncio.Event(), asyncio.Event()
    ran: list[int] = []

    async def slow(timer: Timer) -> None:
        started.set()
        await release.wait()
        ran.append(timer.id)

    timers.register("round", slow, retry_interrupted=True)
    await timers.schedule("round", clock.now(), guild_id=1)
    await timers.schedule("round", clock.now(), guild_id=2)
    [stranded] = await timers.claim_due(clock.now(), limit=1)  # ran, but its outcome write failed (full disk)
    running = asyncio.create_task(timers.run_due())
    await started.wait()  # the other one is running now
    assert await timers.recover_interrupted() == (1, 0)  # the daily upkeep settles only the stranded one
    release.set()
    assert await running == 2  # the running one finished, then the stranded one ran again
    assert len(ran) == 2 and stranded.id in ran
    assert await timers.counts() == {("round", "done"): 2}
