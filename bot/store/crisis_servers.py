"""Crisis care's record of the servers each member was seen in, shared by every process of a cluster.

A process has only its own shards' servers in its cache, but a member's DM reaches one process whichever
servers they share with the bot: the private answer's "Talk to someone in …" buttons are built from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import to_db
from bot.store.repo import Repo

__all__ = ["CrisisServerRepo", "MemberServer"]


# A setting that was reset has no row; one set to nothing holds JSON null.
_ALERT_CHANNEL_KEY, _UNSET = "crisis_alert_channel_id", "null"


@dataclass(frozen=True, slots=True)
class MemberServer:
    """A server a member was seen in: its id and name (as a talk button names it)."""

    id: int
    name: str


class CrisisServerRepo(Repo):
    """The ``crisis_member_servers`` table (the crisis repository's part for the servers members are in)."""

    async def note_member_server(self, guild_id: int, user_id: int, guild_name: str, *, now: datetime) -> None:
        """The member was seen in the server (named ``guild_name``) now."""
        await self._db.execute(
            "INSERT INTO crisis_member_servers (guild_id, user_id, guild_name, seen_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO UPDATE SET guild_name = excluded.guild_name, seen_at = excluded.seen_at",
            (guild_id, user_id, guild_name, to_db(now)),
        )

    async def talk_servers(self, user_id: int) -> list[MemberServer]:
        """The servers the member was seen in that have a crisis alert channel set, by name.

        Left out: a server the member left after they were last seen there, and one that removed the bot."""
        rows = await self._db.fetchall(
            "SELECT s.guild_id, s.guild_name FROM crisis_member_servers s "
            "JOIN guild_settings g ON g.guild_id = s.guild_id AND g.key = ? AND g.value != ? "
            "WHERE s.user_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM departures d WHERE d.guild_id = s.guild_id AND d.user_id = s.user_id "
            "AND d.left_at >= s.seen_at) "
            "AND NOT EXISTS (SELECT 1 FROM guild_departures gd WHERE gd.guild_id = s.guild_id)",
            (_ALERT_CHANNEL_KEY, _UNSET, user_id),
        )
        # Sorted here, not in SQL: the two backends order text by different collations.
        return sorted((MemberServer(r["guild_id"], r["guild_name"]) for r in rows), key=lambda s: (s.name, s.id))
