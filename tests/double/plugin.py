"""The Discord double as a pytest plugin: a running double, and any discord.py bot connected to it.

Register it in a root ``conftest.py`` with ``pytest_plugins = ["tests.double.plugin"]``. A test suite then
gets :func:`discord_double` for free; to get :func:`running_bot`, it supplies a ``discord_bot`` fixture that
builds its (not yet connected) client, e.g. with ``guild_ready_timeout=0.05`` so ``on_ready`` comes quickly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest

from .double import DiscordDouble
from .fixtures import running_bot as connected

__all__ = ["discord_double", "running_bot"]


@pytest.fixture
async def discord_double() -> AsyncIterator[DiscordDouble]:
    """A started Discord double on 127.0.0.1, stopped after the test."""
    async with DiscordDouble() as dd:
        yield dd


@pytest.fixture
async def running_bot(discord_double: DiscordDouble, discord_bot: discord.Client) -> AsyncIterator[discord.Client]:
    """The suite's ``discord_bot`` connected to :func:`discord_double` and ready; closed after the test."""
    async with connected(discord_double, discord_bot) as bot:
        yield bot
