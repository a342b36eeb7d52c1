"""/service when things go wrong or run late: downtime, members leaving, the bot leaving, races, long lists."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from tests.harness import Harness
from tests.support.service import card_shows, click, current, opp_id, post, run

EXTENSIONS = ["cogs.service"]
# Cards start on Friday 27 November 2026 at 18:30 UTC; the clock starts on the 22nd at noon.
TO_START = timedelta(days=5, hours=6, minutes=30)


pytestmark = [pytest.mark.extensions(*EXTENSIONS), pytest.mark.configure(service_board_channel_id="service_board")]


# -- reminders after downtime ------------------------------------------------------------------
async def test_reminders_that_fell_due_while_the_bot_was_away_are_not_sent_after_the_start(h: Harness) -> None:
    _, card = await post(h)
    await click(h, h.world.bob, card, "vol")
    await card_shows(h, card, lambda m: "1 of 2 slots filled" in str(m["embeds"]))  # the click is fully handled
    await h.stop()
    h.clock.advance(TO_START + timedelta(minutes=10))  # down through both reminders and the start
    await h.start(extensions=EXTENSIONS)
    await h.run_timers()
    assert h.dd.dms_to(h.world.bob) == []
    assert await h.bot.timers.pending(kind="service-remind") == []


async def test_a_day_before_reminder_that_runs_late_gives_way_to_the_hour_one(h: Harness) -> None:
    _, card = await post(h)
    await click(h, h.world.bob, card, "vol")
    await card_shows(h, card, lambda m: "1 of 2 slots filled" in str(m["embeds"]))  # the click is fully handled
    await h.stop()
    h.clock.advance(TO_START - timedelta(minutes=30))  # back 30 minutes before the start
    await h.start(extensions=EXTENSIONS)
    await h.run_timers()
    dm = await h.dd.wait_for_dm(h.world.bob, lambda m: "reminder" in m["content"])
    assert "tomorrow" not in dm["content"]
    assert len(h.dd.dms_to(h.world.bob)) == 1


async def test_joining_shortly_before_promises_only_the_reminders_that_will_come(h: Harness) -> None:
    _, soon = await post(h, title="Soon", when="2026-11-22 15:00")  # 3 hours ahead
    joined = await click(h, h.world.bob, soon, "vol")
    assert "24 hours" not in joined.content and "1 hour before" in joined.content
    _, now_ish = await post(h, title="Now-ish", when="2026-11-22 12:30")  # 30 minutes ahead
    joined = await click(h, h.world.bob, now_ish, "vol")
    assert "You're in" in joined.content and "reminder" not in joined.content


# -- members who leave, a bot that leaves -------------------------------------------------------
async def test_a_member_who_leaves_passes_their_place_on_and_gets_no_reminders(h: Harness) -> None:
    _, card = await post(h, slots=1)
    await click(h, h.world.bob, card, "vol")
    await click(h, h.world.carol, card, "vol")  # waitlisted
    await h.dd.member_leave(h.world.bob)
    await h.dd.wait_for_dm(h.world.carol, lambda m: "place opened up" in m["content"])
    opp = await h.bot.store.service.get(opp_id(card))
    assert opp is not None and opp.volunteers == (h.world.carol.id,) and opp.waitlist == ()
    assert {t.user_id for t in await h.bot.timers.pending(kind="service-remind")} == {h.world.carol.id}
    await card_shows(h, card, lambda m: "1 of 1 slot filled · 0 open" in str(m["embeds"]))


async def test_a_weekly_series_stops_once_the_bot_is_removed_from_the_server(h: Harness) -> None:
    await post(h, when="2026-11-23 18:00", duration="1h", recurring="weekly")
    h.dd.remove_guild(h.world.guild)
    await h.bot.wait_for("guild_remove", timeout=5)
    for _ in range(3):
        await h.advance(timedelta(days=7))
    assert await h.bot.timers.pending(kind="service-end") == []
    rows = await h.bot.db.fetchval("SELECT COUNT(*) FROM service_opportunities")
    assert rows == 1


async def test_a_weekly_series_whose_board_is_gone_tells_the_poster_and_stops_repeating(h: Harness) -> None:
    await post(h, when="2026-11-23 18:00", duration="1h", recurring="weekly")
    await h.configure(service_board_channel_id=None)
    h.dd.fail_next("POST", f"/channels/{h.world.service_board.id}/messages", status=404, code=10003)
    await h.advance(timedelta(days=1, hours=7))  # the first one ends; the next can't be posted
    told = await h.dd.wait_for_dm(h.world.alice, lambda m: "couldn't post" in m["content"])
    assert "Greeter for Friday's meeting" in told["content"]
    for _ in range(3):
        await h.advance(timedelta(days=7))
    rows = await h.bot.db.fetchval("SELECT COUNT(*) FROM service_opportunities")
    assert rows == 2  # the one that couldn't be posted is kept (visible in /service list), no more after it
    assert await h.bot.timers.pending(kind="service-end") == []


# -- races on the card -------------------------------------------------------------------------
async def test_simultaneous_volunteers_both_show_on_the_card(h: Harness) -> None:
    _, card = await post(h, slots=3)
    message = current(h, card)
    custom_id = f"service:vol:{opp_id(card)}"
    patches = f"/channels/{h.world.service_board.id}/messages/{card['id']}"
    # Rapid edits of one message are what Discord rate-limits: the first redraw waits and retries.
    h.dd.rate_limit_next("PATCH", patches, retry_after=0.3)
    clicks = await asyncio.gather(
        *(h.dd.click(m, message, custom_id) for m in (h.world.bob, h.world.carol, h.world.dave))
    )
    await asyncio.gather(*(c.response() for c in clicks))
    await card_shows(h, card, lambda m: "3 of 3 slots filled" in str(m["embeds"]))
    # Every redraw has finished (the rate-limited one included), and the card still shows the truth.
    await h.dd.world.signal.wait_for(
        lambda: len(h.dd.calls_to("PATCH", patches)) >= 4 or None, timeout=5, describe=lambda: "all card edits"
    )
    assert "3 of 3 slots filled" in str(current(h, card)["embeds"]), current(h, card)["embeds"]


# -- long lists stay readable --------------------------------------------------------------------
async def test_mine_with_many_commitments_never_cuts_a_line_in_half(h: Harness) -> None:
    title = "A fairly long title for a service opportunity so that lines get long quickly in the list ok"
    for day in range(12):
        # A moderator posts them: more than a member's daily limit on service posts.
        _, card = await post(h, h.world.mod, title=f"{title} {day:02d}", when=f"2026-12-{day + 1:02d} 10:00")
        await click(h, h.world.bob, card, "vol")
    mine = await run(h, h.world.bob, "mine")
    value: Any = {f["name"]: f["value"] for f in mine.embeds[0]["fields"]}["Coming up"]
    assert len(value) <= 1024
    lines = value.split("\n")
    assert all(line.endswith(":F>") or line.startswith("…") for line in lines), lines
    assert lines[-1].startswith("…and ") and "more" in lines[-1]
