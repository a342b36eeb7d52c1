"""What every repository shares: the one database it speaks to, and reading back a row it has just written."""

from __future__ import annotations

from typing import TypeVar

from bot.db import Database

__all__ = ["Repo", "written"]

T = TypeVar("T")


class Repo:
    """A repository: statements over the one :class:`~bot.db.Database`, in methods named for what they do."""

    def __init__(self, db: Database) -> None:
        self._db = db


def written(found: T | None, what: str) -> T:
    """A row a repository has just written, as read back: there, or the write was lost and nothing can go on.

    Raises :class:`LookupError` (even under ``python -O``, unlike an ``assert``) rather than hand ``None`` on.
    """
    if found is None:
        raise LookupError(f"{what} is missing right after it was written")
    return found
