"""Whether to alert a server's crisis team again is decided in the database, so processes racing about one
member store one alert.

Two stores on two connections to the same database stand for two processes of a cluster. Runs on SQLite and,
in the PostgreSQL run, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.crisis import Level
from bot.crisis_care.policy import ALERT_DEDUPE, REPOST_AFTER
from bot.db import Database
from bot.store import Store
from bot.store.crisis import NewAlert

GUILD, ALICE, ALERTS = 501, 1001, 601


def alert(reason: str, level: Level = Level.CONCERN) -> NewAlert:
    return NewAlert(
        guild_id=GUILD, subject_user_id=ALICE, level=level, categories=(), reason=reason, alert_channel_id=ALERTS
    )


@pytest.fixture
async def other_db(database_target: Path | str, db: Database) -> AsyncIterator[Database]:
    """A second connection to the test's database, as another process has."""
    other = await Database.open(database_target)
    yield other
    await other.close()


@pytest.mark.parametrize(("reason", "window"), [("detection", ALERT_DEDUPE), ("consent", REPOST_AFTER)])
async def test_processes_deciding_at_once_store_one_alert(
    db: Database, other_db: Database, clock: FakeClock, reason: str, window: timedelta
) -> None:
    stores = (Store(db), Store(other_db))
    now = clock.now()
    results = await asyncio.gather(
        *(
            s.crisis.create_alert_unless_recent(alert(reason), now=now, since=now - window, at_least=True)
            for s in (*stores, *stores)
        )
    )
    created = [new_id for new_id, _ in results if new_id is not None]
    assert len(created) == 1
    assert {recent.id for _, recent in results if recent is not None} == set(created)
    assert [e.action for e in await stores[0].crisis.audit(GUILD)] == ["alert" if reason == "detection" else "consent"]


async def test_a_higher_level_still_alerts_and_an_old_alert_does_not_hold(
    db: Database, other_db: Database, clock: FakeClock
) -> None:
    first, second = Store(db), Store(other_db)
    now = clock.now()
    since = now - ALERT_DEDUPE
    created, _ = await first.crisis.create_alert_unless_recent(alert("detection"), now=now, since=since, at_least=True)
    assert created is not None
    same, recent = await second.crisis.create_alert_unless_recent(
        alert("detection"), now=now, since=since, at_least=True
    )
    assert same is None and recent is not None and recent.id == created
    higher, _ = await second.crisis.create_alert_unless_recent(
        alert("detection", Level.IMMINENT), now=now, since=since, at_least=True
    )
    assert higher is not None  # a rise in level is news to the team
    # A consent is its own kind: a recent detection alert doesn't hold it back.
    consent, _ = await first.crisis.create_alert_unless_recent(alert("consent"), now=now, since=now - REPOST_AFTER)
    assert consent is not None
    later = now + ALERT_DEDUPE + timedelta(minutes=1)
    again, _ = await first.crisis.create_alert_unless_recent(
        alert("detection", Level.IMMINENT), now=later, since=later - ALERT_DEDUPE, at_least=True
    )
    assert again is not None
