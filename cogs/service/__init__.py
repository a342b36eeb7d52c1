"""Service opportunities: members post ways to help, sign up, are reminded and thanked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.service._cog import Service

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Service", "setup"]


async def setup(bot: KindredBot) -> None:
    """Load the service cog."""
    await bot.add_cog(Service(bot))
