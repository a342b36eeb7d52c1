"""Every slash command named in text the bot shows must exist and be runnable as written.

Reviews found members told to run `/config set` (no such command) and `/resources` (a group, which
Discord can't run on its own). This reads every string literal in bot/ and cogs/ (docstrings aside,
which are for developers) and checks each backticked `/command` against the live command tree.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from discord import app_commands

from tests.harness import Harness
from tests.paths import REPO_ROOT

ROOT = REPO_ROOT
REFERENCE = re.compile(r"`/([a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)*)")


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            ids.add(id(first.value))
    return ids


def shown_references() -> Iterator[tuple[str, str]]:
    """(command words, "file:line") for every backticked /command in a non-docstring string literal."""
    for path in sorted([*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("cogs").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstring_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                for match in REFERENCE.finditer(node.value):
                    yield match.group(1), f"{path.relative_to(ROOT)}:{node.lineno}"


def problems(references: list[tuple[str, str]], leaves: set[str], groups: set[str]) -> list[str]:
    """What is wrong with each reference: an unknown command, or a group that can't be run alone."""
    found = []
    for words, where in references:
        parts = words.split()
        prefix = next(
            (" ".join(parts[:k]) for k in range(len(parts), 0, -1) if " ".join(parts[:k]) in leaves | groups), None
        )
        if prefix is None:
            found.append(f"{where}: /{words} is not a command")
        elif prefix in groups:
            rest = parts[len(prefix.split()) :]
            what = f"has no subcommand {rest[0]!r}" if rest else "is a group; name a subcommand"
            found.append(f"{where}: /{prefix} {what}")
    return found


def test_the_checker_catches_what_reviews_found() -> None:
    leaves, groups = {"config show", "resources show"}, {"config", "resources"}
    refs = [("config set", "a.py:1"), ("resources", "b.py:2"), ("resources show", "c.py:3"), ("karaoke", "d.py:4")]
    assert problems(refs, leaves, groups) == [
        "a.py:1: /config has no subcommand 'set'",
        "b.py:2: /resources is a group; name a subcommand",
        "d.py:4: /karaoke is not a command",
    ]


async def test_every_command_named_to_members_exists(running: Harness) -> None:
    leaves, groups = set(), set()
    for command in running.bot.tree.walk_commands():
        (groups if isinstance(command, app_commands.Group) else leaves).add(command.qualified_name)
    references = list(shown_references())
    assert len(references) > 50  # the scan really reads the code
    assert problems(references, leaves, groups) == []
