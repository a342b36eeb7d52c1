"""Repository for service opportunities (issue 6). Placeholder until the feature lands."""

from __future__ import annotations

from bot.db import Database

__all__ = ["ServiceRepo"]


class ServiceRepo:
    """Placeholder: the feature fills this in, with its own numbered migration."""

    def __init__(self, db: Database) -> None:
        self._db = db
