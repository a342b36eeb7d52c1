"""Repository for buddy pairing (issue 5). Placeholder until the feature lands.

Other features rely on the methods below with exactly these signatures (check-ins use them for
the hard-moment "tell my buddy" button). The buddy feature replaces the bodies.
"""

from __future__ import annotations

from bot.db import Database

__all__ = ["BuddyRepo"]


class BuddyRepo:
    """Placeholder: the feature fills this in, with its own numbered migration."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def current_partners(self, guild_id: int, user_id: int) -> list[int]:
        """User ids of the member's current buddy (or two, in a group of three); empty if none."""
        return []

    async def hard_moment_opt_in(self, guild_id: int, user_id: int) -> bool:
        """Whether the member agreed (``/buddy notify on``) to let their buddy know about hard moments."""
        return False
