"""The record of REST calls, and event-driven waiting on the double's state.

Test-facing waits take a ``timeout`` argument on purpose (hence the ``noqa: ASYNC109`` markers): a deadline
that fails with a description of what *was* seen beats wrapping every call site in ``asyncio.timeout``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True)
class RecordedFile:
    """A file the bot uploaded in a multipart request."""

    field: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class RecordedCall:
    """One REST request the bot made, and what the double answered.

    ``route`` is the template (``/channels/{channel_id}/messages``), ``path`` the concrete path, both without
    the ``/api/v10`` prefix. ``json`` is the JSON body (or multipart ``payload_json``).
    """

    index: int
    method: str
    path: str
    route: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[RecordedFile]
    status: int = 0
    response: Any = None
    fault: str | None = None
    reason: str | None = None

    def __str__(self) -> str:
        extra = f" [{self.fault}]" if self.fault else ""
        return f"#{self.index} {self.method} {self.path} -> {self.status}{extra}"


_PARAM = re.compile(r"\{[^}]*\}")


def normalize_route(template: str) -> str:
    """``/channels/{channel_id}/messages`` and ``/channels/{id}/messages`` compare equal."""
    template = template.removeprefix("/api/v10")
    return _PARAM.sub("{}", template.rstrip("/") or "/")


def route_matches(pattern: str, call_route: str, call_path: str) -> bool:
    """A pattern matches a call's route template (any placeholder names) or its concrete path, where each
    ``{placeholder}`` in the pattern matches one path segment (so ``.../messages/@original`` works too)."""
    if normalize_route(pattern) == normalize_route(call_route):
        return True
    wanted = pattern.removeprefix("/api/v10").strip("/").split("/")
    actual = call_path.strip("/").split("/")
    return len(wanted) == len(actual) and all(
        w == a or (w.startswith("{") and w.endswith("}")) for w, a in zip(wanted, actual, strict=True)
    )


class Signal:
    """Wake waiters whenever the double's state changes; waits re-check a condition, never sleep."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)
        self._waiters.clear()

    async def wait_for(
        self,
        check: Callable[[], T | None],
        *,
        timeout: float,  # noqa: ASYNC109
        describe: Callable[[], str],
    ) -> T:
        """Return ``check()`` once it is not None; on timeout raise AssertionError with ``describe()``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"Timed out after {timeout:.1f}s: {describe()}")
            fut: asyncio.Future[None] = loop.create_future()
            self._waiters.add(fut)
            try:
                await asyncio.wait_for(fut, remaining)
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(fut)


@dataclass
class Claims:
    """Ids already returned by a wait, so consecutive waits return consecutive items."""

    ids: set[int] = field(default_factory=set)

    def first(self, items: list[T], key: Callable[[T], int], predicate: Callable[[T], bool]) -> T | None:
        for item in items:
            ident = key(item)
            if ident in self.ids:
                continue
            if predicate(item):
                self.ids.add(ident)
                return item
        return None
