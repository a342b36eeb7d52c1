"""The privacy registry: every table that holds a member id says so here.

Each feature's store module registers its tables at import time. ``/privacy export`` and
``/privacy delete`` walk this registry, so a feature cannot forget a member's data, and a test
fails if any table has a member-id column (named ``user_id`` or ``*_user_id``) that is not covered.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_

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
    # For server-scoped rows that hold no guild column themselves: an SQL condition with exactly one
    # ``?`` (the guild id), e.g. ``interest_id IN (SELECT id FROM interests WHERE guild_id = ?)``.
    # A code constant, never built from values. Used by the retention purge to erase one server's data.
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
        N_("your time zone, hotline region, Discord language, and whether your DMs were closed the last time we tried"),
        N_("only you"),
    )
)
register_private_table(
    PrivateTable(
        "timers",
        ("user_id",),
        N_("upcoming reminders the bot will send you"),
        N_("only you"),
        guild_column="guild_id",
    )
)
register_private_table(
    PrivateTable(
        "member_interests",
        ("user_id",),
        N_("the interests you follow and whether you asked for room notices"),
        N_("you; hosts see only that a room was announced to followers"),
        guild_filter="interest_id IN (SELECT id FROM interests WHERE guild_id = ?)",
    )
)
register_private_table(
    PrivateTable(
        "departures",
        ("user_id",),
        N_("the date you left a server, so your data can be erased after the retention period"),
        N_("only the bot"),
        guild_column="guild_id",
    )
)
