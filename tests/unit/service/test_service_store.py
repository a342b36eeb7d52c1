"""The service store on a real SQLite file: sign-ups, the waitlist, edits, history, and races."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.errors import KindredError
from bot.privacy import registered_tables
from bot.service import JoinOutcome, Kind, Recurrence, SignupStatus, Status
from bot.store import Store
from tests.support.service import GUILD, create_opportunity, update_opportunity


async def test_join_fills_slots_then_waitlists_in_order(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock, slots=1)
    assert (await store.service.join(opp.id, 10, now=clock.now())).outcome is JoinOutcome.VOLUNTEERED
    second = await store.service.join(opp.id, 11, now=clock.now())
    third = await store.service.join(opp.id, 12, now=clock.now())
    assert (second.outcome, second.position) == (JoinOutcome.WAITLISTED, 1)
    assert (third.outcome, third.position) == (JoinOutcome.WAITLISTED, 2)
    again = await store.service.join(opp.id, 10, now=clock.now())
    assert again.outcome is JoinOutcome.ALREADY_VOLUNTEER
    loaded = await store.service.get(opp.id)
    assert loaded is not None
    assert loaded.volunteers == (10,)
    assert loaded.waitlist == (11, 12)


async def test_withdraw_promotes_the_first_on_the_waitlist(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock, slots=1)
    for uid in (10, 11, 12):
        await store.service.join(opp.id, uid, now=clock.now())
    result = await store.service.withdraw(opp.id, 10, now=clock.now())
    assert result.was is SignupStatus.VOLUNTEER
    assert result.promoted == (11,)
    loaded = await store.service.get(opp.id)
    assert loaded is not None
    assert (loaded.volunteers, loaded.waitlist) == ((11,), (12,))


async def test_leaving_the_waitlist_promotes_nobody(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock, slots=1)
    for uid in (10, 11):
        await store.service.join(opp.id, uid, now=clock.now())
    result = await store.service.withdraw(opp.id, 11, now=clock.now())
    assert (result.was, result.promoted) == (SignupStatus.WAITLIST, ())
    assert (await store.service.withdraw(opp.id, 11, now=clock.now())).was is None


async def test_two_joins_for_the_last_slot_at_once_give_it_to_exactly_one(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock, slots=1)
    results = await asyncio.gather(*(store.service.join(opp.id, uid, now=clock.now()) for uid in (10, 11)))
    outcomes = sorted(r.outcome.value for r in results)
    assert outcomes == [JoinOutcome.VOLUNTEERED.value, JoinOutcome.WAITLISTED.value]
    loaded = await store.service.get(opp.id)
    assert loaded is not None
    assert len(loaded.volunteers) == 1


async def test_many_simultaneous_joins_never_overfill(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock, slots=3)
    await asyncio.gather(*(store.service.join(opp.id, uid, now=clock.now()) for uid in range(100, 120)))
    loaded = await store.service.get(opp.id)
    assert loaded is not None
    assert len(loaded.volunteers) == 3
    assert loaded.waitlist == tuple(u for u in range(100, 120) if u not in loaded.volunteers)


async def test_joining_a_closed_or_missing_opportunity_is_refused(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock)
    await store.service.close(opp.id, Status.CANCELLED, now=clock.now())
    with pytest.raises(KindredError, match="isn't taking volunteers"):
        await store.service.join(opp.id, 10, now=clock.now())
    with pytest.raises(KindredError, match="couldn't find"):
        await store.service.join(9999, 10, now=clock.now())


async def test_growing_slots_promotes_and_shrinking_below_volunteers_is_refused(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock, slots=1)
    for uid in (10, 11, 12):
        await store.service.join(opp.id, uid, now=clock.now())
    old, new, promoted = await update_opportunity(store, clock, opp, slots=2)
    assert promoted == [11]
    assert (old.slots, new.slots, new.volunteers) == (1, 2, (10, 11))
    with pytest.raises(KindredError, match="can't go below 2"):
        await update_opportunity(store, clock, opp, slots=1)


async def test_complete_records_private_history_once(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock)
    await store.service.join(opp.id, 10, now=clock.now())
    await store.service.join(opp.id, 11, now=clock.now())
    done = await store.service.complete(opp.id, [10, 55], now=clock.now())  # 55 never signed up
    assert done is not None and done.status is Status.COMPLETED
    assert await store.service.complete(opp.id, [11], now=clock.now()) is None
    assert [h.title for h in await store.service.history(GUILD, 10)] == ["Greeter"]
    assert await store.service.history(GUILD, 11) == []
    assert await store.service.history(GUILD, 55) == []


async def test_weekly_series_spawns_the_next_occurrence_only_once(store: Store, clock: FakeClock) -> None:
    opp = await create_opportunity(store, clock, recurrence=Recurrence.WEEKLY)
    when = opp.starts_at + timedelta(days=7)
    first, second = await asyncio.gather(
        store.service.spawn_next(opp.id, when, now=clock.now()),
        store.service.spawn_next(opp.id, when, now=clock.now()),
    )
    spawned = [o for o in (first, second) if o is not None]
    assert len(spawned) == 1
    assert spawned[0].starts_at == when
    assert spawned[0].volunteers == ()


async def test_list_open_is_soonest_first_and_filters_by_kind(store: Store, clock: FakeClock) -> None:
    later = await create_opportunity(store, clock, starts_at=clock.now() + timedelta(days=5))
    sooner = await create_opportunity(store, clock, starts_at=clock.now() + timedelta(days=1), kind=Kind.LISTENER)
    gone = await create_opportunity(store, clock)
    await store.service.close(gone.id, Status.CANCELLED, now=clock.now())
    assert [o.id for o in await store.service.list_open(GUILD, now=clock.now())] == [sooner.id, later.id]
    assert [o.id for o in await store.service.list_open(GUILD, now=clock.now(), kind=Kind.LISTENER)] == [sooner.id]


async def test_reminder_opt_out_is_per_opportunity(store: Store, clock: FakeClock) -> None:
    a = await create_opportunity(store, clock)
    b = await create_opportunity(store, clock)
    for opp in (a, b):
        await store.service.join(opp.id, 10, now=clock.now())
    assert await store.service.set_reminders(a.id, 10, on=False)
    assert not await store.service.wants_reminder(a.id, 10)
    assert await store.service.wants_reminder(b.id, 10)


async def test_member_id_tables_are_registered_for_privacy(store: Store) -> None:
    registered = {t.table: t.user_columns for t in registered_tables()}
    assert registered["service_signups"] == ("user_id",)
    assert registered["service_history"] == ("user_id",)
    assert registered["service_opportunities"] == ("poster_user_id",)
