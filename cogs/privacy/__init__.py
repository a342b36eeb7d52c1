"""Member privacy: ``/privacy show|export|delete`` and the retention purge for members who left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.privacy._cog import Privacy

if TYPE_CHECKING:
    from bot.client import KindredBot


async def setup(bot: KindredBot) -> None:
    """Load the privacy commands and listeners."""
    await bot.add_cog(Privacy(bot))
