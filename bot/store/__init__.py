"""The store: repository objects over the one :class:`~bot.db.Database`, one per feature.

Cogs receive ``bot.store`` and call methods named for what they do. SQL lives only here, with
``?`` parameters. Every table that holds a member id is listed in :mod:`bot.privacy`.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from bot.db import Database
from bot.store.buddies import BuddyRepo
from bot.store.checkins import CheckinRepo
from bot.store.core import ConfigRepo, InterestRepo, PrefsRepo
from bot.store.crisis import CrisisRepo
from bot.store.limits import LimitRepo
from bot.store.newcomer_pairs import NewcomerPairRepo
from bot.store.newcomer_rooms import NewcomerRoomRepo
from bot.store.newcomers import NewcomerRepo
from bot.store.rooms import RoomRepo
from bot.store.service import ServiceRepo

__all__ = ["Store"]

log = logging.getLogger(__name__)


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
        self.limits = LimitRepo(db)
        self.newcomers = NewcomerRepo(db)
        self.newcomer_pairs = NewcomerPairRepo(db)
        self.newcomer_rooms = NewcomerRoomRepo(db)

    async def member_zone(self, user_id: int, guild_id: int | None) -> ZoneInfo:
        """The member's time zone; the one rule every feature uses (check-ins, rooms, service).

        Their own preference first, else the zone they gave their check-in reminder (they told us
        where they are), else the server's default, else UTC. A stored name that no longer resolves
        (tzdata dropped it) is logged and treated as UTC, so a member is never locked out of a
        command by an old setting.
        """
        prefs = await self.prefs.get(user_id)
        name = prefs.timezone
        if name is None:
            reminder = await self.checkins.get_reminder(user_id)
            name = reminder.timezone if reminder else None
        if name is None and guild_id is not None:
            name = (await self.config.get(guild_id)).timezone
        try:
            return ZoneInfo(name or "UTC")
        except (ValueError, KeyError):
            log.warning("stored time zone %r for user %s no longer resolves; using UTC", name, user_id)
            return ZoneInfo("UTC")
