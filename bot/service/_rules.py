"""Validation of what a poster types: title, description, slots and duration."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from bot.problems import KindredError, within
from bot.service._models import DESCRIPTION_MAX, SLOTS_MAX, SLOTS_MIN, TITLE_MAX
from bot.text import checked_text, echo

MIN_DURATION = timedelta(minutes=5)
MAX_DURATION = timedelta(hours=12)
DURATION_EXAMPLES = "`90m`, `1h30`, `2 hours` or `45 minutes`"
# Longer than any way of writing up to 12 hours ("11 hours and 59 minutes" is 23).
_DURATION_INPUT_MAX = 40

_UNIT_MINUTES = {
    "m": 1,
    "min": 1,
    "mins": 1,
    "minute": 1,
    "minutes": 1,
    "h": 60,
    "hr": 60,
    "hrs": 60,
    "hour": 60,
    "hours": 60,
}
# "1h30", "1 h 30 m", "2 hours 15 minutes", "1.5h", "90m", "45 minutes"
_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(hours|hour|hrs|hr|h|minutes|minute|mins|min|m)?")
_CLOCKLIKE = re.compile(r"^(\d{1,2}):(\d{2})$")  # "1:30" = one hour thirty


_NO_TITLE = "Please give the opportunity a short title, like `Greeter for Friday's meeting`."
_LONG_TITLE = "Try a shorter title and put the details in the description."
_NO_DESCRIPTION = "Please add a description: what will volunteers do, and where?"


def validate_title(text: str) -> str:
    """Trim and check a title (1..100 characters)."""
    return checked_text(text, what="That title", limit=TITLE_MAX, one_line=True, empty=_NO_TITLE, hint=_LONG_TITLE)


def validate_description(text: str) -> str:
    """Trim and check a description (1..1,000 characters). Line breaks are kept."""
    hint = "Could you trim it a little?"
    return checked_text(text, what="That description", limit=DESCRIPTION_MAX, empty=_NO_DESCRIPTION, hint=hint)


def validate_slots(slots: int) -> int:
    """Check the number of volunteer places (1..50)."""
    return within(
        slots,
        SLOTS_MIN,
        SLOTS_MAX,
        f"Slots must be between {SLOTS_MIN} and {SLOTS_MAX} (you asked for {slots}). "
        "For bigger events, post a few opportunities for different roles.",
    )


def parse_duration(text: str) -> timedelta:
    """Read a duration such as ``90m``, ``1h30``, ``2 hours``, ``1.5h`` or ``1:30``.

    A bare number is minutes. Limits: 5 minutes to 12 hours.
    """
    cleaned = text.strip().lower().replace(" and ", " ")
    if not cleaned:
        raise KindredError(f"Please say how long it lasts, like {DURATION_EXAMPLES}.")
    if len(cleaned) > _DURATION_INPUT_MAX:
        raise KindredError(f"That's too long for a length of time. Try {DURATION_EXAMPLES}.")
    minutes = _minutes(cleaned)
    if minutes is None:
        raise KindredError(f"I couldn't read {echo(text)} as a length of time. Try {DURATION_EXAMPLES}.")
    if not math.isfinite(minutes) or minutes > MAX_DURATION.total_seconds() / 60:
        # Checked before building a timedelta: a number with hundreds of digits reads as infinity.
        raise KindredError(
            "That's longer than 12 hours. For longer commitments, post separate shifts so people can share them."
        )
    duration = timedelta(minutes=round(minutes))
    if duration < MIN_DURATION:
        raise KindredError("That's very short: an opportunity needs to last at least 5 minutes.")
    if duration > MAX_DURATION:
        raise KindredError(
            "That's longer than 12 hours. For longer commitments, post separate shifts so people can share them."
        )
    return duration


def _minutes(text: str) -> float | None:
    clock = _CLOCKLIKE.match(text)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    pos, total, units_seen = 0, 0.0, []
    compact = text.replace(" ", "")
    while pos < len(compact):
        match = _PART.match(compact, pos)
        if match is None or match.end() == pos:
            return None
        value = float(match.group(1).replace(",", "."))
        unit = match.group(2)
        if unit is None:
            # A trailing bare number after hours is minutes ("1h30"); a lone number is minutes too.
            unit = "m"
        total += value * _UNIT_MINUTES[unit]
        units_seen.append(_UNIT_MINUTES[unit])
        pos = match.end()
    # "30m 1h" or "1h 2h" are more likely typos than intentions.
    if units_seen != sorted(set(units_seen), reverse=True):
        return None
    return total


def format_duration(duration: timedelta) -> str:
    """Plain words: ``1 hour 30 minutes``."""
    minutes = int(duration.total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins or not parts:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts)


def promotions(slots: int, volunteers: int, waitlist: list[int]) -> list[int]:
    """Who moves up from the waitlist: first come, first served, as many as there are free slots."""
    free = max(slots - volunteers, 0)
    return list(waitlist[:free])
