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
from bot.backup import backup_if_due
from bot.chains import Chains
from bot.clock import Clock
from bot.db import INTERACTIVE_WRITE_WAIT, Database, set_write_wait
from bot.db.errors import STORAGE_ERRORS
from bot.errors import send_error
from bot.features import Features
from bot.health import HealthServer
from bot.i18n import gettext_for, set_locale
from bot.messaging import DMS_CLOSED_NOTICE, NO_PINGS
from bot.metrics import Metrics
from bot.settings import Settings
from bot.shards import Ownership
from bot.store import Store
from bot.timers import BULK, LANES, TimerService
from bot.translator import KindredTranslator

__all__ = ["KindredBot", "KindredTree", "all_extensions", "build_intents"]

log = logging.getLogger(__name__)

TIMER_POLL_JOB = "timers:poll"
UPKEEP_JOB = "timers:upkeep"
BACKUP_JOB = "backup:daily"
SHUTDOWN_GRACE = 5.0  # seconds a running timer handler gets to finish when the bot stops


def build_intents() -> discord.Intents:
    """Only the gateway events the features use; everything else (typing, reactions, invites…) is traffic.

    The README lists each intent and the feature that needs it.
    """
    return discord.Intents(
        guilds=True,  # servers, channels, roles and threads: every feature
        members=True,  # privileged: pairing, welcomes, departures for data retention
        guild_messages=True,  # crisis detection reads channel messages (and edits)
        dm_messages=True,  # crisis detection reads DMs to the bot
        message_content=True,  # privileged: without it message text arrives empty
        voice_states=True,  # room attendance and empty-room clean-up
        guild_scheduled_events=True,  # RSVPs from an event's native "Interested"
    )


def all_extensions() -> list[str]:
    """Every extension in the ``cogs`` package (modules or packages not starting with ``_``)."""
    return sorted(
        f"cogs.{module.name}" for module in pkgutil.iter_modules(cogs.__path__) if not module.name.startswith("_")
    )


class KindredTree(app_commands.CommandTree["KindredBot"]):
    """Command tree with the one application-command error handler."""

    async def on_error(self, interaction: discord.Interaction[KindredBot], error: app_commands.AppCommandError) -> None:
        """Map known errors to kind messages; log the rest with a traceback."""
        command = interaction.command.qualified_name if interaction.command is not None else "unknown"
        interaction.client.metrics.command_errors.labels(command).inc()
        await send_error(interaction, error)

    async def interaction_check(self, interaction: discord.Interaction[KindredBot], /) -> bool:
        """Every command may run; its writes give up on a locked database in time to answer the member.

        Its replies are written in the member's Discord language (English when Kindred doesn't speak it).
        """
        set_write_wait(INTERACTIVE_WRITE_WAIT)  # for this interaction's task only
        set_locale(interaction.locale)  # likewise
        return True


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
        # The servers this process owns: with SHARD_IDS, only its shards' (other processes run the rest).
        self.ownership = Ownership.from_settings(settings)
        if settings.shard_count is not None:
            options.setdefault("shard_count", settings.shard_count)
        if settings.shard_ids is not None:
            options.setdefault("shard_ids", list(settings.shard_ids))
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=build_intents(),
            tree_cls=KindredTree,
            # Nobody is pinged unless a send says so (the crisis team's role on an alert, a buddy intro):
            # member text is echoed in many places, and a ping nobody meant can do real harm here.
            allowed_mentions=NO_PINGS,
            **options,
        )
        self.settings = settings
        self.db = db
        self.clock = clock or Clock()
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._timer_poll_seconds = timer_poll_seconds
        self._poll_tasks: set[asyncio.Task[Any]] = set()
        # Features register how to rebuild their timer chains from the facts (in cog_load).
        self.chains = Chains()
        # Each feature's service, set by its extension as it loads (bot/features.py).
        self.features = Features()
        self._extensions = list(extensions) if extensions is not None else all_extensions()
        # Features register here (in cog_load, removed in cog_unload) to tell partners or hosts,
        # neutrally, before /privacy delete or the retention purge erases a member's rows.
        # Each hook gets (user_id, guild_id or None for "everywhere").
        self.erase_hooks: dict[str, Callable[[int, int | None], Awaitable[None]]] = {}
        self._backup_lock = asyncio.Lock()  # the hourly job and an explicit call never copy at once
        self.metrics = Metrics()
        # Shards with a live gateway session (ready or resumed since their last disconnect), for /healthz.
        self.connected_shards: set[int] = set()
        self.metrics.watch_gateway(lambda: self.latency)
        self.health: HealthServer | None = None
        self._locales: dict[int, str] = {}  # user id -> the Discord language last saved for them

    async def setup_hook(self) -> None:
        """Migrate, build the store, start the scheduler, load extensions, then sync commands."""
        if self.ownership.partial and not self.settings.uses_postgres:
            # Not refused: one process may run some shards alone, on purpose. But the processes running the others
            # can't share a SQLite file (its run lock keeps a second process out), so their servers go unserved.
            log.warning(
                "SHARD_IDS runs %s here; the other shards' processes need the same database: set DATABASE_URL",
                self.ownership.identity,
            )
        await self.db.migrate()
        self.store = Store(self.db)
        self.timers = TimerService(self.db, self.clock, self.ownership)
        self.chains.scope = self.timers.owned_only
        self.scheduler.start()
        for name in self._extensions:
            await self.load_extension(name)
        # Handlers are registered now, so timers a crash cut off can be settled (retried or logged);
        # then every chain gets back any link a crash or a failed handler lost.
        await self.timers.recover_interrupted()
        await self.chains.reconcile()
        if self._timer_poll_seconds is not None:
            # One poll job per lane, with stable ids: the first run happens at once, which is what
            # picks up anything that fell due while the bot was down. The urgent lane (crisis
            # re-posts) has its own job, so a wave of reminders in the bulk lane never delays it.
            for lane in LANES:
                seconds = self._timer_poll_seconds if lane == BULK else min(self._timer_poll_seconds, 5.0)
                self._every(self._poll_timers, f"{TIMER_POLL_JOB}:{lane}", args=[lane], at_once=True, seconds=seconds)
            # Once a day: rebuild lost chain links (a handler may have failed for good since start-up)
            # and prune timer history.
            self._every(self.daily_upkeep, UPKEEP_JOB, at_once=False, hours=24)
        if self.settings.backup_dir is not None and self.settings.uses_postgres:
            # load_settings refuses this pair; settings built in code get the same answer, in the log.
            log.error("BACKUP_DIR backs up the SQLite file only; on PostgreSQL use pg_dump or the host's backups")
        elif self.settings.backup_dir is not None:
            # Hourly: a backup when the newest is a day old. The files say when the last one was taken,
            # so a bot restarted often still backs up daily, and one restarted twice an hour not twice.
            self._every(self.backup_if_due, BACKUP_JOB, at_once=True, hours=1)
        if self.settings.health_port is not None:
            self.health = HealthServer(
                self, self.settings.health_host, self.settings.health_port, self.settings.health_max_late_timers
            )
            await self.health.start()
        # Command names, descriptions, options and choices in every shipped language, from the catalogues.
        await self.tree.set_translator(KindredTranslator())
        await self.sync_commands()

    def _every(
        self,
        job: Callable[..., Awaitable[None]],
        job_id: str,
        *,
        at_once: bool,
        args: list[Any] | None = None,
        **interval: float,
    ) -> None:
        """Run ``job`` on an interval, under a stable id, never overlapping itself or catching up missed runs.

        ``at_once`` also runs it now; otherwise the first run is one interval away.
        """
        # APScheduler reads next_run_time=None as "paused", so it is passed only when wanted.
        first = {"next_run_time": discord.utils.utcnow()} if at_once else {}
        self.scheduler.add_job(
            job,
            "interval",
            args=args,
            id=job_id,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            **first,
            **interval,
        )

    async def backup_if_due(self) -> None:
        """Write the daily backup if one is due (in a worker thread: the copy reads the whole file)."""
        folder = self.settings.backup_dir
        if folder is None:
            return
        try:
            async with self._backup_lock:
                now = self.clock.now()
                info = await asyncio.to_thread(
                    backup_if_due, self.settings.database_path, folder, self.settings.backup_keep, now
                )
        except Exception:
            log.exception("the daily backup into %s failed; the next hourly check tries again", folder)
            return
        if info is not None:
            log.info("daily backup written to %s (%d bytes)", info.path, info.size)

    async def daily_upkeep(self) -> None:
        """Settle timers whose outcome couldn't be recorded, reconcile every chain and prune old timer rows."""
        await self.timers.recover_interrupted()
        await self.chains.reconcile()
        pruned = await self.timers.prune()
        if pruned:
            log.info("pruned %d finished timer rows", pruned)

    async def _poll_timers(self, lane: str) -> None:
        # Remember the running polls so close() can let them finish before the database goes away.
        task = asyncio.current_task()
        assert task is not None
        try:
            # The first poll is scheduled in setup_hook, before the gateway has sent any guild:
            # handlers that look up a server, channel or member must not see an empty cache.
            await self.wait_until_ready()
        except asyncio.CancelledError:
            return  # stopped before ready: nothing was claimed, so there is nothing to wait for
        self._poll_tasks.add(task)
        try:
            await self.timers.run_due(lane=lane)
        except STORAGE_ERRORS as exc:
            # Another process holds the database (a backup, the sqlite3 shell, a long PostgreSQL write): nothing was claimed,
            # so everything due is picked up by a later poll.
            log.warning("timer poll (%s lane) put off: %s", lane, exc)
        except asyncio.CancelledError:
            # Past the shutdown grace: the handler that was running had started, so the next start
            # settles its timer (retried if repeatable); everything unstarted is still pending.
            log.warning("timer poll (%s lane) cut off at shutdown", lane)
        finally:
            self._poll_tasks.discard(task)

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
        """Let the running timer finish, stop the scheduler, then disconnect. The caller closes the database."""
        if self.health is not None:
            await self.health.stop()
            self.health = None
        if hasattr(self, "timers"):
            self.timers.stop()  # nothing new is claimed; unstarted timers stay pending for the next start
        polls = [t for t in self._poll_tasks if t is not asyncio.current_task()]
        if polls:
            # Let the handler running now finish; past the grace period, cancel it. A cancelled
            # handler had started, so its timer is settled at the next start (retried only if repeatable).
            _, late = await asyncio.wait(polls, timeout=SHUTDOWN_GRACE)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
            for task in polls:
                if not task.cancelled() and task.exception() is not None:
                    log.error("timer poll failed during shutdown", exc_info=task.exception())
        if self.scheduler.running:
            # Only now: shutting the scheduler down cancels the jobs it is running, which would cut
            # a handler off without its grace period. Jobs still waiting for ready claimed nothing.
            self.scheduler.shutdown(wait=False)
        await super().close()

    async def on_app_command_completion(
        self,
        interaction: discord.Interaction,
        command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu,
    ) -> None:
        """Count the command; tell a member once, privately, that their DMs were closed when we last tried."""
        self.metrics.commands.labels(command.qualified_name).inc()
        if interaction.response.type in (None, discord.InteractionResponseType.modal):
            return  # a modal answer can't carry a followup
        await self._remember_locale(interaction)
        try:
            if await self.store.prefs.take_dm_closed_notice(interaction.user.id):
                await interaction.followup.send(gettext_for(interaction.locale, DMS_CLOSED_NOTICE), ephemeral=True)
        except discord.HTTPException:
            log.exception("could not deliver the closed-DM notice")
        except STORAGE_ERRORS as exc:
            # The database is locked or full: the notice is still owed and goes out after a later command.
            log.warning("closed-DM notice put off: %s", exc)

    async def _remember_locale(self, interaction: discord.Interaction) -> None:
        """Save the member's Discord language when it changed, for the DMs and answers no interaction carries.

        Only changes are written (remembered per process), so a busy member costs one write per restart.
        """
        locale, user_id = interaction.locale.value, interaction.user.id
        if self._locales.get(user_id) == locale:
            return
        try:
            await self.store.prefs.set_locale(user_id, locale, now=self.clock.now())
        except Exception as exc:
            # Never in the way of the member's command; the next one tries again.
            log.warning("could not remember a member's language: %s", exc)
            return
        self._locales[user_id] = locale

    async def on_shard_ready(self, shard_id: int) -> None:
        """A shard's session is up (health)."""
        self.connected_shards.add(shard_id)

    async def on_shard_resumed(self, shard_id: int) -> None:
        """A shard's session is back after a reconnect (health)."""
        self.connected_shards.add(shard_id)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        """A shard lost its gateway connection; discord.py reconnects it by itself (health)."""
        self.connected_shards.discard(shard_id)

    async def on_ready(self) -> None:
        """Only log: on_ready fires again after reconnects, so no work starts here."""
        log.info("connected as %s to %d servers (%s)", self.user, len(self.guilds), self.ownership.identity)
