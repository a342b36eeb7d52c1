"""``migrate-to-postgres``: a SQLite database copied into an empty PostgreSQL one, verified, and refused twice."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.clock import FakeClock
from bot.db import Database
from bot.store import Store
from tests.support.databases import NEEDS_POSTGRES

pytestmark = NEEDS_POSTGRES


async def _seed(path: Path, clock: FakeClock) -> None:
    db = await Database.open(path)
    try:
        await db.migrate()
        store = Store(db)
        now = clock.now()
        await store.prefs.set_timezone(2**60, "Europe/London", now=now)
        yoga = await store.interests.add(1, "Yoga", None, now=now)
        await store.interests.follow(yoga.id, 2**60)
        await store.config.set(1, "timezone", "Europe/Paris", now=now)

    finally:
        await db.close()


async def test_a_copy_keeps_every_row_and_new_ids_continue_after_the_copied_ones(
    tmp_path: Path, blank_url: str, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "kindred.db"
    await _seed(source, clock)

    assert await asyncio.to_thread(main, ["migrate-to-postgres", str(source), blank_url]) == 0
    assert "every table's row count matches" in capsys.readouterr().out

    copied = await Database.open(blank_url)
    try:
        store = Store(copied)
        assert (await store.prefs.get(2**60)).timezone == "Europe/London"
        assert await store.interests.of_member(1, 2**60) == ["Yoga"]
        assert (await store.config.get(1)).timezone == "Europe/Paris"
        newest = await store.interests.add(1, "Art", None, now=clock.now())
        assert newest.id > (await store.interests.find(1, "yoga", now=clock.now())).id  # type: ignore[union-attr]
    finally:
        await copied.close()

    # A second copy into the now non-empty database is refused, and changes nothing.
    assert await asyncio.to_thread(main, ["migrate-to-postgres", str(source), blank_url]) == 1
    assert "already holds rows" in capsys.readouterr().err


def test_a_missing_file_or_a_wrong_url_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate-to-postgres", str(tmp_path / "none.db"), "postgresql://x@/y"]) == 2
    assert "no SQLite database" in capsys.readouterr().err
    (tmp_path / "k.db").touch()
    assert main(["migrate-to-postgres", str(tmp_path / "k.db"), "mysql://x@/y"]) == 2
    assert "not a postgresql:// URL" in capsys.readouterr().err
