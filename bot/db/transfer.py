"""``migrate-to-postgres``: copy a SQLite database into an empty PostgreSQL one, then check every table's rows.

Both ends are brought to the latest schema first (the SQLite file is migrated as a bot start would), so
the tables and columns agree by construction; the copy refuses a PostgreSQL database that already holds
rows, and runs in one transaction, so a failure leaves it as empty as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.db.postgres import PostgresDatabase
from bot.db.sqlite import SqliteDatabase

__all__ = ["TransferError", "TransferReport", "copy_to_postgres"]

log = logging.getLogger(__name__)

# Bookkeeping each side writes for itself when it migrates.
_OWN_ROWS = frozenset({"schema_migrations"})


class TransferError(RuntimeError):
    """The copy was refused or did not verify; the message says why, in words for an operator."""


@dataclass(frozen=True, slots=True)
class TransferReport:
    """Rows copied per table (equal on both sides: the copy verified them)."""

    rows: dict[str, int]

    @property
    def total(self) -> int:
        """Rows copied in all."""
        return sum(self.rows.values())


async def copy_to_postgres(sqlite_path: Path, url: str) -> TransferReport:
    """Copy every Kindred table from the SQLite file at ``sqlite_path`` into the PostgreSQL database at ``url``."""
    source = await SqliteDatabase.connect(sqlite_path)
    try:
        target = await PostgresDatabase.connect(url)
        try:
            return await _copy(source, target)
        finally:
            await target.close()
    finally:
        await source.close()


async def _copy(source: SqliteDatabase, target: PostgresDatabase) -> TransferReport:
    await source.migrate()
    await target.migrate()
    tables = await source.table_columns()
    if tables != await target.table_columns():
        raise TransferError("the SQLite and PostgreSQL schemas differ; is the PostgreSQL database Kindred's?")
    names = [t for t in await _parents_first(source, list(tables)) if t not in _OWN_ROWS]
    for table in names:
        if await target.exists(f'SELECT 1 FROM "{table}" LIMIT 1'):
            raise TransferError(f"the PostgreSQL database already holds rows (in {table}); copy only into an empty one")
    data = {}
    for table in names:
        columns = tables[table]
        column_list = ", ".join(f'"{c}"' for c in columns)
        rows = await source.fetchall(f'SELECT {column_list} FROM "{table}"')
        data[table] = (columns, [tuple(row[i] for i in range(len(columns))) for row in rows])
    await target.load_tables(data)
    counts: dict[str, int] = {}
    for table in names:
        copied = int(await source.fetchval(f'SELECT count(*) FROM "{table}"'))
        landed = int(await target.fetchval(f'SELECT count(*) FROM "{table}"'))
        if copied != landed:
            raise TransferError(f"{table}: {copied} rows in SQLite but {landed} in PostgreSQL")
        counts[table] = landed
    log.info("copied %d rows in %d tables into PostgreSQL", sum(counts.values()), len(counts))
    return TransferReport(counts)


async def _parents_first(source: SqliteDatabase, tables: list[str]) -> list[str]:
    """``tables`` ordered so that every table comes after the tables its foreign keys point at."""
    parents: dict[str, set[str]] = {}
    for table in tables:
        rows = await source.foreign_keys(table)
        parents[table] = {r for r in rows if r != table}
    ordered: list[str] = []
    placed: set[str] = set()
    while len(ordered) < len(tables):
        ready = sorted(t for t in tables if t not in placed and parents[t] <= placed)
        if not ready:
            raise TransferError("the tables' foreign keys form a circle; copy by hand")
        ordered.extend(ready)
        placed.update(ready)
    return ordered
