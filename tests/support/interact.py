"""Waiting on the bot in end-to-end tests: the answer a command or click got, and listeners run to the end."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.double import ChannelHandle, InteractionHandle
    from tests.harness import Harness, World

__all__ = ["Posting", "answer", "click", "click_answer", "listeners_done", "settle"]


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


@dataclass(frozen=True)
class Posting:
    """A slash command that posts to a channel (a room's announcement, an opportunity's card), run in #general
    with everyday options that a test overrides one by one."""

    command: str
    defaults: dict[str, Any]
    posts_in: Callable[[World], ChannelHandle]

    async def reply(self, h: Harness, member: Any, overrides: dict[str, Any]) -> dict[str, Any]:
        """Run the command as ``member`` (Alice by default); its private reply."""
        options = {**self.defaults, **overrides}
        reply = await answer(
            await h.dd.slash(member or h.world.alice, self.command, channel=h.world.general, options=options)
        )
        assert reply["flags"] & 64, reply
        return reply

    async def posted(self, h: Harness, member: Any = None, **overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """Run the command; (its private reply, the message it posted)."""
        reply = await self.reply(h, member, overrides)
        return reply, await h.dd.wait_for_message(self.posts_in(h.world))

    async def refused(self, h: Harness, member: Any = None, **overrides: Any) -> str:
        """Run the command expecting a refusal; the private reply's text."""
        return str((await self.reply(h, member, overrides))["content"])
