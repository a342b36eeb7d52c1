"""Play one process of a two-process cluster with the running bot: which shard's servers it owns.

``elsewhere`` makes it a process that doesn't own the test server (which then isn't in its cache, as it
wouldn't be); ``beside`` one that owns the test server while the other process's servers are out of its sight.
"""

from __future__ import annotations

from bot.shards import Ownership, shard_of
from tests.harness import Harness

__all__ = ["beside", "elsewhere", "run_shard"]


def run_shard(h: Harness, shard: int) -> None:
    """The running bot runs shard ``shard`` of two, and owns only that shard's servers."""
    ownership = Ownership(2, (shard,))
    h.bot.ownership = ownership
    h.bot.timers.ownership = ownership


def elsewhere(h: Harness) -> None:
    """This process runs the other shard: the test server is another process's, and not in this cache."""
    run_shard(h, 1 - shard_of(h.world.guild.id, 2))
    guild = h.bot.get_guild(h.world.guild.id)
    assert guild is not None
    h.bot._connection._remove_guild(guild)  # what a process running the other shard sees


def beside(h: Harness) -> None:
    """This process owns the test server; another process runs the other shard."""
    run_shard(h, shard_of(h.world.guild.id, 2))
