"""Helpers for the first-30-days support tests: buttons on a message, listener tasks, living through days."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from tests.double import InteractionHandle
from tests.harness import Harness

__all__ = ["button_id", "listeners_done", "live_until", "offer_of", "prompts_to", "select_id", "welcome_shift"]


def _components(message: InteractionHandle | dict[str, Any]) -> list[Any]:
    if isinstance(message, InteractionHandle):
        return list(message.components)
    return list(message.get("components") or [])


def button_id(message: InteractionHandle | dict[str, Any], label: str) -> str:
    """The custom id of the button labelled ``label`` on a message."""
    for row in _components(message):
        for comp in row["components"]:
            if comp.get("label") == label:
                return str(comp["custom_id"])
    raise AssertionError(f"no button {label!r}")


def select_id(message: InteractionHandle | dict[str, Any]) -> str:
    """The custom id of the first select menu on a message."""
    for row in _components(message):
        for comp in row["components"]:
            if comp.get("type") == 3:
                return str(comp["custom_id"])
    raise AssertionError("no select menu")


async def listeners_done(event: str) -> None:
    """Wait for the bot's listeners of ``event`` (dispatched as tasks) to finish."""
    for _ in range(3):
        await asyncio.sleep(0)
    tasks = [t for t in asyncio.all_tasks() if t.get_name() == f"discord.py: on_{event}"]
    await asyncio.gather(*tasks)


async def offer_of(h: Harness, member: Any, date: str) -> dict[str, Any]:
    """``member`` sets a recovery date and gets the private offer as a follow-up."""
    inter = await h.command(member, "recovery set", date=date)
    [offer] = await inter.followups(1)
    return offer


async def live_until(h: Harness, until: datetime) -> None:
    """Move the clock from timer to timer up to ``until``, firing each on time (as the poll job would)."""
    while True:
        due = [t.due_at for t in await h.bot.timers.pending() if t.due_at <= until]
        if not due:
            break
        h.clock.set(max(min(due), h.clock.now()))
        await h.run_timers()
    h.clock.set(max(until, h.clock.now()))
    await h.run_timers()


def prompts_to(h: Harness, member: Any) -> list[str]:
    """The check-in prompts ``member`` got, in order."""
    return [m["content"] for m in h.dd.dms_to(member) if m["content"].startswith("🌱 Day")]


CARD_EDIT = "/channels/{channel_id}/messages/{message_id}"


async def welcome_shift(h: Harness, host: Any, volunteers: list[Any], *, when: str, duration: str = "4h") -> None:
    """``host`` posts a newcomer-welcome shift on the service board and each of ``volunteers`` signs up."""
    inter = await h.dd.slash(
        host,
        "service post",
        channel=h.world.general,
        options={
            "title": "Welcome rota",
            "description": "Say hello to people who asked for one.",
            "when": when,
            "duration": duration,
            "slots": max(len(volunteers), 1),
            "kind": "newcomer_welcome",
        },
    )
    await inter.response()
    if inter.type == 5:  # deferred: the answer follows once the card is up
        await inter.followups(1, timeout=20)
    card = await h.dd.wait_for_message(h.world.service_board)
    vol = next(c["custom_id"] for row in card["components"] for c in row["components"] if ":vol:" in c["custom_id"])
    for member in volunteers:
        edits = len(h.dd.calls_to("PATCH", CARD_EDIT))
        click = await h.dd.click(member, h.dd.messages[int(card["id"])], vol)
        await click.response()
        # The card is refreshed last: once it is, the sign-up is saved and the bot is done with the click.
        await h.dd.world.signal.wait_for(
            lambda n=edits: len(h.dd.calls_to("PATCH", CARD_EDIT)) > n or None,  # type: ignore[misc]
            timeout=10,
            describe=lambda: "the service card was never refreshed after a sign-up",
        )
