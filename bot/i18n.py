"""Kindred in the member's own language: gettext catalogues read through Babel (no Discord import here).

The catalogues are the ``.po`` files under ``bot/data/locales/<catalogue>/LC_MESSAGES/kindred.po``; each
is compiled in memory by Babel the first time it is needed, so there is no compiled file to fall out of step.
Untranslated or fuzzy entries fall back to the English text.

Replies follow the locale of whoever Kindred is answering. The locale lives in a context variable, set for
an interaction's task by the command tree and the views (:func:`set_locale`), or around a DM a timer sends
(:func:`using_locale`); :func:`_` reads it. Strings defined at import time are marked with :func:`N_` and
translated where they are used.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bot.package_data import data_path

__all__ = [
    "CATALOGUES",
    "DOMAIN",
    "N_",
    "SHIPPED_LOCALES",
    "_",
    "catalogue_for",
    "country_name",
    "current_locale",
    "format_date_long",
    "format_day",
    "format_day_month",
    "format_day_short",
    "format_decimal",
    "format_month_day_short",
    "gettext_for",
    "ngettext",
    "pgettext",
    "pgettext_noop",
    "placeholders",
    "set_locale",
    "translations",
    "using_locale",
    "weekday_abbreviation",
]

DOMAIN = "kindred"

# Discord locale -> the catalogue that answers it. Spain's and Latin America's Spanish share one
# catalogue: the wording is chosen to read naturally in both (usted-free, "tú" throughout).
_CATALOGUE_OF: dict[str, str] = {"es-ES": "es", "es-419": "es", "pt-BR": "pt_BR", "fr": "fr", "de": "de"}
CATALOGUES: tuple[str, ...] = ("es", "pt_BR", "fr", "de")
SHIPPED_LOCALES: tuple[str, ...] = tuple(_CATALOGUE_OF)

_locale: ContextVar[str | None] = ContextVar("kindred_locale", default=None)


def catalogue_for(locale: object) -> str | None:
    """The catalogue for a Discord locale (``discord.Locale`` or its value), or ``None`` for English."""
    if locale is None:
        return None
    return _CATALOGUE_OF.get(str(getattr(locale, "value", locale)))


@cache
def translations(catalogue: str) -> NullTranslations:
    """The compiled catalogue, read once from its ``.po`` file; empty (English) if the file is missing."""
    path = data_path("locales", catalogue, "LC_MESSAGES", f"{DOMAIN}.po")
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=catalogue, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: a guess never reaches a member
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _for(locale: object) -> NullTranslations | None:
    catalogue = catalogue_for(locale)
    return translations(catalogue) if catalogue is not None else None


def current_locale() -> str | None:
    """The locale replies in this task are written in (``None``: English)."""
    return _locale.get()


def set_locale(locale: object) -> None:
    """Write replies in ``locale`` for the rest of this task (an interaction's task)."""
    _locale.set(_value(locale))


def _value(locale: object) -> str | None:
    return None if locale is None else str(getattr(locale, "value", locale))


@contextmanager
def using_locale(locale: object) -> Iterator[None]:
    """Write replies in ``locale`` inside the block (a DM sent by a timer), then go back."""
    token = _locale.set(_value(locale))
    try:
        yield
    finally:
        _locale.reset(token)


def _(message: str) -> str:
    """``message`` in the current locale (English when it has no translation)."""
    found = _for(_locale.get())
    return message if found is None else found.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current locale (its own plural rules)."""
    found = _for(_locale.get())
    if found is None:
        return singular if n == 1 else plural
    return found.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current locale, where ``context`` tells apart two uses of the same English."""
    found = _for(_locale.get())
    return message if found is None else str(found.pgettext(context, message))


def gettext_for(locale: object, message: str, context: str | None = None) -> str:
    """``message`` in ``locale``, whatever the current locale is."""
    found = _for(locale)
    if found is None:
        return message
    return found.gettext(message) if context is None else str(found.pgettext(context, message))


def format_decimal(number: float) -> str:
    """A number with one decimal as the current locale writes it ("3.5", "3,5")."""
    from babel.numbers import format_decimal as babel_decimal

    catalogue = catalogue_for(_locale.get())
    return babel_decimal(number, format="0.0", locale=catalogue or "en")


def _skeleton(day: date, skeleton: str, english: str) -> str:
    """``day`` by Babel's ``skeleton`` in the current locale; ``english`` (already formatted) for English."""
    from babel.dates import format_skeleton

    catalogue = catalogue_for(_locale.get())
    return english if catalogue is None else str(format_skeleton(skeleton, day, locale=catalogue))


def format_date_long(day: date) -> str:
    """A weekday and date as the current locale writes it ("Monday 07 December", "lun, 7 de diciembre")."""
    return _skeleton(day, "MMMMEEEEd", f"{day:%A %d %B}")


def format_day(day: date) -> str:
    """A date with its month spelled out, as the current locale writes it ("7 December 2026", "7 de diciembre de 2026")."""
    from babel.dates import format_date

    catalogue = catalogue_for(_locale.get())
    if catalogue is None:
        return f"{day.day} {day:%B %Y}"
    return str(format_date(day, format="long", locale=catalogue))


def format_day_month(day: date) -> str:
    """A day and month without the year, as the current locale writes it ("7 December", "7 de diciembre")."""
    return _skeleton(day, "MMMMd", f"{day.day} {day:%B}")


def format_day_short(day: date) -> str:
    """A short weekday, day and month, as the current locale writes it ("Mon 7 Dec", "lun, 7 dic")."""
    return _skeleton(day, "MMMEd", f"{day:%a} {day.day} {day:%b}")


def format_month_day_short(day: date) -> str:
    """A short month and day, as the current locale writes it ("Dec 7", "7 dic", "7. Dez.")."""
    return _skeleton(day, "MMMd", f"{day:%b} {day.day}")


def weekday_abbreviation(weekday: int, english: str) -> str:
    """Monday=0's short name as the current locale writes it; ``english`` outside the shipped languages."""
    from babel.dates import get_day_names

    catalogue = catalogue_for(_locale.get())
    if catalogue is None:
        return english
    return str(get_day_names("abbreviated", locale=catalogue)[weekday])


# Kindred's region codes are ISO 3166 country codes, except the United Kingdom's.
_ISO_CODE = {"UK": "GB"}


def country_name(code: str, english: str) -> str:
    """A country's name as the current locale writes it (from Babel's locale data); ``english`` otherwise."""
    catalogue = catalogue_for(_locale.get())
    return english if catalogue is None else _country_name(catalogue, code, english)


@cache
def _country_name(catalogue: str, code: str, english: str) -> str:
    from babel import Locale as BabelLocale

    return str(BabelLocale.parse(catalogue).territories.get(_ISO_CODE.get(code, code), english))


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (a constant, translated where used)."""
    return message


def pgettext_noop(context: str, message: str) -> str:
    """Mark ``message`` with its ``context`` for the catalogue, translated later with :func:`pgettext`."""
    return message


def placeholders(text: str) -> set[str]:
    """The named ``{placeholders}`` of a message, which every translation must keep."""
    return {field for _lit, field, _spec, _conv in string.Formatter().parse(text) if field is not None}
