"""The recovery counter as plain rules: stretches, totals across slips, milestones, date input."""

from __future__ import annotations

from datetime import date

import pytest

from bot import checkins
from bot.errors import KindredError

START = date(2026, 1, 1)


def test_slip_keeps_journey_start_date_and_total_days() -> None:
    record = checkins.RecoveryRecord(START, START)
    after = checkins.slip(record, date(2026, 3, 2))  # 60 days in
    assert after.journey_start == START and after.stretch_start == date(2026, 3, 2)
    assert after.stretch_days(date(2026, 3, 12)) == 10
    assert after.total_days(date(2026, 3, 12)) == 70
    again = checkins.slip(after, date(2026, 3, 12))
    assert again.total_days(date(2026, 3, 12)) == 70 and again.journey_start == START


def test_milestones_run_24h_7_30_60_90_180_then_years() -> None:
    labels = [m.label for m in checkins.milestones_after(START, START, 9)]
    assert labels == ["24 hours", "7 days", "30 days", "60 days", "90 days", "180 days", "1 year", "2 years", "3 years"]
    assert checkins.next_milestone(START, date(2026, 12, 31)).on == date(2027, 1, 1)
    assert (
        checkins.milestone_on(START, date(2026, 1, 8)) is not None
        and checkins.milestone_on(START, date(2026, 1, 9)) is None
    )


def test_leap_day_anniversary_falls_on_the_28th() -> None:
    assert checkins.next_milestone(date(2024, 2, 29), date(2024, 12, 1)).on == date(2025, 2, 28)


def test_future_date_is_refused_with_todays_date() -> None:
    with pytest.raises(KindredError, match="is in the future"):
        checkins.parse_recovery_date("2026-12-01", date(2026, 11, 22))
    assert checkins.parse_recovery_date("today · 2026-11-22", date(2026, 11, 22)) == date(2026, 11, 22)
    assert checkins.parse_recovery_date("yesterday", date(2026, 11, 22)) == date(2026, 11, 21)


def test_set_after_slips_keeps_the_journey_and_earlier_days() -> None:
    record = checkins.slip(checkins.RecoveryRecord(START, START), date(2026, 3, 2))
    moved = checkins.set_date(record, date(2026, 3, 5))
    assert moved.journey_start == START and moved.prior_days == 60
    assert checkins.set_date(None, START) == checkins.RecoveryRecord(START, START, 0)


def test_date_suggestions_offer_today_and_filter_by_typing() -> None:
    today = date(2026, 11, 22)
    assert checkins.date_suggestions("", today)[0] == ("today · 2026-11-22", "2026-11-22")
    assert checkins.date_suggestions("2026-01-05", today)[0] == ("2026-01-05", "2026-01-05")
    assert all(v.startswith("2026-11") for _, v in checkins.date_suggestions("2026-11", today))
