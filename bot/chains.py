"""Chains of timers are derived state: rebuilt from the facts at start-up and once a day.

A chain (a member's daily reminder, a server's buddy rounds, a weekly room) normally schedules its
next link from inside the handler of the current one. A crash at the wrong moment, a handler that
gave up, or a row deleted by hand would end such a chain silently. So each feature also registers a
reconciler: it reads the facts (who has reminders on, which servers have buddies, which rooms are
coming up) and adds any missing pending link. Dedupe keys allow one pending timer per key, and a
reconciler adds a link only where none is pending or running, so reconciling twice never duplicates.

With several processes on one database, each rebuilds only its own servers' chains: :attr:`Chains.scope`
(the timer service's ``owned_only``) leaves out links for servers other processes own, so two processes
never race to add the same missing link, and each logs only what it added.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Protocol

__all__ = ["Chains", "Reconciler"]

log = logging.getLogger(__name__)

Reconciler = Callable[[], Awaitable[int]]  # returns how many links it added


class Skips(Protocol):
    """What a reconcile scope counts: links left out because another process owns their server."""

    count: int


class Chains:
    """The reconcilers the features registered, run together."""

    def __init__(self) -> None:
        self._reconcilers: dict[str, Reconciler] = {}
        # Each reconciler runs inside this (set by the bot once its timer service exists): see the module docstring.
        self.scope: Callable[[], AbstractContextManager[Skips | None]] = nullcontext

    def register(self, name: str, reconciler: Reconciler) -> None:
        """Add (or replace, so reloads are safe) a feature's reconciler; call from ``cog_load``."""
        self._reconcilers[name] = reconciler

    def unregister(self, name: str) -> None:
        """Remove a reconciler; call from ``cog_unload``."""
        self._reconcilers.pop(name, None)

    async def reconcile(self) -> dict[str, int]:
        """Run every reconciler; returns how many links each added.

        One feature's failure is logged and does not stop the others: a broken room series must not
        leave every member without a reminder.
        """
        added: dict[str, int] = {}
        for name, reconciler in sorted(self._reconcilers.items()):
            try:
                with self.scope() as skipped:
                    found = await reconciler()
            except Exception:
                log.exception("reconciling %s failed; the next pass tries again", name)
                continue
            # A reconciler counts links it asked for; those left out for other processes' servers weren't added.
            added[name] = max(0, found - (skipped.count if skipped is not None else 0))
            if added[name]:
                log.warning("reconciling %s rebuilt %d missing timers", name, added[name])
        return added
