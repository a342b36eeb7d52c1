"""The recovery-date counter: current stretch, journey start, total days, milestones, and slips.

A slip starts a new stretch and keeps everything else: the date the journey began and the days
already lived in recovery (design rule 3: never a reset to nothing).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.i18n import _, ngettext, pgettext, pgettext_noop
from bot.problems import KindredError
from bot.text import echo

# The labels are stored in English (timer payloads) and shown with milestone_label.
_DAY_MILESTONES: tuple[tuple[int, str], ...] = (
    (1, pgettext_noop("milestone", "24 hours")),
    (7, pgettext_noop("milestone", "7 days")),
    (30, pgettext_noop("milestone", "30 days")),
    (60, pgettext_noop("milestone", "60 days")),
    (90, pgettext_noop("milestone", "90 days")),
    (180, pgettext_noop("milestone", "180 days")),
)


def milestone_label(label: str) -> str:
    """A milestone's stored English label ("30 days", "2 years") in the current locale."""
    years = re.fullmatch(r"(\d+) years?", label)
    if years is not None:
        n = int(years[1])
        return ngettext("{n} year", "{n} years", n).format(n=n)
    return pgettext("milestone", label)


@dataclass(frozen=True, slots=True)
class Milestone:
    """A milestone of the current stretch: its label and the local date it is reached."""

    label: str
    on: date


@dataclass(frozen=True, slots=True)
class RecoveryRecord:
    """A member's recovery journey. ``prior_days`` are days from stretches before the current one."""

    journey_start: date
    stretch_start: date
    prior_days: int = 0

    def stretch_days(self, today: date) -> int:
        """Days in the current stretch (0 on its first day)."""
        return max((today - self.stretch_start).days, 0)

    def total_days(self, today: date) -> int:
        """Every day in recovery across all stretches."""
        return self.prior_days + self.stretch_days(today)


def _anniversary(start: date, years: int) -> date:
    year = start.year + years
    # 29 February: the anniversary in a common year is the 28th, the last day of that February.
    day = min(start.day, calendar.monthrange(year, start.month)[1])
    return date(year, start.month, day)


def milestones_after(stretch_start: date, after: date, count: int = 1) -> list[Milestone]:
    """The next ``count`` milestones reached strictly after the local date ``after``."""
    found: list[Milestone] = []
    for days, label in _DAY_MILESTONES:
        on = stretch_start + timedelta(days=days)
        if on > after:
            found.append(Milestone(label, on))
    years = 1
    while len(found) < count:
        on = _anniversary(stretch_start, years)
        if on > after:
            found.append(Milestone("1 year" if years == 1 else f"{years} years", on))
        years += 1
    return found[:count]


def milestone_on(stretch_start: date, day: date) -> Milestone | None:
    """The milestone reached exactly on ``day``, if any."""
    nxt = milestones_after(stretch_start, day - timedelta(days=1))[0]
    return nxt if nxt.on == day else None


def next_milestone(stretch_start: date, today: date) -> Milestone:
    """The next milestone still ahead (after today)."""
    return milestones_after(stretch_start, today)[0]


def slip(record: RecoveryRecord, today: date) -> RecoveryRecord:
    """A new stretch starting today; the journey start and the days already lived are kept."""
    return replace(record, stretch_start=today, prior_days=record.total_days(today))


def set_date(existing: RecoveryRecord | None, new: date) -> RecoveryRecord:
    """``/recovery set``: a first date starts the journey; later it sets the current stretch.

    With no slips on record the journey start moves too (the member is correcting it). With
    slips, the journey start and earlier days stay, unless the new date is earlier still.
    """
    if existing is None or existing.prior_days == 0:
        return RecoveryRecord(journey_start=new, stretch_start=new, prior_days=0)
    return RecoveryRecord(
        journey_start=min(existing.journey_start, new), stretch_start=new, prior_days=existing.prior_days
    )


def parse_recovery_date(text: str, today: date) -> date:
    """``YYYY-MM-DD`` (or ``today``/``yesterday``) → a date not in the future; specific errors otherwise."""
    cleaned = text.strip().casefold()
    # Autocomplete labels look like "today · 2026-11-22"; the date part is what counts.
    if "·" in cleaned:
        cleaned = cleaned.split("·")[-1].strip()
    if cleaned == "today":
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    try:
        value = date.fromisoformat(cleaned)
    except ValueError:
        raise KindredError(
            _("I couldn't read {text} as a date. Use YYYY-MM-DD, for example `{today}`.").format(
                text=echo(text), today=today.isoformat()
            )
        ) from None
    if value > today:
        raise KindredError(
            _(
                "{date} is in the future (today is {today} where you are). "
                "Your recovery date is the day your journey started, so it can be today or earlier."
            ).format(date=value.isoformat(), today=today.isoformat())
        )
    if value.year < 1900:
        raise KindredError(_("That date is too far back for me. Please check the year."))
    return value


# The autocomplete's shortcuts, in the current locale; the value chosen is always the date itself.
# A context of their own: "today" is also a command's name, which has Discord's naming rules.
_SUGGESTED_DAYS = (
    (pgettext_noop("date suggestion", "today"), 0),
    (pgettext_noop("date suggestion", "yesterday"), 1),
    (pgettext_noop("date suggestion", "a week ago"), 7),
    (pgettext_noop("date suggestion", "30 days ago"), 30),
    (pgettext_noop("date suggestion", "90 days ago"), 90),
)


def date_suggestions(query: str, today: date) -> list[tuple[str, str]]:
    """Autocomplete (name, value) pairs: what's been typed if it's a valid date, then today and recent dates."""
    options: list[tuple[str, str]] = []
    typed = query.strip()
    try:
        value = date.fromisoformat(typed)
        if value <= today:
            options.append((value.isoformat(), value.isoformat()))
    except ValueError:
        pass
    for english, delta in _SUGGESTED_DAYS:
        label = pgettext("date suggestion", english)
        day = today - timedelta(days=delta)
        if typed and not day.isoformat().startswith(typed) and not label.startswith(typed.casefold()):
            continue
        options.append((f"{label} · {day.isoformat()}", day.isoformat()))
    return options[:25]
