"""Pure rules for service opportunities: validation, durations, weekly repeats, reminders, text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import KindredError
from bot.service import (
    Kind,
    Opportunity,
    Recurrence,
    Status,
    board_card,
    describe_changes,
    fit_lines,
    format_duration,
    join_text,
    next_weekly,
    parse_duration,
    promotions,
    public_thanks,
    reminder_still_useful,
    reminder_text,
    slots_line,
    validate_description,
    validate_slots,
    validate_title,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def _opp(**overrides: object) -> Opportunity:
    values: dict[str, object] = {
        "id": 7,
        "guild_id": 1,
        "poster_user_id": 2,
        "title": "Greeter",
        "description": "Say hello at the door.",
        "kind": Kind.GREETER,
        "starts_at": NOW + timedelta(days=2),
        "duration": timedelta(minutes=90),
        "slots": 3,
        "recurrence": Recurrence.NONE,
        "zone": "UTC",
        "status": Status.OPEN,
    }
    values.update(overrides)
    return Opportunity(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90m", 90),
        ("90", 90),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1 h 30 min", 90),
        ("2 hours", 120),
        ("2 hours 15 minutes", 135),
        ("1.5h", 90),
        ("45 minutes", 45),
        ("1:30", 90),
        ("12h", 720),
    ],
)
def test_durations_in_common_forms_are_read(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["soon", "", "1h 2h", "30m 1h", "h"])
def test_unreadable_duration_gets_examples(text: str) -> None:
    with pytest.raises(KindredError, match="90m"):
        parse_duration(text)


def test_duration_limits_are_specific() -> None:
    with pytest.raises(KindredError, match="at least 5 minutes"):
        parse_duration("2m")
    with pytest.raises(KindredError, match="12 hours"):
        parse_duration("13h")


def test_format_duration_reads_plainly() -> None:
    assert format_duration(timedelta(minutes=90)) == "1 hour 30 minutes"
    assert format_duration(timedelta(hours=2)) == "2 hours"
    assert format_duration(timedelta(minutes=45)) == "45 minutes"


def test_title_limit_is_100_characters() -> None:
    assert validate_title("  Greeter   for Friday ") == "Greeter for Friday"
    assert validate_title("x" * 100) == "x" * 100
    with pytest.raises(KindredError, match="101 characters; the limit is 100"):
        validate_title("x" * 101)
    with pytest.raises(KindredError):
        validate_title("   ")


def test_description_limit_is_1000_characters() -> None:
    assert validate_description("line one\nline two") == "line one\nline two"
    with pytest.raises(KindredError, match="1,001 characters; the limit is 1,000"):
        validate_description("y" * 1001)


@pytest.mark.parametrize("slots", [0, 51, -3])
def test_slots_outside_1_to_50_are_refused(slots: int) -> None:
    with pytest.raises(KindredError, match="between 1 and 50"):
        validate_slots(slots)


def test_slots_at_the_edges_are_fine() -> None:
    assert validate_slots(1) == 1
    assert validate_slots(50) == 50


def test_weekly_repeat_is_one_week_later_in_plain_weeks() -> None:
    start = datetime(2026, 11, 25, 19, 0, tzinfo=LONDON).astimezone(UTC)
    assert next_weekly(start, LONDON, NOW) == start + timedelta(days=7)


def test_weekly_repeat_keeps_local_time_across_spring_forward() -> None:
    # 7pm New York on Sunday 1 March 2026 is 00:00 UTC; DST starts 8 March, so the next 7pm is 23:00 UTC.
    start = datetime(2026, 3, 1, 19, 0, tzinfo=NY).astimezone(UTC)
    nxt = next_weekly(start, NY, start)
    assert nxt.astimezone(NY).hour == 19
    assert nxt - start == timedelta(days=7) - timedelta(hours=1)


def test_weekly_repeat_keeps_local_time_across_fall_back() -> None:
    start = datetime(2026, 10, 21, 18, 30, tzinfo=LONDON).astimezone(UTC)  # BST; clocks go back on 25 October
    nxt = next_weekly(start, LONDON, start)
    assert (nxt.astimezone(LONDON).hour, nxt.astimezone(LONDON).minute) == (18, 30)
    assert nxt - start == timedelta(days=7, hours=1)


def test_weekly_repeat_in_a_nonexistent_hour_moves_forward_not_back() -> None:
    # 02:30 on 8 March 2026 doesn't exist in New York; it becomes 03:30 EDT.
    start = datetime(2026, 3, 1, 2, 30, tzinfo=NY).astimezone(UTC)
    nxt = next_weekly(start, NY, start).astimezone(NY)
    assert (nxt.day, nxt.hour, nxt.minute) == (8, 3, 30)


def test_weekly_repeat_skips_weeks_that_already_went_by() -> None:
    start = NOW - timedelta(days=20)
    nxt = next_weekly(start, ZoneInfo("UTC"), NOW)
    assert nxt == start + timedelta(days=21)
    assert nxt > NOW


def test_waitlist_promotion_is_first_come_first_served_up_to_free_slots() -> None:
    assert promotions(3, 2, [10, 11, 12]) == [10]
    assert promotions(5, 2, [10, 11]) == [10, 11]
    assert promotions(2, 2, [10]) == []
    assert promotions(2, 3, [10]) == []


def test_card_shows_slots_filled_and_open_without_naming_anyone() -> None:
    opp = _opp(volunteers=(100, 101), waitlist=())
    card = board_card(opp)
    assert dict(card.fields)["Volunteers"] == "2 of 3 slots filled · 1 open"
    assert "<@100>" not in str(card)
    assert card.open
    assert "#7" in card.footer


def test_full_card_mentions_the_waitlist() -> None:
    opp = _opp(slots=1, volunteers=(100,), waitlist=(101, 102))
    assert slots_line(opp) == "1 of 1 slot filled · 0 open · 2 on the waitlist"


def test_closed_card_disables_buttons_and_says_why() -> None:
    card = board_card(_opp(status=Status.CANCELLED))
    assert not card.open
    assert "cancelled" in card.description


def test_changes_are_listed_one_per_line() -> None:
    old = _opp()
    new = _opp(starts_at=old.starts_at + timedelta(hours=1), slots=4)
    changes = describe_changes(old, new)
    assert len(changes) == 2
    assert changes[0].startswith("Time:")
    assert changes[1] == "Slots: 4 (was 3)"
    assert describe_changes(old, old) == []


def test_public_thanks_names_people_without_numbers() -> None:
    text = public_thanks(_opp(), [100, 101, 102])
    assert "<@100>, <@101> and <@102>" in text
    assert not any(ch.isdigit() for ch in text.replace("<@100>", "").replace("<@101>", "").replace("<@102>", ""))


def test_a_late_reminder_is_dropped_once_it_has_started_or_the_shorter_one_is_due() -> None:
    start = NOW + timedelta(hours=30)
    assert reminder_still_useful("24h", start, start - timedelta(hours=24))
    assert reminder_still_useful("24h", start, start - timedelta(hours=5))  # late, but still ahead of the 1h one
    assert not reminder_still_useful("24h", start, start - timedelta(minutes=50))  # the 1h one says it now
    assert reminder_still_useful("1h", start, start - timedelta(minutes=50))
    assert not reminder_still_useful("1h", start, start)
    assert not reminder_still_useful("1h", start, start + timedelta(minutes=5))
    assert not reminder_still_useful("3d", start, NOW)


def test_a_late_day_before_reminder_does_not_say_tomorrow() -> None:
    opp = _opp()
    assert "starts tomorrow" in reminder_text(opp, "24h", opp.starts_at - timedelta(hours=24))
    assert "starts tomorrow" in reminder_text(opp, "24h")
    late = reminder_text(opp, "24h", opp.starts_at - timedelta(hours=4))
    assert "tomorrow" not in late and "starts soon" in late
    assert "in about an hour" in reminder_text(opp, "1h", opp.starts_at - timedelta(minutes=58))


def test_join_text_promises_only_the_reminders_that_were_set() -> None:
    opp = _opp()
    assert "24 hours and 1 hour before" in join_text(opp, ["24h", "1h"])
    only_hour = join_text(opp, ["1h"])
    assert "1 hour before" in only_hour and "24 hours" not in only_hour
    assert "reminder" not in join_text(opp, [])


def test_fit_lines_keeps_whole_lines_and_counts_the_rest() -> None:
    lines = [f"line {i:02d} " + "x" * 90 for i in range(20)]
    text = fit_lines(lines, 1024)
    assert len(text) <= 1024
    shown = text.split("\n")
    assert all(line in lines for line in shown[:-1])
    assert shown[-1] == f"…and {20 - (len(shown) - 1)} more."
    assert fit_lines(lines[:3]) == "\n".join(lines[:3])
    assert fit_lines([]) == ""
