"""Natural date/time input ("tomorrow 7pm", "fri 19:00", "2026-12-01 18:30", "in 3 hours"), and lengths of time.

dateparser does the parsing; this module pins it to the member's time zone and "now", and turns
every failure into a message with examples. Input is read in English (always) and in the member's own
language (the current locale of :mod:`bot.i18n`): "mañana 19:00", "amanhã 19h", "demain 19h", "morgen 19 Uhr",
with the little words and day parts people put around a time ("el viernes a las 7 de la tarde", "am Freitag um 19 Uhr").
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

from bot.i18n import _, catalogue_for, current_locale
from bot.problems import KindredError
from bot.text import echo

__all__ = ["duration_minutes", "examples", "parse_clock_time", "parse_when", "reading_language"]

_MAX_AHEAD = timedelta(days=366)
# "7", "07:30", "19h", "19h30", "19.30", "19 Uhr", "7pm"
_CLOCK = re.compile(r"^\s*(\d{1,2})(?:\s*(?::|\.|h)\s*(\d{2}))?\s*(am|pm|h|uhr)?\s*$", re.IGNORECASE)

# dateparser's language for each catalogue Kindred speaks (Brazilian Portuguese is its "pt").
_DATEPARSER_LANGUAGE = {"es": "es", "pt_BR": "pt", "fr": "fr", "de": "de"}
# A day and month in numbers ("12/01", "15.12.2026"): their order is the writer's language's (day first in
# Spanish, Portuguese, French and German), so such input is read in that language before English.
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}\b")
# A clock time written with "h" ("19h", "19h30", "19 h 30") or "Uhr" ("19 Uhr", "19.30 Uhr"): dateparser
# reads "19h" as nineteen hours and ignores "Uhr", so they are rewritten as "19:00" before it reads them.
_H_CLOCK = re.compile(r"(?<![\w:.,])(\d{1,2})\s?h(?:\s?(\d{2}))?(?!\w)", re.IGNORECASE)
_UHR_CLOCK = re.compile(r"(?<![\w:.,])(\d{1,2})(?:[:.](\d{2}))?\s*uhr(?!\w)", re.IGNORECASE)
# Words after which "3h" is a length of time, not a clock time ("dans 3h", "en 3 h", "em 3h", "in 3h").
_RELATIVE_WORDS = frozenset({"in", "dans", "en", "em", "de"})

# Ways each language says "in the evening" or "in the morning" after an hour ("7 de la tarde", "7 da noite",
# "7h du soir", "7 Uhr abends"), as pm (True) or am (False); dateparser reads none of them.
_DAY_PARTS: dict[str, dict[str, bool]] = {
    "es": {"de la mañana": False, "de la madrugada": False, "de la tarde": True, "de la noche": True},
    "pt": {"da manhã": False, "da madrugada": False, "da tarde": True, "da noite": True},
    "fr": {"du matin": False, "de l'après-midi": True, "de l’après-midi": True, "du soir": True},
    "de": {"morgens": False, "früh": False, "nachmittags": True, "abends": True, "nachts": True},
}
# Little words that make dateparser refuse a whole phrase ("el viernes", "na sexta", "am Freitag"),
# and phrasings of "in" it doesn't know ("daqui a 3 horas"), per language.
_REWRITES: dict[str, dict[str, str]] = {
    "es": {"el": ""},
    "pt": {"na": "", "no": "", "daqui a": "em"},
    "de": {"am": ""},
}
# In Spanish and French "mar" is also Tuesday (martes, mardi); followed by a clock time, that is what it means.
_TUESDAY = {"es": "martes", "fr": "mardi"}
# A bare number after it ("mar 19") stays a day of March.
_MAR_BEFORE_CLOCK = re.compile(r"^mar\.?(?=\s+(?:a las\s+|à\s+)?\d{1,2}\s?(?:[:.]\d{2}|h))", re.IGNORECASE)

# Units a length of time may be written in, in minutes: English always, plus the member's language.
_UNITS: dict[str | None, dict[str, int]] = {
    None: dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1)
    | dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 60),
    "es": dict.fromkeys(("min", "mins", "minuto", "minutos"), 1) | dict.fromkeys(("h", "hora", "horas"), 60),
    "pt": dict.fromkeys(("min", "mins", "minuto", "minutos"), 1) | dict.fromkeys(("h", "hora", "horas"), 60),
    "fr": dict.fromkeys(("min", "mn", "minute", "minutes"), 1) | dict.fromkeys(("h", "heure", "heures"), 60),
    "de": dict.fromkeys(("min", "minute", "minuten"), 1) | dict.fromkeys(("h", "std", "stunde", "stunden"), 60),
}
_AND = {None: "and", "es": "y", "pt": "e", "fr": "et", "de": "und"}
# "1h30", "1 h 30 m", "2 hours 15 minutes", "1.5h", "90m", "45 minutos", "2 Std."
_PART = re.compile(r"(\d+(?:[.,]\d+)?)([^\W\d_]+)?")
_CLOCKLIKE = re.compile(r"^(\d{1,2}):(\d{2})$")  # "1:30" = one hour thirty


def reading_language() -> str | None:
    """dateparser's code for the member's language, or ``None`` when it is English (or one Kindred doesn't speak)."""
    catalogue = catalogue_for(current_locale())
    return None if catalogue is None else _DATEPARSER_LANGUAGE.get(catalogue)


def examples() -> str:
    """Times the reader understands, as the member would write them in their language."""
    # Translators: keep the backticks; each example must be something Kindred reads in your language
    # (a test checks it): a day word and a time, a weekday and a time, a date in numbers, a time from now.
    return _("`tomorrow 7pm`, `fri 19:00`, `2026-12-01 18:30`, `in 3 hours`")


def parse_when(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """Parse ``text`` as a future instant in ``zone``; return it in UTC.

    English is read first, exactly as it always was, then the member's language; a date in numbers is
    read in the member's language first (their day and month order), and so is "mar" before a time in
    Spanish and French (Tuesday there, March in English). Raises :class:`KindredError` for
    empty, unparseable, past or far-future input.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise KindredError(_("Please say when, for example {examples}.").format(examples=examples()))
    if len(cleaned) > 100:
        raise KindredError(
            _("That time is too long for me to read. Try something like {examples}.").format(examples=examples())
        )
    parsed = None
    for language in _reading_order(cleaned):
        parsed = _dateparse(cleaned if language == "en" else _in_own_words(cleaned, language), language, zone, now)
        if parsed is not None:
            break
    if parsed is None:
        raise KindredError(
            _("I couldn't read {text} as a time. Try {examples}.").format(text=echo(cleaned), examples=examples())
        )
    when = parsed.astimezone(UTC).replace(microsecond=0)
    if when <= now:
        raise KindredError(
            _("{text} is {when}, which has already passed. Please pick a time in the future, like {examples}.").format(
                text=echo(cleaned), when=f"<t:{int(when.timestamp())}:F>", examples=examples()
            )
        )
    if when - now > _MAX_AHEAD:
        raise KindredError(_("That's more than a year away. Please pick a time within the next year."))
    return when


def _reading_order(text: str) -> list[str]:
    own = reading_language()
    if own is None:
        return ["en"]
    own_first = _NUMERIC_DATE.search(text) or (own in _TUESDAY and _MAR_BEFORE_CLOCK.match(text))
    return [own, "en"] if own_first else ["en", own]


def _dateparse(text: str, language: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    with warnings.catch_warnings():
        # dateparser emits a PytzUsageWarning-style deprecation on some inputs; it is noise here.
        warnings.simplefilter("ignore")
        # One language at a time, named: without it dateparser first guesses the language, which costs
        # over two seconds on a cold start and pushed commands past Discord's 3-second answer window.
        return dateparser.parse(
            text,
            languages=[language],
            settings={
                "TIMEZONE": str(zone.key),
                "TO_TIMEZONE": "UTC",
                "RETURN_AS_TIMEZONE_AWARE": True,
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
            },
        )


def _in_own_words(text: str, language: str) -> str:
    """``text`` rewritten into a form dateparser reads in ``language`` (clock times, day parts, little words)."""
    if language in _TUESDAY:
        text = _MAR_BEFORE_CLOCK.sub(_TUESDAY[language], text)
    text = _clock_words(_day_parts(text, language))
    for words, replacement in _REWRITES.get(language, {}).items():
        text = re.sub(rf"(?<!\w){re.escape(words)}(?!\w)", replacement, text, flags=re.IGNORECASE)
    return " ".join(text.split())


def _day_parts(text: str, language: str) -> str:
    """``7 de la tarde`` or ``7 Uhr abends`` as ``19:00``; an hour the day part doesn't fit is left alone."""
    parts = _DAY_PARTS.get(language)
    if not parts:
        return text
    names = "|".join(re.escape(name) for name in parts)
    pattern = rf"(?<![\w:.,])(\d{{1,2}})(?:\s?(?:[:.]|h)\s?(\d{{2}})|\s?h)?(?:\s*uhr)?\s+({names})(?!\w)"

    def as_clock(match: re.Match[str]) -> str:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        pm = parts[match.group(3).lower()]
        if pm and hour < 12:
            hour += 12
        elif not pm and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or (not pm and hour > 12):
            return match.group(0)
        return f"{hour}:{minute:02d}"

    return re.sub(pattern, as_clock, text, flags=re.IGNORECASE)


def _clock_words(text: str) -> str:
    """``19h30`` and ``19 Uhr`` as ``19:30`` and ``19:00``, unless the hours follow "in" (a length of time)."""

    def as_clock(match: re.Match[str]) -> str:
        before = text[: match.start()].split()
        if before and before[-1].lower() in _RELATIVE_WORDS:
            return match.group(0)
        return f"{int(match.group(1))}:{match.group(2) or '00'}"

    return _H_CLOCK.sub(as_clock, _UHR_CLOCK.sub(as_clock, text))


def duration_minutes(text: str) -> float | None:
    """A length of time in minutes (``90m``, ``1h30``, ``2 hours``, ``1.5h``, ``1:30``, ``2 Stunden``), or ``None``.

    Units are read in English and in the member's language; a bare number is minutes, and a number
    after hours is minutes too (``1h30``). Larger units must come first: ``30m 1h`` is more likely a typo.
    """
    own = reading_language()
    units = _UNITS[None] | _UNITS.get(own, {})
    words = text.strip().lower().split()
    cleaned = " ".join(w for w in words if w not in {_AND[None], _AND.get(own, _AND[None])})
    cleaned = re.sub(r"(?<=[^\W\d_])\.", "", cleaned)  # "2 Std." is "2 Std"
    clock = _CLOCKLIKE.match(cleaned)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    pos, total, units_seen = 0, 0.0, []
    compact = cleaned.replace(" ", "")
    while pos < len(compact):
        match = _PART.match(compact, pos)
        if match is None or match.end() == pos:
            return None
        minutes_per = units.get(match.group(2) or "m")
        if minutes_per is None:
            return None
        total += float(match.group(1).replace(",", ".")) * minutes_per
        units_seen.append(minutes_per)
        pos = match.end()
    if not units_seen or units_seen != sorted(set(units_seen), reverse=True):
        return None
    return total


def parse_clock_time(text: str) -> time:
    """Parse a wall-clock time such as ``07:30``, ``19:00``, ``7pm``, ``19h30`` or ``19 Uhr``.

    Raises :class:`KindredError` for impossible times like ``25:00`` or ``7:75``.
    """
    match = _CLOCK.match(text)
    if not match:
        raise KindredError(
            _("I couldn't read {text} as a time of day. Use HH:MM, like `08:30` or `19:00`.").format(text=echo(text))
        )
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower()
    if meridiem in {"am", "pm"}:
        if not 1 <= hour <= 12:
            raise KindredError(
                _("{text} isn't a real time: with am/pm the hour runs from 1 to 12.").format(text=echo(text))
            )
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise KindredError(
            _("{text} isn't a real time of day. Use HH:MM between 00:00 and 23:59.").format(text=echo(text))
        )
    return time(hour, minute)
