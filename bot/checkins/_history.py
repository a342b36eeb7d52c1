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
                "**Your week**\nNo check-ins this week, and that's okay. Whenever you're ready, "
                "`/checkin today` takes thirty seconds. " + self.encouragement
            )
        triggers = ", ".join(f"{name} ({n})" for name, n in self.top_triggers) or "none noted"
        return (
            f"**Your week**\n• Check-ins: {self.checkins} on {days_text(self.days_checked_in)}\n"
            f"• Mood: {self.mood_trend}\n• Most noted: {triggers}\n\n{self.encouragement}"
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
        return "A few more check-ins and patterns start to show. You're building something useful."
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
            best = (craving_gap, f"Cravings were higher on days you noted {trigger}.")
        elif mood_gap >= 1.0 and (best is None or mood_gap * 1.5 > best[0]):
            best = (mood_gap * 1.5, f"Your mood tended to be lower on days you noted {trigger}.")
    if best is not None:
        return best[1] + " Worth keeping in mind when you plan your days."
    half = len(days) // 2
    early, late = fmean(d.mood for d in days[:half]), fmean(d.mood for d in days[half:])
    if late - early >= 0.5:
        return "Your mood has been lifting lately. Notice what's been helping."
    if early - late >= 0.5:
        return "Your mood has dipped lately. Be gentle with yourself, and consider reaching out to someone."
    return f"You checked in on {len(days)} days. Noticing how you are is a skill, and you're practising it."


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
        trend = "lifting" if late - early >= 0.5 else "a bit lower" if early - late >= 0.5 else "fairly steady"
        trend = f"{trend} (average {fmean(d.mood for d in days):.1f} of 5)"
    elif days:
        trend = f"{days[0].mood:.1f} of 5 on the day you checked in"
    else:
        trend = "no check-ins"
    if not entries:
        encouragement = "You're still part of this community, whatever this week looked like."
    elif any(e.mood <= 2 for e in entries):
        encouragement = "Some days were hard and you kept showing up. That counts for a lot."
    else:
        encouragement = "Thanks for taking the time to notice how you are. Keep going, at your own pace."
    return WeeklySummary(
        checkins=len(entries),
        days_checked_in=len(days),
        mood_trend=trend,
        top_triggers=top_triggers(entries),
        encouragement=encouragement,
    )


def days_text(n: int) -> str:
    """'1 day', '3 days'."""
    return f"{n} day" if n == 1 else f"{n} days"
