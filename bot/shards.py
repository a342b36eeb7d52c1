"""Which servers this process owns when several processes share one database, each running some shards.

Discord assigns every server to one shard: ``(guild_id >> 22) % shard_count``. A process runs the shards
``SHARD_IDS`` of ``SHARD_COUNT`` and owns exactly their servers: their timers, their clean-ups, and the
right to read "not in my cache" as "the bot was removed". Work that belongs to no server (a DM reminder)
is owned by every process, and is claimed by one of them at a time through the database.

No Discord import: the rule is arithmetic on ids, shared by the timers, the store and the cogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["NotOwned", "Ownership", "ShardSettings", "shard_of"]


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord puts server ``guild_id`` on, out of ``shard_count`` (its creation time's bits, modulo)."""
    if shard_count < 1:
        raise ValueError("shard_count must be at least 1")
    return (guild_id >> 22) % shard_count


class NotOwned(Exception):
    """Work for a server another process owns reached this one, whose cache can't tell whether the bot is
    still there: it is left untouched to that process (a timer goes back to pending for it)."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(f"server {guild_id} belongs to another process's shards")
        self.guild_id = guild_id


class ShardSettings(Protocol):
    """What :meth:`Ownership.from_settings` reads (``bot.settings.Settings`` has both)."""

    @property
    def shard_count(self) -> int | None: ...

    @property
    def shard_ids(self) -> tuple[int, ...] | None: ...


@dataclass(frozen=True, slots=True)
class Ownership:
    """The servers this process owns: those on its shards, or every server when it runs them all.

    ``shard_ids`` ``None`` means every shard (one process runs them all, with ``shard_count`` chosen by the
    operator or, when that is ``None`` too, by Discord).
    """

    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.shard_count is not None and self.shard_count < 1:
            raise ValueError("shard_count must be at least 1")
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("shard_ids needs shard_count")
            if not self.shard_ids or any(not 0 <= s < self.shard_count for s in self.shard_ids):
                raise ValueError(f"shard ids must be from 0 to {self.shard_count - 1}")
            # Sorted and unique, so equal sets of shards compare (and name themselves) the same.
            object.__setattr__(self, "shard_ids", tuple(sorted(set(self.shard_ids))))

    @classmethod
    def from_settings(cls, settings: ShardSettings) -> Ownership:
        """This process's ownership from ``SHARD_COUNT`` and ``SHARD_IDS``."""
        return cls(settings.shard_count, settings.shard_ids)

    @property
    def partial(self) -> bool:
        """Whether other processes own some servers (this one runs only some of the shards)."""
        return self.shard_ids is not None and self.shard_count is not None and len(self.shard_ids) < self.shard_count

    def owns(self, guild_id: int | None) -> bool:
        """Whether this process owns server ``guild_id``; ``None`` (a DM, work for no server) is everyone's."""
        if guild_id is None or not self.partial:
            return True
        assert self.shard_count is not None and self.shard_ids is not None
        return shard_of(guild_id, self.shard_count) in self.shard_ids

    def require(self, guild_id: int) -> None:
        """Raise :class:`NotOwned` unless this process owns server ``guild_id``.

        Call it before reading "not in my cache" as "the bot was removed": that holds only for owned servers.
        """
        if not self.owns(guild_id):
            raise NotOwned(guild_id)

    @property
    def identity(self) -> str:
        """A name for this process that stays the same across restarts: ``"shards 0,2 of 4"``, or ``"single"``.

        Recorded beside the work it claims, so a restarted process recognises (and settles) its own.
        """
        if not self.partial:
            return "single"
        assert self.shard_count is not None and self.shard_ids is not None
        return f"shards {','.join(map(str, self.shard_ids))} of {self.shard_count}"

    def filter_params(self) -> tuple[int, tuple[int, ...]] | None:
        """``(shard_count, shard_ids)`` for an SQL ownership filter, or ``None`` when every server is owned."""
        if not self.partial:
            return None
        assert self.shard_count is not None and self.shard_ids is not None
        return self.shard_count, self.shard_ids
