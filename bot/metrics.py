"""The bot's metrics, in Prometheus' format (``/metrics`` on the health port, :mod:`bot.health`).

One registry per bot, not the library's global one: tests run several bots in one process. Labels are
command names, DM failure reasons and timer states only: **no member id, server id or text** ever becomes a
label or a value, so a metrics store never holds anything ``/privacy delete`` would have to erase.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

__all__ = ["Metrics"]


class Metrics:
    """Counters the features update, and gauges read when the metrics are scraped."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.commands = Counter("kindred_commands", "Slash commands completed, by command", ["command"], registry=r)
        self.command_errors = Counter(
            "kindred_command_errors", "Slash commands that ended in an error reply, by command", ["command"], registry=r
        )
        self.dm_failures = Counter(
            "kindred_dm_failures", "Direct messages that could not be delivered, by reason", ["reason"], registry=r
        )
        self.crisis_reviews = Counter(
            "kindred_crisis_reviews", "Messages the crisis sentence model was asked to review", registry=r
        )
        self.crisis_fallbacks = Counter(
            "kindred_crisis_review_fallbacks",
            "Messages that kept the word list's verdict instead (queue full, or the model failed), by reason",
            ["reason"],
            registry=r,
        )
        self.crisis_queue = Gauge(
            "kindred_crisis_review_queue_depth", "Messages waiting for or in the crisis sentence model", registry=r
        )
        self.gateway_latency = Gauge(
            "kindred_gateway_latency_seconds",
            "Heartbeat latency to Discord's gateway (NaN before the first)",
            registry=r,
        )
        self.timers = Gauge(
            "kindred_timers", "Timers due, late (past the grace) and failed for good", ["state"], registry=r
        )
        self.database_latency = Gauge(
            "kindred_database_latency_seconds", "Time the last health probe's database write check took", registry=r
        )
        for reason in ("closed", "forbidden", "not_found", "error"):
            self.dm_failures.labels(reason)
        for reason in ("backlog", "failed"):
            self.crisis_fallbacks.labels(reason)

    def watch_gateway(self, latency: Callable[[], float]) -> None:
        """Read the gateway latency from ``latency`` at each scrape."""
        self.gateway_latency.set_function(lambda: latency() if math.isfinite(latency()) else math.nan)

    def watch_crisis_queue(self, depth: Callable[[], int]) -> None:
        """Read the crisis review queue's depth from ``depth`` at each scrape (the crisis feature calls this)."""
        self.crisis_queue.set_function(lambda: float(depth()))

    def render(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
