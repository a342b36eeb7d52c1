"""Member privacy: ``/privacy show|export|delete``, and retention purges for members and servers that left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.privacy._cog import Privacy
from cogs.privacy._retention import ServerRetention

if TYPE_CHECKING:
    from bot.client import KindredBot


async def setup(bot: KindredBot) -> None:
    """Load the privacy commands and listeners."""
    await bot.add_cog(Privacy(bot))
    await bot.add_cog(ServerRetention(bot))
