"""Faults on demand: the next N matching REST calls fail the way Discord fails."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from .http_util import json_body_response
from .recorder import route_matches

#: Discord's messages for the error codes tests inject most.
ERROR_MESSAGES = {
    10003: "Unknown Channel",
    10008: "Unknown Message",
    10062: "Unknown interaction",
    50001: "Missing Access",
    50007: "Cannot send messages to this user",
    50013: "Missing Permissions",
    0: "500: Internal Server Error",
}


@dataclass
class FaultRule:
    """Fail ``count`` calls matching ``method`` + ``route`` (template or concrete path)."""

    method: str
    route: str
    status: int
    code: int = 0
    message: str | None = None
    retry_after: float | None = None
    count: int = 1
    hits: int = 0

    @property
    def label(self) -> str:
        if self.status == 429:
            return f"rate limited {self.retry_after}s"
        return f"injected {self.status}/{self.code}"

    def matches(self, method: str, route: str, path: str) -> bool:
        return self.count > 0 and method.upper() == self.method.upper() and route_matches(self.route, route, path)

    def response(self) -> web.Response:
        if self.status == 429:
            return rate_limited_response(self.retry_after or 0.05)
        text = self.message or ERROR_MESSAGES.get(self.code, f"{self.status} error")
        return json_body_response({"message": text, "code": self.code}, status=self.status)


@dataclass(eq=False)
class Hold:
    """Calls matching ``method`` + ``route`` wait, received but unanswered, until :meth:`release`.

    Discord being slow; and, when the client dies meanwhile, a request that was done all the same (a DM
    delivered) although its sender never heard back, as on Discord.
    """

    method: str
    route: str
    waiting: int = 0  # calls held right now
    held: int = 0  # calls held in all
    _open: asyncio.Event = field(default_factory=asyncio.Event)

    def matches(self, method: str, route: str, path: str) -> bool:
        return (
            not self._open.is_set() and method.upper() == self.method.upper() and route_matches(self.route, route, path)
        )

    async def wait(self, changed: Callable[[], None]) -> None:
        """Wait for the release (``changed`` wakes the double's waiters, which may watch :attr:`waiting`)."""
        self.waiting += 1
        self.held += 1
        changed()
        try:
            await self._open.wait()
        finally:
            self.waiting -= 1

    def release(self) -> None:
        """Let every held call (and every later one) through."""
        self._open.set()


class FaultInjector:
    """Holds pending fault rules and holds; the REST middleware consults it before routing."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.holds: list[Hold] = []

    def hold_for(self, method: str, route: str, path: str) -> Hold | None:
        """The first unreleased hold matching this call."""
        return next((h for h in self.holds if h.matches(method, route, path)), None)

    def add(self, rule: FaultRule) -> FaultRule:
        self.rules.append(rule)
        return rule

    def take(self, method: str, route: str, path: str) -> FaultRule | None:
        """The first live rule matching this call, consuming one of its uses."""
        for rule in self.rules:
            if rule.matches(method, route, path):
                rule.count -= 1
                rule.hits += 1
                return rule
        return None

    def clear(self) -> None:
        self.rules.clear()
        for hold in self.holds:
            hold.release()
        self.holds.clear()


def rate_limited_response(retry_after: float, *, scope: str = "user", is_global: bool = False) -> web.Response:
    """A 429 as Discord sends it. discord.py only honours 429s that carry a ``Via`` header (else: Cloudflare)."""
    headers = {
        "Via": "1.1 google",
        "Retry-After": str(max(1, math.ceil(retry_after))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": "d0ub1ebucket",
        "X-RateLimit-Scope": scope,
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}
    return json_body_response(body, status=429, headers=headers)
