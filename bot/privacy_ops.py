"""Export, erase and retention for a member's data, driven by the :mod:`bot.privacy` registry.

Nothing here knows a feature's tables by name: :mod:`bot.privacy` lists them, and these
functions walk that list. Table and column names come from that registry (code constants) and
are checked against the live schema before being quoted into SQL; values are always ``?``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.clock import from_db, to_db
from bot.db import Database, Tx
from bot.i18n import _
from bot.privacy import PrivateTable, registered_tables

__all__ = [
    "RETENTION_KIND",
    "EraseHook",
    "EraseReport",
    "MemberSummary",
    "clear_departure",
    "count_member_rows",
    "departure_of",
    "departures_in",
    "erase_member",
    "export_member",
    "is_member_column",
    "other_departures",
    "purge_departed",
    "record_departure",
    "retention_due",
    "retention_key",
    "run_erase_hooks",
]

log = logging.getLogger(__name__)

RETENTION_KIND = "privacy-retention"
EXPORT_FORMAT = 1

EraseHook = Callable[[int, int | None], Awaitable[None]]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def is_member_column(column: str) -> bool:
    """The naming convention for columns that hold a Discord member id."""
    return column == "user_id" or column.endswith("_user_id")


def _q(name: str) -> str:
    """Quote an identifier from the registry (refusing anything that isn't a plain name)."""
    if not _IDENT.match(name):
        raise ValueError(f"unsafe identifier in the privacy registry: {name!r}")
    return f'"{name}"'


async def _live_tables(db: Database) -> list[PrivateTable]:
    """Registered tables that exist with every registered column (logging any that don't)."""
    schema = await db.table_columns()
    usable = []
    for entry in registered_tables():
        columns = schema.get(entry.table)
        needed = [*entry.user_columns, *([entry.guild_column] if entry.guild_column else [])]
        if columns is None or any(c not in columns for c in needed):
            log.warning("privacy registry entry %r doesn't match the schema; skipped", entry.table)
            continue
        usable.append(entry)
    return usable


def _user_match(entry: PrivateTable, user_id: int) -> tuple[str, list[Any]]:
    condition = " OR ".join(f"{_q(c)} = ?" for c in entry.user_columns)
    return f"({condition})", [user_id] * len(entry.user_columns)


def _jsonable(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes | bytearray) else value


# What an export shows instead of another member's id: a row the member shares with someone else
# (an alert a helper claimed, a claim about someone) is theirs, but the other person's identity is not.
OTHER_MEMBER = "(another member)"


def _export_value(entry: PrivateTable, column: str, value: Any, user_id: int) -> Any:
    """A row's value for the member's own export, with anyone else's member id redacted.

    ``referenced_columns`` are the member's own choices about someone (their do-not-pair list), so
    those ids stay: the list is theirs to see.
    """
    theirs = column in entry.referenced_columns
    if value is not None and value != user_id and is_member_column(column) and not theirs:
        return OTHER_MEMBER
    return _jsonable(value)


@dataclass(frozen=True, slots=True)
class MemberSummary:
    """One kind of data for ``/privacy show``: what it is, who sees it, how many rows we hold."""

    table: str
    what: str
    who_sees: str
    count: int


async def count_member_rows(db: Database, user_id: int) -> list[MemberSummary]:
    """How many rows of each registered kind hold the member's id."""
    result = []
    for entry in await _live_tables(db):
        where, params = _user_match(entry, user_id)
        count = await db.fetchval(f"SELECT COUNT(*) FROM {_q(entry.table)} WHERE {where}", params)
        result.append(MemberSummary(entry.table, entry.what, entry.who_sees, int(count or 0)))
    return result


async def export_member(db: Database, user_id: int, *, now: datetime) -> dict[str, Any]:
    """Every row holding the member's id, across every registered table, as JSON-ready data.

    Another member's id in a shared row (who claimed an alert about them, whom they helped) is
    replaced by :data:`OTHER_MEMBER`: an export holds nothing of anyone else's. The keys (table and
    column names, ``what``, ``who_sees``, ``rows``) stay the same in every language for programs to read;
    only the plain-words ``what`` and ``who_sees`` are in the current locale, for the member.
    """
    tables: dict[str, Any] = {}
    for entry in await _live_tables(db):
        where, params = _user_match(entry, user_id)
        rows = await db.fetchall(f"SELECT * FROM {_q(entry.table)} WHERE {where}", params)
        tables[entry.table] = {
            "what": _(entry.what),
            "who_sees": _(entry.who_sees),
            "rows": [
                {k: _export_value(entry, k, row[k], user_id) for k in row.keys()}  # noqa: SIM118 - Row isn't a Mapping
                for row in rows
            ],
        }
    return {"format": EXPORT_FORMAT, "user_id": user_id, "exported_at": to_db(now), "tables": tables}


@dataclass
class EraseReport:
    """Rows removed per table by one erasure."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """All rows removed."""
        return sum(self.rows.values())


async def _erase_in(
    tx: Tx, entries: list[PrivateTable], user_id: int, guild_id: int | None, personal: bool
) -> EraseReport:
    report = EraseReport()
    for entry in entries:
        where, params = _user_match(entry, user_id)
        if guild_id is None:
            scope, scope_params = "", []
        elif entry.guild_column is not None:
            column = _q(entry.guild_column)
            # Rows with no server (e.g. a DM-only timer) are personal data.
            scope = f" AND ({column} = ?" + (f" OR {column} IS NULL)" if personal else ")")
            scope_params = [guild_id]
        elif entry.guild_filter is not None:
            scope, scope_params = f" AND ({entry.guild_filter})", [guild_id]
        elif personal:
            scope, scope_params = "", []
        else:
            continue
        changed = await tx.execute(f"DELETE FROM {_q(entry.table)} WHERE {where}{scope}", [*params, *scope_params])
        if changed:
            report.rows[entry.table] = changed
    return report


async def erase_member(
    db: Database, user_id: int, *, guild_id: int | None = None, include_personal: bool = True
) -> EraseReport:
    """Erase the member's rows in one transaction.

    ``guild_id=None`` erases everything everywhere (``/privacy delete``). With a ``guild_id`` only
    that server's rows go, plus personal rows (preferences, DM-only items) if ``include_personal``.
    """
    entries = await _live_tables(db)
    async with db.transaction() as tx:
        report = await _erase_in(tx, entries, user_id, guild_id, include_personal)
    log.info("erased %d rows for a member (guild %s, personal %s)", report.total, guild_id, include_personal)
    return report


async def run_erase_hooks(hooks: Mapping[str, EraseHook], user_id: int, guild_id: int | None) -> list[str]:
    """Let features tell partners or hosts, neutrally, before erasure. Returns hooks that failed.

    A failing hook is logged and skipped: a member's erasure must never be blocked by a feature.
    """
    failed = []
    for name, hook in list(hooks.items()):
        try:
            await hook(user_id, guild_id)
        except Exception:
            log.exception("erase hook %r failed; erasing anyway", name)
            failed.append(name)
    return failed


# -- retention ------------------------------------------------------------------------------------
def retention_key(guild_id: int, user_id: int) -> str:
    """Dedupe key of the member's pending retention timer in one server."""
    return f"{RETENTION_KIND}:{guild_id}:{user_id}"


def retention_due(left_at: datetime, retention_days: int) -> datetime:
    """When a departed member's server data is erased."""
    return left_at + timedelta(days=retention_days)


async def record_departure(db: Database, guild_id: int, user_id: int, left_at: datetime) -> None:
    """Remember that a member left (the latest departure wins)."""
    await db.execute(
        "INSERT INTO departures (guild_id, user_id, left_at) VALUES (?, ?, ?) "
        "ON CONFLICT (guild_id, user_id) DO UPDATE SET left_at = excluded.left_at",
        (guild_id, user_id, to_db(left_at)),
    )


async def clear_departure(db: Database, guild_id: int, user_id: int) -> bool:
    """The member came back: forget the departure. True if there was one."""
    return await db.execute("DELETE FROM departures WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)) > 0


async def departure_of(db: Database, guild_id: int, user_id: int) -> datetime | None:
    """When the member left the server, if they are recorded as gone."""
    value = await db.fetchval("SELECT left_at FROM departures WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))
    return None if value is None else from_db(value)


async def departures_in(db: Database, guild_id: int) -> list[tuple[int, datetime]]:
    """Every departed member of a server still inside the retention period, with when they left."""
    rows = await db.fetchall("SELECT user_id, left_at FROM departures WHERE guild_id = ? ORDER BY user_id", (guild_id,))
    return [(int(r["user_id"]), from_db(r["left_at"])) for r in rows]


async def all_departures(db: Database) -> list[tuple[int, int, datetime]]:
    """Every recorded departure as (guild, member, when they left): each needs a retention timer."""
    rows = await db.fetchall("SELECT guild_id, user_id, left_at FROM departures ORDER BY guild_id, user_id")
    return [(int(r["guild_id"]), int(r["user_id"]), from_db(r["left_at"])) for r in rows]


async def other_departures(db: Database, user_id: int, guild_id: int) -> list[int]:
    """Other servers the member left whose retention period is still running."""
    rows = await db.fetchall(
        "SELECT guild_id FROM departures WHERE user_id = ? AND guild_id != ? ORDER BY guild_id", (user_id, guild_id)
    )
    return [int(r["guild_id"]) for r in rows]


async def purge_departed(
    db: Database,
    hooks: Mapping[str, EraseHook],
    guild_id: int,
    user_id: int,
    *,
    shares_a_server: bool,
) -> EraseReport | None:
    """Erase a departed member's data for one server once the retention period has passed.

    Personal data (preferences and the like) goes too, but only if the member shares no other
    server with the bot and isn't inside another server's retention period. Returns ``None`` when
    the departure is gone (they came back), so nothing is erased.
    """
    if await departure_of(db, guild_id, user_id) is None:
        return None
    personal = not shares_a_server and not await other_departures(db, user_id, guild_id)
    await run_erase_hooks(hooks, user_id, None if personal else guild_id)
    return await erase_member(db, user_id, guild_id=guild_id, include_personal=personal)
