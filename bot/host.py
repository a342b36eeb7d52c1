"""What feature services use of the running bot, typed by shape.

Services in ``bot/`` are handed the bot, but never import :mod:`bot.client` (not even for typing): the
client imports :mod:`bot.features`, which names every service, so such an import would close a circle. The
bot satisfies this protocol; so would a stand-in in a test.
"""

from __future__ import annotations

from typing import Protocol

import discord
from discord.abc import GuildChannel, PrivateChannel

from bot.messaging import DmSender
from bot.settings import Settings
from bot.timers import TimerService

__all__ = ["Host"]


class Host(DmSender, Protocol):
    """The running bot, as the feature services see it (the store, clock and metrics come with DmSender)."""

    timers: TimerService
    settings: Settings

    @property
    def user(self) -> discord.ClientUser | None: ...

    def get_guild(self, id: int, /) -> discord.Guild | None: ...

    def get_channel(self, id: int, /) -> GuildChannel | discord.Thread | PrivateChannel | None: ...

    async def fetch_channel(self, channel_id: int, /) -> GuildChannel | PrivateChannel | discord.Thread: ...
