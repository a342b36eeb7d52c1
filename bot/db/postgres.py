"""The PostgreSQL backend, through asyncpg: a connection pool, the same migrations, the same transactions.

The store's SQL is written once (``?`` parameters, portable statements); :mod:`bot.db.dialect` numbers the
parameters and translates the migration files. Three guarantees match the SQLite backend:

- **Writes never interleave.** Every write (a transaction, or one statement on its own) first takes one
  transaction-level advisory lock, as SQLite's ``BEGIN IMMEDIATE`` takes its one write lock. Repository
  bodies that read and then write on what they read stay correct, and no transaction can deadlock or
  fail serialization against another: there is nothing to retry. Reads take no lock.
- **A busy database says so in time.** The wait for that lock is bounded by the caller's write wait
  (:func:`bot.db.base.write_wait`) through ``lock_timeout``; running out raises asyncpg's
  ``LockNotAvailableError``, which :mod:`bot.db.errors` reads as "busy", like SQLite's "database is locked".
- **One process migrates.** :meth:`PostgresDatabase.migrate` holds a session advisory lock; processes
  starting at the same time wait for it and then find nothing left to apply.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

import bot.db.base as base
from bot.clock import to_db
from bot.db.base import Database, Migration, Params, Row, Tx
from bot.db.dialect import POSTGRES_PREAMBLE, numbered_parameters, postgres_schema

__all__ = ["MIGRATION_LOCK", "WRITE_LOCK", "PostgresDatabase", "PostgresTx"]

log = logging.getLogger(__name__)

# Advisory lock keys (any 64-bit numbers no other program on the same database uses): "Kindred" + a purpose.
MIGRATION_LOCK = 0x4B696E64726564_01
WRITE_LOCK = 0x4B696E64726564_02
_SCHEMES = ("postgresql://", "postgres://")
_STATUS_COUNT = re.compile(r"(\d+)$")


def _storable(params: Params) -> tuple[Any, ...]:
    """``params`` with U+0000 in text replaced by U+FFFD: PostgreSQL text can't hold a NUL character.

    Members can type one (SQLite keeps it); it carries nothing readable, and refusing the whole write over it
    would fail a command for no reason a member could see. Reads and comparisons get the same replacement.
    """
    if not any(isinstance(p, str) and "\x00" in p for p in params):
        return tuple(params)
    return tuple(p.replace("\x00", "\ufffd") if isinstance(p, str) else p for p in params)


def _rows_changed(status: str) -> int:
    """The row count in a command status such as ``UPDATE 3`` or ``INSERT 0 1``."""
    match = _STATUS_COUNT.search(status)
    return int(match.group(1)) if match else 0


class PostgresTx(Tx):
    """The handle a transaction body uses on PostgreSQL: one pooled connection inside one transaction."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows changed."""
        return _rows_changed(await self._conn.execute(numbered_parameters(sql), *_storable(params)))

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new row's id."""
        new_id = await self._conn.fetchval(numbered_parameters(base.returning_id(sql)), *_storable(params))
        if new_id is None:
            raise RuntimeError("INSERT produced no row id")
        return int(new_id)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter row."""
        await self._conn.executemany(numbered_parameters(sql), [_storable(r) for r in rows])

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row or ``None``."""
        row: Row | None = await self._conn.fetchrow(numbered_parameters(sql), *_storable(params))
        return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row."""
        return list(await self._conn.fetch(numbered_parameters(sql), *_storable(params)))


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database (``DATABASE_URL``)."""

    backend = "postgresql"
    skip_locked = " FOR UPDATE SKIP LOCKED"
    POOL_SIZE = 10

    def __init__(self, pool: Any, url: str) -> None:
        self._pool = pool
        # Writers in this process queue here, first come first served, as on SQLite's one connection; only the
        # one at the head waits for the advisory lock, instead of a pooled connection per waiting writer.
        self._write_queue = asyncio.Lock()
        # Writes begun and not yet finished. A read waits for those begun before it, so this process reads its
        # own writes in the order it made them, as on SQLite's one connection (a write handed to a background
        # task and then read back sees itself); reads still run side by side with each other.
        self._writes_in_flight: set[asyncio.Future[None]] = set()
        self.url = url
        self.where = base.redacted_url(url)

    @classmethod
    def handles(cls, target: Path | str) -> bool:
        """``postgresql://`` and ``postgres://`` URLs."""
        return isinstance(target, str) and target.startswith(_SCHEMES)

    @classmethod
    async def connect(cls, target: Path | str) -> PostgresDatabase:
        """Open a connection pool to the database at the URL ``target``."""
        url = str(target)
        pool = await asyncpg.create_pool(url, min_size=1, max_size=cls.POOL_SIZE)
        return cls(pool, url)

    async def close(self) -> None:
        """Close the pool (waiting for connections in use to come back)."""
        await self._pool.close()

    # -- migrations -------------------------------------------------------------------------
    async def schema_version(self) -> int:
        """The number of the last applied migration (0 on an empty database)."""
        async with self._pool.acquire() as conn:
            return await _version(conn)

    async def migrate(self, migrations: list[Migration] | None = None, *, target: int | None = None) -> int:
        """Apply pending migrations (up to ``target``) in one transaction, one process at a time."""
        migrations = base.load_migrations() if migrations is None else migrations
        async with self._pool.acquire() as conn:
            # A session lock, not a transaction lock: a process that waited must read the version only after the
            # one before it committed, so the lock spans reading the version, applying and committing.
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                current = await _version(conn)
                pending = [m for m in migrations if m.version > current and (target is None or m.version <= target)]
                if not pending:
                    return current
                applied_at = to_db(datetime.now(UTC))
                async with conn.transaction():
                    await conn.execute(POSTGRES_PREAMBLE)
                    for migration in pending:
                        await conn.execute(postgres_schema(migration.sql))
                    await conn.executemany(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                        [(m.version, m.name, applied_at) for m in pending],
                    )
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
        log.info("database migrated from version %d to %d", current, pending[-1].version)
        return pending[-1].version

    # -- statements -------------------------------------------------------------------------
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """Run the body atomically, holding the write lock (see the module docstring) from the start."""
        finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._writes_in_flight.add(finished)
        try:
            async with self._write_queue, self._pool.acquire() as conn, conn.transaction():
                # lock_timeout bounds this wait (and only lasts the transaction): out of time, the caller hears
                # "busy" just as on SQLite, instead of waiting past an interaction's deadline.
                await conn.execute(
                    "SELECT set_config('lock_timeout', $1, true)", f"{max(1, int(base.current_write_wait() * 1000))}ms"
                )
                await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
                yield PostgresTx(conn)
        finally:
            self._writes_in_flight.discard(finished)
            finished.set_result(None)

    async def _after_earlier_writes(self) -> None:
        if self._writes_in_flight:
            await asyncio.wait(list(self._writes_in_flight))

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement on its own (in its own write transaction); return the rows changed."""
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT on its own and return the new row's id."""
        async with self.transaction() as tx:
            return await tx.insert(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row or ``None``."""
        await self._after_earlier_writes()
        row: Row | None = await self._pool.fetchrow(numbered_parameters(sql), *_storable(params))
        return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row."""
        await self._after_earlier_writes()
        return list(await self._pool.fetch(numbered_parameters(sql), *_storable(params)))

    async def load_tables(self, data: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> None:
        """Bulk-load rows (``table -> (columns, rows)``, parents first) in one write transaction, with COPY.

        Ids arrive with their rows, so each identity column then continues after the highest copied id.
        """
        async with self._write_queue, self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
            for table, (columns, rows) in data.items():
                if rows:
                    await conn.copy_records_to_table(table, records=[_storable(r) for r in rows], columns=columns)
                if "id" in columns:
                    sequence = await conn.fetchval("SELECT pg_get_serial_sequence($1, 'id')", table)
                    if sequence is not None:
                        # The table name comes from the schema, never from input; setval takes the sequence by name.
                        await conn.execute(
                            f'SELECT setval($1, coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)', sequence
                        )

    async def table_columns(self) -> dict[str, list[str]]:
        """Every table in the connection's schema and its columns, in order."""
        rows = await self._pool.fetch(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        )
        result: dict[str, list[str]] = {}
        for row in rows:
            result.setdefault(row["table_name"], []).append(row["column_name"])
        return result


async def _version(conn: Any) -> int:
    if await conn.fetchval("SELECT to_regclass('schema_migrations')") is None:
        return 0
    return int(await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations"))
