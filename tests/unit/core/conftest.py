"""Fixtures for the core services' unit tests."""

from __future__ import annotations

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.timers import TimerService


@pytest.fixture
def timers(db: Database, clock: FakeClock) -> TimerService:
    """A timer service over the test's database and clock, with no handlers yet."""
    return TimerService(db, clock)
