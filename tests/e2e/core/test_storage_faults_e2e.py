"""When the database can't take writes (a full disk, another process holding the lock), members get a
clear answer, the bot stays up, and it works again by itself once the fault clears."""

from __future__ import annotations

import sqlite3

import pytest

from bot.checkins.reminders import REMINDER_KIND
from bot.errors import STORAGE_BUSY, STORAGE_FULL
from tests.double import InteractionHandle
from tests.harness import Harness

# The faults are made with SQLite's own means (a page limit, another connection's lock); tests/unit/core/test_postgres.py
# covers a busy PostgreSQL.
pytestmark = pytest.mark.sqlite_only

JUNK_GUILD = 1  # filler rows stand for everything else that grew until the disk filled up
JUNK_USERS = 10**6


async def remind_set(h: Harness) -> InteractionHandle:
    inter = await h.dd.slash(
        h.world.alice, "checkin remind set", channel=h.world.general, time="19:00", timezone="Europe/London"
    )
    await inter.response()
    return inter


async def fill_the_disk(h: Harness) -> None:
    """Forbid the file to grow, then write until not even a small row fits, also in the table a reminder
    needs (each table keeps some spare room in its own pages)."""
    pages = int(await h.bot.db.fetchval("PRAGMA page_count"))
    await h.bot.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for i in range(100_000):
            await h.bot.db.execute(
                "INSERT INTO guild_settings (guild_id, key, value, updated_at) VALUES (?, ?, 'x', 'x')",
                (JUNK_GUILD, f"filler{i}"),
            )
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for i in range(100_000):
            await h.bot.db.execute(
                "INSERT INTO checkin_reminders (user_id, guild_id, local_time, timezone, updated_at) "
                "VALUES (?, ?, '00:00', 'UTC', 'x')",
                (JUNK_USERS + i, JUNK_GUILD),
            )


async def test_a_full_disk_gets_a_clear_answer_and_the_bot_recovers_when_space_returns(
    running: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = running
    await fill_the_disk(h)
    refused = await remind_set(h)
    assert refused.ephemeral and refused.content.startswith(STORAGE_FULL)
    assert await h.bot.timers.pending(kind=REMINDER_KIND) == []  # nothing half-saved
    assert "could not write: the disk is full" in caplog.text  # the operator is told
    shown = await h.dd.slash(h.world.alice, "privacy show", channel=h.world.general)
    await shown.response()  # reading still works: the bot is up
    assert shown.ephemeral and shown.embeds

    await h.bot.db.execute("DELETE FROM guild_settings WHERE guild_id = ?", (JUNK_GUILD,))
    await h.bot.db.execute("DELETE FROM checkin_reminders WHERE guild_id = ?", (JUNK_GUILD,))
    await h.bot.db.execute("PRAGMA max_page_count = 1073741823")  # space is back
    saved = await remind_set(h)
    assert "19:00" in saved.content
    assert len(await h.bot.timers.pending(kind=REMINDER_KIND)) == 1


async def test_a_database_locked_by_another_process_gets_a_kind_try_again_and_loses_nothing(
    running: Harness,
) -> None:
    h = running
    other = sqlite3.connect(h.db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # a backup or the sqlite3 shell holds the write lock
        refused = await remind_set(h)
        assert refused.ephemeral and refused.content.startswith(STORAGE_BUSY)
        assert await h.bot.timers.pending(kind=REMINDER_KIND) == []  # nothing half-saved
    finally:
        other.execute("COMMIT")
        other.close()
    saved = await remind_set(h)  # recovered by itself once the lock is gone
    assert "19:00" in saved.content
    assert len(await h.bot.timers.pending(kind=REMINDER_KIND)) == 1
