"""/room end to end through the Discord double: native events, RSVPs, reminders, repeats, restarts."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.rooms.service import NEXT_MAX_ATTEMPTS
from tests.harness import Harness
from tests.support import rooms
from tests.support.interact import answer, click_answer

pytestmark = rooms.ROOMS_MARKS


# -- scheduling ----------------------------------------------------------------------------------
async def test_schedule_in_an_existing_voice_channel_creates_a_voice_event(h: Harness) -> None:
    reply, announcement = await rooms.schedule(h, voice_channel=h.world.lounge, description="Ten minutes of quiet.")
    assert f"<t:{int(rooms.START.timestamp())}:F>" in reply["content"]
    created = h.dd.calls_to("POST", rooms.EVENTS)[-1].json
    assert created["entity_type"] == 2 and int(created["channel_id"]) == h.world.lounge.id
    assert created["privacy_level"] == 2
    assert created["scheduled_start_time"].startswith("2026-11-25T19:00")
    assert created["scheduled_end_time"].startswith("2026-11-25T20:00")
    assert "Ten minutes of quiet." in created["description"]
    embed = announcement["embeds"][0]
    assert embed["title"] == "Evening sit"
    assert f"<#{h.world.lounge.id}>" in str(embed["fields"])
    labels = [c["label"] for c in announcement["components"][0]["components"]]
    assert labels == ["RSVP", "Can't make it"]
    # No role is linked to "meditation", so the announcement pings nobody.
    sent = h.dd.calls_to("POST", f"/channels/{h.world.rooms.id}/messages")[-1].json
    assert sent["allowed_mentions"]["parse"] == [] and not sent["allowed_mentions"].get("roles")


async def test_temporary_room_opens_before_start_runs_and_is_removed_after(h: Harness) -> None:
    _, announcement = await rooms.schedule(h)
    created = h.dd.calls_to("POST", rooms.EVENTS)[-1].json
    # Discord needs a channel for a voice event, so until the room opens the event is "external".
    assert created["entity_type"] == 3 and "opens 15 minutes before" in created["entity_metadata"]["location"]
    assert h.dd.calls_to("POST", "/guilds/{guild_id}/channels") == []

    await rooms.advance_to(h, rooms.START - timedelta(minutes=15))
    made = h.dd.calls_to("POST", "/guilds/{guild_id}/channels")[-1].json
    assert made["type"] == 2 and int(made["parent_id"]) == h.world.rooms_category.id
    record = rooms.event_record(h)
    temp = h.dd.channels[int(record.channel_id)]
    assert record.entity_type == 2 and temp.name == "Evening sit"
    assert f"<#{temp.id}>" in str(rooms.current(h, announcement)["embeds"][0]["fields"])

    await rooms.join(h, h.world.alice, temp)
    await rooms.join(h, h.world.bob, temp)
    await rooms.advance_to(h, rooms.START)
    assert record.status == 2  # active
    await rooms.join(h, h.world.carol, temp)
    await rooms.leave(h, h.world.carol)
    await rooms.leave(h, h.world.bob)
    await rooms.leave(h, h.world.alice)
    await rooms.advance_to(h, rooms.START + timedelta(minutes=60))
    assert record.status == 3  # completed at the end, the room being empty
    statuses = [c.json.get("status") for c in h.dd.calls_to("PATCH", rooms.EVENT)]
    assert 2 in statuses and 3 in statuses
    assert temp.id not in h.dd.channels
    assert h.dd.calls_to("DELETE", f"/channels/{temp.id}")
    note = await h.dd.wait_for_dm(h.world.alice, lambda m: "finished" in m["content"])
    assert "2 people came" in note["content"]  # Bob and Carol; the host is not counted
    assert rooms.current(h, announcement)["components"] == []


async def test_busy_room_completes_once_empty_for_ten_minutes_after_the_end(h: Harness) -> None:
    await rooms.schedule(h, voice_channel=h.world.lounge)
    await rooms.advance_to(h, rooms.START)
    await rooms.join(h, h.world.bob, h.world.lounge)
    await rooms.advance_to(h, rooms.START + timedelta(minutes=60))
    record = rooms.event_record(h)
    assert record.status == 2  # still talking: not cut off
    await rooms.advance_to(h, rooms.START + timedelta(minutes=75))
    await rooms.leave(h, h.world.bob)
    await rooms.advance_to(h, rooms.START + timedelta(minutes=84))
    assert record.status == 2
    await rooms.advance_to(h, rooms.START + timedelta(minutes=85))
    assert record.status == 3


# -- RSVPs and reminders -------------------------------------------------------------------------
async def test_rsvp_by_button_and_native_interest_get_both_reminders(h: Harness) -> None:
    _, announcement = await rooms.schedule(h)
    rid = rooms.room_id(announcement)
    yes = await click_answer(h, h.world.bob, announcement, f"room:rsvp:{rid}:yes")
    assert yes["flags"] & 64 and "You're in" in yes["content"]
    no = await click_answer(h, h.world.dave, announcement, f"room:rsvp:{rid}:no")
    assert "No reminders" in no["content"]
    await rooms.interested(h, h.world.carol, rooms.event_record(h).id)

    await rooms.advance_to(h, rooms.START - timedelta(hours=24))
    for member in (h.world.alice, h.world.bob, h.world.carol):
        dm = await h.dd.wait_for_dm(member, lambda m: m["content"].startswith("Tomorrow"))
        assert "Evening sit" in dm["content"]
    assert h.dd.dms_to(h.world.dave) == []

    # Bob turns reminders off from the reminder itself; Carol un-marks "Interested".
    reminder = h.dd.dms_to(h.world.bob)[-1]
    muted = await click_answer(h, h.world.bob, reminder, f"room:mute:{rid}")
    assert "no more reminders" in muted["content"]
    await rooms.interested(h, h.world.carol, rooms.event_record(h).id, on=False)

    await rooms.advance_to(h, rooms.START - timedelta(minutes=15))
    soon = await h.dd.wait_for_dm(h.world.alice, lambda m: m["content"].startswith("Starting"))
    assert "<#" in soon["content"]  # the temporary channel already exists when the reminder goes
    assert len(h.dd.dms_to(h.world.bob)) == 1
    assert len(h.dd.dms_to(h.world.carol)) == 1


async def test_interest_marked_while_offline_is_picked_up_by_the_reminder(h: Harness) -> None:
    await rooms.schedule(h)
    record = rooms.event_record(h)
    record.interested.append(h.world.dave.id)  # marked while the bot wasn't listening
    await rooms.advance_to(h, rooms.START - timedelta(hours=24))
    await h.dd.wait_for_dm(h.world.dave, lambda m: m["content"].startswith("Tomorrow"))


# -- follower notices -----------------------------------------------------------------------------
async def test_followers_are_pinged_through_the_interests_role_only(h: Harness) -> None:
    role = h.world.guild.add_role("Meditators", mentionable=True)
    await h.bot.store.interests.add(h.world.guild.id, "meditation", role.id, now=h.clock.now())
    _, announcement = await rooms.schedule(h, title=f"<@&{h.world.crisis_team.id}> @everyone sit")
    assert announcement["content"].startswith(f"<@&{role.id}>")
    # The member's title sits only in the embed, where mentions never fire.
    assert str(h.world.crisis_team.id) not in announcement["content"] and "@everyone" not in announcement["content"]
    sent = h.dd.calls_to("POST", f"/channels/{h.world.rooms.id}/messages")[-1].json
    assert [int(r) for r in sent["allowed_mentions"]["roles"]] == [role.id]
    assert sent["allowed_mentions"]["parse"] == []


async def test_followers_without_a_role_get_a_dm_if_they_opted_in(h: Harness) -> None:
    for member, notify in ((h.world.bob, True), (h.world.carol, False)):
        await answer(await h.dd.slash(member, "interests add", channel=h.world.general, interest="music"))
        if notify:
            await answer(await h.dd.slash(member, "interests notify", channel=h.world.general, setting="on"))
    _, announcement = await rooms.schedule(h, interest="music", title="Listening party")
    notice = await h.dd.wait_for_dm(h.world.bob)
    assert "music" in notice["content"] and notice["embeds"][0]["title"] == "Listening party"
    rid = rooms.room_id(announcement)
    yes = await click_answer(h, h.world.bob, notice, f"room:rsvp:{rid}:yes")
    assert "You're in" in yes["content"]
    assert h.dd.dms_to(h.world.carol) == []
    assert await h.bot.store.rooms.going(rid) == sorted([h.world.alice.id, h.world.bob.id])


# -- repeats, edits, cancels ----------------------------------------------------------------------
async def test_weekly_room_creates_the_next_occurrence_when_it_ends(h: Harness) -> None:
    reply, first = await rooms.schedule(h, voice_channel=h.world.lounge, recurring="weekly")
    assert "every week" in reply["content"]
    first_id = rooms.room_id(first)
    await rooms.advance_to(h, rooms.START + timedelta(minutes=60))
    creates = h.dd.calls_to("POST", rooms.EVENTS)
    assert len(creates) == 2
    assert creates[1].json["scheduled_start_time"].startswith("2026-12-02T19:00")
    second = await h.dd.wait_for_message(h.world.rooms)
    assert rooms.room_id(second) != first_id
    assert rooms.current(h, first)["components"] == []  # the finished one lost its buttons
    # And the week after, from the second one.
    await rooms.advance_to(h, rooms.START + timedelta(days=7, minutes=60))
    assert h.dd.calls_to("POST", rooms.EVENTS)[-1].json["scheduled_start_time"].startswith("2026-12-09T19:00")


async def test_next_week_is_retried_for_hours_then_the_host_is_told_once(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await rooms.schedule(h, voice_channel=h.world.lounge, recurring="weekly")
    h.dd.fail_next("POST", rooms.EVENTS, status=400, code=50035, count=100)  # Discord keeps failing
    await rooms.advance_to(h, rooms.START + timedelta(minutes=60))
    for _ in range(2 * 8):  # eight hours, half an hour at a time
        await h.advance(timedelta(minutes=30))
    assert len(h.dd.calls_to("POST", rooms.EVENTS)) == 1 + NEXT_MAX_ATTEMPTS
    told = [m for m in h.dd.dms_to(h.world.alice) if "couldn't set up the next" in m["content"]]
    assert len(told) == 1 and "/room schedule" in told[0]["content"]
    assert await h.bot.timers.pending(kind="room:next") == []
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == NEXT_MAX_ATTEMPTS and "giving up" in errors[-1]
    caplog.clear()  # logged as they should be; the fixture's "nothing logged at ERROR" check is for the rest


async def test_edit_moves_the_event_and_tells_everyone_who_rsvpd(h: Harness) -> None:
    _, announcement = await rooms.schedule(h)
    rid = rooms.room_id(announcement)
    await click_answer(h, h.world.bob, announcement, f"room:rsvp:{rid}:yes")
    inter = await h.dd.slash(
        h.world.alice, "room edit", channel=h.world.general, room=str(rid), when="2026-11-26 20:00", duration=90
    )
    reply = await answer(inter)
    assert "1 member" in reply["content"]
    new_start = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
    patch = h.dd.calls_to("PATCH", rooms.EVENT)[-1].json
    assert patch["scheduled_start_time"].startswith("2026-11-26T20:00")
    assert patch["scheduled_end_time"].startswith("2026-11-26T21:30")
    told = await h.dd.wait_for_dm(h.world.bob)
    assert f"<t:{int(new_start.timestamp())}:F>" in told["content"] and "90 minutes" in told["content"]
    assert f"<t:{int(new_start.timestamp())}:F>" in str(rooms.current(h, announcement)["embeds"][0]["fields"])
    # The old reminder time passes quietly; the new one fires.
    await rooms.advance_to(h, rooms.START - timedelta(hours=24))
    assert len(h.dd.dms_to(h.world.bob)) == 1
    await rooms.advance_to(h, new_start - timedelta(hours=24))
    await h.dd.wait_for_dm(h.world.bob, lambda m: m["content"].startswith("Tomorrow"))


async def test_cancel_one_occurrence_after_confirming_deletes_the_event(h: Harness) -> None:
    _, announcement = await rooms.schedule(h, voice_channel=h.world.lounge)
    rid = rooms.room_id(announcement)
    await click_answer(h, h.world.bob, announcement, f"room:rsvp:{rid}:yes")
    choices = await h.dd.autocomplete(h.world.alice, "room cancel", focused="room", value="", channel=h.world.general)
    assert [c["value"] for c in choices] == [str(rid)]
    ask, confirm = await rooms.ask_cancel(h, rid)
    assert ask.ephemeral and h.dd.calls_to("DELETE", rooms.EVENT) == []
    await rooms.confirm_press(h, h.world.alice, ask, confirm)
    assert h.dd.calls_to("DELETE", rooms.EVENT)
    assert h.dd.scheduled_events == []
    told = await h.dd.wait_for_dm(h.world.bob)
    assert "cancelled" in told["content"]
    assert rooms.current(h, announcement)["components"] == []
    assert await h.bot.timers.pending() == []


async def test_keeping_the_room_at_the_confirmation_changes_nothing(h: Harness) -> None:
    _, announcement = await rooms.schedule(h, voice_channel=h.world.lounge)
    rid = rooms.room_id(announcement)
    ask = await h.dd.slash(h.world.alice, "room cancel", channel=h.world.general, room=str(rid))
    await ask.response()
    keep = next(c for row in ask.components for c in row["components"] if c["label"] == "Keep it")
    press = await h.dd.click(h.world.alice, ask, keep["custom_id"])
    await press.response()
    assert press.data["content"] == "Nothing changed; the room is still on." and press.data["components"] == []
    assert h.dd.calls_to("DELETE", rooms.EVENT) == [] and len(h.dd.scheduled_events) == 1


async def test_cancelling_the_series_stops_weekly_repeats(h: Harness) -> None:
    _, announcement = await rooms.schedule(h, voice_channel=h.world.lounge, recurring="weekly")
    rid = rooms.room_id(announcement)
    await rooms.cancel_room(h, rid, scope="series")
    await rooms.advance_to(h, rooms.START + timedelta(days=8))
    assert len(h.dd.calls_to("POST", rooms.EVENTS)) == 1


async def test_only_the_host_can_change_a_room(h: Harness) -> None:
    _, announcement = await rooms.schedule(h)
    inter = await h.dd.slash(h.world.bob, "room cancel", channel=h.world.general, room=str(rooms.room_id(announcement)))
    reply = await answer(inter)
    assert "Only the room's host" in reply["content"]


async def test_room_list_filters_by_interest_and_my_interests(h: Harness) -> None:
    await rooms.schedule(h, title="Evening sit")
    await rooms.schedule(h, interest="music", title="Listening party", when="2026-11-26 19:00")
    await answer(await h.dd.slash(h.world.bob, "interests add", channel=h.world.general, interest="music"))
    everything = await answer(await h.dd.slash(h.world.bob, "room list", channel=h.world.general))
    text = everything["embeds"][0]["description"]
    assert "Evening sit" in text and "Listening party" in text and f"<t:{int(rooms.START.timestamp())}:F>" in text
    mine = await answer(await h.dd.slash(h.world.bob, "room list", channel=h.world.general, interest="@mine"))
    assert "Listening party" in mine["embeds"][0]["description"]
    assert "Evening sit" not in mine["embeds"][0]["description"]
    choices = await h.dd.autocomplete(h.world.bob, "room list", focused="interest", value="", channel=h.world.general)
    assert choices[0]["value"] == "@mine"


# -- restart -------------------------------------------------------------------------------------
async def test_everything_keeps_working_across_a_restart(h: Harness) -> None:
    _, announcement = await rooms.schedule(h, recurring="weekly")
    rid = rooms.room_id(announcement)
    await click_answer(h, h.world.bob, announcement, f"room:rsvp:{rid}:yes")
    await rooms.advance_to(h, rooms.START - timedelta(hours=24))
    await h.dd.wait_for_dm(h.world.bob, lambda m: m["content"].startswith("Tomorrow"))

    await h.restart()
    # The old announcement's buttons still work, and native interest is still an RSVP.
    yes = await click_answer(h, h.world.dave, announcement, f"room:rsvp:{rid}:yes")
    assert "You're in" in yes["content"]
    await rooms.interested(h, h.world.carol, rooms.event_record(h).id)

    await rooms.advance_to(h, rooms.START - timedelta(minutes=15))
    for member in (h.world.bob, h.world.carol, h.world.dave):
        await h.dd.wait_for_dm(member, lambda m: m["content"].startswith("Starting"))
    temp = h.dd.channels[int(rooms.event_record(h).channel_id)]
    await rooms.join(h, h.world.bob, temp)

    await h.restart()
    await rooms.advance_to(h, rooms.START)
    assert rooms.event_record(h).status == 2
    await rooms.leave(h, h.world.bob)

    await h.restart()
    await rooms.advance_to(h, rooms.START + timedelta(minutes=60))
    assert temp.id not in h.dd.channels
    note = await h.dd.wait_for_dm(h.world.alice, lambda m: "finished" in m["content"])
    assert "1 person came" in note["content"]
    assert h.dd.calls_to("POST", rooms.EVENTS)[-1].json["scheduled_start_time"].startswith("2026-12-02T19:00")


# -- bad input -----------------------------------------------------------------------------------
async def test_unknown_interest_is_refused(h: Harness) -> None:
    assert "isn't one of this server's interests" in await rooms.refused(h, interest="knitting")


async def test_a_time_in_the_past_is_refused(h: Harness) -> None:
    assert "already passed" in await rooms.refused(h, when="2026-11-20 19:00")


@pytest.mark.parametrize("minutes", [5, 300])
async def test_duration_out_of_range_is_refused(h: Harness, minutes: int) -> None:
    assert "15 to 240 minutes" in await rooms.refused(h, duration=minutes)


async def test_a_voice_channel_the_bot_cant_use_is_refused(h: Harness) -> None:
    closed = h.world.guild.add_voice_channel("Private")
    h.world.guild.set_bot_permissions(0, channel=closed, deny=discord.Permissions(connect=True))
    text = await rooms.refused(h, voice_channel=closed)
    assert "Connect" in text and f"<#{closed.id}>" in text
    assert h.dd.calls_to("POST", rooms.EVENTS) == []


async def test_no_category_permission_for_a_temporary_room_is_refused(h: Harness) -> None:
    h.world.guild.set_bot_permissions(0, channel=h.world.rooms_category, deny=discord.Permissions(manage_channels=True))
    text = await rooms.refused(h)
    assert "Manage Channels" in text


async def test_missing_manage_events_is_named_before_calling_discord(h: Harness) -> None:
    h.world.guild.set_bot_permissions(discord.Permissions(view_channel=True, send_messages=True, connect=True))
    text = await rooms.refused(h, voice_channel=h.world.lounge)
    assert "Manage Events" in text
    assert h.dd.calls_to("POST", rooms.EVENTS) == []


async def test_discord_refusing_the_event_names_manage_events(h: Harness) -> None:
    h.dd.fail_next("POST", rooms.EVENTS, status=403, code=50013)
    text = await rooms.refused(h, voice_channel=h.world.lounge)
    assert "Manage Events" in text
    assert h.dd.messages_in(h.world.rooms) == []


async def test_erasing_a_host_cancels_their_rooms_and_tells_rsvps_neutrally(h: Harness) -> None:
    _, announcement = await rooms.schedule(h, voice_channel=h.world.lounge, recurring="weekly")
    await click_answer(h, h.world.bob, announcement, f"room:rsvp:{rooms.room_id(announcement)}:yes")
    await h.bot.erase_hooks["rooms"](h.world.alice.id, h.world.guild.id)
    assert h.dd.scheduled_events == []
    told = await h.dd.wait_for_dm(h.world.bob)
    assert "won't go ahead" in told["content"] and "Alice" not in told["content"]
    await rooms.advance_to(h, rooms.START + timedelta(days=8))
    assert len(h.dd.calls_to("POST", rooms.EVENTS)) == 1


async def test_a_member_with_closed_dms_doesnt_stop_the_others_reminders(h: Harness) -> None:
    _, announcement = await rooms.schedule(h)
    rid = rooms.room_id(announcement)
    for member in (h.world.bob, h.world.carol):
        await click_answer(h, member, announcement, f"room:rsvp:{rid}:yes")
    h.dd.close_dms(h.world.bob)
    await rooms.advance_to(h, rooms.START - timedelta(hours=24))
    await h.dd.wait_for_dm(h.world.carol, lambda m: m["content"].startswith("Tomorrow"))
    assert not await h.bot.store.prefs.is_reachable(h.world.bob.id)
