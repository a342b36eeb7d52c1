"""Time source. Production uses the wall clock; tests inject a :class:`FakeClock` they move by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["Clock", "FakeClock", "days", "discord_ts", "from_db", "to_db"]


class Clock:
    """The real clock. Always returns aware UTC datetimes."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)


class FakeClock(Clock):
    """A clock that only moves when told to, so tests control every due time exactly."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The fake current instant."""
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (aware)."""
        self._now = when.astimezone(UTC)

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` and return the new instant."""
        self._now += delta
        return self._now


def to_db(when: datetime) -> str:
    """Serialise an aware datetime for the database: ISO-8601 in UTC, so text order is time order."""
    if when.tzinfo is None:
        raise ValueError("refusing to store a naive datetime")
    return when.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str) -> datetime:
    """Parse a value written by :func:`to_db`."""
    return datetime.fromisoformat(text).astimezone(UTC)


def discord_ts(when: datetime, style: str = "F") -> str:
    """A Discord timestamp tag, which every reader sees in their own time zone."""
    return f"<t:{int(when.timestamp())}:{style}>"


def days(n: float) -> timedelta:
    """Shorthand used by rules that speak in days."""
    return timedelta(days=n)
