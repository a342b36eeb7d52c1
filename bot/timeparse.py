"""Natural date/time input ("tomorrow 7pm", "fri 19:00", "2026-12-01 18:30", "in 3 hours").

dateparser does the parsing; this module pins it to the member's time zone and "now", and turns
every failure into a message with examples.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

from bot.i18n import _
from bot.problems import KindredError
from bot.text import echo

__all__ = ["EXAMPLES", "parse_clock_time", "parse_when"]

# In English in every language: times are read in English (and in numbers), so these are what works.
EXAMPLES = "`tomorrow 7pm`, `fri 19:00`, `2026-12-01 18:30`, `in 3 hours`"
_MAX_AHEAD = timedelta(days=366)
_CLOCK = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_when(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """Parse ``text`` as a future instant in ``zone``; return it in UTC.

    Raises :class:`KindredError` for empty, unparseable, past or far-future input.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise KindredError(_("Please say when, for example {examples}.").format(examples=EXAMPLES))
    if len(cleaned) > 100:
        raise KindredError(
            _("That time is too long for me to read. Try something like {examples}.").format(examples=EXAMPLES)
        )
    local_now = now.astimezone(zone)
    with warnings.catch_warnings():
        # dateparser emits a PytzUsageWarning-style deprecation on some inputs; it is noise here.
        warnings.simplefilter("ignore")
        # languages=["en"]: without it dateparser first guesses the language, which costs over two
        # seconds on a cold start and pushed commands past Discord's 3-second answer window.
        parsed = dateparser.parse(
            cleaned,
            languages=["en"],
            settings={
                "TIMEZONE": str(zone.key),
                "TO_TIMEZONE": "UTC",
                "RETURN_AS_TIMEZONE_AWARE": True,
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": local_now.replace(tzinfo=None),
            },
        )
    if parsed is None:
        raise KindredError(
            _("I couldn't read {text} as a time. Try {examples}.").format(text=echo(cleaned), examples=EXAMPLES)
        )
    when = parsed.astimezone(UTC).replace(microsecond=0)
    if when <= now:
        raise KindredError(
            _("{text} is {when}, which has already passed. Please pick a time in the future, like {examples}.").format(
                text=echo(cleaned), when=f"<t:{int(when.timestamp())}:F>", examples=EXAMPLES
            )
        )
    if when - now > _MAX_AHEAD:
        raise KindredError(_("That's more than a year away. Please pick a time within the next year."))
    return when


def parse_clock_time(text: str) -> time:
    """Parse a wall-clock time such as ``07:30``, ``19:00`` or ``7pm``.

    Raises :class:`KindredError` for impossible times like ``25:00`` or ``7:75``.
    """
    match = _CLOCK.match(text)
    if not match:
        raise KindredError(f"I couldn't read {echo(text)} as a time of day. Use HH:MM, like `08:30` or `19:00`.")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise KindredError(f"{echo(text)} isn't a real time: with am/pm the hour runs from 1 to 12.")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise KindredError(f"{echo(text)} isn't a real time of day. Use HH:MM between 00:00 and 23:59.")
    return time(hour, minute)
