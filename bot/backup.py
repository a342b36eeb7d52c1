"""Backups of the SQLite database while the bot runs, and restoring one while it doesn't.

Copying the database file while the bot writes can catch a page half-written, or miss what still sits in
the write-ahead log. SQLite's online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
instead, page by page, while writers carry on: every transaction committed before the copy's snapshot is
in it, none after is half in it. Each copy is written beside its destination, checked (``integrity_check``,
schema version) and only then renamed into place, so a backup file that exists is a whole, verified one.

Restoring replaces the live database, so it refuses while a bot runs on it: the bot holds an advisory lock
(:class:`RunLock`) on ``<database>.run.lock`` for as long as it runs. The database being replaced is first
backed up beside itself, so a restore can be undone.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: no advisory locks here; restore then trusts the operator to stop the bot
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "BackupError",
    "BackupInfo",
    "RunLock",
    "backup",
    "backup_if_due",
    "prune_backups",
    "restore",
    "verify",
]

DAILY_PREFIX = "kindred-"
_STAMP = "%Y%m%d-%H%M%S"
DAILY_EVERY = timedelta(days=1)

# How long the copy waits for a writer's lock between steps, in seconds.
_BUSY_TIMEOUT = 30.0
# One step: in WAL mode the copy reads one snapshot while writers carry on. Copying in several steps would
# restart the copy at every write from another connection, and during a write storm never finish.
_PAGES_PER_STEP = -1


class BackupError(Exception):
    """A backup or restore that can't be done; the message says why, for the operator."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """A verified copy: where it is, its schema version, how many tables and bytes."""

    path: Path
    schema_version: int
    tables: int
    size: int


class RunLock:
    """The running bot's claim on its database file, so a restore can't replace it underneath."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = database.with_name(database.name + ".run.lock")
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        """Take the lock; False when another process holds it."""
        if fcntl is None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        """Give the lock back (closing the file releases it; a killed process releases it too)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for a block; :class:`BackupError` if a bot holds it."""
        if not self.acquire():
            raise BackupError(f"a Kindred bot is running on {self.database}; stop it first")
        try:
            yield
        finally:
            self.release()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=_BUSY_TIMEOUT)
    conn.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT * 1000)}")
    return conn


def verify(path: Path) -> BackupInfo:
    """Open ``path`` read-only and check it is a whole Kindred database; :class:`BackupError` if not."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = int(conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database ({exc})") from exc
    if check is None or check[0] != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check ({check[0] if check else 'no answer'})")
    if version == 0:
        raise BackupError(f"{path} is not a Kindred database (no schema version)")
    return BackupInfo(path, version, tables, path.stat().st_size)


def _copy(source: Path, dest: Path) -> None:
    """The online backup of ``source`` into a new file at ``dest``."""
    src = _connect(source)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst, pages=_PAGES_PER_STEP)
            # A backup is one self-contained file: no write-ahead log beside it.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def backup(source: Path, dest: Path) -> BackupInfo:
    """A consistent, verified copy of the database at ``source``, written to ``dest`` (replacing it)."""
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if dest.resolve() == source.resolve():
        raise BackupError("the backup must go to another file than the database itself")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _copy(source, partial)
        verify(partial)
        os.replace(partial, dest)
    except sqlite3.Error as exc:
        raise BackupError(f"the copy of {source} failed ({exc})") from exc
    finally:
        partial.unlink(missing_ok=True)
    return verify(dest)


def restore(source: Path, database: Path, *, latest_version: int) -> tuple[BackupInfo, Path | None]:
    """Replace the database with the backup at ``source``; refuses while a bot runs on it.

    Returns the restored database's details and where the replaced database was kept (None if there was
    none). A backup made by a newer Kindred (a schema version above ``latest_version``) is refused.
    """
    info = verify(source)
    if info.schema_version > latest_version:
        raise BackupError(
            f"{source} was made by a newer Kindred (schema {info.schema_version}, this one knows {latest_version})"
        )
    with RunLock(database).held():
        kept: Path | None = None
        if database.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            kept = backup(database, database.with_name(f"{database.stem}.before-restore-{stamp}{database.suffix}")).path
        database.parent.mkdir(parents=True, exist_ok=True)
        src = _connect(source)
        try:
            dst = _connect(database)
            try:
                src.backup(dst)  # replaces every page, the write-ahead log included, in one go
                dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                dst.close()
        finally:
            src.close()
    return verify(database), kept


def prune_backups(folder: Path, prefix: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` files named ``prefix*.db`` in ``folder``; returns the deleted ones."""
    found = sorted(folder.glob(f"{prefix}*.db"), key=lambda p: p.name, reverse=True)
    deleted = found[max(keep, 0) :]
    for path in deleted:
        path.unlink(missing_ok=True)
    return deleted


def newest_backup(folder: Path) -> datetime | None:
    """When the newest daily backup in ``folder`` was taken (from its name), or None."""
    times = []
    for path in folder.glob(f"{DAILY_PREFIX}*.db"):
        try:
            times.append(datetime.strptime(path.stem.removeprefix(DAILY_PREFIX), _STAMP).replace(tzinfo=UTC))
        except ValueError:
            continue  # not one of ours
    return max(times, default=None)


def backup_if_due(database: Path, folder: Path, keep: int, now: datetime) -> BackupInfo | None:
    """The daily backup: a new copy in ``folder`` when the newest is a day old or there is none, then only
    the newest ``keep`` are kept. Derived from the files alone, so restarts neither skip nor repeat one."""
    last = newest_backup(folder) if folder.is_dir() else None
    if last is not None and now - last < DAILY_EVERY:
        return None
    info = backup(database, folder / f"{DAILY_PREFIX}{now.astimezone(UTC).strftime(_STAMP)}.db")
    prune_backups(folder, DAILY_PREFIX, keep)
    return info
