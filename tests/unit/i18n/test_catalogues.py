"""The shipped catalogues are complete and Discord accepts every localised command string.

After a merge brings new commands or marked strings, ``test_every_message_is_translated_in_every_language``
prints exactly which ones each language lacks: run ``python -m bot.i18n_catalog extract`` and ``update``,
then fill the empty entries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import regex
from babel.messages.catalog import Catalog

from bot.i18n import CATALOGUES, catalogue_for, gettext_for, placeholders, using_locale
from bot.i18n_catalog import (
    catalogue_path,
    check_catalogue,
    extract_template,
    loaded_tree,
    read_catalogue,
    source_messages,
    template_path,
)
from bot.translator import KindredTranslator, command_strings
from cogs.checkins._views import CheckinModal

# Discord's rule for command and option names (its "CHAT_INPUT" naming pattern), letters in any script.
NAME = regex.compile(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$")
SHIPPED_LOCALES = ("es-ES", "es-419", "pt-BR", "fr", "de")


async def _payloads_and_strings() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    async with loaded_tree() as tree:
        translator = KindredTranslator()
        payloads = [await command.get_translated_payload(tree, translator) for command in tree.get_commands()]
        return payloads, await command_strings(tree)


@pytest.fixture(scope="module")
def loaded() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Every extension loaded once for this module (a loop of its own: the fixture outlives one test's loop)."""
    return asyncio.run(_payloads_and_strings())


@pytest.fixture
def payloads(loaded: tuple[list[dict[str, Any]], list[tuple[str, str]]]) -> list[dict[str, Any]]:
    """What a sync sends to Discord, with the real translator."""
    return loaded[0]


@pytest.fixture
def template(loaded: tuple[list[dict[str, Any]], list[tuple[str, str]]]) -> Catalog:
    """The messages the code uses now: the command tree's strings and every marked string."""
    return extract_template(loaded[1], source_messages())


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_message_is_translated_in_every_language(catalogue: str, template: Catalog) -> None:
    problems = check_catalogue(read_catalogue(catalogue_path(catalogue), catalogue), template)
    listing = "\n".join(f"  [{context or ''}] {message!r}: {problem}" for message, context, problem in problems)
    assert not problems, f"{catalogue}: {len(problems)} messages need a translation:\n{listing}"


def test_the_template_is_in_step_with_the_code(template: Catalog) -> None:
    shipped = {(m.context, m.id) for m in read_catalogue(template_path()) if m.id}
    wanted = {(m.context, m.id) for m in template if m.id}
    assert wanted <= shipped, f"run `python -m bot.i18n_catalog extract` and `update`: new {sorted(wanted - shipped)}"


def test_every_shipped_locale_has_a_catalogue() -> None:
    for locale in SHIPPED_LOCALES:
        catalogue = catalogue_for(locale)
        assert catalogue is not None and catalogue_path(catalogue).is_file()
    assert catalogue_for("en-US") is None and catalogue_for("ja") is None


def test_placeholders_are_found_by_name() -> None:
    assert placeholders("Hi {name}, it's {when}. {{not one}}") == {"name", "when"}


def test_a_context_tells_apart_the_same_english() -> None:
    assert gettext_for("es-ES", "off", "command name") == "desactivar"
    assert gettext_for("es-ES", "off", "choice name") == "desactivado"
    assert gettext_for("en-US", "off", "choice name") == "off"


def _walk(options: list[dict[str, Any]], path: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    yield path, options
    for option in options:
        if option.get("type") in (1, 2):
            yield from _walk(option.get("options", []), f"{path} {option['name']}")


def _siblings(payloads: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: list[tuple[str, list[dict[str, Any]]]] = [("/", payloads)]
    for command in payloads:
        groups.extend(_walk(command.get("options", []), f"/{command['name']}"))
    return groups


def test_every_localised_name_is_one_discord_accepts(payloads: list[dict[str, Any]]) -> None:
    bad: list[str] = []
    for where, siblings in _siblings(payloads):
        for item in siblings:
            for locale, name in (item.get("name_localizations") or {}).items():
                if not NAME.match(name) or name != name.lower():
                    bad.append(f"{where} {item['name']} [{locale}]: {name!r}")
    assert not bad, "\n".join(bad)


def test_every_localised_description_and_choice_fits(payloads: list[dict[str, Any]]) -> None:
    bad: list[str] = []
    for where, siblings in _siblings(payloads):
        for item in siblings:
            for locale, text in (item.get("description_localizations") or {}).items():
                if not 1 <= len(text) <= 100:
                    bad.append(f"{where} {item['name']} description [{locale}] has {len(text)} characters: {text!r}")
            for choice in item.get("choices") or []:
                for locale, text in (choice.get("name_localizations") or {}).items():
                    if not 1 <= len(text) <= 100:
                        bad.append(f"{where} {item['name']} choice [{locale}]: {text!r}")
    assert not bad, "\n".join(bad)


def test_no_two_siblings_share_a_localised_name(payloads: list[dict[str, Any]]) -> None:
    clashes: list[str] = []
    for where, siblings in _siblings(payloads):
        for locale in ("es-ES", "pt-BR", "fr", "de"):
            seen: dict[str, str] = {}
            for item in siblings:
                name = (item.get("name_localizations") or {}).get(locale, item["name"])
                if name in seen:
                    clashes.append(f"{where} [{locale}]: {seen[name]!r} and {item['name']!r} are both {name!r}")
                seen[name] = item["name"]
            for item in siblings:
                choices = [
                    (c.get("name_localizations") or {}).get(locale, c["name"]) for c in item.get("choices") or []
                ]
                if len(set(choices)) != len(choices):
                    clashes.append(f"{where} {item['name']} [{locale}]: repeated choice names {choices}")
    assert not clashes, "\n".join(clashes)


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
async def test_the_check_in_modal_fits_discords_label_limit(locale: str) -> None:
    # Discord's limits for a modal: a title and each text input's label at most 45 characters.
    with using_locale(locale):
        payload = CheckinModal(None).to_dict()  # what Discord is sent, and checks
    texts = [payload["title"], *(field["label"] for row in payload["components"] for field in row["components"])]
    assert len(texts) == 6
    long = [text for text in texts if len(text) > 45]
    assert not long, long


def test_button_labels_fit_discords_limit() -> None:
    for locale in SHIPPED_LOCALES:
        for english in (
            "Talk to someone here",
            "I'm OK",
            "Check in now",
            "Check in with more detail",
            "Let my buddy know",
            "I'm reaching out",
            "Claimed",
            "Erase everything",
            "Keep my data",
            "Remove",
            "Keep it",
        ):
            assert 0 < len(gettext_for(locale, english)) <= 80
