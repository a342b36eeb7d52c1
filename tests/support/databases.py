"""Which database the tests run on: a real SQLite file, or a real throwaway PostgreSQL database per test.

Without ``KINDRED_TEST_DATABASE_URL`` every test gets a SQLite file in its temporary folder. With it (a URL
to a PostgreSQL server the tests may create databases on, such as the one ``.ci/run`` starts), every test
gets a database of its own, cloned from a template that was migrated once for the session: a clean,
fully migrated schema per test without running the migrations each time. The clone is dropped afterwards.

Tests about SQLite itself (its file, its PRAGMAs, its locks, file backups) carry the ``sqlite_only`` marker
and get a SQLite file on both runs.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.db import Database

__all__ = ["TEST_DATABASE_URL", "PostgresTemplate", "server_url_for_tests"]

TEST_DATABASE_URL = "KINDRED_TEST_DATABASE_URL"


def server_url_for_tests() -> str | None:
    """The PostgreSQL server the tests run on, or ``None`` for SQLite."""
    return os.environ.get(TEST_DATABASE_URL, "").strip() or None


def _with_database(url: str, name: str) -> str:
    """``url`` pointing at the database ``name`` (same server, user and options)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class PostgresTemplate:
    """A migrated template database on the test server, and fresh clones of it."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        # One template per test process, so parallel runs on one server never share (or drop) each other's.
        self.name = f"kindred_template_{os.getpid()}"

    def create(self) -> None:
        """(Re)create the template and apply every migration to it, in a loop of its own (session set-up)."""
        asyncio.run(self._create())

    def drop(self) -> None:
        """Drop the template (session teardown)."""
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))

    async def clone(self) -> str:
        """A new database cloned from the template; returns its URL."""
        name = f"kindred_test_{uuid.uuid4().hex[:16]}"
        await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return _with_database(self.server_url, name)

    async def blank(self) -> str:
        """A new, empty database on the test server (no migrations); returns its URL. :meth:`discard` drops it."""
        name = f"kindred_test_{uuid.uuid4().hex[:16]}"
        await self._admin(f'CREATE DATABASE "{name}"')
        return _with_database(self.server_url, name)

    async def discard(self, url: str) -> None:
        """Drop a clone made by :meth:`clone` (connections a test left open are ended)."""
        name = urlsplit(url).path.lstrip("/")
        await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def _create(self) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        await self._admin(f'CREATE DATABASE "{self.name}"')
        db = await Database.open(_with_database(self.server_url, self.name))
        try:
            await db.migrate()
        finally:
            await db.close()

    async def _admin(self, statement: str) -> None:
        # Names here are generated above, never from input; CREATE/DROP DATABASE take no parameters.
        conn = await asyncpg.connect(self.server_url)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()
