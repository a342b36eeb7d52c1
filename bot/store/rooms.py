"""Repository for voice rooms and RSVPs (issue 7). Placeholder until the feature lands."""

from __future__ import annotations

from bot.db import Database

__all__ = ["RoomRepo"]


class RoomRepo:
    """Placeholder: the feature fills this in, with its own numbered migration."""

    def __init__(self, db: Database) -> None:
        self._db = db
