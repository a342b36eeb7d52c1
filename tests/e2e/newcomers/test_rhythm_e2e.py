"""The first-30-days rhythm with the fake clock: daily prompts in week one, then every other day, milestone
notes, a slip, a restart mid-period, closed DMs, turning it off, and the day-30 end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.newcomers.rhythm import END_KIND, PROMPT_KIND
from tests.harness import Harness
from tests.support.newcomers import button_id, live_until, offer_of, prompts_to

EXTENSIONS = ["cogs.checkins", "cogs.newcomers"]
pytestmark = [pytest.mark.extensions(*EXTENSIONS), pytest.mark.quiet]

EVERY_PROMPT_DAY = [*range(1, 8), *range(9, 30, 2)]
AFTER_DAY_30 = datetime(2026, 12, 23, tzinfo=UTC)  # the period started on Sunday 22 November


def days_of(prompts: list[str]) -> list[int]:
    return [int(p.split(".")[0].removeprefix("🌱 Day ")) for p in prompts]


def notes_to(h: Harness, member: object) -> list[str]:
    return [m["content"] for m in h.dd.dms_to(member) if m["content"].startswith("🎉")]  # type: ignore[arg-type]


async def newcomer_kinds(h: Harness) -> set[str]:
    return {t.kind for t in await h.bot.timers.pending() if t.kind.startswith("newcomer-")}


async def test_thirty_days_prompt_daily_then_every_other_day_with_notes_and_a_private_end(h: Harness) -> None:
    await h.private_command(h.world.alice, "recovery support on")
    await live_until(h, AFTER_DAY_30)
    prompts = prompts_to(h, h.world.alice)
    assert days_of(prompts) == EVERY_PROMPT_DAY
    first = next(m for m in h.dd.dms_to(h.world.alice) if m["content"].startswith("🌱 Day 1"))
    assert button_id(first, "Check in now")
    notes = notes_to(h, h.world.alice)
    assert [n.split("**")[1] for n in notes] == ["24 hours", "3 days", "1 week", "2 weeks"]
    [end] = [m for m in h.dd.dms_to(h.world.alice) if "30 days since you started here" in m["content"]]
    assert "ends today by itself" in end["content"] and "Nothing is deleted" in end["content"]
    assert f"{len(EVERY_PROMPT_DAY)} check-in prompts" in end["content"]
    record = await h.bot.store.newcomers.get(h.world.alice.id)
    assert record is not None and record.status == "ended"
    assert await newcomer_kinds(h) == set()
    everything = " ".join(m["content"] for m in h.dd.dms_to(h.world.alice)).lower()
    for word in ("addict", "newbie", "streak", "clean", "leaderboard", "than others"):
        assert word not in everything
    assert h.dd.messages_in(h.world.general) == [] and h.dd.messages_in(h.world.share) == []
    # Keeping a part: the reflection's button turns on a daily reminder at the same time.
    keep = await h.dd.click(h.world.alice, end, button_id(end, "Keep a daily check-in reminder"))
    await keep.response()
    assert keep.ephemeral and "**19:00**" in keep.content
    settings = await h.bot.store.checkins.get_reminder(h.world.alice.id)
    assert settings is not None and settings.enabled and settings.local_time.hour == 19


async def test_a_check_in_that_day_means_no_prompt(h: Harness) -> None:
    await h.private_command(h.world.alice, "recovery support on")
    await live_until(h, datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    await h.private_command(h.world.alice, "checkin today", mood=3, craving=2)
    await live_until(h, datetime(2026, 11, 25, 0, 0, tzinfo=UTC))
    assert days_of(prompts_to(h, h.world.alice)) == [1, 3]


async def test_members_with_their_own_reminder_get_no_second_prompt(h: Harness) -> None:
    await h.private_command(h.world.alice, "checkin remind set", time="08:00", timezone="UTC")
    on = await h.private_command(h.world.alice, "recovery support on")
    assert "won't add a second one" in on.content
    await live_until(h, datetime(2026, 11, 30, tzinfo=UTC))
    assert prompts_to(h, h.world.alice) == []
    assert len(notes_to(h, h.world.alice)) == 3  # 24 hours, 3 days, 1 week still come


async def test_a_recovery_milestone_day_brings_one_congratulation_not_two(h: Harness) -> None:
    offer = await offer_of(h, h.world.alice, "2026-11-22")
    click = await h.dd.click(h.world.alice, offer, button_id(offer, "Yes, all of it"))
    await click.response()
    await live_until(h, datetime(2026, 11, 30, tzinfo=UTC))
    notes = notes_to(h, h.world.alice)
    assert [n.split("**")[1] for n in notes] == ["24 hours", "3 days", "7 days"]
    assert sum("in your recovery" in n for n in notes) == 2


async def test_a_slip_keeps_the_support_on_and_says_so_kindly(h: Harness) -> None:
    offer = await offer_of(h, h.world.alice, "2026-11-20")
    click = await h.dd.click(h.world.alice, offer, button_id(offer, "Yes, all of it"))
    await click.response()
    await live_until(h, datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    assert days_of(prompts_to(h, h.world.alice)) == [3, 4]  # from the day it was turned on (day 3)
    ask = await h.command(h.world.alice, "recovery slip")
    confirm = await h.dd.click(h.world.alice, ask, button_id(ask, "Yes, start a new stretch today"))
    await confirm.response()
    [note] = await confirm.followups(1)
    assert note["flags"] & 64 and "stays on" in note["content"] and "glad you're" in note["content"]
    for word in ("fail", "reset", "zero", "start over"):
        assert word not in note["content"].lower()
    record = await h.bot.store.newcomers.get(h.world.alice.id)
    assert record is not None and record.on and record.slips == 1
    assert record.start_on is not None and record.start_on.isoformat() == "2026-11-20"  # the period goes on
    await live_until(h, datetime(2026, 11, 27, tzinfo=UTC))
    assert days_of(prompts_to(h, h.world.alice)) == [3, 4, 5, 6, 7]


async def test_a_restart_mid_period_loses_nothing_and_sends_nothing_twice(h: Harness) -> None:
    await h.private_command(h.world.alice, "recovery support on")
    service = h.bot.features.newcomers
    assert service is not None
    # Day 3: the bot dies just after the prompt went out, before the timer was settled.
    await live_until(h, datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
    h.clock.set(datetime(2026, 11, 24, 19, 0, tzinfo=UTC))
    cut = await h.bot.timers.claim_next(h.clock.now(), track=False)
    assert cut is not None and cut.kind == PROMPT_KIND and cut.payload["what"] == "3"
    await service.rhythm.handle_prompt(cut)
    await h.restart()
    await live_until(h, datetime(2026, 11, 26, 18, 0, tzinfo=UTC))
    # Day 5: the bot dies after claiming the prompt but before sending it.
    h.clock.set(datetime(2026, 11, 26, 19, 0, tzinfo=UTC))
    lost = await h.bot.timers.claim_next(h.clock.now(), track=False)
    assert lost is not None and lost.kind == PROMPT_KIND and lost.payload["what"] == "5"
    await h.restart()
    await live_until(h, datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    await h.restart()  # a plain restart later on
    await live_until(h, AFTER_DAY_30)
    days = days_of(prompts_to(h, h.world.alice))
    # Day 5 was cut off before it went out: a logged miss rather than risking a duplicate.
    assert days == [d for d in EVERY_PROMPT_DAY if d != 5]
    assert len(notes_to(h, h.world.alice)) == 4
    assert sum("30 days since you started here" in m["content"] for m in h.dd.dms_to(h.world.alice)) == 1


async def test_closed_dms_pause_the_rhythm_quietly_and_the_period_still_ends(h: Harness) -> None:
    await h.private_command(h.world.alice, "recovery support on", buddy=False, rooms=False)
    await live_until(h, datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    assert days_of(prompts_to(h, h.world.alice)) == [1, 2]
    h.dd.close_dms(h.world.alice)
    await live_until(h, datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    assert not await h.bot.store.prefs.is_reachable(h.world.alice.id)
    assert await newcomer_kinds(h) == {END_KIND}  # prompts and notes wait; the end stays
    await h.restart()  # the reconciler doesn't bring back what closed DMs paused
    assert await newcomer_kinds(h) == {END_KIND}
    # She opens her DMs and turns it on again: the rhythm resumes where the period is.
    h.dd.open_dms(h.world.alice)
    on = await h.private_command(h.world.alice, "recovery support on", buddy=False, rooms=False)
    assert "22 November" in on.content
    await live_until(h, datetime(2026, 11, 29, 0, 0, tzinfo=UTC))
    assert days_of(prompts_to(h, h.world.alice)) == [1, 2, 6, 7]


async def test_closed_dms_at_day_30_end_the_support_without_a_message(h: Harness) -> None:
    await h.private_command(h.world.alice, "recovery support on", checkins=False)
    await live_until(h, datetime(2026, 12, 21, tzinfo=UTC))
    before = len(h.dd.dms_to(h.world.alice))
    h.dd.close_dms(h.world.alice)
    await h.bot.store.prefs.mark_dm_closed(h.world.alice.id, now=h.clock.now())
    await live_until(h, AFTER_DAY_30)
    assert len(h.dd.dms_to(h.world.alice)) == before
    record = await h.bot.store.newcomers.get(h.world.alice.id)
    assert record is not None and record.status == "ended"


async def test_off_stops_at_once(h: Harness) -> None:
    await h.private_command(h.world.alice, "recovery support on")
    await live_until(h, datetime(2026, 11, 23, 20, 0, tzinfo=UTC))
    assert days_of(prompts_to(h, h.world.alice)) == [1, 2]
    await h.private_command(h.world.alice, "recovery support off")
    before = len(h.dd.dms_to(h.world.alice))
    await live_until(h, AFTER_DAY_30)
    assert len(h.dd.dms_to(h.world.alice)) == before
    await h.restart()
    await live_until(h, AFTER_DAY_30 + timedelta(days=1))
    assert len(h.dd.dms_to(h.world.alice)) == before
