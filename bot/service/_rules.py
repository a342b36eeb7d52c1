"""Validation of what a poster types: title, description, slots and duration."""

from __future__ import annotations

import math
from datetime import timedelta

from bot.i18n import N_, _, ngettext
from bot.problems import KindredError, within
from bot.service._models import DESCRIPTION_MAX, SLOTS_MAX, SLOTS_MIN, TITLE_MAX
from bot.text import checked_text, echo
from bot.timeparse import duration_minutes

MIN_DURATION = timedelta(minutes=5)
MAX_DURATION = timedelta(hours=12)
# Longer than any way of writing up to 12 hours ("11 hours and 59 minutes" is 23).
_DURATION_INPUT_MAX = 40

_NO_TITLE = N_("Please give the opportunity a short title, like `Greeter for Friday's meeting`.")
_LONG_TITLE = N_("Try a shorter title and put the details in the description.")
_NO_DESCRIPTION = N_("Please add a description: what will volunteers do, and where?")
_TOO_LONG = N_("That's longer than 12 hours. For longer commitments, post separate shifts so people can share them.")


def duration_examples() -> str:
    """Lengths of time the reader understands, as the member would write them in their language."""
    # Translators: keep the backticks; each example must be something Kindred reads in your language
    # (a test checks it): minutes, hours and minutes, hours in words, minutes in words.
    return _("`90m`, `1h30`, `2 hours`, `45 minutes`")


def validate_title(text: str) -> str:
    """Trim and check a title (1..100 characters)."""
    return checked_text(
        text, what=_("That title"), limit=TITLE_MAX, one_line=True, empty=_(_NO_TITLE), hint=_(_LONG_TITLE)
    )


def validate_description(text: str) -> str:
    """Trim and check a description (1..1,000 characters). Line breaks are kept."""
    hint = _("Could you trim it a little?")
    return checked_text(text, what=_("That description"), limit=DESCRIPTION_MAX, empty=_(_NO_DESCRIPTION), hint=hint)


def validate_slots(slots: int) -> int:
    """Check the number of volunteer places (1..50)."""
    return within(
        slots,
        SLOTS_MIN,
        SLOTS_MAX,
        _(
            "Slots must be between {low} and {high} (you asked for {slots}). "
            "For bigger events, post a few opportunities for different roles."
        ).format(low=SLOTS_MIN, high=SLOTS_MAX, slots=slots),
    )


def parse_duration(text: str) -> timedelta:
    """Read a duration such as ``90m``, ``1h30``, ``2 hours``, ``1.5h`` or ``1:30``, or in the member's language
    (``2 horas``, ``45 Minuten``).

    A bare number is minutes. Limits: 5 minutes to 12 hours.
    """
    cleaned = text.strip()
    if not cleaned:
        raise KindredError(_("Please say how long it lasts, like {examples}.").format(examples=duration_examples()))
    if len(cleaned) > _DURATION_INPUT_MAX:
        raise KindredError(
            _("That's too long for a length of time. Try {examples}.").format(examples=duration_examples())
        )
    minutes = duration_minutes(cleaned)
    if minutes is None:
        raise KindredError(
            _("I couldn't read {text} as a length of time. Try {examples}.").format(
                text=echo(text), examples=duration_examples()
            )
        )
    if not math.isfinite(minutes) or minutes > MAX_DURATION.total_seconds() / 60:
        # Checked before building a timedelta: a number with hundreds of digits reads as infinity.
        raise KindredError(_(_TOO_LONG))
    duration = timedelta(minutes=round(minutes))
    if duration < MIN_DURATION:
        raise KindredError(_("That's very short: an opportunity needs to last at least 5 minutes."))
    if duration > MAX_DURATION:
        raise KindredError(_(_TOO_LONG))
    return duration


def format_duration(duration: timedelta) -> str:
    """Plain words in the current locale: ``1 hour 30 minutes``."""
    minutes = int(duration.total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("{count} hour", "{count} hours", hours).format(count=hours))
    if mins or not parts:
        parts.append(ngettext("{count} minute", "{count} minutes", mins).format(count=mins))
    return " ".join(parts)


def promotions(slots: int, volunteers: int, waitlist: list[int]) -> list[int]:
    """Who moves up from the waitlist: first come, first served, as many as there are free slots."""
    free = max(slots - volunteers, 0)
    return list(waitlist[:free])
