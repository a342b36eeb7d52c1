"""Helpers shared by the crisis end-to-end tests: reach the running crisis flow, and wait for it."""

from __future__ import annotations

from typing import Any

from tests.harness import Harness


def care(h: Harness) -> Any:
    """The running crisis service (``bot.features.crisis``, a ``CrisisCare``), typed loosely so tests can
    swap its parts."""
    crisis = h.bot.features.crisis
    assert crisis is not None, "the crisis extension is not loaded"
    return crisis


async def settle(h: Harness) -> None:
    """Every message sent so far has been scanned and its follow-up work is finished.

    Gateway events reach the bot in order, so once a later command has been answered the earlier
    messages' listeners have run; then the tracked follow-up tasks are awaited.
    """
    inter = await h.dd.slash(h.world.dave, "resources show", channel=h.world.general)
    await inter.response()
    await care(h).wait_idle()
