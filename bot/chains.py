"""Chains of timers are derived state: rebuilt from the facts at start-up and once a day.

A chain (a member's daily reminder, a server's buddy rounds, a weekly room) normally schedules its
next link from inside the handler of the current one. A crash at the wrong moment, a handler that
gave up, or a row deleted by hand would end such a chain silently. So each feature also registers a
reconciler: it reads the facts (who has reminders on, which servers have buddies, which rooms are
coming up) and adds any missing pending link. Dedupe keys allow one pending timer per key, and a
reconciler adds a link only where none is pending or running, so reconciling twice never duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

__all__ = ["Chains", "Reconciler"]

log = logging.getLogger(__name__)

Reconciler = Callable[[], Awaitable[int]]  # returns how many links it added


class Chains:
    """The reconcilers the features registered, run together."""

    def __init__(self) -> None:
        self._reconcilers: dict[str, Reconciler] = {}

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
                added[name] = await reconciler()
            except Exception:
                log.exception("reconciling %s failed; the next pass tries again", name)
                continue
            if added[name]:
                log.warning("reconciling %s rebuilt %d missing timers", name, added[name])
        return added
