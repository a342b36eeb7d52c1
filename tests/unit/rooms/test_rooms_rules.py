"""Unit tests for the room rules in ``bot.rooms``: no Discord, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import KindredError
from bot.rooms import (
    EMPTY_GRACE,
    MAX_OVERRUN,
    Completion,
    attendance_line,
    channel_open_at,
    completion_decision,
    count_attendees,
    next_weekly,
    reminder_still_timely,
    validate_duration,
    validate_text,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("minutes", [15, 60, 240])
def test_duration_within_range_is_accepted(minutes: int) -> None:
    assert validate_duration(minutes) == minutes


@pytest.mark.parametrize("minutes", [0, 14, 241, 1000, -5])
def test_duration_out_of_range_names_the_limits(minutes: int) -> None:
    with pytest.raises(KindredError, match="15 to 240 minutes"):
        validate_duration(minutes)


def test_title_is_trimmed_and_description_blank_becomes_none() -> None:
    assert validate_text("  Morning   sit ", "   ") == ("Morning sit", None)


def test_overlong_title_is_refused() -> None:
    with pytest.raises(KindredError, match="the limit is 100"):
        validate_text("x" * 101, None)


def test_weekly_repeat_keeps_wall_clock_time_across_dst_end() -> None:
    zone = ZoneInfo("America/New_York")
    # Sat 31 Oct 2026 19:00 EDT (UTC-4); DST ends Sun 1 Nov, so the next is 19:00 EST (UTC-5).
    start = datetime(2026, 10, 31, 19, 0, tzinfo=zone).astimezone(UTC)
    nxt = next_weekly(start, zone)
    assert nxt.astimezone(zone).hour == 19
    assert nxt - start == timedelta(days=7, hours=1)


def test_weekly_repeat_keeps_wall_clock_time_across_dst_start() -> None:
    zone = ZoneInfo("Europe/London")
    start = datetime(2026, 3, 24, 19, 0, tzinfo=zone).astimezone(UTC)  # GMT; BST starts 29 March
    nxt = next_weekly(start, zone)
    assert nxt.astimezone(zone).replace(tzinfo=None) == datetime(2026, 3, 31, 19, 0)
    assert nxt - start == timedelta(days=7, hours=-1)


def test_weekly_repeat_in_a_nonexistent_local_time_moves_forward_not_back() -> None:
    zone = ZoneInfo("America/New_York")
    start = datetime(2027, 3, 7, 2, 30, tzinfo=zone).astimezone(UTC)  # 14 March 02:30 doesn't exist
    nxt = next_weekly(start, zone)
    assert nxt > start + timedelta(days=6, hours=23)


def test_weekly_repeat_skips_occurrences_already_past() -> None:
    zone = ZoneInfo("UTC")
    start = NOW - timedelta(days=20)
    nxt = next_weekly(start, zone, after=NOW)
    assert nxt == start + timedelta(days=21)


def test_temporary_channel_opens_fifteen_minutes_before_or_now() -> None:
    assert channel_open_at(NOW + timedelta(hours=2), NOW) == NOW + timedelta(hours=1, minutes=45)
    assert channel_open_at(NOW + timedelta(minutes=5), NOW) == NOW


def test_not_complete_before_the_end() -> None:
    end = NOW + timedelta(minutes=30)
    decision = completion_decision(now=NOW, end=end, occupants=0, empty_since=None)
    assert decision.outcome is Completion.WAIT and decision.check_again_at == end


def test_complete_at_end_when_empty() -> None:
    decision = completion_decision(now=NOW, end=NOW, occupants=0, empty_since=NOW - timedelta(minutes=3))
    assert decision.outcome is Completion.COMPLETE


def test_people_still_talking_after_the_end_keep_it_going() -> None:
    decision = completion_decision(now=NOW, end=NOW, occupants=3, empty_since=None)
    assert decision.outcome is Completion.WAIT
    assert decision.check_again_at is not None and decision.check_again_at > NOW


def test_complete_once_empty_for_ten_minutes_after_the_end() -> None:
    end = NOW - timedelta(minutes=30)
    emptied = NOW - timedelta(minutes=4)
    waiting = completion_decision(now=NOW, end=end, occupants=0, empty_since=emptied)
    assert waiting.outcome is Completion.WAIT and waiting.check_again_at == emptied + EMPTY_GRACE
    later = completion_decision(now=emptied + EMPTY_GRACE, end=end, occupants=0, empty_since=emptied)
    assert later.outcome is Completion.COMPLETE


def test_complete_after_the_longest_overrun_even_if_occupied() -> None:
    decision = completion_decision(now=NOW + MAX_OVERRUN, end=NOW, occupants=2, empty_since=None)
    assert decision.outcome is Completion.COMPLETE


def test_attendance_counts_distinct_people_without_the_host() -> None:
    assert count_attendees([1, 2, 2, 3, 9], exclude=[9]) == 3


def test_attendance_line_is_a_private_count_not_a_ranking() -> None:
    assert "6 people came" in attendance_line("Art night", 6)
    assert "1 person came" in attendance_line("Art night", 1)
    assert "Nobody else" in attendance_line("Art night", 0)


def test_a_reminder_on_time_is_sent() -> None:
    start = NOW + timedelta(days=2)
    assert reminder_still_timely("24h", start, start - timedelta(hours=24))
    assert reminder_still_timely("15m", start, start - timedelta(minutes=15))


def test_a_late_day_ahead_reminder_still_goes_while_the_short_one_isnt_due() -> None:
    start = NOW + timedelta(days=2)
    assert reminder_still_timely("24h", start, start - timedelta(hours=3))


def test_after_an_outage_the_day_ahead_reminder_gives_way_to_the_short_one() -> None:
    start = NOW + timedelta(days=2)
    assert not reminder_still_timely("24h", start, start - timedelta(minutes=10))
    assert reminder_still_timely("15m", start, start - timedelta(minutes=10))


def test_no_reminder_once_the_room_has_started() -> None:
    start = NOW + timedelta(days=2)
    assert not reminder_still_timely("15m", start, start)
    assert not reminder_still_timely("24h", start, start + timedelta(minutes=5))
