"""Repository for check-ins, reminders and the recovery date (issue 4). Placeholder until the feature lands."""

from __future__ import annotations

from bot.db import Database

__all__ = ["CheckinRepo"]


class CheckinRepo:
    """Placeholder: the feature fills this in, with its own numbered migration."""

    def __init__(self, db: Database) -> None:
        self._db = db
