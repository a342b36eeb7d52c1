"""The Kindred bot: resources in, extensions loaded in a fixed order, nothing global."""

from __future__ import annotations

import asyncio
import logging
import pkgutil
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord import app_commands
from discord.ext import commands

import cogs
from bot.clock import Clock
from bot.db import Database
from bot.errors import send_error
from bot.messaging import DMS_CLOSED_NOTICE
from bot.settings import Settings
from bot.store import Store
from bot.timers import TimerService

__all__ = ["KindredBot", "KindredTree", "all_extensions", "build_intents"]

log = logging.getLogger(__name__)

TIMER_POLL_JOB = "timers:poll"


def build_intents() -> discord.Intents:
    """Default intents plus the two privileged ones the features need.

    ``message_content`` lets crisis detection read messages; ``members`` lets pairing and
    welcomes see who is in the server and who joins.
    """
    intents = discord.Intents.default()
    intents.message_content = True
    intents.members = True
    return intents


def all_extensions() -> list[str]:
    """Every extension in the ``cogs`` package (modules or packages not starting with ``_``)."""
    return sorted(
        f"cogs.{module.name}" for module in pkgutil.iter_modules(cogs.__path__) if not module.name.startswith("_")
    )


class KindredTree(app_commands.CommandTree["KindredBot"]):
    """Command tree with the one application-command error handler."""

    async def on_error(self, interaction: discord.Interaction[KindredBot], error: app_commands.AppCommandError) -> None:
        """Map known errors to kind messages; log the rest with a traceback."""
        await send_error(interaction, error)


class KindredBot(commands.AutoShardedBot):
    """The bot. Sharding-ready; the database and clock are handed in, never created globally."""

    store: Store
    timers: TimerService

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        clock: Clock | None = None,
        timer_poll_seconds: float | None = 15.0,
        extensions: Sequence[str] | None = None,
        **options: Any,
    ) -> None:
        # Kindred never joins voice (attendance comes from voice-state events), so discord.py's
        # warnings about missing voice libraries would only alarm operators at every start.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=build_intents(),
            tree_cls=KindredTree,
            # Member text is echoed in many places: nothing a member types may ping a group.
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True, replied_user=False),
            **options,
        )
        self.settings = settings
        self.db = db
        self.clock = clock or Clock()
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._timer_poll_seconds = timer_poll_seconds
        self._poll_task: asyncio.Task[None] | None = None
        self._extensions = list(extensions) if extensions is not None else all_extensions()
        # Features register here (in cog_load, removed in cog_unload) to tell partners or hosts,
        # neutrally, before /privacy delete or the retention purge erases a member's rows.
        # Each hook gets (user_id, guild_id or None for "everywhere").
        self.erase_hooks: dict[str, Callable[[int, int | None], Awaitable[None]]] = {}

    async def setup_hook(self) -> None:
        """Migrate, build the store, start the scheduler, load extensions, then sync commands."""
        await self.db.migrate()
        self.store = Store(self.db)
        self.timers = TimerService(self.db, self.clock)
        self.scheduler.start()
        for name in self._extensions:
            await self.load_extension(name)
        # Handlers are registered now, so timers a crash cut off can be settled (retried or logged).
        await self.timers.recover_interrupted()
        if self._timer_poll_seconds is not None:
            # One poll job with a stable id: the first run happens at once, which is what picks
            # up anything that fell due while the bot was down.
            self.scheduler.add_job(
                self._poll_timers,
                "interval",
                seconds=self._timer_poll_seconds,
                id=TIMER_POLL_JOB,
                replace_existing=True,
                next_run_time=discord.utils.utcnow(),
                max_instances=1,
                coalesce=True,
            )
        await self.sync_commands()

    async def _poll_timers(self) -> None:
        # Remember the running poll so close() can let it finish before the database goes away.
        self._poll_task = asyncio.current_task()
        try:
            # The first poll is scheduled in setup_hook, before the gateway has sent any guild:
            # handlers that look up a server, channel or member must not see an empty cache.
            await self.wait_until_ready()
            await self.timers.run_due()
        finally:
            self._poll_task = None

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Sync to the development server if one is set (instant), otherwise globally."""
        if self.settings.dev_guild_id is not None:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d application commands", len(synced))
        return synced

    async def close(self) -> None:
        """Stop the scheduler, then disconnect. The caller closes the database it opened."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        poll = self._poll_task
        if poll is not None and poll is not asyncio.current_task():
            # Let the current batch finish (each timer is already claimed, so nothing fires twice);
            # past the grace period, cancel: a cancelled timer stays 'running' and is never re-sent.
            try:
                await asyncio.wait_for(asyncio.shield(poll), timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                poll.cancel()
            except Exception:
                log.exception("timer poll failed during shutdown")
        await super().close()

    async def on_app_command_completion(
        self,
        interaction: discord.Interaction,
        command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu,
    ) -> None:
        """Tell a member once, privately, that their DMs were closed when we last tried."""
        if interaction.response.type in (None, discord.InteractionResponseType.modal):
            return  # a modal answer can't carry a followup
        try:
            if await self.store.prefs.take_dm_closed_notice(interaction.user.id):
                await interaction.followup.send(DMS_CLOSED_NOTICE, ephemeral=True)
        except discord.HTTPException:
            log.exception("could not deliver the closed-DM notice")

    async def on_ready(self) -> None:
        """Only log: on_ready fires again after reconnects, so no work starts here."""
        log.info("connected as %s to %d servers", self.user, len(self.guilds))
