"""The reminder rule rooms and service share: a day-before and a short reminder, each sent only while still ahead.

A reminder whose time has already passed is dropped, not sent late.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.rooms import reminders_due
from bot.service import reminder_times

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Reminders:
    """One feature's reminders: the function, its short lead's name and length, and a start inside that lead."""

    due: Callable[[datetime, datetime], Sequence[Any]]
    short: str
    short_lead: timedelta
    inside: timedelta


FEATURES = [
    pytest.param(Reminders(reminders_due, "15m", timedelta(minutes=15), timedelta(minutes=10)), id="rooms"),
    pytest.param(Reminders(reminder_times, "1h", timedelta(hours=1), timedelta(minutes=30)), id="service"),
]


@pytest.mark.parametrize("feature", FEATURES)
def test_both_reminders_when_it_starts_days_ahead(feature: Reminders) -> None:
    start = NOW + timedelta(days=3)
    assert [(r.lead, r.due_at) for r in feature.due(start, NOW)] == [
        ("24h", start - timedelta(hours=24)),
        (feature.short, start - feature.short_lead),
    ]


@pytest.mark.parametrize("feature", FEATURES)
def test_only_the_short_reminder_when_the_day_before_has_passed(feature: Reminders) -> None:
    assert [r.lead for r in feature.due(NOW + timedelta(hours=3), NOW)] == [feature.short]


@pytest.mark.parametrize("feature", FEATURES)
def test_no_reminders_when_it_starts_within_the_short_lead(feature: Reminders) -> None:
    assert feature.due(NOW + feature.inside, NOW) == []
