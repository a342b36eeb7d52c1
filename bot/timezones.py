"""Time-zone names: validation with a kind message, and autocomplete suggestions."""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.i18n import _
from bot.problems import KindredError
from bot.text import echo

__all__ = ["resolve_timezone", "suggest_timezones", "utc_offset_minutes"]

_ZONE_NAME_MAX = 64
# Zones people actually pick first, offered before typing starts.
_POPULAR = (
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Vancouver",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Berlin",
    "Europe/Paris",
    "Australia/Sydney",
    "Australia/Perth",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Asia/Tokyo",
)


@functools.cache
def _all_zones() -> tuple[str, ...]:
    # Legacy aliases like "US/Eastern" still resolve but only clutter suggestions.
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))))


def resolve_timezone(name: str) -> ZoneInfo:
    """Return the zone for an IANA name, or raise a :class:`KindredError` with examples."""
    cleaned = name.strip().replace(" ", "_")
    # The longest IANA name is about 30 characters; a much longer one would make the zone lookup fail
    # with an operating-system error ("file name too long") instead of "not found".
    if not cleaned or len(cleaned) > _ZONE_NAME_MAX:
        raise KindredError(_unknown_zone(name))
    for candidate in (cleaned, *(z for z in _all_zones() if z.casefold() == cleaned.casefold())):
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    raise KindredError(_unknown_zone(name))


def _unknown_zone(name: str) -> str:
    return _(
        "I don't know the time zone {name}. Pick one from the list as you type, "
        "for example `Europe/London`, `America/New_York` or `Australia/Sydney`."
    ).format(name=echo(name))


def suggest_timezones(query: str, limit: int = 25) -> list[str]:
    """Up to ``limit`` zone names matching what the member has typed so far."""
    q = query.strip().replace(" ", "_").casefold()
    if not q:
        return list(_POPULAR[:limit])
    starts = [z for z in _all_zones() if z.casefold().startswith(q) or z.casefold().split("/")[-1].startswith(q)]
    contains = [z for z in _all_zones() if q in z.casefold() and z not in starts]
    return (starts + contains)[:limit]


def utc_offset_minutes(zone: ZoneInfo, at: datetime) -> int:
    """The zone's offset from UTC at an instant, in minutes."""
    offset = at.astimezone(zone).utcoffset()
    return 0 if offset is None else int(offset.total_seconds() // 60)
