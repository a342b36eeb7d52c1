"""``/interests``: members choose what they love, for rooms and pairing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.interests._cog import Interests

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Interests", "setup"]


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Interests(bot))
