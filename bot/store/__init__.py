"""The store: repository objects over the one :class:`~bot.db.Database`, one per feature.

Cogs receive ``bot.store`` and call methods named for what they do. SQL lives only here, with
``?`` parameters. Each feature module registers its member-data tables with :mod:`bot.privacy`.
"""

from __future__ import annotations

from bot.db import Database
from bot.store.buddies import BuddyRepo
from bot.store.checkins import CheckinRepo
from bot.store.core import ConfigRepo, InterestRepo, PrefsRepo
from bot.store.crisis import CrisisRepo
from bot.store.rooms import RoomRepo
from bot.store.service import ServiceRepo

__all__ = ["Store"]


class Store:
    """Every repository, built once in ``setup_hook`` and passed to the cogs."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.config = ConfigRepo(db)
        self.prefs = PrefsRepo(db)
        self.interests = InterestRepo(db)
        self.checkins = CheckinRepo(db)
        self.buddies = BuddyRepo(db)
        self.service = ServiceRepo(db)
        self.rooms = RoomRepo(db)
        self.crisis = CrisisRepo(db)
