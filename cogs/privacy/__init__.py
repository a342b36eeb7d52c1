"""Member privacy: the ``/privacy show|export|delete`` commands (``Privacy``), and retention (``Retention``): the data
of members who left and of servers that removed the bot, kept for the server's retention period, then erased."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.privacy._cog import Privacy
from cogs.privacy._retention import Retention

if TYPE_CHECKING:
    from bot.client import KindredBot


async def setup(bot: KindredBot) -> None:
    """Load the /privacy commands and the retention listeners and timers."""
    await bot.add_cog(Privacy(bot))
    await bot.add_cog(Retention(bot))
