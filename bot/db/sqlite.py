"""The SQLite backend: one aiosqlite connection, numbered migrations, and serialised transactions.

Why a lock: aiosqlite runs one connection on one thread, and SQLite transactions belong to the
connection, not the coroutine. Without the lock, a statement from one coroutine could land inside
another coroutine's open transaction. Every statement therefore goes through :class:`SqliteDatabase`.
PRAGMAs (WAL, foreign keys, the busy timeout, ``user_version``) live here and nowhere else.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

import bot.db.base as base
from bot.clock import to_db
from bot.db.base import Database, Migration, Params, Row, Tx

__all__ = ["BUSY_TIMEOUT_MS", "SqliteDatabase", "SqliteTx"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# SQLite itself waits only briefly for another process's write lock. Longer waits happen here, between
# tries and outside the connection lock, so reads and other callers keep going meanwhile, and each
# caller waits as long as it can afford: see bot.db.base.write_wait().
BUSY_TIMEOUT_MS = 200


def _busy(exc: BaseException) -> bool:
    """Another connection holds the lock (the statement did nothing and may be tried again)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class _Backoff:
    """Waits between tries for another process's write lock: doubling from 20 ms to 0.5 s, until the
    current write wait (:func:`bot.db.base.write_wait`) would be overrun."""

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._deadline = self._loop.time() + base.current_write_wait()
        self._delay = 0.02

    def may_retry(self, exc: BaseException) -> bool:
        """True when ``exc`` is a busy lock and one more wait still fits before the deadline."""
        return _busy(exc) and self._loop.time() + self._delay <= self._deadline

    async def sleep(self) -> None:
        """Wait before the next try (call it outside the connection lock)."""
        await asyncio.sleep(self._delay)
        self._delay = min(self._delay * 2, 0.5)


async def _settle(task: asyncio.Future[Any]) -> asyncio.CancelledError | None:
    """Wait for ``task`` to finish even if the caller is cancelled meanwhile.

    The statement runs on aiosqlite's thread whatever happens to the awaiting coroutine, so giving
    up early would only hide its outcome. Returns the caller's cancellation (to re-raise once the
    outcome is handled), or ``None``; the task's own result or error stays on the task.
    """
    caught: asyncio.CancelledError | None = None
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError as exc:
            if task.cancelled():
                break
            caught = exc
        except Exception:
            pass  # the error stays on the task for the caller to inspect
    return caught


class SqliteTx(Tx):
    """The handle a transaction body uses on SQLite. Only valid inside ``async with db.transaction()``."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows changed."""
        cursor = await self._conn.execute(sql, params)
        return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT and return the new row's id (``RETURNING id``, as on PostgreSQL)."""
        cursor = await self._conn.execute(base.returning_id(sql), params)
        rows = list(await cursor.fetchall())  # to the end: the statement is finished before the id is trusted
        if not rows:
            raise RuntimeError("INSERT produced no row id")
        return int(rows[0][0])

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter row."""
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row or ``None``."""
        cursor = await self._conn.execute(sql, params)
        row: Row | None = await cursor.fetchone()
        return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row (also of a write with ``RETURNING``).

        One call on aiosqlite's thread runs the statement and reads it to the end, so a caller cancelled
        meanwhile never leaves a half-read statement open, which would make the next COMMIT fail.
        """
        return list(await self._conn.execute_fetchall(sql, params))


class SqliteDatabase(Database):
    """The single connection to the bot's SQLite file."""

    backend = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path
        self.where = str(path)

    @classmethod
    def handles(cls, target: Path | str) -> bool:
        """Any file path (anything that is not a URL)."""
        return isinstance(target, Path) or "://" not in target

    @classmethod
    async def connect(cls, target: Path | str) -> SqliteDatabase:
        """Open the file at ``target`` (creating its folder and the file if needed)."""
        path = Path(target)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so Python's sqlite3 never opens
        # a transaction behind our back.
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            # Not a database (or unreadable): close, or aiosqlite's worker thread keeps the process alive.
            await conn.close()
            raise
        return cls(conn, path)

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

    # -- migrations -------------------------------------------------------------------------
    async def schema_version(self) -> int:
        """The number of the last applied migration (``PRAGMA user_version``)."""
        async with self._lock:
            cursor = await self._conn.execute("PRAGMA user_version")
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, migrations: list[Migration] | None = None, *, target: int | None = None) -> int:
        """Apply pending migrations (up to ``target``) in one transaction; return the new version."""
        migrations = base.load_migrations() if migrations is None else migrations
        current = await self.schema_version()
        pending = [m for m in migrations if m.version > current and (target is None or m.version <= target)]
        if not pending:
            return current
        # executescript commits any open transaction first and then runs the script as written, so
        # opening BEGIN inside it and committing after the bookkeeping makes all pending files one
        # atomic step. user_version lives in the database header and is covered by the same
        # transaction; PRAGMA takes no parameters, so the (integer) version is formatted in.
        script = "BEGIN IMMEDIATE;\n" + "\n".join(m.sql.rstrip().rstrip(";") + ";" for m in pending)

        applied_at = to_db(datetime.now(UTC))

        async def apply() -> None:
            try:
                await self._conn.executescript(script)
                await self._conn.executemany(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [(m.version, m.name, applied_at) for m in pending],
                )
                await self._conn.execute(f"PRAGMA user_version = {int(pending[-1].version)}")
                await self._conn.commit()
            except BaseException:
                if self._conn.in_transaction:
                    await self._conn.rollback()
                raise

        with base.write_wait(max(base.current_write_wait(), 30.0)):  # start-up can wait for a backup to finish
            await self._retrying(apply)
        log.info("database migrated from version %d to %d", current, pending[-1].version)
        return pending[-1].version

    # -- statements -------------------------------------------------------------------------
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """Run the body atomically. ``BEGIN IMMEDIATE`` takes the write lock up front.

        BEGIN and COMMIT run to completion even if the caller is cancelled meanwhile, and any
        failure (a cancelled body, a refused COMMIT) ends in a rollback: the one connection must
        never be left inside a transaction, or every later write would fail or go uncommitted.
        """
        backoff = _Backoff()
        while True:
            async with self._lock:
                await self._heal()
                try:
                    await self._begin()
                except sqlite3.OperationalError as exc:
                    if not backoff.may_retry(exc):
                        raise
                else:
                    try:
                        yield SqliteTx(self._conn)
                    except BaseException:
                        await self._rollback()
                        raise
                    await self._commit()
                    return
            await backoff.sleep()  # outside the lock: others read and write meanwhile

    async def _retrying(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run ``work`` under the connection lock, trying again while another process holds the write lock."""
        backoff = _Backoff()
        while True:
            async with self._lock:
                await self._heal()
                try:
                    return await work()
                except sqlite3.OperationalError as exc:
                    if not backoff.may_retry(exc):
                        raise
            await backoff.sleep()

    async def _begin(self) -> None:
        begin = asyncio.ensure_future(self._statement("BEGIN IMMEDIATE"))
        cancelled = await _settle(begin)
        if cancelled is not None:
            # SQLite may have opened the transaction after our caller gave up waiting for the
            # write lock; nobody would ever close it.
            await self._rollback()
            raise cancelled
        begin.result()

    async def _commit(self) -> None:
        commit = asyncio.ensure_future(self._statement("COMMIT"))
        cancelled = await _settle(commit)
        if commit.cancelled() or commit.exception() is not None:
            # A refused COMMIT (full disk, a deferred constraint, a busy reader) leaves the
            # transaction open in SQLite; undo it so the connection stays usable.
            await self._rollback()
            if cancelled is not None:
                raise cancelled
            commit.result()
        if cancelled is not None:
            raise cancelled  # committed: the write stands, the caller still learns it was cancelled

    async def _rollback(self) -> None:
        """Roll back whatever is open, even while being cancelled; a failed rollback is logged."""
        if not self._conn.in_transaction:
            return
        rollback = asyncio.ensure_future(self._statement("ROLLBACK"))
        cancelled = await _settle(rollback)
        if not rollback.cancelled() and rollback.exception() is not None:
            log.error("rollback failed: %s", rollback.exception())
        if cancelled is not None:
            raise cancelled

    async def _heal(self) -> None:
        # Defence in depth: a transaction found open when another begins was leaked by some path
        # outside transaction(); rolling it back loses only unfinished work, never a commit.
        if self._conn.in_transaction:
            log.error("a database transaction was left open; rolling it back")
            await self._rollback()

    async def _statement(self, sql: str) -> None:
        await self._conn.execute(sql)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement on its own (autocommit); return the rows changed."""

        async def run() -> int:
            cursor = await self._conn.execute(sql, params)
            return cursor.rowcount

        return await self._retrying(run)

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT on its own and return the new row id."""
        return await self._retrying(lambda: SqliteTx(self._conn).insert(sql, params))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many rows in one transaction."""
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row or ``None``."""
        async with self._lock:
            return await SqliteTx(self._conn).fetchone(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row."""
        async with self._lock:
            return await SqliteTx(self._conn).fetchall(sql, params)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """Return the first column of the first row, or ``None``."""
        async with self._lock:
            return await SqliteTx(self._conn).fetchval(sql, params)

    async def foreign_keys(self, table: str) -> set[str]:
        """The tables ``table``'s foreign keys point at."""
        rows = await self.fetchall('SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)', (table,))
        return {r[0] for r in rows}

    async def table_columns(self) -> dict[str, list[str]]:
        """Every user table and its columns; used by the privacy coverage test and ``--check``."""
        tables = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        result: dict[str, list[str]] = {}
        for row in tables:
            cols = await self.fetchall("SELECT name FROM pragma_table_info(?)", (row["name"],))
            result[row["name"]] = [c["name"] for c in cols]
        return result
