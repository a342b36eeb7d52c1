"""Unit tests for buddy pairing rules: schedule (DST-safe), eligibility, matcher input, quiet rounds, wording."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.buddies import text
from bot.buddies.lifecycle import rounds_since_paired, settle_quiet_rounds
from bot.buddies.profiles import BuddyProfile, build_candidates, eligibility, parse_interest_list
from bot.buddies.schedule import Cadence, connect_at, next_round_at, nudge_at
from bot.guild_config import default_config

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SUNDAY_NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def weekly(zone: ZoneInfo = LONDON, weekday: int = 0, hour: int = 18, weeks: int = 1) -> Cadence:
    return Cadence(every_weeks=weeks, weekday=weekday, hour=hour, zone=zone)


def profile(user_id: int = 1, **kw: object) -> BuddyProfile:
    base: dict[str, object] = dict(
        guild_id=9,
        user_id=user_id,
        status="active",
        pathway="any",
        experience="steady",
        wants="either",
        notify_hard_moments=False,
        paused_until=None,
        auto_paused=False,
        ignored_rounds=0,
        priority=False,
        skip_round_at=None,
        last_paired_at=None,
    )
    base.update(kw)
    return BuddyProfile(**base)  # type: ignore[arg-type]


# -- schedule -------------------------------------------------------------------------------------
def test_weekly_round_is_next_monday_at_local_hour() -> None:
    due = next_round_at(weekly(), after=SUNDAY_NOON)
    assert due == datetime(2026, 11, 23, 18, 0, tzinfo=UTC)  # London is UTC+0 in November


def test_round_later_today_is_chosen_when_hour_not_passed() -> None:
    monday_morning = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert next_round_at(weekly(), after=monday_morning) == datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def test_round_keeps_local_hour_across_spring_forward() -> None:
    # London moves to BST on 29 March 2026: Monday 30 March 18:00 BST is 17:00 UTC.
    last = datetime(2026, 3, 23, 18, 0, tzinfo=UTC)  # Monday 23 March, GMT
    due = next_round_at(weekly(), after=last, last_round=last)
    assert due == datetime(2026, 3, 30, 17, 0, tzinfo=UTC)
    assert due.astimezone(LONDON).hour == 18


def test_round_keeps_local_hour_across_fall_back() -> None:
    # New York leaves DST on 1 November 2026.
    last = datetime(2026, 10, 26, 22, 0, tzinfo=UTC)  # Monday 18:00 EDT
    due = next_round_at(weekly(NEW_YORK), after=last, last_round=last)
    assert due.astimezone(NEW_YORK).hour == 18
    assert due - last == timedelta(days=7, hours=1)


def test_round_in_spring_forward_gap_still_runs_once() -> None:
    cadence = weekly(NEW_YORK, weekday=6, hour=2)  # Sunday 02:00 doesn't exist on 8 March 2026
    due = next_round_at(cadence, after=datetime(2026, 3, 7, 12, 0, tzinfo=UTC))
    assert due.astimezone(NEW_YORK).date().isoformat() == "2026-03-08"
    assert next_round_at(cadence, after=due, last_round=due).astimezone(NEW_YORK).date().isoformat() == "2026-03-15"


def test_biweekly_skips_a_week_after_last_round() -> None:
    last = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
    due = next_round_at(weekly(weeks=2), after=last + timedelta(hours=1), last_round=last)
    assert due == last + timedelta(days=14)


def test_first_biweekly_round_is_the_first_matching_day() -> None:
    assert next_round_at(weekly(weeks=2), after=SUNDAY_NOON) == datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def test_late_timer_schedules_next_round_in_the_future() -> None:
    last = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
    now = last + timedelta(days=9)  # the bot was down for a while
    due = next_round_at(weekly(), after=now, last_round=last)
    assert due > now and due.weekday() == 0


def test_cadence_from_config_reads_settings_and_survives_a_bad_zone() -> None:
    config = default_config(1).with_values(
        {"pairing_cadence": "biweekly", "pairing_weekday": 4, "pairing_hour": 9, "timezone": "Nowhere/Land"}
    )
    cadence = Cadence.from_config(config)
    assert (cadence.every_weeks, cadence.weekday, cadence.hour, cadence.zone.key) == (2, 4, 9, "UTC")


def test_nudge_is_a_day_before_or_now_or_not_at_all() -> None:
    round_at = SUNDAY_NOON + timedelta(days=3)
    assert nudge_at(round_at, now=SUNDAY_NOON) == round_at - timedelta(days=1)
    assert nudge_at(round_at, now=round_at - timedelta(hours=5)) == round_at - timedelta(hours=5)
    assert nudge_at(round_at, now=round_at - timedelta(minutes=30)) is None


def test_connect_question_is_halfway() -> None:
    start = SUNDAY_NOON
    assert connect_at(start, start + timedelta(days=7)) == start + timedelta(days=3, hours=12)


# -- eligibility and candidates ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"status": "left"}, "left"),
        ({"paused_until": SUNDAY_NOON + timedelta(days=1)}, "paused"),
        ({"auto_paused": True}, "paused"),
        ({"skip_round_at": SUNDAY_NOON}, "skipping"),
        ({"reachable": False}, "unreachable"),
    ],
)
def test_paused_skipping_left_and_unreachable_members_are_not_paired(kw: dict[str, object], reason: str) -> None:
    result = eligibility(profile(**kw), round_at=SUNDAY_NOON)
    assert not result.ok and result.reason == reason


def test_pause_that_ended_and_old_skip_do_not_exclude() -> None:
    p = profile(paused_until=SUNDAY_NOON - timedelta(days=1), skip_round_at=SUNDAY_NOON - timedelta(days=7))
    assert eligibility(p, round_at=SUNDAY_NOON).ok


def test_member_who_left_the_server_is_not_paired() -> None:
    assert eligibility(profile(), round_at=SUNDAY_NOON, in_server=False).reason == "gone"


def test_candidates_carry_offset_at_round_time_and_priority() -> None:
    summer = datetime(2026, 7, 1, tzinfo=UTC)
    [c] = build_candidates(
        [profile(5, timezone="Europe/London", priority=True, interests=frozenset({"music"}), pathway="smart")],
        round_at=summer,
        rounds_since={5: 2},
    )
    assert (c.utc_offset_minutes, c.priority, c.pathway, c.rounds_since_paired) == (60, True, "smart", 2)
    assert c.interests == frozenset({"music"})


def test_unknown_stored_values_fall_back_instead_of_failing_the_round() -> None:
    [c] = build_candidates(
        [profile(pathway="??", experience="x", wants="y", timezone="Bad/Zone")], round_at=SUNDAY_NOON
    )
    assert (c.pathway, c.experience, c.wants, c.utc_offset_minutes) == ("any", "steady", "either", None)


def test_interest_list_matches_catalogue_case_insensitively_and_reports_unknowns() -> None:
    known, unknown = parse_interest_list(" Meditation, music ,, juggling, MUSIC", ["meditation", "music", "art"])
    assert known == ["meditation", "music"]
    assert unknown == ["juggling"]


# -- quiet rounds --------------------------------------------------------------------------------
def test_any_answer_resets_quiet_count() -> None:
    outcome = settle_quiet_rounds({1: "no", 2: "yes", 3: "not_yet"}, {1: 2, 2: 2, 3: 2})
    assert outcome.counts == {1: 0, 2: 0, 3: 0} and not outcome.to_pause


def test_third_quiet_round_in_a_row_pauses() -> None:
    outcome = settle_quiet_rounds({1: None, 2: None}, {1: 2, 2: 0})
    assert outcome.to_pause == frozenset({1})
    assert outcome.counts == {1: 0, 2: 1}


def test_rounds_since_paired_counts_from_latest_round() -> None:
    assert rounds_since_paired([30, 20, 10], {30: {1}, 20: {1, 2}, 10: {3}}) == {1: 0, 2: 1, 3: 2}


# -- wording -------------------------------------------------------------------------------------
def test_starter_questions_are_deterministic_and_distinct() -> None:
    assert text.starter_questions(7) == text.starter_questions(7)
    assert len(set(text.starter_questions(7))) == 3


def test_intro_names_the_pair_the_reason_and_starters() -> None:
    intro = text.intro_message((1, 2), "you both like music", ["Q1?", "Q2?"], SUNDAY_NOON)
    assert "<@1> and <@2>" in intro and "you both like music" in intro and "• Q1?" in intro
    assert "/buddy end" in intro


@pytest.mark.parametrize(
    "message",
    [
        text.unmatched_dm(SUNDAY_NOON),
        text.auto_pause_dm(),
        text.end_partner_dm(SUNDAY_NOON),
        text.end_thanks(),
        text.hard_moment_dm("Alice"),
    ],
)
def test_wording_avoids_labels_and_blame(message: str) -> None:
    lowered = message.casefold()
    for word in ("addict", "clean", "dirty", "fail", "your fault"):
        assert word not in lowered
