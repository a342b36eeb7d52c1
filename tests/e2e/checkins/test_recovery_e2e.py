"""/recovery end to end: set, show, slip (with a gentle confirmation), milestones and celebrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.checkins.reminders import MILESTONE_KIND
from tests.double import InteractionHandle
from tests.harness import Harness

EXTENSIONS = ["cogs.checkins"]
pytestmark = pytest.mark.extensions(*EXTENSIONS)


async def run(h: Harness, member: Any, command: str, **options: Any) -> InteractionHandle:
    return await h.command(member, f"recovery {command}", **options)


def button(inter: InteractionHandle, label: str) -> str:
    for row in inter.components:
        for comp in row["components"]:
            if comp["label"] == label:
                return str(comp["custom_id"])
    raise AssertionError(f"no button {label!r}")


async def test_set_and_show_are_private_and_complete(h: Harness) -> None:
    # Today is 22 Nov 2026 (UTC); 40 days since 13 Oct.
    inter = await run(h, h.world.alice, "set", date="2026-10-13")
    assert inter.ephemeral and "13 October 2026" in inter.content
    show = await run(h, h.world.alice, "show")
    assert show.ephemeral
    assert "Current stretch: **40 days**" in show.content
    assert "Journey started: 13 October 2026" in show.content
    assert "Total days in recovery: **40**" in show.content
    assert "Next milestone: **60 days** on 12 December 2026 (in 20 days)" in show.content
    assert "clean" not in (inter.content + show.content).lower()
    assert h.dd.messages_in(h.world.general) == []


async def test_date_autocomplete_offers_today_and_recent_dates(h: Harness) -> None:
    choices = await h.dd.autocomplete(h.world.alice, "recovery set", focused="date", value="")
    values = [c["value"] for c in choices]
    assert values[:2] == ["2026-11-22", "2026-11-21"]
    assert choices[0]["name"] == "today · 2026-11-22"


async def test_a_future_date_is_refused_specifically(h: Harness) -> None:
    inter = await run(h, h.world.alice, "set", date="2026-12-01")
    assert inter.ephemeral and "2026-12-01 is in the future" in inter.content
    assert await h.bot.store.checkins.get_recovery(h.world.alice.id) is None


async def test_an_unreadable_date_is_refused_with_the_format(h: Harness) -> None:
    inter = await run(h, h.world.alice, "set", date="last spring")
    assert "Use YYYY-MM-DD" in inter.content


async def test_show_before_set_explains_how(h: Harness) -> None:
    inter = await run(h, h.world.alice, "show")
    assert inter.ephemeral and "/recovery set" in inter.content


async def test_slip_asks_first_then_keeps_the_journey_and_the_total(h: Harness) -> None:
    await run(h, h.world.alice, "set", date="2026-10-13")
    ask = await run(h, h.world.alice, "slip")
    assert ask.ephemeral and "journey start and your total days stay" in ask.content
    confirm = await h.dd.click(h.world.alice, ask, button(ask, "Yes, start a new stretch today"))
    await confirm.response()
    edited = h.dd.messages[int(ask.record.original_message_id)]  # type: ignore[arg-type]
    text = edited["content"]
    assert "A new stretch starts today" in text and "13 October 2026" in text and "**40 days**" in text
    assert "/resources" in text and "buddy" in text and "room" in text
    assert "zero" not in text.lower() and "reset" not in text.lower()
    h.clock.advance(timedelta(days=3))
    show = await run(h, h.world.alice, "show")
    assert "Current stretch: **3 days** (since 22 November 2026)" in show.content
    assert "Journey started: 13 October 2026" in show.content
    assert "Total days in recovery: **43**" in show.content
    assert "Next milestone: **7 days**" in show.content


async def test_not_now_leaves_everything_as_it_was(h: Harness) -> None:
    await run(h, h.world.alice, "set", date="2026-10-13")
    ask = await run(h, h.world.alice, "slip")
    cancel = await h.dd.click(h.world.alice, ask, button(ask, "Not now"))
    await cancel.response()
    state = await h.bot.store.checkins.get_recovery(h.world.alice.id)
    assert state is not None and state.record.stretch_start.isoformat() == "2026-10-13"


async def test_milestone_day_brings_a_private_congratulation(h: Harness) -> None:
    await run(h, h.world.alice, "set", date="2026-11-16")
    [timer] = await h.bot.timers.pending(kind=MILESTONE_KIND)
    assert timer.due_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    await h.advance(timedelta(hours=21))
    dm = await h.dd.wait_for_dm(h.world.alice)
    assert "**7 days**" in dm["content"]
    assert h.dd.messages_in(h.world.share) == []
    [nxt] = await h.bot.timers.pending(kind=MILESTONE_KIND)
    assert nxt.payload["label"] == "30 days" and nxt.due_at == datetime(2026, 12, 16, 9, 0, tzinfo=UTC)


async def test_celebrate_on_posts_the_milestone_by_name_without_pings(h: Harness) -> None:
    await h.configure(checkin_share_channel_id=h.world.share.id)
    await run(h, h.world.alice, "set", date="2026-11-16")
    on = await run(h, h.world.alice, "celebrate", setting="on")
    assert on.ephemeral and "celebrations are on" in on.content
    await h.advance(timedelta(hours=21))
    post = await h.dd.wait_for_message(h.world.share)
    assert post["content"] == "🌱 **Alice** is celebrating **7 days** in recovery today. 🎉"
    call = h.dd.calls_to("POST", f"/channels/{h.world.share.id}/messages")[-1]
    assert call.json["allowed_mentions"] == {"parse": []}


async def test_celebrate_off_keeps_milestones_private(h: Harness) -> None:
    await h.configure(checkin_share_channel_id=h.world.share.id)
    await run(h, h.world.alice, "set", date="2026-11-16")
    await run(h, h.world.alice, "celebrate", setting="on")
    await run(h, h.world.alice, "celebrate", setting="off")
    await h.advance(timedelta(hours=21))
    await h.dd.wait_for_dm(h.world.alice)
    assert h.dd.messages_in(h.world.share) == []


async def test_celebrate_needs_a_recovery_date(h: Harness) -> None:
    inter = await run(h, h.world.alice, "celebrate", setting="on")
    assert inter.ephemeral and "Set your recovery date first" in inter.content


async def test_a_slip_replaces_the_pending_milestone_so_no_stale_congratulation(h: Harness) -> None:
    await run(h, h.world.alice, "set", date="2026-11-16")
    ask = await run(h, h.world.alice, "slip")
    confirm = await h.dd.click(h.world.alice, ask, button(ask, "Yes, start a new stretch today"))
    await confirm.response()
    [timer] = await h.bot.timers.pending(kind=MILESTONE_KIND)
    assert timer.payload["label"] == "24 hours" and timer.due_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    await h.advance(timedelta(hours=21))
    dm = await h.dd.wait_for_dm(h.world.alice)
    assert "**24 hours**" in dm["content"]
