"""The PostgreSQL backend on a real server: the schema agrees with SQLite's, one process migrates, busy says so.

These need the test server (``KINDRED_TEST_DATABASE_URL``, started by ``.ci/run``); on the SQLite run they
are skipped, and every other store test runs on PostgreSQL there through the ``db`` fixture.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from bot.db import Database, PostgresDatabase, load_migrations, write_wait
from bot.db.postgres import MIGRATION_LOCK, WRITE_LOCK
from bot.problems import STORAGE_BUSY, storage_problem
from tests.support.databases import NEEDS_POSTGRES

pytestmark = NEEDS_POSTGRES


async def test_the_two_schemas_have_the_same_tables_and_columns(blank_url: str, tmp_path: Path) -> None:
    sqlite = await Database.open(tmp_path / "k.db")
    postgres = await Database.open(blank_url)
    try:
        assert await sqlite.migrate() == await postgres.migrate() == len(load_migrations())
        assert await postgres.table_columns() == await sqlite.table_columns()
    finally:
        await sqlite.close()
        await postgres.close()


async def test_discord_ids_are_64_bit_and_timestamps_are_text(db: Database) -> None:
    assert isinstance(db, PostgresDatabase)
    rows = await db.fetchall(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND (column_name LIKE ? OR column_name LIKE ?)",
        ("%\\_id", "%\\_at"),
    )
    assert rows
    for row in rows:
        expected = "bigint" if row["column_name"].endswith("_id") else "text"
        assert (row["table_name"], row["column_name"], row["data_type"]) == (
            row["table_name"],
            row["column_name"],
            expected,
        )


async def test_rows_read_by_name_and_position_and_insert_returns_the_id(db: Database) -> None:
    first = await db.insert(
        "INSERT INTO interests (guild_id, name, created_at) VALUES (?, ?, ?)",
        (2**62, "Yoga", "2026-11-22T12:00:00+00:00"),
    )
    second = await db.insert(
        "INSERT INTO interests (guild_id, name, created_at) VALUES (?, ?, ?)",
        (2**62, "Art", "2026-11-22T12:00:00+00:00"),
    )
    assert second == first + 1
    row = await db.fetchone("SELECT id, guild_id, name FROM interests WHERE id = ?", (first,))
    assert row is not None
    assert (row[0], row[1], row[2]) == (first, 2**62, "Yoga")
    assert (row["id"], row["guild_id"], row["name"]) == (first, 2**62, "Yoga")
    assert list(row.keys()) == ["id", "guild_id", "name"]


async def test_names_compare_without_case_as_sqlites_nocase_does(db: Database) -> None:
    await db.execute(
        "INSERT INTO interests (guild_id, name, created_at) VALUES (?, ?, ?)",
        (1, "Meditation", "2026-11-22T12:00:00+00:00"),
    )
    changed = await db.execute(
        "INSERT INTO interests (guild_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (1, "MEDITATION", "2026-11-22T12:00:00+00:00"),
    )
    assert changed == 0
    assert await db.fetchval("SELECT name FROM interests WHERE guild_id = ? AND name = ?", (1, "meditation")) == (
        "Meditation"
    )


async def test_two_processes_migrating_at_once_apply_each_migration_once(blank_url: str) -> None:
    holder = await asyncpg.connect(blank_url)
    first = await Database.open(blank_url)
    second = await Database.open(blank_url)
    try:
        # Hold the migration lock so both really start together, then see both wait for it before letting go.
        await holder.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        runs = [asyncio.create_task(first.migrate()), asyncio.create_task(second.migrate())]
        waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        # The waiters live on the server: nothing in this process could signal an event, so poll its lock table.
        while await holder.fetchval(waiting) < 2:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        assert not any(run.done() for run in runs)
        await holder.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
        latest = len(load_migrations())
        assert await asyncio.gather(*runs) == [latest, latest]
        versions = await holder.fetch("SELECT version FROM schema_migrations ORDER BY version")
        assert [r["version"] for r in versions] == list(range(1, latest + 1))
    finally:
        await holder.close()
        await first.close()
        await second.close()


async def test_a_failing_migration_applies_nothing(blank_url: str) -> None:
    db = await Database.open(blank_url)
    try:
        broken = [*load_migrations()[:2]]
        broken.append(
            type(broken[0])(3, "broken", "-- fails\nCREATE TABLE half (a INTEGER);\nSELECT no_such_function();")
        )
        with pytest.raises(asyncpg.PostgresError):
            await db.migrate(broken)
        assert await db.schema_version() == 0
        assert "guild_settings" not in await db.table_columns()
    finally:
        await db.close()


async def test_a_write_waits_for_another_writer_then_says_busy_and_reads_go_on(db: Database) -> None:
    assert isinstance(db, PostgresDatabase)
    other = await asyncpg.connect(db.url)
    try:
        async with other.transaction():
            await other.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
            with write_wait(0.2), pytest.raises(asyncpg.exceptions.LockNotAvailableError) as caught:
                await db.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (?, ?)", (2, "x"))
            assert storage_problem(caught.value) == STORAGE_BUSY
            assert await db.fetchval("SELECT count(*) FROM member_prefs") == 0  # reads never wait
        await db.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (?, ?)", (2, "x"))
        assert await db.fetchval("SELECT count(*) FROM member_prefs") == 1
    finally:
        await other.close()


async def test_a_failed_transaction_leaves_nothing_and_the_next_one_works(db: Database) -> None:
    with pytest.raises(asyncpg.UniqueViolationError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (?, ?)", (3, "x"))
            await tx.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (?, ?)", (3, "x"))
    assert await db.fetchval("SELECT count(*) FROM member_prefs") == 0
    async with db.transaction() as tx:
        assert await tx.execute("INSERT INTO member_prefs (user_id, created_at) VALUES (?, ?)", (3, "x")) == 1
    assert await db.fetchval("SELECT count(*) FROM member_prefs") == 1
