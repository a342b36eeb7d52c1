"""When buddy rounds run: the server's cadence turned into instants, safely across daylight saving.

All arithmetic happens on local calendar dates, never by adding hours to a UTC instant: "every
Monday at 18:00 in Europe/London" stays 18:00 local on both sides of a clock change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.guild_config import GuildConfig

__all__ = [
    "NUDGE_LEAD",
    "Cadence",
    "connect_at",
    "local_instant",
    "next_round_at",
    "nudge_at",
]

# The "Skip this round" nudge goes out this long before a round.
NUDGE_LEAD = timedelta(days=1)
# A nudge that would arrive less than this before the round is pointless; send none.
_MIN_NUDGE_NOTICE = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class Cadence:
    """A server's pairing schedule."""

    every_weeks: int  # 1 = weekly, 2 = biweekly
    weekday: int  # 0 = Monday
    hour: int  # local hour, 0..23
    zone: ZoneInfo

    @classmethod
    def from_config(cls, config: GuildConfig) -> Cadence:
        """Read the schedule from the server's settings, falling back to safe values on bad data."""
        try:
            zone = ZoneInfo(config.timezone)
        except (ValueError, KeyError, OSError):  # a corrupt stored zone must not stop pairing
            zone = ZoneInfo("UTC")
        return cls(
            every_weeks=2 if config.pairing_cadence == "biweekly" else 1,
            weekday=min(max(int(config.pairing_weekday), 0), 6),
            hour=min(max(int(config.pairing_hour), 0), 23),
            zone=zone,
        )


def local_instant(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """``hour`` o'clock on ``day`` in ``zone``, as UTC.

    In the spring-forward gap (say 02:00 that doesn't exist) the round runs at the same UTC instant
    the wall clock reaches first after the gap; in the autumn overlap the first of the two is used.
    """
    wall = datetime.combine(day, time(hour), tzinfo=zone)  # fold=0: the earlier of two repeated times
    return wall.astimezone(UTC)


def next_round_at(cadence: Cadence, *, after: datetime, last_round: datetime | None = None) -> datetime:
    """The first round instant strictly after ``after``.

    With a previous round, the next one is at least one cadence period later in local dates, so a
    biweekly server keeps its rhythm and nothing runs twice in one day even if settings change.
    """
    local_after = after.astimezone(cadence.zone)
    earliest = local_after.date()
    if last_round is not None:
        last_day = last_round.astimezone(cadence.zone).date()
        # Weekly: any later day. Biweekly: skip the week right after the last round.
        min_gap = 1 if cadence.every_weeks == 1 else 8
        earliest = max(earliest, last_day + timedelta(days=min_gap))
    day = earliest + timedelta(days=(cadence.weekday - earliest.weekday()) % 7)
    while True:
        instant = local_instant(day, cadence.hour, cadence.zone)
        if instant > after:
            return instant
        day += timedelta(days=7)


def nudge_at(round_at: datetime, *, now: datetime) -> datetime | None:
    """When to send the "Skip this round" nudge: a day before, or now if that passed; None if too late."""
    when = round_at - NUDGE_LEAD
    if when > now:
        return when
    if round_at - now >= _MIN_NUDGE_NOTICE:
        return now
    return None


def connect_at(round_at: datetime, ends_at: datetime) -> datetime:
    """Halfway through the round: when "Did you connect?" is asked."""
    return round_at + (ends_at - round_at) / 2
