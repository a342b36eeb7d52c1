"""Retention beyond single departures: members who left while the bot was offline, and servers that removed it.

SQL over the privacy registry and the schema, like :mod:`bot.privacy_ops`; the cog decides when to call it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from bot.clock import from_db, to_db
from bot.db import Database
from bot.privacy import registered_tables
from bot.privacy_ops import erase_member, other_departures

__all__ = [
    "GUILD_PURGE_KIND",
    "all_guild_departures",
    "clear_guild_departure",
    "erase_guild",
    "guild_purge_key",
    "members_with_data",
    "note_departure",
    "record_guild_departure",
]

log = logging.getLogger(__name__)

GUILD_PURGE_KIND = "privacy-guild-purge"


def guild_purge_key(guild_id: int) -> str:
    """Dedupe key of a server's pending purge."""
    return f"{GUILD_PURGE_KIND}:{guild_id}"


def _member_columns(schema: dict[str, list[str]]) -> Iterable[tuple[str, str, str]]:
    """(table, server column, member column) of every registered server-scoped member column in ``schema``."""
    for entry in registered_tables():
        columns = schema.get(entry.table, [])
        if entry.guild_column is None or entry.guild_column not in columns:
            continue
        for column in entry.user_columns:
            if column in columns:
                yield entry.table, entry.guild_column, column


async def members_with_data(db: Database, guild_id: int) -> set[int]:
    """Every member id Kindred holds server-scoped rows for in ``guild_id``."""
    found: set[int] = set()
    for table, guild_column, column in _member_columns(await db.table_columns()):
        # Table and column names come from the registry (code constants), never from values.
        rows = await db.fetchall(
            f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{guild_column}" = ? AND "{column}" IS NOT NULL',
            (guild_id,),
        )
        found.update(int(r[0]) for r in rows)
    return found


async def note_departure(db: Database, guild_id: int, user_id: int, left_at: datetime) -> bool:
    """Record a departure noticed late (keeping an earlier one); True if it is new.

    The member must still hold data in the server when the departure is written, checked in the same
    transaction: a retention purge that ran since the audit listed them has nothing left to keep, and must
    not be followed by a fresh departure and a second retention period.
    """
    member_columns = list(_member_columns(await db.table_columns()))
    async with db.transaction() as tx:
        for table, guild_column, column in member_columns:
            if await tx.exists(
                f'SELECT 1 FROM "{table}" WHERE "{guild_column}" = ? AND "{column}" = ? LIMIT 1', (guild_id, user_id)
            ):
                break
        else:
            return False
        changed = await tx.execute(
            "INSERT INTO departures (guild_id, user_id, left_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, user_id, to_db(left_at)),
        )
    return changed == 1


async def record_guild_departure(db: Database, guild_id: int, left_at: datetime) -> None:
    """The bot was removed from a server (an earlier removal still pending keeps its date)."""
    await db.execute(
        "INSERT INTO guild_departures (guild_id, left_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (guild_id, to_db(left_at)),
    )


async def clear_guild_departure(db: Database, guild_id: int) -> bool:
    """The bot was added back: nothing is erased. True if a removal was on record."""
    return await db.execute("DELETE FROM guild_departures WHERE guild_id = ?", (guild_id,)) > 0


async def all_guild_departures(db: Database) -> list[tuple[int, datetime]]:
    """Every server that removed the bot and is still within its retention period."""
    rows = await db.fetchall("SELECT guild_id, left_at FROM guild_departures ORDER BY guild_id")
    return [(int(r["guild_id"]), from_db(r["left_at"])) for r in rows]


async def erase_guild(db: Database, guild_id: int, *, still_present: Iterable[int]) -> int:
    """Erase everything about a server that removed the bot; returns the rows removed.

    Members who share no other server with the bot (``still_present`` lists those who do) and are not
    inside another server's retention period lose their personal data too, as a departed member would.
    """
    if not await db.exists("SELECT 1 FROM guild_departures WHERE guild_id = ?", (guild_id,)):
        return 0  # added back meanwhile
    present = set(still_present)
    removed = 0
    for user_id in sorted(await members_with_data(db, guild_id)):
        personal = user_id not in present and not await other_departures(db, user_id, guild_id)
        report = await erase_member(db, user_id, guild_id=None if personal else guild_id, include_personal=personal)
        removed += report.total
    schema = await db.table_columns()
    async with db.transaction() as tx:
        for table, columns in sorted(schema.items()):
            if "guild_id" in columns and table != "guild_departures":
                # Names come from the database's own schema; children go by ON DELETE CASCADE.
                removed += await tx.execute(f'DELETE FROM "{table}" WHERE guild_id = ?', (guild_id,))
        await tx.execute("DELETE FROM guild_departures WHERE guild_id = ?", (guild_id,))
    log.info("erased %d rows of server %s, which removed the bot", removed, guild_id)
    return removed
