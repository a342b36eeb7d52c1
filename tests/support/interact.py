"""Waiting on the bot in end-to-end tests: the answer a command or click got, and listeners run to the end."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.double import InteractionHandle
    from tests.harness import Harness

__all__ = ["answer", "click", "click_answer", "listeners_done", "settle"]


async def answer(inter: InteractionHandle) -> dict[str, Any]:
    """The message a (possibly deferred) command or click answered with."""
    await inter.response()
    if inter.type == 5:
        # Generous: the first unreadable time loads dateparser's language data (seconds on a busy machine).
        return (await inter.followups(1, timeout=20))[0]
    return {**inter.data, "flags": inter.data.get("flags", 0)}


async def click(h: Harness, member: Any, message: Any, custom_id: str) -> InteractionHandle:
    """Click ``custom_id`` on ``message`` (as it is now) and wait until the bot has answered."""
    inter = await h.dd.click(member, message, custom_id)
    await inter.response()
    return inter


async def click_answer(h: Harness, member: Any, message: Any, custom_id: str) -> dict[str, Any]:
    """Click ``custom_id`` on ``message`` and return the message the bot answered with."""
    return await answer(await h.dd.click(member, message, custom_id))


async def listeners_done(*events: str) -> None:
    """Wait for the bot's listener tasks for ``events`` (discord.py names them "discord.py: on_<event>")."""
    names = {f"discord.py: on_{event}" for event in events}
    await asyncio.gather(*[t for t in asyncio.all_tasks() if t.get_name() in names])


async def settle(h: Harness, event: str, action: Callable[[], object]) -> None:
    """Do ``action`` (a gateway change; awaited if it returns an awaitable) and wait until the bot's
    listeners for ``event`` have finished."""
    waiter = asyncio.ensure_future(h.bot.wait_for(event, timeout=3))
    await asyncio.sleep(0)  # let wait_for register before the gateway event can arrive
    done = action()
    if inspect.isawaitable(done):
        await done
    await waiter
    # The listener tasks were created in the same dispatch that resolved the waiter, so awaiting
    # them means the listeners are done.
    await listeners_done(event)
