"""RoomRepo against a real migrated SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.privacy import registered_tables
from bot.store import Store
from bot.store.rooms import ACTIVE, CANCELLED, COMPLETED, Room, RoomDetails, RoomSeries

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
GUILD, HOST, ALICE, BOB = 1, 10, 11, 12


async def _series(store: Store, *, recurrence: str = "none") -> RoomSeries:
    interest = await store.interests.find(GUILD, "meditation", now=NOW)
    assert interest is not None
    details = RoomDetails(
        guild_id=GUILD,
        host_user_id=HOST,
        interest_id=interest.id,
        interest_name=interest.name,
        title="Sit",
        description=None,
        duration_minutes=60,
        voice_channel_id=None,
    )
    return await store.rooms.create_series(details, timezone="UTC", recurrence=recurrence, now=NOW)


async def _room(store: Store, start: datetime = NOW + timedelta(days=1)) -> Room:
    series = await _series(store)
    return await store.rooms.create_room(series, start_at=start, end_at=start + timedelta(hours=1), now=NOW)


async def test_room_tables_are_registered_as_private() -> None:
    names = {t.table for t in registered_tables()}
    assert {"rooms", "room_series", "room_rsvps", "room_attendance"} <= names


async def test_create_room_copies_the_series(store: Store) -> None:
    room = await _room(store)
    assert room.title == "Sit" and room.status == "scheduled" and room.channel_id is None
    await store.rooms.set_temp_channel(room.id, 555)
    await store.rooms.set_event(room.id, 777)
    found = await store.rooms.by_event(777)
    assert found is not None and found.channel_id == 555


async def test_button_answer_survives_native_interest_removal(store: Store) -> None:
    room = await _room(store)
    await store.rooms.rsvp(room.id, ALICE, going=True, source="button", now=NOW)
    assert not await store.rooms.add_event_interest(room.id, ALICE, now=NOW)
    assert not await store.rooms.drop_event_interest(room.id, ALICE)
    assert await store.rooms.add_event_interest(room.id, BOB, now=NOW)
    assert await store.rooms.going(room.id) == [ALICE, BOB]
    assert await store.rooms.drop_event_interest(room.id, BOB)
    assert await store.rooms.going(room.id) == [ALICE]


async def test_cant_make_it_and_reminder_opt_out(store: Store) -> None:
    room = await _room(store)
    await store.rooms.rsvp(room.id, ALICE, going=True, source="button", now=NOW)
    await store.rooms.rsvp(room.id, BOB, going=True, source="button", now=NOW)
    await store.rooms.set_reminders(room.id, BOB, False)
    assert await store.rooms.going(room.id, wants_reminders=True) == [ALICE]
    await store.rooms.rsvp(room.id, ALICE, going=False, source="button", now=NOW)
    assert await store.rooms.going(room.id) == [BOB]
    assert await store.rooms.rsvp_of(room.id, BOB) == (True, False)


async def test_status_moves_only_forward_from_open(store: Store) -> None:
    room = await _room(store)
    assert await store.rooms.set_status(room.id, ACTIVE)
    assert await store.rooms.set_status(room.id, COMPLETED)
    assert not await store.rooms.set_status(room.id, CANCELLED)


async def test_upcoming_filters_by_interest_and_hides_finished(store: Store) -> None:
    first = await _room(store, NOW + timedelta(days=1))
    second = await _room(store, NOW + timedelta(days=2))
    await store.rooms.set_status(first.id, CANCELLED)
    assert [r.id for r in await store.rooms.upcoming(GUILD, now=NOW)] == [second.id]
    assert await store.rooms.upcoming(GUILD, now=NOW, interest_ids=[]) == []


async def test_attendance_is_recorded_once_per_person(store: Store) -> None:
    room = await _room(store)
    for user in (ALICE, ALICE, BOB):
        await store.rooms.record_attendance(room.id, user, now=NOW)
    assert await store.rooms.attendees(room.id) == [ALICE, BOB]


async def test_series_end_and_later_occurrence_lookup(store: Store) -> None:
    series = await _series(store, recurrence="weekly")
    room = await store.rooms.create_room(series, start_at=NOW, end_at=NOW + timedelta(hours=1), now=NOW)
    assert await store.rooms.later_in_series(series.id, room.start_at) is None
    nxt = await store.rooms.create_room(
        series, start_at=NOW + timedelta(days=7), end_at=NOW + timedelta(days=7, hours=1), now=NOW
    )
    later = await store.rooms.later_in_series(series.id, room.start_at)
    assert later is not None and later.id == nxt.id
    await store.rooms.end_series(series.id)
    again = await store.rooms.series(series.id)
    assert again is not None and not again.active and again.recurrence == "weekly"


async def test_every_repeating_series_is_a_tail_to_follow_and_an_edit_can_change_its_repeat(store: Store) -> None:
    tails = []
    for recurrence in ("weekly", "biweekly", "monthly", "monthly_last", "none"):
        series = await _series(store, recurrence=recurrence)
        room = await store.rooms.create_room(series, start_at=NOW, end_at=NOW + timedelta(hours=1), now=NOW)
        await store.rooms.set_status(room.id, "cancelled")
        tails.append(series.id)
    found = [room.series_id for room in await store.rooms.repeating_series_tails()]
    assert found == tails[:4]  # a one-off has nothing to follow
    await store.rooms.update_series_details(tails[0], title="Sit", description=None, duration_minutes=60)
    kept = await store.rooms.series(tails[0])
    assert kept is not None and kept.recurrence == "weekly"
    await store.rooms.update_series_details(
        tails[0], title="Sit", description=None, duration_minutes=60, recurrence="monthly"
    )
    changed = await store.rooms.series(tails[0])
    assert changed is not None and changed.recurrence == "monthly"
