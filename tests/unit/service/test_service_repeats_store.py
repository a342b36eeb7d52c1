"""Repeating service series in the store: any repeat spawns once, a lone cancel keeps the series, and
occurrences cancelled under the old rule (which ended the series) stay ended after migration 0011."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.clock import FakeClock, to_db
from bot.db import Database
from bot.service import Opportunity, Recurrence, Status
from bot.store import Store
from tests.support.service import create_opportunity, update_opportunity


async def _post(store: Store, clock: FakeClock, recurrence: Recurrence) -> Opportunity:
    opp = await create_opportunity(store, clock, recurrence=recurrence, zone="Europe/London")
    await store.service.set_message(opp.id, 500, 600)  # it reached the board
    return opp


async def test_every_repeat_spawns_its_next_occurrence_once_and_keeps_the_rule(store: Store, clock: FakeClock) -> None:
    for recurrence in (Recurrence.BIWEEKLY, Recurrence.MONTHLY, Recurrence.MONTHLY_LAST):
        opp = await _post(store, clock, recurrence)
        when = opp.starts_at + timedelta(days=28)
        nxt = await store.service.spawn_next(opp.id, when, now=clock.now())
        assert nxt is not None and nxt.recurrence is recurrence and nxt.starts_at == when
        assert await store.service.spawn_next(opp.id, when, now=clock.now()) is None


async def test_a_lone_cancel_keeps_the_series_and_a_series_cancel_ends_it(store: Store, clock: FakeClock) -> None:
    lone = await _post(store, clock, Recurrence.MONTHLY)
    whole = await _post(store, clock, Recurrence.MONTHLY)
    closed = await store.service.close(lone.id, Status.CANCELLED, now=clock.now())
    assert closed is not None and closed.recurrence is Recurrence.MONTHLY
    ended = await store.service.close(whole.id, Status.CANCELLED, now=clock.now(), end_series=True)
    assert ended is not None and ended.recurrence is Recurrence.NONE
    # Until its next one exists, the lone cancel still needs its end timer: it is how a restart
    # that cut the chain finds it again. The ended series doesn't.
    needing = {o.id for o in await store.service.needing_end_timer(since=clock.now() - timedelta(days=8))}
    assert lone.id in needing and whole.id not in needing
    await store.service.spawn_next(lone.id, lone.starts_at + timedelta(days=28), now=clock.now())
    needing = {o.id for o in await store.service.needing_end_timer(since=clock.now() - timedelta(days=8))}
    assert lone.id not in needing


async def test_an_edit_can_change_the_repeat_or_keep_it(store: Store, clock: FakeClock) -> None:
    opp = await _post(store, clock, Recurrence.WEEKLY)
    _, kept, _ = await update_opportunity(store, clock, opp, title="Greeter at the side door")
    assert kept.recurrence is Recurrence.WEEKLY
    _, changed, _ = await update_opportunity(store, clock, opp, recurrence=Recurrence.BIWEEKLY)
    assert changed.recurrence is Recurrence.BIWEEKLY


async def test_migration_0011_keeps_old_cancels_as_the_end_of_their_series(db_path: Path, clock: FakeClock) -> None:
    db = await Database.open(db_path)
    assert await db.migrate(target=10) == 10
    now = to_db(clock.now())
    insert = (
        "INSERT INTO service_opportunities (guild_id, poster_user_id, title, description, kind, starts_at, ends_at, "
        "duration_minutes, slots, recurrence, zone, status, message_id, next_id, created_at, updated_at) "
        "VALUES (1, 99, 'Greeter', 'x', 'greeter', ?, ?, 60, 2, 'weekly', 'UTC', ?, 600, ?, ?, ?)"
    )
    await db.execute(insert, (now, now, "cancelled", None, now, now))  # 1: ended the series back then
    await db.execute(insert, (now, now, "cancelled", 5, now, now))  # 2: its next one already exists
    await db.execute(insert, (now, now, "open", None, now, now))  # 3: a live weekly series
    await db.close()
    reopened = await Database.open(db_path)
    try:
        assert await reopened.migrate() >= 11
        rows = await reopened.fetchall("SELECT id, recurrence FROM service_opportunities ORDER BY id")
        assert [(r[0], r[1]) for r in rows] == [(1, "none"), (2, "weekly"), (3, "weekly")]
    finally:
        await reopened.close()
