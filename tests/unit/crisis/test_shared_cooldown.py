"""The crisis answer cooldown and mute are shared by every process on one database, and still hold without it.

Two answer memories on two connections to the same database stand for two processes of a cluster (a member
posting in servers that different processes run). Runs on SQLite and, in the PostgreSQL run, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from bot.clock import FakeClock
from bot.crisis import Level
from bot.crisis_care.memory import AnswerMemory
from bot.crisis_care.policy import ANSWER_COOLDOWN, Why
from bot.crisis_care.work import CareWork
from bot.db import Database
from bot.host import Host
from bot.store import Store

ALICE = 1001


def process(db: Database, clock: FakeClock) -> AnswerMemory:
    """One process's answer memory (the crisis service's), over its own connection."""
    host = cast(Host, SimpleNamespace(store=Store(db), clock=clock))
    return AnswerMemory(host, CareWork(host))


@pytest.fixture
async def other_db(database_target: Path | str, db: Database) -> AsyncIterator[Database]:
    """A second connection to the test's database, as another process has."""
    other = await Database.open(database_target)
    yield other
    await other.close()


async def test_two_processes_share_one_cooldown(db: Database, other_db: Database, clock: FakeClock) -> None:
    first, second = process(db, clock), process(other_db, clock)
    now = clock.now()
    taken = await first.take_answer(ALICE, Level.CONCERN, now)
    assert taken.decision.answer
    first.answered(ALICE, Level.CONCERN, now, taken, delivered=True)
    later = await second.take_answer(ALICE, Level.CONCERN, now + timedelta(minutes=5))
    assert not later.decision.answer and later.decision.why is Why.COOLDOWN
    # Past the cooldown either process answers again, once.
    after = now + ANSWER_COOLDOWN + timedelta(minutes=1)
    assert (await second.take_answer(ALICE, Level.CONCERN, after)).decision.answer
    assert not (await first.take_answer(ALICE, Level.CONCERN, after)).decision.answer


async def test_two_processes_deciding_at_once_answer_once(db: Database, other_db: Database, clock: FakeClock) -> None:
    first, second = process(db, clock), process(other_db, clock)
    results = await asyncio.gather(
        *(memory.take_answer(ALICE, Level.CONCERN, clock.now()) for memory in (first, second, first, second))
    )
    assert [r.decision.answer for r in results].count(True) == 1


async def test_a_mute_saved_by_one_process_holds_in_the_other(
    db: Database, other_db: Database, clock: FakeClock
) -> None:
    await Store(db).crisis.set_muted(ALICE, True, now=clock.now())
    taken = await process(other_db, clock).take_answer(ALICE, Level.IMMINENT, clock.now())
    assert not taken.decision.answer and taken.decision.why is Why.MUTED


async def test_an_answer_that_never_arrived_is_given_back(db: Database, other_db: Database, clock: FakeClock) -> None:
    first, second = process(db, clock), process(other_db, clock)
    now = clock.now()
    taken = await first.take_answer(ALICE, Level.CONCERN, now)
    first.answered(ALICE, Level.CONCERN, now, taken, delivered=False)  # DMs closed and no channel to say it in
    await first.work.wait_idle()
    assert (await second.take_answer(ALICE, Level.CONCERN, now + timedelta(minutes=1))).decision.answer


async def test_with_the_database_down_the_cooldown_holds_in_memory_and_says_so(
    db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    memory = process(db, clock)
    now = clock.now()
    memory.note_muted(ALICE + 1, True)
    await db.close()
    with caplog.at_level(logging.WARNING):
        taken = await memory.take_answer(ALICE, Level.CONCERN, now)
        assert taken.decision.answer and taken.previous is None
        memory.answered(ALICE, Level.CONCERN, now, taken, delivered=True)
        again = await memory.take_answer(ALICE, Level.CONCERN, now + timedelta(minutes=1))
        muted = await memory.take_answer(ALICE + 1, Level.IMMINENT, now)
        await memory.work.wait_idle()
    assert not again.decision.answer and again.decision.why is Why.COOLDOWN
    assert not muted.decision.answer and muted.decision.why is Why.MUTED
    assert "deciding on a crisis answer failed" in caplog.text
