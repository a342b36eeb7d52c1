"""When a daily reminder is next due: computed from the local wall-clock time, every time.

Why not "last + 24 hours": across a daylight-saving change that drifts the reminder by an hour.
Each occurrence is resolved afresh with :mod:`zoneinfo`:
- a local time that doesn't exist (inside a spring-forward gap) moves to the first valid minute
  after the gap;
- a local time that happens twice (fall-back) fires once, at the first occurrence (``fold=0``),
  and the next occurrence is searched strictly after it, so the second one is never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import _, weekday_abbreviation
from bot.problems import KindredError
from bot.text import echo

LATE_LIMIT = timedelta(hours=2)
WEEKDAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ALL_WEEKDAYS: frozenset[int] = frozenset(range(7))
_WEEKDAY_WORDS = {
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "weekend": frozenset({5, 6}),
    "every day": ALL_WEEKDAYS,
    "everyday": ALL_WEEKDAYS,
    "daily": ALL_WEEKDAYS,
    "all": ALL_WEEKDAYS,
}


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """Everything that decides a member's reminder times."""

    local_time: time
    zone: ZoneInfo
    weekdays: frozenset[int] = ALL_WEEKDAYS  # 0 = Monday
    paused_until: date | None = None  # local dates before this are skipped

    def fires_on(self, day: date) -> bool:
        """Whether a reminder belongs on this local date (weekday chosen, not paused)."""
        if day.weekday() not in self.weekdays:
            return False
        return self.paused_until is None or day >= self.paused_until


def _exists(naive: datetime, zone: ZoneInfo) -> bool:
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def local_wall_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time on a local date, DST rules applied.

    Nonexistent times move forward to the first valid minute; ambiguous times take the first
    occurrence.
    """
    naive = datetime.combine(day, at.replace(second=0, microsecond=0, tzinfo=None))
    probe = naive
    # Gaps are an hour in most zones, at most a day (Pacific/Apia skipped 30 Dec 2011).
    for _minute in range(24 * 60 + 1):
        if _exists(probe, zone):
            return probe.replace(tzinfo=zone, fold=0).astimezone(UTC)
        probe += timedelta(minutes=1)
    raise ValueError(f"no valid local time near {naive} in {zone.key}")  # pragma: no cover - no such zone


def next_occurrence(plan: ReminderPlan, after: datetime) -> datetime:
    """The first reminder instant strictly after ``after`` (UTC)."""
    if not plan.weekdays:
        raise ValueError("a reminder needs at least one weekday")
    start = after.astimezone(plan.zone).date()
    if plan.paused_until is not None and plan.paused_until > start:
        start = plan.paused_until
    # Yesterday is included because a gap-shifted or early-zone time can still fall after `after`.
    day = start - timedelta(days=1)
    for _day in range(16):
        if plan.fires_on(day):
            due = local_wall_to_utc(day, plan.local_time, plan.zone)
            if due > after:
                return due
        day += timedelta(days=1)
    raise AssertionError("no occurrence in 16 days with a non-empty weekday set")  # pragma: no cover


def should_send_late(lateness: timedelta) -> bool:
    """A reminder handled less than two hours late is still useful; later than that it's noise."""
    return lateness < LATE_LIMIT


def parse_weekdays(text: str | None) -> frozenset[int]:
    """``"mon,wed,fri"``, ``"weekdays"``, ``"weekends"`` or empty (every day) → weekday numbers."""
    cleaned = (text or "").strip().casefold()
    if not cleaned:
        return ALL_WEEKDAYS
    if cleaned in _WEEKDAY_WORDS:
        return _WEEKDAY_WORDS[cleaned]
    chosen: set[int] = set()
    for raw in cleaned.replace(" ", ",").split(","):
        word = raw.strip()
        if not word:
            continue
        if word in _WEEKDAY_WORDS:
            chosen |= _WEEKDAY_WORDS[word]
            continue
        index = next(
            (i for i, n in enumerate(WEEKDAY_NAMES) if len(word) >= 2 and n.casefold().startswith(word[:3])), None
        )
        if index is None:
            raise KindredError(
                _(
                    "I couldn't read {text} as a weekday. Use names like `mon,wed,fri`, or `weekdays`, `weekends`."
                ).format(text=echo(raw))
            )
        chosen.add(index)
    if not chosen:
        return ALL_WEEKDAYS
    return frozenset(chosen)


def format_weekdays(days: frozenset[int]) -> str:
    """``"every day"``, ``"weekdays"`` or ``"Mon, Wed, Fri"``."""
    if days == ALL_WEEKDAYS:
        return _("every day")
    if days == frozenset(range(5)):
        return _("weekdays")
    if days == frozenset({5, 6}):
        return _("weekends")
    return ", ".join(weekday_abbreviation(d, WEEKDAY_NAMES[d]) for d in sorted(days))


def weekdays_to_text(days: frozenset[int]) -> str:
    """Storage form: ``"0246"``."""
    return "".join(str(d) for d in sorted(days))


def weekdays_from_text(text: str) -> frozenset[int]:
    """Inverse of :func:`weekdays_to_text`."""
    return frozenset(int(c) for c in text if c.isdigit())
