"""The privacy registry: every table that holds a member id says so here.

Each feature's store module registers its tables at import time. ``/privacy export`` and
``/privacy delete`` walk this registry, so a feature cannot forget a member's data, and a test
fails if any table has a member-id column (named ``user_id`` or ``*_user_id``) that is not covered.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PrivateTable", "register_private_table", "registered_tables"]


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


_REGISTRY: dict[str, PrivateTable] = {}


def register_private_table(entry: PrivateTable) -> PrivateTable:
    """Add (or replace, on module reload) a table in the registry."""
    _REGISTRY[entry.table] = entry
    return entry


def registered_tables() -> list[PrivateTable]:
    """Every registered table, in erase order."""
    return sorted(_REGISTRY.values(), key=lambda t: (t.order, t.table))


register_private_table(
    PrivateTable(
        "member_prefs",
        ("user_id",),
        "your time zone, hotline region, and whether your DMs were closed the last time we tried",
        "only you",
    )
)
register_private_table(
    PrivateTable(
        "timers",
        ("user_id",),
        "upcoming reminders the bot will send you",
        "only you",
        guild_column="guild_id",
    )
)
register_private_table(
    PrivateTable(
        "member_interests",
        ("user_id",),
        "the interests you follow and whether you asked for room notices",
        "you; hosts see only that a room was announced to followers",
    )
)
register_private_table(
    PrivateTable(
        "departures",
        ("user_id",),
        "the date you left a server, so your data can be erased after the retention period",
        "only the bot",
        guild_column="guild_id",
    )
)
