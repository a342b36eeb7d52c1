"""Repository for crisis alerts, claims, audit and per-server terms (issue 8). Placeholder until the feature lands."""

from __future__ import annotations

from bot.db import Database

__all__ = ["CrisisRepo"]


class CrisisRepo:
    """Placeholder: the feature fills this in, with its own numbered migration."""

    def __init__(self, db: Database) -> None:
        self._db = db
