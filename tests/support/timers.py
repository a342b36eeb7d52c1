"""Timer handlers with known behaviour, for the timer service's own tests."""

from __future__ import annotations

from bot.timers import Timer


class AlwaysFails:
    """A handler that raises ``error`` every time and counts how often it was called."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    async def __call__(self, timer: Timer) -> None:
        """Count the call, then fail."""
        self.calls += 1
        raise self.error
