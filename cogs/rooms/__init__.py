"""``/room``: shared-interest voice rooms as native Discord events, with RSVPs and reminders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.rooms._cog import Rooms

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Rooms", "setup"]


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Rooms(bot))
