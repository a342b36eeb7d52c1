"""Newcomer-friendly rooms: hosts mark them, and members in their first 30 days who asked get the week's
next ones by private DM, in their own time zone, with native event links."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.newcomers.rhythm import ROOMS_KIND
from tests.harness import Harness
from tests.support.newcomers import live_until

EXTENSIONS = ["cogs.checkins", "cogs.newcomers", "cogs.rooms", "cogs.interests"]
pytestmark = [
    pytest.mark.extensions(*EXTENSIONS),
    pytest.mark.configure(rooms_channel_id="rooms", rooms_category_id="rooms_category"),
    pytest.mark.quiet,
]
FIRST_SIT = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)  # Wednesday, 14:00 in New York


async def schedule(h: Harness, title: str, when: str, **extra: Any) -> str:
    options: dict[str, Any] = {"interest": "meditation", "title": title, "when": when, "duration": 60, **extra}
    inter = await h.dd.slash(h.world.bob, "room schedule", channel=h.world.general, options=options)
    await inter.response()
    [reply] = await inter.followups(1)
    assert reply["flags"] & 64
    return str(reply["content"])


def room_notes(h: Harness, member: Any) -> list[str]:
    return [m["content"] for m in h.dd.dms_to(member) if m["content"].startswith("🌿 **Rooms this week")]


async def only_rooms(h: Harness, member: Any) -> None:
    await h.private_command(member, "recovery support on", buddy=False, checkins=False, milestones=False)


async def test_a_weekly_dm_lists_the_next_newcomer_friendly_rooms_in_the_members_time_zone(h: Harness) -> None:
    reply = await schedule(h, "Gentle first sit", "2026-11-25 19:00", newcomer_friendly=True)
    assert "Marked newcomer-friendly" in reply
    await schedule(h, "Deep practice", "2026-11-24 19:00")  # not marked
    await h.bot.store.prefs.set_timezone(h.world.alice.id, "America/New_York", now=h.clock.now())
    await only_rooms(h, h.world.alice)
    [note_timer] = await h.bot.timers.pending(kind=ROOMS_KIND)
    assert note_timer.due_at == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # 19:00 on day 1, her time
    await live_until(h, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    [note] = room_notes(h, h.world.alice)
    assert "Gentle first sit" in note and "Deep practice" not in note
    assert f"<t:{int(FIRST_SIT.timestamp())}:F>" in note and "Wed 25 Nov, 14:00 your time" in note
    room = (await h.bot.store.newcomer_rooms.upcoming(h.world.guild.id, h.clock.now(), FIRST_SIT))[0]
    assert room.event_id is not None
    assert f"https://discord.com/events/{h.world.guild.id}/{room.event_id}" in note
    # Nothing about her is public: the announcement names the room, never who was told about it.
    assert all(str(h.world.alice.id) not in m["content"] for m in h.dd.messages_in(h.world.rooms))
    # The next week has no newcomer-friendly room: no note (and no empty one), but the chain goes on.
    await live_until(h, datetime(2026, 12, 1, tzinfo=UTC))
    assert len(room_notes(h, h.world.alice)) == 1
    [later] = await h.bot.timers.pending(kind=ROOMS_KIND)
    assert later.payload["what"] == "15"


async def test_members_who_did_not_choose_rooms_get_no_room_notes(h: Harness) -> None:
    await schedule(h, "Gentle first sit", "2026-11-25 19:00", newcomer_friendly=True)
    await h.private_command(h.world.alice, "recovery support on", buddy=False, rooms=False)
    await live_until(h, datetime(2026, 11, 26, tzinfo=UTC))
    assert room_notes(h, h.world.alice) == []
    assert await h.bot.timers.pending(kind=ROOMS_KIND) == []


async def test_a_cancelled_room_is_not_suggested(h: Harness) -> None:
    await schedule(h, "Gentle first sit", "2026-11-25 19:00", newcomer_friendly=True)
    await schedule(h, "Another gentle sit", "2026-11-26 19:00", newcomer_friendly=True)
    until = datetime(2026, 12, 1, tzinfo=UTC)
    [first, _] = await h.bot.store.newcomer_rooms.upcoming(h.world.guild.id, h.clock.now(), until)
    ask = await h.dd.slash(h.world.bob, "room cancel", channel=h.world.general, room=str(first.id))
    await ask.response()
    confirm = next(c for row in ask.components for c in row["components"] if c["label"] == "Cancel it")
    press = await h.dd.click(h.world.bob, ask, confirm["custom_id"])
    await press.response()
    await h.dd.wait_for_call(
        "PATCH", "/webhooks/{application_id}/{token}/messages/@original", lambda c: press.token in c.path
    )
    await only_rooms(h, h.world.alice)
    await live_until(h, datetime(2026, 11, 23, tzinfo=UTC))
    [note] = room_notes(h, h.world.alice)
    assert "Another gentle sit" in note and "Gentle first sit" not in note
