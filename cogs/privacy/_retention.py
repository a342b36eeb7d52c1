"""Retention: members who left and servers that removed the bot, kept for the server's retention period, then erased.

A departure the gateway announces (a member leaving, the bot removed) starts the period at once; members who left
while the bot was offline are found by the audit when a server's member list arrives. Each period is a timer; coming
back before it ends cancels it, and the reconcile adds any timer that went missing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.db.errors import closed_under_us
from bot.events import ConfigChange
from bot.privacy_ops import (
    RETENTION_KIND,
    all_departures,
    clear_departure,
    departures_in,
    purge_departed,
    record_departure,
    retention_due,
    retention_key,
)
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

__all__ = ["Retention"]

log = logging.getLogger(__name__)


def _purge_timer(guild_id: int, user_id: int | None) -> tuple[str, str]:
    """Kind and dedupe key of the purge of a member's data in a server, or without a member, of the server's."""
    if user_id is None:
        return GUILD_PURGE_KIND, guild_purge_key(guild_id)
    return RETENTION_KIND, retention_key(guild_id, user_id)


class Retention(HookedCog, commands.Cog):
    """Retention: members who left and servers that removed the bot, kept for the server's retention period, then
    erased."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        self.hooks = Hooks(
            "retention",
            timers=[
                # A purge can run again safely: it re-reads the departure and erasing twice removes nothing more.
                TimerRoute(RETENTION_KIND, self.on_retention_timer, retry_interrupted=True),
                # A server purge can run again safely: it re-reads the removal and erasing twice removes nothing more.
                TimerRoute(GUILD_PURGE_KIND, self.on_guild_purge_timer, retry_interrupted=True),
            ],
            reconcile=self.reconcile,
        )

    # -- members who left -------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        """A member left: keep their data for the retention period, then erase it."""
        if payload.user.bot:
            return
        guild_id, user_id = payload.guild_id, payload.user.id
        left_at = self.bot.clock.now()
        await record_departure(self.bot.db, guild_id, user_id, left_at)
        await self._schedule_purge(guild_id, left_at, user_id)

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        """Welcome back: a member who returns within the retention period keeps everything."""
        if await clear_departure(self.bot.db, member.guild.id, member.id):
            await self.bot.timers.cancel(dedupe_key=retention_key(member.guild.id, member.id))
            log.info("member returned to guild %s within retention; data kept", member.guild.id)

    @commands.Cog.listener()
    async def on_guild_config_changed(self, change: ConfigChange) -> None:
        """A new retention period applies to members who already left, counted from when they left."""
        if change.key != "retention_days" or not isinstance(change.new, int):
            return
        for user_id, left_at in await departures_in(self.bot.db, change.guild_id):
            await self._schedule_purge(change.guild_id, left_at, user_id, days=change.new)

    async def on_retention_timer(self, timer: Timer) -> None:
        """The retention period passed: erase the member's data for that server."""
        if timer.guild_id is None or timer.user_id is None:
            log.warning("retention timer %s has no guild or user; ignored", timer.id)
            return
        guild_id, user_id = timer.guild_id, timer.user_id
        self.bot.ownership.require(guild_id)  # only its owner sees whether the member came back
        guild = self.bot.get_guild(guild_id)
        if guild is not None and guild.get_member(user_id) is not None:
            # They came back but we missed the join event (e.g. while offline): keep everything.
            await clear_departure(self.bot.db, guild_id, user_id)
            return
        # Other processes' servers are out of sight: the member may share one of them, so personal data stays.
        shares = self.bot.ownership.partial or any(
            g.get_member(user_id) is not None for g in self.bot.guilds if g.id != guild_id
        )
        report = await purge_departed(self.bot.db, self.bot.erase_hooks, guild_id, user_id, shares_a_server=shares)
        if report is not None:
            log.info("retention purge in guild %s removed %d rows", guild_id, report.total)

    # -- members who left while we were away ------------------------------------------------------
    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        """The server's member list arrived (at start-up or after an outage): compare it with our records."""
        try:
            await self.audit_members(guild)
        except Exception as exc:
            if not (closed_under_us(exc) and self.bot.is_closed()):
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
                await self._schedule_purge(guild.id, now, user_id)
                gone += 1
        if gone:
            log.info("%d members left server %s while the bot was away; retention started", gone, guild.id)
        return gone

    # -- servers that removed the bot -------------------------------------------------------------
    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot was removed: keep the server's data for its retention period, then erase it."""
        await record_guild_departure(self.bot.db, guild.id, self.bot.clock.now())
        await self._reconcile_servers()

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Added back within the retention period: everything is kept."""
        if await clear_guild_departure(self.bot.db, guild.id):
            await self.bot.timers.cancel(dedupe_key=guild_purge_key(guild.id))
            log.info("server %s added the bot back within retention; data kept", guild.id)
        await self.audit_members(guild)

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

    # -- timers -----------------------------------------------------------------------------------
    async def reconcile(self) -> int:
        """Every member departure and server removal has its purge timer; returns how many were missing and added."""
        departures = await all_departures(self.bot.db)
        return await self._add_missing(RETENTION_KIND, departures) + await self._reconcile_servers()

    async def _reconcile_servers(self) -> int:
        """Every recorded removal has its purge timer; returns how many were added."""
        removals = await all_guild_departures(self.bot.db)
        return await self._add_missing(GUILD_PURGE_KIND, [(guild_id, None, left_at) for guild_id, left_at in removals])

    async def _add_missing(self, kind: str, departures: Iterable[tuple[int, int | None, datetime]]) -> int:
        """Schedule the purge of each departure that has no pending or running timer of ``kind``; returns how many."""
        taken = await self.bot.timers.active_keys(f"{kind}:")
        added = 0
        for guild_id, user_id, left_at in departures:
            if _purge_timer(guild_id, user_id)[1] not in taken:
                await self._schedule_purge(guild_id, left_at, user_id)
                added += 1
        return added

    async def _schedule_purge(
        self, guild_id: int, left_at: datetime, user_id: int | None = None, *, days: int | None = None
    ) -> None:
        """Erase a member's data in a server (without ``user_id``, the server's) ``days`` after ``left_at``.

        ``days`` defaults to the server's retention period as configured now.
        """
        if days is None:
            days = (await self.bot.store.config.get(guild_id)).retention_days
        kind, key = _purge_timer(guild_id, user_id)
        await self.bot.timers.schedule(
            kind, retention_due(left_at, days), guild_id=guild_id, user_id=user_id, dedupe_key=key
        )
