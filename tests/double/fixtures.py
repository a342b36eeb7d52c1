"""Context managers that start the double and connect a bot to it (the pytest fixtures in ``plugin.py`` use them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

import discord

from .double import DiscordDouble

ClientT = TypeVar("ClientT", bound=discord.Client)


@asynccontextmanager
async def running_double(*, bot_name: str = "Kindred") -> AsyncIterator[DiscordDouble]:
    """A started :class:`DiscordDouble`, stopped (and any bot closed) on exit."""
    async with DiscordDouble(bot_name=bot_name) as dd:
        yield dd


@asynccontextmanager
async def running_bot(dd: DiscordDouble, bot: ClientT, *, timeout: float = 10.0) -> AsyncIterator[ClientT]:  # noqa: ASYNC109
    """Connect ``bot`` to ``dd`` and wait for ``on_ready``; on exit ``await bot.close()`` and restore discord.py.

    Build the bot with ``guild_ready_timeout=0.05`` so ``on_ready`` is not delayed by two seconds.
    """
    await dd.connect(bot, timeout=timeout)
    try:
        yield bot
    finally:
        await dd.disconnect(bot)
