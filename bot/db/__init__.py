"""The database: one interface (:class:`Database`, :class:`Tx`) and its two backends, SQLite and PostgreSQL.

``await Database.open(target)`` opens a ``postgresql://`` URL with :class:`PostgresDatabase` and anything else
as a SQLite file with :class:`SqliteDatabase`; :func:`database_target` says which one the settings choose.
"""

from __future__ import annotations

from bot.db.base import (
    INTERACTIVE_WRITE_WAIT,
    MIGRATIONS_DIR,
    Database,
    Migration,
    Params,
    Row,
    Tx,
    load_migrations,
    set_write_wait,
    write_wait,
)
from bot.db.postgres import PostgresDatabase
from bot.db.sqlite import BUSY_TIMEOUT_MS, SqliteDatabase

__all__ = [
    "BUSY_TIMEOUT_MS",
    "INTERACTIVE_WRITE_WAIT",
    "MIGRATIONS_DIR",
    "Database",
    "Migration",
    "Params",
    "PostgresDatabase",
    "Row",
    "SqliteDatabase",
    "Tx",
    "load_migrations",
    "set_write_wait",
    "write_wait",
]
