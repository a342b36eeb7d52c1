"""The opt-in health and metrics endpoint (``HEALTH_PORT``): ``/healthz`` and ``/metrics`` over HTTP.

``/healthz`` answers 200 when the bot can do its work and 503 with the reasons when it can't: the gateway
is connected (every shard), the database takes a write (a write lock taken and released, nothing changed)
within :data:`DB_WAIT` seconds, and fewer than the allowed number of timers are more than :data:`LATE_AFTER`
late. ``/metrics`` serves :class:`bot.metrics.Metrics` in Prometheus' text format.

It serves on ``HEALTH_HOST`` (127.0.0.1 unless the operator says otherwise): neither page carries member
data, but neither needs to be public. aiohttp is already there, as discord.py's HTTP client.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.db import write_wait

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.db import Database
    from bot.metrics import Metrics
    from bot.timers import TimerService

__all__ = ["DB_WAIT", "LATE_AFTER", "HealthServer", "Watched"]

log = logging.getLogger(__name__)

DB_WAIT = 2.0
LATE_AFTER = timedelta(minutes=5)


class Watched(Protocol):
    """What the health endpoint reads from the bot; typed by shape so this module never imports the client."""

    @property
    def db(self) -> Database: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def metrics(self) -> Metrics: ...
    @property
    def timers(self) -> TimerService: ...
    @property
    def shards(self) -> Mapping[int, Any]: ...
    @property
    def connected_shards(self) -> set[int]: ...
    def is_closed(self) -> bool: ...
    def is_ready(self) -> bool: ...


class HealthServer:
    """``/healthz`` and ``/metrics`` for one bot, on ``host:port``."""

    def __init__(self, bot: Watched, host: str, port: int, max_late_timers: int) -> None:
        self.bot = bot
        self.host = host
        self.port = port
        self.max_late_timers = max_late_timers
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)

    async def start(self) -> None:
        """Listen; an address already in use is raised (the operator must pick another HEALTH_PORT)."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening."""
        await self._runner.cleanup()

    def gateway_connected(self) -> bool:
        """Every shard this process runs has a live gateway session (ready, or resumed since it dropped)."""
        bot = self.bot
        if bot.is_closed() or not bot.is_ready():
            return False
        shards = set(bot.shards)
        return bool(shards) and shards <= bot.connected_shards

    async def database_seconds(self) -> float:
        """How long taking and releasing the write lock took; raises when it can't within :data:`DB_WAIT`."""
        start = time.perf_counter()
        with write_wait(DB_WAIT):
            async with asyncio.timeout(DB_WAIT * 2), self.bot.db.transaction():
                pass
        return time.perf_counter() - start

    async def problems(self) -> list[str]:
        """Why the bot is unhealthy, one plain sentence each; empty when healthy."""
        found: list[str] = []
        if not self.gateway_connected():
            found.append("the gateway is not connected")
        try:
            seconds = await self.database_seconds()
            self.bot.metrics.database_latency.set(seconds)
        except Exception as exc:  # locked, read-only, full or gone: all mean "no writes"
            found.append(f"the database does not take writes ({type(exc).__name__})")
        try:
            due, late = await self.bot.timers.backlog(self.bot.clock.now(), LATE_AFTER)
            self.bot.metrics.timers.labels("due").set(due)
            self.bot.metrics.timers.labels("late").set(late)
            if late > self.max_late_timers:
                minutes = int(LATE_AFTER.total_seconds() // 60)
                found.append(
                    f"timer backlog: {late} timers are more than {minutes} minutes late (limit {self.max_late_timers})"
                )
        except Exception as exc:
            found.append(f"the timer backlog can't be read ({type(exc).__name__})")
        return found

    async def _healthz(self, request: web.Request) -> web.Response:
        found = await self.problems()
        if found:
            log.warning("health check failed: %s", "; ".join(found))
        body = {"status": "unhealthy" if found else "ok", "problems": found}
        return web.json_response(body, status=503 if found else 200)

    async def _metrics(self, request: web.Request) -> web.Response:
        await self.problems()  # refreshes the database and timer gauges
        try:
            counts = await self.bot.timers.counts()
            self.bot.metrics.timers.labels("failed").set(
                sum(n for (_, status), n in counts.items() if status == "failed")
            )
        except Exception:
            log.exception("metrics: could not count failed timers")
        return web.Response(body=self.bot.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})
