"""Discord's rate limits, enforced on demand: off by default, so ordinary tests run at full speed.

When a test or benchmark turns them on (``dd.enforce_rate_limits()``), the double limits the bot the
way Discord does (https://discord.com/developers/docs/topics/rate-limits):
- **global**: ``global_per_second`` requests (50) in any one-second window, across every route.
  Interaction callbacks and interaction webhooks are exempt, as on Discord;
- **per-route buckets**: a route and its major parameter (channel, guild, or webhook and token) share a
  bucket of ``route_limit`` requests per ``route_window`` seconds (5 per 5 s, Discord's usual message
  bucket); ``routes`` sets other limits for particular routes.

Every answered request carries the bucket's ``X-RateLimit-Limit / Remaining / Reset / Reset-After /
Bucket`` headers, so discord.py paces each bucket by itself. A request over a limit is refused with
429, ``retry_after`` in the body and the headers Discord sends (``X-RateLimit-Global`` and ``Scope``,
``Retry-After``, and ``Via``, without which discord.py takes a 429 for a Cloudflare ban). A refused
request counts against nothing. The windows are fixed: each opens with the first request after the
last one closed.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from aiohttp import web

from .http_util import json_body_response

#: Route placeholders that are "major parameters": each value gets its own bucket.
MAJOR_PARAMETERS = ("channel_id", "guild_id", "webhook_id", "application_id", "webhook_token", "interaction_token")
#: Paths exempt from the global limit (interaction responses and their followups).
_GLOBAL_EXEMPT = ("/interactions/", "/webhooks/")


@dataclass(frozen=True)
class RateLimits:
    """The limits to enforce. ``routes`` maps ``(METHOD, route template)`` to ``(limit, window seconds)``."""

    global_per_second: int = 50
    route_limit: int = 5
    route_window: float = 5.0
    routes: Mapping[tuple[str, str], tuple[int, float]] = field(default_factory=dict)

    def for_route(self, method: str, route: str) -> tuple[int, float]:
        """The (limit, window) of one route's buckets."""
        return self.routes.get((method.upper(), route), (self.route_limit, self.route_window))


@dataclass
class _Window:
    limit: int
    length: float
    opened: float = -math.inf
    used: int = 0

    def refresh(self, now: float) -> None:
        if now >= self.opened + self.length:
            self.opened, self.used = now, 0

    def reset_after(self, now: float) -> float:
        return max(0.0, self.opened + self.length - now)


@dataclass
class RateLimitStats:
    """What the limiter did: requests let through (global-counted and exempt) and refusals by kind."""

    allowed: int = 0
    exempt: int = 0
    refused_global: int = 0
    refused_route: int = 0
    first_allowed: float | None = None
    last_allowed: float | None = None


class RateLimiter:
    """Decides, per request, whether it goes through; the double's middleware asks it before routing."""

    def __init__(self, limits: RateLimits, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._global = _Window(limits.global_per_second, 1.0)
        self._buckets: dict[tuple[str, str, tuple[str, ...]], _Window] = {}
        self.stats = RateLimitStats()

    def admit(self, method: str, route: str, path: str, params: Mapping[str, str]) -> RateLimitDecision:
        """Count the request if it may go through, else say how long to wait and why."""
        now = self._clock()
        major = tuple(params.get(p, "") for p in MAJOR_PARAMETERS)
        key = (method.upper(), route, major)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Window(*self.limits.for_route(method, route))
        bucket.refresh(now)
        exempt = path.startswith(_GLOBAL_EXEMPT)
        if not exempt:
            self._global.refresh(now)
            if self._global.used >= self._global.limit:
                self.stats.refused_global += 1
                return RateLimitDecision(False, self._global.reset_after(now), True, bucket, _bucket_hash(key), now)
        if bucket.used >= bucket.limit:
            self.stats.refused_route += 1
            return RateLimitDecision(False, bucket.reset_after(now), False, bucket, _bucket_hash(key), now)
        bucket.used += 1
        if exempt:
            self.stats.exempt += 1
        else:
            self._global.used += 1
            self.stats.allowed += 1
            self.stats.first_allowed = now if self.stats.first_allowed is None else self.stats.first_allowed
            self.stats.last_allowed = now
        return RateLimitDecision(True, 0.0, False, bucket, _bucket_hash(key), now)


@dataclass
class RateLimitDecision:
    """One request's verdict, and the headers that describe its bucket."""

    allowed: bool
    retry_after: float
    is_global: bool
    bucket: _Window
    bucket_hash: str
    now: float

    def headers(self) -> dict[str, str]:
        """``X-RateLimit-*`` for the request's bucket, as Discord sends on every answer."""
        reset_after = self.bucket.reset_after(self.now)
        return {
            "X-RateLimit-Limit": str(self.bucket.limit),
            "X-RateLimit-Remaining": str(max(0, self.bucket.limit - self.bucket.used)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": self.bucket_hash,
        }

    def refusal(self) -> web.Response:
        """The 429 Discord answers with when a request is over a limit."""
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(max(1, math.ceil(self.retry_after))),
            "X-RateLimit-Scope": "global" if self.is_global else "user",
        }
        if self.is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers.update(self.headers())
        body = {"message": "You are being rate limited.", "retry_after": self.retry_after, "global": self.is_global}
        return json_body_response(body, status=429, headers=headers)


def _bucket_hash(key: tuple[str, str, tuple[str, ...]]) -> str:
    # Discord's bucket hash names the route's limit, not the major parameter; discord.py keys its
    # buckets by hash plus the major parameters, as it does against Discord.
    return hashlib.sha1(f"{key[0]} {key[1]}".encode()).hexdigest()[:16]
