"""The rules of first-30-days support: who is offered it, and when each note falls due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.newcomers.rules import (
    PARTS,
    PROMPT_DAYS,
    end_due,
    is_recent,
    next_milestone,
    next_prompt,
    parse_parts,
    parts_text,
    period_start,
)
from bot.newcomers.text import OFFER, PART_HINTS, PART_LABELS, end_text, milestone_text, prompt_text

START = date(2026, 11, 22)


def test_prompts_come_daily_in_week_one_then_every_other_day_to_day_29() -> None:
    assert PROMPT_DAYS == (1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29)


def test_a_recovery_date_is_recent_for_thirty_days_and_never_in_the_future() -> None:
    assert is_recent(START, START) and is_recent(date(2026, 10, 24), START)
    assert not is_recent(date(2026, 10, 23), START) and not is_recent(date(2026, 11, 23), START)
    assert period_start(date(2026, 11, 20), START) == date(2026, 11, 20)
    assert period_start(date(2026, 9, 1), START) == START and period_start(None, START) == START


def test_prompts_follow_the_members_wall_clock_across_a_dst_change() -> None:
    zone = ZoneInfo("America/New_York")
    start = date(2026, 10, 30)  # clocks go back on 1 November
    first = next_prompt(start, time(19, 0), zone, datetime(2026, 10, 30, 12, tzinfo=UTC))
    assert first is not None and first.what == "1" and first.at == datetime(2026, 10, 30, 23, tzinfo=UTC)
    after_change = next_prompt(start, time(19, 0), zone, datetime(2026, 11, 2, 0, tzinfo=UTC))
    assert after_change is not None and after_change.what == "4"
    assert after_change.at == datetime(2026, 11, 3, 0, tzinfo=UTC)


def test_nothing_is_due_after_the_period() -> None:
    late = datetime(2026, 12, 21, 20, tzinfo=UTC)
    assert next_prompt(START, time(19, 0), ZoneInfo("UTC"), late) is None
    assert next_milestone(START, ZoneInfo("UTC"), late) is None
    assert end_due(START, time(19, 0), ZoneInfo("UTC")) == datetime(2026, 12, 22, 19, tzinfo=UTC)


def test_milestones_are_24_hours_3_days_1_week_2_weeks() -> None:
    labels, after = [], datetime(2026, 11, 22, 12, tzinfo=UTC)
    while (due := next_milestone(START, ZoneInfo("UTC"), after)) is not None:
        labels.append(due.what)
        after = due.at
    assert labels == ["24 hours", "3 days", "1 week", "2 weeks"]


def test_parts_round_trip_and_forget_unknown_names() -> None:
    assert parse_parts(parts_text(frozenset({"milestones", "checkins"}))) == {"checkins", "milestones"}
    assert parse_parts("checkins,karaoke") == {"checkins"}


def test_the_words_label_no_one_and_compare_nothing() -> None:
    texts = [OFFER, prompt_text(1), prompt_text(9), milestone_text("1 week")]
    texts.append(end_text(0, 0, 0, frozenset(), reminders_on=False))
    texts.append(end_text(12, 18, 4, frozenset({"checkins"}), reminders_on=True))
    for text in texts:
        lowered = text.lower()
        for word in ("addict", "newbie", "clean", "dirty", "streak", "others", "leaderboard", "failed"):
            assert word not in lowered, (word, text)


def test_every_part_has_a_label_and_a_hint_that_fit_a_select_menu() -> None:
    assert set(PART_HINTS) == set(PART_LABELS) == set(PARTS)
    assert all(len(hint) <= 100 and len(PART_LABELS[p]) <= 100 for p, hint in PART_HINTS.items())
