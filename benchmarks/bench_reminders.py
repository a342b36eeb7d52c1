"""Benchmark: 10,000 members whose daily reminders fall due in the same minute.

Run from the project root: ``.venv/bin/python benchmarks/bench_reminders.py`` (``--members N`` to resize).

Three measurements, each on its own copy of the same real SQLite file (WAL, as in production):

1. **decide** (what the bot does): claim the due timers through ``TimerService.claim_due`` (one claim
   per timer, as the dispatcher takes them, up to 500 per call) and filter out members who already
   checked in on their local date with one ``json_each`` join per batch (``CheckinRepo.checked_in_many``).
2. **baseline** (measured in the same run): a naive loop, per member, of SELECT the pending timer,
   UPDATE it to running, SELECT "checked in today?".
3. **pipeline**: the real ``CheckinScheduler`` handler behind ``TimerService.run_due``, with a counting
   sender instead of Discord, run by TWO dispatchers concurrently. Every member who hasn't checked in
   must be handed to the sender exactly once, nobody else at all, and each must have exactly one next
   reminder pending for tomorrow.

Peak Python memory is measured with ``tracemalloc`` around each phase. 30% of members already
checked in; members are spread over 12 time zones, all with a reminder due at 19:00 UTC.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.checkins.reminders import REMINDER_KIND, CheckinScheduler, reminder_key
from bot.clock import FakeClock, to_db
from bot.db import Database
from bot.store import Store
from bot.timers import TimerService
from tests.support.reminders import CountingSender

T = TypeVar("T")

DUE = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
NOW = DUE + timedelta(seconds=30)  # the poll finds them 30 s after the minute began
# Zones whose offset makes 19:00 UTC a whole local hour (so every member's wall time is HH:00).
ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Athens",
    "Asia/Dubai",
    "Asia/Dhaka",
    "Asia/Tokyo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
)
GUILD = 1
CHECKED_IN_EVERY = 10  # members with id % 10 < 3 checked in already (30%)


def already_checked_in(user_id: int) -> bool:
    return user_id % CHECKED_IN_EVERY < 3


async def build(path: Path, members: int) -> None:
    """Create the shared starting database: reminders, due timers and today's check-ins."""
    db = await Database.open(path)
    await db.migrate()
    now = to_db(DUE - timedelta(days=1))
    reminders, timers, checkins = [], [], []
    for i in range(members):
        user_id = 10_000 + i
        zone = ZoneInfo(ZONES[i % len(ZONES)])
        local = DUE.astimezone(zone)
        reminders.append((user_id, GUILD, local.strftime("%H:%M"), zone.key, now))
        timers.append((REMINDER_KIND, to_db(DUE), GUILD, user_id, reminder_key(user_id), now))
        if already_checked_in(user_id):
            checkins.append((GUILD, user_id, now, local.date().isoformat()))
    async with db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO checkin_reminders (user_id, guild_id, local_time, timezone, updated_at) VALUES (?, ?, ?, ?, ?)",
            reminders,
        )
        await tx.executemany(
            "INSERT INTO timers (kind, due_at, guild_id, user_id, dedupe_key, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            timers,
        )
        await tx.executemany(
            "INSERT INTO checkins (guild_id, user_id, created_at, local_date, mood, craving) VALUES (?, ?, ?, ?, 3, 2)",
            checkins,
        )
    await db.close()


TRACE = False  # set per pass by main(): tracemalloc slows Python several-fold, so time and memory are separate passes


async def measure(fn: Callable[[], Awaitable[T]]) -> tuple[T, float, int]:
    """Run ``fn`` once; return its result, wall seconds (untraced pass) or peak traced bytes (traced pass)."""
    if TRACE:
        tracemalloc.start()
        tracemalloc.reset_peak()
    started = time.perf_counter()
    result = await fn()
    elapsed = time.perf_counter() - started
    peak = 0
    if TRACE:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, elapsed, peak


async def decide(path: Path) -> tuple[set[int], float, int]:
    """The bot's way: batched claims plus one batched "already checked in" query per batch."""
    db = await Database.open(path)
    store = Store(db)
    timers = TimerService(db, FakeClock(NOW))

    async def noop(_: Any) -> None:
        return None

    timers.register(REMINDER_KIND, noop)

    async def run() -> set[int]:
        due: set[int] = set()
        while True:
            batch = await timers.claim_due(NOW)
            if not batch:
                return due
            pairs = []
            for timer in batch:
                assert timer.user_id is not None
                zone = ZoneInfo(ZONES[(timer.user_id - 10_000) % len(ZONES)])
                pairs.append((timer.user_id, timer.due_at.astimezone(zone).date()))
            done = await store.checkins.checked_in_many(pairs)
            due |= {user_id for user_id, _ in pairs if user_id not in done}

    result, seconds, peak = await measure(run)
    await db.close()
    return result, seconds, peak


async def baseline(path: Path) -> tuple[set[int], float, int]:
    """Naive: per member, SELECT its timer, UPDATE it, SELECT whether it checked in."""
    db = await Database.open(path)
    user_ids = [r[0] for r in await db.fetchall("SELECT user_id FROM checkin_reminders ORDER BY user_id")]

    async def run() -> set[int]:
        due: set[int] = set()
        for user_id in user_ids:
            row = await db.fetchone(
                "SELECT id, due_at FROM timers WHERE user_id = ? AND kind = ? AND status = 'pending' AND due_at <= ?",
                (user_id, REMINDER_KIND, to_db(NOW)),
            )
            if row is None:
                continue
            await db.execute("UPDATE timers SET status = 'running' WHERE id = ? AND status = 'pending'", (row[0],))
            zone = ZoneInfo(ZONES[(user_id - 10_000) % len(ZONES)])
            day = DUE.astimezone(zone).date().isoformat()
            if await db.fetchval("SELECT 1 FROM checkins WHERE user_id = ? AND local_date = ?", (user_id, day)) is None:
                due.add(user_id)
        return due

    result, seconds, peak = await measure(run)
    await db.close()
    return result, seconds, peak


async def pipeline(path: Path) -> tuple[Counter[int], float, int, int]:
    """The real handler under two concurrent dispatchers; returns per-member send counts."""
    db = await Database.open(path)
    store = Store(db)
    clock = FakeClock(NOW)
    timers = TimerService(db, clock)
    sender = CountingSender()
    CheckinScheduler(store, timers, clock, send_reminder=sender).register()

    async def run() -> Counter[int]:
        await asyncio.gather(timers.run_due(), timers.run_due())
        return sender.sent

    result, seconds, peak = await measure(run)
    pending = await db.fetchval(
        "SELECT COUNT(*) FROM timers WHERE status = 'pending' AND kind = ? AND due_at > ?", (REMINDER_KIND, to_db(NOW))
    )
    await db.close()
    return result, seconds, peak, int(pending)


async def main(members: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.db"
        await build(source, members)
        expected = {10_000 + i for i in range(members) if not already_checked_in(10_000 + i)}

        def fresh(name: str) -> Path:
            copy = Path(tmp) / f"{name}.db"
            shutil.copy(source, copy)
            return copy

        global TRACE
        TRACE = False
        due, t_decide, _ = await decide(fresh("decide"))
        naive_due, t_naive, _ = await baseline(fresh("baseline"))
        sent, t_pipe, _, pending = await pipeline(fresh("pipeline"))
        TRACE = True
        _, _, m_decide = await decide(fresh("decide-mem"))
        _, _, m_naive = await baseline(fresh("baseline-mem"))
        traced_sent, _, m_pipe, _ = await pipeline(fresh("pipeline-mem"))
        assert traced_sent == sent

    assert due == expected, "decide picked the wrong members"
    assert naive_due == expected, "baseline picked the wrong members"
    exactly_once = all(sent[u] == 1 for u in expected) and set(sent) == expected
    print(f"members with a reminder due in the same minute: {members:,} ({len(expected):,} not yet checked in)")
    print(
        f"decide   (claim_due, one claim per timer + batched filter): {t_decide * 1000:8.1f} ms   peak {m_decide / 1e6:6.2f} MB"
    )
    print(
        f"baseline (per-row SELECT + UPDATE + SELECT loop):       {t_naive * 1000:8.1f} ms   peak {m_naive / 1e6:6.2f} MB"
    )
    print(
        f"pipeline (real handler, 2 concurrent dispatchers):      {t_pipe * 1000:8.1f} ms   peak {m_pipe / 1e6:6.2f} MB"
    )
    print(f"ratio baseline / decide time: {t_naive / t_decide:5.1f}x   memory: {m_naive / max(m_decide, 1):5.2f}x")
    print(
        f"handed to the sender: {sum(sent.values()):,} sends to {len(sent):,} members; "
        f"max per member {max(sent.values(), default=0)}; checked-in members sent: "
        f"{sum(1 for u in sent if already_checked_in(u))}"
    )
    print(f"exactly once: {'YES' if exactly_once else 'NO'}; next reminders pending: {pending:,} of {members:,}")
    assert exactly_once, "some reminder was sent twice, or to the wrong member"
    assert pending == members, "every member should have exactly one next reminder"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    asyncio.run(main(parser.parse_args().members))
