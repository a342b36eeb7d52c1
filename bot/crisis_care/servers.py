"""Which servers a member's private answer offers to ask for someone to talk to ("Talk to someone in …").

One process running every shard has all of a member's servers in its cache, and builds the list from there as
it always has. In a cluster, a DM reaches one process, which sees only its own shards' servers: the list then
comes from the database, where each server's owner notes the members it sees posting (once a day at most,
in the background), and only servers with a crisis alert channel are offered.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.crisis_care.work import CareWork, NamedServer, Source

if TYPE_CHECKING:
    from bot.host import Host

__all__ = ["MAX_TALK_SERVERS", "NOTE_AGAIN_AFTER", "TalkServers"]

log = logging.getLogger(__name__)

MAX_TALK_SERVERS = 3  # a short answer: more buttons than this would bury the contacts
# A member seen again within a day needs no new write; their server's new name shows a day late at most.
NOTE_AGAIN_AFTER = timedelta(days=1)
# Only a stand-in to spare writes: past this size the memory starts over (costing one write per member).
_NOTED_LIMIT = 20000


class TalkServers:
    """Notes where members are seen (in a cluster) and lists the servers an answer offers."""

    def __init__(self, bot: Host, work: CareWork) -> None:
        self.bot = bot
        self.work = work
        self._noted: dict[tuple[int, int], tuple[str, datetime]] = {}

    def note_seen(self, message: discord.Message) -> None:
        """In a cluster, record in the background that the author is in the message's server. Never raises."""
        guild = message.guild
        if guild is None or not self.bot.timers.ownership.partial:
            return
        key, now = (guild.id, message.author.id), self.bot.clock.now()
        noted = self._noted.get(key)
        if noted is not None and noted[0] == guild.name and now - noted[1] < NOTE_AGAIN_AFTER:
            return
        if len(self._noted) >= _NOTED_LIMIT:
            self._noted.clear()
        name = guild.name

        async def note() -> None:
            await self.bot.store.crisis.note_member_server(key[0], key[1], name, now=now)
            self._noted[key] = (name, now)

        self.work.write_later("noting a member's server", note)

    async def for_answer(self, source: Source) -> Sequence[NamedServer]:
        """The servers whose team the member could ask to talk to from this answer."""
        if source.guild_id is not None:
            guild = self.bot.get_guild(source.guild_id)
            return [guild] if guild is not None else []
        if self.bot.timers.ownership.partial:
            stored = await self.work.attempt(
                "reading the member's servers", lambda: self.bot.store.crisis.talk_servers(source.user_id), None
            )
            if stored is not None:
                return stored[:MAX_TALK_SERVERS]
            # The database can't say: this process's own servers, from its cache, are better than none.
        user = self.bot.get_user(source.user_id)
        return sorted(user.mutual_guilds, key=lambda g: g.name)[:MAX_TALK_SERVERS] if user is not None else []
