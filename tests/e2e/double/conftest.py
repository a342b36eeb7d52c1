"""The double's own tests drive a tiny real discord.py bot (not the project bot) through the plugin's fixtures."""

from __future__ import annotations

from typing import cast

import pytest

from tests.double import DiscordDouble
from tests.support.tinybot import TinyBot, World, build_world


@pytest.fixture
def dd(discord_double: DiscordDouble) -> DiscordDouble:
    """The plugin's running double, under the short name these tests use."""
    return discord_double


@pytest.fixture
def world(dd: DiscordDouble) -> World:
    """The tiny bot's server, built before it connects."""
    return build_world(dd)


@pytest.fixture
def discord_bot(world: World) -> TinyBot:
    """The client the plugin's ``running_bot`` connects."""
    return TinyBot(world.guild.id)


@pytest.fixture
def bot(running_bot: object) -> TinyBot:
    """The tiny bot, connected and ready."""
    return cast(TinyBot, running_bot)
