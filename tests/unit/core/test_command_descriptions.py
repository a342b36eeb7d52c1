"""Every slash command and option shows Discord the help written beside its code.

A command's description is the first paragraph of its docstring; an option's is its entry under ``Args:`` in
that docstring, or an ``app_commands.describe`` where the words are shared with another command or computed.
discord.py reads docstrings without complaint: an option it finds no words for is shown as "…", and an entry it
misreads (a wrapped line, a misspelt name) reaches members cut off or not at all. These tests catch both.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from discord import app_commands

from bot.i18n_catalog import loaded_tree

Command = app_commands.Command[Any, ..., Any]


async def _commands() -> list[Command]:
    async with loaded_tree() as tree:
        return [c for c in tree.walk_commands() if isinstance(c, app_commands.Command)]


@pytest.fixture(scope="module")
def commands() -> list[Command]:
    """Every slash command of every extension (loaded once, in a loop of its own)."""
    return asyncio.run(_commands())


def args_section(docstring: str | None) -> dict[str, str]:
    """The ``Args:`` entries of a docstring, each entry's wrapped lines joined as Discord shows them."""
    lines = inspect.cleandoc(docstring or "").splitlines()
    if "Args:" not in lines:
        return {}
    entries: dict[str, str] = {}
    name = ""
    for line in lines[lines.index("Args:") + 1 :]:
        if not line.strip():
            break
        if line.startswith(" " * 8):  # a wrapped entry goes on, one level deeper
            entries[name] += " " + line.strip()
        else:
            name, _, text = line.strip().partition(":")
            entries[name] = text.strip()
    return entries


def test_every_command_and_option_has_words_of_its_own(commands: list[Command]) -> None:
    assert len(commands) > 50
    bad: list[str] = []
    for command in commands:
        texts = {"": str(command.description)} | {p.name: str(p.description) for p in command.parameters}
        for option, text in texts.items():
            # "…" alone is discord.py's stand-in for missing words; at the end, its mark for text cut at 100.
            if not text or text.endswith("…") or len(text) > 100 or "Args:" in text:
                bad.append(f"/{command.qualified_name} {option}: {text!r}")
    assert not bad, "\n".join(bad)


def test_each_args_entry_reaches_discord_whole(commands: list[Command]) -> None:
    documented = 0
    for command in commands:
        entries = args_section(command.callback.__doc__)
        options = {p.name: str(p.description) for p in command.parameters}
        assert set(entries) <= set(options), f"/{command.qualified_name} documents options it doesn't have"
        for name, text in entries.items():
            assert options[name] == text, f"/{command.qualified_name} {name}"
        documented += len(entries)
    assert documented > 50


def test_the_words_members_see(commands: list[Command]) -> None:
    described = {c.qualified_name: str(c.description) for c in commands}
    option = {(c.qualified_name, p.name): str(p.description) for c in commands for p in c.parameters}
    assert (
        described["checkin today"] == "Check in: how you are and how strong any craving is. Private unless you share."
    )
    assert option["checkin today", "mood"] == "How are you, from 1 (really struggling) to 5 (doing well)?"
    # Words computed from the rule's own limits, and words one rule shares between two features.
    assert option["room schedule", "duration"] == "How long, in minutes (15–240)"
    assert option["room schedule", "when"] == option["service post", "when"]
