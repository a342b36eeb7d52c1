"""Daily reminders end to end: firing, the button, pause, weekdays, DST, restarts, closed DMs, weekly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.checkins.reminders import REMINDER_KIND, WEEKLY_KIND
from tests.double import InteractionHandle
from tests.harness import Harness

EXTENSIONS = ["cogs.checkins"]
pytestmark = pytest.mark.extensions(*EXTENSIONS)


async def run(h: Harness, member: Any, command: str, **options: Any) -> InteractionHandle:
    return await h.command(member, f"checkin {command}", **options)


async def pending_due(h: Harness, kind: str = REMINDER_KIND) -> list[datetime]:
    return [t.due_at for t in await h.bot.timers.pending(kind=kind)]


def reminders_to(h: Harness, member: Any) -> list[dict[str, Any]]:
    return [m for m in h.dd.dms_to(member) if "Time for your check-in" in m["content"]]


async def down_until(h: Harness, back: datetime) -> None:
    """Alice sets a 19:00 UTC reminder, then the bot is down until ``back`` and starts again."""
    await run(h, h.world.alice, "remind set", time="19:00", timezone="UTC")
    await h.stop()
    h.clock.set(back)
    await h.start(extensions=EXTENSIONS)


async def only_tomorrows_reminder_comes(h: Harness, *, after: timedelta) -> None:
    """Alice got no reminder today; the next is tomorrow at 19:00 and arrives once the clock moves ``after``."""
    assert reminders_to(h, h.world.alice) == []
    assert await pending_due(h) == [datetime(2026, 11, 23, 19, 0, tzinfo=UTC)]
    await h.advance(after)
    assert len(reminders_to(h, h.world.alice)) == 1


async def restart(h: Harness) -> None:
    await h.stop()
    await h.start(extensions=EXTENSIONS)


# -- setting and firing ------------------------------------------------------------------------
async def test_reminder_fires_at_the_local_time_with_a_button_that_opens_the_modal(h: Harness) -> None:
    inter = await run(h, h.world.alice, "remind set", time="19:00", timezone="Europe/London")
    first = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
    assert inter.ephemeral and "19:00" in inter.content and f"<t:{int(first.timestamp())}:F>" in inter.content
    assert await pending_due(h) == [datetime(2026, 11, 22, 19, 0, tzinfo=UTC)]
    assert await h.advance(timedelta(hours=6, minutes=59)) == 0
    assert await h.advance(timedelta(minutes=1)) == 1
    [dm] = reminders_to(h, h.world.alice)
    button = dm["components"][0]["components"][0]
    assert button["label"] == "Check in now" and button["custom_id"] == f"checkin:now:{h.world.guild.id}"
    # The next one is already scheduled, from the local wall-clock time.
    assert await pending_due(h) == [datetime(2026, 11, 23, 19, 0, tzinfo=UTC)]
    opened = await h.dd.click(h.world.alice, dm, button["custom_id"])
    await opened.response()
    submitted = await h.dd.submit_modal(h.world.alice, opened, {"mood": "4", "craving": "1"})
    await submitted.response()
    assert "okay" in submitted.content
    [entry] = await h.bot.store.checkins.entries_since(h.world.alice.id, h.clock.now().date())
    assert entry.guild_id == h.world.guild.id and entry.mood == 4


async def test_button_on_an_old_reminder_works_after_a_restart(h: Harness) -> None:
    await run(h, h.world.alice, "remind set", time="13:00", timezone="UTC")
    await h.advance(timedelta(hours=1))
    [dm] = reminders_to(h, h.world.alice)
    await restart(h)
    opened = await h.dd.click(h.world.alice, dm, f"checkin:now:{h.world.guild.id}")
    await opened.response()
    assert opened.modal["title"] == "Check in"


async def test_an_old_reminder_after_leaving_the_server_records_and_posts_nothing(h: Harness) -> None:
    await h.configure(checkin_share_channel_id=h.world.general.id)
    await run(h, h.world.alice, "remind set", time="13:00", timezone="UTC")
    await h.advance(timedelta(hours=1))
    [dm] = reminders_to(h, h.world.alice)
    opened = await h.dd.click(h.world.alice, dm, f"checkin:now:{h.world.guild.id}")
    await opened.response()
    # She leaves while the modal is open: the check-in is not recorded in a server she isn't in.
    h.world.guild.remove_member(h.world.alice)
    before = len(h.dd.messages_in(h.world.general))
    submitted = await h.dd.submit_modal(h.world.alice, opened, {"mood": "4", "craving": "1", "share": "with my name"})
    await submitted.response()
    assert submitted.ephemeral and "server you're not in" in submitted.content
    assert len(h.dd.messages_in(h.world.general)) == before
    assert await h.bot.store.checkins.entries_since(h.world.alice.id, h.clock.now().date()) == []
    # And the old button itself is refused now, before a modal opens.
    again = await h.dd.click(h.world.alice, dm, f"checkin:now:{h.world.guild.id}")
    await again.response()
    assert again.type == 4 and again.ephemeral and "server you're not in" in again.content


async def test_no_reminder_when_the_member_already_checked_in_that_day(h: Harness) -> None:
    await run(h, h.world.alice, "remind set", time="19:00", timezone="UTC")
    await run(h, h.world.alice, "today", mood=3, craving=2)
    assert await h.advance(timedelta(hours=7)) == 1
    await only_tomorrows_reminder_comes(h, after=timedelta(days=1))


async def test_pause_skips_the_next_days_and_resumes_by_itself(h: Harness) -> None:
    await run(h, h.world.alice, "remind set", time="19:00", timezone="UTC")
    inter = await run(h, h.world.alice, "pause", days=2)
    assert "paused" in inter.content and "Tuesday 24 November" in inter.content
    assert await pending_due(h) == [datetime(2026, 11, 24, 19, 0, tzinfo=UTC)]
    await h.advance(timedelta(days=2))
    assert reminders_to(h, h.world.alice) == []
    await h.advance(timedelta(hours=7))
    assert len(reminders_to(h, h.world.alice)) == 1


async def test_chosen_weekdays_only(h: Harness) -> None:
    # Start: Sunday 22 Nov. Mon/Wed only → Mon 23, Wed 25, Mon 30.
    await run(h, h.world.alice, "remind set", time="08:00", timezone="UTC", weekdays="mon,wed")
    times = await sent_times(h, h.world.alice, 24 * 9, timedelta(hours=1))
    assert [t.date().isoformat() for t in times] == ["2026-11-23", "2026-11-25", "2026-11-30"]
    assert await pending_due(h) == [datetime(2026, 12, 2, 8, 0, tzinfo=UTC)]


async def test_remind_off_cancels_the_pending_reminder(h: Harness) -> None:
    await run(h, h.world.alice, "remind set", time="19:00", timezone="UTC")
    inter = await run(h, h.world.alice, "remind off")
    assert "off" in inter.content
    assert await pending_due(h) == []
    await h.advance(timedelta(days=2))
    assert reminders_to(h, h.world.alice) == []


# -- daylight saving ---------------------------------------------------------------------------
async def sent_times(h: Harness, member: Any, hours: int, step: timedelta) -> list[datetime]:
    """Walk the clock in steps, recording when each reminder went out."""
    times: list[datetime] = []
    for _ in range(int(timedelta(hours=hours) / step)):
        before = len(reminders_to(h, member))
        await h.advance(step)
        times += [h.clock.now()] * (len(reminders_to(h, member)) - before)
    return times


async def test_fall_back_keeps_the_local_hour_and_never_doubles(h: Harness) -> None:
    h.clock.set(datetime(2026, 10, 30, 12, 0, tzinfo=UTC))
    await run(h, h.world.alice, "remind set", time="19:00", timezone="America/New_York")
    times = await sent_times(h, h.world.alice, 24 * 4, timedelta(minutes=30))
    local = [t.astimezone(ZoneInfo("America/New_York")) for t in times]
    assert [(t.day, t.hour, t.minute) for t in local] == [(30, 19, 0), (31, 19, 0), (1, 19, 0), (2, 19, 0)]
    assert times[2] == datetime(2026, 11, 2, 0, 0, tzinfo=UTC)  # 19:00 EST, an hour later in UTC


async def test_ambiguous_fall_back_time_fires_once_at_the_first_occurrence(h: Harness) -> None:
    h.clock.set(datetime(2026, 10, 31, 12, 0, tzinfo=UTC))
    await run(h, h.world.alice, "remind set", time="01:30", timezone="America/New_York")
    times = await sent_times(h, h.world.alice, 44, timedelta(minutes=15))
    assert times == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC), datetime(2026, 11, 2, 6, 30, tzinfo=UTC)]


async def test_spring_forward_gap_moves_to_the_first_valid_minute(h: Harness) -> None:
    h.clock.set(datetime(2027, 3, 27, 12, 0, tzinfo=UTC))
    await run(h, h.world.alice, "remind set", time="01:30", timezone="Europe/London")
    times = await sent_times(h, h.world.alice, 40, timedelta(minutes=15))
    # 27 Mar 01:30 has passed; 28 Mar 01:30 doesn't exist → 02:00 BST (01:00 UTC); 29 Mar 01:30 BST.
    assert times == [datetime(2027, 3, 28, 1, 0, tzinfo=UTC), datetime(2027, 3, 29, 0, 30, tzinfo=UTC)]


# -- restarts ----------------------------------------------------------------------------------
async def test_reminder_due_during_downtime_is_sent_once_if_under_two_hours_late(h: Harness) -> None:
    await down_until(h, datetime(2026, 11, 22, 20, 30, tzinfo=UTC))
    assert await h.run_timers() == 1
    assert len(reminders_to(h, h.world.alice)) == 1
    await restart(h)
    assert await h.run_timers() == 0
    assert len(reminders_to(h, h.world.alice)) == 1
    assert await pending_due(h) == [datetime(2026, 11, 23, 19, 0, tzinfo=UTC)]


async def test_reminder_two_hours_late_is_skipped_and_the_next_one_is_kept(h: Harness) -> None:
    await down_until(h, datetime(2026, 11, 22, 21, 0, tzinfo=UTC))
    assert await h.run_timers() == 1
    await only_tomorrows_reminder_comes(h, after=timedelta(hours=22))


async def test_long_outage_does_not_replay_old_reminders(h: Harness) -> None:
    await down_until(h, datetime(2026, 11, 26, 19, 30, tzinfo=UTC))
    await h.run_timers()
    # Three days' reminders were missed long ago: only nothing; today's is 30 minutes late but the chain
    # restarts from now, so the next is tomorrow.
    assert reminders_to(h, h.world.alice) == []
    assert await pending_due(h) == [datetime(2026, 11, 27, 19, 0, tzinfo=UTC)]


# -- closed DMs --------------------------------------------------------------------------------
async def test_closed_dms_stop_the_chain_tell_the_member_once_and_remind_set_resumes(h: Harness) -> None:
    await run(h, h.world.alice, "remind set", time="19:00", timezone="UTC")
    h.dd.close_dms(h.world.alice)
    await h.advance(timedelta(hours=7))
    assert not await h.bot.store.prefs.is_reachable(h.world.alice.id)
    assert await pending_due(h) == []  # no daily retrying
    await h.advance(timedelta(days=3))
    assert reminders_to(h, h.world.alice) == []
    inter = await run(h, h.world.alice, "today", mood=3, craving=1)
    [notice] = await inter.followups()
    assert "DMs are closed" in notice["content"]
    h.dd.open_dms(h.world.alice)
    await run(h, h.world.alice, "remind set", time="19:00", timezone="UTC")
    assert await h.bot.store.prefs.is_reachable(h.world.alice.id)
    assert len(await pending_due(h)) == 1
    await h.advance(timedelta(days=1))
    assert len(reminders_to(h, h.world.alice)) == 1


# -- weekly reflection -------------------------------------------------------------------------
async def test_weekly_reflection_is_opt_in_and_summarises_the_week(h: Harness) -> None:
    await run(h, h.world.alice, "remind set", time="18:00", timezone="UTC")
    inter = await run(h, h.world.alice, "weekly", setting="on")
    assert "Sundays at **18:00**" in inter.content
    assert await pending_due(h, WEEKLY_KIND) == [datetime(2026, 11, 22, 18, 0, tzinfo=UTC)]
    await run(h, h.world.alice, "today", mood=2, craving=4, triggers="stress")
    await h.advance(timedelta(hours=6))
    weekly = [m for m in h.dd.dms_to(h.world.alice) if "Your week" in m["content"]]
    assert len(weekly) == 1
    assert "Check-ins: 1" in weekly[0]["content"] and "stress (1)" in weekly[0]["content"]
    assert await pending_due(h, WEEKLY_KIND) == [datetime(2026, 11, 29, 18, 0, tzinfo=UTC)]
    off = await run(h, h.world.alice, "weekly", setting="off")
    assert "off" in off.content and await pending_due(h, WEEKLY_KIND) == []


# -- bad input ---------------------------------------------------------------------------------
async def test_unknown_time_zone_is_a_clear_error(h: Harness) -> None:
    inter = await run(h, h.world.alice, "remind set", time="19:00", timezone="Mars/Olympus")
    assert inter.ephemeral and "I don't know the time zone 'Mars/Olympus'" in inter.content
    assert await pending_due(h) == []


async def test_impossible_time_is_a_clear_error(h: Harness) -> None:
    inter = await run(h, h.world.alice, "remind set", time="25:00", timezone="UTC")
    assert inter.ephemeral and "'25:00' isn't a real time of day" in inter.content


async def test_time_zone_autocomplete_suggests_zones(h: Harness) -> None:
    choices = await h.dd.autocomplete(
        h.world.alice, "checkin remind set", focused="timezone", value="london", time="19:00"
    )
    assert "Europe/London" in [c["value"] for c in choices]
