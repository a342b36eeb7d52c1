"""The database errors that mean "storage is unavailable right now", on either backend, and what kind.

Callers that can put work off (a timer poll, a notice owed to a member) or answer kindly (a command) catch
:data:`STORAGE_ERRORS` and ask :func:`storage_kind` whether it was "busy" (locked by another writer, or
the server briefly unreachable: try again) or "full" (out of space). Anything else is a bug and is raised.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

import asyncpg

__all__ = ["CLOSED_ERRORS", "STORAGE_ERRORS", "StorageKind", "closed_under_us", "storage_kind"]

StorageKind = Literal["busy", "full"]

# The errors that say something about the storage, not about the statement.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (
    sqlite3.OperationalError,
    asyncpg.exceptions.LockNotAvailableError,  # lock_timeout ran out: another writer holds the write lock
    asyncpg.exceptions.TransactionRollbackError,  # deadlock or serialization failure: nothing was written
    asyncpg.exceptions.QueryCanceledError,
    asyncpg.exceptions.OperatorInterventionError,  # the server is shutting down or starting
    asyncpg.exceptions.InsufficientResourcesError,  # disk full, out of memory, too many connections
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    ConnectionError,
)

# Raised by a statement on a database that was closed meanwhile (the bot stopping under a running task).
CLOSED_ERRORS: tuple[type[BaseException], ...] = (sqlite3.ProgrammingError, asyncpg.exceptions.InterfaceError)
# What aiosqlite says when its connection is already gone (it raises a bare ValueError).
_AIOSQLITE_CLOSED = frozenset({"Connection closed", "no active connection"})


def closed_under_us(error: BaseException) -> bool:
    """Whether ``error`` says the database was closed while the statement waited or ran.

    aiosqlite reports a connection it has already let go of with a bare ``ValueError`` ("Connection closed"
    before the statement is queued, "no active connection" once it runs), not with the
    ``sqlite3.ProgrammingError`` of a connection closed mid-statement, so the message tells them apart.
    """
    if isinstance(error, CLOSED_ERRORS):
        return True
    return type(error) is ValueError and str(error) in _AIOSQLITE_CLOSED


def storage_kind(error: BaseException) -> StorageKind | None:
    """``"busy"`` or ``"full"`` for a storage error a member can be told about, else ``None``."""
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            return "busy"
        return "full" if "full" in text else None
    if isinstance(error, asyncpg.exceptions.DiskFullError):
        return "full"
    if isinstance(error, STORAGE_ERRORS):
        return "busy"
    return None
