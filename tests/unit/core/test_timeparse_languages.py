"""Times and lengths of time typed in the member's own language, with English still read exactly as before."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import KindredError
from bot.i18n import SHIPPED_LOCALES, using_locale
from bot.service import duration_examples, parse_duration
from bot.timeparse import duration_minutes, examples, parse_clock_time, parse_when

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a Sunday
MADRID = ZoneInfo("Europe/Madrid")  # UTC+1 in winter


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A wall-clock time in Madrid, in UTC (as parse_when answers)."""
    return datetime(2026, month, day, hour, minute, tzinfo=MADRID).astimezone(UTC)


# Per language: a relative day and a time, a weekday and a time, an absolute date, and a time from now.
CASES = {
    "es-ES": [
        ("mañana 19:00", local(23, 19)),
        ("mañana a las 19h", local(23, 19)),
        ("viernes 19:00", local(27, 19)),
        ("vie 19:30", local(27, 19, 30)),
        ("1 de diciembre de 2026 18:30", local(1, 18, 30, month=12)),
        ("en 3 horas", NOW + timedelta(hours=3)),
    ],
    "pt-BR": [
        ("amanhã 19h", local(23, 19)),
        ("amanhã às 19:00", local(23, 19)),
        ("sexta 19h", local(27, 19)),
        ("1 de dezembro de 2026 18:30", local(1, 18, 30, month=12)),
        ("em 3 horas", NOW + timedelta(hours=3)),
    ],
    "fr": [
        ("demain 19h", local(23, 19)),
        ("demain à 19h30", local(23, 19, 30)),
        ("vendredi 19h", local(27, 19)),
        ("1 décembre 2026 18h30", local(1, 18, 30, month=12)),
        ("dans 3 heures", NOW + timedelta(hours=3)),
        ("dans 3h", NOW + timedelta(hours=3)),  # after "dans", 3h is a length of time, not three o'clock
    ],
    "de": [
        ("morgen 19 Uhr", local(23, 19)),
        ("morgen um 19.30 Uhr", local(23, 19, 30)),
        ("Freitag 19 Uhr", local(27, 19)),
        ("Fr 19:00", local(27, 19)),
        ("1. Dezember 2026 18:30", local(1, 18, 30, month=12)),
        ("in 3 Stunden", NOW + timedelta(hours=3)),
    ],
}


@pytest.mark.parametrize(
    ("locale", "text", "expected"), [(loc, text, when) for loc, cases in CASES.items() for text, when in cases]
)
def test_times_in_the_members_language(locale: str, text: str, expected: datetime) -> None:
    with using_locale(locale):
        assert parse_when(text, MADRID, NOW) == expected


# Everyday phrasings with little words and day parts around the time ("el", "às", "am", "de la tarde").
PHRASINGS = {
    "es-ES": [
        ("el viernes a las 19:00", local(27, 19)),
        ("mañana a las 7 de la tarde", local(23, 19)),
        ("mañana a las 8 de la noche", local(23, 20)),
        ("7 de la tarde", local(22, 19)),
        ("a las 19h", local(22, 19)),
        ("el 1 de diciembre a las 18:30", local(1, 18, 30, month=12)),
    ],
    "pt-BR": [
        ("sexta às 19h", local(27, 19)),
        ("na sexta às 19h", local(27, 19)),
        ("amanhã às 19:00", local(23, 19)),
        ("daqui a 3 horas", NOW + timedelta(hours=3)),
        ("7 da noite", local(22, 19)),
        ("amanhã às 7 da manhã", local(23, 7)),
    ],
    "fr": [
        ("vendredi à 19h", local(27, 19)),
        ("demain à 19h30", local(23, 19, 30)),
        ("demain à 7h du soir", local(23, 19)),
        ("demain à 3h de l'après-midi", local(23, 15)),
        ("demain à 3h de l’après-midi", local(23, 15)),  # the typographic apostrophe phones type
    ],
    "de": [
        ("am Freitag um 19 Uhr", local(27, 19)),
        ("morgen um 19:00", local(23, 19)),
        ("in 3 Stunden", NOW + timedelta(hours=3)),
        ("morgen um 7 Uhr abends", local(23, 19)),
        ("morgen um 7 Uhr früh", local(23, 7)),
    ],
}


@pytest.mark.parametrize(
    ("locale", "text", "expected"), [(loc, text, when) for loc, cases in PHRASINGS.items() for text, when in cases]
)
def test_everyday_phrasings_in_the_members_language(locale: str, text: str, expected: datetime) -> None:
    with using_locale(locale):
        assert parse_when(text, MADRID, NOW) == expected


@pytest.mark.parametrize(("locale", "text"), [("es-ES", "19 de la mañana"), ("de", "25 Uhr abends")])
def test_an_hour_its_day_part_does_not_fit_is_refused(locale: str, text: str) -> None:
    with using_locale(locale), pytest.raises(KindredError):
        parse_when(text, MADRID, NOW)


@pytest.mark.parametrize(
    ("locale", "text", "expected"),
    [
        ("es-ES", "mar 19:00", local(24, 19)),
        ("es-ES", "mar a las 19h", local(24, 19)),
        ("fr", "mar 19h30", local(24, 19, 30)),
        ("fr", "mar. à 19h", local(24, 19)),
    ],
)
def test_mar_before_a_time_is_tuesday_in_spanish_and_french(locale: str, text: str, expected: datetime) -> None:
    with using_locale(locale):
        assert parse_when(text, MADRID, NOW) == expected


def test_mar_stays_march_in_english_and_before_a_day_number() -> None:
    march = parse_when("mar 19:00", MADRID, NOW)
    assert (march.month, march.hour) == (3, 18)  # 19:00 in Madrid, in UTC
    for locale in ("pt-BR", "de"):
        with using_locale(locale):
            assert parse_when("mar 19:00", MADRID, NOW) == march
    with using_locale("es-ES"):
        assert parse_when("mar 19", MADRID, NOW).astimezone(MADRID).date() == datetime(2027, 3, 19).date()


ENGLISH = ["tomorrow 7pm", "fri 19:00", "2026-12-01 18:30", "in 3 hours", "next friday 6pm", "mon 9:00", "in 3h"]


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_english_is_always_read_and_reads_the_same(locale: str) -> None:
    english = [parse_when(text, MADRID, NOW) for text in ENGLISH]
    with using_locale(locale):
        assert [parse_when(text, MADRID, NOW) for text in ENGLISH] == english


def test_a_date_in_numbers_follows_the_members_day_and_month_order() -> None:
    assert parse_when("03/01/2027 18:30", MADRID, NOW) == datetime(2027, 3, 1, 17, 30, tzinfo=UTC)  # English: M/D
    for locale in ("es-ES", "pt-BR", "fr", "de"):
        with using_locale(locale):
            assert parse_when("03/01/2027 18:30", MADRID, NOW) == datetime(2027, 1, 3, 17, 30, tzinfo=UTC)
    with using_locale("de"):
        assert parse_when("15.12.2026 18:30", MADRID, NOW) == local(15, 18, 30, month=12)


def test_a_language_kindred_does_not_speak_reads_english_only() -> None:
    with using_locale("ja"), pytest.raises(KindredError):
        parse_when("mañana 19:00", MADRID, NOW)
    with pytest.raises(KindredError):  # nor in English
        parse_when("mañana 19:00", MADRID, NOW)


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("es-ES", "No he podido leer 'cuando sea' como una fecha y hora. Prueba con `mañana 19:00`, `vie 19:00`"),
        ("pt-BR", "Não consegui ler 'cuando sea' como data e hora. Tente `amanhã 19h`, `sex 19:00`"),
        ("fr", "Je n'ai pas pu lire 'cuando sea' comme une date et une heure. Essaie `demain 19h`, `ven 19h`"),
        ("de", "Ich konnte 'cuando sea' nicht als Zeitpunkt lesen. Versuch `morgen 19 Uhr`, `Fr 19:00`"),
    ],
)
def test_an_unreadable_time_gets_examples_in_the_members_language(locale: str, message: str) -> None:
    with using_locale(locale), pytest.raises(KindredError) as info:
        parse_when("cuando sea", MADRID, NOW)
    assert info.value.message.startswith(message)


def _examples(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


@pytest.mark.parametrize("locale", [None, *SHIPPED_LOCALES])
def test_every_example_a_language_shows_is_one_it_reads(locale: str | None) -> None:
    with using_locale(locale):
        shown = _examples(examples())
        assert len(shown) == 4
        for text in shown:
            assert parse_when(text, MADRID, NOW) > NOW, text
        lengths = _examples(duration_examples())
        assert len(lengths) == 4
        for text in lengths:
            assert parse_duration(text) >= timedelta(minutes=5), text


DURATIONS = {
    "es-ES": [("2 horas", 120), ("45 minutos", 45), ("1 hora y 30 minutos", 90), ("1h30", 90)],
    "pt-BR": [("2 horas", 120), ("45 minutos", 45), ("1 hora e 30 minutos", 90), ("1,5 h", 90)],
    "fr": [("2 heures", 120), ("45 minutes", 45), ("1 heure et 30 minutes", 90), ("90 mn", 90)],
    "de": [("2 Stunden", 120), ("45 Minuten", 45), ("1 Stunde und 30 Minuten", 90), ("1,5 Std.", 90)],
}


@pytest.mark.parametrize(
    ("locale", "text", "minutes"), [(loc, text, m) for loc, cases in DURATIONS.items() for text, m in cases]
)
def test_lengths_of_time_in_the_members_language(locale: str, text: str, minutes: int) -> None:
    with using_locale(locale):
        assert parse_duration(text) == timedelta(minutes=minutes)
        assert parse_duration("2 hours 15 minutes") == timedelta(minutes=135)  # English too


def test_another_languages_units_are_not_guessed() -> None:
    assert duration_minutes("2 horas") is None  # English only
    with using_locale("de"):
        assert duration_minutes("2 heures") is None
        assert duration_minutes("30 Minuten 1 Stunde") is None  # larger units first, as in English


@pytest.mark.parametrize(
    ("text", "expected"), [("19h", time(19)), ("19h30", time(19, 30)), ("19 Uhr", time(19)), ("7.30", time(7, 30))]
)
def test_clock_times_as_other_languages_write_them(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


def test_clock_time_errors_are_in_the_members_language() -> None:
    with using_locale("es-ES"), pytest.raises(KindredError) as info:
        parse_clock_time("25:00")
    assert info.value.message == "'25:00' no es una hora real. Usa HH:MM entre 00:00 y 23:59."
    with using_locale("de"), pytest.raises(KindredError) as info:
        parse_clock_time("bald")
    assert info.value.message == "Ich konnte 'bald' nicht als Uhrzeit lesen. Nutze HH:MM, etwa `08:30` oder `19:00`."
