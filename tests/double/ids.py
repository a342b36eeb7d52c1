"""Snowflakes, timestamps and fake secrets for the Discord double."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import time

DISCORD_EPOCH_MS = 1420070400000


class SnowflakeGenerator:
    """Monotonic Discord snowflakes seeded from the wall clock.

    Ids sort by creation order even when many are made in the same millisecond, which matters because
    discord.py (and bots) order messages and compare ids.
    """

    def __init__(self, worker: int = 1, process: int = 0) -> None:
        self._worker = worker & 0x1F
        self._process = process & 0x1F
        self._last_ms = 0
        self._increment = 0

    def __call__(self, *, shard: tuple[int, int] | None = None) -> int:
        """The next snowflake; with ``shard=(shard_id, shard_count)``, the next one that shard owns.

        A shard owns the guilds whose timestamp part is ``shard_id`` modulo ``shard_count`` (see
        :func:`shard_of`), so asking for a shard moves the clock on by at most ``shard_count - 1`` ms.
        """
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        if now_ms <= self._last_ms:
            self._increment += 1
            if self._increment >= 4096:
                self._last_ms += 1
                self._increment = 0
            now_ms = self._last_ms
        else:
            self._increment = 0
        if shard is not None and now_ms % shard[1] != shard[0]:
            now_ms += (shard[0] - now_ms) % shard[1]
            self._increment = 0
        self._last_ms = now_ms
        return (now_ms << 22) | (self._worker << 17) | (self._process << 12) | self._increment


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that receives a guild's events: ``(guild_id >> 22) % shard_count``, as Discord routes them."""
    return (guild_id >> 22) % shard_count


def snowflake_time(snowflake: int) -> dt.datetime:
    """The UTC creation time encoded in a snowflake."""
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


def iso_now() -> str:
    """The current UTC time in Discord's ISO 8601 format."""
    return dt.datetime.now(dt.UTC).isoformat()


def fake_bot_token(bot_id: int) -> str:
    """A token shaped like a real one: base64(user id) . timestamp . HMAC-looking tail."""
    head = base64.b64encode(str(bot_id).encode()).decode().rstrip("=")
    stamp = base64.urlsafe_b64encode(int(time.time()).to_bytes(4, "big")).decode().rstrip("=")
    return f"{head}.{stamp}.{secrets.token_urlsafe(28)[:38]}"


def interaction_token() -> str:
    """An opaque interaction token (real ones are long base64 strings)."""
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
