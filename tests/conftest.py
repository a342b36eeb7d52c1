"""Shared fixtures: a temporary database, a fake clock, the Discord double and the bot harness.

The database is a real SQLite file, or, with ``KINDRED_TEST_DATABASE_URL`` set, a real PostgreSQL database emptied
for the test (``tests/support/databases.py``); ``@pytest.mark.sqlite_only`` keeps a test on SQLite.

End-to-end tests take ``running`` (or its short name ``h``): the bot, started against the double. Markers on
the module (``pytestmark``) or the test choose what it runs with:

- ``@pytest.mark.extensions("cogs.rooms", "cogs.interests")``: load only these cogs. Without the marker, or
  with no names (a test overriding its module's choice), every cog loads.
- ``@pytest.mark.configure(rooms_channel_id="rooms", alert_policy="all")``: server settings set after start;
  a setting ending in ``_id`` names a :class:`tests.harness.World` field and gets that channel's or role's id.
- ``@pytest.mark.quiet``: after the test, fail if anything went wrong without a test noticing: a route the
  double doesn't know, an error inside the double, a failed timer, or anything logged at ERROR.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.store import Store
from tests.harness import START, Harness, World, build_world
from tests.support.databases import PostgresTestDatabases, server_url_for_tests

if TYPE_CHECKING:
    from tests.double import DiscordDouble

pytest_plugins = ["tests.double.plugin"]


@pytest.fixture
def clock() -> FakeClock:
    """A clock fixed at :data:`tests.harness.START` that only moves when a test moves it."""
    return FakeClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A fresh database file for this test."""
    return tmp_path / "kindred.db"


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresTestDatabases | None]:
    """The PostgreSQL run's databases on the test server (``None`` on SQLite)."""
    url = server_url_for_tests()
    if url is None:
        yield None
        return
    databases = PostgresTestDatabases(url)
    databases.create()
    yield databases
    databases.drop()


@pytest.fixture
async def blank_url(postgres_databases: PostgresTestDatabases | None) -> AsyncIterator[str]:
    """An empty PostgreSQL database (no migrations yet), for tests marked with ``NEEDS_POSTGRES``."""
    assert postgres_databases is not None
    url = await postgres_databases.blank()
    yield url
    await postgres_databases.discard(url)


@pytest.fixture
async def database_url(request: pytest.FixtureRequest, postgres_databases: PostgresTestDatabases | None) -> str | None:
    """A migrated PostgreSQL database holding no rows, for this test; ``None`` when the test runs on SQLite."""
    if postgres_databases is None or request.node.get_closest_marker("sqlite_only"):
        return None
    return await postgres_databases.fresh()


@pytest.fixture
def database_target(db_path: Path, database_url: str | None) -> Path | str:
    """What ``Database.open`` opens for this test: its PostgreSQL database, else its SQLite file."""
    return database_url or db_path


@pytest.fixture
async def db(database_target: Path | str) -> AsyncIterator[Database]:
    """A migrated real database: SQLite in a temporary folder, or the test's own PostgreSQL database."""
    database = await Database.open(database_target)
    await database.migrate()
    yield database
    await database.close()


@pytest.fixture
async def store(db: Database) -> Store:
    """The store over :func:`db`."""
    return Store(db)


@pytest.fixture
def world(discord_double: DiscordDouble) -> World:
    """The standard test server, built on the double before the bot connects."""
    return build_world(discord_double)


@pytest.fixture
async def harness(
    discord_double: DiscordDouble, db_path: Path, database_url: str | None, clock: FakeClock, world: World
) -> AsyncIterator[Harness]:
    """The harness, not yet started (tests call ``await harness.start()``); stopped afterwards."""
    h = Harness(discord_double, db_path, clock, world, database_url=database_url)
    yield h
    await h.stop()


@pytest.fixture
async def running(
    request: pytest.FixtureRequest, harness: Harness, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Harness]:
    """The harness with the bot started and ready, as the test's markers (module docstring) ask."""
    extensions = request.node.get_closest_marker("extensions")
    await harness.start(extensions=list(extensions.args) if extensions and extensions.args else None)
    configure = request.node.get_closest_marker("configure")
    if configure:
        ids = {key: value for key, value in configure.kwargs.items() if key.endswith("_id")}
        values = {key: value for key, value in configure.kwargs.items() if not key.endswith("_id")}
        await harness.configure(**values, **harness.world.ids(**ids))
    yield harness
    if request.node.get_closest_marker("quiet"):
        await assert_nothing_went_wrong_quietly(harness, caplog)


@pytest.fixture
def h(running: Harness) -> Harness:
    """:func:`running`, under the short name the end-to-end tests use."""
    return running


async def assert_nothing_went_wrong_quietly(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    """No unknown routes, no errors inside the double, no failed timers, nothing logged at ERROR."""
    assert harness.dd.unknown_calls == [] and harness.dd.internal_errors == []
    failed = await harness.bot.db.fetchall("SELECT kind FROM timers WHERE status = 'failed'")
    assert [row["kind"] for row in failed] == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
