"""Crisis care: scanning messages and check-in notes, private answers, team alerts, /crisis, /resources.

Commands: ``/crisis test|terms add|terms remove|terms list`` (moderators) and ``/resources show|region|mute|unmute``.
Timer: ``crisis-repost`` (durable). Buttons ``crisis:talk:*``, ``crisis:ok`` and ``crisis:claim:*`` are
DynamicItems, so they keep working on old messages after a restart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.crisis._cog import Crisis
from cogs.crisis._resources import Resources

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Crisis", "Resources", "setup"]


async def setup(bot: KindredBot) -> None:
    """Load the crisis and resources cogs."""
    await bot.add_cog(Crisis(bot))
    await bot.add_cog(Resources(bot))
