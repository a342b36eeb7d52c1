"""Core repositories: server settings, member preferences, and the interest catalogue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import to_db
from bot.guild_config import GuildConfig, default_config
from bot.store.repo import Repo, written
from bot.store.rows import from_row

__all__ = ["DEFAULT_INTERESTS", "ConfigRepo", "Interest", "InterestRepo", "MemberPrefs", "PrefsRepo"]

DEFAULT_INTERESTS: tuple[str, ...] = (
    "meditation",
    "recovery yoga",
    "music",
    "jam bands",
    "movement and parkour",
    "art and making",
    "gaming",
    "spirituality",
    "12-step",
    "SMART recovery",
    "harm reduction",
    "outdoors",
    "cooking",
)


class ConfigRepo(Repo):
    """Per-server settings stored as JSON values over the defaults."""

    async def get(self, guild_id: int) -> GuildConfig:
        """The server's settings, defaults filled in."""
        rows = await self._db.fetchall("SELECT key, value FROM guild_settings WHERE guild_id = ?", (guild_id,))
        return default_config(guild_id).with_values({r["key"]: json.loads(r["value"]) for r in rows})

    async def set(self, guild_id: int, key: str, value: Any, *, now: datetime) -> GuildConfig:
        """Store one setting (``None`` is stored, meaning "unset") and return the new config."""
        if key not in GuildConfig.__dataclass_fields__ or key == "guild_id":
            raise KeyError(key)
        await self._db.execute(
            "INSERT INTO guild_settings (guild_id, key, value, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (guild_id, key, json.dumps(value), to_db(now)),
        )
        return await self.get(guild_id)

    async def set_many(self, guild_id: int, values: dict[str, Any], *, now: datetime) -> GuildConfig:
        """Store several settings at once (all or none) and return the new config."""
        for key in values:
            if key not in GuildConfig.__dataclass_fields__ or key == "guild_id":
                raise KeyError(key)
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO guild_settings (guild_id, key, value, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                [(guild_id, key, json.dumps(value), to_db(now)) for key, value in values.items()],
            )
        return await self.get(guild_id)

    async def reset(self, guild_id: int, key: str) -> GuildConfig:
        """Forget a setting so its default applies again."""
        await self._db.execute("DELETE FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key))
        return await self.get(guild_id)


@dataclass(frozen=True, slots=True)
class MemberPrefs:
    """Personal preferences; ``None`` means "use the server's"."""

    user_id: int
    timezone: str | None = None
    region: str | None = None
    dm_closed_at: str | None = None
    dm_closed_notified: bool = False


class PrefsRepo(Repo):
    """Member preferences and DM reachability."""

    async def get(self, user_id: int) -> MemberPrefs:
        """The member's preferences (defaults if they have none)."""
        row = await self._db.fetchone(
            "SELECT timezone, region, dm_closed_at, dm_closed_notified FROM member_prefs WHERE user_id = ?",
            (user_id,),
        )
        return MemberPrefs(user_id) if row is None else from_row(MemberPrefs, row, user_id=user_id)

    async def set_timezone(self, user_id: int, timezone: str | None, *, now: datetime) -> None:
        """Save the member's IANA time zone."""
        await self._db.execute(
            "INSERT INTO member_prefs (user_id, timezone, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET timezone = excluded.timezone",
            (user_id, timezone, to_db(now)),
        )

    async def set_region(self, user_id: int, region: str | None, *, now: datetime) -> None:
        """Save the member's hotline region."""
        await self._db.execute(
            "INSERT INTO member_prefs (user_id, region, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET region = excluded.region",
            (user_id, region, to_db(now)),
        )

    async def set_locale(self, user_id: int, locale: str, *, now: datetime) -> None:
        """Remember the Discord language the member last used, for messages no interaction carries one for."""
        await self._db.execute(
            "INSERT INTO member_prefs (user_id, locale, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET locale = excluded.locale",
            (user_id, locale, to_db(now)),
        )

    async def locale_of(self, user_id: int) -> str | None:
        """The Discord language the member last used a command in (``None``: never seen, so English)."""
        value = await self._db.fetchval("SELECT locale FROM member_prefs WHERE user_id = ?", (user_id,))
        return None if value is None else str(value)

    async def mark_dm_closed(self, user_id: int, *, now: datetime) -> None:
        """Remember that a DM failed, so we stop trying and tell them next time they use a command."""
        await self._db.execute(
            "INSERT INTO member_prefs (user_id, dm_closed_at, dm_closed_notified, created_at) VALUES (?, ?, 0, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET dm_closed_at = excluded.dm_closed_at, dm_closed_notified = 0",
            (user_id, to_db(now), to_db(now)),
        )

    async def clear_dm_closed(self, user_id: int) -> None:
        """The member asked us to try DMs again."""
        await self._db.execute(
            "UPDATE member_prefs SET dm_closed_at = NULL, dm_closed_notified = 0 WHERE user_id = ?",
            (user_id,),
        )

    async def take_dm_closed_notice(self, user_id: int) -> bool:
        """True once after a DM failure: the caller should tell the member their DMs are closed."""
        changed = await self._db.execute(
            "UPDATE member_prefs SET dm_closed_notified = 1 "
            "WHERE user_id = ? AND dm_closed_at IS NOT NULL AND dm_closed_notified = 0",
            (user_id,),
        )
        return changed == 1

    async def is_reachable(self, user_id: int) -> bool:
        """False while a DM failure is on record."""
        return await self._db.fetchval("SELECT dm_closed_at FROM member_prefs WHERE user_id = ?", (user_id,)) is None


@dataclass(frozen=True, slots=True)
class Interest:
    """One entry in a server's interest catalogue."""

    id: int
    guild_id: int
    name: str
    role_id: int | None


class InterestRepo(Repo):
    """The per-server interest catalogue and who follows what."""

    async def catalogue(self, guild_id: int, *, now: datetime) -> list[Interest]:
        """The server's interests, seeding the defaults the first time anyone asks."""
        rows = await self._db.fetchall(
            "SELECT id, guild_id, name, role_id FROM interests WHERE guild_id = ? ORDER BY name", (guild_id,)
        )
        if not rows and not await self._db.exists(
            "SELECT 1 FROM guild_settings WHERE guild_id = ? AND key = 'interests_seeded'", (guild_id,)
        ):
            async with self._db.transaction() as tx:
                await tx.executemany(
                    "INSERT INTO interests (guild_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    [(guild_id, name, to_db(now)) for name in DEFAULT_INTERESTS],
                )
                # Remember the seeding so a moderator who removes every default isn't re-seeded.
                await tx.execute(
                    "INSERT INTO guild_settings (guild_id, key, value, updated_at) "
                    "VALUES (?, 'interests_seeded', 'true', ?) ON CONFLICT DO NOTHING",
                    (guild_id, to_db(now)),
                )
            rows = await self._db.fetchall(
                "SELECT id, guild_id, name, role_id FROM interests WHERE guild_id = ? ORDER BY name",
                (guild_id,),
            )
        return [Interest(r[0], r[1], r[2], r[3]) for r in rows]

    async def find(self, guild_id: int, name: str, *, now: datetime) -> Interest | None:
        """Look an interest up by name, case-insensitively."""
        for interest in await self.catalogue(guild_id, now=now):
            if interest.name.casefold() == name.strip().casefold():
                return interest
        return None

    async def add(self, guild_id: int, name: str, role_id: int | None, *, now: datetime) -> Interest:
        """Add an interest to the catalogue (or relink its role if it exists)."""
        await self.catalogue(guild_id, now=now)
        await self._db.execute(
            "INSERT INTO interests (guild_id, name, role_id, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, name) DO UPDATE SET role_id = excluded.role_id",
            (guild_id, name.strip(), role_id, to_db(now)),
        )
        return written(await self.find(guild_id, name, now=now), f"interest {name!r} in {guild_id}")

    async def remove(self, guild_id: int, name: str) -> bool:
        """Remove an interest; followers lose it too (ON DELETE CASCADE)."""
        changed = await self._db.execute(
            "DELETE FROM interests WHERE guild_id = ? AND name = ?", (guild_id, name.strip())
        )
        return changed > 0

    async def of_member(self, guild_id: int, user_id: int) -> list[str]:
        """Names of the interests a member follows in a server."""
        rows = await self._db.fetchall(
            "SELECT i.name FROM member_interests m JOIN interests i ON i.id = m.interest_id "
            "WHERE i.guild_id = ? AND m.user_id = ? ORDER BY i.name",
            (guild_id, user_id),
        )
        return [r[0] for r in rows]

    async def follow(self, interest_id: int, user_id: int) -> None:
        """Follow an interest (idempotent)."""
        await self._db.execute(
            "INSERT INTO member_interests (interest_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (interest_id, user_id),
        )

    async def unfollow(self, interest_id: int, user_id: int) -> bool:
        """Stop following an interest."""
        return (
            await self._db.execute(
                "DELETE FROM member_interests WHERE interest_id = ? AND user_id = ?", (interest_id, user_id)
            )
            > 0
        )

    async def set_notify(self, guild_id: int, user_id: int, on: bool) -> int:
        """Turn room notices on or off for every interest the member follows in the server."""
        return await self._db.execute(
            "UPDATE member_interests SET notify = ? WHERE user_id = ? "
            "AND interest_id IN (SELECT id FROM interests WHERE guild_id = ?)",
            (int(on), user_id, guild_id),
        )

    async def followers(self, interest_id: int, *, notify_only: bool = False) -> list[int]:
        """Members following an interest (optionally only those who asked for notices)."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM member_interests WHERE interest_id = ? AND (? = 0 OR notify = 1) ORDER BY user_id",
            (interest_id, int(notify_only)),
        )
        return [r[0] for r in rows]
