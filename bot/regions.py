"""Choosing a hotline region: search for the autocomplete, and suggestions from a member's Discord language.

A language is a hint, not a location: Spanish is spoken in twenty countries, and many people leave
Discord on its default English. So a suggestion is only ever offered (listed first in the
autocomplete, or named in an answer) for the member to confirm. Nothing here saves anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import N_, _, country_name
from bot.problems import KindredError
from bot.resources import REGION_NAMES, load_locale_regions, region_aliases

__all__ = [
    "MAX_CHOICES",
    "OTHER_LABEL",
    "RegionChoice",
    "describe_regions",
    "region_label",
    "region_name",
    "regions_for_locale",
    "require_region",
    "resolve_region",
    "search_regions",
]

#: Discord shows at most 25 autocomplete results.
MAX_CHOICES = 25
OTHER_LABEL = N_("Somewhere else (worldwide directory)")
_MAX_LABEL = 100  # Discord's limit on a choice name


@dataclass(frozen=True, slots=True)
class RegionChoice:
    """One autocomplete result: the region code sent back, and the label the member sees."""

    code: str
    label: str


def region_label(code: str) -> str:
    """ "Spain (ES)", "España (ES)"; the worldwide fallback reads "Somewhere else (worldwide directory)"."""
    return _(OTHER_LABEL) if code == "other" else f"{region_name(code)} ({code})"


def region_name(code: str) -> str:
    """The region's name in the current locale: "Spain", "España", "Spanien"."""
    return country_name(code, REGION_NAMES[code])


def regions_for_locale(locale: object) -> tuple[str, ...]:
    """Countries a Discord locale (``interaction.locale``, e.g. ``es-ES``) suggests, most likely first.

    Empty for a locale that says nothing about where someone lives, such as Discord's default ``en-US``.
    """
    if locale is None:
        return ()
    return load_locale_regions().get(str(locale), ())


def describe_regions(codes: Sequence[str]) -> str:
    """ "Germany, Austria or Switzerland", in the current locale."""
    names = [region_name(code) for code in codes]
    if len(names) <= 1:
        return "".join(names)
    return _("{names} or {last}").format(names=", ".join(names[:-1]), last=names[-1])


def _terms(code: str) -> list[str]:
    """Everything a member might type for a region, case-folded."""
    terms = [code, REGION_NAMES[code], region_name(code), *region_aliases().get(code, ())]
    if code == "other":
        terms.extend((OTHER_LABEL, _(OTHER_LABEL)))
    return [term.casefold() for term in terms]


def resolve_region(value: str) -> str | None:
    """The region code for what a member sent: a code ("es", "UK") or a full name ("Spain", "Deutschland").

    The autocomplete sends codes, but a member may type a name and press enter without picking.
    """
    wanted = value.strip().casefold()
    if not wanted:
        return None
    for code in REGION_NAMES:
        if wanted in _terms(code):
            return code
    return None


def require_region(value: str, *, for_server: bool = False) -> str:
    """The region code for what was sent, or a kind error saying how to pick one.

    ``for_server`` words the error for a moderator choosing the server's default, not their own.
    """
    code = resolve_region(value)
    if code is not None:
        return code
    if for_server:
        raise KindredError(
            _(
                "I don't have crisis lines for “{value}” yet. Start typing a country and pick it from the "
                "list; if it isn't there, pick “{other}” so members get a worldwide directory of helplines."
            ).format(value=value[:60], other=_(OTHER_LABEL))
        )
    raise KindredError(
        _(
            "I don't have crisis lines for “{value}” yet. Start typing your country and pick it from "
            "the list; if it isn't there, pick “{other}” for a worldwide directory of free helplines."
        ).format(value=value[:60], other=_(OTHER_LABEL))
    )


def search_regions(
    current: str, *, suggested: Sequence[str] = (), note: str = "", limit: int = MAX_CHOICES
) -> list[RegionChoice]:
    """Regions whose code, name or other name contains ``current`` (case-insensitive), at most ``limit``.

    Order: a region whose code is exactly what was typed; then ``suggested`` regions (from the member's
    language, or their current choice), labelled with ``note``; then regions whose code or name starts
    with what was typed; then the rest by name; the worldwide fallback last, and never cut off.
    """
    query = current.strip().casefold()
    matching = [code for code in REGION_NAMES if not query or any(query in term for term in _terms(code))]
    first = list(dict.fromkeys(code for code in suggested if code in matching))

    def rank(code: str) -> tuple[bool, bool, int, bool, str]:
        terms = _terms(code)
        exact = bool(query) and query == code.casefold()
        position = first.index(code) if code in first else len(first)
        starts = any(term.startswith(query) for term in terms)
        return (code == "other", not exact, position, not starts, region_name(code).casefold())

    ordered = sorted(matching, key=rank)
    if len(ordered) > limit > 0 and ordered[-1] == "other":
        # The worldwide directory must stay reachable for everyone whose country isn't shipped,
        # even when the list is cut at Discord's limit before the member has typed anything.
        ordered = [*ordered[: limit - 1], "other"]
    choices = []
    for code in ordered[: max(limit, 0)]:
        label = region_label(code)
        if code in first and note:
            label = f"{label} · {note}"
        choices.append(RegionChoice(code, label[:_MAX_LABEL]))
    return choices
