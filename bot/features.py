"""Every feature's service, published on the bot as one typed object: ``bot.features``.

A feature's extension builds its service in ``cog_load`` and sets its attribute here (and clears it in
``cog_unload``). Views rebuilt after a restart and other features reach a service by type, as
``interaction.client.features.rooms``, never through ``get_cog``. An attribute is None while its feature is
not loaded (tests load only the features they use).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.buddies.rounds import BuddyRounds
    from bot.checkins.reminders import CheckinScheduler
    from bot.crisis_care.care import CrisisCare
    from bot.newcomers.service import FirstDays
    from bot.rooms.service import RoomService
    from bot.service.board import ServiceBoard

__all__ = ["Features"]


@dataclass
class Features:
    """The loaded features' services, one typed attribute each."""

    buddies: BuddyRounds | None = None
    """Buddy rounds: scheduling, matching, introductions and follow-ups (``cogs.buddies``)."""
    checkins: CheckinScheduler | None = None
    """Check-in reminders, weekly reflections and recovery milestones (``cogs.checkins``)."""
    crisis: CrisisCare | None = None
    """Crisis scanning, the member's private answer and team alerts (``cogs.crisis``)."""
    newcomers: FirstDays | None = None
    """First-30-days support: the offer, check-in prompts, milestone notes and the day-30 end (``cogs.newcomers``)."""
    rooms: RoomService | None = None
    """Voice rooms: scheduling, RSVPs, reminders, temporary channels and repeats (``cogs.rooms``)."""
    service: ServiceBoard | None = None
    """Service opportunities: posting, volunteering, waitlists, reminders and thanks (``cogs.service``)."""
