"""Moderator configuration (``/config``) and onboarding for new servers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.config._cog import Config
from cogs.config._onboarding import Onboarding

if TYPE_CHECKING:
    from bot.client import KindredBot


async def setup(bot: KindredBot) -> None:
    """Load the configuration commands and the onboarding listener."""
    await bot.add_cog(Config(bot))
    await bot.add_cog(Onboarding(bot))
