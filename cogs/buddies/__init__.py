"""Buddy pairing: ``/buddy`` commands, rounds on the server's cadence, and their DMs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._cog import Buddies

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Buddies", "setup"]


async def setup(bot: KindredBot) -> None:
    """Load the buddy cog."""
    await bot.add_cog(Buddies(bot))
