"""A reminder sender with known behaviour, for the check-in scheduler's tests and benchmark."""

from __future__ import annotations

from collections import Counter


class CountingSender:
    """A ``send_reminder`` that always delivers and counts the DMs each member got."""

    def __init__(self) -> None:
        self.sent: Counter[int] = Counter()

    async def __call__(self, user_id: int, guild_id: int | None) -> bool:
        """Count one DM to ``user_id``."""
        self.sent[user_id] += 1
        return True
