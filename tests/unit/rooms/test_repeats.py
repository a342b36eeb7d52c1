"""The repeat rule rooms and service posts share: weekly, every two weeks, monthly on the nth or last weekday."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.problems import KindredError
from bot.repeats import (
    REPEAT_CHOICES,
    Repeat,
    check_repeat,
    describe_repeat,
    is_last_weekday,
    next_occurrence,
    nth_weekday,
    weekday_in_month,
)
from bot.rooms.schedule import next_room_start
from bot.service import Recurrence, next_start

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def at(zone: ZoneInfo, *parts: int) -> datetime:
    """A local wall time in ``zone``, as a UTC instant."""
    year, month, day, hour, minute = parts
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


def local(instant: datetime, zone: ZoneInfo) -> tuple[int, int, int, int, int]:
    moment = instant.astimezone(zone)
    return moment.year, moment.month, moment.day, moment.hour, moment.minute


# -- weekly and every two weeks ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("zone", "start", "expected"),
    [
        (LONDON, (2026, 10, 18, 19, 0), (2026, 11, 1, 19, 0)),  # clocks go back on 25 October
        (LONDON, (2026, 3, 22, 19, 0), (2026, 4, 5, 19, 0)),  # clocks go forward on 29 March
        (NEW_YORK, (2026, 10, 25, 19, 0), (2026, 11, 8, 19, 0)),  # clocks go back on 1 November
        (NEW_YORK, (2026, 3, 1, 19, 0), (2026, 3, 15, 19, 0)),  # clocks go forward on 8 March
    ],
)
def test_every_two_weeks_keeps_the_local_time_across_dst(
    zone: ZoneInfo, start: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    nxt = next_occurrence(at(zone, *start), zone, Repeat.BIWEEKLY)
    assert local(nxt, zone) == expected
    assert nxt - at(zone, *start) != timedelta(days=14)  # an hour more or less in UTC


def test_weekly_is_unchanged_and_shared_by_both_features() -> None:
    start = at(LONDON, 2026, 10, 21, 19, 0)
    expected = at(LONDON, 2026, 10, 28, 19, 0)
    assert next_occurrence(start, LONDON, Repeat.WEEKLY) == expected
    assert next_room_start(start, LONDON, "weekly") == expected
    assert next_start(start, LONDON, Recurrence.WEEKLY, start) == expected


def test_every_two_weeks_skips_occurrences_missed_while_the_bot_was_away() -> None:
    start = at(LONDON, 2026, 11, 2, 19, 0)
    away_until = at(LONDON, 2026, 11, 20, 12, 0)
    assert next_occurrence(start, LONDON, Repeat.BIWEEKLY, after=away_until) == at(LONDON, 2026, 11, 30, 19, 0)


# -- monthly on the nth weekday ------------------------------------------------------------------
def test_the_nth_weekday_comes_from_the_first_date() -> None:
    assert nth_weekday(date(2026, 1, 13)) == 2  # the 2nd Tuesday of January 2026
    assert nth_weekday(date(2026, 1, 29)) == 5
    assert weekday_in_month(2026, 2, 1, 2) == date(2026, 2, 10)
    assert weekday_in_month(2026, 2, 3, 5) is None  # no 5th Thursday in February 2026
    assert weekday_in_month(2026, 2, 4, None) == date(2026, 2, 27)  # the last Friday


def test_monthly_on_the_2nd_tuesday() -> None:
    start = at(LONDON, 2026, 1, 13, 19, 0)
    assert local(next_occurrence(start, LONDON, Repeat.MONTHLY), LONDON) == (2026, 2, 10, 19, 0)


def test_monthly_keeps_the_local_time_across_dst_in_new_york_and_london() -> None:
    # 2nd Tuesday of October (EDT) to the 2nd Tuesday of November (EST): 19:00 both times.
    nxt = next_occurrence(at(NEW_YORK, 2026, 10, 13, 19, 0), NEW_YORK, Repeat.MONTHLY)
    assert local(nxt, NEW_YORK) == (2026, 11, 10, 19, 0) and nxt.hour == 0
    # The 4th Sunday of March, the 22nd, is still GMT; the 4th Sunday of April is BST.
    nxt = next_occurrence(at(LONDON, 2026, 3, 22, 10, 0), LONDON, Repeat.MONTHLY)
    assert local(nxt, LONDON) == (2026, 4, 26, 10, 0) and nxt.hour == 9


def test_monthly_on_a_spring_forward_morning_moves_the_missing_time_forward_not_back() -> None:
    # The 2nd Sunday of March 2026 in New York is the change itself: 02:30 doesn't exist that day.
    nxt = next_occurrence(at(NEW_YORK, 2026, 2, 8, 2, 30), NEW_YORK, Repeat.MONTHLY)
    assert local(nxt, NEW_YORK) == (2026, 3, 8, 3, 30)


def test_monthly_last_on_a_fall_back_night_takes_the_first_of_the_two_times() -> None:
    # The last Sunday of October 2026 in London: 01:30 happens twice; the first (BST) is used.
    nxt = next_occurrence(at(LONDON, 2026, 9, 27, 1, 30), LONDON, Repeat.MONTHLY_LAST)
    assert nxt == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_5th_weekday_skips_the_months_without_one() -> None:
    start = at(LONDON, 2026, 1, 29, 18, 0)  # the 5th Thursday of January 2026
    # February and March 2026 have four Thursdays; April has a 5th, on the 30th.
    assert local(next_occurrence(start, LONDON, Repeat.MONTHLY), LONDON) == (2026, 4, 30, 18, 0)
    # "The last Thursday" never skips.
    assert local(next_occurrence(start, LONDON, Repeat.MONTHLY_LAST), LONDON) == (2026, 2, 26, 18, 0)


@pytest.mark.parametrize(
    ("start", "repeat", "expected"),
    [
        # The 5th Tuesday of November 2027 next falls on 29 February 2028: leap years have one.
        ((2027, 11, 30, 18, 0), Repeat.MONTHLY, (2028, 2, 29, 18, 0)),
        # The last Tuesday of January 2028 to the last of February, the 29th.
        ((2028, 1, 25, 18, 0), Repeat.MONTHLY_LAST, (2028, 2, 29, 18, 0)),
        ((2028, 2, 29, 18, 0), Repeat.MONTHLY_LAST, (2028, 3, 28, 18, 0)),
        # Non-leap February: the last Monday is the 22nd, and no month's 5th Monday is in it.
        ((2027, 1, 25, 18, 0), Repeat.MONTHLY_LAST, (2027, 2, 22, 18, 0)),
        ((2027, 11, 29, 18, 0), Repeat.MONTHLY, (2028, 1, 31, 18, 0)),
    ],
)
def test_month_ends_and_leap_years(start: tuple[int, ...], repeat: Repeat, expected: tuple[int, ...]) -> None:
    assert local(next_occurrence(at(LONDON, *start), LONDON, repeat), LONDON) == expected


def test_monthly_skips_months_missed_while_the_bot_was_away() -> None:
    start = at(LONDON, 2026, 1, 13, 19, 0)
    nxt = next_occurrence(start, LONDON, Repeat.MONTHLY, after=at(LONDON, 2026, 4, 1, 0, 0))
    assert local(nxt, LONDON) == (2026, 4, 14, 19, 0)


def test_the_year_rolls_over() -> None:
    assert local(next_occurrence(at(LONDON, 2026, 12, 8, 19, 0), LONDON, Repeat.MONTHLY), LONDON) == (
        2027,
        1,
        12,
        19,
        0,
    )


def test_a_one_off_has_no_next_occurrence() -> None:
    with pytest.raises(ValueError):
        next_occurrence(at(LONDON, 2026, 1, 13, 19, 0), LONDON, Repeat.NONE)


# -- checks and words ----------------------------------------------------------------------------
def test_the_last_weekday_is_only_offered_for_dates_in_the_last_7_days() -> None:
    assert is_last_weekday(date(2026, 1, 25)) and not is_last_weekday(date(2026, 1, 24))
    assert is_last_weekday(date(2028, 2, 23)) and not is_last_weekday(date(2027, 2, 21))
    check_repeat(at(LONDON, 2026, 1, 30, 19, 0), LONDON, Repeat.MONTHLY_LAST)
    with pytest.raises(KindredError) as refused:
        check_repeat(at(LONDON, 2026, 1, 13, 19, 0), LONDON, Repeat.MONTHLY_LAST)
    assert "13 January is the 2nd Tuesday" in refused.value.message
    for repeat in (Repeat.NONE, Repeat.WEEKLY, Repeat.BIWEEKLY, Repeat.MONTHLY):
        check_repeat(at(LONDON, 2026, 1, 13, 19, 0), LONDON, repeat)


def test_the_check_uses_the_local_date_not_the_utc_one() -> None:
    # 31 January 23:30 in New York is already 1 February in UTC; locally it's the last Saturday.
    check_repeat(at(NEW_YORK, 2026, 1, 31, 23, 30), NEW_YORK, Repeat.MONTHLY_LAST)


def test_describe_repeat_in_words() -> None:
    tuesday = at(LONDON, 2026, 1, 13, 19, 0)
    assert describe_repeat(tuesday, LONDON, Repeat.NONE) == ""
    assert describe_repeat(tuesday, LONDON, Repeat.WEEKLY) == "every week"
    assert describe_repeat(tuesday, LONDON, Repeat.BIWEEKLY) == "every two weeks"
    assert describe_repeat(tuesday, LONDON, Repeat.MONTHLY) == "monthly on the 2nd Tuesday"
    assert describe_repeat(at(LONDON, 2026, 1, 30, 19, 0), LONDON, Repeat.MONTHLY_LAST) == (
        "monthly on the last Friday"
    )
    fifth = describe_repeat(at(LONDON, 2026, 1, 29, 18, 0), LONDON, Repeat.MONTHLY)
    assert fifth.startswith("monthly on the 5th Thursday") and "skipped" in fifth


def test_every_choice_has_help_text_within_discords_limit_and_old_rows_still_read() -> None:
    assert [value for value, _ in REPEAT_CHOICES] == list(Repeat)
    assert all(len(label) <= 100 for _, label in REPEAT_CHOICES)
    assert Repeat("weekly") is Repeat.WEEKLY and Recurrence("none") is Repeat.NONE
