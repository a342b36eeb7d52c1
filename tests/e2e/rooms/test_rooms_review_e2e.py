"""/room edge cases found in review: the paths a fragile member or a busy host would actually hit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.harness import Harness
from tests.support import rooms
from tests.support.interact import answer, click_answer, settle

pytestmark = rooms.ROOMS_MARKS


async def test_cancelling_one_week_keeps_the_weekly_series_going(h: Harness) -> None:
    _, first = await rooms.schedule(h, voice_channel=h.world.lounge, recurring="weekly")
    rid = rooms.room_id(first)
    done = await rooms.cancel_room(h, rid)
    next_start = int(datetime(2026, 12, 2, 19, 0, tzinfo=UTC).timestamp())
    assert f"The series carries on: the next one is <t:{next_start}:F>" in done["content"]
    assert rooms.current(h, first)["components"] == []
    # Next week's room is set up straight away, so followers can RSVP to it.
    creates = h.dd.calls_to("POST", rooms.EVENTS)
    assert len(creates) == 2
    assert creates[1].json["scheduled_start_time"].startswith("2026-12-02T19:00")
    second = await h.dd.wait_for_message(h.world.rooms, lambda m: rooms.room_id(m) != rid)
    assert second["embeds"][0]["title"] == "Evening sit"
    # And it runs and repeats as usual.
    await rooms.advance_to(h, rooms.START + timedelta(days=7, minutes=60))
    assert h.dd.calls_to("POST", rooms.EVENTS)[-1].json["scheduled_start_time"].startswith("2026-12-09T19:00")


async def test_cancel_confirm_answers_in_time_even_when_telling_many_members_is_slow(h: Harness) -> None:
    _, announcement = await rooms.schedule(h, voice_channel=h.world.lounge)
    rid = rooms.room_id(announcement)
    for member in (h.world.bob, h.world.carol, h.world.dave):
        await click_answer(h, member, announcement, f"room:rsvp:{rid}:yes")
    ask, confirm = await rooms.ask_cancel(h, rid)
    # Discord allows 3 s; here it allows 0.5 s and each DM is held up by a rate limit.
    h.dd.world.interaction_timeout = 0.5
    h.dd.rate_limit_next("POST", "/channels/{channel_id}/messages", retry_after=0.3, count=3)
    final = await rooms.confirm_press(h, h.world.alice, ask, confirm)
    assert "Cancelled this room" in final["content"] and "3 members" in final["content"]
    for member in (h.world.bob, h.world.carol, h.world.dave):
        await h.dd.wait_for_dm(member, lambda m: "cancelled" in m["content"])


async def test_confirming_a_cancel_after_the_room_started_says_so_and_changes_nothing(h: Harness) -> None:
    _, announcement = await rooms.schedule(h, voice_channel=h.world.lounge)
    rid = rooms.room_id(announcement)
    await click_answer(h, h.world.bob, announcement, f"room:rsvp:{rid}:yes")
    ask, confirm = await rooms.ask_cancel(h, rid)
    await rooms.advance_to(h, rooms.START)  # the host hesitated; the room began
    reply = await rooms.confirm_press(h, h.world.alice, ask, confirm)
    assert "already started" in reply["content"] and "Cancelled" not in reply["content"]
    assert h.dd.calls_to("DELETE", rooms.EVENT) == []
    assert h.dd.dms_to(h.world.bob) == []


async def test_members_who_left_the_server_get_no_more_reminders(h: Harness) -> None:
    _, announcement = await rooms.schedule(h)
    rid = rooms.room_id(announcement)
    for member in (h.world.bob, h.world.carol):
        await click_answer(h, member, announcement, f"room:rsvp:{rid}:yes")
    await settle(h, "raw_member_remove", lambda: h.dd.member_leave(h.world.bob))
    await rooms.advance_to(h, rooms.START - timedelta(hours=24))
    await h.dd.wait_for_dm(h.world.carol, lambda m: m["content"].startswith("Tomorrow"))
    assert h.dd.dms_to(h.world.bob) == []


async def test_after_a_long_outage_only_the_reminder_that_still_makes_sense_goes_out(h: Harness) -> None:
    _, announcement = await rooms.schedule(h)
    rid = rooms.room_id(announcement)
    await click_answer(h, h.world.bob, announcement, f"room:rsvp:{rid}:yes")
    # The bot is down from two days before until ten minutes before the start.
    await h.stop()
    h.clock.set(rooms.START - timedelta(minutes=10))
    await h.start(extensions=rooms.EXTENSIONS)
    await h.run_timers()
    sent = h.dd.dms_to(h.world.bob)
    assert [m["content"].split(":")[0] for m in sent] == ["Starting <t"]


async def test_a_room_id_too_big_for_the_database_gets_the_kind_not_found_message(h: Harness) -> None:
    await rooms.schedule(h)
    inter = await h.dd.slash(h.world.alice, "room cancel", channel=h.world.general, room="9" * 30)
    reply = await answer(inter)
    assert "couldn't find that room" in reply["content"]


async def test_a_long_rooms_category_name_still_gives_a_valid_event_location(h: Harness) -> None:
    """Discord refuses an event location over 100 characters, and with it the whole room."""
    long_name = "Voice rooms for meditation, recovery yoga, jam bands and everything else"
    category = h.world.guild.add_category(long_name)
    await h.configure(rooms_category_id=category.id)
    reply, _ = await rooms.schedule(h)
    assert "<t:" in reply["content"]
    created = h.dd.calls_to("POST", rooms.EVENTS)[-1].json
    location = created["entity_metadata"]["location"]
    assert len(location) <= 100 and "opens 15 minutes before" in location
