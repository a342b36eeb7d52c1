"""Buddy pairs made straight in the store, for tests of features that act on a member's buddy."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.buddies.lifecycle import QuietOutcome

if TYPE_CHECKING:
    from tests.harness import Harness


async def pair(h: Harness, a: Any, b: Any, *, a_opts_in: bool) -> None:
    """Make ``a`` and ``b`` buddies for a week; ``a_opts_in`` is whether ``a`` lets hard moments tell ``b``."""
    buddies, now, gid = h.bot.store.buddies, h.clock.now(), h.world.guild.id
    for member in (a, b):
        await buddies.join(gid, member.id, pathway="any", experience="some", wants="either", now=now)
    await buddies.rounds.record_round(
        gid,
        scheduled_for=None,
        ran_at=now,
        ends_at=now + timedelta(days=7),
        seed=1,
        groups=[("test", [a.id, b.id])],
        unmatched=[],
        quiet=QuietOutcome(),
    )
    await buddies.set_hard_moment_opt_in(gid, a.id, a_opts_in, now=now)
