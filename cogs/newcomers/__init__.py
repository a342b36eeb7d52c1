"""First-30-days support: the private offer, ``/recovery support on|off|status``, and the closer rhythm.

Timers: ``newcomer-prompt``, ``newcomer-milestone`` and ``newcomer-end`` (durable, via ``bot.timers``).
Loads after ``cogs.checkins``, whose ``/recovery`` group it adds ``support`` to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.newcomers.pairing import BuddyNow
from bot.newcomers.service import FirstDays
from bot.newcomers.welcoming import WelcomeRota
from cogs.newcomers._cog import Newcomers
from cogs.newcomers._discord import DiscordNewcomers, DiscordPairs, DiscordWelcome

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Newcomers", "setup"]


async def setup(bot: KindredBot) -> None:
    """Build the service over its Discord side and add the cog."""
    buddies = BuddyNow(bot.store, bot.timers, bot.clock, DiscordPairs(bot))
    welcome = WelcomeRota(bot.store, bot.timers, bot.clock, DiscordWelcome(bot))
    service = FirstDays(bot.store, bot.timers, bot.clock, DiscordNewcomers(bot), buddies, welcome)
    await bot.add_cog(Newcomers(bot, service))
