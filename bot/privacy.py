"""The privacy registry: every table that holds a member id, listed in the shipped ``bot/data/privacy.toml``.

``/privacy show``, ``/privacy export``, ``/privacy delete`` and the retention purge walk this registry, so a
feature cannot forget a member's data, and a test fails if any table has a member-id column (named ``user_id``
or ``*_user_id``) that is not covered. As one data file, the whole inventory of what Kindred keeps about a
member reads in one place, and it is complete whichever store modules happen to be imported. Its plain words
(``what``, ``who_sees``) are English message ids: :mod:`bot.i18n_catalog` extracts them from that file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.package_data import data_path

__all__ = ["PRIVATE_TABLES", "PRIVATE_TABLES_PATH", "PrivateTable", "load_private_tables", "registered_tables"]


@dataclass(frozen=True, slots=True)
class PrivateTable:
    """How one table relates to a member.

    ``user_columns`` are the columns that may hold the member's Discord id; a row matching any of
    them is exported and erased. ``guild_column`` names the server column for server-scoped data
    (``None`` = personal data that follows the member across servers). ``what`` and ``who_sees``
    are plain words shown by ``/privacy show``.
    """

    table: str
    user_columns: tuple[str, ...]
    what: str
    who_sees: str
    guild_column: str | None = None
    order: int = 100  # lower erases first; children before parents when foreign keys need it
    # For server-scoped rows that hold no guild column themselves: an SQL condition with exactly one
    # ``?`` (the guild id), e.g. ``interest_id IN (SELECT id FROM interests WHERE guild_id = ?)``.
    # Shipped with the code (bot/data/privacy.toml), never built from values. Used by the retention purge to
    # erase one server's data.
    guild_filter: str | None = None
    # Member-id columns holding *another* member's id inside the row owner's private data (e.g. the
    # member someone asked never to be paired with). Such a match is neither exported to that other
    # member (it would reveal a confidential list) nor erased at their request (the owner's safety
    # choice stands); the row goes when its owner's data goes. Declaring a column here tells the
    # coverage test it was considered, not forgotten.
    referenced_columns: tuple[str, ...] = ()

    @property
    def server_scoped(self) -> bool:
        """True when rows belong to one server (erased by that server's retention purge)."""
        return self.guild_column is not None or self.guild_filter is not None


def load_private_tables(path: Path) -> tuple[PrivateTable, ...]:
    """The tables listed in ``path`` (the format is described at the top of ``bot/data/privacy.toml``).

    An unknown key or a missing one raises at import, so a typo can never quietly drop a table from export or
    erasure.
    """
    with path.open("rb") as file:
        listed: list[dict[str, Any]] = tomllib.load(file)["table"]
    return tuple(_private_table(entry) for entry in listed)


def _private_table(entry: dict[str, Any]) -> PrivateTable:
    # TOML has arrays where the record keeps immutable tuples.
    fields: dict[str, Any] = {key: tuple(value) if isinstance(value, list) else value for key, value in entry.items()}
    return PrivateTable(**fields)


PRIVATE_TABLES_PATH = data_path("privacy.toml")
PRIVATE_TABLES = load_private_tables(PRIVATE_TABLES_PATH)


def registered_tables() -> list[PrivateTable]:
    """Every table that holds a member id, in erase order."""
    return sorted(PRIVATE_TABLES, key=lambda t: (t.order, t.table))
