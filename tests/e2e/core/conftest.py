"""Fixtures for the tests of the bot's own process: start-up, shutdown, backups."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.double import DiscordDouble


@pytest.fixture
def patched(discord_double: DiscordDouble) -> Iterator[DiscordDouble]:
    """Point discord.py at the double for code that builds its own bot, as ``main()`` and ``_run`` do."""
    discord_double.patch_discord()
    yield discord_double
    discord_double.unpatch_discord()
