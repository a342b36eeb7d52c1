"""Repeating service posts end to end: monthly on the nth weekday, a lone cancel that keeps the series,
the whole-series cancel, a restart in between, and a restart that cut a lone cancel's chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.harness import Harness
from tests.support.interact import answer
from tests.support.service import button, opp_id, post, run

EXTENSIONS = ["cogs.service"]
pytestmark = [pytest.mark.extensions(*EXTENSIONS), pytest.mark.configure(service_board_channel_id="service_board")]
# The server's zone is UTC; the clock starts on Sunday 22 November 2026 at noon.
FIRST = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # the 4th Tuesday of November


def ts(when: datetime) -> str:
    return f"<t:{int(when.timestamp())}:F>"


def card_at(when: datetime) -> Any:
    return lambda m: bool(m["embeds"]) and ts(when) in m["embeds"][0]["fields"][0]["value"]


def cards(h: Harness) -> list[dict[str, Any]]:
    return [m for m in h.dd.messages_in(h.world.service_board) if m["embeds"]]


async def cancel(h: Harness, card: dict[str, Any], **options: Any) -> str:
    ask = await run(h, h.world.alice, "cancel", id=opp_id(card), **options)
    confirm = await h.dd.click(h.world.alice, ask, button(await ask.original(), "Yes, cancel it"))
    await confirm.response()
    return str(confirm.data["content"])


async def test_a_monthly_post_repeats_a_lone_cancel_keeps_it_and_a_restart_loses_nothing(h: Harness) -> None:
    msg, card = await post(h, when="2026-11-24 18:00", duration="1h", recurring="monthly")
    assert "It repeats monthly on the 4th Tuesday, at the same local time." in msg["content"]
    assert ts(FIRST) in msg["content"]
    assert any(f["value"].startswith("Monthly on the 4th Tuesday") for f in card["embeds"][0]["fields"])

    # It ends: the 4th Tuesday of December is posted.
    await h.advance(FIRST + timedelta(hours=1) - h.clock.now())
    december = await h.dd.wait_for_message(h.world.service_board, card_at(datetime(2026, 12, 22, 18, tzinfo=UTC)))
    assert opp_id(december) != opp_id(card)

    await h.restart()

    # Cancelling December alone keeps the series: January's is posted straight away.
    january_at = datetime(2027, 1, 26, 18, 0, tzinfo=UTC)
    done = await cancel(h, december)
    assert f"The series carries on: the next one is {ts(january_at)}" in done
    january = await h.dd.wait_for_message(h.world.service_board, card_at(january_at))

    await h.restart()
    await h.advance(datetime(2026, 12, 23, tzinfo=UTC) - h.clock.now())  # December's end passes: nothing new
    assert len(cards(h)) == 3

    # The whole-series cancel ends it.
    ask = await run(h, h.world.alice, "cancel", id=opp_id(january), scope="series")
    assert "this ends the series too" in ask.content
    confirm = await h.dd.click(h.world.alice, ask, button(await ask.original(), "Yes, cancel it"))
    await confirm.response()
    assert "The series ends with it" in confirm.data["content"]
    await h.advance(datetime(2027, 3, 1, tzinfo=UTC) - h.clock.now())
    assert len(cards(h)) == 3


async def test_a_lone_cancel_whose_next_post_a_crash_cut_off_is_posted_after_the_restart(h: Harness) -> None:
    await post(h, when="2026-11-24 18:00", duration="1h", recurring="biweekly")
    # The cancel closed it, then the process died before the next one was made (and its timers went).
    await h.bot.db.execute("UPDATE service_opportunities SET status = 'cancelled', closed_at = updated_at")
    await h.bot.db.execute("DELETE FROM timers WHERE status = 'pending'")
    await h.restart()
    assert len(cards(h)) == 1
    await h.advance(FIRST + timedelta(hours=1) - h.clock.now())
    await h.dd.wait_for_message(h.world.service_board, card_at(FIRST + timedelta(days=14)))
    await h.advance(timedelta(days=1))
    assert len(cards(h)) == 2  # once only


async def test_the_last_weekday_is_refused_kindly_for_a_date_that_isnt_and_an_edit_can_change_the_repeat(
    h: Harness,
) -> None:
    refused = await answer(
        await run(
            h,
            h.world.alice,
            "post",
            title="Greeter",
            description="Welcome people at the door.",
            when="2026-12-15 18:00",
            duration="1h",
            slots=2,
            kind="greeter",
            recurring="monthly_last",
        )
    )
    assert "15 December is the 3rd Tuesday of its month, not the last one" in refused["content"]
    assert cards(h) == []

    _, card = await post(h, when="2026-11-24 18:00", duration="1h", recurring="weekly")
    await h.dd.click(h.world.bob, card, f"service:vol:{opp_id(card)}")
    edited = await answer(await run(h, h.world.alice, "edit", id=opp_id(card), repeats="monthly_last"))
    assert "repeating monthly on the last Tuesday" in edited["content"]
    dm = await h.dd.wait_for_dm(h.world.bob, lambda m: "has changed" in m["content"])
    assert "Repeats: monthly on the last Tuesday" in dm["content"]
    await h.advance(FIRST + timedelta(hours=1) - h.clock.now())
    await h.dd.wait_for_message(h.world.service_board, card_at(datetime(2026, 12, 29, 18, tzinfo=UTC)))
