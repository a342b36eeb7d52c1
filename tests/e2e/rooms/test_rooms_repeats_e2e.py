"""Repeating rooms end to end: every two weeks, a lone cancel that keeps the series, restarts in between,
a restart that cut a lone cancel's chain, and the monthly repeats through /room schedule and /room edit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.harness import Harness
from tests.support.interact import answer
from tests.support.rooms import (
    EVENTS,
    ROOMS_MARKS,
    START,
    advance_to,
    cancel_room,
    refused,
    room_id,
    schedule,
)

pytestmark = ROOMS_MARKS


def starts(h: Harness) -> list[str]:
    return [call.json["scheduled_start_time"][:16] for call in h.dd.calls_to("POST", EVENTS)]


async def test_a_biweekly_room_repeats_a_lone_cancel_keeps_it_and_restarts_lose_nothing(h: Harness) -> None:
    reply, first = await schedule(h, voice_channel=h.world.lounge, recurring="biweekly")
    assert "repeating every two weeks" in reply["content"]
    first_id = room_id(first)
    await advance_to(h, START + timedelta(minutes=60))
    assert starts(h) == ["2026-11-25T19:00", "2026-12-09T19:00"]
    second = await h.dd.wait_for_message(h.world.rooms, lambda m: bool(m["components"]) and room_id(m) != first_id)

    await h.restart()

    done = await cancel_room(h, room_id(second))
    next_at = int(datetime(2026, 12, 23, 19, 0, tzinfo=UTC).timestamp())
    assert f"The series carries on: the next one is <t:{next_at}:F>" in done["content"]
    assert starts(h)[-1] == "2026-12-23T19:00"

    await h.restart()
    await advance_to(h, datetime(2026, 12, 23, 20, 0, tzinfo=UTC))
    assert starts(h) == ["2026-11-25T19:00", "2026-12-09T19:00", "2026-12-23T19:00", "2027-01-06T19:00"]


async def test_a_lone_cancel_whose_next_room_a_crash_cut_off_is_made_after_the_restart(h: Harness) -> None:
    await schedule(h, voice_channel=h.world.lounge, recurring="monthly")
    # The cancel marked it cancelled, then the process died before the next room was made.
    await h.bot.db.execute("UPDATE rooms SET status = 'cancelled'")
    await h.bot.db.execute("DELETE FROM timers WHERE status = 'pending'")
    await h.restart()
    await h.run_timers()
    # 25 November 2026 is the 4th Wednesday; so is 23 December.
    assert starts(h) == ["2026-11-25T19:00", "2026-12-23T19:00"]
    await h.restart()
    await h.run_timers()
    assert len(starts(h)) == 2


async def test_monthly_choices_are_checked_against_the_date_and_an_edit_can_change_the_repeat(h: Harness) -> None:
    text = await refused(h, when="2026-12-16 19:00", voice_channel=h.world.lounge, recurring="monthly_last")
    assert "16 December is the 3rd Wednesday of its month, not the last one" in text
    assert starts(h) == []

    reply, first = await schedule(h, voice_channel=h.world.lounge, recurring="monthly_last")
    assert "repeating monthly on the last Wednesday" in reply["content"]
    inter = await h.dd.slash(
        h.world.alice,
        "room edit",
        channel=h.world.general,
        options={"room": str(room_id(first)), "repeats": "biweekly"},
    )
    edited = await answer(inter)
    assert "repeating every two weeks" in edited["content"]
    await advance_to(h, START + timedelta(minutes=60))
    assert starts(h)[-1] == "2026-12-09T19:00"
