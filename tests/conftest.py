"""Shared fixtures: a temporary SQLite file, a fake clock, the Discord double and the bot harness."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.store import Store
from tests.harness import START, Harness, World, build_world

if TYPE_CHECKING:
    from tests.double import DiscordDouble


@pytest.fixture
def clock() -> FakeClock:
    """A clock fixed at :data:`tests.harness.START` that only moves when a test moves it."""
    return FakeClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A fresh database file for this test."""
    return tmp_path / "kindred.db"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    """A migrated real SQLite database in a temporary folder."""
    database = await Database.open(db_path)
    await database.migrate()
    yield database
    await database.close()


@pytest.fixture
async def store(db: Database) -> Store:
    """The store over :func:`db`."""
    return Store(db)


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    """A running Discord double on 127.0.0.1."""
    from tests.double import DiscordDouble  # imported here so pure unit tests never need it

    async with DiscordDouble() as dd:
        yield dd


@pytest.fixture
def world(double: DiscordDouble) -> World:
    """The standard test server, built on the double before the bot connects."""
    return build_world(double)


@pytest.fixture
async def harness(double: DiscordDouble, db_path: Path, clock: FakeClock, world: World) -> AsyncIterator[Harness]:
    """The harness, not yet started (tests call ``await harness.start()``); stopped afterwards."""
    h = Harness(double, db_path, clock, world)
    yield h
    await h.stop()


@pytest.fixture
async def running(harness: Harness) -> Harness:
    """The harness with the bot already started and ready."""
    await harness.start()
    return harness
