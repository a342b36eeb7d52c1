"""History over a member's own check-ins: streaks, frequent triggers, observations, the weekly note.

Everything here compares a member only with themselves. There are no counts against anyone else.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from bot.checkins._models import CheckinEntry
from bot.checkins._reflection import trigger_names
from bot.i18n import _, format_decimal, ngettext


@dataclass(frozen=True, slots=True)
class DaySummary:
    """One local day: average mood and craving, and every trigger noted."""

    day: date
    mood: float
    craving: float
    triggers: frozenset[str]
    count: int


@dataclass(frozen=True, slots=True)
class HistorySummary:
    """What ``/checkin history`` shows besides the chart."""

    days: list[DaySummary]
    top_triggers: list[tuple[str, int]]
    streak: int
    observation: str


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    """The weekly reflection DM."""

    checkins: int
    days_checked_in: int
    mood_trend: str
    top_triggers: list[tuple[str, int]]
    encouragement: str

    def render(self) -> str:
        """Plain text for the DM."""
        if self.checkins == 0:
            return (
                _("**Your week**")
                + "\n"
                + _(
                    "No check-ins this week, and that's okay. Whenever you're ready, `/checkin today` takes thirty seconds."
                )
                + " "
                + self.encouragement
            )
        triggers = ", ".join(f"{trigger_names((name,))} ({n})" for name, n in self.top_triggers) or _("none noted")
        return (
            _("**Your week**")
            + "\n• "
            + _("Check-ins: {count} on {days}").format(count=self.checkins, days=days_text(self.days_checked_in))
            + "\n• "
            + _("Mood: {trend}").format(trend=self.mood_trend)
            + "\n• "
            + _("Most noted: {triggers}").format(triggers=triggers)
            + f"\n\n{self.encouragement}"
        )


def daily(entries: Iterable[CheckinEntry]) -> list[DaySummary]:
    """Group check-ins by local day, oldest first."""
    by_day: dict[date, list[CheckinEntry]] = {}
    for entry in entries:
        by_day.setdefault(entry.local_date, []).append(entry)
    result = []
    for day in sorted(by_day):
        group = by_day[day]
        result.append(
            DaySummary(
                day=day,
                mood=fmean(e.mood for e in group),
                craving=fmean(e.craving for e in group),
                triggers=frozenset(t for e in group for t in e.triggers),
                count=len(group),
            )
        )
    return result


def streak(days_with_checkins: Iterable[date], today: date) -> int:
    """Consecutive local days with at least one check-in, ending today (or yesterday if today is still open)."""
    present = set(days_with_checkins)
    cursor = today if today in present else today - timedelta(days=1)
    count = 0
    while cursor in present:
        count += 1
        cursor -= timedelta(days=1)
    return count


def top_triggers(entries: Iterable[CheckinEntry], limit: int = 3) -> list[tuple[str, int]]:
    """The most frequently noted triggers (ties broken by name so the order is stable)."""
    counts = Counter(t for e in entries for t in e.triggers)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def observe(days: Sequence[DaySummary]) -> str:
    """One gentle observation drawn from the member's own days."""
    if len(days) < 3:
        return _("A few more check-ins and patterns start to show. You're building something useful.")
    # Strongest trigger link first: cravings higher (or mood lower) on days the trigger was noted.
    best: tuple[float, str] | None = None
    for trigger in sorted({t for d in days for t in d.triggers}):
        with_t = [d for d in days if trigger in d.triggers]
        without = [d for d in days if trigger not in d.triggers]
        if len(with_t) < 2 or len(without) < 1:
            continue
        craving_gap = fmean(d.craving for d in with_t) - fmean(d.craving for d in without)
        mood_gap = fmean(d.mood for d in without) - fmean(d.mood for d in with_t)
        if craving_gap >= 1.5 and (best is None or craving_gap > best[0]):
            best = (
                craving_gap,
                _("Cravings were higher on days you noted {trigger}.").format(trigger=trigger_names((trigger,))),
            )
        elif mood_gap >= 1.0 and (best is None or mood_gap * 1.5 > best[0]):
            best = (
                mood_gap * 1.5,
                _("Your mood tended to be lower on days you noted {trigger}.").format(
                    trigger=trigger_names((trigger,))
                ),
            )
    if best is not None:
        return best[1] + " " + _("Worth keeping in mind when you plan your days.")
    half = len(days) // 2
    early, late = fmean(d.mood for d in days[:half]), fmean(d.mood for d in days[half:])
    if late - early >= 0.5:
        return _("Your mood has been lifting lately. Notice what's been helping.")
    if early - late >= 0.5:
        return _("Your mood has dipped lately. Be gentle with yourself, and consider reaching out to someone.")
    return _("You checked in on {count} days. Noticing how you are is a skill, and you're practising it.").format(
        count=len(days)
    )


def summarise(entries: Sequence[CheckinEntry], today: date) -> HistorySummary:
    """Everything ``/checkin history`` needs from a member's entries."""
    days = daily(entries)
    return HistorySummary(
        days=days,
        top_triggers=top_triggers(entries),
        streak=streak((e.local_date for e in entries), today),
        observation=observe(days),
    )


def weekly_summary(entries: Sequence[CheckinEntry]) -> WeeklySummary:
    """The weekly reflection over the last seven days of entries."""
    days = daily(entries)
    if len(days) >= 2:
        half = len(days) // 2
        early, late = fmean(d.mood for d in days[:half]), fmean(d.mood for d in days[half:])
        average = format_decimal(round(fmean(d.mood for d in days), 1))
        if late - early >= 0.5:
            trend = _("lifting (average {average} of 5)").format(average=average)
        elif early - late >= 0.5:
            trend = _("a bit lower (average {average} of 5)").format(average=average)
        else:
            trend = _("fairly steady (average {average} of 5)").format(average=average)
    elif days:
        trend = _("{mood} of 5 on the day you checked in").format(mood=format_decimal(round(days[0].mood, 1)))
    else:
        trend = _("no check-ins")
    if not entries:
        encouragement = _("You're still part of this community, whatever this week looked like.")
    elif any(e.mood <= 2 for e in entries):
        encouragement = _("Some days were hard and you kept showing up. That counts for a lot.")
    else:
        encouragement = _("Thanks for taking the time to notice how you are. Keep going, at your own pace.")
    return WeeklySummary(
        checkins=len(entries),
        days_checked_in=len(days),
        mood_trend=trend,
        top_triggers=top_triggers(entries),
        encouragement=encouragement,
    )


def days_text(n: int) -> str:
    """'1 day', '3 days' (in the current locale)."""
    return ngettext("{n} day", "{n} days", n).format(n=n)
