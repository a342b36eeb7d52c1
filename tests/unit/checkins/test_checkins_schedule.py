"""Reminder times: DST-safe next occurrences, weekdays, pauses and the two-hour lateness rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import checkins
from bot.errors import KindredError

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def chain(plan: checkins.ReminderPlan, start: datetime, n: int) -> list[datetime]:
    out, at = [], start
    for _ in range(n):
        at = checkins.next_occurrence(plan, at)
        out.append(at)
    return out


def test_local_hour_is_kept_across_fall_back() -> None:
    times = chain(checkins.ReminderPlan(time(19, 0), NY), datetime(2026, 10, 30, 12, tzinfo=UTC), 4)
    assert [t.astimezone(NY).hour for t in times] == [19, 19, 19, 19]
    assert times[2] - times[1] == timedelta(hours=25)  # the long day


def test_local_hour_is_kept_across_spring_forward() -> None:
    times = chain(checkins.ReminderPlan(time(8, 0), LONDON), datetime(2027, 3, 26, 12, tzinfo=UTC), 3)
    assert [t.astimezone(LONDON).hour for t in times] == [8, 8, 8]
    assert times[1] - times[0] == timedelta(hours=23)


def test_nonexistent_time_moves_to_the_first_valid_minute_after_the_gap() -> None:
    assert checkins.local_wall_to_utc(date(2027, 3, 14), time(2, 30), NY) == datetime(2027, 3, 14, 7, 0, tzinfo=UTC)
    assert checkins.local_wall_to_utc(date(2027, 3, 28), time(1, 15), LONDON) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


def test_ambiguous_time_fires_once_at_the_first_occurrence() -> None:
    first = checkins.local_wall_to_utc(date(2026, 11, 1), time(1, 30), NY)
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    # Searching after the first occurrence skips the repeated 01:30 EST and goes to the next day.
    assert checkins.next_occurrence(checkins.ReminderPlan(time(1, 30), NY), first) == datetime(
        2026, 11, 2, 6, 30, tzinfo=UTC
    )


def test_weekdays_and_pause_are_respected() -> None:
    plan = checkins.ReminderPlan(time(9, 0), ZoneInfo("UTC"), frozenset({0, 2}), paused_until=date(2026, 11, 25))
    times = chain(plan, datetime(2026, 11, 22, 12, tzinfo=UTC), 3)  # Sun 22 Nov
    assert [t.date() for t in times] == [date(2026, 11, 25), date(2026, 11, 30), date(2026, 12, 2)]


def test_today_is_used_when_the_time_is_still_ahead() -> None:
    plan = checkins.ReminderPlan(time(19, 0), ZoneInfo("UTC"))
    assert checkins.next_occurrence(plan, datetime(2026, 11, 22, 18, 59, tzinfo=UTC)) == datetime(
        2026, 11, 22, 19, tzinfo=UTC
    )
    assert checkins.next_occurrence(plan, datetime(2026, 11, 22, 19, 0, tzinfo=UTC)) == datetime(
        2026, 11, 23, 19, tzinfo=UTC
    )


def test_late_by_under_two_hours_is_sent_otherwise_skipped() -> None:
    assert checkins.should_send_late(timedelta(hours=1, minutes=59, seconds=59))
    assert not checkins.should_send_late(timedelta(hours=2))


@pytest.mark.parametrize(
    ("text", "days"),
    [("", set(range(7))), ("weekdays", {0, 1, 2, 3, 4}), ("Sat, sun", {5, 6}), ("mon wed friday", {0, 2, 4})],
)
def test_weekdays_parse(text: str, days: set[int]) -> None:
    assert checkins.parse_weekdays(text) == frozenset(days)


def test_unknown_weekday_is_a_clear_error() -> None:
    with pytest.raises(KindredError, match="'funday'"):
        checkins.parse_weekdays("mon, funday")
    assert checkins.format_weekdays(frozenset({0, 2})) == "Mon, Wed"
