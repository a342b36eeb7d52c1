"""What rooms and service ask in common: when something starts, how it repeats, and reading the time typed.

The wording is the same in ``/room`` and ``/service`` because the rule behind it is the same
(:mod:`bot.repeats`, :mod:`bot.timeparse`).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from discord import app_commands

from bot.repeats import REPEAT_CHOICES
from bot.timeparse import parse_when

__all__ = ["NEW_REPEAT_HELP", "REPEATS_HELP", "REPEAT_OPTIONS", "WHEN_HELP", "read_when"]

WHEN_HELP = "When it starts, in your time zone: 'tomorrow 7pm', 'fri 19:00', '2026-12-01 18:30'"
REPEATS_HELP = "Whether it repeats (same local time): weekly, every two weeks, or monthly on a weekday"
NEW_REPEAT_HELP = "New repeat (monthly ones follow the start's weekday); 'Just once' ends the series after this one"
REPEAT_OPTIONS = [app_commands.Choice(name=label, value=value.value) for value, label in REPEAT_CHOICES]


async def read_when(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """The start a member typed, read in a worker thread.

    dateparser is synchronous CPU work (tens of milliseconds a phrase, seconds on its first use while it
    loads its language data): in a thread, every other member's commands and clicks are answered meanwhile.
    """
    return await asyncio.to_thread(parse_when, text, zone, now)
