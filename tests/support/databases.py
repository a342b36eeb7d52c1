"""Which database the tests run on: a real SQLite file, or a real PostgreSQL database emptied for each test.

Without ``KINDRED_TEST_DATABASE_URL`` every test gets a SQLite file in its temporary folder. With it (a URL
to a PostgreSQL server the tests may create databases on, such as the one ``.ci/run`` starts), the session
migrates a template database once and clones one working database from it; each test then starts on that
database with every table emptied and every id counter back at 1, which is what a freshly migrated database
holds. Emptying takes milliseconds where cloning a database per test takes a third of a second, and the
check below keeps it honest: if a test changed the schema itself, the working database is cloned afresh.

Tests about SQLite itself (its file, its PRAGMAs, its locks, file backups) carry the ``sqlite_only`` marker
and get a SQLite file on both runs. Tests that need an empty, unmigrated database ask for :meth:`blank`.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.db import Database

__all__ = ["TEST_DATABASE_URL", "PostgresTestDatabases", "server_url_for_tests"]

TEST_DATABASE_URL = "KINDRED_TEST_DATABASE_URL"

_SCHEMA = (
    "SELECT table_name, column_name, data_type FROM information_schema.columns "
    "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
)
_IDENTITIES = (
    "SELECT table_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES' ORDER BY table_name"
)
_EXTRAS = "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"


def server_url_for_tests() -> str | None:
    """The PostgreSQL server the tests run on, or ``None`` for SQLite."""
    return os.environ.get(TEST_DATABASE_URL, "").strip() or None


NEEDS_POSTGRES = pytest.mark.skipif(
    server_url_for_tests() is None, reason="needs KINDRED_TEST_DATABASE_URL (a PostgreSQL server; .ci/run starts one)"
)


def _with_database(url: str, name: str) -> str:
    """``url`` pointing at the database ``name`` (same server, user and options)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class PostgresTestDatabases:
    """The session's migrated template, the working database cloned from it, and blank databases on demand."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        # Named per test process, so parallel runs on one server never share (or drop) each other's.
        self.template = f"kindred_template_{os.getpid()}"
        self.work = f"kindred_work_{os.getpid()}"
        self.work_url = _with_database(server_url, self.work)
        self._schema: list[tuple[str, str, str]] = []
        self._empty_all = ""
        self._restart_ids = ""

    # -- session ----------------------------------------------------------------------------
    def create(self) -> None:
        """Migrate the template and clone the working database (session set-up, in a loop of its own)."""
        asyncio.run(self._create())

    def drop(self) -> None:
        """Drop the working database and the template (session teardown)."""
        asyncio.run(self._drop())

    async def _create(self) -> None:
        await self._drop()
        await self._admin(f'CREATE DATABASE "{self.template}"')
        db = await Database.open(_with_database(self.server_url, self.template))
        try:
            await db.migrate()
        finally:
            await db.close()
        await self._admin(f'CREATE DATABASE "{self.work}" TEMPLATE "{self.template}"')
        conn = await asyncpg.connect(self.work_url)
        try:
            self._schema = [tuple(r) for r in await conn.fetch(_SCHEMA)]
            tables = sorted({table for table, _, _ in self._schema if table != "schema_migrations"})
            self._empty_all = "; ".join(f'DELETE FROM "{t}"' for t in tables)
            self._restart_ids = "; ".join(
                f"SELECT setval(pg_get_serial_sequence('\"{r[0]}\"', 'id'), 1, false)"
                for r in await conn.fetch(_IDENTITIES)
            )
        finally:
            await conn.close()

    async def _drop(self) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{self.work}" WITH (FORCE)')
        await self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')

    # -- per test ---------------------------------------------------------------------------
    async def fresh(self) -> str:
        """The working database, as a freshly migrated one: every table empty, every id counter at 1."""
        conn = await asyncpg.connect(self.work_url)
        try:
            # Connections an earlier test leaked must not write into this one's data.
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            unchanged = [tuple(r) for r in await conn.fetch(_SCHEMA)] == self._schema
            if unchanged and await conn.fetchval(_EXTRAS) == 0:
                # Replica mode skips the foreign-key triggers: the tables can be emptied in any order.
                await conn.execute(
                    "BEGIN; SET LOCAL session_replication_role = replica; "
                    f"{self._empty_all}; {self._restart_ids}; COMMIT"
                )
                return self.work_url
        finally:
            await conn.close()
        # A test changed the schema: start again from the template.
        await self._admin(f'DROP DATABASE IF EXISTS "{self.work}" WITH (FORCE)')
        await self._admin(f'CREATE DATABASE "{self.work}" TEMPLATE "{self.template}"')
        return self.work_url

    async def blank(self) -> str:
        """A new, empty database on the test server (no migrations); returns its URL. :meth:`discard` drops it."""
        name = f"kindred_test_{uuid.uuid4().hex[:16]}"
        await self._admin(f'CREATE DATABASE "{name}"')
        return _with_database(self.server_url, name)

    async def discard(self, url: str) -> None:
        """Drop a database made by :meth:`blank` (connections a test left open are ended)."""
        name = urlsplit(url).path.lstrip("/")
        await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def _admin(self, statement: str) -> None:
        # Names here are generated above, never from input; CREATE/DROP DATABASE take no parameters.
        conn = await asyncpg.connect(self.server_url)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()
