"""What every repository shares: the one database it speaks to."""

from __future__ import annotations

from bot.db import Database

__all__ = ["Repo"]


class Repo:
    """A repository: statements over the one :class:`~bot.db.Database`, in methods named for what they do."""

    def __init__(self, db: Database) -> None:
        self._db = db
