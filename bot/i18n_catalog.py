"""Keeping the catalogues in step with the code: extract every message, merge it into each language, check them.

``python -m bot.i18n_catalog extract`` rewrites ``bot/data/locales/kindred.pot`` from three sources: the strings
marked in ``bot/`` and ``cogs/`` (``_``, ``N_``, ``pgettext``, read by Babel's extractor), the plain words of the
privacy registry (``bot/data/privacy.toml``) and every command, option and choice string of the loaded command
tree (what a sync sends to Discord).
``python -m bot.i18n_catalog update`` merges the template into each ``.po`` file, keeping its translations;
new messages arrive empty for a translator to fill. ``python -m bot.i18n_catalog missing`` lists what is still
untranslated, language by language.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from discord import app_commands

from bot.client import KindredBot, all_extensions
from bot.db import Database
from bot.i18n import CATALOGUES, DOMAIN, placeholders
from bot.package_data import data_path
from bot.privacy import PRIVATE_TABLES, PRIVATE_TABLES_PATH
from bot.settings import Settings
from bot.store import Store
from bot.timers import TimerService
from bot.translator import command_strings

__all__ = [
    "Problem",
    "catalogue_path",
    "check_catalogue",
    "extract_template",
    "loaded_tree",
    "privacy_messages",
    "read_catalogue",
    "source_messages",
    "template_path",
    "tree_messages",
]

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "pgettext_noop": ((1, "c"), 2)}

Problem = tuple[str, str | None, str]  # (message id, context, what is wrong)


def template_path() -> Path:
    """The template every catalogue is merged from."""
    return data_path("locales", f"{DOMAIN}.pot")


def catalogue_path(catalogue: str) -> Path:
    """One language's ``.po`` file."""
    return data_path("locales", catalogue, "LC_MESSAGES", f"{DOMAIN}.po")


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    """A ``.po`` or ``.pot`` file as a Babel catalogue."""
    with path.open("rb") as file:
        return read_po(file, locale=locale, domain=DOMAIN)


def source_messages(root: Path = ROOT) -> list[tuple[str | None, Any, str]]:
    """(context, English, location) for every string marked in ``bot/`` and ``cogs/``."""
    found: list[tuple[str | None, Any, str]] = []
    for package in ("bot", "cogs"):
        for filename, lineno, message, _comments, context in extract_from_dir(
            root / package, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            if message:  # a string, or (singular, plural) for ngettext
                found.append((context, message, f"{package}/{filename}:{lineno}"))
    return found + privacy_messages()


def privacy_messages() -> list[tuple[str | None, Any, str]]:
    """(context, English, location) for the plain words of every table in the privacy registry's data file."""
    lines = PRIVATE_TABLES_PATH.read_text(encoding="utf-8").splitlines()
    where = PRIVATE_TABLES_PATH.relative_to(ROOT).as_posix()
    found: list[tuple[str | None, Any, str]] = []
    for entry in PRIVATE_TABLES:
        lineno = lines.index(f'table = "{entry.table}"') + 1
        found += [(None, entry.what, f"{where}:{lineno}"), (None, entry.who_sees, f"{where}:{lineno}")]
    return found


@asynccontextmanager
async def loaded_tree() -> AsyncIterator[app_commands.CommandTree[Any]]:
    """The command tree of a bot with every extension loaded, never connected (a throwaway database)."""
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "extract.db")
        try:
            await db.migrate()
            bot = KindredBot(Settings(discord_token="x", crisis_sentence_model=False), db, timer_poll_seconds=None)
            bot.store = Store(db)
            bot.timers = TimerService(db, bot.clock)
            for name in all_extensions():
                await bot.load_extension(name)
            yield bot.tree
        finally:
            await db.close()


async def tree_messages() -> list[tuple[str, str]]:
    """(context, English) for every command string of the loaded tree."""
    async with loaded_tree() as tree:
        return await command_strings(tree)


def extract_template(tree: Iterable[tuple[str, str]], sources: Iterable[tuple[str | None, Any, str]]) -> Catalog:
    """The template: command strings (in tree order), then marked strings (in file order)."""
    template = Catalog(domain=DOMAIN, project="Kindred", fuzzy=False)
    for where, english in tree:
        template.add(english, context=where, auto_comments=[_command_note(where)])
    for context, message, location in sources:
        file, line = location.rsplit(":", 1)
        existing = template.get(message, context=context)
        if existing is not None:
            existing.locations.append((file, int(line)))
        else:
            template.add(message, context=context, locations=[(file, int(line))])
    return template


def _command_note(context: str) -> str:
    if context in ("command name", "option name"):
        return "Discord: lower case, 1-32 letters, digits, - or _; no spaces. Unique among its siblings."
    return "Discord: at most 100 characters."


def check_catalogue(catalog: Catalog, template: Catalog) -> list[Problem]:
    """What keeps this catalogue from being complete: missing, untranslated or fuzzy entries, changed placeholders."""
    problems: list[Problem] = []
    for wanted in template:
        if not wanted.id:
            continue
        message: Message | None = catalog.get(wanted.id, context=wanted.context)
        if message is None:
            problems.append((str(wanted.id), wanted.context, "missing from the catalogue"))
        elif not all(_forms(message.string)):
            problems.append((str(wanted.id), wanted.context, "not translated"))
        elif message.fuzzy:
            problems.append((str(wanted.id), wanted.context, "fuzzy (needs review)"))
        elif any(placeholders(form) != _placeholders_of(message.id) for form in _forms(message.string)):
            found = sorted(set().union(*(placeholders(form) for form in _forms(message.string))))
            problems.append((str(wanted.id), wanted.context, f"placeholders differ: {found}"))
    return problems


def _forms(text: object) -> tuple[str, ...]:
    """A message's text, or each plural form of it."""
    if isinstance(text, tuple | list):
        return tuple(str(form) for form in text)
    return (str(text or ""),)


def _placeholders_of(message_id: object) -> set[str]:
    """The placeholders of an id; for a plural, those of its plural form (the singular may spell out "one")."""
    return placeholders(_forms(message_id)[-1])


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=120, omit_header=False, sort_output=False)


def main(argv: list[str] | None = None) -> int:
    """Extract the template, merge it into every catalogue, or list what is missing."""
    parser = argparse.ArgumentParser(prog="python -m bot.i18n_catalog", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["extract", "update", "missing"])
    action = parser.parse_args(argv).action
    if action == "extract":
        template = extract_template(asyncio.run(tree_messages()), source_messages())
        _write(template, template_path())
        print(f"{len(template)} messages in {template_path()}")
        return 0
    template = read_catalogue(template_path())
    missing = 0
    for catalogue in CATALOGUES:
        path = catalogue_path(catalogue)
        catalog = (
            read_catalogue(path, catalogue)
            if path.is_file()
            else Catalog(locale=catalogue, domain=DOMAIN, project="Kindred", copyright_holder="Kindred contributors")
        )
        if action == "update":
            catalog.update(template, no_fuzzy_matching=True)
            _write(catalog, path)
        for message_id, context, problem in check_catalogue(catalog, template):
            missing += 1
            if action == "missing":
                print(f"{catalogue}: [{context or ''}] {message_id!r}: {problem}")
    print(f"{missing} entries to translate", file=sys.stderr)
    return 0 if action == "update" or missing == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
