"""Natural time input is read in the member's zone, and bad input gets examples."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.errors import KindredError
from bot.timeparse import parse_clock_time, parse_when
from bot.timezones import resolve_timezone, suggest_timezones, utc_offset_minutes

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a Sunday
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 7pm", datetime(2026, 11, 24, 0, 0, tzinfo=UTC)),  # 19:00 in New York
        ("fri 19:00", datetime(2026, 11, 28, 0, 0, tzinfo=UTC)),
        ("2026-12-01 18:30", datetime(2026, 12, 1, 23, 30, tzinfo=UTC)),
        ("in 3 hours", datetime(2026, 11, 22, 15, 0, tzinfo=UTC)),
    ],
)
def test_natural_forms_in_the_members_zone(text: str, expected: datetime) -> None:
    assert parse_when(text, NEW_YORK, NOW) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("yesterday 5pm", "already passed"), ("whenever works", "couldn't read"), ("   ", "say when")],
)
def test_bad_times_get_examples(text: str, fragment: str) -> None:
    with pytest.raises(KindredError) as info:
        parse_when(text, NEW_YORK, NOW)
    assert fragment in info.value.message
    assert "tomorrow 7pm" in info.value.message


@pytest.mark.parametrize(("text", "expected"), [("08:30", time(8, 30)), ("19:00", time(19)), ("7pm", time(19))])
def test_clock_times(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "7:75", "13pm", "noonish"])
def test_impossible_clock_times_are_refused(text: str) -> None:
    with pytest.raises(KindredError):
        parse_clock_time(text)


def test_time_zone_lookup_is_forgiving_but_exact() -> None:
    assert resolve_timezone("europe/london").key == "Europe/London"
    assert resolve_timezone("America/New York").key == "America/New_York"
    with pytest.raises(KindredError, match="Mars/Olympus"):
        resolve_timezone("Mars/Olympus")


def test_time_zone_suggestions() -> None:
    assert "Europe/London" in suggest_timezones("lond")
    assert suggest_timezones("")[0] == "UTC"
    assert len(suggest_timezones("a")) == 25


def test_offsets_follow_daylight_saving() -> None:
    assert utc_offset_minutes(NEW_YORK, datetime(2026, 7, 1, tzinfo=UTC)) == -240
    assert utc_offset_minutes(NEW_YORK, datetime(2026, 12, 1, tzinfo=UTC)) == -300
