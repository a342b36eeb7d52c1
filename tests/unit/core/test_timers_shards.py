"""Timers across processes on one database: each runs its own servers' timers and DM timers once.

Two timer services on two connections to the same database stand for two processes (``SHARD_COUNT=2``,
``SHARD_IDS=0`` and ``SHARD_IDS=1``). Runs on SQLite and, in the PostgreSQL run, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.chains import Chains
from bot.clock import FakeClock
from bot.db import Database
from bot.shards import Ownership
from bot.timers import Timer, TimerHandler, TimerService
from tests.support.databases import NEEDS_POSTGRES

# Servers on shard 0 and shard 1 of 2 (the shard is the id's creation-time bits, modulo the count).
ON_0 = (10 << 22) | 5
ON_1 = (11 << 22) | 7
FIRST, SECOND = Ownership(2, (0,)), Ownership(2, (1,))


@pytest.fixture
async def other_db(database_target: Path | str, db: Database) -> AsyncIterator[Database]:
    """A second connection to the test's database, as another process has (``db`` has migrated it)."""
    other = await Database.open(database_target)
    yield other
    await other.close()


def _recorder(log: list[tuple[str, int]], who: str) -> TimerHandler:
    async def handler(timer: Timer) -> None:
        log.append((who, timer.id))
        await asyncio.sleep(0)  # let the other process poll meanwhile

    return handler


async def _claims(db: Database) -> dict[int, tuple[str, str | None]]:
    rows = await db.fetchall("SELECT id, status, claimed_by FROM timers ORDER BY id")
    return {r["id"]: (r["status"], r["claimed_by"]) for r in rows}


async def test_each_process_runs_its_own_servers_timers_and_every_dm_timer_once(
    db: Database, other_db: Database, clock: FakeClock
) -> None:
    first, second = TimerService(db, clock, FIRST), TimerService(other_db, clock, SECOND)
    ran: list[tuple[str, int]] = []
    first.register("t", _recorder(ran, "first"))
    second.register("t", _recorder(ran, "second"))
    on_0 = [await first.schedule("t", clock.now(), guild_id=ON_0, user_id=n) for n in range(5)]
    on_1 = [await first.schedule("t", clock.now(), guild_id=ON_1, user_id=n) for n in range(5)]
    dms = [await second.schedule("t", clock.now(), user_id=n) for n in range(20)]

    await asyncio.gather(first.run_due(), second.run_due(), first.run_due(), second.run_due())

    by_id = {timer_id: who for who, timer_id in ran}
    assert len(ran) == len(by_id) == 30  # every timer ran, none twice
    assert all(by_id[t] == "first" for t in on_0) and all(by_id[t] == "second" for t in on_1)
    claims = await _claims(db)
    assert all(status == "done" for status, _ in claims.values())
    assert {claims[t][1] for t in on_0} == {"shards 0 of 2"} and {claims[t][1] for t in on_1} == {"shards 1 of 2"}
    assert {claims[t][1] for t in dms} <= {"shards 0 of 2", "shards 1 of 2"}


async def test_a_process_claims_nothing_of_servers_it_does_not_own(db: Database, clock: FakeClock) -> None:
    first = TimerService(db, clock, FIRST)
    first.register("t", _recorder([], "first"))
    await first.schedule("t", clock.now(), guild_id=ON_1)
    assert await first.claim_next(clock.now()) is None
    assert await first.run_due() == 0
    [pending] = await first.pending(kind="t")
    assert pending.guild_id == ON_1


async def test_a_restart_settles_only_its_own_running_timers(
    db: Database, other_db: Database, clock: FakeClock
) -> None:
    first, second = TimerService(db, clock, FIRST), TimerService(other_db, clock, SECOND)
    for service in (first, second):
        service.register("t", _recorder([], "x"))
        service.register("again", _recorder([], "x"), retry_interrupted=True)
    # Claimed (claim_due: the handlers never start), as if both processes were mid-run when the first died.
    mine_server = await first.schedule("t", clock.now(), guild_id=ON_0)
    mine_dm = await first.schedule("again", clock.now(), user_id=1)
    assert {t.id for t in await first.claim_due(clock.now())} == {mine_server, mine_dm}
    theirs_server = await second.schedule("t", clock.now(), guild_id=ON_1)
    theirs_dm = await second.schedule("again", clock.now(), user_id=2)
    assert {t.id for t in await second.claim_due(clock.now())} == {theirs_server, theirs_dm}

    # The first process restarts: a fresh service with the same shards, hence the same identity.
    restarted = TimerService(db, clock, Ownership(2, (0,)))
    restarted.register("t", _recorder([], "x"))
    restarted.register("again", _recorder([], "x"), retry_interrupted=True)
    assert await restarted.recover_interrupted() == (1, 1)

    claims = await _claims(db)
    assert claims[mine_server][0] == "interrupted" and claims[mine_dm][0] == "pending"
    # The other live process's running work is left alone.
    assert claims[theirs_server] == ("running", "shards 1 of 2") and claims[theirs_dm] == ("running", "shards 1 of 2")


async def test_dm_timers_a_stopped_process_left_running_are_settled_by_another_after_a_day(
    db: Database, other_db: Database, clock: FakeClock
) -> None:
    first, second = TimerService(db, clock, FIRST), TimerService(other_db, clock, SECOND)
    second.register("again", _recorder([], "x"), retry_interrupted=True)
    first.register("again", _recorder([], "x"), retry_interrupted=True)
    theirs = await second.schedule("again", clock.now(), user_id=2)
    assert [t.id for t in await second.claim_due(clock.now())] == [theirs]
    assert await first.recover_interrupted() == (0, 0)
    clock.advance(timedelta(days=2))
    assert await first.recover_interrupted() == (1, 0)


async def test_one_process_owning_everything_settles_everything(db: Database, clock: FakeClock) -> None:
    old = TimerService(db, clock, FIRST)
    old.register("t", _recorder([], "x"))
    await old.schedule("t", clock.now(), guild_id=ON_0)
    await old.schedule("t", clock.now(), user_id=3)
    assert len(await old.claim_due(clock.now())) == 2
    single = TimerService(db, clock)
    single.register("t", _recorder([], "x"))
    assert await single.recover_interrupted() == (0, 2)


async def test_rebuilding_chains_leaves_other_processes_servers_alone(db: Database, clock: FakeClock) -> None:
    first = TimerService(db, clock, FIRST)
    with first.owned_only() as skipped:
        await first.schedule("t", clock.now(), guild_id=ON_1, dedupe_key="t:1")
        await first.schedule("t", clock.now(), guild_id=ON_0, dedupe_key="t:0")
        await first.schedule("t", clock.now(), user_id=4, dedupe_key="t:dm")
    assert skipped.count == 1
    assert sorted(t.guild_id or 0 for t in await first.pending(kind="t")) == [0, ON_0]
    # Outside a rebuild, a process may schedule work for any server (a DM button about another server's round).
    await first.schedule("t", clock.now(), guild_id=ON_1, dedupe_key="t:1")
    assert len(await first.pending(kind="t")) == 3


async def test_health_counts_only_the_late_timers_this_process_would_run(db: Database, clock: FakeClock) -> None:
    first = TimerService(db, clock, FIRST)
    await first.schedule("t", clock.now() - timedelta(hours=1), guild_id=ON_1)
    await first.schedule("t", clock.now() - timedelta(hours=1), guild_id=ON_0)
    assert await first.backlog(clock.now(), timedelta(minutes=5)) == (1, 1)
    assert await TimerService(db, clock).backlog(clock.now(), timedelta(minutes=5)) == (2, 2)


@NEEDS_POSTGRES
async def test_on_postgresql_a_claim_skips_a_timer_another_claim_holds(
    db: Database, database_target: Path | str, clock: FakeClock
) -> None:
    timers = TimerService(db, clock, FIRST)
    timers.register("t", _recorder([], "x"))
    held = await timers.schedule("t", clock.now() - timedelta(minutes=1), user_id=1)
    free = await timers.schedule("t", clock.now(), user_id=2)
    conn = await asyncpg.connect(str(database_target))
    try:
        async with conn.transaction():
            # Another process's claim in flight: it has locked the soonest timer and not committed yet.
            await conn.execute("SELECT id FROM timers WHERE id = $1 FOR UPDATE", held)
            claimed = await asyncio.wait_for(timers.claim_next(clock.now(), track=False), 5)
            assert claimed is not None and claimed.id == free
    finally:
        await conn.close()


async def test_chains_rebuild_only_owned_servers_and_count_only_what_they_added(db: Database, clock: FakeClock) -> None:
    first = TimerService(db, clock, FIRST)
    chains = Chains()
    chains.scope = first.owned_only

    async def rebuild() -> int:
        for n, guild_id in enumerate((ON_0, ON_1, ON_1)):
            await first.schedule("t", clock.now(), guild_id=guild_id, dedupe_key=f"t:{n}")
        return 3

    chains.register("rooms", rebuild)
    assert await chains.reconcile() == {"rooms": 1}
    assert [t.guild_id for t in await first.pending(kind="t")] == [ON_0]
