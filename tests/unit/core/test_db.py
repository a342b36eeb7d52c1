"""The SQLite backend: pragmas, numbered migrations applied atomically, and serialised transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot.db import BUSY_TIMEOUT_MS, Database, Migration, load_migrations, write_wait
from bot.db.errors import closed_under_us

# These tests read SQLite's file, PRAGMAs and locks directly; tests/unit/core/test_postgres.py covers PostgreSQL.
pytestmark = pytest.mark.sqlite_only


async def test_pragmas_are_wal_foreign_keys_and_busy_timeout(db: Database) -> None:
    assert (await db.fetchval("PRAGMA journal_mode")).lower() == "wal"
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    assert await db.fetchval("PRAGMA busy_timeout") == BUSY_TIMEOUT_MS


async def test_exists_says_whether_a_query_finds_a_row(db: Database) -> None:
    await db.execute("INSERT INTO member_prefs (user_id, timezone, created_at) VALUES (42, NULL, 'x')")
    # A row whose only column is NULL still exists.
    assert await db.exists("SELECT timezone FROM member_prefs WHERE user_id = ?", (42,))
    assert not await db.exists("SELECT 1 FROM member_prefs WHERE user_id = ?", (43,))
    async with db.transaction() as tx:
        assert await tx.exists("SELECT 1 FROM member_prefs WHERE user_id = ?", (42,))


async def test_migrations_are_tracked(db: Database) -> None:
    latest = load_migrations()[-1].version
    assert await db.schema_version() == latest
    rows = await db.fetchall("SELECT version FROM schema_migrations ORDER BY version")
    assert [r[0] for r in rows] == [m.version for m in load_migrations()]


async def test_migrating_an_older_database_keeps_its_rows(db_path: Path) -> None:
    db = await Database.open(db_path)
    assert await db.migrate(target=1) == 1
    await db.execute(
        "INSERT INTO guild_settings (guild_id, key, value, updated_at) VALUES (1, 'region', '\"UK\"', 'x')"
    )
    await db.execute("INSERT INTO member_prefs (user_id, timezone, created_at) VALUES (42, 'Europe/London', 'x')")
    await db.close()

    reopened = await Database.open(db_path)
    try:
        assert await reopened.migrate() == load_migrations()[-1].version
        assert await reopened.fetchval("SELECT value FROM guild_settings WHERE guild_id = 1") == '"UK"'
        assert await reopened.fetchval("SELECT timezone FROM member_prefs WHERE user_id = 42") == "Europe/London"
    finally:
        await reopened.close()


async def test_a_failing_migration_applies_nothing(db_path: Path) -> None:
    db = await Database.open(db_path)
    try:
        good = load_migrations()[:1]
        broken = [*good, Migration(99, "broken", "CREATE TABLE fine (x INTEGER);\nTHIS IS NOT SQL;")]
        with pytest.raises(Exception, match="syntax error"):
            await db.migrate(broken)
        assert await db.schema_version() == 0
        assert await db.fetchval("SELECT count(*) FROM sqlite_master WHERE name IN ('fine', 'guild_settings')") == 0
    finally:
        await db.close()


async def test_database_folder_is_created(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "nested" / "deeper" / "k.db")
    await db.close()
    assert (tmp_path / "nested" / "deeper" / "k.db").exists()


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (1, 'x')")
            raise RuntimeError("boom")
    assert await db.fetchval("SELECT count(*) FROM member_prefs") == 0


async def test_concurrent_transactions_do_not_interleave(db: Database) -> None:
    """Two coroutines each read-then-write a counter; serialisation means no update is lost."""
    await db.execute("INSERT INTO member_prefs (user_id, region, created_at) VALUES (1, '0', 'x')")

    async def bump() -> None:
        async with db.transaction() as tx:
            value = int(await tx.fetchval("SELECT region FROM member_prefs WHERE user_id = 1"))
            await asyncio.sleep(0)  # give the other coroutine every chance to interleave
            await tx.execute("UPDATE member_prefs SET region = ? WHERE user_id = 1", (str(value + 1),))

    await asyncio.gather(*(bump() for _ in range(20)))
    assert await db.fetchval("SELECT region FROM member_prefs WHERE user_id = 1") == "20"


def test_migration_files_have_a_reason_on_the_first_line() -> None:
    for migration in load_migrations():
        assert migration.sql.startswith("-- "), f"{migration.version:04d}_{migration.name}.sql needs a reason"


def test_migration_numbers_run_from_one_without_gaps(tmp_path: Path) -> None:
    assert [m.version for m in load_migrations()] == list(range(1, len(load_migrations()) + 1))
    for name in ("0001_a.sql", "0003_c.sql"):
        (tmp_path / name).write_text("-- test\nSELECT 1;")
    with pytest.raises(RuntimeError, match="without gaps"):
        load_migrations(tmp_path)


def _visible_elsewhere(path: Path, sql: str) -> object:
    """Read through a second, independent connection: only committed rows are visible there."""
    with closing(sqlite3.connect(path)) as other:
        return other.execute(sql).fetchone()[0]


async def test_a_begin_cancelled_while_waiting_for_the_lock_leaves_the_connection_usable(db: Database) -> None:
    blocker = sqlite3.connect(db.path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock

        async def write() -> None:
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (1, 'x')")

        task = asyncio.create_task(write())
        for _ in range(5):  # let BEGIN IMMEDIATE reach SQLite, where it waits for the lock
            await asyncio.sleep(0)
        task.cancel()
        blocker.execute("COMMIT")  # the lock frees: SQLite now opens the cancelled caller's BEGIN
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        blocker.close()

    await db.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (2, 'x')")
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (3, 'x')")
    assert _visible_elsewhere(db.path, "SELECT group_concat(user_id) FROM member_prefs") == "2,3"


async def test_a_failed_commit_is_rolled_back(db: Database) -> None:
    # A deferred foreign key fails at COMMIT, which (like a full disk) leaves SQLite's transaction open.
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await tx.execute("PRAGMA defer_foreign_keys = ON")
            await tx.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (1, 'x')")
            await tx.execute("INSERT INTO member_interests (interest_id, user_id) VALUES (999, 1)")
    assert await db.fetchval("SELECT count(*) FROM member_prefs") == 0
    await db.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (2, 'x')")
    assert _visible_elsewhere(db.path, "SELECT group_concat(user_id) FROM member_prefs") == "2"


async def test_a_full_disk_fails_the_write_and_the_next_one_works_once_space_returns(db: Database) -> None:
    pages = await db.fetchval("PRAGMA page_count")
    await db.execute(f"PRAGMA max_page_count = {int(pages)}")  # the file may not grow: a full disk
    with pytest.raises(sqlite3.OperationalError, match="full"):
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO member_prefs (user_id, region, created_at) VALUES (?, ?, 'x')",
                [(i, "x" * 500) for i in range(200)],
            )
    await db.execute("PRAGMA max_page_count = 1073741823")
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (7, 'x')")
    assert _visible_elsewhere(db.path, "SELECT group_concat(user_id) FROM member_prefs") == "7"


async def test_a_write_waits_for_another_processs_lock_without_blocking_reads(db: Database) -> None:
    blocker = sqlite3.connect(db.path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        with write_wait(0.2), pytest.raises(sqlite3.OperationalError, match="locked"):
            await db.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (1, 'x')")
        waiting = asyncio.create_task(db.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (2, 'x')"))
        await asyncio.sleep(0)
        assert await db.fetchval("SELECT count(*) FROM member_prefs") == 0  # reads go on meanwhile
        assert not waiting.done()
        blocker.execute("COMMIT")  # the other process is done: the waiting write goes through
        assert await waiting == 1
    finally:
        blocker.close()
    assert _visible_elsewhere(db.path, "SELECT group_concat(user_id) FROM member_prefs") == "2"


async def test_a_statement_after_close_says_the_database_closed_under_it(db_path: Path) -> None:
    db = await Database.open(db_path)
    await db.migrate()
    await db.close()
    with pytest.raises(Exception) as caught:
        await db.fetchall("SELECT user_id FROM member_prefs")
    assert closed_under_us(caught.value)
    assert not closed_under_us(ValueError("invalid literal for int()"))
