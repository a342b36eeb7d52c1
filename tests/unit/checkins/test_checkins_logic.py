"""Pure check-in rules: validation, reflections, hard moments, streaks, observations, the weekly note, the chart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.checkins import (
    CheckinDraft,
    CheckinEntry,
    is_hard_moment,
    parse_share,
    parse_triggers,
    reflect,
    share_summary,
    streak,
    summarise,
    validate_checkin,
    weekly_summary,
)
from bot.checkins.chart import PNG_SIGNATURE, render_history_png
from bot.errors import KindredError

D0 = date(2026, 11, 1)


def entry(day: int, mood: int, craving: int, *triggers: str) -> CheckinEntry:
    when = datetime(2026, 11, 1, 12, tzinfo=UTC) + timedelta(days=day)
    return CheckinEntry(day, 1, 2, when, D0 + timedelta(days=day), mood, craving, None, triggers)


@pytest.mark.parametrize(("mood", "craving", "hard"), [(1, 0, True), (2, 8, True), (5, 10, True), (2, 7, False)])
def test_hard_moment_is_mood_one_or_craving_eight_plus(mood: int, craving: int, hard: bool) -> None:
    assert is_hard_moment(mood, craving) is hard


def test_note_over_a_thousand_characters_is_refused_with_its_length() -> None:
    with pytest.raises(KindredError, match="1,200 characters; the limit is 1,000"):
        validate_checkin(3, 3, "x" * 1200)
    assert validate_checkin(3, 3, "x" * 1000).note == "x" * 1000
    assert validate_checkin(3, 3, "   ").note is None


def test_triggers_parse_several_prefixes_and_refuse_unknown() -> None:
    assert parse_triggers("stress, lonel; bored, stress") == ("stress", "loneliness", "boredom")
    assert parse_triggers(None) == ()
    with pytest.raises(KindredError, match="'rain'"):
        parse_triggers("stress, rain")


def test_share_field_reads_plain_words() -> None:
    assert parse_share("") == ("no", False)
    assert parse_share("Anonymously with note") == ("anonymously", True)
    assert parse_share("with my name") == ("with my name", False)
    with pytest.raises(KindredError):
        parse_share("maybe")


def test_reflection_never_moralises_and_mentions_the_streak() -> None:
    text = reflect(CheckinDraft(2, 6, "hi", ("loneliness",)), streak=4)
    assert "4 days in a row" in text and "Loneliness" in text and "note is saved" in text
    for word in ("should", "must", "clean", "dirty", "addict"):
        assert word not in text.lower()


def test_share_summary_is_anonymous_by_default_and_note_only_on_request() -> None:
    draft = CheckinDraft(4, 1, "my note", ("stress",))
    anon = share_summary(draft, who=None, include_note=False)
    assert anon.startswith("**Someone**") and "my note" not in anon
    named = share_summary(draft, who="Alice", include_note=True)
    assert named.startswith("**Alice**") and "> my note" in named


def test_streak_ends_today_or_yesterday() -> None:
    days = {D0, D0 + timedelta(1), D0 + timedelta(2)}
    assert streak(days, D0 + timedelta(2)) == 3
    assert streak(days, D0 + timedelta(3)) == 3  # today still open
    assert streak(days, D0 + timedelta(4)) == 0


def test_observation_links_cravings_to_a_trigger() -> None:
    entries = [entry(i, 3, 8 if i % 2 == 0 else 2, *(("loneliness",) if i % 2 == 0 else ())) for i in range(6)]
    summary = summarise(entries, D0 + timedelta(5))
    assert summary.observation.startswith("Cravings were higher on days you noted loneliness.")
    assert summary.top_triggers == [("loneliness", 3)]
    assert summary.streak == 6


def test_observation_notices_a_lifting_mood_without_triggers() -> None:
    entries = [entry(i, m, 2) for i, m in enumerate([2, 2, 3, 4, 5, 5])]
    assert "lifting" in summarise(entries, D0 + timedelta(5)).observation


def test_few_days_get_an_encouraging_note() -> None:
    assert "few more" in summarise([entry(0, 3, 2)], D0).observation


def test_weekly_summary_counts_days_and_names_triggers() -> None:
    text = weekly_summary([entry(0, 2, 5, "stress"), entry(0, 3, 4, "stress"), entry(2, 4, 1)]).render()
    assert "Check-ins: 3 on 2 days" in text and "stress (2)" in text and "kept showing up" in text
    assert "No check-ins this week" in weekly_summary([]).render()


def test_chart_is_a_real_png() -> None:
    entries = [entry(i, 3, i) for i in range(5)]
    png = render_history_png(summarise(entries, D0).days, D0, D0 + timedelta(13))
    assert png.startswith(PNG_SIGNATURE) and len(png) > 2000
