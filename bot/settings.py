"""Process-wide settings, read once in ``main()`` from the environment (and ``.env``)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.db.base import redacted_url

__all__ = ["Settings", "SettingsError", "load_settings"]

# A bot token is three base64url segments joined by dots. We only check the shape so that an
# obvious copy-paste mistake is caught before we ever talk to Discord.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{20,}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MAX_SHARDS = 100_000  # far beyond any bot's need; only keeps a typo from becoming a huge number


class SettingsError(ValueError):
    """A setting is missing or invalid. The message names the setting and fits on one line."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name


@dataclass(frozen=True, slots=True)
class Settings:
    """Typed, immutable configuration for one bot process."""

    # Left out of repr() and str(): settings get logged and printed, and the token must never be.
    discord_token: str = field(repr=False)
    database_path: Path = Path("data/kindred.db")
    # A postgresql:// URL: the data lives in that PostgreSQL database instead of the SQLite file (repr'd
    # without its password by :attr:`database_where`; the URL itself stays out of repr() like the token).
    database_url: str | None = field(default=None, repr=False)
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    # The crisis detector's second opinion (a sentence model, ~100 MB of memory, milliseconds a message).
    crisis_sentence_model: bool = True
    # Daily backups of the database into this folder (off when None), keeping the newest ``backup_keep``.
    backup_dir: Path | None = None
    backup_keep: int = 7
    # /healthz and /metrics over HTTP on this port (off when None), on health_host.
    health_port: int | None = None
    health_host: str = "127.0.0.1"
    # /healthz fails when more timers than this are more than five minutes late.
    health_max_late_timers: int = 100
    # Sharding across processes: this process runs shards ``shard_ids`` of ``shard_count`` (bot/shards.py).
    # Both None: Discord recommends a count and this process runs every shard.
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @property
    def database_target(self) -> Path | str:
        """What :meth:`bot.db.Database.open` opens: the PostgreSQL URL when set, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def uses_postgres(self) -> bool:
        """Whether the data lives in PostgreSQL (``DATABASE_URL``) rather than the SQLite file."""
        return self.database_url is not None

    @property
    def database_where(self) -> str:
        """The database for messages: the SQLite path, or the PostgreSQL URL without its password."""
        return str(self.database_path) if self.database_url is None else redacted_url(self.database_url)

    @property
    def log_level_number(self) -> int:
        """The ``logging`` module's number for :attr:`log_level`."""
        return logging.getLevelNamesMapping()[self.log_level]


def load_settings(env: Mapping[str, str], *, require_token: bool = True) -> Settings:
    """Build :class:`Settings` from an environment mapping.

    Raises :class:`SettingsError` naming the first bad setting. ``require_token=False`` lets
    ``--check`` validate everything else on a machine that has no token yet.
    """
    token = env.get("DISCORD_TOKEN", "").strip()
    if require_token or token:
        if not token:
            raise SettingsError("DISCORD_TOKEN", "is not set; copy .env.example to .env and paste your bot token")
        if not _TOKEN_SHAPE.match(token):
            raise SettingsError(
                "DISCORD_TOKEN",
                "does not look like a bot token (expected three dot-separated parts from the Developer Portal)",
            )

    raw_path = env.get("DATABASE_PATH", "").strip() or "data/kindred.db"
    database_path = Path(raw_path).expanduser()
    if database_path.exists() and database_path.is_dir():
        raise SettingsError("DATABASE_PATH", f"{raw_path!r} is a folder; give a file path such as data/kindred.db")

    database_url = env.get("DATABASE_URL", "").strip() or None
    if database_url is not None:
        scheme = urlsplit(database_url).scheme
        if scheme not in ("postgresql", "postgres"):
            raise SettingsError(
                "DATABASE_URL",
                f"must start with postgresql:// (got {scheme + '://' if scheme else 'no scheme'}); "
                "leave it empty to use the SQLite file at DATABASE_PATH",
            )

    raw_guild = env.get("DEV_GUILD_ID", "").strip()
    dev_guild_id: int | None = None
    if raw_guild:
        if not (raw_guild.isascii() and raw_guild.isdigit()) or not 15 <= len(raw_guild) <= 21:
            raise SettingsError("DEV_GUILD_ID", f"{raw_guild!r} is not a server id (a 17-20 digit number)")
        dev_guild_id = int(raw_guild)

    log_level = (env.get("LOG_LEVEL", "").strip() or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        raise SettingsError("LOG_LEVEL", f"{log_level!r} is not one of {', '.join(_LOG_LEVELS)}")

    raw_model = (env.get("CRISIS_SENTENCE_MODEL", "").strip() or "on").lower()
    if raw_model not in ("on", "off"):
        raise SettingsError("CRISIS_SENTENCE_MODEL", f"{raw_model!r} is not on or off")

    raw_backup_dir = env.get("BACKUP_DIR", "").strip()
    backup_dir = Path(raw_backup_dir).expanduser() if raw_backup_dir else None
    if backup_dir is not None and backup_dir.exists() and not backup_dir.is_dir():
        raise SettingsError("BACKUP_DIR", f"{raw_backup_dir!r} is a file; give a folder such as data/backups")
    if backup_dir is not None and database_url is not None:
        raise SettingsError(
            "BACKUP_DIR",
            "backs up the SQLite file only, and DATABASE_URL points at PostgreSQL; back that up with pg_dump or "
            "your host's backups, and leave BACKUP_DIR empty",
        )
    backup_keep = _number(env, "BACKUP_KEEP", 7, 1, 365, "a number of backups from 1 to 365")
    assert backup_keep is not None

    health_port = _number(env, "HEALTH_PORT", None, 1, 65535, "a port from 1 to 65535")
    health_host = env.get("HEALTH_HOST", "").strip() or "127.0.0.1"
    max_late = _number(env, "HEALTH_MAX_LATE_TIMERS", 100, 0, 1_000_000, "a number of timers")
    assert max_late is not None

    shard_count = _number(env, "SHARD_COUNT", None, 1, MAX_SHARDS, f"a number of shards from 1 to {MAX_SHARDS}")
    shard_ids = _shard_ids(env.get("SHARD_IDS", "").strip(), shard_count)

    return Settings(
        discord_token=token,
        database_path=database_path,
        database_url=database_url,
        dev_guild_id=dev_guild_id,
        log_level=log_level,
        crisis_sentence_model=raw_model == "on",
        backup_dir=backup_dir,
        backup_keep=backup_keep,
        health_port=health_port,
        health_host=health_host,
        health_max_late_timers=max_late,
        shard_count=shard_count,
        shard_ids=shard_ids,
    )


def _shard_ids(raw: str, shard_count: int | None) -> tuple[int, ...] | None:
    """``SHARD_IDS`` (comma-separated shard numbers, each below ``SHARD_COUNT``), sorted; ``None`` when unset."""
    if not raw:
        return None
    if shard_count is None:
        raise SettingsError("SHARD_IDS", "needs SHARD_COUNT (how many shards the whole bot runs, across processes)")
    parts = [part.strip() for part in raw.split(",")]
    if any(not (part.isascii() and part.isdigit()) for part in parts):
        raise SettingsError("SHARD_IDS", f"{raw[:40]!r} is not a comma-separated list of shard numbers such as 0,2")
    ids = [int(part) for part in parts]
    too_big = [i for i in ids if i >= shard_count]
    if too_big:
        raise SettingsError(
            "SHARD_IDS",
            f"shard {too_big[0]} doesn't exist: with SHARD_COUNT={shard_count}, "
            f"shards are numbered 0 to {shard_count - 1}",
        )
    if len(set(ids)) != len(ids):
        raise SettingsError("SHARD_IDS", f"{raw[:40]!r} names a shard twice")
    return tuple(sorted(ids))


def _number(env: Mapping[str, str], name: str, default: int | None, low: int, high: int, what: str) -> int | None:
    """An integer setting between ``low`` and ``high``; ``default`` when unset."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise SettingsError(name, f"{raw[:40]!r} is not {what}")
    return int(raw)
