"""Room and service series are derived state too: a crash that loses their timers loses no room or shift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.harness import Harness

EXTENSIONS = ["cogs.rooms", "cogs.interests", "cogs.service"]
EVENTS = "/guilds/{guild_id}/scheduled-events"
ROOM_START = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
DM_KINDS = ("room:remind", "service-remind")  # never rebuilt: a missed reminder beats a repeated one
pytestmark = [
    pytest.mark.extensions(*EXTENSIONS),
    pytest.mark.configure(
        rooms_channel_id="rooms", rooms_category_id="rooms_category", service_board_channel_id="service_board"
    ),
]


async def command(h: Harness, member: Any, name: str, **options: Any) -> None:
    inter = await h.dd.slash(member, name, channel=h.world.general, options=options)
    await inter.response()
    if inter.type == 5:
        await inter.followups(1, timeout=20)  # dateparser loads its data on first use


async def structural(h: Harness) -> list[tuple[str, int | None, datetime, str]]:
    timers = await h.bot.timers.pending()
    return sorted((t.kind, t.guild_id, t.due_at, str(t.payload)) for t in timers if t.kind not in DM_KINDS)


async def test_room_and_service_timers_lost_in_a_crash_are_rebuilt_once(h: Harness) -> None:
    w = h.world
    await command(h, w.alice, "room schedule", interest="meditation", title="Evening sit", when="2026-11-25 19:00",
                  duration=60, voice_channel=w.lounge, recurring="weekly")  # fmt: skip
    await command(h, w.bob, "room schedule", interest="music", title="Jam", when="2026-11-26 20:00", duration=90)
    await command(h, w.carol, "service post", title="Greeter", description="Welcome people at the door.",
                  when="2026-11-27 18:30", duration="90m", slots=2, kind="greeter", recurring="weekly")  # fmt: skip
    before = await structural(h)
    assert {k for k, *_ in before} == {"room:open", "room:start", "room:end", "service-end"}

    await h.bot.db.execute("DELETE FROM timers WHERE status = 'pending'")
    await h.restart()
    assert await structural(h) == before
    for _ in range(2):
        added = await h.bot.chains.reconcile()
        assert added["rooms"] == 0 and added["service"] == 0
    assert await structural(h) == before


async def test_a_weekly_room_that_completed_just_before_a_crash_still_gets_next_week(h: Harness) -> None:
    w = h.world
    await command(h, w.alice, "room schedule", interest="meditation", title="Evening sit", when="2026-11-25 19:00",
                  duration=60, voice_channel=w.lounge, recurring="weekly")  # fmt: skip
    await h.advance(ROOM_START - h.clock.now())
    # The end handler marked the room completed, then the process died before it made next week's.
    await h.bot.db.execute("UPDATE rooms SET status = 'completed'")
    await h.bot.db.execute("DELETE FROM timers WHERE status = 'pending'")
    h.clock.advance(timedelta(hours=1))
    await h.restart()
    await h.run_timers()
    creates = h.dd.calls_to("POST", EVENTS)
    assert len(creates) == 2
    assert creates[1].json["scheduled_start_time"].startswith("2026-12-02T19:00")
    assert (await h.bot.chains.reconcile())["rooms"] == 0  # the new room has its own timers now
    await h.run_timers()
    assert len(h.dd.calls_to("POST", EVENTS)) == 2


async def test_a_weekly_shift_whose_end_was_cut_off_after_closing_still_posts_next_week(h: Harness) -> None:
    w = h.world
    await command(h, w.carol, "service post", title="Greeter", description="Welcome people at the door.",
                  when="2026-11-23 18:00", duration="1h", slots=2, kind="greeter", recurring="weekly")  # fmt: skip
    await h.dd.wait_for_message(w.service_board, lambda m: bool(m["embeds"]))
    h.clock.advance(timedelta(days=1, hours=7))  # Monday 19:00: it has ended
    # The end handler closed it, then the process died before next week's was made.
    await h.bot.db.execute("UPDATE service_opportunities SET status = 'passed'")
    await h.bot.db.execute("UPDATE timers SET status = 'running' WHERE kind = 'service-end'")
    await h.restart()
    await h.run_timers()
    nxt = await h.dd.wait_for_message(w.service_board, lambda m: bool(m["embeds"]))
    assert "<t:1796061600:F>" in nxt["embeds"][0]["fields"][0]["value"]  # 30 November 18:00
    await h.run_timers()
    assert len([m for m in h.dd.messages_in(w.service_board) if m["embeds"]]) == 2
