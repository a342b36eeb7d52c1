"""The rules of first-30-days support: who is offered it, its parts, and when each note falls due.

Plain functions over dates and zones, so a unit test can check every day of the period without Discord.
Day 1 is the day the period starts (the member's recovery date when it is recent, else the day they said
yes). Check-in prompts come daily on days 1-7 and every other day to day 29, at the member's own time;
milestone notes come at 24 hours, 3 days, 1 week and 2 weeks, in the morning; on day 30 (30 days after
the start) a private reflection closes the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.checkins._schedule import local_wall_to_utc
from bot.i18n import N_

__all__ = [
    "ALL_PARTS",
    "MILESTONE_TIME",
    "PARTS",
    "PERIOD_DAYS",
    "PROMPT_DAYS",
    "ROOM_NOTE_DAYS",
    "Due",
    "day_number",
    "end_due",
    "is_recent",
    "next_milestone",
    "next_prompt",
    "next_rooms_note",
    "parse_parts",
    "parts_text",
    "period_start",
]

PERIOD_DAYS = 30

# The parts a member can choose, with the words the offer and /recovery support use for each (English,
# translated where they are shown).
PARTS: dict[str, str] = {
    "buddy": N_(
        "a buddy within a day, not next round: a steady member who offered to walk alongside people starting out"
    ),
    "checkins": N_("a gentle check-in prompt at a time you choose: daily for the first week, then every other day"),
    "milestones": N_("a private note at 24 hours, 3 days, 1 week and 2 weeks"),
    "rooms": N_("once a week, the next rooms marked newcomer-friendly, in your own time zone"),
    "welcome": N_("a hello from a volunteer on the welcome rota, by DM or in your buddy thread: you choose"),
}
ALL_PARTS: frozenset[str] = frozenset(PARTS)

# Day numbers (day 1 = the start) that get a check-in prompt.
PROMPT_DAYS: tuple[int, ...] = (*range(1, 8), *range(9, PERIOD_DAYS, 2))

# Day numbers that bring the week's newcomer-friendly rooms.
ROOM_NOTE_DAYS: tuple[int, ...] = (1, 8, 15, 22, 29)

# (days after the start, label) of the period's milestone notes; 30 days is part of the closing reflection.
# The English label is what a timer stores; the note translates it when it is sent.
MILESTONES: tuple[tuple[int, str], ...] = (
    (1, N_("24 hours")),
    (3, N_("3 days")),
    (7, N_("1 week")),
    (14, N_("2 weeks")),
)
MILESTONE_TIME = time(9, 0)  # a morning note, in the member's own time zone


@dataclass(frozen=True, slots=True)
class Due:
    """One scheduled note: which one (a day number or a milestone label) and when, in UTC."""

    what: str
    at: datetime


def parse_parts(text: str) -> frozenset[str]:
    """Stored parts (a comma list) back to a set; unknown names from an older version are dropped."""
    return frozenset(p for p in text.split(",") if p in PARTS)


def parts_text(parts: frozenset[str]) -> str:
    """The stored form of ``parts``: sorted, comma-separated."""
    return ",".join(sorted(parts & ALL_PARTS))


def is_recent(recovery_date: date, today: date) -> bool:
    """Whether a recovery date falls within the last 30 days (today counts), so the offer applies."""
    return 0 <= (today - recovery_date).days < PERIOD_DAYS


def period_start(recovery_date: date | None, today: date) -> date:
    """Day 1: a recent recovery date, else today."""
    if recovery_date is not None and is_recent(recovery_date, today):
        return recovery_date
    return today


def _first_due_after(days: tuple[int, ...], start: date, at: time, zone: ZoneInfo, after: datetime) -> Due | None:
    for day in days:
        due = local_wall_to_utc(start + timedelta(days=day - 1), at, zone)
        if due > after:
            return Due(str(day), due)
    return None


def next_prompt(start: date, at: time, zone: ZoneInfo, after: datetime) -> Due | None:
    """The first check-in prompt due strictly after ``after``, or None when the period has none left."""
    return _first_due_after(PROMPT_DAYS, start, at, zone, after)


def next_rooms_note(start: date, at: time, zone: ZoneInfo, after: datetime) -> Due | None:
    """The first weekly rooms note due strictly after ``after``, or None."""
    return _first_due_after(ROOM_NOTE_DAYS, start, at, zone, after)


def next_milestone(start: date, zone: ZoneInfo, after: datetime) -> Due | None:
    """The first milestone note due strictly after ``after``, or None."""
    for days, label in MILESTONES:
        due = local_wall_to_utc(start + timedelta(days=days), MILESTONE_TIME, zone)
        if due > after:
            return Due(label, due)
    return None


def end_due(start: date, at: time, zone: ZoneInfo) -> datetime:
    """When the closing reflection is due: 30 days after the start, at the member's time."""
    return local_wall_to_utc(start + timedelta(days=PERIOD_DAYS), at, zone)


def day_number(start: date, today: date) -> int:
    """Which day of the period ``today`` is (1 = the start)."""
    return (today - start).days + 1
