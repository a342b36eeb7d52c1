"""Backups and restores of the SQLite database: consistent while the bot writes, refused restores while it runs."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.__main__ import _run, main
from bot.backup import BackupError, RunLock, backup, backup_if_due, prune_backups, restore, verify
from bot.db import Database, load_migrations
from bot.settings import Settings
from tests.double import DiscordDouble
from tests.harness import Harness

# Backups copy the SQLite file; on PostgreSQL they are refused (tests/unit/config) and left to pg_dump.
pytestmark = pytest.mark.sqlite_only

LATEST = len(load_migrations())


async def _database(path: Path) -> Database:
    db = await Database.open(path)
    await db.migrate()
    return db


def _ids(path: Path) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM storm")}
    finally:
        conn.close()


async def test_a_backup_during_a_write_storm_has_every_acknowledged_row(tmp_path: Path) -> None:
    path, dest = tmp_path / "k.db", tmp_path / "backups" / "k-1.db"
    db = await _database(path)
    await db.execute("CREATE TABLE storm (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
    acknowledged: list[int] = []
    stop = asyncio.Event()
    reached = asyncio.Event()
    goal = 200

    async def storm() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            await db.insert("INSERT INTO storm (id, note) VALUES (?, ?)", (n, "x" * 500))
            acknowledged.append(n)
            if n >= goal:
                reached.set()

    writer = asyncio.create_task(storm())
    try:
        await asyncio.wait_for(reached.wait(), 20)
        before = len(acknowledged)
        info = await asyncio.to_thread(backup, path, dest)
        after = len(acknowledged)
        reached.clear()
        goal = after + 50  # the storm goes on after the copy too
        await asyncio.wait_for(reached.wait(), 20)
    finally:
        stop.set()
        await writer
        await db.close()
    ids = _ids(dest)
    assert set(range(1, before + 1)) <= ids, "a row acknowledged before the backup began is missing"
    assert ids == set(range(1, max(ids) + 1)), "the copy is not one snapshot"
    assert max(ids) <= after
    assert info.schema_version == LATEST and info.path == dest
    assert verify(dest).tables == info.tables
    assert not (tmp_path / "backups" / "k-1.db-wal").exists()  # one self-contained file
    assert sorted(p.name for p in dest.parent.iterdir()) == ["k-1.db"]  # no partial file left


async def test_restore_replaces_the_database_and_keeps_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    db = await _database(path)
    await db.execute("CREATE TABLE storm (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
    await db.insert("INSERT INTO storm (id, note) VALUES (1, 'in the backup')")
    backup(path, tmp_path / "saved.db")
    await db.insert("INSERT INTO storm (id, note) VALUES (2, 'after the backup')")
    await db.close()

    info, kept = restore(tmp_path / "saved.db", path, latest_version=LATEST)
    assert info.schema_version == LATEST
    assert _ids(path) == {1}
    assert kept is not None and _ids(kept) == {1, 2}


def test_broken_or_foreign_files_are_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 100)
    with pytest.raises(BackupError, match="not a readable SQLite database"):
        verify(garbage)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(BackupError, match="no schema version"):
        verify(empty)
    with pytest.raises(BackupError, match="does not exist"):
        restore(tmp_path / "missing.db", tmp_path / "k.db", latest_version=LATEST)
    with pytest.raises(BackupError, match="no database"):
        backup(tmp_path / "missing.db", tmp_path / "out.db")


async def test_a_backup_from_a_newer_kindred_is_refused(tmp_path: Path) -> None:
    db = await _database(tmp_path / "k.db")
    await db.close()
    newer = tmp_path / "newer.db"
    backup(tmp_path / "k.db", newer)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(BackupError, match="newer Kindred"):
        restore(newer, tmp_path / "k.db", latest_version=LATEST)


async def test_restore_is_refused_while_a_bot_holds_the_database(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    db = await _database(path)
    await db.close()
    backup(path, tmp_path / "saved.db")
    running = RunLock(path)
    assert running.acquire()
    try:
        assert not RunLock(path).acquire()  # a second bot on the same file is refused too
        with pytest.raises(BackupError, match="running"):
            restore(tmp_path / "saved.db", path, latest_version=LATEST)
    finally:
        running.release()
    restore(tmp_path / "saved.db", path, latest_version=LATEST)


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    for day in range(1, 6):
        (tmp_path / f"kindred-2026120{day}-030000.db").write_bytes(b"x")
    (tmp_path / "other.db").write_bytes(b"x")
    deleted = prune_backups(tmp_path, "kindred-", keep=2)
    assert sorted(p.name for p in deleted) == [f"kindred-2026120{d}-030000.db" for d in (1, 2, 3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kindred-20261204-030000.db",
        "kindred-20261205-030000.db",
        "other.db",
    ]


async def test_backup_and_restore_against_a_live_bot(
    patched: DiscordDouble, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "k.db"
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    bot = asyncio.create_task(_run(Settings(discord_token=patched.token, database_path=path)))
    await patched.world.signal.wait_for(
        lambda: bool(patched.gateway_sent(2)) or None, timeout=20, describe="the bot's IDENTIFY"
    )
    env = ["--env-file", os.devnull]
    # While the bot runs: a backup works, a restore is refused, and so is a second bot.
    assert await asyncio.to_thread(main, [*env, "backup", str(tmp_path / "live.db")]) == 0
    assert "Backed up" in capsys.readouterr().out
    assert await asyncio.to_thread(main, [*env, "restore", "--yes", str(tmp_path / "live.db")]) == 1
    assert "a Kindred bot is running" in capsys.readouterr().err
    assert await _run(Settings(discord_token=patched.token, database_path=path)) == 1
    assert "already running" in capsys.readouterr().err
    assert verify(tmp_path / "live.db").schema_version == LATEST

    os.kill(os.getpid(), signal.SIGTERM)
    assert await asyncio.wait_for(bot, timeout=20) == 0
    # Stopped: the restore goes through.
    assert await asyncio.to_thread(main, [*env, "restore", "--yes", str(tmp_path / "live.db")]) == 0
    assert "Restored" in capsys.readouterr().out
    assert verify(path).schema_version == LATEST


def test_restore_asks_before_replacing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "k.db"))
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main(["--env-file", os.devnull, "restore", str(tmp_path / "any.db")]) == 1
    assert "Nothing was changed" in capsys.readouterr().out
    assert not (tmp_path / "k.db").exists()


def test_the_daily_backup_runs_once_a_day_and_keeps_the_newest(tmp_path: Path) -> None:
    path, folder = tmp_path / "k.db", tmp_path / "backups"

    async def make() -> None:
        db = await _database(path)
        await db.close()

    asyncio.run(make())
    start = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    first = backup_if_due(path, folder, 2, start)
    assert first is not None and first.path.name == "kindred-20261201-030000.db"
    assert backup_if_due(path, folder, 2, start + timedelta(hours=23)) is None  # a restart the same day
    for day in (1, 2, 3):
        assert backup_if_due(path, folder, 2, start + timedelta(days=day, minutes=5)) is not None
    assert sorted(p.name for p in folder.iterdir()) == ["kindred-20261203-030500.db", "kindred-20261204-030500.db"]


async def test_a_bot_with_backups_on_writes_one_at_start(harness: Harness, tmp_path: Path) -> None:
    folder = tmp_path / "daily"
    harness.settings_overrides = {"backup_dir": folder, "backup_keep": 3}
    await harness.start(extensions=[])
    await harness.bot.backup_if_due()
    [made] = list(folder.iterdir())
    assert verify(made).schema_version == LATEST
    await harness.bot.backup_if_due()  # not due again the same day
    assert list(folder.iterdir()) == [made]
    harness.clock.advance(timedelta(days=1))
    await harness.bot.backup_if_due()
    assert len(list(folder.iterdir())) == 2
