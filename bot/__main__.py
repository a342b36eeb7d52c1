"""Entry point: ``python -m bot`` (or the ``kindred`` script)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sqlite3
import sys
from pathlib import Path

import aiohttp
import asyncpg
import discord
from dotenv import dotenv_values

from bot.backup import BackupError, RunLock, backup, restore
from bot.client import KindredBot
from bot.clock import Clock
from bot.db import Database, load_migrations
from bot.db.base import redacted_url
from bot.db.transfer import TransferError, copy_to_postgres
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.timers import TimerService

__all__ = ["main"]

log = logging.getLogger("bot")


def _read_env(path: str) -> dict[str, str]:
    """``.env`` values overlaid by the real environment (the environment wins, as usual)."""
    merged = {k: v for k, v in dotenv_values(path).items() if v is not None}
    merged.update(os.environ)
    return merged


async def _check(settings: Settings) -> int:
    db = await Database.open(settings.database_target)
    try:
        version = await db.migrate()
        tables = await db.table_columns()
        counts = await TimerService(db, Clock()).counts()
    finally:
        await db.close()
    print(
        f"Configuration OK. Database {settings.database_where} ({db.backend}) is at schema version {version} "
        f"({len(tables)} tables)."
    )
    failed = {kind: n for (kind, status), n in sorted(counts.items()) if status == "failed"}
    if failed:
        # Work that failed for good is kept with its error (timers.last_error) for the operator.
        print("Timers that failed for good: " + ", ".join(f"{kind} {n}" for kind, n in failed.items()) + ".")
    return 0


async def _run(settings: Settings) -> int:
    if settings.uses_postgres:
        # The run lock is a file beside the SQLite database; on PostgreSQL there is no such file, and keeping
        # processes apart on one server database is the database's job, not a lock file's.
        return await _run_locked(settings)
    lock = RunLock(settings.database_path)
    if not lock.acquire():
        print(f"Another Kindred bot is already running on {settings.database_path}.", file=sys.stderr)
        return 1
    try:
        return await _run_locked(settings)
    finally:
        lock.release()


async def _run_locked(settings: Settings) -> int:
    db = await Database.open(settings.database_target)
    try:
        async with KindredBot(settings, db) as bot:
            # bot.start runs as a task that a signal cancels; leaving the `async with` then closes
            # the bot. Calling close() from the signal instead would race discord.py's shard
            # launcher during start-up, which then retries forever on a closed HTTP session.
            start = asyncio.ensure_future(bot.start(settings.discord_token))
            stop_requested = asyncio.Event()

            def request_stop() -> None:
                stop_requested.set()
                start.cancel()

            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):  # Windows has no add_signal_handler
                    loop.add_signal_handler(sig, request_stop)
            try:
                await start
            except asyncio.CancelledError:
                if not stop_requested.is_set():
                    raise
                log.info("stop requested; shutting down")
            except discord.LoginFailure:
                print(
                    "Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal into .env.",
                    file=sys.stderr,
                )
                return 1
            except (aiohttp.ClientConnectionError, OSError) as exc:
                # discord.py reconnects by itself once logged in; this is the first contact failing.
                print(f"Couldn't reach Discord ({exc}). Check the network connection and try again.", file=sys.stderr)
                return 1
            except discord.PrivilegedIntentsRequired:
                print(
                    "Discord refused the privileged intents. Enable MESSAGE CONTENT and SERVER MEMBERS "
                    "in the Developer Portal (Bot → Privileged Gateway Intents).",
                    file=sys.stderr,
                )
                return 1
            finally:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    with contextlib.suppress(NotImplementedError):
                        loop.remove_signal_handler(sig)
    finally:
        await db.close()
    log.info("shut down cleanly")
    return 0


# Backup and restore copy the SQLite file; a PostgreSQL database is backed up by its host's own tools.
_NOT_ON_POSTGRES = (
    "Kindred's {what} works on the SQLite file only, and DATABASE_URL points at PostgreSQL. "
    "Back up and restore a PostgreSQL database with its own tools (pg_dump and pg_restore, or your host's backups)."
)


def _backup(settings: Settings, dest: Path) -> int:
    if settings.uses_postgres:
        print(_NOT_ON_POSTGRES.format(what="backup"), file=sys.stderr)
        return 1
    try:
        info = backup(settings.database_path, dest)
    except BackupError as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"Backed up {settings.database_path} to {info.path} (schema {info.schema_version}, {info.size:,} bytes).")
    return 0


def _restore(settings: Settings, source: Path, *, confirmed: bool) -> int:
    if settings.uses_postgres:
        print(_NOT_ON_POSTGRES.format(what="restore"), file=sys.stderr)
        return 1
    if not confirmed:
        print(f"This replaces {settings.database_path} with {source} (the current one is kept beside it).")
        if input("Type 'restore' to go on: ").strip().lower() != "restore":
            print("Nothing was changed.")
            return 1
    try:
        info, kept = restore(source, settings.database_path, latest_version=len(load_migrations()))
    except BackupError as exc:
        print(f"Restore refused: {exc}", file=sys.stderr)
        return 1
    where = f"; the replaced database is kept at {kept}" if kept else ""
    print(f"Restored {info.path} from {source} (schema {info.schema_version}){where}.")
    return 0


def _migrate_to_postgres(source: Path, url: str) -> int:
    if not url.startswith(("postgresql://", "postgres://")):
        print(f"migrate-to-postgres: {url!r} is not a postgresql:// URL.", file=sys.stderr)
        return 2
    if not source.is_file():
        print(f"migrate-to-postgres: there is no SQLite database at {source}.", file=sys.stderr)
        return 2
    try:
        report = asyncio.run(copy_to_postgres(source, url))
    except (TransferError, OSError, sqlite3.DatabaseError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        print(f"Copy refused or failed; the PostgreSQL database was left as it was: {exc}", file=sys.stderr)
        return 1
    for table, rows in sorted(report.rows.items()):
        print(f"  {table}: {rows:,} rows")
    print(
        f"Copied {report.total:,} rows in {len(report.rows)} tables from {source} to {redacted_url(url)}; "
        "every table's row count matches. Set DATABASE_URL to run on it (keep the SQLite file as a backup)."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the settings once, and run the bot, check it, or back up or restore its database."""
    parser = argparse.ArgumentParser(prog="kindred", description="Kindred, a recovery peer-support Discord bot.")
    parser.add_argument("--check", action="store_true", help="validate config and migrate the database, then exit")
    parser.add_argument("--env-file", default=".env", help="path of the .env file (default: .env)")
    commands = parser.add_subparsers(dest="command", metavar="{backup,restore,migrate-to-postgres}")
    backup_cmd = commands.add_parser("backup", help="copy the database consistently, even while the bot runs")
    backup_cmd.add_argument("path", type=Path, help="file to write the backup to")
    restore_cmd = commands.add_parser("restore", help="replace the database with a backup (the bot must be stopped)")
    restore_cmd.add_argument("path", type=Path, help="backup file to restore")
    restore_cmd.add_argument("--yes", action="store_true", help="don't ask for confirmation")
    move_cmd = commands.add_parser(
        "migrate-to-postgres", help="copy a SQLite database into an empty PostgreSQL one and verify the row counts"
    )
    move_cmd.add_argument("sqlite_path", type=Path, help="the SQLite file (stop the bot first)")
    move_cmd.add_argument("database_url", help="postgresql://USER:PASSWORD@HOST/DBNAME of an empty database")
    args = parser.parse_args(argv)
    if args.command == "migrate-to-postgres":
        configure_logging(logging.WARNING)
        return _migrate_to_postgres(args.sqlite_path, args.database_url)

    env = _read_env(args.env_file)
    try:
        settings = load_settings(env, require_token=not args.check and args.command is None)
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "backup":
        return _backup(settings, args.path)
    if args.command == "restore":
        return _restore(settings, args.path, confirmed=args.yes)
    configure_logging(settings.log_level_number)
    with contextlib.suppress(KeyboardInterrupt):
        try:
            return asyncio.run(_check(settings) if args.check else _run(settings))
        except (OSError, sqlite3.DatabaseError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            # A folder that can't be created, a file that isn't a Kindred database, a server that can't be
            # reached or refuses the login: say which setting to fix instead of printing a traceback.
            name = "DATABASE_URL" if settings.uses_postgres else "DATABASE_PATH"
            print(f"Configuration error: {name}: can't use {settings.database_where!r} ({exc})", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
