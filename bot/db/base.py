"""The store's one interface to a database, whichever backend runs it.

Repositories (``bot/store/``) speak only to :class:`Database` and :class:`Tx`, with SQL written once and ``?``
parameters. Two backends implement them: SQLite (``bot/db/sqlite.py``, the embedded default) and PostgreSQL
(``bot/db/postgres.py``, for operators whose host runs a server database). :meth:`Database.open` picks the
backend from the target: a ``postgresql://`` URL or a file path.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit, urlunsplit

from bot.package_data import package_path

__all__ = [
    "INTERACTIVE_WRITE_WAIT",
    "MIGRATIONS_DIR",
    "Database",
    "Migration",
    "Params",
    "Row",
    "Tx",
    "current_write_wait",
    "load_migrations",
    "redacted_url",
    "returning_id",
    "set_write_wait",
    "write_wait",
]

MIGRATIONS_DIR = package_path("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

Params = Sequence[Any]

_WRITE_WAIT: ContextVar[float] = ContextVar("kindred_db_write_wait", default=5.0)
# Discord wants an interaction answered within 3 seconds: a command gives up on a locked database in
# time to say "busy, try again" instead of going silent.
INTERACTIVE_WRITE_WAIT = 1.5


@contextmanager
def write_wait(seconds: float) -> Iterator[None]:
    """Within the block, writes wait up to ``seconds`` for another writer's lock before failing."""
    token = _WRITE_WAIT.set(seconds)
    try:
        yield
    finally:
        _WRITE_WAIT.reset(token)


def set_write_wait(seconds: float) -> None:
    """Like :func:`write_wait`, for the rest of the current task (e.g. one interaction's handling)."""
    _WRITE_WAIT.set(seconds)


def current_write_wait() -> float:
    """How long a write may wait for another writer's lock here, in seconds."""
    return _WRITE_WAIT.get()


class Row(Protocol):
    """A result row: by column name or by position (``aiosqlite.Row`` and ``asyncpg.Record`` both are)."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> Iterable[str]: ...


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered ``.sql`` file. Its first line is a ``--`` comment saying why it exists."""

    version: int
    name: str
    sql: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Read ``NNNN_name.sql`` files in order, refusing gaps or duplicate numbers.

    A gap would mean a migration went missing; on an existing database a file numbered below its
    version would never run, so the numbering has to be exactly 1..n.
    """
    found: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise RuntimeError(f"migration file {path.name!r} must be named NNNN_name.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migrations must be numbered 1..n without gaps or repeats; found {migration.version}")
    return found


class Statements(ABC):
    """What both a transaction and the database run: statements with ``?`` parameters, and reads."""

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows changed."""

    @abstractmethod
    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT into a table with an ``id`` column and return the new row's id."""

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter row."""

    @abstractmethod
    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row or ``None``."""

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row."""

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """Return the first column of the first row, or ``None``."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def exists(self, sql: str, params: Params = ()) -> bool:
        """Whether the query finds any row (write it as ``SELECT 1 ...``)."""
        return await self.fetchone(sql, params) is not None


class Tx(Statements):
    """The handle a transaction body uses. Only valid inside ``async with db.transaction()``."""


def redacted_url(url: str) -> str:
    """``url`` without its password, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def returning_id(sql: str) -> str:
    """``sql`` (one INSERT) returning the new row's id: the one way both backends report it."""
    return sql.rstrip().rstrip(";") + " RETURNING id"


class Database(Statements):
    """The store's database. Every statement goes through it; bodies that must be atomic use :meth:`transaction`.

    Write transactions never interleave, on either backend: SQLite's ``BEGIN IMMEDIATE`` takes the one write
    lock, and PostgreSQL transactions take one advisory lock. A body may therefore read and then write on what
    it read, as every repository does.
    """

    #: The backend's name, for messages and ``--check``: ``"sqlite"`` or ``"postgresql"``.
    backend: ClassVar[str]
    #: What this database is, for messages (a file path, or a URL without its password).
    where: str
    #: Appended to a sub-SELECT that picks rows a write transaction is about to take (a queue's claim):
    #: PostgreSQL locks the rows it picks and skips rows another transaction holds, so concurrent claims
    #: never take the same row or wait on each other; SQLite's one writer needs nothing.
    skip_locked: ClassVar[str] = ""

    # Each backend module registers itself by subclassing (bot/db/__init__.py imports both), so open() can choose
    # one without this module importing the backends, which import it.
    _backends: ClassVar[list[type[Database]]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Database._backends.append(cls)

    @classmethod
    def handles(cls, target: Path | str) -> bool:
        """Whether this backend opens ``target`` (a URL scheme it speaks, or a file path)."""
        return False

    @classmethod
    async def open(cls, target: Path | str) -> Database:
        """Open ``target`` with the backend that handles it: a ``postgresql://`` URL, else a SQLite file path."""
        for backend in Database._backends:
            if backend.handles(target):
                return await backend.connect(target)
        raise ValueError(f"no database backend handles {target!s}")

    @classmethod
    @abstractmethod
    async def connect(cls, target: Path | str) -> Database:
        """Open this backend's database at ``target``."""

    @abstractmethod
    async def close(self) -> None:
        """Close every connection."""

    @abstractmethod
    async def schema_version(self) -> int:
        """The number of the last applied migration."""

    @abstractmethod
    async def migrate(self, migrations: list[Migration] | None = None, *, target: int | None = None) -> int:
        """Apply pending migrations (up to ``target``) atomically; return the new version."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """Run the body atomically, with the write lock held from the start."""

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many rows in one transaction."""
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    @abstractmethod
    async def table_columns(self) -> dict[str, list[str]]:
        """Every table of the schema and its columns, in order; used by the privacy coverage test and ``--check``."""
