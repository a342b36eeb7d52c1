"""Rooms and service wording in other languages: repeats read naturally (weekday names from Babel, each language's
ordinals), counts take their plural, and every button label and event location fits Discord's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import using_locale
from bot.problems import KindredError
from bot.rate_limits import Action, Verdict, refusal
from bot.repeats import Repeat, check_repeat, describe_repeat
from bot.service import format_duration
from bot.text import checked_text
from cogs.rooms._render import LOCATION_LIMIT, temp_location
from cogs.rooms._views import RoomButton
from cogs.service._views import OpportunityButton

LONDON = ZoneInfo("Europe/London")
SECOND_TUESDAY = datetime(2026, 1, 13, 19, tzinfo=UTC)
THIRD_WEDNESDAY = datetime(2026, 12, 16, 19, tzinfo=UTC)
SHIPPED = ("es-ES", "es-419", "pt-BR", "fr", "de")


@pytest.mark.parametrize(
    ("locale", "monthly", "weekly"),
    [
        (None, "monthly on the 2nd Tuesday", "every week"),
        ("es-ES", "cada mes, el segundo martes", "cada semana"),
        ("pt-BR", "todo mês, terça-feira da segunda semana do mês", "toda semana"),
        ("fr", "chaque mois, le deuxième mardi", "chaque semaine"),
        ("de", "jeden Monat am zweiten Dienstag", "jede Woche"),
    ],
)
def test_a_repeat_reads_naturally_in_each_language(locale: str | None, monthly: str, weekly: str) -> None:
    with using_locale(locale):
        assert describe_repeat(SECOND_TUESDAY, LONDON, Repeat.MONTHLY) == monthly
        assert describe_repeat(SECOND_TUESDAY, LONDON, Repeat.WEEKLY) == weekly
        assert describe_repeat(SECOND_TUESDAY, LONDON, Repeat.NONE) == ""


def test_a_last_weekday_that_isnt_one_is_refused_with_the_date_written_as_the_language_does() -> None:
    with using_locale("de"), pytest.raises(KindredError) as refused:
        check_repeat(THIRD_WEDNESDAY, LONDON, Repeat.MONTHLY_LAST)
    assert refused.value.message.startswith("Der 16. Dezember fällt auf den dritten Mittwoch des Monats")
    with using_locale("es-419"), pytest.raises(KindredError) as refused:
        check_repeat(THIRD_WEDNESDAY, LONDON, Repeat.MONTHLY_LAST)
    assert refused.value.message.startswith("El 16 de diciembre es el tercer miércoles del mes, no el último.")


def test_durations_take_each_languages_plural() -> None:
    with using_locale("fr"):
        assert format_duration(timedelta(minutes=61)) == "1 heure 1 minute"
        assert format_duration(timedelta(minutes=150)) == "2 heures 30 minutes"
    with using_locale("pt-BR"):
        assert format_duration(timedelta(hours=2)) == "2 horas"


def test_a_limit_is_written_with_the_languages_digit_grouping() -> None:
    with using_locale("de"), pytest.raises(KindredError) as refused:
        checked_text("y" * 1001, what="Diese Beschreibung", limit=1000)
    assert refused.value.message == "Diese Beschreibung hat 1.001 Zeichen; erlaubt sind 1.000."


@pytest.mark.parametrize("locale", SHIPPED)
def test_button_labels_and_the_event_location_fit_discord(locale: str) -> None:
    with using_locale(locale):
        buttons = [RoomButton(1, answer) for answer in RoomButton.FACES]
        buttons += [OpportunityButton(action, 1) for action in OpportunityButton.FACES]
        for button in buttons:
            label = button.item.label
            assert label is not None and 0 < len(label) <= 80
        assert len(temp_location(None)) <= LOCATION_LIMIT
        assert "15" in temp_location("x" * 90)  # too long with the category: the plain one is used


def test_a_posting_limit_is_explained_in_the_members_language() -> None:
    with using_locale("es-ES"):
        text = refusal(Action.ROOM_SCHEDULE, Verdict(False, "member", SECOND_TUESDAY))
    assert text.startswith("Hoy has programado bastantes salas. ¡Gracias por dar tanto!")
    assert f"<t:{int(SECOND_TUESDAY.timestamp())}:R>" in text
    with using_locale("fr"):
        later = refusal(Action.SERVICE_POST, Verdict(False, "server"))
    assert "tu pourras en publier à nouveau plus tard" in later
