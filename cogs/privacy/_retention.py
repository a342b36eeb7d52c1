"""Retention the gateway can't announce: members who left while the bot was offline, and servers that removed it."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.db.errors import CLOSED_ERRORS
from bot.privacy_ops import RETENTION_KIND, clear_departure, departures_in, retention_due, retention_key
from bot.retention import (
    GUILD_PURGE_KIND,
    all_guild_departures,
    clear_guild_departure,
    erase_guild,
    guild_purge_key,
    members_with_data,
    note_departure,
    record_guild_departure,
)
from cogs._hooks import HookedCog, Hooks, TimerRoute

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.timers import Timer

__all__ = ["ServerRetention"]

log = logging.getLogger(__name__)


class ServerRetention(HookedCog, commands.Cog):
    """Start-up departure audit and the purge of servers that removed the bot."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        self.hooks = Hooks(
            "server-retention",
            # A server purge can run again safely: it re-reads the removal and erasing twice removes nothing more.
            timers=[TimerRoute(GUILD_PURGE_KIND, self.on_guild_purge_timer, retry_interrupted=True)],
            reconcile=self.reconcile,
        )

    # -- members who left while we were away ------------------------------------------------------
    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        """The server's member list arrived (at start-up or after an outage): compare it with our records."""
        try:
            await self.audit_members(guild)
        except CLOSED_ERRORS:
            if not self.bot.is_closed():
                raise
            # The bot stopped and its database closed mid-audit; the next start audits again.

    async def audit_members(self, guild: discord.Guild) -> int:
        """Start the retention period for members we hold data for who are gone; returns how many."""
        if not guild.chunked:
            # Without the full member list, absent is not the same as gone: erasing on a guess is not allowed.
            log.warning("member list of server %s incomplete; departure audit skipped", guild.id)
            return 0
        present = {member.id for member in guild.members}
        now = self.bot.clock.now()
        for user_id, _ in await departures_in(self.bot.db, guild.id):
            if user_id in present and await clear_departure(self.bot.db, guild.id, user_id):
                await self.bot.timers.cancel(dedupe_key=retention_key(guild.id, user_id))  # came back meanwhile
        gone = 0
        for user_id in sorted(await members_with_data(self.bot.db, guild.id) - present):
            if await note_departure(self.bot.db, guild.id, user_id, now):
                config = await self.bot.store.config.get(guild.id)
                await self.bot.timers.schedule(
                    RETENTION_KIND,
                    retention_due(now, config.retention_days),
                    guild_id=guild.id,
                    user_id=user_id,
                    dedupe_key=retention_key(guild.id, user_id),
                )
                gone += 1
        if gone:
            log.info("%d members left server %s while the bot was away; retention started", gone, guild.id)
        return gone

    # -- servers that removed the bot -------------------------------------------------------------
    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot was removed: keep the server's data for its retention period, then erase it."""
        await record_guild_departure(self.bot.db, guild.id, self.bot.clock.now())
        await self.reconcile()

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Added back within the retention period: everything is kept."""
        if await clear_guild_departure(self.bot.db, guild.id):
            await self.bot.timers.cancel(dedupe_key=guild_purge_key(guild.id))
            log.info("server %s added the bot back within retention; data kept", guild.id)
        await self.audit_members(guild)

    async def reconcile(self) -> int:
        """Every recorded removal has its purge timer; returns how many were added."""
        taken = await self.bot.timers.active_keys(f"{GUILD_PURGE_KIND}:")
        added = 0
        for guild_id, left_at in await all_guild_departures(self.bot.db):
            if guild_purge_key(guild_id) not in taken:
                await self._schedule(guild_id, left_at)
                added += 1
        return added

    async def _schedule(self, guild_id: int, left_at: datetime) -> None:
        config = await self.bot.store.config.get(guild_id)
        await self.bot.timers.schedule(
            GUILD_PURGE_KIND,
            retention_due(left_at, config.retention_days),
            guild_id=guild_id,
            dedupe_key=guild_purge_key(guild_id),
        )

    async def on_guild_purge_timer(self, timer: Timer) -> None:
        """The retention period passed without the bot coming back: erase the server's data."""
        assert timer.guild_id is not None
        self.bot.ownership.require(timer.guild_id)  # only its owner can tell the bot is gone from it
        if self.bot.get_guild(timer.guild_id) is not None:
            await clear_guild_departure(self.bot.db, timer.guild_id)  # back, and we missed the join
            return
        present = {m.id for g in self.bot.guilds for m in g.members}
        if self.bot.ownership.partial:
            # Other processes' servers are out of sight: any member may still share one with the bot, so
            # personal data (a crisis mute) stays; only this server's rows go.
            present |= await members_with_data(self.bot.db, timer.guild_id)
        await erase_guild(self.bot.db, timer.guild_id, still_present=present)
