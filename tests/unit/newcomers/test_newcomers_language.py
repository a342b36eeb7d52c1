"""First-30-days words in every shipped language: what fits Discord's limits, what is never translated."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import SHIPPED_LOCALES, _, using_locale
from bot.newcomers.text import PART_HINTS, PART_LABELS, end_text, intro_text, offer_text, rooms_text, status_text
from cogs.newcomers import _views

BUTTON_LABELS = [
    _views.ACCEPT_LABEL,
    _views.CHOOSE_LABEL,
    _views.DECLINE_LABEL,
    _views.KEEP_LABEL,
    _views.CHANGE_LABEL,
    _views.HOW_DM_LABEL,
    _views.HOW_THREAD_LABEL,
    _views.GREET_LABEL,
    _views.WELCOME_LABEL,
]


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_menu_options_and_buttons_fit_discord_in_every_language(locale: str) -> None:
    with using_locale(locale):
        assert all(len(_(hint)) <= 100 and _(hint) != hint for hint in PART_HINTS.values())
        assert all(len(_(label)) <= 100 and _(label) != label for label in PART_LABELS.values())
        assert all(len(_(label)) <= 80 and _(label) != label for label in BUTTON_LABELS)


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_mentions_numbers_and_timestamps_are_kept_as_they_are(locale: str) -> None:
    start = datetime(2026, 12, 9, 18, 30, tzinfo=UTC)
    with using_locale(locale):
        intro = intro_text(111, 222)
        rooms = rooms_text([("Morning *calm*", start, "https://discord.com/events/1/2")], ZoneInfo("Europe/Madrid"))
        end = end_text(3, 18, 4, frozenset({"checkins"}), reminders_on=False)
        status = status_text("on", frozenset({"checkins"}), date(2026, 12, 1), date(2026, 12, 7), "07:30")
        offer = offer_text()
    assert intro.count("<@111>") >= 2 and intro.count("<@222>") >= 2
    assert f"<t:{int(start.timestamp())}:F>" in rooms and "19:30" in rooms and "**Morning *calm***" in rooms
    assert "3" in end and "18" in end and "4" in end and "Kindred" in end
    assert "**07:30**" in status and " 7 " in status
    assert "30" in offer and "Would some" not in offer
