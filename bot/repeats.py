"""How rooms and service posts repeat: weekly, every two weeks, or monthly on the nth (or last) weekday.

One rule for both features. Every repeat keeps the local wall-clock time in the host's zone, so a
19:00 gathering stays at 19:00 across daylight-saving changes. A wall time that doesn't exist that day
(the spring-forward gap) is read with ``fold=0`` and so moves forward by the gap; one that exists twice
(fall back) is the first of the two.

Monthly repeats take their weekday and its place in the month from the occurrence they follow: a
room on the 2nd Tuesday is next on the 2nd Tuesday of the following month. A date in a month's 5th
week (the 29th to the 31st) is a 5th weekday, which most months don't have: ``monthly`` then skips
the months without one, and ``monthly_last`` ("the last Friday") is the choice that never skips,
offered for any date in the last 7 days of its month.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.i18n import _, catalogue_for, current_locale, format_day_month, pgettext, pgettext_noop
from bot.problems import KindredError

__all__ = [
    "REPEAT_CHOICES",
    "Repeat",
    "check_repeat",
    "describe_repeat",
    "is_last_weekday",
    "next_occurrence",
    "nth_weekday",
    "weekday_in_month",
]


class Repeat(StrEnum):
    """How a series repeats; the value is what the database stores."""

    NONE = "none"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"  # the nth weekday of the month, n taken from the occurrence's date
    MONTHLY_LAST = "monthly_last"  # the last weekday of the month


# (value, what the member sees in the command's choice list: the option and a word of help).
REPEAT_CHOICES: tuple[tuple[Repeat, str], ...] = (
    (Repeat.NONE, "Just once"),
    (Repeat.WEEKLY, "Every week: same weekday, same local time"),
    (Repeat.BIWEEKLY, "Every two weeks: same weekday, same local time"),
    (Repeat.MONTHLY, "Monthly, same nth weekday as the first date (e.g. the 2nd Tuesday)"),
    (Repeat.MONTHLY_LAST, "Monthly, last weekday of the month (e.g. the last Friday)"),
)

# Which of its weekday a date is in its month. Each language writes the ordinal as its own sentence around it needs.
_ORDINALS = {
    1: pgettext_noop("ordinal", "1st"),
    2: pgettext_noop("ordinal", "2nd"),
    3: pgettext_noop("ordinal", "3rd"),
    4: pgettext_noop("ordinal", "4th"),
    5: pgettext_noop("ordinal", "5th"),
}
# However long the bot was away, a monthly series finds its next date within this many months.
_MAX_MONTHS = 1200


def nth_weekday(day: date) -> int:
    """Which occurrence of its weekday ``day`` is in its month: 1 for the first Tuesday, up to 5."""
    return (day.day - 1) // 7 + 1


def is_last_weekday(day: date) -> bool:
    """Whether ``day`` is the last of its weekday in its month (it falls in the month's last 7 days)."""
    return day.day + 7 > calendar.monthrange(day.year, day.month)[1]


def weekday_in_month(year: int, month: int, weekday: int, n: int | None) -> date | None:
    """The ``n``-th ``weekday`` (Monday 0) of a month, or its last one when ``n`` is ``None``.

    ``None`` when the month has no such day (a 5th Tuesday in a month with four).
    """
    days_in_month = calendar.monthrange(year, month)[1]
    if n is None:
        last = date(year, month, days_in_month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = 1 + (weekday - first.weekday()) % 7 + 7 * (n - 1)
    return date(year, month, day) if day <= days_in_month else None


def _at_local(day: date, local: datetime, zone: ZoneInfo) -> datetime:
    wall = datetime.combine(day, local.time().replace(tzinfo=None, fold=0))
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_occurrence(start: datetime, zone: ZoneInfo, repeat: Repeat, *, after: datetime | None = None) -> datetime:
    """The occurrence after the one at ``start``, in UTC, at the same wall-clock time in ``zone``.

    With ``after``, occurrences at or before it are skipped (the bot may have been away longer than
    one interval): the result is the first one later than ``after``. ``Repeat.NONE`` has no next one.
    """
    local = start.astimezone(zone)
    if repeat in (Repeat.WEEKLY, Repeat.BIWEEKLY):
        step = 7 if repeat is Repeat.WEEKLY else 14
        k = 1
        while True:
            # Whole intervals from ``start``'s local date and time, so skipping missed weeks adds no drift.
            result = _at_local(local.date() + timedelta(days=step * k), local, zone)
            if after is None or result > after:
                return result
            k += 1
    if repeat in (Repeat.MONTHLY, Repeat.MONTHLY_LAST):
        n = None if repeat is Repeat.MONTHLY_LAST else nth_weekday(local.date())
        for k in range(1, _MAX_MONTHS + 1):
            year, month = divmod(local.month - 1 + k, 12)
            day = weekday_in_month(local.year + year, month + 1, local.weekday(), n)
            if day is None:
                continue  # no 5th such weekday this month: skipped
            result = _at_local(day, local, zone)
            if after is None or result > after:
                return result
    raise ValueError(f"{repeat!r} has no next occurrence")


def _weekday(day: date) -> str:
    """The day's weekday, written out in the current locale ("Tuesday", "martes", "Dienstag")."""
    from babel.dates import get_day_names

    catalogue = catalogue_for(current_locale())
    if catalogue is None:
        return calendar.day_name[day.weekday()]
    return str(get_day_names("wide", locale=catalogue)[day.weekday()])


def _ordinal(day: date) -> str:
    return pgettext("ordinal", _ORDINALS[nth_weekday(day)])


def check_repeat(start: datetime, zone: ZoneInfo, repeat: Repeat) -> None:
    """Refuse, kindly and specifically (in the current locale), a repeat that doesn't fit the first date."""
    day = start.astimezone(zone).date()
    if repeat is Repeat.MONTHLY_LAST and not is_last_weekday(day):
        raise KindredError(
            _(
                "{date} is the {nth} {weekday} of its month, not the last one. "
                "Choose the monthly nth-weekday repeat for the {nth} {weekday}, "
                "or start on a date in the month's last 7 days."
            ).format(date=format_day_month(day), nth=_ordinal(day), weekday=_weekday(day))
        )


def describe_repeat(start: datetime, zone: ZoneInfo, repeat: Repeat) -> str:
    """How the series repeats, in words for a confirmation or a card (in the current locale): "every two weeks",
    "monthly on the last Friday". Empty for a one-off."""
    day = start.astimezone(zone).date()
    if repeat is Repeat.WEEKLY:
        return _("every week")
    if repeat is Repeat.BIWEEKLY:
        return _("every two weeks")
    if repeat is Repeat.MONTHLY_LAST:
        return _("monthly on the last {weekday}").format(weekday=_weekday(day))
    if repeat is Repeat.MONTHLY:
        text = _("monthly on the {nth} {weekday}").format(nth=_ordinal(day), weekday=_weekday(day))
        if nth_weekday(day) == 5:
            text += " " + _(
                "(months without a 5th {weekday} are skipped; the last-{weekday} repeat never skips)"
            ).format(weekday=_weekday(day))
        return text
    return ""
